// predict-fold-zero-size: a linalg op with a loop of static size 0 is its
// inits; a tensor constant with no elements is tensor.empty.
// RUN: predict-opt %s -predict-fold-zero-size | FileCheck %s

// CHECK-LABEL: func.func @matmul_k0
// CHECK-NOT: linalg.matmul
// CHECK-NOT: arith.constant dense
// CHECK: %[[FILL:.*]] = linalg.fill
// CHECK-NEXT: return %[[FILL]]
func.func @matmul_k0(%x: tensor<?x0xf32>, %n: index) -> tensor<?x3xf32> {
  %k = arith.constant dense<1.0> : tensor<0x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m = linalg.matmul ins(%x, %k : tensor<?x0xf32>, tensor<0x3xf32>) outs(%f : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %m : tensor<?x3xf32>
}

// CHECK-LABEL: func.func @no_columns
// CHECK: %[[E:.*]] = tensor.empty
// CHECK-NEXT: return %[[E]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @no_columns(%x: tensor<?x0xf32>, %n: index) -> tensor<?x0xf32> {
  %e = tensor.empty(%n) : tensor<?x0xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x0xf32>) outs(%e : tensor<?x0xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  } -> tensor<?x0xf32>
  return %g : tensor<?x0xf32>
}

// Dynamic sizes are left alone: a loop over them runs zero times.
// CHECK-LABEL: func.func @dynamic
// CHECK: linalg.matmul
func.func @dynamic(%x: tensor<?x?xf32>, %k: tensor<?x3xf32>, %f: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %m = linalg.matmul ins(%x, %k : tensor<?x?xf32>, tensor<?x3xf32>) outs(%f : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %m : tensor<?x3xf32>
}
