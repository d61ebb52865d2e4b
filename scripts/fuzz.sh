#!/usr/bin/env bash
# Runs the libFuzzer targets of the reliability build (docs/reliability.md),
# each for PREDICT_FUZZ_SECONDS (default 60), from seed corpora made of the
# test suite's inputs (and ../shared's smaller Keras files, read in place).
# Fails when a target finds a crash, a leak, a timeout or runs out of memory.
#
#   scripts/fuzz.sh [TARGET...]     (targets: mlir-pipeline keras-import npy-input)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
predict_build "$PREDICT_SAN_BUILD" -DPREDICT_SANITIZE=ON

seconds="${PREDICT_FUZZ_SECONDS:-60}"
targets=("$@")
((${#targets[@]})) || targets=(mlir-pipeline keras-import npy-input)
work="$PREDICT_SAN_BUILD/fuzz"
python=/usr/bin/python3

seed_corpus() {
  local target="$1" final="$work/corpus-$1" dir="$work/corpus-$1.new"
  [ -d "$final" ] && return 0
  rm -rf "$dir"
  mkdir -p "$dir"
  case "$target" in
    mlir-pipeline)
      find "$PREDICT_ROOT/test" "$PREDICT_ROOT/examples" -name '*.mlir' \
        -size -64k -exec cp {} "$dir/" \; ;;
    keras-import)
      mkdir -p "$work/h5"
      "$python" "$PREDICT_ROOT/test/Import/Inputs/make_h5.py" "$work/h5" >/dev/null
      cp "$work"/h5/*.h5 "$work"/h5/*.keras "$dir/"
      if [ -d "$PREDICT_ROOT/../shared/models" ]; then
        find "$PREDICT_ROOT/../shared/models" \( -name '*.h5' -o -name '*.keras' \) \
          -size -200k -exec cp {} "$dir/" \;
      fi ;;
    npy-input)
      "$python" - "$dir" <<'PY'
import io, sys
import numpy as np
out = sys.argv[1]
arrays = [np.ones((2, 4), np.float32), np.zeros((0, 4), np.float32),
          np.arange(3.0), np.ones((1, 4), np.int32), np.ones((2, 2, 2), bool),
          np.full((1, 4), np.nan, np.float32)]
for i, a in enumerate(arrays):
    b = io.BytesIO()
    np.save(b, a)
    open(f"{out}/npy{i}", "wb").write(b"\0" + b.getvalue())  # byte 0: .npy
for i, s in enumerate(["2x4xf32=1,2,3,4,5,6,7,8", "1x4xf32=0", "0x4xf32=",
                       "3xf64=1 2 3", "1x4xf32=nan", "@/nonexistent.npy"]):
    open(f"{out}/lit{i}", "wb").write(b"\1" + s.encode())  # byte 1: literal
PY
      ;;
  esac
  mv "$dir" "$final"
}

status=0
for target in "${targets[@]}"; do
  binary="$PREDICT_SAN_BUILD/bin/fuzz-$target"
  [ -x "$binary" ] || { echo "fuzz: no target '$target'" >&2; exit 1; }
  seed_corpus "$target"
  artifacts="$work/artifacts-$target"
  rm -rf "$artifacts"
  mkdir -p "$artifacts"
  log="$work/$target.log"
  echo "fuzz: $target for ${seconds}s (corpus $work/corpus-$target)"
  if ASAN_OPTIONS=detect_leaks=1 "$binary" "$work/corpus-$target" \
      -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=200000 \
      -timeout=30 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $target: ${runs:-?} inputs, no crash"
  else
    status=1
    echo "fuzz: $target FAILED; its log: $log; reproducers:" >&2
    ls "$artifacts" >&2 || true
    grep -E "ERROR|SUMMARY|runtime error" "$log" | head -5 >&2 || true
  fi
done
exit "$status"
