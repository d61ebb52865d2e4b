//===- Passes.td - conversions out of the predict dialect ---*- tablegen -*-===//

#ifndef PREDICT_CONVERSION_PASSES_TD
#define PREDICT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertPredictToLinalg : Pass<"convert-predict-to-linalg", "ModuleOp"> {
  let summary = "Lower predict tensor computations to linalg, tensor, arith and math";
  let description = [{
    Lowers the tensor computations of the predict dialect, on tensors, with
    the batch dimension left dynamic:

    * `predict.dense`: `linalg.fill` + `linalg.matmul` (leading dimensions of a
      rank > 2 input collapsed into one), then one elementwise `linalg.generic`
      that adds the bias and applies the activation; softmax as below;
    * `predict.activation`: one elementwise `linalg.generic`; softmax, along
      its axis, numerically stable: the row maximum is subtracted before `exp`;
    * elementwise math with numpy broadcasting: one `linalg.generic` whose
      indexing maps broadcast each operand;
    * `predict.batch_norm`, `predict.normalization`: one `linalg.generic`;
    * `predict.flatten`, `predict.concatenate`, `predict.slice`, `predict.dim`,
      `predict.fill`, `predict.constant`: `tensor` and `arith` ops; slices
      follow Python's rules for negative and out-of-range bounds;
    * `predict.dropout`: its input.

    Sizes known only at run time are never trusted: wherever two must agree
    (broadcast operands, a contraction's inner sizes, a Dense layer's
    features, the other sizes of a concatenation, scipy's 'valid' rule) the
    lowering emits a `predict.assert` at the op's location, and an operand
    of size 1 at run time is broadcast then (`scf.if`). A declared result
    type, or a `tensor.cast`, more static than the lowering computed is
    checked where the value is made. Checks that cannot fail fold away.

    It runs after `predict-inline-models` (no models, calls or layers remain)
    and `predict-shape-inference` (every shape is ranked). Ops that other
    passes lower or reject (`predict.for` and lists, foreign calls) and
    unranked tensors are reported at their Python location.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::predict::PredictDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // PREDICT_CONVERSION_PASSES_TD
