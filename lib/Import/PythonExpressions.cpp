//===- PythonExpressions.cpp - Python expressions to predict ops ----------===//
//
// Names, numbers, operators, and the calls that are one predict op (tf.*
// math and activations) or a foreign call. Each op is built with its result
// type unknown and typed at once by its own shape rule
// (ShapeInferenceOpInterface): the rule lives in the dialect only, and an
// operand mismatch is reported at the user's line by the op itself.
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
/// Builds one predict op of one or two operands, its result type unknown
/// until its shape rule types it.
using UnaryBuilder = Operation *(*)(OpBuilder &, Location, Value);
using BinaryBuilder = Operation *(*)(OpBuilder &, Location, Value, Value);

template <typename OpTy>
Operation *buildUnaryOp(OpBuilder &b, Location loc, Value x) {
  return OpTy::create(b, loc, x.getType(), x);
}

template <typename OpTy>
Operation *buildBinaryOp(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  Type unknown = UnrankedTensorType::get(b.getF32Type());
  if constexpr (std::is_same_v<OpTy, AddOp>) // variadic: the Add layer too
    return AddOp::create(b, loc, unknown, ValueRange{lhs, rhs});
  else
    return OpTy::create(b, loc, unknown, lhs, rhs);
}

/// tf.* calls that are one predict op of one operand (docs/PythonSource.md);
/// null if none.
UnaryBuilder unaryOp(llvm::StringRef callee) {
  return llvm::StringSwitch<UnaryBuilder>(callee)
      .Cases({"tensorflow.exp", "tensorflow.math.exp"}, buildUnaryOp<ExpOp>)
      .Case("tensorflow.math.log", buildUnaryOp<LogOp>)
      .Cases({"tensorflow.sqrt", "tensorflow.math.sqrt"}, buildUnaryOp<SqrtOp>)
      .Cases({"tensorflow.abs", "tensorflow.math.abs"}, buildUnaryOp<AbsOp>)
      .Cases({"tensorflow.negative", "tensorflow.math.negative"},
             buildUnaryOp<NegOp>)
      .Default(nullptr);
}

/// tf.* calls that are an activation (predict.activation of that kind).
std::optional<ActivationKind> activationCall(llvm::StringRef callee) {
  return llvm::StringSwitch<std::optional<ActivationKind>>(callee)
      .Case("tensorflow.nn.relu", ActivationKind::relu)
      .Case("tensorflow.nn.softmax", ActivationKind::softmax)
      .Cases({"tensorflow.nn.sigmoid", "tensorflow.sigmoid",
              "tensorflow.math.sigmoid"},
             ActivationKind::sigmoid)
      .Cases({"tensorflow.tanh", "tensorflow.math.tanh", "tensorflow.nn.tanh"},
             ActivationKind::tanh)
      .Case("tensorflow.nn.elu", ActivationKind::elu)
      .Case("tensorflow.nn.gelu", ActivationKind::gelu)
      .Cases({"tensorflow.nn.softplus", "tensorflow.math.softplus"},
             ActivationKind::softplus)
      .Cases({"tensorflow.nn.silu", "tensorflow.nn.swish"},
             ActivationKind::swish)
      .Case("tensorflow.nn.selu", ActivationKind::selu)
      .Default(std::nullopt);
}

/// The binary op of a Python operator or a tf.* call (`+`, `tf.add`, ...);
/// null if none.
BinaryBuilder binaryOp(llvm::StringRef op) {
  return llvm::StringSwitch<BinaryBuilder>(op)
      .Cases({"Add", "tensorflow.add", "tensorflow.math.add"},
             buildBinaryOp<AddOp>)
      .Cases({"Sub", "tensorflow.subtract", "tensorflow.math.subtract"},
             buildBinaryOp<SubOp>)
      .Cases({"Mult", "tensorflow.multiply", "tensorflow.math.multiply"},
             buildBinaryOp<MulOp>)
      .Cases({"Div", "tensorflow.divide", "tensorflow.math.divide"},
             buildBinaryOp<DivOp>)
      .Cases({"Pow", "tensorflow.pow", "tensorflow.math.pow"},
             buildBinaryOp<PowOp>)
      .Cases({"tensorflow.maximum", "tensorflow.math.maximum"},
             buildBinaryOp<MaximumOp>)
      .Cases({"tensorflow.minimum", "tensorflow.math.minimum"},
             buildBinaryOp<MinimumOp>)
      .Cases({"MatMult", "tensorflow.matmul", "tensorflow.linalg.matmul"},
             buildBinaryOp<MatmulOp>)
      .Default(nullptr);
}

/// Whether `callee` is one the builder makes native ops of (a tf.* call):
/// any other qualified call is a foreign call.
bool buildsNatively(llvm::StringRef callee) {
  return callee.starts_with("tensorflow.");
}

} // namespace

/// Python's float `text` (its repr: `1e-05`, `inf`, `-inf`, `nan`) as a
/// double, exactly; false when it is not one.
bool python::parseFloatText(llvm::StringRef text, llvm::APFloat &value) {
  value = llvm::APFloat(llvm::APFloat::IEEEdouble());
  if (text == "inf" || text == "-inf")
    value = llvm::APFloat::getInf(value.getSemantics(), text.starts_with("-"));
  else if (text == "nan")
    value = llvm::APFloat::getNaN(value.getSemantics());
  else if (auto status =
               value.convertFromString(text, llvm::APFloat::rmNearestTiesToEven);
           !status) {
    llvm::consumeError(status.takeError());
    return false;
  }
  return true;
}


FailureOr<Value> ProgramBuilder::typed(Operation *op) {
  auto shaped = dyn_cast<ShapeInferenceOpInterface>(op);
  SmallVector<Type> inferred;
  if (!shaped || failed(shaped.inferResultTypes(inferred))) {
    op->erase();
    return failure();
  }
  for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred))
    result.setType(type);
  return op->getResult(0);
}

FailureOr<Value> ProgramBuilder::number(const json::Object &node,
                                        const json::Object &value) {
  // Python's number, then numpy's float32 of it (round to nearest), as
  // `x * 0.1` computes in float32.
  llvm::APFloat f(llvm::APFloat::IEEEdouble());
  if (auto text = value.getString("float")) {
    if (!parseFloatText(*text, f))
      return error(node, "'" + *text + "' is not a number");
  } else if (auto text = value.getString("int")) {
    llvm::APInt i;
    if (text->getAsInteger(10, i))
      return error(node, "'" + *text + "' is not an integer");
    // Exact below 2^53; rounded to nearest above, as float() rounds.
    if (auto status = f.convertFromString(
            *text, llvm::APFloat::rmNearestTiesToEven);
        !status)
      return error(node, llvm::toString(status.takeError()));
  } else {
    return notYet(node, "this constant (only numbers)");
  }
  bool lost;
  f.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
            &lost);
  auto type = RankedTensorType::get({}, builder.getF32Type());
  auto attr = DenseElementsAttr::get(type, f);
  return ConstantOp::create(builder, loc(node), attr).getResult();
}

FailureOr<PyValue> ProgramBuilder::call(const json::Object &node) {
  if (std::optional<FailureOr<PyValue>> result = modelCall(node))
    return *result;
  const json::Object *func = node.getObject("func");
  const json::Array *args = node.getArray("args");
  const json::Array *keywords = node.getArray("keywords");
  std::optional<llvm::StringRef> callee =
      func ? func->getString("qualified") : std::nullopt;
  if (std::optional<FailureOr<PyValue>> result = integerCall(node))
    return *result;
  if (!callee || !args)
    return notYet(node, "this call (only tf.* math and activations)");
  if (std::optional<FailureOr<PyValue>> result = listCall(node, *callee))
    return *result;
  bool known = buildsNatively(*callee);
  if (known && keywords && !keywords->empty())
    return notYet(node, "keyword arguments of " + callee->str());
  if (!known) {
    SmallVector<PyValue> values;
    for (const json::Value &arg : *args) {
      FailureOr<PyValue> v = expr(arg);
      if (failed(v))
        return failure();
      values.push_back(*v);
    }
    FailureOr<Value> result = foreign(node, *callee, values, keywords);
    if (failed(result))
      return failure();
    return PyValue::tensor(*result);
  }
  SmallVector<Value> operands;
  for (const json::Value &arg : *args) {
    FailureOr<Value> v = tensor(arg);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  Location at = loc(node);
  FailureOr<Value> result = failure();
  BinaryBuilder binary = binaryOp(*callee);
  if (operands.size() == 1 && unaryOp(*callee))
    result = typed(unaryOp(*callee)(builder, at, operands[0]));
  else if (auto kind = activationCall(*callee); operands.size() == 1 && kind)
    result = typed(ActivationOp::create(builder, at, operands[0].getType(),
                                        *kind, operands[0], nullptr, nullptr,
                                        false));
  else if (operands.size() == 2 && binary)
    result = typed(binary(builder, at, operands[0], operands[1]));
  else
    return notYet(node, "'" + callee->str() + "' with " +
                            std::to_string(operands.size()) + " argument(s)");
  if (failed(result))
    return failure();
  return PyValue::tensor(*result);
}

FailureOr<Attribute> ProgramBuilder::keywordValue(const json::Object &node,
                                                  const json::Value &value) {
  // A keyword's literal value, as the dialect's attributes hold it
  // (Python's int as i64, float as f64).
  if (auto b = value.getAsBoolean())
    return Attribute(builder.getBoolAttr(*b));
  if (auto s = value.getAsString())
    return Attribute(builder.getStringAttr(*s));
  const json::Object *number = value.getAsObject();
  if (number && number->getString("int")) {
    int64_t i;
    if (number->getString("int")->getAsInteger(10, i))
      return error(node, "keyword value " + *number->getString("int") +
                             " does not fit in 64 bits");
    return Attribute(builder.getI64IntegerAttr(i));
  }
  if (number && number->getString("float")) {
    llvm::APFloat f(llvm::APFloat::IEEEdouble());
    llvm::StringRef text = *number->getString("float");
    if (!parseFloatText(text, f))
      return error(node, "'" + text + "' is not a number");
    return Attribute(builder.getFloatAttr(builder.getF64Type(), f));
  }
  return error(node, "keyword values of a foreign call must be numbers, "
                     "strings or booleans");
}

FailureOr<Value> ProgramBuilder::foreign(const json::Object &node,
                                         llvm::StringRef callee,
                                         ArrayRef<PyValue> values,
                                         const json::Array *keywords) {
  SmallVector<Value> args;
  for (const PyValue &v : values) {
    if (v.isList()) {
      FailureOr<Value> list = materialize(*v.list, node);
      if (failed(list))
        return failure();
      args.push_back(*list);
      continue;
    }
    if (!v.isTensor())
      return notYet(node, "this argument of " + callee.str() +
                              " (only tensors and lists)");
    args.push_back(v.value);
  }
  SmallVector<NamedAttribute> kwargs;
  for (const json::Value &kw : keywords ? *keywords : json::Array()) {
    const json::Object *k = kw.getAsObject();
    std::optional<llvm::StringRef> name = k ? k->getString("arg") : std::nullopt;
    const json::Object *value = k ? k->getObject("value") : nullptr;
    if (!name || !value)
      return error(k ? *k : node, "give the keywords of " + callee.str() +
                                      " one by one, by name");
    if (value->getString("node") != "Constant" || !value->get("value"))
      return error(*value, "keyword '" + *name + "' of " + callee.str() +
                               " must be a literal");
    FailureOr<Attribute> attr = keywordValue(*value, *value->get("value"));
    if (failed(attr))
      return failure();
    kwargs.push_back(builder.getNamedAttr(*name, *attr));
  }
  Type unknown = UnrankedTensorType::get(builder.getF32Type());
  auto call = ForeignCallOp::create(
      builder, loc(node), TypeRange{unknown}, builder.getStringAttr(callee),
      args, kwargs.empty() ? DictionaryAttr() : builder.getDictionaryAttr(kwargs));
  // Typed as its rewrite types it (the native op's rule); a function
  // predict does not know is a host callback, whose result has its first
  // tensor argument's rank (docs/ForeignCalls.md), sizes known at run time.
  Type type = rewrittenResultType(call);
  if (!type && !lookupForeignFunction(callee))
    for (Value arg : args)
      if (auto ranked = dyn_cast<RankedTensorType>(arg.getType())) {
        type = RankedTensorType::get(
            SmallVector<int64_t>(ranked.getRank(), ShapedType::kDynamic),
            ranked.getElementType());
        break;
      }
  if (type)
    call.getResult(0).setType(type);
  return call.getResult(0);
}

FailureOr<Value> ProgramBuilder::tensor(const json::Value &value) {
  const json::Object *node = value.getAsObject();
  // A number is a scalar tensor where a tensor is wanted (numpy's float32
  // of Python's value).
  if (node && node->getString("node") == "Constant")
    if (const json::Object *v = node->getObject("value"))
      return number(*node, *v);
  FailureOr<PyValue> v = expr(value);
  if (failed(v))
    return failure();
  if (v->isTensor())
    return v->value;
  if (v->isIndex())
    return indexAsTensor(*node, *v);
  return notYet(*node, "this value where a tensor is needed (only tensors)");
}

FailureOr<PyValue> ProgramBuilder::expr(const json::Value &value) {
  const json::Object *node = value.getAsObject();
  if (!node || !node->getString("node"))
    return emitError(FileLineColLoc::get(context, file, 1, 1))
           << "the program JSON has an expression that is not a node";
  llvm::StringRef kind = *node->getString("node");
  // Integers (literals and their + - *) are `index` (PythonLoops.cpp).
  if (std::optional<FailureOr<PyValue>> i = integerConstant(*node))
    return *i;
  if (kind == "Name") {
    llvm::StringRef id = node->getString("id").value_or("");
    if (failed(checkRead(*node, id)))
      return failure();
    auto it = scope->env.find(id);
    if (it == scope->env.end())
      return error(*node, "'" + id + "' is not defined here");
    return it->second;
  }
  if (kind == "Constant") {
    const json::Object *v = node->getObject("value");
    if (!v)
      return notYet(*node, "this constant (only numbers)");
    FailureOr<Value> c = number(*node, *v);
    if (failed(c))
      return failure();
    return PyValue::tensor(*c);
  }
  if (kind == "BinOp") {
    // Integer arithmetic, or numbers taking the other side's kind
    // (PythonLoops.cpp).
    FailureOr<std::pair<PyValue, PyValue>> operands = binaryOperands(*node);
    if (failed(operands))
      return failure();
    auto [lhs, rhs] = *operands;
    if (lhs.isIndex())
      return indexBinary(*node, lhs, rhs);
    BinaryBuilder build = binaryOp(node->getString("op").value_or(""));
    if (!build)
      return error(*node, "tensor arithmetic supports + - * / ** @ between "
                          "tensors and numbers");
    FailureOr<Value> result =
        typed(build(builder, loc(*node), lhs.value, rhs.value));
    if (failed(result))
      return failure();
    return PyValue::tensor(*result);
  }
  if (kind == "UnaryOp") {
    llvm::StringRef op = node->getString("op").value_or("");
    FailureOr<PyValue> operand = expr(*node->get("operand"));
    if (failed(operand))
      return failure();
    if (operand->isIndex() && op == "USub")
      return indexNegate(*node, *operand);
    if (operand->isIndex() && op == "UAdd")
      return *operand;
    if (!operand->isTensor())
      return notYet(*node, "this operand (only tensors and integers)");
    FailureOr<Value> x = operand->value;
    if (op == "UAdd")
      return PyValue::tensor(*x);
    if (op != "USub")
      return notYet(*node, "the operator " + op.str());
    FailureOr<Value> result =
        typed(NegOp::create(builder, loc(*node), x->getType(), *x));
    if (failed(result))
      return failure();
    return PyValue::tensor(*result);
  }
  if (kind == "Call")
    return call(*node);
  if (kind == "Subscript")
    return subscript(*node);
  if (kind == "List")
    return listLiteral(*node);
  if (kind == "Attribute")
    if (std::optional<FailureOr<PyValue>> result = modelAttribute(*node))
      return *result;
  return notYet(*node, "a Python " + kind.str() + " expression");
}
