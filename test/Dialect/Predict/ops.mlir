// Every predict op parses, verifies and prints back to the same text, in the
// custom form and through the generic form.
// RUN: predict-opt %s | predict-opt | FileCheck %s
// RUN: predict-opt %s --mlir-print-op-generic | predict-opt | FileCheck %s
// RUN: predict-opt %s --emit-bytecode | predict-opt | FileCheck %s

// CHECK-LABEL: predict.model @model class "SimpleModel" {
predict.model @model class "SimpleModel" {
  // CHECK-NEXT: predict.layer.dense @dense1 kernel = dense<5.000000e-01> : tensor<100x64xf32> bias = dense<0.000000e+00> : tensor<64xf32> activation relu
  predict.layer.dense @dense1 kernel = dense<0.5> : tensor<100x64xf32>
      bias = dense<0.0> : tensor<64xf32> activation relu
  // CHECK-NEXT: predict.layer.dense @dense2 kernel = dense<2.500000e-01> : tensor<64x10xf32> activation softmax
  predict.layer.dense @dense2 kernel = dense<0.25> : tensor<64x10xf32>
      activation softmax
  // Large weights live in resource blobs rather than inline.
  // CHECK-NEXT: predict.layer.dense @from_blob kernel = dense_resource<small_kernel> : tensor<2x2xf32>{{$}}
  predict.layer.dense @from_blob kernel = dense_resource<small_kernel> : tensor<2x2xf32>
  // CHECK-NEXT: predict.layer.dense @linear kernel = dense<1.000000e+00> : tensor<10x10xf32>{{$}}
  predict.layer.dense @linear kernel = dense<1.0> : tensor<10x10xf32> activation linear
  // CHECK-NEXT: predict.layer.batch_norm @bn mean = dense<0.000000e+00> : tensor<64xf32> variance = dense<1.000000e+00> : tensor<64xf32> gamma = dense<2.000000e+00> : tensor<64xf32> beta = dense<1.000000e+00> : tensor<64xf32> epsilon = 1.000000e-03 axis = -1
  predict.layer.batch_norm @bn mean = dense<0.0> : tensor<64xf32>
      variance = dense<1.0> : tensor<64xf32> gamma = dense<2.0> : tensor<64xf32>
      beta = dense<1.0> : tensor<64xf32> epsilon = 1.0e-3 axis = -1
  // CHECK-NEXT: predict.layer.batch_norm @bn_plain mean = dense<0.000000e+00> : tensor<64xf32> variance = dense<1.000000e+00> : tensor<64xf32> epsilon = 1.000000e-05 axis = 1
  predict.layer.batch_norm @bn_plain mean = dense<0.0> : tensor<64xf32>
      variance = dense<1.0> : tensor<64xf32> epsilon = 1.0e-5 axis = 1
  // CHECK-NEXT: predict.layer.normalization @norm mean = dense<5.000000e-01> : tensor<1x100xf32> variance = dense<2.000000e+00> : tensor<1x100xf32>{{$}}
  predict.layer.normalization @norm mean = dense<0.5> : tensor<1x100xf32>
      variance = dense<2.0> : tensor<1x100xf32>
  // CHECK-NEXT: predict.layer.normalization @norm_eps mean = dense<5.000000e-01> : tensor<100xf32> variance = dense<2.000000e+00> : tensor<100xf32> epsilon = 1.000000e-03
  predict.layer.normalization @norm_eps mean = dense<0.5> : tensor<100xf32>
      variance = dense<2.0> : tensor<100xf32> epsilon = 1.0e-3

  // CHECK: predict.model @encoder class "Encoder" {
  predict.model @encoder class "Encoder" {
    predict.layer.dense @proj kernel = dense<0.1> : tensor<100x64xf32>
    // CHECK: predict.method @call(%{{.*}}: tensor<?x100xf32>) -> tensor<?x64xf32>
    predict.method @call(%x: tensor<?x100xf32>) -> tensor<?x64xf32> {
      %y = predict.apply @proj(%x) : (tensor<?x100xf32>) -> tensor<?x64xf32>
      predict.return %y : tensor<?x64xf32>
    }
  }

  // CHECK: predict.method @call(%[[X:.*]]: tensor<?x100xf32>) -> tensor<?x10xf32> {
  predict.method @call(%x: tensor<?x100xf32>) -> tensor<?x10xf32> {
    // CHECK-NEXT: %[[N:.*]] = predict.apply @norm(%[[X]]) : (tensor<?x100xf32>) -> tensor<?x100xf32>
    %n = predict.apply @norm(%x) : (tensor<?x100xf32>) -> tensor<?x100xf32>
    // CHECK-NEXT: %[[E:.*]] = predict.model_call @encoder(%[[N]]) : (tensor<?x100xf32>) -> tensor<?x64xf32>
    %e = predict.model_call @encoder(%n) : (tensor<?x100xf32>) -> tensor<?x64xf32>
    // CHECK-NEXT: %[[B:.*]] = predict.apply @bn(%[[E]]) : (tensor<?x64xf32>) -> tensor<?x64xf32>
    %b = predict.apply @bn(%e) : (tensor<?x64xf32>) -> tensor<?x64xf32>
    // CHECK-NEXT: %[[H:.*]] = predict.method_call @head(%[[B]]) : (tensor<?x64xf32>) -> tensor<?x10xf32>
    %h = predict.method_call @head(%b) : (tensor<?x64xf32>) -> tensor<?x10xf32>
    // CHECK-NEXT: predict.return %[[H]] : tensor<?x10xf32>
    predict.return %h : tensor<?x10xf32>
  }

  // CHECK: predict.method @head(
  predict.method @head(%x: tensor<?x64xf32>) -> tensor<?x10xf32> {
    %y = predict.apply @dense2(%x) : (tensor<?x64xf32>) -> tensor<?x10xf32>
    predict.return %y : tensor<?x10xf32>
  }

  // A method with no results and no body values still needs its return.
  // CHECK: predict.method @nothing() {
  // CHECK-NEXT: predict.return{{$}}
  predict.method @nothing() {
    predict.return
  }
}

// A model's method may call a model declared at module level (a global in
// Python), and a sub-model's method reaches module-level models too.
// CHECK-LABEL: predict.model @user
// CHECK: predict.method_call @model::@head(%{{.*}}) : (tensor<?x64xf32>) -> tensor<?x10xf32>
// CHECK: predict.model_call @model(%{{.*}}) : (tensor<?x100xf32>) -> tensor<?x10xf32>
predict.model @user {
  predict.model @part {
    predict.method @call(%x: tensor<?x64xf32>) -> tensor<?x10xf32> {
      %y = predict.method_call @model::@head(%x) : (tensor<?x64xf32>) -> tensor<?x10xf32>
      predict.return %y : tensor<?x10xf32>
    }
  }
  predict.method @call(%x: tensor<?x100xf32>) -> tensor<?x10xf32> {
    %y = predict.model_call @model(%x) : (tensor<?x100xf32>) -> tensor<?x10xf32>
    predict.return %y : tensor<?x10xf32>
  }
}

// CHECK-LABEL: func.func @calls
func.func @calls(%x: tensor<?x100xf32>) -> (tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x64xf32>) {
  // CHECK: predict.model_call @model(%{{.*}}) : (tensor<?x100xf32>) -> tensor<?x10xf32>
  %0 = predict.model_call @model(%x) : (tensor<?x100xf32>) -> tensor<?x10xf32>
  // CHECK: predict.model_predict @model(%{{.*}}) : (tensor<?x100xf32>) -> tensor<?x10xf32>
  %1 = predict.model_predict @model(%x) : (tensor<?x100xf32>) -> tensor<?x10xf32>
  // CHECK: predict.method_call @model::@encoder::@call(%{{.*}}) : (tensor<?x100xf32>) -> tensor<?x64xf32>
  %2 = predict.method_call @model::@encoder::@call(%x) : (tensor<?x100xf32>) -> tensor<?x64xf32>
  // CHECK: predict.method_call @model::@nothing() : () -> ()
  predict.method_call @model::@nothing() : () -> ()
  return %0, %1, %2 : tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x64xf32>
}

// CHECK-LABEL: func.func @layers
func.func @layers(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<64xf32>,
                  %img: tensor<?x28x28xf32>, %v: tensor<64xf32>) {
  // CHECK: predict.dense %{{.*}}, %{{.*}}, %{{.*}} activation relu : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  %d = predict.dense %x, %k, %b activation relu
      : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  // CHECK: predict.dense %{{.*}}, %{{.*}} : (tensor<?x100xf32>, tensor<100x64xf32>) -> tensor<?x64xf32>
  %d2 = predict.dense %x, %k : (tensor<?x100xf32>, tensor<100x64xf32>) -> tensor<?x64xf32>
  // CHECK: predict.activation relu %{{.*}} : tensor<?x64xf32>
  %a0 = predict.activation relu %d : tensor<?x64xf32>
  // CHECK: predict.activation sigmoid
  %a1 = predict.activation sigmoid %a0 : tensor<?x64xf32>
  // CHECK: predict.activation tanh
  %a2 = predict.activation tanh %a1 : tensor<?x64xf32>
  // CHECK: predict.activation softmax %{{.*}} axis = 1 : tensor<?x64xf32>
  %a3 = predict.activation softmax %a2 axis = 1 : tensor<?x64xf32>
  // CHECK: predict.activation gelu %{{.*}} approximate : tensor<?x64xf32>
  %a4 = predict.activation gelu %a3 approximate : tensor<?x64xf32>
  // CHECK: predict.activation elu %{{.*}} alpha = 1.500000e+00 : tensor<?x64xf32>
  %a5 = predict.activation elu %a4 alpha = 1.5 : tensor<?x64xf32>
  // CHECK: predict.activation selu
  %a6 = predict.activation selu %a5 : tensor<?x64xf32>
  // CHECK: predict.activation leaky_relu %{{.*}} alpha = 3.000000e-01 : tensor<?x64xf32>
  %a7 = predict.activation leaky_relu %a6 alpha = 0.3 : tensor<?x64xf32>
  // CHECK: predict.activation swish
  %a8 = predict.activation swish %a7 : tensor<?x64xf32>
  // CHECK: predict.activation softplus
  %a9 = predict.activation softplus %a8 : tensor<?x64xf32>
  // CHECK: predict.activation linear
  %a10 = predict.activation linear %a9 : tensor<?x64xf32>
  // CHECK: predict.activation gelu %{{.*}} : tensor<?x64xf32>
  %a11 = predict.activation gelu %a10 : tensor<?x64xf32>
  // CHECK: predict.dropout %{{.*}} rate = 5.000000e-01 : tensor<?x64xf32>
  %dr = predict.dropout %a11 rate = 0.5 : tensor<?x64xf32>
  // CHECK: predict.batch_norm %{{.*}} mean %{{.*}} variance %{{.*}} gamma %{{.*}} beta %{{.*}} epsilon = 1.000000e-03 axis = -1 : (tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  %bn = predict.batch_norm %dr mean %v variance %v gamma %v beta %v epsilon = 1.0e-3 axis = -1
      : (tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  // CHECK: predict.batch_norm %{{.*}} mean %{{.*}} variance %{{.*}} beta %{{.*}} epsilon
  %bn2 = predict.batch_norm %bn mean %v variance %v beta %v epsilon = 1.0e-3 axis = 1
      : (tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  // CHECK: predict.normalization %{{.*}} mean %{{.*}} variance %{{.*}} : (tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  %no = predict.normalization %bn2 mean %v variance %v
      : (tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  // CHECK: predict.flatten %{{.*}} : tensor<?x28x28xf32> -> tensor<?x784xf32>
  %f = predict.flatten %img : tensor<?x28x28xf32> -> tensor<?x784xf32>
  // CHECK: predict.concatenate %{{.*}}, %{{.*}} axis = 1 : (tensor<?x64xf32>, tensor<?x784xf32>) -> tensor<?x848xf32>
  %c = predict.concatenate %no, %f axis = 1
      : (tensor<?x64xf32>, tensor<?x784xf32>) -> tensor<?x848xf32>
  return
}

// CHECK-LABEL: func.func @math
func.func @math(%x: tensor<?x10xf32>, %y: tensor<10xf32>, %s: tensor<f32>,
                %a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %v: tensor<4xf32>) {
  // CHECK: predict.add %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x10xf32>, tensor<10xf32>, tensor<f32>) -> tensor<?x10xf32>
  %0 = predict.add %x, %y, %s : (tensor<?x10xf32>, tensor<10xf32>, tensor<f32>) -> tensor<?x10xf32>
  // CHECK: predict.sub %{{.*}}, %{{.*}} : (tensor<?x10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  %1 = predict.sub %0, %y : (tensor<?x10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  // CHECK: predict.mul
  %2 = predict.mul %1, %s : (tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
  // CHECK: predict.div
  %3 = predict.div %2, %s : (tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
  // CHECK: predict.pow
  %4 = predict.pow %3, %s : (tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
  // CHECK: predict.maximum
  %5 = predict.maximum %4, %s : (tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
  // CHECK: predict.minimum
  %6 = predict.minimum %5, %y : (tensor<?x10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  // CHECK: predict.neg %{{.*}} : tensor<?x10xf32>
  %7 = predict.neg %6 : tensor<?x10xf32>
  // CHECK: predict.exp
  %8 = predict.exp %7 : tensor<?x10xf32>
  // CHECK: predict.log
  %9 = predict.log %8 : tensor<?x10xf32>
  // CHECK: predict.sqrt
  %10 = predict.sqrt %9 : tensor<?x10xf32>
  // CHECK: predict.abs
  %11 = predict.abs %10 : tensor<?x10xf32>
  // CHECK: predict.clip %{{.*}} min = 0.000000e+00 max = 6.000000e+00 : tensor<?x10xf32>
  %12 = predict.clip %11 min = 0.0 max = 6.0 : tensor<?x10xf32>
  // CHECK: predict.clip %{{.*}} max = 1.000000e+00 : tensor<?x10xf32>
  %13 = predict.clip %12 max = 1.0 : tensor<?x10xf32>
  // CHECK: predict.compare gt %{{.*}}, %{{.*}} : (tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xi1>
  %m = predict.compare gt %13, %s : (tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xi1>
  // Bools compare for equality (C226).
  // CHECK: predict.compare ne %{{.*}}, %{{.*}} : (tensor<?x10xi1>, tensor<?x10xi1>) -> tensor<?x10xi1>
  %mm = predict.compare ne %m, %m : (tensor<?x10xi1>, tensor<?x10xi1>) -> tensor<?x10xi1>
  // CHECK: predict.compare le
  %m2 = predict.compare le %13, %y : (tensor<?x10xf32>, tensor<10xf32>) -> tensor<?x10xi1>
  // CHECK: predict.select %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x10xi1>, tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
  %14 = predict.select %m, %13, %s : (tensor<?x10xi1>, tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
  // CHECK: predict.matmul %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %15 = predict.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  // CHECK: predict.matmul %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  %16 = predict.matmul %a, %v : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  %x2 = predict.add %x, %x : (tensor<?x10xf32>, tensor<?x10xf32>) -> tensor<?x10xf32>
  // CHECK: predict.convolve %{{.*}}, %{{.*}} mode same : (tensor<?x10xf32>, tensor<1x10xf32>) -> tensor<?x10xf32>
  %y2 = tensor.expand_shape %y [[0, 1]] output_shape [1, 10] : tensor<10xf32> into tensor<1x10xf32>
  %17 = predict.convolve %x2, %y2 mode same : (tensor<?x10xf32>, tensor<1x10xf32>) -> tensor<?x10xf32>
  // CHECK: predict.convolve %{{.*}}, %{{.*}} mode valid correlate : (tensor<4xf32>, tensor<10xf32>) -> tensor<7xf32>
  %18 = predict.convolve %v, %y mode valid correlate : (tensor<4xf32>, tensor<10xf32>) -> tensor<7xf32>
  // CHECK: predict.convolve %{{.*}}, %{{.*}} mode full : (tensor<4xf32>, tensor<10xf32>) -> tensor<13xf32>
  %19 = predict.convolve %v, %y mode full : (tensor<4xf32>, tensor<10xf32>) -> tensor<13xf32>
  return
}

// CHECK-LABEL: func.func @shapes_and_constants
func.func @shapes_and_constants(%x: tensor<?x100xf32>, %n: index) {
  // CHECK: predict.constant dense<[1.000000e-01, 2.000000e-01, 3.000000e-01, 4.000000e-01]> : tensor<4xf32>
  %k = predict.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  // CHECK: predict.constant dense<2.000000e+00> : tensor<f32>
  %two = predict.constant dense<2.0> : tensor<f32>
  // CHECK: predict.fill 0.000000e+00 [%{{.*}}] : tensor<?x10xf32>
  %z = predict.fill 0.0 [%n] : tensor<?x10xf32>
  // CHECK: predict.fill 1.000000e+00 : tensor<3x10xf32>
  %o = predict.fill 1.0 : tensor<3x10xf32>
  // CHECK: predict.dim %{{.*}}, 0 : tensor<?x100xf32>
  %d = predict.dim %x, 0 : tensor<?x100xf32>
  // CHECK: predict.dim %{{.*}}, -1 : tensor<?x100xf32>
  %d2 = predict.dim %x, -1 : tensor<?x100xf32>
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  // CHECK: predict.slice %{{.*}}[%{{.*}} : %{{.*}}] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
  %s = predict.slice %x[%c0 : %c2] axis 0 : tensor<?x100xf32> -> tensor<?x100xf32>
  // CHECK: predict.slice %{{.*}}[%{{.*}} : %{{.*}}] axis 1 : tensor<?x100xf32> -> tensor<?x2xf32>
  %s2 = predict.slice %x[%c0 : %c2] axis 1 : tensor<?x100xf32> -> tensor<?x2xf32>
  return
}

// CHECK-LABEL: func.func @loops_and_lists
func.func @loops_and_lists(%x: tensor<?x10xf32>) -> (tensor<?x10xf32>, tensor<1x?x10xf32>, tensor<1x10xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x10xf32>
  // CHECK: %[[L0:.*]] = predict.list.empty : !predict.list<tensor<1x10xf32>>
  %l0 = predict.list.empty : !predict.list<tensor<1x10xf32>>
  %zero = predict.fill 0.0 : tensor<1x10xf32>
  // CHECK: %[[R:.*]]:2 = predict.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[L:.*]] = %[[L0]], %[[ACC:.*]] = %{{.*}}) -> (!predict.list<tensor<1x10xf32>>, tensor<1x10xf32>) {
  %r:2 = predict.for %i = %c0 to %n step %c1 iter_args(%l = %l0, %acc = %zero)
      -> (!predict.list<tensor<1x10xf32>>, tensor<1x10xf32>) {
    %j = arith.addi %i, %c1 : index
    // CHECK: %[[ROW:.*]] = predict.slice
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x10xf32> -> tensor<1x10xf32>
    %sum = predict.add %acc, %row : (tensor<1x10xf32>, tensor<1x10xf32>) -> tensor<1x10xf32>
    // CHECK: %[[L2:.*]] = predict.list.append %[[L]], %[[ROW]] : !predict.list<tensor<1x10xf32>>, tensor<1x10xf32>
    %l2 = predict.list.append %l, %row : !predict.list<tensor<1x10xf32>>, tensor<1x10xf32>
    // CHECK: predict.yield %[[L2]], %{{.*}} : !predict.list<tensor<1x10xf32>>, tensor<1x10xf32>
    predict.yield %l2, %sum : !predict.list<tensor<1x10xf32>>, tensor<1x10xf32>
  }
  // A loop without carried values has an implicit, empty yield.
  // CHECK: predict.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
  // CHECK-NEXT: predict.foreign_call "builtins.print"
  // CHECK-NEXT: }
  predict.for %i = %n to %c0 step %c1 {
    predict.foreign_call "builtins.print"(%x) : (tensor<?x10xf32>) -> ()
  }
  // CHECK: predict.list.concat %[[R]]#0 axis = 0 : !predict.list<tensor<1x10xf32>> -> tensor<?x10xf32>
  %cat = predict.list.concat %r#0 axis = 0 : !predict.list<tensor<1x10xf32>> -> tensor<?x10xf32>
  // CHECK: predict.list.stack %[[R]]#0 axis = 1 : !predict.list<tensor<1x10xf32>> -> tensor<1x?x10xf32>
  %st = predict.list.stack %r#0 axis = 1 : !predict.list<tensor<1x10xf32>> -> tensor<1x?x10xf32>
  return %cat, %st, %r#1 : tensor<?x10xf32>, tensor<1x?x10xf32>, tensor<1x10xf32>
}

// CHECK-LABEL: func.func @foreign
func.func @foreign(%x: tensor<?x10xf32>, %k: tensor<4xf32>) -> tensor<*xf32> {
  // CHECK: predict.foreign_call "scipy.signal.convolve"(%{{.*}}, %{{.*}}) kwargs {mode = "same"} : (tensor<?x10xf32>, tensor<4xf32>) -> tensor<*xf32>
  %0 = predict.foreign_call "scipy.signal.convolve"(%x, %k) kwargs {mode = "same"}
      : (tensor<?x10xf32>, tensor<4xf32>) -> tensor<*xf32>
  // CHECK: predict.foreign_call "numpy.tanh"(%{{.*}}) : (tensor<*xf32>) -> tensor<*xf32>
  %1 = predict.foreign_call "numpy.tanh"(%0) : (tensor<*xf32>) -> tensor<*xf32>
  // Unknown shapes flow into predict ops; only known shapes are checked.
  // CHECK: predict.activation relu %{{.*}} : tensor<*xf32>
  %2 = predict.activation relu %1 : tensor<*xf32>
  return %2 : tensor<*xf32>
}

{-#
  dialect_resources: {
    builtin: {
      small_kernel: "0x040000000000803F00000040000040400000803F"
    }
  }
#-}
