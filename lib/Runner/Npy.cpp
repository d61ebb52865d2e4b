//===- Npy.cpp - numpy .npy files: read and write -------------------------===//
//
// The format: "\x93NUMPY", a version (1.0: 2-byte header length; 2.0, 3.0:
// 4-byte), then a Python dict literal {'descr': '<f4', 'fortran_order':
// False, 'shape': (3, 100), } padded with spaces and ending in '\n', then the
// raw data.
//
//===----------------------------------------------------------------------===//

#include "Errors.h"
#include "predict/Runner/HostTensor.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>

using namespace llvm;
using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;

static constexpr StringLiteral kMagic("\x93NUMPY");

/// The entries of the header's dict literal (`{'descr': '<f4',
/// 'fortran_order': False, 'shape': (3, 100), }`), as numpy's reader takes
/// them: exactly the keys 'descr', 'fortran_order' and 'shape', each once
/// (numpy: "Header does not contain the correct keys"). A repeated key is
/// refused rather than read as numpy would (the last one wins there) or as
/// a scan would (the first): two sizes for one array are not an input.
static Expected<llvm::StringMap<StringRef>> headerEntries(StringRef header,
                                                          StringRef name) {
  auto fail = [&](const Twine &why) {
    return makeError(name + ": not a valid .npy file: " + why);
  };
  StringRef rest = header.trim();
  if (!rest.consume_front("{") || !rest.consume_back("}"))
    return fail("the header is not a dict literal {...}");
  llvm::StringMap<StringRef> entries;
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
    size_t end = rest.starts_with("(") ? rest.find(')') : rest.find(',');
    if (rest.starts_with("(") && end == StringRef::npos)
      return fail("the tuple of '" + key + "' is not closed");
    if (rest.starts_with("("))
      ++end;
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

namespace {
/// What the header says: the element type and the shape.
struct NpyHeader {
  DType dtype;
  SmallVector<int64_t> shape;
};
} // namespace

/// The header length in bytes, from the 10 or 12 bytes of the preamble
/// (`preamble` holds at least the first 8).
static Expected<size_t> lengthBytesOf(StringRef preamble, StringRef name) {
  if (!preamble.starts_with(kMagic))
    return makeError(name + ": not a valid .npy file: it does not start with "
                            "the magic string \\x93NUMPY");
  uint8_t major = preamble[6];
  size_t lengthBytes = major == 1 ? 2 : (major == 2 || major == 3) ? 4 : 0;
  if (!lengthBytes)
    return makeError(name + ": not a valid .npy file: format version " +
                     Twine(unsigned(major)) + " is unknown (1, 2 and 3 are)");
  return lengthBytes;
}

/// numpy writes a header of a few dozen bytes for the dtypes predict reads
/// (and np.load refuses more than 10000 by default); more is not an array
/// of ours, and is not read.
static constexpr uint64_t kMaxHeaderBytes = 1 << 16;

static Expected<NpyHeader> parseHeader(StringRef header, StringRef name) {
  auto fail = [&](const Twine &why) {
    return makeError(name + ": not a valid .npy file: " + why);
  };
  auto entries = headerEntries(header, name);
  if (!entries)
    return entries.takeError();
  if (entries->size() != 3)
    return fail("the header lacks 'descr', 'fortran_order' or 'shape'");
  StringRef descr = entries->lookup("descr");
  StringRef fortran = entries->lookup("fortran_order");
  StringRef shapeText = entries->lookup("shape");
  StringRef d = descr.trim("'\"");
  NpyHeader result;
  if (d == "<f4")
    result.dtype = DType::f32;
  else if (d == "<f8")
    result.dtype = DType::f64;
  else if (d == "<i4")
    result.dtype = DType::i32;
  else if (d == "<i8")
    result.dtype = DType::i64;
  else if (d == "|b1")
    result.dtype = DType::i1;
  else
    return makeError(name + ": dtype '" + d +
                     "' is not supported: use little-endian float32, "
                     "float64, int32, int64 or bool (numpy's astype)");
  if (fortran != "False")
    return makeError(name + ": the array is in Fortran order; save "
                            "np.ascontiguousarray(x) instead");
  SmallVector<StringRef> dims;
  shapeText.trim("()").split(dims, ',', -1, /*KeepEmpty=*/false);
  for (StringRef dim : dims) {
    int64_t size;
    if (dim.trim().getAsInteger(10, size) || size < 0)
      return fail("'" + dim.trim() + "' in the shape is not a size");
    result.shape.push_back(size);
  }
  return result;
}

/// The error of a header whose shape HostTensor::allocate refused (negative
/// or past the tensor limit), with the flag that raises the limit.
static Error tooLarge(Error e, StringRef name) {
  return makeError(name + ": " + toString(std::move(e)) +
                   " (predict-run's --max-input-mib raises the limit)");
}

/// The error for `got` bytes of data where `tensor` needs its byte size.
static Error sizeMismatch(const HostTensor &tensor, const Twine &got,
                          bool truncated, StringRef name) {
  return makeError(name + ": the header announces " + tensor.typeString() +
                   " (" + Twine(tensor.byteSize()) + " bytes of data) but " +
                   got + " bytes follow" +
                   (truncated ? ": the file is truncated" : ""));
}

Expected<HostTensor> runner::parseNpy(StringRef bytes, StringRef name) {
  auto fail = [&](const Twine &why) {
    return makeError(name + ": not a valid .npy file: " + why);
  };
  if (!kMagic.starts_with(bytes.take_front(kMagic.size())))
    return fail("it does not start with the magic string \\x93NUMPY");
  if (bytes.size() < 10)
    return fail("it is truncated inside the header");
  auto lengthBytes = lengthBytesOf(bytes, name);
  if (!lengthBytes)
    return lengthBytes.takeError();
  size_t start = 8 + *lengthBytes;
  if (bytes.size() < start)
    return fail("it is truncated inside the header");
  uint64_t headerLength = 0;
  for (size_t i = 0; i < *lengthBytes; ++i)
    headerLength |= uint64_t(uint8_t(bytes[8 + i])) << (8 * i);
  if (bytes.size() < start + headerLength)
    return fail("it is truncated inside the header");
  auto header = parseHeader(bytes.substr(start, headerLength), name);
  if (!header)
    return header.takeError();
  StringRef data = bytes.drop_front(start + headerLength);
  auto tensor = HostTensor::allocate(header->dtype, header->shape);
  if (!tensor)
    return tooLarge(tensor.takeError(), name);
  if (data.size() != tensor->byteSize())
    return sizeMismatch(*tensor, Twine(data.size()),
                        data.size() < tensor->byteSize(), name);
  if (!data.empty()) // an empty array (a batch of 0) has no storage
    std::memcpy(tensor->data(), data.data(), data.size());
  return tensor;
}

/// Reads up to `size` bytes of `file` into `out`; returns how many came (less
/// only at the end of the file).
static Expected<size_t> readUpTo(sys::fs::file_t file, char *out,
                                 size_t size) {
  size_t done = 0;
  while (done < size) {
    // At most 1 GiB a call: read(2) takes no more at once.
    size_t chunk = std::min<size_t>(size - done, size_t(1) << 30);
    auto got = sys::fs::readNativeFile(file, MutableArrayRef<char>(out + done,
                                                                   chunk));
    if (!got)
      return got.takeError();
    if (*got == 0)
      break;
    done += *got;
  }
  return done;
}

/// Reads an .npy from `file` in its order: the preamble, then the header it
/// announces, then exactly the data the header announces (its size limited
/// as every tensor's is), so that a stream that never ends (/dev/zero, a
/// fifo) is an error at its first wrong byte, never a read without end.
static Expected<HostTensor> readNpyFrom(sys::fs::file_t file, StringRef name) {
  auto fail = [&](const Twine &why) {
    return makeError(name + ": not a valid .npy file: " + why);
  };
  auto ioError = [&](Error e) {
    return makeError("cannot read input '" + name + "': " +
                     toString(std::move(e)));
  };
  char preamble[12];
  auto got = readUpTo(file, preamble, 8);
  if (!got)
    return ioError(got.takeError());
  if (*got < 8) // too short even for the magic and the version
    return parseNpy(StringRef(preamble, *got), name);
  auto lengthBytes = lengthBytesOf(StringRef(preamble, 8), name);
  if (!lengthBytes)
    return lengthBytes.takeError();
  got = readUpTo(file, preamble + 8, *lengthBytes);
  if (!got)
    return ioError(got.takeError());
  if (*got < *lengthBytes)
    return fail("it is truncated inside the header");
  uint64_t headerLength = 0;
  for (size_t i = 0; i < *lengthBytes; ++i)
    headerLength |= uint64_t(uint8_t(preamble[8 + i])) << (8 * i);
  if (headerLength > kMaxHeaderBytes)
    return fail("its header announces " + Twine(headerLength) +
                " bytes, more than the " + Twine(kMaxHeaderBytes) +
                " an array of numbers needs");
  std::string headerText(headerLength, '\0');
  got = readUpTo(file, headerText.data(), headerLength);
  if (!got)
    return ioError(got.takeError());
  if (*got < headerLength)
    return fail("it is truncated inside the header");
  auto header = parseHeader(headerText, name);
  if (!header)
    return header.takeError();
  auto tensor = HostTensor::allocate(header->dtype, header->shape);
  if (!tensor)
    return tooLarge(tensor.takeError(), name);
  size_t size = tensor->byteSize();
  got = readUpTo(file, static_cast<char *>(tensor->data()), size);
  if (!got)
    return ioError(got.takeError());
  if (*got < size)
    return sizeMismatch(*tensor, Twine(*got), /*truncated=*/true, name);
  // Nothing may follow the data; a stream is not read past one byte more.
  char extra[1 << 12];
  got = readUpTo(file, extra, sizeof(extra));
  if (!got)
    return ioError(got.takeError());
  if (*got == sizeof(extra))
    return sizeMismatch(*tensor, "more than " + Twine(size + sizeof(extra)),
                        /*truncated=*/false, name);
  if (*got)
    return sizeMismatch(*tensor, Twine(size + *got), /*truncated=*/false,
                        name);
  return tensor;
}

Expected<HostTensor> runner::readNpy(StringRef path) {
  sys::fs::file_status status;
  if (!sys::fs::status(path, status) &&
      status.type() == sys::fs::file_type::directory_file)
    return makeError("cannot read input '" + path + "': it is a directory");
  auto file = sys::fs::openNativeFileForRead(path);
  if (!file)
    return makeError("cannot read input '" + path +
                     "': " + toString(file.takeError()));
  auto tensor = readNpyFrom(*file, path);
  sys::fs::closeFile(*file);
  return tensor;
}

Expected<std::string> runner::writeNpyTemporary(const HostTensor &tensor,
                                                StringRef path) {
  std::string descr;
  switch (tensor.dtype) {
  case DType::f32:
    descr = "<f4";
    break;
  case DType::f64:
    descr = "<f8";
    break;
  case DType::i32:
    descr = "<i4";
    break;
  case DType::i64:
    descr = "<i8";
    break;
  case DType::i1:
    descr = "|b1";
    break;
  }
  std::string shape = "(";
  for (int64_t d : tensor.shape)
    shape += std::to_string(d) + ", ";
  if (tensor.shape.size() > 1)
    shape.erase(shape.size() - 2); // numpy writes (3, 4) but (3,)
  else if (tensor.shape.size() == 1)
    shape.pop_back();
  shape += ")";
  std::string header = "{'descr': '" + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so that the data starts on a 64-byte boundary; end with '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  // Write to a temporary beside the target and rename it into place.
  SmallString<128> dir(path);
  sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  SmallString<128> temp;
  int fd;
  if (std::error_code ec = sys::fs::createUniqueFile(
          dir + "/." + sys::path::filename(path) + ".%%%%%%.tmp", fd, temp))
    return makeError("cannot write output '" + path + "': " + ec.message());
  {
    raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << kMagic << '\x01' << '\x00';
    uint16_t length = header.size();
    os << char(length & 0xff) << char(length >> 8) << header;
    os.write(static_cast<const char *>(tensor.data()), tensor.byteSize());
    os.close();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      sys::fs::remove(temp);
      return makeError("cannot write output '" + path + "': " + message);
    }
  }
  return std::string(temp);
}

Error runner::writeNpy(const HostTensor &tensor, StringRef path) {
  auto temp = writeNpyTemporary(tensor, path);
  if (!temp)
    return temp.takeError();
  if (std::error_code ec = sys::fs::rename(*temp, path)) {
    sys::fs::remove(*temp);
    return makeError("cannot write output '" + path + "': " + ec.message());
  }
  return Error::success();
}
