#!/usr/bin/python3
"""NaN and Inf through every op and activation: the test's IR and its
independent numpy references.

  nonfinite.py make DIR      # DIR/{dense,activations,elementwise,norms}.mlir,
                             # their inputs DIR/<group>.x*.npy and
                             # references DIR/<group>.ref<i>.npy
  nonfinite.py check DIR GROUP ACTUAL-PREFIX   # ACTUAL-PREFIX<i>.npy

References follow numpy (float64, IEEE): NaN in, NaN out; inf - inf,
0 * inf and inf / inf are NaN; np.maximum/np.minimum propagate NaN; a
comparison with NaN is false. Where TensorFlow is the authority (the Keras
activations) its formulas are written out and agree with numpy on these
values: relu(NaN) = NaN (Eigen's max(x, 0) keeps NaN), softmax of a row
holding NaN or +inf is NaN (x - max(x) is NaN), gelu(-inf) and swish(-inf)
are NaN (-inf * 0, as TF's 0.5 x (1 + erf(x / sqrt 2)) and x sigmoid(x)
compute), softplus is TF's overflow-free log1p(exp(-|x|)) + max(x, 0).
"""
import sys

import numpy as np
from scipy import special

NAN, INF = np.nan, np.inf
# Values of every kind: NaN, infinities, signed zeros, huge, tiny, ordinary.
SPECIAL = np.array([NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 2.5, -3.0, 1e30,
                    -1e30, 0.5, 88.5, -88.5, 1e-3], np.float32)


def blob(name, a):
    return f'      {name}: "0x04000000{np.ascontiguousarray(a, "<f4").tobytes().hex().upper()}"'


def module(funcs, blobs):
    return ("\n".join(funcs) + "\n{-#\n  dialect_resources: {\n    builtin: {\n"
            + ",\n".join(blobs) + "\n    }\n  }\n#-}\n")


def ty(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


ACTS = ["linear", "relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "selu",
        "leaky_relu", "swish", "softplus"]


def act(kind, x, alpha=None, axis=-1, approximate=False):
    with np.errstate(all="ignore"):
        if kind == "linear":
            return x
        if kind == "relu":
            return np.maximum(x, 0)
        if kind == "sigmoid":
            return special.expit(x)
        if kind == "tanh":
            return np.tanh(x)
        if kind == "softmax":  # tf.nn.softmax: exp(x - max) / sum
            e = np.exp(x - np.max(x, axis=axis, keepdims=True))
            return e / np.sum(e, axis=axis, keepdims=True)
        if kind == "gelu":
            if approximate:
                return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
            return 0.5 * x * (1 + special.erf(x / np.sqrt(2)))
        if kind in ("elu", "selu"):
            a = 1.6732632423543772 if kind == "selu" else (1.0 if alpha is None else alpha)
            y = np.where(x > 0, x, a * np.expm1(x))
            return 1.0507009873554805 * y if kind == "selu" else y
        if kind == "leaky_relu":
            return np.where(x > 0, x, (0.2 if alpha is None else alpha) * x)
        if kind == "swish":
            return x * special.expit(x)
        if kind == "softplus":
            return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    raise SystemExit(kind)


def make(d):
    rng = np.random.default_rng(14)
    groups = {}

    # Dense layers (the tiled, vectorized and threaded path): 37 rows are 4
    # full row tiles, shared out on 2 threads, and 5 one-row tiles.
    n, k, m = 37, 300, 64
    x = rng.standard_normal((n, k)).astype(np.float32)
    x[1, 0], x[4, 10], x[6, 20], x[33, 5], x[35, 7] = NAN, INF, -INF, NAN, INF
    K = (rng.standard_normal((k, m)) / np.sqrt(k)).astype(np.float32)
    K[:, 3] = NAN
    K[7, 5], K[2, 9], K[100, 40] = INF, -INF, NAN
    b = (rng.standard_normal(m) * 0.1).astype(np.float32)
    b[11], b[13], b[14] = NAN, INF, -INF
    Knan = np.full((k, m), NAN, np.float32)
    with np.errstate(all="ignore"):
        # Elementwise products summed: IEEE for inf * 0 (BLAS may not be).
        xK = (x.astype(np.float64)[:, :, None] * K.astype(np.float64)[None]).sum(1) + b
    refs, body, results = [], [], []
    for i, a in enumerate(ACTS):
        body.append(f"  %y{i} = predict.dense %x, %k, %b activation {a} : "
                    f"({ty(['?', k])}, {ty([k, m])}, {ty([m])}) -> {ty(['?', m])}")
        refs.append(act(a, xK))
    # The reproducer: an all-NaN kernel before sigmoid and softmax.
    for a in ["sigmoid", "softmax", "relu"]:
        i = len(refs)
        body.append(f"  %y{i} = predict.dense %x, %knan, %b activation {a} : "
                    f"({ty(['?', k])}, {ty([k, m])}, {ty([m])}) -> {ty(['?', m])}")
        refs.append(np.full((n, m), NAN))
    func = (f"func.func @dense(%x: {ty(['?', k])}) -> ({', '.join([ty(['?', m])] * len(refs))}) {{\n"
            f"  %k = arith.constant dense_resource<k> : {ty([k, m])}\n"
            f"  %knan = arith.constant dense_resource<knan> : {ty([k, m])}\n"
            f"  %b = arith.constant dense_resource<b> : {ty([m])}\n"
            + "\n".join(body) + "\n"
            f"  return {', '.join(f'%y{i}' for i in range(len(refs)))} : "
            f"{', '.join([ty(['?', m])] * len(refs))}\n}}")
    groups["dense"] = (module([func], [blob("k", K), blob("knan", Knan), blob("b", b)]),
                       [x], refs)

    # Activations on every special value; rows of softmax hold one NaN, one
    # +inf, one -inf, only -inf, or none.
    x = np.resize(SPECIAL, (11, 15)).astype(np.float32)
    for r in range(11):
        x[r] = np.roll(SPECIAL, r)
    x[0] = np.linspace(-3, 3, 15)
    x[1] = -INF
    x[2] = np.linspace(-3, 3, 15)
    x[2, 4] = -INF
    variants = [(a, {}) for a in ACTS] + [
        ("softmax", {"axis": 0}), ("gelu", {"approximate": True}),
        ("elu", {"alpha": 0.5}), ("leaky_relu", {"alpha": 0.3})]
    body, refs = [], []
    for i, (a, kw) in enumerate(variants):
        attrs = ""
        if "axis" in kw:
            attrs = f" axis = {kw['axis']}"
        if kw.get("approximate"):
            attrs = " approximate"
        if "alpha" in kw:
            attrs = f" alpha = {kw['alpha']}"
        body.append(f"  %y{i} = predict.activation {a} %x{attrs} : {ty(['?', 15])}")
        refs.append(act(a, x.astype(np.float64), **kw))
    t = ty(["?", 15])
    func = (f"func.func @activations(%x: {t}) -> ({', '.join([t] * len(refs))}) {{\n"
            + "\n".join(body) + "\n"
            f"  return {', '.join(f'%y{i}' for i in range(len(refs)))} : {', '.join([t] * len(refs))}\n}}")
    groups["activations"] = (module([func], []), [x], refs)

    # Elementwise math on every pair of special values: x[i, j] = S[j],
    # y[i, j] = S[i].
    s = len(SPECIAL)
    x = np.tile(SPECIAL, (s, 1))
    y = x.T.copy()
    W = rng.standard_normal((s, 5)).astype(np.float32)
    W[0, 1], W[3, 2], W[4, 3] = NAN, INF, -INF
    # In float32, as numpy computes on float32 arrays: 1e30 * 1e30 is inf.
    x64, y64 = x, y
    t = ty(["?", s])
    ops, refs = [], []
    with np.errstate(all="ignore"):
        for name, f in [("add", np.add), ("sub", np.subtract), ("mul", np.multiply),
                        ("div", np.divide), ("pow", np.power),
                        ("maximum", np.maximum), ("minimum", np.minimum)]:
            ops.append(f"predict.{name} %x, %y : ({t}, {t}) -> {t}")
            refs.append(f(x64, y64))
        for name, f in [("neg", np.negative), ("exp", np.exp), ("log", np.log),
                        ("sqrt", np.sqrt), ("abs", np.abs)]:
            ops.append(f"predict.{name} %x : {t}")
            refs.append(f(x64))
        ops.append(f"predict.clip %x min = -1.0 max = 2.0 : {t}")
        refs.append(np.clip(x64, -1, 2))
        ops.append(f"predict.add %x, %y, %x : ({t}, {t}, {t}) -> {t}")
        refs.append(x64 + y64 + x64)
        mm = (x64[:, :, None] * W.astype(np.float64)[None]).sum(1)
    body = []
    for i, op in enumerate(ops):
        body.append(f"  %r{i} = {op}")
    # compare and select: NaN compares false.
    i = len(ops)
    body.append(f"  %m = predict.compare gt %x, %y : ({t}, {t}) -> {ty(['?', s]).replace('f32', 'i1')}")
    body.append(f"  %r{i} = predict.select %m, %x, %y : ({ty(['?', s]).replace('f32', 'i1')}, {t}, {t}) -> {t}")
    refs.append(np.where(x64 > y64, x64, y64))
    body.append(f"  %r{i + 1} = predict.matmul %x, %w : ({t}, {ty([s, 5])}) -> {ty(['?', 5])}")
    refs.append(mm)
    types = [t] * (i + 1) + [ty(["?", 5])]
    func = (f"func.func @elementwise(%x: {t}, %y: {t}) -> ({', '.join(types)}) {{\n"
            f"  %w = arith.constant dense_resource<w> : {ty([s, 5])}\n"
            + "\n".join(body) + "\n"
            f"  return {', '.join(f'%r{j}' for j in range(len(refs)))} : {', '.join(types)}\n}}")
    groups["elementwise"] = (module([func], [blob("w", W)]), [x, y], refs)

    # Normalizations, alone and folded into a Dense layer, with NaN, inf
    # and a negative variance (sqrt: NaN) among their statistics.
    f = 6
    x = np.tile(SPECIAL[:12], (1, 1)).reshape(2, f).repeat(4, 0).astype(np.float32)
    x[2:] = rng.standard_normal((6, f))
    mean = np.array([0.5, NAN, 1.0, -2.0, INF, 0.0], np.float32)
    var = np.array([1.0, 2.0, -1.0, 4.0, 1.0, INF], np.float32)
    gamma = np.array([1.0, 1.0, 1.0, NAN, 2.0, 1.0], np.float32)
    beta = np.array([0.0, 0.1, 0.2, 0.3, INF, 0.5], np.float32)
    K = rng.standard_normal((f, 4)).astype(np.float32)
    kb = np.zeros(4, np.float32)
    x64 = x.astype(np.float64)
    m64, v64, g64, b64 = (a.astype(np.float64) for a in (mean, var, gamma, beta))
    with np.errstate(all="ignore"):
        bn = g64 * (x64 - m64) / np.sqrt(v64 + 1e-3) + b64
        norm = (x64 - m64) / np.maximum(np.sqrt(v64), 1e-7)
        refs = [bn, norm,
                (bn[:, :, None] * K.astype(np.float64)[None]).sum(1),
                (norm[:, :, None] * K.astype(np.float64)[None]).sum(1)]
    t, vt = ty(["?", f]), ty([f])
    func = (f"func.func @norms(%x: {t}) -> ({t}, {t}, {ty(['?', 4])}, {ty(['?', 4])}) {{\n"
            f"  %m = predict.constant dense_resource<m> : {vt}\n"
            f"  %v = predict.constant dense_resource<v> : {vt}\n"
            f"  %g = predict.constant dense_resource<g> : {vt}\n"
            f"  %be = predict.constant dense_resource<be> : {vt}\n"
            f"  %k = predict.constant dense_resource<kk> : {ty([f, 4])}\n"
            f"  %kb = predict.constant dense_resource<kb> : {ty([4])}\n"
            f"  %0 = predict.batch_norm %x mean %m variance %v gamma %g beta %be epsilon = 1.0e-3 axis = -1 : ({t}, {vt}, {vt}, {vt}, {vt}) -> {t}\n"
            f"  %1 = predict.normalization %x mean %m variance %v : ({t}, {vt}, {vt}) -> {t}\n"
            f"  %2 = predict.batch_norm %x mean %m variance %v gamma %g beta %be epsilon = 1.0e-3 axis = -1 : ({t}, {vt}, {vt}, {vt}, {vt}) -> {t}\n"
            f"  %3 = predict.dense %2, %k, %kb : ({t}, {ty([f, 4])}, {ty([4])}) -> {ty(['?', 4])}\n"
            f"  %4 = predict.normalization %x mean %m variance %v : ({t}, {vt}, {vt}) -> {t}\n"
            f"  %5 = predict.dense %4, %k, %kb : ({t}, {ty([f, 4])}, {ty([4])}) -> {ty(['?', 4])}\n"
            f"  return %0, %1, %3, %5 : {t}, {t}, {ty(['?', 4])}, {ty(['?', 4])}\n}}")
    groups["norms"] = (module([func], [blob("m", mean), blob("v", var), blob("g", gamma),
                                       blob("be", beta), blob("kk", K), blob("kb", kb)]),
                       [x], refs)

    for name, (text, inputs, refs) in groups.items():
        open(f"{d}/{name}.mlir", "w").write(text)
        for i, a in enumerate(inputs):
            np.save(f"{d}/{name}.x{i}.npy", a.astype(np.float32))
        for i, r in enumerate(refs):
            np.save(f"{d}/{name}.ref{i}.npy", r)
        open(f"{d}/{name}.n", "w").write(str(len(refs)))


def check(d, group, prefix):
    n = int(open(f"{d}/{group}.n").read())
    bad = 0
    for i in range(n):
        ref = np.load(f"{d}/{group}.ref{i}.npy")
        y = np.load(f"{prefix}{i}.npy").astype(np.float64)
        if y.shape != ref.shape:
            print(f"{group} result {i}: shape {y.shape}, expected {ref.shape}")
            bad += 1
            continue
        # NaN where numpy has NaN, the same infinities, finite values close
        # (float32 against float64; the approximations are a few ulp).
        same_nan = np.isnan(y) == np.isnan(ref)
        finite = np.isfinite(ref)
        same_inf = np.where(np.isinf(ref), y == ref, True)
        with np.errstate(all="ignore"):
            close = np.where(finite, np.abs(y - ref) <= 1e-5 + 2e-5 * np.abs(ref), True)
        ok = same_nan & same_inf & close
        if not ok.all():
            idx = tuple(np.argwhere(~ok)[0])
            print(f"{group} result {i}: {(~ok).sum()} mismatches, first at {idx}: "
                  f"got {y[idx]!r}, numpy {ref[idx]!r}")
            bad += 1
    print(f"{group}: {'match' if not bad else 'MISMATCH'}")
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
