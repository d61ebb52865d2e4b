#!/usr/bin/python3
"""Writes Keras files of the reshaping layers and of the layers that are the
identity at inference, and numpy references.

  make_reshaping.py DIR

ZeroPadding1D/2D/3D, Cropping1D/2D/3D, UpSampling1D/2D/3D (nearest), Reshape (with
-1), Permute, RepeatVector and Flatten (channels_first moves the channels
last first), in Keras 2's .h5 layout (Functional models with one output per
option) and Keras 3's .keras archive; SpatialDropout1D/2D/3D,
GaussianNoise, GaussianDropout, AlphaDropout and ActivityRegularization,
which Keras applies only in training. References are index arithmetic
written here: element i of an upsampled axis is element i // f, a padded
axis holds the input at [before, before + n), and so on.
"""

import json
import sys
import zipfile

import h5py
import numpy as np

from keras2_h5 import functional, inp, layer, sequential, write_h5

d = sys.argv[1]
rng = np.random.default_rng(170)


def pad(x, pairs, first):
    """Zeros around axes first, first + 1, ...: the input at [b, b + n)."""
    pairs = [(0, 0)] * first + list(pairs)
    pairs += [(0, 0)] * (x.ndim - len(pairs))
    y = np.zeros([n + b + a for n, (b, a) in zip(x.shape, pairs)], x.dtype)
    y[tuple(slice(b, b + n) for n, (b, _) in zip(x.shape, pairs))] = x
    return y


def crop(x, pairs, first):
    pairs = [(0, 0)] * first + list(pairs)
    pairs += [(0, 0)] * (x.ndim - len(pairs))
    return x[tuple(slice(b, n - a) for n, (b, a) in zip(x.shape, pairs))]


def upsample(x, factors, first):
    for i, f in enumerate(factors):
        axis = first + i
        idx = np.arange(x.shape[axis] * f) // f
        x = np.take(x, idx, axis=axis)
    return x


def flatten_cf(x):
    """Keras's Flatten(data_format='channels_first'): channels last, then
    row-major."""
    perm = [0] + list(range(2, x.ndim)) + [1]
    return np.transpose(x, perm).reshape(x.shape[0], int(np.prod(x.shape[1:])))




def branches(path, shape, cases, batches):
    layers = [inp("x", shape)]
    for name, cls, config, _ in cases:
        layers.append(layer(cls, name, ["x"], **config))
    write_h5(f"{d}/{path}.h5", functional(layers, ["x"], [c[0] for c in cases]),
             {name: [] for name in ["x"] + [c[0] for c in cases]})
    for n in batches:
        x = rng.standard_normal((n, *shape)).astype(np.float32)
        np.save(f"{d}/{path}.{n}.in.npy", x)
        for name, _, _, ref in cases:
            np.save(f"{d}/{path}.{name}.{n}.ref.npy", ref(x).astype(np.float32))


# 2-D, input (4, 6, 3); channels_first reads it as C=4 of 6 x 3.
branches("reshape2d", (4, 6, 3), [
    ("zp", "ZeroPadding2D", dict(padding=[[1, 2], [0, 3]], data_format="channels_last"),
     lambda x: pad(x, [(1, 2), (0, 3)], 1)),
    ("zp_int", "ZeroPadding2D", dict(padding=1), lambda x: pad(x, [(1, 1), (1, 1)], 1)),
    ("zp_cf", "ZeroPadding2D", dict(padding=[1, 2], data_format="channels_first"),
     lambda x: pad(x, [(1, 1), (2, 2)], 2)),
    ("cr", "Cropping2D", dict(cropping=[[1, 0], [2, 1]], data_format="channels_last"),
     lambda x: crop(x, [(1, 0), (2, 1)], 1)),
    ("cr_cf", "Cropping2D", dict(cropping=[[1, 1], [0, 1]], data_format="channels_first"),
     lambda x: crop(x, [(1, 1), (0, 1)], 2)),
    ("up", "UpSampling2D", dict(size=[2, 3], data_format="channels_last",
                                interpolation="nearest"),
     lambda x: upsample(x, [2, 3], 1)),
    ("up_cf", "UpSampling2D", dict(size=2, data_format="channels_first"),
     lambda x: upsample(x, [2, 2], 2)),
    ("rs", "Reshape", dict(target_shape=[12, -1]), lambda x: x.reshape(x.shape[0], 12, 6)),
    ("rs_full", "Reshape", dict(target_shape=[3, 4, 6]),
     lambda x: x.reshape(x.shape[0], 3, 4, 6)),
    ("perm", "Permute", dict(dims=[3, 1, 2]), lambda x: np.transpose(x, (0, 3, 1, 2))),
    ("flat", "Flatten", dict(data_format="channels_last"),
     lambda x: x.reshape(x.shape[0], int(np.prod(x.shape[1:])))),
    ("flat_cf", "Flatten", dict(data_format="channels_first"), flatten_cf),
], [0, 1, 3, 17])

# 1-D, input (5, 3).
branches("reshape1d", (5, 3), [
    ("zp", "ZeroPadding1D", dict(padding=[2, 1]), lambda x: pad(x, [(2, 1)], 1)),
    ("zp_int", "ZeroPadding1D", dict(padding=2), lambda x: pad(x, [(2, 2)], 1)),
    ("cr", "Cropping1D", dict(cropping=[1, 2]), lambda x: crop(x, [(1, 2)], 1)),
    ("up", "UpSampling1D", dict(size=3), lambda x: upsample(x, [3], 1)),
    ("perm", "Permute", dict(dims=[2, 1]), lambda x: np.transpose(x, (0, 2, 1))),
    ("rs", "Reshape", dict(target_shape=[-1]), lambda x: x.reshape(x.shape[0], 15)),
    ("flat_cf", "Flatten", dict(data_format="channels_first"), flatten_cf),
], [0, 3])

# 3-D, input (3, 4, 5, 2); channels_first reads it as C=3 of 4 x 5 x 2.
# Keras's defaults: ZeroPadding3D and Cropping3D 1 on each side,
# UpSampling3D 2 along each axis.
branches("reshape3d", (3, 4, 5, 2), [
    ("zp", "ZeroPadding3D", dict(padding=[[1, 0], [0, 2], [2, 1]], data_format="channels_last"),
     lambda x: pad(x, [(1, 0), (0, 2), (2, 1)], 1)),
    ("zp_int", "ZeroPadding3D", dict(), lambda x: pad(x, [(1, 1)] * 3, 1)),
    ("zp_cf", "ZeroPadding3D", dict(padding=[1, 0, 2], data_format="channels_first"),
     lambda x: pad(x, [(1, 1), (0, 0), (2, 2)], 2)),
    ("cr", "Cropping3D", dict(cropping=[[1, 0], [0, 2], [2, 1]], data_format="channels_last"),
     lambda x: crop(x, [(1, 0), (0, 2), (2, 1)], 1)),
    ("cr_dflt", "Cropping3D", dict(data_format="channels_last"),
     lambda x: crop(x, [(1, 1), (1, 1), (1, 1)], 1)),
    ("cr_cf", "Cropping3D", dict(cropping=[[1, 0], [1, 1], [0, 1]], data_format="channels_first"),
     lambda x: crop(x, [(1, 0), (1, 1), (0, 1)], 2)),
    ("up", "UpSampling3D", dict(size=[2, 1, 3], data_format="channels_last"),
     lambda x: upsample(x, [2, 1, 3], 1)),
    ("up_dflt", "UpSampling3D", dict(), lambda x: upsample(x, [2, 2, 2], 1)),
    ("up_cf", "UpSampling3D", dict(size=[1, 2, 2], data_format="channels_first"),
     lambda x: upsample(x, [1, 2, 2], 2)),
], [0, 3])

# RepeatVector, input (4,): each sample's vector n times.
branches("repeat", (4,), [
    ("rv", "RepeatVector", dict(n=3),
     lambda x: x[:, None, :][:, [0, 0, 0], :]),
], [0, 3])

# Keras 3 .keras: a chain of them.
cfg3 = sequential([
    {"module": "keras.layers", "class_name": "InputLayer",
     "config": {"name": "input_layer", "batch_shape": [None, 6, 6, 2], "dtype": "float32"}},
    {"module": "keras.layers", "class_name": "ZeroPadding2D",
     "config": {"name": "zero_padding2d", "padding": [[1, 1], [2, 2]],
                "data_format": "channels_last", "trainable": True}},
    {"module": "keras.layers", "class_name": "Cropping2D",
     "config": {"name": "cropping2d", "cropping": [[0, 1], [1, 0]],
                "data_format": "channels_last", "trainable": True}},
    {"module": "keras.layers", "class_name": "UpSampling2D",
     "config": {"name": "up_sampling2d", "size": [2, 1], "data_format": "channels_last",
                "interpolation": "nearest", "trainable": True}},
    {"module": "keras.layers", "class_name": "Permute",
     "config": {"name": "permute", "dims": [2, 1, 3], "trainable": True}},
    {"module": "keras.layers", "class_name": "Reshape",
     "config": {"name": "reshape", "target_shape": [-1, 4], "trainable": True}},
    {"module": "keras.layers", "class_name": "Flatten",
     "config": {"name": "flatten", "data_format": "channels_last", "trainable": True}}])


def keras3_archive(path, config, groups):
    weights = f"{path}.weights.h5"
    with h5py.File(weights, "w") as f:
        layers = f.create_group("layers")
        for group in groups:
            layers.create_group(group).create_group("vars")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.8.0"}))
        z.writestr("config.json", json.dumps(config))
        z.write(weights, "model.weights.h5")


keras3_archive(f"{d}/reshape_k3.keras", cfg3,
               ["zero_padding2d", "cropping2d", "up_sampling2d", "permute", "reshape",
                "flatten"])
x3 = rng.standard_normal((3, 6, 6, 2)).astype(np.float32)
np.save(f"{d}/reshape_k3.in.npy", x3)
h = pad(x3, [(1, 1), (2, 2)], 1)          # 8 x 10 x 2
h = crop(h, [(0, 1), (1, 0)], 1)          # 7 x 9 x 2
h = upsample(h, [2, 1], 1)                # 14 x 9 x 2
h = np.transpose(h, (0, 2, 1, 3))         # 9 x 14 x 2
h = h.reshape(3, -1, 4)                   # 63 x 4
np.save(f"{d}/reshape_k3.ref.npy", h.reshape(3, -1).astype(np.float32))

# Identity at inference: every class, Keras 2 and Keras 3, with Dense
# around them so that something is computed.
k = rng.standard_normal((6, 6)).astype(np.float32) * 0.5
identity = [
    ("sd1", "SpatialDropout1D", dict(rate=0.3)),
    ("gn", "GaussianNoise", dict(stddev=0.5, seed=3)),
    ("gd", "GaussianDropout", dict(rate=0.2)),
    ("ad", "AlphaDropout", dict(rate=0.1, noise_shape=None)),
    ("ar", "ActivityRegularization", dict(l1=0.01, l2=0.001)),
]
layers = [{"class_name": "Reshape", "config": {"name": "r", "target_shape": [2, 3],
                                               "batch_input_shape": [None, 6]}}]
layers += [{"class_name": cls, "config": dict(name=name, **cfg)} for name, cls, cfg in identity]
layers += [{"class_name": "Reshape", "config": {"name": "back", "target_shape": [6]}},
           {"class_name": "Dense", "config": {"name": "dense", "units": 6,
                                              "activation": "linear", "use_bias": False}}]
write_h5(f"{d}/identity_k2.h5", sequential(layers),
         {**{l["config"]["name"]: [] for l in layers[:-1]},
          "dense": [("dense/kernel:0", k)]})
xi = rng.standard_normal((3, 6)).astype(np.float32)
np.save(f"{d}/identity.in.npy", xi)
np.save(f"{d}/identity.ref.npy", (xi.astype(np.float64) @ k).astype(np.float32))

cfg3 = sequential([
    {"module": "keras.layers", "class_name": "InputLayer",
     "config": {"name": "input_layer", "batch_shape": [None, 2, 2, 3], "dtype": "float32"}},
    {"module": "keras.layers", "class_name": "SpatialDropout2D",
     "config": {"name": "spatial_dropout2d", "rate": 0.5, "data_format": "channels_last",
                "seed": None, "trainable": True}},
    {"module": "keras.layers", "class_name": "Reshape",
     "config": {"name": "reshape", "target_shape": [2, 2, 1, 3], "trainable": True}},
    {"module": "keras.layers", "class_name": "SpatialDropout3D",
     "config": {"name": "spatial_dropout3d", "rate": 0.5, "trainable": True}},
    {"module": "keras.layers", "class_name": "Flatten",
     "config": {"name": "flatten", "trainable": True}}])
keras3_archive(f"{d}/identity_k3.keras", cfg3,
               ["spatial_dropout2d", "reshape", "spatial_dropout3d", "flatten"])
xi3 = rng.standard_normal((2, 2, 2, 3)).astype(np.float32)
np.save(f"{d}/identity_k3.in.npy", xi3)
np.save(f"{d}/identity_k3.ref.npy", xi3.reshape(2, -1))

# Called with training=True in the saved graph: Keras would add noise.
noisy = functional([inp("x", (6,)),
                    {"class_name": "GaussianNoise", "name": "gn",
                     "config": {"name": "gn", "stddev": 0.5},
                     "inbound_nodes": [[["x", 0, 0, {"training": True}]]]}],
                   ["x"], ["gn"])
write_h5(f"{d}/identity_training.h5", noisy, {"x": [], "gn": []})
write_h5(f"{d}/identity_bad_rate.h5", sequential([
    {"class_name": "GaussianDropout", "config": {"name": "gd", "rate": 1.5,
                                                 "batch_input_shape": [None, 6]}}]),
    {"gd": []})


# Broken files.
def one_layer(path, cls, shape, **config):
    write_h5(f"{d}/{path}.h5", sequential([
        {"class_name": cls, "config": dict(name="l", batch_input_shape=[None, *shape],
                                           **config)}]), {"l": []})


one_layer("reshape_bad_count", "Reshape", (4, 6), target_shape=[5, 5])
one_layer("reshape_bad_multiple", "Reshape", (4, 6), target_shape=[5, -1])
one_layer("reshape_two_unknown", "Reshape", (4, 6), target_shape=[-1, -1])
one_layer("permute_not_perm", "Permute", (2, 3, 4), dims=[1, 1, 2])
one_layer("permute_bad_rank", "Permute", (2, 3, 4), dims=[2, 1])
one_layer("crop_negative", "Cropping2D", (4, 4, 3), cropping=[[-1, 0], [0, 0]])
one_layer("crop_too_much", "Cropping2D", (4, 4, 3), cropping=[[2, 2], [0, 0]])
one_layer("up_bicubic", "UpSampling2D", (4, 4, 3), size=[2, 2], interpolation="bicubic")
one_layer("pad_bad_type", "ZeroPadding2D", (4, 4, 3), padding="one")
one_layer("repeat_bad_rank", "RepeatVector", (4, 3), n=2)
