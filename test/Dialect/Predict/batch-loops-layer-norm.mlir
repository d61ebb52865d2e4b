// predict-batch-loops with predict.layer_norm: a loop over rows batches when
// the axes leave out the batch axis (each row is normalized alone), and
// stays a loop when they include it.
// RUN: predict-opt %s -split-input-file -predict-batch-loops=emit-remarks -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @per_row
// CHECK-NOT: predict.for
// CHECK: predict.layer_norm %arg0 gamma %arg1 epsilon = 1.000000e-03 axes = [1] : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
func.func @per_row(%x: tensor<?x8xf32>, %g: tensor<8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x8xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x8xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x8xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x8xf32> -> tensor<1x8xf32>
    %y = predict.layer_norm %row gamma %g epsilon = 1.0e-3 axes = [1] : (tensor<1x8xf32>, tensor<8xf32>) -> tensor<1x8xf32>
    %next = predict.list.append %acc, %y : !predict.list<tensor<1x8xf32>>, tensor<1x8xf32>
    predict.yield %next : !predict.list<tensor<1x8xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x8xf32>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @whole_row_block
// CHECK: predict.for
func.func @whole_row_block(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x8xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x8xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.layer_norm' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x8xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x8xf32> -> tensor<1x8xf32>
    %y = predict.layer_norm %row epsilon = 1.0e-3 axes = [0, 1] : (tensor<1x8xf32>) -> tensor<1x8xf32>
    %next = predict.list.append %acc, %y : !predict.list<tensor<1x8xf32>>, tensor<1x8xf32>
    predict.yield %next : !predict.list<tensor<1x8xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x8xf32>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}
