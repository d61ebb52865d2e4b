//===- ElementwisePatterns.cpp - elementwise math and matmul to linalg ----===//

#include "LoweringUtils.h"
#include "Patterns.h"

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
/// The run-time error where a matrix product's contracted sizes differ
/// (C28), in words that fit `a @ b`, tf.matmul and tf.einsum alike (the
/// location shows which the user wrote; helper-115: it said '@' of a
/// tf.matmul).
constexpr const char *kInnerSizesDiffer =
    "the matrix product's left operand has {0} columns but its right "
    "operand has {1} rows";

using ScalarFn = Value (*)(OpBuilder &, Location, ValueRange);

/// The element type of a ranked tensor value.
Type elementOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// Any predict op computed elementwise, with broadcasting, by `Fn` on the
/// scalars of its operands; `Name` is how the user wrote it, for messages
/// about sizes that do not broadcast.
template <typename OpTy, ScalarFn Fn, const char *Name>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ValueRange operands = adaptor.getOperands();
    // select's result has its values' element type, not its condition's.
    Type element = elementOf(operands.back());
    replaceWithCheckedCast(
        rewriter, op,
        buildElementwise(rewriter, op.getLoc(), element, operands,
                         (Twine("operands of ") + Name).str(), Fn));
    return success();
  }
};

constexpr char kAdd[] = "'+'", kSub[] = "'-'", kMul[] = "'*'", kDiv[] = "'/'",
               kFloorDiv[] = "'//'", kMod[] = "'%'",
               kPow[] = "'**'", kMaximum[] = "maximum",
               kMinimum[] = "minimum", kWhere[] = "where", kUnary[] = "";

template <typename ArithOp>
Value binary(OpBuilder &b, Location loc, ValueRange args) {
  return ArithOp::create(b, loc, args[0], args[1]);
}

/// `FloatOp` on floats, `IntOp` on (signed) integers.
template <typename FloatOp, typename IntOp>
Value numeric(OpBuilder &b, Location loc, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return FloatOp::create(b, loc, args);
  return IntOp::create(b, loc, args);
}

template <typename MathOp>
Value unary(OpBuilder &b, Location loc, ValueRange args) {
  return MathOp::create(b, loc, args[0]);
}

Value sum(OpBuilder &b, Location loc, ValueRange args) {
  bool isFloat = isa<FloatType>(args.front().getType());
  Value total = args.front();
  for (Value v : args.drop_front())
    total = isFloat ? Value(arith::AddFOp::create(b, loc, total, v))
                    : Value(arith::AddIOp::create(b, loc, total, v));
  return total;
}

Value negate(OpBuilder &b, Location loc, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return arith::NegFOp::create(b, loc, args[0]);
  // 0 - x: wraps for the smallest integer, as numpy's negative does.
  return arith::SubIOp::create(
      b, loc, arith::ConstantOp::create(b, loc, b.getZeroAttr(args[0].getType())),
      args[0]);
}

/// An integer divisor made safe for the division instructions: 1 where it
/// is 0 (x86's idiv traps; the front end checks for zero first) or -1
/// (INT_MIN / -1 traps too); the -1 case is then `-a` for the quotient and
/// 0 for the remainder.
struct SafeDivisor {
  Value divisor, isMinusOne;
};
SafeDivisor safeDivisor(OpBuilder &b, Location loc, Value divisor) {
  Type type = divisor.getType();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, 0));
  Value one = arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, 1));
  Value minusOne =
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, -1));
  Value isZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, divisor, zero);
  Value isMinusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           divisor, minusOne);
  Value unsafe = arith::OrIOp::create(b, loc, isZero, isMinusOne);
  return {arith::SelectOp::create(b, loc, unsafe, one, divisor), isMinusOne};
}

/// Python's `a // b` (numpy's floor_divide).
Value floorDivide(OpBuilder &b, Location loc, ValueRange args) {
  Value a = args[0], d = args[1];
  if (isa<FloatType>(a.getType()))
    return math::FloorOp::create(b, loc, arith::DivFOp::create(b, loc, a, d));
  SafeDivisor safe = safeDivisor(b, loc, d);
  Value q = arith::FloorDivSIOp::create(b, loc, a, safe.divisor);
  return arith::SelectOp::create(b, loc, safe.isMinusOne,
                                 negate(b, loc, ValueRange{a}), q);
}

/// Python's `a % b` (numpy's mod): the remainder with the sign of `b`.
Value modulo(OpBuilder &b, Location loc, ValueRange args) {
  Value a = args[0], d = args[1];
  bool isFloat = isa<FloatType>(a.getType());
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(a.getType()));
  // fmod and remsi have the sign of `a` (fmod: NaN for a zero divisor, as
  // numpy gives); one whose sign differs from `d`'s moves by `d`.
  Value r = isFloat ? Value(arith::RemFOp::create(b, loc, a, d))
                    : Value(arith::RemSIOp::create(
                          b, loc, a, safeDivisor(b, loc, d).divisor));
  auto negative = [&](Value v) -> Value {
    if (isFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, v, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, zero);
  };
  Value nonZero =
      isFloat
          ? Value(arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, r,
                                        zero))
          : Value(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r,
                                        zero));
  Value signsDiffer = arith::AndIOp::create(
      b, loc, nonZero, arith::XOrIOp::create(b, loc, negative(r), negative(d)));
  Value moved = isFloat ? Value(arith::AddFOp::create(b, loc, r, d))
                        : Value(arith::AddIOp::create(b, loc, r, d));
  return arith::SelectOp::create(b, loc, signsDiffer, moved, r);
}

Value select(OpBuilder &b, Location loc, ValueRange args) {
  return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
}

/// A comparison as Python spells it.
StringRef spelling(CompareKind kind) {
  switch (kind) {
  case CompareKind::eq:
    return "==";
  case CompareKind::ne:
    return "!=";
  case CompareKind::lt:
    return "<";
  case CompareKind::le:
    return "<=";
  case CompareKind::gt:
    return ">";
  case CompareKind::ge:
    return ">=";
  }
  llvm_unreachable("unknown comparison");
}

struct CompareLowering : OpConversionPattern<CompareOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CompareOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // numpy's comparisons: false against NaN, except `!=`, which is true;
    // integers compare signed.
    arith::CmpFPredicate predicate;
    arith::CmpIPredicate intPredicate;
    switch (op.getKind()) {
    case CompareKind::eq:
      predicate = arith::CmpFPredicate::OEQ;
      intPredicate = arith::CmpIPredicate::eq;
      break;
    case CompareKind::ne:
      predicate = arith::CmpFPredicate::UNE;
      intPredicate = arith::CmpIPredicate::ne;
      break;
    case CompareKind::lt:
      predicate = arith::CmpFPredicate::OLT;
      intPredicate = arith::CmpIPredicate::slt;
      break;
    case CompareKind::le:
      predicate = arith::CmpFPredicate::OLE;
      intPredicate = arith::CmpIPredicate::sle;
      break;
    case CompareKind::gt:
      predicate = arith::CmpFPredicate::OGT;
      intPredicate = arith::CmpIPredicate::sgt;
      break;
    case CompareKind::ge:
      predicate = arith::CmpFPredicate::OGE;
      intPredicate = arith::CmpIPredicate::sge;
      break;
    }
    replaceWithCheckedCast(
        rewriter, op,
        buildElementwise(rewriter, op.getLoc(), rewriter.getI1Type(),
                         adaptor.getOperands(),
                         ("operands of '" + spelling(op.getKind()) + "'").str(),
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           if (isa<FloatType>(args[0].getType()))
                             return Value(arith::CmpFOp::create(
                                 b, l, predicate, args[0], args[1]));
                           return Value(arith::CmpIOp::create(
                               b, l, intPredicate, args[0], args[1]));
                         }));
    return success();
  }
};

struct ClipLowering : OpConversionPattern<ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::optional<double> min, max;
    if (op.getMinAttr())
      min = op.getMinAttr().getValueAsDouble();
    if (op.getMaxAttr())
      max = op.getMaxAttr().getValueAsDouble();
    replaceWithCheckedCast(
        rewriter, op,
        buildElementwise(
                rewriter, op.getLoc(), elementOf(adaptor.getInput()),
                adaptor.getInput(), "", [&](OpBuilder &b, Location l, ValueRange args) {
                  Value v = args[0];
                  if (min)
                    v = arith::MaximumFOp::create(
                        b, l, v, floatConstant(b, l, v.getType(), *min));
                  if (max)
                    v = arith::MinimumFOp::create(
                        b, l, v, floatConstant(b, l, v.getType(), *max));
                  return v;
                }));
    return success();
  }
};

/// numpy matmul of two matrices; batched and vector forms are not lowered
/// yet and are reported by the pass.
struct MatmulLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    if (lhsType.getRank() != 2 || rhsType.getRank() != 2)
      return lowerBatched(op, lhs, rhs, rewriter);
    Location loc = op.getLoc();
    // The contracted sizes agree (C28); numpy raises when they do not.
    OpFoldResult columns = sizeOf(rewriter, loc, lhs, 1);
    OpFoldResult rows = sizeOf(rewriter, loc, rhs, 0);
    emitCheck(rewriter, loc, sizesEqual(rewriter, loc, columns, rows),
              kInnerSizesDiffer,
              {getValueOrCreateConstantIndexOp(rewriter, loc, columns),
               getValueOrCreateConstantIndexOp(rewriter, loc, rows)});
    auto type = RankedTensorType::get(
        {lhsType.getDimSize(0), rhsType.getDimSize(1)},
        lhsType.getElementType());
    SmallVector<Value> sizes;
    if (type.isDynamicDim(0))
      sizes.push_back(getValueOrCreateConstantIndexOp(
          rewriter, loc, sizeOf(rewriter, loc, lhs, 0)));
    if (type.isDynamicDim(1))
      sizes.push_back(getValueOrCreateConstantIndexOp(
          rewriter, loc, sizeOf(rewriter, loc, rhs, 1)));
    Value acc = linalg::FillOp::create(
                    rewriter, loc,
                    floatConstant(rewriter, loc, type.getElementType(), 0.0),
                    emptyTensor(rewriter, loc, type, sizes))
                    .getResult(0);
    replaceWithCheckedCast(
        rewriter, op,
        linalg::MatmulOp::create(rewriter, loc, TypeRange{type},
                                 ValueRange{lhs, rhs}, ValueRange{acc})
            .getResult(0));
    return success();
  }

  /// numpy's matmul of operands not both 2-D, as one linalg.generic over
  /// (batch..., m, n, k): a 1-D left operand is a row and a 1-D right one
  /// a column, each without its dimension in the result; the leading
  /// (batch) dimensions broadcast from the right as numpy's do: an
  /// operand's batch dimension of static size 1 is read at index 0, one of
  /// size 1 known only at run time is broadcast then (scf.if), and sizes
  /// neither of which is 1 must be equal (a located run-time error).
  static LogicalResult lowerBatched(MatmulOp op, Value lhs, Value rhs,
                                    ConversionPatternRewriter &rewriter) {
    Location loc = op.getLoc();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    int64_t lr = lhsType.getRank(), rr = rhsType.getRank();
    bool hasM = lr >= 2, hasN = rr >= 2;
    int64_t lb = std::max<int64_t>(lr - 2, 0),
            rb = std::max<int64_t>(rr - 2, 0);
    int64_t batch = std::max(lb, rb);
    // Iteration dimensions: batch..., m?, n?, k.
    MLIRContext *ctx = rewriter.getContext();
    int64_t m = batch, n = batch + (hasM ? 1 : 0), k = n + (hasN ? 1 : 0);
    int64_t loops = k + 1;
    SmallVector<OpFoldResult> lhsSizes = sizesOf(rewriter, loc, lhs),
                              rhsSizes = sizesOf(rewriter, loc, rhs);
    SmallVector<OpFoldResult> resultSizes;
    SmallVector<AffineExpr> lhsExprs, rhsExprs, outExprs;
    for (int64_t d = 0; d < batch; ++d) {
      // Dimension d of the result's batch: operand dimension d - (batch -
      // operand batch rank), if the operand has it.
      int64_t li = d - (batch - lb), ri = d - (batch - rb);
      bool lhsHas = li >= 0, rhsHas = ri >= 0;
      bool lhsOne = lhsHas && lhsType.getDimSize(li) == 1;
      bool rhsOne = rhsHas && rhsType.getDimSize(ri) == 1;
      AffineExpr dim = getAffineDimExpr(d, ctx);
      AffineExpr zero = getAffineConstantExpr(0, ctx);
      outExprs.push_back(dim);
      if (!lhsHas || !rhsHas || lhsOne || rhsOne) {
        // One operand has no size here, or a static 1, read at index 0
        // when the other's differs.
        resultSizes.push_back(!lhsHas || lhsOne
                                  ? (rhsHas ? rhsSizes[ri] : lhsSizes[li])
                                  : lhsSizes[li]);
        if (lhsHas)
          lhsExprs.push_back(lhsOne && rhsHas && !rhsOne ? zero : dim);
        if (rhsHas)
          rhsExprs.push_back(rhsOne && lhsHas && !lhsOne ? zero : dim);
        continue;
      }
      OpFoldResult size =
          broadcastSize(rewriter, loc, lhsSizes[li], rhsSizes[ri],
                        "the batch dimensions of '@' differ: {0} and {1}");
      // A static size not 1 is the result's (numpy's rule, checked above).
      if (!lhsType.isDynamicDim(li))
        size = lhsSizes[li];
      else if (!rhsType.isDynamicDim(ri))
        size = rhsSizes[ri];
      if (lhsType.isDynamicDim(li))
        lhs = broadcastAtRunTime(rewriter, loc, lhs, lhsSizes, li, size);
      if (rhsType.isDynamicDim(ri))
        rhs = broadcastAtRunTime(rewriter, loc, rhs, rhsSizes, ri, size);
      resultSizes.push_back(size);
      lhsExprs.push_back(dim);
      rhsExprs.push_back(dim);
    }
    if (hasM) {
      lhsExprs.push_back(getAffineDimExpr(m, ctx));
      outExprs.push_back(getAffineDimExpr(m, ctx));
      resultSizes.push_back(lhsSizes[lr - 2]);
    }
    lhsExprs.push_back(getAffineDimExpr(k, ctx));
    rhsExprs.push_back(getAffineDimExpr(k, ctx));
    if (hasN) {
      rhsExprs.push_back(getAffineDimExpr(n, ctx));
      outExprs.push_back(getAffineDimExpr(n, ctx));
      resultSizes.push_back(rhsSizes[rr - 1]);
    }
    // The contracted sizes agree (C28); numpy raises when they do not.
    OpFoldResult columns = lhsSizes[lr - 1];
    OpFoldResult rows = rhsSizes[hasN ? rr - 2 : 0];
    emitCheck(rewriter, loc, sizesEqual(rewriter, loc, columns, rows),
              kInnerSizesDiffer,
              {getValueOrCreateConstantIndexOp(rewriter, loc, columns),
               getValueOrCreateConstantIndexOp(rewriter, loc, rows)});
    SmallVector<int64_t> shape;
    SmallVector<Value> dynamic;
    for (OpFoldResult size : resultSizes) {
      std::optional<int64_t> known = getConstantIntValue(size);
      shape.push_back(known ? *known : ShapedType::kDynamic);
      if (!known)
        dynamic.push_back(cast<Value>(size));
    }
    Type element = lhsType.getElementType();
    auto type = RankedTensorType::get(shape, element);
    Value acc = linalg::FillOp::create(
                    rewriter, loc, floatConstant(rewriter, loc, element, 0.0),
                    emptyTensor(rewriter, loc, type, dynamic))
                    .getResult(0);
    SmallVector<utils::IteratorType> iterators(loops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    SmallVector<AffineMap> maps{AffineMap::get(loops, 0, lhsExprs, ctx),
                                AffineMap::get(loops, 0, rhsExprs, ctx),
                                AffineMap::get(loops, 0, outExprs, ctx)};
    auto product = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{lhs, rhs}, ValueRange{acc},
        maps, iterators, [](OpBuilder &b, Location at, ValueRange args) {
          Value mul = arith::MulFOp::create(b, at, args[0], args[1]);
          linalg::YieldOp::create(
              b, at, arith::AddFOp::create(b, at, args[2], mul).getResult());
        });
    replaceWithCheckedCast(rewriter, op, product.getResult(0));
    return success();
  }
};
} // namespace

void lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  patterns.add<ElementwiseLowering<AddOp, sum, kAdd>,
               ElementwiseLowering<SubOp, numeric<arith::SubFOp, arith::SubIOp>,
                                   kSub>,
               ElementwiseLowering<MulOp, numeric<arith::MulFOp, arith::MulIOp>,
                                   kMul>,
               ElementwiseLowering<FloorDivOp, floorDivide, kFloorDiv>,
               ElementwiseLowering<ModOp, modulo, kMod>,
               ElementwiseLowering<DivOp, binary<arith::DivFOp>, kDiv>,
               ElementwiseLowering<PowOp, binary<math::PowFOp>, kPow>,
               ElementwiseLowering<
                   MaximumOp, numeric<arith::MaximumFOp, arith::MaxSIOp>,
                   kMaximum>,
               ElementwiseLowering<
                   MinimumOp, numeric<arith::MinimumFOp, arith::MinSIOp>,
                   kMinimum>,
               ElementwiseLowering<NegOp, negate, kUnary>,
               ElementwiseLowering<ExpOp, unary<math::ExpOp>, kUnary>,
               ElementwiseLowering<LogOp, unary<math::LogOp>, kUnary>,
               ElementwiseLowering<SqrtOp, unary<math::SqrtOp>, kUnary>,
               ElementwiseLowering<AbsOp, numeric<math::AbsFOp, math::AbsIOp>,
                                   kUnary>,
               ElementwiseLowering<SelectOp, select, kWhere>, CompareLowering,
               ClipLowering, MatmulLowering>(patterns.getContext());
}
