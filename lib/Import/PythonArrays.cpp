//===- PythonArrays.cpp - numpy arrays of values known at import ----------===//
//
// The arrays inference code builds from constants: `np.array([0.5, 0.25])`,
// `np.asarray(table, dtype=np.float32)`, `np.eye(3)`, `np.identity(n)`,
// `np.arange(10)` and `tf.eye(4)`, written in converted code, bound once to
// a module variable (`MEAN = np.array([...])`) or stored in `__init__`
// (`self.mean = np.array(...)`). The reader hands a module's or a model's
// array on as its call with the arguments evaluated (knownCall); each is one
// predict.constant with numpy's dtype (float64 computed as float32, int64
// for integers).
//
// A numpy array is remembered as one (ProgramBuilder::ndarrays): beside a
// tensor of another dtype TensorFlow converts it to the tensor's dtype
// (numpy's astype, in a tf.function's graph), and beside a Python number or
// another array numpy's promotion applies (ndarraysLike);
// docs/PythonSource.md, "numpy arrays".
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/SaveAndRestore.h"

#include <cmath>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
/// The most elements an array made at import may have (np.eye(100000)
/// would be 40 GB of constant).
constexpr int64_t kMostElements = int64_t(1) << 24;

/// numpy's kinds in promotion order: bool, then integers, then floats.
int kindRank(Type t) {
  if (t.isInteger(1))
    return 0;
  return isa<IntegerType>(t) ? 1 : 2;
}

/// Whether `node` names numpy's or Python's float64 (`np.float64`,
/// `"float64"`, `np.double`), which predict computes as float32.
bool isFloat64(const json::Object *node) {
  if (!node)
    return false;
  llvm::StringRef name;
  if (std::optional<llvm::StringRef> q = node->getString("qualified"))
    name = *q;
  else if (kindOf(*node) == "Constant" && node->get("value") &&
           node->get("value")->getAsString())
    name = *node->get("value")->getAsString();
  name.consume_front("numpy.");
  return name == "float64" || name == "double" || name == "float_" ||
         name == "f8";
}

/// The element type of a numpy call's `dtype`: null for None, float32 for
/// float64 (predict computes numpy's float64 as float32).
FailureOr<Type> numpyDtype(const BoundCall &bound, llvm::StringRef param) {
  const json::Object *node = bound[param];
  if (isFloat64(node))
    return Type(bound.b.builder.getF32Type());
  std::optional<llvm::StringRef> q =
      node ? node->getString("qualified") : std::nullopt;
  if (q && q->starts_with("tensorflow."))
    return bound.error(param, "is TensorFlow's dtype, which numpy does not "
                              "read (numpy raises TypeError: Cannot interpret "
                              "it as a data type): write np." +
                                  q->rsplit('.').second);
  return bound.dtype(param);
}

/// A constant of `type` whose element i is `values[i]` (whole numbers for
/// an integer type, 0 or 1 for bool).
Value constantOf(OpBuilder &builder, Location at, RankedTensorType type,
                 llvm::ArrayRef<double> values) {
  Type element = type.getElementType();
  if (element.isInteger(1)) {
    SmallVector<bool> bits(
        llvm::map_range(values, [](double v) { return v != 0.0; }));
    return ConstantOp::create(builder, at, DenseElementsAttr::get(type, bits));
  }
  if (auto integer = dyn_cast<IntegerType>(element)) {
    SmallVector<llvm::APInt> ints;
    for (double v : values)
      ints.push_back(llvm::APInt(integer.getWidth(), static_cast<int64_t>(v),
                                 /*isSigned=*/true));
    return ConstantOp::create(builder, at, DenseElementsAttr::get(type, ints));
  }
  SmallVector<float> floats(
      llvm::map_range(values, [](double v) { return static_cast<float>(v); }));
  return ConstantOp::create(
      builder, at, DenseElementsAttr::get(type, llvm::ArrayRef(floats)));
}
} // namespace

FailureOr<Value> ProgramBuilder::numpyConstant(const json::Value &value,
                                               const json::Object &at,
                                               Type dtype, bool float64) {
  SmallVector<const json::Value *> flat;
  SmallVector<int64_t> shape;
  if (std::optional<std::string> why =
          flattenLiteral(value, flat, shape, /*emptyOk=*/true))
    return error(at, llvm::StringRef(*why).starts_with("takes")
                         ? "np.array " + *why
                         : *why);
  if (static_cast<int64_t>(flat.size()) > kMostElements)
    return error(at, "an array of more than 2**24 elements made at import: "
                     "read it from the weights instead");
  // numpy's inference: float64 (computed as float32) when any value is a
  // float or the array is empty, else int64 when any is an integer, else
  // bool.
  bool anyFloat = flat.empty(), anyInt = false;
  for (const json::Value *v : flat) {
    const json::Object *o = v->getAsObject();
    anyFloat |= o && o->getString("float");
    anyInt |= o && o->getString("int");
  }
  Type type = dtype      ? dtype
              : anyFloat ? Type(builder.getF32Type())
              : anyInt   ? Type(builder.getI64Type())
                         : Type(builder.getI1Type());
  auto tensorType = RankedTensorType::get(shape, type);
  Location where = loc(at);
  if (isa<FloatType>(type)) {
    SmallVector<llvm::APFloat> values;
    std::vector<double> doubles;
    for (const json::Value *v : flat) {
      if (std::optional<bool> b = v->getAsBoolean()) {
        values.push_back(llvm::APFloat(*b ? 1.0f : 0.0f));
        doubles.push_back(*b);
        continue;
      }
      FailureOr<llvm::APFloat> f =
          floatValue(at, *v->getAsObject(), /*single=*/true);
      FailureOr<llvm::APFloat> d =
          floatValue(at, *v->getAsObject(), /*single=*/false);
      if (failed(f) || failed(d))
        return failure();
      values.push_back(*f);
      doubles.push_back(d->convertToDouble());
    }
    Value made = markNdarray(ConstantOp::create(
        builder, where, DenseElementsAttr::get(tensorType, values)));
    if (float64)
      float64Values[made] = std::move(doubles);
    return made;
  }
  // Integers and bools exactly (a float32 would round integers above
  // 2**24); a float given for an integer dtype is truncated toward zero,
  // as numpy's astype does.
  unsigned width = type.getIntOrFloatBitWidth();
  SmallVector<llvm::APInt> values;
  for (const json::Value *v : flat) {
    int64_t i = 0;
    if (std::optional<bool> b = v->getAsBoolean()) {
      i = *b;
    } else if (const json::Object &number = *v->getAsObject();
               number.getString("float")) {
      FailureOr<llvm::APFloat> f = floatValue(at, number, /*single=*/false);
      if (failed(f))
        return failure();
      double d = f->convertToDouble();
      if (width == 1) {
        values.push_back(llvm::APInt(1, d != 0.0));
        continue;
      }
      if (!std::isfinite(d) || std::trunc(d) < -0x1p63 ||
          std::trunc(d) >= 0x1p63)
        return error(at, "the float " + *number.getString("float") +
                             " has no value of dtype " + dtypeName(type) +
                             " (numpy's astype gives an undefined one)");
      i = static_cast<int64_t>(std::trunc(d));
    } else {
      FailureOr<int64_t> n = integerValue(at, number);
      if (failed(n))
        return failure();
      i = *n;
    }
    if (width == 1)
      i = i != 0;
    else if (width == 32 && i != int32_t(i))
      return error(at, "the integer " + llvm::Twine(i) +
                           " does not fit in int32 (numpy raises "
                           "OverflowError): give dtype=np.int64");
    values.push_back(llvm::APInt(width, i, /*isSigned=*/true));
  }
  return markNdarray(ConstantOp::create(
      builder, where, DenseElementsAttr::get(tensorType, values)));
}

std::optional<json::Value> ProgramBuilder::arrayLiteral(Value array) {
  auto constant = array.getDefiningOp<ConstantOp>();
  auto attr = constant ? dyn_cast<DenseElementsAttr>(constant.getValue())
                       : DenseElementsAttr();
  if (!attr)
    return std::nullopt;
  // Each value as the reader writes it: floats by their shortest text that
  // reads back to the same float32, so that float arrays stay float.
  SmallVector<json::Value> flat;
  Type element = attr.getElementType();
  if (element.isInteger(1)) {
    for (bool b : attr.getValues<bool>())
      flat.push_back(b);
  } else if (isa<IntegerType>(element)) {
    for (const llvm::APInt &i : attr.getValues<llvm::APInt>())
      flat.push_back(json::Object{{"int", std::to_string(i.getSExtValue())}});
  } else {
    for (const llvm::APFloat &f : attr.getValues<llvm::APFloat>())
      flat.push_back(floatJson(f.convertToDouble()));
  }
  // Nested as the shape says.
  size_t next = 0;
  std::function<json::Value(ArrayRef<int64_t>)> nest =
      [&](ArrayRef<int64_t> dims) -> json::Value {
    if (dims.empty())
      return std::move(flat[next++]);
    json::Array row;
    for (int64_t i = 0; i < dims.front(); ++i)
      row.push_back(nest(dims.drop_front()));
    return json::Object{{"list", std::move(row)}};
  };
  return nest(attr.getType().getShape());
}

FailureOr<Value> ProgramBuilder::convertArray(Value v, Type element,
                                              const json::Object &node) {
  // A float64 array to integers: numpy's astype of its float64 values,
  // truncated toward zero (bool: `!= 0`), not of their float32 rounding;
  // a value beyond the integer type is left to the cast's rule.
  // (The values are checked against the constant's own: an op erased and
  // another made at its address must not inherit them.)
  auto constant = v.getDefiningOp<ConstantOp>();
  auto floats = constant ? dyn_cast<DenseFPElementsAttr>(constant.getValue())
                         : DenseFPElementsAttr();
  if (auto kept = float64Values.find(v);
      kept != float64Values.end() && isa<IntegerType>(element) && floats &&
      static_cast<size_t>(floats.getNumElements()) == kept->second.size() &&
      llvm::all_of(llvm::zip_equal(floats.getValues<float>(), kept->second),
                   [](auto pair) {
                     return std::get<0>(pair) ==
                                static_cast<float>(std::get<1>(pair)) ||
                            std::isnan(std::get<1>(pair));
                   }))
    if (auto type = dyn_cast<RankedTensorType>(v.getType())) {
      unsigned width = element.getIntOrFloatBitWidth();
      double limit = std::ldexp(1.0, width == 1 ? 1 : width - 1);
      SmallVector<llvm::APInt> ints;
      for (double d : kept->second) {
        if (width == 1) {
          ints.push_back(llvm::APInt(1, d != 0.0));
          continue;
        }
        double t = std::trunc(d);
        if (!std::isfinite(t) || t >= limit || t < -limit)
          break;
        ints.push_back(llvm::APInt(width, static_cast<int64_t>(t),
                                   /*isSigned=*/true));
      }
      if (ints.size() == kept->second.size())
        return Value(ConstantOp::create(
            builder, loc(node),
            DenseElementsAttr::get(type.clone(element), ints)));
    }
  // predict.cast converts as numpy's astype does (a float to an integer
  // toward zero, a number to bool `!= 0`); a cast to the same type is a
  // copy, so that the result is another value.
  return typed(
      CastOp::create(builder, loc(node), UnrankedTensorType::get(element), v));
}

FailureOr<Value> ProgramBuilder::asTensor(Value v, const json::Object &node) {
  if (!isNdarray(v))
    return v;
  return convertArray(v, getElementTypeOrSelf(v.getType()), node);
}

LogicalResult ProgramBuilder::ndarraysLike(const json::Object &node, Value &x,
                                           Value &y, const json::Object *xSide,
                                           const json::Object *ySide) {
  bool xArray = isNdarray(x), yArray = isNdarray(y);
  if (!xArray && !yArray)
    return success();
  Type xElement = getElementTypeOrSelf(x.getType());
  Type yElement = getElementTypeOrSelf(y.getType());
  if (xElement == yElement)
    return success();
  auto convert = [&](Value &v, Type to) -> LogicalResult {
    FailureOr<Value> c = convertArray(v, to, node);
    if (failed(c))
      return failure();
    v = markNdarray(*c);
    return success();
  };
  // A number of the program is a scalar float32 constant: a Python float
  // (a float literal, a name bound to one, a value that is not whole)
  // makes an array of integers or bools a float array, as numpy promotes
  // it; a Python int (a whole number) leaves its dtype, numbersLike then
  // converting the int.
  auto pythonFloat = [&](Value v, const json::Object *side) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    auto constant = v.getDefiningOp<ConstantOp>();
    if (!type || type.getRank() != 0 || !type.getElementType().isF32() ||
        !constant)
      return std::optional<bool>();
    if (side) {
      FailureOr<const json::Object *> literal = numberOf(*side);
      if (succeeded(literal) && *literal)
        return std::optional<bool>((*literal)->getString("float").has_value());
      if (knownFloatName(side))
        return std::optional<bool>(true);
    }
    auto value = dyn_cast<DenseFPElementsAttr>(constant.getValue());
    if (!value)
      return std::optional<bool>();
    llvm::APFloat f = value.getSplatValue<llvm::APFloat>();
    return std::optional<bool>(!f.isInteger());
  };
  if (xArray && yArray) {
    // numpy's promotion: the later kind, the wider integer.
    bool xWins = kindRank(xElement) != kindRank(yElement)
                     ? kindRank(xElement) > kindRank(yElement)
                     : xElement.getIntOrFloatBitWidth() >
                           yElement.getIntOrFloatBitWidth();
    return xWins ? convert(y, xElement) : convert(x, yElement);
  }
  Value &array = xArray ? x : y;
  Value other = xArray ? y : x;
  Type otherElement = xArray ? yElement : xElement;
  if (std::optional<bool> isFloat =
          pythonFloat(other, xArray ? ySide : xSide)) {
    if (*isFloat && kindRank(getElementTypeOrSelf(array.getType())) < 2)
      return convert(array, otherElement);
    return success();
  }
  // Beside a tensor, TensorFlow converts the array to the tensor's dtype
  // (tf.convert_to_tensor with the op's dtype: numpy's astype in a
  // tf.function's graph).
  return convert(array, otherElement);
}

FailureOr<PyValue> ProgramBuilder::knownCall(const json::Object &call,
                                             const json::Object &at) {
  // The call's arguments are literals (the reader evaluated them where the
  // call is): converted as the module sees names, whatever the function
  // reading it binds.
  FunctionScope module;
  module.function = scope ? scope->function : nullptr;
  FailureOr<PyValue> value = failure();
  {
    llvm::SaveAndRestore<FunctionScope *> atModule(scope, &module);
    value = expr(call);
  }
  if (failed(value))
    return error(at, "'" + source(at) + "' is the array made at line " +
                         llvm::Twine(line(call)) +
                         ", which predict does not convert (the error "
                         "there)");
  return value;
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::arrayCall(const json::Object &node, llvm::StringRef callee) {
  // np.float32(x) (and float64, int32, int64, bool_): np.array(x) of that
  // dtype.
  Type scalarType =
      llvm::StringSwitch<Type>(callee)
          .Cases({"numpy.float32", "numpy.float64"}, builder.getF32Type())
          .Case("numpy.int32", builder.getI32Type())
          .Case("numpy.int64", builder.getI64Type())
          .Case("numpy.bool_", builder.getI1Type())
          .Default(Type());
  bool isArray =
      callee == "numpy.array" || callee == "numpy.asarray" || scalarType;
  bool isEye = callee == "numpy.eye" || callee == "numpy.identity" ||
               callee == "tensorflow.eye" || callee == "tensorflow.linalg.eye";
  if (!isArray && !isEye && callee != "numpy.arange")
    return std::nullopt;
  FailureOr<BoundCall> bound = bindArguments(*this, node, *signatureOf(callee));
  if (failed(bound))
    return FailureOr<PyValue>(failure());
  auto fail = [] { return FailureOr<PyValue>(failure()); };
  if (llvm::any_of(bound->signature.params,
                   [](const Parameter &p) { return p.name == "like"; }) &&
      bound->has("like"))
    return FailureOr<PyValue>(
        bound->error("like", "is not converted (leave it out)"));
  bool numpy = callee.starts_with("numpy.");
  FailureOr<Type> dtype = scalarType ? FailureOr<Type>(scalarType)
                          : numpy    ? numpyDtype(*bound, "dtype")
                                     : bound->dtype("dtype");
  if (failed(dtype))
    return fail();
  Location at = loc(node);

  if (isArray) {
    // np.array(object, dtype=None, copy=True, order='K', subok=False,
    // ndmin=0, like=None); np.asarray(a, dtype=None, order=None, like=None).
    if (callee == "numpy.array") {
      FailureOr<std::optional<int64_t>> ndmin = bound->integer("ndmin");
      if (failed(ndmin))
        return fail();
      if (*ndmin && **ndmin > 0)
        return FailureOr<PyValue>(bound->error(
            "ndmin", "is not converted (index the array with None to add "
                     "axes: np.array(v)[None])"));
    }
    llvm::StringRef param = callee == "numpy.array"     ? "object"
                            : callee == "numpy.asarray" ? "a"
                                                        : "x";
    Value array;
    FailureOr<std::optional<json::Value>> values =
        literalOf(bound->at(param), bound->name(), &array);
    if (failed(values))
      return fail();
    if (array) {
      // An array of an array: the same values, of `dtype`.
      if (!*dtype || *dtype == getElementTypeOrSelf(array.getType()))
        return FailureOr<PyValue>(PyValue::tensor(array));
      FailureOr<Value> converted =
          convertArray(array, *dtype, bound->at(param));
      if (failed(converted))
        return fail();
      return FailureOr<PyValue>(PyValue::tensor(markNdarray(*converted)));
    }
    if (!*values)
      return FailureOr<PyValue>(bound->error(
          param, "must be literal numbers or bools, lists of them or module "
                 "constants (a Python float variable: write the number)"));
    // float64 unless a dtype of another float says otherwise.
    bool float64 = scalarType            ? callee == "numpy.float64"
                   : bound->has("dtype") ? isFloat64(&bound->at("dtype"))
                                         : true;
    FailureOr<Value> c =
        numpyConstant(**values, bound->at(param), *dtype, float64);
    if (failed(c))
      return fail();
    return FailureOr<PyValue>(PyValue::tensor(*c));
  }

  if (isEye) {
    // np.eye(N, M=None, k=0, dtype=float), np.identity(n, dtype=None),
    // tf.eye(num_rows, num_columns=None, batch_shape=None,
    // dtype=tf.float32): ones where column - row == k.
    bool tf = !numpy;
    llvm::StringRef rowsParam = tf                           ? "num_rows"
                                : callee == "numpy.identity" ? "n"
                                                             : "N";
    FailureOr<std::optional<int64_t>> rows = bound->integer(rowsParam);
    if (failed(rows))
      return fail();
    if (!*rows)
      return FailureOr<PyValue>(
          bound->error(rowsParam, "must be an int known at import"));
    std::optional<int64_t> cols = *rows;
    int64_t k = 0;
    if (callee != "numpy.identity") {
      FailureOr<std::optional<int64_t>> c =
          bound->integer(tf ? "num_columns" : "M");
      if (failed(c))
        return fail();
      if (*c)
        cols = *c;
    }
    if (callee == "numpy.eye") {
      FailureOr<std::optional<int64_t>> diagonal = bound->integer("k");
      if (failed(diagonal))
        return fail();
      k = diagonal->value_or(0);
    }
    SmallVector<int64_t> batch;
    if (tf) {
      FailureOr<std::optional<SmallVector<int64_t>>> b =
          bound->integers("batch_shape");
      if (failed(b))
        return fail();
      if (*b)
        batch = **b;
    }
    SmallVector<int64_t> shape(batch);
    shape.append({**rows, *cols});
    int64_t count = 1;
    for (int64_t d : shape) {
      if (d < 0)
        return FailureOr<PyValue>(
            error(node, bound->name() + ": the size " + llvm::Twine(d) +
                            " is negative (numpy and TensorFlow raise)"));
      if (d && count > kMostElements / d)
        return FailureOr<PyValue>(
            error(node, bound->name() + " of more than 2**24 elements: read "
                                        "it from the weights instead"));
      count *= d;
    }
    SmallVector<double> values(count, 0.0);
    int64_t matrix = **rows * *cols;
    for (int64_t i = 0; i < count; ++i) {
      int64_t row = (i % std::max<int64_t>(matrix, 1)) / *cols;
      int64_t col = i % *cols;
      values[i] = col - row == k ? 1.0 : 0.0;
    }
    Type element = *dtype ? *dtype : builder.getF32Type();
    Value c =
        constantOf(builder, at, RankedTensorType::get(shape, element), values);
    return FailureOr<PyValue>(PyValue::tensor(tf ? c : markNdarray(c)));
  }

  // np.arange([start,] stop[, step], dtype=None): integers when every bound
  // is one (int64), else float64 (computed as float32): start + i * step
  // for i below ceil((stop - start) / step).
  SmallVector<json::Value> bounds;
  for (llvm::StringRef param : {"start", "stop", "step"}) {
    if (!bound->has(param)) {
      bounds.push_back(nullptr);
      continue;
    }
    FailureOr<std::optional<json::Value>> v =
        literalOf(bound->at(param), bound->name());
    if (failed(v))
      return fail();
    const json::Object *o = *v ? (*v)->getAsObject() : nullptr;
    if (!o || !(o->getString("int") || o->getString("float")))
      return FailureOr<PyValue>(bound->error(
          param, "must be a number known at import (a literal, a module "
                 "constant, x.shape[1])"));
    bounds.push_back(std::move(**v));
  }
  // arange(stop), arange(stop=n): from 0.
  if (bounds[0].kind() == json::Value::Null &&
      bounds[1].kind() == json::Value::Null)
    return FailureOr<PyValue>(error(
        node, bound->name() + " needs its stop (numpy raises TypeError)"));
  if (bounds[1].kind() == json::Value::Null)
    std::swap(bounds[0], bounds[1]);
  bool ints = true;
  SmallVector<double> asDouble;
  SmallVector<int64_t> asInt;
  for (auto [i, v] : llvm::enumerate(bounds)) {
    if (v.kind() == json::Value::Null) {
      asDouble.push_back(i == 2 ? 1.0 : 0.0);
      asInt.push_back(i == 2 ? 1 : 0);
      continue;
    }
    const json::Object &n = *v.getAsObject();
    const json::Object &where = bound->at(i == 2 ? "step" : "start");
    FailureOr<llvm::APFloat> f = floatValue(where, n, /*single=*/false);
    if (failed(f))
      return fail();
    asDouble.push_back(f->convertToDouble());
    if (n.getString("int")) {
      FailureOr<int64_t> k = integerValue(where, n);
      if (failed(k))
        return fail();
      asInt.push_back(*k);
    } else {
      ints = false;
      asInt.push_back(0);
    }
  }
  if (asDouble[2] == 0.0)
    return FailureOr<PyValue>(error(node, bound->name() +
                                              ": the step is 0 (numpy raises "
                                              "ZeroDivisionError)"));
  if (!llvm::all_of(asDouble, [](double d) { return std::isfinite(d); }))
    return FailureOr<PyValue>(
        error(node, bound->name() + ": the bounds and step must be finite "
                                    "(numpy raises ValueError)"));
  double span = std::ceil((asDouble[1] - asDouble[0]) / asDouble[2]);
  if (!std::isfinite(span) || span > double(kMostElements))
    return FailureOr<PyValue>(
        error(node, bound->name() + " of more than 2**24 elements: read it "
                                    "from the weights instead"));
  int64_t count = std::max<int64_t>(0, static_cast<int64_t>(span));
  if (*dtype && dtype->isInteger(1) && count > 2)
    return FailureOr<PyValue>(
        error(node, bound->name() + " of bools has more than 2 elements (numpy "
                                    "raises ValueError)"));
  // An integer dtype with a float bound or step: numpy's length from the
  // floats, its values from the first two converted to integers (toward
  // zero) and their difference (np.arange(0, 2, 0.5, dtype=int) is four
  // zeros).
  if (!ints && *dtype && isa<IntegerType>(*dtype) && !dtype->isInteger(1)) {
    double first = std::trunc(asDouble[0]);
    double second = std::trunc(asDouble[0] + asDouble[2]);
    if (std::abs(first) >= 0x1p53 || std::abs(second) >= 0x1p53)
      return FailureOr<PyValue>(error(
          node, bound->name() + ": a bound beyond 2**53 with a float step "
                                "is not converted: give integers"));
    ints = true;
    asInt[0] = static_cast<int64_t>(first);
    asInt[2] = static_cast<int64_t>(second - first);
  }
  SmallVector<double> values;
  Value c;
  if (ints) {
    // Exactly, in 64 bits (the span above is exact below 2**24 elements).
    SmallVector<llvm::APInt> v;
    for (int64_t i = 0; i < count; ++i)
      v.push_back(llvm::APInt(64, asInt[0] + i * asInt[2], /*isSigned=*/true));
    c = ConstantOp::create(
        builder, at,
        DenseElementsAttr::get(
            RankedTensorType::get({count}, builder.getI64Type()), v));
  } else {
    for (int64_t i = 0; i < count; ++i)
      values.push_back(asDouble[0] + double(i) * asDouble[2]);
    c = constantOf(builder, at,
                   RankedTensorType::get({count}, builder.getF32Type()),
                   values);
  }
  if (*dtype && *dtype != getElementTypeOrSelf(c.getType())) {
    FailureOr<Value> converted = convertArray(c, *dtype, node);
    if (failed(converted))
      return fail();
    c = *converted;
  }
  return FailureOr<PyValue>(PyValue::tensor(markNdarray(c)));
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::ndarrayMethod(const json::Object &node) {
  bool isCall = kindOf(node) == "Call";
  const json::Object *attribute = isCall ? node.getObject("func") : &node;
  if (!attribute || kindOf(*attribute) != "Attribute" ||
      attribute->getString("qualified"))
    return std::nullopt;
  llvm::StringRef name = attribute->getString("attr").value_or("");
  // TensorFlow's way for each, where the receiver is a tf.Tensor.
  llvm::StringRef instead =
      llvm::StringSwitch<llvm::StringRef>(isCall ? name : "")
          .Case("reshape", "tf.reshape(x, shape)")
          .Case("transpose", "tf.transpose(x, perm)")
          .Cases({"flatten", "ravel"}, "tf.reshape(x, [-1])")
          .Case("astype", "tf.cast(x, dtype)")
          .Case("copy", "tf.identity(x)")
          .Default("");
  if (!isCall && name == "T")
    instead = "tf.transpose(x)";
  const json::Object *receiver = attribute->getObject("value");
  if (instead.empty() || !receiver)
    return std::nullopt;
  FailureOr<PyValue> array = expr(*receiver);
  if (failed(array))
    return FailureOr<PyValue>(failure());
  // (A tensor's `.T`: exprAt's message.)
  if (!array->isTensor() || (!isCall && !isNdarray(array->value)))
    return std::nullopt;
  if (!isNdarray(array->value))
    return FailureOr<PyValue>(
        error(node, "'" + source(node) + "': a tf.Tensor has no ." + name +
                        " (numpy's; TensorFlow raises AttributeError): "
                        "write " +
                        instead));
  if (name == "copy")
    return FailureOr<PyValue>(*array);
  json::Array args = isCall ? arrayOr(node.getArray("args")) : json::Array();
  json::Array keywords =
      isCall ? arrayOr(node.getArray("keywords")) : json::Array();
  if (llvm::any_of(args, [](const json::Value &a) {
        return kindOf(a.getAsObject()) == "Starred";
      }))
    return std::nullopt; // unpackedCall writes them out first
  // The receiver, bound to a name no Python name can be.
  std::string id = "*ndarray" + std::to_string(synthesized.size());
  scope->env[id] = *array;
  auto at = [&](json::Object o) { return located(std::move(o), node); };
  json::Array callArgs{
      located(json::Object{{"node", "Name"}, {"id", id}}, *receiver)};
  // A method's sizes or axes given one by one are numpy's tuple; so is one
  // integer (`a.reshape(4)`), where one argument may be the tuple.
  auto tupleOf = [&](json::Array items) {
    const json::Object *only =
        items.size() == 1 ? items[0].getAsObject() : nullptr;
    const json::Value *known = only ? knownValue(*only) : nullptr;
    auto bound = only && kindOf(*only) == "Name"
                     ? scope->env.find(only->getString("id").value_or(""))
                     : scope->env.end();
    bool integer =
        only && (kindOf(*only) == "Constant" || kindOf(*only) == "UnaryOp" ||
                 (bound != scope->env.end() && bound->second.isIndex()) ||
                 (known && known->getAsObject() &&
                  known->getAsObject()->getString("int")));
    if (only && !integer)
      return std::move(items[0]);
    // Located from the first size to the last, as written.
    json::Object tuple =
        located(json::Object{{"node", "Tuple"}}, *items.front().getAsObject());
    if (const json::Value *end = items.back().getAsObject()->get("end"))
      tuple["end"] = *end;
    tuple["elts"] = std::move(items);
    return json::Value(std::move(tuple));
  };
  // Row-major order is the only one a graph's tensors have: order='C'
  // changes nothing.
  if (name != "astype") {
    for (const json::Value &k : keywords) {
      const json::Object *keyword = k.getAsObject();
      llvm::StringRef arg =
          keyword ? keyword->getString("arg").value_or("") : "";
      const json::Object *value =
          keyword ? keyword->getObject("value") : nullptr;
      const json::Value *order =
          value && kindOf(*value) == "Constant" ? value->get("value") : nullptr;
      if (name == "transpose")
        return FailureOr<PyValue>(
            error(value ? *value : node,
                  "'" + source(node) +
                      "': .transpose takes its axes by position (numpy "
                      "raises TypeError: transpose() takes no keyword "
                      "arguments)"));
      if (arg != "order" || !order ||
          order->getAsString() != std::optional<llvm::StringRef>("C"))
        return FailureOr<PyValue>(
            error(value ? *value : node,
                  "'" + source(node) + "': ." + name +
                      " takes order='C' here, the row-major order of every "
                      "tensor (no other keyword)"));
    }
    keywords.clear();
  }
  // TensorFlow's function of the same meaning (numpy's np.reshape and
  // np.transpose are foreign calls), or np.asarray for the dtype.
  std::string function = "tensorflow.reshape";
  if (name == "flatten" || name == "ravel") {
    if (!args.empty())
      return FailureOr<PyValue>(
          error(node, "'" + source(node) + "': ." + name +
                          "() takes its order by keyword here (order='C')"));
    json::Array minusOne{at(json::Object{
        {"node", "Constant"}, {"value", json::Object{{"int", "-1"}}}})};
    args.push_back(
        at(json::Object{{"node", "List"}, {"elts", std::move(minusOne)}}));
  } else if (name == "reshape" && args.empty()) {
    return FailureOr<PyValue>(
        error(node, "'" + source(node) +
                        "': .reshape needs the new shape (numpy raises "
                        "TypeError)"));
  } else if (name == "astype") {
    if (args.size() != 1 || !keywords.empty())
      return FailureOr<PyValue>(
          error(node, "'" + source(node) +
                          "': .astype takes one dtype here (order, casting, "
                          "subok and copy change nothing a graph holds)"));
    function = "numpy.asarray";
    callArgs.push_back(std::move(args[0]));
    args.clear();
  } else if (name == "T" || name == "transpose") {
    function = "tensorflow.transpose";
    // `a.transpose(None)` reverses the axes, as `a.transpose()`.
    const json::Object *only =
        args.size() == 1 ? args[0].getAsObject() : nullptr;
    if (only && kindOf(*only) == "Constant" && only->get("value") &&
        only->get("value")->kind() == json::Value::Null)
      args.clear();
  }
  if (!args.empty())
    callArgs.push_back(tupleOf(std::move(args)));
  json::Object func = located(
      json::Object{{"node", "Attribute"},
                   {"attr", llvm::StringRef(function).rsplit('.').second},
                   {"qualified", function}},
      *attribute);
  FailureOr<PyValue> result =
      expr(synthesize(at(json::Object{{"node", "Call"},
                                      {"func", std::move(func)},
                                      {"args", std::move(callArgs)},
                                      {"keywords", std::move(keywords)}})));
  unbindTemporaries({id});
  if (succeeded(result) && result->isTensor())
    markNdarray(result->value);
  return result;
}
