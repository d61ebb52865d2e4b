//===- Npy.cpp - the numpy .npy format's preamble and header --------------===//

#include "predict/Support/Npy.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

using namespace llvm;
using namespace mlir::predict;
using namespace mlir::predict::npy;

static Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

uint64_t npy::Header::elementCount() const {
  uint64_t count = 1;
  for (int64_t d : shape) {
    if (d != 0 && count > UINT64_MAX / uint64_t(d))
      return UINT64_MAX;
    count *= uint64_t(d);
  }
  return count;
}

Expected<size_t> npy::lengthFieldBytes(StringRef preamble, StringRef name) {
  if (!preamble.starts_with(kMagic))
    return makeError(name + ": not a valid .npy file: it does not start with "
                            "the magic string \\x93NUMPY");
  uint8_t major = preamble.size() > 6 ? uint8_t(preamble[6]) : 0;
  size_t bytes = major == 1 ? 2 : (major == 2 || major == 3) ? 4 : 0;
  if (!bytes)
    return makeError(name + ": not a valid .npy file: format version " +
                     Twine(unsigned(major)) + " is unknown (1, 2 and 3 are)");
  return bytes;
}

uint64_t npy::headerLength(StringRef preamble, size_t fieldBytes) {
  uint64_t length = 0;
  for (size_t i = 0; i < fieldBytes; ++i)
    length |= uint64_t(uint8_t(preamble[8 + i])) << (8 * i);
  return length;
}

/// The entries of the header's dict literal, as numpy's reader takes them:
/// exactly the keys 'descr', 'fortran_order' and 'shape', each once (numpy:
/// "Header does not contain the correct keys"). A repeated key is refused
/// rather than read as numpy would (the last one wins there) or as a scan
/// would (the first): two sizes for one array are not an input.
static Expected<StringMap<StringRef>> headerEntries(StringRef header,
                                                    StringRef name) {
  auto fail = [&](const Twine &why) {
    return makeError(name + ": not a valid .npy file: " + why);
  };
  StringRef rest = header.trim();
  if (!rest.consume_front("{") || !rest.consume_back("}"))
    return fail("the header is not a dict literal {...}");
  StringMap<StringRef> entries;
  while (!(rest = rest.ltrim()).empty()) {
    // 'key': value, where a value may be a tuple with commas inside.
    char quote = rest.front();
    if (quote != '\'' && quote != '"')
      return fail("a key of the header is not a quoted string");
    size_t close = rest.find(quote, 1);
    if (close == StringRef::npos)
      return fail("a key of the header is not closed");
    StringRef key = rest.slice(1, close);
    rest = rest.drop_front(close + 1).ltrim();
    if (!rest.consume_front(":"))
      return fail("'" + key + "' has no ':' after it");
    rest = rest.ltrim();
    // A value is a tuple (a shape), a list (a structured dtype's fields,
    // with tuples inside) or a scalar up to the next comma.
    size_t end = rest.find(',');
    if (rest.starts_with("(") || rest.starts_with("[")) {
      int depth = 0;
      end = StringRef::npos;
      for (size_t i = 0; i < rest.size() && end == StringRef::npos; ++i) {
        depth += rest[i] == '(' || rest[i] == '[';
        depth -= rest[i] == ')' || rest[i] == ']';
        if (depth == 0)
          end = i + 1;
      }
      if (end == StringRef::npos)
        return fail("the " +
                    Twine(rest.starts_with("(") ? "tuple" : "list") + " of '" +
                    key + "' is not closed");
    }
    StringRef value = rest.take_front(end).trim();
    rest = rest.drop_front(std::min(end, rest.size())).ltrim();
    rest.consume_front(",");
    if (key != "descr" && key != "fortran_order" && key != "shape")
      return fail("the header has the key '" + key +
                  "'; numpy's headers have only 'descr', 'fortran_order' "
                  "and 'shape'");
    if (!entries.try_emplace(key, value).second)
      return fail("the header gives '" + key + "' twice");
  }
  return entries;
}

Expected<npy::Header> npy::parseHeader(StringRef text, StringRef name) {
  auto fail = [&](const Twine &why) {
    return makeError(name + ": not a valid .npy file: " + why);
  };
  auto entries = headerEntries(text, name);
  if (!entries)
    return entries.takeError();
  if (entries->size() != 3)
    return fail("the header lacks 'descr', 'fortran_order' or 'shape'");
  Header header;
  header.descr = entries->lookup("descr").trim("'\"").str();
  StringRef fortran = entries->lookup("fortran_order");
  if (fortran != "False" && fortran != "True")
    return fail("'fortran_order' is '" + fortran + "', not True or False");
  header.fortranOrder = fortran == "True";
  SmallVector<StringRef> dims;
  entries->lookup("shape").trim("()").split(dims, ',', -1,
                                            /*KeepEmpty=*/false);
  for (StringRef dim : dims) {
    // "(3,)" from numpy; "(3, 3, )" from predict's own --dump-weights: a
    // trailing comma with a space after it is no dimension.
    if (dim.trim().empty())
      continue;
    int64_t size;
    if (dim.trim().getAsInteger(10, size) || size < 0)
      return fail("'" + dim.trim() + "' in the shape is not a size");
    header.shape.push_back(size);
  }
  return header;
}

Expected<npy::Array> npy::parse(StringRef bytes, StringRef name) {
  auto fail = [&](const Twine &why) {
    return makeError(name + ": not a valid .npy file: " + why);
  };
  if (!kMagic.starts_with(bytes.take_front(kMagic.size())))
    return fail("it does not start with the magic string \\x93NUMPY");
  if (bytes.size() < 10)
    return fail("it is truncated inside the header");
  auto fieldBytes = lengthFieldBytes(bytes, name);
  if (!fieldBytes)
    return fieldBytes.takeError();
  size_t start = 8 + *fieldBytes;
  if (bytes.size() < start)
    return fail("it is truncated inside the header");
  uint64_t length = headerLength(bytes, *fieldBytes);
  if (bytes.size() - start < length)
    return fail("it is truncated inside the header");
  auto header = parseHeader(bytes.substr(start, length), name);
  if (!header)
    return header.takeError();
  return Array{std::move(*header), bytes.drop_front(start + length)};
}
