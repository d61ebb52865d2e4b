#!/usr/bin/python3
"""predict's convolutions against PyTorch and ONNX Runtime (through Node), in
one run, on 1 and 2 threads: the MNIST CNN of ../shared/models (real17) at
batch 1 and 64, a ResNet-style 3x3 Conv2D 64->64 on 56x56, a DepthwiseConv2D,
a depthwise-separable block, a grouped Conv2D (4 groups) and a
DepthwiseConv2D with depth_multiplier 2. The runner (a worker process per
anchor, ONNX Runtime through bench/ort.js) is bench/anchors.py's.

    bash bench/setup.sh                     # the anchors, predict built
    /usr/bin/python3 bench/convs.py [--build build] [--threads 1,2] [--write]

Each workload is one list of layers with float32 weights: predict imports it
from a Keras .h5 file (written here with test/Import/Inputs/keras2_h5.py, or
../shared/models/real17_cnn_mnist.h5 read in place) and runs it through
`predict-run --benchmark`; PyTorch runs the same layers with
torch.nn.functional on NCHW tensors (its own layout; the input is transposed
once, outside the timing), ONNX Runtime an ONNX graph of them built with
python3-onnx. Before timing, each anchor's output is checked against
predict's (rtol 1e-3): the three compute the same thing. Times are medians
in microseconds; ratios are predict's time over the anchor's (below 1:
predict is faster). --write replaces this script's section of
docs/benchmarks.md. Nothing here fails on a number.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile

from anchors import anchor, onnxruntime
from common import ROOT, machine, predict_run, write_section

sys.path.insert(0, os.path.join(ROOT, "test", "Import", "Inputs"))

SECTION = "## Convolutions and the anchors"
REAL17 = os.path.join(ROOT, "..", "shared", "models", "real17_cnn_mnist.h5")


# Layers, as dicts: conv (kernel kh x kw x C/groups x F, bias, strides,
# padding, groups, act), depthwise (kernel kh x kw x C x 1, bias, padding,
# act), maxpool (size = strides), flatten, dense (kernel, bias, act).
def real17_layers():
    """The layers of real17_cnn_mnist.h5, with its weights."""
    import h5py
    import numpy as np
    with h5py.File(REAL17) as f:
        config = json.loads(f.attrs["model_config"])["config"]
        config = config["layers"] if isinstance(config, dict) else config
        weights = f["model_weights"]
        layers = []
        for entry in config:
            cls, cfg = entry["class_name"], entry["config"]
            group = weights.get(cfg["name"])

            def w(name):
                g = group[cfg["name"]] if cfg["name"] in group else group
                key = next(k for k in g.keys() if k.startswith(name))
                return np.asarray(g[key], dtype=np.float32)
            if cls == "Conv2D":
                assert cfg["padding"] == "valid" and cfg["strides"] == [1, 1]
                layers.append(dict(op="conv", k=w("kernel"), b=w("bias"),
                                   padding="valid", groups=1,
                                   act=cfg["activation"]))
            elif cls == "MaxPooling2D":
                assert cfg["pool_size"] == cfg["strides"]
                layers.append(dict(op="maxpool", size=cfg["pool_size"][0]))
            elif cls == "Flatten":
                layers.append(dict(op="flatten"))
            elif cls == "Dense":
                layers.append(dict(op="dense", k=w("kernel"), b=w("bias"),
                                   act=cfg["activation"]))
            elif cls != "InputLayer":
                raise SystemExit(f"real17: no benchmark form for {cls}")
    return (28, 28, 1), layers


def synthetic(kind, seed):
    """A 56x56x64 input's layers: a 3x3 Conv2D 64->64, a 3x3
    DepthwiseConv2D, or a depthwise-separable block (DepthwiseConv2D 3x3 then
    a 1x1 Conv2D 64->128), each with bias and relu and padding same."""
    import numpy as np
    rng = np.random.default_rng(seed)

    def w(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)
    c = 64
    conv3 = dict(op="conv", k=w(3, 3, c, c, scale=(2 / (9 * c)) ** 0.5),
                 b=w(c, scale=0.1), padding="same", groups=1, act="relu")
    dw = dict(op="depthwise", k=w(3, 3, c, 1, scale=(2 / 9) ** 0.5),
              b=w(c, scale=0.1), padding="same", act="relu")
    pw = dict(op="conv", k=w(1, 1, c, 2 * c, scale=(2 / c) ** 0.5),
              b=w(2 * c, scale=0.1), padding="valid", groups=1, act="relu")
    # Grouped (4 groups of 16 channels, as ResNeXt) and a depth multiplier
    # of 2: each group, or each of the M kernels, one tiled convolution.
    gconv = dict(op="conv", k=w(3, 3, c // 4, c, scale=(2 / (9 * c // 4)) ** 0.5),
                 b=w(c, scale=0.1), padding="same", groups=4, act="relu")
    dw2 = dict(op="depthwise", k=w(3, 3, c, 2, scale=(2 / 9) ** 0.5),
               b=w(2 * c, scale=0.1), padding="same", act="relu")
    return (56, 56, c), {"conv3": [conv3], "dw": [dw], "sep": [dw, pw],
                         "gconv": [gconv], "dw2": [dw2]}[kind]


# name, layers (input shape without the batch, list), batch, runs
WORKLOADS = [
    ("real17 CNN (MNIST: 2 Conv2D, 2 MaxPooling2D, 2 Dense), batch 1",
     ("real17",), 1, 2000),
    ("real17 CNN (MNIST: 2 Conv2D, 2 MaxPooling2D, 2 Dense), batch 64",
     ("real17",), 64, 100),
    ("Conv2D 3×3 64→64 same + relu, 56×56, batch 1", ("conv3",), 1, 50),
    ("DepthwiseConv2D 3×3 same + relu, 56×56×64, batch 1", ("dw",), 1, 500),
    ("depthwise-separable block (DepthwiseConv2D 3×3, Conv2D 1×1 64→128, "
     "relu), 56×56×64, batch 1", ("sep",), 1, 200),
    ("Conv2D 3×3 64→64 groups=4 same + relu, 56×56, batch 1", ("gconv",), 1, 100),
    ("DepthwiseConv2D 3×3 depth_multiplier=2 same + relu, 56×56×64, batch 1",
     ("dw2",), 1, 300),
]
REAL17_B64, CONV3, DW, SEP = 1, 2, 3, 4


def layers_of(spec, index):
    return real17_layers() if spec[0] == "real17" else synthetic(spec[0], index)


def flops(shape, layers, batch):
    """Multiply-adds times two of the convolutions and Dense layers."""
    h, w, c = shape
    total = 0
    for layer in layers:
        if layer["op"] in ("conv", "depthwise"):
            kh, kw, cg, f = layer["k"].shape
            if layer["padding"] == "valid":
                h, w = h - kh + 1, w - kw + 1
            if layer["op"] == "depthwise":
                f, cg = c * f, 1
            total += 2 * h * w * f * kh * kw * cg
            c = f
        elif layer["op"] == "maxpool":
            h, w = h // layer["size"], w // layer["size"]
        elif layer["op"] == "flatten":
            c, h, w = h * w * c, 1, 1
        else:
            total += 2 * layer["k"].size
    return total * batch


def keras_h5(shape, layers, path):
    """The layers as a Keras 2 Sequential .h5 file, for predict-import."""
    from keras2_h5 import sequential, write_h5
    configs, weights = [], {}
    for i, layer in enumerate(layers):
        name = f"l{i}"
        cfg = {"name": name, "activation": layer.get("act", "linear")}
        if i == 0:
            cfg["batch_input_shape"] = [None, *shape]
        op = layer["op"]
        if op == "conv":
            kh, kw, _, f = layer["k"].shape
            cfg.update(filters=f, kernel_size=[kh, kw], strides=[1, 1],
                       padding=layer["padding"], data_format="channels_last",
                       dilation_rate=[1, 1], groups=layer["groups"], use_bias=True)
            cls, names = "Conv2D", ["kernel", "bias"]
        elif op == "depthwise":
            kh, kw, _, m = layer["k"].shape
            cfg.update(kernel_size=[kh, kw], strides=[1, 1], padding=layer["padding"],
                       depth_multiplier=m, data_format="channels_last",
                       dilation_rate=[1, 1], use_bias=True)
            cls, names = "DepthwiseConv2D", ["depthwise_kernel", "bias"]
        elif op == "maxpool":
            s = layer["size"]
            cfg.update(pool_size=[s, s], strides=[s, s], padding="valid")
            cls, names = "MaxPooling2D", []
        elif op == "flatten":
            cls, names = "Flatten", []
        else:
            cfg.update(units=layer["k"].shape[1], use_bias=True)
            cls, names = "Dense", ["kernel", "bias"]
        if op in ("maxpool", "flatten"):
            del cfg["activation"]
        configs.append({"class_name": cls, "config": cfg})
        weights[name] = [(f"{name}/{n}:0", layer[k])
                         for n, k in zip(names, ["k", "b"])]
    write_h5(path, sequential(configs), weights)


def torch_weights(shape, layers):
    """The layers' weights in PyTorch's layouts: OIHW kernels, a Dense
    kernel after Flatten permuted from Keras's (h, w, c) rows to NCHW's
    (c, h, w)."""
    import numpy as np
    h, w, c = shape
    out = []
    for layer in layers:
        op = layer["op"]
        if op == "conv":
            kh, kw, _, f = layer["k"].shape
            out.append((op, np.ascontiguousarray(layer["k"].transpose(3, 2, 0, 1)),
                        layer["b"], layer))
            if layer["padding"] == "valid":
                h, w = h - kh + 1, w - kw + 1
            c = f
        elif op == "depthwise":
            # OIHW with groups = channels: output channel c*M + m is
            # input channel c's m-th filter, as Keras orders them.
            kh, kw, ch, m = layer["k"].shape
            k = layer["k"].transpose(2, 3, 0, 1).reshape(ch * m, 1, kh, kw)
            out.append((op, np.ascontiguousarray(k), layer["b"], layer))
            c = ch * m
        elif op == "maxpool":
            h, w = h // layer["size"], w // layer["size"]
            out.append((op, None, None, layer))
        elif op == "flatten":
            out.append((op, (c, h, w), None, layer))
        else:
            k = layer["k"]
            if out and out[-1][0] == "flatten":
                fc, fh, fw = out[-1][1]
                k = k.reshape(fh, fw, fc, -1).transpose(2, 0, 1, 3).reshape(k.shape)
            out.append((op, np.ascontiguousarray(k.T), layer["b"], layer))
    return out


def onnx_model(shape, layers, path):
    """The layers as an ONNX graph on an NCHW input: Conv (pads for same),
    Relu, MaxPool, Flatten, Gemm, Softmax."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    nodes, inits = [], []
    value = "x"
    for i, (op, k, b, layer) in enumerate(torch_weights(shape, layers)):
        out = f"v{i}"
        if op in ("conv", "depthwise"):
            kh, kw = k.shape[2:]
            pads = [kh // 2, kw // 2] * 2 if layer["padding"] == "same" else [0] * 4
            group = layer["k"].shape[2] if op == "depthwise" else layer["groups"]
            inits += [numpy_helper.from_array(k, f"k{i}"),
                      numpy_helper.from_array(b, f"b{i}")]
            nodes.append(helper.make_node("Conv", [value, f"k{i}", f"b{i}"], [out],
                                          kernel_shape=[kh, kw], pads=pads,
                                          group=group))
        elif op == "maxpool":
            s = layer["size"]
            nodes.append(helper.make_node("MaxPool", [value], [out],
                                          kernel_shape=[s, s], strides=[s, s]))
        elif op == "flatten":
            nodes.append(helper.make_node("Flatten", [value], [out], axis=1))
        else:
            inits += [numpy_helper.from_array(k, f"k{i}"),
                      numpy_helper.from_array(b, f"b{i}")]
            nodes.append(helper.make_node("Gemm", [value, f"k{i}", f"b{i}"], [out],
                                          transB=1))
        value = out
        act = layer.get("act", "linear")
        if act == "relu":
            nodes.append(helper.make_node("Relu", [value], [f"r{i}"]))
            value = f"r{i}"
        elif act == "softmax":
            nodes.append(helper.make_node("Softmax", [value], [f"s{i}"], axis=-1))
            value = f"s{i}"
        elif act != "linear":
            raise SystemExit(f"no ONNX activation for {act}")
    h, w, c = shape
    graph = helper.make_graph(
        nodes, "bench",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", c, h, w])],
        [helper.make_tensor_value_info(value, TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, path)


def torch_forward(shape, layers, x_nchw):
    """PyTorch's forward function of the layers, on an NCHW input."""
    import torch
    import torch.nn.functional as F
    ws = [(op, torch.from_numpy(k) if op not in ("flatten",) and k is not None else k,
           torch.from_numpy(b) if b is not None else None, layer)
          for op, k, b, layer in torch_weights(shape, layers)]
    xt = torch.from_numpy(x_nchw)

    def forward():
        with torch.inference_mode():
            h = xt
            for op, k, b, layer in ws:
                if op == "conv":
                    pad = "same" if layer["padding"] == "same" else 0
                    h = F.conv2d(h, k, b, padding=pad, groups=layer["groups"])
                elif op == "depthwise":
                    h = F.conv2d(h, k, b, padding="same" if layer["padding"] == "same"
                                 else 0, groups=layer["k"].shape[2])
                elif op == "maxpool":
                    h = F.max_pool2d(h, layer["size"])
                elif op == "flatten":
                    h = torch.flatten(h, 1)
                else:
                    h = F.linear(h, k, b)
                act = layer.get("act", "linear")
                if act == "relu":
                    h = torch.relu(h)
                elif act == "softmax":
                    h = torch.softmax(h, dim=-1)
            return h
    return forward


def worker(args):
    """Runs in its own process: PyTorch's time on one workload, and its
    output (NHWC, as Keras's) for the check."""
    import numpy as np
    import torch
    from common import time_python
    job = json.loads(args.worker_job)
    torch.set_num_threads(job["threads"])
    shape, layers = layers_of(job["spec"], job["index"])
    x = np.load(job["x"])
    forward = torch_forward(shape, layers, np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
    y = forward().numpy()
    np.save(job["torch_out"], y.transpose(0, 2, 3, 1) if y.ndim == 4 else y)
    print(time_python(forward, job["runs"]))


def check(what, ours, theirs):
    """Stops the run if an anchor computes something else than predict."""
    import numpy as np
    if ours.shape != theirs.shape or not np.allclose(ours, theirs, rtol=1e-3,
                                                     atol=1e-4):
        err = np.abs(ours.reshape(-1) - theirs.reshape(-1)).max() \
            if ours.size == theirs.size else "shapes differ"
        raise SystemExit(f"convs.py: {what} differs from predict "
                         f"({ours.shape} vs {theirs.shape}, max error {err})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--only", help="comma-separated workload indices")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--worker-job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    import numpy as np
    # Other work on the machine slows each contestant differently (a long
    # run is preempted more often): the load is written with the figures.
    load_before = os.getloadavg()[0]
    threads = [int(t) for t in args.threads.split(",")]
    only = set(map(int, args.only.split(","))) if args.only else None
    lines = ["| workload | GFLOP | threads | predict µs | PyTorch µs | ONNX Runtime µs "
             "| predict GFLOP/s | ÷ PyTorch | ÷ ONNX Runtime |",
             "|---|---|---|---|---|---|---|---|---|"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, spec, batch, runs) in enumerate(WORKLOADS):
            if only is not None and index not in only:
                continue
            shape, layers = layers_of(spec, index)
            h5 = os.path.join(tmp, f"m{index}.h5")
            if spec[0] == "real17":
                h5 = REAL17
            else:
                keras_h5(shape, layers, h5)
            model = os.path.join(tmp, f"m{index}.mlir")
            subprocess.run([os.path.join(args.build, "bin", "predict-import"), h5,
                            "-o", model], check=True)
            x = np.random.default_rng(index).standard_normal(
                (batch, *shape)).astype(np.float32)
            xpath = os.path.join(tmp, f"x{index}.npy")
            np.save(xpath, x)
            np.ascontiguousarray(x.transpose(0, 3, 1, 2)).tofile(
                os.path.join(tmp, f"x{index}.bin"))
            onnx_path = os.path.join(tmp, f"m{index}.onnx")
            onnx_model(shape, layers, onnx_path)
            job = {"spec": list(spec), "index": index, "x": xpath, "onnx": onnx_path,
                   "runs": runs, "bin": os.path.join(tmp, f"x{index}.bin"),
                   "shape": "x".join(map(str, (batch, shape[2], shape[0], shape[1]))),
                   "torch_out": os.path.join(tmp, f"t{index}.npy")}
            # The three compute the same thing: predict's output against
            # PyTorch's and ONNX Runtime's.
            ours_out = os.path.join(tmp, f"p{index}.npy")
            subprocess.run([os.path.join(args.build, "bin", "predict-run"), model,
                            f"--input=@{xpath}", f"--output=@{ours_out}"],
                           check=True, capture_output=True)
            ort_out = os.path.join(tmp, f"o{index}.bin")
            if onnxruntime(dict(job, runs=1, ort_out=ort_out), 1) is not None:
                ours = np.load(ours_out)
                theirs = np.fromfile(ort_out, dtype=np.float32)
                if ours.ndim == 4:
                    n, hh, ww, cc = ours.shape
                    theirs = theirs.reshape(n, cc, hh, ww).transpose(0, 2, 3, 1)
                check(f"ONNX Runtime on '{name}'", ours, theirs.reshape(ours.shape))
            gflop = flops(shape, layers, batch) / 1e9
            for t in threads:
                # --no-cache: the JIT's code for the host, as before
                # predict-run compiled through the cache. (A cache hit was
                # 2-3x slower on Zen 4 on 2026-11-30; on Zen 5 on 2026-12-02
                # the two were within 1% on the depthwise and separable
                # blocks: min 182 vs 175 us, 2365 vs 2355 us.)
                ours = predict_run(args.build, model,
                                   [f"--input=@{xpath}", f"--threads={t}",
                                    "--no-cache"], runs)
                theirs = [anchor("torch", job, t, script=__file__),
                          onnxruntime(job, t)]
                if t == threads[0]:
                    check(f"PyTorch on '{name}'", np.load(ours_out),
                          np.load(job["torch_out"]))
                results[(index, t)] = (ours, theirs)
                cells = [f"{v:.1f}" if v is not None else "–" for v in theirs]
                ratios = [f"{ours / v:.2f}" if v else "–" for v in theirs]
                lines.append(f"| {name} | {gflop:.3f} | {t} | {ours:.1f} | " +
                             " | ".join(cells) + f" | {gflop * 1e6 / ours:.0f} | " +
                             " | ".join(ratios) + " |")
                print(lines[-1], flush=True)

    # The goals of issue 17, as ratios of this run.
    goal_lines = ["| goal | this run (÷ ONNX Runtime) | met |", "|---|---|---|"]
    for i, what in [(REAL17_B64, "real17 CNN at batch 64"),
                    (SEP, "depthwise-separable block")]:
        if (i, 1) in results and results[(i, 1)][1][1]:
            ratio = results[(i, 1)][0] / results[(i, 1)][1][1]
            goal_lines.append(f"| {what} ≤ ONNX Runtime, one thread | {ratio:.2f} | "
                              f"{'yes' if ratio <= 1 else 'no'} |")
    table, goal_table = "\n".join(lines), "\n".join(goal_lines)
    load = (f"load average {load_before:.1f} at the start, "
            f"{os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} cores)")
    print(load)
    print("\n" + goal_table)
    if args.write:
        write_section(SECTION, (
            f"{SECTION}\n\nMeasured {datetime.date.today()} on {machine()}, "
            f"{load}, "
            f"`/usr/bin/python3 bench/convs.py --write`: PyTorch (Debian's "
            f"python3-torch, torch.nn.functional on NCHW) and ONNX Runtime "
            f"through onnxruntime-node (an NCHW ONNX graph), each with its "
            f"thread count set to the row's (predict: `--threads`), each "
            f"checked against predict's output first. Median µs per call; "
            f"GFLOP counts the convolutions' and Dense layers' multiply-adds "
            f"twice; ÷ is predict's time over the anchor's.\n\n"
            f"{table}\n\n{goal_table}\n"))


if __name__ == "__main__":
    sys.exit(main())
