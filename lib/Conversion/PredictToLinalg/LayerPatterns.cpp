//===- LayerPatterns.cpp - Dense, activations, normalizations to linalg ---===//

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
/// The activation of a Dense layer or of predict.activation on a tensor.
Value applyActivation(OpBuilder &b, Location loc, Value input,
                      ActivationKind kind, std::optional<double> alpha,
                      std::optional<int64_t> axis, bool approximate) {
  auto type = cast<RankedTensorType>(input.getType());
  if (kind == ActivationKind::linear)
    return input;
  if (isAlongAxis(kind))
    return buildSoftmax(b, loc, input,
                        *normalizeAxis(axis.value_or(-1), type.getRank()),
                        /*log=*/kind == ActivationKind::log_softmax);
  return buildElementwise(b, loc, type.getElementType(), input, "",
                          [&](OpBuilder &nb, Location nl, ValueRange args) {
                            return buildActivation(nb, nl, kind, args[0],
                                                   alpha, approximate);
                          });
}

struct DenseLowering : OpConversionPattern<DenseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DenseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Value kernel = adaptor.getKernel();
    auto kernelType = cast<RankedTensorType>(kernel.getType());
    int64_t rank = inputType.getRank();
    Type element = inputType.getElementType();

    // Leading dimensions of the input collapse into one row dimension.
    SmallVector<ReassociationIndices> reassociation;
    if (rank > 2) {
      ReassociationIndices rows;
      for (int64_t d = 0; d < rank - 1; ++d)
        rows.push_back(d);
      reassociation = {rows, {rank - 1}};
      input = tensor::CollapseShapeOp::create(rewriter, loc, input,
                                              reassociation);
    }
    auto rowsType = cast<RankedTensorType>(input.getType());
    // The input's features are the kernel's rows (C16): numpy and Keras
    // raise when they differ, so a size known only at run time is checked.
    OpFoldResult features = sizeOf(rewriter, loc, input, 1);
    OpFoldResult rows = sizeOf(rewriter, loc, kernel, 0);
    std::string layer = "this Dense layer";
    loc->walk([&](Location inner) {
      // A Keras layer's name, as the importer records it.
      if (auto name = dyn_cast<NameLoc>(inner)) {
        layer = ("dense '" + name.getName().getValue() + "'").str();
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    emitCheck(rewriter, loc, sizesEqual(rewriter, loc, features, rows),
              "the input of " + layer + " has {0} features; its kernel "
                                        "expects {1}",
              {getValueOrCreateConstantIndexOp(rewriter, loc, features),
               getValueOrCreateConstantIndexOp(rewriter, loc, rows)});
    int64_t units = kernelType.getDimSize(1);
    auto productType = RankedTensorType::get(
        {rowsType.getDimSize(0), units}, element);
    SmallVector<Value> sizes;
    if (productType.isDynamicDim(0))
      sizes.push_back(getValueOrCreateConstantIndexOp(
          rewriter, loc, sizeOf(rewriter, loc, input, 0)));
    if (productType.isDynamicDim(1))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, kernel, 1));
    Value zero = floatConstant(rewriter, loc, element, 0.0);
    Value acc = linalg::FillOp::create(
                    rewriter, loc, zero,
                    emptyTensor(rewriter, loc, productType, sizes))
                    .getResult(0);
    Value product =
        linalg::MatmulOp::create(rewriter, loc, TypeRange{productType},
                                 ValueRange{input, kernel}, ValueRange{acc})
            .getResult(0);

    // Epilogue: one elementwise pass for bias and activation; softmax needs
    // whole rows, so it follows the bias add.
    ActivationKind kind = op.getActivation();
    bool fuseActivation = !isAlongAxis(kind);
    Value result = product;
    if (adaptor.getBias() || (fuseActivation && kind != ActivationKind::linear)) {
      SmallVector<Value> operands{product};
      if (adaptor.getBias())
        operands.push_back(adaptor.getBias());
      result = buildElementwise(
          rewriter, loc, element, operands,
          "the units of " + layer + " and its bias", [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value v = args.size() > 1
                          ? arith::AddFOp::create(nb, nl, args[0], args[1])
                          : args[0];
            return fuseActivation ? buildActivation(nb, nl, kind, v,
                                                    std::nullopt, false)
                                  : v;
          });
    }
    if (!fuseActivation)
      result = buildSoftmax(rewriter, loc, result, 1,
                            /*log=*/kind == ActivationKind::log_softmax);

    if (rank > 2) {
      SmallVector<OpFoldResult> outputShape;
      SmallVector<int64_t> shape(inputType.getShape());
      shape.back() = units;
      for (int64_t d = 0; d < rank - 1; ++d)
        outputShape.push_back(
            tensor::getMixedSize(rewriter, loc, adaptor.getInput(), d));
      outputShape.push_back(tensor::getMixedSize(rewriter, loc, kernel, 1));
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(shape, element), result,
          reassociation, outputShape);
    }
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};

struct ActivationLowering : OpConversionPattern<ActivationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ActivationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::optional<double> alpha;
    if (auto attr = op.getAlphaAttr())
      alpha = attr.getValueAsDouble();
    replaceWithCheckedCast(
        rewriter, op,
        applyActivation(rewriter, op.getLoc(), adaptor.getInput(),
                        op.getKind(), alpha, op.getAxis(),
                        op.getApproximate()));
    return success();
  }
};

struct DropoutLowering : OpConversionPattern<DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    replaceWithCheckedCast(rewriter, op, adaptor.getInput());
    return success();
  }
};

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = type.getRank();
    int64_t axis = *normalizeAxis(op.getAxis(), rank);
    MLIRContext *ctx = rewriter.getContext();
    // Every parameter has as many elements as the input along the axis
    // (C20); a size known only at run time is checked then.
    OpFoldResult channels =
        sizeOf(rewriter, loc, adaptor.getInput(), axis);
    OpFoldResult params =
        sizeOf(rewriter, loc, adaptor.getMean(), 0);
    emitCheck(rewriter, loc, sizesEqual(rewriter, loc, channels, params),
              "the input of batch normalization has {0} " +
                  sizeWords(axis, rank) + "; its parameters have {1}",
              {getValueOrCreateConstantIndexOp(rewriter, loc, channels),
               getValueOrCreateConstantIndexOp(rewriter, loc, params)});
    // Parameters are vectors along `axis`.
    AffineMap paramMap =
        AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx), ctx);
    SmallVector<Value> operands{adaptor.getInput(), adaptor.getMean(),
                                adaptor.getVariance()};
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank), paramMap,
                                paramMap};
    if (adaptor.getGamma()) {
      operands.push_back(adaptor.getGamma());
      maps.push_back(paramMap);
    }
    if (adaptor.getBeta()) {
      operands.push_back(adaptor.getBeta());
      maps.push_back(paramMap);
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    double epsilon = op.getEpsilon().convertToDouble();
    bool hasGamma = static_cast<bool>(adaptor.getGamma());
    bool hasBeta = static_cast<bool>(adaptor.getBeta());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, operands, emptyLike(rewriter, loc, adaptor.getInput()),
        maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          unsigned next = 3;
          Value gamma = hasGamma ? args[next++] : Value();
          Value beta = hasBeta ? args[next++] : Value();
          linalg::YieldOp::create(
              b, l,
              normalizeElement(b, l, args[0], args[1], args[2], epsilon,
                               gamma, beta));
        });
    replaceWithCheckedCast(rewriter, op, generic.getResult(0));
    return success();
  }
};

struct NormalizationLowering : OpConversionPattern<NormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    double epsilon = op.getEpsilon().convertToDouble();
    Value result = buildElementwise(
        rewriter, op.getLoc(),
        cast<RankedTensorType>(adaptor.getInput().getType()).getElementType(),
        adaptor.getOperands(), "the input of normalization and its statistics",
        [&](OpBuilder &b, Location l, ValueRange args) {
          // (x - mean) / max(sqrt(variance), epsilon), as Keras computes it.
          Type element = args[0].getType();
          Value std = arith::MaximumFOp::create(
              b, l, math::SqrtOp::create(b, l, args[2]),
              floatConstant(b, l, element, epsilon));
          return arith::DivFOp::create(
              b, l, arith::SubFOp::create(b, l, args[0], args[1]), std);
        });
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};
struct PReluLowering : OpConversionPattern<PReluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PReluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value result = buildElementwise(
        rewriter, op.getLoc(),
        cast<RankedTensorType>(adaptor.getInput().getType()).getElementType(),
        adaptor.getOperands(), "the input of prelu and its alpha",
        [&](OpBuilder &b, Location l, ValueRange args) {
          // relu(x) + (-alpha) * relu(-x), as Keras computes it.
          Value zero = floatConstant(b, l, args[0].getType(), 0.0);
          Value pos = arith::MaximumFOp::create(b, l, args[0], zero);
          Value neg = arith::MaximumFOp::create(
              b, l, arith::NegFOp::create(b, l, args[0]), zero);
          return arith::AddFOp::create(
              b, l, pos,
              arith::MulFOp::create(b, l, arith::NegFOp::create(b, l, args[1]),
                                    neg));
        });
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};
} // namespace

void lowering::populateLayerPatterns(RewritePatternSet &patterns) {
  patterns.add<DenseLowering, ActivationLowering, DropoutLowering,
               BatchNormLowering, NormalizationLowering, PReluLowering>(
      patterns.getContext());
}
