#!/usr/bin/env bash
# The benchmarks in one command: installs the anchors (bench/setup.sh), prints
# the machine and the tables to come (bench/header.py: CPU model, LLVM's host
# CPU and features, numpy's BLAS, one core's FMA peak), then runs every
# workload with predict and each anchor in the same run, on 1 and 2 threads,
# with times (median and min–max of the repeats) and ratios.
#
#   bash bench/run.sh            prints only
#   bash bench/run.sh --write    also rewrites docs/benchmarks.md
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
write=()
case "${1:-}" in
  --write) write=(--write) ;;
  "") ;;
  *) echo "usage: bash bench/run.sh [--write]" >&2; exit 2 ;;
esac
bash "$bench/setup.sh"
/usr/bin/python3 "$bench/header.py" "${write[@]}"
/usr/bin/python3 "$bench/anchors.py" "${write[@]}"
/usr/bin/python3 "$bench/convs.py" "${write[@]}"
/usr/bin/python3 "$bench/recurrent.py" "${write[@]}"
/usr/bin/python3 "$bench/loops.py" "${write[@]}"
/usr/bin/python3 "$bench/library.py" "${write[@]}"
/usr/bin/python3 "$bench/compile.py" "${write[@]}"
/usr/bin/python3 "$bench/memory.py" "${write[@]}"
