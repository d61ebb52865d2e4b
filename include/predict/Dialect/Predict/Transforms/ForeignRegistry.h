//===- ForeignRegistry.h - known foreign functions and their rewrites -*- C++ -*-===//
//
// One entry per Python function predict knows how to compile natively: its
// fully qualified name, what it becomes, and the rewrite itself. The table is
// in ForeignRegistry.cpp and documented in docs/ForeignCalls.md.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_DIALECT_PREDICT_TRANSFORMS_FOREIGNREGISTRY_H
#define PREDICT_DIALECT_PREDICT_TRANSFORMS_FOREIGNREGISTRY_H

#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::predict {

/// What a front end may assume of a call's result type before the call is
/// rewritten (it must size the layers that follow): nothing, the first
/// argument's type (elementwise functions), numpy's broadcast of the
/// arguments, or scipy.signal.convolve's sizes for its `mode`.
enum class ForeignResultShape { Unknown, SameAsFirst, Broadcast, Convolve };

/// The name a front end knows `shape` by: `same`, `broadcast`, `convolve`
/// (empty for Unknown).
llvm::StringRef foreignResultShapeName(ForeignResultShape shape);

struct ForeignFunction {
  /// Fully qualified Python name: `scipy.signal.convolve`.
  llvm::StringLiteral name;
  /// What it becomes, for diagnostics and the docs: `predict.convolve`.
  llvm::StringLiteral becomes;
  /// Replaces `call` by native predict ops, or fails with an error at the
  /// call (the arguments do not fit: a rank mismatch, an unknown keyword) or
  /// a match failure (not rewritable as written).
  LogicalResult (*rewrite)(ForeignCallOp call, PatternRewriter &rewriter);
  ForeignResultShape resultShape = ForeignResultShape::Unknown;
};

/// The registry entry for `callee`, or null.
const ForeignFunction *lookupForeignFunction(llvm::StringRef callee);

/// Every entry, in the table's order.
llvm::ArrayRef<ForeignFunction> foreignFunctions();

/// The type `call`'s one result has once the call is rewritten: the entry's
/// rewrite is run on a copy of the call, in a block of its own, and the type
/// is read off what replaces the copy. It is then the native op's own shape
/// rule that types the call (the one home of that rule), so a front end
/// can size what follows the call. Null when the callee has no entry, or
/// its rewrite does not apply as the call is written (the pipeline's
/// rewrite reports why, at the call); the copy's diagnostics are dropped.
Type rewrittenResultType(ForeignCallOp call);

/// Why `call` cannot be a host callback (include/predict/Runtime/
/// ForeignCallback.h passes float32 tensors of known rank and returns one),
/// or an empty string when it can.
std::string whyNoCallback(ForeignCallOp call);

/// The C symbol a library exports for `callee`: predict_foreign_ and the
/// dotted name with '.' replaced by '_'.
std::string callbackSymbol(llvm::StringRef callee);

} // namespace mlir::predict

#endif // PREDICT_DIALECT_PREDICT_TRANSFORMS_FOREIGNREGISTRY_H
