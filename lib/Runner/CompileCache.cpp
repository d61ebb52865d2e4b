//===- CompileCache.cpp - the cache of compiled libraries -----------------===//

#include "predict/Runner/CompileCache.h"
#include "Errors.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <set>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

using namespace mlir::predict;
using namespace mlir::predict::runner;
using llvm::Error;
using llvm::Expected;

std::string runner::cacheFolder() {
  if (auto dir = llvm::sys::Process::GetEnv("PREDICT_CACHE_DIR");
      dir && !dir->empty())
    return *dir;
  // $HOME, or the password database's home when $HOME is unset or empty
  // (as _cache.py's folder(); LLVM's home_directory gives "" for an empty
  // $HOME, which would put the cache in the working folder).
  llvm::SmallString<128> home;
  if (auto env = llvm::sys::Process::GetEnv("HOME"); env && !env->empty())
    home = *env;
  else if (const passwd *entry = getpwuid(getuid()); entry && entry->pw_dir)
    home = entry->pw_dir;
  if (home.empty())
    return "";
  llvm::sys::path::append(home, ".cache", "predict");
  return home.str().str();
}

/// The permission bits of `mode` in octal, as ls and chmod write them.
static std::string octal(mode_t mode) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%o", mode & 07777);
  return text;
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

std::vector<std::array<int64_t, 5>>
runner::fileStamps(llvm::ArrayRef<std::string> paths) {
  std::vector<std::array<int64_t, 5>> stamps;
  for (const std::string &path : paths) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      stamps.push_back({0, 0, 0, 0, 0});
      continue;
    }
    stamps.push_back(
        {int64_t(st.st_dev), int64_t(st.st_ino), int64_t(st.st_size),
         int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
         int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec});
  }
  return stamps;
}

/// Reads the file at `path` a piece at a time, giving each to `consume`:
/// a model's weights hashed whole (or a library checksummed) would
/// otherwise all be in memory at once, beside the model itself.
static std::error_code
readInPieces(llvm::StringRef path,
             llvm::function_ref<void(llvm::StringRef)> consume) {
  llvm::Expected<llvm::sys::fs::file_t> file =
      llvm::sys::fs::openNativeFileForRead(path);
  if (!file)
    return llvm::errorToErrorCode(file.takeError());
  std::vector<char> buffer(1 << 20);
  std::error_code ec;
  while (true) {
    llvm::Expected<size_t> got = llvm::sys::fs::readNativeFile(
        *file, llvm::MutableArrayRef<char>(buffer.data(), buffer.size()));
    if (!got) {
      ec = llvm::errorToErrorCode(got.takeError());
      break;
    }
    if (*got == 0)
      break;
    consume(llvm::StringRef(buffer.data(), *got));
  }
  llvm::sys::fs::closeFile(*file);
  return ec;
}

Expected<std::string> runner::cacheKey(llvm::StringRef compiler,
                                       llvm::ArrayRef<std::string> inputs,
                                       llvm::ArrayRef<std::string> args) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(compiler, status))
    return makeError("cannot read '" + compiler + "': " + ec.message());
  llvm::SHA256 hash;
  hash.update("predict-cache-2");
  hash.update(llvm::StringRef("\0", 1));
  // Size and time of the compiler, then of the files of predict it reads.
  llvm::SmallString<256> bin = llvm::sys::path::parent_path(compiler);
  llvm::SmallString<256> runtime(bin), reader(bin);
  llvm::sys::path::append(runtime, "..", "lib", "predict",
                          "libpredict_runtime.a");
  if (auto dir = llvm::sys::Process::GetEnv("PREDICT_PYTHON_DIR");
      dir && !dir->empty())
    reader = *dir;
  else
    llvm::sys::path::append(reader, "..", "share", "predict", "python");
  llvm::sys::path::append(reader, "predict_read_source.py");
  // ("-" for a file that is missing: the compile says what it needs.)
  for (llvm::StringRef path :
       {llvm::StringRef(compiler), llvm::StringRef(runtime),
        llvm::StringRef(reader)}) {
    bool found = !llvm::sys::fs::status(path, status);
    hash.update(found ? std::to_string(status.getSize()) : "-");
    hash.update(llvm::StringRef("\0", 1));
    hash.update(
        found ? std::to_string(
                    status.getLastModificationTime().time_since_epoch().count())
              : "-");
    hash.update(llvm::StringRef("\0", 1));
  }
  // The model's path as given: the library's run-time messages name it.
  if (!inputs.empty())
    hash.update(inputs.front());
  hash.update(llvm::StringRef("\0", 1));
  for (const std::string &path : inputs) {
    if (std::error_code ec = readInPieces(
            path, [&](llvm::StringRef piece) { hash.update(piece); }))
      return makeError("cannot read '" + path + "': " + ec.message());
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

/// The CRC-32 of the file at `path` as eight lowercase hex digits (zlib's,
/// as Python's `zlib.crc32`: _cache.py's _checksum), or "" when it cannot
/// be read. zlib's: about 3 GB/s, a tenth of the key's SHA-256 here.
static std::string checksumOf(llvm::StringRef path) {
  uLong crc = crc32_z(0, nullptr, 0);
  if (readInPieces(path, [&](llvm::StringRef piece) {
        crc = crc32_z(crc, reinterpret_cast<const Bytef *>(piece.data()),
                      piece.size());
      }))
    return "";
  std::string hex;
  llvm::raw_string_ostream(hex) << llvm::format_hex_no_prefix(crc, 8);
  return hex;
}

/// Whether the library of an entry is as it was written: its bytes have
/// the CRC-32 written beside it (`<library>.crc32`). A library cut short
/// would be mapped past its end and fault when loaded; one damaged in
/// place (zeroed code) would crash when called.
static bool isIntactEntry(llvm::StringRef library) {
  auto stored = llvm::MemoryBuffer::getFile(library + ".crc32");
  if (!stored)
    return false;
  std::string crc = checksumOf(library);
  return !crc.empty() && (*stored)->getBuffer().trim() == crc;
}

/// The real path of the cache folder `folder` (which exists), once it is
/// known that no one but this user (and root) can change what is in it: a
/// library there is loaded into this process. The folder must be this
/// user's and writable by no one else, and each folder above it root's or
/// this user's, writable by no one else unless sticky (as /tmp: others
/// cannot move what is not theirs). Links are resolved once, here: the real
/// path is used from then on, so a link swapped later changes nothing (ssh's
/// StrictModes asks the same of ~/.ssh). As _cache.py's _trusted().
static Expected<std::string> trustedFolder(llvm::StringRef folder) {
  llvm::SmallString<256> real;
  std::string problem;
  struct stat st;
  if (std::error_code ec = llvm::sys::fs::real_path(folder, real))
    problem = "it cannot be read: " + ec.message();
  else if (::stat(real.c_str(), &st) != 0)
    problem = std::string("it cannot be read: ") + strerror(errno);
  else if (st.st_uid != geteuid())
    problem =
        "it belongs to another user (uid " + std::to_string(st.st_uid) + ")";
  else if (st.st_mode & (S_IWGRP | S_IWOTH))
    problem = "others can write in it (mode " + octal(st.st_mode) +
              ": `chmod go-w` it)";
  for (llvm::StringRef parent = llvm::sys::path::parent_path(real);
       problem.empty() && !parent.empty();
       parent = llvm::sys::path::parent_path(parent)) {
    if (::stat(parent.str().c_str(), &st) != 0)
      problem = "the folder '" + parent.str() +
                "' above it cannot be read: " + strerror(errno);
    else if (st.st_uid != 0 && st.st_uid != geteuid())
      problem = "the folder '" + parent.str() +
                "' above it belongs to another user (uid " +
                std::to_string(st.st_uid) + ")";
    else if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
      problem = "others can write in the folder '" + parent.str() +
                "' above it (mode " + octal(st.st_mode) + ")";
  }
  if (problem.empty())
    return real.str().str();
  return makeError("the cache folder '" + folder + "' is not used: " + problem +
                   ", and a library put there by someone else would run in "
                   "this process; set PREDICT_CACHE_DIR to a folder of your "
                   "own");
}

/// Whether the entry folder `entry` and its files (holdsEntryFiles') are
/// writable by their owner alone, as cachedLibrary makes them: one that
/// others could have written (made by an older predict under umask 002)
/// is not trusted, but compiled again. As _cache.py's _sealed().
static bool isSealed(llvm::StringRef entry) {
  auto ownerWritesAlone = [](const std::string &path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 &&
           !(st.st_mode & (S_IWGRP | S_IWOTH));
  };
  if (!ownerWritesAlone(entry.str()))
    return false;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(entry, ec), end; it != end;
       it.increment(ec))
    if (ec || !ownerWritesAlone(it->path()))
      return false;
  return !ec;
}

/// Whether `path` is a folder (not a link) of this user's holding nothing
/// but this user's files of a cache entry (libmodel.so, its .crc32,
/// model.h, and the temporaries `.NAME.XXXXXX.tmp` they are written to).
/// As _cache.py's _holds_entry_files().
static bool holdsEntryFiles(llvm::StringRef path) {
  // This user's, of `kind` (S_IFDIR, S_IFREG), not followed if a link.
  auto own = [](const std::string &path, mode_t kind) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == kind &&
           st.st_uid == geteuid();
  };
  if (!own(path.str(), S_IFDIR))
    return false;
  auto isEntryFile = [](llvm::StringRef name) {
    return name == "libmodel.so" || name == "libmodel.so.crc32" ||
           name == "model.h";
  };
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end;
       it.increment(ec)) {
    if (ec)
      return false;
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    llvm::StringRef temp = name;
    // This user's regular files only (not a folder, a link or a fifo of
    // that name).
    if (!own(it->path(), S_IFREG))
      return false;
    if (isEntryFile(name) ||
        (temp.consume_front(".") && temp.consume_back(".tmp") &&
         isEntryFile(temp.rsplit('.').first)))
      continue;
    return false;
  }
  return !ec;
}

/// Removes the temporary folders (`.tmp-<pid>-*`) that processes no longer
/// running left in `folder`: a compile interrupted (Ctrl-C) or killed
/// cannot remove its own. A folder whose process runs, whose name has no
/// pid, or that holds other files than an entry's, is left alone. As
/// _cache.py's _remove_abandoned().
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
    if (kill(pid_t(pid), 0) != 0 && errno == ESRCH &&
        holdsEntryFiles(it->path()))
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
  llvm::StringRef named = folder;
  // Each missing folder of its path is made mode 700 (then checked: one
  // made by another user first is theirs).
  if (std::error_code ec = llvm::sys::fs::create_directories(
          absolute, /*IgnoreExisting=*/true, llvm::sys::fs::perms::owner_all))
    return makeError("cannot create the cache folder '" + named +
                     "': " + ec.message());
  Expected<std::string> trusted = trustedFolder(absolute);
  if (!trusted)
    return trusted.takeError();
  folder = *trusted;
  llvm::SmallString<128> entry(folder), library;
  llvm::sys::path::append(entry, key);
  library = entry;
  llvm::sys::path::append(library, "libmodel.so");
  hit = false;
  // An entry without a whole, unchanged library (cut short, damaged,
  // emptied by hand, writable by others) is compiled again; a folder of
  // other files under its name is the user's: an error (predict-run then
  // uses the JIT), never removed. Its files are known regular before any
  // is read (a fifo would block).
  if (llvm::sys::fs::exists(entry)) {
    if (!holdsEntryFiles(entry))
      return makeError("the cache folder '" + named + "' holds '" + key +
                       "', which is not a cache entry of predict's: move it, "
                       "or set PREDICT_CACHE_DIR to a folder of its own");
    hit = isSealed(entry) && isIntactEntry(library);
    if (hit)
      return library.str().str();
    llvm::sys::fs::remove_directories(entry);
  }
  removeAbandonedTemps(folder);
  llvm::SmallString<128> temp;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(
          llvm::Twine(folder) + "/.tmp-" + llvm::Twine(getpid()), temp))
    return makeError("cannot write in the cache folder '" + named +
                     "': " + ec.message());
  // Writable by no one else, whatever the umask (isSealed).
  llvm::sys::fs::setPermissions(temp, llvm::sys::fs::perms::owner_all);
  llvm::SmallString<128> tempLibrary(temp), tempHeader(temp);
  llvm::sys::path::append(tempLibrary, "libmodel.so");
  llvm::sys::path::append(tempHeader, "model.h");
  Error error = write(tempLibrary, tempHeader);
  if (!error) {
    std::string checksum = (tempLibrary + ".crc32").str();
    std::string crc = checksumOf(tempLibrary);
    std::error_code ec;
    llvm::raw_fd_ostream out(checksum, ec);
    out << crc << "\n";
    out.close();
    if (crc.empty() || ec || out.has_error())
      error = makeError("cannot write the cache entry's checksum '" + checksum +
                        "'");
    out.clear_error();
    using llvm::sys::fs::perms;
    for (auto [path, mode] :
         {std::pair<llvm::StringRef, perms>{tempLibrary, perms::owner_all},
          {tempHeader, perms(perms::owner_read | perms::owner_write)},
          {checksum, perms(perms::owner_read | perms::owner_write)}})
      if (!error && llvm::sys::fs::exists(path) &&
          llvm::sys::fs::setPermissions(path, mode))
        error = makeError("cannot seal the cache entry's file '" + path + "'");
  }
  // Another process may have made the entry meanwhile: theirs stays.
  if (!error && llvm::sys::fs::rename(temp, entry) &&
      !llvm::sys::fs::exists(library))
    error = makeError("cannot write the cache entry '" + entry + "'");
  llvm::sys::fs::remove_directories(temp);
  if (error)
    return std::move(error);
  return library.str().str();
}
