// predict-batch-loops with predict.conv: a loop over rows batches (each
// sample is convolved alone with the same kernel), and stays a loop when
// the row is the kernel of a convolution of an invariant input.
// RUN: predict-opt %s -split-input-file -predict-batch-loops=emit-remarks -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @per_row
// CHECK-NOT: predict.for
// CHECK: predict.conv %arg0, %arg1, %arg2 strides = [1, 1] dilations = [1, 1] padding same activation relu : (tensor<?x5x5x2xf32>, tensor<3x3x2x4xf32>, tensor<4xf32>) -> tensor<?x5x5x4xf32>
func.func @per_row(%x: tensor<?x5x5x2xf32>, %k: tensor<3x3x2x4xf32>, %b: tensor<4xf32>) -> tensor<?x5x5x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x5x5x2xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x5x5x4xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x5x5x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x5x5x2xf32> -> tensor<1x5x5x2xf32>
    %y = predict.conv %row, %k, %b strides = [1, 1] dilations = [1, 1] padding same activation relu
        : (tensor<1x5x5x2xf32>, tensor<3x3x2x4xf32>, tensor<4xf32>) -> tensor<1x5x5x4xf32>
    %next = predict.list.append %acc, %y : !predict.list<tensor<1x5x5x4xf32>>, tensor<1x5x5x4xf32>
    predict.yield %next : !predict.list<tensor<1x5x5x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x5x5x4xf32>> -> tensor<?x5x5x4xf32>
  return %y : tensor<?x5x5x4xf32>
}

// -----

// CHECK-LABEL: func.func @kernel_per_row
// CHECK: predict.for
func.func @kernel_per_row(%x: tensor<?x3x3x1xf32>, %v: tensor<1x4x4x3xf32>) -> tensor<?x4x2x1xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x3x3x1xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4x2x1xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.conv' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4x2x1xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x3x3x1xf32> -> tensor<1x3x3x1xf32>
    %y = predict.conv %v, %row strides = [1, 1] dilations = [1, 1]
        : (tensor<1x4x4x3xf32>, tensor<1x3x3x1xf32>) -> tensor<1x4x2x1xf32>
    %next = predict.list.append %acc, %y : !predict.list<tensor<1x4x2x1xf32>>, tensor<1x4x2x1xf32>
    predict.yield %next : !predict.list<tensor<1x4x2x1xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4x2x1xf32>> -> tensor<?x4x2x1xf32>
  return %y : tensor<?x4x2x1xf32>
}
