#!/usr/bin/env bash
# Installs the benchmarks' anchors, then builds predict: numpy on OpenBLAS
# (Debian's numpy falls back to the slow reference BLAS otherwise), PyTorch
# and ONNX from Debian, GNU time (bench/memory.py's peaks), ONNX Runtime
# from npm (onnxruntime-node, with --ignore-scripts: the package ships its
# linux-x64 library, and its install script would download more).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
missing=()
for p in libopenblas0-pthread python3-torch python3-onnx time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
# Node.js and npm: the machine's own if it has them, else Debian's.
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -d "$root/bench/node_modules/onnxruntime-node" ]; then
  (cd "$root/bench" && npm install --ignore-scripts --no-audit --no-fund --silent)
fi
bash "$root/scripts/setup.sh"
