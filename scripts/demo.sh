#!/usr/bin/env bash
# The main job: our own versions of the seed's three programs
# (examples/python/), each imported from its Python source, compiled to
# native code and run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ex="$PREDICT_ROOT/examples/python"
out="$PREDICT_BUILD/demo"
mkdir -p "$out"
# predict-run and the Python package share a compile cache; the demo keeps
# its own, in the build tree (docs/predict-run.md, "The cache").
export PREDICT_CACHE_DIR="$out/cache"
import="$PREDICT_BUILD/bin/predict-import"
run="$PREDICT_BUILD/bin/predict-run"
input() {  # input FILE ROWS COLS: a standard-normal float32 array
  /usr/bin/python3 -c "import numpy as np; np.save('$1', np.random.default_rng(0).standard_normal(($2, $3)).astype('f4'))"
}

echo "== classifier.py: Dense(16, relu) -> Dense(3, softmax) in call(), via @tf.function"
"$import" "$ex/classifier.py" -o "$out/classifier.mlir"
"$run" "$out/classifier.mlir" --input=4x12xf32=0.5 --timing

echo "== row_loop.py: predict() loops over the rows in Python; one compiled loop, any batch"
"$import" "$ex/row_loop.py" -o "$out/row_loop.mlir"
input "$out/rows3.npy" 3 6
"$run" "$out/row_loop.mlir" --input=@"$out/rows3.npy" --remarks
input "$out/rows7.npy" 7 6
"$run" "$out/row_loop.mlir" --input=@"$out/rows7.npy"

echo "== smoothing.py: scipy.signal.convolve and np.tanh on the model's output"
"$import" "$ex/smoothing.py" -o "$out/smoothing.mlir"
input "$out/smooth.npy" 2 20
echo "-- by default each foreign call is named at its line:"
"$run" "$out/smoothing.mlir" --input=@"$out/smooth.npy" || true
echo "-- with --foreign=rewrite both become native code:"
"$run" "$out/smoothing.mlir" --input=@"$out/smooth.npy" --foreign=rewrite

echo "== from Python: import predict; m = predict.compile(path); m(x) on numpy arrays"
PYTHONPATH="$PREDICT_BUILD/lib/python3/dist-packages" /usr/bin/python3 - "$ex/row_loop.py" <<'PY'
import sys, time
import numpy as np
import predict

m = predict.compile(sys.argv[1])      # cached: a second compile is a lookup
print("signature:", m.signature)
for rows in (3, 7):
    x = np.random.default_rng(0).standard_normal((rows, 6)).astype(np.float32)
    print(f"{rows} rows ->", m(x).shape)
start = time.perf_counter()
for _ in range(10000):
    m(x)
print(f"one call: {(time.perf_counter() - start) / 10000 * 1e6:.1f} us")
PY
