//===- ApproximateMath.cpp - polynomial approximations of f32 math --------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTAPPROXIMATEMATH
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// Whether the op named `name` is approximated by upstream's polynomial
/// (when it has one): all but sin and cos, whose approximation reduces its
/// operand too coarsely (sin(-1e-8) gave +6.2e-8, sin(1e5) 0.0395 for
/// 0.0358): they become calls to libm's sinf and cosf, which reduce
/// exactly.
bool approximate(StringRef name) {
  return name != math::SinOp::getOperationName() &&
         name != math::CosOp::getOperationName();
}

/// The names of the math ops that are approximated here (the patterns are
/// built only to ask).
llvm::StringSet<> approximatedOps(MLIRContext *ctx) {
  llvm::StringSet<> names;
  RewritePatternSet unused(ctx);
  populateMathPolynomialApproximationPatterns(unused, [&](StringRef name) {
    if (approximate(name))
      names.insert(name);
    return false;
  });
  return names;
}

/// Makes `op` (about to be approximated) return NaN for a NaN operand.
///
/// The approximations assume finite operands: exp, for one, clamps its
/// operand with comparisons that let NaN through and then converts it to an
/// integer exponent with `arith.fptosi`, which is poison for NaN. LLVM then
/// folds the poison into whatever it likes: a NaN kernel gave uninitialized
/// rows, different on every run. IEEE functions return NaN for NaN, so a NaN
/// operand selects itself, and the approximation's (poison) value for it is
/// never used (`select` does not propagate the operand it does not choose).
void selectNaNThrough(Operation *op) {
  OpBuilder b(op->getContext());
  b.setInsertionPointAfter(op);
  Location loc = op->getLoc();
  Value anyNaN, nan;
  for (Value operand : op->getOperands()) {
    Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO,
                                        operand, operand);
    anyNaN = anyNaN ? arith::OrIOp::create(b, loc, anyNaN, isNaN) : isNaN;
    // A NaN operand plus anything is NaN: the NaN to return (atan2's
    // operands have the result's type).
    nan = nan ? arith::AddFOp::create(b, loc, nan, operand) : operand;
  }
  Value result = op->getResult(0);
  auto select = arith::SelectOp::create(b, loc, anyNaN, nan, result);
  result.replaceAllUsesExcept(select, select);
}

/// A constant of `type` (a float or a vector of floats) with every element
/// `value`.
Value splat(OpBuilder &b, Location loc, Type type, double value) {
  auto element = cast<FloatType>(getElementTypeOrSelf(type));
  TypedAttr attr = b.getFloatAttr(element, value);
  if (auto shaped = dyn_cast<ShapedType>(type))
    attr = DenseElementsAttr::get(shaped, attr);
  return arith::ConstantOp::create(b, loc, attr);
}

/// Makes `math.log` (about to be approximated) exact for subnormal f32
/// operands.
///
/// Upstream's approximation takes the exponent with frexp on the operand
/// clamped to the least normal number: every subnormal x gave log(2^-126) =
/// -87.34 (numpy: log(1e-45) = -103.28). A subnormal operand is scaled by
/// 2^24 into the normal range, and 24 log(2) taken off the result.
void rescaleSubnormal(Operation *op) {
  Value x = op->getOperand(0);
  if (!getElementTypeOrSelf(x.getType()).isF32())
    return;
  OpBuilder b(op);
  Location loc = op->getLoc();
  Type type = x.getType();
  Value tiny = arith::CmpFOp::create(
      b, loc, arith::CmpFPredicate::OLT, math::AbsFOp::create(b, loc, x),
      splat(b, loc, type, 0x1p-126));
  Value scaled =
      arith::MulFOp::create(b, loc, x, splat(b, loc, type, 0x1p24));
  op->setOperand(0, arith::SelectOp::create(b, loc, tiny, scaled, x));
  b.setInsertionPointAfter(op);
  double shift = 24.0 * M_LN2;
  Value result = op->getResult(0);
  Value fixed =
      arith::SubFOp::create(b, loc, result, splat(b, loc, type, shift));
  auto select = arith::SelectOp::create(b, loc, tiny, fixed, result);
  result.replaceUsesWithIf(select, [&](OpOperand &use) {
    return use.getOwner() != select && use.getOwner() != fixed.getDefiningOp();
  });
}

struct ApproximateMath
    : predict::impl::PredictApproximateMathBase<ApproximateMath> {
  void runOnOperation() override {
    llvm::StringSet<> approximated = approximatedOps(&getContext());
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (approximated.contains(op->getName().getStringRef()) &&
          op->getNumResults() == 1 &&
          llvm::all_of(op->getOperandTypes(), [&](Type type) {
            return type == op->getResult(0).getType() &&
                   isa<FloatType>(getElementTypeOrSelf(type));
          }))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (isa<math::LogOp>(op))
        rescaleSubnormal(op);
      selectNaNThrough(op);
    }
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, approximate);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
