// The verifier and shape-rule messages of Embedding and Dot (C140-C143;
// the numbers refer to docs/Dialect.md).
// RUN: predict-opt %s -split-input-file -verify-diagnostics

predict.model @m {
  // expected-error @+1 {{embeddings must be 2-D (input_dim x output_dim) with at least one row, got 'tensor<10xf32>'}}
  predict.layer.embedding @emb embeddings = dense<0.5> : tensor<10xf32>
}

// -----

predict.model @m {
  // expected-error @+1 {{embeddings must be 2-D (input_dim x output_dim) with at least one row, got 'tensor<0x3xf32>'}}
  predict.layer.embedding @emb embeddings = dense<0.5> : tensor<0x3xf32>
}

// -----

// C10: only an Embedding takes integers.
predict.model @m {
  predict.layer.dense @d kernel = dense<1.0> : tensor<4x2xf32>
  predict.method @call(%x: tensor<?x4xi32>) -> tensor<*xf32> {
    // expected-error @+1 {{applies layer '@d' to a tensor of 'i32': only an Embedding takes integer ids}}
    %y = predict.apply @d(%x) : (tensor<?x4xi32>) -> tensor<*xf32>
    predict.return %y : tensor<*xf32>
  }
}

// -----

func.func @bool_ids(%ids: tensor<?x4xi1>, %t: tensor<7x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{ids must be integers or floating-point values holding integers, got 'tensor<?x4xi1>'}}
  %e = predict.embedding %ids, %t : (tensor<?x4xi1>, tensor<7x4xf32>) -> tensor<*xf32>
  return %e : tensor<*xf32>
}

// -----

func.func @table_rank(%ids: tensor<?x4xi32>, %t: tensor<7x4x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{embeddings must be 2-D (input_dim x output_dim), got 'tensor<7x4x2xf32>'}}
  %e = predict.embedding %ids, %t : (tensor<?x4xi32>, tensor<7x4x2xf32>) -> tensor<*xf32>
  return %e : tensor<*xf32>
}

// -----

func.func @result_type(%ids: tensor<?x4xi32>, %t: tensor<7x4xf32>) -> tensor<?x4x5xf32> {
  // expected-error @+1 {{result #0 has type 'tensor<?x4x5xf32>', incompatible with the type 'tensor<?x4x4xf32>' that its operands imply}}
  %e = predict.embedding %ids, %t : (tensor<?x4xi32>, tensor<7x4xf32>) -> tensor<?x4x5xf32>
  return %e : tensor<?x4x5xf32>
}

// -----

func.func @dot_axis(%a: tensor<?x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{axis 2 of operand #1 must be one of its axes 1..1 (not the batch axis 0)}}
  %d = predict.batch_dot %a, %a axes = [1, 2] : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<*xf32>
  return %d : tensor<*xf32>
}

// -----

func.func @dot_batch_axis(%a: tensor<?x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{axis 0 of operand #0 must be one of its axes 1..1 (not the batch axis 0)}}
  %d = predict.batch_dot %a, %a axes = [0, 0] : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<*xf32>
  return %d : tensor<*xf32>
}

// -----

func.func @dot_rank(%a: tensor<?xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{operand #0 must have a batch axis and at least one more (rank >= 2), got rank 1}}
  %d = predict.batch_dot %a, %a axes = [1, 1] : (tensor<?xf32>, tensor<?xf32>) -> tensor<*xf32>
  return %d : tensor<*xf32>
}

// -----

func.func @dot_sizes(%a: tensor<?x4xf32>, %b: tensor<?x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{operand #0 has size 4 along axis 1 but operand #1 has 5 along axis 1}}
  %d = predict.batch_dot %a, %b axes = [1, 1] : (tensor<?x4xf32>, tensor<?x5xf32>) -> tensor<*xf32>
  return %d : tensor<*xf32>
}

// -----

func.func @dot_batch(%a: tensor<2x4xf32>, %b: tensor<3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{operands have batch sizes 2 and 3}}
  %d = predict.batch_dot %a, %b axes = [1, 1] : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<*xf32>
  return %d : tensor<*xf32>
}

// -----

func.func @dot_axes_count(%a: tensor<?x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{axes must hold two axes (one per operand), got 1}}
  %d = predict.batch_dot %a, %a axes = [1] : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<*xf32>
  return %d : tensor<*xf32>
}
