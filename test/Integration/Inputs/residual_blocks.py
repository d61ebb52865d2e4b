"""Writes a predict function of four residual blocks, h = h + relu(h @ k_i
+ b_i) over 8 features (weights written in place), and, beside it, inputs of
0, 1 and 9 rows with numpy's float64 outputs: <ref>.x<n>.npy, <ref>.y<n>.npy.

    residual_blocks.py OUT.mlir REF-PREFIX
"""
import sys

import numpy as np

out, ref = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(11)
blocks = [(rng.normal(size=(8, 8)) / 3, rng.normal(size=8) / 3)
          for _ in range(4)]


def literal(a):
    return np.array2string(np.asarray(a, np.float32), separator=", ",
                           threshold=10**6, floatmode="unique")


t = "tensor<?x8xf32>"
lines = [f"func.func @res(%h0: {t}) -> {t} {{"]
for i, (k, b) in enumerate(blocks):
    lines += [
        f"  %k{i} = predict.constant dense<{literal(k)}> : tensor<8x8xf32>",
        f"  %b{i} = predict.constant dense<{literal(b)}> : tensor<8xf32>",
        f"  %d{i} = predict.dense %h{i}, %k{i}, %b{i} activation relu : "
        f"({t}, tensor<8x8xf32>, tensor<8xf32>) -> {t}",
        f"  %h{i + 1} = predict.add %h{i}, %d{i} : ({t}, {t}) -> {t}"]
lines += [f"  return %h{len(blocks)} : {t}", "}"]
open(out, "w").write("\n".join(lines) + "\n")
for n in (0, 1, 9):
    x = rng.normal(size=(n, 8)).astype(np.float32)
    h = x.astype(np.float64)
    for k, b in blocks:
        h = h + np.maximum(h @ k.astype(np.float32).astype(np.float64) +
                           b.astype(np.float32).astype(np.float64), 0)
    np.save(f"{ref}.x{n}.npy", x)
    np.save(f"{ref}.y{n}.npy", h)
