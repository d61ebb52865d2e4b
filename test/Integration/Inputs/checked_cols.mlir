// A size check between two operands whose sizes only the run time knows,
// as the lowerings emit it.
func.func @cols(%a: tensor<?x?xf32>, %b: tensor<1x?xf32>) -> tensor<?x?xf32> {
  %c1 = arith.constant 1 : index
  %sq = predict.mul %a, %a : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  %na = tensor.dim %a, %c1 : tensor<?x?xf32>
  %nb = tensor.dim %b, %c1 : tensor<1x?xf32>
  %ok = arith.cmpi eq, %na, %nb : index
  predict.assert %ok, "operands of '-' have {0} and {1} columns" (%na, %nb : index, index) loc("model.py":14:16)
  %r = predict.sub %sq, %b : (tensor<?x?xf32>, tensor<1x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
