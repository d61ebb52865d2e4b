//===- PredictDialect.h - the predict dialect ---------------------*- C++ -*-===//
//
// Declares the predict dialect, its enums, attributes and types.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_DIALECT_PREDICT_IR_PREDICTDIALECT_H
#define PREDICT_DIALECT_PREDICT_IR_PREDICTDIALECT_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "predict/Dialect/Predict/IR/PredictOpsDialect.h.inc"
#include "predict/Dialect/Predict/IR/PredictEnums.h.inc"

#include <optional>

namespace mlir::predict {
/// Whether activation `kind` normalizes along an axis (softmax,
/// log_softmax) rather than applying elementwise.
inline bool isAlongAxis(ActivationKind kind) {
  return kind == ActivationKind::softmax || kind == ActivationKind::log_softmax;
}
/// The default of the activation's `alpha` parameter, for the kinds that
/// take one (the table of predict.activation); none for the others.
std::optional<double> defaultAlpha(ActivationKind kind);
} // namespace mlir::predict

#define GET_ATTRDEF_CLASSES
#include "predict/Dialect/Predict/IR/PredictAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "predict/Dialect/Predict/IR/PredictOpsTypes.h.inc"

#endif // PREDICT_DIALECT_PREDICT_IR_PREDICTDIALECT_H
