// Diagnostics name the user's Python source line, not the IR's.
// The driver stops at the first chunk that fails: the chunk shape inference
// rejects comes first, and verifies on its own.
// RUN: not predict-opt %s -split-input-file -predict-shape-inference 2>&1 | FileCheck %s --check-prefix=INFER
// RUN: not predict-opt %s -split-input-file 2>&1 | FileCheck %s --check-prefix=VERIFY

// INFER: model.py:22:13: error: 'predict.dense' op input has 50 features but the kernel has 100 rows
func.func @f(%x: tensor<?x50xf32>, %k: tensor<100x64xf32>) {
  %u = predict.add %x, %x : (tensor<?x50xf32>, tensor<?x50xf32>) -> tensor<*xf32> loc("model.py":21:13)
  %y = predict.dense %u, %k : (tensor<*xf32>, tensor<100x64xf32>) -> tensor<*xf32> loc("model.py":22:13)
  return
}

// -----

// VERIFY: model.py:12:17: error: 'predict.apply' op layer '@dense1': input has 50 features but the kernel has 100 rows
predict.model @model class "Model" {
  predict.layer.dense @dense1 kernel = dense<1.0> : tensor<100x64xf32> loc("model.py":6:23)
  predict.method @call(%x: tensor<?x50xf32>) -> tensor<?x64xf32> {
    %y = predict.apply @dense1(%x) : (tensor<?x50xf32>) -> tensor<?x64xf32> loc("model.py":12:17)
    predict.return %y : tensor<?x64xf32> loc("model.py":13:9)
  } loc("model.py":11:5)
}
