//===- Version.cpp - predict's version and every tool's --version --------===//

#include "predict/Support/Version.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"

// Defined by lib/Support/CMakeLists.txt from project(predict VERSION ...).
#ifndef PREDICT_VERSION
#error "PREDICT_VERSION is set by lib/Support/CMakeLists.txt"
#endif

llvm::StringRef mlir::predict::getPredictVersion() { return PREDICT_VERSION; }

void mlir::predict::printVersion(llvm::raw_ostream &os) {
  // LLVM_VERSION_STRING is the release of the headers compiled against:
  // MLIR has no version of its own, it is released with LLVM.
  os << "predict version " << getPredictVersion() << "\n"
     << "  built with LLVM/MLIR " << LLVM_VERSION_STRING << "\n";
}

void mlir::predict::registerVersionPrinter() {
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) { printVersion(os); });
}
