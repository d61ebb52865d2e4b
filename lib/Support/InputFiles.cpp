//===- InputFiles.cpp - bounded reads of untrusted input files ------------===//

#include "predict/Support/InputFiles.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/thread.h"

#include <algorithm>
#include <cstring>

using namespace mlir::predict;
using llvm::Twine;

static llvm::Error fail(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// `4294967296` -> `4096 MiB`, for limits given in MiB.
static std::string mib(uint64_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

llvm::Error mlir::predict::checkInputFile(llvm::StringRef path,
                                          llvm::StringRef what,
                                          InputLimit limit, bool allowStreams) {
  std::string named =
      (what.empty() ? std::string("'") : (what + " '").str()) + path.str() + "'";
  if (path == "-") {
    if (allowStreams)
      return llvm::Error::success();
    return fail("cannot read " + (what.empty() ? "this" : what) +
                " from stdin: give a file");
  }
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return fail("cannot read " + named + ": " + ec.message());
  switch (status.type()) {
  case llvm::sys::fs::file_type::regular_file:
    break;
  case llvm::sys::fs::file_type::fifo_file:
    if (allowStreams)
      return llvm::Error::success();
    return fail("cannot read " + named +
                ": it is a fifo, not a file (this reader needs a file)");
  case llvm::sys::fs::file_type::directory_file:
    return fail("cannot read " + named + ": it is a directory");
  default:
    return fail("cannot read " + named +
                ": it is a device or socket, not a file");
  }
  if (status.getSize() > limit.value)
    return fail(named + " has " + Twine(status.getSize()) +
                " bytes, more than the limit of " + mib(limit.value) + " (" +
                limit.flag + " to raise it)");
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
mlir::predict::readInputFile(llvm::StringRef path, llvm::StringRef what,
                             InputLimit limit) {
  if (llvm::Error e = checkInputFile(path, what, limit, /*allowStreams=*/true))
    return std::move(e);
  std::string named =
      path == "-"
          ? (what.empty() ? std::string("stdin") : (what + " from stdin").str())
          : (what.empty() ? std::string("'") : (what + " '").str()) +
                path.str() + "'";
  // A regular file is read once into its buffer, not read and copied: a
  // model's IR may hold its weights (MLIR bytecode's resources are then
  // read in place from the buffer: loadModule), and reading 700 MB of text
  // into a string and then copying it doubled the peak (docs/benchmarks.md,
  // "Memory"). Read, not mapped (IsVolatile): a mapped file truncated by
  // another program while it runs (or by the command's own output: `-o`
  // naming its input) would crash it with SIGBUS; the pages of weights
  // that are no longer needed are given back all the same (PackKernels).
  if (path != "-" && llvm::sys::fs::is_regular_file(path)) {
    auto read = llvm::MemoryBuffer::getFile(
        path, /*IsText=*/false, /*RequiresNullTerminator=*/true,
        /*IsVolatile=*/true, llvm::Align(kInputAlignment));
    if (!read)
      return fail("cannot read " + named + ": " + read.getError().message());
    if ((*read)->getBufferSize() > limit.value)
      return fail(named + " has more than the limit of " + mib(limit.value) +
                  " (" + limit.flag + " to raise it)");
    return std::move(*read);
  }
  llvm::Expected<llvm::sys::fs::file_t> file =
      path == "-" ? llvm::sys::fs::getStdinHandle()
                  : llvm::sys::fs::openNativeFileForRead(path);
  if (!file)
    return fail("cannot read " + named + ": " +
                llvm::toString(file.takeError()));
  // Read in chunks up to one byte past the limit: a regular file was
  // checked by size, but a fifo or stdin can only be bounded as it comes.
  llvm::SmallString<0> data;
  std::error_code readError;
  while (true) {
    size_t chunk = 1 << 20;
    size_t at = data.size();
    data.resize_for_overwrite(at + chunk);
    llvm::Expected<size_t> got = llvm::sys::fs::readNativeFile(
        *file, llvm::MutableArrayRef<char>(data.data() + at, chunk));
    if (!got) {
      readError = llvm::errorToErrorCode(got.takeError());
      data.truncate(at);
      break;
    }
    data.truncate(at + *got);
    if (*got == 0 || data.size() > limit.value)
      break;
  }
  if (path != "-")
    llvm::sys::fs::closeFile(*file);
  if (readError)
    return fail("cannot read " + named + ": " + readError.message());
  if (data.size() > limit.value)
    return fail(named + " has more than the limit of " +
                mib(limit.value) + " (" + limit.flag + " to raise it)");
  auto buffer = llvm::WritableMemoryBuffer::getNewUninitMemBuffer(
      data.size(), path == "-" ? "<stdin>" : path,
      llvm::Align(kInputAlignment));
  if (!buffer)
    return fail("cannot read " + named + ": out of memory");
  std::memcpy(buffer->getBufferStart(), data.data(), data.size());
  return std::move(buffer);
}

unsigned mlir::predict::nestingDepth(llvm::StringRef text,
                                     NestingSyntax syntax) {
  bool mlir = syntax == NestingSyntax::mlir;
  unsigned depth = 0, deepest = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    if (c == '"') {
      // A string: skip to its unescaped closing quote.
      for (++i; i < e && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      continue;
    }
    if (mlir && c == '/' && i + 1 < e && text[i + 1] == '/') {
      while (i < e && text[i] != '\n')
        ++i;
      continue;
    }
    bool open = c == '[' || c == '{' || (mlir && (c == '(' || c == '<'));
    bool close = c == ']' || c == '}' || (mlir && (c == ')' || c == '>'));
    // `->` and `>=` (integer sets) are not brackets.
    if (mlir && c == '>' &&
        ((i > 0 && text[i - 1] == '-') || (i + 1 < e && text[i + 1] == '=')))
      close = false;
    if (mlir && c == '<' && i + 1 < e && text[i + 1] == '=')
      open = false;
    if (open)
      deepest = std::max(deepest, ++depth);
    else if (close && depth > 0)
      --depth;
  }
  return deepest;
}

llvm::Error mlir::predict::checkNesting(llvm::StringRef text,
                                        llvm::StringRef name,
                                        NestingSyntax syntax,
                                        InputLimit limit) {
  // MLIR bytecode is binary: its bytes (a model's weights) are no brackets.
  if (syntax == NestingSyntax::mlir && text.starts_with("ML\xefR"))
    return llvm::Error::success();
  unsigned depth = nestingDepth(text, syntax);
  if (depth <= limit.value)
    return llvm::Error::success();
  return fail("'" + name + "' nests too deeply: " + Twine(depth) +
              " levels of brackets (limit " + Twine(limit.value) + ", " +
              limit.flag + " to raise it)");
}

size_t mlir::predict::stackBytesForNesting(uint64_t depth) {
  // MLIR 22's parser, verifier and printer recurse once per nested region
  // (llvm::json's parser once per bracket): predict-opt parses, verifies
  // and prints 20000 nested regions in 16 KiB a level, its whole process
  // taking 160 MB of memory. Nothing is committed until used.
  uint64_t bytes = (uint64_t(64) << 20) + depth * (uint64_t(16) << 10);
  return size_t(std::min<uint64_t>(bytes, uint64_t(4000) << 20));
}

void mlir::predict::runWithStack(size_t bytes, llvm::function_ref<void()> fn) {
  llvm::thread worker(std::optional<unsigned>(unsigned(bytes)), [&] { fn(); });
  worker.join();
}

std::string mlir::predict::fileHead(llvm::StringRef path, size_t bytes) {
  if (!llvm::sys::fs::is_regular_file(path))
    return "";
  auto file = llvm::sys::fs::openNativeFileForRead(path);
  if (!file) {
    llvm::consumeError(file.takeError());
    return "";
  }
  std::string head(bytes, '\0');
  auto got = llvm::sys::fs::readNativeFileSlice(
      *file, llvm::MutableArrayRef<char>(head.data(), bytes), 0);
  llvm::sys::fs::closeFile(*file);
  if (!got) {
    llvm::consumeError(got.takeError());
    return "";
  }
  head.resize(*got);
  return head;
}

bool mlir::predict::startsAsHdf5(llvm::StringRef path) {
  return fileHead(path, 8) == llvm::StringRef("\x89HDF\r\n\x1a\n", 8);
}

bool mlir::predict::startsAsZip(llvm::StringRef path) {
  return fileHead(path, 4) == llvm::StringRef("PK\x03\x04", 4);
}
