// Python loops, executed, against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/reference.py make-input %t/x.npy 6x4 --seed 6
// RUN: %python %S/Inputs/reference.py make-input %t/x1.npy 1x4 --seed 1

// A running sum carried from iteration to iteration: numpy's cumsum.
// RUN: predict-run %s --function=running_sum --input=@%t/x.npy --output=@%t/cs.npy
// RUN: %python -c "import numpy as np; np.save('%t/cs.ref.npy', np.cumsum(np.load('%t/x.npy'), axis=0))"
// RUN: %python %S/Inputs/reference.py check %t/cs.npy %t/cs.ref.npy | FileCheck %s
// RUN: predict-run %s --function=running_sum --input=@%t/x1.npy --output=@%t/cs1.npy
// RUN: %python -c "import numpy as np; np.save('%t/cs1.ref.npy', np.cumsum(np.load('%t/x1.npy'), axis=0))"
// RUN: %python %S/Inputs/reference.py check %t/cs1.npy %t/cs1.ref.npy | FileCheck %s
// RUN: predict-run %s --function=running_sum --input=0x4xf32= | FileCheck %s --check-prefix=EMPTY
// EMPTY: result[0]: 0x4xf32={{\[\[\]\]$}}

// range(3) applying one Dense layer repeatedly.
// RUN: predict-run %s --function=repeat --input=@%t/x.npy --output=@%t/rep.npy
// RUN: %python -c "import numpy as np; x = np.load('%t/x.npy').astype(np.float64); k = np.array([[0.5, -0.25, 0.0, 1.0], [0.25, 0.5, -1.0, 0.0], [0.0, 1.0, 0.5, -0.5], [-0.5, 0.0, 0.25, 0.5]]); [x := np.maximum(x @ k + 0.1, 0) for _ in range(3)]; np.save('%t/rep.ref.npy', x)"
// RUN: %python %S/Inputs/reference.py check %t/rep.npy %t/rep.ref.npy | FileCheck %s

// range(n - 1, -1, -1): the rows in reverse order.
// RUN: predict-run %s --function=reverse --input=@%t/x.npy --output=@%t/rev.npy
// RUN: %python -c "import numpy as np; np.save('%t/rev.ref.npy', np.load('%t/x.npy')[::-1])"
// RUN: %python %S/Inputs/reference.py check %t/rev.npy %t/rev.ref.npy | FileCheck %s

// Nested loops, a non-zero start and a step of 2: for i in range(1, 6, 2):
// for j in range(2): acc = acc * 0.5 + x.
// RUN: predict-run %s --function=nested --input=@%t/x.npy --output=@%t/nest.npy
// RUN: %python -c "import numpy as np; x = np.load('%t/x.npy').astype(np.float64); acc = np.zeros_like(x); exec('for i in range(1, 6, 2):\n for j in range(2):\n  acc = acc * 0.5 + x'); np.save('%t/nest.ref.npy', acc)"
// RUN: %python %S/Inputs/reference.py check %t/nest.npy %t/nest.ref.npy | FileCheck %s
// CHECK: match

func.func @running_sum(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %zero = predict.fill 0.0 : tensor<1x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  %r:2 = predict.for %i = %c0 to %n step %c1 iter_args(%total = %zero, %l = %l0)
      -> (tensor<1x4xf32>, !predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %t = predict.add %total, %row : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %l2 = predict.list.append %l, %t : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %t, %l2 : tensor<1x4xf32>, !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %r#1 axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

predict.model @m {
  predict.layer.dense @d kernel = dense<[[0.5, -0.25, 0.0, 1.0], [0.25, 0.5, -1.0, 0.0], [0.0, 1.0, 0.5, -0.5], [-0.5, 0.0, 0.25, 0.5]]> : tensor<4x4xf32>
      bias = dense<0.1> : tensor<4xf32> activation relu
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %r = predict.for %i = %c0 to %c3 step %c1 iter_args(%h = %x) -> (tensor<?x4xf32>) {
      %y = predict.apply @d(%h) : (tensor<?x4xf32>) -> tensor<?x4xf32>
      predict.yield %y : tensor<?x4xf32>
    }
    predict.return %r : tensor<?x4xf32>
  }
}
func.func @repeat(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.model_call @m(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

func.func @reverse(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c1 = arith.constant 1 : index
  %cm1 = arith.constant -1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %last = arith.subi %n, %c1 : index
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  %l = predict.for %i = %last to %cm1 step %cm1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %next = predict.list.append %acc, %row : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

func.func @nested(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c6 = arith.constant 6 : index
  %half = predict.constant dense<0.5> : tensor<f32>
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %zero = predict.fill 0.0 [%n] : tensor<?x4xf32>
  %r = predict.for %i = %c1 to %c6 step %c2 iter_args(%acc = %zero) -> (tensor<?x4xf32>) {
    %in = predict.for %j = %c0 to %c2 step %c1 iter_args(%a = %acc) -> (tensor<?x4xf32>) {
      %s = predict.mul %a, %half : (tensor<?x4xf32>, tensor<f32>) -> tensor<?x4xf32>
      %t = predict.add %s, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
      predict.yield %t : tensor<?x4xf32>
    }
    predict.yield %in : tensor<?x4xf32>
  }
  return %r : tensor<?x4xf32>
}
