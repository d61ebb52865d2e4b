#!/usr/bin/python3
"""Writes Keras files of the pooling layers, and numpy references.

  make_pooling.py DIR

MaxPooling1D/2D, AveragePooling1D/2D (pool sizes, strides, valid and same
padding, channels_last and channels_first) and GlobalMax/AveragePooling1D/2D
(keepdims), in Keras 2's .h5 layout (Functional models with one output per
option) and Keras 3's .keras archive. The references are direct loop nests
over the output positions and the window, with TensorFlow's padding rule
written out here (out = ceil(n / s) for same, floor((n - k) / s) + 1 for
valid; same pads max((out - 1) s + k - n, 0), the smaller half before; max
ignores padded positions, the average divides by the positions inside the
input), never another library's pooling.
"""

import json
import sys
import zipfile

import h5py
import numpy as np

from keras2_h5 import functional, inp, layer, sequential, write_h5

d = sys.argv[1]
rng = np.random.default_rng(17)


def plan(n, k, s, same):
    """Output size and padding before along one axis."""
    if same:
        out = -(-n // s)
        return out, max((out - 1) * s + k - n, 0) // 2
    return (n - k) // s + 1, 0


def pool(x, kind, k, s, same, channels_first=False):
    """Pooling over the spatial axes of x (N, spatial..., C), written as a
    loop over output positions and window offsets."""
    x = x.astype(np.float64)
    if channels_first:  # (N, C, spatial...) -> (N, spatial..., C)
        x = np.moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    plans = [plan(n, kk, ss, same) for n, kk, ss in zip(spatial, k, s)]
    out_shape = [p[0] for p in plans]
    y = np.zeros((x.shape[0], *out_shape, x.shape[-1]))
    for o in np.ndindex(*out_shape):
        best = np.full((x.shape[0], x.shape[-1]), -np.inf)
        total = np.zeros((x.shape[0], x.shape[-1]))
        count = 0
        for w in np.ndindex(*k):
            pos = [oi * si - p[1] + wi for oi, si, p, wi in zip(o, s, plans, w)]
            if all(0 <= q < n for q, n in zip(pos, spatial)):
                v = x[(slice(None), *pos, slice(None))]
                best = np.maximum(best, v)
                total = total + v
                count += 1
        y[(slice(None), *o, slice(None))] = best if kind == "max" else total / count
    if channels_first:
        y = np.moveaxis(y, -1, 1)
    return y


def global_pool(x, kind, keepdims=False, channels_first=False):
    """The max or mean over every spatial position, as a loop over them."""
    x = x.astype(np.float64)
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    acc = np.full((x.shape[0], x.shape[-1]), -np.inf if kind == "max" else 0.0)
    for p in np.ndindex(*spatial):
        v = x[(slice(None), *p, slice(None))]
        acc = np.maximum(acc, v) if kind == "max" else acc + v
    if kind == "avg":
        acc = acc / int(np.prod(spatial))
    if keepdims:
        shape = [x.shape[0]] + [1] * len(spatial) + [x.shape[-1]]
        if channels_first:
            shape = [x.shape[0], x.shape[-1]] + [1] * len(spatial)
        acc = acc.reshape(shape)
    return acc




def branches(path, shape, cases, batches):
    """One Functional model: input `x` of `shape`, one output per case
    (name, class, config, reference function); inputs of each batch size
    with their references, DIR/<path>.<n>.in.npy and .<name>.<n>.ref.npy."""
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


# 2-D, input (7, 9, 4): odd sizes (valid drops the remainder), asymmetric
# same padding (pool 4, stride 3 on 7: 3 positions padded, 1 before and 2
# after), channels_first reading the same input as C=7 of 9 x 4.
branches("pool2d", (7, 9, 4), [
    ("max_v", "MaxPooling2D", dict(pool_size=[2, 2], strides=None, padding="valid",
                                   data_format="channels_last"),
     lambda x: pool(x, "max", (2, 2), (2, 2), False)),
    ("max_s", "MaxPooling2D", dict(pool_size=[3, 2], strides=[2, 1], padding="same",
                                   data_format="channels_last"),
     lambda x: pool(x, "max", (3, 2), (2, 1), True)),
    ("avg_v", "AveragePooling2D", dict(pool_size=[3, 3], strides=[2, 2], padding="valid",
                                       data_format="channels_last"),
     lambda x: pool(x, "avg", (3, 3), (2, 2), False)),
    ("avg_s", "AveragePooling2D", dict(pool_size=[4, 4], strides=[3, 2], padding="same",
                                       data_format="channels_last"),
     lambda x: pool(x, "avg", (4, 4), (3, 2), True)),
    ("max_cf", "MaxPooling2D", dict(pool_size=[2, 2], strides=None, padding="valid",
                                    data_format="channels_first"),
     lambda x: pool(x, "max", (2, 2), (2, 2), False, True)),
    ("avg_cf_s", "AveragePooling2D", dict(pool_size=[2, 3], strides=[1, 2], padding="same",
                                          data_format="channels_first"),
     lambda x: pool(x, "avg", (2, 3), (1, 2), True, True)),
    ("gmax", "GlobalMaxPooling2D", dict(data_format="channels_last"),
     lambda x: global_pool(x, "max")),
    ("gavg_keep", "GlobalAveragePooling2D", dict(data_format="channels_last", keepdims=True),
     lambda x: global_pool(x, "avg", keepdims=True)),
    ("gavg_cf", "GlobalAveragePooling2D", dict(data_format="channels_first"),
     lambda x: global_pool(x, "avg", channels_first=True)),
    ("gmax_cf_keep", "GlobalMaxPooling2D", dict(data_format="channels_first", keepdims=True),
     lambda x: global_pool(x, "max", keepdims=True, channels_first=True)),
], [0, 1, 3, 17])

# 1-D, input (10, 4).
branches("pool1d", (10, 4), [
    ("max_s", "MaxPooling1D", dict(pool_size=[3], strides=[2], padding="same",
                                   data_format="channels_last"),
     lambda x: pool(x, "max", (3,), (2,), True)),
    ("avg_v", "AveragePooling1D", dict(pool_size=[2], strides=None, padding="valid"),
     lambda x: pool(x, "avg", (2,), (2,), False)),
    ("avg_s", "AveragePooling1D", dict(pool_size=4, strides=3, padding="same"),
     lambda x: pool(x, "avg", (4,), (3,), True)),
    ("avg_cf", "AveragePooling1D", dict(pool_size=3, strides=1, padding="same",
                                        data_format="channels_first"),
     lambda x: pool(x, "avg", (3,), (1,), True, True)),
    ("max_cf", "MaxPooling1D", dict(pool_size=2, strides=None, padding="valid",
                                    data_format="channels_first"),
     lambda x: pool(x, "max", (2,), (2,), False, True)),
    ("gmax", "GlobalMaxPooling1D", dict(data_format="channels_last"),
     lambda x: global_pool(x, "max")),
    ("gavg_keep", "GlobalAveragePooling1D", dict(keepdims=True),
     lambda x: global_pool(x, "avg", keepdims=True)),
    ("gmax_cf", "GlobalMaxPooling1D", dict(data_format="channels_first"),
     lambda x: global_pool(x, "max", channels_first=True)),
], [0, 3])

# A window larger than the input with valid padding: Keras's
# floor((1 - 2) / 2) + 1 = 0 positions, an empty output.
branches("pool_empty", (1, 3, 2), [
    ("max_empty", "MaxPooling2D", dict(pool_size=[2, 2], strides=[2, 2], padding="valid"),
     lambda x: pool(x, "max", (2, 2), (2, 2), False)),
], [3])

# A static batch: batch_input_shape [3, 6, 6, 2].
write_h5(f"{d}/pool_static.h5", sequential([
    {"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 2],
                                              "strides": [2, 2], "padding": "valid",
                                              "batch_input_shape": [3, 6, 6, 2]}},
    {"class_name": "GlobalAveragePooling2D", "config": {"name": "g"}}]),
    {"p": [], "g": []})
xs = rng.standard_normal((3, 6, 6, 2)).astype(np.float32)
np.save(f"{d}/pool_static.in.npy", xs)
np.save(f"{d}/pool_static.ref.npy",
        global_pool(pool(xs, "max", (2, 2), (2, 2), False), "avg").astype(np.float32))

# Keras 3 .keras: MaxPooling2D, AveragePooling2D (same), MaxPooling1D after
# a Reshape-free chain is not possible, so a 2-D chain ending in
# GlobalMaxPooling2D.
cfg3 = sequential([
    {"module": "keras.layers", "class_name": "InputLayer",
     "config": {"name": "input_layer", "batch_shape": [None, 8, 8, 2], "dtype": "float32"}},
    {"module": "keras.layers", "class_name": "MaxPooling2D",
     "config": {"name": "max_pooling2d", "pool_size": [2, 2], "strides": [2, 2],
                "padding": "valid", "data_format": "channels_last", "trainable": True}},
    {"module": "keras.layers", "class_name": "AveragePooling2D",
     "config": {"name": "average_pooling2d", "pool_size": [3, 3], "strides": [1, 1],
                "padding": "same", "data_format": "channels_last", "trainable": True}},
    {"module": "keras.layers", "class_name": "GlobalMaxPooling2D",
     "config": {"name": "global_max_pooling2d", "data_format": "channels_last",
                "keepdims": False, "trainable": True}}])


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


keras3_archive(f"{d}/pool_k3.keras", cfg3,
               ["max_pooling2d", "average_pooling2d", "global_max_pooling2d"])
x3 = rng.standard_normal((5, 8, 8, 2)).astype(np.float32)
np.save(f"{d}/pool_k3.in.npy", x3)
h = pool(x3, "max", (2, 2), (2, 2), False)
h = pool(h, "avg", (3, 3), (1, 1), True)
np.save(f"{d}/pool_k3.ref.npy", global_pool(h, "max").astype(np.float32))


# Broken files.
def one_layer(path, cls, shape, **config):
    write_h5(f"{d}/{path}.h5", sequential([
        {"class_name": cls, "config": dict(name="p", batch_input_shape=[None, *shape],
                                           **config)}]), {"p": []})


# A window of 3 with stride 1 on a 1 x 1 input: Keras refuses (negative size).
one_layer("pool_too_big", "MaxPooling2D", (1, 1, 3), pool_size=[3, 3], strides=[1, 1],
          padding="valid")
one_layer("pool_bad_padding", "MaxPooling2D", (4, 4, 3), pool_size=[2, 2], padding="full")
one_layer("pool_zero_size", "AveragePooling1D", (4, 3), pool_size=0)
one_layer("pool_bad_format", "MaxPooling2D", (4, 4, 3), data_format="channels_middle")
one_layer("pool_bad_rank", "MaxPooling2D", (4, 3), pool_size=[2, 2])
one_layer("pool_bad_size", "MaxPooling2D", (4, 4, 3), pool_size=[2, 2, 2])

# Keras 1 (keras_version 1.x) names the fields otherwise: border_mode,
# dim_ordering "th" (channels_first), MaxPooling1D's pool_length and stride;
# Keras 2 renamed them when loading such a file.
write_h5(f"{d}/pool_keras1.h5", sequential([
    {"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 2], "strides": None,
                                              "border_mode": "same", "dim_ordering": "th",
                                              "batch_input_shape": [None, 3, 5, 6],
                                              "input_dtype": "float32"}},
    {"class_name": "Reshape", "config": {"name": "r", "dims": [9, 3]}},
    {"class_name": "AveragePooling1D", "config": {"name": "a", "pool_length": 3, "stride": 2,
                                                  "border_mode": "valid"}}]),
    {"p": [], "r": [], "a": []}, keras_version="1.2.2")
x1 = rng.standard_normal((2, 3, 5, 6)).astype(np.float32)
np.save(f"{d}/pool_keras1.in.npy", x1)
h = pool(x1, "max", (2, 2), (2, 2), True, True)   # 2 x 3 x 3 x 3
h = pool(h.reshape(2, 9, 3), "avg", (3,), (2,), False)
np.save(f"{d}/pool_keras1.ref.npy", h.astype(np.float32))
