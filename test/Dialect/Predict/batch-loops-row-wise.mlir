// RowWiseOpInterface through predict-batch-loops: each rule of the interface
// (the elementwise default and the ops' own rules, PredictInterfaces.td),
// one loop per case, batched or kept with the remark that names the op.
// RUN: predict-opt %s -split-input-file -predict-batch-loops=emit-remarks -verify-diagnostics | FileCheck %s

// -----

// Elementwise (the interface's default rule): an invariant operand of lower
// rank broadcasts the same way against a row and against the batch.
// CHECK-LABEL: func.func @broadcast_vector
// CHECK-NOT: predict.for
// CHECK: return
func.func @broadcast_vector(%x: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.mul %row, %b : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// An invariant operand of the row's rank with a leading 1 does too.
// CHECK-LABEL: func.func @broadcast_leading_one
// CHECK-NOT: predict.for
// CHECK: return
func.func @broadcast_leading_one(%x: tensor<?x4xf32>, %m: tensor<1x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.sub %row, %m : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Unary elementwise ops, clip and dropout: the default rule, trivially.
// CHECK-LABEL: func.func @unary_chain
// CHECK-NOT: predict.for
// CHECK: return
func.func @unary_chain(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %a = predict.neg %row : tensor<1x4xf32>
    %e = predict.exp %a : tensor<1x4xf32>
    %c = predict.clip %e min = 0.0 max = 6.0 : tensor<1x4xf32>
    %r = predict.dropout %c rate = 5.000000e-01 : tensor<1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// compare and select: the default rule, with a scalar.
// CHECK-LABEL: func.func @compare_select
// CHECK-NOT: predict.for
// CHECK: return
func.func @compare_select(%x: tensor<?x4xf32>, %z: tensor<f32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %c = predict.compare gt %row, %z : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xi1>
    %r = predict.select %c, %row, %z : (tensor<1x4xi1>, tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// matmul's own rule: a 2-D row times an invariant matrix.
// CHECK-LABEL: func.func @matmul_constant
// CHECK-NOT: predict.for
// CHECK: return
func.func @matmul_constant(%x: tensor<?x4xf32>, %w: tensor<4x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x3xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x3xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.matmul %row, %w : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x3xf32>>, tensor<1x3xf32>
    predict.yield %next : !predict.list<tensor<1x3xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x3xf32>> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// batch_norm's own rule: statistics over the features, invariant.
// CHECK-LABEL: func.func @batch_norm_features
// CHECK-NOT: predict.for
// CHECK: return
func.func @batch_norm_features(%x: tensor<?x4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.batch_norm %row mean %m variance %v epsilon = 1.000000e-03 axis = -1 : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// concatenate's own rule: rows joined along the features.
// CHECK-LABEL: func.func @concatenate_features
// CHECK-NOT: predict.for
// CHECK: return
func.func @concatenate_features(%x: tensor<?x4xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x8xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x8xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.concatenate %row, %row axis = 1 : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x8xf32>>, tensor<1x8xf32>
    predict.yield %next : !predict.list<tensor<1x8xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x8xf32>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// slice's own rule: columns of the row, with bounds the same for every row.
// CHECK-LABEL: func.func @slice_columns
// CHECK-NOT: predict.for
// CHECK: return
func.func @slice_columns(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x2xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x2xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.slice %row[%c1 : %c3] axis 1 : tensor<1x4xf32> -> tensor<1x2xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x2xf32>>, tensor<1x2xf32>
    predict.yield %next : !predict.list<tensor<1x2xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x2xf32>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// flatten's own rule: it keeps axis 0.
// CHECK-LABEL: func.func @flatten
// CHECK-NOT: predict.for
// CHECK: return
func.func @flatten(%x: tensor<?x2x2xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x2x2xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x2x2xf32> -> tensor<1x2x2xf32>
    %r = predict.flatten %row : tensor<1x2x2xf32> -> tensor<1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// activation's own rule: no axis, elementwise.
// CHECK-LABEL: func.func @activation_elementwise
// CHECK-NOT: predict.for
// CHECK: return
func.func @activation_elementwise(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.activation relu %row : tensor<1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// An invariant operand that reaches the batch axis (3 rows) is refused.
// CHECK-LABEL: func.func @broadcast_onto_batch
// CHECK: predict.for
func.func @broadcast_onto_batch(%x: tensor<?x4xf32>, %m: tensor<3x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<3x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.add' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<3x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.add %row, %m : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<3x4xf32>>, tensor<3x4xf32>
    predict.yield %next : !predict.list<tensor<3x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<3x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A row of lower rank than the result: broadcasting moves its batch axis.
// CHECK-LABEL: func.func @row_of_lower_rank
// CHECK: predict.for
func.func @row_of_lower_rank(%x: tensor<?x4xf32>, %t: tensor<2x1x4xf32>) -> tensor<?x1x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<2x1x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.mul' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<2x1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.mul %row, %t : (tensor<1x4xf32>, tensor<2x1x4xf32>) -> tensor<2x1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<2x1x4xf32>>, tensor<2x1x4xf32>
    predict.yield %next : !predict.list<tensor<2x1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<2x1x4xf32>> -> tensor<?x1x4xf32>
  return %y : tensor<?x1x4xf32>
}

// -----

// matmul's rule takes 2-D rows only.
// CHECK-LABEL: func.func @matmul_rank3
// CHECK: predict.for
func.func @matmul_rank3(%x: tensor<?x2x4xf32>, %w: tensor<4x3xf32>) -> tensor<?x2x3xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x2x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x2x3xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.matmul' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x2x3xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x2x4xf32> -> tensor<1x2x4xf32>
    %r = predict.matmul %row, %w : (tensor<1x2x4xf32>, tensor<4x3xf32>) -> tensor<1x2x3xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x2x3xf32>>, tensor<1x2x3xf32>
    predict.yield %next : !predict.list<tensor<1x2x3xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x2x3xf32>> -> tensor<?x2x3xf32>
  return %y : tensor<?x2x3xf32>
}

// -----

// Statistics over the batch axis mix rows.
// CHECK-LABEL: func.func @batch_norm_batch_axis
// CHECK: predict.for
func.func @batch_norm_batch_axis(%x: tensor<?x4xf32>, %m: tensor<1xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.batch_norm' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.batch_norm %row mean %m variance %m epsilon = 1.000000e-03 axis = 0 : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Joining along the batch axis mixes rows.
// CHECK-LABEL: func.func @concatenate_batch_axis
// CHECK: predict.for
func.func @concatenate_batch_axis(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<2x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.concatenate' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<2x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.concatenate %row, %row axis = 0 : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<2x4xf32>>, tensor<2x4xf32>
    predict.yield %next : !predict.list<tensor<2x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<2x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// concatenate's rule joins rows only, not an invariant tensor.
// CHECK-LABEL: func.func @concatenate_invariant
// CHECK: predict.for
func.func @concatenate_invariant(%x: tensor<?x4xf32>, %m: tensor<1x4xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x8xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.concatenate' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x8xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.concatenate %row, %m axis = 1 : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x8xf32>>, tensor<1x8xf32>
    predict.yield %next : !predict.list<tensor<1x8xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x8xf32>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// A slice of the row along the batch axis.
// CHECK-LABEL: func.func @slice_batch_axis
// CHECK: predict.for
func.func @slice_batch_axis(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.slice' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = predict.slice %row[%c0 : %c1] axis 0 : tensor<1x4xf32> -> tensor<1x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Embedding: each id looked up alone in a table the same for every row.
// CHECK-LABEL: func.func @embedding_rows
// CHECK-NOT: predict.for
// CHECK: predict.embedding %arg0, %arg1 : (tensor<?x3xi32>, tensor<7x4xf32>) -> tensor<?x3x4xf32>
func.func @embedding_rows(%ids: tensor<?x3xi32>, %t: tensor<7x4xf32>) -> tensor<?x3x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %ids, 0 : tensor<?x3xi32>
  %l0 = predict.list.empty : !predict.list<tensor<1x3x4xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x3x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %ids[%i : %j] axis 0 : tensor<?x3xi32> -> tensor<1x3xi32>
    %e = predict.embedding %row, %t : (tensor<1x3xi32>, tensor<7x4xf32>) -> tensor<1x3x4xf32>
    %next = predict.list.append %acc, %e : !predict.list<tensor<1x3x4xf32>>, tensor<1x3x4xf32>
    predict.yield %next : !predict.list<tensor<1x3x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x3x4xf32>> -> tensor<?x3x4xf32>
  return %y : tensor<?x3x4xf32>
}

// -----

// A recurrent layer runs each sample's sequence alone: chunks of rows
// (Keras's predict batches) are the batch.
// CHECK-LABEL: func.func @recurrent_chunks
// CHECK-NOT: predict.for
// CHECK: predict.recurrent simple_rnn %arg0, %arg1, %arg2 {{.*}} -> tensor<?x2xf32>
func.func @recurrent_chunks(%x: tensor<?x5x3xf32>, %k: tensor<3x2xf32>, %r: tensor<2x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %n = predict.dim %x, 0 : tensor<?x5x3xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x2xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes x[i:i+32] from x[i:i+32] alone}}
  %l = predict.for %i = %c0 to %n step %c32 iter_args(%acc = %l0) -> (!predict.list<tensor<?x2xf32>>) {
    %j = arith.addi %i, %c32 : index
    %rows = predict.slice %x[%i : %j] axis 0 : tensor<?x5x3xf32> -> tensor<?x5x3xf32>
    %h = predict.recurrent simple_rnn %rows, %k, %r activation tanh recurrent_activation sigmoid
        : (tensor<?x5x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
    %next = predict.list.append %acc, %h : !predict.list<tensor<?x2xf32>>, tensor<?x2xf32>
    predict.yield %next : !predict.list<tensor<?x2xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<?x2xf32>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// An initial state the same for every iteration is not that row's own
// (its batch must be the input's): the loop stays.
// CHECK-LABEL: func.func @recurrent_shared_state
// CHECK: predict.for
func.func @recurrent_shared_state(%x: tensor<?x5x3xf32>, %k: tensor<3x2xf32>, %r: tensor<2x2xf32>, %h0: tensor<1x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x5x3xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x2xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.recurrent' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x2xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x5x3xf32> -> tensor<1x5x3xf32>
    %h = predict.recurrent simple_rnn %row, %k, %r initial_states(%h0) activation tanh recurrent_activation sigmoid
        : (tensor<1x5x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
    %next = predict.list.append %acc, %h : !predict.list<tensor<1x2xf32>>, tensor<1x2xf32>
    predict.yield %next : !predict.list<tensor<1x2xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x2xf32>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
