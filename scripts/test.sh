#!/usr/bin/env bash
# Installs, builds, and runs every test (lit + FileCheck), then prints a
# one-line summary.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

log="$PREDICT_BUILD/test-results.txt"
status=0
"$LLVM_BIN/lit" -sv "$PREDICT_BUILD/test" "$@" | tee "$log" || status=$?
# lit's summary: "  Passed: 8 (100.00%)", "  Failed: 1 (...)", ...
read -r passed failed < <(awk -F': *' '
  /^ *Passed *:/ { p = $2 + 0 }
  /^ *(Failed|Unresolved|Timed Out|Unexpectedly Passed) *:/ { f += $2 + 0 }
  END { print p + 0, f + 0 }' "$log")
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
if [ -z "${passed:-}" ] || [ "${passed:-0}" -eq 0 ]; then
  echo "test: no test ran" >&2
  exit 1
fi
exit "$status"
