// Calls predict-rewrite-foreign knows but whose arguments do not fit: an
// error at the call, as the Python function would raise.
// RUN: predict-opt %s -split-input-file -predict-rewrite-foreign -verify-diagnostics

func.func @ranks(%x: tensor<?x10xf32>, %k: tensor<4xf32>) {
  // expected-error @+1 {{scipy.signal.convolve: in1 is 2-D ('tensor<?x10xf32>') but in2 is 1-D ('tensor<4xf32>'); scipy requires inputs of the same dimensionality and raises ValueError. Give the kernel the input's rank, e.g. kernel[None, :] for a 2-D input}}
  %c = predict.foreign_call "scipy.signal.convolve"(%x, %k) kwargs {mode = "same"} : (tensor<?x10xf32>, tensor<4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @mode(%x: tensor<?x10xf32>, %k: tensor<1x4xf32>) {
  // expected-error @+1 {{scipy.signal.correlate: mode 'circular' is not one of 'full', 'same', 'valid'}}
  %c = predict.foreign_call "scipy.signal.correlate"(%x, %k) kwargs {mode = "circular"} : (tensor<?x10xf32>, tensor<1x4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @softmax_all(%x: tensor<?x10xf32>) {
  // expected-error @+1 {{scipy.special.softmax without axis= normalizes over all elements of its input; predict supports softmax over one axis: pass axis=-1 (or the axis you mean)}}
  %s = predict.foreign_call "scipy.special.softmax"(%x) : (tensor<?x10xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @dot3d(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{numpy.dot of a 3-D array is not a matrix product (it sums over the last axis of a and the second-to-last of b); use numpy.matmul}}
  %d = predict.foreign_call "numpy.dot"(%a, %b) : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @where(%c: tensor<4xf32>, %x: tensor<4xf32>) {
  // expected-error @+1 {{numpy.where: the condition must be a boolean tensor (a comparison), got 'tensor<4xf32>'}}
  %w = predict.foreign_call "numpy.where"(%c, %x, %x) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @clip(%x: tensor<4xf32>) {
  // expected-error @+1 {{numpy.clip needs a_min or a_max}}
  %w = predict.foreign_call "numpy.clip"(%x) : (tensor<4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @broadcast(%x: tensor<4xf32>, %y: tensor<5xf32>) {
  // expected-error @+1 {{'predict.maximum' op operand #1 of shape 5 does not broadcast with the shape 4 of the operands before it}}
  %m = predict.foreign_call "numpy.maximum"(%x, %y) : (tensor<4xf32>, tensor<5xf32>) -> tensor<*xf32>
  return
}
