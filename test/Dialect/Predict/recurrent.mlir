// predict.layer.recurrent and predict.recurrent (issue 18): they print back
// to the same text, and shape inference types them (C200-C206).
// RUN: predict-opt %s -split-input-file | predict-opt -split-input-file | FileCheck %s
// RUN: predict-opt %s -split-input-file --mlir-print-op-generic | predict-opt -split-input-file | FileCheck %s
// RUN: predict-opt %s -split-input-file -predict-shape-inference | FileCheck %s --check-prefix=INFER

// CHECK-LABEL: predict.model @m
predict.model @m {
  // CHECK: predict.layer.recurrent @lstm lstm kernel = dense<1.000000e-01> : tensor<3x8xf32> recurrent_kernel = dense<2.000000e-01> : tensor<2x8xf32> bias = dense<0.000000e+00> : tensor<8xf32> activation tanh recurrent_activation hard_sigmoid alpha 2.000000e-01 return_sequences go_backwards
  predict.layer.recurrent @lstm lstm kernel = dense<0.1> : tensor<3x8xf32>
      recurrent_kernel = dense<0.2> : tensor<2x8xf32> bias = dense<0.0> : tensor<8xf32>
      activation tanh recurrent_activation hard_sigmoid alpha 0.2 return_sequences go_backwards
  // CHECK: predict.layer.recurrent @gru gru kernel = dense<1.000000e-01> : tensor<3x6xf32> recurrent_kernel = dense<2.000000e-01> : tensor<2x6xf32> bias = dense<0.000000e+00> : tensor<2x6xf32> activation relu recurrent_activation sigmoid reset_after{{$}}
  predict.layer.recurrent @gru gru kernel = dense<0.1> : tensor<3x6xf32>
      recurrent_kernel = dense<0.2> : tensor<2x6xf32> bias = dense<0.0> : tensor<2x6xf32>
      activation relu recurrent_activation sigmoid reset_after
  // CHECK: predict.layer.recurrent @rnn simple_rnn kernel = dense<1.000000e-01> : tensor<3x2xf32> recurrent_kernel = dense<2.000000e-01> : tensor<2x2xf32> activation tanh recurrent_activation sigmoid{{$}}
  predict.layer.recurrent @rnn simple_rnn kernel = dense<0.1> : tensor<3x2xf32>
      recurrent_kernel = dense<0.2> : tensor<2x2xf32>
      activation tanh recurrent_activation sigmoid
  predict.method @call(%x: tensor<?x?x3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
    // INFER: predict.apply @lstm(%{{.*}}) : (tensor<?x?x3xf32>) -> tensor<?x?x2xf32>
    %a = predict.apply @lstm(%x) : (tensor<?x?x3xf32>) -> tensor<*xf32>
    // INFER: predict.apply @gru(%{{.*}}) : (tensor<?x?x3xf32>) -> tensor<?x2xf32>
    %b = predict.apply @gru(%x) : (tensor<?x?x3xf32>) -> tensor<*xf32>
    // INFER: predict.apply @rnn(%{{.*}}) : (tensor<?x?x3xf32>) -> tensor<?x2xf32>
    %c = predict.apply @rnn(%x) : (tensor<?x?x3xf32>) -> tensor<*xf32>
    predict.return %a, %b, %c : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
  }
}

// -----

// CHECK-LABEL: func.func @compute
// INFER-LABEL: func.func @compute
func.func @compute(%x: tensor<5x?x3xf32>, %k: tensor<3x8xf32>, %r: tensor<2x8xf32>,
                   %b: tensor<8xf32>, %h: tensor<5x2xf32>, %c: tensor<5x2xf32>,
                   %m: tensor<5x?xi1>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: predict.recurrent lstm %{{.*}}, %{{.*}}, %{{.*}} bias %{{.*}} initial_states(%{{.*}}, %{{.*}}) mask %{{.*}} activation tanh recurrent_activation sigmoid return_states : (tensor<5x?x3xf32>, tensor<3x8xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<5x2xf32>, tensor<5x2xf32>, tensor<5x?xi1>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  // INFER: predict.recurrent lstm {{.*}} -> (tensor<5x2xf32>, tensor<5x2xf32>, tensor<5x2xf32>)
  %y, %s:2 = predict.recurrent lstm %x, %k, %r bias %b initial_states(%h, %c) mask %m
      activation tanh recurrent_activation sigmoid return_states
      : (tensor<5x?x3xf32>, tensor<3x8xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<5x2xf32>, tensor<5x2xf32>, tensor<5x?xi1>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y, %s#0, %s#1 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}
