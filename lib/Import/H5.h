//===- H5.h - the little of HDF5 that Keras files need ------------*- C++ -*-===//

#ifndef LIB_IMPORT_H5_H
#define LIB_IMPORT_H5_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::predict::h5 {

/// A float32 array read from a dataset.
struct Array {
  llvm::SmallVector<int64_t> shape;
  std::vector<float> data;
};

/// An open HDF5 file (read-only). Paths are HDF5 paths: `/model_weights/d`.
class File {
public:
  static llvm::Expected<File> open(llvm::StringRef path);
  File(File &&other);
  ~File();

  bool exists(llvm::StringRef path) const;
  /// A string attribute (fixed or variable length, or an array of chars as
  /// old Keras wrote some).
  llvm::Expected<std::string> stringAttr(llvm::StringRef object,
                                         llvm::StringRef name) const;
  /// A list-of-strings attribute (`layer_names`, `weight_names`).
  llvm::Expected<std::vector<std::string>>
  stringListAttr(llvm::StringRef object, llvm::StringRef name) const;
  /// A float dataset, converted to float32.
  llvm::Expected<Array> readArray(llvm::StringRef path) const;
  /// The names of the links in group `path`, in HDF5's (alphabetical) order.
  std::vector<std::string> children(llvm::StringRef path) const;
  /// Whether `object` has attribute `name`.
  bool hasAttr(llvm::StringRef object, llvm::StringRef name) const;

  const std::string &path() const { return name; }

private:
  File(int64_t id, std::string name) : id(id), name(std::move(name)) {}
  int64_t id;
  std::string name;
};

} // namespace mlir::predict::h5

#endif // LIB_IMPORT_H5_H
