// predict.layer.conv, predict.layer.separable_conv, predict.layer.conv_transpose,
// predict.conv and predict.conv_transpose: they print back to the same text
// (custom and generic form), and shape inference gives Keras's output sizes.
// RUN: predict-opt %s -split-input-file | predict-opt -split-input-file | FileCheck %s
// RUN: predict-opt %s -split-input-file --mlir-print-op-generic | predict-opt -split-input-file | FileCheck %s
// RUN: predict-opt %s -split-input-file -predict-shape-inference | FileCheck %s --check-prefix=INFER

// CHECK-LABEL: predict.model @m
predict.model @m {
  // CHECK: predict.layer.conv @conv kernel = dense<5.000000e-01> : tensor<3x3x1x8xf32> bias = dense<0.000000e+00> : tensor<8xf32> strides = [1, 1] dilations = [1, 1] padding same activation relu
  predict.layer.conv @conv kernel = dense<0.5> : tensor<3x3x1x8xf32>
      bias = dense<0.0> : tensor<8xf32> strides = [1, 1] dilations = [1, 1]
      padding same activation relu
  // CHECK: predict.layer.conv @dw kernel = dense<5.000000e-01> : tensor<3x3x1x16xf32> strides = [2, 2] dilations = [1, 1] groups = 8
  predict.layer.conv @dw kernel = dense<0.5> : tensor<3x3x1x16xf32>
      strides = [2, 2] dilations = [1, 1] groups = 8
  // CHECK: predict.layer.separable_conv @sep depthwise = dense<5.000000e-01> : tensor<3x3x1x16xf32> pointwise = dense<5.000000e-01> : tensor<1x1x16x4xf32> bias = dense<0.000000e+00> : tensor<4xf32> strides = [1, 1] dilations = [1, 1] padding same groups = 16
  predict.layer.separable_conv @sep depthwise = dense<0.5> : tensor<3x3x1x16xf32>
      pointwise = dense<0.5> : tensor<1x1x16x4xf32> bias = dense<0.0> : tensor<4xf32>
      strides = [1, 1] dilations = [1, 1] padding same groups = 16
  // CHECK: predict.layer.conv_transpose @up kernel = dense<5.000000e-01> : tensor<3x3x2x4xf32> strides = [2, 2] dilations = [1, 1] padding same output_padding = [1, 1]
  predict.layer.conv_transpose @up kernel = dense<0.5> : tensor<3x3x2x4xf32>
      strides = [2, 2] dilations = [1, 1] padding same output_padding = [1, 1]
  // CHECK: predict.layer.conv @c1 kernel = dense<5.000000e-01> : tensor<3x2x4xf32> strides = [1] dilations = [2] padding causal channels_first
  predict.layer.conv @c1 kernel = dense<0.5> : tensor<3x2x4xf32>
      strides = [1] dilations = [2] padding causal channels_first
  predict.method @call(%x: tensor<?x28x28x1xf32>, %t: tensor<?x2x10xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
    // INFER: predict.apply @conv(%{{.*}}) : (tensor<?x28x28x1xf32>) -> tensor<?x28x28x8xf32>
    %y = predict.apply @conv(%x) : (tensor<?x28x28x1xf32>) -> tensor<*xf32>
    // INFER: predict.apply @dw(%{{.*}}) : (tensor<?x28x28x8xf32>) -> tensor<?x13x13x16xf32>
    %z = predict.apply @dw(%y) : (tensor<*xf32>) -> tensor<*xf32>
    // INFER: predict.apply @sep(%{{.*}}) : (tensor<?x13x13x16xf32>) -> tensor<?x13x13x4xf32>
    %s = predict.apply @sep(%z) : (tensor<*xf32>) -> tensor<*xf32>
    // INFER: predict.apply @up(%{{.*}}) : (tensor<?x13x13x4xf32>) -> tensor<?x26x26x2xf32>
    %u = predict.apply @up(%s) : (tensor<*xf32>) -> tensor<*xf32>
    // INFER: predict.apply @c1(%{{.*}}) : (tensor<?x2x10xf32>) -> tensor<?x4x10xf32>
    %c = predict.apply @c1(%t) : (tensor<?x2x10xf32>) -> tensor<*xf32>
    predict.return %u, %c : tensor<*xf32>, tensor<*xf32>
  }
}

// -----

// CHECK-LABEL: func.func @compute
// INFER-LABEL: func.func @compute
func.func @compute(%x: tensor<?x7x6x3xf32>, %k: tensor<3x2x3x5xf32>, %b: tensor<5xf32>,
                   %g: tensor<3x3x1x7xf32>, %t: tensor<3x3x4x3xf32>, %u: tensor<*xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: predict.conv %{{.*}}, %{{.*}}, %{{.*}} strides = [2, 2] dilations = [1, 1] padding same activation relu : (tensor<?x7x6x3xf32>, tensor<3x2x3x5xf32>, tensor<5xf32>) -> tensor<*xf32>
  // INFER: predict.conv {{.*}} -> tensor<?x4x3x5xf32>
  %a = predict.conv %x, %k, %b strides = [2, 2] dilations = [1, 1] padding same activation relu
      : (tensor<?x7x6x3xf32>, tensor<3x2x3x5xf32>, tensor<5xf32>) -> tensor<*xf32>
  // Valid: floor((7 - 2*(3-1) - 1) / 1) + 1 = 3, floor((6 - 2) / 1) + 1 = 5.
  // INFER: predict.conv {{.*}} -> tensor<?x3x5x5xf32>
  %v = predict.conv %x, %k strides = [1, 1] dilations = [2, 1]
      : (tensor<?x7x6x3xf32>, tensor<3x2x3x5xf32>) -> tensor<*xf32>
  // channels_first: 7 channels of 6x3, depthwise (7 groups of one).
  // CHECK: predict.conv %{{.*}}, %{{.*}} strides = [1, 1] dilations = [1, 1] groups = 7 channels_first
  // INFER: predict.conv {{.*}} groups = 7 channels_first : (tensor<?x7x6x3xf32>, tensor<3x3x1x7xf32>) -> tensor<?x7x4x1xf32>
  %g3 = predict.conv %x, %g strides = [1, 1] dilations = [1, 1] groups = 7 channels_first
      : (tensor<?x7x6x3xf32>, tensor<3x3x1x7xf32>) -> tensor<*xf32>
  // CHECK: predict.conv_transpose %{{.*}}, %{{.*}} strides = [2, 3] dilations = [1, 1] : (tensor<?x7x6x3xf32>, tensor<3x3x4x3xf32>) -> tensor<*xf32>
  // INFER: predict.conv_transpose {{.*}} -> tensor<?x15x18x4xf32>
  %tr = predict.conv_transpose %x, %t strides = [2, 3] dilations = [1, 1]
      : (tensor<?x7x6x3xf32>, tensor<3x3x4x3xf32>) -> tensor<*xf32>
  // INFER: predict.conv {{.*}} : (tensor<*xf32>, tensor<3x2x3x5xf32>) -> tensor<*xf32>
  %n = predict.conv %u, %k strides = [1, 1] dilations = [1, 1]
      : (tensor<*xf32>, tensor<3x2x3x5xf32>) -> tensor<*xf32>
  return %a, %v, %g3, %tr, %n : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}
