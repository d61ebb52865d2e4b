// predict-fuse-elementwise: chains of elementwise ops fuse (upstream's
// patterns), but a reshape never folds into a contraction: Flatten then
// Dense stays a collapse_shape and a linalg.matmul, which tiling knows.
// RUN: predict-opt %s -predict-fuse-elementwise | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @flatten_dense
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2]] : tensor<?x28x28xf32> into tensor<?x784xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[FLAT]], %arg1 : tensor<?x784xf32>, tensor<784x300xf32>)
// The bias add and the relu are one generic.
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[MM]], %arg2
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @flatten_dense(%x: tensor<?x28x28xf32>, %w: tensor<784x300xf32>,
                         %b: tensor<300xf32>) -> tensor<?x300xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %flat = tensor.collapse_shape %x [[0], [1, 2]] : tensor<?x28x28xf32> into tensor<?x784xf32>
  %n = tensor.dim %x, %c0 : tensor<?x28x28xf32>
  %e = tensor.empty(%n) : tensor<?x300xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x300xf32>) -> tensor<?x300xf32>
  %mm = linalg.matmul ins(%flat, %w : tensor<?x784xf32>, tensor<784x300xf32>)
                      outs(%f : tensor<?x300xf32>) -> tensor<?x300xf32>
  %biased = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<?x300xf32>, tensor<300xf32>) outs(%e : tensor<?x300xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x300xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%biased : tensor<?x300xf32>) outs(%e : tensor<?x300xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x300xf32>
  return %y : tensor<?x300xf32>
}

// An elementwise op still takes a reshape (upstream's propagation by
// expansion): the collapse moves after it.
// CHECK-LABEL: func.func @flatten_relu
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<?x28x28xf32>)
// CHECK: tensor.collapse_shape
func.func @flatten_relu(%x: tensor<?x28x28xf32>) -> tensor<?x784xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %flat = tensor.collapse_shape %x [[0], [1, 2]] : tensor<?x28x28xf32> into tensor<?x784xf32>
  %n = tensor.dim %x, %c0 : tensor<?x28x28xf32>
  %e = tensor.empty(%n) : tensor<?x784xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%flat : tensor<?x784xf32>) outs(%e : tensor<?x784xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x784xf32>
  return %y : tensor<?x784xf32>
}

// A producer that reads its output (the `in + out` of tf.reduce_sum of a
// scalar, over no loops) is not fused into its consumer's loop, where it
// would sum again at every element (helper-100: s * [1 2 3 4] for
// tf.ones([4]) * tf.reduce_sum(s)).
// CHECK-LABEL: func.func @scalar_sum_then_broadcast
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = []
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}}ins(%{{.*}}, %[[SUM]] : tensor<4xf32>, tensor<f32>)
// CHECK: arith.mulf
#scalar = affine_map<() -> ()>
#vec = affine_map<(d0) -> (d0)>
#toScalar = affine_map<(d0) -> ()>
func.func @scalar_sum_then_broadcast(%s: tensor<f32>, %ones: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %sum = linalg.generic {indexing_maps = [#scalar, #scalar], iterator_types = []}
      ins(%s : tensor<f32>) outs(%init : tensor<f32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<f32>
  %e4 = tensor.empty() : tensor<4xf32>
  %y = linalg.generic {indexing_maps = [#vec, #toScalar, #vec], iterator_types = ["parallel"]}
      ins(%ones, %sum : tensor<4xf32>, tensor<f32>) outs(%e4 : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %y : tensor<4xf32>
}
