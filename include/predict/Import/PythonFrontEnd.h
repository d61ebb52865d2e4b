//===- PythonFrontEnd.h - where the Python reader is -------------*- C++ -*-===//
//
// predict-import runs the Python reader (python/ of the source tree) with
// /usr/bin/python3. It is found relative to the running executable, in the
// same layout in the build tree and in an installed tree:
//
//   <prefix>/bin/predict-import
//   <prefix>/share/predict/python/predict_read_source.py
//
// so that an installed predict never reads the tree it was built from.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_IMPORT_PYTHONFRONTEND_H
#define PREDICT_IMPORT_PYTHONFRONTEND_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mlir::predict {

/// The environment variable that overrides where the front end is (a folder
/// holding its scripts), for developers.
inline constexpr llvm::StringLiteral kPythonFrontEndEnv = "PREDICT_PYTHON_DIR";

/// The front end's script, the reader: it writes the program JSON that
/// the C++ builder builds (importPythonProgram, docs/PythonProgram.md).
inline constexpr llvm::StringLiteral kPythonReaderScript =
    "predict_read_source.py";

/// The path of the front end's script `script`: in $PREDICT_PYTHON_DIR when
/// it is set and not empty, else in ../share/predict/python beside the
/// running executable. When the script is not there, an error naming the
/// path looked at and how to repair the installation.
llvm::Expected<std::string> findPythonFrontEnd(llvm::StringRef script);

/// Runs the front end's `script` (findPythonFrontEnd) with /usr/bin/python3
/// and `args`: imported as a module (its bytecode cached) and its
/// `run(argv)` called, in Python's isolated mode (-I). Its standard output
/// to the file `outPath`, its standard
/// error (the user's diagnostics, `file:line:col: error: ...`) passed
/// through. An error when the script is missing, cannot run or crashes, or
/// exits non-zero ("'<source>' was not converted (errors above)").
llvm::Error runPythonFrontEnd(llvm::StringRef script,
                              llvm::ArrayRef<std::string> args,
                              llvm::StringRef outPath, llvm::StringRef source);

} // namespace mlir::predict

#endif // PREDICT_IMPORT_PYTHONFRONTEND_H
