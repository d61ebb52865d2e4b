// predict-tile-and-vectorize: a Dense layer becomes 8x32 register tiles with
// the bias and relu applied to the tile, full tiles unmasked with the
// accumulator carried in registers across k, a masked remainder for the last
// rows of a dynamic batch.
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize | FileCheck %s
// The matmul is computed once: three loops for full tiles, three for the rest.
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize | grep -c scf.for | FileCheck %s --check-prefix=LOOPS
// LOOPS: {{^6$}}

// CHECK-LABEL: func.func @dense
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[FULL:.*]] = affine.apply #{{.*}}()[%[[N]]]
// Full tiles: static 8 x 32, no mask, accumulator in registers.
// CHECK: scf.for %[[I:.*]] = %c0 to %[[FULL]] step %c8
// CHECK: scf.for %[[J:.*]] = %c0 to %c64 step %c32
// CHECK-NOT: vector.create_mask
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
// The remainder rows: masked.
// CHECK: scf.for %{{.*}} = %[[FULL]] to %[[N]] step %c8
// CHECK: vector.create_mask
// CHECK: arith.maximumf {{.*}} : vector<8x32xf32>
// Nothing is left to run as scalar loops.
// CHECK-NOT: linalg.
func.func @dense(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<64xf32>) -> tensor<?x64xf32> {
  %y = predict.dense %x, %k, %b activation relu : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
