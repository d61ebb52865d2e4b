/*===- CallRuntime.h - calls of compiled code: errors and buffers -*- C -*-===*\
|*                                                                            *|
|* The one implementation of include/predict/Runtime/Runtime.h, in C so that  *|
|* the same code serves predict-run's JIT (lib/Runner) and the libraries of   *|
|* predict-compile, which must need nothing but libc (docs/AOT.md). Each call *|
|* of a compiled function runs in a predict_call: where a failure returns to  *|
|* (a jmp_buf the caller setjmp's), the failure's message, and the heap       *|
|* buffers the call allocated and has not freed. See docs/Runtime.md.         *|
\*===----------------------------------------------------------------------===*/

#ifndef PREDICT_LIB_RUNTIME_CALLRUNTIME_H
#define PREDICT_LIB_RUNTIME_CALLRUNTIME_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The header before each buffer the runtime hands to compiled code; the
 * buffers of a call form a doubly linked list through it. */
typedef struct predict_buffer_header {
  struct predict_buffer_header *prev, *next;
  /* The call that allocated it; null for a buffer allocated on a thread
   * that runs no call (an OpenMP worker), which is freed where it was
   * allocated (in the same parallel loop iteration). */
  struct predict_call *owner;
  /* What malloc returned (the header is after it when aligned), and its
   * size in bytes. */
  void *base;
  size_t capacity;
} __attribute__((aligned(16))) predict_buffer_header;

/* One call of compiled code, on the calling thread's stack. */
typedef struct predict_call {
  /* Where a failure returns to: setjmp'ed by the caller's frame around the
   * compiled call (PREDICT_CALL, below). */
  jmp_buf failure;
  /* The failure's message (malloc'ed; null while the call has not failed
   * or when even the message could not be allocated). */
  char *error;
  /* Whether the call failed. */
  int failed;
  /* Sentinel of the live buffers' list. */
  predict_buffer_header live;
  /* Guards `live` (buffers are freed on OpenMP worker threads too): a spin
   * lock, as the critical sections are a few pointer writes. */
  volatile int lock;
  /* The call this one replaced on its thread (nested calls). */
  struct predict_call *previous;
} predict_call;

/* Prepares `call` and makes it the calling thread's current call. */
void predict_call_enter(predict_call *call);
/* Makes the call it replaced current again. */
void predict_call_leave(predict_call *call);
/* Frees every buffer still live (after a failed call: all it allocated;
 * after a successful one: what the caller did not take) and the message. */
void predict_call_release_all(predict_call *call);
/* Whether `pointer` is a buffer `call` allocated and has not freed. */
int predict_call_owns(predict_call *call, const void *pointer);
/* The failure's message, or a fixed text when it could not be kept. */
const char *predict_call_error(const predict_call *call);

/* Records `message` (copied) as the current call's error. The caller then
 * calls predict_call_abandon with no object alive that has a destructor. */
void predict_call_set_error(const char *message);
/* Returns to the caller of the compiled function (longjmp to its
 * `failure`); the error must be set. Aborts with the message when no call
 * can be abandoned from here (no call on this thread, or inside an OpenMP
 * parallel region: compiled code never does that, see
 * predict-lower-runtime-checks). */
__attribute__((noreturn)) void predict_call_abandon(void);

/* The largest buffer compiled code may allocate, in bytes (default 16 GiB);
 * a larger one fails the call. */
void predict_runtime_set_max_buffer_bytes(uint64_t bytes);
uint64_t predict_runtime_max_buffer_bytes(void);

/* The highest rank predict_copy_strided copies. */
#define PREDICT_COPY_MAX_RANK 64

/* Copies a strided array of `rank` dimensions of `sizes` elements of
 * `elementSize` bytes from `in` to `out`; strides are in elements. */
void predict_copy_strided(int64_t elementSize, int64_t rank,
                          const int64_t *sizes, const char *in,
                          const int64_t *inStrides, char *out,
                          const int64_t *outStrides);

/* A growing NUL-terminated string (for messages and printed text). After
 * an allocation fails, `text` is null and appends do nothing. */
typedef struct predict_text {
  char *text;
  size_t size, capacity;
} predict_text;
void predict_text_append(predict_text *t, const char *s, size_t n);

/* Runs `statement` (a call of compiled code) inside `call`; `ok` becomes 1
 * when it returned, 0 when it failed (the message: predict_call_error).
 * A macro, as setjmp must be in the frame that stays alive. Nothing between
 * it and the compiled code may need unwinding. */
#define PREDICT_CALL(call, ok, statement)                                      \
  do {                                                                         \
    predict_call_enter(call);                                                  \
    if (setjmp((call)->failure) == 0) {                                        \
      statement;                                                               \
      (ok) = 1;                                                                \
    } else {                                                                   \
      (ok) = 0;                                                                \
    }                                                                          \
    predict_call_leave(call);                                                  \
  } while (0)

#ifdef __cplusplus
}
#endif

#endif /* PREDICT_LIB_RUNTIME_CALLRUNTIME_H */
