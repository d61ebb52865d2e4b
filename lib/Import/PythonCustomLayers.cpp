//===- PythonCustomLayers.cpp - a layer's own weights: add_weight, build --===//
//
// A custom layer (keras.io/guides/making_new_layers_and_models_via_
// subclassing) is a class of the file deriving from tf.keras.layers.Layer:
// it converts as a model class does, and makes weights of its own with
// `self.w = self.add_weight(shape, initializer, ...)`, in `__init__` (the
// reader evaluates their arguments, attributes of kind "weight") or in
// `build(self, input_shape)`, which Keras runs at the first call with the
// input's shape. predict runs `build` at import, at the layer's first call:
// its statements are Python's on values known then (the input's static
// sizes, hyperparameters, module constants); each weight is then read from
// --weights or drawn by its initializer, and `self.w` in the layer's methods
// is that constant tensor.
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {

/// A Python value `build` computes with: an int, None, a string, a bool, or
/// a tuple of these.
struct BuildValue {
  enum Kind { Int, None, Str, Bool, Tuple, Float } kind = None;
  int64_t i = 0;
  std::string s;
  std::vector<BuildValue> items;
  /// (Float) A Python float (`self.scale = d ** -0.5`).
  double f = 0;
};

/// A value as the reader writes it (`{"int": "4"}`, `{"tuple": [...]}`, a
/// string, a bool, null), or std::nullopt for another (a float).
std::optional<BuildValue> fromReader(const json::Value &v) {
  BuildValue out;
  if (v.kind() == json::Value::Null)
    return out;
  if (std::optional<bool> b = v.getAsBoolean()) {
    out.kind = BuildValue::Bool;
    out.i = *b;
    return out;
  }
  if (std::optional<llvm::StringRef> s = v.getAsString()) {
    out.kind = BuildValue::Str;
    out.s = s->str();
    return out;
  }
  const json::Object *o = v.getAsObject();
  if (!o)
    return std::nullopt;
  if (std::optional<llvm::StringRef> text = o->getString("int")) {
    out.kind = BuildValue::Int;
    if (text->getAsInteger(10, out.i))
      return std::nullopt;
    return out;
  }
  if (std::optional<llvm::StringRef> text = o->getString("float")) {
    out.kind = BuildValue::Float;
    llvm::APFloat f(llvm::APFloat::IEEEdouble());
    if (!parseFloatText(*text, f))
      return std::nullopt;
    out.f = f.convertToDouble();
    return out;
  }
  const json::Array *items = o->getArray("tuple");
  if (!items)
    items = o->getArray("list");
  if (!items)
    return std::nullopt;
  out.kind = BuildValue::Tuple;
  for (const json::Value &item : *items) {
    std::optional<BuildValue> b = fromReader(item);
    if (!b)
      return std::nullopt;
    out.items.push_back(*b);
  }
  return out;
}

/// `v` as the reader writes values.
json::Value toReader(const BuildValue &v) {
  switch (v.kind) {
  case BuildValue::Int:
    return json::Object{{"int", std::to_string(v.i)}};
  case BuildValue::None:
    return nullptr;
  case BuildValue::Str:
    return v.s;
  case BuildValue::Bool:
    return bool(v.i);
  case BuildValue::Float:
    return json::Object{{"float", pythonFloatRepr(v.f)}};
  case BuildValue::Tuple: {
    json::Array items;
    for (const BuildValue &item : v.items)
      items.push_back(toReader(item));
    return json::Object{{"tuple", std::move(items)}};
  }
  }
  return nullptr;
}

/// The numbers of a value the reader wrote (`{"float": "1.5"}`, lists and
/// tuples of them), in row-major order.
void flatten(const json::Value &v, std::vector<float> &out) {
  const json::Object *n = v.getAsObject();
  if (!n)
    return;
  for (llvm::StringRef key : {"list", "tuple"})
    if (const json::Array *items = n->getArray(key)) {
      for (const json::Value &item : *items)
        flatten(item, out);
      return;
    }
  for (llvm::StringRef key : {"float", "int"})
    if (std::optional<llvm::StringRef> text = n->getString(key))
      out.push_back(float(std::strtod(text->str().c_str(), nullptr)));
}

std::string repr(const BuildValue &v) {
  switch (v.kind) {
  case BuildValue::Int:
    return std::to_string(v.i);
  case BuildValue::None:
    return "None";
  case BuildValue::Str:
    return pythonRepr(llvm::StringRef(v.s));
  case BuildValue::Bool:
    return v.i ? "True" : "False";
  case BuildValue::Tuple: {
    std::string text = "(";
    for (auto [k, item] : llvm::enumerate(v.items))
      text += (k ? ", " : "") + repr(item);
    return text + (v.items.size() == 1 ? ",)" : ")");
  }
  }
  return "?";
}

} // namespace

namespace mlir::predict::python {

/// Runs `__init__`'s add_weight attributes and `build` for one layer.
class OwnWeightMaker {
public:
  OwnWeightMaker(ProgramBuilder &b, ModelState &model) : b(b), model(model) {}

  /// `self.add_weight(...)` with its arguments: Keras 3's order (shape,
  /// initializer, dtype, trainable), or Keras 2's (name, shape, dtype,
  /// initializer) when the first is a string.
  LogicalResult
  addWeight(llvm::StringRef attr, const json::Object &at,
            std::vector<BuildValue> args,
            std::vector<std::pair<std::string, BuildValue>> kwargs) {
    static const char *keras3[] = {"shape", "initializer", "dtype",
                                   "trainable"};
    static const char *keras2[] = {"name", "shape", "dtype", "initializer"};
    bool two = !args.empty() && args[0].kind == BuildValue::Str;
    std::map<std::string, BuildValue> given;
    for (auto [k, v] : llvm::enumerate(args)) {
      if (k >= 4)
        return b.error(at, "self.add_weight: give its arguments after the " +
                               std::string(two ? "initializer" : "trainable") +
                               " by name");
      given[two ? keras2[k] : keras3[k]] = v;
    }
    for (auto &[name, v] : kwargs) {
      if (given.count(name))
        return b.error(at, "self.add_weight got multiple values for '" + name +
                               "' (Python raises TypeError)");
      given[name] = v;
    }
    OwnWeight w;
    w.attr = attr.str();
    w.at = &at;
    for (auto &[name, v] : given) {
      if (name == "shape") {
        if (v.kind == BuildValue::Int)
          w.shape.push_back(v.i);
        else if (v.kind == BuildValue::Tuple)
          for (const BuildValue &d : v.items) {
            if (d.kind == BuildValue::None)
              return b.error(at, "self." + attr.str() +
                                     " = self.add_weight(...): its shape " +
                                     repr(v) +
                                     " has a size not known at import (the "
                                     "input's size on that axis): give it "
                                     "with --input-shape");
            if (d.kind != BuildValue::Int || d.i < 0)
              return b.error(at, "self." + attr.str() +
                                     " = self.add_weight(...): shape " +
                                     repr(v) +
                                     " must hold sizes that are ints, at "
                                     "least 0");
            w.shape.push_back(d.i);
          }
        else if (v.kind != BuildValue::None)
          return b.error(at, "self.add_weight: shape " + repr(v) +
                                 " is not a tuple of sizes");
      } else if (name == "initializer") {
        if (v.kind == BuildValue::Str)
          w.initializer = v.s;
        else if (v.kind != BuildValue::None)
          w.initializer = "?";
      } else if (name == "trainable") {
        w.trainable = v.kind != BuildValue::Bool || v.i;
      } else if (name == "dtype") {
        if (v.kind != BuildValue::None &&
            !(v.kind == BuildValue::Str && v.s == "float32"))
          return b.error(at, "self.add_weight: dtype " + repr(v) +
                                 " is not converted: a layer's own weights "
                                 "are float32");
      } else if (name == "value") {
        // (The reader's values of a tf.Variable of a literal: initWeights.)
      } else if (name != "name" && name != "regularizer" &&
                 name != "constraint" && name != "autocast" &&
                 name != "aggregation" && name != "synchronization" &&
                 name != "use_resource" && name != "experimental_autocast") {
        return b.error(at, "self.add_weight: '" + name +
                               "' is not an argument predict reads (shape, "
                               "initializer, dtype, trainable, name, "
                               "regularizer, constraint, aggregation)");
      }
    }
    // Keras's default initializer for a float weight.
    if (!given.count("initializer") ||
        given["initializer"].kind == BuildValue::None)
      w.initializer = "glorot_uniform";
    for (const OwnWeight &other : model.ownWeights)
      if (other.attr == w.attr)
        return b.error(at, "self." + attr.str() +
                               " is made twice: each weight of a layer is "
                               "one attribute");
    model.ownWeights.push_back(std::move(w));
    return success();
  }

  /// `__init__`'s weights: the reader evaluated their arguments.
  LogicalResult initWeights() {
    for (const json::Value &a : *model.model->getArray("attributes")) {
      const json::Object &o = *a.getAsObject();
      if (o.getString("kind") != "weight")
        continue;
      std::vector<BuildValue> args;
      std::vector<std::pair<std::string, BuildValue>> kwargs;
      for (const json::Value &v : *o.getArray("args")) {
        std::optional<BuildValue> bv = fromReader(v);
        if (!bv)
          return b.error(o, "self.add_weight: an argument " + pythonRepr(v) +
                                " predict does not read");
        args.push_back(*bv);
      }
      std::vector<float> initial;
      for (const auto &[key, v] : *o.getObject("kwargs")) {
        // The values of a tf.Variable of a literal (the reader's `value`).
        if (key == "value") {
          flatten(v, initial);
          continue;
        }
        // tf.float32, as the reader writes a dtype.
        const json::Object *f = v.getAsObject();
        if (key == "dtype" && f &&
            f->getString("function") == llvm::StringRef("tensorflow.float32")) {
          kwargs.push_back(
              {"dtype", BuildValue{BuildValue::Str, 0, "float32", {}}});
          continue;
        }
        std::optional<BuildValue> bv = fromReader(v);
        if (!bv) // an initializer object: named for the draw's message
          bv = BuildValue{BuildValue::Str, 0, pythonRepr(v), {}};
        kwargs.push_back({key.str(), *bv});
      }
      if (failed(addWeight(o.getString("attr").value_or(""), o, std::move(args),
                           std::move(kwargs))))
        return failure();
      model.ownWeights.back().initial = std::move(initial);
    }
    return success();
  }

  /// Runs `build(self, input_shape)` with the input's static shape.
  LogicalResult build(const json::Object &method, RankedTensorType input) {
    BuildValue shape{BuildValue::Tuple, 0, "", {}};
    for (int64_t d : input.getShape())
      shape.items.push_back(ShapedType::isDynamic(d)
                                ? BuildValue{}
                                : BuildValue{BuildValue::Int, d, "", {}});
    return run(method, shape);
  }

  /// Runs a build method given `shape`, with names of its own.
  LogicalResult run(const json::Object &method, const BuildValue &shape) {
    const json::Array &params = *method.getArray("params");
    if (params.size() != 2)
      return b.error(method, "build must take (self, input_shape), as Keras "
                             "calls it");
    std::map<std::string, BuildValue> outer = std::move(locals);
    locals.clear();
    locals[params[1].getAsObject()->getString("name").value_or("").str()] =
        shape;
    LogicalResult done = statements(*method.getArray("body"));
    locals = std::move(outer);
    return done;
  }

private:
  LogicalResult statements(const json::Array &body) {
    for (const json::Value &s : body)
      if (failed(statement(*s.getAsObject())))
        return failure();
    return success();
  }

  LogicalResult unsupported(const json::Object &node) {
    return b.error(node, "this statement of build is not converted: build "
                         "may make weights (self.w = self.add_weight(...)), "
                         "name and store values known at import (d = "
                         "input_shape[-1], self.d = d), decide an if on "
                         "them, and call super().build");
  }

  static bool isSelf(const json::Object *n) {
    return n && n->getString("node") == "Name" && n->getString("id") == "self";
  }

  LogicalResult statement(const json::Object &s) {
    llvm::StringRef kind = s.getString("node").value_or("");
    if (kind == "Pass")
      return success();
    if (kind == "Expr") {
      const json::Object *v = s.getObject("value");
      // A docstring; super().build(input_shape).
      if (v && v->getString("node") == "Constant")
        return success();
      const json::Object *f = v ? v->getObject("func") : nullptr;
      const json::Object *base = f ? f->getObject("value") : nullptr;
      // print(...) and tf.print(...) while Keras builds the layer, once
      // before its first call: output of the model's making, as in
      // __init__, which converted code does not hold.
      if (f && ((f->getString("node") == "Name" &&
                 f->getString("id") == "print" && !f->getString("qualified")) ||
                f->getString("qualified") == "tensorflow.print"))
        return success();
      if (f && f->getString("attr") == "build" && base &&
          base->getString("node") == "Call" && base->getObject("func") &&
          base->getObject("func")->getString("id") == "super")
        return success();
      // super().build(input_shape) of a class of the file that defines
      // build: the reader names it `self.build@Base`, run here in turn.
      if (f && isSelf(base) &&
          f->getString("attr").value_or("").starts_with("build@")) {
        const json::Object *parent =
            b.methodNamed(*model.model, *f->getString("attr"));
        const json::Array &args = *v->getArray("args");
        if (!parent || args.size() != 1)
          return unsupported(s);
        FailureOr<BuildValue> shape = eval(*args[0].getAsObject());
        if (failed(shape))
          return failure();
        return run(*parent, *shape);
      }
      return unsupported(s);
    }
    if (kind == "If") {
      FailureOr<BuildValue> test = eval(*s.getObject("test"));
      if (failed(test))
        return failure();
      bool taken = test->kind == BuildValue::Tuple ? !test->items.empty()
                   : test->kind == BuildValue::Str ? !test->s.empty()
                                                   : test->i != 0;
      return statements(*s.getArray(taken ? "body" : "orelse"));
    }
    if (kind != "Assign")
      return unsupported(s);
    const json::Array &targets = *s.getArray("targets");
    const json::Object *target =
        targets.size() == 1 ? targets[0].getAsObject() : nullptr;
    const json::Object &value = *s.getObject("value");
    if (!target)
      return unsupported(s);
    if (target->getString("node") == "Attribute" &&
        isSelf(target->getObject("value"))) {
      llvm::StringRef attr = target->getString("attr").value_or("");
      // Keras's own flag, which build may set.
      if (attr == "built")
        return success();
      const json::Object *f = value.getObject("func");
      if (!(value.getString("node") == "Call" && f &&
            f->getString("attr") == "add_weight" &&
            isSelf(f->getObject("value")))) {
        // A value known at import (`self.in_dim = input_shape[-1]`): a
        // hyperparameter of the layer's methods.
        FailureOr<BuildValue> v = eval(value, /*quiet=*/true);
        if (failed(v))
          return b.error(s, "build may store on self weights "
                            "(self.w = self.add_weight(...)) and values "
                            "known at import (self.d = input_shape[-1]); "
                            "make layers in __init__");
        model.builtValues.insert_or_assign(attr, toReader(*v));
        return success();
      }
      std::vector<BuildValue> args;
      std::vector<std::pair<std::string, BuildValue>> kwargs;
      for (const json::Value &a : *value.getArray("args")) {
        FailureOr<BuildValue> v = eval(*a.getAsObject());
        if (failed(v))
          return failure();
        args.push_back(*v);
      }
      for (const json::Value &k : *value.getArray("keywords")) {
        const json::Object &kw = *k.getAsObject();
        std::optional<llvm::StringRef> name = kw.getString("arg");
        if (!name)
          return b.error(kw, "self.add_weight(**kwargs) is not converted: "
                             "name each argument");
        // An initializer object (tf.keras.initializers.RandomNormal(...)):
        // named for the draw's message; a file gives its values.
        if (*name == "initializer") {
          FailureOr<BuildValue> v = eval(*kw.getObject("value"), true);
          kwargs.push_back(
              {name->str(), succeeded(v)
                                ? *v
                                : BuildValue{BuildValue::Str,
                                             0,
                                             b.source(*kw.getObject("value")),
                                             {}}});
          continue;
        }
        FailureOr<BuildValue> v = eval(*kw.getObject("value"));
        if (failed(v))
          return failure();
        kwargs.push_back({name->str(), *v});
      }
      return addWeight(attr, s, std::move(args), std::move(kwargs));
    }
    if (target->getString("node") != "Name")
      return unsupported(s);
    FailureOr<BuildValue> v = eval(value);
    if (failed(v))
      return failure();
    locals[target->getString("id").value_or("").str()] = *v;
    return success();
  }

  /// The value of `node` at import; `quiet`: no error (the caller has
  /// another reading).
  FailureOr<BuildValue> eval(const json::Object &node, bool quiet = false) {
    auto fail = [&](const llvm::Twine &why) -> FailureOr<BuildValue> {
      if (quiet)
        return failure();
      return b.error(node, "'" + b.source(node) + "' in build: " + why);
    };
    llvm::StringRef kind = node.getString("node").value_or("");
    if (const json::Value *folded = node.get("folded"))
      if (std::optional<BuildValue> v = fromReader(*folded))
        return *v;
    if (kind == "Constant") {
      if (std::optional<BuildValue> v = fromReader(*node.get("value")))
        return *v;
      return fail("only numbers, strings, bools and None are read in build");
    }
    if (kind == "Name") {
      llvm::StringRef id = node.getString("id").value_or("");
      if (auto it = locals.find(id.str()); it != locals.end())
        return it->second;
    }
    if (kind == "Name" || kind == "Attribute")
      if (const json::Value *known = b.knownValue(node))
        if (std::optional<BuildValue> v = fromReader(*known))
          return *v;
    if (kind == "Tuple" || kind == "List") {
      BuildValue out{BuildValue::Tuple, 0, "", {}};
      for (const json::Value &e : *node.getArray("elts")) {
        FailureOr<BuildValue> v = eval(*e.getAsObject(), quiet);
        if (failed(v))
          return failure();
        out.items.push_back(*v);
      }
      return out;
    }
    if (kind == "Attribute" && node.getString("attr") == "rank") {
      FailureOr<BuildValue> base = eval(*node.getObject("value"), quiet);
      if (failed(base))
        return failure();
      if (base->kind != BuildValue::Tuple)
        return fail("'.rank' of a value that is not a shape");
      return BuildValue{BuildValue::Int, int64_t(base->items.size()), "", {}};
    }
    if (kind == "Subscript" &&
        node.getObject("slice")->getString("node") == "Slice") {
      // input_shape[1:], input_shape[-1:]: Python's slice of a tuple.
      FailureOr<BuildValue> base = eval(*node.getObject("value"), quiet);
      if (failed(base))
        return failure();
      if (base->kind != BuildValue::Tuple)
        return fail("only a tuple (input_shape) is sliced in build");
      const json::Object &slice = *node.getObject("slice");
      int64_t n = base->items.size(), bound[3] = {0, n, 1};
      const char *parts[3] = {"lower", "upper", "step"};
      for (int k = 0; k < 3; ++k) {
        const json::Object *p = slice.getObject(parts[k]);
        if (!p)
          continue;
        FailureOr<BuildValue> v = eval(*p, quiet);
        if (failed(v))
          return failure();
        if (v->kind == BuildValue::None)
          continue;
        if (v->kind != BuildValue::Int || (k == 2 && v->i != 1))
          return fail("only int bounds and a step of 1 slice in build");
        bound[k] =
            k == 2 ? 1 : std::clamp<int64_t>(v->i < 0 ? v->i + n : v->i, 0, n);
      }
      BuildValue out{BuildValue::Tuple, 0, "", {}};
      for (int64_t k = bound[0]; k < bound[1]; ++k)
        out.items.push_back(base->items[k]);
      return out;
    }
    if (kind == "Subscript") {
      FailureOr<BuildValue> base = eval(*node.getObject("value"), quiet);
      if (failed(base))
        return failure();
      FailureOr<BuildValue> index = eval(*node.getObject("slice"), quiet);
      if (failed(index))
        return failure();
      if (base->kind != BuildValue::Tuple || index->kind != BuildValue::Int)
        return fail("only an int index of a tuple (input_shape[-1]) is "
                    "read in build");
      int64_t n = base->items.size(),
              k = index->i < 0 ? index->i + n : index->i;
      if (k < 0 || k >= n)
        return fail("index " + std::to_string(index->i) +
                    " is out of range for " + repr(*base) +
                    " (Python raises IndexError)");
      return base->items[k];
    }
    if (kind == "BinOp") {
      FailureOr<BuildValue> l = eval(*node.getObject("left"), quiet);
      if (failed(l))
        return failure();
      FailureOr<BuildValue> r = eval(*node.getObject("right"), quiet);
      if (failed(r))
        return failure();
      llvm::StringRef op = node.getString("op").value_or("");
      // Tuples: `(1,) + tuple(input_shape[1:])`, `[n] * 2`.
      if (op == "Add" && l->kind == BuildValue::Tuple &&
          r->kind == BuildValue::Tuple) {
        llvm::append_range(l->items, r->items);
        return *l;
      }
      if (op == "Mult" &&
          (l->kind == BuildValue::Tuple) != (r->kind == BuildValue::Tuple)) {
        const BuildValue &t = l->kind == BuildValue::Tuple ? *l : *r;
        const BuildValue &k = l->kind == BuildValue::Tuple ? *r : *l;
        if (k.kind != BuildValue::Int)
          return fail("a tuple is repeated by an int");
        BuildValue out{BuildValue::Tuple, 0, "", {}};
        for (int64_t j = 0; j < std::min<int64_t>(k.i, 1 << 16); ++j)
          llvm::append_range(out.items, t.items);
        return out;
      }
      if (l->kind == BuildValue::None || r->kind == BuildValue::None)
        return fail("a size not known at import (the input's size on that "
                    "axis): give it with --input-shape");
      // Floats (and an int beside one): Python's double arithmetic
      // (`self.scale = d ** -0.5`, `1.0 / d`; helper-139: refused).
      auto number = [](const BuildValue &v) -> std::optional<double> {
        if (v.kind == BuildValue::Float)
          return v.f;
        if (v.kind == BuildValue::Int)
          return double(v.i);
        return std::nullopt;
      };
      if ((l->kind == BuildValue::Float || r->kind == BuildValue::Float ||
           op == "Div" ||
           (op == "Pow" && r->kind == BuildValue::Int && r->i < 0)) &&
          number(*l) && number(*r)) {
        std::optional<FailureOr<double>> v =
            b.floatArithmetic(node, op, *number(*l), *number(*r));
        if (!v)
          return fail("only + - * / // % ** are computed on floats in build");
        if (failed(*v))
          return failure();
        BuildValue out{BuildValue::Float, 0, "", {}};
        out.f = **v;
        return out;
      }
      if (l->kind != BuildValue::Int || r->kind != BuildValue::Int)
        return fail("only ints and floats are computed in build");
      BuildValue out{BuildValue::Int, 0, "", {}};
      if (op == "Add")
        out.i = l->i + r->i;
      else if (op == "Sub")
        out.i = l->i - r->i;
      else if (op == "Mult")
        out.i = l->i * r->i;
      else if (op == "FloorDiv" && r->i != 0)
        out.i =
            l->i / r->i - ((l->i % r->i != 0) && ((l->i < 0) != (r->i < 0)));
      else
        return fail("only +, -, * and // (by a divisor that is not 0) are "
                    "computed in build");
      return out;
    }
    if (kind == "Compare" && node.getArray("ops")->size() == 1) {
      FailureOr<BuildValue> l = eval(*node.getObject("left"), quiet);
      if (failed(l))
        return failure();
      FailureOr<BuildValue> r =
          eval(*(*node.getArray("comparators"))[0].getAsObject(), quiet);
      if (failed(r))
        return failure();
      llvm::StringRef op =
          (*node.getArray("ops"))[0].getAsString().value_or("");
      BuildValue out{BuildValue::Bool, 0, "", {}};
      bool isNone = l->kind == BuildValue::None || r->kind == BuildValue::None;
      if (op == "Is" || op == "IsNot") {
        if (!(l->kind == BuildValue::None || r->kind == BuildValue::None))
          return fail("'is' is read in build only against None");
        out.i = (l->kind == r->kind) == (op == "Is");
        return out;
      }
      if (isNone || l->kind != BuildValue::Int || r->kind != BuildValue::Int)
        return fail("only ints are compared in build (a size not known at "
                    "import is None: give it with --input-shape)");
      if (op == "Lt")
        out.i = l->i < r->i;
      else if (op == "LtE")
        out.i = l->i <= r->i;
      else if (op == "Gt")
        out.i = l->i > r->i;
      else if (op == "GtE")
        out.i = l->i >= r->i;
      else if (op == "Eq")
        out.i = l->i == r->i;
      else if (op == "NotEq")
        out.i = l->i != r->i;
      else
        return fail("only <, <=, >, >=, ==, != and 'is None' are read in "
                    "build");
      return out;
    }
    if (kind == "Call") {
      const json::Object *f = node.getObject("func");
      const json::Array &args = *node.getArray("args");
      llvm::StringRef name = f ? f->getString("qualified")
                                     .value_or(f->getString("id").value_or(""))
                               : "";
      // s.as_list(): the same tuple.
      if (f && args.empty() && f->getString("attr") == "as_list")
        return eval(*f->getObject("value"), quiet);
      // int(d), tf.TensorShape(s), tuple(s), list(s),
      // tf.compat.dimension_value(d): the same value; len(s) its length.
      if (args.size() == 1 &&
          (name == "int" || name == "tuple" || name == "list" ||
           name == "len" || name == "tensorflow.TensorShape" ||
           name == "tensorflow.compat.dimension_value")) {
        FailureOr<BuildValue> v = eval(*args[0].getAsObject(), quiet);
        if (failed(v))
          return failure();
        if (name == "len") {
          if (v->kind != BuildValue::Tuple)
            return fail("len of a value that is not a tuple");
          return BuildValue{BuildValue::Int, int64_t(v->items.size()), "", {}};
        }
        if (name == "int" && v->kind == BuildValue::None)
          return fail("a size not known at import (the input's size on that "
                      "axis): give it with --input-shape");
        return *v;
      }
    }
    return fail("only values known at import are read in build (ints of "
                "input_shape, hyperparameters, module constants)");
  }

  ProgramBuilder &b;
  ModelState &model;
  std::map<std::string, BuildValue> locals;
};

} // namespace mlir::predict::python

LogicalResult ProgramBuilder::makeOwnWeights(ModelState &model,
                                             const json::Object &method,
                                             const ModelInputs &in) {
  OwnWeightMaker maker(*this, model);
  if (failed(maker.initWeights()))
    return failure();
  if (const json::Object *build = methodNamed(*model.model, "build")) {
    if (!model.isCustomLayer())
      return error(*build, "'" + model.className +
                               "' is a model that defines build: predict runs "
                               "build for a custom layer (a "
                               "tf.keras.layers.Layer) only; make its "
                               "weights in __init__");
    auto input = in.values.size() == 1
                     ? dyn_cast<RankedTensorType>(in.values[0].getType())
                     : RankedTensorType();
    if (!input)
      return error(*build, "build is run with the shape of the layer's one "
                           "input; '" +
                               model.className + "' is called with " +
                               std::to_string(in.values.size()) +
                               " inputs: make its weights in __init__");
    if (method.getString("name") != "call")
      return error(method, "'" + model.className +
                               "' is first called through another method "
                               "than call: Keras builds it (runs build) at "
                               "its first call; call it first");
    // build reads the layer's hyperparameters (self.units) and the
    // module's constants as its methods do.
    FunctionScope buildScope;
    buildScope.function = build;
    buildScope.model = &model;
    FunctionScope *outer = scope;
    scope = &buildScope;
    LogicalResult built = maker.build(*build, input);
    scope = outer;
    if (failed(built))
      return failure();
  }
  return resolveOwnWeights(model);
}

/// Whether statements `v` store `self.attr = self.add_weight(...)` (any
/// attribute when `attr` is empty).
static bool storesWeight(const json::Value &v, llvm::StringRef attr) {
  if (const json::Array *items = v.getAsArray())
    return llvm::any_of(*items, [&](const json::Value &item) {
      return storesWeight(item, attr);
    });
  const json::Object *o = v.getAsObject();
  if (!o)
    return false;
  if (o->getString("node") == "Assign") {
    const json::Array &targets = *o->getArray("targets");
    const json::Object *t =
        targets.size() == 1 ? targets[0].getAsObject() : nullptr;
    const json::Object *f = o->getObject("value")
                                ? o->getObject("value")->getObject("func")
                                : nullptr;
    return t && t->getString("node") == "Attribute" &&
           (attr.empty() || t->getString("attr") == attr) && f &&
           f->getString("attr") == "add_weight";
  }
  for (llvm::StringRef arm : {"body", "orelse"})
    if (const json::Value *stmts = o->get(arm))
      if (storesWeight(*stmts, attr))
        return true;
  return false;
}

bool python::buildMakesWeight(const json::Object &model, llvm::StringRef attr) {
  // Its own build, or a base class's it runs (`build@Base`).
  for (const json::Value &m : *model.getArray("methods")) {
    llvm::StringRef name = m.getAsObject()->getString("name").value_or("");
    if ((name == "build" || name.starts_with("build@")) &&
        storesWeight(*m.getAsObject()->get("body"), attr))
      return true;
  }
  return false;
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::ownWeight(const json::Object &node, llvm::StringRef attr) {
  if (!scope || !scope->model)
    return std::nullopt;
  ModelState &model = *scope->model;
  for (const OwnWeight &w : model.ownWeights)
    if (w.attr == attr)
      return FailureOr<PyValue>(PyValue::tensor(
          arith::ConstantOp::create(builder, loc(node), w.value).getResult()));
  // A weight build makes under an `if` it did not take for this input.
  if (buildMakesWeight(*model.model, attr))
    return FailureOr<PyValue>(
        error(node, "self." + attr.str() + " of '" + model.var +
                        "' is not made: build did not make it for this "
                        "input (Python raises AttributeError)"));
  return std::nullopt;
}
