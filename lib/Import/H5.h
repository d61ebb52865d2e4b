//===- H5.h - the little of HDF5 that Keras files need ------------*- C++ -*-===//
//
// An HDF5 file is read whole, once, by the HDF5 library in a child process,
// and handed to the importer as a snapshot: its groups, string attributes and
// floating-point datasets. The HDF5 library is not robust against damaged
// files (a wrong offset can make it crash or loop forever); isolated in a
// child, such a file is an error naming it, never a crash or a hang of the
// importer.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_IMPORT_H5_H
#define LIB_IMPORT_H5_H

#include "predict/Support/WeightBlobs.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir::predict::h5 {

/// A float32 array read from a dataset.
struct Array {
  llvm::SmallVector<int64_t> shape;
  WeightValues data;
};

/// How long the child may take to read a file (default 120 s).
void setReadTimeout(unsigned seconds);

/// The most bytes of float32 data the child reads from one file (default
/// 4 GiB), checked against each dataset's declared shape before it is
/// read: a dataset past it is not read, and reading it is an error naming
/// the limit and --max-weights-mib.
void setMaxArrayBytes(uint64_t bytes);

/// An HDF5 file, read (read-only). Paths are HDF5 paths: `/model_weights/d`.
class File {
public:
  /// Reads `path` whole, except the groups named in `skip` (absolute paths,
  /// e.g. `/optimizer_weights`), whose contents the caller does not need.
  /// `displayName`, when given, names the file in messages (its own
  /// errors' too) instead of `path`: a file extracted from an archive to a
  /// temporary is named after the archive, not the temporary the user
  /// never sees.
  static llvm::Expected<File> open(llvm::StringRef path,
                                   llvm::ArrayRef<llvm::StringRef> skip = {},
                                   llvm::StringRef displayName = "");
  File(File &&other);
  ~File();

  bool exists(llvm::StringRef path) const;
  /// A string attribute (a scalar, or the concatenation of a list: old Keras
  /// wrote some strings as arrays of chars).
  llvm::Expected<std::string> stringAttr(llvm::StringRef object,
                                         llvm::StringRef name) const;
  /// A list-of-strings attribute (`layer_names`, `weight_names`).
  llvm::Expected<std::vector<std::string>>
  stringListAttr(llvm::StringRef object, llvm::StringRef name) const;
  /// A float dataset, converted to float32, moved out of the snapshot (a
  /// model's weights are then held once): a later take of `path` is an
  /// error.
  llvm::Expected<Array> takeArray(llvm::StringRef path);
  /// The names of the links in group `path`, in HDF5's (alphabetical) order.
  std::vector<std::string> children(llvm::StringRef path) const;
  /// Whether `object` has attribute `name`.
  bool hasAttr(llvm::StringRef object, llvm::StringRef name) const;

  /// The file's name in messages: its path, or the display name `open`
  /// was given.
  const std::string &path() const { return name; }

  struct Object; // one group or dataset of the snapshot

private:
  File(std::string name);
  /// `open` without a display name.
  static llvm::Expected<File> read(llvm::StringRef path,
                                   llvm::ArrayRef<llvm::StringRef> skip);
  std::string name;
  std::unique_ptr<llvm::StringMap<Object>> objects;
};

} // namespace mlir::predict::h5

#endif // LIB_IMPORT_H5_H
