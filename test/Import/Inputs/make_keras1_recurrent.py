"""Keras 1.2.2 recurrent layers in .h5 (issue 18): LSTM, GRU and SimpleRNN
with Keras 1's field names (output_dim, inner_activation, init, inner_init,
dropout_W, consume_less, forget_bias_init) and weight layouts: each gate's
W, U and b apart (LSTM W_i, U_i, b_i, W_c, U_c, b_c, W_f, ... in Keras 1's
gate order i, c, f, o; GRU z, r, h), or joined with consume_less="gpu". The
numpy reference is Keras 1's own equations (keras 1.2.2 recurrent.py,
step()): hard_sigmoid clip(0.2x + 0.5, 0, 1) as inner_activation, the GRU's
candidate tanh(x W_h + (r * h) U_h + b_h).

    make_keras1_recurrent.py OUT_DIR
"""

import sys

import numpy as np

from keras2_h5 import write_h5

d = sys.argv[1]
rng = np.random.default_rng(1218)
F, U, T = 3, 4, 5


def hard_sigmoid(v):
    return np.clip(0.2 * v + 0.5, 0, 1)


def w(*shape):
    return rng.uniform(-0.7, 0.7, shape).astype(np.float32)


def lstm(g, x):
    n = x.shape[0]
    h, c = np.zeros((n, U)), np.zeros((n, U))
    outs = []
    for t in range(x.shape[1]):
        xt = x[:, t]
        i = hard_sigmoid(xt @ g["W_i"] + h @ g["U_i"] + g["b_i"])
        f = hard_sigmoid(xt @ g["W_f"] + h @ g["U_f"] + g["b_f"])
        c = f * c + i * np.tanh(xt @ g["W_c"] + h @ g["U_c"] + g["b_c"])
        o = hard_sigmoid(xt @ g["W_o"] + h @ g["U_o"] + g["b_o"])
        h = o * np.tanh(c)
        outs.append(h)
    return np.stack(outs, 1)


def gru(g, x):
    h = np.zeros((x.shape[0], U))
    outs = []
    for t in range(x.shape[1]):
        xt = x[:, t]
        z = hard_sigmoid(xt @ g["W_z"] + h @ g["U_z"] + g["b_z"])
        r = hard_sigmoid(xt @ g["W_r"] + h @ g["U_r"] + g["b_r"])
        hh = np.tanh(xt @ g["W_h"] + (r * h) @ g["U_h"] + g["b_h"])
        h = z * h + (1 - z) * hh
        outs.append(h)
    return np.stack(outs, 1)


def simple(g, x):
    h = np.zeros((x.shape[0], U))
    outs = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ g["W"] + h @ g["U"] + g["b"])
        outs.append(h)
    return np.stack(outs, 1)


def gates(letters):
    g = {}
    for k in letters:
        g["W_" + k], g["U_" + k], g["b_" + k] = w(F, U), w(U, U), w(U)
    return g


def config(cls, name, consume_less, **extra):
    c = {"name": name, "output_dim": U, "init": "glorot_uniform",
         "inner_init": "orthogonal", "activation": "tanh",
         "W_regularizer": None, "U_regularizer": None, "b_regularizer": None,
         "dropout_W": 0.0, "dropout_U": 0.0, "return_sequences": True,
         "go_backwards": False, "stateful": False, "unroll": False,
         "consume_less": consume_less, "trainable": True,
         "batch_input_shape": [None, None, F], "input_dtype": "float32",
         "input_dim": F, "input_length": None}
    if cls != "SimpleRNN":
        c["inner_activation"] = "hard_sigmoid"
    c.update(extra)
    return {"class_name": cls, "config": c}


x = rng.standard_normal((3, T, F)).astype(np.float32)
np.save(f"{d}/x.npy", x)
np.save(f"{d}/x0.npy", x[:0])
cases = [
    ("lstm", "LSTM", lstm, {"forget_bias_init": "one"}, ["i", "c", "f", "o"]),
    ("gru", "GRU", gru, {}, ["z", "r", "h"]),
]
for name, cls, ref, extra, order in cases:
    g = gates(order)
    y = ref(g, x.astype(np.float64))
    np.save(f"{d}/{name}.ref.npy", y.astype(np.float32))
    layer = f"{name}_1"
    # Each gate apart, in Keras 1's build() order.
    names = [(f"{layer}_{p}_{k}:0", g[f"{p}_{k}"])
             for k in order for p in ("W", "U", "b")]
    write_h5(f"{d}/{name}.h5", {"class_name": "Sequential", "config": [
        config(cls, layer, "cpu", **extra)]}, {layer: names},
        keras_version="1.2.2")
    # consume_less="gpu": one W, U, b of the gates side by side (Keras 1's
    # gpu implementation keeps today's order: i, f, c, o; z, r, h).
    today = ["i", "f", "c", "o"] if cls == "LSTM" else ["z", "r", "h"]
    joined = [(f"{layer}_{p}:0", np.concatenate([g[f"{p}_{k}"] for k in today],
                                                 -1)) for p in ("W", "U", "b")]
    write_h5(f"{d}/{name}_gpu.h5", {"class_name": "Sequential", "config": [
        config(cls, layer, "gpu", **extra)]}, {layer: joined},
        keras_version="1.2.2")

g = {"W": w(F, U), "U": w(U, U), "b": w(U)}
np.save(f"{d}/rnn.ref.npy", simple(g, x.astype(np.float64)).astype(np.float32))
write_h5(f"{d}/rnn.h5", {"class_name": "Sequential", "config": [
    config("SimpleRNN", "simplernn_1", "cpu")]},
    {"simplernn_1": [(f"simplernn_1_{p}:0", g[p]) for p in ("W", "U", "b")]},
    keras_version="1.2.2")
