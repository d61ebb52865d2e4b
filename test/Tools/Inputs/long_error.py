"""Calls a library of predict-compile through its C ABI alone (ctypes) with
an input of the wrong shape, for a function whose name makes the message
longer than the library keeps, and prints the status and the message's
length and ends: the message must be cut to 4095 bytes ending in "..."
(docs/AOT.md, "The C interface").

Usage: long_error.py LIBRARY FUNCTION"""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
lib.predict_library_prefix.restype = ctypes.c_char_p
prefix = lib.predict_library_prefix().decode()


class Tensor(ctypes.Structure):
    # predict_tensor of include/predict/Runtime/Library.h
    _fields_ = [("data", ctypes.c_void_p), ("shape", ctypes.c_int64 * 8),
                ("rank", ctypes.c_int32), ("dtype", ctypes.c_int32)]


data = (ctypes.c_float * 8)()
x = Tensor(ctypes.cast(data, ctypes.c_void_p), (ctypes.c_int64 * 8)(2, 4), 2, 0)
out = (Tensor * 1)()
status = getattr(lib, f"{prefix}_{sys.argv[2]}")(ctypes.byref(x), out)
last_error = getattr(lib, f"{prefix}_last_error")
last_error.restype = ctypes.c_char_p
message = last_error().decode()
print(f"status {status} length {len(message)} "
      f"starts {message[:20]!r} ends {message[-6:]!r}")
