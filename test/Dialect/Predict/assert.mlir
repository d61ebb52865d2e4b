// predict.assert: round trip, and its canonicalization: a check whose
// condition is constant true cannot fail and is erased.
// RUN: predict-opt %s | predict-opt | FileCheck %s
// RUN: predict-opt %s -canonicalize | FileCheck %s --check-prefix=CANON

// CHECK-LABEL: func.func @f
// CHECK: predict.assert %{{.*}}, "never"
// CHECK: predict.assert %[[OK:.*]], "have {0} and {1} rows, {{[{][{]}}literal}"(%{{.*}}, %{{.*}} : index, index)
// CHECK: predict.assert %{{.*}}, "plain"
// CANON-LABEL: func.func @f
// CANON-NOT: "never"
// CANON: predict.assert %{{.*}}, "have {0} and {1} rows, {{[{][{]}}literal}"
// CANON: predict.assert %{{.*}}, "plain"
func.func @f(%a: index, %b: index, %c: i1) {
  %t = arith.constant true
  predict.assert %t, "never"
  %ok = arith.cmpi eq, %a, %b : index
  predict.assert %ok, "have {0} and {1} rows, {{literal}" (%a, %b : index, index)
  predict.assert %c, "plain"
  return
}
