//===- ReshapingPatterns.cpp - pad, crop, upsample, reshape, transpose ----===//
//
// The reshaping layers lower to upstream tensor and linalg ops:
// tensor.pad (zeros), tensor.extract_slice (cropping), a linalg.generic
// that reads element `i floordiv f` (nearest upsampling),
// tensor.collapse_shape + tensor.expand_shape (Reshape keeps the batch
// axis) and linalg.transpose. predict.inference_identity is its input.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type element = cast<RankedTensorType>(input.getType()).getElementType();
    SmallVector<OpFoldResult> low =
        getAsIndexOpFoldResult(rewriter.getContext(), op.getLow());
    SmallVector<OpFoldResult> high =
        getAsIndexOpFoldResult(rewriter.getContext(), op.getHigh());
    // The padding value (C240: a whole number of an integer type).
    double v = op.getValue() ? op.getValue()->convertToDouble() : 0.0;
    Value value =
        isa<FloatType>(element)
            ? floatConstant(rewriter, loc, element, v)
            : arith::ConstantOp::create(
                  rewriter, loc,
                  IntegerAttr::get(element, static_cast<int64_t>(v)))
                  .getResult();
    Value padded =
        tensor::PadOp::create(rewriter, loc, Type(), input, low, high, value);
    replaceWithCheckedCast(rewriter, op, padded);
    return success();
  }
};

struct CropLowering : OpConversionPattern<CropOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CropOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t low = op.getLow()[d], cut = low + op.getHigh()[d];
      offsets.push_back(rewriter.getIndexAttr(low));
      strides.push_back(rewriter.getIndexAttr(1));
      if (!type.isDynamicDim(d)) {
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d) - cut));
        continue;
      }
      Value n = tensor::DimOp::create(rewriter, loc, input, d);
      if (!cut) {
        sizes.push_back(n);
        continue;
      }
      // C126 at run time: Keras 3 refuses to crop a whole axis away.
      Value cutValue = arith::ConstantIndexOp::create(rewriter, loc, cut);
      Value ok = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sgt,
                                       n, cutValue);
      emitCheck(rewriter, loc, ok,
                "cropping " + Twine(op.getLow()[d]) + " + " +
                    Twine(op.getHigh()[d]) + " elements from axis " +
                    Twine(d) +
                    " of an input that has {0} there leaves none; the "
                    "cropping must be smaller than the input",
                {n});
      sizes.push_back(
          arith::SubIOp::create(rewriter, loc, n, cutValue).getResult());
    }
    Value cropped = tensor::ExtractSliceOp::create(rewriter, loc, input,
                                                   offsets, sizes, strides);
    replaceWithCheckedCast(rewriter, op, cropped);
    return success();
  }
};

struct UpsampleLowering : OpConversionPattern<UpsampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(UpsampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, input);
    SmallVector<AffineExpr> reads;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t f = op.getFactors()[d];
      AffineExpr i = rewriter.getAffineDimExpr(d);
      reads.push_back(f == 1 ? i : i.floorDiv(f));
      if (f == 1)
        continue;
      if (auto n = getConstantIntValue(sizes[d]))
        sizes[d] = rewriter.getIndexAttr(*n * f);
      else
        sizes[d] = arith::MulIOp::create(
                       rewriter, loc, cast<Value>(sizes[d]),
                       arith::ConstantIndexOp::create(rewriter, loc, f))
                       .getResult();
    }
    SmallVector<int64_t> staticSizes;
    SmallVector<Value> dynamicSizes;
    dispatchIndexOpFoldResults(sizes, dynamicSizes, staticSizes);
    auto resultType = RankedTensorType::get(staticSizes, type.getElementType());
    Value out = tensor::EmptyOp::create(rewriter, loc, staticSizes,
                                        type.getElementType(), dynamicSizes);
    AffineMap read = AffineMap::get(rank, 0, reads, rewriter.getContext());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{input},
            ValueRange{out},
            ArrayRef<AffineMap>{read, rewriter.getMultiDimIdentityMap(rank)},
            iterators,
            [](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(nb, nl, args[0]);
            })
            .getResult(0);
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type element = type.getElementType();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> target = op.getShape();

    // N x d1 x ... x dk -> N x T (T = d1 ... dk).
    Value flat = input;
    if (rank == 1) {
      SmallVector<OpFoldResult> shape{sizeOf(rewriter, loc, input, 0),
                                      rewriter.getIndexAttr(1)};
      flat = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({type.getDimSize(0), 1}, element),
          input, SmallVector<ReassociationIndices>{{0, 1}}, shape);
    } else if (rank > 2) {
      ReassociationIndices features;
      for (int64_t d = 1; d < rank; ++d)
        features.push_back(d);
      flat = tensor::CollapseShapeOp::create(
          rewriter, loc, input,
          SmallVector<ReassociationIndices>{{0}, features});
    }
    OpFoldResult batch = sizeOf(rewriter, loc, flat, 0);
    OpFoldResult total = sizeOf(rewriter, loc, flat, 1);

    int64_t known = 1, unknown = -1;
    for (auto [i, v] : llvm::enumerate(target)) {
      if (v == -1)
        unknown = i;
      else
        known *= v;
    }
    SmallVector<OpFoldResult> shape{batch};
    for (int64_t v : target)
      shape.push_back(rewriter.getIndexAttr(v));
    if (!getConstantIntValue(total)) {
      // C129 at run time: the sample's element count against the target's.
      Value t = cast<Value>(total);
      Value knownValue = arith::ConstantIndexOp::create(rewriter, loc, known);
      Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
      std::string want = "[";
      for (auto [i, v] : llvm::enumerate(target))
        want += (i ? ", " : "") + std::to_string(v);
      want += "]";
      if (unknown >= 0) {
        Value rem = arith::RemSIOp::create(rewriter, loc, t, knownValue);
        emitCheck(rewriter, loc,
                  arith::CmpIOp::create(rewriter, loc,
                                        arith::CmpIPredicate::eq, rem, zero),
                  "cannot reshape a sample of {0} elements into " + want +
                      ": {0} is not a multiple of " + Twine(known),
                  {t});
        shape[unknown + 1] =
            arith::DivSIOp::create(rewriter, loc, t, knownValue).getResult();
      } else {
        emitCheck(rewriter, loc,
                  arith::CmpIOp::create(rewriter, loc,
                                        arith::CmpIPredicate::eq, t,
                                        knownValue),
                  "cannot reshape a sample of {0} elements into " + want +
                      " (" + Twine(known) + " elements)",
                  {t});
      }
    } else if (unknown >= 0) {
      shape[unknown + 1] =
          rewriter.getIndexAttr(*getConstantIntValue(total) / known);
    }
    SmallVector<int64_t> staticShape;
    SmallVector<Value> dynamicShape;
    dispatchIndexOpFoldResults(shape, dynamicShape, staticShape);
    auto resultType = RankedTensorType::get(staticShape, element);
    Value result;
    if (target.empty()) {
      // N x 1 -> N.
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, resultType, flat,
          SmallVector<ReassociationIndices>{{0, 1}});
    } else {
      ReassociationIndices rest;
      for (int64_t d = 1; d <= static_cast<int64_t>(target.size()); ++d)
        rest.push_back(d);
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, resultType, flat,
          SmallVector<ReassociationIndices>{{0}, rest}, shape);
    }
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> perm = op.getPermutation();
    SmallVector<OpFoldResult> in = sizesOf(rewriter, loc, input), out;
    for (int64_t p : perm)
      out.push_back(in[p]);
    SmallVector<int64_t> staticOut;
    SmallVector<Value> dynamicOut;
    dispatchIndexOpFoldResults(out, dynamicOut, staticOut);
    Value init = tensor::EmptyOp::create(rewriter, loc, staticOut,
                                         type.getElementType(), dynamicOut);
    Value result =
        linalg::TransposeOp::create(rewriter, loc, input, init, perm)
            .getResult()[0];
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};

/// A linalg.generic whose element `i` of a reversed axis of size `n` reads
/// element `n - 1 - i` of the input (tensor.extract: the read is not an
/// affine map of the loop indices without the size as a symbol).
struct ReverseLowering : OpConversionPattern<ReverseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReverseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    SmallVector<bool> reversed(rank, false);
    for (int64_t axis : op.getAxes())
      reversed[axis < 0 ? axis + rank : axis] = true;
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, input);
    SmallVector<int64_t> staticSizes;
    SmallVector<Value> dynamicSizes;
    dispatchIndexOpFoldResults(sizes, dynamicSizes, staticSizes);
    Value init = tensor::EmptyOp::create(rewriter, loc, staticSizes,
                                         type.getElementType(), dynamicSizes);
    SmallVector<Value> last;
    for (int64_t d = 0; d < rank; ++d)
      last.push_back(reversed[d]
                         ? arith::SubIOp::create(
                               rewriter, loc,
                               getValueOrCreateConstantIndexOp(rewriter, loc,
                                                               sizes[d]),
                               arith::ConstantIndexOp::create(rewriter, loc, 1))
                         : Value());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, ValueRange{},
        ValueRange{init},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(b, l, d);
            indices.push_back(reversed[d] ? arith::SubIOp::create(b, l, last[d], i)
                                          : i);
          }
          Value element = tensor::ExtractOp::create(b, l, input, indices);
          linalg::YieldOp::create(b, l, element);
        });
    replaceWithCheckedCast(rewriter, op, generic.getResult(0));
    return success();
  }
};

struct InferenceIdentityLowering : OpConversionPattern<InferenceIdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(InferenceIdentityOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    replaceWithCheckedCast(rewriter, op, adaptor.getInput());
    return success();
  }
};
} // namespace

void lowering::populateReshapingPatterns(RewritePatternSet &patterns) {
  patterns.add<PadLowering, CropLowering, UpsampleLowering, ReshapeLowering,
               TransposeLowering, ReverseLowering, InferenceIdentityLowering>(
      patterns.getContext());
}
