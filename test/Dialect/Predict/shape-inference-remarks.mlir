// predict-shape-inference=emit-remarks reports each refinement at its op.
// RUN: predict-opt %s -predict-shape-inference=emit-remarks -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @f
// CHECK: predict.dense %arg0, %arg1 : (tensor<1x100xf32>, tensor<100x64xf32>) -> tensor<1x64xf32>
func.func @f(%x: tensor<1x100xf32>, %k: tensor<100x64xf32>) -> tensor<?x64xf32> {
  // expected-remark @+1 {{refined result #0 from 'tensor<?x64xf32>' to 'tensor<1x64xf32>'}}
  %y = predict.dense %x, %k : (tensor<1x100xf32>, tensor<100x64xf32>) -> tensor<?x64xf32>
  // Already as precise as can be: no remark.
  %z = predict.neg %x : tensor<1x100xf32>
  return %y : tensor<?x64xf32>
}
