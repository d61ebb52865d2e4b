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
  // Elementwise, but softmax and log_softmax mix the elements along their
  // axis, the last when none is given: the batch axis of a 1-D input
  // (found by helper-126: tf.nn.softmax(x) of a vector of rows).
  if (!isAlongAxis(getKind()))
    return true;
  return offBatchAxis(getAxis().value_or(-1), getInput());
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

bool EmbeddingOp::isRowWise(function_ref<bool(Value)> isRow) {
  // Each id looked up alone: the result's axis 0 is the ids' (C141).
  return isRow(getIds()) && !isRow(getEmbeddings());
}

bool RecurrentOp::isRowWise(function_ref<bool(Value)> isRow) {
  // Each sample's sequence runs alone (Keras's equations have no batch
  // term); its initial states and mask are that sample's own, which C207
  // requires to have the input's batch: rows, like the input.
  return isRow(getInput()) && !isRow(getKernel()) &&
         !isRow(getRecurrentKernel()) && (!getBias() || !isRow(getBias())) &&
         llvm::all_of(getInitialStates(), isRow) &&
         (!getMask() || isRow(getMask()));
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

//===----------------------------------------------------------------------===//
// Elements: rows without their batch axis (x[i], tf.map_fn's element)
//===----------------------------------------------------------------------===//

bool predict::detail::isElementwiseRowWiseOnElements(
    Operation *op, function_ref<bool(Value)> isElement) {
  if (!op->hasTrait<OpTrait::ElementwiseRows>() || op->getNumResults() != 1)
    return false;
  std::optional<int64_t> rank = rankOf(op->getResult(0));
  if (!rank)
    return false;
  // numpy aligns shapes at their ends: the batch axis put in front of each
  // element broadcasts against an invariant operand of at most the element's
  // rank, and against nothing else. An element of lower rank than the result
  // (`r - tf.reduce_mean(r)`) is aligned by the batching pass: its batch gets
  // the unit axes numpy puts in front of the element, after the batch axis.
  return llvm::all_of(op->getOperands(), [&](Value operand) {
    std::optional<int64_t> operandRank = rankOf(operand);
    return operandRank && *operandRank <= *rank;
  });
}

/// `axis`, an axis of an element, as the same axis of its batch.
static int64_t batchAxis(int64_t axis) { return axis >= 0 ? axis + 1 : axis; }

/// Moves the axis attribute `name` of `op` (an element's axis) to the
/// batch's.
static void moveAxisAttr(Operation *op, StringRef name) {
  auto attr = op->getAttrOfType<IntegerAttr>(name);
  if (!attr)
    return;
  op->setAttr(name, IntegerAttr::get(attr.getType(), batchAxis(attr.getInt())));
}

/// Moves the axes attribute `name` of `op` (an element's axes) to the
/// batch's.
static void moveAxesAttr(Operation *op, StringRef name) {
  auto attr = op->getAttrOfType<DenseI64ArrayAttr>(name);
  if (!attr)
    return;
  SmallVector<int64_t> axes = llvm::map_to_vector(attr.asArrayRef(), batchAxis);
  op->setAttr(name, DenseI64ArrayAttr::get(op->getContext(), axes));
}

bool DenseOp::isRowWiseOnElements(function_ref<bool(Value)> isElement) {
  // Dense contracts the last axis and keeps the others: the batch's too.
  return isElement(getInput()) && rankOf(getInput()) >= 1 &&
         !isElement(getKernel()) && (!getBias() || !isElement(getBias()));
}

void DenseOp::addBatchAxis() {}

bool MatmulOp::isRowWiseOnElements(function_ref<bool(Value)> isElement) {
  // x[i] @ W with x[i] 1-D (numpy's matmul: a row) and W 2-D and invariant:
  // the batch is a 2-D product, the form convert-predict-to-linalg lowers
  // (an element of higher rank would make a batched matmul).
  return isElement(getLhs()) && rankOf(getLhs()) == 1 && !isElement(getRhs()) &&
         rankOf(getRhs()) == 2;
}

void MatmulOp::addBatchAxis() {}

bool ActivationOp::isRowWiseOnElements(function_ref<bool(Value)> isElement) {
  // Elementwise, or softmax along an axis of the element.
  return isElement(getInput());
}

void ActivationOp::addBatchAxis() { moveAxisAttr(*this, getAxisAttrName()); }

bool ReduceOp::isRowWiseOnElements(function_ref<bool(Value)> isElement) {
  return isElement(getInput());
}

void ReduceOp::addBatchAxis() { moveAxesAttr(*this, getAxesAttrName()); }

bool ArgReduceOp::isRowWiseOnElements(function_ref<bool(Value)> isElement) {
  return isElement(getInput());
}

void ArgReduceOp::addBatchAxis() { moveAxisAttr(*this, getAxisAttrName()); }

bool L2NormalizeOp::isRowWiseOnElements(function_ref<bool(Value)> isElement) {
  return isElement(getInput());
}

void L2NormalizeOp::addBatchAxis() { moveAxesAttr(*this, getAxesAttrName()); }

bool ConcatenateOp::isRowWiseOnElements(function_ref<bool(Value)> isElement) {
  // An invariant input has no batch axis to join along.
  return llvm::all_of(getInputs(), isElement);
}

void ConcatenateOp::addBatchAxis() { moveAxisAttr(*this, getAxisAttrName()); }

bool SliceOp::isRowWiseOnElements(function_ref<bool(Value)> isElement) {
  // The bounds are the same for every row (the loop analysis rejects bounds
  // computed from the iteration number).
  return isElement(getInput());
}

void SliceOp::addBatchAxis() { moveAxisAttr(*this, getAxisAttrName()); }
