// Sizes known only at run time follow numpy: a size 1 broadcasts then, equal
// sizes pass (executed, against numpy and scipy). The mismatches are in
// dynamic-size-errors.test.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/reference.py make-input %t/x54.npy 5x4 --seed 1
// RUN: %python %S/Inputs/reference.py make-input %t/x04.npy 0x4 --seed 2
// RUN: %python %S/Inputs/reference.py make-input %t/c45.npy 4x5 --seed 3
// RUN: %python %S/Inputs/reference.py make-input %t/c41.npy 4x1 --seed 4
// RUN: %python %S/Inputs/reference.py make-input %t/c40.npy 4x0 --seed 5
// RUN: %python %S/Inputs/reference.py make-input %t/k23.npy 2x3 --seed 6
// RUN: %python %S/Inputs/reference.py make-input %t/k32.npy 3x2 --seed 7
// RUN: %python %S/Inputs/reference.py make-input %t/x24.npy 2x4 --seed 8
// RUN: %python %S/Inputs/reference.py make-input %t/k35.npy 3x5 --seed 9
// DEFINE: %{ref} = %python -c "import numpy as np; from scipy import signal; l = lambda n: np.load('%t/' + n + '.npy');
// DEFINE: %{check} = %python %S/Inputs/reference.py check

// A size 1 at run time on either side, equal sizes, and 1 against 0
// (numpy: 0).
// RUN: predict-run %s --function=sub --input=@%t/c45.npy --input=@%t/c41.npy --output=@%t/s1.npy
// RUN: predict-run %s --function=sub --input=@%t/c41.npy --input=@%t/c45.npy --output=@%t/s2.npy
// RUN: predict-run %s --function=sub --input=@%t/c45.npy --input=@%t/c45.npy --output=@%t/s3.npy
// RUN: predict-run %s --function=sub --input=@%t/c41.npy --input=@%t/c40.npy --output=@%t/s4.npy
// RUN: %{ref} np.save('%t/s1.ref.npy', l('c45') - l('c41')); np.save('%t/s2.ref.npy', l('c41') - l('c45')); np.save('%t/s3.ref.npy', l('c45') - l('c45')); np.save('%t/s4.ref.npy', l('c41') - l('c40'))"
// RUN: %{check} %t/s1.npy %t/s1.ref.npy | FileCheck %s
// RUN: %{check} %t/s2.npy %t/s2.ref.npy | FileCheck %s
// RUN: %{check} %t/s3.npy %t/s3.ref.npy | FileCheck %s
// RUN: %{check} %t/s4.npy %t/s4.ref.npy | FileCheck %s

// x - x[0:1] (the slice may be empty, so its size is dynamic): 1 row at
// run time broadcasts; on 0 rows both are empty.
// RUN: predict-run %s --function=minus_first_row --input=@%t/x54.npy --output=@%t/f1.npy
// RUN: predict-run %s --function=minus_first_row --input=@%t/x04.npy --output=@%t/f2.npy
// RUN: %{ref} np.save('%t/f1.ref.npy', l('x54') - l('x54')[0:1]); np.save('%t/f2.ref.npy', l('x04') - l('x04')[0:1])"
// RUN: %{check} %t/f1.npy %t/f1.ref.npy | FileCheck %s
// RUN: %{check} %t/f2.npy %t/f2.ref.npy | FileCheck %s

// Both dimensions broadcast at run time: x[0:1, :] + x[:, 0:1] is an outer
// sum; a matmul and a Dense layer whose inner sizes agree at run time.
// RUN: predict-run %s --function=outer --input=@%t/c45.npy --output=@%t/o.npy
// RUN: predict-run %s --function=matmul --input=@%t/k23.npy --input=@%t/k32.npy --output=@%t/mm.npy
// RUN: predict-run %s --function=dense --input=@%t/x54.npy --output=@%t/d.npy
// RUN: %{ref} c = l('c45'); np.save('%t/o.ref.npy', c[0:1, :] + c[:, 0:1]); np.save('%t/mm.ref.npy', l('k23') @ l('k32')); np.save('%t/d.ref.npy', l('x54') @ np.full((4, 3), 0.5, np.float32))"
// RUN: %{check} %t/o.npy %t/o.ref.npy | FileCheck %s
// RUN: %{check} %t/mm.npy %t/mm.ref.npy | FileCheck %s
// RUN: %{check} %t/d.npy %t/d.ref.npy | FileCheck %s

// A Dense layer on a rank-3 input with both leading sizes known only at
// run time (the result's shape is expanded back from ?x3 to ?x?x3, which
// predict-expand-shapes-to-casts makes a reinterpret_cast), and with 0 rows.
// RUN: %python %S/Inputs/reference.py make-input %t/x354.npy 3x5x4 --seed 10
// RUN: %python %S/Inputs/reference.py make-input %t/x304.npy 3x0x4 --seed 11
// RUN: predict-run %s --function=dense_rank3 --input=@%t/x354.npy --output=@%t/d3.npy
// RUN: predict-run %s --function=dense_rank3 --input=@%t/x304.npy --output=@%t/d30.npy
// RUN: %{ref} w = np.arange(12, dtype=np.float32).reshape(4, 3) / 8 - 0.5; np.save('%t/d3.ref.npy', l('x354') @ w); np.save('%t/d30.ref.npy', l('x304') @ w)"
// RUN: %{check} %t/d3.npy %t/d3.ref.npy | FileCheck %s
// RUN: %{check} %t/d30.npy %t/d30.ref.npy | FileCheck %s

// scipy.signal.correlate(x, k, 'valid') with the kernel larger in every
// dimension: scipy swaps them (2x4 and 3x5 give 2x2).
// RUN: predict-run %s --function=correlate_valid --input=@%t/x24.npy --input=@%t/k35.npy --output=@%t/corr.npy
// RUN: %{ref} np.save('%t/corr.ref.npy', signal.correlate(l('x24').astype(float), l('k35').astype(float), mode='valid'))"
// RUN: %{check} %t/corr.npy %t/corr.ref.npy | FileCheck %s
// CHECK: match

func.func @sub(%a: tensor<4x?xf32>, %b: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %0 = predict.sub %a, %b : (tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}

func.func @minus_first_row(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = predict.slice %x[%c0 : %c1] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
  %0 = predict.sub %x, %r : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

func.func @outer(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %row = predict.slice %x[%c0 : %c1] axis 0 : tensor<?x?xf32> -> tensor<?x?xf32>
  %col = predict.slice %x[%c0 : %c1] axis 1 : tensor<?x?xf32> -> tensor<?x?xf32>
  %0 = predict.add %row, %col : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

func.func @matmul(%a: tensor<?x?xf32>, %b: tensor<3x?xf32>) -> tensor<?x?xf32> {
  %0 = predict.matmul %a, %b : (tensor<?x?xf32>, tensor<3x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

func.func @dense_rank3(%x: tensor<?x?x4xf32>) -> tensor<?x?x3xf32> {
  %k = predict.constant dense<[[-0.5, -0.375, -0.25], [-0.125, 0.0, 0.125], [0.25, 0.375, 0.5], [0.625, 0.75, 0.875]]> : tensor<4x3xf32>
  %0 = predict.dense %x, %k : (tensor<?x?x4xf32>, tensor<4x3xf32>) -> tensor<?x?x3xf32>
  return %0 : tensor<?x?x3xf32>
}

func.func @dense(%x: tensor<?x?xf32>) -> tensor<?x3xf32> {
  %k = predict.constant dense<0.5> : tensor<4x3xf32>
  %0 = predict.dense %x, %k : (tensor<?x?xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

func.func @correlate_valid(%x: tensor<?x4xf32>, %k: tensor<3x5xf32>) -> tensor<?x?xf32> {
  %0 = predict.convolve %x, %k mode valid correlate : (tensor<?x4xf32>, tensor<3x5xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
