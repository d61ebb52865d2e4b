// predict-inline-models: calls become method bodies, layers their
// computations with constant weights; no model remains.
// RUN: predict-opt %s -split-input-file -predict-inline-models | FileCheck %s

predict.model @model class "M" {
  predict.layer.dense @dense1 kernel = dense<0.5> : tensor<4x3xf32> bias = dense<0.1> : tensor<3xf32> activation relu
  predict.layer.batch_norm @bn mean = dense<0.0> : tensor<3xf32> variance = dense<1.0> : tensor<3xf32> epsilon = 1.0e-3 axis = -1
  predict.layer.normalization @norm mean = dense<0.0> : tensor<1x4xf32> variance = dense<1.0> : tensor<1x4xf32>
  predict.model @head {
    predict.layer.dense @out kernel = dense<1.0> : tensor<3x2xf32> activation softmax
    predict.method @call(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
      %y = predict.apply @out(%x) : (tensor<?x3xf32>) -> tensor<?x2xf32>
      predict.return %y : tensor<?x2xf32>
    }
  }
  predict.method @features(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
    %n = predict.apply @norm(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    %h = predict.apply @dense1(%n) : (tensor<?x4xf32>) -> tensor<?x3xf32>
    %b = predict.apply @bn(%h) : (tensor<?x3xf32>) -> tensor<?x3xf32>
    predict.return %b : tensor<?x3xf32>
  }
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
    %f = predict.method_call @features(%x) : (tensor<?x4xf32>) -> tensor<?x3xf32>
    %y = predict.model_call @head(%f) : (tensor<?x3xf32>) -> tensor<?x2xf32>
    predict.return %y : tensor<?x2xf32>
  }
}

// CHECK-NOT: predict.model
// CHECK-NOT: predict.method
// CHECK-LABEL: func.func @entry(%arg0: tensor<?x4xf32>) -> tensor<?x2xf32>
// CHECK-DAG: %[[M:.*]] = predict.constant dense<0.000000e+00> : tensor<1x4xf32>
// CHECK-DAG: %[[V:.*]] = predict.constant dense<1.000000e+00> : tensor<1x4xf32>
// CHECK: %[[N:.*]] = predict.normalization %arg0 mean %[[M]] variance %[[V]]
// CHECK-DAG: %[[K:.*]] = predict.constant dense<5.000000e-01> : tensor<4x3xf32>
// CHECK-DAG: %[[B:.*]] = predict.constant dense<1.000000e-01> : tensor<3xf32>
// CHECK: %[[H:.*]] = predict.dense %[[N]], %[[K]], %[[B]] activation relu
// CHECK: %[[BN:.*]] = predict.batch_norm %[[H]] mean
// CHECK: %[[K2:.*]] = predict.constant dense<1.000000e+00> : tensor<3x2xf32>
// CHECK: %[[Y:.*]] = predict.dense %[[BN]], %[[K2]] activation softmax
// CHECK: return %[[Y]]
func.func @entry(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %y = predict.model_predict @model(%x) : (tensor<?x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// model.predict(x) runs the model's predict_step where it has one, not its
// call (Keras's Model.predict calls predict_step); a predict overrides both.
predict.model @stepped {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
  predict.method @predict_step(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.neg %x : tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}
predict.model @both {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
  predict.method @predict_step(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.neg %x : tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
  predict.method @predict(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.exp %x : tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}
// CHECK-LABEL: func.func @stepped_predict
// CHECK-NEXT: %[[Y:.*]] = predict.neg %arg0
// CHECK-NEXT: %[[Z:.*]] = predict.exp %arg0
// CHECK-NEXT: return %[[Y]], %[[Z]]
func.func @stepped_predict(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %y = predict.model_predict @stepped(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %z = predict.model_predict @both(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y, %z : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// A static argument reaches a dynamic parameter through a cast, and the
// method's declared result reaches the call's through another.
predict.model @m {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.neg %x : tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}
// CHECK-LABEL: func.func @casts
// CHECK: %[[IN:.*]] = tensor.cast %arg0 : tensor<2x4xf32> to tensor<?x4xf32>
// CHECK: %[[NEG:.*]] = predict.neg %[[IN]] : tensor<?x4xf32>
// CHECK: %[[OUT:.*]] = tensor.cast %[[NEG]] : tensor<?x4xf32> to tensor<2x4xf32>
// CHECK: return %[[OUT]]
func.func @casts(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %y = predict.model_call @m(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// A layer applied in a loop is materialized where it is applied; the
// canonicalizer then hoists its weights out of the loop.
predict.model @m {
  predict.layer.dense @d kernel = dense<1.0> : tensor<4x4xf32>
  predict.method @call(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %r = predict.for %i = %c0 to %c3 step %c1 iter_args(%v = %x) -> (tensor<1x4xf32>) {
      %y = predict.apply @d(%v) : (tensor<1x4xf32>) -> tensor<1x4xf32>
      predict.yield %y : tensor<1x4xf32>
    }
    predict.return %r : tensor<1x4xf32>
  }
}
// CHECK-LABEL: func.func @loop
// CHECK: predict.for
// CHECK: predict.constant dense<1.000000e+00> : tensor<4x4xf32>
// CHECK: predict.dense
func.func @loop(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = predict.model_call @m(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
