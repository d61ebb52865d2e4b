// predict-tile-and-vectorize's limits on fusion and vectors. A producer
// with reduction loops other than the tiled matmul (here a contraction over
// two dimensions, as upstream's reshape folding made of Flatten + Dense) is
// not fused into the next layer's column tiles, where each tile of 32
// columns would compute all of its rows again: it runs once, before the
// tile loops. An op whose vector would exceed 4096 elements stays a loop.
// RUN: predict-opt %s -predict-tile-and-vectorize | FileCheck %s
// Its full vector, 8x300x28x28 elements, is never built.
// RUN: predict-opt %s -predict-tile-and-vectorize | FileCheck %s --check-prefix=NOBIG
// NOBIG-NOT: vector<8x300x28x28xf32>
// NOBIG-NOT: vector<1x300x28x28xf32>

#in = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
#w = affine_map<(d0, d1, d2, d3) -> (d2, d3, d1)>
#out = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @flatten_dense_dense
// The first contraction, whole, before any loop.
// CHECK-NOT: scf.for
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: ins(%arg0, %arg1 : tensor<?x28x28xf32>, tensor<28x28x300xf32>)
// CHECK-SAME: outs(%{{.*}} : tensor<?x300xf32>)
// Then the Dense layer's tiles read its result.
// CHECK: scf.for
// CHECK: vector<8x32xf32>
func.func @flatten_dense_dense(%x: tensor<?x28x28xf32>, %w1: tensor<28x28x300xf32>,
                               %w2: tensor<300x64xf32>, %b2: tensor<64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x28x28xf32>
  %e1 = tensor.empty(%n) : tensor<?x300xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x300xf32>) -> tensor<?x300xf32>
  %h = linalg.generic {indexing_maps = [#in, #w, #out],
                       iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w1 : tensor<?x28x28xf32>, tensor<28x28x300xf32>) outs(%f1 : tensor<?x300xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<?x300xf32>
  %e2 = tensor.empty(%n) : tensor<?x64xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x64xf32>) -> tensor<?x64xf32>
  %mm = linalg.matmul ins(%h, %w2 : tensor<?x300xf32>, tensor<300x64xf32>)
                      outs(%f2 : tensor<?x64xf32>) -> tensor<?x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b2 : tensor<?x64xf32>, tensor<64xf32>) outs(%e2 : tensor<?x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// A row-wise chain after the second layer (x - max(x), as softmax begins)
// makes tiles of whole rows: the contraction is then fused, 8 rows at a
// time, computed once per row; its vector (8x300x28x28) would be too big,
// so it stays a loop nest inside the tile.
// CHECK-LABEL: func.func @flatten_dense_rows
// CHECK: scf.for
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: outs(%{{.*}} : tensor<8x300xf32>)
// CHECK: vector<8x10xf32>
#col = affine_map<(d0, d1) -> (d0)>
func.func @flatten_dense_rows(%x: tensor<?x28x28xf32>, %w1: tensor<28x28x300xf32>,
                              %w2: tensor<300x10xf32>) -> tensor<?x10xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %n = tensor.dim %x, %c0 : tensor<?x28x28xf32>
  %e1 = tensor.empty(%n) : tensor<?x300xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x300xf32>) -> tensor<?x300xf32>
  %h = linalg.generic {indexing_maps = [#in, #w, #out],
                       iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w1 : tensor<?x28x28xf32>, tensor<28x28x300xf32>) outs(%f1 : tensor<?x300xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<?x300xf32>
  %e2 = tensor.empty(%n) : tensor<?x10xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x10xf32>) -> tensor<?x10xf32>
  %mm = linalg.matmul ins(%h, %w2 : tensor<?x300xf32>, tensor<300x10xf32>)
                      outs(%f2 : tensor<?x10xf32>) -> tensor<?x10xf32>
  %em = tensor.empty(%n) : tensor<?xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%em : tensor<?xf32>) -> tensor<?xf32>
  %max = linalg.generic {indexing_maps = [#id, #col], iterator_types = ["parallel", "reduction"]}
      ins(%mm : tensor<?x10xf32>) outs(%fm : tensor<?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %o : f32
    linalg.yield %r : f32
  } -> tensor<?xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %max : tensor<?x10xf32>, tensor<?xf32>) outs(%e2 : tensor<?x10xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// A loop that makes the matmul's operand (a Python loop, a row loop, a
// branch) is not fused into the tiles: upstream would clone it whole into
// each tile loop (and each peeled copy), running it again per tile, its
// prints and host callbacks too (helper-98). It runs once, before them.
// CHECK-LABEL: func.func @loop_then_matmul
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK: func.call @predict_runtime_print
// CHECK-NOT: func.call @predict_runtime_print
// CHECK-NOT: to %c2 step %c1
// CHECK: return
func.func private @predict_runtime_print(memref<?xi64>)
func.func @loop_then_matmul(%x: tensor<?x4xf32>, %w: tensor<4x64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  %h = scf.for %i = %c0 to %c2 step %c1 iter_args(%acc = %x) -> (tensor<?x4xf32>) {
    %block = memref.alloca() : memref<1xi64>
    %cast = memref.cast %block : memref<1xi64> to memref<?xi64>
    func.call @predict_runtime_print(%cast) : (memref<?xi64>) -> ()
    %n = tensor.dim %acc, %c0 : tensor<?x4xf32>
    %e = tensor.empty(%n) : tensor<?x4xf32>
    %next = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%acc : tensor<?x4xf32>) outs(%e : tensor<?x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %s = arith.addf %in, %one : f32
      linalg.yield %s : f32
    } -> tensor<?x4xf32>
    scf.yield %next : tensor<?x4xf32>
  }
  %rows = tensor.dim %h, %c0 : tensor<?x4xf32>
  %init = tensor.empty(%rows) : tensor<?x64xf32>
  %filled = linalg.fill ins(%zero : f32) outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  %y = linalg.matmul ins(%h, %w : tensor<?x4xf32>, tensor<4x64xf32>) outs(%filled : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
