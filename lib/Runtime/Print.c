/*===- Print.c - predict.print: tf.print and print on the host ------------===*\
|*                                                                            *|
|* predict_runtime_print formats the text of one predict.print (the op's      *|
|* template with each `{}` replaced by a value's text) and writes it to       *|
|* stdout, stderr or a file. A value's text is TensorFlow's tf.print text     *|
|* (tensorflow/core/framework/tensor.cc: SummarizeValue with print_v2,       *|
|* PrintOneDimV2, and strings::FloatToBuffer/DoubleToBuffer for floats);     *|
|* Python's print changes bools to True/False and cuts only tensors of more  *|
|* than 1000 elements, as numpy does. The block's layout is in               *|
|* docs/Runtime.md (predict-lower-print writes it).                          *|
\*===----------------------------------------------------------------------===*/

#include "CallRuntime.h"
#include "predict/Runtime/Runtime.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Element kinds (LowerPrint.cpp). */
enum { kF32 = 0, kF64 = 1, kI1 = 2, kI32 = 3, kI64 = 4 };

/* numpy's print cuts an array of more than this many elements
 * (np.get_printoptions()["threshold"]), to its edge items (3). */
static const int64_t kNumpyThreshold = 1000;
static const int64_t kNumpyEdgeItems = 3;

typedef struct {
  const char *data;
  int64_t kind, rank;
  const int64_t *sizes;
  int python;
} Value;

static void appendText(predict_text *out, const char *s) {
  predict_text_append(out, s, strlen(s));
}

/* One element as TensorFlow's strings::StrCat writes it: a float in the
 * fewest of 6 (15 for f64) or 9 (17) significant digits that reads back to
 * it, `nan` with its sign. */
static void appendElement(predict_text *out, const Value *v, int64_t i) {
  char text[64];
  switch (v->kind) {
  case kF32: {
    float f;
    memcpy(&f, v->data + 4 * i, 4);
    if (isnan(f)) {
      snprintf(text, sizeof text, "%snan", signbit(f) ? "-" : "");
    } else {
      snprintf(text, sizeof text, "%.6g", (double)f);
      if (strtof(text, NULL) != f)
        snprintf(text, sizeof text, "%.9g", (double)f);
    }
    break;
  }
  case kF64: {
    double d;
    memcpy(&d, v->data + 8 * i, 8);
    if (isnan(d)) {
      snprintf(text, sizeof text, "%snan", signbit(d) ? "-" : "");
    } else {
      snprintf(text, sizeof text, "%.15g", d);
      if (strtod(text, NULL) != d)
        snprintf(text, sizeof text, "%.17g", d);
    }
    break;
  }
  case kI1: {
    int set = v->data[i] != 0;
    snprintf(text, sizeof text, "%s",
             v->python ? (set ? "True" : "False") : (set ? "1" : "0"));
    break;
  }
  case kI32: {
    int32_t n;
    memcpy(&n, v->data + 4 * i, 4);
    snprintf(text, sizeof text, "%" PRId32, n);
    break;
  }
  default: {
    int64_t n;
    memcpy(&n, v->data + 8 * i, 8);
    snprintf(text, sizeof text, "%" PRId64, n);
    break;
  }
  }
  appendText(out, text);
}

/* Between two elements of axis `axis`: a space on the last axis, else a
 * newline per inner axis and an indent of axis + 1 (PrintDimSpacing). */
static void appendSpacing(predict_text *out, int64_t axis, int64_t rank) {
  if (axis == rank - 1) {
    appendText(out, " ");
    return;
  }
  for (int64_t j = 0; j < rank - axis - 1; ++j)
    appendText(out, "\n");
  for (int64_t j = 0; j <= axis; ++j)
    appendText(out, " ");
}

/* Axis `axis` from element `first`: its first and last `ends` entries,
 * `...` between when it has more than 2 * ends (PrintOneDimV2). */
static void appendAxis(predict_text *out, const Value *v, int64_t axis,
                       int64_t ends, int64_t first) {
  if (axis == v->rank) {
    appendElement(out, v, first);
    return;
  }
  appendText(out, "[");
  int64_t count = v->sizes[axis];
  int64_t stride = 1;
  for (int64_t d = axis + 1; d < v->rank; ++d)
    stride *= v->sizes[d];
  for (int64_t i = 0; i < ends && i < count; ++i) {
    if (i > 0)
      appendSpacing(out, axis, v->rank);
    appendAxis(out, v, axis + 1, ends, first + stride * i);
  }
  if (count > 2 * ends) {
    appendSpacing(out, axis, v->rank);
    appendText(out, "...");
  }
  for (int64_t i = count - ends > ends ? count - ends : ends; i < count; ++i) {
    appendSpacing(out, axis, v->rank);
    appendAxis(out, v, axis + 1, ends, first + stride * i);
  }
  appendText(out, "]");
}

/* A value's text (SummarizeValue): `limit` is min(summarize, elements), all
 * of them for a negative summarize. */
static void appendValue(predict_text *out, const Value *v, int64_t summarize) {
  int64_t elements = 1;
  for (int64_t d = 0; d < v->rank; ++d)
    elements *= v->sizes[d];
  if (v->python)
    summarize = elements > kNumpyThreshold ? kNumpyEdgeItems : -1;
  int64_t limit = summarize < 0 || summarize > elements ? elements : summarize;
  if (v->rank == 0) {
    if (limit > 0)
      appendElement(out, v, 0);
    if (elements > limit)
      appendText(out, "...");
    return;
  }
  appendAxis(out, v, 0, limit, 0);
}

/* Fails the current call with `what` at the print's location; frees
 * `owned` (what the caller allocated) first, as the call does not return. */
__attribute__((noreturn)) static void fail(const char *location,
                                           int64_t locationSize,
                                           const char *what, char *owned) {
  predict_text message = {NULL, 0, 0};
  predict_text_append(&message, location, (size_t)locationSize);
  if (locationSize)
    appendText(&message, ": ");
  appendText(&message, "error: at run time: ");
  appendText(&message, what ? what : "out of memory");
  free(owned);
  predict_call_set_error(message.text ? message.text
                                      : "error: at run time: out of memory");
  free(message.text);
  predict_call_abandon();
}

void predict_runtime_print(int64_t *allocated, int64_t *aligned, int64_t offset,
                           int64_t size, int64_t stride) {
  (void)allocated;
  (void)size;
  const int64_t *block = aligned + offset;
  int64_t at = 0;
#define WORD() (block[stride * at++])
  const char *text = (const char *)(intptr_t)WORD();
  int64_t streamSize = WORD(), templateSize = WORD(), locationSize = WORD();
  int64_t summarize = WORD();
  int python = (int)(WORD() & 1);
  int64_t count = WORD();
  const char *stream = text, *pattern = text + streamSize,
             *location = pattern + templateSize;

  predict_text out = {NULL, 0, 0};
  predict_text_append(&out, "", 0);
  int64_t next = 0;
  for (int64_t i = 0; i < templateSize; ++i) {
    char c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < templateSize && pattern[i + 1] == c) {
      predict_text_append(&out, &c, 1);
      ++i;
      continue;
    }
    if (c == '{' && i + 1 < templateSize && pattern[i + 1] == '}' &&
        next < count) {
      /* The values' words follow the header, in order. */
      Value v;
      v.data = (const char *)(intptr_t)WORD();
      v.kind = WORD();
      v.rank = WORD();
      int64_t sizes[v.rank > 0 ? v.rank : 1];
      for (int64_t d = 0; d < v.rank; ++d)
        sizes[d] = WORD();
      v.sizes = sizes;
      v.python = python;
      appendValue(&out, &v, summarize);
      ++next;
      ++i;
      continue;
    }
    predict_text_append(&out, &c, 1);
  }
#undef WORD
  if (!out.text)
    fail(location, locationSize, "out of memory formatting a printed text",
         NULL);

  if (streamSize == 6 && memcmp(stream, "stdout", 6) == 0) {
    fwrite(out.text, 1, out.size, stdout);
    fflush(stdout);
  } else if (streamSize == 6 && memcmp(stream, "stderr", 6) == 0) {
    fwrite(out.text, 1, out.size, stderr);
    fflush(stderr);
  } else {
    /* file://<path>, appended to as TensorFlow's PrintV2 kernel does. */
    predict_text path = {NULL, 0, 0};
    predict_text_append(&path, stream + 7, (size_t)(streamSize - 7));
    FILE *file = path.text ? fopen(path.text, "a") : NULL;
    int written = file && fwrite(out.text, 1, out.size, file) == out.size;
    int closed = file && fclose(file) == 0;
    if (!written || !closed) {
      int code = errno;
      predict_text what = {NULL, 0, 0};
      appendText(&what, "tf.print cannot append to '");
      predict_text_append(&what, stream + 7, (size_t)(streamSize - 7));
      appendText(&what, "' (");
      appendText(&what, strerror(code));
      appendText(&what, "): give output_stream a file:// path of a "
                        "writable file");
      free(out.text);
      free(path.text);
      fail(location, locationSize, what.text, what.text);
    }
    free(path.text);
  }
  free(out.text);
}
