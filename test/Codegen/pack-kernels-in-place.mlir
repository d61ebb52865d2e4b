// predict-tile-and-vectorize packs a constant kernel of whole column tiles
// in its own memory when nothing else reads it (lib/Codegen/PackKernels.cpp:
// the K x tiles matrix of blocks of `cols` values, transposed in place),
// and the packed constant takes the memory over. Here K = 3, N = 4, tiles
// of 2 columns: [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]] becomes
// [[[1, 2], [5, 6], [9, 10]], [[3, 4], [7, 8], [11, 12]]], as float32
// little-endian after the blob's alignment (0x40000000: 64).
// A resource two constants read (@shared_a and @shared_b) is packed by a
// copy for each, and freed once both are: no unpacked kernel is left.
// RUN: predict-opt %s -convert-predict-to-linalg "-predict-tile-and-vectorize=tile-rows=4 tile-cols=2" | FileCheck %s
// And from bytecode (predict-opt's parser copies its resources).
// RUN: predict-opt %s --emit-bytecode | predict-opt -convert-predict-to-linalg "-predict-tile-and-vectorize=tile-rows=4 tile-cols=2" | FileCheck %s

// CHECK-LABEL: func.func @in_place
// CHECK: arith.constant dense_resource<k_packed> : tensor<2x3x2xf32>
func.func @in_place(%x: tensor<?x3xf32>) -> tensor<?x4xf32> {
  %k = predict.constant dense_resource<k> : tensor<3x4xf32>
  %b = predict.constant dense<[0.5, -0.5, 0.25, 1.0]> : tensor<4xf32>
  %y = predict.dense %x, %k, %b activation linear : (tensor<?x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// CHECK-LABEL: func.func @shared_a
// CHECK: arith.constant dense_resource<s_packed> : tensor<2x3x2xf32>
func.func @shared_a(%x: tensor<?x3xf32>) -> tensor<?x4xf32> {
  %k = predict.constant dense_resource<s> : tensor<3x4xf32>
  %b = predict.constant dense<[0.5, -0.5, 0.25, 1.0]> : tensor<4xf32>
  %y = predict.dense %x, %k, %b activation linear : (tensor<?x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// CHECK-LABEL: func.func @shared_b
// CHECK: arith.constant dense_resource<s_packed_1> : tensor<2x3x2xf32>
func.func @shared_b(%x: tensor<?x3xf32>) -> tensor<?x4xf32> {
  %k = predict.constant dense_resource<s> : tensor<3x4xf32>
  %b = predict.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = predict.dense %x, %k, %b activation relu : (tensor<?x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// CHECK-LABEL: dialect_resources
// CHECK-NOT: {{^ *}}k:
// CHECK-NOT: {{^ *}}s:
// CHECK-DAG: k_packed: "0x400000000000803F000000400000A0400000C040000010410000204100004040000080400000E040000000410000304100004041"
// CHECK-DAG: s_packed: "0x400000000000803F000000400000A0400000C040000010410000204100004040000080400000E040000000410000304100004041"
// CHECK-DAG: s_packed_1: "0x400000000000803F000000400000A0400000C040000010410000204100004040000080400000E040000000410000304100004041"
{-#
  dialect_resources: {
    builtin: {
      k: "0x400000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041",
      s: "0x400000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041"
    }
  }
#-}
