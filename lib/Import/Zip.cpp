//===- Zip.cpp - reading .keras archives with libzip ----------------------===//

#include "Zip.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <zip.h>

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

llvm::Expected<std::string> Archive::read(llvm::StringRef name) const {
  auto *z = static_cast<::zip_t *>(handle);
  zip_stat_t stat;
  if (zip_stat(z, name.str().c_str(), 0, &stat) != 0)
    return fail("'" + path + "' has no member '" + name +
                "': it is not a Keras 3 .keras archive");
  ::zip_file_t *file = zip_fopen(z, name.str().c_str(), 0);
  if (!file)
    return fail("cannot read '" + name + "' in '" + path + "'");
  std::string data(stat.size, '\0');
  zip_int64_t got = zip_fread(file, data.data(), stat.size);
  zip_fclose(file);
  if (got < 0 || static_cast<zip_uint64_t>(got) != stat.size)
    return fail("'" + name + "' in '" + path + "' is damaged or truncated");
  return data;
}

llvm::Expected<std::string> Archive::extract(llvm::StringRef name) const {
  auto data = read(name);
  if (!data)
    return data.takeError();
  llvm::SmallString<128> temp;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("predict-import", "h5", fd, temp))
    return fail("cannot create a temporary file: " + ec.message());
  llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
  os << *data;
  os.close();
  if (os.has_error()) {
    os.clear_error();
    llvm::sys::fs::remove(temp);
    return fail("cannot write a temporary file for '" + name + "'");
  }
  return std::string(temp.str());
}
