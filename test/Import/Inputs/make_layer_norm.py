#!/usr/bin/python3
"""Writes Keras files holding LayerNormalization layers, and numpy references.

  make_layer_norm.py DIR

Keras 2's legacy .h5 (weights found by name, `ln/gamma:0`) and Keras 3's
.keras archive (weights found by position in /layers/<class>_<n>/vars, gamma
before beta as LayerNormalization.build creates them), with weights drawn
here; DIR/<name>.in.npy and DIR/<name>.ref.npy are an input and the output
numpy computes for it (var = mean((x - mean)**2)), independently of predict.
"""

import json
import sys
import zipfile

import h5py
import numpy as np

from keras2_h5 import sequential, write_h5

d = sys.argv[1]
rng = np.random.default_rng(15)


def w(*shape):
    return rng.standard_normal(shape).astype(np.float32) * 0.5


def layer_norm(x, axes, eps, gamma=None, beta=None):
    x = x.astype(np.float64)
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    kept = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
    if gamma is not None:
        y = y * gamma.reshape(kept)
    if beta is not None:
        y = y + beta.reshape(kept)
    return y


# Keras 2 .h5: Dense, LayerNormalization(epsilon=1e-5) with gamma and beta,
# LayerNormalization(scale=False) with beta only, Dense. epsilon is written
# as Keras writes it (json.dumps(1e-05) is "1e-05") and must reach the IR
# exactly.
k1, b1, k2 = w(5, 6), w(6), w(6, 3)
g1, be1, be2 = w(6) + 1.0, w(6), w(6)
write_h5(f"{d}/ln_k2.h5", sequential([
    {"class_name": "Dense", "config": {"name": "dense", "units": 6, "activation": "linear",
                                       "use_bias": True, "batch_input_shape": [None, 5]}},
    {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": -1, "epsilon": 1e-05,
                                                    "center": True, "scale": True}},
    {"class_name": "LayerNormalization", "config": {"name": "ln_noscale", "axis": [1],
                                                    "epsilon": 0.001, "center": True,
                                                    "scale": False}},
    {"class_name": "Dense", "config": {"name": "out", "units": 3, "activation": "linear",
                                       "use_bias": False}}]),
    {"dense": [("dense/kernel:0", k1), ("dense/bias:0", b1)],
     "ln": [("ln/gamma:0", g1), ("ln/beta:0", be1)],
     "ln_noscale": [("ln_noscale/beta:0", be2)],
     "out": [("out/kernel:0", k2)]})
x = rng.standard_normal((7, 5)).astype(np.float32)
np.save(f"{d}/ln_k2.in.npy", x)
h = layer_norm(x @ k1 + b1, (1,), 1e-5, g1, be1)
h = layer_norm(h, (1,), 1e-3, None, be2)
np.save(f"{d}/ln_k2.ref.npy", (h @ k2).astype(np.float32))

# Keras 3 .keras: a rank-3 input, LayerNormalization over axes [1, 2]
# (gamma and beta of shape 3x4), over [-1] with center=False (gamma only),
# with center=False and scale=False (no weights, an empty vars group),
# then Flatten and Dense. Groups are named by class and counter.
gm, bm, gc = w(3, 4) + 1.0, w(3, 4), w(4) + 1.0
k3 = w(12, 2)
cfg3 = sequential([
    {"class_name": "InputLayer", "config": {"name": "input_layer", "batch_shape": [None, 3, 4]}},
    {"class_name": "LayerNormalization", "config": {"name": "ln_multi", "axis": [1, 2],
                                                    "epsilon": 0.001, "center": True,
                                                    "scale": True, "rms_scaling": False}},
    {"class_name": "LayerNormalization", "config": {"name": "ln_nocenter", "axis": [-1],
                                                    "epsilon": 1e-05, "center": False,
                                                    "scale": True, "rms_scaling": False}},
    {"class_name": "LayerNormalization", "config": {"name": "ln_plain", "axis": [-1],
                                                    "epsilon": 0.01, "center": False,
                                                    "scale": False, "rms_scaling": False}},
    {"class_name": "Flatten", "config": {"name": "flatten"}},
    {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear",
                                       "use_bias": False}}])


def keras3_archive(path, groups):
    weights = f"{path}.weights.h5"
    with h5py.File(weights, "w") as f:
        layers = f.create_group("layers")
        for group, arrays in groups:
            vars_ = layers.create_group(group).create_group("vars")
            for i, a in enumerate(arrays):
                vars_.create_dataset(str(i), data=a)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.8.0"}))
        z.writestr("config.json", json.dumps(cfg3))
        z.write(weights, "model.weights.h5")


keras3_archive(f"{d}/ln_k3.keras", [
    ("layer_normalization", [gm, bm]), ("layer_normalization_1", [gc]),
    ("layer_normalization_2", []), ("flatten", []), ("dense", [k3])])
x3 = rng.standard_normal((4, 3, 4)).astype(np.float32)
np.save(f"{d}/ln_k3.in.npy", x3)
h = layer_norm(x3, (1, 2), 1e-3, gm, bm)
h = layer_norm(h, (2,), 1e-5, gc, None)
h = layer_norm(h, (2,), 1e-2)
np.save(f"{d}/ln_k3.ref.npy", (h.reshape(4, 12) @ k3).astype(np.float32))

# Broken files.
# axis 3 of a rank-2 input.
write_h5(f"{d}/ln_bad_axis.h5", sequential([
    {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": 3, "epsilon": 0.001,
                                                    "batch_input_shape": [None, 6]}}]),
    {"ln": [("ln/gamma:0", g1), ("ln/beta:0", be1)]})
# gamma missing from the file (beta only) while scale is True.
write_h5(f"{d}/ln_no_gamma.h5", sequential([
    {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": -1,
                                                    "batch_input_shape": [None, 6]}}]),
    {"ln": [("ln/beta:0", be1)]})
# A Keras 3 archive with one var where the layer creates two.
cfg3 = sequential([
    {"class_name": "InputLayer", "config": {"name": "input_layer", "batch_shape": [None, 6]}},
    {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": [-1]}}])
keras3_archive(f"{d}/ln_one_var.keras", [("layer_normalization", [g1])])
# gamma of the wrong size.
write_h5(f"{d}/ln_bad_gamma.h5", sequential([
    {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": -1,
                                                    "batch_input_shape": [None, 6]}}]),
    {"ln": [("ln/gamma:0", w(5)), ("ln/beta:0", be1)]})
# rms_scaling, which predict does not compute.
write_h5(f"{d}/ln_rms.h5", sequential([
    {"class_name": "LayerNormalization", "config": {"name": "ln", "rms_scaling": True,
                                                    "batch_input_shape": [None, 6]}}]),
    {"ln": [("ln/gamma:0", g1)]})
# A class predict does not compile (a Lambda holds Python bytecode), beside
# a LayerNormalization.
write_h5(f"{d}/ln_unsupported.h5", sequential([
    {"class_name": "LayerNormalization", "config": {"name": "ln", "batch_input_shape": [None, 6]}},
    {"class_name": "Lambda", "config": {"name": "unit", "function": ["4wEAAAAA", None, None], "function_type": "lambda"}}]),
    {"ln": [("ln/gamma:0", g1), ("ln/beta:0", be1)], "unit": []})
