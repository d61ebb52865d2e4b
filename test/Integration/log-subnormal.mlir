// predict.log of every kind of float32, against numpy: subnormals (which
// upstream's approximation took as the least normal number, giving
// log(2^-126) = -87.34 for all of them), the least normal number, normal
// numbers, 0, inf, a negative number and NaN.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([[1e-45, 3e-44, 1e-42, 1e-40, 1e-39, 1.1754942e-38, 1.1754944e-38, 1e-30, 0.5, 1.0, 3.0, 1e30, 3.4e38, 0.0, np.inf, -1.0, np.nan, -1e-40]], np.float32))"
// RUN: predict-run %s --input=@%t/x.npy --output=@%t/y.npy
// RUN: %python -c "import numpy as np; x = np.load('%t/x.npy'); y = np.load('%t/y.npy'); import warnings; warnings.simplefilter('ignore'); want = np.log(x.astype(np.float64)).astype(np.float32); ok = np.allclose(y, want, rtol=2e-6, atol=0, equal_nan=True) and (np.isnan(y) == np.isnan(want)).all(); print('match' if ok else ('mismatch', y, want))" | FileCheck %s
// CHECK: match

func.func @log(%x: tensor<?x18xf32>) -> tensor<?x18xf32> {
  %y = predict.log %x : tensor<?x18xf32>
  return %y : tensor<?x18xf32>
}
