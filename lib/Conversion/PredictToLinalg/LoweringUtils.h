//===- LoweringUtils.h - builders shared by the predict lowerings -*- C++ -*-===//

#ifndef LIB_CONVERSION_PREDICTTOLINALG_LOWERINGUTILS_H
#define LIB_CONVERSION_PREDICTTOLINALG_LOWERINGUTILS_H

#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>

namespace mlir::predict::lowering {

/// A float constant of type `type`.
Value floatConstant(OpBuilder &b, Location loc, Type type, double value);

/// An uninitialized tensor of `type` whose dynamic sizes are `dynamicSizes`.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                  ValueRange dynamicSizes);

/// Replaces `op`'s single result by `value`, through a tensor.cast when the
/// op declared a less precise type than the lowering computed.
void replaceWithCast(RewriterBase &rewriter, Operation *op, Value value);

/// An uninitialized tensor of the shape and type of `like`.
Value emptyLike(OpBuilder &b, Location loc, Value like);

/// The dynamic sizes of `resultType`, read off the `operands` it is the
/// numpy broadcast of (aligned at the trailing dimension).
SmallVector<Value> broadcastDynamicSizes(OpBuilder &b, Location loc,
                                         RankedTensorType resultType,
                                         ValueRange operands);

/// Computes each element of `resultType` from the broadcast elements of
/// `operands` (ranked tensors, numpy rules) with `body`, as one
/// `linalg.generic`.
Value buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    ValueRange operands,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// The scalar activation `kind` of `x` (every kind but softmax), with
/// Keras's defaults for absent parameters.
Value buildActivation(OpBuilder &b, Location loc, ActivationKind kind, Value x,
                      std::optional<double> alpha, bool approximate);

/// A numerically stable softmax of the ranked tensor `input` along `axis`
/// (in range): exp(x - max) / sum(exp(x - max)).
Value buildSoftmax(OpBuilder &b, Location loc, Value input, int64_t axis);

} // namespace mlir::predict::lowering

#endif // LIB_CONVERSION_PREDICTTOLINALG_LOWERINGUTILS_H
