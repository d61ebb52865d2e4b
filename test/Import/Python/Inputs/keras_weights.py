#!/usr/bin/python3
"""Writes a Keras 3 `save_weights` file (.weights.h5) for one of our
programs, in the layout Keras 3's saving_lib gives a subclassed model, and the
same weights as an .npz keyed `<attribute>/<variable>` for the reference.

  keras_weights.py classifier|batchnorm OUT.weights.h5 OUT.npz [--drop PATH]

Layout: attributes sorting before `layers` at `<attribute>/vars/<i>`, the
others at `layers/<snake_case class>[_<k>]/vars/<i>`; an optimizer's
variables beside them, which are not the model's.
"""
import sys

import h5py
import numpy as np

PROGRAMS = {
    # attribute, HDF5 group, [(variable, shape)]
    "classifier": [
        ("hidden", "hidden", [("kernel", (12, 16)), ("bias", (16,))]),
        ("scores", "layers/dense_1", [("kernel", (16, 3)), ("bias", (3,))]),
    ],
    "batchnorm": [
        ("dense", "dense", [("kernel", (3, 4)), ("bias", (4,))]),
        ("norm", "layers/batch_normalization",
         [("gamma", (4,)), ("beta", (4,)), ("moving_mean", (4,)),
          ("moving_variance", (4,))]),
        ("plain", "layers/batch_normalization_1",
         [("moving_mean", (4,)), ("moving_variance", (4,))]),
    ],
}


def main(argv):
    program, h5_path, npz_path = argv[:3]
    drop = argv[4] if len(argv) > 4 and argv[3] == "--drop" else None
    rng = np.random.default_rng(11)
    arrays = {}
    with h5py.File(h5_path, "w") as f:
        for attr, group, variables in PROGRAMS[program]:
            g = f.require_group(group).create_group("vars")
            for i, (name, shape) in enumerate(variables):
                a = rng.standard_normal(shape)
                if "variance" in name:
                    a = np.abs(a) + 0.1
                a = a.astype(np.float32)
                arrays[f"{attr}/{name}"] = a
                if f"{group}/vars/{i}" != drop:
                    g[str(i)] = a
        f.create_group("optimizer").create_group("vars")["0"] = np.zeros(1, np.float32)
    np.savez(npz_path, **arrays)


if __name__ == "__main__":
    main(sys.argv[1:])
