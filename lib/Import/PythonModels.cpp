//===- PythonModels.cpp - models and layers of Python source --------------===//
//
// A model instantiated at module level (`model = MyModel(...)`) becomes one
// `predict.model` when an entry calls it: its layers are the layer
// registry's entries (the Keras importer's), configured from the reader's
// `{"class_name", "args", "kwargs"}`, their weights sized by the input type
// the method's body gives them. A model is converted once, for the method
// and the input type of its first call (one use per model, as the old
// front end had it).
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

#include "Layers/Layers.h"
#include <functional>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/SaveAndRestore.h"

#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

char ReportedError::ID;

namespace {

/// Keywords every Keras layer takes (or Keras versions add) that do not
/// change what it computes at inference: accepted, and not part of the
/// config.
const llvm::StringSet<> &ignoredKeywords() {
  static const llvm::StringSet<> set = {"name",
                                        "trainable",
                                        "input_shape",
                                        "input_dim",
                                        "batch_input_shape",
                                        "batch_size",
                                        "momentum",
                                        "kernel_regularizer",
                                        "bias_regularizer",
                                        "activity_regularizer",
                                        "kernel_constraint",
                                        "bias_constraint",
                                        "beta_regularizer",
                                        "gamma_regularizer",
                                        "beta_constraint",
                                        "gamma_constraint",
                                        "synchronized",
                                        "fused",
                                        "lora_rank"};
  return set;
}

/// Parameters that Keras 3 added at the end of a class's positional list
/// (LoRA's rank, synchronized batch statistics): taken by keyword only, so
/// that positional arguments bind as in Keras 2 and 3 alike.
bool keywordOnly(llvm::StringRef name) {
  return name == "lora_rank" || name == "synchronized";
}

/// The positional parameters of `entry`, in Keras's order.
llvm::ArrayRef<keras::LayerParam> positional(const keras::LayerEntry &entry) {
  llvm::ArrayRef<keras::LayerParam> params = entry.params;
  for (auto [i, p] : llvm::enumerate(params))
    if (keywordOnly(p.name))
      return params.take_front(i);
  return params;
}

const keras::LayerParam *findParam(const keras::LayerEntry &entry,
                                   llvm::StringRef name) {
  for (const keras::LayerParam &p : entry.params)
    if (p.name == name)
      return &p;
  return nullptr;
}

/// The name of an activation given as a function (`tf.nn.relu`,
/// `tf.keras.activations.tanh`), as Keras's config names it.
std::optional<std::string> activationName(llvm::StringRef qualified) {
  for (llvm::StringRef prefix :
       {"tensorflow.keras.activations.", "keras.activations."})
    if (qualified.starts_with(prefix))
      return qualified.drop_front(prefix.size()).str();
  if (std::optional<ActivationKind> kind = activationOf(qualified))
    return stringifyActivationKind(*kind).str();
  return std::nullopt;
}

/// Keras's spellings of the initializers predict draws ("Ones",
/// "GlorotUniform") as their config names.
std::string initializerName(llvm::StringRef value) {
  std::string key = value.lower();
  llvm::erase(key, '_');
  if (key == "zeros" || key == "ones")
    return key;
  if (key == "glorotuniform")
    return "glorot_uniform";
  if (key == "uniform" || key == "randomuniform")
    return "uniform"; // Keras's alias of RandomUniform(-0.05, 0.05)
  return value.str();
}

/// A position `[line, col]` as a pair, for ordering keywords as written.
std::pair<int64_t, int64_t> position(const json::Value *at) {
  const json::Array *a = at ? at->getAsArray() : nullptr;
  if (!a || a->size() != 2)
    return {0, 0};
  return {(*a)[0].getAsInteger().value_or(0),
          (*a)[1].getAsInteger().value_or(0)};
}

/// Empty fields, for what the reader leaves out (no copy of what it has).
const json::Array &emptyArray() {
  static const json::Array empty;
  return empty;
}
const json::Object &emptyObject() {
  static const json::Object empty;
  return empty;
}

/// Whether the reader's value is Python's int (not a bool).
std::optional<int64_t> intValue(const json::Value &v) {
  const json::Object *o = v.getAsObject();
  int64_t i;
  if (o && o->getString("int") && !o->getString("int")->getAsInteger(10, i))
    return i;
  return std::nullopt;
}

std::optional<double> numberValue(const json::Value &v) {
  if (auto i = intValue(v))
    return double(*i);
  const json::Object *o = v.getAsObject();
  llvm::APFloat f(0.0);
  if (o && o->getString("float") && parseFloatText(*o->getString("float"), f))
    return f.convertToDouble();
  return std::nullopt;
}

} // namespace

std::string python::pythonRepr(const json::Value &value) {
  switch (value.kind()) {
  case json::Value::Null:
    return "None";
  case json::Value::Boolean:
    return *value.getAsBoolean() ? "True" : "False";
  case json::Value::String:
    return pythonRepr(*value.getAsString());
  case json::Value::Number: {
    std::string text;
    llvm::raw_string_ostream(text) << value;
    return text;
  }
  case json::Value::Array:
    break;
  case json::Value::Object: {
    const json::Object &o = *value.getAsObject();
    if (auto t = o.getString("int"))
      return t->str();
    if (auto t = o.getString("float"))
      return t->str();
    if (auto t = o.getString("function"))
      return t->str();
    if (const json::Object *dict = o.getObject("dict")) {
      // Sorted by key: json::Object keeps no order.
      SmallVector<llvm::StringRef> keys;
      for (const auto &entry : *dict)
        keys.push_back(entry.first);
      llvm::sort(keys);
      std::string text = "{";
      for (auto [i, key] : llvm::enumerate(keys))
        text += (i ? ", " : "") + pythonRepr(key) + ": " +
                pythonRepr(*dict->get(key));
      return text + "}";
    }
    bool tuple = o.getArray("tuple");
    const json::Array *items = tuple ? o.getArray("tuple") : o.getArray("list");
    if (!items)
      break;
    std::string text = tuple ? "(" : "[";
    for (auto [i, item] : llvm::enumerate(*items))
      text += (i ? ", " : "") + pythonRepr(item);
    if (tuple && items->size() == 1)
      text += ",";
    return text + (tuple ? ")" : "]");
  }
  }
  return "a value";
}

/// The reader's value (docs/PythonProgram.md, Values) as the plain JSON a
/// Keras config holds: numbers as numbers, lists and tuples as arrays, an
/// activation function as its Keras name. An error message otherwise.
static llvm::Expected<json::Value> configValue(const json::Value &value) {
  auto fail = [](const llvm::Twine &why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), why);
  };
  const json::Object *o = value.getAsObject();
  if (!o)
    return value; // null, booleans, strings
  if (auto i = intValue(value))
    return *i;
  if (o->getString("int"))
    return fail("the integer " + *o->getString("int") +
                " does not fit in 64 bits");
  if (auto f = numberValue(value))
    return *f;
  if (auto q = o->getString("function")) {
    if (auto name = activationName(*q))
      return *name;
    return fail("'" + *q + "' is not an activation predict knows");
  }
  if (const json::Object *layer = o->getObject("layer")) {
    // A layer object as an argument (an activation given as a LeakyReLU):
    // Keras's serialization of it, its positional arguments bound to the
    // registry's parameters in Keras's order.
    llvm::StringRef cls = layer->getString("class_name").value_or("");
    const keras::LayerEntry *entry = keras::lookupLayer(cls);
    if (!entry)
      return fail("a '" + cls + "' object is not one predict reads as an "
                  "argument");
    json::Object config;
    if (const json::Array *args = layer->getArray("args")) {
      if (args->size() > entry->params.size())
        return fail(cls + " takes at most " +
                    llvm::Twine(entry->params.size()) +
                    " positional arguments, got " + llvm::Twine(args->size()));
      for (auto [arg, param] : llvm::zip_first(*args, entry->params)) {
        auto v = configValue(arg);
        if (!v)
          return v.takeError();
        config[param.name] = std::move(*v);
      }
    }
    if (const json::Object *kwargs = layer->getObject("kwargs"))
      for (const auto &[key, item] : *kwargs) {
        auto v = configValue(item);
        if (!v)
          return v.takeError();
        config[key] = std::move(*v);
      }
    return json::Value(json::Object{{"class_name", cls.str()},
                                    {"config", std::move(config)}});
  }
  const json::Array *items =
      o->getArray("list") ? o->getArray("list") : o->getArray("tuple");
  if (items) {
    json::Array out;
    for (const json::Value &item : *items) {
      auto v = configValue(item);
      if (!v)
        return v.takeError();
      out.push_back(std::move(*v));
    }
    return json::Value(std::move(out));
  }
  if (const json::Object *dict = o->getObject("dict")) {
    json::Object out;
    for (const auto &[key, item] : *dict) {
      auto v = configValue(item);
      if (!v)
        return v.takeError();
      out[key] = std::move(*v);
    }
    return json::Value(std::move(out));
  }
  return fail("the value " + pythonRepr(value) + " is not one predict reads");
}

//===----------------------------------------------------------------------===//
// Layers: the reader's arguments bound to the registry's parameters
//===----------------------------------------------------------------------===//

FailureOr<LayerState *> ProgramBuilder::layer(ModelState &model,
                                              llvm::StringRef attr) {
  if (auto it = model.layers.find(attr); it != model.layers.end())
    return it->second.get();
  const json::Object *attribute = nullptr;
  for (const json::Value &a : *model.model->getArray("attributes"))
    if (const json::Object *o = a.getAsObject())
      if (o->getString("attr") == attr && o->getString("kind") == "layer")
        attribute = o;
  assert(attribute && "not a layer attribute of the model");
  const json::Object &at = *attribute;
  llvm::StringRef className = at.getString("class_name").value_or("");
  std::string qualified =
      (at.getString("module").value_or("") + "." + className).str();
  const keras::LayerEntry *entry = keras::lookupLayer(className);
  if (!entry || !entry->build) {
    // The classes predict compiles, listed with the first such error.
    std::string supported = " (as above)";
    if (!listedSupportedLayers) {
      listedSupportedLayers = true;
      supported = " (supported: ";
      for (const keras::LayerEntry *e : keras::allLayers())
        if (e->build)
          supported += "tf.keras.layers." + e->className.str() + ", ";
      supported += "tf.constant)";
    }
    return error(at, "unsupported layer or value '" + qualified +
                         (model.className == "Functional"
                              ? "' in the graph of '" + model.var + "'"
                              : std::string("' in __init__")) +
                         supported);
  }
  auto state = std::make_unique<LayerState>();
  state->attribute = &at;
  state->attr = attr.str();
  state->entry = entry;
  const json::Array *args = at.getArray("args");
  const json::Object *kwargs = at.getObject("kwargs");
  const json::Array *argLocs = at.getArray("arg_locs");
  const json::Object *kwargLocs = at.getObject("kwarg_locs");
  // An argument's own location when the reader gave it, else the call's.
  auto argAt = [&](const json::Value *where) -> Location {
    auto [line, col] = position(where);
    if (line < 1)
      return loc(at);
    return FileLineColLoc::get(context, file, line, col);
  };
  auto fail = [&](Location where, const llvm::Twine &message) {
    return emitError(where) << message;
  };
  llvm::ArrayRef<keras::LayerParam> order = positional(*entry);
  llvm::StringSet<> bound;
  auto put = [&](llvm::StringRef name, const json::Value &value,
                 Location where) -> LogicalResult {
    const keras::LayerParam *param = findParam(*entry, name);
    if (name == "dtype") {
      const json::Object *o = value.getAsObject();
      bool f32 = value.kind() == json::Value::Null ||
                 value.getAsString() == llvm::StringRef("float32") ||
                 (o && o->getString("function") ==
                           llvm::StringRef("tensorflow.float32"));
      if (!f32)
        return fail(where, className + " dtype " + pythonRepr(value) +
                               ": predict computes in float32 only");
      return success();
    }
    // Without effect at inference: accepted, not configured.
    if ((ignoredKeywords().contains(name) &&
         (!param || param->role != keras::ParamRole::Read)) ||
        (param && param->role == keras::ParamRole::Ignored))
      return success();
    auto v = configValue(value);
    if (!v)
      return fail(where, className + " argument '" + name +
                             "': " + llvm::toString(v.takeError()));
    if (param && param->role == keras::ParamRole::Initializer)
      if (auto s = v->getAsString())
        *v = initializerName(*s);
    state->config[name] = std::move(*v);
    return success();
  };
  if (args && args->size() > order.size())
    return fail(argAt(argLocs && argLocs->size() > order.size()
                          ? &(*argLocs)[order.size()]
                          : nullptr),
                className + " takes at most " + llvm::Twine(order.size()) +
                    " positional arguments");
  for (auto [i, arg] : llvm::enumerate(args ? *args : emptyArray())) {
    bound.insert(order[i].name);
    if (failed(put(
            order[i].name, arg,
            argAt(argLocs && i < argLocs->size() ? &(*argLocs)[i] : nullptr))))
      return failure();
  }
  // Keywords in the order the program writes them (the JSON object has
  // none), so that the first at fault is the one reported.
  SmallVector<std::pair<std::pair<int64_t, int64_t>, llvm::StringRef>> keys;
  for (const auto &kw : kwargs ? *kwargs : emptyObject())
    keys.push_back({position(kwargLocs ? kwargLocs->get(kw.first) : nullptr),
                    llvm::StringRef(kw.first)});
  llvm::sort(keys);
  for (const auto &[pos, name] : keys) {
    Location where = argAt(kwargLocs ? kwargLocs->get(name) : nullptr);
    if (bound.contains(name))
      return fail(where, className + " is given '" + name + "' twice");
    if (!findParam(*entry, name) && !ignoredKeywords().contains(name) &&
        name != "dtype") {
      std::string names;
      for (const keras::LayerParam &p : order)
        names += p.name.str() + ", ";
      return fail(where,
                  className + " has no argument '" + name +
                      "' that predict converts (its arguments: " + names +
                      "and name, trainable, dtype, "
                      "input_shape)");
    }
    bound.insert(name);
    if (failed(put(name, *kwargs->get(name), where)))
      return failure();
  }
  // Dense's and BatchNormalization's arguments checked in words that name
  // the Python value.
  const json::Object &c = state->config;
  auto isInt = [&](llvm::StringRef key) {
    const json::Value *v = c.get(key);
    return !v || (v->getAsInteger() && v->kind() == json::Value::Number);
  };
  auto isBool = [&](llvm::StringRef key) {
    const json::Value *v = c.get(key);
    return !v || v->kind() == json::Value::Boolean;
  };
  auto given = [&](llvm::StringRef key) -> const json::Value * {
    if (kwargs && kwargs->get(key))
      return kwargs->get(key);
    for (auto [i, p] : llvm::enumerate(order))
      if (p.name == key && args && i < args->size())
        return &(*args)[i];
    return nullptr;
  };
  if (className == "Dense") {
    const json::Value *units = given("units");
    if (!units)
      return error(at, "Dense needs 'units', the number of outputs");
    std::optional<int64_t> n = intValue(*units);
    if (!n || *n <= 0)
      return error(at, "Dense units must be a positive integer, not " +
                           pythonRepr(*units));
    if (!isBool("use_bias"))
      return error(at, "Dense use_bias must be True or False, not " +
                           pythonRepr(*given("use_bias")));
    // An activation by a name predict does not know, at its argument.
    if (const json::Value *act = c.get("activation"))
      if (auto name = act->getAsString();
          name && !keras::activationNamed(*name) && *name != "glu" &&
          *name != "sparsemax")
        return error(at, "unknown activation '" + *name + "' (known: " +
                             keras::knownActivationNames() + ")");
  }
  if (className == "BatchNormalization") {
    const json::Value *eps = c.get("epsilon");
    std::optional<double> e = eps ? eps->getAsNumber() : 0.001;
    if (!isInt("axis") || !e || !(*e > 0) || !isBool("center") ||
        !isBool("scale"))
      return error(at, "BatchNormalization needs an integer axis, a positive "
                       "epsilon, and True or False for center and scale");
  }
  state->fields = std::make_unique<keras::LayerConfig>(
      state->config,
      "layer '" + attr.str() + "' (" + className.str() + ") of model '" +
          model.var + "'",
      entry->params);
  LayerState *result = state.get();
  model.layers[attr] = std::move(state);
  return result;
}

FailureOr<Value> ProgramBuilder::oneArgument(const json::Object &node,
                                             bool predict, bool initialState) {
  if (failed(checkCallArguments(node, predict, 1, 1, initialState)))
    return failure();
  return tensor((*node.getArray("args"))[0]);
}

FailureOr<SmallVector<Value>>
ProgramBuilder::knownElements(const json::Object &node, llvm::StringRef who) {
  FailureOr<PyValue> list = expr(node);
  if (failed(list))
    return failure();
  if (!list->isList() || list->list->ssa)
    return error(node, who + " takes a list built with [a, b] or appends "
                             "outside loops, not one a loop builds");
  return SmallVector<Value>(list->list->elements);
}

/// The parameters of a model's `method` that take inputs: those after
/// `self` but `training` and `mask`, which Keras's `__call__` fills.
/// (How many of them have no default, how many there are.)
/// Whether `call` gives the parameter `mask` of `method` (its own, as the
/// Transformer tutorial's `call(self, v, k, q, mask)`) a value other than
/// None, by position or keyword: an input then, as Keras's __call__ passes
/// an explicit mask on to `call` (helper-140: it was refused as Keras's
/// mask argument).
static bool givesMask(const json::Object &call, const json::Object &method) {
  const json::Array &params = arrayOr(method.getArray("params"));
  auto notNone = [](const json::Value &v) {
    const json::Object *o = v.getAsObject();
    return o && !(o->getString("node") == "Constant" && o->get("value") &&
                  o->get("value")->kind() == json::Value::Null);
  };
  for (auto [i, p] : llvm::enumerate(params)) {
    const json::Object *o = p.getAsObject();
    if (i == 0 || !o || o->getString("name") != "mask")
      continue;
    const json::Array &args = arrayOr(call.getArray("args"));
    if (i - 1 < args.size())
      return notNone(args[i - 1]);
    for (const json::Value &k : arrayOr(call.getArray("keywords")))
      if (const json::Object *kw = k.getAsObject();
          kw && kw->getString("arg") == "mask" && kw->get("value"))
        return notNone(*kw->get("value"));
  }
  return false;
}

static std::pair<size_t, size_t> inputParameters(const json::Object &method,
                                                 bool maskInput) {
  const json::Array &params = arrayOr(method.getArray("params"));
  size_t defaults = arrayOr(method.getArray("defaults")).size();
  size_t required = 0, n = 0;
  for (auto [i, p] : llvm::enumerate(params)) {
    const json::Object *o = p.getAsObject();
    if (i == 0 || !o || o->getString("name") == "training" ||
        (o->getString("name") == "mask" && !maskInput))
      continue;
    ++n;
    required += i + defaults < params.size();
  }
  return {required, std::max<size_t>(n, 1)};
}

/// The shortest decimal text that reads back as `d` (finite), as Python's
/// repr finds it (`0.25`, `1e-05`; an integral float without its `.0`).
static std::string shortestFloatText(double d) {
  for (int digits = 1;; ++digits) {
    std::string text = llvm::formatv("{0}", llvm::format("%.*g", digits, d));
    if (digits >= 17 || std::strtod(text.c_str(), nullptr) == d)
      return text;
  }
}

std::string ModelInputs::staticsKey() const {
  // By parameter name: keywords in any order are one set; a float by its
  // value (`0.25` and `1 / 4` are one), never one with an int (`2.0` and
  // `2` compute differently: `tf.constant(s)`, `range(s)`).
  SmallVector<std::string> parts;
  for (const Static &s : statics) {
    const json::Object *number = s.value->getAsObject();
    std::optional<llvm::StringRef> text =
        number ? number->getString("float") : std::nullopt;
    double d;
    if (text && !text->contains('_') && llvm::to_float(*text, d) &&
        std::isfinite(d))
      parts.push_back(s.name + "=float(" + shortestFloatText(d) + ")");
    else
      parts.push_back(s.name + "=" + pythonRepr(*s.value));
  }
  llvm::sort(parts);
  return llvm::join(parts, ", ") + (byName ? "; called by name" : "");
}

/// Moves the keyword arguments of inputs (`model.predict(x=x)`) to `args`,
/// as Python binds them: the keyword named `names[i]` fills position i
/// while the positions before it are filled. Returns whether one moved;
/// the others stay keywords, for the checks of the call's arguments to
/// report. (A method's own parameters are bound by staticArguments.)
static bool keywordsToPositions(json::Array &args, json::Array &keywords,
                                llvm::ArrayRef<llvm::StringRef> names) {
  bool moved = false;
  for (size_t next = args.size(); next < names.size(); ++next) {
    auto kw = llvm::find_if(keywords, [&](const json::Value &k) {
      return k.getAsObject() &&
             k.getAsObject()->getString("arg") == names[next];
    });
    if (names[next].empty() || kw == keywords.end())
      break;
    args.push_back(*kw->getAsObject()->get("value"));
    keywords.erase(kw);
    moved = true;
  }
  return moved;
}

FailureOr<const json::Object *>
ProgramBuilder::flagsByKeyword(const json::Object &call,
                               llvm::ArrayRef<llvm::StringRef> params,
                               bool maskInput) {
  const json::Array &args = arrayOr(call.getArray("args"));
  size_t first = 1;
  while (first < args.size() && first < params.size() &&
         params[first] != "training" && (params[first] != "mask" || maskInput))
    ++first;
  if (first >= args.size() || first >= params.size())
    return &call;
  json::Array positional, keywords = arrayOr(call.getArray("keywords"));
  for (auto [i, arg] : llvm::enumerate(args)) {
    if (i < first || i >= params.size()) {
      positional.push_back(arg);
      continue;
    }
    for (const json::Value &k : keywords)
      if (const json::Object *kw = k.getAsObject();
          kw && kw->getString("arg") == params[i])
        return error(kw->getObject("value") ? *kw->getObject("value") : call,
                     "'" + source(*call.getObject("func")) + "' is given '" +
                         params[i] +
                         "' twice, by position and by keyword (Python "
                         "raises TypeError)");
    keywords.push_back(json::Object{{"arg", params[i]}, {"value", arg}});
  }
  json::Object moved = call;
  moved["args"] = std::move(positional);
  moved["keywords"] = std::move(keywords);
  return &synthesize(std::move(moved));
}

/// Whether the reader's `method` has a parameter `name` among its
/// positional ones (`self` included) or, with `keywordOnly`, among those
/// after `*` too.
static bool hasParameter(const json::Object &method, llvm::StringRef name,
                         bool keywordOnly) {
  auto named = [&](const json::Value &p) {
    return p.getAsObject() && p.getAsObject()->getString("name") == name;
  };
  return llvm::any_of(arrayOr(method.getArray("params")), named) ||
         (keywordOnly &&
          llvm::any_of(arrayOr(method.getArray("kwonly")), named));
}

/// A Python value a method's parameter may be given at import: None, a
/// bool, an int, a float or a string.
static bool staticValue(const json::Value &value) {
  const json::Object *object = value.getAsObject();
  return value.kind() == json::Value::Null || value.getAsBoolean() ||
         value.getAsString() ||
         (object && (object->getString("int") || object->getString("float")));
}

FailureOr<const json::Object *>
ProgramBuilder::staticArguments(const json::Object &node,
                                const json::Object &method, ModelInputs &in,
                                bool maskInput) {
  const json::Array &params = arrayOr(method.getArray("params"));
  auto known = [&](const json::Value &arg) -> const json::Value * {
    const json::Object *o = arg.getAsObject();
    if (!o)
      return nullptr;
    const json::Value *v = knownValue(*o);
    if (!v && o->getString("node") == "Constant")
      v = o->get("value");
    // `-1.0`, `+2`: a literal number with its sign, kept in a node of its
    // own.
    llvm::StringRef op = o->getString("op").value_or("");
    const json::Object *operand = o->getObject("operand");
    const json::Object *number = operand && kindOf(*operand) == "Constant"
                                     ? operand->getObject("value")
                                     : nullptr;
    if (!v && kindOf(*o) == "UnaryOp" && (op == "USub" || op == "UAdd") &&
        number) {
      for (llvm::StringRef key : {"int", "float"})
        if (std::optional<llvm::StringRef> text = number->getString(key)) {
          std::string literal = text->str();
          if (op == "USub")
            literal =
                literal.front() == '-' ? literal.substr(1) : "-" + literal;
          json::Object constant = *o;
          constant["node"] = "Constant";
          constant["value"] = json::Object{{key, literal}};
          v = synthesize(std::move(constant)).get("value");
        }
    }
    // `scale=1 / 4`, `SCALE * 2`, `s` (a Python float the function
    // computed): what converted code makes of it, if that is a number or
    // a bool known at import (a tensor is not).
    llvm::StringRef kind = kindOf(*o);
    if (!v && (kind == "BinOp" || kind == "UnaryOp" || kind == "Name" ||
               kind == "Compare" || kind == "BoolOp")) {
      OpBuilder::InsertionGuard guard(builder);
      FailureOr<PyValue> value = expr(*o);
      if (failed(value))
        return nullptr;
      std::optional<json::Value> number;
      if (std::optional<double> d = pythonFloat(*value)) {
        if (std::isfinite(*d))
          number = json::Object{{"float", shortestFloatText(*d)}};
      } else if (value->isIndex()) {
        if (std::optional<int64_t> i = knownIndexValue(value->value))
          number = json::Object{{"int", std::to_string(*i)}};
      } else if (value->isBool()) {
        if (std::optional<int64_t> b =
                getConstantIntValue(getAsOpFoldResult(value->value)))
          number = *b != 0;
      }
      if (number) {
        json::Object constant = *o;
        constant["node"] = "Constant";
        constant["value"] = std::move(*number);
        v = synthesize(std::move(constant)).get("value");
      }
    }
    return v && staticValue(*v) ? v : nullptr;
  };
  // A parameter by name (not `self`), keyword-only ones too (which take
  // Python values only: a tensor for one stays a keyword, an error where
  // checked).
  auto isParam = [&](llvm::StringRef name) {
    return name != "training" && name != "mask" && name != "self" &&
           hasParameter(method, name, /*keywordOnly=*/true);
  };
  // Positional arguments after the first input that are Python values
  // known at import (`enc.encode(x, 3.0)`, `enc.encode(x, 0.5, t)`), then
  // keywords naming parameters (`scale=3.0`): bound as Python binds them,
  // each to its parameter; the others are inputs.
  const json::Array &given = arrayOr(node.getArray("args"));
  json::Array args;
  bool changed = false;
  // The positional arguments past the parameters go to the method's
  // *args (`def predict(self, x, *args, **kwargs)`): a tuple of Python
  // values known at import, as Python binds them.
  std::optional<llvm::StringRef> vararg = method.getString("vararg");
  json::Array extra;
  for (auto [i, arg] : llvm::enumerate(given)) {
    if (vararg && i > 0 && i + 1 >= params.size()) {
      const json::Value *v = known(arg);
      if (!v)
        return error(*arg.getAsObject(),
                     "'" + source(*arg.getAsObject()) + "' is given to *" +
                         *vararg + " of '" + source(*node.getObject("func")) +
                         "', which converted code holds as a tuple of Python "
                         "values known at import (numbers, strings, bools, "
                         "None): name the parameter");
      extra.push_back(*v);
      changed = true;
      continue;
    }
    const json::Object *p =
        i + 1 < params.size() ? params[i + 1].getAsObject() : nullptr;
    llvm::StringRef name = p ? p->getString("name").value_or("") : "";
    const json::Value *v = i > 0 && p ? known(arg) : nullptr;
    if (v && isParam(name)) {
      in.statics.push_back({name.str(), v, arg.getAsObject()});
      changed = true;
      continue;
    }
    args.push_back(arg);
    in.params.push_back(i + 1);
  }
  json::Array keywords;
  for (const json::Value &k : arrayOr(node.getArray("keywords"))) {
    const json::Object *kw = k.getAsObject();
    std::optional<llvm::StringRef> name =
        kw ? kw->getString("arg") : std::nullopt;
    const json::Object *value = kw ? kw->getObject("value") : nullptr;
    // A keyword for a parameter the positional arguments gave.
    for (size_t i = 1; name && value && i <= given.size() && i < params.size();
         ++i)
      if (params[i].getAsObject() &&
          params[i].getAsObject()->getString("name") == *name)
        return error(*value, "'" + source(*node.getObject("func")) +
                                 "' is given '" + *name +
                                 "' twice, by position and by keyword "
                                 "(Python raises TypeError)");
    const json::Value *v = value ? known(*kw->get("value")) : nullptr;
    if (name && v && isParam(*name))
      in.statics.push_back({name->str(), v, value});
    else
      keywords.push_back(k);
  }
  // A value made here for a static (*args' tuple, **kwargs' dict), kept
  // where the conversion's statics point.
  auto held = [&](json::Value value) {
    return synthesize(
               json::Object{{"node", "Constant"}, {"value", std::move(value)}})
        .get("value");
  };
  if (vararg)
    in.statics.push_back({vararg->str(),
                          held(json::Object{{"tuple", std::move(extra)}}),
                          &node});
  // The keywords of no parameter go to the method's **kwargs (`def
  // predict(self, x, **kwargs)`, passed on as `super().predict(x,
  // **kwargs)`): a dict of Python values known at import, as Python binds
  // them; the method is converted once per such dict.
  if (std::optional<llvm::StringRef> kwarg = method.getString("kwarg")) {
    json::Object dict;
    json::Array left;
    for (const json::Value &k : keywords) {
      const json::Object *kw = k.getAsObject();
      std::optional<llvm::StringRef> name =
          kw ? kw->getString("arg") : std::nullopt;
      const json::Object *value = kw ? kw->getObject("value") : nullptr;
      if (!name || !value || *name == "training" || *name == "mask" ||
          hasParameter(method, *name, /*keywordOnly=*/true)) {
        left.push_back(k);
        continue;
      }
      const json::Value *v = known(*kw->get("value"));
      if (!v)
        return error(*value,
                     "'" + *name + "' is given to **" + *kwarg + " of '" +
                         source(*node.getObject("func")) +
                         "', which converted code holds as a dict of Python "
                         "values known at import (numbers, strings, bools, "
                         "None), not '" +
                         source(*value) +
                         "': name the parameter (def ...(..., " + *name +
                         "=None, **" + *kwarg + "))");
      dict[name->str()] = *v; // (owned: `keywords` is replaced below)
    }
    keywords = std::move(left);
    in.statics.push_back(
        {kwarg->str(), held(json::Object{{"dict", std::move(dict)}}), &node});
    changed = true;
  }
  // A keyword naming another parameter (not training or mask, not given a
  // Python value) is an input too, for that parameter: `enc.encode(x,
  // c=t)` past `scale`, which keeps its default. The inputs are in the
  // parameters' order.
  bool moved = false;
  for (size_t i = 1 + given.size(); i < params.size(); ++i) {
    const json::Object *o = params[i].getAsObject();
    llvm::StringRef name = o ? o->getString("name").value_or("") : "";
    if (name == "training" || (name == "mask" && !maskInput))
      continue;
    auto kw = llvm::find_if(keywords, [&](const json::Value &k) {
      return k.getAsObject() && k.getAsObject()->getString("arg") == name;
    });
    if (kw == keywords.end())
      continue;
    args.push_back(*kw->getAsObject()->get("value"));
    keywords.erase(kw);
    in.params.push_back(i);
    moved = true;
  }
  if (!changed && in.statics.empty() && !moved)
    return &node;
  json::Object rest = node;
  rest["args"] = std::move(args);
  rest["keywords"] = std::move(keywords);
  return &synthesize(std::move(rest));
}

FailureOr<ModelInputs> ProgramBuilder::modelInputs(const json::Object &call,
                                                   const json::Object &model,
                                                   const json::Object &method,
                                                   bool predict) {
  // A method's parameters given Python values (not predict's, which are
  // Keras's): bound when the method is converted, the rest are inputs.
  ModelInputs statics;
  SmallVector<llvm::StringRef> names;
  for (const json::Value &p :
       llvm::drop_begin(arrayOr(method.getArray("params"))))
    names.push_back(
        p.getAsObject() ? p.getAsObject()->getString("name").value_or("") : "");
  // More positional arguments than the method has parameters: Python's
  // TypeError, at the first one too many (Keras's __call__ passes them all
  // on to `call`).
  const json::Array &byPosition = arrayOr(call.getArray("args"));
  if (!predict && byPosition.size() > names.size() &&
      !method.getBoolean("varargs").value_or(false))
    return error(*byPosition[names.size()].getAsObject(),
                 "'" + source(*call.getObject("func")) + "' takes " +
                     (names.empty()
                          ? "no positional argument"
                          : "at most " + std::to_string(names.size()) +
                                " positional argument" +
                                (names.size() == 1 ? "" : "s") + " (" +
                                llvm::join(names, ", ") + ")") +
                     ", given " + std::to_string(byPosition.size()) +
                     " (Python raises TypeError)");
  // (An explicit mask for the method's own `mask` is an input, by
  // position too; not for Keras's own call of a Functional or Sequential
  // model, whose mask predict does not apply: helper-144, it was dropped.)
  llvm::StringRef cls = model.getString("class").value_or("");
  bool maskInput = !predict && cls != "Functional" && cls != "Sequential" &&
                   givesMask(call, method);
  FailureOr<const json::Object *> flagged =
      predict ? &call : flagsByKeyword(call, names, maskInput);
  if (failed(flagged))
    return failure();
  FailureOr<const json::Object *> rest =
      predict ? &call : staticArguments(**flagged, method, statics, maskInput);
  if (failed(rest))
    return failure();
  if (predict) {
    // model.predict(x=x): Keras's predict(x, batch_size, verbose, steps).
    json::Array args = arrayOr(call.getArray("args"));
    json::Array keywords = arrayOr(call.getArray("keywords"));
    if (keywordsToPositions(args, keywords, {"x"})) {
      json::Object moved = call;
      moved["args"] = std::move(args);
      moved["keywords"] = std::move(keywords);
      rest = &synthesize(std::move(moved));
    }
  }
  const json::Object &node = **rest;
  auto [required, positional] = predict ? std::pair<size_t, size_t>{1, 1}
                                        : inputParameters(method, maskInput);
  // A static parameter without a default is given, as an input would be.
  size_t defaults = arrayOr(method.getArray("defaults")).size();
  const json::Array &params = arrayOr(method.getArray("params"));
  for (const ModelInputs::Static &given : statics.statics)
    for (auto [i, p] : llvm::enumerate(params))
      if (p.getAsObject() && p.getAsObject()->getString("name") == given.name &&
          i + defaults < params.size() && required)
        --required;
  // Python's TypeErrors of a method's keywords: a name it has no parameter
  // for, an input left without a value.
  if (!predict) {
    std::string name = source(*node.getObject("func"));
    for (const json::Value &k : arrayOr(node.getArray("keywords"))) {
      const json::Object *kw = k.getAsObject();
      std::optional<llvm::StringRef> arg =
          kw ? kw->getString("arg") : std::nullopt;
      if (arg && *arg != "training" && *arg != "mask" &&
          !hasParameter(method, *arg, /*keywordOnly=*/true))
        return error(*kw, "'" + name + "' has no parameter '" + *arg +
                              "' (Python raises TypeError)");
    }
    // A parameter without a default that no position, keyword or Python
    // value gives.
    size_t givenCount = arrayOr(node.getArray("args")).size();
    for (size_t i = 1; i + defaults < params.size(); ++i) {
      const json::Object *p = params[i].getAsObject();
      llvm::StringRef pname = p ? p->getString("name").value_or("") : "";
      bool given = llvm::is_contained(statics.params, i) ||
                   llvm::any_of(statics.statics,
                                [&](auto &s) { return s.name == pname; });
      if (!given && pname != "training" && pname != "mask" && givenCount >= 1)
        return error(node, "'" + name + "' is missing its input '" + pname +
                               "' (Python raises TypeError)");
    }
  }
  if (failed(checkCallArguments(node, predict, positional, required)))
    return failure();
  const json::Array &args = *node.getArray("args");
  if (!predict && args.size() > 1) {
    // `model(x, y)` to `call(self, a, b)`: Keras's __call__ passes them on.
    ModelInputs in = statics;
    in.positional = true;
    for (const json::Value &a : args) {
      FailureOr<Value> x = tensor(a);
      if (failed(x))
        return failure();
      in.values.push_back(*x);
    }
    return in;
  }
  // Keras passes several inputs as one list or tuple (`model([a, b])`):
  // written in place, or a list built outside loops.
  const json::Value &arg = (*node.getArray("args"))[0];
  const json::Object *given = arg.getAsObject();
  llvm::StringRef kind = given ? kindOf(*given) : "";
  bool listed = kind == "List" || kind == "Tuple";
  if (kind == "Name" && scope)
    if (auto it = scope->env.find(given->getString("id").value_or(""));
        it != scope->env.end() && it->second.isList())
      listed = true;
  ModelInputs in = statics;
  // One input given by keyword to a later parameter (`m(b=y)`, `a` left
  // to its default): bound to it by position.
  in.positional = in.params.size() == 1 && in.params.front() != 1;
  if (!listed) {
    if (std::optional<int64_t> inputs = model.getInteger("inputs");
        inputs && *inputs > 1)
      return error(arg.getAsObject() ? *arg.getAsObject() : node,
                   "'" + source(*node.getObject("func")) + "' takes " +
                       std::to_string(*inputs) +
                       " inputs (tf.keras.Model's inputs) as one list: pass "
                       "them as [a, b]");
    FailureOr<Value> x = tensor(arg);
    if (failed(x))
      return failure();
    in.values.push_back(*x);
    return in;
  }
  in.list = true;
  // `m([[a, b], c])`: Keras hands call the nested structure; a list in the
  // list would be read as one tensor (its items stacked: helper-126).
  if (kind == "List" || kind == "Tuple")
    for (const json::Value &e : arrayOr(given->getArray("elts")))
      if (const json::Object *inner = e.getAsObject();
          inner && (kindOf(*inner) == "List" || kindOf(*inner) == "Tuple"))
        return error(*inner, "'" + source(*node.getObject("func")) +
                                 "' is given a nested list of inputs, which "
                                 "predict does not convert: pass the "
                                 "tensors as one flat list ([a, b, c]) and "
                                 "unpack them so in call");
  if (kind == "Tuple") {
    for (const json::Value &e : arrayOr(given->getArray("elts"))) {
      FailureOr<Value> x = tensor(e);
      if (failed(x))
        return failure();
      in.values.push_back(*x);
    }
  } else {
    FailureOr<SmallVector<Value>> elements = knownElements(*given, "a model");
    if (failed(elements))
      return failure();
    in.values = std::move(*elements);
  }
  if (in.values.empty())
    return error(*given, "'" + source(*node.getObject("func")) +
                             "' is given no input (an empty list)");
  // A Functional model built in source says how many inputs it takes.
  if (std::optional<int64_t> inputs = model.getInteger("inputs")) {
    if (in.values.size() != (size_t)*inputs)
      return error(*given, "'" + source(*node.getObject("func")) + "' takes " +
                               std::to_string(*inputs) + " input" +
                               (*inputs == 1 ? "" : "s") +
                               " (tf.keras.Model's inputs), given " +
                               std::to_string(in.values.size()));
    in.list = *inputs > 1;
  }
  return in;
}

LogicalResult ProgramBuilder::checkCallArguments(const json::Object &node,
                                                 bool predict, size_t inputs,
                                                 size_t required,
                                                 bool initialState) {
  std::string name = source(*node.getObject("func"));
  const json::Array *args = node.getArray("args");
  const json::Array *keywords = node.getArray("keywords");
  // Keras's `predict(x, batch_size=None, verbose="auto", steps=None,
  // callbacks=None, ...)` and `__call__(inputs, training=None,
  // mask=None)`: what does not change the values at inference is read and
  // checked, the rest is an error naming it.
  static constexpr llvm::StringLiteral kPredictParams[] = {
      "x", "batch_size", "verbose", "steps", "callbacks"};
  size_t count = args ? args->size() : 0;
  size_t most = predict ? std::size(kPredictParams) : inputs;
  size_t least = predict ? 1 : std::max<size_t>(required, 1);
  auto countError = [&] {
    return error(
        node, "'" + name + "' takes " +
                  (predict ? "1 to 5 positional argument(s) (x, "
                             "batch_size, verbose, steps, callbacks)"
                   : least == most
                       ? std::to_string(most) + " positional argument" +
                             (most == 1 ? "" : "s")
                       : std::to_string(least) + " to " + std::to_string(most) +
                             " positional arguments") +
                  " here, not " + std::to_string(count));
  };
  // Too few is said after the keywords, one of which may be the input
  // misnamed (`m.predict(y=x)`).
  if (count > most)
    return countError();
  SmallVector<std::pair<llvm::StringRef, const json::Object *>> given;
  for (size_t i = 1; predict && i < count; ++i)
    given.push_back({kPredictParams[i], (*args)[i].getAsObject()});
  for (const json::Value &k : keywords ? *keywords : emptyArray()) {
    const json::Object *kw = k.getAsObject();
    std::optional<llvm::StringRef> arg =
        kw ? kw->getString("arg") : std::nullopt;
    const json::Object *value = kw ? kw->getObject("value") : nullptr;
    if (!arg || !value)
      return error(value ? *value : node,
                   "'" + name + "': give the keyword arguments one by one, "
                                "not as **kwargs");
    // `m.predict(x, 3, batch_size=2)`: Python's TypeError before Keras
    // runs (helper-128: the keyword won).
    if (llvm::any_of(given, [&](const auto &g) { return g.first == *arg; }))
      return error(*value, "'" + name + "' is given '" + *arg +
                               "' twice, by position and by keyword "
                               "(Python raises TypeError)");
    given.push_back({*arg, value});
  }
  for (auto [key, value] : given) {
    if (!value)
      return error(node, "the program JSON has an argument that is not a "
                         "node");
    const json::Value *constant =
        value->getString("node") == "Constant" ? value->get("value") : nullptr;
    if (const json::Value *known = knownValue(*value))
      constant = known;
    bool isNone = constant && constant->kind() == json::Value::Null;
    // Keras's predict has no `training` (it runs inference).
    if (predict && !llvm::is_contained({"x", "batch_size", "verbose", "steps",
                                        "callbacks", "max_queue_size",
                                        "workers", "use_multiprocessing"},
                                       key))
      return error(*value, "'" + name + "' has no parameter '" + key +
                               "' (Python raises TypeError): it takes "
                               "predict(x, batch_size=None, verbose='auto', "
                               "steps=None, callbacks=None, ...)");
    if (key == "training") {
      // (A false value that is not False, a `training=0` default passed
      // on, is inference too: Dropout and BatchNormalization test it by
      // its truth.)
      std::optional<json::Value> training = trainingArgument(*value);
      if (training && (training->kind() == json::Value::Null ||
                       knownTruth(*training) == std::optional<bool>(false)))
        continue;
      return error(*value, "'" + name + "' is given training=" +
                               source(*value) +
                               ": predict compiles inference, where training "
                               "is False (Dropout is the identity, "
                               "BatchNormalization uses its moving "
                               "statistics); pass training=False or drop it");
    }
    if ((key == "mask" && isNone) || (key == "initial_state" && initialState))
      continue;
    if (predict && key == "batch_size")
      continue; // read by predictInBatches
    if (predict && key == "steps" && isNone)
      continue;
    // Progress output and input pipelines, none here: any value (a
    // wrapper's `verbose=verbose`, helper-128).
    if (predict && (key == "verbose" || key == "max_queue_size" ||
                    key == "workers" || key == "use_multiprocessing"))
      continue;
    if (predict && key == "callbacks" && isNone)
      continue;
    return error(*value,
                 "'" + name + "' is given '" + key + "=" + source(*value) +
                     "', which predict does not convert; " +
                     (predict ? "model.predict takes batch_size= (an integer "
                                "or None), verbose=, steps=None and "
                                "callbacks=None, which do not change its "
                                "values"
                              : "a layer or model call takes training=False "
                                "(or None) at inference, and a mask other "
                                "than None only for a `mask` parameter of "
                                "its call"));
  }
  if (count < least)
    return countError();
  return success();
}

static const json::Object *findAttribute(const json::Object &model,
                                         llvm::StringRef attr,
                                         llvm::StringRef kind);

FailureOr<SmallVector<PyValue>>
ProgramBuilder::applyLayer(const json::Object &node, ModelState &model,
                           llvm::StringRef attr, std::optional<Value> given) {
  // Keras's merge layers take a list of tensors, `self.add([x, y])`: a list
  // literal, or a list built outside loops, is the call's inputs.
  SmallVector<Value> inputs;
  const json::Array *args = node.getArray("args");
  const json::Array *keywords = given ? nullptr : node.getArray("keywords");
  const json::Object *arg =
      !given && args && args->size() == 1 && (!keywords || keywords->empty())
          ? (*args)[0].getAsObject()
          : nullptr;
  bool listArgument = arg && arg->getString("node") == "List";
  if (arg && arg->getString("node") == "Name") {
    auto it = scope->env.find(arg->getString("id").value_or(""));
    listArgument = it != scope->env.end() && it->second.isList();
  }
  if (given) {
    inputs.push_back(*given);
  } else if (listArgument) {
    FailureOr<SmallVector<Value>> elements = knownElements(*arg, "a layer");
    if (failed(elements))
      return failure();
    inputs.append(elements->begin(), elements->end());
    if (inputs.empty())
      return error(*arg, "self." + attr + " is given an empty list");
  } else {
    // Keras's RNN.call(sequences, initial_state=None, ...): a recurrent
    // layer takes its initial state second, by position too.
    const json::Object *attribute = findAttribute(*model.model, attr, "layer");
    llvm::StringRef cls = attribute->getString("class_name").value_or("");
    bool recurrent = keras::honoursMask(cls);
    // The layers whose Keras 3 `call(inputs, training=None, ...)` takes
    // `training` second (`self.drop(h, training)`), and `mask` third after
    // it for BatchNormalization and TimeDistributed.
    static constexpr llvm::StringLiteral kTrainingSecond[] = {
        "Dense",
        "EinsumDense",
        "Dropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "GaussianNoise",
        "GaussianDropout",
        "AlphaDropout"};
    FailureOr<const json::Object *> flagged = &node;
    if (cls == "BatchNormalization" || cls == "TimeDistributed")
      flagged = flagsByKeyword(node, {"inputs", "training", "mask"});
    else if (llvm::is_contained(kTrainingSecond, cls))
      flagged = flagsByKeyword(node, {"inputs", "training"});
    if (failed(flagged) ||
        failed(checkCallArguments(**flagged, false, recurrent ? 2 : 1, 1,
                                  /*initialState=*/true)))
      return failure();
    FailureOr<Value> x = tensor((*args)[0]);
    if (failed(x))
      return failure();
    inputs.push_back(*x);
  }
  FailureOr<LayerState *> found = layer(model, attr);
  if (failed(found))
    return failure();
  LayerState &l = **found;
  if (l.entry->weights && inputs.size() != 1)
    return error(node, "self." + attr + " takes one tensor, not a list");
  // A layer given to another as `self.attr` (Bidirectional's
  // backward_layer, an activation) is that layer's copy here: its weights
  // are the other's, which Keras shares with this call.
  if (l.entry->weights)
    for (const json::Value &a : *model.model->getArray("attributes")) {
      const json::Object *o = a.getAsObject();
      if (o && llvm::is_contained(arrayOr(o->getArray("shares")), attr))
        return error(node, "self." + attr + " is also given to self." +
                               o->getString("attr").value_or("") +
                               ", which Keras makes share its weights; "
                               "predict converts a layer given to another "
                               "only where it is given: construct a second "
                               "layer for one of the two");
    }
  // Integer or bool values: a layer with weights computes in float32 (as
  // Keras's arithmetic promotes them against its float kernel); an
  // Embedding reads ids, and the wrappers and identity layers pass them
  // on; another layer keeps Keras's integer dtype, which predict's layer
  // ops do not: refused.
  llvm::StringRef cls = l.entry->className;
  // `initial_state=[h, c]` of a recurrent layer (Keras's RNN.call): the
  // states after the input, as the Keras importer gives them.
  SmallVector<const json::Object *, 1> stateNodes;
  if (!given && args && args->size() == 2 && keras::honoursMask(cls))
    stateNodes.push_back((*args)[1].getAsObject());
  for (const json::Value &k : arrayOr(keywords))
    if (const json::Object *kw = k.getAsObject();
        kw && kw->getString("arg") == "initial_state")
      stateNodes.push_back(kw->getObject("value"));
  for (const json::Object *stateNode : stateNodes) {
    const json::Object &value = *stateNode;
    // initial_state=None: the zero state, as without it.
    if (kindOf(value) == "Constant" && value.get("value") &&
        value.get("value")->kind() == json::Value::Null)
      continue;
    if (!keras::honoursMask(cls))
      return error(value, "self." + attr + " (" + cls +
                              ") takes no initial_state; the recurrent "
                              "layers (LSTM, GRU, SimpleRNN, Bidirectional) "
                              "do");
    FailureOr<PyValue> states = expr(value);
    if (failed(states))
      return failure();
    if (states->isTensor()) {
      inputs.push_back(states->value);
    } else if (states->isList() && !states->list->ssa) {
      llvm::append_range(inputs, states->list->elements);
    } else {
      return error(value, "initial_state takes a tensor or a list of "
                          "tensors built with [h, c]");
    }
  }
  // Keras's masks on the inputs (kerasMasks): a layer that applies one
  // predict does not carry is an error, a recurrent layer takes it.
  keras::MaskLayer self{attr.str(), cls.str()};
  SmallVector<keras::MaskState> inputMasks;
  for (Value v : inputs)
    inputMasks.push_back(kerasMasks.lookup(v));
  const keras::MaskState *masked = llvm::find_if(
      inputMasks, [](const keras::MaskState &m) { return m.any(); });
  if (masked != inputMasks.end() && keras::consumesMask(cls, l.config))
    return error(node, "self." + attr + " " +
                           keras::consumedMaskMessage(*masked, self) + ": " +
                           keras::maskRemedy(*masked, "construct"));
  if (keras::honoursMask(cls) && inputMasks.front().unknownAt)
    return error(node, "self." + attr + " " +
                           keras::unknownMaskMessage(inputMasks.front()));
  static constexpr llvm::StringLiteral kAnyType[] = {"Embedding",
                                                     "TimeDistributed",
                                                     "Bidirectional",
                                                     "Identity",
                                                     "InputLayer",
                                                     "Dropout",
                                                     "SpatialDropout1D",
                                                     "SpatialDropout2D",
                                                     "SpatialDropout3D",
                                                     "GaussianDropout",
                                                     "GaussianNoise",
                                                     "AlphaDropout",
                                                     "ActivityRegularization"};
  if (!llvm::is_contained(kAnyType, cls))
    for (Value &v : inputs) {
      auto type = cast<TensorType>(v.getType());
      if (isa<FloatType>(type.getElementType()))
        continue;
      if (!l.entry->weights)
        return error(node, "self." + attr + " (" + cls + ") is given " +
                               typeText(type) +
                               ": predict converts it on float32 values "
                               "(Keras keeps the integer dtype); cast "
                               "first, tf.cast(x, tf.float32)");
      v = CastOp::create(builder, loc(node), type.clone(builder.getF32Type()),
                         v);
    }
  // The axes a layer's weights span must be the input's.
  if (l.entry->weights) {
    auto ranked = dyn_cast<RankedTensorType>(inputs.front().getType());
    if (!ranked)
      return error(node, "the input of self." + attr +
                             " needs a known rank (its weights span one of "
                             "its axes)");
    SmallVector<int64_t> axes = {-1};
    const json::Value *axis = l.config.get("axis");
    if (findParam(*l.entry, "axis") &&
        !(axis && axis->kind() == json::Value::Null)) {
      keras::LayerConfig probe(l.config, "", l.entry->params);
      axes = probe.integers("axis");
      llvm::consumeError(probe.takeError());
    }
    int64_t rank = ranked.getRank();
    for (int64_t a : axes)
      if (a < -rank || a >= rank)
        return error(node, "the input of self." + attr + " has rank " +
                               std::to_string(rank) + ": no axis " +
                               std::to_string(a) + " for its weights to span");
  }
  std::unique_ptr<keras::WeightProvider> weights = layerWeights(model, l, node);
  auto declare =
      [&](llvm::function_ref<llvm::Expected<Operation *>(OpBuilder &)> make)
      -> llvm::Expected<Operation *> {
    if (l.decl)
      return l.decl;
    // Declarations come before the method in the model.
    OpBuilder decls(context);
    decls.setInsertionPoint(model.methods.front()->op);
    auto decl = make(decls);
    if (!decl)
      return decl.takeError();
    // The layer is where the program makes it; its calls where it calls it.
    (*decl)->setLoc(loc(*l.attribute));
    if (failed(verify(*decl)))
      return llvm::make_error<ReportedError>();
    l.decl = *decl;
    return *decl;
  };
  keras::LayerContext call(*l.entry, attr, *l.fields, ValueRange(inputs), loc(node),
                           builder, declare, *weights);
  if (keras::honoursMask(cls))
    call.inputMask = inputMasks.front().value;
  llvm::Expected<Value> result = l.entry->build(call);
  if (result) {
    SmallVector<Value> results{*result};
    llvm::append_range(results, call.moreResults);
    auto masks = keras::masksOfOutputs(self, l.config, inputMasks,
                                       call.outputMask, results, builder,
                                       loc(node), ("self." + attr).str(),
                                       /*kerasMajor=*/3);
    if (!masks)
      return error(node, llvm::toString(masks.takeError()));
    SmallVector<PyValue> values;
    for (auto [value, mask] : llvm::zip(results, *masks)) {
      kerasMasks[value] = mask;
      values.push_back(PyValue::tensor(value));
    }
    return values;
  }
  bool reported = false;
  std::string message;
  llvm::handleAllErrors(
      result.takeError(), [&](const ReportedError &) { reported = true; },
      [&](const llvm::ErrorInfoBase &e) { message = e.message(); });
  if (reported)
    return failure();
  // What the arguments say is at fault is said where they are given; what
  // the input does not fit (the op's diagnostics are at the call), or what
  // a later call does not fit, at the call.
  bool atCall =
      l.decl || llvm::StringRef(message).ends_with("(diagnostics above)");
  return error(atCall ? node : *l.attribute, message);
}

//===----------------------------------------------------------------------===//
// Models and their methods
//===----------------------------------------------------------------------===//

/// The method `name` of the reader's model, or null.
static const json::Object *findMethod(const json::Object &model,
                                      llvm::StringRef name) {
  for (const json::Value &m : *model.getArray("methods"))
    if (const json::Object *o = m.getAsObject())
      if (o->getString("name") == name)
        return o;
  return nullptr;
}

/// The method of a model class of the file that Keras runs for
/// `model.<attr>(...)`: `__call__` runs `call`; `predict` the class's own
/// `predict`, else its `predict_step` (Keras's Model.predict calls it on each
/// batch), else `call` (Keras's own predict_step calls the model);
/// `predict_on_batch` its own, else `predict_step`, else `call` (as Keras's
/// predict_on_batch runs predict_step, never an overridden predict). Another
/// name is that method.
static llvm::StringRef kerasMethod(const json::Object &model,
                                   llvm::StringRef attr) {
  if (attr == "__call__")
    return "call";
  if ((attr != "predict" && attr != "predict_on_batch") ||
      findMethod(model, attr))
    return attr;
  return findMethod(model, "predict_step") ? "predict_step" : "call";
}

const json::Object *python::findModel(const json::Object &program,
                                      llvm::StringRef var) {
  for (const json::Value &m : *program.getArray("models"))
    if (const json::Object *o = m.getAsObject())
      if (o->getString("name") == var)
        return o;
  return nullptr;
}

/// The attribute `attr` of the reader's model, of `kind`, or null.
static const json::Object *findAttribute(const json::Object &model,
                                         llvm::StringRef attr,
                                         llvm::StringRef kind) {
  for (const json::Value &a : *model.getArray("attributes"))
    if (const json::Object *o = a.getAsObject())
      if (o->getString("attr") == attr && o->getString("kind") == kind)
        return o;
  return nullptr;
}

/// The attribute of kind "model" that `attr` of the reader's `holder` is,
/// itself or through another name of it (`self.e = self.inner`); `attr`
/// becomes that attribute's name. Null for another attribute.
static const json::Object *heldModelAttribute(const json::Object &holder,
                                              std::string &attr) {
  if (const json::Object *alias = findAttribute(holder, attr, "alias"))
    attr = alias->getString("target").value_or("").str();
  const json::Object *model = findAttribute(holder, attr, "model");
  return model && model->getObject("model") ? model : nullptr;
}

/// Whether `attr` of the reader's model is a layer or model it holds (or
/// another name of one), which `self.attr(x)` calls.
static bool holdsCallable(const json::Object &model, llvm::StringRef attr) {
  return llvm::any_of(
      llvm::ArrayRef<llvm::StringRef>{"layer", "model", "time_distributed",
                                      "alias"},
      [&](llvm::StringRef kind) { return findAttribute(model, attr, kind); });
}

/// The attribute `attr` of the reader's model that `x.attr(...)` cannot
/// call (a value, a tf.constant, a list of layers), which Python finds
/// before a method of the class of that name; null for none.
static const json::Object *uncallableAttribute(const json::Object &model,
                                               llvm::StringRef attr) {
  if (holdsCallable(model, attr))
    return nullptr;
  // A model of the module (`self.backbone = encoder`) is called by its name,
  // which the reader writes in the methods.
  for (const json::Value &a : *model.getArray("attributes"))
    if (const json::Object *o = a.getAsObject())
      if (o->getString("attr") == attr &&
          o->getString("kind") != "module_model")
        return o;
  return nullptr;
}

LogicalResult ProgramBuilder::notCallable(const json::Object &node,
                                          const json::Object &model,
                                          llvm::StringRef attr) {
  const json::Object *value = uncallableAttribute(model, attr);
  if (!value)
    return success();
  llvm::StringRef kind = value->getString("kind").value_or("");
  // A layer given to the constructor (`self.d = layer`): Keras shares it
  // with the caller (found by helper-81: "the value a value ... Python
  // raises TypeError").
  const json::Value *v = value->get("value");
  if (kind == "value" && v && v->getAsObject() &&
      v->getAsObject()->getObject("layer"))
    return error(node, "'" + source(*node.getObject("func")) +
                           "' is a layer given to the constructor, which "
                           "Keras shares with the code that made it: not "
                           "converted (make the layer in __init__, or give "
                           "the constructor its arguments)");
  std::string what = kind == "layers" ? "a list or dict of layers"
                     : kind == "value"
                         ? "the value " + pythonRepr(*value->get("value"))
                         : "a " + kind.str();
  return error(node, "'" + source(*node.getObject("func")) +
                         "' is not callable: the model's __init__ sets " +
                         attr + " to " + what +
                         ", which Python finds before any method of that "
                         "name (Python raises TypeError)");
}

std::optional<FailureOr<SmallVector<PyValue>>> ProgramBuilder::heldFunctionCall(
    const json::Object &node, const json::Object &model, llvm::StringRef attr) {
  const json::Object *value = uncallableAttribute(model, attr);
  const json::Object *f = value ? value->getObject("value") : nullptr;
  std::optional<llvm::StringRef> name =
      f ? f->getString("function") : std::nullopt;
  if (!name)
    return std::nullopt;
  json::Object call = node;
  call["func"] = located(
      json::Object{{"node", "Name"}, {"id", attr}, {"qualified", *name}},
      *node.getObject("func"));
  FailureOr<PyValue> result = expr(synthesize(std::move(call)));
  if (failed(result))
    return FailureOr<SmallVector<PyValue>>(failure());
  return FailureOr<SmallVector<PyValue>>(SmallVector<PyValue>{*result});
}

const json::Object *ProgramBuilder::methodNamed(const json::Object &model,
                                                llvm::StringRef name) const {
  if (const json::Object *method = findMethod(model, name))
    return method;
  auto it = layerMethods.find({&model, name.str()});
  return it == layerMethods.end() ? nullptr : &it->second.method;
}

FailureOr<json::Value> ProgramBuilder::rebased(const json::Object &expr,
                                               const json::Object &root,
                                               std::string &known) {
  if (&expr == &root)
    return json::Value(
        located(json::Object{{"node", "Name"}, {"id", "self"}}, root));
  json::Object copy = expr;
  if (const json::Object *value = expr.getObject("value")) {
    FailureOr<json::Value> inner = rebased(*value, root, known);
    if (failed(inner))
      return failure();
    copy["value"] = std::move(*inner);
  }
  // An index the caller knows (`i` of `for i in range(2)`, `k` of `for k
  // in self.heads`): its value, which the held model's method cannot read.
  const json::Object *slice = expr.getObject("slice");
  if (kindOf(expr) != "Subscript" || !slice || kindOf(*slice) == "Slice")
    return json::Value(std::move(copy));
  if (kindOf(*slice) == "Constant") {
    // (One chosen by a loop unrolled at import, throughHeldAlias's, is
    // one of several at this place.)
    if (slice->getBoolean("unrolled").value_or(false)) {
      const json::Value *v = slice->get("value");
      known +=
          "_" + (v && v->getAsString() ? v->getAsString()->str()
                 : v && v->getAsObject()
                     ? v->getAsObject()->getString("int").value_or("").str()
                     : std::string());
    }
    return json::Value(std::move(copy));
  }
  if (const json::Value *text = knownValue(*slice);
      text && text->getAsString()) {
    known += "_" + text->getAsString()->str();
    copy["slice"] = located(json::Object{{"node", "Constant"},
                                         {"value", text->getAsString()->str()}},
                            *slice);
    return json::Value(std::move(copy));
  }
  FailureOr<std::optional<int64_t>> i = knownInteger(*slice);
  if (failed(i))
    return failure();
  if (!*i)
    return error(*slice, "'" + source(expr) +
                             "' is reached in another model: its index is "
                             "an int or string known at import, not '" +
                             source(*slice) + "'");
  known += "_" + std::to_string(**i);
  json::Object constant = located(
      json::Object{{"node", "Constant"},
                   {"value", json::Object{{"int", std::to_string(
                                                      **i < 0 ? -**i : **i)}}}},
      *slice);
  copy["slice"] = **i < 0
                      ? located(json::Object{{"node", "UnaryOp"},
                                             {"op", "USub"},
                                             {"operand", std::move(constant)}},
                                *slice)
                      : std::move(constant);
  return json::Value(std::move(copy));
}

FailureOr<ProgramBuilder::LayerCall>
ProgramBuilder::layerCallMethod(const json::Object &model,
                                const json::Object &node,
                                const json::Object &root) {
  const json::Object &func = *node.getObject("func");
  // Named after what `root` holds (`d` of `inner.d`, `blocks` of
  // `inner.blocks[0]`), and where the call is.
  const json::Object *above = &func;
  while (above->getObject("value") && above->getObject("value") != &root)
    above = above->getObject("value");
  llvm::StringRef attr = above->getString("attr").value_or("item");
  // Keras's Functional models keep their layers in `layers`, not as
  // attributes (found by helper-78: `fun.dense(x)` was converted).
  if (model.getString("class") == "Functional")
    return error(*above, "'" + source(*above) +
                             "': a Functional model has no attribute '" + attr +
                             "' (Python raises AttributeError): its "
                             "layers are called in its graph; call the "
                             "model");
  const json::Array &at = arrayOr(node.getArray("loc"));
  auto number = [&](size_t i) {
    return std::to_string(i < at.size() ? at[i].getAsInteger().value_or(0) : 0);
  };
  // The indexes known at import are the method's own (one method per
  // layer the place reaches: `blocks[i]` in a loop unrolled at import).
  std::string known;
  FailureOr<json::Value> callee = rebased(func, root, known);
  if (failed(callee))
    return failure();
  std::string name = attr.str() + "$" + number(0) + "_" + number(1) + known;
  auto [it, made] = layerMethods.try_emplace({&model, name});
  LayerMethod &layer = it->second;
  if (!made)
    return LayerCall{name, layer.call ? &*layer.call : &node};
  // (A json::Value made of a StringRef refers to its characters: each name
  // is copied, as `id.str()`.)
  auto param = [&](llvm::StringRef id, const json::Object &where) {
    return located(json::Object{{"name", id.str()}, {"annotation", nullptr}},
                   where);
  };
  auto read = [&](llvm::StringRef id, const json::Object &where) {
    return located(json::Object{{"node", "Name"}, {"id", id.str()}}, where);
  };
  // Each argument is a parameter, named where the argument is (so that a
  // message about it shows the caller's text). A list or tuple written in
  // the call after the first argument (`initial_state=[h, c]`) is one
  // parameter per element, given by keyword `$k` at the call, joined again
  // in the layer's call; the first argument is the model's inputs, which
  // a model call takes as one list.
  json::Array params{param("self", node)}, args, keywords, callArgs,
      callKeywords;
  bool expanded = false;
  auto pass = [&](const json::Object &arg, bool whole,
                  std::optional<llvm::StringRef> keyword) -> json::Value {
    llvm::StringRef kind = arg.getString("node").value_or("");
    if (whole || (kind != "List" && kind != "Tuple")) {
      std::string id =
          keyword ? keyword->str() : "$" + std::to_string(params.size() - 1);
      params.push_back(param(id, arg));
      if (keyword)
        callKeywords.push_back(located(
            json::Object{
                {"node", "keyword"}, {"arg", id}, {"value", json::Object(arg)}},
            arg));
      else
        callArgs.push_back(json::Object(arg));
      return read(id, arg);
    }
    expanded = true;
    json::Array elements;
    for (const json::Value &e : arrayOr(arg.getArray("elts"))) {
      const json::Object &element = *e.getAsObject();
      std::string id = "$" + std::to_string(params.size() - 1);
      params.push_back(param(id, element));
      callKeywords.push_back(
          located(json::Object{{"node", "keyword"},
                               {"arg", id},
                               {"value", json::Object(element)}},
                  element));
      elements.push_back(read(id, element));
    }
    return located(json::Object{{"node", kind}, {"elts", std::move(elements)}},
                   arg);
  };
  for (const json::Value &a : arrayOr(node.getArray("args"))) {
    const json::Object &arg = *a.getAsObject();
    if (arg.getString("node") == "Starred")
      return error(arg, "'" + source(func) +
                            "(...)' with *args is not converted: give each "
                            "argument");
    args.push_back(pass(arg, args.empty(), std::nullopt));
  }
  // Keras's `training` and `mask` come last, defaulting to None, as
  // __call__ takes them (a model call binds them so, not as inputs).
  json::Array flags, defaults;
  for (const json::Value &k : arrayOr(node.getArray("keywords"))) {
    const json::Object &kw = *k.getAsObject();
    std::optional<llvm::StringRef> arg = kw.getString("arg");
    if (!arg)
      return error(kw, "'" + source(func) +
                           "(...)' with **kwargs is not converted: give each "
                           "argument");
    const json::Object &value = *kw.getObject("value");
    json::Value passed = read(*arg, value);
    if (*arg == "training" || *arg == "mask") {
      flags.push_back(param(*arg, kw));
      defaults.push_back(
          located(json::Object{{"node", "Constant"}, {"value", nullptr}}, kw));
      callKeywords.push_back(k);
    } else {
      passed = pass(value, false, *arg);
    }
    keywords.push_back(located(json::Object{{"node", "keyword"},
                                            {"arg", arg->str()},
                                            {"value", std::move(passed)}},
                               kw));
  }
  for (json::Value &flag : flags)
    params.push_back(std::move(flag));
  json::Object call = located(json::Object{{"node", "Call"},
                                           {"func", std::move(*callee)},
                                           {"args", std::move(args)},
                                           {"keywords", std::move(keywords)}},
                              node);
  layer.method = located(
      json::Object{
          {"name", name},
          {"params", std::move(params)},
          {"defaults", std::move(defaults)},
          {"body", json::Array{located(json::Object{{"node", "Return"},
                                                    {"value", std::move(call)}},
                                       node)}}},
      node);
  if (expanded) {
    json::Object rewritten = node;
    rewritten["args"] = std::move(callArgs);
    rewritten["keywords"] = std::move(callKeywords);
    layer.call = std::move(rewritten);
  }
  return LayerCall{name, layer.call ? &*layer.call : &node};
}

/// Every `Name` read in `value` (a node, or anything holding nodes).
static void namesIn(const json::Value &value, llvm::StringSet<> &names) {
  if (const json::Array *a = value.getAsArray()) {
    for (const json::Value &v : *a)
      namesIn(v, names);
    return;
  }
  const json::Object *o = value.getAsObject();
  if (!o)
    return;
  if (o->getString("node") == "Name")
    if (auto id = o->getString("id"))
      names.insert(*id);
  for (const auto &[key, v] : *o)
    namesIn(v, names);
}

std::optional<FailureOr<SmallVector<PyValue>>>
ProgramBuilder::helperCall(const json::Object &call, bool asStatement) {
  const json::Object *func = call.getObject("func");
  if (!func || func->getString("qualified"))
    return std::nullopt;
  llvm::StringRef kind = func->getString("node").value_or("");
  if (kind == "Name") {
    llvm::StringRef id = func->getString("id").value_or("");
    // A function defined in this body (a closure, its tuple unpacked:
    // `p, q = g(x)`); a lambda's value is a tuple like any.
    if (const json::Object *local =
            scope ? scope->localFunctions.lookup(id) : nullptr) {
      if (kindOf(*local) != "Lambda")
        return helperResults(*local, call, scope->model, asStatement);
      FailureOr<PyValue> value = lambdaCall(*local, call);
      if (failed(value))
        return std::optional<FailureOr<SmallVector<PyValue>>>(failure());
      SmallVector<PyValue> parts{*value};
      if (value->isKnownList())
        parts = listItems(*value->list);
      return std::optional<FailureOr<SmallVector<PyValue>>>(std::move(parts));
    }
    if (const json::Object *fn = function(id))
      return helperResults(*fn, call, nullptr, asStatement);
  }
  const json::Object *base =
      kind == "Attribute" ? func->getObject("value") : nullptr;
  if (base && base->getString("node") == "Name" &&
      base->getString("id") == "self" && scope && scope->model)
    if (const json::Object *method = findMethod(
            *scope->model->model, func->getString("attr").value_or("")))
      return helperResults(*method, call, scope->model, asStatement);
  return std::nullopt;
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::modelCall(const json::Object &node) {
  std::optional<FailureOr<SmallVector<PyValue>>> values =
      modelCallValues(node);
  if (!values)
    return std::nullopt;
  if (failed(*values))
    return FailureOr<PyValue>(failure());
  if ((*values)->size() == 1)
    return (*values)->front();
  // A model of several outputs gives them together (a tuple from `call`, a
  // list from a Functional model): `outs = model(x)`, then `outs[0]`.
  SmallVector<Value> elements;
  for (const PyValue &v : **values)
    elements.push_back(v.value);
  return FailureOr<PyValue>(knownList(node, elements));
}

std::optional<FailureOr<SmallVector<PyValue>>>
ProgramBuilder::modelCallValues(const json::Object &node) {
  // A call that gives one value, as the calls of models give theirs.
  auto one = [](FailureOr<PyValue> v) -> FailureOr<SmallVector<PyValue>> {
    if (failed(v))
      return failure();
    return SmallVector<PyValue>{*v};
  };
  const json::Object *func = node.getObject("func");
  if (!func)
    return std::nullopt;
  // `blk(x)`, `blk.p(x)` with `blk` of `for blk in self.inner.blocks`: as
  // written through the held model (`self.inner.blocks[1](x)`).
  if (scope && !scope->heldAliases.empty())
    if (std::optional<json::Object> through = throughHeldAlias(node))
      return modelCallValues(heldAliasCalls.emplace_back(std::move(*through)));
  llvm::StringRef kind = func->getString("node").value_or("");
  const json::Object *base =
      kind == "Attribute" ? func->getObject("value") : nullptr;
  llvm::StringRef baseName = base && base->getString("node") == "Name"
                                 ? base->getString("id").value_or("")
                                 : llvm::StringRef();
  llvm::StringRef attr = func->getString("attr").value_or("");
  if (std::optional<FailureOr<SmallVector<PyValue>>> held =
          heldModelMethodCall(node))
    return held;
  // self.layer(x), self.helper(x)
  if (baseName == "self" && scope && scope->model) {
    ModelState &model = *scope->model;
    if (holdsCallable(*model.model, attr))
      return callItem(node, model, attr);
    if (auto called = heldFunctionCall(node, *model.model, attr))
      return called;
    if (failed(notCallable(node, *model.model, attr)))
      return FailureOr<SmallVector<PyValue>>(failure());
    if (attr == "predict@Model" || attr == "predict_on_batch@Model" ||
        ((attr == "predict" || attr == "predict_on_batch") &&
         !findMethod(*model.model, attr)))
      return selfPredict(node, model, attr.starts_with("predict_on_batch"));
    if (const json::Object *method = findMethod(*model.model, attr))
      return one(helper(*method, node, &model));
    return std::nullopt;
  }
  if (kind == "Name" && func->getString("id") == "self" && scope &&
      scope->model && !scope->env.count("self"))
    return selfCall(node, *scope->model);
  // blk(x) in `for blk in self.blocks`; self.blocks[0](x), self.heads["a"](x).
  if (kind == "Name" && scope && scope->model)
    if (auto it = scope->layerAliases.find(func->getString("id").value_or(""));
        it != scope->layerAliases.end())
      return callItem(node, *scope->model, it->second);
  if (kind == "Subscript" && scope && scope->model)
    if (const json::Object *group = layerGroup(*func->getObject("value"))) {
      FailureOr<std::string> item =
          layerItem(*group, *func->getObject("slice"), *func);
      if (failed(item))
        return FailureOr<SmallVector<PyValue>>(failure());
      return callItem(node, *scope->model, *item);
    }
  // model(x), model.predict(x) of a model passed to the entry (`f(model,
  // x)`): that module model.
  if (scope && kind == "Name")
    if (auto it = scope->modelAliases.find(func->getString("id").value_or(""));
        it != scope->modelAliases.end())
      return callModel(node, it->second, "call");
  // `m.attr(...)` of the module model `var` (by its name, or a parameter
  // of the entry given it): a layer it holds first (`encoder.d(x)`,
  // which Python finds before a method of that name), then call and
  // predict, another method of its class (`encoder.encode(x)`),
  // predict_on_batch.
  using Results = std::optional<FailureOr<SmallVector<PyValue>>>;
  auto ofModel = [&](const std::string &var) -> Results {
    const json::Object &model = *findModel(*program, var);
    if (holdsCallable(model, attr))
      return layerOfModel(node, var, model, *base);
    if (auto called = heldFunctionCall(node, model, attr))
      return called;
    if (failed(notCallable(node, model, attr)))
      return FailureOr<SmallVector<PyValue>>(failure());
    if (attr == "call" && failed(directCallTraining(node, model)))
      return FailureOr<SmallVector<PyValue>>(failure());
    if (attr == "predict" || attr == "__call__")
      return callModel(node, var, attr == "predict" ? "predict" : "call");
    if (attr == "call" || findMethod(model, attr))
      return callModel(node, var, attr, std::nullopt, /*byName=*/true);
    if (attr == "predict_on_batch")
      return predictOnBatch(node, [&] { return callModel(node, var, attr); });
    return std::nullopt;
  };
  if (scope && !baseName.empty())
    if (auto it = scope->modelAliases.find(baseName);
        it != scope->modelAliases.end())
      if (Results r = ofModel(it->second))
        return r;
  if (kind == "Name") {
    llvm::StringRef id = func->getString("id").value_or("");
    if (scope && scope->env.count(id))
      return FailureOr<SmallVector<PyValue>>(
          error(node, "'" + id +
                          "' is a local value here, not a function, model or "
                          "layer to call"));
    if (findModel(*program, id))
      return callModel(node, id, "call");
    return std::nullopt;
  }
  if (!baseName.empty() && !(scope && scope->env.count(baseName)) &&
      findModel(*program, baseName))
    if (Results r = ofModel(baseName.str()))
      return r;
  // Deeper into a module model (`m.inner.d(x)`, `encoder.blocks[0](x)`):
  // its own `self.inner.d(x)`, in a method made for it.
  const json::Object *root = func;
  while (root && (kindOf(*root) == "Attribute" || kindOf(*root) == "Subscript"))
    root = root->getObject("value");
  if (root && root != base && kindOf(*root) == "Name" &&
      !(scope && scope->env.count(root->getString("id").value_or("")))) {
    std::string var = root->getString("id").value_or("").str();
    if (scope)
      if (auto it = scope->modelAliases.find(var);
          it != scope->modelAliases.end())
        var = it->second;
    if (const json::Object *model = findModel(*program, var))
      return layerOfModel(node, var, *model, *root);
  }
  return std::nullopt;
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::layerOfModel(const json::Object &node, llvm::StringRef var,
                             const json::Object &model,
                             const json::Object &root) {
  FailureOr<LayerCall> layer = layerCallMethod(model, node, root);
  if (failed(layer))
    return failure();
  return callModel(*layer->call, var, layer->method);
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::callModel(const json::Object &node, llvm::StringRef var,
                          llvm::StringRef method, std::optional<Value> given,
                          bool byName) {
  const json::Object &model = *findModel(*program, var);
  llvm::StringRef className = model.getString("class").value_or("");
  // model.predict and predict_on_batch run predict_step or call, as Keras
  // does (or the class's own predict and predict_on_batch).
  bool predicting = method == "predict" || method == "predict_on_batch";
  llvm::StringRef impl = predicting ? kerasMethod(model, method) : method;
  // Keras's own predict (its arguments, its batches); a class's own
  // predict is a method like another.
  bool kerasPredict = method == "predict" && impl != "predict";
  const json::Object *methodNode = methodNamed(model, impl);
  if (!methodNode)
    return error(node, "'" + className + "' defines no '" + method +
                           "' method to convert");
  if (failed(notStatic(node, className, *methodNode)))
    return failure();
  auto converting = [&](const CallingMethod &c) { return c.model == var; };
  // `m.row(p)` from code that a method of `m` calls (a function of the
  // module, a map_fn's fn): `m` is that method's `self`, and another of
  // its methods is converted in place, as `self.row(p)` is. The same
  // method again is recursion.
  if (llvm::any_of(calling, converting) && !given &&
      llvm::none_of(calling, [&](const CallingMethod &c) {
        return c.model == var && c.method == impl;
      })) {
    // Only into `m`'s own predict.model: from a model that `m` holds or
    // calls, `m`'s symbols would resolve to that model's (found by
    // helper-78: a held decoder's `model.proj(h)` applied its own proj).
    if (emitting != models[var].get())
      return error(
          node, "'" + source(*node.getObject("func")) + "' is called inside '" +
                    (emitting ? emitting->var : std::string("?")) +
                    "', which '" + var + "' holds or calls, while '" + var +
                    "' is being converted: a model's layers and "
                    "methods are converted into it from its own "
                    "code only; compute the value in '" +
                    var.str() + "' and pass it in");
    return helperResults(*methodNode, node, models[var].get());
  }
  FailureOr<ModelInputs> in =
      given ? FailureOr<ModelInputs>(ModelInputs::of(*given))
            : modelInputs(node, model, *methodNode, kerasPredict);
  if (failed(in))
    return failure();
  // Keras's own predict_step passes training=False; a predict or
  // predict_step the class defines is a method like another (found by
  // helper-88).
  in->byName = byName;
  giveTraining(*in, node, *methodNode, predicting && impl == "call");
  if (llvm::any_of(calling, converting)) {
    auto from = llvm::find_if(calling, converting);
    std::string through;
    for (auto it = std::next(from); it != calling.end(); ++it)
      through += (through.empty() ? "'" : ", '") + it->model + "'";
    return error(node, "model '" + var + "' calls itself" +
                           (through.empty() ? "" : " through " + through) +
                           ": recursion is not supported (Keras would "
                           "recurse without end)");
  }
  if (!calledModels) {
    // The models the program's code names: with more than one, weights
    // are keyed by model too.
    llvm::StringSet<> names;
    for (const json::Value &f : *program->getArray("functions"))
      namesIn(f, names);
    for (const json::Value &m : *program->getArray("models"))
      if (const json::Object *o = m.getAsObject()) {
        namesIn(*o->get("methods"), names);
        // TimeDistributed(self.backbone) calls the module's model too.
        for (const json::Value &a : *o->getArray("attributes"))
          if (a.getAsObject()->getString("kind") == "time_distributed" &&
              a.getAsObject()->getBoolean("module_model").value_or(false))
            names.insert(a.getAsObject()->getString("target").value_or(""));
      }
    // A model an entry's example call passes (`run(scorer, x)`, called
    // through the parameter) is called too.
    for (const json::Value &e : *program->getArray("entries"))
      if (const json::Object *entry = e.getAsObject())
        for (const json::Value &example : arrayOr(entry->getArray("examples")))
          if (const json::Object *o = example.getAsObject())
            if (std::optional<llvm::StringRef> model = o->getString("model"))
              names.insert(*model);
    for (const json::Value &m : *program->getArray("models"))
      if (const json::Object *o = m.getAsObject())
        if (names.contains(o->getString("name").value_or("")))
          calledModelNames.push_back(o->getString("name").value_or("").str());
    calledModels = std::max<unsigned>(calledModelNames.size(), 1);
  }
  // Converts the method for in->values and calls it.
  auto convert = [&]() -> FailureOr<SmallVector<PyValue>> {
    calling.push_back({var.str(), impl.str()});
    FailureOr<ModelMethod *> made =
        modelMethod(node, moduleModelState(var), *methodNode, *in);
    calling.pop_back();
    if (failed(made))
      return failure();
    ModelMethod *converted = *made;
    Location at = loc(node);
    auto callee = SymbolRefAttr::get(context, var);
    Operation *op;
    SmallVector<Type> &results = converted->results;
    llvm::StringRef symbol = converted->op.getSymName();
    // A method converted for Python values of its parameters other than its
    // first conversion's is called by its own symbol (`@m::@call_1`).
    if (method == "predict" && symbol == impl)
      op = ModelPredictOp::create(builder, at, results, callee, in->values);
    else if (method != "predict" && symbol == "call")
      op = ModelCallOp::create(builder, at, results, callee, in->values);
    else
      op = MethodCallOp::create(
          builder, at, results,
          SymbolRefAttr::get(context, var,
                             {FlatSymbolRefAttr::get(context, symbol)}),
          in->values);
    return modelResults(node, moduleModelState(var), *converted, *in, op);
  };
  // Keras's predict runs predict_step (or call) batch by batch; the
  // class's own predict is a method like another.
  if (kerasPredict && !given)
    return predictInBatches(node, *in, convert);
  return convert();
}

FailureOr<SmallVector<PyValue>> ProgramBuilder::predictOnBatch(
    const json::Object &node,
    llvm::function_ref<FailureOr<SmallVector<PyValue>>()> call) {
  if (arrayOr(node.getArray("args")).size() != 1 ||
      !arrayOr(node.getArray("keywords")).empty())
    return error(node, "'" + source(*node.getObject("func")) +
                           "' takes one argument, x (Keras's "
                           "predict_on_batch(x))");
  return call();
}

std::optional<FailureOr<SmallVector<PyValue>>>
ProgramBuilder::heldModelMethodCall(const json::Object &node) {
  const json::Object *func = node.getObject("func");
  // `self.<held>` in the callee's chain (`self.inner.encode`,
  // `self.inner.blocks[0]`, `self.a.b.e`), and the part of it just above.
  // Or a name of one of a list of held models (`m` of `for m in
  // self.models`: `m.d(x)`).
  if (!scope || !scope->model || scope->env.count("self"))
    return std::nullopt;
  const json::Object *base = nullptr, *above = nullptr;
  std::string held;
  for (const json::Object *n = func, *prev = nullptr;
       n && (kindOf(*n) == "Attribute" || kindOf(*n) == "Subscript");
       prev = n, n = n->getObject("value")) {
    const json::Object *v = n->getObject("value");
    if (!v || kindOf(*v) != "Name")
      continue;
    llvm::StringRef id = v->getString("id").value_or("");
    if (id == "self" && kindOf(*n) == "Attribute") {
      base = n;
      above = prev;
      held = n->getString("attr").value_or("").str();
      // `self.models[0].p(x)`: a model of a list of held models.
      if (prev && kindOf(*prev) == "Subscript" && layerGroup(*n)) {
        FailureOr<std::optional<std::string>> item = heldLayer(*prev);
        if (failed(item))
          return FailureOr<SmallVector<PyValue>>(failure());
        base = prev;
        held = item->value_or("");
        above = nullptr;
        for (const json::Object *m = func; m && m != prev;
             m = m->getObject("value"))
          above = m;
      }
    } else if (auto it = scope->layerAliases.find(id);
               it != scope->layerAliases.end()) {
      base = v;
      above = n;
      held = it->second;
    }
    break;
  }
  if (!base || !above)
    return std::nullopt;
  ModelState &holder = *scope->model;
  const json::Object *attribute = heldModelAttribute(*holder.model, held);
  if (!attribute)
    return std::nullopt;
  const json::Object &model = *attribute->getObject("model");
  llvm::StringRef className = model.getString("class").value_or("");
  using Results = FailureOr<SmallVector<PyValue>>;
  // Deeper (`self.inner.blocks[0](x)`, `self.a.b.e(x)`): the held model's
  // `self.blocks[0](x)`, `self.b.e(x)`, in a method made for it.
  if (above != func) {
    FailureOr<LayerCall> reached = layerCallMethod(model, node, *base);
    if (failed(reached))
      return Results(failure());
    return callHeldModel(*reached->call, holder, held, std::nullopt,
                         reached->method);
  }
  llvm::StringRef attr = func->getString("attr").value_or("");
  std::string shown = "self." + held + "." + attr.str();
  // `self.inner.d(x)`: a layer of the held model (which Python finds
  // before a method of its class of the same name).
  if (holdsCallable(model, attr)) {
    FailureOr<LayerCall> layer = layerCallMethod(model, node, *base);
    if (failed(layer))
      return Results(failure());
    return callHeldModel(*layer->call, holder, held, std::nullopt,
                         layer->method);
  }
  if (failed(notCallable(node, model, attr)))
    return Results(failure());
  // Keras's __call__ runs `call`; a predict the class does not define runs
  // predict_step or call, on predict's arguments (`predict(x, 2)` is
  // batch_size=2); predict_on_batch on x alone.
  if (attr == "call" && failed(directCallTraining(node, model)))
    return Results(failure());
  llvm::StringRef method = kerasMethod(model, attr);
  llvm::StringRef via =
      attr != "__call__" && method != attr ? attr : llvm::StringRef();
  if (attr == "predict_on_batch" && !via.empty())
    return predictOnBatch(node, [&] {
      return callHeldModel(node, holder, held, std::nullopt, method, via);
    });
  if (findMethod(model, method))
    return callHeldModel(node, holder, held, std::nullopt, method, via,
                         /*byName=*/attr != "__call__" && via.empty());
  return Results(error(*func, "'" + className + "' has no method '" + attr +
                                  "' to call as '" + shown +
                                  "' (Python raises AttributeError)"));
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::modelResults(const json::Object &node, ModelState &model,
                             ModelMethod &method, const ModelInputs &in,
                             Operation *call) {
  for (auto [value, masked] : llvm::zip(in.values, method.maskedInputs))
    if (kerasMasks.lookup(value).any() != masked)
      return error(node,
                   "'" + model.var +
                       "' is called on a tensor with a "
                       "Keras mask (of an Embedding with mask_zero=True or "
                       "a Masking layer) here and without one elsewhere; "
                       "predict converts a model's method once, for one "
                       "kind of call");
  SmallVector<PyValue> results;
  for (auto [r, mask] : llvm::zip(call->getResults(), method.resultMasks)) {
    if (mask.any())
      kerasMasks[r] = mask;
    results.push_back(PyValue::tensor(r));
  }
  // `return [y]`: the caller gets the list (`m(x)[0]` is y; found by
  // helper-126), as it gets the tuple of several results.
  if (method.returnsSequence && results.size() == 1)
    return SmallVector<PyValue>{
        knownList(node, SmallVector<Value>{results.front().value})};
  return results;
}

LogicalResult ProgramBuilder::notStatic(const json::Object &node,
                                        llvm::StringRef className,
                                        const json::Object &method) {
  if (!method.getBoolean("static").value_or(false))
    return success();
  // A model's method converts with the model as its first parameter.
  return error(node, "'" + className + "." +
                         method.getString("name").value_or("") +
                         "' is a @staticmethod, which predict converts "
                         "when the class's own methods call it "
                         "(self." +
                         method.getString("name").value_or("") +
                         "(...)); from outside, call a function of the "
                         "file instead");
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::callHeldModel(const json::Object &node, ModelState &holder,
                              llvm::StringRef attr, std::optional<Value> given,
                              llvm::StringRef method, llvm::StringRef via,
                              bool byName) {
  const json::Object &attribute = *findAttribute(*holder.model, attr, "model");
  if (!given && method == "call" &&
      attribute.getBoolean("time_distributed").value_or(false))
    return timeDistributed(node, holder, attr, attr);
  const json::Object &model = *attribute.getObject("model");
  llvm::StringRef className = model.getString("class").value_or("");
  const json::Object *methodNode = methodNamed(model, method);
  if (!methodNode)
    return error(node, "'" + className + "' defines no '" + method +
                           "' method to convert");
  if (failed(notStatic(node, className, *methodNode)))
    return failure();
  FailureOr<ModelInputs> in =
      given ? FailureOr<ModelInputs>(ModelInputs::of(*given))
            : modelInputs(node, model, *methodNode, via == "predict");
  if (failed(in))
    return failure();
  in->byName = byName;
  giveTraining(*in, node, *methodNode, !via.empty() && method == "call");
  ModelState &held = heldModelState(holder, attr, model);
  // Converts the method for in->values and calls it.
  auto convert = [&]() -> FailureOr<SmallVector<PyValue>> {
    FailureOr<ModelMethod *> made =
        modelMethod(node, held, *methodNode, *in, &holder);
    if (failed(made))
      return failure();
    ModelMethod *converted = *made;
    llvm::StringRef symbol = converted->op.getSymName();
    Operation *call =
        symbol == "call"
            ? ModelCallOp::create(builder, loc(node), converted->results,
                                  SymbolRefAttr::get(context, attr), in->values)
                  .getOperation()
            : MethodCallOp::create(
                  builder, loc(node), converted->results,
                  SymbolRefAttr::get(context, attr,
                                     {FlatSymbolRefAttr::get(context, symbol)}),
                  in->values)
                  .getOperation();
    return modelResults(node, held, *converted, *in, call);
  };
  // Keras's predict runs predict_step (or call) batch by batch.
  if (via == "predict" && !given)
    return predictInBatches(node, *in, convert);
  return convert();
}

ModelState &ProgramBuilder::moduleModelState(llvm::StringRef var) {
  std::unique_ptr<ModelState> &slot = models[var];
  if (!slot) {
    const json::Object &model = *findModel(*program, var);
    slot = std::make_unique<ModelState>();
    slot->model = &model;
    slot->var = var.str();
    slot->className = model.getString("class").value_or("").str();
  }
  return *slot;
}

ModelState &ProgramBuilder::heldModelState(ModelState &holder,
                                           llvm::StringRef attr,
                                           const json::Object &model) {
  std::unique_ptr<ModelState> &slot = holder.held[attr.str()];
  if (!slot) {
    slot = std::make_unique<ModelState>();
    slot->model = &model;
    slot->var = attr.str();
    slot->className = model.getString("class").value_or("").str();
    slot->root = holder.root ? holder.root : &holder;
    slot->keyPrefix = holder.keyPrefix + attr.str() + "/";
  }
  return *slot;
}

FailureOr<ModelMethod *> ProgramBuilder::modelMethod(const json::Object &call,
                                                     ModelState &model,
                                                     const json::Object &method,
                                                     const ModelInputs &in,
                                                     ModelState *holder) {
  // Each method called is converted once for each set of Python values of
  // its parameters and each set of parameters given tensors
  // (`enc.encode(x)` with its default scale, `enc.encode(x, scale=t)`,
  // `enc.encode(x, bias=t)`), beside the others.
  // A layer called from outside its model (layerCallMethod's `d$L_C`)
  // converts for each input type too, as the layer's own calls do (a
  // helper calling `self.inner.d(x)` at rank 2 and at rank 3).
  // A method whose conversion read Keras's call context (a `training` left
  // to a default of None: None outside predict, False inside) is keyed by
  // that context too (helper-123: `model(x)` and `model.predict(x)` of one
  // model).
  std::string statics = in.staticsKey();
  std::string inContext =
      statics + trainingContextKey(trainingFalseContext || in.trainingFalse,
                                   in.trainingFalse ? in.trainingValue
                                                    : trainingContextValue);
  if (method.getString("name").value_or("").contains('$')) {
    for (const std::unique_ptr<ModelMethod> &m : model.methods)
      if (m->node == &method && m->converted && m->accepts(in) &&
          (m->statics == statics || m->statics == inContext))
        return m.get();
    return convertModel(model, method, in, holder);
  }
  ModelMethod *converted = model.methodOf(&method, inContext, in.paramList());
  if (!converted)
    converted = model.methodOf(&method, statics, in.paramList());
  if (converted) {
    if (converted->converted && converted->accepts(in))
      return converted;
    if (converted->failed)
      return failure();
    llvm::StringRef name = method.getString("name").value_or("call");
    std::string called = (holder ? "self." : "") + model.var +
                         (name == "call" ? "" : "." + name.str());
    return error(call, "'" + called +
                           "' is used with another input shape elsewhere; "
                           "one input shape per method of a model is "
                           "supported");
  }
  FailureOr<ModelMethod *> made = convertModel(model, method, in, holder);
  if (failed(made))
    if (ModelMethod *m = model.methodOf(&method, statics, in.paramList()))
      m->failed = true;
  return made;
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::timeDistributed(const json::Object &node, ModelState &model,
                                llvm::StringRef attr, llvm::StringRef target) {
  std::string name = "self." + attr.str() + " (TimeDistributed)";
  FailureOr<Value> x = oneArgument(node);
  if (failed(x))
    return failure();
  auto type = dyn_cast<RankedTensorType>(x->getType());
  if (!type || type.getRank() < 3)
    return error(node, name +
                           " takes a tensor of rank 3 or more (batch, "
                           "time, features...), not " +
                           typeText(x->getType()) +
                           " (Keras's TimeDistributed requires it)");
  if (kerasMasks.lookup(*x).any())
    return error(node, name + " is given a tensor with a Keras mask (of an "
                              "Embedding with mask_zero=True or a Masking "
                              "layer): predict carries it through "
                              "TimeDistributed only around a layer made "
                              "in the call, TimeDistributed(Dense(...))");
  const json::Object *wrapper =
      findAttribute(*model.model, attr, "time_distributed");
  bool moduleModel =
      wrapper && wrapper->getBoolean("module_model").value_or(false);
  bool layer = findAttribute(*model.model, target, "layer");
  if (!moduleModel && !layer && !findAttribute(*model.model, target, "model"))
    return error(node, name + " wraps self." + target +
                           ", which is not a layer or model predict "
                           "converts a call of");
  Location at = loc(node);
  Value merged = keras::mergeBatchAndTime(builder, at, *x);
  FailureOr<SmallVector<PyValue>> results =
      moduleModel ? callModel(node, target, "call", merged)
      : layer     ? applyLayer(node, model, target, merged)
                  : callHeldModel(node, model, target, merged);
  if (failed(results))
    return failure();
  // Each result's first axis must be the merged one (N·T rows): checked at
  // run time, as TensorFlow's reshape checks it; a static mismatch here.
  Value rows = DimOp::create(builder, at, merged, 0);
  for (PyValue &r : *results) {
    auto result = r.isTensor() ? dyn_cast<RankedTensorType>(r.value.getType())
                               : RankedTensorType();
    if (!result || result.getRank() == 0)
      return error(node, name + ": self." + target +
                             " returns a value without the merged batch "
                             "and time axis first, which TimeDistributed "
                             "splits back");
    int64_t mergedRows = cast<RankedTensorType>(merged.getType()).getDimSize(0);
    if (!ShapedType::isDynamic(mergedRows) &&
        !ShapedType::isDynamic(result.getDimSize(0)) &&
        mergedRows != result.getDimSize(0))
      return error(node, name + ": self." + target + " returns " +
                             std::to_string(result.getDimSize(0)) +
                             " rows for " + std::to_string(mergedRows) +
                             " steps of the batch; TimeDistributed needs "
                             "one row per step");
    Value size = DimOp::create(builder, at, r.value, 0);
    Value ok = arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq,
                                     size, rows);
    AssertOp::create(
        builder, at, ok,
        builder.getStringAttr("'" + source(node) + "': self." + target.str() +
                              " returned {0} rows for {1} steps of the batch; "
                              "TimeDistributed needs one row per step"),
        ValueRange{size, rows});
    kerasMasks.erase(r.value);
    // The rows' count as the merged input's type has it, to split.
    Value rowsFirst = r.value;
    if (result.getDimSize(0) != mergedRows) {
      SmallVector<int64_t> shape(result.getShape());
      shape[0] = mergedRows;
      rowsFirst =
          tensor::CastOp::create(builder, at, result.clone(shape), r.value);
    }
    r = PyValue::tensor(keras::splitBatchAndTime(builder, at, rowsFirst, *x));
  }
  return results;
}

std::string
ProgramBuilder::trainingContextKey(bool falseContext,
                                   const std::optional<json::Value> &value) {
  if (!falseContext)
    return "; called with training=None";
  return "; called with training=" + (value ? pythonRepr(*value) : "False");
}

std::optional<json::Value>
ProgramBuilder::trainingArgument(const json::Object &value) {
  if (const json::Value *known =
          kindOf(value) == "Constant" ? value.get("value") : knownValue(value))
    return *known;
  // A name holding a bool, int or float known at import (a method's own
  // `training` bound to False, a local `t = 0`, a helper's `training=0.0`,
  // helper-131), or an expression of such values (`bool(training)`,
  // `training if training is not None else False`, `not self.inf`).
  llvm::StringRef kind = kindOf(value);
  std::optional<PyValue> held;
  if (kind == "Name" && scope) {
    auto it = scope->env.find(value.getString("id").value_or(""));
    if (it != scope->env.end())
      held = it->second;
  } else if (kind == "Compare" || kind == "UnaryOp" || kind == "BoolOp" ||
             kind == "IfExp" || kind == "Call") {
    FailureOr<PyValue> v = expr(value);
    if (succeeded(v))
      held = *v;
  }
  if (!held)
    return std::nullopt;
  if (std::optional<double> d = pythonFloat(*held))
    return json::Value(json::Object{{"float", shortestFloatText(*d)}});
  if (held->isBool() || held->isIndex())
    if (std::optional<int64_t> i =
            getConstantIntValue(getAsOpFoldResult(held->value)))
      return held->isBool()
                 ? json::Value(*i != 0)
                 : json::Value(json::Object{{"int", std::to_string(*i)}});
  return std::nullopt;
}

std::optional<json::Value>
ProgramBuilder::trainingGiven(const json::Object &call,
                              const json::Object &method) {
  for (const json::Value &k : arrayOr(call.getArray("keywords")))
    if (const json::Object *kw = k.getAsObject())
      if (kw->getString("arg") == llvm::StringRef("training"))
        if (const json::Object *value = kw->getObject("value"))
          return trainingArgument(*value);
  const json::Array &params = arrayOr(method.getArray("params"));
  const json::Array &args = arrayOr(call.getArray("args"));
  for (size_t i = 1; i < params.size() && i - 1 < args.size(); ++i)
    if (params[i].getAsObject()->getString("name") ==
        llvm::StringRef("training"))
      if (const json::Object *value = args[i - 1].getAsObject())
        return trainingArgument(*value);
  return std::nullopt;
}

void ProgramBuilder::giveTraining(ModelInputs &in, const json::Object &call,
                                  const json::Object &method, bool predicting) {
  if (predicting) {
    in.trainingFalse = true;
    return;
  }
  std::optional<json::Value> given = trainingGiven(call, method);
  if (!given)
    return;
  if (in.byName) {
    if (hasParameter(method, "training", /*keywordOnly=*/true))
      in.statics.push_back(
          {"training",
           synthesize(json::Object{{"node", "Constant"}, {"value", *given}})
               .get("value"),
           &call});
    return;
  }
  // (A false value that is not False, `training=0` or `training=training`
  // of a `training=0` default, is passed as it is: `training is False` is
  // false for it, in the method called and in the calls it makes.)
  if (given->kind() == json::Value::Null ||
      knownTruth(*given) != std::optional<bool>(false))
    return;
  in.trainingFalse = true;
  if (!given->getAsBoolean())
    in.trainingValue = std::move(*given);
}

std::optional<bool> mlir::predict::python::knownTruth(const json::Value &v) {
  if (std::optional<bool> b = v.getAsBoolean())
    return *b;
  if (v.kind() == json::Value::Null)
    return false;
  if (std::optional<llvm::StringRef> text = v.getAsString())
    return !text->empty();
  const json::Object *o = v.getAsObject();
  if (std::optional<llvm::StringRef> i = o ? o->getString("int") : std::nullopt)
    return i->ltrim("-+") != "0";
  if (std::optional<llvm::StringRef> f =
          o ? o->getString("float") : std::nullopt) {
    double d;
    if (!f->getAsDouble(d))
      return d != 0;
  }
  return std::nullopt;
}

/// The value known at import of a `training` default's node `given`, or
/// null.
static const json::Value *trainingDefaultValue(ProgramBuilder &b,
                                               const json::Value &given) {
  const json::Object *node = given.getAsObject();
  return node ? knownArgument(b, *node) : nullptr;
}

LogicalResult ProgramBuilder::trainingDefault(const json::Object &method,
                                              const json::Value &given) {
  // Keras calls a layer not given `training` (and not inside a call that
  // was) with its call's default: a true one (True, 1) would run it in
  // training mode.
  const json::Value *v = trainingDefaultValue(*this, given);
  std::optional<bool> truth = v ? knownTruth(*v) : std::nullopt;
  if (trainingFalseContext || truth != true)
    return success();
  return error(*given.getAsObject(),
               "'" + method.getString("name").value_or("").str() +
                   "' defaults training to " + pythonRepr(*v) +
                   ", with which Keras runs it in training mode when its "
                   "caller gives none; predict compiles inference: pass "
                   "training=False where it is called, or default training "
                   "to None or False");
}

void ProgramBuilder::bindTrainingLeft(FunctionScope &fn,
                                      const json::Object &method,
                                      llvm::StringRef name,
                                      const json::Value *given, Location at) {
  // Keras passes the call's default when neither the call nor a call
  // around it gives one (Keras 2's _set_training_mode: "call's default
  // value"; Keras 3 leaves the default in place): None stays None, which
  // `if training is None: training = True` reads (helper-123). predict,
  // a call given training=False and one inside it pass False on.
  const json::Value *v = given ? trainingDefaultValue(*this, *given) : nullptr;
  bool leftToContext = !given || (v && v->kind() == json::Value::Null);
  // The conversion depends on the context unless the default is False:
  // None stays None outside it, and a True default, refused outside it, is
  // False inside (helper-126: `m(x, training=False)` then `m(x)` reused
  // the first conversion for the second). A body that never reads it
  // converts alike in either context.
  // A false default that is not False (`training=0`) is passed as it is
  // outside the context (`training is False` is false for it), False
  // inside, so it depends on the context too (helper-127); and a False
  // default does inside a `training=0` context, whose 0 Keras passes over
  // it (helper-128).
  bool defaultFalse = v && v->getAsBoolean() == std::optional<bool>(false);
  if ((!defaultFalse || trainingContextValue) && method.get("body") &&
      readsName(*method.get("body"), name))
    trainingContextRead = true;
  bool outerFalse = trainingFalseContext;
  // Keras resolves a false default, and passes it as it is to the calls
  // the method makes (predict passes them False, which differs from a 0
  // only by `is`).
  if (!outerFalse && v && v->kind() != json::Value::Null &&
      knownTruth(*v) == std::optional<bool>(false)) {
    trainingFalseContext = true;
    if (!defaultFalse)
      trainingContextValue = *v;
  }
  if (!outerFalse && leftToContext) {
    fn.known.try_emplace(name, nullptr);
    return;
  }
  if (!outerFalse && v && !defaultFalse) {
    fn.known.try_emplace(name, *v);
    return;
  }
  if (outerFalse && trainingContextValue) {
    fn.known.try_emplace(name, *trainingContextValue);
    return;
  }
  fn.env[name] =
      PyValue::boolean(arith::ConstantIntOp::create(builder, at, 0, 1));
}

FailureOr<ModelMethod *>
ProgramBuilder::convertModel(ModelState &model, const json::Object &method,
                             const ModelInputs &in, ModelState *holder) {
  SmallVector<Type> inputs;
  for (Value v : in.values)
    inputs.push_back(v.getType());
  llvm::StringRef name = method.getString("name").value_or("");
  const json::Array &params = *method.getArray("params");
  size_t defaults =
      method.getArray("defaults") ? method.getArray("defaults")->size() : 0;
  // Parameters after the inputs with defaults (`training=False`) keep
  // them: they are never passed, and reading one is an error.
  size_t given = in.positional ? in.values.size() : 1;
  // `def call(self, x, /, ...)`: the reader lists the parameters after
  // the `/` only.
  if (method.getBoolean("posonly").value_or(false))
    return error(method, "'" + model.className + "." + name +
                             "' has positional-only parameters (before "
                             "`/`), which are not converted: remove the `/`");
  if (params.size() < 2)
    return error(method, "'" + model.className + "." + name +
                             "' takes no input to be called as a model");
  // `training` and `mask` are Keras's, given at inference (False, None)
  // with or without a default: `def call(self, x, training)`.
  // (A mask given explicitly is an input: givesMask.)
  SmallVector<size_t> inputParams;
  for (size_t k = 0; k < in.values.size(); ++k)
    inputParams.push_back(in.paramOf(k));
  size_t flags = 0;
  for (auto [i, p] : llvm::enumerate(params)) {
    const json::Object *o = p.getAsObject();
    flags += o && (o->getString("name") == "training" ||
                   (o->getString("name") == "mask" &&
                    !llvm::is_contained(inputParams, i)));
  }
  // The statics of positional parameters (not of keyword-only ones, nor
  // the flags, counted above: `m.call(x, training=False)`).
  size_t positionalStatics = llvm::count_if(in.statics, [&](auto &st) {
    return st.name != "training" && st.name != "mask" &&
           hasParameter(method, st.name, /*keywordOnly=*/false);
  });
  if (params.size() - 1 - given - positionalStatics - flags > defaults) {
    std::string required;
    for (size_t i = 1; i < params.size() - defaults; ++i)
      required += (i > 1 ? ", " : "") +
                  params[i].getAsObject()->getString("name").value_or("").str();
    return error(method, "'" + model.className + "." + name + "' takes " +
                             std::to_string(params.size() - 1 - defaults) +
                             " inputs without defaults (" + required +
                             "), given " + std::to_string(given) +
                             ": pass each, as model(" + required + ")");
  }
  bool first = model.methods.empty();
  if (first) {
    // Every layer is configured, used or not, as Keras makes them all; each
    // that fails is reported (every unsupported class at once).
    bool configured = true;
    for (const json::Value &a : *model.model->getArray("attributes"))
      if (const json::Object *o = a.getAsObject())
        if (o->getString("kind") == "layer" &&
            failed(layer(model, o->getString("attr").value_or(""))))
          configured = false;
    if (!configured)
      return failure();
    if (failed(mapKerasWeights(model)) ||
        failed(makeOwnWeights(model, method, in)))
      return failure();
    OpBuilder detached(context);
    model.op = ModelOp::create(detached, loc(*model.model), model.var);
    model.handle = *model.op;
    model.handle.setClassNameAttr(builder.getStringAttr(model.className));
  }
  OpBuilder inModel = OpBuilder::atBlockEnd(&model.handle.getBody().front());
  // The same method for other Python values of its parameters is another
  // predict.method: `encode_1`, ...
  std::string symbol = name.str();
  for (unsigned k = 1; model.handle.lookupSymbol(symbol); ++k)
    symbol = (name + "_" + llvm::Twine(k)).str();
  ModelMethod &converted =
      *model.methods.emplace_back(std::make_unique<ModelMethod>());
  converted.op = MethodOp::create(inModel, loc(method), symbol,
                                  builder.getFunctionType(inputs, {}));
  converted.node = &method;
  converted.statics = in.staticsKey();
  converted.inputs = inputs;
  converted.listInput = in.list;
  converted.positionalInput = in.positional;
  converted.inputParams = in.paramList();
  const json::Object &param = *params[1].getAsObject();
  Block *entry = new Block();
  converted.op.getBody().push_back(entry);
  SmallVector<Value> args;
  for (auto [i, t] : llvm::enumerate(inputs))
    args.push_back(entry->addArgument(
        t, loc(*params[in.positional ? in.paramOf(i) : 1].getAsObject())));
  // Keras passes a mask on an input into the model's layers; predict does
  // not follow it there: unknown inside (an error where a layer applies it).
  std::optional<keras::MaskLayer> inputMaskMadeBy;
  bool inputMasked = false;
  for (auto [arg, value] : llvm::zip(args, in.values)) {
    keras::MaskState mask = kerasMasks.lookup(value);
    converted.maskedInputs.push_back(mask.any());
    if (mask.any() && !inputMasked) {
      inputMasked = true;
      inputMaskMadeBy = mask.madeBy;
    }
    if (mask.any())
      kerasMasks[arg] = {Value(), keras::MaskLayer{model.var, model.className},
                         mask.madeBy};
  }

  FunctionScope fn;
  fn.function = &method;
  fn.model = &model;
  std::string paramName = param.getString("name").value_or("").str();
  if (in.list) {
    // The inputs as the list Keras passes: `a, b = inputs`, `inputs[0]`.
    auto list = std::make_shared<ListValue>();
    list->node = &param;
    list->owner = &fn;
    list->ownerName = name.str();
    list->elements = args;
    fn.env[paramName] = PyValue::of(list);
  } else {
    for (auto [i, arg] : llvm::enumerate(args))
      fn.env[params[in.paramOf(i)]
                 .getAsObject()
                 ->getString("name")
                 .value_or("")
                 .str()] = PyValue::tensor(arg);
  }
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(entry);
  for (const ModelInputs::Static &given : in.statics) {
    if (given.value->kind() == json::Value::Null ||
        given.value->getAsString() ||
        (given.value->getAsObject() &&
         (given.value->getAsObject()->getObject("dict") ||
          given.value->getAsObject()->getArray("tuple")))) {
      fn.known.try_emplace(given.name, *given.value);
      continue;
    }
    FailureOr<PyValue> value = knownPyValue(*given.value, *given.node);
    if (failed(value))
      return failure();
    fn.env[given.name] = *value;
  }
  // Keras's call context: training is False in this call and the calls it
  // makes, when this call is given training=False (or predict), or inside
  // one that was (bindDefaults: a default of False too).
  llvm::SaveAndRestore<bool> context(trainingFalseContext,
                                     trainingFalseContext || in.trainingFalse);
  // (Given a copy: json::Value's assignment from itself empties it.)
  llvm::SaveAndRestore<std::optional<json::Value>> contextValue(
      trainingContextValue,
      std::optional<json::Value>(in.trainingFalse ? in.trainingValue
                                                  : trainingContextValue));
  // The context the conversion is keyed by: its caller's (a false default
  // sets it for the calls inside, in bindDefaults).
  bool calledInFalse = trainingFalseContext;
  std::optional<json::Value> calledWith = trainingContextValue;
  // Whether this conversion (and those it makes) reads that context; the
  // outer conversion's flag is kept and given this one's.
  bool outerRead = trainingContextRead;
  trainingContextRead = false;
  llvm::scope_exit keepRead(
      [&] { trainingContextRead = outerRead || trainingContextRead; });
  // Every parameter not given (before an input given by keyword, too).
  // (A method called by name and given training=False gets False.)
  if (failed(bindDefaults(fn, method, 1, in.byName && !in.trainingFalse)))
    return failure();
  // A `mask` parameter left None beside a masked input: Keras's __call__
  // passes the input's mask there (Masking, Embedding(mask_zero=True)),
  // which predict does not compute here (helper-144: None was read, the
  // unmasked result).
  if (auto it = fn.known.find("mask");
      it != fn.known.end() && it->second.kind() == json::Value::Null &&
      !fn.env.count("mask") && llvm::is_contained(converted.maskedInputs, true))
    return error(method, "'" + model.className + "." + name +
                             "' takes `mask`, and its input carries a Keras "
                             "mask (of a Masking or Embedding(mask_zero=True) "
                             "layer), which Keras passes there: predict does "
                             "not compute it here; pass the mask explicitly "
                             "(mask=...)");
  llvm::SaveAndRestore<FunctionScope *> inMethod(scope, &fn);
  llvm::SaveAndRestore<ModelMethod *> converting(model.converting, &converted);
  llvm::SaveAndRestore<ModelState *> emittingInto(emitting, &model);
  FailureOr<SmallVector<PyValue>> returned = body(*method.getArray("body"));
  if (failed(returned))
    return failure();
  // One tensor, or several (`return y, z`: Keras's model of several
  // outputs gives a tuple).
  SmallVector<Value> results;
  for (const PyValue &v : *returned) {
    if (!v.isTensor())
      return error(*fn.returnNode, "'" + model.className + "." + name +
                                       "' returns a value that is not a "
                                       "tensor; a model call returns "
                                       "tensors");
    results.push_back(v.value);
    // A mask on a result comes out of the model unknown, as one going in.
    keras::MaskState mask = kerasMasks.lookup(v.value);
    if (mask.any())
      mask = {Value(), keras::MaskLayer{model.var, model.className},
              mask.madeBy};
    // A class that passes masks on (supports_masking, compute_mask): its
    // input's mask, or the one it computes, comes out unknown too (an
    // error where a layer applies it; helper-145: it was dropped).
    else if (model.model->getBoolean("passes_masks").value_or(false) &&
             (inputMasked || methodNamed(*model.model, "compute_mask")))
      mask = {Value(), keras::MaskLayer{model.var, model.className},
              inputMaskMadeBy};
    converted.resultMasks.push_back(mask);
  }
  ReturnOp::create(builder, loc(*fn.returnNode), results);
  converted.results = llvm::to_vector(ValueRange(results).getTypes());
  converted.op.setFunctionType(
      builder.getFunctionType(inputs, converted.results));
  converted.converted = true;
  converted.returnsSequence = fn.returnsSequence;
  if (trainingContextRead)
    converted.statics += trainingContextKey(calledInFalse, calledWith);
  if (!first)
    return &converted;
  if (holder) {
    // Before the holder's methods, which call it.
    holder->handle.getBody().front().getOperations().insert(
        Block::iterator(holder->methods.front()->op), model.op.release());
    return &converted;
  }
  convertedModels.push_back(&model);
  return &converted;
}

LogicalResult ProgramBuilder::bindDefaults(FunctionScope &fn,
                                           const json::Object &method,
                                           size_t first, bool byName) {
  // The parameters not passed keep their defaults, which the method may
  // read: `training` is False (predict compiles inference, as Keras's
  // predict calls `call` with training=False); the others are their
  // defaults, evaluated as `def` evaluates them.
  const json::Array &params = *method.getArray("params");
  const json::Array *defaultNodes = method.getArray("defaults");
  size_t defaults = defaultNodes ? defaultNodes->size() : 0;
  for (size_t i = first; i < params.size(); ++i) {
    const json::Object *p = params[i].getAsObject();
    llvm::StringRef pname = p ? p->getString("name").value_or("") : "";
    if (fn.env.count(pname) || fn.known.count(pname))
      continue; // given a Python value at the call
    if (pname == "training" && !byName) {
      const json::Value *given =
          i + defaults >= params.size()
              ? &(*defaultNodes)[i + defaults - params.size()]
              : nullptr;
      if (given && failed(trainingDefault(method, *given)))
        return failure();
      bindTrainingLeft(fn, method, pname, given, loc(*p));
      continue;
    }
    // Keras's mask without a default: None, as Keras 2's __call__ passes
    // it (the inputs' masks, none here; `mask=None` given: helper-144).
    if (pname == "mask" && i + defaults < params.size()) {
      fn.known.try_emplace(pname, nullptr);
      continue;
    }
    if (i + defaults < params.size())
      return error(method, "'" + method.getString("name").value_or("") +
                               "' is not given its parameter '" + pname +
                               "', which has no default (Python raises "
                               "TypeError)");
    const json::Object *given =
        (*defaultNodes)[i + defaults - params.size()].getAsObject();
    // Evaluated as `def` evaluates it, at module level: a number, bool,
    // string or None known at import (`scale=2.0`, `mode="max"`).
    if (given && failed(bindDefault(fn, pname, *given)))
      return failure();
  }
  // The keyword-only parameters (after `*` or `*args`): the caller's
  // Python values, else their defaults, `training` False.
  const json::Array &kwDefaults = arrayOr(method.getArray("kw_defaults"));
  for (auto [i, p] : llvm::enumerate(arrayOr(method.getArray("kwonly")))) {
    const json::Object *o = p.getAsObject();
    llvm::StringRef pname = o ? o->getString("name").value_or("") : "";
    if (fn.env.count(pname) || fn.known.count(pname))
      continue;
    if (pname == "training" && !byName) {
      const json::Value *given =
          i < kwDefaults.size() && kwDefaults[i].getAsObject() ? &kwDefaults[i]
                                                               : nullptr;
      if (given && failed(trainingDefault(method, *given)))
        return failure();
      bindTrainingLeft(fn, method, pname, given, loc(*o));
      continue;
    }
    const json::Object *given =
        i < kwDefaults.size() ? kwDefaults[i].getAsObject() : nullptr;
    if (!given)
      return error(method, "'" + method.getString("name").value_or("") +
                               "' is not given its keyword-only parameter '" +
                               pname +
                               "', which has no default (Python raises "
                               "TypeError)");
    if (failed(bindDefault(fn, pname, *given)))
      return failure();
  }
  // *args and **kwargs given nothing (staticArguments binds what they are
  // given).
  if (std::optional<llvm::StringRef> vararg = method.getString("vararg"))
    fn.known.try_emplace(*vararg, json::Object{{"tuple", json::Array()}});
  if (std::optional<llvm::StringRef> kwarg = method.getString("kwarg"))
    fn.known.try_emplace(*kwarg, json::Object{{"dict", json::Object()}});
  return success();
}

/// Where the call `node` of `method` leaves its `training` parameter
/// (positional or keyword-only) to its default: that default's node, null
/// when it has none; std::nullopt when `method` has no `training`
/// parameter or the call gives it (by position or keyword).
static std::optional<const json::Value *>
trainingLeftToDefault(const json::Object &node, const json::Object &method) {
  const json::Array &params = arrayOr(method.getArray("params"));
  const json::Array &defaults = arrayOr(method.getArray("defaults"));
  const json::Array &kwonly = arrayOr(method.getArray("kwonly"));
  const json::Array &kwDefaults = arrayOr(method.getArray("kw_defaults"));
  auto isTraining = [](const json::Value &p) {
    return p.getAsObject() && p.getAsObject()->getString("name") == "training";
  };
  auto at = llvm::find_if(params, isTraining);
  auto kwAt = llvm::find_if(kwonly, isTraining);
  if (at == params.end() && kwAt == kwonly.end())
    return std::nullopt;
  // (`self` is parameter 0, the call's first argument parameter 1.)
  size_t position = at - params.begin();
  if ((at != params.end() &&
       position <= arrayOr(node.getArray("args")).size()) ||
      llvm::any_of(arrayOr(node.getArray("keywords")),
                   [](const json::Value &k) {
                     return k.getAsObject() &&
                            k.getAsObject()->getString("arg") == "training";
                   }))
    return std::nullopt;
  if (at != params.end())
    return position + defaults.size() >= params.size()
               ? &defaults[position + defaults.size() - params.size()]
               : nullptr;
  size_t kwPosition = kwAt - kwonly.begin();
  return kwPosition < kwDefaults.size() ? &kwDefaults[kwPosition] : nullptr;
}

LogicalResult ProgramBuilder::directCallTraining(const json::Object &node,
                                                 const json::Object &model) {
  const json::Object *call = findMethod(model, "call");
  std::optional<const json::Value *> left =
      call ? trainingLeftToDefault(node, *call) : std::nullopt;
  if (!left || !*left)
    return success();
  // `m.call(x)` skips Keras's __call__: call's own `training` is its
  // default whatever the caller's mode (helper-122: an inner model's
  // `self.inner.call(x)` under predict ran as inference where Keras
  // trains).
  llvm::SaveAndRestore<bool> outside(trainingFalseContext, false);
  return trainingDefault(*call, **left);
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::selfCall(const json::Object &node, ModelState &model) {
  // `self(x)` in a method: the model's own `call`, converted in place as
  // `self.call(x)` is (Keras's __call__ runs call, passing on its
  // arguments: `self(x, 2.0)`, `self(x, scale=2.0)`).
  const json::Object *method = findMethod(*model.model, "call");
  if (!method)
    return error(node, "'" + model.className +
                           "' defines no 'call' method for self(...) to run");
  if ((model.converting && model.converting->node == method) ||
      llvm::is_contained(inlining, method))
    return error(node, "self(...) inside '" + model.className +
                           ".call' calls call itself: recursion is not "
                           "supported (Keras would recurse without end)");
  // Keras's __call__ takes training= and mask= whether or not call has
  // such a parameter; given to one without, they are checked as a layer
  // call's are (training=False or None, mask=None), then dropped.
  json::Array keywords, flags;
  for (const json::Value &k : arrayOr(node.getArray("keywords"))) {
    const json::Object *kw = k.getAsObject();
    std::optional<llvm::StringRef> arg =
        kw ? kw->getString("arg") : std::nullopt;
    bool flag = arg && (*arg == "training" || *arg == "mask") &&
                !hasParameter(*method, *arg, /*keywordOnly=*/true);
    (flag ? flags : keywords).push_back(k);
  }
  // A `training` parameter (positional or keyword-only) that the call
  // leaves to its default gets what Keras's __call__ passes: False inside a
  // call context of training=False (Keras's predict_step, a caller given
  // training=False), else call's default, bound as any default (None where
  // there is none, as Keras 2 passes it). A true default there is Keras's
  // training mode, refused as bindDefaults refuses it (session 43:
  // `self(data)` in a predict_step ran as inference where Keras trains).
  // Keras's __call__ given training=False (`self(data, training=False)`
  // in a predict_step) sets the call context of the calls `call` makes
  // (helper-125: an inner layer's default None reached it).
  ModelInputs given;
  giveTraining(given, node, *method, /*predicting=*/false);
  llvm::SaveAndRestore<bool> context(
      trainingFalseContext, trainingFalseContext || given.trainingFalse);
  llvm::SaveAndRestore<std::optional<json::Value>> contextValue(
      trainingContextValue,
      std::optional<json::Value>(given.trainingFalse ? given.trainingValue
                                                     : trainingContextValue));
  if (std::optional<const json::Value *> left =
          trainingLeftToDefault(node, *method)) {
    if (*left && failed(trainingDefault(*method, **left)))
      return failure();
    if (method->get("body") && readsName(*method->get("body"), "training"))
      trainingContextRead = true;
    if (trainingFalseContext || !*left)
      keywords.push_back(located(
          json::Object{
              {"node", "keyword"},
              {"arg", "training"},
              {"value",
               located(json::Object{{"node", "Constant"},
                                    {"value", !trainingFalseContext
                                                  ? json::Value(nullptr)
                                              : trainingContextValue
                                                  ? *trainingContextValue
                                                  : json::Value(false)}},
                       node)}},
          node));
  }
  if (flags.empty() &&
      keywords.size() == arrayOr(node.getArray("keywords")).size())
    return helperResults(*method, node, &model);
  json::Object checked = node, kept = node;
  const json::Array &args = arrayOr(node.getArray("args"));
  checked["args"] =
      args.empty() ? json::Array() : json::Array{json::Value(args[0])};
  checked["keywords"] = std::move(flags);
  if (!args.empty() && !arrayOr(checked.getArray("keywords")).empty() &&
      failed(checkCallArguments(checked, false, 1, 1)))
    return failure();
  kept["keywords"] = std::move(keywords);
  return helperResults(*method, synthesize(std::move(kept)), &model);
}

//===----------------------------------------------------------------------===//
// Lists and dicts of layers: `self.blocks = [Dense(8) for _ in range(3)]`
//===----------------------------------------------------------------------===//

const json::Object *ProgramBuilder::layerGroup(const json::Object &node) {
  const json::Object *base = node.getObject("value");
  if (!scope || !scope->model || node.getString("node") != "Attribute" ||
      !base || base->getString("node") != "Name" ||
      base->getString("id") != "self")
    return nullptr;
  return findAttribute(*scope->model->model,
                       node.getString("attr").value_or(""), "layers");
}

FailureOr<std::optional<std::string>>
ProgramBuilder::heldLayer(const json::Object &node) {
  using Result = FailureOr<std::optional<std::string>>;
  if (!scope || !scope->model)
    return Result(std::nullopt);
  llvm::StringRef kind = node.getString("node").value_or("");
  const json::Object *base = node.getObject("value");
  // self.d1
  if (kind == "Attribute" && base && base->getString("node") == "Name" &&
      base->getString("id") == "self" && !scope->env.count("self") &&
      holdsCallable(*scope->model->model, node.getString("attr").value_or("")))
    return Result(node.getString("attr").value_or("").str());
  // self.blocks[0], self.heads["a"]
  if (kind == "Subscript" && base && node.getObject("slice"))
    if (const json::Object *group = layerGroup(*base)) {
      FailureOr<std::string> item =
          layerItem(*group, *node.getObject("slice"), node);
      if (failed(item))
        return failure();
      return Result(*item);
    }
  // blk of an enclosing `for blk in self.blocks`
  if (kind == "Name")
    if (auto it = scope->layerAliases.find(node.getString("id").value_or(""));
        it != scope->layerAliases.end())
      return Result(it->second);
  return Result(std::nullopt);
}

const json::Object *ProgramBuilder::heldGroup(const json::Object &node) {
  const json::Object *base = node.getObject("value");
  if (!scope || !scope->model || kindOf(node) != "Attribute" || !base ||
      (kindOf(*base) != "Attribute" && kindOf(*base) != "Name" &&
       kindOf(*base) != "Subscript"))
    return nullptr;
  FailureOr<std::optional<std::string>> held = heldLayer(*base);
  if (failed(held) || !*held)
    return nullptr;
  std::string attr = **held;
  const json::Object *model = heldModelAttribute(*scope->model->model, attr);
  if (!model)
    return nullptr;
  return findAttribute(*model->getObject("model"),
                       node.getString("attr").value_or(""), "layers");
}

std::optional<json::Object>
ProgramBuilder::throughHeldAlias(const json::Object &node) {
  const json::Object *func = node.getObject("func");
  // The name at the root of the callee (`blk` of `blk(x)`, `blk.p(x)`).
  const json::Object *root = func;
  while (root && (kindOf(*root) == "Attribute" || kindOf(*root) == "Subscript"))
    root = root->getObject("value");
  if (!root || kindOf(*root) != "Name")
    return std::nullopt;
  auto it = scope->heldAliases.find(root->getString("id").value_or(""));
  if (it == scope->heldAliases.end())
    return std::nullopt;
  std::function<json::Value(const json::Object &)> rebuilt =
      [&](const json::Object &n) -> json::Value {
    if (&n == root)
      return json::Object(it->second);
    json::Object copy = n;
    if (const json::Object *value = n.getObject("value"))
      copy["value"] = rebuilt(*value);
    return copy;
  };
  json::Object call = node;
  call["func"] = rebuilt(*func);
  return call;
}

FailureOr<std::string> ProgramBuilder::layerItem(const json::Object &group,
                                                 const json::Object &key,
                                                 const json::Object &at) {
  const json::Array *items = group.getArray("items");
  const json::Array *keys = group.getArray("keys");
  std::string name = "self." + group.getString("attr").value_or("").str();
  if (!items)
    return error(at, "the program JSON has a list of layers without items");
  const json::Value *known = knownValue(key);
  const json::Value *literal =
      key.getString("node") == "Constant" ? key.get("value") : nullptr;
  if (!known)
    known = literal;
  if (keys) {
    std::optional<llvm::StringRef> k = known ? known->getAsString()
                                             : std::nullopt;
    if (!k)
      return error(key, name + " is a dict of layers: its key must be a "
                               "string known at import, not '" +
                               source(key) + "'");
    for (auto [i, each] : llvm::enumerate(*keys))
      if (each.getAsString() == *k)
        return (*items)[i].getAsString().value_or("").str();
    return error(key, name + " has no key " + pythonRepr(*k) +
                          " (Python raises KeyError)");
  }
  FailureOr<std::optional<int64_t>> i = knownInteger(key);
  if (failed(i))
    return failure();
  if (!*i)
    return error(key, name +
                          " is a list of layers: it is indexed by an "
                          "integer known at import, not '" +
                          source(key) +
                          "' (loop over it with `for "
                          "layer in " +
                          name + ":`)");
  int64_t count = items->size();
  int64_t index = **i < 0 ? **i + count : **i;
  if (index < 0 || index >= count)
    return error(at, "index " + llvm::Twine(**i) + " is out of range for " +
                         name + ", which holds " + llvm::Twine(count) +
                         " layers (Python raises IndexError)");
  return (*items)[index].getAsString().value_or("").str();
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::callItem(const json::Object &node, ModelState &model,
                         llvm::StringRef attr) {
  if (findAttribute(*model.model, attr, "layer")) {
    return applyLayer(node, model, attr);
  }
  if (findAttribute(*model.model, attr, "model"))
    return callHeldModel(node, model, attr);
  if (const json::Object *td =
          findAttribute(*model.model, attr, "time_distributed"))
    return timeDistributed(node, model, attr,
                           td->getString("target").value_or(""));
  // `self.e = self.d`: the same layer or model.
  if (const json::Object *alias = findAttribute(*model.model, attr, "alias"))
    return callItem(node, model, alias->getString("target").value_or(""));
  return error(node, "'" + attr + "' is not a layer or model of '" +
                         model.className + "'");
}

//===----------------------------------------------------------------------===//
// Constants of a model: `self.shift = tf.constant([...])`
//===----------------------------------------------------------------------===//

FailureOr<PyValue> ProgramBuilder::modelConstant(const json::Object &node,
                                                 const json::Object &constant) {
  const json::Array *args = constant.getArray("args");
  const json::Object *kwargs = constant.getObject("kwargs");
  const json::Array *argLocs = constant.getArray("arg_locs");
  if (args && args->size() > 2) {
    auto [line, col] =
        position(argLocs && argLocs->size() > 2 ? &(*argLocs)[2] : nullptr);
    Location at = line ? Location(FileLineColLoc::get(context, file, line, col))
                       : loc(constant);
    return emitError(at) << "give tf.constant's arguments after the value "
                            "and dtype by name (shape=, name=)";
  }
  // A dtype as the reader writes it: "int32", or tf.int32 as
  // {"function": "tensorflow.int32"}; null for another.
  auto dtypeOf = [&](const json::Value &v) -> Type {
    const json::Object *o = v.getAsObject();
    llvm::StringRef name = v.getAsString().value_or("");
    if (o)
      name = o->getString("function").value_or("");
    return dtypeNamed(builder, name);
  };
  const json::Value *value = args && !args->empty() ? &(*args)[0] : nullptr;
  Type dtype, hint;
  if (args && args->size() == 2 && (*args)[1].kind() != json::Value::Null &&
      !(dtype = dtypeOf((*args)[1]))) {
    auto [line, col] =
        position(argLocs && argLocs->size() > 1 ? &(*argLocs)[1] : nullptr);
    Location at = line ? Location(FileLineColLoc::get(context, file, line, col))
                       : loc(constant);
    return emitError(at) << "tf.constant's dtype " << pythonRepr((*args)[1])
                         << " is not supported: " << kConstantDtypes;
  }
  for (const auto &[key, v] : kwargs ? *kwargs : emptyObject()) {
    if (key == "value" && !value) {
      value = &v;
      continue;
    }
    if (key == "name" || ((key == "dtype" || key == "dtype_hint") &&
                          v.kind() == json::Value::Null))
      continue;
    if (key == "dtype" && (dtype = dtypeOf(v)))
      continue;
    if (key == "dtype_hint" && (hint = dtypeOf(v)))
      continue;
    const json::Object *kwargLocs = constant.getObject("kwarg_locs");
    auto [line, col] = position(kwargLocs ? kwargLocs->get(key) : nullptr);
    Location at = line ? Location(FileLineColLoc::get(context, file, line, col))
                       : loc(constant);
    return emitError(at) << "tf.constant's '" << key.str() << "="
                         << pythonRepr(v) << "' is not supported: "
                         << (key == "dtype" || key == "dtype_hint"
                                 ? kConstantDtypes
                                 : kConstantShape);
  }
  if (!value)
    return error(constant, "tf.constant needs a value");
  // The same literal constant as tf.constant inside converted code.
  FailureOr<Value> c = literalConstant(*value, constant, dtype, hint);
  if (failed(c))
    return failure();
  return PyValue::tensor(*c);
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::modelAttribute(const json::Object &node) {
  const json::Object *base = node.getObject("value");
  if (!scope || !scope->model || !base || base->getString("node") != "Name" ||
      base->getString("id") != "self")
    return std::nullopt;
  // A hyperparameter (`self.steps = steps` in __init__): PythonValues.cpp.
  if (const json::Value *known = knownValue(node))
    return knownPyValue(*known, node);
  // A weight the layer made (`self.w = self.add_weight(...)`).
  if (std::optional<FailureOr<PyValue>> w =
          ownWeight(node, node.getString("attr").value_or("")))
    return *w;
  const json::Object *constant = findAttribute(
      *scope->model->model, node.getString("attr").value_or(""), "constant");
  if (!constant)
    return std::nullopt;
  return modelConstant(node, *constant);
}

LogicalResult ProgramBuilder::finishModels() {
  // The models before the functions, each after the models it calls.
  Block &top = *module.getBody();
  auto at = top.begin();
  for (ModelState *model : convertedModels)
    top.getOperations().insert(at, model->op.release());
  if (failed(checkWeightLoads()))
    return failure();
  std::vector<std::string> unused = unusedWeights();
  if (!unused.empty())
    return emitError(FileLineColLoc::get(context, file, 1, 1))
           << "the weights file has entries no layer uses: "
           << llvm::join(unused, ", ");
  return success();
}

LogicalResult ProgramBuilder::checkWeightLoads() {
  if (!options.weights.empty())
    return success();
  for (const json::Value &v : arrayOr(program->getArray("weight_loads"))) {
    const json::Object *load = v.getAsObject();
    if (!load)
      continue;
    llvm::StringRef model = load->getString("model").value_or("");
    bool converted = llvm::any_of(
        convertedModels, [&](ModelState *m) { return m->var == model; });
    if (!converted)
      continue;
    llvm::StringRef text = load->getString("text").value_or("");
    llvm::StringRef method = load->getString("method").value_or("");
    // (--weights reads Keras's files and .npz, not TensorFlow's
    // checkpoints.)
    std::string advice =
        method == "load_weights"
            ? "give the file it loads with --weights" +
                  (load->getString("path")
                       ? "=" + load->getString("path")->str()
                       : std::string())
            : "save the weights it sets (model.save_weights(\"w.weights.h5\")"
              " after it) and give them with --weights=w.weights.h5";
    return error(*load, "'" + text + "' sets the weights of the model '" +
                            model +
                            "' when the program runs, and predict converts "
                            "the program without running it: without "
                            "--weights the model would compute with weights "
                            "drawn by its initializers; " +
                            advice);
  }
  return success();
}
