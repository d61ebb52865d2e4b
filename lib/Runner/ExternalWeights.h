//===- ExternalWeights.h - weights kept out of LLVM's code ---------*- C++
//-*-===//

#ifndef LIB_RUNNER_EXTERNALWEIGHTS_H
#define LIB_RUNNER_EXTERNALWEIGHTS_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir::predict::runner {

/// A weight whose global was made a declaration: its symbol, its bytes
/// (the module's own resource blob, alive as long as the module), and the
/// alignment the declaration promises (no more than the bytes have).
struct ExternalWeight {
  std::string symbol;
  ArrayRef<char> data;
  uint64_t alignment;
  /// The global's value, which the declaration no longer holds.
  ElementsAttr values;
};

/// Turns the large constant globals of `module` (the weights, in the LLVM
/// dialect: 4 KiB or more of an integer or float type of whole bytes) into
/// external declarations, and returns where their values are. Compiled
/// into the code, every weight was copied three more times (an LLVM
/// constant, the object file, the JIT's memory or the library's object)
/// and went through LLVM's code generation: for 200 MB of weights, 7 s and
/// 1.8 GB at the peak. The JIT binds the symbols to the bytes; a library
/// gets them as data beside its code (AheadOfTime.cpp).
std::vector<ExternalWeight> externalizeWeights(ModuleOp module);

/// Frees the values of every resource `module` refers to and of `weights`,
/// for a caller done with them: resources belong to the context, not to
/// the module, and would otherwise live on beside what comes next
/// (predict-run loads the library it just compiled, whose weights are its
/// own).
void releaseWeights(ModuleOp module, ArrayRef<ExternalWeight> weights);

} // namespace mlir::predict::runner

#endif // LIB_RUNNER_EXTERNALWEIGHTS_H
