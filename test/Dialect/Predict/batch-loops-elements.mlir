// Elements through predict-batch-loops: row i without its batch axis (x[i],
// the r of `for r in x`, tf.map_fn's element; a unit row collapsed by
// tensor.collapse_shape), stacked after the loop. Each rule of
// RowWiseOpInterface::isRowWiseOnElements (PredictInterfaces.td) and each
// view of a row the analysis follows (LoopAnalysis.h), one loop per case,
// batched (with the axes the batch moves) or kept with the remark that says
// why.
// RUN: predict-opt %s -split-input-file -predict-batch-loops=emit-remarks -verify-diagnostics | FileCheck %s

// Elementwise (the default rule): an invariant operand of the element's
// rank broadcasts against the batch axis in front.
// CHECK-LABEL: func.func @elementwise
// CHECK: predict.mul %arg0, %arg1 : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK-NOT: predict.for
func.func @elementwise(%x: tensor<?x4xf32>, %v: tensor<4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<4xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %r = predict.mul %e, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<4xf32>>, tensor<4xf32>
    predict.yield %next : !predict.list<tensor<4xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// An invariant of higher rank than the element (`r + w`, a (3, 4) per
// row): numpy aligns the element at the end, so its batch is given a unit
// axis after the batch axis, which the invariant's axis 0 meets.
// CHECK-LABEL: func.func @higher_rank_invariant
// CHECK-NOT: predict.for
// CHECK: %[[E:.*]] = tensor.expand_shape %arg0 {{\[\[}}0, 1], [2]] output_shape [%{{.*}}, 1, 4] : tensor<?x4xf32> into tensor<?x1x4xf32>
// CHECK: predict.add %[[E]], %arg1 : (tensor<?x1x4xf32>, tensor<3x4xf32>) -> tensor<?x3x4xf32>
func.func @higher_rank_invariant(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?x3x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<3x4xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<3x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %r = predict.add %e, %w : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<3x4xf32>>, tensor<3x4xf32>
    predict.yield %next : !predict.list<tensor<3x4xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<3x4xf32>> -> tensor<?x3x4xf32>
  return %y : tensor<?x3x4xf32>
}

// -----

// A reduction over the element's axis 0 is one over the batch's axis 1.
// CHECK-LABEL: func.func @reduce
// CHECK: predict.reduce sum %arg0 axes = [1] : tensor<?x4xf32> -> tensor<?xf32>
// CHECK-NOT: predict.for
func.func @reduce(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<f32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<f32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %r = predict.reduce sum %e axes = [0] : tensor<4xf32> -> tensor<f32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<f32>>, tensor<f32>
    predict.yield %next : !predict.list<tensor<f32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<f32>> -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// softmax along axis 0 of the element, axis 1 of the batch; a negative
// axis stays.
// CHECK-LABEL: func.func @softmax
// CHECK: predict.activation softmax %arg0 axis = 1 : tensor<?x4xf32>
// CHECK: predict.activation log_softmax {{.*}} axis = -1 : tensor<?x4xf32>
// CHECK-NOT: predict.for
func.func @softmax(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<4xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %s = predict.activation softmax %e axis = 0 : tensor<4xf32>
    %r = predict.activation log_softmax %s axis = -1 : tensor<4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<4xf32>>, tensor<4xf32>
    predict.yield %next : !predict.list<tensor<4xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// argmax along the element's only axis.
// CHECK-LABEL: func.func @arg_reduce
// CHECK: predict.arg_reduce max %arg0 axis = 1 : tensor<?x4xf32> -> tensor<?xi64>
// CHECK-NOT: predict.for
func.func @arg_reduce(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?xi64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<i64>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<i64>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %r = predict.arg_reduce max %e axis = 0 : tensor<4xf32> -> tensor<i64>
    %next = predict.list.append %acc, %r : !predict.list<tensor<i64>>, tensor<i64>
    predict.yield %next : !predict.list<tensor<i64>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<i64>> -> tensor<?xi64>
  return %y : tensor<?xi64>
}

// -----

// Columns of the element (r[1:3]): a slice along the batch's axis 1.
// CHECK-LABEL: func.func @columns
// CHECK: predict.slice %arg0[{{.*}}] axis 1 : tensor<?x4xf32> -> tensor<?x2xf32>
// CHECK-NOT: predict.for
func.func @columns(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<2xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<2xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %a = arith.constant 1 : index
    %b = arith.constant 3 : index
    %r = predict.slice %e[%a : %b] axis 0 : tensor<4xf32> -> tensor<2xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<2xf32>>, tensor<2xf32>
    predict.yield %next : !predict.list<tensor<2xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<2xf32>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// r[2] (tensor.extract_slice of the element): the batch's column 2.
// CHECK-LABEL: func.func @index
// CHECK: tensor.extract_slice %arg0[0, 2] [%{{.*}}, 1] [1, 1] : tensor<?x4xf32> to tensor<?xf32>
// CHECK-NOT: predict.for
func.func @index(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<f32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<f32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %r = tensor.extract_slice %e[2] [1] [1] : tensor<4xf32> to tensor<f32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<f32>>, tensor<f32>
    predict.yield %next : !predict.list<tensor<f32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<f32>> -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// tf.concat([r, r * 2], axis=0): along the batch's axis 1.
// CHECK-LABEL: func.func @concat_elements
// CHECK: predict.concatenate %arg0, %{{.*}} axis = 1 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x8xf32>
// CHECK-NOT: predict.for
func.func @concat_elements(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<8xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<8xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %d = predict.add %e, %e : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %r = predict.concatenate %e, %d axis = 0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<8xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<8xf32>>, tensor<8xf32>
    predict.yield %next : !predict.list<tensor<8xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<8xf32>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// An invariant joined to an element has no batch axis to join along. Kept.
// CHECK-LABEL: func.func @concat_invariant
// CHECK: predict.for
func.func @concat_invariant(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<16xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.concatenate' mixes rows or is not row-wise on x[i]}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<16xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %v = tensor.collapse_shape %w [[0, 1]] : tensor<3x4xf32> into tensor<12xf32>
    %r = predict.concatenate %e, %v axis = 0 : (tensor<4xf32>, tensor<12xf32>) -> tensor<16xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<16xf32>>, tensor<16xf32>
    predict.yield %next : !predict.list<tensor<16xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<16xf32>> -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}

// -----

// A 1-D element times an invariant matrix: the batch times the matrix.
// CHECK-LABEL: func.func @matvec
// CHECK: predict.matmul %arg0, %arg1 : (tensor<?x4xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
// CHECK-NOT: predict.for
func.func @matvec(%x: tensor<?x4xf32>, %m: tensor<4x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<3xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<3xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %r = predict.matmul %e, %m : (tensor<4xf32>, tensor<4x3xf32>) -> tensor<3xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<3xf32>>, tensor<3xf32>
    predict.yield %next : !predict.list<tensor<3xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<3xf32>> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// tf.expand_dims(r, 0) is the unit row again (the same batch), and the
// unit row's [0] an element.
// CHECK-LABEL: func.func @expand_to_row
// CHECK: predict.dense %arg0, %arg1 : (tensor<?x4xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
// CHECK: tensor.extract_slice {{.*}}[0, 0] [%{{.*}}, 3] [1, 1] : tensor<?x3xf32> to tensor<?x3xf32>
// CHECK-NOT: predict.for
func.func @expand_to_row(%x: tensor<?x4xf32>, %k: tensor<4x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<3xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<3xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %u = tensor.expand_shape %e [[0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
    %d = predict.dense %u, %k : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
    %r = tensor.extract_slice %d[0, 0] [1, 3] [1, 1] : tensor<1x3xf32> to tensor<3xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<3xf32>>, tensor<3xf32>
    predict.yield %next : !predict.list<tensor<3xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<3xf32>> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// tf.expand_dims(r, -1): a reshape within the element, made again on the
// batch.
// CHECK-LABEL: func.func @expand_within
// CHECK: tensor.expand_shape %arg0 {{\[\[}}0], [1, 2]] output_shape [%{{.*}}, 4, 1] : tensor<?x4xf32> into tensor<?x4x1xf32>
// CHECK-NOT: predict.for
func.func @expand_within(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?x4x1xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<4x1xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<4x1xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %r = tensor.expand_shape %e [[0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<4x1xf32>>, tensor<4x1xf32>
    predict.yield %next : !predict.list<tensor<4x1xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<4x1xf32>> -> tensor<?x4x1xf32>
  return %y : tensor<?x4x1xf32>
}

// -----

// An op on the element and on the unit row together. Kept.
// CHECK-LABEL: func.func @mixed
// CHECK: predict.for
func.func @mixed(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?x4x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<4x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.add' mixes row i with and without its batch axis}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<4x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %c = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %u = tensor.expand_shape %c [[0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
    %r = predict.add %row, %u : (tensor<1x4xf32>, tensor<4x1xf32>) -> tensor<4x4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<4x4xf32>>, tensor<4x4xf32>
    predict.yield %next : !predict.list<tensor<4x4xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<4x4xf32>> -> tensor<?x4x4xf32>
  return %y : tensor<?x4x4xf32>
}

// -----

// Elements joined along axis 0 run end to end: the batch with its first
// two axes joined.
// CHECK-LABEL: func.func @concat_of_elements
// CHECK-NOT: predict.for
// CHECK: %[[S:.*]] = predict.add %arg0, %arg0 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[S]] {{\[\[}}0, 1]] : tensor<?x4xf32> into tensor<?xf32>
// CHECK: return %[[Y]]
func.func @concat_of_elements(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<4xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %r = predict.add %e, %e : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<4xf32>>, tensor<4xf32>
    predict.yield %next : !predict.list<tensor<4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<4xf32>> -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// A 2-D element times a matrix would be a batched matmul, which is not
// lowered: kept.
// CHECK-LABEL: func.func @matrix_element
// CHECK: predict.for
func.func @matrix_element(%x: tensor<?x2x4xf32>, %m: tensor<4x3xf32>) -> tensor<?x2x3xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x2x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<2x3xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.matmul' mixes rows or is not row-wise on x[i]}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<2x3xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x2x4xf32> -> tensor<1x2x4xf32>
    %e = tensor.collapse_shape %row [[0, 1], [2]] : tensor<1x2x4xf32> into tensor<2x4xf32>
    %r = predict.matmul %e, %m : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<2x3xf32>>, tensor<2x3xf32>
    predict.yield %next : !predict.list<tensor<2x3xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<2x3xf32>> -> tensor<?x2x3xf32>
  return %y : tensor<?x2x3xf32>
}

// -----

// A reduction over axis 1 of a 2-D element, keeping it.
// CHECK-LABEL: func.func @reduce_matrix
// CHECK: predict.reduce max %arg0 axes = [2] keepdims : tensor<?x2x4xf32> -> tensor<?x2x1xf32>
// CHECK-NOT: predict.for
func.func @reduce_matrix(%x: tensor<?x2x4xf32>, %w: tensor<3x4xf32>) -> tensor<?x2x1xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x2x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<2x1xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<2x1xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x2x4xf32> -> tensor<1x2x4xf32>
    %e = tensor.collapse_shape %row [[0, 1], [2]] : tensor<1x2x4xf32> into tensor<2x4xf32>
    %r = predict.reduce max %e axes = [1] keepdims : tensor<2x4xf32> -> tensor<2x1xf32>
    %next = predict.list.append %acc, %r : !predict.list<tensor<2x1xf32>>, tensor<2x1xf32>
    predict.yield %next : !predict.list<tensor<2x1xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<2x1xf32>> -> tensor<?x2x1xf32>
  return %y : tensor<?x2x1xf32>
}

// -----

// Elements stacked along axis 1 (tf.stack(rows, axis=1)): the batch's rows
// would become columns. Kept.
// CHECK-LABEL: func.func @stack_axis_one
// CHECK: predict.for
func.func @stack_axis_one(%x: tensor<?x4xf32>) -> tensor<4x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<4xf32>>
  // expected-remark @+1 {{loop not batched: its results are not joined with tf.concat or tf.stack along axis 0}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %next = predict.list.append %acc, %e : !predict.list<tensor<4xf32>>, tensor<4xf32>
    predict.yield %next : !predict.list<tensor<4xf32>>
  }
  %y = predict.list.stack %l axis = 1 : !predict.list<tensor<4xf32>> -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}

// -----

// tf.stack([r, r + 1.0]) inside the body: a list of the body's own, built
// from row i. Kept (its remark says so, not that the value does not depend
// on row i).
// CHECK-LABEL: func.func @inner_list
// CHECK: predict.for
func.func @inner_list(%x: tensor<?x4xf32>) -> tensor<?x2x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<2x4xf32>>
  // expected-remark @+1 {{loop not batched: its body joins values of row i in a list of its own (tf.stack or tf.concat of [...] inside the loop), which is not batched yet}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<2x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %e = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %inner0 = predict.list.empty : !predict.list<tensor<4xf32>>
    %inner1 = predict.list.append %inner0, %e : !predict.list<tensor<4xf32>>, tensor<4xf32>
    %inner2 = predict.list.append %inner1, %e : !predict.list<tensor<4xf32>>, tensor<4xf32>
    %s = predict.list.stack %inner2 axis = 0 : !predict.list<tensor<4xf32>> -> tensor<2x4xf32>
    %next = predict.list.append %acc, %s : !predict.list<tensor<2x4xf32>>, tensor<2x4xf32>
    predict.yield %next : !predict.list<tensor<2x4xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<2x4xf32>> -> tensor<?x2x4xf32>
  return %y : tensor<?x2x4xf32>
}
