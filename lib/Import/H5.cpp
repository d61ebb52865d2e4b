//===- H5.cpp - the little of HDF5 that Keras files need ------------------===//

#include "H5.h"

#include "llvm/ADT/Twine.h"

#include <hdf5.h>

using namespace mlir::predict::h5;
using llvm::Expected;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

Expected<File> File::open(llvm::StringRef path) {
  // Errors are ours to report, not HDF5's to print.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  std::string p = path.str();
  htri_t isHdf5 = H5Fis_hdf5(p.c_str());
  if (isHdf5 < 0)
    return fail("cannot read '" + path + "'");
  if (isHdf5 == 0)
    return fail("'" + path + "' is not an HDF5 file (no HDF5 signature)");
  hid_t id = H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0)
    return fail("'" + path + "' is a damaged or truncated HDF5 file");
  return File(id, p);
}

File::File(File &&other) : id(other.id), name(std::move(other.name)) {
  other.id = -1;
}

File::~File() {
  if (id >= 0)
    H5Fclose(id);
}

bool File::exists(llvm::StringRef path) const {
  std::string p = path.str();
  if (p == "/")
    return true;
  // Check each prefix: H5Lexists fails on a missing intermediate group.
  size_t at = 0;
  while ((at = p.find('/', at + 1)) != std::string::npos)
    if (H5Lexists(id, p.substr(0, at).c_str(), H5P_DEFAULT) <= 0)
      return false;
  return H5Lexists(id, p.c_str(), H5P_DEFAULT) > 0;
}

namespace {
/// RAII for HDF5 handles.
struct Handle {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Handle() {
    if (id >= 0)
      close(id);
  }
};
} // namespace

/// Reads every string of attribute `attr` (a scalar or a 1-D array).
static Expected<std::vector<std::string>> readStrings(hid_t attr,
                                                     llvm::StringRef what) {
  Handle type{H5Aget_type(attr), H5Tclose};
  Handle space{H5Aget_space(attr), H5Sclose};
  if (type.id < 0 || space.id < 0)
    return fail("cannot read " + what);
  hssize_t count = H5Sget_simple_extent_npoints(space.id);
  std::vector<std::string> out;
  if (H5Tget_class(type.id) != H5T_STRING) {
    // Old files store some strings as arrays of single characters.
    return fail(what + " is not a string");
  }
  if (H5Tis_variable_str(type.id) > 0) {
    std::vector<char *> values(count);
    Handle memType{H5Tcopy(H5T_C_S1), H5Tclose};
    H5Tset_size(memType.id, H5T_VARIABLE);
    H5Tset_cset(memType.id, H5Tget_cset(type.id));
    if (H5Aread(attr, memType.id, values.data()) < 0)
      return fail("cannot read " + what);
    for (char *v : values)
      out.push_back(v ? v : "");
    H5Dvlen_reclaim(memType.id, space.id, H5P_DEFAULT, values.data());
    return out;
  }
  size_t size = H5Tget_size(type.id);
  std::vector<char> buffer(size * count + 1, 0);
  if (H5Aread(attr, type.id, buffer.data()) < 0)
    return fail("cannot read " + what);
  for (hssize_t i = 0; i < count; ++i) {
    const char *s = buffer.data() + i * size;
    out.push_back(std::string(s, strnlen(s, size)));
  }
  return out;
}

Expected<std::vector<std::string>>
File::stringListAttr(llvm::StringRef object, llvm::StringRef name) const {
  std::string what = ("attribute '" + name + "' of '" + object + "' in '" +
                      this->name + "'")
                         .str();
  if (!exists(object) ||
      H5Aexists_by_name(id, object.str().c_str(), name.str().c_str(),
                        H5P_DEFAULT) <= 0)
    return fail("missing " + what);
  Handle attr{H5Aopen_by_name(id, object.str().c_str(), name.str().c_str(),
                              H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose};
  if (attr.id < 0)
    return fail("cannot open " + what);
  // Keras 2 sometimes writes a list of 1-character strings for a string.
  return readStrings(attr.id, what);
}

Expected<std::string> File::stringAttr(llvm::StringRef object,
                                       llvm::StringRef name) const {
  auto list = stringListAttr(object, name);
  if (!list)
    return list.takeError();
  std::string joined;
  for (const std::string &s : *list)
    joined += s;
  return joined;
}

Expected<Array> File::readArray(llvm::StringRef path) const {
  std::string what = ("dataset '" + path + "' in '" + name + "'").str();
  if (!exists(path))
    return fail("missing " + what);
  Handle set{H5Dopen2(id, path.str().c_str(), H5P_DEFAULT), H5Dclose};
  if (set.id < 0)
    return fail("cannot open " + what);
  Handle space{H5Dget_space(set.id), H5Sclose};
  Handle type{H5Dget_type(set.id), H5Tclose};
  if (space.id < 0 || type.id < 0 || H5Tget_class(type.id) != H5T_FLOAT)
    return fail(what + " does not hold floating-point numbers");
  int rank = H5Sget_simple_extent_ndims(space.id);
  if (rank < 0 || rank > 8)
    return fail(what + " has an unreadable shape");
  hsize_t dims[8];
  H5Sget_simple_extent_dims(space.id, dims, nullptr);
  Array array;
  uint64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    array.shape.push_back(static_cast<int64_t>(dims[d]));
    count *= dims[d];
  }
  if (count > (uint64_t(1) << 32))
    return fail(what + " is too large");
  array.data.resize(count);
  if (H5Dread(set.id, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
              array.data.data()) < 0)
    return fail("cannot read " + what + " (truncated file?)");
  return array;
}

std::vector<std::string> File::children(llvm::StringRef path) const {
  std::vector<std::string> names;
  if (!exists(path))
    return names;
  Handle group{H5Gopen2(id, path.str().c_str(), H5P_DEFAULT), H5Gclose};
  if (group.id < 0)
    return names;
  H5G_info_t info;
  if (H5Gget_info(group.id, &info) < 0)
    return names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t size = H5Lget_name_by_idx(group.id, ".", H5_INDEX_NAME, H5_ITER_INC,
                                      i, nullptr, 0, H5P_DEFAULT);
    if (size < 0)
      continue;
    std::string name(size, '\0');
    H5Lget_name_by_idx(group.id, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                       size + 1, H5P_DEFAULT);
    names.push_back(name);
  }
  return names;
}

bool File::hasAttr(llvm::StringRef object, llvm::StringRef name) const {
  return exists(object) && H5Aexists_by_name(id, object.str().c_str(),
                                             name.str().c_str(), H5P_DEFAULT) > 0;
}
