//===- HostTensor.cpp - host tensors, IREE-style literals, printing -------===//

#include "predict/Runner/HostTensor.h"
#include "Errors.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>

using namespace llvm;
using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;

/// Tensors larger than this are refused rather than allocated.
static uint64_t maxBytes = uint64_t(16) << 30;

void runner::setMaxTensorBytes(uint64_t bytes) { maxBytes = bytes; }
uint64_t runner::maxTensorBytes() { return maxBytes; }

size_t runner::dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::f32:
  case DType::i32:
    return 4;
  case DType::f64:
  case DType::i64:
    return 8;
  case DType::i1:
    return 1;
  }
  llvm_unreachable("unknown dtype");
}

StringRef runner::dtypeName(DType dtype) {
  switch (dtype) {
  case DType::f32:
    return "f32";
  case DType::f64:
    return "f64";
  case DType::i32:
    return "i32";
  case DType::i64:
    return "i64";
  case DType::i1:
    return "i1";
  }
  llvm_unreachable("unknown dtype");
}

std::optional<DType> runner::parseDTypeName(StringRef name) {
  for (DType d : {DType::f32, DType::f64, DType::i32, DType::i64, DType::i1})
    if (dtypeName(d) == name)
      return d;
  return std::nullopt;
}

Error runner::inputTooLarge(Error e, const Twine &name) {
  return makeError(name + ": " + toString(std::move(e)) +
                   " (predict-run's --max-input-mib raises the limit)");
}

Expected<HostTensor> HostTensor::allocate(DType dtype, ArrayRef<int64_t> shape) {
  uint64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return makeError("negative dimension " + Twine(d));
    if (d != 0 && count > maxBytes / uint64_t(d))
      return makeError("tensor of shape " + formatShape(shape) +
                       " needs more than the limit of " + Twine(maxBytes) +
                       " bytes");
    count *= uint64_t(d);
  }
  uint64_t bytes = count * dtypeSize(dtype);
  if (bytes > maxBytes)
    return makeError("tensor of shape " + formatShape(shape) + " needs " +
                     Twine(bytes) + " bytes, more than the limit of " +
                     Twine(maxBytes));
  HostTensor t;
  t.dtype = dtype;
  t.shape.assign(shape.begin(), shape.end());
  // One word at least: calloc(0) may return null.
  size_t words = std::max<uint64_t>((bytes + 7) / 8, 1);
  t.storage.reset(static_cast<uint64_t *>(std::calloc(words, 8)));
  if (!t.storage)
    return makeError("cannot allocate " + Twine(bytes) +
                     " bytes for a tensor of shape " + formatShape(shape) +
                     ": the machine does not have that much memory free");
  return t;
}

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string HostTensor::typeString() const {
  std::string s = formatShape(shape);
  return (s.empty() ? "" : s + "x") + dtypeName(dtype).str();
}

std::string runner::formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + std::to_string(d);
  return s;
}

/// Whether `text`'s exponent, if it has one, has digits: LLVM's parser
/// reads "1e" and "1.5e+" as 1 and 1.5, where numpy's loadtxt (Python's
/// float) refuses them.
static bool exponentHasDigits(StringRef text) {
  size_t e = text.find_first_of("eE");
  if (e == StringRef::npos)
    return true;
  StringRef digits = text.drop_front(e + 1);
  if (!digits.consume_front("+"))
    digits.consume_front("-");
  return !digits.empty() && llvm::all_of(digits, llvm::isDigit);
}

/// Stores `text` as element `index` of `t`.
Error runner::storeElement(HostTensor &t, int64_t index, StringRef text) {
  char *base = static_cast<char *>(t.data());
  switch (t.dtype) {
  case DType::f32:
  case DType::f64: {
    double v;
    // Infinities and NaN in any case, signed or not, as Python's float
    // (numpy.loadtxt) reads them: inf, +Inf, -INF, infinity, NaN, +nan.
    StringRef word = text;
    bool negative = word.consume_front("-");
    if (!negative)
      word.consume_front("+");
    if (word.equals_insensitive("inf") || word.equals_insensitive("infinity"))
      v = negative ? -HUGE_VAL : HUGE_VAL;
    else if (word.equals_insensitive("nan"))
      v = negative ? -NAN : NAN;
    // (LLVM's parser also reads hex floats, 0x1p3, which Python's float
    // and numpy refuse.)
    // (nan(123) and snan are C's, not Python's.)
    else if (!exponentHasDigits(text) || text.contains_insensitive("x") ||
             text.contains('(') || word.starts_with_insensitive("snan") ||
             text.getAsDouble(v))
      return makeError("'" + text + "' is not a number");
    if (t.dtype == DType::f32) {
      float f = static_cast<float>(v);
      std::memcpy(base + index * 4, &f, 4);
    } else {
      std::memcpy(base + index * 8, &v, 8);
    }
    return Error::success();
  }
  case DType::i32:
  case DType::i64:
  case DType::i1: {
    int64_t v;
    // Booleans as predict-run prints them (true, false), as Python writes
    // them (True, False), or 1 and 0; nothing else.
    if (t.dtype == DType::i1) {
      if (text != "true" && text != "True" && text != "1" &&
          text != "false" && text != "False" && text != "0")
        return makeError("'" + text +
                         "' is not a bool (true, false, True, False, 1 or 0)");
      base[index] = text == "true" || text == "True" || text == "1";
      return Error::success();
    }
    // A leading + is Python's and numpy's too (int("+5") is 5).
    StringRef unsigned_ = text;
    if (unsigned_.size() > 1 && unsigned_[0] == '+' && isDigit(unsigned_[1]))
      unsigned_ = unsigned_.drop_front();
    if (unsigned_.getAsInteger(10, v)) {
      // Digits that do not fit in 64 bits are out of range, not "not an
      // integer".
      llvm::StringRef digits = text;
      digits.consume_front("-") || digits.consume_front("+");
      if (!digits.empty() && llvm::all_of(digits, llvm::isDigit))
        return makeError("'" + text + "' does not fit in " +
                         dtypeName(t.dtype));
      return makeError("'" + text + "' is not an integer");
    }
    if (t.dtype == DType::i32) {
      if (v < INT32_MIN || v > INT32_MAX)
        return makeError("'" + text + "' does not fit in i32");
      int32_t i = static_cast<int32_t>(v);
      std::memcpy(base + index * 4, &i, 4);
    } else if (t.dtype == DType::i64) {
      std::memcpy(base + index * 8, &v, 8);
    } else {
      base[index] = v != 0;
    }
    return Error::success();
  }
  }
  llvm_unreachable("unknown dtype");
}

Expected<HostTensor> runner::parseInput(StringRef spec) {
  if (spec.consume_front("@"))
    return readNpy(spec);
  auto [typeText, valuesText] = spec.split('=');
  if (typeText.size() == spec.size())
    return makeError("input '" + spec +
                     "' is neither @FILE.npy nor SHAPExTYPE=VALUES "
                     "(e.g. 2x3xf32=1,2,3,4,5,6)");
  SmallVector<StringRef> parts;
  typeText.split(parts, 'x');
  std::optional<DType> dtype = parseDTypeName(parts.back());
  if (!dtype)
    return makeError("input '" + spec + "': unknown element type '" +
                     parts.back() + "' (use f32, f64, i32, i64 or i1)");
  SmallVector<int64_t> shape;
  for (StringRef dim : ArrayRef(parts).drop_back()) {
    int64_t d;
    if (dim.getAsInteger(10, d) || d < 0)
      return makeError("input '" + spec + "': '" + dim +
                       "' is not a dimension size");
    shape.push_back(d);
  }
  auto tensor = HostTensor::allocate(*dtype, shape);
  if (!tensor)
    return inputTooLarge(tensor.takeError(), "input '" + typeText + "'");
  // Values are separated by commas or spaces, with IREE's brackets
  // (`2x2xf32=[1 2][3 4]`, as predict-run prints results) or without;
  // nothing between two commas is an error, as an empty CSV cell is (not a
  // value skipped).
  if (valuesText.count('[') != valuesText.count(']'))
    return makeError("input '" + spec + "': its [ and ] do not pair up");
  SmallVector<StringRef> values;
  if (!valuesText.trim().empty()) {
    SmallVector<StringRef> pieces;
    valuesText.split(pieces, ',');
    for (StringRef piece : pieces) {
      if (piece.trim().empty())
        return makeError("input '" + spec +
                         "': a value is missing between two commas (or "
                         "at an end)");
      SplitString(piece, values, " \t\n[]");
    }
  }
  int64_t n = tensor->numElements();
  if (values.size() != 1 && int64_t(values.size()) != n)
    return makeError("input '" + typeText + "' has " + Twine(n) +
                     " elements but " + Twine(values.size()) +
                     " values were given");
  for (int64_t i = 0; i < n; ++i)
    if (Error e = storeElement(*tensor, i, values.size() == 1 ? values[0] : values[i]))
      return makeError("input '" + typeText + "': " + toString(std::move(e)));
  return tensor;
}

/// Element `index` of `t` as numpy would print it (float32: 8 digits).
static void printElement(raw_ostream &os, const HostTensor &t, int64_t index) {
  const char *base = static_cast<const char *>(t.data());
  switch (t.dtype) {
  case DType::f32: {
    float f;
    std::memcpy(&f, base + index * 4, 4);
    if (std::isnan(f)) // numpy prints every NaN as `nan`, whatever its sign
      os << "nan";
    else
      os << format("%.8g", f);
    return;
  }
  case DType::f64: {
    double d;
    std::memcpy(&d, base + index * 8, 8);
    if (std::isnan(d))
      os << "nan";
    else
      os << format("%.17g", d);
    return;
  }
  case DType::i32: {
    int32_t i;
    std::memcpy(&i, base + index * 4, 4);
    os << i;
    return;
  }
  case DType::i64: {
    int64_t i;
    std::memcpy(&i, base + index * 8, 8);
    os << i;
    return;
  }
  case DType::i1:
    os << (base[index] ? "true" : "false");
    return;
  }
}

void runner::printTensor(raw_ostream &os, const HostTensor &t) {
  os << t.typeString() << "=";
  int64_t rank = t.shape.size();
  if (rank == 0) {
    printElement(os, t, 0);
    os << "\n";
    return;
  }
  // Nested brackets, one level per dimension, as IREE prints results.
  SmallVector<int64_t> index(rank, 0);
  int64_t n = t.numElements();
  for (int64_t i = 0; i < rank; ++i)
    os << "[";
  if (n == 0) {
    for (int64_t i = 0; i < rank; ++i)
      os << "]";
    os << "\n";
    return;
  }
  for (int64_t flat = 0; flat < n; ++flat) {
    if (index[rank - 1] != 0)
      os << " ";
    printElement(os, t, flat);
    // Advance the multi-index, closing and opening brackets as it carries.
    int64_t d = rank - 1;
    while (d >= 0 && ++index[d] == t.shape[d]) {
      index[d] = 0;
      os << "]";
      --d;
    }
    if (d >= 0 && d < rank - 1)
      for (int64_t i = d + 1; i < rank; ++i)
        os << "[";
  }
  os << "\n";
}
