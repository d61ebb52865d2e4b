#!/usr/bin/python3
"""Writes a Keras 3 `save_weights` file (.weights.h5) for one of our
programs, in the layout Keras 3's saving_lib gives a subclassed model, and the
same weights as an .npz keyed `<attribute>/<variable>` for the reference.

  keras_weights.py classifier|batchnorm|recurrent OUT.weights.h5 OUT.npz
                   [--drop PATH]

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
    # Keras 3 keeps a recurrent layer's variables in its cell's group, a
    # Bidirectional's in its two layers' cells, a TimeDistributed's in its
    # layer's ("bi" sorts before "layers"; the others are in that list).
    "recurrent": [
        ("bi", "bi/forward_layer/cell",
         [("forward_kernel", (4, 9)), ("forward_recurrent_kernel", (3, 9)),
          ("forward_bias", (2, 9))]),
        ("bi", "bi/backward_layer/cell",
         [("backward_kernel", (4, 9)), ("backward_recurrent_kernel", (3, 9)),
          ("backward_bias", (2, 9))]),
        ("lstm", "layers/lstm/cell",
         [("kernel", (6, 8)), ("recurrent_kernel", (2, 8)), ("bias", (8,))]),
        ("td", "layers/time_distributed/layer",
         [("kernel", (4, 2)), ("bias", (2,))]),
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
