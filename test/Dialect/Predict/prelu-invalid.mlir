// RUN: predict-opt %s -split-input-file -verify-diagnostics

// C160: alpha never spans the batch axis.
func.func @f(%x: tensor<?x4xf32>, %a: tensor<2x4xf32>) {
  // expected-error @+1 {{alpha of shape 2x4 must have a lower rank than the input ?x4: it never spans the batch axis}}
  %y = predict.prelu %x, %a : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C161: each size of alpha is 1 or the input's.
func.func @f(%x: tensor<?x5x4xf32>, %a: tensor<3x4xf32>) {
  // expected-error @+1 {{alpha of shape 3x4 does not fit the input shape ?x5x4 (each size 1 or the input's)}}
  %y = predict.prelu %x, %a : (tensor<?x5x4xf32>, tensor<3x4xf32>) -> tensor<?x5x4xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?xf32>, %a: tensor<4xf32>) {
  // expected-error @+1 {{alpha of shape 4 does not fit the input shape ?x? (each size 1 or the input's)}}
  %y = predict.prelu %x, %a : (tensor<?x?xf32>, tensor<4xf32>) -> tensor<?x?xf32>
  return
}

// -----

predict.model @m class "Sequential" {
  predict.layer.prelu @p alpha = dense<0.25> : tensor<4xf32>
  predict.method @call(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
    // expected-error @+1 {{layer '@p': alpha of shape 4 does not fit the input shape ?x3 (each size 1 or the input's)}}
    %y = predict.apply @p(%x) : (tensor<?x3xf32>) -> tensor<?x3xf32>
    predict.return %y : tensor<?x3xf32>
  }
}
