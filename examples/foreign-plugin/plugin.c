/*===- plugin.c - an example library of host callbacks --------------------===*\
|*                                                                            *|
|* Host callbacks for predict-run --foreign=callback --foreign-lib=<this .so>,*|
|* through the C ABI of include/predict/Runtime/ForeignCallback.h:            *|
|*                                                                            *|
|*   mylib.rowwise_convolve(x, k)  numpy.convolve(row, k, 'same') per row of  *|
|*                                 a 2-D x (what the seed's SciPyModel meant) *|
|*   mylib.double(x)               2 * x, with a static annotated result      *|
|*   mylib.fail(x)                 reports an error (status 3)                *|
\*===----------------------------------------------------------------------===*/

#include "predict/Runtime/ForeignCallback.h"

static int64_t numElements(const predict_tensor *t) {
  int64_t n = 1;
  for (int64_t d = 0; d < t->rank; ++d)
    n *= t->shape[d];
  return n;
}

int predict_foreign_mylib_rowwise_convolve_shape(const predict_tensor *args,
                                                 int64_t num_args,
                                                 int64_t result_rank,
                                                 int64_t *result_shape) {
  if (num_args != 2 || args[0].rank != 2 || result_rank != 2)
    return 1;
  result_shape[0] = args[0].shape[0];
  result_shape[1] = args[0].shape[1];
  return 0;
}

int predict_foreign_mylib_rowwise_convolve(const predict_tensor *args,
                                           int64_t num_args,
                                           predict_tensor *result) {
  if (num_args != 2 || args[0].rank != 2 || args[1].rank != 1)
    return 1;
  int64_t rows = args[0].shape[0], n = args[0].shape[1], m = args[1].shape[0];
  if (n < m)
    return 2; /* numpy's 'same' is max(n, m) long: keep to n >= m here */
  const float *x = args[0].data, *k = args[1].data;
  int64_t shift = (m - 1) / 2;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < n; ++i) {
      /* full[t] = sum_j x[t - j] k[j]; 'same' starts at t = (m - 1) / 2. */
      int64_t t = i + shift;
      float sum = 0.0f;
      for (int64_t j = 0; j < m; ++j)
        if (t - j >= 0 && t - j < n)
          sum += x[r * n + t - j] * k[j];
      result->data[r * n + i] = sum;
    }
  return 0;
}

int predict_foreign_mylib_double(const predict_tensor *args, int64_t num_args,
                                 predict_tensor *result) {
  if (num_args != 1 || numElements(&args[0]) != numElements(result))
    return 1;
  for (int64_t i = 0, n = numElements(result); i < n; ++i)
    result->data[i] = 2.0f * args[0].data[i];
  return 0;
}

int predict_foreign_mylib_fail(const predict_tensor *args, int64_t num_args,
                               predict_tensor *result) {
  (void)args;
  (void)num_args;
  (void)result;
  return 3;
}
