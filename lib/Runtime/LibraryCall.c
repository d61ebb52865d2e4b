/*===- LibraryCall.c - the C ABI of the libraries of predict-compile ------===*\
|*                                                                            *|
|* Each public function of a library that predict-compile writes is a call of *|
|* predict_library_call with the function's packed entry (one pointer per    *|
|* memref descriptor field) and its signature: the inputs are checked against *|
|* it, passed as descriptors without a copy, the call runs in a predict_call  *|
|* (a failed check returns here with its message), and the outputs are copied *|
|* into buffers of malloc that the caller frees. See docs/AOT.md.            *|
\*===----------------------------------------------------------------------===*/

#define _GNU_SOURCE /* pthread_getattr_np */
#include "LibraryCall.h"
#include "CallRuntime.h"

#include <inttypes.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The last error of a call on this thread. A buffer of its own, not one of
 * malloc: a thread that exits (or a library that is unloaded) leaves nothing
 * to free. A longer message is cut, ending in "...". */
static _Thread_local char lastError[4096];

const char *predict_library_last_error(void) { return lastError; }

/* Formats the last error; a message longer than the buffer is cut and ends
 * in "...". */
__attribute__((format(printf, 1, 2))) static void
setLastError(const char *format, ...) {
  va_list args;
  va_start(args, format);
  int n = vsnprintf(lastError, sizeof lastError, format, args);
  va_end(args);
  if (n >= (int)sizeof lastError)
    memcpy(lastError + sizeof lastError - 4, "...", 4);
}

static int64_t elementSize(int32_t dtype) {
  switch (dtype) {
  case PREDICT_FLOAT32:
  case PREDICT_INT32:
    return 4;
  case PREDICT_FLOAT64:
  case PREDICT_INT64:
    return 8;
  case PREDICT_BOOL:
    return 1;
  default:
    return 0;
  }
}

static const char *dtypeName(int32_t dtype) {
  switch (dtype) {
  case PREDICT_FLOAT32:
    return "float32";
  case PREDICT_FLOAT64:
    return "float64";
  case PREDICT_INT32:
    return "int32";
  case PREDICT_INT64:
    return "int64";
  case PREDICT_BOOL:
    return "bool";
  default:
    return "an unknown dtype";
  }
}

/* Formats `spec`'s shape as `?x100` into `out`. */
/* `shape` as 2x?x3 (a negative size, a spec's dynamic one, as ?). */
static void formatShape(char *out, size_t size, int32_t rank,
                        const int64_t *shape) {
  size_t at = 0;
  out[0] = '\0';
  for (int32_t d = 0; d < rank && at < size; ++d) {
    int n = shape[d] < 0 ? snprintf(out + at, size - at, "%s?", d ? "x" : "")
                         : snprintf(out + at, size - at, "%s%" PRId64,
                                    d ? "x" : "", shape[d]);
    at += n > 0 ? (size_t)n : 0;
  }
}

static void formatSpec(char *out, size_t size,
                       const predict_tensor_spec *spec) {
  formatShape(out, size, spec->rank, spec->shape);
}

/* Checks input `i` against its spec; sets the last error to why not. */
static int checkInput(const predict_signature *sig, int32_t i,
                      const predict_tensor *input) {
  const predict_tensor_spec *spec = &sig->inputs[i];
  char expected[256]; /* formatted only for a message */
  if (input->dtype != spec->dtype) {
    setLastError("input #%d of %s must be %s, got %s", i, sig->name,
                 dtypeName(spec->dtype), dtypeName(input->dtype));
    return 0;
  }
  if (input->rank != spec->rank) {
    formatSpec(expected, sizeof expected, spec);
    setLastError("input #%d of %s must have rank %d (%s), got rank %d", i,
                 sig->name, spec->rank, expected, input->rank);
    return 0;
  }
  for (int32_t d = 0; d < spec->rank; ++d) {
    if (input->shape[d] < 0) {
      setLastError("input #%d of %s has a negative size (%" PRId64
                   ") in dimension %d",
                   i, sig->name, input->shape[d], d);
      return 0;
    }
    /* Even a tensor with no element (another size 0) keeps each size
     * within 2**62: the compiled code adds small constants to sizes
     * unchecked (x.shape[0] + 1). */
    if (input->shape[d] > ((int64_t)1 << 62)) {
      setLastError("input #%d of %s has a size of %" PRId64
                   " in dimension %d, beyond 2**62",
                   i, sig->name, input->shape[d], d);
      return 0;
    }
    if (spec->shape[d] >= 0 && input->shape[d] != spec->shape[d]) {
      formatSpec(expected, sizeof expected, spec);
      setLastError(
          "input #%d of %s must have shape %s: dimension %d is %" PRId64
          ", not %" PRId64,
          i, sig->name, expected, d, input->shape[d], spec->shape[d]);
      return 0;
    }
  }
  /* The bytes the input claims, without overflow: larger than the tensor
   * limit it cannot be in memory, and sizes derived from it in the compiled
   * code could wrap. */
  uint64_t bytes = (uint64_t)elementSize(input->dtype), limit =
                       predict_runtime_max_buffer_bytes();
  int empty = 0;
  for (int32_t d = 0; d < input->rank; ++d)
    empty |= input->shape[d] == 0;
  for (int32_t d = 0; d < input->rank && !empty; ++d) {
    if (bytes > limit / (uint64_t)input->shape[d]) {
      char shape[256];
      formatShape(shape, sizeof shape, input->rank, input->shape);
      setLastError(
          "input #%d of %s claims more than the largest tensor allowed "
          "(%" PRIu64 " bytes): its shape is %s (%s)",
          i, sig->name, limit, shape, dtypeName(input->dtype));
      return 0;
    }
    bytes *= (uint64_t)input->shape[d];
  }
  if (!input->data) {
    if (!empty) {
      setLastError("input #%d of %s has no data (a null pointer)", i,
                   sig->name);
      return 0;
    }
  }
  /* A bool is the byte 0 or 1 (C's _Bool, numpy's bool_): the compiled code
   * reads bit 0 alone, so the byte 2 would be false. */
  if (input->dtype == PREDICT_BOOL && !empty) {
    const unsigned char *data = input->data;
    for (uint64_t k = 0; k < bytes; ++k)
      if (data[k] > 1) {
        setLastError("input #%d of %s is bool, but its element %" PRIu64
                     " (in C order) is the byte %u: a bool must be 0 or 1",
                     i, sig->name, k, data[k]);
        return 0;
      }
  }
  return 1;
}

/* Fields of a memref descriptor of `rank`: two pointers, offset, sizes,
 * strides. */
static size_t descriptorFields(int32_t rank) { return 3 + 2 * (size_t)rank; }

/* Whether `pointer` is on the calling thread's stack: a result there is a
 * view of a memref.alloca of the returned function, whose frame is gone.
 * The bounds are read once per thread: pthread_getattr_np reads
 * /proc/self/maps on the main thread, which cost ~20-160 us a call. */
static int onThisStack(const void *pointer) {
  static _Thread_local int known; /* 0: not read yet, 1: read, -1: failed */
  static _Thread_local uintptr_t begin, size;
  if (!known) {
    pthread_attr_t attr;
    void *low = NULL;
    size_t bytes = 0;
    known = -1;
    if (!pthread_getattr_np(pthread_self(), &attr)) {
      if (!pthread_attr_getstack(&attr, &low, &bytes)) {
        begin = (uintptr_t)low;
        size = bytes;
        known = 1;
      }
      pthread_attr_destroy(&attr);
    }
  }
  uintptr_t at = (uintptr_t)pointer;
  return known == 1 && at >= begin && at - begin < size;
}

/* Whether this machine has the x86 feature `name` (__builtin_cpu_supports's
 * names; "apxf", "avx10.1" and "avx10.2" read with cpuid). */
static int cpuHas(const char *name) {
#if defined(__x86_64__)
  unsigned a, b, c, d;
  if (!strcmp(name, "apxf") || !strncmp(name, "avx10.", 6)) {
    /* CPUID.(7,1):EDX bit 21 is APX_F, bit 19 AVX10; leaf 0x24 gives the
     * AVX10 version. The OS must also save the state (XCR0 bit 19 for
     * APX's registers; AVX-512's for AVX10). */
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d))
      return 0;
    if (!strcmp(name, "apxf")) {
      unsigned lo, hi;
      if (!(d & (1u << 21)))
        return 0;
      __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
      return (lo >> 19) & 1;
    }
    if (!(d & (1u << 19)) || !__builtin_cpu_supports("avx512f") ||
        !__get_cpuid_count(0x24, 0, &a, &b, &c, &d))
      return 0;
    return (int)(b & 0xff) >= atoi(name + 6);
  }
#define PREDICT_CPU(feature)                                                   \
  if (!strcmp(name, feature))                                                  \
    return __builtin_cpu_supports(feature);
  // clang-format off
  PREDICT_CPU("sse3") PREDICT_CPU("ssse3") PREDICT_CPU("sse4.1")
  PREDICT_CPU("sse4.2") PREDICT_CPU("popcnt") PREDICT_CPU("avx")
  PREDICT_CPU("avx2") PREDICT_CPU("fma") PREDICT_CPU("bmi")
  PREDICT_CPU("bmi2") PREDICT_CPU("lzcnt") PREDICT_CPU("movbe")
  PREDICT_CPU("f16c") PREDICT_CPU("avxvnni") PREDICT_CPU("gfni")
  PREDICT_CPU("sse4a") PREDICT_CPU("fma4") PREDICT_CPU("xop")
  PREDICT_CPU("tbm") PREDICT_CPU("avx512f") PREDICT_CPU("avx512dq")
  PREDICT_CPU("avx512cd") PREDICT_CPU("avx512bw") PREDICT_CPU("avx512vl")
  PREDICT_CPU("avx512vnni") PREDICT_CPU("avx512bf16")
  PREDICT_CPU("avx512vbmi") PREDICT_CPU("avx512vbmi2")
  PREDICT_CPU("avx512ifma") PREDICT_CPU("avx512vpopcntdq")
  PREDICT_CPU("avx512bitalg")
  // clang-format on
#undef PREDICT_CPU
#endif
  (void)name;
  return 0; /* a feature this runtime cannot test: assume it is missing */
}

const char *predict_library_cpu_missing(const char *const *features) {
#if defined(__x86_64__)
  __builtin_cpu_init();
#endif
  for (; *features; ++features)
    if (!cpuHas(*features))
      return *features;
  return NULL;
}

predict_status predict_library_cpu_error(const char *cpu,
                                        const char *feature) {
  setLastError("error: this library was compiled for the CPU '%s', whose "
               "'%s' instructions this machine lacks: compile it again with "
               "--target-cpu=host (or an older CPU, such as x86-64-v3)",
               cpu, feature);
  return PREDICT_ERROR;
}

predict_status predict_library_call(predict_packed_function function,
                                    const predict_signature *sig,
                                    const predict_tensor *inputs,
                                    predict_tensor *outputs) {
  if ((sig->num_inputs && !inputs) || (sig->num_outputs && !outputs)) {
    setLastError("%s: the inputs or outputs array is null", sig->name);
    return PREDICT_ERROR;
  }
  size_t inFields = 0, outFields = 0;
  for (int32_t i = 0; i < sig->num_inputs; ++i) {
    if (!checkInput(sig, i, &inputs[i])) {
      return PREDICT_ERROR;
    }
    inFields += descriptorFields(inputs[i].rank);
  }
  for (int32_t i = 0; i < sig->num_outputs; ++i)
    outFields += descriptorFields(sig->outputs[i].rank);
  /* The descriptors of a usual call fit on the stack. */
  enum { kStackFields = 256 };
  int64_t stackFields[kStackFields];
  void *stackArgs[kStackFields];
  int onHeap = inFields + outFields + 1 > kStackFields;
  int64_t *fields = onHeap ? malloc((inFields + outFields + 1) * sizeof(int64_t))
                           : stackFields;
  void **args = onHeap ? malloc((inFields + 1) * sizeof(void *)) : stackArgs;
  if (!fields || !args) {
    if (onHeap) {
      free(fields);
      free(args);
    }
    setLastError("error: no memory left for the call's arguments");
    return PREDICT_ERROR;
  }
  /* The packed entry takes a pointer to each descriptor field of each input
   * and, last, a pointer to the storage of the (struct of) results. */
  size_t at = 0;
  for (int32_t i = 0; i < sig->num_inputs; ++i) {
    const predict_tensor *t = &inputs[i];
    int64_t pointer = (int64_t)(intptr_t)t->data;
    fields[at++] = pointer;
    fields[at++] = pointer;
    fields[at++] = 0;
    for (int32_t d = 0; d < t->rank; ++d)
      fields[at + d] = t->shape[d];
    int64_t stride = 1;
    for (int32_t d = t->rank - 1; d >= 0; --d) {
      fields[at + t->rank + d] = stride;
      stride *= t->shape[d];
    }
    at += 2 * (size_t)t->rank;
  }
  for (size_t f = 0; f < inFields; ++f)
    args[f] = &fields[f];
  int64_t *results = fields + inFields;
  args[inFields] = results;

  predict_call call;
  int ok;
  PREDICT_CALL(&call, ok, function(args));
  if (onHeap)
    free(args);
  if (!ok) {
    setLastError("%s", predict_call_error(&call));
    predict_call_release_all(&call);
    if (onHeap)
      free(fields);
    return PREDICT_ERROR;
  }
  /* Every output is copied into a buffer of its own (a result may be a view
   * of an input or of the weights, or strided), then the call's buffers are
   * freed. */
  predict_status status = PREDICT_OK;
  int32_t copied = 0;
  at = 0;
  for (int32_t i = 0; i < sig->num_outputs; ++i, ++copied) {
    int32_t rank = sig->outputs[i].rank;
    const char *aligned = (const char *)(intptr_t)results[at + 1];
    int64_t offset = results[at + 2];
    const int64_t *sizes = &results[at + 3];
    const int64_t *strides = &results[at + 3 + rank];
    at += descriptorFields(rank);
    predict_tensor *out = &outputs[i];
    if (onThisStack(aligned)) {
      setLastError("error: result #%d of @%s points into the stack of the "
                   "returned function (a memref.alloca): its memory is gone; "
                   "allocate it with memref.alloc",
                   i, sig->name);
      status = PREDICT_ERROR;
      break;
    }
    out->rank = rank;
    out->dtype = sig->outputs[i].dtype;
    int64_t element = elementSize(out->dtype), count = 1, contiguous[PREDICT_MAX_RANK];
    for (int32_t d = rank - 1; d >= 0; --d) {
      out->shape[d] = sizes[d];
      contiguous[d] = count;
      count *= sizes[d];
    }
    out->data = malloc(count ? (size_t)(count * element) : 1);
    if (!out->data) {
      setLastError("error: no memory left for output #%d of %s (%" PRId64
                   " bytes)",
                   i, sig->name, count * element);
      status = PREDICT_ERROR;
      break;
    }
    predict_copy_strided(element, rank, sizes, aligned + offset * element,
                         strides, out->data, contiguous);
  }
  if (status != PREDICT_OK)
    for (int32_t i = 0; i < copied; ++i) {
      free(outputs[i].data);
      outputs[i].data = NULL;
    }
  predict_call_release_all(&call);
  if (onHeap)
    free(fields);
  return status;
}
