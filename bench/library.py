"""The seed's SimpleModel at batch 1 through each way of calling it: the
JIT (predict-run), the library of predict-compile from C, the Python
package, and numpy's forward pass, in one run, one thread.

    /usr/bin/python3 bench/library.py [--build build] [--runs 20000] [--write]

--write replaces the section of docs/benchmarks.md with this run's table.
Goals (issue text of the package): from Python at most 2 µs a call; from C
within 10% of the JIT's time.
"""
import argparse
import datetime
import os
import subprocess
import sys
import tempfile

import numpy as np

from common import ROOT, machine, predict_run, time_python, write_section
from reference import dense_layers

SECTION = "## The library from C and Python"

# Times each call on its own and prints the median, in µs.
TIMER_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}
int main(int argc, char **argv) {
  int runs = atoi(argv[1]);
  float x[100];
  for (int i = 0; i < 100; ++i) x[i] = 0.5f;
  predict_tensor in = {x, {1, 100}, 2, PREDICT_FLOAT32}, out;
  double *t = malloc(sizeof(double) * runs);
  for (int i = -100; i < runs; ++i) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (simple_graph_predict(&in, &out) != PREDICT_OK) return 1;
    free(out.data);
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (i >= 0) t[i] = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
  }
  qsort(t, runs, sizeof(double), cmp);
  printf("%.3f\n", t[runs / 2]);
  return 0;
}
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=20000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(args.build, "lib", "python3", "dist-packages"))
    import predict

    simple = os.path.join(ROOT, "examples", "seed", "simple_model.mlir")
    x = np.full((1, 100), 0.5, np.float32)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        lib = os.path.join(tmp, "libsimple.so")
        subprocess.run([os.path.join(args.build, "bin", "predict-compile"), simple,
                        "-o", lib, f"--header={tmp}/simple.h"], check=True)
        rows.append(("predict-run (JIT), the compiled call",
                     predict_run(args.build, simple, ["--input=1x100xf32=0.5", "--threads=1"],
                                 args.runs)))
        with open(os.path.join(tmp, "timer.c"), "w") as f:
            f.write(TIMER_C)
        timer = os.path.join(tmp, "timer")
        subprocess.run(["cc", "-O2", "-include", f"{tmp}/simple.h", f"{tmp}/timer.c",
                        "-L", tmp, "-lsimple", f"-Wl,-rpath,{tmp}", "-o", timer], check=True)
        c_us = float(subprocess.run([timer, str(args.runs)], check=True,
                                    capture_output=True, text=True).stdout)
        rows.append(("C program, the library (output copied and freed)", c_us))
        model = predict.load(lib)
        rows.append(("Python, predict.load(...)(x)", time_python(lambda: model(x), args.runs)))

    (k1, b1, _), (k2, b2, _) = [(k.astype(np.float32), b.astype(np.float32), a)
                                for k, b, a in dense_layers(simple)]

    def forward():
        h = np.maximum(x @ k1 + b1, 0)
        z = h @ k2 + b2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    rows.append(("numpy's forward pass", time_python(forward, args.runs)))

    jit = rows[0][1]
    lines = ["| SimpleModel 100→64→10, batch 1, one thread | median µs | × JIT |",
             "|---|---|---|"]
    lines += [f"| {name} | {us:.2f} | {us / jit:.2f} |" for name, us in rows]
    python_us, c_ratio = rows[2][1], rows[1][1] / jit
    goals = [f"| from Python ≤ 2 µs | {python_us:.2f} | {'yes' if python_us <= 2 else 'no'} |",
             f"| from C ≤ 1.1 × JIT | {c_ratio:.2f} | {'yes' if c_ratio <= 1.1 else 'no'} |"]
    table = "\n".join(lines) + "\n\n| goal | this run | met |\n|---|---|---|\n" + "\n".join(goals)
    print(table)
    if args.write:
        write_section(SECTION, f"{SECTION}\n\nMeasured {datetime.date.today()} on {machine()}, "
                      f"`/usr/bin/python3 bench/library.py --write` ({args.runs} calls each).\n\n"
                      f"{table}\n")


if __name__ == "__main__":
    main()
