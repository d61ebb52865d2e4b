"""The cache of compiled libraries (docs/Python.md).

An entry is a folder named by the SHA-256 of what decides the compiled code:
the bytes of the model's files, predict-compile's options, the
predict-compile binary (its size and time: a rebuilt predict compiles
afresh) and this machine's CPU (model and flags). predict-run computes the
same key (lib/Runner/CompileCache.cpp, whose cacheKey documents the byte
stream): a model compiled by one is a lookup for the other. Entries are
written to a temporary folder and renamed into place, so that processes
compiling the same model at once never see half an entry.
"""
import contextlib
import errno
import hashlib
import os
import platform
import shutil
import stat
import tempfile
import zlib


def folder():
    """$PREDICT_CACHE_DIR, else ~/.cache/predict: the home folder is $HOME,
    or the password database's when $HOME is unset or empty (as
    CompileCache.cpp's cacheFolder)."""
    if os.environ.get("PREDICT_CACHE_DIR"):
        return os.environ["PREDICT_CACHE_DIR"]
    home = os.environ.get("HOME")
    if not home:
        import pwd
        try:
            home = pwd.getpwuid(os.getuid()).pw_dir
        except KeyError:  # a uid without an entry (a container's)
            raise OSError(errno.ENOENT, "the compile cache has no folder: "
                          "neither PREDICT_CACHE_DIR nor HOME is set, and "
                          f"uid {os.getuid()} has no home in the password "
                          "database; set PREDICT_CACHE_DIR") from None
    return os.path.join(home, ".cache", "predict")


# The files of an entry (and of a compile's temporary folder, with the
# temporaries `.NAME.XXXXXX.tmp` written beside them): CompileCache.cpp.
_ENTRY_FILES = ("libmodel.so", "libmodel.so.crc32", "model.h")


def _trusted(cache):
    """The real path of the cache folder `cache` (which exists), once it is
    known that no one but this user (and root) can change what is in it: a
    library there is loaded into this process. The folder must be this
    user's and writable by no one else, and each folder above it root's or
    this user's, writable by no one else unless sticky (as /tmp: others
    cannot move what is not theirs); a PermissionError names the folder at
    fault. Links are resolved once, here: the real path is used from then
    on, so a link swapped later changes nothing (ssh's StrictModes asks the
    same of ~/.ssh). As CompileCache.cpp's trustedFolder."""
    real = os.path.realpath(cache)
    st = os.stat(real)
    me = os.geteuid()
    problem = None
    if st.st_uid != me:
        problem = f"it belongs to another user (uid {st.st_uid})"
    elif st.st_mode & 0o022:
        problem = (f"others can write in it (mode {st.st_mode & 0o7777:o}: "
                   "`chmod go-w` it)")
    parent = real
    while problem is None and parent != os.path.dirname(parent):
        parent = os.path.dirname(parent)
        up = os.stat(parent)
        if up.st_uid not in (0, me):
            problem = (f"the folder '{parent}' above it belongs to another "
                       f"user (uid {up.st_uid})")
        elif up.st_mode & 0o022 and not up.st_mode & stat.S_ISVTX:
            problem = (f"others can write in the folder '{parent}' above it "
                       f"(mode {up.st_mode & 0o7777:o})")
    if problem is None:
        return real
    raise PermissionError(
        errno.EPERM, f"the cache folder '{cache}' is not used: {problem}, "
        "and a library put there by someone else would run in this "
        "process; set PREDICT_CACHE_DIR to a folder of your own", cache)


def _sealed(entry):
    """Whether the entry folder `entry` and its files (_holds_entry_files's)
    are writable by their owner alone, as entry() makes them: one that
    others could have written (made by an older predict under umask 002)
    is not trusted, but compiled again."""
    try:
        return all(not os.lstat(p).st_mode & 0o022
                   for p in [entry] + [os.path.join(entry, n)
                                       for n in os.listdir(entry)])
    except OSError:  # removed meanwhile (another process's clear_cache)
        return False


def _holds_entry_files(path):
    """Whether `path` is a folder (not a link) of this user's holding
    nothing but this user's regular files of a cache entry (not a folder,
    a link or a fifo of such a name)."""
    def own(p, kind):
        try:
            st = os.lstat(p)
        except OSError:
            return False
        return kind(st.st_mode) and st.st_uid == os.geteuid()
    if not own(path, stat.S_ISDIR):
        return False
    try:
        names = os.listdir(path)
    except OSError:
        return False
    return all(own(os.path.join(path, n), stat.S_ISREG) and
               (n in _ENTRY_FILES or
               (n.startswith(".") and n.endswith(".tmp") and
                n[1:].split(".tmp", 1)[0].rsplit(".", 1)[0] in _ENTRY_FILES))
               for n in names)


def _is_entry(cache, name):
    """Whether `name` in the cache folder is predict's: an entry (32 hex
    digits) or a compile's temporary folder (`.tmp-<pid>-...`), each a
    folder of an entry's files. Anything else (a folder of the same name
    holding other files, a `.tmp-notes` file) is not touched."""
    if name.startswith(".tmp-"):
        pid = name[len(".tmp-"):].split("-", 1)[0]
        named = pid.isdigit()
    else:
        named = len(name) == 32 and all(c in "0123456789abcdef" for c in name)
    return named and _holds_entry_files(os.path.join(cache, name))


def _cpu():
    try:
        with open("/proc/cpuinfo") as f:
            lines = [l for l in f if l.startswith(("model name", "flags"))]
        return "".join(sorted(set(lines)))
    except OSError:
        return platform.processor()


def key(compiler, inputs, args, folder=None):
    """The cache key of compiling `inputs` (the model, then its config and
    weights files, relative to `folder` if given) with predict-compile's
    `args`. A file option's path is
    left out (`--config=m.json` counts as `--config`): the file's bytes are
    in `inputs`, and where it lies does not change the code."""
    h = hashlib.sha256()
    h.update(b"predict-cache-2\0")
    # Size and time of the compiler, then of the files of predict it reads
    # (a predict rebuilt or reinstalled in part compiles afresh).
    bin = os.path.dirname(compiler)
    reader = os.environ.get("PREDICT_PYTHON_DIR") or os.path.join(
        bin, "..", "share", "predict", "python")
    for i, path in enumerate([
            compiler,
            os.path.join(bin, "..", "lib", "predict", "libpredict_runtime.a"),
            os.path.join(reader, "predict_read_source.py")]):
        try:
            st = os.stat(path)
            h.update(f"{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            if i == 0:
                raise  # no compiler
            h.update(b"-\0-\0")
    # The model's path as given: the library's run-time messages name it.
    h.update(os.fsencode(inputs[0]) + b"\0")
    for path in inputs:
        # Read from `folder` when given (relative names as the compile saw
        # them); the names themselves are hashed as given.
        with open(os.path.join(folder, path) if folder else path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    # (As bytes: a path that is not UTF-8 is its own bytes, as os.fsencode
    # gives them to predict-compile.)
    h.update(b"\0".join(os.fsencode(a.split("=", 1)[0]
                                     if a.startswith(("--config=", "--weights="))
                                     else a) for a in args))
    h.update(_cpu().encode())
    return h.hexdigest()[:32]


def stamps(paths):
    """Each file's identity and last change (device, inode, size, and the
    modification and status-change times in ns): a file written while it
    was compiled changes its ctime even when it is changed back to the same
    bytes, which hashing alone would not see. As CompileCache.cpp's
    fileStamps."""
    out = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            out.append(None)  # gone: not the file that was hashed
            continue
        out.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns,
                    st.st_ctime_ns))
    return out


def _checksum(path):
    """The CRC-32 of the file at `path` as eight lowercase hex digits, or
    None when it cannot be read: zlib's, as CompileCache.cpp's checksumOf."""
    crc = 0
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 24), b""):
                crc = zlib.crc32(block, crc)
    except OSError:
        return None
    return f"{crc:08x}"


def _intact(path):
    """Whether the library of an entry is as it was written: its bytes have
    the CRC-32 written beside it (`<path>.crc32`). A library cut short would
    fault when loaded, one damaged in place when called. As
    CompileCache.cpp's isIntactEntry."""
    try:
        with open(path + ".crc32") as f:
            stored = f.read().strip()
    except (OSError, UnicodeDecodeError):
        return False
    crc = _checksum(path)
    return crc is not None and stored == crc


def lookup(key):
    """The cached library of `key` (key()'s), or None; an entry without a
    whole, unchanged library (cut short, damaged, emptied by hand) is
    removed, to be compiled again."""
    cache = folder()
    if not os.path.isdir(cache):
        return None  # made (or refused) when the model is compiled
    entry = os.path.join(_trusted(cache), key)
    path = os.path.join(entry, "libmodel.so")
    if not os.path.lexists(entry):
        return None
    # Something else under the entry's name is the user's: never removed
    # (as CompileCache.cpp refuses it). The files are known regular before
    # any is read (a fifo would block).
    if not _holds_entry_files(entry):
        raise FileExistsError(
            errno.EEXIST, f"the cache folder '{cache}' holds '{key}', "
            "which is not a cache entry of predict's: move it, or set "
            "PREDICT_CACHE_DIR to a folder of its own", entry)
    if _sealed(entry) and _intact(path):
        return path
    shutil.rmtree(entry, ignore_errors=True)
    return None


def _running(name):
    """Whether `name` is the temporary folder of a compile still running."""
    pid = name[len(".tmp-"):].split("-", 1)[0]
    if not name.startswith(".tmp-") or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True  # runs, as another user's process (or cannot be told)
    return True


def _remove_abandoned(cache):
    """Removes the temporary folders (`.tmp-<pid>-*`) that processes no
    longer running left in `cache` (a compile interrupted or killed cannot
    remove its own); as CompileCache.cpp's removeAbandonedTemps."""
    for name in os.listdir(cache):
        pid = name[len(".tmp-"):].split("-", 1)[0]
        if (name.startswith(".tmp-") and pid.isdigit()
                and 0 < int(pid) < 2**31 and not _running(name)
                and _is_entry(cache, name)):
            shutil.rmtree(os.path.join(cache, name), ignore_errors=True)


def _not_a_folder(cache):
    """The NotADirectoryError of a cache path that cannot be a folder: a
    link to nothing, a file, or a path under a file."""
    remedy = "remove it, or set PREDICT_CACHE_DIR to a folder"
    if os.path.islink(cache) and not os.path.exists(cache):
        what = f"a link to '{os.readlink(cache)}', which does not exist"
    elif os.path.lexists(cache) and not os.path.isfile(cache):
        # /dev/null, a fifo: not the user's to remove.
        what, remedy = ("a device or a pipe, not a folder",
                        "set PREDICT_CACHE_DIR to a folder")
    elif os.path.lexists(cache):
        what = "a file, not a folder"
    else:
        what = "under a file, not a folder"
    return NotADirectoryError(f"the cache folder '{cache}' is {what}: {remedy}")


def _make_folder(cache):
    """The cache folder, made (each missing folder of its path mode 700,
    whatever the umask) if it is not there: its real path, _trusted."""
    missing, path = [], os.path.abspath(cache)
    while not os.path.lexists(path):
        missing.append(path)
        path = os.path.dirname(path)
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
            os.chmod(path, 0o700)  # (mkdir's mode is masked by the umask)
        except FileExistsError:
            pass  # made by another process meanwhile: checked below
        except NotADirectoryError:
            raise _not_a_folder(cache) from None
        except OSError as e:  # an unwritable home, a read-only file system
            raise OSError(e.errno, "cannot create the cache folder "
                          f"'{cache}': {e.strerror} (set PREDICT_CACHE_DIR "
                          "to a folder this process can write)",
                          cache) from None
    if not os.path.isdir(cache):
        raise _not_a_folder(cache)
    # (Made by another user first, it is theirs.)
    return _trusted(cache)


@contextlib.contextmanager
def entry(key):
    """Yields (library path, header path) in a fresh temporary folder, which
    becomes the entry of `key` (key()'s) when the block succeeds."""
    named = folder()
    cache = _make_folder(named)
    final = os.path.join(cache, key)
    _remove_abandoned(cache)
    try:
        temp = tempfile.mkdtemp(prefix=f".tmp-{os.getpid()}-", dir=cache)
    except OSError as e:
        raise OSError(e.errno, f"cannot write in the cache folder '{named}': "
                      f"{e.strerror} (set PREDICT_CACHE_DIR to a folder "
                      "this process can write)", cache) from None
    try:
        library = os.path.join(temp, "libmodel.so")
        yield library, os.path.join(temp, "model.h")
        crc = _checksum(library)
        if crc is None:
            raise OSError(f"cannot read the library just compiled, '{library}'")
        with open(os.open(library + ".crc32", os.O_WRONLY | os.O_CREAT |
                          os.O_EXCL, 0o600), "w") as f:
            f.write(crc + "\n")
        # Writable by no one else, whatever the umask (_sealed).
        for name in os.listdir(temp):
            os.chmod(os.path.join(temp, name),
                     0o700 if name == "libmodel.so" else 0o600)
        try:
            os.rename(temp, final)
        except OSError:
            if not os.path.isdir(final):  # not another process's entry
                raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _unless_gone(function, path, excinfo):
    """shutil.rmtree's error handler: a file or folder that another process
    removed meanwhile is as good as removed; any other error is raised."""
    if not issubclass(excinfo[0], FileNotFoundError):
        raise excinfo[1]


def clear():
    """Removes every entry of the cache, and the temporary folders of
    compiles that are no longer running (those of running ones are theirs
    to remove). An OSError names what cannot be removed."""
    cache = folder()
    if not os.path.lexists(cache):
        return  # nothing compiled there yet
    if not os.path.isdir(cache):
        raise _not_a_folder(cache)
    for name in os.listdir(cache):
        # Only predict's own: a cache folder set by mistake to a folder
        # holding other files keeps them.
        if _running(name) or not _is_entry(cache, name):
            continue
        path = os.path.join(cache, name)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, onerror=_unless_gone)
            else:
                os.remove(path)
        except FileNotFoundError:
            continue  # removed meanwhile (another clear, or a compile's lookup)
        except OSError as e:
            raise OSError(e.errno, f"cannot clear the cache '{cache}': "
                          f"{e.strerror}", e.filename) from None
