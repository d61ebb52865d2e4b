"""Shared helpers of predict's benchmarks: run predict-run --benchmark, time
numpy, describe the machine. Benchmarks print numbers; they never fail on
them."""

import os
import platform
import re
import subprocess
import sys
import timeit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "Integration", "Inputs"))


def predict_run(build, model, args, runs):
    """Median microseconds of `runs` calls, from predict-run's benchmark line."""
    cmd = [os.path.join(build, "bin", "predict-run"), model,
           f"--benchmark={runs}", *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    m = re.search(r"benchmark: runs=\d+ min_us=([\d.]+) median_us=([\d.]+)", out)
    if not m:
        raise SystemExit(f"no benchmark line from {' '.join(cmd)}:\n{out}")
    return float(m.group(2))


def time_python(fn, runs):
    """Median microseconds of `fn()` over `runs` calls, after one warm-up."""
    fn()
    times = timeit.repeat(fn, number=1, repeat=runs)
    times.sort()
    return times[len(times) // 2] * 1e6


def machine():
    model = platform.processor() or "unknown CPU"
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    model = fields.get("model name", model)
    if "cpu family" in fields:
        # The family tells AMD's generations apart (25: Zen 3/4, 26: Zen 5)
        # where the model name ("AMD EPYC") does not.
        model += f" (family {fields['cpu family']}, model {fields.get('model', '?')})"
    if "avx512f" in fields.get("flags", "").split():
        model += ", AVX-512"
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def spread(values):
    """(median, min, max) of `values`."""
    v = sorted(values)
    return v[len(v) // 2], v[0], v[-1]


def load_note():
    """The load average now, with the cores: figures taken under load are
    slowed by another amount in each run."""
    one, five, _ = os.getloadavg()
    return (f"load average {one:.1f} (5 min: {five:.1f}) on "
            f"{os.cpu_count()} cores")


def llvm_host():
    """LLVM's name for the host CPU and its features, as clang-22 sees them
    (`-march=native`): the CPU predict's JIT compiles for."""
    try:
        out = subprocess.run(
            ["clang-22", "-march=native", "-###", "-x", "c", "-c", os.devnull,
             "-o", os.devnull], capture_output=True, text=True).stderr
    except OSError:
        return "unknown", []
    cpu = re.search(r'"-target-cpu" "([^"]+)"', out)
    features = re.findall(r'"-target-feature" "\+([^"]+)"', out)
    return (cpu.group(1) if cpu else "unknown"), features


def numpy_blas():
    """The BLAS library numpy really loads (after alternatives), read from
    the process's memory map after a matrix product."""
    import numpy as np
    a = np.ones((64, 64), np.float32)
    a @ a
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if "/" in line else ""
            name = os.path.basename(path)
            if re.search(r"blas|blis|mkl|lapack", name, re.I):
                libs.add(os.path.realpath(path))
    names = sorted(os.path.basename(p) for p in libs)
    kind = ("OpenBLAS" if any("openblas" in n for n in names) else
            "MKL" if any("mkl" in n for n in names) else
            "BLIS" if any("blis" in n for n in names) else
            "the reference BLAS (slow: install libopenblas0-pthread)")
    return f"numpy {np.__version__} on {kind} ({', '.join(names) or 'none'})"


def fma_peak(seconds=0.3, repeats=3):
    """One core's float32 FMA peak in GFLOP/s at the widest vector width the
    CPU has (bench/peak.c: FMAs on registers only, timed in thread CPU
    time), as (bits, median, min, max)."""
    import tempfile
    flags = open("/proc/cpuinfo").read()
    bits = 512 if " avx512f" in flags else 256
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "peak")
        subprocess.run(["clang-22", "-O2", "-o", exe,
                        os.path.join(ROOT, "bench", "peak.c")], check=True)
        values = []
        for _ in range(repeats):
            out = subprocess.run([exe, str(bits), str(seconds)], check=True,
                                 capture_output=True, text=True).stdout
            values.append(float(out.split()[-1]))
    return (bits, *spread(values))


def write_section(section, text):
    """Replaces `section` (a `## ` heading and what follows it up to the next
    one) of docs/benchmarks.md with `text`, or appends it."""
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    old = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    head, found, rest = old.partition(section)
    tail = rest[rest.find("\n## "):] if found and "\n## " in rest else ""
    with open(path, "w") as f:
        f.write(head.rstrip() + "\n\n" + text.rstrip() + "\n" + tail)
