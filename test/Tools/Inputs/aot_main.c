/* A C program calling a library of predict-compile through its header
 * (docs/AOT.md): reads each input as raw little-endian data of the dtype the
 * signature gives, with its shape from the command line, calls the model
 * once, and writes each output raw beside a
 * `.shape` text file. Built by the tests with -DPREFIX=model
 * (-DFUNCTION=name for another function than `predict`) and -include model.h.
 *
 *   aot_main IN0.bin 5x31 [IN1.bin 3x2 ...] -- OUT0.bin [OUT1.bin ...]
 *
 * An input file `-` passes a null data pointer.
 *
 * Exits 2 with the library's message when the call fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUNCTION
#define FUNCTION predict
#endif
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define ENTRY CAT(CAT(PREFIX, _), FUNCTION)
#define SIGNATURE CAT(ENTRY, _signature)
#define LAST_ERROR CAT(PREFIX, _last_error)

static size_t elementSize(int dtype) {
  return dtype == PREDICT_FLOAT64 || dtype == PREDICT_INT64 ? 8
         : dtype == PREDICT_BOOL                            ? 1
                                                            : 4;
}

static void *readFile(const char *path, size_t bytes) {
  void *data = malloc(bytes ? bytes : 1);
  FILE *f = fopen(path, "rb");
  if (!f || fread(data, 1, bytes, f) != bytes) {
    fprintf(stderr, "aot_main: cannot read %zu bytes from %s\n", bytes, path);
    exit(3);
  }
  fclose(f);
  return data;
}

int main(int argc, char **argv) {
  const predict_signature *sig = SIGNATURE();
  predict_tensor inputs[16], outputs[16];
  int arg = 1, n = 0;
  for (; arg + 1 < argc && strcmp(argv[arg], "--") != 0; arg += 2, ++n) {
    predict_tensor *t = &inputs[n];
    t->dtype = n < sig->num_inputs ? sig->inputs[n].dtype : PREDICT_FLOAT32;
    t->rank = 0;
    size_t count = 1;
    for (char *s = argv[arg + 1]; *s;) {
      t->shape[t->rank] = strtoll(s, &s, 10);
      count *= (size_t)t->shape[t->rank++]; /* may wrap: only for `-` */
      if (*s == 'x')
        ++s;
    }
    /* `-`: no data (a null pointer), to test the library's checks. */
    t->data = strcmp(argv[arg], "-") == 0
                  ? NULL
                  : readFile(argv[arg], count * elementSize(t->dtype));
  }
  if (n != sig->num_inputs)
    fprintf(stderr, "aot_main: %s takes %d inputs, %d given\n", sig->name,
            sig->num_inputs, n);
  if (arg < argc && strcmp(argv[arg], "--") == 0)
    ++arg;
  if (ENTRY(inputs, outputs) != PREDICT_OK) {
    fprintf(stderr, "%s\n", LAST_ERROR());
    return 2;
  }
  for (int i = 0; i < sig->num_outputs && arg < argc; ++i, ++arg) {
    size_t count = 1;
    char shapePath[4096];
    snprintf(shapePath, sizeof shapePath, "%s.shape", argv[arg]);
    FILE *shape = fopen(shapePath, "w");
    for (int d = 0; d < outputs[i].rank; ++d) {
      count *= (size_t)outputs[i].shape[d];
      fprintf(shape, "%s%lld", d ? "x" : "", (long long)outputs[i].shape[d]);
    }
    fclose(shape);
    FILE *f = fopen(argv[arg], "wb");
    fwrite(outputs[i].data, elementSize(outputs[i].dtype), count, f);
    fclose(f);
    free(outputs[i].data);
  }
  for (int i = 0; i < n; ++i)
    free(inputs[i].data);
  return 0;
}
