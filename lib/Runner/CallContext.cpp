//===- CallContext.cpp - error channel and buffers of compiled calls ------===//
//
// Implements include/predict/Runtime/Runtime.h for the JIT: a failed check
// formats its message into the current call's context and longjmps back to
// CompiledFunction::invoke; heap buffers carry a header linking them into
// the call's list of live buffers, so that a failed call frees everything
// it allocated and a successful one tells its results (owned) from views
// of arguments or globals (not owned). See docs/Runtime.md.
//
//===----------------------------------------------------------------------===//

#include "CallContext.h"
#include "predict/Runner/HostTensor.h"
#include "predict/Runtime/Runtime.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>

using namespace mlir::predict::runner;

/// The call running on this thread; null on threads that run no call
/// (OpenMP workers).
static thread_local CallContext *current = nullptr;
/// The error of a failure that has no call to return to (then aborts).
static thread_local std::string orphanError;

namespace {
/// Holds a context's list lock (a spin lock: the critical sections are a
/// few pointer writes, and contention is rare).
class ListLock {
public:
  explicit ListLock(CallContext &ctx) : flag(ctx.lock) {
    while (flag.test_and_set(std::memory_order_acquire))
      ;
  }
  ~ListLock() { flag.clear(std::memory_order_release); }

private:
  std::atomic_flag &flag;
};
} // namespace

static void *payloadOf(BufferHeader *header) { return header + 1; }
static BufferHeader *headerOf(const void *payload) {
  return const_cast<BufferHeader *>(
      static_cast<const BufferHeader *>(payload) - 1);
}

CallContext::CallContext() { live.prev = live.next = &live; }

CallContext::~CallContext() {
  // No lock: the call has returned, so no thread of it runs any more.
  for (BufferHeader *h = live.next; h != &live;) {
    BufferHeader *next = h->next;
    std::free(h->base);
    h = next;
  }
}

void CallContext::enter() {
  previous = current;
  current = this;
}

void CallContext::leave() { current = previous; }

bool CallContext::owns(const void *pointer) {
  ListLock hold(*this);
  for (BufferHeader *h = live.next; h != &live; h = h->next)
    if (payloadOf(h) == pointer)
      return true;
  return false;
}

void CallContext::release(void *pointer) { _mlir_memref_to_llvm_free(pointer); }

/// Whether the calling thread is inside an OpenMP parallel region, active
/// or serialized (a jump out of either would leave libomp's state behind);
/// asked of libomp only when the JIT loaded it.
static bool inParallelRegion() {
  using Query = int (*)();
  static Query level =
      reinterpret_cast<Query>(dlsym(RTLD_DEFAULT, "omp_get_level"));
  return level && level() > 0;
}

void mlir::predict::runner::setCallError(const llvm::Twine &message) {
  (current ? current->error : orphanError) = message.str();
}

[[noreturn]] void mlir::predict::runner::abandonCall() {
  CallContext *ctx = current;
  if (ctx && !inParallelRegion())
    std::longjmp(ctx->failure, 1);
  // Compiled code never gets here (checks and callbacks stay on the calling
  // thread); a buffer that cannot be allocated on a worker thread does.
  const std::string &message = ctx ? ctx->error : orphanError;
  std::fprintf(stderr,
               "%s\npredict: fatal: the failure happened where the call "
               "cannot be abandoned (%s)\n",
               message.c_str(),
               ctx ? "inside an OpenMP parallel region"
                   : "on a thread that runs no call");
  std::abort();
}

/// `message` with `{N}` replaced by values[N] and `{{` by `{`.
static void formatMessage(std::string &out, const char *message,
                          const int64_t *values, int64_t count) {
  out.clear();
  for (const char *c = message; *c; ++c) {
    if (c[0] == '{' && c[1] == '{') {
      out += '{';
      ++c;
      continue;
    }
    if (c[0] == '{') {
      char *end;
      long index = std::strtol(c + 1, &end, 10);
      if (end != c + 1 && *end == '}' && index >= 0 && index < count) {
        out += std::to_string(values[index]);
        c = end;
        continue;
      }
    }
    out += *c;
  }
}

/// Fails the current call for a buffer of `size` bytes that cannot be had.
[[noreturn]] static void failAllocation(size_t size, bool tooLarge) {
  setCallError(
      "error: at run time: the compiled code needs a buffer of " +
      llvm::Twine(uint64_t(size)) + " bytes, " +
      (tooLarge ? "more than the largest tensor allowed (" +
                      llvm::Twine(maxTensorBytes()) + " bytes)"
                : llvm::Twine("more memory than the machine gives")));
  abandonCall();
}

/// A buffer of `size` bytes aligned to `alignment` (a power of two), with
/// its header before it, in the current call's list.
static void *allocate(size_t size, size_t alignment) {
  if (size > maxTensorBytes())
    failAllocation(size, /*tooLarge=*/true);
  // malloc aligns to 16, which the header keeps; more costs the alignment.
  size_t extra = sizeof(BufferHeader);
  if (alignment > alignof(BufferHeader))
    extra += alignment;
  void *base = std::malloc(size + extra);
  if (!base)
    failAllocation(size, /*tooLarge=*/false);
  uintptr_t payload = reinterpret_cast<uintptr_t>(base) + sizeof(BufferHeader);
  if (alignment > alignof(BufferHeader))
    payload = (payload + alignment - 1) & ~uintptr_t(alignment - 1);
  BufferHeader *header = headerOf(reinterpret_cast<void *>(payload));
  header->base = base;
  header->owner = current;
  if (CallContext *ctx = current) {
    ListLock hold(*ctx);
    header->prev = &ctx->live;
    header->next = ctx->live.next;
    ctx->live.next->prev = header;
    ctx->live.next = header;
  } else {
    header->prev = header->next = nullptr;
  }
  return payloadOf(header);
}

extern "C" {
void predict_runtime_check_failed(const char *message, const int64_t *values,
                                  int64_t count) {
  formatMessage(current ? current->error : orphanError, message, values, count);
  abandonCall();
}

void *_mlir_memref_to_llvm_alloc(size_t size) {
  return allocate(size, alignof(BufferHeader));
}

void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  if (alignment == 0 || (alignment & (alignment - 1)))
    alignment = alignof(BufferHeader);
  return allocate(size, alignment);
}

void _mlir_memref_to_llvm_free(void *pointer) {
  if (!pointer)
    return;
  BufferHeader *header = headerOf(pointer);
  if (CallContext *owner = header->owner) {
    ListLock hold(*owner);
    header->prev->next = header->next;
    header->next->prev = header->prev;
  }
  std::free(header->base);
}
}

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
    return symbols;
  });
}
