// RUN: predict-opt %s --predict-to-linalg --predict-elementwise-to-linalg --predict-fuse-elementwise --canonicalize --predict-deduplicate-kernels=before-tiling | FileCheck %s
// RUN: predict-opt %s --predict-to-linalg --predict-codegen | FileCheck %s --check-prefix=TILED

// Before tiling, a Dense layer (fill, matmul, bias and relu) is a kernel:
// the three relu layers 4->4 share @shared_kernel0, each called with its
// kernel and bias; the zero-filled destination (one, after CSE) is made in
// the kernel. The next layer's matmul reading a layer's output starts
// another kernel: the chain is not one. The tanh layer and the 4->2 layer,
// each found once, stay inline.
// CHECK-LABEL: func.func @shared(
// CHECK: %[[H1:.*]] = call @shared_kernel0(%arg0, %[[K1:[a-z_0-9]+]], %{{.*}}, %[[B:[a-z_0-9]+]]) : (tensor<?x4xf32>, tensor<4x4xf32>, index, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[H2:.*]] = call @shared_kernel0(%[[H1]], %[[K2:[a-z_0-9]+]], %{{.*}}, %[[C:[a-z_0-9]+]])
// CHECK: linalg.matmul ins(%[[H2]],
// CHECK: math.tanh
// CHECK: call @shared_kernel0(%{{.*}}, %[[K3:[a-z_0-9]+]], %{{.*}}, %[[C]])
// CHECK-NOT: call
// CHECK: linalg.matmul
// CHECK-NOT: call
// CHECK: return
// CHECK: func.func private @shared_kernel0(%arg0: tensor<?x4xf32>, %arg1: tensor<4x4xf32>, %arg2: index, %arg3: tensor<4xf32>) -> tensor<?x4xf32> attributes {passthrough = ["noinline"]}
// CHECK-NEXT: arith.constant 0.0
// CHECK-NEXT: tensor.empty(%arg2)
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: linalg.matmul ins(%arg0, %arg1
// CHECK-NEXT: linalg.generic
// CHECK: arith.maximumf
// CHECK-NOT: func.func private @shared_kernel1
// Then tiled once: the kernel's tile loops, none in its callers.
// TILED-LABEL: func.func @shared(
// TILED-COUNT-2: call @shared_kernel0(
// TILED: math.tanh
// TILED: call @shared_kernel0(
// TILED-LABEL: func.func private @shared_kernel0(
// TILED: scf.for
// TILED: vector.transfer_read
func.func @shared(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %k1 = predict.constant dense<[[0.5, -0.25, 0.1, 0.2], [0.2, 0.3, -0.4, 0.1], [-0.1, 0.6, 0.2, 0.3], [0.4, 0.1, -0.3, 0.2]]> : tensor<4x4xf32>
  %k2 = predict.constant dense<[[0.1, 0.25, -0.1, 0.2], [-0.2, 0.3, 0.4, 0.1], [0.1, -0.6, 0.2, 0.3], [0.4, 0.2, 0.3, -0.2]]> : tensor<4x4xf32>
  %k3 = predict.constant dense<[[0.3, 0.2, 0.1, -0.2], [0.2, -0.3, 0.4, 0.5], [0.1, 0.6, -0.2, 0.3], [-0.4, 0.1, 0.3, 0.2]]> : tensor<4x4xf32>
  %k4 = predict.constant dense<[[0.3, 0.2], [0.2, -0.3], [0.1, 0.6], [-0.4, 0.1]]> : tensor<4x2xf32>
  %b = predict.constant dense<[0.1, -0.1, 0.05, 0.2]> : tensor<4xf32>
  %c = predict.constant dense<[0.2, 0.1, -0.05, 0.1]> : tensor<4xf32>
  %b2 = predict.constant dense<[0.1, -0.1]> : tensor<2xf32>
  %h1 = predict.dense %x, %k1, %b activation relu : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %h2 = predict.dense %h1, %k2, %c activation relu : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %h3 = predict.dense %h2, %k3, %b activation tanh : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %h4 = predict.dense %h3, %k3, %c activation relu : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %h5 = predict.dense %h4, %k4, %b2 activation relu : (tensor<?x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %h5 : tensor<?x2xf32>
}

// A softmax's chain (its max, exponentials, sum and division, each reading
// the matmul's result or each other) is one kernel with its Dense layer:
// tiling fuses the chain into the matmul's row tiles, in the kernel.
// CHECK-LABEL: func.func @softmax(
// CHECK-COUNT-2: call @softmax_kernel0(
// CHECK-NOT: linalg.
// CHECK: return
// CHECK: func.func private @softmax_kernel0(
// CHECK: linalg.matmul
// CHECK: math.exp
// CHECK: arith.divf
// CHECK-NOT: func.func private @softmax_kernel1
func.func @softmax(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %k1 = predict.constant dense<[[0.5, -0.25, 0.1, 0.2], [0.2, 0.3, -0.4, 0.1], [-0.1, 0.6, 0.2, 0.3], [0.4, 0.1, -0.3, 0.2]]> : tensor<4x4xf32>
  %k2 = predict.constant dense<[[0.1, 0.25, -0.1, 0.2], [-0.2, 0.3, 0.4, 0.1], [0.1, -0.6, 0.2, 0.3], [0.4, 0.2, 0.3, -0.2]]> : tensor<4x4xf32>
  %b = predict.constant dense<[0.1, -0.1, 0.05, 0.2]> : tensor<4xf32>
  %h1 = predict.dense %x, %k1, %b activation softmax : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %h2 = predict.dense %h1, %k2, %b activation softmax : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %h2 : tensor<?x4xf32>
}

// The call replacing a kernel is placed at its last op: a kernel whose
// result another op reads before that (here the matmul's corner, read
// between the matmul and its epilogue) is not shared, in either layer.
// CHECK-LABEL: func.func @read_between(
// CHECK-NOT: call
// CHECK: return
func.func @read_between(%x: tensor<?x4xf32>, %k1: tensor<4x4xf32>, %k2: tensor<4x4xf32>, %b: tensor<4xf32>, %n: index) -> (tensor<?x4xf32>, f32, f32) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m1 = linalg.matmul ins(%x, %k1 : tensor<?x4xf32>, tensor<4x4xf32>) outs(%f : tensor<?x4xf32>) -> tensor<?x4xf32>
  %r1 = tensor.extract %m1[%c0, %c0] : tensor<?x4xf32>
  %h1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m1, %b : tensor<?x4xf32>, tensor<4xf32>) outs(%e : tensor<?x4xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  %m2 = linalg.matmul ins(%h1, %k2 : tensor<?x4xf32>, tensor<4x4xf32>) outs(%f : tensor<?x4xf32>) -> tensor<?x4xf32>
  %r2 = tensor.extract %m2[%c0, %c0] : tensor<?x4xf32>
  %h2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m2, %b : tensor<?x4xf32>, tensor<4xf32>) outs(%e : tensor<?x4xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x4xf32>
  return %h2, %r1, %r2 : tensor<?x4xf32>, f32, f32
}
