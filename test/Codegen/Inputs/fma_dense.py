"""Writes the dense-kernel model of fma-targets.test and its numpy reference.

  fma_dense.py DIR     writes DIR/dense.mlir (Dense 96 -> 80, relu: tiles
                       of 32 columns and a 16-column remainder) and, for
                       each batch B in 0 1 3 17, DIR/xB.npy and DIR/yB.npy
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "Integration", "Inputs"))
from reference import dense_layers, make_mlp  # noqa: E402


def main(directory):
    path = os.path.join(directory, "dense.mlir")
    make_mlp(path, [96, 80], ["relu"], seed=20)
    [(kernel, bias, _)] = dense_layers(path)
    rng = np.random.default_rng(0)
    for batch in (0, 1, 3, 17):
        x = rng.standard_normal((batch, 96)).astype(np.float32)
        # relu(x K + b), summed in float64 by numpy.
        y = np.maximum(x.astype(np.float64) @ kernel + bias, 0)
        np.save(os.path.join(directory, f"x{batch}.npy"), x)
        np.save(os.path.join(directory, f"y{batch}.npy"), y.astype(np.float32))


if __name__ == "__main__":
    main(sys.argv[1])
