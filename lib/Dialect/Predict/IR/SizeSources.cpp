//===- SizeSources.cpp - which operand sizes a result's sizes are ---------===//
//
// ShapeInferenceOpInterface::getResultDimSources: for each op, the operand
// dimensions a result dimension equals at run time. Elementwise ops and
// those keeping their input's shape declare it with a trait; the others
// here. The static part of the same rule is each op's inferResultTypes.
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

using namespace mlir;
using namespace mlir::predict;

using DimSources = SmallVector<std::pair<unsigned, int64_t>>;

/// The rank of `value`'s type, or -1 when unranked.
static int64_t rankOf(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type ? type.getRank() : -1;
}

DimSources predict::detail::resultDimSourcesByTrait(Operation *op,
                                                    int64_t dim) {
  int64_t rank = op->getNumResults() ? rankOf(op->getResult(0)) : -1;
  if (rank < 0 || dim < 0 || dim >= rank)
    return {};
  if (op->hasTrait<OpTrait::SizesOfInput>())
    return rankOf(op->getOperand(0)) == rank ? DimSources{{0, dim}}
                                             : DimSources{};
  if (!op->hasTrait<OpTrait::SizesBroadcast>())
    return {};
  // numpy broadcasting aligns trailing axes; an operand without the axis,
  // or with a static 1 there, stretches to the others' size.
  DimSources sources;
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type)
      return {};
    int64_t d = dim - (rank - type.getRank());
    if (d >= 0 && type.getDimSize(d) != 1)
      sources.push_back({unsigned(i), d});
  }
  return sources;
}

DimSources SliceOp::getResultDimSources(int64_t dim) {
  // Every axis but the sliced one is the input's.
  int64_t rank = rankOf(getInput());
  auto axis = rank < 0 ? std::nullopt : normalizeAxis(getAxis(), rank);
  if (!axis || dim < 0 || dim >= rank || dim == *axis)
    return {};
  return {{0, dim}};
}

DimSources ConcatenateOp::getResultDimSources(int64_t dim) {
  // Every axis but the joined one is each input's (they agree: C32).
  int64_t rank = rankOf(getResult());
  auto axis = rank < 0 ? std::nullopt : normalizeAxis(getAxis(), rank);
  if (!axis || dim < 0 || dim >= rank || dim == *axis)
    return {};
  DimSources sources;
  for (unsigned i = 0, e = getInputs().size(); i < e; ++i)
    sources.push_back({i, dim});
  return sources;
}

DimSources DenseOp::getResultDimSources(int64_t dim) {
  // The leading axes are the input's; the last is the kernel's columns.
  int64_t rank = rankOf(getInput());
  if (rank < 1 || dim < 0 || dim >= rank - 1)
    return {};
  return {{0, dim}};
}

DimSources MatmulOp::getResultDimSources(int64_t dim) {
  // numpy's matmul: (batch..., m, k) @ (batch..., k, n) gives (batch..., m,
  // n), a 1-D left operand without m and a 1-D right one without n; the
  // batch axes broadcast from the right, an operand's static 1 stretching.
  int64_t lr = rankOf(getLhs()), rr = rankOf(getRhs());
  if (lr < 1 || rr < 1 || dim < 0)
    return {};
  bool hasM = lr >= 2, hasN = rr >= 2;
  int64_t lb = std::max<int64_t>(lr - 2, 0), rb = std::max<int64_t>(rr - 2, 0);
  int64_t batch = std::max(lb, rb);
  if (dim < batch) {
    DimSources sources;
    for (auto [i, operand, rank] :
         {std::tuple(0u, getLhs(), lb), std::tuple(1u, getRhs(), rb)}) {
      int64_t d = dim - (batch - rank);
      if (d >= 0 &&
          cast<RankedTensorType>(operand.getType()).getDimSize(d) != 1)
        sources.push_back({i, d});
    }
    return sources;
  }
  if (hasM && dim == batch)
    return {{0, lr - 2}};
  if (hasN && dim == batch + (hasM ? 1 : 0))
    return {{1, rr - 1}};
  return {};
}

/// The input axis that result axis `dim` of a reduction over `axes` is
/// (the kept axes in order; with `keepdims` every axis is itself, a reduced
/// one of static size 1).
static DimSources reducedDimSource(Value input, ArrayRef<int64_t> axes,
                                   bool keepdims, int64_t dim) {
  int64_t rank = rankOf(input);
  if (rank < 0 || dim < 0)
    return {};
  SmallVector<int64_t> reduced;
  for (int64_t axis : axes)
    if (std::optional<int64_t> d = normalizeAxis(axis, rank))
      reduced.push_back(*d);
  int64_t kept = -1;
  for (int64_t d = 0; d < rank; ++d) {
    bool isReduced = llvm::is_contained(reduced, d);
    if (keepdims ? d == dim : (!isReduced && ++kept == dim))
      return isReduced ? DimSources{} : DimSources{{0, d}};
  }
  return {};
}

DimSources ReduceOp::getResultDimSources(int64_t dim) {
  return reducedDimSource(getInput(), getAxes(), getKeepdims(), dim);
}

DimSources ArgReduceOp::getResultDimSources(int64_t dim) {
  return reducedDimSource(getInput(), {getAxis()}, getKeepdims(), dim);
}

DimSources FlattenOp::getResultDimSources(int64_t dim) {
  // The batch axis is the input's; the other is the product of the rest.
  if (dim != 0 || rankOf(getInput()) < 1)
    return {};
  return {{0, 0}};
}

DimSources EmbeddingOp::getResultDimSources(int64_t dim) {
  // The ids' axes, then the table's columns.
  int64_t rank = rankOf(getIds());
  if (rank < 0 || dim < 0)
    return {};
  if (dim < rank)
    return {{0, dim}};
  if (dim == rank)
    return {{1, 1}};
  return {};
}
