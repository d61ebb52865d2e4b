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

// BN before a Dense: ((x - mean) s + beta) K + b = (x - mean) K' + b' with
// K' = diag(s) K, b' = b + beta K. The mean is subtracted from x, not
// folded into the bias: x K' - mean K' loses precision when the mean is
// large next to the spread (test/Integration/fold-precision.test).
// CHECK-LABEL: func.func @bn_before_dense
// CHECK-DAG: %[[K:.*]] = predict.constant dense<{{\[\[}}2.000000e+00, 4.000000e+00], [9.000000e+00, 1.200000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = predict.constant dense<[4.000000e+00, 5.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[M:.*]] = predict.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = predict.sub %arg0, %[[M]]
// CHECK: predict.dense %[[C]], %[[K]], %[[B]] activation sigmoid
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

// Normalization before a Dense: s = 1 / sqrt(var) = [0.5, 1]; the bias
// is unchanged and the mean is subtracted from x.
// CHECK-LABEL: func.func @normalization_before_dense
// CHECK-DAG: %[[K:.*]] = predict.constant dense<{{\[\[}}5.000000e-01, 1.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = predict.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[M:.*]] = predict.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = predict.sub %arg0, %[[M]]
// CHECK: predict.dense %[[C]], %[[K]], %[[B]]
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

// -----

// NaN or infinite weights or statistics do not fold: multiplying them
// together ahead of time changes IEEE results (gamma 0 and an infinite
// kernel entry: the layers give beta * inf, a folded kernel 0 * inf = NaN).
// CHECK-LABEL: func.func @non_finite
// CHECK: predict.batch_norm
// CHECK: predict.dense
// CHECK: predict.dense
// CHECK: predict.batch_norm
func.func @non_finite(%x: tensor<?x2xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %k = predict.constant dense<[[0x7F800000, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %m = predict.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %v = predict.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %g = predict.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %n0 = predict.batch_norm %x mean %m variance %v gamma %g epsilon = 1.0 axis = -1
      : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %d0 = predict.dense %n0, %k : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %nan = predict.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %k1 = predict.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %d1 = predict.dense %x, %k1 : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  %n1 = predict.batch_norm %d1 mean %nan variance %v epsilon = 1.0 axis = -1
      : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %d0, %n1 : tensor<?x2xf32>, tensor<?x2xf32>
}
