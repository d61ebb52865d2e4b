"""Writes normalizations along a channel axis: BatchNormalization on axis 1
of a rank-4 input (channels_first), checked against numpy's
(x - mean) / sqrt(var + eps) * gamma + beta per channel; and
GroupNormalization models (Keras 3 .keras, channels last; Keras 2
.h5, channels on axis 1 without beta) and numpy references computed as
group normalization is defined (Wu and He 2018; Keras's
GroupNormalization.call): per sample, per group of channels, mean and
variance over the group's channels and every other non-batch axis, then
(x - mean) / sqrt(var + epsilon) * gamma + beta per channel.

  make_channel_norms.py DIR
"""

import sys

import numpy as np

from keras2_h5 import sequential, write_h5, write_keras3

d = sys.argv[1]
rng = np.random.default_rng(23)


def group_norm(x, groups, axis, eps, gamma=None, beta=None):
    x = np.moveaxis(x.astype(np.float64), axis, -1)
    n, c = x.shape[0], x.shape[-1]
    y = np.empty_like(x)
    for i in range(n):
        for g in range(groups):
            sl = slice(g * c // groups, (g + 1) * c // groups)
            v = x[i, ..., sl]
            y[i, ..., sl] = (v - v.mean()) / np.sqrt(v.var() + eps)
    if gamma is not None:
        y = y * gamma
    if beta is not None:
        y = y + beta
    return np.moveaxis(y, -1, axis)


# Keras 3: (N, 4, 5, 8), 4 groups of 2 channels, gamma and beta.
x = rng.standard_normal((3, 4, 5, 8)).astype("f4") * 2 + 1
g = rng.standard_normal(8).astype("f4")
b = rng.standard_normal(8).astype("f4")
np.save(f"{d}/x4.npy", x)
write_keras3(f"{d}/gn.keras", sequential([
    {"class_name": "InputLayer", "config": {"name": "input_layer", "batch_shape": [None, 4, 5, 8]}},
    {"class_name": "GroupNormalization", "config": {"name": "gn", "groups": 4, "axis": -1,
                                                    "epsilon": 0.001, "center": True,
                                                    "scale": True}}]),
    [("group_normalization", [g, b])])
np.save(f"{d}/gn.ref.npy", group_norm(x, 4, -1, 1e-3, g, b).astype("f4"))

# Keras 2 (.h5, tf.keras 2.13): channels on axis 1 of (N, 6, 5), 3 groups,
# no beta (center=False), epsilon 1e-5; groups=1 is LayerNormalization over
# all axes.
x3 = rng.standard_normal((4, 6, 5)).astype("f4")
g3 = rng.standard_normal(6).astype("f4")
np.save(f"{d}/x3.npy", x3)
write_h5(f"{d}/gn_axis1.h5", sequential([
    {"class_name": "GroupNormalization", "config": {"name": "gn", "groups": 3, "axis": 1,
                                                    "epsilon": 1e-5, "center": False,
                                                    "scale": True,
                                                    "batch_input_shape": [None, 6, 5]}},
    {"class_name": "GroupNormalization", "config": {"name": "one", "groups": 1, "axis": -1,
                                                    "center": False, "scale": False}}]),
    {"gn": [("gn/gamma:0", g3)], "one": []})
h = group_norm(x3, 3, 1, 1e-5, g3)
np.save(f"{d}/gn_axis1.ref.npy", group_norm(h, 1, -1, 1e-3).astype("f4"))

# BatchNormalization on axis 1 of (N, 3, 4, 5) (channels_first), Keras 2.
xb = rng.standard_normal((2, 3, 4, 5)).astype("f4")
bn = [rng.standard_normal(3).astype("f4") for _ in range(2)] + \
     [rng.standard_normal(3).astype("f4"), rng.random(3).astype("f4") + 0.5]
np.save(f"{d}/xb.npy", xb)
write_h5(f"{d}/bn_axis1.h5", sequential([
    {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": 1, "epsilon": 0.001,
                                                    "center": True, "scale": True,
                                                    "batch_input_shape": [None, 3, 4, 5]}}]),
    {"bn": [("bn/gamma:0", bn[0]), ("bn/beta:0", bn[1]),
            ("bn/moving_mean:0", bn[2]), ("bn/moving_variance:0", bn[3])]})
gamma, beta, mean, var = (v.astype(np.float64).reshape(1, 3, 1, 1) for v in bn)
np.save(f"{d}/bn_axis1.ref.npy",
        ((xb - mean) / np.sqrt(var + 1e-3) * gamma + beta).astype("f4"))

# groups=-1: one group per channel (Keras's instance normalization).
write_h5(f"{d}/gn_instance.h5", sequential([
    {"class_name": "GroupNormalization", "config": {"name": "gn", "groups": -1, "axis": -1,
                                                    "center": False, "scale": False,
                                                    "batch_input_shape": [None, 6, 5]}}]),
    {"gn": []})
xi = rng.standard_normal((3, 6, 5)).astype("f4")
np.save(f"{d}/xi.npy", xi)
np.save(f"{d}/gn_instance.ref.npy", group_norm(xi, 5, -1, 1e-3).astype("f4"))

# UnitNormalization over the last axis and over axes [1, 2]: x * rsqrt(
# max(sum(x^2), 1e-12)) (tf.math.l2_normalize); a zero row stays zero.
xu = rng.standard_normal((4, 3, 5)).astype("f4")
xu[0, 1] = 0
np.save(f"{d}/xu.npy", xu)
write_keras3(f"{d}/unit.keras", {"class_name": "Functional", "config": {
    "name": "f", "layers": [
        {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_shape": [None, 3, 5]},
         "inbound_nodes": []},
        {"class_name": "UnitNormalization", "name": "last", "config": {"name": "last", "axis": -1},
         "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
             "keras_history": ["x", 0, 0]}}], "kwargs": {}}]},
        {"class_name": "UnitNormalization", "name": "both", "config": {"name": "both", "axis": [1, 2]},
         "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
             "keras_history": ["x", 0, 0]}}], "kwargs": {}}]}],
    "input_layers": [["x", 0, 0]], "output_layers": [["last", 0, 0], ["both", 0, 0]]}}, [])
x64 = xu.astype(np.float64)
for name, axes in [("last", (2,)), ("both", (1, 2))]:
    s = (x64 * x64).sum(axis=axes, keepdims=True)
    np.save(f"{d}/unit_{name}.ref.npy", (x64 / np.sqrt(np.maximum(s, 1e-12))).astype("f4"))
write_h5(f"{d}/unit_batch_axis.h5", sequential([
    {"class_name": "UnitNormalization", "config": {"name": "u", "axis": 0,
                                                   "batch_input_shape": [None, 5]}}]),
    {"u": []})

# Broken: 3 groups of 8 channels; a gamma of 7 values.
write_h5(f"{d}/gn_bad_groups.h5", sequential([
    {"class_name": "GroupNormalization", "config": {"name": "gn", "groups": 3,
                                                    "batch_input_shape": [None, 8]}}]),
    {"gn": [("gn/gamma:0", g), ("gn/beta:0", b)]})
write_h5(f"{d}/gn_bad_gamma.h5", sequential([
    {"class_name": "GroupNormalization", "config": {"name": "gn", "groups": 2,
                                                    "batch_input_shape": [None, 8]}}]),
    {"gn": [("gn/gamma:0", g[:7]), ("gn/beta:0", b)]})
