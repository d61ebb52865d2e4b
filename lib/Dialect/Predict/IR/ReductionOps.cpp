//===- ReductionOps.cpp - shape rules of reductions, argmax, casts --------===//
//
// predict.reduce, predict.arg_reduce, predict.cast, predict.logical,
// predict.not and the unary math ops of Python source's tf.* calls (issue
// 16). Constraint numbers refer to docs/Dialect.md (C220-C239).
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

using namespace mlir;
using namespace mlir::predict;

namespace {
Type elementOf(Type type) { return cast<TensorType>(type).getElementType(); }

/// The shape left after dropping (or, with `keep`, setting to 1) `axes`.
SmallVector<int64_t> reducedShape(ArrayRef<int64_t> shape,
                                  ArrayRef<int64_t> axes, bool keep) {
  SmallVector<int64_t> result;
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (!llvm::is_contained(axes, static_cast<int64_t>(d)))
      result.push_back(size);
    else if (keep)
      result.push_back(1);
  }
  return result;
}

/// Whether `axis` (of `value`'s rank) is not the batch axis 0.
bool offBatchAxis(int64_t axis, Value value) {
  auto ranked = dyn_cast<RankedTensorType>(value.getType());
  return ranked && normalizeAxis(axis, ranked.getRank()) != 0;
}
} // namespace

LogicalResult ReduceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type element = elementOf(getInput().getType());
  bool logical = getKind() == ReduceKind::any || getKind() == ReduceKind::all;
  if (logical != element.isInteger(1)) // C221
    return emitOpError() << stringifyReduceKind(getKind()) << " reduces "
                         << (logical ? "bools (i1)" : "numbers") << ", not "
                         << element;
  auto ranked = dyn_cast<RankedTensorType>(getInput().getType());
  if (!ranked) {
    inferred.push_back(UnrankedTensorType::get(element));
    return success();
  }
  SmallVector<int64_t> axes;
  for (int64_t axis : getAxes()) { // C220
    std::optional<int64_t> d = normalizeAxis(axis, ranked.getRank());
    if (!d)
      return emitOpError() << "axis " << axis << " is out of range for "
                           << ranked;
    if (llvm::is_contained(axes, *d))
      return emitOpError() << "axis " << axis << " is given twice";
    axes.push_back(*d);
  }
  inferred.push_back(RankedTensorType::get(
      reducedShape(ranked.getShape(), axes, getKeepdims()), element));
  return success();
}

bool ReduceOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && llvm::all_of(getAxes(), [&](int64_t axis) {
           return offBatchAxis(axis, getInput());
         });
}

LogicalResult ArgReduceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getKind() != ReduceKind::max && getKind() != ReduceKind::min) // C224
    return emitOpError() << "kind must be max or min, not "
                         << stringifyReduceKind(getKind());
  // C223: the index type is the result's own (tf.argmax's output_type).
  Type index = elementOf(getResult().getType());
  auto ranked = dyn_cast<RankedTensorType>(getInput().getType());
  if (!ranked) {
    inferred.push_back(UnrankedTensorType::get(index));
    return success();
  }
  std::optional<int64_t> d = normalizeAxis(getAxis(), ranked.getRank());
  if (!d) // C222
    return emitOpError() << "axis " << getAxis() << " is out of range for "
                         << ranked;
  inferred.push_back(RankedTensorType::get(
      reducedShape(ranked.getShape(), {*d}, getKeepdims()), index));
  return success();
}

bool ArgReduceOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && offBatchAxis(getAxis(), getInput());
}

LogicalResult CastOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  // C225: the input's shape, the result's element type.
  Type element = elementOf(getResult().getType());
  if (auto ranked = dyn_cast<RankedTensorType>(getInput().getType()))
    inferred.push_back(RankedTensorType::get(ranked.getShape(), element));
  else
    inferred.push_back(UnrankedTensorType::get(element));
  return success();
}

LogicalResult LogicalOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type element = getElementTypeOrSelf(getLhs().getType());
  if (element != getElementTypeOrSelf(getRhs().getType())) // C227
    return emitOpError() << "operands of element types " << element << " and "
                         << getElementTypeOrSelf(getRhs().getType())
                         << ": both must be bools or one integer type";
  auto lhs = dyn_cast<RankedTensorType>(getLhs().getType());
  auto rhs = dyn_cast<RankedTensorType>(getRhs().getType());
  if (!lhs || !rhs) {
    inferred.push_back(UnrankedTensorType::get(element));
    return success();
  }
  auto shape = broadcastShapes(lhs.getShape(), rhs.getShape()); // C24
  if (!shape)
    return emitOpError() << "operands of shapes "
                         << formatShape(lhs.getShape()) << " and "
                         << formatShape(rhs.getShape())
                         << " do not broadcast";
  inferred.push_back(RankedTensorType::get(*shape, element));
  return success();
}

#define PREDICT_SAME_TYPE_INFER(OP)                                            \
  LogicalResult OP::inferResultTypes(SmallVectorImpl<Type> &inferred) {        \
    inferred.push_back(getInput().getType());                                  \
    return success();                                                          \
  }
PREDICT_SAME_TYPE_INFER(NotOp)
PREDICT_SAME_TYPE_INFER(RsqrtOp)
PREDICT_SAME_TYPE_INFER(Log1pOp)
PREDICT_SAME_TYPE_INFER(ErfOp)
PREDICT_SAME_TYPE_INFER(SinOp)
PREDICT_SAME_TYPE_INFER(CosOp)
PREDICT_SAME_TYPE_INFER(FloorOp)
PREDICT_SAME_TYPE_INFER(CeilOp)
PREDICT_SAME_TYPE_INFER(RoundOp)
#undef PREDICT_SAME_TYPE_INFER
