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
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
