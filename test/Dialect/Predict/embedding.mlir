// predict.layer.embedding, predict.embedding and predict.batch_dot: they
// print back to the same text, and shape inference types them (C140-C143).
// RUN: predict-opt %s -split-input-file | predict-opt -split-input-file | FileCheck %s
// RUN: predict-opt %s -split-input-file --mlir-print-op-generic | predict-opt -split-input-file | FileCheck %s
// RUN: predict-opt %s -split-input-file -predict-shape-inference | FileCheck %s --check-prefix=INFER

// CHECK-LABEL: predict.model @m
predict.model @m {
  // CHECK: predict.layer.embedding @emb embeddings = dense<5.000000e-01> : tensor<10x3xf32> mask_zero
  predict.layer.embedding @emb embeddings = dense<0.5> : tensor<10x3xf32> mask_zero
  // CHECK: predict.layer.embedding @plain embeddings = dense<1.000000e+00> : tensor<4x2xf32>{{$}}
  predict.layer.embedding @plain embeddings = dense<1.0> : tensor<4x2xf32>
  predict.method @call(%ids: tensor<?x4xi32>, %f: tensor<?xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
    // INFER: predict.apply @emb(%{{.*}}) : (tensor<?x4xi32>) -> tensor<?x4x3xf32>
    %y = predict.apply @emb(%ids) : (tensor<?x4xi32>) -> tensor<*xf32>
    // INFER: predict.apply @plain(%{{.*}}) : (tensor<?xf32>) -> tensor<?x2xf32>
    %z = predict.apply @plain(%f) : (tensor<?xf32>) -> tensor<*xf32>
    predict.return %y, %z : tensor<*xf32>, tensor<*xf32>
  }
}

// -----

// CHECK-LABEL: func.func @compute
// INFER-LABEL: func.func @compute
func.func @compute(%ids: tensor<?x2x3xi64>, %t: tensor<7x4xf32>, %u: tensor<*xi32>,
                   %a: tensor<?x3x4xf32>, %b: tensor<?x5x4xf32>, %c: tensor<?x4xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: predict.embedding %{{.*}}, %{{.*}} : (tensor<?x2x3xi64>, tensor<7x4xf32>) -> tensor<*xf32>
  // INFER: predict.embedding {{.*}} -> tensor<?x2x3x4xf32>
  %e = predict.embedding %ids, %t : (tensor<?x2x3xi64>, tensor<7x4xf32>) -> tensor<*xf32>
  // INFER: predict.embedding {{.*}} : (tensor<*xi32>, tensor<7x4xf32>) -> tensor<*xf32>
  %f = predict.embedding %u, %t : (tensor<*xi32>, tensor<7x4xf32>) -> tensor<*xf32>
  // CHECK: predict.batch_dot %{{.*}}, %{{.*}} axes = [2, 2] : (tensor<?x3x4xf32>, tensor<?x5x4xf32>) -> tensor<*xf32>
  // INFER: predict.batch_dot {{.*}} -> tensor<?x3x5xf32>
  %d1 = predict.batch_dot %a, %b axes = [2, 2] : (tensor<?x3x4xf32>, tensor<?x5x4xf32>) -> tensor<*xf32>
  // CHECK: predict.batch_dot %{{.*}}, %{{.*}} axes = [-1, 1] normalize : (tensor<?x3x4xf32>, tensor<?x4xf32>) -> tensor<*xf32>
  // INFER: predict.batch_dot {{.*}} -> tensor<?x3xf32>
  %d2 = predict.batch_dot %a, %c axes = [-1, 1] normalize : (tensor<?x3x4xf32>, tensor<?x4xf32>) -> tensor<*xf32>
  // Two 2-D operands: N x 1, as Keras expands the per-sample scalar.
  // INFER: predict.batch_dot {{.*}} -> tensor<?x1xf32>
  %d3 = predict.batch_dot %c, %c axes = [1, 1] : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<*xf32>
  return %e, %f, %d1, %d2, %d3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}
