// predict-lower-vectors: a value per row read along the row (an outer
// product's input column, softmax's max and sum) becomes one splat per row,
// not rows x columns element moves; a real transpose is still lowered.
// RUN: predict-opt %s -predict-lower-vectors | FileCheck %s

// The input column of an outer product, as tile-and-vectorize reads it.
// CHECK-LABEL: func.func @column
// CHECK: %[[COL:.*]] = vector.transfer_read %arg0[%arg1, %arg2]{{.*}} : memref<?x100xf32>, vector<8x1xf32>
// CHECK-COUNT-8: vector.broadcast %{{.*}} : f32 to vector<32xf32>
// CHECK-NOT: vector.broadcast
// CHECK-NOT: vector.transpose
// CHECK: return
func.func @column(%m: memref<?x100xf32>, %i: index, %k: index) -> vector<8x32xf32> {
  %p = arith.constant 0.0 : f32
  %r = vector.transfer_read %m[%i, %k], %p {in_bounds = [true, true, true], permutation_map = affine_map<(d0, d1) -> (d0, 0, d1)>} : memref<?x100xf32>, vector<8x32x1xf32>
  %s = vector.shape_cast %r : vector<8x32x1xf32> to vector<8x32xf32>
  return %s : vector<8x32xf32>
}

// A row's max stretched along the row, as the vectorizer writes it; the
// row-wise reduction itself is one horizontal reduction per row.
// CHECK-LABEL: func.func @row_max
// CHECK-COUNT-8: vector.reduction <maximumf>, %{{.*}} : vector<10xf32> into f32
// CHECK-COUNT-8: vector.broadcast %{{.*}} : f32 to vector<10xf32>
// CHECK-NOT: vector.transpose
// CHECK: return
func.func @row_max(%x: vector<8x10xf32>) -> vector<8x10xf32> {
  %init = arith.constant dense<0xFF800000> : vector<8xf32>
  %max = vector.multi_reduction <maximumf>, %x, %init [1] : vector<8x10xf32> to vector<8xf32>
  %b = vector.broadcast %max : vector<8xf32> to vector<10x8xf32>
  %t = vector.transpose %b, [1, 0] : vector<10x8xf32> to vector<8x10xf32>
  %d = arith.subf %x, %t : vector<8x10xf32>
  return %d : vector<8x10xf32>
}

// A transpose that reorders the broadcast source's own dimensions is not a
// splat: it stays a transpose (convert-vector-to-llvm lowers it).
// CHECK-LABEL: func.func @real_transpose
// CHECK: vector.transpose %{{.*}}, [2, 1, 0] : vector<4x2x3xf32> to vector<3x2x4xf32>
// CHECK: return
func.func @real_transpose(%x: vector<2x3xf32>) -> vector<3x2x4xf32> {
  %b = vector.broadcast %x : vector<2x3xf32> to vector<4x2x3xf32>
  %t = vector.transpose %b, [2, 1, 0] : vector<4x2x3xf32> to vector<3x2x4xf32>
  return %t : vector<3x2x4xf32>
}
