//===- PythonIndexing.cpp - Python's indexing of tensors ------------------===//
//
// `x[i]`, `x[:, 0]`, `x[..., -1]`, `x[::2]`, `x[1:-1, 2:]`: numpy's basic
// indexing, which TensorFlow's `__getitem__` follows, as one rank-reducing
// `tensor.extract_slice`. The bounds are computed with Python's rules in
// `index` arithmetic, folded where they are known at import: an integer
// counts from the end when negative and must be in range (an error at the
// subscript when known, a located run-time check otherwise); a slice's
// bounds count from the end when negative and clamp to the axis; its step
// is a constant, a negative one a predict.reverse of the slice with the
// opposite step (docs/PythonSource.md, Indexing).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
/// `...` as the reader writes it (a Constant whose value is
/// {"ellipsis": true}).
bool isEllipsis(const json::Object *node) {
  if (kindOf(node) != "Constant")
    return false;
  const json::Object *v = node->getObject("value");
  return v && v->get("ellipsis");
}

/// A Constant `None` (also what `tf.newaxis` is).
bool isNone(const json::Object *node) {
  if (!node)
    return false;
  if (node->getString("qualified") == "tensorflow.newaxis" ||
      node->getString("qualified") == "numpy.newaxis")
    return true;
  const json::Value *v = node->get("value");
  return kindOf(node) == "Constant" && v && v->kind() == json::Value::Null;
}

/// A slice bound or step left out (absent, or written `None`).
bool omittedPart(const json::Object &slice, llvm::StringRef field) {
  const json::Value *v = slice.get(field);
  if (!v || v->kind() == json::Value::Null)
    return true;
  return isNone(v->getAsObject());
}
} // namespace

FailureOr<PyValue>
ProgramBuilder::indexing(const json::Object &node, Value x,
                         ArrayRef<const json::Object *> parts) {
  auto type = dyn_cast<RankedTensorType>(x.getType());
  if (!type)
    return error(node, "indexing '" + source(node) +
                           "' needs a tensor of known rank");
  // s[i] of `s = tf.shape(x)` with i known at import: the size, an
  // integer as tf.shape(x)[i] is (an int32 tensor in TensorFlow).
  if (std::optional<SmallVector<Value>> sizes = shapeVectorSizes(x);
      sizes && parts.size() == 1 && parts[0] && kindOf(parts[0]) != "Slice")
    if (std::optional<int64_t> i = importInteger(*parts[0])) {
      int64_t count = sizes->size();
      if (*i < -count || *i >= count)
        return error(node, "index " + llvm::Twine(*i) + " in '" + source(node) +
                               "' is out of range for a shape "
                               "of " +
                               llvm::Twine(count) +
                               " sizes (TensorFlow raises)");
      return PyValue::int32Index((*sizes)[*i < 0 ? *i + count : *i]);
    }
  // s[1:], tf.shape(x)[:-1]: the sizes the slice picks, again a shape
  // vector (an int32 tensor in TensorFlow), which tf.zeros and friends
  // read as sizes.
  if (std::optional<SmallVector<Value>> sizes = shapeVectorSizes(x);
      sizes && parts.size() == 1 && parts[0] && kindOf(parts[0]) == "Slice") {
    std::optional<int64_t> bounds[3];
    if (!sliceBounds(node, bounds, /*report=*/true))
      return failure();
    Location at = loc(node);
    SmallVector<Value> elements;
    for (int64_t i : slicePicks(sizes->size(), bounds))
      elements.push_back(arith::IndexCastOp::create(
          builder, at, type.getElementType(), (*sizes)[i]));
    auto vector = tensor::FromElementsOp::create(
        builder, at,
        RankedTensorType::get({int64_t(elements.size())},
                              type.getElementType()),
        elements);
    vector->setAttr(kShapeVector, builder.getUnitAttr());
    return PyValue::tensor(vector);
  }
  int64_t rank = type.getRank();
  int64_t ellipses = 0, given = 0;
  for (const json::Object *p : parts) {
    if (!p)
      return error(node, "the program JSON has a bad subscript");
    if (isEllipsis(p)) {
      ++ellipses;
      continue;
    }
    if (isNone(p))
      continue;
    ++given;
  }
  // A new axis (None, tf.newaxis) is a size-1 axis of the result where it
  // stands: its position counts the result's axes before it (a slice and
  // `...`'s axes make one each, an integer none).
  SmallVector<int64_t> newAxes;
  {
    int64_t out = 0;
    for (const json::Object *p : parts) {
      if (isNone(p))
        newAxes.push_back(out++);
      else if (isEllipsis(p))
        out += std::max<int64_t>(rank - given, 0);
      else if (kindOf(p) == "Slice")
        ++out;
    }
    if (!newAxes.empty()) {
      SmallVector<const json::Object *> kept;
      for (const json::Object *p : parts)
        if (!isNone(p))
          kept.push_back(p);
      if (given <= rank) {
        FailureOr<PyValue> sliced = indexing(node, x, kept);
        if (failed(sliced))
          return failure();
        return PyValue::tensor(
            insertUnitAxes(*this, loc(node), sliced->value, newAxes));
      }
    }
  }
  if (ellipses > 1)
    return error(node, "'" + source(node) +
                           "' has more than one '...' (numpy raises "
                           "IndexError: an index can only have a single "
                           "ellipsis)");
  if (given > rank)
    return error(node, "'" + source(node) + "' indexes " +
                           llvm::Twine(given) + " axes of a tensor of rank " +
                           llvm::Twine(rank) +
                           " (Python raises IndexError: too many indices)");
  // One part per axis: `...` stands for as many `:` as the others leave.
  SmallVector<const json::Object *> axes;
  for (const json::Object *p : parts) {
    if (isEllipsis(p))
      axes.append(rank - given, nullptr);
    else
      axes.push_back(p);
  }
  axes.resize(rank, nullptr);

  Location at = loc(node);
  auto constant = [&](int64_t v) -> Value {
    return constantIndex(v, at).value;
  };
  auto select = [&](Value c, Value a, Value b) -> Value {
    return builder.createOrFold<arith::SelectOp>(at, c, a, b);
  };
  auto cmp = [&](arith::CmpIPredicate p, Value a, Value b) -> Value {
    return builder.createOrFold<arith::CmpIOp>(at, p, a, b);
  };
  auto add = [&](Value a, Value b) -> Value {
    return builder.createOrFold<arith::AddIOp>(at, a, b);
  };
  auto sub = [&](Value a, Value b) -> Value {
    return builder.createOrFold<arith::SubIOp>(at, a, b);
  };
  SmallVector<OpFoldResult> offsets, sizes, strides;
  SmallVector<int64_t> shape, reversed; // reversed: result axes
  SmallVector<OpFoldResult> kept;        // the result's sizes
  for (auto [d, part] : llvm::enumerate(axes)) {
    int64_t axis = d;
    const json::Object *p = part; // a plain variable: lambdas capture it
    Value n = builder.createOrFold<DimOp>(at, x,
                                          builder.getI64IntegerAttr(axis));
    std::optional<int64_t> size =
        type.isDynamicDim(axis) ? std::nullopt
                                : std::optional(type.getDimSize(axis));
    if (!p || (kindOf(p) == "Slice" && omittedPart(*p, "lower") &&
               omittedPart(*p, "upper") && omittedPart(*p, "step"))) {
      offsets.push_back(builder.getIndexAttr(0));
      sizes.push_back(getAsOpFoldResult(n));
      strides.push_back(builder.getIndexAttr(1));
      shape.push_back(type.getDimSize(axis));
      kept.push_back(sizes.back());
      continue;
    }
    if (kindOf(p) != "Slice") {
      // An integer: that element, its axis dropped.
      FailureOr<PyValue> v = expr(*p);
      if (failed(v))
        return failure();
      // One integer in a tensor (`x[tf.argmax(s)]`): its value, as an
      // integer known at run time (checked in range below).
      if (v->isTensor() && !scalarToInteger(*v, loc(*p))) {
        auto type = dyn_cast<TensorType>(v->value.getType());
        // x[mask]: TensorFlow's __getitem__ is tf.boolean_mask(x, mask)
        // for a bool tensor (array_ops._slice_helper).
        if (type && type.getElementType().isInteger(1) && parts.size() == 1 &&
            isa<RankedTensorType>(type))
          return python::booleanMask(
              *this, loc(node), "'" + source(node) + "'", x, v->value,
              /*axis=*/0, [&](const llvm::Twine &message) {
                return error(*p, "'" + source(node) + "': the mask " + message);
              });
        return error(*p, "indexing by a tensor ('" + source(*p) +
                             "') is converted for one int32 or int64 "
                             "element only: use tf.gather for a tensor "
                             "of indices");
      }
      if (!v->isIndex())
        return error(*p, "an index must be an integer (a constant, a loop "
                         "variable, x.shape[0] or tf.shape(x)[0]), not '" +
                             source(*p) + "'");
      std::optional<int64_t> i = knownIndexValue(v->value);
      Value offset;
      if (i && size) {
        if (*i < -*size || *i >= *size)
          return error(*p, "index " + llvm::Twine(*i) +
                               " is out of range for axis " +
                               llvm::Twine(axis) + " of size " +
                               llvm::Twine(*size) +
                               " in '" + source(node) +
                               "' (Python raises IndexError)");
        offset = constant(*i < 0 ? *i + *size : *i);
      } else {
        Value zero = constant(0);
        offset = select(cmp(arith::CmpIPredicate::slt, v->value, zero),
                        add(v->value, n), v->value);
        Value ok = builder.createOrFold<arith::AndIOp>(
            at, cmp(arith::CmpIPredicate::sge, offset, zero),
            cmp(arith::CmpIPredicate::slt, offset, n));
        std::string text = braces(source(node));
        AssertOp::create(builder, at, ok,
                         builder.getStringAttr(
                             "index {0} is out of range for axis " +
                             std::to_string(axis) + " of size {1} in '" +
                             text + "' (Python raises IndexError)"),
                         ValueRange{v->value, n});
      }
      offsets.push_back(getAsOpFoldResult(offset));
      sizes.push_back(builder.getIndexAttr(1));
      strides.push_back(builder.getIndexAttr(1));
      continue;
    }
    // A slice lower:upper:step, its bounds clamped as Python clamps them.
    int64_t step = 1;
    if (!omittedPart(*p, "step")) {
      const json::Object *s = p->getObject("step");
      FailureOr<PyValue> v = expr(*s);
      if (failed(v))
        return failure();
      std::optional<int64_t> known =
          v->isIndex() ? knownIndexValue(v->value) : std::nullopt;
      if (!known)
        return error(*s, "the step of a slice must be an integer known at "
                         "import, not '" +
                             source(*s) + "'");
      if (*known == 0)
        return error(*s, "slice step cannot be zero (Python raises "
                         "ValueError)");
      step = *known;
    }
    auto bound = [&](llvm::StringRef field,
                     Value whenOmitted) -> FailureOr<Value> {
      if (omittedPart(*p, field))
        return whenOmitted;
      FailureOr<Value> b = sliceBound(*p->get(field));
      if (failed(b))
        return failure();
      if (step < 0) {
        // Python's bounds for a negative step: negative counts from the
        // end, then clamped to [-1, n - 1] (-1: before the first element).
        Value minusOne = constant(-1);
        Value fromEnd =
            builder.createOrFold<arith::MaxSIOp>(at, add(*b, n), minusOne);
        Value clamped =
            builder.createOrFold<arith::MinSIOp>(at, *b, sub(n, constant(1)));
        return select(cmp(arith::CmpIPredicate::slt, *b, constant(0)),
                      fromEnd, clamped);
      }
      // Negative counts from the end; then clamped to [0, n] (sizes are
      // never negative: a bound of 0 is 0).
      Value zero = constant(0);
      if (std::optional<int64_t> known = knownIndexValue(*b)) {
        if (*known == 0)
          return zero;
        if (*known > 0)
          return builder.createOrFold<arith::MinSIOp>(at, *b, n);
        return builder.createOrFold<arith::MaxSIOp>(at, add(*b, n), zero);
      }
      Value fromEnd = builder.createOrFold<arith::MaxSIOp>(
          at, add(*b, n), zero);
      Value clamped = builder.createOrFold<arith::MinSIOp>(at, *b, n);
      return select(cmp(arith::CmpIPredicate::slt, *b, zero), fromEnd,
                    clamped);
    };
    // A negative step walks from `lower` (default: the last element) down
    // to `upper` (default: before the first): the same elements as the
    // positive step |step| from the last one reached, then reversed.
    bool backward = step < 0;
    int64_t stride = backward ? -step : step;
    FailureOr<Value> lower =
        bound("lower", backward ? sub(n, constant(1)) : constant(0));
    if (failed(lower))
      return failure();
    FailureOr<Value> upper = bound("upper", backward ? constant(-1) : n);
    if (failed(upper))
      return failure();
    Value length = builder.createOrFold<arith::MaxSIOp>(
        at, backward ? sub(*lower, *upper) : sub(*upper, *lower), constant(0));
    if (stride != 1)
      length = builder.createOrFold<arith::DivUIOp>(
          at, add(length, constant(stride - 1)), constant(stride));
    Value first = *lower;
    if (backward) {
      // The last element reached; 0 for an empty slice (any offset in
      // range will do).
      Value span = builder.createOrFold<arith::MulIOp>(
          at, sub(length, constant(1)), constant(stride));
      first = select(cmp(arith::CmpIPredicate::eq, length, constant(0)),
                     constant(0), sub(*lower, span));
      reversed.push_back(shape.size());
    }
    offsets.push_back(getAsOpFoldResult(first));
    OpFoldResult extent = getAsOpFoldResult(length);
    sizes.push_back(extent);
    strides.push_back(builder.getIndexAttr(stride));
    shape.push_back(getConstantIntValue(extent).value_or(ShapedType::kDynamic));
    kept.push_back(extent);
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  // An input with an axis known to be empty has an empty result (an index
  // into that axis is an error above): tensor.extract_slice's verifier
  // refuses any offset into a size-0 axis, so nothing is extracted.
  if (llvm::is_contained(type.getShape(), 0)) {
    SmallVector<Value> dynamic;
    for (auto [extent, dim] : llvm::zip_equal(kept, shape))
      if (ShapedType::isDynamic(dim))
        dynamic.push_back(getValueOrCreateConstantIndexOp(builder, at, extent));
    return PyValue::tensor(tensor::EmptyOp::create(
        builder, at, shape, type.getElementType(), dynamic));
  }
  Value result = tensor::ExtractSliceOp::create(builder, at, resultType, x,
                                                offsets, sizes, strides);
  if (!reversed.empty())
    result = ReverseOp::create(builder, at, resultType, result,
                               builder.getDenseI64ArrayAttr(reversed));
  return PyValue::tensor(result);
}
