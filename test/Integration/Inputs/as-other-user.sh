#!/bin/sh
# as-other-user.sh BIN: what predict-run and predict-compile do for a user
# other than root (uid 65534 when run as root: root may replace a read-only
# file, as with `>`), in a fresh folder under /tmp that such a user can
# reach wherever the checkout is: a read-only --output, a writable
# library in a read-only folder, a model it cannot read, and a cache
# folder of root's. Prints each status and what is left.
set -u
bin=$1
d=$(mktemp -d /tmp/predict-as-user.XXXXXX)
chmod 755 "$d"
mkdir -p "$d/bin" "$d/lib/predict" "$d/work"
cp "$bin/predict-run" "$bin/predict-compile" "$d/bin/"
cp "$bin/../lib/predict/libpredict_runtime.a" "$d/lib/predict/"
cd "$d/work"
printf 'func.func @f(%%x: tensor<?x3xf32>) -> tensor<?x3xf32> {\n  return %%x : tensor<?x3xf32>\n}\n' > id.mlir
printf '1,2,3\n' > x.csv
printf 'precious\n' > ro.npy
chmod 444 ro.npy
mkdir rodir
printf 'old\n' > rodir/w.so
chmod 666 rodir/w.so
chmod 555 rodir
chmod 777 .
as_other() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
  else
    "$@"
  fi
}
as_other "$d/bin/predict-run" id.mlir --no-cache --input=@x.csv --output=@ro.npy 2>&1
echo "status $?"
cat ro.npy
as_other "$d/bin/predict-compile" id.mlir -o rodir/w.so 2>&1
echo "status $?"
cat rodir/w.so
# A model file this user cannot read: the reason is said.
printf 'x' > secret.h5 && chmod 600 secret.h5
as_other "$d/bin/predict-run" secret.h5 --no-cache --input=@x.csv 2>&1
echo "status $?"
# A cache folder of root's: not used by another user.
mkdir -m 755 roots-cache
PREDICT_CACHE_DIR=$d/work/roots-cache as_other "$d/bin/predict-run" id.mlir --input=@x.csv 2>&1
echo "status $?"
cd /
chmod -R u+w "$d"
rm -rf "$d"
