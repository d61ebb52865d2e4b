// predict-tile-convolutions: a 2-D convolution with its bias and activation
// becomes tiles of one output row x columns x filters, the kernel rows and
// input channels as loops, each step upstream's vectorized 1-D convolution
// (outer products); max pooling the same way; the padding of a depthwise
// convolution a fill and a linalg.copy; a convolution with dynamic spatial
// sizes stays as it is.
// RUN: predict-opt %s --predict-tile-convolutions | FileCheck %s

// 11 output columns: tiles of 6 and 5 (balanced, each static); 40 filters:
// tiles of 8 (the largest of 32, 16, 8 that divides 40).
// CHECK-LABEL: func.func @conv
// CHECK-NOT: linalg.conv
// CHECK: scf.for {{.*}} to %{{.*}} step %c1 iter_args
// CHECK: scf.for {{.*}} = %c0 to %c8 step %c1 iter_args
// CHECK: scf.for {{.*}} = %c0 to %c40 step %c8 iter_args
// CHECK: scf.for {{.*}} = %c0 to %c3 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<1x6x8xf32>)
// CHECK: scf.for {{.*}} = %c0 to %c3 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<1x6x8xf32>)
// CHECK-COUNT-3: vector.contract {{.*}} : vector<1x6x1xf32>, vector<1x8xf32> into vector<1x6x8xf32>
// CHECK: arith.addf {{.*}} : vector<1x1x6x8xf32>
// CHECK: arith.maximumf {{.*}} : vector<1x1x6x8xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x1x6x8xf32>, tensor<?x8x11x40xf32>
// CHECK: scf.for {{.*}} = %c0 to %c40 step %c8 iter_args
// CHECK-COUNT-3: vector.contract {{.*}} : vector<1x5x1xf32>, vector<1x8xf32> into vector<1x5x8xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x1x5x8xf32>, tensor<?x8x11x40xf32>
// CHECK: } {predict.parallel_flops = 23760 : i64}
// CHECK-NOT: linalg.generic
func.func @conv(%x: tensor<?x10x13x3xf32>, %w: tensor<3x3x3x40xf32>, %b: tensor<40xf32>) -> tensor<?x8x11x40xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x10x13x3xf32>
  %e = tensor.empty(%n) : tensor<?x8x11x40xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<?x8x11x40xf32>) -> tensor<?x8x11x40xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<?x10x13x3xf32>, tensor<3x3x3x40xf32>) outs(%acc : tensor<?x8x11x40xf32>) -> tensor<?x8x11x40xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %b : tensor<?x8x11x40xf32>, tensor<40xf32>) outs(%e : tensor<?x8x11x40xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<?x8x11x40xf32>
  return %r : tensor<?x8x11x40xf32>
}


// CHECK-LABEL: func.func @depthwise
// CHECK: %[[FILL:.*]] = linalg.fill
// CHECK: %[[IN:.*]] = tensor.extract_slice %[[FILL]][0, 1, 1, 0] [2, 6, 9, 16]
// CHECK: %[[COPY:.*]] = linalg.copy ins(%arg0 : tensor<2x6x9x16xf32>) outs(%[[IN]]
// CHECK: %[[PADDED:.*]] = tensor.insert_slice %[[COPY]] into %[[FILL]][0, 1, 1, 0] [2, 6, 9, 16]
// CHECK-NOT: linalg.depthwise
// CHECK: vector.transfer_read %[[PADDED]]{{.*}} : tensor<2x8x11x16xf32>, vector<1x7x16xf32>
// CHECK-COUNT-3: vector.fma {{.*}} : vector<1x5x16xf32>
// CHECK: vector.transfer_read %[[PADDED]]{{.*}} : tensor<2x8x11x16xf32>, vector<1x6x16xf32>
// CHECK-COUNT-3: vector.fma {{.*}} : vector<1x4x16xf32>
func.func @depthwise(%x: tensor<2x6x9x16xf32>, %w: tensor<3x3x16xf32>) -> tensor<2x6x9x16xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<2x6x9x16xf32> to tensor<2x8x11x16xf32>
  %e = tensor.empty() : tensor<2x6x9x16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<2x6x9x16xf32>) -> tensor<2x6x9x16xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<2x8x11x16xf32>, tensor<3x3x16xf32>) outs(%acc : tensor<2x6x9x16xf32>) -> tensor<2x6x9x16xf32>
  return %y : tensor<2x6x9x16xf32>
}

// CHECK-LABEL: func.func @dynamic
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @dynamic(%x: tensor<?x?x?x3xf32>, %w: tensor<3x3x3x4xf32>, %acc: tensor<?x?x?x4xf32>) -> tensor<?x?x?x4xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<?x?x?x3xf32>, tensor<3x3x3x4xf32>) outs(%acc : tensor<?x?x?x4xf32>) -> tensor<?x?x?x4xf32>
  return %y : tensor<?x?x?x4xf32>
}

// Max pooling 2x2, strides 2: tiles of one output row of 4 columns x 16
// channels, -inf in registers, the window rows a loop, each a 1-D pooling
// vectorized as maxima of channel vectors.
// CHECK-LABEL: func.func @maxpool
// CHECK-NOT: linalg.pooling
// CHECK: scf.for {{.*}} = %c0 to %c2 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<1x4x16xf32>)
// CHECK: vector.transfer_read %arg0{{.*}} : tensor<?x6x9x16xf32>, vector<1x8x16xf32>
// CHECK-COUNT-8: arith.maximumf {{.*}} : vector<1x1x16xf32>
// CHECK: } {predict.parallel_flops = 512 : i64}
func.func @maxpool(%x: tensor<?x6x9x16xf32>) -> tensor<?x3x4x16xf32> {
  %c0 = arith.constant 0 : index
  %ninf = arith.constant 0xFF800000 : f32
  %n = tensor.dim %x, %c0 : tensor<?x6x9x16xf32>
  %e = tensor.empty(%n) : tensor<?x3x4x16xf32>
  %acc = linalg.fill ins(%ninf : f32) outs(%e : tensor<?x3x4x16xf32>) -> tensor<?x3x4x16xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %y = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %win : tensor<?x6x9x16xf32>, tensor<2x2xf32>) outs(%acc : tensor<?x3x4x16xf32>) -> tensor<?x3x4x16xf32>
  return %y : tensor<?x3x4x16xf32>
}
