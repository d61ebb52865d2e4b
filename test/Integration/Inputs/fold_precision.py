#!/usr/bin/python3
"""BatchNormalization and Normalization before a Dense layer, on raw features
of a given scale (mean = scale * [1, 2, 5, 3], spread ~1): the model, its
inputs, and the check against a float64 numpy reference.

  fold_precision.py make DIR SCALE     # DIR/m.mlir (@bn, @norm), DIR/x.npy
  fold_precision.py check DIR SCALE    # DIR/bn.npy, DIR/norm.npy

The check: predict's error is no worse than TensorFlow's own float32
evaluation of the unfolded layers (BatchNormalization as TF computes it,
x * inv + (beta - mean * inv) with inv = gamma / sqrt(var + eps); Keras
Normalization as (x - mean) / max(sqrt(var), eps)), then x @ K + b in
float32, up to a few float32 ulps of the outputs.
"""
import sys

import numpy as np


def params(scale):
    rng = np.random.default_rng(3)
    f, u = 4, 3
    mean = (np.array([1.0, 2.0, 5.0, 3.0]) * scale).astype(np.float32)
    var = np.array([1.0, 0.25, 4.0, 1.0], np.float32)
    gamma = np.array([1.0, 0.5, 2.0, 1.5], np.float32)
    beta = np.array([0.0, 0.1, -0.2, 0.3], np.float32)
    K = rng.standard_normal((f, u)).astype(np.float32)
    b = rng.standard_normal(u).astype(np.float32)
    x = (mean + rng.standard_normal((1000, f)) * np.sqrt(var)).astype(np.float32)
    return mean, var, gamma, beta, K, b, x


def lit(a):
    return "dense<" + np.array2string(a, separator=", ", floatmode="unique",
                                      threshold=10**6).replace("\n", "") + ">"


def make(d, scale):
    mean, var, gamma, beta, K, b, x = params(scale)
    v, k, bt = "tensor<4xf32>", "tensor<4x3xf32>", "tensor<3xf32>"
    consts = (f"  %m = predict.constant {lit(mean)} : {v}\n"
              f"  %v = predict.constant {lit(var)} : {v}\n"
              f"  %k = predict.constant {lit(K)} : {k}\n"
              f"  %b = predict.constant {lit(b)} : {bt}\n")
    text = (
        f"func.func @bn(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {{\n{consts}"
        f"  %g = predict.constant {lit(gamma)} : {v}\n"
        f"  %be = predict.constant {lit(beta)} : {v}\n"
        f"  %n = predict.batch_norm %x mean %m variance %v gamma %g beta %be epsilon = 1.0e-3 axis = -1"
        f" : (tensor<?x4xf32>, {v}, {v}, {v}, {v}) -> tensor<?x4xf32>\n"
        f"  %y = predict.dense %n, %k, %b : (tensor<?x4xf32>, {k}, {bt}) -> tensor<?x3xf32>\n"
        f"  return %y : tensor<?x3xf32>\n}}\n"
        f"func.func @norm(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {{\n{consts}"
        f"  %n = predict.normalization %x mean %m variance %v"
        f" : (tensor<?x4xf32>, {v}, {v}) -> tensor<?x4xf32>\n"
        f"  %y = predict.dense %n, %k, %b : (tensor<?x4xf32>, {k}, {bt}) -> tensor<?x3xf32>\n"
        f"  return %y : tensor<?x3xf32>\n}}\n")
    open(f"{d}/m.mlir", "w").write(text)
    np.save(f"{d}/x.npy", x)


def check(d, scale):
    mean, var, gamma, beta, K, b, x = params(scale)
    f64 = lambda a: a.astype(np.float64)
    bad = 0
    for name in ["bn", "norm"]:
        y = np.load(f"{d}/{name}.npy").astype(np.float64)
        if name == "bn":
            ref = (f64(gamma) * (f64(x) - f64(mean)) / np.sqrt(f64(var) + 1e-3)
                   + f64(beta)) @ f64(K) + f64(b)
            inv = (gamma / np.sqrt(var + np.float32(1e-3))).astype(np.float32)
            tf = x * inv + (beta - mean * inv)
        else:
            ref = ((f64(x) - f64(mean)) / np.maximum(np.sqrt(f64(var)), 1e-7)) @ f64(K) + f64(b)
            tf = (x - mean) / np.maximum(np.sqrt(var), np.float32(1e-7))
        tf = (tf.astype(np.float32) @ K + b).astype(np.float64)
        err, tf_err = np.abs(y - ref).max(), np.abs(tf - ref).max()
        bound = tf_err + 4 * np.spacing(np.float32(np.abs(ref).max()))
        ok = err <= bound
        bad += not ok
        print(f"scale {scale:g} {name}: {'ok' if ok else 'LESS ACCURATE'} "
              f"(error {err:.3g}, TensorFlow's float32 {tf_err:.3g})")
    return bad


if __name__ == "__main__":
    cmd, d, scale = sys.argv[1], sys.argv[2], float(sys.argv[3])
    if cmd == "make":
        make(d, scale)
    else:
        sys.exit(1 if check(d, scale) else 0)
