"""Converts between .npy and the raw files of aot_main.c (test helper).

  aot_io.py to-raw IN.npy OUT.bin      prints the shape as 5x31
  aot_io.py check OUT.bin REF.npy [--rtol R] [--atol A]
      reads OUT.bin with the dtype of REF.npy and the shape in OUT.bin.shape,
      prints `match: (shape)` or the first difference and exits 1.
"""
import sys

import numpy as np


def main(argv):
    if argv[0] == "to-raw":
        a = np.ascontiguousarray(np.load(argv[1]))
        a.tofile(argv[2])
        print("x".join(str(d) for d in a.shape) or "")
        return 0
    if argv[0] == "check":
        ref = np.load(argv[2])
        with open(argv[1] + ".shape") as f:
            text = f.read().strip()
        shape = tuple(int(d) for d in text.split("x")) if text else ()
        got = np.fromfile(argv[1], dtype=ref.dtype).reshape(shape)
        rtol = float(argv[argv.index("--rtol") + 1]) if "--rtol" in argv else 1e-5
        atol = float(argv[argv.index("--atol") + 1]) if "--atol" in argv else 1e-6
        if got.shape != ref.shape:
            print(f"shape differs: {got.shape} != {ref.shape}")
            return 1
        if not np.allclose(got, ref, rtol=rtol, atol=atol, equal_nan=True):
            bad = np.argwhere(~np.isclose(got, ref, rtol=rtol, atol=atol, equal_nan=True))[0]
            print(f"differs at {tuple(bad)}: {got[tuple(bad)]} != {ref[tuple(bad)]}")
            return 1
        print(f"match: {got.shape}")
        return 0
    raise SystemExit(f"unknown command {argv[0]}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
