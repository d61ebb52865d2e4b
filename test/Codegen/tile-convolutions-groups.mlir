// Grouped convolutions and depthwise ones with a depth multiplier reach
// predict-tile-convolutions as convolutions it tiles and vectorizes: one
// linalg.conv_2d_nhwc_hwcf per group (written into the group's filters),
// a depthwise convolution of the input's channels repeated M times; no
// linalg convolution is left as a loop nest. More than 32 groups stay
// linalg's grouped convolution.
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -canonicalize -cse --predict-tile-convolutions | FileCheck %s

// CHECK-LABEL: func.func @grouped
// CHECK-NOT: linalg.conv_2d_nhwgc_gfhwc
// CHECK: vector.contract
// CHECK: tensor.insert_slice
// CHECK: vector.contract
// CHECK: tensor.insert_slice
// CHECK-NOT: linalg.conv
func.func @grouped(%x: tensor<?x8x8x8xf32>, %k: tensor<3x3x4x8xf32>) -> tensor<?x8x8x8xf32> {
  %y = predict.conv %x, %k strides = [1, 1] dilations = [1, 1] padding same groups = 2
      : (tensor<?x8x8x8xf32>, tensor<3x3x4x8xf32>) -> tensor<?x8x8x8xf32>
  return %y : tensor<?x8x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @multiplier
// CHECK: linalg.broadcast
// CHECK-NOT: linalg.depthwise_conv_2d_nhwc_hwcm
// CHECK-NOT: linalg.depthwise_conv_2d_nhwc_hwc
// CHECK: vector.fma
func.func @multiplier(%x: tensor<?x8x8x4xf32>, %k: tensor<3x3x1x8xf32>) -> tensor<?x8x8x8xf32> {
  %y = predict.conv %x, %k strides = [1, 1] dilations = [1, 1] padding same groups = 4
      : (tensor<?x8x8x4xf32>, tensor<3x3x1x8xf32>) -> tensor<?x8x8x8xf32>
  return %y : tensor<?x8x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @many_groups
// CHECK: linalg.conv_2d_nhwgc_gfhwc
func.func @many_groups(%x: tensor<?x4x4x66xf32>, %k: tensor<1x1x2x66xf32>) -> tensor<?x4x4x66xf32> {
  %y = predict.conv %x, %k strides = [1, 1] dilations = [1, 1] groups = 33
      : (tensor<?x4x4x66xf32>, tensor<1x1x2x66xf32>) -> tensor<?x4x4x66xf32>
  return %y : tensor<?x4x4x66xf32>
}
