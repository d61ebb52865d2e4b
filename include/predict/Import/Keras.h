//===- Keras.h - import Keras model files into the predict dialect -*- C++ -*-===//

#ifndef PREDICT_IMPORT_KERAS_H
#define PREDICT_IMPORT_KERAS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

namespace mlir::predict {

/// Imports a Keras model saved as full-model HDF5 (`model.save("m.h5")`, by
/// Keras 2 or Keras 3) into a module with one `predict.model @model` and one
/// public function `@predict` with a dynamic batch dimension. Errors name
/// the file and the layer or group at fault.
llvm::Expected<OwningOpRef<ModuleOp>> importKerasH5(MLIRContext *context,
                                                   llvm::StringRef path);

/// Imports a Keras 3 `.keras` archive (config.json and model.weights.h5).
llvm::Expected<OwningOpRef<ModuleOp>>
importKerasArchive(MLIRContext *context, llvm::StringRef path);

/// Imports weights saved with `model.save_weights()` (Keras 3's
/// `.weights.h5`, or Keras 2's) with the JSON of `model.to_json()`.
llvm::Expected<OwningOpRef<ModuleOp>>
importKerasWeights(MLIRContext *context, llvm::StringRef weightsPath,
                   llvm::StringRef configPath);

/// What the Keras importer accepts; the tools set these from their flags.
struct KerasImportOptions {
  /// The deepest nesting of a model's JSON config (--max-nesting).
  unsigned maxNesting = 1000;
  /// The largest config file or archive member read into memory
  /// (--max-file-mib).
  uint64_t maxFileBytes = uint64_t(4) << 30;
  /// The most bytes of weights read from one HDF5 file, checked against
  /// each dataset's declared shape before it is read (--max-weights-mib).
  uint64_t maxWeightBytes = uint64_t(4) << 30;
  /// A layer that the saved graph calls with training=True (Keras computes
  /// it as in training: Dropout drops, BatchNormalization uses the batch's
  /// statistics) is an error unless this is set; then it is computed as at
  /// inference, with a warning (--training-as-inference).
  bool trainingAsInference = false;
};

/// Sets the options of every import that follows.
void setKerasImportOptions(const KerasImportOptions &options);

/// HDF5 files are read by the HDF5 library in a child process, so that a
/// damaged file that makes it crash or loop is an error naming the file.
/// Sets how long that read may take (default 120 s).
void setHDF5ReadTimeout(unsigned seconds);

} // namespace mlir::predict

#endif // PREDICT_IMPORT_KERAS_H
