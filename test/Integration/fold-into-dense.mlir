// BatchNormalization folded into the Dense layers on either side of it, and
// the activation into the Dense epilogue, still computes what Keras does:
// compared with numpy applying the layers one by one.
// RUN: rm -rf %t && mkdir -p %t
// RUN: predict-opt %s --predict-to-linalg | FileCheck %s --check-prefix=FOLDED
// FOLDED-NOT: predict.
// FOLDED-COUNT-2: linalg.matmul
// FOLDED-NOT: math.sqrt
// RUN: %python %S/Inputs/reference.py make-input %t/x.npy 9x3 --seed 9
// RUN: predict-run %s --input=@%t/x.npy --output=@%t/y.npy
// RUN: %python %S/Inputs/reference.py chain %t/x.npy %t/r.npy '[["dense", [[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]], [0.1, -0.2]], ["bn", [0.3, -0.1], [0.5, 2.0], [1.5, -0.5], [0.2, 0.4], 0.001], ["relu"], ["bn", [0.1, 0.2], [1.0, 0.5], [2.0, 1.0], [0.0, -1.0], 0.01], ["dense", [[1.0, -2.0, 0.5], [0.25, 0.5, -1.0]], [0.0, 0.5, 1.0]]]'
// RUN: %python %S/Inputs/reference.py check %t/y.npy %t/r.npy --rtol 1e-5 --atol 1e-6 | FileCheck %s
// CHECK: match: (9, 3)

predict.model @m {
  predict.layer.dense @d1 kernel = dense<[[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]]> : tensor<3x2xf32>
      bias = dense<[0.1, -0.2]> : tensor<2xf32>
  predict.layer.batch_norm @bn1 mean = dense<[0.3, -0.1]> : tensor<2xf32>
      variance = dense<[0.5, 2.0]> : tensor<2xf32> gamma = dense<[1.5, -0.5]> : tensor<2xf32>
      beta = dense<[0.2, 0.4]> : tensor<2xf32> epsilon = 1.0e-3 axis = -1
  predict.layer.batch_norm @bn2 mean = dense<[0.1, 0.2]> : tensor<2xf32>
      variance = dense<[1.0, 0.5]> : tensor<2xf32> gamma = dense<[2.0, 1.0]> : tensor<2xf32>
      beta = dense<[0.0, -1.0]> : tensor<2xf32> epsilon = 1.0e-2 axis = -1
  predict.layer.dense @d2 kernel = dense<[[1.0, -2.0, 0.5], [0.25, 0.5, -1.0]]> : tensor<2x3xf32>
      bias = dense<[0.0, 0.5, 1.0]> : tensor<3xf32>
  predict.method @call(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
    %a = predict.apply @d1(%x) : (tensor<?x3xf32>) -> tensor<?x2xf32>
    %b = predict.apply @bn1(%a) : (tensor<?x2xf32>) -> tensor<?x2xf32>
    %c = predict.activation relu %b : tensor<?x2xf32>
    %d = predict.apply @bn2(%c) : (tensor<?x2xf32>) -> tensor<?x2xf32>
    %e = predict.apply @d2(%d) : (tensor<?x2xf32>) -> tensor<?x3xf32>
    predict.return %e : tensor<?x3xf32>
  }
}
func.func @predict(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %y = predict.model_call @m(%x) : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
