//===- PythonMath.cpp - tf.* math functions composed of predict's ops -----===//
//
// tf.identity, tf.stop_gradient, tf.math.is_nan/is_inf/is_finite, sign,
// reciprocal, squared_difference, divide_no_nan, add_n, tf.norm, tf.sort and
// tf.argsort: each written with the ops predict already has, as TensorFlow's
// own Python composes most of them (math_ops.py, linalg_ops.py,
// sort_ops.py), typed by the ops' shape rules as they are made
// (docs/PythonSource.md, tf.* functions).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
/// The ops of one call, made at its location.
struct Composer {
  ProgramBuilder &b;
  Location at;

  OpBuilder &builder() { return b.builder; }
  Type i1() { return b.builder.getI1Type(); }
  /// A rank-0 constant of `element` (a float or an integer type).
  Value scalar(Type element, double v) {
    auto type = RankedTensorType::get({}, element);
    if (isa<FloatType>(element))
      return ConstantOp::create(
          builder(), at,
          DenseElementsAttr::get(type, builder().getFloatAttr(element, v)));
    return ConstantOp::create(
        builder(), at,
        DenseElementsAttr::get(
            type, builder().getIntegerAttr(element, static_cast<int64_t>(v))));
  }
  FailureOr<Value> compare(CompareKind kind, Value l, Value r) {
    return b.typed(CompareOp::create(
        builder(), at, UnrankedTensorType::get(i1()),
        CompareKindAttr::get(builder().getContext(), kind), l, r));
  }
  FailureOr<Value> select(Value c, Value t, Value f) {
    return b.typed(SelectOp::create(
        builder(), at, UnrankedTensorType::get(getElementTypeOrSelf(t)), c, t,
        f));
  }
  template <typename OpTy> FailureOr<Value> binary(Value l, Value r) {
    return b.typed(OpTy::create(
        builder(), at, UnrankedTensorType::get(getElementTypeOrSelf(l)), l, r));
  }
  FailureOr<Value> abs(Value x) {
    return b.typed(AbsOp::create(builder(), at, x.getType(), x));
  }
  FailureOr<Value> reduce(ReduceKind kind, Value x, ArrayRef<int64_t> axes,
                          bool keepdims) {
    return b.typed(ReduceOp::create(
        builder(), at, cast<RankedTensorType>(x.getType()), kind, x,
        builder().getDenseI64ArrayAttr(axes), keepdims));
  }
  /// `x` with `axis` moved last (transposed unless it is last), and the
  /// permutation that moves it back (empty when it was not moved).
  FailureOr<std::pair<Value, SmallVector<int64_t>>> axisLast(Value x,
                                                             int64_t axis) {
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    if (axis == rank - 1)
      return std::pair(x, SmallVector<int64_t>());
    SmallVector<int64_t> perm, back(rank);
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        perm.push_back(d);
    perm.push_back(axis);
    for (int64_t d = 0; d < rank; ++d)
      back[perm[d]] = d;
    FailureOr<Value> t = transpose(x, perm);
    if (failed(t))
      return failure();
    return std::pair(*t, back);
  }
  FailureOr<Value> transpose(Value x, ArrayRef<int64_t> perm) {
    return b.typed(TransposeOp::create(builder(), at,
                                       cast<RankedTensorType>(x.getType()), x,
                                       builder().getDenseI64ArrayAttr(perm)));
  }
};

FailureOr<PyValue> tensorValue(FailureOr<Value> v) {
  if (failed(v))
    return failure();
  return PyValue::tensor(*v);
}

/// `param` as a tensor of numbers (float32, int32, int64), not bools.
FailureOr<Value> numbers(const BoundCall &call, llvm::StringRef param) {
  FailureOr<Value> x = call.tensor(param);
  if (failed(x))
    return failure();
  if (getElementTypeOrSelf(*x).isInteger(1))
    return call.error(param, "must be a tensor of numbers, not " +
                                 typeText(x->getType()) +
                                 " (TensorFlow's kernel has no bool version): "
                                 "tf.cast it first");
  return x;
}

/// A string argument written as a literal (`direction='DESCENDING'`),
/// std::nullopt when it is not one.
std::optional<std::string> stringArgument(const BoundCall &call,
                                          llvm::StringRef param) {
  const json::Object *n = call[param];
  if (!n || kindOf(*n) != "Constant")
    return std::nullopt;
  if (const json::Value *v = n->get("value"))
    if (std::optional<llvm::StringRef> s = v->getAsString())
      return s->str();
  return std::nullopt;
}

/// tf.math.is_nan, is_inf, is_finite (x != x, |x| == inf, |x| < inf).
FailureOr<PyValue> floatClass(Composer &c, const BoundCall &call,
                              llvm::StringRef name) {
  FailureOr<Value> x = floatTensor(call, "x");
  if (failed(x))
    return failure();
  if (name == "is_nan")
    return tensorValue(c.compare(CompareKind::ne, *x, *x));
  FailureOr<Value> magnitude = c.abs(*x);
  if (failed(magnitude))
    return failure();
  Value inf = c.scalar(getElementTypeOrSelf(*x),
                       std::numeric_limits<double>::infinity());
  return tensorValue(c.compare(
      name == "is_inf" ? CompareKind::eq : CompareKind::lt, *magnitude, inf));
}

/// tf.math.sign: 1, -1 or 0 of x's type; NaN stays NaN (as numpy's
/// np.sign).
FailureOr<PyValue> sign(Composer &c, const BoundCall &call) {
  FailureOr<Value> x = numbers(call, "x");
  if (failed(x))
    return failure();
  Type element = getElementTypeOrSelf(*x);
  Value zero = c.scalar(element, 0);
  FailureOr<Value> positive = c.compare(CompareKind::gt, *x, zero);
  FailureOr<Value> negative =
      failed(positive) ? positive : c.compare(CompareKind::lt, *x, zero);
  if (failed(negative))
    return failure();
  // Neither: 0, or (a NaN) x itself.
  Value rest = zero;
  if (isa<FloatType>(element)) {
    FailureOr<Value> number = c.compare(CompareKind::eq, *x, *x);
    FailureOr<Value> kept =
        failed(number) ? number : c.select(*number, zero, *x);
    if (failed(kept))
      return failure();
    rest = *kept;
  }
  FailureOr<Value> low = c.select(*negative, c.scalar(element, -1), rest);
  if (failed(low))
    return failure();
  return tensorValue(c.select(*positive, c.scalar(element, 1), *low));
}

/// x and y of a binary function, converted as TensorFlow converts them
/// (numbersLike: a number takes the tensor's dtype).
FailureOr<std::pair<Value, Value>>
operands(ProgramBuilder &b, const BoundCall &call, bool floatsOnly) {
  FailureOr<Value> x = numbers(call, "x");
  FailureOr<Value> y = failed(x) ? x : numbers(call, "y");
  if (failed(y))
    return failure();
  Value l = *x, r = *y;
  if (failed(b.numbersLike(call.call, l, r, call["x"], call["y"])))
    return failure();
  if (floatsOnly)
    for (auto [param, v] : {std::pair("x", l), std::pair("y", r)})
      if (!isa<FloatType>(getElementTypeOrSelf(v)))
        return call.error(param, "must be a tensor of floats here, not " +
                                     typeText(v.getType()) +
                                     " (tf.cast it to float32 first)");
  return std::pair(l, r);
}

/// tf.add_n(inputs): the sum of a list or tuple of tensors of one shape and
/// dtype (TensorFlow's AddN does not broadcast: shapes that differ where
/// known are its error).
FailureOr<PyValue> addN(ProgramBuilder &b, Composer &c, const BoundCall &call) {
  FailureOr<PyValue> inputs = b.expr(call.at("inputs"));
  if (failed(inputs))
    return failure();
  if (!inputs->isKnownList() || inputs->list->elements.empty())
    return call.error("inputs", "must be a non-empty list or tuple of "
                                "tensors written or built outside loops");
  SmallVector<Value> terms(inputs->list->elements);
  Type first = terms.front().getType();
  for (Value t : terms) {
    auto a = dyn_cast<RankedTensorType>(first);
    auto o = dyn_cast<RankedTensorType>(t.getType());
    bool same = a && o && a.getElementType() == o.getElementType() &&
                a.getRank() == o.getRank();
    for (int64_t d = 0; same && d < a.getRank(); ++d)
      same = a.isDynamicDim(d) || o.isDynamicDim(d) ||
             a.getDimSize(d) == o.getDimSize(d);
    if (!same)
      return call.error("inputs", "holds " + typeText(first) + " and " +
                                      typeText(t.getType()) +
                                      ": tf.add_n adds tensors of one shape "
                                      "and dtype (TensorFlow raises; write + "
                                      "to broadcast)");
  }
  if (getElementTypeOrSelf(first).isInteger(1))
    return call.error("inputs", "holds bools, which TensorFlow does not add");
  if (terms.size() == 1)
    return PyValue::tensor(terms.front());
  return tensorValue(b.typed(AddOp::create(
      c.builder(), c.at, UnrankedTensorType::get(getElementTypeOrSelf(first)),
      terms)));
}

/// tf.norm(tensor, ord='euclidean', axis=None, keepdims=None) and
/// tf.linalg.norm: vector norms over `axis` (None: every element, as one
/// vector): 'euclidean' and 2 the root of the sum of squares, 1 the sum of
/// magnitudes, np.inf the largest magnitude, another p >= 1 (sum |x|**p)
/// ** (1/p); over two axes ('fro', or 'euclidean') the Frobenius norm,
/// the same sum of squares. The matrix norms 1, 2 and inf over two axes
/// are not converted (an error).
FailureOr<PyValue> norm(Composer &c, const BoundCall &call) {
  FailureOr<Value> x = floatTensor(call, "tensor");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("tensor", *x);
  if (failed(type))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> axes =
      call.axes("axis", *type);
  if (failed(axes))
    return failure();
  bool keepdims = false;
  if (call.has("keepdims")) {
    FailureOr<bool> k = call.boolean("keepdims");
    if (failed(k))
      return failure();
    keepdims = *k;
  }
  if (*axes && ((*axes)->empty() || (*axes)->size() > 2))
    return call.error("axis", "must be one axis or a pair of them");
  bool matrix = *axes && (*axes)->size() == 2;
  SmallVector<int64_t> over =
      *axes ? **axes : llvm::to_vector(llvm::seq<int64_t>(0, type->getRank()));
  // ord: 'euclidean' (the default), 'fro', or a number.
  double p = 2;
  if (call.has("ord")) {
    if (std::optional<std::string> word = stringArgument(call, "ord")) {
      if (*word == "fro" && *axes && !matrix)
        return call.error("ord", "is 'fro' with one axis: the Frobenius norm "
                                 "is of a matrix (TensorFlow raises)");
      if (*word != "euclidean" && *word != "fro")
        return call.error("ord", "must be 'euclidean', 'fro', or a number");
    } else {
      // A number known at import: a literal, np.inf, float("inf").
      FailureOr<PyValue> v = c.b.expr(call.at("ord"));
      if (failed(v))
        return failure();
      std::optional<double> number = ProgramBuilder::pythonFloat(*v);
      if (v->isIndex())
        if (std::optional<int64_t> k = knownIndexValue(v->value))
          number = *k;
      if (!number)
        return call.error("ord", "must be 'euclidean', 'fro', or a number "
                                 "known at import (np.inf too), not '" +
                                     c.b.source(call.at("ord")) + "'");
      p = *number;
      if (matrix)
        return call.error("ord", "is a matrix norm other than 'fro' and "
                                 "'euclidean' (over two axes), which predict "
                                 "does not convert yet");
      if (!(p >= 1))
        return call.error("ord", "is below 1, which predict does not convert "
                                 "(it converts 'euclidean', 'fro', np.inf and "
                                 "numbers of at least 1)");
    }
  }
  Type element = type->getElementType();
  FailureOr<Value> magnitude = c.abs(*x);
  if (failed(magnitude))
    return failure();
  if (std::isinf(p))
    return tensorValue(c.reduce(ReduceKind::max, *magnitude, over, keepdims));
  if (p == 1)
    return tensorValue(c.reduce(ReduceKind::sum, *magnitude, over, keepdims));
  FailureOr<Value> powered =
      p == 2 ? c.binary<MulOp>(*x, *x)
             : c.binary<PowOp>(*magnitude, c.scalar(element, p));
  FailureOr<Value> sum =
      failed(powered) ? powered
                      : c.reduce(ReduceKind::sum, *powered, over, keepdims);
  if (failed(sum))
    return failure();
  if (p == 2)
    return tensorValue(
        c.b.typed(SqrtOp::create(c.builder(), c.at, sum->getType(), *sum)));
  return tensorValue(c.binary<PowOp>(*sum, c.scalar(element, 1 / p)));
}

/// The one axis `call` gives (BoundCall::axes: in range, counted from the
/// end when negative), `byDefault` when it is None.
FailureOr<int64_t> oneAxis(const BoundCall &call, RankedTensorType type,
                           int64_t byDefault) {
  FailureOr<std::optional<SmallVector<int64_t>>> axes = call.axes("axis", type);
  if (failed(axes))
    return failure();
  if (!*axes)
    return byDefault < 0 ? byDefault + type.getRank() : byDefault;
  if ((*axes)->size() != 1)
    return call.error("axis", "must be one axis");
  return (**axes)[0];
}

/// tf.sort and tf.argsort (values, axis=-1, direction='ASCENDING'), as
/// sort_ops.py composes them: tf.math.top_k of every element along the
/// axis (moved last), of the values negated for ASCENDING (-x of floats,
/// ~x = -1 - x of integers, which does not overflow), then negated back.
/// Equal values keep their order (top_k takes the lower index first), NaN
/// ranks above every number. The axis needs a size known at import; the
/// work is O(n^2) in it (top_k's rounds).
FailureOr<PyValue> sortCall(Composer &c, const BoundCall &call, bool indices) {
  FailureOr<Value> x = numbers(call, "values");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("values", *x);
  if (failed(type))
    return failure();
  if (type->getRank() == 0)
    return call.error("values", "must have at least one axis");
  Type element = type->getElementType();
  if (!element.isF32() && !element.isInteger(32) && !element.isInteger(64))
    return call.error("values", "must be a tensor of float32, int32 or "
                                "int64, not " +
                                    typeText(*type));
  FailureOr<int64_t> axis = oneAxis(call, *type, -1);
  if (failed(axis))
    return failure();
  if (type->isDynamicDim(*axis))
    return call.error("values", "must have a size known at import along "
                                "the sorted axis here, not " +
                                    typeText(*type));
  bool descending = false;
  if (call.has("direction")) {
    std::optional<std::string> word = stringArgument(call, "direction");
    if (!word || (*word != "ASCENDING" && *word != "DESCENDING"))
      return call.error("direction", "must be 'ASCENDING' or 'DESCENDING' "
                                     "(TensorFlow raises)");
    descending = *word == "DESCENDING";
  }
  if (indices) {
    FailureOr<bool> stable = call.boolean("stable");
    if (failed(stable))
      return failure();
  }
  // The axis moved last (and back after).
  FailureOr<std::pair<Value, SmallVector<int64_t>>> last =
      c.axisLast(*x, *axis);
  if (failed(last))
    return failure();
  Value v = last->first;
  SmallVector<int64_t> back = last->second;
  // The order-reversing map for ASCENDING (its own inverse).
  auto flip = [&](Value t) -> FailureOr<Value> {
    if (isa<FloatType>(element))
      return c.b.typed(NegOp::create(c.builder(), c.at, t.getType(), t));
    return c.binary<SubOp>(c.scalar(element, -1), t);
  };
  if (!descending) {
    FailureOr<Value> f = flip(v);
    if (failed(f))
      return failure();
    v = *f;
  }
  FailureOr<std::pair<Value, Value>> top = topKAlongLast(
      c.b, v, type->getDimSize(*axis), c.builder().getI32Type(), c.at);
  if (failed(top))
    return failure();
  Value result = indices ? top->second : top->first;
  if (!indices && !descending) {
    FailureOr<Value> f = flip(result);
    if (failed(f))
      return failure();
    result = *f;
  }
  if (!back.empty())
    return tensorValue(c.transpose(result, back));
  return PyValue::tensor(result);
}
/// tf.math.cumsum and tf.math.cumprod (x, axis=0, exclusive=False,
/// reverse=False): along the axis (moved last), one scf.for carrying the
/// running sum (product) of the slices so far, in x's type, adding one
/// slice at a time in order (from the end with `reverse`) as TensorFlow's
/// scan does, and writing each position's value (before its own slice
/// with `exclusive`, so the first is 0, or 1).
FailureOr<PyValue> scanCall(Composer &c, const BoundCall &call, bool product) {
  FailureOr<Value> x = numbers(call, "x");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("x", *x);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  if (rank == 0)
    return call.error("x", "must have at least one axis (TensorFlow raises)");
  FailureOr<int64_t> axis = oneAxis(call, *type, 0);
  if (failed(axis))
    return failure();
  FailureOr<bool> exclusive = call.boolean("exclusive");
  FailureOr<bool> reverse =
      failed(exclusive) ? exclusive : call.boolean("reverse");
  if (failed(reverse))
    return failure();
  // The axis moved last (and back after).
  FailureOr<std::pair<Value, SmallVector<int64_t>>> last =
      c.axisLast(*x, *axis);
  if (failed(last))
    return failure();
  Value v = last->first;
  SmallVector<int64_t> back = last->second;
  OpBuilder &builder = c.builder();
  Location at = c.at;
  auto vType = cast<RankedTensorType>(v.getType());
  Type element = vType.getElementType();
  // The running value: one slice (the last axis 1) of 0, or 1.
  SmallVector<int64_t> sliceShape(vType.getShape());
  sliceShape.back() = 1;
  auto sliceType = RankedTensorType::get(sliceShape, element);
  SmallVector<Value> sliceSizes, allSizes;
  for (int64_t d = 0; d < rank; ++d)
    if (vType.isDynamicDim(d)) {
      Value size = tensor::DimOp::create(builder, at, v, d);
      allSizes.push_back(size);
      if (d + 1 < rank)
        sliceSizes.push_back(size);
    }
  Value start = FillOp::create(
      builder, at, RankedTensorType::get(sliceShape, builder.getF32Type()),
      builder.getF64FloatAttr(product ? 1.0 : 0.0), sliceSizes);
  if (!element.isF32())
    start = CastOp::create(builder, at, sliceType, start);
  Value out =
      tensor::EmptyOp::create(builder, at, vType.getShape(), element, allSizes);
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  Value one = arith::ConstantIndexOp::create(builder, at, 1);
  Value n = tensor::DimOp::create(builder, at, v, rank - 1);
  auto loop =
      scf::ForOp::create(builder, at, zero, n, one, ValueRange{start, out});
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(loop.getBody());
    Value i = loop.getInductionVar();
    // The position: i, or n - 1 - i from the end.
    Value position = i;
    if (*reverse)
      position = arith::SubIOp::create(
          builder, at, arith::SubIOp::create(builder, at, n, one), i);
    SmallVector<OpFoldResult> offsets(rank, builder.getIndexAttr(0));
    offsets.back() = position;
    SmallVector<OpFoldResult> sizes, strides(rank, builder.getIndexAttr(1));
    for (int64_t d = 0; d + 1 < rank; ++d)
      sizes.push_back(tensor::getMixedSize(builder, at, v, d));
    sizes.push_back(builder.getIndexAttr(1));
    Value slice = tensor::ExtractSliceOp::create(builder, at, sliceType, v,
                                                 offsets, sizes, strides);
    Value running = loop.getRegionIterArg(0);
    FailureOr<Value> next =
        product ? c.binary<MulOp>(running, slice)
                : c.b.typed(AddOp::create(builder, at,
                                          UnrankedTensorType::get(element),
                                          ValueRange{running, slice}));
    if (failed(next))
      return failure();
    // (Typed as the carried slice: the op's rule may know fewer sizes.)
    Value carried = *next;
    if (carried.getType() != sliceType)
      carried = tensor::CastOp::create(builder, at, sliceType, carried);
    Value into = tensor::InsertSliceOp::create(
        builder, at, *exclusive ? running : carried, loop.getRegionIterArg(1),
        offsets, sizes, strides);
    scf::YieldOp::create(builder, at, ValueRange{carried, into});
  }
  Value result = loop.getResult(1);
  if (!back.empty())
    return tensorValue(c.transpose(result, back));
  return PyValue::tensor(result);
}
/// tf.roll(input, shift, axis): each axis's elements shifted by `shift`
/// (ints known at import; several shifts of one axis add up), those that
/// leave at one end entering at the other: the last `s = shift mod n`
/// elements, then the others, joined (predict.slice, predict.concatenate).
FailureOr<PyValue> rollCall(Composer &c, const BoundCall &call) {
  FailureOr<Value> x = call.tensor("input");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("input", *x);
  if (failed(type))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> shifts =
      call.integers("shift");
  if (failed(shifts))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> axes = call.integers("axis");
  if (failed(axes))
    return failure();
  if (!*shifts || !*axes || (*shifts)->size() != (*axes)->size())
    return call.error("axis", "must give as many axes as shift gives shifts "
                              "(TensorFlow raises)");
  int64_t rank = type->getRank();
  OpBuilder &builder = c.builder();
  Location at = c.at;
  Value v = *x;
  for (auto [shift, given] : llvm::zip_equal(**shifts, **axes)) {
    int64_t axis = given;
    if (axis < -rank || axis >= rank)
      return call.error("axis", "holds " + std::to_string(given) +
                                    ", out of range for " + typeText(*type));
    if (axis < 0)
      axis += rank;
    // s = shift mod n, Python's (not negative); 0 for an empty axis.
    Value n = DimOp::create(builder, at, v, axis);
    Value k = c.b.constantIndex(shift, at).value;
    Value one = c.b.constantIndex(1, at).value;
    Value atLeastOne = arith::MaxSIOp::create(builder, at, n, one);
    Value rem = arith::RemSIOp::create(builder, at, k, atLeastOne);
    Value zero = c.b.constantIndex(0, at).value;
    Value negative = arith::CmpIOp::create(
        builder, at, arith::CmpIPredicate::slt, rem, zero);
    Value s = arith::SelectOp::create(
        builder, at, negative,
        arith::AddIOp::create(builder, at, rem, atLeastOne), rem);
    Value cut = arith::SubIOp::create(builder, at, n, s);
    Type element = getElementTypeOrSelf(v);
    FailureOr<Value> tail =
        c.b.typed(SliceOp::create(builder, at, UnrankedTensorType::get(element),
                                  v, cut, n, builder.getI64IntegerAttr(axis)));
    FailureOr<Value> head =
        failed(tail) ? tail
                     : c.b.typed(SliceOp::create(
                           builder, at, UnrankedTensorType::get(element), v,
                           zero, cut, builder.getI64IntegerAttr(axis)));
    if (failed(head))
      return failure();
    FailureOr<Value> joined = c.b.typed(ConcatenateOp::create(
        builder, at, UnrankedTensorType::get(element), ValueRange{*tail, *head},
        builder.getI64IntegerAttr(axis)));
    if (failed(joined))
      return failure();
    // The shape is the input's (a size the join leaves unknown is known).
    v = *joined;
    if (v.getType() != type->clone(element))
      v = tensor::CastOp::create(builder, at, *type, v);
  }
  return PyValue::tensor(v);
}
/// tf.linalg.matvec(a, b, transpose_a=False, adjoint_a=False): a's
/// matrices (its last two axes, swapped with transpose_a or adjoint_a, the
/// same for real numbers) times b's vectors: `b @ a^T` for one matrix (b's
/// leading axes broadcast, as TensorFlow's), numpy's `a @ b` of a 1-D b
/// for a batch of matrices, and `(a @ b[..., None])[..., 0]` for a batch
/// of both (their leading axes broadcast, as TensorFlow's matmul).
FailureOr<PyValue> matvecCall(Composer &c, const BoundCall &call) {
  FailureOr<Value> a = floatTensor(call, "a");
  FailureOr<Value> b = failed(a) ? a : floatTensor(call, "b");
  if (failed(b))
    return failure();
  FailureOr<RankedTensorType> aType = call.ranked("a", *a);
  FailureOr<RankedTensorType> bType =
      failed(aType) ? aType : call.ranked("b", *b);
  if (failed(bType))
    return failure();
  FailureOr<bool> transpose = call.boolean("transpose_a");
  FailureOr<bool> adjoint =
      failed(transpose) ? transpose : call.boolean("adjoint_a");
  if (failed(adjoint))
    return failure();
  for (llvm::StringRef hint : {"a_is_sparse", "b_is_sparse"})
    if (failed(call.boolean(hint)))
      return failure();
  if (*transpose && *adjoint)
    return call.error("adjoint_a", "is True with transpose_a: give one of "
                                   "them (TensorFlow raises ValueError)");
  int64_t rank = aType->getRank();
  if (rank < 2 || bType->getRank() < 1)
    return call.error("a", "must be a matrix (or a batch of them) and b a "
                           "vector (or a batch of them)");
  Value matrix = *a;
  auto swapLast = [&](Value m) {
    SmallVector<int64_t> perm;
    for (int64_t d = 0; d < rank; ++d)
      perm.push_back(d);
    std::swap(perm[rank - 1], perm[rank - 2]);
    return c.transpose(m, perm);
  };
  bool swapped = *transpose || *adjoint;
  // The columns of a's matrices (its rows with transpose_a) against b's
  // vectors, named as the user wrote them (not as the '@' it becomes).
  int64_t columns = aType->getDimSize(rank - (swapped ? 2 : 1));
  int64_t length = bType->getDimSize(bType->getRank() - 1);
  if (!ShapedType::isDynamic(columns) && !ShapedType::isDynamic(length) &&
      columns != length)
    return call.error("b", "has vectors of " + Twine(length) +
                               " elements for a's matrices of " +
                               Twine(columns) + " columns" +
                               (swapped ? " (transposed)" : "") +
                               " (TensorFlow raises)");
  if (rank == 2) {
    // b @ a^T (a^T's transpose is a itself).
    if (!swapped) {
      FailureOr<Value> t = swapLast(matrix);
      if (failed(t))
        return failure();
      matrix = *t;
    }
    return tensorValue(c.b.typed(MatmulOp::create(
        c.builder(), c.at, UnrankedTensorType::get(aType->getElementType()), *b,
        matrix)));
  }
  if (swapped) {
    FailureOr<Value> t = swapLast(matrix);
    if (failed(t))
      return failure();
    matrix = *t;
  }
  if (bType->getRank() == 1)
    return tensorValue(c.b.typed(MatmulOp::create(
        c.builder(), c.at, UnrankedTensorType::get(aType->getElementType()),
        matrix, *b)));
  // A batch of vectors: columns (b[..., None]), multiplied with the
  // leading axes broadcast as numpy's matmul broadcasts them, the column
  // axis dropped again.
  int64_t last = bType->getRank();
  FailureOr<Value> product = c.b.typed(MatmulOp::create(
      c.builder(), c.at, UnrankedTensorType::get(aType->getElementType()),
      matrix, insertUnitAxes(c.b, c.at, *b, {last})));
  if (failed(product))
    return failure();
  return PyValue::tensor(
      dropUnitAxes(c.b, c.at, *product,
                   {cast<RankedTensorType>(product->getType()).getRank() - 1}));
}
} // namespace

std::optional<FailureOr<PyValue>> python::mathCall(ProgramBuilder &b,
                                                   const json::Object &node,
                                                   llvm::StringRef callee) {
  llvm::StringRef name = callee;
  if (!name.consume_front("tensorflow."))
    return std::nullopt;
  name.consume_front("math.");
  name.consume_front("linalg.");
  bool known = llvm::is_contained(
      {"identity", "stop_gradient", "is_nan", "is_inf", "is_finite", "sign",
       "reciprocal", "squared_difference", "divide_no_nan", "add_n", "norm",
       "sort", "argsort", "cumsum", "cumprod", "roll", "matvec"},
      name);
  std::optional<llvm::StringRef> signature = signatureOf(callee);
  if (!known || !signature)
    return std::nullopt;
  FailureOr<BoundCall> bound = bindArguments(b, node, *signature);
  if (failed(bound))
    return FailureOr<PyValue>(failure());
  const BoundCall &call = *bound;
  Composer c{b, b.loc(node)};
  if (name == "identity" || name == "stop_gradient")
    // The tensor itself: inference has no graph to copy into or gradient
    // to stop.
    return tensorValue(call.tensor("input"));
  if (name == "is_nan" || name == "is_inf" || name == "is_finite")
    return floatClass(c, call, name);
  if (name == "sign")
    return sign(c, call);
  if (name == "reciprocal") {
    FailureOr<Value> x = floatTensor(call, "x");
    if (failed(x))
      return FailureOr<PyValue>(failure());
    return tensorValue(
        c.binary<DivOp>(c.scalar(getElementTypeOrSelf(*x), 1), *x));
  }
  if (name == "squared_difference" || name == "divide_no_nan") {
    bool noNaN = name == "divide_no_nan";
    FailureOr<std::pair<Value, Value>> xy = operands(b, call, noNaN);
    if (failed(xy))
      return FailureOr<PyValue>(failure());
    auto [x, y] = *xy;
    if (!noNaN) {
      FailureOr<Value> d = c.binary<SubOp>(x, y);
      return tensorValue(failed(d) ? d : c.binary<MulOp>(*d, *d));
    }
    // x / y, and 0 where y is 0 (whatever x is, NaN too).
    Value zero = c.scalar(getElementTypeOrSelf(x), 0);
    FailureOr<Value> q = c.binary<DivOp>(x, y);
    FailureOr<Value> byZero =
        failed(q) ? q : c.compare(CompareKind::eq, y, zero);
    return tensorValue(failed(byZero) ? byZero : c.select(*byZero, zero, *q));
  }
  if (name == "add_n")
    return addN(b, c, call);
  if (name == "norm")
    return norm(c, call);
  if (name == "roll")
    return rollCall(c, call);
  if (name == "matvec")
    return matvecCall(c, call);
  if (name == "cumsum" || name == "cumprod")
    return scanCall(c, call, /*product=*/name == "cumprod");
  return sortCall(c, call, /*indices=*/name == "argsort");
}
