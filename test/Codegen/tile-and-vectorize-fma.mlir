// With `fma` (a target with FMA: predict-run and predict-compile set it from
// the target's features), each step of a contraction is one math.fma, in
// every tile alike: the full tiles, the last rows two at a time and the odd
// row. A multiply and an add marked `contract` are only
// allowed to fuse: LLVM fused them in some tiles and not in others, and a
// row's bits depended on the batch (helper-112). No step is left a plain
// multiply and add.
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize="fma=true" | FileCheck %s
// Without the option the steps are `contract` pairs, as before.
// RUN: predict-opt %s -convert-predict-to-linalg -predict-tile-and-vectorize | FileCheck %s --check-prefix=PAIRS

// CHECK-LABEL: func.func @dense
// CHECK:     math.fma {{.*}} : vector<8x32xf32>
// CHECK:     math.fma {{.*}} : vector<2x32xf32>
// CHECK:     math.fma {{.*}} : vector<32xf32>
// CHECK-NOT: arith.mulf
// CHECK:     return
// PAIRS-LABEL: func.func @dense
// PAIRS:     arith.mulf {{.*}} fastmath<contract> : vector<8x32xf32>
// PAIRS:     arith.addf {{.*}} fastmath<contract> : vector<8x32xf32>
// PAIRS-NOT: math.fma
// PAIRS:     return
func.func @dense(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<64xf32>) -> tensor<?x64xf32> {
  %y = predict.dense %x, %k, %b activation relu : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// A matmul alone, 8 columns: its last rows go one at a time (tiled by two
// rows, its own tile root kept a size of min(rows left, 2) that peeling did
// not simplify: masked pairs summing in another order, helper-112), each a
// static tile of FMAs like the full ones.
// CHECK-LABEL: func.func @matmul
// CHECK:     math.fma {{.*}} : vector<8x8xf32>
// CHECK:     scf.for %{{.*}} step %c1
// CHECK:     math.fma {{.*}} : vector<8xf32>
// CHECK-NOT: vector.create_mask
// CHECK-NOT: arith.mulf
// CHECK:     return
func.func @matmul(%x: tensor<?x16xf32>, %k: tensor<16x8xf32>) -> tensor<?x8xf32> {
  %y = predict.matmul %x, %k : (tensor<?x16xf32>, tensor<16x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// Columns known only at run time: the last columns are a masked tile
// (sized by a bound of 63), whose steps are FMAs too, unmasked (its lanes
// past the mask are never written).
// CHECK-LABEL: func.func @columns
// CHECK:     math.fma {{.*}} : vector<8x32xf32>
// CHECK:     vector.create_mask
// CHECK:     math.fma {{.*}} : vector<8x31xf32>
// CHECK-NOT: arith.mulf
// CHECK:     return
func.func @columns(%x: tensor<?x16xf32>, %k: tensor<16x?xf32>) -> tensor<?x?xf32> {
  %y = predict.matmul %x, %k : (tensor<?x16xf32>, tensor<16x?xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// Columns known only at run time, with a producer fused into the tile (the
// batch of `tf.einsum("nk,bk->bn", w, x)`, the columns of a transpose):
// every tile op's vector sizes are bounded before any is vectorized, since
// the transpose's masked write hides the size of the slice it wrote. The
// steps of the last columns were scalar loops, a multiply and an add
// rounded apart beside the full tiles' FMAs (helper-113: a column's bits
// depended on the batch).
// CHECK-LABEL: func.func @transposed_columns
// CHECK:     math.fma {{.*}} : vector<8x32xf32>
// CHECK:     math.fma {{.*}} : vector<8x31xf32>
// CHECK:     math.fma {{.*}} : vector<31xf32>
// CHECK-NOT: arith.mulf
// CHECK-NOT: linalg.matmul
// CHECK:     return
func.func @transposed_columns(%w: tensor<10x16xf32>, %x: tensor<?x16xf32>) -> tensor<10x?xf32> {
  %t = predict.transpose %x permutation = [1, 0] : tensor<?x16xf32> -> tensor<16x?xf32>
  %y = predict.matmul %w, %t : (tensor<10x16xf32>, tensor<16x?xf32>) -> tensor<10x?xf32>
  return %y : tensor<10x?xf32>
}
