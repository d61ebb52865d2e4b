#!/usr/bin/python3
"""numpy/scipy references for test/Integration/foreign-rewrites.mlir: reads the
inputs and predict-run's outputs from a directory and compares each output
with what numpy or scipy computes for the same call."""

import sys

import numpy as np
from scipy import signal, special

d = sys.argv[1]
load = lambda name: np.load(f"{d}/{name}.npy").astype(np.float64)
x, a, b, img, k = load("x"), load("a"), load("b"), load("img"), load("k")
v, kv = load("v"), load("kv")
vol, kvol = load("vol"), load("kvol")

expected = {
    "tanh": np.tanh(x), "exp": np.exp(x), "log": np.log(np.abs(x) + 1),
    "sqrt": np.sqrt(np.abs(x)), "abs": np.abs(x), "absolute": np.absolute(x),
    "negative": np.negative(x),
    "maximum": np.maximum(x, 0.5), "minimum": np.minimum(x, 0.25),
    "clip": np.clip(x, -0.5, 1.0), "clip_kw": np.clip(x, a_min=None, a_max=0.75),
    "clip_tensor": np.clip(x, np.full(4, -0.25), None),
    "where": np.where(x > 0, x, 0.1 * x),
    "expit": special.expit(x), "softmax": special.softmax(x, axis=1),
    "softmax0": special.softmax(x, axis=0),
    "matmul": np.matmul(a, b), "dot": np.dot(a, b),
    "concatenate": np.concatenate([x, x * 2], axis=1),
    "stack": np.stack([x, x * 2], axis=0), "stack_last": np.stack([x, x * 2], axis=-1),
}
for mode in ["full", "same", "valid"]:
    expected[f"convolve_{mode}"] = signal.convolve(img, k, mode=mode)
    expected[f"correlate_{mode}"] = signal.correlate(img, k, mode=mode)
    expected[f"convolve1d_{mode}"] = signal.convolve(v, kv, mode=mode)
    expected[f"convolve3d_{mode}"] = signal.convolve(vol, kvol, mode=mode)

bad = []
for name in sys.argv[2:]:
    got = np.load(f"{d}/{name}.out.npy")
    want = expected[name]
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5, atol=1e-5):
        bad.append(f"{name}: got {got.shape}, want {want.shape}; "
                   f"max error {np.max(np.abs(got - want)) if got.shape == want.shape else 'n/a'}")
if bad:
    sys.exit("mismatch:\n" + "\n".join(bad))
print(f"all {len(sys.argv) - 2} match")
