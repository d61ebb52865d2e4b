// predict-shape-inference refines declared types to what the operands imply.
// RUN: predict-opt %s -split-input-file -predict-shape-inference | FileCheck %s
// Without emit-remarks the pass is silent on valid input.
// RUN: predict-opt %s -split-input-file -predict-shape-inference 2>&1 >/dev/null | count 0

predict.model @model {
  predict.layer.dense @dense1 kernel = dense<0.5> : tensor<100x64xf32> activation relu
  predict.layer.dense @dense2 kernel = dense<0.5> : tensor<64x10xf32> activation softmax
  // Static inputs give static results; predict.return accepts the refined
  // value as it is, since the method's signature does not change.
  // CHECK-LABEL: predict.method @call(%arg0: tensor<1x100xf32>) -> tensor<?x10xf32>
  // CHECK-NEXT: predict.apply @dense1(%arg0) : (tensor<1x100xf32>) -> tensor<1x64xf32>
  // CHECK-NEXT: %[[Y:.*]] = predict.apply @dense2(%{{.*}}) : (tensor<1x64xf32>) -> tensor<1x10xf32>
  // CHECK-NEXT: predict.return %[[Y]] : tensor<1x10xf32>
  predict.method @call(%x: tensor<1x100xf32>) -> tensor<?x10xf32> {
    %h = predict.apply @dense1(%x) : (tensor<1x100xf32>) -> tensor<?x64xf32>
    %y = predict.apply @dense2(%h) : (tensor<?x64xf32>) -> tensor<?x10xf32>
    predict.return %y : tensor<?x10xf32>
  }
}

// Call results take the callee's declared types; func.return needs its exact
// type back, through a cast.
// CHECK-LABEL: func.func @entry
// CHECK-NEXT: %[[R:.*]] = predict.model_call @model(%arg0) : (tensor<1x100xf32>) -> tensor<?x10xf32>
// CHECK-NEXT: %[[C:.*]] = tensor.cast %[[R]] : tensor<?x10xf32> to tensor<*xf32>
// CHECK-NEXT: return %[[C]] : tensor<*xf32>
func.func @entry(%x: tensor<1x100xf32>) -> tensor<*xf32> {
  %y = predict.model_call @model(%x) : (tensor<1x100xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// The batch dimension stays dynamic when the input's is.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK: predict.dense %arg0, %arg1, %arg2 activation relu : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
// CHECK: predict.activation softmax %{{.*}} : tensor<?x64xf32>
// CHECK: predict.flatten %{{.*}} : tensor<?x64xf32> -> tensor<?x64xf32>
func.func @dynamic_batch(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<64xf32>) -> tensor<*xf32> {
  %d = predict.dense %x, %k, %b activation relu : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<*xf32>
  %s = predict.activation softmax %d : tensor<*xf32>
  %f = predict.flatten %s : tensor<*xf32> -> tensor<*xf32>
  return %f : tensor<*xf32>
}

// -----

// Broadcasting, concatenation, matmul and convolution sizes.
// CHECK-LABEL: func.func @sizes
// CHECK: predict.add %arg0, %arg1 : (tensor<3x1xf32>, tensor<4xf32>) -> tensor<3x4xf32>
// CHECK: predict.concatenate %{{.*}}, %{{.*}} axis = -1 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x8xf32>
// CHECK: predict.matmul %{{.*}}, %arg2 : (tensor<3x8xf32>, tensor<8x2xf32>) -> tensor<3x2xf32>
// CHECK: predict.convolve %{{.*}}, %arg3 mode full : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<4x3xf32>
// CHECK: predict.convolve %{{.*}}, %arg3 mode valid correlate : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<2x1xf32>
// CHECK: predict.compare lt %{{.*}}, %{{.*}} : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xi1>
func.func @sizes(%a: tensor<3x1xf32>, %b: tensor<4xf32>, %w: tensor<8x2xf32>, %k: tensor<2x2xf32>, %s: tensor<f32>) {
  %0 = predict.add %a, %b : (tensor<3x1xf32>, tensor<4xf32>) -> tensor<*xf32>
  %1 = predict.concatenate %0, %0 axis = -1 : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  %2 = predict.matmul %1, %w : (tensor<*xf32>, tensor<8x2xf32>) -> tensor<*xf32>
  %3 = predict.convolve %2, %k mode full : (tensor<*xf32>, tensor<2x2xf32>) -> tensor<*xf32>
  %4 = predict.convolve %2, %k mode valid correlate : (tensor<*xf32>, tensor<2x2xf32>) -> tensor<*xf32>
  %5 = predict.compare lt %3, %s : (tensor<*xf32>, tensor<f32>) -> tensor<*xi1>
  return
}

// -----

// x[i:i+1] inside `for i in range(x.shape[0])` is one row; any other slice
// with bounds unknown at compile time keeps a dynamic size.
// CHECK-LABEL: func.func @row_loop
// CHECK: predict.slice %arg0[%[[I:.*]] : %{{.*}}] axis 0 : tensor<?x100xf32> -> tensor<1x100xf32>
// CHECK: predict.list.append %{{.*}}, %{{.*}} : !predict.list<tensor<?x100xf32>>, tensor<1x100xf32>
// CHECK: predict.slice %arg0[%{{.*}} : %{{.*}}] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
// CHECK: predict.list.concat %{{.*}} axis = 0 : !predict.list<tensor<?x100xf32>> -> tensor<?x100xf32>
func.func @row_loop(%x: tensor<?x100xf32>, %m: index) -> tensor<*xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x100xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x100xf32>>
  %r = predict.for %i = %c0 to %n step %c1 iter_args(%l = %l0) -> (!predict.list<tensor<?x100xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
    %l2 = predict.list.append %l, %row : !predict.list<tensor<?x100xf32>>, tensor<?x100xf32>
    predict.yield %l2 : !predict.list<tensor<?x100xf32>>
  }
  // The same pattern over a bound that is not the sliced axis's size.
  predict.for %i = %c0 to %m step %c1 {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
    predict.foreign_call "builtins.print"(%row) : (tensor<?x100xf32>) -> ()
  }
  %y = predict.list.concat %r axis = 0 : !predict.list<tensor<?x100xf32>> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// `for i in reversed(range(x.shape[0]))` (from x.shape[0] - 1 down to 0,
// step -1) gives the same rows, last to first: x[i:i+1] is one row. From
// x.shape[0] down to 0, or down to -1 (past row 0), it is not proven.
// CHECK-LABEL: func.func @reversed_row_loop
// CHECK: predict.slice %arg0[%{{.*}} : %{{.*}}] axis 0 : tensor<?x100xf32> -> tensor<1x100xf32>
// CHECK: predict.slice %arg0[%{{.*}} : %{{.*}}] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
// CHECK: predict.slice %arg0[%{{.*}} : %{{.*}}] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
func.func @reversed_row_loop(%x: tensor<?x100xf32>) {
  %c1 = arith.constant 1 : index
  %cm1 = arith.constant -1 : index
  %cm2 = arith.constant -2 : index
  %n = predict.dim %x, 0 : tensor<?x100xf32>
  %last = arith.subi %n, %c1 : index
  predict.for %i = %last to %cm1 step %cm1 {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
    predict.foreign_call "builtins.print"(%row) : (tensor<?x100xf32>) -> ()
  }
  predict.for %i = %n to %cm1 step %cm1 {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
    predict.foreign_call "builtins.print"(%row) : (tensor<?x100xf32>) -> ()
  }
  predict.for %i = %last to %cm2 step %cm1 {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
    predict.foreign_call "builtins.print"(%row) : (tensor<?x100xf32>) -> ()
  }
  return
}

// -----

// The same rule for tensors with x's rows (a Dense layer's output, and
// elementwise results of such tensors and of x's columns), for bounds
// `i + k : i + k + 1` proven within the axis (a constant range inside a
// static axis), and `b : b` (empty). A tensor whose rows are not x's (a
// difference of row slices), an index that may reach past the end (i + 2)
// or below 0 (i - 1), and constant bounds on a dynamic axis stay dynamic.
// CHECK-LABEL: func.func @proven_rows
// CHECK: predict.slice %{{.*}} axis 0 : tensor<?x3xf32> -> tensor<1x3xf32>
// CHECK: predict.slice %{{.*}} axis 0 : tensor<?x3xf32> -> tensor<1x3xf32>
// CHECK: predict.slice %{{.*}} axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
// CHECK: predict.slice %{{.*}} axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
// CHECK: predict.slice %{{.*}} axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
// CHECK: predict.slice %{{.*}} axis 0 : tensor<?x4xf32> -> tensor<0x4xf32>
// CHECK: predict.slice %{{.*}} axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
// CHECK: predict.slice %{{.*}} axis 1 : tensor<?x4xf32> -> tensor<?x1xf32>
// CHECK: predict.slice %{{.*}} axis 1 : tensor<?x4xf32> -> tensor<?x1xf32>
// CHECK: predict.slice %{{.*}} axis 1 : tensor<?x4xf32> -> tensor<?x?xf32>
func.func @proven_rows(%x: tensor<?x4xf32>, %k: tensor<4x3xf32>, %d: tensor<?x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %two = predict.constant dense<2.0> : tensor<f32>
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %dense = predict.dense %x, %k : (tensor<?x4xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
  %h = predict.mul %dense, %two : (tensor<?x3xf32>, tensor<f32>) -> tensor<?x3xf32>
  %column = predict.slice %x[%c0 : %c1] axis 1 : tensor<?x4xf32> -> tensor<?x1xf32>
  %g = predict.add %h, %column : (tensor<?x3xf32>, tensor<?x1xf32>) -> tensor<?x3xf32>
  predict.for %i = %c0 to %n step %c1 {
    %j = arith.addi %i, %c1 : index
    %a = predict.slice %h[%i : %j] axis 0 : tensor<?x3xf32> -> tensor<?x3xf32>
    %b = predict.slice %g[%i : %j] axis 0 : tensor<?x3xf32> -> tensor<?x3xf32>
    %e = predict.slice %d[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %i2 = arith.addi %i, %c2 : index
    %i3 = arith.addi %i, %c3 : index
    %f = predict.slice %x[%i2 : %i3] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %m = arith.subi %i, %c1 : index
    %p = predict.slice %x[%m : %i] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %q = predict.slice %x[%i : %i] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %r = predict.slice %x[%c5 : %c6] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    predict.for %t = %c0 to %c3 step %c1 {
      %t1 = arith.addi %t, %c1 : index
      %t2 = arith.addi %t, %c2 : index
      %s = predict.slice %x[%t : %t1] axis 1 : tensor<?x4xf32> -> tensor<?x?xf32>
      %u = predict.slice %x[%t1 : %t2] axis 1 : tensor<?x4xf32> -> tensor<?x?xf32>
      %v = predict.slice %x[%t2 : %i3] axis 1 : tensor<?x4xf32> -> tensor<?x?xf32>
    }
  }
  return
}

// -----

// Foreign results are unknown: shape inference learns nothing from them and
// reports nothing about them.
// CHECK-LABEL: func.func @foreign
// CHECK: predict.activation relu %{{.*}} : tensor<*xf32>
func.func @foreign(%x: tensor<?x10xf32>) -> tensor<*xf32> {
  %f = predict.foreign_call "numpy.tanh"(%x) : (tensor<?x10xf32>) -> tensor<*xf32>
  %y = predict.activation relu %f : tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// A loop-carried value is refined to what its initial value is known to be
// when every iteration yields that much: here 1x4 in, 1x4 out.
// CHECK-LABEL: func.func @carried
// CHECK: %[[S:.*]] = predict.add %arg0, %arg0 : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
// CHECK: %[[R:.*]] = predict.for %{{.*}} = %{{.*}} to %arg1 step %{{.*}} iter_args(%[[V:.*]] = %[[S]]) -> (tensor<1x4xf32>)
// CHECK:   %[[M:.*]] = predict.neg %[[V]] : tensor<1x4xf32>
// CHECK:   predict.yield %[[M]] : tensor<1x4xf32>
// CHECK: %[[C:.*]] = tensor.cast %[[R]] : tensor<1x4xf32> to tensor<?x4xf32>
// CHECK: return %[[C]]
func.func @carried(%x: tensor<1x4xf32>, %n: index) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s = predict.add %x, %x : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %r = predict.for %i = %c0 to %n step %c1 iter_args(%v = %s) -> (tensor<?x4xf32>) {
    %m = predict.neg %v : tensor<?x4xf32>
    predict.yield %m : tensor<?x4xf32>
  }
  return %r : tensor<?x4xf32>
}

// -----

// A value that grows in the loop (1x4, then 2x4, ...) is not refined: the
// loop keeps ?x4, and the refined initial value reaches it through a cast.
// CHECK-LABEL: func.func @grows
// CHECK: %[[S:.*]] = predict.add %arg0, %arg0 : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
// CHECK: %[[C:.*]] = tensor.cast %[[S]] : tensor<1x4xf32> to tensor<?x4xf32>
// CHECK: predict.for %{{.*}} iter_args(%{{.*}} = %[[C]]) -> (tensor<?x4xf32>)
func.func @grows(%x: tensor<1x4xf32>, %n: index) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s = predict.add %x, %x : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %r = predict.for %i = %c0 to %n step %c1 iter_args(%v = %s) -> (tensor<?x4xf32>) {
    %m = predict.concatenate %v, %v axis = 0 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
    predict.yield %m : tensor<?x4xf32>
  }
  return %r : tensor<?x4xf32>
}

// -----

// A value known only after a foreign call was rewritten (unranked in the
// loop's declaration) is carried with the type the rewrite gave it.
// CHECK-LABEL: func.func @unranked_carried
// CHECK: predict.for %{{.*}} iter_args(%{{.*}} = %arg0) -> (tensor<?x3xf32>)
// CHECK: predict.yield %{{.*}} : tensor<?x3xf32>
func.func @unranked_carried(%x: tensor<?x3xf32>, %n: index) -> tensor<*xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %u = tensor.cast %x : tensor<?x3xf32> to tensor<*xf32>
  %r = predict.for %i = %c0 to %n step %c1 iter_args(%v = %u) -> (tensor<*xf32>) {
    %m = predict.activation tanh %v : tensor<*xf32>
    predict.yield %m : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

// An operand cast to a less precise type is read through (a foreign rewrite
// that kept the call's unranked result type leaves such casts); a cast to a
// more precise type is not: it is an assertion of the program's.
// CHECK-LABEL: func.func @through_cast
// CHECK-NEXT: %[[E:.*]] = predict.exp %arg0 : tensor<?x10xf32>
// CHECK: %[[T:.*]] = predict.activation tanh %[[E]] : tensor<?x10xf32>
// CHECK-NEXT: %[[C:.*]] = tensor.cast %arg1 : tensor<*xf32> to tensor<?x4xf32>
// CHECK-NEXT: predict.exp %[[C]] : tensor<?x4xf32>
func.func @through_cast(%x: tensor<?x10xf32>, %u: tensor<*xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %e = predict.exp %x : tensor<?x10xf32>
  %c = tensor.cast %e : tensor<?x10xf32> to tensor<*xf32>
  %t = predict.activation tanh %c : tensor<*xf32>
  %r = tensor.cast %u : tensor<*xf32> to tensor<?x4xf32>
  %s = predict.exp %r : tensor<?x4xf32>
  %s2 = tensor.cast %s : tensor<?x4xf32> to tensor<*xf32>
  return %t, %s2 : tensor<*xf32>, tensor<*xf32>
}
