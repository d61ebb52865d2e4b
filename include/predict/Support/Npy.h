//===- Npy.h - the numpy .npy format's preamble and header ------*- C++ -*-===//
//
// One reader of numpy's .npy framing, used by predict-run (inputs) and by
// the Python front end (.npz weights). The format
// (numpy.lib.format, https://numpy.org/doc/stable/reference/generated/
// numpy.lib.format.html): "\x93NUMPY", a major and a minor version byte, the
// header's length (2 bytes little-endian in version 1.0, 4 in 2.0 and 3.0),
// the header — a Python dict literal {'descr': '<f4', 'fortran_order':
// False, 'shape': (3, 100), } padded with spaces — then the raw data.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_SUPPORT_NPY_H
#define PREDICT_SUPPORT_NPY_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace mlir::predict::npy {

/// The first six bytes of every .npy.
constexpr llvm::StringLiteral kMagic("\x93NUMPY");

/// numpy writes a header of a few dozen bytes for arrays of numbers (and
/// np.load refuses more than 10000 by default); a longer one is not read.
constexpr uint64_t kMaxHeaderBytes = 1 << 16;

/// What a header says. `descr` is numpy's type string without quotes
/// (`<f4`, `<i8`, `|b1`); callers decide which they take.
struct Header {
  std::string descr;
  bool fortranOrder = false;
  llvm::SmallVector<int64_t> shape;
  /// The number of elements (the product of `shape`, 1 for rank 0);
  /// saturates at UINT64_MAX rather than wrapping.
  uint64_t elementCount() const;
};

/// The size in bytes of the header-length field, from the first 8 bytes of
/// `preamble` (magic and version): 2 for version 1, 4 for versions 2 and 3.
/// Errors (named `name`): not the magic string, an unknown version.
llvm::Expected<size_t> lengthFieldBytes(llvm::StringRef preamble,
                                        llvm::StringRef name);

/// The header's length, from the `fieldBytes` bytes after the first 8 of
/// `preamble` (which holds them).
uint64_t headerLength(llvm::StringRef preamble, size_t fieldBytes);

/// Parses the header text (the dict literal) as numpy's reader does: exactly
/// the keys 'descr', 'fortran_order' and 'shape', each once, sizes not
/// negative. Errors read "<name>: not a valid .npy file: <why>".
llvm::Expected<Header> parseHeader(llvm::StringRef text,
                                   llvm::StringRef name);

/// A whole .npy held in memory: its header and the bytes after it (not
/// checked against the header's size: callers know the element width).
struct Array {
  Header header;
  llvm::StringRef data;
};

/// Parses the framing of a whole .npy in `bytes`. Errors name `name` and say
/// where the bytes end if they are truncated.
llvm::Expected<Array> parse(llvm::StringRef bytes, llvm::StringRef name);

} // namespace mlir::predict::npy

#endif // PREDICT_SUPPORT_NPY_H
