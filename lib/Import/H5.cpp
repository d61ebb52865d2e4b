//===- H5.cpp - the little of HDF5 that Keras files need ------------------===//
//
// The child process walks the file with the HDF5 library and writes a
// snapshot to a pipe; the parent reads the snapshot, checking every length
// against what arrived. The wire format is private to this file: records of
// a tag byte and fields (u32/u64 in host order; a string is a u32 length
// and its bytes).
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

class Writer {
public:
  void u8(uint8_t v) { out.push_back(char(v)); }
  void u32(uint32_t v) { out.append(reinterpret_cast<char *>(&v), 4); }
  void u64(uint64_t v) { out.append(reinterpret_cast<char *>(&v), 8); }
  void str(StringRef s) {
    u32(uint32_t(s.size()));
    out.append(s.data(), s.size());
  }
  std::string out;
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
  w.out.append(reinterpret_cast<const char *>(data.data()),
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

/// Writes all of `data` to `fd`.
static bool writeAll(int fd, const std::string &data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += size_t(n);
  }
  return true;
}

/// Runs `writeSnapshot` in a child and returns what it wrote, or an error
/// when it crashed, was killed, or took longer than the timeout.
static Expected<std::string> snapshotInChild(const std::string &path,
                                             llvm::ArrayRef<std::string> skip) {
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
    Writer w;
    writeSnapshot(path, skip, w);
    _exit(writeAll(fds[1], w.out) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string data;
  char buffer[1 << 16];
  bool timedOut = false;
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(readTimeoutSeconds);
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    struct pollfd p = {fds[0], POLLIN, 0};
    int ready = left > 0 ? ::poll(&p, 1, int(left)) : 0;
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0) {
      timedOut = true;
      ::kill(pid, SIGKILL);
      break;
    }
    ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    data.append(buffer, size_t(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timedOut)
    return fail("the HDF5 library did not finish reading '" + path + "' in " +
                llvm::Twine(readTimeoutSeconds) +
                " s: the file is damaged, or is not one Keras wrote");
  if (WIFSIGNALED(status))
    return fail("the HDF5 library crashed reading '" + path + "' (" +
                strsignal(WTERMSIG(status)) +
                "): the file is damaged, or is not one Keras wrote");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return fail("cannot read '" + path + "': the reading process failed");
  return data;
}

//===----------------------------------------------------------------------===//
// The parent: reading the snapshot.
//===----------------------------------------------------------------------===//

class Reader {
public:
  explicit Reader(StringRef in) : in(in) {}
  bool ok() const { return good; }
  bool atEnd() const { return pos >= in.size(); }
  uint8_t u8() { return take(1) ? uint8_t(in[pos - 1]) : 0; }
  uint32_t u32() { return fixed<uint32_t>(); }
  uint64_t u64() { return fixed<uint64_t>(); }
  std::string str() {
    uint32_t n = u32();
    return take(n) ? in.substr(pos - n, n).str() : std::string();
  }
  /// `count` floats, when that many bytes remain.
  bool floats(uint64_t count, std::vector<float> &out) {
    if (count > (in.size() - pos) / sizeof(float))
      return good = false;
    out.resize(count);
    if (count)
      std::memcpy(out.data(), in.data() + pos, count * sizeof(float));
    pos += count * sizeof(float);
    return true;
  }

private:
  template <typename T> T fixed() {
    T v = 0;
    if (take(sizeof(T)))
      std::memcpy(&v, in.data() + pos - sizeof(T), sizeof(T));
    return v;
  }
  bool take(size_t n) {
    if (!good || n > in.size() - pos)
      return good = false;
    pos += n;
    return true;
  }
  StringRef in;
  size_t pos = 0;
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
  auto data = snapshotInChild(path.str(), skipped);
  if (!data)
    return data.takeError();
  File file(path.str());
  auto &objects = *file.objects;
  Reader r(*data);
  auto broken = [&] {
    return fail("cannot read '" + path +
                "': the snapshot of its contents is incomplete");
  };
  while (r.ok() && !r.atEnd()) {
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
    case kError:
      return fail(r.str());
    case kEnd:
      if (!r.atEnd())
        return broken();
      return file;
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

Expected<Array> File::readArray(StringRef path) const {
  std::string what = ("dataset '" + path + "' in '" + name + "'").str();
  auto it = objects->find(normalize(path));
  if (it == objects->end() || !it->second.isDataset)
    return fail("missing " + what);
  if (!it->second.array)
    return fail(what + " " + it->second.arrayError);
  return *it->second.array;
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
