//===- PoolingPatterns.cpp - predict.pool and global_pool to linalg -------===//
//
// Windowed pooling goes through upstream's named pooling ops
// (linalg.pooling_{nwc,ncw,nhwc,nchw,ndhwc}_{max,sum}) on the input padded as
// TensorFlow pads for `same` (-inf for max, so that padding never wins; 0
// for the sum, whose divisor counts the valid elements only). Global
// pooling is a linalg.reduce over the spatial axes.
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

#include <limits>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
/// Index arithmetic on sizes that folds when both sides are constants.
struct SizeMath {
  OpBuilder &b;
  Location loc;

  OpFoldResult constant(int64_t v) { return b.getIndexAttr(v); }
  Value value(OpFoldResult v) {
    return getValueOrCreateConstantIndexOp(b, loc, v);
  }
  template <typename OpTy>
  OpFoldResult apply(OpFoldResult x, OpFoldResult y,
                     int64_t (*fold)(int64_t, int64_t)) {
    auto cx = getConstantIntValue(x), cy = getConstantIntValue(y);
    if (cx && cy)
      return constant(fold(*cx, *cy));
    return OpTy::create(b, loc, value(x), value(y)).getResult();
  }
  OpFoldResult add(OpFoldResult x, OpFoldResult y) {
    return apply<arith::AddIOp>(x, y, [](int64_t a, int64_t c) { return a + c; });
  }
  OpFoldResult sub(OpFoldResult x, OpFoldResult y) {
    return apply<arith::SubIOp>(x, y, [](int64_t a, int64_t c) { return a - c; });
  }
  OpFoldResult mul(OpFoldResult x, OpFoldResult y) {
    return apply<arith::MulIOp>(x, y, [](int64_t a, int64_t c) { return a * c; });
  }
  /// Floor division by a positive divisor.
  OpFoldResult floorDiv(OpFoldResult x, OpFoldResult y) {
    return apply<arith::FloorDivSIOp>(x, y, [](int64_t a, int64_t c) {
      return a >= 0 ? a / c : -((-a + c - 1) / c);
    });
  }
  OpFoldResult max(OpFoldResult x, OpFoldResult y) {
    return apply<arith::MaxSIOp>(x, y,
                                 [](int64_t a, int64_t c) { return std::max(a, c); });
  }
};

/// Keras's output size along one spatial axis and TensorFlow's padding
/// before and after it.
struct AxisPlan {
  OpFoldResult out, before, after;
};

AxisPlan planAxis(SizeMath &m, PoolOp op, OpFoldResult n, int64_t k,
                  int64_t s) {
  AxisPlan plan;
  if (!op.getSame()) {
    // floor((n - k) / s) + 1, refused when negative (C122).
    OpFoldResult span = m.add(m.sub(n, m.constant(k)), m.constant(s));
    if (!getConstantIntValue(span)) {
      Value ok = arith::CmpIOp::create(m.b, m.loc, arith::CmpIPredicate::sge,
                                       m.value(span),
                                       arith::ConstantIndexOp::create(m.b, m.loc, 0));
      emitCheck(m.b, m.loc, ok,
                "a pooling window of " + Twine(k) + " with stride " +
                    Twine(s) + " and valid padding does not fit an input of "
                    "size {0} (the output size would be negative)",
                {m.value(n)});
    }
    plan.out = m.floorDiv(span, m.constant(s));
    plan.before = plan.after = m.constant(0);
    return plan;
  }
  // TensorFlow's SAME: out = ceil(n / s); total padding
  // max((out - 1) * s + k - n, 0), the smaller half before.
  plan.out = m.floorDiv(m.add(n, m.constant(s - 1)), m.constant(s));
  OpFoldResult needed =
      m.sub(m.add(m.mul(m.sub(plan.out, m.constant(1)), m.constant(s)),
                  m.constant(k)),
            n);
  OpFoldResult total = m.max(needed, m.constant(0));
  plan.before = m.floorDiv(total, m.constant(2));
  plan.after = m.sub(total, plan.before);
  return plan;
}

struct PoolLowering : OpConversionPattern<PoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type element = type.getElementType();
    ArrayRef<int64_t> window = op.getWindow(), strides = op.getStrides();
    int64_t spatial = window.size();
    bool channelsFirst = op.getChannelsFirst();
    int64_t first = channelsFirst ? 2 : 1;
    bool isMax = op.getKind() == PoolKind::max;
    if (spatial == 3 && channelsFirst)
      return rewriter.notifyMatchFailure(
          op, "a 3-D window pools channels last only (the importer moves "
              "the channels)");
    SizeMath m{rewriter, loc};

    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, input);
    SmallVector<OpFoldResult> low(type.getRank(), m.constant(0));
    SmallVector<OpFoldResult> high = low, outSizes = sizes;
    SmallVector<AxisPlan> plans;
    bool padded = false;
    for (int64_t i = 0; i < spatial; ++i) {
      AxisPlan plan = planAxis(m, op, sizes[first + i], window[i], strides[i]);
      low[first + i] = plan.before;
      high[first + i] = plan.after;
      outSizes[first + i] = plan.out;
      padded |= !isConstantIntValue(plan.before, 0) ||
                !isConstantIntValue(plan.after, 0);
      plans.push_back(plan);
    }

    // -inf for max: a padded element never wins (TensorFlow's MaxPool
    // ignores the padding); 0 for the sum.
    double identity =
        isMax ? -std::numeric_limits<double>::infinity() : 0.0;
    Value fillValue = floatConstant(rewriter, loc, element, identity);
    Value source = input;
    if (padded)
      source = tensor::PadOp::create(rewriter, loc, Type(), input, low, high,
                                     fillValue);

    SmallVector<int64_t> staticOut;
    SmallVector<Value> dynamicOut;
    dispatchIndexOpFoldResults(outSizes, dynamicOut, staticOut);
    auto outType = RankedTensorType::get(staticOut, element);
    Value init = tensor::EmptyOp::create(rewriter, loc, staticOut, element,
                                         dynamicOut);
    init = linalg::FillOp::create(rewriter, loc, fillValue, init).getResult(0);
    Value shape = tensor::EmptyOp::create(rewriter, loc, window, element);
    SmallVector<NamedAttribute> attrs{
        rewriter.getNamedAttr("strides", rewriter.getI64TensorAttr(strides)),
        rewriter.getNamedAttr(
            "dilations",
            rewriter.getI64TensorAttr(SmallVector<int64_t>(spatial, 1)))};
    Value pooled;
    auto build = [&](auto tag) {
      using OpTy = decltype(tag);
      pooled = OpTy::create(rewriter, loc, TypeRange{outType},
                            ValueRange{source, shape}, ValueRange{init}, attrs)
                   .getResult(0);
    };
    if (spatial == 3)
      isMax ? build(linalg::PoolingNdhwcMaxOp())
            : build(linalg::PoolingNdhwcSumOp());
    else if (spatial == 2 && !channelsFirst)
      isMax ? build(linalg::PoolingNhwcMaxOp()) : build(linalg::PoolingNhwcSumOp());
    else if (spatial == 2)
      isMax ? build(linalg::PoolingNchwMaxOp()) : build(linalg::PoolingNchwSumOp());
    else if (!channelsFirst)
      isMax ? build(linalg::PoolingNwcMaxOp()) : build(linalg::PoolingNwcSumOp());
    else
      isMax ? build(linalg::PoolingNcwMaxOp()) : build(linalg::PoolingNcwSumOp());

    if (!isMax)
      pooled = divideByCount(rewriter, loc, op, pooled, sizes, plans);
    replaceWithCheckedCast(rewriter, op, pooled);
    return success();
  }

  /// The sum of each window divided by the number of input elements it
  /// covers (TensorFlow's AvgPool excludes the padding): along each spatial
  /// axis, min(o s - before + k, n) - max(o s - before, 0).
  static Value divideByCount(OpBuilder &b, Location loc, PoolOp op,
                             Value sums, ArrayRef<OpFoldResult> inSizes,
                             ArrayRef<AxisPlan> plans) {
    auto type = cast<RankedTensorType>(sums.getType());
    Type element = type.getElementType();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> window = op.getWindow(), strides = op.getStrides();
    int64_t first = op.getChannelsFirst() ? 2 : 1;
    if (!op.getSame()) {
      // Every window lies inside the input.
      int64_t count = 1;
      for (int64_t k : window)
        count *= k;
      Value divisor = floatConstant(b, loc, element, double(count));
      return buildElementwise(
          b, loc, element, {sums}, "average pooling",
          [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return arith::DivFOp::create(nb, nl, args[0], divisor);
          });
    }
    SmallVector<Value> n, before;
    for (size_t i = 0; i < plans.size(); ++i) {
      n.push_back(getValueOrCreateConstantIndexOp(b, loc, inSizes[first + i]));
      before.push_back(getValueOrCreateConstantIndexOp(b, loc, plans[i].before));
    }
    Value out = emptyLike(b, loc, sums);
    auto identity = b.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    return linalg::GenericOp::create(
               b, loc, TypeRange{type}, ValueRange{sums}, ValueRange{out},
               ArrayRef<AffineMap>{identity, identity}, iterators,
               [&](OpBuilder &nb, Location nl, ValueRange args) {
                 Value count = arith::ConstantIndexOp::create(nb, nl, 1);
                 for (size_t i = 0; i < plans.size(); ++i) {
                   Value o = linalg::IndexOp::create(nb, nl, first + i);
                   Value start = arith::SubIOp::create(
                       nb, nl,
                       arith::MulIOp::create(
                           nb, nl, o,
                           arith::ConstantIndexOp::create(nb, nl, strides[i])),
                       before[i]);
                   Value end = arith::AddIOp::create(
                       nb, nl, start,
                       arith::ConstantIndexOp::create(nb, nl, window[i]));
                   Value lo = arith::MaxSIOp::create(
                       nb, nl, start, arith::ConstantIndexOp::create(nb, nl, 0));
                   Value hi = arith::MinSIOp::create(nb, nl, end, n[i]);
                   count = arith::MulIOp::create(
                       nb, nl, count, arith::SubIOp::create(nb, nl, hi, lo));
                 }
                 Value asInt = arith::IndexCastOp::create(
                     nb, nl, nb.getI64Type(), count);
                 Value asFloat =
                     arith::SIToFPOp::create(nb, nl, element, asInt);
                 Value q = arith::DivFOp::create(nb, nl, args[0], asFloat);
                 linalg::YieldOp::create(nb, nl, q);
               })
        .getResult(0);
  }
};

struct GlobalPoolLowering : OpConversionPattern<GlobalPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GlobalPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type element = type.getElementType();
    int64_t rank = type.getRank();
    int64_t channels = op.getChannelsFirst() ? 1 : rank - 1;
    bool isMax = op.getKind() == PoolKind::max;

    SmallVector<int64_t> dims;
    for (int64_t d = 1; d < rank; ++d)
      if (d != channels)
        dims.push_back(d);
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, input);
    SmallVector<OpFoldResult> kept{sizes[0], sizes[channels]};
    SmallVector<int64_t> staticKept;
    SmallVector<Value> dynamicKept;
    dispatchIndexOpFoldResults(kept, dynamicKept, staticKept);
    // The sum accumulates wider (sumAccumulator: a float32 running sum over
    // a large image loses precision) and rounds once, in the mean below.
    Type accumulator = isMax ? element : sumAccumulator(rewriter, element);
    Value init = tensor::EmptyOp::create(rewriter, loc, staticKept, accumulator,
                                         dynamicKept);
    // numpy's max over nothing with initial=-inf, sum over nothing 0.
    Value start =
        floatConstant(rewriter, loc, accumulator,
                      isMax ? -std::numeric_limits<double>::infinity() : 0.0);
    init = linalg::FillOp::create(rewriter, loc, start, init).getResult(0);
    Value reduced =
        linalg::ReduceOp::create(
            rewriter, loc, ValueRange{input}, ValueRange{init}, dims,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value r;
              if (isMax) {
                r = arith::MaximumFOp::create(nb, nl, args[0], args[1]);
              } else {
                r = accumulateSum(nb, nl, args[0], args[1]);
              }
              linalg::YieldOp::create(nb, nl, r);
            })
            .getResult(0);
    if (!isMax) {
      // The mean: the sum over the count of spatial elements (0 / 0 is
      // NaN over an empty extent, as numpy's mean gives).
      SizeMath m{rewriter, loc};
      OpFoldResult count = m.constant(1);
      for (int64_t d : dims)
        count = m.mul(count, sizes[d]);
      Value asInt = arith::IndexCastOp::create(
          rewriter, loc, rewriter.getI64Type(), m.value(count));
      Value divisor =
          arith::SIToFPOp::create(rewriter, loc, accumulator, asInt);
      reduced = buildElementwise(
          rewriter, loc, element, {reduced}, "global average pooling",
          [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            Value mean = arith::DivFOp::create(nb, nl, args[0], divisor);
            if (accumulator == element)
              return mean;
            return arith::TruncFOp::create(nb, nl, element, mean);
          });
    }
    if (op.getKeepdims()) {
      SmallVector<OpFoldResult> shape(rank, rewriter.getIndexAttr(1));
      shape[0] = sizes[0];
      shape[channels] = sizes[channels];
      SmallVector<int64_t> staticShape;
      SmallVector<Value> dynamicShape;
      dispatchIndexOpFoldResults(shape, dynamicShape, staticShape);
      // (N, C) -> (N, 1, .., C) or (N, C, 1, ..): one group after the batch.
      ReassociationIndices rest;
      for (int64_t d = 1; d < rank; ++d)
        rest.push_back(d);
      reduced = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(staticShape, element), reduced,
          SmallVector<ReassociationIndices>{{0}, rest}, shape);
    }
    replaceWithCheckedCast(rewriter, op, reduced);
    return success();
  }
};
} // namespace

void lowering::populatePoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<PoolLowering, GlobalPoolLowering>(patterns.getContext());
}
