#!/usr/bin/env bash
# The main job: compile our IR of the seed's SimpleModel to native code and run
# it at two batch sizes from one compilation each, with the compile stages
# timed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

model="$PREDICT_ROOT/examples/seed/simple_model.mlir"
run="$PREDICT_BUILD/bin/predict-run"
echo "== $model: Dense(64, relu) -> Dense(10, softmax), batch 1"
"$run" "$model" --input=1x100xf32=0.5 --timing
echo "== the same function at batch 3 (dynamic batch: no retracing)"
x="$PREDICT_BUILD/demo-x3.npy"
/usr/bin/python3 -c "import numpy as np; np.save('$x', np.random.default_rng(0).standard_normal((3, 100)).astype('f4'))"
"$run" "$model" --input=@"$x"
echo "== 1000 calls at batch 1"
"$run" "$model" --input=1x100xf32=0.5 --benchmark=1000 | head -1
