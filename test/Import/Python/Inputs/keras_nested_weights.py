#!/usr/bin/python3
"""The weights files Keras writes for nested_weights.py's `net`, written here
with h5py in each layout by hand (the groups listed below, taken from Keras's
saving code), the same numbers as an .npz keyed as predict keys them, and a
numpy reference of the model.

  keras_nested_weights.py keras3|keras3-sorted|keras2|keras2-model|
                          keras2-short|keras2-count OUT
  keras_nested_weights.py npz|npz-aux OUT.npz
  keras_nested_weights.py ref IN.npy OUT.npy

keras3: Keras 3.6+ `save_weights` (`_out` walked last). keras3-sorted: Keras
3 before 3.6 (plain sorted attributes: `_out` first). keras2: tf.keras 2's
`save_weights("w.h5")`: one group per `model.layers` entry with weights, in
tracking order, the dict's values by sorted key, a held model's weights
trainable first; keras2-model: the same inside `model_weights` with a
config beside, as model.save writes; keras2-short: a layer less;
keras2-count: the Block's moving statistics left out. npz: the weights
predict uses, npz-aux: with the unused layer's too.
"""
import sys

import h5py
import numpy as np

rng = np.random.default_rng(5)


def w(*shape, positive=False):
    a = rng.standard_normal(shape).astype(np.float32) * 0.5
    return np.abs(a) + 0.5 if positive else a


# The weights, keyed as predict keys them (two models called: by model).
W = {}
for key, shape in [("stem/d", (5, 7)), ("net/blocks/0", (7, 8)),
                   ("net/blocks/2", (8, 6)), ("net/heads/b", (6, 3)),
                   ("net/heads/a", (6, 2)), ("net/enc/d", (5, 5)),
                   ("net/seq/layers/0", (5, 4)), ("net/seq/layers/1", (4, 4)),
                   ("net/_out", (4, 1)), ("net/aux", (7, 9))]:
    W[key + "/kernel"] = w(*shape)
    W[key + "/bias"] = w(shape[1])
W["net/enc/norm/gamma"] = w(5, positive=True)
W["net/enc/norm/beta"] = w(5)
W["net/enc/norm/moving_mean"] = w(5)
W["net/enc/norm/moving_variance"] = w(5, positive=True)

DENSE = ["kernel", "bias"]
NORM = ["gamma", "beta", "moving_mean", "moving_variance"]

# Keras 3.6+: Net's attributes sorted, `_out` last: aux, blocks, enc,
# heads, layers, seq, stem, _out. enc (Block) walks d, layers, norm: norm is
# first met in Block's `layers` list. Net's `layers` list (stem, aux, the
# blocks, the heads, enc, seq, _out) meets stem and seq before their own
# attributes, and _out, its sixth Dense.
KERAS3 = [
    ("aux", "net/aux", DENSE),
    ("blocks/dense", "net/blocks/0", DENSE),
    ("blocks/dense_1", "net/blocks/2", DENSE),
    ("enc/d", "net/enc/d", DENSE),
    ("enc/layers/batch_normalization", "net/enc/norm", NORM),
    ("heads/dense", "net/heads/b", DENSE),
    ("heads/dense_1", "net/heads/a", DENSE),
    ("layers/stem/d", "stem/d", DENSE),
    ("layers/sequential/layers/dense", "net/seq/layers/0", DENSE),
    ("layers/sequential/layers/dense_1", "net/seq/layers/1", DENSE),
    ("layers/dense_5", "net/_out", DENSE),
]
# Before Keras 3.6: `_out` sorts first, at its own name.
KERAS3_SORTED = [("_out", "net/_out", DENSE)] + KERAS3[:-1]

# Keras 2: model.layers is stem, aux, blocks (three), heads by sorted key
# (a, b), enc, seq, _out; the Dropout has no weights. A held model's
# weights are its trainable ones first: the BatchNormalization's moving
# statistics last.
KERAS2 = [
    ("stem", [("stem/d", DENSE)]),
    ("dense", [("net/aux", DENSE)]),
    ("dense_1", [("net/blocks/0", DENSE)]),
    ("dense_2", [("net/blocks/2", DENSE)]),
    ("dense_3", [("net/heads/a", DENSE)]),
    ("dense_4", [("net/heads/b", DENSE)]),
    ("block", [("net/enc/norm", ["gamma", "beta"]), ("net/enc/d", DENSE),
               ("net/enc/norm", ["moving_mean", "moving_variance"])]),
    ("sequential", [("net/seq/layers/0", DENSE), ("net/seq/layers/1", DENSE)]),
    ("dense_5", [("net/_out", DENSE)]),
]


def write_keras3(path, layout):
    with h5py.File(path, "w") as f:
        for group, key, names in layout:
            g = f.require_group(group).create_group("vars")
            for i, n in enumerate(names):
                g[str(i)] = W[f"{key}/{n}"]
        f.create_group("optimizer").create_group("vars")["0"] = \
            np.zeros(1, np.float32)


def write_keras2(path, layout, inside=None):
    with h5py.File(path, "w") as f:
        root = f
        if inside:
            f.attrs["model_config"] = "{}"
            root = f.create_group(inside)
        root.attrs["layer_names"] = [n for n, _ in layout] + ["dropout"]
        root.attrs["keras_version"] = "2.13.1"
        root.attrs["backend"] = "tensorflow"
        root.create_group("dropout").attrs["weight_names"] = np.array(
            [], dtype="S1")
        for name, parts in layout:
            g = root.create_group(name)
            names = []
            for k, (key, weights) in enumerate(parts):
                for n in weights:
                    names.append(f"{name}/part{k}/{n}:0")
                    g[names[-1]] = W[f"{key}/{n}"]
            g.attrs["weight_names"] = names


def reference(x):
    def dense(h, key, act=None):
        y = h @ W[key + "/kernel"].astype(np.float64) + W[key + "/bias"]
        return {"relu": np.maximum(y, 0), "tanh": np.tanh(y), None: y}[act]

    h = dense(x, "stem/d", "relu")
    h = dense(h, "net/blocks/0", "tanh")
    h = dense(h, "net/blocks/2")
    h = np.concatenate([dense(h, "net/heads/b"), dense(h, "net/heads/a")], 1)
    n = "net/enc/norm/"
    h = (h - W[n + "moving_mean"]) / np.sqrt(W[n + "moving_variance"] + 1e-3) \
        * W[n + "gamma"] + W[n + "beta"]
    h = dense(h, "net/enc/d", "relu")
    h = dense(h, "net/seq/layers/0", "relu")
    h = dense(h, "net/seq/layers/1")
    return dense(h, "net/_out")


def main(argv):
    what, out = argv[0], argv[1]
    if what == "keras3":
        write_keras3(out, KERAS3)
    elif what == "keras3-sorted":
        write_keras3(out, KERAS3_SORTED)
    elif what == "keras2":
        write_keras2(out, KERAS2)
    elif what == "keras2-model":
        write_keras2(out, KERAS2, inside="model_weights")
    elif what == "keras2-short":
        write_keras2(out, KERAS2[:-1])
    elif what == "keras2-count":
        write_keras2(out, KERAS2[:6] + [("block", KERAS2[6][1][:2])] +
                     KERAS2[7:])
    elif what == "npz":
        np.savez(out, **{k: v for k, v in W.items()
                         if not k.startswith("net/aux/")})
    elif what == "npz-aux":
        np.savez(out, **W)
    elif what == "ref":
        x = np.load(argv[1]).astype(np.float64)
        np.save(argv[2], reference(x).astype(np.float32))
    else:
        sys.exit(f"unknown: {what}")


if __name__ == "__main__":
    main(sys.argv[1:])
