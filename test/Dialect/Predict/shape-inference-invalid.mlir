// Errors that shape inference reveals once shapes are known, and its remarks.
// RUN: predict-opt %s -split-input-file -predict-shape-inference -verify-diagnostics

// A Dense kernel of 100 rows applied to 50 features: the verifier cannot see
// it while the input's shape is unknown; inference reports it at the op.
func.func @kernel_mismatch(%x: tensor<?x50xf32>, %k1: tensor<50x50xf32>, %k2: tensor<100x64xf32>) {
  %h = predict.dense %x, %k1 : (tensor<?x50xf32>, tensor<50x50xf32>) -> tensor<*xf32>
  // expected-error @+1 {{input has 50 features but the kernel has 100 rows}}
  %y = predict.dense %h, %k2 : (tensor<*xf32>, tensor<100x64xf32>) -> tensor<*xf32>
  return
}

// -----

// Same through a layer of a model, located at the call of the layer.
predict.model @m {
  predict.layer.dense @wide kernel = dense<1.0> : tensor<100x64xf32>
  predict.method @call(%x: tensor<?x50xf32>) -> tensor<*xf32> {
    %h = predict.activation relu %x : tensor<?x50xf32>
    %u = predict.foreign_call "numpy.asarray"(%h) : (tensor<?x50xf32>) -> tensor<*xf32>
    // Unknown shapes (a foreign result) are never an error by themselves.
    %ok = predict.apply @wide(%u) : (tensor<*xf32>) -> tensor<*xf32>
    %s = predict.add %h, %h : (tensor<?x50xf32>, tensor<?x50xf32>) -> tensor<*xf32>
    // expected-error @+1 {{layer '@wide': input has 50 features but the kernel has 100 rows}}
    %y = predict.apply @wide(%s) : (tensor<*xf32>) -> tensor<*xf32>
    predict.return %y : tensor<*xf32>
  }
}

// -----

// A declared type that the refined operands contradict.
func.func @declared_conflict(%x: tensor<?x64xf32>, %s: tensor<f32>) {
  %u = predict.add %x, %s : (tensor<?x64xf32>, tensor<f32>) -> tensor<*xf32>
  // expected-error @+1 {{result #0 is declared 'tensor<?x32xf32>' but its operands imply 'tensor<?x64xf32>'}}
  %y = predict.mul %u, %s : (tensor<*xf32>, tensor<f32>) -> tensor<?x32xf32>
  return
}
