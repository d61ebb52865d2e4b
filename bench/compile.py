#!/usr/bin/python3
"""JIT compile time against depth: SimpleModel, then MLPs of N small Dense
layers (32 -> 32, relu), each compiled by `predict-run --timing --no-cache` (every
stage timed), repeated; prints the median and the spread, the time per
layer, and how far the growth is from linear.

    /usr/bin/python3 bench/compile.py [--depths 25,50,100,200] [--repeats 3] [--write]

Compile time should grow linearly with the number of layers: the time per
layer should stay flat as depth grows. The process's CPU time is reported
beside the wall-clock total: on a shared machine it is the figure to
compare. Nothing here fails on a number.
"""

import argparse
import datetime
import os
import re
import resource
import subprocess
import sys
import tempfile

from common import ROOT, load_note, machine, spread, write_section

SECTION = "## JIT compile time against depth"
WIDTH = 32


def compile_once(build, model, x):
    """{stage: ms} of one `predict-run --timing`, and "cpu": the CPU time
    (user + system) of the whole process in ms, which the load of other
    work on the machine does not inflate."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([os.path.join(build, "bin", "predict-run"), model,
                          f"--input=@{x}", "--timing", "--no-cache"],
                         check=True, capture_output=True, text=True).stdout
    stages = {}
    for name, ms in re.findall(r"timing: (.+?)\s+([\d.]+) ms", out):
        stages[name.strip()] = float(ms)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stages["cpu"] = 1e3 * (after.ru_utime - before.ru_utime +
                           after.ru_stime - before.ru_stime)
    return stages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--depths", default="25,50,100,200")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    import numpy as np
    from reference import make_mlp
    depths = [int(d) for d in args.depths.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        x = os.path.join(tmp, "x.npy")
        np.save(x, np.zeros((4, WIDTH), np.float32))
        simple_x = os.path.join(tmp, "s.npy")
        np.save(simple_x, np.zeros((1, 100), np.float32))
        models = [("SimpleModel 100→64→10", 2, os.path.join(
            ROOT, "examples", "seed", "simple_model.mlir"), simple_x)]
        for depth in depths:
            path = os.path.join(tmp, f"mlp{depth}.mlir")
            make_mlp(path, [WIDTH] * (depth + 1), ["relu"] * depth, seed=depth)
            models.append((f"MLP of {depth} Dense {WIDTH}→{WIDTH}", depth, path, x))
        header = ("| model | layers | total ms (median, min–max) | CPU ms (median, "
                  "min–max) | CPU ms per layer | predict stages ms | LLVM ms |")
        lines = [header, "|---|---|---|---|---|---|---|"]
        print(load_note())
        print("\n".join(lines), flush=True)
        for name, layers, path, inp in models:
            runs = [compile_once(args.build, path, inp) for _ in range(args.repeats)]
            totals = [r["total"] for r in runs]
            llvm = [v for r in runs for k, v in r.items() if k.startswith("llvm")]
            ours = [r["total"] - sum(v for k, v in r.items() if k.startswith("llvm"))
                    - r.get("parse", 0) for r in runs]
            med, lo, hi = spread(totals)
            cpu, clo, chi = spread([r["cpu"] for r in runs])
            rows.append((name, layers, cpu))
            lines.append(f"| {name} | {layers} | {med:.0f} ({lo:.0f}–{hi:.0f}) | "
                         f"{cpu:.0f} ({clo:.0f}–{chi:.0f}) | {cpu / layers:.1f} | "
                         f"{spread(ours)[0]:.0f} | {spread(llvm)[0]:.0f} |")
            print(lines[-1], flush=True)
    mlps = rows[1:]
    growth = ""
    if len(mlps) >= 2:
        (_, d0, t0), (_, d1, t1) = mlps[0], mlps[-1]
        growth = (f"From {d0} to {d1} layers ({d1 / d0:.0f}× the layers) the "
                  f"compile's CPU time grew {t1 / t0:.2f}× (linear: {d1 / d0:.0f}×; "
                  f"quadratic: {(d1 / d0) ** 2:.0f}×).")
        print("\n" + growth)
    if args.write:
        write_section(SECTION, (
            f"{SECTION}\n\nMeasured {datetime.date.today()} on {machine()}, "
            f"{load_note()}, `/usr/bin/python3 bench/compile.py --write`: "
            f"`predict-run --timing` ({args.repeats} runs each; median and "
            f"min–max), one thread; wall-clock stages as predict-run reports "
            f"them (inflated by the load), and the process's CPU time (user + "
            f"system, not inflated by it); 'predict stages' is everything before "
            f"LLVM but parsing; 'LLVM' is translation, -O3 and machine code.\n\n"
            + "\n".join(lines) + "\n\n" + growth + "\n"))


if __name__ == "__main__":
    sys.exit(main())
