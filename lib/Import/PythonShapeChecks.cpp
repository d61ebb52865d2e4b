//===- PythonShapeChecks.cpp - tf.debugging.assert_shapes and kin
//----------===//
//
// The checks of tf.debugging that read shapes and dtypes rather than
// values: `assert_shapes` (sizes named across tensors, checked at import
// where both are known, else by one `predict.assert` each), and
// `assert_type`, `assert_scalar`, `assert_rank_in`, `assert_integer`,
// which predict's types decide at import. The rules are TensorFlow's
// (tensorflow/python/ops/check_ops.py; docs/PythonSource.md, Output and
// checks).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"
#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {

/// One entry of a shape given to assert_shapes.
struct ShapeSymbol {
  enum class Kind {
    /// None or '.': any size.
    Any,
    /// `...` or '*' (first only): any number of outer dimensions.
    Outer,
    /// An int, or a string int() parses ("3"): that size (`name` holds
    /// the string of one beyond 62 bits, which no tensor has).
    Size,
    /// Any other string: one size wherever the name is used (`name`).
    Name,
  };
  Kind kind = Kind::Any;
  int64_t size = 0;
  std::string name;
};

/// A size of a tensor: known at import, or an `index` value.
struct ActualSize {
  std::optional<int64_t> known;
  Value value;
};

/// Where a name's size was first read.
struct NamedSize {
  ActualSize size;
  std::string tensor;
  int64_t dim;
};

/// The symbol a string is (check_ops.py's `_is_symbol_for_any_size`,
/// `_has_known_value`: Python's int() of the string, which allows
/// surrounding spaces, a sign and digit-separating underscores).
ShapeSymbol symbolOfString(llvm::StringRef text) {
  ShapeSymbol s;
  if (text == ".")
    return s;
  if (text == "*") {
    s.kind = ShapeSymbol::Kind::Outer;
    return s;
  }
  llvm::StringRef t = text.trim();
  bool negative = t.consume_front("-");
  if (!negative)
    t.consume_front("+");
  std::string digits;
  bool ok = !t.empty() && !t.starts_with("_") && !t.ends_with("_") &&
            !t.contains("__");
  for (char ch : t) {
    if (ch == '_')
      continue;
    ok &= ch >= '0' && ch <= '9';
    digits += ch;
  }
  llvm::APInt value;
  if (ok && !llvm::StringRef(digits).getAsInteger(10, value)) {
    s.kind = ShapeSymbol::Kind::Size;
    if (value.getActiveBits() > 62) {
      // A size no tensor has: -1, which none has either, shown as written.
      s.size = -1;
      s.name = text.trim().str();
      return s;
    }
    s.size = negative ? -(int64_t)value.getZExtValue()
                      : (int64_t)value.getZExtValue();
    return s;
  }
  s.kind = ShapeSymbol::Kind::Name;
  s.name = text.str();
  return s;
}

} // namespace

/// The symbol a value known at import is (the reader's encoding), or
/// std::nullopt when it is none assert_shapes reads here.
static std::optional<ShapeSymbol> symbolOfValue(const json::Value &v) {
  ShapeSymbol s;
  if (v.kind() == json::Value::Null)
    return s;
  if (std::optional<llvm::StringRef> text = v.getAsString())
    return symbolOfString(*text);
  if (std::optional<bool> flag = v.getAsBoolean()) {
    s.kind = ShapeSymbol::Kind::Size;
    s.size = *flag;
    return s;
  }
  const json::Object *o = v.getAsObject();
  if (!o)
    return std::nullopt;
  if (o->getBoolean("ellipsis")) {
    s.kind = ShapeSymbol::Kind::Outer;
    return s;
  }
  if (std::optional<llvm::StringRef> i = o->getString("int")) {
    if (i->getAsInteger(10, s.size))
      return std::nullopt;
    s.kind = ShapeSymbol::Kind::Size;
    return s;
  }
  return std::nullopt;
}

/// The symbols of the shape `node` gives (a tuple or list of sizes and
/// names, a string of one-letter names, tf.TensorShape of a list, or a
/// name bound to one at import); std::nullopt for None (no constraint).
static FailureOr<std::optional<SmallVector<ShapeSymbol>>>
shapeSymbols(ProgramBuilder &b, const BoundCall &call,
             const json::Object &node) {
  using Result = std::optional<SmallVector<ShapeSymbol>>;
  auto fail = [&](const json::Object &at) {
    return b.error(at, call.name() + ": the shape '" + b.source(at) +
                           "' must be a tuple or list of sizes (ints), "
                           "names (strings), None, '.' and a first `...` or "
                           "'*', known at import");
  };
  auto ofString = [](llvm::StringRef text) {
    // A string is an iterable of its characters (TensorFlow's
    // tuple(symbolic_shape)).
    SmallVector<ShapeSymbol> symbols;
    for (char ch : text)
      symbols.push_back(symbolOfString(llvm::StringRef(&ch, 1)));
    return symbols;
  };
  const json::Object *list = unwrapTensorShape(node);
  if (kindOf(list) == "Constant") {
    const json::Value *v = list->get("value");
    if (v && v->kind() == json::Value::Null)
      return Result();
    if (v && v->getAsString())
      return Result(ofString(*v->getAsString()));
    return fail(*list);
  }
  if (kindOf(list) != "List" && kindOf(list) != "Tuple") {
    const json::Value *known = b.knownValue(*list);
    if (!known)
      return fail(*list);
    if (known->kind() == json::Value::Null)
      return Result();
    if (std::optional<llvm::StringRef> text = known->getAsString())
      return Result(ofString(*text));
    const json::Object *o = known->getAsObject();
    const json::Array *items =
        o ? (o->getArray("tuple") ? o->getArray("tuple") : o->getArray("list"))
          : nullptr;
    if (!items)
      return fail(*list);
    SmallVector<ShapeSymbol> symbols;
    for (const json::Value &item : *items) {
      std::optional<ShapeSymbol> s = symbolOfValue(item);
      if (!s)
        return fail(*list);
      symbols.push_back(*s);
    }
    return Result(std::move(symbols));
  }
  SmallVector<ShapeSymbol> symbols;
  for (const json::Value &e : arrayOr(list->getArray("elts"))) {
    const json::Object *item = e.getAsObject();
    if (!item)
      return fail(*list);
    const json::Value *v =
        kindOf(*item) == "Constant" ? item->get("value") : b.knownValue(*item);
    if (v) {
      std::optional<ShapeSymbol> s = symbolOfValue(*v);
      if (!s)
        return fail(*item);
      symbols.push_back(*s);
      continue;
    }
    // A size computed at import (`x.shape[1]`, `2 * UNITS`).
    FailureOr<PyValue> n = b.expr(*item);
    std::optional<int64_t> size =
        succeeded(n) && n->isIndex() ? knownIndexValue(n->value) : std::nullopt;
    if (!size)
      return fail(*item);
    ShapeSymbol s;
    s.kind = ShapeSymbol::Kind::Size;
    s.size = *size;
    symbols.push_back(s);
  }
  return Result(std::move(symbols));
}

LogicalResult python::assertShapes(ProgramBuilder &b, const BoundCall &call,
                                   llvm::StringRef message) {
  // The (tensor, shape) pairs: a list or tuple of pairs, or a dict.
  const json::Object &shapes = call.at("shapes");
  SmallVector<std::pair<const json::Value *, const json::Object *>> pairs;
  if (kindOf(shapes) == "Dict") {
    // TensorFlow 1's graphs only: a tf.function's tensors are unhashable.
    return call.error("shapes", "is a dict: TensorFlow 2 raises TypeError "
                                "(a tensor is unhashable); write a list of "
                                "(tensor, shape) pairs");
  }
  if (kindOf(shapes) == "List" || kindOf(shapes) == "Tuple") {
    for (const json::Value &e : arrayOr(shapes.getArray("elts"))) {
      const json::Object *pair = e.getAsObject();
      const json::Array *parts =
          kindOf(pair) == "Tuple" || kindOf(pair) == "List"
              ? pair->getArray("elts")
              : nullptr;
      if (!parts || parts->size() != 2 || !(*parts)[0].getAsObject() ||
          !(*parts)[1].getAsObject())
        return b.error(pair ? *pair : shapes,
                       call.name() + ": each item of shapes must be a pair "
                                     "(tensor, shape) written in place");
      pairs.push_back({&(*parts)[0], (*parts)[1].getAsObject()});
    }
  } else {
    return call.error("shapes", "must be a list of (tensor, shape) pairs or "
                                "a dict {tensor: shape} written in place");
  }

  Location at = b.loc(call.call);
  std::string prefix = (call.name() + " failed: ").str();
  auto atImport = [&](const llvm::Twine &text) {
    return b.error(call.call, prefix + text + message +
                                  " (known at import: TensorFlow raises on "
                                  "every call)");
  };
  // The ranks first, for every tensor, then the sizes, as TensorFlow
  // checks them.
  struct Checked {
    const json::Object *node;
    Value x;
    RankedTensorType type;
    bool outer;
    SmallVector<ShapeSymbol> symbols;
  };
  SmallVector<Checked> checked;
  for (auto [xValue, shapeNode] : pairs) {
    FailureOr<std::optional<SmallVector<ShapeSymbol>>> symbols =
        shapeSymbols(b, call, *shapeNode);
    if (failed(symbols))
      return failure();
    FailureOr<Value> x = b.tensor(*xValue);
    const json::Object *xNode = xValue->getAsObject();
    if (failed(x))
      return failure();
    if (!*symbols)
      continue; // a shape of None: no constraint
    auto type = dyn_cast<RankedTensorType>(x->getType());
    if (!type)
      return b.error(*xNode, call.name() + ": '" + b.source(*xNode) +
                                 "' has a rank not known at import (" +
                                 typeText(x->getType()) + ")");
    Checked c{xNode, *x, type, false, std::move(**symbols)};
    for (auto [i, s] : llvm::enumerate(c.symbols))
      if (s.kind == ShapeSymbol::Kind::Outer && i != 0)
        return b.error(*shapeNode,
                       call.name() + ": in '" + b.source(*shapeNode) +
                           "', `...` or '*' (any number of outer "
                           "dimensions) may only be the first entry, not "
                           "entry " +
                           llvm::Twine(i) + " (TensorFlow raises ValueError)");
    if (!c.symbols.empty() &&
        c.symbols.front().kind == ShapeSymbol::Kind::Outer) {
      c.outer = true;
      c.symbols.erase(c.symbols.begin());
    }
    // A shape of no entries is one of size 1, as a scalar is (TensorFlow's
    // _symbolic_dimension_sizes and _dimension_sizes).
    if (c.symbols.empty()) {
      ShapeSymbol one;
      one.kind = ShapeSymbol::Kind::Size;
      one.size = 1;
      c.symbols.push_back(one);
    }
    int64_t rank = type.getRank(), want = c.symbols.size();
    std::string shown = "'" + b.source(*xNode) + "' has rank " +
                        std::to_string(rank) + " (" + typeText(type) +
                        "), not ";
    if (c.outer) {
      if (want > 1 && rank < want)
        return atImport(shown + "at least " + llvm::Twine(want) + " as '" +
                        b.source(*shapeNode) + "' says");
    } else if (want <= 1) {
      if (rank > 1)
        return atImport(shown + "0 or 1 as '" + b.source(*shapeNode) +
                        "' says");
    } else if (rank != want) {
      return atImport(shown + llvm::Twine(want) + " as '" +
                      b.source(*shapeNode) + "' says");
    }
    checked.push_back(std::move(c));
  }

  llvm::StringMap<NamedSize> named;
  for (Checked &c : checked) {
    std::string tensorText = "'" + b.source(*c.node) + "'";
    int64_t rank = c.type.getRank(), count = c.symbols.size();
    for (auto [i, s] : llvm::enumerate(c.symbols)) {
      if (s.kind == ShapeSymbol::Kind::Any)
        continue;
      // The dimension: counted from the end after `...`; a scalar's one
      // dimension is of size 1.
      int64_t dim = c.outer ? (int64_t)i - count + std::max<int64_t>(rank, 1)
                            : (int64_t)i;
      ActualSize actual;
      if (rank == 0)
        actual.known = 1;
      else if (!c.type.isDynamicDim(dim))
        actual.known = c.type.getDimSize(dim);
      else
        actual.value = DimOp::create(b.builder, at, c.x, dim);
      auto found = named.end();
      if (s.kind == ShapeSymbol::Kind::Name) {
        found = named.find(s.name);
        if (found == named.end()) {
          named[s.name] = NamedSize{actual, tensorText, dim};
          continue;
        }
      }
      // The size it must have, and why.
      ActualSize wanted;
      std::string why;
      if (s.kind == ShapeSymbol::Kind::Size) {
        wanted.known = s.size;
        why = "given";
      } else {
        wanted = found->second.size;
        why = "'" + s.name + "', set by " + found->second.tensor +
              " dimension " + std::to_string(found->second.dim);
      }
      std::string where = tensorText + " dimension " + std::to_string(dim);
      if (s.kind == ShapeSymbol::Kind::Size && !s.name.empty())
        return atImport(where + " must have size " + s.name +
                        ", which no tensor has (beyond 64 bits)");
      if (actual.known && wanted.known) {
        if (*actual.known != *wanted.known)
          return atImport(where + " has size " + llvm::Twine(*actual.known) +
                          ", not " + llvm::Twine(*wanted.known) + " (" + why +
                          "; shape " + typeText(c.type) + ")");
        continue;
      }
      Value have = actual.known ? b.constantIndex(*actual.known, at).value
                                : actual.value;
      Value need = wanted.known ? b.constantIndex(*wanted.known, at).value
                                : wanted.value;
      Value ok = arith::CmpIOp::create(b.builder, at, arith::CmpIPredicate::eq,
                                       have, need);
      AssertOp::create(b.builder, at, ok,
                       b.builder.getStringAttr(
                           braces(prefix + where) + " has size {0}, not {1} (" +
                           braces(why + "; shape " + typeText(c.type)) + ")" +
                           braces(message.str())),
                       ValueRange{have, need});
    }
  }
  return success();
}

LogicalResult python::typeCheck(ProgramBuilder &b, const BoundCall &call,
                                llvm::StringRef message) {
  llvm::StringRef name = call.name();
  name = name.substr(name.rfind('.') + 1);
  llvm::StringRef param = call.signature.params.front().name;
  // A Python int is TensorFlow's int32 (convert_to_tensor), a float its
  // float32.
  const json::Object &xNode = call.at(param);
  FailureOr<PyValue> v = b.expr(xNode);
  if (failed(v))
    return failure();
  Type xType = RankedTensorType::get({}, b.builder.getI32Type());
  bool ndarray = false;
  if (!v->isIndex()) {
    FailureOr<Value> x = b.tensorOf(*v, xNode);
    if (failed(x))
      return failure();
    xType = x->getType();
    ndarray = b.isNdarray(*x);
  }
  std::string shown = "'" + b.source(xNode) + "'";
  auto fails = [&](const llvm::Twine &text) {
    return b.error(call.call, call.name() + " failed: " + shown + " " + text +
                                  message +
                                  " (known at import: TensorFlow raises on "
                                  "every call)");
  };
  Type element = cast<TensorType>(xType).getElementType();
  if (name == "assert_type" || name == "assert_integer") {
    // A numpy array of floats may be numpy's float64, which predict
    // computes as float32: its dtype is not the one TensorFlow would see.
    if (ndarray && element.isF32())
      return call.error(param, "is a numpy array of floats, whose dtype "
                               "(float32 or float64) predict does not "
                               "keep; give it a dtype with tf.constant(..., "
                               "dtype)");
    if (name == "assert_integer")
      return element.isInteger(32) || element.isInteger(64)
                 ? success()
                 : fails("has dtype " + dtypeName(element) +
                         ", not an integer dtype");
    FailureOr<Type> want = call.dtype("tf_type");
    if (failed(want))
      return failure();
    if (!*want)
      return call.error("tf_type", "must be a dtype");
    return element == *want ? success()
                            : fails("has dtype " + dtypeName(element) +
                                    ", not " + dtypeName(*want));
  }
  auto type = dyn_cast<RankedTensorType>(xType);
  if (!type)
    return call.error(param, "has a rank not known at import (" +
                                 typeText(xType) + ")");
  std::string has = "has rank " + std::to_string(type.getRank()) + " (" +
                    typeText(type) + "), not ";
  if (name == "assert_scalar")
    return type.getRank() == 0 ? success() : fails(has + "0");
  // assert_rank_in: one of the ranks given.
  bool single = false;
  FailureOr<std::optional<SmallVector<int64_t>>> ranks =
      call.integers("ranks", &single);
  if (failed(ranks))
    return failure();
  if (!*ranks || single)
    return call.error("ranks", "must be a list or tuple of ints known at "
                               "import (TensorFlow iterates it: one int is "
                               "its TypeError)");
  if (llvm::is_contained(**ranks, type.getRank()))
    return success();
  std::string list;
  for (auto [i, r] : llvm::enumerate(**ranks))
    list += (i ? ", " : "") + std::to_string(r);
  return fails(has + "one of (" + list + ")");
}
