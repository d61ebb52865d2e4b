/*===- ForeignCall.c - host callbacks called by compiled code -------------===*\
|* See ForeignCall.h. Plain C: linked into every library of predict-compile. *|
\*===----------------------------------------------------------------------===*/

#include "ForeignCall.h"
#include "CallRuntime.h"
#include "predict/Runtime/ForeignCallback.h"

#include <stdarg.h>
#include <stdio.h>

/* The table of this copy of the runtime (each library has its own). */
static const predict_foreign_callee *callees;
static int64_t numCallees;

void predict_foreign_set_callees(const predict_foreign_callee *table,
                                 int64_t count) {
  callees = table;
  numCallees = count;
}

/* Fails the current call with a message at `callee`'s Python line. */
__attribute__((noreturn, format(printf, 2, 3))) static void
fail(const predict_foreign_callee *callee, const char *format, ...) {
  char message[1024];
  int at = snprintf(message, sizeof message, "%s%serror: at run time: ",
                    callee->location, callee->location[0] ? ": " : "");
  if (at < 0 || (size_t)at >= sizeof message)
    at = 0;
  va_list args;
  va_start(args, format);
  vsnprintf(message + at, sizeof message - at, format, args);
  va_end(args);
  predict_call_set_error(message);
  predict_call_abandon();
}

/* Reads `count` tensors from `block` (their descriptions are views into it)
 * into `tensors`; returns the words after them. */
static int64_t *readTensors(int64_t *block, int64_t count,
                            predict_tensor *tensors) {
  for (int64_t i = 0; i < count; ++i) {
    tensors[i].data = (float *)(intptr_t)block[0];
    tensors[i].rank = block[1];
    tensors[i].shape = block + 2;
    block += 2 + tensors[i].rank;
  }
  return block;
}

/* The callee `id` (the compiled code only passes ids of its own table). */
static const predict_foreign_callee *calleeOf(int64_t id) {
  if (id < 0 || id >= numCallees) {
    predict_call_set_error("error: at run time: a host callback was called "
                           "that no library provides (predict's bug)");
    predict_call_abandon();
  }
  if (callees[id].unavailable)
    fail(&callees[id], "host callback for '%s' is not available: %s",
         callees[id].name, callees[id].unavailable);
  return &callees[id];
}

/* A callee has at most this many arguments (the pass's limit is lower). */
enum { kMaxArgs = 64 };

void predict_runtime_foreign(int64_t id, int64_t *allocated, int64_t *aligned,
                             int64_t offset, int64_t size, int64_t stride) {
  (void)allocated, (void)size, (void)stride;
  const predict_foreign_callee *callee = calleeOf(id);
  predict_tensor args[kMaxArgs], result;
  if (callee->num_args > kMaxArgs)
    fail(callee, "'%s' takes more than %d arguments", callee->name, kMaxArgs);
  int64_t *rest = readTensors(aligned + offset, callee->num_args, args);
  readTensors(rest, 1, &result);
  int status = callee->fn(args, callee->num_args, &result);
  if (status)
    fail(callee, "host callback for '%s' failed with status %d", callee->name,
         status);
}

/* "2x7" of `rank` sizes, into `text`. */
static void formatSizes(char *text, size_t capacity, const int64_t *sizes,
                        int64_t rank) {
  size_t at = 0;
  text[0] = 0;
  for (int64_t d = 0; d < rank && at < capacity; ++d) {
    int n = snprintf(text + at, capacity - at, "%s%lld", d ? "x" : "",
                     (long long)sizes[d]);
    if (n < 0)
      return;
    at += (size_t)n;
  }
}

void predict_runtime_foreign_shape(int64_t id, int64_t *allocated,
                                   int64_t *aligned, int64_t offset,
                                   int64_t size, int64_t stride) {
  (void)allocated, (void)size, (void)stride;
  const predict_foreign_callee *callee = calleeOf(id);
  predict_tensor args[kMaxArgs];
  if (callee->num_args > kMaxArgs)
    fail(callee, "'%s' takes more than %d arguments", callee->name, kMaxArgs);
  int64_t *rest = readTensors(aligned + offset, callee->num_args, args);
  int64_t rank = rest[1], *shape = rest + 2;
  /* The annotated sizes (-1: dynamic), which the library must respect: the
   * compiled code allocates what the sizes say, so they are checked first. */
  int64_t expected[64];
  if (rank > 64)
    fail(callee, "the result of '%s' has rank %lld (at most 64)", callee->name,
         (long long)rank);
  for (int64_t d = 0; d < rank; ++d)
    expected[d] = shape[d];
  int status = callee->shape(args, callee->num_args, rank, shape);
  if (status)
    fail(callee, "the shape function of '%s' failed with status %d",
         callee->name, status);
  char gave[512], type[512];
  formatSizes(gave, sizeof gave, shape, rank);
  size_t at = 0;
  for (int64_t d = 0; d < rank && at < sizeof type; ++d) {
    int n = expected[d] < 0
                ? snprintf(type + at, sizeof type - at, "?x")
                : snprintf(type + at, sizeof type - at, "%lldx",
                           (long long)expected[d]);
    if (n < 0)
      break;
    at += (size_t)n;
  }
  type[at < sizeof type ? at : sizeof type - 1] = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (shape[d] < 0)
      fail(callee,
           "the shape function of '%s' gave %s for tensor<%sf32> (dimension "
           "%lld is negative)",
           callee->name, gave, type, (long long)d);
    if (expected[d] >= 0 && shape[d] != expected[d])
      fail(callee,
           "the shape function of '%s' gave %s for tensor<%sf32> (dimension "
           "%lld must be %lld)",
           callee->name, gave, type, (long long)d, (long long)expected[d]);
  }
  uint64_t bytes = sizeof(float), limit = predict_runtime_max_buffer_bytes();
  for (int64_t d = 0; d < rank; ++d) {
    uint64_t n = (uint64_t)shape[d];
    if (n != 0 && bytes > limit / n)
      fail(callee,
           "the shape function of '%s' gave %s for tensor<%sf32>: more than "
           "the largest tensor allowed (%llu bytes)",
           callee->name, gave, type, (unsigned long long)limit);
    bytes *= n;
  }
}
