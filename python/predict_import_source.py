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
import ast
import math
import random
import struct
import sys
import zipfile

MODEL_BASES = {
    "tensorflow.keras.Model", "tensorflow.keras.models.Model", "keras.Model",
    "keras.models.Model", "tf_keras.Model",
}
TF_FUNCTION = {"tensorflow.function"}
# Keras layer classes of the subset, under every spelling an import gives.
LAYER_PREFIXES = ("tensorflow.keras.layers.", "keras.layers.")
# Keras's other names for the dialect's activations (which predict-import
# passes with --activations, from the dialect's enum).
ACTIVATION_ALIASES = {"silu": "swish", None: "linear"}
# tf.* calls that produce an example input: the shape is their first argument.
EXAMPLE_MAKERS = {"tensorflow.random.normal", "tensorflow.random.uniform",
                  "tensorflow.zeros", "tensorflow.ones",
                  "numpy.random.rand", "numpy.random.randn", "numpy.zeros",
                  "numpy.ones", "numpy.random.normal"}
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
}
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


class FrontendError(Exception):
    def __init__(self, node, message):
        super().__init__(message)
        self.node = node


# --- values ---------------------------------------------------------------

class Tensor:
    """An SSA tensor and what the front end knows of its shape: a tuple of
    ints and None (dynamic), or None when even the rank is unknown."""

    def __init__(self, ssa, shape):
        self.ssa, self.shape = ssa, shape

    @property
    def type(self):
        return tensor_type(self.shape)


class Index:
    def __init__(self, ssa):
        self.ssa = ssa


class List:
    """A list value: its SSA and a placeholder for the element type, filled
    in at the first append (the list is created before its type is seen)."""

    def __init__(self, ssa, slot):
        self.ssa, self.slot = ssa, slot


def tensor_type(shape):
    if shape is None:
        return "tensor<*xf32>"
    dims = "".join(("?" if d is None else str(d)) + "x" for d in shape)
    return f"tensor<{dims}f32>"


# --- weights --------------------------------------------------------------

def write_npz(path, arrays):
    with zipfile.ZipFile(path, "w") as z:
        for key, (shape, values) in arrays.items():
            header = ("{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }"
                      % "".join(f"{d}, " for d in shape)).encode()
            pad = 64 - (10 + len(header) + 1) % 64
            header += b" " * pad + b"\n"
            data = (b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header))
                    + header + struct.pack(f"<{len(values)}f", *values))
            # A fixed date: the same weights give the same bytes.
            z.writestr(zipfile.ZipInfo(key + ".npy", (1980, 1, 1, 0, 0, 0)),
                       data)


def read_npz(path):
    """{key: (shape, floats)} of an .npz of little-endian f4/f8 arrays (as
    numpy.savez writes them), with the standard library only."""
    arrays = {}
    with zipfile.ZipFile(path) as z:
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
    return "0x04000000" + struct.pack(f"<{len(values)}f", *values).hex().upper()


# --- the converter --------------------------------------------------------

class Converter:
    def __init__(self, path, seed, input_shapes, activations, given=None,
                 keras=None, foreign_shapes=None):
        self.path = path
        self.activations = activations
        # Foreign function -> "same", "broadcast" or "convolve": the rule of
        # its result type, from predict's registry (predict-import passes
        # it; docs/PythonSource.md).
        self.foreign_shapes = foreign_shapes or {}
        # The file name as an MLIR string literal.
        self.quoted = path.replace("\\", "\\\\").replace('"', '\\"')
        self.given = given     # weights from --weights, or None: drawn
        self.keras = keras     # a Keras .weights.h5, mapped to `given`
        self.rng = random.Random(seed)
        self.input_shapes = input_shapes
        self.imports = {}      # local name -> qualified name
        self.classes = {}      # class name -> ast.ClassDef
        self.models = {}       # module variable -> (class name, call node)
        self.functions = {}    # name -> ast.FunctionDef (module level)
        self.examples = {}     # module variable -> example input shape
        self.entry_args = {}   # entry function -> [shape of each argument]
        self.weights = {}      # key -> (shape, values)
        self.resources = []    # (name, values)
        self.list_types = {}   # slot -> element type
        self.counter = 0
        self.inlining = []     # helpers being converted, for recursion
        self.converted = {}    # model variable -> ConvertedModel

    # Helpers -----------------------------------------------------------

    def loc(self, node):
        return f'loc("{self.quoted}":{node.lineno}:{node.col_offset + 1})'

    def fresh(self, hint="v"):
        self.counter += 1
        return f"%{hint}.{self.counter}"  # "." keeps clear of Python names

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

    # The module --------------------------------------------------------

    def read_module(self, tree):
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
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) \
                        and sub.func.id in self.functions:
                    self.read_example_call(sub)

    def read_assignment(self, name, call):
        if isinstance(call.func, ast.Name) and call.func.id in self.classes:
            self.models[name] = (call.func.id, call)
            return
        if self.qualify(call.func) in EXAMPLE_MAKERS and call.args:
            shape = literal_shape(call.args[0])
            if shape is not None:
                self.examples[name] = shape

    def read_example_call(self, call):
        shapes = []
        for arg in call.args:
            if isinstance(arg, ast.Name) and arg.id in self.examples:
                shapes.append(self.examples[arg.id])
            elif isinstance(arg, ast.Call) and \
                    self.qualify(arg.func) in EXAMPLE_MAKERS and arg.args:
                shapes.append(literal_shape(arg.args[0]))
            else:
                shapes.append(None)
        self.entry_args.setdefault(call.func.id, shapes)

    def is_model_class(self, cls):
        return any(self.qualify(base) in MODEL_BASES for base in cls.bases)

    def entries(self):
        for name, fn in self.functions.items():
            if any(self.qualify(d) in TF_FUNCTION or (
                    isinstance(d, ast.Call) and self.qualify(d.func) in TF_FUNCTION)
                   for d in fn.decorator_list):
                yield fn

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
                # The batch dimension of the example becomes dynamic.
                shape = (None,) + tuple(shapes[i][1:])
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

    def init_params(self, init, call):
        args = init.args.args[1:]
        defaults = init.args.defaults
        values = {}
        for i, a in enumerate(args):
            d = i - (len(args) - len(defaults))
            if d >= 0:
                values[a.arg] = defaults[d]
        for a, v in zip(args, call.args):
            values[a.arg] = v
        for kw in call.keywords:
            values[kw.arg] = kw.value
        return values

    def init_statement(self, stmt, params, layers, constants):
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
                and isinstance(stmt.value.func, ast.Attribute) \
                and stmt.value.func.attr == "__init__":
            return  # super().__init__()
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Attribute)
                and isinstance(stmt.targets[0].value, ast.Name)
                and stmt.targets[0].value.id == "self"
                and isinstance(stmt.value, ast.Call)):
            raise FrontendError(stmt, "__init__ may only call super().__init__() "
                                "and assign layers or tf.constant values to "
                                "attributes (self.name = ...)")
        attr, call = stmt.targets[0].attr, stmt.value
        name = self.qualify(call.func) or ""
        if name in ("tensorflow.constant", "tensorflow.convert_to_tensor"):
            values = self.literal(call.args[0] if call.args else None, params)
            flat, shape = flatten(values, call)
            constants[attr] = (flat, shape, call)
        elif name.startswith(LAYER_PREFIXES) and name.endswith(".Dense"):
            units = self.argument(call, 0, "units", params)
            activation = self.argument(call, 1, "activation", params, None)
            if not isinstance(units, int) or units <= 0:
                raise FrontendError(call, f"Dense units must be a positive "
                                    f"integer, not {units!r}")
            activation = ACTIVATION_ALIASES.get(activation, activation)
            if activation not in self.activations:
                raise FrontendError(call, f"unknown activation {activation!r} "
                                    f"(known: {', '.join(sorted(self.activations))})")
            use_bias = self.argument(call, 2, "use_bias", params, True)
            layers[attr] = Layer("dense", call, units=units,
                                 activation=activation, use_bias=use_bias)
        elif name.startswith(LAYER_PREFIXES) and \
                name.endswith(".BatchNormalization"):
            # Keras's order: axis, momentum, epsilon, center, scale.
            axis = self.argument(call, 0, "axis", params, -1)
            epsilon = self.argument(call, 2, "epsilon", params, 1e-3)
            if not isinstance(axis, int) or not isinstance(epsilon, (int, float)) \
                    or epsilon <= 0:
                raise FrontendError(call, "BatchNormalization needs an integer "
                                    "axis and a positive epsilon")
            layers[attr] = Layer(
                "batch_norm", call, axis=axis, epsilon=float(epsilon),
                center=self.argument(call, 3, "center", params, True),
                scale=self.argument(call, 4, "scale", params, True))
        else:
            raise FrontendError(call, f"unsupported layer or value "
                                f"'{name or ast.unparse(call.func)}' in __init__ "
                                "(supported: tf.keras.layers.Dense, "
                                "tf.keras.layers.BatchNormalization, "
                                "tf.constant)")

    def argument(self, call, position, keyword, params, default=...):
        node = None
        if position < len(call.args):
            node = call.args[position]
        for kw in call.keywords:
            if kw.arg == keyword:
                node = kw.value
        if node is None:
            if default is ...:
                raise FrontendError(call, f"missing argument '{keyword}'")
            return default
        return self.literal(node, params)

    def literal(self, node, params):
        if isinstance(node, ast.Name) and node.id in params:
            return self.literal(params[node.id], params)
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError):
            raise FrontendError(node if node is not None else ast.Module(),
                                "expected a literal value (a number, string "
                                "or list) or an __init__ parameter with a "
                                "default")

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
        if self.resources:
            text += ("\n{-#\n  dialect_resources: {\n    builtin: {\n"
                     + ",\n".join(f'      {n}: "{blob(v)}"'
                                  for n, v in self.resources)
                     + "\n    }\n  }\n#-}\n")
        return text

    def entry(self, fn):
        args = self.signature(fn)
        body = FunctionBody(self, fn, {
            name: Tensor(f"%{name}", shape) for name, shape, _ in args})
        results = body.convert(fn.body)
        params = ", ".join(f"%{name}: {tensor_type(shape)} {self.loc(node)}"
                           for name, shape, node in args)
        head = (f"func.func @{fn.name}({params}) -> "
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
        if len(args) != 1:
            raise FrontendError(method, f"'{class_name}.{method_name}' must "
                                "take one input to be called as a model")
        if self.keras:
            self.given.update(self.keras.by_attribute(layers))
        model = ModelInfo(var, layers, constants, methods)
        body = FunctionBody(self, method, {args[0].arg: Tensor(
            f"%{args[0].arg}", shape)}, model)
        results = body.convert(method.body)
        if len(results) != 1:
            raise FrontendError(body.return_node, f"'{class_name}."
                                f"{method_name}' returns {len(results)} "
                                "values; a model call returns one tensor")
        return ConvertedModel(class_name, call, method, shape, model, body,
                              results)

    def emit_model(self, var, m):
        lines = [f'predict.model @{var} class "{m.class_name}" {{']
        # Layers: emitted once their input width is known from the body.
        for attr, layer in m.model.layers.items():
            width = m.model.fan_in.get(attr)
            if width is not None:  # else never called: nothing to emit
                lines.append(self.emit_layer(var, attr, layer, width))
        arg = m.method.args.args[1]
        lines.append(f"  predict.method @{m.method.name}(%{arg.arg}: "
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
        def tensor(kind, shape, draw):
            values = self.weight(attr, kind, shape, layer.node, draw)
            name = f"{var}_{attr}_{kind}"
            self.resources.append((name, values))
            return f"dense_resource<{name}> : {tensor_type(shape)}"

        a = layer.args
        if layer.kind == "dense":
            units = a["units"]
            text = (f"  predict.layer.dense @{attr} kernel = " + tensor(
                "kernel", (width, units), lambda: self.glorot(width, units)))
            if a["use_bias"]:
                text += "\n      bias = " + tensor("bias", (units,),
                                                   lambda: [0.0] * units)
            text += f" activation {a['activation']}"
        else:
            text = (f"  predict.layer.batch_norm @{attr}"
                    f" mean = {tensor('moving_mean', (width,), lambda: [0.0] * width)}"
                    f"\n      variance = "
                    f"{tensor('moving_variance', (width,), lambda: [1.0] * width)}")
            if a["scale"]:
                text += f" gamma = {tensor('gamma', (width,), lambda: [1.0] * width)}"
            if a["center"]:
                text += f" beta = {tensor('beta', (width,), lambda: [0.0] * width)}"
            text += f"\n      epsilon = {a['epsilon']!r} axis = {a['axis']}"
        return f"{text} {self.loc(layer.node)}"

    def weight(self, attr, kind, shape, node, draw):
        key = f"{attr}/{kind}"
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

    def glorot(self, fan_in, fan_out):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return [self.rng.uniform(-limit, limit) for _ in range(fan_in * fan_out)]


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


def literal_shape(node):
    try:
        shape = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None
    if isinstance(shape, int):
        shape = (shape,)
    if isinstance(shape, (tuple, list)) and all(
            isinstance(d, int) and d >= 0 for d in shape):
        return tuple(shape)
    return None


def flatten(values, node):
    if isinstance(values, (int, float)):
        return [float(values)], ()
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
            self.env[stmt.targets[0].id] = self.expr(stmt.value)
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

    def append(self, call):
        target = call.func.value
        lst = self.expr(target)
        if not isinstance(lst, List) or len(call.args) != 1:
            raise FrontendError(call, "append is supported on a list "
                                "created with [] and takes one tensor")
        item = self.tensor(self.expr(call.args[0]), call.args[0])
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
        self.env[target.id] = List(result, lst.slot)

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
        # Loop-carried: names the body rebinds (or appends to) that exist
        # before the loop.
        carried = []
        for sub in ast.walk(ast.Module(body=stmt.body, type_ignores=[])):
            name = None
            if isinstance(sub, ast.Assign):
                name = getattr(sub.targets[0], "id", None)
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                    and sub.func.attr == "append" \
                    and isinstance(sub.func.value, ast.Name):
                name = sub.func.value.id
            if name in self.env and name not in carried:
                carried.append(name)
        ivar = self.conv.fresh(stmt.target.id)
        inits = [self.env[n] for n in carried]
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
        self.env[stmt.target.id] = Index(ivar)
        for n, v in zip(carried, inits):
            self.env[n] = rebind(v, blocks[n])
        self.indent += "  "
        for s in stmt.body:
            if isinstance(s, ast.Return):
                raise FrontendError(s, "`return` inside a loop is not "
                                    "supported")
            self.statement(s)
        yields = [self.env[n] for n in carried]
        for i, (n, v, init) in enumerate(zip(carried, yields, inits)):
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
        # Names first bound inside the loop do not outlive it here.
        self.env = outer
        for n, r, init in zip(carried, results, inits):
            self.env[n] = rebind(init, r)

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
        self.emit(f"{ssa} = arith.constant {n} : index {self.conv.loc(node)}")
        return Index(ssa)

    def expr(self, node):
        loc = self.conv.loc(node)
        if isinstance(node, ast.Name):
            if node.id not in self.env:
                raise FrontendError(node, f"'{node.id}' is not defined here "
                                    "(converted code sees its arguments and "
                                    "the names it assigns)")
            return self.env[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, int) \
                and not isinstance(node.value, bool):
            return self.constant_index(node.value, node)
        if isinstance(node, ast.List) and not node.elts:
            ssa = self.conv.fresh("list")
            slot = f"@@LIST{ssa[1:]}@@"
            self.emit(f"{ssa} = predict.list.empty : !predict.list<{slot}> {loc}")
            return List(ssa, slot)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            value = self.expr(node.operand)
            if isinstance(value, Index):
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
        loc = self.conv.loc(node)
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
            op = INDEX_BINARY.get(type(node.op))
            if op is None:
                raise FrontendError(node, "integer arithmetic supports + - *")
            ssa = self.conv.fresh()
            self.emit(f"{ssa} = {op} {lhs.ssa}, {rhs.ssa} : index {loc}")
            return Index(ssa)
        op = BINARY.get(type(node.op))
        if op is None or not isinstance(lhs, Tensor) or not isinstance(rhs, Tensor):
            raise FrontendError(node, "tensor arithmetic supports + - * / ** @ "
                                "between tensors and numbers")
        return self.tensor_binary(op, lhs, rhs, node)

    def number(self, node, other):
        value = number_value(node)
        if isinstance(other, Index) and isinstance(value, int):
            return self.constant_index(value, node)
        return self.constant([float(value)], (), node)

    def operand(self, node):
        """A tensor argument of a call; a number is a scalar tensor."""
        if is_number(node):
            return self.constant([float(number_value(node))], (), node)
        return self.tensor(self.expr(node), node)

    def constant(self, flat, shape, node):
        ssa = self.conv.fresh("k")
        body = nest(flat, shape) if shape else repr(flat[0])
        self.emit(f"{ssa} = predict.constant dense<{body}> : "
                  f"{tensor_type(shape)} {self.conv.loc(node)}")
        return Tensor(ssa, shape)

    def tensor_binary(self, op, lhs, rhs, node):
        shape = None
        if op == "matmul":
            if lhs.shape is not None and rhs.shape is not None \
                    and len(lhs.shape) == 2 and len(rhs.shape) == 2:
                shape = (lhs.shape[0], rhs.shape[1])
        else:
            shape = broadcast_shape([lhs.shape, rhs.shape])
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.{op} {lhs.ssa}, {rhs.ssa} : ({lhs.type}, "
                  f"{rhs.type}) -> {tensor_type(shape)} {self.conv.loc(node)}")
        return Tensor(ssa, shape)

    def unary(self, op, value, node):
        value = self.tensor(value, node)
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.{op} {value.ssa} : {value.type} "
                  f"{self.conv.loc(node)}")
        return Tensor(ssa, value.shape)

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
            return Index(ssa)
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
        start = (self.index(self.expr(s.lower), s.lower) if s.lower
                 else self.constant_index(0, node))
        if s.upper is not None:
            stop = self.index(self.expr(s.upper), s.upper)
        else:
            stop = Index(self.conv.fresh("n"))
            self.emit(f"{stop.ssa} = predict.dim {value.ssa}, {axis} : "
                      f"{value.type} {self.conv.loc(node)}")
        # The size when it is known: x[i:i+1] is one row (inside the bounds,
        # as a loop over range(x.shape[0]) keeps it); constant bounds on a
        # static axis clamp as Python does.
        size = None
        lo, hi, dim = (literal_int(s.lower) if s.lower else 0,
                       literal_int(s.upper) if s.upper else None,
                       value.shape[axis])
        if s.lower is not None and s.upper is not None and ast.dump(s.upper) \
                == ast.dump(ast.BinOp(left=s.lower, op=ast.Add(),
                                      right=ast.Constant(value=1))):
            size = 1
        elif dim is not None and lo is not None and (hi is not None
                                                     or s.upper is None):
            bound = lambda b: max(0, min(dim, b + dim if b < 0 else b))
            size = max(0, bound(dim if hi is None else hi) - bound(lo))
        shape = tuple(value.shape[:axis]) + (size,) + tuple(value.shape[axis + 1:])
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.slice {value.ssa}[{start.ssa} : {stop.ssa}] "
                  f"axis {axis} : {value.type} -> {tensor_type(shape)} "
                  f"{self.conv.loc(node)}")
        return Tensor(ssa, shape)

    def call(self, node):
        func, loc = node.func, self.conv.loc(node)
        # self.layer(x)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "self" and self.model \
                and func.attr in self.model.layers:
            return self.apply_layer(func.attr, node)
        # model(x), model.predict(x)
        target, method = None, None
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
        name = self.conv.qualify(func)
        if name is None:
            raise FrontendError(node, f"cannot convert the call "
                                f"'{ast.unparse(func)}': it is neither a "
                                "layer, a model, nor a name imported into "
                                "the file")
        if name in ("tensorflow.concat", "tensorflow.stack"):
            return self.list_op("concat" if name.endswith("concat") else "stack",
                                node)
        if name in ("tensorflow.constant", "tensorflow.convert_to_tensor") \
                and len(node.args) == 1 and not node.keywords:
            try:
                values = ast.literal_eval(node.args[0])
            except (ValueError, TypeError, SyntaxError):
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
            self.expect_args(node, 1)
            value = self.tensor(self.expr(node.args[0]), node.args[0])
            ssa = self.conv.fresh()
            self.emit(f"{ssa} = predict.activation {ACTIVATION_CALLS[name]} "
                      f"{value.ssa} : {value.type} {loc}")
            return Tensor(ssa, value.shape)
        return self.foreign(name, node)

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
        if value.shape is None or not -len(value.shape) <= axis < len(value.shape) \
                or value.shape[axis] is None:
            raise FrontendError(node, f"the input of self.{attr} needs a known "
                                f"size on axis {axis} (its weights' length)")
        width = self.model.fan_in.setdefault(attr, value.shape[axis])
        if width != value.shape[axis]:
            raise FrontendError(node, f"self.{attr} is called on inputs of "
                                f"{width} and of {value.shape[axis]} features")
        shape = value.shape
        if layer.kind == "dense":
            shape = tuple(value.shape[:-1]) + (layer.args["units"],)
        ssa = self.conv.fresh("x")
        self.emit(f"{ssa} = predict.apply @{attr}({value.ssa}) : ({value.type}) "
                  f"-> {tensor_type(shape)} {self.conv.loc(node)}")
        return Tensor(ssa, shape)

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
        converted = self.conv.converted.get(target)
        if converted is None:
            converted = self.conv.convert_model(target, impl, value.shape)
            self.conv.converted[target] = converted
        elif converted.shape != value.shape or converted.method.name != impl:
            raise FrontendError(node, f"'{target}' is used with another "
                                "method or input shape elsewhere; one use "
                                "per model is supported")
        result = converted.results[0].shape
        op = "model_predict" if method == "predict" else "model_call"
        ssa = self.conv.fresh()
        self.emit(f"{ssa} = predict.{op} @{target}({value.ssa}) : "
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
        if len(node.args) > 1:
            axis = literal_int(node.args[1])
        if axis is None:
            raise FrontendError(node, f"tf.{op} needs a constant axis")
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
        self.emit(f"{ssa} = predict.list.{op} {lst.ssa} axis = {axis} : "
                  f"!predict.list<{lst.slot}> -> {tensor_type(shape)} "
                  f"{self.conv.loc(node)}")
        return Tensor(ssa, shape)

    def foreign(self, name, node):
        args = [self.operand(a) for a in node.args]
        kwargs = []
        for kw in node.keywords:
            try:
                value = ast.literal_eval(kw.value)
            except (ValueError, TypeError, SyntaxError):
                raise FrontendError(kw.value, f"keyword '{kw.arg}' of "
                                    f"{name} must be a literal")
            kwargs.append(f"{kw.arg} = {attribute(value, kw.value)}")
        rule = self.conv.foreign_shapes.get(name)
        shape = None
        if rule == "same" and args:
            shape = args[0].shape
        elif rule == "broadcast" and args:
            shape = broadcast_shape([a.shape for a in args])
        elif rule == "convolve" and len(args) == 2:
            # Positional arguments are tensors: the mode is a keyword.
            mode = next((kw.value for kw in node.keywords if kw.arg == "mode"),
                        None)
            mode = "full" if mode is None else literal_str(mode)
            shape = convolve_shape(args[0].shape, args[1].shape, mode)
        ssa = self.conv.fresh()
        kw = f" kwargs {{{', '.join(kwargs)}}}" if kwargs else ""
        self.emit(f'{ssa} = predict.foreign_call "{name}"'
                  f"({', '.join(a.ssa for a in args)}){kw} : "
                  f"({', '.join(a.type for a in args)}) -> {tensor_type(shape)} "
                  f"{self.conv.loc(node)}")
        return Tensor(ssa, shape)


def attribute(value, node):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value} : i64"
    if isinstance(value, float):
        return f"{value!r} : f64"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise FrontendError(node, "keyword values of a foreign call must be "
                        "numbers, strings or booleans")


def is_number(node):
    """A number literal, negative ones (`-0.5`) included."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and not isinstance(node.value, bool) \
        and isinstance(node.value, (int, float))


def broadcast_shape(shapes):
    """The shape of an elementwise result, as far as it is known statically:
    operands of one shape, or that shape and scalars; else None."""
    known = [sh for sh in shapes if sh != ()]
    if not known:
        return ()
    if any(sh is None or sh != known[0] for sh in known):
        return None
    return known[0]


def literal_str(node):
    return node.value if isinstance(node, ast.Constant) and \
        isinstance(node.value, str) else None


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
    if isinstance(node, ast.UnaryOp):
        return -node.operand.value
    return node.value


def nest(flat, shape):
    if len(shape) == 1:
        return "[" + ", ".join(repr(v) for v in flat) + "]"
    step = len(flat) // shape[0]
    return "[" + ", ".join(nest(flat[i * step:(i + 1) * step], shape[1:])
                           for i in range(shape[0])) + "]"


def literal_int(node):
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


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
        return List(ssa, value.slot)
    return Index(ssa)




def parse_input_shape(text):
    name, _, spec = text.partition("=")
    parts = spec.split("x")
    if not name or len(parts) < 2 or parts[-1] != "f32":
        raise ValueError
    return name, tuple(None if p == "?" else int(p) for p in parts[:-1])


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
    args = parser.parse_args(argv)
    shapes = {}
    for spec in args.input_shape:
        try:
            name, shape = parse_input_shape(spec)
        except ValueError:
            print(f"predict-import: error: --input-shape={spec}: expected "
                  "NAME=DIMSxf32 such as inputs=?x100xf32", file=sys.stderr)
            return 1
        shapes[name] = shape
    try:
        with open(args.source, encoding="utf-8") as f:
            source = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print(f"predict-import: error: cannot read '{args.source}': {e}",
              file=sys.stderr)
        return 1
    try:
        tree = ast.parse(source, filename=args.source)
    except SyntaxError as e:
        print(f"{args.source}:{e.lineno}:{e.offset}: error: invalid Python: "
              f"{e.msg}", file=sys.stderr)
        return 1
    given, keras = None, None
    if args.weights or args.keras_weights:
        try:
            if args.weights:
                given = read_npz(args.weights)
            else:
                keras = KerasWeights(read_npz(args.keras_weights),
                                     args.weights_name)
                given = {}
        except (OSError, zipfile.BadZipFile, ValueError, SyntaxError,
                KeyError, struct.error) as e:
            print(f"predict-import: error: cannot read weights "
                  f"'{args.weights}': {e}", file=sys.stderr)
            return 1
    foreign_shapes = dict(entry.split("=", 1)
                          for entry in args.foreign_shapes.split(",") if entry)
    conv = Converter(args.source, args.seed, shapes,
                     set(args.activations.split(",")), given, keras,
                     foreign_shapes)
    try:
        text = conv.run(tree)
    except FrontendError as e:
        line = getattr(e.node, "lineno", 1)
        col = getattr(e.node, "col_offset", 0) + 1
        print(f"{args.source}:{line}:{col}: error: {e}", file=sys.stderr)
        return 1
    if args.dump_weights:
        try:
            write_npz(args.dump_weights, conv.weights)
        except OSError as e:
            print(f"predict-import: error: cannot write '{args.dump_weights}'"
                  f": {e}", file=sys.stderr)
            return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except RecursionError:
        print("predict-import: error: the source nests too deeply to convert",
              file=sys.stderr)
        sys.exit(1)
    except Exception as e:  # a bug of ours: say so, without a traceback
        print(f"predict-import: internal error in the Python front end "
              f"({type(e).__name__}: {e}); please report it with the source",
              file=sys.stderr)
        sys.exit(2)
