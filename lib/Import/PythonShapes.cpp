//===- PythonShapes.cpp - x.shape, tf.shape(x), ranks -----------*- C++ -*-===//
//
// A tensor's shape as Python code reads it: `x.shape[i]` and
// `tf.shape(x)[i]` (one size, predict.dim), `b, n = x.shape` and
// `b, n = tf.shape(x)` (every size, as TensorFlow unpacks a TensorShape or
// a shape tensor of static length), and the rank: `len(x.shape)`,
// `len(tf.shape(x))`, `x.shape.rank`, `x.ndim` (integers known at import)
// and `tf.rank(x)` (TensorFlow's int32 scalar). Predict's tensors are
// ranked, so the rank is always known at import. A size that TensorFlow's
// graph mode leaves None (a dynamic batch in `x.shape`) is the size at run
// time here, as it is for `x.shape[0]` (docs/PythonSource.md, Indexing).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

/// Whether call `node` gives `out_type=tf.int64` (or "int64", np.int64).
static bool int64OutType(const json::Object &node) {
  for (const json::Object *kw : nodes(node.getArray("keywords"))) {
    if (kw->getString("arg") != "out_type")
      continue;
    const json::Object *value = kw->getObject("value");
    if (!value)
      return false;
    std::optional<llvm::StringRef> q = value->getString("qualified");
    const json::Value *constant = value->get("value");
    return (q && q->ends_with("int64")) ||
           (constant && constant->getAsString() == llvm::StringRef("int64"));
  }
  return false;
}

const json::Value *ProgramBuilder::shapeSubject(const json::Object &node) {
  if (kindOf(node) == "Attribute" && node.getString("attr") == "shape")
    return node.get("value");
  const json::Object *func = node.getObject("func");
  const json::Array *args = node.getArray("args");
  // (name= does not change the sizes, nor out_type=tf.int32; an int64
  // out_type makes int64 tensors, TensorFlow's, not Python ints: shapeVector.)
  if (kindOf(node) == "Call" && func &&
      func->getString("qualified") == "tensorflow.shape" && args &&
      args->size() == 1 && !int64OutType(node))
    return &(*args)[0];
  return nullptr;
}

FailureOr<RankedTensorType>
ProgramBuilder::shapedTensor(const json::Value &subject, Value &value) {
  FailureOr<Value> x = tensor(subject);
  if (failed(x))
    return failure();
  auto ranked = dyn_cast<RankedTensorType>(x->getType());
  if (!ranked)
    return error(*subject.getAsObject(),
                 "the shape of a tensor of unknown rank is not converted");
  value = *x;
  return ranked;
}

std::optional<SmallVector<Value>> python::shapeVectorSizes(Value vector) {
  auto made = vector ? vector.getDefiningOp<tensor::FromElementsOp>()
                     : tensor::FromElementsOp();
  // (An int64 vector's sizes are int64 tensors, not Python ints.)
  if (!made || made.getType().getRank() != 1 || !made->hasAttr(kShapeVector) ||
      !made.getType().getElementType().isInteger(32))
    return std::nullopt;
  SmallVector<Value> sizes;
  for (Value element : made.getElements()) {
    auto cast = element.getDefiningOp<arith::IndexCastOp>();
    if (!cast || !cast.getIn().getType().isIndex())
      return std::nullopt;
    sizes.push_back(cast.getIn());
  }
  return sizes;
}

/// `size` wrapped to `type`'s width as TensorFlow's int32 arithmetic wraps
/// (`tf.shape(x) * 65536 * 65536` is 0), for an element type narrower than
/// `index`; folded where `size` is a constant.
static Value wrapTo(OpBuilder &builder, Location at, Value size, Type type) {
  if (type.getIntOrFloatBitWidth() >= 64)
    return size;
  // Through i64's trunci and extsi: upstream's canonicalizer folds the
  // round trip index -> i32 -> index of two index_casts into its source.
  Type i64 = builder.getI64Type();
  Value wide = builder.createOrFold<arith::IndexCastOp>(at, i64, size);
  Value narrow = builder.createOrFold<arith::TruncIOp>(at, type, wide);
  return builder.createOrFold<arith::IndexCastOp>(
      at, builder.getIndexType(),
      builder.createOrFold<arith::ExtSIOp>(at, i64, narrow));
}

/// `lhs op rhs` of two sizes (index), for `op` one of sizeArithmetic's.
static Value sizeOp(OpBuilder &builder, Location at, Operation *op, Value lhs,
                    Value rhs) {
  if (isa<AddOp>(op))
    return builder.createOrFold<arith::AddIOp>(at, lhs, rhs);
  if (isa<SubOp>(op))
    return builder.createOrFold<arith::SubIOp>(at, lhs, rhs);
  if (isa<MulOp>(op))
    return builder.createOrFold<arith::MulIOp>(at, lhs, rhs);
  if (isa<MaximumOp>(op))
    return builder.createOrFold<arith::MaxSIOp>(at, lhs, rhs);
  if (isa<MinimumOp>(op))
    return builder.createOrFold<arith::MinSIOp>(at, lhs, rhs);
  Value quotient = builder.createOrFold<arith::FloorDivSIOp>(at, lhs, rhs);
  if (isa<FloorDivOp>(op))
    return quotient;
  // Python's %: lhs - (lhs // rhs) * rhs, with the divisor's sign.
  return builder.createOrFold<arith::SubIOp>(
      at, lhs, builder.createOrFold<arith::MulIOp>(at, quotient, rhs));
}

/// The sizes of `op`, numpy's elementwise arithmetic on vectors of sizes
/// (`tf.shape(x)[1:] // 2`, `tf.shape(x) * 2 + 1`, `tf.maximum(s, 1)`,
/// `-s`, `s % 4`), as index arithmetic wrapped to the vector's element
/// type: an operand of one element is broadcast, Python's `//` rounds
/// toward minus infinity (arith.floordivsi) and `%` has the divisor's sign,
/// both by a nonzero constant only (a divisor known at run time is not
/// traced: the op's own run-time check of it stays). Constants fold (a
/// static shape's sizes stay constants). std::nullopt where an operand is
/// not a vector of sizes or the lengths differ.
static std::optional<SmallVector<Value>>
sizeArithmetic(OpBuilder &builder, Location at, Operation *op) {
  SmallVector<SmallVector<Value>> parts;
  size_t n = 1;
  for (Value operand : op->getOperands()) {
    std::optional<SmallVector<Value>> part =
        python::vectorSizes(builder, at, operand);
    if (!part || (part->size() != 1 && n != 1 && part->size() != n))
      return std::nullopt;
    if (part->size() != 1)
      n = part->size();
    parts.push_back(std::move(*part));
  }
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  Type element = type.getElementType();
  if (type.getRank() == 1 && type.getDimSize(0) != int64_t(n))
    return std::nullopt;
  SmallVector<Value> sizes;
  for (size_t i = 0; i < n; ++i) {
    auto item = [&](size_t p) {
      return parts[p].size() == 1 ? parts[p][0] : parts[p][i];
    };
    Value result = item(0);
    if (isa<NegOp>(op))
      result = wrapTo(
          builder, at,
          builder.createOrFold<arith::SubIOp>(
              at, arith::ConstantIndexOp::create(builder, at, 0), result),
          element);
    for (size_t p = 1; p < parts.size(); ++p) {
      Value rhs = item(p);
      APInt divisor;
      if (isa<FloorDivOp, ModOp>(op) &&
          (!matchPattern(rhs, m_ConstantInt(&divisor)) || divisor.isZero()))
        return std::nullopt;
      result =
          wrapTo(builder, at, sizeOp(builder, at, op, result, rhs), element);
    }
    sizes.push_back(result);
  }
  return sizes;
}

std::optional<SmallVector<Value>>
python::vectorSizes(OpBuilder &builder, Location at, Value vector) {
  auto type = dyn_cast<RankedTensorType>(vector.getType());
  Operation *op = vector.getDefiningOp();
  if (!type || type.getRank() > 1 || !op ||
      !type.getElementType().isSignlessInteger() ||
      type.getElementType().isInteger(1))
    return std::nullopt;
  SmallVector<Value> sizes;
  auto constant = [&](const APInt &v) {
    sizes.push_back(
        arith::ConstantIndexOp::create(builder, at, v.getSExtValue()));
  };
  if (auto made = dyn_cast<tensor::FromElementsOp>(op)) {
    for (Value e : made.getElements()) {
      auto cast = e.getDefiningOp<arith::IndexCastOp>();
      APInt known;
      // (An int32 element is the size truncated, as the tensor holds it;
      // a tensor's own size stays the SSA value it is, which later passes
      // compare with others.)
      if (cast && cast.getIn().getType().isIndex())
        sizes.push_back(
            cast.getIn().getDefiningOp<DimOp>()
                ? cast.getIn()
                : wrapTo(builder, at, cast.getIn(), type.getElementType()));
      else if (matchPattern(e, m_ConstantInt(&known)))
        constant(known);
      else
        return std::nullopt;
    }
    return sizes;
  }
  if (auto made = dyn_cast<ConstantOp>(op)) {
    auto values = dyn_cast<DenseIntElementsAttr>(made.getValue());
    if (!values)
      return std::nullopt;
    for (const APInt &v : values.getValues<APInt>())
      constant(v);
    return sizes;
  }
  if (auto joined = dyn_cast<ConcatenateOp>(op)) {
    for (Value part : joined.getInputs()) {
      std::optional<SmallVector<Value>> more = vectorSizes(builder, at, part);
      if (!more)
        return std::nullopt;
      sizes.append(*more);
    }
    return sizes;
  }
  if (auto expanded = dyn_cast<tensor::ExpandShapeOp>(op))
    return vectorSizes(builder, at, expanded.getSrc());
  // (int64 to int32 wraps, as tf.cast does.)
  if (auto cast = dyn_cast<CastOp>(op)) {
    std::optional<SmallVector<Value>> sizes =
        vectorSizes(builder, at, cast.getInput());
    if (sizes)
      for (Value &size : *sizes)
        size = wrapTo(builder, at, size, type.getElementType());
    return sizes;
  }
  if (auto reversed = dyn_cast<ReverseOp>(op)) {
    // (`s[::-1]`: a 1-D vector reversed along its axis.)
    std::optional<SmallVector<Value>> all =
        vectorSizes(builder, at, reversed.getInput());
    if (!all || type.getRank() != 1)
      return std::nullopt;
    std::reverse(all->begin(), all->end());
    return all;
  }
  if (auto slice = dyn_cast<SliceOp>(op)) {
    // Python's x[start:stop] of constant bounds.
    std::optional<SmallVector<Value>> all =
        vectorSizes(builder, at, slice.getInput());
    std::optional<int64_t> start = knownIndexValue(slice.getStart());
    std::optional<int64_t> stop = knownIndexValue(slice.getStop());
    if (!all || !start || !stop)
      return std::nullopt;
    int64_t n = all->size();
    auto clamp = [&](int64_t i) {
      return std::clamp<int64_t>(i < 0 ? i + n : i, 0, n);
    };
    for (int64_t i = clamp(*start); i < clamp(*stop); ++i)
      sizes.push_back((*all)[i]);
    return sizes;
  }
  if (isa<AddOp, SubOp, MulOp, FloorDivOp, ModOp, MaximumOp, MinimumOp, NegOp>(
          op))
    return sizeArithmetic(builder, at, op);
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    std::optional<SmallVector<Value>> all =
        vectorSizes(builder, at, slice.getSource());
    // (1-D, or the 0-D element `s[0]` of one.)
    if (!all || slice.getSourceType().getRank() != 1 ||
        slice.getType().getRank() > 1 || !slice.getOffsets().empty() ||
        !slice.getSizes().empty() || !slice.getStrides().empty())
      return std::nullopt;
    int64_t first = slice.getStaticOffsets()[0];
    int64_t step = slice.getStaticStrides()[0];
    for (int64_t i = 0; i < slice.getStaticSizes()[0]; ++i)
      sizes.push_back((*all)[first + i * step]);
    return sizes;
  }
  return std::nullopt;
}

FailureOr<PyValue> ProgramBuilder::shapeVector(const json::Object &node) {
  FailureOr<BoundCall> call =
      bindArguments(*this, node, "shape(input, out_type=None, name=None)");
  if (failed(call))
    return failure();
  Type element = builder.getI32Type();
  if (call->has("out_type")) {
    FailureOr<Type> given = call->dtype("out_type");
    if (failed(given))
      return failure();
    if (!given->isInteger(32) && !given->isInteger(64))
      return call->error("out_type", "must be tf.int32 or tf.int64");
    element = *given;
  }
  FailureOr<Value> input = call->tensor("input");
  if (failed(input))
    return failure();
  FailureOr<RankedTensorType> type = call->ranked("input", *input);
  if (failed(type))
    return failure();
  Value x = *input;
  Location at = loc(node);
  SmallVector<Value> elements;
  for (int64_t d = 0; d < type->getRank(); ++d) {
    Value size =
        type->isDynamicDim(d)
            ? Value(DimOp::create(builder, at, x, builder.getI64IntegerAttr(d)))
            : constantIndex(type->getDimSize(d), at).value;
    elements.push_back(arith::IndexCastOp::create(builder, at, element, size));
  }
  auto vector = tensor::FromElementsOp::create(
      builder, at, RankedTensorType::get({type->getRank()}, element), elements);
  vector->setAttr(kShapeVector, builder.getUnitAttr());
  return PyValue::tensor(vector);
}

std::optional<FailureOr<SmallVector<PyValue>>>
ProgramBuilder::shapeSizes(const json::Object &node) {
  const json::Value *subject = shapeSubject(node);
  // A name bound to `tf.shape(x)` (`s = tf.shape(x)`): its sizes, as
  // when written in place.
  if (!subject && kindOf(node) == "Name" && scope) {
    auto it = scope->env.find(node.getString("id").value_or(""));
    if (it == scope->env.end() || !it->second.isTensor())
      return std::nullopt;
    std::optional<SmallVector<Value>> sizes =
        shapeVectorSizes(it->second.value);
    if (!sizes)
      return std::nullopt;
    SmallVector<PyValue> out;
    for (Value size : *sizes)
      out.push_back(PyValue::int32Index(size));
    return FailureOr<SmallVector<PyValue>>(std::move(out));
  }
  if (!subject)
    return std::nullopt;
  Value x;
  FailureOr<RankedTensorType> type = shapedTensor(*subject, x);
  if (failed(type))
    return FailureOr<SmallVector<PyValue>>(failure());
  Location at = loc(node);
  SmallVector<PyValue> sizes;
  for (int64_t d = 0; d < type->getRank(); ++d)
    sizes.push_back(type->isDynamicDim(d)
                        ? PyValue::index(DimOp::create(
                              builder, at, x, builder.getI64IntegerAttr(d)))
                        : constantIndex(type->getDimSize(d), at));
  // (tf.shape(x)'s sizes are int32 tensors, x.shape's Python ints.)
  if (kindOf(node) == "Call")
    for (PyValue &size : sizes)
      size.int32 = true;
  return FailureOr<SmallVector<PyValue>>(std::move(sizes));
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::rankOf(const json::Object &node) {
  // x.ndim, x.shape.rank: the rank's subject is `x`, or `x.shape`.
  const json::Value *subject = nullptr;
  llvm::StringRef attr = node.getString("attr").value_or("");
  if (kindOf(node) == "Attribute" && attr == "ndim")
    subject = node.get("value");
  else if (kindOf(node) == "Attribute" && attr == "rank")
    if (const json::Object *shape = node.getObject("value"))
      if (kindOf(*shape) == "Attribute" && shape->getString("attr") == "shape")
        subject = shape->get("value");
  // len(x.shape), len(tf.shape(x)).
  const json::Object *func = node.getObject("func");
  const json::Array *args = node.getArray("args");
  if (kindOf(node) == "Call" && func && kindOf(*func) == "Name" &&
      func->getString("id") == "len" && !func->getString("qualified") && args &&
      args->size() == 1)
    if (const json::Object *arg = (*args)[0].getAsObject())
      subject = shapeSubject(*arg);
  bool tfRank = kindOf(node) == "Call" && func &&
                func->getString("qualified") == "tensorflow.rank";
  if (!subject && !tfRank)
    return std::nullopt;
  if (tfRank) {
    // tf.rank(input, name=None): an int32 scalar.
    FailureOr<BoundCall> call =
        bindArguments(*this, node, "rank(input, name=None)");
    if (failed(call))
      return FailureOr<PyValue>(failure());
    FailureOr<Value> input = call->tensor("input");
    if (failed(input))
      return FailureOr<PyValue>(failure());
    FailureOr<RankedTensorType> type = call->ranked("input", *input);
    if (failed(type))
      return FailureOr<PyValue>(failure());
    auto scalar = RankedTensorType::get({}, builder.getI32Type());
    return FailureOr<PyValue>(PyValue::tensor(
        ConstantOp::create(
            builder, loc(node),
            DenseElementsAttr::get(scalar,
                                   builder.getI32IntegerAttr(type->getRank())))
            .getResult()));
  }
  Value x;
  FailureOr<RankedTensorType> type = shapedTensor(*subject, x);
  if (failed(type))
    return FailureOr<PyValue>(failure());
  return FailureOr<PyValue>(constantIndex(type->getRank(), loc(node)));
}

const json::Object *python::unwrapTensorShape(const json::Object &node) {
  if (kindOf(node) == "Call")
    if (const json::Object *f = node.getObject("func");
        f && f->getString("qualified") == "tensorflow.TensorShape")
      if (const json::Array *a = node.getArray("args"); a && a->size() == 1)
        return (*a)[0].getAsObject();
  return &node;
}

std::optional<SmallVector<int64_t>>
ProgramBuilder::writtenShape(const json::Object &node) {
  const json::Object *list = unwrapTensorShape(node);
  if (kindOf(list) != "List" && kindOf(list) != "Tuple")
    return std::nullopt;
  SmallVector<int64_t> sizes;
  for (const json::Value &e : *list->getArray("elts")) {
    const json::Object *item = e.getAsObject();
    const json::Value *v = item ? item->get("value") : nullptr;
    if (kindOf(item) == "Constant" && v && v->kind() == json::Value::Null) {
      sizes.push_back(ShapedType::kDynamic);
      continue;
    }
    FailureOr<PyValue> n = item ? expr(*item) : FailureOr<PyValue>(failure());
    std::optional<int64_t> known =
        succeeded(n) && n->isIndex() ? knownIndexValue(n->value) : std::nullopt;
    if (!known || *known < 0)
      return std::nullopt;
    sizes.push_back(*known);
  }
  return sizes;
}

bool ProgramBuilder::fitsShape(RankedTensorType type,
                               llvm::ArrayRef<int64_t> shape) {
  if (type.getRank() != static_cast<int64_t>(shape.size()))
    return false;
  for (auto [got, want] : llvm::zip(type.getShape(), shape))
    if (!ShapedType::isDynamic(want) && !ShapedType::isDynamic(got) &&
        want != got)
      return false;
  return true;
}

std::string python::tupleText(llvm::ArrayRef<int64_t> shape) {
  std::string text = "(";
  for (auto [i, d] : llvm::enumerate(shape))
    text += (i ? ", " : "") + (ShapedType::isDynamic(d) ? std::string("None")
                                                        : std::to_string(d));
  if (shape.size() == 1)
    text += ",";
  return text + ")";
}
