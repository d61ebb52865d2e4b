//===- PythonFloats.cpp - Python floats known at import ---------*- C++ -*-===//
//
// A name bound to a float (`total = 0.0`, `s = 2.5`, the floats of a known
// list in `for k in [0.5, 1.5]`) is a Python float, as in TensorFlow's
// traced code: arithmetic between such floats (and integers known at
// import) is Python's, in double precision, and the result becomes a
// float32 scalar only where it meets a tensor. Each is held as its float32
// scalar constant, tagged with the double (PyValue::number), so every
// consumer of a tensor reads it unchanged; a loop or a run-time branch that
// carries it makes it a float32 tensor from there on, as AutoGraph's
// tf.while_loop and tf.cond do (docs/PythonSource.md, Numbers and names).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

json::Object python::floatJson(double d) {
  std::string text = std::isnan(d)   ? "nan"
                     : std::isinf(d) ? (d < 0 ? "-inf" : "inf")
                                     : llvm::formatv("{0:e16}", d).str();
  return json::Object{{"float", std::move(text)}};
}

std::optional<double> ProgramBuilder::pythonFloat(const PyValue &value) {
  if (!value.isTensor() || !value.number || !value.value)
    return std::nullopt;
  auto constant = value.value.getDefiningOp<ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(value.value.getType());
  if (!constant || !type || type.getRank() != 0 ||
      !type.getElementType().isF32())
    return std::nullopt;
  auto attr = dyn_cast<DenseFPElementsAttr>(constant.getValue());
  if (!attr)
    return std::nullopt;
  float held = attr.getSplatValue<llvm::APFloat>().convertToFloat();
  float want = static_cast<float>(*value.number);
  if (std::isnan(held) != std::isnan(want) ||
      (!std::isnan(held) && held != want))
    return std::nullopt;
  return value.number;
}

PyValue ProgramBuilder::pythonFloatValue(double d, Location at) {
  // numpy's float32(d): round to nearest, ties to even; +-inf beyond.
  llvm::APFloat f(d);
  bool lost;
  f.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
            &lost);
  auto type = RankedTensorType::get({}, builder.getF32Type());
  PyValue v = PyValue::tensor(
      ConstantOp::create(builder, at, DenseElementsAttr::get(type, f)));
  v.number = d;
  return v;
}

FailureOr<double> ProgramBuilder::pythonNumber(const json::Object &node,
                                               const json::Object &value) {
  FailureOr<llvm::APFloat> f = floatValue(node, value, /*single=*/false);
  if (failed(f))
    return failure();
  return f->convertToDouble();
}

std::optional<FailureOr<double>>
ProgramBuilder::floatArithmetic(const json::Object &node, llvm::StringRef op,
                                double a, double b) {
  auto raises = [&](llvm::StringRef exception,
                    llvm::StringRef message) -> FailureOr<double> {
    return error(node, "'" + source(node) + "': " + message +
                           " (Python raises " + exception + ")");
  };
  if (op == "Add")
    return a + b;
  if (op == "Sub")
    return a - b;
  if (op == "Mult")
    return a * b;
  if (op == "Div") {
    if (b == 0)
      return raises("ZeroDivisionError", "float division by zero");
    return a / b;
  }
  if (op == "FloorDiv" || op == "Mod") {
    if (b == 0)
      return raises("ZeroDivisionError", op == "Mod" ? "float modulo by zero"
                                                     : "float floor division "
                                                       "by zero");
    // CPython's float_divmod (Objects/floatobject.c): the remainder has
    // the divisor's sign, the quotient is exact where fmod is.
    double mod = std::fmod(a, b);
    double div = (a - mod) / b;
    if (mod != 0) {
      if ((b < 0) != (mod < 0)) {
        mod += b;
        div -= 1.0;
      }
    } else {
      mod = std::copysign(0.0, b);
    }
    if (op == "Mod")
      return mod;
    double floor;
    if (div != 0) {
      floor = std::floor(div);
      if (div - floor > 0.5)
        floor += 1.0;
    } else {
      floor = std::copysign(0.0, a / b);
    }
    return floor;
  }
  if (op == "Pow") {
    // CPython's float_pow: its special cases, then C's pow.
    if (b == 0)
      return 1.0;
    if (std::isnan(a))
      return a;
    if (std::isnan(b))
      return a == 1.0 ? 1.0 : b;
    if (std::isinf(a) || std::isinf(b))
      return std::pow(a, b);
    if (a == 0 && b < 0)
      return raises("ZeroDivisionError",
                    "0.0 cannot be raised to a negative power");
    if (a < 0 && b != std::floor(b))
      return error(node, "'" + source(node) +
                             "': a negative float to a fractional power is "
                             "a complex number in Python, which converted "
                             "code does not hold");
    double r = std::pow(a, b);
    if (std::isinf(r))
      return raises("OverflowError", "the power is beyond a float's range");
    return r;
  }
  return std::nullopt;
}

FailureOr<PyValue> ProgramBuilder::integerOfFloat(const json::Object &node,
                                                  double d) {
  if (std::isnan(d))
    return error(node, "'" + source(node) +
                           "': cannot convert float NaN to integer (Python "
                           "raises ValueError)");
  if (std::isinf(d))
    return error(node, "'" + source(node) +
                           "': cannot convert float infinity to integer "
                           "(Python raises OverflowError)");
  double whole = std::trunc(d);
  if (whole >= 0x1p63 || whole < -0x1p63 + 1)
    return error(node, "'" + source(node) +
                           "' does not fit in 64 bits (predict's integers "
                           "and sizes are 64-bit)");
  return constantIndex(static_cast<int64_t>(whole), loc(node));
}

bool ProgramBuilder::dependsOnTensors(Value value, Operation *loop,
                                      ValueRange inits, unsigned leading) {
  // A value from outside the loop is a tensor unless it is an integer (an
  // index, a bool, followed to what it is computed from) or a constant.
  auto isTensor = [](Value v) {
    if (!isa<TensorType>(v.getType()))
      return false;
    Operation *def = v.getDefiningOp();
    return !def || !(isa<ConstantOp>(def) ||
                     def->hasTrait<::mlir::OpTrait::ConstantLike>());
  };
  SmallVector<Value> todo{value};
  llvm::DenseSet<Value> seen;
  while (!todo.empty()) {
    Value v = todo.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      // The loop's own arguments stand for their initial values (its
      // induction variable, `leading`, is an integer); those of regions
      // nested in the body come from ops visited below; those outside the
      // loop (the function's) are values from outside.
      Operation *owner = arg.getOwner()->getParentOp();
      if (!loop->isAncestor(owner)) {
        if (isTensor(arg))
          return true;
        continue;
      }
      if (owner == loop && arg.getArgNumber() >= leading &&
          arg.getArgNumber() - leading < inits.size())
        todo.push_back(inits[arg.getArgNumber() - leading]);
      continue;
    }
    Operation *def = v.getDefiningOp();
    // (An integer or bool from outside the loop is known at import only
    // when what it is computed from is: `i = tf.shape(x)[0]` before
    // `while i < 5` is a size known at run time, from the tensor x.)
    if (!loop->isAncestor(def) && isTensor(v))
      return true;
    def->walk([&](Operation *op) {
      for (Value operand : op->getOperands())
        todo.push_back(operand);
    });
  }
  return false;
}

LogicalResult ProgramBuilder::checkPythonLoopFloats(
    const json::Object &stmt, Operation *loop, ArrayRef<std::string> carried,
    ArrayRef<PyValue> inits, ValueRange initValues, ValueRange yields,
    unsigned leading) {
  for (auto [n, init, yield] : llvm::zip(carried, inits, yields)) {
    // (A value the loop passes on as it is, computes nothing.)
    auto passed = dyn_cast<BlockArgument>(yield);
    if (!pythonFloat(init) ||
        (passed && passed.getOwner()->getParentOp() == loop) ||
        dependsOnTensors(yield, loop, initValues, leading))
      continue;
    return error(stmt, "'" + n +
                           "' is a Python float that this loop "
                           "changes with Python numbers alone: Python runs "
                           "the loop itself (its bounds or condition are "
                           "known at import) and computes it in double "
                           "precision, where predict's compiled loop would "
                           "compute float32, with other results: make it a "
                           "tensor before the loop (" +
                           n +
                           " = tf.constant(...)) for TensorFlow's "
                           "float32 arithmetic, or compute it without the "
                           "loop");
  }
  return success();
}

FailureOr<PyValue> ProgramBuilder::roundBuiltin(const json::Object &node) {
  // round(number, ndigits=None), as Python's builtin: without ndigits an
  // int, half to even (round(2.5) is 2); with ndigits the value's type,
  // rounded to a multiple of 10**-ndigits.
  FailureOr<BoundCall> call =
      bindArguments(*this, node, "round(number, ndigits=None)");
  if (failed(call))
    return failure();
  const json::Object &numberNode = call->at("number");
  FailureOr<PyValue> value = expr(numberNode);
  if (failed(value))
    return failure();
  std::optional<double> d = pythonFloat(*value);
  if (!d && !value->isIndex())
    return error(numberNode,
                 value->isTensor()
                     ? "round() of a tensor is not converted (a tf.Tensor "
                       "has no __round__; Python raises TypeError): write "
                       "tf.round(x), which rounds half to even"
                     : "round() takes a number here (a Python float or an "
                       "integer)");
  std::optional<int64_t> ndigits;
  if (call->has("ndigits")) {
    const json::Object &digitsNode = call->at("ndigits");
    if (kindOf(digitsNode) != "Constant" || !digitsNode.get("value") ||
        digitsNode.get("value")->kind() != json::Value::Null) {
      FailureOr<std::optional<int64_t>> known = knownInteger(digitsNode);
      if (failed(known))
        return failure();
      if (!*known)
        return error(digitsNode, "round()'s ndigits must be an integer "
                                 "known at import");
      ndigits = **known;
    }
  }
  Location at = loc(node);
  if (!d) {
    // An integer: round(n) and round(n, k >= 0) are n.
    if (!ndigits || *ndigits >= 0)
      return *value;
    std::optional<int64_t> n = knownIndexValue(value->value);
    if (!n)
      return error(node, "round() of an integer known only at run time to "
                         "a negative ndigits is not converted");
    // To a multiple of 10**-ndigits, half to even, exactly.
    if (*ndigits < -18)
      return constantIndex(0, at);
    int64_t unit = 1;
    for (int64_t k = 0; k < -*ndigits; ++k)
      unit *= 10;
    int64_t quotient = *n / unit, remainder = *n % unit;
    if (remainder < 0) {
      quotient -= 1;
      remainder += unit;
    }
    if (2 * remainder > unit || (2 * remainder == unit && quotient % 2 != 0))
      quotient += 1;
    int64_t result;
    if (llvm::MulOverflow(quotient, unit, result))
      return error(node, "'" + source(node) +
                             "' does not fit in 64 bits (predict's integers "
                             "are 64-bit)");
    return constantIndex(result, at);
  }
  if (!ndigits) {
    // Half to even, as the default rounding mode rounds.
    if (std::isnan(*d) || std::isinf(*d))
      return integerOfFloat(node, *d);
    return integerOfFloat(node, std::nearbyint(*d));
  }
  // round(x, k) of a float is correctly rounded from x's exact binary value
  // (CPython's dtoa), as printf's %.*f is in glibc; NaN and infinities are
  // themselves.
  if (std::isnan(*d) || std::isinf(*d) || *ndigits > 323)
    return *value;
  if (*ndigits < 0)
    return error(node, "round() of a float to a negative ndigits is not "
                       "converted: write round(x / 10**k) * 10**k");
  int digits = static_cast<int>(*ndigits);
  int length = std::snprintf(nullptr, 0, "%.*f", digits, *d);
  std::string text(length > 0 ? length + 1 : 1, '\0');
  std::snprintf(text.data(), text.size(), "%.*f", digits, *d);
  return pythonFloatValue(std::strtod(text.c_str(), nullptr), at);
}
