// predict-tile-and-vectorize packs a constant kernel into the layout of its
// column tiles (lib/Codegen/PackKernels.cpp): K x N becomes
// ceil(N / cols) x K x cols, each tile's values contiguous, zero-padded past
// column N, and every tile reads its own slice of it. Here K = 2, N = 3 and
// tiles of 2 columns: [[1, 2, 3], [4, 5, 6]] becomes
// [[[1, 2], [4, 5]], [[3, 0], [6, 0]]].
// RUN: predict-opt %s -convert-predict-to-linalg "-predict-tile-and-vectorize=tile-rows=4 tile-cols=2" | FileCheck %s

// CHECK-LABEL: func.func @packed
// CHECK-NOT: tensor<2x3xf32>
// CHECK: %[[P:.*]] = arith.constant dense_resource<[[$NAME:.*]]> : tensor<2x2x2xf32>
// CHECK-NOT: tensor<2x3xf32>
// The full column tile (columns 0 and 1) reads tile 0, row k of the kernel:
// CHECK: scf.for %[[K:.*]] = %c0 to %c2 step %c1 {{.*}} -> (vector<4x2xf32>)
// CHECK: vector.transfer_read %[[P]][%c0, %[[K]], %c0]
// the last column (2) reads tile 1:
// CHECK: scf.for %[[K2:.*]] = %c0 to %c2 step %c1 {{.*}} -> (vector<4x1xf32>)
// CHECK: vector.transfer_read %[[P]][%c1, %[[K2]], %c0]
func.func @packed(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  %k = predict.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = predict.constant dense<[0.5, -0.5, 0.25]> : tensor<3xf32>
  %y = predict.dense %x, %k, %b activation linear : (tensor<?x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// A kernel of at most one tile's columns is already in the tiles' layout;
// a kernel that is an argument is not a constant: neither is packed.
// CHECK-LABEL: func.func @not_packed
// CHECK-NOT: dense_resource
// CHECK: %[[K:.*]] = arith.constant dense<{{.*}}> : tensor<2x2xf32>
// CHECK-NOT: dense_resource
// CHECK: vector.transfer_read %[[K]][%{{.*}}, %c0]
// CHECK-NOT: dense_resource
// CHECK: vector.transfer_read %arg1
// CHECK: return
func.func @not_packed(%x: tensor<?x2xf32>, %k3: tensor<2x3xf32>) -> (tensor<?x2xf32>, tensor<?x3xf32>) {
  %k = predict.constant dense<[[1.0, 2.0], [4.0, 5.0]]> : tensor<2x2xf32>
  %b = predict.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %b3 = predict.constant dense<[0.5, -0.5, 0.25]> : tensor<3xf32>
  %y = predict.dense %x, %k, %b activation linear : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %z = predict.dense %x, %k3, %b3 activation linear : (tensor<?x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %y, %z : tensor<?x2xf32>, tensor<?x3xf32>
}

// The packed values (after the alignment field, 64): 1, 2, 4, 5, 3, 0, 6, 0.
// CHECK: [[$NAME]]: "0x40000000
// CHECK-SAME: 0000803F00000040000080400000A04000004040000000000000C04000000000"
