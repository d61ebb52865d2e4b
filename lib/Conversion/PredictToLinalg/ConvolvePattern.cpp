//===- ConvolvePattern.cpp - scipy.signal.convolve/correlate to linalg ----===//
//
// The full result is a direct N-D convolution over the input padded with
// m - 1 zeros on each side; 'same' and 'valid' are the slices of it that
// scipy returns, centered as scipy centers them.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
struct ConvolveLowering : OpConversionPattern<ConvolveOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvolveOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), kernel = adaptor.getKernel();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto kernelType = cast<RankedTensorType>(kernel.getType());
    if (!kernelType.hasStaticShape()) // reported by the pass
      return rewriter.notifyMatchFailure(op, "kernel of dynamic shape");
    int64_t rank = inputType.getRank();
    Type element = inputType.getElementType();
    MLIRContext *ctx = rewriter.getContext();

    // Pad each axis by m - 1 zeros on both sides.
    SmallVector<OpFoldResult> pad;
    SmallVector<int64_t> paddedShape;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t m = kernelType.getDimSize(d);
      pad.push_back(rewriter.getIndexAttr(m - 1));
      int64_t n = inputType.getDimSize(d);
      paddedShape.push_back(ShapedType::isDynamic(n) ? n : n + 2 * (m - 1));
    }
    Value zero = floatConstant(rewriter, loc, element, 0.0);
    Value padded = tensor::PadOp::create(
        rewriter, loc, RankedTensorType::get(paddedShape, element), input, pad,
        pad, zero);

    // full[o] = sum_j padded[o + j] * k'[j], with k' the kernel flipped for
    // a convolution and as it is for a correlation.
    SmallVector<int64_t> fullShape;
    SmallVector<OpFoldResult> fullSizes;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t m = kernelType.getDimSize(d);
      int64_t n = inputType.getDimSize(d);
      fullShape.push_back(ShapedType::isDynamic(n) ? n : n + m - 1);
      if (ShapedType::isDynamic(n))
        fullSizes.push_back(
            arith::AddIOp::create(
                rewriter, loc, tensor::DimOp::create(rewriter, loc, input, d),
                arith::ConstantIndexOp::create(rewriter, loc, m - 1))
                .getResult());
      else
        fullSizes.push_back(rewriter.getIndexAttr(n + m - 1));
    }
    auto fullType = RankedTensorType::get(fullShape, element);
    Value init = linalg::FillOp::create(
                     rewriter, loc, zero,
                     tensor::EmptyOp::create(rewriter, loc, fullSizes, element)
                         .getResult())
                     .getResult(0);
    // A convolution correlates with the flipped kernel. (Linalg needs every
    // loop to index some operand directly, so the flip is an op of its own.)
    if (!op.getCorrelate()) {
      SmallVector<AffineExpr> flipped;
      for (int64_t d = 0; d < rank; ++d)
        flipped.push_back(
            getAffineConstantExpr(kernelType.getDimSize(d) - 1, ctx) -
            getAffineDimExpr(d, ctx));
      kernel = linalg::GenericOp::create(
                   rewriter, loc, kernelType, kernel,
                   emptyLike(rewriter, loc, kernel),
                   SmallVector<AffineMap>{
                       AffineMap::get(rank, 0, flipped, ctx),
                       rewriter.getMultiDimIdentityMap(rank)},
                   SmallVector<utils::IteratorType>(
                       rank, utils::IteratorType::parallel),
                   [](OpBuilder &b, Location l, ValueRange args) {
                     linalg::YieldOp::create(b, l, args[0]);
                   })
                   .getResult(0);
    }
    SmallVector<AffineExpr> paddedExprs, kernelExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      AffineExpr o = getAffineDimExpr(d, ctx), j = getAffineDimExpr(rank + d, ctx);
      paddedExprs.push_back(o + j);
      kernelExprs.push_back(j);
      outExprs.push_back(o);
    }
    SmallVector<AffineMap> maps{AffineMap::get(2 * rank, 0, paddedExprs, ctx),
                                AffineMap::get(2 * rank, 0, kernelExprs, ctx),
                                AffineMap::get(2 * rank, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.append(rank, utils::IteratorType::reduction);
    Value full = linalg::GenericOp::create(
                     rewriter, loc, fullType, ValueRange{padded, kernel}, init,
                     maps, iterators,
                     [](OpBuilder &b, Location l, ValueRange args) {
                       Value product = arith::MulFOp::create(b, l, args[0], args[1]);
                       Value sum = arith::AddFOp::create(b, l, args[2], product);
                       linalg::YieldOp::create(b, l, sum);
                     })
                     .getResult(0);

    // scipy's _centered: start at (full - size) // 2.
    Value result = full;
    if (op.getMode() != ConvolveMode::full) {
      SmallVector<OpFoldResult> offsets, sizes,
          strides(rank, rewriter.getIndexAttr(1));
      for (int64_t d = 0; d < rank; ++d) {
        int64_t m = kernelType.getDimSize(d);
        OpFoldResult n = tensor::getMixedSize(rewriter, loc, input, d);
        if (op.getMode() == ConvolveMode::same) {
          offsets.push_back(rewriter.getIndexAttr((m - 1) / 2));
          sizes.push_back(n);
          continue;
        }
        // valid: n - m + 1 starting at m - 1 (one operand covers the other).
        int64_t staticN = inputType.getDimSize(d);
        if (!ShapedType::isDynamic(staticN) && staticN < m) {
          offsets.push_back(rewriter.getIndexAttr(staticN - 1));
          sizes.push_back(rewriter.getIndexAttr(m - staticN + 1));
          continue;
        }
        offsets.push_back(rewriter.getIndexAttr(m - 1));
        sizes.push_back(
            ShapedType::isDynamic(staticN)
                ? OpFoldResult(arith::SubIOp::create(
                                   rewriter, loc,
                                   tensor::DimOp::create(rewriter, loc, input, d),
                                   arith::ConstantIndexOp::create(rewriter, loc,
                                                                  m - 1))
                                   .getResult())
                : rewriter.getIndexAttr(staticN - m + 1));
      }
      result = tensor::ExtractSliceOp::create(rewriter, loc, full, offsets,
                                              sizes, strides);
    }
    replaceWithCast(rewriter, op, result);
    return success();
  }
};
} // namespace

void lowering::populateConvolvePatterns(RewritePatternSet &patterns) {
  patterns.add<ConvolveLowering>(patterns.getContext());
}
