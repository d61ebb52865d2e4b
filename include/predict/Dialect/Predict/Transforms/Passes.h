//===- Passes.h - predict dialect transformations -----------------*- C++ -*-===//

#ifndef PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_H
#define PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::predict {

#define GEN_PASS_DECL
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"

} // namespace mlir::predict

#endif // PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_H
