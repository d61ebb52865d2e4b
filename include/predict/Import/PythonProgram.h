//===- PythonProgram.h - build IR from the reader's program JSON --*- C++ -*-===//
//
// The C++ half of the Python front end (issue #15, docs/PythonProgram.md):
// the reader (python/predict_read_source.py) hands on a program as JSON; this
// builds the predict dialect from it with the dialect's builders, typing each
// op by its own shape rule (ShapeInferenceOpInterface) as it is built.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_IMPORT_PYTHONPROGRAM_H
#define PREDICT_IMPORT_PYTHONPROGRAM_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::predict {

/// The schema and version of program JSON this builder reads.
inline constexpr llvm::StringLiteral kPythonProgramSchema =
    "predict.python-program";
inline constexpr int64_t kPythonProgramVersion = 1;

/// The options of predict-import for Python source.
struct PythonProgramOptions {
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

/// Builds a module from `program` (docs/PythonProgram.md, version 1): one
/// `func.func` per entry. Errors of the user's program are emitted as
/// diagnostics at its `file:line:col` (through the context's handler) and
/// the result is then an error saying that conversion failed; a program
/// JSON that does not follow the schema is an error naming the field.
///
/// What converts, part by part: docs/PythonProgram.md; anything else is an
/// error at its line saying what converted code supports.
llvm::Expected<OwningOpRef<ModuleOp>>
buildPythonProgram(MLIRContext *context, const llvm::json::Value &program,
                   const PythonProgramOptions &options);

/// Reads `path` with the reader (python/predict_read_source.py, run with
/// /usr/bin/python3) and builds its module (buildPythonProgram). The
/// reader's errors are printed by it as `file:line:col: error: ...`; the
/// returned error then says that conversion failed. A `.json` path is a
/// program JSON the reader wrote before, built as it is.
llvm::Expected<OwningOpRef<ModuleOp>>
importPythonProgram(MLIRContext *context, llvm::StringRef path,
                    const PythonProgramOptions &options);

} // namespace mlir::predict

#endif // PREDICT_IMPORT_PYTHONPROGRAM_H
