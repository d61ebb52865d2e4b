//===- BatchDotPattern.cpp - predict.batch_dot (Keras's Dot) to linalg ----===//
//
// One linalg.generic contracts the two axes per sample: its iteration space
// is (n, the free dimensions of lhs, the free dimensions of rhs, k), which
// is Keras's batch_dot without its transposes and reshapes. `normalize`
// first divides each operand by its L2 norm along its axis (two generics:
// the sum of squares, then the division).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
/// `x / max(sqrt(sum(x^2 along axis)), 1e-7)`: Keras 3's
/// `ops.normalize(x, axis)` (order 2, epsilon `backend.epsilon()`), which
/// its Dot layer applies with `normalize=True`.
Value l2Normalize(OpBuilder &b, Location loc, Value x, int64_t axis) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  Type element = type.getElementType();
  SmallVector<int64_t> shape;
  SmallVector<Value> sizes, allSizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (type.isDynamicDim(d)) {
      Value size = tensor::DimOp::create(b, loc, x, d);
      allSizes.push_back(size);
      if (d != axis)
        sizes.push_back(size);
    }
    if (d != axis)
      shape.push_back(type.getDimSize(d));
  }
  auto reducedType = RankedTensorType::get(shape, element);
  Value init =
      linalg::FillOp::create(b, loc, floatConstant(b, loc, element, 0.0),
                             emptyTensor(b, loc, reducedType, sizes))
          .getResult(0);
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  SmallVector<utils::IteratorType> reduce = iterators;
  reduce[axis] = utils::IteratorType::reduction;
  Value sums =
      linalg::GenericOp::create(
          b, loc, reducedType, x, init,
          SmallVector<AffineMap>{identity, identity.dropResult(axis)}, reduce,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value square = arith::MulFOp::create(nb, nl, args[0], args[0]);
            linalg::YieldOp::create(
                nb, nl, Value(arith::AddFOp::create(nb, nl, square, args[1])));
          })
          .getResult(0);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{x, sums},
             emptyTensor(b, loc, type, allSizes),
             SmallVector<AffineMap>{identity, identity.dropResult(axis),
                                    identity},
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value norm = math::SqrtOp::create(nb, nl, args[1]);
               Value bounded = arith::MaximumFOp::create(
                   nb, nl, norm, floatConstant(nb, nl, element, 1e-7));
               linalg::YieldOp::create(
                   nb, nl,
                   Value(arith::DivFOp::create(nb, nl, args[0], bounded)));
             })
      .getResult(0);
}

struct BatchDotLowering : OpConversionPattern<BatchDotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchDotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getLhs(), y = adaptor.getRhs();
    auto xType = cast<RankedTensorType>(x.getType());
    auto yType = cast<RankedTensorType>(y.getType());
    int64_t xRank = xType.getRank(), yRank = yType.getRank();
    int64_t ax = *normalizeAxis(op.getAxes()[0], xRank);
    int64_t ay = *normalizeAxis(op.getAxes()[1], yRank);
    Type element = xType.getElementType();

    // Keras raises when the batch sizes or the contracted sizes differ.
    auto check = [&](int64_t dx, int64_t dy, StringRef what) {
      OpFoldResult a = sizeOf(rewriter, loc, x, dx);
      OpFoldResult c = sizeOf(rewriter, loc, y, dy);
      emitCheck(rewriter, loc, sizesEqual(rewriter, loc, a, c),
                "the inputs of Dot have " + what + " {0} and {1}",
                {getValueOrCreateConstantIndexOp(rewriter, loc, a),
                 getValueOrCreateConstantIndexOp(rewriter, loc, c)});
    };
    check(0, 0, "batch sizes");
    check(ax, ay, "sizes along the contracted axes");

    if (op.getNormalize()) {
      x = l2Normalize(rewriter, loc, x, ax);
      y = l2Normalize(rewriter, loc, y, ay);
    }

    // Iteration space: n, lhs's free dimensions, rhs's free dimensions, k.
    int64_t xFree = xRank - 2, yFree = yRank - 2;
    int64_t loops = 1 + xFree + yFree + 1;
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n = getAffineDimExpr(0, ctx);
    AffineExpr k = getAffineDimExpr(loops - 1, ctx);
    SmallVector<AffineExpr> xExprs{n}, yExprs{n}, outExprs{n};
    SmallVector<int64_t> shape{xType.getDimSize(0)};
    SmallVector<Value> sizes;
    if (xType.isDynamicDim(0))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, x, 0));
    int64_t loop = 1;
    for (int64_t d = 1; d < xRank; ++d) {
      if (d == ax) {
        xExprs.push_back(k);
        continue;
      }
      xExprs.push_back(getAffineDimExpr(loop, ctx));
      outExprs.push_back(getAffineDimExpr(loop++, ctx));
      shape.push_back(xType.getDimSize(d));
      if (xType.isDynamicDim(d))
        sizes.push_back(tensor::DimOp::create(rewriter, loc, x, d));
    }
    for (int64_t d = 1; d < yRank; ++d) {
      if (d == ay) {
        yExprs.push_back(k);
        continue;
      }
      yExprs.push_back(getAffineDimExpr(loop, ctx));
      outExprs.push_back(getAffineDimExpr(loop++, ctx));
      shape.push_back(yType.getDimSize(d));
      if (yType.isDynamicDim(d))
        sizes.push_back(tensor::DimOp::create(rewriter, loc, y, d));
    }
    auto productType = RankedTensorType::get(shape, element);
    Value init =
        linalg::FillOp::create(rewriter, loc,
                               floatConstant(rewriter, loc, element, 0.0),
                               emptyTensor(rewriter, loc, productType, sizes))
            .getResult(0);
    SmallVector<AffineMap> maps{AffineMap::get(loops, 0, xExprs, ctx),
                                AffineMap::get(loops, 0, yExprs, ctx),
                                AffineMap::get(loops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(loops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    Value product =
        linalg::GenericOp::create(
            rewriter, loc, productType, ValueRange{x, y}, init, maps,
            iterators,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value mul = arith::MulFOp::create(nb, nl, args[0], args[1]);
              linalg::YieldOp::create(
                  nb, nl, Value(arith::AddFOp::create(nb, nl, mul, args[2])));
            })
            .getResult(0);
    // Two 2-D operands give one value per sample: Keras makes it N x 1.
    if (productType.getRank() == 1)
      product = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({productType.getDimSize(0), 1}, element),
          product, SmallVector<ReassociationIndices>{{0, 1}});
    replaceWithCheckedCast(rewriter, op, product);
    return success();
  }
};
} // namespace

void mlir::predict::lowering::populateBatchDotPatterns(
    RewritePatternSet &patterns) {
  patterns.add<BatchDotLowering>(patterns.getContext());
}
