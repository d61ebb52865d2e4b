//===- PythonPrint.cpp - tf.print and print as predict.print
//---------------===//
//
// `tf.print(*inputs, output_stream=sys.stderr, summarize=3, sep=" ",
// end="\n", name=None)` and Python's `print(*objects, sep=" ", end="\n",
// file=None, flush=False)` as statements of converted code: one
// predict.print that writes, each time the program runs it, the text
// TensorFlow's print_v2 makes (tensorflow/python/ops/logging_ops.py): a
// string input as it is, any other Python value known at import as
// pprint.pformat writes it (lists and tuples of tensors too, each tensor
// in place of its text), a tensor as TensorFlow's kernel writes it
// (lib/Runtime/Print.c). Python's print writes str() of its objects
// (docs/PythonSource.md, Output and checks).
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

std::string python::pythonFloatRepr(double d) {
  if (std::isnan(d))
    return "nan";
  if (std::isinf(d))
    return d < 0 ? "-inf" : "inf";
  // The fewest significant digits that read back to d (Python's repr,
  // float_repr_style 'short').
  char text[64];
  int digits = 1;
  for (; digits < 17; ++digits) {
    snprintf(text, sizeof text, "%.*e", digits - 1, d);
    if (std::strtod(text, nullptr) == d)
      break;
  }
  snprintf(text, sizeof text, "%.*e", digits - 1, d);
  llvm::StringRef all(text);
  bool negative = all.consume_front("-");
  auto [mantissa, exponentText] = all.split('e');
  int exponent = 0;
  exponentText.getAsInteger(10, exponent);
  std::string figures = mantissa.substr(0, 1).str();
  if (mantissa.size() > 2)
    figures += mantissa.substr(2).str();
  while (figures.size() > 1 && figures.back() == '0')
    figures.pop_back();
  std::string out = negative ? "-" : "";
  // repr switches to an exponent below 1e-4 and from 1e16 on.
  if (exponent < -4 || exponent >= 16) {
    out += figures.substr(0, 1);
    if (figures.size() > 1)
      out += "." + figures.substr(1);
    out +=
        llvm::formatv("e{0}{1:2}", exponent < 0 ? "-" : "+", std::abs(exponent))
            .str();
    // formatv pads with spaces: Python writes at least two digits.
    for (char &c : out)
      if (c == ' ')
        c = '0';
    return out;
  }
  if (exponent < 0)
    return out + "0." + std::string(-exponent - 1, '0') + figures;
  if (int64_t(figures.size()) <= exponent + 1)
    return out + figures + std::string(exponent + 1 - figures.size(), '0') +
           ".0";
  return out + figures.substr(0, exponent + 1) + "." +
         figures.substr(exponent + 1);
}

namespace {
/// A printed argument's text while it is built: `\x01` marks where a
/// tensor's text goes (pformat sees the placeholder string "{}" there, four
/// characters with its quotes; TensorFlow then drops the quotes).
struct Piece {
  explicit Piece(std::string text = "") : text(std::move(text)) {}

  std::string text;
  /// A list or tuple (`sequence`) and its items, for pformat's line
  /// breaking.
  bool sequence = false;
  std::vector<Piece> items;
  bool tuple = false;
  /// A string input, written as it is (no holes in it).
  bool raw = false;

  /// The one-line text (repr), holes as `\x01`.
  std::string line() const {
    if (!sequence)
      return text;
    std::string out = tuple ? "(" : "[";
    for (auto [i, item] : llvm::enumerate(items))
      out += (i ? ", " : "") + item.line();
    if (tuple && items.size() == 1)
      out += ",";
    return out + (tuple ? ")" : "]");
  }
  /// The width pformat measures, in characters (not UTF-8 bytes): a hole
  /// is `'{}'`.
  size_t width() const {
    std::string text = line();
    size_t characters = llvm::count_if(text, [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    return characters + 3 * llvm::count(text, '\x01');
  }
  /// pprint.pformat's text (Python's pprint: width 80, one item per line
  /// when a list or tuple does not fit in what is left of the line).
  std::string pformat(size_t indent, size_t allowance) const {
    if (!sequence || items.empty() || indent + allowance + width() <= 80)
      return line();
    std::string close = !tuple ? "]" : items.size() == 1 ? ",)" : ")";
    size_t itemsAllowance = allowance + close.size();
    std::string out = tuple ? "(" : "[";
    for (auto [i, item] : llvm::enumerate(items)) {
      bool last = i + 1 == items.size();
      if (i)
        out += ",\n" + std::string(indent + 1, ' ');
      out += item.pformat(indent + 1, last ? itemsAllowance : 1);
    }
    return out + close;
  }
};

/// `text` with braces doubled, holes made `{}` (unless `raw`):
/// predict.print's template.
std::string templateText(llvm::StringRef text, bool raw = true) {
  std::string out;
  for (char c : text) {
    if (c == '\x01' && !raw)
      out += "{}";
    else if (c == '{' || c == '}')
      out += std::string(2, c);
    else
      out += c;
  }
  return out;
}
/// A Python value known at import (the reader's encoding) as pformat
/// sees it: lists and tuples as items, the rest as repr writes it;
/// std::nullopt for what repr is not written for here (a dict).
std::optional<Piece> knownPiece(const json::Value &value) {
  const json::Object *o = value.getAsObject();
  const json::Array *items =
      o ? (o->getArray("list") ? o->getArray("list") : o->getArray("tuple"))
        : nullptr;
  if (!items) {
    std::string text = pythonRepr(value);
    if (text == "a value")
      return std::nullopt;
    return Piece(text);
  }
  Piece p;
  p.sequence = true;
  p.tuple = o->getArray("tuple");
  for (const json::Value &item : *items) {
    std::optional<Piece> inner = knownPiece(item);
    if (!inner)
      return std::nullopt;
    p.items.push_back(std::move(*inner));
  }
  return p;
}
} // namespace

/// The Python value `node` is at import: a literal's, or a known one's.
static const json::Value *knownOrLiteral(ProgramBuilder &b,
                                         const json::Object &node) {
  if (kindOf(node) == "Constant")
    return node.get("value");
  return b.knownValue(node);
}

/// The output stream `node` names: sys.stdout, sys.stderr, or (tf.print)
/// a "file://" path; an error otherwise.
static FailureOr<std::string> streamOf(ProgramBuilder &b,
                                       const json::Object &node, bool tfPrint,
                                       llvm::StringRef keyword) {
  llvm::StringRef qualified = node.getString("qualified").value_or("");
  if (qualified == "sys.stdout")
    return std::string("stdout");
  if (qualified == "sys.stderr")
    return std::string("stderr");
  if (!tfPrint && kindOf(node) == "Constant" && node.get("value") &&
      node.get("value")->kind() == json::Value::Null)
    return std::string("stdout");
  const json::Value *known = knownOrLiteral(b, node);
  if (tfPrint && known && known->getAsString() &&
      known->getAsString()->starts_with("file://") &&
      known->getAsString()->size() > 7)
    return known->getAsString()->str();
  return b.error(node, "'" + b.source(node) + "' as " + keyword + ": " +
                           (tfPrint ? "predict writes tf.print to sys.stdout, "
                                      "sys.stderr or a file named "
                                      "\"file://<path>\" (TensorFlow's "
                                      "logging streams are not converted)"
                                    : "predict writes print to sys.stdout or "
                                      "sys.stderr (a file object is not "
                                      "converted: write tf.print(..., "
                                      "output_stream=\"file://<path>\"))"));
}

LogicalResult ProgramBuilder::printCall(const json::Object &written,
                                        bool tfPrint) {
  // print(*xs, **kw): the call with its arguments written out.
  SmallVector<std::string> temporaries;
  FailureOr<const json::Object *> unpacked = unpackedCall(written, temporaries);
  if (failed(unpacked))
    return failure();
  if (*unpacked != &written) {
    LogicalResult result = printCall(**unpacked, tfPrint);
    unbindTemporaries(temporaries);
    return result;
  }
  const json::Object &call = written;
  std::string shown = source(*call.getObject("func"));
  Location at = loc(call);

  // The keywords: the text ones known at import.
  std::string stream = tfPrint ? "stderr" : "stdout";
  std::string sep = " ", end = "\n";
  int64_t summarize = 3;
  auto knownText = [&](const json::Object &value,
                       llvm::StringRef keyword) -> FailureOr<std::string> {
    const json::Value *known = knownOrLiteral(*this, value);
    if (known && known->getAsString())
      return known->getAsString()->str();
    return error(value, "'" + source(value) + "' as " + keyword + " of " +
                            shown + ": expected a string known at import");
  };
  auto isNone = [](const json::Object &value) {
    return kindOf(value) == "Constant" && value.get("value") &&
           value.get("value")->kind() == json::Value::Null;
  };
  for (const json::Value &k : arrayOr(call.getArray("keywords"))) {
    const json::Object *keyword = k.getAsObject();
    const json::Object *value = keyword ? keyword->getObject("value") : nullptr;
    if (!value)
      continue;
    llvm::StringRef name = keyword->getString("arg").value_or("");
    if (name == "sep" || name == "end") {
      // Python's print takes None for the default; TensorFlow joins
      // with the string it is given.
      if (!tfPrint && isNone(*value))
        continue;
      FailureOr<std::string> text = knownText(*value, name);
      if (failed(text))
        return failure();
      (name == "sep" ? sep : end) = *text;
    } else if ((tfPrint && name == "output_stream") ||
               (!tfPrint && name == "file")) {
      FailureOr<std::string> s = streamOf(*this, *value, tfPrint, name);
      if (failed(s))
        return failure();
      stream = *s;
    } else if (tfPrint && name == "summarize") {
      // None is TensorFlow's 3; a negative number prints every element.
      if (isNone(*value))
        continue;
      // An int, or what TensorFlow's make_int takes as one (a bool, a
      // float of an integral value), known at import.
      FailureOr<PyValue> n = expr(*value);
      if (failed(n))
        return failure();
      std::optional<int64_t> known = n->isIndex() || n->isBool()
                                         ? knownIndexValue(n->value)
                                         : std::nullopt;
      if (n->isBool() && known)
        known = *known != 0;
      if (std::optional<double> d = pythonFloat(*n))
        if (std::trunc(*d) == *d && std::abs(*d) < 0x1p63)
          known = int64_t(*d);
      if (!known)
        return error(*value, "'" + source(*value) + "' as summarize of " +
                                 shown +
                                 ": expected an int known at import (-1 "
                                 "prints every element)");
      summarize = *known;
    } else if ((tfPrint && name == "name") || (!tfPrint && name == "flush")) {
      // Read and not needed: a name of the graph, and every print is
      // flushed.
      continue;
    } else {
      return error(*keyword, shown + " has no parameter '" + name + "' (" +
                                 (tfPrint ? "tf.print(*inputs, output_stream, "
                                            "summarize, sep, end, name)"
                                          : "print(*objects, sep, end, file, "
                                            "flush)") +
                                 ")");
    }
  }

  // The inputs, each a piece of the text; a tensor's place in it.
  SmallVector<Value> values;
  // An integer known only at run time, printed as the int64 it is.
  auto integerTensor = [&](Value index) -> Value {
    Value wide =
        arith::IndexCastOp::create(builder, at, builder.getI64Type(), index);
    return tensor::FromElementsOp::create(
        builder, at, RankedTensorType::get({}, builder.getI64Type()), wide);
  };
  auto hole = [&](const json::Object &node, bool top,
                  Value tensor) -> FailureOr<Piece> {
    if (!top && !tfPrint)
      return error(node, "print of a tensor inside a list is not "
                         "converted: print it alone, or write tf.print, "
                         "which prints lists of tensors");
    values.push_back(tensor);
    return Piece("\x01");
  };
  std::function<FailureOr<Piece>(const json::Object &, bool)> piece =
      [&](const json::Object &node, bool top) -> FailureOr<Piece> {
    llvm::StringRef kind = kindOf(node);
    if (kind == "List" || kind == "Tuple") {
      Piece p;
      p.sequence = true;
      p.tuple = kind == "Tuple";
      for (const json::Value &e : arrayOr(node.getArray("elts"))) {
        const json::Object *element = e.getAsObject();
        if (!element || kindOf(*element) == "Starred")
          return error(node, "'" + source(node) +
                                 "' unpacks a sequence inside it: predict "
                                 "prints lists written element by element");
        FailureOr<Piece> inner = piece(*element, /*top=*/false);
        if (failed(inner))
          return failure();
        p.items.push_back(std::move(*inner));
      }
      return p;
    }
    // An f-string given as an input: its text, with the integers known
    // only at run time (a loop's `i`) written when it runs, as Python
    // formats an int. Known at import, it is a string (knownValue).
    if (kind == "JoinedStr" && !knownValue(node)) {
      std::string text;
      for (const json::Value &part : arrayOr(node.getArray("values"))) {
        const json::Object *p = part.getAsObject();
        if (p && kindOf(*p) == "Constant" && p->getString("value")) {
          if (p->getString("value")->contains('\x01'))
            return error(node, "an f-string with the character \\x01 is "
                               "not printed by predict");
          text += p->getString("value")->str();
          continue;
        }
        const json::Object *inner = p ? p->getObject("value") : nullptr;
        const json::Object *conversion =
            p ? p->getObject("conversion") : nullptr;
        bool plain = inner && kindOf(*p) == "FormattedValue" &&
                     (!p->get("format_spec") ||
                      p->get("format_spec")->kind() == json::Value::Null) &&
                     (!conversion || conversion->getString("int") == "-1");
        const json::Value *known =
            inner ? knownOrLiteral(*this, *inner) : nullptr;
        if (plain && known) {
          std::optional<Piece> k =
              known->getAsString()
                  ? std::optional<Piece>(Piece(known->getAsString()->str()))
                  : knownPiece(*known);
          if (k && !k->line().empty() &&
              k->line().find('\x01') == std::string::npos) {
            text += k->line();
            continue;
          }
        }
        std::optional<PyValue> v;
        if (plain && !known) {
          FailureOr<PyValue> e = expr(*inner);
          if (failed(e))
            return failure();
          v = *e;
        }
        if (v && v->isIndex() && top) {
          values.push_back(integerTensor(v->value));
          text += "\x01";
          continue;
        }
        return error(p ? *p : node,
                     "in an f-string " + shown +
                         " writes strings, numbers known at import and "
                         "integers (a loop's `i`), without a format spec or "
                         "!r: give tensors and other values to " +
                         shown + " as arguments (" + shown +
                         "(\"step\", i, \"loss\", x))");
      }
      return Piece(text);
    }
    if (kind == "Dict" || kind == "Set")
      return error(node, "printing a " +
                             std::string(kind == "Dict" ? "dict" : "set") +
                             " is not converted: print its values");
    // x.shape, a TensorShape: repr (pformat) or str (print) of what
    // TensorFlow knows when it traces with a dynamic batch, None for a
    // size known only at run time; tf.shape(x), its int32 vector.
    if (const json::Value *subject = shapeSubject(node)) {
      Value x;
      FailureOr<RankedTensorType> type = shapedTensor(*subject, x);
      if (failed(type))
        return failure();
      if (kind == "Attribute") {
        std::string dims;
        for (int64_t d = 0; d < type->getRank(); ++d)
          dims += (d ? ", " : "") + (type->isDynamicDim(d)
                                         ? std::string("None")
                                         : std::to_string(type->getDimSize(d)));
        if (tfPrint)
          return Piece("TensorShape([" + dims + "])");
        return Piece("(" + dims + (type->getRank() == 1 ? ",)" : ")"));
      }
      FailureOr<PyValue> vector = shapeVector(node);
      if (failed(vector))
        return failure();
      return hole(node, top, vector->value);
    }
    // A Python value known at import: a string as it is (at the top), any
    // other as Python writes it.
    const json::Value *known = nullptr;
    if (kind == "Constant")
      known = node.get("value");
    else if (const json::Value *folded = node.get("folded"))
      known = folded;
    else
      known = knownValue(node);
    if (known &&
        !(known->getAsObject() && known->getAsObject()->getObject("call"))) {
      if (top && known->getAsString()) {
        Piece p(known->getAsString()->str());
        p.raw = true;
        return p;
      }
      std::optional<Piece> p = knownPiece(*known);
      if (!p)
        return error(node, "'" + source(node) +
                               "' is a value known at "
                               "import that " +
                               shown +
                               " does not print yet (a dict?): "
                               "print its parts");
      return *p;
    }
    FailureOr<PyValue> value = expr(node);
    if (failed(value))
      return failure();
    if (value->isList())
      return error(
          node,
          "'" + source(node) + "' is " +
              (value->list->tensorArray
                   ? "a tf.TensorArray: print " + source(node) + ".stack()"
                   : "a list built by a loop: print " +
                         std::string("tf.stack(") + source(node) + ")"));
    if (std::optional<double> d = pythonFloat(*value))
      return Piece(pythonFloatRepr(*d));
    Value tensor = value->value;
    if (value->isIndex()) {
      if (std::optional<int64_t> n = knownIndexValue(value->value))
        return Piece(std::to_string(*n));
      tensor = integerTensor(tensor);
    } else if (value->isBool()) {
      if (std::optional<int64_t> b = knownIndexValue(value->value))
        return Piece(*b ? "True" : "False");
      tensor = tensor::FromElementsOp::create(
          builder, at, RankedTensorType::get({}, builder.getI1Type()), tensor);
    } else if (!value->isTensor()) {
      return error(node, "'" + source(node) + "' is not a value " + shown +
                             " prints");
    }
    auto type = dyn_cast<RankedTensorType>(tensor.getType());
    if (!type)
      return error(node, "'" + source(node) +
                             "' has a rank not known at "
                             "import (" +
                             typeText(tensor.getType()) + "): " + shown +
                             " prints tensors of known rank");
    Type element = type.getElementType();
    if (!element.isF32() && !element.isF64() && !element.isInteger(1) &&
        !element.isInteger(32) && !element.isInteger(64))
      return error(node, "'" + source(node) + "' is a " + typeText(type) +
                             ", which " + shown + " does not print yet");
    return hole(node, top, tensor);
  };

  std::string text;
  for (auto [i, arg] : llvm::enumerate(arrayOr(call.getArray("args")))) {
    const json::Object *node = arg.getAsObject();
    if (!node)
      continue;
    FailureOr<Piece> p = piece(*node, /*top=*/true);
    if (failed(p))
      return failure();
    // A string input is TensorFlow's template as it is; every other input
    // is pformat's text (str() for Python's print: no line breaking).
    text += (i ? templateText(sep) : "") +
            templateText(tfPrint ? p->pformat(0, 0) : p->line(), p->raw);
  }
  text += templateText(end);
  PrintOp::create(builder, at, builder.getStringAttr(text),
                  builder.getStringAttr(stream),
                  builder.getI64IntegerAttr(summarize),
                  tfPrint ? nullptr : builder.getUnitAttr(), values);
  return success();
}
