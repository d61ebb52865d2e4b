//===- AxesReduction.h - a reduction over some axes, as linalg -*- C++ -*-===//
//
// Private to the predict-to-linalg lowering: the iteration space, maps and
// statistic type of a reduction of a ranked tensor over some of its axes,
// shared by predict.layer_norm, predict.l2_normalize and predict.reduce.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_LIB_CONVERSION_PREDICTTOLINALG_AXESREDUCTION_H
#define PREDICT_LIB_CONVERSION_PREDICTTOLINALG_AXESREDUCTION_H

#include "LoweringUtils.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::predict::lowering {

/// A reduction of a ranked tensor over some of its axes: one statistic per
/// position of the others.
struct AxesReduction {
  /// The input's dimensions, ascending, that are reduced.
  SmallVector<int64_t> axes;
  /// From the input's iteration space to a statistic's, and to the axes.
  AffineMap statMap, axesMap;
  /// Reduction along the axes, parallel elsewhere.
  SmallVector<utils::IteratorType> iterators;
  RankedTensorType statType;
  /// The dynamic sizes of `statType`.
  SmallVector<Value> statSizes;
  /// The number of elements each statistic reduces, as an index.
  Value count;

  AxesReduction(OpBuilder &b, Location loc, Value input,
                ArrayRef<int64_t> givenAxes) {
    MLIRContext *ctx = b.getContext();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    for (int64_t axis : givenAxes)
      axes.push_back(*normalizeAxis(axis, rank)); // C42, verified
    llvm::sort(axes);
    SmallVector<AffineExpr> kept, along;
    SmallVector<int64_t> statShape;
    count = arith::ConstantIndexOp::create(b, loc, 1);
    for (int64_t d = 0; d < rank; ++d) {
      bool reduced = llvm::is_contained(axes, d);
      iterators.push_back(reduced ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
      if (reduced) {
        along.push_back(getAffineDimExpr(d, ctx));
        count = arith::MulIOp::create(
            b, loc, count,
            getValueOrCreateConstantIndexOp(b, loc, sizeOf(b, loc, input, d)));
        continue;
      }
      kept.push_back(getAffineDimExpr(d, ctx));
      statShape.push_back(type.getDimSize(d));
      if (type.isDynamicDim(d))
        statSizes.push_back(tensor::DimOp::create(b, loc, input, d));
    }
    statMap = AffineMap::get(rank, 0, kept, ctx);
    axesMap = AffineMap::get(rank, 0, along, ctx);
    statType = RankedTensorType::get(statShape, type.getElementType());
  }

  /// The sum over the axes of `term(x, …)` for the elements of `inputs`
  /// (the input first; others indexed by `maps`), accumulated in
  /// sumAccumulator's type and rounded once to the element type.
  Value sum(OpBuilder &b, Location loc, ValueRange inputs,
            ArrayRef<AffineMap> maps,
            function_ref<Value(OpBuilder &, Location, ValueRange)> term) const {
    Type element = statType.getElementType();
    Type accumulator = sumAccumulator(b, element);
    auto wideType = RankedTensorType::get(statType.getShape(), accumulator);
    SmallVector<AffineMap> all(maps);
    all.push_back(statMap);
    Value sums = linalg::GenericOp::create(
                     b, loc, wideType, inputs,
                     filled(b, loc, floatConstant(b, loc, accumulator, 0.0)),
                     all, iterators,
                     [&](OpBuilder &nb, Location nl, ValueRange args) {
                       linalg::YieldOp::create(
                           nb, nl,
                           accumulateSum(nb, nl, term(nb, nl, args.drop_back()),
                                         args.back()));
                     })
                     .getResult(0);
    return narrow(b, loc, sums);
  }

  /// `stats` (statistics of a wider float type) rounded to the element
  /// type; `stats` itself when of it.
  Value narrow(OpBuilder &b, Location loc, Value stats) const {
    Type element = statType.getElementType();
    if (cast<RankedTensorType>(stats.getType()).getElementType() == element)
      return stats;
    int64_t statRank = statType.getRank();
    AffineMap identity = b.getMultiDimIdentityMap(statRank);
    return linalg::GenericOp::create(
               b, loc, statType, stats,
               emptyTensor(b, loc, statType, statSizes),
               ArrayRef<AffineMap>{identity, identity},
               SmallVector<utils::IteratorType>(statRank,
                                                utils::IteratorType::parallel),
               [&](OpBuilder &nb, Location nl, ValueRange args) {
                 linalg::YieldOp::create(
                     nb, nl,
                     arith::TruncFOp::create(nb, nl, element, args[0])
                         .getResult());
               })
        .getResult(0);
  }

  /// A statistic tensor of `init`'s type (the element type, or a wider
  /// accumulator) filled with `init`.
  Value filled(OpBuilder &b, Location loc, Value init) const {
    auto type = RankedTensorType::get(statType.getShape(), init.getType());
    return linalg::FillOp::create(b, loc, init,
                                  emptyTensor(b, loc, type, statSizes))
        .getResult(0);
  }

  /// The fold over the axes of `input`'s elements from `init`:
  /// `combine(element, accumulated)` (the elements in row-major order).
  /// The statistics have `init`'s type (the input's element type, or a
  /// wider accumulator that `combine` extends the elements to).
  Value fold(OpBuilder &b, Location loc, Value input, Value init,
             function_ref<Value(OpBuilder &, Location, Value, Value)> combine)
      const {
    AffineMap identity =
        b.getMultiDimIdentityMap(cast<RankedTensorType>(input.getType())
                                     .getRank());
    Value start = filled(b, loc, init);
    return linalg::GenericOp::create(
               b, loc, start.getType(), input, start,
               ArrayRef<AffineMap>{identity, statMap}, iterators,
               [&](OpBuilder &nb, Location nl, ValueRange args) {
                 linalg::YieldOp::create(nb, nl,
                                         combine(nb, nl, args[0], args[1]));
               })
        .getResult(0);
  }
};


} // namespace mlir::predict::lowering

#endif // PREDICT_LIB_CONVERSION_PREDICTTOLINALG_AXESREDUCTION_H
