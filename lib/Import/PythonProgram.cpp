//===- PythonProgram.cpp - build IR from the reader's program JSON --------===//
//
// Walks the program JSON of docs/PythonProgram.md and builds each op with
// the dialect's builders. An op is built with an unknown result type and
// typed at once by its own shape rule (ShapeInferenceOpInterface): the rule
// lives in the dialect only, and an operand mismatch is reported at the
// user's line by the op itself.
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"
#include "predict/Import/PythonFrontEnd.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/SaveAndRestore.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace

Location ProgramBuilder::loc(const json::Object &node) {
  const json::Array *at = node.getArray("loc");
  if (at && at->size() == 2)
    if (auto line = (*at)[0].getAsInteger())
      if (auto col = (*at)[1].getAsInteger())
        return FileLineColLoc::get(context, file, *line, *col);
  return FileLineColLoc::get(context, file, 1, 1);
}

LogicalResult ProgramBuilder::error(const json::Object &node,
                                    const llvm::Twine &message) {
  return emitError(loc(node)) << message;
}

LogicalResult ProgramBuilder::notYet(const json::Object &node,
                                     llvm::StringRef what) {
  return error(node, "the C++ builder does not convert " + what +
                         " yet (docs/PythonProgram.md)");
}

std::string ProgramBuilder::source(const json::Object &node) {
  // The text between the node's `loc` and `end` in the program's `source`
  // (UTF-8 byte columns, as Python's ast counts them).
  auto position = [&](const char *key) -> std::optional<size_t> {
    const json::Array *at = node.getArray(key);
    std::optional<int64_t> line, col;
    if (at && at->size() == 2) {
      line = (*at)[0].getAsInteger();
      col = (*at)[1].getAsInteger();
    }
    if (!line || !col || *line < 1 || *col < 1 ||
        size_t(*line) > sourceLineStarts.size())
      return std::nullopt;
    size_t offset = sourceLineStarts[*line - 1] + *col - 1;
    return offset <= sourceText.size() ? std::optional(offset) : std::nullopt;
  };
  std::optional<size_t> begin = position("loc"), end = position("end");
  if (!begin || !end || *end < *begin)
    return "a Python " + node.getString("node").value_or("expression").str();
  return sourceText.substr(*begin, *end - *begin).str();
}

const json::Object *ProgramBuilder::function(llvm::StringRef name) {
  for (const json::Value &f : *program->getArray("functions"))
    if (f.getAsObject() && f.getAsObject()->getString("name") == name)
      return f.getAsObject();
  return nullptr;
}

LogicalResult ProgramBuilder::statement(const json::Object &stmt) {
  llvm::StringRef kind = stmt.getString("node").value_or("");
  if (kind == "Assign") {
    const json::Array *targets = stmt.getArray("targets");
    const json::Object *target =
        targets && targets->size() == 1 ? (*targets)[0].getAsObject() : nullptr;
    if (!target || target->getString("node") != "Name")
      return notYet(stmt, "this assignment (only `name = ...`)");
    FailureOr<PyValue> value = expr(*stmt.get("value"));
    if (failed(value))
      return failure();
    const json::Object *rhs = stmt.getObject("value");
    if (value->isList() && rhs && rhs->getString("node") == "Name")
      return error(stmt, "'" + source(stmt) + "' gives the list '" +
                             *rhs->getString("id") +
                             "' a second name; a list with two names is not "
                             "supported (use '" + *rhs->getString("id") +
                             "' itself)");
    scope->env[*target->getString("id")] = *value;
    return success();
  }
  if (kind == "For")
    return forLoop(stmt);
  if (kind == "Expr") {
    // A docstring is a statement that does nothing.
    const json::Object *value = stmt.getObject("value");
    if (value && value->getString("node") == "Constant" &&
        value->getString("value"))
      return success();
    const json::Object *func = value ? value->getObject("func") : nullptr;
    if (value && value->getString("node") == "Call" && func &&
        func->getString("node") == "Attribute" &&
        func->getString("attr") == "append")
      return append(*value);
  }
  if (kind == "Pass")
    return success();
  return notYet(stmt, "a Python " + kind.str() + " statement");
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::body(const json::Array &stmts) {
  for (auto [i, s] : llvm::enumerate(stmts)) {
    const json::Object *stmt = s.getAsObject();
    if (!stmt)
      return emitError(FileLineColLoc::get(context, file, 1, 1))
             << "the program JSON has a statement that is not a node";
    if (stmt->getString("node") != "Return") {
      if (failed(statement(*stmt)))
        return failure();
      continue;
    }
    if (i + 1 != stmts.size())
      return error(*stmts[i + 1].getAsObject(),
                   "code after 'return' never runs: remove it");
    const json::Value *value = stmt->get("value");
    if (!value || value->kind() == json::Value::Null)
      return error(*stmt, "the function must return a tensor");
    scope->returnNode = stmt;
    const json::Object *node = value->getAsObject();
    SmallVector<const json::Value *> values;
    if (node && node->getString("node") == "Tuple")
      for (const json::Value &elt : *node->getArray("elts"))
        values.push_back(&elt);
    else
      values.push_back(value);
    SmallVector<PyValue> results;
    for (const json::Value *v : values) {
      FailureOr<Value> t = tensor(*v);
      if (failed(t))
        return failure();
      results.push_back(PyValue::tensor(*t));
    }
    return results;
  }
  return error(*scope->function, "'" +
                                     scope->function->getString("name")
                                         .value_or("")
                                         .str() +
                                     "' must end with a return statement");
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
  Block *block = func.addEntryBlock();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(block);
  FunctionScope fn;
  fn.function = &function;
  llvm::SaveAndRestore<FunctionScope *> inFunction(scope, &fn);
  for (auto [param, arg] :
       llvm::zip_equal(*function.getArray("params"), block->getArguments())) {
    const json::Object *p = param.getAsObject();
    arg.setLoc(loc(*p));
    fn.env[*p->getString("name")] = PyValue::tensor(arg);
  }
  FailureOr<SmallVector<PyValue>> returned = body(*function.getArray("body"));
  if (failed(returned))
    return failure();
  SmallVector<Value> values;
  for (const PyValue &v : *returned)
    values.push_back(v.value);
  func.setFunctionType(
      builder.getFunctionType(*inputs, ValueRange(values).getTypes()));
  func::ReturnOp::create(builder, loc(*fn.returnNode), values);
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
  this->program = &program;
  file = program.getString("file").value_or("<unknown>").str();
  sourceText = program.getString("source").value_or("");
  sourceLineStarts = {0};
  for (size_t i = 0; i < sourceText.size(); ++i)
    if (sourceText[i] == '\n')
      sourceLineStarts.push_back(i + 1);
  const json::Array *models = program.getArray("models");
  const json::Array *functions = program.getArray("functions");
  const json::Array *entries = program.getArray("entries");
  if (!models || !functions || !entries)
    return fail("the program JSON lacks \"models\", \"functions\" or "
                "\"entries\"");
  // --weights is read first: a file that cannot be read is the error.
  if (llvm::Error e = openWeights())
    return std::move(e);
  OwningOpRef<ModuleOp> owned =
      ModuleOp::create(FileLineColLoc::get(context, file, 1, 1));
  module = *owned;
  builder.setInsertionPointToEnd(module.getBody());
  bool ok = true;
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
      emitError(module.getLoc())
          << "--input-shape=" << key
          << "=...: no entry function has an argument '" << key << "'";
      ok = false;
    }
  }
  ok = ok && succeeded(finishModels());
  if (!ok)
    return fail("cannot convert '" + file + "'");
  if (failed(verify(module)))
    return fail("internal error: the C++ builder made invalid IR from '" +
                file + "'; please report it with the source");
  if (llvm::Error e = dumpWeights())
    return std::move(e);
  return std::move(owned);
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
