// Every verifier message of the predict dialect, one case each. The constraint
// numbers (C1 ...) refer to docs/Dialect.md.
// RUN: predict-opt %s -split-input-file -verify-diagnostics

// C1: a model holds layers, methods and models only.
// expected-error @+1 {{may only hold layers, methods and models, but holds 'arith.constant'; computations belong in a method}}
predict.model @m {
  // expected-note @+1 {{the misplaced op}}
  %c = arith.constant 0 : index
}

// -----

// C2: names are unique within a model.
predict.model @m {
  // expected-note @+1 {{see existing symbol definition here}}
  predict.layer.dense @dense1 kernel = dense<1.0> : tensor<4x4xf32>
  // expected-error @+1 {{redefinition of symbol named 'dense1'}}
  predict.layer.dense @dense1 kernel = dense<1.0> : tensor<4x4xf32>
}

// -----

// C2: a model is declared in the module or in another model.
func.func @f() {
  // expected-error @+1 {{'predict.model' op expects parent op to be one of 'builtin.module, predict.model'}}
  predict.model @m {
    predict.layer.dense @d kernel = dense<1.0> : tensor<4x4xf32>
  }
  return
}

// -----

// C3: layers live in models.
func.func @f() {
  // expected-error @+1 {{'predict.layer.dense' op expects parent op 'predict.model'}}
  predict.layer.dense @d kernel = dense<1.0> : tensor<4x4xf32>
  return
}

// -----

// C3: methods live in models.
// expected-error @+1 {{'predict.method' op expects parent op 'predict.model'}}
predict.method @orphan() {
  predict.return
}

// -----

// C4: return arity.
predict.model @m {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    // expected-error @+1 {{returns 0 values but method '@call' has 1 results}}
    predict.return
  }
}

// -----

// C4: a method has a body.
predict.model @m {
  // expected-error @+1 {{'predict.method' op region #0 ('body') failed to verify constraint: region with at least 1 blocks}}
  predict.method @call(tensor<?x4xf32>) -> tensor<?x4xf32>
}

// -----

// C4: return types.
predict.model @m {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x5xf32> {
    // expected-error @+1 {{returns value #0 of type 'tensor<?x4xf32>' from method '@call' declared to return 'tensor<?x5xf32>'}}
    predict.return %x : tensor<?x4xf32>
  }
}

// -----

// C5: a Dense kernel is 2-D.
predict.model @m {
  // expected-error @+1 {{kernel must be 2-D (inputs x units), got 'tensor<4xf32>'}}
  predict.layer.dense @d kernel = dense<1.0> : tensor<4xf32>
}

// -----

// C6: bias size is units.
predict.model @m {
  // expected-error @+1 {{bias must have 3 elements (the kernel's units), got 'tensor<4xf32>'}}
  predict.layer.dense @d kernel = dense<1.0> : tensor<4x3xf32> bias = dense<0.0> : tensor<4xf32>
}

// -----

predict.model @m {
  // expected-error @+1 {{bias element type 'f64' differs from the kernel's 'f32'}}
  predict.layer.dense @d kernel = dense<1.0> : tensor<4x3xf32> bias = dense<0.0> : tensor<3xf64>
}

// -----

predict.model @m {
  // expected-error @+1 {{weight 'kernel' must hold floating-point values, got 'tensor<4x3xi32>'}}
  predict.layer.dense @d kernel = dense<1> : tensor<4x3xi32>
}

// -----

// C7: BatchNormalization parameters are vectors of one length.
predict.model @m {
  // expected-error @+1 {{'gamma' must be 1-D with 4 elements like 'mean', got 'tensor<5xf32>'}}
  predict.layer.batch_norm @bn mean = dense<0.0> : tensor<4xf32> variance = dense<1.0> : tensor<4xf32>
      gamma = dense<1.0> : tensor<5xf32> epsilon = 1.0e-3 axis = -1
}

// -----

predict.model @m {
  // expected-error @+1 {{epsilon must not be negative}}
  predict.layer.batch_norm @bn mean = dense<0.0> : tensor<4xf32> variance = dense<1.0> : tensor<4xf32>
      epsilon = -1.0 axis = -1
}

// -----

predict.model @m {
  // expected-error @+1 {{weight 'variance' must hold floating-point values, got 'tensor<4xi32>'}}
  predict.layer.batch_norm @bn mean = dense<0.0> : tensor<4xf32> variance = dense<1> : tensor<4xi32>
      epsilon = 1.0e-3 axis = -1
}

// -----

// C8: Normalization mean and variance agree.
predict.model @m {
  // expected-error @+1 {{mean 'tensor<1x4xf32>' and variance 'tensor<4xf32>' must have the same type}}
  predict.layer.normalization @n mean = dense<0.0> : tensor<1x4xf32> variance = dense<1.0> : tensor<4xf32>
}

// -----

predict.model @m {
  // expected-error @+1 {{weight 'mean' must hold floating-point values, got 'tensor<4xi32>'}}
  predict.layer.normalization @n mean = dense<0> : tensor<4xi32> variance = dense<1.0> : tensor<4xf32>
}

// -----

// C9: apply names a declared layer.
predict.model @m {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    // expected-error @+1 {{applies '@missing', which is not declared in the model or at module level}}
    %y = predict.apply @missing(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}

// -----

// C9: a sub-model's method cannot reach its parent's layers (Python's `self`
// is the sub-model; enclosing class scopes are not searched).
predict.model @outer {
  predict.layer.dense @dense1 kernel = dense<1.0> : tensor<4x4xf32>
  predict.model @inner {
    predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
      // expected-error @+1 {{applies '@dense1', which is not declared in the model or at module level}}
      %y = predict.apply @dense1(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
      predict.return %y : tensor<?x4xf32>
    }
  }
}

// -----

// C9: apply names a layer, not a method.
predict.model @m {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    // expected-error @+1 {{applies '@call', which is a 'predict.method', not a layer}}
    %y = predict.apply @call(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}

// -----

// C10: the input fits the layer (Dense).
predict.model @m {
  predict.layer.dense @dense1 kernel = dense<1.0> : tensor<100x64xf32>
  predict.method @call(%x: tensor<?x50xf32>) -> tensor<?x64xf32> {
    // expected-error @+1 {{layer '@dense1': input has 50 features but the kernel has 100 rows}}
    %y = predict.apply @dense1(%x) : (tensor<?x50xf32>) -> tensor<?x64xf32>
    predict.return %y : tensor<?x64xf32>
  }
}

// -----

// C10, C34: the declared result fits the layer.
predict.model @m {
  predict.layer.dense @dense1 kernel = dense<1.0> : tensor<100x64xf32>
  predict.method @call(%x: tensor<?x100xf32>) -> tensor<?x32xf32> {
    // expected-error @+1 {{result #0 has type 'tensor<?x32xf32>', incompatible with the type 'tensor<?x64xf32>' that its operands imply}}
    %y = predict.apply @dense1(%x) : (tensor<?x100xf32>) -> tensor<?x32xf32>
    predict.return %y : tensor<?x32xf32>
  }
}

// -----

// C10: the input fits the layer (BatchNormalization).
predict.model @m {
  predict.layer.batch_norm @bn mean = dense<0.0> : tensor<4xf32> variance = dense<1.0> : tensor<4xf32>
      epsilon = 1.0e-3 axis = -1
  predict.method @call(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
    // expected-error @+1 {{layer '@bn': mean has 4 elements but the input's size along the axis is 5}}
    %y = predict.apply @bn(%x) : (tensor<?x5xf32>) -> tensor<?x5xf32>
    predict.return %y : tensor<?x5xf32>
  }
}

// -----

// C10: the input fits the layer (Normalization).
predict.model @m {
  predict.layer.normalization @n mean = dense<0.0> : tensor<1x4xf32> variance = dense<1.0> : tensor<1x4xf32>
  predict.method @call(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
    // expected-error @+1 {{layer '@n': mean of shape 1x4 does not broadcast to the input shape ?x5}}
    %y = predict.apply @n(%x) : (tensor<?x5xf32>) -> tensor<?x5xf32>
    predict.return %y : tensor<?x5xf32>
  }
}

// -----

// C11: model(x) names a model.
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{calls '@nothing', which does not name a model}}
  %y = predict.model_call @nothing(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C11: model(x) needs a call method.
predict.model @m {
  predict.method @predict(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
}
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{calls model '@m', which has no 'call' method}}
  %y = predict.model_call @m(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C12: model.predict(x) names a model.
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{calls '@nothing', which does not name a model}}
  %y = predict.model_predict @nothing(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C12: model.predict(x) needs predict or call.
predict.model @m {
  predict.method @helper(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
}
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{calls predict of model '@m', which has no 'predict', 'predict_step' or 'call' method}}
  %y = predict.model_predict @m(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C13: method_call names a method.
predict.model @m {
  predict.layer.dense @d kernel = dense<1.0> : tensor<4x4xf32>
}
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{calls '@m::@d', which is not a method}}
  %y = predict.method_call @m::@d(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{calls '@m::@helper', which is not declared}}
  %y = predict.method_call @m::@helper(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C14: argument count.
predict.model @m {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
}
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{passes 2 arguments but '@m::@call' takes 1}}
  %y = predict.model_call @m(%x, %x) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C14: argument types.
predict.model @m {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
}
func.func @f(%x: tensor<?x5xf32>) {
  // expected-error @+1 {{argument #0 of type 'tensor<?x5xf32>' does not fit parameter type 'tensor<?x4xf32>' of '@m::@call'}}
  %y = predict.model_call @m(%x) : (tensor<?x5xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C15: result count.
predict.model @m {
  predict.method @predict(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
}
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{expects 0 results but '@m::@predict' returns 1}}
  predict.model_predict @m(%x) : (tensor<?x4xf32>) -> ()
  return
}

// -----

// C15: result types.
predict.model @m {
  predict.method @helper(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
}
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{result #0 of type 'tensor<?x4xf64>' does not fit the type 'tensor<?x4xf32>' that '@m::@helper' returns}}
  %y = predict.method_call @m::@helper(%x) : (tensor<?x4xf32>) -> tensor<?x4xf64>
  return
}

// -----

// C40: a dotted Python name.
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{callee 'scipy..convolve' is not a dotted Python name such as 'scipy.signal.convolve'}}
  predict.foreign_call "scipy..convolve"(%x) : (tensor<?x4xf32>) -> ()
  return
}

// -----

func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{keyword argument 'not-a-name' is not a Python identifier}}
  predict.foreign_call "numpy.tanh"(%x) kwargs {"not-a-name" = 1 : i64} : (tensor<?x4xf32>) -> ()
  return
}

// -----

// C16: input features match kernel rows.
func.func @f(%x: tensor<?x50xf32>, %k: tensor<100x64xf32>) {
  // expected-error @+1 {{input has 50 features but the kernel has 100 rows}}
  %y = predict.dense %x, %k : (tensor<?x50xf32>, tensor<100x64xf32>) -> tensor<?x64xf32>
  return
}

// -----

// C16: the input has a batch dimension.
func.func @f(%x: tensor<100xf32>, %k: tensor<100x64xf32>) {
  // expected-error @+1 {{input must have rank at least 2 (batch, ..., features), got 'tensor<100xf32>'}}
  %y = predict.dense %x, %k : (tensor<100xf32>, tensor<100x64xf32>) -> tensor<64xf32>
  return
}

// -----

// C16: the kernel is 2-D.
func.func @f(%x: tensor<?x100xf32>, %k: tensor<100xf32>) {
  // expected-error @+1 {{kernel must be 2-D (inputs x units), got 'tensor<100xf32>'}}
  %y = predict.dense %x, %k : (tensor<?x100xf32>, tensor<100xf32>) -> tensor<?x64xf32>
  return
}

// -----

func.func @f(%x: tensor<?x100xf32>, %k: tensor<100x64xf64>) {
  // expected-error @+1 {{kernel element type 'f64' differs from the input's 'f32'}}
  %y = predict.dense %x, %k : (tensor<?x100xf32>, tensor<100x64xf64>) -> tensor<?x64xf32>
  return
}

// -----

// C17: the bias has units elements.
func.func @f(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{bias has 32 elements but the kernel's units is 64}}
  %y = predict.dense %x, %k, %b : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<32xf32>) -> tensor<?x64xf32>
  return
}

// -----

func.func @f(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<1x64xf32>) {
  // expected-error @+1 {{bias must be 1-D, got 'tensor<1x64xf32>'}}
  %y = predict.dense %x, %k, %b : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<1x64xf32>) -> tensor<?x64xf32>
  return
}

// -----

func.func @f(%x: tensor<?x100xf32>, %k: tensor<100x64xf32>, %b: tensor<64xf16>) {
  // expected-error @+1 {{bias element type 'f16' differs from the input's 'f32'}}
  %y = predict.dense %x, %k, %b : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf16>) -> tensor<?x64xf32>
  return
}

// -----

// C18: alpha only for the kinds that take it.
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'alpha' applies only to elu, leaky_relu, hard_sigmoid, celu, hard_shrink, soft_shrink and squareplus, not relu}}
  %y = predict.activation relu %x alpha = 0.1 : tensor<?x4xf32>
  return
}

// -----

func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'approximate' applies only to gelu, not tanh}}
  %y = predict.activation tanh %x approximate : tensor<?x4xf32>
  return
}

// -----

func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'axis' applies only to softmax and log_softmax, not sigmoid}}
  %y = predict.activation sigmoid %x axis = 1 : tensor<?x4xf32>
  return
}

// -----

func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{axis 2 is out of range for 'tensor<?x4xf32>'}}
  %y = predict.activation softmax %x axis = 2 : tensor<?x4xf32>
  return
}

// -----

func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'predict.activation' op failed to verify that all of {input, result} have same type}}
  %y = "predict.activation"(%x) <{kind = #predict<activation relu>}> : (tensor<?x4xf32>) -> tensor<?x5xf32>
  return
}

// -----

// C19: dropout rate (Keras accepts 1, which drops all in training).
func.func @f(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{rate 1.5 must be in [0, 1]}}
  %y = predict.dropout %x rate = 1.5 : tensor<?x4xf32>
  return
}

// -----

// C20: batch norm axis.
func.func @f(%x: tensor<?x4xf32>, %v: tensor<4xf32>) {
  // expected-error @+1 {{axis 2 is out of range for 'tensor<?x4xf32>'}}
  %y = predict.batch_norm %x mean %v variance %v epsilon = 1.0e-3 axis = 2
      : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C20: batch norm parameters along the axis.
func.func @f(%x: tensor<?x4xf32>, %v: tensor<4xf32>, %g: tensor<3xf32>) {
  // expected-error @+1 {{gamma has 3 elements but the input's size along the axis is 4}}
  %y = predict.batch_norm %x mean %v variance %v gamma %g epsilon = 1.0e-3 axis = -1
      : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @f(%x: tensor<?x4xf32>, %v: tensor<4xf32>, %b: tensor<4xf64>) {
  // expected-error @+1 {{beta element type 'f64' differs from the input's 'f32'}}
  %y = predict.batch_norm %x mean %v variance %v beta %b epsilon = 1.0e-3 axis = -1
      : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf64>) -> tensor<?x4xf32>
  return
}

// -----

// C21: normalization statistics.
func.func @f(%x: tensor<?x4xf32>, %m: tensor<4xf32>, %v: tensor<5xf32>) {
  // expected-error @+1 {{mean 'tensor<4xf32>' and variance 'tensor<5xf32>' must have the same shape}}
  %y = predict.normalization %x mean %m variance %v
      : (tensor<?x4xf32>, tensor<4xf32>, tensor<5xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @f(%x: tensor<?x4xf32>, %m: tensor<2x4xf32>) {
  // expected-error @+1 {{mean of shape 2x4 does not broadcast to the input shape ?x4}}
  %y = predict.normalization %x mean %m variance %m
      : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @f(%x: tensor<?x4xf32>, %m: tensor<4xf64>) {
  // expected-error @+1 {{mean and variance must have the input's element type 'f32'}}
  %y = predict.normalization %x mean %m variance %m
      : (tensor<?x4xf32>, tensor<4xf64>, tensor<4xf64>) -> tensor<?x4xf32>
  return
}

// -----

// C22: flatten keeps a batch dimension.
func.func @f(%x: tensor<f32>) {
  // expected-error @+1 {{input must have a batch dimension, got 'tensor<f32>'}}
  %y = predict.flatten %x : tensor<f32> -> tensor<?x1xf32>
  return
}

// -----

// C34 on flatten: the declared result must match.
func.func @f(%x: tensor<?x28x28xf32>) {
  // expected-error @+1 {{result #0 has type 'tensor<?x700xf32>', incompatible with the type 'tensor<?x784xf32>' that its operands imply}}
  %y = predict.flatten %x : tensor<?x28x28xf32> -> tensor<?x700xf32>
  return
}

// -----

// C23: concatenate ranks.
func.func @f(%a: tensor<?x4xf32>, %b: tensor<?x4x1xf32>) {
  // expected-error @+1 {{input #1 has rank 3 but the inputs before it have rank 2}}
  %y = predict.concatenate %a, %b axis = 1 : (tensor<?x4xf32>, tensor<?x4x1xf32>) -> tensor<?x8xf32>
  return
}

// -----

// C23: concatenate other dimensions.
func.func @f(%a: tensor<2x4xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{input #1 has size 3 in dimension 0 but the inputs before it have 2}}
  %y = predict.concatenate %a, %b axis = 1 : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x8xf32>
  return
}

// -----

// C23: concatenate axis.
func.func @f(%a: tensor<2x4xf32>) {
  // expected-error @+1 {{axis 2 is out of range for input #0 of type 'tensor<2x4xf32>'}}
  %y = predict.concatenate %a, %a axis = 2 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%a: tensor<2x4xf32>, %b: tensor<2x4xf64>) {
  // expected-error @+1 {{input #1 has element type 'f64' but input #0 has 'f32'}}
  %y = predict.concatenate %a, %b axis = 1 : (tensor<2x4xf32>, tensor<2x4xf64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{needs at least one input}}
  %y = predict.concatenate axis = 0 : () -> tensor<2x8xf32>
  return
}

// -----

// C24: broadcasting.
func.func @f(%a: tensor<?x4xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{operand #1 of shape 5 does not broadcast with the shape ?x4 of the operands before it}}
  %y = predict.mul %a, %b : (tensor<?x4xf32>, tensor<5xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C24: add takes two or more.
func.func @f(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{needs at least two inputs, got 1}}
  %y = predict.add %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

// C25: one element type.
func.func @f(%a: tensor<?x4xf32>, %b: tensor<4xf64>) {
  // expected-error @+1 {{operand #1 has element type 'f64' but operand #0 has 'f32'}}
  %y = predict.sub %a, %b : (tensor<?x4xf32>, tensor<4xf64>) -> tensor<?x4xf32>
  return
}

// -----

// C34 on broadcasting: the result has the broadcast shape.
func.func @f(%a: tensor<3x1xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{result #0 has type 'tensor<3x1xf32>', incompatible with the type 'tensor<3x4xf32>' that its operands imply}}
  %y = predict.maximum %a, %b : (tensor<3x1xf32>, tensor<4xf32>) -> tensor<3x1xf32>
  return
}

// -----

// C26: clip bounds.
func.func @f(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{needs at least one of 'min' and 'max'}}
  %y = predict.clip %a : tensor<?x4xf32>
  return
}

// -----

// C226: bools compare for equality only.
func.func @f(%a: tensor<?x4xi1>, %b: tensor<?x4xi1>) {
  // expected-error @+1 {{compares bools by 'lt': only == and != compare bools}}
  %y = predict.compare lt %a, %b : (tensor<?x4xi1>, tensor<?x4xi1>) -> tensor<?x4xi1>
  return
}

// -----

// C27: the condition is boolean.
func.func @f(%c: tensor<?x4xf32>, %a: tensor<?x4xf32>) {
  // expected-error @+1 {{operand #0 must be tensor of 1-bit signless integer values}}
  %y = predict.select %c, %a, %a : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @f(%c: tensor<?x4xi1>, %a: tensor<?x4xf32>, %b: tensor<?x4xf16>) {
  // expected-error @+1 {{operand #1 has element type 'f16' but operand #0 has 'f32'}}
  %y = predict.select %c, %a, %b : (tensor<?x4xi1>, tensor<?x4xf32>, tensor<?x4xf16>) -> tensor<?x4xf32>
  return
}

// -----

// C28: matmul contraction.
func.func @f(%a: tensor<?x4xf32>, %b: tensor<5x6xf32>) {
  // expected-error @+1 {{contracted dimensions differ: the left operand has 4 columns, the right operand 5 rows}}
  %y = predict.matmul %a, %b : (tensor<?x4xf32>, tensor<5x6xf32>) -> tensor<?x6xf32>
  return
}

// -----

func.func @f(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) {
  // expected-error @+1 {{batch dimensions 2 and 5 do not broadcast}}
  %y = predict.matmul %a, %b : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x3x6xf32>
  return
}

// -----

func.func @f(%a: tensor<f32>, %b: tensor<5x6xf32>) {
  // expected-error @+1 {{operands must have rank at least 1, got 'tensor<f32>' and 'tensor<5x6xf32>'}}
  %y = predict.matmul %a, %b : (tensor<f32>, tensor<5x6xf32>) -> tensor<6xf32>
  return
}

// -----

// C29: convolve ranks (scipy.signal refuses unequal ranks).
func.func @f(%a: tensor<1x10xf32>, %k: tensor<4xf32>) {
  // expected-error @+1 {{input and kernel must have the same rank, got 2-D input 'tensor<1x10xf32>' and 1-D kernel 'tensor<4xf32>'}}
  %y = predict.convolve %a, %k mode same : (tensor<1x10xf32>, tensor<4xf32>) -> tensor<1x10xf32>
  return
}

// -----

// C29: valid mode sizes.
func.func @f(%a: tensor<3x10xf32>, %k: tensor<4x4xf32>) {
  // expected-error @+1 {{in 'valid' mode one operand must be at least as large as the other in every dimension, got 'tensor<3x10xf32>' and 'tensor<4x4xf32>'}}
  %y = predict.convolve %a, %k mode valid : (tensor<3x10xf32>, tensor<4x4xf32>) -> tensor<2x7xf32>
  return
}

// -----

// C30: slice axis.
func.func @f(%a: tensor<?x4xf32>, %i: index) {
  // expected-error @+1 {{axis -3 is out of range for 'tensor<?x4xf32>'}}
  %y = predict.slice %a[%i : %i] axis -3 : tensor<?x4xf32> -> tensor<?x4xf32>
  return
}

// -----

// C30, C34: constant bounds give a static size.
func.func @f(%a: tensor<5x4xf32>) {
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  // expected-error @+1 {{result #0 has type 'tensor<3x4xf32>', incompatible with the type 'tensor<2x4xf32>' that its operands imply}}
  %y = predict.slice %a[%c1 : %c3] axis 0 : tensor<5x4xf32> -> tensor<3x4xf32>
  return
}

// -----

// C30: a declared size larger than the bounds allow, even on a size known
// only at run time (clamping only shortens a slice).
func.func @f(%a: tensor<?x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{declares 6 entries along axis 0, but its bounds give at most 1}}
  %y = predict.slice %a[%c0 : %c1] axis 0 : tensor<?x4xf32> -> tensor<6x4xf32>
  return
}

// -----

// C30: x[i:i+2] has at most 2 rows, whatever i is.
func.func @f(%a: tensor<?x4xf32>, %i: index) {
  %c2 = arith.constant 2 : index
  %j = arith.addi %i, %c2 : index
  // expected-error @+1 {{declares 3 entries along axis 0, but its bounds give at most 2}}
  %y = predict.slice %a[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<3x4xf32>
  return
}

// -----

// C30: negative constant bounds count from the end: x[-3:-1] has at most 2.
func.func @f(%a: tensor<?x4xf32>) {
  %c-3 = arith.constant -3 : index
  %c-1 = arith.constant -1 : index
  // expected-error @+1 {{declares 4 entries along axis 0, but its bounds give at most 2}}
  %y = predict.slice %a[%c-3 : %c-1] axis 0 : tensor<?x4xf32> -> tensor<4x4xf32>
  return
}

// -----

// C34: a static size that inference proves different is an error now; one
// it cannot prove is checked at run time (see runtime-checks.mlir).
func.func @f(%a: tensor<3x4xf32>, %b: tensor<?x4xf32>) {
  // expected-error @+1 {{result #0 has type 'tensor<5x4xf32>', incompatible with the type 'tensor<3x4xf32>' that its operands imply}}
  %y = predict.add %a, %b : (tensor<3x4xf32>, tensor<?x4xf32>) -> tensor<5x4xf32>
  return
}

// -----

// C31: dim axis.
func.func @f(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{axis 2 is out of range for 'tensor<?x4xf32>'}}
  %n = predict.dim %a, 2 : tensor<?x4xf32>
  return
}

// -----

// C32: the constant's type is its value's.
func.func @f() {
  // expected-error @+1 {{failed to verify that all of {value, result} have same type}}
  %c = "predict.constant"() <{value = dense<1.0> : tensor<4xf32>}> : () -> tensor<5xf32>
  return
}

// -----

// C33: one size per dynamic dimension.
func.func @f(%n: index) {
  // expected-error @+1 {{has 1 size operands but the result type 'tensor<?x?xf32>' has 2 dynamic dimensions}}
  %z = predict.fill 0.0 [%n] : tensor<?x?xf32>
  return
}

// -----

// C35: Python's range() rejects step 0.
func.func @f(%n: index) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{has step 0; Python's range() rejects it}}
  predict.for %i = %c0 to %n step %c0 {
  }
  return
}

// -----

// C36: carried values keep their type.
func.func @f(%n: index, %x: tensor<1x4xf32>, %y: tensor<?x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{iter_arg #0 has initial type 'tensor<1x4xf32>', body argument type 'tensor<1x4xf32>', yielded type 'tensor<?x4xf32>' and result type 'tensor<1x4xf32>'; all four must be equal}}
  %r = predict.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> (tensor<1x4xf32>) {
    predict.yield %y : tensor<?x4xf32>
  }
  return
}

// -----

// C36: one yielded value per carried value.
func.func @f(%n: index, %x: tensor<1x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{body yields 0 values but the loop carries 1}}
  %r = predict.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> (tensor<1x4xf32>) {
    predict.yield
  }
  return
}

// -----

// C36: one body argument per carried value (generic form).
func.func @f(%n: index, %x: tensor<1x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{body must take the index induction variable and one argument per iter_arg}}
  %r = "predict.for"(%c0, %n, %c1, %x) ({
  ^bb0(%i: index):
    "predict.yield"(%x) : (tensor<1x4xf32>) -> ()
  }) : (index, index, index, tensor<1x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @f(%n: index, %x: tensor<1x4xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{has 1 iter_args but 2 result types}}
  %r:2 = predict.for %i = %c0 to %n step %c0 iter_args(%a = %x) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
    predict.yield %a, %a : tensor<1x4xf32>, tensor<1x4xf32>
  }
  return
}

// -----

// C37: appended values fit the list.
func.func @f(%x: tensor<1x5xf32>) {
  %l = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-error @+1 {{appends a value of type 'tensor<1x5xf32>' to a list of 'tensor<1x4xf32>'}}
  %l2 = predict.list.append %l, %x : !predict.list<tensor<1x4xf32>>, tensor<1x5xf32>
  return
}

// -----

// C38: concat axis.
func.func @f() {
  %l = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-error @+1 {{axis 2 is out of range for input #0 of type 'tensor<1x4xf32>'}}
  %y = predict.list.concat %l axis = 2 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return
}

// -----

// C38, C34: the list's length is unknown, so the joined axis is dynamic.
func.func @f() {
  %l = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-error @+1 {{result #0 has type 'tensor<?x5xf32>', incompatible with the type 'tensor<?x4xf32>' that its operands imply}}
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x5xf32>
  return
}

// -----

// C39: stack axis.
func.func @f() {
  %l = predict.list.empty : !predict.list<tensor<4xf32>>
  // expected-error @+1 {{axis 2 is out of range for stacking elements of type 'tensor<4xf32>'}}
  %y = predict.list.stack %l axis = 2 : !predict.list<tensor<4xf32>> -> tensor<?x4xf32>
  return
}

// -----

// C227: logical and bitwise ops take one element type.
func.func @f(%a: tensor<4xi32>, %b: tensor<4xi64>) {
  // expected-error @+1 {{operands of element types 'i32' and 'i64': both must be bools or one integer type}}
  %y = predict.logical and %a, %b : (tensor<4xi32>, tensor<4xi64>) -> tensor<4xi32>
  return
}
