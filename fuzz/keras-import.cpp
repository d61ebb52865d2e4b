//===- keras-import.cpp - fuzz the Keras importer on arbitrary bytes ------===//
//
// The bytes are written to a file and imported as a full-model .h5 and as a
// .keras archive. Every input must give a module or an error, never a crash.
//
//===----------------------------------------------------------------------===//

#include "predict/Import/Keras.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace mlir;

/// A file of this process's own, rewritten for every input.
static std::string scratch(llvm::StringRef suffix) {
  llvm::SmallString<128> path;
  llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, path);
  llvm::sys::path::append(path, "predict-fuzz-" +
                                    std::to_string(llvm::sys::Process::getProcessId()) +
                                    suffix.str());
  return std::string(path);
}

static bool writeFile(const std::string &path, const uint8_t *data,
                      size_t size) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return false;
  os.write(reinterpret_cast<const char *>(data), size);
  return !os.has_error();
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // A file that makes the HDF5 library loop is an error after this long.
  predict::setHDF5ReadTimeout(3);
  // A file that declares huge datasets or members is an error well before
  // the fuzzer's memory limit.
  predict::KerasImportOptions options;
  options.maxWeightBytes = uint64_t(64) << 20;
  options.maxFileBytes = uint64_t(64) << 20;
  predict::setKerasImportOptions(options);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static MLIRContext *ctx = new MLIRContext(MLIRContext::Threading::DISABLED);
  static const std::string h5 = scratch(".h5"), keras = scratch(".keras");
  if (!writeFile(h5, data, size) || !writeFile(keras, data, size))
    return 0;
  if (auto module = predict::importKerasH5(ctx, h5); !module)
    llvm::consumeError(module.takeError());
  if (auto module = predict::importKerasArchive(ctx, keras); !module)
    llvm::consumeError(module.takeError());
  return 0;
}
