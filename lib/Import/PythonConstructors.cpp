//===- PythonConstructors.cpp - tf.zeros, tf.ones, tf.fill, *_like --------===//
//
// Tensors made from a shape in converted code: `tf.zeros((1, 6))`,
// `tf.ones([n, 4], tf.int32)`, `tf.fill((n, 2), 0.5)`, `tf.zeros_like(x)`,
// `np.zeros((n, 3))`. A shape is a list or tuple written in the call (each
// size an int known at import or an integer known at run time, such as
// `tf.shape(x)[0] * 2`), a single int, a module constant or hyperparameter
// tuple (`SHAPE`, `self.shape`), or `x.shape` / `tf.shape(x)` of a tensor.
// Each is one `predict.fill` (a float tensor) whose dynamic sizes are
// operands, then a `predict.cast` for another dtype
// (docs/PythonSource.md, tf.* functions).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
struct Constructor {
  const char *qualified;
  const char *signature;
  /// The fill value for zeros/ones; NaN for tf.fill/np.full (an argument).
  double value;
  /// *_like: the shape (and default dtype) of a tensor argument.
  bool like;
  /// numpy's: its default dtype is float64, computed as float32.
  bool numpy;
};

const Constructor kConstructors[] = {
    {"tensorflow.zeros", "zeros(shape, dtype=tf.float32, name=None, layout=None)",
     0.0, false, false},
    {"tensorflow.ones", "ones(shape, dtype=tf.float32, name=None, layout=None)",
     1.0, false, false},
    {"tensorflow.fill", "fill(dims, value, name=None, layout=None)", NAN, false,
     false},
    {"tensorflow.zeros_like",
     "zeros_like(input, dtype=None, name=None, layout=None)", 0.0, true, false},
    {"tensorflow.ones_like",
     "ones_like(input, dtype=None, name=None, layout=None)", 1.0, true, false},
    {"numpy.zeros", "zeros(shape, dtype=None, order='C', like=None)", 0.0,
     false, true},
    {"numpy.ones", "ones(shape, dtype=None, order='C', like=None)", 1.0, false,
     true},
    {"numpy.full",
     "full(shape, fill_value, dtype=None, order='C', like=None)", NAN, false,
     true},
    {"numpy.zeros_like",
     "zeros_like(a, dtype=None, order='K', subok=True, shape=None)", 0.0, true,
     true},
    {"numpy.ones_like",
     "ones_like(a, dtype=None, order='K', subok=True, shape=None)", 1.0, true,
     true},
};

/// The sizes of a shape argument: static sizes in `shape`, the `index`
/// values of the dynamic ones in `dynamic` (in order).
struct Sizes {
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamic;
};

/// Adds `v` (an `index`) as one size; an error at `item` for a negative
/// one known at import.
LogicalResult addSize(ProgramBuilder &b, Sizes &out, Value v,
                      const json::Object &item, llvm::StringRef fn) {
  if (std::optional<int64_t> k = knownIndexValue(v)) {
    if (*k < 0)
      return b.error(item, fn + ": the size " + llvm::Twine(*k) +
                               " is negative (TensorFlow and numpy raise)");
    out.shape.push_back(*k);
    return success();
  }
  // Known only at run time: checked there (a negative size would make an
  // allocation of a negative byte count).
  Location at = b.loc(item);
  Value zero = arith::ConstantIndexOp::create(b.builder, at, 0);
  AssertOp::create(
      b.builder, at,
      arith::CmpIOp::create(b.builder, at, arith::CmpIPredicate::sge, v, zero),
      b.builder.getStringAttr(fn + ": the size '" + braces(b.source(item)) +
                              "' is negative (TensorFlow and numpy raise)"),
      ValueRange{});
  out.shape.push_back(ShapedType::kDynamic);
  out.dynamic.push_back(v);
  return success();
}

FailureOr<Sizes> shapeOf(ProgramBuilder &b, const json::Object &node,
                         llvm::StringRef fn) {
  Sizes out;
  OpBuilder &builder = b.builder;
  Location at = b.loc(node);
  // x.shape, tf.shape(x): the sizes of a tensor (PythonShapes.cpp).
  if (auto sizes = b.shapeSizes(node)) {
    if (failed(*sizes))
      return failure();
    for (const PyValue &size : **sizes) {
      if (std::optional<int64_t> known = knownIndexValue(size.value)) {
        out.shape.push_back(*known);
        continue;
      }
      out.shape.push_back(ShapedType::kDynamic);
      out.dynamic.push_back(size.value);
    }
    return out;
  }
  // A tuple or list known at import (a module constant, a hyperparameter).
  if (const json::Value *known = b.knownValue(node)) {
    const json::Array *items = known->getAsArray();
    if (const json::Object *o = known->getAsObject()) {
      items = o->getArray("tuple") ? o->getArray("tuple") : o->getArray("list");
      if (!items && o->getString("int")) {
        int64_t v;
        if (o->getString("int")->getAsInteger(10, v))
          return b.error(node, fn + ": the size does not fit in 64 bits");
        if (failed(addSize(b, out, arith::ConstantIndexOp::create(builder, at, v),
                           node, fn)))
          return failure();
        return out;
      }
    }
    if (!items)
      return b.error(node, fn + ": the shape " + pythonRepr(*known) +
                               " is not a tuple or list of ints");
    for (const json::Value &e : *items) {
      const json::Object *o = e.getAsObject();
      int64_t v;
      if (!o || !o->getString("int") ||
          o->getString("int")->getAsInteger(10, v))
        return b.error(node, fn + ": the shape " + pythonRepr(*known) +
                                 " is not a tuple or list of ints");
      if (failed(addSize(b, out, arith::ConstantIndexOp::create(builder, at, v),
                         node, fn)))
        return failure();
    }
    return out;
  }
  // A tuple or list the function built (`shape = (tf.shape(x)[0], 2)`,
  // `dims.append(4)`, `[n] + [2]`, `x.shape[1:]`): its elements as the
  // program made them; else one int, a vector of that size.
  if (kindOf(&node) != "List" && kindOf(&node) != "Tuple") {
    FailureOr<PyValue> whole = b.expr(node);
    if (failed(whole))
      return failure();
    if (whole->isKnownList()) {
      for (PyValue v : ProgramBuilder::listItems(*whole->list)) {
        b.scalarToInteger(v, at);
        if (!v.isIndex())
          return b.error(node, fn + ": a size of the shape '" + b.source(node) +
                                   "' is not an integer (a literal, "
                                   "x.shape[1], tf.shape(x)[0], arithmetic "
                                   "of them)");
        if (failed(addSize(b, out, v.value, node, fn)))
          return failure();
      }
      return out;
    }
    // A vector of sizes (`tf.shape(x)[1:]`, `tf.concat([tf.shape(x)[:1],
    // [4]], 0)`): its sizes.
    if (whole->isTensor())
      if (std::optional<SmallVector<Value>> sizes =
              vectorSizes(b.builder, at, whole->value)) {
        for (Value size : *sizes)
          if (failed(addSize(b, out, size, node, fn)))
            return failure();
        return out;
      }
    // One int: a vector of that size (the value already read).
    PyValue v = *whole;
    if (v.value)
      b.scalarToInteger(v, at);
    if (!v.isIndex())
      return b.error(node, fn +
                               ": a size of the shape must be an integer "
                               "(a literal, x.shape[1], tf.shape(x)[0], "
                               "arithmetic of them), not '" +
                               b.source(node) + "'");
    if (failed(addSize(b, out, v.value, node, fn)))
      return failure();
    return out;
  }
  SmallVector<const json::Object *> items;
  if (kindOf(&node) == "List" || kindOf(&node) == "Tuple") {
    for (const json::Value &e : *node.getArray("elts"))
      items.push_back(e.getAsObject());
  } else {
    items.push_back(&node); // one int: a vector of that size
  }
  for (const json::Object *item : items) {
    if (!item)
      return b.error(node, fn + ": the shape has an element that is not a "
                               "node");
    FailureOr<const json::Object *> number = b.numberOf(*item);
    if (failed(number))
      return failure();
    FailureOr<PyValue> v = failure();
    if (!*number || (*number)->getString("int"))
      v = b.expr(*item);
    else
      v = PyValue::tensor(Value());
    if (failed(v))
      return failure();
    if (v->value)
      b.scalarToInteger(*v, b.loc(*item));
    if (!v->isIndex())
      return b.error(*item, fn + ": a size of the shape must be an integer "
                                 "(a literal, x.shape[1], tf.shape(x)[0], "
                                 "arithmetic of them), not '" +
                                 b.source(*item) + "'");
    if (failed(addSize(b, out, v->value, *item, fn)))
      return failure();
  }
  return out;
}

/// tf.broadcast_to(input, shape, name=None): `input` broadcast (numpy's
/// rules, axes aligned from the last) to exactly `shape`. A size of the
/// input that is neither 1 nor the shape's is TensorFlow's
/// InvalidArgumentError: at import when both are known, else a located
/// run-time check. Built as predict.select of an all-true mask of the
/// shape, so that every element (NaN, -0.0, any dtype) is kept exactly.
FailureOr<PyValue> broadcastTo(ProgramBuilder &b, const json::Object &node) {
  FailureOr<BoundCall> call =
      bindArguments(b, node, "broadcast_to(input, shape, name=None)");
  if (failed(call))
    return failure();
  llvm::StringRef fn = call->name();
  FailureOr<Value> x = call->tensor("input");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> ranked = call->ranked("input", *x);
  if (failed(ranked))
    return failure();
  RankedTensorType type = *ranked;
  FailureOr<Sizes> sizes = shapeOf(b, call->at("shape"), fn);
  if (failed(sizes))
    return failure();
  int64_t rank = sizes->shape.size(), lead = rank - type.getRank();
  if (lead < 0)
    return call->error("input", "has " + Twine(type.getRank()) +
                                    " axes, more than the shape's " +
                                    Twine(rank) + " (TensorFlow raises)");
  OpBuilder &builder = b.builder;
  Location at = b.loc(node);
  // The dynamic sizes in axis order, to compare each axis of the input.
  SmallVector<Value> target;
  for (int64_t d = 0, next = 0; d < rank; ++d)
    target.push_back(ShapedType::isDynamic(sizes->shape[d])
                         ? sizes->dynamic[next++]
                         : Value());
  for (int64_t d = 0; d < type.getRank(); ++d) {
    int64_t have = type.getDimSize(d), want = sizes->shape[lead + d];
    if (have == 1)
      continue;
    if (!type.isDynamicDim(d) && !ShapedType::isDynamic(want)) {
      if (have != want)
        return call->error("input", "of type " + typeText(type) +
                                        " does not broadcast to the shape "
                                        "at axis " +
                                        Twine(d) + " (" + Twine(have) +
                                        " is neither 1 nor " + Twine(want) +
                                        "; TensorFlow raises)");
      continue;
    }
    Value size = DimOp::create(builder, at, *x, d);
    Value wanted = target[lead + d]
                       ? target[lead + d]
                       : arith::ConstantIndexOp::create(builder, at, want);
    Value one = arith::ConstantIndexOp::create(builder, at, 1);
    Value fits = arith::OrIOp::create(
        builder, at,
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, size,
                              wanted),
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, size,
                              one));
    AssertOp::create(builder, at, fits,
                     builder.getStringAttr(
                         "'" + braces(b.source(node)) +
                         "': the input's size "
                         "at axis " +
                         std::to_string(d) +
                         " is neither 1 nor the shape's (TensorFlow raises "
                         "InvalidArgumentError)"),
                     ValueRange{});
  }
  Value ones = FillOp::create(
      builder, at, RankedTensorType::get(sizes->shape, builder.getF32Type()),
      builder.getF64FloatAttr(1.0), sizes->dynamic);
  FailureOr<Value> mask = b.typed(CastOp::create(
      builder, at, UnrankedTensorType::get(builder.getI1Type()), ones));
  if (failed(mask))
    return failure();
  // (predict.select takes numbers; bools are `mask and x`.)
  FailureOr<Value> result =
      type.getElementType().isInteger(1)
          ? b.typed(LogicalOp::create(
                builder, at, UnrankedTensorType::get(builder.getI1Type()),
                LogicalKindAttr::get(builder.getContext(), LogicalKind::And),
                *mask, *x))
          : b.typed(SelectOp::create(
                builder, at, UnrankedTensorType::get(type.getElementType()),
                *mask, *x, *x));
  if (failed(result))
    return failure();
  return PyValue::tensor(*result);
}

/// tf.size(input, out_type=tf.int32, name=None): the number of elements,
/// a scalar of out_type (int32 or int64).
FailureOr<PyValue> sizeCall(ProgramBuilder &b, const json::Object &node) {
  FailureOr<BoundCall> call =
      bindArguments(b, node, "size(input, out_type=tf.int32, name=None)");
  if (failed(call))
    return failure();
  FailureOr<Value> x = call->tensor("input");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> ranked = call->ranked("input", *x);
  if (failed(ranked))
    return failure();
  RankedTensorType type = *ranked;
  FailureOr<Type> outType = call->dtype("out_type");
  if (failed(outType))
    return failure();
  Type element = *outType ? *outType : b.builder.getI32Type();
  if (!element.isInteger(32) && !element.isInteger(64))
    return call->error("out_type", "must be tf.int32 or tf.int64");
  OpBuilder &builder = b.builder;
  Location at = b.loc(node);
  // The product of the sizes, checked against 64 bits (as Python's
  // integers would be) and against out_type (TensorFlow raises: "Number
  // of elements was larger than representable by 32-bit output type").
  int64_t known = 1;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!type.isDynamicDim(d) &&
        llvm::MulOverflow(known, type.getDimSize(d), known))
      return call->error("input", "has more elements than 64 bits count");
  Value total = arith::ConstantIndexOp::create(builder, at, known);
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      total = b.checkedIndex(node, "Mult", total,
                             DimOp::create(builder, at, *x, d));
  if (std::optional<int64_t> known = knownIndexValue(total);
      known && element.isInteger(32) &&
      *known > std::numeric_limits<int32_t>::max())
    return call->error("input", "has " + Twine(*known) +
                                    " elements, more than int32 holds "
                                    "(TensorFlow raises): give "
                                    "out_type=tf.int64");
  if (element.isInteger(32) && !knownIndexValue(total))
    AssertOp::create(
        builder, at,
        arith::CmpIOp::create(
            builder, at, arith::CmpIPredicate::sle, total,
            arith::ConstantIndexOp::create(
                builder, at, std::numeric_limits<int32_t>::max())),
        builder.getStringAttr("'" + braces(b.source(node)) +
                              "': the element count is more than int32 "
                              "holds (TensorFlow raises): give "
                              "out_type=tf.int64"),
        ValueRange{});
  Value cast = arith::IndexCastOp::create(builder, at, element, total);
  return PyValue::tensor(tensor::FromElementsOp::create(
      builder, at, RankedTensorType::get({}, element), cast));
}
} // namespace

std::optional<FailureOr<PyValue>>
ProgramBuilder::constructorCall(const json::Object &node,
                                llvm::StringRef callee) {
  if (callee == "tensorflow.broadcast_to")
    return broadcastTo(*this, node);
  if (callee == "tensorflow.size")
    return sizeCall(*this, node);
  if (callee == "tensorflow.range")
    return rangeCall(*this, node);
  if (callee == "tensorflow.shape")
    return shapeVector(node);
  if (callee == "tensorflow.boolean_mask")
    return booleanMaskCall(*this, node);
  if (callee == "tensorflow.sequence_mask")
    return sequenceMaskCall(*this, node);
  const Constructor *c = nullptr;
  for (const Constructor &k : kConstructors)
    if (callee == k.qualified)
      c = &k;
  if (!c)
    return std::nullopt;
  FailureOr<BoundCall> bound = bindArguments(*this, node, c->signature);
  if (failed(bound))
    return failure();
  llvm::StringRef fn = bound->name();
  bool hasDtype = llvm::any_of(bound->signature.params, [](const Parameter &p) {
    return p.name == "dtype";
  });
  auto dtypeGiven = [&] { return hasDtype && bound->has("dtype"); };
  Location at = loc(node);
  Type f32 = builder.getF32Type();
  // layout= (DTensor) and numpy's like= change where the array lives;
  // order= and subok= do not change the values.
  for (llvm::StringRef hint : {"layout", "like"})
    if (llvm::any_of(bound->signature.params,
                     [&](const Parameter &p) { return p.name == hint; }) &&
        bound->has(hint))
      return bound->error(hint, "is not converted (leave it out)");

  Sizes sizes;
  Type dtype = f32;
  if (c->like) {
    llvm::StringRef param = c->numpy ? "a" : "input";
    FailureOr<Value> x = bound->tensor(param);
    if (failed(x))
      return failure();
    auto type = dyn_cast<RankedTensorType>(x->getType());
    if (!type)
      return bound->error(param, "must have a rank known at import here");
    dtype = type.getElementType();
    if (c->numpy && bound->has("shape"))
      return bound->error("shape", "is not converted (leave it out)");
    for (int64_t d = 0; d < type.getRank(); ++d) {
      sizes.shape.push_back(type.getDimSize(d));
      if (type.isDynamicDim(d))
        sizes.dynamic.push_back(DimOp::create(builder, at, *x, d));
    }
  } else {
    llvm::StringRef param = callee == "tensorflow.fill" ? "dims" : "shape";
    FailureOr<Sizes> s = shapeOf(*this, bound->at(param), fn);
    if (failed(s))
      return failure();
    sizes = *s;
  }
  if (dtypeGiven()) {
    FailureOr<Type> t = bound->dtype("dtype");
    if (failed(t))
      return failure();
    dtype = *t;
  }
  // The value: a number known at import is the fill's attribute; a tensor
  // of one element is added to a fill of zeros (numpy's broadcasting).
  double value = c->value;
  Value added;
  // An integer literal, exactly (float32 holds integers exactly only
  // below 2**24).
  std::optional<int64_t> integer;
  if (std::isnan(c->value)) {
    llvm::StringRef param = c->numpy ? "fill_value" : "value";
    const json::Object &v = bound->at(param);
    FailureOr<const json::Object *> n = numberOf(v);
    if (failed(n))
      return failure();
    if (*n) {
      FailureOr<llvm::APFloat> f = floatValue(v, **n, /*single=*/false);
      if (failed(f))
        return failure();
      value = f->convertToDouble();
      if ((*n)->getString("int")) {
        FailureOr<int64_t> i = integerValue(v, **n);
        if (failed(i))
          return failure();
        integer = *i;
      }
      // tf.fill's dtype is its value's: an int literal makes int32, or
      // int64 when it does not fit (as tf.constant converts it); numpy's
      // for a Python int is int64.
      if (integer && !dtypeGiven())
        dtype = !c->numpy && llvm::isInt<32>(*integer) ? builder.getI32Type()
                                                       : builder.getI64Type();
    } else if (FailureOr<PyValue> given = expr(v); failed(given)) {
      return failure();
    } else if (std::optional<double> d = pythonFloat(*given)) {
      // A Python float (`z = -0.0`): as a literal.
      value = *d;
    } else {
      FailureOr<Value> t = failure();
      if (given->isIndex()) {
        // An integer known at run time (`tf.shape(x)[0] * k`): exactly, as
        // int32 for TensorFlow (checked to fit, TensorFlow's int32 would
        // wrap) and int64 for numpy. A Python int known at import (`k =
        // 2**40`, `sizes[0]`) is converted as a literal is: int64 when it
        // does not fit in int32.
        std::optional<int64_t> known = knownIndexValue(given->value);
        bool wide =
            c->numpy || (known && !llvm::isInt<32>(*known) && !dtypeGiven());
        t = integerScalar(v, *given,
                          wide ? builder.getI64Type() : builder.getI32Type(),
                          "tf.fill's dtype for a Python int");
      } else {
        t = tensorOf(*given, v);
      }
      if (failed(t))
        return failure();
      auto type = dyn_cast<RankedTensorType>(t->getType());
      if (!type || type.getNumElements() != 1)
        return bound->error(param, "must be a number or a tensor of one "
                                   "element");
      Type element = type.getElementType();
      if (!(element.isF32() || element.isInteger(32) ||
            element.isInteger(64)) ||
          (dtypeGiven() && element != dtype))
        return bound->error(param, "must be a float32, int32 or int64 "
                                   "tensor of the fill's dtype here "
                                   "(tf.cast it), not " +
                                       typeText(type));
      dtype = element;
      // -0.0 + v is v for every float v (0.0 + -0.0 would be 0.0).
      value = -0.0;
      added = *t;
    }
  }
  if (!(dtype.isF32() || dtype.isInteger(1) || dtype.isInteger(32) ||
        dtype.isInteger(64)))
    return bound->error("dtype", "must be float32, int32, int64 or bool");
  // An integer value of an integer dtype is added after the cast.
  bool exactInteger =
      integer && *integer != 0 && (dtype.isInteger(32) || dtype.isInteger(64));
  if (exactInteger && dtype.isInteger(32) && !llvm::isInt<32>(*integer))
    return bound->error(c->numpy ? "fill_value" : "value",
                        std::to_string(*integer) +
                            " does not fit in int32 (numpy and TensorFlow "
                            "raise)");
  Value result = FillOp::create(
      builder, at, RankedTensorType::get(sizes.shape, f32),
      builder.getF64FloatAttr(exactInteger ? 0.0 : value), sizes.dynamic);
  // An integer tensor value is added after the cast, exactly.
  Value addedAfterCast;
  if (added && !getElementTypeOrSelf(added.getType()).isF32())
    std::swap(added, addedAfterCast);
  if (added) {
    FailureOr<Value> sum = typed(binaryOp("Add")(builder, at, result, added));
    if (failed(sum))
      return failure();
    // The one-element value broadcast keeps the fill's shape.
    if ((*sum).getType() != result.getType()) {
      auto want = cast<RankedTensorType>(result.getType());
      auto got = cast<RankedTensorType>((*sum).getType());
      if (got.getRank() != want.getRank())
        return bound->error(c->numpy ? "fill_value" : "value",
                            "has more axes than the shape");
    }
    result = *sum;
  }
  if (dtype != f32) {
    FailureOr<Value> cast = typed(
        CastOp::create(builder, at, UnrankedTensorType::get(dtype), result));
    if (failed(cast))
      return failure();
    result = *cast;
  }
  if (addedAfterCast) {
    FailureOr<Value> sum =
        typed(binaryOp("Add")(builder, at, result, addedAfterCast));
    if (failed(sum))
      return failure();
    if (cast<RankedTensorType>(sum->getType()).getRank() !=
        cast<RankedTensorType>(result.getType()).getRank())
      return bound->error(c->numpy ? "fill_value" : "value",
                          "has more axes than the shape");
    result = *sum;
  }
  if (exactInteger) {
    auto scalar = RankedTensorType::get({}, dtype);
    Value v = ConstantOp::create(
        builder, at,
        DenseElementsAttr::get(
            scalar, llvm::APInt(dtype.getIntOrFloatBitWidth(), *integer,
                                /*isSigned=*/true)));
    FailureOr<Value> sum = typed(binaryOp("Add")(builder, at, result, v));
    if (failed(sum))
      return failure();
    result = *sum;
  }
  // numpy's are numpy arrays (PythonArrays.cpp).
  return PyValue::tensor(c->numpy ? markNdarray(result) : result);
}
