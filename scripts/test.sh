#!/usr/bin/env bash
# Installs, builds, and runs every test, then prints a one-line summary:
#   1. the lit suite (lit + FileCheck) on the release build; it includes the
#      install smoke test (test/Tools/install.test: `cmake --install` into a
#      temporary prefix, the installed tools run from another folder);
#   2. the same suite on the ASan + UBSan build (build-san/);
#   3. each libFuzzer target for PREDICT_FUZZ_SECONDS (default 60).
# `scripts/test.sh --quick` runs step 1 only; other arguments go to lit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

quick=0
if [ "${1:-}" = "--quick" ]; then
  quick=1
  shift
fi

# A test that runs longer than this fails with its name (lit kills it; lit
# needs python3-psutil for that), instead of CI's whole run timing out with
# no word of which test hung. The slowest test takes about 30 s in the
# release build and a few minutes under the sanitizers.
: "${PREDICT_TEST_TIMEOUT:=900}"

# run_lit BUILD-DIR LABEL [lit args]: runs the suite, prints its summary.
run_lit() {
  local dir="$1" label="$2"
  shift 2
  local log="$dir/test-results.txt" status=0
  "$LLVM_BIN/lit" -sv --timeout="$PREDICT_TEST_TIMEOUT" "$dir/test" "$@" |
    tee "$log" || status=$?
  # lit's summary: "  Passed: 8 (100.00%)", "  Failed: 1 (...)", ...
  read -r passed failed < <(awk -F': *' '
    /^ *Passed *:/ { p = $2 + 0 }
    /^ *(Failed|Unresolved|Timed Out|Unexpectedly Passed) *:/ { f += $2 + 0 }
    END { print p + 0, f + 0 }' "$log")
  echo "tests ($label): ${passed:-0} passed, ${failed:-0} failed"
  if [ -z "${passed:-}" ] || [ "${passed:-0}" -eq 0 ]; then
    echo "test: no test ran" >&2
    return 1
  fi
  return "$status"
}

status=0
run_lit "$PREDICT_BUILD" "release" "$@" || status=1
if [ "$quick" -eq 0 ]; then
  predict_build "$PREDICT_SAN_BUILD" -DPREDICT_SANITIZE=ON
  run_lit "$PREDICT_SAN_BUILD" "ASan+UBSan" "$@" || status=1
  bash "$PREDICT_ROOT/scripts/fuzz.sh" || status=1
fi
exit "$status"
