// predict-approximate-math: f32 transcendental math becomes polynomials made
// of arithmetic (vectorizable, no libm); f64 is left for libm.
// RUN: predict-opt %s -predict-approximate-math | FileCheck %s

// CHECK-LABEL: func.func @f32
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK-NOT: math.exp
// CHECK: arith.mulf
// CHECK: return
func.func @f32(%x: vector<8xf32>) -> vector<8xf32> {
  %a = math.tanh %x : vector<8xf32>
  %b = math.erf %a : vector<8xf32>
  %c = math.exp %b : vector<8xf32>
  return %c : vector<8xf32>
}

// CHECK-LABEL: func.func @f64
// CHECK: math.tanh
func.func @f64(%x: f64) -> f64 {
  %a = math.tanh %x : f64
  return %a : f64
}
