// What convert-predict-to-linalg refuses, with the reason and the way out.
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -verify-diagnostics

func.func @loop(%x: tensor<?x4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{Python loops and lists are lowered by predict-lower-loops, which must run first}}
  predict.for %i = %c0 to %n step %c1 {
  }
  return
}

// -----

func.func @foreign(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{call to foreign function 'numpy.fft.fft' cannot be compiled into the graph: it is not a predict operation}}
  %y = predict.foreign_call "numpy.fft.fft"(%x) : (tensor<?x4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{the shape of a value is unknown at compile time (tensor<*xf32>); give the entry function a ranked signature and run predict-shape-inference first}}
  %y = predict.exp %x : tensor<*xf32>
  return
}


// -----

func.func @convolve(%a: tensor<1x10xf32>, %k: tensor<1x?xf32>) {
  // expected-error @+1 {{convolution needs a kernel of static shape, got tensor<1x?xf32>}}
  %y = predict.convolve %a, %k mode same : (tensor<1x10xf32>, tensor<1x?xf32>) -> tensor<1x10xf32>
  return
}

// -----

// expected-error @+1 {{models, methods and layers are resolved by predict-inline-models, which must run first}}
predict.model @m {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
}
func.func @calls(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{models, methods and layers are resolved by predict-inline-models, which must run first}}
  %y = predict.model_call @m(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// Every refused op is reported in one run.
func.func @several(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{call to foreign function 'numpy.tanh'}}
  %a = predict.foreign_call "numpy.tanh"(%x) : (tensor<?x4xf32>) -> tensor<*xf32>
  // expected-error @+1 {{call to foreign function 'numpy.exp'}}
  %b = predict.foreign_call "numpy.exp"(%x) : (tensor<?x4xf32>) -> tensor<*xf32>
  return
}
