// predict.pool, global_pool, pad, crop, upsample, reshape, transpose and
// inference_identity (issue 17): they print back to the same text (custom
// and generic form), and shape inference gives Keras's sizes (C120-C130).
// RUN: predict-opt %s | predict-opt | FileCheck %s
// RUN: predict-opt %s --mlir-print-op-generic | predict-opt | FileCheck %s
// RUN: predict-opt %s -predict-shape-inference | FileCheck %s --check-prefix=INFER

// CHECK-LABEL: func.func @pooling
// INFER-LABEL: func.func @pooling
func.func @pooling(%x: tensor<?x7x9x4xf32>, %s: tensor<?x10x4xf32>, %d: tensor<?x?x?x4xf32>, %u: tensor<*xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: predict.pool max %{{.*}} window = [2, 2] strides = [2, 2] : tensor<?x7x9x4xf32> -> tensor<*xf32>
  // INFER: predict.pool max {{.*}} -> tensor<?x3x4x4xf32>
  %a = predict.pool max %x window = [2, 2] strides = [2, 2] : tensor<?x7x9x4xf32> -> tensor<*xf32>
  // Same padding: ceil(n / s).
  // CHECK: predict.pool avg %{{.*}} window = [4, 4] strides = [3, 2] same : tensor<?x7x9x4xf32> -> tensor<*xf32>
  // INFER: predict.pool avg {{.*}} -> tensor<?x3x5x4xf32>
  %b = predict.pool avg %x window = [4, 4] strides = [3, 2] same : tensor<?x7x9x4xf32> -> tensor<*xf32>
  // channels_first: the spatial axes are 2 and 3.
  // CHECK: predict.pool max %{{.*}} window = [2, 3] strides = [1, 1] same channels_first : tensor<?x7x9x4xf32> -> tensor<*xf32>
  // INFER: predict.pool max {{.*}} -> tensor<?x7x9x4xf32>
  %c = predict.pool max %x window = [2, 3] strides = [1, 1] same channels_first : tensor<?x7x9x4xf32> -> tensor<*xf32>
  // 1-D; a window larger than the input gives Keras's size 0 while
  // n - k + s >= 0.
  // INFER: predict.pool max {{.*}} -> tensor<?x4x4xf32>
  %e = predict.pool max %s window = [3] strides = [2] : tensor<?x10x4xf32> -> tensor<*xf32>
  // INFER: predict.pool avg {{.*}} -> tensor<?x0x4xf32>
  %f = predict.pool avg %s window = [12] strides = [2] : tensor<?x10x4xf32> -> tensor<*xf32>
  // Dynamic spatial sizes stay dynamic; channels stay the input's.
  // INFER: predict.pool max {{.*}} -> tensor<?x?x?x4xf32>
  %g = predict.pool max %d window = [2, 2] strides = [2, 2] : tensor<?x?x?x4xf32> -> tensor<*xf32>
  // Unknown shapes give unknown results.
  // INFER: predict.pool max {{.*}} -> tensor<*xf32>
  %h = predict.pool max %u window = [2, 2] strides = [2, 2] : tensor<*xf32> -> tensor<*xf32>
  // CHECK: predict.global_pool avg %{{.*}} channels_first keepdims : tensor<?x7x9x4xf32> -> tensor<*xf32>
  // INFER: predict.global_pool avg {{.*}} -> tensor<?x7x1x1xf32>
  %i = predict.global_pool avg %x channels_first keepdims : tensor<?x7x9x4xf32> -> tensor<*xf32>
  // CHECK: predict.global_pool max %{{.*}} : tensor<?x10x4xf32> -> tensor<*xf32>
  // INFER: predict.global_pool max {{.*}} -> tensor<?x4xf32>
  %j = predict.global_pool max %s : tensor<?x10x4xf32> -> tensor<*xf32>
  return %a, %b, %c, %e, %f, %g, %h, %i, %j : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @reshaping
// INFER-LABEL: func.func @reshaping
func.func @reshaping(%x: tensor<?x4x6x3xf32>, %v: tensor<?x4xf32>, %d: tensor<?x?xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<?x4xf32>) {
  // CHECK: predict.pad %{{.*}} low = [0, 1, 0, 0] high = [0, 2, 3, 0] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // INFER: predict.pad {{.*}} -> tensor<?x7x9x3xf32>
  %a = predict.pad %x low = [0, 1, 0, 0] high = [0, 2, 3, 0] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // CHECK: predict.crop %{{.*}} low = [0, 1, 2, 0] high = [0, 0, 1, 0] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // INFER: predict.crop {{.*}} -> tensor<?x3x3x3xf32>
  %b = predict.crop %x low = [0, 1, 2, 0] high = [0, 0, 1, 0] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // CHECK: predict.upsample %{{.*}} factors = [1, 2, 3, 1] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // INFER: predict.upsample {{.*}} -> tensor<?x8x18x3xf32>
  %c = predict.upsample %x factors = [1, 2, 3, 1] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // CHECK: predict.reshape %{{.*}} shape = [12, -1] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // INFER: predict.reshape {{.*}} -> tensor<?x12x6xf32>
  %e = predict.reshape %x shape = [12, -1] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // A dynamic sample size leaves the -1 dynamic (checked at run time).
  // INFER: predict.reshape {{.*}} -> tensor<?x2x?xf32>
  %f = predict.reshape %d shape = [2, -1] : tensor<?x?xf32> -> tensor<*xf32>
  // CHECK: predict.transpose %{{.*}} permutation = [0, 3, 1, 2] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // INFER: predict.transpose {{.*}} -> tensor<?x3x4x6xf32>
  %g = predict.transpose %x permutation = [0, 3, 1, 2] : tensor<?x4x6x3xf32> -> tensor<*xf32>
  // INFER: predict.upsample {{.*}} -> tensor<?x3x4xf32>
  %r = predict.reshape %v shape = [1, -1] : tensor<?x4xf32> -> tensor<*xf32>
  %h = predict.upsample %r factors = [1, 3, 1] : tensor<*xf32> -> tensor<*xf32>
  // CHECK: predict.inference_identity %{{.*}} layer_class "GaussianNoise" : tensor<?x4xf32>
  %i = predict.inference_identity %v layer_class "GaussianNoise" : tensor<?x4xf32>
  return %a, %b, %c, %e, %f, %g, %h, %i : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<?x4xf32>
}

// The identity at inference stays through canonicalization (so that
// predict-explain reports it); the lowering removes it.
// RUN: predict-opt %s -canonicalize | FileCheck %s --check-prefix=CANON
// CANON-LABEL: func.func @reshaping
// CANON: predict.inference_identity

// CHECK-LABEL: func.func @reverse
func.func @reverse(%x: tensor<?x4xi64>, %u: tensor<*xf32>) -> (tensor<?x4xi64>, tensor<*xf32>) {
  // CHECK: predict.reverse %{{.*}} axes = [0, -1] : tensor<?x4xi64>
  %a = predict.reverse %x axes = [0, -1] : tensor<?x4xi64>
  // CHECK: predict.reverse %{{.*}} axes = [5] : tensor<*xf32>
  %b = predict.reverse %u axes = [5] : tensor<*xf32>
  return %a, %b : tensor<?x4xi64>, tensor<*xf32>
}
