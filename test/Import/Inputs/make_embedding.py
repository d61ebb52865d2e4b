#!/usr/bin/python3
"""Writes Keras files with Embedding, Dot and models used as layers, and
numpy references.

  make_embedding.py DIR

Keras 2's legacy .h5 (weights by name: `emb/embeddings:0`; a nested model
is one group listing the weights of all its layers, `dense_1/kernel:0`),
Keras 1's (`embedding_1_W:0`, by position) and Keras 3's .keras archive
(weights by position in /layers/<class>_<n>/vars; a nested model's layers
under /layers/<its group>/layers/, counted within it). DIR/<name>.in*.npy
are inputs and DIR/<name>.ref*.npy what numpy computes for them, written
here independently of predict: an Embedding is `table[ids]`, Dot is
`np.einsum` over the two axes per sample.
"""

import json
import sys
import zipfile

import h5py
import numpy as np

from keras2_h5 import sequential, write_h5

d = sys.argv[1]
rng = np.random.default_rng(17)


def w(*shape):
    return (rng.standard_normal(shape) * 0.5).astype(np.float32)


def save(name, **arrays):
    for key, a in arrays.items():
        np.save(f"{d}/{name}.{key}.npy", a)


def relu(x):
    return np.maximum(x, 0)


def keras3(path, config, groups):
    """A Keras 3 archive; `groups` maps a group path under the root
    ("layers/embedding", "layers/sequential/layers/dense") to its vars."""
    weights = f"{path}.weights.h5"
    with h5py.File(weights, "w") as f:
        for group, arrays in groups.items():
            v = f.require_group(group).require_group("vars")
            for i, a in enumerate(arrays):
                v.create_dataset(str(i), data=a)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.8.0"}))
        z.writestr("config.json", json.dumps(config))
        z.write(weights, "model.weights.h5")


# Keras 2's and Keras 3's Functional graphs.
def k2(*refs):
    return [[[name, node, tensor, {}] for name, node, tensor in refs]]


def kt(name, node=0, tensor=0):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": None, "dtype": "float32",
                       "keras_history": [name, node, tensor]}}


def k3(*refs, merge=False):
    args = [kt(*r) for r in refs]
    return {"args": [args] if merge else args, "kwargs": {}}


def inp(name, shape, dtype="float32", keras=2):
    key = "batch_input_shape" if keras == 2 else "batch_shape"
    return {"class_name": "InputLayer", "name": name,
            "config": {"name": name, key: [None] + list(shape),
                       "dtype": dtype}, "inbound_nodes": []}


def layer(cls, name, nodes, **config):
    return {"class_name": cls, "name": name,
            "config": dict(name=name, **config), "inbound_nodes": nodes}


def functional(layers, inputs, outputs, name="model", cls="Functional"):
    return {"class_name": cls,
            "config": {"name": name, "layers": layers,
                       "input_layers": [[n, 0, 0] for n in inputs],
                       "output_layers": [list(o) if isinstance(o, tuple)
                                         else [o, 0, 0] for o in outputs]}}


# --- Embedding ------------------------------------------------------------

# Keras 2 Functional: int32 ids (N x 4) -> Embedding(10, 3) -> Flatten ->
# Dense(2). Batches of 0, 1, 3 and 17.
table = w(10, 3)
k, b = w(12, 2), w(2)
write_h5(f"{d}/emb_k2.h5", functional([
    inp("ids", [4], "int32"),
    layer("Embedding", "emb", k2(("ids", 0, 0)), input_dim=10, output_dim=3,
          embeddings_initializer="uniform", mask_zero=False, input_length=4,
          dtype="float32"),
    layer("Flatten", "flat", k2(("emb", 0, 0))),
    layer("Dense", "out", k2(("flat", 0, 0)), units=2, activation="linear",
          use_bias=True)], ["ids"], ["out"]),
    {"ids": [], "emb": [("emb/embeddings:0", table)], "flat": [],
     "out": [("out/kernel:0", k), ("out/bias:0", b)]})
for n in (0, 1, 3, 17):
    ids = rng.integers(0, 10, (n, 4)).astype(np.int32)
    save("emb_k2", **{f"in{n}": ids,
                      f"ref{n}": table[ids].reshape(n, 12) @ k + b})
# Ids out of range, negative, at the ends of the range.
save("emb_k2", high=np.array([[1, 2, 10, 3]], np.int32),
     low=np.array([[0, -1, 2, 3], [1, 1, 1, 1]], np.int32),
     ends=np.array([[0, 9, 0, 9]], np.int32),
     refends=table[np.array([[0, 9, 0, 9]])].reshape(1, 12) @ k + b,
     f32=np.zeros((1, 4), np.float32))

# Keras 2 Sequential whose first layer is the Embedding: Keras makes its
# input float32, and the Embedding casts the ids to int32. mask_zero=True
# with no layer after it that consumes the mask.
t2 = w(6, 5)
write_h5(f"{d}/emb_float.h5", sequential([
    {"class_name": "Embedding", "config": {
        "name": "embedding", "input_dim": 6, "output_dim": 5,
        "mask_zero": True, "batch_input_shape": [None, 3],
        "dtype": "float32", "input_length": 3}}]),
    {"embedding": [("embedding/embeddings:0", t2)]})
ids = np.array([[0, 5, 2], [1, 1, 4]], np.float32)
save("emb_float", **{"in": ids, "ref": t2[ids.astype(np.int64)]})
save("emb_float", frac=np.array([[0, 2.5, 1]], np.float32),
     nan=np.array([[0, np.nan, 1]], np.float32),
     big=np.array([[0, 1e30, 1]], np.float32),
     inf=np.array([[0, 1, -np.inf]], np.float32),
     out=np.array([[0, 7, 1]], np.float32))

# Keras 3 .keras Sequential: int64 ids of rank 2 per sample (N x 2 x 3) ->
# Embedding(7, 4) -> Flatten of rank 4 -> Dense(3, relu).
t3, k3w, b3 = w(7, 4), w(24, 3), w(3)
keras3(f"{d}/emb_k3.keras", {"class_name": "Sequential", "config": {
    "name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {
            "name": "input_layer", "batch_shape": [None, 2, 3],
            "dtype": "int64"}},
        {"class_name": "Embedding", "config": {
            "name": "embedding", "input_dim": 7, "output_dim": 4,
            "mask_zero": False, "dtype": {
                "module": "keras", "class_name": "DTypePolicy",
                "config": {"name": "float32"}}}},
        {"class_name": "Flatten", "config": {"name": "flatten"}},
        {"class_name": "Dense", "config": {
            "name": "dense", "units": 3, "activation": "relu",
            "use_bias": True}}]}},
    {"layers/embedding": [t3], "layers/flatten": [],
     "layers/dense": [k3w, b3]})
ids = rng.integers(0, 7, (5, 2, 3)).astype(np.int64)
save("emb_k3", **{"in": ids, "ref": relu(t3[ids].reshape(5, 24) @ k3w + b3)})

# Keras 1 (keras_version 1.2.2): Keras 1's field names and the weight
# `embedding_1_W:0`, read by position.
t1 = w(8, 2)
write_h5(f"{d}/emb_k1.h5", {"class_name": "Sequential", "config": [
    {"class_name": "Embedding", "config": {
        "name": "embedding_1", "input_dim": 8, "output_dim": 2,
        "init": "uniform", "input_length": 3, "W_regularizer": None,
        "W_constraint": None, "mask_zero": False, "dropout": 0.0,
        "batch_input_shape": [None, 3], "input_dtype": "int32",
        "trainable": True}}]},
    {"embedding_1": [("embedding_1_W:0", t1)]}, keras_version="1.2.2")
ids = rng.integers(0, 8, (4, 3)).astype(np.int32)
save("emb_k1", **{"in": ids, "ref": t1[ids]})

# Errors. A table whose shape is not the config's.
write_h5(f"{d}/emb_bad_table.h5", functional([
    inp("ids", [4], "int32"),
    layer("Embedding", "emb", k2(("ids", 0, 0)), input_dim=11, output_dim=3)],
    ["ids"], ["emb"]), {"ids": [], "emb": [("emb/embeddings:0", table)]})
# An int32 input into a Dense layer (only an Embedding takes ids).
write_h5(f"{d}/int_dense.h5", functional([
    inp("ids", [4], "int32"),
    layer("Dense", "d", k2(("ids", 0, 0)), units=2)], ["ids"], ["d"]),
    {"ids": [], "d": [("d/kernel:0", w(4, 2)), ("d/bias:0", w(2))]})
# An input of float16 (an integer type holds ids: keras-ids-softmax.test).
write_h5(f"{d}/half.h5", functional([
    inp("ids", [4], "float16"),
    layer("Embedding", "emb", k2(("ids", 0, 0)), input_dim=10, output_dim=3)],
    ["ids"], ["emb"]), {"ids": [], "emb": [("emb/embeddings:0", table)]})
# mask_zero=True, then a Softmax layer, which Keras computes with the mask.
write_h5(f"{d}/mask_softmax.h5", functional([
    inp("ids", [4], "int32"),
    layer("Embedding", "emb", k2(("ids", 0, 0)), input_dim=10, output_dim=3,
          mask_zero=True),
    layer("Dropout", "drop", k2(("emb", 0, 0)), rate=0.1),
    layer("Softmax", "soft", k2(("drop", 0, 0)), axis=-1)],
    ["ids"], ["soft"]), {"ids": [], "emb": [("emb/embeddings:0", table)],
                         "drop": [], "soft": []})
# mask_zero=True, then Flatten (which drops the mask) and Softmax: fine.
write_h5(f"{d}/mask_flatten.h5", functional([
    inp("ids", [4], "int32"),
    layer("Embedding", "emb", k2(("ids", 0, 0)), input_dim=10, output_dim=3,
          mask_zero=True),
    layer("Flatten", "flat", k2(("emb", 0, 0))),
    layer("Softmax", "soft", k2(("flat", 0, 0)), axis=-1)],
    ["ids"], ["soft"]), {"ids": [], "emb": [("emb/embeddings:0", table)],
                         "flat": [], "soft": []})
ids = np.array([[0, 3, 9, 1]], np.int32)
e = table[ids].reshape(1, 12)
e = np.exp(e - e.max(axis=-1, keepdims=True))
save("mask_flatten", **{"in": ids, "ref": e / e.sum(axis=-1, keepdims=True)})


# --- Dot ------------------------------------------------------------------

def normalize(x, axis):
    norm = np.sqrt((x.astype(np.float64) ** 2).sum(axis=axis, keepdims=True))
    return x / np.maximum(norm, 1e-7)


# Keras 3 .keras: a (N x 3 x 4), b (N x 5 x 4), c (N x 4); three outputs:
# Dot(axes=2)(a, b) -> N x 3 x 5, Dot(axes=[2, 1], normalize)(a, c) -> N x 3,
# Dot(axes=-1)(c, c) -> N x 1.
keras3(f"{d}/dot_k3.keras", functional([
    inp("a", [3, 4], keras=3), inp("b", [5, 4], keras=3),
    inp("c", [4], keras=3),
    layer("Dot", "ab", [k3(("a",), ("b",), merge=True)], axes=2,
          normalize=False),
    layer("Dot", "ac", [k3(("a",), ("c",), merge=True)], axes=[2, 1],
          normalize=True),
    layer("Dot", "cc", [k3(("c",), ("c",), merge=True)], axes=-1,
          normalize=False)],
    ["a", "b", "c"], ["ab", "ac", "cc"]), {})
for n in (0, 1, 3):
    a = rng.standard_normal((n, 3, 4)).astype(np.float32)
    bb = rng.standard_normal((n, 5, 4)).astype(np.float32)
    c = rng.standard_normal((n, 4)).astype(np.float32)
    if n:
        c[0] = 0  # a zero vector: normalize divides by 1e-7, not by 0
    save("dot_k3", **{f"a{n}": a, f"b{n}": bb, f"c{n}": c,
                      f"ab{n}": np.einsum("nik,njk->nij", a, bb),
                      f"ac{n}": np.einsum("nik,nk->ni", normalize(a, 2),
                                          normalize(c, 1)),
                      f"cc{n}": np.einsum("nk,nk->n", c, c)[:, None]})

# Keras 2 .h5: Dot(axes=1) of two N x 5 inputs, then Dense.
kd = w(1, 2)
write_h5(f"{d}/dot_k2.h5", functional([
    inp("x", [5]), inp("y", [5]),
    layer("Dot", "dot", k2(("x", 0, 0), ("y", 0, 0)), axes=1,
          normalize=False),
    layer("Dense", "d", k2(("dot", 0, 0)), units=2, use_bias=False)],
    ["x", "y"], ["d"], cls="Model"),
    {"x": [], "y": [], "dot": [], "d": [("d/kernel:0", kd)]})
x = rng.standard_normal((4, 5)).astype(np.float32)
y = rng.standard_normal((4, 5)).astype(np.float32)
save("dot_k2", x=x, y=y, ref=(x * y).sum(axis=1, keepdims=True) @ kd)

# Errors: an axis out of range, and the batch axis.
for name, axes in (("dot_bad_axes", [1, 3]), ("dot_batch_axis", 0)):
    write_h5(f"{d}/{name}.h5", functional([
        inp("x", [5]), inp("y", [5]),
        layer("Dot", "dot", k2(("x", 0, 0), ("y", 0, 0)), axes=axes)],
        ["x", "y"], ["dot"]), {"x": [], "y": [], "dot": []})


# --- Models used as layers ------------------------------------------------

# Keras 3 .keras: an outer Functional model with
#  - a Sequential "encoder" (Dense 6->4 relu, Dense 4->3) applied to both
#    inputs (shared weights: one model, two calls, node indices 0 and 1);
#  - a Functional "head" of two inputs holding a Sequential "inner" (a
#    model two levels down): Add, inner (Dense 3->3 tanh), Dense 3->2.
e1k, e1b, e2k, e2b = w(6, 4), w(4), w(4, 3), w(3)
ik, ib, hk, hb = w(3, 3), w(3), w(3, 2), w(2)
encoder = {"class_name": "Sequential", "name": "encoder", "config": {
    "name": "encoder", "layers": [
        {"class_name": "InputLayer", "config": {
            "name": "enc_in", "batch_shape": [None, 6]}},
        {"class_name": "Dense", "config": {
            "name": "enc_1", "units": 4, "activation": "relu"}},
        {"class_name": "Dense", "config": {
            "name": "enc_2", "units": 3, "activation": "linear"}}]},
    "inbound_nodes": [k3(("x",)), k3(("y",))]}
inner = {"class_name": "Sequential", "name": "inner", "config": {
    "name": "inner", "layers": [
        {"class_name": "Dense", "config": {
            "name": "in_1", "units": 3, "activation": "tanh"}}]},
    "inbound_nodes": [k3(("sum",))]}
head = {"class_name": "Functional", "name": "head",
        "config": functional([
            inp("h1", [3], keras=3), inp("h2", [3], keras=3),
            layer("Add", "sum", [k3(("h1",), ("h2",), merge=True)]),
            inner,
            layer("Dense", "h_out", [k3(("inner",))], units=2,
                  activation="linear")],
            ["h1", "h2"], ["h_out"], name="head")["config"],
        "inbound_nodes": [k3(("encoder", 0), ("encoder", 1))]}
# Keras 3 numbers a Functional model's calls from 1 in output_layers (its
# own call, inputs to outputs, is call 0), and from 0 in keras_history.
keras3(f"{d}/nested_k3.keras", functional([
    inp("x", [6], keras=3), inp("y", [6], keras=3), encoder, head],
    ["x", "y"], [("head", 1, 0)]), {
    "layers/sequential/layers/dense": [e1k, e1b],
    "layers/sequential/layers/dense_1": [e2k, e2b],
    "layers/functional/layers/add": [],
    "layers/functional/layers/sequential/layers/dense": [ik, ib],
    "layers/functional/layers/dense": [hk, hb]})


def nested_ref(x, y):
    def enc(v):
        return relu(v @ e1k + e1b) @ e2k + e2b
    return np.tanh((enc(x) + enc(y)) @ ik + ib) @ hk + hb


for n in (0, 1, 17):
    x = rng.standard_normal((n, 6)).astype(np.float32)
    y = rng.standard_normal((n, 6)).astype(np.float32)
    save("nested", **{f"x{n}": x, f"y{n}": y, f"ref{n}": nested_ref(x, y)})

# The same graph in Keras 2's .h5: each top-level nested model is one group
# listing the weights of all its layers by their variable names. Keras 2
# numbers the calls of a model built with an input from 1 everywhere (its
# own call is call 0).
k2enc = {"class_name": "Sequential", "name": "encoder", "config": {
    "name": "encoder", "layers": [
        {"class_name": "Dense", "config": {
            "name": "enc_1", "units": 4, "activation": "relu",
            "batch_input_shape": [None, 6]}},
        {"class_name": "Dense", "config": {
            "name": "enc_2", "units": 3, "activation": "linear"}}]},
    "inbound_nodes": [k2(("x", 0, 0))[0], k2(("y", 0, 0))[0]]}
k2inner = {"class_name": "Sequential", "name": "inner", "config": {
    "name": "inner", "layers": [
        {"class_name": "Dense", "config": {
            "name": "in_1", "units": 3, "activation": "tanh",
            "batch_input_shape": [None, 3]}}]},
    "inbound_nodes": k2(("sum", 0, 0))}
k2head = {"class_name": "Model", "name": "head",
          "config": functional([
              inp("h1", [3]), inp("h2", [3]),
              layer("Add", "sum", k2(("h1", 0, 0), ("h2", 0, 0))),
              k2inner,
              layer("Dense", "h_out", k2(("inner", 1, 0)), units=2,
                    activation="linear")],
              ["h1", "h2"], ["h_out"], name="head")["config"],
          "inbound_nodes": k2(("encoder", 1, 0), ("encoder", 2, 0))}
nested_k2 = functional([inp("x", [6]), inp("y", [6]), k2enc, k2head],
                       ["x", "y"], [("head", 1, 0)], cls="Model")
nested_weights = {
    "x": [], "y": [],
    "encoder": [("enc_1/kernel:0", e1k), ("enc_1/bias:0", e1b),
                ("enc_2/kernel:0", e2k), ("enc_2/bias:0", e2b)],
    "head": [("in_1/kernel:0", ik), ("in_1/bias:0", ib),
             ("h_out/kernel:0", hk), ("h_out/bias:0", hb)]}
write_h5(f"{d}/nested_k2.h5", nested_k2, nested_weights)
# Errors: the head's weights missing; a layer's weights missing inside it.
write_h5(f"{d}/nested_missing.h5", nested_k2,
         {k: v for k, v in nested_weights.items() if k != "head"})
write_h5(f"{d}/nested_missing_layer.h5", nested_k2,
         dict(nested_weights, head=nested_weights["head"][2:]))
# A Keras 3 archive without the inner model's group.
keras3(f"{d}/nested_missing.keras", functional([
    inp("x", [6], keras=3), inp("y", [6], keras=3), encoder, head],
    ["x", "y"], [("head", 1, 0)]), {
    "layers/sequential/layers/dense": [e1k, e1b],
    "layers/sequential/layers/dense_1": [e2k, e2b]})
# A class predict lacks inside a nested model: listed with where it is.
bad_inner = json.loads(json.dumps(k2inner))
bad_inner["config"]["layers"][0]["class_name"] = "Conv9D"
write_h5(f"{d}/nested_unsupported.h5", functional([
    inp("x", [6]), inp("y", [6]), k2enc,
    dict(k2head, config=functional([
        inp("h1", [3]), inp("h2", [3]),
        layer("Add", "sum", k2(("h1", 0, 0), ("h2", 0, 0))), bad_inner,
        layer("Dense", "h_out", k2(("inner", 1, 0)), units=2)],
        ["h1", "h2"], ["h_out"], name="head")["config"])],
    ["x", "y"], [("head", 1, 0)], cls="Model"), nested_weights)
