// predict-tile-and-vectorize with the target's vector width known
// (vector-bits=512, as predict-run sets it on an AVX-512 host): a reduction
// loop whose accumulators fill fewer than 8 registers is unrolled with
// partial sums until there are 8, added pairwise after it; the steps left
// over run in the original loop from that sum. Full 8 x 32 tiles (16
// registers) are left as they are. Without the width (the default), no
// loop is split.
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize="vector-bits=512" | FileCheck %s
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize | FileCheck %s --check-prefix=OFF
// The same at 256 bits: a 1 x 32 row is 4 registers, split in 2.
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize="vector-bits=256" | FileCheck %s --check-prefix=AVX2

// CHECK-LABEL: func.func @dense
// Full tiles: 8 x 32 is 16 registers, one accumulator.
// CHECK: scf.for %{{.*}} = %c0 to %c100 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<8x32xf32>)
// Two rows (4 registers): two partial sums, 50 steps of two.
// CHECK: %[[PAIR:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[Z0:.*]], %{{.*}} = %[[Z1:.*]]) -> (vector<2x32xf32>, vector<2x32xf32>)
// CHECK-COUNT-2: arith.addf {{.*}} fastmath<contract> : vector<2x32xf32>
// CHECK: scf.yield {{.*}} : vector<2x32xf32>, vector<2x32xf32>
// CHECK: %[[SUM2:.*]] = arith.addf %[[PAIR]]#0, %[[PAIR]]#1 : vector<2x32xf32>
// CHECK: scf.for %{{.*}} = %c100{{.*}} to %c100 step %c1 iter_args(%{{.*}} = %[[SUM2]]) -> (vector<2x32xf32>)
// One row (2 registers): four partial sums, added pairwise.
// CHECK: %[[ROW:.*]]:4 = scf.for {{.*}} -> (vector<1x32xf32>, vector<1x32xf32>, vector<1x32xf32>, vector<1x32xf32>)
// CHECK: %[[A:.*]] = arith.addf %[[ROW]]#0, %[[ROW]]#1 : vector<1x32xf32>
// CHECK: %[[B:.*]] = arith.addf %[[ROW]]#2, %[[ROW]]#3 : vector<1x32xf32>
// CHECK: %[[ALL:.*]] = arith.addf %[[A]], %[[B]] : vector<1x32xf32>
// CHECK: scf.for %{{.*}} iter_args(%{{.*}} = %[[ALL]]) -> (vector<1x32xf32>)

// OFF-LABEL: func.func @dense
// OFF-NOT: -> (vector<1x32xf32>, vector<1x32xf32>
// OFF-NOT: -> (vector<2x32xf32>, vector<2x32xf32>

// AVX2-LABEL: func.func @dense
// AVX2: -> (vector<8x32xf32>)
// AVX2-NOT: -> (vector<2x32xf32>, vector<2x32xf32>
// AVX2: -> (vector<1x32xf32>, vector<1x32xf32>)
func.func @dense(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<64xf32>) -> tensor<?x64xf32> {
  %y = predict.dense %x, %k, %b activation relu : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// A reduction of 3 steps is too short to split (at least 4 steps a sum).
// CHECK-LABEL: func.func @short
// CHECK-NOT: -> (vector<1x32xf32>, vector<1x32xf32>
// CHECK: return
func.func @short(%x: tensor<?x3xf32>, %k: tensor<3x32xf32>, %b: tensor<32xf32>) -> tensor<?x32xf32> {
  %y = predict.dense %x, %k, %b activation linear : (tensor<?x3xf32>, tensor<3x32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}
