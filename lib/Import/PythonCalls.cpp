//===- PythonCalls.cpp - calls of converted code --------------------------===//
//
// The calls of converted code: helpers of the file (converted in place),
// tf.* calls that are one predict op, tf.constant of literals, and foreign
// calls (any other imported function), whose result is typed by predict's
// rewrite of them or by the program's annotation. Models and layers are
// PythonModels.cpp's, lists PythonLoops.cpp's; both are asked first.
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"
#include "Layers/Layers.h"

#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
using UnaryBuilder = Operation *(*)(OpBuilder &, Location, Value);

template <typename OpTy>
Operation *buildUnaryOp(OpBuilder &b, Location loc, Value x) {
  return OpTy::create(b, loc, x.getType(), x);
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

/// Whether a static type and a declared one can describe one tensor (an
/// unranked type is unknown: it can).
bool compatible(Type type, RankedTensorType declared) {
  auto ranked = dyn_cast_or_null<RankedTensorType>(type);
  if (!ranked)
    return true;
  if (ranked.getRank() != declared.getRank())
    return false;
  for (auto [a, b] : llvm::zip_equal(ranked.getShape(), declared.getShape()))
    if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b)
      return false;
  return true;
}
} // namespace

std::optional<ActivationKind> python::activationOf(llvm::StringRef callee) {
  for (llvm::StringRef prefix :
       {"tensorflow.keras.activations.", "keras.activations."})
    if (callee.consume_front(prefix))
      return keras::activationNamed(callee);
  return llvm::StringSwitch<std::optional<ActivationKind>>(callee)
      .Case("tensorflow.nn.relu", ActivationKind::relu)
      .Case("tensorflow.nn.relu6", ActivationKind::relu6)
      .Cases({"tensorflow.nn.softmax", "tensorflow.math.softmax"},
             ActivationKind::softmax)
      .Cases({"tensorflow.nn.log_softmax", "tensorflow.math.log_softmax"},
             ActivationKind::log_softmax)
      .Cases({"tensorflow.nn.sigmoid", "tensorflow.sigmoid",
              "tensorflow.math.sigmoid"},
             ActivationKind::sigmoid)
      .Case("tensorflow.math.log_sigmoid", ActivationKind::log_sigmoid)
      .Cases({"tensorflow.tanh", "tensorflow.math.tanh", "tensorflow.nn.tanh"},
             ActivationKind::tanh)
      .Case("tensorflow.nn.elu", ActivationKind::elu)
      .Case("tensorflow.nn.gelu", ActivationKind::gelu)
      .Cases({"tensorflow.nn.softplus", "tensorflow.math.softplus"},
             ActivationKind::softplus)
      .Cases({"tensorflow.nn.softsign", "tensorflow.math.softsign"},
             ActivationKind::softsign)
      .Case("tensorflow.nn.leaky_relu", ActivationKind::leaky_relu)
      .Cases({"tensorflow.nn.silu", "tensorflow.nn.swish"},
             ActivationKind::swish)
      .Case("tensorflow.nn.selu", ActivationKind::selu)
      .Default(std::nullopt);
}

LogicalResult ProgramBuilder::expectArgs(const json::Object &node, size_t n) {
  const json::Object *func = node.getObject("func");
  std::string name = func ? source(*func) : "this call";
  const json::Array &keywords = arrayOr(node.getArray("keywords"));
  if (!keywords.empty()) {
    const json::Object *kw = keywords[0].getAsObject();
    const json::Object *value = kw ? kw->getObject("value") : nullptr;
    std::optional<llvm::StringRef> arg = kw ? kw->getString("arg") : std::nullopt;
    std::string given = arg ? (*arg + "=").str() : "**";
    return error(value ? *value : node,
                 "'" + name + "' is converted without keyword arguments: '" +
                     given +
                     "...' is not read (for inference, drop training= and "
                     "verbose=)");
  }
  size_t count = arrayOr(node.getArray("args")).size();
  if (count != n)
    return error(node, "'" + name + "' takes " + llvm::Twine(n) +
                           " positional argument(s) here, not " +
                           llvm::Twine(count));
  return success();
}

FailureOr<PyValue> ProgramBuilder::helper(const json::Object &fn,
                                          const json::Object &node,
                                          ModelState *model) {
  FailureOr<SmallVector<PyValue>> results = helperResults(fn, node, model);
  if (failed(results))
    return failure();
  if (results->size() != 1)
    return error(node, "'" + fn.getString("name").value_or("") + "' returns " +
                           llvm::Twine(results->size()) +
                           " values: unpack them into as many names (a, b = " +
                           source(node) + ")");
  return results->front();
}

LogicalResult ProgramBuilder::bindParameter(FunctionScope &callee,
                                            llvm::StringRef name,
                                            const json::Object &node) {
  // A model of the module, by its name or through a parameter given it
  // (`run(model, x)`, `run(m, x)`): that model, which the callee calls by
  // the parameter's name.
  if (kindOf(node) == "Name" && scope) {
    llvm::StringRef id = node.getString("id").value_or("");
    if (auto it = scope->modelAliases.find(id);
        it != scope->modelAliases.end()) {
      callee.modelAliases[name] = it->second;
      return success();
    }
    if (!scope->env.count(id) && findModel(*program, id)) {
      callee.modelAliases[name] = id.str();
      return success();
    }
  }
  // A layer of the model (`blk` of `for blk in self.blocks`,
  // `self.blocks[0]`): that layer in a method of the same model, which
  // calls it by the parameter's name.
  // (`blk` of `for blk in self.inner.blocks`: its expression.)
  auto heldAlias =
      kindOf(node) == "Name"
          ? scope->heldAliases.find(node.getString("id").value_or(""))
          : scope->heldAliases.end();
  FailureOr<std::optional<std::string>> layer = heldLayer(node);
  if (failed(layer))
    return failure();
  if (*layer || heldAlias != scope->heldAliases.end()) {
    if (!callee.model || callee.model != scope->model)
      return error(node, "'" + source(node) +
                             "' is a layer or model held by the model: a "
                             "function of the file is not given one (call "
                             "it in the method, or pass it to a method of "
                             "the model: self.step(x, blk))");
    if (*layer)
      callee.layerAliases[name] = **layer;
    else
      callee.heldAliases[name] = heldAlias->second;
    return success();
  }
  // None and strings are known at import (`mask=None`, `act="relu"`);
  // anything else is a value of converted code.
  const json::Value *known = knownValue(node);
  if (!known && node.getString("node") == "Constant")
    known = node.get("value");
  if (known && (known->kind() == json::Value::Null || known->getAsString())) {
    callee.known.try_emplace(name, *known);
    return success();
  }
  FailureOr<PyValue> value = expr(node);
  if (failed(value))
    return failure();
  callee.env[name] = *value;
  return success();
}

LogicalResult ProgramBuilder::bindDefault(FunctionScope &callee,
                                          llvm::StringRef name,
                                          const json::Object &node) {
  if (auto it = localDefaults.find(&node); it != localDefaults.end()) {
    callee.env[name] = it->second;
    return success();
  }
  FunctionScope module;
  module.function = callee.function;
  llvm::SaveAndRestore<FunctionScope *> atModule(scope, &module);
  return bindParameter(callee, name, node);
}

const json::Value *
mlir::predict::python::knownArgument(ProgramBuilder &b,
                                     const json::Object &node) {
  if (kindOf(node) == "Constant")
    return node.get("value");
  if (const json::Value *folded = node.get("folded"))
    return folded;
  const json::Value *v = b.knownValue(node);
  return v && !isKnownArray(*v) ? v : nullptr;
}

LogicalResult ProgramBuilder::bindVarargs(FunctionScope &callee,
                                          llvm::StringRef name,
                                          const json::Object &call,
                                          ArrayRef<const json::Value *> extra) {
  // Each argument once: a Python value known at import, else its value in
  // converted code (an integer known at import is one too: `x.shape[1]`).
  json::Array items;
  SmallVector<std::optional<PyValue>> values;
  for (const json::Value *e : extra) {
    const json::Object *o = e->getAsObject();
    if (const json::Value *v = o ? knownArgument(*this, *o) : nullptr) {
      items.push_back(*v);
      values.push_back(std::nullopt);
      continue;
    }
    FailureOr<PyValue> v = expr(*e);
    if (failed(v))
      return failure();
    values.push_back(*v);
    if (std::optional<json::Value> known = knownJson(*v))
      items.push_back(std::move(*known));
  }
  if (items.size() == extra.size()) {
    callee.known.try_emplace(name, json::Object{{"tuple", std::move(items)}});
    return success();
  }
  // Tensors, as a list literal holds its elements.
  SmallVector<Value> elements;
  for (auto [e, v] : llvm::zip(extra, values)) {
    const json::Object *o = e->getAsObject();
    FailureOr<Value> t = !v                  ? tensor(*e)
                         : v->isIndex() && o ? indexAsTensor(*o, *v)
                         : o                 ? tensorOf(*v, *o)
                                             : FailureOr<Value>(failure());
    if (failed(t))
      return failure();
    elements.push_back(*t);
  }
  callee.env[name] = knownList(call, elements);
  return success();
}

std::optional<json::Value> ProgramBuilder::knownJson(const PyValue &value) {
  if (value.isIndex())
    if (std::optional<int64_t> i = knownIndexValue(value.value))
      return json::Value(json::Object{{"int", std::to_string(*i)}});
  if (value.isBool())
    if (std::optional<int64_t> b = knownIndexValue(value.value))
      return json::Value(*b != 0);
  if (std::optional<double> d = pythonFloat(value))
    return json::Value(floatJson(*d));
  return std::nullopt;
}

LogicalResult ProgramBuilder::bindKwargs(
    FunctionScope &callee, llvm::StringRef name,
    ArrayRef<std::pair<llvm::StringRef, const json::Object *>> extra) {
  json::Object dict;
  for (auto [key, node] : extra) {
    const json::Value *v = node ? knownArgument(*this, *node) : nullptr;
    // A Python number or bool converted code holds (`k = 9.0`,
    // `x.shape[1] * 2`).
    std::optional<json::Value> held;
    if (!v && node) {
      FailureOr<PyValue> value = expr(*node);
      if (failed(value))
        return failure();
      held = knownJson(*value);
      v = held ? &*held : nullptr;
    }
    if (!v)
      return error(node ? *node : *callee.function,
                   "'" + key + "' is given to **" + name + " of '" +
                       callee.function->getString("name").value_or("") +
                       "', which converted code holds as a dict of Python "
                       "values known at import (numbers, strings, bools, "
                       "None), not '" +
                       (node ? source(*node) : std::string()) +
                       "': name the parameter (def ...(..., " + key +
                       "=None, **" + name + "))");
    dict[key] = *v;
  }
  callee.known.try_emplace(name, json::Object{{"dict", std::move(dict)}});
  return success();
}

FailureOr<const json::Object *>
ProgramBuilder::unpackedCall(const json::Object &call,
                             SmallVectorImpl<std::string> &temporaries) {
  const json::Array &args = arrayOr(call.getArray("args"));
  const json::Array &keywords = arrayOr(call.getArray("keywords"));
  bool unpacks = llvm::any_of(args,
                              [](const json::Value &a) {
                                return kindOf(a.getAsObject()) == "Starred";
                              }) ||
                 llvm::any_of(keywords, [](const json::Value &k) {
                   const json::Object *kw = k.getAsObject();
                   return kw && !kw->getString("arg");
                 });
  if (!unpacks)
    return &call;
  // A name no Python name can be, bound to `value` (known at import) or
  // `tensor`; a Name node of it, located at `at`.
  auto temporary = [&](const json::Object &at, const json::Value *value,
                       Value tensor) {
    std::string id = "*" + std::to_string(temporaries.size()) + "@" +
                     std::to_string(unpackedCalls.size());
    if (value)
      scope->known.insert_or_assign(id, *value);
    else
      scope->env[id] = PyValue::tensor(tensor);
    temporaries.push_back(id);
    return located(json::Object{{"node", "Name"}, {"id", id}}, at);
  };
  json::Array outArgs, outKeywords;
  for (const json::Value &a : args) {
    const json::Object *arg = a.getAsObject();
    if (kindOf(arg) != "Starred") {
      outArgs.push_back(a);
      continue;
    }
    const json::Object *inner = arg->getObject("value");
    if (!inner)
      return error(*arg, "the program JSON has a Starred without its value");
    if (kindOf(*inner) == "List" || kindOf(*inner) == "Tuple") {
      for (const json::Value &e : arrayOr(inner->getArray("elts")))
        outArgs.push_back(e);
      continue;
    }
    if (const json::Value *known = knownArgument(*this, *inner)) {
      const json::Object *o = known->getAsObject();
      const json::Array *items =
          o ? (o->getArray("tuple") ? o->getArray("tuple")
                                    : o->getArray("list"))
            : nullptr;
      if (!items)
        return error(*arg, "'" + source(*arg) + "' unpacks " +
                               pythonRepr(*known) +
                               ", which is not a list or tuple");
      for (const json::Value &item : *items)
        outArgs.push_back(temporary(*arg, &item, Value()));
      continue;
    }
    FailureOr<PyValue> v = expr(*inner);
    if (failed(v))
      return failure();
    if (!v->isList() || v->list->ssa)
      return error(*arg, "'" + source(*arg) +
                             "' unpacks a value converted code does not "
                             "hold element by element: converted code "
                             "unpacks (*) a list or tuple known at import, "
                             "written in place, a helper's *args, or a list "
                             "of tensors built outside loops");
    for (Value element : v->list->elements)
      outArgs.push_back(temporary(*arg, nullptr, element));
  }
  for (const json::Value &k : keywords) {
    const json::Object *kw = k.getAsObject();
    if (!kw || kw->getString("arg")) {
      outKeywords.push_back(k);
      continue;
    }
    const json::Object *inner = kw->getObject("value");
    if (kindOf(inner) == "Dict") {
      // **{"axis": 1}: its entries, keyed by string literals.
      const json::Array &keys = arrayOr(inner->getArray("keys"));
      const json::Array &values = arrayOr(inner->getArray("values"));
      // A key written twice keeps its first place and its last value, as
      // Python's dict display does.
      SmallVector<std::pair<std::string, const json::Value *>> entries;
      for (auto [k, v] : llvm::zip(keys, values)) {
        const json::Object *key = k.getAsObject();
        const json::Value *text =
            kindOf(key) == "Constant" ? key->get("value") : nullptr;
        if (!text || !text->getAsString())
          return error(key ? *key : *kw,
                       "'" + source(*kw) +
                           "' unpacks a dict whose keys "
                           "are not all string literals (Python's keywords "
                           "are strings; `**{**d, ...}` is not converted)");
        std::string name = text->getAsString()->str();
        auto same = llvm::find_if(
            entries, [&](const auto &e) { return e.first == name; });
        if (same != entries.end())
          same->second = &v;
        else
          entries.push_back({name, &v});
      }
      for (const auto &[name, v] : entries)
        outKeywords.push_back(located(
            json::Object{{"node", "keyword"}, {"arg", name}, {"value", *v}},
            *kw));
      continue;
    }
    const json::Value *known = inner ? knownArgument(*this, *inner) : nullptr;
    const json::Object *dict = known && known->getAsObject()
                                   ? known->getAsObject()->getObject("dict")
                                   : nullptr;
    if (!dict)
      return error(*kw, "'" + source(*kw) +
                            "' unpacks a value converted code does not hold "
                            "key by key: converted code unpacks (**) a dict "
                            "known at import (a helper's **kwargs, a module "
                            "constant)");
    // Sorted by key: json::Object keeps no order, and the order of
    // keywords does not change how Python binds them.
    SmallVector<llvm::StringRef> keys;
    for (const auto &entry : *dict)
      keys.push_back(entry.first);
    llvm::sort(keys);
    for (llvm::StringRef key : keys)
      outKeywords.push_back(located(
          json::Object{{"node", "keyword"},
                       {"arg", key},
                       {"value", temporary(*kw, dict->get(key), Value())}},
          *kw));
  }
  json::Object out = call;
  out["args"] = std::move(outArgs);
  out["keywords"] = std::move(outKeywords);
  return &unpackedCalls.emplace_back(std::move(out));
}

void ProgramBuilder::unbindTemporaries(ArrayRef<std::string> temporaries) {
  for (const std::string &id : temporaries) {
    scope->env.erase(id);
    scope->known.erase(id);
  }
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::helperResults(const json::Object &fn,
                              const json::Object &written, ModelState *model,
                              bool asStatement) {
  // f(*xs, **kw): the call with its arguments written out.
  SmallVector<std::string> temporaries;
  FailureOr<const json::Object *> unpacked = unpackedCall(written, temporaries);
  if (failed(unpacked))
    return failure();
  if (*unpacked != &written) {
    FailureOr<SmallVector<PyValue>> results =
        helperResults(fn, **unpacked, model, asStatement);
    unbindTemporaries(temporaries);
    return results;
  }
  const json::Object &node = written;
  llvm::StringRef name = fn.getString("name").value_or("");
  if (llvm::is_contained(inlining, &fn))
    return error(node, "'" + name +
                           "' calls itself (directly or not): "
                           "recursion is not supported");
  // Python's binding of a call to the parameters: the positional
  // arguments in order (positional-only ones first), those left over in
  // *args; then the keywords by name, those of no parameter (or of a
  // positional-only one) in **kwargs; then the defaults (evaluated as
  // `def` evaluates them, at module level) of those left.
  const json::Array &posonly = arrayOr(fn.getArray("posonly_params"));
  const json::Array &named = arrayOr(fn.getArray("params"));
  SmallVector<const json::Value *> params;
  for (const json::Array *list : {&posonly, &named})
    for (const json::Value &p : *list)
      params.push_back(&p);
  const json::Array &defaults = arrayOr(fn.getArray("defaults"));
  const json::Array &kwonly = arrayOr(fn.getArray("kwonly"));
  const json::Array &kwDefaults = arrayOr(fn.getArray("kw_defaults"));
  std::optional<llvm::StringRef> vararg = fn.getString("vararg");
  std::optional<llvm::StringRef> kwarg = fn.getString("kwarg");
  // A method's `self` is the model it is called on (not a @staticmethod's).
  // A function defined in the caller's body is its closure, in the model's
  // context but no method of it: its first parameter is its first argument
  // (helper-139: it took `self`'s place, the others shifted by one).
  bool closure =
      llvm::is_contained(llvm::make_second_range(scope->localFunctions), &fn);
  size_t first =
      model && !closure && !fn.getBoolean("static").value_or(false) ? 1 : 0;
  size_t count = params.size() > first ? params.size() - first : 0;
  // The positional-only parameters among them (self aside).
  size_t positionalOnly = posonly.size() > first ? posonly.size() - first : 0;
  auto paramName = [&](size_t i) -> llvm::StringRef {
    const json::Value &p = i < count ? *params[first + i] : kwonly[i - count];
    const json::Object *object = p.getAsObject();
    return object ? object->getString("name").value_or("") : "";
  };
  // The node each parameter takes its value from, and whether it is the
  // caller's (else a default).
  size_t total = count + kwonly.size();
  SmallVector<const json::Object *> from(total, nullptr);
  SmallVector<bool> given(total, false);
  const json::Array &args = arrayOr(node.getArray("args"));
  if (args.size() > count && !vararg)
    return error(node, "'" + name + "' takes " + llvm::Twine(count) +
                           " positional argument(s) but " +
                           llvm::Twine(args.size()) +
                           " were given (Python raises TypeError)");
  SmallVector<const json::Value *> extraArgs;
  for (auto [i, arg] : llvm::enumerate(args)) {
    if (i >= count) {
      extraArgs.push_back(&arg);
      continue;
    }
    from[i] = arg.getAsObject();
    given[i] = true;
  }
  SmallVector<std::pair<llvm::StringRef, const json::Object *>> extraKeywords;
  for (const json::Value &k : arrayOr(node.getArray("keywords"))) {
    const json::Object *kw = k.getAsObject();
    std::optional<llvm::StringRef> arg =
        kw ? kw->getString("arg") : std::nullopt;
    if (!arg)
      return error(kw ? *kw : node,
                   "'" + name + "' is given '" + source(kw ? *kw : node) +
                       "', a dict not known at import: converted code "
                       "unpacks (**) a dict of names bound to Python values "
                       "at import only");
    size_t i = positionalOnly;
    while (i < total && paramName(i) != *arg)
      ++i;
    if (i == total) {
      bool isPositionalOnly = false;
      for (size_t j = 0; j < positionalOnly; ++j)
        isPositionalOnly |= paramName(j) == *arg;
      if (!kwarg)
        return error(
            *kw, "'" + name + "' " +
                     (isPositionalOnly
                          ? "takes '" + *arg + "' by position only (before `/`)"
                          : "has no parameter '" + *arg + "'") +
                     " (Python raises TypeError)");
      if (llvm::any_of(extraKeywords,
                       [&](const auto &e) { return e.first == *arg; }))
        return error(*kw, "'" + name + "' is given '" + *arg +
                              "' twice (Python raises TypeError)");
      extraKeywords.push_back({*arg, kw->getObject("value")});
      continue;
    }
    if (given[i])
      return error(*kw, "'" + name + "' is given '" + *arg +
                            "' twice (Python raises TypeError)");
    from[i] = kw->getObject("value");
    given[i] = true;
  }
  for (size_t i = 0; i < total; ++i) {
    if (given[i])
      continue;
    if (i < count) {
      size_t withDefault = params.size() - defaults.size();
      if (first + i >= withDefault)
        from[i] = defaults[first + i - withDefault].getAsObject();
    } else if (i - count < kwDefaults.size()) {
      from[i] = kwDefaults[i - count].getAsObject();
    }
    if (!from[i])
      return error(node, "'" + name + "' is missing its argument '" +
                             paramName(i) + "' (Python raises TypeError)");
  }
  // The arguments, in the caller's scope; the defaults at module level
  // (no name of the caller's is seen); then the body in its own.
  FunctionScope callee;
  callee.function = &fn;
  callee.model = model;
  // A function defined in the caller's body is its closure: the caller's
  // names (and its functions) as they are now, its parameters over them.
  if (closure)
    scope->enclose(callee, fn);
  // A Python function returns Python values as they are (`return n * 2`
  // is an int to its caller); a Keras model's call, its outputs, tensors.
  callee.returnsPythonValues = !model || name != "call";
  callee.mayEndWithoutReturn = asStatement;
  for (size_t i = 0; i < total; ++i)
    if (given[i] && failed(bindParameter(callee, paramName(i), *from[i])))
      return failure();
  for (size_t i = 0; i < total; ++i)
    if (!given[i] && failed(bindDefault(callee, paramName(i), *from[i])))
      return failure();
  if (vararg && failed(bindVarargs(callee, *vararg, node, extraArgs)))
    return failure();
  if (kwarg && failed(bindKwargs(callee, *kwarg, extraKeywords)))
    return failure();
  llvm::SaveAndRestore<FunctionScope *> inCallee(scope, &callee);
  inlining.push_back(&fn);
  FailureOr<SmallVector<PyValue>> results = body(arrayOr(fn.getArray("body")));
  inlining.pop_back();
  // A list or tuple of one returned (`return [y]`, `return (y,)`) stays
  // one to the caller: `self(x)[0]` is y, not its first row (helper-128).
  if (succeeded(results) && callee.returnsSequence && results->size() == 1 &&
      results->front().isTensor())
    return SmallVector<PyValue>{knownList(node, {results->front().value})};
  return results;
}

/// The parameter of a Keras activation function (Keras 3's name and
/// default) that is predict.activation's `alpha`.
static std::optional<std::pair<llvm::StringRef, llvm::StringRef>>
kerasActivationAlpha(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::leaky_relu:
    return std::pair("negative_slope", "0.2");
  case ActivationKind::elu:
  case ActivationKind::celu:
    return std::pair("alpha", "1.0");
  case ActivationKind::hard_shrink:
  case ActivationKind::soft_shrink:
    return std::pair("threshold", "0.5");
  case ActivationKind::squareplus:
    return std::pair("b", "4");
  default:
    return std::nullopt;
  }
}

/// The signature of a Keras activation function called in source
/// (`tf.keras.activations.softmax(x, axis=-1)`): Keras 3's parameters, of
/// those predict's activation reads.
static std::string kerasActivationSignature(llvm::StringRef name,
                                            ActivationKind kind) {
  std::string text = (name + "(x").str();
  if (isAlongAxis(kind))
    text += ", axis=-1";
  else if (kind == ActivationKind::gelu)
    text += ", approximate=False";
  else if (kind == ActivationKind::relu)
    text += ", negative_slope=0.0, max_value=None, threshold=0.0";
  else if (std::optional<std::pair<llvm::StringRef, llvm::StringRef>> param =
               kerasActivationAlpha(kind))
    text += (", " + param->first + "=" + param->second).str();
  return text + ")";
}

FailureOr<PyValue> ProgramBuilder::activationCall(const json::Object &node,
                                                  ActivationKind kind) {
  const json::Object *func = node.getObject("func");
  std::optional<llvm::StringRef> callee =
      func ? func->getString("qualified") : std::nullopt;
  std::optional<llvm::StringRef> known =
      callee ? signatureOf(*callee) : std::nullopt;
  std::string signature =
      known ? known->str()
            : kerasActivationSignature(
                  callee ? callee->rsplit('.').second : "activation", kind);
  FailureOr<BoundCall> bound = bindArguments(*this, node, signature);
  if (failed(bound))
    return failure();
  const Parameter &first = bound->signature.params.front();
  FailureOr<Value> x = bound->tensor(first.name);
  if (failed(x))
    return failure();
  // predict's activations compute on floats (TensorFlow's relu also takes
  // integers; its exp-based ones do not).
  if (!isa<FloatType>(getElementTypeOrSelf(x->getType())))
    return bound->error(first.name,
                        "is " + typeText(x->getType()) +
                            ": predict's activations compute on float32 "
                            "tensors: tf.cast it to tf.float32");
  // keras.activations.relu's parameters: the ReLU layer's computation.
  if (kind == ActivationKind::relu && !known) {
    FailureOr<std::optional<double>> slope = bound->number("negative_slope"),
                                     maxValue = bound->number("max_value"),
                                     threshold = bound->number("threshold");
    if (failed(slope) || failed(maxValue) || failed(threshold))
      return failure();
    // (keras.activations.relu checks nothing, unlike the ReLU layer; a
    // negative max_value clips to [0, max] in an order Keras's backends do
    // not agree on: refused.)
    if (*maxValue && **maxValue < 0)
      return bound->error("max_value",
                          "is negative: Keras's backends disagree on the "
                          "result (TensorFlow's gives 0, numpy's max_value); "
                          "give a max_value of 0 or more");
    llvm::Expected<Value> result = keras::kerasRelu(
        builder, loc(node), *x, *maxValue, slope->value_or(0.0),
        threshold->value_or(0.0), [&](Operation *op) -> llvm::Expected<Value> {
          FailureOr<Value> v = typed(op);
          if (failed(v))
            return llvm::createStringError("reported above");
          return *v;
        });
    if (!result) {
      llvm::consumeError(result.takeError());
      return failure();
    }
    return PyValue::tensor(*result);
  }
  IntegerAttr axis;
  FloatAttr alpha;
  bool approximate = false;
  if (isAlongAxis(kind) && bound->has("axis")) {
    // Out of range first (whatever its size), as Python compares.
    const json::Object &at = bound->at("axis");
    FailureOr<const json::Object *> n = numberOf(at);
    if (failed(n))
      return failure();
    if (*n && (*n)->getString("int"))
      if (auto ranked = dyn_cast<RankedTensorType>(x->getType())) {
        llvm::StringRef text = *(*n)->getString("int");
        int64_t v = 0;
        bool fits = !text.getAsInteger(10, v) && v != INT64_MIN;
        if (!fits || v < -ranked.getRank() || v >= ranked.getRank())
          return error(at, "axis " + text + " is out of range for " +
                               typeText(ranked));
      }
    FailureOr<std::optional<int64_t>> v = bound->integer("axis");
    if (failed(v))
      return failure();
    axis = builder.getI64IntegerAttr(**v);
  }
  if (kind == ActivationKind::gelu) {
    FailureOr<bool> v = bound->boolean("approximate");
    if (failed(v))
      return failure();
    approximate = *v;
  }
  std::optional<std::pair<llvm::StringRef, llvm::StringRef>> alphaParam =
      kerasActivationAlpha(kind);
  if (alphaParam && (!known || kind == ActivationKind::leaky_relu)) {
    // (tf.nn.leaky_relu's is `alpha`.)
    llvm::StringRef param = known ? "alpha" : alphaParam->first;
    if (bound->has(param)) {
      FailureOr<std::optional<double>> v = bound->number(param);
      if (failed(v))
        return failure();
      if (!*v)
        return bound->error(param, "must be a number, not None");
      alpha = builder.getF64FloatAttr(**v);
    }
  }
  if (kind == ActivationKind::swish && known) {
    FailureOr<std::optional<double>> beta = bound->number("beta");
    if (failed(beta))
      return failure();
    if (*beta != 1.0)
      return bound->error("beta", "other than 1.0 is not supported by "
                                  "predict yet (write x * tf.sigmoid(beta * "
                                  "x))");
  }
  FailureOr<Value> result = typed(ActivationOp::create(
      builder, loc(node), x->getType(), kind, *x, alpha, axis, approximate));
  if (failed(result))
    return failure();
  return PyValue::tensor(*result);
}

FailureOr<PyValue> ProgramBuilder::l2NormalizeCall(const json::Object &node) {
  // tf.math.l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None).
  FailureOr<BoundCall> bound = bindArguments(
      *this, node,
      *signatureOf(node.getObject("func")->getString("qualified").value_or(
          "tensorflow.math.l2_normalize")));
  if (failed(bound))
    return failure();
  if (bound->has("dim"))
    return bound->error("dim", "is TensorFlow 1's name of axis: write axis=");
  FailureOr<Value> x = bound->tensor("x");
  if (failed(x))
    return failure();
  auto ranked = dyn_cast<RankedTensorType>(x->getType());
  if (!ranked)
    return error(bound->at("x"), "tf.math.l2_normalize needs an input of "
                                 "known rank");
  // The axes: one int, a list or tuple of ints, or None (all of them).
  FailureOr<std::optional<SmallVector<int64_t>>> given =
      bound->axes("axis", ranked);
  if (failed(given))
    return failure();
  SmallVector<int64_t> axes =
      *given ? **given
             : llvm::to_vector(llvm::seq<int64_t>(0, ranked.getRank()));
  FailureOr<std::optional<double>> epsilon = bound->number("epsilon");
  if (failed(epsilon))
    return failure();
  FailureOr<Value> result = typed(L2NormalizeOp::create(
      builder, loc(node), ranked, *x, builder.getDenseI64ArrayAttr(axes),
      builder.getF64FloatAttr(**epsilon)));
  if (failed(result))
    return failure();
  return PyValue::tensor(*result);
}

FailureOr<PyValue> ProgramBuilder::lambdaCall(const json::Object &lambda,
                                              const json::Object &node) {
  // Its parameters bound by position over the names of this scope as they
  // are now (Python's closure), its expression evaluated.
  const json::Object *args = lambda.getObject("args");
  SmallVector<const json::Object *> params =
      nodes(args ? args->getArray("args") : nullptr);
  const json::Array &given = arrayOr(node.getArray("args"));
  if ((args && (!nodes(args->getArray("defaults")).empty() ||
                !nodes(args->getArray("kwonlyargs")).empty() ||
                (args->get("vararg") &&
                 args->get("vararg")->kind() != json::Value::Null))) ||
      !arrayOr(node.getArray("keywords")).empty())
    return error(node, "'" + source(node) +
                           "': a lambda is called here with its parameters "
                           "by position only (no defaults, *args or "
                           "keywords)");
  if (given.size() != params.size())
    return error(
        node, "'" + source(node) + "' gives " + std::to_string(given.size()) +
                  " argument(s) to a lambda of " +
                  std::to_string(params.size()) + " (Python raises TypeError)");
  SmallVector<PyValue> values;
  for (const json::Value &a : given) {
    FailureOr<PyValue> v = expr(a);
    if (failed(v))
      return failure();
    values.push_back(*v);
  }
  llvm::StringMap<PyValue> saved = scope->env;
  for (auto [p, v] : llvm::zip_equal(params, values))
    scope->env[p->getString("arg").value_or("")] = v;
  const json::Object *body = lambda.getObject("body");
  FailureOr<PyValue> result =
      body ? expr(*body)
           : FailureOr<PyValue>(error(node, "the program JSON has a Lambda "
                                            "without body"));
  scope->env = std::move(saved);
  return result;
}

/// numpy.clip(a, a_min, a_max): a foreign call, but a bound given as None
/// (by position or by name) is no bound: numpy's own clip then computes
/// minimum(a, a_max) or maximum(a, a_min) (numpy/core/_methods.py, _clip),
/// which is the call made here; both None is numpy's ValueError.
static FailureOr<PyValue> numpyClipCall(ProgramBuilder &b,
                                        const json::Object &node) {
  auto isNone = [](const json::Value *v) {
    return isNoneNode(v ? v->getAsObject() : nullptr);
  };
  const json::Array *args = node.getArray("args");
  json::Array kept, keywords;
  // The bounds by position (1, 2) or by name, whether None.
  bool none[2] = {false, false};
  for (auto [i, arg] : llvm::enumerate(args ? *args : json::Array())) {
    if ((i == 1 || i == 2) && isNone(&arg))
      none[i - 1] = true;
    else
      kept.push_back(arg);
  }
  for (const json::Value &kw : arrayOr(node.getArray("keywords"))) {
    const json::Object *k = kw.getAsObject();
    std::optional<llvm::StringRef> name =
        k ? k->getString("arg") : std::nullopt;
    int bound = name == "a_min" ? 0 : name == "a_max" ? 1 : -1;
    if (bound >= 0 && isNone(k->get("value")))
      none[bound] = true;
    else
      keywords.push_back(kw);
  }
  llvm::StringRef callee = "numpy.clip";
  if (none[0] && none[1])
    return b.error(node, "np.clip: a_min and a_max are both None: give one "
                         "of them (numpy raises ValueError: One of max or "
                         "min must be given)");
  if (none[0] || none[1]) {
    // (The other bound by position after a None one is the second
    // operand already; by name, it becomes that operand.)
    for (auto it = keywords.begin(); it != keywords.end(); ++it) {
      const json::Object *k = it->getAsObject();
      if (k && k->getString("arg") == (none[0] ? "a_max" : "a_min")) {
        if (const json::Value *v = k->get("value"))
          kept.push_back(*v);
        keywords.erase(it);
        break;
      }
    }
    if (kept.size() != 2)
      return b.error(node, "np.clip with a None bound takes the array and "
                           "the other bound");
    callee = none[0] ? "numpy.minimum" : "numpy.maximum";
  }
  json::Object call(node);
  call["args"] = std::move(kept);
  call["keywords"] = std::move(keywords);
  FailureOr<Value> result = b.foreign(call, callee);
  if (failed(result))
    return failure();
  return PyValue::tensor(*result);
}

FailureOr<PyValue> ProgramBuilder::call(const json::Object &written) {
  // f(*xs, **kw): the call with its arguments written out.
  SmallVector<std::string> temporaries;
  FailureOr<const json::Object *> unpacked = unpackedCall(written, temporaries);
  if (failed(unpacked))
    return failure();
  if (*unpacked != &written) {
    FailureOr<PyValue> result = call(**unpacked);
    unbindTemporaries(temporaries);
    return result;
  }
  const json::Object &node = written;
  // `bs = kwargs.pop("batch_size", 32)` of a dict known at import.
  if (std::optional<FailureOr<PyValue>> done = knownDictMethod(node))
    return *done;
  // kw.get("scale", 1.0) of a dict known at import: its value, else the
  // default (which may be a tensor).
  if (const json::Object *dict = dictGet(node)) {
    if (const json::Value *found = knownDictValue(node, *dict))
      return knownPyValue(*found, node);
    const json::Array &args = arrayOr(node.getArray("args"));
    if (args.size() < 2)
      return knownPyValue(json::Value(nullptr), node);
    return expr(args[1]);
  }
  const json::Object *func = node.getObject("func");
  if (!func || !node.getArray("args"))
    return error(node, "the program JSON has a Call without func or args");
  const json::Array &args = *node.getArray("args");
  const json::Array &keywords = arrayOr(node.getArray("keywords"));
  std::optional<llvm::StringRef> id =
      func->getString("node") == "Name" ? func->getString("id") : std::nullopt;
  if (id && scope->env.count(*id))
    return error(node, "'" + *id + "' is a local value here, not a function, "
                                   "model or layer to call");
  // ta.write(i, v), ta.stack() ... of a tf.TensorArray.
  if (std::optional<FailureOr<PyValue>> result = tensorArrayCall(node))
    return *result;
  // Models, their layers and methods.
  if (std::optional<FailureOr<PyValue>> result = modelCall(node))
    return *result;
  // (Until PythonModels.cpp converts them all.)
  const json::Object *target =
      id ? func : func->getObject("value");
  std::optional<llvm::StringRef> targetId =
      target && target->getString("node") == "Name" ? target->getString("id")
                                                     : std::nullopt;
  // (A parameter of the entry that the example call gives a model, `m` of
  // `run(m, x)`, is that model.)
  std::optional<llvm::StringRef> modelName = targetId;
  if (targetId && scope)
    if (auto it = scope->modelAliases.find(*targetId);
        it != scope->modelAliases.end())
      modelName = it->second;
  if (modelName)
    if (const json::Object *model = findModel(*program, *modelName)) {
      // `model.fit(...)`, `seq.encode(x)`: not a method predict converts.
      std::optional<llvm::StringRef> attr =
          id ? std::nullopt : func->getString("attr");
      if (!attr)
        return notYet(node, "this call of a model");
      llvm::StringRef cls = model->getString("class").value_or("");
      if (cls.starts_with("$"))
        cls = "Functional";
      if (cls.empty())
        cls = "Sequential";
      bool vowel = llvm::StringRef("AEIOUaeiou").contains(cls.front());
      return error(node, "'" + source(*func) + "' is not converted: " +
                             "predict converts a model's call, its predict "
                             "and the methods its class defines ('" +
                             *modelName + "' is " + (vowel ? "an " : "a ") +
                             cls + " model, and " + *attr +
                             " is not one of them; training, saving and "
                             "summaries are no part of inference)");
    }
  // A function defined in this body (a closure), or of this file:
  // converted where it is called.
  if (id && !func->getString("qualified")) {
    if (const json::Object *local = scope->localFunctions.lookup(*id)) {
      if (kindOf(*local) == "Lambda")
        return lambdaCall(*local, node);
      return helper(*local, node, scope->model);
    }
    if (const json::Object *fn = function(*id))
      return helper(*fn, node, nullptr);
  }
  // len(x.shape), tf.rank(x): PythonShapes.cpp.
  if (std::optional<FailureOr<PyValue>> rank = rankOf(node))
    return *rank;
  // len(x): PythonValues.cpp.
  if (id == "len" && !func->getString("qualified"))
    return lenCall(node);
  // tuple(lst), list(pair) of a tuple or list built outside loops: a copy
  // of its elements (a namedtuple's fields dropped, as tuple() drops them).
  if ((id == "tuple" || id == "list") && !func->getString("qualified") &&
      !scope->env.count(*id) && args.size() == 1 && keywords.empty()) {
    FailureOr<PyValue> v = expr(args[0]);
    if (failed(v))
      return failure();
    if (v->isKnownList()) {
      PyValue copy = knownList(node, v->list->elements, listItems(*v->list));
      if (v->list->sources.size() == v->list->elements.size())
        copy.list->sources = v->list->sources;
      return copy;
    }
    return error(node, "'" + source(node) +
                           "' is converted of a tuple or list built outside "
                           "loops (a tensor's rows: tf.unstack)");
  }
  // abs(), min(), max(), pow(), bool(), sum(), divmod(): PythonValues.cpp.
  if (id && !func->getString("qualified")) {
    if (std::optional<FailureOr<PyValue>> result = numberBuiltin(node, *id))
      return *result;
    if (std::optional<FailureOr<PyValue>> result = sequenceBuiltin(node, *id))
      return *result;
  }
  // x.shape.as_list(): the sizes, as x.shape[:] gives them.
  if (kindOf(*func) == "Attribute" && func->getString("attr") == "as_list" &&
      args.empty() && keywords.empty())
    if (const json::Object *shape = func->getObject("value");
        shape && kindOf(*shape) == "Attribute" && shapeSubject(*shape))
      return expr(synthesize(located(
          json::Object{
              {"node", "Subscript"},
              {"value", json::Object(*shape)},
              {"slice", located(json::Object{{"node", "Slice"}}, node)}},
          node)));
  // int(x.shape[0]): an integer already; float(i) of one: a Python float
  // when known at import, else a float32 scalar made at run time, marked
  // as Python's (runTimeFloats).
  if ((id == "int" || (id == "float" && !func->getString("qualified"))) &&
      args.size() == 1 && keywords.empty()) {
    // int(a / b) of integers: the quotient truncated toward zero, exactly
    // (Python's float quotient truncates to it while |a| <= 2**53).
    if (const json::Object *div = args[0].getAsObject();
        id == "int" && div && kindOf(*div) == "BinOp" &&
        div->getString("op") == "Div")
      return truncatedQuotient(*div);
    FailureOr<PyValue> value = expr(args[0]);
    if (failed(value))
      return failure();
    const json::Object &at = *args[0].getAsObject();
    // Of a Python float (PythonFloats.cpp): itself, or truncated toward
    // zero as int() truncates it.
    if (std::optional<double> d = pythonFloat(*value)) {
      if (id == "float")
        return *value;
      return integerOfFloat(node, *d);
    }
    // int(True) is 1, float(True) 1.0; int(np.int64(2)) of a numpy
    // integer known at import is 2 (of a tensor computed at run time,
    // TensorFlow's tf.function raises).
    if (value->isBool() ||
        (value->isTensor() && value->value.getDefiningOp<ConstantOp>()))
      scalarToInteger(*value, loc(at));
    // Of a tensor computed at run time: AutoGraph's int_ and float_
    // (py_builtins: tf.cast(x, tf.int32), tf.cast(x, tf.float32)), a
    // tensor of x's shape (helper-132: "expected an integer here").
    if (value->isTensor() && !value->list &&
        !runTimeFloats.count(value->value)) {
      std::string id0 = "*" + id->str() + "0";
      scope->env[id0] = *value;
      json::Object cast = tfCallNode(
          "cast",
          json::Array{
              located(json::Object{{"node", "Name"}, {"id", id0}}, node),
              located(json::Object{{"node", "Attribute"},
                                   {"attr", *id == "int" ? "int32" : "float32"},
                                   {"qualified", *id == "int"
                                                     ? "tensorflow.int32"
                                                     : "tensorflow.float32"}},
                      node)},
          json::Array(), node);
      FailureOr<PyValue> result = expr(synthesize(std::move(cast)));
      scope->env.erase(id0);
      return result;
    }
    if (!value->isIndex() && id == "int")
      return notAnInteger(at);
    if (!value->isIndex())
      return error(at, "float() is converted of an integer (a loop "
                       "variable, x.shape[0]) or a float; for a tensor "
                       "write tf.cast(x, tf.float32)");
    if (id == "int")
      return *value;
    if (std::optional<int64_t> known = knownIndexValue(value->value))
      return pythonFloatValue(static_cast<double>(*known), loc(node));
    FailureOr<Value> scalar = indexAsTensor(at, *value);
    if (failed(scalar))
      return failure();
    // (Of TensorFlow's int32, AutoGraph's float_: tf.cast to float32, a
    // tensor computed in float32, not a Python float; helper-143.)
    if (!value->int32)
      runTimeFloats.insert(*scalar);
    return PyValue::tensor(*scalar);
  }
  std::optional<llvm::StringRef> callee = func->getString("qualified");
  if (!callee) {
    const json::Object *madeBy = program->getObject("made_by");
    std::optional<llvm::StringRef> made =
        id && madeBy ? madeBy->getString(*id) : std::nullopt;
    if (made && (made->starts_with("tensorflow.keras.") ||
                 made->starts_with("keras.")))
      return error(node, "'" + *id + "' is made by " + *made +
                             "(...), which Python source does not convert "
                             "(it converts a subclass of tf.keras.Model, "
                             "tf.keras.Sequential([...]) and "
                             "tf.keras.Model(inputs, outputs) built in the "
                             "file); or save the model "
                             "(model.save('m.keras')) and import that file");
    if (made && made->consume_front("$function "))
      return error(node,
                   "'" + *id + "' is what '" + *made +
                       "(...)' returns, which predict reads as a model "
                       "when the function makes one and returns it: it "
                       "ends with its only `return` of "
                       "tf.keras.Sequential([...]), tf.keras.Model(inputs, "
                       "outputs), a model class of the file or another "
                       "such function's call, or of a local bound once to "
                       "one; it defines no function or class, imports "
                       "nothing and has no `global` or `yield`, and it is "
                       "not decorated; or make the model at module level");
    // `tf.keras.layers.Dense(8)(h)` in converted code.
    if (const json::Object *maker =
            kindOf(*func) == "Call" ? func->getObject("func") : nullptr)
      if (std::optional<llvm::StringRef> made = maker->getString("qualified"))
        if (isLayerMaker(*made))
          return layerMadeHere(*func);
    // `MEAN.reshape(1, 3)`, `a.astype(np.float32)` of a numpy array.
    if (std::optional<FailureOr<PyValue>> result = ndarrayMethod(node))
      return *result;
    return error(node, "cannot convert the call '" + source(*func) +
                           "': it is neither a layer, a model, nor a name "
                           "imported into the file");
  }
  FailureOr<PyValue> result = qualifiedCall(node, *callee);
  // A tf.* function's result is a tf.Tensor, also one that leaves a numpy
  // array it is given as it is (tf.identity, tf.cast to its own dtype):
  // numpy's methods and promotion no longer apply to it (helper-116).
  if (succeeded(result) && result->isTensor() &&
      callee->starts_with("tensorflow.")) {
    FailureOr<Value> tensor = asTensor(result->value, node);
    if (failed(tensor))
      return failure();
    result->value = *tensor;
  }
  return result;
}

FailureOr<PyValue> ProgramBuilder::qualifiedCall(const json::Object &node,
                                                 llvm::StringRef calleeName) {
  std::optional<llvm::StringRef> callee = calleeName;
  // tf.cond (PythonBranches.cpp).
  if (std::optional<FailureOr<PyValue>> result = controlCall(node, *callee))
    return *result;
  // tf.concat, tf.stack of a list.
  if (std::optional<FailureOr<PyValue>> result = listCall(node, *callee))
    return *result;
  if (*callee == "tensorflow.TensorArray")
    return makeTensorArray(node);
  if (std::optional<FailureOr<PyValue>> result = arrayCall(node, *callee))
    return *result;
  if (std::optional<FailureOr<PyValue>> result = constructorCall(node, *callee))
    return *result;
  if (*callee == "tensorflow.debugging.check_numerics" ||
      *callee == "tensorflow.check_numerics")
    return checkNumerics(node);
  if (isCheckCall(node))
    return error(node, "'" + source(node) + "' is converted as a statement "
                       "of its own, not as a value (TensorFlow 2 runs the "
                       "check; its value is not a tensor)");
  if (*callee == "tensorflow.constant" ||
      *callee == "tensorflow.convert_to_tensor")
    return constantCall(node);
  // Reductions, argmax, casts, logical and shape operations.
  if (std::optional<FailureOr<PyValue>> result =
          tensorOpCall(*this, node, *callee))
    return *result;
  // tf.identity, tf.math.is_nan, tf.sort, tf.norm...
  if (std::optional<FailureOr<PyValue>> result = mathCall(*this, node, *callee))
    return *result;
  if (BinaryBuilder binary = binaryOp(*callee)) {
    FailureOr<BoundCall> bound =
        bindArguments(*this, node, *signatureOf(*callee));
    if (failed(bound))
      return failure();
    llvm::StringRef lhsName = bound->signature.params[0].name;
    llvm::StringRef rhsName = bound->signature.params[1].name;
    FailureOr<Value> lhs = bound->tensor(lhsName);
    if (failed(lhs))
      return failure();
    FailureOr<Value> rhs = bound->tensor(rhsName);
    if (failed(rhs))
      return failure();
    // TensorFlow converts a first argument that is a numpy array with the
    // array's own dtype (only the second gets the first's as a hint): a
    // tensor of another kind beside it is its TypeError. (A number is
    // numbersLike's; float64 is float32 here.)
    Type lhsType = getElementTypeOrSelf(lhs->getType());
    Type rhsType = getElementTypeOrSelf(rhs->getType());
    auto scalar = dyn_cast<RankedTensorType>(rhs->getType());
    bool number =
        scalar && scalar.getRank() == 0 && rhs->getDefiningOp<ConstantOp>();
    if (isNdarray(*lhs) && !isNdarray(*rhs) && !number && lhsType != rhsType)
      return error(bound->at(lhsName),
                   bound->name() + ": the first argument, '" +
                       source(bound->at(lhsName)) + "', is a numpy array of " +
                       (isa<FloatType>(lhsType) ? "floats"
                        : lhsType.isInteger(1)  ? "bools"
                                                : "integers") +
                       ", which TensorFlow converts with its own dtype, and "
                       "then raises TypeError beside the " +
                       dtypeName(rhsType) +
                       " tensor: give the tensor first, or cast the array "
                       "(np.asarray(..., dtype=...))");
    // tf.matmul's flags: a transposed (for real numbers, adjoint) operand
    // is its last two axes swapped; the others are hints to TensorFlow's
    // kernels, and output_type must be the operands'.
    if (lhsName == "a") {
      for (llvm::StringRef hint :
           {"a_is_sparse", "b_is_sparse", "grad_a", "grad_b"})
        if (failed(bound->boolean(hint)))
          return failure();
      if (bound->has("output_type"))
        return bound->error("output_type", "is not supported by predict yet "
                                           "(the product has its operands' "
                                           "type)");
      for (auto [operand, flags] :
           {std::pair(&*lhs, std::pair("transpose_a", "adjoint_a")),
            std::pair(&*rhs, std::pair("transpose_b", "adjoint_b"))}) {
        FailureOr<bool> t = bound->boolean(flags.first);
        FailureOr<bool> a = bound->boolean(flags.second);
        if (failed(t) || failed(a))
          return failure();
        if (*t && *a)
          return bound->error(flags.second,
                              llvm::formatv("is True with {0}: give one of "
                                            "them (TensorFlow raises "
                                            "ValueError; for real numbers "
                                            "they are the same transpose)",
                                            flags.first)
                                  .str());
        if (!*t && !*a)
          continue;
        auto ranked = dyn_cast<RankedTensorType>(operand->getType());
        if (!ranked || ranked.getRank() < 2)
          return bound->error(*t ? flags.first : flags.second,
                              "needs an operand of known rank, at least 2");
        SmallVector<int64_t> perm;
        for (int64_t d = 0; d < ranked.getRank(); ++d)
          perm.push_back(d);
        std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
        FailureOr<Value> swapped = typed(TransposeOp::create(
            builder, loc(node), ranked, *operand,
            builder.getDenseI64ArrayAttr(perm)));
        if (failed(swapped))
          return failure();
        *operand = *swapped;
      }
    }
    FailureOr<Value> result = arithmetic(node, binary, *lhs, *rhs,
                                         (*bound)[lhsName], (*bound)[rhsName]);
    if (failed(result))
      return failure();
    return PyValue::tensor(*result);
  }
  if (UnaryBuilder unary = unaryOp(*callee)) {
    FailureOr<BoundCall> bound =
        bindArguments(*this, node, *signatureOf(*callee));
    if (failed(bound))
      return failure();
    FailureOr<Value> x = bound->tensor("x");
    if (failed(x))
      return failure();
    FailureOr<Value> result = typed(unary(builder, loc(node), *x));
    if (failed(result))
      return failure();
    return PyValue::tensor(*result);
  }
  if (std::optional<ActivationKind> kind = activationOf(*callee))
    return activationCall(node, *kind);
  if (*callee == "tensorflow.math.l2_normalize" ||
      *callee == "tensorflow.linalg.l2_normalize" ||
      *callee == "tensorflow.nn.l2_normalize")
    return l2NormalizeCall(node);
  // tf.print and print are statements (PythonPrint.cpp): their value is
  // None in TensorFlow 2.
  if (*callee == "tensorflow.print")
    return error(node, source(*node.getObject("func")) +
                           " is converted as a statement of its own "
                           "(tf.print(...) on its line): its value, None, "
                           "is not a value of converted code");
  if (isLayerMaker(*callee))
    return layerMadeHere(node);
  // Any other function of TensorFlow's or Keras's (`keras.ops.relu`, as
  // `tf.keras.ops.relu`): predict does not know what it computes (a
  // foreign call would be a host callback into a library that is not there
  // at run time).
  if (callee->starts_with("tensorflow.") || callee->starts_with("keras."))
    return error(
        node, (callee->starts_with("keras.")
                   ? callee->str()
                   : "tf." + callee->drop_front(strlen("tensorflow.")).str()) +
                  " is not supported by predict yet "
                  "(docs/PythonSource.md lists the tf.* functions "
                  "it converts)");
  if (*callee == "numpy.clip")
    return numpyClipCall(*this, node);
  FailureOr<Value> result = foreign(node, *callee);
  if (failed(result))
    return failure();
  return PyValue::tensor(*result);
}

bool ProgramBuilder::isLayerMaker(llvm::StringRef callee) {
  return callee.starts_with("tensorflow.keras.layers.") ||
         callee.starts_with("keras.layers.") ||
         llvm::is_contained(
             {"tensorflow.keras.Sequential", "tensorflow.keras.Model",
              "keras.Sequential", "keras.Model",
              "tensorflow.keras.models.Sequential", "keras.models.Sequential"},
             callee);
}

LogicalResult ProgramBuilder::layerMadeHere(const json::Object &maker) {
  return error(maker,
               "'" + source(maker) +
                   "' makes a layer or model in code that predict "
                   "converts to run (a model's call, a tf.function, a "
                   "function they call), where Keras would make a new one, "
                   "with new weights, at each call: make it in __init__ "
                   "(self.d = ...), or in the statements of a Functional "
                   "graph (bound to a name, or in a list literal of "
                   "layers), and call it here");
}

/// Whether `node` is a number or bool literal (folded by the reader:
/// `-2`, `2 ** 3`), or a tuple or list literal of such at any depth: a
/// value no name changes, tf.constant's literal.
static bool numbersOnly(const json::Object &node) {
  llvm::StringRef kind = kindOf(node);
  if (kind == "List" || kind == "Tuple")
    return llvm::all_of(
        arrayOr(node.getArray("elts")), [](const json::Value &e) {
          return e.getAsObject() && numbersOnly(*e.getAsObject());
        });
  const json::Value *v = node.get("value");
  return !node.getString("fold_error") &&
         (node.getObject("folded") ||
          (kind == "Constant" && v &&
           (v->getAsBoolean() ||
            (v->getAsObject() && (v->getAsObject()->getString("int") ||
                                  v->getAsObject()->getString("float"))))));
}

const json::Object *ProgramBuilder::literalBehind(const json::Object &node) {
  if (kindOf(node) != "Name" || !scope)
    return nullptr;
  auto it = scope->env.find(node.getString("id").value_or(""));
  if (it == scope->env.end() || !it->second.isKnownList())
    return nullptr;
  // (Unchanged since: nothing appended; items are not assigned in
  // converted code.)
  const ListValue &list = *it->second.list;
  const json::Array *elts = list.node ? list.node->getArray("elts") : nullptr;
  if (!elts || list.ssa || elts->size() != list.elements.size() ||
      !numbersOnly(*list.node))
    return nullptr;
  return list.node;
}

FailureOr<PyValue> ProgramBuilder::constantCall(const json::Object &node) {
  // tf.constant(value, dtype=None, shape=None, name='Const'),
  // tf.convert_to_tensor(value, dtype=None, dtype_hint=None, name=None): the
  // value's dtype as TensorFlow infers it, or `dtype`; `dtype_hint` where
  // the value converts to it, as TensorFlow tries it. A shape (which would
  // reshape or fill) is an error, never dropped. A node made by the builder
  // (a list of numbers given to a foreign call) has no func: it binds as
  // tf.constant.
  const json::Object *func = node.getObject("func");
  std::optional<llvm::StringRef> callee =
      func ? func->getString("qualified") : std::nullopt;
  std::optional<llvm::StringRef> signature =
      signatureOf(callee.value_or("tensorflow.constant"));
  FailureOr<BoundCall> bound = bindArguments(
      *this, node, signature ? *signature : *signatureOf("tensorflow.constant"));
  if (failed(bound))
    return failure();
  auto hasParam = [&](llvm::StringRef param) {
    return llvm::any_of(bound->signature.params,
                        [&](const Parameter &p) { return p.name == param; });
  };
  if (hasParam("shape") && bound->has("shape")) {
    const json::Object &v = bound->at("shape");
    return error(v, "tf.constant's 'shape=" + source(v) +
                        "' is not supported: " + kConstantShape);
  }
  FailureOr<Type> dtype = bound->dtype("dtype");
  if (failed(dtype))
    return failure();
  Type hint;
  if (hasParam("dtype_hint")) {
    FailureOr<Type> h = bound->dtype("dtype_hint");
    if (failed(h))
      return failure();
    hint = *h;
  }
  const json::Object *value = (*bound)["value"];
  // A numpy array (`tf.constant(MEAN, tf.float32)` of a module's
  // np.array): TensorFlow's tensor of it, its values converted to `dtype`
  // as numpy's astype converts them.
  Value array;
  bool runTime = false;
  bool convert = callee && *callee == "tensorflow.convert_to_tensor";
  // A name bound in the function to a tuple or list (`table = [[1.0, 2.0],
  // [3.0, 4.0]]`): the literal it was made of when that holds numbers
  // only (one constant, as written in place), else its elements packed, as
  // TensorFlow converts the Python list.
  if (kindOf(*value) == "Name")
    if (auto it = scope->env.find(value->getString("id").value_or(""));
        it != scope->env.end() && it->second.isKnownList()) {
      if (const json::Object *literal = literalBehind(*value))
        value = literal;
      else
        return autopacked(*value, *dtype);
    }
  FailureOr<std::optional<json::Value>> values =
      literalOf(*value, "tf.constant", &array, convert ? &runTime : nullptr);
  if (failed(values))
    return failure();
  if (runTime)
    return autopacked(*value, *dtype);
  if (array) {
    FailureOr<Value> converted = convertArray(
        array, *dtype ? *dtype : getElementTypeOrSelf(array.getType()), *value);
    if (failed(converted))
      return failure();
    return PyValue::tensor(*converted);
  }
  if (!*values)
    return error(node, "tf.constant inside converted code takes a literal "
                       "number, bool or list of them (a float known at "
                       "import other than a literal: write the number, or "
                       "multiply tf.ones)");
  FailureOr<Value> c = literalConstant(**values, node, *dtype, hint);
  if (failed(c))
    return failure();
  return PyValue::tensor(*c);
}

FailureOr<PyValue> ProgramBuilder::autopacked(const json::Object &value,
                                              Type dtype) {
  // tf.convert_to_tensor([n, 2]) of a value known only at run time:
  // TensorFlow's autopacking conversion, which is tf.stack along axis 0 of
  // the elements as one dtype (its rules: ProgramBuilder::integerScalars),
  // then cast to `dtype` where given (array_ops.py,
  // _autopacking_conversion_function).
  llvm::StringRef kind = kindOf(value);
  if (kind != "List" && kind != "Tuple") {
    // A tensor is itself (of another dtype than `dtype`, TensorFlow's
    // ValueError); an integer known only at run time is int32 (int64 when
    // `dtype` says so), as TensorFlow's tf.shape(x)[0] is.
    FailureOr<PyValue> v = expr(value);
    if (failed(v))
      return failure();
    if (v->isIndex() &&
        (!dtype || dtype.isInteger(32) || dtype.isInteger(64))) {
      FailureOr<Value> scalar =
          integerScalar(value, *v, dtype ? dtype : builder.getI32Type(),
                        "tf.convert_to_tensor makes the integer int32");
      if (failed(scalar))
        return failure();
      return PyValue::tensor(*scalar);
    }
    // A Python bool known only at run time (`n > 2`): a bool scalar.
    if (v->isBool() && (!dtype || dtype.isInteger(1)))
      return PyValue::tensor(tensor::FromElementsOp::create(
          builder, loc(value), RankedTensorType::get({}, builder.getI1Type()),
          ValueRange{v->value}));
    // A list or tuple built outside loops (`table = [[1.0, 2.0], [3.0,
    // 4.0]]`, then tf.convert_to_tensor(table)): packed as written in place.
    if (v->isKnownList())
      return packed(value, *v->list, dtype);
    if (!v->isTensor() || v->list)
      return error(value, "tf.convert_to_tensor of '" + source(value) +
                              "' takes a tensor, a number, or a list or "
                              "tuple of them");
    Type own = getElementTypeOrSelf(v->value.getType());
    if (dtype && dtype != own)
      return error(value, "tf.convert_to_tensor of the " + dtypeName(own) +
                              " tensor '" + source(value) + "' as " +
                              dtypeName(dtype) +
                              ": TensorFlow raises ValueError (it does not "
                              "cast a tensor); write tf.cast");
    return PyValue::tensor(v->value);
  }
  FailureOr<PyValue> lst = joinedLiteral(value);
  if (failed(lst))
    return failure();
  if (!lst->isList())
    return error(value, "'" + source(value) +
                            "' is not a list of values "
                            "tf.convert_to_tensor can pack");
  return packed(value, *lst->list, dtype);
}

FailureOr<PyValue> ProgramBuilder::packed(const json::Object &value,
                                          ListValue list, Type dtype) {
  if (dtype && isa<FloatType>(dtype)) {
    // As `dtype`: its tensors cast, its Python numbers converted (the
    // float32 each element already has), so that no integer is packed.
    list.items.clear();
    list.sources.clear();
    for (Value &e : list.elements) {
      if (getElementTypeOrSelf(e.getType()) == dtype)
        continue;
      FailureOr<Value> cast = typed(CastOp::create(
          builder, loc(value), UnrankedTensorType::get(dtype), e));
      if (failed(cast))
        return failure();
      e = *cast;
    }
  }
  FailureOr<Value> packed = joinList(list, 0, /*concat=*/false, value, dtype);
  if (failed(packed))
    return failure();
  Type own = getElementTypeOrSelf(packed->getType());
  if (!dtype || dtype == own)
    return PyValue::tensor(*packed);
  if ((isa<FloatType>(own) && !isa<FloatType>(dtype)) || dtype.isInteger(1) ||
      own.isInteger(1))
    return error(value, "tf.convert_to_tensor of '" + source(value) + "' as " +
                            dtypeName(dtype) + ": TensorFlow packs it as " +
                            dtypeName(own) +
                            " and does not convert its Python numbers to " +
                            dtypeName(dtype) + "; write tf.cast(tf.stack(" +
                            source(value) + "), tf." + dtypeName(dtype) + ")");
  FailureOr<Value> cast = typed(CastOp::create(
      builder, loc(value), UnrankedTensorType::get(dtype), *packed));
  if (failed(cast))
    return failure();
  return PyValue::tensor(*cast);
}

FailureOr<std::optional<json::Value>>
ProgramBuilder::literalOf(const json::Object &n, llvm::StringRef fn,
                          Value *array, bool *runTime) {
  // The value as the reader writes literals: numbers (folded as Python
  // folds them) in nested lists.
  llvm::StringRef kind = n.getString("node").value_or("");
  if (kind == "List" || kind == "Tuple") {
    json::Array items;
    for (const json::Value &e : arrayOr(n.getArray("elts"))) {
      const json::Object *o = e.getAsObject();
      FailureOr<std::optional<json::Value>> item =
          o ? literalOf(*o, fn, nullptr, runTime)
            : FailureOr<std::optional<json::Value>>(
                  std::optional<json::Value>());
      if (failed(item) || !*item)
        return item;
      items.push_back(std::move(**item));
    }
    return std::optional<json::Value>(json::Object{{"list", std::move(items)}});
  }
  if (kind == "Constant" && n.get("value") && n.get("value")->getAsBoolean())
    return std::optional<json::Value>(*n.get("value"));
  FailureOr<const json::Object *> number = numberOf(n);
  if (failed(number))
    return failure();
  if (*number)
    return std::optional<json::Value>(json::Object(**number));
  // A module constant or hyperparameter of numbers (`SIZES`,
  // `self.weights_list`): its value.
  if (const json::Value *known = knownValue(n)) {
    const json::Object *o = known->getAsObject();
    if (known->getAsBoolean() || (o && (o->get("list") || o->get("tuple") ||
                                        o->get("int") || o->get("float"))))
      return std::optional<json::Value>(*known);
  }
  // An integer or bool known at import (`x.shape[1]`, `n * 2` of a
  // Python int).
  FailureOr<PyValue> v = expr(n);
  if (failed(v))
    return failure();
  if (v->isIndex())
    if (std::optional<int64_t> k = knownIndexValue(v->value))
      return std::optional<json::Value>(
          json::Object{{"int", std::to_string(*k)}});
  if (v->isBool())
    if (std::optional<int64_t> k = getConstantIntValue(v->value))
      return std::optional<json::Value>(json::Value(*k != 0));
  if (v->isTensor() && v->number)
    return std::optional<json::Value>(); // a float: the caller's error
  // A tuple or list the function built of ints and bools known at import
  // (`sizes = [16777217, 5]`, then `tf.constant(sizes)`): their values.
  if (v->isKnownList() && !v->list->elements.empty()) {
    json::Array items;
    for (const PyValue &item : listItems(*v->list)) {
      std::optional<int64_t> k = item.isIndex() ? knownIndexValue(item.value)
                                 : item.isBool()
                                     ? getConstantIntValue(item.value)
                                     : std::nullopt;
      if (!k)
        break;
      items.push_back(item.isBool() ? json::Value(*k != 0)
                                    : json::Value(json::Object{
                                          {"int", std::to_string(*k)}}));
    }
    if (items.size() == v->list->elements.size())
      return std::optional<json::Value>(
          json::Object{{"list", std::move(items)}});
  }
  if (array && v->isTensor() && isNdarray(v->value)) {
    *array = v->value;
    return std::optional<json::Value>();
  }
  // An array inside a literal (`np.array([MEAN, MEAN])`): its values.
  if (v->isTensor() && isNdarray(v->value)) {
    if (std::optional<json::Value> values = arrayLiteral(v->value))
      return values;
    return FailureOr<std::optional<json::Value>>(error(
        n, "'" + source(n) +
               "' is an array computed from others: an array of such arrays "
               "is not converted (join them with tf.stack or tf.concat)"));
  }
  if (runTime) {
    *runTime = true;
    return std::optional<json::Value>();
  }
  return FailureOr<std::optional<json::Value>>(error(
      n, fn +
             " takes values known at import (literals, sizes such as "
             "x.shape[1], integers and module constants), and '" +
             source(n) + "' is known only at run time" +
             (fn == "tf.constant"
                  ? " (TensorFlow's tf.constant refuses it too): use the "
                    "value itself, or tf.stack([...]) of such values"
                  : " (in a tf.function numpy cannot read a tensor: "
                    "TensorFlow raises NotImplementedError): compute with "
                    "the tensor itself (tf.* functions, tf.range for "
                    "np.arange)")));
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
    FailureOr<int64_t> i = integerValue(node, *number);
    if (failed(i))
      return failure();
    return Attribute(builder.getI64IntegerAttr(*i));
  }
  if (number && number->getString("float")) {
    FailureOr<llvm::APFloat> f = floatValue(node, *number, /*single=*/false);
    if (failed(f))
      return failure();
    return Attribute(builder.getFloatAttr(builder.getF64Type(), *f));
  }
  return error(node, "keyword values of a foreign call must be numbers, "
                     "strings or booleans");
}

FailureOr<Value> ProgramBuilder::foreign(const json::Object &node,
                                         llvm::StringRef callee) {
  SmallVector<Value> args;
  for (const json::Value &a : *node.getArray("args")) {
    const json::Object *arg = a.getAsObject();
    if (!arg)
      return error(node, "the program JSON has an argument that is not a node");
    llvm::StringRef kind = arg->getString("node").value_or("");
    if (kind == "Starred") {
      const json::Object *inner = arg->getObject("value");
      return error(*arg, "*" + (inner ? source(*inner) : std::string("...")) +
                             " in a call of " + callee +
                             " is not supported: give the arguments one by "
                             "one");
    }
    // A (nested) list literal of numbers is an array, as numpy reads it
    // (np.maximum(x, [1.0, 2.0])).
    if (kind == "List" || kind == "Tuple") {
      if (std::optional<FailureOr<PyValue>> c = literalArray(*arg)) {
        if (failed(*c))
          return failure();
        args.push_back((*c)->value);
        continue;
      }
    }
    FailureOr<const json::Object *> number = numberOf(*arg);
    if (failed(number))
      return failure();
    if (*number) {
      FailureOr<Value> c = this->number(*arg, **number);
      if (failed(c))
        return failure();
      args.push_back(*c);
      continue;
    }
    FailureOr<PyValue> v = expr(a);
    if (failed(v))
      return failure();
    if (v->isList()) {
      FailureOr<Value> list = materialize(*v->list, node);
      if (failed(list))
        return failure();
      args.push_back(*list);
      continue;
    }
    FailureOr<Value> t = tensorOf(*v, *arg);
    if (failed(t))
      return failure();
    args.push_back(*t);
  }
  SmallVector<NamedAttribute> kwargs;
  for (const json::Value &kw : arrayOr(node.getArray("keywords"))) {
    const json::Object *k = kw.getAsObject();
    const json::Object *value = k ? k->getObject("value") : nullptr;
    if (!value)
      return error(node, "the program JSON has a keyword without a value");
    std::optional<llvm::StringRef> name = k->getString("arg");
    if (!name)
      return error(*value, "**" + source(*value) + " in a call of " + callee +
                               " is not supported: give the keywords one by "
                               "one");
    llvm::StringRef kind = value->getString("node").value_or("");
    FailureOr<const json::Object *> number = numberOf(*value);
    if (failed(number))
      return failure();
    const json::Value *literal =
        *number ? nullptr
                : kind == "Constant" ? value->get("value") : nullptr;
    json::Value folded = *number ? json::Value(json::Object(**number))
                                 : json::Value(nullptr);
    if (*number)
      literal = &folded;
    if (!literal && kind != "List" && kind != "Tuple" && kind != "Dict" &&
        kind != "Set")
      return error(*value, "keyword '" + *name + "' of " + callee +
                               " must be a literal");
    FailureOr<Attribute> attr =
        literal ? keywordValue(*value, *literal)
                : FailureOr<Attribute>(error(
                      *value, "keyword values of a foreign call must be "
                              "numbers, strings or booleans"));
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
  bool guessed = false;
  if (!type && !lookupForeignFunction(callee))
    for (Value arg : args)
      if (auto ranked = dyn_cast<RankedTensorType>(arg.getType())) {
        type = RankedTensorType::get(
            SmallVector<int64_t>(ranked.getRank(), ShapedType::kDynamic),
            ranked.getElementType());
        guessed = true;
        break;
      }
  // `y: "?x5xf32" = f(x)`: the program's word on the result, which only
  // the function knows; checked against what predict knows of it (a
  // function predict does not know has only the rank convention above,
  // which the annotation replaces: `s: "10xf32" = mylib.spectrum(x)`).
  if (annotated && annotated->value == &node) {
    if (!guessed && !compatible(type, annotated->type)) {
      call.erase();
      return error(*annotated->note,
                   "the annotation says " + typeText(annotated->type) +
                       ", but " + callee + " gives " +
                       typeText(type ? type : unknown) + " here");
    }
    type = annotated->type;
  }
  if (type)
    call.getResult(0).setType(type);
  return call.getResult(0);
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::literalArray(const json::Object &node) {
  llvm::StringRef kind = kindOf(node);
  if ((kind != "List" && kind != "Tuple") || !numbersOnly(node))
    return std::nullopt;
  json::Object call{{"node", "Call"},
                    {"args", json::Array{json::Object(node)}}};
  if (const json::Value *at = node.get("loc"))
    call["loc"] = *at;
  if (const json::Value *end = node.get("end"))
    call["end"] = *end;
  return constantCall(synthesize(std::move(call)));
}

void FunctionScope::enclose(FunctionScope &callee,
                            const json::Object &fn) const {
  callee.env = env;
  callee.known = known;
  callee.localFunctions = localFunctions;
  callee.model = model;
  SmallVector<std::string> locals;
  if (const json::Value *body = fn.get("body"))
    collectReboundNames(*body, locals);
  for (const std::string &name : locals) {
    callee.env.erase(name);
    callee.known.erase(name);
    callee.localFunctions.erase(name);
  }
}
