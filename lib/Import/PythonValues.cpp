//===- PythonValues.cpp - values known at import: hyperparameters, len ----===//
//
// What converted code reads that Python knows before the program runs: a
// model's hyperparameters (`self.steps = steps` in `__init__`, the reader's
// attributes of kind "value"), the module's constants (`STEPS = 3`, the
// reader's "constants"), and `len()` of what has a length at import or a
// size at run time. An integer is an `index` constant, a bool an `i1`
// constant, a float a Python float (PythonFloats.cpp) (docs/PythonSource.md,
// Hyperparameters and constants).
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

#include <deque>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

const json::Value *ProgramBuilder::knownValue(const json::Object &node) {
  llvm::StringRef kind = node.getString("node").value_or("");
  // f"h{i}", f"{name}_out" of strings and ints known at import (no format
  // spec or conversion): the string Python makes (found by helper-80).
  if (kind == "JoinedStr" && scope) {
    std::string text;
    for (const json::Value &part : arrayOr(node.getArray("values"))) {
      const json::Object *p = part.getAsObject();
      if (!p)
        return nullptr;
      if (kindOf(*p) == "Constant" && p->getString("value")) {
        text += p->getString("value")->str();
        continue;
      }
      const json::Object *value = p->getObject("value");
      const json::Object *conversion = p->getObject("conversion");
      if (kindOf(*p) != "FormattedValue" || !value ||
          (p->get("format_spec") &&
           p->get("format_spec")->kind() != json::Value::Null) ||
          (conversion && conversion->getString("int") != "-1"))
        return nullptr;
      const json::Value *v = knownValue(*value);
      if (!v && kindOf(*value) == "Constant")
        v = value->get("value");
      if (v && v->getAsString()) {
        text += v->getAsString()->str();
        continue;
      }
      // An int (not a bool: f"{True}" is "True").
      auto it = kindOf(*value) == "Name"
                    ? scope->env.find(value->getString("id").value_or(""))
                    : scope->env.end();
      if ((v && v->getAsBoolean()) ||
          (it != scope->env.end() && it->second.isBool()))
        return nullptr;
      std::optional<int64_t> i = importInteger(*value);
      if (!i)
        return nullptr;
      text += std::to_string(*i);
    }
    return &knownDerived.emplace_back(text);
  }
  // `batch_size or 2`, `scale and mode` of values known at import: the
  // operand Python's `or` (the first true, else the last) and `and` (the
  // first false, else the last) give (helper-130: `None or 2`).
  if (kind == "BoolOp") {
    bool isOr = node.getString("op") == "Or";
    const json::Value *last = nullptr;
    for (const json::Value &operand : arrayOr(node.getArray("values"))) {
      const json::Object *o = operand.getAsObject();
      last = !o                         ? nullptr
             : kindOf(*o) == "Constant" ? o->get("value")
                                        : knownValue(*o);
      std::optional<bool> truth = last ? knownTruth(*last) : std::nullopt;
      if (!truth)
        return nullptr;
      if (*truth == isOr)
        return last;
    }
    return last;
  }
  if (kind == "Attribute" && scope && scope->model) {
    const json::Object *base = node.getObject("value");
    if (!base || base->getString("node") != "Name" ||
        base->getString("id") != "self")
      return nullptr;
    llvm::StringRef attr = node.getString("attr").value_or("");
    // A value a custom layer's build stored: build runs after __init__,
    // so it replaces a class attribute or __init__'s value of the name
    // (helper-139: the class attribute was read).
    if (auto it = scope->model->builtValues.find(attr);
        it != scope->model->builtValues.end())
      return &it->second;
    for (const json::Value &a : *scope->model->model->getArray("attributes"))
      if (const json::Object *o = a.getAsObject())
        if (o->getString("attr") == attr && o->getString("kind") == "value")
          return o->get("value");
    return nullptr;
  }
  // kw.get("scale", 1.0), CFG.get("units"): a known dict's value, else
  // the default when it is known too (None when not given).
  if (const json::Object *get = dictGet(node)) {
    const json::Value *found = knownDictValue(node, *get);
    if (found)
      return found;
    const json::Array &args = arrayOr(node.getArray("args"));
    if (args.size() < 2)
      return &knownDerived.emplace_back(nullptr);
    const json::Object *fallback = args[1].getAsObject();
    if (fallback && kindOf(*fallback) == "Constant")
      return fallback->get("value");
    return fallback ? knownValue(*fallback) : nullptr;
  }
  // self.sizes[1:], CFG["units"]: a part of a known value.
  if (kind == "Subscript" && scope)
    if (const json::Object *base = node.getObject("value"))
      if (const json::Value *known = knownValue(*base))
        return knownSubscript(node, *known, /*report=*/false);
  if (kind == "Name" && scope) {
    llvm::StringRef id = node.getString("id").value_or("");
    // A name the function binds is its own, as in Python.
    auto param = scope->known.find(id);
    if (param != scope->known.end() && !scope->env.count(id))
      return &param->second;
    if (scope->env.count(id) || scope->loopLocals.count(id) ||
        scope->branchLocals.count(id))
      return nullptr;
    if (const json::Object *constants = program->getObject("constants"))
      return constants->get(id);
  }
  return nullptr;
}

FailureOr<PyValue> ProgramBuilder::knownPyValue(const json::Value &value,
                                                const json::Object &node) {
  if (std::optional<bool> b = value.getAsBoolean())
    return PyValue::boolean(
        arith::ConstantIntOp::create(builder, loc(node), *b, 1));
  const json::Object *object = value.getAsObject();
  if (object && object->getString("int")) {
    FailureOr<int64_t> i = integerValue(node, *object);
    if (failed(i))
      return failure();
    return constantIndex(*i, loc(node));
  }
  if (object && object->getString("float")) {
    FailureOr<double> d = pythonNumber(node, *object);
    if (failed(d))
      return failure();
    return pythonFloatValue(*d, loc(node));
  }
  // An array a module variable or a model's attribute is bound to.
  if (const json::Object *call = object ? object->getObject("call") : nullptr)
    return knownCall(*call, node);
  return error(node, "'" + source(node) + "' is " + pythonRepr(value) +
                         ", known when the model is built; converted code "
                         "reads such a value as an integer, a float or a "
                         "bool (other values only in __init__, to "
                         "configure layers)");
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::sequenceBuiltin(const json::Object &node,
                                llvm::StringRef name) {
  if (name != "bool" && name != "sum" && name != "divmod")
    return std::nullopt;
  const json::Array &args = arrayOr(node.getArray("args"));
  const json::Array &keywords = arrayOr(node.getArray("keywords"));
  size_t most = name == "bool" ? 1 : 2;
  size_t least = name == "divmod" ? 2 : name == "sum" ? 1 : 0;
  if (args.size() < least || args.size() > most ||
      (!keywords.empty() && name != "sum"))
    return FailureOr<PyValue>(
        error(node, name + "() takes " +
                        (name == "bool"  ? "one argument"
                         : name == "sum" ? "an iterable and a start"
                                         : "two arguments") +
                        " here (Python raises TypeError otherwise)"));
  // bool(training) where Keras passed None, bool(self.mode) of a string.
  if (name == "bool" && args.size() == 1 && args[0].getAsObject())
    if (std::optional<bool> truth = knownTextualTruth(*args[0].getAsObject()))
      return FailureOr<PyValue>(PyValue::boolean(
          arith::ConstantIntOp::create(builder, loc(node), *truth, 1)));
  SmallVector<PyValue> values;
  for (const json::Value &a : args) {
    // sum(self.scales) of a list or tuple known at import: read as the
    // list display of its values (converted code reads such an attribute
    // only as a number otherwise).
    const json::Object *o = a.getAsObject();
    const json::Value *known =
        name == "sum" && values.empty() && o ? knownValue(*o) : nullptr;
    const json::Object *tagged = known ? known->getAsObject() : nullptr;
    if (const json::Array *items =
            tagged ? (tagged->getArray("list") ? tagged->getArray("list")
                                               : tagged->getArray("tuple"))
                   : nullptr) {
      json::Array elts;
      for (const json::Value &e : *items)
        elts.push_back(located(
            json::Object{{"node", "Constant"}, {"value", json::Value(e)}}, *o));
      FailureOr<PyValue> v = expr(synthesize(located(
          json::Object{{"node", "List"}, {"elts", std::move(elts)}}, *o)));
      if (failed(v))
        return FailureOr<PyValue>(failure());
      values.push_back(*v);
      continue;
    }
    FailureOr<PyValue> v = expr(a);
    if (failed(v))
      return FailureOr<PyValue>(failure());
    values.push_back(*v);
  }
  if (name == "bool") {
    // Python's truth of an integer, a bool, a Python float, a tuple or list
    // built outside loops (its length), nothing (False); a tensor's truth
    // in a tf.function is TensorFlow's error (a tensor is not a Python
    // bool).
    Location at = loc(node);
    if (values.empty())
      return FailureOr<PyValue>(
          PyValue::boolean(arith::ConstantIntOp::create(builder, at, 0, 1)));
    if (std::optional<double> d = pythonFloat(values[0]))
      return FailureOr<PyValue>(PyValue::boolean(
          arith::ConstantIntOp::create(builder, at, *d != 0, 1)));
    if (values[0].isKnownList())
      return FailureOr<PyValue>(PyValue::boolean(arith::ConstantIntOp::create(
          builder, at, !values[0].list->elements.empty(), 1)));
    if (!values[0].isIndex() && !values[0].isBool())
      return FailureOr<PyValue>(
          error(node, "'" + source(node) + "' of " + kindWords(values[0]) +
                          ": bool() is converted of integers and bools (of a "
                          "tensor TensorFlow raises in a tf.function): compare "
                          "it (x != 0), or tf.cast(x, tf.bool)"));
    FailureOr<Condition> c = truth(values[0], node, "bool()");
    if (failed(c))
      return FailureOr<PyValue>(failure());
    return FailureOr<PyValue>(
        PyValue::boolean(c->known ? Value(arith::ConstantIntOp::create(
                                        builder, loc(node), *c->known, 1))
                                  : c->value));
  }
  // sum(xs, start=0) of a tuple or list built outside loops: ((start + x0)
  // + x1) + ..., and divmod(a, b): (a // b, a % b), each `+`, `//` and `%`
  // Python's (integers exact, tensors TensorFlow's), written on the values
  // bound to names no Python name can be.
  SmallVector<std::string> temporaries;
  auto bind = [&](const PyValue &v) {
    std::string id = "*" + name.str() + std::to_string(temporaries.size());
    scope->env[id] = v;
    temporaries.push_back(id);
    return located(json::Object{{"node", "Name"}, {"id", id}}, node);
  };
  auto binOp = [&](llvm::StringRef op, json::Object l, json::Object r) {
    return located(json::Object{{"node", "BinOp"},
                                {"op", op},
                                {"left", std::move(l)},
                                {"right", std::move(r)}},
                   node);
  };
  json::Object written;
  if (name == "divmod") {
    json::Object a = bind(values[0]), b = bind(values[1]);
    written = located(json::Object{{"node", "Tuple"},
                                   {"elts", json::Array{binOp("FloorDiv", a, b),
                                                        binOp("Mod", a, b)}}},
                      node);
  } else {
    const PyValue &xs = values[0];
    if (!xs.isKnownList())
      return FailureOr<PyValue>(error(
          args[0].getAsObject() ? *args[0].getAsObject() : node,
          "sum() is converted of a tuple or list built outside loops, not " +
              kindWords(xs) +
              (xs.isTensor() ? std::string(" (write tf.reduce_sum(x, "
                                           "axis=0))")
                             : std::string())));
    const json::Object *start = nullptr;
    if (values.size() == 2)
      start = args[1].getAsObject();
    for (const json::Value &k : keywords)
      if (const json::Object *kw = k.getAsObject()) {
        if (kw->getString("arg") != "start" || values.size() == 2)
          return FailureOr<PyValue>(
              error(*kw, "sum() takes its start once, as start="));
        start = kw->getObject("value");
      }
    json::Object total =
        start ? json::Object(*start)
              : located(json::Object{{"node", "Constant"},
                                     {"value", json::Object{{"int", "0"}}}},
                        node);
    for (const PyValue &item : listItems(*xs.list))
      total = binOp("Add", std::move(total), bind(item));
    written = std::move(total);
  }
  FailureOr<PyValue> result = expr(synthesize(std::move(written)));
  unbindTemporaries(temporaries);
  return result;
}

FailureOr<PyValue>
ProgramBuilder::autographMinMax(const json::Object &node, llvm::StringRef name,
                                ArrayRef<PyValue> values,
                                ArrayRef<const json::Object *> items) {
  // AutoGraph converts min() and max() given a tensor (py_builtins.max_,
  // _tf_max): of one, the tensor itself at rank 0 and tf.reduce_max(x,
  // axis=0) at rank 1; of several, each a scalar, tf.reduce_max of them
  // stacked. Another rank is its ValueError.
  for (const PyValue &v : values) {
    auto type = v.isTensor() ? dyn_cast<RankedTensorType>(v.value.getType())
                             : RankedTensorType();
    int64_t most = values.size() == 1 ? 1 : 0;
    if (v.isTensor() && (!type || type.getRank() > most))
      return error(
          node,
          name + "() of " +
              (values.size() == 1 ? "one tensor" : "several values") +
              " is AutoGraph's tf.reduce_" + name.str() + ", which takes " +
              (values.size() == 1 ? "a tensor of rank 0 or 1"
                                  : "scalar tensors and numbers") +
              ", not " + typeText(v.value.getType()) +
              " (TensorFlow raises ValueError); write tf." +
              (name == "max" ? "maximum" : "minimum") +
              "(a, b) (elementwise) or tf.reduce_" + name.str() + "(x, axis)");
  }
  if (values.size() == 1 &&
      cast<RankedTensorType>(values[0].value.getType()).getRank() == 0)
    return values[0];
  SmallVector<std::string> temporaries;
  json::Array bound;
  for (auto [k, v] : llvm::enumerate(values)) {
    std::string id = "*" + name.str() + std::to_string(temporaries.size());
    scope->env[id] = v;
    temporaries.push_back(id);
    // At its item, for messages about it (`max(i, 2.5)`: the int32 'i'
    // and the float '2.5', not the call twice).
    bound.push_back(located(json::Object{{"node", "Name"}, {"id", id}},
                            k < items.size() ? *items[k] : node));
  }
  json::Array axis{json::Object{
      {"node", "keyword"},
      {"arg", "axis"},
      {"value", located(json::Object{{"node", "Constant"},
                                     {"value", json::Object{{"int", "0"}}}},
                        node)}}};
  json::Object operand =
      values.size() == 1
          ? json::Object(*bound[0].getAsObject())
          : tfCallNode(
                "stack",
                json::Array{located(
                    json::Object{{"node", "List"}, {"elts", std::move(bound)}},
                    node)},
                json::Array(), node);
  FailureOr<PyValue> result = expr(synthesize(
      tfCallNode(name == "max" ? "reduce_max" : "reduce_min",
                 json::Array{std::move(operand)}, std::move(axis), node)));
  for (const std::string &id : temporaries)
    scope->env.erase(id);
  return result;
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::numberBuiltin(const json::Object &node, llvm::StringRef name) {
  if (name == "round")
    return roundBuiltin(node);
  if (name != "abs" && name != "min" && name != "max" && name != "pow")
    return std::nullopt;
  Location at = loc(node);
  const json::Array *args = node.getArray("args");
  const json::Array *keywords = node.getArray("keywords");
  if (keywords && !keywords->empty()) {
    const json::Object *kw = (*keywords)[0].getAsObject();
    return error(kw ? *kw : node,
                 "the keyword '" +
                     (kw ? kw->getString("arg").value_or("**") : "").str() +
                     "' of " + name + "() is not converted");
  }
  // The arguments (for min/max, the items of one list or tuple written in
  // place), each an integer; abs() takes a tensor too.
  SmallVector<const json::Object *> items;
  for (const json::Value &a : arrayOr(args))
    if (const json::Object *o = a.getAsObject())
      items.push_back(o);
  if ((name == "min" || name == "max") && items.size() == 1) {
    const json::Object &one = *items[0];
    if (kindOf(one) != "List" && kindOf(one) != "Tuple") {
      // AutoGraph's max(x) of a tensor (py_builtins.max_): x itself at
      // rank 0, tf.reduce_max(x, axis=0) at rank 1 (helper-132).
      if (kindOf(one) == "Attribute" && one.getString("attr") == "shape")
        return error(one, name +
                              "() of one iterable is converted for a list or "
                              "tuple written in place (" +
                              name + "([a, b])) or a tensor of rank 0 or 1");
      FailureOr<PyValue> x = expr(one);
      if (failed(x))
        return failure();
      if (x->isTensor() && !x->list)
        return autographMinMax(node, name, {*x}, {&one});
      return error(one, name +
                            "() of one iterable is converted for a list or "
                            "tuple written in place (" +
                            name + "([a, b])) or a tensor of rank 0 or 1");
    }
    items.clear();
    for (const json::Value &e : arrayOr(one.getArray("elts")))
      if (const json::Object *o = e.getAsObject())
        items.push_back(o);
    if (items.empty())
      return error(one, name + "() of an empty sequence (Python raises "
                               "ValueError)");
  }
  size_t wanted = name == "abs" ? 1 : name == "pow" ? 2 : 0;
  if (wanted ? items.size() != wanted : items.empty())
    return error(node, name == "pow" && items.size() == 3
                           ? std::string("pow() with a modulus is not "
                                         "converted")
                           : name + "() takes " +
                                 (wanted == 1   ? "one argument"
                                  : wanted == 2 ? "two arguments"
                                                : "its values") +
                                 " (Python raises TypeError)");
  SmallVector<PyValue> values;
  for (const json::Object *item : items) {
    FailureOr<PyValue> v = expr(*item);
    if (failed(v))
      return failure();
    values.push_back(*v);
  }
  // Of Python floats and integers known at import, one of them a float:
  // Python's own (PythonFloats.cpp).
  SmallVector<double> numbers;
  bool anyFloat = false;
  for (const PyValue &v : values) {
    std::optional<double> d = pythonFloat(v);
    std::optional<int64_t> i =
        v.isIndex() ? knownIndexValue(v.value) : std::nullopt;
    if (!d && !i)
      break;
    anyFloat |= d.has_value();
    numbers.push_back(d ? *d : static_cast<double>(*i));
  }
  if (anyFloat && numbers.size() == values.size()) {
    if (name == "abs")
      return pythonFloatValue(std::fabs(numbers[0]), at);
    if (name == "pow") {
      FailureOr<double> r =
          **floatArithmetic(node, "Pow", numbers[0], numbers[1]);
      if (failed(r))
        return failure();
      return pythonFloatValue(*r, at);
    }
    // min/max: the first item no other is less (greater) than, as Python
    // compares them one by one, with its own type.
    size_t best = 0;
    for (size_t k = 1; k < numbers.size(); ++k)
      if (name == "min" ? numbers[k] < numbers[best]
                        : numbers[k] > numbers[best])
        best = k;
    return values[best];
  }
  // AutoGraph's max(a, b, ...) with a tensor among scalars:
  // tf.reduce_max(tf.stack([a, b, ...]), axis=0).
  if ((name == "min" || name == "max") &&
      llvm::any_of(values, [](const PyValue &v) { return v.isTensor(); }))
    return autographMinMax(node, name, values, items);
  for (auto [item, value] : llvm::zip_equal(items, values)) {
    const PyValue *v = &value;
    if (name == "abs" && v->isTensor()) {
      // Python's abs() of a tensor is TensorFlow's __abs__: tf.abs.
      FailureOr<Value> r =
          typed(AbsOp::create(builder, at, v->value.getType(), v->value));
      if (failed(r))
        return failure();
      return PyValue::tensor(*r);
    }
    if (!v->isIndex())
      return error(
          *item, v->isTensor()
                     ? name + "() of tensors is not converted: " +
                           (name == "pow"
                                ? std::string("write x ** y or tf.pow(x, y)")
                                : "Python compares them with `<`, which "
                                  "TensorFlow refuses for a tensor of "
                                  "several values; write tf." +
                                      (name == "max" ? std::string("maximum")
                                                     : std::string("minimum")) +
                                      "(a, b) (elementwise) or "
                                      "tf.reduce_" +
                                      name.str() + "(x)")
                     : name + "() takes integers here (a constant, a loop "
                              "variable, x.shape[0] or tf.shape(x)[0])");
  }
  // Of TensorFlow's int32 (PyValue::int32), AutoGraph's tf.pow, tf.abs,
  // tf.reduce_max/min: TensorFlow's int32 again, wrapped (helper-141:
  // `max(n, 5) * 10**9` was computed on 64 bits).
  bool narrow = llvm::any_of(values, [](const PyValue &v) { return v.int32; });
  auto asInt32 = [&](FailureOr<PyValue> r) -> FailureOr<PyValue> {
    if (failed(r) || !narrow || !r->isIndex())
      return r;
    r->value = wrapToInt32(r->value, at);
    r->int32 = true;
    return r;
  };
  if (narrow)
    for (PyValue &v : values)
      v.int32 = false;
  if (name == "pow" && narrow)
    return int32Power(node, values[0].value, values[1].value);
  if (name == "pow")
    return indexPower(node, values[0], values[1]);
  if (name == "abs" && narrow) {
    // (abs(-2**31) wraps to itself, as tf.abs gives.)
    Value v = values[0].value, zero = constantIndex(0, at).value;
    Value negative =
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::slt, v, zero);
    return asInt32(PyValue::index(arith::SelectOp::create(
        builder, at, negative, arith::SubIOp::create(builder, at, zero, v),
        v)));
  }
  if (name == "abs") {
    Value v = values[0].value;
    if (std::optional<int64_t> known = knownIndexValue(v)) {
      if (*known == std::numeric_limits<int64_t>::min())
        return FailureOr<PyValue>(
            tooLarge(node, -llvm::APInt(128, *known, /*isSigned=*/true)));
      return constantIndex(*known < 0 ? -*known : *known, at);
    }
    // abs(-2**63) is 2**63: beyond 64 bits.
    AssertOp::create(
        builder, at,
        arith::CmpIOp::create(
            builder, at, arith::CmpIPredicate::ne, v,
            constantIndex(std::numeric_limits<int64_t>::min(), at).value),
        builder.getStringAttr("'" + braces(source(node)) +
                              "' gives an integer beyond 64 bits (predict's "
                              "integers are 64-bit, Python's unbounded)"),
        ValueRange{});
    Value zero = constantIndex(0, at).value;
    Value negative =
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::slt, v, zero);
    return PyValue::index(arith::SelectOp::create(
        builder, at, negative, arith::SubIOp::create(builder, at, zero, v), v));
  }
  // min/max: Python's first least (greatest) item; integers compare alike.
  bool isMax = name == "max";
  Value r = values[0].value;
  for (const PyValue &v : llvm::ArrayRef(values).drop_front()) {
    std::optional<int64_t> a = knownIndexValue(r), b = knownIndexValue(v.value);
    if (a && b)
      r = constantIndex(isMax ? std::max(*a, *b) : std::min(*a, *b), at).value;
    else if (isMax)
      r = arith::MaxSIOp::create(builder, at, r, v.value);
    else
      r = arith::MinSIOp::create(builder, at, r, v.value);
  }
  return asInt32(PyValue::index(r));
}

FailureOr<PyValue> ProgramBuilder::lenCall(const json::Object &node) {
  const json::Array *args = node.getArray("args");
  const json::Array *keywords = node.getArray("keywords");
  if (!args || args->size() != 1 || (keywords && !keywords->empty()))
    return error(node, "len() takes exactly one argument (Python raises "
                       "TypeError)");
  const json::Object *arg = (*args)[0].getAsObject();
  if (!arg)
    return error(node, "the program JSON has an argument that is not a node");
  // A list or dict of layers, the model's or a held model's: how many.
  if (const json::Object *group =
          layerGroup(*arg) ? layerGroup(*arg) : heldGroup(*arg))
    return constantIndex(group->getArray("items")->size(), loc(node));
  // A list, tuple or string known at import: its length (an array's is
  // its first size, below).
  if (const json::Value *known = knownValue(*arg);
      known && !isKnownArray(*known)) {
    const json::Object *o = known->getAsObject();
    const json::Array *items =
        o ? (o->getArray("list") ? o->getArray("list") : o->getArray("tuple"))
          : nullptr;
    if (items)
      return constantIndex(items->size(), loc(node));
    // A dict (`self.cfg`, an empty `self.heads = {}`): its entries.
    if (const json::Object *dict = o ? o->getObject("dict") : nullptr)
      return constantIndex(dict->size(), loc(node));
    if (std::optional<llvm::StringRef> s = known->getAsString()) {
      // Python counts code points; the JSON holds UTF-8.
      int64_t count = 0;
      for (unsigned char c : *s)
        count += (c & 0xC0) != 0x80;
      return constantIndex(count, loc(node));
    }
    return error(*arg, "len() of " + pythonRepr(*known) +
                           " (Python raises TypeError: it has no length)");
  }
  FailureOr<PyValue> value = expr(*arg);
  if (failed(value))
    return failure();
  // A tf.TensorArray's length is its size() (AutoGraph's len; helper-141:
  // it was the elements written outside loops).
  if (value->isList() && value->list->tensorArray)
    return expr(synthesize(located(
        json::Object{
            {"node", "Call"},
            {"func", located(json::Object{{"node", "Attribute"},
                                          {"value", json::Object(*arg)},
                                          {"attr", "size"}},
                             node)},
            {"args", json::Array()},
            {"keywords", json::Array()}},
        node)));
  if (value->isList()) {
    if (value->list->ssa)
      return error(node, "len() of a list built by a loop is not converted: "
                         "use the loop's trip count (in a `while` loop, "
                         "count the appends: `n = 0` before it, `n += 1` "
                         "with each append)");
    return constantIndex(value->list->elements.size(), loc(node));
  }
  if (!value->isTensor())
    return error(*arg, "len() of an integer or a bool (Python raises "
                       "TypeError: it has no length)");
  // A tensor's length is its first size, as for tf.Tensor.__len__.
  auto ranked = dyn_cast<RankedTensorType>(value->value.getType());
  if (ranked && ranked.getRank() == 0)
    return error(*arg, "len() of a scalar tensor (TensorFlow raises "
                       "TypeError: it has no length)");
  // (AutoGraph's len: a static size is a Python int, one known only at
  // run time tf.shape's int32.)
  if (ranked && !ranked.isDynamicDim(0))
    return constantIndex(ranked.getDimSize(0), loc(node));
  return PyValue::int32Index(DimOp::create(builder, loc(node), value->value,
                                           builder.getI64IntegerAttr(0)));
}

FailureOr<std::optional<std::string>>
ProgramBuilder::dtypeText(const json::Object &node) {
  using Result = std::optional<std::string>;
  if (kindOf(node) == "Attribute" && node.getString("attr") == "dtype" &&
      !node.getString("qualified")) {
    const json::Object *base = node.getObject("value");
    if (!base)
      return Result();
    FailureOr<PyValue> v = expr(*base);
    if (failed(v))
      return failure();
    if (!v->isTensor())
      return Result(); // a Python value has no dtype: the error stands
    return Result(dtypeName(getElementTypeOrSelf(v->value.getType())));
  }
  llvm::StringRef name;
  if (std::optional<llvm::StringRef> q = node.getString("qualified")) {
    name = *q;
    if (!llvm::any_of(
            std::initializer_list<llvm::StringRef>{"tensorflow.dtypes.",
                                                   "tensorflow.", "numpy."},
            [&](llvm::StringRef p) { return name.consume_front(p); }))
      return Result();
  } else if (kindOf(node) == "Constant" && node.get("value") &&
             node.get("value")->getAsString()) {
    name = *node.get("value")->getAsString();
  } else {
    return Result();
  }
  name = llvm::StringSwitch<llvm::StringRef>(name)
             .Case("half", "float16")
             .Case("double", "float64")
             .Case("bool_", "bool")
             .Default(name);
  if (!llvm::is_contained({"float16", "bfloat16", "float32", "float64", "int8",
                           "int16", "int32", "int64", "uint8", "uint16",
                           "uint32", "uint64", "bool", "complex64",
                           "complex128", "string"},
                          name))
    return Result();
  return Result(name.str());
}

/// The operands of the Compare `node` (`a < b < c`: a, b, c; null for one
/// that is not a node), with its `ops`; std::nullopt for a malformed one.
static std::optional<
    std::pair<const json::Array *, SmallVector<const json::Object *>>>
compareSides(const json::Object &node) {
  const json::Array *ops = node.getArray("ops");
  const json::Array *comparators = node.getArray("comparators");
  const json::Object *left = node.getObject("left");
  if (!ops || !comparators || !left || ops->size() != comparators->size())
    return std::nullopt;
  SmallVector<const json::Object *> sides{left};
  for (const json::Value &c : *comparators)
    sides.push_back(c.getAsObject());
  return std::make_pair(ops, std::move(sides));
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::dtypeCompare(const json::Object &node) {
  auto operands = compareSides(node);
  if (!operands)
    return std::nullopt;
  auto &[ops, sides] = *operands;
  // Only where a side reads `.dtype`: `"float32" == "float32"` is a
  // string comparison (knownCompare).
  if (llvm::none_of(sides, [](const json::Object *s) {
        return s && kindOf(*s) == "Attribute" &&
               s->getString("attr") == "dtype";
      }))
    return std::nullopt;
  // `x.dtype in (tf.int32, tf.int64)`: one membership test of a tuple or
  // list of dtypes.
  if (ops->size() == 1 && sides[1] &&
      llvm::is_contained({"In", "NotIn"},
                         (*ops)[0].getAsString().value_or("")) &&
      llvm::is_contained({"Tuple", "List"}, kindOf(*sides[1]))) {
    FailureOr<std::optional<std::string>> name = dtypeText(*sides[0]);
    if (failed(name))
      return FailureOr<PyValue>(failure());
    if (!*name)
      return std::nullopt;
    bool found = false;
    for (const json::Value &e : arrayOr(sides[1]->getArray("elts"))) {
      const json::Object *o = e.getAsObject();
      FailureOr<std::optional<std::string>> other =
          o ? dtypeText(*o)
            : FailureOr<std::optional<std::string>>(
                  std::optional<std::string>());
      if (failed(other))
        return FailureOr<PyValue>(failure());
      if (!*other)
        return std::nullopt;
      found |= **other == **name;
    }
    return FailureOr<PyValue>(PyValue::boolean(arith::ConstantIntOp::create(
        builder, loc(node), found == ((*ops)[0].getAsString() == "In"), 1)));
  }
  for (const json::Value &op : *ops)
    if (!llvm::is_contained({"Eq", "NotEq", "Is", "IsNot"},
                            op.getAsString().value_or("")))
      return std::nullopt;
  SmallVector<std::string> names;
  for (const json::Object *side : sides) {
    if (!side)
      return std::nullopt;
    FailureOr<std::optional<std::string>> name = dtypeText(*side);
    if (failed(name))
      return FailureOr<PyValue>(failure());
    if (!*name)
      return std::nullopt;
    names.push_back(**name);
  }
  bool result = true;
  for (auto [k, op] : llvm::enumerate(*ops)) {
    llvm::StringRef word = op.getAsString().value_or("");
    result &= (names[k] == names[k + 1]) == (word == "Eq" || word == "Is");
  }
  return FailureOr<PyValue>(PyValue::boolean(
      arith::ConstantIntOp::create(builder, loc(node), result, 1)));
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::knownCompare(const json::Object &node) {
  // `self.mode == "sum"`, `self.norm is None`, `"a" in self.names`: a
  // comparison involving a string or None is decided at import, on the
  // values Python knows there (other comparisons are PythonBranches.cpp's).
  auto operands = compareSides(node);
  if (!operands)
    return std::nullopt;
  auto &[ops, sides] = *operands;
  SmallVector<const json::Value *> values;
  // A tuple or list written in place (`k in ("a", "c")`) of values known
  // at import: made here (found by helper-80).
  std::deque<json::Value> written;
  auto known = [&](const json::Object &n) -> const json::Value * {
    if (const json::Value *v = knownValue(n))
      return v;
    // A name bound to a bool known at import (`training`, False under
    // predict), compared with None or in a tuple of them.
    if (kindOf(n) == "Name" && scope)
      if (auto it = scope->env.find(n.getString("id").value_or(""));
          it != scope->env.end() && it->second.isBool())
        if (std::optional<int64_t> b =
                getConstantIntValue(getAsOpFoldResult(it->second.value)))
          return &written.emplace_back(*b != 0);
    return n.getString("node") == "Constant" ? n.get("value") : nullptr;
  };
  bool textual = false;
  for (const json::Object *side : sides) {
    const json::Value *v = side ? known(*side) : nullptr;
    // `"a" in self.heads`: a dict of layers' keys (found by helper-82).
    if (const json::Object *group = !v && side ? layerGroup(*side) : nullptr)
      if (const json::Array *keys = group->getArray("keys"))
        v = &written.emplace_back(json::Object{{"tuple", json::Array(*keys)}});
    if (!v && side && (kindOf(*side) == "Tuple" || kindOf(*side) == "List")) {
      json::Array items;
      for (const json::Value &e : arrayOr(side->getArray("elts")))
        if (const json::Value *k =
                e.getAsObject() ? known(*e.getAsObject()) : nullptr)
          items.push_back(*k);
      if (items.size() == arrayOr(side->getArray("elts")).size())
        v = &written.emplace_back(json::Object{{"tuple", std::move(items)}});
    }
    values.push_back(v);
    textual |= v && (v->getAsString() || v->kind() == json::Value::Null);
  }
  if (!textual)
    return std::nullopt;
  // `mask is None` on a value of converted code (a tensor, a number, a
  // list: never None) is False, decided at import once the value is read
  // (a name not bound is still an error).
  if (ops->size() == 1 && llvm::is_contained(values, nullptr)) {
    llvm::StringRef op = (*ops)[0].getAsString().value_or("");
    const json::Value *known = values[0] ? values[0] : values[1];
    const json::Object *other = values[0] ? sides[1] : sides[0];
    if ((op == "Is" || op == "IsNot") && known &&
        known->kind() == json::Value::Null && other) {
      // A layer (`blk is None` with `blk` given one, found by helper-82)
      // is not None either.
      FailureOr<std::optional<std::string>> layer = heldLayer(*other);
      if (failed(layer))
        return FailureOr<PyValue>(failure());
      bool held = kindOf(*other) == "Name" &&
                  scope->heldAliases.count(other->getString("id").value_or(""));
      if (!*layer && !held) {
        FailureOr<PyValue> value = expr(*other);
        if (failed(value))
          return FailureOr<PyValue>(failure());
        // `x.shape[0] is None` on a size known only at run time: None in a
        // tf.function traced for any size, the size in eager TensorFlow;
        // predict compiles one program for every size, so neither answer
        // is the program's (found by helper-101).
        // The same for such a size read through a name or a list (`s =
        // x.shape.as_list()`, then `s[0] is None`, helper-108): a size of a
        // tensor (predict.dim) known only at run time.
        const json::Object *of = other->getObject("value");
        bool shapeRead = kindOf(*other) == "Subscript" && of &&
                         kindOf(*of) == "Attribute" &&
                         of->getString("attr") == "shape";
        if (value->isIndex() && !knownIndexValue(value->value) &&
            (shapeRead || value->value.getDefiningOp<DimOp>()))
          return FailureOr<PyValue>(error(
              node, "'" + source(node) + "': '" + source(*other) +
                        "' is a size known only at run time (TensorFlow's "
                        "tf.function says None for it, eager TensorFlow the "
                        "size; predict converts one program for every "
                        "size): read the size with tf.shape(x), or give a "
                        "static size with --input-shape"));
      }
      return FailureOr<PyValue>(PyValue::boolean(
          arith::ConstantIntOp::create(builder, loc(node), op == "IsNot", 1)));
    }
  }
  // Other comparisons of converted values by `is` keep their own error
  // (PythonBranches.cpp).
  if (llvm::is_contained(values, nullptr) &&
      llvm::any_of(*ops, [](const json::Value &op) {
        return op.getAsString() == "Is" || op.getAsString() == "IsNot";
      }))
    return std::nullopt;
  for (auto [side, v] : llvm::zip_equal(sides, values))
    if (!v)
      return FailureOr<PyValue>(error(
          side ? *side : node,
          "'" + source(node) + "' compares a string or None with '" +
              (side ? source(*side) : std::string("?")) +
              "', which is not known at import: strings and None are "
              "compared when the program is converted"));
  bool result = true;
  for (size_t k = 0; k < ops->size() && result; ++k) {
    llvm::StringRef op = (*ops)[k].getAsString().value_or("");
    const json::Value &a = *values[k], &b = *values[k + 1];
    if (op == "Eq" || op == "NotEq" || op == "Is" || op == "IsNot") {
      if ((op == "Is" || op == "IsNot") &&
          a.kind() != json::Value::Null && b.kind() != json::Value::Null)
        return FailureOr<PyValue>(error(
            node, "'" + source(node) + "': `is` is converted against None "
                                       "only; compare values with =="));
      bool same = a == b;
      result = (op == "Eq" || op == "Is") ? same : !same;
    } else if (op == "In" || op == "NotIn") {
      const json::Object *o = b.getAsObject();
      const json::Array *items =
          o ? (o->getArray("list") ? o->getArray("list") : o->getArray("tuple"))
            : nullptr;
      bool found = false;
      if (items)
        found = llvm::is_contained(*items, a);
      else if (b.getAsString() && a.getAsString())
        found = b.getAsString()->contains(*a.getAsString());
      else
        return FailureOr<PyValue>(error(
            node, "'" + source(node) + "': `in` is converted on a tuple, "
                                       "list or string known at import"));
      result = op == "In" ? found : !found;
    } else {
      return FailureOr<PyValue>(error(
          node, "'" + source(node) + "': strings and None are compared with "
                                     "==, !=, is, is not, in, not in"));
    }
  }
  return FailureOr<PyValue>(PyValue::boolean(
      arith::ConstantIntOp::create(builder, loc(node), result, 1)));
}

FailureOr<Value> ProgramBuilder::integerScalar(const json::Object &node,
                                               PyValue value, Type element,
                                               llvm::StringRef why) {
  Location at = loc(node);
  if (element.isInteger(32)) {
    std::string message = "'" + source(node) + "' does not fit in int32 (" +
                          why.str() + "): write tf.cast(..., tf.int64)";
    if (std::optional<int64_t> known = knownIndexValue(value.value)) {
      if (!llvm::isInt<32>(*known))
        return error(node, "'" + source(node) + "' is " + Twine(*known) +
                               ", which " +
                               message.substr(message.find("does not fit")));
    } else {
      Value fits = arith::AndIOp::create(
          builder, at,
          arith::CmpIOp::create(
              builder, at, arith::CmpIPredicate::sle, value.value,
              arith::ConstantIndexOp::create(
                  builder, at, std::numeric_limits<int32_t>::max())),
          arith::CmpIOp::create(
              builder, at, arith::CmpIPredicate::sge, value.value,
              arith::ConstantIndexOp::create(
                  builder, at, std::numeric_limits<int32_t>::min())));
      AssertOp::create(builder, at, fits,
                       builder.getStringAttr(braces(message)), ValueRange{});
    }
  }
  Value cast = arith::IndexCastOp::create(builder, at, element, value.value);
  return tensor::FromElementsOp::create(
             builder, at, RankedTensorType::get({}, element), cast)
      .getResult();
}

const json::Object *ProgramBuilder::dictGet(const json::Object &node) {
  if (kindOf(node) != "Call" || !scope)
    return nullptr;
  const json::Object *func = node.getObject("func");
  const json::Object *base = func ? func->getObject("value") : nullptr;
  const json::Array &args = arrayOr(node.getArray("args"));
  if (kindOf(func) != "Attribute" || func->getString("attr") != "get" ||
      !base || args.empty() || args.size() > 2 ||
      !arrayOr(node.getArray("keywords")).empty())
    return nullptr;
  const json::Value *known = knownValue(*base);
  const json::Object *o = known ? known->getAsObject() : nullptr;
  return o && dictKey(node) ? o->getObject("dict") : nullptr;
}

std::optional<std::string> ProgramBuilder::dictKey(const json::Object &node) {
  return dictKeyOf(arrayOr(node.getArray("args"))[0].getAsObject());
}

std::optional<std::string> ProgramBuilder::dictKeyOf(const json::Object *key) {
  // The reader keys dicts by str(key): a string, or an int's text.
  if (!key)
    return std::nullopt;
  const json::Value *text =
      kindOf(*key) == "Constant" ? key->get("value") : knownValue(*key);
  if (text && text->getAsString())
    return text->getAsString()->str();
  if (std::optional<int64_t> i = importInteger(*key))
    return std::to_string(*i);
  return std::nullopt;
}

const json::Value *ProgramBuilder::knownDictValue(const json::Object &node,
                                                  const json::Object &dict) {
  std::optional<std::string> key = dictKey(node);
  return key ? dict.get(*key) : nullptr;
}

/// The dict known at import that the local name `base` is bound to, to be
/// changed in place; null for another value.
static json::Object *localKnownDict(FunctionScope *scope,
                                    const json::Object *base) {
  if (!scope || kindOf(base) != "Name")
    return nullptr;
  auto it = scope->known.find(base->getString("id").value_or(""));
  json::Object *o =
      it == scope->known.end() ? nullptr : it->second.getAsObject();
  return o ? o->getObject("dict") : nullptr;
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::knownDictMethod(const json::Object &node, bool asStatement) {
  const json::Object *func = node.getObject("func");
  llvm::StringRef attr =
      kindOf(func) == "Attribute" ? func->getString("attr").value_or("") : "";
  if (attr != "pop" && attr != "setdefault" && attr != "update")
    return std::nullopt;
  json::Object *dict = localKnownDict(scope, func->getObject("value"));
  if (!dict)
    return std::nullopt;
  using Result = std::optional<FailureOr<PyValue>>;
  auto fail = [](LogicalResult) { return Result(FailureOr<PyValue>()); };
  if (failed(changesKnownDictHere(node)))
    return fail(failure());
  const json::Array &args = arrayOr(node.getArray("args"));
  const json::Array &keywords = arrayOr(node.getArray("keywords"));
  // The value a key is given: known at import.
  auto knownOf = [&](const json::Value &arg) {
    return knownDictEntry(arg.getAsObject(), *func->getObject("value"));
  };
  // What the call returns, unless the statement drops it (a string or
  // None is no value of converted code).
  auto result = [&](const json::Value &v) -> Result {
    if (asStatement)
      return Result(FailureOr<PyValue>(PyValue()));
    return Result(knownPyValue(v, node));
  };
  if (attr == "update") {
    if (!args.empty())
      return fail(error(node, "'" + source(node) +
                                  "': give update its keys as keywords "
                                  "(d.update(key=value))"));
    for (const json::Value &k : keywords) {
      const json::Object *kw = k.getAsObject();
      std::optional<llvm::StringRef> key =
          kw ? kw->getString("arg") : std::nullopt;
      if (!key)
        return fail(error(node, "'" + source(node) +
                                    "': give update its keys as keywords "
                                    "(d.update(key=value))"));
      const json::Value *v = knownOf(*kw->get("value"));
      if (!v)
        return Result(FailureOr<PyValue>(failure()));
      (*dict)[key->str()] = *v;
    }
    return result(nullptr);
  }
  if (args.empty() || args.size() > 2 || !keywords.empty())
    return fail(error(node, "'" + source(node) + "' takes a key and " +
                                (attr == "pop" ? "a default" : "a value") +
                                " (Python's dict." + attr + ")"));
  std::optional<std::string> key = dictKey(node);
  if (!key)
    return fail(notAKnownKey(*args[0].getAsObject()));
  json::Value *found = dict->get(*key);
  if (attr == "setdefault") {
    if (!found) {
      const json::Value *v = args.size() > 1
                                 ? knownOf(args[1])
                                 : &knownDerived.emplace_back(nullptr);
      if (!v)
        return Result(FailureOr<PyValue>(failure()));
      (*dict)[*key] = *v;
      found = dict->get(*key);
    }
    return result(*found);
  }
  // pop: the value, removed; else the default (Python's KeyError without).
  if (found) {
    json::Value value = std::move(*found);
    dict->erase(*key);
    return result(value);
  }
  if (args.size() < 2)
    return fail(error(node, "'" + source(node) + "': the dict has no key " +
                                pythonRepr(llvm::StringRef(*key)) +
                                " (Python raises KeyError): give a default"));
  return asStatement ? result(nullptr) : Result(expr(args[1]));
}

std::optional<LogicalResult>
ProgramBuilder::knownDictStore(const json::Object &stmt) {
  const json::Array &targets = arrayOr(stmt.getArray("targets"));
  const json::Object *target =
      targets.size() == 1 ? targets[0].getAsObject() : nullptr;
  if (kindOf(stmt) != "Assign" || kindOf(target) != "Subscript")
    return std::nullopt;
  json::Object *dict = localKnownDict(scope, target->getObject("value"));
  if (!dict)
    return std::nullopt;
  if (failed(changesKnownDictHere(stmt)))
    return failure();
  const json::Object *slice = target->getObject("slice");
  std::optional<std::string> key = dictKeyOf(slice);
  if (!key)
    return notAKnownKey(slice ? *slice : stmt);
  const json::Value *v =
      knownDictEntry(stmt.getObject("value"), *target->getObject("value"));
  if (!v)
    return failure();
  (*dict)[*key] = *v;
  return success();
}

LogicalResult ProgramBuilder::changesKnownDictHere(const json::Object &node) {
  if (atFunctionLevel())
    return success();
  return error(node, "'" + source(node) +
                         "' changes a dict known at import under a "
                         "condition or in a loop decided at run time, "
                         "where it would differ from one run to the next: "
                         "change it at the function's level");
}

LogicalResult ProgramBuilder::notAKnownKey(const json::Object &key) {
  return error(key,
               "'" + source(key) + "' is not a key known at import (a string)");
}

const json::Value *ProgramBuilder::knownDictEntry(const json::Object *value,
                                                  const json::Object &dict) {
  const json::Value *v = value ? knownArgument(*this, *value) : nullptr;
  if (!v && value)
    (void)error(*value, "'" + source(*value) + "' is put in '" + source(dict) +
                            "', a dict of Python values known at import "
                            "(numbers, strings, bools, None), which it is "
                            "not");
  return v;
}
