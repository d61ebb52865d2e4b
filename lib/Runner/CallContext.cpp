//===- CallContext.cpp - the C runtime of compiled calls, for the JIT -----===//
//
// The runtime itself is C (lib/Runtime/CallRuntime.c), shared with the
// libraries of predict-compile; this binds it to the runner: its limit, its
// errors from C++ and its symbols in the JIT. See docs/Runtime.md.
//
//===----------------------------------------------------------------------===//

#include "CallContext.h"
#include "../Runtime/ForeignCall.h"
#include "predict/Runner/HostTensor.h"
#include "predict/Runtime/Runtime.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"

extern "C" void memrefCopy(int64_t elementSize, void *source, void *target);

using namespace mlir::predict::runner;

CallContext::CallContext() {
  predict_runtime_set_max_buffer_bytes(maxTensorBytes());
}

void CallContext::release(void *pointer) { _mlir_memref_to_llvm_free(pointer); }

void mlir::predict::runner::registerCallRuntime(ExecutionEngine &engine) {
  engine.registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](llvm::StringRef name, auto *function) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                 llvm::JITSymbolFlags::Exported};
    };
    add("predict_runtime_check_failed", &predict_runtime_check_failed);
    add("_mlir_memref_to_llvm_alloc", &_mlir_memref_to_llvm_alloc);
    add("_mlir_memref_to_llvm_aligned_alloc",
        &_mlir_memref_to_llvm_aligned_alloc);
    add("_mlir_memref_to_llvm_free", &_mlir_memref_to_llvm_free);
    add("memrefCopy", &memrefCopy);
    add("predict_runtime_foreign", &predict_runtime_foreign);
    add("predict_runtime_foreign_shape", &predict_runtime_foreign_shape);
    add("predict_runtime_print", &predict_runtime_print);
    return symbols;
  });
}
