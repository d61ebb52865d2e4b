"""predict from Python: compile a Keras model or Python inference code into
native code and call it on numpy arrays (docs/Python.md).

    import predict
    m = predict.compile("model.h5")          # .h5, .keras, .py, .mlir, .mlirbc
    y = m(x)                                  # numpy in, numpy out
    y = m.predict(x, batch_size=256)          # in batches, like Keras
    m.export("libmodel.so")                   # the library, for C or predict.load
    m2 = predict.load("libmodel.so")

A compiled model is the shared library of `predict-compile` (docs/AOT.md),
called through its C ABI with ctypes; compiled libraries are cached in
$PREDICT_CACHE_DIR (default ~/.cache/predict), keyed by the model file's
bytes, the options, predict's version and the CPU.
"""
import errno
import os
import re
import subprocess
import tempfile

import numpy as np

from . import _cache, _fastcall
from ._library import Library, Spec

__all__ = ["compile", "load", "clear_cache", "cache_dir", "Model", "Spec",
           "CompileError"]


class CompileError(RuntimeError):
    """predict could not compile the model; the message is predict's
    diagnostics (located at the file, line or layer at fault)."""


def _tool(name):
    """The path of predict's tool `name`: in $PREDICT_BIN_DIR, else in the
    bin/ of the tree this package is part of (lib/python3/dist-packages/
    predict beside bin/, in the build tree as when installed)."""
    folder = os.environ.get("PREDICT_BIN_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "bin")
    # Lexically: in the build tree the package folder is a link.
    path = os.path.normpath(os.path.join(folder, name))
    if not os.access(path, os.X_OK):
        raise CompileError(f"predict's tool {name} is not at {path}: "
                           "set PREDICT_BIN_DIR to the bin/ folder of predict")
    return path


def _path(path):
    """A path argument (str, bytes or os.PathLike) as str: bytes that are
    not UTF-8 become surrogates (os.fsdecode), which subprocess and open()
    turn back into the same bytes."""
    return os.fsdecode(os.fspath(path))


def _argument(path):
    """`path` as a tool's positional argument: a name starting with `-`
    would be read as an option, one starting with `@` as a file of more
    arguments (LLVM's response files)."""
    return os.path.join(".", path) if path.startswith(("-", "@")) else path


def _function_name(function):
    """`function` (None for the first public function), or TypeError /
    ValueError: an empty name is not the first function."""
    if function is None:
        return None
    if not isinstance(function, str):
        raise TypeError(f"function must be a str, not {function!r}")
    if not function:
        raise ValueError("function is empty: give a function's name, or "
                         "leave it out for the first one")
    return function


def _whole(name, value):
    """`value` as an int when it is one (an int, a numpy integer, a bool is
    not), else TypeError naming the keyword."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, not {value!r}")
    return int(value)


def _option_args(function, threads, foreign, foreign_lib, target_cpu, config,
                 weights, input_shape, seed):
    args = []
    if _function_name(function):
        args.append(f"--function={function}")
    threads = _whole("threads", threads)
    if not 1 <= threads <= 1024:
        raise ValueError(f"threads must be from 1 to 1024, not {threads}")
    if threads != 1:
        args.append(f"--threads={threads}")
    if foreign not in ("reject", "rewrite", "callback"):
        raise ValueError("foreign must be 'reject', 'rewrite' or 'callback', "
                         f"not {foreign!r}")
    if foreign != "reject":
        args.append(f"--foreign={foreign}")
    if isinstance(foreign_lib, (str, bytes, os.PathLike)):
        foreign_lib = [foreign_lib]
    if foreign_lib is not None and not (
            isinstance(foreign_lib, (list, tuple)) and all(
                isinstance(lib, (str, bytes, os.PathLike))
                for lib in foreign_lib)):
        raise TypeError("foreign_lib must be a path or a list of paths, not "
                        f"{foreign_lib!r}")
    for lib in foreign_lib or ():
        # Checked here: a library of the cache linked to one missing would
        # fail only when called.
        if not os.path.isfile(_path(lib)):
            raise FileNotFoundError(f"no foreign_lib file '{_path(lib)}'")
        # Absolute and canonical, as predict-run passes them: the library is
        # linked to it, and one library under two names is one cache entry.
        args.append(f"--foreign-lib={os.path.realpath(_path(lib))}")
    if not isinstance(target_cpu, str) or not target_cpu:
        raise TypeError("target_cpu must be a CPU name such as 'host' or "
                        f"'x86-64-v3', not {target_cpu!r}")
    for what, given in (("config", config), ("weights", weights)):
        if given is not None and (not isinstance(
                given, (str, bytes, os.PathLike)) or not os.fspath(given)):
            raise TypeError(f"{what} must be a file's path, not {given!r}")
    if target_cpu != "host":
        args.append(f"--target-cpu={target_cpu}")
    if config:
        args.append(f"--config={_path(config)}")
    if weights:
        args.append(f"--weights={_path(weights)}")
    # Sorted by name, as predict-run keys them: the dict's order is not
    # part of the cache key.
    for name, shape in sorted((input_shape or {}).items()):
        args.append(f"--input-shape={name}={shape}")
    if seed is not None:
        seed = _whole("seed", seed)
        if not 0 <= seed < 2**32:
            raise ValueError(f"seed must be in [0, 2**32), not {seed}")
        args.append(f"--seed={seed}")
    return args


def _run(command, input=None, cwd=None):
    """Runs a predict tool, its output captured (stderr for a CompileError):
    without $PREDICT_PROGRESS_AFTER_MS, whose progress lines would otherwise
    be read as its messages. Text is UTF-8; other bytes (a file name that
    is not UTF-8, in a message or a location) become surrogates, as
    os.fsdecode makes them, and go back out unchanged."""
    env = {k: v for k, v in os.environ.items()
           if k != "PREDICT_PROGRESS_AFTER_MS"}
    # The tool ends when this process dies (include/predict/Support/Parent.h).
    env["PREDICT_PARENT_PID"] = str(os.getpid())
    return subprocess.run(command, input=input, capture_output=True,
                          encoding="utf-8", errors="surrogateescape", env=env,
                          cwd=cwd)


def compile(path, *, function=None, threads=1, foreign="reject",
            foreign_lib=None, target_cpu="host", config=None, weights=None,
            input_shape=None, seed=None):
    """Compiles the model file `path` (what predict-import reads: .h5,
    .keras, a weights file with `config`, .py; or predict IR, .mlir text or
    .mlirbc bytecode) and
    returns a Model. Options are predict-compile's (docs/AOT.md):
    `input_shape` maps a Python parameter's name to a type such as
    "?x100xf32"; `foreign_lib` is a path (or a list) of host-callback
    libraries for foreign="callback". A second compile of the same file and options is a cache
    lookup. Raises CompileError with predict's diagnostics."""
    path = _path(path)
    if os.path.isdir(path):
        raise IsADirectoryError(f"'{path}' is a folder, not a model file")
    if os.path.exists(path) and not os.path.isfile(path):
        raise ValueError(f"'{path}' is not a regular file (a device or a "
                         "pipe): predict compiles a model file by its path")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no model file '{path}'")
    if input_shape is not None and not isinstance(input_shape, dict):
        raise TypeError("input_shape maps each parameter's name to a type, "
                        "e.g. {'x': '?x100xf32'}")
    args = _option_args(function, threads, foreign, foreign_lib, target_cpu,
                        config, weights, input_shape, seed)
    compiler = _tool("predict-compile")
    for what, given in (("config", config), ("weights", weights)):
        if given and os.path.exists(_path(given)) and \
                not os.path.isfile(_path(given)):
            raise ValueError(f"the {what} file '{_path(given)}' is not a "
                             "regular file (a folder, a device or a pipe)")
        if given and not os.path.isfile(_path(given)):
            raise FileNotFoundError(f"no {what} file '{_path(given)}'")
    inputs = [path] + [_path(p) for p in (config, weights) if p]
    # The key hashes the model's bytes: computed once, after the files'
    # stamps are taken.
    before = _cache.stamps(inputs)
    key = _cache.key(compiler, inputs, args)
    # A clear_cache() in another process may remove the entry between its
    # compile and its load: compiled again, a few times.
    for _ in range(3):
        library = _cache.lookup(key)
        if library is None:
            with _cache.entry(key) as (target, header):
                run = _run([compiler, _argument(path), "-o", target,
                            f"--header={header}", "--name=model"] + args)
                if run.returncode != 0:
                    raise CompileError(
                        _keyword_names(run.stderr.strip()) or
                        f"predict-compile failed ({run.returncode})")
                # The files are stamped and hashed again: one changed
                # while it was compiled (even back to the same bytes: the
                # compile may have read the other version) would leave
                # another version's library under this key (the entry is
                # not kept).
                if (_cache.stamps(inputs) != before or
                        _cache.key(compiler, inputs, args) != key):
                    raise CompileError(
                        f"'{path}' (or its config or weights) changed while "
                        "it was compiled: compile it again once it is "
                        "written")
            library = _cache.lookup(key)
        try:
            loaded = Library(library) if library else None
        except (OSError, ValueError):
            if os.path.exists(library):
                raise
            loaded = None
        if loaded is not None:
            break
    else:
        raise CompileError(f"the cache entry of '{path}' was removed each "
                           "time it was compiled (is clear_cache() running "
                           "in a loop elsewhere?)")
    model = Model(loaded)
    # With the working folder: explain() reads the files by the same
    # relative names after a chdir.
    model._source = (path, args, key, os.getcwd())
    return model


# The tools' options that compile() sets from its keyword arguments.
_OPTION = re.compile(r"--(function|threads|foreign-lib|foreign|target-cpu|"
                     r"config|weights|input-shape|seed)\b=?")


def _keyword_names(text):
    """The tools' message with the options compile() set named as its
    keyword arguments (`--input-shape` is `input_shape`, `--foreign=x`
    `foreign=x`)."""
    return _OPTION.sub(lambda m: m.group(0)[2:].replace("-", "_"), text)


def load(path, function=None):
    """A Model from a shared library written by predict-compile (or
    Model.export): its first function, or the one named `function`
    (ValueError lists the library's functions when it has none of that
    name)."""
    return Model(Library(_path(path), function=_function_name(function)))


def cache_dir():
    """Where compiled libraries are kept: $PREDICT_CACHE_DIR, else
    ~/.cache/predict."""
    return _cache.folder()


def clear_cache():
    """Removes every compiled library of the cache."""
    _cache.clear()


def _unpickle(path, prefix, function, source, ident=None):
    # The file first: another library there may not even have the function.
    st = os.stat(path) if os.path.exists(path) else None
    if ident is not None and st and (st.st_dev, st.st_ino) != tuple(ident):
        raise ValueError(f"'{path}' is not the library this model was "
                         "pickled with: the file was replaced since (load "
                         "or compile the model again)")
    library = Library(path, prefix, function)
    model = Model(library)
    model._source = source
    return model


class Model:
    """A compiled function: call it on numpy arrays. A Model pickles as
    the path of its library (for multiprocessing and the like, on this
    machine): unpickling loads that library again, which must still be
    there (a cleared cache is a FileNotFoundError naming it)."""

    def __init__(self, library):
        self._library = library
        self._source = None

    def __reduce__(self):
        library = self._library
        return (_unpickle,
                (library.path, library.prefix, library.function, self._source,
                 library.ident))

    @property
    def signature(self):
        """(inputs, outputs): lists of Spec (dtype, shape with None for sizes
        known only when called)."""
        return list(self._library.inputs), list(self._library.outputs)

    def __call__(self, *inputs):
        """The outputs for `inputs` (numpy arrays or what np.asarray takes):
        one array, or a tuple when the function has several outputs. Inputs
        are converted to the signature's dtype and C order (a float32
        C-contiguous array is not copied); ValueError names an input that
        does not fit; RuntimeError carries a failure of the compiled code
        at run time, located at the user's line or layer."""
        library = self._library
        if len(inputs) == len(library.inputs):
            # Arrays of the right dtypes, C-contiguous: no conversion, and
            # the outputs own the library's buffers.
            outputs = _fastcall.call(*library.fast_args, inputs)
            if outputs is not None:
                return outputs[0] if len(outputs) == 1 else tuple(outputs)
        outputs = library(library.convert(inputs))
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def predict(self, *inputs, batch_size=None):
        """Like Keras's Model.predict: the inputs split along their first
        axis into batches of `batch_size` rows (None: 32, as Keras), each
        called, the outputs concatenated."""
        if batch_size is None:
            batch_size = 32
        batch_size = _whole("batch_size", batch_size)
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if not self._library.inputs:
            raise ValueError("predict splits the inputs into batches, and "
                             "this function takes none: call the model "
                             "itself, m()")
        if any(len(spec.shape) == 0 for spec in self._library.outputs):
            raise ValueError("predict joins each output's batches along its "
                             "first axis, and an output of this model is a "
                             "scalar: call the model itself, m(*inputs)")
        for k, spec in enumerate(self._library.outputs):
            if spec.shape[0] is not None:
                raise ValueError(
                    "predict joins each output's batches along its first "
                    f"axis, and output #{k} has a first axis of fixed "
                    f"size {spec.shape[0]} (not one row per input row): "
                    "call the model itself, m(*inputs)")
        arrays = self._library.convert(inputs)
        rows = [a.shape[0] if a.ndim else None for a in arrays]
        if len(set(rows)) != 1 or None in rows:
            raise ValueError("predict splits every input along its first axis: "
                             f"the inputs have first dimensions {rows}")
        n = rows[0]
        if n == 0:
            return self(*arrays)
        parts = []
        for i in range(0, n, batch_size):
            batch = [a[i:i + batch_size] for a in arrays]
            part = self._library(batch)
            # Joined only where each output has a row per input row (a
            # dynamic first axis may be another size: x[1:], a transpose).
            for k, out in enumerate(part):
                if out.shape[0] != len(batch[0]):
                    raise ValueError(
                        "predict joins each output's batches along its "
                        f"first axis, and output #{k} has {out.shape[0]} "
                        f"rows for a batch of {len(batch[0])} (not one row "
                        "per input row): call the model itself, m(*inputs)")
            parts.append(part)
        outputs = [np.concatenate([p[k] for p in parts]) for k in range(len(parts[0]))]
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def explain(self):
        """What compiles (predict-run --explain on the imported model): the
        regions, foreign calls and loops, as text."""
        if self._source is None:
            raise ValueError("explain() needs the model file: this Model was "
                             "loaded from a library")
        path, args, key, folder = self._source
        compiler = _tool("predict-compile")
        files = [path] + [a.split("=", 1)[1] for a in args
                          if a.startswith(("--config=", "--weights="))]
        try:
            now = _cache.key(compiler, files, args, folder)
        except OSError as e:
            raise CompileError(f"cannot read '{e.filename}' to explain this "
                               f"model ({e.strerror}): explain() reads the "
                               "model file again; compile it again from "
                               "where it is now") from None
        if now != key:
            raise CompileError(f"'{path}' (or its config or weights "
                               "file, or predict) changed since this model "
                               "was compiled: compile it again to explain "
                               "what runs")
        source, text = path, None
        if not path.endswith((".mlir", ".mlirbc")):
            importer = [_tool("predict-import"), _argument(path), "-o", "-"] + [
                a for a in args if a.split("=")[0] in
                ("--config", "--weights", "--input-shape", "--seed")]
            run = _run(importer, cwd=folder)
            if run.returncode != 0:
                raise CompileError(_keyword_names(run.stderr.strip()))
            source = "-"
            text = run.stdout
        # The function this model is (the first public one when none was
        # named), not every function of the file.
        explained = _run(
            [_tool("predict-run"), _argument(source) if text is None
             else source, "--explain",
             f"--function={self._library.function}"] +
            [a for a in args if a.split("=")[0] == "--foreign"],
            input=text, cwd=folder)
        if explained.returncode != 0:
            raise CompileError(_keyword_names(explained.stderr.strip()))
        return explained.stdout + explained.stderr

    def export(self, path):
        """Copies the compiled library to `path`, a shared library (.so) for
        predict.load or dlopen. Its entry points keep the cache's prefix
        (`model_predict`, whatever `path` is called) and no header is
        written: for C programs, predict-compile names them after the file
        and writes the header (docs/AOT.md). The copy is written beside
        `path` and renamed into place: a library loaded from `path` keeps
        its file."""
        path = _path(path)
        if not path.endswith(".so"):
            raise ValueError(f"export writes a shared library: give a .so name, "
                             f"not '{path}' (predict-compile writes .a and .o)")
        # Through a symbolic link, which stays a link, as predict-compile's
        # -o and predict-run's --output write.
        target = os.path.realpath(path)
        folder = os.path.dirname(target)
        if not os.path.isdir(folder):
            raise FileNotFoundError(f"cannot write '{path}': no folder "
                                    f"'{folder}'")
        if os.path.isdir(target):
            raise IsADirectoryError(f"cannot write '{path}': it is a folder")
        # Replacing a file is writing it: a read-only one is refused, as
        # open() would refuse it (root may, as there).
        if os.path.exists(target) and not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, f"cannot write '{path}': "
                                  "permission denied (the file is read-only)",
                                  path)
        try:
            fd, temp = tempfile.mkstemp(prefix=".predict-", suffix=".so",
                                        dir=folder)
        except OSError as e:
            raise OSError(e.errno, f"cannot write '{path}': {e.strerror}",
                          path) from None
        os.close(fd)
        try:
            try:
                # From the file that was loaded, even if its path now
                # names another one.
                with open(temp, "wb") as out:
                    self._library.copy_to(out)
                os.chmod(temp, 0o755)
                os.replace(temp, target)
            except OSError as e:  # a full disk, a quota
                raise OSError(e.errno, f"cannot write '{path}': {e.strerror}",
                              path) from None
        except BaseException:
            os.unlink(temp)
            raise

    def __repr__(self):
        ins, outs = self.signature
        return f"<predict.Model {self._library.name}: {ins} -> {outs}>"
