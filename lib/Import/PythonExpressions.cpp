//===- PythonExpressions.cpp - Python expressions to predict ops ----------===//
//
// Names, numbers and operators (calls are PythonCalls.cpp's). Each op is
// built with its result type unknown and typed at once by its own shape
// rule (ShapeInferenceOpInterface): the rule lives in the dialect only, and
// an operand mismatch is reported at the user's line by the op itself.
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
template <typename OpTy>
Operation *buildBinaryOp(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  Type unknown = UnrankedTensorType::get(b.getF32Type());
  if constexpr (std::is_same_v<OpTy, AddOp>) // variadic: the Add layer too
    return AddOp::create(b, loc, unknown, ValueRange{lhs, rhs});
  else
    return OpTy::create(b, loc, unknown, lhs, rhs);
}

/// An integer for a message: in full up to 30 digits, else its first
/// digits and how many there are.
std::string intText(llvm::StringRef text) {
  if (text.size() <= 30)
    return text.str();
  return text.take_front(20).str() + "... (" +
         std::to_string(text.ltrim('-').size()) + " digits)";
}
} // namespace

const char *const python::kSubset =
    "supported inside converted code: assignments to names, `return`, "
    "`if`, `while`, `for` over `range(...)`, `break`, `continue`, list `[]` "
    "and `.append`, calls of layers, "
    "models and the tf.* operations of docs/PythonSource.md, slicing "
    "`x[a:b]`, `x.shape[0]`, `tf.shape(x)[0]`, + - * / ** @";

BinaryBuilder python::binaryOp(llvm::StringRef op) {
  return llvm::StringSwitch<BinaryBuilder>(op)
      .Cases({"Add", "tensorflow.add", "tensorflow.math.add"},
             buildBinaryOp<AddOp>)
      .Cases({"Sub", "tensorflow.subtract", "tensorflow.math.subtract"},
             buildBinaryOp<SubOp>)
      .Cases({"Mult", "tensorflow.multiply", "tensorflow.math.multiply"},
             buildBinaryOp<MulOp>)
      .Cases({"Div", "tensorflow.divide", "tensorflow.math.divide"},
             buildBinaryOp<DivOp>)
      .Cases({"Pow", "tensorflow.pow", "tensorflow.math.pow"},
             buildBinaryOp<PowOp>)
      .Cases({"tensorflow.maximum", "tensorflow.math.maximum"},
             buildBinaryOp<MaximumOp>)
      .Cases({"tensorflow.minimum", "tensorflow.math.minimum"},
             buildBinaryOp<MinimumOp>)
      .Cases({"MatMult", "tensorflow.matmul", "tensorflow.linalg.matmul"},
             buildBinaryOp<MatmulOp>)
      .Default(nullptr);
}

/// Python's float `text` (its repr: `1e-05`, `inf`, `-inf`, `nan`) as a
/// double, exactly; false when it is not one.
bool python::parseFloatText(llvm::StringRef text, llvm::APFloat &value) {
  value = llvm::APFloat(llvm::APFloat::IEEEdouble());
  if (text == "inf" || text == "-inf")
    value = llvm::APFloat::getInf(value.getSemantics(), text.starts_with("-"));
  else if (text == "nan")
    value = llvm::APFloat::getNaN(value.getSemantics());
  else if (auto status =
               value.convertFromString(text, llvm::APFloat::rmNearestTiesToEven);
           !status) {
    llvm::consumeError(status.takeError());
    return false;
  }
  return true;
}


FailureOr<Value> ProgramBuilder::typed(Operation *op) {
  auto shaped = dyn_cast<ShapeInferenceOpInterface>(op);
  SmallVector<Type> inferred;
  if (!shaped || failed(shaped.inferResultTypes(inferred))) {
    op->erase();
    return failure();
  }
  for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred))
    result.setType(type);
  return op->getResult(0);
}

FailureOr<const json::Object *>
ProgramBuilder::numberOf(const json::Object &node) {
  if (std::optional<llvm::StringRef> why = node.getString("fold_error"))
    return error(node, *why);
  if (const json::Object *folded = node.getObject("folded"))
    return folded;
  if (node.getString("node") == "Constant")
    if (const json::Object *v = node.getObject("value"))
      if (v->getString("int") || v->getString("float"))
        return v;
  return static_cast<const json::Object *>(nullptr);
}

FailureOr<llvm::APFloat> ProgramBuilder::floatValue(const json::Object &node,
                                                    const json::Object &value,
                                                    bool single) {
  // Python's float of the value, then numpy's float32 of that (round to
  // nearest, +-inf beyond float32's range), as `x * 0.1` computes.
  llvm::APFloat f(llvm::APFloat::IEEEdouble());
  if (auto text = value.getString("float")) {
    if (!parseFloatText(*text, f))
      return error(node, "'" + *text + "' is not a number");
  } else if (auto text = value.getString("int")) {
    // A decimal with an optional sign (the reader folds `-0x3` to "-3").
    llvm::APInt i;
    if (text->drop_front(text->starts_with("-")).getAsInteger(10, i))
      return error(node, "'" + *text + "' is not an integer");
    // Exact below 2^53; rounded to nearest above, as float() rounds; an
    // OverflowError in Python beyond a double's range.
    auto status = f.convertFromString(*text, llvm::APFloat::rmNearestTiesToEven);
    if (!status) {
      llvm::consumeError(status.takeError());
      return error(node, "'" + *text + "' is not an integer");
    }
    if (f.isInfinity())
      return error(node, "the integer " + intText(*text) +
                             " is too large for a float (as in numpy and "
                             "TensorFlow)");
  } else {
    return error(node, "expected a number here");
  }
  if (single) {
    bool lost;
    f.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
              &lost);
  }
  return f;
}

FailureOr<int64_t> ProgramBuilder::integerValue(const json::Object &node,
                                                const json::Object &value,
                                                llvm::StringRef what) {
  std::optional<llvm::StringRef> text = value.getString("int");
  if (!text)
    return error(node, "expected an integer, not " +
                           value.getString("float").value_or("this").str());
  // Python's ints are unbounded; predict's are 64-bit, and -2**63 is
  // refused with 2**63 (its negation would not fit).
  int64_t i;
  if (text->getAsInteger(10, i) || i == INT64_MIN)
    return error(node, "the " + what + " " + intText(*text) +
                           " does not fit in 64 bits (predict's integers and "
                           "sizes are 64-bit)");
  return i;
}

FailureOr<Value> ProgramBuilder::number(const json::Object &node,
                                        const json::Object &value) {
  FailureOr<llvm::APFloat> f = floatValue(node, value, /*single=*/true);
  if (failed(f))
    return failure();
  auto type = RankedTensorType::get({}, builder.getF32Type());
  auto attr = DenseElementsAttr::get(type, *f);
  return ConstantOp::create(builder, loc(node), attr).getResult();
}

namespace {
/// Flattens a literal (a number object, or {"list"}/{"tuple"} of literals)
/// into `flat`, its shape into `shape`; the message of what is wrong.
std::optional<std::string> flattenLiteral(const json::Value &value,
                                          SmallVectorImpl<const json::Object *> &flat,
                                          SmallVectorImpl<int64_t> &shape) {
  if (value.getAsBoolean())
    return std::string("tf.constant of booleans is not supported: give "
                       "numbers");
  const json::Object *object = value.getAsObject();
  if (object && (object->getString("int") || object->getString("float"))) {
    flat.push_back(object);
    return std::nullopt;
  }
  const json::Array *items = object ? object->getArray("list") : nullptr;
  if (!items && object)
    items = object->getArray("tuple");
  if (!items || items->empty())
    return std::string("tf.constant takes a number or a non-empty (nested) "
                       "list of numbers");
  SmallVector<int64_t> first;
  for (auto [i, item] : llvm::enumerate(*items)) {
    SmallVector<int64_t> inner;
    if (std::optional<std::string> why = flattenLiteral(item, flat, inner))
      return why;
    if (i == 0)
      first = inner;
    else if (inner != first)
      return std::string("a ragged constant: every row must have the same "
                         "shape");
  }
  shape.push_back(items->size());
  shape.append(first.begin(), first.end());
  return std::nullopt;
}
} // namespace

FailureOr<Value> ProgramBuilder::literalConstant(const json::Value &value,
                                                 const json::Object &at) {
  SmallVector<const json::Object *> flat;
  SmallVector<int64_t> shape;
  if (std::optional<std::string> why = flattenLiteral(value, flat, shape))
    return error(at, *why);
  SmallVector<llvm::APFloat> values;
  for (const json::Object *v : flat) {
    FailureOr<llvm::APFloat> f = floatValue(at, *v, /*single=*/true);
    if (failed(f))
      return failure();
    values.push_back(*f);
  }
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  return ConstantOp::create(builder, loc(at),
                            DenseElementsAttr::get(type, values))
      .getResult();
}

FailureOr<Value> ProgramBuilder::tensorOf(const PyValue &value,
                                          const json::Object &node) {
  if (!value.isTensor())
    return error(node, "expected a tensor here");
  return value.value;
}

FailureOr<Value> ProgramBuilder::tensor(const json::Value &value) {
  const json::Object *node = value.getAsObject();
  if (!node)
    return emitError(FileLineColLoc::get(context, file, 1, 1))
           << "the program JSON has an expression that is not a node";
  FailureOr<const json::Object *> n = numberOf(*node);
  if (failed(n))
    return failure();
  if (*n)
    return number(*node, **n);
  FailureOr<PyValue> v = expr(value);
  if (failed(v))
    return failure();
  if (v->isIndex())
    return indexAsTensor(*node, *v);
  return tensorOf(*v, *node);
}

FailureOr<PyValue> ProgramBuilder::expr(const json::Value &value) {
  const json::Object *node = value.getAsObject();
  if (!node)
    return emitError(FileLineColLoc::get(context, file, 1, 1))
           << "the program JSON has an expression that is not a node";
  return expr(*node);
}

FailureOr<PyValue> ProgramBuilder::expr(const json::Object &object) {
  const json::Object *node = &object;
  if (!node->getString("node"))
    return emitError(FileLineColLoc::get(context, file, 1, 1))
           << "the program JSON has an expression that is not a node";
  // Bounded, so that no program exhausts the builder's stack (it runs on
  // one sized for --max-nesting).
  if (depth >= options.maxNesting)
    return error(*node, "the expression nests more than " +
                            llvm::Twine(options.maxNesting) +
                            " levels deep (operands, calls and the functions "
                            "they call), the reader's limit: split it into "
                            "several assignments, or raise the limit with "
                            "--max-nesting=N");
  llvm::SaveAndRestore<unsigned> nested(depth, depth + 1);
  return exprAt(*node);
}

FailureOr<PyValue> ProgramBuilder::exprAt(const json::Object &node) {
  llvm::StringRef kind = *node.getString("node");
  if (kind == "Name") {
    llvm::StringRef id = node.getString("id").value_or("");
    auto it = scope->env.find(id);
    if (it == scope->env.end()) {
      auto local = scope->loopLocals.find(id);
      if (local != scope->loopLocals.end())
        return error(node, "'" + id + "' is bound only inside the loop at "
                               "line " +
                               llvm::Twine(line(*local->second)) +
                               ", which may run zero times (Python then "
                               "raises NameError here): give it a value "
                               "before the loop, and the loop carries it");
      auto branch = scope->branchLocals.find(id);
      if (branch != scope->branchLocals.end())
        return error(node, "'" + id + "' is bound in only one arm of the "
                               "`if` statement at line " +
                               llvm::Twine(line(*branch->second)) +
                               ", which is decided at run time (Python "
                               "raises NameError here on the other path): "
                               "give it a value before the `if` or in both "
                               "arms");
      return error(node, "'" + id + "' is not defined here (converted code "
                                    "sees its arguments and the names it "
                                    "assigns)");
    }
    if (it->second.kind == PyValue::Kind::Unbound)
      return error(node, "'" + id + "' is read after the loop at line " +
                             llvm::Twine(line(*it->second.loop)) +
                             ", which leaves it unbound when it runs zero "
                             "times (Python raises NameError); give it an "
                             "integer value before the loop");
    return it->second;
  }
  // Numbers alone: an integer is an index (a size, a bound); a float is
  // a value only with a tensor.
  FailureOr<const json::Object *> n = numberOf(node);
  if (failed(n))
    return failure();
  if (*n) {
    if ((*n)->getString("int")) {
      FailureOr<int64_t> i = integerValue(node, **n);
      if (failed(i))
        return failure();
      return constantIndex(*i, loc(node));
    }
    std::string text = (*n)->getString("float").value_or("").str();
    return error(node, "the number " + text +
                           " alone is not a value of converted code: use it "
                           "with a tensor (x * " +
                           text + ") or write tf.constant(" + text + ")");
  }
  if (kind == "List")
    return listLiteral(node);
  // Control flow's expressions (PythonBranches.cpp).
  if (kind == "Constant")
    if (const json::Value *v = node.get("value"))
      if (std::optional<bool> b = v->getAsBoolean())
        return PyValue::boolean(
            arith::ConstantIntOp::create(builder, loc(node), *b, 1));
  if (kind == "Compare")
    return compare(node);
  if (kind == "BoolOp")
    return boolOp(node);
  if (kind == "UnaryOp" && node.getString("op") == "Not")
    return notOp(node);
  if (kind == "IfExp")
    return ifExp(node);
  if (kind == "BinOp")
    return binary(node);
  if (kind == "UnaryOp" && node.getString("op") == "USub") {
    FailureOr<PyValue> value = expr(*node.get("operand"));
    if (failed(value))
      return failure();
    Location at = loc(node);
    if (value->isIndex())
      return indexNegate(node, *value);
    FailureOr<Value> x = tensorOf(*value, *node.getObject("operand"));
    if (failed(x))
      return failure();
    FailureOr<Value> result = typed(NegOp::create(builder, at, x->getType(), *x));
    if (failed(result))
      return failure();
    return PyValue::tensor(*result);
  }
  if (kind == "Subscript")
    return subscript(node);
  if (kind == "Attribute")
    if (std::optional<FailureOr<PyValue>> result = modelAttribute(node))
      return *result;
  if (kind == "Call")
    return call(node);
  return error(node, "unsupported expression '" + source(node) + "' (" +
                         kSubset + ")");
}

FailureOr<PyValue> ProgramBuilder::binary(const json::Object &node) {
  // A number against a tensor is a scalar tensor; against an integer,
  // integer arithmetic: the other side decides, so it goes first.
  const json::Object *left = node.getObject("left");
  const json::Object *right = node.getObject("right");
  if (!left || !right)
    return error(node, "the program JSON has a BinOp without operands");
  FailureOr<const json::Object *> leftNumber = numberOf(*left);
  if (failed(leftNumber))
    return failure();
  FailureOr<const json::Object *> rightNumber = numberOf(*right);
  if (failed(rightNumber))
    return failure();
  auto numberAgainst = [&](const json::Object &side, const json::Object &value,
                           const PyValue &other) -> FailureOr<PyValue> {
    if (other.isIndex() && value.getString("int")) {
      FailureOr<int64_t> i = integerValue(side, value);
      if (failed(i))
        return failure();
      return constantIndex(*i, loc(side));
    }
    FailureOr<Value> c = number(side, value);
    if (failed(c))
      return failure();
    return PyValue::tensor(*c);
  };
  FailureOr<PyValue> lhs = failure(), rhs = failure();
  if (*leftNumber && !*rightNumber) {
    rhs = expr(*right);
    if (failed(rhs))
      return failure();
    lhs = numberAgainst(*left, **leftNumber, *rhs);
  } else if (*rightNumber && !*leftNumber) {
    lhs = expr(*left);
    if (failed(lhs))
      return failure();
    rhs = numberAgainst(*right, **rightNumber, *lhs);
  } else {
    lhs = expr(*left);
    if (succeeded(lhs))
      rhs = expr(*right);
  }
  if (failed(lhs) || failed(rhs))
    return failure();
  if (lhs->isIndex() && rhs->isIndex())
    return indexBinary(node, *lhs, *rhs);
  // A known integer against a tensor is a number (`x + x.shape[1]` on a
  // static axis); one known only at run time cannot be yet.
  for (auto [value, side, other] :
       {std::tuple(&*lhs, left, &*rhs), std::tuple(&*rhs, right, &*lhs)}) {
    if (!value->isIndex() || !other->isTensor())
      continue;
    FailureOr<Value> k = indexAsTensor(*side, *value);
    if (failed(k))
      return failure();
    *value = PyValue::tensor(*k);
  }
  BinaryBuilder build = binaryOp(node.getString("op").value_or(""));
  if (!build || !lhs->isTensor() || !rhs->isTensor())
    return error(node, "tensor arithmetic supports + - * / ** @ between "
                       "tensors and numbers");
  FailureOr<Value> result =
      typed(build(builder, loc(node), lhs->value, rhs->value));
  if (failed(result))
    return failure();
  return PyValue::tensor(*result);
}
