// The run after tiling, on its own (in the pipelines, the run before tiling
// shares these layers first: deduplicate-before-tiling.mlir).
// RUN: predict-opt %s --predict-to-linalg --predict-elementwise-to-linalg --predict-fuse-elementwise --canonicalize --predict-tile-and-vectorize --predict-deduplicate-kernels | FileCheck %s

// Dense layers of the same sizes and activation share one kernel, whose
// weights are operands: three relu layers 4->4 with three kernels (two
// biases) call @shared_kernel0; the tanh layer and the 4->2 layer, each
// found once, stay inline.
// CHECK-LABEL: func.func @shared(
// CHECK: call @shared_kernel0(%arg0, %[[K1:[a-z_0-9]+]], %[[B:[a-z_0-9]+]], %{{.*}}, %{{.*}}) : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>, index, index) -> tensor<?x4xf32>
// CHECK: call @shared_kernel0(%{{.*}}, %[[K2:[a-z_0-9]+]], %[[C:[a-z_0-9]+]], %{{.*}}, %{{.*}})
// CHECK: math.tanh
// CHECK: call @shared_kernel0(%{{.*}}, %[[K3:[a-z_0-9]+]], %[[C]], %{{.*}}, %{{.*}})
// CHECK-NOT: call
// CHECK: arith.maximumf {{.*}} : vector<8x2xf32>
// CHECK-NOT: call
// CHECK: return
// CHECK-NEXT: }
// CHECK: func.func private @shared_kernel0(%arg0: tensor<?x4xf32>, %arg1: tensor<4x4xf32>, %arg2: tensor<4xf32>, %arg3: index, %arg4: index) -> tensor<?x4xf32> attributes {passthrough = ["noinline"]}
// CHECK-NOT: dense<[
// CHECK: tensor.empty
// CHECK: arith.maximumf
// CHECK-NOT: func.func private @shared_kernel1
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

// A splat kernel is code, not weights: the two layers of 0.5 share a
// kernel that makes its splat inside; the layer of 0.25 stays inline.
// CHECK-LABEL: func.func @splats(
// CHECK: call @splats_kernel0(%arg0, %{{.*}}, %{{.*}}, %{{.*}}) : (tensor<?x4xf32>, tensor<4xf32>, index, index) -> tensor<?x4xf32>
// CHECK: vector.transfer_read %cst_3
// CHECK: call @splats_kernel0(
// CHECK: func.func private @splats_kernel0(
// CHECK-NOT: func.func
// CHECK: arith.constant dense<5.000000e-01> : tensor<4x4xf32>
func.func @splats(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %h = predict.constant dense<0.5> : tensor<4x4xf32>
  %q = predict.constant dense<0.25> : tensor<4x4xf32>
  %b = predict.constant dense<[0.1, -0.1, 0.05, 0.2]> : tensor<4xf32>
  %h1 = predict.dense %x, %h, %b activation relu : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %h2 = predict.dense %h1, %q, %b activation relu : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %h3 = predict.dense %h2, %h, %b activation relu : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %h3 : tensor<?x4xf32>
}

// Two identical loops share a kernel; with a run-time check in them they
// do not: the check's message names its line, from its location, which
// the comparison of kernels ignores.
// CHECK-LABEL: func.func @checked(
// CHECK-NOT: call
// CHECK: cf.assert
// CHECK: cf.assert
// CHECK-NOT: call
// CHECK: return
// CHECK-LABEL: func.func @unchecked(
// CHECK: call @unchecked_kernel0(%arg2, %arg0) : (index, tensor<?xf32>) -> tensor<?xf32>
// CHECK-NEXT: call @unchecked_kernel0(%arg2, %arg1)
func.func @checked(%t: tensor<?xf32>, %u: tensor<?xf32>, %n: index) -> (tensor<?xf32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c9 = arith.constant 9 : index
  %a = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %t) -> (tensor<?xf32>) {
    %ok = arith.cmpi ult, %i, %c9 : index
    cf.assert %ok, "index out of range"
    %v = tensor.extract %acc[%i] : tensor<?xf32>
    %w1 = arith.mulf %v, %v : f32
    %w2 = arith.addf %w1, %v : f32
    %w3 = arith.mulf %w2, %w1 : f32
    %w4 = arith.subf %w3, %v : f32
    %w5 = arith.addf %w4, %w2 : f32
    %w6 = arith.mulf %w5, %w3 : f32
    %w7 = arith.subf %w6, %w4 : f32
    %w8 = arith.addf %w7, %w5 : f32
    %w9 = arith.mulf %w8, %w6 : f32
    %w10 = arith.addf %w9, %w7 : f32
    %w11 = arith.mulf %w10, %w8 : f32
    %w12 = arith.subf %w11, %w9 : f32
    %r = tensor.insert %w12 into %acc[%i] : tensor<?xf32>
    scf.yield %r : tensor<?xf32>
  }
  %b = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %u) -> (tensor<?xf32>) {
    %ok = arith.cmpi ult, %i, %c9 : index
    cf.assert %ok, "index out of range"
    %v = tensor.extract %acc[%i] : tensor<?xf32>
    %w1 = arith.mulf %v, %v : f32
    %w2 = arith.addf %w1, %v : f32
    %w3 = arith.mulf %w2, %w1 : f32
    %w4 = arith.subf %w3, %v : f32
    %w5 = arith.addf %w4, %w2 : f32
    %w6 = arith.mulf %w5, %w3 : f32
    %w7 = arith.subf %w6, %w4 : f32
    %w8 = arith.addf %w7, %w5 : f32
    %w9 = arith.mulf %w8, %w6 : f32
    %w10 = arith.addf %w9, %w7 : f32
    %w11 = arith.mulf %w10, %w8 : f32
    %w12 = arith.subf %w11, %w9 : f32
    %r = tensor.insert %w12 into %acc[%i] : tensor<?xf32>
    scf.yield %r : tensor<?xf32>
  }
  return %a, %b : tensor<?xf32>, tensor<?xf32>
}
func.func @unchecked(%t: tensor<?xf32>, %u: tensor<?xf32>, %n: index) -> (tensor<?xf32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c9 = arith.constant 9 : index
  %a = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %t) -> (tensor<?xf32>) {
    %v = tensor.extract %acc[%i] : tensor<?xf32>
    %w1 = arith.mulf %v, %v : f32
    %w2 = arith.addf %w1, %v : f32
    %w3 = arith.mulf %w2, %w1 : f32
    %w4 = arith.subf %w3, %v : f32
    %w5 = arith.addf %w4, %w2 : f32
    %w6 = arith.mulf %w5, %w3 : f32
    %w7 = arith.subf %w6, %w4 : f32
    %w8 = arith.addf %w7, %w5 : f32
    %w9 = arith.mulf %w8, %w6 : f32
    %w10 = arith.addf %w9, %w7 : f32
    %w11 = arith.mulf %w10, %w8 : f32
    %w12 = arith.subf %w11, %w9 : f32
    %r = tensor.insert %w12 into %acc[%i] : tensor<?xf32>
    scf.yield %r : tensor<?xf32>
  }
  %b = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %u) -> (tensor<?xf32>) {
    %v = tensor.extract %acc[%i] : tensor<?xf32>
    %w1 = arith.mulf %v, %v : f32
    %w2 = arith.addf %w1, %v : f32
    %w3 = arith.mulf %w2, %w1 : f32
    %w4 = arith.subf %w3, %v : f32
    %w5 = arith.addf %w4, %w2 : f32
    %w6 = arith.mulf %w5, %w3 : f32
    %w7 = arith.subf %w6, %w4 : f32
    %w8 = arith.addf %w7, %w5 : f32
    %w9 = arith.mulf %w8, %w6 : f32
    %w10 = arith.addf %w9, %w7 : f32
    %w11 = arith.mulf %w10, %w8 : f32
    %w12 = arith.subf %w11, %w9 : f32
    %r = tensor.insert %w12 into %acc[%i] : tensor<?xf32>
    scf.yield %r : tensor<?xf32>
  }
  return %a, %b : tensor<?xf32>, tensor<?xf32>
}

// A static batch of two full tiles: one loop per layer, each reading the
// one before as its input, not as its destination: one kernel per layer,
// shared (not the whole chain as one group).
// CHECK-LABEL: func.func @static(
// CHECK-COUNT-3: call @static_kernel0(
// CHECK-NOT: call
// CHECK: func.func private @static_kernel0(%arg0: tensor<16x4xf32>, %arg1: tensor<4x4xf32>, %arg2: tensor<4xf32>) -> tensor<16x4xf32>
func.func @static(%x: tensor<16x4xf32>) -> tensor<16x4xf32> {
  %k1 = predict.constant dense<[[0.5, -0.25, 0.1, 0.2], [0.2, 0.3, -0.4, 0.1], [-0.1, 0.6, 0.2, 0.3], [0.4, 0.1, -0.3, 0.2]]> : tensor<4x4xf32>
  %k2 = predict.constant dense<[[0.1, 0.25, -0.1, 0.2], [-0.2, 0.3, 0.4, 0.1], [0.1, -0.6, 0.2, 0.3], [0.4, 0.2, 0.3, -0.2]]> : tensor<4x4xf32>
  %b = predict.constant dense<[0.1, -0.1, 0.05, 0.2]> : tensor<4xf32>
  %h1 = predict.dense %x, %k1, %b activation relu : (tensor<16x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<16x4xf32>
  %h2 = predict.dense %h1, %k2, %b activation relu : (tensor<16x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<16x4xf32>
  %h3 = predict.dense %h2, %k1, %b activation relu : (tensor<16x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<16x4xf32>
  return %h3 : tensor<16x4xf32>
}
