// predict-elementwise-to-linalg: elementwise ops on tensors become
// linalg.generic, as upstream converts them; a select of whole tensors on
// one i1 stays (its operands may differ in size at run time).
// RUN: predict-opt %s -predict-elementwise-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @choose
// CHECK-NOT: linalg.generic
// CHECK: %[[R:.*]] = arith.select %arg0, %arg1, %arg2 : tensor<?x4xf32>
// CHECK: return %[[R]]
func.func @choose(%c: i1, %a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = arith.select %c, %a, %b : tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// CHECK-LABEL: func.func @per_element
// CHECK: linalg.generic
// CHECK: arith.select
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK-NOT: arith.select {{.*}} : tensor
func.func @per_element(%c: tensor<?x4xi1>, %a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %r = arith.select %c, %a, %b : tensor<?x4xi1>, tensor<?x4xf32>
  %s = arith.addf %r, %b : tensor<?x4xf32>
  return %s : tensor<?x4xf32>
}
