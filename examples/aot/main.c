/* The example of docs/AOT.md: a C program using a model compiled by
 *   predict-compile real08_loan_bn_act.h5 -o libloan.so --header=loan.h
 * Reads rows of 31 numbers from standard input, calls the model on all of
 * them at once, and prints one prediction per row. */
#include "loan.h"

#include <stdio.h>
#include <stdlib.h>

int main(void) {
  const predict_signature *sig = loan_predict_signature();
  int64_t features = sig->inputs[0].shape[1]; /* 31; shape[0] is -1: any batch */

  /* Read the rows. */
  size_t capacity = 64 * (size_t)features, count = 0;
  float *rows = malloc(capacity * sizeof(float));
  float value;
  while (scanf("%f", &value) == 1) {
    if (count == capacity)
      rows = realloc(rows, (capacity *= 2) * sizeof(float));
    rows[count++] = value;
  }
  if (count % (size_t)features != 0) {
    fprintf(stderr, "give rows of %lld numbers\n", (long long)features);
    return 1;
  }

  /* One input of shape (batch, 31), one output that the library allocates. */
  predict_tensor input = {rows, {(int64_t)(count / (size_t)features), features},
                          2, PREDICT_FLOAT32};
  predict_tensor output;
  if (loan_predict(&input, &output) != PREDICT_OK) {
    fprintf(stderr, "%s\n", loan_last_error());
    return 1;
  }
  float *y = output.data;
  for (int64_t i = 0; i < output.shape[0]; ++i)
    printf("%.6f\n", y[i]);
  free(output.data);
  free(rows);
  return 0;
}
