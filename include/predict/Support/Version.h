//===- Version.h - predict's version and every tool's --version -*- C++ -*-===//
//
// The version is declared once, in the top CMakeLists.txt's project(); the
// tools print it, with the LLVM/MLIR release they were built against, so
// that a bug report names both.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_SUPPORT_VERSION_H
#define PREDICT_SUPPORT_VERSION_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::predict {

/// predict's version, `MAJOR.MINOR.PATCH` (project(predict VERSION ...)).
llvm::StringRef getPredictVersion();

/// Prints `predict version X.Y.Z` and the LLVM/MLIR version predict was
/// built with, one line each.
void printVersion(llvm::raw_ostream &os);

/// Makes `--version` print printVersion instead of LLVM's banner (which
/// names LLVM only). Call before parsing the command line.
void registerVersionPrinter();

} // namespace mlir::predict

#endif // PREDICT_SUPPORT_VERSION_H
