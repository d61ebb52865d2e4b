//===- Zip.cpp - reading .keras archives with libzip ----------------------===//

#include "Zip.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <zip.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace mlir::predict::zip;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<Archive> Archive::open(llvm::StringRef path) {
  int error = 0;
  ::zip_t *z = zip_open(path.str().c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!z) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    std::string message = zip_error_strerror(&e);
    zip_error_fini(&e);
    return fail("cannot open '" + path + "' as a .keras (zip) archive: " +
                message);
  }
  return Archive(z, path.str());
}

Archive::Archive(Archive &&other) : handle(other.handle), path(other.path) {
  other.handle = nullptr;
}

Archive::~Archive() {
  if (handle)
    zip_discard(static_cast<::zip_t *>(handle));
}

static uint64_t maxMemberBytes = uint64_t(4) << 30;
void mlir::predict::zip::setMaxMemberBytes(uint64_t bytes) {
  maxMemberBytes = bytes;
}

bool Archive::contains(llvm::StringRef name) const {
  return zip_name_locate(static_cast<::zip_t *>(handle), name.str().c_str(),
                         0) >= 0;
}

llvm::Expected<void *> Archive::openMember(llvm::StringRef name,
                                           uint64_t &size) const {
  auto *z = static_cast<::zip_t *>(handle);
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(z, name.str().c_str(), 0, &stat) != 0)
    return fail("'" + path + "' has no member '" + name +
                "': it is not a Keras 3 .keras archive");
  if (!(stat.valid & ZIP_STAT_SIZE))
    return fail("'" + name + "' in '" + path + "' does not declare its size");
  // The declared (uncompressed) size, checked before anything is
  // allocated: a small archive can declare any size.
  if (stat.size > maxMemberBytes)
    return fail("'" + name + "' in '" + path + "' declares " +
                llvm::Twine(stat.size) + " bytes, more than the limit of " +
                llvm::Twine(maxMemberBytes >> 20) +
                " MiB (--max-file-mib to raise it)");
  ::zip_file_t *file = zip_fopen(z, name.str().c_str(), 0);
  if (!file)
    return fail("cannot read '" + name + "' in '" + path + "'");
  size = stat.size;
  return file;
}

llvm::Expected<std::string> Archive::read(llvm::StringRef name) const {
  uint64_t size = 0;
  auto member = openMember(name, size);
  if (!member)
    return member.takeError();
  auto *file = static_cast<::zip_file_t *>(*member);
  std::string data(size, '\0');
  zip_int64_t got = zip_fread(file, data.data(), size);
  zip_fclose(file);
  if (got < 0 || static_cast<zip_uint64_t>(got) != size)
    return fail("'" + name + "' in '" + path + "' is damaged or truncated");
  return data;
}

llvm::Expected<std::string> Archive::extract(llvm::StringRef name) const {
  uint64_t size = 0;
  auto member = openMember(name, size);
  if (!member)
    return member.takeError();
  auto *file = static_cast<::zip_file_t *>(*member);
  llvm::SmallString<128> temp;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("predict-import", "h5", fd, temp)) {
    zip_fclose(file);
    return fail("cannot create a temporary file: " + ec.message());
  }
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  std::vector<char> buffer(1 << 20);
  uint64_t done = 0;
  bool damaged = false;
  while (done < size) {
    zip_int64_t got = zip_fread(
        file, buffer.data(), std::min<uint64_t>(buffer.size(), size - done));
    if (got <= 0) {
      damaged = true;
      break;
    }
    os.write(buffer.data(), size_t(got));
    done += uint64_t(got);
  }
  zip_fclose(file);
  os.close();
  if (damaged || os.has_error()) {
    os.clear_error();
    llvm::sys::fs::remove(temp);
    if (damaged)
      return fail("'" + name + "' in '" + path + "' is damaged or truncated");
    return fail("cannot write a temporary file for '" + name + "'");
  }
  return std::string(temp.str());
}

llvm::Error mlir::predict::zip::writeNpz(
    llvm::StringRef path,
    llvm::ArrayRef<std::pair<
        std::string, std::pair<llvm::ArrayRef<int64_t>, llvm::ArrayRef<float>>>>
        arrays) {
  // No arrays: libzip writes no file for an empty archive, numpy's
  // np.savez() of nothing writes the 22-byte end-of-central-directory
  // record alone; so do we.
  if (arrays.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec)
      return llvm::createStringError(ec, "cannot create '" + path +
                                             "': " + ec.message());
    os << llvm::StringRef("PK\x05\x06", 4) << std::string(18, '\0');
    return llvm::Error::success();
  }
  int error = 0;
  ::zip_t *z = zip_open(path.str().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!z)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot create '" + path + "'");
  for (const auto &[name, array] : arrays) {
    const auto &[shape, values] = array;
    // An .npy v1.0 member: magic, header length, a padded dict, the data.
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
    for (int64_t d : shape)
      header += std::to_string(d) + ", ";
    header += "), }";
    header.append(63 - (10 + header.size()) % 64, ' ');
    header += '\n';
    std::string data = "\x93NUMPY";
    data += '\x01';
    data += '\x00';
    data += char(header.size() & 0xff);
    data += char(header.size() >> 8);
    data += header;
    data.append(reinterpret_cast<const char *>(values.data()),
                values.size() * sizeof(float)); // little-endian host (x86-64)
    // libzip frees the copy once written.
    char *copy = static_cast<char *>(malloc(data.size()));
    memcpy(copy, data.data(), data.size());
    ::zip_source_t *source = zip_source_buffer(z, copy, data.size(), 1);
    zip_int64_t index = -1;
    if (!source || (index = zip_file_add(z, (name + ".npy").c_str(), source,
                                         ZIP_FL_OVERWRITE)) < 0) {
      if (source)
        zip_source_free(source);
      zip_discard(z);
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot write '" + path + "'");
    }
    // A fixed date (1980-01-02: zip dates start in 1980, in local time):
    // the same arrays give the same bytes.
    if (zip_file_set_mtime(z, index, 315619200, 0) < 0) {
      zip_discard(z);
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot write '" + path + "'");
    }
  }
  if (zip_close(z) != 0) {
    zip_discard(z);
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot write '" + path + "'");
  }
  return llvm::Error::success();
}
