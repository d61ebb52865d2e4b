// The verifier and shape-rule messages of LayerNormalization (C41, C42; the
// numbers refer to docs/Dialect.md).
// RUN: predict-opt %s -split-input-file -verify-diagnostics

predict.model @m {
  // expected-error @+1 {{gamma 'tensor<4xf32>' and beta 'tensor<5xf32>' must have the same shape}}
  predict.layer.layer_norm @ln gamma = dense<1.0> : tensor<4xf32>
      beta = dense<0.0> : tensor<5xf32> epsilon = 1.0e-3 axes = [-1]
}

// -----

predict.model @m {
  // expected-error @+1 {{epsilon must not be negative}}
  predict.layer.layer_norm @ln epsilon = -1.0 axes = [-1]
}

// -----

predict.model @m {
  // expected-error @+1 {{axis 1 is listed twice in axes}}
  predict.layer.layer_norm @ln epsilon = 1.0e-3 axes = [1, 1]
}

// -----

predict.model @m {
  // expected-error @+1 {{axes must not be empty}}
  predict.layer.layer_norm @ln epsilon = 1.0e-3 axes = []
}

// -----

// C41 at the call: the weights hold the input's sizes along the axes.
predict.model @m {
  predict.layer.layer_norm @ln gamma = dense<1.0> : tensor<4xf32> epsilon = 1.0e-3 axes = [-1]
  predict.method @call(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
    // expected-error @+1 {{layer '@ln': gamma of shape 4 does not match the input's sizes 5 along the axes}}
    %y = predict.apply @ln(%x) : (tensor<?x5xf32>) -> tensor<?x5xf32>
    predict.return %y : tensor<?x5xf32>
  }
}

// -----

// C42: an axis out of range.
func.func @f(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
  // expected-error @+1 {{'predict.layer_norm' op axis 2 is out of range for 'tensor<?x5xf32>'}}
  %y = predict.layer_norm %x epsilon = 1.0e-3 axes = [2] : (tensor<?x5xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

// -----

// C41: one dimension per axis.
func.func @f(%x: tensor<?x3x4xf32>, %g: tensor<12xf32>) -> tensor<?x3x4xf32> {
  // expected-error @+1 {{'predict.layer_norm' op gamma of shape 12 must have one dimension per axis (2)}}
  %y = predict.layer_norm %x gamma %g epsilon = 1.0e-3 axes = [1, 2]
      : (tensor<?x3x4xf32>, tensor<12xf32>) -> tensor<?x3x4xf32>
  return %y : tensor<?x3x4xf32>
}
