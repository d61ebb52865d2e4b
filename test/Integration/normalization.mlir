// BatchNormalization (with and without gamma/beta) and Normalization layers,
// executed, against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/reference.py make-input %t/x.npy 6x4 --seed 4 --scale 2
// RUN: predict-run %s --function=bn --input=@%t/x.npy --output=@%t/bn.npy
// RUN: %python %S/Inputs/reference.py batch-norm %t/x.npy %t/bn.ref.npy 0.5,-1,2,0 1,4,0.25,2 1,2,0.5,-1 0,1,-1,0.5 0.001
// RUN: %python %S/Inputs/reference.py check %t/bn.npy %t/bn.ref.npy | FileCheck %s
// RUN: predict-run %s --function=bn_plain --input=@%t/x.npy --output=@%t/bnp.npy
// RUN: %python %S/Inputs/reference.py batch-norm %t/x.npy %t/bnp.ref.npy 0.5,-1,2,0 1,4,0.25,2 1,1,1,1 0,0,0,0 0.01
// RUN: %python %S/Inputs/reference.py check %t/bnp.npy %t/bnp.ref.npy | FileCheck %s
// RUN: predict-run %s --function=norm --input=@%t/x.npy --output=@%t/norm.npy
// RUN: %python %S/Inputs/reference.py normalization %t/x.npy %t/norm.ref.npy 0.5,-1,2,0 1,4,0.25,0
// RUN: %python %S/Inputs/reference.py check %t/norm.npy %t/norm.ref.npy --rtol 1e-5 | FileCheck %s
// CHECK: match

predict.model @m {
  predict.layer.batch_norm @bn mean = dense<[0.5, -1.0, 2.0, 0.0]> : tensor<4xf32>
      variance = dense<[1.0, 4.0, 0.25, 2.0]> : tensor<4xf32>
      gamma = dense<[1.0, 2.0, 0.5, -1.0]> : tensor<4xf32>
      beta = dense<[0.0, 1.0, -1.0, 0.5]> : tensor<4xf32> epsilon = 1.0e-3 axis = -1
  predict.layer.batch_norm @bn_plain mean = dense<[0.5, -1.0, 2.0, 0.0]> : tensor<4xf32>
      variance = dense<[1.0, 4.0, 0.25, 2.0]> : tensor<4xf32> epsilon = 1.0e-2 axis = 1
  // A zero variance: Keras divides by epsilon instead.
  predict.layer.normalization @norm mean = dense<[[0.5, -1.0, 2.0, 0.0]]> : tensor<1x4xf32>
      variance = dense<[[1.0, 4.0, 0.25, 0.0]]> : tensor<1x4xf32>
  predict.method @run_bn(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.apply @bn(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
  predict.method @run_bn_plain(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.apply @bn_plain(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
  predict.method @run_norm(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.apply @norm(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}
func.func @bn(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.method_call @m::@run_bn(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
func.func @bn_plain(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.method_call @m::@run_bn_plain(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
func.func @norm(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.method_call @m::@run_norm(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
