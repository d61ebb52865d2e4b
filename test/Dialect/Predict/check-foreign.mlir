// predict-check-foreign on IR in the style of the seed's SciPyModel: every
// foreign call is an error at its Python line, all in one run, with notes.
// RUN: predict-opt %s -split-input-file -predict-check-foreign -verify-diagnostics

predict.model @model class "SciPyModel" {
  predict.layer.dense @dense1 kernel = dense<0.01> : tensor<100x64xf32> activation relu
  predict.layer.dense @dense2 kernel = dense<0.02> : tensor<64x10xf32> activation softmax
  predict.method @predict(%inputs: tensor<?x100xf32>) -> tensor<*xf32> {
    %x = predict.apply @dense1(%inputs) : (tensor<?x100xf32>) -> tensor<?x64xf32>
    %x2 = predict.apply @dense2(%x) : (tensor<?x64xf32>) -> tensor<?x10xf32>
    %kernel = predict.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
    // expected-error @+4 {{call to foreign function 'scipy.signal.convolve' cannot be compiled into the graph}}
    // expected-note @+3 {{'scipy.signal.convolve' is a Python function, not a predict operation: compiled code cannot run it}}
    // expected-note @+2 {{predict knows a native rewrite of 'scipy.signal.convolve' (into predict.convolve): compile with --foreign=rewrite}}
    // expected-note @+1 {{or rewrite the call with tf.* operations, or keep the model in Python for this step}}
    %0 = predict.foreign_call "scipy.signal.convolve"(%x2, %kernel) kwargs {mode = "same"}
        : (tensor<?x10xf32>, tensor<4xf32>) -> tensor<*xf32>
    // A second call in the same run, one predict does not know.
    // expected-error @+4 {{call to foreign function 'mylib.postprocess' cannot be compiled into the graph}}
    // expected-note @+3 {{'mylib.postprocess' is a Python function}}
    // expected-note @+2 {{predict knows no native rewrite of 'mylib.postprocess' (docs/ForeignCalls.md lists those it knows)}}
    // expected-note @+1 {{or rewrite the call with tf.* operations}}
    %1 = predict.foreign_call "mylib.postprocess"(%0) : (tensor<*xf32>) -> tensor<*xf32>
    predict.return %1 : tensor<*xf32>
  }
}
