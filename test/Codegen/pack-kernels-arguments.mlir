// A kernel shared by layers (predict-deduplicate-kernels makes a private
// function taking each layer's weights) is packed as a constant kernel is
// (pack-kernels.mlir): the function's argument takes the column tiles'
// layout and each call passes its constant packed, once per constant
// (@layer's two calls with %s share s_packed), in the constant's own memory
// when the calls are its only readers. K = 3, N = 4, tiles of 2 columns:
// [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]] becomes
// [[[1, 2], [5, 6], [9, 10]], [[3, 4], [7, 8], [11, 12]]].
// RUN: predict-opt %s -convert-predict-to-linalg "-predict-tile-and-vectorize=tile-rows=4 tile-cols=2" | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-DAG: %[[S:.*]] = arith.constant dense_resource<s_packed> : tensor<2x3x2xf32>
// CHECK-DAG: %[[K:.*]] = arith.constant dense_resource<k_packed> : tensor<2x3x2xf32>
// CHECK: call @layer(%arg0, %[[K]]) : (tensor<?x3xf32>, tensor<2x3x2xf32>) -> tensor<?x4xf32>
// CHECK: call @layer(%arg0, %[[S]])
// CHECK: call @layer(%arg0, %[[S]])
// A kernel one of whose calls passes something else than a constant stays
// as it is, for all its calls.
// CHECK: call @mixed(%arg0, %{{.*}}) : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
// CHECK: call @mixed(%arg0, %arg1) : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
// CHECK: func.func private @layer(%arg0: tensor<?x3xf32>, %arg1: tensor<2x3x2xf32>) -> tensor<?x4xf32>
// CHECK-NOT: func.func
// CHECK: vector.transfer_read %arg1[{{.*}} : tensor<2x3x2xf32>, vector<4x2x1xf32>
// CHECK: func.func private @mixed(%arg0: tensor<?x3xf32>, %arg1: tensor<3x4xf32>) -> tensor<?x4xf32>
// A kernel never called stays as it is (helper-148: it crashed).
// CHECK: func.func private @unused(%arg0: tensor<?x3xf32>, %arg1: tensor<3x4xf32>) -> tensor<?x4xf32>
// CHECK-LABEL: dialect_resources
// CHECK-NOT: {{^ *}}k:
// CHECK-NOT: {{^ *}}s:
// CHECK-DAG: k_packed: "0x400000000000803F000000400000A0400000C040000010410000204100004040000080400000E040000000410000304100004041"
// CHECK-DAG: s_packed: "0x400000000000803F000000400000A0400000C040000010410000204100004040000080400000E040000000410000304100004041"
// CHECK-DAG: m: "0x400000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041"
func.func @main(%x: tensor<?x3xf32>, %a: tensor<3x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %k = predict.constant dense_resource<k> : tensor<3x4xf32>
  %s = predict.constant dense_resource<s> : tensor<3x4xf32>
  %m = predict.constant dense_resource<m> : tensor<3x4xf32>
  %y1 = call @layer(%x, %k) : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  %y2 = call @layer(%x, %s) : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  %y3 = call @layer(%x, %s) : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  %y4 = call @mixed(%x, %m) : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  %y5 = call @mixed(%x, %a) : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  return %y1, %y2, %y3, %y4, %y5 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}

func.func private @layer(%x: tensor<?x3xf32>, %k: tensor<3x4xf32>) -> tensor<?x4xf32> {
  %b = predict.constant dense<[0.5, -0.5, 0.25, 1.0]> : tensor<4xf32>
  %y = predict.dense %x, %k, %b activation linear : (tensor<?x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

func.func private @mixed(%x: tensor<?x3xf32>, %k: tensor<3x4xf32>) -> tensor<?x4xf32> {
  %b = predict.constant dense<[0.5, -0.5, 0.25, 1.0]> : tensor<4xf32>
  %y = predict.dense %x, %k, %b activation relu : (tensor<?x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

func.func private @unused(%x: tensor<?x3xf32>, %k: tensor<3x4xf32>) -> tensor<?x4xf32> {
  %b = predict.constant dense<[0.5, -0.5, 0.25, 1.0]> : tensor<4xf32>
  %y = predict.dense %x, %k, %b activation relu : (tensor<?x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      k: "0x400000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041",
      s: "0x400000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041",
      m: "0x400000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041"
    }
  }
#-}
