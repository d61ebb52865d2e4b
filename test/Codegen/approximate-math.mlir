// predict-approximate-math: f32 transcendental math becomes polynomials made
// of arithmetic (vectorizable, no libm); f64 is left for libm. The
// approximations assume finite operands (exp turns NaN into an integer
// exponent with fptosi: poison), so each approximated op returns a NaN
// operand itself (executed: test/Integration/nonfinite.test).
// RUN: predict-opt %s -predict-approximate-math | FileCheck %s

// CHECK-LABEL: func.func @f32
// CHECK: arith.cmpf uno
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK-NOT: math.exp
// CHECK: arith.mulf
// CHECK: arith.select
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
