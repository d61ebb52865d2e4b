//===- PredictInterfaces.h - predict op interfaces --------------*- C++ -*-===//

#ifndef PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_H
#define PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpDefinition.h"

namespace mlir::predict::detail {
/// Verifies an op of the shape inference interface: its operands satisfy its
/// constraints, and each declared result type is compatible with the inferred
/// one.
LogicalResult verifyInferredResultTypes(Operation *op);

/// The row-wise rule of elementwise ops with numpy broadcasting (the default
/// of RowWiseOpInterface): each operand `isRow` names has the rank of the
/// result, and each other operand cannot reach the batch axis.
bool isElementwiseRowWise(Operation *op,
                          llvm::function_ref<bool(Value)> isRow);
} // namespace mlir::predict::detail

#include "predict/Dialect/Predict/IR/PredictInterfaces.h.inc"

#endif // PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_H
