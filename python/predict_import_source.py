#!/usr/bin/python3
"""The Python-source front end of predict-import.

Converts Keras-style model source into textual predict-dialect IR by reading
it (with `ast`), as AutoGraph converts code: it never runs the program, so a
`for` loop becomes one `predict.for`, never an unrolled trace. Standard
library only. Reached through `predict-import model.py`, which parses and
verifies what this writes; see docs/PythonSource.md for the subset.

Every error is `file:line:col: error: ...` on stderr and exit status 1; a
Python traceback is never shown to the user.
"""

import argparse
import array
import ast
import math
import random
import re
import struct
import sys
import zipfile

# The reader (names, imports, model classes and instantiations, literals),
# shared with the program-JSON path (docs/PythonProgram.md).
from predict_read_source import (
    INT64_MAX, LAYER_PREFIXES, SourceError as FrontendError, SourceModule,
    fold_number, init_assignment, literal_int, literal_numbers, literal_str)

# Keras's other names for the dialect's activations (which predict-import
# passes with --activations, from the dialect's enum).
ACTIVATION_ALIASES = {"silu": "swish", None: "linear"}
# The arguments of the layers of the subset, in Keras's order (Keras 3 and
# 2): every argument a program gives is read, so that none is silently
# dropped. Initializers decide the weights drawn when no --weights file is
# given; arguments that do not change inference results (regularizers,
# constraints, names) are accepted and ignored; any other is an error.
LAYER_ARGS = {
    "dense": ["units", "activation", "use_bias", "kernel_initializer",
              "bias_initializer", "kernel_regularizer", "bias_regularizer",
              "activity_regularizer", "kernel_constraint", "bias_constraint"],
    "batch_norm": ["axis", "momentum", "epsilon", "center", "scale",
                   "beta_initializer", "gamma_initializer",
                   "moving_mean_initializer", "moving_variance_initializer",
                   "beta_regularizer", "gamma_regularizer", "beta_constraint",
                   "gamma_constraint"],
}
# Keyword-only arguments of every layer that do not change its results.
LAYER_IGNORED = {"name", "trainable", "input_shape", "input_dim",
                 "batch_input_shape", "batch_size", "momentum",
                 "kernel_regularizer", "bias_regularizer",
                 "activity_regularizer", "kernel_constraint",
                 "bias_constraint", "beta_regularizer", "gamma_regularizer",
                 "beta_constraint", "gamma_constraint", "synchronized",
                 "fused", "lora_rank"}
# Initializers the front end draws, by Keras's names.
INITIALIZERS = {"glorot_uniform", "zeros", "ones"}
# Each weight's initializer argument and Keras's default.
WEIGHT_INITIALIZERS = {
    "kernel": ("kernel_initializer", "glorot_uniform"),
    "bias": ("bias_initializer", "zeros"),
    "gamma": ("gamma_initializer", "ones"),
    "beta": ("beta_initializer", "zeros"),
    "moving_mean": ("moving_mean_initializer", "zeros"),
    "moving_variance": ("moving_variance_initializer", "ones"),
}
UNARY = {  # qualified name -> predict op
    "tensorflow.exp": "exp", "tensorflow.math.exp": "exp",
    "tensorflow.math.log": "log", "tensorflow.sqrt": "sqrt",
    "tensorflow.math.sqrt": "sqrt", "tensorflow.abs": "abs",
    "tensorflow.math.abs": "abs", "tensorflow.negative": "neg",
    "tensorflow.math.negative": "neg",
}
ACTIVATION_CALLS = {  # qualified name -> activation kind
    "tensorflow.nn.relu": "relu", "tensorflow.nn.softmax": "softmax",
    "tensorflow.nn.sigmoid": "sigmoid", "tensorflow.sigmoid": "sigmoid",
    "tensorflow.math.sigmoid": "sigmoid", "tensorflow.tanh": "tanh",
    "tensorflow.math.tanh": "tanh", "tensorflow.nn.tanh": "tanh",
    "tensorflow.nn.elu": "elu", "tensorflow.nn.gelu": "gelu",
    "tensorflow.nn.softplus": "softplus", "tensorflow.math.softplus": "softplus",
    "tensorflow.nn.leaky_relu": "leaky_relu",
}
# The keyword (or second positional) argument each activation call takes:
# its name there, the dialect's attribute, and what it must be.
ACTIVATION_KEYWORDS = {"softmax": ("axis", "axis", int),
                       "gelu": ("approximate", "approximate", bool),
                       "leaky_relu": ("alpha", "alpha", float)}
BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div",
          ast.Pow: "pow", ast.MatMult: "matmul"}
BINARY_CALLS = {  # qualified name -> predict op
    "tensorflow.add": "add", "tensorflow.math.add": "add",
    "tensorflow.subtract": "sub", "tensorflow.math.subtract": "sub",
    "tensorflow.multiply": "mul", "tensorflow.math.multiply": "mul",
    "tensorflow.divide": "div", "tensorflow.math.divide": "div",
    "tensorflow.pow": "pow", "tensorflow.math.pow": "pow",
    "tensorflow.maximum": "maximum", "tensorflow.math.maximum": "maximum",
    "tensorflow.minimum": "minimum", "tensorflow.math.minimum": "minimum",
    "tensorflow.matmul": "matmul", "tensorflow.linalg.matmul": "matmul",
}
INDEX_BINARY = {ast.Add: "arith.addi", ast.Sub: "arith.subi",
                ast.Mult: "arith.muli"}

SUBSET = ("supported inside converted code: assignments to names, `return`, "
          "`for` over `range(...)`, list `[]` and `.append`, calls of layers, "
          "models and the tf.* operations of docs/PythonSource.md, slicing "
          "`x[a:b]`, `x.shape[0]`, `tf.shape(x)[0]`, + - * / ** @")


# --- values ---------------------------------------------------------------

class Tensor:
    """An SSA tensor and what the front end knows of its shape: a tuple of
    ints and None (dynamic), or None when even the rank is unknown. `sizes`
    names each size: the int when static, else a token shared by the
    tensors known to have that same size at run time (a Dense layer's
    output and its input rows), fresh otherwise. A slice index proven
    below one of them is proven below all (FunctionBody.slice_size)."""

    def __init__(self, ssa, shape, sizes=None):
        self.ssa, self.shape = ssa, shape
        if shape is None:
            self.sizes = None
        elif sizes is not None and len(sizes) == len(shape):
            self.sizes = tuple(d if d is not None else t
                               for d, t in zip(shape, sizes))
        else:
            self.sizes = tuple(d if d is not None else object()
                               for d in shape)

    @property
    def type(self):
        return tensor_type(self.shape)


class Index:
    """An SSA `index` and what the front end knows of its value, which
    decides how static a slice's type may be: `const`, its value when known;
    `base` + `offset`, the value as another index plus a constant (`i + 1`
    is `i`'s base, offset 1); `dim`, (tensor SSA, axis) when it is that
    size. The bounds of a base are in Converter.bounds."""

    def __init__(self, ssa, const=None, base=None, offset=0, dim=None):
        self.ssa, self.const, self.dim = ssa, const, dim
        self.base, self.offset = (base or ssa), offset


class Unbound:
    """A loop target that Python leaves unbound when its loop runs zero
    times: reading it is an error at the read (Python's NameError)."""

    def __init__(self, loop):
        self.loop = loop


class List:
    """A Python list, in one of two forms (docs/PythonSource.md, Lists):

    - built outside loops (`[]` then appends, or `[a, b]`): `elements`, the
      tensors in order, and no SSA value until one is needed; tf.concat
      joins them directly (predict.concatenate);
    - built by a loop: `ssa`, a !predict.list value whose element type is
      the placeholder `slot` until the first append; `loop` is the loop
      that builds it and `depth` the depth of its body, the only place
      where it is appended (what predict-lower-loops lowers).

    `owner` is the function body that created it: only it appends."""

    def __init__(self, node, owner, elements=(), ssa=None, slot=None,
                 loop=None, depth=None):
        self.node, self.owner = node, owner
        self.elements = list(elements)
        self.ssa, self.slot, self.loop, self.depth = ssa, slot, loop, depth

    def with_ssa(self, ssa, **changes):
        fields = dict(node=self.node, owner=self.owner, ssa=ssa,
                      slot=self.slot, loop=self.loop, depth=self.depth)
        fields.update(changes)
        return List(**fields)


def tensor_type(shape):
    if shape is None:
        return "tensor<*xf32>"
    dims = "".join(("?" if d is None else str(d)) + "x" for d in shape)
    return f"tensor<{dims}f32>"


# --- MLIR text of Python values -------------------------------------------
#
# Every number and name of the user's program reaches the IR through these
# functions, and through no other path: each returns text that MLIR parses
# back to exactly the Python value, or raises a FrontendError at the node.

BARE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_$.]*\Z")


def mlir_string(text):
    """`text` as an MLIR string literal: quotes, backslashes and control
    characters escaped (MLIR's `\\XX`), everything else as UTF-8."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):02X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def mlir_name(name):
    """A Python identifier as an MLIR symbol name or attribute key (after
    `@`, or in a dictionary): itself when it is a bare identifier, else a
    string literal (`@"dénse"`), so that the user's name is kept."""
    return name if BARE_ID.match(name) else mlir_string(name)


def mlir_value_name(name):
    """A Python identifier as the suffix of an SSA name (`%x`): letters,
    digits and `_` are kept, any other character (non-ASCII Python 3
    identifiers) is `$<hex>$`. Python names never contain `$` or `.`, so
    no two names meet, nor meet the `.N` suffix of fresh()."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_")
                   else f"${ord(ch):x}$" for ch in name)


def int_text(value):
    """An integer for a message: in full up to 30 digits, else its first
    digits and how many there are."""
    text = str(value)
    return text if len(text) <= 30 else f"{text[:20]}... ({len(text.lstrip('-'))} digits)"


def mlir_int(value, node, what="integer"):
    """A Python int (never a bool) as MLIR integer text of 64 bits."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FrontendError(node, f"expected an integer, not {value!r}")
    if not -INT64_MAX <= value <= INT64_MAX:
        raise FrontendError(node, f"the {what} {int_text(value)} does not fit in 64 "
                            "bits (predict's integers and sizes are 64-bit)")
    return str(value)


def to_f32(value):
    """The float32 nearest to a Python float, as numpy's float32() gives it
    (±inf beyond float32's range, where struct refuses)."""
    try:
        return struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)


def mlir_float(value, node, width=32):
    """A Python number as MLIR float text of `width` bits (32 or 64) that
    parses to exactly the float numpy's float32()/float() gives: the nearest
    float of that width (±inf beyond its range), written as the shortest
    decimal that round-trips (always with a '.': MLIR reads `1e-07` as the
    integer 1) when finite, and as its bit pattern (`0x7F800000`) when not."""
    if isinstance(value, bool):
        raise FrontendError(node, f"expected a number, not {value!r}")
    try:
        value = float(value)
    except OverflowError:
        raise FrontendError(node, f"the integer {int_text(value)} is too large for a "
                            "float (as in numpy and TensorFlow)")
    if width == 32:
        value = to_f32(value)
    if not math.isfinite(value):
        return "0x" + struct.pack(">f" if width == 32 else ">d",
                                  value).hex().upper()
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return mantissa + e + exponent


# --- weights --------------------------------------------------------------

def write_npz(path, arrays):
    with zipfile.ZipFile(path, "w") as z:
        for key, (shape, values) in arrays.items():
            header = ("{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }"
                      % "".join(f"{d}, " for d in shape)).encode()
            pad = 64 - (10 + len(header) + 1) % 64
            header += b" " * pad + b"\n"
            data = (b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header))
                    + header + f32_bytes(values))
            # A fixed date: the same weights give the same bytes.
            z.writestr(zipfile.ZipInfo(key + ".npy", (1980, 1, 1, 0, 0, 0)),
                       data)


def read_npz(path, limit):
    """{key: (shape, floats)} of an .npz of little-endian f4/f8 arrays (as
    numpy.savez writes them), with the standard library only. Entries are
    sized from the archive's directory before they are inflated: more than
    `limit` bytes in all (--max-weights-mib, doubled for float64) is an
    error, not a zip bomb."""
    arrays = {}
    with zipfile.ZipFile(path) as z:
        total = sum(info.file_size for info in z.infolist())
        if total > 2 * limit:
            raise ValueError(f"its arrays hold {byte_size(total)}, more than "
                             f"the limit of {byte_size(limit)} for a model's "
                             "weights (raise it with --max-weights-mib=N)")
        for name in z.namelist():
            data = z.read(name)
            key = name[:-4] if name.endswith(".npy") else name
            if data[:6] != b"\x93NUMPY":
                raise ValueError(f"'{name}' is not an .npy array")
            size = 2 if data[6] == 1 else 4
            hlen = int.from_bytes(data[8:8 + size], "little")
            header = ast.literal_eval(data[8 + size:8 + size + hlen].decode("latin1"))
            descr, shape = header["descr"], tuple(header["shape"])
            if header.get("fortran_order") or descr not in ("<f4", "<f8"):
                raise ValueError(f"'{key}' is {descr}"
                                 f"{' in Fortran order' if header.get('fortran_order') else ''}"
                                 "; expected float32 or float64 in C order")
            count = math.prod(shape)
            fmt = f"<{count}{'f' if descr == '<f4' else 'd'}"
            arrays[key] = (shape, list(struct.unpack_from(fmt, data, 8 + size + hlen)))
    return arrays


def blob(values):
    # A dense resource blob: 4-byte alignment, then little-endian floats.
    return "0x04000000" + f32_bytes(values).hex().upper()


def f32_bytes(values):
    """Little-endian float32 bytes of weights: an array('f') (drawn weights,
    4 bytes each rather than a Python float's 32) or a list of floats
    (read ones; float64 beyond float32's range becomes ±inf)."""
    if isinstance(values, array.array):
        if sys.byteorder != "little":
            values = array.array("f", values)
            values.byteswap()
        return values.tobytes()
    try:
        return struct.pack(f"<{len(values)}f", *values)
    except OverflowError:
        return struct.pack(f"<{len(values)}f", *map(to_f32, values))


# --- the converter --------------------------------------------------------

class Converter(SourceModule):
    def __init__(self, path, seed, input_shapes, activations, given=None,
                 keras=None, foreign_shapes=None, max_depth=1000,
                 max_weight_bytes=1 << 30):
        super().__init__(path)
        self.activations = activations
        # Foreign function -> "same", "broadcast" or "convolve": the rule of
        # its result type, from predict's registry (predict-import passes
        # it; docs/PythonSource.md).
        self.foreign_shapes = foreign_shapes or {}
        # The file name as an MLIR string literal.
        self.quoted = mlir_string(path)
        self.given = given     # weights from --weights, or None: drawn
        self.keras = keras     # a Keras .weights.h5, mapped to `given`
        self.rng = random.Random(seed)
        self.input_shapes = input_shapes
        self.weights = {}      # key -> (shape, values)
        self.resources = []    # (name, values)
        self.list_types = {}   # slot -> element type
        self.counter = 0
        self.inlining = []     # helpers being converted, for recursion
        self.converted = {}    # model variable -> ConvertedModel
        # Index SSA -> (least value, exclusive bound): an int, or ("dim",
        # tensor SSA, axis) for that size; for loop variables.
        self.bounds = {}
        self.max_depth = max_depth
        self.depth = 0         # expressions being converted, nested
        self.node = None       # the innermost one, for a last-resort error
        self.calling = []      # models whose method is being converted
        # Weights are drawn (or read) in Python lists, 8 times their size
        # in memory: their total is checked against --max-weights-mib
        # before any is allocated.
        self.max_weight_bytes = max_weight_bytes
        self.weight_bytes = 0

    # Helpers -----------------------------------------------------------

    def loc(self, node):
        return f"loc({self.quoted}:{node.lineno}:{node.col_offset + 1})"

    def fresh(self, hint="v"):
        self.counter += 1
        return f"%{mlir_value_name(hint)}.{self.counter}"

    # The module --------------------------------------------------------

    # Signatures -----------------------------------------------------------

    def signature(self, fn):
        names = [a.arg for a in fn.args.args]
        shapes = list(self.entry_args.get(fn.name, [None] * len(names)))
        shapes += [None] * (len(names) - len(shapes))
        result = []
        for i, name in enumerate(names):
            key = f"{fn.name}.{name}"
            shape = self.input_shapes.get(key, self.input_shapes.get(name))
            if shape is None and shapes[i] is not None:
                # The batch dimension of the example becomes dynamic (a
                # scalar has none).
                shape = shapes[i] and (None,) + tuple(shapes[i][1:])
            if shape is None:
                raise FrontendError(
                    fn.args.args[i],
                    f"cannot infer the shape of argument '{name}' of "
                    f"'{fn.name}': the program never calls it with an example "
                    f"such as tf.random.normal((1, 100)); give "
                    f"--input-shape={name}=?x100xf32")
            result.append((name, shape, fn.args.args[i]))
        return result

    # Models -------------------------------------------------------------

    def model(self, var, class_name, call):
        cls = self.classes[class_name]
        if not self.is_model_class(cls):
            raise FrontendError(cls, f"class '{class_name}' does not derive "
                                "from tf.keras.Model")
        methods = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}
        init = methods.get("__init__")
        params = self.init_params(init, call) if init else {}
        layers, constants = {}, {}
        for stmt in (init.body if init else []):
            self.init_statement(stmt, params, layers, constants)
        return cls, methods, layers, constants

    def init_statement(self, stmt, params, layers, constants):
        target = init_assignment(stmt)
        if target is None:
            return  # super().__init__()
        attr, call = target
        name = self.qualify(call.func) or ""
        if name in ("tensorflow.constant", "tensorflow.convert_to_tensor"):
            value = self.constant_value(call)
            values = self.literal(value, params)
            flat, shape = flatten(values, call)
            constants[attr] = (flat, shape, call)
        elif name.startswith(LAYER_PREFIXES) and name.endswith(".Dense"):
            args = self.layer_arguments(call, "dense", params)
            if "units" not in args:
                raise FrontendError(call, "Dense needs 'units', the number "
                                    "of outputs")
            units = args["units"]
            if not isinstance(units, int) or isinstance(units, bool) \
                    or units <= 0:
                raise FrontendError(call, f"Dense units must be a positive "
                                    f"integer, not {units!r}")
            activation = args.get("activation")
            activation = ACTIVATION_ALIASES.get(activation, activation)
            if activation not in self.activations:
                raise FrontendError(call, f"unknown activation {activation!r} "
                                    f"(known: {', '.join(sorted(self.activations))})")
            use_bias = args.get("use_bias", True)
            if not isinstance(use_bias, bool):
                raise FrontendError(call, f"Dense use_bias must be True or "
                                    f"False, not {use_bias!r}")
            layers[attr] = Layer("dense", call, units=units,
                                 activation=activation, use_bias=use_bias,
                                 init=self.initializers(call, args))
        elif name.startswith(LAYER_PREFIXES) and \
                name.endswith(".BatchNormalization"):
            args = self.layer_arguments(call, "batch_norm", params)
            axis = args.get("axis", -1)
            epsilon = args.get("epsilon", 1e-3)
            center = args.get("center", True)
            scale = args.get("scale", True)
            if not isinstance(axis, int) or isinstance(axis, bool) \
                    or not isinstance(epsilon, (int, float)) \
                    or isinstance(epsilon, bool) or not epsilon > 0 \
                    or not isinstance(center, bool) \
                    or not isinstance(scale, bool):
                raise FrontendError(call, "BatchNormalization needs an integer "
                                    "axis, a positive epsilon, and True or "
                                    "False for center and scale")
            layers[attr] = Layer("batch_norm", call, axis=axis,
                                 epsilon=epsilon, center=center, scale=scale,
                                 init=self.initializers(call, args))
        else:
            raise FrontendError(call, f"unsupported layer or value "
                                f"'{name or ast.unparse(call.func)}' in __init__ "
                                "(supported: tf.keras.layers.Dense, "
                                "tf.keras.layers.BatchNormalization, "
                                "tf.constant)")

    def constant_value(self, call):
        """The value argument of tf.constant(value, dtype=None, shape=None,
        name=None): an error for a dtype other than float32 or a shape
        (which would reshape or fill), never dropped."""
        value = call.args[0] if call.args else None
        for i, a in enumerate(call.args[1:], 1):
            raise FrontendError(a, "give tf.constant's arguments after the "
                                "value by name (dtype=, name=)")
        for kw in call.keywords:
            if kw.arg == "value" and value is None:
                value = kw.value
            elif kw.arg == "dtype" and (
                    self.qualify(kw.value) == "tensorflow.float32" or
                    literal_str(kw.value) == "float32" or
                    (isinstance(kw.value, ast.Constant) and
                     kw.value.value is None)):
                continue
            elif kw.arg == "name":
                continue
            else:
                raise FrontendError(kw.value, f"tf.constant's "
                                    f"'{kw.arg}={ast.unparse(kw.value)}' is "
                                    "not supported: predict's constants are "
                                    "float32 of the value's own shape")
        if value is None:
            raise FrontendError(call, "tf.constant needs a value")
        return value

    def layer_arguments(self, call, kind, params):
        """The literal values of a layer's arguments by name, positional
        ones named by Keras's order (LAYER_ARGS); an error for an argument
        the layer does not have, one given twice, and a dtype other than
        float32 (predict computes in float32)."""
        names = LAYER_ARGS[kind]
        title = "Dense" if kind == "dense" else "BatchNormalization"
        if len(call.args) > len(names):
            raise FrontendError(call.args[len(names)], f"{title} takes at "
                                f"most {len(names)} positional arguments")
        nodes = dict(zip(names, call.args))
        for kw in call.keywords:
            if kw.arg is None:
                raise FrontendError(kw.value, f"{title}(**...) is not "
                                    "supported: give its arguments by name")
            if kw.arg in nodes:
                raise FrontendError(kw.value, f"{title} is given "
                                    f"'{kw.arg}' twice")
            if kw.arg not in names and kw.arg not in LAYER_IGNORED \
                    and kw.arg != "dtype":
                raise FrontendError(kw.value, f"{title} has no argument "
                                    f"'{kw.arg}' that predict converts "
                                    f"(its arguments: {', '.join(names)}, "
                                    "and name, trainable, dtype, "
                                    "input_shape)")
            nodes[kw.arg] = kw.value
        values = {}
        for key, node in nodes.items():
            if key == "activation":
                kind_name = self.activation_object(node)
                if kind_name is not None:
                    values[key] = kind_name
                    continue
            if key in LAYER_IGNORED:
                continue
            value = self.literal(node, params)
            if key == "dtype" and value not in (None, "float32"):
                raise FrontendError(node, f"{title} dtype {value!r}: predict "
                                    "computes in float32 only")
            values[key] = value
        return values

    def activation_object(self, node):
        """An activation given as a function (`tf.nn.relu`,
        `tf.keras.activations.relu`): its name, else None."""
        name = self.qualify(node)
        if name is None:
            return None
        if name in ACTIVATION_CALLS:
            return ACTIVATION_CALLS[name]
        for prefix in ("tensorflow.keras.activations.", "keras.activations."):
            if name.startswith(prefix):
                return name[len(prefix):]
        return None

    def initializers(self, call, args):
        """Each weight's initializer name (WEIGHT_INITIALIZERS), checked
        when its weights are drawn (a --weights file makes them moot)."""
        init = {}
        for kind, (key, default) in WEIGHT_INITIALIZERS.items():
            value = args.get(key, default)
            if isinstance(value, str):
                # Keras's spellings: "zeros", "Zeros", "GlorotUniform".
                value = {"zeros": "zeros", "ones": "ones",
                         "glorotuniform": "glorot_uniform"}.get(
                    value.lower().replace("_", ""), value)
            init[kind] = (value, key)
        return init

    # Emission -------------------------------------------------------------

    def run(self, tree):
        self.read_module(tree)
        out = []
        entries = list(self.entries())
        if not entries:
            raise FrontendError(tree.body[0] if tree.body else ast.Module(),
                                "no @tf.function entry function in the file: "
                                "decorate the function to compile with "
                                "@tf.function")
        # Argument shapes of models come from their use in entry functions:
        # convert the entries first, recording what each model is called with.
        funcs = [self.entry(fn) for fn in entries]
        for var, converted in self.converted.items():
            out.append(self.emit_model(var, converted))
        out.extend(funcs)
        unused = sorted(self.given or {}) + (self.keras.unused() if self.keras
                                              else [])
        if unused:
            raise FrontendError(tree.body[0], "the weights file has entries "
                                "no layer uses: " + ", ".join(unused))
        text = "\n".join(out)
        for slot, elem in self.list_types.items():
            text = text.replace(slot, elem)
        # A list never appended to: its element type is unknown.
        text = re.sub(r"@@LIST[^@]*@@", "tensor<*xf32>", text)
        if self.resources:
            text += ("\n{-#\n  dialect_resources: {\n    builtin: {\n"
                     + ",\n".join(f'      {n}: "{blob(v)}"'
                                  for n, v in self.resources)
                     + "\n    }\n  }\n#-}\n")
        return text

    def entry(self, fn):
        args = self.signature(fn)
        body = FunctionBody(self, fn, {
            name: Tensor(f"%{mlir_value_name(name)}", shape)
            for name, shape, _ in args})
        results = body.convert(fn.body)
        params = ", ".join(f"%{mlir_value_name(name)}: {tensor_type(shape)} "
                           f"{self.loc(node)}"
                           for name, shape, node in args)
        head = (f"func.func @{mlir_name(fn.name)}({params}) -> "
                f"({', '.join(r.type for r in results)}) {{")
        ret = (f"  return {', '.join(r.ssa for r in results)} : "
               f"{', '.join(r.type for r in results)} {self.loc(body.return_node)}")
        return "\n".join([head] + body.lines + [ret, f"}} {self.loc(fn)}"])

    def convert_model(self, var, method_name, shape):
        """Converts the model's method for an input of `shape`, once: its
        body gives both the call's result type and, later, the model op."""
        class_name, call = self.models[var]
        cls, methods, layers, constants = self.model(var, class_name, call)
        method = methods[method_name]
        args = method.args.args[1:]
        # Parameters after the input with defaults (`training=False`) keep
        # them: they are never passed, and reading one is an error.
        if not args or len(args) - 1 > len(method.args.defaults):
            raise FrontendError(method, f"'{class_name}.{method_name}' must "
                                "take one input (others with defaults) to "
                                "be called as a model")
        if self.keras:
            self.given.update(self.keras.by_attribute(layers))
        model = ModelInfo(var, layers, constants, methods)
        body = FunctionBody(self, method, {args[0].arg: Tensor(
            f"%{mlir_value_name(args[0].arg)}", shape)}, model)
        results = body.convert(method.body)
        if len(results) != 1:
            raise FrontendError(body.return_node, f"'{class_name}."
                                f"{method_name}' returns {len(results)} "
                                "values; a model call returns one tensor")
        return ConvertedModel(class_name, call, method, shape, model, body,
                              results)

    def emit_model(self, var, m):
        lines = [f"predict.model @{mlir_name(var)} class "
                 f"{mlir_string(m.class_name)} {{"]
        # Layers: emitted once their input width is known from the body.
        for attr, layer in m.model.layers.items():
            width = m.model.fan_in.get(attr)
            if width is not None:  # else never called: nothing to emit
                lines.append(self.emit_layer(var, attr, layer, width))
        arg = m.method.args.args[1]
        lines.append(f"  predict.method @{mlir_name(m.method.name)}"
                     f"(%{mlir_value_name(arg.arg)}: "
                     f"{tensor_type(m.shape)} {self.loc(arg)}) -> "
                     f"({', '.join(r.type for r in m.results)}) {{")
        lines += ["  " + line for line in m.body.lines]
        lines.append(f"    predict.return {', '.join(r.ssa for r in m.results)} : "
                     f"{', '.join(r.type for r in m.results)} "
                     f"{self.loc(m.body.return_node)}")
        lines.append(f"  }} {self.loc(m.method)}")
        lines.append(f"}} {self.loc(m.call)}")
        return "\n".join(lines)

    def emit_layer(self, var, attr, layer, width):
        """The layer op; `width` is the size of the axis its weights span."""
        def tensor(kind, shape):
            values = self.weight(attr, kind, shape, layer.node,
                                 lambda: self.draw(layer, kind, shape), var)
            # A bare identifier: Python names never hold a '.', so that
            # these never meet (`a_b.c` and `a.b_c` would as `a_b_c`).
            name = "_" + ".".join(mlir_value_name(n) for n in (var, attr, kind))
            self.resources.append((name, values))
            return f"dense_resource<{name}> : {tensor_type(shape)}"

        a = layer.args
        if layer.kind == "dense":
            units = a["units"]
            text = (f"  predict.layer.dense @{mlir_name(attr)} kernel = " + tensor(
                "kernel", (width, units)))
            if a["use_bias"]:
                text += "\n      bias = " + tensor("bias", (units,))
            text += f" activation {a['activation']}"
        else:
            text = (f"  predict.layer.batch_norm @{mlir_name(attr)}"
                    f" mean = {tensor('moving_mean', (width,))}"
                    f"\n      variance = "
                    f"{tensor('moving_variance', (width,))}")
            if a["scale"]:
                text += f" gamma = {tensor('gamma', (width,))}"
            if a["center"]:
                text += f" beta = {tensor('beta', (width,))}"
            text += (f"\n      epsilon = {mlir_float(a['epsilon'], layer.node, 64)}"
                     f" axis = {mlir_int(a['axis'], layer.node, 'axis')}")
        return f"{text} {self.loc(layer.node)}"

    def weight(self, attr, kind, shape, node, draw, var=None):
        """A layer's weight, drawn or read from --weights. With more than
        one model in the program, its key is `<model>/<attribute>/<kind>`
        (two models may both have a layer `d`); `<attribute>/<kind>` is
        read too, for the first model that asks for it."""
        key = f"{attr}/{kind}"
        if var is not None and len(self.converted) > 1:
            qualified = f"{var}/{key}"
            if self.given is None or qualified in self.given or \
                    key not in self.given:
                key = qualified
        if self.given is None:
            values = draw()
        else:
            if key not in self.given:
                raise FrontendError(node, f"layer '{attr}': the weights file "
                                    f"has no '{key}' (expected shape {shape})")
            got, values = self.given.pop(key)
            if tuple(got) != shape:
                raise FrontendError(node, f"layer '{attr}': '{key}' has shape "
                                    f"{tuple(got)} in the weights file, but "
                                    f"the layer needs {shape}")
        self.weights[key] = (shape, values)
        return values

    def given_width(self, attr, layer):
        """The size of the axis a layer's weights span, read off the
        weights given with --weights (`<attribute>/kernel` rows for Dense,
        `moving_mean` for BatchNormalization; `<model>/` before it when
        several models are converted), or None when they do not say."""
        if not self.given:
            return None
        kind = "kernel" if layer.kind == "dense" else "moving_mean"
        key = f"{attr}/{kind}"
        shapes = {tuple(shape) for name, (shape, _) in self.given.items()
                  if name == key or name.endswith("/" + key)}
        if len(shapes) != 1:
            return None
        (shape,) = shapes
        return shape[0] if shape else None

    def reserve_weights(self, attr, layer, width):
        """Checks, before anything is allocated, that the layer's weights
        for an input of `width` features keep all weights within the
        limit; an error at the layer's line otherwise."""
        if layer.kind == "dense":
            units = layer.args["units"]
            kernel = width * units
            count = kernel + (units if layer.args["use_bias"] else 0)
            what = (f"Dense({units}) on {width} input features needs "
                    f"{kernel} kernel weights ({byte_size(4 * kernel)})")
        else:
            count = 4 * width
            what = (f"BatchNormalization of {width} features needs {count} "
                    f"weights ({byte_size(4 * count)})")
        total = self.weight_bytes + 4 * count
        if total > self.max_weight_bytes:
            with_others = ("" if total == 4 * count else
                           f"; with the layers before it, "
                           f"{byte_size(total)}")
            raise FrontendError(layer.node, f"{what}{with_others}, more than "
                                f"the limit of {byte_size(self.max_weight_bytes)}"
                                " for a model's weights (raise it with "
                                "--max-weights-mib=N)")
        self.weight_bytes = total

    def draw(self, layer, kind, shape):
        """Weights drawn as the layer's initializer for `kind` says (its
        Keras default unless the program gives one); an error at the layer
        for an initializer the front end does not draw."""
        name, key = layer.args["init"][kind]
        count = math.prod(shape)
        if name == "glorot_uniform" and len(shape) == 2:
            return self.glorot(*shape)
        if name in ("zeros", "ones"):
            return array.array("f", [1.0 if name == "ones" else 0.0]) * count
        raise FrontendError(layer.node, f"{key}={name!r}: predict draws only "
                            f"{', '.join(sorted(INITIALIZERS))} weights from "
                            "source code; give the weights with --weights="
                            "FILE.npz")

    def glorot(self, fan_in, fan_out):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return array.array("f", (self.rng.uniform(-limit, limit)
                                 for _ in range(fan_in * fan_out)))


class KerasWeights:
    """The variables of `model.save_weights("w.weights.h5")` (Keras 3) of a
    subclassed model, by HDF5 path, mapped to layer attributes as Keras 3's
    saving_lib lays them out: it walks the model's attributes in sorted
    order, so a layer attribute that sorts before `layers` is saved at
    `<attribute>/vars/<i>`; the others are reached through the `layers` list,
    at `layers/<snake_case class>[_<k>]/vars/<i>` (k counts the layers of
    that class in creation order). Variables are numbered in creation
    order: Dense kernel, bias; BatchNormalization gamma, beta, moving_mean,
    moving_variance (each present as the layer's arguments say)."""

    CLASSES = {"dense": "dense", "batch_norm": "batch_normalization"}

    def __init__(self, arrays, name):
        self.arrays, self.name = arrays, name

    @staticmethod
    def kinds(layer):
        a = layer.args
        if layer.kind == "dense":
            return ["kernel"] + (["bias"] if a["use_bias"] else [])
        return ((["gamma"] if a["scale"] else []) + (["beta"] if a["center"] else [])
                + ["moving_mean", "moving_variance"])

    def by_attribute(self, layers):
        found, counts = {}, {}
        for attr, layer in layers.items():
            cls = self.CLASSES[layer.kind]
            k = counts.get(cls, 0)
            counts[cls] = k + 1
            path = attr if attr < "layers" else \
                f"layers/{cls}" + (f"_{k}" if k else "")
            for i, kind in enumerate(self.kinds(layer)):
                if f"{path}/vars/{i}" in self.arrays:
                    found[f"{attr}/{kind}"] = self.arrays.pop(f"{path}/vars/{i}")
        return found

    def unused(self):
        # Other saveables (an optimizer's variables) are not the model's.
        return sorted(p for p in self.arrays if not p.startswith("optimizer/"))


class Layer:
    def __init__(self, kind, node, **args):
        self.kind, self.node, self.args = kind, node, args


class ConvertedModel:
    def __init__(self, class_name, call, method, shape, model, body, results):
        self.class_name, self.call, self.method = class_name, call, method
        self.shape, self.model, self.body, self.results = (shape, model, body,
                                                           results)


class ModelInfo:
    def __init__(self, var, layers, constants, methods):
        self.var, self.layers, self.constants = var, layers, constants
        self.methods = methods
        self.fan_in = {}



def flatten(values, node):
    if isinstance(values, bool):
        raise FrontendError(node, "tf.constant of booleans is not supported: "
                            "give numbers")
    if isinstance(values, (int, float)):
        return [values], ()
    if isinstance(values, (list, tuple)) and values:
        parts = [flatten(v, node) for v in values]
        if any(p[1] != parts[0][1] for p in parts):
            raise FrontendError(node, "a ragged constant: every row must "
                                "have the same shape")
        return [x for p in parts for x in p[0]], (len(values),) + parts[0][1]
    raise FrontendError(node, "tf.constant takes a number or a non-empty "
                        "(nested) list of numbers")


class FunctionBody:
    """Converts one function or method body to lines of IR."""

    def __init__(self, conv, fn, env, model=None):
        self.conv, self.fn, self.env, self.model = conv, fn, dict(env), model
        self.lines, self.indent = [], "  "
        self.loops = []        # the loops being converted, outermost first
        self.loop_locals = {}  # name -> the loop it was first bound in
        # (call node, shape, annotation node) of `name: "?x5xf32" = call`.
        self.annotated = None
        self.return_node = fn

    def emit(self, text):
        self.lines.append(self.indent + text)

    def convert(self, stmts):
        for i, stmt in enumerate(stmts):
            if isinstance(stmt, ast.Return):
                if i != len(stmts) - 1:
                    raise FrontendError(stmts[i + 1], "unreachable code "
                                        "after return")
                if stmt.value is None:
                    raise FrontendError(stmt, "the function must return a "
                                        "tensor")
                self.return_node = stmt
                values = (stmt.value.elts if isinstance(stmt.value, ast.Tuple)
                          else [stmt.value])
                return [self.tensor(self.expr(v), v) for v in values]
            self.statement(stmt)
        raise FrontendError(self.fn, f"'{self.fn.name}' must end with a "
                            "return statement")

    # Statements -----------------------------------------------------------

    def statement(self, stmt):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name):
            value = self.expr(stmt.value)
            if isinstance(value, List) and isinstance(stmt.value, ast.Name):
                raise FrontendError(stmt, f"'{ast.unparse(stmt)}' gives the "
                                    f"list '{stmt.value.id}' a second name; "
                                    "a list with two names is not supported "
                                    f"(use '{stmt.value.id}' itself)")
            self.env[stmt.targets[0].id] = value
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Tuple) \
                and isinstance(stmt.value, ast.Tuple) \
                and len(stmt.targets[0].elts) == len(stmt.value.elts) \
                and all(isinstance(t, ast.Name) for t in stmt.targets[0].elts):
            # `a, b = b, a`: every value first, then the names, as Python.
            values = [self.expr(v) for v in stmt.value.elts]
            for t, v, node in zip(stmt.targets[0].elts, values,
                                  stmt.value.elts):
                if isinstance(v, List):
                    raise FrontendError(node, "a list in a tuple assignment "
                                        "is not supported")
                self.env[t.id] = v
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target,
                                                            ast.Name):
            # `h += e` is `h = h + e` (tensors are immutable, as in TF).
            if isinstance(self.env.get(stmt.target.id), List):
                raise FrontendError(stmt, "`+=` on a list is not supported: "
                                    "use .append")
            value = ast.copy_location(ast.BinOp(
                left=ast.copy_location(ast.Name(stmt.target.id, ast.Load()),
                                       stmt.target),
                op=stmt.op, right=stmt.value), stmt)
            self.env[stmt.target.id] = self.expr(value)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None \
                and isinstance(stmt.target, ast.Name):
            self.annotated_assign(stmt)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
                and isinstance(stmt.value.func, ast.Attribute) \
                and stmt.value.func.attr == "append":
            self.append(stmt.value)
        elif isinstance(stmt, ast.For):
            self.for_loop(stmt)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            pass  # a docstring
        elif isinstance(stmt, ast.Pass):
            pass
        else:
            raise FrontendError(stmt, f"unsupported statement "
                                f"'{type(stmt).__name__}' ({SUBSET})")

    def annotated_assign(self, stmt):
        """`name: "?x5xf32" = value`: the type of a foreign call's result,
        which Python source cannot otherwise give (a host callback needs
        its rank); elsewhere a checked claim. Other annotations (such as
        `tf.Tensor`) say nothing about the shape and are ignored."""
        note = stmt.annotation
        declared = None
        if isinstance(note, ast.Constant) and isinstance(note.value, str):
            spec = note.value.strip()
            if spec.startswith("tensor<") and spec.endswith(">"):
                spec = spec[len("tensor<"):-1]
            try:
                declared = parse_shape_spec(spec)
            except ValueError:
                raise FrontendError(note, f"the annotation {note.value!r} is "
                                    "not a tensor type: write one as "
                                    "\"?x10xf32\" (each size ? or a "
                                    "number, float32 elements)")
        if declared is not None:
            self.annotated = (stmt.value, declared, note)
        try:
            value = self.expr(stmt.value)
        finally:
            self.annotated = None
        if declared is not None and (not isinstance(value, Tensor) or
                                     not compatible_shapes(value.shape,
                                                           declared)):
            raise FrontendError(note, f"the annotation says "
                                f"{tensor_type(declared)}, but the value is "
                                f"{value_type(value)}")
        self.env[stmt.target.id] = value

    def append(self, call):
        target = call.func.value
        lst = self.expr(target)
        if not isinstance(target, ast.Name) or not isinstance(lst, List) \
                or len(call.args) != 1:
            raise FrontendError(call, "append is supported on a list "
                                "created with [] and takes one tensor")
        if lst.owner is not self:
            raise FrontendError(call, f"'{self.fn.name}' appends to "
                                f"'{target.id}', a list of its caller "
                                f"'{lst.owner.fn.name}': appending to a "
                                "caller's list is not supported (return "
                                "the value and append it in the caller)")
        item = self.tensor(self.expr(call.args[0]), call.args[0])
        if lst.ssa is None:  # built outside loops: one more element
            self.env[target.id] = List(lst.node, self, lst.elements + [item])
            return
        if len(self.loops) != lst.depth:
            raise FrontendError(call, f"'{target.id}' is built by the loop "
                                f"at line {lst.loop.lineno}; appending to "
                                "it after that loop is not supported (a "
                                "list is built either by appends outside "
                                "loops or by one loop that appends to it)")
        known = self.conv.list_types.get(lst.slot)
        if known is None:
            self.conv.list_types[lst.slot] = item.type
        elif known != item.type:
            raise FrontendError(call, f"the list holds {known} but this "
                                f"appends {item.type}")
        result = self.conv.fresh("list")
        self.emit(f"{result} = predict.list.append {lst.ssa}, {item.ssa} : "
                  f"!predict.list<{lst.slot}>, {item.type} "
                  f"{self.conv.loc(call)}")
        self.env[target.id] = lst.with_ssa(result)

    def for_loop(self, stmt):
        if not isinstance(stmt.target, ast.Name) or not (
                isinstance(stmt.iter, ast.Call)
                and isinstance(stmt.iter.func, ast.Name)
                and stmt.iter.func.id == "range"
                and 1 <= len(stmt.iter.args) <= 3):
            raise FrontendError(stmt, "only `for NAME in range(...)` loops "
                                "are supported")
        if stmt.orelse:
            raise FrontendError(stmt.orelse[0], "`for ... else` is not "
                                "supported")
        bounds = [self.index(self.expr(a), a) for a in stmt.iter.args]
        if len(bounds) == 1:
            bounds.insert(0, self.constant_index(0, stmt.iter))
        if len(bounds) == 2:
            bounds.append(self.constant_index(1, stmt.iter))
        if bounds[2].const == 0:
            raise FrontendError(stmt.iter.args[2], "range() step must not "
                                "be zero (Python raises ValueError)")
        target = stmt.target.id
        # Loop-carried: names the body rebinds (assigns, appends to, or uses
        # as a nested loop's target) that exist before the loop.
        carried = []
        for name in rebound_names(stmt.body):
            if name in self.env and name not in carried and name != target \
                    and not isinstance(self.env[name], Unbound):
                carried.append(name)
        # The target keeps its last value after the loop, as in Python (its
        # value before the loop if it runs zero times): carried too when
        # the function reads it anywhere outside the body.
        keep_target = self.read_outside(target, stmt)
        before = self.env.get(target)
        if keep_target and isinstance(before, Index):
            carried.append(target)
        inits = []
        for n in carried:
            init = self.env[n]
            if isinstance(init, List):
                init = self.carry_list(n, init, stmt)
            inits.append(init)
        ivar = self.conv.fresh(target)
        blocks = {n: self.conv.fresh(n) for n in carried}
        types = [value_type(v) for v in inits]
        iter_args = ""
        if carried:
            iter_args = (" iter_args(" + ", ".join(
                f"{blocks[n]} = {v.ssa}" for n, v in zip(carried, inits))
                + f") -> ({', '.join(types)})")
        results = [self.conv.fresh(n) for n in carried]
        head = (f"{', '.join(results)} = " if carried else "")
        self.emit(f"{head}predict.for {ivar} = {bounds[0].ssa} to "
                  f"{bounds[1].ssa} step {bounds[2].ssa}{iter_args} {{")
        outer = dict(self.env)
        for n, v in zip(carried, inits):
            self.env[n] = rebind(v, blocks[n])
        self.env[target] = Index(ivar)
        self.conv.bounds[ivar] = range_bounds(*bounds)
        self.indent += "  "
        self.loops.append(stmt)
        for s in stmt.body:
            if isinstance(s, ast.Return):
                raise FrontendError(s, "`return` inside a loop is not "
                                    "supported")
            self.statement(s)
        self.loops.pop()
        yields = [self.env[n] for n in carried]
        for i, (n, v, init) in enumerate(zip(carried, yields, inits)):
            if isinstance(v, List) and v.ssa is None:
                raise FrontendError(stmt, f"'{n}' is bound to a new list "
                                    "inside the loop; a list is built by "
                                    "appends, not rebound")
            if value_type(v) == value_type(init):
                continue
            if not isinstance(v, Tensor) or not isinstance(init, Tensor) \
                    or not compatible_shapes(v.shape, init.shape):
                raise FrontendError(stmt, f"'{n}' changes type in the loop "
                                    f"({value_type(init)} before, "
                                    f"{value_type(v)} after one iteration)")
            # Known less (or more) precisely in the body, as after a foreign
            # call: the loop keeps the type it had before.
            ssa = self.conv.fresh(n)
            self.emit(f"{ssa} = tensor.cast {v.ssa} : {v.type} to {init.type} "
                      f"{self.conv.loc(stmt)}")
            yields[i] = Tensor(ssa, init.shape)
        if carried:
            self.emit(f"predict.yield {', '.join(v.ssa for v in yields)} : "
                      f"{', '.join(types)} {self.conv.loc(stmt)}")
        else:
            self.emit(f"predict.yield {self.conv.loc(stmt)}")
        self.indent = self.indent[:-2]
        self.emit(f"}} {self.conv.loc(stmt)}")
        # Names first bound inside the loop do not outlive it here (the
        # loop may run zero times): reading one is an error that says so.
        for n in self.env:
            if n not in outer and n != target:
                self.loop_locals[n] = stmt
        self.env = outer
        for n, r, init in zip(carried, results, inits):
            self.env[n] = rebind(init, r)
        if keep_target and not isinstance(before, Index):
            # Unbound (or not an integer) if the loop runs zero times.
            self.env[target] = Unbound(stmt)

    def read_outside(self, name, loop):
        """Whether the function reads `name` anywhere but in `loop`'s body
        (after it, or before it in an enclosing loop's next iteration)."""
        inside = {id(n) for s in loop.body for n in ast.walk(s)}
        return any(isinstance(n, ast.Name) and n.id == name
                   and isinstance(n.ctx, ast.Load) and id(n) not in inside
                   for n in ast.walk(self.fn))

    def carry_list(self, name, lst, loop):
        """A list entering a loop that appends to it: it must start empty
        there (predict-lower-loops builds it into one tensor), and becomes
        the loop's SSA list."""
        if lst.ssa is None and lst.elements:
            raise FrontendError(loop, f"'{name}' already has elements when "
                                "the loop that appends to it starts: a list "
                                "is built either by appends outside loops "
                                "or by one loop, starting empty")
        if lst.ssa is not None:
            nested = lst.loop in self.loops
            raise FrontendError(loop, f"'{name}' is built by the loop at "
                                f"line {lst.loop.lineno}; appending to it "
                                + ("in a nested loop" if nested else
                                   "in a second loop") + " is not supported")
        return self.materialize(lst, loop, len(self.loops) + 1)

    def materialize(self, lst, loop=None, depth=None):
        """The list as an SSA !predict.list value: list.empty and one append
        per element, emitted here, unless it has one."""
        if lst.ssa is not None:
            return lst
        loc = self.conv.loc(lst.node)
        ssa = self.conv.fresh("list")
        slot = f"@@LIST{ssa[1:]}@@"
        self.emit(f"{ssa} = predict.list.empty : !predict.list<{slot}> {loc}")
        if lst.elements:
            self.conv.list_types[slot] = tensor_type(
                join_shapes([e.shape for e in lst.elements]))
        for e in lst.elements:
            nxt = self.conv.fresh("list")
            self.emit(f"{nxt} = predict.list.append {ssa}, {e.ssa} : "
                      f"!predict.list<{slot}>, {e.type} {loc}")
            ssa = nxt
        return List(lst.node, lst.owner, ssa=ssa, slot=slot, loop=loop,
                    depth=depth)

    # Expressions ----------------------------------------------------------

    def tensor(self, value, node):
        if not isinstance(value, Tensor):
            raise FrontendError(node, "expected a tensor here")
        return value

    def index(self, value, node):
        if not isinstance(value, Index):
            raise FrontendError(node, "expected an integer here (a constant, "
                                "a loop variable, x.shape[0] or tf.shape(x)[0])")
        return value

    def constant_index(self, n, node):
        ssa = self.conv.fresh("c")
        self.emit(f"{ssa} = arith.constant {mlir_int(n, node)} : index "
                  f"{self.conv.loc(node)}")
        return Index(ssa, const=n)

    def expr(self, node):
        """The value of an expression. Nesting (operands, arguments, and
        the bodies of the helpers and models it calls) is bounded by
        --max-nesting, so that no program exhausts the reader's stack."""
        conv = self.conv
        if conv.depth >= conv.max_depth:
            raise FrontendError(node, f"the expression nests more than "
                                f"{conv.max_depth} levels deep (operands, "
                                "calls and the functions they call), the "
                                "reader's limit: split it into several "
                                "assignments, or raise the limit with "
                                "--max-nesting=N")
        conv.depth += 1
        outer, conv.node = conv.node, node
        try:
            return self.expr_at(node)
        finally:
            conv.depth -= 1
            conv.node = outer

    def expr_at(self, node):
        loc = self.conv.loc(node)
        if isinstance(node, ast.Name):
            if node.id not in self.env and node.id in self.loop_locals:
                loop = self.loop_locals[node.id]
                raise FrontendError(node, f"'{node.id}' is bound only inside "
                                    f"the loop at line {loop.lineno}, which "
                                    "may run zero times (Python then raises "
                                    "NameError here): give it a value before "
                                    "the loop, and the loop carries it")
            if node.id not in self.env:
                raise FrontendError(node, f"'{node.id}' is not defined here "
                                    "(converted code sees its arguments and "
                                    "the names it assigns)")
            value = self.env[node.id]
            if isinstance(value, Unbound):
                raise FrontendError(node, f"'{node.id}' is read after the "
                                    f"loop at line {value.loop.lineno}, "
                                    "which leaves it unbound when it runs "
                                    "zero times (Python raises NameError); "
                                    "give it an integer value before the "
                                    "loop")
            return value
        number = fold_number(node)
        if isinstance(number, int):
            return self.constant_index(number, node)
        if number is not None:
            raise FrontendError(node, f"the number {number!r} alone is not "
                                "a value of converted code: use it with a "
                                f"tensor (x * {number!r}) or write "
                                f"tf.constant({number!r})")
        if isinstance(node, ast.List):
            return List(node, self, [self.tensor(self.expr(e), e)
                                     for e in node.elts])
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            value = self.expr(node.operand)
            if isinstance(value, Index):
                if value.const is not None:
                    return self.constant_index(-value.const, node)
                zero = self.constant_index(0, node)
                ssa = self.conv.fresh()
                self.emit(f"{ssa} = arith.subi {zero.ssa}, {value.ssa} : index {loc}")
                return Index(ssa)
            return self.unary("neg", value, node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "self" and self.model \
                and node.attr in self.model.constants:
            flat, shape, at = self.model.constants[node.attr]
            return self.constant(flat, shape, at)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise FrontendError(node, f"unsupported expression "
                            f"'{ast.unparse(node)}' ({SUBSET})")

    def binary(self, node):
        # A number against a tensor is a scalar tensor; against an integer,
        # integer arithmetic: the other side decides, so it goes first.
        if is_number(node.left) and not is_number(node.right):
            rhs = self.expr(node.right)
            lhs = self.number(node.left, rhs)
        elif is_number(node.right) and not is_number(node.left):
            lhs = self.expr(node.left)
            rhs = self.number(node.right, lhs)
        else:
            lhs, rhs = self.expr(node.left), self.expr(node.right)
        if isinstance(lhs, Index) and isinstance(rhs, Index):
            return self.index_binary(node, lhs, rhs)
        # A known integer against a tensor is a number (`x + x.shape[1]`
        # on a static axis); one known only at run time cannot be yet.
        lhs, rhs = (self.index_operand(v, side, other)
                    for v, side, other in ((lhs, node.left, rhs),
                                           (rhs, node.right, lhs)))
        op = BINARY.get(type(node.op))
        if op is None or not isinstance(lhs, Tensor) or not isinstance(rhs, Tensor):
            raise FrontendError(node, "tensor arithmetic supports + - * / ** @ "
                                "between tensors and numbers")
        return self.tensor_binary(op, lhs, rhs, node)

    def index_operand(self, value, node, other):
        if not isinstance(value, Index) or not isinstance(other, Tensor):
            return value
        if value.const is None:
            raise FrontendError(node, f"'{ast.unparse(node)}' is an integer "
                                "known only at run time: predict cannot use "
                                "it in tensor arithmetic yet (only sizes "
                                "and numbers known at import)")
        return self.constant([value.const], (), node)

    def index_binary(self, node, lhs, rhs):
        """Integer arithmetic, folded when both sides are known, and with
        `i + c` tracked as i's base plus c (a slice's size depends on it)."""
        op = INDEX_BINARY.get(type(node.op))
        if op is None:
            raise FrontendError(node, "integer arithmetic supports + - *")
        kind = type(node.op)
        if lhs.const is not None and rhs.const is not None:
            value = (lhs.const + rhs.const if kind is ast.Add else
                     lhs.const - rhs.const if kind is ast.Sub else
                     lhs.const * rhs.const)
            return self.constant_index(value, node)
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = {op} {lhs.ssa}, {rhs.ssa} : index "
                  f"{self.conv.loc(node)}")
        if kind is ast.Add and rhs.const is not None:
            return Index(ssa, base=lhs.base, offset=lhs.offset + rhs.const)
        if kind is ast.Add and lhs.const is not None:
            return Index(ssa, base=rhs.base, offset=rhs.offset + lhs.const)
        if kind is ast.Sub and rhs.const is not None:
            return Index(ssa, base=lhs.base, offset=lhs.offset - rhs.const)
        return Index(ssa)

    def number(self, node, other):
        value = number_value(node)
        if isinstance(other, Index) and isinstance(value, int):
            return self.constant_index(value, node)
        return self.constant([value], (), node)

    def operand(self, node):
        """A tensor argument of a call; a number is a scalar tensor."""
        if is_number(node):
            return self.constant([number_value(node)], (), node)
        return self.tensor(self.expr(node), node)

    def constant(self, flat, shape, node):
        ssa = self.conv.fresh("k")
        text = [mlir_float(v, node) for v in flat]
        body = nest(text, shape) if shape else text[0]
        self.emit(f"{ssa} = predict.constant dense<{body}> : "
                  f"{tensor_type(shape)} {self.conv.loc(node)}")
        return Tensor(ssa, shape)

    def tensor_binary(self, op, lhs, rhs, node):
        shape = None
        if op == "matmul":
            if lhs.shape is not None and rhs.shape is not None \
                    and len(lhs.shape) == 2 and len(rhs.shape) == 2:
                shape = (lhs.shape[0], rhs.shape[1])
                k1, k2 = lhs.shape[1], rhs.shape[0]
                if k1 is not None and k2 is not None and k1 != k2:
                    raise FrontendError(node, f"the operands of matmul have "
                                        f"shapes {shape_text(lhs.shape)} "
                                        f"and {shape_text(rhs.shape)}: {k1} "
                                        f"columns against {k2} rows")
        else:
            try:
                shape = broadcast_shape([lhs.shape, rhs.shape])
            except ValueError:
                raise FrontendError(node, f"the operands of {op} have shapes "
                                    f"{shape_text(lhs.shape)} and "
                                    f"{shape_text(rhs.shape)}, which numpy "
                                    "cannot broadcast (sizes must be equal "
                                    "or 1)")
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.{op} {lhs.ssa}, {rhs.ssa} : ({lhs.type}, "
                  f"{rhs.type}) -> {tensor_type(shape)} {self.conv.loc(node)}")
        if op == "matmul":
            sizes = (lhs.sizes[0], rhs.sizes[1]) if shape is not None else None
        else:
            sizes = broadcast_sizes([lhs, rhs], shape)
        return Tensor(ssa, shape, sizes)

    def unary(self, op, value, node):
        value = self.tensor(value, node)
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.{op} {value.ssa} : {value.type} "
                  f"{self.conv.loc(node)}")
        return Tensor(ssa, value.shape, value.sizes)

    def subscript(self, node):
        # x.shape[0], tf.shape(x)[0]
        base = node.value
        is_shape = (isinstance(base, ast.Attribute) and base.attr == "shape") or (
            isinstance(base, ast.Call) and
            self.conv.qualify(base.func) == "tensorflow.shape" and
            len(base.args) == 1)
        if is_shape:
            operand = base.value if isinstance(base, ast.Attribute) else base.args[0]
            value = self.tensor(self.expr(operand), operand)
            axis = literal_int(node.slice)
            if axis is None or value.shape is None or not (
                    -len(value.shape) <= axis < len(value.shape)):
                raise FrontendError(node, "a shape is indexed by a constant "
                                    "axis of the tensor's rank")
            ssa = self.conv.fresh("n")
            self.emit(f"{ssa} = predict.dim {value.ssa}, {axis} : {value.type} "
                      f"{self.conv.loc(node)}")
            return Index(ssa, const=value.shape[axis],
                         dim=value.sizes[axis])
        value = self.tensor(self.expr(base), base)
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        cut = [i for i, p in enumerate(parts)
               if not (isinstance(p, ast.Slice) and p.lower is None
                       and p.upper is None and p.step is None)]
        if value.shape is None or len(parts) > len(value.shape) \
                or len(cut) != 1 or not isinstance(parts[cut[0]], ast.Slice) \
                or parts[cut[0]].step is not None:
            raise FrontendError(node, "slicing supports one x[start:stop] "
                                "(other axes `:`) on a ranked tensor, such "
                                "as x[i:i+1] or x[:, 0:4]")
        axis, s = cut[0], parts[cut[0]]
        # `None` is an omitted bound, as in Python.
        omitted = lambda b: b is None or (isinstance(b, ast.Constant) and
                                          b.value is None)
        start = (self.slice_bound(s.lower) if not omitted(s.lower)
                 else self.constant_index(0, node))
        if not omitted(s.upper):
            stop = self.slice_bound(s.upper)
        else:
            stop = Index(self.conv.fresh("n"), const=value.shape[axis],
                         dim=value.sizes[axis])
            self.emit(f"{stop.ssa} = predict.dim {value.ssa}, {axis} : "
                      f"{value.type} {self.conv.loc(node)}")
        size = self.slice_size(value, axis, start, stop)
        shape = tuple(value.shape[:axis]) + (size,) + tuple(value.shape[axis + 1:])
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.slice {value.ssa}[{start.ssa} : {stop.ssa}] "
                  f"axis {axis} : {value.type} -> {tensor_type(shape)} "
                  f"{self.conv.loc(node)}")
        return Tensor(ssa, shape, value.sizes[:axis] + (object(),)
                      + value.sizes[axis + 1:])

    def slice_bound(self, node):
        """A slice bound; an integer literal beyond 64 bits is clamped to
        the largest index, which slices the same (bounds clamp to the
        size, and sizes are below 2**63)."""
        value = number_value(node) if is_number(node) else None
        if isinstance(value, float):
            raise FrontendError(node, f"slice bound {value!r} is not an "
                                "integer (Python raises TypeError)")
        if isinstance(value, int) and abs(value) > INT64_MAX:
            return self.constant_index(INT64_MAX if value > 0 else -INT64_MAX,
                                       node)
        return self.index(self.expr(node), node)

    def slice_size(self, value, axis, start, stop):
        """The size of value[start:stop] along `axis` when it is known,
        else None (dynamic, for the dialect to compute with Python's
        clamping). Known: constant bounds on a static axis (clamped as
        Python does); `x[a:a]` (empty); `x[a:a+1]` when `a` is proven
        within the axis (one row: a loop over range(x.shape[0]) on the same
        x, or over a constant range inside a static axis)."""
        dim = value.shape[axis]
        if start.const is not None and stop.const is not None \
                and dim is not None:
            bound = lambda b: max(0, min(dim, b + dim if b < 0 else b))
            return max(0, bound(stop.const) - bound(start.const))
        if start.base != stop.base or start.const is not None:
            return None
        step = stop.offset - start.offset
        if step == 0:
            return 0
        if step != 1 or start.base not in self.conv.bounds:
            return None
        least, end = self.conv.bounds[start.base]
        if least is None or least + start.offset < 0:
            return None
        if isinstance(end, int):
            within = dim is not None and end + start.offset <= dim
        else:
            within = end == ("dim", value.sizes[axis]) and start.offset <= 0
        return 1 if within else None

    def call(self, node):
        func = node.func
        # self.layer(x)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "self" and self.model \
                and func.attr in self.model.layers:
            return self.apply_layer(func.attr, node)
        # model(x), model.predict(x)
        target, method = None, None
        if isinstance(func, ast.Name) and func.id in self.env:
            raise FrontendError(node, f"'{func.id}' is a local value here, "
                                "not a function, model or layer to call")
        if isinstance(func, ast.Name) and func.id in self.conv.models:
            target, method = func.id, "call"
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id in self.conv.models \
                and func.attr in ("predict", "__call__", "call"):
            target = func.value.id
            method = "predict" if func.attr == "predict" else "call"
        if target is not None:
            return self.model_call(target, method, node)
        # Helpers: self.helper(x) of the model, or a function of this file.
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "self" and self.model \
                and func.attr in self.model.methods:
            return self.helper(self.model.methods[func.attr], node, self.model)
        if isinstance(func, ast.Name) and func.id in self.conv.functions:
            return self.helper(self.conv.functions[func.id], node, None)
        if isinstance(func, ast.Name) and func.id == "int" \
                and func.id not in self.env and len(node.args) == 1 \
                and not node.keywords:
            # int(x.shape[0]): an integer already.
            return self.index(self.expr(node.args[0]), node.args[0])
        name = self.conv.qualify(func)
        if name is None:
            raise FrontendError(node, f"cannot convert the call "
                                f"'{ast.unparse(func)}': it is neither a "
                                "layer, a model, nor a name imported into "
                                "the file")
        if name in ("tensorflow.concat", "tensorflow.stack"):
            return self.list_op("concat" if name.endswith("concat") else "stack",
                                node)
        if name in ("tensorflow.constant", "tensorflow.convert_to_tensor"):
            values = literal_numbers(self.conv.constant_value(node))
            if values is None:
                raise FrontendError(node, "tf.constant inside converted code "
                                    "takes a literal number or list")
            flat, shape = flatten(values, node)
            return self.constant(flat, shape, node)
        if name in BINARY_CALLS:
            self.expect_args(node, 2)
            lhs, rhs = (self.operand(a) for a in node.args)
            return self.tensor_binary(BINARY_CALLS[name], lhs, rhs, node)
        if name in UNARY:
            self.expect_args(node, 1)
            return self.unary(UNARY[name], self.expr(node.args[0]), node)
        if name in ACTIVATION_CALLS:
            return self.activation_call(ACTIVATION_CALLS[name], node)
        return self.foreign(name, node)

    def activation_call(self, kind, node):
        """tf.nn.softmax(x, axis=0), tf.nn.gelu(x, approximate=True),
        tf.nn.leaky_relu(x, alpha=0.1): the argument becomes the op's
        attribute; any other argument is an error, never dropped."""
        extra = ACTIVATION_KEYWORDS.get(kind)
        given = list(node.args[1:]) + [kw.value for kw in node.keywords]
        keys = [extra[0] if extra else None] * (len(node.args) - 1) + \
            [kw.arg for kw in node.keywords]
        if not node.args or len(given) > (1 if extra else 0) or \
                any(k != (extra and extra[0]) for k in keys):
            takes = f" and {extra[0]}=" if extra else ""
            raise FrontendError(node, f"'{ast.unparse(node.func)}' takes "
                                f"one tensor{takes} here")
        value = self.tensor(self.expr(node.args[0]), node.args[0])
        attr = ""
        if given:
            _, name, want = extra
            v = fold_number(given[0]) if want is not bool else (
                given[0].value if isinstance(given[0], ast.Constant) else None)
            if want is int and (not isinstance(v, int) or
                                isinstance(v, bool)) or \
                    want is bool and not isinstance(v, bool) or \
                    want is float and v is None:
                raise FrontendError(given[0], f"{extra[0]} of "
                                    f"'{ast.unparse(node.func)}' must be a "
                                    f"literal {want.__name__}")
            if want is int:
                if value.shape is not None and \
                        not -len(value.shape) <= v < len(value.shape):
                    raise FrontendError(given[0], f"axis {v} is out of "
                                        f"range for {value.type}")
                attr = f" axis = {mlir_int(v, given[0], 'axis')}"
            elif want is bool:
                attr = " approximate" if v else ""
            else:
                attr = f" alpha = {mlir_float(v, given[0], 64)}"
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.activation {kind} {value.ssa}{attr} : "
                  f"{value.type} {self.conv.loc(node)}")
        return Tensor(ssa, value.shape, value.sizes)

    def helper(self, fn, node, model):
        """Converts a call of a function or method of this file in place, as
        AutoGraph converts callees recursively: its ops, located at its own
        lines, join the caller's body."""
        if fn in self.conv.inlining:
            raise FrontendError(node, f"'{fn.name}' calls itself (directly or "
                                "not): recursion is not supported")
        params = [a.arg for a in fn.args.args][1 if model else 0:]
        if node.keywords or len(node.args) != len(params) or fn.args.defaults:
            raise FrontendError(node, f"'{fn.name}' takes {len(params)} "
                                "positional argument(s), without defaults, "
                                "when it is converted")
        env = {p: self.expr(a) for p, a in zip(params, node.args)}
        body = FunctionBody(self.conv, fn, env, model)
        body.lines, body.indent = self.lines, self.indent
        self.conv.inlining.append(fn)
        try:
            results = body.convert(fn.body)
        finally:
            self.conv.inlining.pop()
        if len(results) != 1:
            raise FrontendError(node, f"'{fn.name}' returns {len(results)} "
                                "values; converted helpers return one")
        return results[0]

    def expect_args(self, node, n):
        if len(node.args) != n or node.keywords:
            raise FrontendError(node, f"'{ast.unparse(node.func)}' takes "
                                f"{n} positional argument(s) here")

    def apply_layer(self, attr, node):
        self.expect_args(node, 1)
        value = self.tensor(self.expr(node.args[0]), node.args[0])
        layer = self.model.layers[attr]
        # The axis the weights span: the features for Dense, `axis` for
        # BatchNormalization.
        axis = -1 if layer.kind == "dense" else layer.args["axis"]
        if value.shape is None:
            raise FrontendError(node, f"the input of self.{attr} needs a known "
                                "rank (its weights span one of its axes)")
        if not -len(value.shape) <= axis < len(value.shape):
            raise FrontendError(node, f"the input of self.{attr} has rank "
                                f"{len(value.shape)}: no axis {axis} for "
                                "its weights to span")
        size = value.shape[axis]
        # A size known only at run time: the weights given with --weights
        # say it (the compiled code checks the input against them).
        if size is None and attr not in self.model.fan_in:
            size = self.conv.given_width(attr, layer)
        if size is None and attr not in self.model.fan_in:
            raise FrontendError(node, f"the input of self.{attr} needs a known "
                                f"size on axis {axis} (its weights' length): "
                                "give it with --input-shape, or give the "
                                "layer's weights with --weights")
        if attr not in self.model.fan_in:
            self.conv.reserve_weights(attr, layer, size)
        width = self.model.fan_in.setdefault(attr, size)
        if value.shape[axis] is not None and width != value.shape[axis]:
            raise FrontendError(node, f"self.{attr} is called on inputs of "
                                f"{width} and of {value.shape[axis]} features")
        shape, sizes = value.shape, value.sizes
        if layer.kind == "dense":
            shape = tuple(value.shape[:-1]) + (layer.args["units"],)
            sizes = value.sizes[:-1] + (layer.args["units"],)
        ssa = self.conv.fresh("x")
        self.emit(f"{ssa} = predict.apply @{mlir_name(attr)}({value.ssa}) : "
                  f"({value.type}) "
                  f"-> {tensor_type(shape)} {self.conv.loc(node)}")
        return Tensor(ssa, shape, sizes)

    def model_call(self, target, method, node):
        self.expect_args(node, 1)
        value = self.tensor(self.expr(node.args[0]), node.args[0])
        class_name = self.conv.models[target][0]
        methods = {f.name for f in self.conv.classes[class_name].body
                   if isinstance(f, ast.FunctionDef)}
        # model.predict without an override runs call, as Keras does.
        impl = method if method in methods else "call"
        if impl not in methods:
            raise FrontendError(node, f"'{class_name}' defines no '{method}' "
                                "method to convert")
        if target in self.conv.calling:
            chain = self.conv.calling[self.conv.calling.index(target):]
            raise FrontendError(node, f"model '{target}' calls itself"
                                + ("" if len(chain) == 1 else
                                   " through " + ", ".join(
                                       f"'{m}'" for m in chain[1:]))
                                + ": recursion is not supported (Keras "
                                "would recurse without end)")
        converted = self.conv.converted.get(target)
        if converted is None:
            self.conv.calling.append(target)
            try:
                converted = self.conv.convert_model(target, impl, value.shape)
            finally:
                self.conv.calling.pop()
            self.conv.converted[target] = converted
        elif converted.shape != value.shape or converted.method.name != impl:
            raise FrontendError(node, f"'{target}' is used with another "
                                "method or input shape elsewhere; one use "
                                "per model is supported")
        result = converted.results[0].shape
        op = "model_predict" if method == "predict" else "model_call"
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.{op} @{mlir_name(target)}({value.ssa}) : "
                  f"({value.type}) -> {tensor_type(result)} "
                  f"{self.conv.loc(node)}")
        return Tensor(ssa, result)

    def list_op(self, op, node):
        items = node.args[0] if node.args else None
        lst = self.expr(items) if items is not None else None
        if not isinstance(lst, List):
            raise FrontendError(node, f"tf.{op} takes a list built with [] "
                                "and append")
        axis = 0
        for kw in node.keywords:
            if kw.arg == "axis":
                axis = literal_int(kw.value)
            elif kw.arg != "name":
                raise FrontendError(kw.value if kw.arg is None else node,
                                    f"tf.{op} takes a list and axis= here")
        if len(node.args) > 1:
            axis = literal_int(node.args[1])
        if axis is None:
            raise FrontendError(node, f"tf.{op} needs a constant axis")
        if lst.ssa is None:
            return self.join(op, lst, axis, node)
        elem = self.conv.list_types.get(lst.slot)
        if elem is None:
            raise FrontendError(node, f"tf.{op} of a list that is never "
                                "appended to")
        shape = parse_shape(elem)
        if shape is not None:
            if op == "concat":
                if not -len(shape) <= axis < len(shape):
                    raise FrontendError(node, f"axis {axis} is out of range "
                                        f"for {elem}")
                axis %= len(shape)
                shape = shape[:axis] + (None,) + shape[axis + 1:]
            else:
                if not -len(shape) - 1 <= axis <= len(shape):
                    raise FrontendError(node, f"axis {axis} is out of range "
                                        f"for stacking {elem}")
                axis %= len(shape) + 1
                shape = shape[:axis] + (None,) + shape[axis:]
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.list.{op} {lst.ssa} axis = "
                  f"{mlir_int(axis, node, 'axis')} : "
                  f"!predict.list<{lst.slot}> -> {tensor_type(shape)} "
                  f"{self.conv.loc(node)}")
        return Tensor(ssa, shape)

    def join(self, op, lst, axis, node):
        """tf.concat of a list built outside loops: its elements joined by
        one predict.concatenate."""
        if not lst.elements:
            raise FrontendError(node, f"tf.{op} of an empty list (TensorFlow "
                                "raises)")
        if op != "concat":
            raise FrontendError(node, "tf.stack of a list built outside "
                                "loops is not supported yet (tf.concat is, "
                                "and tf.stack of a list built by a loop)")
        shapes = [e.shape for e in lst.elements]
        shape = None
        if all(sh is not None for sh in shapes):
            rank = len(shapes[0])
            if any(len(sh) != rank for sh in shapes) or \
                    not -rank <= axis < rank:
                raise FrontendError(node, "tf.concat needs elements of one "
                                    f"rank and an axis within it (axis "
                                    f"{axis}; elements "
                                    f"{', '.join(map(shape_text, shapes))})")
            axis %= rank
            shape = []
            for d, sizes in enumerate(zip(*shapes)):
                known = {n for n in sizes if n is not None}
                if d == axis:
                    shape.append(None if None in sizes else sum(sizes))
                elif len(known) > 1:
                    raise FrontendError(node, f"tf.concat along axis {axis} "
                                        f"of elements of sizes "
                                        f"{' and '.join(map(str, sorted(known)))} "
                                        f"on axis {d}")
                else:
                    shape.append(known.pop() if known else None)
            shape = tuple(shape)
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.concatenate "
                  f"{', '.join(e.ssa for e in lst.elements)} axis = "
                  f"{mlir_int(axis, node, 'axis')} : "
                  f"({', '.join(e.type for e in lst.elements)}) -> "
                  f"{tensor_type(shape)} {self.conv.loc(node)}")
        return Tensor(ssa, shape)

    def number_list(self, node):
        """(values, shape) of a (nested) list literal of numbers, which a
        foreign function reads as numpy reads it, as an array; else
        None."""
        values = literal_numbers(node) if isinstance(
            node, (ast.List, ast.Tuple)) else None
        if values is None:
            return None
        flat, shape = flatten(values, node)
        return flat, shape

    def foreign(self, name, node):
        # A list argument (np.concatenate([a, b])) is a !predict.list value.
        args = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise FrontendError(a, f"*{ast.unparse(a.value)} in a call of "
                                    f"{name} is not supported: give the "
                                    "arguments one by one")
            numbers = self.number_list(a)
            if numbers is not None:  # np.maximum(x, [1.0, 2.0]): an array
                args.append(self.constant(*numbers, a))
                continue
            value = None if is_number(a) else self.expr(a)
            args.append(self.materialize(value) if isinstance(value, List)
                        else self.operand(a) if value is None
                        else self.tensor(value, a))
        tensors = [a for a in args if isinstance(a, Tensor)]
        kwargs = []
        for kw in node.keywords:
            if kw.arg is None:
                raise FrontendError(kw.value, f"**{ast.unparse(kw.value)} in "
                                    f"a call of {name} is not supported: "
                                    "give the keywords one by one")
            try:
                value = ast.literal_eval(kw.value)
            except (ValueError, TypeError, SyntaxError):
                raise FrontendError(kw.value, f"keyword '{kw.arg}' of "
                                    f"{name} must be a literal")
            kwargs.append(f"{mlir_name(kw.arg)} = "
                          f"{attribute(value, kw.value)}")
        rule = self.conv.foreign_shapes.get(name)
        shape = None
        if rule == "same" and args and isinstance(args[0], Tensor):
            shape = args[0].shape
        elif rule == "broadcast" and args and len(tensors) == len(args):
            try:
                shape = broadcast_shape([a.shape for a in args])
            except ValueError:  # predict's rewrite reports it, as numpy
                shape = None
        elif rule is None and tensors and tensors[0].shape is not None:
            # Not a function predict knows: a host callback (--foreign=
            # callback), whose result has its first tensor argument's rank
            # by the convention of docs/ForeignCalls.md, its sizes given at
            # run time by the library's shape function.
            shape = (None,) * len(tensors[0].shape)
        elif rule == "convolve" and len(tensors) == len(args) == 2:
            # Positional arguments are tensors: the mode is a keyword.
            mode = next((kw.value for kw in node.keywords if kw.arg == "mode"),
                        None)
            mode = "full" if mode is None else literal_str(mode)
            shape = convolve_shape(args[0].shape, args[1].shape, mode)
        if self.annotated is not None and self.annotated[0] is node:
            declared, at = self.annotated[1:]
            if not compatible_shapes(shape, declared):
                raise FrontendError(at, f"the annotation says "
                                    f"{tensor_type(declared)}, but {name} "
                                    f"gives {tensor_type(shape)} here")
            shape = declared
        ssa = self.conv.fresh()
        kw = f" kwargs {{{', '.join(kwargs)}}}" if kwargs else ""
        self.emit(f"{ssa} = predict.foreign_call {mlir_string(name)}"
                  f"({', '.join(a.ssa for a in args)}){kw} : "
                  f"({', '.join(value_type(a) for a in args)}) -> "
                  f"{tensor_type(shape)} {self.conv.loc(node)}")
        return Tensor(ssa, shape)


def rebound_names(stmts):
    """The names that `stmts` (a loop's body) may rebind, in order: every
    name that any binding statement binds (an assignment of any form, a
    `for` target) or that a `.append` changes. Any binding counts, even of
    a construct that is rejected later, so that no rebinding is missed and
    the loop never carries a stale value (a name the body rebinds but the
    loop does not carry would keep its value from before the loop)."""
    names = []
    for sub in ast.walk(ast.Module(body=list(stmts), type_ignores=[])):
        targets = []
        if isinstance(sub, ast.Assign):
            targets = sub.targets
        elif isinstance(sub, (ast.AnnAssign, ast.AugAssign, ast.For)):
            targets = [sub.target]
        elif isinstance(sub, ast.NamedExpr):
            targets = [sub.target]
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                and sub.func.attr == "append" \
                and isinstance(sub.func.value, ast.Name):
            targets = [sub.func.value]
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and n.id not in names:
                    names.append(n.id)
    return names


def attribute(value, node):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{mlir_int(value, node)} : i64"
    if isinstance(value, float):
        return f"{mlir_float(value, node, 64)} : f64"
    if isinstance(value, str):
        return mlir_string(value)
    raise FrontendError(node, "keyword values of a foreign call must be "
                        "numbers, strings or booleans")




def is_number(node):
    """An expression of number literals alone (fold_number)."""
    return fold_number(node) is not None


def broadcast_shape(shapes):
    """numpy's broadcast of operand shapes, as far as it is known statically
    (the dialect's rule, ShapeUtils' broadcastShapes): None when a rank is
    unknown, None for a size only the run time knows (a dynamic size
    against 1s), a static size other than 1 where one is (a dynamic size
    must then be 1 or equal at run time). ValueError when two static sizes
    differ and neither is 1."""
    if not shapes or any(sh is None for sh in shapes):
        return None
    rank = max(len(sh) for sh in shapes)
    out = []
    for i in range(rank):
        dims = [sh[i - rank + len(sh)] for sh in shapes
                if i - rank + len(sh) >= 0]
        static = {d for d in dims if d is not None and d != 1}
        if len(static) > 1:
            raise ValueError
        out.append(static.pop() if static else
                   None if None in dims else 1)
    return tuple(out)


def byte_size(n):
    """`n` bytes for a message: 16 TiB, 1.5 GiB, 300 B."""
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20),
                       ("KiB", 1 << 10)):
        if n >= size:
            value = n / size
            return (f"{value:.0f}" if value == int(value) or value >= 100
                    else f"{value:.1f}") + " " + unit
    return f"{n} B"


def range_bounds(start, stop, step):
    """(least, end) of the values of range(start, stop, step) as far as they
    are known (Converter.bounds): least is start when it is a constant and
    the step a positive one; end, the exclusive bound, is stop's constant
    or ("dim", tensor, axis) when stop is that size."""
    if step.const is None or step.const <= 0 or start.const is None:
        return (None, None)
    if stop.const is not None:
        return (start.const, stop.const)
    if stop.dim is not None:
        return (start.const, ("dim", stop.dim))
    return (None, None)


def broadcast_sizes(operands, shape):
    """The size tokens (Tensor.sizes) of an elementwise result of `shape`:
    a dynamic size is an operand's when every operand that has a dynamic
    size there has that same one (the others are 1), else a fresh one."""
    if shape is None or any(o.shape is None for o in operands):
        return None
    sizes = []
    for i, d in enumerate(shape):
        if d is not None:
            sizes.append(d)
            continue
        tokens = {id(o.sizes[j]): o.sizes[j] for o in operands
                  for j in [i - len(shape) + len(o.shape)]
                  if j >= 0 and o.shape[j] is None}
        sizes.append(next(iter(tokens.values())) if len(tokens) == 1
                     else object())
    return tuple(sizes)


def join_shapes(shapes):
    """The most precise shape that every one of `shapes` has (sizes that
    differ become dynamic; ranks that differ, unranked)."""
    if not shapes or any(sh is None or len(sh) != len(shapes[0])
                         for sh in shapes):
        return None
    return tuple(d[0] if all(x == d[0] for x in d) else None
                 for d in zip(*shapes))


def shape_text(shape):
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"



def convolve_shape(a, b, mode):
    """scipy.signal.convolve's (and correlate's) result shape, when known;
    predict's rewrite checks the call itself."""
    if a is None or b is None or len(a) != len(b) or \
            mode not in ("full", "same", "valid"):
        return None
    out = []
    for n, k in zip(a, b):
        if mode == "same":
            out.append(n)
        elif n is None or k is None:
            out.append(None)
        elif mode == "full":
            out.append(n + k - 1)
        else:
            out.append(max(n, k) - min(n, k) + 1)
    return tuple(out)


def compatible_shapes(a, b):
    """Whether two static shapes can describe one tensor (None: unknown)."""
    if a is None or b is None:
        return True
    return len(a) == len(b) and all(x is None or y is None or x == y
                                    for x, y in zip(a, b))


def number_value(node):
    return fold_number(node)


def nest(flat, shape):
    if len(shape) == 1:
        return "[" + ", ".join(flat) + "]"
    step = len(flat) // shape[0]
    return "[" + ", ".join(nest(flat[i * step:(i + 1) * step], shape[1:])
                           for i in range(shape[0])) + "]"



def parse_shape(type_text):
    body = type_text[len("tensor<"):-1]
    if body.startswith("*"):
        return None
    return tuple(None if d == "?" else int(d) for d in body.split("x")[:-1])


def value_type(value):
    if isinstance(value, Tensor):
        return value.type
    if isinstance(value, List):
        return f"!predict.list<{value.slot}>"
    return "index"


def rebind(value, ssa):
    if isinstance(value, Tensor):
        return Tensor(ssa, value.shape)
    if isinstance(value, List):
        return value.with_ssa(ssa)
    return Index(ssa)




def parse_shape_spec(spec):
    """`?x100xf32` (the syntax of --input-shape and of annotations) as a
    shape; ValueError unless every size is `?` or a decimal integer from 0
    to 2**63 - 1."""
    parts = spec.split("x")
    if len(parts) < 2 or parts[-1] != "f32":
        raise ValueError
    shape = []
    for p in parts[:-1]:
        if p == "?":
            shape.append(None)
        elif p.isascii() and p.isdigit() and int(p) <= INT64_MAX:
            shape.append(int(p))
        else:
            raise ValueError
    return tuple(shape)


def parse_input_shape(text):
    name, _, spec = text.partition("=")
    if not name:
        raise ValueError
    return name, parse_shape_spec(spec)


def main(argv):
    parser = argparse.ArgumentParser(prog="predict-import")
    parser.add_argument("source")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dump-weights")
    parser.add_argument("--weights")
    parser.add_argument("--activations", required=True)
    parser.add_argument("--foreign-shapes", default="")
    # From predict-import: a Keras .weights.h5's variables by HDF5 path.
    parser.add_argument("--keras-weights")
    parser.add_argument("--weights-name")
    parser.add_argument("--input-shape", action="append", default=[])
    parser.add_argument("--max-nesting", type=int, default=1000)
    parser.add_argument("--max-weight-bytes", type=int, default=4 << 30)
    # The name the user gave --dump-weights (this writes a temporary).
    parser.add_argument("--dump-weights-name")
    args = parser.parse_args(argv)
    shapes = {}
    for spec in args.input_shape:
        try:
            name, shape = parse_input_shape(spec)
        except ValueError:
            print(f"predict-import: error: --input-shape={spec}: expected "
                  "NAME=DIMSxf32 such as inputs=?x100xf32, each size ? or "
                  "an integer from 0 to 2**63 - 1", file=sys.stderr)
            return 1
        shapes[name] = shape
    try:
        with open(args.source, encoding="utf-8") as f:
            source = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print(f"predict-import: error: cannot read '{args.source}': {e}",
              file=sys.stderr)
        return 1
    if args.max_nesting < 1 or args.max_weight_bytes < 0:
        print("predict-import: error: --max-nesting must be at least 1 and "
              "--max-weight-bytes at least 0", file=sys.stderr)
        return 1
    # Python's own limit, above what --max-nesting lets the converter reach
    # (a few frames a level); main() runs on a thread with a stack for it.
    sys.setrecursionlimit(max(sys.getrecursionlimit(),
                              20 * args.max_nesting + 1000))
    try:
        tree = ast.parse(source, filename=args.source)
    except SyntaxError as e:
        print(f"{args.source}:{e.lineno or 1}:{e.offset or 1}: error: "
              "invalid Python: "
              f"{e.msg}", file=sys.stderr)
        return 1
    except (RecursionError, MemoryError):
        print(f"{args.source}: error: Python's parser cannot read the file: "
              "it nests too deeply", file=sys.stderr)
        return 1
    given, keras = None, None
    if args.weights or args.keras_weights:
        try:
            if args.weights:
                given = read_npz(args.weights, args.max_weight_bytes)
            else:
                keras = KerasWeights(read_npz(args.keras_weights,
                                              args.max_weight_bytes),
                                     args.weights_name)
                given = {}
        except (OSError, zipfile.BadZipFile, ValueError, SyntaxError,
                KeyError, struct.error) as e:
            print(f"predict-import: error: cannot read weights "
                  f"'{args.weights or args.weights_name}': {e}",
                  file=sys.stderr)
            return 1
    foreign_shapes = dict(entry.split("=", 1)
                          for entry in args.foreign_shapes.split(",") if entry)
    conv = Converter(args.source, args.seed, shapes,
                     set(args.activations.split(",")), given, keras,
                     foreign_shapes, args.max_nesting, args.max_weight_bytes)
    try:
        try:
            text = conv.run(tree)
        except RecursionError:
            # Not reached within --max-nesting; said at the innermost
            # expression rather than as a bug, should it be.
            raise FrontendError(conv.node or tree, "the source nests too "
                                "deeply here for the reader; lower "
                                "--max-nesting or split the expression")
    except FrontendError as e:
        line = getattr(e.node, "lineno", 1)
        col = getattr(e.node, "col_offset", 0) + 1
        print(f"{args.source}:{line}:{col}: error: {e}", file=sys.stderr)
        return 1
    if args.dump_weights:
        try:
            write_npz(args.dump_weights, conv.weights)
        except OSError as e:
            print(f"predict-import: error: cannot write "
                  f"'{args.dump_weights_name or args.dump_weights}': "
                  f"{e.strerror or e}", file=sys.stderr)
            return 1
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as e:
        print(f"predict-import: error: cannot write the IR: "
              f"{e.strerror or e}", file=sys.stderr)
        return 1
    return 0


def run_main():
    try:
        return main(sys.argv[1:])
    except Exception as e:  # a bug of ours: say so, without a traceback
        print(f"predict-import: internal error in the Python front end "
              f"({type(e).__name__}: {e}); please report it with the source",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    import threading
    # Deep (bounded) recursion needs more than the main thread's stack.
    threading.stack_size(512 << 20)
    status = []
    worker = threading.Thread(target=lambda: status.append(run_main()))
    worker.start()
    worker.join()
    sys.exit(status[0] if status else 2)
