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

#include "predict/Import/PythonSource.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace mlir::predict {

/// The schema and version of program JSON this builder reads.
inline constexpr llvm::StringLiteral kPythonProgramSchema =
    "predict.python-program";
inline constexpr int64_t kPythonProgramVersion = 1;

/// The builder takes the options of the Python front end (PythonSource.h):
/// --seed, --weights, --dump-weights, --input-shape and the limits.
using PythonProgramOptions = PythonSourceOptions;

/// Builds a module from `program` (docs/PythonProgram.md, version 1): one
/// `func.func` per entry. Errors of the user's program are emitted as
/// diagnostics at its `file:line:col` (through the context's handler) and
/// the result is then an error saying that conversion failed; a program
/// JSON that does not follow the schema is an error naming the field.
///
/// Status: the builder converts straight-line entry functions (assignments
/// to names, `return`, numbers, `+ - * / ** @`, unary minus and the tf.*
/// math and activation calls), and models: their layers through the layer
/// registry, their weights drawn or read and dumped; anything else is an
/// error at its line saying that the C++ builder does not convert it yet.
/// `predict_import_source.py` converts by default until the builder has
/// everything.
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
