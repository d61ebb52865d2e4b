/*===- ForeignCall.h - host callbacks called by compiled code -----*- C -*-===*\
|*                                                                            *|
|* With --foreign=callback, compiled code calls predict_runtime_foreign(id,   *|
|* block) and, for a dynamic result, predict_runtime_foreign_shape(id, block) *|
|* (lib/Dialect/Predict/Transforms/ForeignCallbacks.cpp); `id` indexes the    *|
|* table of callees set here: by predict-run once it has found each callee in *|
|* its --foreign-lib libraries, by a library of predict-compile when it is    *|
|* loaded (a constructor of its entry points: dlopen of each library by its  *|
|* path for a .so, the program's link for a .a or .o).                       *|
\*===----------------------------------------------------------------------===*/

#ifndef PREDICT_LIB_RUNTIME_FOREIGNCALL_H
#define PREDICT_LIB_RUNTIME_FOREIGNCALL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One foreign function: its Python name, the Python line of the call
 * (`model.py:15:14`, or ""), its number of arguments, and its callback and
 * shape function (include/predict/Runtime/ForeignCallback.h; `shape` is
 * NULL when the result's type is static). Arguments are typed as void
 * pointers here so that the generated entry points need not include that
 * header (its predict_tensor is not Library.h's). */
typedef struct predict_foreign_callee {
  const char *name;
  const char *location;
  int64_t num_args;
  int (*fn)(const void *args, int64_t num_args, void *result);
  int (*shape)(const void *args, int64_t num_args, int64_t result_rank,
               int64_t *result_shape);
  /* Why the callback could not be bound (a call then fails with it), or
   * NULL. */
  const char *unavailable;
} predict_foreign_callee;

/* Makes `table` (`count` callees, kept by the caller) the one compiled code
 * calls by index. */
void predict_foreign_set_callees(const predict_foreign_callee *table,
                                 int64_t count);

/* What compiled code calls: `block` is a memref<?xi64> passed field by field
 * (allocated, aligned, offset, size, stride) holding, for each argument and
 * then the result, [data pointer, rank, sizes...]. A failure fails the call
 * (predict_call_abandon) with a message at the callee's Python line. */
void predict_runtime_foreign(int64_t id, int64_t *allocated, int64_t *aligned,
                             int64_t offset, int64_t size, int64_t stride);
void predict_runtime_foreign_shape(int64_t id, int64_t *allocated,
                                   int64_t *aligned, int64_t offset,
                                   int64_t size, int64_t stride);

#ifdef __cplusplus
}
#endif

#endif /* PREDICT_LIB_RUNTIME_FOREIGNCALL_H */
