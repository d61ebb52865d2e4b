"""Keras 2 .h5 files for test/Import/weights-in-place.test, with numpy's
outputs: `wide.h5`, Dense 48 -> 256 (relu) -> 200 (tanh) -> 64 -> 10
(softmax), whose kernels are packed into column tiles at compile time in
place (256 and 64 columns: whole tiles of 32 and 64) or by a copy (200);
`tiny.h5`, Dense 3 -> 2 (a bytecode file smaller than a page);
`twice.h5`, whose Dense lists its kernel twice in weight_names; and
`large.h5`, Dense 4100 -> 4100 of zeros: 64.1 MiB of weights.

    make_wide_dense.py OUT_DIR
"""

import os
import sys

import numpy as np

from keras2_h5 import sequential, write_h5


def dense(name, units, activation, inputs=None):
    config = {"name": name, "units": units, "activation": activation,
              "use_bias": True, "trainable": True, "dtype": "float32"}
    if inputs:
        config["batch_input_shape"] = [None, inputs]
    return {"class_name": "Dense", "config": config}


def model(path, sizes, activations, rng, x):
    layers, weights = [], {}
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        name = f"dense_{i}"
        layers.append(dense(name, b, activations[i], a if i == 0 else None))
        kernel = rng.standard_normal((a, b)).astype(np.float32) / np.sqrt(a)
        bias = rng.standard_normal(b).astype(np.float32) * 0.1
        weights[name] = [(f"{name}/kernel:0", kernel.astype(np.float32)),
                         (f"{name}/bias:0", bias.astype(np.float32))]
    write_h5(path, sequential(layers), weights)
    # numpy's forward pass, in float64 from the float32 weights.
    h = x.astype(np.float64)
    for (_, kernel), (_, bias), act in zip(
            [w[0] for w in weights.values()], [w[1] for w in weights.values()],
            activations):
        h = h @ kernel.astype(np.float64) + bias
        if act == "relu":
            h = np.maximum(h, 0)
        elif act == "tanh":
            h = np.tanh(h)
        elif act == "softmax":
            e = np.exp(h - h.max(axis=1, keepdims=True))
            h = e / e.sum(axis=1, keepdims=True)
    return h.astype(np.float32)


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(20)
    x = rng.standard_normal((17, 48)).astype(np.float32)
    np.save(os.path.join(out, "wide.in.npy"), x)
    np.save(os.path.join(out, "wide.ref.npy"),
            model(os.path.join(out, "wide.h5"), [48, 256, 200, 64, 10],
                  ["relu", "tanh", "linear", "softmax"], rng, x))
    x = rng.standard_normal((3, 3)).astype(np.float32)
    np.save(os.path.join(out, "tiny.in.npy"), x)
    np.save(os.path.join(out, "tiny.ref.npy"),
            model(os.path.join(out, "tiny.h5"), [3, 2], ["linear"], rng, x))
    twice = os.path.join(out, "twice.h5")
    write_h5(twice, sequential([dense("d", 2, "linear", 3)]),
             {"d": [("d/kernel:0", np.ones((3, 2), np.float32)),
                    ("d/bias:0", np.ones(2, np.float32))]})
    import h5py
    with h5py.File(twice, "a") as f:
        f["model_weights/d"].attrs["weight_names"] = ["d/kernel:0"] * 2
    write_h5(os.path.join(out, "large.h5"),
             sequential([dense("big", 4100, "linear", 4100)]),
             {"big": [("big/kernel:0", np.zeros((4100, 4100), np.float32)),
                      ("big/bias:0", np.zeros(4100, np.float32))]})


main()
