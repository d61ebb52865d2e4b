/*===- Library.h - the C ABI of a library written by predict-compile -*- C -*-===*\
|*                                                                            *|
|* predict-compile copies this text into the header it writes beside each    *|
|* library (--header=model.h), then declares the library's functions; see   *|
|* docs/AOT.md. Plain C, stable: new versions only add. Several model        *|
|* headers can be included together (the types are defined once).            *|
\*===----------------------------------------------------------------------===*/

#ifndef PREDICT_RUNTIME_LIBRARY_TYPES
#define PREDICT_RUNTIME_LIBRARY_TYPES

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Element types, as numpy names them. */
typedef enum predict_dtype {
  PREDICT_FLOAT32 = 0,
  PREDICT_FLOAT64 = 1,
  PREDICT_INT32 = 2,
  PREDICT_INT64 = 3,
  PREDICT_BOOL = 4 /* one byte per element, 0 or 1 */
} predict_dtype;

/* The highest rank a library's tensors have. */
#define PREDICT_MAX_RANK 8

/* A tensor: `rank` sizes in `shape`, elements in row-major (C) order,
 * contiguous, at `data`. */
typedef struct predict_tensor {
  void *data;
  int64_t shape[PREDICT_MAX_RANK];
  int32_t rank;
  int32_t dtype; /* a predict_dtype */
} predict_tensor;

/* The type of an input or output: -1 in `shape` is a size known only when
 * called (a batch, a sequence length). */
typedef struct predict_tensor_spec {
  int32_t dtype;
  int32_t rank;
  int64_t shape[PREDICT_MAX_RANK];
} predict_tensor_spec;

/* What a function of the library takes and gives. */
typedef struct predict_signature {
  const char *name;
  int32_t num_inputs, num_outputs;
  const predict_tensor_spec *inputs, *outputs;
} predict_signature;

/* What a call returns. On PREDICT_ERROR, the calling thread's last error
 * (the library's `_last_error` function) says why, located in the user's
 * terms where the check knows it ("model.py:14:16: error: at run time: ..."),
 * and no output was written. The message (at most 4095 bytes) stays valid
 * until the thread's next failed call. */
typedef enum predict_status { PREDICT_OK = 0, PREDICT_ERROR = 1 } predict_status;

#ifdef __cplusplus
}
#endif

#endif /* PREDICT_RUNTIME_LIBRARY_TYPES */
