#!/usr/bin/python3
"""Differential testing: random valid Python model programs, compiled and run
by predict, compared with numpy/scipy.

Each program is drawn from a seed: a tf.keras.Model subclass with Dense and
BatchNormalization layers of random widths and activations, tf.* element-
wise operations, constant matrices, column slices, row loops (rows stacked
with tf.concat), running-sum and moving-average loops over the rows through
a helper method, and numpy/scipy calls that predict rewrites natively. The
generator builds the program's source and, from the same description, its
reference: the arithmetic written with numpy in float64, never predict's
output. predict-import converts the source with random non-zero weights
(--weights), predict-run runs it on a batch of random size, and the result
must match.

  random_programs.py --seed S --count N [--jobs J] [--work DIR] [--keep]

Prints one line per failing program (its file and the command that
reproduces it) and a summary; exits 1 on any mismatch or error. Programs that
fail are kept in DIR.
"""
import argparse
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys

import numpy as np
from scipy import signal, special

HERE = os.path.dirname(os.path.abspath(__file__))


# The activations' numpy definitions, shared with the executed tests.
sys.path.insert(0, os.path.join(HERE, "..", "..", "Integration", "Inputs"))
from reference import activation as act  # noqa: E402


DENSE_ACTIVATIONS = [None, "relu", "sigmoid", "tanh", "softmax", "gelu", "elu",
                     "selu", "leaky_relu", "swish", "softplus", "linear"]

# Elementwise steps: (source with {h}, numpy function). Inputs stay finite:
# exp only of non-positive values, log and sqrt of positive ones.
ELEMENTWISE = [
    ("{h} * 0.5 + 0.25", lambda h: h * 0.5 + 0.25),
    ("{h} - 1.5", lambda h: h - 1.5),
    ("2.0 * {h}", lambda h: 2.0 * h),
    ("tf.maximum({h}, 0.1)", lambda h: np.maximum(h, 0.1)),
    ("tf.minimum({h}, -0.2)", lambda h: np.minimum(h, -0.2)),
    ("tf.abs({h})", np.abs),
    ("tf.negative({h})", np.negative),
    ("tf.exp({h} * {h} * -0.5)", lambda h: np.exp(h * h * -0.5)),
    ("tf.math.log({h} * {h} + 1.0)", lambda h: np.log(h * h + 1.0)),
    ("tf.sqrt({h} * {h} + 0.5)", lambda h: np.sqrt(h * h + 0.5)),
    ("{h} / (tf.abs({h}) + 1.0)", lambda h: h / (np.abs(h) + 1.0)),
    ("{h} ** 2", lambda h: h ** 2),
    ("{h} * {h} - {h}", lambda h: h * h - h),
    ("tf.nn.relu({h})", lambda h: act("relu", h)),
    ("tf.sigmoid({h})", lambda h: act("sigmoid", h)),
    ("tf.tanh({h})", np.tanh),
    ("tf.nn.softmax({h})", lambda h: act("softmax", h)),
    ("tf.nn.elu({h})", lambda h: act("elu", h)),
    ("tf.nn.softplus({h})", lambda h: act("softplus", h)),
    ("tf.nn.gelu({h})", lambda h: act("gelu", h)),
    ("tf.add({h}, 1.0)", lambda h: h + 1.0),
    ("tf.multiply({h}, {h})", lambda h: h * h),
]

# Rewritable foreign calls (predict-run --foreign=rewrite).
FOREIGN = [
    ("np.tanh({h})", np.tanh),
    ("np.abs({h})", np.abs),
    ("np.exp(np.negative(np.abs({h})))", lambda h: np.exp(-np.abs(h))),
    ("np.maximum({h}, 0.0)", lambda h: np.maximum(h, 0.0)),
    ("np.minimum({h}, 0.5)", lambda h: np.minimum(h, 0.5)),
    ("np.clip({h}, -0.5, 0.75)", lambda h: np.clip(h, -0.5, 0.75)),
    ("special.expit({h})", special.expit),
    ("special.softmax({h}, axis=1)", lambda h: special.softmax(h, axis=1)),
    ("np.sqrt(np.abs({h}))", lambda h: np.sqrt(np.abs(h))),
]


class Program:
    """A random program: its source lines and, step by step, its reference."""

    def __init__(self, rng, index):
        self.rng = rng
        self.index = index
        self.init = []      # __init__ lines
        self.methods = []   # extra methods (lines)
        self.weights = {}
        self.constants = {}
        self.counter = 0
        self.foreign = False
        self.needs = {"numpy": False, "special": False, "signal": False}

    def name(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    # A step maps (source lines appended to `lines`, width) -> new width and
    # returns a numpy function of the value.
    def dense(self, lines, var, width):
        units = self.rng.randint(1, 12)
        activation = self.rng.choice(DENSE_ACTIVATIONS)
        name = self.name("dense")
        arg = "" if activation is None else f', activation="{activation}"'
        if activation is not None and self.rng.random() < 0.3:
            arg = f', "{activation}"'
        self.init.append(f"self.{name} = tf.keras.layers.Dense({units}{arg})")
        k = self.rng_array((width, units)) / np.sqrt(width)
        b = self.rng_array((units,)) * 0.3
        self.weights[f"{name}/kernel"] = k
        self.weights[f"{name}/bias"] = b
        lines.append(f"{var} = self.{name}({var})")
        kind = activation or "linear"
        return units, lambda h: act(kind, h @ k + b)

    def batch_norm(self, lines, var, width):
        name = self.name("norm")
        eps = self.rng.choice([1e-3, 0.01, 0.5])
        center, scale = self.rng.random() < 0.8, self.rng.random() < 0.8
        args = [f"epsilon={eps}"]
        if not center:
            args.append("center=False")
        if not scale:
            args.append("scale=False")
        self.init.append(f"self.{name} = tf.keras.layers.BatchNormalization("
                         f"{', '.join(args)})")
        mean = self.rng_array((width,))
        var_ = np.abs(self.rng_array((width,))) + 0.1
        gamma = self.rng_array((width,)) * 0.5 + 1
        beta = self.rng_array((width,)) * 0.5
        self.weights[f"{name}/moving_mean"] = mean
        self.weights[f"{name}/moving_variance"] = var_
        if scale:
            self.weights[f"{name}/gamma"] = gamma
        if center:
            self.weights[f"{name}/beta"] = beta
        lines.append(f"{var} = self.{name}({var})")

        def f(h):
            y = (h - mean) / np.sqrt(var_ + eps)
            return y * (gamma if scale else 1) + (beta if center else 0)
        return width, f

    def elementwise(self, lines, var, width):
        text, fn = self.rng.choice(ELEMENTWISE)
        lines.append(f"{var} = " + text.format(h=var))
        return width, fn

    def matrix(self, lines, var, width):
        cols = self.rng.randint(1, 6)
        name = self.name("m")
        m = np.round(self.rng_array((width, cols)), 3)
        literal = "[" + ", ".join(
            "[" + ", ".join(repr(float(v)) for v in row) + "]" for row in m) + "]"
        self.init.append(f"self.{name} = tf.constant({literal})")
        lines.append(f"{var} = {var} @ self.{name}")
        return cols, lambda h: h @ m

    def columns(self, lines, var, width):
        if width < 2:
            return self.elementwise(lines, var, width)
        a = self.rng.randint(0, width - 1)
        b = self.rng.randint(a + 1, width)
        lines.append(f"{var} = {var}[:, {a}:{b}]")
        return b - a, lambda h: h[:, a:b]

    def foreign_call(self, lines, var, width):
        self.foreign = True
        if self.rng.random() < 0.3:
            return self.convolve(lines, var, width)
        text, fn = self.rng.choice(FOREIGN)
        self.needs["numpy" if text.startswith("np.") else "special"] = True
        lines.append(f"{var} = " + text.format(h=var))
        return width, fn

    def convolve(self, lines, var, width):
        self.needs["signal"] = True
        size = self.rng.randint(1, 3)
        mode = self.rng.choice(["full", "same", "valid"])
        if mode == "valid" and size > width:
            mode = "same"
        function = self.rng.choice(["convolve", "correlate"])
        name = self.name("k")
        k = np.round(self.rng_array((1, size)), 3)
        self.init.append("self.%s = tf.constant([[%s]])" % (
            name, ", ".join(repr(float(v)) for v in k[0])))
        lines.append(f'{var} = signal.{function}({var}, self.{name}, mode="{mode}")')
        out = {"full": width + size - 1, "same": width, "valid": width - size + 1}[mode]
        reference = getattr(signal, function)
        return out, lambda h: reference(h, k, mode=mode)

    def rng_array(self, shape):
        seed = self.rng.randrange(2 ** 32)
        return np.random.default_rng(seed).standard_normal(shape)

    def steps(self, lines, var, width, count, allow_foreign):
        fns = []
        for _ in range(count):
            choices = [self.dense] * 4 + [self.batch_norm, self.matrix,
                                          self.columns] + [self.elementwise] * 3
            if allow_foreign:
                choices += [self.foreign_call] * 2
            width, fn = self.rng.choice(choices)(lines, var, width)
            fns.append(fn)

        def run(h):
            for fn in fns:
                h = fn(h)
            return h
        return width, run

    def build(self):
        rng = self.rng
        width = rng.randint(1, 10)
        self.input_width = width
        shape = rng.choice(["straight", "straight", "rows", "sum", "average"])
        foreign = rng.random() < 0.35
        body = []
        if shape == "straight":
            width, fn = self.steps(body, "h", width, rng.randint(1, 5), foreign)
            body.insert(0, "h = x")
            body.append("return h")
            self.reference = fn
        elif shape == "rows":
            bound = rng.choice(["tf.shape(x)[0]", "x.shape[0]", "0, x.shape[0]",
                                "0, tf.shape(x)[0], 1"])
            inner = []
            width, fn = self.steps(inner, "h", width, rng.randint(1, 4), foreign)
            post = []
            width, post_fn = self.steps(post, "y", width, rng.randint(0, 2), False)
            body += ["rows = []", f"for r in range({bound}):",
                     "    h = x[r:r + 1]"]
            body += ["    " + line for line in inner]
            body += ["    rows.append(h)", "y = tf.concat(rows, axis=0)"]
            body += post + ["return y"]
            self.reference = lambda x: post_fn(
                np.concatenate([fn(x[r:r + 1]) for r in range(x.shape[0])]))
        else:
            block = []
            width, fn = self.steps(block, "v", width, rng.randint(1, 4), foreign)
            self.methods.append(["def block(self, v):"] +
                                ["    " + line for line in block] +
                                ["    return v"])
            decay = rng.choice([0.5, 0.9])
            update = ("acc + self.block(x[r:r + 1])" if shape == "sum" else
                      f"acc * {decay} + self.block(x[r:r + 1])")
            body += ["acc = self.block(x[0:1])",
                     "for r in range(1, x.shape[0]):",
                     f"    acc = {update}",
                     "return acc"]

            def reference(x, fn=fn, shape=shape, decay=decay):
                acc = fn(x[0:1])
                for r in range(1, x.shape[0]):
                    acc = acc + fn(x[r:r + 1]) if shape == "sum" else \
                        acc * decay + fn(x[r:r + 1])
                return acc
            self.reference = reference
        self.output_width = width
        method = rng.choice(["call", "predict"])
        self.method = method
        return self.source(body, method)

    def source(self, body, method):
        imports = ["import tensorflow as tf"]
        if self.needs["numpy"]:
            imports.insert(0, "import numpy as np")
        if self.needs["special"]:
            imports.append("from scipy import special")
        if self.needs["signal"]:
            imports.append("from scipy import signal")
        cls = f"Random{self.index}"
        lines = [f"# Random program {self.index} (random_programs.py)."]
        lines += imports + ["", "", f"class {cls}(tf.keras.Model):",
                            "    def __init__(self):",
                            "        super().__init__()"]
        lines += ["        " + line for line in self.init]
        for m in self.methods:
            lines += [""] + ["    " + line for line in m]
        lines += ["", f"    def {method}(self, x):"]
        lines += ["        " + line for line in body]
        call = "model(x)" if method == "call" else "model.predict(x)"
        lines += ["", "", f"model = {cls}()", "", "", "@tf.function",
                  "def entry(x):", f"    return {call}", "", "",
                  f"print(entry(tf.random.normal((3, {self.input_width}))))", ""]
        return "\n".join(lines)


def run_one(args, index):
    rng = random.Random(args.seed * 1_000_003 + index)
    program = Program(rng, index)
    source = program.build()
    work = os.path.join(args.work, f"p{index}")
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, f"random{index}.py")
    with open(path, "w") as f:
        f.write(source)
    np.savez(os.path.join(work, "w.npz"),
             **{k: v.astype(np.float32) for k, v in program.weights.items()})
    batch = rng.randint(1, 9)
    x = np.random.default_rng(rng.randrange(2 ** 32)).standard_normal(
        (batch, program.input_width)).astype(np.float32)
    np.save(os.path.join(work, "x.npy"), x)
    expected = program.reference(x.astype(np.float64))
    mlir = os.path.join(work, "p.mlir")
    out = os.path.join(work, "y.npy")
    run_flags = []
    if program.foreign:
        run_flags.append("--foreign=rewrite")
    if rng.random() < 0.2:
        run_flags.append("--no-batch-loops")
    if rng.random() < 0.15:
        run_flags.append("--no-vectorize")
    commands = [
        [args.predict_import, path, f"--weights={work}/w.npz", "-o", mlir],
        [args.predict_run, mlir, f"--input=@{work}/x.npy", f"--output=@{out}"]
        + run_flags,
    ]
    for command in commands:
        try:
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=300)
        except subprocess.TimeoutExpired:
            return index, "error", work, command, "timed out after 300 s"
        if result.returncode != 0:
            kind = "crash" if result.returncode < 0 else "error"
            return index, kind, work, command, result.stderr.strip()[-2000:]
    actual = np.load(out)
    if actual.shape != expected.shape:
        return (index, "mismatch", work, commands[1],
                f"shape {actual.shape}, reference {expected.shape}")
    if not np.allclose(actual, expected, rtol=2e-4, atol=2e-5):
        err = np.abs(actual - expected)
        at = np.unravel_index(np.argmax(err), err.shape)
        return (index, "mismatch", work, commands[1],
                f"max abs error {err.max():.3g} at {at}: {actual[at]} vs "
                f"{expected[at]}")
    if not args.keep:
        shutil.rmtree(work)
    return index, "match", work, None, ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", default="random-programs")
    parser.add_argument("--keep", action="store_true",
                        help="keep every program, not only failing ones")
    parser.add_argument("--predict-import", default="predict-import")
    parser.add_argument("--predict-run", default="predict-run")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    counts = {"match": 0, "mismatch": 0, "error": 0, "crash": 0}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_one, args, i)
                   for i in range(args.start, args.start + args.count)]
        for future in concurrent.futures.as_completed(futures):
            index, kind, work, command, message = future.result()
            counts[kind] += 1
            if kind != "match":
                print(f"{kind}: program {index} ({work}): "
                      f"{' '.join(command)}\n  {message}", flush=True)
    print(f"{args.count} programs (seed {args.seed}): {counts['match']} match, "
          f"{counts['mismatch']} mismatches, {counts['error']} errors, "
          f"{counts['crash']} crashes")
    sys.exit(0 if counts["match"] == args.count else 1)


if __name__ == "__main__":
    main()
