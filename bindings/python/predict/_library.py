"""The C ABI of a library written by predict-compile, through ctypes.

The types mirror include/predict/Runtime/Library.h (docs/AOT.md). ctypes
loads the library and reads its signature; calls go through the extension
module _fastcall when the inputs need no conversion, else through ctypes
here. Both release the GIL for the length of the call, and the library's
calls are thread-safe: several Python threads may call one model at once.
"""
import ctypes
import itertools
import os
import stat
import struct
import threading

import numpy as np

MAX_RANK = 8  # PREDICT_MAX_RANK

# predict_dtype -> numpy dtype, in the header's order.
DTYPES = (np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.int32),
          np.dtype(np.int64), np.dtype(np.bool_))
_NAMES = ("float32", "float64", "int32", "int64", "bool")


class Tensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p),
                ("shape", ctypes.c_int64 * MAX_RANK),
                ("rank", ctypes.c_int32),
                ("dtype", ctypes.c_int32)]


class TensorSpec(ctypes.Structure):
    _fields_ = [("dtype", ctypes.c_int32),
                ("rank", ctypes.c_int32),
                ("shape", ctypes.c_int64 * MAX_RANK)]


class Signature(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p),
                ("num_inputs", ctypes.c_int32),
                ("num_outputs", ctypes.c_int32),
                ("inputs", ctypes.POINTER(TensorSpec)),
                ("outputs", ctypes.POINTER(TensorSpec))]


_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None


# The file (device, inode) each path was loaded as, and the links made to
# load a path whose file was replaced since.
_plain = {}   # path -> the file (dev, inode) loaded under the plain path
_names = {}   # (path, file) -> the name that file was loaded under
_links = None
_link_numbers = itertools.count()
_names_lock = threading.Lock()  # loads from several threads at once


def _fresh_name(path, ident):
    """The name to dlopen the library at `path`, the file `ident` (dev,
    inode), under: the plain path for the first file loaded from it, and
    for a file loaded from it before the name used then; for another file
    now at `path` (replaced since), a new link to it, as the dynamic loader
    would hand back the old library for the old name."""
    global _links
    with _names_lock:
        name = _names.get((path, ident))
        if name is not None:
            return name
        if _plain.setdefault(path, ident) == ident:
            _names[(path, ident)] = path
            return path
        if _links is None:
            import atexit
            import shutil
            import tempfile
            _links = tempfile.mkdtemp(prefix="predict-libs-")
            atexit.register(shutil.rmtree, _links, True)
        link = os.path.join(
            _links, f"{next(_link_numbers)}-{os.path.basename(path)}")
        os.symlink(path, link)
        _names[(path, ident)] = link
        return link


def _check_elf(fd, path):
    """Raises ValueError unless the file open as `fd` is a 64-bit ELF file
    whose headers and loaded segments lie within it: the dynamic loader maps
    a file cut short and the process dies (SIGBUS) where it reads past the
    end. The layout is the System V ABI's (Elf64_Ehdr, Elf64_Phdr)."""
    size = os.fstat(fd).st_size
    header = os.pread(fd, 64, 0)
    if len(header) < 64 or header[:4] != b"\x7fELF" or header[4] != 2:
        raise ValueError(f"'{path}' is not a 64-bit shared library (ELF): "
                         "predict.load takes a library of predict-compile; "
                         "predict.compile takes a model file")
    phoff, shoff = struct.unpack_from("<QQ", header, 32)
    phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", header, 54)
    cut = (f"'{path}' is cut short ({size} bytes): it is not the whole "
           "library predict-compile wrote (copy or export it again)")
    if phoff + phnum * phentsize > size or shoff + shnum * shentsize > size:
        raise ValueError(cut)
    table = os.pread(fd, phnum * phentsize, phoff)
    for k in range(phnum):
        kind, = struct.unpack_from("<I", table, k * phentsize)
        offset, = struct.unpack_from("<Q", table, k * phentsize + 8)
        filesz, = struct.unpack_from("<Q", table, k * phentsize + 32)
        if kind == 1 and offset + filesz > size:  # PT_LOAD
            raise ValueError(cut)


class Spec:
    """An input's or output's type: `dtype` (numpy) and `shape`, None where
    the size is known only when called (a batch)."""

    def __init__(self, raw):
        self.dtype = DTYPES[raw.dtype]
        self.shape = tuple(None if d < 0 else int(d) for d in raw.shape[:raw.rank])

    def __eq__(self, other):
        return (isinstance(other, Spec) and self.dtype == other.dtype
                and self.shape == other.shape)

    def __hash__(self):
        return hash((self.dtype, self.shape))

    def __repr__(self):
        dims = ", ".join("None" if d is None else str(d) for d in self.shape)
        return f"Spec(shape=({dims}{',' if len(self.shape) == 1 else ''}), dtype={self.dtype.name})"


class Library:
    """One function of a loaded library: its signature and a call."""

    def __init__(self, path, prefix=None, function=None):
        # A file name is a file (dlopen would search the system's folders
        # for a name without a slash).
        if not os.path.exists(path):
            raise FileNotFoundError(f"no library file '{path}'")
        self.path = os.path.abspath(path)
        # The file stays open: export copies the library that was loaded,
        # and pickling records which file it was.
        # O_NONBLOCK: opening a fifo would wait for a writer.
        self._fd = os.open(self.path,
                           os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
        st = os.fstat(self._fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(self._fd)
            self._fd = None
            raise ValueError(f"cannot load '{path}': not a regular file (a "
                             "folder, a device or a pipe)")
        self.ident = (st.st_dev, st.st_ino)
        try:
            _check_elf(self._fd, path)
            self._dll = ctypes.CDLL(_fresh_name(self.path, self.ident))
        except (OSError, ValueError) as e:
            os.close(self._fd)
            self._fd = None
            if isinstance(e, ValueError):
                raise
            raise ValueError(f"cannot load '{path}': {e}") from None
        if prefix is None or function is None:
            try:
                getters = (self._dll.predict_library_prefix,
                           self._dll.predict_library_function)
            except AttributeError:
                raise ValueError(f"'{self.path}' is not a shared library written "
                                 "by predict-compile (it has no "
                                 "predict_library_prefix)") from None
            for getter in getters:
                getter.restype = ctypes.c_char_p
            prefix = prefix or getters[0]().decode()
            function = function or getters[1]().decode()
        self.prefix, self.function = prefix, function
        entry = f"{prefix}_{function}"
        # The library's own list, when it has one: another symbol of the
        # prefix (`model_last_error`, a function's `_signature`) is not a
        # function.
        names = None
        try:
            listing = self._dll.predict_library_functions
            listing.restype = ctypes.POINTER(ctypes.c_char_p)
            table = listing()
            names = []
            while table[len(names)]:
                names.append(os.fsdecode(table[len(names)]))
        except AttributeError:
            pass
        try:
            if names is not None and function not in names:
                raise AttributeError(function)
            self._call = getattr(self._dll, entry)
            signature = getattr(self._dll, entry + "_signature")
        except AttributeError:
            listed = ", ".join(f"'{n}'" for n in names or ()) or "none"
            raise ValueError(f"'{self.path}' has no function '{function}'; "
                             f"its functions: {listed}") from None
        self._call.argtypes = [ctypes.POINTER(Tensor), ctypes.POINTER(Tensor)]
        self._call.restype = ctypes.c_int
        signature.restype = ctypes.POINTER(Signature)
        self._last_error = getattr(self._dll, prefix + "_last_error")
        self._last_error.restype = ctypes.c_char_p
        sig = signature().contents
        self.name = os.fsdecode(sig.name)
        self.inputs = [Spec(sig.inputs[i]) for i in range(sig.num_inputs)]
        self.outputs = [Spec(sig.outputs[i]) for i in range(sig.num_outputs)]
        self._codes = {d.char: i for i, d in enumerate(DTYPES)}
        # The addresses and dtype codes the extension's fast path takes.
        self.fast_args = (
            ctypes.cast(self._call, ctypes.c_void_p).value,
            ctypes.cast(self._last_error, ctypes.c_void_p).value,
            tuple(DTYPES.index(s.dtype) for s in self.inputs),
            tuple(tuple(-1 if d is None else d for d in s.shape) for s in self.inputs),
            tuple(DTYPES.index(s.dtype) for s in self.outputs))
        self._in_type = Tensor * max(1, len(self.inputs))
        self._out_type = Tensor * max(1, len(self.outputs))

    def copy_to(self, out):
        """Writes the bytes of the library that was loaded (whatever its
        path holds now) to the binary file `out`."""
        offset = 0
        while True:
            block = os.pread(self._fd, 1 << 20, offset)
            if not block:
                return
            out.write(block)
            offset += len(block)

    def __del__(self):
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)

    def convert(self, arrays):
        """The inputs as C-contiguous arrays of the signature's dtypes (as
        Keras's predict converts: a float32 C-contiguous array is used as it
        is), checked against the signature; ValueError names the input.
        Several inputs may come as one list or tuple of them, in order, as
        Keras's predict takes them (m([a, b]) is m(a, b))."""
        if (len(arrays) == 1 and len(self.inputs) > 1
                and isinstance(arrays[0], (list, tuple))):
            if len(arrays[0]) != len(self.inputs):
                raise ValueError(
                    f"{self.name} takes {len(self.inputs)} inputs, given in "
                    "order (m(a, b)) or as one list of them (m([a, b]), as "
                    f"Keras takes them): a list of {len(arrays[0])} was given")
            arrays = tuple(arrays[0])
        if len(arrays) == 1 and len(self.inputs) > 1 and isinstance(arrays[0], dict):
            raise ValueError(f"{self.name} takes {len(self.inputs)} inputs in "
                             "order (m(a, b) or m([a, b])): a dict of them by "
                             "name is not taken")
        if len(arrays) != len(self.inputs):
            raise ValueError(f"{self.name} takes {len(self.inputs)} input(s), "
                             f"{len(arrays)} given")
        converted = []
        for i, (x, spec) in enumerate(zip(arrays, self.inputs)):
            try:
                a = np.asarray(x)
            except ValueError as e:  # a ragged list
                raise ValueError(f"input #{i} of {self.name} is not an "
                                 f"array: {e}") from None
            if a.dtype.kind not in "fiub":
                # Strings, objects (None would become NaN), complex, dates:
                # not numbers Keras's predict takes.
                raise TypeError(f"input #{i} of {self.name} must be numbers "
                                f"({spec.dtype.name}); got an array of "
                                f"{a.dtype.name}")
            if a.dtype != spec.dtype:
                if spec.dtype.kind == "b" and a.size and not np.all(
                        (a == 0) | (a == 1)):
                    # Bools from numbers only from 0 and 1 (astype would
                    # make 0.5, 2 and NaN True).
                    raise ValueError(
                        f"input #{i} of {self.name} must be bool; got "
                        f"{a.dtype.name} values other than 0 and 1")
                if spec.dtype.kind in "iu" and a.dtype.kind in "fiub" and a.size:
                    # Converted only when every value is a whole number the
                    # input's type holds (numpy's astype would wrap).
                    if a.dtype.kind == "f" and (not np.all(np.isfinite(a)) or
                                                np.any(a != np.round(a))):
                        raise ValueError(
                            f"input #{i} of {self.name} must be {spec.dtype.name}; "
                            f"got {a.dtype.name} values that are not whole numbers")
                    # Compared as Python ints, exactly: numpy compares a
                    # uint64 or a float64 with int64's bounds as float64, in
                    # which 2**63 equals 2**63 - 1.
                    info = np.iinfo(spec.dtype)
                    if int(a.min()) < info.min or int(a.max()) > info.max:
                        raise ValueError(
                            f"input #{i} of {self.name} must be {spec.dtype.name}; "
                            f"got values from {a.min()} to {a.max()}, outside "
                            f"[{info.min}, {info.max}]")
                a = a.astype(spec.dtype)
            elif (spec.dtype.kind == "b" and a.size
                  and a.view(np.uint8).max() > 1):
                # numpy calls any byte but 0 True (a view of bytes can hold
                # 2); the compiled code reads bit 0 alone.
                a = a != 0
            # (np.ascontiguousarray would make a 0-d array 1-d.)
            if not a.flags.c_contiguous:
                a = a.copy(order="C")
            if a.ndim != len(spec.shape):
                raise ValueError(f"input #{i} of {self.name} must have rank "
                                 f"{len(spec.shape)} {spec.shape}, got shape "
                                 f"{np.shape(x)}")
            for d, (got, want) in enumerate(zip(a.shape, spec.shape)):
                if want is not None and got != want:
                    raise ValueError(f"input #{i} of {self.name} must have shape "
                                     f"{spec.shape}: dimension {d} is {got}, not {want}")
            converted.append(a)
        return converted

    def __call__(self, arrays):
        """Calls the function on converted arrays; the outputs as new numpy
        arrays. RuntimeError with the library's located message when the
        compiled code fails."""
        ins = self._in_type()
        for t, a, spec in zip(ins, arrays, self.inputs):
            t.data = a.ctypes.data
            t.rank = a.ndim
            # The signature's code: `a` has its dtype, perhaps under
            # another numpy name (np.longlong is int64 but not 'l').
            t.dtype = self._codes[spec.dtype.char]
            t.shape[:a.ndim] = a.shape
        outs = self._out_type()
        if self._call(ins, outs) != 0:
            raise RuntimeError(os.fsdecode(self._last_error()))
        results = []
        for spec, t in zip(self.outputs, outs):
            shape = tuple(t.shape[:t.rank])
            out = np.empty(shape, spec.dtype)
            if out.nbytes:
                ctypes.memmove(out.ctypes.data, t.data, out.nbytes)
            _libc.free(t.data)
            results.append(out)
        return results
