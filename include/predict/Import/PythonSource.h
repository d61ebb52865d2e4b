//===- PythonSource.h - import Keras-style Python source ----------*- C++ -*-===//

#ifndef PREDICT_IMPORT_PYTHONSOURCE_H
#define PREDICT_IMPORT_PYTHONSOURCE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir::predict {

struct PythonSourceOptions {
  /// Seed of the Glorot-uniform kernels drawn when no weights are given.
  unsigned seed = 0;
  /// Weights to use (.npz with keys `<attribute>/kernel`, ..., or a Keras 3
  /// `.weights.h5`), instead of drawing them.
  std::string weights;
  /// Where to write the weights used (`<attribute>/kernel`, ... in .npz):
  /// predict-import gives a temporary, renamed once everything succeeded.
  std::string dumpWeights;
  /// The name the user gave for `dumpWeights`, for messages.
  std::string dumpWeightsName;
  /// The deepest nesting of expressions (with the helpers and models they
  /// call) the reader converts; deeper is an error at the line.
  unsigned maxNesting = 1000;
  /// The most bytes of weights a model may have: checked before they are
  /// drawn or read, an error at the layer's line.
  uint64_t maxWeightBytes = uint64_t(4) << 30; // --max-weights-mib
  /// `NAME=?x100xf32` overrides of the inferred input signature.
  std::vector<std::string> inputShapes;
};

/// Converts Keras-style model source (the seed's programs) into the predict
/// dialect through the Python front end (python/predict_import_source.py,
/// run with /usr/bin/python3), then parses and verifies its output. Errors
/// of the user's program are printed by the front end as `file:line:col:
/// error: ...`; the returned error then says that conversion failed.
llvm::Expected<OwningOpRef<ModuleOp>>
importPythonSource(MLIRContext *context, llvm::StringRef path,
                   const PythonSourceOptions &options);

} // namespace mlir::predict

#endif // PREDICT_IMPORT_PYTHONSOURCE_H
