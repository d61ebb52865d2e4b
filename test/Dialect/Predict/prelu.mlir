// RUN: predict-opt %s | predict-opt | FileCheck %s

// CHECK: predict.layer.prelu @p alpha = dense<2.500000e-01> : tensor<1x4xf32>
// CHECK: predict.prelu %arg0, %arg1 : (tensor<?x5x4xf32>, tensor<1x4xf32>) -> tensor<?x5x4xf32>
predict.model @m class "Sequential" {
  predict.layer.prelu @p alpha = dense<0.25> : tensor<1x4xf32>
  predict.method @call(%x: tensor<?x5x4xf32>) -> tensor<?x5x4xf32> {
    %y = predict.apply @p(%x) : (tensor<?x5x4xf32>) -> tensor<?x5x4xf32>
    predict.return %y : tensor<?x5x4xf32>
  }
}

func.func @f(%x: tensor<?x5x4xf32>, %a: tensor<1x4xf32>) -> tensor<?x5x4xf32> {
  %y = predict.prelu %x, %a : (tensor<?x5x4xf32>, tensor<1x4xf32>) -> tensor<?x5x4xf32>
  return %y : tensor<?x5x4xf32>
}

