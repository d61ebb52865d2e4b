"""Writes Keras files applying every activation predict knows by name, as
Activation layers and as Dense activations, with inputs holding NaN,
infinities and the values where the functions change form, and numpy
references computed with Keras 3's formulas (keras/src/activations/
activations.py, keras.ops) in float64 — and with Keras 2's hard_sigmoid,
clip(0.2 x + 0.5, 0, 1) (tf.keras backend.hard_sigmoid), for the file
written by Keras 2.

  make_activations.py DIR
"""

import sys

import numpy as np

from keras2_h5 import write_h5, write_keras3

d = sys.argv[1]
rng = np.random.default_rng(11)


def softplus(x):
    return np.logaddexp(0.0, x)


def hard_sigmoid3(x):
    return np.minimum(np.maximum(x + 3.0, 0.0), 6.0) / 6.0


def log_softmax(x):
    s = x - x.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def gelu(x):
    from math import erf
    return 0.5 * x * (1.0 + np.vectorize(erf)(x / np.sqrt(2.0)))


def elu(x, a=1.0):
    return np.where(x > 0, x, a * np.expm1(np.minimum(x, 0.0)))


# Keras 3's definitions, by the name an Activation layer gives.
ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": np.tanh,
    "gelu": gelu,
    "elu": elu,
    "selu": lambda x: 1.0507009873554805 * elu(x, 1.6732632423543772),
    "swish": lambda x: x / (1.0 + np.exp(-x)),
    "silu": lambda x: x / (1.0 + np.exp(-x)),
    "softplus": softplus,
    "relu6": lambda x: np.minimum(np.maximum(x, 0.0), 6.0),
    "hard_sigmoid": hard_sigmoid3,
    "hard_silu": lambda x: x * hard_sigmoid3(x),
    "hard_swish": lambda x: x * hard_sigmoid3(x),
    "mish": lambda x: x * np.tanh(softplus(x)),
    "log_softmax": log_softmax,
    "exponential": np.exp,
    "softsign": lambda x: x / (np.abs(x) + 1.0),
    "log_sigmoid": lambda x: -softplus(-x),
    "celu": lambda x: np.maximum(x, 0.0) + np.expm1(np.minimum(x, 0.0)),
    "hard_tanh": lambda x: np.clip(x, -1.0, 1.0),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0.0),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5,
                                      np.where(x < -0.5, x + 0.5, 0.0)),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4.0)) / 2.0,
    "sparse_plus": lambda x: np.where(x <= -1.0, 0.0, np.where(
        x >= 1.0, x, 0.25 * (x + 1.0) ** 2)),
}

WIDTH = 9
x = (rng.standard_normal((7, WIDTH)) * 3).astype("f4")
# Where the functions change form, and what they must carry through.
x[0] = [-3, -1, -0.5, 0, 0.5, 1, 3, 6, -6]
x[1] = [np.nan, 2, -2, 0.25, -0.25, 1.5, -1.5, 7, -7]
x[2, :2] = [np.inf, -np.inf]          # log_softmax of the row: NaN, as Keras
x[3, :1] = [np.nan]
np.save(f"{d}/x.npy", x)
x64 = x.astype(np.float64)


def inp(name, width):
    return {"class_name": "InputLayer", "name": name,
            "config": {"name": name, "batch_input_shape": [None, width]},
            "inbound_nodes": []}


def layer(cls, name, inputs, **config):
    return {"class_name": cls, "name": name,
            "config": dict(name=name, **config),
            "inbound_nodes": [[[i, 0, 0, {}] for i in inputs]]}


def activations_model():
    """x -> one Activation layer per name -> Concatenate; and Dense layers
    with a hard_sigmoid, mish and log_softmax activation of their own."""
    names = list(ACTIVATIONS)
    layers = [inp("x", WIDTH)]
    layers += [layer("Activation", f"a_{n}", ["x"], activation=n) for n in names]
    layers.append(layer("Concatenate", "all", [f"a_{n}" for n in names], axis=-1))
    for act in ["hard_sigmoid", "mish", "log_softmax"]:
        layers.append(layer("Dense", f"d_{act}", ["x"], units=4, activation=act,
                            use_bias=True))
    outputs = ["all"] + [f"d_{a}" for a in ["hard_sigmoid", "mish", "log_softmax"]]
    return {"class_name": "Functional", "config": {
        "name": "f", "layers": layers, "input_layers": [["x", 0, 0]],
        "output_layers": [[o, 0, 0] for o in outputs]}}, names


config, names = activations_model()
kernels = {a: rng.standard_normal((WIDTH, 4)).astype("f4")
           for a in ["hard_sigmoid", "mish", "log_softmax"]}
biases = {a: rng.standard_normal(4).astype("f4") for a in kernels}


def dense(a, f):
    return f(x64 @ kernels[a].astype(np.float64) + biases[a])


def save_refs(prefix, hard_sigmoid):
    refs = dict(ACTIVATIONS, hard_sigmoid=hard_sigmoid)
    with np.errstate(all="ignore"):
        np.save(f"{d}/{prefix}_all.ref.npy", np.concatenate(
            [refs[n](x64) for n in names], axis=-1).astype("f4"))
        np.save(f"{d}/{prefix}_d_hard_sigmoid.ref.npy",
                dense("hard_sigmoid", hard_sigmoid).astype("f4"))
        np.save(f"{d}/{prefix}_d_mish.ref.npy",
                dense("mish", refs["mish"]).astype("f4"))
        np.save(f"{d}/{prefix}_d_log_softmax.ref.npy",
                dense("log_softmax", log_softmax).astype("f4"))


# Keras 2 (tf.keras 2.13): its hard_sigmoid has slope 0.2.
write_h5(f"{d}/acts_k2.h5", config,
         dict({"x": [], "all": []}, **{f"a_{n}": [] for n in names},
              **{f"d_{a}": [(f"d_{a}/kernel:0", kernels[a]),
                            (f"d_{a}/bias:0", biases[a])] for a in kernels}))
save_refs("k2", lambda v: np.clip(0.2 * v + 0.5, 0.0, 1.0))

# Keras 3 (.keras): relu6(x + 3) / 6.
write_keras3(f"{d}/acts_k3.keras", config,
             [("dense", [kernels["hard_sigmoid"], biases["hard_sigmoid"]]),
              ("dense_1", [kernels["mish"], biases["mish"]]),
              ("dense_2", [kernels["log_softmax"], biases["log_softmax"]])])
save_refs("k3", hard_sigmoid3)

# A convolution's own activation along an axis: Conv1D(4, 1,
# activation="log_softmax") on (N, 5, 3), a 1-wide kernel, so that each
# position is x @ k + b, then log_softmax over the filters.
xc = rng.standard_normal((2, 5, 3)).astype("f4")
kc = rng.standard_normal((1, 3, 4)).astype("f4")
bc = rng.standard_normal(4).astype("f4")
np.save(f"{d}/xc.npy", xc)
write_h5(f"{d}/conv_log_softmax.h5", {"class_name": "Sequential", "config": {
    "name": "s", "layers": [{"class_name": "Conv1D", "config": {
        "name": "c", "filters": 4, "kernel_size": [1], "strides": [1], "padding": "valid",
        "activation": "log_softmax", "use_bias": True,
        "batch_input_shape": [None, 5, 3]}}]}},
    {"c": [("c/kernel:0", kc), ("c/bias:0", bc)]})
np.save(f"{d}/conv_log_softmax.ref.npy",
        log_softmax(xc.astype(np.float64) @ kc[0].astype(np.float64) + bc).astype("f4"))

# glu splits the last axis in halves: on 9 features, Keras raises, and so
# does predict (glu itself is tested in keras-coverage.test).
write_h5(f"{d}/glu.h5", {"class_name": "Functional", "config": {
    "name": "f", "layers": [inp("x", WIDTH),
                            layer("Activation", "a", ["x"], activation="glu")],
    "input_layers": [["x", 0, 0]], "output_layers": [["a", 0, 0]]}},
    {"x": [], "a": []})
