// predict-rewrite-foreign: known calls become predict ops; unknown ones stay.
// RUN: predict-opt %s -split-input-file -predict-rewrite-foreign | FileCheck %s

// CHECK-LABEL: func.func @known
// CHECK: %[[T:.*]] = predict.activation tanh %arg0 : tensor<?x10xf32>
// CHECK: %[[C:.*]] = predict.convolve %[[T]], %arg1 mode same : (tensor<?x10xf32>, tensor<1x4xf32>) -> tensor<?x10xf32>
// CHECK: %[[R:.*]] = predict.convolve %[[C]], %arg1 mode valid correlate
// CHECK: %[[U:.*]] = tensor.cast %[[R]] : tensor<?x7xf32> to tensor<*xf32>
// CHECK: %[[K:.*]] = predict.foreign_call "mylib.unknown"(%[[U]])
// CHECK: return %[[K]]
func.func @known(%x: tensor<?x10xf32>, %k: tensor<1x4xf32>) -> tensor<*xf32> {
  %t = predict.foreign_call "numpy.tanh"(%x) : (tensor<?x10xf32>) -> tensor<?x10xf32>
  %c = predict.foreign_call "scipy.signal.convolve"(%t, %k) kwargs {mode = "same"} : (tensor<?x10xf32>, tensor<1x4xf32>) -> tensor<?x10xf32>
  %r = predict.foreign_call "scipy.signal.correlate"(%c, %k) kwargs {mode = "valid"} : (tensor<?x10xf32>, tensor<1x4xf32>) -> tensor<*xf32>
  %u = predict.foreign_call "mylib.unknown"(%r) : (tensor<*xf32>) -> tensor<*xf32>
  return %u : tensor<*xf32>
}
