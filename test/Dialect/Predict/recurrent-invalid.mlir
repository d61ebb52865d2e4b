// The verifier and shape-rule messages of the recurrent layers (C200-C206;
// the numbers refer to docs/Dialect.md).
// RUN: predict-opt %s -split-input-file -verify-diagnostics

predict.model @m {
  // expected-error @+1 {{recurrent_kernel of a lstm must be a static units x 4*units matrix (units >= 1), got 'tensor<2x6xf32>'}}
  predict.layer.recurrent @l lstm kernel = dense<0.1> : tensor<3x6xf32>
      recurrent_kernel = dense<0.2> : tensor<2x6xf32>
      activation tanh recurrent_activation sigmoid
}

// -----

predict.model @m {
  // expected-error @+1 {{kernel of a gru of 2 units must be features x 6, got 'tensor<3x8xf32>'}}
  predict.layer.recurrent @l gru kernel = dense<0.1> : tensor<3x8xf32>
      recurrent_kernel = dense<0.2> : tensor<2x6xf32>
      activation tanh recurrent_activation sigmoid
}

// -----

predict.model @m {
  // expected-error @+1 {{bias of a gru with reset_after of 2 units must be 2x6, got 'tensor<6xf32>'}}
  predict.layer.recurrent @l gru kernel = dense<0.1> : tensor<3x6xf32>
      recurrent_kernel = dense<0.2> : tensor<2x6xf32> bias = dense<0.0> : tensor<6xf32>
      activation tanh recurrent_activation sigmoid reset_after
}

// -----

predict.model @m {
  // expected-error @+1 {{reset_after is a GRU's option, not a lstm's}}
  predict.layer.recurrent @l lstm kernel = dense<0.1> : tensor<3x8xf32>
      recurrent_kernel = dense<0.2> : tensor<2x8xf32>
      activation tanh recurrent_activation sigmoid reset_after
}

// -----

predict.model @m {
  // expected-error @+1 {{recurrent_activation softmax is along an axis; a recurrent cell applies elementwise activations}}
  predict.layer.recurrent @l simple_rnn kernel = dense<0.1> : tensor<3x2xf32>
      recurrent_kernel = dense<0.2> : tensor<2x2xf32>
      activation tanh recurrent_activation softmax
}

// -----

predict.model @m {
  // expected-error @+1 {{kernel must hold floating-point values, got 'tensor<3x2xi32>'}}
  predict.layer.recurrent @l simple_rnn kernel = dense<1> : tensor<3x2xi32>
      recurrent_kernel = dense<0.2> : tensor<2x2xf32>
      activation tanh recurrent_activation sigmoid
}

// -----

// C203: the input is batch x time x features, its features the kernel's rows.
func.func @rank(%x: tensor<?x3xf32>, %k: tensor<3x2xf32>, %r: tensor<2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input must be batch x time x features (rank 3), got 'tensor<?x3xf32>'}}
  %y = predict.recurrent simple_rnn %x, %k, %r activation tanh recurrent_activation sigmoid
      : (tensor<?x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @features(%x: tensor<?x?x4xf32>, %k: tensor<3x2xf32>, %r: tensor<2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input has 4 features but the kernel has 3 rows}}
  %y = predict.recurrent simple_rnn %x, %k, %r activation tanh recurrent_activation sigmoid
      : (tensor<?x?x4xf32>, tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// C204: an LSTM starts from h and c.
func.func @states(%x: tensor<?x?x3xf32>, %k: tensor<3x8xf32>, %r: tensor<2x8xf32>, %h: tensor<?x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{a lstm starts from 2 initial state(s) (h, c), got 1}}
  %y = predict.recurrent lstm %x, %k, %r initial_states(%h) activation tanh recurrent_activation sigmoid
      : (tensor<?x?x3xf32>, tensor<3x8xf32>, tensor<2x8xf32>, tensor<?x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @state_shape(%x: tensor<4x?x3xf32>, %k: tensor<3x2xf32>, %r: tensor<2x2xf32>, %h: tensor<5x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{initial state #0 has type 'tensor<5x2xf32>'; the state is 'tensor<4x2xf32>'}}
  %y = predict.recurrent simple_rnn %x, %k, %r initial_states(%h) activation tanh recurrent_activation sigmoid
      : (tensor<4x?x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>, tensor<5x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// C205: the mask is batch x time.
func.func @mask(%x: tensor<?x7x3xf32>, %k: tensor<3x2xf32>, %r: tensor<2x2xf32>, %m: tensor<?x6xi1>) -> tensor<*xf32> {
  // expected-error @+1 {{mask must be batch x time (?x7), got 'tensor<?x6xi1>'}}
  %y = predict.recurrent simple_rnn %x, %k, %r mask %m activation tanh recurrent_activation sigmoid
      : (tensor<?x7x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>, tensor<?x6xi1>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// C206: the results are the output and, with return_states, the states.
func.func @results(%x: tensor<?x?x3xf32>, %k: tensor<3x2xf32>, %r: tensor<2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{has 2 results; a simple_rnn without return_states has 1}}
  %y, %s = predict.recurrent simple_rnn %x, %k, %r activation tanh recurrent_activation sigmoid
      : (tensor<?x?x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}
