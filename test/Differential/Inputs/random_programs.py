#!/usr/bin/python3
"""Differential testing: random programs, compiled and run by predict, compared
with numpy/scipy.

Every program is drawn from a seed and belongs to one *kind* (KINDS below):
valid model programs in the style of the seed, and programs made to reach one
kind of fault of issue 14 (sizes known only at run time, computed slice
bounds, number spellings, NaN and Inf, shared Keras layers, zero-size
dimensions, foreign calls with bad arguments). The generator writes the
program and, from the same description, its expected outcome: the arithmetic
again with numpy/scipy in float64, never predict's output. Where numpy or
scipy raises, the expected outcome is an error: exit status 1, a message
`error` naming the program's file and the line numpy raised at (with
`at run time` when only the run-time sizes make it an error), and no output
file.

  random_programs.py --seed S --count N [--kinds K,...] [--xfail-kinds K,...]
                     [--start I] [--jobs J] [--work DIR] [--keep]
                     [--predict-import P] [--predict-run R] [--list-kinds]

Program I of a run has kind KINDS_CYCLE[I % len] (restricted to --kinds) and
is drawn from (seed, kind, I) alone, so `--kinds K --start I --count 1`
reproduces it. Failures are printed on stderr, grouped by kind, each with the
commands that reproduce it (the programs are kept in DIR); a table of the
kinds and a summary line on stdout. Exits 1 on any failure
outside --xfail-kinds (kinds that are known not to pass yet: their failures
are listed, and a kind that passes is reported so that it can be removed).
"""
import argparse
import ast
import concurrent.futures
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys

import numpy as np
from scipy import signal, special

HERE = os.path.dirname(os.path.abspath(__file__))

# The activations' numpy definitions, shared with the executed tests.
sys.path.insert(0, os.path.join(HERE, "..", "..", "Integration", "Inputs"))
from reference import activation  # noqa: E402


def act(kind, h):
    """An activation in float64. Softmax over 0 features is 0 features, as
    Keras gives (scipy's softmax refuses: its max has no identity)."""
    if kind == "softmax" and h.shape[-1] == 0:
        return h.astype(np.float64)
    return activation(kind, h)

KINDS = {
    "base": "valid programs: Dense/BatchNormalization, tf.* ops, constant "
            "matrices, column slices, row loops, running sums, rewritable "
            "numpy/scipy calls",
    "dynamic": "sizes known only at run time that are equal, 1 (numpy "
               "broadcasts) or different (numpy raises): row slices against "
               "the batch, two inputs, matmul K and Dense width of a ?x? "
               "input, lists built in loops, concatenation",
    "slices": "row slices with bounds computed from the batch size, "
              "negative, out of range, huge or empty; shifted rows in loops; "
              "column slices with negative and out-of-range bounds",
    "literals": "number spellings in the source: 1e-5, 2.5e+3, 1E-07, .5, "
                "5., 1_000.5, 0x3, 1e400 (inf), huge integers",
    "nonfinite": "NaN and +-Inf in some weights and inputs (an all-NaN "
                 "kernel before sigmoid/softmax), 1 and 2 threads, "
                 "vectorized or not, batches of full tiles",
    "keras-shared": "Functional .h5 files (Keras 2 and Keras 3 layouts) "
                    "where one layer is called on several tensors; outputs "
                    "named by node index",
    "zero-size": "0-row batches, 0 input features, empty row and column "
                 "slices, Dense on 0 features, matmul over K = 0",
    "foreign-errors": "numpy/scipy calls with arguments numpy/scipy refuse "
                      "(convolve valid where neither operand is larger, "
                      "concatenate of mismatched sizes, bad axis, mode or "
                      "rank) next to valid ones",
    "control-flow": "branches and while loops: `if` decided at import on the "
                    "width, if/elif/else and `a if c else b` on the batch "
                    "size, an early return, an `if` on a row's value in a "
                    "row loop, `while` on the batch size, `while` with "
                    "break and continue, a tf.TensorArray written per row",
}

# Program I's kind: this cycle, restricted to the selected kinds. base is
# drawn twice as often: the valid programs are what users run.
KINDS_CYCLE = ["base", "dynamic", "slices", "literals", "base", "nonfinite",
               "keras-shared", "zero-size", "foreign-errors", "control-flow"]

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

# Binary operations between two tensors whose sizes must agree as numpy's
# broadcasting says.
COMBINE = [
    ("{a} + {b}", np.add), ("{a} - {b}", np.subtract),
    ("{a} * {b}", np.multiply), ("tf.maximum({a}, {b})", np.maximum),
    ("tf.minimum({a}, {b})", np.minimum), ("tf.add({a}, {b})", np.add),
    ("tf.subtract({a}, {b})", np.subtract),
]

# Number spellings (Python source text); the reference takes the value Python
# gives the text. Small: added or as clip bounds; unit: multipliers; large:
# multiplied then divided back; inf: in maximum/minimum.
SMALL = ["1e-5", "1e-05", "1E-5", "1e-07", "2.5e-3", "0.001e-2", "1_0e-6",
         "3.0e-4", "7E-08", ".5e-3", "1e-30"]
UNIT = ["2.5e+0", "25e-1", "0.25E1", ".5", "5.", "1_000.5e-3", "3", "0x3",
        "0b10", "0o7", "1e0", "10e-1", "2_0", "0.125", "1.5E+0", "1.25e-1"]
LARGE = ["2.5e+3", "1e3", "1E+06", "1e20", "99999999999999999999", "4e+9",
         "1_000_000"]
INFINITE = ["1e400", "1e999", "1E+309"]


class ExpectedError(Exception):
    """numpy/scipy raised at the step tagged `tag`: the program must fail."""

    def __init__(self, tag, message):
        super().__init__(message)
        self.tag = tag
        self.message = message


def value_of(text):
    """The value Python gives a number's spelling."""
    return float(ast.literal_eval(text))


def concat_rows(parts, width):
    """tf.concat of a list of rows; an empty list is 0 rows (docs/Loops.md,
    where numpy's np.concatenate([]) would raise)."""
    if not parts:
        return np.zeros((0, width))
    return np.concatenate(parts, axis=0)


class Program:
    """A random Python model program: its source lines and, step by step, its
    reference. Lines that numpy may refuse are tagged (`mark`); the source
    records the line of each tag."""

    def __init__(self, rng, index, kind):
        self.rng = rng
        self.index = index
        self.kind = kind
        self.init = []      # __init__ lines
        self.methods = []   # extra methods (lines)
        self.weights = {}
        self.counter = 0
        self.foreign = False
        self.needs = {"numpy": False, "special": False, "signal": False}
        self.tags = {}      # tag -> (line, run-time: the sizes decide)
        self.units_max = 12
        self.allow_bn = True
        # scipy's direct convolution pads whichever operand it takes as the
        # input with zeros, so an Inf meets 0 where the sum has no such
        # term: with non-finite values its result is not the convolution's.
        self.allow_convolve = True
        self.input_shapes = {}   # entry argument -> declared shape, e.g. "?x?"
        self.entry_args = ["x"]
        self.entry_body = None
        self.examples = None
        self.note = ""

    def name(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def mark(self, line, runtime):
        """`line` tagged: numpy may raise there; `runtime` says whether only
        the run-time sizes decide it (then the error says "at run time")."""
        tag = f"T{len(self.tags)}"
        self.tags[tag] = [None, runtime]
        return f"{line}  #@{tag}", tag

    @staticmethod
    def guard(tag, fn):
        """fn, with numpy's refusal (ValueError, IndexError; AxisError is
        both) turned into the expected error at `tag`."""
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except (ValueError, IndexError) as e:
                raise ExpectedError(tag, str(e).splitlines()[0])
        return run

    def input(self, shape):
        """An input of the entry function: random normal, float32."""
        return np.random.default_rng(self.rng.randrange(2 ** 32)).standard_normal(
            shape).astype(np.float32)

    def rng_array(self, shape):
        seed = self.rng.randrange(2 ** 32)
        return np.random.default_rng(seed).standard_normal(shape)

    # A step appends source lines to `lines` for the value `var` of `width`
    # columns and returns (new width, numpy function of the value).
    def dense(self, lines, var, width):
        units = self.rng.randint(1, self.units_max)
        activation = self.rng.choice(DENSE_ACTIVATIONS)
        name = self.name("dense")
        arg = "" if activation is None else f', activation="{activation}"'
        if activation is not None and self.rng.random() < 0.3:
            arg = f', "{activation}"'
        self.init.append(f"self.{name} = tf.keras.layers.Dense({units}{arg})")
        k = self.rng_array((width, units)) / np.sqrt(max(width, 1))
        b = self.rng_array((units,)) * 0.3
        self.weights[f"{name}/kernel"] = k
        self.weights[f"{name}/bias"] = b
        lines.append(f"{var} = self.{name}({var})")
        kind = activation or "linear"
        return units, lambda h: act(kind, h @ k + b)

    def batch_norm(self, lines, var, width, epsilon=None):
        if not self.allow_bn:
            return self.elementwise(lines, var, width)
        name = self.name("norm")
        if epsilon is None:
            epsilon = self.rng.choice(["0.001", "0.01", "0.5"])
        eps = value_of(epsilon)
        center, scale = self.rng.random() < 0.8, self.rng.random() < 0.8
        args = [f"epsilon={epsilon}"]
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

    def matrix(self, lines, var, width, spell=None):
        if width == 0:
            return self.elementwise(lines, var, width)
        cols = self.rng.randint(1, 6)
        name = self.name("m")
        m = np.round(self.rng_array((width, cols)), 3)
        spell = spell or (lambda v: repr(float(v)))
        texts = [[spell(v) for v in row] for row in m]
        m = np.array([[value_of(t) for t in row] for row in texts])
        literal = "[" + ", ".join("[" + ", ".join(row) + "]" for row in texts) + "]"
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
        if self.rng.random() < 0.3 and self.allow_convolve:
            return self.convolve(lines, var, width)
        return self.foreign_elementwise(lines, var, width)

    def foreign_elementwise(self, lines, var, width):
        self.foreign = True
        text, fn = self.rng.choice(FOREIGN)
        self.needs["numpy" if text.startswith("np.") else "special"] = True
        lines.append(f"{var} = " + text.format(h=var))
        return width, fn

    def convolve(self, lines, var, width, modes=("full", "same", "valid")):
        self.needs["signal"] = True
        self.foreign = True
        size = self.rng.randint(1, 3)
        mode = self.rng.choice(modes)
        if mode == "valid" and size > width:
            mode = "same"
        function = self.rng.choice(["convolve", "correlate"])
        name = self.name("k")
        k = np.round(self.rng_array((1, size)), 3)
        self.init.append("self.%s = tf.constant([[%s]])" % (
            name, ", ".join(repr(float(v)) for v in k[0])))
        # Tagged: with 0 rows, "valid" mode has neither operand at least
        # as large as the other (unless the widths are equal): scipy raises.
        line, tag = self.mark(
            f'{var} = signal.{function}({var}, self.{name}, mode="{mode}")', True)
        lines.append(line)
        out = {"full": width + size - 1, "same": width, "valid": width - size + 1}[mode]
        reference = getattr(signal, function)
        return out, self.guard(tag, lambda h: reference(h, k, mode=mode,
                                                        method="direct"))

    def steps(self, lines, var, width, count, allow_foreign, extra=()):
        fns = []
        for _ in range(count):
            choices = [self.dense] * 4 + [self.batch_norm, self.matrix,
                                          self.columns] + [self.elementwise] * 3
            if allow_foreign:
                choices += [self.foreign_call] * 2
            choices += list(extra)
            if width == 0:   # valid on 0 features: Dense (the bias), elementwise
                choices = [self.dense, self.elementwise, self.batch_norm]
            width, fn = self.rng.choice(choices)(lines, var, width)
            fns.append(fn)

        def run(h):
            for fn in fns:
                h = fn(h)
            return h
        return width, run

    def build_base(self, width=None, steps=None, shapes=None, extra=()):
        """The valid programs: a straight chain, a row loop, a running sum or
        a moving average over the rows. Returns the output width."""
        rng = self.rng
        width = rng.randint(1, 10) if width is None else width
        self.input_width = width
        shape = rng.choice(shapes or ["straight", "straight", "rows", "sum",
                                      "average"])
        foreign = rng.random() < 0.35
        count = steps or (lambda lo, hi: rng.randint(lo, hi))
        body = []
        if shape == "straight":
            width, fn = self.steps(body, "h", width, count(1, 5), foreign, extra)
            body.insert(0, "h = x")
            body.append("return h")
            self.reference = fn
        elif shape == "rows":
            bound = rng.choice(["tf.shape(x)[0]", "x.shape[0]", "0, x.shape[0]",
                                "0, tf.shape(x)[0], 1"])
            inner = []
            inner_width, fn = self.steps(inner, "h", width, count(1, 4), foreign,
                                         extra)
            post = []
            width, post_fn = self.steps(post, "y", inner_width, count(0, 2),
                                        False, extra)
            body += ["rows = []", f"for r in range({bound}):",
                     "    h = x[r:r + 1]"]
            body += ["    " + line for line in inner]
            body += ["    rows.append(h)", "y = tf.concat(rows, axis=0)"]
            body += post + ["return y"]
            self.reference = lambda x: post_fn(concat_rows(
                [fn(x[r:r + 1]) for r in range(x.shape[0])], inner_width))
        else:
            block = []
            width, fn = self.steps(block, "v", width, count(1, 4), foreign, extra)
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
        self.shape = shape
        self.body = body
        self.output_width = width
        return width

    def source(self):
        """The program's text; fills in each tag's line."""
        imports = ["import tensorflow as tf"]
        if self.needs["numpy"]:
            imports.insert(0, "import numpy as np")
        if self.needs["special"]:
            imports.append("from scipy import special")
        if self.needs["signal"]:
            imports.append("from scipy import signal")
        method = self.method
        cls = f"Random{self.index}"
        lines = [f"# Random program {self.index}, kind {self.kind} "
                 "(random_programs.py)."]
        lines += imports + ["", "", f"class {cls}(tf.keras.Model):",
                            "    def __init__(self):",
                            "        super().__init__()"]
        lines += ["        " + line for line in self.init]
        for m in self.methods:
            lines += [""] + ["    " + line for line in m]
        lines += ["", f"    def {method}(self, x):"]
        lines += ["        " + line for line in self.body]
        call = "model(x)" if method == "call" else "model.predict(x)"
        entry = self.entry_body or [f"return {call}"]
        examples = self.examples or [(3, self.input_width)]
        lines += ["", "", f"model = {cls}()", "", "", "@tf.function",
                  f"def entry({', '.join(self.entry_args)}):"]
        lines += ["    " + line.replace("{call}", call) for line in entry]
        lines += ["", "", "print(entry(%s))" % ", ".join(
            f"tf.random.normal({tuple(s)})" for s in examples), ""]
        text = []
        for number, line in enumerate(lines, 1):
            m = re.search(r"  #@(T\d+)$", line)
            if m:
                self.tags[m.group(1)][0] = number
                line = line[:m.start()]
            text.append(line)
        return "\n".join(text)


# ---------------------------------------------------------------------------
# Bounds of slices: Python integer expressions of the batch size n, as
# (source with {n}, value for n).

def bound_expr(rng, huge=True):
    c = rng.randint(1, 5)
    forms = [(str(c), lambda n: c), (f"-{c}", lambda n: -c),
             ("0", lambda n: 0), ("{n}", lambda n: n),
             (f"{{n}} - {c}", lambda n: n - c), (f"{{n}} + {c}", lambda n: n + c),
             (f"{c} - {{n}}", lambda n: c - n), ("-{n}", lambda n: -n),
             ("2 * {n}", lambda n: 2 * n), ("{n} * 2 - 1", lambda n: n * 2 - 1)]
    if huge and rng.random() < 0.08:   # beyond 64 bits: Python clamps
        big = rng.choice([99999999999999999999999, 2 ** 63, 2 ** 64 + 1])
        return rng.choice([(str(big), lambda n: big), (f"-{big}", lambda n: -big)])
    return rng.choice(forms)


def n_spelling(rng, body, var="x"):
    """How the program names the batch size: x.shape[0], tf.shape(x)[0] or
    a variable assigned once."""
    choice = rng.choice(["shape", "tfshape", "var"])
    if choice == "var":
        if "n = x.shape[0]" not in body:
            body.insert(0, "n = x.shape[0]")
        return "n"
    return f"{var}.shape[0]" if choice == "shape" else f"tf.shape({var})[0]"


# Row slices against the batch: (source with {n}, rows as slice of n).
ROW_SLICES = [
    ("1:", lambda n: slice(1, None)), (":-1", lambda n: slice(None, -1)),
    (":1", lambda n: slice(None, 1)), ("-1:", lambda n: slice(-1, None)),
    ("{n} - 1:", lambda n: slice(n - 1, None)), ("0:{n}", lambda n: slice(0, n)),
    ("2:", lambda n: slice(2, None)), ("-2:", lambda n: slice(-2, None)),
    ("0:1", lambda n: slice(0, 1)), ("1:2", lambda n: slice(1, 2)),
    ("2:3", lambda n: slice(2, 3)), (":{n} - 1", lambda n: slice(None, n - 1)),
    ("1:1 + 1", lambda n: slice(1, 2)), ("3:3 + 1", lambda n: slice(3, 4)),
    ("-1:-1 + 1", lambda n: slice(-1, 0)), ("{n}:{n} + 1", lambda n: slice(n, n + 1)),
    ("1:{n} - 1", lambda n: slice(1, n - 1)),
]


def small_batch(rng):
    return rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 9])


# ---------------------------------------------------------------------------
# Kinds of Python programs. Each returns the program and the inputs (numpy
# arrays, float32) in the entry's argument order.

def gen_base(p):
    p.build_base()
    return [p.input((p.rng.randint(1, 9), p.input_width))]


def gen_dynamic(p):
    rng = p.rng
    variant = rng.choice(["rowslice", "rowslice", "twoinputs", "twoinputs",
                          "matmul", "dense", "looplist", "concat"])
    p.note = variant
    n = small_batch(rng)
    body = ["h = x"]
    if variant in ("rowslice", "looplist", "concat"):
        width = rng.randint(1, 8)
        p.input_width = width
        width, pre = p.steps(body, "h", width, rng.randint(0, 2), False)
        nn = n_spelling(rng, body)
        text, combine = rng.choice(COMBINE)
        if variant == "looplist":
            start = rng.choice([0, 1, 2])
            stop_text, stop = rng.choice([("{n}", lambda m: m),
                                          ("{n} - 1", lambda m: m - 1)])
            step = rng.choice([None, 1, 2])
            args = [str(start), stop_text.format(n=nn)] + \
                ([str(step)] if step else [])
            scale = rng.choice(["", " * 2.0"])
            body += ["rest = []", f"for r in range({', '.join(args)}):",
                     f"    rest.append(h[r:r + 1]{scale})",
                     "t = tf.concat(rest, axis=0)"]
            factor = 2.0 if scale else 1.0

            def make_t(h, start=start, stop=stop, step=step or 1, w=width,
                       factor=factor):
                return concat_rows([h[r:r + 1] * factor for r in
                                    range(start, stop(h.shape[0]), step)], w)
        else:
            stext, sl = rng.choice(ROW_SLICES)
            body.append(f"t = h[{stext.format(n=nn)}]")
            make_t = lambda h, sl=sl: h[sl(h.shape[0])]
        if variant == "concat":
            # A list written in the call: numpy's concatenate (a list in
            # converted code is only the loop pattern of docs/Loops.md).
            axis = rng.choice([0, 1, 1])
            p.foreign = p.needs["numpy"] = True
            a, b = ("h", "t") if rng.random() < 0.6 else ("t", "h")
            line, tag = p.mark(f"h = np.concatenate([{a}, {b}], axis={axis})", True)
            if a == "t":
                fn = p.guard(tag, lambda u, v, axis=axis: np.concatenate(
                    [v, u], axis=axis))
            else:
                fn = p.guard(tag, lambda u, v, axis=axis: np.concatenate(
                    [u, v], axis=axis))
            width = width * 2 if axis == 1 else width
        else:
            a, b = ("h", "t") if rng.random() < 0.6 else ("t", "h")
            line, tag = p.mark("h = " + text.format(a=a, b=b), True)
            fn = p.guard(tag, combine if a == "h" else
                         (lambda u, v, c=combine: c(v, u)))
        body.append(line)
        width, post = p.steps(body, "h", width, rng.randint(0, 2), False)
        body.append("return h")
        p.reference = lambda x: post(fn(pre(x), make_t(pre(x))))
        p.body = body
        return [p.input((n, p.input_width))]

    if variant in ("matmul", "dense"):
        k = rng.randint(1, 6)
        actual = rng.choice([k, k, 1, k + 1, max(k - 1, 1), 2 * k])
        p.input_width = k
        p.input_shapes["x"] = "?x?"
        if variant == "matmul":
            lines = []
            width, fn = p.matrix(lines, "h", k)
        else:
            lines = []
            width, fn = p.dense(lines, "h", k)
        line, tag = p.mark(lines[0], True)
        body.append(line)
        first = p.guard(tag, fn)
        width, post = p.steps(body, "h", width, rng.randint(0, 3), False)
        body.append("return h")
        p.reference = lambda x: post(first(x))
        p.body = body
        p.note += f" (kernel rows {k}, input width {actual})"
        return [p.input((n, actual))]

    # twoinputs: entry(x, y) combines model(x) with y, whose sizes are
    # declared dynamic and are equal, 1 or different at run time.
    width = rng.randint(1, 6)
    p.input_width = width
    p.allow_bn = False
    out, model_fn = p.steps(body, "h", width, rng.randint(1, 3), False)
    body.append("return h")
    p.body = body
    y_rows = rng.choice(["?", "?", "1"])
    y_width = rng.choice(["?", "?", "?", "static"])
    wy = rng.choice([out, out, 1, out + 1, 2 * out, max(out - 1, 0)])
    p.input_shapes["x"] = f"?x{width}"
    p.input_shapes["y"] = f"{y_rows}x" + ("?" if y_width == "?" else str(wy))
    p.entry_args = ["x", "y"]
    text, combine = rng.choice(COMBINE)
    a, b = ("h", "y") if rng.random() < 0.6 else ("y", "h")
    line, tag = p.mark("h = " + text.format(a=a, b=b), y_width == "?")
    fn = p.guard(tag, combine if a == "h" else (lambda u, v, c=combine: c(v, u)))
    post_lines, fns = [], []
    for _ in range(rng.randint(0, 2)):   # no layers outside the model
        fns.append(p.elementwise(post_lines, "h", out)[1])

    def post(h):
        for f in fns:
            h = f(h)
        return h
    p.entry_body = ["h = {call}", line] + post_lines + ["return h"]
    p.examples = [(3, width), (3 if y_rows == "?" else 1, wy if wy else 1)]
    p.reference = lambda x, y: post(fn(model_fn(x), y))
    p.note += f" (y {y_rows}x{wy} against {out} columns)"
    return [p.input((n, width)), p.input((n if y_rows == "?" else 1, wy))]


def gen_slices(p):
    rng = p.rng
    width = rng.randint(1, 8)
    p.input_width = width
    n = rng.choice([1, 2, 3, 4, 5, 7, 9])
    body = ["h = x"]
    width, pre = p.steps(body, "h", width, rng.randint(0, 1), False)
    nn = n_spelling(rng, body)
    if rng.random() < 0.4:
        # Shifted rows in a loop: h[r + d:r + d + 1] is empty once past
        # either end (a negative start counts from the end).
        lo_text, lo = bound_expr(rng, huge=False)
        hi_text, hi = bound_expr(rng, huge=False)
        d = rng.randint(-3, 3)
        at = "r" if d == 0 else (f"r + {d}" if d > 0 else f"r - {-d}")
        body += ["rows = []",
                 f"for r in range({lo_text.format(n=nn)}, {hi_text.format(n=nn)}):",
                 f"    rows.append(h[{at}:{at} + 1])",
                 "h = tf.concat(rows, axis=0)"]
        p.note = (f"rows h[{at}:{at} + 1] for r in range("
                  f"{lo_text.format(n='n')}, {hi_text.format(n='n')})")

        def cut(h, lo=lo, hi=hi, d=d, w=width):
            m = h.shape[0]
            return concat_rows([h[r + d:r + d + 1] for r in range(lo(m), hi(m))], w)
    else:
        lo_text, lo = bound_expr(rng) if rng.random() < 0.85 else ("", None)
        hi_text, hi = bound_expr(rng) if rng.random() < 0.85 else ("", None)
        if lo is None and hi is None:   # h[:] slices no axis
            lo_text, lo = "0", (lambda n: 0)
        body.append(f"h = h[{lo_text.format(n=nn)}:{hi_text.format(n=nn)}]")
        p.note = f"h[{lo_text.format(n='n')}:{hi_text.format(n='n')}]"

        def cut(h, lo=lo, hi=hi):
            m = h.shape[0]
            return h[(lo(m) if lo else None):(hi(m) if hi else None)]
    width, mid = p.steps(body, "h", width, rng.randint(0, 2), False)
    column = None
    if rng.random() < 0.5:
        def cbound():
            if rng.random() < 0.08:
                return rng.choice([99999999999999999999, -99999999999999999999])
            return rng.choice([rng.randint(-width - 2, width + 2), None])
        a, b = cbound(), cbound()
        if a is None and b is None:   # h[:, :] slices no axis
            b = width
        text = f"h = h[:, {'' if a is None else a}:{'' if b is None else b}]"
        body.append(text)
        p.note += "; " + text[4:]
        column = slice(a, b)
        width = len(range(width)[column])
    width, post = p.steps(body, "h", width, rng.randint(0, 2), False)
    body.append("return h")
    p.body = body

    def reference(x):
        h = mid(cut(pre(x)))
        if column is not None:
            h = h[:, column]
        return post(h)
    p.reference = reference
    return [p.input((n, p.input_width))]


def spell_matrix_entry(rng):
    def spell(v):
        v = float(v)
        if v == 0:
            return "0."
        e = rng.choice([-2, -1, 0, 1, 2])
        mant = v / 10.0 ** e
        form = rng.choice(["{m}e{e}", "{m}E{e:+d}", "{m}e{e:03d}"])
        return form.format(m=f"{mant:.7f}".rstrip("0"), e=e)
    return spell


def literal_step(p, lines, var, width):
    rng = p.rng
    form = rng.choice(["add", "scale", "rescale", "max", "min", "ratio", "clip",
                       "pow", "neg"])
    if form == "add":
        s = rng.choice(SMALL)
        sign = rng.choice(["+", "-"])
        lines.append(f"{var} = {var} {sign} {s}")
        v = value_of(s) * (1 if sign == "+" else -1)
        return width, lambda h: h + v
    if form == "scale":
        s = rng.choice(UNIT)
        if rng.random() < 0.5:
            lines.append(f"{var} = {var} * {s}")
        else:
            lines.append(f"{var} = {s} * {var}")
        return width, lambda h: h * value_of(s)
    if form == "rescale":
        s = rng.choice(LARGE)
        lines.append(f"{var} = {var} * {s} / {s}")
        return width, lambda h: h * value_of(s) / value_of(s)
    if form in ("max", "min"):
        pool = rng.choice([SMALL, UNIT, LARGE, INFINITE])
        s = rng.choice(pool)
        # Large and infinite bounds on the side that leaves h as it is (a
        # float32 value of 1e20 squared later would overflow where numpy's
        # float64 does not); small and unit bounds of either sign.
        if pool is INFINITE or pool is LARGE:
            s = s if form == "min" else "-" + s
        elif rng.random() < 0.5:
            s = "-" + s
        fn = np.maximum if form == "max" else np.minimum
        lines.append(f"{var} = tf.{'maximum' if fn is np.maximum else 'minimum'}"
                     f"({var}, {s})")
        v = float(ast.literal_eval(s))
        return width, lambda h: fn(h, v)
    if form == "ratio":
        s = rng.choice(SMALL[:-1] + UNIT + LARGE)
        lines.append(f"{var} = {var} / (tf.abs({var}) + {s})")
        return width, lambda h: h / (np.abs(h) + value_of(s))
    if form == "clip":
        p.foreign = True
        p.needs["numpy"] = True
        lo, hi = rng.choice(SMALL + UNIT), rng.choice(SMALL + UNIT + LARGE)
        lo = "-" + lo if rng.random() < 0.6 else lo
        if rng.random() < 0.5:
            lines.append(f"{var} = np.clip({var}, {lo}, {hi})")
        else:
            lines.append(f"{var} = np.clip({var}, a_min={lo}, a_max={hi})")
        a, b = float(ast.literal_eval(lo)), value_of(hi)
        return width, lambda h: np.clip(h, a, b)   # a > b: numpy gives b
    if form == "pow":
        s = rng.choice(["2", "2.0", "2.", "0x2", "2e0", "20e-1"])
        lines.append(f"{var} = {var} ** {s}")
        return width, lambda h: h ** value_of(s)
    s = rng.choice(UNIT)
    lines.append(f"{var} = {var} * -{s}")
    return width, lambda h: h * -value_of(s)


def gen_literals(p):
    rng = p.rng
    spell = spell_matrix_entry(rng)

    def literals(lines, var, width):
        return literal_step(p, lines, var, width)

    def norm(lines, var, width):
        return p.batch_norm(lines, var, width, epsilon=rng.choice(
            ["1e-5", "1e-05", "1E-3", "5e-1", "0.1e-2", "1e-07", "1_0e-4"]))

    def matrix(lines, var, width):
        return p.matrix(lines, var, width, spell=spell)
    p.build_base(extra=[literals] * 8 + [norm, matrix])
    return [p.input((rng.randint(1, 9), p.input_width))]


def gen_nonfinite(p):
    rng = p.rng
    p.allow_convolve = False
    wide = rng.random() < 0.25
    if wide:   # full 8-row tiles, and a million flops for 2 threads to fork
        p.units_max = 128
    p.build_base(width=rng.randint(32, 96) if wide else None)
    batch = rng.choice([40, 64, 96]) if wide else rng.choice([1, 2, 3, 5, 8, 9, 17])
    x = p.input((batch, p.input_width))
    special_values = [np.nan, np.inf, -np.inf]
    what = []
    # Weights: Dense kernels and biases get NaN or +-Inf entries (sometimes
    # a whole NaN kernel); BatchNormalization's only NaN (with Inf its
    # folded and unfolded forms differ, and Keras folds).
    for key, w in sorted(p.weights.items()):
        if rng.random() < 0.5:
            continue
        dense = key.endswith("/kernel") or key.endswith("/bias")
        values = special_values if dense else [np.nan]
        flat = w.reshape(-1)
        if flat.size == 0:
            continue
        if dense and key.endswith("/kernel") and rng.random() < 0.2:
            flat[:] = np.nan
            what.append(f"{key} all NaN")
            continue
        for _ in range(rng.randint(1, 3)):
            flat[rng.randrange(flat.size)] = rng.choice(values)
        what.append(key)
    if rng.random() < 0.6 or not what:
        flat = x.reshape(-1)
        if rng.random() < 0.2:
            x[rng.randrange(batch), :] = rng.choice(special_values)
        for _ in range(rng.randint(1, 4)):
            flat[rng.randrange(flat.size)] = rng.choice(special_values)
        what.append("input")
    p.note = "non-finite " + ", ".join(what)
    p.run_flags.append(rng.choice(["--threads=1", "--threads=2", "--threads=2"]))
    return [x]


def gen_zero_size(p):
    rng = p.rng
    variant = rng.choice(["batch0", "batch0", "features0", "emptycolumns",
                          "emptyrows", "matmulk0"])
    p.note = variant
    if variant == "batch0":
        p.build_base()
        return [p.input((0, p.input_width))]
    n = rng.randint(0, 5)
    if variant == "features0":
        p.build_base(width=0, shapes=["straight", "rows"])
        return [p.input((n, 0))]
    width = rng.randint(1, 6)
    p.input_width = width
    body = ["h = x"]
    width, pre = p.steps(body, "h", width, rng.randint(0, 2), False)
    if variant == "emptycolumns":
        a = rng.randint(0, width + 2)
        b = rng.randint(-width - 1, a)
        body.append(f"h = h[:, {a}:{b}]")
        cut = lambda h, a=a, b=b: h[:, a:b]
        width = len(range(width)[a:b])
    elif variant == "emptyrows":
        nn = n_spelling(rng, body)
        text, sl = rng.choice([("{n}:", lambda m: slice(m, None)),
                               ("3:1", lambda m: slice(3, 1)),
                               ("{n} + 1:", lambda m: slice(m + 1, None)),
                               (":-{n}", lambda m: slice(None, -m)),
                               ("1:1", lambda m: slice(1, 1))])
        body.append(f"h = h[{text.format(n=nn)}]")
        cut = lambda h, sl=sl: h[sl(h.shape[0])]
    else:   # matmul over K = 0: h[:, a:a] @ self.m[0:0]
        a = rng.randint(0, width)
        cols = rng.randint(1, 5)
        name = p.name("m")
        m = np.round(p.rng_array((2, cols)), 3)
        p.init.append("self.%s = tf.constant([%s])" % (name, ", ".join(
            "[" + ", ".join(repr(float(v)) for v in row) + "]" for row in m)))
        body.append(f"h = h[:, {a}:{a}] @ self.{name}[0:0]")
        cut = lambda h, a=a, m=m: h[:, a:a] @ m[0:0]
        width = cols
    width, post = p.steps(body, "h", width, rng.randint(1, 3), False)
    body.append("return h")
    p.body = body
    p.reference = lambda x: post(cut(pre(x)))
    return [p.input((n, p.input_width))]


def gen_foreign_errors(p):
    rng = p.rng
    width = rng.randint(1, 7)
    p.input_width = width
    p.foreign = True
    n = small_batch(rng)
    body = ["h = x"]
    width, pre = p.steps(body, "h", width, rng.randint(0, 2), True)
    variant = rng.choice(["convolve", "convolve", "concat_rows",
                          "concat_columns", "maximum_columns", "maximum_rows",
                          "softmax_axis", "rank", "mode", "matmul", "clip"])
    p.note = variant
    k = None
    if variant == "convolve":
        # valid mode: scipy needs one operand at least as large as the
        # other in every dimension; the rows are the batch's.
        p.needs["signal"] = True
        kr, kc = rng.randint(1, 3), rng.randint(1, width + 2)
        function = rng.choice(["convolve", "correlate"])
        name = p.name("k")
        k = np.round(p.rng_array((kr, kc)), 3)
        p.init.append("self.%s = tf.constant([%s])" % (name, ", ".join(
            "[" + ", ".join(repr(float(v)) for v in row) + "]" for row in k)))
        line, tag = p.mark(f'h = signal.{function}(h, self.{name}, mode="valid")',
                           True)
        reference = getattr(signal, function)
        fn = p.guard(tag, lambda h, k=k, f=reference: f(h, k, mode="valid",
                                                          method="direct"))
        width = abs(width - kc) + 1
        p.note += f" ({kr}x{kc} kernel on {n} rows)"
    elif variant in ("concat_rows", "maximum_rows"):
        p.needs["numpy"] = True
        nn = n_spelling(rng, body)
        stext, sl = rng.choice(ROW_SLICES)
        body.append(f"t = h[{stext.format(n=nn)}]")
        if variant == "concat_rows":
            line, tag = p.mark("h = np.concatenate([h, t], axis=1)", True)
            fn = p.guard(tag, lambda h, sl=sl: np.concatenate(
                [h, h[sl(h.shape[0])]], axis=1))
            width *= 2
        else:
            line, tag = p.mark("h = np.maximum(h, t)", True)
            fn = p.guard(tag, lambda h, sl=sl: np.maximum(h, h[sl(h.shape[0])]))
    elif variant in ("concat_columns", "maximum_columns"):
        p.needs["numpy"] = True
        a = rng.randint(0, width)
        b = rng.randint(a, width)
        if variant == "concat_columns":
            axis = rng.choice([0, 1])
            line, tag = p.mark(f"h = np.concatenate([h, h[:, {a}:{b}]], axis={axis})",
                               False)
            fn = p.guard(tag, lambda h, a=a, b=b, axis=axis: np.concatenate(
                [h, h[:, a:b]], axis=axis))
            width = width + b - a if axis == 1 else width
        else:
            line, tag = p.mark(f"h = np.maximum(h, h[:, {a}:{b}])", False)
            fn = p.guard(tag, lambda h, a=a, b=b: np.maximum(h, h[:, a:b]))
            try:
                width = np.broadcast_shapes((1, width), (1, b - a))[1]
            except ValueError:
                pass   # numpy raises: nothing follows
    elif variant == "softmax_axis":
        p.needs["special"] = True
        axis = rng.choice([0, 1, -1, -2, 2, -3])
        line, tag = p.mark(f"h = special.softmax(h, axis={axis})", False)
        fn = p.guard(tag, lambda h, axis=axis: special.softmax(h, axis=axis))
    elif variant == "rank":
        p.needs["signal"] = True
        name = p.name("k")
        size = rng.randint(1, 3)
        k = np.round(p.rng_array((size,)), 3)
        p.init.append("self.%s = tf.constant([%s])" % (
            name, ", ".join(repr(float(v)) for v in k)))
        line, tag = p.mark(f"h = signal.convolve(h, self.{name})", False)
        fn = p.guard(tag, lambda h, k=k: signal.convolve(h, k, method="direct"))
    elif variant == "mode":
        p.needs["signal"] = True
        name = p.name("k")
        k = np.round(p.rng_array((1, 2)), 3)
        p.init.append("self.%s = tf.constant([[%s]])" % (
            name, ", ".join(repr(float(v)) for v in k[0])))
        mode = rng.choice(["middle", "Valid", "fill"])
        line, tag = p.mark(f'h = signal.correlate(h, self.{name}, mode="{mode}")',
                           False)
        fn = p.guard(tag, lambda h, k=k, mode=mode: signal.correlate(
            h, k, mode=mode, method="direct"))
    elif variant == "matmul":
        p.needs["numpy"] = True
        rows = rng.choice([width, width + 1, max(width - 1, 1)])
        cols = rng.randint(1, 4)
        name = p.name("m")
        m = np.round(p.rng_array((rows, cols)), 3)
        p.init.append("self.%s = tf.constant([%s])" % (name, ", ".join(
            "[" + ", ".join(repr(float(v)) for v in row) + "]" for row in m)))
        call = rng.choice(["np.matmul", "np.dot"])
        line, tag = p.mark(f"h = {call}(h, self.{name})", False)
        fn = p.guard(tag, lambda h, m=m: h @ m)
        width = cols
    else:   # clip with a_min > a_max: numpy gives a_max everywhere
        p.needs["numpy"] = True
        lo, hi = rng.choice([(0.75, 0.25), (1.0, -1.0), (0.5, 0.5), (-0.5, 0.5)])
        line, tag = p.mark(f"h = np.clip(h, {lo}, {hi})", False)
        fn = p.guard(tag, lambda h, lo=lo, hi=hi: np.clip(h, lo, hi))
    body.append(line)
    # After the call, steps that need no width: a Dense layer after a call
    # numpy refuses would fail first, for want of the call's width.
    fns = []
    for _ in range(rng.randint(0, 2)):
        fns.append(rng.choice([p.elementwise, p.foreign_elementwise])(
            body, "h", width)[1])

    def post(h):
        for f in fns:
            h = f(h)
        return h
    body.append("return h")
    p.body = body
    p.reference = lambda x: post(fn(pre(x)))
    return [p.input((n, p.input_width))]


# Steps that stay bounded when repeated (a while loop runs them n times).
BOUNDED = [(t, f) for t, f in ELEMENTWISE if t in (
    "tf.tanh({h})", "tf.sigmoid({h})", "{h} * 0.5 + 0.25", "tf.nn.relu({h})",
    "{h} / (tf.abs({h}) + 1.0)", "tf.minimum({h}, -0.2)", "tf.abs({h})",
    "tf.nn.elu({h})")]

COMPARE = [("<", lambda a, b: a < b), ("<=", lambda a, b: a <= b),
           (">", lambda a, b: a > b), (">=", lambda a, b: a >= b),
           ("==", lambda a, b: a == b), ("!=", lambda a, b: a != b)]


def gen_control(p):
    """Branches and while loops (docs/PythonSource.md, Control flow): an
    `if` decided at import on the input's width, `if`/`elif`/`else` and
    `a if c else b` on the batch size (run time), an early `return`, an
    `if` on a row's value in a row loop, `while` on the batch size, and
    `while` with `break` and `continue`. Each part is drawn or not; the
    reference runs the same branches in numpy."""
    rng = p.rng
    width = rng.randint(1, 8)
    p.input_width = width
    n_rows = rng.choice([0, 1, 2, 3, 4, 7])
    body = ["h = x"]
    parts = []   # numpy functions of (h, x), in order

    def elem(pool=ELEMENTWISE):
        text, fn = rng.choice(pool)
        return text.format(h="h"), fn

    def size(spell=None):
        return spell or n_spelling(rng, body)

    # 1. Decided at import, on the width: only the chosen arm converts, so
    #    it may change the width (a Dense), the other arm may not.
    if rng.random() < 0.5:
        op, cmp = rng.choice(COMPARE)
        c = rng.randint(0, 9)
        taken = cmp(width, c)
        lines = []
        new_width, fn = p.steps(lines, "h", width, rng.randint(1, 2), False)
        other, other_fn = elem()
        body.append(f"if x.shape[1] {op} {c}:")
        if taken:
            body += ["    " + l for l in lines] + ["else:", f"    h = {other}"]
            width = new_width
            parts.append(lambda h, x, fn=fn: fn(h))
        else:
            body += [f"    h = {other}", "else:"] + ["    " + l for l in lines]
            width = new_width
            parts.append(lambda h, x, fn=fn: fn(h))
    # 2. On the batch size, at run time: if / elif / else or a ternary.
    if rng.random() < 0.7:
        n = size()
        (op1, cmp1), (op2, cmp2) = rng.choice(COMPARE), rng.choice(COMPARE)
        c1, c2 = rng.randint(0, 4), rng.randint(0, 4)
        (ta, fa), (tb, fb), (tc, fc) = elem(), elem(), elem()
        if rng.random() < 0.5:
            body += [f"if {n} {op1} {c1}:", f"    h = {ta}",
                     f"elif {n} {op2} {c2}:", f"    h = {tb}",
                     "else:", f"    h = {tc}"]
            parts.append(lambda h, x, fa=fa, fb=fb, fc=fc, cmp1=cmp1,
                         cmp2=cmp2, c1=c1, c2=c2:
                         fa(h) if cmp1(x.shape[0], c1) else
                         fb(h) if cmp2(x.shape[0], c2) else fc(h))
        else:
            body.append(f"h = {ta} if {n} {op1} {c1} else {tb}")
            parts.append(lambda h, x, fa=fa, fb=fb, cmp1=cmp1, c1=c1:
                         fa(h) if cmp1(x.shape[0], c1) else fb(h))
    # 3. An `if` on a row's value in a row loop (not batched).
    if rng.random() < 0.5 and width > 0:
        j = rng.randrange(width)
        t = round(rng.uniform(-0.5, 0.5), 2)
        op, cmp = rng.choice(COMPARE[:4])
        (ta, fa), (tb, fb) = rng.choice(ELEMENTWISE), rng.choice(ELEMENTWISE)
        body += ["rows = []", "for r in range(x.shape[0]):",
                 "    g = h[r:r + 1]",
                 f"    if g[:, {j}:{j + 1}] {op} {t}:",
                 "        g = " + ta.format(h="g"),
                 "    else:",
                 "        g = " + tb.format(h="g"),
                 "    rows.append(g)", "h = tf.concat(rows, axis=0)"]

        def rowwise(h, x, j=j, t=t, cmp=cmp, fa=fa, fb=fb):
            out = [fa(h[r:r + 1]) if cmp(h[r, j], t) else fb(h[r:r + 1])
                   for r in range(h.shape[0])]
            return concat_rows(out, h.shape[1])
        parts.append(rowwise)
    # 3b. A tf.TensorArray written once per row (element r in iteration
    #     r), joined with concat() or stack() (docs/PythonSource.md,
    #     TensorArray).
    if rng.random() < 0.4:
        n = size()
        text, fn = rng.choice(ELEMENTWISE)  # {h} filled in per row below
        if rng.random() < 0.5:
            body += ["ta = tf.TensorArray(tf.float32, size=0, "
                     "dynamic_size=True)",
                     f"for r in range({n}):",
                     "    ta = ta.write(r, " + text.format(h="h[r:r + 1]") + ")",
                     "h = ta.concat()"]

            def written(h, x, fn=fn):
                return concat_rows([fn(h[r:r + 1]) for r in range(h.shape[0])],
                                   h.shape[1])
        else:
            body += [f"ta = tf.TensorArray(tf.float32, size={n})",
                     f"for r in tf.range({n}):",
                     "    ta = ta.write(r, " + text.format(h="h[r]") + ")",
                     "h = ta.stack()"]

            def written(h, x, fn=fn):
                rows = [fn(h[r]) for r in range(h.shape[0])]
                return (np.stack(rows, axis=0) if rows
                        else np.zeros((0, h.shape[1])))
        parts.append(written)
    # 4. while on the batch size.
    if rng.random() < 0.5:
        n = size()
        text, fn = elem(BOUNDED)
        body += ["i = 0", f"while i < {n}:", f"    h = {text}", "    i += 1"]

        def repeat(h, x, fn=fn):
            for _ in range(x.shape[0]):
                h = fn(h)
            return h
        parts.append(repeat)
    # 5. while with continue and break (both exits taken at some size).
    if rng.random() < 0.5:
        n = size()
        limit, skip = rng.randint(1, 8), rng.randint(1, 4)
        text, fn = elem(BOUNDED)
        body += ["k = 0", f"while k < {limit}:", "    k += 1",
                 f"    if k == {skip}:", "        continue",
                 f"    if k > {n}:", "        break", f"    h = {text}"]

        def brk(h, x, fn=fn, limit=limit, skip=skip):
            k = 0
            while k < limit:
                k += 1
                if k == skip:
                    continue
                if k > x.shape[0]:
                    break
                h = fn(h)
            return h
        parts.append(brk)
    # 6. An early return.
    if rng.random() < 0.4:
        n = size()
        op, cmp = rng.choice(COMPARE)
        c = rng.randint(0, 4)
        (ta, fa), (tb, fb) = elem(), elem()
        body += [f"if {n} {op} {c}:", f"    return {ta}", f"h = {tb}"]
        parts.append(lambda h, x, fa=fa, fb=fb, cmp=cmp, c=c:
                     ("ret", fa(h)) if cmp(x.shape[0], c) else fb(h))
    body.append("return h")
    p.body = body
    p.input_width = p.input_width

    def reference(x):
        h = x
        for f in parts:
            h = f(h, x)
            if isinstance(h, tuple):
                return h[1]
        return h
    p.reference = reference
    return [p.input((n_rows, p.input_width))]


PYTHON_KINDS = {"base": gen_base, "dynamic": gen_dynamic, "slices": gen_slices,
                "literals": gen_literals, "nonfinite": gen_nonfinite,
                "zero-size": gen_zero_size, "foreign-errors": gen_foreign_errors,
                "control-flow": gen_control}


# ---------------------------------------------------------------------------
# Keras Functional files with shared layers, written with h5py.

KERAS_ACTIVATIONS = ["linear", "relu", "sigmoid", "tanh", "softmax", "elu",
                     "selu", "softplus", "swish", "gelu"]


class KerasGraph:
    """A random Functional model in which layers are called several times:
    each call is a node; a tensor is (layer, node index, 0)."""

    def __init__(self, rng):
        self.rng = rng
        self.layers = {}      # name -> dict(class, config, weights, calls)
        self.order = []
        self.tensors = []     # (layer, node, width, numpy function of inputs)

    def layer(self, name, cls, config, weights=()):
        self.layers[name] = {"class": cls, "config": dict(config, name=name),
                             "weights": list(weights), "calls": []}
        self.order.append(name)

    def call(self, name, sources, width, fn):
        """Calls layer `name` on `sources` (tensors); returns the new one."""
        node = len(self.layers[name]["calls"])
        self.layers[name]["calls"].append([t[:2] for t in sources])
        tensor = (name, node, width, fn)
        self.tensors.append(tensor)
        return tensor


def dense_fn(k, b, activation):
    return lambda h: act(activation, h @ k + (0 if b is None else b))


def gen_keras_graph(rng, layout):
    g = KerasGraph(rng)
    width = rng.randint(1, 6)
    inputs = []
    for i in range(rng.choice([2, 2, 3])):
        name = f"in_{'abc'[i]}"
        g.layer(name, "InputLayer", {})
        g.layers[name]["width"] = width
        inputs.append(g.call(name, [], width, lambda xs, i=i: xs[i]))
        g.layers[name]["calls"] = []   # an input layer has no inbound node

    def array(shape, scale=0.5):
        return np.random.default_rng(rng.randrange(2 ** 32)).standard_normal(
            shape) * scale

    # The shared Dense layer, called on every input (in a random order) and
    # on its own output when its width allows.
    units = rng.choice([width, rng.randint(1, 6)])
    activation = rng.choice(KERAS_ACTIVATIONS)
    use_bias = rng.random() < 0.8
    k = array((width, units)) / np.sqrt(width)
    b = array((units,)) if use_bias else None
    g.layer("shared", "Dense", {"units": units, "activation": activation,
                                "use_bias": use_bias},
            [("kernel", k)] + ([("bias", b)] if use_bias else []))
    f = dense_fn(k, b, activation)
    outs = []
    for src in rng.sample(inputs, len(inputs)):
        outs.append(g.call("shared", [src], units,
                           lambda xs, s=src[3], f=f: f(s(xs))))
    if units == width and rng.random() < 0.5:
        src = rng.choice(outs)
        outs.append(g.call("shared", [src], units,
                           lambda xs, s=src[3], f=f: f(s(xs))))
    # A shared layer without weights (Activation, Softmax, LeakyReLU) or
    # with (BatchNormalization), called on two of the shared outputs.
    second = rng.choice(["Activation", "Softmax", "LeakyReLU",
                         "BatchNormalization", None])
    if second is not None:
        a, b2 = rng.sample(outs, 2) if len(outs) > 1 else (outs[0], outs[0])
        if second == "Activation":
            kind = rng.choice(["tanh", "relu", "sigmoid", "softplus"])
            g.layer("act", "Activation", {"activation": kind})
            fn = lambda h, kind=kind: act(kind, h)
            name = "act"
        elif second == "Softmax":
            g.layer("soft", "Softmax", {"axis": -1})
            fn = lambda h: act("softmax", h)
            name = "soft"
        elif second == "LeakyReLU":
            alpha = rng.choice([0.1, 0.3])
            key = "negative_slope" if layout == "keras3" else "alpha"
            g.layer("leaky", "LeakyReLU", {key: alpha})
            fn = lambda h, alpha=alpha: np.where(h > 0, h, alpha * h)
            name = "leaky"
        else:
            eps = rng.choice([0.001, 0.01])
            gamma, beta = array((units,)) + 1.0, array((units,))
            mean, var = array((units,)), np.abs(array((units,))) + 0.5
            g.layer("bn", "BatchNormalization",
                    {"axis": -1, "epsilon": eps, "center": True, "scale": True},
                    [("gamma", gamma), ("beta", beta), ("moving_mean", mean),
                     ("moving_variance", var)])
            fn = lambda h, gamma=gamma, beta=beta, mean=mean, var=var, eps=eps: \
                gamma * (h - mean) / np.sqrt(var + eps) + beta
            name = "bn"
        for src in [a, b2]:
            outs.append(g.call(name, [src], units,
                               lambda xs, s=src[3], fn=fn: fn(s(xs))))
    # Merge: Add of two or three shared outputs, or Concatenate.
    merge = rng.choice(["Add", "Concatenate"])
    picked = rng.sample(outs, min(len(outs), rng.choice([2, 3])))
    if merge == "Add":
        g.layer("merge", "Add", {})
        result = g.call("merge", picked, units,
                        lambda xs, ss=[t[3] for t in picked]: sum(s(xs) for s in ss))
    else:
        g.layer("merge", "Concatenate", {"axis": -1})
        result = g.call("merge", picked, units * len(picked),
                        lambda xs, ss=[t[3] for t in picked]: np.concatenate(
                            [s(xs) for s in ss], axis=-1))
    if rng.random() < 0.5:
        u2 = rng.randint(1, 5)
        act2 = rng.choice(KERAS_ACTIVATIONS)
        k2 = array((result[2], u2)) / np.sqrt(result[2])
        b2_ = array((u2,))
        g.layer("head", "Dense", {"units": u2, "activation": act2, "use_bias": True},
                [("kernel", k2), ("bias", b2_)])
        f2 = dense_fn(k2, b2_, act2)
        result = g.call("head", [result], u2, lambda xs, s=result[3], f=f2: f(s(xs)))
    outputs = [result]
    if rng.random() < 0.5:   # a second output: a later call of a shared layer
        outputs.append(rng.choice(outs[1:] if len(outs) > 1 else outs))
    return g, inputs, outputs


def write_keras(g, inputs, outputs, path, layout, rng):
    """Writes the graph as a legacy .h5 file in Keras 2's or Keras 3's form."""
    keras3 = layout == "keras3"
    model = "model"

    def ref(t):
        return [t[0], t[1], 0]

    def keras_tensor(t):
        return {"class_name": "__keras_tensor__",
                "config": {"shape": [None, t[2]], "dtype": "float32",
                           "keras_history": ref(t)}}
    by_ref = {(t[0], t[1]): t for t in g.tensors}
    layers = []
    for name in g.order:
        info = g.layers[name]
        config = dict(info["config"])
        if info["class"] == "InputLayer":
            key = "batch_shape" if keras3 else "batch_input_shape"
            config[key] = [None, info["width"]]
            config["dtype"] = "float32"
        nodes = []
        for sources in info["calls"]:
            tensors = [by_ref[s] for s in sources]
            merge = info["class"] in ("Add", "Concatenate")
            if keras3:
                args = [keras_tensor(t) for t in tensors]
                nodes.append({"args": [args] if merge else args, "kwargs": {}})
            else:
                nodes.append([ref(t) + [{}] for t in tensors])
        layers.append({"class_name": info["class"], "name": name,
                       "config": config, "inbound_nodes": nodes})
    config = {"class_name": "Functional" if keras3 else rng.choice(
        ["Functional", "Model"]),
        "config": {"name": model, "layers": layers,
                   "input_layers": [ref(t) for t in inputs],
                   "output_layers": [ref(t) for t in outputs]}}
    as_bytes = rng.random() < 0.3
    enc = (lambda s: np.bytes_(s)) if as_bytes else (lambda s: s)
    import h5py
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = enc("3.8.0" if keras3 else "2.13.1")
        f.attrs["backend"] = enc("tensorflow")
        f.attrs["model_config"] = enc(json.dumps(config))
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = [enc(n) for n in g.order]
        for name in g.order:
            group = weights.create_group(name)
            names = []
            for wname, array in g.layers[name]["weights"]:
                full = f"{model}/{name}/{wname}" if keras3 else f"{name}/{wname}:0"
                group.create_dataset(full, data=array.astype(np.float32))
                names.append(enc(full))
            group.attrs["weight_names"] = names


# ---------------------------------------------------------------------------
# Cases: files, commands and the expected outcome.

class Case:
    def __init__(self, kind, index, work):
        self.kind, self.index, self.work = kind, index, work
        self.commands = []
        self.outputs = []
        self.expected = None     # list of arrays, or ExpectedError
        self.file = None         # the program's file name (for messages)
        self.line = None
        self.runtime = None
        self.note = ""


def python_case(args, kind, index, rng, work):
    p = Program(rng, index, kind)
    p.run_flags = []
    p.method = None
    inputs = PYTHON_KINDS[kind](p)
    p.method = p.method or rng.choice(["call", "predict"])
    source = p.source()
    case = Case(kind, index, work)
    case.note = p.note
    case.file = f"random{index}.py"
    path = os.path.join(work, case.file)
    with open(path, "w") as f:
        f.write(source)
    np.savez(os.path.join(work, "w.npz"),
             **{k: v.astype(np.float32) for k, v in p.weights.items()})
    names = []
    for i, x in enumerate(inputs):
        names.append(os.path.join(work, f"x{i}.npy"))
        np.save(names[-1], x)
    try:
        with np.errstate(all="ignore"):
            expected = p.reference(*[x.astype(np.float64) for x in inputs])
        case.expected = [np.asarray(expected)]
    except ExpectedError as e:
        case.expected = e
        case.line, case.runtime = p.tags[e.tag]
    mlir = os.path.join(work, "p.mlir")
    case.outputs = [os.path.join(work, "y0.npy")]
    flags = [f"--input-shape={n}={s}xf32" for n, s in p.input_shapes.items()]
    run_flags = list(p.run_flags)
    if p.foreign:
        run_flags.append("--foreign=rewrite")
    if rng.random() < 0.2:
        run_flags.append("--no-batch-loops")
    if rng.random() < (0.3 if kind == "nonfinite" else 0.15):
        run_flags.append("--no-vectorize")
    case.commands = [
        [args.predict_import, path, f"--weights={work}/w.npz", "-o", mlir] + flags,
        [args.predict_run, mlir] + [f"--input=@{n}" for n in names] +
        [f"--output=@{o}" for o in case.outputs] + run_flags]
    return case


def keras_case(args, kind, index, rng, work):
    layout = rng.choice(["keras2", "keras3"])
    g, inputs, outputs = gen_keras_graph(rng, layout)
    case = Case(kind, index, work)
    case.file = f"shared{index}.h5"
    path = os.path.join(work, case.file)
    write_keras(g, inputs, outputs, path, layout, rng)
    batch = rng.randint(1, 9)
    xs = [np.random.default_rng(rng.randrange(2 ** 32)).standard_normal(
        (batch, t[2])).astype(np.float32) for t in inputs]
    names = []
    for i, x in enumerate(xs):
        names.append(os.path.join(work, f"x{i}.npy"))
        np.save(names[-1], x)
    x64 = [x.astype(np.float64) for x in xs]
    with np.errstate(all="ignore"):
        case.expected = [t[3](x64) for t in outputs]
    case.note = (f"{layout}, calls: " + ", ".join(
        f"{n}x{len(g.layers[n]['calls'])}" for n in g.order
        if len(g.layers[n]["calls"]) > 1) + ", outputs " +
        ", ".join(f"{t[0]}[{t[1]}]" for t in outputs))
    mlir = os.path.join(work, "p.mlir")
    case.outputs = [os.path.join(work, f"y{i}.npy") for i in range(len(outputs))]
    run_flags = []
    if rng.random() < 0.15:
        run_flags.append("--no-vectorize")
    case.commands = [
        [args.predict_import, path, "-o", mlir],
        [args.predict_run, mlir] + [f"--input=@{n}" for n in names] +
        [f"--output=@{o}" for o in case.outputs] + run_flags]
    return case


def make_case(args, kind, index):
    work = os.path.join(args.work, f"p{index}")
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    rng = random.Random(f"{args.seed}/{kind}/{index}")
    if kind == "keras-shared":
        return keras_case(args, kind, index, rng, work)
    return python_case(args, kind, index, rng, work)


def run_case(args, kind, index):
    """Returns (kind, index, status, work, commands, message); status is
    "pass" or a failure: mismatch, no-error (numpy raises, predict gave a
    result), bad-error (an error, but not the one expected), error (a valid
    program refused), crash, timeout, generator (a bug of this script)."""
    try:
        case = make_case(args, kind, index)
    except Exception as e:  # noqa: BLE001 - a generator bug is a failure too
        return kind, index, "generator", os.path.join(args.work, f"p{index}"), \
            [], f"{type(e).__name__}: {e}"
    status, message = check_case(case)
    if status == "pass" and not args.keep:
        shutil.rmtree(case.work)
    elif case.note:
        message = f"[{case.note}] {message}"
    return kind, index, status, case.work, case.commands, message


def summary(text):
    """The start of a tool's message; of LLVM's stack dump, the first frames
    past the signal handler."""
    frames = [m.group(1)[:120] for m in re.finditer(
        r"^\s*#\d+ 0x[0-9a-f]+ (.*)$", text, re.M)
        if not m.group(1).startswith("(") and not re.search(
            r"llvm::sys::|libc\.so|SignalHandler|__restore_rt", m.group(1))]
    lines = [l for l in text.splitlines()
             if l.strip() and not re.match(r"\s*#\d+ 0x", l)
             and not l.startswith("PLEASE submit")]
    return "\n  ".join(lines[:6] + [f"at {f}" for f in frames[:3]])[:1500]


def check_case(case):
    expect_error = isinstance(case.expected, ExpectedError)
    for o in case.outputs:
        if os.path.exists(o):
            os.remove(o)
    for stage, command in enumerate(case.commands):
        try:
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=300)
        except subprocess.TimeoutExpired:
            return "timeout", f"{os.path.basename(command[0])} ran over 300 s"
        if result.returncode == 0:
            continue
        err = (result.stdout + result.stderr).strip()
        if result.returncode < 0 or result.returncode > 1:
            return "crash", f"exit status {result.returncode}: {summary(err)}"
        if not expect_error:
            return "error", summary(err)
        where = f"{case.file}:{case.line}:"
        located = [l for l in err.splitlines() if where in l and "error" in l]
        want = (f"numpy raises at {where} ({case.expected.message})"
                + (", at run time" if case.runtime else ""))
        if not located:
            return "bad-error", f"{want}; predict: {summary(err)}"
        if case.runtime and stage == 0:
            return "bad-error", (f"{want}, but the program is valid for other "
                                 f"sizes; predict-import refused it: {located[0]}")
        if case.runtime and "at run time" not in located[0]:
            return "bad-error", f"{want}; predict: {located[0]}"
        leftover = [o for o in case.outputs if os.path.exists(o)]
        if leftover:
            return "bad-error", f"{want}; predict failed but wrote {leftover[0]}"
        return "pass", ""
    if expect_error:
        shapes = ", ".join(str(np.load(o).shape) for o in case.outputs
                           if os.path.exists(o))
        return "no-error", (f"numpy raises at {case.file}:{case.line}: "
                            f"{case.expected.message}; predict returned a "
                            f"result {shapes}")
    for o, expected in zip(case.outputs, case.expected):
        actual = np.load(o)
        if actual.shape != expected.shape:
            return "mismatch", (f"{os.path.basename(o)}: shape {actual.shape}, "
                                f"numpy {expected.shape}")
        close = np.isclose(actual, expected, rtol=2e-4, atol=2e-5, equal_nan=True)
        if not close.all():
            at = tuple(np.argwhere(~close)[0])
            err = np.abs(actual.astype(np.float64) - expected)
            finite = err[np.isfinite(err)]
            return "mismatch", (
                f"{os.path.basename(o)}: {int((~close).sum())} of {close.size} "
                f"differ; first at {at}: predict {actual[at]}, numpy "
                f"{expected[at]}" + (f"; max abs error {finite.max():.3g}"
                                     if finite.size else ""))
    return "pass", ""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--kinds", default="all",
                        help="comma-separated kinds to generate (default all)")
    parser.add_argument("--xfail-kinds", default="",
                        help="kinds known not to pass yet: their failures are "
                        "listed but do not fail the run")
    parser.add_argument("--list-kinds", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", default="random-programs")
    parser.add_argument("--keep", action="store_true",
                        help="keep every program, not only failing ones")
    parser.add_argument("--predict-import", default="predict-import")
    parser.add_argument("--predict-run", default="predict-run")
    args = parser.parse_args()
    if args.list_kinds:
        for k, text in KINDS.items():
            print(f"{k:15} {text}")
        return
    kinds = list(KINDS) if args.kinds == "all" else args.kinds.split(",")
    xfail = [k for k in args.xfail_kinds.split(",") if k]
    for k in kinds + xfail:
        if k not in KINDS:
            parser.error(f"unknown kind '{k}' (--list-kinds lists them)")
    cycle = [k for k in KINDS_CYCLE if k in kinds]
    os.makedirs(args.work, exist_ok=True)
    indices = range(args.start, args.start + args.count)
    results = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_case, args, cycle[i % len(cycle)], i)
                   for i in indices]
        for future in concurrent.futures.as_completed(futures):
            results.append(future.result())
    results.sort(key=lambda r: r[1])
    me = os.path.abspath(__file__)
    failed = blocking = 0
    for kind in [k for k in KINDS if k in cycle]:
        mine = [r for r in results if r[0] == kind]
        bad = [r for r in mine if r[2] != "pass"]
        if not bad:
            continue
        by_status = {}
        for r in bad:
            by_status[r[2]] = by_status.get(r[2], 0) + 1
        print(f"== {kind}: {len(bad)} of {len(mine)} fail ("
              + ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
              + (", expected: --xfail-kinds" if kind in xfail else "") + ")",
              file=sys.stderr)
        for _, index, status, work, commands, message in bad:
            lines = [f"{status}: program {index} ({work})", f"  {message}"]
            lines += ["  $ " + " ".join(shlex.quote(c) for c in command)
                      for command in commands]
            lines.append(f"  $ {shlex.quote(me)} --seed {args.seed} --kinds {kind} "
                         f"--start {index} --count 1 --keep --work "
                         f"{shlex.quote(args.work)}")
            print("\n".join(lines), file=sys.stderr)
        failed += len(bad)
        if kind not in xfail:
            blocking += len(bad)
    print("kind             pass  fail")
    for kind in [k for k in KINDS if k in cycle]:
        mine = [r for r in results if r[0] == kind]
        bad = sum(r[2] != "pass" for r in mine)
        note = ""
        if kind in xfail:
            note = "  (xfail)" if bad else "  (xfail, but passes: remove it)"
        print(f"{kind:15} {len(mine) - bad:5} {bad:5}{note}")
    print(f"{args.count} programs (seed {args.seed}): {args.count - failed} pass, "
          f"{failed} fail" + (f" ({failed - blocking} in --xfail-kinds)"
                              if failed != blocking else ""))
    sys.exit(1 if blocking else 0)


if __name__ == "__main__":
    main()
