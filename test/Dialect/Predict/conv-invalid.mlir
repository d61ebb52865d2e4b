// The verifier and shape-rule messages of the convolution layers and ops
// (C100-C110, C300; the numbers refer to docs/Dialect.md).
// RUN: predict-opt %s -split-input-file -verify-diagnostics

predict.model @m {
  // expected-error @+1 {{strides has 4 entries; a convolution has 1 to 3 spatial axes}}
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x3x3x3x1x4xf32>
      strides = [1, 1, 1, 1] dilations = [1, 1, 1, 1]
}

// -----

predict.model @m {
  // expected-error @+1 {{a 3-D convolution has one group and is not transposed (linalg's conv_3d_ndhwc_dhwcf)}}
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x3x3x1x4xf32>
      strides = [1, 1, 1] dilations = [1, 1, 1] groups = 2
}

// -----

predict.model @m {
  // expected-error @+1 {{kernel must have rank 4 (k... x channels/groups x filters), got 'tensor<3x1x4xf32>'}}
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x1x4xf32>
      strides = [1, 1] dilations = [1, 1]
}

// -----

predict.model @m {
  // expected-error @+1 {{dilations has 1 entries but strides has 2}}
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x3x1x4xf32>
      strides = [1, 1] dilations = [1]
}

// -----

predict.model @m {
  // expected-error @+1 {{strides must be positive, got 0}}
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x3x1x4xf32>
      strides = [0, 1] dilations = [1, 1]
}

// -----

predict.model @m {
  // expected-error @+1 {{groups must be positive, got 0}}
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x3x1x4xf32>
      strides = [1, 1] dilations = [1, 1] groups = 0
}

// -----

predict.model @m {
  // expected-error @+1 {{groups 3 does not divide the kernel's 4 filters}}
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x3x1x4xf32>
      strides = [1, 1] dilations = [1, 1] groups = 3
}

// -----

predict.model @m {
  // expected-error @+1 {{bias has 3 elements but the kernel has 4 filters}}
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x3x1x4xf32>
      bias = dense<0.0> : tensor<3xf32> strides = [1, 1] dilations = [1, 1]
}

// -----

predict.model @m {
  // expected-error @+1 {{causal padding applies only to a 1-D convolution}}
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x3x1x4xf32>
      strides = [1, 1] dilations = [1, 1] padding causal
}

// -----

predict.model @m {
  // expected-error @+1 {{weight 'kernel' must hold floating-point values}}
  predict.layer.conv @c kernel = dense<1> : tensor<3x3x1x4xi32>
      strides = [1, 1] dilations = [1, 1]
}

// -----

predict.model @m {
  predict.layer.conv @c kernel = dense<1.0> : tensor<3x3x2x4xf32>
      strides = [1, 1] dilations = [1, 1] groups = 2
  predict.method @call(%x: tensor<?x8x8x3xf32>) -> tensor<*xf32> {
    // expected-error @+1 {{layer '@c': input has 3 channels but the kernel takes 2 per group in 2 groups}}
    %y = predict.apply @c(%x) : (tensor<?x8x8x3xf32>) -> tensor<*xf32>
    predict.return %y : tensor<*xf32>
  }
}

// -----

func.func @rank(%x: tensor<?x8x3xf32>, %k: tensor<3x3x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input must have rank 4 (batch, rows, columns, channels), got 'tensor<?x8x3xf32>'}}
  %y = predict.conv %x, %k strides = [1, 1] dilations = [1, 1]
      : (tensor<?x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @small(%x: tensor<?x4x8x3xf32>, %k: tensor<3x3x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input has size 4 along spatial axis 0, smaller than the dilated kernel's 5 (with padding valid)}}
  %y = predict.conv %x, %k strides = [1, 1] dilations = [2, 1]
      : (tensor<?x4x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @declared(%x: tensor<?x8x8x3xf32>, %k: tensor<3x3x3x4xf32>) -> tensor<?x8x8x4xf32> {
  // expected-error @+1 {{result #0 has type 'tensor<?x8x8x4xf32>', incompatible with the type 'tensor<?x6x6x4xf32>' that its operands imply}}
  %y = predict.conv %x, %k strides = [1, 1] dilations = [1, 1]
      : (tensor<?x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<?x8x8x4xf32>
  return %y : tensor<?x8x8x4xf32>
}

// -----

func.func @transpose(%x: tensor<?x4x4x3xf32>, %k: tensor<3x3x2x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input has 3 channels but the kernel takes 4}}
  %y = predict.conv_transpose %x, %k strides = [2, 2] dilations = [1, 1]
      : (tensor<?x4x4x3xf32>, tensor<3x3x2x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

predict.model @m {
  // expected-error @+1 {{output_padding 2 must be at least 0 and less than its stride 2}}
  predict.layer.conv_transpose @t kernel = dense<1.0> : tensor<3x3x2x4xf32>
      strides = [2, 2] dilations = [1, 1] output_padding = [1, 2]
}

// -----

predict.model @m {
  // expected-error @+1 {{output_padding has 1 entries but strides has 2}}
  predict.layer.conv_transpose @t kernel = dense<1.0> : tensor<3x3x2x4xf32>
      strides = [2, 2] dilations = [1, 1] output_padding = [1]
}

// -----

predict.model @m {
  // expected-error @+1 {{causal padding applies only to a 1-D convolution}}
  predict.layer.conv_transpose @t kernel = dense<1.0> : tensor<3x2x4xf32>
      strides = [2] dilations = [1] padding causal
}

// -----

predict.model @m {
  // expected-error @+1 {{pointwise kernel must have size 1 along its spatial axes, got 'tensor<2x1x8x3xf32>'}}
  predict.layer.separable_conv @s depthwise = dense<1.0> : tensor<3x3x1x8xf32>
      pointwise = dense<1.0> : tensor<2x1x8x3xf32> strides = [1, 1]
      dilations = [1, 1] groups = 4
}

// -----

predict.model @m {
  // expected-error @+1 {{pointwise kernel takes 6 channels but the depthwise kernel gives 8}}
  predict.layer.separable_conv @s depthwise = dense<1.0> : tensor<3x3x1x8xf32>
      pointwise = dense<1.0> : tensor<1x1x6x3xf32> strides = [1, 1]
      dilations = [1, 1] groups = 4
}
