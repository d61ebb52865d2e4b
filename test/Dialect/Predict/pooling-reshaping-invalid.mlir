// The verifier and shape-rule messages of the pooling and reshaping ops
// (C120-C131, C301; the numbers refer to docs/Dialect.md).
// RUN: predict-opt %s -split-input-file -verify-diagnostics

func.func @f(%x: tensor<?x7x9x4xf32>) -> tensor<*xf32> {
  // C120
  // expected-error @+1 {{window [2, 2, 2, 2] and strides [1, 1, 1, 1] must have one to three entries each, as many as each other}}
  %y = predict.pool max %x window = [2, 2, 2, 2] strides = [1, 1, 1, 1] : tensor<?x7x9x4xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x7x9x4xf32>) -> tensor<*xf32> {
  // C301
  // expected-error @+1 {{pools a 3-D window channels first; linalg pools volumes channels last only}}
  %y = predict.pool max %x window = [2, 2, 2] strides = [1, 1, 1] channels_first : tensor<?x4x7x9x4xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x7x9x4xf32>) -> tensor<*xf32> {
  // C120
  // expected-error @+1 {{window [2, 2] and strides [2] must have one to three entries each, as many as each other}}
  %y = predict.pool max %x window = [2, 2] strides = [2] : tensor<?x7x9x4xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x7x9x4xf32>) -> tensor<*xf32> {
  // C120
  // expected-error @+1 {{window [2, 0] and strides [2, 2] must be positive}}
  %y = predict.pool avg %x window = [2, 0] strides = [2, 2] : tensor<?x7x9x4xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x7x4xf32>) -> tensor<*xf32> {
  // C121
  // expected-error @+1 {{input of shape ?x7x4 must have rank 4 (batch, 2 spatial axes, channels) for a window of 2 entries}}
  %y = predict.pool max %x window = [2, 2] strides = [2, 2] : tensor<?x7x4xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x1x1x4xf32>) -> tensor<*xf32> {
  // C122: Keras's "Computed output size would be negative".
  // expected-error @+1 {{spatial axis 1 of the input ?x1x1x4 has size 1, too small for a window of 3 and stride 1 with valid padding (the output size floor((n - k) / s) + 1 would be negative)}}
  %y = predict.pool max %x window = [3, 3] strides = [1, 1] : tensor<?x1x1x4xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x7x9x4xf32>) -> tensor<?x3x3x4xf32> {
  // C34: the declared type against Keras's sizes.
  // expected-error @+1 {{}}
  %y = predict.pool max %x window = [2, 2] strides = [2, 2] : tensor<?x7x9x4xf32> -> tensor<?x3x3x4xf32>
  return %y : tensor<?x3x3x4xf32>
}

// -----

func.func @f(%x: tensor<?x4xf32>) -> tensor<*xf32> {
  // C123
  // expected-error @+1 {{input of shape ?x4 must have rank at least 3 (batch, spatial axes, channels)}}
  %y = predict.global_pool avg %x : tensor<?x4xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x3xf32>) -> tensor<*xf32> {
  // C124
  // expected-error @+1 {{low [0, 1] has 2 entries but the input has rank 3}}
  %y = predict.pad %x low = [0, 1] high = [0, 1, 0] : tensor<?x4x3xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x3xf32>) -> tensor<*xf32> {
  // C124
  // expected-error @+1 {{high [0, -1, 0] has -1; each entry must be at least 0}}
  %y = predict.pad %x low = [0, 1, 0] high = [0, -1, 0] : tensor<?x4x3xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x3xf32>) -> tensor<*xf32> {
  // C125
  // expected-error @+1 {{low [0, -2, 0] has -2; each entry must be at least 0}}
  %y = predict.crop %x low = [0, -2, 0] high = [0, 0, 0] : tensor<?x4x3xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x3xf32>) -> tensor<*xf32> {
  // C126
  // expected-error @+1 {{crops 2 + 2 elements from axis 1 of the input ?x4x3, which has 4; at least one must remain}}
  %y = predict.crop %x low = [0, 2, 0] high = [0, 2, 0] : tensor<?x4x3xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x3xf32>) -> tensor<*xf32> {
  // C127
  // expected-error @+1 {{factors [1, 0, 1] has 0; each entry must be at least 1}}
  %y = predict.upsample %x factors = [1, 0, 1] : tensor<?x4x3xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x6xf32>) -> tensor<*xf32> {
  // C128
  // expected-error @+1 {{shape [-1, -1] may hold one -1 and positive sizes only}}
  %y = predict.reshape %x shape = [-1, -1] : tensor<?x4x6xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x6xf32>) -> tensor<*xf32> {
  // C129
  // expected-error @+1 {{cannot reshape a sample of shape 4x6 (24 elements) into [5, 5] (25 elements)}}
  %y = predict.reshape %x shape = [5, 5] : tensor<?x4x6xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x6xf32>) -> tensor<*xf32> {
  // C129
  // expected-error @+1 {{cannot reshape a sample of shape 4x6 (24 elements) into [5, -1]: 24 is not a multiple of 5}}
  %y = predict.reshape %x shape = [5, -1] : tensor<?x4x6xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x6xf32>) -> tensor<*xf32> {
  // C130
  // expected-error @+1 {{permutation [0, 1, 1] is not a permutation of the 3 axes of the input 'tensor<?x4x6xf32>'}}
  %y = predict.transpose %x permutation = [0, 1, 1] : tensor<?x4x6xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x6xf32>) -> tensor<*xf32> {
  // C130
  // expected-error @+1 {{permutation [1, 0] is not a permutation of the 3 axes of the input 'tensor<?x4x6xf32>'}}
  %y = predict.transpose %x permutation = [1, 0] : tensor<?x4x6xf32> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f(%x: tensor<?x4x6xf32>) -> tensor<?x4x6xf32> {
  // C131
  // expected-error @+1 {{axis 3 is out of range for the 3 axes of the input 'tensor<?x4x6xf32>'}}
  %y = predict.reverse %x axes = [3] : tensor<?x4x6xf32>
  return %y : tensor<?x4x6xf32>
}

// -----

func.func @f(%x: tensor<?x4x6xf32>) -> tensor<?x4x6xf32> {
  // C131
  // expected-error @+1 {{axis -1 is given twice}}
  %y = predict.reverse %x axes = [2, -1] : tensor<?x4x6xf32>
  return %y : tensor<?x4x6xf32>
}
