// Branches and while loops of Python source are scf.if and scf.while in
// predict-level IR (docs/Dialect.md, Branches and while loops): the predict
// ops in their regions are lowered like any other, the scf ops kept, and the
// whole pipeline compiles them (predict-run, in
// test/Import/Python/control-flow.test).
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg | FileCheck %s
// RUN: predict-opt %s -split-input-file -predict-to-linalg | FileCheck %s --check-prefix=PIPE

// CHECK-LABEL: func.func @branch
// CHECK: %[[C:.*]] = arith.cmpi sgt
// CHECK: scf.if %[[C]] -> (tensor<?x4xf32>)
// CHECK: linalg.generic
// CHECK: scf.yield
// CHECK: } else {
// CHECK: linalg.generic
// CHECK: scf.yield
// CHECK-NOT: predict.
// PIPE-LABEL: func.func @branch
// PIPE: scf.if
// PIPE-NOT: predict.
func.func @branch(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c2 = arith.constant 2 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %c = arith.cmpi sgt, %n, %c2 : index
  %y = scf.if %c -> (tensor<?x4xf32>) {
    %d = predict.add %x, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
    scf.yield %d : tensor<?x4xf32>
  } else {
    %e = predict.exp %x : tensor<?x4xf32>
    scf.yield %e : tensor<?x4xf32>
  }
  return %y : tensor<?x4xf32>
}

// -----

// A while loop on a one-element tensor: the compare in the `before` region
// and the body in the `after` region are lowered.
// CHECK-LABEL: func.func @while_scalar
// CHECK: scf.while
// CHECK: linalg.generic
// CHECK: tensor.extract
// CHECK: scf.condition
// CHECK: } do {
// CHECK: linalg.generic
// CHECK: scf.yield
// CHECK-NOT: predict.
// PIPE-LABEL: func.func @while_scalar
// PIPE: scf.while
// PIPE-NOT: predict.
func.func @while_scalar(%v: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %c0 = arith.constant 0 : index
  %ten = predict.constant dense<10.0> : tensor<f32>
  %three = predict.constant dense<3.0> : tensor<f32>
  %r = scf.while (%a = %v) : (tensor<1x1xf32>) -> tensor<1x1xf32> {
    %m = predict.compare lt %a, %ten : (tensor<1x1xf32>, tensor<f32>) -> tensor<1x1xi1>
    %c = tensor.extract %m[%c0, %c0] : tensor<1x1xi1>
    scf.condition(%c) %a : tensor<1x1xf32>
  } do {
  ^bb0(%b: tensor<1x1xf32>):
    %s = predict.add %b, %three : (tensor<1x1xf32>, tensor<f32>) -> tensor<1x1xf32>
    scf.yield %s : tensor<1x1xf32>
  }
  return %r : tensor<1x1xf32>
}
