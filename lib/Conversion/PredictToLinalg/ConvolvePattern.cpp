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
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
/// scipy's 'valid' part of the `full` result of `input` and a kernel of
/// `kernelType`: in each dimension `|n - m| + 1` values from `min(n, m) - 1`.
/// scipy requires one operand to be at least as large as the other in every
/// dimension (it swaps them when the kernel is the larger) and raises
/// otherwise (C29); sizes known only at run time are checked then.
Value sliceValid(OpBuilder &b, ConvolveOp op, Value input,
                 RankedTensorType kernelType, Value full) {
  Location loc = op.getLoc();
  int64_t rank = kernelType.getRank();
  SmallVector<OpFoldResult> n = tensor::getMixedSizes(b, loc, input);
  Value inputLarger = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1);
  Value kernelLarger = inputLarger, nonEmpty = inputLarger;
  auto both = [&](Value a, Value c) -> Value {
    if (matchPattern(a, m_One()))
      return c;
    if (matchPattern(c, m_One()))
      return a;
    return arith::AndIOp::create(b, loc, a, c);
  };
  auto compare = [&](arith::CmpIPredicate predicate, OpFoldResult x,
                     int64_t y) -> Value {
    if (auto known = getConstantIntValue(x))
      return arith::ConstantIntOp::create(
          b, loc, b.getI1Type(),
          arith::applyCmpPredicate(predicate, APInt(64, *known),
                                   APInt(64, y)));
    return arith::CmpIOp::create(b, loc, predicate, cast<Value>(x),
                                 arith::ConstantIndexOp::create(b, loc, y));
  };
  for (int64_t d = 0; d < rank; ++d) {
    int64_t m = kernelType.getDimSize(d);
    inputLarger = both(inputLarger, compare(arith::CmpIPredicate::sge, n[d], m));
    kernelLarger =
        both(kernelLarger, compare(arith::CmpIPredicate::sle, n[d], m));
    // scipy gives garbage or raises on an empty operand in this mode.
    nonEmpty = both(nonEmpty, compare(arith::CmpIPredicate::sgt, n[d], 0));
  }
  std::string callee = op.getCorrelate() ? "scipy.signal.correlate"
                                         : "scipy.signal.convolve";
  std::string shape = "(";
  SmallVector<Value> values;
  for (int64_t d = 0; d < rank; ++d) {
    shape += (d ? ", {" : "{") + std::to_string(d) + "}";
    values.push_back(getValueOrCreateConstantIndexOp(b, loc, n[d]));
  }
  shape += rank == 1 ? ",)" : ")";
  std::string kernelShape = "(";
  for (int64_t d = 0; d < rank; ++d)
    kernelShape += (d ? ", " : "") + std::to_string(kernelType.getDimSize(d));
  kernelShape += rank == 1 ? ",)" : ")";
  Value covers = inputLarger;
  if (!matchPattern(inputLarger, m_One()))
    covers = matchPattern(kernelLarger, m_One())
                 ? kernelLarger
                 : arith::OrIOp::create(b, loc, inputLarger, kernelLarger)
                       .getResult();
  emitCheck(b, loc, covers,
            callee + "(in1, in2, mode='valid'): in1 has shape " + shape +
                " and in2 " + kernelShape +
                "; in 'valid' mode one must be at least as large as the "
                "other in every dimension",
            values);
  emitCheck(b, loc, nonEmpty,
            callee + "(in1, in2, mode='valid'): in1 has shape " + shape +
                "; in 'valid' mode neither input may be empty",
            values);

  SmallVector<OpFoldResult> offsets, sizes, strides(rank, b.getIndexAttr(1));
  for (int64_t d = 0; d < rank; ++d) {
    int64_t m = kernelType.getDimSize(d);
    if (auto known = getConstantIntValue(n[d])) {
      offsets.push_back(b.getIndexAttr(std::min(*known, m) - 1));
      sizes.push_back(
          b.getIndexAttr(std::max(*known, m) - std::min(*known, m) + 1));
      continue;
    }
    Value size = cast<Value>(n[d]);
    Value kernelSize = arith::ConstantIndexOp::create(b, loc, m);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value low = arith::MinSIOp::create(b, loc, size, kernelSize);
    Value high = arith::MaxSIOp::create(b, loc, size, kernelSize);
    offsets.push_back(arith::SubIOp::create(b, loc, low, one).getResult());
    sizes.push_back(
        arith::AddIOp::create(b, loc,
                              arith::SubIOp::create(b, loc, high, low), one)
            .getResult());
  }
  return tensor::ExtractSliceOp::create(b, loc, full, offsets, sizes, strides);
}

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
    if (op.getMode() == ConvolveMode::same) {
      SmallVector<OpFoldResult> offsets, sizes,
          strides(rank, rewriter.getIndexAttr(1));
      for (int64_t d = 0; d < rank; ++d) {
        offsets.push_back(
            rewriter.getIndexAttr((kernelType.getDimSize(d) - 1) / 2));
        sizes.push_back(tensor::getMixedSize(rewriter, loc, input, d));
      }
      result = tensor::ExtractSliceOp::create(rewriter, loc, full, offsets,
                                              sizes, strides);
    } else if (op.getMode() == ConvolveMode::valid) {
      result = sliceValid(rewriter, op, input, kernelType, full);
    }
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};
} // namespace

void lowering::populateConvolvePatterns(RewritePatternSet &patterns) {
  patterns.add<ConvolveLowering>(patterns.getContext());
}
