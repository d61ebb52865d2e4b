//===- ReductionPatterns.cpp - reductions, argmax, casts to linalg --------===//
//
// predict.reduce: one linalg.generic folding the axes (AxesReduction, as
// layer_norm's statistics), mean dividing the sum by the count, keepdims a
// tensor.expand_shape of the result. predict.arg_reduce: one linalg.generic
// carrying the extreme and its index. predict.cast, predict.logical,
// predict.not and the unary math ops: elementwise (buildElementwise).
//
//===----------------------------------------------------------------------===//

#include "AxesReduction.h"
#include "LoweringUtils.h"
#include "Patterns.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
/// A constant of `type` (a float or an integer type) holding `value`.
Value scalar(OpBuilder &b, Location loc, Type type, double value) {
  if (isa<FloatType>(type))
    return floatConstant(b, loc, type, value);
  return arith::ConstantOp::create(
      b, loc, IntegerAttr::get(type, static_cast<int64_t>(value)));
}

/// `x OP acc`: one step of a reduction.
template <typename OpTy>
Value combineWith(OpBuilder &b, Location loc, Value x, Value acc) {
  return OpTy::create(b, loc, x, acc);
}

/// The smallest or largest value of the signed integer type `type`: where
/// a max or min over integers starts.
Value signedExtreme(OpBuilder &b, Location loc, Type type, bool largest) {
  unsigned bits = type.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc,
      IntegerAttr::get(type, largest ? APInt::getSignedMaxValue(bits)
                                     : APInt::getSignedMinValue(bits)));
}

/// `reduced` (the reduction without `axes`) with a size-1 axis put back
/// where each of `axes` (ascending) was: `keepdims`.
Value keepDims(OpBuilder &b, Location loc, Value reduced,
               ArrayRef<int64_t> axes, int64_t rank) {
  auto type = cast<RankedTensorType>(reduced.getType());
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> sizes;
  // Each unit axis joins the group of the kept axis before it (those
  // before the first kept axis, its group).
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  int64_t source = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(axes, d)) {
      shape.push_back(type.getDimSize(source));
      sizes.push_back(sizeOf(b, loc, reduced, source));
      ++source;
      pending.push_back(d);
      groups.push_back(pending);
      pending.clear();
      continue;
    }
    shape.push_back(1);
    sizes.push_back(b.getIndexAttr(1));
    if (groups.empty())
      pending.push_back(d);
    else
      groups.back().push_back(d);
  }
  auto result = RankedTensorType::get(shape, type.getElementType());
  return tensor::ExpandShapeOp::create(b, loc, result, reduced, groups, sizes);
}

struct ReduceLowering : OpConversionPattern<ReduceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type element = type.getElementType();
    AxesReduction r(rewriter, loc, input, op.getAxes());
    double inf = std::numeric_limits<double>::infinity();
    using Combine = Value (*)(OpBuilder &, Location, Value, Value);
    double init = 0.0;
    Combine combine = nullptr;
    // Integers (i32, i64; C221): wrapping sum and product, signed extremes
    // starting from the type's smallest and largest values.
    bool integer = isa<IntegerType>(element) && !element.isInteger(1);
    Value integerInit;
    switch (op.getKind()) {
    case ReduceKind::sum:
    case ReduceKind::mean:
      combine =
          integer ? combineWith<arith::AddIOp> : combineWith<arith::AddFOp>;
      break;
    case ReduceKind::prod:
      init = 1.0;
      combine =
          integer ? combineWith<arith::MulIOp> : combineWith<arith::MulFOp>;
      break;
    case ReduceKind::max:
      init = -inf;
      if (integer)
        integerInit = signedExtreme(rewriter, loc, element, /*largest=*/false);
      combine = integer ? combineWith<arith::MaxSIOp>
                        : combineWith<arith::MaximumFOp>;
      break;
    case ReduceKind::min:
      init = inf;
      if (integer)
        integerInit = signedExtreme(rewriter, loc, element, /*largest=*/true);
      combine = integer ? combineWith<arith::MinSIOp>
                        : combineWith<arith::MinimumFOp>;
      break;
    case ReduceKind::any:
      combine = combineWith<arith::OrIOp>;
      break;
    case ReduceKind::all:
      init = 1.0;
      combine = combineWith<arith::AndIOp>;
      break;
    }
    // Float sums accumulate wider (sumAccumulator) and round once.
    Type accumulator = element;
    if (!integer &&
        (op.getKind() == ReduceKind::sum || op.getKind() == ReduceKind::mean))
      accumulator = sumAccumulator(rewriter, element);
    bool wide = accumulator != element;
    if (wide) {
      combine = accumulateSum;
    }
    Value result = r.fold(
        rewriter, loc, input,
        integerInit ? integerInit : scalar(rewriter, loc, accumulator, init),
        combine);
    bool mean = op.getKind() == ReduceKind::mean;
    Value n;
    if (mean) {
      // sum / n, n the count of elements reduced (0 / 0 is NaN; on
      // integers, rounding toward zero, and no count is an error).
      Value count = arith::IndexCastOp::create(rewriter, loc,
                                               rewriter.getI64Type(), r.count);
      if (integer) {
        emitCheck(rewriter, loc,
                  arith::CmpIOp::create(
                      rewriter, loc, arith::CmpIPredicate::ne, count,
                      arith::ConstantIntOp::create(rewriter, loc,
                                                   rewriter.getI64Type(), 0)),
                  "the mean of integers over no element divides by zero "
                  "(tf.cast to float32 first for NaN)");
        n = element.isInteger(64)
                ? count
                : arith::TruncIOp::create(rewriter, loc, element, count)
                      .getResult();
      } else {
        n = arith::SIToFPOp::create(rewriter, loc, accumulator, count);
      }
    }
    if (mean || wide) {
      // The mean divides the sum by the count; a wide sum is rounded to the
      // element type once, at the end.
      int64_t statRank = r.statType.getRank();
      AffineMap identity = rewriter.getMultiDimIdentityMap(statRank);
      result =
          linalg::GenericOp::create(
              rewriter, loc, r.statType, result,
              emptyTensor(rewriter, loc, r.statType, r.statSizes),
              ArrayRef<AffineMap>{identity, identity},
              SmallVector<utils::IteratorType>(statRank,
                                               utils::IteratorType::parallel),
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value v = args[0];
                if (mean)
                  v = integer ? arith::DivSIOp::create(b, l, v, n).getResult()
                              : arith::DivFOp::create(b, l, v, n).getResult();
                if (wide)
                  v = arith::TruncFOp::create(b, l, element, v);
                linalg::YieldOp::create(b, l, v);
              })
              .getResult(0);
    }
    if (op.getKeepdims())
      result = keepDims(rewriter, loc, result, r.axes, type.getRank());
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};

struct ArgReduceLowering : OpConversionPattern<ArgReduceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ArgReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type element = type.getElementType();
    Type index = cast<TensorType>(op.getResult().getType()).getElementType();
    int64_t axis = *normalizeAxis(op.getAxis(), type.getRank()); // C222
    bool max = op.getKind() == ReduceKind::max;
    // An empty axis has no extreme (numpy raises).
    OpFoldResult size = sizeOf(rewriter, loc, input, axis);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    emitCheck(rewriter, loc,
              arith::CmpIOp::create(
                  rewriter, loc, arith::CmpIPredicate::ne,
                  getValueOrCreateConstantIndexOp(rewriter, loc, size), zero),
              (Twine("arg") + (max ? "max" : "min") +
               " of an empty axis: axis " + Twine(axis) + " has size 0")
                  .str());
    AxesReduction r(rewriter, loc, input, {axis});
    double inf = std::numeric_limits<double>::infinity();
    bool integer = isa<IntegerType>(element);
    Value extremes = r.filled(
        rewriter, loc,
        integer ? signedExtreme(rewriter, loc, element, /*largest=*/!max)
                : floatConstant(rewriter, loc, element, max ? -inf : inf));
    auto indexType = RankedTensorType::get(r.statType.getShape(), index);
    Value indices = linalg::FillOp::create(
                        rewriter, loc, scalar(rewriter, loc, index, 0),
                        emptyTensor(rewriter, loc, indexType, r.statSizes))
                        .getResult(0);
    AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{r.statType, indexType}, input,
        ValueRange{extremes, indices},
        ArrayRef<AffineMap>{identity, r.statMap, r.statMap}, r.iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], at = args[2];
          // Strictly better, so the first of equals stays; a NaN beats a
          // number (numpy's argmax gives the first NaN).
          Value take;
          if (integer) {
            take = arith::CmpIOp::create(b, l,
                                         max ? arith::CmpIPredicate::sgt
                                             : arith::CmpIPredicate::slt,
                                         x, best);
          } else {
            Value better = arith::CmpFOp::create(
                b, l,
                max ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x,
                best);
            Value xNan =
                arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
            Value bestNumber = arith::CmpFOp::create(
                b, l, arith::CmpFPredicate::ORD, best, best);
            take = arith::OrIOp::create(
                b, l, better, arith::AndIOp::create(b, l, xNan, bestNumber));
          }
          Value i = arith::IndexCastOp::create(
              b, l, index, linalg::IndexOp::create(b, l, axis));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, take, x, best),
                         arith::SelectOp::create(b, l, take, i, at)});
        });
    Value result = generic.getResult(1);
    if (op.getKeepdims())
      result = keepDims(rewriter, loc, result, {axis}, type.getRank());
    replaceWithCheckedCast(rewriter, op, result);
    return success();
  }
};

/// tf.cast's conversion of one element.
Value castElement(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  if (to.isInteger(1)) {
    if (isa<FloatType>(from))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                   floatConstant(b, loc, from, 0.0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                 scalar(b, loc, from, 0));
  }
  if (from.isInteger(1)) {
    if (isa<FloatType>(to))
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::ExtUIOp::create(b, loc, to, x);
  }
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  if (fromFloat && toFloat)
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? arith::ExtFOp::create(b, loc, to, x).getResult()
               : arith::TruncFOp::create(b, loc, to, x).getResult();
  if (fromFloat) {
    // LLVM's fptosi is poison for NaN, infinities and values outside the
    // integer type's range, which LLVM folds to anything (helper-116: a
    // NaN cast to int32 gave another value in each row). x86's conversion
    // (cvttss2si), which TensorFlow's and numpy's casts compile to, gives
    // the smallest integer for those ("integer indefinite"): here so on
    // every target. (-2**(w-1) and 2**(w-1) are exact in any float type.)
    unsigned bits = to.getIntOrFloatBitWidth();
    Value low = floatConstant(b, loc, from, -std::ldexp(1.0, bits - 1));
    Value high = floatConstant(b, loc, from, std::ldexp(1.0, bits - 1));
    Value inRange = arith::AndIOp::create(
        b, loc,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, low),
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, high));
    return arith::SelectOp::create(
        b, loc, inRange, arith::FPToSIOp::create(b, loc, to, x),
        signedExtreme(b, loc, to, /*largest=*/false));
  }
  if (toFloat)
    return arith::SIToFPOp::create(b, loc, to, x);
  return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
             ? arith::ExtSIOp::create(b, loc, to, x).getResult()
             : arith::TruncIOp::create(b, loc, to, x).getResult();
}

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type to = cast<TensorType>(op.getResult().getType()).getElementType();
    replaceWithCheckedCast(
        rewriter, op,
        buildElementwise(rewriter, op.getLoc(), to, adaptor.getInput(),
                         "the operand of tf.cast",
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           return castElement(b, l, args[0], to);
                         }));
    return success();
  }
};

struct LogicalLowering : OpConversionPattern<LogicalOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LogicalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    LogicalKind kind = op.getKind();
    replaceWithCheckedCast(
        rewriter, op,
        buildElementwise(
            rewriter, op.getLoc(),
            getElementTypeOrSelf(adaptor.getLhs().getType()),
            adaptor.getOperands(),
            ("operands of logical_" + stringifyLogicalKind(kind)).str(),
            [&](OpBuilder &b, Location l, ValueRange args) -> Value {
              switch (kind) {
              case LogicalKind::And:
                return arith::AndIOp::create(b, l, args[0], args[1]);
              case LogicalKind::Or:
                return arith::OrIOp::create(b, l, args[0], args[1]);
              case LogicalKind::Xor:
                break;
              }
              return arith::XOrIOp::create(b, l, args[0], args[1]);
            }));
    return success();
  }
};

/// An elementwise op of one operand computed by `Fn` on its scalar.
template <typename OpTy>
struct UnaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using Fn = Value (*)(OpBuilder &, Location, Value);
  UnaryLowering(MLIRContext *ctx, Fn fn)
      : OpConversionPattern<OpTy>(ctx), fn(fn) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    replaceWithCheckedCast(
        rewriter, op,
        buildElementwise(rewriter, op.getLoc(),
                         cast<TensorType>(input.getType()).getElementType(),
                         input, "the operand",
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           return fn(b, l, args[0]);
                         }));
    return success();
  }
  Fn fn;
};

template <typename MathOp>
Value math1(OpBuilder &b, Location l, Value x) {
  return MathOp::create(b, l, x);
}

/// Every bit of `x` inverted: logical not of a bool, `~x` of an integer.
Value logicalNot(OpBuilder &b, Location l, Value x) {
  return arith::XOrIOp::create(
      b, l, x,
      arith::ConstantOp::create(b, l, b.getIntegerAttr(x.getType(), -1)));
}
} // namespace

void lowering::populateReductionPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ReduceLowering, ArgReduceLowering, CastLowering,
               LogicalLowering>(ctx);
  patterns.add<UnaryLowering<NotOp>>(ctx, logicalNot);
  patterns.add<UnaryLowering<RsqrtOp>>(ctx, math1<math::RsqrtOp>);
  patterns.add<UnaryLowering<Log1pOp>>(ctx, math1<math::Log1pOp>);
  patterns.add<UnaryLowering<ErfOp>>(ctx, math1<math::ErfOp>);
  patterns.add<UnaryLowering<SinOp>>(ctx, math1<math::SinOp>);
  patterns.add<UnaryLowering<FloorOp>>(ctx, math1<math::FloorOp>);
  patterns.add<UnaryLowering<CeilOp>>(ctx, math1<math::CeilOp>);
  patterns.add<UnaryLowering<RoundOp>>(ctx, math1<math::RoundEvenOp>);
  patterns.add<UnaryLowering<CosOp>>(ctx, math1<math::CosOp>);
}
