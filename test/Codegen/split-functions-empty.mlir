// RUN: predict-opt %s --predict-split-functions=max-ops=3 | FileCheck %s
// RUN: predict-opt %s --predict-split-functions=max-ops=3 \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --canonicalize --drop-equivalent-buffer-results \
// RUN:   --duplicate-function-elimination | FileCheck %s --check-prefix=BUF

// Each piece writes into an empty tensor of its own, made in the caller
// where its use is and passed as an argument: a piece never returns an
// empty tensor (One-Shot Bufferize could write it in place while another
// result shared its buffer, and the caller would take the two for distinct
// buffers: two Bidirectional layers side by side returned one half twice).
// Scalars stay in the caller. Once bufferized, the pieces write into the
// caller's buffers and return nothing: the caller frees only what it
// allocated. The two pieces are alike and become one function.

// CHECK-LABEL: func.func @f(
// CHECK-NEXT: %[[E0:.*]] = tensor.empty(%arg0)
// CHECK-NEXT: %[[A:.*]] = call @f_part0(%arg1, %[[E0]]) : (f32, tensor<?xf32>) -> tensor<?xf32>
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: %[[W:.*]] = arith.subf
// CHECK-NEXT: %[[E1:.*]] = tensor.empty(%arg0)
// CHECK-NEXT: %[[B:.*]] = call @f_part1(%[[W]], %[[E1]]) : (f32, tensor<?xf32>) -> tensor<?xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
// CHECK: func.func private @f_part1(%arg0: f32, %arg1: tensor<?xf32>) -> tensor<?xf32> attributes {passthrough = ["noinline"]}
// CHECK-NEXT: linalg.fill ins(%arg0 : f32) outs(%arg1 : tensor<?xf32>)
// CHECK-NEXT: return
// CHECK: func.func private @f_part0(

// BUF-LABEL: func.func @f(
// BUF-NEXT: %[[A:.*]] = memref.alloc(%arg0)
// BUF-NEXT: call @[[PIECE:f_part[01]]](%arg1, %[[A]]) : (f32, memref<?xf32>) -> ()
// BUF: %[[B:.*]] = memref.alloc(%arg0)
// BUF-NEXT: call @[[PIECE]]({{.*}}, %[[B]]) : (f32, memref<?xf32>) -> ()
// BUF-NEXT: return %[[A]], %[[B]]
// BUF: func.func private @[[PIECE]](
// BUF-NOT: func.func private @f_part
func.func @f(%n: index, %x: f32) -> (tensor<?xf32>, tensor<?xf32>) {
  %e = tensor.empty(%n) : tensor<?xf32>
  %a = linalg.fill ins(%x : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %y = arith.addf %x, %x : f32
  %z = arith.mulf %y, %y : f32
  %w = arith.subf %z, %y : f32
  %b = linalg.fill ins(%w : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  return %a, %b : tensor<?xf32>, tensor<?xf32>
}

// Weights (a constant of distinct elements) are passed to the piece, so that
// layers of one shape make alike pieces; a splat is cloned into it. A loop
// that writes in place into what the piece made (the loop over the last,
// partial tile) joins it: the piece still returns a buffer of its caller.

// CHECK-LABEL: func.func @g(
// CHECK: %[[K:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]>
// CHECK: %[[E:.*]] = tensor.empty()
// CHECK-NEXT: %[[R:.*]] = call @g_part0(%[[K]], %arg0, %[[E]])
// CHECK-NEXT: return %[[R]]
// CHECK: func.func private @g_part0(%arg0: tensor<2xf32>, %arg1: tensor<2xf32>, %arg2: tensor<2xf32>)
// CHECK-NEXT: %[[S:.*]] = arith.constant dense<3.000000e+00> : tensor<2xf32>
// CHECK: linalg.generic
// CHECK: scf.for
// CHECK: return

// BUF-LABEL: func.func @g(
// BUF: %[[OUT:.*]] = memref.alloc()
// BUF-NEXT: call @g_part0({{.*}}, %[[OUT]]) : (memref<2xf32>, memref<2xf32>, memref<2xf32>) -> ()
// BUF-NEXT: return %[[OUT]]
func.func @g(%x: tensor<2xf32>) -> tensor<2xf32> {
  %k = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %s = arith.constant dense<3.0> : tensor<2xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %e = tensor.empty() : tensor<2xf32>
  %a = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%k, %x, %s : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32, %o: f32):
    %m = arith.mulf %p, %q : f32
    %t = arith.addf %m, %r : f32
    linalg.yield %t : f32
  } -> tensor<2xf32>
  %b = scf.for %i = %c0 to %c2 step %c1 iter_args(%acc = %a) -> (tensor<2xf32>) {
    %v = tensor.extract %acc[%i] : tensor<2xf32>
    %d = arith.addf %v, %v : f32
    %u = tensor.insert %d into %acc[%i] : tensor<2xf32>
    scf.yield %u : tensor<2xf32>
  }
  return %b : tensor<2xf32>
}
