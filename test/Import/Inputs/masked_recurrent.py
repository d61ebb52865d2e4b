"""Recurrent layers fed a mask (Masking, Embedding(mask_zero=True)) and
given initial_state, in Keras 2's .h5 and Keras 3's .keras layouts.

    masked_recurrent.py make DIR     # the models, inputs and references
    masked_recurrent.py check DIR    # each model compiled once (the predict
                                     # package), run on every input

The references are an independent numpy forward pass of Keras's backend
rnn with a mask (keras/src/backend/tensorflow/rnn.py, Keras 2's
keras/backend.py): at a masked step the state keeps its previous value and
the output is the previous output (zeros before the first unmasked step),
or zeros when zero_output_for_mask (which Bidirectional sets to the layer's
return_sequences); the cell equations are Keras's (gate order i, f, c, o
for LSTM; z, r, h for GRU)."""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras2_h5 import write_h5, write_keras3  # noqa: E402

F = 3          # input features
VOCAB = 6      # Embedding ids 0..5, 0 masked
MASK_VALUE = 0.5


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def cell_step(cls, cfg, ws, xt, h, c):
    """One step of Keras's cell, in float64: (h, c) after it."""
    kernel, rec = ws[0], ws[1]
    u = rec.shape[0]
    bias = ws[2] if len(ws) > 2 else np.zeros(kernel.shape[1])
    act = np.tanh
    ract = sigmoid
    if cls == "LSTM":
        z = xt @ kernel + h @ rec + bias
        i, f = ract(z[:, :u]), ract(z[:, u:2 * u])
        g, o = act(z[:, 2 * u:3 * u]), ract(z[:, 3 * u:])
        c = f * c + i * g
        return o * act(c), c
    if cls == "GRU" and cfg.get("reset_after", True):
        b_in, b_rec = (bias[0], bias[1]) if bias.ndim == 2 else (bias, 0)
        xz = xt @ kernel + b_in
        hz = h @ rec + b_rec
        z = ract(xz[:, :u] + hz[:, :u])
        r = ract(xz[:, u:2 * u] + hz[:, u:2 * u])
        hh = act(xz[:, 2 * u:] + r * hz[:, 2 * u:])
        return z * h + (1 - z) * hh, c
    if cls == "GRU":
        xz = xt @ kernel + bias
        z = ract(xz[:, :u] + h @ rec[:, :u])
        r = ract(xz[:, u:2 * u] + h @ rec[:, u:2 * u])
        hh = act(xz[:, 2 * u:] + (r * h) @ rec[:, 2 * u:])
        return z * h + (1 - z) * hh, c
    return act(xt @ kernel + bias + h @ rec), c


def rnn(cls, cfg, ws, x, mask=None, states=None, zero_output=None):
    """Keras's RNN layer: [output, final states...] (float64)."""
    x = x.astype(np.float64)
    ws = [a.astype(np.float64) for a in ws]
    units = ws[1].shape[0]
    B, T, _ = x.shape
    if zero_output is None:
        zero_output = cfg.get("zero_output_for_mask", False)
    h = np.zeros((B, units)) if states is None else states[0].astype(float)
    c = np.zeros((B, units)) if states is None or cls != "LSTM" else \
        states[1].astype(float)
    prev = np.zeros((B, units))   # the output before the first step
    outs = []
    order = range(T - 1, -1, -1) if cfg.get("go_backwards") else range(T)
    for t in order:
        h_new, c_new = cell_step(cls, cfg, ws, x[:, t], h, c)
        if mask is None:
            out = h_new
        else:
            m = mask[:, t][:, None]
            out = np.where(m, h_new, 0.0 if zero_output else prev)
            h_new = np.where(m, h_new, h)
            c_new = np.where(m, c_new, c)
        h, c, prev = h_new, c_new, out
        outs.append(out)
    y = np.stack(outs, 1) if cfg.get("return_sequences") else outs[-1]
    return [y] + ([h, c] if cls == "LSTM" else [h])


def bidirectional(cls, cfg, wf, wb, x, merge, mask=None, states=None):
    """Keras's Bidirectional: the layer, a copy going backwards, the
    backward sequence flipped back; zero_output_for_mask = return_sequences
    for both."""
    seq = cfg.get("return_sequences", False)
    half = None if states is None else len(states) // 2
    yf = rnn(cls, cfg, wf, x, mask, None if states is None else
             states[:half], zero_output=seq)
    back = dict(cfg, go_backwards=not cfg.get("go_backwards", False))
    yb = rnn(cls, back, wb, x, mask, None if states is None else
             states[half:], zero_output=seq)
    y, y_rev = yf[0], yb[0]
    if seq:
        y_rev = y_rev[:, ::-1]
    out = {"concat": lambda: [np.concatenate([y, y_rev], -1)],
           "sum": lambda: [y + y_rev], "ave": lambda: [(y + y_rev) / 2],
           "mul": lambda: [y * y_rev], None: lambda: [y, y_rev]}[merge]()
    if cfg.get("return_state"):
        out += yf[1:] + yb[1:]
    return out


# ---------------------------------------------------------------------------
# Masks: steps masked at the end, in the middle, at the start, everywhere.

def step_mask(rng, b, t):
    """A batch x time mask: row 0 all valid, then masked at the end, in the
    middle, every step, at the start; further rows random."""
    m = np.ones((b, t), bool)
    for r in range(b):
        kind = r % 5
        if kind == 1:
            m[r, max(1, t // 2):] = False
        elif kind == 2:
            m[r, t // 3:max(t // 3 + 1, 2 * t // 3)] = False
            if t == 1:
                m[r] = False
        elif kind == 3:
            m[r] = False
        elif kind == 4:
            m[r, :max(1, t // 2)] = False
    if b == 1:
        m[0] = True
        m[0, t // 3:max(t // 3 + 1, 2 * t // 3)] = False
    return m


def masked_floats(rng, b, t, mask):
    x = rng.standard_normal((b, t, F)).astype(np.float32)
    x[~mask] = MASK_VALUE
    return x


def masked_ids(rng, b, t, mask):
    ids = rng.integers(1, VOCAB, (b, t)).astype(np.int32)
    ids[~mask] = 0
    return ids


GRID = [(b, t) for b in (0, 1, 5) for t in (1, 7, 50)]


# ---------------------------------------------------------------------------
# Keras configs.

def k2_input(shape, dtype="float32"):
    return {"class_name": "InputLayer", "config": {
        "name": "input", "batch_input_shape": [None] + shape,
        "dtype": dtype}}


def k3_input(shape, dtype="float32"):
    return {"class_name": "InputLayer", "config": {
        "name": "input", "batch_shape": [None] + shape, "dtype": dtype}}


def seq(layers):
    return {"class_name": "Sequential",
            "config": {"name": "sequential", "layers": layers}}


def lay(cls, name, **config):
    return {"class_name": cls, "config": dict(name=name, **config)}


def k2_node(*refs):
    """A Keras 2 call on tensors (name, node, tensor)."""
    return [[[n, i, t, {}] for n, i, t in refs]]


def kt(name, node=0, tensor=0):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": None, "dtype": "float32",
                       "keras_history": [name, node, tensor]}}


def k3_node(arg, **kwargs):
    return [{"args": [kt(*arg)], "kwargs": {
        k: ([kt(*r) for r in v] if isinstance(v, list) else
            (kt(*v) if v is not None else None))
        for k, v in kwargs.items()}}]


def f_layer(cls, name, nodes, **config):
    return {"class_name": cls, "name": name,
            "config": dict(name=name, **config), "inbound_nodes": nodes}


def f_input(name, shape, keras=2):
    key = "batch_input_shape" if keras == 2 else "batch_shape"
    return {"class_name": "InputLayer", "name": name,
            "config": {"name": name, key: [None] + shape,
                       "dtype": "float32"}, "inbound_nodes": []}


def functional(layers, inputs, outputs):
    return {"class_name": "Functional", "config": {
        "name": "f", "layers": layers,
        "input_layers": [[n, 0, 0] for n in inputs],
        "output_layers": [list(o) for o in outputs]}}


def gates(cls):
    return {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[cls]


def cell_name(cls):
    return {"LSTM": "lstm_cell", "GRU": "gru_cell",
            "SimpleRNN": "simple_rnn_cell"}[cls]


def make(d):
    rng = np.random.default_rng(1818)
    manifest = []

    def w(*shape):
        return rng.uniform(-0.8, 0.8, shape).astype(np.float32)

    def weights(cls, units, features=F, reset_after=True):
        g = gates(cls)
        ws = [w(features, g * units), w(units, g * units)]
        ws.append(w(2, g * units) if cls == "GRU" and reset_after
                  else w(g * units))
        return ws

    def k2_names(prefix, cls, ws):
        return [(f"{prefix}/{cell_name(cls)}/{n}", a) for n, a in
                zip(["kernel:0", "recurrent_kernel:0", "bias:0"], ws)]

    def case(name, files, inputs_of, reference):
        """Writes the inputs of every (batch, time) of GRID and the
        references; `inputs_of(b, t)` returns (inputs, mask)."""
        entries = []
        for b, t in GRID:
            ins, mask = inputs_of(b, t)
            outs = reference(ins, mask)
            stem = f"{name}.b{b}t{t}"
            np.savez(f"{d}/{stem}.npz",
                     **{f"in{i}": a for i, a in enumerate(ins)},
                     **{f"out{i}": np.asarray(a, np.float32)
                        for i, a in enumerate(outs)})
            entries.append(stem)
        for f in files:
            manifest.append({"model": f, "cases": entries})

    # 1. Masking -> LSTM(return_sequences), Sequential, both layouts.
    ws = weights("LSTM", 4)
    cfg = {"units": 4, "return_sequences": True}
    for k2 in (True, False):
        inp = (k2_input if k2 else k3_input)([None, F])
        model = seq([inp, lay("Masking", "masking", mask_value=MASK_VALUE),
                     lay("LSTM", "lstm", **cfg)])
        if k2:
            write_h5(f"{d}/mask_lstm.h5", model,
                     {"masking": [], "lstm": k2_names("lstm", "LSTM", ws)})
        else:
            write_keras3(f"{d}/mask_lstm.keras", model,
                         [("lstm", []), ("lstm/cell", ws)])

    def float_inputs(b, t):
        m = step_mask(rng, b, t)
        return [masked_floats(rng, b, t, m)], m

    case("mask_lstm", ["mask_lstm.h5", "mask_lstm.keras"], float_inputs,
         lambda ins, m: rnn("LSTM", cfg, ws, ins[0] * m[..., None], m)[:1])

    # 2. Masking -> GRU, last output only: reset_after=False going
    # backwards (Keras 2), reset_after=True (Keras 3).
    ws_b = weights("GRU", 3, reset_after=False)
    cfg_b = {"units": 3, "reset_after": False, "go_backwards": True}
    write_h5(f"{d}/mask_gru_back.h5", seq([
        k2_input([None, F]), lay("Masking", "masking", mask_value=MASK_VALUE),
        lay("GRU", "gru", **cfg_b)]), {"gru": k2_names("gru", "GRU", ws_b)})
    case("mask_gru_back", ["mask_gru_back.h5"], float_inputs,
         lambda ins, m: rnn("GRU", cfg_b, ws_b, ins[0] * m[..., None], m)[:1])
    ws_a = weights("GRU", 3)
    cfg_a = {"units": 3, "reset_after": True}
    write_keras3(f"{d}/mask_gru.keras", seq([
        k3_input([None, F]), lay("Masking", "masking", mask_value=MASK_VALUE),
        lay("GRU", "gru", **cfg_a)]), [("gru", []), ("gru/cell", ws_a)])
    case("mask_gru", ["mask_gru.keras"], float_inputs,
         lambda ins, m: rnn("GRU", cfg_a, ws_a, ins[0] * m[..., None], m)[:1])

    # 3. Embedding(mask_zero=True) -> SimpleRNN(return_sequences) with
    # zero_output_for_mask (Keras 2 saves it), then Dense (passes the mask)
    # -> LSTM: a mask through a stack.
    table = w(VOCAB, F)
    ws_r = weights("SimpleRNN", 4)
    cfg_r = {"units": 4, "return_sequences": True,
             "zero_output_for_mask": True}
    dk, db = w(4, 3), w(3)
    ws_l = weights("LSTM", 2, features=3)
    cfg_l = {"units": 2}
    for k2 in (True, False):
        inp = (k2_input if k2 else k3_input)([None], "int32")
        model = seq([inp, lay("Embedding", "embedding", input_dim=VOCAB,
                              output_dim=F, mask_zero=True),
                     lay("SimpleRNN", "simple_rnn", **cfg_r),
                     lay("Dense", "dense", units=3, activation="tanh"),
                     lay("LSTM", "lstm", **cfg_l)])
        if k2:
            write_h5(f"{d}/emb_stack.h5", model, {
                "embedding": [("embedding/embeddings:0", table)],
                "simple_rnn": k2_names("simple_rnn", "SimpleRNN", ws_r),
                "dense": [("dense/kernel:0", dk), ("dense/bias:0", db)],
                "lstm": k2_names("lstm", "LSTM", ws_l)})
        else:
            write_keras3(f"{d}/emb_stack.keras", model, [
                ("embedding", [table]), ("simple_rnn", []),
                ("simple_rnn/cell", ws_r), ("dense", [dk, db]),
                ("lstm", []), ("lstm/cell", ws_l)])

    def id_inputs(b, t):
        m = step_mask(rng, b, t)
        return [masked_ids(rng, b, t, m)], m

    def emb_stack(ins, m):
        x = table[ins[0]]
        y = rnn("SimpleRNN", cfg_r, ws_r, x, m)[0]
        y = np.tanh(y @ dk + db)
        return rnn("LSTM", cfg_l, ws_l, y, m)[:1]

    case("emb_stack", ["emb_stack.h5", "emb_stack.keras"], id_inputs,
         emb_stack)

    # 4. Bidirectional: LSTM returning sequences (concat; zeros at masked
    # steps, both directions) in both layouts; GRU's last outputs summed.
    wf, wb = weights("LSTM", 3), weights("LSTM", 3)
    cfg_bi = {"units": 3, "return_sequences": True}
    bi_cfg = {"name": "bidirectional", "merge_mode": "concat",
              "layer": lay("LSTM", "lstm", **cfg_bi)}
    write_h5(f"{d}/mask_bi_lstm.h5", seq([
        k2_input([None, F]), lay("Masking", "masking", mask_value=MASK_VALUE),
        {"class_name": "Bidirectional", "config": bi_cfg}]),
        {"bidirectional": [(f"bidirectional/{n}", a) for n, a in
                           k2_names("forward_lstm", "LSTM", wf) +
                           k2_names("backward_lstm", "LSTM", wb)]})
    bi3 = dict(bi_cfg, backward_layer=lay("LSTM", "backward_lstm",
                                          go_backwards=True, **cfg_bi))
    write_keras3(f"{d}/mask_bi_lstm.keras", seq([
        k3_input([None, F]), lay("Masking", "masking", mask_value=MASK_VALUE),
        {"class_name": "Bidirectional", "config": bi3}]), [
        ("bidirectional", []), ("bidirectional/forward_layer", []),
        ("bidirectional/forward_layer/cell", wf),
        ("bidirectional/backward_layer", []),
        ("bidirectional/backward_layer/cell", wb)])
    case("mask_bi_lstm", ["mask_bi_lstm.h5", "mask_bi_lstm.keras"],
         float_inputs, lambda ins, m: bidirectional(
             "LSTM", cfg_bi, wf, wb, ins[0] * m[..., None], "concat", m))
    gf, gb = weights("GRU", 2), weights("GRU", 2)
    cfg_bg = {"units": 2}
    write_h5(f"{d}/emb_bi_gru.h5", seq([
        k2_input([None], "int32"),
        lay("Embedding", "embedding", input_dim=VOCAB, output_dim=F,
            mask_zero=True),
        {"class_name": "Bidirectional", "config": {
            "name": "bidirectional", "merge_mode": "sum",
            "layer": lay("GRU", "gru", **cfg_bg)}}]),
        {"embedding": [("embedding/embeddings:0", table)],
         "bidirectional": [(f"bidirectional/{n}", a) for n, a in
                           k2_names("forward_gru", "GRU", gf) +
                           k2_names("backward_gru", "GRU", gb)]})
    case("emb_bi_gru", ["emb_bi_gru.h5"], id_inputs,
         lambda ins, m: bidirectional("GRU", cfg_bg, gf, gb, table[ins[0]],
                                      "sum", m))

    # 5. Functional (Keras 2): two masked inputs added (the masks and-ed)
    # -> LSTM(return_sequences, return_state): the sequence and the states.
    ws_s = weights("LSTM", 3)
    cfg_s = {"units": 3, "return_sequences": True, "return_state": True}
    write_h5(f"{d}/merge_state.h5", functional([
        f_input("a", [None, F]), f_input("b", [None, F]),
        f_layer("Masking", "ma", k2_node(("a", 0, 0)), mask_value=MASK_VALUE),
        f_layer("Masking", "mb", k2_node(("b", 0, 0)), mask_value=MASK_VALUE),
        f_layer("Add", "add", k2_node(("ma", 0, 0), ("mb", 0, 0))),
        f_layer("LSTM", "lstm", k2_node(("add", 0, 0)), **cfg_s)],
        ["a", "b"], [("lstm", 0, 0), ("lstm", 0, 1), ("lstm", 0, 2)]),
        {"lstm": k2_names("lstm", "LSTM", ws_s)})

    def two_inputs(b, t):
        ma, mb = step_mask(rng, b, t), step_mask(rng, b, t)
        if b:
            mb = np.roll(mb, 1, axis=0)
        return [masked_floats(rng, b, t, ma), masked_floats(rng, b, t, mb)], \
            (ma, mb)

    case("merge_state", ["merge_state.h5"], two_inputs,
         lambda ins, m: rnn("LSTM", cfg_s, ws_s,
                            ins[0] * m[0][..., None] + ins[1] * m[1][..., None],
                            m[0] & m[1]))

    # 6. initial_state from the graph with a mask: LSTM's [h, c] (Keras 2
    # inputs after the sequence; Keras 3 the initial_state keyword, with the
    # mask Keras 3 records), GRU's h; the outputs at masked steps before the
    # first unmasked one are zeros, not the initial state.
    ws_i = weights("LSTM", 2)
    cfg_i = {"units": 2, "return_sequences": True}
    write_h5(f"{d}/init_lstm.h5", functional([
        f_input("x", [None, F]), f_input("h", [2]), f_input("c", [2]),
        f_layer("Masking", "masking", k2_node(("x", 0, 0)),
                mask_value=MASK_VALUE),
        f_layer("LSTM", "lstm", k2_node(("masking", 0, 0), ("h", 0, 0),
                                        ("c", 0, 0)), **cfg_i)],
        ["x", "h", "c"], [("lstm", 0, 0)]),
        {"lstm": k2_names("lstm", "LSTM", ws_i)})
    write_keras3(f"{d}/init_lstm.keras", functional([
        f_input("x", [None, F], 3), f_input("h", [2], 3),
        f_input("c", [2], 3),
        f_layer("Masking", "masking", k3_node(("x", 0, 0), mask=None),
                mask_value=MASK_VALUE),
        f_layer("LSTM", "lstm", k3_node(
            ("masking", 0, 0), initial_state=[("h", 0, 0), ("c", 0, 0)],
            mask=("masking", 0, 0)), **cfg_i)],
        ["x", "h", "c"], [("lstm", 0, 0)]), [("lstm", []),
                                             ("lstm/cell", ws_i)])

    def with_states(n):
        def inputs(b, t):
            m = step_mask(rng, b, t)
            x = masked_floats(rng, b, t, m)
            return [x] + [rng.standard_normal((b, 2)).astype(np.float32)
                          for _ in range(n)], m
        return inputs

    case("init_lstm", ["init_lstm.h5", "init_lstm.keras"], with_states(2),
         lambda ins, m: rnn("LSTM", cfg_i, ws_i, ins[0] * m[..., None], m,
                            states=ins[1:])[:1])

    # Bidirectional(GRU) with initial_state [h_forward, h_backward], no
    # mask, merge_mode None (Keras 2).
    bf, bb = weights("GRU", 2), weights("GRU", 2)
    cfg_ib = {"units": 2, "return_sequences": True}
    write_h5(f"{d}/init_bi_gru.h5", functional([
        f_input("x", [None, F]), f_input("hf", [2]), f_input("hb", [2]),
        f_layer("Bidirectional", "bidirectional",
                k2_node(("x", 0, 0), ("hf", 0, 0), ("hb", 0, 0)),
                merge_mode=None, layer=lay("GRU", "gru", **cfg_ib))],
        ["x", "hf", "hb"], [("bidirectional", 0, 0),
                            ("bidirectional", 0, 1)]),
        {"bidirectional": [(f"bidirectional/{n}", a) for n, a in
                           k2_names("forward_gru", "GRU", bf) +
                           k2_names("backward_gru", "GRU", bb)]})

    def states_no_mask(b, t):
        x = rng.standard_normal((b, t, F)).astype(np.float32)
        return [x] + [rng.standard_normal((b, 2)).astype(np.float32)
                      for _ in range(2)], None

    case("init_bi_gru", ["init_bi_gru.h5"], states_no_mask,
         lambda ins, m: bidirectional("GRU", cfg_ib, bf, bb, ins[0], None,
                                      states=ins[1:]))

    # SimpleRNN with an initial state, no mask, last output (Keras 3).
    ws_si = weights("SimpleRNN", 2)
    write_keras3(f"{d}/init_rnn.keras", functional([
        f_input("x", [None, F], 3), f_input("h", [2], 3),
        f_layer("SimpleRNN", "simple_rnn", k3_node(
            ("x", 0, 0), initial_state=[("h", 0, 0)], mask=None), units=2)],
        ["x", "h"], [("simple_rnn", 0, 0)]),
        [("simple_rnn", []), ("simple_rnn/cell", ws_si)])

    def one_state(b, t):
        x = rng.standard_normal((b, t, F)).astype(np.float32)
        return [x, rng.standard_normal((b, 2)).astype(np.float32)], None

    case("init_rnn", ["init_rnn.keras"], one_state,
         lambda ins, m: rnn("SimpleRNN", {"units": 2}, ws_si, ins[0],
                            states=ins[1:])[:1])

    with open(f"{d}/manifest.json", "w") as f:
        json.dump(manifest, f)

    # Errors. A mask into GlobalAveragePooling1D (which Keras averages over
    # the unmasked steps); a mask through a layer whose masking predict does
    # not know (UpSampling1D) into an LSTM; a Keras 3 call passing a mask
    # where the graph has none.
    write_h5(f"{d}/err_gap.h5", seq([
        k2_input([None, F]), lay("Masking", "masking"),
        lay("GlobalAveragePooling1D", "gap")]), {})
    write_h5(f"{d}/err_unknown.h5", seq([
        k2_input([None, F]), lay("Masking", "masking"),
        lay("UpSampling1D", "up", size=2),
        lay("LSTM", "lstm", units=4)]),
        {"lstm": k2_names("lstm", "LSTM", weights("LSTM", 4))})
    write_keras3(f"{d}/err_mask_kwarg.keras", functional([
        f_input("x", [None, F], 3), f_input("m", [None, F], 3),
        f_layer("LSTM", "lstm", k3_node(("x", 0, 0), mask=("m", 0, 0)),
                units=2)], ["x", "m"], [("lstm", 0, 0)]),
        [("lstm", []), ("lstm/cell", weights("LSTM", 2))])
    write_h5(f"{d}/err_states.h5", functional([
        f_input("x", [None, F]), f_input("h", [2]),
        f_layer("LSTM", "lstm", k2_node(("x", 0, 0), ("h", 0, 0)), units=2)],
        ["x", "h"], [("lstm", 0, 0)]),
        {"lstm": k2_names("lstm", "LSTM", weights("LSTM", 2))})


def check(d):
    import predict
    with open(f"{d}/manifest.json") as f:
        manifest = json.load(f)
    failures = 0
    for entry in manifest:
        model = predict.compile(f"{d}/{entry['model']}")
        for stem in entry["cases"]:
            data = np.load(f"{d}/{stem}.npz")
            ins = [data[f"in{i}"] for i in range(len(data.files))
                   if f"in{i}" in data.files]
            outs = [data[f"out{i}"] for i in range(len(data.files))
                    if f"out{i}" in data.files]
            got = model(*ins)
            if not isinstance(got, (list, tuple)):
                got = [got]
            for i, (g, e) in enumerate(zip(got, outs)):
                if g.shape != e.shape or not np.allclose(
                        g, e, rtol=1e-4, atol=1e-5):
                    failures += 1
                    err = np.abs(g - e).max() if g.shape == e.shape else \
                        f"shape {g.shape} vs {e.shape}"
                    print(f"MISMATCH {entry['model']} {stem} output {i}: "
                          f"{err}")
            if len(got) != len(outs):
                failures += 1
                print(f"MISMATCH {entry['model']} {stem}: {len(got)} "
                      f"outputs, expected {len(outs)}")
        print(f"checked {entry['model']}: {len(entry['cases'])} inputs")
    print("all match" if not failures else f"{failures} mismatches")


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
