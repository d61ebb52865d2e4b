//===- CallContext.h - the state of one call of compiled code -----*- C++ -*-===//
//
// The JIT's side of the runtime of compiled code: a CallContext is the C
// runtime's predict_call (lib/Runtime/CallRuntime.h: where a failure returns
// to, its message, the buffers the call allocated) with C++ ownership, and
// registerCallRuntime makes the runtime's functions visible to JIT-compiled
// code. See docs/Runtime.md.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_RUNNER_CALLCONTEXT_H
#define LIB_RUNNER_CALLCONTEXT_H

#include "../Runtime/CallRuntime.h"

#include "llvm/ADT/Twine.h"

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace mlir::predict::runner {

/// One call of compiled code, on the calling thread's stack: run the
/// compiled function with PREDICT_CALL(&context.call, ok, ...).
struct CallContext {
  /// Sets the runtime's buffer limit to maxTensorBytes().
  CallContext();
  /// Frees every buffer still live: after a failed call, all it allocated;
  /// after a successful one, what the caller did not take.
  ~CallContext() { predict_call_release_all(&call); }
  CallContext(const CallContext &) = delete;
  CallContext &operator=(const CallContext &) = delete;

  /// Whether `pointer` is a buffer this call allocated and has not freed.
  bool owns(const void *pointer) { return predict_call_owns(&call, pointer); }
  /// Frees a buffer this call owns.
  static void release(void *pointer);
  /// The failure's message.
  const char *error() const { return predict_call_error(&call); }

  predict_call call;
};

/// Makes the runtime functions of include/predict/Runtime/Runtime.h (and the
/// runtime's memrefCopy and host-callback entry points) visible to
/// JIT-compiled code.
void registerCallRuntime(ExecutionEngine &engine);

} // namespace mlir::predict::runner

#endif // LIB_RUNNER_CALLCONTEXT_H
