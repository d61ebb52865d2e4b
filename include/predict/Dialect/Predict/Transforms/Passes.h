//===- Passes.h - predict dialect transformations -----------------*- C++ -*-===//

#ifndef PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_H
#define PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::predict {

/// On a loop over row tiles whose iterations are independent (each writes
/// its own rows): the floating-point operations of one iteration, 0 if
/// unknown. Set by predict-tile-and-vectorize, read and removed by
/// predict-parallelize-tiles.
inline constexpr llvm::StringLiteral kParallelFlopsAttr =
    "predict.parallel_flops";

#define GEN_PASS_DECL
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"

} // namespace mlir::predict

#endif // PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_H
