//===- Zip.h - reading .keras archives with libzip ----------------*- C++ -*-===//

#ifndef LIB_IMPORT_ZIP_H
#define LIB_IMPORT_ZIP_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlir::predict::zip {

/// The largest member `Archive::read` and `Archive::extract` take (default
/// 4 GiB), checked against the size the archive declares before anything
/// is allocated or written; more is an error naming --max-file-mib.
void setMaxMemberBytes(uint64_t bytes);

class Archive {
public:
  static llvm::Expected<Archive> open(llvm::StringRef path);
  Archive(Archive &&other);
  ~Archive();
  /// Whether the archive has a member `name`.
  bool contains(llvm::StringRef name) const;
  /// The contents of member `name`.
  llvm::Expected<std::string> read(llvm::StringRef name) const;
  /// Member `name` written to a temporary file, whose path is returned
  /// (copied in pieces: it is not held in memory).
  llvm::Expected<std::string> extract(llvm::StringRef name) const;

private:
  Archive(void *handle, std::string path)
      : handle(handle), path(std::move(path)) {}
  /// Opens member `name` after checking its declared size; `size` is set.
  llvm::Expected<void *> openMember(llvm::StringRef name,
                                    uint64_t &size) const;
  void *handle;
  std::string path;
};

/// Writes float32 arrays as an .npz (numpy.savez's format: a zip of .npy
/// members, uncompressed), each `(name, (shape, values))`, the shapes and
/// values the caller's.
llvm::Error writeNpz(
    llvm::StringRef path,
    llvm::ArrayRef<std::pair<
        std::string, std::pair<llvm::ArrayRef<int64_t>, llvm::ArrayRef<float>>>>
        arrays);

} // namespace mlir::predict::zip

#endif // LIB_IMPORT_ZIP_H
