#!/usr/bin/python3
"""The seed's CustomModel row loop, batched and not, against the plain batched
model and numpy's Python loop, in one run.

    bash bench/setup.sh          # numpy on OpenBLAS, predict built
    /usr/bin/python3 bench/loops.py [--build build] [--batch 256] [--write]

--write replaces the loop section of docs/benchmarks.md with this run's
table. Goal (issue: Python-style loops): batched CustomModel within 1.1x of
the plain batched model.
"""

import argparse
import datetime
import os
import tempfile

# One thread for every contestant; set before numpy loads its BLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from common import ROOT, machine, predict_run, time_python, write_section
from reference import dense_layers

SECTION = "## CustomModel's row loop"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    custom = os.path.join(ROOT, "examples", "seed", "custom_model.mlir")
    simple = os.path.join(ROOT, "examples", "seed", "simple_model.mlir")
    x = np.random.default_rng(0).standard_normal((args.batch, 100)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        xpath = os.path.join(tmp, "x.npy")
        np.save(xpath, x)
        inp = [f"--input=@{xpath}", "--threads=1"]  # one thread, as numpy
        rows = [
            ("predict: CustomModel, loop batched", predict_run(args.build, custom, inp, args.runs)),
            ("predict: CustomModel, loop kept (scf.for)",
             predict_run(args.build, custom, inp + ["--no-batch-loops"], args.runs)),
            ("predict: SimpleModel, plain batched model (same shapes)",
             predict_run(args.build, simple, inp, args.runs)),
        ]

    # The anchors in float32 numpy, as a user would write them.
    (k1, b1, _), (k2, b2, _) = [(k.astype(np.float32), b.astype(np.float32), a)
                                for k, b, a in dense_layers(custom)]

    def forward(h):
        h = np.maximum(h @ k1 + b1, 0)
        z = h @ k2 + b2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def numpy_loop():
        results = []
        for i in range(x.shape[0]):
            results.append(forward(x[i:i + 1]))
        return np.concatenate(results, axis=0)

    def numpy_batched():
        return forward(x)

    runs = max(5, args.runs // 20)
    rows.append(("numpy: the seed's Python row loop", time_python(numpy_loop, runs)))
    rows.append(("numpy: batched", time_python(numpy_batched, args.runs)))

    plain = rows[2][1]
    lines = [f"| workload (batch {args.batch}) | median µs | × plain batched model |",
             "|---|---|---|"]
    for name, us in rows:
        lines.append(f"| {name} | {us:.1f} | {us / plain:.2f} |")
    ratio = rows[0][1] / plain
    verdict = "met" if ratio <= 1.1 else "NOT met"
    table = "\n".join(lines)
    print(table)
    print(f"\nbatched CustomModel / plain batched model = {ratio:.2f} "
          f"(goal <= 1.1: {verdict})")

    if args.write:
        text = (f"{SECTION}\n\nMeasured {datetime.date.today()} on {machine()}, "
                f"one thread (numpy on OpenBLAS), "
                f"`/usr/bin/python3 bench/loops.py --write`.\n\n"
                f"{table}\n\nBatched CustomModel / plain batched model: "
                f"{ratio:.2f} (goal ≤ 1.1: {verdict}).\n")
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
