/*===- MemrefCopy.c - the strided copy that lowered memref.copy calls -----===*\
|*                                                                            *|
|* memref.copy between non-contiguous memrefs lowers (finalize-memref-to-llvm)*|
|* to a call of memrefCopy, which MLIR's C runner utilities define. The       *|
|* libraries predict-compile writes may not link MLIR, so the runtime defines *|
|* it, with the same C ABI: the element size and two unranked descriptors.    *|
|* The runner and library calls copy strided results out with the same loop. *|
\*===----------------------------------------------------------------------===*/

#include "CallRuntime.h"

#include <stdlib.h>
#include <string.h>

/* A ranked memref descriptor: allocated and aligned pointers, offset, then
 * `rank` sizes and `rank` strides (in elements). */
typedef struct {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t sizesAndStrides[];
} Descriptor;

/* MLIR's UnrankedMemRefType: the rank and a pointer to the descriptor. */
typedef struct {
  int64_t rank;
  Descriptor *descriptor;
} Unranked;

void predict_copy_strided(int64_t elementSize, int64_t rank,
                          const int64_t *sizes, const char *in,
                          const int64_t *inStrides, char *out,
                          const int64_t *outStrides) {
  for (int64_t d = 0; d < rank; ++d)
    if (sizes[d] == 0)
      return;
  if (rank == 0) {
    memcpy(out, in, (size_t)elementSize);
    return;
  }
  if (rank > PREDICT_COPY_MAX_RANK)
    abort(); /* no memref of predict has such a rank */
  /* The innermost dimension is copied as one block when both sides are
   * contiguous in it. */
  int64_t last = rank - 1;
  int contiguous = inStrides[last] == 1 && outStrides[last] == 1;
  int64_t index[PREDICT_COPY_MAX_RANK] = {0};
  for (;;) {
    if (contiguous) {
      memcpy(out, in, (size_t)(sizes[last] * elementSize));
    } else {
      for (int64_t i = 0; i < sizes[last]; ++i)
        memcpy(out + i * outStrides[last] * elementSize,
               in + i * inStrides[last] * elementSize, (size_t)elementSize);
    }
    /* The next index of the outer dimensions, odometer style. */
    int64_t d = last - 1;
    for (; d >= 0; --d) {
      in += inStrides[d] * elementSize;
      out += outStrides[d] * elementSize;
      if (++index[d] < sizes[d])
        break;
      in -= sizes[d] * inStrides[d] * elementSize;
      out -= sizes[d] * outStrides[d] * elementSize;
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}

void memrefCopy(int64_t elementSize, Unranked *source, Unranked *target) {
  int64_t rank = source->rank;
  const Descriptor *src = source->descriptor, *dst = target->descriptor;
  predict_copy_strided(elementSize, rank, src->sizesAndStrides,
                       src->aligned + src->offset * elementSize,
                       src->sizesAndStrides + rank,
                       dst->aligned + dst->offset * elementSize,
                       dst->sizesAndStrides + rank);
}
