// Foreign calls that predict has no native rewrite for, answered by the
// example plugin (examples/foreign-plugin).
func.func @smooth(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %k = predict.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  // A dynamic result: the plugin's shape function gives it.
  %y = predict.foreign_call "mylib.rowwise_convolve"(%x, %k) : (tensor<?x10xf32>, tensor<4xf32>) -> tensor<?x10xf32> loc("model.py":15:14)
  // Compiled code around the callback, and a known function rewritten.
  %t = predict.foreign_call "numpy.tanh"(%y) : (tensor<?x10xf32>) -> tensor<?x10xf32>
  %r = predict.activation relu %t : tensor<?x10xf32>
  return %r : tensor<?x10xf32>
}
func.func @double(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // A static annotated result: no shape function needed.
  %y = predict.foreign_call "mylib.double"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
