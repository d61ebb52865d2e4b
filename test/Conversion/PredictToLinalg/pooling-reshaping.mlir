// convert-predict-to-linalg on the pooling and reshaping ops (issue 17):
// upstream's named pooling ops on the input padded as TensorFlow pads
// (-inf for max, 0 for the sum, whose divisor counts the valid positions),
// linalg.reduce for global pooling, tensor.pad, tensor.extract_slice, a
// generic reading i floordiv f, collapse + expand, linalg.transpose.
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -canonicalize -cse | FileCheck %s

// CHECK-LABEL: func.func @max_valid
// CHECK-NOT: tensor.pad
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<?x3x4x4xf32>)
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%arg0, %{{.*}} : tensor<?x7x9x4xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<?x3x4x4xf32>)
func.func @max_valid(%x: tensor<?x7x9x4xf32>) -> tensor<?x3x4x4xf32> {
  %y = predict.pool max %x window = [2, 2] strides = [2, 2] : tensor<?x7x9x4xf32> -> tensor<?x3x4x4xf32>
  return %y : tensor<?x3x4x4xf32>
}

// -----

// Same padding, pool 4 and stride 3 on 7: 3 positions, 1 before and 2
// after; -inf never wins a window.
// CHECK-LABEL: func.func @max_same
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %arg0 low[0, 1, 1, 0] high[0, 2, 2, 0]
// CHECK: tensor.yield %[[NINF]]
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<[3, 2]> : tensor<2xi64>}
func.func @max_same(%x: tensor<?x7x9x4xf32>) -> tensor<?x3x5x4xf32> {
  %y = predict.pool max %x window = [4, 4] strides = [3, 2] same : tensor<?x7x9x4xf32> -> tensor<?x3x5x4xf32>
  return %y : tensor<?x3x5x4xf32>
}

// -----

// The average with same padding: the sum over zero padding, divided by the
// positions of each window inside the input.
// CHECK-LABEL: func.func @avg_same
// CHECK: tensor.pad %arg0 low[0, 1, 1, 0] high[0, 2, 2, 0]
// CHECK: linalg.pooling_nhwc_sum
// CHECK: linalg.generic
// CHECK: linalg.index 1
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: linalg.index 2
// CHECK: arith.sitofp
// CHECK: arith.divf
func.func @avg_same(%x: tensor<?x7x9x4xf32>) -> tensor<?x3x5x4xf32> {
  %y = predict.pool avg %x window = [4, 4] strides = [3, 2] same : tensor<?x7x9x4xf32> -> tensor<?x3x5x4xf32>
  return %y : tensor<?x3x5x4xf32>
}

// -----

// Valid padding: every window holds k positions.
// CHECK-LABEL: func.func @avg_valid_1d
// CHECK: %[[K:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: linalg.pooling_nwc_sum {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>}
// CHECK: arith.divf %{{.*}}, %[[K]]
func.func @avg_valid_1d(%x: tensor<?x10x4xf32>) -> tensor<?x4x4xf32> {
  %y = predict.pool avg %x window = [3] strides = [2] : tensor<?x10x4xf32> -> tensor<?x4x4xf32>
  return %y : tensor<?x4x4xf32>
}

// -----

// channels_first: the NCHW and NCW named ops.
// CHECK-LABEL: func.func @channels_first
// CHECK: linalg.pooling_nchw_max
// CHECK: linalg.pooling_ncw_sum
func.func @channels_first(%x: tensor<?x7x9x4xf32>, %s: tensor<?x4x10xf32>) -> (tensor<?x7x4x2xf32>, tensor<?x4x5xf32>) {
  %a = predict.pool max %x window = [2, 2] strides = [2, 2] channels_first : tensor<?x7x9x4xf32> -> tensor<?x7x4x2xf32>
  %b = predict.pool avg %s window = [2] strides = [2] channels_first : tensor<?x4x10xf32> -> tensor<?x4x5xf32>
  return %a, %b : tensor<?x7x4x2xf32>, tensor<?x4x5xf32>
}

// -----

// Dynamic spatial sizes: the output size is computed, and valid padding is
// checked at run time.
// CHECK-LABEL: func.func @dynamic
// CHECK: predict.assert %{{.*}}, "a pooling window of 3 with stride 1 and valid padding does not fit an input of size {0} (the output size would be negative)"
// CHECK: linalg.pooling_nwc_max
func.func @dynamic(%x: tensor<?x?x4xf32>) -> tensor<?x?x4xf32> {
  %y = predict.pool max %x window = [3] strides = [1] : tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  return %y : tensor<?x?x4xf32>
}

// -----

// Global pooling: a reduction over the spatial axes; the mean divides by
// their element count (the sum in float64, rounded once: sumAccumulator);
// keepdims expands.
// CHECK-LABEL: func.func @global
// CHECK: %[[COUNT:.*]] = arith.constant 3.600000e+01 : f64
// CHECK: linalg.reduce ins(%arg0 : tensor<?x7x9x4xf32>) outs(%{{.*}} : tensor<?x4xf32>) dimensions = [1, 2]
// CHECK: arith.maximumf
// CHECK: linalg.reduce ins(%arg0 : tensor<?x7x9x4xf32>) outs(%{{.*}} : tensor<?x7xf64>) dimensions = [2, 3]
// CHECK: arith.extf
// CHECK: arith.addf
// CHECK: arith.divf %{{.*}}, %[[COUNT]] : f64
// CHECK: arith.truncf
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2, 3]] output_shape [%{{.*}}, 7, 1, 1]
func.func @global(%x: tensor<?x7x9x4xf32>) -> (tensor<?x4xf32>, tensor<?x7x1x1xf32>) {
  %a = predict.global_pool max %x : tensor<?x7x9x4xf32> -> tensor<?x4xf32>
  %b = predict.global_pool avg %x channels_first keepdims : tensor<?x7x9x4xf32> -> tensor<?x7x1x1xf32>
  return %a, %b : tensor<?x4xf32>, tensor<?x7x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @pad_crop_upsample
// CHECK: tensor.pad %arg0 low[0, 1, 0, 0] high[0, 2, 3, 0]
// CHECK: tensor.extract_slice %arg0[0, 1, 2, 0] [%{{.*}}, 3, 3, 3] [1, 1, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<?x4x6x3xf32>) outs(%{{.*}} : tensor<?x8x18x3xf32>)
func.func @pad_crop_upsample(%x: tensor<?x4x6x3xf32>) -> (tensor<?x7x9x3xf32>, tensor<?x3x3x3xf32>, tensor<?x8x18x3xf32>) {
  %a = predict.pad %x low = [0, 1, 0, 0] high = [0, 2, 3, 0] : tensor<?x4x6x3xf32> -> tensor<?x7x9x3xf32>
  %b = predict.crop %x low = [0, 1, 2, 0] high = [0, 0, 1, 0] : tensor<?x4x6x3xf32> -> tensor<?x3x3x3xf32>
  %c = predict.upsample %x factors = [1, 2, 3, 1] : tensor<?x4x6x3xf32> -> tensor<?x8x18x3xf32>
  return %a, %b, %c : tensor<?x7x9x3xf32>, tensor<?x3x3x3xf32>, tensor<?x8x18x3xf32>
}

// -----

// The upsampled axis reads element i floordiv f.
// CHECK: #[[$UP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1 floordiv 3, d2)>
// CHECK-LABEL: func.func @upsample_map
// CHECK: linalg.generic {indexing_maps = [#[[$UP]], #{{.*}}]
func.func @upsample_map(%x: tensor<?x5x3xf32>) -> tensor<?x15x3xf32> {
  %c = predict.upsample %x factors = [1, 3, 1] : tensor<?x5x3xf32> -> tensor<?x15x3xf32>
  return %c : tensor<?x15x3xf32>
}

// -----

// A crop of a dynamic size is checked at run time (C126).
// CHECK-LABEL: func.func @crop_dynamic
// CHECK: predict.assert %{{.*}}, "cropping 1 + 2 elements from axis 1 of an input that has {0} there leaves none; the cropping must be smaller than the input"
func.func @crop_dynamic(%x: tensor<?x?x3xf32>) -> tensor<?x?x3xf32> {
  %b = predict.crop %x low = [0, 1, 0] high = [0, 2, 0] : tensor<?x?x3xf32> -> tensor<?x?x3xf32>
  return %b : tensor<?x?x3xf32>
}

// -----

// Reshape keeps the batch axis: collapse the sample, expand it.
// CHECK-LABEL: func.func @reshape
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[}}[0], [1, 2, 3]] : tensor<?x4x6x3xf32> into tensor<?x72xf32>
// CHECK: tensor.expand_shape %[[C]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 12, 6] : tensor<?x72xf32> into tensor<?x12x6xf32>
func.func @reshape(%x: tensor<?x4x6x3xf32>) -> tensor<?x12x6xf32> {
  %e = predict.reshape %x shape = [12, -1] : tensor<?x4x6x3xf32> -> tensor<?x12x6xf32>
  return %e : tensor<?x12x6xf32>
}

// -----

// A dynamic sample size: the -1 is computed, and C129 checked at run time.
// CHECK-LABEL: func.func @reshape_dynamic
// CHECK: arith.remsi
// CHECK: predict.assert %{{.*}}, "cannot reshape a sample of {0} elements into [2, -1]: {0} is not a multiple of 2"
// CHECK: arith.divsi
// CHECK: tensor.expand_shape
func.func @reshape_dynamic(%x: tensor<?x?xf32>) -> tensor<?x2x?xf32> {
  %e = predict.reshape %x shape = [2, -1] : tensor<?x?xf32> -> tensor<?x2x?xf32>
  return %e : tensor<?x2x?xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_identity
// CHECK: linalg.transpose ins(%arg0 : tensor<?x4x6x3xf32>) outs(%{{.*}} : tensor<?x3x4x6xf32>) permutation = [0, 3, 1, 2]
// CHECK-NOT: inference_identity
func.func @transpose_identity(%x: tensor<?x4x6x3xf32>) -> tensor<?x3x4x6xf32> {
  %i = predict.inference_identity %x layer_class "SpatialDropout2D" : tensor<?x4x6x3xf32>
  %g = predict.transpose %i permutation = [0, 3, 1, 2] : tensor<?x4x6x3xf32> -> tensor<?x3x4x6xf32>
  return %g : tensor<?x3x4x6xf32>
}
