// Lists whose elements have the (dynamic) batch size on an axis other than
// the join axis: per-feature loops (cols.append(x[:, j:j+1] * 2 + 1), joined
// along the columns) and collect-each-step loops (h = dense(h);
// outs.append(h), stacked on a new axis 1). The batch size is the same in
// every iteration (predict-lower-loops proves it from the values the
// elements are computed from), so the result is allocated once; compared
// with numpy, for several batch sizes including 0.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; [np.save(f'%t/x{n}.npy', np.random.default_rng(n).standard_normal((n, 4)).astype('f4')) for n in (0, 1, 3, 9)]"
// RUN: for n in 0 1 3 9; do \
// RUN:   for flags in "" "--no-vectorize"; do \
// RUN:     predict-run %s --function=per_feature --input=@%t/x$n.npy --output=@%t/pf.npy $flags && \
// RUN:     predict-run %s --function=steps --input=@%t/x$n.npy --output=@%t/st.npy $flags && \
// RUN:     %python -c "import numpy as np; x = np.load('%t/x$n.npy').astype(np.float64); \
// RUN:       k = np.array([[0.5, -0.25, 0.0, 1.0], [0.25, 0.5, -1.0, 0.0], [0.0, 1.0, 0.5, -0.5], [-0.5, 0.0, 0.25, 0.5]]); \
// RUN:       pf = np.concatenate([x[:, j:j + 1] * 2 + 1 for j in range(4)], axis=1); \
// RUN:       h = x; outs = []; exec('for i in range(3):\n h = np.tanh(h @ k + 0.1)\n outs.append(h)'); st = np.stack(outs, axis=1); \
// RUN:       a, b = np.load('%t/pf.npy'), np.load('%t/st.npy'); \
// RUN:       print('match' if a.shape == pf.shape and b.shape == st.shape and np.allclose(a, pf, atol=1e-6) and np.allclose(b, st, atol=1e-5) else f'MISMATCH {a.shape} {b.shape}')" || exit 1; \
// RUN:   done; \
// RUN: done | FileCheck %s
// CHECK-COUNT-8: match
// CHECK-NOT: MISMATCH

// RUN: predict-opt %s --predict-lower-loops | FileCheck %s --check-prefix=IR
// The destination is allocated before the loop with the batch size of x.
// IR-LABEL: func.func @per_feature
// IR: %[[B:.*]] = tensor.dim %arg0, %c0
// IR: tensor.empty(%[[B]], %{{.*}}) : tensor<?x?xf32>
// IR: scf.for
// IR: tensor.insert_slice {{.*}} [%[[B]], 1] [1, 1]
// IR-LABEL: func.func @steps
// IR: %[[B:.*]] = tensor.dim %arg0, %c0
// IR: tensor.empty(%[[B]], %{{.*}}) : tensor<?x?x4xf32>
// IR: scf.for

func.func @per_feature(%x: tensor<?x4xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<?x1xf32>>
  %n = predict.dim %x, 1 : tensor<?x4xf32>
  %l = predict.for %j = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<?x1xf32>>) {
    %j1 = arith.addi %j, %c1 : index
    %col = predict.slice %x[%j : %j1] axis 1 : tensor<?x4xf32> -> tensor<?x1xf32>
    %two = predict.constant dense<2.0> : tensor<f32>
    %one = predict.constant dense<1.0> : tensor<f32>
    %m = predict.mul %col, %two : (tensor<?x1xf32>, tensor<f32>) -> tensor<?x1xf32>
    %a = predict.add %m, %one : (tensor<?x1xf32>, tensor<f32>) -> tensor<?x1xf32>
    %next = predict.list.append %acc, %a : !predict.list<tensor<?x1xf32>>, tensor<?x1xf32>
    predict.yield %next : !predict.list<tensor<?x1xf32>>
  }
  %r = predict.list.concat %l axis = 1 : !predict.list<tensor<?x1xf32>> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @steps(%x: tensor<?x4xf32>) -> tensor<?x?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %k = predict.constant dense<[[0.5, -0.25, 0.0, 1.0], [0.25, 0.5, -1.0, 0.0], [0.0, 1.0, 0.5, -0.5], [-0.5, 0.0, 0.25, 0.5]]> : tensor<4x4xf32>
  %b = predict.constant dense<0.1> : tensor<4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %r:2 = predict.for %i = %c0 to %c3 step %c1 iter_args(%h = %x, %acc = %l0) -> (tensor<?x4xf32>, !predict.list<tensor<?x4xf32>>) {
    %h1 = predict.dense %h, %k, %b activation tanh : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    %next = predict.list.append %acc, %h1 : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %h1, %next : tensor<?x4xf32>, !predict.list<tensor<?x4xf32>>
  }
  %s = predict.list.stack %r#1 axis = 1 : !predict.list<tensor<?x4xf32>> -> tensor<?x?x4xf32>
  return %s : tensor<?x?x4xf32>
}
