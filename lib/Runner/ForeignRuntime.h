//===- ForeignRuntime.h - host callbacks for compiled code --------*- C++ -*-===//

#ifndef LIB_RUNNER_FOREIGNRUNTIME_H
#define LIB_RUNNER_FOREIGNRUNTIME_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir::predict::runner {

/// Resolves the callees a module lists in `predict.foreign_callees` in the
/// shared libraries `libraries` (loaded into this process for good), and
/// makes them the ones the runtime's predict_runtime_foreign calls
/// (lib/Runtime/ForeignCall.h). An error names the Python callee and its
/// line.
llvm::Error bindForeignCallees(ModuleOp module,
                               llvm::ArrayRef<std::string> libraries);

} // namespace mlir::predict::runner

#endif // LIB_RUNNER_FOREIGNRUNTIME_H
