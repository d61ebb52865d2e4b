// Sizes known only at run time are checked where they must agree (numpy's
// rules), and a declared type is trusted only as far as the lowering proves
// it; checks that cannot fail are not emitted, or fold away in the pipeline.
// RUN: predict-opt %s -split-input-file -convert-predict-to-linalg -canonicalize -cse | FileCheck %s
// RUN: predict-opt %s -split-input-file --predict-to-linalg | FileCheck %s --check-prefix=FOLD

// Two dynamic sizes: each must be 1 or the other. The result takes the one
// that is not 1; an operand of size 1 against a larger result is broadcast
// at run time, and only then: the generic itself reads both directly.
// CHECK-DAG: #[[$ROW0:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @sub_dynamic_rows
// CHECK: %[[A:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[B:.*]] = tensor.dim %arg1, %c0
// CHECK-DAG: %[[SAME:.*]] = arith.cmpi eq, %[[A]], %[[B]]
// CHECK-DAG: %[[AONE:.*]] = arith.cmpi eq, %[[A]], %c1
// CHECK-DAG: %[[BONE:.*]] = arith.cmpi eq, %[[B]], %c1
// CHECK: %[[ONE:.*]] = arith.ori %[[AONE]], %[[BONE]]
// CHECK: %[[OK:.*]] = arith.ori %[[SAME]], %[[ONE]]
// CHECK: predict.assert %[[OK]], "operands of '-' have {0} and {1} rows (numpy broadcasts only a size of 1)"(%[[A]], %[[B]] : index, index)
// CHECK: %[[N:.*]] = arith.select %[[AONE]], %[[B]], %[[A]]
// CHECK: %[[ASTRETCH:.*]] = arith.cmpi ne, %[[A]], %[[N]]
// CHECK: %[[AIN:.*]] = scf.if %[[ASTRETCH]] -> (tensor<?x4xf32>) {
// CHECK:   %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
// CHECK:   linalg.generic {indexing_maps = [#[[$ROW0]], #[[$ID]]], {{.*}} ins(%arg0 : tensor<?x4xf32>) outs(%[[E]] : tensor<?x4xf32>)
// CHECK: } else {
// CHECK:   scf.yield %arg0
// CHECK: %[[BIN:.*]] = scf.if
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ID]]], {{.*}} ins(%[[AIN]], %[[BIN]] : tensor<?x4xf32>, tensor<?x4xf32>)
// CHECK: arith.subf
// FOLD-LABEL: func.func @sub_dynamic_rows
// FOLD: predict.assert
// FOLD: scf.if
func.func @sub_dynamic_rows(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = predict.sub %a, %b : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// One value's sizes are equal to themselves, and the sizes of a result are
// its operands': after the pipeline's clean-up nothing is checked.
// FOLD-LABEL: func.func @same_sizes
// FOLD-NOT: predict.assert
// FOLD-NOT: scf.if
// FOLD: return
func.func @same_sizes(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %e = predict.exp %a : tensor<?x4xf32>
  %0 = predict.sub %a, %e : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %1 = predict.mul %0, %a : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// -----

// Static sizes are checked by the verifier: no run-time check at all.
// CHECK-LABEL: func.func @static_broadcast
// CHECK-NOT: predict.assert
// CHECK-NOT: scf.if
// CHECK: return
func.func @static_broadcast(%a: tensor<3x4xf32>, %b: tensor<1x4xf32>, %c: tensor<?x1xf32>) -> tensor<3x4xf32> {
  %0 = predict.add %a, %b : (tensor<3x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Against a static size: the dynamic one is 1 (then broadcast) or equal.
// CHECK-LABEL: func.func @against_static
// CHECK: %[[A:.*]] = tensor.dim %arg0, %c0
// CHECK-DAG: %[[ONE:.*]] = arith.cmpi eq, %[[A]], %c1
// CHECK-DAG: %[[SAME:.*]] = arith.cmpi eq, %[[A]], %c3
// CHECK: %[[OK:.*]] = arith.ori %[[SAME]], %[[ONE]]
// CHECK: predict.assert %[[OK]], "operands of maximum have {0} and {1} rows (numpy broadcasts only a size of 1)"(%[[A]], %c3{{.*}} : index, index)
// CHECK: %[[STRETCH:.*]] = arith.cmpi ne, %[[A]], %c3
// CHECK: scf.if %[[STRETCH]] -> (tensor<?x4xf32>)
// CHECK: tensor.empty() : tensor<3x4xf32>
func.func @against_static(%a: tensor<?x4xf32>, %b: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = predict.maximum %a, %b : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// matmul: the contracted sizes agree (numpy never broadcasts them).
// CHECK-LABEL: func.func @matmul_inner
// CHECK: %[[K1:.*]] = tensor.dim %arg0, %c1
// CHECK: %[[K2:.*]] = tensor.dim %arg1, %c0
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[K1]], %[[K2]]
// CHECK: predict.assert %[[OK]], "the matrix product's left operand has {0} columns but its right operand has {1} rows"(%[[K1]], %[[K2]] : index, index)
// CHECK: linalg.matmul
func.func @matmul_inner(%a: tensor<3x?xf32>, %b: tensor<?x2xf32>) -> tensor<3x2xf32> {
  %0 = predict.matmul %a, %b : (tensor<3x?xf32>, tensor<?x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Dense: the input's features are the kernel's rows; a Keras layer is
// named by its location.
// CHECK-LABEL: func.func @dense_features
// CHECK: %[[F:.*]] = tensor.dim %arg0, %c1
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[F]], %c4
// CHECK: predict.assert %[[OK]], "the input of dense 'hidden' has {0} features; its kernel expects {1}"(%[[F]], %c4{{.*}} : index, index)
// CHECK: linalg.matmul
func.func @dense_features(%x: tensor<?x?xf32>, %k: tensor<4x3xf32>) -> tensor<?x3xf32> {
  %0 = predict.dense %x, %k : (tensor<?x?xf32>, tensor<4x3xf32>) -> tensor<?x3xf32> loc("hidden"("m.h5":3:1))
  return %0 : tensor<?x3xf32>
}

// -----

// Concatenation: every size but the joined one agrees; none broadcasts.
// CHECK-LABEL: func.func @concat_columns
// CHECK: %[[C:.*]] = tensor.dim %arg0, %c1
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[C]], %c3
// CHECK: predict.assert %[[OK]], "inputs of concatenate have {0} and {1} columns (input #0 and input #1); only the sizes along axis 0 may differ"
// CHECK: tensor.concat dim(0)
func.func @concat_columns(%a: tensor<?x?xf32>, %b: tensor<2x3xf32>) -> tensor<?x3xf32> {
  %0 = predict.concatenate %a, %b axis = 0 : (tensor<?x?xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// Batch normalization: the parameters have the input's size along the axis.
// CHECK-LABEL: func.func @batch_norm_channels
// CHECK: %[[C:.*]] = tensor.dim %arg0, %c1
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[C]], %c2
// CHECK: predict.assert %[[OK]], "the input of batch normalization has {0} columns; its parameters have {1}"
func.func @batch_norm_channels(%x: tensor<?x?xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<?x?xf32> {
  %0 = predict.batch_norm %x mean %m variance %v epsilon = 1.0e-3 axis = -1 : (tensor<?x?xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// A declared size the operands do not prove is checked where the value is
// made; the static type exists only past the check (an scf.if, so that
// canonicalization cannot fold the cast into the producer, ahead of it).
// CHECK-LABEL: func.func @declared_add
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK-NOT: predict.assert
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK: } -> tensor<?x4xf32>
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[N]], %c5
// CHECK: predict.assert %[[OK]], "the result of predict.add has {0} rows, but its declared type tensor<5x4xf32> has 5"(%[[N]] : index)
// CHECK: scf.if %[[OK]] -> (tensor<5x4xf32>) {
// CHECK:   tensor.cast %[[SUM]] : tensor<?x4xf32> to tensor<5x4xf32>
func.func @declared_add(%x: tensor<?x4xf32>) -> tensor<5x4xf32> {
  %0 = predict.add %x, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// -----

// A slice is as long as Python says (bounds clamped); a declared size is
// checked against that.
// CHECK-LABEL: func.func @declared_slice
// CHECK: arith.subi
// CHECK: %[[LEN:.*]] = arith.maxsi
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[LEN]], %c2
// CHECK: predict.assert %[[OK]], "this slice has {0} rows, but its declared type tensor<2x4xf32> has 2"(%[[LEN]] : index)
// CHECK: scf.if %[[OK]] -> (tensor<2x4xf32>) {
// CHECK:   tensor.extract_slice %arg0[{{.*}}] [2, 4] [1, 1] : tensor<?x4xf32> to tensor<2x4xf32>
func.func @declared_slice(%x: tensor<?x4xf32>, %a: index, %b: index) -> tensor<2x4xf32> {
  %0 = predict.slice %x[%a : %b] axis 0 : tensor<?x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// x[i:i+1] for i over range(k >= 0, len(x)) is one row, also once the loop
// is an scf.for: no check. Over range(len(x) + 1) it may be empty: checked.
// CHECK-LABEL: func.func @loop_rows
// CHECK: scf.for
// CHECK-NOT: predict.assert
// CHECK: scf.for
// CHECK: predict.assert {{.*}} "this slice has {0} rows, but its declared type tensor<1x4xf32> has 1"
func.func @loop_rows(%x: tensor<?x4xf32>, %acc: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%s = %acc) -> (tensor<1x4xf32>) {
    %next = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %next] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %t = predict.add %s, %row : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    scf.yield %t : tensor<1x4xf32>
  }
  %m = arith.addi %n, %c1 : index
  %r2 = scf.for %i = %c0 to %m step %c1 iter_args(%s = %r) -> (tensor<1x4xf32>) {
    %next = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %next] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %t = predict.add %s, %row : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    scf.yield %t : tensor<1x4xf32>
  }
  return %r2 : tensor<1x4xf32>
}

// -----

// A tensor.cast that makes a size static is a claim, checked the same way.
// CHECK-LABEL: func.func @narrowing_cast
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: predict.assert {{.*}} "the value has {0} rows, but its declared type tensor<2x4xf32> has 2"(%[[N]] : index)
// CHECK: scf.if
func.func @narrowing_cast(%x: tensor<?x4xf32>) -> tensor<2x4xf32> {
  %0 = tensor.cast %x : tensor<?x4xf32> to tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// scipy's 'valid' rule at run time: here the kernel is wider than the input,
// so the input must be at most as tall as the kernel (scipy swaps them).
// CHECK-LABEL: func.func @correlate_valid
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[FITS:.*]] = arith.cmpi sle, %[[N]], %c3
// CHECK: %[[FULL:.*]] = arith.cmpi sgt, %[[N]], %c0
// CHECK: predict.assert %[[FITS]], "scipy.signal.correlate(in1, in2, mode='valid'): in1 has shape ({0}, {1}) and in2 (3, 5); in 'valid' mode one must be at least as large as the other in every dimension"(%[[N]], %c4{{.*}} : index, index)
// CHECK: predict.assert %[[FULL]], "scipy.signal.correlate(in1, in2, mode='valid'): in1 has shape ({0}, {1}); in 'valid' mode neither input may be empty"
// CHECK: %[[LOW:.*]] = arith.minsi %[[N]], %c3
// CHECK: %[[HIGH:.*]] = arith.maxsi %[[N]], %c3
// CHECK: %[[OFFSET:.*]] = arith.subi %[[LOW]], %c1
// CHECK: tensor.extract_slice %{{.*}}[%[[OFFSET]], 3] [%{{.*}}, 2] [1, 1]
func.func @correlate_valid(%x: tensor<?x4xf32>, %k: tensor<3x5xf32>) -> tensor<?x2xf32> {
  %0 = predict.convolve %x, %k mode valid correlate : (tensor<?x4xf32>, tensor<3x5xf32>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}
