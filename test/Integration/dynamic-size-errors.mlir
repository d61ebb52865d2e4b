// Sizes known only at run time that break numpy's rules: a located error
// naming the sizes, exit 1, no output (executed). dynamic-sizes.mlir has the
// cases that pass.
// RUN: not predict-run %s --function=sub --input=4x5xf32=1 --input=4x3xf32=2 2>&1 | FileCheck %s --check-prefix=SUB
// SUB: dynamic-size-errors.mlir:{{[0-9]+}}:{{[0-9]+}}: error: at run time: operands of '-' have 5 and 3 columns (numpy broadcasts only a size of 1)
// RUN: not predict-run %s --function=matmul --input=2x3xf32=1 --input=4x2xf32=1 2>&1 | FileCheck %s --check-prefix=MATMUL
// MATMUL: dynamic-size-errors.mlir:{{[0-9]+}}:{{[0-9]+}}: error: at run time: the matrix product's left operand has 3 columns but its right operand has 4 rows
// RUN: not predict-run %s --function=dense --input=5x2xf32=1 2>&1 | FileCheck %s --check-prefix=DENSE2
// DENSE2: error: at run time: the input of this Dense layer has 2 features; its kernel expects 4
// RUN: not predict-run %s --function=dense --input=5x7xf32=1 2>&1 | FileCheck %s --check-prefix=DENSE7
// DENSE7: error: at run time: the input of this Dense layer has 7 features; its kernel expects 4
// RUN: not predict-run %s --function=concat --input=2x4xf32=1 2>&1 | FileCheck %s --check-prefix=CONCAT
// CONCAT: error: at run time: inputs of concatenate have 4 and 3 columns (input #0 and input #1); only the sizes along axis 0 may differ
// RUN: not predict-run %s --function=declared --input=2x4xf32=1 2>&1 | FileCheck %s --check-prefix=DECLARED
// DECLARED: error: at run time: the result of predict.add has 2 rows, but its declared type tensor<5x4xf32> has 5
// RUN: not predict-run %s --function=unit_rows --input=3x4xf32=1 2>&1 | FileCheck %s --check-prefix=UNIT
// UNIT: error: at run time: this slice has 0 rows, but its declared type tensor<1x4xf32> has 1
// RUN: not predict-run %s --function=convolve_valid --input=1x4xf32=1 --input=2x2xf32=1 2>&1 | FileCheck %s --check-prefix=VALID
// VALID: error: at run time: scipy.signal.convolve(in1, in2, mode='valid'): in1 has shape (1, 4) and in2 (2, 2); in 'valid' mode one must be at least as large as the other in every dimension
// Python's x - tail where tail has one row less (numpy raises), and the
// same with one row, where numpy broadcasts (1, 4) - (0, 4) to (0, 4).
// RUN: not predict-run %s --function=minus_tail --input=3x4xf32=1 2>&1 | FileCheck %s --check-prefix=TAIL
// TAIL: error: at run time: operands of '-' have 3 and 2 rows (numpy broadcasts only a size of 1)
// RUN: predict-run %s --function=minus_tail --input=1x4xf32=1 | FileCheck %s --check-prefix=TAIL1
// TAIL1: result[0]: 0x4xf32

// The error names no output: nothing is printed but the error.
// RUN: not predict-run %s --function=sub --input=4x5xf32=1 --input=4x3xf32=2 2>/dev/null | count 0

func.func @sub(%a: tensor<4x?xf32>, %b: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %0 = predict.sub %a, %b : (tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}

func.func @matmul(%a: tensor<?x?xf32>, %b: tensor<4x?xf32>) -> tensor<?x?xf32> {
  %0 = predict.matmul %a, %b : (tensor<?x?xf32>, tensor<4x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

func.func @dense(%x: tensor<?x?xf32>) -> tensor<?x3xf32> {
  %k = predict.constant dense<0.5> : tensor<4x3xf32>
  %0 = predict.dense %x, %k : (tensor<?x?xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

func.func @concat(%x: tensor<?x?xf32>) -> tensor<?x3xf32> {
  %b = predict.constant dense<1.0> : tensor<2x3xf32>
  %0 = predict.concatenate %x, %b axis = 0 : (tensor<?x?xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

func.func @declared(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = predict.add %x, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<5x4xf32>
  %1 = tensor.cast %0 : tensor<5x4xf32> to tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// x[a:a+1] with a = len(x) is empty in Python: a declared single row is
// checked, never read past the end.
func.func @unit_rows(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %m = arith.addi %n, %c1 : index
  %0 = predict.slice %x[%n : %m] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
  %1 = tensor.cast %0 : tensor<1x4xf32> to tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

func.func @convolve_valid(%x: tensor<?x4xf32>, %k: tensor<2x2xf32>) -> tensor<?x?xf32> {
  %0 = predict.convolve %x, %k mode valid : (tensor<?x4xf32>, tensor<2x2xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

func.func @minus_tail(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %tail = predict.slice %x[%c1 : %n] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
  %0 = predict.sub %x, %tail : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
