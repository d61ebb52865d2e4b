//===- ImportFile.h - import any model file predict takes ---------*- C++ -*-===//
//
// The one place that decides how a model file is read, by its name: Python
// source (.py) or a program JSON its reader wrote, a Keras 3 archive
// (.keras), a full-model HDF5 (.h5), or weights (.weights.h5 / .h5) with the
// model's JSON. predict-import and predict-compile use it.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_IMPORT_IMPORTFILE_H
#define PREDICT_IMPORT_IMPORTFILE_H

#include "predict/Import/PythonProgram.h"

#include "mlir/IR/Diagnostics.h"

#include "llvm/Support/SourceMgr.h"

namespace mlir::predict {

/// Whether `path` is read by the Python front end: `.py`, or a `.json`
/// (a program JSON) when no Keras `config` is given.
bool isPythonInput(llvm::StringRef path, llvm::StringRef config);

/// Imports the model file `path` (see the banner); `config` is the JSON of
/// `model.to_json()` for a weights file. Errors name the file and the
/// layer or line at fault (diagnostics first, through the context's
/// handler: install a KerasDiagnosticPrinter and a SourceMgr handler).
llvm::Expected<OwningOpRef<ModuleOp>>
importModelFile(MLIRContext *context, llvm::StringRef path,
                llvm::StringRef config, const PythonProgramOptions &python);

/// Whether `path` is a model file rather than predict IR: by its extension
/// (`.h5`, `.hdf5`, `.keras`, `.py`, `.json`) or, under another name that
/// is not `.mlir`/`.mlirbc`, by its first bytes (HDF5's signature, a zip
/// archive's). Anything else (`-` for stdin) is read as IR.
bool isModelFile(llvm::StringRef path);

/// How the tools that take either a model file or IR read it.
struct ModuleSourceOptions {
  /// For model files: the Keras JSON of a weights file, and the Python
  /// front end's options.
  std::string config;
  PythonProgramOptions python;
  /// For IR (and the size check of model files): the largest file read and
  /// the deepest bracket nesting, named by the tool's flags in errors.
  uint64_t maxFileBytes;
  unsigned maxNesting;
  llvm::StringRef maxFileFlag = "--max-file-mib";
  llvm::StringRef maxNestingFlag = "--max-nesting";
};

/// Reads `path`: a model file through importModelFile, IR through MLIR's
/// parser (after the size and nesting checks), its buffer kept in
/// `sourceMgr` for diagnostics. An error when options of model files are
/// given for IR.
llvm::Expected<OwningOpRef<ModuleOp>>
loadModule(MLIRContext *context, llvm::SourceMgr &sourceMgr,
           llvm::StringRef path, const ModuleSourceOptions &options);

/// Prints the diagnostics of Keras layers, located at
/// loc("dense_1"("model.h5")), as `model.h5: layer 'dense_1': error: ...`
/// to stderr; others go to the handler installed before it.
class KerasDiagnosticPrinter : public ScopedDiagnosticHandler {
public:
  explicit KerasDiagnosticPrinter(MLIRContext *context);
};

} // namespace mlir::predict

#endif // PREDICT_IMPORT_IMPORTFILE_H
