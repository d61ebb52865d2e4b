// RUN: predict-opt %s --predict-split-functions=max-ops=3 | FileCheck %s

// An empty tensor used on both sides of a cut is made where each use is:
// passed out of a piece it would be a result that One-Shot Bufferize may
// write in place (its contents are never read) while another result of the
// piece shares its buffer, and the caller would take the two for distinct
// buffers (two Bidirectional layers side by side returned one half twice).

// CHECK-LABEL: func.func @f(
// CHECK-NEXT: call @f_part0(%arg0, %arg1) : (index, f32) -> tensor<?xf32>
// CHECK-NEXT: call @f_part1(%arg1) : (f32) -> f32
// CHECK-NEXT: call @f_part2(%arg0, %1) : (index, f32) -> tensor<?xf32>
// CHECK: func.func private @f_part2(
// CHECK-NEXT: %[[E2:.*]] = tensor.empty(%arg0)
// CHECK-NEXT: linalg.fill ins(%arg1 : f32) outs(%[[E2]] : tensor<?xf32>)
// CHECK-NEXT: return
// CHECK: func.func private @f_part0(
// CHECK-NEXT: %[[E0:.*]] = tensor.empty(%arg0)
// CHECK-NEXT: %[[A:.*]] = linalg.fill ins(%arg1 : f32) outs(%[[E0]] : tensor<?xf32>)
// CHECK-NEXT: return %[[A]] : tensor<?xf32>
func.func @f(%n: index, %x: f32) -> (tensor<?xf32>, tensor<?xf32>) {
  %e = tensor.empty(%n) : tensor<?xf32>
  %a = linalg.fill ins(%x : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %y = arith.addf %x, %x : f32
  %z = arith.mulf %y, %y : f32
  %w = arith.subf %z, %y : f32
  %b = linalg.fill ins(%w : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  return %a, %b : tensor<?xf32>, tensor<?xf32>
}
