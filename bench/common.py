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


def write_section(section, text):
    """Replaces `section` (a `## ` heading and what follows it up to the next
    one) of docs/benchmarks.md with `text`, or appends it."""
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    old = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    head, found, rest = old.partition(section)
    tail = rest[rest.find("\n## "):] if found and "\n## " in rest else ""
    with open(path, "w") as f:
        f.write(head.rstrip() + "\n\n" + text.rstrip() + "\n" + tail)
