// predict-expand-shapes-to-casts: an expand_shape into a group of several
// dynamic sizes is a reinterpret_cast of the source's base buffer, at its
// offset, with the strides expand-strided-metadata would give (which
// crashes on it in MLIR 22); other expand_shapes are left to
// expand-strided-metadata, and after it no expand_shape is left.
// RUN: predict-opt %s -predict-expand-shapes-to-casts | FileCheck %s
// RUN: predict-opt %s -predict-expand-shapes-to-casts -expand-strided-metadata | FileCheck %s --check-prefix=LOWERED
// LOWERED-NOT: memref.expand_shape

// CHECK-LABEL: func.func @two_dynamic
// CHECK-SAME: (%[[A:.*]]: memref<?x2xf32>, %[[D0:.*]]: index, %[[D1:.*]]: index)
// CHECK: %[[BASE:.*]], %{{.*}}, %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[A]]
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[S0:.*]] = arith.muli %[[C2]], %[[D1]] : index
// CHECK: memref.reinterpret_cast %[[BASE]] to offset: [0], sizes: [%[[D0]], %[[D1]], 2], strides: [%[[S0]], 2, 1] : memref<f32> to memref<?x?x2xf32>
// CHECK-NOT: memref.expand_shape
func.func @two_dynamic(%a: memref<?x2xf32>, %d0: index, %d1: index) -> memref<?x?x2xf32> {
  %c = memref.expand_shape %a [[0, 1], [2]] output_shape [%d0, %d1, 2] : memref<?x2xf32> into memref<?x?x2xf32>
  return %c : memref<?x?x2xf32>
}

// Three dynamic sizes in one group, a static one between them.
// CHECK-LABEL: func.func @three_dynamic
// CHECK-SAME: (%[[A:.*]]: memref<?xf32>, %[[D0:.*]]: index, %[[D1:.*]]: index, %[[D2:.*]]: index)
// CHECK: %[[S1:.*]] = arith.muli %[[D2]], %{{.*}} : index
// CHECK: %[[S0:.*]] = arith.muli %[[S1]], %[[D1]] : index
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [%[[D0]], %[[D1]], 3, %[[D2]]], strides: [%[[S0]], %[[S1]], %[[D2]], 1]
func.func @three_dynamic(%a: memref<?xf32>, %d0: index, %d1: index, %d2: index) -> memref<?x?x3x?xf32> {
  %c = memref.expand_shape %a [[0, 1, 2, 3]] output_shape [%d0, %d1, 3, %d2] : memref<?xf32> into memref<?x?x3x?xf32>
  return %c : memref<?x?x3x?xf32>
}

// A strided source at a dynamic offset: its stride and its offset.
// CHECK-LABEL: func.func @strided
// CHECK: %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata
// CHECK: %[[S0:.*]] = arith.muli %{{.*}}, %{{.*}} : index
// CHECK: memref.reinterpret_cast %[[BASE]] to offset: [%[[OFF]]], sizes: [%{{.*}}, %{{.*}}, 6], strides: [%[[S0]], 12, 1]
func.func @strided(%b: memref<?x6xf32, strided<[12, 1], offset: ?>>, %d0: index, %d1: index) -> memref<?x?x6xf32, strided<[?, 12, 1], offset: ?>> {
  %e = memref.expand_shape %b [[0, 1], [2]] output_shape [%d0, %d1, 6] : memref<?x6xf32, strided<[12, 1], offset: ?>> into memref<?x?x6xf32, strided<[?, 12, 1], offset: ?>>
  return %e : memref<?x?x6xf32, strided<[?, 12, 1], offset: ?>>
}

// One dynamic size per group: left as it is.
// CHECK-LABEL: func.func @left
// CHECK: memref.expand_shape
// CHECK-NOT: memref.reinterpret_cast
func.func @left(%a: memref<?x6xf32>, %d0: index) -> memref<?x2x3xf32> {
  %c = memref.expand_shape %a [[0], [1, 2]] output_shape [%d0, 2, 3] : memref<?x6xf32> into memref<?x2x3xf32>
  return %c : memref<?x2x3xf32>
}
