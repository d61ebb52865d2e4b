/* The hot path of predict.Model.__call__ (docs/Python.md): one call of a
 * library's C entry point from Python without ctypes' per-call costs.
 * Inputs already of the right dtype, C-contiguous and aligned are passed as
 * they are; outputs become numpy arrays that own the library's buffers (no
 * copy: a capsule frees them). The GIL is released during the call.
 * Anything else (other dtypes or orders, lists) is left to the Python path,
 * which converts and checks as Keras does and then calls here. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include "predict/Runtime/Library.h"

#include <stdlib.h>

typedef predict_status (*Entry)(const predict_tensor *, predict_tensor *);
typedef const char *(*LastError)(void);

/* predict_dtype -> numpy type number. */
static const int kTypeNumbers[] = {NPY_FLOAT32, NPY_FLOAT64, NPY_INT32,
                                   NPY_INT64, NPY_BOOL};

static void freeBuffer(PyObject *capsule) {
  free(PyCapsule_GetPointer(capsule, "predict.buffer"));
}

/* call(entry, last_error, input_dtypes, input_shapes, output_dtypes,
 * inputs) -> list, or None when an input needs the Python path (to be
 * converted, or to get its ValueError). entry and last_error are addresses
 * of the library's functions; the dtype tuples hold predict_dtype codes;
 * input_shapes the signature's sizes, -1 where dynamic. */
static PyObject *call(PyObject *self, PyObject *args) {
  unsigned long long entryAddress, errorAddress;
  PyObject *inDtypes, *inShapes, *outDtypes, *inputs;
  if (!PyArg_ParseTuple(args, "KKO!O!O!O!", &entryAddress, &errorAddress,
                        &PyTuple_Type, &inDtypes, &PyTuple_Type, &inShapes,
                        &PyTuple_Type, &outDtypes, &PyTuple_Type, &inputs))
    return NULL;
  Py_ssize_t nIn = PyTuple_GET_SIZE(inputs), nOut = PyTuple_GET_SIZE(outDtypes);
  if (nIn != PyTuple_GET_SIZE(inDtypes) || nIn != PyTuple_GET_SIZE(inShapes) ||
      nIn > 64 || nOut > 64)
    Py_RETURN_NONE;
  predict_tensor in[64], out[64];
  for (Py_ssize_t i = 0; i < nIn; ++i) {
    PyObject *object = PyTuple_GET_ITEM(inputs, i);
    if (!PyArray_Check(object))
      Py_RETURN_NONE;
    PyArrayObject *a = (PyArrayObject *)object;
    long code = PyLong_AsLong(PyTuple_GET_ITEM(inDtypes, i));
    /* Bools (code 4) too: Python makes a byte other than 0 or 1 true. */
    if (code < 0 || code > 3 || PyArray_TYPE(a) != kTypeNumbers[code] ||
        !PyArray_IS_C_CONTIGUOUS(a) || !PyArray_ISALIGNED(a) ||
        !PyArray_ISNOTSWAPPED(a) || /* big-endian: converted in Python */
        PyArray_NDIM(a) > PREDICT_MAX_RANK)
      Py_RETURN_NONE;
    PyObject *shape = PyTuple_GET_ITEM(inShapes, i);
    if (!PyTuple_Check(shape) || PyTuple_GET_SIZE(shape) != PyArray_NDIM(a))
      Py_RETURN_NONE;
    in[i].data = PyArray_DATA(a);
    in[i].rank = PyArray_NDIM(a);
    in[i].dtype = (int32_t)code;
    for (int d = 0; d < in[i].rank; ++d) {
      long expected = PyLong_AsLong(PyTuple_GET_ITEM(shape, d));
      in[i].shape[d] = PyArray_DIM(a, d);
      if (expected >= 0 && expected != in[i].shape[d])
        Py_RETURN_NONE;
    }
  }
  Entry entry = (Entry)(uintptr_t)entryAddress;
  predict_status status;
  Py_BEGIN_ALLOW_THREADS
  status = entry(in, out);
  Py_END_ALLOW_THREADS
  if (status != PREDICT_OK) {
    LastError lastError = (LastError)(uintptr_t)errorAddress;
    /* A file name in the message may not be UTF-8: its bytes become
     * surrogates, as os.fsdecode makes them (PyErr_SetString would fail to
     * decode it and leave an empty message). */
    const char *text = lastError();
    PyObject *message =
        PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "surrogateescape");
    if (message) {
      PyErr_SetObject(PyExc_RuntimeError, message);
      Py_DECREF(message);
    }
    return NULL;
  }
  PyObject *results = PyList_New(nOut);
  Py_ssize_t made = 0;
  if (!results)
    goto fail;
  for (; made < nOut; ++made) {
    npy_intp dims[PREDICT_MAX_RANK];
    for (int d = 0; d < out[made].rank; ++d)
      dims[d] = (npy_intp)out[made].shape[d];
    void *data = out[made].data;
    PyObject *array = PyArray_SimpleNewFromData(
        out[made].rank, dims, kTypeNumbers[out[made].dtype], data);
    if (!array) {
      free(data);
      goto fail;
    }
    PyObject *owner = PyCapsule_New(data, "predict.buffer", freeBuffer);
    if (!owner) {
      Py_DECREF(array);
      free(data);
      goto fail;
    }
    /* Steals `owner`, also on failure (which then frees the buffer). */
    if (PyArray_SetBaseObject((PyArrayObject *)array, owner) < 0) {
      Py_DECREF(array);
      goto fail;
    }
    PyList_SET_ITEM(results, made, array);
  }
  return results;
fail:
  /* The outputs not yet handed to an array. */
  for (Py_ssize_t i = made + 1; i < nOut; ++i)
    free(out[i].data);
  if (!results && nOut > 0)
    free(out[0].data);
  Py_XDECREF(results);
  return NULL;
}

static PyMethodDef methods[] = {
    {"call", call, METH_VARARGS,
     "call(entry, last_error, input_dtypes, output_dtypes, inputs) -> list "
     "of arrays, or None when an input needs converting"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fastcall", NULL, -1, methods, NULL, NULL, NULL,
    NULL};

PyMODINIT_FUNC PyInit__fastcall(void) {
  import_array();
  return PyModule_Create(&module);
}
