//===- PythonProgram.cpp - build IR from the reader's program JSON --------===//
//
// Walks the program JSON of docs/PythonProgram.md and builds each op with
// the dialect's builders. An op is built with an unknown result type and
// typed at once by its own shape rule (ShapeInferenceOpInterface): the rule
// lives in the dialect only, and an operand mismatch is reported at the
// user's line by the op itself.
//
//===----------------------------------------------------------------------===//

#include "predict/Import/PythonProgram.h"
#include "predict/Import/PythonFrontEnd.h"

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace mlir::predict;
namespace json = llvm::json;

namespace {
llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

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

/// Python's float `text` (its repr: `1e-05`, `inf`, `-inf`, `nan`) as a
/// double, exactly; false when it is not one.
bool parseFloatText(llvm::StringRef text, llvm::APFloat &value) {
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

class ProgramBuilder {
public:
  ProgramBuilder(MLIRContext *context, const PythonProgramOptions &options)
      : context(context), options(options), builder(context) {}

  llvm::Expected<OwningOpRef<ModuleOp>> build(const json::Object &program);

private:
  /// The location of `node` (its `loc`), or the file's.
  Location loc(const json::Object &node) {
    const json::Array *at = node.getArray("loc");
    if (at && at->size() == 2)
      if (auto line = (*at)[0].getAsInteger())
        if (auto col = (*at)[1].getAsInteger())
          return FileLineColLoc::get(context, file, *line, *col);
    return FileLineColLoc::get(context, file, 1, 1);
  }
  /// Emits `message` at `node` and fails.
  LogicalResult error(const json::Object &node, const llvm::Twine &message) {
    return emitError(loc(node)) << message;
  }
  LogicalResult notYet(const json::Object &node, llvm::StringRef what) {
    return error(node, "the C++ builder does not convert " + what +
                           " yet (docs/PythonProgram.md)");
  }

  LogicalResult buildEntry(const json::Object &entry,
                           const json::Object &function);
  FailureOr<SmallVector<Type>> signature(const json::Object &entry,
                                         const json::Object &function);
  LogicalResult statement(const json::Object &stmt);
  FailureOr<Value> expr(const json::Value &value);
  FailureOr<Value> number(const json::Object &node, const json::Object &value);
  FailureOr<Value> call(const json::Object &node);
  FailureOr<Value> foreign(const json::Object &node, llvm::StringRef callee,
                           ValueRange args, const json::Array *keywords);
  FailureOr<Attribute> keywordValue(const json::Object &node,
                                    const json::Value &value);
  /// Types `op`'s results by its own shape rule; fails (the op has said
  /// why, at the user's line) when its operands break the rule.
  FailureOr<Value> typed(Operation *op);

  MLIRContext *context;
  const PythonProgramOptions &options;
  OpBuilder builder;
  std::string file;
  /// The --input-shape keys that name an entry's argument.
  llvm::StringSet<> shapesRead;
  /// The names bound in the function being built.
  llvm::StringMap<Value> scope;
  /// The values `return` gave, once it has, and where.
  std::optional<SmallVector<Value>> returned;
  std::optional<Location> returnLoc;
};
} // namespace

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

FailureOr<Value> ProgramBuilder::call(const json::Object &node) {
  const json::Object *func = node.getObject("func");
  const json::Array *args = node.getArray("args");
  const json::Array *keywords = node.getArray("keywords");
  std::optional<llvm::StringRef> callee =
      func ? func->getString("qualified") : std::nullopt;
  if (!callee || !args)
    return notYet(node, "this call (only tf.* math and activations)");
  bool known = buildsNatively(*callee);
  if (known && keywords && !keywords->empty())
    return notYet(node, "keyword arguments of " + callee->str());
  SmallVector<Value> operands;
  for (const json::Value &arg : *args) {
    FailureOr<Value> v = expr(arg);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  Location at = loc(node);
  if (operands.size() == 1) {
    if (UnaryBuilder build = unaryOp(*callee))
      return typed(build(builder, at, operands[0]));
    if (auto kind = activationCall(*callee))
      return typed(ActivationOp::create(builder, at, operands[0].getType(),
                                        *kind, operands[0], nullptr, nullptr,
                                        false));
  }
  BinaryBuilder build = binaryOp(*callee);
  if (operands.size() == 2 && build)
    return typed(build(builder, at, operands[0], operands[1]));
  if (known)
    return notYet(node, "'" + callee->str() + "' with " +
                            std::to_string(operands.size()) + " argument(s)");
  return foreign(node, *callee, operands, keywords);
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
                                         ValueRange args,
                                         const json::Array *keywords) {
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

FailureOr<Value> ProgramBuilder::expr(const json::Value &value) {
  const json::Object *node = value.getAsObject();
  if (!node || !node->getString("node"))
    return emitError(FileLineColLoc::get(context, file, 1, 1))
           << "the program JSON has an expression that is not a node";
  llvm::StringRef kind = *node->getString("node");
  if (kind == "Name") {
    llvm::StringRef id = node->getString("id").value_or("");
    auto it = scope.find(id);
    if (it == scope.end())
      return error(*node, "'" + id + "' is not defined here");
    return it->second;
  }
  if (kind == "Constant") {
    const json::Object *v = node->getObject("value");
    if (!v)
      return notYet(*node, "this constant (only numbers)");
    return number(*node, *v);
  }
  if (kind == "BinOp") {
    BinaryBuilder build = binaryOp(node->getString("op").value_or(""));
    if (!build)
      return notYet(*node, "the operator " +
                               node->getString("op").value_or("?").str());
    FailureOr<Value> lhs = expr(*node->get("left"));
    if (failed(lhs))
      return failure();
    FailureOr<Value> rhs = expr(*node->get("right"));
    if (failed(rhs))
      return failure();
    return typed(build(builder, loc(*node), *lhs, *rhs));
  }
  if (kind == "UnaryOp") {
    llvm::StringRef op = node->getString("op").value_or("");
    FailureOr<Value> x = expr(*node->get("operand"));
    if (failed(x) || op == "UAdd")
      return x;
    if (op == "USub")
      return typed(NegOp::create(builder, loc(*node), x->getType(), *x));
    return notYet(*node, "the operator " + op.str());
  }
  if (kind == "Call")
    return call(*node);
  return notYet(*node, "a Python " + kind.str() + " expression");
}

LogicalResult ProgramBuilder::statement(const json::Object &stmt) {
  llvm::StringRef kind = stmt.getString("node").value_or("");
  if (returned)
    return error(stmt, "code after 'return' never runs: remove it");
  if (kind == "Assign") {
    const json::Array *targets = stmt.getArray("targets");
    const json::Object *target =
        targets && targets->size() == 1 ? (*targets)[0].getAsObject() : nullptr;
    if (!target || target->getString("node") != "Name")
      return notYet(stmt, "this assignment (only `name = ...`)");
    FailureOr<Value> value = expr(*stmt.get("value"));
    if (failed(value))
      return failure();
    scope[*target->getString("id")] = *value;
    return success();
  }
  if (kind == "Return") {
    const json::Value *value = stmt.get("value");
    if (!value || value->kind() == json::Value::Null)
      return error(stmt, "an entry function returns at least one tensor");
    SmallVector<Value> results;
    const json::Object *node = value->getAsObject();
    if (node && node->getString("node") == "Tuple") {
      for (const json::Value &elt : *node->getArray("elts")) {
        FailureOr<Value> v = expr(elt);
        if (failed(v))
          return failure();
        results.push_back(*v);
      }
    } else {
      FailureOr<Value> v = expr(*value);
      if (failed(v))
        return failure();
      results.push_back(*v);
    }
    returned = std::move(results);
    returnLoc = loc(stmt);
    return success();
  }
  if (kind == "Expr") {
    // A docstring is a statement that does nothing.
    const json::Object *value = stmt.getObject("value");
    if (value && value->getString("node") == "Constant" &&
        value->getString("value"))
      return success();
  }
  return notYet(stmt, "a Python " + kind.str() + " statement");
}

FailureOr<SmallVector<Type>>
ProgramBuilder::signature(const json::Object &entry,
                          const json::Object &function) {
  llvm::StringRef name = *function.getString("name");
  const json::Array *params = function.getArray("params");
  const json::Array *examples = entry.getArray("examples");
  SmallVector<Type> types;
  for (auto [i, param] : llvm::enumerate(*params)) {
    const json::Object *p = param.getAsObject();
    llvm::StringRef paramName = p->getString("name").value_or("");
    // --input-shape=FUNCTION.NAME=... or NAME=...: the user's word first.
    shapesRead.insert(paramName);
    shapesRead.insert((name + "." + paramName).str());
    std::optional<std::string> spec;
    for (const std::string &given : options.inputShapes) {
      llvm::StringRef key = llvm::StringRef(given).split('=').first;
      if (key == paramName || key == (name + "." + paramName).str())
        spec = llvm::StringRef(given).split('=').second.str();
    }
    if (spec) {
      Type type = parseType("tensor<" + *spec + ">", context);
      if (!type || !isa<RankedTensorType>(type))
        return error(*p, "--input-shape for '" + paramName + "': '" + *spec +
                             "' is not a shape such as ?x100xf32");
      types.push_back(type);
      continue;
    }
    // The example's shape, its batch dimension dynamic (a scalar has none).
    const json::Object *example =
        examples && i < examples->size() ? (*examples)[i].getAsObject()
                                         : nullptr;
    const json::Array *sizes = example ? example->getArray("tuple") : nullptr;
    if (!sizes)
      return error(*p, "cannot infer the shape of argument '" + paramName +
                           "' of '" + name +
                           "': the program never calls it with an example "
                           "such as tf.random.normal((1, 100)); give "
                           "--input-shape=" +
                           paramName + "=?x100xf32");
    SmallVector<int64_t> shape;
    for (auto [d, size] : llvm::enumerate(*sizes)) {
      const json::Object *s = size.getAsObject();
      int64_t n;
      if (!s || !s->getString("int") ||
          s->getString("int")->getAsInteger(10, n) || n < 0)
        return error(entry, "the program JSON gives a bad example size");
      shape.push_back(d == 0 ? ShapedType::kDynamic : n);
    }
    types.push_back(RankedTensorType::get(shape, builder.getF32Type()));
  }
  return types;
}

LogicalResult ProgramBuilder::buildEntry(const json::Object &entry,
                                         const json::Object &function) {
  FailureOr<SmallVector<Type>> inputs = signature(entry, function);
  if (failed(inputs))
    return failure();
  llvm::StringRef name = *function.getString("name");
  auto func = func::FuncOp::create(builder, loc(function), name,
                                   builder.getFunctionType(*inputs, {}));
  Block *body = func.addEntryBlock();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(body);
  scope.clear();
  returned.reset();
  for (auto [param, arg] :
       llvm::zip_equal(*function.getArray("params"), body->getArguments())) {
    const json::Object *p = param.getAsObject();
    arg.setLoc(loc(*p));
    scope[*p->getString("name")] = arg;
  }
  for (const json::Value &stmt : *function.getArray("body")) {
    const json::Object *s = stmt.getAsObject();
    if (!s || failed(statement(*s)))
      return failure();
  }
  if (!returned)
    return error(function, "entry function '" + name +
                               "' never returns a value");
  SmallVector<Type> results;
  for (Value v : *returned)
    results.push_back(v.getType());
  func.setFunctionType(builder.getFunctionType(*inputs, results));
  func::ReturnOp::create(builder, *returnLoc, *returned);
  return success();
}

llvm::Expected<OwningOpRef<ModuleOp>>
ProgramBuilder::build(const json::Object &program) {
  if (program.getString("schema") != kPythonProgramSchema)
    return fail("not a predict program JSON (its \"schema\" is not \"" +
                kPythonProgramSchema + "\")");
  if (program.getInteger("version") != kPythonProgramVersion)
    return fail("program JSON of version " +
                std::to_string(program.getInteger("version").value_or(0)) +
                "; this builder reads version " +
                std::to_string(kPythonProgramVersion) +
                ": use the reader of the same predict");
  file = program.getString("file").value_or("<unknown>").str();
  const json::Array *models = program.getArray("models");
  const json::Array *functions = program.getArray("functions");
  const json::Array *entries = program.getArray("entries");
  if (!models || !functions || !entries)
    return fail("the program JSON lacks \"models\", \"functions\" or "
                "\"entries\"");
  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(context, file, 1, 1));
  builder.setInsertionPointToEnd(module->getBody());
  bool ok = true;
  for (const json::Value &m : *models)
    if (const json::Object *model = m.getAsObject()) {
      (void)notYet(*model, "models");
      ok = false;
    }
  for (const json::Value &e : *entries) {
    const json::Object *entry = e.getAsObject();
    llvm::StringRef name = entry ? entry->getString("function").value_or("")
                                 : llvm::StringRef();
    const json::Object *function = nullptr;
    for (const json::Value &f : *functions)
      if (f.getAsObject() && f.getAsObject()->getString("name") == name)
        function = f.getAsObject();
    if (!function || !function->getArray("params") ||
        !function->getArray("body"))
      return fail("the program JSON has no function '" + name +
                  "' for its entry");
    ok &= succeeded(buildEntry(*entry, *function));
  }
  for (const std::string &given : options.inputShapes) {
    llvm::StringRef key = llvm::StringRef(given).split('=').first;
    if (!shapesRead.contains(key)) {
      emitError(module->getLoc())
          << "--input-shape=" << key
          << "=...: no entry function has an argument '" << key << "'";
      ok = false;
    }
  }
  if (!ok)
    return fail("cannot convert '" + file + "'");
  if (failed(verify(*module)))
    return fail("internal error: the C++ builder made invalid IR from '" +
                file + "'; please report it with the source");
  return std::move(module);
}

llvm::Expected<OwningOpRef<ModuleOp>>
predict::buildPythonProgram(MLIRContext *context, const json::Value &program,
                            const PythonProgramOptions &options) {
  context->loadDialect<PredictDialect, func::FuncDialect, arith::ArithDialect,
                       tensor::TensorDialect>();
  const json::Object *object = program.getAsObject();
  if (!object)
    return fail("the program JSON is not an object");
  return ProgramBuilder(context, options).build(*object);
}

llvm::Expected<OwningOpRef<ModuleOp>>
predict::importPythonProgram(MLIRContext *context, llvm::StringRef path,
                             const PythonProgramOptions &options) {
  // A program JSON written by the reader before (`.json`) is built as it is.
  if (path.ends_with(".json")) {
    auto text = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!text)
      return fail("cannot read '" + path + "': " + text.getError().message());
    llvm::Expected<json::Value> program = json::parse((*text)->getBuffer());
    if (!program)
      return fail("'" + path + "' is not JSON: " +
                  llvm::toString(program.takeError()));
    return buildPythonProgram(context, *program, options);
  }
  llvm::SmallString<64> jsonPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("predict-program", "json",
                                             jsonPath))
    return fail("cannot create a temporary file: " + ec.message());
  llvm::FileRemover remover(jsonPath);
  if (llvm::Error e = runPythonFrontEnd(kPythonReaderScript, {path.str()},
                                        jsonPath, path))
    return std::move(e);
  auto text = llvm::MemoryBuffer::getFile(jsonPath, /*IsText=*/true);
  if (!text)
    return fail("cannot read the Python reader's output: " +
                text.getError().message());
  llvm::Expected<json::Value> program = json::parse((*text)->getBuffer());
  if (!program)
    return fail("internal error: the Python reader wrote JSON that does not "
                "parse (" +
                llvm::toString(program.takeError()) +
                "); please report it with the source");
  return buildPythonProgram(context, *program, options);
}
