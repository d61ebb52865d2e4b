// predict.layer.layer_norm and predict.layer_norm: they print back to the
// same text, and shape inference gives the input's type (C41, C42).
// RUN: predict-opt %s -split-input-file | predict-opt -split-input-file | FileCheck %s
// RUN: predict-opt %s -split-input-file --mlir-print-op-generic | predict-opt -split-input-file | FileCheck %s
// RUN: predict-opt %s -split-input-file -predict-shape-inference | FileCheck %s --check-prefix=INFER

// CHECK-LABEL: predict.model @m
predict.model @m {
  // CHECK: predict.layer.layer_norm @ln gamma = dense<2.000000e+00> : tensor<3x4xf32> beta = dense<1.000000e+00> : tensor<3x4xf32> epsilon = 1.000000e-05 axes = [1, 2]
  predict.layer.layer_norm @ln gamma = dense<2.0> : tensor<3x4xf32>
      beta = dense<1.0> : tensor<3x4xf32> epsilon = 1.0e-5 axes = [1, 2]
  // CHECK: predict.layer.layer_norm @plain epsilon = 1.000000e-03 axes = [-1]
  predict.layer.layer_norm @plain epsilon = 1.0e-3 axes = [-1]
  predict.method @call(%x: tensor<?x3x4xf32>) -> tensor<*xf32> {
    // INFER: predict.apply @ln(%{{.*}}) : (tensor<?x3x4xf32>) -> tensor<?x3x4xf32>
    %y = predict.apply @ln(%x) : (tensor<?x3x4xf32>) -> tensor<*xf32>
    %z = predict.apply @plain(%y) : (tensor<*xf32>) -> tensor<*xf32>
    predict.return %z : tensor<*xf32>
  }
}

// -----

// CHECK-LABEL: func.func @compute
// INFER-LABEL: func.func @compute
func.func @compute(%x: tensor<?x8xf32>, %g: tensor<8xf32>, %u: tensor<*xf32>) -> (tensor<?x8xf32>, tensor<*xf32>) {
  // CHECK: predict.layer_norm %{{.*}} gamma %{{.*}} beta %{{.*}} epsilon = 1.000000e-03 axes = [1] : (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  // INFER: predict.layer_norm {{.*}} -> tensor<?x8xf32>
  %y = predict.layer_norm %x gamma %g beta %g epsilon = 1.0e-3 axes = [1]
      : (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  // CHECK: predict.layer_norm %{{.*}} beta %{{.*}} epsilon = 1.000000e-03 axes = [-1] : (tensor<*xf32>, tensor<8xf32>) -> tensor<*xf32>
  // INFER: predict.layer_norm {{.*}} : (tensor<*xf32>, tensor<8xf32>) -> tensor<*xf32>
  %z = predict.layer_norm %u beta %g epsilon = 1.0e-3 axes = [-1]
      : (tensor<*xf32>, tensor<8xf32>) -> tensor<*xf32>
  return %y, %z : tensor<?x8xf32>, tensor<*xf32>
}
