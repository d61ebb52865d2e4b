//===- LayerNormPattern.cpp - predict.layer_norm to linalg ----------------===//
//
// mean = sum(x) / n and variance = sum((x - mean)^2) / n over the axes (n
// elements each), as numpy's mean and var compute them, then
// (x - mean) / sqrt(variance + epsilon) * gamma + beta elementwise: three
// linalg.generic ops, the first two reducing the axes.
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
struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    Type element = type.getElementType();
    SmallVector<int64_t> axes;
    for (int64_t axis : op.getAxes())
      axes.push_back(*normalizeAxis(axis, rank)); // C42, verified
    llvm::sort(axes);

    // gamma and beta hold the input's sizes along the axes (C41); a size
    // known only at run time is checked then.
    for (Value param : {adaptor.getGamma(), adaptor.getBeta()}) {
      if (!param)
        continue;
      for (auto [k, axis] : llvm::enumerate(axes)) {
        OpFoldResult have = sizeOf(rewriter, loc, param, k);
        OpFoldResult want = sizeOf(rewriter, loc, input, axis);
        emitCheck(rewriter, loc, sizesEqual(rewriter, loc, have, want),
                  "the input of layer normalization has {0} " +
                      sizeWords(axis, rank) + "; its parameters have {1}",
                  {getValueOrCreateConstantIndexOp(rewriter, loc, want),
                   getValueOrCreateConstantIndexOp(rewriter, loc, have)});
      }
    }

    // The statistics: one per sample, the input without the axes.
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<AffineExpr> kept, along;
    SmallVector<int64_t> statShape;
    SmallVector<Value> statSizes;
    SmallVector<utils::IteratorType> reducing;
    Value count = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t d = 0; d < rank; ++d) {
      bool reduced = llvm::is_contained(axes, d);
      reducing.push_back(reduced ? utils::IteratorType::reduction
                                 : utils::IteratorType::parallel);
      if (reduced) {
        along.push_back(getAffineDimExpr(d, ctx));
        count = arith::MulIOp::create(
            rewriter, loc, count,
            getValueOrCreateConstantIndexOp(rewriter, loc,
                                            sizeOf(rewriter, loc, input, d)));
        continue;
      }
      kept.push_back(getAffineDimExpr(d, ctx));
      statShape.push_back(type.getDimSize(d));
      if (type.isDynamicDim(d))
        statSizes.push_back(tensor::DimOp::create(rewriter, loc, input, d));
    }
    AffineMap statMap = AffineMap::get(rank, 0, kept, ctx);
    AffineMap paramMap = AffineMap::get(rank, 0, along, ctx);
    auto statType = RankedTensorType::get(statShape, element);
    Value n = arith::SIToFPOp::create(
        rewriter, loc, element,
        arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(),
                                   count));
    auto zeros = [&] {
      return linalg::FillOp::create(
                 rewriter, loc, floatConstant(rewriter, loc, element, 0.0),
                 emptyTensor(rewriter, loc, statType, statSizes))
          .getResult(0);
    };

    // mean = sum(x) / n
    Value sum = linalg::GenericOp::create(
                    rewriter, loc, statType, input, zeros(),
                    ArrayRef<AffineMap>{identity, statMap}, reducing,
                    [&](OpBuilder &b, Location l, ValueRange args) {
                      linalg::YieldOp::create(
                          b, l, arith::AddFOp::create(b, l, args[0], args[1])
                                    .getResult());
                    })
                    .getResult(0);
    AffineMap statIdentity = rewriter.getMultiDimIdentityMap(statShape.size());
    Value mean =
        linalg::GenericOp::create(
            rewriter, loc, statType, sum,
            emptyTensor(rewriter, loc, statType, statSizes),
            ArrayRef<AffineMap>{statIdentity, statIdentity},
            SmallVector<utils::IteratorType>(statShape.size(),
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, arith::DivFOp::create(b, l, args[0], n).getResult());
            })
            .getResult(0);

    // variance * n = sum((x - mean)^2)
    Value squares =
        linalg::GenericOp::create(
            rewriter, loc, statType, ValueRange{input, mean}, zeros(),
            ArrayRef<AffineMap>{identity, statMap, statMap}, reducing,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value centered = arith::SubFOp::create(b, l, args[0], args[1]);
              Value square = arith::MulFOp::create(b, l, centered, centered);
              linalg::YieldOp::create(
                  b, l, arith::AddFOp::create(b, l, square, args[2])
                            .getResult());
            })
            .getResult(0);

    // (x - mean) / sqrt(variance + epsilon) * gamma + beta
    SmallVector<Value> operands{input, mean, squares};
    SmallVector<AffineMap> maps{identity, statMap, statMap};
    bool hasGamma = static_cast<bool>(adaptor.getGamma());
    bool hasBeta = static_cast<bool>(adaptor.getBeta());
    if (hasGamma) {
      operands.push_back(adaptor.getGamma());
      maps.push_back(paramMap);
    }
    if (hasBeta) {
      operands.push_back(adaptor.getBeta());
      maps.push_back(paramMap);
    }
    maps.push_back(identity);
    double epsilon = op.getEpsilon().convertToDouble();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, operands, emptyLike(rewriter, loc, input), maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value variance = arith::DivFOp::create(b, l, args[2], n);
          unsigned next = 3;
          Value gamma = hasGamma ? args[next++] : Value();
          Value beta = hasBeta ? args[next++] : Value();
          linalg::YieldOp::create(
              b, l,
              normalizeElement(b, l, args[0], args[1], variance, epsilon,
                               gamma, beta));
        });
    replaceWithCheckedCast(rewriter, op, generic.getResult(0));
    return success();
  }
};
} // namespace

void lowering::populateLayerNormPatterns(RewritePatternSet &patterns) {
  patterns.add<LayerNormLowering>(patterns.getContext());
}
