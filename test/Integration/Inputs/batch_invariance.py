"""The models and the checks of batch-invariance.test.

  batch_invariance.py make DIR    writes DIR/mlp.mlir (Dense 100 -> 64 relu,
                                  64 -> 80 relu, 80 -> 10 relu, 10 -> 13
                                  tanh, 13 -> 7 softmax: column tiles of 64,
                                  a 16-column remainder, layers of 10, 13
                                  and 7 units, K of 100, 64, 80, 10 and 13),
                                  DIR/narrow.mlir (Dense 4 -> 1, linear: a
                                  column tile of one unit, K split in two)
                                  and, for each model of WIDTHS and each B
                                  in BATCHES, DIR/NAME-xB.npy, the first B
                                  rows of one input
  batch_invariance.py batches     prints BATCHES
  batch_invariance.py check DIR NAME
                                  reads DIR/NAME-yB.npy (predict-run's
                                  outputs) and checks that every row of
                                  every batch has the same bits as that row
                                  in the largest batch; for the MLP and wf,
                                  that the largest batch matches numpy's
                                  float64 forward pass
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from reference import activation, dense_layers, make_mlp  # noqa: E402

# Full row tiles of 6 (AVX-512 and AVX2), the two-row and one-row tiles of
# the remainder, and several of each at once.
BATCHES = (1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 17, 96)
# The models' input widths (mm and wf: test/Integration/batch-invariance.test's
# programs, a matmul with nothing after it and a weights-first einsum).
WIDTHS = {"mlp": 100, "narrow": 4, "mm": 16, "wf": 16}


def make(directory):
    make_mlp(os.path.join(directory, "mlp.mlir"), [100, 64, 80, 10, 13, 7],
             ["relu", "relu", "relu", "tanh", "softmax"], seed=40)
    make_mlp(os.path.join(directory, "narrow.mlir"), [4, 1], ["linear"],
             seed=1)
    for name, width in WIDTHS.items():
        x = np.random.default_rng(width).standard_normal(
            (max(BATCHES), width)).astype(np.float32)
        for batch in BATCHES:
            np.save(os.path.join(directory, f"{name}-x{batch}.npy"), x[:batch])


def check(directory, name):
    largest = max(BATCHES)
    full = np.load(os.path.join(directory, f"{name}-y{largest}.npy"))
    if name == "mlp":
        x = np.load(os.path.join(directory, f"mlp-x{largest}.npy"))
        x = x.astype(np.float64)
        for kernel, bias, act in dense_layers(
                os.path.join(directory, "mlp.mlir")):
            x = activation(act, x @ kernel + bias)
    if name == "wf":
        # tf.range(160.0) / 100.0 in float32, then y[b, n] = sum_k w[n, k] x[b, k]
        w = (np.arange(160, dtype=np.float32) / np.float32(100)).reshape(10, 16)
        x = np.load(os.path.join(directory, f"wf-x{largest}.npy"))
        x = np.einsum("nk,bk->bn", w.astype(np.float64), x.astype(np.float64))
    if name in ("mlp", "wf"):
        if not np.allclose(full, x, rtol=1e-5, atol=1e-6):
            print(f"batch {largest} differs from numpy by up to "
                  f"{np.abs(full - x).max()}")
            return 1
    for batch in BATCHES:
        y = np.load(os.path.join(directory, f"{name}-y{batch}.npy"))
        # Bits, not values: -0.0 and 0.0 would compare equal.
        same = y.view(np.uint32) == full[:batch].view(np.uint32)
        if y.shape != full[:batch].shape or not same.all():
            rows = sorted(set(np.nonzero(~same)[0].tolist()))
            print(f"{name}, batch {batch}: rows {rows} differ from the same "
                  f"rows of batch {largest}")
            return 1
    print(f"{name}: same bits in {len(BATCHES)} batches")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "make":
        sys.exit(make(sys.argv[2]))
    if sys.argv[1] == "batches":
        sys.exit(print(*BATCHES))
    sys.exit(check(sys.argv[2], sys.argv[3]))
