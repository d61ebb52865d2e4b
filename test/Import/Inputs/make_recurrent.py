"""Writes recurrent-layer models (issue 18) in Keras 2's .h5 layout and
Keras 3's .keras layout, inputs of several batch sizes and sequence lengths,
and their expected outputs from an independent numpy forward pass of
Keras's documented cell equations (gate order i, f, c, o for LSTM; z, r, h
for GRU)."""

import sys

import numpy as np

from keras2_h5 import functional, inp, layer, sequential, write_h5, \
    write_keras3

d = sys.argv[1]
rng = np.random.default_rng(18)
F = 3  # input features


def w(*shape):
    return rng.uniform(-0.8, 0.8, shape).astype(np.float32)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def activation(name, keras):
    if name == "tanh":
        return np.tanh
    if name == "sigmoid":
        return sigmoid
    if name == "relu":
        return lambda x: np.maximum(x, 0)
    if name == "linear":
        return lambda x: x
    if name == "hard_sigmoid":
        # Keras 2: clip(0.2 x + 0.5, 0, 1); Keras 3: relu6(x + 3) / 6.
        if keras == 2:
            return lambda x: np.clip(0.2 * x + 0.5, 0, 1)
        return lambda x: np.clip(x + 3, 0, 6) / 6
    raise ValueError(name)


def run(cls, cfg, ws, x, keras, h0=None, mask=None):
    """Keras's recurrent layer on x (batch x time x features), in float64:
    the output (last, or every step's), then the final states."""
    x = x.astype(np.float64)
    ws = [a.astype(np.float64) for a in ws]
    kernel, rec = ws[0], ws[1]
    units = rec.shape[0]
    bias = ws[2] if len(ws) > 2 else np.zeros(kernel.shape[1])
    act = activation(cfg.get("activation", "tanh"), keras)
    ract = activation(cfg.get("recurrent_activation", "sigmoid"), keras)
    B, T, _ = x.shape
    h = np.zeros((B, units)) if h0 is None else h0[0].astype(np.float64)
    c = np.zeros((B, units)) if h0 is None or len(h0) < 2 else \
        h0[1].astype(np.float64)
    outs = [None] * T
    order = range(T - 1, -1, -1) if cfg.get("go_backwards") else range(T)
    u = units
    for n, t in enumerate(order):
        xt = x[:, t]
        if cls == "LSTM":
            z = xt @ kernel + h @ rec + bias
            i, f = ract(z[:, :u]), ract(z[:, u:2 * u])
            g, o = act(z[:, 2 * u:3 * u]), ract(z[:, 3 * u:])
            c_new = f * c + i * g
            h_new = o * act(c_new)
        elif cls == "GRU" and cfg.get("reset_after", True):
            b_in, b_rec = (bias[0], bias[1]) if bias.ndim == 2 else (bias, 0)
            xz = xt @ kernel + b_in
            hz = h @ rec + b_rec
            z = ract(xz[:, :u] + hz[:, :u])
            r = ract(xz[:, u:2 * u] + hz[:, u:2 * u])
            hh = act(xz[:, 2 * u:] + r * hz[:, 2 * u:])
            h_new = z * h + (1 - z) * hh
            c_new = c
        elif cls == "GRU":
            xz = xt @ kernel + bias
            z = ract(xz[:, :u] + h @ rec[:, :u])
            r = ract(xz[:, u:2 * u] + h @ rec[:, u:2 * u])
            hh = act(xz[:, 2 * u:] + (r * h) @ rec[:, 2 * u:])
            h_new = z * h + (1 - z) * hh
            c_new = c
        else:
            h_new = act(xt @ kernel + bias + h @ rec)
            c_new = c
        if mask is not None:
            m = mask[:, t][:, None]
            h_new = np.where(m, h_new, h)
            c_new = np.where(m, c_new, c)
        h, c = h_new, c_new
        outs[n] = h
    if cfg.get("return_sequences"):
        out = np.stack(outs, 1) if T else np.zeros((B, 0, units))
    else:
        out = h
    states = [h, c] if cls == "LSTM" else [h]
    return [out] + states


def save(name, array):
    np.save(f"{d}/{name}.npy", np.asarray(array, dtype=np.float32))


def inputs(name, shapes):
    """Inputs of (batch, time) in `shapes`; returns them."""
    xs = {}
    for b, t in shapes:
        x = rng.standard_normal((b, t, F)).astype(np.float32)
        save(f"{name}.b{b}t{t}", x)
        xs[(b, t)] = x
    return xs


def recurrent_weights(cls, units, use_bias=True, reset_after=True,
                      features=F):
    g = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[cls]
    ws = [w(features, g * units), w(units, g * units)]
    if use_bias:
        ws.append(w(2, g * units) if cls == "GRU" and reset_after
                  else w(g * units))
    return ws


def k2_names(name, cls, ws):
    cell = {"LSTM": "lstm_cell", "GRU": "gru_cell",
            "SimpleRNN": "simple_rnn_cell"}[cls]
    names = ["kernel:0", "recurrent_kernel:0", "bias:0"]
    return [(f"{name}/{cell}/{n}", a) for n, a in zip(names, ws)]


SHAPES = [(5, 7), (1, 50), (0, 1)]
GRID = [(b, t) for b in (0, 1, 5) for t in (1, 7, 50)]

# One layer in a Sequential model, each in both layouts: (file name,
# class, config, input shapes).
cases = [
    ("lstm", "LSTM", {"units": 4}, GRID),
    ("lstm_seq_back", "LSTM", {"units": 3, "return_sequences": True,
                               "go_backwards": True, "activation": "relu",
                               "recurrent_activation": "hard_sigmoid"},
     SHAPES),
    ("lstm_nobias", "LSTM", {"units": 2, "use_bias": False,
                             "return_sequences": True}, SHAPES),
    ("gru_after", "GRU", {"units": 4, "reset_after": True,
                          "return_sequences": True}, SHAPES),
    ("gru_before", "GRU", {"units": 3, "reset_after": False,
                           "go_backwards": True}, SHAPES),
    ("gru_nobias", "GRU", {"units": 2, "use_bias": False,
                           "reset_after": True, "stateful": False,
                           "unroll": True}, SHAPES),
    ("rnn", "SimpleRNN", {"units": 5, "return_sequences": True}, SHAPES),
    ("rnn_relu_back", "SimpleRNN", {"units": 2, "activation": "relu",
                                    "go_backwards": True}, SHAPES),
]

for name, cls, cfg, shapes in cases:
    ws = recurrent_weights(cls, cfg["units"], cfg.get("use_bias", True),
                           cfg.get("reset_after", True))
    snake = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "simple_rnn"}[cls]
    full = dict(cfg)
    # Keras 2 saves every option; Keras 3 too (time_major only in 2).
    for k2 in (True, False):
        config = {"class_name": cls, "config": dict(
            name=snake, trainable=True, dtype="float32", **full)}
        input_layer = {"class_name": "InputLayer", "config": {
            "name": "input", ("batch_input_shape" if k2 else "batch_shape"):
                [None, None, F]}}
        model = sequential([input_layer, config])
        if k2:
            write_h5(f"{d}/{name}.h5", model, {snake: k2_names(snake, cls, ws)})
        else:
            write_keras3(f"{d}/{name}.keras", model,
                         [(snake, []), (f"{snake}/cell", ws)])
    xs = inputs(name, shapes)
    for (b, t), x in xs.items():
        save(f"{name}.b{b}t{t}.ref2", run(cls, cfg, ws, x, 2)[0])
        save(f"{name}.b{b}t{t}.ref3", run(cls, cfg, ws, x, 3)[0])

# RNN(cell) of Keras's cells (keras.layers.RNN): the cell's config in the
# layer's `cell`, RNN's own fields beside it; the weights those of the
# cell's layer (Keras 2: rnn/lstm_cell/kernel:0; Keras 3:
# layers/rnn/cell/vars). Computed as the cell's layer.
rnn_cases = [
    ("rnn_lstm_cell", "LSTM", {"units": 3}, {"return_sequences": True}),
    ("rnn_gru_cell", "GRU", {"units": 2, "reset_after": False}, {}),
    ("rnn_simple_cell", "SimpleRNN",
     {"units": 4, "activation": "relu"}, {"go_backwards": True}),
]
for name, cls, cell_cfg, rnn_cfg in rnn_cases:
    ws = recurrent_weights(cls, cell_cfg["units"], True,
                           cell_cfg.get("reset_after", True))
    cell = {"LSTM": "lstm_cell", "GRU": "gru_cell",
            "SimpleRNN": "simple_rnn_cell"}[cls]
    for k2 in (True, False):
        rnn = {"class_name": "RNN", "config": dict(
            name="rnn", trainable=True, dtype="float32",
            cell={"class_name": f"{cls}Cell", "config": dict(
                name=cell, trainable=True, dtype="float32", **cell_cfg)},
            **rnn_cfg)}
        input_layer = {"class_name": "InputLayer", "config": {
            "name": "input", ("batch_input_shape" if k2 else "batch_shape"):
                [None, None, F]}}
        model = sequential([input_layer, rnn])
        if k2:
            write_h5(f"{d}/{name}.h5", model, {"rnn": k2_names("rnn", cls, ws)})
        else:
            write_keras3(f"{d}/{name}.keras", model,
                         [("rnn", []), ("rnn/cell", ws)])
    for (b, t), x in inputs(name, [(5, 7), (0, 1)]).items():
        save(f"{name}.b{b}t{t}.ref", run(cls, dict(cell_cfg, **rnn_cfg), ws,
                                         x, 3)[0])
# A list of cells (StackedRNNCells), and a cell class of the user's.
for name, cell in (("rnn_stacked", [
        {"class_name": "LSTMCell", "config": {"name": "a", "units": 2}},
        {"class_name": "LSTMCell", "config": {"name": "b", "units": 2}}]),
        ("rnn_custom", {"class_name": "MinimalRNNCell",
                        "config": {"name": "c", "units": 2}})):
    write_h5(f"{d}/{name}.h5", sequential([
        {"class_name": "InputLayer", "config": {
            "name": "input", "batch_input_shape": [None, None, F]}},
        {"class_name": "RNN", "config": {"name": "rnn", "cell": cell}}]),
        {"rnn": []})

# return_state in a Functional graph: the output and the final states as
# three (LSTM) or two (GRU) outputs of the model, each followed by Dense
# on the state; Keras 2's writer.
for cls, units in (("LSTM", 3), ("GRU", 2)):
    name = f"{cls.lower()}_state"
    ws = recurrent_weights(cls, units)
    dense_k, dense_b = w(units, 2), w(2)
    n_states = 2 if cls == "LSTM" else 1
    layers = [inp("x", [None, F]),
              layer(cls, "rec", ["x"], units=units, return_sequences=True,
                    return_state=True)]
    # The states are outputs #1.. of the layer's call.
    layers.append({"class_name": "Dense", "name": "head",
                   "config": {"name": "head", "units": 2,
                              "activation": "linear"},
                   "inbound_nodes": [[["rec", 0, 1, {}]]]})
    outputs = [["rec", 0, 0]] + [["rec", 0, 1 + s] for s in range(n_states)]
    outputs.append(["head", 0, 0])
    config = {"class_name": "Functional", "config": {
        "name": "f", "layers": layers, "input_layers": [["x", 0, 0]],
        "output_layers": outputs}}
    write_h5(f"{d}/{name}.h5", config,
             {"rec": k2_names("rec", cls, ws),
              "head": [("head/kernel:0", dense_k), ("head/bias:0", dense_b)]})
    xs = inputs(name, [(5, 7), (0, 1)])
    for (b, t), x in xs.items():
        res = run(cls, {"return_sequences": True}, ws, x, 2)
        for i, r in enumerate(res):
            save(f"{name}.b{b}t{t}.ref{i}", r)
        save(f"{name}.b{b}t{t}.ref{len(res)}", res[1] @ dense_k + dense_b)

# Stacked: LSTM (sequences) -> GRU -> Dense, in a Sequential model of a
# static sequence length (batch_input_shape [None, 6, 3]).
ws1 = recurrent_weights("LSTM", 4)
ws2 = recurrent_weights("GRU", 3, features=4)
dk, db = w(3, 1), w(1)
write_h5(f"{d}/stacked.h5", sequential([
    {"class_name": "LSTM", "config": {
        "name": "lstm", "batch_input_shape": [None, 6, F], "units": 4,
        "return_sequences": True}},
    {"class_name": "GRU", "config": {"name": "gru", "units": 3}},
    {"class_name": "Dense", "config": {"name": "dense", "units": 1}},
]), {"lstm": k2_names("lstm", "LSTM", ws1), "gru": k2_names("gru", "GRU", ws2),
     "dense": [("dense/kernel:0", dk), ("dense/bias:0", db)]})
for b in (0, 1, 5):
    x = rng.standard_normal((b, 6, F)).astype(np.float32)
    save(f"stacked.b{b}", x)
    y = run("LSTM", {"return_sequences": True}, ws1, x, 2)[0]
    y = run("GRU", {}, ws2, y, 2)[0]
    save(f"stacked.b{b}.ref", y @ dk + db)

# A GRU of Keras 2.0 (before 2.1.3, which added reset_after): the config
# has no reset_after and the bias is flat; Keras 2.0 computed it as
# reset_after False, the reset gate applied before the recurrent product.
ws20 = recurrent_weights("GRU", 3, reset_after=False)
write_h5(f"{d}/gru_keras20.h5", sequential([
    {"class_name": "InputLayer", "config": {
        "name": "input", "batch_input_shape": [None, None, F]}},
    {"class_name": "GRU", "config": {"name": "gru", "units": 3,
                                     "return_sequences": True}}]),
    {"gru": k2_names("gru", "GRU", ws20)}, keras_version="2.0.8")
for b, t in ((5, 7), (0, 1)):
    x = rng.standard_normal((b, t, F)).astype(np.float32)
    save(f"gru_keras20.b{b}t{t}", x)
    save(f"gru_keras20.b{b}t{t}.ref", run(
        "GRU", {"reset_after": False, "return_sequences": True}, ws20, x, 2)[0])

# Errors.
bad = recurrent_weights("LSTM", 4)
write_h5(f"{d}/bad_units.h5", sequential([
    {"class_name": "InputLayer", "config": {
        "name": "input", "batch_input_shape": [None, None, F]}},
    {"class_name": "LSTM", "config": {"name": "lstm", "units": 5}}]),
    {"lstm": k2_names("lstm", "LSTM", bad)})
write_h5(f"{d}/time_major.h5", sequential([
    {"class_name": "InputLayer", "config": {
        "name": "input", "batch_input_shape": [None, None, F]}},
    {"class_name": "LSTM", "config": {"name": "lstm", "units": 4,
                                      "time_major": True}}]),
    {"lstm": k2_names("lstm", "LSTM", bad)})
write_h5(f"{d}/rank2.h5", sequential([
    {"class_name": "InputLayer", "config": {
        "name": "input", "batch_input_shape": [None, F]}},
    {"class_name": "LSTM", "config": {"name": "lstm", "units": 4}}]),
    {"lstm": k2_names("lstm", "LSTM", bad)})
write_h5(f"{d}/softmax_act.h5", sequential([
    {"class_name": "InputLayer", "config": {
        "name": "input", "batch_input_shape": [None, None, F]}},
    {"class_name": "SimpleRNN", "config": {"name": "rnn", "units": 4,
                                           "activation": "softmax"}}]),
    {"rnn": k2_names("rnn", "SimpleRNN", recurrent_weights("SimpleRNN", 4))})
gru_flat_bias = recurrent_weights("GRU", 2, reset_after=False)
write_h5(f"{d}/gru_bias.h5", sequential([
    {"class_name": "InputLayer", "config": {
        "name": "input", "batch_input_shape": [None, None, F]}},
    {"class_name": "GRU", "config": {"name": "gru", "units": 2,
                                     "reset_after": True}}]),
    {"gru": k2_names("gru", "GRU", gru_flat_bias)})

# Bidirectional (issue 18): the layer forwards, a copy with go_backwards
# flipped, the backward sequence flipped back to time order when the layer
# returns sequences, then merged (Keras's Bidirectional.call).


def bidirectional(cls, cfg, wf, wb, x, merge, keras):
    back = dict(cfg, go_backwards=not cfg.get("go_backwards", False))
    yf = run(cls, cfg, wf, x, keras)
    yb = run(cls, back, wb, x, keras)
    y, y_rev = yf[0], yb[0]
    if cfg.get("return_sequences"):
        y_rev = y_rev[:, ::-1]
    if merge == "concat":
        out = [np.concatenate([y, y_rev], -1)]
    elif merge == "sum":
        out = [y + y_rev]
    elif merge == "mul":
        out = [y * y_rev]
    elif merge == "ave":
        out = [(y + y_rev) / 2]
    else:
        out = [y, y_rev]
    if cfg.get("return_state"):
        out += yf[1:] + yb[1:]
    return out


bi_cases = [
    ("bi_lstm_concat", "LSTM", {"units": 3, "return_sequences": True},
     "concat", (True, True)),
    ("bi_gru_sum", "GRU", {"units": 2, "reset_after": True}, "sum",
     (True, False)),
    ("bi_rnn_mul", "SimpleRNN", {"units": 2, "return_sequences": True},
     "mul", (True, False)),
    # A layer going backwards: Keras 2 runs its copy forwards; Keras 3
    # makes the copy go backwards too and raises (the .keras is refused).
    ("bi_lstm_ave", "LSTM", {"units": 2, "go_backwards": True}, "ave",
     (True, True)),
    ("bi_gru_none", "GRU", {"units": 2, "return_sequences": True,
                            "reset_after": False}, None, (True, False)),
    ("bi_lstm_state", "LSTM", {"units": 2, "return_state": True}, "concat",
     (True, False)),
]
for name, cls, cfg, merge, (k2, k3) in bi_cases:
    wf = recurrent_weights(cls, cfg["units"], True, cfg.get("reset_after", True))
    wb = recurrent_weights(cls, cfg["units"], True, cfg.get("reset_after", True))
    snake = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "simple_rnn"}[cls]
    inner = {"class_name": cls, "config": dict(name=snake, **cfg)}
    bi_config = {"name": "bidirectional", "layer": inner, "merge_mode": merge}
    n_out = len(bidirectional(cls, cfg, wf, wb, np.zeros((1, 1, F)), merge, 2))
    if n_out == 1:
        model2 = sequential([
            {"class_name": "InputLayer", "config": {
                "name": "input", "batch_input_shape": [None, None, F]}},
            {"class_name": "Bidirectional", "config": bi_config}])
        model3 = sequential([
            {"class_name": "InputLayer", "config": {
                "name": "input", "batch_shape": [None, None, F]}},
            {"class_name": "Bidirectional", "config": bi_config}])
    else:
        model2 = {"class_name": "Functional", "config": {
            "name": "f", "layers": [
                inp("x", [None, F]),
                {"class_name": "Bidirectional", "name": "bidirectional",
                 "config": bi_config, "inbound_nodes": [[["x", 0, 0, {}]]]}],
            "input_layers": [["x", 0, 0]],
            "output_layers": [["bidirectional", 0, i]
                              for i in range(n_out)]}}
    if k2:
        names = k2_names(f"forward_{snake}", cls, wf) + \
            k2_names(f"backward_{snake}", cls, wb)
        write_h5(f"{d}/{name}.h5", model2,
                 {"bidirectional": [(f"bidirectional/{n}", a)
                                    for n, a in names]})
    if k3:
        write_keras3(f"{d}/{name}.keras", model3, [
            ("bidirectional", []), ("bidirectional/forward_layer", []),
            ("bidirectional/forward_layer/cell", wf),
            ("bidirectional/backward_layer", []),
            ("bidirectional/backward_layer/cell", wb)])
    xs = inputs(name, [(5, 7), (0, 1)])
    for (b, t), x in xs.items():
        for keras in (2, 3):
            for i, r in enumerate(bidirectional(cls, cfg, wf, wb, x, merge,
                                                keras)):
                save(f"{name}.b{b}t{t}.ref{keras}_{i}", r)

# Bidirectional errors: an unknown merge_mode, a wrapped Dense.
for name, inner, merge in (
        ("bi_bad_merge", {"class_name": "LSTM", "config": {
            "name": "lstm", "units": 2}}, "max"),
        ("bi_dense", {"class_name": "Dense", "config": {
            "name": "dense", "units": 2}}, "concat")):
    write_h5(f"{d}/{name}.h5", sequential([
        {"class_name": "InputLayer", "config": {
            "name": "input", "batch_input_shape": [None, None, F]}},
        {"class_name": "Bidirectional", "config": {
            "name": "bidirectional", "layer": inner, "merge_mode": merge}}]),
        {"bidirectional": []})
