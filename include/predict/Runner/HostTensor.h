//===- HostTensor.h - tensors in host memory for predict-run ------*- C++ -*-===//

#ifndef PREDICT_RUNNER_HOSTTENSOR_H
#define PREDICT_RUNNER_HOSTTENSOR_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::predict::runner {

/// The element types predict-run exchanges with compiled code.
enum class DType { f32, f64, i32, i64, i1 };

/// Bytes per element of `dtype`.
size_t dtypeSize(DType dtype);
/// `f32`, `f64`, ... as in MLIR types and IREE's input syntax.
llvm::StringRef dtypeName(DType dtype);
/// The DType named `name` (`f32`, ...), or std::nullopt.
std::optional<DType> parseDTypeName(llvm::StringRef name);

/// A dense, row-major (C order) tensor in host memory.
struct HostTensor {
  DType dtype = DType::f32;
  llvm::SmallVector<int64_t> shape;
  /// Zero-initialized storage, aligned for every element type. From
  /// calloc, so that memory the machine does not have is an error of
  /// `allocate`, not an abort in operator new.
  struct Free {
    void operator()(uint64_t *p) const { std::free(p); }
  };
  std::unique_ptr<uint64_t[], Free> storage;

  /// Allocates zeroed storage for `shape`; fails when the byte size
  /// overflows or is implausibly large.
  static llvm::Expected<HostTensor> allocate(DType dtype,
                                             llvm::ArrayRef<int64_t> shape);
  int64_t numElements() const;
  size_t byteSize() const { return numElements() * dtypeSize(dtype); }
  void *data() { return storage.get(); }
  const void *data() const { return storage.get(); }
  /// `3x100xf32`
  std::string typeString() const;
};

/// `e`, HostTensor::allocate's error for an input (`name`: "input 'x.npy'"),
/// with the flag that raises the limit.
llvm::Error inputTooLarge(llvm::Error e, const llvm::Twine &name);

/// Sets the largest tensor `HostTensor::allocate` accepts (default 16 GiB);
/// larger ones are an error naming the limit.
void setMaxTensorBytes(uint64_t bytes);
/// The largest tensor accepted: by `HostTensor::allocate`, and for each
/// buffer compiled code allocates (a larger one fails the call).
uint64_t maxTensorBytes();

/// Reads a numpy .npy file (format versions 1-3; little-endian float32,
/// float64, int32, int64 or bool; C order).
llvm::Expected<HostTensor> readNpy(llvm::StringRef path);

/// Parses numpy .npy bytes; `name` is used in messages.
llvm::Expected<HostTensor> parseNpy(llvm::StringRef bytes, llvm::StringRef name);

/// Writes `tensor` as .npy (version 1.0) to `path` through a temporary file
/// renamed into place, so that a failure never leaves a partial file.
llvm::Error writeNpy(const HostTensor &tensor, llvm::StringRef path);
/// Puts the written temporary `temp` (of writeNpyTemporary,
/// writeCsvTemporary) at the output `path`: renamed onto a regular file or
/// a new one (through a symbolic link, which stays a link), copied into
/// anything else (a device such as /dev/null or /dev/stdout, a fifo),
/// never replacing it. `temp` is gone afterwards.
llvm::Error placeOutput(llvm::StringRef temp, llvm::StringRef path);
/// A new empty temporary file beside `path`'s target (`.NAME.XXXXXX.tmp`),
/// for a tool that writes it by name (cc -o) before placeOutput puts it at
/// `path`. This and every other output temporary are removed by LLVM's
/// signal handlers on Ctrl-C or SIGTERM until placed or discarded.
llvm::Expected<std::string> createTemporaryBeside(llvm::StringRef path);
/// Removes a temporary that will not be placed.
void discardTemporary(llvm::StringRef temp);
/// Whether `path` names the process's stdout (`-`, /dev/stdout, /dev/fd/1,
/// /proc/self/fd/1, or any path to the file stdout is open on, through
/// links too): written through file descriptor 1, where it points.
bool isStdoutPath(llvm::StringRef path);
/// Whether `path` names the process's stdin (as isStdoutPath, for fd 0).
bool isStdinPath(llvm::StringRef path);
/// Whether an output at `path` is written into something that is not a
/// regular file (stdout, a device, a fifo): it cannot be taken back, so
/// such outputs are written before regular files are renamed into place.
bool isSpecialOutput(llvm::StringRef path);
/// Writes `tensor` as .npy to a new temporary file beside `path` and returns
/// the temporary's name, for a caller that renames several files into place
/// only once all are written; on failure nothing is left.
llvm::Expected<std::string> writeNpyTemporary(const HostTensor &tensor,
                                              llvm::StringRef path);

/// Stores element `index` of `t` from its text (`0.5`, `-3`, `1e-3`): an
/// error when the text is not a number of t's type or does not fit it.
llvm::Error storeElement(HostTensor &t, int64_t index, llvm::StringRef text);

/// A CSV file of numbers, read as numpy.loadtxt(path, delimiter=",", ndmin=2)
/// reads one: a row per non-empty line, cells separated by commas, every row
/// with the same number of cells. Read before the element type is known
/// (the compiled function's signature gives it: `toTensor`).
struct CsvTable {
  std::string path;
  std::unique_ptr<llvm::MemoryBuffer> text;
  /// Each row's cells, and the line each row is on (for messages).
  std::vector<llvm::SmallVector<llvm::StringRef>> rows;
  std::vector<size_t> lines;
  size_t columns = 0;

  /// The rows x columns tensor of `dtype`; an error names the line and
  /// cell that is not a number of that type.
  llvm::Expected<HostTensor> toTensor(DType dtype) const;
};

/// Reads `path` (at most `maxBytes`) as a CSV table; an error names the
/// line of a row with another number of cells.
llvm::Expected<CsvTable> readCsv(llvm::StringRef path, uint64_t maxBytes);

/// Writes `tensor` (rank 0, 1 as one column, or 2) as CSV to a new
/// temporary beside `path`, values as numpy.savetxt(fmt="%.9g") would for
/// float32 (%.17g for float64), and returns the temporary's name.
llvm::Expected<std::string> writeCsvTemporary(const HostTensor &tensor,
                                              llvm::StringRef path);

/// Parses an input given as IREE does: `2x3xf32=1,2,3,4,5,6` (values
/// separated by commas or spaces; a single value fills the tensor), or
/// `@file.npy`.
llvm::Expected<HostTensor> parseInput(llvm::StringRef spec);

/// Prints `tensor` as `2x3xf32=[[1 2 3][4 5 6]]`, with values as numpy
/// prints them.
void printTensor(llvm::raw_ostream &os, const HostTensor &tensor);

} // namespace mlir::predict::runner

#endif // PREDICT_RUNNER_HOSTTENSOR_H
