//===- ForeignRuntime.h - host callbacks for compiled code --------*- C++ -*-===//

#ifndef LIB_RUNNER_FOREIGNRUNTIME_H
#define LIB_RUNNER_FOREIGNRUNTIME_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
}

namespace mlir::predict::runner {

/// Resolves the callees a module lists in `predict.foreign_callees` in the
/// shared libraries `libraries`, and makes them the ones the runtime entry
/// points call. An error names the Python callee and its line.
llvm::Error bindForeignCallees(ModuleOp module,
                               llvm::ArrayRef<std::string> libraries);

/// Makes the runtime entry points (`predict_runtime_foreign` and its shape
/// function) visible to JIT-compiled code.
void registerForeignRuntime(ExecutionEngine &engine);

} // namespace mlir::predict::runner

#endif // LIB_RUNNER_FOREIGNRUNTIME_H
