//===- ConvPatterns.cpp - Keras convolutions to linalg convolution ops ----===//
//
// predict.conv and predict.conv_transpose become linalg's named convolution
// ops on channels-last tensors: a 1-D convolution is a 2-D one over a row of
// height 1; channels_first is transposed to channels last and back; padding
// is a tensor.pad of zeros (ConvShapes.h says how much, as Keras and
// TensorFlow do). One group is linalg.conv_2d_nhwc_hwcf (a 1x1 kernel of
// stride 1 a linalg.matmul of the pixels with the kernel); one input channel
// per group (DepthwiseConv2D) linalg.depthwise_conv_2d_nhwc_hwc(m), other
// groups linalg.conv_2d_nhwgc_gfhwc. The codegen pipeline vectorizes the
// matmul and the first two (predict-tile-convolutions). A transposed
// convolution is the convolution of the input spread out by the strides
// (zeros between) with the kernel flipped, as its definition as a gradient
// gives.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"
#include "predict/Dialect/Predict/IR/ConvShapes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {

/// `v` with its dimensions permuted: result dimension i is `v`'s `perm[i]`.
Value transposed(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamic;
  for (int64_t p : perm) {
    shape.push_back(type.getDimSize(p));
    if (type.isDynamicDim(p))
      dynamic.push_back(tensor::DimOp::create(b, loc, v, p));
  }
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType(),
                                       dynamic);
  return linalg::TransposeOp::create(b, loc, v, init, perm)->getResult(0);
}

/// Channels first to channels last, and back, for `rank` dimensions.
SmallVector<int64_t> toChannelsLast(int64_t rank) {
  SmallVector<int64_t> perm{0};
  for (int64_t d = 2; d < rank; ++d)
    perm.push_back(d);
  perm.push_back(1);
  return perm;
}
SmallVector<int64_t> toChannelsFirst(int64_t rank) {
  SmallVector<int64_t> perm{0, rank - 1};
  for (int64_t d = 1; d < rank - 1; ++d)
    perm.push_back(d);
  return perm;
}

/// `v` reshaped to `shape` by `reassociation` (expanding).
Value expand(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape,
             ArrayRef<ReassociationIndices> reassociation) {
  auto type = RankedTensorType::get(
      shape, cast<RankedTensorType>(v.getType()).getElementType());
  return tensor::ExpandShapeOp::create(b, loc, type, v, reassociation);
}

Value collapse(OpBuilder &b, Location loc, Value v,
               ArrayRef<ReassociationIndices> reassociation) {
  return tensor::CollapseShapeOp::create(b, loc, v, reassociation);
}

/// A zero-filled tensor of `shape` whose leading (batch) size is `batch`'s.
Value zeros(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type element,
            Value batchOf) {
  SmallVector<Value> dynamic;
  if (ShapedType::isDynamic(shape[0]))
    dynamic.push_back(tensor::DimOp::create(b, loc, batchOf, 0));
  Value empty = tensor::EmptyOp::create(b, loc, shape, element, dynamic);
  return linalg::FillOp::create(b, loc, floatConstant(b, loc, element, 0.0),
                                empty)
      .getResult(0);
}

/// `x` (N x H x W x C) padded with zeros, `low` and `high` per spatial axis.
Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return x;
  SmallVector<OpFoldResult> lo{b.getIndexAttr(0)}, hi{b.getIndexAttr(0)};
  for (auto [l, h] : llvm::zip_equal(low, high)) {
    lo.push_back(b.getIndexAttr(l));
    hi.push_back(b.getIndexAttr(h));
  }
  lo.push_back(b.getIndexAttr(0));
  hi.push_back(b.getIndexAttr(0));
  auto element = cast<RankedTensorType>(x.getType()).getElementType();
  return tensor::PadOp::create(b, loc, Type(), x, lo, hi,
                               floatConstant(b, loc, element, 0.0));
}

/// A 1x1 convolution of stride 1 and one group as a matrix product: the
/// input's pixels as rows of C, times the kernel as C x F. The product is a
/// linalg.matmul, which the codegen pipeline tiles and vectorizes (its
/// contraction kernel, with the bias and activation in its epilogue).
Value convolveAsMatmul(OpBuilder &b, Location loc, Value x, Value w,
                       ArrayRef<int64_t> outShape) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  Type element = xType.getElementType();
  int64_t filters = wType.getDimSize(3);
  Value lhs = collapse(b, loc, x, {{0, 1, 2}, {3}});
  Value rhs = collapse(b, loc, w, {{0, 1, 2}, {3}});
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  SmallVector<int64_t> productShape{lhsType.getDimSize(0), filters};
  SmallVector<Value> dynamic;
  if (ShapedType::isDynamic(productShape[0]))
    dynamic.push_back(tensor::DimOp::create(b, loc, lhs, 0));
  Value empty =
      tensor::EmptyOp::create(b, loc, productShape, element, dynamic);
  Value acc = linalg::FillOp::create(b, loc, floatConstant(b, loc, element, 0.0),
                                     empty)
                  .getResult(0);
  auto productType = RankedTensorType::get(productShape, element);
  Value product = linalg::MatmulOp::create(b, loc, TypeRange{productType},
                                           ValueRange{lhs, rhs},
                                           ValueRange{acc})
                      .getResult(0);
  return expand(b, loc, product, outShape, {{0, 1, 2}, {3}});
}

/// Grouped convolutions of up to this many groups become one convolution
/// per group (each tiled and vectorized); more stay linalg's grouped
/// convolution, whose code would otherwise grow with each group.
constexpr int64_t kMaxUnrolledGroups = 32;

/// The 2-D convolution of `x` (N x H x W x C, already padded) with `w`
/// (kh x kw x C/groups x F) into an output N x OH x OW x F.
Value convolve2D(OpBuilder &b, Location loc, Value x, Value w,
                 ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                 int64_t groups, ArrayRef<int64_t> outShape) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  Type element = xType.getElementType();
  int64_t channels = xType.getDimSize(3), filters = wType.getDimSize(3);
  int64_t kh = wType.getDimSize(0), kw = wType.getDimSize(1);
  Attribute s = b.getI64TensorAttr(strides), d = b.getI64TensorAttr(dilations);
  int64_t n = outShape[0], oh = outShape[1], ow = outShape[2];
  auto resultType = [&](ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, element);
  };
  if (groups == 1) {
    // A 1x1 kernel of stride 1 is a matrix product: the contraction kernel
    // of the codegen pipeline, with the bias in its epilogue. Other kernels
    // are linalg's convolution, which predict-tile-convolutions tiles and
    // vectorizes without materializing the patches (an im2col matmul copied
    // 9x the input for a 3x3 kernel, as a scalar gather: over 3x slower on
    // real17_cnn_mnist at batch 64).
    if (kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
        xType.getDimSize(1) == oh && xType.getDimSize(2) == ow)
      return convolveAsMatmul(b, loc, x, w, outShape);
    Value acc = zeros(b, loc, outShape, element, x);
    return linalg::Conv2DNhwcHwcfOp::create(b, loc, resultType(outShape),
                                            ValueRange{x, w}, acc, s, d)
        .getResult(0);
  }
  int64_t perGroup = channels / groups, filtersPerGroup = filters / groups;
  if (perGroup == 1) {
    // Depthwise: each channel c alone, giving channels c*M .. c*M + M-1.
    Value kernel = collapse(b, loc, w, {{0}, {1}, {2, 3}}); // kh x kw x F
    if (filtersPerGroup != 1) {
      // A depth multiplier M > 1: the input's channel c repeated M times
      // (channel c*M + m of N x H x W x C*M is x's c), then the depthwise
      // convolution of one filter per channel, which
      // predict-tile-convolutions tiles and vectorizes (linalg's
      // depthwise_conv_2d_nhwc_hwcm, which it does not, ran as scalar
      // loops). The copy costs one pass over an input the size of the
      // output; the convolution reads each of its elements kh*kw times.
      SmallVector<int64_t> repeated{xType.getDimSize(0), xType.getDimSize(1),
                                    xType.getDimSize(2), channels,
                                    filtersPerGroup};
      SmallVector<Value> dynamic;
      if (xType.isDynamicDim(0))
        dynamic.push_back(tensor::DimOp::create(b, loc, x, 0));
      Value init = tensor::EmptyOp::create(b, loc, repeated, element, dynamic);
      Value spread =
          linalg::BroadcastOp::create(b, loc, x, init, ArrayRef<int64_t>{4})
              ->getResult(0);
      x = collapse(b, loc, spread, {{0}, {1}, {2}, {3, 4}});
    }
    Value acc = zeros(b, loc, outShape, element, x);
    return linalg::DepthwiseConv2DNhwcHwcOp::create(
               b, loc, resultType(outShape), ValueRange{x, kernel}, acc, s, d)
        .getResult(0);
  }
  if (groups <= kMaxUnrolledGroups) {
    // Groups: input channels g*Cg .. and filters g*Fg .. (Keras's split),
    // each group its own convolution of one group written into its
    // filters of the output, so that each is tiled and vectorized (or a
    // matrix product when 1x1) as an ungrouped one is; linalg's
    // conv_2d_nhwgc_gfhwc ran as scalar loops.
    Value out = zeros(b, loc, outShape, element, x);
    SmallVector<OpFoldResult> inSizes, outSizes, kSizes;
    for (int64_t dim = 0; dim < 3; ++dim) {
      inSizes.push_back(xType.isDynamicDim(dim)
                            ? OpFoldResult(tensor::DimOp::create(b, loc, x, dim)
                                               .getResult())
                            : OpFoldResult(b.getIndexAttr(xType.getDimSize(dim))));
      outSizes.push_back(ShapedType::isDynamic(outShape[dim])
                             ? inSizes[0]
                             : OpFoldResult(b.getIndexAttr(outShape[dim])));
    }
    inSizes.push_back(b.getIndexAttr(perGroup));
    outSizes.push_back(b.getIndexAttr(filtersPerGroup));
    kSizes = {b.getIndexAttr(kh), b.getIndexAttr(kw), b.getIndexAttr(perGroup),
              b.getIndexAttr(filtersPerGroup)};
    SmallVector<OpFoldResult> ones(4, b.getIndexAttr(1));
    SmallVector<int64_t> groupShape(outShape);
    groupShape[3] = filtersPerGroup;
    for (int64_t g = 0; g < groups; ++g) {
      SmallVector<OpFoldResult> inOffsets(3, b.getIndexAttr(0)),
          kOffsets(3, b.getIndexAttr(0)), outOffsets(3, b.getIndexAttr(0));
      inOffsets.push_back(b.getIndexAttr(g * perGroup));
      kOffsets.push_back(b.getIndexAttr(g * filtersPerGroup));
      outOffsets.push_back(b.getIndexAttr(g * filtersPerGroup));
      Value xg = tensor::ExtractSliceOp::create(b, loc, x, inOffsets, inSizes,
                                                ones);
      Value wg = tensor::ExtractSliceOp::create(b, loc, w, kOffsets, kSizes,
                                                ones);
      Value yg = convolve2D(b, loc, xg, wg, strides, dilations, 1, groupShape);
      out = tensor::InsertSliceOp::create(b, loc, yg, out, outOffsets,
                                          outSizes, ones);
    }
    return out;
  }
  // Many groups (more than kMaxUnrolledGroups): linalg's grouped
  // convolution, as scalar loops, rather than one tiled convolution each.
  Value input = expand(b, loc, x,
                       {xType.getDimSize(0), xType.getDimSize(1),
                        xType.getDimSize(2), groups, perGroup},
                       {{0}, {1}, {2}, {3, 4}});
  Value kernel = expand(b, loc, w, {kh, kw, perGroup, groups, filtersPerGroup},
                        {{0}, {1}, {2}, {3, 4}});
  kernel = transposed(b, loc, kernel, {3, 4, 0, 1, 2}); // G x Fg x kh x kw x Cg
  SmallVector<int64_t> shape{n, oh, ow, groups, filtersPerGroup};
  Value acc = zeros(b, loc, shape, element, x);
  Value out = linalg::Conv2DNhwgcGfhwcOp::create(b, loc, resultType(shape),
                                                 ValueRange{input, kernel},
                                                 acc, s, d)
                  .getResult(0);
  return collapse(b, loc, out, {{0}, {1}, {2}, {3, 4}});
}

/// Conv3D: `x` (N x D x H x W x C, channels last) padded as Keras pads
/// each spatial axis, then linalg.conv_3d_ndhwc_dhwcf with the kernel
/// `kd x kh x kw x C x F` (one group, C300). Not tiled by
/// predict-tile-convolutions: a loop nest.
Value convolve3D(OpBuilder &b, Location loc, Value x, Value w,
                 ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                 ConvPadding padding) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  Type element = xType.getElementType();
  SmallVector<int64_t> low, high, out{xType.getDimSize(0)};
  for (int64_t i = 0; i < 3; ++i) {
    ConvAxis axis = *convAxis(xType.getDimSize(1 + i), wType.getDimSize(i),
                              strides[i], dilations[i], padding);
    low.push_back(axis.before);
    high.push_back(axis.after);
    out.push_back(axis.out);
  }
  out.push_back(wType.getDimSize(4));
  Value padded = padSpatial(b, loc, x, low, high);
  Value acc = zeros(b, loc, out, element, x);
  return linalg::Conv3DNdhwcDhwcfOp::create(
             b, loc, RankedTensorType::get(out, element),
             ValueRange{padded, w}, acc, b.getI64TensorAttr(strides),
             b.getI64TensorAttr(dilations))
      .getResult(0);
}

/// The common frame of both lowerings: channels_first to last, a 1-D input
/// as a 2-D one of height 1, then `body` on N x H x W x C, the bias and the
/// activation, and back. `body` gets the input and the kernel (with a
/// leading spatial axis of 1 for 1-D) and returns N x OH x OW x F.
template <typename OpT>
LogicalResult lowerFrame(
    OpT op, Value input, Value kernel, Value bias,
    ConversionPatternRewriter &rewriter,
    function_ref<Value(Value x, Value w, bool oneD)> body) {
  Location loc = op.getLoc();
  auto inType = cast<RankedTensorType>(input.getType());
  int64_t rank = inType.getRank();
  bool oneD = rank == 3;
  Type element = inType.getElementType();
  Value x = input;
  if (op.getChannelsFirst())
    x = transposed(rewriter, loc, x, toChannelsLast(rank));
  Value w = kernel;
  if (oneD) {
    auto xt = cast<RankedTensorType>(x.getType());
    x = expand(rewriter, loc, x,
               {xt.getDimSize(0), 1, xt.getDimSize(1), xt.getDimSize(2)},
               {{0}, {1, 2}, {3}});
    auto wt = cast<RankedTensorType>(w.getType());
    w = expand(rewriter, loc, w,
               {1, wt.getDimSize(0), wt.getDimSize(1), wt.getDimSize(2)},
               {{0, 1}, {2}, {3}});
  }
  Value result = body(x, w, oneD);

  ActivationKind kind = op.getActivation();
  bool softmax = isAlongAxis(kind); // softmax, log_softmax
  if (bias || (!softmax && kind != ActivationKind::linear)) {
    // A convolution that is a matrix product (1x1) gets its bias and
    // activation on the product's rows, before the reshape: the epilogue
    // of the contraction kernel, applied while the tile is in registers.
    auto reshape = result.getDefiningOp<tensor::ExpandShapeOp>();
    if (reshape && !reshape.getSrc().getDefiningOp<linalg::MatmulOp>())
      reshape = {};
    if (reshape)
      result = reshape.getSrc();
    SmallVector<Value> operands{result};
    if (bias)
      operands.push_back(bias);
    result = buildElementwise(
        rewriter, loc, element, operands, "the filters of the convolution and its bias",
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = args.size() > 1
                        ? arith::AddFOp::create(nb, nl, args[0], args[1])
                        : args[0];
          return softmax ? v
                         : buildActivation(nb, nl, kind, v, std::nullopt,
                                           false);
        });
    if (reshape) {
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, reshape.getResultType(), result,
          reshape.getReassociationIndices(), reshape.getMixedOutputShape());
      rewriter.eraseOp(reshape);
    }
  }
  if (oneD)
    result = collapse(rewriter, loc, result, {{0}, {1, 2}, {3}});
  if (op.getChannelsFirst())
    result = transposed(rewriter, loc, result, toChannelsFirst(rank));
  if (softmax) // Keras's softmax: along the last axis, whatever the format.
    result = buildSoftmax(rewriter, loc, result, rank - 1,
                          /*log=*/kind == ActivationKind::log_softmax);
  replaceWithCheckedCast(rewriter, op, result);
  return success();
}

/// The spatial sizes of `x` (N x H x W x C), the kernel's, and the
/// settings of a 1-D op given for 2-D (a leading axis of size 1).
struct Frame {
  SmallVector<int64_t> in, kernel, strides, dilations;
};
Frame frameOf(Value x, Value w, ArrayRef<int64_t> strides,
              ArrayRef<int64_t> dilations, bool oneD) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto wt = cast<RankedTensorType>(w.getType());
  Frame f;
  f.in = {xt.getDimSize(1), xt.getDimSize(2)};
  f.kernel = {wt.getDimSize(0), wt.getDimSize(1)};
  f.strides.assign(strides.begin(), strides.end());
  f.dilations.assign(dilations.begin(), dilations.end());
  if (oneD) {
    f.strides.insert(f.strides.begin(), 1);
    f.dilations.insert(f.dilations.begin(), 1);
  }
  return f;
}

struct ConvLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    return lowerFrame(
        op, adaptor.getInput(), adaptor.getKernel(), adaptor.getBias(),
        rewriter, [&](Value x, Value w, bool oneD) {
          if (cast<RankedTensorType>(x.getType()).getRank() == 5)
            return convolve3D(rewriter, loc, x, w, op.getStrides(),
                              op.getDilations(), op.getPadding());
          Frame f = frameOf(x, w, op.getStrides(), op.getDilations(), oneD);
          SmallVector<int64_t> low, high, out{
              cast<RankedTensorType>(x.getType()).getDimSize(0)};
          for (int i = 0; i < 2; ++i) {
            // A 1-D op's height axis is 1 with a kernel of 1: valid.
            ConvPadding padding = oneD && i == 0 ? ConvPadding::valid
                                                 : op.getPadding();
            ConvAxis axis = *convAxis(f.in[i], f.kernel[i], f.strides[i],
                                      f.dilations[i], padding);
            low.push_back(axis.before);
            high.push_back(axis.after);
            out.push_back(axis.out);
          }
          out.push_back(cast<RankedTensorType>(w.getType()).getDimSize(3));
          Value padded = padSpatial(rewriter, loc, x, low, high);
          return convolve2D(rewriter, loc, padded, w, f.strides, f.dilations,
                            op.getGroups(), out);
        });
  }
};

struct ConvTransposeLowering : OpConversionPattern<ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    std::optional<ArrayRef<int64_t>> outputPadding = op.getOutputPadding();
    return lowerFrame(
        op, adaptor.getInput(), adaptor.getKernel(), adaptor.getBias(),
        rewriter, [&](Value x, Value w, bool oneD) {
          Frame f = frameOf(x, w, op.getStrides(), op.getDilations(), oneD);
          auto xt = cast<RankedTensorType>(x.getType());
          auto wt = cast<RankedTensorType>(w.getType());
          Type element = xt.getElementType();
          int64_t filters = wt.getDimSize(2), channels = wt.getDimSize(3);
          // Spread the input out: x[i] at i*s, zeros between.
          SmallVector<int64_t> spread{xt.getDimSize(0)};
          for (int i = 0; i < 2; ++i)
            spread.push_back((f.in[i] - 1) * f.strides[i] + 1);
          spread.push_back(channels);
          Value z = x;
          if (f.strides[0] != 1 || f.strides[1] != 1) {
            z = zeros(rewriter, loc, spread, element, x);
            SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0));
            SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, x);
            SmallVector<OpFoldResult> steps{
                rewriter.getIndexAttr(1), rewriter.getIndexAttr(f.strides[0]),
                rewriter.getIndexAttr(f.strides[1]), rewriter.getIndexAttr(1)};
            z = tensor::InsertSliceOp::create(rewriter, loc, x, z, offsets,
                                              sizes, steps);
          }
          // out[o] = sum_k z'[o + k*d] * wflip[k], z' padded before by
          // (k-1)*d - p; after, as much as the output needs (an input
          // longer than needed is fine for linalg).
          SmallVector<int64_t> low, high, out{xt.getDimSize(0)};
          for (int i = 0; i < 2; ++i) {
            std::optional<int64_t> extra;
            if (outputPadding)
              extra = oneD ? (i == 0 ? 0 : (*outputPadding)[0])
                           : (*outputPadding)[i];
            ConvPadding padding = oneD && i == 0 ? ConvPadding::valid
                                                 : op.getPadding();
            ConvAxis axis =
                oneD && i == 0
                    ? ConvAxis{1, 0, 0}
                    : convTransposeAxis(f.in[i], f.kernel[i], f.strides[i],
                                        f.dilations[i], padding, extra);
            int64_t reach = (f.kernel[i] - 1) * f.dilations[i];
            int64_t before = reach - axis.before;
            int64_t after = axis.out + reach - before - spread[i + 1];
            low.push_back(before);
            high.push_back(std::max<int64_t>(after, 0));
            out.push_back(axis.out);
          }
          out.push_back(filters);
          Value padded = padSpatial(rewriter, loc, z, low, high);
          // The kernel flipped along its spatial axes, k x k x C x F.
          int64_t kh = wt.getDimSize(0), kw = wt.getDimSize(1);
          MLIRContext *ctx = rewriter.getContext();
          AffineExpr d0, d1, d2, d3;
          bindDims(ctx, d0, d1, d2, d3);
          auto read = AffineMap::get(4, 0, {kh - 1 - d0, kw - 1 - d1, d3, d2},
                                     ctx);
          auto flippedType =
              RankedTensorType::get({kh, kw, channels, filters}, element);
          Value flipped =
              linalg::GenericOp::create(
                  rewriter, loc, flippedType, w,
                  tensor::EmptyOp::create(rewriter, loc,
                                          flippedType.getShape(), element)
                      .getResult(),
                  ArrayRef<AffineMap>{read,
                                      rewriter.getMultiDimIdentityMap(4)},
                  SmallVector<utils::IteratorType>(
                      4, utils::IteratorType::parallel),
                  [](OpBuilder &nb, Location nl, ValueRange args) {
                    linalg::YieldOp::create(nb, nl, args[0]);
                  })
                  .getResult(0);
          SmallVector<int64_t> ones{1, 1};
          return convolve2D(rewriter, loc, padded, flipped, ones, f.dilations,
                            1, out);
        });
  }
};

} // namespace

std::string lowering::whyConvNotLowered(Operation *op) {
  // Padding and output sizes are computed at compile time: every size but
  // the batch must be known.
  for (Value v : {op->getOperand(0), op->getOperand(1)}) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type)
      return "";
    ArrayRef<int64_t> shape = type.getShape();
    if (v == op->getOperand(0))
      shape = shape.drop_front();
    if (llvm::any_of(shape, ShapedType::isDynamic))
      return llvm::formatv("a convolution needs every size but the batch "
                           "known at compile time, got {0} for its {1}; give "
                           "the input a full shape (--input-shape)",
                           type, v == op->getOperand(0) ? "input" : "kernel")
          .str();
  }
  return "";
}

void lowering::populateConvPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering>(patterns.getContext());
}
