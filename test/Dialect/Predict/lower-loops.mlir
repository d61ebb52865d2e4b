// predict-lower-loops: Python loops become scf.for; lists become one tensor.
// RUN: predict-opt %s -split-input-file -predict-lower-loops | FileCheck %s

// The row loop of the seed's CustomModel: range(0, n, 1) maps directly, the
// list is a destination allocated once with n rows, each row inserted.
// CHECK-LABEL: func.func @row_loop
// CHECK: %[[N:.*]] = predict.dim %arg0, 0
// CHECK: arith.divui
// CHECK: %[[TRIPS:.*]] = arith.select {{.*}} : index
// CHECK: %[[ROWS:.*]] = arith.muli %[[TRIPS]], %{{.*}}
// CHECK: %[[DEST:.*]] = tensor.empty(%[[ROWS]]) : tensor<?x10xf32>
// CHECK: %[[R:.*]] = scf.for %[[I:.*]] = %c0 to %[[N]] step %c1 iter_args(%[[D:.*]] = %[[DEST]]) -> (tensor<?x10xf32>)
// CHECK: %[[ROW:.*]] = predict.slice %arg0[%[[I]] : %{{.*}}] axis 0
// CHECK: %[[Y:.*]] = predict.neg %[[ROW]]
// CHECK: %[[AT:.*]] = arith.muli %{{.*}}, %c1
// CHECK: %[[NEXT:.*]] = tensor.insert_slice %[[Y]] into %[[D]][%[[AT]], 0] [1, 10] [1, 1] : tensor<1x10xf32> into tensor<?x10xf32>
// CHECK: scf.yield %[[NEXT]]
// CHECK-NOT: predict.list
// CHECK: return %[[R]]
func.func @row_loop(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x10xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x10xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x10xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x10xf32> -> tensor<1x10xf32>
    %y = predict.neg %row : tensor<1x10xf32>
    %next = predict.list.append %acc, %y : !predict.list<tensor<1x10xf32>>, tensor<1x10xf32>
    predict.yield %next : !predict.list<tensor<1x10xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<1x10xf32>> -> tensor<?x10xf32>
  return %r : tensor<?x10xf32>
}

// -----

// A negative step: the loop counts iterations n = 0 .. trips, i = start + n*step.
// An accumulator is an iter_arg; a stacked list gets a new axis.
// CHECK-LABEL: func.func @countdown
// CHECK: arith.divui
// CHECK: %[[TRIPS:.*]] = arith.select {{.*}} : index
// CHECK: %[[DEST:.*]] = tensor.empty(%[[TRIPS]]) : tensor<?x4xf32>
// CHECK: scf.for %[[K:.*]] = %c0{{.*}} to %[[TRIPS]] step %c1{{.*}} iter_args(%{{.*}} = %arg0, %[[D:.*]] = %[[DEST]]) -> (tensor<4xf32>, tensor<?x4xf32>)
// CHECK: %[[STEP:.*]] = arith.muli %[[K]], %c-2
// CHECK: %[[I:.*]] = arith.addi %c9, %[[STEP]]
// CHECK: tensor.insert_slice %{{.*}} into %[[D]][%[[K]], 0] [1, 4] [1, 1] : tensor<4xf32> into tensor<?x4xf32>
func.func @countdown(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<?x4xf32>) {
  %c9 = arith.constant 9 : index
  %c0 = arith.constant 0 : index
  %cm2 = arith.constant -2 : index
  %l0 = predict.list.empty : !predict.list<tensor<4xf32>>
  %r:2 = predict.for %i = %c9 to %c0 step %cm2 iter_args(%acc = %x, %l = %l0) -> (tensor<4xf32>, !predict.list<tensor<4xf32>>) {
    %s = predict.add %acc, %acc : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %l2 = predict.list.append %l, %s : !predict.list<tensor<4xf32>>, tensor<4xf32>
    predict.yield %s, %l2 : tensor<4xf32>, !predict.list<tensor<4xf32>>
  }
  %st = predict.list.stack %r#1 axis = 0 : !predict.list<tensor<4xf32>> -> tensor<?x4xf32>
  return %r#0, %st : tensor<4xf32>, tensor<?x4xf32>
}

// -----

// A step known only at run time is checked, as Python's range() checks it.
// CHECK-LABEL: func.func @runtime_step
// CHECK: %[[NZ:.*]] = arith.cmpi ne, %arg2, %c0
// CHECK: cf.assert %[[NZ]], "range() step is 0 (Python raises ValueError: range() arg 3 must not be zero)"
// CHECK: scf.for
func.func @runtime_step(%x: tensor<4xf32>, %n: index, %step: index) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %r = predict.for %i = %c0 to %n step %step iter_args(%acc = %x) -> (tensor<4xf32>) {
    %s = predict.exp %acc : tensor<4xf32>
    predict.yield %s : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// Nested loops: both lowered, inner first; a list nobody reads disappears.
// CHECK-LABEL: func.func @nested
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: predict.for
// CHECK-NOT: predict.list
func.func @nested(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %l0 = predict.list.empty : !predict.list<tensor<4xf32>>
  %r:2 = predict.for %i = %c0 to %c3 step %c1 iter_args(%acc = %x, %l = %l0) -> (tensor<4xf32>, !predict.list<tensor<4xf32>>) {
    %in = predict.for %j = %c0 to %c3 step %c1 iter_args(%a = %acc) -> (tensor<4xf32>) {
      %s = predict.neg %a : tensor<4xf32>
      predict.yield %s : tensor<4xf32>
    }
    %l2 = predict.list.append %l, %in : !predict.list<tensor<4xf32>>, tensor<4xf32>
    predict.yield %in, %l2 : tensor<4xf32>, !predict.list<tensor<4xf32>>
  }
  return %r#0 : tensor<4xf32>
}

// -----

// An element whose width is known only at run time keeps it in every
// iteration when each op says its result's sizes are its operands'
// (getResultDimSources): matmul's columns are the right operand's, the
// add of a scalar and the activation keep their operand's. The buffer
// is then allocated once, with the width read off %w before the loop.
// CHECK-LABEL: func.func @runtime_width
// CHECK: %[[W:.*]] = tensor.dim %arg1, %c1{{.*}} : tensor<10x?xf32>
// CHECK: tensor.empty(%{{.*}}, %[[W]]) : tensor<?x?xf32>
// CHECK: scf.for
// CHECK-NOT: predict.list
func.func @runtime_width(%x: tensor<?x10xf32>, %w: tensor<10x?xf32>, %b: tensor<f32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x10xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x?xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x?xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x10xf32> -> tensor<1x10xf32>
    %m = predict.matmul %row, %w : (tensor<1x10xf32>, tensor<10x?xf32>) -> tensor<1x?xf32>
    %s = predict.add %m, %b : (tensor<1x?xf32>, tensor<f32>) -> tensor<1x?xf32>
    %y = predict.activation relu %s : tensor<1x?xf32>
    %next = predict.list.append %acc, %y : !predict.list<tensor<1x?xf32>>, tensor<1x?xf32>
    predict.yield %next : !predict.list<tensor<1x?xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<1x?xf32>> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// A state carried over the time axis and stacked (a recurrent loop written
// in Python): the state starts as a fill of `x`'s batch size (read with
// predict.dim before the loop), each step adds it to a slice of `x` whose
// batch size is read with predict.dim inside the loop. Both are traced to
// `x`'s axis 0, so the carried state keeps that size in every iteration and
// the stacked buffer is allocated once, before the loop, `N x T x 4`.
// CHECK-LABEL: func.func @time_loop
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0{{.*}} : tensor<?x?x4xf32>
// CHECK: tensor.empty(%[[N]], %{{.*}}) : tensor<?x?x4xf32>
// CHECK: scf.for
// CHECK-NOT: predict.list
func.func @time_loop(%x: tensor<?x?x4xf32>) -> tensor<?x?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x?x4xf32>
  %t = predict.dim %x, 1 : tensor<?x?x4xf32>
  %h0 = predict.fill 0.0 [%n] : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %r:2 = predict.for %i = %c0 to %t step %c1 iter_args(%h = %h0, %acc = %l0) -> (tensor<?x4xf32>, !predict.list<tensor<?x4xf32>>) {
    %rows = predict.dim %x, 0 : tensor<?x?x4xf32>
    %step = tensor.extract_slice %x[0, %i, 0] [%rows, 1, 4] [1, 1, 1] : tensor<?x?x4xf32> to tensor<?x4xf32>
    %s = predict.add %step, %h : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
    %next = predict.activation tanh %s : tensor<?x4xf32>
    %l = predict.list.append %acc, %next : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next, %l : tensor<?x4xf32>, !predict.list<tensor<?x4xf32>>
  }
  %y = predict.list.stack %r#1 axis = 1 : !predict.list<tensor<?x4xf32>> -> tensor<?x?x4xf32>
  return %y : tensor<?x?x4xf32>
}
