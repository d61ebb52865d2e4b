//===- PythonUnrolledLoops.cpp - loops unrolled at import -----------------===//
//
// A `for` loop over a sequence Python knows before the loop runs — a list
// of layers (`for blk in self.blocks`), a dict of layers and its views
// (`self.heads.items()`), a list literal, a list built outside loops, a
// list hyperparameter, `enumerate` and `zip` of those, a Python range
// whose body picks a layer by the loop's variable — is unrolled at import,
// as AutoGraph unrolls a loop over a Python list: the body is converted
// once per element, with its names bound to that element. A `break` or
// `continue` reached at import ends the pass (docs/PythonSource.md,
// Control flow).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/SaveAndRestore.h"

#include <functional>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

bool mlir::predict::python::readsName(const json::Value &node,
                                      llvm::StringRef var) {
  if (const json::Array *a = node.getAsArray())
    return llvm::any_of(
        *a, [&](const json::Value &v) { return readsName(v, var); });
  const json::Object *o = node.getAsObject();
  if (!o)
    return false;
  if (kindOf(*o) == "Name" && o->getString("id") == var)
    return true;
  return llvm::any_of(
      *o, [&](const auto &field) { return readsName(field.second, var); });
}

namespace {
const json::Object *child(const json::Object &node, llvm::StringRef field) {
  return node.getObject(field);
}

/// Whether `stmts` hold a `return` (but in a nested function).
bool returnsIn(const json::Value &stmts) {
  if (const json::Array *a = stmts.getAsArray())
    return llvm::any_of(*a, [](const json::Value &s) { return returnsIn(s); });
  const json::Object *o = stmts.getAsObject();
  if (!o)
    return false;
  llvm::StringRef kind = kindOf(*o);
  if (kind == "Return")
    return true;
  if (kind == "FunctionDef" || kind == "Lambda")
    return false;
  for (llvm::StringRef field : {"body", "orelse"})
    if (const json::Value *v = o->get(field); v && returnsIn(*v))
      return true;
  return false;
}

/// Whether `node` (a loop's body, or any part of one) indexes a list of
/// layers of the model (`self.blocks[...]`, per `isGroup`) by an index
/// that reads the name `var`.
bool picksLayerBy(const json::Value &node, llvm::StringRef var,
                  llvm::function_ref<bool(const json::Object &)> isGroup) {
  if (const json::Array *a = node.getAsArray())
    return llvm::any_of(*a, [&](const json::Value &v) {
      return picksLayerBy(v, var, isGroup);
    });
  const json::Object *o = node.getAsObject();
  if (!o)
    return false;
  if (kindOf(*o) == "Subscript" && child(*o, "value") &&
      isGroup(*child(*o, "value")) && o->get("slice") &&
      readsName(*o->get("slice"), var))
    return true;
  return llvm::any_of(*o, [&](const auto &field) {
    return picksLayerBy(field.second, var, isGroup);
  });
}

/// The views of a dict that a loop may iterate over.
bool isDictView(llvm::StringRef attr) {
  return attr == "items" || attr == "values" || attr == "keys";
}

/// The most passes of a loop unrolled at import: far more than any
/// model's layers, few enough that a bound such as range(10**9) (with an
/// index such as `i % 3`) is an error, not a hang.
constexpr int64_t kMaxUnrolledPasses = 10000;
} // namespace

//===----------------------------------------------------------------------===//
// The elements of a sequence known at import
//===----------------------------------------------------------------------===//

/// The element `index` of the held model's group `of` as an expression
/// through the held model (`self.inner.blocks[1]`), its index marked
/// "unrolled" (rebased() names the method made for it by the index).
static json::Object heldExpression(const json::Object &of, json::Value index) {
  return located(
      json::Object{{"node", "Subscript"},
                   {"value", json::Object(of)},
                   {"slice", located(json::Object{{"node", "Constant"},
                                                  {"value", std::move(index)},
                                                  {"unrolled", true}},
                                     of)}},
      of);
}

/// What `node` iterates over, and how: `self.heads.items()` gives
/// `self.heads` and "items" (.values(), .keys() too); another node
/// itself and "".
static const json::Object &viewed(const json::Object &node,
                                  llvm::StringRef &view) {
  const json::Object *func = child(node, "func");
  if (kindOf(node) == "Call" && func && kindOf(*func) == "Attribute" &&
      isDictView(func->getString("attr").value_or("")) &&
      child(*func, "value")) {
    view = func->getString("attr").value_or("");
    return *child(*func, "value");
  }
  view = "";
  return node;
}

bool ProgramBuilder::knownList(const json::Object &node) {
  if (kindOf(node) == "Name")
    if (auto it = scope->env.find(node.getString("id").value_or(""));
        it != scope->env.end())
      return it->second.isList() && !it->second.list->ssa;
  const json::Value *known = kindOf(node) == "Name" ||
                                     kindOf(node) == "Attribute" ||
                                     kindOf(node) == "Subscript"
                                 ? knownValue(node)
                                 : nullptr;
  const json::Object *o = known ? known->getAsObject() : nullptr;
  return o && (o->getArray("list") || o->getArray("tuple"));
}

bool ProgramBuilder::loopsOverLayers(const json::Object &seq) {
  llvm::StringRef view;
  const json::Object &of = viewed(seq, view);
  if (layerGroup(of) || heldGroup(of))
    return true;
  if (const json::Object *base = child(seq, "value");
      kindOf(seq) == "Subscript" && base &&
      (layerGroup(*base) || heldGroup(*base)))
    return true;
  if (!callsBuiltin(seq, "enumerate") && !callsBuiltin(seq, "zip") &&
      !callsBuiltin(seq, "reversed"))
    return false;
  return llvm::any_of(arrayOr(seq.getArray("args")), [&](const json::Value &a) {
    const json::Object *o = a.getAsObject();
    return o && loopsOverLayers(*o);
  });
}

std::optional<FailureOr<std::vector<UnrolledItem>>>
ProgramBuilder::unrolledItems(const json::Object &seq, bool layersAround) {
  using Items = std::vector<UnrolledItem>;
  using Result = std::optional<FailureOr<Items>>;
  auto fails = [](LogicalResult) -> Result {
    return FailureOr<Items>(failure());
  };
  const json::Array &args = arrayOr(seq.getArray("args"));
  const json::Array &keywords = arrayOr(seq.getArray("keywords"));
  std::string shown = source(seq);

  // self.blocks (its layers), self.heads (a dict: its keys, as Python
  // iterates over a dict), self.heads.items(), .values(), .keys(); a held
  // model's (`self.inner.blocks`), each element then the expression through
  // the held model (`self.inner.blocks[1]`), called as written so.
  llvm::StringRef view;
  const json::Object &of = viewed(seq, view);
  const json::Object *own = layerGroup(of);
  if (const json::Object *group = own ? own : heldGroup(of)) {
    const json::Array &layers = arrayOr(group->getArray("items"));
    const json::Array *keys = group->getArray("keys");
    if (!view.empty() && !keys)
      return fails(error(seq, "'list' object has no attribute '" + view +
                                  "': " + source(of) +
                                  " is a list of layers (Python raises "
                                  "AttributeError)"));
    if (!view.empty() && (!args.empty() || !keywords.empty()))
      return fails(error(seq, "dict." + view.str() +
                                  "() takes no arguments (Python raises "
                                  "TypeError)"));
    Items items;
    for (auto [i, attr] : llvm::enumerate(layers)) {
      UnrolledItem layer;
      if (own) {
        layer.layer = attr.getAsString().value_or("").str();
      } else {
        layer.held = heldExpression(
            of, keys ? json::Value((*keys)[i])
                     : json::Value(json::Object{{"int", std::to_string(i)}}));
      }
      UnrolledItem key;
      if (keys)
        key.text = (*keys)[i].getAsString().value_or("").str();
      if (keys && view == "items")
        items.push_back(
            UnrolledItem::tuple({std::move(key), std::move(layer)}));
      else if (keys && view != "values")
        items.push_back(std::move(key));
      else
        items.push_back(std::move(layer));
    }
    return FailureOr<Items>(std::move(items));
  }

  // self.blocks[1:], self.blocks[::-1]: a slice of a list of layers.
  if (const json::Object *base = child(seq, "value");
      kindOf(seq) == "Subscript" && base && child(seq, "slice") &&
      kindOf(*child(seq, "slice")) == "Slice")
    if (const json::Object *own = layerGroup(*base),
        *group = own ? own : heldGroup(*base);
        group && !group->getArray("keys")) {
      std::optional<int64_t> bounds[3];
      if (!sliceBounds(seq, bounds, /*report=*/true))
        return fails(failure());
      const json::Array &layers = arrayOr(group->getArray("items"));
      Items items;
      for (int64_t i : slicePicks(layers.size(), bounds)) {
        UnrolledItem &item = items.emplace_back();
        if (own)
          item.layer = layers[i].getAsString().value_or("").str();
        else
          item.held =
              heldExpression(*base, json::Object{{"int", std::to_string(i)}});
      }
      return FailureOr<Items>(std::move(items));
    }

  // reversed(seq): its elements backwards.
  if (callsBuiltin(seq, "reversed")) {
    const json::Object *of =
        args.size() == 1 && keywords.empty() ? args[0].getAsObject() : nullptr;
    Result inner = of ? unrolledItems(*of, layersAround) : std::nullopt;
    if (!inner || failed(*inner))
      return inner;
    std::reverse((*inner)->begin(), (*inner)->end());
    return inner;
  }

  // enumerate(seq[, start]): (start + i, element i).
  if (callsBuiltin(seq, "enumerate")) {
    // (Over what is not known at import: a loop at run time, whose
    // zipBindings checks the arguments.)
    const json::Object *of = args.empty() ? nullptr : args[0].getAsObject();
    Result inner = of ? unrolledItems(*of, layersAround) : std::nullopt;
    if (!inner || failed(*inner))
      return inner;
    const json::Object *start = nullptr;
    for (const json::Value &k : keywords)
      if (const json::Object *kw = k.getAsObject();
          kw && kw->getString("arg") == "start" && !start && args.size() == 1)
        start = child(*kw, "value");
      else
        return fails(error(kw ? *kw : seq, "enumerate() takes an iterable "
                                           "and a start (Python raises "
                                           "TypeError)"));
    if (args.empty() || args.size() > 2)
      return fails(error(seq, "enumerate() takes an iterable and a start "
                              "(Python raises TypeError)"));
    if (args.size() == 2)
      start = args[1].getAsObject();
    int64_t first = 0;
    if (start) {
      FailureOr<std::optional<int64_t>> s = knownInteger(*start);
      if (failed(s))
        return fails(failure());
      if (!*s)
        return fails(error(*start, "the start of `" + shown +
                                       "` (unrolled at import) is an int "
                                       "known at import, not '" +
                                       source(*start) + "'"));
      first = **s;
    }
    Items items;
    for (auto [i, element] : llvm::enumerate(**inner)) {
      UnrolledItem counter;
      counter.value = constantIndex(first + (int64_t)i, loc(seq));
      items.push_back(UnrolledItem::tuple({counter, std::move(element)}));
    }
    return FailureOr<Items>(std::move(items));
  }

  // zip(a, b, ...) over layers or lists (`zip(self.convs, self.bns)`,
  // `zip([x, y], [u, v])`): each argument known at import, a range too; as
  // long as the shortest (strict=True: all as long). (Without a list, a
  // loop at run time: PythonLoops.cpp's zipBindings.)
  auto listed = [&](const json::Value &a) {
    const json::Object *o = a.getAsObject();
    return o &&
           (kindOf(*o) == "List" || kindOf(*o) == "Tuple" || knownList(*o));
  };
  if (callsBuiltin(seq, "zip") &&
      (layersAround || loopsOverLayers(seq) || llvm::any_of(args, listed))) {
    bool strict = false;
    for (const json::Value &k : keywords) {
      const json::Object *kw = k.getAsObject();
      const json::Object *value = kw ? child(*kw, "value") : nullptr;
      std::optional<bool> flag;
      if (value && kindOf(*value) == "Constant")
        if (const json::Value *v = value->get("value"))
          flag = v->getAsBoolean();
      if (!kw || kw->getString("arg") != "strict" || !flag)
        return fails(error(kw ? *kw : seq,
                           "zip() takes iterables and strict=True or False "
                           "(Python raises TypeError for another keyword)"));
      strict = *flag;
    }
    std::vector<Items> columns;
    for (const json::Value &a : args) {
      const json::Object *of = a.getAsObject();
      Result column = of && kindOf(*of) != "Starred"
                          ? unrolledItems(*of, /*layersAround=*/true)
                          : std::nullopt;
      if (!column)
        return fails(error(
            of ? *of : seq,
            "`" + shown +
                "` is unrolled at import, as it iterates over layers or "
                "lists: '" +
                (of ? source(*of) : std::string("?")) +
                "' is not a sequence known at import (a list of layers, "
                "a list or tuple, a range of ints known at import); index "
                "a tensor by the counter of enumerate() instead"));
      if (failed(*column))
        return fails(failure());
      columns.push_back(std::move(**column));
    }
    size_t count = columns.empty() ? 0 : columns[0].size();
    // (A range longer than the passes unrolledLoop makes is cut after them.)
    auto length = [](size_t n) {
      return n > (size_t)kMaxUnrolledPasses
                 ? "more than " + std::to_string(kMaxUnrolledPasses)
                 : std::to_string(n);
    };
    for (auto [k, column] : llvm::enumerate(columns)) {
      if (strict && column.size() != count)
        return fails(error(*args[k].getAsObject(),
                           "zip() argument " + std::to_string(k + 1) + " is " +
                               (column.size() < count ? "shorter" : "longer") +
                               " than argument 1 (argument " +
                               std::to_string(k + 1) + " has " +
                               length(column.size()) +
                               " elements, argument 1 " + length(count) +
                               "; Python raises ValueError with "
                               "strict=True)"));
      count = std::min(count, column.size());
    }
    Items items;
    for (size_t i = 0; i < count; ++i) {
      std::vector<UnrolledItem> row;
      for (Items &column : columns)
        row.push_back(column[i]);
      items.push_back(UnrolledItem::tuple(std::move(row)));
    }
    return FailureOr<Items>(std::move(items));
  }

  // range(...) zipped with layers: its ints.
  if (layersAround && callsBuiltin(seq, "range")) {
    if (!keywords.empty() || args.empty() || args.size() > 3)
      return fails(error(seq, "range() takes 1 to 3 ints, by position "
                              "(Python raises TypeError)"));
    SmallVector<int64_t, 3> bounds;
    for (const json::Value &a : args) {
      FailureOr<std::optional<int64_t>> v = knownInteger(*a.getAsObject());
      if (failed(v))
        return fails(failure());
      if (!*v)
        return fails(error(*a.getAsObject(),
                           "`" + shown +
                               "` is zipped with layers, so it runs at "
                               "import: its bounds must be ints known at "
                               "import, not '" +
                               source(*a.getAsObject()) + "'"));
      bounds.push_back(**v);
    }
    int64_t start = bounds.size() > 1 ? bounds[0] : 0;
    int64_t stop = bounds.size() > 1 ? bounds[1] : bounds[0];
    int64_t step = bounds.size() > 2 ? bounds[2] : 1;
    if (step == 0)
      return fails(error(seq, "range() arg 3 must not be zero (Python "
                              "raises ValueError)"));
    Items items;
    for (__int128 v = start; step > 0 ? v < stop : v > stop; v += step) {
      if ((int64_t)items.size() > kMaxUnrolledPasses)
        break; // more passes than unrolledLoop makes anyway
      UnrolledItem item;
      item.value = constantIndex((int64_t)v, loc(seq));
      items.push_back(std::move(item));
    }
    return FailureOr<Items>(std::move(items));
  }

  // An empty dict known at import (`self.heads = {}`, which the reader
  // cannot tell from a dict of values), or a view of it: no element.
  // (Another dict's keys are not followed: the reader keeps them as text,
  // whatever their type.)
  if (kindOf(of) == "Attribute" || kindOf(of) == "Name")
    if (const json::Value *known = knownValue(of))
      if (const json::Object *o = known->getAsObject())
        if (const json::Object *entries = o->getObject("dict");
            entries && entries->empty() && (view.empty() || args.empty()))
          return FailureOr<Items>(Items());

  // A list or tuple known at import (`for k in self.sizes`, `SIZES`,
  // `self.sizes[1:]`): its items as Python values.
  llvm::StringRef kind = kindOf(seq);
  Items items;
  auto valueItem = [&](FailureOr<PyValue> v) -> LogicalResult {
    if (failed(v))
      return failure();
    // A list in the sequence (`for lst in [outs, other]`) would be bound
    // as a copy, its appends lost (found by helper-80: a wrong answer).
    if (v->isList())
      return error(seq, "`" + shown +
                            "` holds a list: predict's lists hold tensors, "
                            "and a list reached by another name is not "
                            "converted (append to each list by its own "
                            "name)");
    UnrolledItem item;
    item.value = *v;
    items.push_back(std::move(item));
    return success();
  };
  auto tensors = [&](ArrayRef<Value> elements) -> Result {
    for (Value e : elements)
      if (failed(valueItem(PyValue::tensor(e))))
        return fails(failure());
    return FailureOr<Items>(std::move(items));
  };
  // A tuple or list written in place in the list literal (`cfg = [(2,
  // 7), (3, 5)]`), no other name reaching it: its values, as a tuple that
  // unpacks (nested ones too).
  std::function<std::optional<UnrolledItem>(const ListValue &, size_t)>
      inPlace =
          [&](const ListValue &list, size_t k) -> std::optional<UnrolledItem> {
    PyValue e = listItem(list, k);
    const json::Array *elts = list.node ? list.node->getArray("elts") : nullptr;
    if (!e.isKnownList() || !elts || k >= elts->size() ||
        (*elts)[k].getAsObject() != e.list->node)
      return std::nullopt;
    std::vector<UnrolledItem> parts;
    for (size_t i = 0; i < e.list->elements.size(); ++i) {
      if (std::optional<UnrolledItem> nested = inPlace(*e.list, i)) {
        parts.push_back(std::move(*nested));
        continue;
      }
      UnrolledItem part;
      part.value = listItem(*e.list, i);
      parts.push_back(std::move(part));
    }
    return UnrolledItem::tuple(std::move(parts));
  };
  auto elementsOf = [&](const ListValue &list) -> Result {
    for (size_t k = 0; k < list.elements.size(); ++k) {
      if (std::optional<UnrolledItem> tuple = inPlace(list, k)) {
        items.push_back(std::move(*tuple));
        continue;
      }
      if (failed(valueItem(listItem(list, k))))
        return fails(failure());
    }
    return FailureOr<Items>(std::move(items));
  };
  if (kind == "Name" || kind == "Attribute" || kind == "Subscript")
    if (const json::Value *known = knownValue(seq))
      if (const json::Object *o = known->getAsObject())
        if (const json::Array *list = o->getArray("list")
                                          ? o->getArray("list")
                                          : o->getArray("tuple")) {
          // A string is a key; a tuple or list (`PAIRS = [(1.0, 2.0)]`)
          // unpacks (found by helper-80: refused).
          std::function<FailureOr<UnrolledItem>(const json::Value &)> item =
              [&](const json::Value &e) -> FailureOr<UnrolledItem> {
            UnrolledItem made;
            if (std::optional<llvm::StringRef> text = e.getAsString()) {
              made.text = text->str();
              return made;
            }
            const json::Object *inner = e.getAsObject();
            if (const json::Array *parts =
                    inner ? (inner->getArray("tuple") ? inner->getArray("tuple")
                                                      : inner->getArray("list"))
                          : nullptr) {
              std::vector<UnrolledItem> elements;
              for (const json::Value &part : *parts) {
                FailureOr<UnrolledItem> one = item(part);
                if (failed(one))
                  return failure();
                elements.push_back(std::move(*one));
              }
              return UnrolledItem::tuple(std::move(elements));
            }
            FailureOr<PyValue> v = knownPyValue(e, seq);
            if (failed(v))
              return failure();
            made.value = *v;
            return made;
          };
          for (const json::Value &e : *list) {
            FailureOr<UnrolledItem> one = item(e);
            if (failed(one))
              return fails(failure());
            items.push_back(std::move(*one));
          }
          return FailureOr<Items>(std::move(items));
        }
  // A literal (`for k in [1, 2]` gives ints; `[self.d1, self.d2]` its
  // layers).
  if (kind == "List" || kind == "Tuple") {
    for (const json::Value &e : arrayOr(seq.getArray("elts"))) {
      const json::Object *element = e.getAsObject();
      if (!element)
        return fails(error(seq, "the program JSON has a list element that "
                                "is not a node"));
      FailureOr<std::optional<std::string>> layer = heldLayer(*element);
      if (failed(layer))
        return fails(failure());
      const json::Value *known = kindOf(*element) == "Constant"
                                     ? element->get("value")
                                     : knownValue(*element);
      if (*layer) {
        items.emplace_back().layer = std::move(**layer);
      } else if (known && known->getAsString()) {
        items.emplace_back().text = known->getAsString()->str();
      } else if (failed(valueItem(expr(*element)))) {
        return fails(failure());
      }
    }
    return FailureOr<Items>(std::move(items));
  }
  // A list built outside loops (`for t in outs`), a slice of one
  // (`parts[1:]`).
  const json::Object *base = child(seq, "value");
  if (kind == "Name" ||
      (kind == "Subscript" && base && kindOf(*base) == "Name" &&
       child(seq, "slice") && kindOf(*child(seq, "slice")) == "Slice")) {
    llvm::StringRef id =
        (kind == "Name" ? seq : *base).getString("id").value_or("");
    auto it = scope->env.find(id);
    if (it == scope->env.end() || !it->second.isList() || it->second.list->ssa)
      return std::nullopt;
    if (kind == "Name")
      return elementsOf(*it->second.list);
    FailureOr<PyValue> sliced = expr(seq);
    if (failed(sliced))
      return fails(failure());
    if (!sliced->isList() || sliced->list->ssa)
      return std::nullopt;
    return elementsOf(*sliced->list);
  }
  // `for p in tf.split(x, 3, axis=1)`.
  if (auto pieces = python::splitPieces(*this, seq)) {
    if (failed(*pieces))
      return fails(failure());
    return tensors(**pieces);
  }
  return std::nullopt;
}

LogicalResult ProgramBuilder::bindUnrolled(const json::Object &target,
                                           const UnrolledItem &item,
                                           llvm::StringRef shown) {
  llvm::StringRef kind = kindOf(target);
  if (kind == "Tuple" || kind == "List") {
    const json::Array &names = arrayOr(target.getArray("elts"));
    if (!item.isTuple)
      return error(target, "`" + shown.str() + "` gives " +
                               (item.layer.empty() && !item.held ? "a value"
                                                                 : "a layer") +
                               " in each pass, not a tuple to unpack into '" +
                               source(target) + "' (Python raises TypeError)");
    if (names.size() != item.elements.size())
      return error(target, "`" + shown.str() + "` gives tuples of " +
                               std::to_string(item.elements.size()) +
                               ", unpacked into " +
                               std::to_string(names.size()) +
                               " names (Python raises ValueError)");
    for (auto [name, element] : llvm::zip_equal(names, item.elements))
      if (failed(bindUnrolled(*name.getAsObject(), element, shown)))
        return failure();
    return success();
  }
  if (kind != "Name")
    return error(target, "`" + shown.str() +
                             "` (unrolled at import) binds names, not '" +
                             source(target) + "'");
  std::string id = target.getString("id").value_or("").str();
  if (item.isTuple)
    return error(target, "`" + shown.str() +
                             "` gives a tuple in each pass: unpack it into "
                             "names (`for a, b in zip(...)`), as predict has "
                             "no tuple values");
  scope->env.erase(id);
  scope->known.erase(id);
  scope->layerAliases.erase(id);
  scope->heldAliases.erase(id);
  if (item.held)
    scope->heldAliases[id] = *item.held;
  else if (!item.layer.empty())
    scope->layerAliases[id] = item.layer;
  else if (item.text)
    scope->known.insert_or_assign(id, json::Value(*item.text));
  else
    scope->env[id] = *item.value;
  return success();
}

std::optional<LogicalResult>
ProgramBuilder::unrolledListLoop(const json::Object &stmt) {
  const json::Object *target = child(stmt, "target");
  const json::Object *seq = child(stmt, "iter");
  if (!target || !seq || !stmt.get("body"))
    return std::nullopt;
  // zip and enumerate of what is not known at import (ranges, tensors)
  // are loops at run time (PythonLoops.cpp), unless they zip layers.
  std::optional<FailureOr<std::vector<UnrolledItem>>> items =
      unrolledItems(*seq, /*layersAround=*/false);
  if (!items)
    return std::nullopt;
  if (failed(*items))
    return LogicalResult(failure());
  std::string shown = "for ... in " + source(*seq);
  // Python makes the sequence before the first pass: a list the body
  // changes would be read as it was.
  SmallVector<std::string> rebound;
  collectReboundNames(*stmt.get("body"), rebound);
  for (const std::string &name : rebound) {
    auto it = scope->env.find(name);
    if (it != scope->env.end() && it->second.isList() &&
        readsName(json::Object(*seq), name))
      return LogicalResult(error(stmt, "the body of `" + shown +
                                           "` changes the list it loops "
                                           "over; loop over a copy"));
  }
  if (failed(unrolledLoop(stmt, shown, (*items)->size(), [&](size_t i) {
        return bindUnrolled(*target, (**items)[i], shown);
      })))
    return LogicalResult(failure());
  // A name bound to a layer stays that layer after the loop, as Python
  // keeps a loop's variable, until a statement binds it again; but not out
  // of a loop inside a construct decided at run time, where the name's
  // layer would depend on the path taken (found by helper-82).
  if (!atFunctionLevel()) {
    std::function<void(const json::Object &)> forget =
        [&](const json::Object &t) {
          if (kindOf(t) == "Name") {
            scope->layerAliases.erase(t.getString("id").value_or(""));
            scope->heldAliases.erase(t.getString("id").value_or(""));
          }
          for (const json::Value &e : arrayOr(t.getArray("elts")))
            if (const json::Object *o = e.getAsObject())
              forget(*o);
        };
    forget(*target);
  }
  return LogicalResult(success());
}

//===----------------------------------------------------------------------===//
// for i in range(n): x = self.blocks[i](x)
//===----------------------------------------------------------------------===//

std::optional<LogicalResult>
ProgramBuilder::layerIndexLoop(const json::Object &stmt) {
  const json::Object *target = child(stmt, "target");
  const json::Object *iter = child(stmt, "iter");
  const json::Value *body = stmt.get("body");
  if (!target || kindOf(*target) != "Name" || !iter || !body ||
      !callsBuiltin(*iter, "range"))
    return std::nullopt;
  llvm::StringRef var = target->getString("id").value_or("");
  // `self.blocks[i]`, a list of a held model (`self.inner.blocks[i]`,
  // `m.blocks[i]` of `for m in self.models`), a list known at import
  // (`outs[i]`, `SIZES[i]`); or a loop unrolled at import in the body
  // that reads `i` (`if j == i: break` in `for j in ...self.blocks`),
  // which could not decide it at import otherwise (found by helper-80).
  auto isList = [&](const json::Object &node) {
    return layerGroup(node) || heldGroup(node) || knownList(node);
  };
  std::function<bool(const json::Value &)> innerReads =
      [&](const json::Value &v) {
        if (const json::Array *a = v.getAsArray())
          return llvm::any_of(*a, innerReads);
        const json::Object *o = v.getAsObject();
        if (!o || kindOf(*o) == "FunctionDef" || kindOf(*o) == "Lambda")
          return false;
        const json::Object *iter = child(*o, "iter");
        const json::Object *target = child(*o, "target");
        if (kindOf(*o) == "For" && iter && o->get("body") &&
            readsName(*o->get("body"), var) &&
            (loopsOverLayers(*iter) || kindOf(*iter) == "List" ||
             kindOf(*iter) == "Tuple" ||
             (callsBuiltin(*iter, "range") && target &&
              kindOf(*target) == "Name" &&
              picksLayerBy(*o->get("body"),
                           target->getString("id").value_or(""), isList))))
          return true;
        return llvm::any_of(
            *o, [&](const auto &field) { return innerReads(field.second); });
      };
  bool picks = picksLayerBy(*body, var, isList);
  if (!picks && !innerReads(*body))
    return std::nullopt;
  const json::Array &args = arrayOr(iter->getArray("args"));
  if (!arrayOr(iter->getArray("keywords")).empty())
    return LogicalResult(error(*iter, "range() takes no keyword arguments "
                                      "(Python raises TypeError)"));
  if (args.empty() || args.size() > 3)
    return LogicalResult(error(*iter, "range() takes 1 to 3 arguments, not " +
                                          std::to_string(args.size()) +
                                          " (Python raises TypeError)"));
  std::string shown = "for " + var.str() + " in " + source(*iter);
  SmallVector<int64_t, 3> bounds;
  for (const json::Value &a : args) {
    const json::Object &arg = *a.getAsObject();
    FailureOr<PyValue> v = expr(arg);
    if (failed(v))
      return LogicalResult(failure());
    std::optional<int64_t> known =
        v->isIndex() ? knownIndexValue(v->value) : std::nullopt;
    // (Only read by an inner unrolled loop: a loop at run time then, found
    // by helper-82.)
    if (!known && !picks)
      return std::nullopt;
    if (!known)
      return LogicalResult(error(
          arg, "`" + shown + "` picks a layer or a list's element by " +
                   var.str() +
                   ", so it runs at import (as AutoGraph runs a loop over "
                   "a Python range): its bounds must be ints known at "
                   "import, not '" +
                   source(arg) +
                   "' (loop over the list instead: `for "
                   "layer in self.<list>:`)"));
    bounds.push_back(*known);
  }
  int64_t start = bounds.size() > 1 ? bounds[0] : 0;
  int64_t stop = bounds.size() > 1 ? bounds[1] : bounds[0];
  int64_t step = bounds.size() > 2 ? bounds[2] : 1;
  if (step == 0)
    return LogicalResult(error(*iter, "range() arg 3 must not be zero "
                                      "(Python raises ValueError)"));
  // Python's len(range(start, stop, step)), in 128 bits: no overflow.
  __int128 span = step > 0 ? (__int128)stop - start : (__int128)start - stop;
  __int128 magnitude = step > 0 ? step : -(__int128)step;
  __int128 count = span <= 0 ? 0 : (span + magnitude - 1) / magnitude;
  return unrolledLoop(stmt, shown, (size_t)count, [&](size_t i) {
    scope->env[var.str()] =
        constantIndex(start + (int64_t)i * step, loc(*target));
    return success();
  });
}

//===----------------------------------------------------------------------===//
// The passes
//===----------------------------------------------------------------------===//

LogicalResult
ProgramBuilder::unrolledLoop(const json::Object &stmt, llvm::StringRef shown,
                             size_t count,
                             llvm::function_ref<LogicalResult(size_t)> bind) {
  if (returnsIn(*stmt.get("body")))
    return error(stmt, "`return` in `" + shown +
                           "` (unrolled at import) is not converted: assign "
                           "the result to a name, and return it after the "
                           "loop");
  auto nodes = [](const json::Array *array) {
    SmallVector<const json::Object *> out;
    for (const json::Value &s : arrayOr(array))
      if (const json::Object *o = s.getAsObject())
        out.push_back(o);
    return out;
  };
  SmallVector<const json::Object *> orelse = nodes(stmt.getArray("orelse"));
  if (const json::Value *e = stmt.get("orelse"); e && returnsIn(*e))
    return error(*orelse.front(), "`return` in the `else` of `" + shown +
                                      "` (unrolled at import) is not "
                                      "converted: assign the result to a "
                                      "name, and return it after the loop");
  // Inside loops unrolled too, the passes multiply (found by helper-79:
  // two nested range(10000) loops ran on without end).
  if ((__int128)count * unrolledPasses > kMaxUnrolledPasses)
    return error(stmt.getObject("iter") ? *stmt.getObject("iter") : stmt,
                 "`" + shown.str() + "` is unrolled at import, and its " +
                     std::to_string(count) + " passes" +
                     (unrolledPasses > 1
                          ? " in each of the " +
                                std::to_string(unrolledPasses) +
                                " passes of the loops unrolled around it"
                          : std::string()) +
                     " are more than " + std::to_string(kMaxUnrolledPasses) +
                     ": loop over the list of layers itself (`for "
                     "layer in self.<list>:`), or over values at run "
                     "time (a tensor's rows, tf.range)");
  SmallVector<const json::Object *> stmts = nodes(stmt.getArray("body"));
  bool broke = false;
  {
    llvm::SaveAndRestore<int64_t> nested(
        unrolledPasses, unrolledPasses * std::max<int64_t>(count, 1));
    scope->unrolled.push_back({scope->loops.size(), shown.str()});
    llvm::scope_exit popped([&] { scope->unrolled.pop_back(); });
    // Each pass is the body with the names bound; a `break` or `continue`
    // reached ends it (block() stops there), as Python's would. One under
    // an `if` decided at run time is refused by block().
    for (size_t i = 0; i < count && !broke; ++i) {
      if (failed(bind(i)))
        return failure();
      FailureOr<Exit> exit = block(stmts);
      if (failed(exit))
        return failure();
      broke = exit->kind == Exit::Break;
    }
  }
  // `for ... else`: the `else` runs when no `break` ended the loop; its
  // own `break` or `continue` (of the loop around: the idiom that leaves
  // two loops) ends the path after the loop (block()).
  if (broke || orelse.empty())
    return success();
  // Its `break` and `continue` are decided at import too (one under an
  // `if` decided at run time would leave the statements after the loop
  // out of that `if`'s arms: found by helper-82).
  scope->unrolled.push_back({scope->loops.size(), shown.str() + "`'s `else"});
  FailureOr<Exit> exit = block(orelse);
  scope->unrolled.pop_back();
  if (failed(exit))
    return failure();
  if (exit->kind != Exit::FallThrough)
    unrolledElseExit = *exit;
  return success();
}
