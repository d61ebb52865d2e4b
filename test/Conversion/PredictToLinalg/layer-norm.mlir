// convert-predict-to-linalg on predict.layer_norm: the sum over the axes, the
// mean (n = 12 elements per sample), the sum of squared deviations, then one
// elementwise generic with gamma and beta indexed along the axes.
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -canonicalize -cse | FileCheck %s

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[$AXES:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK-DAG: %[[N:.*]] = arith.constant 1.200000e+01 : f32
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// The sums accumulate in float64 and are rounded once (sumAccumulator).
// CHECK: %[[WSUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%arg0 : tensor<?x3x4xf32>) outs(%{{.*}} : tensor<?xf64>)
// CHECK: arith.extf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[WSUM]] : tensor<?xf64>)
// CHECK: arith.truncf
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]]
// CHECK: %[[WSQ:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%arg0, %[[MEAN]]
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.extf
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}} ins(%[[WSQ]] : tensor<?xf64>)
// CHECK: arith.truncf
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]], #[[$AXES]], #[[$AXES]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MEAN]], %[[SQ]], %arg1, %arg2
// CHECK: arith.divf %{{.*}}, %[[N]]
// CHECK: arith.addf %{{.*}}, %[[EPS]]
// CHECK: math.sqrt
func.func @layer_norm(%x: tensor<?x3x4xf32>, %g: tensor<3x4xf32>, %b: tensor<3x4xf32>) -> tensor<?x3x4xf32> {
  %y = predict.layer_norm %x gamma %g beta %b epsilon = 1.0e-5 axes = [1, 2]
      : (tensor<?x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<?x3x4xf32>
  return %y : tensor<?x3x4xf32>
}

// -----

// A dynamic size along the axis: n is computed at run time, and gamma's
// size is checked against it.
// CHECK-LABEL: func.func @dynamic_features
// CHECK: tensor.dim %arg0, %c1
// CHECK: predict.assert
// CHECK-SAME: the input of layer normalization has {0} columns; its parameters have {1}
// CHECK: arith.index_cast
// CHECK: arith.sitofp
func.func @dynamic_features(%x: tensor<?x?xf32>, %g: tensor<8xf32>) -> tensor<?x?xf32> {
  %y = predict.layer_norm %x gamma %g epsilon = 1.0e-3 axes = [-1]
      : (tensor<?x?xf32>, tensor<8xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// l2_normalize: the sum of squares over the axes, then x * rsqrt(max(sum,
// epsilon)) (tf.math.l2_normalize).
// CHECK-LABEL: func.func @l2_normalize
// CHECK: %[[WSUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]} ins(%arg0 : tensor<?x3x5xf32>) outs(%{{.*}} : tensor<?xf64>)
// CHECK: arith.mulf
// CHECK: arith.extf
// CHECK: arith.addf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[WSUM]] : tensor<?xf64>)
// CHECK: arith.truncf
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[SUM]] : tensor<?x3x5xf32>, tensor<?xf32>)
// CHECK: arith.maximumf
// CHECK: math.rsqrt
// CHECK: arith.mulf
func.func @l2_normalize(%x: tensor<?x3x5xf32>) -> tensor<?x3x5xf32> {
  %y = predict.l2_normalize %x axes = [1, -1] epsilon = 1.0e-12 : tensor<?x3x5xf32>
  return %y : tensor<?x3x5xf32>
}
