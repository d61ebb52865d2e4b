#!/bin/sh
# Runs the installed tools of install.test with predict's source and build
# trees unreachable: tmpfs is mounted over both, in the private mount
# namespace that `unshare --user --map-root-user --mount` gives (nothing
# outside it sees the mounts).
#
#   without_trees.sh TMP SRC OBJ
#
# TMP, the test's folder (inside the build tree) holding prefix/ (the
# installed tree) and work/ (the inputs), stays reachable at a temporary
# path; the outputs go to TMP/work/hidden.*.
set -eu
tmp=$1 src=$2 obj=$3

scratch=$(mktemp -d)
trap 'cd /; umount "$scratch" 2>/dev/null; rmdir "$scratch" || true' EXIT
mount --bind "$tmp" "$scratch"
mount -t tmpfs tmpfs "$src"
case "$obj/" in
"$src"/*) ;;
*) mount -t tmpfs tmpfs "$obj" ;;
esac
# The trees are gone (a tool that read them would fail).
if [ -e "$src/python" ] || [ -e "$obj/bin" ]; then
  echo "without_trees.sh: the trees are still reachable" >&2
  exit 1
fi
echo "trees hidden"

cd "$scratch/work"
unset PREDICT_PYTHON_DIR
"$scratch/prefix/bin/predict-import" model.py --weights=w.npz -o hidden-py.mlir
"$scratch/prefix/bin/predict-run" hidden-py.mlir --input=@x.npy --output=@hidden-py.npy
"$scratch/prefix/bin/predict-import" model.h5 -o hidden-h5.mlir
"$scratch/prefix/bin/predict-opt" hidden-h5.mlir --predict-shape-inference -o hidden-h5-opt.mlir
"$scratch/prefix/bin/predict-run" hidden-h5-opt.mlir --input=@x.npy --output=@hidden-h5.npy
"$scratch/prefix/bin/predict-import" func.py -o hidden-func.mlir
"$scratch/prefix/bin/predict-run" hidden-func.mlir --input=@x.npy --output=@hidden-func.npy
echo "ran"
