// predict-fold-into-dense: normalizations and activations fold into Dense.
// The expected constants were computed by hand from the inputs below.
// RUN: predict-opt %s -split-input-file -predict-fold-into-dense -canonicalize | FileCheck %s

// BN after a linear Dense: s = gamma / sqrt(var + eps) = [2, 3],
// t = beta - mean s = [-2, 1]; K' = K diag(s), b' = b s + t.
// CHECK-LABEL: func.func @bn_after_dense
// CHECK-DAG: %[[K:.*]] = predict.constant dense<{{\[\[}}2.000000e+00, 6.000000e+00], [6.000000e+00, 1.200000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = predict.constant dense<[0.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = predict.dense %arg0, %[[K]], %[[B]] activation relu
// CHECK-NOT: predict.batch_norm
// CHECK: return %[[Y]]
func.func @bn_after_dense(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %k = predict.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = predict.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %m = predict.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %v = predict.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %g = predict.constant dense<[4.0, 3.0]> : tensor<2xf32>
  %be = predict.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %d = predict.dense %x, %k, %b : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %n = predict.batch_norm %d mean %m variance %v gamma %g beta %be epsilon = 1.0 axis = -1
      : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %y = predict.activation relu %n : tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// BN before a Dense: K' = diag(s) K, b' = b + t K.
// CHECK-LABEL: func.func @bn_before_dense
// CHECK-DAG: predict.constant dense<{{\[\[}}2.000000e+00, 4.000000e+00], [9.000000e+00, 1.200000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: predict.constant dense<[2.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: predict.dense %arg0, {{.*}} activation sigmoid
// CHECK-NOT: predict.batch_norm
func.func @bn_before_dense(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %k = predict.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = predict.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %m = predict.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %v = predict.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %g = predict.constant dense<[4.0, 3.0]> : tensor<2xf32>
  %be = predict.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %n = predict.batch_norm %x mean %m variance %v gamma %g beta %be epsilon = 1.0 axis = 1
      : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %d = predict.dense %n, %k, %b activation sigmoid : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %d : tensor<?x2xf32>
}

// -----

// Normalization before a Dense: s = 1 / sqrt(var) = [0.5, 1], t = -mean s.
// CHECK-LABEL: func.func @normalization_before_dense
// CHECK-DAG: predict.constant dense<{{\[\[}}5.000000e-01, 1.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: predict.constant dense<[-5.500000e+00, -8.000000e+00]> : tensor<2xf32>
// CHECK-NOT: predict.normalization
func.func @normalization_before_dense(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %k = predict.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = predict.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %m = predict.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %v = predict.constant dense<[[4.0, 1.0]]> : tensor<1x2xf32>
  %n = predict.normalization %x mean %m variance %v
      : (tensor<?x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %d = predict.dense %n, %k, %b : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %d : tensor<?x2xf32>
}

// -----

// What must not fold: BN after a Dense with an activation (the activation
// sits between them); a Dense result with another use; softmax on the batch
// axis; an activation with non-default parameters; weights only known at
// run time.
// CHECK-LABEL: func.func @no_fold
// CHECK: predict.dense {{.*}} activation relu
// CHECK: predict.batch_norm
// CHECK: predict.dense
// CHECK: predict.activation softmax {{.*}} axis = 0
// CHECK: predict.dense
// CHECK: predict.activation leaky_relu {{.*}} alpha
// CHECK: predict.dense
// CHECK: predict.batch_norm
func.func @no_fold(%x: tensor<?x2xf32>, %runtime: tensor<2x2xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %k = predict.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %m = predict.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %v = predict.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %d0 = predict.dense %x, %k activation relu : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %n0 = predict.batch_norm %d0 mean %m variance %v epsilon = 1.0 axis = -1
      : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %d1 = predict.dense %x, %k : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %a1 = predict.activation softmax %d1 axis = 0 : tensor<?x2xf32>
  %d2 = predict.dense %x, %k : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %a2 = predict.activation leaky_relu %d2 alpha = 0.5 : tensor<?x2xf32>
  %d3 = predict.dense %x, %runtime : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %n3 = predict.batch_norm %d3 mean %m variance %v epsilon = 1.0 axis = -1
      : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %n0, %a1, %a2, %n3, %d3 : tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}
