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
  // expected-remark @+1 {{loop not batched: it does not run over range(x.shape[0]) for a tensor x}}
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

func.func @stacked(%x: tensor<?x4xf32>) -> tensor<?x1x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: it stacks values that keep row i's batch axis (x[i:i+1], not x[i])}}
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
    // expected-remark @+1 {{loop not batched: it does not run over range(x.shape[0]) for a tensor x}}
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
// source, docs/PythonSource.md): kept, since rows may take different arms.
// CHECK-LABEL: func.func @runtime_branch
// CHECK: predict.for
// CHECK: scf.if
func.func @runtime_branch(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = predict.constant dense<0.0> : tensor<f32>
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-remark @+1 {{loop not batched: its body branches at run time ('scf.if')}}
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
