//===- CompileCache.cpp - the cache of compiled libraries -----------------===//

#include "predict/Runner/CompileCache.h"
#include "Errors.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"

#include <cerrno>
#include <set>
#include <signal.h>
#include <unistd.h>

using namespace mlir::predict;
using namespace mlir::predict::runner;
using llvm::Error;
using llvm::Expected;

std::string runner::cacheFolder() {
  if (auto dir = llvm::sys::Process::GetEnv("PREDICT_CACHE_DIR");
      dir && !dir->empty())
    return *dir;
  llvm::SmallString<128> home;
  if (!llvm::sys::path::home_directory(home))
    return "";
  llvm::sys::path::append(home, ".cache", "predict");
  return home.str().str();
}

/// The CPU's `model name` and `flags` lines of /proc/cpuinfo, each once,
/// sorted, with their newlines (as _cache.py's _cpu()).
static std::string cpuLines() {
  auto text = llvm::MemoryBuffer::getFileAsStream("/proc/cpuinfo");
  if (!text)
    return "";
  std::set<std::string> lines;
  llvm::StringRef rest = (*text)->getBuffer();
  while (!rest.empty()) {
    auto [line, after] = rest.split('\n');
    if (line.starts_with("model name") || line.starts_with("flags"))
      lines.insert(line.str() + "\n");
    rest = after;
  }
  std::string all;
  for (const std::string &line : lines)
    all += line;
  return all;
}

Expected<std::string> runner::cacheKey(llvm::StringRef compiler,
                                       llvm::ArrayRef<std::string> inputs,
                                       llvm::ArrayRef<std::string> args) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(compiler, status))
    return makeError("cannot read '" + compiler + "': " + ec.message());
  llvm::SHA256 hash;
  hash.update("predict-cache-1");
  hash.update(llvm::StringRef("\0", 1));
  hash.update(std::to_string(status.getSize()));
  hash.update(llvm::StringRef("\0", 1));
  hash.update(std::to_string(
      status.getLastModificationTime().time_since_epoch().count()));
  hash.update(llvm::StringRef("\0", 1));
  // The model's path as given: the library's run-time messages name it.
  if (!inputs.empty())
    hash.update(inputs.front());
  hash.update(llvm::StringRef("\0", 1));
  for (const std::string &path : inputs) {
    auto bytes = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (!bytes)
      return makeError("cannot read '" + path +
                       "': " + bytes.getError().message());
    hash.update((*bytes)->getBuffer());
    hash.update(llvm::StringRef("\0", 1));
  }
  for (auto [i, arg] : llvm::enumerate(args)) {
    if (i)
      hash.update(llvm::StringRef("\0", 1));
    hash.update(arg);
  }
  hash.update(cpuLines());
  return llvm::toHex(hash.final(), /*LowerCase=*/true).substr(0, 32);
}

/// Whether `path` is a whole 64-bit ELF file: its section headers, which
/// the linker writes last, end within it. A truncated library would be
/// mapped past its end and fault when loaded.
static bool isWholeElf(llvm::StringRef path) {
  auto bytes = llvm::MemoryBuffer::getFileSlice(path, 64, 0, false);
  uint64_t size;
  if (!bytes || (*bytes)->getBufferSize() < 64 ||
      llvm::sys::fs::file_size(path, size))
    return false;
  llvm::StringRef head = (*bytes)->getBuffer();
  if (!head.starts_with("\x7f" "ELF\x02\x01"))
    return false; // not little-endian 64-bit ELF
  auto field = [&](size_t at, size_t width) {
    uint64_t value = 0;
    for (size_t i = 0; i < width; ++i)
      value |= uint64_t(uint8_t(head[at + i])) << (8 * i);
    return value;
  };
  uint64_t offset = field(0x28, 8), entry = field(0x3a, 2),
           count = field(0x3c, 2);
  return offset <= size && entry * count <= size - offset;
}

/// Removes the temporary folders (`.tmp-<pid>-*`) that processes no longer
/// running left in `folder`: a compile interrupted (Ctrl-C) or killed
/// cannot remove its own. A folder whose process runs, or whose name has no
/// pid, is left alone. As _cache.py's _remove_abandoned().
static void removeAbandonedTemps(llvm::StringRef folder) {
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(folder, ec), end; !ec && it != end;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    unsigned pid;
    if (!name.consume_front(".tmp-") ||
        name.split('-').first.getAsInteger(10, pid) || pid == 0 ||
        pid > INT32_MAX)
      continue;
    if (kill(pid_t(pid), 0) != 0 && errno == ESRCH)
      llvm::sys::fs::remove_directories(it->path());
  }
}

Expected<std::string> runner::cachedLibrary(
    llvm::StringRef folder, llvm::StringRef key,
    llvm::function_ref<Error(llvm::StringRef, llvm::StringRef)> write,
    bool &hit) {
  // Absolute: LLVM makes a relative model of createUniqueDirectory
  // relative to the system's temporary folder, not to the working one.
  llvm::SmallString<128> absolute(folder);
  if (std::error_code ec = llvm::sys::fs::make_absolute(absolute))
    return makeError("cannot find the cache folder '" + folder +
                     "': " + ec.message());
  folder = absolute;
  llvm::SmallString<128> entry(folder), library;
  llvm::sys::path::append(entry, key);
  library = entry;
  llvm::sys::path::append(library, "libmodel.so");
  hit = isWholeElf(library);
  if (hit)
    return library.str().str();
  // An entry without a whole library (cut short, emptied by hand) is
  // compiled again.
  if (llvm::sys::fs::exists(entry))
    llvm::sys::fs::remove_directories(entry);
  if (std::error_code ec = llvm::sys::fs::create_directories(folder))
    return makeError("cannot create the cache folder '" + folder +
                     "': " + ec.message());
  removeAbandonedTemps(folder);
  llvm::SmallString<128> temp;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(
          llvm::Twine(folder) + "/.tmp-" + llvm::Twine(getpid()), temp))
    return makeError("cannot write in the cache folder '" + folder +
                     "': " + ec.message());
  llvm::SmallString<128> tempLibrary(temp), tempHeader(temp);
  llvm::sys::path::append(tempLibrary, "libmodel.so");
  llvm::sys::path::append(tempHeader, "model.h");
  Error error = write(tempLibrary, tempHeader);
  // Another process may have made the entry meanwhile: theirs stays.
  if (!error && llvm::sys::fs::rename(temp, entry) &&
      !llvm::sys::fs::exists(library))
    error = makeError("cannot write the cache entry '" + entry + "'");
  llvm::sys::fs::remove_directories(temp);
  if (error)
    return std::move(error);
  return library.str().str();
}
