//===- PythonChecks.cpp - tf.debugging.assert_* as run-time checks --------===//
//
// `tf.debugging.assert_equal(x, y)`, `assert_less`, `assert_greater`,
// `assert_non_negative`, `assert_all_finite`, `assert_rank`, ... as
// statements of converted code: the element-wise test (numpy's
// broadcasting) reduced with `all`, then one `predict.assert` located at
// the call, as `assert` is converted (docs/PythonSource.md, Output and
// checks). A rank is known at import, so `assert_rank` is checked there. An
// empty tensor passes, as in TensorFlow.
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
/// One checking function: its signature and its element-wise test.
struct CheckFunction {
  const char *name;
  const char *signature;
  /// The comparison of x with y (or with 0 when `zero`); std::nullopt for
  /// assert_rank*, assert_all_finite, Assert.
  std::optional<CompareKind> kind;
  bool zero;
  /// How the test reads in a message (`x == y`, `x >= 0`).
  const char *test;
};

const CheckFunction kChecks[] = {
    {"assert_equal",
     "assert_equal(x, y, message=None, summarize=None, name=None)",
     CompareKind::eq, false, "=="},
    {"assert_none_equal",
     "assert_none_equal(x, y, message=None, summarize=None, name=None)",
     CompareKind::ne, false, "!="},
    {"assert_less",
     "assert_less(x, y, message=None, summarize=None, name=None)",
     CompareKind::lt, false, "<"},
    {"assert_less_equal",
     "assert_less_equal(x, y, message=None, summarize=None, name=None)",
     CompareKind::le, false, "<="},
    {"assert_greater",
     "assert_greater(x, y, message=None, summarize=None, name=None)",
     CompareKind::gt, false, ">"},
    {"assert_greater_equal",
     "assert_greater_equal(x, y, message=None, summarize=None, name=None)",
     CompareKind::ge, false, ">="},
    {"assert_non_negative",
     "assert_non_negative(x, message=None, summarize=None, name=None)",
     CompareKind::ge, true, ">="},
    {"assert_positive",
     "assert_positive(x, message=None, summarize=None, name=None)",
     CompareKind::gt, true, ">"},
    {"assert_non_positive",
     "assert_non_positive(x, message=None, summarize=None, name=None)",
     CompareKind::le, true, "<="},
    {"assert_negative",
     "assert_negative(x, message=None, summarize=None, name=None)",
     CompareKind::lt, true, "<"},
    {"assert_all_finite", "assert_all_finite(x, message, name=None)",
     std::nullopt, false, nullptr},
    {"assert_rank", "assert_rank(x, rank, message=None, name=None)",
     std::nullopt, false, nullptr},
    {"assert_rank_at_least",
     "assert_rank_at_least(x, rank, message=None, name=None)", std::nullopt,
     false, nullptr},
    {"Assert", "Assert(condition, data, summarize=None, name=None)",
     std::nullopt, false, nullptr},
    // |x - y| < atol + rtol * |y|: TensorFlow's assert_near compares with
    // math_ops.less (its docstring says <=; the strict test is what runs).
    {"assert_near",
     "assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, "
     "name=None)",
     CompareKind::lt, false, "is near"},
    // Read from the types at import (PythonShapeChecks.cpp).
    {"assert_shapes",
     "assert_shapes(shapes, data=None, summarize=None, message=None, "
     "name=None)",
     std::nullopt, false, nullptr},
    {"assert_type", "assert_type(tensor, tf_type, message=None, name=None)",
     std::nullopt, false, nullptr},
    {"assert_integer", "assert_integer(x, message=None, name=None)",
     std::nullopt, false, nullptr},
    {"assert_scalar", "assert_scalar(tensor, message=None, name=None)",
     std::nullopt, false, nullptr},
    {"assert_rank_in", "assert_rank_in(x, ranks, message=None, name=None)",
     std::nullopt, false, nullptr},
};

} // namespace

FailureOr<Value> ProgramBuilder::allOf(Value bools, Location at) {
  auto type = dyn_cast<RankedTensorType>(bools.getType());
  if (!type || type.getRank() == 0)
    return bools; // one bool already (or of unknown rank: truth() says)
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    axes.push_back(d);
  return typed(ReduceOp::create(
      builder, at, RankedTensorType::get({}, builder.getI1Type()),
      ReduceKind::all, bools, builder.getDenseI64ArrayAttr(axes),
      /*keepdims=*/false));
}

std::string python::braces(llvm::StringRef text) {
  std::string out;
  for (char ch : text)
    out += ch == '{' ? std::string("{{") : std::string(1, ch);
  return out;
}

/// The checking function `callee` names (`tensorflow.debugging.assert_equal`
/// and TensorFlow's aliases `tensorflow.assert_equal`, ...), or null.
static const CheckFunction *checkFunction(llvm::StringRef callee) {
  llvm::StringRef name;
  if (callee.consume_front("tensorflow.debugging."))
    name = callee;
  else if (callee.consume_front("tensorflow."))
    name = callee;
  else
    return nullptr;
  for (const CheckFunction &c : kChecks)
    if (name == c.name)
      return &c;
  return nullptr;
}

bool ProgramBuilder::isCheckCall(const json::Object &call) {
  const json::Object *func = call.getObject("func");
  std::optional<llvm::StringRef> q = func ? func->getString("qualified")
                                          : std::nullopt;
  return q && (checkFunction(*q) ||
               q->starts_with("tensorflow.debugging.assert_"));
}

LogicalResult ProgramBuilder::checkCall(const json::Object &node) {
  llvm::StringRef callee =
      node.getObject("func")->getString("qualified").value_or("");
  const CheckFunction *check = checkFunction(callee);
  std::string shown = source(*node.getObject("func"));
  if (!check)
    return error(node, shown + " is not converted yet: predict converts "
                               "assert_equal, assert_none_equal, "
                               "assert_less(_equal), assert_greater(_equal), "
                               "assert_(non_)negative, assert_(non_)positive, "
                               "assert_near, assert_all_finite, "
                               "assert_rank(_at_least), assert_rank_in, "
                               "assert_scalar, assert_shapes, assert_type, "
                               "assert_integer and Assert; or write `assert` "
                               "with a tf.reduce_all(...) test");
  FailureOr<BoundCall> bound = bindArguments(*this, node, check->signature);
  if (failed(bound))
    return failure();
  Location at = loc(node);
  // The message the user gave, after ours.
  std::string message;
  llvm::StringRef name = check->name;
  if (name != "Assert" && bound->has("message")) {
    const json::Object *m = (*bound)["message"];
    const json::Value *v = m && m->getString("node") == "Constant"
                               ? m->get("value")
                               : nullptr;
    if (!v || !v->getAsString())
      return bound->error("message", "must be a string literal");
    message = ": " + v->getAsString()->str();
  }
  // summarize= says how much of the data TensorFlow prints: an int, read
  // and not used (the message names the test, not the values).
  if (llvm::any_of(bound->signature.params,
                   [](const Parameter &p) { return p.name == "summarize"; }) &&
      bound->has("summarize") && failed(bound->integer("summarize")))
    return failure();
  if (name == "assert_shapes")
    return assertShapes(*this, *bound, message);
  if (name == "assert_type" || name == "assert_integer" ||
      name == "assert_scalar" || name == "assert_rank_in")
    return typeCheck(*this, *bound, message);
  if (name == "assert_rank" || name == "assert_rank_at_least") {
    FailureOr<Value> x = bound->tensor("x");
    if (failed(x))
      return failure();
    FailureOr<std::optional<int64_t>> rank = bound->integer("rank");
    if (failed(rank))
      return failure();
    if (!*rank)
      return bound->error("rank", "must be an int known at import");
    auto type = dyn_cast<RankedTensorType>(x->getType());
    if (!type)
      return bound->error("x", "has a rank not known at import (" +
                                   typeText(x->getType()) + ")");
    bool ok = name == "assert_rank" ? type.getRank() == **rank
                                    : type.getRank() >= **rank;
    if (ok)
      return success();
    return error(node, shown + " failed: '" + source(*(*bound)["x"]) +
                           "' has rank " + llvm::Twine(type.getRank()) +
                           " (" + typeText(type) + "), not " +
                           (name == "assert_rank" ? "" : "at least ") +
                           llvm::Twine(**rank) + message +
                           " (known at import: TensorFlow raises on every "
                           "call)");
  }

  Value holds; // a tensor of i1, every element of which must be true
  std::string test;
  if (name == "Assert") {
    FailureOr<Value> c = bound->tensor("condition");
    if (failed(c))
      return failure();
    holds = *c;
    test = "'" + source(*(*bound)["condition"]) + "'";
  } else {
    FailureOr<Value> x = bound->tensor("x");
    if (failed(x))
      return failure();
    // TensorFlow's tolerances are of float dtypes (np.finfo); a Python int
    // is its int32.
    if (name == "assert_near") {
      FailureOr<const json::Object *> literal = numberOf(bound->at("x"));
      if (failed(literal))
        return failure();
      bool pythonInt = *literal && (*literal)->getString("int");
      if (pythonInt || !cast<TensorType>(x->getType()).getElementType().isF32())
        return bound->error(
            "x", "must be of float32 (TensorFlow's assert_near reads the "
                 "tolerance of its float dtype), not " +
                     (pythonInt ? std::string("a Python int (int32)")
                                : typeText(x->getType())) +
                     ": tf.cast it");
    }
    Value y;
    if (name == "assert_all_finite" || check->zero) {
      json::Object zero{{"float", "0.0"}};
      FailureOr<Value> z = number(node, zero);
      if (failed(z))
        return failure();
      y = *z;
    } else {
      FailureOr<Value> yv = bound->tensor("y");
      if (failed(yv))
        return failure();
      y = *yv;
    }
    // Numbers and integers of one type compare as they are (a number
    // beside integers takes their type); bools, and operands of two
    // types, compare as float32 (exact below 2**24).
    bool zeroY = name == "assert_all_finite" || check->zero;
    if (failed(numbersLike(node, *x, y, (*bound)["x"],
                           zeroY ? nullptr : (*bound)["y"])))
      return failure();
    Type ex = cast<TensorType>(x->getType()).getElementType();
    bool asIs = ex == cast<TensorType>(y.getType()).getElementType() &&
                !ex.isInteger(1);
    Type f32 = builder.getF32Type();
    for (Value *v : {&*x, &y}) {
      auto t = cast<TensorType>(v->getType());
      if (asIs || t.getElementType().isF32())
        continue;
      FailureOr<Value> c =
          typed(CastOp::create(builder, at, UnrankedTensorType::get(f32), *v));
      if (failed(c))
        return failure();
      *v = *c;
    }
    CompareKind kind = check->kind.value_or(CompareKind::eq);
    Value lhs = *x;
    if (name == "assert_all_finite") {
      // x - x is 0 for a finite x, NaN for an infinity or a NaN.
      FailureOr<Value> d = typed(binaryOp("Sub")(builder, at, *x, *x));
      if (failed(d))
        return failure();
      lhs = *d;
      test = "'" + source(*(*bound)["x"]) + "' is finite";
    } else if (name == "assert_near") {
      // |x - y| < atol + rtol * |y|, each tolerance 10 float32 epsilons
      // by default (tensorflow/python/ops/check_ops.py).
      auto tolerance = [&](llvm::StringRef param) -> FailureOr<Value> {
        FailureOr<std::optional<double>> given = bound->number(param);
        if (failed(given))
          return failure();
        return number(node, floatJson(given->value_or(10.0 * 0x1p-23)));
      };
      FailureOr<Value> rtol = tolerance("rtol"), atol = tolerance("atol");
      if (failed(rtol) || failed(atol))
        return failure();
      auto apply = [&](BinaryBuilder op, Value a, Value b) {
        return typed(op(builder, at, a, b));
      };
      FailureOr<Value> diff = apply(binaryOp("Sub"), *x, y);
      if (failed(diff))
        return failure();
      lhs = AbsOp::create(builder, at, diff->getType(), *diff);
      Value absY = AbsOp::create(builder, at, y.getType(), y);
      FailureOr<Value> scaled = apply(binaryOp("Mult"), *rtol, absY);
      if (failed(scaled))
        return failure();
      FailureOr<Value> tol = apply(binaryOp("Add"), *atol, *scaled);
      if (failed(tol))
        return failure();
      y = *tol;
      test = "'" + source(*(*bound)["x"]) + "' is near '" +
             source(*(*bound)["y"]) + "'";
    } else {
      test = "'" + source(*(*bound)["x"]) + " " + check->test + " " +
             (check->zero ? std::string("0") : source(*(*bound)["y"])) + "'";
    }
    FailureOr<Value> cmp = typed(CompareOp::create(
        builder, at, UnrankedTensorType::get(builder.getI1Type()),
        CompareKindAttr::get(context, kind), lhs, y));
    if (failed(cmp))
      return failure();
    holds = *cmp;
  }
  return assertEvery(holds, node, shown,
                     shown + " failed: " + test +
                         (name == "Assert" ? std::string(" is false")
                                           : std::string(" does not hold for "
                                                         "every element")) +
                         message);
}

LogicalResult ProgramBuilder::assertEvery(Value holds, const json::Object &node,
                                          llvm::StringRef shown,
                                          const std::string &text) {
  Location at = loc(node);
  auto type = dyn_cast<RankedTensorType>(holds.getType());
  if (!type || !type.getElementType().isInteger(1))
    return error(node, shown + ": the condition must be a tensor of bools of "
                               "known rank, not " +
                               typeText(holds.getType()));
  // Every element: reduce_all over every axis to one bool.
  FailureOr<Value> all = allOf(holds, at);
  if (failed(all))
    return failure();
  FailureOr<Condition> c =
      truth(PyValue::tensor(*all), node, ("'" + shown + "'").str());
  if (failed(c))
    return failure();
  if (c->known) {
    if (*c->known)
      return success();
    return error(node, text + " (known at import: TensorFlow raises on "
                              "every call)");
  }
  AssertOp::create(builder, at, c->value, builder.getStringAttr(braces(text)),
                   ValueRange{});
  return success();
}

FailureOr<PyValue> ProgramBuilder::checkNumerics(const json::Object &node) {
  FailureOr<BoundCall> bound =
      bindArguments(*this, node, "check_numerics(tensor, message, name=None)");
  if (failed(bound))
    return failure();
  FailureOr<Value> x = bound->tensor("tensor");
  if (failed(x))
    return failure();
  // TensorFlow's kernel is of float dtypes only.
  if (!cast<TensorType>(x->getType()).getElementType().isF32())
    return bound->error("tensor", "must be of float32 (TensorFlow's "
                                  "check_numerics is of float dtypes), not " +
                                      typeText(x->getType()));
  const json::Object *m = (*bound)["message"];
  const json::Value *v =
      m && kindOf(*m) == "Constant" ? m->get("value") : nullptr;
  if (!v || !v->getAsString())
    return bound->error("message", "must be a string literal");
  // x - x is 0 for a finite x, NaN for an infinity or a NaN.
  Location at = loc(node);
  FailureOr<Value> d = typed(binaryOp("Sub")(builder, at, *x, *x));
  if (failed(d))
    return failure();
  FailureOr<Value> holds = typed(CompareOp::create(
      builder, at, UnrankedTensorType::get(builder.getI1Type()),
      CompareKindAttr::get(context, CompareKind::eq), *d,
      ConstantOp::create(
          builder, at,
          DenseElementsAttr::get(
              RankedTensorType::get({}, builder.getF32Type()), 0.0f))));
  if (failed(holds))
    return failure();
  std::string shown = source(*node.getObject("func"));
  if (failed(assertEvery(
          *holds, node, shown,
          shown + " failed: '" + source(*(*bound)["tensor"]) +
              "' has a NaN or an infinity: " + v->getAsString()->str())))
    return failure();
  return PyValue::tensor(*x);
}
