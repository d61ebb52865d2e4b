//===- PythonTensorOps.cpp - tf.* reductions, casts and logical operations ===//
//
// The tf.* operations of converted code beyond PythonCalls.cpp's
// elementwise math: reductions (tf.reduce_sum ...), argmax (tf.argmax and
// numpy's np.argmax on results), tf.cast, comparisons and logical
// operations, tf.where, tf.clip_by_value and more unary math. Each binds its
// arguments with the tf.* binder (PythonArguments.cpp) and is one or a few
// predict ops, typed by their own shape rules as they are made
// (docs/PythonSource.md, tf.* functions).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"

#include "predict/Dialect/Predict/IR/ShapeUtils.h"

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
FailureOr<PyValue> tensorValue(FailureOr<Value> v) {
  if (failed(v))
    return failure();
  return PyValue::tensor(*v);
}

/// predict.reduce `kind` of `x` over `axes`, keeping them with
/// `keepdims`, at `call`.
FailureOr<PyValue> reduceOver(ProgramBuilder &b, const BoundCall &call,
                              ReduceKind kind, Value x, ArrayRef<int64_t> axes,
                              bool keepdims) {
  return tensorValue(b.typed(ReduceOp::create(
      b.builder, b.loc(call.call), cast<RankedTensorType>(x.getType()), kind, x,
      b.builder.getDenseI64ArrayAttr(axes), keepdims)));
}

/// The operand, axes and keepdims of a reduction `f(tensor, axis, ...,
/// keepdims)`: the ranked tensor of `tensorParam` (floats only with
/// `floats`) and the axes of `axisParam` (BoundCall::axes; std::nullopt:
/// None).
struct ReductionArgs {
  Value x;
  RankedTensorType type;
  std::optional<SmallVector<int64_t>> axes;
  bool keepdims;
  /// The axes, every axis for None.
  SmallVector<int64_t> over() const {
    return axes ? *axes
                : llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  }
};
static FailureOr<ReductionArgs> reductionArgs(const BoundCall &call,
                                              llvm::StringRef tensorParam,
                                              llvm::StringRef axisParam,
                                              bool floats) {
  FailureOr<Value> x =
      floats ? floatTensor(call, tensorParam) : call.tensor(tensorParam);
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked(tensorParam, *x);
  if (failed(type))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> axes =
      call.axes(axisParam, *type);
  if (failed(axes))
    return failure();
  FailureOr<bool> keepdims = call.boolean("keepdims");
  if (failed(keepdims))
    return failure();
  return ReductionArgs{*x, *type, *axes, *keepdims};
}

/// tf.reduce_<kind>(input_tensor, axis=None, keepdims=False).
FailureOr<PyValue> reduce(ProgramBuilder &b, const BoundCall &call,
                          ReduceKind kind) {
  FailureOr<ReductionArgs> r =
      reductionArgs(call, "input_tensor", "axis", /*floats=*/false);
  if (failed(r))
    return failure();
  bool logical = kind == ReduceKind::any || kind == ReduceKind::all;
  if (logical != r->type.getElementType().isInteger(1))
    return call.error("input_tensor",
                      logical ? "must be a tensor of bools (a comparison, "
                                "tf.cast(x, tf.bool)), not " +
                                    typeText(r->type)
                              : "must be a tensor of numbers, not " +
                                    typeText(r->type) +
                                    " (tf.cast it to float32 first)");
  return reduceOver(b, call, kind, r->x, r->over(), r->keepdims);
}

/// The float tensor `x`'s statistics over `axes`
/// (tensorflow/python/ops/math_ops.py reduce_variance, nn_impl.py
/// moments): its mean, and the mean of the squared deviations from the
/// mean (kept along the axes for the subtraction), each with `keepdims`.
/// The sums accumulate in float64 (docs/Dialect.md).
static FailureOr<std::pair<Value, Value>>
meanAndVariance(ProgramBuilder &b, Location at, Value x, ArrayRef<int64_t> axes,
                bool keepdims) {
  OpBuilder &builder = b.builder;
  auto type = cast<RankedTensorType>(x.getType());
  DenseI64ArrayAttr over = builder.getDenseI64ArrayAttr(axes);
  auto mean = [&](Value v, bool keep) {
    return b.typed(
        ReduceOp::create(builder, at, type, ReduceKind::mean, v, over, keep));
  };
  FailureOr<Value> kept = mean(x, /*keep=*/true);
  if (failed(kept))
    return failure();
  FailureOr<Value> deviation =
      b.typed(SubOp::create(builder, at, type, x, *kept));
  if (failed(deviation))
    return failure();
  FailureOr<Value> squared =
      b.typed(MulOp::create(builder, at, type, *deviation, *deviation));
  if (failed(squared))
    return failure();
  FailureOr<Value> variance = mean(*squared, keepdims);
  FailureOr<Value> average = keepdims ? kept : mean(x, /*keep=*/false);
  if (failed(variance) || failed(average))
    return failure();
  return std::make_pair(*average, *variance);
}

/// tf.math.reduce_variance / reduce_std(input_tensor, axis=None,
/// keepdims=False): the mean of the squared deviations from the mean over
/// `axis` (all axes when None), and its square root. Floats only, as
/// TensorFlow raises for integers.
FailureOr<PyValue> varianceCall(ProgramBuilder &b, const BoundCall &call,
                                bool root) {
  FailureOr<ReductionArgs> r =
      reductionArgs(call, "input_tensor", "axis", /*floats=*/true);
  if (failed(r))
    return failure();
  Location at = b.loc(call.call);
  FailureOr<std::pair<Value, Value>> stats =
      meanAndVariance(b, at, r->x, r->over(), r->keepdims);
  if (failed(stats))
    return failure();
  if (!root)
    return PyValue::tensor(stats->second);
  return tensorValue(b.typed(
      SqrtOp::create(b.builder, at, stats->second.getType(), stats->second)));
}

/// tf.nn.moments(x, axes, shift=None, keepdims=False): (mean, variance)
/// over `axes` (a list, required), a tuple; `shift` is not used by
/// TensorFlow 2 either.
FailureOr<SmallVector<Value>> momentsCall(ProgramBuilder &b,
                                          const BoundCall &call) {
  FailureOr<ReductionArgs> r =
      reductionArgs(call, "x", "axes", /*floats=*/true);
  if (failed(r))
    return failure();
  if (!r->axes)
    return call.error("axes", "must be given, a list of axes (TensorFlow "
                              "raises)");
  FailureOr<std::pair<Value, Value>> stats =
      meanAndVariance(b, b.loc(call.call), r->x, *r->axes, r->keepdims);
  if (failed(stats))
    return failure();
  return SmallVector<Value>{stats->first, stats->second};
}

/// tf.math.reduce_logsumexp(input_tensor, axis=None, keepdims=False):
/// log(sum(exp(x - m))) + m over `axis`, m the maximum where it is finite
/// and 0 where it is not (math_ops.py: all -inf gives -inf, an inf gives
/// inf, a NaN NaN).
FailureOr<PyValue> logSumExpCall(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<ReductionArgs> r =
      reductionArgs(call, "input_tensor", "axis", /*floats=*/true);
  if (failed(r))
    return failure();
  OpBuilder &builder = b.builder;
  Location at = b.loc(call.call);
  DenseI64ArrayAttr over = builder.getDenseI64ArrayAttr(r->over());
  Type element = r->type.getElementType();
  Value zero = ConstantOp::create(
      builder, at,
      DenseElementsAttr::get(RankedTensorType::get({}, element),
                             builder.getZeroAttr(element)));
  FailureOr<Value> raw = b.typed(ReduceOp::create(
      builder, at, r->type, ReduceKind::max, r->x, over, true));
  if (failed(raw))
    return failure();
  // Finite where m - m is 0 (inf - inf and NaN - NaN are NaN).
  FailureOr<Value> spread =
      b.typed(SubOp::create(builder, at, raw->getType(), *raw, *raw));
  if (failed(spread))
    return failure();
  FailureOr<Value> finite = b.typed(CompareOp::create(
      builder, at, UnrankedTensorType::get(builder.getI1Type()),
      CompareKindAttr::get(builder.getContext(), CompareKind::eq), *spread,
      zero));
  if (failed(finite))
    return failure();
  FailureOr<Value> shift = b.typed(
      SelectOp::create(builder, at, raw->getType(), *finite, *raw, zero));
  if (failed(shift))
    return failure();
  FailureOr<Value> shifted =
      b.typed(SubOp::create(builder, at, r->type, r->x, *shift));
  if (failed(shifted))
    return failure();
  FailureOr<Value> exps =
      b.typed(ExpOp::create(builder, at, shifted->getType(), *shifted));
  if (failed(exps))
    return failure();
  FailureOr<Value> sum = b.typed(ReduceOp::create(
      builder, at, r->type, ReduceKind::sum, *exps, over, r->keepdims));
  if (failed(sum))
    return failure();
  FailureOr<Value> log =
      b.typed(LogOp::create(builder, at, sum->getType(), *sum));
  if (failed(log))
    return failure();
  // The shift back, in the result's shape.
  Value back = *shift;
  if (!r->keepdims) {
    FailureOr<Value> dropped = b.typed(ReduceOp::create(
        builder, at, shift->getType(), ReduceKind::max, *shift, over, false));
    if (failed(dropped))
      return failure();
    back = *dropped;
  }
  return tensorValue(b.typed(
      AddOp::create(builder, at, log->getType(), ValueRange{*log, back})));
}

/// tf.math.count_nonzero(input, axis=None, keepdims=None, dtype=tf.int64):
/// predict.reduce sum of `input != 0` (a bool input as it is) cast to
/// `dtype`.
FailureOr<PyValue> countNonzero(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<ReductionArgs> r =
      reductionArgs(call, "input", "axis", /*floats=*/false);
  if (failed(r))
    return failure();
  FailureOr<Type> dtype = call.dtype("dtype");
  if (failed(dtype))
    return failure();
  Type to = *dtype ? *dtype : b.builder.getI64Type();
  if (!to.isInteger(32) && !to.isInteger(64) && !isa<FloatType>(to))
    return call.error("dtype", "must be a number type (tf.int64, tf.int32 "
                               "or tf.float32)");
  Location at = b.loc(call.call);
  Value nonzero = r->x;
  Type element = r->type.getElementType();
  if (!element.isInteger(1)) {
    auto scalar = RankedTensorType::get({}, element);
    Value zero = ConstantOp::create(
        b.builder, at,
        DenseElementsAttr::get(scalar, b.builder.getZeroAttr(element)));
    FailureOr<Value> ne = b.typed(CompareOp::create(
        b.builder, at, UnrankedTensorType::get(b.builder.getI1Type()),
        CompareKindAttr::get(b.builder.getContext(), CompareKind::ne), r->x,
        zero));
    if (failed(ne))
      return failure();
    nonzero = *ne;
  }
  FailureOr<Value> counted = b.typed(
      CastOp::create(b.builder, at, UnrankedTensorType::get(to), nonzero));
  if (failed(counted))
    return failure();
  return reduceOver(b, call, ReduceKind::sum, *counted, r->over(), r->keepdims);
}

/// tf.argmax(input, axis=None, output_type=tf.int64) (axis None is 0, as
/// TensorFlow reads it), np.argmax(a, axis=None, out=None, keepdims=False)
/// (axis None is the flattened array, as numpy reads it).
FailureOr<PyValue> argReduce(ProgramBuilder &b, const BoundCall &call,
                             ReduceKind kind, bool numpy) {
  llvm::StringRef input = numpy ? "a" : "input";
  FailureOr<Value> x = call.tensor(input);
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked(input, *x);
  if (failed(type))
    return failure();
  if (type->getElementType().isInteger(1))
    return call.error(input, "must be a tensor of numbers, not " +
                                 typeText(*type) +
                                 " (tf.cast it to tf.int32 first)");
  FailureOr<std::optional<int64_t>> axis = call.integer("axis");
  if (failed(axis))
    return failure();
  Type index = b.builder.getI64Type();
  bool keepdims = false;
  Location at = b.loc(call.call);
  if (numpy) {
    if (call.has("out"))
      return call.error("out", "is not converted (the result is a new "
                               "array)");
    FailureOr<bool> keep = call.boolean("keepdims");
    if (failed(keep))
      return failure();
    keepdims = *keep;
    if (!*axis && type->getRank() != 1) {
      if (keepdims)
        return call.error("keepdims", "with axis=None is not converted yet");
      // The flattened array, as numpy's argmax without an axis reads it.
      if (type->getRank() == 0)
        return call.error(input, "must have at least one axis");
      ReassociationIndices group;
      for (int64_t d = 0; d < type->getRank(); ++d)
        group.push_back(d);
      *x = tensor::CollapseShapeOp::create(b.builder, at, *x,
                                           ArrayRef<ReassociationIndices>{group})
               .getResult();
      type = cast<RankedTensorType>(x->getType());
    }
  } else {
    FailureOr<Type> dtype = call.dtype("output_type");
    if (failed(dtype))
      return failure();
    if (*dtype) {
      if (!dtype->isInteger(32) && !dtype->isInteger(64))
        return call.error("output_type", "must be tf.int32 or tf.int64");
      index = *dtype;
    }
  }
  int64_t a = axis->value_or(0);
  if (!normalizeAxis(a, type->getRank()))
    return call.error("axis", llvm::Twine(a) + " is out of range for " +
                                  typeText(*type));
  return tensorValue(b.typed(ArgReduceOp::create(
      b.builder, at, UnrankedTensorType::get(index),
      kind, *x, a, keepdims)));
}

/// tf.cast(x, dtype).
FailureOr<PyValue> castCall(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> x = call.tensor("x");
  if (failed(x))
    return failure();
  if (!call.has("dtype"))
    return call.error("dtype", "must be given (tf.float32, tf.int32, "
                               "tf.int64 or tf.bool)");
  FailureOr<Type> to = call.dtype("dtype");
  if (failed(to))
    return failure();
  // A Python integer known at run time (`tf.cast(tf.shape(x)[0],
  // tf.float32)`): from its exact int64.
  if (Value integer = runTimeInteger(*x))
    x = integer;
  if (cast<TensorType>(x->getType()).getElementType() == *to)
    return PyValue::tensor(*x);
  return tensorValue(b.typed(CastOp::create(
      b.builder, b.loc(call.call), UnrankedTensorType::get(*to), *x)));
}

/// A tensor of any element type from `param`.
FailureOr<Value> floatLike(const BoundCall &call, llvm::StringRef param) {
  return call.tensor(param);
}

/// A tensor of floats from `param`, or an error saying what it is.
} // namespace

FailureOr<Value> python::floatTensor(const BoundCall &call,
                                     llvm::StringRef param) {
  FailureOr<Value> x = call.tensor(param);
  if (failed(x))
    return failure();
  if (!isa<FloatType>(cast<TensorType>(x->getType()).getElementType()))
    return call.error(param, "must be a tensor of floats here, not " +
                                 typeText(x->getType()) +
                                 " (tf.cast it to float32 first)");
  return x;
}

namespace {

/// A tensor of bools from `param`, or an error saying what it is.
FailureOr<Value> boolTensor(const BoundCall &call, llvm::StringRef param) {
  FailureOr<Value> x = call.tensor(param);
  if (failed(x))
    return failure();
  if (!cast<TensorType>(x->getType()).getElementType().isInteger(1))
    return call.error(param, "must be a tensor of bools (a comparison), not " +
                                 typeText(x->getType()));
  return x;
}

/// The size of `x` along `d` as an OpFoldResult: a constant when static,
/// else a predict.dim.
OpFoldResult sizeAt(ProgramBuilder &b, Location at, Value x, int64_t d) {
  auto type = cast<RankedTensorType>(x.getType());
  if (!type.isDynamicDim(d))
    return b.builder.getIndexAttr(type.getDimSize(d));
  return DimOp::create(b.builder, at, x, b.builder.getI64IntegerAttr(d))
      .getResult();
}

/// `size` as an index value.
Value indexValue(ProgramBuilder &b, Location at, OpFoldResult size) {
  if (auto v = dyn_cast<Value>(size))
    return v;
  return arith::ConstantIndexOp::create(
      b.builder, at, cast<IntegerAttr>(cast<Attribute>(size)).getInt());
}

/// `x` with size-1 axes inserted so that they are at `units` (ascending
/// positions of the result): tensor.expand_shape, each unit axis joining
/// the group of the axis before it (those first, the group after them).
Value insertUnits(ProgramBuilder &b, Location at, Value x,
                  ArrayRef<int64_t> units) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank() + units.size();
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> sizes;
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  int64_t source = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(units, d)) {
      shape.push_back(type.getDimSize(source));
      sizes.push_back(sizeAt(b, at, x, source));
      ++source;
      pending.push_back(d);
      groups.push_back(pending);
      pending.clear();
      continue;
    }
    shape.push_back(1);
    sizes.push_back(b.builder.getIndexAttr(1));
    if (groups.empty())
      pending.push_back(d);
    else
      groups.back().push_back(d);
  }
  return tensor::ExpandShapeOp::create(
      b.builder, at, RankedTensorType::get(shape, type.getElementType()), x,
      groups, sizes);
}

/// `x` without its size-1 axes `drop` (ascending): tensor.collapse_shape,
/// the inverse of insertUnits.
Value dropUnits(ProgramBuilder &b, Location at, Value x,
                ArrayRef<int64_t> drop) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (!llvm::is_contained(drop, d)) {
      pending.push_back(d);
      groups.push_back(pending);
      pending.clear();
      continue;
    }
    if (groups.empty())
      pending.push_back(d);
    else
      groups.back().push_back(d);
  }
  return tensor::CollapseShapeOp::create(b.builder, at, x, groups);
}

/// The result of `x` transposed by `perm` (predict.transpose).
FailureOr<Value> transposed(ProgramBuilder &b, Location at, Value x,
                            ArrayRef<int64_t> perm) {
  return b.typed(TransposeOp::create(b.builder, at, x.getType(), x,
                                     b.builder.getDenseI64ArrayAttr(perm)));
}

/// One size of a list of sizes, with the node a message names.
using SizeItem = std::pair<const json::Object *, PyValue>;

/// `param` of `call` as a list of sizes (tf.reshape's shape, tf.tile's
/// multiples): a list or tuple written in the call (each element any
/// integer, known at import or at run time: `tf.shape(x)[0]`), the sizes of
/// `y.shape` or `tf.shape(y)`, or a list or tuple known at import
/// (`self.target_shape`, `SHAPE`). Not checked to be integers; `example`
/// is written in the error for anything else.
static FailureOr<SmallVector<SizeItem>> sizeItems(ProgramBuilder &b,
                                                  const BoundCall &call,
                                                  llvm::StringRef param,
                                                  llvm::StringRef example) {
  const json::Object &node = call.at(param);
  llvm::StringRef kind = node.getString("node").value_or("");
  SmallVector<SizeItem> items;
  if (kind == "List" || kind == "Tuple") {
    for (const json::Value &e : *node.getArray("elts")) {
      const json::Object *item = e.getAsObject();
      if (!item)
        return call.error(param, "has an element that is not a node");
      FailureOr<PyValue> v = b.expr(*item);
      if (failed(v))
        return failure();
      items.push_back({item, *v});
    }
    return items;
  }
  if (auto sizes = b.shapeSizes(node)) {
    if (failed(*sizes))
      return failure();
    for (const PyValue &v : **sizes)
      items.push_back({&node, v});
    return items;
  }
  if (const json::Value *known = b.knownValue(node)) {
    const json::Object *o = known->getAsObject();
    const json::Array *list =
        o ? (o->getArray("list") ? o->getArray("list") : o->getArray("tuple"))
          : nullptr;
    if (!list)
      return call.error(param, "is " + pythonRepr(*known) +
                                   ", not a list or tuple of sizes");
    for (const json::Value &e : *list) {
      FailureOr<PyValue> v = b.knownPyValue(e, node);
      if (failed(v))
        return failure();
      items.push_back({&node, *v});
    }
    return items;
  }
  // A tuple or list the function built (`shape = (tf.shape(x)[0], 2, 2)`,
  // `dims.append(4)`, `[n] + [2, 2]`): its elements as the program made
  // them.
  {
    FailureOr<PyValue> v = b.expr(node);
    if (failed(v))
      return failure();
    if (v->isKnownList()) {
      for (const PyValue &e : ProgramBuilder::listItems(*v->list))
        items.push_back({&node, e});
      return items;
    }
    // A vector of sizes and constants (`tf.shape(x)[1:]`, `s =
    // tf.shape(y)`, `tf.concat([tf.shape(x)[:-1], [2, 2]], 0)`,
    // `tf.stack([n, -1])`): its elements.
    if (v->isTensor())
      if (std::optional<SmallVector<Value>> sizes =
              vectorSizes(b.builder, b.loc(node), v->value)) {
        for (Value size : *sizes)
          items.push_back({&node, PyValue::index(size)});
        return items;
      }
  }
  return call.error(param,
                    "must be a list or tuple (written in the call, such as " +
                        example +
                        ", or known at import), y.shape, or a vector of "
                        "sizes (tf.shape(y)[1:], tf.concat or tf.stack of "
                        "such and numbers, +, -, *, // and % of such): a "
                        "shape computed from a tensor's values is not "
                        "converted");
}

/// tf.reshape(tensor, shape): the elements in row-major order in a new
/// shape, each size an int known at import, -1 (at most one: the size that
/// makes the counts agree) or an integer known at run time
/// (`tf.shape(x)[0]`). tensor.collapse_shape to one axis, then
/// tensor.expand_shape; the element count is checked at run time when it
/// is not known at import.
FailureOr<PyValue> reshape(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> x = floatLike(call, "tensor");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("tensor", *x);
  if (failed(type))
    return failure();
  const json::Object &shapeNode = call.at("shape");
  FailureOr<SmallVector<SizeItem>> items =
      sizeItems(b, call, "shape", "(-1, 4) or [tf.shape(x)[0], -1]");
  if (failed(items))
    return failure();
  Location at = b.loc(call.call);
  OpBuilder &builder = b.builder;
  SmallVector<int64_t> shape;
  SmallVector<Value> sizes; // index, null for -1
  int64_t minusOne = -1;
  for (auto [item, v] : *items) {
    b.scalarToInteger(v, at);
    if (!v.isIndex())
      return b.error(*item, call.name() +
                                ": the sizes of shape must be "
                                "ints (x.shape[0], tf.shape(x)[0], "
                                "literals), not '" +
                                b.source(*item) + "'");
    std::optional<int64_t> known = knownIndexValue(v.value);
    Value dynamic = v.value;
    if (known && *known == -1) {
      if (minusOne >= 0)
        return b.error(*item, call.name() + ": shape has more than one -1");
      minusOne = shape.size();
      shape.push_back(ShapedType::kDynamic);
      sizes.push_back(Value());
      continue;
    }
    if (known && *known < 0)
      return b.error(*item, call.name() + ": the size " + Twine(*known) +
                                " is negative (only one -1 is allowed)");
    if (!known) {
      // A size known only at run time must not be negative: TensorFlow
      // refuses one below -1, and infers a -1 (which predict infers only
      // where it is written: the inferred axis is chosen at import).
      Value zero = arith::ConstantIndexOp::create(builder, at, 0);
      AssertOp::create(
          builder, at,
          arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sge, dynamic,
                                zero),
          builder.getStringAttr(
              braces((call.name() + ": size " + Twine(shape.size()) +
                      " of shape '" + b.source(shapeNode) + "' is ")
                         .str()) +
              "{0} (a size computed at run time must not be negative: "
              "TensorFlow refuses one below -1, and predict infers the size "
              "of a -1 written in the shape only)"),
          ValueRange{dynamic});
    }
    shape.push_back(known ? *known : ShapedType::kDynamic);
    sizes.push_back(known ? arith::ConstantIndexOp::create(builder, at, *known)
                                .getResult()
                          : dynamic);
  }
  // The element count, at import when every size is static.
  bool staticIn = type->hasStaticShape();
  int64_t countIn = staticIn ? type->getNumElements() : 0;
  int64_t knownOut = 1;
  bool staticOut = true;
  for (auto [i, size] : llvm::enumerate(shape))
    if ((int64_t)i != minusOne) {
      if (ShapedType::isDynamic(size))
        staticOut = false;
      else
        knownOut *= size;
    }
  // A -1 beside a size 0 written in the shape cannot be inferred, whatever
  // the input (TensorFlow raises; helper-119: with a dynamic input it
  // reached code generation, which divided by the 0).
  if (minusOne >= 0 && llvm::is_contained(shape, 0))
    return call.error("shape", "has a -1 beside a size 0, which cannot be "
                               "inferred (TensorFlow raises)");
  if (staticIn && staticOut) {
    if (minusOne >= 0) {
      if (countIn % knownOut != 0)
        return call.error("shape", "cannot hold the " + Twine(countIn) +
                                       " elements of " + typeText(*type));
      shape[minusOne] = countIn / knownOut;
    } else if (knownOut != countIn) {
      return call.error("shape", "holds " + Twine(knownOut) +
                                     " elements, not the " + Twine(countIn) +
                                     " of " + typeText(*type));
    }
  }
  // The count at run time, and the checked sizes.
  Value count = arith::ConstantIndexOp::create(builder, at, 1);
  for (int64_t d = 0; d < type->getRank(); ++d)
    count = arith::MulIOp::create(
        builder, at, count,
        indexValue(b, at, sizeAt(b, at, *x, d)));
  Value product = arith::ConstantIndexOp::create(builder, at, 1);
  for (Value size : sizes)
    if (size)
      product = arith::MulIOp::create(builder, at, product, size);
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  std::string where = call.name().str() + "(" +
                      b.source(call.at("tensor")) + ", " +
                      b.source(shapeNode) + ")";
  std::string text = braces(where);
  if (minusOne >= 0) {
    Value ok = arith::AndIOp::create(
        builder, at,
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::ne, product,
                              zero),
        arith::CmpIOp::create(
            builder, at, arith::CmpIPredicate::eq,
            arith::RemUIOp::create(
                builder, at, count,
                arith::MaxUIOp::create(
                    builder, at, product,
                    arith::ConstantIndexOp::create(builder, at, 1))),
            zero));
    if (!staticIn || !staticOut)
      AssertOp::create(builder, at, ok,
                       builder.getStringAttr(
                           text + ": {0} elements do not fill a shape of "
                                  "{1} elements per -1"),
                       ValueRange{count, product});
    sizes[minusOne] =
        shape[minusOne] != ShapedType::kDynamic
            ? arith::ConstantIndexOp::create(builder, at, shape[minusOne])
                  .getResult()
            : arith::DivUIOp::create(
                  builder, at, count,
                  arith::MaxUIOp::create(
                      builder, at, product,
                      arith::ConstantIndexOp::create(builder, at, 1)))
                  .getResult();
  } else if (!staticIn || !staticOut) {
    AssertOp::create(builder, at,
                     arith::CmpIOp::create(
                         builder, at, arith::CmpIPredicate::eq, count, product),
                     builder.getStringAttr(text + ": {0} elements cannot "
                                                  "take a shape of {1} "
                                                  "elements"),
                     ValueRange{count, product});
  }
  // A scalar, or into one (`tf.reshape(s, [1])`, `tf.reshape(t, [])`):
  // every size is 1 (sizes known only at run time were checked above).
  Type element = type->getElementType();
  if (shape.empty() || type->getRank() == 0) {
    // A size known at import other than 1 never makes one element
    // (`tf.reshape(x, [])` of a ?x4 x; helper-117: invalid IR).
    auto notOne = [](int64_t size) {
      return !ShapedType::isDynamic(size) && size != 1;
    };
    if (llvm::any_of(type->getShape(), notOne) || llvm::any_of(shape, notOne))
      return call.error("shape", type->getRank() == 0
                                     ? "holds more or fewer elements than the "
                                       "one of a scalar (TensorFlow raises)"
                                     : "is a scalar's, of one element, which " +
                                           typeText(*type) +
                                           " never holds (TensorFlow raises)");
    Value v = *x;
    if (type->getRank() > 0) {
      v = tensor::CastOp::create(
          builder, at,
          RankedTensorType::get(SmallVector<int64_t>(type->getRank(), 1),
                                element),
          v);
      v = tensor::CollapseShapeOp::create(builder, at, v,
                                          ArrayRef<ReassociationIndices>{});
    }
    if (!shape.empty()) {
      auto ones =
          RankedTensorType::get(SmallVector<int64_t>(shape.size(), 1), element);
      v = tensor::ExpandShapeOp::create(builder, at, ones, v,
                                        ArrayRef<ReassociationIndices>{});
      if (auto wanted = RankedTensorType::get(shape, element); wanted != ones)
        v = tensor::CastOp::create(builder, at, wanted, v);
    }
    return PyValue::tensor(v);
  }
  // With two sizes known only at run time, tensor.reshape of a shape
  // tensor (an expand_shape with two dynamic sizes in its group is not
  // lowered by MLIR 22's memref passes).
  if (llvm::count_if(shape, ShapedType::isDynamic) > 1) {
    SmallVector<Value> extents;
    for (Value size : sizes)
      extents.push_back(arith::IndexCastOp::create(
          builder, at, builder.getI64Type(), size));
    Value shapeTensor = tensor::FromElementsOp::create(
        builder, at,
        RankedTensorType::get({(int64_t)extents.size()}, builder.getI64Type()),
        extents);
    return PyValue::tensor(tensor::ReshapeOp::create(
        builder, at, RankedTensorType::get(shape, type->getElementType()), *x,
        shapeTensor));
  }
  // One axis, then the new shape.
  ReassociationIndices all;
  for (int64_t d = 0; d < type->getRank(); ++d)
    all.push_back(d);
  Value flat = tensor::CollapseShapeOp::create(
      builder, at, *x, ArrayRef<ReassociationIndices>{all});
  // A static shape from a dynamic input: its count was checked above.
  if (llvm::none_of(shape, ShapedType::isDynamic) &&
      cast<RankedTensorType>(flat.getType()).isDynamicDim(0)) {
    int64_t total = 1;
    for (int64_t size : shape)
      total *= size;
    flat = tensor::CastOp::create(
        builder, at, RankedTensorType::get({total}, type->getElementType()),
        flat);
  }
  // A size known only at run time from a static input (`[tf.size(x) // 3,
  // 3]` of a 4x6 x, helper-113): expand_shape makes dynamic sizes only of a
  // dynamic one (the count was checked above).
  if (llvm::any_of(shape, ShapedType::isDynamic) &&
      !cast<RankedTensorType>(flat.getType()).isDynamicDim(0))
    flat = tensor::CastOp::create(
        builder, at,
        RankedTensorType::get({ShapedType::kDynamic}, type->getElementType()),
        flat);
  ReassociationIndices out;
  SmallVector<OpFoldResult> outSizes;
  for (auto [i, size] : llvm::enumerate(shape)) {
    out.push_back(i);
    if (!ShapedType::isDynamic(size))
      outSizes.push_back(builder.getIndexAttr(size));
    else
      outSizes.push_back(sizes[i]);
  }
  Value result = tensor::ExpandShapeOp::create(
      builder, at, RankedTensorType::get(shape, type->getElementType()), flat,
      ArrayRef<ReassociationIndices>{out}, outSizes);
  return PyValue::tensor(result);
}

/// Whether `perm` names each axis of a tensor of `rank` once (numpy's
/// negative axes count from the end); `perm` made non-negative.
static bool normalizePermutation(SmallVectorImpl<int64_t> &perm, int64_t rank) {
  if (static_cast<int64_t>(perm.size()) != rank)
    return false;
  SmallVector<bool> seen(rank, false);
  for (int64_t &d : perm) {
    std::optional<int64_t> axis = normalizeAxis(d, rank);
    if (!axis || seen[*axis])
      return false;
    seen[*axis] = true;
    d = *axis;
  }
  return true;
}

/// tf.transpose(a, perm=None, conjugate=False): perm None reverses the
/// axes.
FailureOr<PyValue> transposeCall(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> x = call.tensor("a");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("a", *x);
  if (failed(type))
    return failure();
  FailureOr<bool> conjugate = call.boolean("conjugate");
  if (failed(conjugate))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> perm = call.integers("perm");
  if (failed(perm))
    return failure();
  SmallVector<int64_t> p;
  if (*perm) {
    p = **perm;
    if (!normalizePermutation(p, type->getRank()))
      return call.error("perm", "must be a permutation of the " +
                                    Twine(type->getRank()) + " axes of " +
                                    typeText(*type));
  } else {
    for (int64_t d = type->getRank() - 1; d >= 0; --d)
      p.push_back(d);
  }
  return tensorValue(transposed(b, b.loc(call.call), *x, p));
}

/// tf.reverse(tensor, axis): `axis` a list or tuple of distinct axes (in
/// [-rank, rank)), as TensorFlow's 1-D axis tensor; any element type.
FailureOr<PyValue> reverseCall(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> x = call.tensor("tensor");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("tensor", *x);
  if (failed(type))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> axes =
      call.axes("axis", *type);
  if (failed(axes))
    return failure();
  if (!*axes)
    return call.error("axis", "must be a list of axes (TensorFlow needs it)");
  if ((*axes)->empty())
    return tensorValue(*x);
  return tensorValue(b.typed(ReverseOp::create(
      b.builder, b.loc(call.call), *type, *x,
      b.builder.getDenseI64ArrayAttr(**axes))));
}

/// tf.pad(tensor, paddings, mode="CONSTANT", constant_values=0):
/// `paddings` a literal list of one [before, after] pair of ints per axis,
/// `constant_values` a number (predict.pad's value); CONSTANT mode only
/// (REFLECT and SYMMETRIC are refused).
FailureOr<PyValue> padCall(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> x = call.tensor("tensor");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("tensor", *x);
  if (failed(type))
    return failure();
  const json::Object *modeNode = call["mode"]; // null: CONSTANT
  const json::Value *mode =
      modeNode && modeNode->getString("node") == "Constant"
          ? modeNode->get("value")
          : nullptr;
  if (modeNode && (!mode || !mode->getAsString()))
    return call.error("mode", "must be a string literal");
  if (modeNode && !mode->getAsString()->equals_insensitive("constant"))
    return call.error("mode", "'" + *mode->getAsString() +
                                  "' is not supported by predict yet (CONSTANT "
                                  "is)");
  std::string pairs = "must hold one [before, after] pair of ints known at "
                      "import per axis of " +
                      typeText(*type);
  const json::Object &given = call.at("paddings");
  llvm::StringRef kind = given.getString("node").value_or("");
  const json::Array *rows = given.getArray("elts");
  if ((kind != "List" && kind != "Tuple") || !rows ||
      (int64_t)rows->size() != type->getRank())
    return call.error("paddings", pairs);
  SmallVector<int64_t> low, high;
  for (const json::Value &row : *rows) {
    const json::Object *r = row.getAsObject();
    const json::Array *ends = r ? r->getArray("elts") : nullptr;
    if (!ends || ends->size() != 2)
      return call.error("paddings", pairs);
    for (auto [i, end] : llvm::enumerate(*ends)) {
      const json::Object *e = end.getAsObject();
      FailureOr<const json::Object *> n =
          e ? b.numberOf(*e) : FailureOr<const json::Object *>(nullptr);
      if (failed(n))
        return failure();
      if (!*n || (*n)->getString("float"))
        return call.error("paddings", pairs);
      FailureOr<int64_t> v = b.integerValue(*e, **n);
      if (failed(v))
        return failure();
      if (*v < 0)
        return call.error("paddings", "must not be negative (TensorFlow "
                                      "raises), got " +
                                          Twine(*v));
      (i ? high : low).push_back(*v);
    }
  }
  // A number, or True/False for bools; on integers a whole number of
  // the tensor's type (TensorFlow converts it to that dtype, or raises).
  Type element = type->getElementType();
  const json::Object *fill = call["constant_values"];
  const json::Value *literal =
      fill && fill->getString("node") == "Constant" ? fill->get("value")
                                                    : nullptr;
  std::optional<double> value;
  if (literal && literal->getAsBoolean()) {
    if (!element.isInteger(1))
      return call.error("constant_values", "is a bool, and the tensor holds " +
                                               typeText(element));
    value = *literal->getAsBoolean() ? 1.0 : 0.0;
  } else {
    FailureOr<std::optional<double>> number = call.number("constant_values");
    if (failed(number))
      return failure();
    value = *number;
  }
  if (value && isa<IntegerType>(element)) {
    unsigned bits = element.getIntOrFloatBitWidth();
    double lowest = bits == 1 ? 0 : -std::ldexp(1.0, bits - 1);
    double highest = bits == 1 ? 1 : std::ldexp(1.0, bits - 1) - 1;
    if (*value != std::trunc(*value) || *value < lowest || *value > highest)
      return call.error("constant_values",
                        formatNumber(*value) + " is not a value of the "
                        "tensor's type " + typeText(element) +
                        " (TensorFlow raises)");
  }
  FloatAttr v;
  if (value && *value != 0.0)
    v = b.builder.getF64FloatAttr(*value);
  return tensorValue(b.typed(PadOp::create(
      b.builder, b.loc(call.call), UnrankedTensorType::get(type->getElementType()),
      *x, b.builder.getDenseI64ArrayAttr(low),
      b.builder.getDenseI64ArrayAttr(high), v)));
}

/// tf.expand_dims(input, axis): a size-1 axis at `axis` (in
/// [-(rank+1), rank]).
FailureOr<PyValue> expandDims(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> x = call.tensor("input");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("input", *x);
  if (failed(type))
    return failure();
  FailureOr<std::optional<int64_t>> axis = call.integer("axis");
  if (failed(axis))
    return failure();
  if (!*axis)
    return call.error("axis", "must be an int");
  std::optional<int64_t> at = normalizeAxis(**axis, type->getRank() + 1);
  if (!at)
    return call.error("axis", Twine(**axis) + " is out of range for " +
                                  typeText(*type));
  return PyValue::tensor(insertUnits(b, b.loc(call.call), *x, {*at}));
}

/// tf.squeeze(input, axis=None): the size-1 axes removed (those given, or
/// every axis of static size 1).
FailureOr<PyValue> squeeze(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> x = call.tensor("input");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("input", *x);
  if (failed(type))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> axes = call.integers("axis");
  if (failed(axes))
    return failure();
  SmallVector<int64_t> drop;
  if (!*axes) {
    for (int64_t d = 0; d < type->getRank(); ++d) {
      if (type->isDynamicDim(d))
        return call.error("axis", "None needs every size known at import: "
                                  "axis " +
                                      Twine(d) + " of " + typeText(*type) +
                                      " is known only at run time (give "
                                      "the axes to squeeze)");
      if (type->getDimSize(d) == 1)
        drop.push_back(d);
    }
  } else {
    for (int64_t a : **axes) {
      std::optional<int64_t> d = normalizeAxis(a, type->getRank());
      if (!d)
        return call.error("axis", Twine(a) + " is out of range for " +
                                      typeText(*type));
      if (type->getDimSize(*d) != 1)
        return call.error("axis", Twine(a) + " of " + typeText(*type) +
                                      (type->isDynamicDim(*d)
                                           ? " has a size known only at run "
                                             "time: squeeze axes of size 1"
                                           : " does not have size 1"));
      if (!llvm::is_contained(drop, *d))
        drop.push_back(*d);
    }
    llvm::sort(drop);
  }
  if (drop.empty())
    return PyValue::tensor(*x);
  return PyValue::tensor(dropUnits(b, b.loc(call.call), *x, drop));
}

/// tf.tile(input, multiples): the input repeated along each axis, one
/// tensor.generate reading element `i mod size` of each tiled axis (its
/// size does not grow with the multiples). A multiple is an int known at
/// import or at run time (`[tf.shape(y)[0], 1]`), at least 0 (checked at
/// run time when not known: TensorFlow raises).
FailureOr<PyValue> tile(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> x = call.tensor("input");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("input", *x);
  if (failed(type))
    return failure();
  FailureOr<SmallVector<SizeItem>> items =
      sizeItems(b, call, "multiples", "[2, 1] or [tf.shape(y)[0], 1]");
  if (failed(items))
    return failure();
  if ((int64_t)items->size() != type->getRank())
    return call.error("multiples", "must hold one int per axis of " +
                                       typeText(*type));
  OpBuilder &builder = b.builder;
  Location at = b.loc(call.call);
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  SmallVector<Value> sizes, multiples, dynamic;
  SmallVector<int64_t> shape;
  for (auto [d, item] : llvm::enumerate(*items)) {
    auto [node, v] = item;
    // (A scalar int32/int64 tensor is its value: tf.shape(x,
    // out_type=tf.int64)[0].)
    b.scalarToInteger(v, at);
    if (!v.isIndex())
      return b.error(*node, call.name() + ": multiples must be ints, not '" +
                                b.source(*node) + "'");
    std::optional<int64_t> known = knownIndexValue(v.value);
    if (known && *known < 0)
      return b.error(*node, call.name() +
                                ": multiples must not be negative "
                                "(TensorFlow raises), got " +
                                Twine(*known));
    if (!known)
      AssertOp::create(
          builder, b.loc(*node),
          arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sge, v.value,
                                zero),
          builder.getStringAttr(braces(call.name().str() + ": multiples[" +
                                       std::to_string(d) + "], '" +
                                       b.source(*node) + "', is ") +
                                "{0}, negative (TensorFlow raises)"),
          ValueRange{v.value});
    Value size = indexValue(b, at, sizeAt(b, at, *x, d));
    sizes.push_back(size);
    multiples.push_back(v.value);
    std::optional<int64_t> staticSize = knownIndexValue(size);
    if (known && staticSize) {
      shape.push_back(*known * *staticSize);
      continue;
    }
    shape.push_back(ShapedType::kDynamic);
    dynamic.push_back(arith::MulIOp::create(builder, at, v.value, size));
  }
  if (llvm::all_of(multiples, [](Value m) { return knownIndexValue(m) == 1; }))
    return PyValue::tensor(*x);
  auto result = RankedTensorType::get(shape, type->getElementType());
  auto generate = tensor::GenerateOp::create(builder, at, result, dynamic);
  OpBuilder::InsertionGuard guard(builder);
  Block *body = builder.createBlock(
      &generate.getBody(), {},
      SmallVector<Type>(type->getRank(), builder.getIndexType()),
      SmallVector<Location>(type->getRank(), at));
  builder.setInsertionPointToStart(body);
  SmallVector<Value> indices;
  for (auto [d, i] : llvm::enumerate(body->getArguments()))
    indices.push_back(
        knownIndexValue(multiples[d]) == 1
            ? i
            : arith::RemUIOp::create(builder, at, i, sizes[d]).getResult());
  tensor::YieldOp::create(
      builder, at,
      tensor::ExtractOp::create(builder, at, *x, indices).getResult());
  return PyValue::tensor(generate.getResult());
}

/// The dtype TensorFlow gives `on_value` or `off_value` of tf.one_hot
/// (convert_to_tensor with `hint`, the `dtype` argument, as dtype_hint): a
/// Python int is int32 (the hint's type when that is a float or int64), a
/// float float32, a bool bool, a tensor its own; with the value as a
/// scalar tensor of that type. std::nullopt when the argument is None.
static FailureOr<std::optional<std::pair<Type, Value>>>
oneHotValue(ProgramBuilder &b, const BoundCall &call, llvm::StringRef param,
            Type hint) {
  using Result = std::optional<std::pair<Type, Value>>;
  if (!call.has(param))
    return Result();
  OpBuilder &builder = b.builder;
  Location at = b.loc(call.at(param));
  const json::Object &node = call.at(param);
  const json::Value *constant =
      node.getString("node") == "Constant" ? node.get("value") : nullptr;
  if (constant && constant->getAsBoolean()) {
    auto type = RankedTensorType::get({}, builder.getI1Type());
    return Result({builder.getI1Type(),
                   ConstantOp::create(builder, at,
                                      DenseElementsAttr::get(
                                          type, *constant->getAsBoolean()))});
  }
  FailureOr<const json::Object *> literal = b.numberOf(node);
  if (failed(literal))
    return failure();
  if (*literal && !(*literal)->getString("int")) {
    // A float: float32.
    FailureOr<std::optional<double>> number = call.number(param);
    if (failed(number))
      return failure();
    Type f32 = builder.getF32Type();
    return Result({f32, ConstantOp::create(builder, at,
                                           DenseElementsAttr::get(
                                               RankedTensorType::get({}, f32),
                                               (float)**number))});
  }
  if (*literal) {
    // An int: convert_to_tensor makes it int32, or int64 beyond int32's
    // range; a float or int64 hint is taken.
    FailureOr<std::optional<int64_t>> number = call.integer(param);
    if (failed(number))
      return failure();
    int64_t v = **number;
    Type type = hint && (isa<FloatType>(hint) || hint.isInteger(64)) ? hint
                : llvm::isInt<32>(v) ? builder.getI32Type()
                                     : builder.getI64Type();
    auto tensorType = RankedTensorType::get({}, type);
    Attribute value = isa<FloatType>(type)
                          ? Attribute(builder.getFloatAttr(type, (double)v))
                          : Attribute(builder.getIntegerAttr(type, v));
    return Result(
        {type, ConstantOp::create(builder, at,
                                  DenseElementsAttr::get(tensorType, value))});
  }
  FailureOr<Value> value = call.tensor(param);
  if (failed(value))
    return failure();
  auto type = dyn_cast<RankedTensorType>(value->getType());
  if (!type || type.getRank() != 0)
    return call.error(param, "must be a number, a bool or a scalar tensor "
                             "(TensorFlow's on_value and off_value are "
                             "scalars)");
  return Result({type.getElementType(), *value});
}

/// tf.one_hot(indices, depth, on_value=None, off_value=None, axis=None,
/// dtype=None): a last axis of `depth`, on_value where it equals the index
/// (an index out of [0, depth) is all off_value, as TensorFlow gives). The
/// dtype is array_ops.one_hot's: `dtype`, else on_value's, else
/// off_value's, else float32; the values must have it (TypeError in
/// TensorFlow).
FailureOr<PyValue> oneHot(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> indices = call.tensor("indices");
  if (failed(indices))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("indices", *indices);
  if (failed(type))
    return failure();
  Type element = type->getElementType();
  if (!element.isInteger(32) && !element.isInteger(64))
    return call.error("indices", "must be a tensor of int32 or int64, not " +
                                     typeText(*type) +
                                     " (tf.cast it to tf.int32)");
  // depth: an int known at import, or an integer known at run time
  // (`tf.reduce_max(ids) + 1`, found by helper-146), whose positions are
  // then made when the program runs.
  std::optional<int64_t> depth;
  FailureOr<Value> runTimePositions = runTimeRange(
      b, call, "depth", element, depth,
      "depth {0} is negative (TensorFlow raises InvalidArgumentError)");
  if (failed(runTimePositions))
    return failure();
  if (depth && *depth < 0)
    return call.error("depth", "must be an int, at least 0");
  FailureOr<std::optional<int64_t>> axis = call.integer("axis");
  if (failed(axis))
    return failure();
  if (*axis && **axis != -1 && **axis != type->getRank())
    return call.error("axis", "other than the last is not converted yet "
                              "(tf.transpose the result)");
  FailureOr<Type> given = call.dtype("dtype");
  if (failed(given))
    return failure();
  OpBuilder &builder = b.builder;
  Location at = b.loc(call.call);
  auto on = oneHotValue(b, call, "on_value", *given);
  if (failed(on))
    return failure();
  auto off = oneHotValue(b, call, "off_value", *given);
  if (failed(off))
    return failure();
  Type dtype = *given;
  for (auto [param, value] :
       {std::pair("on_value", &*on), std::pair("off_value", &*off)}) {
    if (!*value)
      continue;
    if (!dtype)
      dtype = (*value)->first;
    if ((*value)->first != dtype)
      return call.error(param, "is " + b.source(call.at(param)) + ", " +
                                   dtypeName((*value)->first) + ", where " +
                                   (*given ? "dtype" : "on_value") + " says " +
                                   dtypeName(dtype) +
                                   " (TensorFlow raises TypeError)");
  }
  if (!dtype)
    dtype = builder.getF32Type();
  if (!dtype.isF32() && !dtype.isInteger(32) && !dtype.isInteger(64) &&
      !dtype.isInteger(1))
    return call.error("dtype", dtypeName(dtype) + " is not converted yet "
                                                  "(float32, int32, int64 "
                                                  "and bool are)");
  // The hits: each index against 0 .. depth - 1, in the indices' type.
  Value column = insertUnits(b, at, *indices, {type->getRank()});
  Value positions = *runTimePositions;
  if (depth) {
    SmallVector<APInt> range;
    for (int64_t i = 0; i < *depth; ++i)
      range.push_back(APInt(element.getIntOrFloatBitWidth(), i));
    positions = ConstantOp::create(
        builder, at,
        DenseElementsAttr::get(RankedTensorType::get({*depth}, element),
                               range));
  }
  Type i1 = builder.getI1Type();
  FailureOr<Value> hit = b.typed(CompareOp::create(
      builder, at, UnrankedTensorType::get(i1),
      CompareKindAttr::get(builder.getContext(), CompareKind::eq), column,
      positions));
  if (failed(hit))
    return failure();
  auto fill = [&](bool onValue) -> Value {
    const std::optional<std::pair<Type, Value>> &value = onValue ? *on : *off;
    if (value)
      return value->second;
    auto scalar = RankedTensorType::get({}, dtype);
    Attribute v = isa<FloatType>(dtype)
                      ? Attribute(builder.getFloatAttr(dtype, onValue))
                      : Attribute(builder.getIntegerAttr(dtype, onValue));
    return ConstantOp::create(builder, at, DenseElementsAttr::get(scalar, v));
  };
  if (!dtype.isInteger(1))
    return tensorValue(
        b.typed(SelectOp::create(builder, at, UnrankedTensorType::get(dtype),
                                 *hit, fill(true), fill(false))));
  // Bools: (hit and on) or (not hit and off).
  auto logical = [&](LogicalKind kind, Value l, Value r) {
    return b.typed(LogicalOp::create(
        builder, at, UnrankedTensorType::get(i1),
        LogicalKindAttr::get(builder.getContext(), kind), l, r));
  };
  FailureOr<Value> miss =
      b.typed(NotOp::create(builder, at, hit->getType(), *hit));
  if (failed(miss))
    return failure();
  FailureOr<Value> onHit = logical(LogicalKind::And, *hit, fill(true));
  FailureOr<Value> offMiss = logical(LogicalKind::And, *miss, fill(false));
  if (failed(onHit) || failed(offMiss))
    return failure();
  return tensorValue(logical(LogicalKind::Or, *onHit, *offMiss));
}

/// tf.gather(params, indices, axis=None, batch_dims=0) of a 1-D or 2-D
/// params along axis 0 or 1: predict.embedding (each index checked to be
/// in range at run time), transposed for axis 1.
FailureOr<PyValue> gather(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> params = call.tensor("params");
  if (failed(params))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("params", *params);
  if (failed(type))
    return failure();
  OpBuilder &builder = b.builder;
  Location at = b.loc(call.call);
  // Indices: a tensor of ints, or a list of Python ints written in the
  // call.
  Value indices;
  const json::Object &given = call.at("indices");
  llvm::StringRef kind = given.getString("node").value_or("");
  if (kind == "List" || kind == "Tuple") {
    FailureOr<std::optional<SmallVector<int64_t>>> list =
        call.integers("indices");
    if (failed(list))
      return failure();
    indices = ConstantOp::create(
        builder, at,
        DenseElementsAttr::get(
            RankedTensorType::get({(int64_t)(*list)->size()},
                                  builder.getI64Type()),
            ArrayRef<int64_t>(**list)));
  } else {
    FailureOr<Value> t = call.tensor("indices");
    if (failed(t))
      return failure();
    indices = *t;
  }
  auto indexType = dyn_cast<RankedTensorType>(indices.getType());
  if (!indexType || !(indexType.getElementType().isInteger(32) ||
                      indexType.getElementType().isInteger(64)))
    return call.error("indices", "must be ints (a tensor of int32 or int64, "
                                 "or a list of ints), not " +
                                     typeText(indices.getType()));
  FailureOr<std::optional<int64_t>> batchDims = call.integer("batch_dims");
  if (failed(batchDims))
    return failure();
  if (**batchDims != 0)
    return call.error("batch_dims", "other than 0 is not converted yet");
  FailureOr<std::optional<int64_t>> axisArg = call.integer("axis");
  if (failed(axisArg))
    return failure();
  std::optional<int64_t> axis =
      normalizeAxis(axisArg->value_or(0), type->getRank());
  if (!axis)
    return call.error("axis", Twine(axisArg->value_or(0)) +
                                  " is out of range for " + typeText(*type));
  // The rows of a table (rank 2) at `indices`; named so that the run-time
  // range check speaks of tf.gather, not of an Embedding
  // (EmbeddingPattern.cpp).
  auto lookup = [&](Value table) {
    return b.typed(EmbeddingOp::create(
        builder, NameLoc::get(builder.getStringAttr("tf.gather"), at),
        UnrankedTensorType::get(type->getElementType()), indices, table));
  };
  // Rank 3 or more: the gathered axis first, the others as one column of
  // a table (rows along `axis`), gathered as rank 2, then the other axes
  // back in TensorFlow's order: params.shape[:axis] + indices.shape +
  // params.shape[axis+1:].
  if (type->getRank() > 2) {
    int64_t rank = type->getRank(), a = *axis;
    SmallVector<int64_t> front{a};
    for (int64_t d = 0; d < rank; ++d)
      if (d != a)
        front.push_back(d);
    FailureOr<Value> moved =
        a ? transposed(b, at, *params, front) : FailureOr<Value>(*params);
    if (failed(moved))
      return failure();
    auto movedType = cast<RankedTensorType>(moved->getType());
    SmallVector<ReassociationIndices> groups{{0}, {}};
    for (int64_t d = 1; d < rank; ++d)
      groups[1].push_back(d);
    FailureOr<Value> rows =
        lookup(tensor::CollapseShapeOp::create(builder, at, *moved, groups));
    if (failed(rows))
      return failure();
    // [indices..., rest] to [indices..., the other axes].
    int64_t r = indexType.getRank();
    SmallVector<ReassociationIndices> expand;
    SmallVector<OpFoldResult> sizes;
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < r; ++d) {
      expand.push_back({d});
      sizes.push_back(sizeAt(b, at, indices, d));
      shape.push_back(indexType.getDimSize(d));
    }
    expand.push_back({});
    for (int64_t d = 1; d < rank; ++d) {
      expand.back().push_back(r + d - 1);
      sizes.push_back(sizeAt(b, at, *moved, d));
      shape.push_back(movedType.getDimSize(d));
    }
    Value gathered = tensor::ExpandShapeOp::create(
        builder, at, RankedTensorType::get(shape, type->getElementType()),
        *rows, expand, sizes);
    if (a == 0)
      return PyValue::tensor(gathered);
    // params' axes before `axis` first, then the indices', then the rest.
    SmallVector<int64_t> perm;
    for (int64_t d = 0; d < a; ++d)
      perm.push_back(r + d);
    for (int64_t d = 0; d < r; ++d)
      perm.push_back(d);
    for (int64_t d = r + a; d < r + rank - 1; ++d)
      perm.push_back(d);
    return tensorValue(transposed(b, at, gathered, perm));
  }
  Value table = *params;
  if (type->getRank() == 1)
    table = insertUnits(b, at, table, {1});
  else if (*axis == 1) {
    FailureOr<Value> t = transposed(b, at, table, {1, 0});
    if (failed(t))
      return failure();
    table = *t;
  }
  FailureOr<Value> rows = lookup(table);
  if (failed(rows))
    return failure();
  int64_t r = indexType.getRank();
  if (type->getRank() == 1)
    return PyValue::tensor(dropUnits(b, at, *rows, {r}));
  if (*axis == 0)
    return PyValue::tensor(*rows);
  // Axis 1: the gathered columns last, as params' axis 1 was.
  SmallVector<int64_t> perm{r};
  for (int64_t d = 0; d < r; ++d)
    perm.push_back(d);
  return tensorValue(transposed(b, at, *rows, perm));
}

/// tf.gather_nd(params, indices, batch_dims=0): `indices` of shape I + [K]
/// (K known at import, 1 to params' rank) picks params[i_0, ..., i_K-1]
/// for each of I, giving I + params.shape[K:] (array_ops.gather_nd). Each
/// component is checked at run time to be in range of its axis
/// (TensorFlow's CPU kernel raises; a flat index alone would hide an
/// index past one axis's end); then the first K axes are one, indexed by
/// sum_j i_j * stride_j, and gathered as tf.gather's rows
/// (predict.embedding).
FailureOr<PyValue> gatherNd(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> params = call.tensor("params");
  FailureOr<Value> indices = failed(params) ? params : call.tensor("indices");
  if (failed(indices))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("params", *params);
  FailureOr<RankedTensorType> indexType =
      failed(type) ? type : call.ranked("indices", *indices);
  if (failed(indexType))
    return failure();
  FailureOr<std::optional<int64_t>> batchDims = call.integer("batch_dims");
  if (failed(batchDims))
    return failure();
  if (batchDims->value_or(0) != 0)
    return call.error("batch_dims", "other than 0 is not converted yet");
  Type element = indexType->getElementType();
  int64_t r = indexType->getRank();
  int64_t k = r ? indexType->getDimSize(r - 1) : ShapedType::kDynamic;
  if (!(element.isInteger(32) || element.isInteger(64)) || r == 0 ||
      ShapedType::isDynamic(k) || k < 1 || k > type->getRank())
    return call.error(
        "indices",
        "must be int32 or int64 of rank 1 or more whose last axis, known at "
        "import, has 1 to " +
            Twine(type->getRank()) + " elements (params' rank), not " +
            typeText(*indexType));
  OpBuilder &builder = b.builder;
  Location at = b.loc(call.call);
  Type i64 = builder.getI64Type();
  auto scalar = [&](Value size) -> Value {
    return tensor::FromElementsOp::create(
        builder, at, RankedTensorType::get({}, i64),
        ValueRange{arith::IndexCastOp::create(builder, at, i64, size)});
  };
  auto multiply = [&](Value l, Value rhs) {
    return b.typed(
        MulOp::create(builder, at, UnrankedTensorType::get(i64), l, rhs));
  };
  auto compare = [&](CompareKind kind, Value l, Value rhs) {
    return b.typed(CompareOp::create(
        builder, at, UnrankedTensorType::get(builder.getI1Type()),
        CompareKindAttr::get(builder.getContext(), kind), l, rhs));
  };
  // Component j of every index (indices[..., j]) as int64, checked in
  // range, and the flat index from the last component to the first.
  Value flat, inRange,
      stride = scalar(arith::ConstantIndexOp::create(builder, at, 1));
  Value zero = scalar(arith::ConstantIndexOp::create(builder, at, 0));
  for (int64_t j = k - 1; j >= 0; --j) {
    SmallVector<OpFoldResult> offsets(r, builder.getIndexAttr(0)), sizes,
        strides(r, builder.getIndexAttr(1));
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d + 1 < r; ++d) {
      sizes.push_back(sizeAt(b, at, *indices, d));
      shape.push_back(indexType->getDimSize(d));
    }
    offsets.back() = builder.getIndexAttr(j);
    sizes.push_back(builder.getIndexAttr(1));
    Value component = tensor::ExtractSliceOp::create(
        builder, at, RankedTensorType::get(shape, element), *indices, offsets,
        sizes, strides);
    if (!element.isInteger(64))
      component = CastOp::create(builder, at, RankedTensorType::get(shape, i64),
                                 component);
    Value axisSize = scalar(indexValue(b, at, sizeAt(b, at, *params, j)));
    FailureOr<Value> low = compare(CompareKind::ge, component, zero);
    FailureOr<Value> high =
        failed(low) ? low : compare(CompareKind::lt, component, axisSize);
    FailureOr<Value> both =
        failed(high)
            ? high
            : b.typed(LogicalOp::create(
                  builder, at, high->getType(),
                  LogicalKindAttr::get(builder.getContext(), LogicalKind::And),
                  *low, *high));
    if (failed(both))
      return failure();
    if (inRange) {
      both = b.typed(LogicalOp::create(
          builder, at, both->getType(),
          LogicalKindAttr::get(builder.getContext(), LogicalKind::And), inRange,
          *both));
      if (failed(both))
        return failure();
    }
    inRange = *both;
    FailureOr<Value> term =
        j == k - 1 ? FailureOr<Value>(component) : multiply(component, stride);
    FailureOr<Value> sum =
        failed(term) || !flat
            ? term
            : b.typed(AddOp::create(builder, at, UnrankedTensorType::get(i64),
                                    ValueRange{flat, *term}));
    if (failed(sum))
      return failure();
    flat = *sum;
    if (j) {
      FailureOr<Value> next = multiply(stride, axisSize);
      if (failed(next))
        return failure();
      stride = *next;
    }
  }
  if (failed(b.assertEvery(inRange, call.call, call.name(),
                           (call.name() + ": an index is out of range of "
                                          "params' axis it indexes "
                                          "(TensorFlow raises)")
                               .str())))
    return failure();
  // params as rows (its first k axes) of one column (the rest).
  int64_t rank = type->getRank();
  Value table = *params;
  if (k == rank)
    table = insertUnits(b, at, table, {rank});
  SmallVector<ReassociationIndices> groups{{}, {}};
  for (int64_t d = 0; d < k; ++d)
    groups[0].push_back(d);
  for (int64_t d = k; d < std::max(rank, k + 1); ++d)
    groups[1].push_back(d);
  table = tensor::CollapseShapeOp::create(builder, at, table, groups);
  FailureOr<Value> rows = b.typed(EmbeddingOp::create(
      builder, NameLoc::get(builder.getStringAttr("tf.gather_nd"), at),
      UnrankedTensorType::get(type->getElementType()), flat, table));
  if (failed(rows))
    return failure();
  // [I..., rest] to I + params.shape[k:].
  SmallVector<ReassociationIndices> expand;
  SmallVector<OpFoldResult> sizes;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d + 1 < r; ++d) {
    expand.push_back({d});
    sizes.push_back(sizeAt(b, at, *indices, d));
    shape.push_back(indexType->getDimSize(d));
  }
  if (k == rank) {
    if (expand.empty())
      return PyValue::tensor(tensor::CollapseShapeOp::create(
          builder, at, *rows, SmallVector<ReassociationIndices>{}));
    return PyValue::tensor(dropUnits(b, at, *rows, {r - 1}));
  }
  expand.push_back({});
  for (int64_t d = k; d < rank; ++d) {
    expand.back().push_back(r - 1 + d - k);
    sizes.push_back(sizeAt(b, at, *params, d));
    shape.push_back(type->getDimSize(d));
  }
  return PyValue::tensor(tensor::ExpandShapeOp::create(
      builder, at, RankedTensorType::get(shape, type->getElementType()), *rows,
      expand, sizes));
}

/// One operand of a contraction: its value and a letter naming each axis
/// (einsum's subscripts). Letters of an ellipsis broadcast as numpy's
/// leading axes do (a size 1 against any); the others must agree.
struct Term {
  Value value;
  std::string letters;
};

/// `t` with its axes in the order of `want` (a permutation of its
/// letters).
FailureOr<Value> inOrder(ProgramBuilder &b, Location at, const Term &t,
                         llvm::StringRef want) {
  SmallVector<int64_t> perm;
  bool identity = true;
  for (char l : want) {
    perm.push_back(t.letters.find(l));
    identity &= perm.back() == (int64_t)perm.size() - 1;
  }
  if (identity)
    return t.value;
  return transposed(b, at, t.value, perm);
}

/// `t` summed over its letters not in `keep` (predict.reduce); `t` itself
/// when it has none.
FailureOr<Term> sumExcept(ProgramBuilder &b, Location at, const Term &t,
                          llvm::StringRef keep) {
  SmallVector<int64_t> axes;
  std::string kept;
  for (auto [d, l] : llvm::enumerate(t.letters)) {
    if (keep.contains(l))
      kept += l;
    else
      axes.push_back(d);
  }
  if (axes.empty())
    return t;
  FailureOr<Value> sum = b.typed(ReduceOp::create(
      b.builder, at, cast<RankedTensorType>(t.value.getType()), ReduceKind::sum,
      t.value, b.builder.getDenseI64ArrayAttr(axes),
      /*keepdims=*/false));
  if (failed(sum))
    return failure();
  return Term{*sum, kept};
}

/// `a` and `c` contracted into the axes `out` (einsum's rule for two
/// operands, each letter once per operand): a letter of one operand only
/// and not in `out` is summed first; the letters of both are multiplied
/// pairwise and summed when not in `out`. A letter of both operands must
/// have one size in each (an error at import when both are known, else a
/// run-time check, as TensorFlow's einsum and tensordot raise), unless it
/// is in `broadcast` and one size is 1. One summed letter with at most
/// one free letter per operand is one predict.matmul (numpy's batched
/// rules); any other is a broadcast predict.mul summed by predict.reduce
/// (its product held whole: memory grows with every free letter).
FailureOr<Term>
contract(ProgramBuilder &b, const json::Object &node, llvm::StringRef fn,
         Term a, Term c, llvm::StringRef out, llvm::StringRef broadcast,
         llvm::function_ref<std::string(char)> named = nullptr) {
  Location at = b.loc(node);
  OpBuilder &builder = b.builder;
  auto in = [](llvm::StringRef s, char l) {
    return s.find(l) != llvm::StringRef::npos;
  };
  // Letters of one operand only, summed there first.
  for (auto [t, other] : {std::pair(&a, &c), std::pair(&c, &a)}) {
    FailureOr<Term> summed = sumExcept(b, at, *t, other->letters + out.str());
    if (failed(summed))
      return failure();
    *t = *summed;
  }
  // The letters of both: one size (or 1 where they broadcast).
  std::string batch, ks, ms, ns;
  auto aType = cast<RankedTensorType>(a.value.getType());
  auto cType = cast<RankedTensorType>(c.value.getType());
  for (auto [d, l] : llvm::enumerate(a.letters)) {
    size_t e = c.letters.find(l);
    if (e == std::string::npos) {
      ms += l;
      continue;
    }
    (in(out, l) ? batch : ks) += l;
    int64_t sa = aType.getDimSize(d), sc = cType.getDimSize(e);
    bool broadcasts = in(broadcast, l);
    std::string which = named        ? named(l)
                        : broadcasts ? std::string("an axis of the ellipsis")
                                     : std::string("the axis '") + l + "'";
    if (!ShapedType::isDynamic(sa) && !ShapedType::isDynamic(sc)) {
      if (sa != sc && !(broadcasts && (sa == 1 || sc == 1)))
        return b.error(node, fn + ": " + which + " has sizes " + Twine(sa) +
                                 " and " + Twine(sc) +
                                 " in the two operands (TensorFlow raises)");
      continue;
    }
    Value x = indexValue(b, at, sizeAt(b, at, a.value, d));
    Value y = indexValue(b, at, sizeAt(b, at, c.value, e));
    Value ok =
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, x, y);
    if (broadcasts) {
      Value one = arith::ConstantIndexOp::create(builder, at, 1);
      for (Value s : {x, y})
        ok = arith::OrIOp::create(
            builder, at, ok,
            arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, s,
                                  one));
    }
    AssertOp::create(builder, at, ok,
                     builder.getStringAttr(
                         braces((fn + ": " + which + " has sizes ").str()) +
                         "{0} and {1} in the two operands"),
                     ValueRange{x, y});
  }
  for (char l : c.letters)
    if (!in(a.letters, l))
      ns += l;
  bool matmul = ks.size() == 1 && ns.size() <= 1 &&
                (batch.empty() ? !(ms.empty() && ns.empty())
                               : ms.size() == 1 && ns.size() == 1);
  std::string aOrder = batch + ms + ks, cOrder = batch + ks + ns;
  if (!matmul)
    cOrder = batch + ns + ks;
  FailureOr<Value> l = inOrder(b, at, a, aOrder);
  FailureOr<Value> r = failed(l) ? l : inOrder(b, at, c, cOrder);
  if (failed(r))
    return failure();
  Term result{Value(), batch + ms + ns};
  Type element = aType.getElementType();
  if (matmul) {
    // batch, m, k times batch, k, n (a 1-D operand as numpy's matmul
    // takes it).
    FailureOr<Value> product = b.typed(MatmulOp::create(
        builder, at, UnrankedTensorType::get(element), *l, *r));
    if (failed(product))
      return failure();
    result.value = *product;
    return result;
  }
  // batch, m..., 1..., k... times batch, 1..., n..., k..., summed over
  // the k's.
  Value x = *l, y = *r;
  int64_t nb = batch.size(), nm = ms.size(), nn = ns.size();
  SmallVector<int64_t> units;
  for (int64_t i = 0; i < nn; ++i)
    units.push_back(nb + nm + i);
  if (!units.empty())
    x = insertUnits(b, at, x, units);
  units.clear();
  for (int64_t i = 0; i < nm; ++i)
    units.push_back(nb + i);
  if (!units.empty())
    y = insertUnits(b, at, y, units);
  FailureOr<Value> terms = b.typed(
      MulOp::create(builder, at, UnrankedTensorType::get(element), x, y));
  if (failed(terms))
    return failure();
  result.value = *terms;
  if (ks.empty())
    return result;
  SmallVector<int64_t> summed;
  for (int64_t i = 0; i < (int64_t)ks.size(); ++i)
    summed.push_back(nb + nm + nn + i);
  FailureOr<Value> sum = b.typed(ReduceOp::create(
      builder, at, cast<RankedTensorType>(terms->getType()), ReduceKind::sum,
      *terms, builder.getDenseI64ArrayAttr(summed), /*keepdims=*/false));
  if (failed(sum))
    return failure();
  result.value = *sum;
  return result;
}

/// tf.einsum(equation, *inputs): numpy's subscripts without repeated
/// letters in a term (traces and diagonals are errors), an ellipsis
/// standing for the leading axes (broadcast as numpy broadcasts them, so
/// in an explicit output when any operand has such axes), the implicit
/// output numpy's (the ellipsis, then the letters written once, in ASCII
/// order). One operand is summed and transposed; several are contracted
/// left to right, two at a time (contract), each step keeping the letters
/// of the output and of the operands after it.
FailureOr<PyValue> einsum(ProgramBuilder &b, const json::Object &node) {
  const json::Array *args = node.getArray("args");
  const json::Object *func = node.getObject("func");
  std::string name = func ? b.source(*func) : "tf.einsum";
  if (const json::Array *keywords = node.getArray("keywords"))
    for (const json::Value &k : *keywords) {
      const json::Object *kw = k.getAsObject();
      std::optional<llvm::StringRef> arg =
          kw ? kw->getString("arg") : std::nullopt;
      if (!arg || (*arg != "name" && *arg != "optimize"))
        return b.error(kw && kw->getObject("value") ? *kw->getObject("value")
                                                    : node,
                       name + " takes (equation, *inputs, optimize='greedy', "
                              "name=None) here");
    }
  if (!args || args->size() < 2)
    return b.error(node, name + " takes an equation and at least one operand");
  const json::Object *eqNode = (*args)[0].getAsObject();
  const json::Value *eqValue =
      eqNode && eqNode->getString("node") == "Constant" ? eqNode->get("value")
                                                        : nullptr;
  if (!eqValue || !eqValue->getAsString())
    return b.error(eqNode ? *eqNode : node,
                   name + ": the equation must be a string literal");
  std::string eq;
  llvm::StringRef eqText = *eqValue->getAsString();
  for (char c : eqText)
    if (c != ' ')
      eq += c;
  auto refused = [&](const Twine &why) {
    return b.error(*eqNode, name + ": '" + eq + "' " + why);
  };
  auto [inputs, output] = llvm::StringRef(eq).split("->");
  bool explicitOut = llvm::StringRef(eq).contains("->");
  SmallVector<llvm::StringRef> texts;
  inputs.split(texts, ',');
  size_t count = args->size() - 1;
  if (texts.size() != count)
    return refused("has " + Twine(texts.size()) + " operand terms for " +
                   Twine(count) + " operands (TensorFlow raises)");
  // Each operand, its ellipsis axes named by digits (right-aligned: the
  // last of `pool` for the one with fewest).
  SmallVector<Term> terms;
  SmallVector<int64_t> ellipsisAxes;
  int64_t most = 0;
  for (auto [k, text] : llvm::enumerate(texts)) {
    FailureOr<Value> v = b.tensor((*args)[k + 1]);
    if (failed(v))
      return failure();
    auto type = dyn_cast<RankedTensorType>(v->getType());
    const json::Object &at = *(*args)[k + 1].getAsObject();
    size_t dots = text.find("...");
    bool hasDots = dots != llvm::StringRef::npos;
    std::string letters =
        hasDots ? (text.take_front(dots) + text.drop_front(dots + 3)).str()
                : text.str();
    if (!llvm::all_of(letters, [](char c) { return llvm::isAlpha(c); }))
      return refused("has a term that is not letters and one ellipsis");
    if (!type || !isa<FloatType>(type.getElementType()) ||
        (hasDots ? type.getRank() < (int64_t)letters.size()
                 : type.getRank() != (int64_t)letters.size()))
      return b.error(at, name + ": the operand '" + text +
                             "' must be a float tensor of rank " +
                             (hasDots ? "at least " : "") +
                             Twine(letters.size()) + ", not " +
                             typeText(v->getType()));
    for (size_t i = 0; i < letters.size(); ++i)
      if (llvm::StringRef(letters).find(letters[i], i + 1) !=
          llvm::StringRef::npos)
        return refused("repeats a letter in one term (a trace or "
                       "diagonal), which predict does not convert yet");
    int64_t extra = hasDots ? type.getRank() - letters.size() : 0;
    if (extra > 10)
      return refused("has an ellipsis of more than 10 axes");
    most = std::max(most, extra);
    ellipsisAxes.push_back(hasDots ? (int64_t)dots : -1);
    terms.push_back({*v, letters});
  }
  std::string pool = std::string("0123456789").substr(0, most);
  for (auto [t, dots] : llvm::zip_equal(terms, ellipsisAxes))
    if (dots >= 0) {
      int64_t extra = cast<RankedTensorType>(t.value.getType()).getRank() -
                      t.letters.size();
      t.letters.insert(dots, pool.substr(most - extra));
    }
  std::string out;
  if (explicitOut) {
    size_t dots = output.find("...");
    out = output.str();
    if (dots != llvm::StringRef::npos)
      out.replace(dots, 3, pool);
    else if (most)
      return refused("has no ellipsis in its output for the operands' "
                     "leading axes (numpy raises)");
    if (!llvm::all_of(out, [](char c) { return llvm::isAlnum(c); }))
      return refused("has an output that is not letters and one ellipsis");
  } else {
    out = pool;
    std::string all;
    for (const Term &t : terms)
      all += t.letters;
    for (char c = 'A'; c <= 'z'; ++c)
      if (llvm::isAlpha(c) && llvm::count(all, c) == 1)
        out += c;
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (llvm::StringRef(out).find(out[i], i + 1) != llvm::StringRef::npos)
      return refused("repeats a letter in its output");
    if (llvm::none_of(terms, [&](const Term &t) {
          return t.letters.find(out[i]) != std::string::npos;
        }))
      return refused(std::string("has '") + out[i] +
                     "' in its output and in no operand");
  }
  Location at = b.loc(node);
  Term acc = terms[0];
  for (size_t k = 1; k < terms.size(); ++k) {
    // Kept: the letters of the output and of the operands after this one.
    std::string later = out;
    for (size_t j = k + 1; j < terms.size(); ++j)
      later += terms[j].letters;
    std::string kept;
    for (char c : acc.letters + terms[k].letters)
      if (later.find(c) != std::string::npos &&
          kept.find(c) == std::string::npos)
        kept += c;
    FailureOr<Term> next = contract(b, node, name, acc, terms[k], kept, pool);
    if (failed(next))
      return failure();
    acc = *next;
  }
  // (One operand: its letters not in the output summed.)
  FailureOr<Term> summed = sumExcept(b, at, acc, out);
  if (failed(summed))
    return failure();
  acc = *summed;
  return tensorValue(inOrder(b, at, acc, out));
}

/// tf.tensordot(a, b, axes): `axes` an int N (a's last N axes with b's
/// first N) or a pair of axis lists (`[[1], [0]]`, `[1, 0]`; negative
/// counted from the end), known at import; the result has a's other axes,
/// then b's, in order (math_ops.tensordot). A contraction (contract), each
/// pair of axes of one size.
FailureOr<PyValue> tensordot(ProgramBuilder &b, const BoundCall &call) {
  FailureOr<Value> x = call.tensor("a");
  FailureOr<Value> y = failed(x) ? x : call.tensor("b");
  if (failed(y))
    return failure();
  FailureOr<RankedTensorType> xType = call.ranked("a", *x);
  FailureOr<RankedTensorType> yType =
      failed(xType) ? xType : call.ranked("b", *y);
  if (failed(yType))
    return failure();
  for (auto [param, type] : {std::pair("a", *xType), std::pair("b", *yType)})
    if (!isa<FloatType>(type.getElementType()))
      return call.error(param, "must be a float tensor, not " + typeText(type) +
                                   " (tf.cast it to tf.float32 first)");
  // The axis lists, read as ints known at import.
  const json::Object &axesNode = call.at("axes");
  auto ints = [&](const json::Object &n) -> FailureOr<SmallVector<int64_t>> {
    llvm::StringRef kind = kindOf(n);
    SmallVector<const json::Object *> items;
    if (kind == "List" || kind == "Tuple")
      items = nodes(n.getArray("elts"));
    else
      items.push_back(&n);
    SmallVector<int64_t> out;
    for (const json::Object *item : items) {
      FailureOr<PyValue> v = b.expr(*item);
      if (failed(v))
        return failure();
      std::optional<int64_t> k =
          v->isIndex() ? knownIndexValue(v->value) : std::nullopt;
      if (!k)
        return b.error(*item, call.name() +
                                  ": axes must be an int or two lists of "
                                  "axes known at import");
      out.push_back(*k);
    }
    return out;
  };
  SmallVector<int64_t> xAxes, yAxes;
  llvm::StringRef kind = kindOf(axesNode);
  if (kind == "List" || kind == "Tuple") {
    SmallVector<const json::Object *> pair = nodes(axesNode.getArray("elts"));
    if (pair.size() != 2)
      return call.error("axes", "must be an int or a pair of axis lists "
                                "(TensorFlow raises ValueError)");
    FailureOr<SmallVector<int64_t>> first = ints(*pair[0]);
    FailureOr<SmallVector<int64_t>> second =
        failed(first) ? first : ints(*pair[1]);
    if (failed(second))
      return failure();
    xAxes = *first;
    yAxes = *second;
  } else {
    FailureOr<SmallVector<int64_t>> n = ints(axesNode);
    if (failed(n))
      return failure();
    int64_t count = n->front();
    if (count < 0 || count > xType->getRank() || count > yType->getRank())
      return call.error("axes", "is " + Twine(count) +
                                    ": it must be from 0 to the operands' "
                                    "ranks (" +
                                    Twine(xType->getRank()) + " and " +
                                    Twine(yType->getRank()) + ")");
    for (int64_t i = 0; i < count; ++i) {
      xAxes.push_back(xType->getRank() - count + i);
      yAxes.push_back(i);
    }
  }
  if (xAxes.size() != yAxes.size())
    return call.error("axes", "pairs " + Twine(xAxes.size()) +
                                  " axes of a "
                                  "with " +
                                  Twine(yAxes.size()) +
                                  " of b (TensorFlow raises)");
  // Letters: a's axes, then b's own; a contracted axis of b takes a's.
  std::string xl, yl, out;
  char next = 'a';
  for (int64_t d = 0; d < xType->getRank(); ++d)
    xl += next++;
  yl.assign(yType->getRank(), 0);
  for (auto [i, j] : llvm::zip_equal(xAxes, yAxes)) {
    int64_t ri = i < 0 ? i + xType->getRank() : i;
    int64_t rj = j < 0 ? j + yType->getRank() : j;
    if (ri < 0 || ri >= xType->getRank() || rj < 0 || rj >= yType->getRank())
      return call.error("axes", "has the pair (" + Twine(i) + ", " + Twine(j) +
                                    "), out of range for " + typeText(*xType) +
                                    " and " + typeText(*yType));
    if (yl.find(xl[ri]) != std::string::npos || yl[rj] != 0)
      return call.error("axes", "names an axis twice");
    yl[rj] = xl[ri];
  }
  // a's free axes (not paired), then b's (given letters of their own).
  for (char c : xl)
    if (yl.find(c) == std::string::npos)
      out += c;
  for (char &c : yl)
    if (c == 0) {
      c = next++;
      out += c;
    }
  Location at = b.loc(call.call);
  auto named = [&](char l) {
    int64_t i = xl.find(l), j = yl.find(l);
    return "axis " + std::to_string(i) + " of a paired with axis " +
           std::to_string(j) + " of b";
  };
  FailureOr<Term> product =
      contract(b, call.call, call.name(), {*x, xl}, {*y, yl}, out, "", named);
  if (failed(product))
    return failure();
  return tensorValue(inOrder(b, at, *product, out));
}

/// tf.math.top_k(input, k=1, sorted=True, index_type=tf.int32): `values`
/// and `indices` along the last axis, which has a size known at
/// import of at least k: k rounds of the largest remaining element
/// (predict.reduce max) and its first index (predict.arg_reduce, so of
/// equal values the lower index comes first, as TensorFlow orders them),
/// that element then masked out with -inf; the rounds are one scf.for
/// writing column i of both results.
FailureOr<std::pair<PyValue, PyValue>> topK(ProgramBuilder &b,
                                            const BoundCall &call) {
  FailureOr<Value> x = call.tensor("input");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("input", *x);
  if (failed(type))
    return failure();
  Type element = type->getElementType();
  if (!element.isF32() && !element.isInteger(32) && !element.isInteger(64))
    return call.error("input", "must be a tensor of float32, int32 or int64, "
                               "not " +
                                   typeText(*type));
  FailureOr<std::optional<int64_t>> k = call.integer("k");
  if (failed(k))
    return failure();
  FailureOr<bool> sorted = call.boolean("sorted");
  if (failed(sorted))
    return failure();
  FailureOr<Type> indexType = call.dtype("index_type");
  if (failed(indexType))
    return failure();
  Type index = *indexType ? *indexType : b.builder.getI32Type();
  if (!index.isInteger(32) && !index.isInteger(64))
    return call.error("index_type", "must be tf.int32 or tf.int64");
  int64_t rank = type->getRank();
  if (rank == 0 || type->isDynamicDim(rank - 1))
    return call.error("input", "must have a last axis of a size known at "
                               "import here, not " +
                                   typeText(*type));
  int64_t size = type->getDimSize(rank - 1);
  if (!*k || **k < 0 || **k > size)
    return call.error("k", "must be an int from 0 to the last axis's size " +
                               Twine(size));
  FailureOr<std::pair<Value, Value>> both =
      topKAlongLast(b, *x, **k, index, b.loc(call.call));
  if (failed(both))
    return failure();
  return std::pair(PyValue::tensor(both->first), PyValue::tensor(both->second));
}
} // namespace

FailureOr<std::pair<Value, Value>> python::topKAlongLast(ProgramBuilder &b,
                                                         Value x, int64_t k,
                                                         Type index,
                                                         Location at) {
  auto type = cast<RankedTensorType>(x.getType());
  Type element = type.getElementType();
  int64_t rank = type.getRank();
  int64_t size = type.getDimSize(rank - 1);
  OpBuilder &builder = b.builder;
  Type f32 = builder.getF32Type();
  SmallVector<float> range;
  for (int64_t i = 0; i < size; ++i)
    range.push_back(i);
  Value positions = ConstantOp::create(
      builder, at,
      DenseElementsAttr::get(RankedTensorType::get({size}, f32),
                             ArrayRef<float>(range)));
  // What a taken element becomes: below every value (-inf, or the
  // integer type's smallest, told apart from a real one by `untaken`).
  auto scalarType = RankedTensorType::get({}, element);
  Value lowest = ConstantOp::create(
      builder, at,
      isa<FloatType>(element)
          ? DenseElementsAttr::get(scalarType,
                                   -std::numeric_limits<float>::infinity())
          : DenseElementsAttr::get(
                scalarType,
                APInt::getSignedMinValue(element.getIntOrFloatBitWidth())));
  Type i1 = builder.getI1Type();
  auto compare = [&](CompareKind kind, Value l, Value r) {
    return b.typed(CompareOp::create(
        builder, at, UnrankedTensorType::get(i1),
        CompareKindAttr::get(builder.getContext(), kind), l, r));
  };
  auto logical = [&](LogicalKind kind, Value l, Value r) {
    return b.typed(LogicalOp::create(
        builder, at, UnrankedTensorType::get(i1),
        LogicalKindAttr::get(builder.getContext(), kind), l, r));
  };
  FailureOr<Value> xNaN = compare(CompareKind::ne, x, x);
  FailureOr<Value> xSame = failed(xNaN) ? xNaN : compare(CompareKind::eq, x, x);
  // Every position is untaken at first (x == x or x != x, x's shape).
  FailureOr<Value> everywhere =
      failed(xSame) ? xSame : logical(LogicalKind::Or, *xSame, *xNaN);
  if (failed(everywhere))
    return failure();
  // The k results along the last axis, written one round at a time: one
  // scf.for (its size does not grow with k), carrying the remaining values
  // (the taken ones -inf), the untaken positions and the results so far.
  SmallVector<int64_t> outShape(type.getShape());
  outShape.back() = k;
  SmallVector<Value> outSizes;
  for (int64_t d = 0; d + 1 < rank; ++d)
    if (type.isDynamicDim(d))
      outSizes.push_back(tensor::DimOp::create(builder, at, x, d));
  Value valuesOut =
      tensor::EmptyOp::create(builder, at, outShape, element, outSizes);
  Value indicesOut =
      tensor::EmptyOp::create(builder, at, outShape, f32, outSizes);
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  Value one = arith::ConstantIndexOp::create(builder, at, 1);
  Value rounds = arith::ConstantIndexOp::create(builder, at, k);
  auto loop =
      scf::ForOp::create(builder, at, zero, rounds, one,
                         ValueRange{x, *everywhere, valuesOut, indicesOut});
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(loop.getBody());
    Value i = loop.getInductionVar();
    Value rest = loop.getRegionIterArg(0);
    Value untaken = loop.getRegionIterArg(1);
    // The largest remaining value (the taken ones are -inf in `rest`; NaN
    // counts as the largest, as TensorFlow orders it) ...
    FailureOr<Value> top = b.typed(ReduceOp::create(
        builder, at, type, ReduceKind::max, rest,
        builder.getDenseI64ArrayAttr({rank - 1}), /*keepdims=*/true));
    if (failed(top))
      return failure();
    // ... and the first position not taken yet that holds it: a -inf
    // value and a taken (masked) one are told apart by `untaken`, so
    // equal values get distinct, rising indices.
    FailureOr<Value> same = compare(CompareKind::eq, x, *top);
    FailureOr<Value> topNaN = failed(same) ? FailureOr<Value>(failure())
                                           : compare(CompareKind::ne, *top, *top);
    FailureOr<Value> bothNaN = failed(topNaN)
                                   ? FailureOr<Value>(failure())
                                   : logical(LogicalKind::And, *xNaN, *topNaN);
    FailureOr<Value> holds = failed(bothNaN)
                                 ? FailureOr<Value>(failure())
                                 : logical(LogicalKind::Or, *same, *bothNaN);
    FailureOr<Value> candidate =
        failed(holds) ? holds : logical(LogicalKind::And, *holds, untaken);
    FailureOr<Value> candidateF =
        failed(candidate)
            ? candidate
            : b.typed(CastOp::create(builder, at, UnrankedTensorType::get(f32),
                                     *candidate));
    FailureOr<Value> where =
        failed(candidateF)
            ? FailureOr<Value>(failure())
            : b.typed(ArgReduceOp::create(
                  builder, at, UnrankedTensorType::get(index), ReduceKind::max,
                  *candidateF, rank - 1, /*keepdims=*/true));
    FailureOr<Value> whereF =
        failed(where) ? FailureOr<Value>(failure())
                      : b.typed(CastOp::create(
                            builder, at, UnrankedTensorType::get(f32), *where));
    // That position taken: -inf in the remaining values.
    FailureOr<Value> other =
        failed(whereF) ? whereF : compare(CompareKind::ne, *whereF, positions);
    FailureOr<Value> left =
        failed(other) ? other : logical(LogicalKind::And, *other, untaken);
    FailureOr<Value> masked =
        failed(left) ? left
                     : b.typed(SelectOp::create(builder, at, rest.getType(),
                                                *left, rest, lowest));
    // The element itself at that position (the maximum `top` does not
    // tell -0.0 from 0.0): the largest of x there and `lowest` elsewhere.
    FailureOr<Value> picked =
        failed(masked)
            ? masked
            : b.typed(SelectOp::create(builder, at, type, *other, lowest, x));
    FailureOr<Value> value =
        failed(picked)
            ? picked
            : b.typed(ReduceOp::create(
                  builder, at, type, ReduceKind::max, *picked,
                  builder.getDenseI64ArrayAttr({rank - 1}), /*keepdims=*/true));
    if (failed(value))
      return failure();
    // Column i of the results.
    SmallVector<OpFoldResult> offsets(rank, builder.getIndexAttr(0));
    offsets.back() = i;
    SmallVector<OpFoldResult> sizes, strides(rank, builder.getIndexAttr(1));
    for (int64_t d = 0; d + 1 < rank; ++d)
      sizes.push_back(tensor::getMixedSize(builder, at, x, d));
    sizes.push_back(builder.getIndexAttr(1));
    auto column = [&](Value v, Value into) -> Value {
      return tensor::InsertSliceOp::create(builder, at, v, into, offsets, sizes,
                                           strides);
    };
    scf::YieldOp::create(builder, at,
                         ValueRange{*masked, *left,
                                    column(*value, loop.getRegionIterArg(2)),
                                    column(*whereF, loop.getRegionIterArg(3))});
  }
  FailureOr<Value> indices = b.typed(CastOp::create(
      builder, at, UnrankedTensorType::get(index), loop.getResult(3)));
  if (failed(indices))
    return failure();
  return std::pair(loop.getResult(2), *indices);
}

/// tf.* functions of this file: which, and how.
enum class TensorOp {
  Reduce,
  ArgReduce,
  NumpyArgReduce,
  Cast,
  Compare,
  Logical,
  LogicalNot,
  Bitwise,
  Invert,
  Where,
  Clip,
  Square,
  Unary,
  Reshape,
  Transpose,
  Reverse,
  ExpandDims,
  Squeeze,
  Tile,
  OneHot,
  Gather,
  Pad,
  CountNonzero
};

std::optional<FailureOr<PyValue>>
python::tensorOpCall(ProgramBuilder &b, const json::Object &node,
                     llvm::StringRef callee) {
  llvm::StringRef name = callee;
  bool tf = name.consume_front("tensorflow.");
  if (tf)
    name.consume_front("math.");
  else if (!name.consume_front("numpy."))
    return std::nullopt;
  if (tf && (name == "einsum" || name == "linalg.einsum"))
    return einsum(b, node);
  if (tf && name == "gather_nd") {
    FailureOr<BoundCall> bound = bindArguments(b, node, *signatureOf(callee));
    if (failed(bound))
      return FailureOr<PyValue>(failure());
    return gatherNd(b, *bound);
  }
  if (tf && (name == "tensordot" || name == "linalg.tensordot")) {
    FailureOr<BoundCall> bound = bindArguments(b, node, *signatureOf(callee));
    if (failed(bound))
      return FailureOr<PyValue>(failure());
    return tensordot(b, *bound);
  }
  if (auto pieces = splitPieces(b, node)) {
    if (failed(*pieces))
      return FailureOr<PyValue>(failure());
    return FailureOr<PyValue>(b.knownList(node, **pieces));
  }
  // ($keras_input: the check the front end writes for a tf.keras.Input,
  // named so that no program can call it.)
  if (tf && (name == "ensure_shape" || name == "$keras_input")) {
    FailureOr<BoundCall> bound =
        bindArguments(b, node, *signatureOf("tensorflow.ensure_shape"));
    if (failed(bound))
      return FailureOr<PyValue>(failure());
    return ensureShape(b, *bound, /*kerasInput=*/name == "$keras_input");
  }
  // The functions that return a namedtuple: TopKV2 (`r.values`,
  // `r.indices`), Unique (`u.y`, `u.idx`), UniqueWithCounts (and
  // `u.count`); also `r[0]` and `v, i = r`.
  if (tf && (name == "top_k" || name == "nn.top_k" || name == "unique" ||
             name == "unique_with_counts")) {
    FailureOr<BoundCall> bound = bindArguments(b, node, *signatureOf(callee));
    if (failed(bound))
      return FailureOr<PyValue>(failure());
    SmallVector<Value> elements;
    SmallVector<std::string, 2> fields;
    if (name.ends_with("top_k")) {
      FailureOr<std::pair<PyValue, PyValue>> both = topK(b, *bound);
      if (failed(both))
        return FailureOr<PyValue>(failure());
      elements = {both->first.value, both->second.value};
      fields = {"values", "indices"};
    } else {
      bool counts = name == "unique_with_counts";
      FailureOr<SmallVector<Value>> unique = uniqueCall(b, *bound, counts);
      if (failed(unique))
        return FailureOr<PyValue>(failure());
      elements = std::move(*unique);
      fields = {"y", "idx"};
      if (counts)
        fields.push_back("count");
    }
    PyValue result = b.knownList(node, elements);
    result.list->fields = std::move(fields);
    return FailureOr<PyValue>(result);
  }
  std::optional<ReduceKind> reduceKind;
  std::optional<CompareKind> compareKind;
  std::optional<LogicalKind> logicalKind;
  std::optional<TensorOp> op;
  if (tf) {
    if (name == "reduce_variance" || name == "reduce_std") {
      FailureOr<BoundCall> bound = bindArguments(b, node, *signatureOf(callee));
      if (failed(bound))
        return FailureOr<PyValue>(failure());
      return varianceCall(b, *bound, /*root=*/name == "reduce_std");
    }
    if (name == "reduce_logsumexp") {
      FailureOr<BoundCall> bound = bindArguments(b, node, *signatureOf(callee));
      if (failed(bound))
        return FailureOr<PyValue>(failure());
      return logSumExpCall(b, *bound);
    }
    if (name == "nn.moments") {
      FailureOr<BoundCall> bound = bindArguments(b, node, *signatureOf(callee));
      if (failed(bound))
        return FailureOr<PyValue>(failure());
      FailureOr<SmallVector<Value>> both = momentsCall(b, *bound);
      if (failed(both))
        return FailureOr<PyValue>(failure());
      return FailureOr<PyValue>(b.knownList(node, *both));
    }
    if (name.consume_front("reduce_")) {
      reduceKind = symbolizeReduceKind(name);
      if (reduceKind)
        op = TensorOp::Reduce;
    } else if (name == "argmax" || name == "argmin") {
      op = TensorOp::ArgReduce;
      reduceKind = name == "argmax" ? ReduceKind::max : ReduceKind::min;
    } else if (name == "cast" || name == "dtypes.cast") {
      op = TensorOp::Cast;
    } else if ((compareKind =
                    llvm::StringSwitch<std::optional<CompareKind>>(name)
                        .Case("equal", CompareKind::eq)
                        .Case("not_equal", CompareKind::ne)
                        .Case("less", CompareKind::lt)
                        .Case("less_equal", CompareKind::le)
                        .Case("greater", CompareKind::gt)
                        .Case("greater_equal", CompareKind::ge)
                        .Default(std::nullopt))) {
      op = TensorOp::Compare;
    } else if ((logicalKind =
                    llvm::StringSwitch<std::optional<LogicalKind>>(name)
                        .Case("logical_and", LogicalKind::And)
                        .Case("logical_or", LogicalKind::Or)
                        .Case("logical_xor", LogicalKind::Xor)
                        .Default(std::nullopt))) {
      op = TensorOp::Logical;
    } else if (name == "logical_not") {
      op = TensorOp::LogicalNot;
    } else if ((logicalKind =
                    llvm::StringSwitch<std::optional<LogicalKind>>(name)
                        .Case("bitwise.bitwise_and", LogicalKind::And)
                        .Case("bitwise.bitwise_or", LogicalKind::Or)
                        .Case("bitwise.bitwise_xor", LogicalKind::Xor)
                        .Default(std::nullopt))) {
      op = TensorOp::Bitwise;
    } else if (name == "bitwise.invert") {
      op = TensorOp::Invert;
    } else if (name == "where") {
      op = TensorOp::Where;
    } else if (name == "clip_by_value") {
      op = TensorOp::Clip;
    } else if (name == "square") {
      op = TensorOp::Square;
    } else if (std::optional<TensorOp> shapeOp =
                   llvm::StringSwitch<std::optional<TensorOp>>(name)
                       .Case("reshape", TensorOp::Reshape)
                       .Case("transpose", TensorOp::Transpose)
                       .Case("reverse", TensorOp::Reverse)
                       .Case("expand_dims", TensorOp::ExpandDims)
                       .Case("squeeze", TensorOp::Squeeze)
                       .Case("tile", TensorOp::Tile)
                       .Case("one_hot", TensorOp::OneHot)
                       .Case("gather", TensorOp::Gather)
                       .Case("pad", TensorOp::Pad)
                       .Case("count_nonzero", TensorOp::CountNonzero)
                       .Default(std::nullopt)) {
      op = shapeOp;
    } else if (name == "rsqrt" || name == "log1p" || name == "erf" ||
               name == "sin" || name == "cos" || name == "floor" ||
               name == "ceil" || name == "round") {
      op = TensorOp::Unary;
    }
  } else if (name == "argmax" || name == "argmin") {
    op = TensorOp::NumpyArgReduce;
    reduceKind = name == "argmax" ? ReduceKind::max : ReduceKind::min;
  }
  if (!op)
    return std::nullopt;
  std::optional<llvm::StringRef> signature = signatureOf(callee);
  if (!signature)
    return std::nullopt;
  FailureOr<BoundCall> bound = bindArguments(b, node, *signature);
  if (failed(bound))
    return FailureOr<PyValue>(failure());
  const BoundCall &call = *bound;
  OpBuilder &builder = b.builder;
  Location at = b.loc(node);
  switch (*op) {
  case TensorOp::Reduce:
    return reduce(b, call, *reduceKind);
  case TensorOp::ArgReduce:
  case TensorOp::NumpyArgReduce:
    return argReduce(b, call, *reduceKind, *op == TensorOp::NumpyArgReduce);
  case TensorOp::Cast:
    return castCall(b, call);
  case TensorOp::Reshape:
    return reshape(b, call);
  case TensorOp::Transpose:
    return transposeCall(b, call);
  case TensorOp::Reverse:
    return reverseCall(b, call);
  case TensorOp::ExpandDims:
    return expandDims(b, call);
  case TensorOp::Squeeze:
    return squeeze(b, call);
  case TensorOp::Tile:
    return tile(b, call);
  case TensorOp::OneHot:
    return oneHot(b, call);
  case TensorOp::Gather:
    return gather(b, call);
  case TensorOp::Pad:
    return padCall(b, call);
  case TensorOp::CountNonzero:
    return countNonzero(b, call);
  case TensorOp::Compare: {
    FailureOr<Value> x = call.tensor("x"), y = failure();
    if (succeeded(x))
      y = call.tensor("y");
    if (failed(x) || failed(y) ||
        failed(b.numbersLike(call.call, *x, *y, call["x"], call["y"])))
      return FailureOr<PyValue>(failure());
    return tensorValue(b.typed(CompareOp::create(
        builder, at, UnrankedTensorType::get(builder.getI1Type()),
        CompareKindAttr::get(builder.getContext(), *compareKind), *x, *y)));
  }
  case TensorOp::Logical: {
    FailureOr<Value> x = boolTensor(call, "x"), y = failure();
    if (succeeded(x))
      y = boolTensor(call, "y");
    if (failed(x) || failed(y))
      return FailureOr<PyValue>(failure());
    return tensorValue(b.typed(LogicalOp::create(
        builder, at, UnrankedTensorType::get(builder.getI1Type()),
        LogicalKindAttr::get(builder.getContext(), *logicalKind), *x, *y)));
  }
  case TensorOp::Bitwise:
  case TensorOp::Invert: {
    // tf.bitwise's ops take integers (a number beside one takes its dtype);
    // TensorFlow's kernels refuse bools and floats.
    FailureOr<Value> x = call.tensor("x"), y = failure();
    if (succeeded(x) && *op == TensorOp::Bitwise) {
      y = call.tensor("y");
      if (succeeded(y) &&
          failed(b.numbersLike(call.call, *x, *y, call["x"], call["y"])))
        y = failure();
    }
    if (failed(x) || (*op == TensorOp::Bitwise && failed(y)))
      return FailureOr<PyValue>(failure());
    SmallVector<std::pair<llvm::StringRef, Value>> operands{{"x", *x}};
    if (*op == TensorOp::Bitwise)
      operands.push_back({"y", *y});
    for (auto [param, v] : operands) {
      Type t = getElementTypeOrSelf(v.getType());
      if (!t.isInteger(32) && !t.isInteger(64))
        return FailureOr<PyValue>(
            call.error(param, "is " + typeText(v.getType()) +
                                  ": tf.bitwise takes int32 or int64 tensors "
                                  "(TensorFlow raises for others)"));
    }
    if (*op == TensorOp::Invert)
      return tensorValue(b.typed(NotOp::create(builder, at, x->getType(), *x)));
    if (getElementTypeOrSelf(x->getType()) !=
        getElementTypeOrSelf(y->getType()))
      return FailureOr<PyValue>(call.error(
          "y", "is " + typeText(y->getType()) + " beside x of " +
                   typeText(x->getType()) +
                   " (TensorFlow raises for two dtypes: tf.cast one)"));
    return tensorValue(b.typed(LogicalOp::create(
        builder, at,
        UnrankedTensorType::get(getElementTypeOrSelf(x->getType())),
        LogicalKindAttr::get(builder.getContext(), *logicalKind), *x, *y)));
  }
  case TensorOp::LogicalNot: {
    FailureOr<Value> x = boolTensor(call, "x");
    if (failed(x))
      return FailureOr<PyValue>(failure());
    return tensorValue(b.typed(NotOp::create(builder, at, x->getType(), *x)));
  }
  case TensorOp::Where: {
    if (call.has("x") != call.has("y"))
      return FailureOr<PyValue>(b.error(
          node, call.name() + ": x and y must both be given or both be None "
                              "(TensorFlow raises ValueError)"));
    FailureOr<Value> c = boolTensor(call, "condition");
    // tf.where(condition): the coordinates of its true elements.
    if (!call.has("x"))
      return failed(c) ? FailureOr<PyValue>(failure())
                       : whereIndices(b, call, *c);
    FailureOr<Value> x = failed(c) ? FailureOr<Value>(failure())
                                   : call.tensor("x");
    FailureOr<Value> y = failed(x) ? FailureOr<Value>(failure())
                                   : call.tensor("y");
    if (failed(y))
      return FailureOr<PyValue>(failure());
    // Two Python ints (`tf.where(c, 1, 0)`): TensorFlow makes them int32
    // (int64 when one does not fit), not floats.
    FailureOr<const json::Object *> xNumber = b.numberOf(call.at("x")),
                                    yNumber = b.numberOf(call.at("y"));
    if (failed(xNumber) || failed(yNumber))
      return FailureOr<PyValue>(failure());
    if (*xNumber && *yNumber && !(*xNumber)->getString("float") &&
        !(*yNumber)->getString("float")) {
      FailureOr<int64_t> xi = b.integerValue(call.at("x"), **xNumber),
                         yi = b.integerValue(call.at("y"), **yNumber);
      if (failed(xi) || failed(yi))
        return FailureOr<PyValue>(failure());
      bool narrow = llvm::isInt<32>(*xi) && llvm::isInt<32>(*yi);
      Type element = narrow ? builder.getI32Type() : builder.getI64Type();
      auto scalarType = RankedTensorType::get({}, element);
      auto constant = [&](int64_t v) -> Value {
        return ConstantOp::create(
            builder, at,
            DenseElementsAttr::get(scalarType,
                                   builder.getIntegerAttr(element, v)));
      };
      *x = constant(*xi);
      *y = constant(*yi);
    }
    if (failed(b.numbersLike(call.call, *x, *y, call["x"], call["y"])))
      return FailureOr<PyValue>(failure());
    return tensorValue(b.typed(SelectOp::create(
        builder, at,
        UnrankedTensorType::get(
            cast<TensorType>(x->getType()).getElementType()),
        *c, *x, *y)));
  }
  case TensorOp::Clip: {
    // tf.clip_by_value(t, clip_value_min, clip_value_max).
    FailureOr<Value> t = call.tensor("t");
    if (failed(t))
      return FailureOr<PyValue>(failure());
    Type element = cast<TensorType>(t->getType()).getElementType();
    if (element.isInteger(1))
      return FailureOr<PyValue>(call.error(
          "t", "must be a tensor of numbers, not " + typeText(t->getType())));
    Value v = *t;
    // An integer known only at run time clipped by integers is int32, as
    // TensorFlow has it (its bounds then take that type below).
    if (runTimeInteger(v)) {
      FailureOr<const json::Object *> n = b.numberOf(call.at("clip_value_min"));
      if (failed(n))
        return FailureOr<PyValue>(failure());
      if (!*n || (*n)->getString("int")) {
        FailureOr<Value> low = call.tensor("clip_value_min");
        if (failed(low) || failed(b.numbersLike(call.call, v, *low, call["t"],
                                                call["clip_value_min"])))
          return FailureOr<PyValue>(failure());
        element = cast<TensorType>(v.getType()).getElementType();
      }
    }
    // Numbers beside floats are predict.clip's bounds; tensors, and
    // numbers beside integers (which take t's type, as TensorFlow converts
    // them; a float literal is an error), maximum or minimum ops. Applied
    // in TensorFlow's order (clip_ops.py: minimum with clip_value_max,
    // then maximum with clip_value_min), so that with min > max every
    // element is min, as TensorFlow gives (numpy's np.clip gives max).
    bool integer = isa<IntegerType>(element);
    struct Bound {
      FloatAttr number;
      Value tensor;
    };
    Bound bounds[2]; // clip_value_min, clip_value_max
    for (auto [i, param] : llvm::enumerate(std::array<llvm::StringRef, 2>{
             "clip_value_min", "clip_value_max"})) {
      FailureOr<const json::Object *> n = b.numberOf(call.at(param));
      if (failed(n))
        return FailureOr<PyValue>(failure());
      if (*n && !integer) {
        FailureOr<std::optional<double>> d = call.number(param);
        if (failed(d))
          return FailureOr<PyValue>(failure());
        // float32, as TensorFlow converts the bound to t's dtype.
        bounds[i].number = builder.getF64FloatAttr(
            static_cast<double>(static_cast<float>(**d)));
        continue;
      }
      FailureOr<Value> bound = call.tensor(param);
      if (failed(bound) ||
          failed(b.numbersLike(call.call, v, *bound, call["t"], call[param])))
        return FailureOr<PyValue>(failure());
      // TensorFlow keeps t's shape (clip_ops.py asserts the result's shape
      // is compatible with t's): a bound broadcasts to t, never t to it.
      auto tType = dyn_cast<RankedTensorType>(v.getType());
      auto boundType = dyn_cast<RankedTensorType>(bound->getType());
      if (tType && boundType) {
        int64_t offset = tType.getRank() - boundType.getRank();
        bool fits = offset >= 0;
        for (int64_t d = 0; fits && d < boundType.getRank(); ++d) {
          int64_t size = boundType.getDimSize(d),
                  tSize = tType.getDimSize(d + offset);
          fits = size == 1 || ShapedType::isDynamic(size) ||
                 ShapedType::isDynamic(tSize) || size == tSize;
        }
        if (!fits)
          return FailureOr<PyValue>(call.error(
              param, "of " + typeText(boundType) +
                         " does not broadcast to t's shape, " +
                         typeText(tType) +
                         " (TensorFlow raises ValueError: the result has "
                         "t's shape)"));
      }
      bounds[i].tensor = *bound;
    }
    for (bool isMin : {false, true}) {
      const Bound &bound = bounds[isMin ? 0 : 1];
      Operation *m;
      if (bound.number)
        m = ClipOp::create(builder, at, v, isMin ? bound.number : FloatAttr(),
                           isMin ? FloatAttr() : bound.number);
      else if (isMin)
        m = MaximumOp::create(builder, at, v.getType(), v, bound.tensor);
      else
        m = MinimumOp::create(builder, at, v.getType(), v, bound.tensor);
      FailureOr<Value> r = b.typed(m);
      if (failed(r))
        return FailureOr<PyValue>(failure());
      v = *r;
    }
    return PyValue::tensor(v);
  }
  case TensorOp::Square: {
    // Floats and integers (wrapping, as TensorFlow's).
    FailureOr<Value> x = call.tensor("x");
    if (failed(x))
      return FailureOr<PyValue>(failure());
    if (cast<TensorType>(x->getType()).getElementType().isInteger(1))
      return FailureOr<PyValue>(call.error(
          "x", "must be a tensor of numbers, not " + typeText(x->getType())));
    return tensorValue(
        b.typed(MulOp::create(builder, at, x->getType(), *x, *x)));
  }
  case TensorOp::Unary: {
    FailureOr<Value> x = floatTensor(call, "x");
    if (failed(x))
      return FailureOr<PyValue>(failure());
    Type t = x->getType();
    Operation *u =
        name == "rsqrt"   ? RsqrtOp::create(builder, at, t, *x).getOperation()
        : name == "log1p" ? Log1pOp::create(builder, at, t, *x).getOperation()
        : name == "erf"   ? ErfOp::create(builder, at, t, *x).getOperation()
        : name == "sin"   ? SinOp::create(builder, at, t, *x).getOperation()
        : name == "floor" ? FloorOp::create(builder, at, t, *x).getOperation()
        : name == "ceil"  ? CeilOp::create(builder, at, t, *x).getOperation()
        : name == "round" ? RoundOp::create(builder, at, t, *x).getOperation()
                          : CosOp::create(builder, at, t, *x).getOperation();
    return tensorValue(b.typed(u));
  }
  }
  return std::nullopt;
}

/// Whether `call` is of a tf.* function that returns a namedtuple
/// (tensorOpCall).
static bool returnsNamedTuple(const json::Object &call) {
  const json::Object *func = call.getObject("func");
  std::optional<llvm::StringRef> callee =
      func ? func->getString("qualified") : std::nullopt;
  return callee && llvm::is_contained(
                       {"tensorflow.math.top_k", "tensorflow.nn.top_k",
                        "tensorflow.unique", "tensorflow.unique_with_counts"},
                       *callee);
}

std::optional<FailureOr<PyValue>>
python::tensorAttribute(ProgramBuilder &b, const json::Object &node) {
  const json::Object *value = node.getObject("value");
  if (!value)
    return std::nullopt;
  // Only a call that returns a namedtuple, or a name bound to one, is read
  // here: any other attribute base is left to the callers that know it.
  llvm::StringRef kind = value->getString("node").value_or("");
  if (kind == "Name") {
    auto it = b.scope->env.find(value->getString("id").value_or(""));
    if (it == b.scope->env.end() || !it->second.isList() ||
        it->second.list->fields.empty())
      return std::nullopt;
  } else if (kind != "Call" || !returnsNamedTuple(*value)) {
    return std::nullopt;
  }
  FailureOr<PyValue> tuple = b.expr(*value);
  if (failed(tuple))
    return FailureOr<PyValue>(failure());
  const ListValue &list = *tuple->list;
  llvm::StringRef attr = node.getString("attr").value_or("");
  for (auto [field, element] : llvm::zip_equal(list.fields, list.elements))
    if (field == attr)
      return FailureOr<PyValue>(PyValue::tensor(element));
  return FailureOr<PyValue>(
      b.error(node, "'" + b.source(node) + "': the result of " +
                        namedTupleSource(b, list) + " has the fields " +
                        llvm::join(list.fields, ", ") + ", not " + attr +
                        " (Python raises AttributeError)"));
}

std::string python::namedTupleSource(ProgramBuilder &b, const ListValue &list) {
  const json::Object *func = list.node ? list.node->getObject("func") : nullptr;
  return func ? b.source(*func) : "the call";
}

std::optional<FailureOr<SmallVector<PyValue>>>
python::tensorResults(ProgramBuilder &b, const json::Object &call) {
  if (auto pieces = splitPieces(b, call)) {
    if (failed(*pieces))
      return FailureOr<SmallVector<PyValue>>(failure());
    SmallVector<PyValue> results;
    for (Value p : **pieces)
      results.push_back(PyValue::tensor(p));
    return FailureOr<SmallVector<PyValue>>(std::move(results));
  }
  // (tf.nn.moments returns a plain tuple.)
  const json::Object *func = call.getObject("func");
  if (!returnsNamedTuple(call) &&
      !(func && func->getString("qualified") == "tensorflow.nn.moments"))
    return std::nullopt;
  FailureOr<PyValue> tuple = b.expr(call);
  if (failed(tuple))
    return FailureOr<SmallVector<PyValue>>(failure());
  SmallVector<PyValue> results;
  for (Value e : tuple->list->elements)
    results.push_back(PyValue::tensor(e));
  return FailureOr<SmallVector<PyValue>>(std::move(results));
}

Value python::insertUnitAxes(ProgramBuilder &b, Location at, Value x,
                             ArrayRef<int64_t> units) {
  return insertUnits(b, at, x, units);
}

Value python::dropUnitAxes(ProgramBuilder &b, Location at, Value x,
                           ArrayRef<int64_t> units) {
  return dropUnits(b, at, x, units);
}
