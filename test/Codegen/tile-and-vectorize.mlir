// predict-tile-and-vectorize: a Dense layer becomes 8x32 register tiles with
// the bias and relu applied to the tile and the accumulator carried in
// registers across k; columns of tiles outside, rows inside (a column of the
// kernel stays in cache while every row tile reads it); the last rows of a
// dynamic batch (fewer than 8) go two rows at a time, then the odd one
// alone. No tile needs a mask.
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize | FileCheck %s
// The matmul is computed once: three loops for full tiles, three more for
// the remainder's row pairs, three for its odd row.
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize | sed -n '/func.func @dense(/,/return/p' | grep -c scf.for | FileCheck %s --check-prefix=LOOPS
// LOOPS: {{^9$}}

// CHECK-LABEL: func.func @dense
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// Full tiles: static 8 x 32, accumulator in registers.
// CHECK-NOT: vector.create_mask
// CHECK: scf.for %[[J:.*]] = %c0 to %c64 step %c32
// CHECK: %[[FULL:.*]] = affine.apply #{{.*}}()[%[[N]]]
// CHECK: scf.for %[[I:.*]] = %c0 to %[[FULL]] step %c8
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
// (8 x 100 x 32 multiply-adds); the remainder loop is not.
// CHECK: } {predict.parallel_flops = 51200 : i64}
// CHECK-NOT: predict.parallel_flops
// The remainder rows: two at a time (2 x 32 tiles keep both FMA units
// busy), then the odd row alone (1 x 32), all static.
// CHECK: scf.for %{{.*}} = %[[FULL]] to %[[N]] step %c8
// CHECK: %[[PAIRS:.*]] = scf.for %{{.*}} = %c0 to %[[EVEN:.*]] step %c2
// CHECK: scf.for %{{.*}} = %c0 to %c100 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<2x32xf32>)
// CHECK: arith.maximumf {{.*}} : vector<2x32xf32>
// CHECK: scf.for %{{.*}} = %[[EVEN]] to %{{.*}} step %c2 iter_args(%{{.*}} = %[[PAIRS]])
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

// A softmax after a Dense layer joins its row tile: 8 whole rows (8 x 10),
// the matmul computed once, max, exp, sum and division on registers, one
// write. Softmax is one pass over memory.
// CHECK-LABEL: func.func @dense_softmax
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c8 iter_args
// CHECK-NOT: scf.for
// CHECK: %[[ACC:.*]] = scf.for %{{.*}} = %c0 to %c64 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<8x10xf32>)
// CHECK: %[[Z:.*]] = arith.addf %[[ACC]], {{.*}} : vector<8x10xf32>
// CHECK: %[[MAX:.*]] = vector.multi_reduction <maximumf>, %[[Z]], %{{.*}} [1] : vector<8x10xf32> to vector<8xf32>
// CHECK: %[[E:.*]] = math.exp %{{.*}} : vector<8x10xf32>
// The sum in float64 (lowering::accumulateSum), rounded before the division.
// CHECK: %[[WIDE:.*]] = arith.extf %[[E]] : vector<8x10xf32> to vector<8x10xf64>
// CHECK: %[[SUM:.*]] = vector.multi_reduction <add>, %[[WIDE]], %{{.*}} [1] : vector<8x10xf64> to vector<8xf64>
// CHECK: arith.truncf
// CHECK: arith.divf %[[E]], %{{.*}} : vector<8x10xf32>
// CHECK: vector.transfer_write
// CHECK: } {predict.parallel_flops = 10240 : i64}
// The last rows, two at a time and the odd one alone, the same way.
// CHECK: vector.multi_reduction <maximumf>, %{{.*}} [1] : vector<2x10xf32> to vector<2xf32>
// CHECK: vector.multi_reduction <maximumf>, %{{.*}} [1] : vector<1x10xf32> to vector<1xf32>
// CHECK: vector.multi_reduction <add>, %{{.*}} [1] : vector<1x10xf64> to vector<1xf64>
// CHECK-NOT: linalg.
// CHECK: return
func.func @dense_softmax(%x: tensor<?x64xf32>, %k: tensor<64x10xf32>, %b: tensor<10xf32>) -> tensor<?x10xf32> {
  %y = predict.dense %x, %k, %b activation softmax : (tensor<?x64xf32>, tensor<64x10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// Rows too wide for registers (8 x 100 > 512): the layer is tiled as
// before and the softmax stays four generics.
// CHECK-LABEL: func.func @wide_softmax
// CHECK: scf.for %{{.*}} step %c32
// CHECK-COUNT-4: linalg.generic
// CHECK: return
func.func @wide_softmax(%x: tensor<?x64xf32>, %k: tensor<64x100xf32>, %b: tensor<100xf32>) -> tensor<?x100xf32> {
  %y = predict.dense %x, %k, %b activation softmax : (tensor<?x64xf32>, tensor<64x100xf32>, tensor<100xf32>) -> tensor<?x100xf32>
  return %y : tensor<?x100xf32>
}

// The layer's output is also a result: it leaves the chain, which is then
// not fused (the tile would have to write two outputs).
// CHECK-LABEL: func.func @escaping
// CHECK: scf.for %{{.*}} step %c8
// CHECK-COUNT-4: linalg.generic
// CHECK: return
func.func @escaping(%x: tensor<?x64xf32>, %k: tensor<64x10xf32>, %b: tensor<10xf32>) -> (tensor<?x10xf32>, tensor<?x10xf32>) {
  %y = predict.dense %x, %k, %b activation linear : (tensor<?x64xf32>, tensor<64x10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  %s = predict.activation softmax %y : tensor<?x10xf32>
  return %y, %s : tensor<?x10xf32>, tensor<?x10xf32>
}
