// Lists built in a loop whose elements' size along the tf.concat axis is
// known only at run time (`x[i:i+1]` with i not proven in bounds, `x[0:i]`):
// predict-lower-loops joins them in a buffer that doubles when full.
// Compared with numpy for batches of 0, 1, 3 and 5 rows: rows in order, in
// reverse (range(n - 1, -1, -1)), a fixed row after an inner loop that
// shadows the index, growing prefixes (several doublings), and a zero-trip
// loop (an empty list joins to 0 rows).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; [np.save(f'%t/x{n}.npy', np.random.default_rng(n).standard_normal((n, 4)).astype('f4')) for n in (0, 1, 3, 5)]"
// RUN: for n in 0 1 3 5; do \
// RUN:   for f in rows reversed inner prefixes; do \
// RUN:     predict-run %s --function=$f --input=@%t/x$n.npy --output=@%t/$f.npy || exit 1; \
// RUN:   done; \
// RUN:   %python -c "import numpy as np; x = np.load('%t/x$n.npy'); n = len(x); \
// RUN:     want = dict(rows=np.concatenate([x[i:i + 1] for i in range(n)] or [x[:0]]), \
// RUN:                 reversed=np.concatenate([x[i:i + 1] for i in range(n - 1, -1, -1)] or [x[:0]]), \
// RUN:                 inner=np.concatenate([x[1:2] for i in range(n)] or [x[:0]]), \
// RUN:                 prefixes=np.concatenate([x[0:i] for i in range(n)] or [x[:0]])); \
// RUN:     bad = [f for f, w in want.items() if np.load(f'%t/{f}.npy').shape != w.shape or not np.allclose(np.load(f'%t/{f}.npy'), w)]; \
// RUN:     print('MISMATCH', n, bad) if bad else print('match', n)" || exit 1; \
// RUN: done | FileCheck %s
// CHECK: match 0
// CHECK: match 1
// CHECK: match 3
// CHECK: match 5
// CHECK-NOT: MISMATCH

// RUN: predict-opt %s --predict-lower-loops | FileCheck %s --check-prefix=IR
// The buffer starts at one row per iteration and is carried with the rows
// used; when an element does not fit it is copied into one twice as large
// (at least large enough); the result is the rows used.
// IR-LABEL: func.func @rows
// IR: arith.divui
// IR: %[[TRIPS:.*]] = arith.select {{.*}} : index
// IR: %[[BUF:.*]] = tensor.empty(%[[TRIPS]]) : tensor<?x4xf32>
// IR: %[[R:.*]]:2 = scf.for %[[I:.*]] = {{.*}} iter_args(%[[B:.*]] = %[[BUF]], %[[U:.*]] = %c0{{.*}}) -> (tensor<?x4xf32>, index)
// IR: %[[ROW:.*]] = predict.slice
// IR: %[[K:.*]] = tensor.dim %[[ROW]], %c0
// IR: %[[NEXT:.*]] = arith.addi %[[U]], %[[K]]
// IR: %[[CAP:.*]] = tensor.dim %[[B]], %c0
// IR: %[[FULL:.*]] = arith.cmpi sgt, %[[NEXT]], %[[CAP]]
// IR: %[[G:.*]] = scf.if %[[FULL]] -> (tensor<?x4xf32>)
// IR: %[[TWICE:.*]] = arith.muli %[[CAP]], %c2
// IR: %[[NEW:.*]] = arith.maxsi %[[TWICE]], %[[NEXT]]
// IR: %[[E:.*]] = tensor.empty(%[[NEW]]) : tensor<?x4xf32>
// IR: tensor.insert_slice %[[B]] into %[[E]]
// IR: } else {
// IR: scf.yield %[[B]]
// IR: %[[INS:.*]] = tensor.insert_slice %[[ROW]] into %[[G]][%[[U]], 0] [%[[K]], 4] [1, 1]
// IR: scf.yield %[[INS]], %[[NEXT]] : tensor<?x4xf32>, index
// IR: tensor.extract_slice %[[R]]#0[0, 0] [%[[R]]#1, 4] [1, 1]
// IR-NOT: predict.list

func.func @rows(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %i1 = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %i1] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %next = predict.list.append %acc, %row : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

func.func @reversed(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c1 = arith.constant 1 : index
  %cm1 = arith.constant -1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %start = arith.subi %n, %c1 : index
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %l = predict.for %i = %start to %cm1 step %cm1 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %i1 = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %i1] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %next = predict.list.append %acc, %row : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// Python's i after an inner `for i in range(2)` is 1: x[1:2] is empty when
// the batch has one row.
func.func @inner(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %j = predict.for %k = %c0 to %c2 step %c1 iter_args(%t = %i) -> (index) {
      predict.yield %k : index
    }
    %j1 = arith.addi %j, %c1 : index
    %row = predict.slice %x[%j : %j1] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %next = predict.list.append %acc, %row : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// Elements of 0, 1, ..., n - 1 rows: the buffer doubles several times.
func.func @prefixes(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %rows = predict.slice %x[%c0 : %i] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %next = predict.list.append %acc, %rows : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}
