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
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace llvm;
using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;

static constexpr StringLiteral kMagic("\x93NUMPY");

/// The value of `key` in the header dict: the text up to the next top-level
/// comma or closing brace.
static std::optional<StringRef> headerValue(StringRef header, StringRef key) {
  for (StringRef quote : {"'", "\""}) {
    std::string needle = (quote + key + quote).str();
    size_t at = header.find(needle);
    if (at == StringRef::npos)
      continue;
    StringRef rest = header.drop_front(at + needle.size()).ltrim();
    if (!rest.consume_front(":"))
      return std::nullopt;
    rest = rest.ltrim();
    if (rest.starts_with("(")) {
      size_t close = rest.find(')');
      if (close == StringRef::npos)
        return std::nullopt;
      return rest.take_front(close + 1);
    }
    return rest.take_until([](char c) { return c == ',' || c == '}'; }).trim();
  }
  return std::nullopt;
}

Expected<HostTensor> runner::parseNpy(StringRef bytes, StringRef name) {
  auto fail = [&](const Twine &why) {
    return makeError(name + ": not a valid .npy file: " + why);
  };
  if (!bytes.starts_with(kMagic))
    return fail("it does not start with the magic string \\x93NUMPY");
  if (bytes.size() < 10)
    return fail("it is truncated inside the header");
  uint8_t major = bytes[6];
  size_t lengthBytes = major == 1 ? 2 : (major == 2 || major == 3) ? 4 : 0;
  if (!lengthBytes)
    return fail("format version " + Twine(unsigned(major)) +
                " is unknown (1, 2 and 3 are)");
  size_t start = 8 + lengthBytes;
  if (bytes.size() < start)
    return fail("it is truncated inside the header");
  uint64_t headerLength = 0;
  for (size_t i = 0; i < lengthBytes; ++i)
    headerLength |= uint64_t(uint8_t(bytes[8 + i])) << (8 * i);
  if (bytes.size() < start + headerLength)
    return fail("it is truncated inside the header");
  StringRef header = bytes.substr(start, headerLength);
  StringRef data = bytes.drop_front(start + headerLength);

  auto descr = headerValue(header, "descr");
  auto fortran = headerValue(header, "fortran_order");
  auto shapeText = headerValue(header, "shape");
  if (!descr || !fortran || !shapeText)
    return fail("the header lacks 'descr', 'fortran_order' or 'shape'");
  StringRef d = descr->trim("'\"");
  DType dtype;
  if (d == "<f4")
    dtype = DType::f32;
  else if (d == "<f8")
    dtype = DType::f64;
  else if (d == "<i4")
    dtype = DType::i32;
  else if (d == "<i8")
    dtype = DType::i64;
  else if (d == "|b1")
    dtype = DType::i1;
  else
    return makeError(name + ": dtype '" + d +
                     "' is not supported: use little-endian float32, "
                     "float64, int32, int64 or bool (numpy's astype)");
  if (*fortran != "False")
    return makeError(name + ": the array is in Fortran order; save "
                            "np.ascontiguousarray(x) instead");
  SmallVector<int64_t> shape;
  SmallVector<StringRef> dims;
  shapeText->trim("()").split(dims, ',', -1, /*KeepEmpty=*/false);
  for (StringRef dim : dims) {
    int64_t size;
    if (dim.trim().getAsInteger(10, size) || size < 0)
      return fail("'" + dim.trim() + "' in the shape is not a size");
    shape.push_back(size);
  }
  auto tensor = HostTensor::allocate(dtype, shape);
  if (!tensor)
    return makeError(name + ": " + toString(tensor.takeError()));
  if (data.size() != tensor->byteSize())
    return makeError(name + ": the header announces " + tensor->typeString() +
                     " (" + Twine(tensor->byteSize()) + " bytes of data) but " +
                     Twine(data.size()) + " bytes follow" +
                     (data.size() < tensor->byteSize() ? ": the file is truncated"
                                                      : ""));
  if (!data.empty()) // an empty array (a batch of 0) has no storage
    std::memcpy(tensor->data(), data.data(), data.size());
  return tensor;
}

Expected<HostTensor> runner::readNpy(StringRef path) {
  auto buffer = MemoryBuffer::getFile(path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot read input '" + path +
                     "': " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
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
