//===- PythonProgram.cpp - build IR from the reader's program JSON --------===//
//
// Walks the program JSON of docs/PythonProgram.md and builds each op with
// the dialect's builders. An op is built with an unknown result type and
// typed at once by its own shape rule (ShapeInferenceOpInterface): the rule
// lives in the dialect only, and an operand mismatch is reported at the
// user's line by the op itself.
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"

#include <functional>
#include "predict/Import/PythonFrontEnd.h"
#include "predict/Support/InputFiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SaveAndRestore.h"
#include "llvm/Support/Signals.h"

#include <sys/stat.h>
#include <unistd.h>

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

int64_t ProgramBuilder::line(const json::Object &node) {
  const json::Array *at = node.getArray("loc");
  std::optional<int64_t> line =
      at && !at->empty() ? (*at)[0].getAsInteger() : std::nullopt;
  return line.value_or(1);
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

json::Object python::located(json::Object node, const json::Object &where) {
  for (const char *key : {"loc", "end"})
    if (const json::Value *at = where.get(key))
      node[key] = *at;
  return node;
}

json::Object python::tfCallNode(llvm::StringRef fn, json::Array args,
                                json::Array keywords,
                                const json::Object &where) {
  return located(
      json::Object{{"node", "Call"},
                   {"func", located(json::Object{{"node", "Attribute"},
                                                 {"attr", fn},
                                                 {"qualified",
                                                  ("tensorflow." + fn).str()}},
                                    where)},
                   {"args", std::move(args)},
                   {"keywords", std::move(keywords)}},
      where);
}

const json::Object &ProgramBuilder::synthesize(json::Object node) {
  synthesized.push_back(std::move(node));
  return synthesized.back();
}

std::string python::pythonRepr(llvm::StringRef text) {
  bool hasSingle = text.contains('\''), hasDouble = text.contains('"');
  char quote = hasSingle && !hasDouble ? '"' : '\'';
  std::string out(1, quote);
  for (unsigned char c : text) {
    if (c == '\\' || c == quote)
      out += std::string("\\") + char(c);
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (c < 0x20 || c == 0x7F)
      out += llvm::formatv("\\x{0:x-2}", unsigned(c)).str();
    else
      out += char(c);
  }
  return out + quote;
}

std::optional<std::pair<SmallVector<int64_t>, llvm::StringRef>>
python::parseInputSpec(llvm::StringRef spec) {
  // `f32` alone: a scalar (rank 0).
  auto [dims, element] = spec.contains('x')
                             ? spec.rsplit('x')
                             : std::pair{llvm::StringRef(), spec};
  if (element != "f32" && element != "i32" && element != "i64" &&
      element != "i1")
    return std::nullopt;
  std::optional<SmallVector<int64_t>> shape =
      parseShapeSpec(dims.empty() ? "f32" : (dims + "xf32").str());
  if (!shape)
    return std::nullopt;
  return std::pair{*shape, element};
}

std::optional<SmallVector<int64_t>>
python::parseShapeSpec(llvm::StringRef spec) {
  SmallVector<llvm::StringRef> parts;
  spec.split(parts, 'x');
  if (parts.back() != "f32")
    return std::nullopt;
  SmallVector<int64_t> shape;
  for (llvm::StringRef p : llvm::ArrayRef(parts).drop_back()) {
    int64_t size;
    if (p == "?")
      shape.push_back(ShapedType::kDynamic);
    else if (!p.empty() && llvm::all_of(p, llvm::isDigit) &&
             !p.getAsInteger(10, size) && size >= 0)
      shape.push_back(size);
    else
      return std::nullopt;
  }
  return shape;
}

LogicalResult ProgramBuilder::assertStatement(const json::Object &stmt) {
  // `assert test, msg`: decided at import when the test is known (a false
  // one is Python's AssertionError on every call: an error here), else a
  // run-time check whose failure is a located error.
  const json::Object *test = stmt.getObject("test");
  if (!test)
    return error(stmt, "the program JSON has an Assert without a test");
  FailureOr<Condition> c = condition(*test, "the `assert` statement");
  if (failed(c))
    return failure();
  std::string message = "assertion failed: '" + source(*test) + "'";
  if (const json::Object *msg = stmt.getObject("msg")) {
    const json::Value *v =
        msg->getString("node") == "Constant" ? msg->get("value") : nullptr;
    if (v && v->getAsString())
      message += ": " + v->getAsString()->str();
    else
      message += " (" + source(*msg) + ")";
  }
  if (c->known) {
    if (*c->known)
      return success();
    return error(stmt, message + " (known at import: Python raises "
                                 "AssertionError on every call)");
  }
  std::string text = braces(message);
  AssertOp::create(builder, loc(stmt), c->value, builder.getStringAttr(text),
                   ValueRange{});
  return success();
}

LogicalResult ProgramBuilder::annotatedAssign(const json::Object &stmt) {
  // `name: "?x5xf32" = value`: the type of a foreign call's result, which
  // Python source cannot otherwise give (a host callback needs its rank);
  // elsewhere a checked claim. Other annotations (such as `tf.Tensor`) say
  // nothing about the shape and are ignored.
  const json::Object *note = stmt.getObject("annotation");
  const json::Object *target = stmt.getObject("target");
  const json::Object *value = stmt.getObject("value");
  std::optional<RankedTensorType> declared;
  if (note && note->getString("node") == "Constant")
    if (std::optional<llvm::StringRef> text = note->getString("value")) {
      llvm::StringRef spec = text->trim();
      if (spec.starts_with("tensor<") && spec.ends_with(">"))
        spec = spec.drop_front(strlen("tensor<")).drop_back();
      std::optional<SmallVector<int64_t>> shape = parseShapeSpec(spec);
      if (!shape)
        return error(*note, "the annotation " + pythonRepr(*text) +
                                " is not a tensor type: write one as "
                                "\"?x10xf32\" (each size ? or a number, "
                                "float32 elements)");
      declared = RankedTensorType::get(*shape, builder.getF32Type());
    }
  std::optional<Annotation> outer = annotated;
  if (declared)
    annotated = Annotation{value, *declared, note};
  FailureOr<PyValue> result = expr(*value);
  annotated = outer;
  if (failed(result))
    return failure();
  if (declared) {
    Type type = result->isTensor() ? result->value.getType()
                : result->isIndex() ? Type(builder.getIndexType())
                : result->isList() && result->list->ssa
                    ? result->list->ssa.getType()
                    : Type();
    auto ranked = dyn_cast_or_null<RankedTensorType>(type);
    bool fits = result->isTensor() && (!ranked || [&] {
                  if (ranked.getRank() != declared->getRank())
                    return false;
                  for (auto [a, b] : llvm::zip_equal(ranked.getShape(),
                                                     declared->getShape()))
                    if (!ShapedType::isDynamic(a) &&
                        !ShapedType::isDynamic(b) && a != b)
                      return false;
                  return true;
                }());
    if (!fits) {
      std::string text = "a list";
      if (type) {
        text.clear();
        llvm::raw_string_ostream os(text);
        type.print(os);
      }
      std::string want;
      llvm::raw_string_ostream os(want);
      declared->print(os);
      return error(*note, "the annotation says " + want +
                              ", but the value is " + text);
    }
  }
  scope->env[*target->getString("id")] = *result;
  return success();
}

bool ProgramBuilder::atFunctionLevel() {
  Block *block = builder.getInsertionBlock();
  return block && isa_and_nonnull<FunctionOpInterface>(block->getParentOp());
}

LogicalResult ProgramBuilder::statement(const json::Object &stmt) {
  // `blk = self.blocks[i]`, `d = self.d`: another name of the layer
  // (found by helper-80: "unsupported expression"). Not under a run-time
  // `if` or in a run-time loop, where the layer the name holds would be
  // chosen at run time (found by helper-82: the last arm's was taken).
  const json::Array *targets = stmt.getArray("targets");
  const json::Object *target =
      targets && targets->size() == 1 ? (*targets)[0].getAsObject() : nullptr;
  const json::Object *value = stmt.getObject("value");
  // `def body(i, s): ...` in a function's body, `cond = lambda i, s: i <
  // n`: functions of this scope (FunctionScope::localFunctions), called
  // where the body calls them. (A decorated `def` is written otherwise by
  // the reader: not converted.)
  bool defined = kindOf(stmt) == "FunctionDef" && stmt.getArray("params");
  if (defined || (kindOf(stmt) == "Assign" && kindOf(target) == "Name" &&
                  kindOf(value) == "Lambda")) {
    llvm::StringRef id = defined ? stmt.getString("name").value_or("")
                                 : target->getString("id").value_or("");
    if (!atFunctionLevel())
      return error(stmt, "'" + id.str() +
                             "' is defined under a condition decided at run "
                             "time or in a loop at run time: define it at "
                             "the function's level");
    // Its defaults other than literals are evaluated here, as Python
    // evaluates them when the `def` runs.
    if (defined)
      for (const json::Array *defaults :
           {stmt.getArray("defaults"), stmt.getArray("kw_defaults")})
        for (const json::Object *d : nodes(defaults))
          if (kindOf(*d) != "Constant" && !d->get("folded")) {
            FailureOr<PyValue> v = expr(*d);
            if (failed(v))
              return failure();
            localDefaults[d] = *v;
          }
    scope->env.erase(id);
    scope->known.erase(id);
    scope->localFunctions[id] = defined ? &stmt : value;
    return success();
  }
  if (kindOf(stmt) == "Assign" && kindOf(target) == "Name" && value) {
    FailureOr<std::optional<std::string>> layer = heldLayer(*value);
    if (failed(layer))
      return failure();
    if (*layer) {
      llvm::StringRef id = target->getString("id").value_or("");
      if (!atFunctionLevel())
        return error(stmt, "'" + source(stmt) +
                               "' names a layer under a condition decided "
                               "at run time or in a loop at run time, "
                               "where the layer a name holds would be "
                               "chosen at run time (TensorFlow cannot "
                               "either): call each layer where it is "
                               "chosen");
      scope->env.erase(id);
      scope->known.erase(id);
      scope->heldAliases.erase(id);
      scope->layerAliases[id] = **layer;
      return success();
    }
  }
  // A name bound to a layer (by the statement above, or by a loop unrolled
  // at import, kept after it as Python keeps a loop's variable) is that
  // layer until a statement binds it again: after the statement, whose
  // value may call it (`d = d(x)`, found by helper-82).
  SmallVector<std::string> rebound;
  if (!scope->layerAliases.empty() || !scope->heldAliases.empty() ||
      !scope->localFunctions.empty())
    collectReboundNames(json::Array{json::Value(json::Object(stmt))}, rebound);
  LogicalResult converted = convertStatement(stmt);
  for (const std::string &name : rebound) {
    scope->layerAliases.erase(name);
    scope->heldAliases.erase(name);
    scope->localFunctions.erase(name);
  }
  return converted;
}

LogicalResult ProgramBuilder::convertStatement(const json::Object &stmt) {
  llvm::StringRef kind = stmt.getString("node").value_or("");
  const json::Array *targets = stmt.getArray("targets");
  const json::Object *target =
      targets && targets->size() == 1 ? (*targets)[0].getAsObject() : nullptr;
  llvm::StringRef targetKind =
      target ? target->getString("node").value_or("") : "";
  const json::Object *value = stmt.getObject("value");
  llvm::StringRef valueKind =
      value ? value->getString("node").value_or("") : "";
  // `a, b = ...` and `[a, b] = ...` unpack alike, as do `x, y` and `[x, y]`.
  bool unpacking = targetKind == "Tuple" || targetKind == "List";
  bool valueTuple = valueKind == "Tuple" || valueKind == "List";
  if (kind == "Assign" && targetKind == "Name" && value) {
    FailureOr<PyValue> result = expr(*value);
    if (failed(result))
      return failure();
    if (result->isList() && valueKind == "Name") {
      llvm::StringRef list = value->getString("id").value_or("");
      return error(stmt, "'" + source(stmt) + "' gives the list '" + list +
                             "' a second name; a list with two names is not "
                             "supported (use '" +
                             list + "' itself)");
    }
    scope->env[*target->getString("id")] = *result;
    return success();
  }
  if (kind == "Assign" && unpacking && valueTuple) {
    const json::Array *names = target->getArray("elts");
    const json::Array *values = value->getArray("elts");
    if (names && values && names->size() == values->size() &&
        unpackableTargets(*names)) {
      // `a, b = b, a`: every value first, then the names, as Python.
      SmallVector<PyValue> results;
      for (auto [n, v] : llvm::zip_equal(*names, *values)) {
        FailureOr<PyValue> result = expr(v);
        if (failed(result))
          return failure();
        // A list literal is a fresh list (`outs, states = [], []`); a list
        // a name holds would get a second name (unpacked, `(a, b), c =
        // (x, y), z`, it gets none).
        if (result->isList() && v.getAsObject()->getString("node") != "List" &&
            kindOf(n.getAsObject()) == "Name")
          return error(*v.getAsObject(),
                       "a list a name holds, in a tuple assignment, would "
                       "get a second name; a list with two names is not "
                       "supported (unpack list literals: `a, b = [], []`)");
        results.push_back(*result);
      }
      // (Each value's own source in messages: `(a, b), c = s, x`.)
      for (auto [n, result, v] : llvm::zip_equal(*names, results, *values))
        if (failed(bindTarget(*n.getAsObject(), result, *v.getAsObject())))
          return failure();
      return success();
    }
  }
  if (kind == "AugAssign") {
    const json::Object *name = stmt.getObject("target");
    if (name && name->getString("node") == "Name" && value) {
      // `h += e` is `h = h + e` (tensors are immutable, as in TF).
      llvm::StringRef id = name->getString("id").value_or("");
      auto it = scope->env.find(id);
      llvm::StringRef op = stmt.getString("op").value_or("");
      std::string symbol = llvm::StringSwitch<std::string>(op)
                               .Case("Add", "+=")
                               .Case("Sub", "-=")
                               .Case("Mult", "*=")
                               .Case("Div", "/=")
                               .Case("FloorDiv", "//=")
                               .Case("Mod", "%=")
                               .Case("Pow", "**=")
                               .Case("MatMult", "@=")
                               .Default("augmented assignment");
      if (it != scope->env.end() && it->second.isList()) {
        return error(stmt, "`" + symbol + "` on a list is not supported" +
                               (op == "Add" ? ": use .append" : ""));
      }
      // On a numpy array `+=` changes it in place, and every other name
      // of it (a module's array too) while TensorFlow traces: not
      // converted.
      if (it != scope->env.end() && it->second.isTensor() &&
          isNdarray(it->second.value))
        return error(stmt, "'" + source(stmt) + "' changes the numpy array '" +
                               id +
                               "' in place (numpy's augmented assignment), "
                               "and every other name of it: not converted; "
                               "write '" +
                               id + " = " + id + " " +
                               llvm::StringRef(symbol).drop_back().str() +
                               " ...' for a new value");
      json::Object binop{{"node", "BinOp"},
                         {"left", json::Object(*name)},
                         {"op", stmt.getString("op").value_or("")},
                         {"right", json::Object(*value)}};
      for (const char *key : {"loc", "end"})
        if (const json::Value *at = stmt.get(key))
          binop[key] = *at;
      FailureOr<PyValue> result = expr(synthesize(std::move(binop)));
      if (failed(result))
        return failure();
      scope->env[id] = *result;
      return success();
    }
  }
  if (kind == "AnnAssign" && value) {
    const json::Object *name = stmt.getObject("target");
    if (name && name->getString("node") == "Name")
      return annotatedAssign(stmt);
  }
  // `kwargs["batch_size"] = 2` of a dict known at import.
  if (std::optional<LogicalResult> stored = knownDictStore(stmt))
    return *stored;
  if (kind == "Expr" && valueKind == "Call") {
    const json::Object *func = value->getObject("func");
    // `kwargs.setdefault("batch_size", 2)` of a dict known at import.
    if (std::optional<FailureOr<PyValue>> done =
            knownDictMethod(*value, /*asStatement=*/true))
      return failure(failed(*done));
    // print(...) and tf.print(...) write on the host when the program
    // runs (docs/PythonSource.md, Output and checks).
    bool tfPrint = func && func->getString("qualified") == "tensorflow.print";
    if (tfPrint ||
        (func && func->getString("node") == "Name" &&
         func->getString("id") == "print" && !func->getString("qualified") &&
         !scope->env.count("print") && !function("print")))
      return printCall(*value, tfPrint);
    if (func && func->getString("node") == "Attribute" &&
        func->getString("attr") == "append")
      return append(*value);
    if (func && func->getString("node") == "Attribute" &&
        func->getString("attr") == "extend")
      return extend(*value);
    if (isCheckCall(*value))
      return checkCall(*value);
    // check_numerics is stateful in TensorFlow: run even when its result
    // is not used.
    if (func && (func->getString("qualified") ==
                     "tensorflow.debugging.check_numerics" ||
                 func->getString("qualified") == "tensorflow.check_numerics"))
      return checkNumerics(*value);
    // `check(x, y)`: a function of the file called for what it does
    // (checks); what it returns is not read.
    if (std::optional<FailureOr<SmallVector<PyValue>>> results =
            helperCall(*value, /*asStatement=*/true))
      return failure(failed(*results));
    if (isTensorArrayUpdate(*value))
      return error(*value, "the result of '" + source(*value) +
                               "' is not used: TensorFlow's " +
                               func->getString("attr").value_or("") +
                               " returns the updated TensorArray; assign it "
                               "('ta = ta.write(i, v)')");
  }
  if (kind == "Assert")
    return assertStatement(stmt);
  // (block() converts the loops of a function's statements, with the
  // `return`s of their bodies; these are the loops predict makes itself.)
  if (kind == "For" || kind == "While") {
    loopBroke.reset();
    if (failed(kind == "For" ? forLoop(stmt) : whileLoop(stmt)))
      return failure();
    std::optional<Exit> exit = std::exchange(unrolledElseExit, {});
    if (!exit) {
      // A loop at run time: its `else`, which must fall through here.
      SmallVector<const json::Object *> after = loopElse(stmt);
      FailureOr<Exit> converted =
          after.empty() ? FailureOr<Exit>(Exit{Exit::FallThrough, {}, Value()})
                        : block(after);
      if (failed(converted))
        return failure();
      if (converted->kind != Exit::FallThrough)
        exit = *converted;
    }
    if (exit)
      return error(stmt, "the `break`, `continue` or `return` of this "
                         "loop's `else` is not converted here (inside a "
                         "`with` or `try`?)");
    return success();
  }
  if (kind == "If")
    return ifStatement(stmt);
  if (kind == "Break" || kind == "Continue" || kind == "Return")
    return error(stmt, "`" + kind.lower() +
                           "` is not converted here (inside a `with` or "
                           "`try`?)");
  // `a, b = tf.while_loop(cond, body, [a, b])`.
  if (kind == "Assign" && unpacking && valueKind == "Call") {
    const json::Object *func = value->getObject("func");
    const json::Array *names = target->getArray("elts");
    if (func && func->getString("qualified") == "tensorflow.while_loop" &&
        names &&
        llvm::all_of(*names, [](const json::Value &n) {
          return n.getAsObject() &&
                 n.getAsObject()->getString("node") == "Name";
        })) {
      FailureOr<SmallVector<PyValue>> results = whileLoopCall(*value);
      if (failed(results))
        return failure();
      if (results->size() != names->size())
        return error(stmt, "tf.while_loop gives " +
                               llvm::Twine(results->size()) +
                               " loop variables here, unpacked into " +
                               llvm::Twine(names->size()) + " names");
      for (auto [n, result] : llvm::zip_equal(*names, *results))
        scope->env[*n.getAsObject()->getString("id")] = result;
      return success();
    }
    // `values, indices = tf.math.top_k(x, k)`, `a, b = f(x)`, `(a, b), c
    // = f(x)`.
    if (names && unpackableTargets(*names))
      if (std::optional<FailureOr<SmallVector<PyValue>>> results = [&] {
            if (auto r = helperCall(*value))
              return r;
            if (func->getString("qualified") == "tensorflow.cond")
              return std::optional<FailureOr<SmallVector<PyValue>>>(
                  condCall(*value));
            if (auto r = modelCallValues(*value))
              return r;
            if (auto r = shapeSizes(*value))
              return r;
            // `b, t, d = x.shape.as_list()`: x.shape's sizes.
            if (const json::Object *shape = func->getObject("value");
                func->getString("attr") == "as_list" && shape &&
                kindOf(*shape) == "Attribute" &&
                arrayOr(value->getArray("args")).empty())
              if (auto r = shapeSizes(*shape))
                return r;
            // `s, m = tf.map_fn(fn, elems)` of an fn returning a tuple.
            std::optional<llvm::StringRef> callee =
                func->getString("qualified");
            if (callee && (*callee == "tensorflow.map_fn" ||
                           *callee == "tensorflow.vectorized_map")) {
              FailureOr<PyValue> mapped = mapCall(*value, *callee);
              if (failed(mapped))
                return std::optional<FailureOr<SmallVector<PyValue>>>(
                    failure());
              SmallVector<PyValue> parts{*mapped};
              if (mapped->isList() && !mapped->list->ssa) {
                parts.clear();
                for (Value e : mapped->list->elements)
                  parts.push_back(PyValue::tensor(e));
              }
              return std::optional<FailureOr<SmallVector<PyValue>>>(
                  std::move(parts));
            }
            // `a, b = tuple(pair)`, `q, r = divmod(n, 3)`.
            std::optional<llvm::StringRef> id = func->getString("id");
            if (func->getString("node") == "Name" && !callee && id &&
                (*id == "tuple" || *id == "list" || *id == "divmod") &&
                !scope->env.count(*id) && !function(*id)) {
              FailureOr<PyValue> copy = expr(*value);
              if (failed(copy))
                return std::optional<FailureOr<SmallVector<PyValue>>>(
                    failure());
              return std::optional<FailureOr<SmallVector<PyValue>>>(
                  listItems(*copy->list));
            }
            return python::tensorResults(*this, *value);
          }()) {
        if (failed(*results))
          return failure();
        // One tensor (of a function of the file, tf.cond, a model):
        // its rows, as any tensor unpacks (bindTarget).
        if ((*results)->size() == 1 && (**results)[0].isTensor() &&
            names->size() != 1)
          return bindTarget(*target, (**results)[0], *value);
        if ((*results)->size() != names->size())
          return error(stmt, source(*func) + " gives " +
                                 llvm::Twine((*results)->size()) +
                                 " results, unpacked here into " +
                                 llvm::Twine(names->size()) + " names");
        for (auto [n, result] : llvm::zip_equal(*names, **results))
          if (failed(bindTarget(*n.getAsObject(), result, *value)))
            return failure();
        return success();
      }
  }
  // `a, b = inputs` of a list of known elements (a model's inputs given
  // as a list, `[x, y]`); `n, m = tf.shape(x, out_type=tf.int64)`, a call
  // of none of the kinds above: its value.
  if (kind == "Assign" && unpacking && !valueTuple) {
    const json::Array *names = target->getArray("elts");
    if (names && unpackableTargets(*names)) {
      // `lo, hi = self.window`, `(a, b), c = CFG`: a tuple or list known
      // at import.
      if (const json::Value *known = knownValue(*value))
        return bindKnownTarget(*target, *known, *value);
      // `b, n = x.shape`: its sizes (PythonShapes.cpp).
      if (std::optional<FailureOr<SmallVector<PyValue>>> sizes =
              shapeSizes(*value)) {
        if (failed(*sizes))
          return failure();
        if ((*sizes)->size() != names->size())
          return error(stmt, "'" + source(*value) + "' has " +
                                 llvm::Twine((*sizes)->size()) +
                                 " sizes, unpacked here into " +
                                 llvm::Twine(names->size()) +
                                 " names (Python raises ValueError)");
        for (auto [n, size] : llvm::zip_equal(*names, **sizes))
          scope->env[*n.getAsObject()->getString("id")] = size;
        return success();
      }
      FailureOr<PyValue> list = expr(*value);
      if (failed(list))
        return failure();
      // `a, b = t` of a tensor: its rows (bindTarget).
      if (list->isTensor())
        return bindTarget(*target, *list, *value);
      if (list->isList() && !list->list->ssa) {
        if (list->list->elements.size() != names->size())
          return error(stmt, "'" + source(*value) + "' holds " +
                                 llvm::Twine(list->list->elements.size()) +
                                 " values, unpacked here into " +
                                 llvm::Twine(names->size()) +
                                 " names (Python raises ValueError)");
        for (auto [n, element] :
             llvm::zip_equal(*names, listItems(*list->list)))
          if (failed(bindTarget(*n.getAsObject(), element, *value)))
            return failure();
        return success();
      }
    }
  }
  // A docstring (any constant) is a statement that does nothing.
  if ((kind == "Expr" && valueKind == "Constant") || kind == "Pass")
    return success();
  if (kind == "Assign") {
    // Python's ast.unparse writes a tuple target in parentheses.
    const json::Object *first =
        targets && !targets->empty() ? (*targets)[0].getAsObject() : nullptr;
    std::string text = first ? source(*first) : "...";
    if (first && first->getString("node") == "Tuple" &&
        !llvm::StringRef(text).starts_with("("))
      text = "(" + text + ")";
    return error(stmt, "'" + text +
                           " = ...' is not converted: assign one name, or "
                           "names (no starred name; tuples of names one "
                           "level deep, (a, b), c) from a tuple of as many "
                           "values (a, b = x, y), a list known at import, "
                           "or the results of a model, a function of this "
                           "file, tf.cond, tf.math.top_k, tf.split, "
                           "tf.unstack or divmod");
  }
  // In the user's words: the `try` statement, not 'Try'.
  std::string words =
      llvm::StringSwitch<std::string>(kind)
          .Cases({"Try", "TryStar"}, "the `try` statement")
          .Case("With", "the `with` statement")
          .Case("AsyncWith", "the `async with` statement")
          .Case("AsyncFor", "the `async for` loop")
          .Case("Raise", "the `raise` statement")
          .Case("Delete", "the `del` statement")
          .Case("Global", "the `global` statement")
          .Case("Nonlocal", "the `nonlocal` statement")
          .Cases({"Import", "ImportFrom"}, "an `import` inside a function")
          .Cases({"FunctionDef", "AsyncFunctionDef"},
                 "a `def` inside a function (define it at module level)")
          .Case("ClassDef", "a `class` inside a function")
          .Case("Match", "the `match` statement")
          .Default("the statement '" + source(stmt) + "'");
  return error(stmt, "unsupported statement: " + words + " is not converted (" +
                         kSubset + ")");
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::body(const json::Array &stmts) {
  SmallVector<const json::Object *> nodes;
  for (const json::Value &s : stmts) {
    const json::Object *stmt = s.getAsObject();
    if (!stmt)
      return emitError(FileLineColLoc::get(context, file, 1, 1))
             << "the program JSON has a statement that is not a node";
    nodes.push_back(stmt);
  }
  // Statements, `if`s (each path to its `return`): PythonBranches.cpp.
  FailureOr<Exit> exit = block(nodes);
  if (failed(exit))
    return failure();
  if (exit->kind == Exit::Return)
    return exit->values;
  if (scope->mayEndWithoutReturn)
    return SmallVector<PyValue>();
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
  // The compiled function's inputs are the entry's parameters, one by one.
  if (function.getString("vararg") || function.getString("kwarg") ||
      !arrayOr(function.getArray("posonly_params")).empty())
    return error(function,
                 "'" + name +
                     "' is an entry function: its parameters are the "
                     "compiled function's inputs, named one by one; *args, "
                     "**kwargs and positional-only parameters (before `/`) "
                     "are not converted there (they are in the functions it "
                     "calls)");
  SmallVector<Type> types;
  entryModels.clear();
  entryDefaults.clear();
  const json::Array &defaults = arrayOr(function.getArray("defaults"));
  for (auto [i, param] : llvm::enumerate(*params)) {
    const json::Object *p = param.getAsObject();
    llvm::StringRef paramName = p->getString("name").value_or("");
    // Its Python default, if it has one.
    size_t withDefault = params->size() - defaults.size();
    const json::Object *byDefault =
        i >= withDefault ? defaults[i - withDefault].getAsObject() : nullptr;
    // A model passed by the example call (`f(model, x)`): no argument of
    // the compiled function; calling the parameter calls that model.
    if (const json::Object *example =
            examples && i < examples->size() ? (*examples)[i].getAsObject()
                                             : nullptr)
      if (std::optional<llvm::StringRef> var = example->getString("model")) {
        entryModels[paramName] = var->str();
        continue;
      }
    // --input-shape=FUNCTION.NAME=... or NAME=...: the user's word first.
    shapesRead.insert(paramName);
    shapesRead.insert((name + "." + paramName).str());
    // FUNCTION.NAME before NAME; the last of each (checked by build()).
    std::optional<std::pair<SmallVector<int64_t>, llvm::StringRef>> given,
        givenQualified;
    for (const std::string &spec : options.inputShapes) {
      auto [key, shape] = llvm::StringRef(spec).split('=');
      if (key == paramName)
        given = parseInputSpec(shape);
      else if (key == (name + "." + paramName).str())
        givenQualified = parseInputSpec(shape);
    }
    if (givenQualified)
      given = givenQualified;
    // Integers (i32, i64): an Embedding's ids, or class ids and counts for
    // tf.cast, tf.gather ...; bools (i1): masks.
    auto elementType = [&](llvm::StringRef element) -> Type {
      if (element == "i32")
        return builder.getI32Type();
      if (element == "i64")
        return builder.getI64Type();
      if (element == "i1")
        return builder.getI1Type();
      return builder.getF32Type();
    };
    if (given) {
      types.push_back(
          RankedTensorType::get(given->first, elementType(given->second)));
      continue;
    }
    // @tf.function(input_signature=[tf.TensorSpec(shape, dtype)]): its
    // sizes as written (None: dynamic), checked by the reader.
    const json::Array *specs = entry.getArray("signature");
    const json::Object *example = examples && i < examples->size()
                                      ? (*examples)[i].getAsObject()
                                      : nullptr;
    // With an input_signature, TensorFlow binds only what it covers: an
    // argument an example call gives past it is its TypeError ("When
    // input_signature is provided, only pass arguments covered by it",
    // helper-131: the example's value was compiled).
    if (specs && i >= specs->size() && example)
      return error(example->getObject("value") ? *example->getObject("value")
                   : example->get("loc")       ? *example
                                               : entry,
                   "the example call gives '" + paramName + "' to '" + name +
                       "', which its input_signature does not cover "
                       "(TensorFlow raises TypeError: only pass arguments "
                       "covered by it): leave it to its default, or give it "
                       "a TensorSpec");
    // A Python value the example call gives (`f(x, True)`, `f(x,
    // temperature=0.1)`) is the parameter's value, as tf.function traces
    // it: not an input of the compiled function.
    if (const json::Object *value =
            example ? example->getObject("value") : nullptr;
        value && !(specs && i < specs->size())) {
      entryDefaults[paramName] = value;
      continue;
    }
    // A parameter with a default that neither the input_signature nor the
    // example call gives keeps its default, a Python value at import (as
    // tf.function traces it): not an input of the compiled function.
    if (byDefault && !(specs && i < specs->size()) &&
        !(example &&
          (example->getArray("tuple") || example->getString("unread")))) {
      entryDefaults[paramName] = byDefault;
      continue;
    }
    if (specs) {
      const json::Object *spec =
          i < specs->size() ? (*specs)[i].getAsObject() : nullptr;
      const json::Array *sizes = spec ? spec->getArray("shape") : nullptr;
      if (!sizes)
        return error(entry, "the program JSON gives a bad input_signature");
      SmallVector<int64_t> shape;
      for (const json::Value &size : *sizes) {
        int64_t n = ShapedType::kDynamic;
        if (size.kind() != json::Value::Null) {
          const json::Object *s = size.getAsObject();
          if (!s || !s->getString("int") ||
              s->getString("int")->getAsInteger(10, n) || n < 0)
            return error(entry, "the program JSON gives a bad "
                                "input_signature size");
        }
        shape.push_back(n);
      }
      types.push_back(RankedTensorType::get(
          shape, elementType(spec->getString("dtype").value_or("f32"))));
      continue;
    }
    // The example's shape, its batch dimension dynamic (a scalar has none).
    const json::Array *sizes = example ? example->getArray("tuple") : nullptr;
    // An example the reader could not work out says why.
    if (std::optional<llvm::StringRef> why =
            example ? example->getString("unread") : std::nullopt)
      return error(*example,
                   example->getBoolean("input_shape_helps").value_or(true)
                       ? *why + " (or give --input-shape=" + paramName +
                             "=?x...)"
                       : why->str());
    if (!sizes)
      return error(*p, "cannot infer the shape of argument '" + paramName +
                           "' of '" + name +
                           "': the function has no input_signature and the "
                           "program never calls it with an example such as "
                           "tf.random.normal((1, 100)); give "
                           "--input-shape=" +
                           paramName + "=?x100xf32");
    SmallVector<int64_t> shape;
    for (auto [d, size] : llvm::enumerate(*sizes)) {
      // A size the script computes (`tf.ones((n, 1))` in a loop over n):
      // the batch size is dynamic anyway; another axis must be known.
      if (size.kind() == json::Value::Null) {
        if (d != 0)
          return error(*p, "cannot infer the shape of argument '" + paramName +
                               "' of '" + name +
                               "': its example's size at axis " +
                               llvm::Twine(d) +
                               " is computed as the script runs, not known at "
                               "import; give "
                               "--input-shape=" +
                               paramName + "=?x...xf32");
        shape.push_back(ShapedType::kDynamic);
        continue;
      }
      const json::Object *s = size.getAsObject();
      // A size that differs between the entry's example calls: any size,
      // as tf.function's reduce_retracing relaxes it.
      if (s && s->getBoolean("varies").value_or(false)) {
        shape.push_back(ShapedType::kDynamic);
        continue;
      }
      int64_t n;
      if (!s || !s->getString("int") ||
          s->getString("int")->getAsInteger(10, n) || n < 0)
        return error(entry, "the program JSON gives a bad example size");
      shape.push_back(d == 0 ? ShapedType::kDynamic : n);
    }
    // An example of integers or bools (`tf.constant([[0, 2, 1]])`) is an
    // argument of its type, as TensorFlow traces it; floats are float32.
    llvm::StringRef dtype = example->getString("dtype").value_or("float32");
    types.push_back(RankedTensorType::get(
        shape, elementType(llvm::StringSwitch<llvm::StringRef>(dtype)
                               .Case("int32", "i32")
                               .Case("int64", "i64")
                               .Case("bool", "i1")
                               .Default("f32"))));
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
  unsigned next = 0;
  for (const json::Value &param : *function.getArray("params")) {
    const json::Object *p = param.getAsObject();
    llvm::StringRef paramName = *p->getString("name");
    if (auto model = entryModels.find(paramName); model != entryModels.end()) {
      fn.modelAliases[paramName] = model->second;
      continue;
    }
    if (auto byDefault = entryDefaults.find(paramName);
        byDefault != entryDefaults.end()) {
      if (failed(bindDefault(fn, paramName, *byDefault->second)))
        return failure();
      continue;
    }
    BlockArgument arg = block->getArgument(next++);
    arg.setLoc(loc(*p));
    fn.env[paramName] = PyValue::tensor(arg);
  }
  // Keyword-only parameters (after `*`) keep their defaults, Python values
  // at import, as tf.function traces a call that does not give them (the
  // reader refuses an example call that does); one without a default is
  // missing from every call (helper-131: "not defined here").
  const json::Array &kwDefaults = arrayOr(function.getArray("kw_defaults"));
  for (auto [i, p] : llvm::enumerate(arrayOr(function.getArray("kwonly")))) {
    const json::Object *o = p.getAsObject();
    llvm::StringRef paramName = o ? o->getString("name").value_or("") : "";
    const json::Object *given =
        i < kwDefaults.size() ? kwDefaults[i].getAsObject() : nullptr;
    if (!given)
      return error(o ? *o : function,
                   "'" + paramName +
                       "' is a keyword-only parameter of the "
                       "entry '" +
                       name +
                       "' without a default: the compiled "
                       "function takes its inputs by position; give it a "
                       "default, or make it a parameter before `*`");
    if (failed(bindDefault(fn, paramName, *given)))
      return failure();
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

/// The fields of `object` that must hold `kind` (docs/PythonProgram.md, A
/// model), for a program JSON written by hand or damaged.
static bool hasFields(const json::Object *object,
                      std::initializer_list<llvm::StringRef> strings,
                      std::initializer_list<llvm::StringRef> arrays) {
  return object &&
         llvm::all_of(strings,
                      [&](llvm::StringRef k) { return object->getString(k); }) &&
         llvm::all_of(arrays,
                      [&](llvm::StringRef k) { return object->getArray(k); });
}

llvm::Error ProgramBuilder::checkModels(const json::Array &models) {
  for (auto [i, m] : llvm::enumerate(models)) {
    const json::Object *model = m.getAsObject();
    size_t index = i;
    auto bad = [&](const llvm::Twine &what) {
      return fail("the program JSON's model #" + llvm::Twine(index) + " " + what +
                  " (docs/PythonProgram.md, A model)");
    };
    // The fields of a model, and of the models it holds (recursively, as
    // deep as the reader nested them).
    std::function<llvm::Error(const json::Object *)> check =
        [&](const json::Object *model) -> llvm::Error {
      if (!hasFields(model, {"name", "class"}, {"attributes", "methods"}))
        return bad("lacks a string \"name\" and \"class\" or a list of "
                   "\"attributes\" and \"methods\"");
      for (const json::Value &a : *model->getArray("attributes")) {
        if (!hasFields(a.getAsObject(), {"attr", "kind"}, {}))
          return bad("has an attribute without a string \"attr\" and "
                     "\"kind\"");
        if (a.getAsObject()->getString("kind") != "model")
          continue;
        const json::Object *held = a.getAsObject()->getObject("model");
        if (!held)
          return bad("has a model attribute without a \"model\" object");
        if (llvm::Error e = check(held))
          return e;
      }
      for (const json::Value &f : *model->getArray("methods")) {
        if (!hasFields(f.getAsObject(), {"name"}, {"params", "body"}))
          return bad("has a method without a \"name\", \"params\" and "
                     "\"body\"");
        for (const json::Value &p : *f.getAsObject()->getArray("params"))
          if (!hasFields(p.getAsObject(), {"name"}, {}))
            return bad("has a method parameter without a \"name\"");
      }
      return llvm::Error::success();
    };
    if (llvm::Error e = check(model))
      return e;
    // Python keeps one binding of a module-level name; predict's symbols
    // are the model's variable and the entry's function: they must differ.
    llvm::StringRef name = *model->getString("name");
    for (const json::Value &e : *program->getArray("entries"))
      if (e.getAsObject() && e.getAsObject()->getString("function") == name) {
        (void)error(*model, "'" + name + "' names both this model and a "
                                         "@tf.function entry: Python keeps "
                                         "only one of them; rename one");
        return fail("'" + file + "' was not converted (errors above)");
      }
  }
  return llvm::Error::success();
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
  if (llvm::Error e = checkModels(*models))
    return std::move(e);
  // --weights is read first: a file that cannot be read is the error.
  if (llvm::Error e = openWeights())
    return std::move(e);
  OwningOpRef<ModuleOp> owned =
      ModuleOp::create(FileLineColLoc::get(context, file, 1, 1));
  module = *owned;
  builder.setInsertionPointToEnd(module.getBody());
  // Any error reported fails the import, whichever path went on after it
  // (a safety net: no module is written past an error; an unrolled
  // loop's error was once reported and then ignored).
  unsigned errors = 0;
  // An error said again at the same place (an expression converted once
  // more by a path that tries another reading of it) is said once.
  llvm::StringSet<> said;
  ScopedDiagnosticHandler counter(context, [&](Diagnostic &diag) {
    if (diag.getSeverity() != DiagnosticSeverity::Error)
      return failure();
    ++errors;
    std::string key;
    llvm::raw_string_ostream os(key);
    os << diag.getLocation() << ": " << diag.str();
    return success(!said.insert(key).second); // reported as before
  });
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
      // Named with the entries and their arguments, to choose from.
      std::string entriesText;
      llvm::raw_string_ostream os(entriesText);
      llvm::interleaveComma(*entries, os, [&](const json::Value &e) {
        const json::Object *entry = e.getAsObject();
        const json::Object *f = entry ? function(entry->getString("function")
                                                     .value_or(""))
                                      : nullptr;
        if (!f)
          return;
        os << *f->getString("name") << "(";
        llvm::interleaveComma(*f->getArray("params"), os,
                              [&](const json::Value &p) {
                                os << p.getAsObject()->getString("name")
                                          .value_or("");
                              });
        os << ")";
      });
      // A command-line error: no place in the source to point at.
      return fail("--input-shape=" + key +
                  "=...: no entry function has an argument '" + key +
                  "' (the entries: " + entriesText + ")");
    }
  }
  ok = ok && succeeded(finishModels()) && errors == 0;
  // (The import's own mark, read while converting only.)
  module.walk([](Operation *op) { op->removeAttr(kPythonInteger); });
  if (!ok)
    return fail("'" + file + "' was not converted (errors above)");
  if (failed(verify(module)))
    return fail("internal error: the C++ builder made invalid IR from '" +
                file + "'; please report it with the source");
  if (llvm::Error e = dumpWeights())
    return std::move(e);
  return std::move(owned);
}

/// Each --input-shape is NAME=DIMSxf32, before anything is read.
static llvm::Error checkInputShapes(const PythonProgramOptions &options) {
  for (const std::string &spec : options.inputShapes) {
    auto [name, shape] = llvm::StringRef(spec).split('=');
    if (name.empty() || !parseInputSpec(shape))
      return fail("--input-shape=" + spec +
                  ": expected NAME=DIMSxf32 such as inputs=?x100xf32, each "
                  "size ? or an integer from 0 to 2**63 - 1 (xi32 or xi64 "
                  "instead of xf32 for integers such as the ids of an "
                  "Embedding, xi1 for bools; f32 alone for a scalar)");
  }
  return llvm::Error::success();
}

llvm::Expected<OwningOpRef<ModuleOp>>
predict::buildPythonProgram(MLIRContext *context, const json::Value &program,
                            const PythonProgramOptions &options) {
  context->loadDialect<PredictDialect, func::FuncDialect, arith::ArithDialect,
                       scf::SCFDialect, tensor::TensorDialect>();
  const json::Object *object = program.getAsObject();
  if (!object)
    return fail("the program JSON is not an object");
  if (llvm::Error e = checkInputShapes(options))
    return std::move(e);
  // The builder recurses once per level of an expression (bounded by
  // --max-nesting): a stack for that many.
  std::optional<llvm::Expected<OwningOpRef<ModuleOp>>> result;
  runWithStack(stackBytesForNesting(options.maxNesting), [&] {
    result.emplace(ProgramBuilder(context, options).build(*object));
  });
  return std::move(*result);
}

/// The program JSON of `text`, parsed on a stack for --max-nesting levels
/// of expressions (llvm::json's parser recurses once per bracket).
static llvm::Expected<json::Value>
parseProgram(llvm::StringRef text, const PythonProgramOptions &options) {
  std::optional<llvm::Expected<json::Value>> result;
  runWithStack(stackBytesForNesting(options.maxNesting),
               [&] { result.emplace(json::parse(text)); });
  return std::move(*result);
}

llvm::Expected<OwningOpRef<ModuleOp>>
predict::importPythonProgram(MLIRContext *context, llvm::StringRef path,
                             const PythonProgramOptions &options) {
  // A program JSON written by the reader before (`.json`) is built as it is.
  if (path.ends_with(".json")) {
    auto text = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!text)
      return fail("cannot read '" + path + "': " + text.getError().message());
    llvm::Expected<json::Value> program =
        parseProgram((*text)->getBuffer(), options);
    if (!program)
      return fail("'" + path + "' is not JSON: " +
                  llvm::toString(program.takeError()));
    const json::Object *object = program->getAsObject();
    if (object && object->getString("schema") != kPythonProgramSchema) {
      // Keras's model.to_json(): {"class_name": "Sequential", "config": ...}
      if (object->getString("class_name") && object->get("config"))
        return fail("'" + path +
                    "' is a Keras model's JSON (model.to_json()), "
                    "not a model with weights: give it as --config=" +
                    path +
                    " with the weights file as the model "
                    "(model.weights.h5 --config=" +
                    path + ")");
      return fail("'" + path +
                  "' is not a predict program JSON (its "
                  "\"schema\" is not \"" +
                  kPythonProgramSchema +
                  "\"): a .json model is the program predict-import "
                  "writes for Python source; a Keras model's JSON goes with "
                  "--config");
    }
    return buildPythonProgram(context, *program, options);
  }
  if (llvm::Error e = checkInputShapes(options))
    return std::move(e);
  // Made now, readable by its owner alone (it holds the program's source),
  // and removed by the signal handlers if Ctrl-C ends the import.
  llvm::SmallString<64> jsonPath;
  int jsonFD;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "predict-program", "json", jsonFD, jsonPath))
    return fail("cannot create a temporary file: " + ec.message());
  ::fchmod(jsonFD, 0600);
  ::close(jsonFD);
  llvm::FileRemover remover(jsonPath);
  llvm::sys::RemoveFileOnSignal(jsonPath);
  llvm::scope_exit unregister(
      [&] { llvm::sys::DontRemoveFileOnSignal(jsonPath); });
  if (llvm::Error e = runPythonFrontEnd(kPythonReaderScript, {"--compact", path.str()},
                                        jsonPath, path))
    return std::move(e);
  auto text = llvm::MemoryBuffer::getFile(jsonPath, /*IsText=*/true);
  if (!text)
    return fail("cannot read the Python reader's output: " +
                text.getError().message());
  llvm::Expected<json::Value> program =
      parseProgram((*text)->getBuffer(), options);
  if (!program)
    return fail("internal error: the Python reader wrote JSON that does not "
                "parse (" +
                llvm::toString(program.takeError()) +
                "); please report it with the source");
  return buildPythonProgram(context, *program, options);
}

bool ProgramBuilder::unpackableTargets(const json::Array &names) {
  // Names, and tuples or lists of names (one level: predict's lists hold
  // tensors).
  return llvm::all_of(names, [](const json::Value &n) {
    const json::Object *o = n.getAsObject();
    if (kindOf(o) == "Name")
      return true;
    if (kindOf(o) != "Tuple" && kindOf(o) != "List")
      return false;
    return llvm::all_of(arrayOr(o->getArray("elts")), [](const json::Value &e) {
      return kindOf(e.getAsObject()) == "Name";
    });
  });
}

LogicalResult ProgramBuilder::bindTarget(const json::Object &target,
                                         const PyValue &value,
                                         const json::Object &from) {
  if (kindOf(target) == "Name") {
    scope->env[*target.getString("id")] = value;
    return success();
  }
  const json::Array &names = arrayOr(target.getArray("elts"));
  // A tensor unpacks into its rows, as TensorFlow iterates a tensor whose
  // first size is known when traced (`a, b = tf.shape(x) // 2`, `(a, b), c
  // = x` of a 2x2x6 x).
  if (value.isTensor())
    if (auto type = dyn_cast<RankedTensorType>(value.value.getType())) {
      if (type.getRank() == 0)
        return error(target, "'" + source(from) + "' is a scalar (" +
                                 typeText(type) +
                                 "): it has no rows to unpack into " +
                                 llvm::Twine(names.size()) +
                                 " names (TensorFlow raises TypeError: "
                                 "cannot iterate over a scalar tensor)");
      if (type.isDynamicDim(0) || type.getDimSize(0) != int64_t(names.size()))
        return error(target, "'" + source(from) + "' is " + typeText(type) +
                                 ", unpacked here into " +
                                 llvm::Twine(names.size()) +
                                 " names: its first size must be that many, "
                                 "known at import (TensorFlow raises)");
      FailureOr<SmallVector<Value>> rows =
          unpackRows(*this, loc(from), value.value, names.size());
      if (failed(rows))
        return failure();
      for (auto [n, row] : llvm::zip_equal(names, *rows))
        if (failed(bindTarget(*n.getAsObject(), PyValue::tensor(row), from)))
          return failure();
      return success();
    }
  if (!value.isList() || value.list->ssa)
    return error(target, "'" + source(target) + "' unpacks a part of '" +
                             source(from) + "' that is " +
                             (value.isList() ? "a list built by a loop"
                                             : "not a tuple or list") +
                             ": converted code unpacks tuples and lists "
                             "of known length (a tensor's rows: "
                             "tf.unstack)");
  const SmallVector<Value> &elements = value.list->elements;
  if (elements.size() != names.size())
    return error(target, "'" + source(target) + "' unpacks " +
                             llvm::Twine(elements.size()) + " values of '" +
                             source(from) + "' into " +
                             llvm::Twine(names.size()) +
                             " names (Python raises ValueError)");
  for (auto [n, e] : llvm::zip_equal(names, listItems(*value.list)))
    scope->env[*n.getAsObject()->getString("id")] = e;
  return success();
}

LogicalResult ProgramBuilder::bindKnownTarget(const json::Object &target,
                                              const json::Value &known,
                                              const json::Object &from) {
  if (kindOf(target) == "Name") {
    FailureOr<PyValue> v = knownPyValue(known, from);
    if (failed(v))
      return failure();
    scope->env[*target.getString("id")] = *v;
    return success();
  }
  const json::Object *o = known.getAsObject();
  const json::Array *items =
      o ? (o->getArray("list") ? o->getArray("list") : o->getArray("tuple"))
        : nullptr;
  if (!items)
    return error(target, "'" + source(from) + "' is " + pythonRepr(known) +
                             ", which cannot be unpacked into '" +
                             source(target) + "'");
  const json::Array &names = arrayOr(target.getArray("elts"));
  if (items->size() != names.size())
    return error(target, "'" + source(target) + "' unpacks " +
                             llvm::Twine(items->size()) + " values of '" +
                             source(from) + "' into " +
                             llvm::Twine(names.size()) +
                             " names (Python raises ValueError)");
  for (auto [n, item] : llvm::zip_equal(names, *items))
    if (failed(bindKnownTarget(*n.getAsObject(), item, from)))
      return failure();
  return success();
}
