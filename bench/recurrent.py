#!/usr/bin/python3
"""predict's LSTM and GRU against PyTorch's nn.LSTM/nn.GRU and ONNX Runtime's
LSTM/GRU operators, in one run, on 1 and 2 threads.

    bash bench/setup.sh                     # the anchors, predict built
    /usr/bin/python3 bench/recurrent.py [--build build] [--write]

The workload of the recurrent-layer performance goal: LSTM(128) and
GRU(128) (reset_after, Keras's default) over 100 steps, batch 32, 64 input
features, last output. The same float32 weights in a Keras 2 .h5 file
(written with test/Import/Inputs/keras2_h5.py) for predict, converted to
PyTorch's and ONNX's gate orders for the anchors; every output is checked
against predict's. Then predict's JIT compile time at sequence lengths 10,
100 and 1000 of one file with a dynamic time axis (it should not depend on
the length: the layer is a loop over the run-time length). Median µs per
call; ÷ is predict's time over the anchor's. Nothing here fails on a number.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile

from common import ROOT, machine, predict_run, time_python, write_section
import anchors

sys.path.insert(0, os.path.join(ROOT, "test", "Import", "Inputs"))
SECTION = "## Recurrent layers and the anchors"
PYTHON = "/usr/bin/python3"
BATCH, STEPS, FEATURES, UNITS = 32, 100, 64, 128
RUNS = 30


def weights(cls, seed):
    import numpy as np
    rng = np.random.default_rng(seed)
    g = 4 if cls == "LSTM" else 3
    s = 1 / np.sqrt(UNITS)
    kernel = rng.uniform(-s, s, (FEATURES, g * UNITS)).astype(np.float32)
    recurrent = rng.uniform(-s, s, (UNITS, g * UNITS)).astype(np.float32)
    bias = rng.uniform(-s, s, (g * UNITS,) if cls == "LSTM"
                       else (2, g * UNITS)).astype(np.float32)
    return kernel, recurrent, bias


def keras_h5(cls, ws, path):
    from keras2_h5 import sequential, write_h5
    cell = "lstm_cell" if cls == "LSTM" else "gru_cell"
    name = cls.lower()
    write_h5(path, sequential([
        {"class_name": "InputLayer", "config": {
            "name": "x", "batch_input_shape": [None, None, FEATURES]}},
        {"class_name": cls, "config": {"name": name, "units": UNITS}}]),
        {name: [(f"{name}/{cell}/{n}:0", a) for n, a in
                zip(("kernel", "recurrent_kernel", "bias"), ws)]})


def reorder(cls, a, axis):
    """Keras's gate blocks (i, f, c, o / z, r, h) in PyTorch's (i, f, g, o /
    r, z, n) order along `axis`."""
    import numpy as np
    blocks = np.split(a, 4 if cls == "LSTM" else 3, axis=axis)
    if cls == "LSTM":
        return np.concatenate(blocks, axis=axis)
    z, r, h = blocks
    return np.concatenate([r, z, h], axis=axis)


def onnx_model(cls, ws, path):
    """x (batch x time x features) -> Transpose -> ONNX LSTM/GRU -> Y_h."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    kernel, recurrent, bias = ws
    g = 4 if cls == "LSTM" else 3
    blocks = lambda a: np.split(a, g, axis=-1)
    if cls == "LSTM":  # ONNX: i, o, f, c
        order = lambda a: np.concatenate(
            [blocks(a)[i] for i in (0, 3, 1, 2)], axis=-1)
        b = np.concatenate([order(bias), np.zeros(g * UNITS, np.float32)])
    else:              # ONNX: z, r, h; linear_before_reset = reset_after
        order = lambda a: a
        b = np.concatenate([bias[0], bias[1]])
    W = order(kernel).T[None].astype(np.float32)
    R = order(recurrent).T[None].astype(np.float32)
    B = b[None].astype(np.float32)
    attrs = {"hidden_size": UNITS}
    if cls == "GRU":
        attrs["linear_before_reset"] = 1
    outputs = ["Y", "Y_h"] + (["Y_c"] if cls == "LSTM" else [])
    graph = helper.make_graph(
        [helper.make_node("Transpose", ["x"], ["xt"], perm=[1, 0, 2]),
         helper.make_node(cls, ["xt", "W", "R", "B"], outputs, **attrs),
         helper.make_node("Squeeze", ["Y_h", "axes"], ["y"])],
        "recurrent",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       [BATCH, STEPS, FEATURES])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       [BATCH, UNITS])],
        [numpy_helper.from_array(W, "W"), numpy_helper.from_array(R, "R"),
         numpy_helper.from_array(B, "B"),
         numpy_helper.from_array(np.array([0], np.int64), "axes")])
    onnx.save(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)]), path)


def torch_worker(job):
    """Runs in its own process (anchors.anchor): nn.LSTM or nn.GRU."""
    import numpy as np
    import torch
    torch.set_num_threads(job["threads"])
    cls = job["cls"]
    kernel, recurrent, bias = (np.load(job["w"])[k] for k in ("k", "r", "b"))
    layer = (torch.nn.LSTM if cls == "LSTM" else torch.nn.GRU)(
        FEATURES, UNITS, batch_first=True)
    with torch.no_grad():
        layer.weight_ih_l0.copy_(torch.from_numpy(reorder(cls, kernel, 1).T.copy()))
        layer.weight_hh_l0.copy_(torch.from_numpy(reorder(cls, recurrent, 1).T.copy()))
        if cls == "LSTM":
            layer.bias_ih_l0.copy_(torch.from_numpy(bias))
            layer.bias_hh_l0.zero_()
        else:
            layer.bias_ih_l0.copy_(torch.from_numpy(reorder(cls, bias[0], 0)))
            layer.bias_hh_l0.copy_(torch.from_numpy(reorder(cls, bias[1], 0)))
    x = torch.from_numpy(np.load(job["x"]))

    def forward():
        with torch.inference_mode():
            return layer(x)[0][:, -1]
    np.save(job["out"], forward().numpy())
    print(time_python(forward, job["runs"]))


def compile_ms(build, model, length):
    """predict-run --timing's median total (ms) at one sequence length."""
    import numpy as np
    with tempfile.NamedTemporaryFile(suffix=".npy") as f:
        np.save(f.name, np.zeros((1, length, FEATURES), np.float32))
        return anchors.compile_ms(build, model, f.name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--worker-job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return torch_worker(json.loads(args.worker_job))

    import numpy as np
    threads = [int(t) for t in args.threads.split(",")]
    lines = ["| workload | threads | predict µs | PyTorch µs | ONNX Runtime µs "
             "| ÷ PyTorch | ÷ ONNX Runtime |", "|---|---|---|---|---|---|---|"]
    compile_lines = []
    goals = []
    with tempfile.TemporaryDirectory() as tmp:
        x = np.random.default_rng(0).standard_normal(
            (BATCH, STEPS, FEATURES)).astype(np.float32)
        xpath = os.path.join(tmp, "x.npy")
        np.save(xpath, x)
        x.tofile(os.path.join(tmp, "x.bin"))
        for index, cls in enumerate(("LSTM", "GRU")):
            ws = weights(cls, index)
            model = os.path.join(tmp, f"{cls}.h5")
            keras_h5(cls, ws, model)
            wpath = os.path.join(tmp, f"{cls}.npz")
            np.savez(wpath, k=ws[0], r=ws[1], b=ws[2])
            onnx_path = os.path.join(tmp, f"{cls}.onnx")
            onnx_model(cls, ws, onnx_path)
            ours_out = os.path.join(tmp, f"{cls}.out.npy")
            subprocess.run([os.path.join(args.build, "bin", "predict-run"),
                            model, f"--input=@{xpath}",
                            f"--output=@{ours_out}"], check=True,
                           capture_output=True)
            job = {"cls": cls, "w": wpath, "x": xpath, "runs": RUNS,
                   "out": os.path.join(tmp, f"{cls}.torch.npy"),
                   "onnx": onnx_path, "bin": os.path.join(tmp, "x.bin"),
                   "shape": f"{BATCH}x{STEPS}x{FEATURES}"}
            name = f"{cls}({UNITS}), {STEPS} steps, batch {BATCH}, {FEATURES} features"
            for t in threads:
                ours = predict_run(args.build, model,
                                   [f"--input=@{xpath}", f"--threads={t}"], RUNS)
                try:
                    torch_us = anchors.anchor("torch", dict(job), t,
                                              script=__file__)
                    diff = np.abs(np.load(job["out"]) - np.load(ours_out)).max()
                    if diff > 1e-3:
                        print(f"warning: PyTorch's {cls} differs by {diff}")
                except (subprocess.CalledProcessError, OSError):
                    torch_us = None
                ort_us = anchors.onnxruntime(job, t)
                theirs = [torch_us, ort_us]
                cells = [f"{v:.0f}" if v else "–" for v in theirs]
                ratios = [f"{ours / v:.2f}" if v else "–" for v in theirs]
                if t == 1:
                    for anchor, v in zip(("PyTorch", "ONNX Runtime"), theirs):
                        if v:
                            goals.append((f"{cls}({UNITS}) ≤ {anchor}, one thread",
                                          f"{ours / v:.2f}", ours <= v))
                lines.append(f"| {name} | {t} | {ours:.0f} | " +
                             " | ".join(cells) + " | " + " | ".join(ratios) + " |")
                print(lines[-1], flush=True)
            times = [compile_ms(args.build, model, n) for n in (10, 100, 1000)]
            goals.append((f"{cls}({UNITS}) compile time independent of the "
                          "length (slowest ÷ fastest of 10, 100, 1000 steps "
                          "≤ 1.5)", f"{max(times) / min(times):.2f}",
                          max(times) <= 1.5 * min(times)))
            compile_lines.append(
                f"| {cls}({UNITS}) | " + " | ".join(f"{v:.0f}" for v in times) + " |")
            print(compile_lines[-1], flush=True)
    table = "\n".join(lines)
    goal_table = "\n".join(
        ["| goal | this run | met |", "|---|---|---|"] +
        [f"| {g} | {r} | {'yes' if ok else 'no'} |" for g, r, ok in goals])
    print(goal_table)
    compile_table = "\n".join(
        ["| layer | compile ms, 10 steps | 100 steps | 1000 steps |",
         "|---|---|---|---|"] + compile_lines)
    if args.write:
        write_section(SECTION, (
            f"{SECTION}\n\nMeasured {datetime.date.today()} on {machine()}, "
            f"`/usr/bin/python3 bench/recurrent.py --write`: PyTorch "
            f"(Debian's python3-torch) nn.LSTM/nn.GRU, ONNX Runtime's LSTM/GRU "
            f"operators through onnxruntime-node (after a Transpose to "
            f"time-major), each with its thread count set to the row's "
            f"(predict: `--threads`). Median µs per call; ÷ is predict's time "
            f"over the anchor's. The compile time is `predict-run --timing`'s "
            f"total for one file whose time axis is dynamic, run at three "
            f"sequence lengths.\n\n{table}\n\n{compile_table}\n\n{goal_table}\n"))


if __name__ == "__main__":
    sys.exit(main())
