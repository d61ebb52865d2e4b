#!/usr/bin/python3
"""The header of `bash bench/run.sh`: the machine (CPU model, LLVM's name
for the host CPU and its features), which BLAS numpy runs on, the load, one
core's FMA peak measured here (bench/peak.c), and the tables that follow.

    /usr/bin/python3 bench/header.py [--write]

--write replaces the section "## The machine" of docs/benchmarks.md.
"""

import argparse
import datetime
import sys

from common import fma_peak, llvm_host, load_note, machine, numpy_blas, write_section

SECTION = "## The machine"
# Every table bench/run.sh prints, in its order, and the script behind it.
TABLES = [
    ("predict and the anchors", "anchors.py",
     "dense 256×1024×1024, the MLP 1024→1024→1024→10, SimpleModel; "
     "against numpy, PyTorch and ONNX Runtime, and against the FMA peak"),
    ("Convolutions and the anchors", "convs.py",
     "the MNIST CNN, Conv2D, DepthwiseConv2D, a separable block"),
    ("CustomModel's row loop", "loops.py", "the seed's row loop, batched or not"),
    ("The library from C and Python", "library.py",
     "SimpleModel at batch 1 through the JIT, a C program and Python"),
    ("JIT compile time against depth", "compile.py",
     "SimpleModel and MLPs of 25 to 200 layers, per stage"),
    ("Memory of a large model", "memory.py",
     "peak memory of importing and running an MLP of 88 M parameters, "
     "against its weights"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    cpu, features = llvm_host()
    bits, peak, lo, hi = fma_peak()
    wide = [f for f in features if f.startswith(("avx", "fma", "amx"))]
    lines = [
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {machine()}",
        f"- LLVM's host CPU: `{cpu}`; vector features: {', '.join(sorted(wide))} "
        f"({len(features)} features in all)",
        f"- BLAS: {numpy_blas()}",
        f"- load: {load_note()} (figures taken under load vary from run to run:"
        f" each table gives the median and min–max of its repeats)",
        f"- FMA peak of one core, float32, {bits}-bit vectors (bench/peak.c: FMAs"
        f" on registers, thread CPU time): {peak:.1f} GFLOP/s "
        f"(min–max {lo:.1f}–{hi:.1f})",
        "",
        "Tables that follow:",
        "",
    ]
    for i, (title, script, what) in enumerate(TABLES, 1):
        lines.append(f"{i}. {title} (`bench/{script}`): {what}")
    text = "\n".join(lines)
    print(f"{SECTION}\n\n{text}\n", flush=True)
    if args.write:
        write_section(SECTION, f"{SECTION}\n\n{text}\n")


if __name__ == "__main__":
    sys.exit(main())
