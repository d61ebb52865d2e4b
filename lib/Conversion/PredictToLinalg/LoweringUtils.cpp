//===- LoweringUtils.cpp - builders shared by the predict lowerings -------===//

#include "LoweringUtils.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

Value lowering::floatConstant(OpBuilder &b, Location loc, Type type,
                              double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value lowering::emptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                            ValueRange dynamicSizes) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType(), dynamicSizes);
}

std::string lowering::sizeWords(int64_t dim, int64_t rank) {
  if (rank == 1)
    return "elements";
  if (dim == rank - 1)
    return "columns";
  if (dim == rank - 2)
    return "rows";
  return "entries along axis " + std::to_string(dim);
}

void lowering::emitCheck(OpBuilder &b, Location loc, Value condition,
                         const Twine &message, ValueRange values) {
  if (matchPattern(condition, m_One()))
    return;
  AssertOp::create(b, loc, condition, b.getStringAttr(message), values);
}

OpFoldResult lowering::sizeOf(OpBuilder &b, Location loc, Value value,
                              int64_t dim) {
  while (true) {
    auto type = cast<RankedTensorType>(value.getType());
    if (!type.isDynamicDim(dim))
      return b.getIndexAttr(type.getDimSize(dim));
    Operation *def = value.getDefiningOp();
    if (auto empty = dyn_cast_or_null<tensor::EmptyOp>(def))
      return empty.getDynamicSize(dim);
    // A destination-passing op's result has its destination's shape.
    auto dps = dyn_cast_or_null<DestinationStyleOpInterface>(def);
    if (!dps)
      return tensor::DimOp::create(b, loc, value, dim).getResult();
    value = dps.getTiedOpOperand(cast<OpResult>(value))->get();
  }
}

SmallVector<OpFoldResult> lowering::sizesOf(OpBuilder &b, Location loc,
                                            Value value) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0, r = cast<RankedTensorType>(value.getType()).getRank();
       d < r; ++d)
    sizes.push_back(sizeOf(b, loc, value, d));
  return sizes;
}

/// `a || c` on i1, folded when either is constant.
static Value orFolded(OpBuilder &b, Location loc, Value a, Value c) {
  if (matchPattern(a, m_One()) || matchPattern(c, m_Zero()))
    return a;
  if (matchPattern(c, m_One()) || matchPattern(a, m_Zero()))
    return c;
  return arith::OrIOp::create(b, loc, a, c);
}

/// `a && c` on i1, folded when either is constant.
static Value andFolded(OpBuilder &b, Location loc, Value a, Value c) {
  if (matchPattern(a, m_Zero()) || matchPattern(c, m_One()))
    return a;
  if (matchPattern(c, m_Zero()) || matchPattern(a, m_One()))
    return c;
  return arith::AndIOp::create(b, loc, a, c);
}

/// `a` compared with `c` by `predicate`, folded when both are known or are
/// one value.
static Value compareSizes(OpBuilder &b, Location loc,
                          arith::CmpIPredicate predicate, OpFoldResult a,
                          OpFoldResult c) {
  std::optional<int64_t> x = getConstantIntValue(a), y = getConstantIntValue(c);
  bool same = x && y ? *x == *y : a == c;
  if ((x && y) || same) {
    bool result = predicate == arith::CmpIPredicate::eq ? same : !same;
    return arith::ConstantIntOp::create(b, loc, b.getI1Type(), result);
  }
  return arith::CmpIOp::create(b, loc, predicate,
                               getValueOrCreateConstantIndexOp(b, loc, a),
                               getValueOrCreateConstantIndexOp(b, loc, c));
}

Value lowering::sizesEqual(OpBuilder &b, Location loc, OpFoldResult a,
                           OpFoldResult c) {
  return compareSizes(b, loc, arith::CmpIPredicate::eq, a, c);
}

Value lowering::castChecked(OpBuilder &b, Location loc, Value value,
                            Type declared, StringRef what) {
  if (value.getType() == declared)
    return value;
  auto from = cast<RankedTensorType>(value.getType());
  auto to = cast<RankedTensorType>(declared);
  Value ok;
  for (int64_t d = 0, rank = to.getRank(); d < rank; ++d) {
    if (!from.isDynamicDim(d) || to.isDynamicDim(d))
      continue;
    Value size = getValueOrCreateConstantIndexOp(b, loc, sizeOf(b, loc, value, d));
    Value equal = sizesEqual(b, loc, size, b.getIndexAttr(to.getDimSize(d)));
    std::string type;
    llvm::raw_string_ostream(type) << declared;
    emitCheck(b, loc, equal,
              Twine(what) + " has {0} " + sizeWords(d, rank) +
                  ", but its declared type " + type + " has " +
                  Twine(to.getDimSize(d)),
              size);
    ok = ok ? andFolded(b, loc, ok, equal) : equal;
  }
  if (!ok || matchPattern(ok, m_One()))
    return tensor::CastOp::create(b, loc, declared, value);
  // The static type exists only where the check passed. A cast in the same
  // block as its producer would be folded into it by canonicalization,
  // ahead of the check: the producer would then read by the declared sizes
  // before anything is checked.
  return scf::IfOp::create(
             b, loc, ok,
             [&](OpBuilder &tb, Location tl) {
               Value narrowed = tensor::CastOp::create(tb, tl, declared, value);
               scf::YieldOp::create(tb, tl, narrowed);
             },
             [&](OpBuilder &eb, Location el) {
               // Never reached: the check stops the call.
               SmallVector<Value> sizes;
               for (int64_t d = 0, rank = to.getRank(); d < rank; ++d)
                 if (to.isDynamicDim(d))
                   sizes.push_back(tensor::DimOp::create(eb, el, value, d));
               scf::YieldOp::create(eb, el, emptyTensor(eb, el, to, sizes));
             })
      .getResult(0);
}

void lowering::replaceWithCheckedCast(RewriterBase &rewriter, Operation *op,
                                      Value value) {
  std::string what = ("the result of " + op->getName().getStringRef()).str();
  rewriter.replaceOp(op, castChecked(rewriter, op->getLoc(), value,
                                     op->getResult(0).getType(), what));
}

RankedTensorType lowering::inferredType(Operation *op) {
  SmallVector<Type> inferred;
  if (auto iface = dyn_cast<ShapeInferenceOpInterface>(op))
    if (succeeded(iface.inferResultTypes(inferred)))
      if (auto ranked = dyn_cast<RankedTensorType>(inferred.front()))
        return ranked;
  // The pass refuses unranked operands: every rule gives a ranked type here.
  return cast<RankedTensorType>(op->getResult(0).getType());
}

Value lowering::emptyLike(OpBuilder &b, Location loc, Value like) {
  return tensor::EmptyOp::create(
      b, loc, sizesOf(b, loc, like),
      cast<RankedTensorType>(like.getType()).getElementType());
}

/// `value` (sizes `sizes`) with its size-1 dimension `dim` repeated to
/// `size`: numpy's broadcast of one operand, materialized.
static Value broadcastAlong(OpBuilder &b, Location loc, Value value,
                            ArrayRef<OpFoldResult> sizes, int64_t dim,
                            OpFoldResult size) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < rank; ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(
          getValueOrCreateConstantIndexOp(b, loc, d == dim ? size : sizes[d]));
  MLIRContext *ctx = b.getContext();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap read = identity.replace(getAffineDimExpr(dim, ctx),
                                    getAffineConstantExpr(0, ctx), rank, 0);
  return linalg::GenericOp::create(
             b, loc, type, value, emptyTensor(b, loc, type, dynamicSizes),
             SmallVector<AffineMap>{read, identity},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, args[0]);
             })
      .getResult(0);
}

OpFoldResult lowering::broadcastSize(OpBuilder &b, Location loc,
                                     OpFoldResult size, OpFoldResult next,
                                     const Twine &message) {
  OpFoldResult one = b.getIndexAttr(1);
  Value sizeIsOne = sizesEqual(b, loc, size, one);
  Value ok =
      orFolded(b, loc, sizesEqual(b, loc, size, next),
               orFolded(b, loc, sizeIsOne, sizesEqual(b, loc, next, one)));
  emitCheck(b, loc, ok, message + " (numpy broadcasts only a size of 1)",
            {getValueOrCreateConstantIndexOp(b, loc, size),
             getValueOrCreateConstantIndexOp(b, loc, next)});
  // numpy: the size that is not 1.
  if (matchPattern(sizeIsOne, m_One()))
    return next;
  if (matchPattern(sizeIsOne, m_Zero()) || size == next)
    return size;
  return arith::SelectOp::create(b, loc, sizeIsOne,
                                 getValueOrCreateConstantIndexOp(b, loc, next),
                                 getValueOrCreateConstantIndexOp(b, loc, size))
      .getResult();
}

Value lowering::broadcastAtRunTime(OpBuilder &b, Location loc, Value value,
                                   SmallVectorImpl<OpFoldResult> &sizes,
                                   int64_t dim, OpFoldResult size) {
  Value differs =
      compareSizes(b, loc, arith::CmpIPredicate::ne, sizes[dim], size);
  if (matchPattern(differs, m_Zero()))
    return value;
  Value broadcast =
      scf::IfOp::create(
          b, loc, differs,
          [&](OpBuilder &tb, Location tl) {
            scf::YieldOp::create(
                tb, tl, broadcastAlong(tb, tl, value, sizes, dim, size));
          },
          [&](OpBuilder &eb, Location el) {
            scf::YieldOp::create(eb, el, value);
          })
          .getResult(0);
  sizes[dim] = size;
  return broadcast;
}

Value lowering::buildElementwise(
    OpBuilder &b, Location loc, Type element, ValueRange operands,
    StringRef what,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  // The static shape numpy gives (the verifier made sure it exists).
  SmallVector<int64_t> shape;
  for (Value operand : operands)
    shape = broadcastShapes(shape,
                            cast<RankedTensorType>(operand.getType()).getShape())
                .value_or(shape);
  int64_t rank = shape.size();
  // Each operand's sizes are read once, so that equal sizes are one value
  // and their checks fold.
  SmallVector<SmallVector<OpFoldResult>> sizes;
  for (auto [i, operand] : llvm::enumerate(operands)) {
    auto seen = llvm::find(operands.take_front(i), operand);
    sizes.push_back(seen != operands.begin() + i
                        ? sizes[seen - operands.begin()]
                        : sizesOf(b, loc, operand));
  }
  // The result's sizes; where one is known only at run time, numpy's rule
  // is checked on each operand in turn against those before it.
  SmallVector<OpFoldResult> resultSizes;
  for (int64_t d = 0; d < rank; ++d) {
    OpFoldResult size;
    for (auto [i, operand] : llvm::enumerate(operands)) {
      int64_t j = d - (rank - static_cast<int64_t>(sizes[i].size()));
      if (j < 0)
        continue;
      OpFoldResult next = sizes[i][j];
      if (!size) {
        size = next;
        continue;
      }
      size = broadcastSize(b, loc, size, next,
                           Twine(what) + " have {0} and {1} " +
                               sizeWords(d, rank));
    }
    resultSizes.push_back(ShapedType::isDynamic(shape[d])
                              ? size
                              : OpFoldResult(b.getIndexAttr(shape[d])));
  }

  // Each operand is read through its indexing map: a static size 1 against
  // a larger result by index 0; a size known only at run time directly, once
  // an operand of size 1 there has been broadcast (only then: scf.if).
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (auto [i, operand] : llvm::enumerate(operands)) {
    auto type = cast<RankedTensorType>(operand.getType());
    Value input = operand;
    SmallVector<OpFoldResult> inputSizes(sizes[i]);
    SmallVector<AffineExpr> exprs;
    for (int64_t j = 0, r = type.getRank(); j < r; ++j) {
      int64_t d = rank - r + j;
      if (!type.isDynamicDim(j)) {
        bool broadcast = type.getDimSize(j) == 1 && shape[d] != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                  : getAffineDimExpr(d, ctx));
        continue;
      }
      exprs.push_back(getAffineDimExpr(d, ctx));
      // Checked above: the size is 1 or the result's.
      input = broadcastAtRunTime(b, loc, input, inputSizes, j, resultSizes[d]);
    }
    inputs.push_back(input);
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  auto resultType = RankedTensorType::get(shape, element);
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < rank; ++d)
    if (ShapedType::isDynamic(shape[d]))
      dynamicSizes.push_back(
          getValueOrCreateConstantIndexOp(b, loc, resultSizes[d]));
  Value init = emptyTensor(b, loc, resultType, dynamicSizes);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args.drop_back()));
      });
  return generic.getResult(0);
}

Value lowering::buildActivation(OpBuilder &b, Location loc, ActivationKind kind,
                                Value x, std::optional<double> alpha,
                                bool approximate) {
  Type type = x.getType();
  auto c = [&](double value) { return floatConstant(b, loc, type, value); };
  auto sigmoid = [&](Value v) {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, v));
    return arith::DivFOp::create(b, loc, c(1.0),
                                 arith::AddFOp::create(b, loc, c(1.0), e));
  };
  auto positive = [&](Value v) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, v, c(0.0));
  };
  auto elu = [&](double a) -> Value {
    Value negative = arith::MulFOp::create(b, loc, c(a),
                                           math::ExpM1Op::create(b, loc, x));
    return arith::SelectOp::create(b, loc, positive(x), x, negative);
  };
  auto clip = [&](Value v, double low, double high) -> Value {
    return arith::MinimumFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, v, c(low)), c(high));
  };
  auto softplus = [&](Value v) -> Value {
    // log(1 + exp(v)) = max(v, 0) + log1p(exp(-|v|)), which never overflows.
    Value negAbs =
        arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, v));
    Value tail =
        math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
    return arith::AddFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, v, c(0.0)), tail);
  };
  auto hardSigmoid = [&](Value v) -> Value {
    double slope = alpha.value_or(*defaultAlpha(ActivationKind::hard_sigmoid));
    return clip(arith::AddFOp::create(
                    b, loc, arith::MulFOp::create(b, loc, c(slope), v), c(0.5)),
                0.0, 1.0);
  };
  auto cmp = [&](arith::CmpFPredicate p, Value l, double r) -> Value {
    return arith::CmpFOp::create(b, loc, p, l, c(r));
  };
  auto param = [&] { return alpha.value_or(*defaultAlpha(kind)); };
  switch (kind) {
  case ActivationKind::linear:
    return x;
  case ActivationKind::relu:
    return arith::MaximumFOp::create(b, loc, x, c(0.0));
  case ActivationKind::sigmoid:
    return sigmoid(x);
  case ActivationKind::tanh:
    return math::TanhOp::create(b, loc, x);
  case ActivationKind::gelu: {
    Value inner;
    if (approximate) {
      // tanh(sqrt(2/pi) (x + 0.044715 x^3))
      Value cube = arith::MulFOp::create(
          b, loc, x, arith::MulFOp::create(b, loc, x, x));
      Value sum = arith::AddFOp::create(
          b, loc, x, arith::MulFOp::create(b, loc, c(0.044715), cube));
      inner = math::TanhOp::create(
          b, loc,
          arith::MulFOp::create(b, loc, c(std::sqrt(2.0 / M_PI)), sum));
    } else {
      inner = math::ErfOp::create(
          b, loc, arith::MulFOp::create(b, loc, x, c(M_SQRT1_2)));
    }
    Value half = arith::MulFOp::create(b, loc, c(0.5), x);
    return arith::MulFOp::create(b, loc, half,
                                 arith::AddFOp::create(b, loc, c(1.0), inner));
  }
  case ActivationKind::elu:
    return elu(param());
  case ActivationKind::selu:
    return arith::MulFOp::create(b, loc, c(1.0507009873554804934193349852946),
                                 elu(1.6732632423543772848170429916717));
  case ActivationKind::leaky_relu: {
    Value negative = arith::MulFOp::create(b, loc, c(param()), x);
    return arith::SelectOp::create(b, loc, positive(x), x, negative);
  }
  case ActivationKind::swish:
    return arith::MulFOp::create(b, loc, x, sigmoid(x));
  case ActivationKind::softplus:
    return softplus(x);
  case ActivationKind::relu6:
    return clip(x, 0.0, 6.0);
  case ActivationKind::hard_sigmoid:
    return hardSigmoid(x);
  case ActivationKind::hard_swish:
    return arith::MulFOp::create(b, loc, x, hardSigmoid(x));
  case ActivationKind::mish:
    return arith::MulFOp::create(b, loc, x,
                                 math::TanhOp::create(b, loc, softplus(x)));
  case ActivationKind::exponential:
    return math::ExpOp::create(b, loc, x);
  case ActivationKind::softsign:
    return arith::DivFOp::create(
        b, loc, x,
        arith::AddFOp::create(b, loc, math::AbsFOp::create(b, loc, x), c(1.0)));
  case ActivationKind::log_sigmoid:
    return arith::NegFOp::create(
        b, loc, softplus(arith::NegFOp::create(b, loc, x)));
  case ActivationKind::celu: {
    double a = param();
    Value negative = arith::MulFOp::create(
        b, loc, c(a),
        math::ExpM1Op::create(b, loc, arith::DivFOp::create(b, loc, x, c(a))));
    return arith::SelectOp::create(b, loc, positive(x), x, negative);
  }
  case ActivationKind::hard_tanh:
    return clip(x, -1.0, 1.0);
  case ActivationKind::tanh_shrink:
    return arith::SubFOp::create(b, loc, x, math::TanhOp::create(b, loc, x));
  case ActivationKind::hard_shrink: {
    // Keras's where(abs(x) > t, x, 0): NaN, not greater, gives 0.
    Value kept = cmp(arith::CmpFPredicate::OGT, math::AbsFOp::create(b, loc, x),
                     param());
    return arith::SelectOp::create(b, loc, kept, x, c(0.0));
  }
  case ActivationKind::soft_shrink: {
    double t = param();
    Value above = cmp(arith::CmpFPredicate::OGT, x, t);
    Value below = cmp(arith::CmpFPredicate::OLT, x, -t);
    Value shifted = arith::SelectOp::create(
        b, loc, above, arith::SubFOp::create(b, loc, x, c(t)),
        arith::AddFOp::create(b, loc, x, c(t)));
    return arith::SelectOp::create(
        b, loc, arith::OrIOp::create(b, loc, above, below), shifted, c(0.0));
  }
  case ActivationKind::squareplus: {
    Value root = math::SqrtOp::create(
        b, loc,
        arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x),
                              c(param())));
    return arith::MulFOp::create(b, loc, c(0.5),
                                 arith::AddFOp::create(b, loc, x, root));
  }
  case ActivationKind::sparse_plus: {
    Value xp1 = arith::AddFOp::create(b, loc, x, c(1.0));
    Value quadratic = arith::MulFOp::create(
        b, loc, c(0.25), arith::MulFOp::create(b, loc, xp1, xp1));
    Value upper = arith::SelectOp::create(
        b, loc, cmp(arith::CmpFPredicate::OGE, x, 1.0), x, quadratic);
    return arith::SelectOp::create(
        b, loc, cmp(arith::CmpFPredicate::OLE, x, -1.0), c(0.0), upper);
  }
  case ActivationKind::softmax:
  case ActivationKind::log_softmax:
    break;
  }
  llvm_unreachable("softmax and log_softmax are along an axis: use "
                   "buildSoftmax");
}

Value lowering::accumulateSum(OpBuilder &b, Location loc, Value x, Value acc) {
  if (x.getType() != acc.getType())
    x = arith::ExtFOp::create(b, loc, acc.getType(), x);
  return arith::AddFOp::create(b, loc, x, acc, arith::FastMathFlags::reassoc);
}

/// Reduces `input` along `axis` with `combine`, starting from `identity`,
/// in `accumulator` (the element type when null).
static Value buildReductionImpl(
    OpBuilder &b, Location loc, Value input, int64_t axis, double identity,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine,
    Type accumulator = {}) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (d == axis)
      continue;
    shape.push_back(type.getDimSize(d));
    if (type.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(b, loc, input, d));
  }
  if (!accumulator)
    accumulator = type.getElementType();
  auto reducedType = RankedTensorType::get(shape, accumulator);
  Value init = linalg::FillOp::create(
                   b, loc, floatConstant(b, loc, accumulator, identity),
                   emptyTensor(b, loc, reducedType, sizes))
                   .getResult(0);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank),
                              b.getMultiDimIdentityMap(rank).dropResult(axis)};
  return linalg::GenericOp::create(
             b, loc, reducedType, input, init, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       combine(nb, nl, args[0], args[1]));
             })
      .getResult(0);
}

/// `input` combined elementwise with `reduced` (`input` without `axis`)
/// broadcast back along `axis`.
static Value buildWithReduced(
    OpBuilder &b, Location loc, Value input, Value reduced, int64_t axis,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineMap> maps{identity, identity.dropResult(axis), identity};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{input, reduced},
             emptyLike(b, loc, input), maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       combine(nb, nl, args[0], args[1]));
             })
      .getResult(0);
}

Value lowering::buildSoftmax(OpBuilder &b, Location loc, Value input,
                             int64_t axis, bool log) {
  // The denominators accumulate wider (accumulateSum) and are rounded to
  // the element type once, as TensorFlow divides by (or takes the log of)
  // a float32 sum.
  Type element = cast<RankedTensorType>(input.getType()).getElementType();
  Type accumulator = sumAccumulator(b, element);
  auto rounded = [element](OpBuilder &nb, Location nl, Value s) -> Value {
    return s.getType() == element
               ? s
               : arith::TruncFOp::create(nb, nl, element, s).getResult();
  };
  Value max = buildReductionImpl(
      b, loc, input, axis, -INFINITY,
      [](OpBuilder &nb, Location nl, Value x, Value acc) -> Value {
        return arith::MaximumFOp::create(nb, nl, x, acc);
      });
  if (log) {
    Value shifted = buildWithReduced(
        b, loc, input, max, axis,
        [](OpBuilder &nb, Location nl, Value x, Value m) -> Value {
          return arith::SubFOp::create(nb, nl, x, m);
        });
    Value sum = buildReductionImpl(
        b, loc, shifted, axis, 0.0,
        [](OpBuilder &nb, Location nl, Value x, Value acc) -> Value {
          return accumulateSum(nb, nl, math::ExpOp::create(nb, nl, x), acc);
        },
        accumulator);
    return buildWithReduced(
        b, loc, shifted, sum, axis,
        [&](OpBuilder &nb, Location nl, Value x, Value s) -> Value {
          return arith::SubFOp::create(
              nb, nl, x, math::LogOp::create(nb, nl, rounded(nb, nl, s)));
        });
  }
  Value exps = buildWithReduced(
      b, loc, input, max, axis,
      [](OpBuilder &nb, Location nl, Value x, Value m) -> Value {
        return math::ExpOp::create(nb, nl, arith::SubFOp::create(nb, nl, x, m));
      });
  Value sum = buildReductionImpl(
      b, loc, exps, axis, 0.0,
      [](OpBuilder &nb, Location nl, Value x, Value acc) -> Value {
        return accumulateSum(nb, nl, x, acc);
      },
      accumulator);
  return buildWithReduced(
      b, loc, exps, sum, axis,
      [&](OpBuilder &nb, Location nl, Value e, Value s) -> Value {
        return arith::DivFOp::create(nb, nl, e, rounded(nb, nl, s));
      });
}

Value lowering::normalizeElement(OpBuilder &b, Location loc, Value x,
                                 Value mean, Value variance, double epsilon,
                                 Value gamma, Value beta) {
  Value centered = arith::SubFOp::create(b, loc, x, mean);
  Value denom = math::SqrtOp::create(
      b, loc,
      arith::AddFOp::create(b, loc, variance,
                            floatConstant(b, loc, x.getType(), epsilon)));
  Value v = arith::DivFOp::create(b, loc, centered, denom);
  if (gamma)
    v = arith::MulFOp::create(b, loc, v, gamma);
  if (beta)
    v = arith::AddFOp::create(b, loc, v, beta);
  return v;
}
