/*===- LibraryCall.h - the C ABI of the libraries of predict-compile -*- C -*-===*\
|*                                                                            *|
|* What the entry points that predict-compile generates call (docs/AOT.md).  *|
\*===----------------------------------------------------------------------===*/

#ifndef PREDICT_LIB_RUNTIME_LIBRARYCALL_H
#define PREDICT_LIB_RUNTIME_LIBRARYCALL_H

#include "predict/Runtime/Library.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A compiled function's packed entry: a pointer to each field of each
 * argument's memref descriptor, then a pointer to the results' storage. */
typedef void (*predict_packed_function)(void **);

/* Calls `function` of signature `sig` on `inputs` (checked against `sig`:
 * dtype, rank, static sizes; not copied) and writes `outputs` (sizes, and
 * data in buffers of malloc the caller frees). On PREDICT_ERROR, the
 * message is predict_library_last_error() and no output is written. Any
 * thread may call; calls may run at once. */
predict_status predict_library_call(predict_packed_function function,
                                    const predict_signature *sig,
                                    const predict_tensor *inputs,
                                    predict_tensor *outputs);

/* Sets the last error to say that the library, compiled for `cpu`, needs
 * `feature`, which this machine lacks; returns PREDICT_ERROR. The entry
 * points call it instead of code that would die of SIGILL. */
predict_status predict_library_cpu_error(const char *cpu, const char *feature);
/* The first of the NULL-terminated `features` (x86 names: "avx2",
 * "avx512f", "apxf", "avx10.1", ...) this machine lacks, or NULL. */
const char *predict_library_cpu_missing(const char *const *features);

/* The message of the calling thread's last failed call ("" when none). */
const char *predict_library_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* PREDICT_LIB_RUNTIME_LIBRARYCALL_H */
