#!/usr/bin/python3
"""Writes small Keras-layout .h5 files with h5py, and numpy references.

  make_h5.py DIR

Each file reproduces a layout Keras really writes (see the comments), with
weights drawn here; DIR/<name>.in.npy and DIR/<name>.ref.npy are an input and
the output numpy computes for it, independently of predict.
"""

import json
import sys

import h5py
import numpy as np

d = sys.argv[1]
rng = np.random.default_rng(7)


def w(*shape):
    return rng.standard_normal(shape).astype(np.float32) * 0.5


def write(path, config, weights, keras_version, as_bytes):
    """weights: {layer: [(weight_name, array), ...]} in Keras's order."""
    enc = (lambda s: np.bytes_(s)) if as_bytes else (lambda s: s)
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = enc(keras_version)
        f.attrs["backend"] = enc("tensorflow")
        f.attrs["model_config"] = enc(json.dumps(config))
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = [enc(n) for n in weights]
        for layer, ws in weights.items():
            g = mw.create_group(layer)
            g.attrs["weight_names"] = [enc(n) for n, _ in ws]
            for n, a in ws:
                g.create_dataset(n, data=a)


def leaky(x, a):
    return np.where(x > 0, x, a * x)


# Keras <= 2.2: the config is a bare list, the first layer carries
# batch_input_shape, attributes are bytes; dense_10 sorts before dense_2 in
# group listings, so only weight_names and the config give the order.
k1, b1, k2, b2 = w(5, 4), w(4), w(4, 3), w(3)
write(f"{d}/seq_k2.h5",
      {"class_name": "Sequential", "config": [
          {"class_name": "Dense", "config": {"name": "dense_2", "units": 4, "activation": "linear",
                                             "use_bias": True, "batch_input_shape": [None, 5]}},
          {"class_name": "LeakyReLU", "config": {"name": "leaky", "alpha": 0.1}},
          {"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.5}},
          {"class_name": "Dense", "config": {"name": "dense_10", "units": 3, "activation": "tanh",
                                             "use_bias": True}}]},
      {"dense_2": [("dense_2/kernel:0", k1), ("dense_2/bias:0", b1)],
       "leaky": [], "dropout": [],
       "dense_10": [("dense_10/kernel:0", k2), ("dense_10/bias:0", b2)]},
      "2.2.2", True)
x = rng.standard_normal((6, 5)).astype(np.float32)
np.save(f"{d}/seq_k2.in.npy", x)
np.save(f"{d}/seq_k2.ref.npy", np.tanh(leaky(x @ k1 + b1, 0.1) @ k2 + b2))

# Keras 3 Functional: two inputs, inbound nodes as keras tensors, weight
# names prefixed by the model, BatchNormalization without beta (center
# False), LeakyReLU's negative_slope, Add and Concatenate, Softmax.


def kt(name):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": [None, 4], "dtype": "float32", "keras_history": [name, 0, 0]}}


ka, kb, kc = w(3, 4), w(2, 4), w(8, 2)
gamma, mean, var = w(4) + 1.0, w(4), np.abs(w(4)) + 0.5
layers = [
    {"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_shape": [None, 3]}, "inbound_nodes": []},
    {"class_name": "InputLayer", "name": "b", "config": {"name": "b", "batch_shape": [None, 2]}, "inbound_nodes": []},
    {"class_name": "Dense", "name": "da", "config": {"name": "da", "units": 4, "activation": "relu", "use_bias": False},
     "inbound_nodes": [{"args": [kt("a")], "kwargs": {}}]},
    {"class_name": "Dense", "name": "db", "config": {"name": "db", "units": 4, "activation": "linear", "use_bias": False},
     "inbound_nodes": [{"args": [kt("b")], "kwargs": {}}]},
    {"class_name": "BatchNormalization", "name": "bn",
     "config": {"name": "bn", "axis": [-1], "epsilon": 0.01, "center": False, "scale": True},
     "inbound_nodes": [{"args": [kt("db")], "kwargs": {}}]},
    {"class_name": "LeakyReLU", "name": "lr", "config": {"name": "lr", "negative_slope": 0.25},
     "inbound_nodes": [{"args": [kt("bn")], "kwargs": {}}]},
    {"class_name": "Add", "name": "add", "config": {"name": "add"},
     "inbound_nodes": [{"args": [[kt("da"), kt("lr")]], "kwargs": {}}]},
    {"class_name": "Concatenate", "name": "cat", "config": {"name": "cat", "axis": -1},
     "inbound_nodes": [{"args": [[kt("add"), kt("da")]], "kwargs": {}}]},
    {"class_name": "Dense", "name": "out", "config": {"name": "out", "units": 2, "activation": "linear", "use_bias": False},
     "inbound_nodes": [{"args": [kt("cat")], "kwargs": {}}]},
    {"class_name": "Softmax", "name": "sm", "config": {"name": "sm", "axis": -1},
     "inbound_nodes": [{"args": [kt("out")], "kwargs": {}}]},
]
write(f"{d}/func_k3.h5",
      {"class_name": "Functional", "config": {"name": "functional", "layers": layers,
                                              "input_layers": [["a", 0, 0], ["b", 0, 0]],
                                              "output_layers": [["sm", 0, 0]]}},
      {"a": [], "b": [], "da": [("functional/da/kernel", ka)], "db": [("functional/db/kernel", kb)],
       "bn": [("functional/bn/gamma", gamma), ("functional/bn/moving_mean", mean),
              ("functional/bn/moving_variance", var)],
       "lr": [], "add": [], "cat": [], "out": [("functional/out/kernel", kc)], "sm": []},
      "3.8.0", False)
xa = rng.standard_normal((5, 3)).astype(np.float32)
xb = rng.standard_normal((5, 2)).astype(np.float32)
np.save(f"{d}/func_k3.a.npy", xa)
np.save(f"{d}/func_k3.b.npy", xb)
da = np.maximum(xa @ ka, 0)
lr = leaky(gamma * (xb @ kb - mean) / np.sqrt(var + 0.01), 0.25)
z = np.concatenate([da + lr, da], axis=1) @ kc
e = np.exp(z - z.max(axis=1, keepdims=True))
np.save(f"{d}/func_k3.ref.npy", e / e.sum(axis=1, keepdims=True))

# Broken files.
seq = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "Dense", "config": {"name": "d1", "units": 4, "activation": "relu",
                                       "batch_input_shape": [None, 5]}},
    {"class_name": "Dense", "config": {"name": "d2", "units": 2}}]}}
write(f"{d}/missing_weights.h5", seq, {"d1": [("d1/kernel:0", w(5, 4)), ("d1/bias:0", w(4))]}, "2.13.1", False)
write(f"{d}/bad_shape.h5", seq, {"d1": [("d1/kernel:0", w(5, 4)), ("d1/bias:0", w(4))],
                                  "d2": [("d2/kernel:0", w(3, 2)), ("d2/bias:0", w(2))]}, "2.13.1", False)
with h5py.File(f"{d}/no_config.h5", "w") as f:
    f.create_group("model_weights")
with open(f"{d}/seq_k2.h5", "rb") as f:
    data = f.read()
with open(f"{d}/truncated.h5", "wb") as f:
    f.write(data[: len(data) // 3])
with open(f"{d}/not_hdf5.h5", "w") as f:
    f.write("model = tf.keras.Sequential()\n")

# Keras 3 layouts: a .keras archive (config.json + model.weights.h5 whose
# groups are named by class and counter, vars 0..10 in numeric order), and a
# .weights.h5 with its JSON. A Dense with 11 units... and 12 vars would be
# odd; the numeric order is exercised by a BatchNormalization (4 vars) and
# names that sort differently as text.
import zipfile

k3a, k3b = w(3, 4), w(4, 2)
g3, b3, m3, v3 = w(4) + 1, w(4), w(4), np.abs(w(4)) + 0.5
cfg3 = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
    {"class_name": "InputLayer", "config": {"name": "input_layer", "batch_shape": [None, 3]}},
    {"class_name": "Dense", "config": {"name": "first", "units": 4, "activation": "linear", "use_bias": False}},
    {"class_name": "BatchNormalization", "config": {"name": "norm", "axis": -1, "epsilon": 0.001,
                                                    "center": True, "scale": True}},
    {"class_name": "Activation", "config": {"name": "act", "activation": "silu"}},
    {"class_name": "Dense", "config": {"name": "second", "units": 2, "activation": "sigmoid", "use_bias": False}}]}}


def keras3_weights(path, named):
    with h5py.File(path, "w") as f:
        layers = f.create_group("layers")
        # Named by class and counter (dense, dense_1, batch_normalization)
        # unless `named`, where the vars group carries the config's name.
        for group, name, arrays in [("dense", "first", [k3a]),
                                    ("batch_normalization", "norm", [g3, b3, m3, v3]),
                                    ("dense_1", "second", [k3b])]:
            vars_ = layers.create_group(group).create_group("vars")
            if named:
                vars_.attrs["name"] = name
            for i, a in enumerate(arrays):
                vars_.create_dataset(str(i), data=a)


keras3_weights(f"{d}/k3.weights.h5", named=True)
with open(f"{d}/k3.json", "w") as f:
    json.dump(cfg3, f)
keras3_weights(f"{d}/unnamed.weights.h5", named=False)
with zipfile.ZipFile(f"{d}/k3.keras", "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.8.0"}))
    z.writestr("config.json", json.dumps(cfg3))
    z.write(f"{d}/unnamed.weights.h5", "model.weights.h5")
x3 = rng.standard_normal((4, 3)).astype(np.float32)
np.save(f"{d}/k3.in.npy", x3)
h = x3 @ k3a
h = g3 * (h - m3) / np.sqrt(v3 + 0.001) + b3
h = h / (1 + np.exp(-h))
np.save(f"{d}/k3.ref.npy", 1 / (1 + np.exp(-(h @ k3b))))
with zipfile.ZipFile(f"{d}/noweights.keras", "w") as z:
    z.writestr("config.json", json.dumps(cfg3))
# A subclassed model's archive: its config is get_config(), no layers.
with zipfile.ZipFile(f"{d}/subclassed.keras", "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.8.0"}))
    z.writestr("config.json", json.dumps({
        "module": None, "class_name": "MyModel", "registered_name": "MyModel",
        "config": {"name": "my_model", "trainable": True},
        "build_config": {"input_shape": [None, 3]}}))
    z.write(f"{d}/unnamed.weights.h5", "model.weights.h5")
with open(f"{d}/notzip.keras", "w") as f:
    f.write("not a zip file")
with open(f"{d}/weights_only.weights.h5", "wb") as f:
    f.write(open(f"{d}/k3.weights.h5", "rb").read())

# Keras 2 Functional (inbound nodes as lists), a Normalization layer (mean,
# variance, count), a ReLU layer, and two outputs.
mean5, var5 = w(1, 4), np.abs(w(1, 4)) + 0.5
kn = w(4, 3)
layers2 = [
    {"class_name": "InputLayer", "name": "inp", "config": {"name": "inp", "batch_input_shape": [None, 4]},
     "inbound_nodes": []},
    {"class_name": "Normalization", "name": "normalization", "config": {"name": "normalization", "axis": -1},
     "inbound_nodes": [[["inp", 0, 0, {}]]]},
    {"class_name": "Dense", "name": "dense", "config": {"name": "dense", "units": 3, "activation": "linear",
                                                       "use_bias": False},
     "inbound_nodes": [[["normalization", 0, 0, {}]]]},
    {"class_name": "ReLU", "name": "re_lu", "config": {"name": "re_lu", "max_value": None,
                                                       "negative_slope": 0.0, "threshold": 0.0},
     "inbound_nodes": [[["dense", 0, 0, {}]]]},
]
write(f"{d}/func_k2.h5",
      {"class_name": "Model", "config": {"name": "model", "layers": layers2,
                                         "input_layers": [["inp", 0, 0]],
                                         "output_layers": [["re_lu", 0, 0], ["normalization", 0, 0]]}},
      {"inp": [], "normalization": [("normalization/mean:0", mean5), ("normalization/variance:0", var5),
                                    ("normalization/count:0", np.array(10, np.int64))],
       "dense": [("dense/kernel:0", kn)], "re_lu": []},
      "2.9.0", True)
x5 = rng.standard_normal((3, 4)).astype(np.float32)
np.save(f"{d}/func_k2.in.npy", x5)
nrm = (x5 - mean5) / np.maximum(np.sqrt(var5), 1e-7)
np.save(f"{d}/func_k2.ref0.npy", np.maximum(nrm @ kn, 0))
np.save(f"{d}/func_k2.ref1.npy", nrm)

# Configs that do not hang together.
write(f"{d}/no_layers.h5", {"class_name": "Sequential", "config": {"name": "s", "layers": []}}, {}, "2.13.1", False)
write(f"{d}/bad_output.h5",
      {"class_name": "Functional", "config": {"name": "f", "layers": layers2[:1],
                                              "input_layers": [["inp", 0, 0]],
                                              "output_layers": [["nowhere", 0, 0]]}},
      {"inp": []}, "2.13.1", False)
write(f"{d}/bad_activation.h5",
      {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "Dense", "config": {"name": "d1", "units": 4, "activation": "softmax2",
                                             "batch_input_shape": [None, 5]}}]}},
      {"d1": [("d1/kernel:0", w(5, 4)), ("d1/bias:0", w(4))]}, "2.13.1", False)
with h5py.File(f"{d}/bad_json.h5", "w") as f:
    f.attrs["model_config"] = "{not json"
