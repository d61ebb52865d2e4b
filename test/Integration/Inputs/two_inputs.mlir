// Two batch inputs, for predict-run's input checks.
func.func @add(%x: tensor<?x4xf32>, %y: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %z = predict.add %x, %y : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %z : tensor<?x4xf32>
}
func.func @twice(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %z = predict.add %x, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %z, %x : tensor<?x4xf32>, tensor<?x4xf32>
}
func.func @constant(%x: tensor<?x4xf32>) -> tensor<2x4xf32> {
  %c = predict.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  return %c : tensor<2x4xf32>
}
func.func @same_twice(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %z = predict.exp %x : tensor<?x4xf32>
  return %z, %z : tensor<?x4xf32>, tensor<?x4xf32>
}
