/*===- Runtime.h - the C functions compiled code calls -------------*- C -*-===*\
|*                                                                            *|
|* Code compiled by predict (the predict-lower-to-llvm pipeline) calls these  *|
|* functions; they are implemented once, in lib/Runtime/CallRuntime.c, for   *|
|* predict-run's JIT and the libraries of predict-compile.                   *|
|* A program that links compiled code itself must provide them. The whole    *|
|* contract (the call context, thread rules, what a caller gets) is in        *|
|* docs/Runtime.md; this header is plain C and stable: new versions only add. *|
\*===----------------------------------------------------------------------===*/

#ifndef PREDICT_RUNTIME_RUNTIME_H
#define PREDICT_RUNTIME_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A run-time check failed (predict.assert, cf.assert). `message` is the
 * check's message, already prefixed with its location in the user's terms
 * ("model.py:14:16: error: at run time: ..."); "{N}" in it stands for
 * values[N] and "{{" for a brace. The function records the formatted
 * message as the error of the current call and returns control to the
 * caller of the compiled function: it never returns to compiled code.
 * Compiled code calls it only on the thread that called the compiled
 * function, never inside an OpenMP parallel region. */
void predict_runtime_check_failed(const char *message, const int64_t *values,
                                  int64_t count);

/* predict.print (tf.print, print): writes a text with tensors' values to
 * stdout, stderr or a file (predict-lower-print). `block` is a
 * memref<?xi64> passed field by field (allocated, aligned, offset, size,
 * stride); its words are laid out in docs/Runtime.md. A file that cannot
 * be written fails the call like a check. */
void predict_runtime_print(int64_t *allocated, int64_t *aligned, int64_t offset,
                           int64_t size, int64_t stride);

/* Every heap buffer of compiled code (memref.alloc) comes from these, so
 * that the runtime knows the live buffers of the current call: after a
 * failed call it frees them all; after a successful one, the caller owns
 * exactly the results among them. `_mlir_memref_to_llvm_free` accepts a
 * buffer from any thread. A buffer the runtime cannot give (more than the
 * tensor limit, or memory exhausted) fails the call like a check. */
void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif /* PREDICT_RUNTIME_RUNTIME_H */
