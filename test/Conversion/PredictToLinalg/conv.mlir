// convert-predict-to-linalg on predict.conv and predict.conv_transpose:
// channels-last tensors, tensor.pad for the padding, a 1-D convolution as a
// 2-D one of height 1; one group as linalg.conv_2d_nhwc_hwcf (a 1x1 kernel
// of stride 1 as a linalg.matmul of the pixels, its bias on the product's
// rows), depthwise ones as linalg.depthwise_conv_2d_nhwc_hwc (a multiplier
// on the input's repeated channels), grouped ones one convolution per group.
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -canonicalize -cse | FileCheck %s

// -----

// Conv2D, padding same with strides 2 on 7x6 (kernel 3x2): TF's split puts
// the odd pad at the end (rows 1 + 1, columns 0 + 0); one group is
// linalg.conv_2d_nhwc_hwcf into zeros, then bias and relu in one
// elementwise generic.
// CHECK-LABEL: func.func @conv2d
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 1, 0, 0] high[0, 1, 0, 0]
// CHECK: } : tensor<?x7x6x3xf32> to tensor<?x9x6x3xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<?x4x3x5xf32>)
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %arg1 : tensor<?x9x6x3xf32>, tensor<3x2x3x5xf32>) outs(%[[ACC]] : tensor<?x4x3x5xf32>)
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
// depth multiplier of 2: the (padded) input's channels repeated twice by a
// linalg.broadcast (channel c*M + m is input channel c), then
// linalg.depthwise_conv_2d_nhwc_hwc on the kernel as kh x kw x C*M, which
// predict-tile-convolutions tiles (linalg's _hwcm it does not).
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[K:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1], [2, 3]] : tensor<3x3x1x8xf32> into tensor<3x3x8xf32>
// CHECK: %[[B:.*]] = linalg.broadcast ins(%[[P]] : tensor<2x8x8x4xf32>) outs(%{{.*}} : tensor<2x8x8x4x2xf32>) dimensions = [4]
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[B]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<2x8x8x4x2xf32> into tensor<2x8x8x8xf32>
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[X]], %[[K]] : tensor<2x8x8x8xf32>, tensor<3x3x8xf32>) {{.*}} -> tensor<2x6x6x8xf32>
// CHECK-NOT: hwcm
func.func @depthwise(%x: tensor<2x6x6x4xf32>, %k: tensor<3x3x1x8xf32>) -> tensor<2x6x6x8xf32> {
  %y = predict.conv %x, %k strides = [1, 1] dilations = [1, 1] padding same groups = 4
      : (tensor<2x6x6x4xf32>, tensor<3x3x1x8xf32>) -> tensor<2x6x6x8xf32>
  return %y : tensor<2x6x6x8xf32>
}

// -----

// groups = 2: input channels and filters split into groups in Keras's order,
// each group a linalg.conv_2d_nhwc_hwcf of its channels and filters,
// inserted into its filters of the output (each tiled as an ungrouped one).
// CHECK-LABEL: func.func @grouped
// CHECK: %[[X0:.*]] = tensor.extract_slice %arg0[0, 0, 0, 0] [2, 6, 6, 2] [1, 1, 1, 1]
// CHECK: %[[K0:.*]] = tensor.extract_slice %arg1[0, 0, 0, 0] [3, 3, 2, 3] [1, 1, 1, 1]
// CHECK: %[[G0:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[X0]], %[[K0]] : tensor<2x6x6x2xf32>, tensor<3x3x2x3xf32>)
// CHECK: %[[O0:.*]] = tensor.insert_slice %[[G0]] into %{{.*}}[0, 0, 0, 0] [2, 4, 4, 3] [1, 1, 1, 1]
// CHECK: %[[X1:.*]] = tensor.extract_slice %arg0[0, 0, 0, 2] [2, 6, 6, 2] [1, 1, 1, 1]
// CHECK: %[[K1:.*]] = tensor.extract_slice %arg1[0, 0, 0, 3] [3, 3, 2, 3] [1, 1, 1, 1]
// CHECK: %[[G1:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[X1]], %[[K1]] : tensor<2x6x6x2xf32>, tensor<3x3x2x3xf32>)
// CHECK: tensor.insert_slice %[[G1]] into %[[O0]][0, 0, 0, 3] [2, 4, 4, 3] [1, 1, 1, 1]
// CHECK-NOT: nhwgc
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
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} {{.*}} -> tensor<?x1x9x4xf32>
// CHECK: tensor.collapse_shape {{.*}} into tensor<?x9x4xf32>
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
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[P]], %[[F]] : tensor<?x10x10x3xf32>, tensor<3x3x3x2xf32>) {{.*}} -> tensor<?x8x8x2xf32>
func.func @transpose(%x: tensor<?x4x4x3xf32>, %k: tensor<3x3x2x3xf32>) -> tensor<?x8x8x2xf32> {
  %y = predict.conv_transpose %x, %k strides = [2, 2] dilations = [1, 1] padding same
      : (tensor<?x4x4x3xf32>, tensor<3x3x2x3xf32>) -> tensor<?x8x8x2xf32>
  return %y : tensor<?x8x8x2xf32>
}

// -----

// Conv2D 1x1, stride 1: a matrix product of the pixels (N*4*4 rows of 3)
// with the kernel as 3 x 5, its bias and relu on the product's rows (the
// contraction's epilogue), then the reshape to N x 4 x 4 x 5.
// CHECK-LABEL: func.func @pointwise
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2], [3]] : tensor<?x4x4x3xf32> into tensor<?x3xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[ROWS]], %{{.*}} : tensor<?x3xf32>, tensor<3x5xf32>)
// CHECK: %[[E:.*]] = linalg.generic {{.*}} ins(%[[MM]], %arg2 : tensor<?x5xf32>, tensor<5xf32>)
// CHECK: arith.maximumf
// CHECK: tensor.expand_shape %[[E]] {{\[\[}}0, 1, 2], [3]] {{.*}} : tensor<?x5xf32> into tensor<?x4x4x5xf32>
func.func @pointwise(%x: tensor<?x4x4x3xf32>, %k: tensor<1x1x3x5xf32>, %b: tensor<5xf32>) -> tensor<?x4x4x5xf32> {
  %y = predict.conv %x, %k, %b strides = [1, 1] dilations = [1, 1] padding valid activation relu
      : (tensor<?x4x4x3xf32>, tensor<1x1x3x5xf32>, tensor<5xf32>) -> tensor<?x4x4x5xf32>
  return %y : tensor<?x4x4x5xf32>
}
