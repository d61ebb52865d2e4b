//===- H5.cpp - the little of HDF5 that Keras files need ------------------===//
//
// The child process walks the file with the HDF5 library and writes a
// snapshot to a pipe as it goes; the parent reads it as it comes, checking
// every length against what arrived, each array straight into the buffer
// that becomes its weight (neither side holds the whole snapshot: a model's
// weights are in the parent once). The wire format is private to this file:
// records of a tag byte and fields (u32/u64 in host order; a string is a u32
// length and its bytes).
//
//===----------------------------------------------------------------------===//

#include "H5.h"

#include "llvm/ADT/Twine.h"

#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <optional>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PREDICT_ASAN 1
#include <sanitizer/common_interface_defs.h>
#endif
#endif

using namespace mlir::predict::h5;
using llvm::Expected;
using llvm::StringRef;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static unsigned readTimeoutSeconds = 120;
static uint64_t maxArrayBytes = uint64_t(4) << 30;
void mlir::predict::h5::setMaxArrayBytes(uint64_t bytes) {
  maxArrayBytes = bytes;
}
void mlir::predict::h5::setReadTimeout(unsigned seconds) {
  readTimeoutSeconds = seconds;
}

struct File::Object {
  bool isGroup = false, isDataset = false;
  std::vector<std::string> children;
  /// Attribute name -> its strings (empty optional: not a string).
  llvm::StringMap<std::optional<std::vector<std::string>>> attrs;
  std::optional<Array> array;
  std::string arrayError; // why `array` is absent, for a dataset
};

namespace {
enum Tag : uint8_t {
  kObject = 'O',   // path, kind (0 other, 1 group, 2 dataset)
  kAttr = 'A',     // object, name, is-string, count, strings
  kArray = 'D',    // path, rank, dims, count, floats
  kNoArray = 'N',  // path, why
  kChild = 'C',    // parent, name
  kError = 'X',    // message: the file cannot be read
  kEnd = 'E',
};

//===----------------------------------------------------------------------===//
// The child: the HDF5 library, writing the snapshot.
//===----------------------------------------------------------------------===//

/// Writes all of `size` bytes at `data` to `fd`.
static bool writeAll(int fd, const char *data, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += size_t(n);
  }
  return true;
}

/// The child's end of the pipe: small fields are gathered and written in
/// blocks, an array's bytes written as they are.
class Writer {
public:
  explicit Writer(int fd) : fd(fd) {}
  void u8(uint8_t v) { put(reinterpret_cast<char *>(&v), 1); }
  void u32(uint32_t v) { put(reinterpret_cast<char *>(&v), 4); }
  void u64(uint64_t v) { put(reinterpret_cast<char *>(&v), 8); }
  void str(StringRef s) {
    u32(uint32_t(s.size()));
    put(s.data(), s.size());
  }
  void bytes(const char *data, size_t size) {
    flush();
    good = good && writeAll(fd, data, size);
  }
  /// Whether everything was written (the parent may have gone).
  bool flush() {
    good = good && writeAll(fd, out.data(), out.size());
    out.clear();
    return good;
  }

private:
  void put(const char *data, size_t size) {
    out.append(data, size);
    if (out.size() >= (1 << 16))
      flush();
  }
  int fd;
  std::string out;
  bool good = true;
};

/// RAII for HDF5 handles.
struct Handle {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Handle() {
    if (id >= 0)
      close(id);
  }
};

/// The strings of an attribute (a scalar or a 1-D array), or nullopt when
/// it is not a string or cannot be read.
static std::optional<std::vector<std::string>> readStrings(hid_t attr) {
  Handle type{H5Aget_type(attr), H5Tclose};
  Handle space{H5Aget_space(attr), H5Sclose};
  if (type.id < 0 || space.id < 0 || H5Tget_class(type.id) != H5T_STRING)
    return std::nullopt;
  hssize_t count = H5Sget_simple_extent_npoints(space.id);
  if (count < 0 || count > (1 << 24))
    return std::nullopt;
  std::vector<std::string> out;
  if (H5Tis_variable_str(type.id) > 0) {
    std::vector<char *> values(count, nullptr);
    Handle memType{H5Tcopy(H5T_C_S1), H5Tclose};
    H5Tset_size(memType.id, H5T_VARIABLE);
    H5Tset_cset(memType.id, H5Tget_cset(type.id));
    if (H5Aread(attr, memType.id, values.data()) < 0)
      return std::nullopt;
    for (char *v : values)
      out.push_back(v ? v : "");
    H5Dvlen_reclaim(memType.id, space.id, H5P_DEFAULT, values.data());
    return out;
  }
  size_t size = H5Tget_size(type.id);
  if (size == 0 || size > (1 << 24) || uint64_t(size) * count > (1u << 30))
    return std::nullopt;
  std::vector<char> buffer(size * count + 1, 0);
  if (H5Aread(attr, type.id, buffer.data()) < 0)
    return std::nullopt;
  for (hssize_t i = 0; i < count; ++i) {
    const char *s = buffer.data() + i * size;
    out.push_back(std::string(s, strnlen(s, size)));
  }
  return out;
}

struct Walk {
  Writer &w;
  llvm::ArrayRef<std::string> skip;
  std::string object; // the object whose attributes are being read
  uint64_t arrayBytes = 0; // float32 data read so far
};

static herr_t visitAttr(hid_t loc, const char *name, const H5A_info_t *,
                        void *data) {
  auto &walk = *static_cast<Walk *>(data);
  Handle attr{H5Aopen(loc, name, H5P_DEFAULT), H5Aclose};
  std::optional<std::vector<std::string>> strings;
  if (attr.id >= 0)
    strings = readStrings(attr.id);
  walk.w.u8(kAttr);
  walk.w.str(walk.object);
  walk.w.str(name);
  walk.w.u8(strings.has_value());
  walk.w.u32(strings ? uint32_t(strings->size()) : 0);
  if (strings)
    for (const std::string &s : *strings)
      walk.w.str(s);
  return 0;
}

static void writeAttrs(hid_t file, const std::string &path, Walk &walk) {
  walk.object = path;
  hsize_t index = 0;
  H5Aiterate_by_name(file, path.c_str(), H5_INDEX_NAME, H5_ITER_INC, &index,
                     visitAttr, &walk, H5P_DEFAULT);
}

static void writeArray(hid_t file, const std::string &path, Walk &walk) {
  Writer &w = walk.w;
  auto noArray = [&](StringRef why) {
    w.u8(kNoArray);
    w.str(path);
    w.str(why);
  };
  Handle set{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
  if (set.id < 0)
    return noArray("cannot be opened");
  Handle space{H5Dget_space(set.id), H5Sclose};
  Handle type{H5Dget_type(set.id), H5Tclose};
  if (space.id < 0 || type.id < 0 || H5Tget_class(type.id) != H5T_FLOAT)
    return noArray("does not hold floating-point numbers");
  int rank = H5Sget_simple_extent_ndims(space.id);
  if (rank < 0 || rank > 8)
    return noArray("has an unreadable shape");
  hsize_t dims[8];
  H5Sget_simple_extent_dims(space.id, dims, nullptr);
  // The declared shape is checked before anything is allocated: a small
  // damaged (or chunked, never written) file can declare any size.
  uint64_t count = 1;
  std::string shape;
  for (int d = 0; d < rank; ++d)
    shape += (d ? "x" : "") + std::to_string(dims[d]);
  uint64_t budget = maxArrayBytes - std::min(walk.arrayBytes, maxArrayBytes);
  bool empty = false;
  for (int d = 0; d < rank; ++d)
    empty |= dims[d] == 0;
  for (int d = 0; d < rank && !empty; ++d) {
    if (count > budget / sizeof(float) / dims[d]) {
      count = UINT64_MAX;
      break;
    }
    count *= dims[d];
  }
  if (empty)
    count = 0;
  if (count == UINT64_MAX || count * sizeof(float) > budget)
    return noArray("(shape " + shape + ") is not read: with it, the weights "
                   "read from the file would pass the limit of " +
                   std::to_string(maxArrayBytes >> 20) +
                   " MiB (--max-weights-mib to raise it)");
  walk.arrayBytes += count * sizeof(float);
  std::vector<float> data(count);
  if (count && H5Dread(set.id, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       data.data()) < 0)
    return noArray("cannot be read (truncated file?)");
  w.u8(kArray);
  w.str(path);
  w.u32(uint32_t(rank));
  for (int d = 0; d < rank; ++d)
    w.u64(dims[d]);
  w.u64(count);
  w.bytes(reinterpret_cast<const char *>(data.data()),
          data.size() * sizeof(float));
}

static herr_t visitLink(hid_t root, const char *name, const H5L_info_t *info,
                        void *data) {
  auto &walk = *static_cast<Walk *>(data);
  // Soft and external links are not followed (an external link would open
  // another file).
  if (info->type != H5L_TYPE_HARD)
    return 0;
  std::string path = "/" + std::string(name);
  for (const std::string &s : walk.skip)
    if (path == s || StringRef(path).starts_with(s + "/"))
      return 0;
  auto [parent, leaf] = StringRef(path).rsplit('/');
  walk.w.u8(kChild);
  walk.w.str(parent.empty() ? "/" : parent);
  walk.w.str(leaf);
  H5O_info_t object;
  uint8_t kind = 0;
  if (H5Oget_info_by_name2(root, name, &object, H5O_INFO_BASIC, H5P_DEFAULT) >= 0)
    kind = object.type == H5O_TYPE_GROUP     ? 1
           : object.type == H5O_TYPE_DATASET ? 2
                                             : 0;
  walk.w.u8(kObject);
  walk.w.str(path);
  walk.w.u8(kind);
  writeAttrs(root, path, walk);
  if (kind == 2)
    writeArray(root, path, walk);
  return 0;
}

static void writeSnapshot(const std::string &path,
                          llvm::ArrayRef<std::string> skip, Writer &w) {
  auto error = [&](const llvm::Twine &message) {
    w.u8(kError);
    w.str(message.str());
  };
  // Errors are ours to report, not HDF5's to print.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  // HDF5 says only that it failed: open the file ourselves for the reason
  // (permission denied, a folder).
  if (int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK); fd < 0)
    return error("cannot read '" + path + "': " + std::strerror(errno));
  else
    ::close(fd);
  htri_t isHdf5 = H5Fis_hdf5(path.c_str());
  if (isHdf5 < 0)
    return error("cannot read '" + path + "'");
  if (isHdf5 == 0)
    return error("'" + path + "' is not an HDF5 file (no HDF5 signature)");
  Handle file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  if (file.id < 0)
    return error("'" + path + "' is a damaged or truncated HDF5 file");
  Walk walk{w, skip, ""};
  w.u8(kObject);
  w.str("/");
  w.u8(1);
  writeAttrs(file.id, "/", walk);
  if (H5Lvisit(file.id, H5_INDEX_NAME, H5_ITER_INC, visitLink, &walk) < 0)
    return error("'" + path + "' is a damaged HDF5 file (its groups cannot "
                 "be walked)");
  w.u8(kEnd);
}

/// The child that reads the file: its end of the pipe, read within the
/// timeout, and how it ended.
class Child {
public:
  /// Starts the child on `path`.
  static Expected<std::unique_ptr<Child>>
  start(const std::string &path, llvm::ArrayRef<std::string> skip) {
    int fds[2];
    if (::pipe(fds) != 0)
      return fail("cannot read '" + path + "': pipe: " + std::strerror(errno));
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      return fail("cannot read '" + path + "': fork: " + std::strerror(errno));
    }
    if (pid == 0) {
      ::close(fds[0]);
      // What the HDF5 library prints as it fails is not for the user: the
      // parent reports the failure, naming the file.
      int devNull = ::open("/dev/null", O_WRONLY);
      if (devNull >= 0)
        ::dup2(devNull, STDERR_FILENO);
#ifdef PREDICT_ASAN
      // Under libFuzzer, a sanitizer report in the child (a bug of the HDF5
      // library, contained here) is not a crash of the fuzzed code.
      __sanitizer_set_death_callback(nullptr);
#endif
#ifndef PREDICT_ASAN
      // A damaged file can announce any size; the child may not take the
      // machine's memory (ASan's shadow memory rules out such a limit).
      struct rlimit limit = {uint64_t(32) << 30, uint64_t(32) << 30};
      ::setrlimit(RLIMIT_AS, &limit);
#endif
      Writer w(fds[1]);
      writeSnapshot(path, skip, w);
      _exit(w.flush() ? 0 : 1);
    }
    ::close(fds[1]);
    return std::unique_ptr<Child>(new Child(path, pid, fds[0]));
  }
  ~Child() {
    if (fd >= 0)
      llvm::consumeError(finish(/*complete=*/false));
  }

  /// Reads up to `size` bytes into `data`, waiting at most until the
  /// deadline; 0 at the end of the snapshot, on an error or a timeout.
  size_t read(char *data, size_t size) {
    while (!timedOut) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      struct pollfd p = {fd, POLLIN, 0};
      int ready = left > 0 ? ::poll(&p, 1, int(left)) : 0;
      if (ready < 0 && errno == EINTR)
        continue;
      if (ready <= 0) {
        timedOut = true;
        break;
      }
      ssize_t n = ::read(fd, data, size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        ended = true;
        return 0;
      }
      return size_t(n);
    }
    return 0;
  }

  /// Ends the child and says how: an error when it crashed, failed, or
  /// took longer than the timeout. When the snapshot was not `complete`
  /// (the reader found it broken while the child still wrote), the child
  /// is killed and its end is not the reason.
  llvm::Error finish(bool complete) {
    bool killed = timedOut || (!complete && !ended);
    if (killed)
      ::kill(pid, SIGKILL);
    ::close(fd);
    fd = -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut)
      return fail("the HDF5 library did not finish reading '" + path + "' in " +
                  llvm::Twine(readTimeoutSeconds) +
                  " s: the file is damaged, or is not one Keras wrote");
    if (killed)
      return llvm::Error::success();
    if (WIFSIGNALED(status))
      return fail("the HDF5 library crashed reading '" + path + "' (" +
                  strsignal(WTERMSIG(status)) +
                  "): the file is damaged, or is not one Keras wrote");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return fail("cannot read '" + path + "': the reading process failed");
    return llvm::Error::success();
  }

private:
  Child(std::string path, pid_t pid, int fd)
      : path(std::move(path)), pid(pid), fd(fd),
        deadline(std::chrono::steady_clock::now() +
                 std::chrono::seconds(readTimeoutSeconds)) {}
  std::string path;
  pid_t pid;
  int fd;
  std::chrono::steady_clock::time_point deadline;
  bool timedOut = false, ended = false;
};

//===----------------------------------------------------------------------===//
// The parent: reading the snapshot.
//===----------------------------------------------------------------------===//

/// The snapshot as it comes from the child, read through a block buffer;
/// an array's bytes go straight into the array.
class Reader {
public:
  explicit Reader(Child &child) : child(child), buffer(1 << 16) {}
  bool ok() const { return good; }
  uint8_t u8() { return fixed<uint8_t>(); }
  uint32_t u32() { return fixed<uint32_t>(); }
  uint64_t u64() { return fixed<uint64_t>(); }
  std::string str() {
    uint32_t n = u32();
    std::string s;
    // The child's strings are attributes and paths: a length past 1 GiB
    // is a broken snapshot, not one to allocate.
    if (!good || n > (1u << 30)) {
      good = false;
      return s;
    }
    s.resize(n);
    take(s.data(), n);
    return s;
  }
  /// `count` floats, at most the child's limit of bytes.
  bool floats(uint64_t count, mlir::predict::WeightValues &out) {
    if (!good || count > maxArrayBytes / sizeof(float))
      return good = false;
    out.resize(count);
    return take(reinterpret_cast<char *>(out.data()), count * sizeof(float));
  }
  /// Whether the child wrote nothing after what was read.
  bool atEnd() {
    char c;
    return good && pos == end && child.read(&c, 1) == 0;
  }

private:
  template <typename T> T fixed() {
    T v = 0;
    take(reinterpret_cast<char *>(&v), sizeof(T));
    return v;
  }
  /// Copies the next `n` bytes to `data`: from the buffer, then (a large
  /// rest) straight from the child, else through the buffer.
  bool take(char *data, size_t n) {
    while (good && n) {
      if (pos == end) {
        if (n >= buffer.size()) {
          size_t got = child.read(data, n);
          if (!got)
            return good = false;
          data += got;
          n -= got;
          continue;
        }
        pos = 0;
        end = child.read(buffer.data(), buffer.size());
        if (!end)
          return good = false;
      }
      size_t part = std::min(n, end - pos);
      std::memcpy(data, buffer.data() + pos, part);
      pos += part;
      data += part;
      n -= part;
    }
    return good;
  }
  Child &child;
  std::vector<char> buffer;
  size_t pos = 0, end = 0;
  bool good = true;
};
} // namespace

File::File(std::string name)
    : name(std::move(name)),
      objects(std::make_unique<llvm::StringMap<Object>>()) {}
File::File(File &&other) = default;
File::~File() = default;

Expected<File> File::open(StringRef path, llvm::ArrayRef<StringRef> skip,
                          StringRef displayName) {
  Expected<File> file = read(path, skip);
  if (displayName.empty())
    return file;
  if (!file) {
    std::string message = llvm::toString(file.takeError());
    for (size_t at = message.find(path); at != std::string::npos;
         at = message.find(path, at + displayName.size()))
      message.replace(at, path.size(), displayName.str());
    return fail(message);
  }
  file->name = displayName.str();
  return file;
}

Expected<File> File::read(StringRef path, llvm::ArrayRef<StringRef> skip) {
  std::vector<std::string> skipped(skip.begin(), skip.end());
  auto child = Child::start(path.str(), skipped);
  if (!child)
    return child.takeError();
  File file(path.str());
  auto &objects = *file.objects;
  Reader r(**child);
  // How the child ended comes first: a crash or a timeout is why a
  // snapshot is broken.
  auto end = [&](Expected<File> result, bool complete) -> Expected<File> {
    if (llvm::Error e = (*child)->finish(complete)) {
      llvm::consumeError(result.takeError());
      return std::move(e);
    }
    return result;
  };
  auto broken = [&] {
    return end(fail("cannot read '" + path +
                    "': the snapshot of its contents is incomplete"),
               /*complete=*/false);
  };
  while (r.ok()) {
    switch (r.u8()) {
    case kObject: {
      std::string object = r.str();
      uint8_t kind = r.u8();
      objects[object].isGroup = kind == 1;
      objects[object].isDataset = kind == 2;
      break;
    }
    case kChild: {
      std::string parent = r.str();
      objects[parent].children.push_back(r.str());
      break;
    }
    case kAttr: {
      std::string object = r.str(), attr = r.str();
      bool isString = r.u8();
      uint32_t count = r.u32();
      std::optional<std::vector<std::string>> strings;
      if (isString) {
        strings.emplace();
        for (uint32_t i = 0; i < count && r.ok(); ++i)
          strings->push_back(r.str());
      }
      objects[object].attrs[attr] = std::move(strings);
      break;
    }
    case kArray: {
      std::string object = r.str();
      uint32_t rank = r.u32();
      Array array;
      for (uint32_t d = 0; d < rank && r.ok() && d < 8; ++d)
        array.shape.push_back(int64_t(r.u64()));
      uint64_t count = r.u64();
      if (rank > 8 || !r.floats(count, array.data))
        return broken();
      objects[object].array = std::move(array);
      break;
    }
    case kNoArray: {
      std::string object = r.str();
      objects[object].arrayError = r.str();
      break;
    }
    case kError: {
      std::string message = r.str();
      return r.ok() ? end(fail(message), /*complete=*/true) : broken();
    }
    case kEnd:
      if (!r.atEnd())
        return broken();
      return end(std::move(file), /*complete=*/true);
    default:
      return broken();
    }
  }
  return broken();
}

/// `/a/b/` -> `/a/b`; `a` -> `/a`.
static std::string normalize(StringRef path) {
  std::string p = path.rtrim('/').str();
  if (p.empty() || p[0] != '/')
    p.insert(p.begin(), '/');
  return p;
}

bool File::exists(StringRef path) const {
  return objects->count(normalize(path));
}

Expected<std::vector<std::string>>
File::stringListAttr(StringRef object, StringRef attr) const {
  std::string what = ("attribute '" + attr + "' of '" + object + "' in '" +
                      name + "'")
                         .str();
  auto it = objects->find(normalize(object));
  if (it == objects->end() || !it->second.attrs.count(attr))
    return fail("missing " + what);
  const auto &strings = it->second.attrs.find(attr)->second;
  if (!strings)
    return fail(what + " is not a string");
  return *strings;
}

Expected<std::string> File::stringAttr(StringRef object, StringRef attr) const {
  auto list = stringListAttr(object, attr);
  if (!list)
    return list.takeError();
  std::string joined;
  for (const std::string &s : *list)
    joined += s;
  return joined;
}

Expected<Array> File::takeArray(StringRef path) {
  std::string what = ("dataset '" + path + "' in '" + name + "'").str();
  auto it = objects->find(normalize(path));
  if (it == objects->end() || !it->second.isDataset)
    return fail("missing " + what);
  if (!it->second.array)
    return fail(what + " " + it->second.arrayError);
  Array array = std::move(*it->second.array);
  it->second.array.reset();
  it->second.arrayError = "was read already (predict reads each weight once)";
  return array;
}

std::vector<std::string> File::children(StringRef path) const {
  auto it = objects->find(normalize(path));
  return it == objects->end() ? std::vector<std::string>()
                              : it->second.children;
}

bool File::hasAttr(StringRef object, StringRef attr) const {
  auto it = objects->find(normalize(object));
  return it != objects->end() && it->second.attrs.count(attr);
}
