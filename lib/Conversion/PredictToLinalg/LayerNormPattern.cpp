//===- LayerNormPattern.cpp - normalizations over axes to linalg ----------===//
//
// predict.layer_norm: mean = sum(x) / n and variance = sum((x - mean)^2) / n
// over the axes (n elements each), as numpy's mean and var compute them,
// then (x - mean) / sqrt(variance + epsilon) * gamma + beta elementwise:
// three linalg.generic ops, the first two reducing the axes.
// predict.l2_normalize: sum(x^2) over the axes, then x * rsqrt(max(sum,
// epsilon)): two.
//
//===----------------------------------------------------------------------===//

#include "AxesReduction.h"
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
struct L2NormalizeLowering : OpConversionPattern<L2NormalizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(L2NormalizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    AxesReduction r(rewriter, loc, input, op.getAxes());
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    Value squares =
        r.sum(rewriter, loc, input, {identity},
              [](OpBuilder &b, Location l, ValueRange args) -> Value {
                return arith::MulFOp::create(b, l, args[0], args[0]);
              });
    double epsilon = op.getEpsilon().convertToDouble();
    // x * rsqrt(max(sum, epsilon)), as tf.math.l2_normalize computes it.
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{input, squares},
        emptyLike(rewriter, loc, input),
        ArrayRef<AffineMap>{identity, r.statMap, identity},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value bounded = arith::MaximumFOp::create(
              b, l, args[1], floatConstant(b, l, args[1].getType(), epsilon));
          linalg::YieldOp::create(
              b, l,
              arith::MulFOp::create(b, l, args[0],
                                    math::RsqrtOp::create(b, l, bounded))
                  .getResult());
        });
    replaceWithCheckedCast(rewriter, op, generic.getResult(0));
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    Type element = type.getElementType();
    AxesReduction r(rewriter, loc, input, op.getAxes());

    // gamma and beta hold the input's sizes along the axes (C41); a size
    // known only at run time is checked then.
    for (Value param : {adaptor.getGamma(), adaptor.getBeta()}) {
      if (!param)
        continue;
      for (auto [k, axis] : llvm::enumerate(r.axes)) {
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
    AffineMap statMap = r.statMap;
    RankedTensorType statType = r.statType;
    int64_t statRank = statType.getRank();
    Value n = arith::SIToFPOp::create(
        rewriter, loc, element,
        arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(),
                                   r.count));

    // mean = sum(x) / n
    Value sum = r.sum(rewriter, loc, input, {identity},
                      [](OpBuilder &, Location, ValueRange args) -> Value {
                        return args[0];
                      });
    AffineMap statIdentity = rewriter.getMultiDimIdentityMap(statRank);
    Value mean =
        linalg::GenericOp::create(
            rewriter, loc, statType, sum,
            emptyTensor(rewriter, loc, statType, r.statSizes),
            ArrayRef<AffineMap>{statIdentity, statIdentity},
            SmallVector<utils::IteratorType>(statRank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, arith::DivFOp::create(b, l, args[0], n).getResult());
            })
            .getResult(0);

    // variance * n = sum((x - mean)^2)
    Value squares = r.sum(
        rewriter, loc, ValueRange{input, mean}, {identity, statMap},
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value centered = arith::SubFOp::create(b, l, args[0], args[1]);
          return arith::MulFOp::create(b, l, centered, centered);
        });

    // (x - mean) / sqrt(variance + epsilon) * gamma + beta
    SmallVector<Value> operands{input, mean, squares};
    SmallVector<AffineMap> maps{identity, statMap, statMap};
    bool hasGamma = static_cast<bool>(adaptor.getGamma());
    bool hasBeta = static_cast<bool>(adaptor.getBeta());
    if (hasGamma) {
      operands.push_back(adaptor.getGamma());
      maps.push_back(r.axesMap);
    }
    if (hasBeta) {
      operands.push_back(adaptor.getBeta());
      maps.push_back(r.axesMap);
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
  patterns.add<LayerNormLowering, L2NormalizeLowering>(patterns.getContext());
}
