#!/usr/bin/env bash
# The main job: compile our IR of the seed's SimpleModel through predict-opt
# (verify, canonicalize, infer shapes) and print the result.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

model="$PREDICT_ROOT/examples/seed/simple_model.mlir"
echo "== predict-opt: $model (canonicalize, infer shapes; weights elided)"
"$PREDICT_BUILD/bin/predict-opt" "$model" -canonicalize -predict-shape-inference \
  --mlir-elide-resource-strings-if-larger=16
