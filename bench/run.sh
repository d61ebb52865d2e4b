#!/usr/bin/env bash
# The benchmarks in one command: installs the anchors (bench/setup.sh), runs
# every workload with predict and each anchor in the same run, on 1 and 2
# threads, prints times and ratios, and rewrites docs/benchmarks.md.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$bench/setup.sh"
/usr/bin/python3 "$bench/anchors.py" --write
/usr/bin/python3 "$bench/loops.py" --write
