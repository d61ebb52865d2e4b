//===- ElementwisePatterns.cpp - elementwise math and matmul to linalg ----===//

#include "LoweringUtils.h"
#include "Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
using ScalarFn = Value (*)(OpBuilder &, Location, ValueRange);

/// Any predict op computed elementwise, with broadcasting, by `Fn` on the
/// scalars of its operands.
template <typename OpTy, ScalarFn Fn>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getResult().getType());
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(), type,
                                            adaptor.getOperands(), Fn));
    return success();
  }
};

template <typename ArithOp>
Value binary(OpBuilder &b, Location loc, ValueRange args) {
  return ArithOp::create(b, loc, args[0], args[1]);
}

template <typename MathOp>
Value unary(OpBuilder &b, Location loc, ValueRange args) {
  return MathOp::create(b, loc, args[0]);
}

Value sum(OpBuilder &b, Location loc, ValueRange args) {
  Value total = args.front();
  for (Value v : args.drop_front())
    total = arith::AddFOp::create(b, loc, total, v);
  return total;
}

Value select(OpBuilder &b, Location loc, ValueRange args) {
  return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
}

struct CompareLowering : OpConversionPattern<CompareOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CompareOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // numpy's comparisons: false against NaN, except `!=`, which is true.
    arith::CmpFPredicate predicate;
    switch (op.getKind()) {
    case CompareKind::eq:
      predicate = arith::CmpFPredicate::OEQ;
      break;
    case CompareKind::ne:
      predicate = arith::CmpFPredicate::UNE;
      break;
    case CompareKind::lt:
      predicate = arith::CmpFPredicate::OLT;
      break;
    case CompareKind::le:
      predicate = arith::CmpFPredicate::OLE;
      break;
    case CompareKind::gt:
      predicate = arith::CmpFPredicate::OGT;
      break;
    case CompareKind::ge:
      predicate = arith::CmpFPredicate::OGE;
      break;
    }
    auto type = cast<RankedTensorType>(op.getResult().getType());
    rewriter.replaceOp(
        op, buildElementwise(rewriter, op.getLoc(), type, adaptor.getOperands(),
                             [&](OpBuilder &b, Location l, ValueRange args) {
                               return arith::CmpFOp::create(b, l, predicate,
                                                            args[0], args[1]);
                             }));
    return success();
  }
};

struct ClipLowering : OpConversionPattern<ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getResult().getType());
    std::optional<double> min, max;
    if (op.getMinAttr())
      min = op.getMinAttr().getValueAsDouble();
    if (op.getMaxAttr())
      max = op.getMaxAttr().getValueAsDouble();
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, op.getLoc(), type, adaptor.getInput(),
                [&](OpBuilder &b, Location l, ValueRange args) {
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
    auto type = cast<RankedTensorType>(op.getResult().getType());
    auto lhsType = cast<RankedTensorType>(adaptor.getLhs().getType());
    auto rhsType = cast<RankedTensorType>(adaptor.getRhs().getType());
    if (lhsType.getRank() != 2 || rhsType.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "only 2-D x 2-D is lowered");
    Location loc = op.getLoc();
    SmallVector<Value> sizes;
    if (type.isDynamicDim(0))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, adaptor.getLhs(), 0));
    if (type.isDynamicDim(1))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, adaptor.getRhs(), 1));
    Value acc = linalg::FillOp::create(
                    rewriter, loc,
                    floatConstant(rewriter, loc, type.getElementType(), 0.0),
                    emptyTensor(rewriter, loc, type, sizes))
                    .getResult(0);
    rewriter.replaceOp(op, linalg::MatmulOp::create(
                               rewriter, loc, TypeRange{type},
                               ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                               ValueRange{acc})
                               .getResult(0));
    return success();
  }
};
} // namespace

void lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  patterns.add<ElementwiseLowering<AddOp, sum>,
               ElementwiseLowering<SubOp, binary<arith::SubFOp>>,
               ElementwiseLowering<MulOp, binary<arith::MulFOp>>,
               ElementwiseLowering<DivOp, binary<arith::DivFOp>>,
               ElementwiseLowering<PowOp, binary<math::PowFOp>>,
               ElementwiseLowering<MaximumOp, binary<arith::MaximumFOp>>,
               ElementwiseLowering<MinimumOp, binary<arith::MinimumFOp>>,
               ElementwiseLowering<NegOp, unary<arith::NegFOp>>,
               ElementwiseLowering<ExpOp, unary<math::ExpOp>>,
               ElementwiseLowering<LogOp, unary<math::LogOp>>,
               ElementwiseLowering<SqrtOp, unary<math::SqrtOp>>,
               ElementwiseLowering<AbsOp, unary<math::AbsFOp>>,
               ElementwiseLowering<SelectOp, select>, CompareLowering,
               ClipLowering, MatmulLowering>(patterns.getContext());
}
