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

#define GET_ATTRDEF_CLASSES
#include "predict/Dialect/Predict/IR/PredictAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "predict/Dialect/Predict/IR/PredictOpsTypes.h.inc"

#endif // PREDICT_DIALECT_PREDICT_IR_PREDICTDIALECT_H
