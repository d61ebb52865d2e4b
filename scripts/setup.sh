#!/usr/bin/env bash
# Installs predict's dependencies (Debian 12 packages) when any is missing, then
# configures (once) and builds (incrementally) into build/. Sourced by demo.sh
# and test.sh; safe to run again: it does nothing that is already done.
set -euo pipefail

PREDICT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREDICT_BUILD="${PREDICT_BUILD:-$PREDICT_ROOT/build}"
LLVM_BIN=/usr/lib/llvm-22/bin

PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  cmake ninja-build libhdf5-dev libzip-dev zlib1g-dev pkg-config python3-numpy python3-scipy python3-h5py
  python3-psutil python3-pytest python3-dev
  libclang-rt-22-dev libomp-22-dev
  gcc binutils
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: installing packages needs root; run as root or install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# predict_build DIR [CMAKE-ARGS...]: configures DIR once, builds it
# incrementally.
predict_build() {
  local dir="$1"
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -G Ninja -S "$PREDICT_ROOT" -B "$dir" \
      -DCMAKE_BUILD_TYPE=Release \
      -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
      -DLLVM_EXTERNAL_LIT="$LLVM_BIN/lit" \
      -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
      -DLLVM_USE_LINKER=lld "$@" >/dev/null
  fi
  ninja -C "$dir" | grep -vE "^ninja: (no work to do|Entering directory)" || true
  # grep hides ninja's exit status; check the build really is complete.
  ninja -C "$dir" -n | grep -q "no work to do" || {
    echo "setup: build of $dir failed" >&2
    exit 1
  }
}

predict_build "$PREDICT_BUILD"

# The reliability build (ASan + UBSan, libFuzzer targets), for scripts/test.sh.
PREDICT_SAN_BUILD="${PREDICT_SAN_BUILD:-$PREDICT_ROOT/build-san}"
