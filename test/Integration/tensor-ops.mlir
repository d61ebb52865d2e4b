// Flatten, Concatenate, Add of several inputs, Python slices, broadcasting
// arithmetic, compare/select, clip, matmul: executed, against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/reference.py make-input %t/a.npy 5x2x3 --seed 1
// RUN: %python %S/Inputs/reference.py make-input %t/b.npy 5x4 --seed 2
// RUN: predict-run %s --function=combine --input=@%t/a.npy --input=@%t/b.npy --output=@%t/y.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/a.npy'); b = np.load('%t/b.npy'); f = a.reshape(5, 6); c = np.concatenate([f, b], axis=1); s = c + c[:, ::-1] * 0.5 + 1.0; y = np.where(s > 0, s, 0.1 * s); np.save('%t/r.npy', np.clip(y, -1.0, 2.0) @ np.full((10, 3), 0.25, np.float32))"
// RUN: %python %S/Inputs/reference.py check %t/y.npy %t/r.npy | FileCheck %s
// RUN: predict-run %s --function=slices --input=@%t/b.npy --output=@%t/s1.npy --output=@%t/s2.npy --output=@%t/s3.npy
// RUN: %python -c "import numpy as np; b = np.load('%t/b.npy'); [np.save('%t/r%%d.npy' %% i, v) for i, v in enumerate([b[1:3], b[-2:], b[4:99]], 1)]"
// RUN: %python %S/Inputs/reference.py check %t/s1.npy %t/r1.npy | FileCheck %s
// RUN: %python %S/Inputs/reference.py check %t/s2.npy %t/r2.npy | FileCheck %s
// RUN: %python %S/Inputs/reference.py check %t/s3.npy %t/r3.npy | FileCheck %s
// The Add of two Dense layers on one input (both matmuls fuse into the
// epilogue's tiles).
// RUN: predict-run %s --function=two_dense --input=@%t/b.npy --output=@%t/td.npy
// RUN: %python -c "import numpy as np; b = np.load('%t/b.npy'); k1 = np.array([[1.0, 0.5, -1.0], [0.25, 2.0, 0.0], [-0.5, 1.0, 1.5], [0.0, -1.0, 0.5]]); k2 = np.array([[0.5, 0.0, 1.0], [1.0, -1.0, 0.25], [0.0, 0.5, -0.5], [2.0, 1.0, 0.0]]); np.save('%t/td.ref.npy', np.maximum(b @ k1 + b @ k2, 0))"
// RUN: %python %S/Inputs/reference.py check %t/td.npy %t/td.ref.npy | FileCheck %s
// CHECK: match

func.func @two_dense(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %k1 = predict.constant dense<[[1.0, 0.5, -1.0], [0.25, 2.0, 0.0], [-0.5, 1.0, 1.5], [0.0, -1.0, 0.5]]> : tensor<4x3xf32>
  %k2 = predict.constant dense<[[0.5, 0.0, 1.0], [1.0, -1.0, 0.25], [0.0, 0.5, -0.5], [2.0, 1.0, 0.0]]> : tensor<4x3xf32>
  %a = predict.dense %x, %k1 : (tensor<?x4xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
  %b = predict.dense %x, %k2 : (tensor<?x4xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
  %s = predict.add %a, %b : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  %r = predict.activation relu %s : tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

func.func @combine(%a: tensor<?x2x3xf32>, %b: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %f = predict.flatten %a : tensor<?x2x3xf32> -> tensor<?x6xf32>
  %c = predict.concatenate %f, %b axis = 1 : (tensor<?x6xf32>, tensor<?x4xf32>) -> tensor<?x10xf32>
  // c[:, ::-1] as a matmul by the reversal matrix is not needed: reverse by
  // a constant permutation matrix scaled by 0.5.
  %rev = predict.constant dense<[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<10x10xf32>
  %r = predict.matmul %c, %rev : (tensor<?x10xf32>, tensor<10x10xf32>) -> tensor<?x10xf32>
  %one = predict.constant dense<1.0> : tensor<f32>
  %s = predict.add %c, %r, %one : (tensor<?x10xf32>, tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
  %zero = predict.constant dense<0.0> : tensor<f32>
  %slope = predict.constant dense<0.1> : tensor<f32>
  %pos = predict.compare gt %s, %zero : (tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xi1>
  %neg = predict.mul %s, %slope : (tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
  %y = predict.select %pos, %s, %neg : (tensor<?x10xi1>, tensor<?x10xf32>, tensor<?x10xf32>) -> tensor<?x10xf32>
  %cl = predict.clip %y min = -1.0 max = 2.0 : tensor<?x10xf32>
  %w = predict.constant dense<0.25> : tensor<10x3xf32>
  %o = predict.matmul %cl, %w : (tensor<?x10xf32>, tensor<10x3xf32>) -> tensor<?x3xf32>
  return %o : tensor<?x3xf32>
}

// b[1:3], b[-2:], b[4:99] (clamped to the size).
func.func @slices(%b: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %cm2 = arith.constant -2 : index
  %c4 = arith.constant 4 : index
  %c99 = arith.constant 99 : index
  %n = predict.dim %b, 0 : tensor<?x4xf32>
  %s1 = predict.slice %b[%c1 : %c3] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
  %s2 = predict.slice %b[%cm2 : %n] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
  %s3 = predict.slice %b[%c4 : %c99] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
  return %s1, %s2, %s3 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
