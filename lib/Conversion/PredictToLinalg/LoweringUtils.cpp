//===- LoweringUtils.cpp - builders shared by the predict lowerings -------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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

void lowering::replaceWithCast(RewriterBase &rewriter, Operation *op,
                               Value value) {
  Type declared = op->getResult(0).getType();
  if (value.getType() != declared)
    value = tensor::CastOp::create(rewriter, op->getLoc(), declared, value);
  rewriter.replaceOp(op, value);
}

Value lowering::emptyLike(OpBuilder &b, Location loc, Value like) {
  return tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, like),
      cast<RankedTensorType>(like.getType()).getElementType());
}

SmallVector<Value>
lowering::broadcastDynamicSizes(OpBuilder &b, Location loc,
                                RankedTensorType resultType,
                                ValueRange operands) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (!resultType.isDynamicDim(d))
      continue;
    // A dynamic result size comes from an operand whose size there is not a
    // static 1 (numpy: sizes that are not 1 agree). When every operand has 1
    // there (a result declared less precisely than inference would), it is 1.
    Value size;
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t i = d - (rank - type.getRank());
      if (i < 0 || type.getDimSize(i) == 1)
        continue;
      size = tensor::DimOp::create(b, loc, operand, i);
      break;
    }
    sizes.push_back(size ? size : arith::ConstantIndexOp::create(b, loc, 1));
  }
  return sizes;
}

Value lowering::buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    ValueRange operands,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  for (Value operand : operands) {
    auto type = cast<RankedTensorType>(operand.getType());
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0, r = type.getRank(); i < r; ++i) {
      int64_t d = rank - r + i;
      // A size-1 dimension against a larger one is broadcast: index 0.
      bool broadcast = type.getDimSize(i) == 1 && resultType.getDimSize(d) != 1;
      exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(d, ctx));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = emptyTensor(
      b, loc, resultType, broadcastDynamicSizes(b, loc, resultType, operands));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, operands, init, maps, iterators,
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
    return elu(alpha.value_or(1.0));
  case ActivationKind::selu:
    return arith::MulFOp::create(b, loc, c(1.0507009873554804934193349852946),
                                 elu(1.6732632423543772848170429916717));
  case ActivationKind::leaky_relu: {
    Value negative = arith::MulFOp::create(b, loc, c(alpha.value_or(0.2)), x);
    return arith::SelectOp::create(b, loc, positive(x), x, negative);
  }
  case ActivationKind::swish:
    return arith::MulFOp::create(b, loc, x, sigmoid(x));
  case ActivationKind::softplus: {
    // log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)), which never overflows.
    Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
    Value tail = math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
    return arith::AddFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, x, c(0.0)), tail);
  }
  case ActivationKind::softmax:
    break;
  }
  llvm_unreachable("softmax is not elementwise: use buildSoftmax");
}

/// Reduces `input` along `axis` with `combine`, starting from `identity`.
static Value buildReductionImpl(
    OpBuilder &b, Location loc, Value input, int64_t axis, double identity,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
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
  auto reducedType = RankedTensorType::get(shape, type.getElementType());
  Value init = linalg::FillOp::create(
                   b, loc,
                   floatConstant(b, loc, type.getElementType(), identity),
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
                             int64_t axis) {
  Value max = buildReductionImpl(
      b, loc, input, axis, -INFINITY,
      [](OpBuilder &nb, Location nl, Value x, Value acc) -> Value {
        return arith::MaximumFOp::create(nb, nl, x, acc);
      });
  Value exps = buildWithReduced(
      b, loc, input, max, axis,
      [](OpBuilder &nb, Location nl, Value x, Value m) -> Value {
        return math::ExpOp::create(nb, nl, arith::SubFOp::create(nb, nl, x, m));
      });
  Value sum = buildReductionImpl(
      b, loc, exps, axis, 0.0,
      [](OpBuilder &nb, Location nl, Value x, Value acc) -> Value {
        return arith::AddFOp::create(nb, nl, x, acc);
      });
  return buildWithReduced(
      b, loc, exps, sum, axis,
      [](OpBuilder &nb, Location nl, Value e, Value s) -> Value {
        return arith::DivFOp::create(nb, nl, e, s);
      });
}
