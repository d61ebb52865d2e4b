// predict-tile-and-vectorize: a Dense layer becomes 8x32 register tiles with
// the bias and relu applied to the tile and the accumulator carried in
// registers across k; the last rows of a dynamic batch (fewer than 8) go one
// row at a time. No tile needs a mask.
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize | FileCheck %s
// The matmul is computed once: three loops for full tiles, four for the rest
// (rows of the remainder one at a time).
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize | grep -c scf.for | FileCheck %s --check-prefix=LOOPS
// LOOPS: {{^7$}}

// CHECK-LABEL: func.func @dense
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[FULL:.*]] = affine.apply #{{.*}}()[%[[N]]]
// Full tiles: static 8 x 32, accumulator in registers.
// CHECK-NOT: vector.create_mask
// CHECK: scf.for %[[I:.*]] = %c0 to %[[FULL]] step %c8
// CHECK: scf.for %[[J:.*]] = %c0 to %c64 step %c32
// CHECK: %[[ACC:.*]] = scf.for %{{.*}} = %c0 to %c100 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<8x32xf32>)
// CHECK: vector.transfer_read %arg0
// CHECK: vector.transfer_read %arg1
// CHECK: arith.mulf {{.*}} : vector<8x32xf32>
// CHECK: arith.addf {{.*}} : vector<8x32xf32>
// CHECK: scf.yield {{.*}} : vector<8x32xf32>
// Epilogue on the tile, then one write.
// CHECK: arith.addf %[[ACC]], {{.*}} : vector<8x32xf32>
// CHECK: arith.maximumf {{.*}} : vector<8x32xf32>
// CHECK: vector.transfer_write
// Full row tiles are independent: marked for threads with the work of one
// (8 x 100 x 64 multiply-adds); the remainder loop is not.
// CHECK: } {predict.parallel_flops = 102400 : i64}
// CHECK-NOT: predict.parallel_flops
// The remainder rows: one at a time, 1 x 32 tiles.
// CHECK: scf.for %{{.*}} = %[[FULL]] to %[[N]] step %c8
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c100 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<1x32xf32>)
// CHECK: arith.maximumf {{.*}} : vector<32xf32>
// Nothing is left to run as scalar loops, and nothing is masked.
// CHECK-NOT: linalg.
// CHECK-NOT: vector.create_mask
func.func @dense(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<64xf32>) -> tensor<?x64xf32> {
  %y = predict.dense %x, %k, %b activation relu : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
