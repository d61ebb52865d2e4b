//===- PythonLoops.cpp - loops, lists, integers and slices ----------------===//
//
// `for` over `range(...)` becomes one `predict.for` over its run-time bounds
// (never unrolled), names the body rebinds its loop-carried values; lists
// built by a loop are `!predict.list` values (docs/PythonSource.md).
// Integers (sizes, loop variables) are `index` values. Slices, sizes and
// list joins are built with the dialect's builders and typed by the ops'
// own rules: no shape is computed here.
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

#include <cmath>
#include <deque>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

const json::Object *child(const json::Object &node, llvm::StringRef field) {
  return node.getObject(field);
}

/// The line of `node`, for messages that name a loop.
int64_t lineOf(const json::Object &node) {
  const json::Array *at = node.getArray("loc");
  if (at && !at->empty())
    if (auto line = (*at)[0].getAsInteger())
      return *line;
  return 0;
}

/// `a` and `b` at one width wide enough for their sum or product.
std::pair<llvm::APInt, llvm::APInt> widen(const llvm::APInt &a,
                                          const llvm::APInt &b) {
  unsigned width = a.getBitWidth() + b.getBitWidth() + 1;
  return {a.sext(width), b.sext(width)};
}

/// The value Python gives an integer literal, or a `+`, `-`, `*`
/// expression of them (`-1`, `2 * 3`); std::nullopt for anything else.
std::optional<llvm::APInt> integerLiteral(const json::Object &node) {
  llvm::StringRef kind = kindOf(node);
  if (kind == "Constant") {
    const json::Object *value = node.getObject("value");
    std::optional<llvm::StringRef> text =
        value ? value->getString("int") : std::nullopt;
    llvm::APInt i;
    if (!text || text->getAsInteger(10, i))
      return std::nullopt;
    return i.zext(i.getBitWidth() + 1); // signed, non-negative
  }
  if (kind == "UnaryOp") {
    const json::Object *operand = child(node, "operand");
    std::optional<llvm::APInt> v =
        operand ? integerLiteral(*operand) : std::nullopt;
    llvm::StringRef op = node.getString("op").value_or("");
    if (!v || (op != "USub" && op != "UAdd"))
      return std::nullopt;
    if (op == "UAdd")
      return v;
    llvm::APInt wide = v->sext(v->getBitWidth() + 1);
    return -wide;
  }
  if (kind == "BinOp") {
    const json::Object *l = child(node, "left"), *r = child(node, "right");
    std::optional<llvm::APInt> a = l ? integerLiteral(*l) : std::nullopt;
    std::optional<llvm::APInt> b =
        a && r ? integerLiteral(*r) : std::nullopt;
    if (!b)
      return std::nullopt;
    auto [x, y] = widen(*a, *b);
    llvm::StringRef op = node.getString("op").value_or("");
    if (op == "Add")
      return x + y;
    if (op == "Sub")
      return x - y;
    if (op == "Mult")
      return x * y;
  }
  return std::nullopt;
}

/// An integer for a message: in full up to 30 digits, else its first
/// digits and how many there are.
std::string integerText(const llvm::APInt &value) {
  llvm::SmallString<40> text;
  value.toStringSigned(text);
  llvm::StringRef digits = llvm::StringRef(text).ltrim('-');
  if (text.size() <= 30)
    return text.str().str();
  return text.substr(0, 20).str() + "... (" + std::to_string(digits.size()) +
         " digits)";
}

/// Whether `value` is one of predict's integers: 64 bits, and its negation
/// too (Python's -2**63 is refused).
bool fits64(const llvm::APInt &value) {
  return value.getSignificantBits() <= 64 &&
         !value.sextOrTrunc(64).isMinSignedValue();
}

/// The value of an `index` known at import: a constant, or the size of a
/// static axis (predict.dim folds to it).
std::optional<int64_t> knownIndex(Value v) {
  llvm::APInt c;
  if (matchPattern(v, m_ConstantInt(&c)))
    return c.getSExtValue();
  if (auto dim = v.getDefiningOp<DimOp>())
    if (auto type = dyn_cast<RankedTensorType>(dim.getInput().getType()))
      if (auto axis = normalizeAxis(dim.getAxis(), type.getRank()))
        if (!type.isDynamicDim(*axis))
          return type.getDimSize(*axis);
  return std::nullopt;
}

/// The type a PyValue has as an SSA value (a loop's iter_arg).
Type typeOf(const PyValue &v) {
  if (v.isList())
    return v.list->ssa ? v.list->ssa.getType() : Type();
  return v.value ? v.value.getType() : Type();
}

/// The element type that every one of `elements` has: each size kept where
/// all agree, `?` where they differ, unranked when the ranks differ; their
/// element type when they share one (ints stay ints), else `fallback`.
Type joinTypes(ArrayRef<Value> elements, Type fallback) {
  Type element;
  for (Value e : elements) {
    auto tensor = dyn_cast<TensorType>(e.getType());
    Type t = tensor ? tensor.getElementType() : fallback;
    element = !element || element == t ? t : fallback;
  }
  if (!element)
    element = fallback;
  std::optional<SmallVector<int64_t>> shape;
  for (Value e : elements) {
    auto ranked = dyn_cast<RankedTensorType>(e.getType());
    if (!ranked)
      return UnrankedTensorType::get(element);
    if (!shape) {
      shape.emplace(ranked.getShape());
      continue;
    }
    if (ranked.getRank() != static_cast<int64_t>(shape->size()))
      return UnrankedTensorType::get(element);
    for (auto [d, size] : llvm::enumerate(ranked.getShape()))
      if ((*shape)[d] != size)
        (*shape)[d] = ShapedType::kDynamic;
  }
  if (!shape)
    return UnrankedTensorType::get(element);
  return RankedTensorType::get(*shape, element);
}

/// Calls `fn` on each `Name` node read (not bound) under `value`, except
/// under `skip`. JSON carries no `ctx`: a name is bound where it is a
/// binding statement's target (or inside a tuple, list or starred target).
void forEachRead(const json::Value &value, const json::Array *skip,
                 llvm::function_ref<void(const json::Object &)> fn,
                 bool target = false) {
  if (const json::Array *array = value.getAsArray()) {
    if (array == skip)
      return;
    for (const json::Value &v : *array)
      forEachRead(v, skip, fn, target);
    return;
  }
  const json::Object *node = value.getAsObject();
  if (!node || !node->getString("node"))
    return;
  llvm::StringRef kind = kindOf(*node);
  if (kind == "Name") {
    if (!target)
      fn(*node);
    return;
  }
  bool passesTarget = target && (kind == "Tuple" || kind == "List" ||
                                 kind == "Starred");
  for (const auto &[key, field] : *node) {
    llvm::StringRef k = key;
    bool isTarget =
        ((kind == "Assign" || kind == "Delete") && k == "targets") ||
        ((kind == "AugAssign" || kind == "AnnAssign" || kind == "For" ||
          kind == "NamedExpr" || kind == "comprehension") &&
         k == "target");
    forEachRead(field, skip, fn, isTarget || passesTarget);
  }
}

/// The fields of an ast node that hold nodes, in Python's `_fields` order
/// (JSON objects do not keep their order): the order in which `ast.walk`
/// meets what they bind. Others follow in name order.
ArrayRef<llvm::StringLiteral> fieldOrder(llvm::StringRef kind) {
  static constexpr llvm::StringLiteral assign[] = {"targets", "value"};
  static constexpr llvm::StringLiteral target[] = {"target", "annotation",
                                                   "iter", "value", "body",
                                                   "orelse"};
  static constexpr llvm::StringLiteral call[] = {"func", "args", "keywords"};
  static constexpr llvm::StringLiteral binop[] = {"left", "right"};
  static constexpr llvm::StringLiteral branch[] = {"test", "body", "orelse"};
  static constexpr llvm::StringLiteral subscript[] = {"value", "slice"};
  static constexpr llvm::StringLiteral slice[] = {"lower", "upper", "step"};
  if (kind == "Assign")
    return assign;
  if (kind == "AugAssign" || kind == "AnnAssign" || kind == "For" ||
      kind == "NamedExpr")
    return target;
  if (kind == "Call")
    return call;
  if (kind == "BinOp" || kind == "Compare")
    return binop;
  if (kind == "If" || kind == "While" || kind == "IfExp")
    return branch;
  if (kind == "Subscript")
    return subscript;
  if (kind == "Slice")
    return slice;
  return {};
}

void childNodes(const json::Object &object,
                SmallVectorImpl<const json::Object *> &out);

/// The child nodes of `value` (a node or a list of nodes), in ast order.
void childNodes(const json::Value &value,
                SmallVectorImpl<const json::Object *> &out) {
  if (const json::Array *array = value.getAsArray()) {
    for (const json::Value &v : *array)
      if (const json::Object *node = v.getAsObject();
          node && node->getString("node"))
        out.push_back(node);
      else
        childNodes(v, out);
    return;
  }
  if (const json::Object *node = value.getAsObject())
    childNodes(*node, out);
}

/// The child nodes of the node `node`, in ast order.
void childNodes(const json::Object &object,
                SmallVectorImpl<const json::Object *> &out) {
  const json::Object *node = &object;
  SmallVector<llvm::StringRef> fields;
  for (llvm::StringLiteral f : fieldOrder(kindOf(*node)))
    fields.push_back(f);
  SmallVector<llvm::StringRef> rest;
  for (const auto &entry : *node)
    if (!llvm::is_contained(fields, llvm::StringRef(entry.first)))
      rest.push_back(entry.first);
  llvm::sort(rest);
  fields.append(rest);
  for (llvm::StringRef f : fields) {
    const json::Value *v = node->get(f);
    if (!v)
      continue;
    if (const json::Object *c = v->getAsObject(); c && c->getString("node"))
      out.push_back(c);
    else if (v->getAsArray())
      childNodes(*v, out);
  }
}

/// The names that `stmts` (a loop's body) may rebind, in the order
/// Python's `ast.walk` (breadth first) meets them: every name that any
/// binding statement binds (an assignment of any form, a `for` target) or
/// that `.append` changes. Any binding counts, even of a construct refused
/// later, so that the loop never carries a stale value.
void reboundNames(const json::Value &stmts, SmallVectorImpl<std::string> &names) {
  // Each target's names as ast.walk meets them (breadth first).
  auto add = [&](const json::Value &targets, auto &) {
    SmallVector<const json::Object *> roots;
    if (const json::Object *t = targets.getAsObject())
      roots.push_back(t);
    else
      childNodes(targets, roots);
    for (const json::Object *root : roots) {
      std::deque<const json::Object *> queue{root};
      while (!queue.empty()) {
        const json::Object *n = queue.front();
        queue.pop_front();
        if (kindOf(*n) == "Name") {
          std::string id = n->getString("id").value_or("").str();
          if (!llvm::is_contained(names, id))
            names.push_back(id);
        }
        SmallVector<const json::Object *> children;
        childNodes(*n, children);
        queue.insert(queue.end(), children.begin(), children.end());
      }
    }
  };
  std::deque<const json::Object *> todo;
  SmallVector<const json::Object *> first;
  childNodes(stmts, first);
  todo.insert(todo.end(), first.begin(), first.end());
  while (!todo.empty()) {
    const json::Object *node = todo.front();
    todo.pop_front();
    llvm::StringRef kind = kindOf(*node);
    if (kind == "Assign" || kind == "Delete") {
      if (const json::Value *t = node->get("targets"))
        add(*t, add);
    } else if (kind == "AnnAssign" || kind == "AugAssign" || kind == "For" ||
               kind == "NamedExpr") {
      if (const json::Value *t = node->get("target"))
        add(*t, add);
    } else if (kind == "Call") {
      const json::Object *func = child(*node, "func");
      const json::Object *base = func ? child(*func, "value") : nullptr;
      if (func && kindOf(*func) == "Attribute" &&
          (func->getString("attr") == "append" ||
           func->getString("attr") == "extend") &&
          base && kindOf(*base) == "Name")
        add(*func->get("value"), add);
    }
    SmallVector<const json::Object *> children;
    childNodes(*node, children);
    todo.insert(todo.end(), children.begin(), children.end());
  }
}

} // namespace

//===----------------------------------------------------------------------===//
// Integers
//===----------------------------------------------------------------------===//

PyValue ProgramBuilder::constantIndex(int64_t value, Location at) {
  return PyValue::index(arith::ConstantIndexOp::create(builder, at, value));
}

FailureOr<PyValue> ProgramBuilder::indexBitwise(const json::Object &node,
                                                PyValue lhs, PyValue rhs) {
  // Python's & | ^ on ints are two's complement of any width: exact on
  // 64-bit values. `a >> b` is the floor of a / 2**b (an arithmetic shift,
  // all sign bits from 64 on); `a << b` is exact when it fits 64 bits. A
  // negative count is Python's ValueError. (helper-138: refused.)
  llvm::StringRef op = node.getString("op").value_or("");
  Location at = loc(node);
  std::optional<int64_t> a = knownIndex(lhs.value), b = knownIndex(rhs.value);
  bool shift = op == "LShift" || op == "RShift";
  if (shift && b && *b < 0)
    return error(node, "'" + source(node) + "': negative shift count " +
                           llvm::Twine(*b) + " (Python raises ValueError)");
  if (a && b) {
    llvm::APInt x(64, *a, /*isSigned=*/true);
    llvm::APInt r =
        op == "BitAnd"   ? (x & *b)
        : op == "BitOr"  ? (x | *b)
        : op == "BitXor" ? (x ^ *b)
        : op == "RShift"
            ? x.ashr(static_cast<unsigned>(std::min<int64_t>(*b, 63)))
            : llvm::APInt(64, 0);
    if (op == "LShift") {
      llvm::APInt wide(128, *a, /*isSigned=*/true);
      if (*b >= 64 && *a != 0)
        return error(node, "'" + source(node) +
                               "' does not fit in 64 bits "
                               "(predict's integers are 64-bit)");
      llvm::APInt shifted =
          wide.shl(static_cast<unsigned>(std::min<int64_t>(*b, 64)));
      if (!fits64(shifted))
        return error(node, "the integer " + integerText(shifted) +
                               " does not fit in 64 bits (predict's integers "
                               "and sizes are 64-bit)");
      r = shifted.trunc(64);
    }
    return constantIndex(r.getSExtValue(), at);
  }
  Value x = lhs.value, y = rhs.value;
  if (op == "BitAnd")
    return PyValue::index(arith::AndIOp::create(builder, at, x, y));
  if (op == "BitOr")
    return PyValue::index(arith::OrIOp::create(builder, at, x, y));
  if (op == "BitXor")
    return PyValue::index(arith::XOrIOp::create(builder, at, x, y));
  // Shifts by a count known at run time: checked non-negative; >> from 63
  // on gives the sign bits; << must come back by >> (it fits 64 bits).
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  Value most = arith::ConstantIndexOp::create(builder, at, 63);
  AssertOp::create(
      builder, at,
      arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sge, y, zero),
      builder.getStringAttr("'" + braces(source(node)) +
                            "': negative shift count {0} "
                            "(Python raises ValueError)"),
      ValueRange{y});
  Value count = arith::MinSIOp::create(builder, at, y, most);
  if (op == "RShift")
    return PyValue::index(arith::ShRSIOp::create(builder, at, x, count));
  Value shifted = arith::ShLIOp::create(builder, at, x, count);
  Value back = arith::ShRSIOp::create(builder, at, shifted, count);
  Value fits = arith::AndIOp::create(
      builder, at,
      arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, back, x),
      arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sle, y, most));
  AssertOp::create(builder, at, fits,
                   builder.getStringAttr("'" + braces(source(node)) +
                                         "' does not fit in 64 bits "
                                         "(predict's integers are 64-bit)"),
                   ValueRange{});
  return PyValue::index(shifted);
}

/// The values `v` (an index) may take however the program runs, where
/// derived from constants, tensor sizes (at most int32's largest:
/// TensorFlow's sizes are tf.shape's int32) and `for` loop variables by
/// + - min max and products by constants (interval arithmetic); none for
/// another value.
static std::optional<std::pair<int64_t, int64_t>> sizeInterval(Value v,
                                                               unsigned depth) {
  using Interval = std::pair<int64_t, int64_t>;
  // (Bounds stay within +-2**40 here: no int64 overflow below.)
  constexpr int64_t kLimit = int64_t(1) << 40;
  auto bounded = [&](Interval r) -> std::optional<Interval> {
    if (r.first < -kLimit || r.second > kLimit)
      return std::nullopt;
    return r;
  };
  if (depth > 12)
    return std::nullopt;
  if (std::optional<int64_t> c = knownIndex(v))
    return bounded({*c, *c});
  if (v.getDefiningOp<DimOp>())
    return Interval{0, std::numeric_limits<int32_t>::max()};
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto loop = dyn_cast<ForOp>(arg.getOwner()->getParentOp());
    if (!loop || arg.getArgNumber() != 0)
      return std::nullopt;
    auto start = sizeInterval(loop.getStart(), depth + 1);
    auto stop = sizeInterval(loop.getStop(), depth + 1);
    if (!start || !stop)
      return std::nullopt;
    // From start, short of stop (a step of known sign).
    std::optional<int64_t> step = knownIndex(loop.getStep());
    if (step && *step > 0)
      return Interval{start->first, std::max(start->first, stop->second - 1)};
    if (step && *step < 0)
      return Interval{std::min(start->second, stop->first + 1), start->second};
    return Interval{std::min(start->first, stop->first),
                    std::max(start->second, stop->second)};
  }
  Operation *op = v.getDefiningOp();
  if (!op || op->getNumOperands() != 2)
    return std::nullopt;
  auto a = sizeInterval(op->getOperand(0), depth + 1);
  auto b = sizeInterval(op->getOperand(1), depth + 1);
  if (!a || !b)
    return std::nullopt;
  if (isa<arith::AddIOp>(op))
    return bounded({a->first + b->first, a->second + b->second});
  if (isa<arith::SubIOp>(op))
    return bounded({a->first - b->second, a->second - b->first});
  if (isa<arith::MinSIOp>(op))
    return Interval{std::min(a->first, b->first),
                    std::min(a->second, b->second)};
  if (isa<arith::MaxSIOp>(op))
    return Interval{std::max(a->first, b->first),
                    std::max(a->second, b->second)};
  if (isa<arith::MulIOp>(op) &&
      (a->first == a->second || b->first == b->second)) {
    int64_t k = a->first == a->second ? a->first : b->first;
    Interval r = a->first == a->second ? *b : *a;
    if (k > (int64_t(1) << 20) || k < -(int64_t(1) << 20))
      return std::nullopt;
    int64_t x = r.first * k, y = r.second * k;
    return bounded({std::min(x, y), std::max(x, y)});
  }
  return std::nullopt;
}

/// Whether int32 holds `v` however the program runs (sizeInterval).
static bool withinInt32(Value v) {
  std::optional<std::pair<int64_t, int64_t>> r = sizeInterval(v, 0);
  return r && r->first >= std::numeric_limits<int32_t>::min() &&
         r->second <= std::numeric_limits<int32_t>::max();
}

Value ProgramBuilder::wrapToInt32(Value v, Location at) {
  if (std::optional<int64_t> c = knownIndex(v))
    return constantIndex(static_cast<int32_t>(static_cast<uint64_t>(*c)), at)
        .value;
  if (withinInt32(v))
    return v;
  Type i64 = builder.getI64Type();
  Value wide = arith::IndexCastOp::create(builder, at, i64, v);
  Value narrow =
      arith::TruncIOp::create(builder, at, builder.getI32Type(), wide);
  return arith::IndexCastOp::create(
      builder, at, builder.getIndexType(),
      arith::ExtSIOp::create(builder, at, i64, narrow));
}

FailureOr<PyValue> ProgramBuilder::int32Binary(const json::Object &node,
                                               PyValue lhs, PyValue rhs) {
  Location at = loc(node);
  llvm::StringRef op = node.getString("op").value_or("");
  // A Python int beside an int32 tensor is converted to int32 first:
  // TensorFlow raises where it does not fit (at import, or checked at run
  // time for one known then: helper-141).
  for (const PyValue *side : {&lhs, &rhs}) {
    if (side->int32)
      continue;
    if (std::optional<int64_t> c = knownIndex(side->value)) {
      if (!llvm::isInt<32>(*c))
        return error(node, "'" + source(node) +
                               "' computes on TensorFlow's int32 (a size of "
                               "tf.shape or len, or an integer of a loop "
                               "TensorFlow runs as tf.while_loop), which does "
                               "not hold " +
                               llvm::Twine(*c) +
                               " (TensorFlow raises): tf.cast the size to "
                               "tf.int64 first");
      continue;
    }
    if (withinInt32(side->value))
      continue;
    Value v = side->value;
    Value fits = arith::AndIOp::create(
        builder, at,
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sge, v,
                              constantIndex(INT32_MIN, at).value),
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sle, v,
                              constantIndex(INT32_MAX, at).value));
    AssertOp::create(builder, at, fits,
                     builder.getStringAttr(
                         "'" + braces(source(node)) +
                         "' computes on TensorFlow's int32, which does not "
                         "hold the Python int {0} (TensorFlow raises): "
                         "tf.cast to tf.int64 first"),
                     ValueRange{v});
  }
  PyValue result;
  if (op == "Add" || op == "Sub" || op == "Mult") {
    // Operands within int32: the exact result fits 64 bits; wrapped (not
    // `i + 1` of a size or loop variable, which int32 holds).
    Value a = lhs.value, b = rhs.value;
    Value r = op == "Add"   ? builder.createOrFold<arith::AddIOp>(at, a, b)
              : op == "Sub" ? builder.createOrFold<arith::SubIOp>(at, a, b)
                            : builder.createOrFold<arith::MulIOp>(at, a, b);
    return PyValue::int32Index(wrapToInt32(r, at));
  }
  if (op == "Pow")
    return int32Power(node, lhs.value, rhs.value);
  PyValue a = lhs, b = rhs;
  a.int32 = b.int32 = false;
  FailureOr<PyValue> exact = indexBinary(node, a, b);
  if (failed(exact) || !exact->isIndex())
    return exact;
  result = *exact;
  result.value = wrapToInt32(result.value, at);
  result.int32 = true;
  return result;
}

FailureOr<PyValue> ProgramBuilder::int32Power(const json::Object &node,
                                              Value base, Value exponent) {
  // TensorFlow's int32 pow: a negative exponent is its error; else square
  // and multiply over the exponent's 31 bits, each product wrapped
  // (helper-141: `(n + 1) ** 31` was a 64-bit overflow error).
  Location at = loc(node);
  if (std::optional<int64_t> e = knownIndex(exponent); e && *e < 0)
    return error(node, "'" + source(node) +
                           "': integers to negative integer powers are not "
                           "allowed (TensorFlow's error): write a float base");
  AssertOp::create(
      builder, at,
      arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sge, exponent,
                            constantIndex(0, at).value),
      builder.getStringAttr("'" + braces(source(node)) +
                            "': integers to negative integer powers are not "
                            "allowed (TensorFlow's error)"),
      ValueRange{});
  Value one = constantIndex(1, at).value;
  auto loop = scf::ForOp::create(builder, at, constantIndex(0, at).value,
                                 constantIndex(31, at).value, one,
                                 ValueRange{one, base});
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(loop.getBody());
    Value bit = loop.getInductionVar();
    Value r = loop.getRegionIterArgs()[0], b = loop.getRegionIterArgs()[1];
    Value set = arith::CmpIOp::create(
        builder, at, arith::CmpIPredicate::ne,
        arith::AndIOp::create(
            builder, at, arith::ShRSIOp::create(builder, at, exponent, bit),
            one),
        constantIndex(0, at).value);
    Value times = wrapToInt32(arith::MulIOp::create(builder, at, r, b), at);
    Value next = arith::SelectOp::create(builder, at, set, times, r);
    Value squared = wrapToInt32(arith::MulIOp::create(builder, at, b, b), at);
    scf::YieldOp::create(builder, at, ValueRange{next, squared});
  }
  return PyValue::int32Index(loop.getResult(0));
}

FailureOr<PyValue> ProgramBuilder::indexBinary(const json::Object &node,
                                               PyValue lhs, PyValue rhs) {
  if ((lhs.int32 && (rhs.isIndex() || rhs.isBool())) ||
      (rhs.int32 && (lhs.isIndex() || lhs.isBool())))
    return int32Binary(node, lhs, rhs);
  llvm::StringRef op = node.getString("op").value_or("");
  if (op == "FloorDiv" || op == "Mod")
    return indexDivision(node, lhs, rhs);
  if (op == "Pow")
    return indexPower(node, lhs, rhs);
  if (op == "Div") {
    // Known at import: a Python float (Python rounds the exact quotient,
    // as double division does while both are below 2**53).
    std::optional<int64_t> a = knownIndex(lhs.value);
    std::optional<int64_t> b = knownIndex(rhs.value);
    constexpr int64_t kExact = int64_t(1) << 53;
    if (a && b && *a > -kExact && *a<kExact && * b> - kExact && *b < kExact) {
      FailureOr<double> q = **floatArithmetic(node, op, static_cast<double>(*a),
                                              static_cast<double>(*b));
      if (failed(q))
        return failure();
      return pythonFloatValue(*q, loc(node));
    }
  }
  if (op == "Div")
    // A Python float known only at run time: predict holds floats as
    // float32 tensors, and Python's arithmetic on the double (n / 49 * 49
    // == n) would come out otherwise; refused rather than approximated.
    return error(node, "'" + source(node) +
                           "' of integers is a Python float, which "
                           "converted code does not compute: write a // b "
                           "for the integer quotient, int(a / b) for it "
                           "truncated, or tf.cast(a, tf.float32) / b for a "
                           "float32 tensor");
  if (op == "BitAnd" || op == "BitOr" || op == "BitXor" || op == "LShift" ||
      op == "RShift")
    return indexBitwise(node, lhs, rhs);
  if (op != "Add" && op != "Sub" && op != "Mult")
    return error(node, "integer arithmetic supports + - * / // % ** & | ^ "
                       "<< >>");
  std::optional<int64_t> a = knownIndex(lhs.value), b = knownIndex(rhs.value);
  if (a && b) {
    // Folded as Python computes it (exactly), then checked against 64 bits.
    llvm::APInt x(128, *a, /*isSigned=*/true), y(128, *b, /*isSigned=*/true);
    llvm::APInt r = op == "Add" ? x + y : op == "Sub" ? x - y : x * y;
    if (!fits64(r))
      return error(node, "the integer " + integerText(r) +
                             " does not fit in 64 bits (predict's integers "
                             "and sizes are 64-bit)");
    return constantIndex(r.getSExtValue(), loc(node));
  }
  return PyValue::index(checkedIndex(node, op, lhs.value, rhs.value));
}

/// Whether `v` (an index) lies within +-2**62 however the program runs: a
/// constant so small, a tensor's size (an entry's input sizes are at most
/// 2**62, docs/Runtime.md; computed ones are checked), the least of values
/// one of which is so bounded above and all below, or the variable of a
/// `for` loop between two such bounds. `i + 1` of a row loop stays
/// unchecked, so that the loop still batches.
static bool withinHalfRange(Value v, unsigned depth = 0) {
  constexpr int64_t kHalf = int64_t(1) << 62;
  if (depth > 8)
    return false;
  if (std::optional<int64_t> c = knownIndex(v))
    return *c >= -kHalf && *c <= kHalf;
  if (v.getDefiningOp<DimOp>())
    return true;
  if (auto least = v.getDefiningOp<arith::MinSIOp>())
    return withinHalfRange(least.getLhs(), depth + 1) &&
           withinHalfRange(least.getRhs(), depth + 1);
  if (auto arg = dyn_cast<BlockArgument>(v))
    if (auto loop = dyn_cast<ForOp>(arg.getOwner()->getParentOp()))
      return arg.getArgNumber() == 0 &&
             withinHalfRange(loop.getStart(), depth + 1) &&
             withinHalfRange(loop.getStop(), depth + 1);
  return false;
}

Value ProgramBuilder::checkedIndex(const json::Object &node,
                                   llvm::StringRef kind, Value a, Value b) {
  Location at = loc(node);
  auto check = [&](Value fits) {
    AssertOp::create(
        builder, at, fits,
        builder.getStringAttr("'" + braces(source(node)) +
                              "' gives an integer beyond 64 bits (predict's "
                              "integers are 64-bit, Python's unbounded)"),
        ValueRange{});
  };
  auto small = [](Value v) {
    std::optional<int64_t> c = knownIndex(v);
    return c && *c > -(int64_t(1) << 32) && *c < (int64_t(1) << 32);
  };
  // A small constant beside a value within +-2**62 cannot leave 64 bits.
  auto safe = [&](Value x, Value y) {
    return (small(x) && withinHalfRange(y)) || (small(y) && withinHalfRange(x));
  };
  if (kind == "Add" || kind == "Sub") {
    Value r = kind == "Add" ? Value(arith::AddIOp::create(builder, at, a, b))
                            : Value(arith::SubIOp::create(builder, at, a, b));
    if (safe(a, b))
      return r;
    // Overflow exactly when the result's sign differs from both operands'
    // (a + b), or from a's where b's differs from it (a - b).
    Value ax = arith::XOrIOp::create(builder, at, a, r);
    Value other = kind == "Add"
                      ? Value(arith::XOrIOp::create(builder, at, b, r))
                      : Value(arith::XOrIOp::create(builder, at, a, b));
    Value both = arith::AndIOp::create(builder, at, ax, other);
    check(arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sge, both,
                                constantIndex(0, at).value));
    return r;
  }
  // a * b: the high half of the 128-bit product is the sign of the low.
  Type i64 = builder.getI64Type();
  Value wideA = arith::IndexCastOp::create(builder, at, i64, a);
  Value wideB = arith::IndexCastOp::create(builder, at, i64, b);
  auto product = arith::MulSIExtendedOp::create(builder, at, wideA, wideB);
  Value sign = arith::ShRSIOp::create(
      builder, at, product.getLow(),
      arith::ConstantIntOp::create(builder, at, i64, 63));
  check(arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq,
                              product.getHigh(), sign));
  return arith::IndexCastOp::create(builder, at, builder.getIndexType(),
                                    product.getLow());
}

FailureOr<PyValue> ProgramBuilder::indexDivision(const json::Object &node,
                                                 PyValue lhs, PyValue rhs) {
  // Python's integer `//` (the floor of the quotient) and `%` (the sign of
  // the divisor: a - (a // b) * b).
  llvm::StringRef op = node.getString("op").value_or("");
  std::optional<int64_t> a = knownIndex(lhs.value), b = knownIndex(rhs.value);
  Location at = loc(node);
  if (b && *b == 0)
    return error(node, "'" + source(node) + "' divides by zero (Python "
                       "raises ZeroDivisionError)");
  if (a && b) {
    llvm::APInt x(128, *a, /*isSigned=*/true), y(128, *b, /*isSigned=*/true);
    llvm::APInt q = x.sdiv(y);
    if ((x.srem(y) != 0) && (x.isNegative() != y.isNegative()))
      q = q - 1;
    llvm::APInt r = op == "FloorDiv" ? q : x - q * y;
    if (!fits64(r))
      return tooLarge(node, r);
    return constantIndex(r.getSExtValue(), at);
  }
  if (!b)
    checkDivisor(node, rhs.value);
  // -2**63 // -1 is 2**63, beyond 64 bits (and the machine's division
  // traps): checked where the divisor may be -1 and the dividend -2**63;
  // x % -1 is 0 whatever x.
  Value divisor = rhs.value;
  Value byMinusOne;
  if ((!b || *b == -1) && (!a || *a == std::numeric_limits<int64_t>::min())) {
    byMinusOne = arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq,
                                       rhs.value, constantIndex(-1, at).value);
    if (op == "FloorDiv") {
      Value lowest =
          constantIndex(std::numeric_limits<int64_t>::min(), at).value;
      Value overflows = arith::AndIOp::create(
          builder, at, byMinusOne,
          arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq,
                                lhs.value, lowest));
      AssertOp::create(
          builder, at,
          arith::XOrIOp::create(
              builder, at, overflows,
              arith::ConstantIntOp::create(builder, at, 1, 1)),
          builder.getStringAttr("'" + braces(source(node)) +
                                "' gives an integer beyond 64 bits "
                                "(predict's integers are 64-bit, Python's "
                                "unbounded)"),
          ValueRange{});
    }
    divisor = arith::SelectOp::create(builder, at, byMinusOne,
                                      constantIndex(1, at).value, rhs.value);
  }
  Value q = arith::FloorDivSIOp::create(builder, at, lhs.value, divisor);
  if (op == "FloorDiv") {
    if (byMinusOne) // x // -1 is -x
      q = arith::SelectOp::create(
          builder, at, byMinusOne,
          arith::SubIOp::create(builder, at, constantIndex(0, at).value,
                                lhs.value),
          q);
    return PyValue::index(q);
  }
  Value qb = arith::MulIOp::create(builder, at, q, divisor);
  Value r = arith::SubIOp::create(builder, at, lhs.value, qb);
  if (byMinusOne)
    r = arith::SelectOp::create(builder, at, byMinusOne,
                                constantIndex(0, at).value, r);
  return PyValue::index(r);
}

bool ProgramBuilder::scalarToInteger(PyValue &v, Location at) {
  // Python's bool is an int (True is 1: `range(True)`, `x[:, :k]`).
  if (v.isBool()) {
    Value wide =
        arith::ExtUIOp::create(builder, at, builder.getI64Type(), v.value);
    v = PyValue::index(
        arith::IndexCastOp::create(builder, at, builder.getIndexType(), wide));
    return true;
  }
  auto t = v.isTensor() ? dyn_cast<RankedTensorType>(v.value.getType())
                        : RankedTensorType();
  if (!t || !t.hasStaticShape() || t.getNumElements() != 1 ||
      !(t.getElementType().isInteger(32) || t.getElementType().isInteger(64)))
    return false;
  // A constant (`B = np.int32(3)`, a module scalar) is known at import,
  // as Python's int of it is.
  if (auto constant = v.value.getDefiningOp<ConstantOp>())
    if (auto ints = dyn_cast<DenseIntElementsAttr>(constant.getValue())) {
      v = constantIndex((*ints.value_begin<llvm::APInt>()).getSExtValue(), at);
      return true;
    }
  SmallVector<Value> zeros(t.getRank(), constantIndex(0, at).value);
  Value element = tensor::ExtractOp::create(builder, at, v.value, zeros);
  v = PyValue::index(
      arith::IndexCastOp::create(builder, at, builder.getIndexType(), element));
  return true;
}

LogicalResult ProgramBuilder::notAnInteger(const json::Object &node,
                                           const PyValue *value) {
  const json::Object *op = kindOf(node) == "BinOp" ? &node : nullptr;
  std::string why;
  if (std::optional<double> d = value ? pythonFloat(*value) : std::nullopt)
    why = "; '" + source(node) + "' is a Python float: write int(" +
          source(node) + ") for its integer part";
  else if (op && op->getString("op") == "Div")
    why = "; `a / b` is a float in Python: write a // b";
  return error(node, "expected an integer here (a constant, a loop variable, "
                     "x.shape[0] or tf.shape(x)[0])" +
                         why);
}

LogicalResult ProgramBuilder::tooLarge(const json::Object &node,
                                       const llvm::APInt &value) {
  return error(node, "the integer " + integerText(value) +
                         " does not fit in 64 bits (predict's integers and "
                         "sizes are 64-bit)");
}

void ProgramBuilder::checkDivisor(const json::Object &node, Value divisor) {
  Location at = loc(node);
  AssertOp::create(builder, at,
                   arith::CmpIOp::create(builder, at, arith::CmpIPredicate::ne,
                                         divisor, constantIndex(0, at).value),
                   builder.getStringAttr("'" + braces(source(node)) +
                                         "' divides by zero (Python raises "
                                         "ZeroDivisionError)"),
                   ValueRange{});
}

FailureOr<PyValue> ProgramBuilder::indexPower(const json::Object &node,
                                              PyValue lhs, PyValue rhs) {
  // Python's `a ** b` of integers: an integer for b >= 0 (1 for b = 0,
  // 0 ** 0 included); a negative b makes a float in Python (`2 ** -3` is
  // 0.125, float(a) ** float(b)), and 0 to a negative power raises.
  std::optional<int64_t> a = knownIndex(lhs.value), b = knownIndex(rhs.value);
  Location at = loc(node);
  std::string text = braces(source(node));
  if (a && b && *b < 0) {
    if (*a == 0)
      return error(node, "'" + source(node) +
                             "': 0 cannot be raised to a negative power "
                             "(Python raises ZeroDivisionError)");
    return pythonFloatValue(std::pow(double(*a), double(*b)), at);
  }
  if (b && *b < 0)
    return error(node, "'" + source(node) +
                           "': a negative exponent makes "
                           "a float in Python; predict's integers are "
                           "integers (write a float base)");
  if (a && b) {
    llvm::APInt r(128, 1), base(128, *a, /*isSigned=*/true);
    for (int64_t k = 0; k < *b; ++k) {
      r = r * base;
      if (!fits64(r))
        return tooLarge(node, r);
      if (r.isZero() || r.isOne() || r.isAllOnes()) {
        // 0, 1 and -1 stay in range whatever the exponent.
        if (r.isAllOnes() && (*b - k - 1) % 2 == 1)
          r = -r;
        break;
      }
    }
    return constantIndex(r.getSExtValue(), at);
  }
  if (b) {
    if (*b > 64)
      return error(node,
                   "'" + source(node) +
                       "': an exponent above 64 of an "
                       "integer known only at run time is not converted "
                       "(it overflows 64 bits unless the base is 0 or ±1)");
    Value r = constantIndex(1, at).value;
    for (int64_t k = 0; k < *b; ++k)
      r = k == 0 ? lhs.value : checkedIndex(node, "Mult", r, lhs.value);
    return PyValue::index(r);
  }
  // An exponent known only at run time: checked non-negative, then a loop
  // of checked products. A base of magnitude 2 or more overflows past
  // exponent 63, so the loop runs at most 63 times; 0, 1 and -1 need at
  // most two products (b odd: base; b even and positive: base * base).
  Value e = rhs.value;
  auto cmp = [&](arith::CmpIPredicate p, Value x, int64_t c) {
    return arith::CmpIOp::create(builder, at, p, x, constantIndex(c, at).value)
        .getResult();
  };
  AssertOp::create(
      builder, at, cmp(arith::CmpIPredicate::sge, e, 0),
      builder.getStringAttr("'" + text +
                            "' has a negative exponent, which makes a float in "
                            "Python; predict's integers are integers (write a "
                            "float base)"),
      ValueRange{});
  Value base = lhs.value;
  Value large =
      arith::OrIOp::create(builder, at, cmp(arith::CmpIPredicate::sgt, base, 1),
                           cmp(arith::CmpIPredicate::slt, base, -1));
  Value fits = arith::OrIOp::create(
      builder, at,
      arith::XOrIOp::create(builder, at, large,
                            arith::ConstantIntOp::create(builder, at, 1, 1)),
      cmp(arith::CmpIPredicate::sle, e, 63));
  AssertOp::create(
      builder, at, fits,
      builder.getStringAttr("'" + text +
                            "' gives an integer beyond 64 bits (predict's "
                            "integers are 64-bit, Python's unbounded)"),
      ValueRange{});
  Value one = constantIndex(1, at).value;
  Value odd = arith::AndIOp::create(builder, at, e, one);
  Value small = arith::SelectOp::create(
      builder, at, cmp(arith::CmpIPredicate::eq, e, 0),
      constantIndex(0, at).value,
      arith::SubIOp::create(builder, at, constantIndex(2, at).value, odd));
  Value trips = arith::SelectOp::create(builder, at, large, e, small);
  auto loop = scf::ForOp::create(builder, at, constantIndex(0, at).value, trips,
                                 one, ValueRange{one});
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(loop.getBody());
    Value product =
        checkedIndex(node, "Mult", loop.getRegionIterArgs()[0], base);
    scf::YieldOp::create(builder, at, product);
  }
  return PyValue::index(loop.getResult(0));
}

FailureOr<PyValue> ProgramBuilder::truncatedQuotient(const json::Object &node) {
  FailureOr<PyValue> lhs = expr(*child(node, "left"));
  if (failed(lhs))
    return failure();
  FailureOr<PyValue> rhs = expr(*child(node, "right"));
  if (failed(rhs))
    return failure();
  // Of a Python float known at import: Python's float quotient, truncated.
  if (pythonFloat(*lhs) || pythonFloat(*rhs)) {
    auto known = [&](const PyValue &v) -> std::optional<double> {
      if (v.isIndex())
        if (std::optional<int64_t> i = knownIndex(v.value))
          return static_cast<double>(*i);
      return pythonFloat(v);
    };
    std::optional<double> a = known(*lhs), b = known(*rhs);
    if (a && b) {
      FailureOr<double> q = **floatArithmetic(node, "Div", *a, *b);
      if (failed(q))
        return failure();
      return integerOfFloat(node, *q);
    }
  }
  for (auto [side, value] :
       {std::pair("left", &*lhs), std::pair("right", &*rhs)})
    if (!value->isIndex())
      return error(*child(node, side),
                   "int(a / b) is converted of integers a and b (the "
                   "quotient truncated toward zero); for a tensor write "
                   "tf.cast(a / b, tf.int64)");
  std::optional<int64_t> a = knownIndex(lhs->value), b = knownIndex(rhs->value);
  Location at = loc(node);
  if (b && *b == 0)
    return error(node, "'" + source(node) +
                           "' divides by zero (Python "
                           "raises ZeroDivisionError)");
  // Python divides in double precision, then truncates: the same as the
  // integer quotient truncated while |a| < 2**53 (the quotient's rounding
  // error is then below its distance to the next integer); beyond, Python
  // gives the rounded double's integer, which predict does not compute.
  constexpr int64_t kExact = int64_t(1) << 53;
  std::string beyond = "'" + source(node) +
                       "': int(a / b) of an a of 2**53 "
                       "or more in magnitude truncates Python's rounded "
                       "float quotient, which predict does not compute; "
                       "write a // b (floor) for the exact quotient";
  if (a && (*a >= kExact || *a <= -kExact))
    return error(node, beyond);
  if (a && b)
    return constantIndex(*a / *b, at);
  if (!b)
    checkDivisor(node, rhs->value);
  if (!a) {
    Value limit = constantIndex(kExact, at).value;
    Value negLimit = constantIndex(-kExact, at).value;
    AssertOp::create(
        builder, at,
        arith::AndIOp::create(
            builder, at,
            arith::CmpIOp::create(builder, at, arith::CmpIPredicate::slt,
                                  lhs->value, limit),
            arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sgt,
                                  lhs->value, negLimit)),
        builder.getStringAttr(braces(beyond)), ValueRange{});
  }
  return PyValue::index(
      arith::DivSIOp::create(builder, at, lhs->value, rhs->value));
}

FailureOr<PyValue> ProgramBuilder::indexNegate(const json::Object &node,
                                               PyValue value) {
  if (value.int32) {
    // TensorFlow's int32 negation: -(-2**31) wraps to itself.
    Location at = loc(node);
    return PyValue::int32Index(
        wrapToInt32(builder.createOrFold<arith::SubIOp>(
                        at, constantIndex(0, at).value, value.value),
                    at));
  }
  if (std::optional<int64_t> known = knownIndex(value.value)) {
    if (*known == std::numeric_limits<int64_t>::min())
      return error(node, "the integer 9223372036854775808 does not fit in 64 "
                         "bits (predict's integers and sizes are 64-bit)");
    return constantIndex(-*known, loc(node));
  }
  // -(-2**63) is 2**63: beyond 64 bits.
  Location at = loc(node);
  Value lowest = constantIndex(std::numeric_limits<int64_t>::min(), at).value;
  AssertOp::create(
      builder, at,
      arith::CmpIOp::create(builder, at, arith::CmpIPredicate::ne, value.value,
                            lowest),
      builder.getStringAttr("'" + braces(source(node)) +
                            "' gives an integer beyond 64 bits (predict's "
                            "integers are 64-bit, Python's unbounded)"),
      ValueRange{});
  Value zero = constantIndex(0, at).value;
  return PyValue::index(arith::SubIOp::create(builder, at, zero, value.value));
}

Value python::runTimeInteger(Value scalar) {
  auto asFloat = scalar.getDefiningOp<CastOp>();
  if (asFloat && !asFloat->hasAttr(kPythonInteger))
    return Value();
  auto made = asFloat
                  ? asFloat.getInput().getDefiningOp<tensor::FromElementsOp>()
                  : tensor::FromElementsOp();
  return made && made->getOperand(0).getDefiningOp<arith::IndexCastOp>()
             ? made.getResult()
             : Value();
}

Value python::runTimeIndex(Value scalar) {
  Value made = runTimeInteger(scalar);
  return made ? made.getDefiningOp<tensor::FromElementsOp>()
                    .getElements()[0]
                    .getDefiningOp<arith::IndexCastOp>()
                    .getIn()
              : Value();
}

FailureOr<Value> ProgramBuilder::indexAsTensor(const json::Object &node,
                                               PyValue value) {
  std::optional<int64_t> known = knownIndex(value.value);
  // An integer literal's own constant is not needed as an index.
  if (auto c = value.value.getDefiningOp<arith::ConstantOp>();
      c && integerLiteral(node) && c->use_empty())
    c->erase();
  // An integer that is not a literal (a loop variable, a size, `k = 3`):
  // a float32 scalar of the exact integer, as TensorFlow converts a Python
  // int beside floats; beside integers, or with only integers, numbersLike()
  // gives it their type or int32 (runTimeInteger reads it back).
  if (!known || !integerLiteral(node)) {
    Location at = loc(node);
    Value wide = arith::IndexCastOp::create(builder, at, builder.getI64Type(),
                                            value.value);
    Value scalar = tensor::FromElementsOp::create(
        builder, at, RankedTensorType::get({}, builder.getI64Type()),
        ValueRange{wide});
    auto asFloat = CastOp::create(
        builder, at, RankedTensorType::get({}, builder.getF32Type()), scalar);
    // (Marked: runTimeInteger reads back this conversion only, not a
    // user's tf.cast of the same integer, which is the float it makes.)
    asFloat->setAttr(kPythonInteger, builder.getUnitAttr());
    return asFloat.getResult();
  }
  // As Python's float() of the integer (APFloat reads a sign; APInt not).
  json::Object number{{"float", std::to_string(*known)}};
  return this->number(node, number);
}

bool ProgramBuilder::readOutside(llvm::StringRef name,
                                 const json::Object &loop) {
  bool found = false;
  const json::Array *body = loop.getArray("body");
  if (const json::Value *stmts = scope->function->get("body"))
    forEachRead(*stmts, body, [&](const json::Object &n) {
      found |= n.getString("id") == name;
    });
  return found;
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

/// Whether `node` calls Python's builtin `name` (not an imported one).
bool python::callsBuiltin(const json::Object &node, llvm::StringRef name) {
  const json::Object *func = child(node, "func");
  return kindOf(node) == "Call" && func && kindOf(*func) == "Name" &&
         func->getString("id") == name && !func->getString("qualified");
}

LogicalResult ProgramBuilder::zipBindings(
    const json::Object &target, const json::Object &iter,
    SmallVectorImpl<LoopBinding> &bindings, SmallVectorImpl<Value> &lengths) {
  Location at = loc(iter);
  static const json::Array none;
  const json::Array *args = iter.getArray("args");
  const json::Array *keywords = iter.getArray("keywords");
  if (!args)
    args = &none;
  if (!keywords)
    keywords = &none;
  const json::Array *targets = target.getArray("elts");
  bool unpacks = kindOf(target) == "Tuple" || kindOf(target) == "List";
  bool isEnumerate = callsBuiltin(iter, "enumerate");
  if (isEnumerate || callsBuiltin(iter, "zip")) {
    // enumerate(iterable, start=0); zip(*iterables) without strict=.
    const json::Object *start = nullptr;
    for (const json::Value &k : *keywords) {
      const json::Object *kw = k.getAsObject();
      if (isEnumerate && kw && kw->getString("arg") == "start" && !start) {
        start = child(*kw, "value");
        continue;
      }
      return error(kw ? *kw : iter,
                   "the keyword '" +
                       (kw ? kw->getString("arg").value_or("**") : "").str() +
                       "' of " + (isEnumerate ? "enumerate" : "zip") +
                       "() is not converted");
    }
    size_t count = args->size();
    bool startKeyword = start;
    if (isEnumerate && count == 2 && !startKeyword)
      start = (*args)[1].getAsObject();
    if (isEnumerate ? !(count == 1 || (count == 2 && !startKeyword))
                    : count == 0)
      return error(iter, isEnumerate
                             ? "enumerate() takes an iterable and a start"
                             : "zip() of nothing runs zero times: give it "
                               "what to iterate over");
    for (const json::Value &a : *args)
      if (const json::Object *of = a.getAsObject();
          of && kindOf(*of) == "Starred")
        return error(*of, "zip(*...) is not converted: name each iterable");
    size_t names = isEnumerate ? 2 : count;
    if (!unpacks || !targets || targets->size() != names)
      return error(target, "`for " + source(target) + " in " + source(iter) +
                               "` is converted with one name per item (" +
                               (isEnumerate ? "`for i, v in enumerate(x)`"
                                            : "`for a, b in zip(x, y)`") +
                               ")");
    if (isEnumerate) {
      const json::Object *counter = (*targets)[0].getAsObject();
      if (!counter || kindOf(*counter) != "Name")
        return error(counter ? *counter : target,
                     "the counter of enumerate() is bound to one name");
      Value first = constantIndex(0, at).value;
      if (start) {
        FailureOr<PyValue> v = expr(*start);
        if (failed(v))
          return failure();
        scalarToInteger(*v, loc(*start));
        if (!v->isIndex())
          return error(*start, "enumerate()'s start is an integer (a "
                               "constant, a loop variable, x.shape[0] or "
                               "tf.shape(x)[0])");
        first = v->value;
      }
      bindings.push_back({counter->getString("id").value_or("").str(), counter,
                          &iter, Value(), first, constantIndex(1, at).value});
      return zipBindings(*(*targets)[1].getAsObject(),
                         *(*args)[0].getAsObject(), bindings, lengths);
    }
    for (auto [t, a] : llvm::zip_equal(*targets, *args)) {
      const json::Object *item = t.getAsObject(), *of = a.getAsObject();
      if (!item || !of)
        return error(iter, "the program JSON has a loop target that is not "
                           "a node");
      if (failed(zipBindings(*item, *of, bindings, lengths)))
        return failure();
    }
    return success();
  }
  if (kindOf(target) != "Name")
    return error(target, "`for " + source(target) + " in " + source(iter) +
                             "`: unpacking each item into several names is "
                             "converted for enumerate() and zip(); index the "
                             "item instead (a, b = row[0], row[1])");
  std::string name = target.getString("id").value_or("").str();
  const json::Object *func = child(iter, "func");
  if (kindOf(iter) == "Call" && func &&
      (callsBuiltin(iter, "range") ||
       func->getString("qualified") == "tensorflow.range")) {
    // range(stop), range(start, stop[, step]) with a step known at import:
    // max(0, ceil((stop - start) / step)) items.
    SmallVector<Value, 3> bounds;
    for (const json::Value &a : *args) {
      FailureOr<PyValue> v = expr(a);
      if (failed(v))
        return failure();
      scalarToInteger(*v, at);
      if (!v->isIndex())
        return notAnInteger(*a.getAsObject(), &*v);
      bounds.push_back(v->value);
    }
    if (bounds.empty() || bounds.size() > 3 || !keywords->empty())
      return error(iter, "range() takes 1 to 3 integers, by position");
    if (bounds.size() == 1)
      bounds.insert(bounds.begin(), constantIndex(0, at).value);
    if (bounds.size() == 2)
      bounds.push_back(constantIndex(1, at).value);
    std::optional<int64_t> step = knownIndex(bounds[2]);
    if (step == 0)
      return error(*(*args)[2].getAsObject(),
                   "range() step must not be zero (Python raises ValueError)");
    if (!step)
      AssertOp::create(
          builder, at,
          arith::CmpIOp::create(builder, at, arith::CmpIPredicate::ne,
                                bounds[2], constantIndex(0, at).value),
          builder.getStringAttr("range() step is 0 (Python raises "
                                "ValueError: range() arg 3 must not be "
                                "zero)"),
          ValueRange{});
    lengths.push_back(
        pythonRangeLength(builder, at, bounds[0], bounds[1], bounds[2]));
    bindings.push_back({name, &target, &iter, Value(), bounds[0], bounds[2]});
    return success();
  }
  FailureOr<PyValue> rows = expr(iter);
  if (failed(rows))
    return failure();
  auto type = rows->isTensor()
                  ? dyn_cast<RankedTensorType>(rows->value.getType())
                  : RankedTensorType();
  if (!type || type.getRank() == 0)
    return error(iter, "`" + source(iter) +
                           "` is not iterated here: zip() and enumerate() "
                           "take range(...), tf.range(...) or a tensor of "
                           "rank 1 or more (its rows)");
  lengths.push_back(DimOp::create(builder, at, rows->value, 0));
  bindings.push_back({name, &target, &iter, rows->value, Value(), Value()});
  return success();
}

LogicalResult ProgramBuilder::forLoop(const json::Object &stmt,
                                      LoopReturn *returns) {
  const json::Object *target = child(stmt, "target");
  const json::Object *iter = child(stmt, "iter");
  // Over a sequence known at import, or picking layers by a range's
  // ints: unrolled (PythonUnrolledLoops.cpp).
  // (They convert their `else` themselves: no loopBroke, whatever loops
  // their passes hold set.)
  if (std::optional<LogicalResult> unrolled = unrolledListLoop(stmt)) {
    loopBroke.reset();
    return *unrolled;
  }
  if (std::optional<LogicalResult> unrolled = layerIndexLoop(stmt)) {
    loopBroke.reset();
    return *unrolled;
  }
  const json::Object *func = iter ? child(*iter, "func") : nullptr;
  const json::Array *rangeArgs = iter ? iter->getArray("args") : nullptr;
  const json::Array *body = stmt.getArray("body");
  // `for i, v in enumerate(x)`, `for a, b in zip(x, y)` (and any target
  // that unpacks): a loop over range(the shortest length), each name bound
  // at the top of the body.
  bool zipped = iter && target &&
                (kindOf(*target) != "Name" || callsBuiltin(*iter, "zip") ||
                 callsBuiltin(*iter, "enumerate"));
  SmallVector<LoopBinding> bindings;
  SmallVector<Value> lengths;
  if (zipped && failed(zipBindings(*target, *iter, bindings, lengths)))
    return failure();
  bool isRange = iter && kindOf(*iter) == "Call" && func &&
                 ((kindOf(*func) == "Name" && func->getString("id") == "range" &&
                   !func->getString("qualified")) ||
                  func->getString("qualified") == "tensorflow.range");
  // `for row in x`: the rows of a tensor, as `for i in range(x.shape[0]):
  // row = x[i]` (PythonBranches.cpp's docs, Control flow).
  Value rowsOf;
  SmallVector<Value, 3> bounds;
  // `for t in tf.range(...)` of floats, or with a dtype or an argument by
  // keyword: `t` takes the values AutoGraph's loop gives it (`t = start`,
  // then `t += delta` while `t < limit`; rangeCall's forLoop), a scalar
  // tensor of the range's dtype, each an element of those values.
  bool tfRange = isRange && func->getString("qualified") == "tensorflow.range";
  auto rangeValues = [&]() -> LogicalResult {
    FailureOr<PyValue> values = rangeCall(*this, *iter, /*forLoop=*/true);
    if (failed(values))
      return failure();
    rowsOf = values->value;
    bounds = {constantIndex(0, loc(*iter)).value,
              DimOp::create(builder, loc(*iter), rowsOf, 0),
              constantIndex(1, loc(*iter)).value};
    return success();
  };
  if (tfRange && !zipped && iter->getArray("keywords") &&
      !iter->getArray("keywords")->empty() && failed(rangeValues()))
    return failure();
  if (!zipped && target && kindOf(*target) == "Name" && iter && !isRange &&
      body) {
    FailureOr<PyValue> rows = expr(*iter);
    if (failed(rows))
      return failure();
    if (!rows->isTensor() || !isa<RankedTensorType>(rows->value.getType()) ||
        cast<RankedTensorType>(rows->value.getType()).getRank() == 0)
      return error(*iter, "`for " + target->getString("id").value_or("") +
                              " in " + source(*iter) +
                              "` is not converted: loop over range(...), "
                              "tf.range(...) or the rows of a tensor of rank "
                              "1 or more");
    rowsOf = rows->value;
  }
  if (!target || !iter || !body ||
      (!zipped && (kindOf(*target) != "Name" ||
                   (!rowsOf && (!rangeArgs || rangeArgs->empty() ||
                                rangeArgs->size() > 3)))))
    return error(stmt, "only `for NAME in range(...)`, `tf.range(...)` and "
                       "`for row in x` (x a tensor) loops are supported");
  if (zipped) {
    Value shortest = lengths.empty() ? Value() : lengths[0];
    for (Value length : llvm::ArrayRef(lengths).drop_front())
      shortest = arith::MinSIOp::create(builder, loc(*iter), shortest, length);
    bounds = {constantIndex(0, loc(*iter)).value, shortest,
              constantIndex(1, loc(*iter)).value};
  }
  if (rowsOf && bounds.empty()) {
    bounds.push_back(constantIndex(0, loc(*iter)).value);
    bounds.push_back(DimOp::create(builder, loc(*iter), rowsOf, 0));
    bounds.push_back(constantIndex(1, loc(*iter)).value);
  }
  // A loop TensorFlow runs as tf.while_loop (over a tensor's rows,
  // tf.range, or a range of a tensor or of TensorFlow's int32, which
  // AutoGraph makes tf.range): its integers are int32 tensors there
  // (PyValue::int32). A range of Python ints is Python's loop.
  bool tensorLoop = rowsOf || tfRange;
  for (const json::Value &a : rowsOf || zipped ? json::Array() : *rangeArgs) {
    FailureOr<PyValue> v = expr(a);
    if (failed(v))
      return failure();
    tensorLoop |= v->isTensor() || v->int32;
    // An int64 scalar tensor makes the range int64 (tf.range's widest
    // dtype; AutoGraph's range() of a tensor is tf.range): `i` is an int64
    // tensor, as in TensorFlow.
    if (v->isTensor() && !v->list &&
        getElementTypeOrSelf(v->value.getType()).isInteger(64)) {
      if (failed(rangeValues()))
        return failure();
      break;
    }
    scalarToInteger(*v, loc(*iter));
    if (tfRange && !v->isIndex()) {
      // A float (or another tensor, which tf.range refuses there).
      if (failed(rangeValues()))
        return failure();
      break;
    }
    if (!v->isIndex())
      return notAnInteger(*a.getAsObject(), &*v);
    bounds.push_back(v->value);
  }
  if (bounds.size() == 1)
    bounds.insert(bounds.begin(), constantIndex(0, loc(*iter)).value);
  if (bounds.size() == 2)
    bounds.push_back(constantIndex(1, loc(*iter)).value);
  if (!rowsOf && !zipped && knownIndex(bounds[2]) == 0)
    return error(*(*rangeArgs)[2].getAsObject(),
                 "range() step must not be zero (Python raises ValueError)");
  // (A zipped loop's own counter has no name in the program.)
  std::string name = zipped ? "$zip@" + std::to_string(lineOf(stmt))
                            : target->getString("id").value_or("").str();
  auto isBinding = [&](llvm::StringRef n) {
    return llvm::any_of(bindings,
                        [&](const LoopBinding &b) { return b.name == n; });
  };

  // Loop-carried: names the body rebinds (assigns, appends to, or uses as
  // a nested loop's target) that exist before the loop.
  SmallVector<std::string> rebound, carried;
  reboundNames(*stmt.get("body"), rebound);
  for (const std::string &n : rebound) {
    auto it = scope->env.find(n);
    if (it != scope->env.end() && n != name && !isBinding(n) &&
        it->second.kind != PyValue::Kind::Unbound)
      carried.push_back(n);
  }
  carryWriteCounts(stmt, carried);
  // The target keeps its last value after the loop, as in Python (its
  // value before the loop if it runs zero times): carried too when the
  // function reads it anywhere outside the body.
  bool keepTarget = readOutside(name, stmt);
  std::optional<PyValue> before;
  if (auto it = scope->env.find(name); it != scope->env.end())
    before = it->second;
  bool beforeIndex = before && before->isIndex();
  if (keepTarget && beforeIndex)
    carried.push_back(name);
  // So are enumerate's counter and a zipped range's integers; a row is not
  // kept (unbound after the loop, as a row loop's target).
  SmallVector<const LoopBinding *> unboundAfter;
  for (const LoopBinding &b : bindings) {
    if (!readOutside(b.name, stmt))
      continue;
    auto it = scope->env.find(b.name);
    if (!b.rows && it != scope->env.end() && it->second.isIndex())
      carried.push_back(b.name);
    else
      unboundAfter.push_back(&b);
  }
  // Its `return`s' flag and values, carried last (placeholders until the
  // first `return` is converted).
  size_t firstReturned = carried.size() + 1;
  if (returns)
    for (std::string &n : bindLoopReturn(*returns, loc(stmt)))
      carried.push_back(std::move(n));

  FailureOr<SmallVector<PyValue>> started = loopInits(carried, stmt);
  if (failed(started))
    return failure();
  SmallVector<PyValue> inits = std::move(*started);
  Location at = loc(stmt);
  // A `break` is a flag the loop carries after its values: once set, the
  // rest of the iterations do nothing (as AutoGraph converts it).
  bool hasBreak = breaksLoop(body);
  // The carried types: those before the loop, widened (sizes that differ
  // become dynamic) until an iteration yields what it receives, as for
  // `while` (PythonBranches.cpp): `h = x[0:0]` then `h = tf.concat([h, x],
  // 0)` carries `?` rows, not 0. A size once dynamic stays so: the rounds
  // end.
  SmallVector<Type> types;
  for (const PyValue &init : inits)
    types.push_back(typeOf(init));
  llvm::StringMap<PyValue> outer = scope->env;
  // The carried names bound to `values` (the body's arguments, the loop's
  // results), each of its kind before the loop.
  // Carried integers the body makes TensorFlow's int32 (`k = k + n` of an
  // int32 n in a loop Python runs, which TensorFlow unrolls: k is an int32
  // tensor from there on; helper-143): carried as int32, the loop made
  // again.
  SmallVector<bool> becomesInt32(carried.size(), false);
  auto bindCarried = [&](ValueRange values) {
    for (auto [k, n, init, value] : llvm::enumerate(carried, inits, values)) {
      PyValue v = init;
      if (init.isList()) {
        v.list = std::make_shared<ListValue>(*init.list);
        v.list->ssa = value;
      }
      v.value = value;
      v.int32 |= (tensorLoop || becomesInt32[k]) && int32InLoop(init);
      scope->env[n] = v;
    }
  };
  ForOp loop;
  for (;;) {
    // This round's initial values: the carried ones, widened by a cast.
    SmallVector<Operation *> made;
    SmallVector<Value> initValues;
    for (auto [init, type] : llvm::zip_equal(inits, types)) {
      // (A list's type is its slot's: typed in place at its first append.)
      if (init.isList() || init.value.getType() == type) {
        initValues.push_back(init.value);
        continue;
      }
      auto cast = tensor::CastOp::create(builder, at, type, init.value);
      made.push_back(cast);
      initValues.push_back(cast);
    }
    if (hasBreak) {
      initValues.push_back(arith::ConstantIntOp::create(builder, at, 0, 1));
      made.push_back(initValues.back().getDefiningOp());
    }
    loop =
        ForOp::create(builder, at, bounds[0], bounds[1], bounds[2], initValues);
    if (returns)
      placeLoopReturn(*returns, loop, firstReturned);
    Block *block = loop.getBodyBlock();
    auto iterArgs = loop.getRegionIterArgs().take_front(carried.size());
    scope->env = outer;
    bindCarried(iterArgs);
    scope->env[name] = tensorLoop ? PyValue::int32Index(loop.getInductionVar())
                                  : PyValue::index(loop.getInductionVar());
    SmallVector<Type> widened(types);
    bool stable = true;
    {
      OpBuilder::InsertionGuard guard(builder);
      if (block->empty())
        builder.setInsertionPointToEnd(block);
      else
        builder.setInsertionPoint(block->getTerminator());
      if (rowsOf) {
        // Row i of x without its axis: x[i:i+1] (one row, proven),
        // collapsed.
        Location rowAt = loc(*target);
        Value i = loop.getInductionVar();
        FailureOr<Value> collapsed =
            rowOf(rowsOf, i, getElementTypeOrSelf(rowsOf.getType()), rowAt);
        if (failed(collapsed))
          return failure();
        scope->env[name] = PyValue::tensor(*collapsed);
      }
      for (const LoopBinding &b : bindings) {
        Value k = loop.getInductionVar();
        Location bindAt = loc(*b.target);
        if (b.rows) {
          FailureOr<Value> row =
              rowOf(b.rows, k, getElementTypeOrSelf(b.rows.getType()), bindAt);
          if (failed(row))
            return failure();
          scope->env[b.name] = PyValue::tensor(*row);
          continue;
        }
        // start + k * step (k itself for enumerate's default counter).
        Value v = k;
        if (knownIndex(b.step) != 1)
          v = arith::MulIOp::create(builder, bindAt, v, b.step);
        if (knownIndex(b.start) != 0)
          v = checkedIndex(*b.iterable, "Add", b.start, v);
        scope->env[b.name] = PyValue::index(v);
      }
      std::optional<scf::IfOp> guardIf;
      if (hasBreak) {
        Value one = arith::ConstantIntOp::create(builder, at, 1, 1);
        Value going = arith::XOrIOp::create(
            builder, at, loop.getRegionIterArgs().back(), one);
        guardIf = scf::IfOp::create(builder, at, TypeRange{}, going,
                                    /*withElseRegion=*/true);
        builder.setInsertionPoint(guardIf->thenBlock()->getTerminator());
      }
      SmallVector<const json::Object *> stmts;
      for (const json::Value &s : *body) {
        const json::Object *st = s.getAsObject();
        if (!st)
          return error(stmt, "the program JSON has a statement that is not "
                             "a node");
        stmts.push_back(st);
      }
      // Statements, `if`s, `continue` (PythonBranches.cpp).
      FailureOr<Exit> exit = loopBody(stmt, stmts, carried, hasBreak, returns);
      if (failed(exit))
        return failure();
      if (returns) {
        // A `return` has fixed its values' types.
        returns->share(inits, types);
        returns->share(inits, widened);
      }

      SmallVector<Value> yields;
      for (auto [k, n] : llvm::enumerate(carried)) {
        const PyValue &init = inits[k];
        PyValue v = scope->env[n];
        if (v.isList() && !v.list->ssa)
          return error(stmt, "'" + n +
                                 "' is bound to a new list inside the loop; a "
                                 "list is built by appends, not rebound");
        if (v.isIndex() && v.int32 && !becomesInt32[k] && int32InLoop(init) &&
            !tensorLoop) {
          becomesInt32[k] = true;
          stable = false;
        }
        FailureOr<bool> again = joinCarriedInt(inits[k], v, widened[k], stmt);
        if (failed(again))
          return failure();
        if (*again) {
          stable = false;
          yields.push_back(v.value);
          continue;
        }
        Type want = init.isList() ? typeOf(init) : types[k];
        Type got = typeOf(v);
        if (got == want) {
          yields.push_back(v.isList() ? v.list->ssa : v.value);
          continue;
        }
        // Sizes that differ from those carried: carried as dynamic (the
        // loop is made again). Known less precisely in the body (a rank
        // unknown after a foreign call), the loop keeps its type, checked
        // where the value is cast to it.
        auto wantRanked = v.isTensor() && init.isTensor()
                              ? dyn_cast<RankedTensorType>(want)
                              : RankedTensorType();
        auto gotRanked =
            wantRanked ? dyn_cast<RankedTensorType>(got) : RankedTensorType();
        bool sizesOnly =
            gotRanked && gotRanked.getRank() == wantRanked.getRank() &&
            gotRanked.getElementType() == wantRanked.getElementType();
        if (!sizesOnly &&
            (!v.isTensor() || !init.isTensor() || !areCompatible(got, want)))
          return error(
              stmt, "'" + n + "' changes type in the loop (" +
                        (init.isTensor() ? typeText(want) : kindWords(init)) +
                        " before, " +
                        (v.isTensor() ? typeText(got) : kindWords(v)) +
                        " after one iteration)" +
                        (v.isTensor() && init.isTensor()
                             ? ": give it the loop's type before "
                               "the loop (tf.zeros of that shape), "
                               "as AutoGraph requires of a loop's "
                               "values"
                             : ""));
        if (sizesOnly) {
          RankedTensorType joined = joinSizes(wantRanked, gotRanked);
          if (joined != want) {
            widened[k] = joined;
            stable = false;
          }
        }
        yields.push_back(tensor::CastOp::create(builder, at, want, v.value));
      }
      if (guardIf) {
        // The iteration's values where it ran, its arguments (and the flag
        // set) where an earlier one broke.
        Value broke = exit->kind == Exit::Dynamic
                          ? exit->broke
                          : Value(arith::ConstantIntOp::create(
                                builder, at, exit->kind == Exit::Break, 1));
        yields.push_back(broke);
        SmallVector<Value> skipped(iterArgs.begin(), iterArgs.end());
        {
          OpBuilder::InsertionGuard inElse(builder);
          builder.setInsertionPoint(guardIf->elseBlock()->getTerminator());
          skipped.push_back(arith::ConstantIntOp::create(builder, at, 1, 1));
        }
        SmallVector<Type> skippedTypes;
        for (Value v : skipped)
          skippedTypes.push_back(v.getType());
        builder.setInsertionPointAfter(*guardIf);
        yields =
            finishGuard(builder, *guardIf, yields, skipped, skippedTypes, at);
      }
      if (!yields.empty())
        YieldOp::create(builder, at, yields);
    }
    if (stable)
      break;
    discardRound(loop, made);
    types = widened;
    if (returns)
      returns->restart(inits, types);
  }
  // `for i in range(10)` (bounds known at import): a loop Python runs.
  if (isRange && func->getString("id") == "range" && !zipped &&
      llvm::all_of(bounds, [](Value b) { return knownIndexValue(b); }) &&
      failed(checkPythonLoopFloats(
          stmt, loop, carried, inits, loop.getInitArgs(),
          loop.getBodyBlock()->getTerminator()->getOperands(),
          /*leading=*/1)))
    return failure();
  auto loopResults = loop.getResults().take_front(carried.size());
  for (auto [result, init, type] : llvm::zip_equal(loopResults, inits, types))
    result.setType(init.isList() ? typeOf(init) : type);

  // Names first bound inside the loop do not outlive it here (the loop may
  // run zero times): reading one is an error that says so.
  for (const auto &entry : scope->env)
    if (!outer.count(entry.getKey()) && entry.getKey() != name)
      scope->loopLocals[entry.getKey()] = &stmt;
  scope->env = std::move(outer);
  bindCarried(loopResults);
  if (keepTarget && !beforeIndex)
    // Unbound (or not an integer) if the loop runs zero times.
    scope->env[name] = PyValue::unbound(&stmt, /*row=*/bool(rowsOf));
  for (const LoopBinding *b : unboundAfter)
    scope->env[b->name] = PyValue::unbound(&stmt, /*row=*/bool(b->rows));
  // (A `return` sets the flag too, but the `else` is reached only where
  // none ran.)
  loopBroke =
      breaksLoop(body, /*orReturn=*/false) ? loop.getResults().back() : Value();
  return success();
}

//===----------------------------------------------------------------------===//
// Lists
//===----------------------------------------------------------------------===//

FailureOr<PyValue> ProgramBuilder::listLiteral(const json::Object &node) {
  SmallVector<Value> elements;
  SmallVector<PyValue> items;
  if (const json::Array *elts = node.getArray("elts"))
    for (const json::Value &e : *elts) {
      // Each element once: as the program made it, and as a tensor.
      const json::Object *item = e.getAsObject();
      FailureOr<const json::Object *> literal =
          item ? numberOf(*item) : FailureOr<const json::Object *>(nullptr);
      if (failed(literal))
        return failure();
      if (!item || *literal) {
        FailureOr<Value> t = tensor(e);
        if (failed(t))
          return failure();
        elements.push_back(*t);
        // An int literal is a Python int (read as one where it fits).
        std::optional<llvm::StringRef> digits =
            item && *literal ? (*literal)->getString("int") : std::nullopt;
        int64_t k;
        items.push_back(digits && !digits->getAsInteger(10, k)
                            ? constantIndex(k, loc(*item))
                            : PyValue::tensor(*t));
        continue;
      }
      FailureOr<PyValue> v = expr(*item);
      if (failed(v))
        return failure();
      if (v->isKnownList() &&
          (kindOf(*item) == "List" || kindOf(*item) == "Tuple")) {
        // A nested tuple or list written in place (`cfg = [(2, 7), (3,
        // 5)]`): itself where it is read (`for k, s in cfg`, `cfg[1][0]`),
        // the tensor TensorFlow makes of it where the whole is a tensor (a
        // literal of numbers as tf.constant makes it: int64 for an int
        // beyond int32; else packed).
        std::optional<FailureOr<PyValue>> constant = literalArray(*item);
        FailureOr<PyValue> packed =
            constant ? *constant : autopacked(*item, Type());
        if (failed(packed))
          return failure();
        elements.push_back(packed->value);
        items.push_back(*v);
        continue;
      }
      FailureOr<Value> t =
          v->isIndex() ? indexAsTensor(*item, *v) : tensorOf(*v, *item);
      if (failed(t))
        return failure();
      elements.push_back(*t);
      items.push_back(*v);
    }
  return knownList(node, elements, items);
}

PyValue ProgramBuilder::listItem(const ListValue &list, size_t k) {
  if (list.items.size() == list.elements.size() &&
      (list.items[k].isIndex() || list.items[k].isBool() ||
       list.items[k].isKnownList()))
    return list.items[k];
  return PyValue::tensor(list.elements[k]);
}

SmallVector<PyValue> ProgramBuilder::listItems(const ListValue &list) {
  SmallVector<PyValue> out;
  for (size_t k = 0, e = list.elements.size(); k < e; ++k)
    out.push_back(listItem(list, k));
  return out;
}

PyValue ProgramBuilder::knownList(const json::Object &node,
                                  ArrayRef<Value> elements,
                                  ArrayRef<PyValue> items) {
  auto list = std::make_shared<ListValue>();
  list->node = &node;
  list->owner = scope;
  list->ownerName = scope->function->getString("name").value_or("").str();
  list->elements.assign(elements.begin(), elements.end());
  if (items.size() == elements.size())
    list->items.assign(items.begin(), items.end());
  if (const json::Array *items = node.getArray("elts");
      items && items->size() == elements.size())
    for (const json::Value &item : *items)
      list->sources.push_back(item.getAsObject());
  return PyValue::of(list);
}

LogicalResult ProgramBuilder::extend(const json::Object &call) {
  const json::Object *func = child(call, "func");
  const json::Object *target = func ? child(*func, "value") : nullptr;
  const json::Array *args = call.getArray("args");
  if (!target || kindOf(*target) != "Name" || !args || args->size() != 1 ||
      !arrayOr(call.getArray("keywords")).empty())
    return error(call, "extend is converted on a name of a list, with one "
                       "list or tuple");
  FailureOr<PyValue> lst = expr(*target);
  if (failed(lst))
    return failure();
  FailureOr<PyValue> more = expr((*args)[0]);
  if (failed(more))
    return failure();
  auto known = [](const PyValue &v) {
    return v.isKnownList() && v.list->fields.empty();
  };
  if (!known(*lst) || !known(*more) || lst->list->owner != scope)
    return error(call, "'" + source(call) +
                           "' is converted for a list built outside loops "
                           "by this function, extended by a tuple or list "
                           "written or built so (a list built by a loop "
                           "takes appends, one per iteration)");
  // One more element at a time, as appends (their expressions and Python
  // values kept).
  auto next = std::make_shared<ListValue>(*lst->list);
  const ListValue &added = *more->list;
  SmallVector<PyValue> items = listItems(added);
  bool sources = next->sources.size() == next->elements.size() &&
                 added.sources.size() == added.elements.size();
  bool pythonValues = next->items.size() == next->elements.size();
  for (auto [k, e] : llvm::enumerate(added.elements)) {
    next->elements.push_back(e);
    if (sources)
      next->sources.push_back(added.sources[k]);
    if (pythonValues)
      next->items.push_back(items[k]);
  }
  if (!sources)
    next->sources.clear();
  if (!pythonValues)
    next->items.clear();
  scope->env[target->getString("id").value_or("").str()] = PyValue::of(next);
  return success();
}

LogicalResult ProgramBuilder::append(const json::Object &call) {
  const json::Object *func = child(call, "func");
  const json::Object *target = func ? child(*func, "value") : nullptr;
  const json::Array *args = call.getArray("args");
  if (!target)
    return error(call, "append is supported on a list created with [] and "
                       "takes one tensor");
  FailureOr<PyValue> lst = expr(*func->get("value"));
  if (failed(lst))
    return failure();
  if (kindOf(*target) != "Name" || !lst->isList() || !args ||
      args->size() != 1)
    return error(call, "append is supported on a list created with [] and "
                       "takes one tensor");
  std::string name = target->getString("id").value_or("").str();
  const ListValue &list = *lst->list;
  if (!list.fields.empty())
    return error(call, "'" + name + "' is a namedtuple (the result of " +
                           python::namedTupleSource(*this, list) +
                           "), which has no append (Python raises "
                           "AttributeError): append to a list of its "
                           "fields, [" +
                           name + "." + list.fields.front() + "]");
  std::string function = scope->function->getString("name").value_or("").str();
  if (list.owner != scope && list.ownerName == function)
    // The list of a default argument (`def collect(x, store=[])`),
    // made where `def` ran, shared by every call that uses the default.
    return error(call, "'" + function + "' appends to '" + name +
                           "', the list of its default argument, which "
                           "Python makes once and shares among the calls "
                           "that use the default: appending to it is not "
                           "supported (default it to None and write `if " +
                           name + " is None: " + name + " = []`)");
  if (list.owner != scope)
    return error(call, "'" + function + "' appends to '" + name +
                           "', a list of its caller '" + list.ownerName +
                           "': appending to a caller's list is not supported "
                           "(return the value and append it in the caller)");
  // An integer known at run time (a size, a counter) is TensorFlow's
  // int32, as tf.shape's elements and tf.stack of Python ints are: as a
  // float32 it would lose integers beyond 2**24.
  const json::Object *arg = (*args)[0].getAsObject();
  FailureOr<const json::Object *> literal =
      arg ? numberOf(*arg) : FailureOr<const json::Object *>(nullptr);
  if (failed(literal))
    return failure();
  FailureOr<Value> item = failure();
  std::optional<PyValue> value;
  if (!arg || *literal) {
    item = tensor((*args)[0]);
    if (arg && !list.ssa)
      if (FailureOr<PyValue> v = expr(*arg); succeeded(v))
        value = *v;
  } else {
    FailureOr<PyValue> v = expr(*arg);
    if (failed(v))
      return failure();
    value = *v;
    item = v->isIndex() ? integerScalar(*arg, *v, builder.getI32Type(),
                                        "an integer appended to a list is "
                                        "TensorFlow's int32")
                        : tensorOf(*v, *arg);
  }
  if (failed(item))
    return failure();
  FailureOr<std::shared_ptr<ListValue>> next =
      appendTo(list, *item, call, name, arg, value);
  if (failed(next))
    return failure();
  scope->env[name] = PyValue::of(*next);
  return success();
}

/// Gives every version of a list, from `root` (its predict.list.empty)
/// through its appends and the loops and branches that carry it, the list
/// type `type`: its element type fixed by the first append, or widened by
/// a later one. The versions made after this take it from their operands.
static void retypeList(Value root, Type type) {
  SmallVector<Value> work{root};
  auto carry = [&](Operation *loop, unsigned i) {
    if (auto forOp = dyn_cast<ForOp>(loop)) {
      work.push_back(forOp.getRegionIterArgs()[i]);
      work.push_back(forOp.getResult(i));
      return;
    }
    auto whileOp = cast<scf::WhileOp>(loop);
    if (!whileOp.getBefore().empty())
      work.push_back(whileOp.getBeforeArguments()[i]);
  };
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (v.getType() == type)
      continue;
    v.setType(type);
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      unsigned i = use.getOperandNumber();
      Operation *parent = user->getParentOp();
      if (auto append = dyn_cast<ListAppendOp>(user)) {
        if (i == 0)
          work.push_back(append.getResult());
      } else if (isa<ForOp>(user)) {
        if (i >= 3) // lower, upper, step, then the initial values
          carry(user, i - 3);
      } else if (isa<scf::WhileOp>(user)) {
        carry(user, i);
      } else if (isa<YieldOp>(user) && isa<ForOp>(parent)) {
        carry(parent, i);
      } else if (isa<scf::YieldOp>(user) && isa<scf::IfOp>(parent)) {
        work.push_back(parent->getResult(i));
      } else if (isa<scf::YieldOp>(user) && isa<scf::WhileOp>(parent)) {
        carry(parent, i);
      } else if (auto condition = dyn_cast<scf::ConditionOp>(user)) {
        if (i == 0)
          continue;
        auto whileOp = cast<scf::WhileOp>(parent);
        if (!whileOp.getAfter().empty())
          work.push_back(whileOp.getAfterArguments()[i - 1]);
        work.push_back(whileOp.getResult(i - 1));
      }
    }
  }
}

/// A list's name in a message: the comprehension's for the one a list
/// comprehension builds (ProgramBuilder::listComprehension), with what its
/// several `for`s can be.
static std::string shownList(llvm::StringRef name) {
  if (name.starts_with("$comprehension"))
    return "the comprehension's list (with several `for`s, only the first "
           "may be a compiled loop, over a tensor's rows or a range; the "
           "others must be unrolled at import, over layers, a tuple or "
           "list, or a range of bounds known there)";
  return ("'" + name + "'").str();
}

FailureOr<std::shared_ptr<ListValue>>
ProgramBuilder::appendTo(const ListValue &list, Value item,
                         const json::Object &call, llvm::StringRef name,
                         const json::Object *source,
                         std::optional<PyValue> value) {
  auto next = std::make_shared<ListValue>(list);
  if (!list.ssa) { // built outside loops: one more element
    if (source && list.sources.size() == list.elements.size())
      next->sources.push_back(source);
    else
      next->sources.clear();
    if (value && list.items.size() == list.elements.size())
      next->items.push_back(*value);
    else
      next->items.clear();
    next->elements.push_back(item);
    return next;
  }
  if (scope->loops.size() != list.depth)
    return error(call, shownList(name) + " is built by the loop at line " +
                           std::to_string(lineOf(*list.loop)) +
                           "; appending to it after that loop is not "
                           "supported (a list is built either by appends "
                           "outside loops or by one loop that appends to it)");
  ListValue::Slot &slot = *list.slot;
  Type type = item.getType();
  if (slot.element != type) {
    // The first append fixes the element type; a later one of other static
    // sizes widens it to `?` on those axes (tf.concat's elements differ
    // along its axis: `r[0:2]`, then `r[0:1]`).
    Type element = type;
    if (slot.element) {
      element = joinSizes(dyn_cast<RankedTensorType>(slot.element),
                          dyn_cast<RankedTensorType>(type));
      if (!element)
        return error(call, "the list holds " + typeText(slot.element) +
                               " but this appends " + typeText(type) +
                               ": a list's elements have one rank and dtype");
    }
    slot.element = element;
    retypeList(slot.root, ListType::get(context, cast<TensorType>(element)));
  }
  next->ssa = ListAppendOp::create(builder, loc(call), list.ssa.getType(),
                                   list.ssa, item);
  return next;
}

FailureOr<PyValue> ProgramBuilder::startLoopList(llvm::StringRef n,
                                                 const ListValue &list,
                                                 const json::Object &stmt) {
  if (!list.ssa && !list.elements.empty())
    return error(
        stmt, shownList(n) + " holds " + std::to_string(list.elements.size()) +
                  (list.elements.size() == 1 ? " element" : " elements") +
                  " when this loop, which changes it, starts: a "
                  "loop builds a list by appends, starting empty, "
                  "and carries tensors and numbers; append to a "
                  "list made empty before the loop, or carry a "
                  "tuple's elements in names of their own (`a, b "
                  "= b + 1.0, a`)");
  if (list.ssa)
    return error(stmt, shownList(n) + " is built by the loop at line " +
                           std::to_string(lineOf(*list.loop)) +
                           "; appending to it " +
                           (llvm::is_contained(scope->loops, list.loop)
                                ? "in a nested loop"
                                : "in a second loop") +
                           " is not supported");
  FailureOr<std::shared_ptr<ListValue>> made =
      materializeList(list, &stmt, scope->loops.size() + 1);
  if (failed(made))
    return failure();
  return PyValue::of(*made);
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::loopInits(ArrayRef<std::string> carried,
                          const json::Object &stmt) {
  SmallVector<PyValue> inits;
  for (const std::string &n : carried) {
    PyValue init = scope->env[n];
    if (init.isList()) {
      FailureOr<PyValue> started = startLoopList(n, *init.list, stmt);
      if (failed(started))
        return failure();
      init = *started;
    }
    inits.push_back(init);
  }
  return inits;
}

FailureOr<std::shared_ptr<ListValue>>
ProgramBuilder::materializeList(const ListValue &list, const json::Object *loop,
                                unsigned depth) {
  // One list holds tensors of one dtype (TensorFlow's TensorList and
  // tf.stack/concat refuse others; helper-132: `[ids, tf.cast(ids,
  // tf.float32)]` made invalid IR).
  for (Value e : list.elements)
    if (getElementTypeOrSelf(e.getType()) !=
        getElementTypeOrSelf(list.elements.front().getType()))
      return error(
          *list.node,
          "this list holds tensors of " +
              dtypeName(getElementTypeOrSelf(list.elements.front().getType())) +
              " and of " + dtypeName(getElementTypeOrSelf(e.getType())) +
              ": a list converted code builds holds tensors of one "
              "dtype (TensorFlow's tf.stack and tf.concat raise "
              "too); tf.cast them to one first");
  auto out = std::make_shared<ListValue>(list);
  out->loop = loop;
  out->depth = depth;
  if (list.ssa)
    return out;
  out->slot = std::make_shared<ListValue::Slot>();
  Location at = loc(*list.node);
  Type f32 = builder.getF32Type();
  if (!list.elements.empty())
    out->slot->element = joinTypes(list.elements, f32);
  Type element =
      out->slot->element ? out->slot->element : UnrankedTensorType::get(f32);
  auto listType = ListType::get(context, cast<TensorType>(element));
  Value ssa = ListEmptyOp::create(builder, at, listType);
  out->slot->root = ssa;
  for (Value e : list.elements)
    ssa = ListAppendOp::create(builder, at, listType, ssa, e);
  out->elements.clear();
  out->sources.clear();
  out->items.clear();
  out->ssa = ssa;
  return out;
}

FailureOr<Value> ProgramBuilder::materialize(ListValue &list,
                                             const json::Object &at) {
  FailureOr<std::shared_ptr<ListValue>> made =
      materializeList(list, list.loop, list.depth);
  if (failed(made))
    return failure();
  return (*made)->ssa;
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::listCall(const json::Object &node, llvm::StringRef callee) {
  if (callee == "tensorflow.concat")
    return listOp(node, /*concat=*/true);
  if (callee == "tensorflow.stack")
    return listOp(node, /*concat=*/false);
  return std::nullopt;
}

FailureOr<PyValue> ProgramBuilder::listOp(const json::Object &node,
                                          bool concat) {
  llvm::StringRef op = concat ? "concat" : "stack";
  FailureOr<BoundCall> bound = bindArguments(
      *this, node,
      *signatureOf(concat ? "tensorflow.concat" : "tensorflow.stack"));
  if (failed(bound))
    return failure();
  const json::Object &values = bound->at("values");
  FailureOr<PyValue> lst = joinedLiteral(values);
  if (failed(lst))
    return failure();
  if (!lst->isList())
    return bound->error("values", "is '" + source(values) +
                                      "', not a list: give a list literal "
                                      "([a, b]) or a list built with append");
  FailureOr<std::optional<int64_t>> axis = bound->integer("axis");
  if (failed(axis))
    return failure();
  if (!*axis)
    return bound->error("axis", "is None: give the axis to join along");
  if (lst->list->tensorArray)
    return error(node, bound->name() + " of a tf.TensorArray: write '" +
                           source(values) + "." + op + "()'");
  FailureOr<Value> result = joinList(*lst->list, **axis, concat, node);
  if (failed(result))
    return failure();
  return PyValue::tensor(*result);
}

FailureOr<PyValue> ProgramBuilder::joinedLiteral(const json::Object &values) {
  llvm::StringRef kind = kindOf(values);
  const json::Array *items = values.getArray("elts");
  auto isArray = [&](const json::Value &e) {
    const json::Object *o = e.getAsObject();
    return o && (kindOf(*o) == "List" || kindOf(*o) == "Tuple");
  };
  if ((kind != "List" && kind != "Tuple") || !items ||
      !llvm::any_of(*items, isArray))
    return expr(values);
  // tf.concat([ids, [5]], 0): TensorFlow converts the list's elements to
  // the dtype of its tensors (convert_n_to_tensor with the op's type
  // attribute); a list literal of numbers among them is such a constant.
  SmallVector<Value> elements;
  SmallVector<const json::Object *> literals;
  Type dtype;
  for (const json::Value &e : *items) {
    const json::Object &item = *e.getAsObject();
    if (isArray(e)) {
      if (std::optional<FailureOr<PyValue>> c = literalArray(item)) {
        if (failed(*c))
          return failure();
        elements.push_back((*c)->value);
        literals.push_back(&item);
        continue;
      }
      // Holding values known only at run time (`[tf.shape(x)[0]]`):
      // TensorFlow's autopacking, as tf.convert_to_tensor packs it.
      FailureOr<PyValue> packed = autopacked(item, Type());
      if (failed(packed))
        return failure();
      elements.push_back(packed->value);
      literals.push_back(nullptr);
      if (!dtype)
        dtype = cast<TensorType>(packed->value.getType()).getElementType();
      continue;
    }
    FailureOr<PyValue> v = expr(item);
    if (failed(v))
      return failure();
    FailureOr<Value> t = tensorOf(*v, item);
    if (failed(t))
      return failure();
    elements.push_back(*t);
    literals.push_back(nullptr);
    if (!dtype)
      dtype = cast<TensorType>(t->getType()).getElementType();
  }
  for (auto [element, literal] : llvm::zip_equal(elements, literals)) {
    Type own = cast<TensorType>(element.getType()).getElementType();
    if (!literal || !dtype || own == dtype)
      continue;
    if (isa<FloatType>(own) && !isa<FloatType>(dtype))
      return error(*literal, "'" + source(*literal) +
                                 "' holds floats, "
                                 "which TensorFlow does not convert to the " +
                                 dtypeName(dtype) +
                                 " of the other tensors: write integers, or "
                                 "tf.cast the tensors");
    FailureOr<Value> cast = typed(CastOp::create(
        builder, loc(*literal), UnrankedTensorType::get(dtype), element));
    if (failed(cast))
      return failure();
    element = *cast;
  }
  return knownList(values, elements);
}

FailureOr<Value> ProgramBuilder::joinList(const ListValue &list, int64_t a,
                                          bool concat, const json::Object &node,
                                          Type wanted) {
  llvm::StringRef op = concat ? "concat" : "stack";
  Location at = loc(node);
  Type unknown = UnrankedTensorType::get(builder.getF32Type());
  FailureOr<Value> result = failure();
  if (!list.ssa) {
    // A list built outside loops: its elements joined by one op.
    if (list.elements.empty())
      return error(node, "tf." + op + " of an empty list (TensorFlow raises)");
    SmallVector<Value> elements(list.elements);
    if (!concat) {
      // tf.stack([n, 4]) of integers (known only at run time, literals,
      // int tensors) with no float among them: TensorFlow packs them as
      // int32 (or as their int tensors' type), not as float32.
      FailureOr<bool> ints = integerScalars(list, elements, wanted);
      if (failed(ints))
        return failure();
      // tf.stack([a, b]): the same straight-line list predict-lower-loops
      // joins (each element with a unit axis added).
      Type first = elements.front().getType();
      for (Value e : elements)
        if (e.getType() != first)
          return error(node, "tf.stack of tensors of different types (" +
                                 typeText(first) + " and " +
                                 typeText(e.getType()) + "): " +
                                 (getElementTypeOrSelf(first) !=
                                          getElementTypeOrSelf(e.getType())
                                      ? "stacking needs one dtype (tf.cast "
                                        "them to one)"
                                      : "stacking needs one shape"));
      auto ranked = dyn_cast<RankedTensorType>(first);
      if (!ranked)
        return error(node, "tf.stack of a list built outside loops needs "
                           "tensors of known rank");
      if (ranked.getRank() == 0) {
        // tf.stack([tf.reduce_sum(x), tf.reduce_max(x)]): scalars become a
        // vector (each one a 1-element tensor, joined).
        if (a != 0 && a != -1)
          return error(node, "tf.stack of scalars takes axis 0 or -1, not " +
                                 llvm::Twine(a) + " (TensorFlow raises)");
        auto one = RankedTensorType::get({1}, ranked.getElementType());
        SmallVector<Value> vectors;
        for (Value e : elements)
          vectors.push_back(tensor::ExpandShapeOp::create(
              builder, at, one, e, ArrayRef<ReassociationIndices>{}));
        result = typed(ConcatenateOp::create(builder, at, unknown, vectors,
                                             builder.getI64IntegerAttr(0)));
        if (failed(result))
          return failure();
        return *result;
      }
      FailureOr<std::shared_ptr<ListValue>> made =
          materializeList(list, nullptr, 0);
      if (failed(made))
        return failure();
      Value ssa = (*made)->ssa;
      result = typed(ListStackOp::create(builder, at, unknown, ssa,
                                         builder.getI64IntegerAttr(a)));
      // As many as the list has elements, along the new axis.
      if (succeeded(result))
        if (auto joined = dyn_cast<RankedTensorType>(result->getType()))
          if (auto axis = normalizeAxis(a, joined.getRank())) {
            SmallVector<int64_t> shape(joined.getShape());
            shape[*axis] = list.elements.size();
            result->setType(
                RankedTensorType::get(shape, joined.getElementType()));
          }
    } else {
      Type first =
          cast<TensorType>(list.elements.front().getType()).getElementType();
      for (Value e : list.elements)
        if (Type t = cast<TensorType>(e.getType()).getElementType(); t != first)
          return error(node, "tf.concat of tensors of different element "
                             "types (" +
                                 typeText(first) + " and " + typeText(t) +
                                 "): tf.cast them to one");
      result = typed(ConcatenateOp::create(builder, at, unknown,
                                           list.elements,
                                           builder.getI64IntegerAttr(a)));
    }
  } else {
    if (!list.slot->element)
      return error(node, "tf." + op + " of a list that is never appended to");
    if (auto element = dyn_cast<RankedTensorType>(list.slot->element);
        element && !normalizeAxis(a, element.getRank() + (concat ? 0 : 1)))
      return error(node, "tf." + op + ": axis " + llvm::Twine(a) +
                             " is out of range for the list's elements, " +
                             typeText(element) +
                             (concat ? "" : ", stacked with a new axis") +
                             " (TensorFlow raises)");
    if (concat)
      result = typed(ListConcatOp::create(builder, at, unknown, list.ssa,
                                          builder.getI64IntegerAttr(a)));
    else
      result = typed(ListStackOp::create(builder, at, unknown, list.ssa,
                                         builder.getI64IntegerAttr(a)));
    // The list's length is the trip count of the loop that built it (one
    // append per iteration): known at import when its bounds are (`for c
    // in range(x.shape[1])` on a static axis), and so is the joined size.
    auto loop = list.ssa.getDefiningOp<ForOp>();
    if (loop) {
      // ... when each iteration appends once (not under a branch, not
      // twice).
      unsigned r = cast<OpResult>(list.ssa).getResultNumber();
      Value arg = loop.getRegionIterArgs()[r];
      auto append = cast<YieldOp>(loop.getBodyBlock()->getTerminator())
                        .getValues()[r]
                        .getDefiningOp<ListAppendOp>();
      if (!append || append.getList() != arg || !arg.hasOneUse() ||
          append->getBlock() != loop.getBodyBlock())
        loop = ForOp();
    }
    auto joined = succeeded(result)
                      ? dyn_cast<RankedTensorType>(result->getType())
                      : RankedTensorType();
    auto element = dyn_cast<RankedTensorType>(list.slot->element);
    if (loop && joined && element && list.loop &&
        !breaksLoop(list.loop->getArray("body"))) {
      std::optional<int64_t> lb = knownIndex(loop.getStart()),
                             ub = knownIndex(loop.getStop()),
                             step = knownIndex(loop.getStep());
      std::optional<int64_t> axis = normalizeAxis(a, joined.getRank());
      if (lb && ub && step && *step > 0 && axis &&
          joined.isDynamicDim(*axis)) {
        int64_t count = *ub > *lb ? (*ub - *lb + *step - 1) / *step : 0;
        int64_t each = concat ? element.getDimSize(*axis) : 1;
        if (!ShapedType::isDynamic(each)) {
          SmallVector<int64_t> shape(joined.getShape());
          shape[*axis] = count * each;
          result->setType(RankedTensorType::get(shape,
                                                joined.getElementType()));
        }
      }
    }
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Subscripts: sizes and slices
//===----------------------------------------------------------------------===//

FailureOr<Value> ProgramBuilder::sliceBound(const json::Value &bound) {
  const json::Object &node = *bound.getAsObject();
  // A float is Python's TypeError; an integer literal beyond 64 bits is
  // clamped to the largest index, which slices the same (bounds clamp to
  // the size, and sizes are below 2**63).
  if (kindOf(node) == "Constant" || kindOf(node) == "UnaryOp") {
    const json::Object *c = &node;
    bool negative = false;
    while (kindOf(*c) == "UnaryOp" && child(*c, "operand")) {
      negative ^= c->getString("op") == "USub";
      c = child(*c, "operand");
    }
    const json::Object *value = kindOf(*c) == "Constant" ? c->getObject("value")
                                                         : nullptr;
    if (value && value->getString("float")) {
      llvm::StringRef text = *value->getString("float");
      std::string shown = (negative ? "-" : "") + text.str();
      if (negative && text.starts_with("-"))
        shown = text.drop_front().str();
      return error(node, "slice bound " + shown +
                             " is not an integer (Python raises TypeError)");
    }
  }
  if (std::optional<llvm::APInt> value = integerLiteral(node);
      value && !fits64(*value))
    return constantIndex(value->isNegative() ? -kInt64Max : kInt64Max,
                         loc(node))
        .value;
  FailureOr<PyValue> v = expr(bound);
  if (failed(v))
    return failure();
  scalarToInteger(*v, loc(node));
  if (!v->isIndex())
    return notAnInteger(node, &*v);
  return v->value;
}

SmallVector<int64_t>
ProgramBuilder::slicePicks(int64_t n, const std::optional<int64_t> bounds[3]) {
  // Python's slice.indices(n), then range(start, stop, step); a step of 0
  // is the caller's error.
  int64_t step = bounds[2].value_or(1);
  auto clamp = [&](std::optional<int64_t> v, int64_t dflt) -> int64_t {
    if (!v)
      return dflt;
    int64_t i = *v;
    if (i < 0 && (i += n) < 0)
      return step > 0 ? 0 : -1;
    return step > 0 ? std::min(i, n) : std::min(i, n - 1);
  };
  int64_t start = clamp(bounds[0], step > 0 ? 0 : n - 1);
  int64_t stop = clamp(bounds[1], step > 0 ? n : -1);
  SmallVector<int64_t> picked;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
    picked.push_back(i);
  return picked;
}

std::optional<int64_t> ProgramBuilder::importInteger(const json::Object &node) {
  if (std::optional<llvm::APInt> v = integerLiteral(node))
    return fits64(*v) ? std::optional<int64_t>(v->getSExtValue())
                      : std::nullopt;
  if (kindOf(node) == "Name") {
    auto it = scope->env.find(node.getString("id").value_or(""));
    if (it != scope->env.end())
      return it->second.isIndex() ? knownIndexValue(it->second.value)
                                  : std::nullopt;
  }
  if (const json::Value *v = knownValue(node))
    if (const json::Object *o = v->getAsObject())
      if (std::optional<llvm::StringRef> text = o->getString("int")) {
        int64_t i;
        if (!text->getAsInteger(10, i))
          return i;
      }
  return std::nullopt;
}

bool ProgramBuilder::sliceBounds(const json::Object &node,
                                 std::optional<int64_t> bounds[3],
                                 bool report) {
  const json::Object *base = child(node, "value");
  const json::Object *slice = child(node, "slice");
  static const char *const kFields[] = {"lower", "upper", "step"};
  for (auto [k, field] : llvm::enumerate(kFields)) {
    const json::Object *b = slice->getObject(field);
    if (!b || (kindOf(*b) == "Constant" && b->get("value") &&
               b->get("value")->kind() == json::Value::Null))
      continue;
    bounds[k] = importInteger(*b);
    if (!bounds[k]) {
      if (report)
        (void)error(*b, "a slice of '" + source(*base) +
                            "' has bounds known at import (ints or None), "
                            "not '" +
                            source(*b) + "'");
      return false;
    }
  }
  if (bounds[2] == 0) {
    if (report)
      (void)error(node, "slice step cannot be zero (Python raises "
                        "ValueError)");
    return false;
  }
  return true;
}

const json::Value *ProgramBuilder::knownSubscript(const json::Object &node,
                                                  const json::Value &known,
                                                  bool report) {
  const json::Object *base = child(node, "value");
  const json::Object *slice = child(node, "slice");
  auto fail = [&](const json::Object &at, const llvm::Twine &why) {
    if (report)
      (void)error(at, why);
    return nullptr;
  };
  if (!base || !slice)
    return fail(node, "the program JSON has a Subscript without its parts");
  const json::Object *o = known.getAsObject();
  // self.cfg["units"], SIZES_BY_NAME["small"]: a dict's value (the reader
  // keys dicts by str(key)).
  if (const json::Object *dict = o ? o->getObject("dict") : nullptr) {
    std::string key;
    const json::Value *text =
        kindOf(*slice) == "Constant" ? slice->get("value") : knownValue(*slice);
    if (text && text->getAsString())
      key = text->getAsString()->str();
    else if (std::optional<int64_t> i = importInteger(*slice))
      key = std::to_string(*i);
    else
      return fail(*slice, "a value of '" + source(*base) +
                              "' is chosen by a key known at import here "
                              "(a string or an int), not '" +
                              source(*slice) + "'");
    if (const json::Value *v = dict->get(key))
      return v;
    return fail(node, "'" + source(*base) + "' has no key '" + key +
                          "' (Python raises KeyError)");
  }
  const json::Array *items =
      o ? (o->getArray("list") ? o->getArray("list") : o->getArray("tuple"))
        : nullptr;
  if (!items)
    return fail(node, "'" + source(*base) + "' is " + pythonRepr(known) +
                          ", which converted code does not index");
  int64_t n = items->size();
  if (kindOf(*slice) == "Slice") {
    // `self.sizes[1:]`: a list (tuple) of the items Python's slice picks.
    std::optional<int64_t> bounds[3];
    if (!sliceBounds(node, bounds, report))
      return nullptr;
    json::Array picked;
    for (int64_t i : slicePicks(n, bounds))
      picked.push_back((*items)[i]);
    knownDerived.push_back(json::Object{
        {o->getArray("list") ? "list" : "tuple", std::move(picked)}});
    return &knownDerived.back();
  }
  std::optional<int64_t> index = importInteger(*slice);
  if (!index)
    return fail(*slice, "an element of '" + source(*base) +
                            "' is chosen by an integer known at import "
                            "here, not '" +
                            source(*slice) + "'");
  int64_t i = *index < 0 ? *index + n : *index;
  if (i < 0 || i >= n)
    return fail(node, "index " + llvm::Twine(*index) +
                          " is out of range for '" + source(*base) +
                          "', which has " + llvm::Twine(n) +
                          " elements (Python raises IndexError)");
  return &(*items)[i];
}

FailureOr<PyValue> ProgramBuilder::subscript(const json::Object &node) {
  Value indexedTensor;
  FailureOr<PyValue> result = subscriptOf(node, indexedTensor);
  if (succeeded(result) && indexedTensor && isNdarray(indexedTensor) &&
      result->isTensor())
    markNdarray(result->value);
  return result;
}

FailureOr<PyValue> ProgramBuilder::subscriptOf(const json::Object &node,
                                               Value &indexedTensor) {
  const json::Object *base = child(node, "value");
  const json::Object *slice = child(node, "slice");
  if (!base || !slice)
    return error(node, "the program JSON has a Subscript without its parts");
  // x.shape[1:]: the sizes Python's slice picks, a tuple of ints (a
  // TensorShape in TensorFlow, which converts where a shape is taken).
  if (kindOf(*base) == "Attribute" && base->getString("attr") == "shape" &&
      kindOf(*slice) == "Slice") {
    std::optional<FailureOr<SmallVector<PyValue>>> sizes = shapeSizes(*base);
    if (!sizes || failed(*sizes))
      return failure();
    std::optional<int64_t> bounds[3];
    if (!sliceBounds(node, bounds, /*report=*/true))
      return failure();
    SmallVector<Value> elements;
    SmallVector<PyValue> items;
    for (int64_t i : slicePicks((*sizes)->size(), bounds)) {
      FailureOr<Value> t = indexAsTensor(node, (**sizes)[i]);
      if (failed(t))
        return failure();
      elements.push_back(*t);
      items.push_back((**sizes)[i]);
    }
    return knownList(node, elements, items);
  }
  // x.shape[0], tf.shape(x)[0]: predict.dim (tf.shape(x)[1:] is indexed
  // as the shape vector it is, below).
  if (const json::Value *shapeOf = shapeSubject(*base);
      shapeOf && kindOf(*slice) != "Slice") {
    FailureOr<Value> value = tensor(*shapeOf);
    if (failed(value))
      return failure();
    std::optional<llvm::APInt> axis = integerLiteral(*slice);
    auto ranked = dyn_cast<RankedTensorType>(value->getType());
    if (!axis || !ranked || !fits64(*axis) ||
        !normalizeAxis(axis->getSExtValue(), ranked.getRank()))
      return error(node, "a shape is indexed by a constant axis of the "
                         "tensor's rank");
    // tf.shape(x)[i] is an int32 tensor; x.shape[i] a Python int (None
    // in TensorFlow where the size is known only at run time).
    PyValue size = PyValue::index(
        DimOp::create(builder, loc(node), *value,
                      builder.getI64IntegerAttr(axis->getSExtValue())));
    size.int32 = kindOf(*base) == "Call";
    return size;
  }

  // An element of a tuple or list known at import (`self.sizes[0]`), or of
  // a list of tensors built outside loops (`outs[-1]`): chosen at import.
  auto element = [&](size_t count) -> FailureOr<size_t> {
    FailureOr<std::optional<int64_t>> literalIndex = knownInteger(*slice);
    if (failed(literalIndex))
      return failure();
    if (!*literalIndex)
      return error(*slice, "an element of '" + source(*base) +
                               "' is chosen by an integer known at import "
                               "here, not '" +
                               source(*slice) + "'");
    int64_t i =
        **literalIndex < 0 ? **literalIndex + int64_t(count) : **literalIndex;
    if (i < 0 || i >= int64_t(count))
      return error(node, "index " + llvm::Twine(**literalIndex) +
                             " is out of range for '" + source(*base) +
                             "', which has " + llvm::Twine(count) +
                             " elements (Python raises IndexError)");
    return size_t(i);
  };
  // (An array, {"call"}, is indexed as the tensor it is.)
  if (const json::Value *known = knownValue(*base);
      known && !isKnownArray(*known)) {
    const json::Value *picked = knownSubscript(node, *known, /*report=*/true);
    if (!picked)
      return failure();
    return knownPyValue(*picked, node);
  }
  FailureOr<PyValue> indexed = expr(*base);
  if (failed(indexed))
    return failure();
  if (indexed->isList()) {
    if (indexed->list->ssa)
      return error(node, "an element of '" + source(*base) +
                             "', a list built by a loop, is not converted: "
                             "join the list (tf.stack) and index the tensor");
    if (kindOf(*slice) == "Slice") {
      // `parts[1:]`, `outs[::-1]`: a list of the elements Python's slice
      // picks, with bounds known at import.
      std::optional<int64_t> bounds[3];
      if (!sliceBounds(node, bounds, /*report=*/true))
        return failure();
      SmallVector<Value> picked;
      SmallVector<PyValue> items;
      for (int64_t i : slicePicks(indexed->list->elements.size(), bounds)) {
        picked.push_back(indexed->list->elements[i]);
        items.push_back(listItem(*indexed->list, i));
      }
      return knownList(node, picked, items);
    }
    FailureOr<size_t> i = element(indexed->list->elements.size());
    if (failed(i))
      return failure();
    return listItem(*indexed->list, *i);
  }
  FailureOr<Value> value = tensorOf(*indexed, *base);
  if (failed(value))
    return failure();
  indexedTensor = *value;
  // s[1:], tf.shape(x)[:-1] of a shape vector: the indexing below makes
  // another shape vector of the sizes (not a predict.slice of it).
  if (kindOf(*slice) == "Slice" && shapeVectorSizes(*value))
    return indexing(node, *value, {slice});
  SmallVector<const json::Object *> parts;
  if (kindOf(*slice) == "Tuple" && slice->getArray("elts")) {
    for (const json::Value &e : *slice->getArray("elts"))
      parts.push_back(e.getAsObject());
  } else {
    parts.push_back(slice);
  }
  auto isNull = [](const json::Object &s, llvm::StringRef field) {
    const json::Value *v = s.get(field);
    return !v || v->kind() == json::Value::Null;
  };
  // `None` is an omitted bound, as in Python.
  auto omitted = [&](const json::Object &s, llvm::StringRef field) {
    if (isNull(s, field))
      return true;
    const json::Object *b = child(s, field);
    const json::Value *v = b ? b->get("value") : nullptr;
    return b && kindOf(*b) == "Constant" && v &&
           v->kind() == json::Value::Null;
  };
  SmallVector<unsigned> cut;
  for (auto [i, p] : llvm::enumerate(parts))
    if (!p || kindOf(*p) != "Slice" || !isNull(*p, "lower") ||
        !isNull(*p, "upper") || !isNull(*p, "step"))
      cut.push_back(i);
  // Integers, steps, `...`, several sliced axes: Python's indexing
  // (PythonIndexing.cpp). One sliced axis of step 1 stays predict.slice,
  // whose rule proves a row loop's `x[i:i+1]` one row.
  bool plain = cut.size() == 1 && parts[cut[0]] &&
               kindOf(*parts[cut[0]]) == "Slice" &&
               omitted(*parts[cut[0]], "step");
  for (const json::Object *p : parts)
    plain &= p && kindOf(*p) == "Slice";
  if (!plain)
    return indexing(node, *value, parts);
  auto ranked = dyn_cast<RankedTensorType>(value->getType());
  if (!ranked || static_cast<int64_t>(parts.size()) > ranked.getRank() ||
      cut.size() != 1 || !parts[cut[0]] || kindOf(*parts[cut[0]]) != "Slice" ||
      !isNull(*parts[cut[0]], "step"))
    return error(node, "slicing supports one x[start:stop] (other axes `:`) "
                       "on a ranked tensor, such as x[i:i+1] or x[:, 0:4]");
  int64_t axis = cut[0];
  const json::Object &s = *parts[axis];
  Location at = loc(node);
  FailureOr<Value> start = omitted(s, "lower")
                               ? FailureOr<Value>(constantIndex(0, at).value)
                               : sliceBound(*s.get("lower"));
  if (failed(start))
    return failure();
  FailureOr<Value> stop = failure();
  if (omitted(s, "upper"))
    stop = DimOp::create(builder, at, *value, builder.getI64IntegerAttr(axis))
               .getResult();
  else
    stop = sliceBound(*s.get("upper"));
  if (failed(stop))
    return failure();
  FailureOr<Value> result =
      typed(SliceOp::create(builder, at, UnrankedTensorType::get(
                                             builder.getF32Type()),
                            *value, *start, *stop,
                            builder.getI64IntegerAttr(axis)));
  if (failed(result))
    return failure();
  return PyValue::tensor(*result);
}

void python::collectReboundNames(const json::Value &stmts,
                                 SmallVectorImpl<std::string> &names) {
  reboundNames(stmts, names);
}

std::optional<int64_t> python::knownIndexValue(Value v) { return knownIndex(v); }

int64_t python::shapeEntry(Value size, SmallVectorImpl<Value> &dynamic) {
  if (std::optional<int64_t> known = knownIndex(size))
    return *known;
  dynamic.push_back(size);
  return ShapedType::kDynamic;
}

FailureOr<Value> ProgramBuilder::rowOf(Value rows, Value i, Type elementType,
                                       Location at, bool checked) {
  Value stop = arith::AddIOp::create(builder, at, i,
                                     constantIndex(1, at).value);
  FailureOr<Value> row = typed(
      SliceOp::create(builder, at, UnrankedTensorType::get(elementType), rows,
                      i, stop, builder.getI64IntegerAttr(0)));
  if (failed(row))
    return failure();
  auto rowType = cast<RankedTensorType>(row->getType());
  if (checked && rowType.isDynamicDim(0)) {
    // One row, as the caller checked `i` is in range.
    SmallVector<int64_t> shape(rowType.getShape());
    shape[0] = 1;
    rowType = RankedTensorType::get(shape, rowType.getElementType());
    row = tensor::CastOp::create(builder, at, rowType, *row).getResult();
  }
  SmallVector<ReassociationIndices> groups;
  if (rowType.getRank() > 1) {
    groups.push_back({0, 1});
    for (int64_t d = 2; d < rowType.getRank(); ++d)
      groups.push_back({d});
  }
  Value collapsed =
      tensor::CollapseShapeOp::create(builder, at, *row, groups).getResult();
  // A row of a numpy array is one (`for v in IDS`).
  return isNdarray(rows) ? markNdarray(collapsed) : collapsed;
}

FailureOr<std::optional<int64_t>>
ProgramBuilder::knownInteger(const json::Object &node) {
  if (kindOf(node) == "Slice")
    return std::optional<int64_t>();
  FailureOr<const json::Object *> n = numberOf(node);
  if (failed(n))
    return failure();
  if (*n) {
    if (!(*n)->getString("int"))
      return std::optional<int64_t>();
    FailureOr<int64_t> i = integerValue(node, **n);
    if (failed(i))
      return failure();
    return std::optional<int64_t>(*i);
  }
  // A name or an expression of integers known at import (`k` of `for k in
  // [0, 1]`, `len(parts) - 1`).
  FailureOr<PyValue> v = expr(node);
  if (failed(v))
    return failure();
  if (!v->isIndex())
    return std::optional<int64_t>();
  return knownIndexValue(v->value);
}

FailureOr<bool>
ProgramBuilder::integerScalars(const ListValue &list,
                               SmallVectorImpl<Value> &elements, Type wanted) {
  // Each element's Python value (listItem) or expression, for its kind
  // and its place in messages.
  bool itemsKnown = list.items.size() == elements.size();
  bool sourcesKnown = list.sources.size() == elements.size();
  if ((!itemsKnown && !sourcesKnown) || !list.node)
    return false;
  // What each element is: an integer (a Python int, known at import or at
  // run time), an int literal, an integer tensor of rank 0; anything else
  // (a float) leaves the list as it is.
  Type target;
  SmallVector<int> kinds;      // 0 integer, 1 int literal, 2 tensor
  SmallVector<Value> integers; // (kind 0) the index
  // The first float, and the first integer that is a tensor in TensorFlow
  // (an int tensor, or an integer known only at run time: tf.shape(x)[0]).
  std::optional<size_t> firstFloat, firstIntTensor;
  for (auto [k, e] : llvm::enumerate(elements)) {
    const json::Object *side = sourcesKnown ? list.sources[k] : list.node;
    auto type = dyn_cast<RankedTensorType>(e.getType());
    if (!side || !type || type.getRank() != 0)
      return false;
    if (itemsKnown && list.items[k].isIndex()) {
      kinds.push_back(0);
      integers.push_back(list.items[k].value);
      if (!knownIndexValue(list.items[k].value) && !firstIntTensor)
        firstIntTensor = k;
      continue;
    }
    if (runTimeInteger(e)) {
      kinds.push_back(0);
      integers.push_back(runTimeIndex(e));
      if (!firstIntTensor)
        firstIntTensor = k;
      continue;
    }
    FailureOr<const json::Object *> literal =
        sourcesKnown ? numberOf(*side)
                     : FailureOr<const json::Object *>(nullptr);
    if (failed(literal))
      return failure();
    if (*literal && (*literal)->getString("int")) {
      kinds.push_back(1);
      integers.push_back(Value());
      continue;
    }
    Type element = type.getElementType();
    if (!element.isInteger(32) && !element.isInteger(64)) {
      if (isa<FloatType>(element) && !firstFloat)
        firstFloat = k;
      kinds.push_back(3);
      integers.push_back(Value());
      continue;
    }
    if (target && target != element)
      return false;
    target = element;
    kinds.push_back(2);
    integers.push_back(Value());
    if (!firstIntTensor)
      firstIntTensor = k;
  }
  if (llvm::is_contained(kinds, 3)) {
    // A float beside an integer tensor: TensorFlow packs the elements as
    // the first tensor's dtype (op_def_library's list conversion), and
    // converting a float to an integer type, or an int32 tensor to
    // float32, is its TypeError. Beside Python ints only, the list is
    // float32 as TensorFlow converts it.
    if (!firstFloat || !firstIntTensor)
      return false;
    auto what = [&](size_t k) {
      return "'" +
             (sourcesKnown ? source(*list.sources[k])
                           : "element " + std::to_string(k)) +
             "'";
    };
    return error(sourcesKnown ? *list.sources[*firstFloat] : *list.node,
                 "tf.stack of the integer " + what(*firstIntTensor) + " (an " +
                     (kinds[*firstIntTensor] == 2
                          ? dtypeName(getElementTypeOrSelf(
                                elements[*firstIntTensor].getType()))
                          : std::string("int32")) +
                     " tensor in TensorFlow) and the float " +
                     what(*firstFloat) +
                     ": TensorFlow raises TypeError, as it packs the "
                     "elements as one dtype; tf.cast one of them, or write "
                     "the float as an integer");
  }
  if (!target)
    target = wanted && (wanted.isInteger(32) || wanted.isInteger(64))
                 ? wanted
                 : builder.getI32Type();
  for (auto [k, e] : llvm::enumerate(elements)) {
    const json::Object &side = sourcesKnown ? *list.sources[k] : *list.node;
    if (kinds[k] == 2)
      continue;
    if (kinds[k] == 0) {
      FailureOr<Value> narrow = integerScalar(
          side, PyValue::index(integers[k]), target,
          "TensorFlow packs the integers as " + dtypeName(target));
      if (failed(narrow))
        return failure();
      e = *narrow;
      continue;
    }
    FailureOr<const json::Object *> literal = numberOf(side);
    FailureOr<int64_t> i = integerValue(side, **literal);
    if (failed(i))
      return failure();
    if (target.isInteger(32) && !llvm::isInt<32>(*i))
      return error(side, "'" + source(side) +
                             "' does not fit in int32, the "
                             "type TensorFlow packs the "
                             "integers as");
    e = ConstantOp::create(
        builder, loc(side),
        DenseElementsAttr::get(RankedTensorType::get({}, target),
                               builder.getIntegerAttr(target, *i)));
  }
  return true;
}
