// One case per pattern of convert-predict-to-linalg.
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -canonicalize -cse | FileCheck %s

// Dense: fill + matmul, then one generic adding the bias and applying relu.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @dense_relu
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x64xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<?x64xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul ins(%arg0, %arg1 : tensor<?x100xf32>, tensor<100x64xf32>) outs(%[[F]] : tensor<?x64xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[MM]], %arg2 : tensor<?x64xf32>, tensor<64xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
func.func @dense_relu(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<64xf32>) -> tensor<?x64xf32> {
  %y = predict.dense %x, %k, %b activation relu : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

// A linear Dense without bias is the matmul alone.
// CHECK-LABEL: func.func @dense_plain
// CHECK: %[[MM:.*]] = linalg.matmul
// CHECK-NOT: linalg.generic
// CHECK: return %[[MM]]
func.func @dense_plain(%x: tensor<4x8xf32>, %k: tensor<8x2xf32>) -> tensor<4x2xf32> {
  %y = predict.dense %x, %k : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// Rank-3 input: leading dimensions collapse into rows and expand back.
// CHECK-LABEL: func.func @dense_rank3
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<?x5x8xf32> into tensor<?x8xf32>
// CHECK: linalg.matmul
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [%{{.*}}, 5, 2] : tensor<?x2xf32> into tensor<?x5x2xf32>
func.func @dense_rank3(%x: tensor<?x5x8xf32>, %k: tensor<8x2xf32>) -> tensor<?x5x2xf32> {
  %y = predict.dense %x, %k : (tensor<?x5x8xf32>, tensor<8x2xf32>) -> tensor<?x5x2xf32>
  return %y : tensor<?x5x2xf32>
}

// -----

// Softmax, numerically stable: max, exp(x - max), sum (in f64, its adds
// reassociable so that they vectorize), divide by the sum rounded to f32.
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAXINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<?x10xf32>) outs(%[[MAXINIT]] : tensor<?xf32>)
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {{.*}} ins(%arg0, %[[MAX]] : tensor<?x10xf32>, tensor<?xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<?x10xf32>) outs({{.*}} : tensor<?xf64>)
// CHECK: arith.extf {{.*}} : f32 to f64
// CHECK: arith.addf {{.*}} fastmath<reassoc> : f64
// CHECK: linalg.generic {{.*}} ins(%[[EXP]], %[[SUM]] : tensor<?x10xf32>, tensor<?xf64>)
// CHECK: arith.truncf {{.*}} : f64 to f32
// CHECK: arith.divf
func.func @softmax(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %y = predict.activation softmax %x : tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// -----

// log_softmax along axis 0: x - max, then minus the log of the sum of the
// exponentials (keras.ops.log_softmax), reducing the first axis.
// CHECK-LABEL: func.func @log_softmax
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%arg0 : tensor<?x10xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SHIFT:.*]] = linalg.generic {{.*}} ins(%arg0, %[[MAX]] : tensor<?x10xf32>, tensor<10xf32>)
// CHECK: arith.subf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[SHIFT]] : tensor<?x10xf32>)
// CHECK: math.exp
// CHECK: arith.addf {{.*}} fastmath<reassoc> : f64
// CHECK: linalg.generic {{.*}} ins(%[[SHIFT]], %[[SUM]] : tensor<?x10xf32>, tensor<10xf64>)
// CHECK: arith.truncf
// CHECK: math.log
// CHECK: arith.subf
func.func @log_softmax(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %y = predict.activation log_softmax %x axis = 0 : tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// -----

// Each elementwise activation is one generic; a few formulas checked.
// CHECK-LABEL: func.func @activations
// CHECK: linalg.generic
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: linalg.generic
// CHECK: math.erf
// CHECK: linalg.generic
// CHECK: math.expm1
// CHECK: arith.select
// CHECK: linalg.generic
// CHECK: math.log1p
func.func @activations(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %a = predict.activation sigmoid %x : tensor<?x10xf32>
  %b = predict.activation gelu %a : tensor<?x10xf32>
  %c = predict.activation elu %b : tensor<?x10xf32>
  %d = predict.activation softplus %c : tensor<?x10xf32>
  return %d : tensor<?x10xf32>
}

// -----

// numpy broadcasting in the indexing maps: a size-1 dimension reads index 0,
// a missing one is dropped, a scalar has no index.
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$B1:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[$TRAIL:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-LABEL: func.func @broadcast
// CHECK: linalg.generic {indexing_maps = [#[[$ID3]], #[[$B1]], #[[$TRAIL]], #[[$SCALAR]], #[[$ID3]]]
// CHECK-COUNT-3: arith.addf
func.func @broadcast(%a: tensor<?x3x4xf32>, %b: tensor<?x1x4xf32>, %c: tensor<4xf32>, %s: tensor<f32>) -> tensor<?x3x4xf32> {
  %y = predict.add %a, %b, %c, %s : (tensor<?x3x4xf32>, tensor<?x1x4xf32>, tensor<4xf32>, tensor<f32>) -> tensor<?x3x4xf32>
  return %y : tensor<?x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @math
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: math.powf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.absf
// CHECK: arith.cmpf une
// CHECK: arith.select
func.func @math(%x: tensor<?x4xf32>, %y: tensor<4xf32>) -> tensor<?x4xf32> {
  %0 = predict.sub %x, %y : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %1 = predict.mul %0, %y : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %2 = predict.div %1, %y : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %3 = predict.pow %2, %y : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %4 = predict.maximum %3, %y : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %5 = predict.minimum %4, %y : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %6 = predict.neg %5 : tensor<?x4xf32>
  %7 = predict.exp %6 : tensor<?x4xf32>
  %8 = predict.log %7 : tensor<?x4xf32>
  %9 = predict.sqrt %8 : tensor<?x4xf32>
  %10 = predict.abs %9 : tensor<?x4xf32>
  %m = predict.compare ne %10, %y : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xi1>
  %11 = predict.select %m, %10, %x : (tensor<?x4xi1>, tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %11 : tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @clip
// CHECK-DAG: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK: arith.maximumf %{{.*}}, %[[LO]]
// CHECK: arith.minimumf %{{.*}}, %[[HI]]
func.func @clip(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.clip %x min = 0.0 max = 6.0 : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Batch norm: parameters indexed along the axis, one generic.
// CHECK-DAG: #[[$AX0:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$AX0]], #[[$AX0]], #[[$AX0]], #{{.*}}]
// CHECK: arith.subf
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: arith.mulf
// CHECK-NOT: arith.addf %{{.*}}, %in_
func.func @batch_norm(%x: tensor<4x?xf32>, %v: tensor<4xf32>) -> tensor<4x?xf32> {
  %y = predict.batch_norm %x mean %v variance %v gamma %v epsilon = 1.0e-3 axis = 0
      : (tensor<4x?xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}

// -----

// CHECK-LABEL: func.func @normalization
// CHECK: %[[EPS:.*]] = arith.constant 1.000000e-07 : f32
// CHECK: linalg.generic
// CHECK: math.sqrt
// CHECK: arith.maximumf %{{.*}}, %[[EPS]]
// CHECK: arith.divf
func.func @normalization(%x: tensor<?x4xf32>, %m: tensor<1x4xf32>) -> tensor<?x4xf32> {
  %y = predict.normalization %x mean %m variance %m
      : (tensor<?x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @shapes
// CHECK-DAG: %[[TWO:.*]] = arith.constant dense<2.000000e+00> : tensor<3xf32>
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2]] : tensor<?x28x28xf32> into tensor<?x784xf32>
// CHECK: tensor.expand_shape %arg1 {{\[\[}}0, 1]] output_shape [%{{.*}}, 1] : tensor<?xf32> into tensor<?x1xf32>
// CHECK: tensor.concat dim(1) %{{.*}}, %{{.*}} : (tensor<?x784xf32>, tensor<?x1xf32>) -> tensor<?x785xf32>
// CHECK: %[[E:.*]] = tensor.empty(%arg2) : tensor<?x3xf32>
// CHECK: linalg.fill ins(%[[ONE]] : f32) outs(%[[E]] : tensor<?x3xf32>)
func.func @shapes(%img: tensor<?x28x28xf32>, %v: tensor<?xf32>, %n: index) -> (tensor<?x785xf32>, tensor<?x3xf32>, tensor<3xf32>) {
  %f = predict.flatten %img : tensor<?x28x28xf32> -> tensor<?x784xf32>
  %g = predict.flatten %v : tensor<?xf32> -> tensor<?x1xf32>
  %c = predict.concatenate %f, %g axis = -1 : (tensor<?x784xf32>, tensor<?x1xf32>) -> tensor<?x785xf32>
  %o = predict.fill 1.0 [%n] : tensor<?x3xf32>
  %k = predict.constant dense<2.0> : tensor<3xf32>
  return %c, %o, %k : tensor<?x785xf32>, tensor<?x3xf32>, tensor<3xf32>
}

// -----

// Python slices: negative bounds count from the end, both clamp to the size.
// CHECK-LABEL: func.func @slice
// CHECK: %[[SIZE:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %arg1, %c0
// CHECK: %[[SHIFT:.*]] = arith.addi %arg1, %[[SIZE]]
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[SHIFT]], %arg1
// CHECK: %[[LO:.*]] = arith.maxsi %[[SEL]], %c0
// CHECK: %[[START:.*]] = arith.minsi %[[LO]], %[[SIZE]]
// CHECK: %[[STOP:.*]] = arith.minsi
// CHECK: %[[DIFF:.*]] = arith.subi %[[STOP]], %[[START]]
// CHECK: %[[LEN:.*]] = arith.maxsi %[[DIFF]], %c0
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[%[[START]], 0] [%[[LEN]], 100] [1, 1] : tensor<?x100xf32> to tensor<?x100xf32>
// CHECK: return %[[S]], %[[SIZE]]
func.func @slice(%x: tensor<?x100xf32>, %i: index, %j: index) -> (tensor<?x100xf32>, index) {
  %s = predict.slice %x[%i : %j] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
  %n = predict.dim %x, -2 : tensor<?x100xf32>
  return %s, %n : tensor<?x100xf32>, index
}

// -----

// Dropout is the identity; a 2-D matmul is linalg.matmul.
// CHECK-LABEL: func.func @dropout_matmul
// CHECK-NOT: dropout
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<?x4xf32>, tensor<4x3xf32>)
func.func @dropout_matmul(%x: tensor<?x4xf32>, %w: tensor<4x3xf32>) -> tensor<?x3xf32> {
  %d = predict.dropout %x rate = 0.5 : tensor<?x4xf32>
  %y = predict.matmul %d, %w : (tensor<?x4xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// A result declared less precisely than its operands imply (valid IR when
// shape inference has not run): the dynamic size is 1.
// CHECK-LABEL: func.func @declared_dynamic
// CHECK: tensor.empty() : tensor<1x4xf32>
// CHECK: linalg.generic
// CHECK: tensor.cast %{{.*}} : tensor<1x4xf32> to tensor<?x4xf32>
func.func @declared_dynamic(%x: tensor<1x4xf32>) -> tensor<?x4xf32> {
  %y = predict.add %x, %x : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A matmul not both 2-D: one generic over (batch, m, n, k), the kernel's
// batch (a static 1) read at index 0, the left operand's batch broadcast
// to the right's dynamic one; 1-D operands drop their dimension.
// CHECK-DAG: #[[$LB:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d3)>
// CHECK-DAG: #[[$RB:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[$OB:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @batched_matmul
// CHECK: linalg.generic {indexing_maps = [#[[$LB]], #[[$RB]], #[[$OB]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%arg0, %arg1 : tensor<1x3x4xf32>, tensor<?x4x5xf32>)
// CHECK: } -> tensor<?x3x5xf32>
func.func @batched_matmul(%a: tensor<1x3x4xf32>, %b: tensor<?x4x5xf32>) -> tensor<?x3x5xf32> {
  %y = predict.matmul %a, %b : (tensor<1x3x4xf32>, tensor<?x4x5xf32>) -> tensor<?x3x5xf32>
  return %y : tensor<?x3x5xf32>
}

// -----

// CHECK-DAG: #[[$V:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$M:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[$R:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @vector_matrix
// CHECK: linalg.generic {indexing_maps = [#[[$V]], #[[$M]], #[[$R]]], iterator_types = ["parallel", "reduction"]}
// CHECK: } -> tensor<5xf32>
func.func @vector_matrix(%v: tensor<4xf32>, %m: tensor<4x5xf32>) -> tensor<5xf32> {
  %y = predict.matmul %v, %m : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  return %y : tensor<5xf32>
}
