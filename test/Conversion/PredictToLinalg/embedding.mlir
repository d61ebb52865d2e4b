// convert-predict-to-linalg on predict.embedding and predict.batch_dot.
// Embedding: the smallest and largest id (one reduction against 0) checked
// against [0, rows) at run time (C142), then a gather whose index is
// clamped as well; float ids are first checked to be integers. Dot: one
// generic over (n, free dims of lhs, free dims of rhs, k), after the L2
// normalization when asked; two 2-D operands give N x 1.
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -canonicalize -cse | FileCheck %s

// CHECK-LABEL: func.func @embedding
// CHECK: %[[EXT:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%arg0 : tensor<?x4xi32>)
// CHECK: arith.minsi
// CHECK: arith.maxsi
// CHECK: predict.assert %{{.*}}, "this Embedding got id {0}, outside [0, {1}) (input_dim {1}); Keras ids index the rows of the embedding table"
// CHECK: predict.assert %{{.*}}, "this Embedding got id {0}, outside [0, {1})
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0 : tensor<?x4xi32>) outs(%{{.*}} : tensor<?x4x3xf32>)
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[ROW:.*]] = arith.index_cast
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: tensor.extract %arg1[%[[ROW]], %[[COL]]] : tensor<10x3xf32>
func.func @embedding(%ids: tensor<?x4xi32>, %t: tensor<10x3xf32>) -> tensor<?x4x3xf32> {
  %e = predict.embedding %ids, %t : (tensor<?x4xi32>, tensor<10x3xf32>) -> tensor<?x4x3xf32>
  return %e : tensor<?x4x3xf32>
}

// -----

// CHECK-LABEL: func.func @float_ids
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%arg0 : tensor<?xf32>) outs(%{{.*}}, %{{.*}} : tensor<i1>, tensor<i1>)
// CHECK: math.trunc
// CHECK: arith.cmpf oeq
// CHECK: math.absf
// CHECK: arith.cmpf ult
// CHECK: predict.assert %{{.*}}, "this Embedding got an id that is not an integer (a fraction, which Keras would truncate, or NaN): give integer ids"
// CHECK: predict.assert %{{.*}}, "this Embedding got an id of magnitude 2**62 or more (infinity or a huge value), outside [0, {0}) (input_dim {0})"
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: predict.assert
// CHECK: predict.assert
// CHECK: tensor.extract %arg1
func.func @float_ids(%ids: tensor<?xf32>, %t: tensor<10x3xf32>) -> tensor<?x3xf32> {
  %e = predict.embedding %ids, %t : (tensor<?xf32>, tensor<10x3xf32>) -> tensor<?x3xf32>
  return %e : tensor<?x3xf32>
}

// -----

// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @dot
// CHECK: predict.assert %{{.*}}, "the inputs of Dot have batch sizes {0} and {1}"
// CHECK: math.sqrt
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: linalg.generic {indexing_maps = [#[[$X]], #[[$Y]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @dot(%a: tensor<?x3x4xf32>, %c: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %d = predict.batch_dot %a, %c axes = [2, 1] normalize : (tensor<?x3x4xf32>, tensor<?x4xf32>) -> tensor<?x3xf32>
  return %d : tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @dot_vectors
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [%{{.*}}, 1] : tensor<?xf32> into tensor<?x1xf32>
func.func @dot_vectors(%a: tensor<?x4xf32>, %c: tensor<?x4xf32>) -> tensor<?x1xf32> {
  %d = predict.batch_dot %a, %c axes = [1, 1] : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x1xf32>
  return %d : tensor<?x1xf32>
}
