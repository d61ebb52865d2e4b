//===- ShapePatterns.cpp - constants, sizes, slices, reshapes to tensor ---===//

#include "LoweringUtils.h"
#include "Patterns.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = cast<TypedAttr>(op.getValue());
    // A resource of one element (a scalar weight: Normalization's mean
    // with axis=None) is inlined as a splat: upstream's memref-to-LLVM
    // lowering reads the value of a 0-d global as a splat, which a
    // resource cannot give (it crashed).
    if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value))
      if (auto data = resource.tryGetAsArrayRef(); data && data->size() == 1)
        value = DenseElementsAttr::get(resource.getType(), (*data)[0]);
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

struct FillLowering : OpConversionPattern<FillOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FillOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = op.getResult().getType();
    Location loc = op.getLoc();
    Value value = floatConstant(rewriter, loc, type.getElementType(),
                                op.getValue().convertToDouble());
    rewriter.replaceOp(
        op, linalg::FillOp::create(
                rewriter, loc, value,
                emptyTensor(rewriter, loc, type, adaptor.getSizes()))
                .getResult(0));
    return success();
  }
};

struct DimLowering : OpConversionPattern<DimOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DimOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    rewriter.replaceOpWithNewOp<tensor::DimOp>(
        op, adaptor.getInput(), *normalizeAxis(op.getAxis(), type.getRank()));
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    // The size the slice's rule proves, never only the declared one.
    RankedTensorType resultType = inferredType(op);
    int64_t rank = type.getRank();
    int64_t axis = *normalizeAxis(op.getAxis(), rank);
    Value size = tensor::DimOp::create(rewriter, loc, input, axis);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    // Python: a negative bound counts from the end; both clamp to [0, size].
    auto clamp = [&](Value bound) -> Value {
      Value negative = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::slt, bound, zero);
      Value shifted = arith::AddIOp::create(rewriter, loc, bound, size);
      Value v = arith::SelectOp::create(rewriter, loc, negative, shifted, bound);
      v = arith::MaxSIOp::create(rewriter, loc, v, zero);
      return arith::MinSIOp::create(rewriter, loc, v, size);
    };
    Value start = clamp(adaptor.getStart());
    Value stop = clamp(adaptor.getStop());
    Value length = arith::MaxSIOp::create(
        rewriter, loc, arith::SubIOp::create(rewriter, loc, stop, start), zero);

    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis) {
        // A static size is proven: constant bounds, or x[i:i+1] with i a
        // loop index in range.
        sizes.push_back(resultType.isDynamicDim(d)
                            ? OpFoldResult(length)
                            : rewriter.getIndexAttr(resultType.getDimSize(d)));
        offsets[d] = start;
      } else {
        sizes.push_back(tensor::getMixedSize(rewriter, loc, input, d));
      }
    }
    // An axis of static size 0 kept whole: the slice holds no element, and
    // tensor.extract_slice's verifier rejects its offset 0 as out of
    // bounds of the empty axis.
    bool empty = llvm::any_of(llvm::seq<int64_t>(0, rank), [&](int64_t d) {
      return d != axis && type.getDimSize(d) == 0;
    });
    Value slice =
        empty ? Value(tensor::EmptyOp::create(rewriter, loc, sizes,
                                              resultType.getElementType()))
              : Value(tensor::ExtractSliceOp::create(
                    rewriter, loc, resultType, input, offsets, sizes, strides));
    // In the user's terms: a Python slice, not an op.
    rewriter.replaceOp(op, castChecked(rewriter, loc, slice,
                                       op.getResult().getType(), "this slice"));
    return success();
  }
};

struct FlattenLowering : OpConversionPattern<FlattenOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    RankedTensorType resultType = inferredType(op);
    Value result;
    if (type.getRank() == 1) {
      // N -> N x 1
      SmallVector<OpFoldResult> shape{
          tensor::getMixedSize(rewriter, loc, input, 0),
          rewriter.getIndexAttr(1)};
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, resultType, input,
          SmallVector<ReassociationIndices>{{0, 1}}, shape);
    } else if (type.getRank() == 2) {
      result = input;
    } else {
      ReassociationIndices features;
      for (int64_t d = 1; d < type.getRank(); ++d)
        features.push_back(d);
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, input,
          SmallVector<ReassociationIndices>{{0}, features});
    }
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};

struct ConcatenateLowering : OpConversionPattern<ConcatenateOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatenateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInputs();
    auto first = cast<RankedTensorType>(inputs.front().getType());
    int64_t rank = first.getRank();
    int64_t axis = *normalizeAxis(op.getAxis(), rank);
    // Every other size agrees (C23): tf.concat and numpy raise when one does
    // not, and broadcast none.
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis)
        continue;
      OpFoldResult size = sizeOf(rewriter, loc, inputs[0], d);
      for (auto [i, input] : llvm::enumerate(inputs.drop_front())) {
        OpFoldResult other = sizeOf(rewriter, loc, input, d);
        emitCheck(rewriter, loc, sizesEqual(rewriter, loc, size, other),
                  "inputs of concatenate have {0} and {1} " +
                      sizeWords(d, rank) + " (input #0 and input #" +
                      Twine(i + 1) + "); only the sizes along axis " +
                      Twine(axis) + " may differ",
                  {getValueOrCreateConstantIndexOp(rewriter, loc, size),
                   getValueOrCreateConstantIndexOp(rewriter, loc, other)});
      }
    }
    if (inputs.size() == 1) {
      replaceWithCheckedCast(rewriter, op, inputs.front());
      return success();
    }
    replaceWithCheckedCast(
        rewriter, op, tensor::ConcatOp::create(rewriter, loc, axis, inputs));
    return success();
  }
};
} // namespace

void lowering::populateShapePatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, FillLowering, DimLowering, SliceLowering,
               FlattenLowering, ConcatenateLowering>(patterns.getContext());
}
