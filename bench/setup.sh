#!/usr/bin/env bash
# Installs the benchmarks' anchors: numpy on OpenBLAS (Debian's numpy falls
# back to the slow reference BLAS otherwise), then builds predict.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q "install ok installed"; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas0-pthread >/dev/null
fi
bash "$root/scripts/setup.sh"
