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
import json
import sys
import tokenize

SCHEMA = "predict.python-program"
VERSION = 1

MODEL_BASES = {
    "tensorflow.keras.Model", "tensorflow.keras.models.Model", "keras.Model",
    "keras.models.Model", "tf_keras.Model",
}
TF_FUNCTION = {"tensorflow.function"}
# Keras layer classes, under every spelling an import gives.
LAYER_PREFIXES = ("tensorflow.keras.layers.", "keras.layers.")
# Calls that make a constant attribute in __init__.
CONSTANT_MAKERS = ("tensorflow.constant", "tensorflow.convert_to_tensor")
# Calls that produce an example input, and where each takes its shape:
# the first argument (or `shape=`); numpy.random.rand's arguments, one a
# size; numpy.random.normal's and uniform's third argument (or `size=`),
# after loc and scale (low and high).
EXAMPLE_MAKERS = {"tensorflow.random.normal": "shape",
                  "tensorflow.random.uniform": "shape",
                  "tensorflow.zeros": "shape", "tensorflow.ones": "shape",
                  "numpy.zeros": "shape", "numpy.ones": "shape",
                  "numpy.random.rand": "sizes", "numpy.random.randn": "sizes",
                  "numpy.random.normal": "size",
                  "numpy.random.uniform": "size"}
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


def fold_number(node):
    """The value Python gives an expression of number literals alone
    (`-0.5`, `1/3`, `2**-1`, `7 // 2`, `float("inf")`), else None; a
    SourceError where Python raises (division by zero) or the value would be
    too large to compute (`10**10**10`)."""
    if isinstance(node, ast.Constant):
        value = node.value
        return value if isinstance(value, (int, float)) and \
            not isinstance(value, bool) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in ("float", "int") and len(node.args) == 1 \
            and not node.keywords:
        arg = node.args[0]
        value = arg.value if isinstance(arg, ast.Constant) and \
            isinstance(arg.value, str) else fold_number(arg)
        if value is None:
            return None
        try:
            return (float if node.func.id == "float" else int)(value)
        except (ValueError, OverflowError) as e:
            raise SourceError(node, f"{ast.unparse(node)}: {e} (Python "
                              "raises here)")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op,
                                                    (ast.USub, ast.UAdd)):
        value = fold_number(node.operand)
        if value is None:
            return None
        return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, ast.BinOp) and type(node.op) in NUMBER_OPS:
        lhs = fold_number(node.left)
        rhs = None if lhs is None else fold_number(node.right)
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
    a SourceError for a size beyond 64 bits."""
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


# The module ----------------------------------------------------------------

class SourceModule:
    """What a file declares: its imports, classes, functions, model
    instantiations and the example inputs its script code makes."""

    def __init__(self, path):
        self.path = path
        self.imports = {}      # local name -> qualified name
        self.classes = {}      # class name -> ast.ClassDef
        self.models = {}       # module variable -> (class name, call node)
        self.functions = {}    # name -> ast.FunctionDef (module level)
        self.examples = {}     # module variable -> example input shape
        self.entry_args = {}   # entry function -> [shape of each argument]
        # Module variable -> the qualified callable that made it, for the
        # calls not read as models (`tf.keras.Sequential`).
        self.made_by = {}

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
        made = self.qualify(call.func)
        if made is not None:
            self.made_by[name] = made
        if self.qualify(call.func) in EXAMPLE_MAKERS:
            shape = self.example_shape(call)
            if shape is not None:
                self.examples[name] = shape

    def example_shape(self, call):
        """The shape of the example input that `call` makes (a call of
        EXAMPLE_MAKERS), each maker's argument read as the maker reads it;
        None when it is not literal."""
        rule = EXAMPLE_MAKERS[self.qualify(call.func)]
        if rule == "sizes":  # np.random.rand(3, 100)
            if call.keywords:
                return None
            sizes = [literal_int(a) for a in call.args]
            return None if None in sizes else literal_shape(
                ast.copy_location(ast.Tuple(elts=call.args, ctx=ast.Load()),
                                  call))
        keyword, position = ("shape", 0) if rule == "shape" else ("size", 2)
        node = next((kw.value for kw in call.keywords if kw.arg == keyword),
                    call.args[position] if len(call.args) > position
                    else None)
        return None if node is None else literal_shape(node)

    def read_example_call(self, call):
        shapes = []
        for arg in call.args:
            if isinstance(arg, ast.Name) and arg.id in self.examples:
                shapes.append(self.examples[arg.id])
            elif isinstance(arg, ast.Call) and \
                    self.qualify(arg.func) in EXAMPLE_MAKERS:
                shapes.append(self.example_shape(arg))
            else:
                shapes.append(None)
        self.entry_args.setdefault(call.func.id, shapes)

    def is_model_class(self, cls):
        return any(self.qualify(base) in MODEL_BASES for base in cls.bases)

    def entries(self):
        """The module's @tf.function functions, in source order."""
        for fn in self.functions.values():
            if any(self.qualify(d) in TF_FUNCTION or (
                    isinstance(d, ast.Call) and
                    self.qualify(d.func) in TF_FUNCTION)
                   for d in fn.decorator_list):
                yield fn

    def init_params(self, init, call):
        """The values of `init`'s parameters (after self) for the
        instantiation `call`, as ast nodes: Python's binding of arguments
        to parameters, defaults included. A surplus, unknown or repeated
        argument is Python's TypeError here, never dropped."""
        args = init.args.args[1:]
        defaults = init.args.defaults
        values = {}
        for i, a in enumerate(args):
            d = i - (len(args) - len(defaults))
            if d >= 0:
                values[a.arg] = defaults[d]
        name = ast.unparse(call.func)
        if (len(call.args) > len(args) and init.args.vararg is None) or any(
                isinstance(a, ast.Starred) for a in call.args):
            raise SourceError(call, f"{name}(...) takes {len(args)} "
                              "positional argument(s) after self, given "
                              "one by one")
        for a, v in zip(args, call.args):
            values[a.arg] = v
        given = {a.arg for a in args[:len(call.args)]}
        for kw in call.keywords:
            if kw.arg in ("name", "trainable") and init.args.kwarg is not None:
                continue  # **kwargs, passed on to keras.Model
            if kw.arg is None or kw.arg not in {a.arg for a in args}:
                raise SourceError(kw.value, f"{name}(...) has no "
                                  f"parameter '{kw.arg or '**'}' in its "
                                  "__init__")
            if kw.arg in given:
                raise SourceError(kw.value, f"{name}(...) is given "
                                  f"'{kw.arg}' twice")
            given.add(kw.arg)
            values[kw.arg] = kw.value
        return values

    def literal(self, node, params):
        """The value of a literal argument (a number, string, bool, None,
        or a list or tuple of them), or of an __init__ parameter bound to
        one; expressions of numbers fold as Python folds them."""
        if isinstance(node, ast.Name) and node.id in params:
            return self.literal(params[node.id], params)
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError):
            number = literal_numbers(node) if node is not None else None
            if number is not None:
                return number
            raise SourceError(node if node is not None else ast.Module(),
                              "expected a literal value (a number, string "
                              "or list) or an __init__ parameter with a "
                              "default")


def init_assignment(stmt):
    """`self.attr = call(...)` in __init__: (attr, call); None for
    super().__init__(); a SourceError for any other statement."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
            and isinstance(stmt.value.func, ast.Attribute) \
            and stmt.value.func.attr == "__init__":
        return None
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Attribute)
            and isinstance(stmt.targets[0].value, ast.Name)
            and stmt.targets[0].value.id == "self"
            and isinstance(stmt.value, ast.Call)):
        raise SourceError(stmt, "__init__ may only call super().__init__() "
                          "and assign layers or tf.constant values to "
                          "attributes (self.name = ...)")
    return stmt.targets[0].attr, stmt.value


# The program's JSON ----------------------------------------------------------

def value_json(value, node):
    """A Python value in the schema's encoding: numbers as objects holding
    their exact text (`{"float": "1e-05"}`, `{"float": "inf"}`,
    `{"int": "12345678901234567890"}`), so that no JSON reader rounds them;
    strings, booleans and None as JSON's; lists and tuples tagged."""
    if value is None or isinstance(value, (bool, str)):
        return value
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
    raise SourceError(node, f"a value of type {type(value).__name__} "
                      "cannot be handed on")


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


def loc_json(node):
    """[line, column], both from 1, as compilers print them."""
    return [getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1]


class ProgramWriter:
    """Turns a read SourceModule into the program's JSON."""

    def __init__(self, module, source):
        self.module, self.source = module, source
        self.holding = []  # the model classes being read, outermost first

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
        if isinstance(node, (ast.UnaryOp, ast.BinOp, ast.Call)) and \
                all(numeric_json(c) for c in folding_operands(out)):
            # What Python computes of numbers alone (`-0.5`, `1/3`,
            # `float("inf")`), or why it raises.
            try:
                number = fold_number(node)
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
                "defaults": self.node(fn.args.defaults),
                "body": self.node(fn.body)}

    def argument(self, node, params):
        """A constructor argument's value: a literal (through __init__'s
        parameters), or a function named through the imports (an
        activation given as `tf.nn.relu`)."""
        target = node
        while isinstance(target, ast.Name) and target.id in params:
            target = params[target.id]
        qualified = self.module.qualify(target)
        if qualified is not None:
            return {"function": qualified}
        return value_json(self.module.literal(node, params), node)

    def call_arguments(self, call, params):
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                raise SourceError(arg, "give the arguments one by one, "
                                  "not as *args")
        for kw in call.keywords:
            if kw.arg is None:
                raise SourceError(kw.value, "give the arguments by name, "
                                  "not as **kwargs")
        return ([self.argument(a, params) for a in call.args],
                {kw.arg: self.argument(kw.value, params)
                 for kw in call.keywords})

    def model(self, var, class_name, call, outer_params=None):
        cls = self.module.classes[class_name]
        if not self.module.is_model_class(cls):
            raise SourceError(cls, f"class '{class_name}' does not derive "
                              "from tf.keras.Model")
        methods = [f for f in cls.body if isinstance(f, ast.FunctionDef)]
        init = next((f for f in methods if f.name == "__init__"), None)
        params = self.module.init_params(init, call) if init else {}
        # A model made in another's __init__ may be given that __init__'s
        # parameters: their values.
        for key, value in list(params.items()):
            while isinstance(value, ast.Name) and outer_params \
                    and value.id in outer_params:
                value = outer_params[value.id]
            params[key] = value
        attributes = []
        self.holding.append(class_name)
        for stmt in (init.body if init else []):
            attribute = self.init_statement(stmt, params)
            if attribute is not None:
                attributes.append(attribute)
        self.holding.pop()
        return {"name": var, "class": class_name, "loc": loc_json(call),
                "class_loc": loc_json(cls), "attributes": attributes,
                "methods": [self.function(f) for f in methods
                            if f.name != "__init__"]}

    def init_statement(self, stmt, params):
        """A layer or constant made in __init__, as a Keras-style object
        ({"kind": "layer", "class_name", "args", "kwargs"}); None for
        super().__init__()."""
        target = init_assignment(stmt)
        if target is None:
            return None
        attr, call = target
        # A model held as an attribute (`self.encoder = Encoder()`): its
        # own model object, read as the module's are.
        if isinstance(call.func, ast.Name) and \
                call.func.id in self.module.classes and \
                self.module.is_model_class(
                    self.module.classes[call.func.id]):
            held = call.func.id
            if held in self.holding:
                raise SourceError(call, f"class '{held}' holds an instance "
                                  "of itself: Keras would construct it "
                                  "without end")
            return {"attr": attr, "loc": loc_json(call), "kind": "model",
                    "class_name": held,
                    "model": self.model(attr, held, call, params)}
        name = self.module.qualify(call.func) or ""
        args, kwargs = self.call_arguments(call, params)
        # Where each argument is, for the builder's messages about one.
        out = {"attr": attr, "loc": loc_json(call), "args": args,
               "kwargs": kwargs,
               "arg_locs": [loc_json(a) for a in call.args],
               "kwarg_locs": {kw.arg: loc_json(kw.value)
                              for kw in call.keywords}}
        if name in CONSTANT_MAKERS:
            out.update(kind="constant", function=name)
        elif name.startswith(LAYER_PREFIXES):
            out.update(kind="layer", class_name=name.rsplit(".", 1)[1],
                       module=name.rsplit(".", 1)[0])
        else:
            raise SourceError(call, f"unsupported layer or value "
                              f"'{name or ast.unparse(call.func)}' in "
                              "__init__ (a tf.keras.layers class, a model "
                              "class of the file or tf.constant)")
        return out

    def program(self, tree):
        module = self.module
        module.read_module(tree)
        entries = list(module.entries())
        if not entries:
            raise SourceError(tree.body[0] if tree.body else None,
                              "no @tf.function entry function in the file: "
                              "decorate the function to compile with "
                              "@tf.function")
        return {
            "schema": SCHEMA, "version": VERSION, "file": module.path,
            "source": self.source,
            "imports": dict(module.imports),
            "models": [self.model(var, cls, call)
                       for var, (cls, call) in module.models.items()],
            "functions": [self.function(fn)
                          for fn in module.functions.values()],
            "made_by": dict(module.made_by),
            "entries": [{"function": fn.name, "loc": loc_json(fn),
                         "examples": [None if s is None else
                                      {"tuple": [{"int": str(d)} for d in s]}
                                      for s in module.entry_args.get(
                                          fn.name, [])]}
                        for fn in entries],
        }


def read_program(path, source):
    """The program JSON (a dict) of `source`, read from `path`."""
    tree = ast.parse(source, filename=path)
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
        print(f"{path}:{line}:{col}: error: {e}", file=sys.stderr)
        return 1
    # json.dumps, not json.dump: the latter's generators pass every piece
    # up through every level of nesting.
    sys.stdout.write(json.dumps(program, ensure_ascii=False,
                                indent=None if compact else 1))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    import threading
    # Deep expressions (a long `x + x + ...`, bounded by the builder's
    # --max-nesting) are walked and written recursively: a thread with a
    # stack for it, and Python's limit raised to match.
    sys.setrecursionlimit(21000)
    threading.stack_size(512 << 20)
    status = []
    worker = threading.Thread(target=lambda: status.append(main(sys.argv[1:])))
    worker.start()
    worker.join()
    sys.exit(status[0] if status else 2)
