// RUN: predict-opt %s --one-shot-bufferize="bufferize-function-boundaries allow-return-allocs-from-loops function-boundary-type-conversion=identity-layout-map" --predict-forward-while-buffers -split-input-file | FileCheck %s

// A list's buffer that a while loop grows (predict-lower-loops): one-shot
// bufferization copies the carried buffer in the condition in every
// iteration (quadratic); the argument is forwarded instead.
// CHECK-LABEL: func.func @growing(
// CHECK: scf.while (%[[B:.*]] = %{{.*}}, %{{.*}} = %{{.*}}) : (memref<?xf32>, index)
// CHECK-NOT: memref.copy
// CHECK: scf.condition(%{{.*}}) %[[B]], %{{.*}} : memref<?xf32>, index
// CHECK: } do {
func.func @growing(%n: index, %x: tensor<4xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %e = tensor.empty(%c8) : tensor<?xf32>
  %r:2 = scf.while (%b = %e, %u = %c0) : (tensor<?xf32>, index) -> (tensor<?xf32>, index) {
    %c = arith.cmpi slt, %u, %n : index
    scf.condition(%c) %b, %u : tensor<?xf32>, index
  } do {
  ^bb0(%b: tensor<?xf32>, %u: index):
    %next = arith.addi %u, %c4 : index
    %cap = tensor.dim %b, %c0 : tensor<?xf32>
    %full = arith.cmpi sgt, %next, %cap : index
    %g = scf.if %full -> tensor<?xf32> {
      %d = arith.muli %cap, %c2 : index
      %ne = tensor.empty(%d) : tensor<?xf32>
      %cp = tensor.insert_slice %b into %ne[0][%cap][1] : tensor<?xf32> into tensor<?xf32>
      scf.yield %cp : tensor<?xf32>
    } else {
      scf.yield %b : tensor<?xf32>
    }
    %ins = tensor.insert_slice %x into %g[%u][4][1] : tensor<4xf32> into tensor<?xf32>
    scf.yield %ins, %next : tensor<?xf32>, index
  }
  %s = tensor.extract_slice %r#0[0][%r#1][1] : tensor<?xf32> to tensor<?xf32>
  return %s : tensor<?xf32>
}

// -----

// A state computed anew in each iteration (h = exp(h)): not copied either.
// CHECK-LABEL: func.func @state(
// CHECK: scf.while
// CHECK-NOT: memref.copy
// CHECK: scf.condition
func.func @state(%h0: tensor<4xf32>, %n: index) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %init = tensor.empty() : tensor<4xf32>
  %start = linalg.copy ins(%h0 : tensor<4xf32>) outs(%init : tensor<4xf32>) -> tensor<4xf32>
  %r:2 = scf.while (%h = %start, %k = %c0) : (tensor<4xf32>, index) -> (tensor<4xf32>, index) {
    %c = arith.cmpi slt, %k, %n : index
    scf.condition(%c) %h, %k : tensor<4xf32>, index
  } do {
  ^bb0(%h: tensor<4xf32>, %k: index):
    %o = tensor.empty() : tensor<4xf32>
    %e = linalg.exp ins(%h : tensor<4xf32>) outs(%o : tensor<4xf32>) -> tensor<4xf32>
    %k1 = arith.addi %k, %c1 : index
    scf.yield %e, %k1 : tensor<4xf32>, index
  }
  return %r#0 : tensor<4xf32>
}

// -----

// Two carried values given back as one buffer: the copy keeps them apart.
// CHECK-LABEL: func.func @shared(
// CHECK: scf.while
// CHECK: memref.copy
// CHECK: scf.condition
func.func @shared(%h0: tensor<4xf32>, %n: index) -> (tensor<4xf32>, tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %i1 = tensor.empty() : tensor<4xf32>
  %a0 = linalg.copy ins(%h0 : tensor<4xf32>) outs(%i1 : tensor<4xf32>) -> tensor<4xf32>
  %i2 = tensor.empty() : tensor<4xf32>
  %b0 = linalg.copy ins(%h0 : tensor<4xf32>) outs(%i2 : tensor<4xf32>) -> tensor<4xf32>
  %r:3 = scf.while (%a = %a0, %b = %b0, %k = %c0) : (tensor<4xf32>, tensor<4xf32>, index) -> (tensor<4xf32>, tensor<4xf32>, index) {
    %c = arith.cmpi slt, %k, %n : index
    scf.condition(%c) %a, %b, %k : tensor<4xf32>, tensor<4xf32>, index
  } do {
  ^bb0(%a: tensor<4xf32>, %b: tensor<4xf32>, %k: index):
    %o = tensor.empty() : tensor<4xf32>
    %e = linalg.exp ins(%a : tensor<4xf32>) outs(%o : tensor<4xf32>) -> tensor<4xf32>
    %k1 = arith.addi %k, %c1 : index
    scf.yield %e, %e, %k1 : tensor<4xf32>, tensor<4xf32>, index
  }
  return %r#0, %r#1 : tensor<4xf32>, tensor<4xf32>
}
