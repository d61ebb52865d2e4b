//===- PythonBranches.cpp - if, while, break, continue, tf.cond -----------===//
//
// Python's control flow as AutoGraph converts it, without tracing: a
// condition known at import (a Python value, a static size) decides an `if`
// there and only the chosen arm is converted; one known only at run time (a
// dynamic size, a tensor of one element) is an `scf.if` whose arms are both
// converted and type-checked, the names they bind merged into its results.
// `while` is an `scf.while` carrying the names its body rebinds. A `return`,
// `break` or `continue` in an arm takes the statements after the `if` into
// the arms that fall through (tail duplication), so every path ends by
// itself; a `break` is a flag the `while` carries. scf.if and scf.while are
// used directly: their semantics are Python's, and nothing predict-specific
// (lists, batching) passes through them (docs/PythonSource.md).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"

#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/SaveAndRestore.h"

#include <array>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
std::optional<bool> knownBool(Value v) {
  llvm::APInt c;
  if (v && v.getType().isInteger(1) && matchPattern(v, m_ConstantInt(&c)))
    return c.getBoolValue();
  return std::nullopt;
}

/// Whether `stmts` end a path early: a `return` anywhere (but in a nested
/// function), a `break` or `continue` not inside a nested loop.
bool hasExit(const json::Array *stmts, bool inNestedLoop = false) {
  for (const json::Object *s : nodes(stmts)) {
    llvm::StringRef kind = kindOf(*s);
    if (kind == "Return")
      return true;
    if ((kind == "Break" || kind == "Continue") && !inNestedLoop)
      return true;
    bool loop = kind == "For" || kind == "While";
    if (kind == "If" || loop || kind == "With" || kind == "Try")
      if (hasExit(s->getArray("body"), inNestedLoop || loop) ||
          hasExit(s->getArray("orelse"), inNestedLoop))
        return true;
  }
  return false;
}

/// Whether every path through `stmts` ends with a `return`, `break` or
/// `continue` (what follows them is unreachable).
bool endsPath(ArrayRef<const json::Object *> stmts) {
  if (stmts.empty())
    return false;
  const json::Object &last = *stmts.back();
  llvm::StringRef kind = kindOf(last);
  if (kind == "Return" || kind == "Break" || kind == "Continue")
    return true;
  return kind == "If" && endsPath(nodes(last.getArray("body"))) &&
         endsPath(nodes(last.getArray("orelse")));
}

/// The Python word of a comparison operator.
llvm::StringRef compareWord(llvm::StringRef op) {
  return llvm::StringSwitch<llvm::StringRef>(op)
      .Case("Eq", "==")
      .Case("NotEq", "!=")
      .Case("Lt", "<")
      .Case("LtE", "<=")
      .Case("Gt", ">")
      .Case("GtE", ">=")
      .Case("Is", "is")
      .Case("IsNot", "is not")
      .Case("In", "in")
      .Case("NotIn", "not in")
      .Default(op);
}

bool sameValue(const PyValue &a, const PyValue &b) {
  if (a.kind != b.kind)
    return false;
  if (a.isList())
    return a.list == b.list ||
           (a.list->ssa == b.list->ssa && a.list->elements == b.list->elements);
  if (a.kind == PyValue::Kind::Unbound)
    return a.loop == b.loop;
  return a.value == b.value;
}
} // namespace

SmallVector<const json::Object *> python::nodes(const json::Array *array) {
  SmallVector<const json::Object *> out;
  if (array)
    for (const json::Value &v : *array)
      if (const json::Object *o = v.getAsObject())
        out.push_back(o);
  return out;
}

std::string python::kindWords(const PyValue &v) {
  switch (v.kind) {
  case PyValue::Kind::Tensor:
    if (ProgramBuilder::pythonFloat(v))
      return "a Python float";
    return "a " + typeText(v.value.getType());
  case PyValue::Kind::Index:
    return "an integer";
  case PyValue::Kind::Bool:
    return "a bool";
  case PyValue::Kind::List:
    return "a list";
  case PyValue::Kind::Unbound:
    return "unbound";
  }
  return "a value";
}

//===----------------------------------------------------------------------===//
// Conditions
//===----------------------------------------------------------------------===//

FailureOr<PyValue> ProgramBuilder::compare(const json::Object &node) {
  const json::Array *ops = node.getArray("ops");
  const json::Array *comparators = node.getArray("comparators");
  const json::Object *left = node.getObject("left");
  if (!ops || !comparators || !left || ops->size() != comparators->size() ||
      ops->empty())
    return error(node, "the program JSON has a bad Compare");
  // Dtypes, strings and None: decided at import (PythonValues.cpp).
  if (std::optional<FailureOr<PyValue>> known = dtypeCompare(node))
    return *known;
  if (std::optional<FailureOr<PyValue>> known = knownCompare(node))
    return *known;
  // `i in (0, 2)`, `k not in self.skip`: Python's tuple.__contains__,
  // `i == 0 or i == 2` (`!=` and `and` for `not in`), on a sequence
  // written in place or known at import (found by helper-80).
  if (llvm::StringRef word = (*ops)[0].getAsString().value_or("");
      ops->size() == 1 && (word == "In" || word == "NotIn")) {
    const json::Object &seq = *(*comparators)[0].getAsObject();
    std::optional<json::Array> elements;
    if (kindOf(seq) == "Tuple" || kindOf(seq) == "List") {
      elements = arrayOr(seq.getArray("elts"));
    } else if (const json::Value *v = knownValue(seq)) {
      const json::Object *o = v->getAsObject();
      if (const json::Array *items =
              o ? (o->getArray("list") ? o->getArray("list")
                                       : o->getArray("tuple"))
                : nullptr) {
        elements.emplace();
        for (const json::Value &e : *items)
          elements->push_back(
              located(json::Object{{"node", "Constant"}, {"value", e}}, seq));
      }
    }
    if (elements) {
      bool in = word == "In";
      if (elements->empty()) {
        // Nothing is in an empty sequence.
        if (failed(expr(*left)))
          return failure();
        return PyValue::boolean(
            arith::ConstantIntOp::create(builder, loc(node), !in, 1));
      }
      json::Array tests;
      for (json::Value &e : *elements)
        tests.push_back(
            located(json::Object{{"node", "Compare"},
                                 {"left", json::Object(*left)},
                                 {"ops", json::Array{in ? "Eq" : "NotEq"}},
                                 {"comparators", json::Array{std::move(e)}}},
                    node));
      if (tests.size() == 1)
        return expr(*tests[0].getAsObject());
      return expr(located(json::Object{{"node", "BoolOp"},
                                       {"op", in ? "Or" : "And"},
                                       {"values", std::move(tests)}},
                          node));
    }
  }
  // `flag is False`, `training is not True` of a Python bool: True and
  // False are singletons, so `is` is `==` between bools.
  if (ops->size() == 1 && comparators->size() == 1) {
    llvm::StringRef word = (*ops)[0].getAsString().value_or("");
    const json::Object *right = (*comparators)[0].getAsObject();
    const json::Value *constant =
        right && kindOf(*right) == "Constant" ? right->get("value") : nullptr;
    if ((word == "Is" || word == "IsNot") && constant &&
        constant->getAsBoolean()) {
      FailureOr<PyValue> value = expr(*left);
      if (failed(value))
        return failure();
      if (value->isBool()) {
        Location at = loc(node);
        Value flag = arith::ConstantIntOp::create(builder, at,
                                                  *constant->getAsBoolean(), 1);
        return PyValue::boolean(builder.createOrFold<arith::CmpIOp>(
            at,
            word == "Is" ? arith::CmpIPredicate::eq : arith::CmpIPredicate::ne,
            value->value, flag));
      }
      // A Python int or float is never the True or False object (`0 is
      // False` is False): a `training=0` default (helper-127).
      if (value->isIndex() || pythonFloat(*value))
        return PyValue::boolean(arith::ConstantIntOp::create(
            builder, loc(node), word == "IsNot", 1));
    }
  }
  for (const json::Value &op : *ops) {
    llvm::StringRef word = op.getAsString().value_or("");
    if (word == "Is" || word == "IsNot" || word == "In" || word == "NotIn")
      return error(node, "the comparison '" + compareWord(word) +
                             "' is not converted: compare numbers, sizes "
                             "and tensors with == != < <= > >=");
  }
  // Operands in Python's order; a number takes the kind of the other side
  // (an integer against an integer, a scalar tensor against a tensor).
  SmallVector<const json::Object *> sides{left};
  for (const json::Value &c : *comparators)
    sides.push_back(c.getAsObject());
  SmallVector<std::optional<PyValue>> values(sides.size());
  // Each side's Python number known at import, exactly (a float or a
  // 64-bit integer in quad precision), and whether it is a float: a
  // comparison with a Python float is decided at import (PythonFloats.cpp).
  SmallVector<std::optional<llvm::APFloat>> known(sides.size());
  SmallVector<bool> floats(sides.size(), false);
  auto exactly = [](auto n) {
    llvm::APFloat q(llvm::APFloat::IEEEquad());
    bool lost;
    if constexpr (std::is_same_v<decltype(n), double>) {
      q = llvm::APFloat(n);
      q.convert(llvm::APFloat::IEEEquad(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
    } else {
      q.convertFromAPInt(llvm::APInt(64, n, /*isSigned=*/true),
                         /*IsSigned=*/true, llvm::APFloat::rmNearestTiesToEven);
    }
    return q;
  };
  for (auto [i, side] : llvm::enumerate(sides)) {
    if (!side)
      return error(node, "the program JSON has a bad Compare");
    FailureOr<const json::Object *> n = numberOf(*side);
    if (failed(n))
      return failure();
    if (*n && !(*n)->getString("int")) {
      // a float: a scalar tensor, made below
      FailureOr<double> d = pythonNumber(*side, **n);
      if (failed(d))
        return failure();
      known[i] = exactly(*d);
      floats[i] = true;
      continue;
    }
    FailureOr<PyValue> v = expr(*side);
    if (failed(v))
      return failure();
    values[i] = *v;
    if (std::optional<double> d = pythonFloat(*v)) {
      known[i] = exactly(*d);
      floats[i] = true;
    } else if (std::optional<int64_t> k =
                   v->isIndex() ? knownIndexValue(v->value) : std::nullopt) {
      known[i] = exactly(*k);
    }
  }
  // float(n) of a run-time integer beside Python numbers only: Python's
  // double comparison (`float(n) >= 2.0000001`), not converted (found by
  // helper-97).
  bool realTensor = llvm::any_of(values, [&](const std::optional<PyValue> &v) {
    return v && v->isTensor() && !isRunTimeFloat(*v) && !pythonFloat(*v);
  });
  // So is a Python float compared with an integer known only at run time
  // (`i < 2.5` of a loop's `i`).
  bool anyFloat = llvm::is_contained(floats, true);
  if (!realTensor)
    for (const std::optional<PyValue> &v : values)
      if (v &&
          (isRunTimeFloat(*v) || (anyFloat && (v->isIndex() || v->isBool()) &&
                                  !knownIndexValue(v->value))))
        return error(node, "'" + source(node) +
                               "': Python compares a float with an "
                               "integer known only at run time in double "
                               "precision, which converted code does not "
                               "hold: compare the integers, or write "
                               "tf.cast(n, tf.float32) for TensorFlow's "
                               "float32 comparison");
  bool anyTensor = llvm::any_of(values, [](const std::optional<PyValue> &v) {
    return v && v->isTensor();
  });
  for (auto [i, side] : llvm::enumerate(sides)) {
    if (values[i] && !(anyTensor && values[i]->isIndex()))
      continue;
    FailureOr<const json::Object *> n = numberOf(*side);
    if (failed(n))
      return failure();
    FailureOr<Value> t = *n ? number(*side, **n)
                            : indexAsTensor(*side, *values[i]);
    if (failed(t))
      return failure();
    values[i] = PyValue::tensor(*t);
  }
  Location at = loc(node);
  std::optional<PyValue> result;
  for (size_t k = 0; k < ops->size(); ++k) {
    llvm::StringRef op = (*ops)[k].getAsString().value_or("");
    // `x > [0, 1]`: the list as a tensor of the other's dtype.
    if (failed(listBesideTensor(*values[k], *sides[k], *values[k + 1], node)) ||
        failed(
            listBesideTensor(*values[k + 1], *sides[k + 1], *values[k], node)))
      return failure();
    PyValue a = *values[k], b = *values[k + 1];
    std::optional<CompareKind> kind =
        llvm::StringSwitch<std::optional<CompareKind>>(op)
            .Case("Eq", CompareKind::eq)
            .Case("NotEq", CompareKind::ne)
            .Case("Lt", CompareKind::lt)
            .Case("LtE", CompareKind::le)
            .Case("Gt", CompareKind::gt)
            .Case("GtE", CompareKind::ge)
            .Default(std::nullopt);
    if (!kind)
      return error(node, "the comparison '" + compareWord(op) +
                             "' is not converted: compare numbers, sizes "
                             "and tensors with == != < <= > >=");
    PyValue pair;
    if (known[k] && known[k + 1] && (floats[k] || floats[k + 1])) {
      // Python's: ordered, but `!=` is true of a NaN.
      arith::CmpFPredicate pred;
      switch (*kind) {
      case CompareKind::eq:
        pred = arith::CmpFPredicate::OEQ;
        break;
      case CompareKind::ne:
        pred = arith::CmpFPredicate::UNE;
        break;
      case CompareKind::lt:
        pred = arith::CmpFPredicate::OLT;
        break;
      case CompareKind::le:
        pred = arith::CmpFPredicate::OLE;
        break;
      case CompareKind::gt:
        pred = arith::CmpFPredicate::OGT;
        break;
      case CompareKind::ge:
        pred = arith::CmpFPredicate::OGE;
        break;
      }
      bool r = arith::applyCmpPredicate(pred, *known[k], *known[k + 1]);
      pair = PyValue::boolean(arith::ConstantIntOp::create(builder, at, r, 1));
    } else if ((a.isIndex() || a.isBool()) && (b.isIndex() || b.isBool())) {
      // A bool is Python's int 0 or 1 (`True > 1` is False, `True > False`
      // is True): ordered, or compared with an int, as that int.
      if (!(a.isBool() && b.isBool() &&
            (*kind == CompareKind::eq || *kind == CompareKind::ne))) {
        auto asInt = [&](PyValue v) {
          if (!v.isBool())
            return v;
          if (std::optional<bool> known = knownBool(v.value))
            return constantIndex(*known, at);
          Value wide = arith::ExtUIOp::create(builder, at, builder.getI64Type(),
                                              v.value);
          return PyValue::index(arith::IndexCastOp::create(
              builder, at, builder.getIndexType(), wide));
        };
        a = asInt(a);
        b = asInt(b);
      }
      arith::CmpIPredicate pred;
      switch (*kind) {
      case CompareKind::eq: pred = arith::CmpIPredicate::eq; break;
      case CompareKind::ne: pred = arith::CmpIPredicate::ne; break;
      case CompareKind::lt: pred = arith::CmpIPredicate::slt; break;
      case CompareKind::le: pred = arith::CmpIPredicate::sle; break;
      case CompareKind::gt: pred = arith::CmpIPredicate::sgt; break;
      case CompareKind::ge: pred = arith::CmpIPredicate::sge; break;
      }
      std::optional<int64_t> x = a.isIndex() ? knownIndexValue(a.value)
                                             : std::optional<int64_t>();
      std::optional<int64_t> y = b.isIndex() ? knownIndexValue(b.value)
                                             : std::optional<int64_t>();
      if (a.isBool()) {
        if (auto kb = knownBool(a.value))
          x = *kb;
        if (auto kb = knownBool(b.value))
          y = *kb;
      }
      if (x && y) {
        bool r = arith::applyCmpPredicate(pred, llvm::APInt(64, *x, true),
                                          llvm::APInt(64, *y, true));
        pair = PyValue::boolean(
            arith::ConstantIntOp::create(builder, at, r, 1));
      } else {
        pair = PyValue::boolean(
            arith::CmpIOp::create(builder, at, pred, a.value, b.value));
      }
      // (A comparison of TensorFlow's int32 is a bool tensor.)
      pair.int32 = a.int32 || b.int32;
    } else if ((a.isTensor() || b.isTensor()) && (a.isTensor() || a.isBool()) &&
               (b.isTensor() || b.isBool())) {
      // A Python bool beside a tensor of bools (`mask == False`) is that
      // bool as a tensor, as Tensor.__eq__ converts it.
      auto boolTensor = [&](const PyValue &v) -> Value {
        if (!v.isBool())
          return v.value;
        return tensor::FromElementsOp::create(
            builder, at, RankedTensorType::get({}, builder.getI1Type()),
            ValueRange{v.value});
      };
      const PyValue &tensorSide = a.isTensor() ? a : b;
      auto ranked = dyn_cast<TensorType>(tensorSide.value.getType());
      if ((a.isBool() || b.isBool()) &&
          !(ranked && ranked.getElementType().isInteger(1)))
        return error(node, "cannot compare " + kindWords(a) + " with " +
                               kindWords(b) + " in '" + source(node) +
                               "' (TensorFlow converts a bool only beside "
                               "bools)");
      Value x = boolTensor(a), y = boolTensor(b);
      if (failed(numbersLike(node, x, y, sides[k], sides[k + 1])))
        return failure();
      FailureOr<Value> r = typed(CompareOp::create(
          builder, at, UnrankedTensorType::get(builder.getI1Type()),
          CompareKindAttr::get(context, *kind), x, y));
      if (failed(r))
        return failure();
      pair = PyValue::tensor(*r);
    } else {
      return error(node, "cannot compare " + kindWords(a) + " with " +
                             kindWords(b) + " in '" + source(node) + "'");
    }
    if (!result) {
      result = pair;
      continue;
    }
    // `a < b < c` is `a < b and b < c`, as Python chains it.
    if (result->isBool() && pair.isBool()) {
      result = PyValue::boolean(
          arith::AndIOp::create(builder, at, result->value, pair.value));
      continue;
    }
    return error(node, "a chained comparison of tensors is not converted: "
                       "write tf.logical_and(a < b, b < c)");
  }
  return *result;
}

FailureOr<ProgramBuilder::Condition>
ProgramBuilder::truth(const PyValue &value, const json::Object &node,
                      llvm::StringRef construct) {
  Location at = loc(node);
  if (value.isBool()) {
    if (std::optional<bool> k = knownBool(value.value))
      return Condition{*k, value.value, value.int32};
    return Condition{std::nullopt, value.value, value.int32};
  }
  if (value.isIndex()) {
    if (std::optional<int64_t> k = knownIndexValue(value.value))
      return Condition{*k != 0, Value(), value.int32};
    Value zero = arith::ConstantIndexOp::create(builder, at, 0);
    return Condition{std::nullopt,
                     arith::CmpIOp::create(builder, at,
                                           arith::CmpIPredicate::ne,
                                           value.value, zero),
                     value.int32};
  }
  // A Python float known at import (`shift=0.0`): its truth, `!= 0` (NaN
  // is true, as in Python).
  if (std::optional<double> d = pythonFloat(value))
    return Condition{*d != 0.0, Value()};
  if (value.isList())
    return error(node, "a list as the condition of " + construct +
                           " is not converted: test a tensor or a size");
  if (!value.isTensor())
    return error(node, "expected a condition here");
  auto type = dyn_cast<RankedTensorType>(value.value.getType());
  // One element: every static size 1; a size known only at run time is
  // checked there (an error at the condition unless it is 1).
  if (!type || !llvm::all_of(type.getShape(), [](int64_t d) {
        return d == 1 || ShapedType::isDynamic(d);
      }))
    return error(node, "the condition of " + construct + ", '" +
                           source(node) + "', is a tensor of type " +
                           typeText(value.value.getType()) +
                           ", not one value: Python's `if` and `while` need "
                           "a single value (reduce it, e.g. "
                           "tf.reduce_any(...)); for a condition per element "
                           "write tf.where(cond, a, b)");
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (!type.isDynamicDim(d))
      continue;
    Value size = DimOp::create(builder, at, value.value, d);
    Value one = arith::ConstantIndexOp::create(builder, at, 1);
    Value ok = arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq,
                                     size, one);
    // The source's braces are not placeholders (llvm::formatv's `{{`).
    std::string text = braces(source(node));
    AssertOp::create(builder, at, ok,
                     builder.getStringAttr(
                         "the condition of " + construct + ", '" + text +
                         "', has {0} elements along axis " +
                         std::to_string(d) +
                         ", not one value (for a condition per element "
                         "write tf.where(cond, a, b))"),
                     ValueRange{size});
  }
  Value flag = value.value;
  if (!type.getElementType().isInteger(1)) {
    // A number's truth is `!= 0`, as Python's bool() of it.
    auto zeroType = RankedTensorType::get({}, type.getElementType());
    Value zero = ConstantOp::create(
        builder, at,
        DenseElementsAttr::get(zeroType,
                               builder.getZeroAttr(type.getElementType())));
    FailureOr<Value> r = typed(CompareOp::create(
        builder, at, UnrankedTensorType::get(builder.getI1Type()),
        CompareKindAttr::get(context, CompareKind::ne), flag, zero));
    if (failed(r))
      return failure();
    flag = *r;
  }
  SmallVector<Value> indices(type.getRank(),
                             arith::ConstantIndexOp::create(builder, at, 0));
  return Condition{std::nullopt,
                   tensor::ExtractOp::create(builder, at, flag, indices),
                   /*tensor=*/true};
}

std::optional<bool>
ProgramBuilder::knownTextualTruth(const json::Object &test) {
  if (kindOf(test) == "UnaryOp") {
    const json::Object *op = test.getObject("op");
    const json::Object *operand = test.getObject("operand");
    if (op && kindOf(*op) == "Not" && operand)
      if (std::optional<bool> truth = knownTextualTruth(*operand))
        return !*truth;
    return std::nullopt;
  }
  if (kindOf(test) != "Name" && kindOf(test) != "Attribute")
    return std::nullopt;
  const json::Value *known = knownValue(test);
  if (!known || !(known->kind() == json::Value::Null || known->getAsString()))
    return std::nullopt;
  return knownTruth(*known);
}

FailureOr<ProgramBuilder::Condition>
ProgramBuilder::condition(const json::Object &test, llvm::StringRef construct) {
  // A name or a model's attribute known at import to be None or a string
  // is its truth (`if training:` where Keras passed call's default None,
  // `if self.mode:`), and `not` of one its negation; bools and numbers are
  // read as values.
  if (std::optional<bool> known = knownTextualTruth(test))
    return Condition{known, Value()};
  FailureOr<PyValue> value =
      kindOf(test) == "BoolOp" ? boolOp(test, /*truthOnly=*/true) : expr(test);
  if (failed(value))
    return failure();
  FailureOr<Condition> c = truth(*value, test, construct);
  if (failed(c))
    return failure();
  // A condition decided at import leaves no op behind (but one a name
  // holds: `flag = True`, read by two `if`s).
  if (c->known && c->value)
    if (auto op = c->value.getDefiningOp<arith::ConstantOp>();
        op && op->use_empty() &&
        llvm::none_of(scope->env, [&](const auto &entry) {
          return entry.getValue().value == c->value;
        }))
      op->erase();
  return c;
}

FailureOr<PyValue> ProgramBuilder::boolOp(const json::Object &node,
                                          bool truthOnly) {
  bool isAnd = node.getString("op") == "And";
  Location at = loc(node);
  SmallVector<const json::Object *> operands = nodes(node.getArray("values"));
  // Python's short circuit: an operand after one that decides the result
  // is not evaluated (`n > 0 and x[n - 1] > 0` reads x only when n > 0).
  // Decided at run time, the rest is converted in the arm of an scf.if
  // where the result is still open, and the result is a bool.
  std::function<FailureOr<Value>(ArrayRef<const json::Object *>)> rest;
  auto shortCircuit =
      [&](Value decided,
          ArrayRef<const json::Object *> more) -> FailureOr<Value> {
    auto branch = scf::IfOp::create(builder, at, TypeRange{builder.getI1Type()},
                                    decided, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(builder);
    // `and`: the rest where the operand is true, else false; `or`: true
    // where it is true, else the rest.
    for (bool then : {true, false}) {
      builder.setInsertionPointToEnd(then ? branch.thenBlock()
                                          : branch.elseBlock());
      FailureOr<Value> result =
          then == isAnd ? rest(more)
                        : FailureOr<Value>(Value(arith::ConstantIntOp::create(
                              builder, at, !isAnd, 1)));
      if (failed(result))
        return failure();
      scf::YieldOp::create(builder, at, *result);
    }
    return branch.getResult(0);
  };
  // (Whether an operand is a tensor: AutoGraph's and_/or_ make the result
  // one, its integers int32; helper-143.)
  bool anyTensor = false;
  rest = [&](ArrayRef<const json::Object *> values) -> FailureOr<Value> {
    for (auto [k, v] : llvm::enumerate(values)) {
      FailureOr<Condition> c = condition(*v, "`and`/`or`");
      if (failed(c))
        return failure();
      anyTensor |= c->tensor;
      if (c->known) {
        if (*c->known != isAnd)
          return Value(arith::ConstantIntOp::create(builder, at, *c->known, 1));
        continue;
      }
      if (k + 1 == values.size())
        return c->value;
      return shortCircuit(c->value, values.drop_front(k + 1));
    }
    return Value(arith::ConstantIntOp::create(builder, at, isAnd, 1));
  };
  if (truthOnly) {
    FailureOr<Value> result = rest(operands);
    if (failed(result))
      return failure();
    PyValue truth = PyValue::boolean(*result);
    truth.int32 = anyTensor;
    return truth;
  }
  // The value is Python's: the operand that decides (`2 or 3` is 2,
  // `x.shape[1] and 7` is 7), or the last one. An operand decided at run
  // time is an scf.if yielding it (or its truth, for bools) where it
  // decides, the rest of the operands where it does not; they must then
  // be of its kind (`ints`: integers, else bools), as one value holds
  // either.
  std::function<FailureOr<PyValue>(ArrayRef<const json::Object *>,
                                   std::optional<bool>)>
      valueOf = [&](ArrayRef<const json::Object *> values,
                    std::optional<bool> ints) -> FailureOr<PyValue> {
    for (auto [k, v] : llvm::enumerate(values)) {
      // A None before the last operand of `or` is false and gives way to
      // the next (`mask = mask or tf.ones_like(x)`, `scale or 2.0 * k` of a
      // None default, helper-131); converted code holds no None value.
      const json::Value *known =
          kindOf(*v) == "Constant" ? v->get("value") : knownValue(*v);
      if (!isAnd && known && known->kind() == json::Value::Null &&
          k + 1 < values.size())
        continue;
      FailureOr<PyValue> value = expr(*v);
      if (failed(value))
        return failure();
      // The last operand, reached with nothing chosen at run time, is the
      // value whatever its truth (`mask or tf.ones_like(x)`).
      bool last = k + 1 == values.size();
      if (last && !ints)
        return *value;
      FailureOr<Condition> c = truth(*value, *v, "`and`/`or`");
      if (failed(c))
        return failure();
      bool decides = c->known && *c->known != isAnd;
      if (!ints && (last || decides))
        return *value;
      if (c->known && !last && !decides)
        continue;
      // Its kind, which a choice made at run time needs.
      bool isInt = value->isIndex();
      bool isBool = value->isBool() ||
                    (value->isTensor() && !value->list &&
                     getElementTypeOrSelf(value->value.getType()).isInteger(1));
      if ((!isInt && !isBool) || (ints && *ints != isInt))
        return error(*v, "'" + source(node) + "' gives the operand that " +
                             "decides it, chosen at run time here, and '" +
                             source(*v) + "' is " + kindWords(*value) +
                             (ints ? std::string(" where another is ") +
                                         (*ints ? "an integer" : "a bool")
                                   : std::string()) +
                             ": converted code chooses among bools "
                             "(comparisons) or among integers; compare it "
                             "(`" +
                             source(*v) +
                             " != 0`), or choose a value with "
                             "`a if c else b` or tf.where");
      auto asValue = [&]() -> PyValue {
        return isInt ? *value : PyValue::boolean(c->value);
      };
      if (last || decides) {
        if (isInt || c->value)
          return asValue();
        return PyValue::boolean(
            arith::ConstantIntOp::create(builder, at, *c->known, 1));
      }
      Type type = isInt ? Type(builder.getIndexType()) : builder.getI1Type();
      auto branch = scf::IfOp::create(builder, at, TypeRange{type}, c->value,
                                      /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(builder);
      // `and`: the rest where the operand is true, else the operand;
      // `or`: the operand where it is true, else the rest.
      for (bool then : {true, false}) {
        builder.setInsertionPointToEnd(then ? branch.thenBlock()
                                            : branch.elseBlock());
        FailureOr<PyValue> result =
            then == isAnd ? valueOf(values.drop_front(k + 1), isInt)
                          : FailureOr<PyValue>(asValue());
        if (failed(result))
          return failure();
        scf::YieldOp::create(builder, at, result->value);
      }
      PyValue joined = isInt ? PyValue::index(branch.getResult(0))
                             : PyValue::boolean(branch.getResult(0));
      // (On a tensor or TensorFlow's int32, tf.cond: int32; helper-143.)
      joined.int32 = c->tensor || value->int32;
      return joined;
    }
    return error(node, "the program JSON has a BoolOp without operands");
  };
  return valueOf(operands, std::nullopt);
}

FailureOr<PyValue> ProgramBuilder::notOp(const json::Object &node) {
  const json::Object *operand = node.getObject("operand");
  if (!operand)
    return error(node, "the program JSON has a UnaryOp without operand");
  FailureOr<Condition> c = condition(*operand, "`not`");
  if (failed(c))
    return failure();
  Location at = loc(node);
  if (c->known)
    return PyValue::boolean(
        arith::ConstantIntOp::create(builder, at, !*c->known, 1));
  Value one = arith::ConstantIntOp::create(builder, at, 1, 1);
  PyValue negated =
      PyValue::boolean(arith::XOrIOp::create(builder, at, c->value, one));
  // (`not` of a tensor is a tensor to AutoGraph: helper-143.)
  negated.int32 = c->tensor;
  return negated;
}

//===----------------------------------------------------------------------===//
// Merging the arms of a branch
//===----------------------------------------------------------------------===//

RankedTensorType ProgramBuilder::intBesideTensor(const PyValue &a,
                                                 const PyValue &b) {
  if (!a.isIndex() || !b.isTensor() || b.list)
    return {};
  auto type = dyn_cast<RankedTensorType>(b.value.getType());
  if (!type || type.getRank() != 0 ||
      !(type.getElementType().isInteger(32) ||
        type.getElementType().isInteger(64)))
    return {};
  return type;
}

FailureOr<PyValue> ProgramBuilder::intAsTensor(const PyValue &a,
                                               RankedTensorType type,
                                               const json::Object &at) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfterValue(a.value);
  FailureOr<Value> scalar = integerScalar(
      at, a, type.getElementType(),
      "TensorFlow converts the Python int to the " +
          dtypeName(type.getElementType()) + " of the tensor it joins");
  if (failed(scalar))
    return failure();
  return PyValue::tensor(*scalar);
}

FailureOr<bool> ProgramBuilder::joinCarriedInt(PyValue &init, PyValue &v,
                                               Type &widened,
                                               const json::Object &stmt) {
  // A Python int carried, an int tensor after an iteration (`k = 0`, `k +=
  // tf.cast(c, tf.int32)`): carried as the tensor, the loop made again
  // (true); the other way round, the int converted where the iteration
  // ends.
  if (RankedTensorType type = intBesideTensor(init, v)) {
    FailureOr<PyValue> converted = intAsTensor(init, type, stmt);
    if (failed(converted))
      return failure();
    init = *converted;
    widened = type;
    return true;
  }
  if (RankedTensorType type = intBesideTensor(v, init)) {
    FailureOr<PyValue> converted = intAsTensor(v, type, stmt);
    if (failed(converted))
      return failure();
    v = *converted;
  }
  return false;
}

FailureOr<Type> ProgramBuilder::joinArms(PyValue &a, PyValue &b,
                                         llvm::StringRef what,
                                         const json::Object &at) {
  // A Python int beside an int32 tensor is a tensor of that dtype.
  for (auto [one, other] : {std::pair(&a, &b), std::pair(&b, &a)})
    if (RankedTensorType type = intBesideTensor(*one, *other)) {
      FailureOr<PyValue> converted = intAsTensor(*one, type, at);
      if (failed(converted))
        return failure();
      *one = *converted;
    }
  auto mismatch = [&]() {
    return error(at, what + " is " + kindWords(a) + " in one arm and " +
                         kindWords(b) +
                         " in the other: both arms must give it one type");
  };
  if (a.kind != b.kind)
    return mismatch();
  if (a.isList())
    return error(at, what + " is a list or tuple in both arms: after a "
                            "branch decided at run time predict joins "
                            "tensors and numbers, not lists (give or "
                            "return its elements one by one, or choose "
                            "with tf.where)");
  if (a.kind == PyValue::Kind::Unbound)
    return mismatch();
  Type ta = a.value.getType(), tb = b.value.getType();
  if (ta == tb)
    return ta;
  auto ra = dyn_cast<RankedTensorType>(ta), rb = dyn_cast<RankedTensorType>(tb);
  // Sizes that differ between the arms are known only at run time after
  // the branch, as AutoGraph relaxes them.
  if (RankedTensorType joined = joinSizes(ra, rb))
    return Type(joined);
  return mismatch();
}

namespace {
/// An `scf.if` built in two steps: its arms first (results unknown), then
/// remade with the merged result types.
struct Branch {
  scf::IfOp op;
  Block *arm(bool then) { return then ? op.thenBlock() : op.elseBlock(); }
};

/// The arm's values cast to `types`, yielded; the `scf.if` remade with those
/// result types, its results returned.
SmallVector<Value> finishBranch(OpBuilder &builder, Branch &branch,
                                ArrayRef<Value> thenValues,
                                ArrayRef<Value> elseValues,
                                ArrayRef<Type> types, Location at) {
  for (bool then : {true, false}) {
    Block *block = branch.arm(then);
    Operation *terminator = block->getTerminator();
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(terminator);
    SmallVector<Value> values;
    for (auto [v, type] : llvm::zip_equal(then ? thenValues : elseValues, types))
      values.push_back(v.getType() == type
                           ? v
                           : Value(tensor::CastOp::create(builder, at, type, v)));
    scf::YieldOp::create(builder, terminator->getLoc(), values);
    terminator->erase();
  }
  if (types.empty())
    return {};
  auto remade = scf::IfOp::create(builder, branch.op.getLoc(), types,
                                  branch.op.getCondition(),
                                  /*withElseRegion=*/true);
  remade.getThenRegion().takeBody(branch.op.getThenRegion());
  remade.getElseRegion().takeBody(branch.op.getElseRegion());
  branch.op->erase();
  branch.op = remade;
  return SmallVector<Value>(remade.getResults());
}

/// Whether `stmts` end their loop early: a `break` not inside a nested
/// loop, or a `return` anywhere (a `return` in a nested loop ends this one
/// too).
bool hasBreak(const json::Array *stmts, bool inNestedLoop = false,
              bool orContinue = false, bool orReturn = true) {
  for (const json::Object *s : nodes(stmts)) {
    llvm::StringRef kind = kindOf(*s);
    if (((kind == "Break" || (orContinue && kind == "Continue")) &&
         !inNestedLoop) ||
        (orReturn && kind == "Return"))
      return true;
    bool loop = kind == "For" || kind == "While";
    if (kind == "If" || loop || kind == "With" || kind == "Try")
      // (A loop's `else` is not in the loop: its `break` is of the loop
      // around.)
      if (hasBreak(s->getArray("body"), inNestedLoop || loop, orContinue,
                   orReturn) ||
          hasBreak(s->getArray("orelse"), inNestedLoop, orContinue, orReturn))
        return true;
  }
  return false;
}

/// The `return` statements of `stmts`, in nested statements and loops too.
void collectReturns(const json::Array *stmts,
                    SmallVector<const json::Object *> &out) {
  for (const json::Object *s : nodes(stmts)) {
    if (kindOf(*s) == "Return") {
      out.push_back(s);
      continue;
    }
    collectReturns(s->getArray("body"), out);
    collectReturns(s->getArray("orelse"), out);
  }
}

/// Whether `stmts` end their path below another statement (a `return`,
/// or in a loop a `break` or `continue`, in an arm of an `if`; a `return`
/// in a nested loop), not only at their own level.
bool exitsBelow(ArrayRef<const json::Object *> stmts) {
  for (const json::Object *s : stmts) {
    llvm::StringRef kind = kindOf(*s);
    bool loop = kind == "For" || kind == "While";
    if (hasExit(s->getArray("body"), loop) || hasExit(s->getArray("orelse")))
      return true;
  }
  return false;
}

/// A copy of `stmts` for the body of a loop run once (ProgramBuilder::block)
/// in the loop around them: each `break` and `continue` of that loop (not of
/// a loop nested in `stmts`) becomes `<flag> = True` and a `break` of the
/// loop run once, the flag `broke` or `continued`; `usedBroke` and
/// `usedContinued` say which were found.
json::Array exitsAsFlags(const json::Array &stmts, llvm::StringRef broke,
                         llvm::StringRef continued, bool &usedBroke,
                         bool &usedContinued) {
  json::Array out;
  for (const json::Value &v : stmts) {
    const json::Object *s = v.getAsObject();
    llvm::StringRef kind = kindOf(s);
    if (kind == "Break" || kind == "Continue") {
      bool isBreak = kind == "Break";
      (isBreak ? usedBroke : usedContinued) = true;
      out.push_back(located(
          json::Object{
              {"node", "Assign"},
              {"targets", json::Array{located(
                              json::Object{{"node", "Name"},
                                           {"id", isBreak ? broke : continued}},
                              *s)}},
              {"value",
               located(json::Object{{"node", "Constant"}, {"value", true}},
                       *s)}},
          *s));
      out.push_back(located(json::Object{{"node", "Break"}}, *s));
      continue;
    }
    if (!s) {
      out.push_back(v);
      continue;
    }
    json::Object copy = *s;
    // (A nested loop's body has its own `break`s; its `else` is not in it.)
    bool loop = kind == "For" || kind == "While";
    for (llvm::StringRef key : {"body", "orelse"})
      if (const json::Array *arms = s->getArray(key))
        if (key == "orelse" || !loop)
          copy[key] =
              exitsAsFlags(*arms, broke, continued, usedBroke, usedContinued);
    out.push_back(std::move(copy));
  }
  return out;
}

/// How many values `return` statement `ret` gives (a tuple's elements).
size_t returnedCount(const json::Object &ret) {
  const json::Object *value = ret.getObject("value");
  if (!value)
    return 0;
  if (kindOf(*value) == "Tuple")
    if (const json::Array *elts = value->getArray("elts"))
      return elts->size();
  return 1;
}

/// An `scf.if` on `cond` with both arms, results to be given.
Branch startBranch(OpBuilder &builder, Location at, Value cond) {
  return {scf::IfOp::create(builder, at, TypeRange{}, cond,
                            /*withElseRegion=*/true)};
}
} // namespace

bool python::breaksLoop(const json::Array *stmts, bool orReturn) {
  return hasBreak(stmts, /*inNestedLoop=*/false, /*orContinue=*/false,
                  orReturn);
}

bool python::leavesIteration(const json::Array *stmts) {
  return hasBreak(stmts, /*inNestedLoop=*/false, /*orContinue=*/true);
}

SmallVector<Value> python::finishGuard(OpBuilder &builder, Operation *op,
                                       ArrayRef<Value> thenValues,
                                       ArrayRef<Value> elseValues,
                                       ArrayRef<Type> types, Location at) {
  Branch branch{cast<scf::IfOp>(op)};
  return finishBranch(builder, branch, thenValues, elseValues, types, at);
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

LogicalResult ProgramBuilder::ifStatement(const json::Object &stmt) {
  // block() converts `if`s itself; this is an `if` reached as a single
  // statement, which must not end the path.
  if (hasExit(stmt.getArray("body")) || hasExit(stmt.getArray("orelse")))
    return error(stmt, "this `if` statement ends the function or the loop "
                       "where predict cannot follow it (inside a `with` or "
                       "`try`?)");
  FailureOr<Exit> exit = block({&stmt});
  return failure(failed(exit));
}

/// A Python int or bool (a list's element read back as itself).
static bool isPythonScalar(const PyValue &v) {
  return v.isIndex() || v.isBool();
}

/// Appends to `values` (each arm's) and `types` what the two arms of a
/// branch decided at run time give for one name or value (`what` in
/// messages, at `at`): a tensor or number, or a known tuple or list element
/// by element, the arms giving as many (of one namedtuple's fields). How
/// many results it takes.
static FailureOr<size_t>
joinArmValues(ProgramBuilder &b, const PyValue &x, const PyValue &y,
              const std::string &what, const json::Object &at,
              SmallVector<Value> (&values)[2], SmallVector<Type> &types) {
  auto join = [&](PyValue l, PyValue r,
                  const std::string &named) -> LogicalResult {
    FailureOr<Type> t = b.joinArms(l, r, named, at);
    if (failed(t))
      return failure();
    values[0].push_back(l.value);
    values[1].push_back(r.value);
    types.push_back(*t);
    return success();
  };
  if (!x.isKnownList() || !y.isKnownList()) {
    if (failed(join(x, y, what)))
      return failure();
    return size_t(1);
  }
  const ListValue &l = *x.list, &r = *y.list;
  if (l.fields != r.fields)
    return b.error(
        at, what + " is " +
                (l.fields.empty()
                     ? std::string("a tuple or list")
                     : "the namedtuple of " + python::namedTupleSource(b, l)) +
                " in one arm and " +
                (r.fields.empty()
                     ? std::string("a tuple or list")
                     : "the namedtuple of " + python::namedTupleSource(b, r)) +
                " in the other: after a branch decided at run "
                "time both arms must give one structure (as "
                "tf.cond requires)");
  if (l.elements.size() != r.elements.size())
    return b.error(at, what + " is a tuple or list that holds " +
                           std::to_string(l.elements.size()) +
                           (l.elements.size() == 1 ? " element" : " elements") +
                           " in one arm and " +
                           std::to_string(r.elements.size()) +
                           " in the other: after a branch decided at run "
                           "time both arms must give as many (a list "
                           "appended to under such an `if` is built in a "
                           "`for ... in range(...)` or `while` loop, or "
                           "appended tf.where(cond, a, b) after the `if`)");
  for (auto [k, pair] :
       llvm::enumerate(llvm::zip_equal(l.elements, r.elements)))
    if (failed(join(PyValue::tensor(std::get<0>(pair)),
                    PyValue::tensor(std::get<1>(pair)),
                    "element #" + std::to_string(k + 1) + " of " + what)))
      return failure();
  // A Python int or bool among them is joined as itself too (read back as
  // one after the branch, listItem); a tensor in the other arm is an error
  // (TensorFlow's tf.cond refuses int32 against float32 too).
  size_t width = l.elements.size();
  for (size_t k = 0, e = l.elements.size(); k < e; ++k) {
    PyValue a = ProgramBuilder::listItem(l, k),
            c = ProgramBuilder::listItem(r, k);
    if (!isPythonScalar(a) && !isPythonScalar(c))
      continue;
    if (failed(join(a, c, "element #" + std::to_string(k + 1) + " of " + what)))
      return failure();
    ++width;
  }
  return width;
}

/// `v`, the join of `a` and `b` by a branch: TensorFlow's int32 (PyValue::
/// int32) where the branch is on a tensor (tf.cond, whose integers are
/// int32 tensors) or either arm's is, the other arm's Python int converted
/// to it (helper-141: `c = 5 else c = 7` on a tensor stayed Python's).
static PyValue joinedInt32(PyValue v, bool tensorCondition, const PyValue &a,
                           const PyValue &b) {
  v.int32 |= v.isIndex() && (tensorCondition || a.int32 || b.int32);
  return v;
}

/// `v` (the first arm's) with the values results[next...] that the branch
/// gave for it (`width` of them, joinArmValues).
static PyValue rebuiltValue(PyValue v, ArrayRef<Value> results, size_t next,
                            size_t width) {
  // (A Python int joined with an int tensor is that tensor: joinArms.)
  auto joined = [](PyValue &value, Value result) {
    if (isa<TensorType>(result.getType()) && !value.isTensor())
      value = PyValue::tensor(result);
    else
      value.value = result;
  };
  if (!v.isList()) {
    joined(v, results[next]);
    return v;
  }
  v.list = std::make_shared<ListValue>(*v.list);
  if (v.list->ssa) {
    v.list->ssa = v.value = results[next];
    return v;
  }
  size_t count = v.list->elements.size();
  v.list->elements.assign(results.begin() + next,
                          results.begin() + next + count);
  // Each element is either arm's: neither's expression.
  v.list->sources.clear();
  // Its Python ints and bools follow the tensors (joinArmValues).
  if (v.list->items.size() == count) {
    size_t scalar = next + count;
    for (size_t k = 0; k < count; ++k) {
      PyValue &item = v.list->items[k];
      if (isPythonScalar(item))
        joined(item, results[scalar++]);
      else
        item = PyValue::tensor(v.list->elements[k]);
    }
    assert(scalar == next + width && "a Python scalar not joined");
  }
  return v;
}

/// Converts one `if` decided at run time whose arms both fall through, or
/// (`rest` not null) whose arms end the path: each arm then continues with
/// `rest`.
static FailureOr<ProgramBuilder::Exit>
runtimeIf(ProgramBuilder &b, const json::Object &stmt, Value cond,
          ArrayRef<const json::Object *> rest, bool exits,
          bool tensorCondition) {
  using Exit = ProgramBuilder::Exit;
  FunctionScope &scope = *b.scope;
  Location at = b.loc(stmt);
  llvm::StringMap<PyValue> outer = scope.env;
  Branch branch = startBranch(b.builder, at, cond);
  llvm::StringMap<PyValue> envs[2];
  Exit exitOf[2];
  for (bool then : {true, false}) {
    OpBuilder::InsertionGuard guard(b.builder);
    b.builder.setInsertionPoint(branch.arm(then)->getTerminator());
    scope.env = outer;
    SmallVector<const json::Object *> stmts =
        nodes(stmt.getArray(then ? "body" : "orelse"));
    // The statements after the `if` continue each arm that may fall
    // through (with every statement after the enclosing ones: `rest` is
    // the whole continuation).
    if (exits && !endsPath(stmts))
      stmts.append(rest.begin(), rest.end());
    FailureOr<Exit> e = b.block(stmts);
    if (failed(e))
      return failure();
    exitOf[then ? 0 : 1] = *e;
    envs[then ? 0 : 1] = scope.env;
  }
  scope.env = outer;
  int64_t line = b.line(stmt);
  std::string where = "the `if` statement at line " + std::to_string(line);
  if (stmt.get("$loopElse"))
    where = "the `else` of the loop at line " + std::to_string(line);
  if (stmt.get("$loopReturn"))
    where = "the loop at line " + std::to_string(line) +
            ", which may end without returning";
  SmallVector<Value> values[2];
  SmallVector<Type> types;
  auto add = [&](const PyValue &x, const PyValue &y,
                 const std::string &what) -> FailureOr<size_t> {
    return joinArmValues(b, x, y, what, stmt, values, types);
  };
  Exit result{Exit::FallThrough, {}, Value()};
  SmallVector<std::string> merged;
  // The results each merged name takes: a known list's elements, else 1.
  SmallVector<size_t> widths;
  bool inLoop = !scope.loops.empty();
  if (exits && !inLoop) {
    // A function: both arms return.
    for (int k : {0, 1})
      if (exitOf[k].kind != Exit::Return)
        return b.error(stmt, "'" +
                                 scope.function->getString("name")
                                     .value_or("")
                                     .str() +
                                 "' must end with a return statement on every "
                                 "path of " + where);
    if (exitOf[0].values.size() != exitOf[1].values.size())
      return b.error(stmt, "the arms of " + where + " return " +
                               std::to_string(exitOf[0].values.size()) +
                               " and " +
                               std::to_string(exitOf[1].values.size()) +
                               " values: return as many on every path");
    for (auto [k, pair] :
         llvm::enumerate(llvm::zip_equal(exitOf[0].values, exitOf[1].values))) {
      FailureOr<size_t> width =
          add(std::get<0>(pair), std::get<1>(pair),
              "the returned value #" + std::to_string(k + 1) + " of " + where);
      if (failed(width))
        return failure();
      widths.push_back(*width);
    }
    SmallVector<Value> results =
        finishBranch(b.builder, branch, values[0], values[1], types, at);
    result.kind = Exit::Return;
    size_t next = 0;
    for (auto [v, width] : llvm::zip_equal(exitOf[0].values, widths)) {
      result.values.push_back(rebuiltValue(v, results, next, width));
      next += width;
    }
    return result;
  }
  // Names the arms bind: merged into the results where both arms have them.
  SmallVector<std::string> names;
  if (exits) {
    // The iteration ends in each arm: what the loop carries, and whether
    // it broke.
    names = scope.carried.back();
    if (scope.breaks.back()) {
      Value flags[2];
      for (int k : {0, 1}) {
        OpBuilder::InsertionGuard guard(b.builder);
        b.builder.setInsertionPoint(branch.arm(k == 0)->getTerminator());
        flags[k] = exitOf[k].kind == Exit::Dynamic
                       ? exitOf[k].broke
                       : Value(arith::ConstantIntOp::create(
                             b.builder, at, exitOf[k].kind == Exit::Break, 1));
      }
      values[0].push_back(flags[0]);
      values[1].push_back(flags[1]);
      types.push_back(b.builder.getI1Type());
    }
  } else {
    collectReboundNames(*stmt.get("body"), names);
    if (const json::Value *orelse = stmt.get("orelse"))
      collectReboundNames(*orelse, names);
    // A TensorArray's count of writes changes with it.
    for (size_t k = 0, e = names.size(); k < e; ++k)
      if (scope.env.count(writtenName(names[k])))
        names.push_back(writtenName(names[k]));
  }
  for (const std::string &n : names) {
    auto t = envs[0].find(n), e = envs[1].find(n);
    bool inThen = t != envs[0].end(), inElse = e != envs[1].end();
    if (!inThen && !inElse)
      continue;
    if (!inThen || !inElse) {
      // Bound in one arm only: Python leaves it unbound on the other path.
      scope.branchLocals[n] = &stmt;
      continue;
    }
    // (Unbound in both, by two loops that may run zero times: unbound
    // after it too, reading it the error of the first.)
    if (sameValue(t->second, e->second) ||
        (t->second.kind == PyValue::Kind::Unbound &&
         e->second.kind == PyValue::Kind::Unbound)) {
      scope.env[n] = t->second;
      continue;
    }
    auto listed = [&](const PyValue &v) { return v.isList(); };
    auto inArms = [&] {
      SmallVector<std::string> own;
      collectReboundNames(*stmt.get("body"), own);
      if (const json::Value *orelse = stmt.get("orelse"))
        collectReboundNames(*orelse, own);
      return llvm::is_contained(own, n);
    };
    // A list the enclosing loop builds, appended in one arm or both (or,
    // when an arm ends the iteration, after the `if` in the other): the
    // branch gives the list's version of each arm (predict-lower-loops
    // makes it a growing buffer).
    auto loopList = [&](const PyValue &v) {
      return v.isList() && v.list->ssa && v.list->loop &&
             llvm::is_contained(scope.loops, v.list->loop);
    };
    if (loopList(t->second) && loopList(e->second) &&
        t->second.list->slot == e->second.list->slot) {
      values[0].push_back(t->second.list->ssa);
      values[1].push_back(e->second.list->ssa);
      types.push_back({}); // the list's type, once both arms are typed
      merged.push_back(n);
      widths.push_back(1);
      continue;
    }
    // A tuple or list known element by element in both arms, joined
    // element by element.
    if (t->second.isKnownList() && e->second.isKnownList()) {
      FailureOr<size_t> width = add(t->second, e->second, "'" + n + "'");
      if (failed(width))
        return failure();
      merged.push_back(n);
      widths.push_back(*width);
      continue;
    }
    if ((listed(t->second) || listed(e->second)) && exits && !inArms())
      // The append follows the `if` in the source; the arm that ends the
      // iteration skips it.
      return b.error(stmt, "the list '" + n + "' is appended to after " +
                               where +
                               ", whose `break`, `continue` or `return` is "
                               "decided at run time, so that some "
                               "iterations would not append: a list takes "
                               "one append in every iteration (loop over "
                               "the iterations that append instead)");
    const PyValue &changed = listed(t->second) ? t->second : e->second;
    if (changed.isList() && changed.list->tensorArray)
      return b.error(stmt, "the tf.TensorArray '" + n +
                               "' is written in an arm of " + where +
                               ", which is decided at run time, outside a "
                               "loop that predict keeps: write it in a "
                               "`for ... in range(...)` or `while` loop, "
                               "where writes under an `if` convert");
    if (listed(t->second) || listed(e->second))
      return b.error(stmt, "the list '" + n + "' is changed in an arm of " +
                               where +
                               ", which is decided at run time, but is "
                               "built outside a loop that predict keeps "
                               "(appends in straight-line code, or in a "
                               "loop unrolled at import such as `for k in "
                               "[0, 1, 2]`): build it in a `for ... in "
                               "range(...)` or `while` loop, where appends "
                               "under an `if` convert, or append "
                               "tf.where(cond, a, b) after the `if`");
    if (failed(add(t->second, e->second, "'" + n + "'")))
      return failure();
    merged.push_back(n);
    widths.push_back(1);
  }
  for (auto [k, type] : llvm::enumerate(types))
    if (!type)
      type = values[0][k].getType();
  SmallVector<Value> results =
      finishBranch(b.builder, branch, values[0], values[1], types, at);
  size_t first = 0;
  if (exits && scope.breaks.back()) {
    result.kind = Exit::Dynamic;
    result.broke = results[0];
    first = 1;
  }
  size_t next = first;
  for (auto [n, width] : llvm::zip_equal(merged, widths)) {
    scope.env[n] = joinedInt32(rebuiltValue(envs[0][n], results, next, width),
                               tensorCondition, envs[0][n], envs[1][n]);
    next += width;
  }
  if (exits && result.kind != Exit::Dynamic)
    result.kind = Exit::Continue;
  return result;
}

FailureOr<ProgramBuilder::Exit>
ProgramBuilder::block(ArrayRef<const json::Object *> stmts) {
  for (size_t i = 0; i < stmts.size(); ++i) {
    const json::Object &stmt = *stmts[i];
    llvm::StringRef kind = kindOf(stmt);
    // (Statements after a `return`, `break` or `continue` of this block
    // never run, in Python and in AutoGraph's conversion: the exits below
    // leave the block before them, unconverted. helper-134: they were an
    // error, `for ... else: return y` followed by a `return` too.)
    if (kind == "Return") {
      const json::Value *value = stmt.get("value");
      // `return` or `return None` of a function called as a statement.
      const json::Object *returned = value ? value->getAsObject() : nullptr;
      bool none = !value || value->kind() == json::Value::Null ||
                  (kindOf(returned) == "Constant" && returned->get("value") &&
                   returned->get("value")->kind() == json::Value::Null);
      if (none && scope->mayEndWithoutReturn && scope->loops.empty())
        return Exit{Exit::Return, {}, Value()};
      if (!value || value->kind() == json::Value::Null)
        return error(stmt, "the function must return a tensor");
      scope->returnNode = &stmt;
      const json::Object *node = value->getAsObject();
      SmallVector<const json::Value *> values;
      if (node && kindOf(*node) == "Tuple") {
        for (const json::Value &elt : *node->getArray("elts"))
          values.push_back(&elt);
        scope->returnsSequence = true;
      } else {
        values.push_back(value);
      }
      Exit exit{Exit::Return, {}, Value()};
      for (const json::Value *v : values) {
        FailureOr<PyValue> result = expr(*v);
        if (failed(result))
          return failure();
        if ((scope->returnsAnyValue || scope->returnsPythonValues) &&
            !result->isList()) {
          exit.values.push_back(*result);
          continue;
        }
        // `return (p, q), r` of a helper: the tuple stays one result, for
        // the caller to unpack (`(a, b), c = f(x)`).
        if (values.size() > 1 && result->isList() && !result->list->ssa &&
            (kindOf(v->getAsObject()) == "Tuple" ||
             kindOf(v->getAsObject()) == "List") &&
            !inlining.empty() && inlining.back() == scope->function) {
          exit.values.push_back(*result);
          continue;
        }
        // `return outs` of a model's several outputs, `return [y, z]`: as
        // a tuple (tf.function returns a list's tensors; Keras a
        // Functional model's outputs as a list).
        // An integer (`return tf.shape(x)[0]`, `ta.size()`) or a bool
        // (`return n > 2`) is the scalar tensor tf.function returns: int32
        // (checked to hold it) and bool.
        auto returned = [&](const PyValue &r) -> FailureOr<PyValue> {
          if (r.isTensor())
            return r;
          FailureOr<Value> t =
              r.isIndex()
                  ? integerScalar(*v->getAsObject(), r, builder.getI32Type(),
                                  "a returned integer is TensorFlow's int32")
              : r.isBool()
                  ? FailureOr<Value>(
                        tensor::FromElementsOp::create(
                            builder, loc(*v->getAsObject()),
                            RankedTensorType::get({}, builder.getI1Type()),
                            r.value)
                            .getResult())
                  : tensorOf(r, *v->getAsObject());
          if (failed(t))
            return failure();
          return PyValue::tensor(*t);
        };
        if (values.size() == 1 && result->isList() && !result->list->ssa &&
            !scope->returnsAnyValue) {
          if (result->list->elements.empty())
            return error(*v->getAsObject(), "the function returns an empty "
                                            "list; return a tensor");
          // (Each as a result of its own: `return divmod(n, 2)` gives two
          // int32 scalars; helper-141: they were left `index`.)
          for (const PyValue &e : listItems(*result->list)) {
            FailureOr<PyValue> r = returned(e);
            if (failed(r))
              return failure();
            exit.values.push_back(*r);
          }
          scope->returnsSequence = true;
          continue;
        }
        FailureOr<PyValue> r = returned(*result);
        if (failed(r))
          return failure();
        exit.values.push_back(*r);
      }
      if (!scope->loops.empty())
        return returnInLoop(stmt, exit.values);
      return exit;
    }
    // The innermost loop is one unrolled at import: its `break` and
    // `continue` end this pass (unrolledLoop), where import reaches them.
    bool inUnrolled = !scope->unrolled.empty() &&
                      scope->unrolled.back().depth == scope->loops.size();
    if (kind == "Break" || kind == "Continue") {
      if (inUnrolled)
        return Exit{
            kind == "Break" ? Exit::Break : Exit::Continue, {}, Value()};
      if (scope->loops.empty())
        return error(stmt, "`" + llvm::StringRef(kind).lower() +
                               "` outside a loop");
      if (kind == "Break" && !scope->breaks.back())
        return error(stmt, "this `break` is not converted (inside a `with` "
                           "or `try`?)");
      return Exit{kind == "Break" ? Exit::Break : Exit::Continue, {}, Value()};
    }
    if (kind == "For" || kind == "While") {
      // A loop whose body returns: its flag tested after it, then `rest`.
      FailureOr<std::unique_ptr<LoopReturn>> returns = loopReturns(stmt);
      if (failed(returns))
        return failure();
      loopBroke.reset();
      if (failed(kind == "For" ? forLoop(stmt, returns->get())
                               : whileLoop(stmt, returns->get())))
        return failure();
      // `for ... else` of a loop at run time: the `else` runs after it
      // when it did not break (`if not broke: ...`), then `rest`.
      SmallVector<const json::Object *> after = loopElse(stmt);
      bool hasElse = !after.empty();
      after.append(stmts.begin() + i + 1, stmts.end());
      if (*returns)
        return afterLoopReturn(stmt, **returns, after);
      // `for ... else: continue` of a loop unrolled at import: the path
      // ends here, as at the statement.
      if (std::optional<Exit> exit = std::exchange(unrolledElseExit, {}))
        return *exit;
      if (hasElse)
        return block(after);
      continue;
    }
    if (kind != "If") {
      if (failed(statement(stmt)))
        return failure();
      continue;
    }
    const json::Object *test = stmt.getObject("test");
    if (!test)
      return error(stmt, "the program JSON has an If without test");
    FailureOr<Condition> c = condition(*test, "the `if` statement");
    if (failed(c))
      return failure();
    ArrayRef<const json::Object *> rest = stmts.drop_front(i + 1);
    if (c->known) {
      // Decided at import: the chosen arm, then what follows, unless the
      // arm ends in a return, break or continue (what follows is then
      // code Python never runs on this path: not converted, no error).
      SmallVector<const json::Object *> chosen =
          nodes(stmt.getArray(*c->known ? "body" : "orelse"));
      llvm::StringRef last = chosen.empty() ? "" : kindOf(*chosen.back());
      if (last != "Return" && last != "Break" && last != "Continue")
        chosen.append(rest.begin(), rest.end());
      return block(chosen);
    }
    bool exits =
        hasExit(stmt.getArray("body")) || hasExit(stmt.getArray("orelse"));
    if (exits && inUnrolled)
      return error(stmt, "this `if` is decided at run time, and its `break` "
                         "or `continue` would end a pass of `" +
                             scope->unrolled.back().shown +
                             "` (unrolled at import): not converted; decide it "
                             "with values known at import, or compute both "
                             "results and choose with tf.where");
    // Both arms may fall through to `rest`, which runtimeIf then converts
    // in each. When `rest` holds another exit below an `if` or a loop, K
    // such `if`s copy it 2^K times (helper-146: six early returns took a
    // minute to compile; ten `break`s under nested `if`s in a loop made
    // 3.3 MB). Past kMostCopiedIfs copying `if`s, the `if` is converted as
    // the body of a loop run once instead, whose returns bind a flag and
    // values as any loop's do (AutoGraph's conversion of `return`; tensors
    // only); `rest` follows the loop once, after `if flag: return values`.
    // In a loop, its `break` and `continue` bind flags of their own and
    // break the loop run once, which `if $broke@L: break` and `if
    // $continued@L: continue` after it pass on (AutoGraph's conversion of
    // `break` and `continue`).
    bool copies = exits && !rest.empty() &&
                  !endsPath(nodes(stmt.getArray("body"))) &&
                  !endsPath(nodes(stmt.getArray("orelse")));
    bool inLoop = !scope->loops.empty();
    // (A name the `if` binds first, `w` in one arm and before a return in
    // the other, would not outlive the loop, and a list it appends to
    // would be appended in a nested loop: such an `if` is copied.)
    auto bindsNoNewNameOrList = [&] {
      SmallVector<std::string> bound;
      collectReboundNames(*stmt.get("body"), bound);
      if (const json::Value *orelse = stmt.get("orelse"))
        collectReboundNames(*orelse, bound);
      return llvm::all_of(bound, [&](const std::string &name) {
        auto it = scope->env.find(name);
        return it != scope->env.end() && !it->second.isList();
      });
    };
    if (copies && scope->copiedIfs >= FunctionScope::kMostCopiedIfs &&
        exitsBelow(rest) && bindsNoNewNameOrList()) {
      auto at = [&](json::Object node) {
        return located(std::move(node), stmt);
      };
      auto name = [&](const std::string &id) {
        return at(json::Object{{"node", "Name"}, {"id", id}});
      };
      std::string suffix = "@" + std::to_string(line(stmt));
      std::string broke = "$broke" + suffix, continued = "$continued" + suffix;
      bool usedBroke = false, usedContinued = false;
      json::Object body = stmt;
      if (inLoop)
        for (llvm::StringRef key : {"body", "orelse"})
          if (const json::Array *arm = stmt.getArray(key))
            body[key] =
                exitsAsFlags(*arm, broke, continued, usedBroke, usedContinued);
      json::Array args{at(json::Object{{"node", "Constant"},
                                       {"value", json::Object{{"int", "1"}}}})};
      const json::Object &once = synthesize(at(json::Object{
          {"node", "For"},
          {"target", name("$once" + suffix)},
          {"iter", at(json::Object{{"node", "Call"},
                                   {"func", name("range")},
                                   {"args", std::move(args)},
                                   {"keywords", json::Array()}})},
          {"body",
           json::Array{std::move(body), at(json::Object{{"node", "Break"}})}},
          {"orelse", json::Array()},
          {"$once", true}}));
      // `<flag> = False` before the loop run once, `if <flag>: break` (or
      // `continue`) after it.
      SmallVector<const json::Object *> wrapped;
      SmallVector<const json::Object *> passOn;
      for (auto [used, flag, exit] :
           {std::make_tuple(usedBroke, broke, "Break"),
            std::make_tuple(usedContinued, continued, "Continue")}) {
        if (!used)
          continue;
        wrapped.push_back(&synthesize(
            at(json::Object{{"node", "Assign"},
                            {"targets", json::Array{name(flag)}},
                            {"value", at(json::Object{{"node", "Constant"},
                                                      {"value", false}})}})));
        passOn.push_back(&synthesize(at(json::Object{
            {"node", "If"},
            {"test", name(flag)},
            {"body", json::Array{at(json::Object{{"node", exit}})}},
            {"orelse", json::Array()}})));
      }
      wrapped.push_back(&once);
      wrapped.append(passOn.begin(), passOn.end());
      wrapped.append(rest.begin(), rest.end());
      return block(wrapped);
    }
    scope->copiedIfs += copies;
    FailureOr<Exit> e =
        runtimeIf(*this, stmt, c->value, rest, exits, c->tensor);
    scope->copiedIfs -= copies;
    if (failed(e))
      return failure();
    if (exits)
      return *e;
  }
  return Exit{Exit::FallThrough, {}, Value()};
}

//===----------------------------------------------------------------------===//
// return inside a loop
//===----------------------------------------------------------------------===//

FailureOr<ProgramBuilder::Exit> ProgramBuilder::loopBody(
    const json::Object &stmt, ArrayRef<const json::Object *> stmts,
    ArrayRef<std::string> carried, bool breaks, LoopReturn *returns) {
  scope->loops.push_back(&stmt);
  scope->carried.push_back(llvm::to_vector(carried));
  scope->breaks.push_back(breaks);
  scope->returns.push_back(returns);
  FailureOr<Exit> exit = block(stmts);
  scope->loops.pop_back();
  scope->carried.pop_back();
  scope->breaks.pop_back();
  scope->returns.pop_back();
  return exit;
}

FailureOr<std::unique_ptr<LoopReturn>>
ProgramBuilder::loopReturns(const json::Object &stmt) {
  SmallVector<const json::Object *> found;
  collectReturns(stmt.getArray("body"), found);
  if (found.empty())
    return std::unique_ptr<LoopReturn>();
  auto r = std::make_unique<LoopReturn>();
  r->depth = scope->loops.size() + 1;
  if (stmt.get("$once"))
    r->onceIf = line(stmt);
  r->count = returnedCount(*found.front());
  for (const json::Object *ret : found)
    if (returnedCount(*ret) != r->count)
      return error(
          *ret, "this `return` gives " + std::to_string(returnedCount(*ret)) +
                    " values and the `return` at line " +
                    std::to_string(line(*found.front())) + " " +
                    r->sameWhere() + " gives " + std::to_string(r->count) +
                    ": return as many on every path");
  return r;
}

SmallVector<std::string> ProgramBuilder::bindLoopReturn(LoopReturn &r,
                                                        Location at) {
  Value no = arith::ConstantIntOp::create(builder, at, 0, 1);
  SmallVector<std::string> names{r.flagName()};
  scope->env[r.flagName()] = PyValue::boolean(no);
  r.inits.assign(r.count, PyValue::tensor(no));
  r.placeholders = r.inits;
  for (unsigned k = 0; k < r.count; ++k) {
    names.push_back(r.valueName(k));
    scope->env[r.valueName(k)] = r.inits[k];
  }
  return names;
}

void ProgramBuilder::placeLoopReturn(LoopReturn &r, Operation *loop,
                                     unsigned first) {
  r.loop = loop;
  r.first = first;
}

/// A tensor of `type` for a loop's return value before any `return`: zeros
/// where the shape is static, else empty (a dynamic size of 0). Never read:
/// the loop's flag is false while it holds this value.
static Value unreturned(OpBuilder &builder, Location at,
                        RankedTensorType type) {
  if (type.hasStaticShape())
    return ConstantOp::create(
        builder, at,
        DenseElementsAttr::get(type,
                               builder.getZeroAttr(type.getElementType())));
  SmallVector<Value> sizes(type.getNumDynamicDims(),
                           arith::ConstantIndexOp::create(builder, at, 0));
  return tensor::EmptyOp::create(builder, at, type.getShape(),
                                 type.getElementType(), sizes);
}

/// Gives carried value `i` of `loop` (predict.for or scf.while) the initial
/// value `init` and its type.
static void retypeCarried(Operation *loop, unsigned i, Value init) {
  Type type = init.getType();
  if (auto forOp = dyn_cast<ForOp>(loop)) {
    forOp->setOperand(3 + i, init);
    forOp.getRegionIterArgs()[i].setType(type);
  } else {
    auto whileOp = cast<scf::WhileOp>(loop);
    whileOp->setOperand(i, init);
    if (!whileOp.getBefore().empty())
      whileOp.getBeforeArguments()[i].setType(type);
    if (!whileOp.getAfter().empty())
      whileOp.getAfterArguments()[i].setType(type);
  }
  loop->getResult(i).setType(type);
}

FailureOr<ProgramBuilder::Exit>
ProgramBuilder::returnInLoop(const json::Object &stmt,
                             ArrayRef<PyValue> values) {
  LoopReturn *r = scope->returns.back();
  if (!r || r->count != values.size())
    return error(stmt, "this `return` is not converted (inside a `with` or "
                       "`try`?)");
  Location at = loc(stmt);
  for (auto [k, v] : llvm::enumerate(values)) {
    auto type = v.isTensor() ? dyn_cast<RankedTensorType>(v.value.getType())
                             : RankedTensorType();
    if (!type)
      return error(stmt,
                   "a `return` " + r->where() +
                       " gives tensors of known rank, not " + kindWords(v) +
                       (r->onceIf ? ": assign the value to a name and "
                                    "return it after the `if`"
                                  : ": assign the value to a name, `break`, "
                                    "and return it after the loop"));
    Value value = v.value;
    if (!r->typedBy) {
      // The first `return` converted: the loop carries its types.
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPoint(r->loop);
      r->inits[k] = PyValue::tensor(unreturned(builder, at, type));
      retypeCarried(r->loop, r->first + k, r->inits[k].value);
    } else if (Type want = r->inits[k].value.getType(); want != type) {
      // A later `return` of other sizes: cast where the carried type
      // holds it (its sizes dynamic where they differ), else refused.
      auto carried = cast<RankedTensorType>(want);
      bool holds =
          carried.getRank() == type.getRank() &&
          carried.getElementType() == type.getElementType() &&
          llvm::all_of(llvm::zip_equal(carried.getShape(), type.getShape()),
                       [](auto dims) {
                         auto [c, t] = dims;
                         return ShapedType::isDynamic(c) || c == t;
                       });
      if (!holds)
        return error(stmt, "this `return` gives " + typeText(type) +
                               " as value #" + std::to_string(k + 1) +
                               " where the `return` at line " +
                               std::to_string(line(*r->typedBy)) + " " +
                               r->sameWhere() + " gives " + typeText(want) +
                               ": return one type on every path");
      value = tensor::CastOp::create(builder, at, want, value);
    }
    scope->env[r->valueName(k)] = PyValue::tensor(value);
  }
  if (!r->typedBy)
    r->typedBy = &stmt;
  scope->env[r->flagName()] =
      PyValue::boolean(arith::ConstantIntOp::create(builder, at, 1, 1));
  return Exit{Exit::Break, {}, Value()};
}

SmallVector<const json::Object *>
ProgramBuilder::loopElse(const json::Object &loop) {
  std::optional<Value> broke = std::exchange(loopBroke, std::nullopt);
  SmallVector<const json::Object *> stmts = nodes(loop.getArray("orelse"));
  if (!broke)
    return {};
  if (stmts.empty() || !*broke)
    return stmts;
  // `if $ran@L: <else>`, `$ran@L` true where the loop did not break.
  std::string ran = "$loopElse@" + std::to_string(line(loop));
  Location at = loc(loop);
  scope->env[ran] = PyValue::boolean(arith::XOrIOp::create(
      builder, at, *broke, arith::ConstantIntOp::create(builder, at, 1, 1)));
  return {&synthesize(located(
      json::Object{
          {"node", "If"},
          {"test", located(json::Object{{"node", "Name"}, {"id", ran}}, loop)},
          {"body", json::Array(*loop.getArray("orelse"))},
          {"orelse", json::Array()},
          {"$loopElse", true}},
      loop))};
}

FailureOr<ProgramBuilder::Exit>
ProgramBuilder::afterLoopReturn(const json::Object &stmt, LoopReturn &r,
                                ArrayRef<const json::Object *> rest) {
  if (!r.typedBy) {
    // Every `return` was in an arm decided at import not to run.
    scope->env.erase(r.flagName());
    for (unsigned k = 0; k < r.count; ++k)
      scope->env.erase(r.valueName(k));
    return block(rest);
  }
  // `if $returned@D: return $return#0@D, ...` at the loop's place.
  auto at = [&](json::Object node) { return located(std::move(node), stmt); };
  auto name = [&](const std::string &id) {
    return at(json::Object{{"node", "Name"}, {"id", id}});
  };
  json::Array values;
  for (unsigned k = 0; k < r.count; ++k)
    values.push_back(name(r.valueName(k)));
  json::Value value =
      r.count == 1 ? std::move(values[0])
                   : json::Value(at(json::Object{{"node", "Tuple"},
                                                 {"elts", std::move(values)}}));
  const json::Object &test = synthesize(at(json::Object{
      {"node", "If"},
      {"test", name(r.flagName())},
      {"body", json::Array{at(json::Object{{"node", "Return"},
                                           {"value", std::move(value)}})}},
      {"orelse", json::Array()},
      {stmt.get("$once") ? "$onceReturn" : "$loopReturn", true}}));
  SmallVector<const json::Object *> stmts{&test};
  stmts.append(rest.begin(), rest.end());
  return block(stmts);
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

FailureOr<PyValue> ProgramBuilder::ifExp(const json::Object &node) {
  const json::Object *test = node.getObject("test");
  const json::Object *body = node.getObject("body");
  const json::Object *orelse = node.getObject("orelse");
  if (!test || !body || !orelse)
    return error(node, "the program JSON has a bad IfExp");
  FailureOr<Condition> c =
      condition(*test, "the conditional expression (`a if c else b`)");
  if (failed(c))
    return failure();
  if (c->known)
    return expr(*c->known ? *body : *orelse);
  Location at = loc(node);
  Branch branch = startBranch(builder, at, c->value);
  PyValue arms[2];
  for (bool then : {true, false}) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(branch.arm(then)->getTerminator());
    FailureOr<PyValue> v = expr(then ? *body : *orelse);
    if (failed(v))
      return failure();
    if (v->isList() && !v->isKnownList())
      return error(then ? *body : *orelse,
                   "a list built by a loop in a conditional expression is "
                   "not supported: choose its joined tensor (tf.stack or "
                   "tf.concat of it)");
    arms[then ? 0 : 1] = *v;
  }
  // (`pair = (a, b) if c else (b, a)`: element by element.)
  SmallVector<Value> values[2];
  SmallVector<Type> types;
  FailureOr<size_t> width =
      joinArmValues(*this, arms[0], arms[1],
                    "the value of '" + source(node) + "'", node, values, types);
  if (failed(width))
    return failure();
  SmallVector<Value> results =
      finishBranch(builder, branch, values[0], values[1], types, at);
  return joinedInt32(rebuiltValue(arms[0], results, 0, *width), c->tensor,
                     arms[0], arms[1]);
}

//===----------------------------------------------------------------------===//
// while
//===----------------------------------------------------------------------===//

LogicalResult ProgramBuilder::whileLoop(const json::Object &stmt,
                                        LoopReturn *returns) {
  const json::Object *test = stmt.getObject("test");
  const json::Array *body = stmt.getArray("body");
  if (!test || !body)
    return error(stmt, "the program JSON has a While without test or body");
  SmallVector<std::string> rebound, carried;
  collectReboundNames(*stmt.get("body"), rebound);
  for (const std::string &n : rebound) {
    auto it = scope->env.find(n);
    if (it == scope->env.end() || it->second.kind == PyValue::Kind::Unbound)
      continue;
    carried.push_back(n);
  }
  carryWriteCounts(stmt, carried);
  Location at = loc(stmt);
  // Its `return`s' flag and values, carried last (placeholders until the
  // first `return` is converted).
  size_t firstReturned = carried.size() + 1;
  if (returns)
    for (std::string &n : bindLoopReturn(*returns, at))
      carried.push_back(std::move(n));
  FailureOr<SmallVector<PyValue>> started = loopInits(carried, stmt);
  if (failed(started))
    return failure();
  SmallVector<PyValue> inits = std::move(*started);
  llvm::StringMap<PyValue> outer = scope->env;
  // The carried types: those before the loop, widened (sizes that differ
  // become dynamic) until an iteration yields what it receives. A list's
  // is its slot's (typed in place at its first append, until then the
  // placeholder list type, as its block arguments are).
  SmallVector<Type> types;
  for (const PyValue &v : inits)
    types.push_back(v.value.getType());
  auto listType = [&](unsigned k) -> Type {
    return inits[k].list->ssa.getType();
  };
  // Whether the condition depends on tensors: TensorFlow runs the loop as
  // tf.while_loop, whose integers are int32 tensors (PyValue::int32); a
  // condition of Python values alone is Python's loop. Learned in a round,
  // and the loop converted again.
  bool tensorLoop = false;
  for (int round = 0;; ++round) {
    bool forever = false;
    bool conditionIsTensor = false;
    SmallVector<Value> initValues;
    // The ops made for this round's initial values (casts, the flag).
    SmallVector<Operation *> made;
    for (auto [k, v] : llvm::enumerate(inits))
      if (v.isList())
        types[k] = listType(k);
    for (auto [v, type] : llvm::zip_equal(inits, types)) {
      if (v.isList() || v.value.getType() == type) {
        initValues.push_back(v.value);
        continue;
      }
      auto cast = tensor::CastOp::create(builder, at, type, v.value);
      made.push_back(cast);
      initValues.push_back(cast);
    }
    SmallVector<Type> loopTypes(types);
    // A `break` is a flag the loop carries: set, the loop ends.
    loopTypes.push_back(builder.getI1Type());
    auto noBreak = arith::ConstantIntOp::create(builder, at, 0, 1);
    made.push_back(noBreak);
    initValues.push_back(noBreak);
    auto loop = scf::WhileOp::create(builder, at, loopTypes, initValues);
    if (returns)
      placeLoopReturn(*returns, loop, firstReturned);
    SmallVector<Location> locs(loopTypes.size(), at);
    auto bind = [&](Block *block) {
      scope->env = outer;
      for (auto [n, init, arg] :
           llvm::zip(carried, inits, block->getArguments())) {
        PyValue v = init;
        v.value = arg;
        v.int32 |= tensorLoop && int32InLoop(init);
        if (init.isList()) {
          v.list = std::make_shared<ListValue>(*init.list);
          v.list->ssa = arg;
        }
        scope->env[n] = v;
      }
    };
    {
      OpBuilder::InsertionGuard guard(builder);
      Block *before =
          builder.createBlock(&loop.getBefore(), {}, loopTypes, locs);
      bind(before);
      FailureOr<Condition> c = condition(*test, "the `while` loop");
      if (failed(c))
        return failure();
      conditionIsTensor = c->tensor;
      // (Checked once the carried types are final: a size that changes
      // in the loop makes the condition known only at run time.)
      forever = c->known && *c->known && !hasExit(body);
      Value cond = c->known ? Value(arith::ConstantIntOp::create(
                                  builder, at, *c->known, 1))
                            : c->value;
      Value broke = before->getArguments().back();
      Value one = arith::ConstantIntOp::create(builder, at, 1, 1);
      Value going = arith::XOrIOp::create(builder, at, broke, one);
      cond = arith::AndIOp::create(builder, at, going, cond);
      scf::ConditionOp::create(builder, at, cond, before->getArguments());
    }
    SmallVector<Type> widened(types);
    bool stable = true;
    {
      OpBuilder::InsertionGuard guard(builder);
      Block *after = builder.createBlock(&loop.getAfter(), {}, loopTypes, locs);
      bind(after);
      FailureOr<Exit> exit =
          loopBody(stmt, nodes(body), carried, /*breaks=*/true, returns);
      if (failed(exit))
        return failure();
      if (returns) {
        // A `return` has fixed its values' types.
        returns->share(inits, types);
        returns->share(inits, widened);
      }
      Value broke =
          exit->kind == Exit::Dynamic
              ? exit->broke
              : Value(arith::ConstantIntOp::create(
                    builder, at, exit->kind == Exit::Break, 1));
      SmallVector<Value> yields;
      for (auto [k, n] : llvm::enumerate(carried)) {
        PyValue v = scope->env[n];
        if (inits[k].isList()) {
          if (!v.isList() || !v.list->ssa)
            return error(stmt, "'" + n +
                                   "' is bound to a new list inside the "
                                   "loop; a list is built by appends, not "
                                   "rebound");
          yields.push_back(v.list->ssa);
          continue;
        }
        PyValue carriedValue = inits[k];
        carriedValue.value = after->getArgument(k);
        FailureOr<bool> again = joinCarriedInt(inits[k], v, widened[k], stmt);
        if (failed(again))
          return failure();
        if (*again) {
          stable = false;
          yields.push_back(v.value);
          continue;
        }
        auto ranked = [](const PyValue &p) {
          return p.isTensor() ? dyn_cast<RankedTensorType>(p.value.getType())
                              : RankedTensorType();
        };
        if (v.kind != inits[k].kind ||
            (v.isTensor() && (!ranked(v) || !ranked(carriedValue) ||
                              ranked(v).getRank() !=
                                  ranked(carriedValue).getRank())))
          return error(stmt, "'" + n + "' changes type in the loop (" +
                                 kindWords(carriedValue) + " before, " +
                                 kindWords(v) + " after one iteration)");
        FailureOr<Type> joined = joinArms(carriedValue, v, "'" + n + "'", stmt);
        if (failed(joined))
          return failure();
        if (*joined != types[k]) {
          // Less precise than what the loop carries: widen and rebuild.
          widened[k] = *joined;
          stable = false;
        }
        Value y = v.value;
        if (y.getType() != types[k])
          y = tensor::CastOp::create(builder, at, types[k], y);
        yields.push_back(y);
      }
      yields.push_back(broke);
      scf::YieldOp::create(builder, at, yields);
    }
    for (const auto &entry : scope->env)
      if (!outer.count(entry.getKey()))
        scope->loopLocals[entry.getKey()] = &stmt;
    scope->env = std::move(outer);
    outer = scope->env;
    bool tensorCondition = dependsOnTensors(
        loop.getConditionOp().getCondition(), loop, loop.getInits(), 0);
    // TensorFlow's loop (a condition on a tensor or on its int32; not one
    // on x.shape[0], a Python int: helper-141) makes its Python ints int32.
    bool int32Again =
        conditionIsTensor && !tensorLoop &&
        llvm::any_of(inits, [](const PyValue &v) { return v.isIndex(); });
    if ((!stable || int32Again) && round < 8) {
      discardRound(loop, made);
      types = widened;
      tensorLoop |= conditionIsTensor;
      if (returns)
        returns->restart(inits, types);
      continue;
    }
    if (forever)
      return error(*test, "the condition of this `while` loop is always "
                          "true at import, and its body has no `break`: it "
                          "would never end");
    // A condition of Python values alone (`while t < 1.0`): a loop Python
    // runs (PythonFloats.cpp).
    if (!tensorCondition &&
        failed(checkPythonLoopFloats(
            stmt, loop, carried, inits, loop.getInits(),
            loop.getAfter().front().getTerminator()->getOperands(), 0)))
      return failure();
    for (auto [n, init, result] :
         llvm::zip(carried, inits, loop.getResults())) {
      PyValue v = init;
      v.value = result;
      v.int32 |= tensorLoop && int32InLoop(init);
      if (init.isList()) {
        // Typed by the body's append.
        result.setType(init.list->ssa.getType());
        v.list = std::make_shared<ListValue>(*init.list);
        v.list->ssa = result;
      }
      scope->env[n] = v;
    }
    // (A `return` sets the flag too, but the `else` is reached only
    // where none ran.)
    loopBroke = breaksLoop(body, /*orReturn=*/false) ? loop.getResults().back()
                                                     : Value();
    return success();
  }
}

//===----------------------------------------------------------------------===//
// tf.cond, tf.while_loop
//===----------------------------------------------------------------------===//

namespace {
/// A function value given to tf.cond / tf.while_loop: a lambda, or a
/// function of the file by name.
struct Callable {
  const json::Object *lambda = nullptr;
  const json::Object *function = nullptr;
  /// `function` is defined in the caller's body: it sees the caller's
  /// names.
  bool closure = false;
  SmallVector<std::string> params;
};
} // namespace

/// Whether the reader's function `fn` has parameters beyond positional
/// ones without defaults (defaults, *args, keyword-only ones, **kwargs),
/// which a call by tf.cond, tf.while_loop or tf.map_fn does not bind here.
static bool hasExtraParameters(const json::Object &fn) {
  return fn.getBoolean("varargs").value_or(false) || fn.getString("vararg") ||
         fn.getString("kwarg") || !arrayOr(fn.getArray("defaults")).empty() ||
         !arrayOr(fn.getArray("kwonly")).empty();
}

static FailureOr<Callable> callableOf(ProgramBuilder &b,
                                      const json::Object &node,
                                      llvm::StringRef what) {
  Callable c;
  if (kindOf(node) == "Lambda") {
    c.lambda = &node;
    const json::Object *args = node.getObject("args");
    const json::Array *params = args ? args->getArray("args") : nullptr;
    // (Keyword-only parameters too: their defaults were not bound, a name
    // of the caller read instead; helper-144.)
    auto given = [&](llvm::StringRef key) {
      const json::Value *v = args ? args->get(key) : nullptr;
      return v && v->kind() != json::Value::Null &&
             !(v->getAsArray() && v->getAsArray()->empty());
    };
    if (args && (given("defaults") || given("vararg") || given("kwonlyargs") ||
                 given("kwarg")))
      return b.error(node, what + ": a lambda with defaults, *args, "
                                  "keyword-only parameters or **kwargs is not "
                                  "converted here");
    for (const json::Object *p : nodes(params))
      c.params.push_back(p->getString("arg").value_or("").str());
    return c;
  }
  // A lambda bound to a name or a function defined in this body.
  if (kindOf(node) == "Name" && !node.getString("qualified"))
    if (const json::Object *local =
            b.scope->localFunctions.lookup(node.getString("id").value_or(""))) {
      if (kindOf(*local) == "Lambda")
        return callableOf(b, *local, what);
      c.function = local;
      c.closure = true;
      for (const json::Object *p : nodes(local->getArray("params")))
        c.params.push_back(p->getString("name").value_or("").str());
      if (hasExtraParameters(*local))
        return b.error(node, what + ": a function with defaults, *args, "
                                    "keyword-only parameters or **kwargs is "
                                    "not converted here");
      return c;
    }
  if (kindOf(node) == "Name" && !node.getString("qualified"))
    if (const json::Object *fn = b.function(node.getString("id").value_or(""))) {
      c.function = fn;
      for (const json::Object *p : nodes(fn->getArray("params")))
        c.params.push_back(p->getString("name").value_or("").str());
      if (hasExtraParameters(*fn))
        return b.error(node, what + ": a function with defaults, *args, "
                                    "keyword-only parameters or **kwargs is "
                                    "not converted here");
      return c;
    }
  return b.error(node, what + " must be a lambda or a function of this file "
                              "(def f(...): ... at module level), not '" +
                              b.source(node) + "'");
}

/// Whether `node` holds a `return` of a tuple or list (`return a, b`,
/// `return (a,)`), outside nested functions.
static bool returnsTuple(const json::Value &node) {
  if (const json::Array *items = node.getAsArray())
    return llvm::any_of(*items,
                        [](const json::Value &v) { return returnsTuple(v); });
  const json::Object *o = node.getAsObject();
  if (!o || kindOf(*o) == "FunctionDef" || kindOf(*o) == "Lambda")
    return false;
  if (kindOf(*o) == "Return") {
    const json::Object *value = o->getObject("value");
    return value && (kindOf(*value) == "Tuple" || kindOf(*value) == "List");
  }
  for (const auto &[key, value] : *o)
    if (returnsTuple(value))
      return true;
  return false;
}

/// Whether `c` returns a tuple or list of values (its results are a
/// structure, even of one tensor: `lambda r: (r,)`).
static bool returnsTuple(const Callable &c) {
  if (c.lambda) {
    const json::Object *body = c.lambda->getObject("body");
    return body && (kindOf(*body) == "Tuple" || kindOf(*body) == "List");
  }
  const json::Value *body = c.function->get("body");
  return body && returnsTuple(*body);
}

/// Calls `c` on `args`: a lambda's body in the caller's scope with its
/// parameters bound; a function converted as a helper.
static FailureOr<SmallVector<PyValue>>
callCallable(ProgramBuilder &b, const Callable &c, ArrayRef<PyValue> args,
             const json::Object &at) {
  if (args.size() != c.params.size())
    return b.error(at, "the function given here takes " +
                           std::to_string(c.params.size()) +
                           " argument(s) but is called with " +
                           std::to_string(args.size()));
  if (c.lambda) {
    llvm::StringMap<PyValue> saved = b.scope->env;
    for (auto [p, v] : llvm::zip_equal(c.params, args))
      b.scope->env[p] = v;
    const json::Object *body = c.lambda->getObject("body");
    SmallVector<PyValue> out;
    LogicalResult ok = success();
    if (body && (kindOf(*body) == "Tuple" || kindOf(*body) == "List")) {
      for (const json::Object *e : nodes(body->getArray("elts"))) {
        FailureOr<PyValue> v = b.expr(*e);
        if (failed(v)) {
          ok = failure();
          break;
        }
        out.push_back(*v);
      }
    } else if (body) {
      FailureOr<PyValue> v = b.expr(*body);
      if (failed(v))
        ok = failure();
      else
        out.push_back(*v);
    }
    b.scope->env = std::move(saved);
    if (failed(ok))
      return failure();
    return out;
  }
  // A function of the file: its body in its own scope.
  FunctionScope callee;
  callee.function = c.function;
  callee.model = nullptr;
  callee.returnsAnyValue = true;
  if (c.closure)
    b.scope->enclose(callee, *c.function);
  for (auto [p, v] : llvm::zip_equal(c.params, args))
    callee.env[p] = v;
  llvm::SaveAndRestore<FunctionScope *> inCallee(b.scope, &callee);
  if (llvm::is_contained(b.inlining, c.function))
    return b.error(at, "'" + c.function->getString("name").value_or("") +
                           "' calls itself (directly or not): recursion is "
                           "not supported");
  b.inlining.push_back(c.function);
  FailureOr<SmallVector<PyValue>> results =
      b.body(*c.function->getArray("body"));
  b.inlining.pop_back();
  return results;
}

/// The three arguments of `tf.cond(pred, true_fn, false_fn)` or
/// `tf.while_loop(cond, body, loop_vars)` (`names`), bound by the tf.*
/// binder (PythonArguments.cpp); an error at the call naming `callee` and
/// the parameter missing. tf.while_loop's maximum_iterations changes what
/// the loop computes and is refused; its other parameters are hints to
/// TensorFlow's tracing (shape_invariants) and kernels.
static FailureOr<std::array<const json::Object *, 3>>
bindThree(ProgramBuilder &b, const json::Object &node, llvm::StringRef callee,
          std::array<llvm::StringRef, 3> names) {
  FailureOr<BoundCall> bound = bindArguments(
      b, node, *signatureOf(callee == "tf.cond" ? "tensorflow.cond"
                                                : "tensorflow.while_loop"));
  if (failed(bound))
    return failure();
  std::array<const json::Object *, 3> three;
  for (auto [i, name] : llvm::enumerate(names)) {
    if (!bound->has(name))
      return b.error(node, bound->name() + " needs its argument '" + name +
                               "': it takes " + bound->usage());
    three[i] = (*bound)[name];
  }
  if (callee != "tf.cond") {
    if (bound->has("maximum_iterations"))
      return bound->error("maximum_iterations",
                          "is not supported by predict yet: test the "
                          "iteration count in cond");
    for (llvm::StringRef hint : {"back_prop", "swap_memory"})
      if (failed(bound->boolean(hint)))
        return failure();
  }
  return three;
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::controlCall(const json::Object &node, llvm::StringRef callee) {
  if (callee == "tensorflow.while_loop") {
    // Its loop variables, as the structure loop_vars is: a list or tuple
    // (`out = tf.while_loop(...)`, then `out[1]`).
    FailureOr<SmallVector<PyValue>> results = whileLoopCall(node);
    if (failed(results))
      return FailureOr<PyValue>(failure());
    SmallVector<std::string> temporaries;
    json::Array names;
    for (const PyValue &v : *results) {
      std::string id = "*while" + std::to_string(temporaries.size());
      scope->env[id] = v;
      temporaries.push_back(id);
      names.push_back(
          located(json::Object{{"node", "Name"}, {"id", id}}, node));
    }
    FailureOr<PyValue> tuple = expr(synthesize(located(
        json::Object{{"node", "Tuple"}, {"elts", std::move(names)}}, node)));
    unbindTemporaries(temporaries);
    return tuple;
  }
  if (callee == "tensorflow.map_fn" || callee == "tensorflow.vectorized_map")
    return mapCall(node, callee);
  if (callee != "tensorflow.cond")
    return std::nullopt;
  FailureOr<SmallVector<PyValue>> values = condCall(node);
  if (failed(values))
    return FailureOr<PyValue>(failure());
  if (values->size() != 1)
    return FailureOr<PyValue>(error(
        node, "the functions of tf.cond return " + llvm::Twine(values->size()) +
                  " values here: unpack them into as many names (a, "
                  "b = tf.cond(...))"));
  return FailureOr<PyValue>(values->front());
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::condCall(const json::Object &node) {
  auto bound = bindThree(*this, node, "tf.cond", {"pred", "true_fn", "false_fn"});
  if (failed(bound))
    return failure();
  const std::array<const json::Object *, 3> &fns = *bound;
  FailureOr<Callable> arms[2] = {callableOf(*this, *fns[1], "tf.cond's true_fn"),
                                 callableOf(*this, *fns[2], "tf.cond's false_fn")};
  if (failed(arms[0]) || failed(arms[1]))
    return failure();
  FailureOr<Condition> c = condition(*fns[0], "tf.cond");
  if (failed(c))
    return failure();
  // What an arm returns: one value, or the values of a tuple (`lambda: (x,
  // y)`), as TensorFlow takes a function's nested structure.
  auto arm = [&](int k) -> FailureOr<SmallVector<PyValue>> {
    return callCallable(*this, *arms[k], {}, *fns[k + 1]);
  };
  if (c->known)
    return arm(*c->known ? 0 : 1);
  Location at = loc(node);
  Branch branch = startBranch(builder, at, c->value);
  SmallVector<PyValue> values[2];
  for (int k : {0, 1}) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(branch.arm(k == 0)->getTerminator());
    FailureOr<SmallVector<PyValue>> v = arm(k);
    if (failed(v))
      return failure();
    values[k] = std::move(*v);
  }
  if (values[0].size() != values[1].size())
    return error(
        node, "tf.cond's true_fn returns " + llvm::Twine(values[0].size()) +
                  " values and its false_fn " + llvm::Twine(values[1].size()) +
                  " (TensorFlow raises: both must return the same "
                  "structure)");
  SmallVector<Value> trueValues, falseValues;
  SmallVector<Type> types;
  for (auto &&[t, f] : llvm::zip_equal(values[0], values[1])) {
    FailureOr<Type> type = joinArms(t, f, "the value of tf.cond", node);
    if (failed(type))
      return failure();
    types.push_back(*type);
    trueValues.push_back(t.value);
    falseValues.push_back(f.value);
  }
  SmallVector<Value> results =
      finishBranch(builder, branch, trueValues, falseValues, types, at);
  SmallVector<PyValue> out = values[0];
  for (auto [v, result] : llvm::zip_equal(out, results)) {
    v.value = result;
    // (tf.cond's outputs are tensors: a Python int is int32; helper-143.)
    v.int32 |= v.isIndex();
  }
  return out;
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::whileLoopCall(const json::Object &node) {
  auto args =
      bindThree(*this, node, "tf.while_loop", {"cond", "body", "loop_vars"});
  if (failed(args))
    return failure();
  const std::array<const json::Object *, 3> &parts = *args;
  FailureOr<Callable> cond = callableOf(*this, *parts[0], "tf.while_loop's cond");
  FailureOr<Callable> body = callableOf(*this, *parts[1], "tf.while_loop's body");
  if (failed(cond) || failed(body))
    return failure();
  llvm::StringRef varsKind = kindOf(*parts[2]);
  if (varsKind != "List" && varsKind != "Tuple")
    return error(*parts[2], "tf.while_loop's loop_vars must be a list or "
                            "tuple written here: [a, b]");
  SmallVector<PyValue> inits;
  for (const json::Object *e : nodes(parts[2]->getArray("elts"))) {
    FailureOr<PyValue> v = expr(*e);
    if (failed(v))
      return failure();
    if (v->isList())
      return error(*e, "a list as a loop variable of tf.while_loop is not "
                       "supported");
    inits.push_back(*v);
  }
  Location at = loc(node);
  // The loop variables' types: those of loop_vars, widened (sizes that
  // differ become dynamic) until an iteration yields what it receives, as
  // for a `while` statement (helper-134: `h = tf.zeros((0, 4))` grown by
  // tf.concat in the body was carried as 0 rows, an error at run time).
  // TensorFlow takes such a loop with shape_invariants (`TensorShape([None,
  // 4])`), which the widening makes a hint; without them it raises.
  SmallVector<Type> types;
  for (const PyValue &v : inits)
    types.push_back(v.value.getType());
  scf::WhileOp loop;
  for (int round = 0;; ++round) {
    // (Said once the carried types are final: a size the body changes
    // makes a condition on it known only at run time; helper-135.)
    bool forever = false;
    // This round's initial values, cast to the carried types.
    SmallVector<Operation *> made;
    SmallVector<Value> initValues;
    for (auto [v, type] : llvm::zip_equal(inits, types)) {
      if (v.value.getType() == type) {
        initValues.push_back(v.value);
        continue;
      }
      made.push_back(tensor::CastOp::create(builder, at, type, v.value));
      initValues.push_back(made.back()->getResult(0));
    }
    loop = scf::WhileOp::create(builder, at, types, initValues);
    SmallVector<Location> locs(types.size(), at);
    auto bound = [&](Block *block) {
      SmallVector<PyValue> vs;
      for (auto [init, arg] : llvm::zip_equal(inits, block->getArguments())) {
        PyValue v = init;
        v.value = arg;
        // (tf.while_loop's variables are tensors: a Python int is int32.)
        v.int32 |= int32InLoop(init);
        vs.push_back(v);
      }
      return vs;
    };
    {
      OpBuilder::InsertionGuard guard(builder);
      Block *before = builder.createBlock(&loop.getBefore(), {}, types, locs);
      FailureOr<SmallVector<PyValue>> c =
          callCallable(*this, *cond, bound(before), *parts[0]);
      if (failed(c))
        return failure();
      if (c->size() != 1)
        return error(*parts[0], "tf.while_loop's cond must return one value");
      FailureOr<Condition> t =
          truth(c->front(), *parts[0], "tf.while_loop's cond");
      if (failed(t))
        return failure();
      forever = t->known && *t->known;
      Value v =
          t->known
              ? Value(arith::ConstantIntOp::create(builder, at, *t->known, 1))
              : t->value;
      scf::ConditionOp::create(builder, at, v, before->getArguments());
    }
    SmallVector<Type> widened(types);
    bool stable = true;
    {
      OpBuilder::InsertionGuard guard(builder);
      Block *after = builder.createBlock(&loop.getAfter(), {}, types, locs);
      FailureOr<SmallVector<PyValue>> next =
          callCallable(*this, *body, bound(after), *parts[1]);
      if (failed(next))
        return failure();
      if (next->size() != inits.size())
        return error(*parts[1],
                     "tf.while_loop's body returns " +
                         std::to_string(next->size()) + " values for " +
                         std::to_string(inits.size()) + " loop variables");
      SmallVector<Value> yields;
      for (auto [k, v] : llvm::enumerate(*next)) {
        Type got = v.value.getType();
        auto want = dyn_cast<RankedTensorType>(types[k]);
        auto have = dyn_cast<RankedTensorType>(got);
        // Sizes may change (widened below, static ones too: helper-135's
        // tf.concat along axis 1); the kind, rank and dtype may not.
        bool sizesOnly = want && have && want.getRank() == have.getRank() &&
                         want.getElementType() == have.getElementType();
        if (v.kind != inits[k].kind ||
            (got != types[k] && !sizesOnly &&
             !(isa<TensorType>(types[k]) && areCompatible(got, types[k]))))
          return error(*parts[1], "tf.while_loop's body changes loop "
                                  "variable #" +
                                      std::to_string(k + 1) + " from " +
                                      kindWords(inits[k]) + " to " +
                                      kindWords(v) +
                                      " (give it the same shape each "
                                      "iteration)");
        if (sizesOnly) {
          RankedTensorType joined = joinSizes(want, have);
          if (joined && joined != want) {
            widened[k] = joined;
            stable = false;
          }
        }
        yields.push_back(got == types[k]
                             ? v.value
                             : Value(tensor::CastOp::create(
                                   builder, at, types[k], v.value)));
      }
      scf::YieldOp::create(builder, at, yields);
    }
    if (stable || round >= 8) {
      if (forever)
        return error(*parts[0], "tf.while_loop's cond is always true at "
                                "import: the loop would never end");
      break;
    }
    discardRound(loop, made);
    types = widened;
  }
  SmallVector<PyValue> out;
  for (auto [init, r] : llvm::zip_equal(inits, loop.getResults())) {
    PyValue v = init;
    v.value = r;
    v.int32 |= int32InLoop(init);
    out.push_back(v);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// tf.map_fn, tf.vectorized_map
//===----------------------------------------------------------------------===//

FailureOr<PyValue> ProgramBuilder::mapCall(const json::Object &node,
                                           llvm::StringRef callee) {
  bool vectorized = callee == "tensorflow.vectorized_map";
  FailureOr<BoundCall> bound = bindArguments(
      *this, node,
      vectorized ? "vectorized_map(fn, elems, fallback_to_while_loop=True, "
                   "warn=True)"
                 : "map_fn(fn, elems, dtype=None, parallel_iterations=None, "
                   "back_prop=True, swap_memory=False, infer_shape=True, "
                   "name=None, fn_output_signature=None)");
  if (failed(bound))
    return failure();
  std::string shown = bound->name().str();
  FailureOr<Callable> fn = callableOf(*this, bound->at("fn"), shown + "'s fn");
  if (failed(fn))
    return failure();
  if (fn->params.size() != 1)
    return bound->error("fn", "must take one argument (an element of elems), "
                              "not " + llvm::Twine(fn->params.size()));
  // elems: one tensor, or a tuple or list of them (fn then gets a tuple of
  // their rows, as TensorFlow's nest of elements).
  const json::Object &elemsNode = bound->at("elems");
  bool nested = kindOf(elemsNode) == "Tuple" || kindOf(elemsNode) == "List";
  SmallVector<const json::Object *> elemNodes;
  SmallVector<Value> elems;
  if (nested && arrayOr(elemsNode.getArray("elts")).empty())
    return bound->error("elems", "must hold at least one tensor");
  if (nested)
    for (const json::Value &e : arrayOr(elemsNode.getArray("elts"))) {
      FailureOr<Value> v = tensor(e);
      if (failed(v))
        return failure();
      elemNodes.push_back(e.getAsObject());
      elems.push_back(*v);
    }
  if (!nested) {
    FailureOr<Value> v = bound->tensor("elems");
    if (failed(v))
      return failure();
    elemNodes.push_back(&elemsNode);
    elems.push_back(*v);
  }
  for (Value v : elems) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || type.getRank() == 0)
      return bound->error(
          "elems", "must be " + llvm::Twine(nested ? "tensors" : "a tensor") +
                       " of rank 1 or more, not " + typeText(v.getType()));
  }
  // The dtypes the results must have (fn_output_signature, or TensorFlow
  // 1's dtype; a tuple of them for several results): checked against fn's
  // results.
  SmallVector<Type> want;
  // A tf.TensorSpec's shape for each result (std::nullopt: any).
  SmallVector<std::optional<SmallVector<int64_t>>> wantShapes;
  llvm::StringRef signature;
  bool signatureTuple = false;
  for (llvm::StringRef p : {"fn_output_signature", "dtype"}) {
    if (vectorized || !bound->has(p))
      continue;
    signature = p;
    const json::Object &given = bound->at(p);
    SmallVector<const json::Object *> parts{&given};
    signatureTuple = kindOf(given) == "Tuple" || kindOf(given) == "List";
    if (signatureTuple) {
      parts.clear();
      for (const json::Value &e : arrayOr(given.getArray("elts")))
        parts.push_back(e.getAsObject());
    }
    want.clear();
    wantShapes.clear();
    for (const json::Object *part : parts) {
      // tf.TensorSpec(shape, dtype=tf.float32, name=None): a dtype and a
      // shape each result must have (None: any shape; None sizes: any).
      const json::Object *f = part ? part->getObject("func") : nullptr;
      std::optional<llvm::StringRef> q =
          f ? f->getString("qualified") : std::nullopt;
      if (q && q->ends_with("TensorSpec") && *q != "tensorflow.TensorSpec")
        return error(*part, shown + ": " + p.str() + " '" + source(*part) +
                                "' is not converted: predict's tensors are "
                                "dense (give a dtype or tf.TensorSpec)");
      if (q == llvm::StringRef("tensorflow.TensorSpec")) {
        FailureOr<BoundCall> spec = bindArguments(
            *this, *part, "TensorSpec(shape, dtype=None, name=None)");
        if (failed(spec))
          return failure();
        FailureOr<Type> t = spec->dtype("dtype");
        if (failed(t))
          return failure();
        want.push_back(*t ? *t : builder.getF32Type());
        if (!spec->has("shape")) {
          wantShapes.push_back(std::nullopt);
          continue;
        }
        std::optional<SmallVector<int64_t>> sizes =
            writtenShape(spec->at("shape"));
        if (!sizes)
          return spec->error("shape", "must be a list or tuple of sizes "
                                      "(ints known at import, at least 0, "
                                      "or None), tf.TensorShape of one, or "
                                      "None");
        wantShapes.push_back(*sizes);
        continue;
      }
      FailureOr<Type> t = bound->dtypeOf(part, p);
      if (failed(t))
        return failure();
      want.push_back(*t);
      wantShapes.push_back(std::nullopt);
    }
  }
  for (llvm::StringRef hint : {"back_prop", "swap_memory", "infer_shape",
                               "fallback_to_while_loop", "warn"})
    if (llvm::any_of(bound->signature.params,
                     [&](const Parameter &q) { return q.name == hint; }) &&
        bound->has(hint) && failed(bound->boolean(hint)))
      return failure();

  // One iteration per row of elems, fn applied to the row (its first axis
  // dropped), each result stacked on a new axis 0: the lists a loop builds,
  // one preallocated tensor each after predict-lower-loops.
  Location at = loc(node);
  Type f32 = builder.getF32Type();
  auto placeholder = ListType::get(context, UnrankedTensorType::get(f32));
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  Value one = arith::ConstantIndexOp::create(builder, at, 1);
  // TensorFlow requires the tensors of elems to have one first size;
  // vectorized_map broadcasts a first size of 1 (such a tensor's row 0 in
  // every iteration): the loop runs over the largest, which each other
  // size must equal or be 1 (a 1 beside 0 is TensorFlow's error too: it
  // gathers row 0 of the empty one).
  SmallVector<Value> firsts;
  for (Value v : elems)
    firsts.push_back(DimOp::create(builder, at, v, 0));
  Value n = firsts[0];
  if (vectorized)
    for (Value size : llvm::drop_begin(firsts))
      n = arith::MaxUIOp::create(builder, at, n, size);
  int64_t largest = 0;
  bool allStatic = true;
  for (Value v : elems) {
    int64_t own = cast<RankedTensorType>(v.getType()).getDimSize(0);
    allStatic &= !ShapedType::isDynamic(own);
    largest = std::max(largest, own);
  }
  for (auto [k, e, v, size] : llvm::enumerate(elemNodes, elems, firsts)) {
    if ((k == 0 && !vectorized) || elems.size() == 1)
      continue;
    int64_t first = cast<RankedTensorType>(elems[0].getType()).getDimSize(0);
    int64_t own = cast<RankedTensorType>(v.getType()).getDimSize(0);
    const json::Object *other = k ? elemNodes[0] : elemNodes.back();
    std::string what = shown +
                       ": the tensors of elems must have one first "
                       "size" +
                       (vectorized ? " (or 1, which vectorized_map broadcasts)"
                                   : ", as TensorFlow requires") +
                       "; '" + source(*e) + "' has another than '" +
                       source(*other) + "'";
    if (vectorized
            ? allStatic
            : !ShapedType::isDynamic(first) && !ShapedType::isDynamic(own)) {
      int64_t want = vectorized ? largest : first;
      if (own != want && !(vectorized && own == 1))
        return error(*e, what + " (" + std::to_string(own) + " and " +
                             std::to_string(want) + ")");
      continue;
    }
    Value ok =
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, n, size);
    if (vectorized)
      ok = arith::OrIOp::create(builder, at, ok,
                                arith::CmpIOp::create(builder, at,
                                                      arith::CmpIPredicate::eq,
                                                      size, one));
    AssertOp::create(builder, at, ok, builder.getStringAttr(braces(what)),
                     ValueRange{});
  }
  Value empty = ListEmptyOp::create(builder, at, placeholder);
  auto loop = ForOp::create(builder, at, zero, n, one, ValueRange{empty});
  Block *block = loop.getBodyBlock();
  SmallVector<Value> items;
  bool tupleResult = false;
  {
    OpBuilder::InsertionGuard guard(builder);
    if (block->empty())
      builder.setInsertionPointToEnd(block);
    else
      builder.setInsertionPoint(block->getTerminator());
    Value i = loop.getInductionVar();
    SmallVector<Value> rows;
    for (auto [v, size] : llvm::zip(elems, firsts)) {
      // The rows of the other tensors are in range: their first sizes were
      // checked equal to the first's (or 1, broadcast: row 0, as min(i,
      // size - 1) is for a size known only at run time).
      Value rowIndex = i;
      if (vectorized && elems.size() > 1) {
        int64_t own = cast<RankedTensorType>(v.getType()).getDimSize(0);
        if (own == 1)
          rowIndex = zero;
        else if (ShapedType::isDynamic(own))
          rowIndex = arith::MinUIOp::create(
              builder, at, i, arith::SubIOp::create(builder, at, size, one));
      }
      FailureOr<Value> row = rowOf(
          v, rowIndex, cast<RankedTensorType>(v.getType()).getElementType(), at,
          /*checked=*/v != elems[0] || rowIndex != i);
      if (failed(row))
        return failure();
      rows.push_back(*row);
    }
    PyValue argument =
        nested ? knownList(elemsNode, rows) : PyValue::tensor(rows[0]);
    // fn's loops and branches nest inside this one.
    scope->loops.push_back(&node);
    scope->carried.push_back({});
    scope->breaks.push_back(false);
    scope->returns.push_back(nullptr);
    FailureOr<SmallVector<PyValue>> results =
        callCallable(*this, *fn, {argument}, bound->at("fn"));
    scope->loops.pop_back();
    scope->carried.pop_back();
    scope->breaks.pop_back();
    scope->returns.pop_back();
    if (failed(results))
      return failure();
    // `return a, b`, or a tuple or list value: one stacked result each.
    SmallVector<PyValue> values = *results;
    bool fnTuple = returnsTuple(*fn) || values.size() > 1;
    if (values.size() == 1 && values[0].isList() && !values[0].list->ssa) {
      SmallVector<PyValue> elements;
      for (Value e : values[0].list->elements)
        elements.push_back(PyValue::tensor(e));
      values = elements;
      fnTuple = true;
    }
    // The results' structure, as TensorFlow's: fn's own for
    // vectorized_map; for map_fn fn_output_signature's, else elems' (fn
    // must then return as elems holds).
    tupleResult = vectorized          ? fnTuple
                  : signature.empty() ? nested
                                      : signatureTuple;
    if (!vectorized && tupleResult != fnTuple)
      return bound->error(
          "fn", "returns " + llvm::Twine(fnTuple ? "a tuple" : "one tensor") +
                    " but the results are " +
                    (tupleResult ? "a tuple" : "one tensor") + " (" +
                    (signature.empty()
                         ? "the structure of elems: TensorFlow requires "
                           "fn_output_signature when fn's results differ "
                           "from elems"
                         : "fn_output_signature's") +
                    ")");
    if (!vectorized && signature.empty() && nested &&
        values.size() != elems.size())
      return bound->error(
          "fn", "returns " + llvm::Twine(values.size()) +
                    " tensors and elems holds " + llvm::Twine(elems.size()) +
                    ": TensorFlow requires fn_output_signature when fn's "
                    "results differ from elems");
    if (values.empty())
      return bound->error("fn", "must return a tensor or a tuple of them, "
                                "not an empty one");
    for (const PyValue &v : values) {
      if (!v.isTensor())
        return bound->error("fn", "must return tensors (or a tuple of "
                                  "them) here");
      auto itemType = dyn_cast<RankedTensorType>(v.value.getType());
      if (!itemType)
        return bound->error("fn", "returns a tensor of a rank not known at "
                                  "import (" +
                                      typeText(v.value.getType()) + ")");
      items.push_back(v.value);
    }
    if (!want.empty()) {
      if (want.size() != items.size())
        return bound->error(signature,
                            "gives " + llvm::Twine(want.size()) + " dtype" +
                                (want.size() == 1 ? "" : "s") +
                                " but fn returns " + llvm::Twine(items.size()) +
                                " tensor" + (items.size() == 1 ? "" : "s"));
      for (auto [w, shape, item] : llvm::zip(want, wantShapes, items)) {
        auto type = cast<RankedTensorType>(item.getType());
        if (w && type.getElementType() != w)
          return bound->error(signature, "says " + dtypeName(w) +
                                             " but fn returns " +
                                             dtypeName(type.getElementType()) +
                                             " (" + typeText(type) + ")");
        if (!shape)
          continue;
        std::string says = signature.str() + " says shape " +
                           tupleText(*shape) + " but fn returns " +
                           typeText(type) + " (TensorFlow raises)";
        if (!fitsShape(type, *shape))
          return error(bound->at("fn"), shown + ": " + says);
        // A size known at run time only is checked there.
        for (auto [d, size] : llvm::enumerate(*shape)) {
          if (ShapedType::isDynamic(size) || !type.isDynamicDim(d))
            continue;
          Location fnAt = loc(bound->at("fn"));
          Value have = DimOp::create(builder, fnAt, item, d);
          AssertOp::create(
              builder, fnAt,
              arith::CmpIOp::create(
                  builder, fnAt, arith::CmpIPredicate::eq, have,
                  arith::ConstantIndexOp::create(builder, fnAt, size)),
              builder.getStringAttr(braces(
                  shown + ": " + signature.str() + " says size " +
                  std::to_string(size) + " on axis " + std::to_string(d) +
                  " of fn's result, and it has another (TensorFlow " +
                  "raises)")),
              ValueRange{});
        }
      }
    }
  }
  // One list per result: the loop is made again carrying them all.
  if (items.size() > 1) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(loop);
    SmallVector<Value> empties{empty};
    for (size_t k = 1; k < items.size(); ++k)
      empties.push_back(ListEmptyOp::create(builder, at, placeholder));
    auto all = ForOp::create(builder, at, zero, n, one, empties);
    all.getRegion().takeBody(loop.getRegion());
    for (size_t k = 1; k < items.size(); ++k)
      all.getBodyBlock()->addArgument(placeholder, at);
    loop.erase();
    loop = all;
  }
  SmallVector<Value> appended;
  {
    OpBuilder::InsertionGuard guard(builder);
    Block *body = loop.getBodyBlock();
    Operation *terminator = body->empty() ? nullptr : &body->back();
    if (terminator && isa<YieldOp>(terminator)) {
      builder.setInsertionPoint(terminator);
    } else {
      builder.setInsertionPointToEnd(body);
      terminator = nullptr;
    }
    for (auto [k, item] : llvm::enumerate(items)) {
      auto listType =
          ListType::get(context, cast<RankedTensorType>(item.getType()));
      loop.getInitArgs()[k].setType(listType);
      loop.getRegionIterArgs()[k].setType(listType);
      loop.getResult(k).setType(listType);
      // (Named for the lowering's message on rows of sizes that differ.)
      appended.push_back(ListAppendOp::create(
          builder, NameLoc::get(builder.getStringAttr(shown), at), listType,
          loop.getRegionIterArgs()[k], item));
    }
    if (terminator)
      terminator->erase();
    YieldOp::create(builder, at, appended);
  }
  SmallVector<Value> stacked;
  for (size_t k = 0; k < items.size(); ++k) {
    FailureOr<Value> joined = typed(
        ListStackOp::create(builder, at, UnrankedTensorType::get(f32),
                            loop.getResult(k), builder.getI64IntegerAttr(0)));
    if (failed(joined))
      return failure();
    // As many results as elems has rows.
    auto type = cast<RankedTensorType>(elems[0].getType());
    if (auto ranked = dyn_cast<RankedTensorType>(joined->getType());
        ranked && ranked.isDynamicDim(0) && !type.isDynamicDim(0)) {
      SmallVector<int64_t> shape(ranked.getShape());
      shape[0] = type.getDimSize(0);
      joined->setType(RankedTensorType::get(shape, ranked.getElementType()));
    }
    stacked.push_back(*joined);
  }
  if (!tupleResult)
    return PyValue::tensor(stacked[0]);
  return knownList(node, stacked);
}
