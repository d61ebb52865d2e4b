/*===- ForeignCallback.h - the C ABI of host callbacks -------------*- C -*-===*\
|*                                                                            *|
|* With --foreign=callback, a foreign call that predict cannot compile        *|
|* natively calls a host function from a shared library given with           *|
|* --foreign-lib. This header is the whole contract; it is plain C and        *|
|* stable: new versions only add.                                             *|
|*                                                                            *|
|* For the Python function `scipy.signal.convolve`, the library exports       *|
|*                                                                            *|
|*   int predict_foreign_scipy_signal_convolve(                               *|
|*       const predict_tensor *args, int64_t num_args, predict_tensor *result)*|
|*                                                                            *|
|* (the dotted name with '.' replaced by '_'). `args` are the positional      *|
|* arguments; `result` arrives with its rank, shape and data already          *|
|* allocated by predict; the function fills result->data and returns 0, or   *|
|* returns non-zero on error (predict-run then reports the call and fails).   *|
|*                                                                            *|
|* The result's shape is the call's annotated type when that is static.       *|
|* Otherwise the library also exports a shape function,                       *|
|*                                                                            *|
|*   int predict_foreign_scipy_signal_convolve_shape(                         *|
|*       const predict_tensor *args, int64_t num_args,                        *|
|*       int64_t result_rank, int64_t *result_shape)                          *|
|*                                                                            *|
|* which fills result_shape[0 .. result_rank) (args' data may not be read    *|
|* yet; their shapes may) and returns 0. The sizes are checked before the    *|
|* result is allocated: none negative, each static size of the annotation    *|
|* kept, the byte size within the tensor limit; otherwise, as for a non-zero *|
|* status, the call fails with an error at the call's Python line            *|
|* (docs/Runtime.md).                                                         *|
|*                                                                            *|
|* Tensors are float32, dense, row-major (C order).                           *|
\*===----------------------------------------------------------------------===*/

#ifndef PREDICT_RUNTIME_FOREIGNCALLBACK_H
#define PREDICT_RUNTIME_FOREIGNCALLBACK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A float32 tensor: `rank` sizes in `shape`, elements in row-major order. */
typedef struct predict_tensor {
  float *data;
  int64_t rank;
  const int64_t *shape;
} predict_tensor;

typedef int (*predict_foreign_fn)(const predict_tensor *args, int64_t num_args,
                                  predict_tensor *result);
typedef int (*predict_foreign_shape_fn)(const predict_tensor *args,
                                        int64_t num_args, int64_t result_rank,
                                        int64_t *result_shape);

#ifdef __cplusplus
}
#endif

#endif /* PREDICT_RUNTIME_FOREIGNCALLBACK_H */
