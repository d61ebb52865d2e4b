// predict-batch-loops with the pooling and reshaping ops (issue 17): each
// keeps the batch axis, so a loop over rows through them batches; padding
// (or upsampling) the batch axis itself mixes rows and keeps the loop.
// RUN: predict-opt %s -split-input-file -predict-batch-loops=emit-remarks -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @per_row
// CHECK-NOT: predict.for
// CHECK: predict.pool max %arg0 window = [2, 2] strides = [2, 2] : tensor<?x4x4x2xf32> -> tensor<?x2x2x2xf32>
// CHECK: predict.pad %{{.*}} low = [0, 1, 1, 0] high = [0, 1, 1, 0] : tensor<?x2x2x2xf32> -> tensor<?x4x4x2xf32>
// CHECK: predict.crop %{{.*}} low = [0, 1, 0, 0] high = [0, 0, 1, 0] : tensor<?x4x4x2xf32> -> tensor<?x3x3x2xf32>
// CHECK: predict.upsample %{{.*}} factors = [1, 2, 2, 1] : tensor<?x3x3x2xf32> -> tensor<?x6x6x2xf32>
// CHECK: predict.transpose %{{.*}} permutation = [0, 3, 1, 2] : tensor<?x6x6x2xf32> -> tensor<?x2x6x6xf32>
// CHECK: predict.inference_identity
// CHECK: predict.global_pool avg %{{.*}} channels_first keepdims : tensor<?x2x6x6xf32> -> tensor<?x2x1x1xf32>
// CHECK: predict.reshape %{{.*}} shape = [2] : tensor<?x2x1x1xf32> -> tensor<?x2xf32>
func.func @per_row(%x: tensor<?x4x4x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4x4x2xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x2xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x2xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4x4x2xf32> -> tensor<1x4x4x2xf32>
    %p = predict.pool max %row window = [2, 2] strides = [2, 2] : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
    %q = predict.pad %p low = [0, 1, 1, 0] high = [0, 1, 1, 0] : tensor<1x2x2x2xf32> -> tensor<1x4x4x2xf32>
    %c = predict.crop %q low = [0, 1, 0, 0] high = [0, 0, 1, 0] : tensor<1x4x4x2xf32> -> tensor<1x3x3x2xf32>
    %u = predict.upsample %c factors = [1, 2, 2, 1] : tensor<1x3x3x2xf32> -> tensor<1x6x6x2xf32>
    %t = predict.transpose %u permutation = [0, 3, 1, 2] : tensor<1x6x6x2xf32> -> tensor<1x2x6x6xf32>
    %d = predict.inference_identity %t layer_class "SpatialDropout2D" : tensor<1x2x6x6xf32>
    %g = predict.global_pool avg %d channels_first keepdims : tensor<1x2x6x6xf32> -> tensor<1x2x1x1xf32>
    %y = predict.reshape %g shape = [2] : tensor<1x2x1x1xf32> -> tensor<1x2xf32>
    %next = predict.list.append %acc, %y : !predict.list<tensor<1x2xf32>>, tensor<1x2xf32>
    predict.yield %next : !predict.list<tensor<1x2xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x2xf32>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Padding the batch axis of a row makes two rows of it: not row-wise.
// CHECK-LABEL: func.func @pads_batch_axis
// CHECK: predict.for
func.func @pads_batch_axis(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<2x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.pad' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<2x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %y = predict.pad %row low = [1, 0] high = [0, 0] : tensor<1x4xf32> -> tensor<2x4xf32>
    %next = predict.list.append %acc, %y : !predict.list<tensor<2x4xf32>>, tensor<2x4xf32>
    predict.yield %next : !predict.list<tensor<2x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<2x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
