// Recursion cannot be inlined: an error at the call that closes the cycle.
// RUN: predict-opt %s -split-input-file -predict-inline-models -verify-diagnostics

predict.model @m {
  // expected-note @+1 {{the method called recursively}}
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.method_call @helper(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
  predict.method @helper(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    // expected-error @+1 {{recursive call of method '@m::@call' cannot be compiled: predict inlines every method call; rewrite the recursion as a loop}}
    %y = predict.model_call @m(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.model_call @m(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
