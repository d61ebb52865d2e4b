//===- Passes.h - conversions out of the predict dialect ----------*- C++ -*-===//

#ifndef PREDICT_CONVERSION_PASSES_H
#define PREDICT_CONVERSION_PASSES_H

#include "predict/Conversion/PredictToLinalg/PredictToLinalg.h"
#include "predict/Dialect/Predict/IR/PredictDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::predict {

#define GEN_PASS_DECL
#include "predict/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "predict/Conversion/Passes.h.inc"

} // namespace mlir::predict

#endif // PREDICT_CONVERSION_PASSES_H
