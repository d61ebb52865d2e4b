#!/usr/bin/python3
"""Independent numpy references for the executed tests.

Never the code under test: weights are read from the test's own IR (the
dense_resource blobs or inline splats), the math is written here with numpy
and scipy, and predict-run's output is compared with it.

  reference.py make-input OUT.npy SHAPE [--seed N] [--dtype f32] [--special]
  reference.py dense-model MODEL.mlir X.npy Y.npy   # a chain of Dense layers
  reference.py activation KIND X.npy Y.npy [--alpha A] [--axis N] [--approximate]
  reference.py check ACTUAL.npy EXPECTED.npy [--rtol R] [--atol A]
  reference.py make-mlp OUT.mlir 100,64,32,10 relu,gelu,softmax [--seed N]
  reference.py batch-norm X.npy Y.npy MEAN VAR GAMMA BETA EPS   # comma lists
  reference.py normalization X.npy Y.npy MEAN VAR
  reference.py chain X.npy Y.npy JSON   # [["dense", K, b], ["bn", m, v, g, b, eps], ["relu"]]
  reference.py glorot W.npz   # every kernel Glorot-uniform, every bias zero
"""
import json

import argparse
import re
import sys

import numpy as np
from scipy import special


def load_resources(text):
    blobs = {}
    for name, hexdata in re.findall(r'^\s*(\w+): "0x([0-9A-Fa-f]+)"', text, re.M):
        raw = bytes.fromhex(hexdata)
        blobs[name] = np.frombuffer(raw[4:], dtype="<f4")  # 4 bytes: alignment
    return blobs


def weight(spec, blobs):
    """`dense_resource<k> : tensor<AxBxf32>` or `dense<0.5> : tensor<...>`."""
    m = re.match(r"dense_resource<(\w+)>\s*:\s*tensor<([\dx]+)xf32>", spec)
    if m:
        shape = [int(d) for d in m.group(2).split("x")]
        return blobs[m.group(1)].reshape(shape)
    m = re.match(r"dense<([-\d.e+]+)>\s*:\s*tensor<([\dx]+)xf32>", spec)
    shape = [int(d) for d in m.group(2).split("x")]
    return np.full(shape, float(m.group(1)), dtype=np.float32)


def dense_layers(path):
    text = open(path).read()
    blobs = load_resources(text)
    layers = []
    pattern = re.compile(
        r"predict\.layer\.dense @\w+\s+kernel = (dense(?:_resource)?<[^>]*>\s*:\s*tensor<[^>]*>)"
        r"(?:\s+bias = (dense(?:_resource)?<[^>]*>\s*:\s*tensor<[^>]*>))?"
        r"(?:\s+activation (\w+))?")
    for kernel, bias, act in pattern.findall(text):
        layers.append((weight(kernel, blobs),
                       weight(bias, blobs) if bias else None,
                       act or "linear"))
    return layers


def activation(kind, x, alpha=None, axis=-1, approximate=False):
    x = x.astype(np.float64)
    if kind == "linear":
        return x
    if kind == "relu":
        return np.maximum(x, 0)
    if kind == "sigmoid":
        return special.expit(x)
    if kind == "tanh":
        return np.tanh(x)
    if kind == "softmax":
        return special.softmax(x, axis=axis)
    if kind == "gelu":
        if approximate:
            return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
        return 0.5 * x * (1 + special.erf(x / np.sqrt(2)))
    if kind == "elu":
        a = 1.0 if alpha is None else alpha
        return np.where(x > 0, x, a * np.expm1(x))
    if kind == "selu":
        return 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x))
    if kind == "leaky_relu":
        a = 0.2 if alpha is None else alpha
        return np.where(x > 0, x, a * x)
    if kind == "swish":
        return x * special.expit(x)
    if kind == "softplus":
        return np.logaddexp(0, x)
    raise SystemExit(f"unknown activation {kind}")


def make_mlp(path, sizes, acts, seed):
    """A predict model of Dense layers with random weights as resource blobs."""
    rng = np.random.default_rng(seed)
    layers, blobs, calls = [], [], []
    value = "%x"
    for i, (n, m, act) in enumerate(zip(sizes, sizes[1:], acts)):
        k = (rng.standard_normal((n, m)) / np.sqrt(n)).astype("<f4")
        b = (rng.standard_normal(m) * 0.1).astype("<f4")
        blobs.append(f'      k{i}: "0x04000000{k.tobytes().hex().upper()}"')
        blobs.append(f'      b{i}: "0x04000000{b.tobytes().hex().upper()}"')
        layers.append(f"  predict.layer.dense @d{i} kernel = dense_resource<k{i}> : "
                      f"tensor<{n}x{m}xf32> bias = dense_resource<b{i}> : "
                      f"tensor<{m}xf32> activation {act}")
        calls.append(f"    %h{i} = predict.apply @d{i}({value}) : "
                     f"(tensor<?x{n}xf32>) -> tensor<?x{m}xf32>")
        value = f"%h{i}"
    text = (f"predict.model @mlp {{\n" + "\n".join(layers) + "\n"
            f"  predict.method @call(%x: tensor<?x{sizes[0]}xf32>) -> tensor<?x{sizes[-1]}xf32> {{\n"
            + "\n".join(calls) + "\n"
            f"    predict.return {value} : tensor<?x{sizes[-1]}xf32>\n  }}\n}}\n"
            f"func.func @predict(%x: tensor<?x{sizes[0]}xf32>) -> tensor<?x{sizes[-1]}xf32> {{\n"
            f"  %y = predict.model_call @mlp(%x) : (tensor<?x{sizes[0]}xf32>) -> tensor<?x{sizes[-1]}xf32>\n"
            f"  return %y : tensor<?x{sizes[-1]}xf32>\n}}\n"
            "{-#\n  dialect_resources: {\n    builtin: {\n" + ",\n".join(blobs)
            + "\n    }\n  }\n#-}\n")
    open(path, "w").write(text)


def floats(text):
    return np.array([float(v) for v in text.split(",")])


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("make-input")
    p.add_argument("out")
    p.add_argument("shape")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--dtype", default="f32")
    p.add_argument("--special", action="store_true",
                   help="rows 0-3 get a NaN, +inf, -inf and 1e30")
    p = sub.add_parser("dense-model")
    p.add_argument("model")
    p.add_argument("x")
    p.add_argument("y")
    p = sub.add_parser("activation")
    p.add_argument("kind")
    p.add_argument("x")
    p.add_argument("y")
    p.add_argument("--alpha", type=float)
    p.add_argument("--axis", type=int, default=-1)
    p.add_argument("--approximate", action="store_true")
    p = sub.add_parser("check")
    p.add_argument("actual")
    p.add_argument("expected")
    p.add_argument("--rtol", type=float, default=1e-5)
    p.add_argument("--atol", type=float, default=1e-6)
    p = sub.add_parser("make-mlp")
    p.add_argument("out")
    p.add_argument("sizes")
    p.add_argument("acts")
    p.add_argument("--seed", type=int, default=0)
    p = sub.add_parser("batch-norm")
    for name in ["x", "y", "mean", "var", "gamma", "beta", "eps"]:
        p.add_argument(name)
    p = sub.add_parser("chain")
    for name in ["x", "y", "ops"]:
        p.add_argument(name)
    p = sub.add_parser("normalization")
    for name in ["x", "y", "mean", "var"]:
        p.add_argument(name)
    p = sub.add_parser("glorot")
    p.add_argument("weights")
    args = parser.parse_args()

    if args.cmd == "make-input":
        shape = [int(d) for d in args.shape.split("x")] if args.shape else []
        rng = np.random.default_rng(args.seed)
        x = rng.standard_normal(shape) * args.scale
        if args.special:
            x[0, 0], x[1, 1], x[2, 2], x[3, :] = np.nan, np.inf, -np.inf, 1e30
        np.save(args.out, x.astype({"f32": np.float32, "f64": np.float64}[args.dtype]))
    elif args.cmd == "dense-model":
        h = np.load(args.x).astype(np.float64)
        for kernel, bias, act in dense_layers(args.model):
            h = h @ kernel.astype(np.float64)
            if bias is not None:
                h = h + bias
            h = activation(act, h)
        np.save(args.y, h)
    elif args.cmd == "activation":
        x = np.load(args.x)
        np.save(args.y, activation(args.kind, x, args.alpha, args.axis, args.approximate))
    elif args.cmd == "make-mlp":
        make_mlp(args.out, [int(v) for v in args.sizes.split(",")],
                 args.acts.split(","), args.seed)
    elif args.cmd == "batch-norm":
        x = np.load(args.x).astype(np.float64)
        y = ((x - floats(args.mean)) / np.sqrt(floats(args.var) + float(args.eps))
             * floats(args.gamma) + floats(args.beta))
        np.save(args.y, y)
    elif args.cmd == "normalization":
        x = np.load(args.x).astype(np.float64)
        # Keras: (x - mean) / max(sqrt(variance), epsilon), epsilon 1e-7
        np.save(args.y, (x - floats(args.mean))
                / np.maximum(np.sqrt(floats(args.var)), 1e-7))
    elif args.cmd == "chain":
        h = np.load(args.x).astype(np.float64)
        for op in json.loads(args.ops):
            if op[0] == "dense":
                h = h @ np.array(op[1]) + np.array(op[2])
            elif op[0] == "bn":
                m, v, g, b, eps = (np.array(op[1]), np.array(op[2]), np.array(op[3]),
                                   np.array(op[4]), op[5])
                h = (h - m) / np.sqrt(v + eps) * g + b
            else:
                h = activation(op[0], h)
        np.save(args.y, h)
    elif args.cmd == "glorot":
        w = np.load(args.weights)
        for key in sorted(w.files):
            a = w[key].astype(np.float64)
            if key.endswith("/bias"):
                print(f"{key}: {a.shape} {'zero' if not a.any() else 'NONZERO'}")
                continue
            limit = np.sqrt(6.0 / sum(a.shape))
            # Uniform on [-limit, limit]: std limit/sqrt(3), all inside.
            inside = np.abs(a).max() <= limit
            std_ok = abs(a.std() / (limit / np.sqrt(3)) - 1) < 0.1
            print(f"{key}: {a.shape} "
                  f"{'glorot-uniform' if inside and std_ok else 'NOT-GLOROT'}")
    elif args.cmd == "check":
        actual = np.load(args.actual)
        # FILE.npz:KEY names one array of an .npz (a model's several outputs).
        path, _, key = args.expected.partition(".npz:")
        expected = (np.load(path + ".npz")[key] if key
                    else np.load(args.expected))
        if actual.shape != expected.shape:
            sys.exit(f"shape {actual.shape} differs from the reference's {expected.shape}")
        # NaN where the reference has NaN (a NaN or infinite input) matches.
        if not np.allclose(actual, expected, rtol=args.rtol, atol=args.atol,
                           equal_nan=True):
            err = np.abs(actual.astype(np.float64) - expected)
            i = np.unravel_index(np.argmax(err), err.shape)
            sys.exit(f"mismatch: max abs error {err.max():.3g} at {i}: "
                     f"{actual[i]} vs reference {expected[i]}")
        print(f"match: {actual.shape} within rtol={args.rtol} atol={args.atol}")


if __name__ == "__main__":
    main()
