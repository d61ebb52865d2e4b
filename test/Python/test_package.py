"""Tests of the Python package `predict` (docs/Python.md), run by
test/Python/package.test with pytest. References: the expected outputs saved
with the real Keras files of ../shared/models, and numpy written here."""
import multiprocessing
import os
import pickle
import shutil
import stat
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import predict

MODELS = os.environ["PREDICT_SHARED_MODELS"]
SEED = os.environ["PREDICT_SEED_PROGRAMS"]
SOURCE = os.environ["PREDICT_SOURCE_ROOT"]


def model_file(name):
    return os.path.join(MODELS, name)


@pytest.fixture(scope="module")
def loan():
    return predict.compile(model_file("real08_loan_bn_act.h5"))


@pytest.fixture(scope="module")
def loan_data():
    return (np.load(model_file("real08_loan_bn_act.in.npy")),
            np.load(model_file("real08_loan_bn_act.out.npy")))


def test_call_matches_keras(loan, loan_data):
    x, ref = loan_data
    y = loan(x)
    assert y.dtype == np.float32 and y.shape == ref.shape
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("rows", [0, 1, 3, 17])
def test_every_batch_size(loan, loan_data, rows):
    x, _ = loan_data
    big = np.resize(x, (rows, x.shape[1]))
    one_by_one = [loan(big[i:i + 1]) for i in range(rows)]
    y = loan(big)
    assert y.shape == (rows, 1)
    if rows:
        np.testing.assert_allclose(y, np.concatenate(one_by_one), rtol=1e-6)


def test_predict_in_batches(loan, loan_data):
    x, ref = loan_data
    for batch_size in (1, 3, 4, 100):
        np.testing.assert_allclose(loan.predict(x, batch_size=batch_size), ref,
                                   rtol=1e-4, atol=1e-5)
    assert loan.predict(x[:0]).shape == (0, 1)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        loan.predict(x, batch_size=0)


def test_inputs_are_converted_as_keras_does(loan, loan_data):
    x, ref = loan_data
    # float64, Fortran order, a list: all converted to C-contiguous float32.
    for given in (x.astype(np.float64), np.asfortranarray(x), x.tolist(),
                  x.astype(">f4"), x.astype(">f8")):
        np.testing.assert_allclose(loan(given), ref, rtol=1e-4, atol=1e-5)
    # What is not numbers is refused, never made NaN (None) or parsed.
    for given in (np.full(x.shape, None), x.astype(str), x.astype(np.complex64)):
        with pytest.raises(TypeError, match="must be numbers"):
            loan(given)


def test_signature(loan):
    inputs, outputs = loan.signature
    assert [(s.shape, s.dtype) for s in inputs] == [((None, 31), np.float32)]
    assert [(s.shape, s.dtype) for s in outputs] == [((None, 1), np.float32)]


def test_shape_errors_name_the_input(loan, loan_data):
    x, _ = loan_data
    with pytest.raises(ValueError, match=r"input #0 of predict must have shape \(None, 31\): dimension 1 is 5, not 31"):
        loan(x[:, :5])
    with pytest.raises(ValueError, match=r"input #0 of predict must have rank 2"):
        loan(x[0])
    with pytest.raises(ValueError, match=r"predict takes 1 input\(s\), 2 given"):
        loan(x, x)


def test_run_time_error_is_located():
    m = predict.compile(model_file("new16_ncf_2in.h5"))
    d = np.load(model_file("new16_ncf_2in.in.npz"))
    a, b = (np.asarray(v, np.float32) for v in d.values())
    np.testing.assert_allclose(m(a, b), np.load(model_file("new16_ncf_2in.out.npy")),
                               rtol=1e-4, atol=1e-5)
    with pytest.raises(RuntimeError, match=r"new16_ncf_2in.h5: layer 'concatenate': "
                       r"error: at run time: inputs of concatenate have 4 and 3 rows"):
        m(a, b[:3])
    # Several inputs as one list or tuple, as Keras's predict takes them.
    expected = m(a, b)
    np.testing.assert_array_equal(m([a, b]), expected)
    np.testing.assert_array_equal(m((a, b)), expected)
    np.testing.assert_array_equal(m.predict([a, b], batch_size=3), expected)
    with pytest.raises(ValueError, match=r"takes 2 inputs, given in order \(m\(a, b\)\) "
                       r"or as one list of them .* a list of 3 was given"):
        m([a, b, b])
    with pytest.raises(ValueError, match=r"a dict of them by name is not taken"):
        m({"in0": a, "in1": b})


def test_python_source_against_numpy(tmp_path):
    # The seed's SimpleModel (Dense 100->64 relu, Dense 64->10 softmax) with
    # weights given here.
    rng = np.random.default_rng(3)
    w = {"dense1/kernel": rng.normal(size=(100, 64)).astype(np.float32) * 0.1,
         "dense1/bias": rng.normal(size=64).astype(np.float32) * 0.1,
         "dense2/kernel": rng.normal(size=(64, 10)).astype(np.float32) * 0.1,
         "dense2/bias": rng.normal(size=10).astype(np.float32) * 0.1}
    np.savez(tmp_path / "w.npz", **w)
    m = predict.compile(os.path.join(SEED, "simple_model.py"), weights=tmp_path / "w.npz")
    x = rng.normal(size=(5, 100)).astype(np.float32)
    h = np.maximum(x @ w["dense1/kernel"] + w["dense1/bias"], 0)
    z = h @ w["dense2/kernel"] + w["dense2/bias"]
    ref = np.exp(z - z.max(axis=1, keepdims=True))
    ref /= ref.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(m(x), ref, rtol=1e-4, atol=1e-6)


def _seed_weights(path, rng):
    w = {"dense1/kernel": rng.normal(size=(100, 64)).astype(np.float32) * 0.1,
         "dense1/bias": rng.normal(size=64).astype(np.float32) * 0.1,
         "dense2/kernel": rng.normal(size=(64, 10)).astype(np.float32) * 0.1,
         "dense2/bias": rng.normal(size=10).astype(np.float32) * 0.1}
    np.savez(path, **w)
    return w


def test_seed_custom_model_row_loop(tmp_path):
    """The seed's CustomModel: predict() loops over the rows in Python and
    concatenates; one library for every batch size, against numpy."""
    rng = np.random.default_rng(7)
    w = _seed_weights(tmp_path / "w.npz", rng)
    m = predict.compile(os.path.join(SEED, "custom_model.py"), weights=tmp_path / "w.npz")
    for rows in (3, 1, 0, 17):
        x = rng.normal(size=(rows, 100)).astype(np.float32)
        z = np.maximum(x @ w["dense1/kernel"] + w["dense1/bias"], 0) @ w["dense2/kernel"] + w["dense2/bias"]
        ref = np.exp(z - z.max(axis=1, keepdims=True)) if rows else z
        ref = ref / ref.sum(axis=1, keepdims=True) if rows else ref
        np.testing.assert_allclose(m(x), ref, rtol=1e-4, atol=1e-6)


def test_seed_scipy_model_is_refused_at_its_line(tmp_path):
    """The seed's SciPyModel calls scipy.signal.convolve on a 2-D x with a
    1-D kernel, which scipy itself refuses: refused at that call by
    default, and with foreign="rewrite" for the ranks, as scipy does."""
    _seed_weights(tmp_path / "w.npz", np.random.default_rng(1))
    source = os.path.join(SEED, "scipy_model.py")
    with pytest.raises(predict.CompileError,
                       match=r"scipy_model.py:15:\d+: error: call to foreign function 'scipy.signal.convolve'"):
        predict.compile(source, weights=tmp_path / "w.npz")
    with pytest.raises(predict.CompileError, match=r"scipy_model.py:15:\d+: error: .*(rank|dimension)"):
        predict.compile(source, weights=tmp_path / "w.npz", foreign="rewrite")


def test_compile_errors():
    with pytest.raises(FileNotFoundError, match="no model file"):
        predict.compile(model_file("no_such_model.h5"))
    with pytest.raises(ValueError, match="foreign must be 'reject', 'rewrite' or 'callback', not 'sometimes'"):
        predict.compile(model_file("real08_loan_bn_act.h5"), foreign="sometimes")
    with pytest.raises(predict.CompileError, match="unknown target_cpu 'pentium9'"):
        predict.compile(model_file("real08_loan_bn_act.h5"), target_cpu="pentium9")


def test_compile_error_holds_no_progress_lines(tmp_path, monkeypatch):
    """$PREDICT_PROGRESS_AFTER_MS (for the command-line tools) does not put
    progress lines into a CompileError's message."""
    monkeypatch.setenv("PREDICT_PROGRESS_AFTER_MS", "0")
    _seed_weights(tmp_path / "w.npz", np.random.default_rng(1))
    with pytest.raises(predict.CompileError) as error:
        predict.compile(os.path.join(SEED, "scipy_model.py"),
                        weights=tmp_path / "w.npz")
    assert "scipy_model.py:15:" in str(error.value)
    assert "predict-compile: import..." not in str(error.value)


def test_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    assert predict.cache_dir() == str(tmp_path / "cache")
    first = predict.compile(model_file("real08_loan_bn_act.h5"))
    entries = os.listdir(tmp_path / "cache")
    assert len(entries) == 1
    stamp = os.stat(first._library.path).st_mtime_ns
    again = predict.compile(model_file("real08_loan_bn_act.h5"))
    assert again._library.path == first._library.path
    assert os.stat(again._library.path).st_mtime_ns == stamp
    # Other options are another entry.
    predict.compile(model_file("real08_loan_bn_act.h5"), target_cpu="x86-64-v3")
    assert len(os.listdir(tmp_path / "cache")) == 2
    # Clearing keeps the temporary folder of a compile still running (pid
    # 1's) and removes a dead one's; the folder itself stays.
    os.makedirs(tmp_path / "cache" / ".tmp-1-abc")
    os.makedirs(tmp_path / "cache" / ".tmp-2147483646-abc")
    predict.clear_cache()
    assert os.listdir(tmp_path / "cache") == [".tmp-1-abc"]
    # A cache path that is a file: said, not ignored.
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "file"))
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        predict.clear_cache()


def test_paths_that_are_not_utf8(tmp_path, monkeypatch, loan_data):
    """File names are bytes on Linux: a name that is not UTF-8, given as
    bytes or as os.fsdecode's str, reaches the tools unchanged, and their
    messages naming it come back (as surrogates, not a decoding error)."""
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    x, expected = loan_data
    folder = os.fsencode(tmp_path)
    model = folder + b"/m\xff.h5"
    shutil.copy(model_file("real08_loan_bn_act.h5"), model)
    for path in (model, os.fsdecode(model)):
        m = predict.compile(path)
        np.testing.assert_allclose(m(x), expected, rtol=1e-4, atol=1e-5)
        assert "foreign calls: 0" in m.explain()
    m.export(folder + b"/lib\xfe.so")
    np.testing.assert_allclose(predict.load(folder + b"/lib\xfe.so")(x),
                               expected, rtol=1e-4, atol=1e-5)
    # Weights given as bytes: the file, not the text "b'...'".
    rng = np.random.default_rng(5)
    shapes = {"dense1/kernel": (100, 64), "dense1/bias": (64,),
              "dense2/kernel": (64, 10), "dense2/bias": (10,)}
    w = {k: rng.normal(size=v).astype(np.float32) for k, v in shapes.items()}
    np.savez(os.fsdecode(folder + b"/w\xfd.npz"), **w)
    m = predict.compile(os.path.join(SEED, "simple_model.py"),
                        weights=folder + b"/w\xfd.npz")
    xs = rng.normal(size=(3, 100)).astype(np.float32)
    h = np.maximum(xs @ w["dense1/kernel"] + w["dense1/bias"], 0)
    z = h @ w["dense2/kernel"] + w["dense2/bias"]
    ref = np.exp(z - z.max(axis=1, keepdims=True))
    np.testing.assert_allclose(m(xs), ref / ref.sum(axis=1, keepdims=True),
                               rtol=1e-4, atol=1e-6)
    # A run-time error located in such a file: its bytes come back, on the
    # fast path (float32) and the converting one (float64).
    ncf = folder + b"/\xe9ncf.h5"
    shutil.copy(model_file("new16_ncf_2in.h5"), ncf)
    m = predict.compile(ncf)
    for dtype in (np.float32, np.float64):
        with pytest.raises(RuntimeError) as error:
            m(np.zeros((4, 1), dtype), np.zeros((3, 1), dtype))
        assert b"\xe9ncf.h5" in os.fsencode(str(error.value))
    # A bad file so named: predict's message names it.
    bad = folder + b"/bad\xff.h5"
    with open(bad, "wb") as f:
        f.write(b"\x89HDF\r\n\x1a\n" + bytes(100))
    with pytest.raises(predict.CompileError) as error:
        predict.compile(bad)
    assert b"bad\xff.h5" in os.fsencode(str(error.value))


def _first_row(model_and_x):
    model, x = model_and_x
    return model(x)[:1]


def _clear_into(queue):
    try:
        predict.clear_cache()
        queue.put("ok")
    except Exception as e:  # what the test reports
        queue.put(f"{type(e).__name__}: {e}")


def test_clear_cache_at_once(tmp_path, monkeypatch):
    """Two processes clearing one cache at once both succeed: an entry or
    file the other removed meanwhile counts as cleared (one of them raised
    FileNotFoundError)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(cache))
    m = predict.compile(model_file("real08_loan_bn_act.h5"))
    template = tmp_path / "entry"
    shutil.copytree(os.path.dirname(m._library.path), template)
    context = multiprocessing.get_context("fork")
    for trial in range(3):
        for i in range(150):
            if not os.path.exists(cache / ("%032x" % i)):
                shutil.copytree(template, cache / ("%032x" % i))
        queue = context.Queue()
        workers = [context.Process(target=_clear_into, args=(queue,))
                   for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert [queue.get(), queue.get()] == ["ok", "ok"]
        assert os.listdir(cache) == []


def test_pickle_for_multiprocessing(tmp_path, monkeypatch, loan_data):
    """A Model pickles as its library's path: a pool of processes started
    afresh (spawn) calls it; a library gone since is named."""
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    x, expected = loan_data
    m = predict.compile(model_file("real08_loan_bn_act.h5"))
    again = pickle.loads(pickle.dumps(m))
    assert again.signature == m.signature
    np.testing.assert_allclose(again(x), expected, rtol=1e-4, atol=1e-5)
    assert "foreign calls: 0" in again.explain()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        rows = pool.map(_first_row, [(m, x[i:i + 3]) for i in (0, 3)])
    np.testing.assert_allclose(np.concatenate(rows), expected[[0, 3]],
                               rtol=1e-4, atol=1e-5)
    data = pickle.dumps(m)
    predict.clear_cache()
    with pytest.raises(FileNotFoundError, match="no library file"):
        pickle.loads(data)


def test_scalar_and_bool_inputs(tmp_path, monkeypatch):
    """A rank-0 input from a Python number or a 0-d array of any dtype; a
    bool input from numbers only from 0 and 1."""
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "m.mlir").write_text(
        "func.func @s(%x: tensor<f32>) -> tensor<f32> {\n"
        "  %y = predict.add %x, %x : (tensor<f32>, tensor<f32>) -> tensor<f32>\n"
        "  return %y : tensor<f32>\n}\n"
        "func.func @n(%b: tensor<?xi1>) -> tensor<?xi1> {\n"
        "  %y = predict.not %b : tensor<?xi1>\n"
        "  return %y : tensor<?xi1>\n}\n")
    s = predict.compile(tmp_path / "m.mlir", function="s")
    for x in (3, 3.0, np.float32(3), np.array(3.0), np.array(3, np.float32)):
        y = s(x)
        assert y.shape == () and y == 6.0
    n = predict.compile(tmp_path / "m.mlir", function="n")
    assert n(np.array([0, 1, 1.0])).tolist() == [True, False, False]
    for bad in ([0.5, 1], [2, 0], [np.nan]):
        with pytest.raises(ValueError, match="values other than 0 and 1"):
            n(np.array(bad))
    # A bool array whose byte is 2 is True, as numpy reads it (the compiled
    # code reads bit 0 alone: it would be False).
    raw = np.array([1, 0, 2], np.uint8).view(np.bool_)
    assert n(raw).tolist() == [False, True, False]


def test_cache_keeps_what_is_not_its_own(tmp_path, monkeypatch):
    """clear_cache() removes entries and temporaries only (a cache folder
    set by mistake to a folder of other files keeps them); an entry's name
    taken by a file is compiled over; HOME empty is the password
    database's home, as predict-run takes it."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(cache))
    m = predict.compile(model_file("real08_loan_bn_act.h5"))
    entry = os.path.basename(os.path.dirname(m._library.path))
    (cache / "notes.txt").write_text("mine")
    os.makedirs(cache / "project")
    # Named as predict names its entries and temporaries, holding others'.
    for name in ["0123456789abcdef0123456789abcdef", ".tmp-2147483645-backup"]:
        os.makedirs(cache / name)
        (cache / name / "thesis.tex").write_text("mine")
    (cache / ".tmp-notes").write_text("mine")
    predict.clear_cache()
    assert sorted(os.listdir(cache)) == sorted(
        [".tmp-2147483645-backup", ".tmp-notes", "0123456789abcdef0123456789abcdef",
         "notes.txt", "project"])
    assert (cache / ".tmp-2147483645-backup" / "thesis.tex").read_text() == "mine"
    for name in [".tmp-2147483645-backup", ".tmp-notes", "0123456789abcdef0123456789abcdef"]:
        shutil.rmtree(cache / name) if os.path.isdir(cache / name) else os.remove(cache / name)
    # A file, or a folder holding a folder named like an entry's file,
    # under an entry's name is the user's: an error, kept.
    shutil.rmtree(cache / entry, ignore_errors=True)
    (cache / entry).write_text("not an entry")
    with pytest.raises(FileExistsError, match="which is not a cache entry of predict's"):
        predict.compile(model_file("real08_loan_bn_act.h5"))
    assert (cache / entry).read_text() == "not an entry"
    os.remove(cache / entry)
    os.makedirs(cache / entry / "model.h")
    (cache / entry / "model.h" / "mine.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="which is not a cache entry of predict's"):
        predict.compile(model_file("real08_loan_bn_act.h5"))
    predict.clear_cache()
    assert (cache / entry / "model.h" / "mine.txt").read_text() == "mine"
    shutil.rmtree(cache / entry)
    m = predict.compile(model_file("real08_loan_bn_act.h5"))
    assert os.path.isdir(cache / entry) and m.signature[0][0].shape == (None, 31)
    monkeypatch.delenv("PREDICT_CACHE_DIR")
    monkeypatch.setenv("HOME", "")
    import pwd
    assert predict.cache_dir() == os.path.join(
        pwd.getpwuid(os.getuid()).pw_dir, ".cache", "predict")


def test_model_named_like_an_option(tmp_path, monkeypatch, loan_data):
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    shutil.copy(model_file("real08_loan_bn_act.h5"), "-lead.h5")
    x, expected = loan_data
    m = predict.compile("-lead.h5")
    np.testing.assert_allclose(m(x), expected, rtol=1e-4, atol=1e-5)
    assert "explain function @predict" in m.explain()
    with pytest.raises(IsADirectoryError, match="is a folder, not a model file"):
        predict.compile(tmp_path)
    # `@x.h5` is that file, not LLVM's response file of arguments `x.h5`
    # (here naming another model).
    shutil.copy(model_file("new11_lstm_ae.h5"), "@x.h5")
    (tmp_path / "x.h5").write_text("-lead.h5\n")
    assert predict.compile("@x.h5").signature[0][0].shape == (None, 8, 1)


def test_tools_end_with_the_python_process(tmp_path):
    """A Python process killed while predict-compile runs for it takes the
    compile with it (PREDICT_PARENT_PID, include/predict/Support/Parent.h)."""
    import psutil
    env = dict(os.environ, PREDICT_CACHE_DIR=str(tmp_path / "cache"))
    script = ("import predict; predict.compile("
              f"{model_file('real17_cnn_mnist.h5')!r}, threads=2)")
    parent = subprocess.Popen([sys.executable, "-c", script], env=env)
    child = None
    for _ in range(200):
        children = [c for c in psutil.Process(parent.pid).children()
                    if c.name() == "predict-compile"]
        if children:
            child = children[0]
            break
        time.sleep(0.02)
    assert child is not None, "predict-compile never started"
    parent.kill()
    parent.wait()
    child.wait(timeout=10)  # psutil.TimeoutExpired if it keeps running
    # Ended, not finished: it wrote no library (a compile left running
    # would have written one into the dead process's temporary folder).
    written = [os.path.join(root, f) for root, _, files in
               os.walk(tmp_path / "cache") for f in files if f.endswith(".so")]
    assert written == []


def test_cache_damaged_entry(tmp_path, monkeypatch, loan_data):
    """A library changed in the cache since it was written (zeroed in place,
    its size unchanged, or its checksum gone) is compiled again, never
    loaded: it would crash the process."""
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    x, expected = loan_data
    path = predict.compile(model_file("real08_loan_bn_act.h5"))._library.path
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.seek(size // 2)
        f.write(bytes(4096))
    stamp = os.stat(path).st_mtime_ns
    m = predict.compile(model_file("real08_loan_bn_act.h5"))
    assert os.stat(m._library.path).st_mtime_ns != stamp
    np.testing.assert_allclose(m(x), expected, rtol=1e-4, atol=1e-5)
    os.remove(path + ".crc32")
    stamp = os.stat(path).st_mtime_ns
    m = predict.compile(model_file("real08_loan_bn_act.h5"))
    assert os.path.exists(path + ".crc32")
    assert os.stat(m._library.path).st_mtime_ns != stamp


def test_cache_removes_abandoned_temporaries(tmp_path, monkeypatch):
    """A compile interrupted or killed leaves `.tmp-<pid>-*`: the next
    compile removes it once its process has gone, never a running one's."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(cache))
    for name in (".tmp-2147483646-abc", ".tmp-1-abc", ".tmp-other",
                 ".tmp-2147483645-backup"):
        os.makedirs(cache / name)
    # What an interrupted compile leaves (its library half written); a
    # folder of other files named alike is not predict's.
    (cache / ".tmp-2147483646-abc" / "libmodel.so").write_bytes(b"\x7fELF")
    (cache / ".tmp-2147483645-backup" / "thesis.tex").write_text("mine")
    predict.compile(model_file("real08_loan_bn_act.h5"), threads=3)
    left = sorted(n for n in os.listdir(cache) if n.startswith(".tmp"))
    assert left == [".tmp-1-abc", ".tmp-2147483645-backup", ".tmp-other"]


def test_cache_folder_that_is_a_file(tmp_path, monkeypatch):
    (tmp_path / "cache").write_text("")
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(NotADirectoryError, match="cache folder '.*cache' is a file"):
        predict.compile(model_file("real08_loan_bn_act.h5"))


def test_cache_folder_not_private(tmp_path, monkeypatch):
    """A library of the cache is loaded into the process: a cache folder
    others can write, or another user's, is refused (a library put there by
    someone else would run here); a fifo in an entry is not read (it would
    block): the entry is not predict's."""
    shared = tmp_path / "shared"
    os.makedirs(shared)
    os.chmod(shared, 0o1777)
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(shared))
    with pytest.raises(PermissionError, match="cache folder '.*shared' is not used: others "
                       "can write in it \\(mode 1777"):
        predict.compile(model_file("real08_loan_bn_act.h5"))
    # Another user's folder (root's / for a user, 65534's for root).
    theirs = tmp_path / "theirs"
    if os.geteuid() == 0:
        os.makedirs(theirs)
        os.chown(theirs, 65534, 65534)
    else:
        theirs = "/"
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(theirs))
    with pytest.raises(PermissionError, match="is not used: it belongs to another user"):
        predict.compile(model_file("real08_loan_bn_act.h5"))
    # A folder above the cache that others can write (not sticky).
    os.makedirs(tmp_path / "open" / "cache", mode=0o700)
    os.chmod(tmp_path / "open", 0o777)
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "open" / "cache"))
    with pytest.raises(PermissionError, match="others can write in the folder '.*open' above it"):
        predict.compile(model_file("real08_loan_bn_act.h5"))
    # Each folder made is mode 700, the entries' files writable by their
    # owner alone, whatever the umask; an entry others could write is
    # compiled again.
    cache = tmp_path / "made" / "cache"
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(cache))
    old = os.umask(0o002)
    try:
        m = predict.compile(model_file("real08_loan_bn_act.h5"))
    finally:
        os.umask(old)
    for folder in (cache, cache.parent):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    entry = os.path.dirname(m._library.path)
    assert sorted((n, stat.S_IMODE(os.stat(os.path.join(entry, n)).st_mode))
                  for n in os.listdir(entry)) == [
        ("libmodel.so", 0o700), ("libmodel.so.crc32", 0o600), ("model.h", 0o600)]
    os.chmod(m._library.path, 0o770)
    m = predict.compile(model_file("real08_loan_bn_act.h5"))
    assert stat.S_IMODE(os.stat(m._library.path).st_mode) == 0o700
    entry = os.path.dirname(m._library.path)
    for name in ["libmodel.so.crc32", "libmodel.so"]:
        shutil.rmtree(entry)
        m = predict.compile(model_file("real08_loan_bn_act.h5"))
        os.remove(os.path.join(entry, name))
        os.mkfifo(os.path.join(entry, name))
        with pytest.raises(FileExistsError, match="which is not a cache entry of predict's"):
            predict.compile(model_file("real08_loan_bn_act.h5"))


def _predict_run(*args):
    tool = os.path.join(os.path.dirname(predict.__file__), "..", "..", "..",
                        "..", "bin", "predict-run")
    return subprocess.run([os.path.normpath(tool), "--timing"] + list(args),
                          capture_output=True, text=True, check=True).stdout


def test_cache_is_shared_with_predict_run(tmp_path, monkeypatch, loan_data):
    """One key on both sides (docs/Python.md, "The cache"): what Python
    compiled, predict-run loads, and the other way round; a config or
    weights file counts by its bytes, not by where it lies."""
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    x, expected = loan_data
    np.save(tmp_path / "x.npy", x)
    model = model_file("real08_loan_bn_act.h5")
    predict.compile(model, threads=2)
    out = _predict_run(model, f"--input=@{tmp_path / 'x.npy'}", "--threads=2",
                       f"--output=@{tmp_path / 'y.npy'}")
    assert "cache: hit" in out and "import" not in out
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), expected,
                               rtol=1e-4, atol=1e-5)
    # Python source with its weights in a copied file, compiled by
    # predict-run first: Python's compile is then a lookup.
    source = os.path.join(SEED, "simple_model.py")
    weights = tmp_path / "w.npz"
    rng = np.random.default_rng(3)
    w = {"dense1/kernel": rng.normal(size=(100, 64)).astype(np.float32),
         "dense1/bias": rng.normal(size=64).astype(np.float32),
         "dense2/kernel": rng.normal(size=(64, 10)).astype(np.float32),
         "dense2/bias": rng.normal(size=10).astype(np.float32)}
    np.savez(weights, **w)
    out = _predict_run(source, f"--weights={weights}", "--threads=1",
                       "--input=2x100xf32=0.5")
    assert "cache: miss" in out
    entries = set(os.listdir(tmp_path / "cache"))
    copy = tmp_path / "copy.npz"
    shutil.copy(weights, copy)
    m = predict.compile(source, weights=copy)
    assert set(os.listdir(tmp_path / "cache")) == entries
    x = np.full((2, 100), 0.5, np.float32)
    z = np.maximum(x @ w["dense1/kernel"] + w["dense1/bias"], 0) @ w["dense2/kernel"] + w["dense2/bias"]
    ref = np.exp(z - z.max(axis=1, keepdims=True))
    np.testing.assert_allclose(m(x), ref / ref.sum(axis=1, keepdims=True), rtol=1e-4, atol=1e-6)
    # Input shapes are keyed by name, not by the order they were given in.
    two = tmp_path / "two.py"
    two.write_text("import tensorflow as tf\n\n\n@tf.function\n"
                   "def f(a, b):\n    return a - 2.0 * b\n")
    out = _predict_run(two, "--threads=1", "--input-shape=b=?xf32",
                       "--input-shape=a=?xf32",
                       "--input=2xf32=1,2", "--input=2xf32=3,5")
    assert "cache: miss" in out and "2xf32=[-5 -8]" in out
    entries = set(os.listdir(tmp_path / "cache"))
    f = predict.compile(two, input_shape={"a": "?xf32", "b": "?xf32"})
    assert set(os.listdir(tmp_path / "cache")) == entries
    np.testing.assert_array_equal(f(np.float32([1, 2]), np.float32([3, 5])),
                                  np.float32([1, 2]) - 2 * np.float32([3, 5]))


def test_export_and_load(loan, loan_data, tmp_path):
    x, ref = loan_data
    loan.export(tmp_path / "libloan.so")
    loaded = predict.load(tmp_path / "libloan.so")
    np.testing.assert_allclose(loaded(x), ref, rtol=1e-4, atol=1e-5)
    # The entry points keep the cache's prefix (docs/Python.md).
    import ctypes
    exported = ctypes.CDLL(str(tmp_path / "libloan.so"))
    assert hasattr(exported, "model_predict")
    assert not hasattr(exported, "loan_predict")
    with pytest.raises(ValueError, match="explain\\(\\) needs the model file"):
        loaded.explain()
    with pytest.raises(ValueError, match="is not a shared library written by predict-compile"):
        predict.load(os.path.realpath("/lib/x86_64-linux-gnu/libm.so.6"))


def test_explain(loan):
    text = loan.explain()
    assert "function @predict" in text and "foreign calls: 0" in text


def test_threads_call_at_once(loan, loan_data):
    x, ref = loan_data
    big = np.resize(x, (64, x.shape[1]))
    want = loan(big)
    errors = []

    def work(seed):
        rng = np.random.default_rng(seed)
        for _ in range(50):
            rows = rng.integers(0, 64)
            got = loan(big[:rows])
            if not np.array_equal(got, want[:rows]):
                errors.append(rows)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_fast_path_and_converting_path_agree(loan, loan_data):
    # A float32 C-contiguous input takes the extension's path (no copy in,
    # the outputs own the library's buffers); float64 takes the converting
    # path. Both give the same numbers, and outputs stay valid and writable
    # after many other calls.
    x, ref = loan_data
    fast = [loan(x) for _ in range(200)]
    slow = loan(x.astype(np.float64))
    for y in fast:
        np.testing.assert_array_equal(y, slow)
    assert fast[0].flags.writeable and fast[0].flags.c_contiguous
    fast[0][0, 0] = 42.0
    np.testing.assert_array_equal(fast[1], slow)
    # A contiguous input of the wrong shape gets the converting path's error.
    with pytest.raises(ValueError, match=r"dimension 1 is 5, not 31"):
        loan(np.ascontiguousarray(x[:, :5]))


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no library file '.*missing.so'"):
        predict.load(tmp_path / "missing.so")
    (tmp_path / "text.so").write_text("not a library")
    with pytest.raises(ValueError, match="'.*text.so' is not a 64-bit shared library"):
        predict.load(tmp_path / "text.so")
    # An ELF file the dynamic loader refuses (an object file): its words.
    (tmp_path / "o.c").write_text("int f(void) { return 1; }\n")
    subprocess.run(["cc", "-c", str(tmp_path / "o.c"), "-o",
                    str(tmp_path / "object.so")], check=True)
    with pytest.raises(ValueError, match="cannot load '.*object.so'"):
        predict.load(tmp_path / "object.so")


def test_load_any_function_and_edges(tmp_path, monkeypatch, loan_data):
    """predict.load(path, function=) reaches every function of a library;
    errors for a name it lacks, an export into no folder, a device as the
    model, Model.predict of a scalar output; explain() after a chdir."""
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    source = os.path.join(SOURCE, "test",
                          "Integration", "Inputs", "two_inputs.mlir")
    subprocess.run([os.path.join(os.path.dirname(predict.__file__), "..", "..",
                                 "..", "..", "bin", "predict-compile"), source,
                    "-o", str(tmp_path / "libtwo.so")], check=True)
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    twice = predict.load(tmp_path / "libtwo.so", function="twice")
    doubled, same = twice(x)
    np.testing.assert_array_equal(doubled, 2 * x)
    np.testing.assert_array_equal(same, x)
    assert predict.load(tmp_path / "libtwo.so").signature[0][0].shape == (None, 4)
    with pytest.raises(ValueError, match="has no function 'nope'; its "
                       "functions: 'add', 'twice', 'constant', 'same_twice'"):
        predict.load(tmp_path / "libtwo.so", function="nope")
    with pytest.raises(FileNotFoundError, match="no folder"):
        twice.export(tmp_path / "nowhere" / "x.so")
    with pytest.raises(ValueError, match="not a regular file"):
        predict.compile("/dev/null")
    (tmp_path / "sum.mlir").write_text(
        "func.func @total(%x: tensor<?x4xf32>) -> tensor<f32> {\n"
        "  %s = predict.reduce sum %x axes = [0, 1] : tensor<?x4xf32> -> tensor<f32>\n"
        "  return %s : tensor<f32>\n}\n")
    total = predict.compile(tmp_path / "sum.mlir")
    assert total(x) == x.sum()
    with pytest.raises(ValueError, match="an output of this model is a scalar"):
        total.predict(x, batch_size=1)
    monkeypatch.chdir(tmp_path)
    shutil.copy(model_file("real08_loan_bn_act.h5"), "loan.h5")
    m = predict.compile("loan.h5")
    os.mkdir("elsewhere")
    monkeypatch.chdir("elsewhere")
    assert "explain function @predict (loan.h5)" in m.explain()


def test_integer_inputs_are_range_checked(tmp_path):
    # A function of an int32 input (its result is the input): values an
    # int32 cannot hold are a ValueError, never wrapped.
    (tmp_path / "ids.mlir").write_text(
        "func.func @ids(%a: tensor<?x2xi32>) -> tensor<?x2xi32> {\n"
        "  return %a : tensor<?x2xi32>\n}\n")
    m = predict.compile(tmp_path / "ids.mlir")
    np.testing.assert_array_equal(m(np.array([[1, -2]], np.int64)), [[1, -2]])
    np.testing.assert_array_equal(m([[3.0, 4.0]]), [[3, 4]])
    for bad in (np.array([[2**31, 0]], np.int64), [[2**40, 1]],
                np.array([[4000000000, 0]], np.uint32), np.array([[3e9, 0.0]])):
        with pytest.raises(ValueError, match="outside \\[-2147483648, 2147483647\\]"):
            m(bad)
    with pytest.raises(ValueError, match="not whole numbers"):
        m([[0.5, 1.0]])


def test_int64_inputs_at_the_edge(tmp_path):
    # 2**63 as float64, float32 or uint64 is one past int64's largest: a
    # ValueError (numpy's comparisons round both to float64, where it
    # equals 2**63 - 1); the largest itself passes, as does np.longlong,
    # int64 under another numpy name.
    (tmp_path / "big.mlir").write_text(
        "func.func @big(%a: tensor<?x2xi64>) -> tensor<?x2xi64> {\n"
        "  return %a : tensor<?x2xi64>\n}\n")
    m = predict.compile(tmp_path / "big.mlir")
    top = 2**63 - 1
    np.testing.assert_array_equal(m(np.array([[top, -top - 1]], np.int64)),
                                  [[top, -top - 1]])
    np.testing.assert_array_equal(m(np.array([[top, 0]], np.uint64)), [[top, 0]])
    for bad in (np.array([[2.0**63, 0]]), np.array([[2.0**63, 0]], np.float32),
                np.array([[2**63, 0]], np.uint64), [[2**63, 0]]):
        with pytest.raises(ValueError, match="outside \\[-9223372036854775808, "
                                             "9223372036854775807\\]"):
            m(bad)
    ids = np.arange(6, dtype=np.longlong).reshape(3, 2)
    np.testing.assert_array_equal(m(ids), ids)


def test_export_over_a_loaded_library(loan, loan_data, tmp_path):
    # Exporting over a library that is loaded replaces the file, not its
    # contents: the loaded one keeps working.
    x, ref = loan_data
    other = predict.compile(model_file("real07_ecc_regr.h5"))
    loan.export(tmp_path / "same.so")
    loaded = predict.load(tmp_path / "same.so")
    other.export(tmp_path / "same.so")
    np.testing.assert_allclose(loaded(x), ref, rtol=1e-4, atol=1e-5)
    # Loaded again, the path gives the library now written there.
    shapes = lambda m: [s.shape for s in m.signature[0]]
    assert shapes(predict.load(tmp_path / "same.so")) == shapes(other) != shapes(loan)
    # And again: the name the dynamic loader first saw must not bring the
    # first library back.
    assert shapes(predict.load(tmp_path / "same.so")) == shapes(other)
    loan.export(tmp_path / "same.so")
    assert shapes(predict.load(tmp_path / "same.so")) == shapes(loan)
    with pytest.raises(ValueError, match="give a .so name"):
        loan.export(tmp_path / "lib.a")


def test_export_through_a_link_and_not_over_a_read_only_file(loan, loan_data, tmp_path):
    # A link at the path is written through and stays a link (as
    # predict-compile -o); a read-only file is refused for a user other than
    # root (as open() refuses it), checked as os.access sees it.
    x, ref = loan_data
    (tmp_path / "real").mkdir()
    os.symlink("real/lib.so", tmp_path / "link.so")
    loan.export(tmp_path / "link.so")
    assert os.path.islink(tmp_path / "link.so")
    np.testing.assert_allclose(predict.load(tmp_path / "real" / "lib.so")(x), ref,
                               rtol=1e-4, atol=1e-5)
    ro = tmp_path / "ro.so"
    ro.write_bytes(b"precious")
    ro.chmod(0o444)
    if os.access(ro, os.W_OK):  # root
        loan.export(ro)
        assert ro.read_bytes() != b"precious"
    else:
        with pytest.raises(PermissionError, match="the file is read-only"):
            loan.export(ro)
        assert ro.read_bytes() == b"precious"


def test_explain_refuses_a_changed_file(tmp_path, loan_data):
    path = tmp_path / "m.h5"
    path.write_bytes(open(model_file("real08_loan_bn_act.h5"), "rb").read())
    m = predict.compile(path)
    assert "function @predict" in m.explain()
    path.write_bytes(open(model_file("real17_cnn_mnist.h5"), "rb").read())
    with pytest.raises(predict.CompileError, match="changed since this model was compiled"):
        m.explain()
    path.unlink()
    with pytest.raises(predict.CompileError,
                       match=r"cannot read '.*m\.h5' to explain this model \(No such file"):
        m.explain()


def test_small_api_edges(loan, loan_data):
    x, ref = loan_data
    np.testing.assert_allclose(loan.predict(x, batch_size=None), ref, rtol=1e-4, atol=1e-5)
    with pytest.raises(FileNotFoundError, match="no library file"):
        predict.load("/nonexistent/libx.so")
    with pytest.raises(TypeError, match="input_shape maps each parameter"):
        predict.compile(model_file("real08_loan_bn_act.h5"), input_shape="x=?x31xf32")
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        loan(np.float32(1))


def test_the_example_of_docs_python_md(tmp_path, monkeypatch, loan_data):
    """docs/Python.md's first example, run as written (in a folder of its
    own, with ../shared where this checkout's is)."""
    text = open(os.path.join(SOURCE, "docs", "Python.md")).read()
    block = text.split("```python\n", 1)[1].split("```", 1)[0]
    os.symlink(os.path.dirname(MODELS), tmp_path / "shared")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    space = {}
    exec(compile(block, "docs/Python.md", "exec"), space)
    x, expected = loan_data
    np.testing.assert_allclose(space["y"], expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(space["m2"](x), expected, rtol=1e-4, atol=1e-5)
    assert os.path.isfile(tmp_path / "work" / "libloan.so")


def test_file_changed_while_compiled(tmp_path, monkeypatch, loan_data):
    # The C compiler predict-compile links with ($CC) appends a byte to the
    # model first: the library is not kept under the first bytes' key.
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    model = tmp_path / "m.h5"
    shutil.copyfile(model_file("real08_loan_bn_act.h5"), model)
    cc = tmp_path / "cc"
    cc.write_text(f"#!/bin/sh\nprintf x >> '{model}'\nexec cc \"$@\"\n")
    cc.chmod(0o755)
    monkeypatch.setenv("CC", str(cc))
    with pytest.raises(predict.CompileError, match="changed while it was compiled"):
        predict.compile(model)
    assert not [n for n in os.listdir(tmp_path / "cache") if len(n) == 32]
    monkeypatch.delenv("CC")
    x, ref = loan_data
    np.testing.assert_allclose(predict.compile(model)(x), ref, rtol=1e-4, atol=1e-5)


def test_file_changed_and_back_while_compiled(tmp_path, monkeypatch):
    """Another model's bytes while predict-compile imports, the first
    model's again by the time it links ($CC): the same bytes are hashed
    before and after, but the library is the other model's. The files'
    stamps (inode, times) tell: a CompileError, and nothing kept."""
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    model, first = tmp_path / "m.h5", tmp_path / "first.h5"
    shutil.copyfile(model_file("new11_lstm_ae.h5"), first)
    shutil.copyfile(first, model)
    cc = tmp_path / "cc"
    cc.write_text(f"#!/bin/sh\ncp '{first}' '{model}.tmp' && "
                  f"mv '{model}.tmp' '{model}'\nexec cc \"$@\"\n")
    cc.chmod(0o755)
    monkeypatch.setenv("CC", str(cc))
    real = predict._run

    def run(command, **kwargs):
        shutil.copyfile(model_file("real08_loan_bn_act.h5"), f"{model}.tmp")
        os.replace(f"{model}.tmp", model)
        return real(command, **kwargs)

    monkeypatch.setattr(predict, "_run", run)
    with pytest.raises(predict.CompileError, match="changed while it was compiled"):
        predict.compile(model)
    assert not [n for n in os.listdir(tmp_path / "cache") if len(n) == 32]
    monkeypatch.setattr(predict, "_run", real)
    monkeypatch.delenv("CC")
    assert predict.compile(model).signature[0][0].shape == (None, 8, 1)


def test_loaded_library_whose_file_is_replaced(loan, loan_data, tmp_path):
    # Pickling names the file that was loaded, and export copies it, even
    # once its path holds another library.
    x, ref = loan_data
    other = predict.compile(model_file("real07_ecc_regr.h5"))
    loan.export(tmp_path / "lib.so")
    loaded = predict.load(tmp_path / "lib.so")
    other.export(tmp_path / "lib.so")
    with pytest.raises(ValueError, match="the file was replaced since"):
        pickle.loads(pickle.dumps(loaded))
    loaded.export(tmp_path / "copy.so")
    np.testing.assert_allclose(predict.load(tmp_path / "copy.so")(x), ref,
                               rtol=1e-4, atol=1e-5)


def test_load_and_export_name_what_is_wrong(loan, tmp_path, monkeypatch):
    """A fifo is refused at once (opening it would wait for a writer); an
    export onto a folder names it; an empty function name is not the first
    function; a cache path under a file says so."""
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(ValueError, match="not a regular file"):
        predict.load(tmp_path / "fifo")
    (tmp_path / "d.so").mkdir()
    with pytest.raises(IsADirectoryError, match=r"cannot write '.*d\.so': it is a folder$"):
        loan.export(tmp_path / "d.so")
    loan.export(tmp_path / "lib.so")
    with pytest.raises(ValueError, match="function is empty"):
        predict.load(tmp_path / "lib.so", function="")
    with pytest.raises(ValueError, match="function is empty"):
        predict.compile(model_file("real08_loan_bn_act.h5"), function="")
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "file" / "sub"))
    with pytest.raises(NotADirectoryError, match="is under a file, not a folder"):
        predict.compile(model_file("real08_loan_bn_act.h5"))
    monkeypatch.setenv("PREDICT_CACHE_DIR", "/dev/null")
    with pytest.raises(NotADirectoryError, match="is a device or a pipe, not a folder: set PREDICT_CACHE_DIR"):
        predict.compile(model_file("real08_loan_bn_act.h5"))
    with pytest.raises(ValueError, match="the config file '.*fifo' is not a regular file"):
        predict.compile(model_file("real16_pima.json"), config=tmp_path / "fifo")
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling")
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "dangling"))
    with pytest.raises(NotADirectoryError, match="is a link to .*nowhere', which does not exist"):
        predict.clear_cache()


def test_load_refuses_a_cut_or_foreign_file(loan, tmp_path):
    loan.export(tmp_path / "whole.so")
    data = (tmp_path / "whole.so").read_bytes()
    for size in (5000, len(data) // 2, len(data) - 1):
        (tmp_path / "cut.so").write_bytes(data[:size])
        with pytest.raises(ValueError, match="is cut short"):
            predict.load(tmp_path / "cut.so")
    (tmp_path / "text.so").write_bytes(b"not a library")
    with pytest.raises(ValueError, match="is not a 64-bit shared library"):
        predict.load(tmp_path / "text.so")


def test_threads_load_replaced_libraries_at_once(loan, tmp_path):
    # Each path is loaded, replaced, then loaded again from its own thread:
    # the links made for the new files must not collide.
    other = predict.compile(model_file("real07_ecc_regr.h5"))
    paths = []
    for i in range(12):
        (tmp_path / str(i)).mkdir()
        path = tmp_path / str(i) / "lib.so"
        loan.export(path)
        predict.load(path)
        other.export(path)
        paths.append(path)
    errors, shapes = [], {}

    def load(path):
        try:
            shapes[path] = [s.shape for s in predict.load(path).signature[0]]
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
    threads = [threading.Thread(target=load, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(s == [i.shape for i in other.signature[0]] for s in shapes.values())


def test_predict_refuses_outputs_not_per_row(tmp_path):
    source = tmp_path / "two.py"
    source.write_text(
        "import tensorflow as tf\n\n\n@tf.function\ndef two(x):\n"
        "    return x[0:1], tf.reduce_sum(x, axis=0)\n\n\n"
        "two(tf.zeros((2, 3)))\n")
    m = predict.compile(source)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    with pytest.raises(ValueError, match="output #1 has a first axis of fixed size 3"):
        m.predict(x, batch_size=1)
    first, total = m(x)
    np.testing.assert_array_equal(total, x.sum(axis=0))


def test_option_and_export_messages(loan, tmp_path):
    for keywords in (dict(threads=2.7), dict(threads="2"), dict(threads=True),
                     dict(seed="abc")):
        name = next(iter(keywords))
        with pytest.raises(TypeError, match=f"{name} must be an integer"):
            predict.compile(model_file("real08_loan_bn_act.h5"), **keywords)
    with pytest.raises(ValueError, match="input #0 of .* is not an array: .*inhomogeneous"):
        loan([[1.0] * 31, [1.0] * 30])
    # A library path that is not UTF-8 is its bytes (in the key too).
    # (The loan model calls no foreign function: the library, which must
    # be there, is not read.)
    odd_lib = os.fsencode(str(tmp_path)) + b"/\xfdlib.so"
    open(odd_lib, "wb").close()
    m = predict.compile(model_file("real08_loan_bn_act.h5"), foreign="callback",
                        foreign_lib=odd_lib)
    x = np.ones((2, 31), np.float32)
    np.testing.assert_array_equal(m(x), loan(x))
    for threads in (0, -1, 2**40):
        with pytest.raises(ValueError, match=f"threads must be from 1 to 1024, not {threads}"):
            predict.compile(model_file("real08_loan_bn_act.h5"), threads=threads)
    # Each option of the wrong type or value names itself.
    for keywords, error, message in (
            (dict(foreign=None), ValueError, "foreign must be 'reject', 'rewrite' or 'callback', not None"),
            (dict(target_cpu=None), TypeError, "target_cpu must be a CPU name"),
            (dict(foreign_lib=5), TypeError, "foreign_lib must be a path or a list of paths, not 5"),
            (dict(config=""), TypeError, "config must be a file's path, not ''"),
            (dict(weights=3), TypeError, "weights must be a file's path, not 3")):
        with pytest.raises(error, match=message):
            predict.compile(model_file("real08_loan_bn_act.h5"), **keywords)
    with pytest.raises(OSError, match="cannot write '/proc/x.so'"):
        loan.export("/proc/x.so")
    source = tmp_path / "none.py"
    source.write_text("import tensorflow as tf\n\n\n@tf.function\ndef f():\n"
                      "    return tf.ones((2, 3))\n\n\nf()\n")
    m = predict.compile(source)
    np.testing.assert_array_equal(m(), np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match="this function takes none"):
        m.predict()


def test_predict_checks_rows_of_dynamic_outputs(tmp_path):
    # A dynamic first axis that is not one row per input row (x[1:], a
    # transpose) is refused, not joined.
    source = tmp_path / "drop.py"
    source.write_text(
        "import tensorflow as tf\n\n\n@tf.function\ndef drop(x):\n"
        "    return x[1:] * 2.0\n\n\ndrop(tf.zeros((2, 3)))\n")
    m = predict.compile(source)
    x = np.arange(30, dtype=np.float32).reshape(10, 3)
    np.testing.assert_array_equal(m(x), x[1:] * 2.0)
    with pytest.raises(ValueError, match="output #0 has 3 rows for a batch of 4"):
        m.predict(x, batch_size=4)


def test_explain_is_of_the_function_compiled(tmp_path):
    source = tmp_path / "two.py"
    source.write_text(
        "import tensorflow as tf\n\n\n@tf.function\ndef first(x):\n"
        "    return x * 2.0\n\n\n@tf.function\ndef second(x):\n"
        "    return x + 1.0\n\n\nfirst(tf.zeros((2, 3)))\n"
        "second(tf.zeros((2, 3)))\n")
    text = predict.compile(source, function="second").explain()
    assert "@second" in text and "@first" not in text
    text = predict.compile(source).explain()
    assert "@first" in text and "@second" not in text


def test_unpickle_of_a_replaced_library_of_another_prefix(loan, tmp_path):
    loan.export(tmp_path / "lib.so")
    loaded = predict.load(tmp_path / "lib.so")
    subprocess.run(["predict-compile", model_file("real07_ecc_regr.h5"), "-o",
                    str(tmp_path / "other.so")], check=True)
    os.replace(tmp_path / "other.so", tmp_path / "lib.so")
    with pytest.raises(ValueError, match="the file was replaced since"):
        pickle.loads(pickle.dumps(loaded))


def test_seed_and_missing_files(tmp_path):
    with pytest.raises(ValueError, match=r"seed must be in \[0, 2\*\*32\)"):
        predict.compile(model_file("real08_loan_bn_act.h5"), seed=-1)
    with pytest.raises(FileNotFoundError, match="no config file '.*nope.json'"):
        predict.compile(model_file("real16_pima.weights.h5"),
                        config=tmp_path / "nope.json")
    # The tools' messages name compile()'s keyword arguments, not the
    # command line's options.
    with pytest.raises(predict.CompileError,
                       match=r"weights, seed and input_shape apply to Python source"):
        predict.compile(model_file("real08_loan_bn_act.h5"), seed=3)
    with pytest.raises(predict.CompileError,
                       match=r"foreign_lib is for foreign=callback"):
        predict.compile(model_file("real08_loan_bn_act.h5"), foreign_lib=__file__)
    # A missing callback library is said before the cache is looked up (a
    # cached library linked to it failed only when called).
    with pytest.raises(FileNotFoundError, match=r"no foreign_lib file 'nope.so'"):
        predict.compile(model_file("real08_loan_bn_act.h5"), foreign="callback",
                        foreign_lib="nope.so")


def test_load_names_only_functions_and_batch_size_type(loan, tmp_path):
    loan.export(tmp_path / "lib.so")
    for name in ("last_error", "predict_signature"):
        with pytest.raises(ValueError, match=f"has no function '{name}'; its functions: 'predict'"):
            predict.load(tmp_path / "lib.so", function=name)
    x = np.zeros((3, 8), np.float32)
    for bad in (2.5, "2", True):
        with pytest.raises(TypeError, match="batch_size must be an integer"):
            loan.predict(x, batch_size=bad)


def test_compile_bytecode(tmp_path, monkeypatch, loan_data):
    """A model imported to MLIR bytecode (predict-import -o m.mlirbc)
    compiles like its .h5 (the expected outputs are Keras's), and explain()
    reads the bytecode itself (it is IR, not a file for predict-import)."""
    monkeypatch.setenv("PREDICT_CACHE_DIR", str(tmp_path / "cache"))
    importer = os.path.join(os.path.dirname(predict.__file__), "..", "..",
                            "..", "..", "bin", "predict-import")
    subprocess.run([importer, model_file("real08_loan_bn_act.h5"), "-o",
                    str(tmp_path / "loan.mlirbc")], check=True)
    assert (tmp_path / "loan.mlirbc").read_bytes()[:4] == b"ML\xefR"
    model = predict.compile(tmp_path / "loan.mlirbc")
    x, ref = loan_data
    np.testing.assert_allclose(model(x), ref, rtol=1e-4, atol=1e-5)
    assert "compiled regions" in model.explain()
    with pytest.raises(ValueError, match="not a 64-bit shared library "
                       r"\(ELF\): predict.load takes a library of "
                       "predict-compile; predict.compile takes a model file"):
        predict.load(tmp_path / "loan.mlirbc")
