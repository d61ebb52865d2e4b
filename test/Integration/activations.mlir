// Every activation of the dialect, executed, against numpy/scipy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/reference.py make-input %t/x.npy 5x7 --seed 7 --scale 3
// RUN: predict-run %s --function=linear --input=@%t/x.npy --output=@%t/linear.npy
// RUN: %python %S/Inputs/reference.py activation linear %t/x.npy %t/linear.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/linear.npy %t/linear.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=relu --input=@%t/x.npy --output=@%t/relu.npy
// RUN: %python %S/Inputs/reference.py activation relu %t/x.npy %t/relu.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/relu.npy %t/relu.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=sigmoid --input=@%t/x.npy --output=@%t/sigmoid.npy
// RUN: %python %S/Inputs/reference.py activation sigmoid %t/x.npy %t/sigmoid.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/sigmoid.npy %t/sigmoid.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=tanh --input=@%t/x.npy --output=@%t/tanh.npy
// RUN: %python %S/Inputs/reference.py activation tanh %t/x.npy %t/tanh.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/tanh.npy %t/tanh.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=softmax --input=@%t/x.npy --output=@%t/softmax.npy
// RUN: %python %S/Inputs/reference.py activation softmax %t/x.npy %t/softmax.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/softmax.npy %t/softmax.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=softmax_axis0 --input=@%t/x.npy --output=@%t/softmax_axis0.npy
// RUN: %python %S/Inputs/reference.py activation softmax %t/x.npy %t/softmax_axis0.ref.npy --axis 0
// RUN: %python %S/Inputs/reference.py check %t/softmax_axis0.npy %t/softmax_axis0.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=gelu --input=@%t/x.npy --output=@%t/gelu.npy
// RUN: %python %S/Inputs/reference.py activation gelu %t/x.npy %t/gelu.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/gelu.npy %t/gelu.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=gelu_tanh --input=@%t/x.npy --output=@%t/gelu_tanh.npy
// RUN: %python %S/Inputs/reference.py activation gelu %t/x.npy %t/gelu_tanh.ref.npy --approximate
// RUN: %python %S/Inputs/reference.py check %t/gelu_tanh.npy %t/gelu_tanh.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=elu --input=@%t/x.npy --output=@%t/elu.npy
// RUN: %python %S/Inputs/reference.py activation elu %t/x.npy %t/elu.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/elu.npy %t/elu.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=elu_alpha --input=@%t/x.npy --output=@%t/elu_alpha.npy
// RUN: %python %S/Inputs/reference.py activation elu %t/x.npy %t/elu_alpha.ref.npy --alpha 0.5
// RUN: %python %S/Inputs/reference.py check %t/elu_alpha.npy %t/elu_alpha.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=selu --input=@%t/x.npy --output=@%t/selu.npy
// RUN: %python %S/Inputs/reference.py activation selu %t/x.npy %t/selu.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/selu.npy %t/selu.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=leaky_relu --input=@%t/x.npy --output=@%t/leaky_relu.npy
// RUN: %python %S/Inputs/reference.py activation leaky_relu %t/x.npy %t/leaky_relu.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/leaky_relu.npy %t/leaky_relu.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=leaky_relu_alpha --input=@%t/x.npy --output=@%t/leaky_relu_alpha.npy
// RUN: %python %S/Inputs/reference.py activation leaky_relu %t/x.npy %t/leaky_relu_alpha.ref.npy --alpha 0.3
// RUN: %python %S/Inputs/reference.py check %t/leaky_relu_alpha.npy %t/leaky_relu_alpha.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=swish --input=@%t/x.npy --output=@%t/swish.npy
// RUN: %python %S/Inputs/reference.py activation swish %t/x.npy %t/swish.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/swish.npy %t/swish.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// RUN: predict-run %s --function=softplus --input=@%t/x.npy --output=@%t/softplus.npy
// RUN: %python %S/Inputs/reference.py activation softplus %t/x.npy %t/softplus.ref.npy
// RUN: %python %S/Inputs/reference.py check %t/softplus.npy %t/softplus.ref.npy --rtol 2e-6 --atol 2e-6 | FileCheck %s --check-prefix=OK
// OK: match

func.func @linear(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation linear %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @relu(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation relu %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @sigmoid(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation sigmoid %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @tanh(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation tanh %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @softmax(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation softmax %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @softmax_axis0(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation softmax %x axis = 0 : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @gelu(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation gelu %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @gelu_tanh(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation gelu %x approximate : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @elu(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation elu %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @elu_alpha(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation elu %x alpha = 0.5 : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @selu(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation selu %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @leaky_relu(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation leaky_relu %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @leaky_relu_alpha(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation leaky_relu %x alpha = 0.3 : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @swish(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation swish %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

func.func @softplus(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = predict.activation softplus %x : tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}
