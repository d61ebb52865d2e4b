// predict-batch-loops: a row-independent loop becomes the batched
// computation; every other loop stays, with a remark saying why.
// RUN: predict-opt %s -split-input-file -predict-batch-loops=emit-remarks -verify-diagnostics | FileCheck %s

// The seed's CustomModel loop: row i in, row i out, nothing carried.
// CHECK-LABEL: func.func @row_loop
// CHECK-NOT: predict.for
// CHECK-NOT: predict.list
// CHECK: %[[H:.*]] = predict.dense %arg0, %arg1 activation relu : (tensor<?x4xf32>, tensor<4x8xf32>) -> tensor<?x8xf32>
// CHECK: %[[N:.*]] = predict.normalization %[[H]]
// CHECK: %[[S:.*]] = predict.add %[[N]], %arg2 : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
// CHECK: %[[P:.*]] = predict.activation softmax %[[S]] : tensor<?x8xf32>
// CHECK: return %[[P]]
func.func @row_loop(%x: tensor<?x4xf32>, %k: tensor<4x8xf32>, %b: tensor<8xf32>, %m: tensor<1x8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x8xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes row i from row i alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x8xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %h = predict.dense %row, %k activation relu : (tensor<1x4xf32>, tensor<4x8xf32>) -> tensor<1x8xf32>
    %nm = predict.normalization %h mean %m variance %m : (tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
    %s = predict.add %nm, %b : (tensor<1x8xf32>, tensor<8xf32>) -> tensor<1x8xf32>
    %p = predict.activation softmax %s : tensor<1x8xf32>
    %next = predict.list.append %acc, %p : !predict.list<tensor<1x8xf32>>, tensor<1x8xf32>
    predict.yield %next : !predict.list<tensor<1x8xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x8xf32>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// A running sum: iteration i needs iteration i-1's total. It stays a loop
// (and stays correct); the remark names the variable the front end named.
// CHECK-LABEL: func.func @running_sum
// CHECK: predict.for
func.func @running_sum(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %zero = predict.fill 0.0 : tensor<1x4xf32> loc("total"("model.py":11:9))
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: iteration i reads 'total', carried from iteration i-1}}
  %r:2 = predict.for %i = %c0 to %n step %c1 iter_args(%t = %zero, %l = %l0) -> (tensor<1x4xf32>, !predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %t2 = predict.add %t, %row : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %l2 = predict.list.append %l, %t2 : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %t2, %l2 : tensor<1x4xf32>, !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %r#1 axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @static_range(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: it does not run over range(x.shape[0]) or range(0, x.shape[0], k) for a tensor x}}
  %l = predict.for %i = %c0 to %c3 step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %next = predict.list.append %acc, %row : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @foreign(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.foreign_call' ('builtins.print') must run once per iteration}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    predict.foreign_call "builtins.print"(%row) : (tensor<1x4xf32>) -> ()
    %next = predict.list.append %acc, %row : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @softmax_over_rows(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.activation' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %p = predict.activation softmax %row axis = 0 : tensor<1x4xf32>
    %next = predict.list.append %acc, %p : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @uses_index(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: iteration i uses i other than to select row i ('predict.slice')}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%c0 : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %first = predict.slice %row[%c0 : %c1] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %next = predict.list.append %acc, %first : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Unit rows stacked (`tf.map_fn(lambda r: tf.expand_dims(r, 0), x)`): the
// batch with a unit axis after the batch axis.
// CHECK-LABEL: func.func @stacked
// CHECK-NOT: predict.for
// CHECK: %[[Y:.*]] = tensor.expand_shape %arg0 {{\[\[}}0, 1], [2]] output_shape [%{{.*}}, 1, 4] : tensor<?x4xf32> into tensor<?x1x4xf32>
// CHECK: return %[[Y]]
func.func @stacked(%x: tensor<?x4xf32>) -> tensor<?x1x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %next = predict.list.append %acc, %row : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x1x4xf32>
  return %y : tensor<?x1x4xf32>
}

// -----

func.func @nested(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: its body contains a nested loop ('predict.for')}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    // expected-remark @+1 {{loop not batched: it does not run over range(x.shape[0]) or range(0, x.shape[0], k) for a tensor x}}
    %twice = predict.for %k = %c0 to %c2 step %c1 iter_args(%v = %row) -> (tensor<1x4xf32>) {
      %d = predict.add %v, %v : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
      predict.yield %d : tensor<1x4xf32>
    }
    %next = predict.list.append %acc, %twice : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Columns of the row (x[:, 0:2]) are row-wise: batched, slicing the batch's
// columns.
// CHECK-LABEL: func.func @column_slice
// CHECK-NOT: predict.for
// CHECK: predict.slice %arg0[%{{.*}} : %{{.*}}] axis 1 : tensor<?x4xf32> -> tensor<?x2xf32>
func.func @column_slice(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x2xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x2xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %cols = predict.slice %row[%c0 : %c2] axis 1 : tensor<1x4xf32> -> tensor<1x2xf32>
    %next = predict.list.append %acc, %cols : !predict.list<tensor<1x2xf32>>, tensor<1x2xf32>
    predict.yield %next : !predict.list<tensor<1x2xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x2xf32>> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A branch decided at run time on the row's value (an `if` of Python
// source, docs/PythonSource.md): both arms on the whole batch, each row's
// result chosen by its own boolean.
// CHECK-LABEL: func.func @row_branch
// CHECK-NOT: predict.for
// CHECK-NOT: scf.if
// CHECK: %[[M:.*]] = predict.compare gt %{{.*}}, {{.*}} -> tensor<?x1xi1>
// CHECK: %[[D:.*]] = predict.add %arg0, %arg0 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[M]] {{\[\[}}0, 1]] : tensor<?x1xi1> into tensor<?xi1>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[F]] {{\[\[}}0, 1]]
// CHECK: %[[Y:.*]] = predict.select %[[E]], %[[D]], %arg0 : (tensor<?x1xi1>, tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: return %[[Y]]
func.func @row_branch(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = predict.constant dense<0.0> : tensor<f32>
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %first = predict.slice %row[%c0 : %c1] axis 1 : tensor<1x4xf32> -> tensor<1x1xf32>
    %m = predict.compare gt %first, %zero : (tensor<1x1xf32>, tensor<f32>) -> tensor<1x1xi1>
    %c = tensor.extract %m[%c0, %c0] : tensor<1x1xi1>
    %r = scf.if %c -> (tensor<1x4xf32>) {
      %d = predict.add %row, %row : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
      scf.yield %d : tensor<1x4xf32>
    } else {
      scf.yield %row : tensor<1x4xf32>
    }
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// The same on elements (tf.map_fn's function `if tf.reduce_sum(r) > 0`),
// nested, with results the same in every row (chosen per row too, as a
// [B] of scalars) and a result that does not depend on the branch.
// CHECK-LABEL: func.func @element_branch
// CHECK-NOT: predict.for
// CHECK-NOT: scf.if
// CHECK: %[[S:.*]] = predict.reduce sum %arg0 axes = [1] : tensor<?x4xf32> -> tensor<?xf32>
// CHECK: %[[M:.*]] = predict.compare gt %[[S]], {{.*}} -> tensor<?xi1>
// CHECK: %[[N:.*]] = predict.compare lt %[[S]], {{.*}} -> tensor<?xi1>
// CHECK: %[[INNER:.*]] = predict.select %[[N]], %{{.*}}, %{{.*}} : (tensor<?xi1>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
// CHECK: %[[OUTER:.*]] = predict.select %[[M]], %{{.*}}, %[[INNER]] : (tensor<?xi1>, tensor<f32>, tensor<?xf32>) -> tensor<?xf32>
// CHECK: return %[[OUTER]]
func.func @element_branch(%x: tensor<?x4xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = predict.constant dense<0.0> : tensor<f32>
  %one = predict.constant dense<1.0> : tensor<f32>
  %two = predict.constant dense<2.0> : tensor<f32>
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<f32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<f32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %r = tensor.collapse_shape %row [[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
    %s = predict.reduce sum %r axes = [0] : tensor<4xf32> -> tensor<f32>
    %m = predict.compare gt %s, %zero : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %c = tensor.extract %m[] : tensor<i1>
    %v = scf.if %c -> (tensor<f32>) {
      scf.yield %one : tensor<f32>
    } else {
      %k = predict.compare lt %s, %zero : (tensor<f32>, tensor<f32>) -> tensor<i1>
      %ck = tensor.extract %k[] : tensor<i1>
      %w = scf.if %ck -> (tensor<f32>) {
        scf.yield %two : tensor<f32>
      } else {
        scf.yield %zero : tensor<f32>
      }
      scf.yield %w : tensor<f32>
    }
    %next = predict.list.append %acc, %v : !predict.list<tensor<f32>>, tensor<f32>
    predict.yield %next : !predict.list<tensor<f32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<f32>> -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// A branch on a condition the same for every row (a run-time size): kept,
// around arms made on the batch.
// CHECK-LABEL: func.func @size_branch
// CHECK-NOT: predict.for
// CHECK: %[[B:.*]] = scf.if %{{.*}} -> (tensor<?x4xf32>) {
// CHECK:   %[[D:.*]] = predict.add %arg0, %arg0 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK:   scf.yield %[[D]] : tensor<?x4xf32>
// CHECK: } else {
// CHECK:   scf.yield %arg0 : tensor<?x4xf32>
// CHECK: return %[[B]]
func.func @size_branch(%x: tensor<?x4xf32>, %k: index) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %c = arith.cmpi sgt, %n, %k : index
    %r = scf.if %c -> (tensor<1x4xf32>) {
      %d = predict.add %row, %row : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
      scf.yield %d : tensor<1x4xf32>
    } else {
      scf.yield %row : tensor<1x4xf32>
    }
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A condition that is one of several values of the row (`row[0, 0]` read
// out of the tensor): kept.
// CHECK-LABEL: func.func @branch_on_one_of_several
// CHECK: predict.for
// CHECK: scf.if
func.func @branch_on_one_of_several(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = predict.constant dense<0.0> : tensor<f32>
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: it reads one value of row i out of its tensor, other than the one boolean of an if on row i}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %m = predict.compare gt %row, %zero : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xi1>
    %c = tensor.extract %m[%c0, %c0] : tensor<1x4xi1>
    %r = scf.if %c -> (tensor<1x4xf32>) {
      %d = predict.add %row, %row : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
      scf.yield %d : tensor<1x4xf32>
    } else {
      scf.yield %row : tensor<1x4xf32>
    }
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// An arm that must not run for rows that do not take it (a check, here;
// a print, a foreign call): kept.
// CHECK-LABEL: func.func @branch_with_effect
// CHECK: predict.for
// CHECK: scf.if
func.func @branch_with_effect(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = predict.constant dense<0.0> : tensor<f32>
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.assert' must run once per iteration}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %first = predict.slice %row[%c0 : %c1] axis 1 : tensor<1x4xf32> -> tensor<1x1xf32>
    %m = predict.compare gt %first, %zero : (tensor<1x1xf32>, tensor<f32>) -> tensor<1x1xi1>
    %c = tensor.extract %m[%c0, %c0] : tensor<1x1xi1>
    %r = scf.if %c -> (tensor<1x4xf32>) {
      %false = arith.constant false
      predict.assert %false, "never"
      scf.yield %row : tensor<1x4xf32>
    } else {
      scf.yield %row : tensor<1x4xf32>
    }
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A value of the row read by a check (not only by branches): kept, the
// remark naming the check.
// CHECK-LABEL: func.func @checked_value
// CHECK: predict.for
func.func @checked_value(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = predict.constant dense<0.0> : tensor<f32>
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: it reads one value of row i out of its tensor for 'predict.assert', other than the one boolean of an if on row i}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %first = predict.slice %row[%c0 : %c1] axis 1 : tensor<1x4xf32> -> tensor<1x1xf32>
    %m = predict.compare gt %first, %zero : (tensor<1x1xf32>, tensor<f32>) -> tensor<1x1xi1>
    %c = tensor.extract %m[%c0, %c0] : tensor<1x1xi1>
    predict.assert %c, "positive"
    %next = predict.list.append %acc, %row : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A boolean chosen per row (predict.select chooses numbers): kept.
// CHECK-LABEL: func.func @branch_of_bools
// CHECK: predict.for
// CHECK: scf.if
func.func @branch_of_bools(%x: tensor<?x4xf32>) -> tensor<?x4xi1> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = predict.constant dense<0.0> : tensor<f32>
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xi1>>
  // expected-remark @+1 {{loop not batched: 'scf.if' chooses per row a value that is not a tensor of numbers (result #0)}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xi1>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %first = predict.slice %row[%c0 : %c1] axis 1 : tensor<1x4xf32> -> tensor<1x1xf32>
    %m = predict.compare gt %first, %zero : (tensor<1x1xf32>, tensor<f32>) -> tensor<1x1xi1>
    %all = predict.compare gt %row, %zero : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xi1>
    %none = predict.compare lt %row, %zero : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xi1>
    %c = tensor.extract %m[%c0, %c0] : tensor<1x1xi1>
    %r = scf.if %c -> (tensor<1x4xi1>) {
      scf.yield %all : tensor<1x4xi1>
    } else {
      scf.yield %none : tensor<1x4xi1>
    }
    %next = predict.list.append %acc, %r : !predict.list<tensor<1x4xi1>>, tensor<1x4xi1>
    predict.yield %next : !predict.list<tensor<1x4xi1>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xi1>> -> tensor<?x4xi1>
  return %y : tensor<?x4xi1>
}

// -----

// A loop over chunks of 32 rows, `for i in range(0, n, 32)` on x[i:i+32]
// (Keras's model.predict(x) in batches, or a user's own batching): each
// chunk's rows from those rows alone, so the whole input at once. Chunks
// have a leading size known at run time only (the last one is shorter).
// CHECK-LABEL: func.func @chunk_loop
// CHECK-NOT: predict.for
// CHECK: %[[D:.*]] = predict.dense %arg0, %arg1 activation relu : (tensor<?x4xf32>, tensor<4x8xf32>) -> tensor<?x8xf32>
// CHECK: %[[R:.*]] = predict.reduce sum %[[D]] axes = [1] keepdims : tensor<?x8xf32> -> tensor<?x1xf32>
// CHECK: %[[S:.*]] = predict.sub %[[D]], %[[R]]
// CHECK: return %[[S]]
func.func @chunk_loop(%x: tensor<?x4xf32>, %k: tensor<4x8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x8xf32>>
  // expected-remark @+1 {{loop batched: each iteration computes x[i:i+32] from x[i:i+32] alone; the whole batch is computed at once}}
  %l = predict.for %i = %c0 to %n step %c32 iter_args(%acc = %l0) -> (!predict.list<tensor<?x8xf32>>) {
    %j = arith.addi %i, %c32 : index
    %rows = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %d = predict.dense %rows, %k activation relu : (tensor<?x4xf32>, tensor<4x8xf32>) -> tensor<?x8xf32>
    %r = predict.reduce sum %d axes = [1] keepdims : tensor<?x8xf32> -> tensor<?x1xf32>
    %s = predict.sub %d, %r : (tensor<?x8xf32>, tensor<?x1xf32>) -> tensor<?x8xf32>
    %next = predict.list.append %acc, %s : !predict.list<tensor<?x8xf32>>, tensor<?x8xf32>
    predict.yield %next : !predict.list<tensor<?x8xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<?x8xf32>> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// A chunk's mean over its rows depends on which rows share the chunk:
// the loop stays (Keras's predict gives each batch its own mean).
// CHECK-LABEL: func.func @chunk_mixes_rows
// CHECK: predict.for
func.func @chunk_mixes_rows(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  // expected-remark @+1 {{loop not batched: 'predict.reduce' mixes rows or is not row-wise}}
  %l = predict.for %i = %c0 to %n step %c2 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %j = arith.addi %i, %c2 : index
    %rows = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %m = predict.reduce mean %rows axes = [0] keepdims : tensor<?x4xf32> -> tensor<1x4xf32>
    %s = predict.sub %rows, %m : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
    %next = predict.list.append %acc, %s : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// The slice must be the loop's own step: x[i:i+4] in steps of 2 overlaps.
// CHECK-LABEL: func.func @chunk_overlaps
// CHECK: predict.for
func.func @chunk_overlaps(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  // expected-remark @+1 {{loop not batched: iteration i uses i other than to select x[i:i+2] ('predict.slice')}}
  %l = predict.for %i = %c0 to %n step %c2 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %j = arith.addi %i, %c4 : index
    %rows = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %next = predict.list.append %acc, %rows : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Chunks stacked (tf.stack) are not the batch: the loop stays.
// CHECK-LABEL: func.func @chunk_stacked
// CHECK: predict.for
func.func @chunk_stacked(%x: tensor<?x4xf32>) -> tensor<?x?x4xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  // expected-remark @+1 {{loop not batched: it joins its chunks of rows other than with tf.concat along axis 0}}
  %l = predict.for %i = %c0 to %n step %c2 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %j = arith.addi %i, %c2 : index
    %rows = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %t = predict.neg %rows : tensor<?x4xf32>
    %next = predict.list.append %acc, %t : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %y = predict.list.stack %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x?x4xf32>
  return %y : tensor<?x?x4xf32>
}

// -----

// On a static axis, x.shape[0] folds to its size: a constant stop counts
// the rows of the tensor the body slices from i.
// CHECK-LABEL: func.func @chunk_static
// CHECK-NOT: predict.for
// CHECK: predict.neg %arg0 : tensor<64x4xf32>
func.func @chunk_static(%x: tensor<64x4xf32>) -> tensor<64x4xf32> {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %c64 step %c32 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %j = arith.addi %i, %c32 : index
    %rows = predict.slice %x[%i : %j] axis 0 : tensor<64x4xf32> -> tensor<?x4xf32>
    %t = predict.neg %rows : tensor<?x4xf32>
    %next = predict.list.append %acc, %t : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<64x4xf32>
  return %y : tensor<64x4xf32>
}

// -----

// Two inputs sliced alike (Keras's predict of a two-input model): a check
// before the loop that both have as many rows makes the second's slices
// rows of the same batch.
// CHECK-LABEL: func.func @chunk_two_inputs
// CHECK-NOT: predict.for
// CHECK: predict.sub %arg0, %arg1 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
func.func @chunk_two_inputs(%x: tensor<?x4xf32>, %z: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %m = predict.dim %z, 0 : tensor<?x4xf32>
  %same = arith.cmpi eq, %n, %m : index
  predict.assert %same, "inputs of {0} and {1} rows" (%n, %m : index, index)
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  // expected-remark @+1 {{loop batched}}
  %l = predict.for %i = %c0 to %n step %c2 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %j = arith.addi %i, %c2 : index
    %a = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %b = predict.slice %z[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %d = predict.sub %a, %b : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
    %next = predict.list.append %acc, %d : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Without the check, the second input may have more rows than the loop
// runs over (the loop reads only the first's count): kept.
// CHECK-LABEL: func.func @chunk_two_inputs_unchecked
// CHECK: predict.for
func.func @chunk_two_inputs_unchecked(%x: tensor<?x4xf32>, %z: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  // expected-remark @+1 {{loop not batched: iteration i uses i other than to select x[i:i+2] ('predict.slice')}}
  %l = predict.for %i = %c0 to %n step %c2 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %j = arith.addi %i, %c2 : index
    %a = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %b = predict.slice %z[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %d = predict.sub %a, %b : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
    %next = predict.list.append %acc, %d : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
