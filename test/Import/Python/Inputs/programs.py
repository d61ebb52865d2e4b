#!/usr/bin/python3
"""numpy/scipy references for the programs predict-import converts: ours
(examples/python/, Inputs/) and the seed's (`seed`: its three programs share
Dense(64, relu) -> Dense(10, softmax)).

Each reference is the program's arithmetic written again with numpy, from
the weights file predict-import was given or dumped; never predict's output.

  programs.py weights OUT.npz KEY=AxB ...      # random f32 weights
  programs.py run PROGRAM W.npz X.npy Y.npy    # the program's reference
"""
import sys

import numpy as np
from scipy import signal, special


def dense(w, name, x):
    return x @ w[f"{name}/kernel"].astype(np.float64) + w[f"{name}/bias"]


def seed(w, x):
    return special.softmax(dense(w, "dense2", np.maximum(dense(w, "dense1", x), 0)), axis=-1)


def classifier(w, x):
    return special.softmax(dense(w, "scores", np.maximum(dense(w, "hidden", x), 0)), axis=-1)


def row_loop(w, x):
    h = np.tanh(dense(w, "encode", x))
    return dense(w, "decode", h) * h[:, 0:4] + h[:, 4:8]


def smoothing(w, x):
    y = special.softmax(dense(w, "dense", x), axis=-1)
    return np.tanh(signal.convolve(y, np.array([[0.25, 0.5, 0.25]]), mode="same"))


def helpers(w, x):
    rows = [special.expit(dense(w, "gate", r)) * dense(w, "value", r)
            for r in x[:, None, :]]  # each 1 x width
    return special.softmax(dense(w, "out", np.stack(rows, axis=0)), axis=-1)


def batchnorm(w, x):
    h = dense(w, "dense", x)
    h = ((h - w["norm/moving_mean"]) / np.sqrt(w["norm/moving_variance"] + 0.01)
         * w["norm/gamma"] + w["norm/beta"])
    return (h - w["plain/moving_mean"]) / np.sqrt(w["plain/moving_variance"] + 0.5)


def arithmetic(w, x):
    v = dense(w, "dense", x) * 0.5 + 1
    y = np.maximum(v, np.minimum(v, v)) ** 2
    k = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    return (y - 2) @ k @ np.array([[1.0], [2.0]]) / 3


def foreign_shapes(w, x):
    def block(v):
        v = signal.convolve(v, np.array([[-0.8, 0.05]]), mode="full")
        h = v @ w["dense/kernel"].astype(np.float64) + w["dense/bias"]
        v = np.clip(h * special.expit(h), -0.5, 0.75)
        return special.softmax(dense(w, "out", v), axis=1)
    acc = block(x[0:1])
    for r in range(1, x.shape[0]):
        acc = acc * 0.5 + block(x[r:r + 1])
    return np.maximum(acc, 0.1) + block(x)[0:1]


def main(argv):
    if argv[0] == "weights":
        rng = np.random.default_rng(42)
        arrays = {}
        for spec in argv[2:]:
            key, shape = spec.split("=")
            a = rng.standard_normal([int(d) for d in shape.split("x")])
            # Variances must be positive.
            arrays[key] = (np.abs(a) + 0.1 if "variance" in key else a).astype(np.float32)
        np.savez(argv[1], **arrays)
    elif argv[0] == "run":
        program, weights, x, y = argv[1:]
        ref = globals()[program.replace("-", "_")]
        np.save(y, ref(np.load(weights), np.load(x).astype(np.float64)))


if __name__ == "__main__":
    main(sys.argv[1:])
