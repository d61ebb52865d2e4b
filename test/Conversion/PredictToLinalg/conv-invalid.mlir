// A convolution whose spatial sizes are known only at run time is refused
// at its location (its padding and output sizes are computed when compiling).
// RUN: predict-opt %s -convert-predict-to-linalg -verify-diagnostics

func.func @dynamic(%x: tensor<?x?x8x3xf32>, %k: tensor<3x3x3x4xf32>) -> tensor<?x?x8x4xf32> {
  // expected-error @+1 {{a convolution needs every size but the batch known at compile time, got tensor<?x?x8x3xf32> for its input; give the input a full shape (--input-shape)}}
  %y = predict.conv %x, %k strides = [1, 1] dilations = [1, 1] padding same
      : (tensor<?x?x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<?x?x8x4xf32>
  return %y : tensor<?x?x8x4xf32>
}
