//===- Npy.cpp - numpy .npy files: read and write -------------------------===//
//
// predict-run's inputs and outputs as tensors; the framing (magic, version,
// header) is read by predict/Support/Npy.h, shared with the Python front
// end's .npz weights.
//
//===----------------------------------------------------------------------===//

#include "predict/Support/Npy.h"
#include "Errors.h"
#include "predict/Runner/HostTensor.h"
#include "predict/Support/Parent.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;
using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;

namespace {
/// What the header says: the element type and the shape.
struct NpyHeader {
  DType dtype;
  SmallVector<int64_t> shape;
};
} // namespace

/// The element types predict-run reads, from the header's `descr`; Fortran
/// order is refused (a copy in C order is one numpy call away).
static Expected<NpyHeader> typedHeader(Expected<npy::Header> header,
                                       StringRef name) {
  if (!header)
    return header.takeError();
  StringRef d = header->descr;
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
  else if (d.starts_with("["))
    return makeError(name + ": the array has a structured dtype (fields " +
                     d + "), which is not supported: save one plain array "
                     "of float32, float64, int32, int64 or bool");
  else
    return makeError(name + ": dtype '" + d +
                     "' is not supported: use little-endian float32, "
                     "float64, int32, int64 or bool (numpy's astype)");
  if (header->fortranOrder)
    return makeError(name + ": the array is in Fortran order; save "
                            "np.ascontiguousarray(x) instead");
  result.shape = std::move(header->shape);
  return result;
}


/// The error for `got` bytes of data where `tensor` needs its byte size.
static Error sizeMismatch(const HostTensor &tensor, const Twine &got,
                          bool truncated, StringRef name) {
  return makeError(name + ": the header announces " + tensor.typeString() +
                   " (" + Twine(tensor.byteSize()) + " bytes of data) but " +
                   got + " bytes follow" +
                   (truncated ? ": the file is truncated" : ""));
}

/// `tensor` with each bool byte that is not 0 made 1: numpy calls any byte
/// but 0 True (an array viewed from bytes can hold 2), where the compiled
/// code reads bit 0 alone.
static HostTensor normalizeBools(HostTensor tensor) {
  if (tensor.dtype == DType::i1) {
    auto *bytes = static_cast<unsigned char *>(tensor.data());
    for (size_t k = 0, e = tensor.byteSize(); k < e; ++k)
      bytes[k] = bytes[k] != 0;
  }
  return tensor;
}

Expected<HostTensor> runner::parseNpy(StringRef bytes, StringRef name) {
  auto array = npy::parse(bytes, name);
  if (!array)
    return array.takeError();
  auto header = typedHeader(std::move(array->header), name);
  if (!header)
    return header.takeError();
  StringRef data = array->data;
  auto tensor = HostTensor::allocate(header->dtype, header->shape);
  if (!tensor)
    return inputTooLarge(tensor.takeError(), name);
  if (data.size() != tensor->byteSize())
    return sizeMismatch(*tensor, Twine(data.size()),
                        data.size() < tensor->byteSize(), name);
  if (!data.empty()) // an empty array (a batch of 0) has no storage
    std::memcpy(tensor->data(), data.data(), data.size());
  return normalizeBools(std::move(*tensor));
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
  auto lengthBytes = npy::lengthFieldBytes(StringRef(preamble, 8), name);
  if (!lengthBytes)
    return lengthBytes.takeError();
  got = readUpTo(file, preamble + 8, *lengthBytes);
  if (!got)
    return ioError(got.takeError());
  if (*got < *lengthBytes)
    return fail("it is truncated inside the header");
  uint64_t headerLength =
      npy::headerLength(StringRef(preamble, 8 + *lengthBytes), *lengthBytes);
  if (headerLength > npy::kMaxHeaderBytes)
    return fail("its header announces " + Twine(headerLength) +
                " bytes, more than the " + Twine(npy::kMaxHeaderBytes) +
                " an array of numbers needs");
  std::string headerText(headerLength, '\0');
  got = readUpTo(file, headerText.data(), headerLength);
  if (!got)
    return ioError(got.takeError());
  if (*got < headerLength)
    return fail("it is truncated inside the header");
  auto header = typedHeader(npy::parseHeader(headerText, name), name);
  if (!header)
    return header.takeError();
  auto tensor = HostTensor::allocate(header->dtype, header->shape);
  if (!tensor)
    return inputTooLarge(tensor.takeError(), name);
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
  return normalizeBools(std::move(*tensor));
}

Expected<HostTensor> runner::readNpy(StringRef path) {
  // stdin is read through file descriptor 0, from where it stands (a file
  // redirected to it and partly read by the caller is not read again from
  // its start, as opening /dev/stdin would).
  if (path == "/dev/stdin")
    return readNpyFrom(0, path);
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

  return writeTemporaryBeside(path, [&](raw_ostream &os) {
    os << npy::kMagic << '\x01' << '\x00';
    uint16_t length = header.size();
    os << char(length & 0xff) << char(length >> 8) << header;
    os.write(static_cast<const char *>(tensor.data()), tensor.byteSize());
  });
}

/// Whether `path` names something other than a regular file or a folder
/// (a device such as /dev/null, a fifo, a socket), following links: an
/// output is written into it, never renamed over it.
static bool isSpecialFile(StringRef path) {
  sys::fs::file_status status;
  if (sys::fs::status(path, status, /*follow=*/true))
    return false; // not there (or a dangling link): a new file
  sys::fs::file_type type = status.type();
  return type != sys::fs::file_type::regular_file &&
         type != sys::fs::file_type::directory_file;
}

/// The file an output at `path` replaces: the target of a symbolic link
/// (which stays a link), else `path`.
static SmallString<128> outputTarget(StringRef path) {
  SmallString<128> real;
  if (!sys::fs::is_symlink_file(path))
    return SmallString<128>(path);
  if (!sys::fs::real_path(path, real))
    return real;
  // A link to a file not there yet: the file it names, created through it
  // as a shell's `> link` would (followed for a bounded number of links).
  SmallString<128> at(path);
  for (int hop = 0; hop < 40 && sys::fs::is_symlink_file(at); ++hop) {
    char target[4096];
    ssize_t n = ::readlink(at.c_str(), target, sizeof target - 1);
    if (n <= 0)
      break;
    StringRef to(target, n);
    SmallString<128> next;
    if (sys::path::is_absolute(to)) {
      next = to;
    } else {
      next = sys::path::parent_path(at);
      sys::path::append(next, to);
    }
    at = next;
  }
  return at;
}

/// A new temporary file beside `path`'s target (in the temporary folder for
/// a special file), open for writing as `fd`, and removed by LLVM's signal
/// handlers if Ctrl-C or SIGTERM ends the process before it is placed.
static Expected<std::string> createTemporaryBeside(StringRef path, int &fd) {
  SmallString<128> temp;
  if (isSpecialFile(path)) {
    if (std::error_code ec =
            sys::fs::createTemporaryFile("predict-output", "tmp", fd, temp))
      return makeError("cannot write output '" + path + "': " + ec.message());
    sys::RemoveFileOnSignal(temp);
    return std::string(temp);
  }
  SmallString<128> target = outputTarget(path);
  if (sys::fs::is_symlink_file(target))
    return makeError("cannot write output '" + path +
                     "': too many levels of symbolic links (a loop?)");
  // Replacing a file is writing it: one the user made read-only is refused
  // as `>` or numpy.save would refuse it (root may, as there).
  if (sys::fs::exists(target) &&
      sys::fs::access(target, sys::fs::AccessMode::Write))
    return makeError("cannot write output '" + path +
                     "': permission denied (the file is read-only)");
  SmallString<128> dir(target);
  sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  // `.NAME.XXXXXX.tmp`, or a shorter name where that would pass the limit
  // of a file name (255 bytes) that NAME itself keeps.
  StringRef name = sys::path::filename(target);
  std::string model = name.size() + 12 <= 255
                          ? ("." + name + ".%%%%%%.tmp").str()
                          : std::string(".predict-output.%%%%%%%%.tmp");
  if (std::error_code ec =
          sys::fs::createUniqueFile(dir + "/" + model, fd, temp))
    return makeError("cannot write output '" + path + "': " + ec.message());
  sys::RemoveFileOnSignal(temp);
  return std::string(temp);
}

void runner::discardTemporary(StringRef temp) {
  sys::fs::remove(temp);
  sys::DontRemoveFileOnSignal(temp);
}

Expected<std::string> runner::createTemporaryBeside(StringRef path) {
  int fd;
  auto temp = ::createTemporaryBeside(path, fd);
  if (temp)
    ::close(fd);
  return temp;
}

/// Whether `path` (followed through links) is the file `fd` is open on.
static bool sameFileAs(StringRef path, int fd) {
  struct stat named, open;
  std::string p = path.str();
  return ::stat(p.c_str(), &named) == 0 && ::fstat(fd, &open) == 0 &&
         named.st_dev == open.st_dev && named.st_ino == open.st_ino;
}

bool runner::isStdoutPath(StringRef path) {
  // A stdout closed from the start is /dev/null (guardStandardFiles), not a
  // file its other names reach.
  return path == "-" || path == "/dev/stdout" || path == "/dev/fd/1" ||
         path == "/proc/self/fd/1" ||
         (!predict::stdoutWasClosed() && sameFileAs(path, 1));
}

bool runner::isStdinPath(StringRef path) {
  if (path == "-" || path == "/dev/stdin" || path == "/dev/fd/0" ||
      path == "/proc/self/fd/0")
    return true;
  // Another name of a pipe or terminal stdin reads (a link to /dev/stdin):
  // a regular file that is also stdin can be read by its name again.
  struct stat open;
  return sameFileAs(path, 0) && ::fstat(0, &open) == 0 &&
         !S_ISREG(open.st_mode);
}

bool runner::isSpecialOutput(StringRef path) {
  return isStdoutPath(path) || isSpecialFile(path);
}

Error runner::placeOutput(StringRef temp, StringRef path) {
  // Renamed or removed below: no longer for the signal handlers to remove.
  llvm::scope_exit unregister([&] { sys::DontRemoveFileOnSignal(temp); });
  std::error_code ec;
  if (isStdoutPath(path)) {
    if (predict::stdoutWasClosed()) {
      sys::fs::remove(temp);
      return makeError("cannot write output '" + path +
                       "': standard output is closed");
    }
    // Through the process's own stdout, where it points now: a file it was
    // redirected to (`>> log`) is appended to, never replaced by a rename
    // onto its path.
    auto bytes = MemoryBuffer::getFile(temp, /*IsText=*/false,
                                       /*RequiresNullTerminator=*/false);
    sys::fs::remove(temp);
    if (!bytes)
      return makeError("cannot write output '" + path +
                       "': " + bytes.getError().message());
    outs() << (*bytes)->getBuffer();
    outs().flush();
    if (outs().has_error()) {
      std::string message = outs().error().message();
      outs().clear_error();
      return makeError("cannot write output '" + path + "': " + message);
    }
    return Error::success();
  }
  if (isSpecialFile(path)) {
    ec = sys::fs::copy_file(temp, path);
    sys::fs::remove(temp);
  } else {
    // A file replaced keeps its permission bits (a private file stays
    // private), as writing into it would.
    SmallString<128> target = outputTarget(path);
    if (auto perms = sys::fs::getPermissions(target))
      (void)sys::fs::setPermissions(temp, *perms);
    ec = sys::fs::rename(temp, target);
    if (ec)
      sys::fs::remove(temp);
  }
  if (ec)
    return makeError("cannot write output '" + path + "': " + ec.message());
  return Error::success();
}

Expected<std::string>
runner::writeTemporaryBeside(StringRef path,
                             function_ref<void(raw_ostream &)> write) {
  int fd;
  auto temp = ::createTemporaryBeside(path, fd);
  if (!temp)
    return temp.takeError();
  raw_fd_ostream os(fd, /*shouldClose=*/true);
  write(os);
  os.close();
  if (os.has_error()) {
    std::string message = os.error().message();
    os.clear_error();
    discardTemporary(*temp);
    return makeError("cannot write output '" + path + "': " + message);
  }
  return temp;
}

Error runner::writeNpy(const HostTensor &tensor, StringRef path) {
  auto temp = writeNpyTemporary(tensor, path);
  if (!temp)
    return temp.takeError();
  return placeOutput(*temp, path);
}
