// convert-predict-to-linalg on predict.recurrent (issue 18): the input
// projection of every step is one matmul before the loop; the loop runs
// over the run-time sequence length with the state, the output sequence
// and the recurrent product's scratch as iter_args, and its body is the
// recurrent matmul into the carried scratch and one generic of the gates
// writing into the carried state. A features count known only at run time
// is checked against the kernel's rows (C207).
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -canonicalize -cse | FileCheck %s

// CHECK-LABEL: func.func @lstm
// CHECK: %[[T:.*]] = tensor.dim %arg0, %c1
// CHECK: predict.assert %{{.*}}, "the input of this LSTM has {0} features; its kernel expects {1}"
// CHECK: tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]]
// CHECK: %[[PROJ:.*]] = linalg.matmul ins(%{{.*}}, %arg1 : tensor<?x3xf32>, tensor<3x8xf32>)
// CHECK: %[[BIASED:.*]] = linalg.generic {{.*}} ins(%[[PROJ]], %arg3 : tensor<?x8xf32>, tensor<8xf32>)
// CHECK: scf.for %[[S:.*]] = %c0 to %[[T]] step %c1 iter_args(%[[H:.*]] = %{{.*}}, %[[C:.*]] = %{{.*}}, %[[SEQ:.*]] = %{{.*}}, %[[SCR:.*]] = %{{.*}}) -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x?x2xf32>, tensor<?x8xf32>)
// go_backwards: step s reads time T-1-s, a strided view of the projection.
// CHECK:   %[[TM1:.*]] = arith.subi %[[T]], %c1
// CHECK:   %[[TT:.*]] = arith.subi %[[TM1]], %[[S]]
// CHECK:   tensor.extract_slice %[[BIASED]][%[[TT]], 0] [%{{.*}}, 8] [%[[T]], 1]
// CHECK:   %[[ZERO:.*]] = linalg.fill ins(%{{.*}}) outs(%[[SCR]] : tensor<?x8xf32>)
// CHECK:   %[[REC:.*]] = linalg.matmul ins(%[[H]], %arg2 : tensor<?x2xf32>, tensor<2x8xf32>) outs(%[[ZERO]] : tensor<?x8xf32>)
// CHECK:   %[[NEW:.*]]:2 = linalg.generic {{.*}} outs(%[[H]], %[[C]] : tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK:     math.tanh
// CHECK:   tensor.insert_slice %{{.*}} into %[[SEQ]][0, %[[S]], 0]
// CHECK:   scf.yield %[[NEW]]#0, %[[NEW]]#1, %{{.*}}, %[[REC]]
// CHECK-NOT: linalg.matmul
// CHECK: return
func.func @lstm(%x: tensor<?x?x?xf32>, %k: tensor<3x8xf32>, %r: tensor<2x8xf32>, %b: tensor<8xf32>) -> tensor<?x?x2xf32> {
  %y = predict.recurrent lstm %x, %k, %r bias %b activation tanh recurrent_activation sigmoid return_sequences go_backwards
      : (tensor<?x?x?xf32>, tensor<3x8xf32>, tensor<2x8xf32>, tensor<8xf32>) -> tensor<?x?x2xf32>
  return %y : tensor<?x?x2xf32>
}

// -----

// GRU with reset_after false: r * h first, then (r * h) x U_h: two matmuls
// in the loop, each into its own carried scratch.
// CHECK-LABEL: func.func @gru_reset_before
// CHECK: linalg.matmul
// CHECK: scf.for {{.*}} -> (tensor<?x2xf32>, tensor<?x4xf32>, tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<2x4xf32>)
// CHECK:   linalg.generic
// CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<2x2xf32>)
// CHECK:   linalg.generic
// CHECK:   scf.yield
func.func @gru_reset_before(%x: tensor<?x?x3xf32>, %k: tensor<3x6xf32>, %r: tensor<2x6xf32>) -> tensor<?x2xf32> {
  %y = predict.recurrent gru %x, %k, %r activation tanh recurrent_activation sigmoid
      : (tensor<?x?x3xf32>, tensor<3x6xf32>, tensor<2x6xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A mask keeps the previous state where false; an initial state is checked
// against the batch.
// CHECK-LABEL: func.func @masked
// CHECK: predict.assert %{{.*}}, "initial state #0 of this SimpleRNN has {0} rows; the input's batch is {1}"
// CHECK: predict.assert %{{.*}}, "the mask of this SimpleRNN has {0} steps; the input has {1}"
// CHECK: scf.for
// CHECK:   tensor.extract_slice %arg4[0, %{{.*}}] [%{{.*}}, 1] [1, 1] : tensor<?x?xi1> to tensor<?xi1>
// CHECK:   linalg.generic
// CHECK:     arith.select
func.func @masked(%x: tensor<?x?x3xf32>, %k: tensor<3x2xf32>, %r: tensor<2x2xf32>, %h: tensor<?x2xf32>, %m: tensor<?x?xi1>) -> tensor<?x2xf32> {
  %y = predict.recurrent simple_rnn %x, %k, %r initial_states(%h) mask %m activation tanh recurrent_activation sigmoid
      : (tensor<?x?x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>, tensor<?x2xf32>, tensor<?x?xi1>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// With zero_output_for_mask (or a mask and an initial state) the output is
// carried apart from the state: the gates' generic writes h and the output
// (a select of the new h and zero at a masked step), and the sequence
// stacks the output.
// CHECK-LABEL: func.func @zero_output
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: scf.for {{.*}} iter_args(%[[H:.*]] = %{{.*}}, %[[OUT:.*]] = %{{.*}}, %[[SEQ:.*]] = %{{.*}}, %{{.*}} = %{{.*}})
// CHECK:   linalg.generic {{.*}} outs(%[[H]], %[[OUT]] : tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK:     arith.select
// CHECK:     arith.select
// CHECK:   tensor.insert_slice {{.*}} into %[[SEQ]]
func.func @zero_output(%x: tensor<?x?x3xf32>, %k: tensor<3x2xf32>, %r: tensor<2x2xf32>, %m: tensor<?x?xi1>) -> tensor<?x?x2xf32> {
  %y = predict.recurrent simple_rnn %x, %k, %r mask %m activation tanh recurrent_activation sigmoid return_sequences zero_output_for_mask
      : (tensor<?x?x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>, tensor<?x?xi1>) -> tensor<?x?x2xf32>
  return %y : tensor<?x?x2xf32>
}
