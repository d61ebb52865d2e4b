//===- RowWise.cpp - which ops compute each row from that row alone -------===//
//
// The rules of RowWiseOpInterface (PredictInterfaces.td), by which
// predict-batch-loops replaces a loop over rows by one computation on the
// whole batch. A rule answers for an op with at least one row operand (row
// `i` of a batch, leading size 1); every other operand is the same in every
// iteration.
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

using namespace mlir;
using namespace mlir::predict;

/// The rank of a ranked tensor, or nothing: a rule cannot tell where the
/// batch axis of an unranked value is, so it answers no.
static std::optional<int64_t> rankOf(Value value) {
  if (auto type = dyn_cast<RankedTensorType>(value.getType()))
    return type.getRank();
  return std::nullopt;
}

/// An operand that is the same for every row broadcasts the same way against
/// one row and against the batch only if it does not reach the batch axis:
/// a lower rank than the row's, or a leading size of 1.
static bool broadcastsPerRow(Value operand, int64_t rowRank) {
  auto type = dyn_cast<RankedTensorType>(operand.getType());
  if (!type)
    return false;
  return type.getRank() < rowRank ||
         (type.getRank() == rowRank && type.getDimSize(0) == 1);
}

/// Whether `axis` of `value` is not the batch axis (an axis out of range
/// counts as not 0: the verifier rejects it anyway).
static bool offBatchAxis(int64_t axis, Value value) {
  std::optional<int64_t> rank = rankOf(value);
  return rank && normalizeAxis(axis, *rank) != 0;
}

bool predict::detail::isElementwiseRowWise(
    Operation *op, function_ref<bool(Value)> isRow) {
  if (op->getNumResults() != 1)
    return false;
  std::optional<int64_t> rank = rankOf(op->getResult(0));
  if (!rank)
    return false;
  // A row operand of lower rank than the result ((1, 3) + (1, 1, 3)) has
  // its batch axis moved off axis 0 by broadcasting.
  return llvm::all_of(op->getOperands(), [&](Value operand) {
    return isRow(operand) ? rankOf(operand) == rank
                          : broadcastsPerRow(operand, *rank);
  });
}

bool DenseOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && !isRow(getKernel()) &&
         (!getBias() || !isRow(getBias()));
}

bool MatmulOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getLhs()) && rankOf(getLhs()) == 2 && !isRow(getRhs());
}

bool ActivationOp::isRowWise(function_ref<bool(Value)> isRow) {
  // Elementwise without an axis; softmax and log_softmax mix the elements
  // along theirs.
  auto axis = getAxis();
  return !axis || offBatchAxis(*axis, getInput());
}

bool BatchNormOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && offBatchAxis(getAxis(), getInput()) &&
         llvm::none_of(getOperation()->getOperands().drop_front(), isRow);
}

bool LayerNormOp::isRowWise(function_ref<bool(Value)> isRow) {
  // Each sample alone, when the axes leave out the batch axis.
  return isRow(getInput()) &&
         llvm::all_of(getAxes(),
                      [&](int64_t axis) { return offBatchAxis(axis, getInput()); }) &&
         llvm::none_of(getOperation()->getOperands().drop_front(), isRow);
}

bool NormalizationOp::isRowWise(function_ref<bool(Value)> isRow) {
  std::optional<int64_t> rank = rankOf(getInput());
  return isRow(getInput()) && rank &&
         broadcastsPerRow(getMean(), *rank) &&
         broadcastsPerRow(getVariance(), *rank);
}

bool ConcatenateOp::isRowWise(function_ref<bool(Value)> isRow) {
  return llvm::all_of(getInputs(), isRow) &&
         offBatchAxis(getAxis(), getInputs().front());
}

bool SliceOp::isRowWise(function_ref<bool(Value)> isRow) {
  // Columns of the row (x[:, a:b]): the bounds are the same for every row
  // (a loop analysis rejects bounds computed from the iteration number).
  return isRow(getInput()) && offBatchAxis(getAxis(), getInput());
}

bool FlattenOp::isRowWise(function_ref<bool(Value)> isRow) {
  // Flatten keeps axis 0 and collapses the others: each row on its own.
  return isRow(getInput());
}

//===----------------------------------------------------------------------===//
// predict.apply: the rule of the computation its layer stands for
//===----------------------------------------------------------------------===//

bool ApplyOp::isRowWise(function_ref<bool(Value)> isRow) {
  LayerOpInterface layer = resolveLayer();
  return isRow(getInput()) && layer && layer.appliesRowWise(getInput());
}

bool DenseLayerOp::appliesRowWise(Value input) {
  // predict.dense with its weights: each row times the kernel.
  return true;
}

bool BatchNormLayerOp::appliesRowWise(Value input) {
  return offBatchAxis(getAxis(), input);
}

bool PReluOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && !isRow(getAlpha());
}

bool PReluLayerOp::appliesRowWise(Value input) {
  // predict.prelu with its alpha, which never spans the batch axis (C160).
  return true;
}

bool GroupNormLayerOp::appliesRowWise(Value input) {
  // Each sample alone: the statistics never span the batch axis (C163).
  return true;
}

bool L2NormalizeOp::isRowWise(function_ref<bool(Value)> isRow) {
  return llvm::all_of(getAxes(), [&](int64_t axis) {
    return offBatchAxis(axis, getInput());
  });
}

bool LayerNormLayerOp::appliesRowWise(Value input) {
  return llvm::all_of(getAxes(),
                      [&](int64_t axis) { return offBatchAxis(axis, input); });
}
