// @plain needs no host callback; @other does. @helper is public and called
// by @plain: choosing @plain keeps it.
func.func @plain(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %r = func.call @helper(%x) : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}
func.func @helper(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %r = predict.activation relu %x : tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}
func.func @other(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = predict.foreign_call "mylib.double"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32> loc("model.py":40:8)
  return %y : tensor<2x3xf32>
}
