#!/usr/bin/python3
"""predict against numpy (OpenBLAS), PyTorch and ONNX Runtime (through Node)
on the workloads of the performance goals, in one run, on 1 and 2 threads.

    bash bench/setup.sh                     # the anchors, predict built
    /usr/bin/python3 bench/anchors.py [--build build] [--repeats 3] [--write]

Each contestant runs the same float32 weights on the same input: numpy and
PyTorch in their own processes (a BLAS reads its thread count when it
loads), ONNX Runtime through onnxruntime-node on an ONNX model built with
python3-onnx, predict through `predict-run --benchmark`. Each measurement
(a process timing many calls, of which it reports the median) is repeated
`--repeats` times: a cell is the median of the repeats in microseconds and
their min–max; ratios are of medians, predict's time over the anchor's
(below 1: predict is faster). GFLOP/s of the dense workloads are set
against one core's FMA peak, measured first (bench/peak.c). --write replaces this script's section of
docs/benchmarks.md. Nothing here fails on a number.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from common import (ROOT, fma_peak, load_note, machine, numpy_blas,
                    predict_run, spread, write_section)

SECTION = "## predict and the anchors"
BENCH = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"

# name, model (sizes and activations, or the seed's SimpleModel), batch, runs
WORKLOADS = [
    ("dense 1024→1024, batch 256 (matmul 256×1024×1024 + bias)",
     ([1024, 1024], ["linear"]), 256, 100),
    ("MLP 1024→1024→1024→10 (relu, relu, softmax), batch 256",
     ([1024, 1024, 1024, 10], ["relu", "relu", "softmax"]), 256, 50),
    ("SimpleModel 100→64→10, batch 1", "simple", 1, 20000),
    ("SimpleModel 100→64→10, batch 1024", "simple", 1024, 1000),
]
DENSE, MLP, SIMPLE1, SIMPLE1024 = range(len(WORKLOADS))


def flops(spec, batch):
    """Multiply-adds of the Dense layers, counted twice (0: not counted)."""
    if spec == "simple":
        return 0
    sizes = spec[0]
    return 2 * batch * sum(n * m for n, m in zip(sizes, sizes[1:]))


def cell(values):
    med, lo, hi = spread(values)
    fmt = "{:.2f}" if med < 10 else "{:.1f}" if med < 1000 else "{:.0f}"
    return f"{fmt.format(med)} ({fmt.format(lo)}–{fmt.format(hi)})"


def build_model(spec, directory, index):
    """The workload's predict module, and its layers as (kernel, bias, act)."""
    from reference import dense_layers, make_mlp
    if spec == "simple":
        path = os.path.join(ROOT, "examples", "seed", "simple_model.mlir")
    else:
        path = os.path.join(directory, f"w{index}.mlir")
        make_mlp(path, spec[0], spec[1], seed=index)
    return path, dense_layers(path)


def onnx_model(layers, path):
    """The same layers as an ONNX graph: MatMul, Add, then the activation."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    nodes, inits = [], []
    value = "x"
    for i, (k, b, act) in enumerate(layers):
        inits += [numpy_helper.from_array(k.astype(np.float32), f"k{i}"),
                  numpy_helper.from_array(b.astype(np.float32), f"b{i}")]
        nodes += [helper.make_node("MatMul", [value, f"k{i}"], [f"m{i}"]),
                  helper.make_node("Add", [f"m{i}", f"b{i}"], [f"a{i}"])]
        value = f"a{i}"
        if act == "relu":
            nodes.append(helper.make_node("Relu", [value], [f"r{i}"]))
            value = f"r{i}"
        elif act == "softmax":
            nodes.append(helper.make_node("Softmax", [value], [f"s{i}"], axis=-1))
            value = f"s{i}"
        elif act != "linear":
            raise SystemExit(f"no ONNX activation for {act}")
    graph = helper.make_graph(
        nodes, "bench",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", layers[0][0].shape[0]])],
        [helper.make_tensor_value_info(value, TensorProto.FLOAT, ["batch", layers[-1][0].shape[1]])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, path)


def worker(args):
    """Runs in its own process: times one anchor on one workload."""
    import numpy as np
    from common import time_python
    from reference import dense_layers
    job = json.loads(args.worker_job)
    layers = dense_layers(job["model"])
    x = np.load(job["x"])
    if args.worker == "numpy":
        ws = [(k.astype(np.float32), b.astype(np.float32), a) for k, b, a in layers]

        def forward():
            h = x
            for k, b, act in ws:
                h = h @ k + b
                if act == "relu":
                    h = np.maximum(h, 0)
                elif act == "softmax":
                    e = np.exp(h - h.max(axis=1, keepdims=True))
                    h = e / e.sum(axis=1, keepdims=True)
            return h
        print(time_python(forward, job["runs"]))
    elif args.worker == "torch":
        import torch
        torch.set_num_threads(job["threads"])
        ws = [(torch.from_numpy(k.astype(np.float32).T.copy()),
               torch.from_numpy(b.astype(np.float32)), a) for k, b, a in layers]
        xt = torch.from_numpy(x)

        def forward():
            with torch.inference_mode():
                h = xt
                for k, b, act in ws:
                    h = torch.nn.functional.linear(h, k, b)
                    if act == "relu":
                        h = torch.relu(h)
                    elif act == "softmax":
                        h = torch.softmax(h, dim=1)
                return h
        print(time_python(forward, job["runs"]))


def anchor(kind, job, threads, script=__file__):
    """Runs `script --worker kind` (this script's worker, or another
    benchmark's: bench/convs.py's) on `job` in its own process, with the
    thread count set before numpy or PyTorch loads (a BLAS reads it then),
    and returns the time in microseconds it prints last."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads),
               OMP_NUM_THREADS=str(threads))
    out = subprocess.run(
        [PYTHON, script, "--worker", kind, "--worker-job",
         json.dumps(dict(job, threads=threads))],
        check=True, capture_output=True, text=True, env=env).stdout
    return float(out.split()[-1])


def onnxruntime(job, threads):
    """ONNX Runtime's median microseconds on `job` (its "onnx" model, its
    input "bin" of "shape", "runs" runs) through bench/ort.js, which also
    writes its output to job["ort_out"] when given; None when
    onnxruntime-node is not installed (bench/setup.sh installs it)."""
    node_modules = os.path.join(BENCH, "node_modules")
    if not shutil.which("node") or not os.path.isdir(
            os.path.join(node_modules, "onnxruntime-node")):
        return None
    cmd = ["node", os.path.join(BENCH, "ort.js"), job["onnx"], job["bin"],
           job["shape"], str(threads), str(job["runs"])]
    if job.get("ort_out"):
        cmd.append(job["ort_out"])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def compile_ms(build, model, x, flags=()):
    """Median JIT compile time (ms) of `model`, from predict-run --timing
    --no-cache (a run through the cache would load the first run's
    library; `flags`: more of predict-run's)."""
    times = []
    for _ in range(5):
        out = subprocess.run([os.path.join(build, "bin", "predict-run"), model,
                              f"--input=@{x}", "--timing", "--no-cache",
                              *flags],
                             check=True, capture_output=True, text=True).stdout
        times.append(float(re.search(r"timing: total\s+([\d.]+) ms", out).group(1)))
    return sorted(times)[len(times) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--worker-job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    import numpy as np
    threads = [int(t) for t in args.threads.split(",")]
    bits, peak, _, _ = fma_peak()
    print(f"FMA peak of one core ({bits}-bit): {peak:.1f} GFLOP/s; {load_note()}",
          flush=True)
    lines = ["| workload | threads | predict µs | numpy µs | PyTorch µs | ONNX Runtime µs "
             "| ÷ numpy | ÷ PyTorch | ÷ ONNX Runtime | predict GFLOP/s | % of peak |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, spec, batch, runs) in enumerate(WORKLOADS):
            model, layers = build_model(spec, tmp, index)
            x = np.random.default_rng(index).standard_normal(
                (batch, layers[0][0].shape[0])).astype(np.float32)
            xpath = os.path.join(tmp, f"x{index}.npy")
            np.save(xpath, x)
            x.tofile(os.path.join(tmp, f"x{index}.bin"))
            onnx_path = os.path.join(tmp, f"m{index}.onnx")
            onnx_model(layers, onnx_path)
            job = {"model": model, "x": xpath, "onnx": onnx_path, "runs": runs,
                   "bin": os.path.join(tmp, f"x{index}.bin"),
                   "shape": "x".join(map(str, x.shape))}
            for t in threads:
                flags = [f"--input=@{xpath}", f"--threads={t}"]
                ours, theirs = [], [[], [], []]
                # Contestants interleaved, so that a burst of load falls on
                # all of them.
                for _ in range(args.repeats):
                    ours.append(predict_run(args.build, model, flags, runs))
                    for k, v in enumerate([anchor("numpy", job, t),
                                           anchor("torch", job, t),
                                           onnxruntime(job, t)]):
                        if v is not None:
                            theirs[k].append(v)
                med = spread(ours)[0]
                meds = [spread(v)[0] if v else None for v in theirs]
                results[(index, t)] = (med, meds)
                cells = [cell(v) if v else "–" for v in theirs]
                ratios = [f"{med / v:.2f}" if v else "–" for v in meds]
                work = flops(spec, batch)
                rate = f"{work / med * 1e-3:.0f}" if work else "–"
                share = f"{100 * work / med * 1e-3 / (peak * t):.0f}%" if work else "–"
                lines.append(f"| {name} | {t} | {cell(ours)} | " +
                             " | ".join(cells) + " | " + " | ".join(ratios) +
                             f" | {rate} | {share} |")
                print(lines[-1], flush=True)
        simple_x = os.path.join(tmp, f"x{SIMPLE1}.npy")
        compile_time = compile_ms(args.build, os.path.join(
            ROOT, "examples", "seed", "simple_model.mlir"), simple_x)

    # The goals of the performance issue, as ratios of this run.
    def us(i, t=1):
        return results[(i, t)][0]

    def anchor_us(i, k, t=1):
        return results[(i, t)][1][k]

    def fastest(i, t=1):
        """The fastest anchor's time (ONNX Runtime where it ran)."""
        return min(v for v in results[(i, t)][1] if v)

    def peak_share(i):
        return flops(WORKLOADS[i][1], WORKLOADS[i][2]) / us(i) * 1e-3 / peak
    goals = [
        ("dense 256×1024×1024 ≤ the fastest anchor, one thread (÷)",
         us(DENSE) / fastest(DENSE), us(DENSE) <= fastest(DENSE)),
        ("dense 256×1024×1024 ≥ 85% of the FMA peak, one thread",
         peak_share(DENSE), peak_share(DENSE) >= 0.85),
        ("MLP batch 256 ≤ the fastest anchor, one thread (÷)",
         us(MLP) / fastest(MLP), us(MLP) <= fastest(MLP)),
        ("MLP batch 256 ≥ 85% of the FMA peak, one thread",
         peak_share(MLP), peak_share(MLP) >= 0.85),
        ("SimpleModel batch 1 ≤ 0.3 µs", us(SIMPLE1), us(SIMPLE1) <= 0.3),
        ("SimpleModel batch 1024 ≤ 0.5 × ONNX Runtime (÷)",
         us(SIMPLE1024) / (anchor_us(SIMPLE1024, 2) or float("nan")),
         bool(anchor_us(SIMPLE1024, 2)) and
         us(SIMPLE1024) <= 0.5 * anchor_us(SIMPLE1024, 2)),
        ("JIT compile of SimpleModel ≤ 50 ms", compile_time, compile_time <= 50),
    ]
    goal_lines = ["| goal | this run | met |", "|---|---|---|"]
    for what, value, met in goals:
        goal_lines.append(f"| {what} | {value:.2f} | {'yes' if met else 'no'} |")
    table, goal_table = "\n".join(lines), "\n".join(goal_lines)
    print("\n" + goal_table)
    if args.write:
        write_section(SECTION, (
            f"{SECTION}\n\nMeasured {datetime.date.today()} on {machine()}, "
            f"{load_note()} at the end, "
            f"`/usr/bin/python3 bench/anchors.py --write`: {numpy_blas()}, "
            f"PyTorch (Debian's python3-torch), "
            f"ONNX Runtime through onnxruntime-node, each with its thread "
            f"count set to the row's (predict: `--threads`); JIT compile "
            f"time is `predict-run --timing` at its default thread count. Each "
            f"cell: the median over {args.repeats} processes of each one's median µs "
            f"per call, and their min–max; ÷ is predict's time over the "
            f"anchor's; % of peak against one core's FMA peak ({bits}-bit, "
            f"{peak:.1f} GFLOP/s, bench/peak.c) times the threads.\n\n{table}\n\n{goal_table}\n"))


if __name__ == "__main__":
    sys.exit(main())
