// convert-predict-to-linalg on predict.conv and predict.conv_transpose:
// channels-last tensors, tensor.pad for the padding, a 1-D convolution as a
// 2-D one of height 1; one group as a linalg.matmul of the patches (im2col),
// depthwise and grouped ones as linalg's named convolutions.
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -canonicalize -cse | FileCheck %s

// -----

// Conv2D, padding same with strides 2 on 7x6 (kernel 3x2): TF's split puts
// the odd pad at the end (rows 1 + 1, columns 0 + 0); one group is a matrix
// product of the patches (im2col: N*4*3 rows of 3*2*3) with the kernel as
// 18 x 5, then bias and relu in one elementwise generic.
// CHECK-DAG: #[[$PATCH:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3, d2 * 2 + d4, d5)>
// CHECK-LABEL: func.func @conv2d
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 1, 0, 0] high[0, 1, 0, 0]
// CHECK: } : tensor<?x7x6x3xf32> to tensor<?x9x6x3xf32>
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[$PATCH]], #{{.*}}]{{.*}} ins(%[[PAD]] : tensor<?x9x6x3xf32>) outs(%{{.*}} : tensor<?x4x3x3x2x3xf32>)
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[P]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<?x4x3x3x2x3xf32> into tensor<?x18xf32>
// CHECK: %[[K:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1, 2], [3]] : tensor<3x2x3x5xf32> into tensor<18x5xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<?x5xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[ROWS]], %[[K]] : tensor<?x18xf32>, tensor<18x5xf32>) outs(%[[ACC]] : tensor<?x5xf32>)
// CHECK: %[[CONV:.*]] = tensor.expand_shape %[[MM]] {{\[\[}}0, 1, 2], [3]] output_shape [%{{.*}}, 4, 3, 5]
// CHECK: linalg.generic {{.*}} ins(%[[CONV]], %arg2 : tensor<?x4x3x5xf32>, tensor<5xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
func.func @conv2d(%x: tensor<?x7x6x3xf32>, %k: tensor<3x2x3x5xf32>, %b: tensor<5xf32>) -> tensor<?x4x3x5xf32> {
  %y = predict.conv %x, %k, %b strides = [2, 2] dilations = [1, 1] padding same activation relu
      : (tensor<?x7x6x3xf32>, tensor<3x2x3x5xf32>, tensor<5xf32>) -> tensor<?x4x3x5xf32>
  return %y : tensor<?x4x3x5xf32>
}

// -----

// DepthwiseConv2D (groups = channels, one input channel each) with a
// depth multiplier of 2: linalg.depthwise_conv_2d_nhwc_hwcm on the kernel
// as kh x kw x C x M, its C x M output collapsed to channels c*M + m.
// CHECK-LABEL: func.func @depthwise
// CHECK: tensor.pad %arg0 low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [3, 3, 4, 2] : tensor<3x3x8xf32> into tensor<3x3x4x2xf32>
// CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwcm {{.*}} -> tensor<2x6x6x4x2xf32>
// CHECK: tensor.collapse_shape %[[DW]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<2x6x6x4x2xf32> into tensor<2x6x6x8xf32>
func.func @depthwise(%x: tensor<2x6x6x4xf32>, %k: tensor<3x3x1x8xf32>) -> tensor<2x6x6x8xf32> {
  %y = predict.conv %x, %k strides = [1, 1] dilations = [1, 1] padding same groups = 4
      : (tensor<2x6x6x4xf32>, tensor<3x3x1x8xf32>) -> tensor<2x6x6x8xf32>
  return %y : tensor<2x6x6x8xf32>
}

// -----

// groups = 2: input channels and filters split into groups in Keras's order,
// linalg.conv_2d_nhwgc_gfhwc with the kernel as G x F/G x kh x kw x C/G.
// CHECK-LABEL: func.func @grouped
// CHECK: %[[IN:.*]] = tensor.expand_shape %arg0 {{.*}} : tensor<2x6x6x4xf32> into tensor<2x6x6x2x2xf32>
// CHECK: %[[K:.*]] = tensor.expand_shape %arg1 {{.*}} : tensor<3x3x2x6xf32> into tensor<3x3x2x2x3xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<3x3x2x2x3xf32>) outs(%{{.*}} : tensor<2x3x3x3x2xf32>) permutation = [3, 4, 0, 1, 2]
// CHECK: %[[G:.*]] = linalg.conv_2d_nhwgc_gfhwc {{.*}} ins(%[[IN]], %[[KT]] : tensor<2x6x6x2x2xf32>, tensor<2x3x3x3x2xf32>)
// CHECK: tensor.collapse_shape %[[G]] {{.*}} : tensor<2x4x4x2x3xf32> into tensor<2x4x4x6xf32>
func.func @grouped(%x: tensor<2x6x6x4xf32>, %k: tensor<3x3x2x6xf32>) -> tensor<2x4x4x6xf32> {
  %y = predict.conv %x, %k strides = [1, 1] dilations = [1, 1] groups = 2
      : (tensor<2x6x6x4xf32>, tensor<3x3x2x6xf32>) -> tensor<2x4x4x6xf32>
  return %y : tensor<2x4x4x6xf32>
}

// -----

// Conv1D, channels_first, causal with dilation 2: transposed to channels
// last, a row of height 1, dilation*(k-1) = 4 zeros before, and back.
// CHECK-LABEL: func.func @conv1d_cf
// CHECK: linalg.transpose ins(%arg0 : tensor<?x2x9xf32>) outs(%{{.*}} : tensor<?x9x2xf32>) permutation = [0, 2, 1]
// CHECK: tensor.expand_shape {{.*}} : tensor<?x9x2xf32> into tensor<?x1x9x2xf32>
// CHECK: tensor.pad %{{.*}} low[0, 0, 4, 0] high[0, 0, 0, 0]
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<?x1x9x1x3x2xf32>)
// CHECK: tensor.collapse_shape %arg1 {{.*}} : tensor<3x2x4xf32> into tensor<6x4xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<?x4xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<?x9x4xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<?x9x4xf32>) outs(%{{.*}} : tensor<?x4x9xf32>) permutation = [0, 2, 1]
func.func @conv1d_cf(%x: tensor<?x2x9xf32>, %k: tensor<3x2x4xf32>) -> tensor<?x4x9xf32> {
  %y = predict.conv %x, %k strides = [1] dilations = [2] padding causal channels_first
      : (tensor<?x2x9xf32>, tensor<3x2x4xf32>) -> tensor<?x4x9xf32>
  return %y : tensor<?x4x9xf32>
}

// -----

// Conv2DTranspose, strides 2, same: the input spread out by the strides
// (zeros between), padded by (k-1) - p = 2 before and 1 after, convolved
// with the kernel flipped and its channel axes swapped.
// CHECK-DAG: #[[$FLIP:.*]] = affine_map<(d0, d1, d2, d3) -> (-d0 + 2, -d1 + 2, d3, d2)>
// CHECK-LABEL: func.func @transpose
// CHECK: %[[Z:.*]] = linalg.fill {{.*}} -> tensor<?x7x7x3xf32>
// CHECK: %[[S:.*]] = tensor.insert_slice %arg0 into %[[Z]][0, 0, 0, 0] [%{{.*}}, 4, 4, 3] [1, 2, 2, 1]
// CHECK: %[[P:.*]] = tensor.pad %[[S]] low[0, 2, 2, 0] high[0, 1, 1, 0]
// CHECK: %[[F:.*]] = linalg.generic {indexing_maps = [#[[$FLIP]], #{{.*}}]{{.*}} ins(%arg1 : tensor<3x3x2x3xf32>) outs(%{{.*}} : tensor<3x3x3x2xf32>)
// CHECK: %[[PATCHES:.*]] = linalg.generic {{.*}} ins(%[[P]] : tensor<?x10x10x3xf32>) outs(%{{.*}} : tensor<?x8x8x3x3x3xf32>)
// CHECK: %[[FK:.*]] = tensor.collapse_shape %[[F]] {{.*}} : tensor<3x3x3x2xf32> into tensor<27x2xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[FK]] : tensor<?x27xf32>, tensor<27x2xf32>)
func.func @transpose(%x: tensor<?x4x4x3xf32>, %k: tensor<3x3x2x3xf32>) -> tensor<?x8x8x2xf32> {
  %y = predict.conv_transpose %x, %k strides = [2, 2] dilations = [1, 1] padding same
      : (tensor<?x4x4x3xf32>, tensor<3x3x2x3xf32>) -> tensor<?x8x8x2xf32>
  return %y : tensor<?x8x8x2xf32>
}
