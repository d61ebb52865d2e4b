#!/usr/bin/python3
"""Writes Keras .h5 files whose graphs or configs need a strict reader, and
numpy references.

  make_keras_graphs.py DIR

- shared layers (one layer called several times, Keras 2 and Keras 3 node
  forms, a later call taking from a layer listed after it);
- activations given as layer objects or as serialized functions;
- config fields of the wrong JSON type;
- layers the saved graph calls with training=True;
- a bias of the wrong size (a diagnostic at a layer), a config nested too
  deeply, a dataset that declares a huge shape.
DIR/<name>.ref.npy is what numpy computes, independently of predict.
"""

import json
import sys

import h5py
import numpy as np

d = sys.argv[1]
rng = np.random.default_rng(11)


def w(*shape):
    return (rng.standard_normal(shape) * 0.5).astype(np.float32)


def write(path, config, weights, version="2.13.1", prefix=""):
    """weights: {layer: [(weight_name, array), ...]} in Keras's order."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = version
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = config if isinstance(config, str) else json.dumps(config)
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = list(weights)
        for layer, ws in weights.items():
            g = mw.create_group(layer)
            g.attrs["weight_names"] = [f"{prefix}{layer}/{n}:0" for n, _ in ws]
            for n, a in ws:
                g.create_dataset(f"{prefix}{layer}/{n}:0", data=a)


def inp(name, width):
    return {"class_name": "InputLayer", "name": name,
            "config": {"name": name, "batch_input_shape": [None, width]}, "inbound_nodes": []}


def functional(layers, inputs, outputs):
    return {"class_name": "Functional", "config": {
        "name": "f", "layers": layers, "input_layers": inputs, "output_layers": outputs}}


def k2(*refs, kwargs=None):
    """A Keras 2 inbound node: [[name, node, tensor, kwargs], ...]."""
    return [[name, node, 0, kwargs or {}] for name, node in refs]


def kt(name, node):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": [None, 3], "dtype": "float32", "keras_history": [name, node, 0]}}


def relu(x):
    return np.maximum(x, 0)


a = rng.standard_normal((5, 3)).astype(np.float32)
b = rng.standard_normal((5, 3)).astype(np.float32)
c = rng.standard_normal((5, 3)).astype(np.float32)
np.save(f"{d}/a.npy", a)
np.save(f"{d}/b.npy", b)
np.save(f"{d}/c.npy", c)
A, B, C = (v.astype(np.float64) for v in (a, b, c))

# 1. Keras 2: a shared Dense called on three inputs (three nodes); a second
# shared layer ("post") whose call #1 takes a layer listed after it, so the
# calls are not in the config's order. Outputs: post(shared(a) +
# shared(b)) and post#1 of mix(shared(c)).
ks, bs = w(3, 3), w(3)
kp, bp = w(3, 2), w(2)
km, bm = w(3, 3), w(3)
layers = [inp("a", 3), inp("b", 3), inp("c", 3),
          {"class_name": "Dense", "name": "shared",
           "config": {"name": "shared", "units": 3, "activation": "relu", "use_bias": True},
           "inbound_nodes": [k2(("a", 0)), k2(("b", 0)), k2(("c", 0))]},
          {"class_name": "Dense", "name": "post",
           "config": {"name": "post", "units": 2, "activation": "tanh", "use_bias": True},
           "inbound_nodes": [k2(("add", 0)), k2(("mix", 0))]},
          {"class_name": "Add", "name": "add", "config": {"name": "add"},
           "inbound_nodes": [k2(("shared", 0), ("shared", 1))]},
          {"class_name": "Dense", "name": "mix",
           "config": {"name": "mix", "units": 3, "activation": "linear", "use_bias": True},
           "inbound_nodes": [k2(("shared", 2))]}]
write(f"{d}/shared_k2.h5", functional(layers, [["a", 0, 0], ["b", 0, 0], ["c", 0, 0]],
                                      [["post", 0, 0], ["post", 1, 0]]),
      {"a": [], "b": [], "c": [], "shared": [("kernel", ks), ("bias", bs)],
       "post": [("kernel", kp), ("bias", bp)], "add": [], "mix": [("kernel", km), ("bias", bm)]})


def shared(x):
    return relu(x @ ks + bs)


np.save(f"{d}/shared_k2.ref0.npy", np.tanh((shared(A) + shared(B)) @ kp + bp))
np.save(f"{d}/shared_k2.ref1.npy", np.tanh((shared(C) @ km + bm) @ kp + bp))

# 2. Keras 3: the same shared Dense in keras_history form; the output
# takes call #1 only.
layers3 = [dict(inp("a", 3), config={"name": "a", "batch_shape": [None, 3]}),
           dict(inp("b", 3), config={"name": "b", "batch_shape": [None, 3]}),
           {"class_name": "Dense", "name": "shared",
            "config": {"name": "shared", "units": 3, "activation": "relu", "use_bias": True},
            "inbound_nodes": [{"args": [kt("a", 0)], "kwargs": {}},
                              {"args": [kt("b", 0)], "kwargs": {}}]},
           {"class_name": "Concatenate", "name": "cat", "config": {"name": "cat", "axis": -1},
            "inbound_nodes": [{"args": [[kt("shared", 1), kt("shared", 0)]], "kwargs": {}}]}]
write(f"{d}/shared_k3.h5", functional(layers3, [["a", 0, 0], ["b", 0, 0]], [["cat", 0, 0]]),
      {"a": [], "b": [], "shared": [("kernel", ks), ("bias", bs)], "cat": []}, "3.8.0", "f/")
np.save(f"{d}/shared_k3.ref.npy", np.concatenate([shared(B), shared(A)], axis=1))

# References to calls that do not exist, and a cycle of calls.
bad = json.loads(json.dumps(layers))
bad[5]["inbound_nodes"] = [k2(("shared", 0), ("shared", 3))]
write(f"{d}/bad_node.h5", functional(bad, [["a", 0, 0], ["b", 0, 0], ["c", 0, 0]], [["post", 0, 0]]),
      {"shared": [("kernel", ks), ("bias", bs)], "post": [("kernel", kp), ("bias", bp)],
       "mix": [("kernel", km), ("bias", bm)]})
bad = json.loads(json.dumps(layers))
bad[5]["inbound_nodes"] = [[["shared", 0, 1, {}], ["shared", 1, 0, {}]]]
write(f"{d}/bad_tensor.h5", functional(bad, [["a", 0, 0], ["b", 0, 0], ["c", 0, 0]], [["post", 0, 0]]),
      {"shared": [("kernel", ks), ("bias", bs)], "post": [("kernel", kp), ("bias", bp)],
       "mix": [("kernel", km), ("bias", bm)]})
cyc = json.loads(json.dumps(layers))
cyc[6]["inbound_nodes"] = [k2(("post", 1))]  # mix takes post#1, which takes mix
write(f"{d}/cycle.h5", functional(cyc, [["a", 0, 0], ["b", 0, 0], ["c", 0, 0]], [["post", 0, 0]]),
      {"shared": [("kernel", ks), ("bias", bs)], "post": [("kernel", kp), ("bias", bp)],
       "mix": [("kernel", km), ("bias", bm)]})

# 3. Activations as objects: LeakyReLU (Keras 2's alpha), Softmax with an
# axis, a built-in function in Keras 3's dict form; custom function and
# PReLU (which has weights) are errors.
k1, b1, k2w, b2 = w(3, 4), w(4), w(4, 3), w(3)


def seq(layers):
    layers[0]["config"]["batch_input_shape"] = [None, 3]
    return {"class_name": "Sequential", "config": {"name": "s", "layers": layers}}


def dense(name, units, activation, **extra):
    return {"class_name": "Dense", "config": dict(
        {"name": name, "units": units, "activation": activation, "use_bias": True}, **extra)}


dw = {"d1": [("kernel", k1), ("bias", b1)], "d2": [("kernel", k2w), ("bias", b2)]}
leaky_obj = {"module": "keras.layers", "class_name": "LeakyReLU",
             "config": {"name": "leaky_re_lu", "trainable": True, "dtype": "float32", "alpha": 0.2},
             "registered_name": None}
softmax_obj = {"module": "keras.layers", "class_name": "Softmax", "config": {"name": "sm", "axis": -1}}
gelu_fn = {"module": "keras.activations", "class_name": "function", "config": "tanh",
           "registered_name": None}
write(f"{d}/act_objects.h5", seq([dense("d1", 4, leaky_obj), dense("d2", 3, softmax_obj)]), dw)
write(f"{d}/act_function.h5", seq([dense("d1", 4, gelu_fn), dense("d2", 3, "sigmoid")]), dw)
h = A @ k1 + b1
h = np.where(h > 0, h, 0.2 * h) @ k2w + b2
e = np.exp(h - h.max(axis=1, keepdims=True))
np.save(f"{d}/act_objects.ref.npy", e / e.sum(axis=1, keepdims=True))
np.save(f"{d}/act_function.ref.npy", 1 / (1 + np.exp(-(np.tanh(A @ k1 + b1) @ k2w + b2))))
custom = {"module": None, "class_name": "function", "config": "my_gelu", "registered_name": "my_gelu"}
write(f"{d}/act_custom.h5", seq([dense("d1", 4, custom), dense("d2", 3, "linear")]), dw)
prelu = {"module": "keras.layers", "class_name": "PReLU", "config": {"name": "p"}}
write(f"{d}/act_prelu.h5", seq([dense("d1", 4, prelu), dense("d2", 3, "linear")]), dw)
write(f"{d}/act_number.h5", seq([dense("d1", 4, 3), dense("d2", 3, "linear")]), dw)

# 4. Config fields of the wrong JSON type: each an error naming the layer,
# the field and its value.
g, bt, m, v = w(4) + 1, w(4), w(4), np.abs(w(4)) + 0.5
bnw = dict(dw, bn=[("gamma", g), ("beta", bt), ("moving_mean", m), ("moving_variance", v)])


def bn(**cfg):
    return {"class_name": "BatchNormalization", "config": dict(
        {"name": "bn", "axis": -1, "epsilon": 0.001, "center": True, "scale": True}, **cfg)}


write(f"{d}/type_epsilon.h5", seq([dense("d1", 4, "relu"), bn(epsilon="0.5"), dense("d2", 3, "linear")]), bnw)
write(f"{d}/type_center.h5", seq([dense("d1", 4, "relu"), bn(center=1), dense("d2", 3, "linear")]), bnw)
write(f"{d}/type_use_bias.h5", seq([dense("d1", 4, "relu", use_bias="false"), dense("d2", 3, "linear")]), dw)
write(f"{d}/type_units.h5", seq([dense("d1", "4", "relu"), dense("d2", 3, "linear")]), dw)
write(f"{d}/wrong_units.h5", seq([dense("d1", 5, "relu"), dense("d2", 3, "linear")]), dw)
write(f"{d}/type_rate.h5", seq([dense("d1", 4, "relu"), {"class_name": "Dropout", "config": {
    "name": "drop", "rate": "0.5"}}, dense("d2", 3, "linear")]), dw)
write(f"{d}/type_alpha.h5", seq([dense("d1", 4, "linear"), {"class_name": "LeakyReLU", "config": {
    "name": "lr", "alpha": [0.1]}}, dense("d2", 3, "linear")]), dw)
write(f"{d}/type_axis.h5", seq([dense("d1", 4, "linear"), {"class_name": "Softmax", "config": {
    "name": "sm", "axis": "last"}}, dense("d2", 3, "linear")]), dw)
write(f"{d}/type_leaky_object.h5", seq([dense("d1", 4, dict(leaky_obj, config={"alpha": "0.2"})),
                                        dense("d2", 3, "linear")]), dw)
shape_str = seq([dense("d1", 4, "relu"), dense("d2", 3, "linear")])
shape_str["config"]["layers"][0]["config"]["batch_input_shape"] = [None, "3"]
write(f"{d}/type_shape.h5", shape_str, dw)

# 5. training=True in the saved graph: Dropout (Keras 2 kwargs) and
# BatchNormalization (Keras 3 kwargs).
layers_t = [inp("a", 3),
            {"class_name": "Dense", "name": "d1", "config": {"name": "d1", "units": 4, "activation": "relu",
                                                             "use_bias": True},
             "inbound_nodes": [k2(("a", 0))]},
            {"class_name": "Dropout", "name": "drop", "config": {"name": "drop", "rate": 0.5},
             "inbound_nodes": [k2(("d1", 0), kwargs={"training": True})]},
            {"class_name": "Dense", "name": "d2", "config": {"name": "d2", "units": 3, "activation": "linear",
                                                             "use_bias": True},
             "inbound_nodes": [k2(("drop", 0))]}]
write(f"{d}/training_dropout.h5", functional(layers_t, [["a", 0, 0]], [["d2", 0, 0]]), dw)
np.save(f"{d}/training_dropout.ref.npy", relu(A @ k1 + b1) @ k2w + b2)
layers_t3 = [dict(inp("a", 3), config={"name": "a", "batch_shape": [None, 3]}),
             {"class_name": "BatchNormalization", "name": "bn",
              "config": {"name": "bn", "axis": -1, "epsilon": 0.001, "center": True, "scale": True},
              "inbound_nodes": [{"args": [kt("a", 0)], "kwargs": {"training": True}}]}]
write(f"{d}/training_bn.h5", functional(layers_t3, ["a", 0, 0], ["bn", 0, 0]),
      {"bn": [("gamma", g[:3]), ("beta", bt[:3]), ("moving_mean", m[:3]), ("moving_variance", v[:3])]},
      "3.8.0", "f/")
layers_k = json.loads(json.dumps(layers_t))
layers_k[2]["inbound_nodes"] = [k2(("d1", 0), kwargs={"noise": 0.5})]
write(f"{d}/call_kwarg.h5", functional(layers_k, [["a", 0, 0]], [["d2", 0, 0]]), dw)

# 6. A bias of 5 for 4 units: an error at the layer (the location must not
# make the diagnostic printer quote bytes of the .h5 file).
write(f"{d}/bias_wrong.h5", seq([dense("d1", 4, "relu"), dense("d2", 3, "linear")]),
      {"d1": [("kernel", k1), ("bias", w(5))], "d2": [("kernel", k2w), ("bias", b2)]})

# 7. Resources: a config nested 100000 deep; a kernel declaring 10^5 x 10^5
# float32 (40 GB) in a file of a few KB (chunked, never written).
write(f"{d}/deep_json.h5", '{"class_name": "Sequential", "config": ' + "[" * 100000 + "]" * 100000 + "}", {})
write(f"{d}/nested_ok.h5", seq([dense("d1", 4, "relu", extra=[[[[[[[[1]]]]]]]]), dense("d2", 3, "linear")]), dw)
with h5py.File(f"{d}/huge_kernel.h5", "w") as f:
    f.attrs["keras_version"] = "2.13.1"
    f.attrs["backend"] = "tensorflow"
    f.attrs["model_config"] = json.dumps(seq([dense("d1", 100000, "relu")]))
    grp = f.create_group("model_weights").create_group("d1")
    grp.attrs["weight_names"] = ["d1/kernel:0", "d1/bias:0"]
    grp.create_dataset("d1/kernel:0", shape=(100000, 100000), dtype="f4", chunks=(100, 100))
    grp.create_dataset("d1/bias:0", data=np.zeros(100000, np.float32))
