// Lists appended to in straight-line code (`rows = []; rows.append(x);
// rows.append(x * 2); tf.concat(rows)`) are the concatenation of the values
// (tf.stack: each with a new unit axis), compared with numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; [np.save(f'%t/x{n}.npy', np.random.default_rng(n).standard_normal((n, 4)).astype('f4')) for n in (0, 3)]"
// RUN: for n in 0 3; do \
// RUN:   predict-run %s --function=concat --input=@%t/x$n.npy --output=@%t/c.npy && \
// RUN:   predict-run %s --function=stack --input=@%t/x$n.npy --output=@%t/s.npy && \
// RUN:   %python -c "import numpy as np; x = np.load('%t/x$n.npy'); c, s = np.load('%t/c.npy'), np.load('%t/s.npy'); \
// RUN:     rc = np.concatenate([x, x * 2], axis=0); rs = np.stack([x, x * 2], axis=1); \
// RUN:     print('match' if c.shape == rc.shape and s.shape == rs.shape and np.allclose(c, rc) and np.allclose(s, rs) else f'MISMATCH {c.shape} {s.shape}')" || exit 1; \
// RUN: done | FileCheck %s
// CHECK-COUNT-2: match

// RUN: predict-opt %s --predict-lower-loops | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @concat
// IR-NOT: predict.list
// IR: predict.concatenate %arg0, %{{.*}} axis = 0
// IR-LABEL: func.func @stack
// IR: tensor.expand_shape
// IR: predict.concatenate {{.*}} axis = 1

func.func @concat(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %two = predict.constant dense<2.0> : tensor<f32>
  %x2 = predict.mul %x, %two : (tensor<?x4xf32>, tensor<f32>) -> tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %l1 = predict.list.append %l0, %x : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
  %l2 = predict.list.append %l1, %x2 : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
  %r = predict.list.concat %l2 axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

func.func @stack(%x: tensor<?x4xf32>) -> tensor<?x?x4xf32> {
  %two = predict.constant dense<2.0> : tensor<f32>
  %x2 = predict.mul %x, %two : (tensor<?x4xf32>, tensor<f32>) -> tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %l1 = predict.list.append %l0, %x : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
  %l2 = predict.list.append %l1, %x2 : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
  %r = predict.list.stack %l2 axis = 1 : !predict.list<tensor<?x4xf32>> -> tensor<?x?x4xf32>
  return %r : tensor<?x?x4xf32>
}
