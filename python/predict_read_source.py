#!/usr/bin/python3
"""The reader of predict's Python front end: Python source -> program JSON.

Reads a Keras-style model program with `ast`, as Python would read it
before running it: resolves names through the imports, finds the model
classes, their instantiations and the @tf.function entry functions, and
evaluates what Python evaluates when the model is built (the arguments of
the instantiation and of each layer constructor, defaults included). It
types nothing, sizes nothing and writes no MLIR: what it hands on is a
structured description of the program (`predict.python-program`, version
1, docs/PythonProgram.md), from which C++ builds the IR with the dialect's
builders and shape rules.

`python3 predict_read_source.py [--compact] FILE` prints the program's JSON; an error is
`file:line:col: error: ...` on stderr and exit status 1. Standard library
only.
"""

import ast
import copy
import json
import re
import sys
import tokenize

SCHEMA = "predict.python-program"
VERSION = 1

MODEL_BASES = {
    "tensorflow.keras.Model", "tensorflow.keras.models.Model", "keras.Model",
    "keras.models.Model", "tf_keras.Model",
}
# A custom layer's base (keras.io/guides/making_new_layers_and_models_via_
# subclassing): its class converts as a model class does, with its own
# weights (self.add_weight in __init__ or build).
LAYER_BASES = {
    "tensorflow.keras.layers.Layer", "keras.layers.Layer", "keras.Layer",
    "tf_keras.layers.Layer",
}
# Initializer makers (TensorFlow's and Keras's), by the name predict draws
# them under when made without arguments (their defaults are Keras's:
# RandomNormal(0, 0.05), RandomUniform(-0.05, 0.05)).
INITIALIZERS = {
    **{f"{m}.{c}": name for m in ("tensorflow.keras.initializers",
                                   "keras.initializers",
                                   "tensorflow.initializers")
       for c, name in (("RandomNormal", "random_normal"),
                       ("RandomUniform", "random_uniform"),
                       ("Zeros", "zeros"), ("Ones", "ones"),
                       ("GlorotUniform", "glorot_uniform"),
                       ("Orthogonal", "orthogonal"))},
    "tensorflow.random_normal_initializer": "random_normal",
    "tensorflow.random_uniform_initializer": "random_uniform",
    "tensorflow.zeros_initializer": "zeros",
    "tensorflow.ones_initializer": "ones",
    "tensorflow.glorot_uniform_initializer": "glorot_uniform",
    "tensorflow.orthogonal_initializer": "orthogonal",
}
# tf.Variable(initial_value=...) of these: the weight drawn so.
VALUE_MAKERS = {
    "tensorflow.zeros": "zeros", "tensorflow.ones": "ones",
    "tensorflow.random.normal": "standard_normal",
    "tensorflow.random.uniform": "standard_uniform",
}
TF_FUNCTION = {"tensorflow.function"}
# Keras's activations.get: the function an identifier names.
ACTIVATIONS_GET = {"tensorflow.keras.activations.get",
                   "keras.activations.get"}
# The decorators of converted code (a model or layer class of the file, its
# methods, the functions it and the entries call) that change nothing
# predict converts: others are refused where they are, since what they
# make of the function would be lost (helper-123).
READ_DECORATORS = TF_FUNCTION | {
    "tensorflow.keras.utils.register_keras_serializable",
    "tensorflow.keras.saving.register_keras_serializable",
    "keras.utils.register_keras_serializable",
    "keras.saving.register_keras_serializable",
    "tf_keras.utils.register_keras_serializable",
    "tensorflow.autograph.experimental.do_not_convert",
    "typing.override", "typing_extensions.override", "abc.abstractmethod",
}
TENSOR_SPEC = {"tensorflow.TensorSpec"}
# The dtypes of a TensorSpec predict compiles, as predict-import's
# --input-shape spells them.
SPEC_DTYPES = {"tensorflow.float32": "f32", "tensorflow.int32": "i32",
               "tensorflow.int64": "i64", "tensorflow.bool": "i1"}
# Keras's Sequential, under every spelling an import gives: read as a model
# whose `call` applies its layers in order.
SEQUENTIAL = {"tensorflow.keras.Sequential", "tensorflow.keras.models.Sequential",
              "keras.Sequential", "keras.models.Sequential", "tf_keras.Sequential"}
# The methods of Keras's Model and Layer that predict runs (through
# __call__, predict and predict_on_batch): a mixin after the model base
# cannot define one that runs (Keras's come first in Python's method
# resolution order).
KERAS_RUN_METHODS = {"call", "predict", "predict_step", "predict_on_batch",
                     "build", "__call__"}

# The class given in SourceModule.models to a Functional model built at
# module level (`tf.keras.Model(inputs, outputs)`).
FUNCTIONAL = "$Functional"
# SourceModule.made_by's word for a function of the file that made a
# module variable (and is not a model builder).
FILE_FUNCTION = "$function "
# The parameter of a Functional model's `call`: Keras's name for it.
FUNCTIONAL_INPUTS = "inputs"
# What Sequential's list may start with: the input's declaration.
# A layer of an __init__'s Functional graph stored on self too.
GRAPH_AND_SELF = (
    "the layer '{0}' is called in the Functional graph built in __init__ "
    "and stored on self: Keras has one object, which predict would make "
    "two, each with weights of its own; call the graph's model where "
    "self.{0} is called, or make a layer for each")
INPUT_MAKERS = {"tensorflow.keras.Input", "tensorflow.keras.layers.Input",
                "tensorflow.keras.layers.InputLayer", "keras.Input",
                "keras.layers.Input", "keras.layers.InputLayer"}
# The most passes of a module-level `for` that a Functional graph's reader
# unrolls.
MOST_UNROLLED = 4096
# Methods of Python's lists, dicts and sets that change them in place.
MUTATING_METHODS = {"append", "extend", "insert", "remove", "pop", "clear",
                    "sort", "reverse", "update", "setdefault", "popitem",
                    "add", "discard", "difference_update",
                    "intersection_update", "symmetric_difference_update",
                    # numpy's arrays and TensorFlow's variables
                    "fill", "put", "itemset", "resize", "partition",
                    "assign", "assign_add", "assign_sub"}
# Keras layer classes, under every spelling an import gives.
LAYER_PREFIXES = ("tensorflow.keras.layers.", "keras.layers.")
# Calls that make a constant attribute in __init__.
CONSTANT_MAKERS = ("tensorflow.constant", "tensorflow.convert_to_tensor")
# numpy's and TensorFlow's functions that make an array of values known at
# import: a module variable bound once to such a call (`MEAN = np.array([0.5,
# 0.25])`, `EYE = np.eye(3)`), or an `__init__` attribute (`self.mean =
# np.array(...)`), is an ArrayCall, which converted code reads as a constant
# (the builder converts the call, its arguments evaluated, where it is read:
# lib/Import/PythonArrays.cpp).
ARRAY_MAKERS = {"numpy.array", "numpy.asarray", "numpy.eye", "numpy.identity",
                "numpy.arange", "numpy.zeros", "numpy.ones", "numpy.full",
                "numpy.float32", "numpy.float64", "numpy.int32",
                "numpy.int64", "numpy.bool_",
                "tensorflow.constant", "tensorflow.convert_to_tensor",
                "tensorflow.eye", "tensorflow.linalg.eye", "tensorflow.zeros",
                "tensorflow.ones", "tensorflow.fill"}
# The methods of a numpy array that converted code reads of an array made
# at import (ProgramBuilder::ndarrayMethod), besides the attribute `.T`.
ARRAY_METHODS = ("reshape", "transpose", "flatten", "ravel", "astype",
                 "copy")
# Those of them that may give a view of the array (its memory: a write
# through it changes the array).
ARRAY_VIEWS = ("reshape", "transpose", "ravel")
# numpy's functions that write into their first argument.
NUMPY_WRITERS = {"numpy.copyto", "numpy.put", "numpy.place",
                 "numpy.putmask", "numpy.fill_diagonal",
                 "numpy.put_along_axis",
                 "numpy.random.shuffle"}
# Calls that produce an example input, and where each takes its shape, as
# their signatures (numpy's, TensorFlow's) place it: the keyword and the
# position of the argument that is the shape (`tf.zeros(shape)`,
# `np.full(shape, fill_value)`, `tf.fill(dims, value)`,
# `np.random.normal(loc, scale, size)`, `np.random.random(size)`); or
# "sizes", numpy.random.rand's and randn's arguments, one a size each
# (`rand(d0, d1, ..., dn)`). `Generator.` and `RandomState.` name the
# methods of numpy's generator objects (`rng = np.random.default_rng(0)`,
# then `rng.normal(size=(1, 5))`; GENERATOR_MAKERS), whose signatures are
# those of the np.random functions of the same names.
SHAPE_FIRST = ("shape", 0)
SIZE_FIRST = ("size", 0)
SIZE_THIRD = ("size", 2)  # after loc and scale, or low and high
EXAMPLE_MAKERS = {"tensorflow.random.normal": SHAPE_FIRST,
                  "tensorflow.random.uniform": SHAPE_FIRST,
                  "tensorflow.zeros": SHAPE_FIRST,
                  "tensorflow.ones": SHAPE_FIRST,
                  "tensorflow.fill": ("dims", 0),
                  "numpy.zeros": SHAPE_FIRST, "numpy.ones": SHAPE_FIRST,
                  "numpy.empty": SHAPE_FIRST, "numpy.full": SHAPE_FIRST,
                  "numpy.random.rand": "sizes", "numpy.random.randn": "sizes",
                  "numpy.random.normal": SIZE_THIRD,
                  "numpy.random.uniform": SIZE_THIRD,
                  "numpy.random.standard_normal": SIZE_FIRST,
                  "numpy.random.random": SIZE_FIRST,
                  "numpy.random.random_sample": SIZE_FIRST,
                  "numpy.random.Generator.normal": SIZE_THIRD,
                  "numpy.random.Generator.uniform": SIZE_THIRD,
                  "numpy.random.Generator.standard_normal": SIZE_FIRST,
                  "numpy.random.Generator.random": SIZE_FIRST,
                  "numpy.random.RandomState.rand": "sizes",
                  "numpy.random.RandomState.randn": "sizes",
                  "numpy.random.RandomState.normal": SIZE_THIRD,
                  "numpy.random.RandomState.uniform": SIZE_THIRD,
                  "numpy.random.RandomState.standard_normal": SIZE_FIRST,
                  "numpy.random.RandomState.random": SIZE_FIRST,
                  "numpy.random.RandomState.random_sample": SIZE_FIRST}
# The calls that make numpy's generator objects, and the class of each.
GENERATOR_MAKERS = {"numpy.random.default_rng": "numpy.random.Generator",
                    "numpy.random.Generator": "numpy.random.Generator",
                    "numpy.random.RandomState": "numpy.random.RandomState"}
# Conversions an example input may be wrapped in, besides the method
# `.astype(dtype)`: each takes the input first and its dtype second or as
# `dtype=` (np.asarray(a, dtype), np.array(object, dtype), tf.cast(x,
# dtype), tf.convert_to_tensor(value, dtype), tf.constant(value, dtype,
# shape));
# the arguments that would change the shape, by keyword and position
# (None: keyword only), are not read.
EXAMPLE_CONVERSIONS = {"numpy.asarray": {}, "numpy.array": {"ndmin": None},
                       "tensorflow.cast": {},
                       "tensorflow.convert_to_tensor": {},
                       "tensorflow.constant": {"shape": 2}}
# Dtypes as numpy and TensorFlow spell them (the name's last part, or a
# string, its byte order dropped), by the name of the dtype they are.
DTYPE_ALIASES = {"e": "float16", "f2": "float16", "half": "float16",
                 "f": "float32", "f4": "float32", "single": "float32",
                 "d": "float64", "f8": "float64", "double": "float64",
                 "float": "float64", "float_": "float64",
                 "g": "longdouble", "i": "int32", "i4": "int32",
                 "intc": "int32", "l": "int64", "i8": "int64", "int": "int64",
                 "int_": "int64", "?": "bool", "b1": "bool", "bool_": "bool"}
FLOAT_DTYPES = {"float16", "float32", "float64", "bfloat16", "longdouble"}
# Where each example maker takes its dtype (keyword, position), as its
# signature has it; the np.random functions make floats only. tf.fill and
# np.full without a dtype take the value's (EXAMPLE_VALUE_DTYPES).
EXAMPLE_DTYPES = {"tensorflow.random.normal": ("dtype", 3),
                  "tensorflow.random.uniform": ("dtype", 3),
                  "tensorflow.zeros": ("dtype", 1),
                  "tensorflow.ones": ("dtype", 1),
                  "numpy.zeros": ("dtype", 1), "numpy.ones": ("dtype", 1),
                  "numpy.empty": ("dtype", 1), "numpy.full": ("dtype", 2)}
# The dtype of a value given to tf.fill (TensorFlow's convert_to_tensor:
# int32 for a Python int) and np.full without a dtype (numpy's: int64).
EXAMPLE_VALUE_DTYPES = {"tensorflow.fill": ("value", 1, "int32"),
                        "numpy.full": ("fill_value", 1, "int64")}
INT64_MAX = 2**63 - 1


class SourceError(Exception):
    """An error at `node` (an ast node, or None for the file)."""

    def __init__(self, node, message):
        super().__init__(message)
        self.node = node


# Literals ------------------------------------------------------------------

NUMBER_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
              ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
              ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
              ast.Pow: lambda a, b: a ** b}


# The numbers numpy and math name (a module attribute that is a float):
# Python's values, folded as literals are (`np.pi`, `-np.inf`, `2 * math.pi`).
NAMED_NUMBERS = {f"{module}.{name}": value for module in ("numpy", "math")
                 for name, value in (("pi", 3.141592653589793),
                                     ("e", 2.718281828459045),
                                     ("inf", float("inf")),
                                     ("nan", float("nan")))}
NAMED_NUMBERS.update({"math.tau": 6.283185307179586,
                      "numpy.euler_gamma": 0.5772156649015329})


def fold_number(node, qualify=None):
    """The value Python gives an expression of number literals alone
    (`-0.5`, `1/3`, `2**-1`, `7 // 2`, `float("inf")`; with `qualify`, the
    module's name resolver, also `np.pi`, `-math.inf`), else None; a
    SourceError where Python raises (division by zero) or the value would be
    too large to compute (`10**10**10`)."""
    if isinstance(node, ast.Attribute):
        return NAMED_NUMBERS.get(qualify(node)) if qualify else None
    if isinstance(node, ast.Constant):
        value = node.value
        return value if isinstance(value, (int, float)) and \
            not isinstance(value, bool) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in ("float", "int") and len(node.args) == 1 \
            and not node.keywords:
        arg = node.args[0]
        value = arg.value if isinstance(arg, ast.Constant) and \
            isinstance(arg.value, str) else fold_number(arg, qualify)
        if value is None:
            return None
        try:
            return (float if node.func.id == "float" else int)(value)
        except (ValueError, OverflowError) as e:
            raise SourceError(node, f"{ast.unparse(node)}: {e} (Python "
                              "raises here)")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op,
                                                    (ast.USub, ast.UAdd)):
        value = fold_number(node.operand, qualify)
        if value is None:
            return None
        return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, ast.BinOp) and type(node.op) in NUMBER_OPS:
        lhs = fold_number(node.left, qualify)
        rhs = None if lhs is None else fold_number(node.right, qualify)
        if rhs is None:
            return None
        if isinstance(node.op, ast.Pow) and isinstance(lhs, int) and \
                isinstance(rhs, int) and rhs > 0 and abs(lhs) > 1 and \
                rhs * abs(lhs).bit_length() > 4096:
            raise SourceError(node, f"{ast.unparse(node)} has more than "
                              "4096 bits: far beyond predict's 64-bit "
                              "integers and float32")
        try:
            return NUMBER_OPS[type(node.op)](lhs, rhs)
        except (ZeroDivisionError, OverflowError) as e:
            raise SourceError(node, f"{ast.unparse(node)}: {e} (Python "
                              "raises here)")
    return None


def literal_numbers(node):
    """A number or a (nested) list or tuple of numbers, each element as
    fold_number reads it (`[float("inf"), 1 / 3]`); None otherwise."""
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [literal_numbers(e) for e in node.elts]
        return None if any(i is None for i in items) else items
    return fold_number(node)


def literal_int(node):
    """An int literal's value (not a bool), else None."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None
    return value if isinstance(value, int) and \
        not isinstance(value, bool) else None


def literal_str(node):
    return node.value if isinstance(node, ast.Constant) and \
        isinstance(node.value, str) else None


def literal_shape(node):
    """A literal shape (an int or a tuple or list of ints >= 0), else None;
    a SourceError for a size beyond 64 bits. A tuple or list written with
    sizes that are not literals (`(n, 1)` in a loop over n) has None for
    each of those: the batch size may be anything, the others must be
    known."""
    if isinstance(node, (ast.Tuple, ast.List)) and not any(
            isinstance(e, ast.Starred) for e in node.elts):
        sizes = [literal_shape(e) if isinstance(e, ast.Constant) else None
                 for e in node.elts]
        if all(s is None or len(s) == 1 for s in sizes):
            return tuple(None if s is None else s[0] for s in sizes)
        return None
    try:
        shape = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    if isinstance(shape, (tuple, list)) and all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 0
            for d in shape):
        for d in shape:
            if d > INT64_MAX:
                raise SourceError(node, f"the example's size {d} does not "
                                  "fit in 64 bits")
        return tuple(shape)
    return None


def shape_of_value(value):
    """The shape that `value`, known at import, gives an example (an int,
    or a tuple or list of ints >= 0, each a size, as numpy and TensorFlow
    read a shape), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,)
    if isinstance(value, (tuple, list)) and all(
            isinstance(d, int) and not isinstance(d, bool) and
            0 <= d <= INT64_MAX for d in value):
        return tuple(value)
    return None


# The module ----------------------------------------------------------------

class ModelArgument(str):
    """An example call's argument that is a model of the module (`f(model,
    x)`): the entry's parameter names that model."""


class PythonArgument:
    """An example call's argument that is a Python value known at import
    (`f(x, True)`, `f(x, temperature=0.1)`, `f(x, K)` of a module constant
    K): `node`, an ast.Constant of the value, located at the argument. The
    entry is converted for that value, as tf.function traces a Python
    argument, in place of the parameter's default."""

    def __init__(self, node):
        self.node = node


class TypedShape(tuple):
    """The shape of an example input of integers or bools (its dtype,
    "int32", "int64" or "bool", in `dtype`): the entry's argument is a
    tensor of that dtype, as TensorFlow traces it. A plain tuple is a
    float32 example's shape."""

    def __new__(cls, sizes, dtype):
        shape = super().__new__(cls, sizes)
        shape.dtype = dtype
        return shape


def example_dtype(shape):
    """The dtype of an example input's shape: "float32" for a plain
    tuple, else its TypedShape's."""
    return getattr(shape, "dtype", "float32")


class UnreadExample:
    """An example input whose shape (`what`, or "type" for its dtype) is
    not worked out at import: `node`, the expression that makes it, and
    `why`, what could not be read and what to write instead. An error where
    an entry without an input_signature is called with it
    (ProgramWriter.entry)."""

    def __init__(self, node, why, what="shape"):
        self.node = node
        self.why = why
        self.what = what


class VariedSize:
    """A size of an example input that differs between example calls of
    one entry (`f(np.zeros((2, 3)))`, then `f(np.zeros((2, 4)))`): the
    compiled function takes any size there, as tf.function's
    reduce_retracing relaxes a size it has seen change."""


VARIED = VariedSize()


def merge_examples(first, later, at, line, default=None):
    """What two example calls of one entry give a parameter, together
    (SourceModule.read_example_call): the first's, with each example
    input's size that differs made VARIED; an UnreadExample at `at` (the
    later call's argument, or the call where it leaves the parameter to
    its default) where the two cannot be one compiled function's argument:
    example inputs of two ranks, two Python values, two models, or one
    given and one left to the default. TensorFlow traces the function once
    for each; predict converts it once. `line` is the first call's;
    `default`, the parameter's default as a PythonArgument, is what a call
    that leaves it gives (`f(x)` and `f(x, scale=1.0)` agree when the
    default is 1.0)."""
    if isinstance(first, UnreadExample):
        return first
    if isinstance(later, UnreadExample):
        return later
    if default is not None and (first is None) != (later is None):
        merged = merge_examples(first or default, later or default, at, line)
        if not isinstance(merged, UnreadExample):
            return first
        default = f"leaves it to its default ({ast.unparse(default.node)})"
        return merge_examples(first or default, later or default, at, line)
    shapes = isinstance(first, tuple) and isinstance(later, tuple)
    if shapes and len(first) == len(later) and \
            example_dtype(first) == example_dtype(later):
        merged = tuple(a if a == b else VARIED for a, b in zip(first, later))
        return TypedShape(merged, first.dtype) \
            if isinstance(first, TypedShape) else merged
    if isinstance(first, PythonArgument) and \
            isinstance(later, PythonArgument):
        a, b = first.node.value, later.node.value
        if type(a) is type(b) and (a == b or a != a and b != b):
            return first
    elif first == later and not shapes:  # None, or one model
        return first

    def said(arg):
        if arg is None:
            return "leaves it to its default"
        if isinstance(arg, str) and not isinstance(arg, ModelArgument):
            return arg  # how a call left it to its default
        if isinstance(arg, ModelArgument):
            return f"gives it the model '{arg}'"
        if isinstance(arg, PythonArgument):
            return f"gives it {ast.unparse(arg.node)}"
        if isinstance(first, tuple) and isinstance(later, tuple) and \
                len(first) == len(later):
            return "gives it an example input of " + {
                "float32": "floats", "bool": "bools"}.get(
                    example_dtype(arg), example_dtype(arg))
        return f"gives it an example input of rank {len(arg)}"
    return UnreadExample(
        at, what="shape" if shapes else "value",
        why=f"the example call at line {line} {said(first)} and this one "
        f"{said(later)}; predict converts the function once, for one "
        "rank and dtype of each input and one value of each Python "
        "argument "
        "(TensorFlow traces it once for each): call it one way")



class SourceModule:
    """What a file declares: its imports, classes, functions, model
    instantiations and the example inputs its script code makes."""

    def __init__(self, path):
        self.path = path
        self.imports = {}      # local name -> qualified name
        self.classes = {}      # class name -> ast.ClassDef
        self.mros = {}         # id(ast.ClassDef) -> mro() (read often)
        self.models = {}       # module variable -> (class name, call node)
        self.functions = {}    # name -> ast.FunctionDef (module level)
        self.examples = {}     # module variable -> example input shape
        self.example_shapes = {}  # ... whatever its dtype (example_input)
        self.entry_args = {}   # entry function -> [shape of each argument]
        self.entry_calls = {}  # entry function -> its first example call
        # Module variable -> the qualified callable that made it, for the
        # calls not read as models (`tf.keras.Sequential`).
        self.made_by = {}
        # Functional graphs: each top-level statement as Python runs it
        # (ProgramWriter.straight_line), made once so that a layer call
        # has one identity (`_layer_key`) in every model; and the model
        # whose graph holds each layer.
        self.straight = {}     # top-level statement index -> statements
        self.layer_owner = {}  # layer key -> the model variable
        self.kept = {}         # id of a statement kept whole -> why
        self.init_graphs = []  # statements copied for Functional graphs
        # Module variable -> how many times the module binds it; the
        # variables changed in place, by a function (`global`) or through
        # another name: not constants.
        self.binding_counts = {}
        self.changed = set()
        # Models the module sets `.trainable` of (`base.trainable = False`):
        # no change to inference, but Keras 2 orders a frozen model's
        # weights otherwise in its files.
        self.frozen = set()
        # Module statements whose calls of the file's functions a
        # Functional graph cannot inline: id -> the SourceError saying why.
        self.not_inlined = {}
        # Calls of the file's functions inlined so far (each call's names
        # get the count), and those being inlined (to refuse recursion).
        self.inlined = 0
        self.inlining = []
        # Module variable -> its value's node, for the names the module
        # assigns once, at its top level (`STEPS = 3`): constants, which
        # configurations and converted code may read.
        self.constant_nodes = {}
        # Classes some statement may change the attributes of
        # (plain_class), and those whose attributes are being read
        # (class_value, against a cycle of class bodies).
        self.class_setattr = {}  # class name -> first statement changing it
        self.class_reading = set()
        # Each class of the file used as a value where predict cannot
        # follow what is done to it (class_escapes): its first such use.
        self.class_escapes = {}
        # A class attribute's name -> a read of it that may share its list
        # or dict with code that changes it (shared_class_value); None
        # until first needed.
        self.shared_reads = None
        self.module_scope = BuildScope(self)

    def qualify(self, node):
        """`np.tanh` -> `numpy.tanh` through the imports; None if the root is
        not an imported name."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.imports:
            return None
        return ".".join([self.imports[node.id]] + parts[::-1])

    def module_aliases(self, tree):
        """The module's statements, those that only name what the imports
        name read as imports: `L = tf.keras.layers` (another name of an
        imported module or of something in it, bound once in the file and
        read only as `L.attr` or called, `E = np.eye`; or of anything of
        TensorFlow's or Keras's, `Dense = tf.keras.layers.Dense`) becomes
        an import alias of it, and
        `serve_fn = tf.function(serve, input_signature=[...])` (also
        `tf.function(...)(serve)`) of a function of the file the entry
        `serve_fn`, as if `serve` were written again with that decorator
        under that name; `MyNet = Net` of a class of the file another name
        of the class (read as `Net`, the name Keras knows it by)."""
        stores, bare = {}, set()
        attribute_bases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and \
                    isinstance(node.value, ast.Name):
                attribute_bases.add(id(node.value))
            # (A name only called, `E(2)` of `E = np.eye`, names the
            # function as an import would.)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                attribute_bases.add(id(node.func))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if not isinstance(node.ctx, ast.Load):
                    stores[node.id] = stores.get(node.id, 0) + 1
                elif id(node) not in attribute_bases:
                    bare.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef,
                                   ast.AsyncFunctionDef)):
                stores[node.name] = stores.get(node.name, 0) + 1
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    stores[bound] = stores.get(bound, 0) + 1
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    stores[name] = stores.get(name, 0) + 2
            elif isinstance(node, ast.arg):
                stores[node.arg] = stores.get(node.arg, 0) + 1
        body = []
        for stmt in tree.body:
            target = stmt.targets[0].id if isinstance(stmt, ast.Assign) and \
                len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Name) else None
            value = stmt.value if target else None
            # `MyNet = Net` of a class of the file: another name of it.
            if target and stores.get(target) == 1 and \
                    isinstance(value, ast.Name) and \
                    stores.get(value.id) == 1 and \
                    isinstance(self.classes.get(value.id), ast.ClassDef):
                for n in ast.walk(tree):
                    if isinstance(n, ast.Name) and n.id == target:
                        n.id = value.id
                continue
            qualified = self.qualify(value) \
                if isinstance(value, ast.Attribute) else None
            if target and stores.get(target) == 1 and qualified and \
                    (target not in bare or
                     qualified.startswith(("tensorflow.", "keras."))):
                self.imports[target] = qualified
                continue
            # tf.function(fn, **kw) or tf.function(**kw)(fn).
            maker, fn = None, None
            if target and isinstance(value, ast.Call) and \
                    len(value.args) == 1 and not value.keywords and \
                    isinstance(value.func, ast.Call) and \
                    not value.func.args and \
                    self.qualify(value.func.func) in TF_FUNCTION:
                maker, fn = value.func, value.args[0]
            elif target and isinstance(value, ast.Call) and \
                    len(value.args) in (1, 2) and \
                    self.qualify(value.func) in TF_FUNCTION:
                # (input_signature is tf.function's second parameter.)
                maker = ast.copy_location(ast.Call(
                    func=value.func, args=[], keywords=value.keywords + [
                        ast.keyword(arg="input_signature", value=a)
                        for a in value.args[1:]]), value)
                fn = value.args[0]
            # `serve = tf.function(serve, ...)`: the function itself is the
            # entry, as if decorated.
            if maker is not None and isinstance(fn, ast.Name) and \
                    fn.id == target and stores.get(target) == 2 and \
                    isinstance(self.functions.get(fn.id), ast.FunctionDef) \
                    and not self.functions[fn.id].decorator_list:
                self.functions[fn.id].decorator_list = [maker]
                continue
            if maker is not None and isinstance(fn, ast.Name) and \
                    isinstance(self.functions.get(fn.id), ast.FunctionDef) \
                    and stores.get(target) == 1 and \
                    target not in self.functions:
                made = copy.deepcopy(self.functions[fn.id])
                made.name = target
                made.decorator_list = [maker]
                self.functions[target] = made
                body.append(made)
                continue
            if maker is not None:
                made = self.function_entry(tree, target, stores, maker, fn)
                self.functions[target] = made
                body.append(made)
                continue
            body.append(stmt)
        body.extend(self.method_entries(tree, body, stores))
        return body

    def method_entries(self, tree, body, stores):
        """Entries of the @tf.function methods of module models: for
        `m = M(...)` (bound once) whose class, along its method resolution
        order, defines `serve` decorated `@tf.function(input_signature=
        [...])` (a SavedModel's serving signature), the entry `m_serve`, as
        if the file said `m_serve = tf.function(m.serve, input_signature=
        [...])` (function_entry). A decorated method without an
        input_signature is not an entry (its argument shapes are given by
        no example call of the entry): the caller decorated at module level
        is."""
        made = []
        for stmt in body:
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name) and
                    isinstance(stmt.value, ast.Call) and
                    isinstance(stmt.value.func, ast.Name) and
                    isinstance(self.classes.get(stmt.value.func.id),
                               ast.ClassDef)):
                continue
            var = stmt.targets[0].id
            if stores.get(var) != 1:
                continue
            seen = set()
            for cls in self.mro(self.classes[stmt.value.func.id]):
                for item in getattr(cls, "body", []):
                    if not isinstance(item, ast.FunctionDef) or \
                            item.name in seen:
                        continue
                    seen.add(item.name)
                    maker = next((d for d in item.decorator_list
                                  if isinstance(d, ast.Call) and
                                  self.qualify(d.func) in TF_FUNCTION and
                                  any(k.arg == "input_signature"
                                      for k in d.keywords)), None)
                    if maker is None:
                        continue
                    target = f"{var}_{item.name}"
                    if target in stores or target in self.functions:
                        raise SourceError(item, f"the @tf.function method "
                                          f"'{item.name}' of '{var}' is the "
                                          f"entry '{target}', a name the "
                                          "file binds too: rename one")
                    # `input_signature=SPECS` of a list bound once at
                    # module level: that list (helper-149).
                    given = next(k for k in maker.keywords
                                 if k.arg == "input_signature")
                    if isinstance(given.value, ast.Name) and \
                            stores.get(given.value.id) == 1:
                        bound = list_bound_to(given.value.id, body)
                        if bound is not None:
                            maker = copy.copy(maker)
                            maker.keywords = [
                                ast.keyword(arg=k.arg,
                                            value=copy.deepcopy(bound))
                                if k is given else k for k in maker.keywords]
                    fn = ast.copy_location(ast.Attribute(
                        value=ast.copy_location(
                            ast.Name(id=var, ctx=ast.Load()), item),
                        attr=item.name, ctx=ast.Load()), item)
                    entry = self.function_entry(
                        tree, target, {**stores, target: 1}, maker, fn)
                    self.functions[target] = entry
                    stores[target] = 1
                    made.append(entry)
        return made

    def function_entry(self, tree, target, stores, maker, fn):
        """The entry `target = tf.function(fn, input_signature=[...])`
        makes of what is not a function of the file: a lambda
        (`tf.function(lambda x: net(x), ...)`) is a function of that body;
        a model or one of its methods (`tf.function(net, ...)`,
        `tf.function(net.call, ...)`), a function calling it with one
        parameter per TensorSpec, named as the method's (`x` for a model).
        Anything else is an error, never a silent drop (helper-130)."""
        if target is None or stores.get(target) != 1 or \
                target in self.functions:
            raise SourceError(maker, f"'{ast.unparse(fn)}' is made a "
                              "tf.function here, bound to a name assigned "
                              "more than once or to a function's name: "
                              "bind it once, to a name of its own")
        if isinstance(fn, ast.Lambda):
            made = ast.FunctionDef(name=target, args=fn.args,
                                   body=[ast.copy_location(
                                       ast.Return(value=fn.body), fn.body)],
                                   decorator_list=[maker], returns=None,
                                   type_comment=None)
            return ast.fix_missing_locations(ast.copy_location(made, fn))
        base = fn.value if isinstance(fn, ast.Attribute) else fn
        signature = next((k.value for k in maker.keywords
                          if k.arg == "input_signature"), None)
        if not isinstance(base, ast.Name) or base.id in self.functions or \
                base.id in self.classes or \
                not isinstance(signature, (ast.List, ast.Tuple)):
            raise SourceError(fn, f"tf.function of '{ast.unparse(fn)}' is "
                              "not converted: predict converts "
                              "tf.function of a function of the file, a "
                              "lambda, a model or a model's method, given "
                              "input_signature as a list of tf.TensorSpec")
        names = self.method_parameters(tree, fn)
        if len(names) < len(signature.elts):
            names = ["x"] if len(signature.elts) == 1 else \
                [f"x{i}" for i in range(len(signature.elts))]
        names = names[:len(signature.elts)]
        call = ast.Call(func=copy.deepcopy(fn),
                        args=[ast.Name(id=n, ctx=ast.Load()) for n in names],
                        keywords=[])
        made = ast.FunctionDef(
            name=target,
            args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=n)
                                                     for n in names],
                               vararg=None, kwonlyargs=[], kw_defaults=[],
                               kwarg=None, defaults=[]),
            body=[ast.Return(value=call)], decorator_list=[maker],
            returns=None, type_comment=None)
        for node in ast.walk(made):
            if node is not maker and not isinstance(node, ast.arguments):
                ast.copy_location(node, fn)
        return ast.fix_missing_locations(made)

    def property_reads(self):
        """`self.X` read in a method of a class of the file, where the
        first class along its method resolution order whose body binds X
        binds it by one `@property def X(self)` (a getter, no setter), and
        every class of the file binding X binds it so: rewritten as the
        call `self.X()`, which is what Python's property runs (the getter,
        converted as a method call). Found by helper-147: a property read
        in `call` was "unsupported expression"."""
        bound = {}  # name -> whether every class binding it has a getter
        for cls in self.classes.values():
            # The statements of the body binding each name (one class
            # body per statement: class_body_bindings's rule).
            binders = {}
            for stmt in cls.body:
                for name in class_body_bindings(ast.ClassDef(
                        name="", bases=[], keywords=[], body=[stmt],
                        decorator_list=[])):
                    binders.setdefault(name, []).append(stmt)
            for name, stmts in binders.items():
                getter = len(stmts) == 1 and \
                    isinstance(stmts[0], ast.FunctionDef) and \
                    len(stmts[0].args.args) == 1 and \
                    [ast.unparse(d) for d in stmts[0].decorator_list] == \
                    ["property"]
                bound[name] = bound.get(name, True) and getter
        properties = {n for n, ok in bound.items() if ok}
        if not properties:
            return
        for cls in self.classes.values():
            chain = [c for c in self.mro(cls) if isinstance(c, ast.ClassDef)]
            reachable = {n for c in chain for n in class_body_bindings(c)}
            for fn in cls.body:
                if not isinstance(fn, ast.FunctionDef) or not fn.args.args:
                    continue
                me = fn.args.args[0].arg
                called = {id(n.func) for n in ast.walk(fn)
                          if isinstance(n, ast.Call)}
                for node in ast.walk(fn):
                    for field, value in ast.iter_fields(node):
                        items = value if isinstance(value, list) else [value]
                        for i, item in enumerate(items):
                            if not (isinstance(item, ast.Attribute) and
                                    isinstance(item.ctx, ast.Load) and
                                    isinstance(item.value, ast.Name) and
                                    item.value.id == me and
                                    item.attr in properties and
                                    item.attr in reachable):
                                continue
                            if id(item) in called:
                                raise SourceError(item, f"'{me}.{item.attr}"
                                                  "(...)' calls what the "
                                                  f"property '{item.attr}' "
                                                  "returns, which is not "
                                                  "converted: call that "
                                                  "value where the getter "
                                                  "makes it (a layer: "
                                                  f"{me}.d(x))")
                            call = ast.copy_location(ast.Call(
                                func=item, args=[], keywords=[]), item)
                            if isinstance(value, list):
                                value[i] = call
                            else:
                                setattr(node, field, call)

    def method_parameters(self, tree, fn):
        """The parameters after self of `fn`, `net.method` of a module
        model `net = Net(...)` of a class of the file (its `call` for
        `net`); [] where unknown."""
        base = fn.value if isinstance(fn, ast.Attribute) else fn
        method = fn.attr if isinstance(fn, ast.Attribute) else "call"
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                    isinstance(stmt.targets[0], ast.Name) and \
                    stmt.targets[0].id == base.id and \
                    isinstance(stmt.value, ast.Call) and \
                    isinstance(stmt.value.func, ast.Name) and \
                    isinstance(self.classes.get(stmt.value.func.id),
                               ast.ClassDef):
                for cls in self.mro(self.classes[stmt.value.func.id]):
                    for item in getattr(cls, "body", []):
                        if isinstance(item, ast.FunctionDef) and \
                                item.name == method:
                            return [a.arg for a in item.args.args[1:]]
        return []

    def inline_script_functions(self, tree):
        """`tree.body` with the script's own code at module level: the body
        of `if __name__ == "__main__":` (without `else`) in its place, and
        the function a script runs inlined where it is run: a statement
        `main()` at module level (also under that `if`) calling a function
        of the file that makes a model, a function, a class or a
        tf.function is replaced by that function's body (`model = Net()`,
        `@tf.function def serve(x): return model(x)`, `serve(x)`), and its
        `def` removed, as if the script were written at module level. Only
        where that changes no meaning: `main` undecorated, without
        parameters, called once and named nowhere else, its body without
        `return` (but a last bare one), `global`, `nonlocal`, `yield` or
        `await`, and no name it binds bound or read by the module's own
        statements, defined there, or read by another function or class
        of the module as a module name (Python's NameError there).
        Otherwise the script is left as
        written (its nested functions are not entries)."""
        defined = {n.name: n for n in tree.body
                   if isinstance(n, ast.FunctionDef)}
        loads = {}
        for n in ast.walk(tree):
            if isinstance(n, ast.Name):
                loads[n.id] = loads.get(n.id, 0) + 1

        def free_names(scope):
            # The names a function or class of the module reads and does
            # not bind itself (its own parameters and assignments).
            own = {n.id for n in ast.walk(scope) if isinstance(n, ast.Name)
                   and not isinstance(n.ctx, ast.Load)}
            own |= {a.arg for n in ast.walk(scope)
                    if isinstance(n, ast.arguments)
                    for a in n.posonlyargs + n.args + n.kwonlyargs +
                    [n.vararg, n.kwarg] if a}
            return {n.id for n in ast.walk(scope) if isinstance(n, ast.Name)
                    and isinstance(n.ctx, ast.Load)} - own

        def module_names(fn):
            names = set()
            for stmt in tree.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef,
                                     ast.ClassDef)):
                    names.add(stmt.name)
                    if stmt is not fn:
                        names |= free_names(stmt)
                    continue
                for n in own_level(stmt):
                    if isinstance(n, ast.Name):
                        names.add(n.id)
                    elif isinstance(n, (ast.Import, ast.ImportFrom)):
                        names |= {a.asname or a.name.split(".")[0]
                                  for a in n.names}
            return names

        classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}

        def makes(func):
            # A class of the file, tf.function, a Sequential or Model.
            if isinstance(func, ast.Name):
                return func.id in classes or func.id in (
                    "function", "Sequential", "Model")
            return isinstance(func, ast.Attribute) and func.attr in (
                "function", "Sequential", "Model")

        def script_body(stmt):
            call = stmt.value if isinstance(stmt, ast.Expr) else None
            if not (isinstance(call, ast.Call) and
                    isinstance(call.func, ast.Name) and
                    not call.args and not call.keywords):
                return None
            fn = defined.get(call.func.id)
            if fn is None or fn.decorator_list or loads[fn.name] != 1:
                return None
            a = fn.args
            if a.posonlyargs or a.args or a.vararg or a.kwonlyargs or \
                    a.kwarg:
                return None
            body = without_docstring(fn.body)
            if body and isinstance(body[-1], ast.Return) and \
                    body[-1].value is None:
                body = body[:-1]
            nodes = [n for stmt in body for n in own_level(stmt)]
            # (Only a body that makes what converted code needs: a model,
            # a function or class, a tf.function; example calls are read
            # in `main` as written, read_script_functions.)
            if not any(isinstance(n, (ast.FunctionDef, ast.ClassDef)) or
                       (isinstance(n, ast.Call) and makes(n.func))
                       for n in nodes):
                return None
            if any(isinstance(n, (ast.Return, ast.Global, ast.Nonlocal,
                                  ast.Yield, ast.YieldFrom, ast.Await))
                   for n in nodes):
                return None
            bound = {n.id for n in nodes if isinstance(n, ast.Name) and
                     not isinstance(n.ctx, ast.Load)}
            bound |= {n.name for n in nodes
                      if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            if bound & (module_names(fn) - {fn.name}):
                return None
            return fn, body

        def main_guard(stmt):
            # `if __name__ == "__main__":` without `else`: true when the
            # file runs as the script, which is what predict reads.
            test = stmt.test if isinstance(stmt, ast.If) else None
            return isinstance(test, ast.Compare) and not stmt.orelse and \
                len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq) and \
                {ast.dump(test.left), ast.dump(test.comparators[0])} == \
                {ast.dump(ast.Name(id="__name__", ctx=ast.Load())),
                 ast.dump(ast.Constant(value="__main__"))}

        inlined = set()

        def statements(body):
            out = []
            for stmt in body:
                found = script_body(stmt)
                if found:
                    inlined.add(found[0].name)
                    out += found[1]
                    continue
                if main_guard(stmt):
                    out += statements(stmt.body)
                    continue
                out.append(stmt)
            return out
        body = statements(tree.body)
        return [n for n in body if not (isinstance(n, ast.FunctionDef) and
                                        n.name in inlined)]

    def read_module(self, tree):
        self.tree = tree
        tree.body = self.inline_script_functions(tree)
        for node in tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        self.imports[root] = root
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (
                        f"{node.module or ''}.{alias.name}".lstrip("."))
            elif isinstance(node, ast.ClassDef):
                self.classes[node.name] = node
            elif isinstance(node, ast.FunctionDef):
                self.functions[node.name] = node
        tree.body = self.split_tuple_assignments(tree.body)
        tree.body = self.module_aliases(tree)
        self.property_reads()
        # `model = build_model(8)`: the builder's statements where it is
        # called, as Python runs them; the rest reads the module so.
        tree.body = self.hoist_model_arguments(
            self.fold_sequential_adds(self.inline_builders(tree.body)))
        # Names bound once, by a top-level `NAME = value`, are constants.
        counts = {}
        for node in tree.body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef)):
                continue
            for sub in ast.walk(node):
                targets = []
                if isinstance(sub, (ast.Assign, ast.Delete)):
                    targets = sub.targets
                elif isinstance(sub, (ast.AugAssign, ast.AnnAssign, ast.For,
                                      ast.AsyncFor, ast.NamedExpr)):
                    targets = [sub.target]
                elif isinstance(sub, (ast.With, ast.AsyncWith)):
                    targets = [i.optional_vars for i in sub.items
                               if i.optional_vars is not None]
                elif isinstance(sub, ast.ExceptHandler) and sub.name:
                    counts[sub.name] = counts.get(sub.name, 0) + 2
                elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                    for alias in sub.names:
                        bound = alias.asname or alias.name.split(".")[0]
                        counts[bound] = counts.get(bound, 0) + 2
                for target in targets:
                    for n in ast.walk(target):
                        # (`m.trainable = False` binds no name: `m` is
                        # read; changed_in_place sees the change.)
                        if isinstance(n, ast.Name) and \
                                not isinstance(n.ctx, ast.Load):
                            counts[n.id] = counts.get(n.id, 0) + 1
        # A value changed in place (`SIZES.append(2)`, `CFG["k"] = 1`,
        # anywhere in the file), or bound by a function (`global K`), is
        # not a constant either.
        self.binding_counts = dict(counts)
        self.module_statements = {id(n) for n in tree.body}
        self.changed = changed_in_place(tree)
        # Names reached through a namespace (`globals()["K"] = 5.0`, a
        # frame's f_globals; helper-142): no module name is a constant.
        # (`vars(x)` of an object is a use of x.)
        given_vars = {id(n.func) for n in ast.walk(tree)
                      if isinstance(n, ast.Call) and n.args and
                      isinstance(n.func, ast.Name) and n.func.id == "vars"}
        if any(self.reaches_namespace(n) and id(n) not in given_vars
               for n in ast.walk(tree)):
            self.changed.update(counts)
        wrapped = classmethods_of(tree)
        for sub in ast.walk(tree):
            if isinstance(sub, ast.Global):
                self.changed.update(sub.names)
            # A class changed by setattr or delattr, or any class through
            # an expression of it (`type(self).count = 0`, `cls.K = 2`).
            if isinstance(sub, ast.Call) and \
                    isinstance(sub.func, ast.Name) and \
                    sub.func.id in ("setattr", "delattr") and sub.args:
                for n in ast.walk(sub.args[0]):
                    if isinstance(n, ast.Name):
                        self.class_setattr.setdefault(n.id, sub)
            if isinstance(sub, ast.Attribute) and \
                    not isinstance(sub.ctx, ast.Load) and (
                        isinstance(sub.value, ast.Call) or
                        isinstance(sub.value, ast.Attribute) and
                        sub.value.attr == "__class__" or
                        isinstance(sub.value, ast.Name) and
                        sub.value.id == "cls"):
                for name in self.classes:
                    self.class_setattr.setdefault(name, sub)
            # A classmethod's first parameter is a class, whatever its name
            # (helper-139: `def setup(c, v): c.S = v` was not seen).
            param = classmethod_param(sub, wrapped)
            store = next((n for n in ast.walk(sub)
                          if isinstance(n, ast.Attribute) and
                          not isinstance(n.ctx, ast.Load) and
                          isinstance(n.value, ast.Name) and
                          n.value.id == param), None) \
                if param is not None else None
            if store is not None:
                for name in self.classes:
                    self.class_setattr.setdefault(name, store)
        self.class_escapes = self.escaped_classes(tree)

        # Module containers of literals only (`OPTS = {"shift": 0.5}`):
        # unpacked into a call (`f(*SIZES)`, `f(**OPTS)`), Python gives the
        # function a new tuple or dict of their items, which it cannot
        # change in place.
        def of_literals(value):
            if isinstance(value, (ast.Tuple, ast.List)):
                return all(of_literals(e) for e in value.elts)
            if isinstance(value, ast.Dict):
                return all(k is not None for k in value.keys) and \
                    all(of_literals(v) for v in value.values)
            if isinstance(value, ast.UnaryOp):
                return of_literals(value.operand)
            return isinstance(value, ast.Constant)
        literal_containers = {
            n.targets[0].id for n in tree.body
            if isinstance(n, ast.Assign) and len(n.targets) == 1 and
            isinstance(n.targets[0], ast.Name) and
            isinstance(n.value, (ast.Tuple, ast.List, ast.Dict)) and
            of_literals(n.value)}

        def unpacked(value):
            """`value`, an argument of a call, as the name it shares:
            `*L` and `**D` share L and D unless they hold literals only."""
            if isinstance(value, ast.Starred):
                value = value.value
                if isinstance(value, ast.Name) and \
                        value.id in literal_containers:
                    return None
            return value

        def shared_names(roots):
            """The names whose values get a second name in `roots`: `L2 =
            L`, `M = [L]`, `add(L)` (a list or dict another name, or a
            function of the file, may change)."""
            shared = set()
            for root in roots:
                for sub in ast.walk(root):
                    values = []
                    if isinstance(sub, (ast.Assign, ast.AnnAssign,
                                        ast.AugAssign, ast.NamedExpr)):
                        values = [sub.value]
                    elif isinstance(sub, (ast.List, ast.Tuple, ast.Set)):
                        values = sub.elts
                    elif isinstance(sub, ast.Dict):
                        values = sub.values
                    elif isinstance(sub, ast.Call) and (
                            isinstance(sub.func, ast.Name) and
                            sub.func.id in self.functions or
                            self.may_change_arguments(sub)):
                        values = [unpacked(a) for a in sub.args] + [
                            k.value if k.arg is not None or not (
                                isinstance(k.value, ast.Name) and
                                k.value.id in literal_containers)
                            else None for k in sub.keywords]
                    shared.update(v.id for v in values
                                  if isinstance(v, ast.Name))
            return shared
        shared = shared_names([tree])
        # An array (ARRAY_MAKERS) named again in converted code or in
        # __init__ (`h = MEAN`, `self.mean = MEAN`) stays the module's: they
        # do not change arrays in place; at module level (`M = MEAN`, then
        # `M[0] = 1`) the other name may.
        module_shared = shared_names(
            [n for n in tree.body
             if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef,
                                   ast.ClassDef))])
        # The module's arrays: names bound to an array maker's call, or to
        # arithmetic of one or of another array (`INV = 1.0 / STD`).
        arrays = set()
        for node in tree.body:
            if isinstance(node, ast.Assign) and \
                    self.numpy_scalar(node.value):
                continue  # immutable, as Python's numbers are
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                    isinstance(node.targets[0], ast.Name) and any(
                        isinstance(n, ast.Call) and
                        self.qualify(n.func) in ARRAY_MAKERS or
                        isinstance(n, ast.Name) and n.id in arrays
                        for n in ast.walk(node.value)) and \
                    isinstance(node.value, (ast.Call, ast.BinOp,
                                            ast.UnaryOp)):
                arrays.add(node.targets[0].id)
        # Where each array that code run at import may change is used so
        # (its line, for the error where converted code reads it).
        self.changed_at = {name: loc_json(node) for name, node in
                           self.arrays_changed(tree, arrays).items()}
        self.changed.update(self.changed_at)
        mutable = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp,
                   ast.SetComp, ast.Call)
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                    isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                array = name in arrays
                if name in (module_shared if array else shared) and \
                        (array or isinstance(node.value, mutable)):
                    self.changed.add(name)
                if counts.get(name) == 1 and name not in self.changed and \
                        name not in self.classes and \
                        name not in self.functions:
                    self.constant_nodes[name] = node.value
        # Script code is read only for instantiations and example calls,
        # wherever it stands (a `try:` around the calls included).
        for node in tree.body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.Import,
                                 ast.ImportFrom)):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.Assign) and len(sub.targets) == 1 \
                        and isinstance(sub.targets[0], ast.Name) \
                        and isinstance(sub.value, ast.Call):
                    self.read_assignment(sub.targets[0].id, sub.value)
                    continue
                # A model's name bound again to something else than a new
                # model (`m1 = m2`, `m1, m2 = m2, m1`): Python's name then
                # holds another model, which predict does not follow.
                targets = sub.targets if isinstance(sub, ast.Assign) else \
                    [sub.target] if isinstance(
                        sub, (ast.AugAssign, ast.AnnAssign, ast.For,
                              ast.NamedExpr)) else []
                def bound(t):
                    """The names target `t` binds (not `m.attr = ...`)."""
                    if isinstance(t, ast.Name):
                        return [t]
                    if isinstance(t, ast.Starred):
                        return bound(t.value)
                    if isinstance(t, (ast.Tuple, ast.List)):
                        return [n for e in t.elts for n in bound(e)]
                    return []
                for target in targets:
                    for n in bound(target):
                        if n.id in self.models:
                            raise SourceError(
                                sub, f"'{n.id}' holds a model and is bound "
                                "again here to something other than a new "
                                "model (another name, a swap): predict "
                                "follows a module model bound by its "
                                "constructor; give each model its own name "
                                "and call that")
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) \
                        and sub.func.id in self.functions:
                    self.read_example_call(sub)
        self.read_script_functions(tree)

    def read_script_functions(self, tree):
        """Example calls in the functions the script runs (`def main(): ...
        f(x)`, then `main()`), each read once, after those the script
        makes itself; not in entries, whose calls are converted code."""
        entries = set(fn.name for fn in self.entries())
        queue = [sub.func.id for node in tree.body
                 if not isinstance(node, (ast.ClassDef, ast.FunctionDef))
                 for sub in ast.walk(node)
                 if isinstance(sub, ast.Call) and
                 isinstance(sub.func, ast.Name) and
                 sub.func.id in self.functions]
        seen = set()
        while queue:
            name = queue.pop(0)
            if name in seen or name in entries:
                continue
            seen.add(name)
            for sub in ast.walk(self.functions[name]):
                if isinstance(sub, ast.Call) and \
                        isinstance(sub.func, ast.Name) and \
                        sub.func.id in self.functions:
                    self.read_example_call(sub)
                    queue.append(sub.func.id)

    def makes_model(self, node, seen=()):
        """Whether the expression `node` makes a model: a Sequential,
        `tf.keras.Model(inputs, outputs)`, a model class of the file, or a
        call of a builder (`returns_model`)."""
        if not isinstance(node, ast.Call):
            return False
        if isinstance(node.func, ast.Name) and node.func.id in self.classes:
            try:
                return self.is_model_class(self.classes[node.func.id])
            except SourceError:
                return False  # said where the class is read
        if isinstance(node.func, ast.Name) and \
                node.func.id in self.functions:
            return self.returns_model(self.functions[node.func.id], seen)
        made = self.qualify(node.func)
        return made in SEQUENTIAL or (made in MODEL_BASES and
                                      bool(node.args or node.keywords))

    def returns_model(self, fn, seen=()):
        """Whether `fn`, a function of the file, builds a model and returns
        it: undecorated, of plain statements (no def, class, import,
        global, yield), ending with its only `return`, whose value makes a
        model (`makes_model`) or names the local bound once, at the top of
        its body, to one (`model = tf.keras.Sequential([...])`, then
        `model.compile(...)`, `return model`)."""
        if fn.decorator_list or fn.name in seen:
            return False
        body = without_docstring(fn.body)
        if not body or not isinstance(body[-1], ast.Return) or \
                body[-1].value is None:
            return False
        for stmt in body:
            for n in ast.walk(stmt):
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef,
                                  ast.ClassDef, ast.Global, ast.Nonlocal,
                                  ast.Yield, ast.YieldFrom, ast.Await,
                                  ast.Import, ast.ImportFrom)) or (
                        isinstance(n, ast.Return) and n is not body[-1]):
                    return False
        value = body[-1].value
        if isinstance(value, ast.Name):
            binds = [n for stmt in body for n in ast.walk(stmt)
                     if isinstance(n, ast.Name) and n.id == value.id and
                     not isinstance(n.ctx, ast.Load)]
            makers = [stmt.value for stmt in body
                      if isinstance(stmt, ast.Assign) and
                      len(stmt.targets) == 1 and
                      stmt.targets[0] in binds]
            if len(binds) != 1 or len(makers) != 1:
                return False
            value = makers[0]
        return self.makes_model(value, seen + (fn.name,))

    def makes_model_object(self, node):
        """Whether `node` is a call that makes a model: of a model class of
        the file, or tf.keras.Sequential."""
        if not isinstance(node, ast.Call):
            return False
        if isinstance(node.func, ast.Name) and node.func.id in self.classes:
            return self.is_model_class(self.classes[node.func.id])
        return self.qualify(node.func) in SEQUENTIAL

    def hoist_model_arguments(self, statements):
        """`statements` (the module's) with each model made in the
        arguments of a model class (`model = Top(Encoder(8), 3)`) made
        first, as Python makes it before the call, into a module model of
        its own named after the target and the parameter
        (`model$encoder = Encoder(8)`, then `model = Top(model$encoder,
        3)`): the holder holds that model as it holds one of the module
        (`self.encoder = encoder`), and its layers are made in Python's
        order."""
        out = []
        for node in statements:
            call = node.value if isinstance(node, ast.Assign) and \
                len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name) else None
            if not (isinstance(call, ast.Call) and
                    isinstance(call.func, ast.Name) and
                    self.makes_model_object(call)) or \
                    call.func.id not in self.classes:
                out.append(node)
                continue
            init = next((f for f in self.classes[call.func.id].body
                         if isinstance(f, ast.FunctionDef) and
                         f.name == "__init__"), None)
            params = [a.arg for a in init.args.args[1:]] if init else []
            made = []
            target = node.targets[0].id
            arguments = [(params[i] if i < len(params) else f"arg{i}", i, a)
                         for i, a in enumerate(call.args)] + \
                [(kw.arg, kw, kw.value) for kw in call.keywords
                 if kw.arg is not None]
            for name, where, value in arguments:
                if not self.makes_model_object(value):
                    continue
                hoisted = f"{target}${name}"
                made.append(ast.copy_location(ast.Assign(
                    targets=[ast.copy_location(
                        ast.Name(id=hoisted, ctx=ast.Store()), value)],
                    value=value), value))
                held = ast.copy_location(ast.Name(id=hoisted, ctx=ast.Load()),
                                         value)
                if isinstance(where, int):
                    call.args[where] = held
                else:
                    where.value = held
            for stmt in made:
                ast.fix_missing_locations(stmt)
            # A hoisted model's own arguments are hoisted in turn.
            out += self.hoist_model_arguments(made) + [node]
        return out

    def split_tuple_assignments(self, statements):
        """`statements` (the module's) with each `a, b = X, Y` whose
        targets are names, as many as the values, and whose values read
        none of those names, made `a = X` then `b = Y`: the same bindings
        as Python's (it evaluates X and Y before binding), so that models,
        layers and constants bound so are the module's as any other."""
        out = []
        for node in statements:
            targets = node.targets[0].elts if isinstance(node, ast.Assign) \
                and len(node.targets) == 1 and \
                isinstance(node.targets[0], (ast.Tuple, ast.List)) else None
            values = node.value.elts if targets is not None and \
                isinstance(node.value, (ast.Tuple, ast.List)) else None
            names = {t.id for t in targets or [] if isinstance(t, ast.Name)}
            if values is None or len(values) != len(targets) or \
                    len(names) != len(targets) or \
                    any(isinstance(v, ast.Starred) for v in values) or \
                    any(isinstance(n, ast.Name) and n.id in names
                        for v in values for n in ast.walk(v)):
                out.append(node)
                continue
            for target, value in zip(targets, values):
                out.append(ast.copy_location(
                    ast.Assign(targets=[target], value=value), node))
        return out

    def fold_sequential_adds(self, statements):
        """`statements` (the module's) with `m = tf.keras.Sequential()`
        followed by `m.add(layer)` statements, and `for` loops whose body
        is one `m.add(...)`, made one `m = tf.keras.Sequential([...])`
        where the last of them stands: the list written out, each loop a
        comprehension (unrolled where the list is read). Only statements
        right after the Sequential are folded, so no name they read is
        bound in between; a loop whose variable is read elsewhere is not
        folded (Python leaves it bound to the last value)."""
        def adds(stmt, var):
            """The layer `stmt` adds to `var` (`var.add(layer)`), or None."""
            call = stmt.value if isinstance(stmt, ast.Expr) else None
            if isinstance(call, ast.Call) and \
                    isinstance(call.func, ast.Attribute) and \
                    call.func.attr == "add" and \
                    isinstance(call.func.value, ast.Name) and \
                    call.func.value.id == var and len(call.args) == 1 and \
                    not call.keywords and \
                    not isinstance(call.args[0], ast.Starred):
                return call.args[0]
            return None

        def loaded(name, skip):
            return any(isinstance(n, ast.Name) and n.id == name and
                       isinstance(n.ctx, ast.Load)
                       for stmt in statements if stmt is not skip
                       for n in ast.walk(stmt))
        out, i = [], 0
        while i < len(statements):
            node = statements[i]
            i += 1
            made = node.value if isinstance(node, ast.Assign) and \
                len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name) else None
            if not (isinstance(made, ast.Call) and
                    self.qualify(made.func) in SEQUENTIAL and
                    len(made.args) <= 1):
                out.append(node)
                continue
            var = node.targets[0].id
            given = made.args[0] if made.args else next(
                (kw.value for kw in made.keywords if kw.arg == "layers"),
                None)
            if given is not None and not isinstance(given,
                                                    (ast.List, ast.Tuple)):
                out.append(node)
                continue
            parts = [list(given.elts) if given is not None else []]
            last = node
            while i < len(statements):
                stmt = statements[i]
                layer = adds(stmt, var)
                if layer is not None:
                    parts[-1].append(layer)
                elif isinstance(stmt, ast.For) and not stmt.orelse and \
                        stmt.body and \
                        all(adds(s, var) is not None for s in stmt.body) and \
                        not any(loaded(n.id, stmt)
                                for n in ast.walk(stmt.target)
                                if isinstance(n, ast.Name)):
                    # One layer an iteration: [A(w) for w in W]; several:
                    # [l for w in W for l in [A(w), B(w)]].
                    layers = [adds(s, var) for s in stmt.body]
                    generators = [ast.comprehension(
                        target=stmt.target, iter=stmt.iter, ifs=[],
                        is_async=0)]
                    elt = layers[0]
                    if len(layers) > 1:
                        elt = ast.Name(id="$layer", ctx=ast.Load())
                        generators.append(ast.comprehension(
                            target=ast.Name(id="$layer", ctx=ast.Store()),
                            iter=ast.List(elts=layers, ctx=ast.Load()),
                            ifs=[], is_async=0))
                    parts.append(ast.fix_missing_locations(ast.copy_location(
                        ast.ListComp(elt=elt, generators=generators), stmt)))
                    parts.append([])
                else:
                    if isinstance(stmt, (ast.For, ast.While, ast.If)) and \
                            any(adds(sub, var) is not None
                                for sub in ast.walk(stmt)
                                if isinstance(sub, ast.Expr)):
                        raise SourceError(
                            stmt, f"'{var}.add(...)' here is not folded into "
                            "the Sequential: predict folds `m.add(layer)` "
                            "statements and `for` loops whose body is only "
                            "`m.add(...)` statements, right after `m = "
                            "tf.keras.Sequential()`; write the choice in the "
                            "call (`m.add(Dense(7) if i == 1 else "
                            "Dense(3))`)")
                    break
                last = stmt
                i += 1
            if last is node:
                out.append(node)
                continue
            joined = None
            for part in parts:
                if isinstance(part, list):
                    if not part and joined is not None:
                        continue
                    part = ast.copy_location(
                        ast.List(elts=part, ctx=ast.Load()), made)
                joined = part if joined is None else ast.copy_location(
                    ast.BinOp(left=joined, op=ast.Add(), right=part), made)
            call = ast.copy_location(ast.Call(
                func=made.func, args=[joined],
                keywords=[kw for kw in made.keywords
                          if kw.arg != "layers"]), made)
            out.append(ast.fix_missing_locations(ast.copy_location(
                ast.Assign(targets=node.targets, value=call), last)))
        return out

    def bound_once_before(self, node, fn):
        """Whether `node` is a name the module binds once, at its top level,
        before `fn` is defined: it has that value wherever `fn` reads it."""
        if not isinstance(node, ast.Name):
            return False
        binds = [i for i, stmt in enumerate(self.tree.body)
                 for n in ([stmt] if isinstance(stmt, (
                     ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                     else walk_running(stmt))
                 if getattr(n, "name", None) == node.id or (
                     isinstance(n, ast.Name) and n.id == node.id and
                     not isinstance(n.ctx, ast.Load))]
        return len(binds) == 1 and binds[0] < self.tree.body.index(fn)

    def inline_builders(self, statements, seen=()):
        """`statements` (the module's) with each `NAME = builder(...)`
        (a call of a function that `returns_model`) replaced by the
        builder's statements as Python runs them there: its parameters
        bound to the arguments, its own names made its own
        (`build_model$1$x`), the local it returns named NAME (or NAME bound
        to the returned expression). The model is then made at module
        level, as if written there, with the layers Python makes in that
        order. Builders that call builders are inlined in turn."""
        out = []
        for node in statements:
            call = node.value if isinstance(node, ast.Assign) and \
                len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name) else None
            fn = self.functions.get(call.func.id) \
                if isinstance(call, ast.Call) and \
                isinstance(call.func, ast.Name) and \
                call.func.id not in self.classes else None
            if fn is None or not self.returns_model(fn, seen):
                out.append(node)
                continue
            out += self.inline_builders(
                self.builder_statements(fn, call, node.targets[0].id),
                seen + (fn.name,))
        return out

    def builder_statements(self, fn, call, target):
        """The statements of `target = fn(...)` (inline_builders)."""
        a = fn.args
        if a.vararg or a.kwarg or a.posonlyargs or any(
                isinstance(x, ast.Starred) for x in call.args) or any(
                kw.arg is None for kw in call.keywords):
            raise SourceError(call, f"'{fn.name}' builds a model, which "
                              "predict converts when it takes and is given "
                              "its parameters one by one (not *args, "
                              "**kwargs or positional-only)")
        params = [p.arg for p in a.args]
        names = params + [p.arg for p in a.kwonlyargs]
        defaults = dict(zip(params[len(params) - len(a.defaults):],
                            a.defaults))
        defaults.update({p.arg: d for p, d in zip(a.kwonlyargs,
                                                  a.kw_defaults)
                         if d is not None})
        if len(call.args) > len(params):
            raise SourceError(call, f"'{fn.name}' takes {len(params)} "
                              "positional argument(s), not "
                              f"{len(call.args)} (Python raises TypeError)")
        given = dict(zip(params, call.args))
        for kw in call.keywords:
            if kw.arg not in names or kw.arg in given:
                raise SourceError(kw.value, f"'{fn.name}' " + (
                    f"has no parameter '{kw.arg}'" if kw.arg not in names
                    else f"is given '{kw.arg}' twice") +
                    " (Python raises TypeError)")
            given[kw.arg] = kw.value
        for p in names:
            if p in given:
                continue
            if p not in defaults:
                raise SourceError(call, f"'{fn.name}' is not given its "
                                  f"argument '{p}' (Python raises TypeError)")
            # Python evaluates a default once, when `def` runs.
            if not (immutable_literal(defaults[p]) or
                    self.qualify(defaults[p]) or
                    self.bound_once_before(defaults[p], fn)):
                raise SourceError(defaults[p], f"the default of '{p}' of "
                                  f"'{fn.name}' is converted when it is a "
                                  "number, a string, None, a tuple of them, "
                                  "an imported name or a module name bound "
                                  "once before the function (Python makes "
                                  "its value once, when `def` runs): pass it "
                                  "at the call")
            given[p] = defaults[p]
        body = without_docstring(fn.body)
        stored = {n.id for stmt in body for n in ast.walk(stmt)
                  if isinstance(n, ast.Name) and
                  not isinstance(n.ctx, ast.Load)}
        self.inlined += 1
        prefix = f"{fn.name}${self.inlined}$"
        returned = body[-1].value
        renames = {n: prefix + n for n in set(names) | stored}
        # The local returned is named `target` where no other name of the
        # body or the arguments is `target` (a module name read there).
        if isinstance(returned, ast.Name) and returned.id in stored and \
                not any(isinstance(n, ast.Name) and n.id == target and
                        n.id != returned.id
                        for v in body + list(given.values())
                        for n in ast.walk(v)):
            renames[returned.id] = target
        # A parameter the body only reads, given a name or a literal, is
        # that argument where it is read (Python's value: the body binds
        # no module name); any other is bound first, in order.
        statements, substituted = [], {}
        for p in names:
            value = given[p]
            if p not in stored and (immutable_literal(value) or
                                    dotted_name(value)):
                substituted[p] = value
                continue
            statements.append(ast.copy_location(ast.Assign(
                targets=[ast.copy_location(
                    ast.Name(id=prefix + p, ctx=ast.Store()), value)],
                value=value), value))

        class Rename(ast.NodeTransformer):
            def __init__(inner):
                inner.shadowed = set()

            def visit_Name(inner, n):
                if n.id in inner.shadowed:
                    return n
                if n.id in substituted and isinstance(n.ctx, ast.Load):
                    return ast.copy_location(
                        copy.deepcopy(substituted[n.id]), n)
                n.id = renames.get(n.id, n.id)
                return n

            def visit_Lambda(inner, lam):
                lam.args = inner.visit(lam.args)  # its defaults
                own = {x.arg for x in lam.args.posonlyargs + lam.args.args +
                       lam.args.kwonlyargs + [lam.args.vararg,
                                              lam.args.kwarg] if x}
                outer = inner.shadowed
                inner.shadowed = outer | own
                lam.body = inner.visit(lam.body)
                inner.shadowed = outer
                return lam
        for stmt in body[:-1]:
            statements.append(Rename().visit(copy.deepcopy(stmt)))
        if renames.get(getattr(returned, "id", None)) != target:
            statements.append(ast.copy_location(ast.Assign(
                targets=[ast.copy_location(
                    ast.Name(id=target, ctx=ast.Store()), body[-1])],
                value=Rename().visit(copy.deepcopy(returned))), body[-1]))
        for stmt in statements:
            ast.fix_missing_locations(stmt)
        return statements

    def numpy_scalar(self, node):
        """Whether `node` makes a numpy scalar of a number written in place
        (`np.int32(3)`, `np.float32(-0.5)`): immutable, unlike the arrays
        the same makers give of a list (`np.float32([1, 2])`)."""
        if not (isinstance(node, ast.Call) and len(node.args) == 1 and
                not node.keywords and self.qualify(node.func) in
                ("numpy.float32", "numpy.float64", "numpy.int32",
                 "numpy.int64", "numpy.bool_")):
            return False
        arg = node.args[0]
        if isinstance(arg, ast.UnaryOp) and \
                isinstance(arg.op, (ast.USub, ast.UAdd)):
            arg = arg.operand
        return isinstance(arg, ast.Constant) and \
            type(arg.value) in (int, float, bool)

    def arrays_changed(self, tree, arrays):
        """The module arrays (`arrays`, names bound to ARRAY_MAKERS calls or
        arithmetic of them) that code run at import may change in place,
        through numpy or a view, each with the node of its first such use.
        Any code of the file may run at import (calls take too many forms
        to follow), so all of it is read: module statements, class bodies,
        decorators, defaults, every function and method (tf.functions too,
        whose trace runs numpy), but a model class's `__init__`, which the
        reader evaluates itself. A read is safe only as an operand of
        arithmetic, a comparison or an f-string, an argument of a copying
        array maker, of a tf.* operation, of a numpy function of
        PURE_NUMPY (the array first, no `out=`), of a model class of the
        file, of `print`, `len` and Python's other builtins that make new
        values, a method that returns a new value (`M.copy()`, `M.sum()`),
        `.shape`, `.ndim`, `.size`, `.dtype`, an element, slice or `.T`
        read safely, a local name of the array or of part of it whose reads
        are safe, or what a tf.function returns (`np.fill_diagonal(M, 1)`,
        `M.fill(7)`, `V = M[0]` then `V[1] = 5`, `v += 1`, `np.asarray(M)`,
        `for r in M`, `f(M)`, `return M` from another function are not).
        `exec`, `eval`, `globals()` and `vars()` anywhere may change any
        of them."""
        safe_attrs = {"shape", "ndim", "size", "dtype", "nbytes", "itemsize"}
        safe_calls = {"print", "len", "str", "repr", "float", "int", "bool",
                      "abs", "round", "isinstance", "type"}
        pure_methods = {"copy", "tolist", "astype", "sum", "mean", "max",
                        "min", "std", "var", "any", "all", "argmax",
                        "argmin", "flatten", "item", "dot", "prod",
                        "cumsum", "round", "tobytes"}
        changed = {}
        if not arrays:
            return changed
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and \
                    isinstance(node.func, ast.Name) and \
                    node.func.id in ("exec", "eval", "globals", "vars",
                                     "setattr", "__import__") and \
                    node.func.id not in self.functions:
                return {name: node for name in arrays}
        # What may run at import: everything but what the reader evaluates
        # itself, refusing other statements (a model class's `__init__`):
        # module statements, class bodies, decorators, defaults, and every
        # function and method of the file, called or not (calls at import
        # take too many forms to follow: aliases, decorators, hooks, a
        # model's call, predict or build run eagerly), tf.functions too
        # (their trace runs numpy), though what they return is a tensor.
        entries, inits = set(), set()
        roots, todo = [], [(stmt, False) for stmt in tree.body]
        while todo:
            stmt, in_model = todo.pop()
            if isinstance(stmt, ast.ClassDef):
                roots.extend(stmt.decorator_list)
                model = self.is_model_class(stmt)
                todo.extend((s, model) for s in stmt.body)
                continue
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                roots.extend(stmt.decorator_list)
                entry = self.is_tf_function(stmt)
                # (A default that is the array itself, of a model's method
                # or a tf.function, `__init__(self, m=MEAN)`, is read as
                # predict reads their parameters.)
                for d in stmt.args.defaults + \
                        [d for d in stmt.args.kw_defaults if d]:
                    if not ((in_model or entry) and isinstance(d, ast.Name)):
                        roots.append(d)
                # (The function whole: its local names of an array are
                # followed; nested definitions are walked with it.)
                roots.append(ast.Module(body=stmt.body, type_ignores=[]))
                if entry:
                    entries.add(id(roots[-1]))
                if in_model and stmt.name == "__init__":
                    inits.add(id(roots[-1]))
                continue
            roots.append(stmt)

        def safe(node, parents, entry=False, init=False):
            parent, child = parents.get(id(node)), node
            # `self.mean = MEAN` in a model's __init__: the reader's
            # attribute (it refuses a write into it there).
            if init and isinstance(parent, ast.Assign) and \
                    parent.value is node and len(parent.targets) == 1 and \
                    isinstance(parent.targets[0], ast.Attribute):
                return True
            # An element, slice or transpose read (`M[0]`, `M[:2]`, `M.T`)
            # is as safe as what reads it.
            if isinstance(parent, ast.Subscript) and parent.value is node \
                    and isinstance(parent.ctx, ast.Load) or \
                    isinstance(parent, ast.Attribute) and \
                    parent.attr == "T" and isinstance(parent.ctx, ast.Load):
                return safe(parent, parents, entry, init)
            # A value of a conditional expression (`M if c else r`) is as
            # safe as what reads the expression.
            if isinstance(parent, ast.IfExp) and node is not parent.test:
                return safe(parent, parents, entry, init)
            # What a lambda given to a tf.* function returns (`tf.map_fn(
            # lambda r: M, x)`) becomes a tensor there, a copy.
            if isinstance(parent, ast.Lambda) and parent.body is node:
                call = parents.get(id(parent))
                while isinstance(call, ast.keyword):
                    call = parents.get(id(call))
                return isinstance(call, ast.Call) and (
                    self.qualify(call.func) or "").startswith("tensorflow.")
            # Through the lists and keywords of a call's arguments.
            while isinstance(parent, (ast.List, ast.Tuple, ast.keyword)):
                parent, child = parents.get(id(parent)), parent
            if isinstance(parent, (ast.BinOp, ast.UnaryOp, ast.Compare,
                                   ast.BoolOp, ast.FormattedValue)):
                return True
            # An index (`x[0, IDX]`) is read.
            if isinstance(parent, (ast.Subscript, ast.Slice)) and \
                    child is not getattr(parent, "value", None):
                return True
            # What a tf.function returns is a tensor, a copy.
            if entry and isinstance(parent, ast.Return):
                return True
            if isinstance(parent, ast.Attribute):
                if parent.attr in safe_attrs:
                    return True
                call = parents.get(id(parent))
                # A view (`M.reshape(2, 2)`, `M.transpose()`, `M.ravel()`)
                # is as safe as what reads it, as `M.T` is.
                if isinstance(call, ast.Call) and call.func is parent and \
                        parent.attr in ARRAY_VIEWS:
                    return safe(call, parents, entry, init)
                return isinstance(call, ast.Call) and call.func is parent \
                    and parent.attr in pure_methods and \
                    not any(k.arg == "out" for k in call.keywords)
            if not isinstance(parent, ast.Call) or parent.func is node:
                return False
            if any(k.arg == "out" for k in parent.keywords):
                return False
            name = self.qualify(parent.func) or ""
            # (Array makers that may hand back the array itself.)
            if name == "numpy.asarray" or name == "numpy.array" and any(
                    k.arg == "copy" for k in parent.keywords):
                return False
            if name in ARRAY_MAKERS:
                return True
            # TensorFlow's operations read an array (not tf.nest, which
            # hands it back, nor the host-function wrappers).
            if name.startswith("tensorflow.") and not name.startswith((
                    "tensorflow.nest.", "tensorflow.get_static_value",
                    "tensorflow.numpy_function", "tensorflow.py_function",
                    "tensorflow.experimental.numpy.")):
                return True
            # numpy functions known to return a new array, given the array
            # first (a later argument may be `out`).
            if name[len("numpy."):] in PURE_NUMPY and parent.args and \
                    child is parent.args[0]:
                return True
            if isinstance(parent.func, ast.Name):
                called = parent.func.id
                if called in self.classes:
                    return self.is_model_class(self.classes[called])
                return called in safe_calls and called not in self.functions
            return False

        def aliases(body):
            """The local names a function's body binds to an array or a
            part of one (`m = MEAN`, `row = M[0]`), each with its array,
            and the reads that bind them: the names' reads are the
            array's."""
            alias, binding = {}, set()
            grown = True
            while grown:
                grown = False
                for n in ast.walk(body):
                    # `row = M[0]`, and `for row in M` (its rows).
                    if isinstance(n, ast.For) and \
                            isinstance(n.target, ast.Name):
                        n = ast.Assign(targets=[n.target], value=n.iter)
                    if not (isinstance(n, ast.Assign) and
                            len(n.targets) == 1 and
                            isinstance(n.targets[0], ast.Name)):
                        continue
                    v = n.value
                    # (Through views: `m = M[1:]`, `M.T`, `M.reshape(1, 4)`.)
                    while isinstance(v, ast.Subscript) or \
                            isinstance(v, ast.Attribute) and v.attr == "T" \
                            or isinstance(v, ast.Call) and \
                            isinstance(v.func, ast.Attribute) and \
                            v.func.attr in ARRAY_VIEWS:
                        v = v.func.value if isinstance(v, ast.Call) \
                            else v.value
                    if isinstance(v, ast.Name) and \
                            (v.id in arrays or v.id in alias) and \
                            n.targets[0].id not in alias:
                        alias[n.targets[0].id] = alias.get(v.id, v.id)
                        binding.add(id(v))
                        grown = True
            return alias, binding

        for root in roots:
            parents = {}
            for node in ast.walk(root):
                for child in ast.iter_child_nodes(node):
                    parents[id(child)] = node
            alias, binding = aliases(root) if isinstance(root, ast.Module) \
                else ({}, set())
            for node in ast.walk(root):
                # `v += 1` on an array's name (numpy's, in place).
                if isinstance(node, ast.AugAssign) and \
                        isinstance(node.target, ast.Name) and \
                        (node.target.id in arrays or node.target.id in alias):
                    changed.setdefault(alias.get(node.target.id,
                                                 node.target.id), node)
                    continue
                if not (isinstance(node, ast.Name) and
                        isinstance(node.ctx, ast.Load) and
                        (node.id in arrays or node.id in alias)) or \
                        id(node) in binding:
                    continue
                array = alias.get(node.id, node.id)
                if array in changed or safe(node, parents,
                                            id(root) in entries,
                                            id(root) in inits):
                    continue
                # (`OTHER = MEAN` at module level: module_shared.)
                parent = parents.get(id(node))
                if root in tree.body and isinstance(parent, ast.Assign) \
                        and parent.value is node:
                    continue
                changed[array] = node
        return changed

    def read_assignment(self, name, call):
        if isinstance(call.func, ast.Name) and \
                call.func.id in self.classes and \
                self.is_model_class(self.classes[call.func.id]):
            self.models[name] = (call.func.id, call)
            return
        made = self.qualify(call.func)
        if made in SEQUENTIAL:
            self.models[name] = (None, call)
            return
        if made in MODEL_BASES and (call.args or call.keywords):
            # `tf.keras.Model(inputs, outputs)`: a Functional model.
            self.models[name] = (FUNCTIONAL, call)
            return
        if made is not None:
            self.made_by[name] = made
        elif isinstance(call.func, ast.Name) and \
                call.func.id in self.functions:
            # (Not a builder: inline_builders would have inlined it.)
            self.made_by[name] = FILE_FUNCTION + call.func.id
        example = self.example_input(call)
        if example is not None:
            self.examples[name] = example
            self.example_shapes[name] = self.example_input(
                call, check_dtype=False)

    def example_input(self, node, check_dtype=True):
        """What the expression `node` (an example call's argument, or the
        value a module variable is bound to) gives an entry's argument (its
        dtype not checked, with `check_dtype` False, for a conversion to a
        float to read the shape of what it converts): the
        shape of the example input it makes (a tuple of sizes, None for a
        size the script computes: `tf.ones((n, 1))` in a loop over n), an
        UnreadExample, or None when it is not an example input. An example
        input is a call of EXAMPLE_MAKERS (a generator's method included),
        a module variable bound to one, or one of these converted to a
        float dtype (`.astype(np.float32)`, `np.asarray(x, dtype=
        "float32")`: EXAMPLE_CONVERSIONS)."""
        if isinstance(node, ast.Name):
            # (Converted to a float, `X.astype(np.float32)`: its shape.)
            return (self.examples if check_dtype else
                    self.example_shapes).get(node.id)
        if not isinstance(node, ast.Call):
            return None
        maker = self.example_maker(node.func)
        if maker is not None:
            shape = self.example_shape(node, maker)
            if shape is None or isinstance(shape, UnreadExample) or \
                    not check_dtype:
                return shape
            return self.typed_example(node, shape, *self.maker_dtype(
                node, maker))
        made = self.qualify(node.func)
        if made in EXAMPLE_CONVERSIONS and node.args:
            # np.asarray(a, dtype=None, ...) and the like.
            inner, dtype_at, reshaping = (node.args[0], 1,
                                          EXAMPLE_CONVERSIONS[made])
        elif made is None and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "astype":
            # numpy's ndarray.astype(dtype, order, casting, subok, copy).
            inner, dtype_at, reshaping = node.func.value, 0, {}
        else:
            return None
        dtype = next((kw.value for kw in node.keywords if kw.arg == "dtype"),
                     node.args[dtype_at] if len(node.args) > dtype_at
                     else None)
        # The input's dtype is the conversion's when it gives one.
        shape = self.example_input(inner, check_dtype=dtype is None)
        literal = shape is None and made in EXAMPLE_CONVERSIONS
        if literal:
            shape = self.literal_example(node, made, inner, dtype)
        if shape is None or isinstance(shape, UnreadExample):
            return shape
        for keyword, position in reshaping.items():
            if any(kw.arg == keyword for kw in node.keywords) or (
                    position is not None and len(node.args) > position):
                return UnreadExample(node, f"its argument '{keyword}', "
                                     "which changes the shape, is not read: "
                                     "give the example's shape to the call "
                                     "that makes it")
        if dtype is None or literal:  # the input's own dtype
            return shape
        return self.typed_example(node, shape, dtype, self.dtype_name(dtype))

    def literal_example(self, node, made, value, dtype):
        """The example input `node` (`tf.constant([[0, 2, 1]])`, a call of
        `made`, one of EXAMPLE_CONVERSIONS) makes of `value`, a number, a
        bool or nested lists or tuples of them known at import: its shape,
        typed by `dtype` (the dtype's node, or None) or else by its values
        as the maker types them (bools bool; ints int32 for TensorFlow's,
        int64 for numpy's; floats float, which an example gives as
        float32). None where `value` is not such a value; an UnreadExample
        for ragged rows."""
        try:
            known = self.module_scope.evaluate(value)
        except (NotKnown, SourceError, RecursionError):
            return None
        shape, level = [], [known]
        while level and all(isinstance(v, (list, tuple)) for v in level):
            lengths = {len(v) for v in level}
            if len(lengths) != 1:
                return UnreadExample(node, "its rows have different "
                                     f"lengths ({sorted(lengths)}), which "
                                     "no tensor has (TensorFlow raises "
                                     "ValueError)", "shape")
            shape.append(lengths.pop())
            level = [e for v in level for e in v]
        if not all(type(v) in (bool, int, float) for v in level):
            return None
        if dtype is not None:
            return self.typed_example(node, tuple(shape), dtype,
                                      self.dtype_name(dtype))
        word = "bool" if level and all(type(v) is bool for v in level) \
            else "float32" if any(type(v) is float for v in level) or \
            not level else \
            "int32" if made.startswith("tensorflow.") else "int64"
        return self.typed_example(node, tuple(shape), value, word)

    def maker_dtype(self, call, maker):
        """The dtype the example maker `call` (of `maker`) gives: its dtype
        argument's node and name (DTYPE_ALIASES's), or its value's node and
        the dtype it makes (tf.fill(dims, 1) is int32, np.full(shape, 1)
        int64); and whether it is the value's. (None, None, False) for the
        maker's float default."""
        keyword, position = EXAMPLE_DTYPES.get(maker, (None, None))
        dtype = next((kw.value for kw in call.keywords if kw.arg == keyword),
                     call.args[position] if keyword and
                     len(call.args) > position else None)
        if dtype is not None and not (isinstance(dtype, ast.Constant) and
                                      dtype.value is None):
            return dtype, self.dtype_name(dtype), False
        if maker not in EXAMPLE_VALUE_DTYPES:
            return None, None, False
        keyword, position, of_int = EXAMPLE_VALUE_DTYPES[maker]
        value = next((kw.value for kw in call.keywords if kw.arg == keyword),
                     call.args[position] if len(call.args) > position
                     else None)
        try:
            known = self.module_scope.evaluate(value) if value else None
        except (NotKnown, SourceError, RecursionError):
            return value, None, True
        if isinstance(known, bool):
            return value, "bool", True
        if isinstance(known, int):
            return value, of_int, True
        if isinstance(known, float):
            return None, None, False
        return value, None, True

    def typed_example(self, node, shape, dtype, word, of_value=False):
        """`shape`, the example input `node` makes, typed by its dtype (the
        node `dtype`, named `word`; None for a float default; with
        `of_value`, the value whose type gives the dtype): a float's is
        `shape` (an example call gives predict a float32 argument), an
        int32, int64 or bool one's a TypedShape (an argument of that type,
        as TensorFlow traces it). Another dtype, or one not read, is an
        UnreadExample saying what to write."""
        if dtype is None or word in FLOAT_DTYPES:
            return tuple(shape)
        if word in ("int32", "int64", "bool"):
            return TypedShape(shape, word)
        spelled = ast.unparse(dtype)
        if of_value and word is None:
            return UnreadExample(node, f"its value, {spelled}, is not known "
                                 "at import, nor so its dtype: write a "
                                 "number in place (1.0), or give the "
                                 "function an input_signature", "type")
        if of_value:
            spelled = f"{word} (that of its value {spelled})"
        if word is not None:
            return UnreadExample(node, f"its dtype, {spelled}, is not one "
                                 "predict's arguments have: float32 (what "
                                 "an example of floats gives), int32, int64 "
                                 "or bool", "type")
        return UnreadExample(node, f"its dtype, {spelled}, is not read: "
                             "write the dtype in place (np.float32, "
                             "\"int32\"), or give the function an "
                             "input_signature", "type")

    def example_maker(self, func):
        """The EXAMPLE_MAKERS name of the callable `func`, else None: a
        name through the imports (`np.random.rand`), or a method of a numpy
        generator object (`rng.normal`, where the module binds rng once, to
        np.random.default_rng(...) or another of GENERATOR_MAKERS; or
        `np.random.default_rng(0).normal` in place)."""
        made = self.qualify(func)
        if made in EXAMPLE_MAKERS:
            return made
        if not isinstance(func, ast.Attribute):
            return None
        generator = func.value
        if isinstance(generator, ast.Call):
            made = self.qualify(generator.func)
        elif isinstance(generator, ast.Name) and \
                self.binding_counts.get(generator.id) == 1:
            made = self.made_by.get(generator.id)
        else:
            return None
        method = f"{GENERATOR_MAKERS.get(made)}.{func.attr}"
        return method if method in EXAMPLE_MAKERS else None

    def dtype_name(self, node):
        """The name of the dtype `node` spells (np.float32, tf.float32,
        "float32", "<f4", the builtin float; or a module constant holding
        one), DTYPE_ALIASES's names for numpy's aliases and codes; None
        when it is not read."""
        try:
            value = self.module_scope.evaluate(node)
        except (NotKnown, SourceError, RecursionError):
            value = None
        if isinstance(value, Function) and value.qualified.startswith(
                ("numpy.", "tensorflow.")):
            word = value.qualified.rsplit(".", 1)[-1]
        elif isinstance(value, str):
            word = value.lstrip("<>=|")
        elif isinstance(node, ast.Name) and \
                node.id in ("float", "int", "bool") and \
                node.id not in self.binding_counts:
            word = node.id  # Python's type, numpy's float64, int64, bool
        else:
            return None
        return DTYPE_ALIASES.get(word, word)

    def example_shape(self, call, maker):
        """The shape of the example input that `call` makes (a call of
        `maker`, one of EXAMPLE_MAKERS), each maker's argument read as the
        maker reads it: a tuple of sizes (None for each one the script
        computes, `(n, 1)` in a loop over n), or an UnreadExample saying
        why it is not known at import."""
        rule = EXAMPLE_MAKERS[maker]
        if rule == "sizes":  # np.random.rand(3, 100), rand(1, *SHAPE)
            if call.keywords:
                return UnreadExample(call, f"{ast.unparse(call.func)} takes "
                                     "its sizes as positional arguments "
                                     "only (numpy raises a TypeError)")
            node = ast.copy_location(
                ast.Tuple(elts=call.args, ctx=ast.Load()), call)
        else:
            keyword, position = rule
            node = next((kw.value for kw in call.keywords
                         if kw.arg == keyword),
                        call.args[position] if len(call.args) > position
                        else None)
            if node is None and keyword == "size":
                return UnreadExample(call, "it gives no size, so numpy "
                                     "makes one Python float, not an array: "
                                     "give the size (size=(1, 5))")
            if node is None:
                return UnreadExample(call, f"it gives no {keyword} (Python "
                                     "raises a TypeError)")
        shape = literal_shape(node)
        if shape is not None and None not in shape:
            return shape
        # A shape computed from values known at import: `(1,) + SHAPE`,
        # `(1, *SHAPE)`, `(BATCH, WIDTH * 2)`; rand(1, W).
        try:
            value = self.module_scope.evaluate(node)
        except (NotKnown, SourceError, RecursionError) as e:
            # Sizes the script computes (a loop's `(n, 1)`): the builder
            # makes the batch dynamic and asks for the others.
            return shape if shape is not None else \
                UnreadExample(call, self.not_known_why(e, node))
        known = shape_of_value(value)
        if known is not None:
            return known
        return UnreadExample(call, f"its shape is {value!r} at import, not "
                             "sizes (ints >= 0; numpy and TensorFlow raise)")

    def not_known_why(self, error, node):
        """Why the shape `node` of an example (whose evaluation raised
        `error`) is not known at import, naming the module name it reads
        whose value is not known, and what to write instead."""
        fix = ("write the shape with literal sizes, or give the function an "
               "input_signature (@tf.function(input_signature=["
               "tf.TensorSpec([None, ...], tf.float32)]))")
        if isinstance(error, RecursionError):
            return f"it nests too deeply to be read; {fix}"
        if not isinstance(error, NotKnown):
            return f"{error}; {fix}"
        seen = set()

        def unknown_name(node):
            """The first name `node` reads whose value is not known at
            import, and the part of the expression that is not known."""
            called = {id(n.func) for n in ast.walk(node)
                      if isinstance(n, ast.Call)}
            for n in ast.walk(node):
                if isinstance(n, ast.Name) and n.id not in seen and \
                        id(n) not in called:
                    seen.add(n.id)
                    try:
                        self.module_scope.evaluate(n)
                    except NotKnown as e:
                        return n.id, e.node
                    except (SourceError, RecursionError):
                        pass
            return None, None

        name, part = unknown_name(node)
        # A constant whose value reads another such name: that one.
        while name in self.constant_nodes and name not in self.made_by:
            inner, inner_part = unknown_name(self.constant_nodes[name])
            if inner is None:
                break
            name, part = inner, inner_part
        if name is None:
            return (f"'{ast.unparse(error.node)}' is not known at import; "
                    f"{fix}")
        if self.binding_counts.get(name, 0) > 1:
            lines = sorted({n.lineno for stmt in self.tree.body
                            if not isinstance(stmt, (ast.FunctionDef,
                                                     ast.AsyncFunctionDef,
                                                     ast.ClassDef))
                            for n in ast.walk(stmt)
                            if isinstance(n, ast.Name) and n.id == name and
                            isinstance(n.ctx, ast.Store)})
            where = f" (lines {', '.join(map(str, lines))})" \
                if len(lines) > 1 else ""
            return (f"the module binds '{name}' more than once{where}, so "
                    "its value at the call is not known at import: bind it "
                    f"once, {fix}")
        made = self.made_by.get(name, "")
        if name in self.changed:
            why = "is changed in place or bound by a function (`global`)"
        elif made.startswith(FILE_FUNCTION):
            why = (f"is made by the file's function "
                   f"{made[len(FILE_FUNCTION):]}(), which runs only when "
                   "the program does")
        elif made and not made.startswith("$"):
            why = f"is made by {made}(...), which runs only when the " \
                "program does"
        elif name in self.constant_nodes:
            why = f"is bound to '{ast.unparse(part)}'"
        else:
            why = (f"is not a module constant (a name bound once, by `{name} "
                   "= ...` at the module's top level)")
        return f"'{name}' {why}, so its value is not known at import; {fix}"

    def read_example_call(self, call):
        """What the example call `call` of an entry gives each of its
        parameters, bound as Python binds them (positions, then keywords by
        name): a ModelArgument, an example input's shape (example_input),
        a PythonArgument, an UnreadExample for an argument that is none of
        these, or None for a parameter the call does not give."""
        fn = self.functions[call.func.id]
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        given = [None] * len(params)
        unread = None
        for i, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                unread = UnreadExample(arg, "an example call's *arguments "
                                       "are not read: write the arguments "
                                       "one by one")
            elif i < len(params):
                given[i] = arg
        for kw in call.keywords:
            if kw.arg is None:
                unread = UnreadExample(kw.value, "an example call's "
                                       "**keywords are not read: write "
                                       "them one by one")
            elif kw.arg in params:
                given[params.index(kw.arg)] = kw.value
            elif kw.arg in [a.arg for a in fn.args.kwonlyargs]:
                # (The compiled function binds them to their defaults.)
                raise SourceError(kw.value, f"the example call gives "
                                  f"'{kw.arg}', a keyword-only parameter "
                                  f"of the entry '{fn.name}', which predict "
                                  "compiles at its default: leave it out, "
                                  "or make it a parameter before `*`")
        if unread is not None:
            given = [unread] * len(params)
        args = [a if a is None or isinstance(a, UnreadExample)
                else self.example_argument(a) for a in given]
        first = self.entry_args.get(call.func.id)
        if first is None:
            self.entry_args[call.func.id] = args
            self.entry_calls[call.func.id] = call
            return
        line = self.entry_calls[call.func.id].lineno
        defaults = [None] * (len(params) - len(fn.args.defaults)) + [
            self.example_argument(d) for d in fn.args.defaults]
        self.entry_args[call.func.id] = [
            merge_examples(a, b, call if node is None else node, line,
                           d if isinstance(d, PythonArgument) else None)
            for a, b, node, d in zip(first, args, given, defaults)]

    def example_argument(self, node):
        """What the example call's argument `node` gives its parameter
        (read_example_call)."""
        if isinstance(node, ast.Name) and node.id in self.models:
            return ModelArgument(node.id)
        shape = self.example_input(node)
        if shape is not None:
            return shape
        try:
            value = self.module_scope.evaluate(node)
        except (NotKnown, SourceError, RecursionError):
            value = NotKnown
        if value is None or isinstance(value, (bool, int, float, str)):
            return PythonArgument(ast.copy_location(ast.Constant(value=value),
                                                    node))
        return UnreadExample(node, what="shape or value", why="it is "
                             "neither an example input that "
                             "predict reads at import (tf.random.normal((1, "
                             "4)), np.zeros((1, 4)), a name bound to one) "
                             "nor a Python number, bool, string or None "
                             "known at import")

    def is_mixin(self, cls, seen=frozenset()):
        """Whether `cls` is a mixin: a class of the file deriving from
        nothing but `object` and other mixins, whose body defines methods
        only (no `__init__`, no class attributes), which a model class
        lists among its bases to share methods. (A class among its own
        bases, `seen`, is none: mro() says so.)"""
        return all(isinstance(b, ast.Name) and
                   (b.id == "object" or b.id in self.classes and
                    self.classes[b.id] is not cls and
                    self.classes[b.id] not in seen and
                    self.is_mixin(self.classes[b.id], seen | {cls}))
                   for b in cls.bases) and not cls.keywords and \
            all(isinstance(s, ast.FunctionDef) and s.name != "__init__" or
                isinstance(s, ast.Pass) or
                isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
                for s in cls.body)

    def mro(self, cls):
        """`cls` and the classes of the file it derives from, in Python's
        method resolution order (C3 linearization, Keras's own classes
        taken as one): one model base each (a model class of the file, or
        Keras's) and mixins of the file (is_mixin). A mixin listed after
        the model base comes after Keras's classes, whose call, predict,
        predict_step, predict_on_batch, build and __call__ then run instead
        of its own: one that defines such a method no class before Keras's
        does is an error (Python would never run it)."""
        keras = "Keras"  # Keras's classes, one node of the linearization

        def linearize(c, seen):
            if c in seen:
                raise SourceError(c, f"class '{c.name}' derives from itself")
            bases = [self.classes[b.id] if isinstance(b, ast.Name) and
                     b.id in self.classes else keras
                     for b in c.bases
                     if not (isinstance(b, ast.Name) and b.id == "object")]
            models = [b for b in bases
                      if b is keras or not self.is_mixin(b)]
            plain = [b for b in models if b is not keras and
                     not self.is_model_class(b)] if len(models) > 1 else []
            if len(models) > 1 and plain:
                raise SourceError(c, f"class '{c.name}' derives from "
                                  f"'{plain[0].name}', which is neither a "
                                  "model class nor a mixin predict reads (a "
                                  "class of methods only, deriving from "
                                  "object or other mixins: no __init__, no "
                                  "class attributes)")
            if len(models) > 1:
                raise SourceError(c, f"class '{c.name}' derives from "
                                  "several classes: a model class derives "
                                  "from one (tf.keras.Model or a model "
                                  "class of the file), and mixins of the "
                                  "file (classes of methods only, deriving "
                                  "from object)")
            lists = [[keras] if b is keras else linearize(b, seen | {c})
                     for b in bases] + [list(bases)]
            order = [c]
            while any(lists):
                head = next((lst[0] for lst in lists if lst and
                             not any(lst[0] in other[1:]
                                     for other in lists)), None)
                if head is None:
                    raise SourceError(c, f"class '{c.name}' lists its bases "
                                      "in an order Python cannot resolve "
                                      "(TypeError: Cannot create a "
                                      "consistent method resolution order)")
                order.append(head)
                lists = [[x for x in lst if x is not head] for lst in lists]
            return order

        if id(cls) in self.mros:
            return list(self.mros[id(cls)])
        order = linearize(cls, frozenset())
        if keras in order:
            at = order.index(keras)
            before = {s.name for c in order[:at] for s in c.body
                      if isinstance(s, ast.FunctionDef)}
            for m in order[at + 1:]:
                shadowed = [s.name for s in m.body
                            if isinstance(s, ast.FunctionDef) and
                            s.name in KERAS_RUN_METHODS and
                            s.name not in before]
                if shadowed:
                    raise SourceError(cls, f"the mixin '{m.name}' comes "
                                      "after Keras's own classes in "
                                      f"'{cls.name}''s method resolution "
                                      "order (it is listed after the model "
                                      f"base), so Keras's '{shadowed[0]}' "
                                      "runs, never its own: list it before "
                                      "the model base")
        self.mros[id(cls)] = [c for c in order if c is not keras]
        return list(self.mros[id(cls)])

    def class_attributes(self, cls, attributes, read, stored=frozenset()):
        """The class attributes of `cls` (`SCALE = 2.0`, `SIZES = (4, 2)`
        in the class body), which `self.SCALE` reads where no instance
        attribute of that name is set: values known at import, evaluated as
        Python runs the class body, in order, in the class's scope (its
        earlier attributes before the module's names), appended to
        `attributes` as hyperparameters (a base class's first, so that a
        subclass's and __init__'s replace them). A method's default that
        names one (`def call(self, x, s=K)`) is its value, as `def`
        evaluates defaults in the class's scope (helper-131). Of those the
        methods of the class chain read (`read`, the names of
        `self.<name>`), another value (a layer, a call) is an error at it
        (helper-130), unless an instance attribute of the name is set
        (`stored`: one that replaces it before it is read; a read before is
        an error where it is read). Returns those read, by name."""
        body = BuildScope(self)
        values = {}
        unknown = {}  # class names bound to what is not known at import

        def plain(v):
            if isinstance(v, (list, tuple)):
                return all(plain(e) for e in v)
            if isinstance(v, dict):
                return all(plain(k) and plain(e) for k, e in v.items())
            return v is None or isinstance(v, (bool, int, float, str))

        def evaluate(value):
            for n in ast.walk(value):
                if isinstance(n, ast.Name) and n.id in unknown:
                    raise NotKnown(n)
                # A comprehension's body does not see the class's names
                # (only its first iterable does): one it reads is the
                # module's, which this scope would not give (helper-133).
                if isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp,
                                  ast.GeneratorExp)):
                    first = n.generators[0].iter
                    inner = {id(m) for m in ast.walk(first)}
                    for m in ast.walk(n):
                        if isinstance(m, ast.Name) and id(m) not in inner and \
                                (m.id in body.locals or m.id in unknown):
                            raise NotKnown(m)
            known = body.evaluate(value)
            if not plain(known):
                raise NotKnown(value)
            return known

        class Defaults(ast.NodeTransformer):
            def visit_Name(self, node):
                if node.id in unknown:
                    raise SourceError(node, f"the default '{node.id}' is "
                                      f"the class attribute of '{cls.name}'"
                                      ", which is not a value known at "
                                      "import")
                if node.id in body.locals:
                    return ast.copy_location(
                        value_node(body.locals[node.id], node), node)
                return node

        # After `locals()[...] = ...`, and in a body with `global` or
        # `nonlocal` (which make its assignments another scope's): nothing
        # is known.
        opaque = any(isinstance(n, (ast.Global, ast.Nonlocal))
                     for stmt in cls.body for n in ast.walk(stmt))

        def bound_inside(node):
            """The names `node` binds other than by a plain assignment's
            target: `:=`, a `match` case's captures (helper-136)."""
            names = set()
            for n in ast.walk(node):
                if isinstance(n, ast.NamedExpr):
                    names.add(n.target.id)
                elif isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
                    names.add(n.name)
                elif isinstance(n, ast.MatchMapping) and n.rest:
                    names.add(n.rest)
            return names

        def forget(names, stmt, quiet=False):
            """`names`, bound or changed by `stmt` in a way not evaluated
            here (a loop, a `try`, `SIZES.append(3)`, `A = B = 2.0`;
            helper-135: they were ignored): not known from here on. One a
            method reads is an error at `stmt`, unless `quiet` (a `def` or
            `import` of the name: not a value, and not for the methods'
            names to trip on)."""
            for n in sorted(names):
                if not quiet and n in read and n not in stored:
                    raise SourceError(stmt, f"the class attribute '{n}' of "
                                      f"'{cls.name}' is bound or changed by "
                                      f"'{shortened(ast.unparse(stmt).splitlines()[0], 50)}"
                                      "', which predict does not evaluate at "
                                      "import: bind it once to a value "
                                      f"(`{n} = ...`)")
                body.locals.pop(n, None)
                values.pop(n, None)
                attributes[:] = [a for a in attributes if a["attr"] != n]
                unknown[n] = stmt

        for stmt in cls.body:
            # A namespace the class body may write any name through.
            if any(self.reaches_namespace(n) for n in ast.walk(stmt)):
                opaque = True
                forget(set(body.locals) | set(values) |
                       {a["attr"] for a in attributes}, stmt)
                continue
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # (What its defaults and decorators bind, in the class.)
                forget(set().union(*(bound_inside(d) for d in
                                     stmt.args.defaults +
                                     [k for k in stmt.args.kw_defaults if k] +
                                     stmt.decorator_list)), stmt)
                args = stmt.args
                args.defaults = [Defaults().visit(d) for d in args.defaults]
                args.kw_defaults = [None if d is None else
                                    Defaults().visit(d)
                                    for d in args.kw_defaults]
                forget({stmt.name}, stmt, quiet=True)
                continue
            if isinstance(stmt, ast.ClassDef):
                forget({stmt.name}, stmt, quiet=True)
                continue
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                forget({(a.asname or a.name).split(".")[0]
                        for a in stmt.names}, stmt, quiet=True)
                continue
            if isinstance(stmt, ast.Pass) or \
                    isinstance(stmt, ast.Expr) and \
                    isinstance(stmt.value, ast.Constant) or \
                    isinstance(stmt, ast.AnnAssign) and stmt.value is None:
                continue
            # Values the statement changes in place (`X = SIZES.pop()`), and
            # names its expressions bind (`T = (S := 7.0) + 1`).
            forget((changed_in_place(stmt) - {
                t.id for t in getattr(stmt, "targets", [])
                if isinstance(t, ast.Name)}) | bound_inside(stmt), stmt)
            if not opaque and isinstance(stmt, ast.Assign) and \
                    len(stmt.targets) == 1 and \
                    isinstance(stmt.targets[0], ast.Name):
                name, value = stmt.targets[0].id, stmt.value
            elif not opaque and isinstance(stmt, ast.AnnAssign) and \
                    isinstance(stmt.target, ast.Name):
                name, value = stmt.target.id, stmt.value
            else:
                # Any other statement (a loop, `if`, `try`, `with`, `del`,
                # `match`, `A = B = 2.0`, `S += 1`): the names it binds.
                forget({n.id for n in ast.walk(stmt)
                        if isinstance(n, ast.Name) and
                        not isinstance(n.ctx, ast.Load)} |
                       bound_inside(stmt) |
                       {n.name for n in ast.walk(stmt)
                        if isinstance(n, (ast.FunctionDef, ast.ClassDef,
                                          ast.AsyncFunctionDef))} |
                       {(a.asname or a.name).split(".")[0]
                        for n in ast.walk(stmt)
                        if isinstance(n, (ast.Import, ast.ImportFrom))
                        for a in n.names}, stmt)
                continue
            # `__S` in class C is `_C__S` (Python's name mangling): a
            # subclass's `__S` is another attribute (helper-136).
            if name.startswith("__") and not name.endswith("__"):
                if name in read and name not in stored:
                    raise SourceError(stmt, f"the class attribute '{name}' of "
                                      f"'{cls.name}' is a private name, which "
                                      f"Python mangles (self.{name} in "
                                      f"'{cls.name}' reads _{cls.name}"
                                      f"{name}): predict does not convert "
                                      "mangled names; name it without two "
                                      "leading underscores")
                forget({name}, stmt, quiet=True)
                continue
            try:
                known = evaluate(value)
            except (NotKnown, SourceError) as e:
                if name in read and name not in stored:
                    at = e.node if isinstance(e, NotKnown) else value
                    raise SourceError(at, f"the class attribute '{name}' "
                                      f"of '{cls.name}' is read when it is a "
                                      "value known at import (a number, "
                                      "string, bool, None, or a tuple, list "
                                      "or dict of those), not "
                                      f"'{ast.unparse(at)}': set it in "
                                      "__init__ (`self." + name + " = ...`)")
                body.locals.pop(name, None)
                unknown[name] = stmt
                continue
            unknown.pop(name, None)
            body.locals[name] = known
            if name not in read:
                continue
            values[name] = known
            attributes[:] = [a for a in attributes if a["attr"] != name]
            attributes.append({"attr": name, "loc": loc_json(value),
                               "kind": "value",
                               "value": value_json(known, value)})
        return values

    def escaped_classes(self, tree):
        """The classes of the file that code may reach other than by
        reading their attributes by name (`C.SCALE`), making an instance
        (`C(...)`), deriving from them, or `super(C, self)`,
        `isinstance(x, C)`, `issubclass`: a class passed to a function
        (`patch(C)`), bound to another name, put in a list, or reached
        through a dunder (`Sub.__bases__[0]`, every class Sub derives
        from) or a namespace (`globals()["C"]`, exec: every class), where a
        change to its attributes would not be seen (helper-135). Each to
        its first such use."""
        escapes = {}
        wrapped = classmethods_of(tree)
        parents = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
        # Classes a module statement defines again (a class deriving from
        # one keeps the first; helper-136), and those deriving from them.
        defined = {}
        for stmt in tree.body:
            if isinstance(stmt, ast.ClassDef):
                defined.setdefault(stmt.name, []).append(stmt)
        again = {name for name, defs in defined.items() if len(defs) > 1}
        for name, cls in self.classes.items():
            try:
                chain = self.mro(cls)
            except SourceError:
                chain = [cls]
            hit = next((c for c in chain if c.name in again), None)
            if hit is not None:
                escapes.setdefault(name, defined[hit.name][1])
        for node in ast.walk(tree):
            # Python's other ways to reach or change every class: a
            # namespace, a dunder (`object.__subclasses__()`, `__dict__`,
            # `type.__setattr__`, `cls.__base__`; `self.__class__.X` read
            # aside), a hook run when classes are made (`__set_name__`,
            # `__init_subclass__`).
            dunder = isinstance(node, ast.Attribute) and \
                node.attr.startswith("__") and node.attr.endswith("__") and \
                node.attr not in HARMLESS_DUNDERS and not (
                    node.attr == "__class__" and
                    isinstance(node.value, ast.Name) and
                    node.value.id == "self" and
                    isinstance(parents.get(id(node)), ast.Attribute) and
                    isinstance(parents[id(node)].ctx, ast.Load))
            # (A descriptor's __get__, __set__ and __delete__ are given the
            # class (`owner`), __new__ is (helper-142).)
            hook = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and node.name in ("__set_name__", "__init_subclass__",
                                  "__get__", "__set__", "__delete__",
                                  "__new__")
            # `mro()` lists a class's bases (`Sub.mro()[1]`); `type(x)`
            # other than read by attribute or instantiated is a class
            # bound or passed (`k = type(self)`); a classmethod's class
            # other than so (helper-139: each set an attribute unseen).
            dunder = dunder or isinstance(node, ast.Attribute) and \
                node.attr == "mro"
            parent = parents.get(id(node))
            if isinstance(node, ast.Call) and \
                    isinstance(node.func, ast.Name) and \
                    node.func.id == "type" and len(node.args) == 1 and \
                    not (isinstance(parent, ast.Attribute) and
                         parent.value is node or
                         isinstance(parent, ast.Call) and
                         parent.func is node):
                dunder = True
            param = classmethod_param(node, wrapped)
            if param is not None:
                for n in ast.walk(node):
                    up = parents.get(id(n))
                    if isinstance(n, ast.Name) and n.id == param and \
                            isinstance(n.ctx, ast.Load) and \
                            not (isinstance(up, ast.Attribute) and
                                 up.value is n or
                                 isinstance(up, ast.Call) and up.func is n):
                        for name in self.classes:
                            escapes.setdefault(name, up or n)
            if dunder or hook or self.reaches_namespace(node):
                for name in self.classes:
                    escapes.setdefault(name, node)
                continue
            if not (isinstance(node, ast.Name) and node.id in self.classes and
                    isinstance(node.ctx, ast.Load)):
                continue
            parent = parents.get(id(node))
            if isinstance(parent, ast.Attribute) and parent.value is node:
                continue
            if isinstance(parent, ast.Call) and parent.func is node or \
                    isinstance(parent, ast.ClassDef) and node in parent.bases:
                continue
            if isinstance(parent, ast.Call) and \
                    isinstance(parent.func, ast.Name) and \
                    parent.func.id in ("super", "isinstance", "issubclass") \
                    and parent.func.id not in self.functions:
                continue
            escapes.setdefault(node.id, parent or node)
        return escapes

    def reaches_namespace(self, node):
        """Whether `node` reaches names by a string or a namespace, where
        what it does to them is not followed: `globals()`, `exec`, a
        frame's `f_globals` or `f_locals`, `sys._getframe` (UNFOLLOWED_
        NAMESPACES, NAMESPACE_ATTRIBUTES), or an import of such a module
        other than at module level (helper-142: `import sys` in a class
        body hid `sys._getframe().f_locals`)."""
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            return node.id in UNFOLLOWED_NAMESPACES and \
                node.id not in self.functions
        if isinstance(node, ast.Attribute):
            return node.attr in NAMESPACE_ATTRIBUTES or \
                self.qualify(node) in UNFOLLOWED_NAMESPACES
        if isinstance(node, (ast.Import, ast.ImportFrom)) and \
                id(node) not in self.module_statements:
            modules = [a.name for a in node.names] \
                if isinstance(node, ast.Import) else [node.module or ""]
            return any(m.split(".")[0] in NAMESPACE_MODULES for m in modules)
        return False

    def may_change_arguments(self, call):
        """Whether `call` may change a list or dict given it in place, as
        far as the file says: a function of another module than
        TensorFlow's, Keras's, numpy's (but its mutators, `np.random.shuffle`,
        `np.copyto`, ...) and the standard library's that only read
        (`math`, `itertools`, ...; `bisect.insort`, `heapq.heappush`,
        `operator.setitem`, `random.shuffle`: helper-142, their changes
        were not seen), a method of an object that shuffles or sets items
        (`rng.shuffle(L)`), or a builtin other than those that read
        (`len`, `sorted`, ...). A function of the file is followed by its
        own rule (shared_names)."""
        func = call.func
        # (A class of the file: its __init__ is read where it is made.)
        if isinstance(func, ast.Name) and (func.id in self.functions or
                                           func.id in self.classes):
            return False
        qualified = self.qualify(func)
        if qualified is None:
            if isinstance(func, ast.Name):
                return func.id not in READING_BUILTINS
            # A method of an object: one that shuffles or sets items
            # (`rng.shuffle(L)`).
            return isinstance(func, ast.Attribute) and \
                func.attr in LIBRARY_MUTATORS
        top = qualified.split(".")[0]
        if qualified in NUMPY_MUTATORS or top in ("operator", "random") \
                and qualified.split(".")[-1] in LIBRARY_MUTATORS:
            return True
        return top not in READING_MODULES

    def plain_class(self, name):
        """The class of the file named `name` whose attributes read by its
        name (`Config.SCALE`, `Net.SCALE`) are the values its body gives
        them: one no statement of the file rebinds or changes
        (`Config.SCALE = 3.0`, `setattr(Config, ...)`), undecorated,
        without a metaclass, deriving from `object`, Keras's models and
        layers or other such classes; None for another (an Enum's members
        are not their values, a decorator may replace the class)."""
        cls = self.classes.get(name)
        if cls is None or name in self.binding_counts or \
                name in self.changed or name in self.class_setattr or \
                name in self.class_escapes:
            return None
        if cls.decorator_list or cls.keywords:
            return None
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id == "object" or \
                    self.qualify(base) in MODEL_BASES | LAYER_BASES:
                continue
            if not (isinstance(base, ast.Name) and base.id != name and
                    self.plain_class(base.id)):
                return None
        return cls

    def class_refused(self, node):
        """Why `node`, `C.NAME` for a class `C` of the file whose body
        binds NAME, is not read as a value known at import (plain_class,
        class_value); None for another node, or one that is."""
        if not (isinstance(node, ast.Attribute) and
                isinstance(node.value, ast.Name)):
            return None
        cls = self.classes.get(node.value.id)
        try:
            chain = self.mro(cls) if cls is not None else []
        except SourceError:
            chain = [cls]
        owner, binding = attribute_owner(chain, node.attr)
        if owner is None:
            return None
        what = f"'{ast.unparse(node)}'"
        if self.plain_class(cls.name) is None:
            escape = self.class_escapes.get(cls.name)
            why = "the file changes the class or its attributes" if \
                cls.name in self.changed or cls.name in self.class_setattr \
                or cls.name in self.binding_counts else \
                f"code at line {escape.lineno} " \
                f"('{shortened(ast.unparse(escape).splitlines()[0], 40)}') " \
                "may reach the class where predict cannot follow what is " \
                "done to it" \
                if escape is not None else \
                "it is decorated, has a metaclass or derives from a class " \
                "of another module (an Enum's members are not their values)"
            return f"{what} is an attribute of class '{cls.name}', which " \
                f"predict does not read as its body gives it: {why}; write " \
                "the value, or a module constant"
        return f"{what} is not a value known at import (a number, string, " \
            "bool, None, or a tuple or list of those): class " \
            f"'{owner.name}' binds it by '" + \
            shortened(ast.unparse(binding).splitlines()[0], 40) + \
            "' at line " + str(binding.lineno) + \
            ": write the value, or a module constant"

    def class_value(self, cls, attr, at):
        """`cls.attr` (`Config.SCALE`; `type(self).SCALE` of a model of
        class `cls`) for a plain_class: the value the class bodies along
        its method resolution order give `attr`, evaluated as Python runs
        them (class_attributes); NotKnown at `at` for any other (a method,
        a layer, a name no class body binds)."""
        if cls is None or id(cls) in self.class_reading:
            raise NotKnown(at)
        self.class_reading.add(id(cls))
        try:
            # The first class along the order whose body binds the name,
            # in any way, decides (Python's lookup).
            owner, _ = attribute_owner(self.mro(cls), attr)
            values = self.class_attributes(owner, [], {attr}) \
                if owner is not None else {}
        except SourceError:
            raise NotKnown(at)
        finally:
            self.class_reading.discard(id(cls))
        if attr not in values:
            raise NotKnown(at)
        shared = self.shared_class_value(values[attr], attr)
        if shared is not None:
            raise self.shared_error(shared, f"{cls.name}.{attr}")
        return values[attr]

    def shared_error(self, at, what):
        """The error where the list or dict class attribute `what` is read
        at `at`, where code may change it unseen (shared_class_value)."""
        return SourceError(at, "'" + shortened(ast.unparse(at).splitlines()[0],
                                               40) +
                           "' may change the list or dict of the class "
                           f"attribute {what} in place, or give it to code "
                           "that does, which predict would not see (it reads "
                           "the value the class body gives): make it a "
                           "tuple, or copy it where it is read (list(...))")

    def shared_class_value(self, value, attr):
        """Where `value`, a class attribute `attr` holding a list or dict
        (which a class's instances and readers share), goes where code may
        change it in place unseen: `attr` read through a class or `self`
        (`lst = Config.SIZES`, `f(self.SIZES)`) other than as an item, a
        length, an iteration, an unpacking, or an argument to a builtin, a
        TensorFlow or numpy function (which copy it) (helper-135: appended
        through `lst`, it was read unchanged). That read, or None."""
        def mutable(v):
            return isinstance(v, (list, dict)) or \
                isinstance(v, tuple) and any(mutable(e) for e in v)
        if not mutable(value):
            return None
        # (max and min of several lists give one of them; not copies.)
        copying = {"len", "tuple", "list", "sum", "enumerate", "zip",
                   "reversed", "sorted", "any", "all", "set", "dict", "str",
                   "repr", "range", "float", "int", "bool"}
        if self.shared_reads is None:
            self.shared_reads, self.attribute_reads = {}, {}
            parents = {}
            for node in ast.walk(self.tree):
                for child in ast.iter_child_nodes(node):
                    parents[id(child)] = node
            for node in ast.walk(self.tree):
                # `c.L += [2]` extends the list `c.L` reads (list.__iadd__).
                if isinstance(node, ast.AugAssign):
                    target = node.target
                    while isinstance(target, ast.Subscript):
                        target = target.value
                    if isinstance(target, ast.Attribute):
                        self.shared_reads.setdefault(target.attr, node)
                # (Through any object: a subclass, an instance in a name,
                # a parameter or a list reads the class's list too;
                # helper-137.)
                if not (isinstance(node, ast.Attribute) and
                        isinstance(node.ctx, ast.Load)):
                    continue
                self.attribute_reads.setdefault(node.attr, node)
                parent = parents.get(id(node))
                # Changed in place through it: `o.L.append(2)`, `c.L[0] =
                # 3`, `c.L += [2]` (its items' own changes: nested below).
                if isinstance(parent, ast.Attribute) and \
                        parent.attr in MUTATING_METHODS and \
                        isinstance(parents.get(id(parent)), ast.Call) or \
                        isinstance(parent, ast.Subscript) and \
                        parent.value is node and \
                        isinstance(parent.ctx, (ast.Store, ast.Del)):
                    self.shared_reads.setdefault(node.attr, parent)
                    continue
                if isinstance(parent, ast.Subscript) and \
                        parent.value is node or \
                        isinstance(parent, (ast.For, ast.comprehension)) and \
                        parent.iter is node or \
                        isinstance(parent, ast.Compare) or \
                        isinstance(parent, ast.Starred) or \
                        isinstance(parent, ast.Assign) and \
                        all(isinstance(t, (ast.Tuple, ast.List))
                            for t in parent.targets):
                    continue
                if isinstance(parent, ast.Call) and node in parent.args:
                    callee = parent.func
                    if isinstance(callee, ast.Name) and \
                            callee.id in copying and \
                            callee.id not in self.functions:
                        continue
                    # (A TensorFlow or numpy function copies it, its
                    # mutators aside; another may return it: max, min.)
                    qualified = self.qualify(callee) or ""
                    if qualified.split(".")[0] in ("tensorflow", "numpy",
                                                   "keras") and \
                            not self.may_change_arguments(parent):
                        continue
                self.shared_reads.setdefault(node.attr, node)
        # A list or dict inside another is reached by its items and
        # iterations too (`for l in Config.LL: l.append(1)`): any read.
        nested = isinstance(value, dict) and any(
            mutable(v) for v in value.values()) or \
            isinstance(value, (list, tuple)) and any(mutable(e) for e in value)
        if nested:
            return self.attribute_reads.get(attr)
        return self.shared_reads.get(attr)

    def is_model_class(self, cls):
        """Whether `cls` derives from tf.keras.Model, or from
        tf.keras.layers.Layer (a custom layer, converted as a model is)."""
        return any(self.qualify(base) in MODEL_BASES | LAYER_BASES
                   for c in self.mro(cls) for base in c.bases)

    def is_layer_class(self, cls):
        """Whether `cls` is a custom layer: a tf.keras.layers.Layer that
        is not a tf.keras.Model."""
        bases = {self.qualify(base) for c in self.mro(cls)
                 for base in c.bases}
        return bool(bases & LAYER_BASES) and not bases & MODEL_BASES

    def is_tf_function(self, fn):
        """Whether the function `fn` is decorated with @tf.function (with
        arguments or not)."""
        return any(self.qualify(d.func if isinstance(d, ast.Call) else d)
                   in TF_FUNCTION for d in fn.decorator_list)

    def entries(self):
        """The module's @tf.function functions, in source order."""
        for fn in self.functions.values():
            if self.is_tf_function(fn):
                yield fn

    def input_signature(self, fn):
        """The shapes and element types that `@tf.function(input_signature=
        [tf.TensorSpec(shape, dtype), ...])` gives `fn`'s arguments: one
        {"shape": [None or size], "dtype": "f32" | "i32" | "i64" | "i1"}
        per parameter, read as TensorFlow reads them (None is a size known
        only at run time; dtype float32 when not given); None when no
        decorator gives one. A spec predict cannot honour is a SourceError
        naming it: an unknown rank (`shape=None`), a dtype other than
        float32, int32, int64 or bool, a count that is not the
        parameters'."""
        for d in fn.decorator_list:
            if not (isinstance(d, ast.Call) and
                    self.qualify(d.func) in TF_FUNCTION):
                continue
            # tf.function(func=None, input_signature=None, ...)
            given = next((kw.value for kw in d.keywords
                          if kw.arg == "input_signature"),
                         d.args[1] if len(d.args) > 1 else None)
            if given is None or (isinstance(given, ast.Constant) and
                                 given.value is None):
                continue
            # `SIG = [tf.TensorSpec(...)]` bound once at module level and
            # never changed: its list (helper-130).
            if isinstance(given, ast.Name) and \
                    self.binding_counts.get(given.id) == 1 and \
                    given.id not in self.changed:
                given = list_bound_to(given.id, self.tree.body) or given
            if not isinstance(given, (ast.List, ast.Tuple)):
                raise SourceError(given, "input_signature is read when it "
                                  "is a list of tf.TensorSpec(shape, dtype) "
                                  "written in place or bound once to a "
                                  "module name")
            # The parameters after those the signature gives keep their
            # defaults, Python values at trace (TensorFlow's
            # FunctionSpec: `def serve(x, training=False)` given one
            # TensorSpec, helper-130); one without a default is missing.
            params = [a.arg for a in fn.args.args]
            required = len(params) - len(fn.args.defaults)
            if len(given.elts) > len(params):
                raise SourceError(given, f"input_signature gives "
                                  f"{len(given.elts)} TensorSpec(s) for "
                                  f"'{fn.name}', which takes {len(params)} "
                                  "argument(s) (TensorFlow raises an error)")
            if len(given.elts) < required:
                missing = ", ".join(f"'{p}'" for p in
                                    params[len(given.elts):required])
                raise SourceError(given, f"input_signature gives "
                                  f"{len(given.elts)} TensorSpec(s) for "
                                  f"'{fn.name}', which leaves {missing} "
                                  "without a value or a default "
                                  "(TensorFlow raises TypeError): give a "
                                  "TensorSpec for each parameter without "
                                  "a default")
            return [self.tensor_spec(spec) for spec in given.elts]
        return None

    def tensor_spec(self, spec):
        """`tf.TensorSpec(shape, dtype=tf.float32, name=None)` read as
        input_signature describes."""
        if not (isinstance(spec, ast.Call) and
                self.qualify(spec.func) in TENSOR_SPEC):
            raise SourceError(spec, "an input_signature entry is read when "
                              "it is tf.TensorSpec(shape, dtype)")
        args = {"shape": spec.args[0] if spec.args else None,
                "dtype": spec.args[1] if len(spec.args) > 1 else None}
        for kw in spec.keywords:
            if kw.arg in args:
                args[kw.arg] = kw.value
        shape_node = args["shape"]
        if shape_node is None or (isinstance(shape_node, ast.Constant) and
                                  shape_node.value is None):
            raise SourceError(spec, "a TensorSpec of unknown rank (shape "
                              "None) is not compiled: predict compiles "
                              "for a known rank; write the shape with None "
                              "for each size known only at run time "
                              "(shape=[None, 4])")
        shape = None
        if isinstance(shape_node, (ast.List, ast.Tuple)):
            shape = []
            for e in shape_node.elts:
                if isinstance(e, ast.Constant) and e.value is None:
                    shape.append(None)
                    continue
                size = literal_int(e)
                if size is None:
                    # A value known at import: a module constant, a class
                    # attribute (`Config.N`; helper-139: refused).
                    try:
                        known = BuildScope(self).evaluate(e)
                    except (NotKnown, SourceError, RecursionError,
                            TypeError):
                        known = False  # (not an int: refused below)
                    if known is None:
                        shape.append(None)
                        continue
                    size = known if type(known) is int else None
                if size is None or size < 0 or size > INT64_MAX:
                    shape = None
                    break
                shape.append(size)
        if shape is None:
            raise SourceError(shape_node, "a TensorSpec's shape is read "
                              "when it is a list or tuple of sizes (ints "
                              ">= 0, values known at import) and None")
        dtype_node = args["dtype"]
        dtype = "tensorflow.float32" if dtype_node is None else (
            self.qualify(dtype_node) or
            "tensorflow." + (literal_str(dtype_node) or "?"))
        element = SPEC_DTYPES.get(dtype.replace("numpy.", "tensorflow.")
                                  .replace(".dtypes.", "."))
        if element is None:
            raise SourceError(dtype_node, "TensorSpec dtype "
                              f"'{ast.unparse(dtype_node)}' is not "
                              "compiled: predict's arguments are float32, "
                              "int32, int64 or bool")
        return {"shape": shape, "dtype": element}

    def init_params(self, init, call):
        """The nodes of `init`'s parameters (after self) for the
        instantiation `call`: Python's binding of arguments to parameters,
        as (given, defaults), given arguments to be evaluated where the
        call is, defaults at module level (where `def` evaluates them). A
        surplus, unknown or repeated argument is Python's TypeError here,
        never dropped."""
        args = init.args.args[1:]
        defaults = init.args.defaults
        default_nodes = {}
        for i, a in enumerate(args):
            d = i - (len(args) - len(defaults))
            if d >= 0:
                default_nodes[a.arg] = defaults[d]
        for a, d in zip(init.args.kwonlyargs, init.args.kw_defaults):
            if d is not None:
                default_nodes[a.arg] = d
        name = ast.unparse(call.func)
        if (len(call.args) > len(args) and init.args.vararg is None) or any(
                isinstance(a, ast.Starred) for a in call.args):
            raise SourceError(call, f"{name}(...) takes {len(args)} "
                              "positional argument(s) after self, given "
                              "one by one")
        values = {}
        for a, v in zip(args, call.args):
            values[a.arg] = v
        given = {a.arg for a in args[:len(call.args)]}
        names = {a.arg for a in args} | {a.arg for a in init.args.kwonlyargs}
        for kw in call.keywords:
            if kw.arg in ("name", "trainable", "input_shape", "input_dim",
                          "batch_input_shape") and \
                    init.args.kwarg is not None:
                continue  # **kwargs, passed on to keras.Model or Layer
            if kw.arg == "dtype" and init.args.kwarg is not None and (
                    isinstance(kw.value, ast.Constant) and
                    kw.value.value in (None, "float32") or
                    self.qualify(kw.value) == "tensorflow.float32"):
                continue  # Keras's float32 policy, predict's own
            if kw.arg is None or kw.arg not in names:
                raise SourceError(kw.value, f"{name}(...) has no "
                                  f"parameter '{kw.arg or '**'}' in its "
                                  "__init__")
            if kw.arg in given:
                raise SourceError(kw.value, f"{name}(...) is given "
                                  f"'{kw.arg}' twice")
            given.add(kw.arg)
            values[kw.arg] = kw.value
        for a in list(args) + list(init.args.kwonlyargs):
            if a.arg not in values and a.arg not in default_nodes:
                raise SourceError(call, f"{name}(...) is not given "
                                  f"'{a.arg}', which its __init__ needs "
                                  "(Python raises TypeError)")
        return values, {k: v for k, v in default_nodes.items()
                        if k not in values}


# Values known when the model is built ---------------------------------------

# What BuildScope.objects holds for a model made in __init__.
MODEL = object()


class NotKnown(Exception):
    """`node` has no value before the program runs (a tensor, a call of a
    library): it cannot configure a model."""

    def __init__(self, node):
        super().__init__("not known")
        self.node = node


class Function:
    """A function named through the imports (`tf.nn.relu`), as a value."""

    def __init__(self, qualified):
        self.qualified = qualified

    def __eq__(self, other):
        return isinstance(other, Function) and \
            other.qualified == self.qualified

    def __hash__(self):
        return hash(self.qualified)


class LayerObject:
    """A Keras layer constructed as an argument of another
    (`Dense(3, activation=tf.keras.layers.LeakyReLU(0.1))`): its class and
    its arguments, evaluated."""

    def __init__(self, qualified, args, kwargs):
        self.qualified = qualified
        self.args = args
        self.kwargs = kwargs


class ArrayCall:
    """A call of ARRAY_MAKERS whose arguments are known at import, as a
    value: the function, the call's node (for its place in the file) and
    its arguments evaluated; or (`qualified` None) arithmetic of such
    arrays and known values (`np.eye(3) * 2`, `1.0 / STD`): the BinOp or
    UnaryOp node and its operands evaluated. Only converted code reads it
    (as the array it makes); a configuration that computes with it
    (`len(MEAN)`, `MEAN[0]` in __init__) does not know it."""

    def __init__(self, qualified, node, args, kwargs):
        self.qualified = qualified
        self.node = node
        self.args = args          # [(value, its node)]
        self.kwargs = kwargs      # [(keyword, value, its node)]


class NotComputed(Exception):
    """A value the reader does not compute with numpy (numpy_value)."""


_NUMPY = []


def numpy_module():
    """Debian's numpy (python3-numpy, which predict's set-up installs),
    imported once on first need; None without it."""
    if not _NUMPY:
        try:
            import numpy
            _NUMPY.append(numpy)
        except ImportError:
            _NUMPY.append(None)
    return _NUMPY[0]


NUMPY_OPS = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply",
             ast.Div: "true_divide", ast.FloorDiv: "floor_divide",
             ast.Mod: "remainder", ast.Pow: "power"}


def numpy_value(value):
    """What numpy makes of `value`, a value known at import: an ArrayCall
    of numpy's array makers, methods, subscripts and arithmetic (computed
    by numpy itself, with its dtypes and promotion), a number, a list or
    tuple of them, a dtype; NotComputed for anything else (TensorFlow's
    calls, which predict converts)."""
    np = numpy_module()
    if np is None:
        raise NotComputed()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(numpy_value(v) for v in value)
    if isinstance(value, Function):
        module, _, name = value.qualified.rpartition(".")
        if module == "builtins" and name in ("int", "float", "bool"):
            return {"int": int, "float": float, "bool": bool}[name]
        if module == "numpy" and isinstance(getattr(np, name, None), type):
            return getattr(np, name)
        raise NotComputed()
    if isinstance(value, NumpyIndex):
        return value.index
    if not isinstance(value, ArrayCall):
        raise NotComputed()
    args = [numpy_value(v) for v, _ in value.args]
    kwargs = {k: numpy_value(v) for k, v, _ in value.kwargs}
    with np.errstate(all="ignore"):
        if value.qualified is not None:
            module, _, name = value.qualified.rpartition(".")
            made = getattr(np, name, None) if module == "numpy" else None
            if made is None:
                raise NotComputed()
            return made(*args, **kwargs)
        node = value.node
        if isinstance(node, ast.BinOp) and type(node.op) in NUMPY_OPS:
            return getattr(np, NUMPY_OPS[type(node.op)])(*args)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return np.negative(args[0])
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
            return np.positive(args[0])
        if isinstance(node, ast.Attribute) and node.attr == "T":
            return np.asarray(args[0]).T
        if isinstance(node, ast.Subscript):
            return np.asarray(args[0])[args[1]]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return getattr(np.asarray(args[0]), node.func.attr)(*args[1:],
                                                                **kwargs)
    raise NotComputed()


class NumpyIndex:
    """An index known at import (`[0]`, `[1:]`, `[None, :]`, `[::-1]`), as
    numpy takes it."""

    def __init__(self, index):
        self.index = index


def literal_index(node, evaluate):
    """The index `node` (a subscript's slice) writes, of ints, slices of
    ints, None and `...`, for numpy; None for another one."""
    def one(n):
        if isinstance(n, ast.Slice):
            parts = [None if p is None else evaluate(p)
                     for p in (n.lower, n.upper, n.step)]
            if all(p is None or (isinstance(p, int) and
                                 not isinstance(p, bool)) for p in parts):
                return slice(*parts)
            raise NotComputed()
        if isinstance(n, ast.Constant) and n.value in (None, Ellipsis):
            return n.value
        v = evaluate(n)
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        raise NotComputed()
    try:
        if isinstance(node, ast.Tuple):
            return NumpyIndex(tuple(one(e) for e in node.elts))
        return NumpyIndex(one(node))
    except (NotComputed, NotKnown, SourceError):
        return None


def fold_float64(node, values):
    """Arithmetic of numpy arrays and numbers known at import (`+ - * / //
    % **`, unary `-`), computed by numpy as numpy computes it, with its
    dtypes, promotion and broadcasting, when its result is float64
    (helper-132: `1.0 / (HI - LO)` of unix times was computed in float32,
    where the difference is 0; helper-133: slices, `.T`, `astype`, an int64
    array beside a float, a float32 array beside a float64 one): the
    ArrayCall `np.array(<result>, dtype=np.float64)` located at `node`,
    which converted code rounds to float32 once, as TensorFlow converts
    the array. None where another rule applies: a result of another dtype
    (integers stay exact, float32 stays float32, as numpy computes them),
    one that is not finite, a value numpy does not make here."""
    np = numpy_module()
    try:
        call = ArrayCall(None, node, [(v, node) for v in values], [])
        result = numpy_value(call)
    except (NotComputed, ArithmeticError, TypeError, ValueError,
            IndexError, AttributeError, MemoryError, OverflowError):
        return None
    if np is None or not isinstance(result, (np.ndarray, np.generic)) or \
            result.dtype != np.float64 or result.size > (1 << 24) or \
            not np.all(np.isfinite(result)):
        return None
    made = ast.copy_location(ast.Call(
        func=ast.copy_location(ast.Attribute(
            value=ast.copy_location(ast.Name(id="np", ctx=ast.Load()), node),
            attr="array", ctx=ast.Load()), node),
        args=[], keywords=[]), node)
    ast.fix_missing_locations(made)
    made.end_lineno, made.end_col_offset = node.end_lineno, node.end_col_offset
    made.func.end_lineno = node.end_lineno
    made.func.end_col_offset = node.end_col_offset
    return ArrayCall("numpy.array", made, [(result.tolist(), node)],
                     [("dtype", Function("numpy.float64"), node)])


def plain(value, node):
    """`value`, or NotKnown at `node` for an ArrayCall, which a
    configuration does not compute with."""
    if isinstance(value, ArrayCall):
        raise NotKnown(node)
    return value


# numpy functions that return a new array (or a number) and never write
# into their first argument: a module array given to one first, with no
# `out=`, is only read (SourceModule.arrays_changed).
PURE_NUMPY = {
    "abs", "absolute", "add", "all", "allclose", "any", "arccos", "arcsin",
    "arctan", "arctan2", "argmax", "argmin", "argsort", "around",
    "array_equal", "average", "ceil", "clip", "concatenate", "copy", "cos",
    "cosh", "cumprod", "cumsum", "diag", "diff", "divide", "dot", "einsum",
    "equal", "exp", "expm1", "floor", "floor_divide", "greater", "hstack",
    "inner", "isclose", "isfinite", "isinf", "isnan", "kron", "less",
    "linalg.det", "linalg.eig", "linalg.inv", "linalg.norm", "linalg.pinv",
    "linalg.solve", "linalg.svd", "log", "log10", "log1p", "log2",
    "logical_and", "logical_not", "logical_or", "matmul", "max", "maximum",
    "mean", "median", "min", "minimum", "mod", "multiply", "negative",
    "nonzero", "not_equal", "outer", "percentile", "power", "prod", "ptp",
    "quantile", "remainder", "repeat", "round", "save", "savetxt", "savez",
    "shape", "sign", "sin", "sinh", "size", "sort", "sqrt", "square", "stack",
    "std", "subtract", "sum", "tan", "tanh", "tile", "trace", "true_divide",
    "unique", "var", "vstack", "where"}


# Python's builtins that a configuration may call, on known values.
BUILTINS = {"int": int, "float": float, "bool": bool, "str": str,
            "len": len, "min": min, "max": max, "abs": abs, "round": round,
            "tuple": tuple, "list": list, "range": range, "sum": sum,
            "enumerate": lambda *a: list(enumerate(*a)),
            "zip": lambda *a: list(zip(*a)),
            "reversed": lambda a: list(reversed(a))}
# Python's binary operators, applied to known values.
BINARY_OPS = {**NUMBER_OPS,
              ast.LShift: lambda a, b: a << b, ast.RShift: lambda a, b: a >> b,
              ast.BitOr: lambda a, b: a | b, ast.BitAnd: lambda a, b: a & b,
              ast.BitXor: lambda a, b: a ^ b}
COMPARE_OPS = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
               ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
               ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
               ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b,
               ast.In: lambda a, b: a in b,
               ast.NotIn: lambda a, b: a not in b}

class BuildScope:
    """The names Python sees while a model is built: an `__init__`'s
    parameters (an instantiation's argument, evaluated where the call is;
    or the default, evaluated at module level, where `def` evaluates it),
    its local names, and the attributes it has stored on `self` so far;
    then the module's constants and imports. Values are evaluated when
    first read, so an argument nothing reads may be anything."""

    def __init__(self, module, given=None, defaults=None, caller=None,
                 has_self=False):
        self.module = module
        self.given = given or {}        # parameter -> the caller's node
        self.defaults = defaults or {}  # parameter -> the default's node
        self.caller = caller            # where `given` evaluates (None: module)
        self.locals = {}                # name -> value
        self.attrs = {}                 # self.attr -> value
        # self.attr of a list display this __init__ made (its values may
        # be appended to).
        self.fresh_lists = set()
        # self.attr of a list of layers or models __init__ made -> its
        # number of items (`len(self.blocks)` in __init__).
        self.layer_counts = {}
        # The model's class attributes known at import, read by
        # `type(self).X` and `self.__class__.X` past an instance attribute.
        self.class_attrs = {}
        self.held = {}                  # self.attr -> a module model's name
        # self.attr -> the LayerObject of a layer made there, or MODEL for
        # a model made there: what a wrapper may be given as `self.attr`.
        self.objects = {}
        # A local name bound to a layer constructor (`d = Dense(2)`): the
        # call; the attribute it was stored as (`self.d = d`); the first
        # layer it was given to that Keras shares it with.
        self.local_layers = {}
        self.local_attr = {}
        self.shared_locals = {}
        # A Functional graph built in __init__: the local names of its
        # values (`x = tf.keras.Input(...)`, `h = Dense(8)(x)`), the local
        # statements so far in order (what the graph is read from), and a
        # super().__init__(inputs, outputs) found: (its call, the
        # statements before it, the statement, the scope).
        self.graph = set()
        # Local names of initializer objects (`w_init =
        # tf.random_normal_initializer()`): what tf.Variable draws.
        self.initializers = {}
        self.statements = []
        self.functional = None
        # Local layer (or model) names the graph calls: each is the graph's.
        self.graph_layers = set()
        # Copies of the statements for this instance's graphs, by id: two
        # graphs of one __init__ share their layers, as Keras's do.
        self.graph_copies = {}
        # self.attr -> the attribute it is another name of (`self.e =
        # self.d`).
        self.aliases = {}
        self.has_self = has_self
        self.busy = set()

    def shadows(self, name):
        """Whether this scope's own names (not the module's) bind `name`."""
        return name in self.locals or name in self.given or \
            name in self.defaults

    def lookup(self, node):
        name = node.id
        if name in self.locals:
            return self.locals[name]
        for nodes, where in ((self.given, self.caller),
                             (self.defaults, None)):
            if name in nodes:
                if name in self.busy:
                    raise NotKnown(node)
                self.busy.add(name)
                try:
                    scope = where or self.module.module_scope
                    value = scope.evaluate(nodes[name])
                finally:
                    self.busy.discard(name)
                self.locals[name] = value
                return value
        if self is not self.module.module_scope:
            return self.module.module_scope.lookup(node)
        if name in self.module.constant_nodes:
            if name in self.busy:
                raise NotKnown(node)
            self.busy.add(name)
            try:
                value = self.evaluate_array(self.module.constant_nodes[name])
            finally:
                self.busy.discard(name)
            self.locals[name] = value
            return value
        qualified = self.module.qualify(node)
        if qualified is not None:
            return Function(qualified)
        raise NotKnown(node)

    def raises(self, node, error):
        return SourceError(node, f"{ast.unparse(node)}: {error} (Python "
                           "raises here)")

    def evaluate(self, node):
        """The value of `node`: a number, string, bool, None, a tuple,
        list or dict of them, or a function named through the imports;
        NotKnown at the part that is none of these."""
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (int, float, str, bool, type(None))):
                return node.value
            raise NotKnown(node)
        if isinstance(node, ast.Name):
            return self.lookup(node)
        if isinstance(node, ast.JoinedStr):  # f"dense_{i}"
            parts = []
            for v in node.values:
                if isinstance(v, ast.FormattedValue):
                    if v.conversion != -1 or v.format_spec is not None:
                        raise NotKnown(v)
                    value = self.evaluate(v.value)
                    if not isinstance(value, (int, str)):
                        raise NotKnown(v)
                    parts.append(str(value))
                else:
                    parts.append(self.evaluate(v))
            return "".join(parts)
        if isinstance(node, ast.Attribute):
            if self.has_self and of_own_class(node.value):
                if node.attr in self.class_attrs:
                    return self.class_attrs[node.attr]
                raise NotKnown(node)
            if self.has_self and isinstance(node.value, ast.Name) and \
                    node.value.id == "self":
                if node.attr in self.attrs:
                    return self.attrs[node.attr]
                # A layer made in __init__, given to another layer (a
                # wrapper, an activation): its class and arguments.
                if isinstance(self.objects.get(node.attr), LayerObject):
                    return self.objects[node.attr]
                raise NotKnown(node)
            # `Config.SCALE`: a class attribute read through its class.
            if isinstance(node.value, ast.Name) and \
                    not self.shadows(node.value.id):
                cls = self.module.plain_class(node.value.id)
                if cls is not None:
                    return self.module.class_value(cls, node.attr, node)
            qualified = self.module.qualify(node)
            if qualified in NAMED_NUMBERS:
                return NAMED_NUMBERS[qualified]
            if qualified is not None:
                return Function(qualified)
            raise NotKnown(node)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = []
            for e in node.elts:
                if not isinstance(e, ast.Starred):
                    items.append(self.evaluate(e))
                    continue
                # `(1, *SHAPE)`: the items of a known sequence, in place.
                value = self.evaluate(e.value)
                if not isinstance(value, (tuple, list, range, str)):
                    raise NotKnown(e)
                items.extend(value)
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                raise NotKnown(node)
            return {self.evaluate(k): self.evaluate(v)
                    for k, v in zip(node.keys, node.values)}
        try:
            if isinstance(node, ast.UnaryOp):
                value = plain(self.evaluate(node.operand), node)
                if isinstance(node.op, ast.Not):
                    return not value
                if not isinstance(value, (int, float)):
                    raise NotKnown(node)
                return {ast.USub: lambda v: -v, ast.UAdd: lambda v: +v,
                        ast.Invert: lambda v: ~v}[type(node.op)](value)
            if isinstance(node, ast.BinOp) and type(node.op) in BINARY_OPS:
                number = fold_number(node, self.module.qualify)
                if number is not None:
                    return number
                lhs, rhs = self.evaluate(node.left), self.evaluate(node.right)
                if any(isinstance(v, (Function, LayerObject, ArrayCall, dict,
                                      range)) for v in (lhs, rhs)):
                    raise NotKnown(node)
                if isinstance(node.op, (ast.Pow, ast.LShift)) and \
                        isinstance(rhs, int) and isinstance(lhs, int) and \
                        rhs > 4096:
                    raise SourceError(node, f"{ast.unparse(node)} has more "
                                      "than 4096 bits")
                if isinstance(node.op, ast.Mult) and \
                        isinstance(lhs, (str, tuple, list)) + \
                        isinstance(rhs, (str, tuple, list)) == 1 and \
                        max(len(v) if isinstance(v, (str, tuple, list))
                            else v for v in (lhs, rhs)) > 1 << 20:
                    raise SourceError(node, f"{ast.unparse(node)} is too "
                                      "large a value to build")
                return BINARY_OPS[type(node.op)](lhs, rhs)
            if isinstance(node, ast.BoolOp):
                value = None
                for v in node.values:
                    value = plain(self.evaluate(v), v)
                    if isinstance(node.op, ast.And) != bool(value):
                        return value
                return value
            if isinstance(node, ast.Compare):
                left = plain(self.evaluate(node.left), node.left)
                for op, right_node in zip(node.ops, node.comparators):
                    right = plain(self.evaluate(right_node), right_node)
                    if not COMPARE_OPS[type(op)](left, right):
                        return False
                    left = right
                return True
            if isinstance(node, ast.IfExp):
                return self.evaluate(node.body if plain(
                    self.evaluate(node.test), node.test) else node.orelse)
            if isinstance(node, ast.Subscript):
                value = self.evaluate(node.value)
                if isinstance(node.slice, ast.Slice):
                    key = slice(*(None if b is None else self.evaluate(b)
                                  for b in (node.slice.lower,
                                            node.slice.upper,
                                            node.slice.step)))
                else:
                    key = self.evaluate(node.slice)
                if not isinstance(value, (tuple, list, dict, str, range)):
                    raise NotKnown(node)
                return value[key]
            # A dict's `.items()`, `.keys()`, `.values()` and `sorted(seq,
            # reverse=...)` of values known at import (helper-149).
            if isinstance(node, ast.Call) and \
                    isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("items", "keys", "values") and \
                    not node.args and not node.keywords:
                base = self.evaluate(node.func.value)
                if not isinstance(base, dict):
                    raise NotKnown(node)
                return list(getattr(base, node.func.attr)())
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "sorted" and \
                    self.is_builtin("sorted") and len(node.args) == 1 and \
                    all(k.arg == "reverse" for k in node.keywords):
                seq = self.evaluate(node.args[0])
                reverse = any(self.evaluate(k.value) for k in node.keywords)
                if not isinstance(seq, (list, tuple, range, str)):
                    raise NotKnown(node)
                try:
                    return sorted(seq, reverse=reverse)
                except TypeError:
                    raise SourceError(node, f"'{ast.unparse(node)}' sorts "
                                      "values Python cannot compare "
                                      "(TypeError)")
            # `len(self.blocks)` of a list of layers __init__ made: its
            # number of items (helper-149: not known).
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "len" and self.is_builtin("len") and \
                    len(node.args) == 1 and not node.keywords and \
                    self.has_self and \
                    isinstance(node.args[0], ast.Attribute) and \
                    isinstance(node.args[0].value, ast.Name) and \
                    node.args[0].value.id == "self" and \
                    node.args[0].attr in self.layer_counts:
                return self.layer_counts[node.args[0].attr]
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in BUILTINS and \
                    self.is_builtin(node.func.id) and not node.keywords and \
                    not any(isinstance(a, ast.Starred) for a in node.args):
                args = [self.evaluate(a) for a in node.args]
                if any(isinstance(a, (Function, ArrayCall, dict))
                       for a in args):
                    raise NotKnown(node)
                if node.func.id == "range" and len(range(*args)) > 1 << 20:
                    raise SourceError(node, f"{ast.unparse(node)} is too "
                                      "long a range to build")
                value = BUILTINS[node.func.id](*args)
                return list(value) if isinstance(value, range) and \
                    node.func.id != "range" else value
            if isinstance(node, ast.ListComp) and len(node.generators) == 1 \
                    and isinstance(node.generators[0].target, ast.Name) \
                    and not node.generators[0].is_async:
                gen = node.generators[0]
                items = self.evaluate(gen.iter)
                if not isinstance(items, (tuple, list, range, str)):
                    raise NotKnown(gen.iter)
                out = []
                name = gen.target.id
                saved = self.locals.get(name, NotKnown)
                try:
                    for item in items:
                        self.locals[name] = item
                        if all(self.evaluate(c) for c in gen.ifs):
                            out.append(self.evaluate(node.elt))
                finally:
                    if saved is NotKnown:
                        self.locals.pop(name, None)
                    else:
                        self.locals[name] = saved
                return out
        except (ArithmeticError, TypeError, ValueError, IndexError,
                KeyError) as e:
            raise self.raises(node, e)
        if isinstance(node, ast.Call) and \
                not any(isinstance(a, ast.Starred) for a in node.args) and \
                all(k.arg is not None for k in node.keywords):
            qualified = self.module.qualify(node.func)
            # Keras's activations.get(identifier): a name's function (None
            # is linear), a function itself (helper-130).
            if qualified in ACTIVATIONS_GET and len(node.args) == 1 and \
                    not node.keywords:
                which = self.evaluate(node.args[0])
                if isinstance(which, Function):
                    return which
                if which is None or isinstance(which, str):
                    return Function(qualified.rpartition(".")[0] + "." +
                                    (which or "linear"))
                raise NotKnown(node.args[0])
            if qualified is not None and qualified.startswith(LAYER_PREFIXES):
                return LayerObject(
                    qualified, [self.evaluate(a) for a in node.args],
                    {k.arg: self.evaluate(k.value) for k in node.keywords})
        raise NotKnown(node)

    def evaluate_array(self, node):
        """evaluate(), where a call of ARRAY_MAKERS whose arguments are
        known (themselves such calls too) is its ArrayCall, and so is a
        method of ARRAY_METHODS of one (`np.arange(6.0).reshape(3, 2)`,
        `.T`)."""
        def argument(a):
            # Python's int, float and bool name numpy's dtypes.
            if isinstance(a, ast.Name) and \
                    a.id in ("int", "float", "bool") and \
                    self.is_builtin(a.id):
                return Function("builtins." + a.id)
            return self.evaluate_array(a)
        plain_call = isinstance(node, ast.Call) and \
            not any(isinstance(a, ast.Starred) for a in node.args) and \
            all(k.arg is not None for k in node.keywords)
        if plain_call and self.module.qualify(node.func) in ARRAY_MAKERS:
            return ArrayCall(
                self.module.qualify(node.func), node,
                [(argument(a), a) for a in node.args],
                [(k.arg, argument(k.value), k.value)
                 for k in node.keywords])
        # A method of an array: the array numpy computes, made where
        # converted code reads it (ProgramBuilder::ndarrayMethod).
        method = node.func if plain_call else node
        if isinstance(method, ast.Attribute) and \
                method.attr in (ARRAY_METHODS if plain_call else ("T",)):
            array = self.evaluate_array(method.value)
            if isinstance(array, ArrayCall):
                return ArrayCall(
                    None, node,
                    [(array, method.value)] +
                    [(argument(a), a) for a in getattr(node, "args", [])],
                    [(k.arg, argument(k.value), k.value)
                     for k in getattr(node, "keywords", [])])
        # Arithmetic with an array: the array numpy computes, made where
        # converted code reads it.
        operands = [node.left, node.right] if isinstance(node, ast.BinOp) \
            else [node.operand] if isinstance(node, ast.UnaryOp) and \
            not isinstance(node.op, ast.Not) else []
        values = [self.array_operand(o) for o in operands]
        if any(isinstance(v, ArrayCall) for v in values):
            folded = fold_float64(node, values)
            if folded is not None:
                return folded
            # (An element or slice of an array is numpy's only: converted
            # code reads `A[1:]` where it is written.)
            if any(isinstance(v, ArrayCall) and
                   isinstance(v.node, ast.Subscript) for v in values):
                raise NotKnown(node)
            return ArrayCall(None, node, list(zip(values, operands)), [])
        return self.evaluate(node)

    def array_operand(self, node):
        """evaluate_array() of an operand of arithmetic, where a subscript
        of an array known at import (`A[1:]`, `A[None, :]`) is one for
        numpy to compute (fold_float64)."""
        if isinstance(node, ast.Subscript):
            try:
                base = self.evaluate_array(node.value)
            except NotKnown:
                base = None
            index = literal_index(node.slice, self.evaluate)
            if isinstance(base, ArrayCall) and index is not None:
                return ArrayCall(None, node, [(base, node.value),
                                              (index, node)], [])
        return self.evaluate_array(node)

    def is_module_name(self, name):
        """Whether `name` here is the module's variable (not a parameter or
        a local)."""
        return name not in self.locals and name not in self.given and \
            name not in self.defaults

    def module_model(self, node):
        """The module model that the name `node` is here: a module model's
        name, or a parameter given one by its caller (`Top(encoder)`, read
        where the call is); None otherwise."""
        scope = self
        while isinstance(node, ast.Name):
            name = node.id
            if name in scope.locals or name in scope.defaults and \
                    name not in scope.given:
                return None
            if name in scope.given:
                node = scope.given[name]
                scope = scope.caller or scope.module.module_scope
                continue
            return name if name in scope.module.models else None
        return None

    def is_builtin(self, name):
        """Whether `name` is Python's builtin here (not a parameter, a
        local, a module constant or an import)."""
        if name in self.locals or name in self.given or \
                name in self.defaults:
            return False
        return name not in self.module.constant_nodes and \
            name not in self.module.imports and \
            name not in self.module.functions and \
            name not in self.module.classes

    def known(self, node, what="a value"):
        """evaluate(), with NotKnown as the user's error at the part of
        `node` that is not known when the model is built."""
        try:
            return self.evaluate(node)
        except NotKnown as e:
            raise SourceError(e.node, f"{what} must be known when the model "
                              "is built: expected a literal value (a number, "
                              "string, tuple or list), an __init__ "
                              "parameter, a module constant, or an "
                              "expression of those, not "
                              f"'{ast.unparse(e.node)}'")


# The program's JSON ----------------------------------------------------------

def value_json(value, node):
    """A Python value in the schema's encoding: numbers as objects holding
    their exact text (`{"float": "1e-05"}`, `{"float": "inf"}`,
    `{"int": "12345678901234567890"}`), so that no JSON reader rounds them;
    strings, booleans and None as JSON's; lists and tuples tagged."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if value is Ellipsis:
        return {"ellipsis": True}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, list):
        return {"list": [value_json(v, node) for v in value]}
    if isinstance(value, tuple):
        return {"tuple": [value_json(v, node) for v in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): value_json(v, node)
                         for k, v in value.items()}}
    if isinstance(value, range):
        return {"list": [value_json(v, node) for v in value]}
    if isinstance(value, Function):
        return {"function": value.qualified}
    if isinstance(value, ArrayCall):
        return {"call": array_call_json(value)}
    if isinstance(value, LayerObject):
        module, _, name = value.qualified.rpartition(".")

        return {"layer": {"class_name": name, "module": module,
                          "args": [layer_value_json(v, node)
                                   for v in value.args],
                          "kwargs": {k: layer_value_json(v, node)
                                     for k, v in value.kwargs.items()}}}
    raise SourceError(node, f"a value of type {type(value).__name__} "
                      "cannot be handed on")


def layer_value_json(value, node):
    """value_json() of a layer's argument, where a numpy array known at
    import (`Normalization(mean=MEAN)`) is its values, as Keras reads them
    (helper-133: "the value a value is not one predict reads")."""
    if isinstance(value, ArrayCall):
        try:
            return value_json(numpy_module().asarray(
                numpy_value(value)).tolist(), node)
        except (NotComputed, AttributeError, TypeError, ValueError):
            pass
    return value_json(value, node)


def literal_json(value, node):
    """The node of the reader's JSON that writes `value` (known at import)
    as a literal in place of `node`, which computed it: an ArrayCall's
    argument, for the builder to convert the call as if written with
    literals."""
    out = {"loc": loc_json(node)}
    if getattr(node, "end_lineno", None) is not None:
        out["end"] = [node.end_lineno, node.end_col_offset + 1]
    if isinstance(value, (list, tuple, range)):
        out.update(node="Tuple" if isinstance(value, tuple) else "List",
                   elts=[literal_json(v, node) for v in value])
    elif isinstance(value, Function):
        out.update(node="Attribute", attr=value.qualified.rsplit(".", 1)[-1],
                   qualified=value.qualified)
    elif isinstance(value, ArrayCall):
        return array_call_json(value)
    elif value is None or isinstance(value, (bool, int, float, str)):
        out.update(node="Constant", value=value_json(value, node))
    else:
        raise SourceError(node, f"a value of type {type(value).__name__} "
                          "cannot be handed on")
    return out


def array_call_json(value):
    """An ArrayCall as the node of a call (or of arithmetic) whose
    arguments (operands) are literals."""
    call = value.node
    if value.qualified is None:
        out = {"node": type(call).__name__, "loc": loc_json(call),
               "end": [call.end_lineno, call.end_col_offset + 1]}
        operands = [literal_json(v, n) for v, n in value.args]
        if isinstance(call, ast.BinOp):
            out.update(op=type(call.op).__name__, left=operands[0],
                       right=operands[1])
        elif isinstance(call, ast.UnaryOp):
            out.update(op=type(call.op).__name__, operand=operands[0])
        elif isinstance(call, ast.Attribute):  # `.T`
            out.update(value=operands[0], attr=call.attr)
        else:  # a method, `.reshape(3, 2)`
            out.update(
                func={"node": "Attribute", "value": operands[0],
                      "attr": call.func.attr, "loc": loc_json(call.func),
                      "end": [call.func.end_lineno,
                              call.func.end_col_offset + 1]},
                args=operands[1:],
                keywords=[{"node": "keyword", "arg": k,
                           "value": literal_json(v, n)}
                          for k, v, n in value.kwargs])
        return out
    func = {"node": "Attribute", "qualified": value.qualified,
            "attr": value.qualified.rsplit(".", 1)[-1],
            "loc": loc_json(call.func),
            "end": [call.func.end_lineno, call.func.end_col_offset + 1]}
    return {"node": "Call", "loc": loc_json(call),
            "end": [call.end_lineno, call.end_col_offset + 1], "func": func,
            "args": [literal_json(v, n) for v, n in value.args],
            "keywords": [{"node": "keyword", "arg": k,
                          "value": literal_json(v, n)}
                         for k, v, n in value.kwargs]}


def numeric_json(out):
    """Whether a node's JSON is a number: a number constant, or folded."""
    if not isinstance(out, dict):
        return isinstance(out, str)  # float("inf")'s string argument
    value = out.get("value")
    return "folded" in out or (out.get("node") == "Constant" and
                               isinstance(value, dict) and
                               ("int" in value or "float" in value))


def folding_operands(out):
    """The operands fold_number reads of a node's JSON: only when all are
    numbers can it fold (checked first, so that a long chain of `x + ...`
    does not refold its whole depth at every level)."""
    if out["node"] == "UnaryOp":
        return [out["operand"]]
    if out["node"] == "BinOp":
        return [out["left"], out["right"]]
    args = out.get("args") or []
    func = out.get("func") or {}
    if func.get("node") != "Name" or func.get("id") not in ("float", "int") \
            or len(args) != 1 or out.get("keywords"):
        return [None]
    arg = args[0]
    return [arg.get("value") if arg.get("node") == "Constant" and
            isinstance(arg.get("value"), str) else arg]


def of_own_class(node, bound=()):
    """Whether `node` is `type(self)` or `self.__class__` (in a method:
    the class of the model being built); `bound`, names that rebind
    `type` where it is."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and node.func.id == "type" and "type" not in bound and \
        len(node.args) == 1 and \
        not node.keywords and isinstance(node.args[0], ast.Name) and \
        node.args[0].id == "self" or \
        isinstance(node, ast.Attribute) and node.attr == "__class__" and \
        isinstance(node.value, ast.Name) and node.value.id == "self"


def bound_names(fn):
    """The names the function `fn` binds (its own parameters and those of
    the lambdas and functions in it, its assignments, its `global` and
    `nonlocal` names); none without `fn` (a function's defaults, which
    `def` evaluates where it is)."""
    bound = set()
    for n in ast.walk(fn) if fn is not None else ():
        if isinstance(n, ast.arg):
            bound.add(n.arg)
        elif isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            bound.add(n.id)
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            bound.update(n.names)
    return bound


def value_node(value, at):
    """The literal that writes `value`, a number, string, bool or None or a
    tuple or list of them, located at `at`; TypeError for another value."""
    if isinstance(value, (tuple, list)):
        node = ast.Tuple(elts=[value_node(v, at) for v in value],
                         ctx=ast.Load())
    elif value is None or isinstance(value, (bool, int, float, str)):
        node = ast.Constant(value=value)
    else:
        raise TypeError(value)
    return ast.fix_missing_locations(ast.copy_location(node, at))


def part_of(node, methods=ARRAY_VIEWS):
    """(name, attribute) for an expression that is a part of a name's value,
    through attributes, items and the results of the methods `methods`
    (views; None: every method's): the name, and the attribute right under
    it (`model.m.reshape(2, 2)[0]`: ("model", "m"); None for the name
    itself); (None, None) for any other expression."""
    attribute = None
    while True:
        if isinstance(node, ast.Call) and \
                isinstance(node.func, ast.Attribute) and \
                (methods is None or node.func.attr in methods):
            node = node.func
        if isinstance(node, ast.Attribute):
            attribute = node.attr
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            break
    return (node.id, attribute) if isinstance(node, ast.Name) \
        else (None, None)


def changed_in_place(node):
    """The names whose values `node` changes in place: the object of a
    mutating method (`outs.append(h)`, `cfg["a"].update(...)`) or of an
    item or attribute assignment (`outs[0] = h`, `m.scale = 2.0`)."""
    out = set()
    for sub in ast.walk(node):
        changed = None
        if isinstance(sub, ast.Call) and \
                isinstance(sub.func, ast.Attribute) and \
                sub.func.attr in MUTATING_METHODS:
            changed = sub.func.value
        elif isinstance(sub, (ast.Subscript, ast.Attribute)) and \
                isinstance(sub.ctx, (ast.Store, ast.Del)):
            changed = sub.value
        # (Through a method's result, which may be a view of what it is
        # called on: `m.w.reshape(4)[0] = 5.0`.)
        while isinstance(changed, (ast.Subscript, ast.Attribute)) or \
                isinstance(changed, ast.Call) and \
                isinstance(changed.func, ast.Attribute):
            changed = changed.func.value if isinstance(changed, ast.Call) \
                else changed.value
        if isinstance(changed, ast.Name):
            out.add(changed.id)
    return out


# Keras's other names of layer classes: a layer is named by its class.
KERAS_ALIASES = {
    **{f"Convolution{n}D": f"Conv{n}D" for n in (1, 2, 3)},
    **{f"Convolution{n}DTranspose": f"Conv{n}DTranspose" for n in (1, 2, 3)},
    **{f"SeparableConvolution{n}D": f"SeparableConv{n}D" for n in (1, 2)},
    **{f"AvgPool{n}D": f"AveragePooling{n}D" for n in (1, 2, 3)},
    **{f"MaxPool{n}D": f"MaxPooling{n}D" for n in (1, 2, 3)},
    **{f"GlobalAvgPool{n}D": f"GlobalAveragePooling{n}D" for n in (1, 2, 3)},
    **{f"GlobalMaxPool{n}D": f"GlobalMaxPooling{n}D" for n in (1, 2, 3)},
}


def keras_snake_case(name):
    """A class name as Keras 3 makes it a layer's automatic name
    (keras.src.utils.naming.to_snake_case): Conv1D -> conv1d, PReLU ->
    p_re_lu, Conv1DTranspose -> conv1d_transpose."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def demangle(message):
    """`message` with the names inline_call gives a function's own names
    as the user wrote them: `block$1$y` is `y`, `block$1$return` the
    result of `block(...)`."""
    message = re.sub(r"([A-Za-z_]\w*)\$\d+\$return\b", r"\1(...)", message)
    return re.sub(r"[A-Za-z_]\w*\$\d+\$(\w+)", r"\1", message)


def walk_running(node):
    """ast.walk of what `node` runs where it stands: not the bodies of the
    functions and lambdas it defines."""
    todo = [node]
    while todo:
        n = todo.pop(0)
        yield n
        if n is not node and isinstance(n, (ast.FunctionDef, ast.Lambda,
                                            ast.AsyncFunctionDef,
                                            ast.ClassDef)):
            continue
        todo.extend(ast.iter_child_nodes(n))


def own_level(node):
    """`node` and the nodes of its scope's level: not those inside the
    functions, lambdas and classes it defines (themselves included, whose
    names are bound at its level)."""
    yield node
    if not isinstance(node, (ast.FunctionDef, ast.Lambda,
                             ast.AsyncFunctionDef, ast.ClassDef)):
        for child in ast.iter_child_nodes(node):
            yield from own_level(child)


def list_bound_to(name, stmts):
    """The list or tuple display that a statement `name = [...]` of `stmts`
    (a module's) binds `name` to; None if none does."""
    return next((stmt.value for stmt in stmts
                 if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                 and isinstance(stmt.targets[0], ast.Name) and
                 stmt.targets[0].id == name and
                 isinstance(stmt.value, (ast.List, ast.Tuple))), None)


# Builtins that read a list and keep no reference to it (copies, sums).
LIST_READERS = {"list", "tuple", "sorted", "sum", "min", "max", "any",
                "all", "set", "frozenset", "len"}


def lists_held(node):
    """The attributes `self.X` that `node` may give another name to: every
    one it reads other than by an item or a slice (`self.X[0]`, a copy),
    an argument of a builtin that keeps no reference (LIST_READERS:
    `len(self.X)`, `list(self.X)`) or an operand of `+` or `*` (a new
    list)."""
    held = set()

    def visit(n):
        # What builds a new list or value of it: `list(self.X)`,
        # `sorted(...)`, `self.X + [5]` (helper-149: refused as aliases).
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and \
                n.func.id in LIST_READERS:
            for a in n.args:
                if not (isinstance(a, ast.Attribute) and
                        isinstance(a.value, ast.Name) and
                        a.value.id == "self"):
                    visit(a)
            for k in n.keywords:
                visit(k.value)
            return
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Add, ast.Mult)):
            for side in (n.left, n.right):
                if not (isinstance(side, ast.Attribute) and
                        isinstance(side.value, ast.Name) and
                        side.value.id == "self"):
                    visit(side)
            return
        if isinstance(n, ast.Subscript) and \
                isinstance(n.value, ast.Attribute):
            visit(n.slice)
            return
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) \
                and n.value.id == "self":
            held.add(n.attr)
        for child in ast.iter_child_nodes(n):
            visit(child)
    visit(node)
    return held


def without_docstring(body):
    """A function's statements after its docstring."""
    if body and isinstance(body[0], ast.Expr) and \
            isinstance(body[0].value, ast.Constant) and \
            isinstance(body[0].value.value, str):
        return body[1:]
    return body


def dotted_name(node):
    """Whether `node` is a name or a chain of attributes of one (`units`,
    `tf.nn.relu`, `cfg.width`)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def immutable_literal(node):
    """Whether `node` is a number, string, bool or None literal (signed),
    or a tuple of them."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op,
                                                    (ast.USub, ast.UAdd)):
        node = node.operand
    if isinstance(node, ast.Constant):
        return True
    return isinstance(node, ast.Tuple) and all(map(immutable_literal,
                                                   node.elts))


class KnownChoices(ast.NodeTransformer):
    """Each `a if c else b` whose condition is known at import replaced by
    the arm Python takes (`Dense(8) if WIDE else Dense(4)`)."""

    def __init__(self, scope):
        self.scope = scope

    def visit_IfExp(self, node):
        self.generic_visit(node)
        try:
            taken = bool(self.scope.evaluate(node.test))
        except (NotKnown, SourceError, RecursionError):
            return node
        return node.body if taken else node.orelse


class Substitute(ast.NodeTransformer):
    """Each name of `bound` read in a node replaced by a copy of its
    literal (`for units in (64, 32)`: units is 64, then 32)."""

    def __init__(self, bound):
        self.bound = bound

    def visit_Name(self, n):
        if isinstance(n.ctx, ast.Load) and n.id in self.bound:
            return ast.copy_location(copy.deepcopy(self.bound[n.id]), n)
        return n


def is_initializer_maker(name):
    """Whether `name` (qualified) makes an initializer object: a class of
    keras.initializers (or its function aliases) or TensorFlow's
    `tf.*_initializer`."""
    return name in INITIALIZERS or name.startswith((
        "tensorflow.keras.initializers.", "keras.initializers.",
        "tensorflow.initializers.")) or (
        name.startswith("tensorflow.") and name.endswith("_initializer"))


def value_shape(value):
    """The shape of a number (`()`) or of a rectangular nested list or
    tuple of numbers (not bools), as numpy gives it; None for another
    value."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ()
    if not isinstance(value, (list, tuple)) or not value:
        return None
    inner = [value_shape(v) for v in value]
    if inner[0] is None or any(i != inner[0] for i in inner):
        return None
    return (len(value),) + inner[0]


def layer_item(name, k):
    """The name of layer `k` of a list of layers `name` in a Functional
    graph (`ds$0`; `$` keeps it apart from the program's names)."""
    return f"{name}${k}"


class GraphLists:
    """The lengths of a graph's lists as Python builds them (`outs = []`,
    `outs.append(h)`, `[Dense(1)(h) for n in NAMES]`: a graph's list is
    changed by `append` only), known while a
    graph's statements are straight-lined in order, so that a loop or a
    comprehension over one (`for o in outs`, `[o * 2 for o in outs]`,
    `enumerate(outs)`, `zip(NAMES, outs)`, `range(len(outs))`) is unrolled
    over its items `outs[0]`, `outs[1]`, ..."""

    def __init__(self):
        self.lengths = {}
        # A list of layers made in place (`ds = [Dense(4), Dense(3)]`):
        # its name -> the names its layers are bound to, one statement each
        # (`ds$0 = Dense(4)`, ProgramWriter.split_layer_list).
        self.layers = {}

    def items(self, node, scope):
        """The item nodes that iterating `node` gives, or None when it is
        not a known graph list (or enumerate, zip, reversed of one), or is
        known at import (a constant's values are read as they are)."""
        if isinstance(node, ast.Name) and node.id in self.layers:
            return [ast.copy_location(ast.Name(id=n, ctx=ast.Load()), node)
                    for n in self.layers[node.id]]
        # (A list of layers is known at import too, as layer objects: its
        # items are the graph's names of them.)
        if not any(isinstance(n, ast.Name) and n.id in self.layers
                   for n in ast.walk(node)):
            try:
                scope.evaluate(node)
                return None
            except (NotKnown, SourceError, RecursionError, TypeError):
                pass
        at = node
        if isinstance(node, ast.Name) and node.id in self.lengths:
            return [ast.copy_location(ast.Subscript(
                value=ast.Name(id=node.id, ctx=ast.Load()),
                slice=ast.Constant(value=k), ctx=ast.Load()), at)
                for k in range(self.lengths[node.id])]
        # outs[1:], outs[::-1]: Python's slice of the items.
        if isinstance(node, ast.Subscript) and \
                isinstance(node.slice, ast.Slice):
            items = self.items(node.value, scope)
            if items is None:
                return None
            try:
                bounds = [None if b is None else scope.evaluate(b)
                          for b in (node.slice.lower, node.slice.upper,
                                    node.slice.step)]
                return items[slice(*bounds)]
            except (NotKnown, SourceError, RecursionError, TypeError,
                    ValueError):
                return None
        if not isinstance(node, ast.Call) or node.keywords or \
                not isinstance(node.func, ast.Name) or \
                node.func.id in scope.locals:
            return None
        name, args = node.func.id, node.args
        if name == "reversed" and len(args) == 1:
            items = self.items(args[0], scope)
            return None if items is None else items[::-1]
        if name == "enumerate" and len(args) == 1:
            items = self.items(args[0], scope)
            return None if items is None else [
                ast.copy_location(ast.Tuple(elts=[ast.Constant(value=k), v],
                                            ctx=ast.Load()), at)
                for k, v in enumerate(items)]
        if name == "zip" and args:
            columns, graph = [], False
            for a in args:
                items = self.items(a, scope)
                graph |= items is not None
                if items is None:
                    try:
                        items = [value_node(v, a) for v in scope.evaluate(a)]
                    except (NotKnown, SourceError, RecursionError,
                            TypeError):
                        return None
                columns.append(items)
            if not graph:
                return None
            return [ast.copy_location(ast.Tuple(elts=list(row),
                                                ctx=ast.Load()), at)
                    for row in zip(*columns)]
        return None

    def with_lengths(self, node, scope):
        """`node` (a condition, what a loop iterates) with each `len(outs)`
        of a graph list written as its length, known at import."""
        lengths = self.lengths

        class Lengths(ast.NodeTransformer):
            def visit_Call(self, call):
                self.generic_visit(call)
                if isinstance(call.func, ast.Name) and \
                        call.func.id == "len" and \
                        "len" not in scope.locals and len(call.args) == 1 \
                        and isinstance(call.args[0], ast.Name) and \
                        call.args[0].id in lengths and not call.keywords:
                    return ast.copy_location(
                        ast.Constant(value=lengths[call.args[0].id]), call)
                return call

        return ast.fix_missing_locations(Lengths().visit(copy.deepcopy(node)))

    def expand(self, node, scope):
        """`node` with each comprehension over a graph list, or over values
        known at import (one `for`, no `if`), written out as the list of
        its elements."""
        lists = self

        class Expand(ast.NodeTransformer):
            def visit_Subscript(self, sub):
                # ds[1] of a list of layers: the name of its layer.
                self.generic_visit(sub)
                if not isinstance(sub.value, ast.Name) or \
                        sub.value.id not in lists.layers or \
                        not isinstance(sub.ctx, ast.Load) or \
                        isinstance(sub.slice, ast.Slice):
                    return sub
                names = lists.layers[sub.value.id]
                try:
                    k = scope.evaluate(sub.slice)
                except (NotKnown, SourceError, RecursionError):
                    return sub
                if type(k) is not int or not -len(names) <= k < len(names):
                    raise SourceError(sub, f"'{ast.unparse(sub)}' is not "
                                      f"one of the {len(names)} layers of "
                                      f"'{sub.value.id}' (Python raises "
                                      "IndexError or TypeError)")
                return ast.copy_location(
                    ast.Name(id=names[k], ctx=ast.Load()), sub)

            def visit_ListComp(self, comp):
                self.generic_visit(comp)
                if len(comp.generators) != 1:
                    return comp
                gen = comp.generators[0]
                if gen.ifs or gen.is_async:
                    return comp
                items = lists.items(gen.iter, scope)
                if items is None:
                    # Over values known at import (`[Dense(1, name=n)(h)
                    # for n in NAMES]`): written out with each value, as
                    # a `for` over them is unrolled.
                    try:
                        values = scope.evaluate(
                            lists.with_lengths(gen.iter, scope))
                        if len(values) > MOST_UNROLLED:
                            return comp
                        items = [value_node(v, gen.iter) for v in values]
                    except (NotKnown, SourceError, RecursionError,
                            TypeError):
                        return comp
                elts = []
                for item in items:
                    bound = {}
                    if not bind_target(gen.target, item, bound):
                        return comp
                    elts.append(Substitute(bound).visit(
                        copy.deepcopy(comp.elt)))
                return ast.copy_location(ast.List(elts=elts,
                                                  ctx=ast.Load()), comp)

        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            return node  # its body runs where it is called
        return ast.fix_missing_locations(Expand().visit(node))

    def track(self, stmt, scope):
        """Follows the lengths through `stmt`, one of the graph's."""
        lengths = self.lengths
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Name):
            name, value = stmt.targets[0].id, stmt.value
            lengths.pop(name, None)
            self.layers.pop(name, None)
            if isinstance(value, (ast.List, ast.Tuple)) and \
                    not any(isinstance(e, ast.Starred) for e in value.elts):
                lengths[name] = len(value.elts)
            elif isinstance(value, ast.ListComp) and \
                    len(value.generators) == 1 and \
                    not value.generators[0].ifs:
                items = self.items(value.generators[0].iter, scope)
                if items is None:
                    try:
                        items = list(scope.evaluate(
                            value.generators[0].iter))
                    except (NotKnown, SourceError, RecursionError,
                            TypeError):
                        items = None
                if items is not None:
                    lengths[name] = len(items)
            return
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and \
                isinstance(call.func, ast.Attribute) and \
                isinstance(call.func.value, ast.Name) and \
                call.func.value.id in lengths:
            name, method = call.func.value.id, call.func.attr
            if method == "append":
                lengths[name] += 1
                # (A layer appended is followed by ProgramWriter.append_layer.)
                self.layers.pop(name, None)
                return
        # Any other change or binding: not known any more.
        for name in changed_in_place(stmt) | {
                n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and
                not isinstance(n.ctx, ast.Load)}:
            lengths.pop(name, None)
            self.layers.pop(name, None)


def bind_target(target, value, bound):
    """Binds `for` target names to the literals of `value` (a literal
    node), unpacking tuples as Python does; False when they do not
    unpack."""
    if isinstance(target, ast.Name):
        bound[target.id] = value
        return True
    if not isinstance(target, (ast.Tuple, ast.List)) or \
            not isinstance(value, ast.Tuple) or \
            len(target.elts) != len(value.elts):
        return False
    return all(bind_target(t, v, bound)
               for t, v in zip(target.elts, value.elts))


def loc_json(node):
    """[line, column], both from 1, as compilers print them."""
    return [getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1]


# Calls that set a model's weights when the program runs (its weights come
# from --weights: predict does not run the program): Keras's methods and
# functions, an optimizer's step, tf.Variable's writes.
WEIGHT_SETTERS = {"load_weights", "set_weights", "fit", "fit_generator",
                  "train_on_batch", "train_step", "load_own_variables",
                  "apply_gradients", "minimize", "assign", "assign_add",
                  "assign_sub", "scatter_update", "scatter_add",
                  "scatter_sub", "scatter_nd_update", "scatter_nd_add",
                  "scatter_nd_sub", "set_value", "batch_set_value",
                  "apply", "load"}
# TensorFlow's checkpoints: a model given to one is restored by its
# `restore` or `read`.
CHECKPOINTS = {"tensorflow.train.Checkpoint",
               "tensorflow.compat.v2.train.Checkpoint",
               "tensorflow.train.CheckpointManager"}
CHECKPOINT_READS = {"restore", "read", "restore_or_initialize"}
# What reads the models given to it and changes none: Python's built-in
# functions that do, the packages whose functions do, and the methods of
# other objects that do (a logger's, a GradientTape's).
READING_BUILTINS = {"print", "isinstance", "issubclass", "id", "repr", "str",
                    "type", "hasattr", "len", "callable", "hash", "format",
                    "bool", "getattr", "super", "float", "int", "complex",
                    "round", "abs", "min", "max", "sum", "any", "all",
                    "divmod", "pow", "hex", "oct", "ord"}
# The libraries whose functions predict implements itself.
LIBRARY_PACKAGES = ("tensorflow", "keras", "tf_keras", "numpy", "scipy")
READING_PACKAGES = ("tensorflow.", "keras.", "tf_keras.", "numpy.",
                    "scipy.", "copy.", "json.", "pickle.")
# Attributes that hold a value, not a part that may be written (a layer's
# `name`, an array's `shape`).
VALUE_ATTRIBUTES = {"name", "shape", "dtype", "ndim", "size", "units",
                    "built", "trainable", "input_shape", "output_shape",
                    "nbytes", "itemsize", "count_params"}
READING_METHODS = {"info", "debug", "warning", "error", "critical",
                   "exception", "log", "write", "format", "join",
                   "gradient", "watch", "jacobian", "batch_jacobian"}
# Built-in functions whose result holds what they are given (`zip(names,
# models)`): followed as a list of it is.
HOLDING_BUILTINS = {"zip", "enumerate", "reversed", "sorted", "list",
                    "tuple", "iter", "set"}
# The attributes of a model through which its inference is read besides
# those its converted methods read: its layers and weights, and everything
# (`__dict__`, `setattr` of a name known only at run time), and its class
# (`type(model).call = f`, `model.__class__.k = 5`).
MODEL_WEIGHTS = {"layers", "weights", "trainable_weights", "variables",
                 "non_trainable_weights", "trainable_variables",
                 "non_trainable_variables", "__dict__", "__class__", "*"}
# Python's ways to reach a module's names (and so its models) that the
# check of model changes cannot follow: `exec("model.k = 5")`,
# `globals()["model"]`, `vars()`, `locals()` at module level,
# `sys.modules[__name__].model`, `__import__("__main__").model`.
# Dunder attributes that neither reach nor change a class's attributes
# (any other, anywhere in the file, makes every class's unknown:
# SourceModule.escaped_classes).
# Builtins that read their arguments and never change them in place
# (SourceModule.may_change_arguments).
READING_BUILTINS = {
    "len", "tuple", "list", "sum", "enumerate", "zip", "reversed", "sorted",
    "any", "all", "set", "frozenset", "dict", "str", "repr", "range", "float",
    "int", "bool", "min", "max", "abs", "round", "print", "isinstance",
    "issubclass", "hash", "id", "type", "iter", "map", "filter", "format",
    "divmod", "pow", "callable", "hasattr", "getattr", "ord", "chr",
    "super"}
# Modules whose functions read lists and dicts given them (their mutators
# aside: NUMPY_MUTATORS, LIBRARY_MUTATORS).
READING_MODULES = {"tensorflow", "keras", "numpy", "math", "itertools",
                   "functools", "statistics", "copy", "json", "builtins",
                   "operator", "random", "typing", "dataclasses", "string",
                   "collections", "cmath", "decimal", "fractions"}
NUMPY_MUTATORS = {
    "numpy.random.shuffle", "numpy.copyto", "numpy.put", "numpy.place",
    "numpy.putmask", "numpy.fill_diagonal", "numpy.put_along_axis",
    "numpy.random.Generator.shuffle", "numpy.random.RandomState.shuffle"}
LIBRARY_MUTATORS = {"setitem", "delitem", "iadd", "iconcat", "ior", "iand",
                    "ixor", "isub", "imul", "__setitem__", "__delitem__",
                    "__iadd__", "__iconcat__", "shuffle"}

HARMLESS_DUNDERS = {"__init__", "__call__", "__name__", "__qualname__",
                    "__doc__", "__module__", "__version__", "__file__"}
UNFOLLOWED_NAMESPACES = {"exec", "eval", "globals", "vars", "locals",
                         "__import__", "sys.modules", "sys._getframe",
                         "importlib.import_module", "builtins.exec",
                         "builtins.eval", "builtins.globals",
                         "builtins.vars", "builtins.locals",
                         "inspect.currentframe", "inspect.stack"}
# Attributes that reach a namespace (a frame's, a function's globals).
NAMESPACE_ATTRIBUTES = {"__globals__", "f_globals", "f_locals", "f_back",
                        "__builtins__"}
# Modules whose functions reach namespaces: imported other than at module
# level (where `qualify` does not see them), their use is not followed.
NAMESPACE_MODULES = {"sys", "inspect", "builtins", "importlib", "gc",
                     "ctypes"}
# The methods of a model that converted code calls besides those the
# entries name: Keras's `__call__`, which runs `call`, and `predict`.
INFERENCE_METHODS = {"call", "__call__", "predict", "predict_step",
                     "predict_on_batch"}
# Methods whose result is a part of what they are called on: numpy's
# views, a list's or dict's item (a model's `get_layer`: its layers).
PART_METHODS = set(ARRAY_VIEWS) | {"view", "squeeze", "swapaxes", "get",
                                   "pop", "get_layer"}
# numpy's functions whose result is a view of their first argument.
NUMPY_VIEWS = {"numpy." + f for f in (
    "reshape", "asarray", "asanyarray", "ravel", "transpose", "squeeze",
    "expand_dims", "swapaxes", "moveaxis", "atleast_1d", "atleast_2d",
    "atleast_3d", "ndarray.view", "flip", "fliplr", "flipud", "rot90",
    "split", "array_split", "hsplit", "vsplit", "real", "imag",
    "ascontiguousarray", "asfortranarray", "require", "frombuffer",
    "diagonal", "lib.stride_tricks.sliding_window_view",
    "lib.stride_tricks.as_strided")}
# numpy's ufuncs by their number of inputs: an argument after those is
# `out` (`np.add(a, b, a)`).
NUMPY_UFUNCS = {**{f: 1 for f in (
    "negative", "positive", "absolute", "abs", "fabs", "sign", "exp",
    "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "square",
    "cbrt", "reciprocal", "sin", "cos", "tan", "arcsin", "arccos", "arctan",
    "sinh", "cosh", "tanh", "floor", "ceil", "trunc", "rint", "fix")},
    **{f: 2 for f in (
        "add", "subtract", "multiply", "divide", "true_divide",
        "floor_divide", "power", "float_power", "mod", "remainder", "fmod",
        "maximum", "minimum", "fmax", "fmin", "arctan2", "hypot",
        "logaddexp", "copysign", "dot", "matmul", "around", "round",
        "cross")},
    **{f: 3 for f in ("clip", "take", "cumsum", "cumprod", "choose")}}
# Methods that change what they are called on: a list's, dict's or set's,
# numpy's, and Python's in-place operators spelled as methods.
IN_PLACE_METHODS = MUTATING_METHODS - {"assign", "assign_add",
                                       "assign_sub"} | {
    "__setitem__", "__delitem__", "__iadd__", "__isub__", "__imul__",
    "__itruediv__", "__ifloordiv__", "__imod__", "__ipow__", "__iand__",
    "__ior__", "__ixor__", "__ilshift__", "__irshift__", "__imatmul__",
    "byteswap", "setfield", "setflags", "__setattr__", "__delattr__"}
# Statements holding others, whose changes are told at those.
# `try` and `try*` (Python 3.11).
TRY = (ast.Try,) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())
COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With,
            ast.AsyncWith, ast.FunctionDef, ast.AsyncFunctionDef,
            ast.ClassDef) + TRY + \
    ((ast.Match,) if hasattr(ast, "Match") else ())
DISPLAYS = (ast.List, ast.Tuple, ast.Set, ast.Dict)


class CanonicalCalls(ast.NodeTransformer):
    """Calls rewritten into the forms the check of model changes follows:
    `getattr(m, "a")` is `m.a`, `vars(m)` is `m.__dict__`,
    `object.__setattr__(m, k, v)` and `m.__setattr__(k, v)` are
    `setattr(m, k, v)`, and a method called through a class of the file or
    Keras's, numpy's or TensorFlow's (`Net.reset(m, 1)`,
    `type(m).reset(m, 1)`, `m.__class__.reset(m, 1)`,
    `tf.keras.Model.load_weights(m, p)`, `np.ndarray.fill(a, 0)`) is
    `m.reset(1)`: Python's meaning of each."""

    def __init__(self, module):
        self.module = module

    def visit_Call(self, node):
        self.generic_visit(node)
        f, args = node.func, node.args

        def at(new):
            return ast.fix_missing_locations(ast.copy_location(new, node))

        def setattr_of(args):
            return at(ast.Call(func=ast.Name(id="setattr", ctx=ast.Load()),
                               args=args, keywords=[]))

        if isinstance(f, ast.Name) and f.id == "getattr" and \
                len(args) == 2 and isinstance(args[1], ast.Constant) and \
                isinstance(args[1].value, str):
            return at(ast.Attribute(value=args[0], attr=args[1].value,
                                    ctx=ast.Load()))
        if isinstance(f, ast.Name) and f.id == "vars" and len(args) == 1:
            return at(ast.Attribute(value=args[0], attr="__dict__",
                                    ctx=ast.Load()))
        if not isinstance(f, ast.Attribute):
            return node
        if f.attr == "__setattr__":
            if isinstance(f.value, ast.Name) and f.value.id == "object" and \
                    len(args) == 3:
                return setattr_of(args)
            if len(args) == 2:
                return setattr_of([f.value] + args)
        through_class = isinstance(f.value, ast.Name) and \
            f.value.id in self.module.classes and not any(
                isinstance(m, ast.FunctionDef) and m.name == f.attr and
                decorated(m, ("staticmethod", "classmethod"))
                for m in self.module.classes[f.value.id].body) or \
            isinstance(f.value, ast.Call) and \
            isinstance(f.value.func, ast.Name) and \
            f.value.func.id == "type" and len(f.value.args) == 1 or \
            isinstance(f.value, ast.Attribute) and \
            f.value.attr == "__class__" or \
            self.module.qualify(f.value) in MODEL_BASES | LAYER_BASES | {
                "numpy.ndarray", "tensorflow.Variable"}
        if through_class and args:
            return at(ast.Call(func=ast.Attribute(value=args[0], attr=f.attr,
                                                  ctx=ast.Load()),
                               args=args[1:], keywords=node.keywords))
        return node


def definition_expressions(stmt):
    """The expressions Python evaluates where the `def` or `class` statement
    `stmt` runs (not its body): decorators, parameters' defaults and
    annotations, the return annotation; a class's bases and keywords."""
    out = list(stmt.decorator_list)
    if isinstance(stmt, ast.ClassDef):
        return out + stmt.bases + [k.value for k in stmt.keywords]
    a = stmt.args
    params = a.posonlyargs + a.args + a.kwonlyargs + \
        [p for p in (a.vararg, a.kwarg) if p]
    return out + a.defaults + [d for d in a.kw_defaults if d] + \
        [p.annotation for p in params if p.annotation] + \
        ([stmt.returns] if stmt.returns else [])


class ModelChanges:
    """The check that no model of the module is changed, after it is
    built, in what its inference reads: predict converts each model as
    its `__init__` leaves it, and a change it did not see would be a
    silent wrong answer. The module's code is followed as Python runs it:
    names bound to a model, to a part of one (`v = model.m.reshape(2,
    2)`) or to a list, tuple or dict holding models (`ms = [a, b]`), the
    loops over those, both arms of a branch, the methods and functions of
    the file given a model or a part of one (their bodies followed with
    the parameters bound, a method's result where it returns `self` or a
    part of it), and Python's other spellings of a call (CanonicalCalls). A
    model that goes where it cannot be followed (a function of another
    module, a lambda, a list's method, an object of another class) is an
    error, as is a change: a wrong answer is worse than a refusal. The
    calls that set weights (`load_weights`, `fit`, a variable's `assign`)
    are recorded in `loads`: the builder refuses them without
    --weights."""

    def __init__(self, module):
        self.module = module
        self.classes = module.classes
        self.canonical = {}
        self.read = {}
        self.following = set()
        self.loads = []
        self.depth = 0  # of the functions being followed
        # The names each function being followed declares `global` or
        # `nonlocal`, innermost last.
        self.shared = []
        # Each model of the module by its name; each layer of the module
        # (`dense = Dense(4)`, called in a Functional graph or listed in a
        # Sequential) as a layer of each such model.
        self.globals = {name: ({(name, None)}, "value")
                        for name in module.models}
        graphs = {name for name, (cls, _) in module.models.items()
                  if cls in (None, FUNCTIONAL)}
        for name, made in module.made_by.items():
            if made.startswith(LAYER_PREFIXES) and graphs:
                self.globals.setdefault(
                    name, ({(g, "layers") for g in graphs}, "value"))
        # The methods converted code calls: Keras's and those the entries
        # name (`model.scaled(x)`).
        self.converted = set(INFERENCE_METHODS)
        for fn in module.entries():
            self.converted |= {n.func.attr for n in ast.walk(fn)
                               if isinstance(n, ast.Call) and
                               isinstance(n.func, ast.Attribute)}
        self.reporting = True

    def check(self, tree):
        """An error at the first statement (of the module, a class body, a
        function or method it runs) that changes a model of the module
        after it is built, or that takes
        one where this check cannot follow it. Returns the calls that set
        a model's weights (`model.load_weights(...)`), each (model, call
        node)."""
        body = [CanonicalCalls(self.module).visit(copy.deepcopy(s))
                for s in tree.body]
        # The module's own bindings of each name, in order.
        self.assigned = {}
        for s in tree.body:
            if isinstance(s, (ast.Assign, ast.AnnAssign)):
                for t in s.targets if isinstance(s, ast.Assign) \
                        else [s.target]:
                    if isinstance(t, ast.Name):
                        self.assigned.setdefault(t.id, []).append(s)
        for name in self.module.models:
            bindings = self.assigned.get(name, [])
            if len(bindings) > 1:
                # `model = tf.keras.models.load_model(...)` after it.
                raise SourceError(bindings[1], f"the model '{name}' is bound "
                                  "again after it is built: predict converts "
                                  "the model the module builds; give the "
                                  "other a name of its own")
        self.namespaces(tree)
        try:
            self.changes(body, dict(self.globals))
        except Escape as e:
            m, a = sorted(e.hits, key=str)[0]
            what = f"the model '{m}'" if a is None else \
                f"'{m}.{a}', which the model '{m}' computes with,"
            raise SourceError(e.node, f"predict cannot follow {what} where "
                              f"it is {e.how}: a change made to it there "
                              "would not be seen, and predict converts a "
                              "model as its __init__ leaves it; use it by "
                              "its name (its attributes, its methods, "
                              "functions of this file given it), or move "
                              "this code out of the file predict reads")
        seen, loads = set(), []
        for m, node in self.loads:
            # (Weights set through a model that holds others set theirs:
            # `clf.fit(...)` of a classifier over `enc`.)
            for held in sorted(self.holds(m)):
                if (held, id(node)) not in seen:
                    seen.add((held, id(node)))
                    loads.append((held, node))
        return loads

    def namespaces(self, tree):
        """An error at the first use, anywhere in the file, of Python's
        ways to reach the module's names by a string or a namespace
        (UNFOLLOWED_NAMESPACES: `exec`, `globals()`, `sys.modules`), where
        a model of the module may be changed out of this check's sight
        (the same rule as for the module's numpy arrays). `vars(x)` of an
        object is a use of `x`, checked as any call's argument."""
        if not self.module.models:
            return
        # (`vars(x)`'s name is read where it is called with an argument.)
        given_vars = {id(n.func) for n in ast.walk(tree)
                      if isinstance(n, ast.Call) and n.args and
                      isinstance(n.func, ast.Name) and n.func.id == "vars"}
        # (A call is quoted whole: `exec("model.k = 5")`.)
        calls = {id(n.func): n for n in ast.walk(tree)
                 if isinstance(n, ast.Call)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and \
                    isinstance(node.ctx, ast.Load) and \
                    node.id not in self.module.functions and \
                    node.id in UNFOLLOWED_NAMESPACES and \
                    id(node) not in given_vars:
                # Called or not (`g = globals`, then `g()["model"]`).
                found = calls.get(id(node), node)
            elif isinstance(node, ast.Attribute) and node.attr in (
                    "__globals__", "f_globals", "f_locals", "__builtins__"):
                found = node
            elif isinstance(node, (ast.Attribute, ast.Call)) and \
                    self.module.qualify(node.func if isinstance(
                        node, ast.Call) else node) in UNFOLLOWED_NAMESPACES:
                found = node
            else:
                continue
            model = sorted(self.module.models)[0]
            raise SourceError(found, f"'{shortened(ast.unparse(found), 60)}' "
                              "reaches the module's names where predict "
                              "cannot follow what is done to them: the model "
                              f"'{model}' could be changed after it is built "
                              "and its converted code would not see it; use "
                              "the names themselves, or move this code out "
                              "of the file predict reads")

    def holds(self, model):
        """`model` and the models of the module it holds: those named in
        the call that makes it or, through the module's assignments, in
        its graph (`tf.keras.Model(inp, head(enc(inp)))`)."""
        out, todo = {model}, [self.module.models.get(model, (None, None))[1]]
        seen = set()
        while todo:
            node = todo.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            for n in ast.walk(node):
                if isinstance(n, ast.Name) and n.id not in out:
                    if n.id in self.module.models:
                        out.add(n.id)
                        todo.append(self.module.models[n.id][1])
                    else:
                        todo.extend(b.value for b in
                                    self.assigned.get(n.id, []))
        return out

    def changed_error(self, node, model):
        return SourceError(node, f"the model '{model}' is changed after it "
                           "is built: predict converts a model as its "
                           "__init__ leaves it (give the value to its "
                           "constructor)")

    # ----- the classes of the file
    def methods(self, class_name, seen=None):
        """The methods of the class `class_name` of the file by name, its
        own over those of the classes of the file it derives from (a
        property's getter, not its setter)."""
        seen = seen if seen is not None else set()
        cls = self.classes.get(class_name)
        if cls is None or class_name in seen:
            return {}
        seen.add(class_name)
        out = {}
        for b in reversed(cls.bases):
            if isinstance(b, ast.Name):
                out.update(self.methods(b.id, seen))
        out.update(own_methods(cls))
        return out

    @staticmethod
    def setter(fn):
        """The property `fn` sets (`@temperature.setter`), or None."""
        for d in fn.decorator_list:
            if isinstance(d, ast.Attribute) and d.attr == "setter":
                return d.value.id if isinstance(d.value, ast.Name) else None
        return None

    def setters(self, class_name, name):
        """The setter of the property `name` of the class or a class it
        derives from, or None."""
        cls = self.classes.get(class_name)
        if cls is None:
            return None
        for f in cls.body:
            if isinstance(f, ast.FunctionDef) and self.setter(f) == name:
                return f
        for b in cls.bases:
            if isinstance(b, ast.Name) and b.id != class_name:
                found = self.setters(b.id, name)
                if found is not None:
                    return found
        return None

    def owner(self, fn):
        """The class of the file that defines the method `fn`."""
        return next((c for c, cls in self.classes.items() if fn in cls.body),
                    None)

    def body(self, fn):
        """The statements of the function `fn`, their calls canonical."""
        key = id(fn)
        if key not in self.canonical:
            self.canonical[key] = [
                CanonicalCalls(self.module).visit(copy.deepcopy(s))
                for s in fn.body]
        return self.canonical[key]

    def class_of(self, model):
        """The class of the file of the module's model `model`, or None."""
        name = self.module.models.get(model, (None,))[0]
        return name if name in self.classes else None

    def read_by_inference(self, class_name):
        """The attributes of a model of the class `class_name` (`self.X`)
        that its converted methods (`call`, those the entries call) and the
        methods they call read: what inference computes with."""
        if class_name not in self.read:
            found, seen = set(), set()
            todo = list(self.converted)
            table = self.methods(class_name)
            while todo:
                name = todo.pop()
                if name in seen or name not in table:
                    continue
                seen.add(name)
                for node in ast.walk(table[name]):
                    if isinstance(node, ast.Attribute) and \
                            isinstance(node.value, ast.Name) and \
                            node.value.id == "self":
                        found.add(node.attr)
                        todo.append(node.attr)
            self.read[class_name] = found
        return self.read[class_name]

    def inference_reads(self, hit):
        """Whether the part `hit` (model, attribute; None: the model
        itself) is what the model's inference reads: what its converted
        methods read, its layers and weights (a new attribute,
        `model.class_names`, the optimizer, `trainable` are not)."""
        model, attribute = hit
        if attribute is None or attribute in MODEL_WEIGHTS or \
                attribute in self.converted:
            # (Its methods that converted code runs too: `model.call =
            # f` replaces what Keras's __call__ runs.)
            return True
        class_name = self.class_of(model)
        return class_name is not None and \
            attribute in self.read_by_inference(class_name)

    def immutable(self, hit):
        """Whether the model's attribute `hit` holds a number, string,
        bool or None (`self.k = 1.0`, or a parameter given one): `k =
        model.k; k *= 2` then binds a new value."""
        model, attribute = hit
        class_name = self.class_of(model)
        init = self.methods(class_name).get("__init__") if class_name \
            else None
        if init is None or attribute is None:
            return False
        values = [n.value for n in ast.walk(init) if isinstance(n, ast.Assign)
                  and any(isinstance(t, ast.Attribute) and
                          isinstance(t.value, ast.Name) and
                          t.value.id == "self" and t.attr == attribute
                          for t in n.targets)]
        if not values:
            return False
        call = self.module.models[model][1]
        if not isinstance(call, ast.Call):
            return False
        params = [a.arg for a in init.args.args[1:]]
        defaults = dict(zip(params[::-1], init.args.defaults[::-1]))
        given = dict(zip(params, call.args))
        given.update({k.arg: k.value for k in call.keywords if k.arg})
        for v in values:
            if isinstance(v, ast.Name) and v.id in params:
                v = given.get(v.id, defaults.get(v.id))
            if v is None or not (isinstance(v, ast.Constant) or
                                 isinstance(v, ast.UnaryOp) and
                                 isinstance(v.operand, ast.Constant)):
                return False
        return True

    # ----- what an expression is
    def method_result(self, name):
        """What the method `name` of a class of the file returns: "self"
        (the object it is called on), the name of an attribute (`return
        self.m`: a part of it), or None (a new value)."""
        for c in self.classes:
            fn = self.methods(c).get(name)
            if fn is None:
                continue
            for r in ast.walk(fn):
                if isinstance(r, ast.Return) and r.value is not None:
                    root, attribute = part_of(r.value)
                    if root == "self":
                        return attribute or "self"
        return None

    def reached(self, node, views):
        """The parts of models that the expression `node` is: a set of
        (model, attribute), the attribute right under the model (None for
        the model itself), through attributes, items, views (`model.m.
        reshape(2, 2)[0]`, `np.asarray(model.m)`: ("model", "m")) and
        methods of the file returning a part (`model.offsets()`), from a
        name of `views` or a list written in place (`[model][0]`); a
        model's class (`type(model)`) is its part "__class__"."""
        steps = []
        while True:
            if isinstance(node, ast.Call) and node.args and \
                    self.module.qualify(node.func) in NUMPY_VIEWS:
                node = node.args[0]
            elif isinstance(node, ast.Call) and \
                    isinstance(node.func, ast.Name) and \
                    node.func.id == "type" and len(node.args) == 1 and \
                    "type" not in self.module.functions:
                steps.append(("attr", "__class__"))
                node = node.args[0]
            elif isinstance(node, ast.Call) and \
                    isinstance(node.func, ast.Name) and \
                    node.func.id == "super" and len(node.args) == 2:
                node = node.args[1]  # (`super(Net, model)`: the model)
            elif isinstance(node, ast.Call) and \
                    isinstance(node.func, ast.Attribute):
                steps.append(("call", node.func.attr))
                node = node.func.value
            elif isinstance(node, ast.Attribute):
                steps.append(("attr", node.attr))
                node = node.value
            elif isinstance(node, ast.Subscript):
                steps.append(("item", None))
                node = node.value
            else:
                break
        steps.reverse()
        if isinstance(node, ast.Name) and node.id in views:
            hits, kind = views[node.id]
        elif isinstance(node, DISPLAYS) or isinstance(node, ast.Call) and \
                isinstance(node.func, ast.Name) and \
                node.func.id in HOLDING_BUILTINS:
            hits, kind = self.contents(node, views), "holder"
        elif isinstance(node, ast.BoolOp):
            hits, kind = set().union(*(self.reached(v, views)
                                       for v in node.values)), "value"
        else:
            return set()
        if kind == "holder":
            # A list, tuple or dict of models: its items are the models.
            if not steps or steps[0] not in (("item", None), ("call", "get"),
                                             ("call", "pop")):
                return set()
            steps = steps[1:]
        elif kind != "value":
            return set()
        attribute = None
        for step, name in steps:
            if step == "item":
                continue
            if step == "attr":
                attribute = attribute or name
                continue
            if name == "get_layer":
                attribute = attribute or "layers"
                continue
            if name in PART_METHODS:
                continue
            result = self.method_result(name)
            if result is None:
                # A new value (`model.predict(x)`, `model.m.copy()`).
                return set()
            if result != "self":
                attribute = attribute or result
        if steps and steps[-1][0] == "attr" and \
                steps[-1][1] in VALUE_ATTRIBUTES and len(steps) > 1:
            return set()  # a value (`model.layers[0].name`)
        return {(m, a or attribute) for m, a in hits}

    def held(self, node, views):
        """The models and parts that `node` is or holds: `reached`, and a
        holder's models, those of a list, tuple, set or dict written in
        place, joined (`[a] + ms`), of Python's functions holding them
        (`zip(names, ms)`), of both arms of `a if c else b`."""
        return {h for h in self.reached(node, views) |
                self.contents(node, views) if self.inference_reads(h)}

    def contents(self, node, views):
        """The models and parts a holder, a list written in place, ... (as
        `held` lists them) holds."""
        out = set()
        if isinstance(node, ast.Name) and node.id in views and \
                views[node.id][1] != "value":
            out |= views[node.id][0]
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for e in node.elts:
                out |= self.held(e.value if isinstance(e, ast.Starred)
                                 else e, views)
        elif isinstance(node, ast.Dict):
            for e in node.values:
                out |= self.held(e, views)
        elif isinstance(node, ast.IfExp):
            out |= self.held(node.body, views) | self.held(node.orelse, views)
        elif isinstance(node, (ast.ListComp, ast.SetComp,
                               ast.GeneratorExp)):
            out |= self.held(node.elt, views)
        elif isinstance(node, ast.DictComp):
            out |= self.held(node.value, views)
        elif isinstance(node, ast.BinOp):
            # Lists joined (`[a] + ms`), not arithmetic's new values.
            out |= self.contents(node.left, views) | \
                self.contents(node.right, views)
        elif isinstance(node, ast.BoolOp):
            for v in node.values:
                out |= self.held(v, views)
        elif isinstance(node, ast.Call) and \
                isinstance(node.func, ast.Name) and \
                node.func.id in HOLDING_BUILTINS:
            for a in node.args:
                out |= self.held(a.value if isinstance(a, ast.Starred)
                                 else a, views)
        return out

    # ----- names
    def items(self, value, views):
        """What each item of `value` is, as a `for` over it binds its
        variable: a set of parts; Escape where that is not known."""
        if isinstance(value, ast.Call) and \
                isinstance(value.func, ast.Attribute) and \
                value.func.attr == "values" and \
                isinstance(value.func.value, (ast.Dict, ast.Name)):
            value = value.func.value
            if isinstance(value, ast.Dict):
                return self.held(value, views)
        elif isinstance(value, ast.Call) and \
                isinstance(value.func, ast.Name) and \
                value.func.id in ("reversed", "sorted", "list", "tuple",
                                  "iter", "set") and value.args:
            return self.items(value.args[0], views)
        if isinstance(value, ast.Subscript) and \
                isinstance(value.slice, ast.Slice):
            return self.items(value.value, views)  # `ms[1:]`
        if isinstance(value, ast.Name) and value.id in views and \
                views[value.id][1] == "holder":
            return views[value.id][0]
        if isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.BinOp,
                              ast.ListComp, ast.GeneratorExp)):
            return self.held(value, views)
        if isinstance(value, ast.Dict):
            return set().union(*(self.held(k, views)
                                 for k in value.keys if k))
        hits = self.reached(value, views)
        if hits and all(a is not None for _, a in hits):
            # The items of a part are parts of it (`for layer in
            # model.layers`).
            return hits
        if self.held(value, views):
            raise Escape(value, self.held(value, views), "iterated over")
        return set()

    def bind_items(self, target, value, views):
        """Binds `target` as `for target in value` binds it."""
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Call) \
                and isinstance(value.func, ast.Name) and value.args:
            # `for i, m in enumerate(ms)`, `for n, m in zip(names, ms)`.
            if value.func.id == "enumerate" and len(target.elts) == 2:
                self.bind_items(target.elts[0], ast.List(elts=[],
                                                         ctx=ast.Load()),
                                views)
                return self.bind_items(target.elts[1], value.args[0], views)
            if value.func.id == "zip" and \
                    len(target.elts) == len(value.args):
                for t, a in zip(target.elts, value.args):
                    self.bind_items(t, a, views)
                return
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Call) \
                and isinstance(value.func, ast.Attribute) and \
                value.func.attr == "items" and len(target.elts) == 2:
            self.bind_items(target.elts[0], ast.List(elts=[], ctx=ast.Load()),
                            views)
            values = ast.Call(func=ast.Attribute(
                value=value.func.value, attr="values", ctx=ast.Load()),
                args=[], keywords=[])
            return self.bind_items(target.elts[1], values, views)
        if isinstance(target, ast.Tuple) and \
                isinstance(value, (ast.List, ast.Tuple)) and all(
                    isinstance(e, ast.Tuple) and
                    len(e.elts) == len(target.elts) for e in value.elts):
            # `for m, label in [(a, "a"), (b, "b")]`.
            for i, t in enumerate(target.elts):
                self.bind_items(t, ast.List(elts=[e.elts[i]
                                                  for e in value.elts],
                                            ctx=ast.Load()), views)
            return
        hits = self.items(value, views)
        if isinstance(target, ast.Name):
            if target.id in self.globals:
                return  # (a name of the module's models stays theirs)
            views.pop(target.id, None)
            if hits:
                self.unshared(target, value, hits)
                views[target.id] = (hits, "value")
        elif hits:
            raise Escape(value, hits, "unpacked")

    def bind(self, target, value, views):
        """Binds the name `target` to what `value` is: a model or a part
        of one, a holder of models, a checkpoint of them, or nothing of
        them (None: nothing)."""
        if isinstance(target, (ast.Tuple, ast.List)) and \
                isinstance(value, (ast.Tuple, ast.List)) and \
                len(target.elts) == len(value.elts) and not any(
                    isinstance(e, ast.Starred) for e in target.elts +
                    value.elts):
            # `a, b = model, other`.
            for t, v in zip(target.elts, value.elts):
                self.bind(t, v, views)
            return
        hits = self.held(value, views) if value is not None else set()
        if isinstance(target, ast.Subscript) and \
                isinstance(target.value, ast.Name) and \
                target.value.id in views and \
                views[target.value.id][1] == "holder":
            views[target.value.id][0].update(hits)  # `ms["a"] = model`
            return
        if not isinstance(target, ast.Name):
            if hits and not self.reached(target, views):
                raise Escape(value, hits,
                             f"stored in '{ast.unparse(target)[:60]}'")
            return
        if target.id in self.globals and \
                views.get(target.id) == self.globals[target.id]:
            if self.depth:
                # `global model; model = Net(5.0)` in a function.
                raise self.changed_error(target, sorted(
                    self.globals[target.id][0])[0][0])
            return  # a model of the module where it is made (bound once)
        views.pop(target.id, None)
        view = self.view(value, views) if value is not None else None
        if view is not None:
            self.unshared(target, value, view[0])
            views[target.id] = view

    def unshared(self, target, value, hits):
        """Escape where the name `target`, bound to `hits`, is one the
        function being followed declares `global` or `nonlocal`: the
        alias outlives the function, where this check does not follow it
        (`global m2; m2 = model`, then `m2.k = 5` at module level)."""
        if self.shared and target.id in self.shared[-1]:
            raise Escape(value, hits, f"bound to the name '{target.id}', "
                         "declared global or nonlocal")

    def view(self, value, views):
        """What a name bound to `value` is: (hits, kind), or None."""
        if isinstance(value, ast.IfExp):
            reached = self.reached(value.body, views) | \
                self.reached(value.orelse, views)
        else:
            reached = self.reached(value, views)
        if reached:
            return reached, "value"
        if isinstance(value, ast.Name) and value.id in views:
            return views[value.id]  # `ms2 = ms`
        hits = self.held(value, views)
        if hits:
            return hits, "holder"
        if isinstance(value, ast.Call) and \
                self.module.qualify(value.func) in CHECKPOINTS:
            given = set()
            for a in value.args + [k.value for k in value.keywords]:
                given |= self.held(a, views)
            if given:
                return given, "checkpoint"
        return None

    # ----- what running code changes
    def changes(self, body, views, owner=None):
        """The parts of models (model, attribute) that running the
        statements `body` changes, names bound as `views` says (name ->
        (hits, "value" | "holder" | "checkpoint")); `owner` the class whose
        method `body` is (where `super()` looks). Escape where a model
        goes where it cannot be followed."""
        out = set()
        for stmt in body:
            found = self.statement(stmt, views, owner)
            changed = sorted(m for m, a in found
                             if self.inference_reads((m, a)))
            if self.reporting and changed and not isinstance(stmt, COMPOUND):
                raise self.changed_error(stmt, changed[0])
            out |= found
        return out

    def arms(self, bodies, views, owner, loop=False):
        """The changes of the statement lists `bodies`, each run from
        `views` as one arm of a branch may be; `views` then binds each
        name as any arm may have (a loop's body twice: a name it binds
        late is read early in the next pass)."""
        out, merged = set(), {}
        for body in bodies:
            arm = dict(views)
            for _ in range(2 if loop else 1):
                out |= self.changes(body, arm, owner)
            for k, (hits, kind) in arm.items():
                old = merged.get(k, views.get(k))
                merged[k] = (set(hits) | (old[0] if old else set()), kind)
        views.update(merged)
        return out

    def header(self, stmt, expressions, views, owner):
        """What the expressions of `stmt` that are not statements of a
        body change (a compound statement's condition, iterable or
        targets; what a `def` or `class` line evaluates), an error at
        `stmt` when that is a model's inference reads: changes() reports
        the statements of a body, not these."""
        out = set()
        for e in expressions:
            out |= self.expression(e, stmt, views, owner)
        changed = sorted(m for m, a in out if self.inference_reads((m, a)))
        if self.reporting and changed:
            raise self.changed_error(stmt, changed[0])
        return out

    def statement(self, stmt, views, owner):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            # What the line evaluates as Python defines it: decorators,
            # defaults, annotations, bases and class keywords.
            out = self.header(stmt, definition_expressions(stmt), views,
                              owner)
        if isinstance(stmt, ast.ClassDef):
            # The class body runs once, where it is defined, in a namespace
            # of its own; its methods run where they are called.
            inner = dict(views)
            for s in stmt.body:
                if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out |= self.header(s, definition_expressions(s), inner,
                                       owner)
                else:
                    out |= self.changes([s], inner, owner)
            return out
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                self.module.is_tf_function(stmt):
            # Converted code, which reads models and stores into none
            # (the converter refuses a store), its foreign calls given
            # copies.
            return out
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # A function defined here may be called: its body, its own
            # names not the enclosing ones.
            inner = {k: v for k, v in views.items()
                     if k not in own_names(stmt)}
            self.depth += 1
            self.shared.append(shared_names(stmt))
            try:
                return out | self.changes(stmt.body, inner, owner)
            finally:
                self.depth -= 1
                self.shared.pop()
        out = set()
        expressions = [v for field, value in ast.iter_fields(stmt)
                       for v in (value if isinstance(value, list)
                                 else [value])
                       if isinstance(v, ast.AST) and
                       not isinstance(v, (ast.stmt, ast.excepthandler)) and
                       not (isinstance(v, ast.match_case)
                            if hasattr(ast, "match_case") else False) and
                       not (isinstance(stmt, (ast.For, ast.AsyncFor)) and
                            field == "target")]
        # A for loop's target stores too (`for model.k in [5.0]`), and a
        # match's guards are expressions it runs.
        if isinstance(stmt, (ast.For, ast.AsyncFor)) and any(
                isinstance(n, (ast.Attribute, ast.Subscript))
                for n in ast.walk(stmt.target)):
            expressions.append(stmt.target)
        if hasattr(ast, "Match") and isinstance(stmt, ast.Match):
            expressions += [c.guard for c in stmt.cases if c.guard]
        if isinstance(stmt, TRY):
            expressions += [h.type for h in stmt.handlers if h.type]
        if isinstance(stmt, COMPOUND):
            out |= self.header(stmt, expressions, views, owner)
        else:
            for e in expressions:
                out |= self.expression(e, stmt, views, owner)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) \
                else [stmt.target]
            if isinstance(stmt, ast.Assign) and self.reporting and all(
                    isinstance(t, ast.Attribute) and t.attr == "trainable"
                    for t in targets):
                # (`base.trainable = False` changes no inference, but Keras
                # 2 orders a frozen model's weights otherwise.)
                for t in targets:
                    self.module.frozen |= {
                        m for m, _ in self.reached(t.value, views)}
            if stmt.value is not None:
                for t in targets:
                    self.bind(t, stmt.value, views)
        elif isinstance(stmt, ast.AugAssign) and \
                isinstance(stmt.target, ast.Name) and \
                stmt.target.id in views:
            # `o = model.m; o *= 3`: numpy's in-place operator (a number's
            # binds a new one).
            out |= {h for h in self.reached(stmt.target, views)
                    if not self.immutable(h)}
        elif isinstance(stmt, ast.Delete):
            for t in stmt.targets:
                if isinstance(t, ast.Name):
                    views.pop(t.id, None)
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            self.bind_items(stmt.target, stmt.iter, views)
            out |= self.arms([stmt.body + stmt.orelse], views, owner,
                             loop=True)
        elif isinstance(stmt, ast.While):
            out |= self.arms([stmt.body + stmt.orelse], views, owner,
                             loop=True)
        elif isinstance(stmt, ast.If):
            out |= self.arms([stmt.body, stmt.orelse], views, owner)
        elif isinstance(stmt, TRY):
            handlers = [h.body for h in stmt.handlers]
            out |= self.arms([stmt.body + stmt.orelse] + [
                stmt.body + h for h in handlers], views, owner)
            out |= self.changes(stmt.finalbody, views, owner)
        elif hasattr(ast, "Match") and isinstance(stmt, ast.Match):
            out |= self.arms([c.body for c in stmt.cases], views, owner)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            out |= self.changes(stmt.body, views, owner)
        return out

    def expression(self, expr, stmt, views, owner):
        parents = {}
        for node in ast.walk(expr):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        # Names bound inside: comprehensions' variables, `:=`.
        for node in ast.walk(expr):
            if isinstance(node, ast.comprehension):
                self.bind_items(node.target, node.iter, views)
            elif isinstance(node, ast.NamedExpr):
                self.bind(node.target, node.value, views)
        out = set()
        for node in ast.walk(expr):
            if isinstance(node, (ast.Subscript, ast.Attribute)) and \
                    isinstance(node.ctx, (ast.Store, ast.Del)):
                if not (isinstance(node, ast.Attribute) and
                        node.attr == "trainable"):
                    out |= self.stored(node, views)
                continue
            if isinstance(node, ast.Call):
                out |= self.call(node, views, owner, parents, stmt)
            elif isinstance(node, ast.Attribute) and not (
                    isinstance(parents.get(node), ast.Call) and
                    parents[node].func is node):
                if node.attr in WEIGHT_SETTERS:
                    # `train = model.fit`: where it is called is not
                    # followed.
                    self.load(self.reached(node.value, views), node)
                # A method taken as a value (`r = model.reset`) or a
                # property read (`model.boosted`): what it changes.
                out |= self.method(node, [], [], views) or set()
            self.escapes(node, parents, stmt, views)
        return out

    def load(self, hits, node):
        self.loads.extend((m, node) for m, a in sorted(hits, key=str)
                          if self.inference_reads((m, a)))

    def stored(self, node, views):
        """What a store into `node` (`model.k = 1`, `model.m[0] = 1`)
        changes: that part, or what a property's setter changes; a store
        into a model class of the file (`Net.call = f`, `Net.k = 5`),
        before or after its models are built, every model of the module
        of that class or one deriving from it (predict converts the class
        as the file writes it)."""
        out = set()
        self.library_unchanged(node, node)
        root = node.value
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value  # (`Net.call.__defaults__ = (3.0,)`)
        if isinstance(node, (ast.Attribute, ast.Subscript)) and \
                isinstance(root, ast.Name) and \
                root.id not in views and \
                root.id in self.classes and \
                self.module.is_model_class(self.classes[root.id]):
            return {(m, "*") for m in self.module.models
                    if self.class_of(m) and root.id in {
                        c.name for c in self.module.mro(
                            self.classes[self.class_of(m)])}}
        for m, a in self.reached(node.value, views):
            if a is None and isinstance(node, ast.Attribute):
                class_name = self.class_of(m)
                setter = self.setters(class_name, node.attr) \
                    if class_name else None
                if setter is not None:
                    out |= self.follow(setter, {(m, None)}, [ast.Constant(
                        value=None)], [], views)
                    continue
                a = node.attr
            out.add((m, a))
        return out

    def library_unchanged(self, target, at):
        """An error at `at` where `target` (what a store or setattr
        changes) is a part of TensorFlow, Keras, numpy or scipy
        (`tf.nn.relu = tf.nn.elu`, `tf.keras.layers.Dense.call = f`):
        predict implements those as the library defines them."""
        while isinstance(target, ast.Subscript):
            target = target.value
        name = self.module.qualify(target) or ""
        if name.startswith(LIBRARY_PACKAGES):
            raise SourceError(at, f"'{shortened(ast.unparse(at), 60)}' "
                              f"changes '{name}', which predict computes as "
                              "the library defines it (converted code would "
                              "not see the change); call your own function "
                              "instead")

    def reading(self, func, name):
        """Whether a call of `func` (`name` qualified) reads the models
        given to it and changes none (Python's built-ins holding them:
        what holds their result is followed)."""
        if name.startswith(READING_PACKAGES):
            return True  # (also imported by name: `from scipy... import`)
        if isinstance(func, ast.Name):
            return func.id in READING_BUILTINS or \
                func.id in HOLDING_BUILTINS or \
                func.id in self.classes and \
                self.module.is_model_class(self.classes[func.id])
        return name.startswith(READING_PACKAGES) or \
            isinstance(func, ast.Attribute) and \
            func.attr in READING_METHODS

    def call(self, node, views, owner, parents, stmt):
        """What the call `node` changes, following the functions and
        methods of the file it calls."""
        out = set()
        func = node.func
        name = self.module.qualify(func) or ""
        last = func.attr if isinstance(func, ast.Attribute) else \
            func.id if isinstance(func, ast.Name) else ""
        given = node.args + [k.value for k in node.keywords]
        for k in node.keywords:
            if k.arg == "out":
                out |= self.reached(k.value, views)
        if name in NUMPY_WRITERS and node.args or \
                name.startswith("numpy.") and name.endswith(".at") and \
                node.args:
            out |= self.reached(node.args[0], views)
        if name.startswith("numpy.") and \
                len(node.args) > NUMPY_UFUNCS.get(name[6:], 99):
            out |= self.reached(node.args[NUMPY_UFUNCS[name[6:]]], views)
        if name.endswith(("mixed_precision.set_global_policy",
                          "mixed_precision.set_policy",
                          "backend.set_floatx")) and node.args and \
                literal_str(node.args[0]) != "float32":
            raise SourceError(node, f"'{shortened(ast.unparse(node))}' "
                              "makes Keras compute in another float type, "
                              "and predict computes in float32 only: "
                              "remove it to convert the model in float32")
        if last in WEIGHT_SETTERS and not any(
                self.methods(c).get(last) for c in self.classes):
            # (A method of the file of that name is followed instead.)
            # `model.load_weights(p)`, `model.v.assign(x)`,
            # `opt.apply_gradients(zip(g, model.trainable_variables))`,
            # `tf.keras.backend.set_value(model.v, x)`.
            hits = self.reached(func.value, views) \
                if isinstance(func, ast.Attribute) else set()
            for a in given:
                hits |= self.held(a.value if isinstance(a, ast.Starred)
                                  else a, views)
            self.load(hits, node)
            return out
        if isinstance(func, ast.Name) and func.id == "setattr" and node.args:
            self.library_unchanged(node.args[0], node)
            key = node.args[1] if len(node.args) > 1 else None
            key = key.value if isinstance(key, ast.Constant) and \
                isinstance(key.value, str) else "*"
            on = self.reached(node.args[0], views)
            out |= {(m, a or key) for m, a in on}
            stored = self.held(node.args[2], views) \
                if len(node.args) > 2 else set()
            if stored and not on:
                raise Escape(node.args[2], stored, "stored by setattr")
            return out
        if isinstance(func, ast.Name) and func.id in views:
            return out  # a model called: reads it
        if isinstance(func, ast.Name) and func.id in self.module.functions:
            fn = self.module.functions[func.id]
            if self.module.is_tf_function(fn):
                return out  # converted code: reads the models
            return out | self.follow(fn, None, node.args, node.keywords,
                                     views)
        if isinstance(func, ast.Name) and func.id in self.classes and \
                not self.module.is_model_class(self.classes[func.id]):
            # An object of another class of the file (`Trainer(model)`):
            # its `__init__` given the model.
            init = self.methods(func.id).get("__init__")
            if init is not None:
                return out | self.follow(init, set(), node.args,
                                         node.keywords, views)
        if isinstance(func, ast.Attribute) and \
                isinstance(func.value, ast.Call) and \
                isinstance(func.value.func, ast.Name) and \
                func.value.func.id == "super" and len(func.value.args) == 2:
            # `super(Net, model).reset()`: a method of a class `model`'s
            # class derives from, each of the file's of that name followed
            # (`__init__` again makes every attribute anew).
            hits = self.reached(func.value.args[1], views)
            if func.attr in ("__init__", "__setattr__", "__delattr__",
                             "__setstate__"):
                return out | {(m, "*") for m, a in hits if a is None}
            fns = [fn for fn in (self.methods(c).get(func.attr)
                                 for c in self.classes) if fn is not None]
            for fn in fns:
                out |= self.follow(fn, hits, node.args, node.keywords, views)
            if not fns and func.attr in WEIGHT_SETTERS:
                self.load(hits, node)
            return out
        if isinstance(func, ast.Attribute):
            on = func.value
            if isinstance(on, ast.Call) and isinstance(on.func, ast.Name) \
                    and on.func.id == "super" and owner and "self" in views:
                found = False
                for b in self.classes[owner].bases:
                    fn = self.methods(b.id).get(func.attr) \
                        if isinstance(b, ast.Name) else None
                    if fn is not None:
                        found = True
                        out |= self.follow(fn, views["self"][0], node.args,
                                           node.keywords, views)
                if not found and func.attr in WEIGHT_SETTERS:
                    # Keras's (`super().fit(...)` in an override).
                    self.load(views["self"][0], node)
                return out
            if func.attr in CHECKPOINT_READS:
                self.load(self.checkpoint(on, views), node)
            hits = self.reached(on, views)
            if hits and func.attr in IN_PLACE_METHODS:
                out |= hits
            if hits:
                followed = self.method(func, node.args, node.keywords, views)
                if followed is not None:
                    return out | followed
            else:
                # A method of a class of the file on another object
                # (`Fixer().fix(model)`): each class's of that name.
                fns = [self.methods(c).get(func.attr) for c in self.classes]
                fns = [fn for fn in fns if fn is not None]
                for fn in fns:
                    out |= self.follow(fn, set(), node.args, node.keywords,
                                       views)
                if fns:
                    return out
        # A call of anything else: a model given to it cannot be followed,
        # unless it only reads what it is given.
        if self.reading(func, name) or \
                isinstance(func, ast.Attribute) and \
                self.reached(func.value, views):
            return out
        for a in given:
            hits = self.held(a.value if isinstance(a, ast.Starred) else a,
                             views)
            if hits:
                raise Escape(a, hits, f"given to {ast.unparse(func)[:60]}")
        return out

    def checkpoint(self, node, views):
        """The models a checkpoint `node` holds
        (`tf.train.Checkpoint(model=model)`, or a name bound to one)."""
        if isinstance(node, ast.Name) and node.id in views and \
                views[node.id][1] == "checkpoint":
            return views[node.id][0]
        if isinstance(node, ast.Call) and \
                self.module.qualify(node.func) in CHECKPOINTS:
            out = set()
            for a in node.args + [k.value for k in node.keywords]:
                out |= self.held(a, views)
            return out
        return set()

    def method(self, attribute, args, keywords, views):
        """What calling the method `attribute` (`model.reset`,
        `model.block.reset`) of a model or a part of one changes, its body
        followed with `self` bound; None where no class of the file
        defines it. For a model's part, every class of the file defining
        a method of that name is tried."""
        out, found = set(), False
        for m, a in self.reached(attribute.value, views):
            if a is None:
                class_name = self.class_of(m)
                candidates = [class_name] if class_name else []
            else:
                candidates = list(self.classes)
            if attribute.attr == "__init__" and a is None:
                # `model.__init__(...)` again: every attribute made anew.
                found = True
                out.add((m, "*"))
                continue
            for c in candidates:
                fn = self.methods(c).get(attribute.attr)
                if fn is None or attribute.attr in ("build", "call",
                                                    "__call__", "__init__"):
                    continue
                found = True
                out |= self.follow(fn, {(m, a)}, args, keywords, views)
        return out if found else None

    def follow(self, fn, self_hits, args, keywords, views):
        """What calling the function `fn` of the file changes (a method
        where `self_hits` is what `self` is), its parameters bound to the
        arguments as Python binds them."""
        params = fn.args.posonlyargs + fn.args.args
        bound = {}
        if decorated(fn, ("staticmethod",)):
            self_hits = None
        elif decorated(fn, ("classmethod",)):
            self_hits = set()
        if self_hits is not None and params:
            bound[params[0].arg] = (set(self_hits), "value")
            params = params[1:]
        defaults = dict(zip([p.arg for p in params][::-1],
                            fn.args.defaults[::-1]))
        names = {p.arg for p in params + fn.args.kwonlyargs}
        starred = next((i for i, a in enumerate(args)
                        if isinstance(a, ast.Starred)), len(args))
        given = dict(zip([p.arg for p in params], args[:starred]))
        for k in keywords:
            if k.arg in names:
                given[k.arg] = k.value
        # What Python binds to `*args` and `**kwargs`, or unpacks: not
        # followed.
        extra = args[min(starred, len(params)):] + [
            k.value for k in keywords if k.arg not in names]
        for a in extra:
            hits = self.held(a.value if isinstance(a, ast.Starred) else a,
                             views)
            if hits:
                raise Escape(a, hits, f"given to {fn.name} through *args "
                             "or **kwargs")
        defaults.update({p.arg: d for p, d in zip(fn.args.kwonlyargs,
                                                   fn.args.kw_defaults)
                         if d is not None})
        for p in params + fn.args.kwonlyargs:
            value = given.get(p.arg, defaults.get(p.arg))
            if value is None:
                continue
            view = self.view(value, views)
            if view is not None:
                bound[p.arg] = view
        key = (id(fn), frozenset((k, frozenset(v[0]), v[1])
                                 for k, v in bound.items()))
        if key in self.following:
            return set()
        self.following.add(key)
        # The module's models by their names too, where `fn` does not
        # bind those names.
        inner = {k: v for k, v in self.globals.items()
                 if k not in own_names(fn)}
        inner.update(bound)
        reporting, self.reporting = self.reporting, False
        self.depth += 1
        self.shared.append(shared_names(fn))
        try:
            return self.changes(self.body(fn), inner, self.owner(fn))
        finally:
            self.reporting = reporting
            self.depth -= 1
            self.shared.pop()
            self.following.discard(key)

    def escapes(self, node, parents, stmt, views):
        """Raises Escape where `node` is a model (or holds one) and goes
        where the check cannot follow it: anywhere but an attribute, an
        item, a call of it, a call's argument (checked by `call`), a
        name's value, a loop's list, a test or a comparison."""
        if not isinstance(node, ast.Name) or \
                not isinstance(node.ctx, ast.Load) or node.id not in views:
            return
        # (A name of a part is read, as the part is: its writes, and its
        # calls' arguments, are what is checked.)
        hits = {(m, a) for m, a in views[node.id][0]
                if (a is None or views[node.id][1] != "value") and
                self.inference_reads((m, a))}
        if not hits:
            return
        at = node
        holder = views[node.id][1] != "value"
        while True:
            parent = parents.get(at, stmt)
            if isinstance(parent, ast.IfExp) and parent.test is not at or \
                    isinstance(parent, (ast.List, ast.Tuple, ast.Set,
                                        ast.Starred, ast.BoolOp)) or \
                    isinstance(parent, ast.BinOp) and (
                        holder or at is not node) or \
                    isinstance(parent, ast.Dict) and at not in parent.keys \
                    or isinstance(parent, ast.Call) and \
                    isinstance(parent.func, ast.Name) and \
                    parent.func.id in HOLDING_BUILTINS and \
                    parent.func is not at:
                at = parent
                continue
            break
        fine = (ast.Attribute, ast.Subscript, ast.Call, ast.keyword,
                ast.Compare, ast.UnaryOp, ast.If, ast.While, ast.Assert,
                ast.Expr, ast.FormattedValue, ast.Delete, ast.comprehension,
                ast.For, ast.AsyncFor, ast.IfExp, ast.Dict, ast.BinOp)
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr,
                               ast.AugAssign)):
            # (bind checks what a store binds.)
            return
        if isinstance(parent, ast.Return) and node.id == "self":
            return  # (method_result follows it)
        if isinstance(parent, fine):
            return
        text = ast.unparse(parent).splitlines()[0][:60]
        raise Escape(node, hits, f"used in '{text}'")


class Escape(Exception):
    """A model, a part of one or a holder of models going where the check
    of model changes cannot follow it."""

    def __init__(self, node, hits, how):
        super().__init__(how)
        self.node, self.hits, self.how = node, hits, how


def decorated(fn, names):
    """Whether the function `fn` is decorated by one of `names`
    (`@staticmethod`)."""
    return any(isinstance(d, ast.Name) and d.id in names
               for d in fn.decorator_list)


def shortened(text, most=80):
    """`text` on one line, cut to `most` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[:most - 3] + "..."


def own_methods(cls):
    """The methods the class `cls` defines, by name, as Python binds them:
    the last `def` of a name (a property's setter aside)."""
    return {f.name: f for f in cls.body
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and
            ModelChanges.setter(f) is None}


def class_body_bindings(cls):
    """The names the body of class `cls` binds, each to the first statement
    that binds it and whether that binding is "data-like": Python's
    attribute lookup along a class's method resolution order stops at the
    first class whose body binds the name in any way (an assignment, a
    `def`, a `class`, an `import`, a loop's target, `:=`, ...), whatever it
    binds it to (helper-139: a subclass's `def S` or a mixin's method was
    skipped for the base's `S = None`). Nested functions' and classes'
    own names aside. (Kept on the class node: read once per class.)"""
    cached = getattr(cls, "predict_bindings", None)
    if cached is not None:
        return cached
    out = {}

    def visit(node, stmt):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            out.setdefault(node.name, stmt)
            for d in getattr(node, "decorator_list", []):
                visit(d, stmt)
            if not isinstance(node, ast.ClassDef):
                for d in node.args.defaults + \
                        [k for k in node.args.kw_defaults if k]:
                    visit(d, stmt)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp,
                             ast.DictComp, ast.GeneratorExp)):
            return
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            out.setdefault(node.id, stmt)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                out.setdefault((a.asname or a.name).split(".")[0], stmt)
        elif isinstance(node, ast.NamedExpr):
            out.setdefault(node.target.id, stmt)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            out.setdefault(node.name, stmt)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            out.setdefault(node.rest, stmt)
        for child in ast.iter_child_nodes(node):
            visit(child, stmt)

    for stmt in cls.body:
        visit(stmt, stmt)
    cls.predict_bindings = out
    return out


def classmethod_param(node, wrapped=frozenset()):
    """The name of the first parameter of `node` when it is a function
    decorated `@classmethod` or a lambda or function given to
    `classmethod(...)` (`wrapped`, their names and nodes: classmethods_of)
    (the class it is called on), else None."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if not (any(isinstance(d, ast.Name) and d.id == "classmethod"
                    for d in node.decorator_list) or node.name in wrapped):
            return None
    elif not (isinstance(node, ast.Lambda) and id(node) in wrapped):
        return None
    params = node.args.posonlyargs + node.args.args
    return params[0].arg if params else None


def classmethods_of(tree):
    """The functions (by name) and lambdas (by id) a file gives to
    `classmethod(...)` (`configure = classmethod(_configure)`; helper-142:
    their class parameter was not seen)."""
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and \
                n.func.id == "classmethod":
            for a in n.args:
                out.add(a.id if isinstance(a, ast.Name) else id(a))
    return frozenset(out)


def attribute_owner(chain, name):
    """The class of `chain` (a method resolution order) whose body Python
    finds `name` in first (class_body_bindings), and its binding
    statement; (None, None) where no class body binds it."""
    for c in chain:
        stmt = class_body_bindings(c).get(name)
        if stmt is not None:
            return c, stmt
    return None, None


def shared_names(fn):
    """The names the function `fn` (or a function in it) declares `global`
    or `nonlocal`."""
    return {n for sub in ast.walk(fn)
            if isinstance(sub, (ast.Global, ast.Nonlocal)) for n in sub.names}


def own_names(fn):
    """The names a function or lambda binds (its parameters, the names it
    assigns and does not declare global): not the module's."""
    a = fn.args
    own = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs +
           [a.vararg, a.kwarg] if x}
    declared = {n for sub in ast.walk(fn) if isinstance(sub, ast.Global)
                for n in sub.names}
    own |= {n.id for sub in ([fn.body] if isinstance(fn, ast.Lambda)
                             else fn.body)
            for n in ast.walk(sub) if isinstance(n, ast.Name) and
            not isinstance(n.ctx, ast.Load)}
    return own - declared


class ProgramWriter:
    """Turns a read SourceModule into the program's JSON."""

    def __init__(self, module, source):
        self.module, self.source = module, source
        self.holding = []  # the model classes being read, outermost first

    def reversed_range(self, loop):
        """`for t in reversed(range(a, b[, s]))` (s a positive integer
        literal) as the `for` over the range Python's reversed() gives,
        `range(a + (b - a - 1) // s * s, a - 1, -s)` (empty when the range
        is; `range(b - 1, a - 1, -1)` for s = 1); `loop` itself otherwise."""
        def builtin_call(node, name):
            return isinstance(node, ast.Call) and \
                isinstance(node.func, ast.Name) and node.func.id == name \
                and not node.keywords and name not in self.module.functions \
                and name not in self.module.classes and \
                name not in self.module.imports and \
                name not in self.module.constant_nodes
        outer = loop.iter
        if not (builtin_call(outer, "reversed") and len(outer.args) == 1 and
                builtin_call(outer.args[0], "range")):
            return loop
        args = outer.args[0].args
        if not 1 <= len(args) <= 3 or \
                any(isinstance(a, ast.Starred) for a in args):
            return loop
        step = 1
        if len(args) == 3:
            step = args[2].value if isinstance(args[2], ast.Constant) else None
            if not isinstance(step, int) or isinstance(step, bool) or \
                    step <= 0:
                return loop
        start, stop = (ast.Constant(0), args[0]) if len(args) == 1 \
            else (args[0], args[1])
        one = ast.Constant(1)
        if step == 1:
            first = ast.BinOp(stop, ast.Sub(), one)
        else:
            count = ast.BinOp(ast.BinOp(ast.BinOp(stop, ast.Sub(), start),
                                        ast.Sub(), one),
                              ast.FloorDiv(), ast.Constant(step))
            first = ast.BinOp(start, ast.Add(),
                              ast.BinOp(count, ast.Mult(), ast.Constant(step)))
        iter_ = ast.Call(func=ast.Name(id="range", ctx=ast.Load()),
                         args=[first, ast.BinOp(start, ast.Sub(), one),
                               ast.Constant(-step)], keywords=[])
        for n in ast.walk(iter_):
            if not hasattr(n, "lineno"):
                ast.copy_location(n, outer)
        return ast.copy_location(ast.For(target=loop.target, iter=iter_,
                                         body=loop.body, orelse=loop.orelse,
                                         type_comment=None), loop)

    def node(self, node):
        """Any ast node, generically: {"node": class name, "loc", fields};
        names and attribute chains rooted at an import also carry their
        qualified name (`np.tanh` -> "numpy.tanh")."""
        if isinstance(node, list):
            return [self.node(n) for n in node]
        if not isinstance(node, ast.AST):
            return value_json(node, None)
        if isinstance(node, (ast.expr_context, ast.operator, ast.unaryop,
                             ast.cmpop, ast.boolop)):
            return type(node).__name__
        if isinstance(node, ast.For):
            node = self.reversed_range(node)
        if isinstance(node, ast.FunctionDef) and not node.decorator_list:
            # A function defined inside a function: written as a module
            # function is, the converter's closure (ProgramBuilder::
            # localFunction).
            out = self.function(node)
            out["node"] = "FunctionDef"
            if getattr(node, "end_lineno", None) is not None:
                out["end"] = [node.end_lineno, node.end_col_offset + 1]
            return out
        out = {"node": type(node).__name__}
        if hasattr(node, "lineno"):
            out["loc"] = loc_json(node)
        if getattr(node, "end_lineno", None) is not None:
            out["end"] = [node.end_lineno, node.end_col_offset + 1]
        for field, value in ast.iter_fields(node):
            if field in ("ctx", "type_comment", "type_params", "kind"):
                continue
            if isinstance(node, ast.Constant) and field == "value":
                out["value"] = value_json(value, node)
                continue
            out[field] = self.node(value)
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = self.module.qualify(node)
            if qualified is not None:
                out["qualified"] = qualified
        if isinstance(node, ast.Attribute) and \
                out.get("qualified") in NAMED_NUMBERS:
            out["folded"] = value_json(NAMED_NUMBERS[out["qualified"]], node)
        if isinstance(node, (ast.UnaryOp, ast.BinOp, ast.Call)) and \
                all(numeric_json(c) for c in folding_operands(out)):
            # What Python computes of numbers alone (`-0.5`, `1/3`,
            # `float("inf")`, `2 * np.pi`), or why it raises.
            try:
                number = fold_number(node, self.module.qualify)
            except SourceError as e:
                out["fold_error"] = str(e)
            else:
                if number is not None:
                    out["folded"] = value_json(number, node)
        return out

    def function(self, fn):
        return {"name": fn.name, "loc": loc_json(fn),
                "params": [{"name": a.arg, "loc": loc_json(a),
                            "annotation": self.node(a.annotation)
                            if a.annotation else None}
                           for a in fn.args.args],
                "defaults": self.node(self.fold_known(fn.args.defaults)),
                "kwonly": [{"name": a.arg, "loc": loc_json(a)}
                           for a in fn.args.kwonlyargs],
                "kw_defaults": [self.node(self.fold_known([d])[0])
                                if d is not None else None
                                for d in fn.args.kw_defaults],
                "varargs": fn.args.vararg is not None or
                fn.args.kwarg is not None or bool(fn.args.posonlyargs),
                "posonly": bool(fn.args.posonlyargs),
                # Helpers bind these as Python does (ProgramBuilder::
                # helperResults); "params" holds the others.
                "posonly_params": [{"name": a.arg, "loc": loc_json(a)}
                                   for a in fn.args.posonlyargs],
                "vararg": fn.args.vararg.arg if fn.args.vararg else None,
                "kwarg": fn.args.kwarg.arg if fn.args.kwarg else None,
                "body": self.node(self.fold_known(fn.body, fn))}

    def fold_known(self, body, fn=None, attrs=None, cls=None):
        """`body` (of the function `fn`, a method of a model of class
        `cls`; or a function's defaults, without `fn`) with what is known
        at import computed: class attributes read through their class
        (fold_class_attributes), then float64 numpy arithmetic
        (fold_numpy)."""
        return self.fold_numpy(self.fold_class_attributes(body, fn, cls), fn,
                               attrs)

    def fold_class_attributes(self, body, fn=None, cls=None):
        """`body` with each class attribute read through its class
        (`Config.SCALE`, `Net.SIZES`; in a method of a model of class
        `cls`, `type(self).SCALE` and `self.__class__.SCALE`, which read
        the class even where the instance has an attribute of the name)
        written as its value, when the class bodies give it one known at
        import (SourceModule.class_value). Names `fn` binds are its own."""
        bound = bound_names(fn)
        module = self.module

        def owner(node):
            """The class `node` names, or None."""
            if isinstance(node, ast.Name) and node.id not in bound:
                return module.plain_class(node.id)
            if cls is not None and \
                    of_own_class(node, bound | set(module.binding_counts)):
                return module.plain_class(cls.name)
            return None

        class Fold(ast.NodeTransformer):
            def visit_Attribute(self, node):
                if isinstance(node.ctx, ast.Load):
                    c = owner(node.value)
                    if c is not None:
                        try:
                            return value_node(
                                module.class_value(c, node.attr, node), node)
                        except (NotKnown, TypeError):
                            pass
                    if isinstance(node.value, ast.Name) and \
                            node.value.id not in bound:
                        why = module.class_refused(node)
                        if why is not None:
                            raise SourceError(node, why)
                return self.generic_visit(node)

        return [Fold().visit(copy.deepcopy(stmt)) for stmt in body]

    def fold_numpy(self, body, fn=None, attrs=None):
        """`body` (of the function `fn`; or a function's defaults, without
        `fn`) with each arithmetic of float64
        numpy arrays known at import (`np.array([...]) - np.array([...])`,
        `A[0] - A[1]` of a module array, `1.0 / (HI - LO)`) computed as numpy
        computes it, in float64 (fold_float64), and written as the array
        literal it makes, `np.array([...], dtype=np.float64)`: converted
        code rounds that to float32 once, as TensorFlow converts the array
        (helper-132: computed in float32, a difference of unix times was
        0). Names `fn` binds are its own, never folded; `attrs`, a model's
        values known at import by attribute, are read as `self.<name>`
        (helper-133)."""
        alias = next((a for a, q in self.module.imports.items()
                      if q == "numpy"), None)
        if alias is None:
            return body
        bound = bound_names(fn)
        module = self.module.module_scope

        def operand(n):
            if isinstance(n, ast.Constant):
                return n.value if isinstance(n.value, (int, float)) and \
                    not isinstance(n.value, bool) else None
            if attrs is not None and isinstance(n, ast.Attribute) and \
                    isinstance(n.value, ast.Name) and n.value.id == "self":
                value = attrs.get(n.attr)
                return value if isinstance(value, (ArrayCall, int, float)) \
                    and not isinstance(value, bool) else None
            if isinstance(n, ast.Subscript):
                if any(isinstance(x, ast.Name) and x.id in bound
                       for x in ast.walk(n.slice)):
                    return None
                base = operand(n.value)
                index = literal_index(n.slice, module.evaluate)
                if not isinstance(base, ArrayCall) or index is None:
                    return None
                return ArrayCall(None, n, [(base, n.value), (index, n)], [])
            if any(isinstance(x, ast.Name) and x.id in bound
                   for x in ast.walk(n)):
                return None
            try:
                return module.evaluate_array(n)
            except (NotKnown, SourceError, RecursionError, TypeError,
                    ValueError, ArithmeticError):
                return None

        class Fold(ast.NodeTransformer):
            def fold(self, node, operands):
                self.generic_visit(node)
                values = [operand(o) for o in operands(node)]
                if None in values or \
                        not any(isinstance(v, ArrayCall) for v in values):
                    return node
                folded = fold_float64(node, values)
                if folded is None:
                    return node
                data = folded.args[0][0]

                def literal(v):
                    return ast.List(elts=[literal(e) for e in v],
                                    ctx=ast.Load()) \
                        if isinstance(v, list) else ast.Constant(value=v)

                def numpy(attr):
                    return ast.Attribute(value=ast.Name(id=alias,
                                                        ctx=ast.Load()),
                                         attr=attr, ctx=ast.Load())
                made = ast.Call(func=numpy("array"), args=[literal(data)],
                                keywords=[ast.keyword(arg="dtype",
                                                      value=numpy("float64"))])
                for n in ast.walk(made):
                    ast.copy_location(n, node)
                return made

            def visit_BinOp(self, node):
                return self.fold(node, lambda n: [n.left, n.right])

            def visit_UnaryOp(self, node):
                return self.fold(node, lambda n: [n.operand])

        return [Fold().visit(copy.deepcopy(stmt)) for stmt in body]

    def argument(self, node, scope):
        """A constructor argument's value, as the scope evaluates it: a
        literal, a parameter, a module constant, an expression of them, or a
        function named through the imports (an activation given as
        `tf.nn.relu`)."""
        # (An array made in place, `mean=np.array([...])`, is one too.)
        if isinstance(node, ast.Call) and \
                self.module.qualify(node.func) in ARRAY_MAKERS:
            try:
                return layer_value_json(scope.evaluate_array(node), node)
            except NotKnown:
                pass
        if isinstance(node, ast.Lambda) or (
                isinstance(node, ast.Name) and
                node.id in self.module.functions and
                not scope.shadows(node.id)):
            raise SourceError(node, f"'{shortened(ast.unparse(node), 50)}' "
                              "is a function of the file given to a layer "
                              "(a Lambda layer's function, say): predict "
                              "does not convert a function a layer runs; "
                              "call it where the layer would be called "
                              "(in call: `x = fn(x)`)")
        return layer_value_json(scope.known(node, "a layer's argument"),
                                node)

    def call_arguments(self, call, scope):
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                raise SourceError(arg, "give the arguments one by one, "
                                  "not as *args")
        for kw in call.keywords:
            if kw.arg is None:
                raise SourceError(kw.value, "give the arguments by name, "
                                  "not as **kwargs")
        return ([self.argument(a, scope) for a in call.args],
                {kw.arg: self.argument(kw.value, scope)
                 for kw in call.keywords})

    def written_list(self, node, scope):
        """The element expressions of a list written in place: a list or
        tuple literal, lists joined by `+`, or a comprehension with one
        `for` over values known at import (`[Dense(w) for w in WIDTHS]`,
        unrolled: its variable replaced by each value), and a second `for`
        over a list written in place (`[l for w in WIDTHS for l in
        [Dense(w), ReLU()]]`). None for another expression."""
        if isinstance(node, (ast.List, ast.Tuple)):
            return list(node.elts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.written_list(node.left, scope)
            right = self.written_list(node.right, scope)
            return None if left is None or right is None else left + right
        # [l for w in W for l in [A(w), B(w)]]: each row's layers in turn.
        if isinstance(node, ast.ListComp) and len(node.generators) == 2:
            outer, inner = node.generators
            if inner.ifs or inner.is_async or \
                    not isinstance(inner.iter, (ast.List, ast.Tuple)) or \
                    not isinstance(inner.target, ast.Name) or \
                    not isinstance(node.elt, ast.Name) or \
                    node.elt.id != inner.target.id:
                return None
            rows = self.written_list(ast.copy_location(ast.ListComp(
                elt=ast.copy_location(ast.List(elts=list(inner.iter.elts),
                                               ctx=ast.Load()), inner.iter),
                generators=[outer]), node), scope)
            return None if rows is None else [e for row in rows
                                              for e in row.elts]
        if not isinstance(node, ast.ListComp) or len(node.generators) != 1 \
                or node.generators[0].ifs or node.generators[0].is_async:
            return None
        loop = node.generators[0]
        try:
            values = scope.evaluate(loop.iter)
            if len(values) > MOST_UNROLLED:
                return None
            values = [value_node(v, loop.iter) for v in values]
        except (NotKnown, SourceError, RecursionError, TypeError):
            return None
        elements = []
        for value in values:
            bound = {}
            if not bind_target(loop.target, value, bound):
                raise SourceError(loop.target, f"'{ast.unparse(loop.target)}"
                                  f"' does not unpack {ast.unparse(value)} "
                                  "(Python raises here)")
            elements.append(ast.fix_missing_locations(
                Substitute(bound).visit(copy.deepcopy(node.elt))))
        return elements

    def sequential(self, var, call, scope):
        """`tf.keras.Sequential([Dense(8), Dense(4)])`: a model whose layers
        are `layers/0`, `layers/1`, ... (a list of layers, "layers") and
        whose `call` applies them in order, written as the loop `for layer
        in self.layers: inputs = layer(inputs)`."""
        given = call.args[0] if call.args else next(
            (kw.value for kw in call.keywords if kw.arg == "layers"), None)
        for kw in call.keywords:
            if kw.arg not in ("layers", "name", "trainable"):
                raise SourceError(kw.value, "tf.keras.Sequential's "
                                  f"'{kw.arg}=' is not converted (give "
                                  "the list of layers, and name=)")
        elements = self.written_list(given, scope) if given else None

        def decided(e):
            """`A if c else B` of a condition known at import: its arm."""
            while isinstance(e, ast.IfExp):
                e = e.body if scope.known(e.test, "the condition choosing a "
                                          "layer") else e.orelse
            return e
        if elements is not None:
            elements = [decided(e) for e in elements]
        if elements is None:
            raise SourceError(given or call, "tf.keras.Sequential is "
                              "converted from a list of layers written in "
                              "the call: tf.keras.Sequential([...]), lists "
                              "joined by +, or a comprehension over values "
                              "known at import")
        items = [e for e in elements if not (
            isinstance(e, ast.Call) and
            self.module.qualify(e.func) in INPUT_MAKERS)]
        declared = elements[0] if elements and \
            elements[0] not in items else None
        attributes = []
        for i, e in enumerate(items):
            made = self.made_object(f"layers/{i}", e, scope) \
                if isinstance(e, ast.Call) else None
            if made is None:
                raise SourceError(e, "a tf.keras.Sequential holds layers "
                                  "and models, not "
                                  f"'{ast.unparse(e)}'")
            attributes.append(made)
        at = loc_json(call)
        attributes.append({"attr": "layers", "loc": at, "kind": "layers",
                           "items": [a["attr"] for a in attributes]})

        def node(kind, **fields):
            return dict({"node": kind, "loc": at}, **fields)

        inputs = node("Name", id="inputs")
        body = [node("For", target=node("Name", id="layer"),
                     iter=node("Attribute", value=node("Name", id="self"),
                               attr="layers"),
                     body=[node("Assign", targets=[inputs],
                                value=node("Call",
                                           func=node("Name", id="layer"),
                                           args=[inputs], keywords=[]))],
                     orelse=[]),
                node("Return", value=inputs)]
        if declared is not None:
            # The input as the leading tf.keras.Input declares it.
            body[0:0] = self.node(self.input_check("inputs", declared))
        method = {"name": "call", "loc": at,
                  "params": [{"name": "self", "loc": at, "annotation": None},
                             {"name": "inputs", "loc": at,
                              "annotation": None}] +
                  self.keras_call_flags(at),
                  "defaults": self.keras_call_defaults(call), "body": body}
        return {"name": var, "class": "Sequential", "loc": at,
                "class_loc": at, "attributes": attributes,
                "methods": [method]}

    @staticmethod
    def keras_call_flags(at):
        """The parameters after the inputs of Sequential's and Functional's
        `call(inputs, training=None, mask=None)` (Keras 3), so that a call
        gives them by position too (`seq(x, False)`)."""
        return [{"name": name, "loc": at, "annotation": None}
                for name in ("training", "mask")]

    def keras_call_defaults(self, at):
        """Their defaults, None, located at `at` (an AST node)."""
        return [self.node(ast.copy_location(ast.Constant(value=None), at))
                for _ in range(2)]

    def input_check(self, name, maker):
        """`name = $keras_input(tf.cast(name, dtype), shape)` at `maker`,
        a tf.keras.Input(shape, batch_size, dtype=..., batch_shape=...)
        call: the input as Keras 3 makes it (dtype float32 unless given;
        the shape without its batch size, which Keras does not check)."""
        module, scope = self.module, self.module.module_scope
        if any(kw.arg is None for kw in maker.keywords) or \
                any(isinstance(a, ast.Starred) for a in maker.args):
            raise SourceError(maker, "give tf.keras.Input's arguments one by "
                              "one (shape=, batch_size=, dtype=, "
                              "batch_shape=)")
        if len(maker.args) > 2:
            raise SourceError(maker.args[2], "give tf.keras.Input's "
                              "arguments after shape and batch_size by "
                              "keyword (Keras 2 and 3 order them "
                              "differently)")
        given = {kw.arg: kw.value for kw in maker.keywords}
        for key, node in zip(("shape", "batch_size"), maker.args):
            given.setdefault(key, node)
        for key, node in given.items():
            if key not in ("shape", "batch_size", "dtype", "batch_shape",
                           "name", "sparse", "ragged"):
                raise SourceError(node, f"tf.keras.Input's {key}= is not "
                                  "converted")
        if "shape" in given and "batch_shape" in given or \
                "batch_size" in given and "batch_shape" in given:
            raise SourceError(maker, "tf.keras.Input takes shape= (and "
                              "batch_size=) or batch_shape=, not both "
                              "(Keras raises ValueError)")

        def known(key, default=None):
            if key not in given:
                return default
            try:
                return scope.evaluate(given[key])
            except NotKnown:
                raise SourceError(given[key], f"tf.keras.Input's {key}= "
                                  "is converted when known at import")
        dtype = known("dtype", "float32")
        if isinstance(dtype, Function):
            dtype = dtype.qualified.rsplit(".", 1)[-1]
        if dtype is None:
            dtype = "float32"
        if dtype not in ("float32", "int32", "int64", "bool"):
            raise SourceError(given.get("dtype", maker), "tf.keras.Input's "
                              f"dtype {dtype!r} is not converted (float32, "
                              "int32, int64 or bool)")
        for flag in ("sparse", "ragged"):
            if known(flag, False):
                raise SourceError(given[flag], f"tf.keras.Input's {flag}="
                                  "True is not converted (dense inputs only)")
        shape = known("batch_shape")
        if shape is None:
            inner = known("shape")
            if inner is None:
                raise SourceError(maker, "tf.keras.Input needs shape= or "
                                  "batch_shape= (Keras raises ValueError)")
            shape = None if not isinstance(inner, (tuple, list)) else \
                (known("batch_size"),) + tuple(inner)
        if not isinstance(shape, (tuple, list)):
            raise SourceError(maker, "tf.keras.Input's shape is a tuple of "
                              "sizes, such as (4,) (Keras raises "
                              "ValueError for another value)")
        batch = known("batch_size")
        if batch is not None and (not isinstance(batch, int) or
                                  isinstance(batch, bool) or batch < 1):
            raise SourceError(given["batch_size"], "tf.keras.Input's "
                              "batch_size is a positive int or None")
        module.imports.setdefault("$tf", "tensorflow")

        def at(node):
            return ast.fix_missing_locations(ast.copy_location(node, maker))

        def tf(attr):
            return at(ast.Attribute(value=at(ast.Name(id="$tf",
                                                      ctx=ast.Load())),
                                    attr=attr, ctx=ast.Load()))
        value = at(ast.Call(func=tf("cast"),
                            args=[at(ast.Name(id=name, ctx=ast.Load())),
                                  at(ast.Constant(value=dtype))],
                            keywords=[]))
        if not all(s is None or (isinstance(s, int) and
                                 not isinstance(s, bool) and s >= 0)
                   for s in shape):
            raise SourceError(maker, "tf.keras.Input's shape holds sizes "
                              "(ints that are not negative) and None")
        # Checked as Keras 3 checks a Functional model's input (its
        # InputSpec has no batch size; a last axis of size 1 is squeezed or
        # added): `$keras_input`, tf.ensure_shape with those rules, which
        # no program can call.
        value = at(ast.Call(func=tf("$keras_input"),
                            args=[value, value_node(
                                [None] * (len(shape) > 0) + list(shape[1:]),
                                maker)],
                            keywords=[]))
        return [at(ast.Assign(targets=[at(ast.Name(id=name,
                                                   ctx=ast.Store()))],
                              value=value))]

    def inline_helpers(self, node, scope):
        """The module statement `node` with each call of a function of the
        file (`h = block(h, 64)`) replaced by the function's body, as
        Python runs it: its parameters bound to the arguments (a value
        known at import put where the parameter is read), its names made
        its own (`block$1$y`), its `return` value bound to a name that
        replaces the call. None when `node` calls no such function. A
        function converted so takes positional and keyword arguments
        (defaults too) and ends with its only `return`."""
        module = self.module
        entries = {fn.name for fn in module.entries()}
        helper = lambda call: isinstance(call.func, ast.Name) and \
            call.func.id in module.functions and \
            call.func.id not in entries
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            return None  # run when called, if at all
        calls = [sub for sub in walk_running(node)
                 if isinstance(sub, ast.Call) and helper(sub)]
        if not calls:
            return None
        # Python makes the layers of the statement in its order; the
        # helper's are hoisted before the statement, so none may be made
        # outside the helpers' calls.
        inside = {id(n) for c in calls for n in ast.walk(c)}
        for sub in ast.walk(node):
            if id(sub) not in inside and isinstance(sub, ast.Call) and \
                    module.qualify(sub.func) and \
                    module.qualify(sub.func).startswith(LAYER_PREFIXES):
                raise SourceError(sub, "this layer is made in a statement "
                                  "that also calls a function of the file: "
                                  "write the call on a line of its own")
        prelude = []

        class Inline(ast.NodeTransformer):
            def visit_Lambda(inner, fn):
                return fn  # run when called, if at all

            def visit_Call(inner, call):
                inner.generic_visit(call)  # arguments first, as Python
                if not helper(call):
                    return call
                return self.inline_call(call, scope, prelude)
        node = Inline().visit(copy.deepcopy(node))
        return prelude + [node]

    def inline_call(self, call, scope, prelude):
        """`call` of a function of the file inlined (inline_helpers): its
        statements appended to `prelude`; the name its result is bound to."""
        fn = self.module.functions[call.func.id]
        a = fn.args
        if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
            raise SourceError(call, f"'{fn.name}' takes *args, **kwargs or "
                              "keyword-only parameters, which a Functional "
                              "graph does not convert: give it plain "
                              "parameters")
        body = without_docstring(fn.body)
        returns = [n for stmt in body for n in ast.walk(stmt)
                   if isinstance(n, ast.Return)]
        if returns and (not isinstance(body[-1], ast.Return) or
                        len(returns) != 1) or any(
                    isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef,
                                   ast.Global, ast.Nonlocal, ast.Yield))
                    for stmt in body for n in ast.walk(stmt)):
            raise SourceError(call, f"'{fn.name}' is converted in a "
                              "Functional graph when it ends with its only "
                              "`return` (or has none) and defines no "
                              "function or class")
        if not returns:
            body = body + [ast.copy_location(ast.Return(value=None), call)]
        params = [p.arg for p in a.args]
        defaults = dict(zip(params[len(params) - len(a.defaults):],
                            a.defaults))
        # Python evaluates a default once, when `def` runs: one that is an
        # immutable literal is the same value at every call.
        for p, default in defaults.items():
            if not immutable_literal(default):
                raise SourceError(default, f"the default of '{p}' of "
                                  f"'{fn.name}' is converted in a Functional "
                                  "graph when it is a number, a string, "
                                  "None or a tuple of them (Python makes "
                                  "another value once, when `def` runs): "
                                  "pass it at the call")
        given = {}
        if len(call.args) > len(params):
            raise SourceError(call, f"'{fn.name}' takes {len(params)} "
                              f"positional arguments, not {len(call.args)} "
                              "(Python raises TypeError)")
        for p, arg in zip(params, call.args):
            given[p] = arg
        for kw in call.keywords:
            if kw.arg is None or kw.arg not in params or kw.arg in given:
                raise SourceError(kw.value, f"'{fn.name}' has no parameter "
                                  f"'{kw.arg}' to give here (Python raises "
                                  "TypeError)")
            given[kw.arg] = kw.value
        for p in params:
            if p not in given:
                if p not in defaults:
                    raise SourceError(call, f"'{fn.name}' is not given its "
                                      f"argument '{p}' (Python raises "
                                      "TypeError)")
                given[p] = defaults[p]
        module = self.module
        if fn.name in module.inlining:
            raise SourceError(call, f"'{fn.name}' calls itself (directly or "
                              "not): recursion is not converted in a "
                              "Functional graph")
        module.inlined += 1
        prefix = f"{fn.name}${module.inlined}$"
        local = set(params) | {n.id for stmt in body for n in ast.walk(stmt)
                               if isinstance(n, ast.Name) and
                               isinstance(n.ctx, ast.Store)}
        known, statements = {}, []
        for p in params:
            try:
                known[p] = value_node(scope.evaluate(given[p]), given[p])
            except (NotKnown, SourceError, RecursionError, TypeError):
                statements.append(ast.copy_location(ast.Assign(
                    targets=[ast.copy_location(
                        ast.Name(id=prefix + p, ctx=ast.Store()), call)],
                    value=given[p]), call))

        class Rename(ast.NodeTransformer):
            def visit_Name(inner, n):
                if n.id in known and isinstance(n.ctx, ast.Load) and \
                        n.id not in assigned:
                    return ast.copy_location(copy.deepcopy(known[n.id]), n)
                if n.id in local:
                    n.id = prefix + n.id
                return n
        assigned = {n.id for stmt in body for n in ast.walk(stmt)
                    if isinstance(n, ast.Name) and
                    isinstance(n.ctx, ast.Store)}
        for p in assigned & set(known):
            # A parameter the body binds again: bound, not substituted.
            statements.append(ast.copy_location(ast.Assign(
                targets=[ast.copy_location(
                    ast.Name(id=prefix + p, ctx=ast.Store()), call)],
                value=known.pop(p)), call))
        for stmt in body[:-1]:
            statements.append(Rename().visit(copy.deepcopy(stmt)))
        result = prefix + "return"
        value = Rename().visit(copy.deepcopy(body[-1].value)) \
            if body[-1].value is not None else \
            ast.copy_location(ast.Constant(value=None), call)
        statements.append(ast.copy_location(ast.Assign(
            targets=[ast.copy_location(ast.Name(id=result, ctx=ast.Store()),
                                       body[-1])],
            value=value), body[-1]))
        for stmt in statements:
            ast.fix_missing_locations(stmt)
        # Its statements as Python runs them (loops over known values
        # unrolled, the functions it calls inlined).
        module.inlining.append(fn.name)
        try:
            prelude += self.straight_line(statements, scope)
        finally:
            module.inlining.pop()
        return ast.copy_location(ast.Name(id=result, ctx=ast.Load()), call)

    def straight_line(self, statements, scope):
        """Module statements as Python runs them once: each `for` over
        values known at import (`for units in (64, 32):`) unrolled, its
        variable replaced by each value (and bound to the last after the
        loop), and each `if` on a known condition (`if USE_NORM:`)
        replaced by the arm it takes; every other statement as it is. A
        statement kept so has its reason in module.kept (by id)."""
        out, kept = [], self.module.kept
        lists = getattr(scope, "graph_lists", None)
        if lists is None:
            lists = scope.graph_lists = GraphLists()
        for node in statements:
            if isinstance(node, ast.If):
                try:
                    taken = bool(scope.evaluate(
                        lists.with_lengths(node.test, scope)))
                except (NotKnown, SourceError, RecursionError) as e:
                    kept[id(node)] = self.not_known(e, node.test, "its "
                                                    "condition")
                    out.append(node)
                    continue
                out += self.straight_line(
                    node.body if taken else node.orelse, scope)
                continue
            if not isinstance(node, ast.For):
                # (Written out first: `ds.append(ds[0])` appends the
                # layer's name, `[Dense(4) for _ in range(2)]` is a list
                # literal of layers.)
                node = KnownChoices(scope).visit(lists.expand(node, scope))
                appended = self.append_layer(node, lists)
                if appended is not None:
                    statements, name, names = appended
                    for stmt in statements:
                        lists.track(stmt, scope)
                    # (Tracked, the append drops the list's layers: set
                    # after.)
                    lists.layers[name] = names
                    out += statements
                    continue
                split = self.split_layer_list(node)
                if split is not None:
                    for stmt in split:
                        lists.track(stmt, scope)
                    lists.layers[node.targets[0].id] = [
                        stmt.targets[0].id for stmt in split[:-1]]
                    out += split
                    continue
                try:
                    inlined = self.inline_helpers(node, scope)
                except SourceError as e:
                    # Read as it is; the error is raised if a graph needs
                    # it (an example call of the file's functions does
                    # not).
                    self.module.not_inlined[id(node)] = e
                    inlined = None
                if inlined is not None:
                    for stmt in inlined:
                        lists.track(stmt, scope)
                    out += inlined
                    continue
                lists.track(node, scope)
                # `ds2 = (ds[1], ds[0])` of layers of such lists (written
                # `(ds$1, ds$0)` by expand): a list of those layers too.
                known = {n for names in lists.layers.values() for n in names}
                if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                        and isinstance(node.targets[0], ast.Name) and \
                        isinstance(node.value, (ast.List, ast.Tuple)) and \
                        node.value.elts and all(
                            isinstance(e, ast.Name) and e.id in known
                            for e in node.value.elts):
                    lists.layers[node.targets[0].id] = [
                        e.id for e in node.value.elts]
                out.append(node)
                continue
            targets = {n.id for n in ast.walk(node.target)
                       if isinstance(n, ast.Name)}
            reason = None
            if node.orelse:
                reason = "it has an `else`"
            elif any(isinstance(n, (ast.Break, ast.Continue))
                     for b in node.body for n in ast.walk(b)):
                reason = "its body has `break` or `continue`"
            elif any(isinstance(n, ast.Name) and n.id in targets and
                     not isinstance(n.ctx, ast.Load)
                     for b in node.body for n in ast.walk(b)):
                reason = "its body rebinds its variable"
            elif (items := lists.items(node.iter, scope)) is not None:
                # A graph's list (`for o in outs`): over its items.
                values = items
                looped = {n.id for n in ast.walk(node.iter)
                          if isinstance(n, ast.Name)}
                # Its items are read by the list's name in each pass:
                # Python's loop keeps the list it started with (found by
                # helper-86: a rebinding in the body changed later passes).
                rebound = {n.id for b in node.body for n in ast.walk(b)
                           if isinstance(n, ast.Name) and
                           not isinstance(n.ctx, ast.Load)}
                if any(changed_in_place(b) & looped for b in node.body) or \
                        rebound & looped:
                    reason = "its body changes or rebinds the list it " \
                        "loops over"
            else:
                try:
                    values = scope.evaluate(
                        lists.with_lengths(node.iter, scope))
                    if len(values) > MOST_UNROLLED:
                        raise SourceError(node.iter, f"it runs {len(values)} "
                                          "times, more than predict unrolls "
                                          f"({MOST_UNROLLED})")
                    values = [value_node(v, node.iter) for v in values]
                except (NotKnown, SourceError, RecursionError) as e:
                    reason = self.not_known(e, node.iter, "what it loops "
                                            "over")
                except TypeError:
                    reason = (f"'{ast.unparse(node.iter)}' is not numbers, "
                              "strings or tuples of them")
            if reason:
                kept[id(node)] = reason
                lists.track(node, scope)
                out.append(node)
                continue
            bound = {}
            for value in values:
                bound = {}
                if not bind_target(node.target, value, bound):
                    target = ast.unparse(node.target)
                    raise SourceError(node.target, f"'{target}' does not "
                                      f"unpack {ast.unparse(value)} (Python "
                                      "raises here)")
                body = [Substitute(bound).visit(copy.deepcopy(b))
                        for b in node.body]
                out += self.straight_line(body, scope)
            # The variable keeps its last value, as in Python.
            for name, value in bound.items():
                out.append(ast.fix_missing_locations(ast.copy_location(
                    ast.Assign(targets=[ast.copy_location(
                        ast.Name(id=name, ctx=ast.Store()), node.target)],
                        value=value), node.target)))
        return out

    @staticmethod
    def init_layer(scope, item, maker):
        """Records the layer `maker` of an __init__'s list of layers as the
        local layer `item` (the name split_layer_list gives it); `item`."""
        scope.locals[item] = scope.known(
            maker, f"'{ast.unparse(maker)}' in __init__")
        scope.local_layers[item] = maker
        return item

    def makes_layer(self, node):
        """Whether `node` is a call that makes a layer or a model
        (`Dense(4)`, a model class of the file, a Sequential)."""
        return isinstance(node, ast.Call) and (
            (self.module.qualify(node.func) or "").startswith(LAYER_PREFIXES)
            or self.module.makes_model_object(node))

    def makes_layer_list(self, value):
        """Whether `value` is a list or tuple of layers and models made in
        place (`[Dense(4), Dense(3)]`)."""
        return isinstance(value, (ast.List, ast.Tuple)) and value.elts and \
            all(self.makes_layer(e) for e in value.elts)

    @staticmethod
    def layer_appended(stmt, lists):
        """`ds.append(x)` of a list of layers `ds` (split_layer_list):
        (the list's name, x); None for another statement."""
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not isinstance(call, ast.Call) or call.keywords or \
                len(call.args) != 1 or \
                not isinstance(call.func, ast.Attribute) or \
                call.func.attr != "append" or \
                not isinstance(call.func.value, ast.Name) or \
                call.func.value.id not in lists.layers:
            return None
        return call.func.value.id, call.args[0]

    def split_layer_list(self, stmt):
        """`ds = [Dense(4), Dense(3)]` of a Functional graph as one
        statement per layer, `ds$0 = Dense(4)`, `ds$1 = Dense(3)`, then
        `ds = [ds$0, ds$1]`: each layer is then a name of the graph, called
        as `ds[0](x)` or in `for d in ds` (GraphLists reads `ds[0]` as
        `ds$0`), made once, in Python's order (Keras's names count it);
        None for another statement."""
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or \
                not isinstance(stmt.targets[0], ast.Name) or \
                not self.makes_layer_list(stmt.value):
            return None
        name = stmt.targets[0].id
        out = []
        for k, elt in enumerate(stmt.value.elts):
            out.append(ast.fix_missing_locations(ast.copy_location(
                ast.Assign(targets=[ast.copy_location(
                    ast.Name(id=layer_item(name, k), ctx=ast.Store()), elt)],
                    value=elt), elt)))
        out.append(ast.fix_missing_locations(ast.copy_location(ast.Assign(
            targets=stmt.targets, value=ast.copy_location(ast.List(
                elts=[ast.copy_location(ast.Name(id=layer_item(name, k),
                                                 ctx=ast.Load()), e)
                      for k, e in enumerate(stmt.value.elts)],
                ctx=ast.Load()), stmt.value)), stmt)))
        return out

    def append_layer(self, stmt, lists):
        """`ds.append(Dense(3))` of a list of layers (split_layer_list): the
        layer bound to a name of its own first (`ds$2 = Dense(3)`, then
        `ds.append(ds$2)`), which `ds[2]` and the loops over `ds` read;
        a layer of the graph's names (`ds.append(d)`) is read as that
        name: (the statements, the list's name, its layers' names). None
        for another statement."""
        appended = self.layer_appended(stmt, lists)
        if appended is None:
            return None
        name, arg = appended
        names = list(lists.layers[name])
        if isinstance(arg, ast.Name):
            out = [stmt]
            names.append(arg.id)
        elif self.makes_layer(arg):
            item = layer_item(name, len(names))
            made = ast.fix_missing_locations(ast.copy_location(ast.Assign(
                targets=[ast.copy_location(
                    ast.Name(id=item, ctx=ast.Store()), arg)],
                value=arg), arg))
            renamed = copy.copy(stmt)
            renamed.value = copy.copy(stmt.value)
            renamed.value.args = [ast.copy_location(
                ast.Name(id=item, ctx=ast.Load()), arg)]
            out = [made, renamed]
            names.append(item)
        else:
            return None
        return out, name, names

    def refuse_aliased_lists(self, statements, graph, read):
        """A list of a Functional graph is read with the changes made to it
        through its own name (`outs.append(h)`, `outs[0] = h`); where the
        statements use it otherwise (`alias = outs`, `[outs]`, `add =
        outs.append`, `list.append(outs, h)`, a function of the file given
        it), it could change where the graph does not see it: a
        SourceError at that statement, for each such name of `graph` the
        model reads (`read`). The uses allowed: a method called on it, an
        item of it, a loop over it, unpacking it, and an argument of a
        TensorFlow, Keras or numpy function, of a layer or model of the
        graph, or of len, enumerate, zip, reversed, list, tuple."""
        module = self.module
        lists = set()
        for node in statements:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and \
                    isinstance(node.value, (ast.List, ast.ListComp, ast.Dict,
                                            ast.DictComp, ast.Set)):
                targets = node.targets if isinstance(node, ast.Assign) \
                    else [node.target]
                lists |= {t.id for t in targets if isinstance(t, ast.Name)}
            # (`d.trainable = False` freezes a layer: no list changes.)
            if not (isinstance(node, ast.Assign) and all(
                    isinstance(t, ast.Attribute) and t.attr == "trainable"
                    for t in node.targets)):
                lists |= changed_in_place(node)
        lists &= graph & read
        readers = {"len", "enumerate", "zip", "reversed", "list", "tuple"}

        def reads_only(call):
            """Whether `call` reads its arguments without keeping them."""
            func = call.func
            if isinstance(func, ast.Call):
                return True  # a layer made and applied: Dense(2)(outs)
            name = module.qualify(func) or ""
            if name.split(".")[0] in ("tensorflow", "keras", "numpy",
                                      "tf_keras"):
                return True
            return isinstance(func, ast.Name) and (
                func.id in readers and func.id not in module.functions or
                func.id in graph and func.id not in module.functions or
                func.id in module.models)
        for node in statements:
            parents = {}
            for parent in ast.walk(node):
                for child in ast.iter_child_nodes(parent):
                    parents[id(child)] = parent
            for sub in ast.walk(node):
                if not (isinstance(sub, ast.Name) and sub.id in lists and
                        isinstance(sub.ctx, ast.Load)):
                    continue
                up = parents.get(id(sub))
                if isinstance(up, ast.Starred):
                    up = parents.get(id(up))  # `[*outs, h]` copies it
                    if isinstance(up, (ast.List, ast.Tuple)):
                        continue
                allowed = (
                    isinstance(up, ast.Attribute) and
                    isinstance(parents.get(id(up)), ast.Call) and
                    parents[id(up)].func is up) or \
                    (isinstance(up, ast.Subscript) and up.value is sub) or \
                    (isinstance(up, ast.For) and up.iter is sub) or \
                    (isinstance(up, ast.Assign) and up.value is sub and all(
                        isinstance(t, (ast.Tuple, ast.List))
                        for t in up.targets)) or \
                    (isinstance(up, ast.Call) and sub in up.args and
                     reads_only(up))
                if not allowed:
                    raise SourceError(node, f"the list '{sub.id}' of the "
                                      "graph is used here otherwise than "
                                      f"through its own name ({sub.id}"
                                      f".append(...), {sub.id}[i], a "
                                      "TensorFlow or layer call of it): "
                                      "predict reads a graph's list with "
                                      "the changes made through that name "
                                      "only; use it so")

    def keras_names(self, statements, maker_class):
        """Keras's automatic name of each layer and model that the module's
        `statements` (straight-lined) make, in the order Python makes them:
        Keras counts per snake_case class name across the program (`dense`,
        `dense_1`, ...; a layer given name= is not counted), including the
        layers a model class's __init__ makes and those of a Sequential.
        {maker key: name}, or {maker key: (None, why)} for a maker after one
        whose count predict cannot follow (one in a comprehension, a loop,
        a function called, or one arm of a conditional)."""
        module = self.module
        names, counts, lost = {}, {}, {}

        def base_of(cls):
            return keras_snake_case(KERAS_ALIASES.get(cls, cls))

        def uncountable(node, why):
            for sub in ast.walk(node):
                cls = maker_class(sub)
                if cls and not any(kw.arg == "name" for kw in sub.keywords):
                    lost.setdefault(base_of(cls), why)
                if isinstance(sub, ast.Call) and \
                        isinstance(sub.func, ast.Name) and \
                        sub.func.id in module.functions:
                    uncountable(module.functions[sub.func.id], why)

        def made(node, cls):
            base = base_of(cls)
            key = getattr(node, "_layer_key", id(node))
            if base in lost:
                names[key] = (None, lost[base])
                return
            k = counts.get(base, 0)
            counts[base] = k + 1
            names[key] = base if k == 0 else f"{base}_{k}"

        def visit(node):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                 ast.Lambda)):
                # Its body runs later, if at all; its decorators and
                # defaults run now.
                for d in getattr(node, "decorator_list", []) + \
                        node.args.defaults + \
                        [d for d in node.args.kw_defaults if d]:
                    visit(d)
                return
            if isinstance(node, ast.ClassDef):
                for part in node.decorator_list + node.bases + node.body:
                    visit(part)
                return
            if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp,
                                 ast.GeneratorExp, ast.For, ast.While)):
                return uncountable(node, "a layer of its class is made in a "
                                   f"loop at line {node.lineno} that is not "
                                   "unrolled at import")
            if isinstance(node, ast.IfExp) or isinstance(node, ast.If):
                return uncountable(node, "a layer of its class is made in "
                                   f"one arm of the `if` at line "
                                   f"{node.lineno}")
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                if node.value is not None:
                    visit(node.value)
                return
            if not isinstance(node, ast.Call):
                for child in ast.iter_child_nodes(node):
                    visit(child)
                return
            # A call: its function, then its arguments, then the call.
            visit(node.func)
            for a in node.args:
                visit(a)
            for kw in node.keywords:
                visit(kw.value)
            cls = maker_class(node)
            if isinstance(node.func, ast.Name) and \
                    node.func.id in module.functions:
                uncountable(module.functions[node.func.id], "a layer of "
                            f"its class is made by '{node.func.id}()' at "
                            f"line {node.lineno}")
            if cls is None:
                return
            if not any(kw.arg == "name" for kw in node.keywords):
                made(node, cls)
            if cls in module.classes:
                # A model class: its __init__ makes its layers (after the
                # model itself is named, in super().__init__()).
                for c in reversed(module.mro(module.classes[cls])):
                    for item in c.body:
                        if isinstance(item, ast.FunctionDef) and \
                                item.name == "__init__":
                            for stmt in item.body:
                                visit(stmt)
        for node in statements:
            visit(node)
        return names

    @staticmethod
    def not_known(error, node, what):
        """Why `node` (`what` of a statement) was not decided at import."""
        if isinstance(error, NotKnown):
            return (f"{what}, '{ast.unparse(node)}', is not known at import "
                    f"('{ast.unparse(error.node)}' is not a constant)")
        return f"{what}, '{ast.unparse(node)}': {error}"

    def functional(self, var, call, scope, init=None):
        """`tf.keras.Model(inputs, outputs)` of a graph the module builds
        before it (`x = tf.keras.Input(shape=(4,))`, `h = Dense(8)(x)`, ...):
        a model whose layers are those the graph calls, named as Keras names
        them (`dense`, `dense_1`, ... by class, or their `name=`), and whose
        `call` runs the statements that make the outputs from the input, in
        their order, each layer call made `self.<layer>(...)`. `init`: the
        statements of the model's `__init__` before the call, when the graph
        is built there (`self.body = tf.keras.Model(...)`,
        `super().__init__(inputs, outputs)`): the graph is theirs, its
        layers named by counting those this __init__ makes (the names Keras
        3's saving_lib keys a model's layers by), the __init__'s parameters
        and known locals read as their values."""
        module = self.module
        where = "in __init__" if init is not None else "at module level"
        if init is not None:
            before, made_in, call = self.init_graph(init, call, scope)
        else:
            before, made_in = self.module_graph(call, scope)
        # `d.trainable = False` (freezing a layer for training) changes no
        # value the graph computes.
        before = [stmt for stmt in before if not (
            isinstance(stmt, ast.Assign) and all(
                isinstance(t, ast.Attribute) and t.attr == "trainable"
                for t in stmt.targets))]
        given = dict(zip(("inputs", "outputs"), call.args))
        for kw in call.keywords:
            if kw.arg in ("inputs", "outputs"):
                given[kw.arg] = kw.value
            elif kw.arg is None and init is not None and \
                    isinstance(kw.value, ast.Name) and \
                    kw.value.id not in scope.locals:
                continue  # the __init__'s **kwargs: name=, trainable=
            elif kw.arg not in ("name", "trainable"):
                raise SourceError(kw.value, f"tf.keras.Model's '{kw.arg}=' "
                                  "is not converted (give inputs, outputs "
                                  "and name=)")
        if len(call.args) > 2 or set(given) != {"inputs", "outputs"}:
            raise SourceError(call, "a Functional model is converted from "
                              "tf.keras.Model(inputs, outputs), both given")
        # Outputs that call a function of the file (`Model(x, block(h,
        # 8))`): each output bound to a name first, by a statement after
        # the graph's, whose calls are inlined as the graph's are (Python
        # makes the helper's layers there, after the graph's).
        entries = {fn.name for fn in module.entries()}
        if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and
               n.func.id in module.functions and n.func.id not in entries
               for n in ast.walk(given["outputs"])):
            listed = isinstance(given["outputs"], (ast.List, ast.Tuple))
            items = given["outputs"].elts if listed else [given["outputs"]]
            names, hoisted = [], []
            for k, item in enumerate(items):
                name = f"$output{k}"
                hoisted += self.straight_line([ast.fix_missing_locations(
                    ast.copy_location(ast.Assign(
                        targets=[ast.copy_location(
                            ast.Name(id=name, ctx=ast.Store()), item)],
                        value=copy.deepcopy(item)), item))], scope)
                names.append(ast.copy_location(
                    ast.Name(id=name, ctx=ast.Load()), item))
            # Each call made here is a layer of its own (the helper's body,
            # copied per call, carries the key of the `def` it came from).
            for stmt in hoisted:
                for sub in ast.walk(stmt):
                    if isinstance(sub, ast.Call):
                        sub._layer_key = id(sub)
            # (Kept alive: their ids are the layers' keys.)
            module.init_graphs.append(hoisted)
            before = before + hoisted
            given["outputs"] = ast.copy_location(ast.List(
                elts=names, ctx=ast.Load()), given["outputs"]) if listed \
                else names[0]

        def names(node, what):
            elts = node.elts if isinstance(node, (ast.List, ast.Tuple)) \
                else [node]
            if not elts or not all(isinstance(e, ast.Name) for e in elts):
                raise SourceError(node, f"tf.keras.Model's {what} are "
                                  "converted as names of the graph built "
                                  f"{where} (a name, or a list of them)")
            return [e.id for e in elts]
        inputs = names(given["inputs"], "inputs")
        if len(set(inputs)) != len(inputs):
            raise SourceError(given["inputs"], "tf.keras.Model's inputs "
                              "name one input twice")
        # The outputs: names of the graph, or expressions of them.
        result = given["outputs"]
        results = result.elts if isinstance(result, (ast.List, ast.Tuple)) \
            else [result]
        if not results:
            raise SourceError(given["outputs"], "tf.keras.Model is given no "
                              "output")
        outputs = [n.id for r in results for n in ast.walk(r)
                   if isinstance(n, ast.Name)]

        def maker_class(node):
            """The Keras class of a layer or model that `node` makes (a
            layer, a Sequential, a model class of the module); None for
            another expression."""
            if not isinstance(node, ast.Call):
                return None
            if isinstance(node.func, ast.Name) and \
                    node.func.id in module.classes and \
                    module.is_model_class(module.classes[node.func.id]):
                return node.func.id
            name = module.qualify(node.func) or ""
            if name.startswith(LAYER_PREFIXES) or name in SEQUENTIAL:
                return name.rsplit(".", 1)[1]
            return None

        def single_target(node):
            return isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name)

        def made_at(at):
            """The statement that makes the layer statement `at` binds:
            itself (`d = Dense(2)`), or, through other names of it (`e =
            d`), the one that made it; None for another statement."""
            seen = set()
            while at is not None and at not in seen and \
                    single_target(before[at]):
                seen.add(at)
                value = before[at].value
                if maker_class(value):
                    return at
                if not isinstance(value, ast.Name):
                    return None
                at = reads[at].get(value.id)
            return None
        # Each statement's bindings and, for each name it reads, the
        # statement that bound it last: a name bound twice
        # (`x = Dense(8)(x)`) is two values, each read where it stands.
        # A statement that changes a name's value in place
        # (`outs.append(h)`, `outs[0] = h`) reads it and makes a new
        # version of it.
        simple = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)
        latest, reads = {}, []
        for node in before:
            loaded = {n.id for n in ast.walk(node)
                      if isinstance(n, ast.Name) and
                      isinstance(n.ctx, ast.Load)}
            if isinstance(node, ast.AugAssign) and \
                    isinstance(node.target, ast.Name):
                loaded.add(node.target.id)
            reads.append({n: latest[n] for n in loaded if n in latest})
            for n in ast.walk(node):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    latest[n.id] = len(reads) - 1
            for n in changed_in_place(node):
                latest[n] = len(reads) - 1
        # The graph's names: those the module binds, but for a constant
        # the converted code reads as it is (`UNITS = 8`), a model of the
        # module (called as the model itself, its layers shared), a class,
        # a function and an import.
        bound = {n.id for node in
                 (module.tree.body if init is None else []) + before
                 if not isinstance(node, (ast.FunctionDef, ast.ClassDef))
                 for n in ast.walk(node)
                 if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        # (An __init__'s names are its own: they hide the module's.)
        graph = bound if init is not None else \
            bound - set(self.constants()) - set(module.models) \
            - set(module.classes) - set(module.functions) - \
            set(module.imports)
        for name in inputs:
            made = latest.get(name)
            if made is None or not single_target(before[made]) or \
                    not isinstance(before[made].value, ast.Call) or \
                    module.qualify(before[made].value.func) \
                    not in INPUT_MAKERS:
                raise SourceError(given["inputs"], f"'{name}' is not made "
                                  f"by tf.keras.Input(...) {where} "
                                  "before the model")
        input_at = {latest[name]: name for name in inputs}
        made = before[latest[inputs[0]]]
        # The statements the outputs need, from the outputs back to the
        # inputs; a name a layer is assigned to is that layer (called
        # again, it is shared).
        final = {n: latest.get(n) for n in outputs if n in graph}
        needed, known, todo = set(), {}, list(final.items())
        # A model of the module the graph calls is the one bound when the
        # graph is built: one binding, or the converted call could not
        # tell which.
        called = dict(final)
        while todo:
            name, at = todo.pop()
            if at is None:
                raise SourceError(given["outputs"], f"'{name}' is not "
                                  f"assigned {where} before the "
                                  "model: a Functional model's graph is "
                                  "the statements from "
                                  "tf.keras.Input to tf.keras.Model")
            if at in needed or at in input_at:
                continue
            node = before[at]
            if not isinstance(node, simple):
                kind = type(node).__name__.lower()
                why = module.kept.get(id(node))
                raise SourceError(node, f"'{name}' is bound by this {kind} "
                                  "statement, which a Functional graph is "
                                  "not converted from" +
                                  (f" ({why})" if why else "") +
                                  ": the graph is the module's assignments "
                                  "(a `for` over values known at import and "
                                  "an `if` on a known condition are "
                                  "unrolled); write the layers out, or "
                                  "build the model as a subclass of "
                                  "tf.keras.Model")
            if id(node) in module.not_inlined:
                raise module.not_inlined[id(node)]
            if single_target(node) and isinstance(node.value, ast.Call) \
                    and module.qualify(node.value.func) in INPUT_MAKERS:
                raise SourceError(node, f"'{name}' is a tf.keras.Input that "
                                  "is not among the model's inputs (Keras "
                                  "raises: the graph is disconnected); "
                                  "give it in tf.keras.Model(inputs=[...])")
            if single_target(node) and (maker_class(node.value) or
                                        made_at(at) is not None):
                # A layer object (or another name of one, `e = d`), made
                # where it is called (with the values its arguments read).
                todo += [(n, j) for n, j in reads[at].items() if n in graph]
                continue
            if single_target(node):
                # A value known at import (`SCALE = 2.0` bound twice, a
                # loop's variable after it): its literal where it is read.
                try:
                    value = scope.evaluate(node.value)
                    # (A list is one object its changes are made to.)
                    if not isinstance(value, (list, dict, set)):
                        known[at] = value_node(value, node.value)
                        continue
                except (NotKnown, SourceError, RecursionError, TypeError):
                    pass
            needed.add(at)
            todo += [(n, j) for n, j in reads[at].items() if n in graph]
            called.update(reads[at])
        self.refuse_aliased_lists(before, graph, set(called) | set(outputs))
        for name in set(called) | set(outputs):
            if name in module.models and \
                    module.binding_counts.get(name, 0) > 1:
                raise SourceError(given["outputs"], f"the graph of '{var}' "
                                  f"calls the model '{name}', which the "
                                  "module binds more than once: give each "
                                  "model a name of its own")
        # Each layer once, named as Keras names it.
        auto_names = self.keras_names(
            before + [made_in], maker_class)
        attributes, attr_of = [], {}

        def add_layer(maker):
            key = getattr(maker, "_layer_key", id(maker))
            if key in attr_of:
                return attr_of[key]
            owner = module.layer_owner.setdefault(key, var)
            if owner != var:
                raise SourceError(maker, f"this layer is in the graphs of "
                                  f"two models, '{owner}' and '{var}': "
                                  "Keras shares its weights between them, "
                                  "which predict does not convert (each "
                                  "model would get weights of its own); "
                                  f"call '{owner}' in the graph of '{var}' "
                                  f"(h = {owner}(x)) instead of its layers")
            named = next((kw.value for kw in maker.keywords
                          if kw.arg == "name"), None)
            if named is not None:
                try:
                    named = scope.evaluate(named)
                except NotKnown:
                    named = None
                if not isinstance(named, str):
                    raise SourceError(maker, "a layer's name= is converted "
                                      "when it is a string known at import")
            else:
                named = auto_names.get(key, "")
                if not isinstance(named, str) or not named:
                    why = named[1] if isinstance(named, tuple) else \
                        "it is not made where the module's statements run"
                    raise SourceError(maker, "Keras names this layer by "
                                      "counting the layers of its class made "
                                      "before it, which predict cannot count "
                                      f"here ({why}): give it a name with "
                                      "name=")
            if named in attr_of.values():
                raise SourceError(maker, f"two layers of one Functional "
                                  f"model are named '{named}' (Keras "
                                  "raises: layer names must be unique in a "
                                  "model); name one of them with name=")
            made = self.made_object(named, maker, scope)
            if made is None:
                raise SourceError(maker, f"'{ast.unparse(maker)}' is not a "
                                  "layer predict converts")
            attributes.append(made)
            attr_of[key] = named
            return named
        self_name = lambda at: ast.copy_location(
            ast.Name(id="self", ctx=ast.Load()), at)

        class Calls(ast.NodeTransformer):
            """A statement's layer calls made `self.<layer>(...)`, each
            name of a layer read as bound where the statement stands."""
            def __init__(self, bound):
                self.bound = bound

            def visit_Name(self, node):
                at = self.bound.get(node.id)
                if isinstance(node.ctx, ast.Load) and node.id in graph and \
                        at in known:
                    return ast.copy_location(copy.deepcopy(known[at]), node)
                return node

            def visit_Call(self, node):
                # TimeDistributed(d) of a layer d of the graph wraps that
                # layer (Keras shares it with d's own calls).
                if maker_class(node) == "TimeDistributed":
                    inner = node.args[0] if node.args else next(
                        (kw.value for kw in node.keywords
                         if kw.arg == "layer"), None)
                    if isinstance(inner, ast.Name) and inner.id in graph \
                            and self.bound.get(inner.id) is not None:
                        at = made_at(self.bound[inner.id])
                        if at is not None:
                            node._td_target = add_layer(
                                Calls(reads[at]).visit(
                                    copy.deepcopy(before[at].value)))
                maker = node.func
                if isinstance(maker, ast.Name) and maker.id in graph and \
                        self.bound.get(maker.id) is not None:
                    at = made_at(self.bound[maker.id])
                    if at is not None:
                        # Made with the values known where it stands.
                        maker = Calls(reads[at]).visit(
                            copy.deepcopy(before[at].value))
                self.generic_visit(node)
                if not maker_class(maker):
                    return node
                node.func = ast.copy_location(ast.Attribute(
                    value=self_name(node.func), attr=add_layer(maker),
                    ctx=ast.Load()), node.func)
                return node
        body = [Calls(reads[at]).visit(copy.deepcopy(before[at]))
                for at in sorted(needed)]
        # Each input as its tf.keras.Input declares it: converted to its
        # dtype (Keras 3 converts a Functional model's inputs), its shape
        # checked (Keras raises ValueError for another).
        for name in reversed(inputs):
            checked = self.input_check(name, before[latest[name]].value)
            body[0:0] = checked
        # The parameter is Keras's (`Functional.call(inputs, training=None,
        # mask=None)`: `fun(inputs=x)`). Several inputs come as one list
        # (`model([a, b])`), unpacked in their order; several outputs go as
        # a tuple (`y, z = model(x)`).
        param = FUNCTIONAL_INPUTS
        if len(inputs) == 1 and inputs[0] != param:
            body.insert(0, ast.copy_location(ast.Assign(
                targets=[ast.copy_location(ast.Name(
                    id=inputs[0], ctx=ast.Store()), given["inputs"])],
                value=ast.copy_location(ast.Name(id=param, ctx=ast.Load()),
                                        given["inputs"])), given["inputs"]))
        if len(inputs) > 1:
            body.insert(0, ast.copy_location(ast.Assign(
                targets=[ast.copy_location(ast.Tuple(
                    elts=[ast.copy_location(ast.Name(id=n, ctx=ast.Store()),
                                            given["inputs"])
                          for n in inputs], ctx=ast.Store()),
                    given["inputs"])],
                value=ast.copy_location(ast.Name(id=param, ctx=ast.Load()),
                                        given["inputs"])), given["inputs"]))
        returned = [Calls(latest).visit(copy.deepcopy(r))
                    for r in results]
        body.append(ast.copy_location(ast.Return(
            value=returned[0] if len(returned) == 1 else
            ast.copy_location(ast.Tuple(elts=returned, ctx=ast.Load()),
                              given["outputs"])), call))
        for stmt in body:
            ast.fix_missing_locations(stmt)
        at = loc_json(call)
        method = {"name": "call", "loc": at,
                  "params": [{"name": "self", "loc": at, "annotation": None},
                             {"name": param, "loc": loc_json(made),
                              "annotation": None}] +
                  self.keras_call_flags(at),
                  "defaults": self.keras_call_defaults(call),
                  "body": self.node(body)}
        return {"name": var, "class": "Functional", "loc": at,
                "class_loc": at, "attributes": attributes,
                "methods": [method], "inputs": len(inputs)}

    def module_graph(self, call, scope):
        """The module's statements before the Functional model `call`, as
        Python runs them when it builds the graph (loops over known values
        unrolled, branches on known conditions decided), and the statement
        that holds `call`."""
        module, before = self.module, []
        for i, node in enumerate(module.tree.body):
            if any(sub is call for sub in ast.walk(node)):
                # A comprehension over a graph's list in the model's own
                # statement (`Model(x, [o + 1 for o in outs])`), written
                # out as in the statements before it; then each call
                # written out is a layer of its own (`[Dense(4)(x) for _
                # in range(2)]` makes two).
                lists = getattr(scope, "graph_lists", None)
                expanded = lists.expand(node, scope) if lists else node
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Call) and \
                            not hasattr(sub, "_layer_key"):
                        sub._layer_key = id(sub)
                for sub in ast.walk(expanded):
                    if isinstance(sub, ast.Call) and \
                            not hasattr(sub, "_layer_key"):
                        sub._layer_key = id(sub)
                return before, expanded
            if i not in module.straight:
                module.straight[i] = self.straight_line([node], scope)
                for stmt in module.straight[i]:
                    for sub in ast.walk(stmt):
                        if isinstance(sub, ast.Call):
                            # (Copies of the statement keep it.)
                            sub._layer_key = id(sub)
            before += module.straight[i]
        raise SourceError(call, "the program's model is not made by a "
                          "statement of the module")

    def init_graph(self, init, call, scope):
        """A Functional graph built in an __init__ (`init`: its statements
        before `call`, the tf.keras.Model(...) or super().__init__(...)
        call, and the statement that holds it), copied for this instance
        (each instance's layers are its own), after an assignment of each
        parameter's value known at import (`units = 8`), which the graph
        reads as its own names: (statements, the statement of the call,
        the call)."""
        statements, holder = init
        for arg in call.args + [kw.value for kw in call.keywords]:
            self.mark_graph_layers(arg, scope)
        # Each statement as Python runs it (the file's functions it calls
        # inlined, `a if c else b` on a known `c` decided), once for all
        # graphs of this __init__.
        copies = []
        for stmt in statements:
            if id(stmt) not in scope.graph_copies:
                scope.graph_copies[id(stmt)] = self.straight_line(
                    [copy.deepcopy(stmt)], scope)
            copies += scope.graph_copies[id(stmt)]
        # (Its items of a graph's lists and lists of layers written out, as
        # the statements' are: `ds[1](h)` the layer's name.)
        lists = getattr(scope, "graph_lists", None)
        copies.append(lists.expand(copy.deepcopy(holder), scope) if lists
                      else copy.deepcopy(holder))
        # (The holder is the statement `call` is the value of: the
        # super().__init__(...) expression, or one made of the call.)
        made_in = copies[-1]
        copied = made_in.value
        for stmt in copies:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Call) and \
                        not hasattr(sub, "_layer_key"):
                    sub._layer_key = id(sub)
        # (Kept alive: their ids are the layers' keys.)
        self.module.init_graphs.append(copies)
        reads_self = [n for stmt in copies[:-1] + copied.args +
                      [kw.value for kw in copied.keywords]
                      for n in ast.walk(stmt) if isinstance(n, ast.Name)
                      and n.id == "self"]
        if reads_self:
            raise SourceError(reads_self[0], "a Functional graph built in "
                              "__init__ is converted from its own layers: "
                              "'self' is not read in it (make the layer "
                              "in the graph, h = Dense(8)(x), or call the "
                              "model's layers in call)")
        params = []
        for name in list(scope.given) + list(scope.defaults):
            at = ast.copy_location(ast.Name(id=name, ctx=ast.Load()), call)
            try:
                value = value_node(scope.evaluate(at), call)
            except (NotKnown, SourceError, RecursionError, TypeError):
                continue  # (a layer, a model: not read as a value)
            params.append(ast.fix_missing_locations(ast.copy_location(
                ast.Assign(targets=[ast.copy_location(
                    ast.Name(id=name, ctx=ast.Store()), call)], value=value),
                call)))
        return params + copies[:-1], made_in, copied

    def unchanged_models(self, tree):
        """An error where a model of the module is changed after it is
        built (ModelChanges); the calls that set a model's weights, in
        `weight_loads`."""
        self.weight_loads = ModelChanges(self.module).check(tree)

    def model(self, var, class_name, call, caller=None):
        if class_name is None:
            return self.sequential(var, call, self.module.module_scope)
        if class_name == FUNCTIONAL:
            return self.functional(var, call, self.module.module_scope)
        cls = self.module.classes[class_name]
        if not self.module.is_model_class(cls):
            raise SourceError(cls, f"class '{class_name}' does not derive "
                              "from tf.keras.Model or tf.keras.layers.Layer")
        chain = self.module.mro(cls)
        # The definition of each name in the first class along the chain
        # that has one, as Python looks a method up: in a class, the last
        # `def` of the name (a property's setter aside).
        found = {}
        for position, c in enumerate(chain):
            for name, f in own_methods(c).items():
                found.setdefault(name, (position, f))
        # `m(x)` runs type(m).__call__: one of the file's replaces Keras's
        # (helper-129: it was ignored for call).
        if "__call__" in found:
            raise SourceError(found["__call__"][1], f"'{class_name}' "
                              "defines __call__, which replaces Keras's "
                              "(the one that runs call): predict does not "
                              "convert it; put its computation in call")
        # The class bodies first, as Python runs them before any instance
        # is made (their attributes, and the defaults of their methods,
        # __init__'s too). (A class attribute the methods never read is
        # left alone.)
        read = {n.attr for c in chain if isinstance(c, ast.ClassDef)
                for n in ast.walk(c) if isinstance(n, ast.Attribute) and
                (isinstance(n.value, ast.Name) and n.value.id == "self" or
                 of_own_class(n.value))}
        # (One an instance attribute of the name may replace before it is
        # read need not be a value known at import: a layer there is not
        # an error, as long as no one reads it from the class.)
        stored_at = {}
        for c in chain:
            for n in ast.walk(c):
                if isinstance(n, ast.Attribute) and \
                        isinstance(n.ctx, ast.Store) and \
                        isinstance(n.value, ast.Name) and \
                        n.value.id == "self":
                    stored_at.setdefault(n.attr, n)
        stored = set(stored_at)
        attributes, own_values = [], {}
        for c in reversed(chain):
            own_values[id(c)] = self.module.class_attributes(
                c, attributes, read, stored)
        # Each name is the value of the first class along the chain whose
        # body binds it (a subclass's `def S`, `@property`, or `S = D()`
        # hides a base's `S = 2.0`: helper-139).
        class_values = {}
        for name in sorted({n for v in own_values.values() for n in v} |
                           (stored & read)):
            owner, binding = attribute_owner(chain, name)
            if owner is None:
                continue
            if name in own_values[id(owner)]:
                class_values[name] = own_values[id(owner)][name]
                continue
            # An instance attribute of the name set where the class binds
            # a property (or any decorated function) or a value not known
            # at import (a descriptor, whose __set__ and __get__ Python
            # runs instead of the instance's dict): not what predict
            # would read (helper-139: `self.scale = 5.0` under a property
            # read 5.0).
            # (A Keras layer, a TensorFlow or numpy object made there is no
            # descriptor: an instance attribute replaces it. Another
            # library's may be: `abc.abstractproperty(get, set)`.)
            made_by = self.module.qualify(binding.value.func) \
                if isinstance(binding, (ast.Assign, ast.AnnAssign)) and \
                isinstance(binding.value, ast.Call) else None
            descriptor = isinstance(binding, (ast.FunctionDef,
                                              ast.AsyncFunctionDef)) and \
                binding.decorator_list or \
                isinstance(binding, (ast.Assign, ast.AnnAssign)) and \
                name in read and not (
                    made_by is not None and
                    made_by.split(".")[0] in ("tensorflow", "keras",
                                              "numpy"))
            if name in stored and descriptor:
                what = "a decorated function (a property?)" if \
                    isinstance(binding, (ast.FunctionDef,
                                         ast.AsyncFunctionDef)) else \
                    "a value not known at import (a descriptor?)"
                raise SourceError(stored_at[name], f"'self.{name}' is set "
                                  f"where class '{owner.name}' binds "
                                  f"'{name}' to {what}, which Python may "
                                  "run instead of setting and reading the "
                                  "instance's attribute: predict does not "
                                  "run properties or descriptors; name the "
                                  "instance attribute otherwise")
        attributes[:] = [a for a in attributes if a["attr"] in class_values]
        for name, value in sorted(class_values.items()):
            shared = self.module.shared_class_value(value, name)
            if shared is not None:
                raise self.module.shared_error(shared, f"{class_name}.{name}")
        # A class attribute read is the value the class body gives it: not
        # where code may reach the class otherwise (helper-135: `patch(Net)`
        # setting `cls.SCALE`).
        changed = next((c for c in chain
                        if c.name in self.module.class_setattr), None)
        if class_values and changed is not None:
            name = sorted(class_values)[0]
            at = self.module.class_setattr[changed.name]
            raise SourceError(at, "'" + shortened(
                ast.unparse(at).splitlines()[0], 60) + "' may change the "
                              f"attributes of class '{changed.name}', and "
                              f"'{class_name}' reads its class attribute "
                              f"'{name}' (self.{name}) as the class body "
                              "gives it: set the value in __init__ "
                              f"(self.{name} = ...)")
        escape = next((self.module.class_escapes[c.name] for c in chain
                       if c.name in self.module.class_escapes), None)
        if class_values and escape is not None:
            name = sorted(class_values)[0]
            raise SourceError(escape, "'" + shortened(
                ast.unparse(escape).splitlines()[0], 60) + "' may reach a "
                              "class of the model where predict cannot follow "
                              "what is done to it, and "
                              f"'{class_name}' reads its class attribute "
                              f"'{name}' (self.{name}) as the class body "
                              "gives it: set the value in __init__ "
                              f"(self.{name} = ...), or use the class by "
                              "its name only")
        position, init = found.get("__init__", (0, None))
        given, defaults = self.module.init_params(init, call) if init \
            else ({}, {})
        # The instantiation's arguments evaluate where it is (the module,
        # or the __init__ of the model that holds this one).
        scope = BuildScope(self.module, given, defaults, caller,
                           has_self=True)
        scope.attrs.update(class_values)
        scope.class_attrs = dict(class_values)
        self.holding.append(class_name)
        self.init_statements(init.body if init else [], scope, attributes,
                             chain, position)
        self.holding.pop()
        inputs = None
        if scope.functional is not None:
            # super().__init__(inputs, outputs): Keras's Functional
            # subclass, whose call runs the graph.
            made, statements, stmt, where = scope.functional
            if "call" in found:
                raise SourceError(found["call"][1], f"'{class_name}' is a "
                                  "Functional model (super().__init__("
                                  "inputs, outputs)) that defines call, "
                                  "which predict does not convert: call "
                                  "the graph's model from a subclass "
                                  "(self.body = tf.keras.Model(inputs, "
                                  "outputs)), or leave call to Keras")
            fun = self.functional(var, made, where, init=(statements, stmt))
            taken = {a["attr"] for a in fun["attributes"]}
            clash = next((a for a in attributes if a["attr"] in taken), None)
            if clash is not None:
                raise SourceError(stmt, f"self.{clash['attr']} and a layer "
                                  "of the Functional graph have one name: "
                                  "name the layer with name=")
            attributes[0:0] = fun["attributes"]
            found["call"] = (None, None)
            inputs = fun["inputs"]
        methods, todo, done = [], [(n, p, f) for n, (p, f) in found.items()
                                   if n != "__init__" and f is not None], \
            set()
        if inputs is not None:
            methods += fun["methods"]
        while todo:
            name, position, f = todo.pop(0)
            if (name, position) in done:
                continue
            done.add((name, position))
            body, wanted = self.super_calls(f, chain, position, scope.held)
            out = self.function(f)
            out["name"] = name
            out["body"] = self.node(self.fold_known(body, f, scope.attrs, cls))
            if decorated(f, ("staticmethod",)):
                out["static"] = True  # (no `self`)
            methods.append(out)
            todo.extend(wanted)
        out = {"name": var, "class": class_name, "loc": loc_json(call),
               "class_loc": loc_json(cls), "attributes": attributes,
               "methods": methods}
        if inputs is not None:
            out["inputs"] = inputs
        if self.module.is_layer_class(cls):
            out["layer_class"] = True
        # A class that sets `supports_masking` or defines `compute_mask`:
        # Keras passes its input's mask on (or computes one) to what it
        # returns (helper-145: predict dropped it).
        if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and
               n.name == "compute_mask" or
               isinstance(n, ast.Attribute) and n.attr == "supports_masking"
               and isinstance(n.ctx, ast.Store) or
               isinstance(n, ast.Name) and n.id == "supports_masking" and
               isinstance(n.ctx, ast.Store)
               for c in chain for n in ast.walk(c)):
            out["passes_masks"] = True
        return out

    def super_calls(self, f, chain, position, held):
        """`f`'s body (of chain[position]) with each `super().m(...)` made
        `self.m@Base(...)`, Base the next class of `chain` defining m, and
        each `self.attr` holding a model of the module (`held`: attr ->
        its name) made that name; and the methods so named, as (name,
        position, function)."""
        wanted = []

        def defined(m):
            """The next class of `chain` defining `m`, and its last `def`
            of it (as Python binds it), or None."""
            for later in range(position + 1, len(chain)):
                g = own_methods(chain[later]).get(m)
                if g is not None:
                    return later, g
            return None

        def target(m, node):
            found = defined(m)
            if found is not None:
                return found
            # Keras's own Layer.build, which a custom layer's build calls
            # (it only marks the layer built), and the methods of Keras's
            # that converted code does not call (get_config; compile and
            # the training steps, which a GAN's overrides call, helper-117):
            # left as written.
            if m in ("build", "get_config", "from_config",
                     "compute_output_shape", "compute_mask", "compile",
                     "fit", "train_step", "test_step", "evaluate",
                     "reset_metrics", "summary"):
                return None
            raise SourceError(node, f"super().{m}(...) in "
                              f"'{chain[position].name}': no model class of "
                              f"the file it derives from defines '{m}'")

        class Rewrite(ast.NodeTransformer):
            def visit_Call(self, node):
                # Keras's own predict_step (no class of the file defines
                # one): `self(x, training=False)` on the data, which
                # predict gives as the input (or the list of inputs).
                f = node.func
                if isinstance(f, ast.Attribute) and \
                        f.attr == "predict_step" and \
                        isinstance(f.value, ast.Call) and \
                        isinstance(f.value.func, ast.Name) and \
                        f.value.func.id == "super" and \
                        defined("predict_step") is None and \
                        len(node.args) == 1 and not node.keywords:
                    return ast.copy_location(ast.Call(
                        func=ast.copy_location(
                            ast.Name(id="self", ctx=ast.Load()), f),
                        args=[self.visit(node.args[0])],
                        keywords=[ast.keyword(
                            arg="training",
                            value=ast.copy_location(
                                ast.Constant(value=False), f))]), node)
                return self.generic_visit(node)

            def visit_Attribute(self, node):
                self.generic_visit(node)
                inner = node.value
                if isinstance(inner, ast.Call) and \
                        isinstance(inner.func, ast.Name) and \
                        inner.func.id == "super":
                    # Keras's own Model.predict and predict_on_batch (no
                    # class of the file defines one): `self.predict@Model`,
                    # its batch loop on the class's predict_step or call
                    # (one batch for predict_on_batch).
                    keras_own = node.attr in ("predict", "predict_on_batch")
                    found = None if keras_own and \
                        defined(node.attr) is None else \
                        target(node.attr, node)
                    if found is None and keras_own:
                        name = node.attr + "@Model"
                    elif found is None:
                        return node
                    else:
                        later, g = found
                        name = f"{node.attr}@{chain[later].name}"
                        wanted.append((name, later, g))
                    return ast.copy_location(ast.Attribute(
                        value=ast.copy_location(
                            ast.Name(id="self", ctx=ast.Load()), inner),
                        attr=name, ctx=node.ctx), node)
                if isinstance(inner, ast.Name) and inner.id == "self" and \
                        node.attr in held and \
                        isinstance(node.ctx, ast.Load):
                    return ast.copy_location(
                        ast.Name(id=held[node.attr], ctx=ast.Load()), node)
                return node

        body = [Rewrite().visit(copy.deepcopy(stmt)) for stmt in f.body]
        for stmt in body:
            ast.fix_missing_locations(stmt)
        return body, wanted

    def graph_statement(self, stmt, scope):
        """Records `stmt` as a statement of an __init__'s Functional graph,
        and the local layers (or models) it calls as the graph's: one
        stored on self too would be two objects in predict, where Keras
        has one."""
        scope.statements.append(stmt)
        self.init_lists(scope).track(stmt, scope)
        self.mark_graph_layers(stmt, scope)

    @staticmethod
    def init_lists(scope):
        """The lengths of an __init__ graph's lists as its statements are
        recorded, for the `for` loops over them."""
        lists = getattr(scope, "init_lists", None)
        if lists is None:
            lists = scope.init_lists = GraphLists()
        return lists

    def mark_graph_layers(self, node, scope):
        """Marks the local layers `node` (of a graph in __init__) calls as
        the graph's; an error for one stored on self."""
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and \
                    n.id in scope.local_layers:
                if n.id in scope.local_attr or n.id in scope.shared_locals:
                    raise SourceError(n, GRAPH_AND_SELF.format(n.id))
                scope.graph_layers.add(n.id)

    def in_graph(self, node, scope):
        """Whether `node` (in __init__) is a value of a Functional graph:
        a tf.keras.Input, or an expression reading one of the graph's
        names."""
        return any(isinstance(n, ast.Call) and
                   self.module.qualify(n.func) in INPUT_MAKERS or
                   isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                   and n.id in scope.graph for n in ast.walk(node))

    def is_builtin_call(self, node, name, scope):
        return isinstance(node, ast.Expr) and \
            isinstance(node.value, ast.Call) and \
            isinstance(node.value.func, ast.Name) and \
            node.value.func.id == name and name not in scope.locals and \
            name not in scope.given and name not in scope.defaults and \
            name not in self.module.imports and \
            name not in self.module.functions

    def init_of(self, call, chain, position):
        """`call`, an `X.__init__(...)` statement of the `__init__` of
        chain[position], as the call of the next `__init__` Python runs,
        and the position along `chain` from which it is looked up:
        `super().__init__(...)` the class after this one, `super(C,
        self).__init__(...)` the class after C (helper-142: C's own
        `__init__` ran), `Base.__init__(self, ...)` Base itself (the call
        without `self`), Keras's `tf.keras.Model.__init__(self, ...)` none
        of the file; another receiver is an error."""
        receiver = call.func.value
        names = [c.name for c in chain]
        if isinstance(receiver, ast.Call) and \
                isinstance(receiver.func, ast.Name) and \
                receiver.func.id == "super":
            if not receiver.args:
                return call, position + 1
            named = receiver.args[0]
            if isinstance(named, ast.Name) and named.id in names and \
                    len(receiver.args) == 2 and \
                    isinstance(receiver.args[1], ast.Name) and \
                    receiver.args[1].id == "self":
                return call, names.index(named.id) + 1
            if self.module.qualify(named) in MODEL_BASES | LAYER_BASES:
                return call, len(chain)
            raise SourceError(receiver, f"'{ast.unparse(receiver)}' is not "
                              "converted: write super().__init__(...) or "
                              "super(C, self) of a class C the model "
                              "derives from")
        explicit = None
        if isinstance(receiver, ast.Name) and receiver.id in names:
            explicit = names.index(receiver.id)
        elif self.module.qualify(receiver) in MODEL_BASES | LAYER_BASES:
            explicit = len(chain)
        if explicit is None:
            raise SourceError(call.func, f"'{ast.unparse(call.func)}' is not "
                              "converted: write super().__init__(...)")
        if not (call.args and isinstance(call.args[0], ast.Name) and
                call.args[0].id == "self"):
            raise SourceError(call, f"'{ast.unparse(call.func)}' is called "
                              "without self first: write "
                              f"{ast.unparse(call.func)}(self, ...)")
        rest = ast.copy_location(ast.Call(func=call.func, args=call.args[1:],
                                          keywords=call.keywords), call)
        return rest, explicit

    def init_statements(self, body, scope, attributes, chain=(),
                        position=0):
        """What `__init__` does, statement by statement, as Python runs it
        when the model is built: each layer, model, constant or value it
        stores on self is appended to `attributes`; its local names and
        `if`s on known values are followed; `super().__init__(...)` runs
        the `__init__` of the model class of the file it derives from
        (chain[position] is the class whose `__init__` this is)."""
        for stmt in body:
            if isinstance(stmt, ast.Expr) and \
                    isinstance(stmt.value, ast.Call) and \
                    isinstance(stmt.value.func, ast.Attribute) and \
                    stmt.value.func.attr == "__init__":
                call, first = self.init_of(stmt.value, chain, position)
                base = next(((later, f) for later in
                             range(first, len(chain))
                             for f in chain[later].body
                             if isinstance(f, ast.FunctionDef) and
                             f.name == "__init__"), None)
                functional = any(not isinstance(a, ast.Starred)
                                 for a in call.args) or any(
                    kw.arg in ("inputs", "outputs")
                    for kw in call.keywords)
                if base is None and functional:
                    # Keras's Functional subclass: the model is the graph.
                    scope.functional = (call, list(scope.statements),
                                        stmt, scope)
                    continue
                if base is not None:
                    later, init = base
                    given, defaults = self.module.init_params(init, call)
                    inner = BuildScope(self.module, given, defaults, scope,
                                       has_self=True)
                    inner.attrs = scope.attrs  # one self
                    inner.fresh_lists = scope.fresh_lists
                    inner.layer_counts = scope.layer_counts
                    inner.held = scope.held
                    self.init_statements(init.body, inner, attributes,
                                         chain, later)
                    scope.functional = inner.functional or scope.functional
                continue  # super().__init__(...) of tf.keras.Model
            if isinstance(stmt, ast.Pass) or (
                    isinstance(stmt, ast.Expr) and
                    isinstance(stmt.value, ast.Constant)):
                continue  # a docstring
            if self.is_builtin_call(stmt, "print", scope):
                continue  # output while Python builds the model: none here
            if isinstance(stmt, ast.If):
                test = scope.known(stmt.test, "the condition of an `if` "
                                   "statement in __init__")
                self.init_statements(stmt.body if test else stmt.orelse,
                                     scope, attributes)
                continue
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                    isinstance(stmt.targets[0], ast.Name):
                name = stmt.targets[0].id
                scope.fresh_lists -= lists_held(stmt.value)
                for table in (scope.local_layers, scope.local_attr,
                              scope.shared_locals):
                    table.pop(name, None)
                scope.statements.append(stmt)
                graph = self.in_graph(stmt.value, scope)
                scope.graph.discard(name)
                # A value of a Functional graph (`x = tf.keras.Input(...)`,
                # `h = Dense(8)(x)`): read when the graph's model is made.
                if graph:
                    scope.statements.pop()
                    self.graph_statement(stmt, scope)
                    scope.locals.pop(name, None)
                    scope.graph.add(name)
                    continue
                scope.initializers.pop(name, None)
                if isinstance(stmt.value, ast.Call) and \
                        is_initializer_maker(
                            self.module.qualify(stmt.value.func) or ""):
                    scope.locals.pop(name, None)
                    scope.initializers[name] = self.initializer_name(
                        stmt.value)
                    continue
                # A layer or model object held by a local name (`d =
                # Dense(2)`, `enc = Encoder()`): where it is made, for the
                # attributes and layers it is given to.
                if self.makes_model(stmt.value, scope):
                    scope.locals.pop(name, None)
                    scope.local_layers[name] = stmt.value
                    continue
                self.init_lists(scope).track(stmt, scope)
                if self.makes_layer_list(stmt.value):
                    # Its layers as the graph names them when it is
                    # straight-lined (split_layer_list), for the loops
                    # over it unrolled here.
                    self.init_lists(scope).layers[name] = [
                        self.init_layer(scope, layer_item(name, k), elt)
                        for k, elt in enumerate(stmt.value.elts)]
                    # (Its name too: stored on self and called in the
                    # graph, it is one object in Keras, two in predict.)
                    scope.local_layers[name] = stmt.value
                scope.locals[name] = scope.known(stmt.value,
                                                 f"'{name}' in __init__")
                if isinstance(scope.locals[name], LayerObject) and \
                        isinstance(stmt.value, ast.Call):
                    scope.local_layers[name] = stmt.value
                continue
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and \
                    stmt.value is not None:
                target = stmt.targets[0] if isinstance(stmt, ast.Assign) \
                    and len(stmt.targets) == 1 else \
                    getattr(stmt, "target", None)
                if isinstance(target, ast.Attribute) and \
                        isinstance(target.value, ast.Name) and \
                        target.value.id == "self":
                    made = self.init_attribute(target.attr, stmt.value,
                                               scope)
                    # A list this __init__ makes, which only it holds:
                    # self.sizes.append(w) may change it.
                    scope.fresh_lists -= lists_held(stmt.value)
                    if isinstance(stmt.value, (ast.List, ast.ListComp)):
                        scope.fresh_lists.add(target.attr)
                    else:
                        scope.fresh_lists.discard(target.attr)
                    names = {a["attr"] for a in made}
                    attributes[:] = [a for a in attributes
                                     if a["attr"] not in names and not
                                     a["attr"].startswith(target.attr + "/")]
                    attributes.extend(made)
                    continue
            # `for units in (8, 4): h = Dense(units)(h)` in a Functional
            # graph: unrolled over its values known at import, as at module
            # level.
            if isinstance(stmt, ast.For) and self.in_graph(stmt, scope):
                # Over the graph's lists as __init__ has built them so far
                # (init_lists); the statements unrolled are followed again
                # as init_statements records them.
                saved = getattr(scope, "graph_lists", None)
                scope.graph_lists = copy.deepcopy(self.init_lists(scope))
                try:
                    unrolled = self.straight_line([stmt], scope)
                finally:
                    scope.graph_lists = saved
                if unrolled and unrolled[0] is stmt:
                    raise SourceError(stmt, "this `for` statement builds "
                                      "a Functional graph in __init__, "
                                      "which is converted from the loop "
                                      "unrolled: " +
                                      self.module.kept.get(id(stmt), ""))
                self.init_statements(unrolled, scope, attributes)
                continue
            # `ds.append(Dense(3))` of a list of layers (split_layer_list):
            # its layer is the graph's when it is straight-lined
            # (append_layer), a local layer here.
            lists = self.init_lists(scope)
            appended = self.layer_appended(stmt, lists)
            if appended is not None and self.makes_layer(appended[1]):
                name, arg = appended
                names = list(lists.layers[name])
                scope.statements.append(stmt)
                # (Tracked, the append drops the list's layers: set after.)
                lists.track(stmt, scope)
                lists.layers[name] = names + [
                    self.init_layer(scope, layer_item(name, len(names)), arg)]
                continue
            # `a, b = tf.split(h, 2)`, `outs.append(h)`, `h += x` in a
            # Functional graph.
            if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.Expr)) and \
                    self.in_graph(stmt.value, scope) and not any(
                        isinstance(n, ast.Attribute) and
                        isinstance(n.ctx, ast.Store)
                        for n in ast.walk(stmt)):
                self.graph_statement(stmt, scope)
                targets = stmt.targets if isinstance(stmt, ast.Assign) \
                    else [getattr(stmt, "target", stmt)]
                scope.graph |= {n.id for t in targets for n in ast.walk(t)
                                if isinstance(n, ast.Name) and
                                isinstance(n.ctx, ast.Store)}
                scope.graph |= changed_in_place(stmt)
                for name in scope.graph:
                    scope.locals.pop(name, None)
                continue
            # `for w in widths: self.blocks.append(Dense(w))`: a loop over
            # values known when the model is built runs as Python runs it.
            if isinstance(stmt, ast.For):
                self.init_for(stmt, scope, attributes)
                continue
            if self.init_append(stmt, scope, attributes):
                continue
            if self.init_extend(stmt, scope, attributes):
                continue
            raise SourceError(stmt, "__init__ may only call "
                              "super().__init__(), assign layers, models, "
                              "tf.constant values or values known when the "
                              "model is built to attributes (self.name = "
                              "...) and to local names, and branch on "
                              "known values; not "
                              f"'{ast.unparse(stmt).splitlines()[0]}'")

    def init_for(self, stmt, scope, attributes):
        """A `for` statement in __init__ over values known when the model
        is built (`for w in widths:`, `for i, w in enumerate(sizes):`),
        unrolled as Python runs it: each value bound to the target, as an
        assignment binds it, then the body. Its name keeps the last value
        after the loop, as in Python. `break`, `continue` and `else` are
        errors (write the loop's sequence to say which values it takes)."""
        for node in (n for b in stmt.body for n in walk_running(b)):
            if isinstance(node, (ast.Break, ast.Continue)):
                raise SourceError(node, f"`{ast.unparse(node)}` in a `for` "
                                  "statement of __init__ is not converted: "
                                  "loop over the values it takes")
        if stmt.orelse:
            raise SourceError(stmt.orelse[0], "the `else` of a `for` "
                              "statement in __init__ is not converted")
        # A list the body appends to: Python's loop visits the items
        # appended while it runs (found by helper-149: a snapshot was
        # looped over, and a model of other layers made). `for w in
        # self.sizes:` runs over the list as it grows; any other sequence
        # naming such a list is an error.
        appended = {c.func.value.attr for b in stmt.body
                    for c in walk_running(b)
                    if isinstance(c, ast.Call) and
                    isinstance(c.func, ast.Attribute) and
                    c.func.attr == "append" and
                    isinstance(c.func.value, ast.Attribute) and
                    isinstance(c.func.value.value, ast.Name) and
                    c.func.value.value.id == "self"}
        # (A copy, `self.sizes[:]`, `list(self.sizes)`, is a snapshot, as
        # in Python: helper-150.)
        named = lists_held(stmt.iter)
        if appended & named:
            attr = next(iter(sorted(appended & named)))
            rebound = any(isinstance(t, ast.Attribute) and t.attr == attr
                          for b in stmt.body for n in walk_running(b)
                          if isinstance(n, (ast.Assign, ast.AugAssign,
                                            ast.AnnAssign))
                          for t in (n.targets if isinstance(n, ast.Assign)
                                    else [n.target]))
            if not (isinstance(stmt.iter, ast.Attribute) and
                    stmt.iter.attr == attr and
                    isinstance(stmt.iter.value, ast.Name) and
                    stmt.iter.value.id == "self") or rebound or \
                    not isinstance(scope.attrs.get(attr), list):
                raise SourceError(stmt.iter, "this `for` statement of "
                                  f"__init__ goes over self.{attr}, which "
                                  "its body appends to: converted as "
                                  f"`for v in self.{attr}:` over a list of "
                                  "values (which visits the appended "
                                  "items, as Python does) or over a copy "
                                  f"(`list(self.{attr})`, which does not)")
            i = 0
            while i < len(scope.attrs[attr]):
                if i >= MOST_UNROLLED:
                    raise SourceError(stmt.iter, "this `for` statement of "
                                      "__init__ runs more than "
                                      f"{MOST_UNROLLED} times; predict "
                                      f"unrolls at most {MOST_UNROLLED}")
                self.bind_init_target(stmt.target, scope.attrs[attr][i],
                                      scope)
                self.init_statements(stmt.body, scope, attributes)
                i += 1
            return
        values = scope.known(stmt.iter, "the sequence of a `for` statement "
                             "in __init__")
        if isinstance(values, dict):
            values = list(values)  # its keys, as Python iterates a dict
        if not isinstance(values, (list, tuple, range, str)):
            raise SourceError(stmt.iter, f"'{ast.unparse(stmt.iter)}' is "
                              f"a {type(values).__name__}, not a sequence "
                              "a `for` statement of __init__ can go over "
                              "(a list, tuple, range, dict or string)")
        if len(values) > MOST_UNROLLED:
            raise SourceError(stmt.iter, f"this `for` statement of __init__ "
                              f"runs {len(values)} times; predict unrolls "
                              f"at most {MOST_UNROLLED}")
        for value in values:
            self.bind_init_target(stmt.target, value, scope)
            self.init_statements(stmt.body, scope, attributes)

    def bind_init_target(self, target, value, scope):
        """Binds `target` (a name, or a tuple or list of targets) of a
        `for` statement in __init__ to `value`, as Python unpacks it."""
        if isinstance(target, ast.Name):
            for table in (scope.local_layers, scope.local_attr,
                          scope.shared_locals, scope.initializers):
                table.pop(target.id, None)
            scope.locals[target.id] = value
            return
        if isinstance(target, (ast.Tuple, ast.List)) and \
                not any(isinstance(e, ast.Starred) for e in target.elts):
            if not isinstance(value, (list, tuple, range, str)) or \
                    len(value) != len(target.elts):
                raise SourceError(target, f"cannot unpack {value!r} into "
                                  f"'{ast.unparse(target)}' (Python's "
                                  "ValueError)")
            for t, v in zip(target.elts, value):
                self.bind_init_target(t, v, scope)
            return
        raise SourceError(target, "the target of a `for` statement in "
                          "__init__ must be a name or a tuple of names, not "
                          f"'{ast.unparse(target)}'")

    def init_append(self, stmt, scope, attributes):
        """`self.blocks.append(Dense(w))` in __init__, after `self.blocks
        = []` (or a list of layers): the layer or model becomes the list's
        next item, `blocks/<n>`, as a list display would make it (the
        Keras name of a list attribute's layers). `self.sizes.append(w)`
        of a list of values made by a list display in __init__ appends the
        value. False for another statement."""
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not (isinstance(call, ast.Call) and
                isinstance(call.func, ast.Attribute) and
                call.func.attr == "append" and
                isinstance(call.func.value, ast.Attribute) and
                isinstance(call.func.value.value, ast.Name) and
                call.func.value.value.id == "self"):
            return False
        attr = call.func.value.attr
        if len(call.args) != 1 or call.keywords or \
                isinstance(call.args[0], ast.Starred):
            raise SourceError(call, "list.append takes exactly one argument")
        arg = call.args[0]
        index = next((i for i, a in enumerate(attributes)
                      if a["attr"] == attr), None)
        group = attributes[index] if index is not None else None
        empty = group is not None and group["kind"] == "value" and \
            scope.attrs.get(attr) == [] and \
            isinstance(scope.attrs.get(attr), list)
        if group is None or attr not in scope.fresh_lists or \
                group["kind"] not in ("value", "layers") or \
                "keys" in group:
            raise SourceError(call, f"self.{attr}.append(...) in __init__ "
                              "is converted on a list that a list display of "
                              f"this __init__ made (self.{attr} = [] or "
                              "[...]) and that no other name holds; write "
                              f"self.{attr} = [...] with its items")
        items = [] if group["kind"] == "value" else group["items"]
        node = arg
        if isinstance(node, ast.Name) and node.id in scope.local_layers:
            self.claim_local(node, f"{attr}/{len(items)}", scope,
                             stored=True)
            node = scope.local_layers[node.id]
        # A layer made earlier (`self.blocks.append(self.d)`): another name
        # of it, as in a list display (helper-149: read as a value).
        made = self.made_object(f"{attr}/{len(items)}", node, scope) \
            if isinstance(node, ast.Call) else \
            self.alias(f"{attr}/{len(items)}", node, scope)
        if made is None and (empty or group["kind"] == "value"):
            # A value appended to a list of values this __init__ made.
            value = scope.known(arg, f"what self.{attr}.append(...) "
                                "appends")
            scope.attrs[attr] = scope.attrs[attr] + [value]
            group["value"] = value_json(scope.attrs[attr], call)
            return True
        if made is None or (group["kind"] == "value" and not empty):
            raise SourceError(arg, f"self.{attr} holds layers or models and "
                              f"also values ('{ast.unparse(arg)}' is "
                              "appended): a list of layers holds only "
                              "layers and models")
        scope.attrs.pop(attr, None)
        scope.layer_counts[attr] = len(items) + 1
        attributes.insert(index, made)
        group = {"attr": attr, "loc": group["loc"], "kind": "layers",
                 "items": items + [made["attr"]]}
        attributes[index + 1] = group
        return True

    def init_extend(self, stmt, scope, attributes):
        """`self.blocks.extend([Dense(4), Dense(2)])` and `self.blocks +=
        [...]` in __init__ (list's `extend`, and `+=`, which extends the
        list in place): the items appended one by one (init_append), of a
        list or tuple display written there, or, on a list of values, of
        any sequence of values known when the model is built. False for
        another statement, and for `+=` on an attribute that is not a
        list an append would take."""
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and \
                isinstance(call.func, ast.Attribute) and \
                call.func.attr == "extend" and \
                isinstance(call.func.value, ast.Attribute) and \
                isinstance(call.func.value.value, ast.Name) and \
                call.func.value.value.id == "self":
            target = call.func.value
            if len(call.args) != 1 or call.keywords or \
                    isinstance(call.args[0], ast.Starred):
                raise SourceError(call, "list.extend takes exactly one "
                                  "argument")
            items, at = call.args[0], call
        elif isinstance(stmt, ast.AugAssign) and \
                isinstance(stmt.op, ast.Add) and \
                isinstance(stmt.target, ast.Attribute) and \
                isinstance(stmt.target.value, ast.Name) and \
                stmt.target.value.id == "self" and \
                stmt.target.attr in scope.fresh_lists:
            target, items, at = stmt.target, stmt.value, stmt
        else:
            return False
        if isinstance(items, (ast.List, ast.Tuple)) and \
                not any(isinstance(e, ast.Starred) for e in items.elts):
            elements = items.elts
        else:
            values = scope.known(items, f"what self.{target.attr} is "
                                 "extended with (a list or tuple written "
                                 "there, or values known when the model "
                                 "is built)")
            if not isinstance(values, (list, tuple)):
                raise SourceError(items, f"self.{target.attr} is extended "
                                  "with a value that is not a list or "
                                  "tuple (Python raises TypeError)")
            elements = [ast.copy_location(ast.Constant(value=v), items)
                        if v is None or isinstance(v, (bool, int, float,
                                                       str)) else None
                        for v in values]
            if None in elements:
                raise SourceError(items, f"self.{target.attr} is extended "
                                  "with values other than numbers, "
                                  "strings, bools or None: write a list "
                                  "display there ([...])")
        for e in elements:
            append = ast.copy_location(ast.Expr(value=ast.Call(
                func=ast.Attribute(value=target, attr="append",
                                   ctx=ast.Load()),
                args=[e], keywords=[])), at)
            ast.fix_missing_locations(append)
            self.init_append(append, scope, attributes)
        return True

    def made_items(self, attr, value, scope):
        """A list, tuple or dict of layers or models (`[Dense(8) for _ in
        range(3)]`, `{"a": Dense(2)}`): each made as the attribute
        `attr/<index or key>`, in order; None when `value` makes none."""
        elements = []  # (key, call node)
        if isinstance(value, (ast.List, ast.Tuple)):
            elements = [(str(i), e) for i, e in enumerate(value.elts)]
        elif isinstance(value, ast.Dict):
            if any(k is None for k in value.keys):
                return None
            # A key written twice keeps its first place and its last value,
            # as Python's dict does (found by helper-80: each written entry
            # was one).
            chosen = {}
            for k, v in zip(value.keys, value.values):
                chosen[scope.known(k, "a key of a dict of layers")] = v
            elements = list(chosen.items())
        elif isinstance(value, ast.ListComp) and \
                len(value.generators) == 1 and \
                isinstance(value.generators[0].target, ast.Name) and \
                isinstance(value.elt, ast.Call):
            gen = value.generators[0]
            items = scope.known(gen.iter, "what a list of layers iterates "
                                "over")
            made = []
            name = gen.target.id
            saved = scope.locals.get(name, NotKnown)
            try:
                for item in (items if isinstance(items, (list, tuple, range))
                             else ()):
                    scope.locals[name] = item
                    if not all(scope.known(c, "a condition of a list of "
                                           "layers") for c in gen.ifs):
                        continue
                    obj = self.made_object(f"{attr}/{len(made)}", value.elt,
                                           scope)
                    if obj is None:
                        return None
                    made.append(obj)
            finally:
                if saved is NotKnown:
                    scope.locals.pop(name, None)
                else:
                    scope.locals[name] = saved
            return made
        else:
            return None
        made = []
        for key, node in elements:
            if isinstance(node, ast.Name) and node.id in scope.local_layers:
                # `[d1, d2]` of layers made as local names: those layers
                # (found by helper-81: read as a value).
                self.claim_local(node, f"{attr}/{key}", scope, stored=True)
                node = scope.local_layers[node.id]
            obj = self.made_object(f"{attr}/{key}", node, scope) \
                if isinstance(node, ast.Call) else \
                self.alias(f"{attr}/{key}", node, scope)
            made.append(obj)
        if all(m is None for m in made):
            return None
        for (key, node), m in zip(elements, made):
            if m is None:
                raise SourceError(node, f"self.{attr} holds layers or "
                                  "models and also "
                                  f"'{ast.unparse(node)}': a list or dict "
                                  "of layers holds only layers and models")
            if not isinstance(key, str) or "/" in key:
                raise SourceError(node, f"a key of self.{attr} must be a "
                                  "string without '/', not "
                                  f"{key!r}")
        return made

    def init_attribute(self, attr, value, scope):
        """`self.attr = value` in __init__, as the attributes it makes: a
        layer, a model of the file, a tf.constant, a list or dict of layers
        or models (each an attribute `attr/<index or key>`, then `attr` of
        kind "layers" naming them), or a value known when the model is
        built (hyperparameters: numbers, strings, tuples, lists...). A
        model of the module (`self.backbone = backbone`) makes none: it is
        that model, shared, which the methods call by its name."""
        scope.held.pop(attr, None)
        scope.objects.pop(attr, None)
        scope.aliases.pop(attr, None)
        scope.layer_counts.pop(attr, None)
        held = scope.module_model(value)
        if held is not None:
            if self.module.binding_counts.get(held, 0) > 1:
                raise SourceError(value, f"self.{attr} holds the model "
                                  f"'{held}', which the module binds "
                                  "more than once: give each model a name "
                                  "of its own")
            scope.attrs.pop(attr, None)
            scope.held[attr] = held
            # Keras tracks it as an attribute of this model too: a Keras
            # weights file of this model keeps its weights under `attr`.
            return [{"attr": attr, "loc": loc_json(value),
                     "kind": "module_model", "target": held}]
        alias = self.alias(attr, value, scope)
        if alias is not None:
            scope.attrs.pop(attr, None)
            scope.objects[attr] = scope.objects[alias["target"]]
            return [alias]
        made_by = value
        if isinstance(value, ast.Name) and value.id in scope.local_layers:
            # `self.l = l` of a layer made as a local name: that layer.
            self.claim_local(value, attr, scope, stored=True)
            made_by = scope.local_layers[value.id]
        if isinstance(made_by, ast.Call):
            made = self.made_object(attr, made_by, scope)
            if made is not None:
                scope.attrs.pop(attr, None)
                if made["kind"] == "model":
                    scope.objects[attr] = MODEL
                elif made["kind"] == "layer":
                    scope.objects[attr] = scope.evaluate(made_by)
                return [made]
        items = self.made_items(attr, value, scope)
        if items is not None:
            scope.attrs.pop(attr, None)
            if not isinstance(value, ast.Dict):
                scope.layer_counts[attr] = len(items)
            group = {"attr": attr, "loc": loc_json(value), "kind": "layers",
                     "items": [m["attr"] for m in items]}
            if isinstance(value, ast.Dict):
                group["keys"] = [m["attr"][len(attr) + 1:] for m in items]
            return items + [group]
        try:
            known = scope.evaluate_array(value)
        except NotKnown as e:
            if isinstance(value, ast.Call):
                name = self.module.qualify(value.func) or ""
                raise SourceError(value, "unsupported layer or value "
                                  f"'{name or ast.unparse(value.func)}' in "
                                  "__init__ (a tf.keras.layers class, a "
                                  "model class of the file, tf.constant, an "
                                  "array of values known at import "
                                  "(np.array, np.eye, np.arange...), or a "
                                  "value known when the model is built)")
            raise SourceError(e.node, f"self.{attr} must be known when the "
                              "model is built: expected a literal value (a "
                              "number, string, tuple or list), an __init__ "
                              "parameter, a module constant, or an "
                              "expression of those, or a model (of the "
                              "module, or made in the constructor's call), "
                              f"not '{ast.unparse(e.node)}'")
        scope.attrs[attr] = known
        return [{"attr": attr, "loc": loc_json(value), "kind": "value",
                 "value": value_json(known, value)}]

    def made_object(self, attr, call, scope):
        """A layer, a model of the file or a tf.constant that `call` makes;
        None for another call."""
        # A model held as an attribute (`self.encoder = Encoder()`): its
        # own model object, read as the module's are.
        if isinstance(call.func, ast.Name) and \
                call.func.id in self.module.classes and \
                call.func.id not in scope.locals and \
                self.module.is_model_class(
                    self.module.classes[call.func.id]):
            held = call.func.id
            if held in self.holding:
                raise SourceError(call, f"class '{held}' holds an instance "
                                  "of itself: Keras would construct it "
                                  "without end")
            return {"attr": attr, "loc": loc_json(call), "kind": "model",
                    "class_name": held,
                    "model": self.model(attr, held, call, scope)}
        # `self.w = tf.Variable(initial_value=w_init(shape, dtype),
        # trainable=True)` (TensorFlow's guide to custom layers): the weight
        # add_weight would make.
        if (self.module.qualify(call.func) or "") == "tensorflow.Variable":
            call = self.variable_as_add_weight(call, scope)
        # `self.w = self.add_weight(shape, initializer, ...)`: a weight of
        # a custom layer (or model), its arguments evaluated here.
        if isinstance(call.func, ast.Attribute) and \
                call.func.attr == "add_weight" and \
                isinstance(call.func.value, ast.Name) and \
                call.func.value.id == "self":
            # An initializer object (keras.initializers.Ones(),
            # RandomNormal(stddev=0.01)) as its source text: drawn when
            # predict knows it, else the weights come from --weights.
            init = next((kw for kw in call.keywords
                         if kw.arg == "initializer"), None)
            if init is not None and isinstance(init.value, ast.Call):
                call = copy.copy(call)
                call.keywords = [
                    kw if kw is not init else ast.copy_location(
                        ast.keyword(arg="initializer", value=ast.copy_location(
                            ast.Constant(value=ast.unparse(init.value)),
                            init.value)), init)
                    for kw in call.keywords]
            args, kwargs = self.call_arguments(call, scope)
            return {"attr": attr, "loc": loc_json(call), "kind": "weight",
                    "args": args, "kwargs": kwargs,
                    "arg_locs": [loc_json(a) for a in call.args],
                    "kwarg_locs": {kw.arg: loc_json(kw.value)
                                   for kw in call.keywords}}
        name = self.module.qualify(call.func) or ""
        if name in SEQUENTIAL:
            return {"attr": attr, "loc": loc_json(call), "kind": "model",
                    "class_name": "Sequential",
                    "model": self.sequential(attr, call, scope)}
        if name in MODEL_BASES and (call.args or call.keywords):
            # A Functional model of a graph built in this __init__.
            holder = ast.copy_location(ast.Expr(value=call), call)
            return {"attr": attr, "loc": loc_json(call), "kind": "model",
                    "class_name": "Functional",
                    "model": self.functional(
                        attr, call, scope,
                        init=(list(scope.statements), holder))}
        if name not in CONSTANT_MAKERS and not name.startswith(LAYER_PREFIXES):
            return None
        if name.endswith(".TimeDistributed"):
            wrapped = self.time_distributed(attr, call, scope)
            if wrapped is not None:
                return wrapped
        args, kwargs = self.call_arguments(call, scope)
        # Where each argument is, for the builder's messages about one.
        out = {"attr": attr, "loc": loc_json(call), "args": args,
               "kwargs": kwargs,
               "arg_locs": [loc_json(a) for a in call.args],
               "kwarg_locs": {kw.arg: loc_json(kw.value)
                              for kw in call.keywords}}
        if name in CONSTANT_MAKERS:
            out.update(kind="constant", function=name)
        else:
            out.update(kind="layer", class_name=name.rsplit(".", 1)[1],
                       module=name.rsplit(".", 1)[0])
            # Keras's class of another name of it (Convolution1D is
            # Conv1D), which names it in a Keras weights file.
            if out["class_name"] in KERAS_ALIASES:
                out["keras_class"] = KERAS_ALIASES[out["class_name"]]
            shared = self.shared_layers(call, name, scope, attr)
            if shared:
                out["shares"] = shared
        return out

    def initializer_name(self, call):
        """The name predict draws an initializer object (`call`, which
        makes it) under: its own without arguments, else its source text
        (not drawn: the weights come from --weights)."""
        name = INITIALIZERS.get(self.module.qualify(call.func))
        return name if name and not call.args and not call.keywords \
            else ast.unparse(call)

    def variable_as_add_weight(self, call, scope):
        """`tf.Variable(initial_value, trainable=True, name=None,
        dtype=None)` as the `self.add_weight(shape=..., initializer=...,
        trainable=...)` call that makes the same weight: initial_value an
        initializer object called with the shape (`w_init(shape=(4, 8),
        dtype="float32")`, `tf.zeros_initializer()((8,))`) or tf.zeros,
        tf.ones, tf.random.normal, tf.random.uniform of a shape."""
        params = ["initial_value", "trainable", "validate_shape",
                  "caching_device", "name", "variable_def", "dtype"]
        given = dict(zip(params, call.args))
        given.update({kw.arg: kw.value for kw in call.keywords})
        value = given.get("initial_value")
        for key in given:
            if key not in ("initial_value", "trainable", "name", "dtype"):
                raise SourceError(given[key], f"tf.Variable's {key}= is not "
                                  "converted")
        shape = init = None
        if isinstance(value, ast.Call):
            made = value.func
            args = {kw.arg: kw.value for kw in value.keywords}
            if isinstance(made, ast.Name) and made.id in scope.initializers:
                init = scope.initializers[made.id]
            elif isinstance(made, ast.Call) and \
                    is_initializer_maker(self.module.qualify(made.func) or ""):
                init = self.initializer_name(made)
            elif (self.module.qualify(made) or "") in VALUE_MAKERS and \
                    len(value.args) <= 1 and set(args) <= {"shape",
                                                           "dtype"}:
                init = VALUE_MAKERS[self.module.qualify(made)]
            if init is not None:
                shape = value.args[0] if value.args else args.get("shape")
                dtype = value.args[1] if len(value.args) > 1 \
                    else args.get("dtype")
                if dtype is not None:
                    given.setdefault("dtype", dtype)
        literal = None
        if shape is None and value is not None:
            # A number or a (nested, rectangular) list of numbers known at
            # import (`tf.Variable(1.5)`, a temperature): its values.
            try:
                literal = scope.evaluate(value)
            except (NotKnown, SourceError, RecursionError):
                literal = None
            sizes = value_shape(literal)
            if sizes is not None:
                shape = ast.copy_location(ast.Tuple(
                    elts=[ast.Constant(value=n) for n in sizes],
                    ctx=ast.Load()), value)
                init = "constant"
        if shape is None:
            raise SourceError(value or call, "tf.Variable's initial value is "
                              "converted when it is an initializer called "
                              "with a shape (w_init(shape=(4, 8)), w_init = "
                              "tf.random_normal_initializer()) or tf.zeros, "
                              "tf.ones, tf.random.normal, tf.random.uniform "
                              "of a shape alone (their defaults: no mean=, "
                              "stddev=, minval=, maxval=, seed=); write "
                              "self.add_weight(shape=..., initializer=...) "
                              "for another")
        keywords = [ast.keyword(arg="shape", value=shape),
                    ast.keyword(arg="initializer",
                                value=ast.copy_location(
                                    ast.Constant(value=init), value))]
        for key in ("trainable", "dtype"):
            if key in given:
                keywords.append(ast.keyword(arg=key, value=given[key]))
        if init == "constant":
            keywords.append(ast.keyword(arg="value", value=value))
        out = ast.Call(func=ast.Attribute(
            value=ast.Name(id="self", ctx=ast.Load()), attr="add_weight",
            ctx=ast.Load()), args=[], keywords=keywords)
        return ast.fix_missing_locations(ast.copy_location(out, call))

    def shared_layers(self, call, name, scope, attr):
        """The layers made in __init__ that `call` is given as `self.attr`
        and that Keras keeps as they are (an `activation=self.act`,
        Bidirectional's `backward_layer=self.bwd`): the layer made here
        computes with a copy of their configuration, which is theirs only
        while they are not also called on their own. Bidirectional's
        `layer` is not among them: Keras recreates it from its config
        (Bidirectional.__init__, forward_layer)."""
        copied = None
        if name.endswith(".Bidirectional"):
            copied = call.args[0] if call.args else next(
                (kw.value for kw in call.keywords if kw.arg == "layer"), None)
        shared = []
        for node in ast.walk(call):
            if node is not copied and isinstance(node, ast.Attribute) and \
                    isinstance(node.value, ast.Name) and \
                    node.value.id == "self" and \
                    isinstance(scope.objects.get(node.attr), LayerObject) \
                    and node.attr not in shared:
                shared.append(node.attr)
        # A layer object of a local name given as backward_layer: stored
        # as an attribute, that attribute; else this layer's from now on.
        for kw in call.keywords if copied is not None else []:
            node = kw.value
            if kw.arg != "backward_layer" or \
                    not isinstance(node, ast.Name) or \
                    node.id not in scope.local_layers:
                continue
            if node.id in scope.local_attr:
                shared.append(scope.local_attr[node.id])
            else:
                self.claim_local(node, attr, scope)
        return shared

    def alias(self, attr, node, scope):
        """`self.attr = self.d` (or an item `[self.d, ...]`) of a layer or
        model made earlier in __init__: another name of that object (Keras
        tracks one layer), an attribute of kind "alias" naming `target`;
        None for another value."""
        if isinstance(node, ast.Attribute) and \
                isinstance(node.value, ast.Name) and \
                node.value.id == "self" and node.attr in scope.objects:
            target = scope.aliases.get(node.attr, node.attr)
            scope.aliases[attr] = target
            return {"attr": attr, "loc": loc_json(node), "kind": "alias",
                    "target": target}
        return None

    def makes_model(self, node, scope):
        """Whether `node` makes a model: a model class of the file or a
        tf.keras.Sequential."""
        if not isinstance(node, ast.Call):
            return False
        if isinstance(node.func, ast.Name) and \
                node.func.id in self.module.classes and \
                node.func.id not in scope.locals:
            return self.module.is_model_class(
                self.module.classes[node.func.id])
        return (self.module.qualify(node.func) or "") in SEQUENTIAL

    def claim_local(self, node, attr, scope, stored=False):
        """Records that self.attr is (`stored`: `self.attr = name`) or
        wraps (Keras shares it) the layer object of the local name `node`;
        an error when another attribute already is or wraps it: predict
        gives each its own copy, which is that object only while it is one
        attribute's."""
        owner = scope.local_attr.get(node.id) or \
            scope.shared_locals.get(node.id)
        if node.id in scope.graph_layers:
            raise SourceError(node, GRAPH_AND_SELF.format(node.id))
        if owner is not None:
            raise SourceError(node, f"the layer '{node.id}' holds is "
                              f"already self.{owner}'s (Keras shares one "
                              "layer object wherever it is stored or "
                              "wrapped, which predict does not convert "
                              f"here): store it once, self.{node.id} = "
                              f"{node.id}, and give self.{node.id} to the "
                              "wrappers, or construct a layer for each")
        (scope.local_attr if stored else scope.shared_locals)[node.id] = attr

    def time_distributed(self, attr, call, scope):
        """`TimeDistributed(self.inner)`, around a layer or model made
        earlier in __init__ (Keras wraps that very object: its weights are
        shared) or held, or `TimeDistributed(backbone)` (a model of the
        module: "module_model", `target` its name), or
        `TimeDistributed(Model())` around a model made here:
        the attribute, of kind "time_distributed" naming `inner`, or the
        model held with "time_distributed" set. None for a layer constructed in
        the call (an ordinary layer attribute, whose config holds it)."""
        inner = call.args[0] if call.args else next(
            (kw.value for kw in call.keywords if kw.arg == "layer"), None)
        is_self = isinstance(inner, ast.Attribute) and \
            isinstance(inner.value, ast.Name) and inner.value.id == "self"
        # A layer of a Functional graph (`TimeDistributed(d)`, d made in
        # the graph): the graph's attribute for it (ProgramWriter.functional).
        target = getattr(call, "_td_target", None)
        if target is not None:
            return {"attr": attr, "loc": loc_json(call),
                    "kind": "time_distributed", "target": target}
        if isinstance(inner, ast.Name) and inner.id in scope.local_layers:
            if inner.id in scope.local_attr:
                return {"attr": attr, "loc": loc_json(call),
                        "kind": "time_distributed",
                        "target": scope.local_attr[inner.id]}
            self.claim_local(inner, attr, scope)
            # A model made as a local name: made here, as if written here.
            if not self.makes_model(scope.local_layers[inner.id], scope):
                return None
            inner = scope.local_layers[inner.id]
        made = None
        module_model = isinstance(inner, ast.Name) and \
            inner.id in self.module.models and \
            scope.is_module_name(inner.id)
        if module_model and self.module.binding_counts.get(inner.id, 0) > 1:
            raise SourceError(inner, f"TimeDistributed is given the model "
                              f"'{inner.id}', which the module binds more "
                              "than once: give each model a name of its own")
        if not is_self and not module_model:
            if not isinstance(inner, ast.Call):
                return None
            qualified = self.module.qualify(inner.func) or ""
            if qualified.startswith(LAYER_PREFIXES) or \
                    qualified in CONSTANT_MAKERS:
                return None
            made = self.made_object(attr, inner, scope)
            if made is None or made["kind"] != "model":
                return None
        for kw in call.keywords:
            # Keras's base Layer arguments that change no value here.
            if kw.arg not in ("layer", "name", "trainable", "input_shape",
                              "batch_input_shape", "batch_size"):
                raise SourceError(kw.value, "TimeDistributed's "
                                  f"'{kw.arg}=' is not converted (give the "
                                  "layer, and name= or input_shape=)")
        if made is not None:
            made.update(loc=loc_json(call), time_distributed=True)
            return made
        if module_model:
            return {"attr": attr, "loc": loc_json(call),
                    "kind": "time_distributed", "target": inner.id,
                    "module_model": True}
        if inner.attr in scope.held:
            return {"attr": attr, "loc": loc_json(call),
                    "kind": "time_distributed",
                    "target": scope.held[inner.attr], "module_model": True}
        if inner.attr not in scope.objects:
            raise SourceError(inner, f"self.{inner.attr} is not a layer or "
                              "model made earlier in __init__ (TimeDistributed "
                              "wraps one)")
        return {"attr": attr, "loc": loc_json(call),
                "kind": "time_distributed",
                "target": scope.aliases.get(inner.attr, inner.attr)}

    def constants(self):
        """The module's constants whose values are known before the
        program runs (`STEPS = 3`, `SHAPE = (1, 6)`), for converted code to
        read; another module variable (a model, an example tensor) is not
        one."""
        out = {}
        scope = self.module.module_scope
        for name, node in self.module.constant_nodes.items():
            try:
                value = scope.evaluate_array(node)
            except (NotKnown, SourceError, RecursionError):
                continue
            if isinstance(value, (int, float, str, bool, type(None), tuple,
                                  list, dict, range, Function, ArrayCall)):
                try:
                    out[name] = value_json(value, node)
                except SourceError:
                    continue
        return out

    def entry(self, fn):
        """An entry function: its name, its example call's arguments and
        its input_signature (null when it has none)."""
        def sizes(shape):
            return [None if d is None else {"varies": True}
                    if d is VARIED else {"int": str(d)} for d in shape]
        module = self.module
        signature = module.input_signature(fn)
        examples = module.entry_args.get(fn.name, [])
        # An example whose shape is not known at import: what could not be
        # read, for the builder to report where no --input-shape gives the
        # argument (not "never called with an example", which it says of
        # an argument no example gives).
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args]

        def unread(s, i):
            param = params[i] if i < len(params) else "?"
            return {"unread": f"cannot infer the {s.what} of argument "
                    f"'{param}' of '{fn.name}' from its example, "
                    f"'{ast.unparse(s.node)}': {s.why}",
                    "loc": loc_json(s.node),
                    # --input-shape gives a tensor's shape, not a value.
                    "input_shape_helps": s.what != "value"}
        return {"function": fn.name, "loc": loc_json(fn),
                "examples": [None if s is None else
                             unread(s, i) if isinstance(s, UnreadExample)
                             else {"model": str(s)}
                             if isinstance(s, ModelArgument) else
                             {"value": self.node(s.node)}
                             if isinstance(s, PythonArgument) else
                             {"tuple": sizes(s), "dtype": example_dtype(s)}
                             for i, s in enumerate(examples)],
                "signature": None if signature is None else
                [{"shape": sizes(spec["shape"]), "dtype": spec["dtype"]}
                 for spec in signature]}

    def decorators_read(self, tree):
        """An error at a decorator of converted code that is not one of
        READ_DECORATORS (@staticmethod, @classmethod, @property and its
        setter too): on a model or layer class of the file or its
        methods, on an entry, on a function of the file those call; and
        where such a class binds a method's name otherwise than by `def`
        (`call = call_doubled`): predict converts each as it is written."""
        module = self.module
        classes = [c for c in module.classes.values()
                   if module.is_model_class(c)]
        defined = {}
        for stmt in tree.body:
            if isinstance(stmt, ast.ClassDef) and \
                    stmt.name in module.classes and \
                    module.is_model_class(module.classes[stmt.name]):
                if stmt.name in defined and module.models:
                    raise SourceError(stmt, f"the model class '{stmt.name}' "
                                      "is defined again here: the models "
                                      "made before are of the first class, "
                                      "which predict does not keep apart; "
                                      "give this class a name of its own")
                defined[stmt.name] = stmt
        # The methods converted code may run: Keras's, and those they reach
        # through `self.name`.
        reached, todo = set(), [(c, n) for c in classes
                                for n in INFERENCE_METHODS | {"__init__"}]
        while todo:
            c, name = todo.pop()
            for f in c.body:
                if isinstance(f, ast.FunctionDef) and f.name == name and \
                        (c.name, name) not in reached:
                    reached.add((c.name, name))
                    todo.extend((k, n.attr) for n in ast.walk(f)
                                if isinstance(n, ast.Attribute) and
                                isinstance(n.value, ast.Name) and
                                n.value.id == "self" for k in classes)
        roots = [f for c in classes for f in c.body
                 if isinstance(f, ast.FunctionDef) and
                 (c.name, f.name) in reached] + list(module.entries())
        # The functions of the file converted code may call.
        called, todo = set(), list(roots)
        while todo:
            for n in ast.walk(todo.pop()):
                if isinstance(n, ast.Name) and n.id in module.functions \
                        and n.id not in called:
                    called.add(n.id)
                    todo.append(module.functions[n.id])

        def check(node, what):
            for d in node.decorator_list:
                name = module.qualify(d.func if isinstance(d, ast.Call)
                                      else d)
                if name in READ_DECORATORS or \
                        isinstance(d, ast.Name) and d.id in (
                            "staticmethod", "classmethod", "property") or \
                        isinstance(d, ast.Attribute) and \
                        isinstance(d.value, ast.Name) and \
                        d.attr in ("setter", "getter", "deleter"):
                    continue
                raise SourceError(d, f"the decorator '@{shortened(ast.unparse(d), 50)}' "
                                  f"of {what} is not followed: predict "
                                  "converts it as it is written, and what "
                                  "the decorator makes of it would be lost; "
                                  "remove it, or apply what it does in the "
                                  "code itself (read: @tf.function, "
                                  "@staticmethod, @classmethod, @property, "
                                  "register_keras_serializable)")
        for c in classes:
            check(c, f"the class '{c.name}'")
            methods = {f.name for f in c.body
                       if isinstance(f, ast.FunctionDef)}
            for f in c.body:
                if isinstance(f, ast.FunctionDef):
                    if (c.name, f.name) in reached:
                        check(f, f"'{c.name}.{f.name}'")
                    continue
                targets = f.targets if isinstance(f, ast.Assign) else \
                    [f.target] if isinstance(f, (ast.AnnAssign,
                                                 ast.AugAssign)) else []
                for t in targets:
                    for n in ast.walk(t):
                        if isinstance(n, ast.Name) and (
                                n.id in methods or
                                n.id in INFERENCE_METHODS):
                            raise SourceError(f, f"the class body of "
                                              f"'{c.name}' binds "
                                              f"'{n.id}' otherwise than by "
                                              "`def`: predict converts the "
                                              "methods as `def` writes them; "
                                              f"write '{n.id}' with `def`")
        converted = called | {f.name for f in module.entries()}
        for name in sorted(converted,
                           key=lambda n: module.functions[n].lineno):
            check(module.functions[name], f"'{name}'")
        # A function converted code calls, bound again or changed at module
        # level (`helper = other`, `helper.__defaults__ = (7.0,)`): Python
        # calls what the name holds then. (A function's own names are its.)
        for n in own_level(tree):
            target = n.value if isinstance(n, ast.Attribute) and \
                isinstance(n.ctx, (ast.Store, ast.Del)) else \
                n if isinstance(n, ast.Name) and \
                isinstance(n.ctx, (ast.Store, ast.Del)) else None
            if isinstance(target, ast.Name) and target.id in converted and \
                    target.id not in module.models:  # (a clash: said later)
                raise SourceError(n, f"the function '{target.id}', which "
                                  "converted code calls, is "
                                  f"{'changed' if target is not n else 'bound again'} "
                                  "here: predict converts its `def` as "
                                  "written; give the other function a "
                                  "name of its own")

    def program(self, tree):
        module = self.module
        module.read_module(tree)
        self.decorators_read(tree)
        self.unchanged_models(tree)
        entries = list(module.entries())
        if not entries:
            # A @tf.function defined in a function (the script's `main`)
            # that inline_script_functions left as written.
            for outer in ast.walk(tree):
                if not isinstance(outer, (ast.FunctionDef,
                                          ast.AsyncFunctionDef)):
                    continue
                for fn in ast.walk(outer):
                    if fn is not outer and \
                            isinstance(fn, ast.FunctionDef) and \
                            module.is_tf_function(fn):
                        raise SourceError(
                            fn, f"the @tf.function '{fn.name}' is defined "
                            f"inside the function '{outer.name}': predict "
                            "converts a @tf.function defined at module "
                            "level, or in the function the script runs "
                            f"(`{outer.name}()` as a statement of its own) "
                            "when that function takes no parameters, is "
                            "called once, binds no name the module binds "
                            "or reads, and has no `return`, `global` or "
                            "`yield`; define it (and the model it calls) "
                            "at module level")
            raise SourceError(tree.body[0] if tree.body else None,
                              "no @tf.function entry function in the file: "
                              "decorate the function to compile with "
                              "@tf.function (a @tf.function method of a "
                              "model made at module level is an entry "
                              "when its decorator gives input_signature)")
        constants = self.constants()
        return {
            "schema": SCHEMA, "version": VERSION, "file": module.path,
            "source": self.source,
            "imports": dict(module.imports),
            "models": [self.model(var, cls, call)
                       for var, (cls, call) in module.models.items()],
            "functions": [self.function(fn)
                          for fn in module.functions.values()],
            # (An array's is not: converted code reads it, or it is
            # changed.)
            "made_by": {name: made for name, made in module.made_by.items()
                        if made not in ARRAY_MAKERS},
            "constants": constants,
            "changed": sorted(
                name for name, n in module.binding_counts.items()
                if (n > 1 or name in module.changed) and
                name not in module.imports and name not in module.models),
            "changed_at": module.changed_at,
            # The text of the other values module variables are bound to
            # once, for the error where converted code reads one (also an
            # array maker's call that was not known, `tf.constant(np.arange
            # (6.0).reshape(3, 2))`: it was "not defined here").
            "module_values": {
                name: ast.unparse(node)[:80]
                for name, node in module.constant_nodes.items()
                if name not in constants and
                module.made_by.get(name) in ARRAY_MAKERS | {None} and
                name not in module.models},
            "entries": [self.entry(fn) for fn in entries],
            "frozen": sorted(module.frozen),
            # Keras's calls that set a model's weights when the program
            # runs (`model.load_weights("w.h5")`, `model.fit(...)`): the
            # builder refuses them where --weights gives none.
            "weight_loads": [{"model": m, "text": shortened(
                ast.get_source_segment(self.source, node) or
                ast.unparse(node)),
                              "loc": loc_json(node),
                              "method": node.func.attr
                              if isinstance(node, ast.Call) else node.attr,
                              "path": literal_str(node.args[0])
                              if isinstance(node, ast.Call) and node.args
                              else None}
                             for m, node in self.weight_loads],
        }


def read_program(path, source):
    """The program JSON (a dict) of `source`, read from `path`."""
    tree = ast.parse(source, filename=path)
    # The compiler's checks past the parser's (a parameter named twice,
    # `return` outside a function, `nonlocal` of no binding): Python's
    # SyntaxError before anything runs.
    compile(tree, path, "exec", dont_inherit=True)
    return ProgramWriter(SourceModule(path), source).program(tree)


def main(argv):
    # --compact (as predict-import asks): no indentation, which would grow
    # with the square of an expression's depth.
    compact = argv[:1] == ["--compact"]
    if compact:
        argv = argv[1:]
    if len(argv) != 1:
        print("usage: predict_read_source.py [--compact] FILE.py",
              file=sys.stderr)
        return 1
    path = argv[0]
    try:
        # As Python reads source: a BOM, or a PEP 263 coding line.
        with tokenize.open(path) as f:
            source = f.read()
    except (OSError, UnicodeDecodeError, SyntaxError) as e:
        print(f"predict-import: error: cannot read '{path}': {e}",
              file=sys.stderr)
        return 1
    try:
        program = read_program(path, source)
    except SyntaxError as e:
        print(f"{path}:{e.lineno or 1}:{e.offset or 1}: error: invalid "
              f"Python: {e.msg}", file=sys.stderr)
        return 1
    except (RecursionError, MemoryError):
        print(f"{path}: error: Python's parser cannot read the file: it "
              "nests too deeply", file=sys.stderr)
        return 1
    except SourceError as e:
        line, col = loc_json(e.node) if e.node is not None else (1, 1)
        print(f"{path}:{line}:{col}: error: {demangle(str(e))}",
              file=sys.stderr)
        return 1
    # json.dumps, not json.dump: the latter's generators pass every piece
    # up through every level of nesting.
    sys.stdout.write(json.dumps(program, ensure_ascii=False,
                                indent=None if compact else 1))
    sys.stdout.write("\n")
    return 0


def run(argv):
    """main(argv) as predict-import runs it, imported from its cached
    bytecode (lib/Import/PythonFrontEnd.cpp: compiling this file's source
    took 0.15 s of each import): its exit status."""
    import threading
    # Deep expressions (a long `x + x + ...`, bounded by the builder's
    # --max-nesting) are walked and written recursively: a thread with a
    # stack for it, and Python's limit raised to match.
    sys.setrecursionlimit(21000)
    threading.stack_size(512 << 20)
    status = []
    worker = threading.Thread(target=lambda: status.append(main(argv)))
    worker.start()
    worker.join()
    return status[0] if status else 2


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
