//===- CallContext.h - the state of one call of compiled code -----*- C++ -*-===//
//
// The runtime side of include/predict/Runtime/Runtime.h: each call of a
// compiled function runs in a CallContext, which holds where a failure
// returns to (a jmp_buf), the failure's message, and the heap buffers the
// call allocated and has not freed. See docs/Runtime.md.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_RUNNER_CALLCONTEXT_H
#define LIB_RUNNER_CALLCONTEXT_H

#include "llvm/ADT/Twine.h"

#include <atomic>
#include <csetjmp>
#include <string>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace mlir::predict::runner {

/// The header before each buffer the runtime hands to compiled code; the
/// buffers of a call form a doubly linked list through it.
struct alignas(16) BufferHeader {
  BufferHeader *prev, *next;
  /// The call that allocated it; null for a buffer allocated on a thread
  /// that runs no call (an OpenMP worker), which is freed where it was
  /// allocated (in the same parallel loop iteration).
  struct CallContext *owner;
  /// What malloc returned (the header is after it when aligned).
  void *base;
};

/// One call of compiled code, on the calling thread's stack.
struct CallContext {
  CallContext();
  /// Frees every buffer still live: after a failed call, all it allocated;
  /// after a successful one, what the caller did not take.
  ~CallContext();
  CallContext(const CallContext &) = delete;
  CallContext &operator=(const CallContext &) = delete;

  /// Makes this the current context of the calling thread (until `leave`).
  void enter();
  void leave();

  /// Whether `pointer` is a buffer this call allocated and has not freed.
  bool owns(const void *pointer);
  /// Frees a buffer this call owns.
  static void release(void *pointer);

  /// Where a failure returns to: `setjmp`ed by the caller's frame around the
  /// compiled call (CompiledFunction::invoke).
  std::jmp_buf failure;
  /// The failure's message (empty while the call has not failed).
  std::string error;
  /// Sentinel of the live buffers' list.
  BufferHeader live;
  /// Guards `live`: buffers are freed on OpenMP worker threads too.
  std::atomic_flag lock = ATOMIC_FLAG_INIT;
  /// The context this one replaced on its thread (nested calls).
  CallContext *previous = nullptr;
};

/// Records `message` as the current call's error. The caller then calls
/// `abandonCall` with no object alive that has a destructor (longjmp skips
/// them).
void setCallError(const llvm::Twine &message);

/// Returns to the caller of the compiled function (longjmp to its
/// `failure`); the error must be set. Aborts with the message when no call
/// can be abandoned from here (no call on this thread, or inside an OpenMP
/// parallel region: compiled code never does that, see
/// predict-lower-runtime-checks).
[[noreturn]] void abandonCall();

/// Makes the runtime functions of include/predict/Runtime/Runtime.h visible
/// to JIT-compiled code.
void registerCallRuntime(ExecutionEngine &engine);

} // namespace mlir::predict::runner

#endif // LIB_RUNNER_CALLCONTEXT_H
