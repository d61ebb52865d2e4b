// Scalar (0-d) weights stored as resources, as the Keras importer stores
// every weight: Normalization(axis=None) keeps one mean and one variance.
// Upstream's lowering of a 0-d global reads its value as a splat, which a
// resource cannot give: such constants are inlined (it crashed).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/reference.py make-input %t/x.npy 3x5 --seed 9 --scale 2
// RUN: predict-run %s --function=norm --input=@%t/x.npy --output=@%t/norm.npy
// RUN: %python %S/Inputs/reference.py normalization %t/x.npy %t/norm.ref.npy 0.5 4
// RUN: %python %S/Inputs/reference.py check %t/norm.npy %t/norm.ref.npy --rtol 1e-6 | FileCheck %s
// CHECK: match

predict.model @m {
  predict.layer.normalization @n mean = dense_resource<n_mean> : tensor<f32>
      variance = dense_resource<n_variance> : tensor<f32>
  predict.method @call(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
    %y = predict.apply @n(%x) : (tensor<?x5xf32>) -> tensor<?x5xf32>
    predict.return %y : tensor<?x5xf32>
  }
}
func.func @norm(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %y = predict.model_call @m(%x) : (tensor<?x5xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

{-#
  dialect_resources: {
    builtin: {
      n_mean: "0x040000000000003F",
      n_variance: "0x0400000000008040"
    }
  }
#-}
