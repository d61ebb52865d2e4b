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
    {"assert_equal", "assert_equal(x, y, message=None, summarize=None, name=None)",
     CompareKind::eq, false, "=="},
    {"assert_none_equal",
     "assert_none_equal(x, y, message=None, summarize=None, name=None)",
     CompareKind::ne, false, "!="},
    {"assert_less", "assert_less(x, y, message=None, summarize=None, name=None)",
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
                               "assert_all_finite, assert_rank(_at_least) and "
                               "Assert; or write `assert` with a "
                               "tf.reduce_all(...) test");
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
  auto type = dyn_cast<RankedTensorType>(holds.getType());
  if (!type || !type.getElementType().isInteger(1))
    return error(node, shown + ": the condition must be a tensor of bools of "
                               "known rank, not " +
                               typeText(holds.getType()));
  // Every element: reduce_all over every axis to one bool.
  FailureOr<Value> all = allOf(holds, at);
  if (failed(all))
    return failure();
  holds = *all;
  FailureOr<Condition> c =
      truth(PyValue::tensor(holds), node, "'" + shown + "'");
  if (failed(c))
    return failure();
  std::string text = shown + " failed: " + test +
                     (name == "Assert" ? std::string(" is false")
                                       : std::string(" does not hold for "
                                                     "every element")) +
                     message;
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
