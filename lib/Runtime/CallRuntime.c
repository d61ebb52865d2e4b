/*===- CallRuntime.c - error channel and buffers of compiled calls --------===*\
|*                                                                            *|
|* Implements include/predict/Runtime/Runtime.h: a failed check formats its   *|
|* message into the current call and longjmps back to the caller's           *|
|* PREDICT_CALL; heap buffers carry a header linking them into the call's     *|
|* list of live buffers, so that a failed call frees everything it allocated *|
|* and a successful one tells its results (owned) from views of arguments or *|
|* globals (not owned). Plain C and libc only: it is linked into the         *|
|* libraries predict-compile writes. See docs/Runtime.md.                    *|
\*===----------------------------------------------------------------------===*/

#define _GNU_SOURCE /* RTLD_DEFAULT */
#include "CallRuntime.h"
#include "predict/Runtime/Runtime.h"

#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The call running on this thread; null on threads that run no call
 * (OpenMP workers). */
static _Thread_local predict_call *current = NULL;
/* The error of a failure that has no call to return to (then aborts). */
static _Thread_local char *orphanError = NULL;

static uint64_t maxBufferBytes = (uint64_t)16 << 30;

void predict_runtime_set_max_buffer_bytes(uint64_t bytes) {
  maxBufferBytes = bytes;
}
uint64_t predict_runtime_max_buffer_bytes(void) { return maxBufferBytes; }

static void lock(volatile int *flag) {
  while (__atomic_test_and_set(flag, __ATOMIC_ACQUIRE))
    ;
}
static void unlock(volatile int *flag) {
  __atomic_clear(flag, __ATOMIC_RELEASE);
}
static void lockList(predict_call *call) { lock(&call->lock); }
static void unlockList(predict_call *call) { unlock(&call->lock); }

/* Freed blocks of at least kCachedBytes, kept for the buffers of the next
 * calls. A model's intermediate tensors are allocated and freed on every
 * call; given back to malloc, a large block went back to the kernel (glibc
 * trims the top of its heap past a threshold, and unmaps blocks it mapped),
 * and the next call faulted every page of it in again, zeroed: the MLP
 * 1024-1024-1024-10 at batch 256 took 10 ms a call instead of 5 in one
 * process out of two (docs/Runtime.md). Arenas of ONNX Runtime and
 * TensorFlow keep their blocks the same way. At most kCachedBlocks blocks
 * and kCachedTotal bytes are kept, the oldest given back first; a larger
 * block is never kept (faulting it in costs little beside the work on it).
 * A block is reused for a buffer of at least half its size. Shared by all
 * threads, under a spin lock. */
enum { kCachedBlocks = 16 };
static const size_t kCachedBytes = (size_t)64 << 10;
static const size_t kCachedTotal = (size_t)64 << 20;
static struct {
  void *base;
  size_t capacity;
} cache[kCachedBlocks];
static int cachedCount;
static size_t cachedTotal;
static volatile int cacheLock;

/* A cached block of at least `bytes` and at most twice that (the smallest
 * such), taken out of the cache; null if there is none. */
static void *takeCached(size_t bytes, size_t *capacity) {
  if (bytes < kCachedBytes)
    return NULL;
  void *base = NULL;
  lock(&cacheLock);
  int best = -1;
  for (int i = 0; i < cachedCount; ++i)
    if (cache[i].capacity >= bytes && cache[i].capacity / 2 <= bytes &&
        (best < 0 || cache[i].capacity < cache[best].capacity))
      best = i;
  if (best >= 0) {
    base = cache[best].base;
    *capacity = cache[best].capacity;
    cachedTotal -= cache[best].capacity;
    memmove(&cache[best], &cache[best + 1],
            (size_t)(cachedCount - best - 1) * sizeof cache[0]);
    --cachedCount;
  }
  unlock(&cacheLock);
  return base;
}

/* Gives a block back: to the cache if it is large (and not too large), to
 * malloc otherwise, with the oldest cached blocks that no longer fit. */
static void releaseBlock(void *base, size_t capacity) {
  if (capacity < kCachedBytes || capacity > kCachedTotal) {
    free(base);
    return;
  }
  void *evicted[kCachedBlocks];
  int count = 0;
  lock(&cacheLock);
  int drop = 0;
  while (drop < cachedCount && (cachedCount - drop == kCachedBlocks ||
                                cachedTotal + capacity > kCachedTotal)) {
    evicted[count++] = cache[drop].base;
    cachedTotal -= cache[drop].capacity;
    ++drop;
  }
  memmove(&cache[0], &cache[drop],
          (size_t)(cachedCount - drop) * sizeof cache[0]);
  cachedCount -= drop;
  cache[cachedCount].base = base;
  cache[cachedCount].capacity = capacity;
  ++cachedCount;
  cachedTotal += capacity;
  unlock(&cacheLock);
  for (int i = 0; i < count; ++i)
    free(evicted[i]);
}

/* Gives every cached block back when the image holding this runtime is
 * unloaded: a compiled library closed by dlclose (runner::LibraryFunction
 * closes its library when it is destroyed) or the program at exit. Without it
 * the blocks outlive the cache that points at them (LeakSanitizer reported them
 * as leaks, 64 KiB to 64 MiB per library). */
__attribute__((destructor)) static void releaseCache(void) {
  lock(&cacheLock);
  for (int i = 0; i < cachedCount; ++i)
    free(cache[i].base);
  cachedCount = 0;
  cachedTotal = 0;
  unlock(&cacheLock);
}

static void *payloadOf(predict_buffer_header *header) { return header + 1; }
static predict_buffer_header *headerOf(void *payload) {
  return (predict_buffer_header *)payload - 1;
}

void predict_call_enter(predict_call *call) {
  call->error = NULL;
  call->failed = 0;
  call->live.prev = call->live.next = &call->live;
  call->lock = 0;
  call->previous = current;
  current = call;
}

void predict_call_leave(predict_call *call) { current = call->previous; }

void predict_call_release_all(predict_call *call) {
  /* No lock: the call has returned, so no thread of it runs any more. */
  for (predict_buffer_header *h = call->live.next; h != &call->live;) {
    predict_buffer_header *next = h->next;
    releaseBlock(h->base, h->capacity);
    h = next;
  }
  call->live.prev = call->live.next = &call->live;
  free(call->error);
  call->error = NULL;
}

int predict_call_owns(predict_call *call, const void *pointer) {
  int found = 0;
  lockList(call);
  for (predict_buffer_header *h = call->live.next; h != &call->live;
       h = h->next)
    if (payloadOf(h) == pointer) {
      found = 1;
      break;
    }
  unlockList(call);
  return found;
}

const char *predict_call_error(const predict_call *call) {
  return call->error ? call->error
                     : "error: at run time: the compiled code failed (no "
                       "memory left for its message)";
}

/* The slot the current failure's message goes to. */
static char **errorSlot(void) {
  return current ? &current->error : &orphanError;
}

static void setError(char *message) {
  char **slot = errorSlot();
  free(*slot);
  *slot = message;
  if (current)
    current->failed = 1;
}

void predict_call_set_error(const char *message) {
  size_t n = strlen(message);
  char *copy = malloc(n + 1);
  if (copy)
    memcpy(copy, message, n + 1);
  setError(copy);
}

/* Whether the calling thread is inside an OpenMP parallel region, active or
 * serialized (a jump out of either would leave the OpenMP runtime's state
 * behind); asked of the OpenMP runtime only when it is loaded (the JIT
 * loads it after start-up, so it is looked up, not linked). */
static int inParallelRegion(void) {
  int (*level)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_level");
  return level && level() > 0;
}

void predict_call_abandon(void) {
  predict_call *call = current;
  if (call && !inParallelRegion())
    longjmp(call->failure, 1);
  /* Compiled code never gets here (checks and callbacks stay on the calling
   * thread); a buffer that cannot be allocated on a worker thread does. */
  const char *message = call ? predict_call_error(call)
                             : (orphanError ? orphanError : "error");
  fprintf(stderr,
          "%s\npredict: fatal: the failure happened where the call cannot "
          "be abandoned (%s)\n",
          message,
          call ? "inside an OpenMP parallel region"
               : "on a thread that runs no call");
  abort();
}

void predict_text_append(predict_text *t, const char *s, size_t n) {
  if (!t->text && t->capacity)
    return; /* an earlier allocation failed */
  if (t->size + n + 1 > t->capacity) {
    size_t capacity = 2 * (t->size + n + 1);
    char *grown = realloc(t->text, capacity);
    if (!grown) {
      free(t->text);
      t->text = NULL;
      t->capacity = 1;
      return;
    }
    t->text = grown;
    t->capacity = capacity;
  }
  memcpy(t->text + t->size, s, n);
  t->size += n;
  t->text[t->size] = '\0';
}

/* `message` with `{N}` replaced by values[N] and `{{` by `{`. */
static char *formatMessage(const char *message, const int64_t *values,
                           int64_t count) {
  predict_text out = {NULL, 0, 0};
  predict_text_append(&out, "", 0);
  for (const char *c = message; *c; ++c) {
    if (c[0] == '{' && c[1] == '{') {
      predict_text_append(&out, "{", 1);
      ++c;
      continue;
    }
    if (c[0] == '{') {
      char *end;
      long index = strtol(c + 1, &end, 10);
      if (end != c + 1 && *end == '}' && index >= 0 && index < count) {
        char number[32];
        int n = snprintf(number, sizeof number, "%" PRId64, values[index]);
        predict_text_append(&out, number, (size_t)n);
        c = end;
        continue;
      }
    }
    predict_text_append(&out, c, 1);
  }
  return out.text;
}

/* Fails the current call for a buffer of `size` bytes that cannot be had. */
__attribute__((noreturn)) static void failAllocation(size_t size,
                                                     int tooLarge) {
  char message[256];
  if (tooLarge)
    snprintf(message, sizeof message,
             "error: at run time: the compiled code needs a buffer of %" PRIu64
             " bytes, more than the largest tensor allowed (%" PRIu64
             " bytes)",
             (uint64_t)size, maxBufferBytes);
  else
    snprintf(message, sizeof message,
             "error: at run time: the compiled code needs a buffer of %" PRIu64
             " bytes, more memory than the machine gives",
             (uint64_t)size);
  predict_call_set_error(message);
  predict_call_abandon();
}

/* A buffer of `size` bytes aligned to `alignment` (a power of two), with its
 * header before it, in the current call's list. */
static void *allocate(size_t size, size_t alignment) {
  if (size > maxBufferBytes)
    failAllocation(size, 1);
  /* malloc aligns to 16, which the header keeps; more costs the alignment. */
  size_t extra = sizeof(predict_buffer_header);
  if (alignment > _Alignof(predict_buffer_header))
    extra += alignment;
  size_t capacity = size + extra;
  void *base = takeCached(capacity, &capacity);
  if (!base)
    base = malloc(capacity);
  if (!base)
    failAllocation(size, 0);
  uintptr_t payload = (uintptr_t)base + sizeof(predict_buffer_header);
  if (alignment > _Alignof(predict_buffer_header))
    payload = (payload + alignment - 1) & ~(uintptr_t)(alignment - 1);
  predict_buffer_header *header = headerOf((void *)payload);
  header->base = base;
  header->capacity = capacity;
  header->owner = current;
  predict_call *call = current;
  if (call) {
    lockList(call);
    header->prev = &call->live;
    header->next = call->live.next;
    call->live.next->prev = header;
    call->live.next = header;
    unlockList(call);
  } else {
    header->prev = header->next = NULL;
  }
  return payloadOf(header);
}

void predict_runtime_check_failed(const char *message, const int64_t *values,
                                  int64_t count) {
  setError(formatMessage(message, values, count));
  predict_call_abandon();
}

void *_mlir_memref_to_llvm_alloc(size_t size) {
  return allocate(size, _Alignof(predict_buffer_header));
}

void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  if (alignment == 0 || (alignment & (alignment - 1)))
    alignment = _Alignof(predict_buffer_header);
  return allocate(size, alignment);
}

void _mlir_memref_to_llvm_free(void *pointer) {
  if (!pointer)
    return;
  predict_buffer_header *header = headerOf(pointer);
  predict_call *owner = header->owner;
  if (owner) {
    lockList(owner);
    header->prev->next = header->next;
    header->next->prev = header->prev;
    unlockList(owner);
  }
  releaseBlock(header->base, header->capacity);
}
