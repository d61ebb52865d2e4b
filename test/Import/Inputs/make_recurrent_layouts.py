"""Keras files for layouts and rules found by trying predict as users would
(issue 18): a TimeDistributed of an LSTM in a Keras 3 archive (weights under
layers/time_distributed/layer/cell/vars), an LSTM and a GRU inside a nested
Sequential in Keras 2 .h5 (weights named `lstm/lstm_cell/kernel:0`, the
layer above the cell) and inside a TimeDistributed of one, and Keras 3's
Concatenate of two masked sequences (the `or` of the masks, where Keras 2
takes the `and`). Writes NAME.xK.npy inputs and NAME.xK.ref.npy references
from masked_recurrent.py's numpy forward pass of Keras's equations.

    make_recurrent_layouts.py OUT_DIR
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras2_h5 import write_h5, write_keras3  # noqa: E402
from masked_recurrent import (f_input, f_layer, functional, k2_input,  # noqa: E402
                              k2_node, k3_input, k3_node, kt, lay, rnn, seq)

d = sys.argv[1]
rng = np.random.default_rng(1819)


def w(*shape):
    return rng.uniform(-0.8, 0.8, shape).astype(np.float32)


def cell_weights(cls, units, features):
    g = {"LSTM": 4, "GRU": 3}[cls]
    bias = w(2, g * units) if cls == "GRU" else w(g * units)
    return [w(features, g * units), w(units, g * units), bias]


def save_cases(name, cases):
    for k, (x, ref) in enumerate(cases):
        np.save(f"{d}/{name}.x{k}.npy", x)
        np.save(f"{d}/{name}.x{k}.ref.npy", ref.astype(np.float32))


def per_step(x, f, units):
    n, t = x.shape[:2]
    if n == 0 or t == 0:
        return np.zeros((n, t, units))
    return np.stack([f(x[:, i]) for i in range(t)], 1)


# TimeDistributed(LSTM(3)) on N x T x 5 x 2, Keras 3.
wl = cell_weights("LSTM", 3, 2)
write_keras3(f"{d}/td_lstm.keras", seq([
    k3_input([None, 5, 2]),
    {"class_name": "TimeDistributed",
     "config": {"name": "td", "layer": lay("LSTM", "lstm", units=3)}}]),
    [("time_distributed", []), ("time_distributed/layer", []),
     ("time_distributed/layer/cell", wl)])
xs = [rng.standard_normal(s).astype(np.float32)
      for s in ((2, 3, 5, 2), (0, 2, 5, 2), (1, 0, 5, 2))]
save_cases("td_lstm", [(x, per_step(
    x, lambda s: rnn("LSTM", {}, wl, s)[0], 3)) for x in xs])

# A Sequential [LSTM(3, return_sequences), GRU(2)] inside a Sequential and
# inside a TimeDistributed, Keras 2 .h5: one group listing the nested
# layers' weights by their variable paths.
wl2, wg = cell_weights("LSTM", 3, 2), cell_weights("GRU", 2, 3)
inner = {"class_name": "Sequential", "config": {"name": "enc", "layers": [
    k2_input([5, 2]), lay("LSTM", "lstm", units=3, return_sequences=True),
    lay("GRU", "gru", units=2)]}}
names = [("lstm/lstm_cell/kernel:0", wl2[0]),
         ("lstm/lstm_cell/recurrent_kernel:0", wl2[1]),
         ("lstm/lstm_cell/bias:0", wl2[2]),
         ("gru/gru_cell/kernel:0", wg[0]),
         ("gru/gru_cell/recurrent_kernel:0", wg[1]),
         ("gru/gru_cell/bias:0", wg[2])]


def encoder(s):
    return rnn("GRU", {}, wg, rnn("LSTM", {"return_sequences": True}, wl2,
                                  s)[0])[0]


write_h5(f"{d}/nested_rnn.h5", seq([k2_input([5, 2]), inner]), {"enc": names})
xs = [rng.standard_normal((b, 5, 2)).astype(np.float32) for b in (4, 0)]
save_cases("nested_rnn", [(x, encoder(x)) for x in xs])
write_h5(f"{d}/td_nested_rnn.h5", seq([
    k2_input([None, 5, 2]),
    {"class_name": "TimeDistributed",
     "config": {"name": "td", "layer": inner}}]), {"td": names})
xs = [rng.standard_normal(s).astype(np.float32)
      for s in ((2, 3, 5, 2), (0, 2, 5, 2))]
save_cases("td_nested_rnn", [(x, per_step(x, encoder, 2)) for x in xs])

# Masking of two sequences, Concatenate, LSTM(2, return_sequences): Keras 2
# keeps a step where both inputs keep it, Keras 3 where either does.
wc = cell_weights("LSTM", 2, 6)
ma = np.ones((4, 6), bool)
mb = np.ones((4, 6), bool)
ma[1, 3:] = False
mb[1, :2] = False
ma[2, ::2] = False
mb[3, 1] = False
a = rng.standard_normal((4, 6, 3)).astype(np.float32)
b = rng.standard_normal((4, 6, 3)).astype(np.float32)
a[~ma] = 0
b[~mb] = 0
np.save(f"{d}/concat_a.npy", a)
np.save(f"{d}/concat_b.npy", b)
x = np.concatenate([a, b], -1)
for keras, mask in ((2, ma & mb), (3, ma | mb)):
    if keras == 2:
        cat = k2_node(("ma", 0, 0), ("mb", 0, 0))
        masked = [k2_node(("a", 0, 0)), k2_node(("b", 0, 0))]
        lstm = k2_node(("cat", 0, 0))
    else:
        cat = [{"args": [[kt("ma"), kt("mb")]],
                "kwargs": {"mask": [kt("ma"), kt("mb")]}}]
        masked = [k3_node(("a", 0, 0)), k3_node(("b", 0, 0))]
        lstm = k3_node(("cat", 0, 0), mask=("cat", 0, 0))
    model = functional([
        f_input("a", [None, 3], keras), f_input("b", [None, 3], keras),
        f_layer("Masking", "ma", masked[0], mask_value=0.0),
        f_layer("Masking", "mb", masked[1], mask_value=0.0),
        f_layer("Concatenate", "cat", cat, axis=-1),
        f_layer("LSTM", "lstm", lstm, units=2, return_sequences=True)],
        ["a", "b"], [("lstm", 0, 0)])
    ref = rnn("LSTM", {"return_sequences": True}, wc, x, mask=mask)[0]
    np.save(f"{d}/concat.k{keras}.ref.npy", ref.astype(np.float32))
    if keras == 2:
        write_h5(f"{d}/concat.h5", model, {"lstm": [
            (f"lstm/lstm_cell/{n}", v) for n, v in
            zip(["kernel:0", "recurrent_kernel:0", "bias:0"], wc)]})
    else:
        write_keras3(f"{d}/concat.keras", model, [
            ("masking", []), ("masking_1", []), ("concatenate", []),
            ("lstm", []), ("lstm/cell", wc)])
