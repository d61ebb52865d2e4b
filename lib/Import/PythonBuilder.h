//===- PythonBuilder.h - the C++ builder of the Python front end -*- C++ -*-===//
//
// Private to lib/Import. The builder walks the reader's program JSON
// (docs/PythonProgram.md) and makes the predict dialect with its builders;
// each op is typed by its own shape rule as it is built. Its parts:
//
//   PythonProgram.cpp      the driver: entries, signatures, statements
//   PythonExpressions.cpp  names, numbers, operators
//   PythonCalls.cpp        helpers, tf.* calls, tf.constant, foreign calls
//   PythonModels.cpp       models, their layers (the layer registry), calls
//   PythonWeights.cpp      weights drawn (--seed) or read (--weights), dumped
//   PythonLoops.cpp        `for` loops, lists, integers, slices and shapes
//   PythonArguments.cpp    tf.* signatures; arguments bound as Python does
//   PythonTensorOps.cpp    tf.* reductions, argmax, casts, logical ops
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_LIB_IMPORT_PYTHONBUILDER_H
#define PREDICT_LIB_IMPORT_PYTHONBUILDER_H

#include "Layers/Masks.h"
#include "predict/Import/LayerRegistry.h"
#include "predict/Import/PythonProgram.h"

#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>

namespace mlir::predict::python {

namespace json = llvm::json;

/// What a tf.TensorArray adds to the list that holds its elements
/// (PythonTensorArrays.cpp; docs/PythonSource.md, TensorArray). Shared by
/// every version of one TensorArray (each write makes a new version).
struct TensorArrayInfo {
  /// The `tf.TensorArray(...)` call.
  const json::Object *node = nullptr;
  /// The element type of its `dtype` (f32, i32, i64, i1).
  Type dtype;
  /// `size=` when not None: an `index` (a constant, or known at run time).
  Value size;
  /// `dynamic_size=True`: writes beyond `size` grow it.
  bool dynamic = false;
  /// `element_shape=`, -1 for a size not given (None in TensorFlow).
  std::optional<SmallVector<int64_t>> elementShape;
  /// `unstack(x)`: the tensor whose rows are the elements (no list then).
  Value source;
  /// The joins made of one version (its list value), reused by later
  /// reads: stack() and concat() along axis 0.
  llvm::DenseMap<Value, Value> stacked, concatenated;
  /// How many loops enclosed the constructor.
  unsigned loopDepth = 0;
  /// The list values whose element count was checked against `size`.
  llvm::DenseSet<Value> sizeChecked;
  /// The `for` statement that writes it last to first, down to index 0
  /// (`for i in reversed(range(n))`): its elements are that loop's list
  /// reversed. Null for an array written first to last.
  const json::Object *descendingLoop = nullptr;
};

/// A Python list of converted code (docs/PythonSource.md, Lists), in one of
/// two forms: built outside loops (`[]` then appends, or `[a, b]`), its
/// tensors in `elements` and no SSA value until one is needed; or built by
/// one loop, a `!predict.list` SSA value in `ssa`.
struct PyValue;

struct ListValue {
  /// The `[]` or `[a, b]` node that made it.
  const json::Object *node = nullptr;
  /// The function scope that made it: only it appends.
  const void *owner = nullptr;
  /// That scope's function name, for messages.
  std::string ownerName;
  SmallVector<Value> elements;
  /// (Built outside loops) The expression each element was made from (a
  /// list literal's items, then each append's argument), read to pack
  /// Python ints as TensorFlow does (ProgramBuilder::integerScalars);
  /// empty when not known for every element (joined by a branch, a
  /// model's inputs).
  SmallVector<const json::Object *> sources;
  /// (Built outside loops) The elements as the program made them, where
  /// one is a Python int or bool (`sizes = [16777217, 5]`, `pair = (x,
  /// tf.shape(x)[0])`): read back as itself (`sizes[0]`, `a, n = pair`,
  /// `for n in sizes`), as Python keeps it, not as the float32 tensor of
  /// `elements`; empty when not known for every element
  /// (ProgramBuilder::listItem).
  std::vector<PyValue> items;
  Value ssa;
  /// Built by a loop: that loop, and the depth of its body.
  const json::Object *loop = nullptr;
  unsigned depth = 0;
  /// What every version of one SSA list shares: its element type, null
  /// until the first append fixes it (the versions are typed with the
  /// placeholder `!predict.list<tensor<*xf32>>` until then), widened to
  /// `?` along the axes where a later append's static sizes differ; and
  /// its predict.list.empty, from which every version is retyped then
  /// (ProgramBuilder::appendTo).
  struct Slot {
    Type element;
    Value root;
  };
  std::shared_ptr<Slot> slot;
  /// Set when the list holds a tf.TensorArray's elements.
  std::shared_ptr<TensorArrayInfo> tensorArray;
  /// A namedtuple's field names, one per element (tf.math.top_k's
  /// `values`, `indices`), read as `r.values`; empty for a list or tuple.
  /// Such a tuple takes no append.
  SmallVector<std::string, 2> fields;
};

/// What a name of converted code is bound to.
struct PyValue {
  enum class Kind {
    /// A float32 tensor (`value`).
    Tensor,
    /// A Python integer (`value`, an `index`): a size, a loop variable.
    Index,
    /// A Python list (`list`).
    List,
    /// A loop target that Python leaves unbound when its loop runs zero
    /// times (`loop`): reading it is an error at the read (NameError).
    Unbound,
    /// A Python bool (`value`, an `i1`): a comparison of integers, `not`,
    /// `and`, `or`, True/False; a constant when known at import
    /// (PythonBranches.cpp).
    Bool,
  };
  Kind kind = Kind::Tensor;
  Value value;
  std::shared_ptr<ListValue> list;
  const json::Object *loop = nullptr;
  /// (Unbound) A tensor's row that the loop over its rows bound: not kept
  /// after the loop, whatever the name held before it.
  bool row = false;
  /// (Tensor) The Python float known at import that `value`, its float32
  /// scalar constant, was made for (`s = 2.5`, `total = 0.0`, a float of a
  /// known list); read through ProgramBuilder::pythonFloat, which drops it
  /// once `value` is no longer that constant (PythonFloats.cpp).
  std::optional<double> number;
  /// (Index, Bool) An integer TensorFlow holds as an int32 scalar tensor
  /// (a bool: its comparison, a bool tensor), not a
  /// Python int: a size of tf.shape(x) or x.shape known only at run time,
  /// len(x), and the integers of a loop TensorFlow runs as tf.while_loop
  /// (a `while` on a tensor, a `for` over tf.range or a run-time range,
  /// tf.while_loop's variables; AutoGraph converts its Python ints to
  /// int32 tensors). Its arithmetic wraps at 32 bits, as TensorFlow's does
  /// (helper-140: `tf.shape(x)[0] * 1000000000` was 3000000000 for 3
  /// rows, TensorFlow's -1294967296): ProgramBuilder::int32Binary.
  bool int32 = false;

  static PyValue tensor(Value v) { return make(Kind::Tensor, v); }
  static PyValue index(Value v) { return make(Kind::Index, v); }
  /// An Index of TensorFlow's int32 (`int32`).
  static PyValue int32Index(Value v) {
    PyValue p = make(Kind::Index, v);
    p.int32 = true;
    return p;
  }
  static PyValue of(std::shared_ptr<ListValue> l) {
    PyValue p = make(Kind::List, l->ssa);
    p.list = std::move(l);
    return p;
  }
  static PyValue unbound(const json::Object *loop, bool row = false) {
    PyValue p = make(Kind::Unbound, Value());
    p.loop = loop;
    p.row = row;
    return p;
  }
  static PyValue boolean(Value v) { return make(Kind::Bool, v); }
  static PyValue make(Kind kind, Value v) {
    PyValue p;
    p.kind = kind;
    p.value = v;
    return p;
  }
  bool isBool() const { return kind == Kind::Bool; }
  bool isTensor() const { return kind == Kind::Tensor; }
  bool isIndex() const { return kind == Kind::Index; }
  bool isList() const { return kind == Kind::List; }
  /// A tuple or list built outside loops, known element by element (a
  /// literal and its appends, a namedtuple of a tf.* call); not a list a
  /// loop builds or a TensorArray.
  bool isKnownList() const {
    return isList() && !list->ssa && !list->tensorArray;
  }
};

/// One element of a sequence a loop is unrolled over at import
/// (ProgramBuilder::unrolledItems): a value, a string (a dict's key), a
/// layer or model of the model, or a tuple of elements (enumerate's and
/// zip's, a dict's items).
struct UnrolledItem {
  std::optional<PyValue> value;
  std::optional<std::string> text;
  /// The layer's attribute (`blocks/0`), or empty.
  std::string layer;
  /// A held model's layer: its expression (`self.inner.blocks[1]`).
  std::optional<json::Object> held;
  bool isTuple = false;
  std::vector<UnrolledItem> elements;
  static UnrolledItem tuple(std::vector<UnrolledItem> elements) {
    UnrolledItem t;
    t.isTuple = true;
    t.elements = std::move(elements);
    return t;
  }
};

struct ModelState;
struct ModelInputs;
struct ModelMethod;
struct LayerState;
class WeightStore;

/// A loop whose body has a `return` (PythonBranches.cpp, "return inside a
/// loop"): as AutoGraph converts it, the `return` binds `$returned@D` (a
/// bool) and `$return#K@D` (its values, tensors), then breaks; the loop
/// carries them, and `if $returned@D: return ...` follows the loop. D is the
/// loop's depth (1 outermost), so that loops nested in it have names of
/// their own.
struct LoopReturn {
  unsigned depth = 0;
  /// The line of the `if` whose arms both fall through to more returns,
  /// converted as this loop run once; none for a loop of the program.
  std::optional<int64_t> onceIf;
  /// Where the returns are, for messages.
  std::string where() const {
    return onceIf
               ? "below the `if` statement at line " + std::to_string(*onceIf)
               : "inside a loop";
  }
  /// where() of another `return` of the same loop.
  std::string sameWhere() const {
    return onceIf ? where() : "in the same loop";
  }
  /// How many values each `return` of the body gives (the same for all).
  unsigned count = 0;
  /// The loop op (scf.for, scf.while) once made, and the position of
  /// `$return#0@D` among the values it carries.
  Operation *loop = nullptr;
  unsigned first = 0;
  /// The values the loop starts with: placeholders (i1) until the first
  /// `return` converted fixes their types, then tensors of that type
  /// holding no element that matters (the flag is false).
  SmallVector<PyValue> inits;
  /// The first `return` converted, for messages.
  const json::Object *typedBy = nullptr;
  /// The placeholders bindLoopReturn made, for a loop converted again
  /// (its carried values widened: the values returned may be too).
  SmallVector<PyValue> placeholders;
  /// Back to the placeholders: the next conversion's first `return` types
  /// the values afresh. The loop's carried `inits` and `types` from
  /// position `first` on follow.
  void restart(MutableArrayRef<PyValue> loopInits,
               MutableArrayRef<Type> loopTypes) {
    typedBy = nullptr;
    inits = placeholders;
    share(loopInits, loopTypes);
  }
  /// Gives the loop's carried `inits` and `types` (from position `first`
  /// on) these values, as the first `return` converted typed them.
  void share(MutableArrayRef<PyValue> loopInits,
             MutableArrayRef<Type> loopTypes) const {
    for (auto [k, init] : llvm::enumerate(inits)) {
      loopInits[first + k] = init;
      loopTypes[first + k] = init.value.getType();
    }
  }
  std::string flagName() const { return "$returned@" + std::to_string(depth); }
  std::string valueName(unsigned k) const {
    return "$return#" + std::to_string(k) + "@" + std::to_string(depth);
  }
};

/// One function (or method, or inlined helper) being converted.
struct FunctionScope {
  const json::Object *function = nullptr;
  /// How many `if`s around the statement being converted copied the
  /// statements after them into both of their arms (each arm falling
  /// through to them). Past kMostCopiedIfs, such an `if` is converted as a
  /// loop run once instead (ProgramBuilder::block): the copies would grow
  /// as 2^K for K of them.
  unsigned copiedIfs = 0;
  static constexpr unsigned kMostCopiedIfs = 1;
  /// Functions defined in this function's body (`def body(i, s): ...`, in
  /// the reader's format of a module function) and lambdas bound to a name
  /// (`cond = lambda i, s: i < n`), by name: called (and given to
  /// tf.while_loop, tf.cond, tf.map_fn) as closures, the names of this
  /// scope seen as they are at the call (Python's late binding).
  llvm::StringMap<const json::Object *> localFunctions;
  /// This scope, as the closure of `fn` (one of `localFunctions`) sees it:
  /// its names, but those `fn` binds (its locals: read before `fn` binds
  /// them they are Python's UnboundLocalError), and its functions.
  void enclose(FunctionScope &callee, const json::Object &fn) const;
  /// The model whose method this is, or null.
  ModelState *model = nullptr;
  llvm::StringMap<PyValue> env;
  /// Parameters of a function of the file bound to None or a string (given
  /// or by default: `mask=None`, `act="relu"`), known at import as module
  /// constants are (`if mask is None` decided there).
  llvm::StringMap<json::Value> known;
  /// The loops being converted (`for` and `while`), outermost first.
  SmallVector<const json::Object *> loops;
  /// Names first bound inside a loop that has ended, and that loop.
  llvm::StringMap<const json::Object *> loopLocals;
  /// The statement `return` was, once the body has returned.
  const json::Object *returnNode = nullptr;
  /// Whether a `return` gave a tuple or list (`return [y]`, `return (y,)`,
  /// `return outs`), whose tensors are the results: a caller of a model's
  /// method gets the sequence back, even of one (`m(x)[0]` is `y`).
  bool returnsSequence = false;
  /// Names first bound in one arm only of an `if` decided at run time, and
  /// that `if` (reading one after it is an error naming it).
  llvm::StringMap<const json::Object *> branchLocals;
  /// For each loop of `loops` (`for` and `while` statements), the names
  /// its body carries to the next iteration: what an `if` whose arm ends
  /// the iteration (`break`, `continue`) yields.
  SmallVector<SmallVector<std::string>> carried;
  /// For each loop of `loops`, whether it carries a `break` flag (every
  /// `while`; a `for` whose body breaks or returns).
  SmallVector<bool> breaks;
  /// For each loop of `loops`, its `return`s (null when its body has none).
  SmallVector<LoopReturn *> returns;
  /// Each loop being unrolled at import (ProgramBuilder::unrolledLoop): the
  /// size of `loops` when it began (a `break` or `continue` with as many
  /// loops around it is that loop's, decided at import) and its words
  /// (`for blk in self.blocks`).
  struct Unrolled {
    size_t depth;
    std::string shown;
  };
  SmallVector<Unrolled> unrolled;
  /// An entry's parameters that the example call gives a model of the
  /// module (`f(model, x)`), and that model's variable.
  llvm::StringMap<std::string> modelAliases;
  /// Names bound by `for blk in self.blocks` (unrolled at import) to the
  /// layer or model attribute of the iteration (`blocks/0`).
  llvm::StringMap<std::string> layerAliases;
  /// Names bound by `for blk in self.inner.blocks` (unrolled at import) to
  /// the expression of the iteration's layer through the held model
  /// (`self.inner.blocks[1]`, its index marked "unrolled").
  llvm::StringMap<json::Object> heldAliases;
  /// Whether `return` may give integers and bools too (a function given to
  /// tf.while_loop), not only tensors.
  bool returnsAnyValue = false;
  /// Whether `return` gives integers, bools and Python floats as they are
  /// (a function of the file, inlined: Python's values to its caller).
  bool returnsPythonValues = false;
  /// Whether the function may end without `return` (called as a
  /// statement: its value, None, is not read).
  bool mayEndWithoutReturn = false;
};

/// The int64 scalar of a Python integer known only at run time made a
/// tensor (ProgramBuilder::indexAsTensor: a float32 cast of it), or null
/// for another value: tf.cast and integer operands read it exactly.
Value runTimeInteger(Value scalar);
/// The attribute marking indexAsTensor's float32 conversion of a Python
/// integer known only at run time (runTimeInteger reads back only that).
inline constexpr llvm::StringLiteral kPythonInteger = "predict.python_int";
/// The integer (an `index`) runTimeInteger's scalar was made of, or null.
Value runTimeIndex(Value scalar);

/// Whether the reader's `model` has a `build` that stores a weight
/// (`self.attr = self.add_weight(...)`, any attribute when `attr` is
/// empty), under an `if` too (PythonCustomLayers.cpp).
bool buildMakesWeight(const json::Object &model, llvm::StringRef attr = {});

/// A shape as Python's tuple: `(3,)`, `(12, 16)`; a size not known `None`
/// (PythonShapes.cpp).
std::string tupleText(llvm::ArrayRef<int64_t> shape);
/// A Python float in the reader's encoding (`{"float": "0.1"}`, its text
/// reading back exactly; "inf", "-inf", "nan" as the reader writes them)
/// (PythonFloats.cpp).
json::Object floatJson(double d);

/// `text` with `{` doubled: a predict.assert message quoting the user's
/// source (its `{N}` are the values of the check).
std::string braces(llvm::StringRef text);

/// Whether `known` (a value known at import) is a numpy array the reader
/// hands on as its call (`{"call": node}`: PythonArrays.cpp), which
/// converted code reads as a tensor, not as a Python value.
inline bool isKnownArray(const json::Value &known) {
  const json::Object *o = known.getAsObject();
  return o && o->getObject("call");
}

/// Flattens a literal as the reader writes values (a number object, a
/// bool, or {"list"}/{"tuple"} of literals, empty ones only if `emptyOk`)
/// into `flat`, its shape into `shape`; the message of what is wrong.
std::optional<std::string>
flattenLiteral(const json::Value &value,
               SmallVectorImpl<const json::Value *> &flat,
               SmallVectorImpl<int64_t> &shape, bool emptyOk = false);

/// Builds one predict op of two operands, its result type unknown until its
/// shape rule types it.
using BinaryBuilder = Operation *(*)(OpBuilder &, Location, Value, Value);
/// The binary op of a Python operator (`"Add"`) or a tf.* call
/// (`"tensorflow.add"`); null if none.
BinaryBuilder binaryOp(llvm::StringRef op);

class ProgramBuilder {
public:
  // Out of line (PythonWeights.cpp), where WeightStore is complete.
  ProgramBuilder(MLIRContext *context, const PythonProgramOptions &options);
  ~ProgramBuilder();

  llvm::Expected<OwningOpRef<ModuleOp>> build(const json::Object &program);

  //===--------------------------------------------------------------------===//
  // Locations and errors (PythonProgram.cpp)
  //===--------------------------------------------------------------------===//

  /// The location of `node` (its `loc`), or the file's.
  Location loc(const json::Object &node);
  /// The line of `node`, for messages that name it.
  int64_t line(const json::Object &node);
  /// Emits `message` at `node` and fails.
  LogicalResult error(const json::Object &node, const llvm::Twine &message);
  LogicalResult notYet(const json::Object &node, llvm::StringRef what);
  /// `node`'s source text, for messages (Python's `ast.unparse` would
  /// normalize it; this quotes the user).
  std::string source(const json::Object &node);

  //===--------------------------------------------------------------------===//
  // Functions and statements (PythonProgram.cpp)
  //===--------------------------------------------------------------------===//

  /// The models' fields the builder reads are there and of their JSON
  /// kinds, and no model's variable is also an entry's name; an error
  /// naming the model otherwise.
  llvm::Error checkModels(const json::Array &models);
  LogicalResult buildEntry(const json::Object &entry,
                           const json::Object &function);
  FailureOr<SmallVector<Type>> signature(const json::Object &entry,
                                         const json::Object &function);
  /// Converts `stmts` (a function's body) up to its `return`, whose values
  /// it returns.
  FailureOr<SmallVector<PyValue>> body(const json::Array &stmts);
  LogicalResult statement(const json::Object &stmt);
  /// statement()'s work, once the names of layers it rebinds are known.
  LogicalResult convertStatement(const json::Object &stmt);
  /// Whether the builder inserts into a function's own body (a method's),
  /// not into a region of a construct decided at run time (`scf.if`, a
  /// loop).
  bool atFunctionLevel();
  /// `assert test, "msg"`: nothing when the test is true at import, an
  /// error when it is false there, else a predict.assert whose failure is
  /// `at run time: assertion failed: '<test>': msg` at the statement.
  LogicalResult assertStatement(const json::Object &stmt);
  /// `name: "?x5xf32" = value`: the declared type of a foreign call's
  /// result, elsewhere a checked claim; other annotations are ignored.
  LogicalResult annotatedAssign(const json::Object &stmt);
  /// The module-level function or model method `name`, or null.
  const json::Object *function(llvm::StringRef name);
  /// Converts the call `node` of `fn` (a function of the file, or a method
  /// of `model` called as `self.fn(...)`) in place, as AutoGraph converts
  /// callees: its ops, located at its own lines, join the caller's body.
  FailureOr<PyValue> helper(const json::Object &fn, const json::Object &node,
                            ModelState *model);
  /// `tf.cond(pred, true_fn, false_fn)`: the values its functions return
  /// (one, or a tuple's), as an `if` on pred, decided at import when known.
  FailureOr<SmallVector<PyValue>> condCall(const json::Object &node);
  /// helper() of a function that may return several values (`return a, b`).
  /// `asStatement`: the call is a statement of its own (`check(x, y)`),
  /// whose function may end without a `return` (Python's None, not
  /// read).
  FailureOr<SmallVector<PyValue>> helperResults(const json::Object &fn,
                                                const json::Object &node,
                                                ModelState *model,
                                                bool asStatement = false);
  /// Binds parameter `name` of `callee` to `node` evaluated in the current
  /// scope: None and strings as known values (`mask=None`), anything else
  /// as a value of converted code.
  LogicalResult bindParameter(FunctionScope &callee, llvm::StringRef name,
                              const json::Object &node);
  /// `call` with its `*xs` and `**kw` arguments written out, one argument
  /// each, as Python unpacks them: `xs` a list or tuple written in place,
  /// one known at import, or a list of tensors (a helper's *args, a list
  /// built outside loops); `kw` a dict known at import (a helper's
  /// **kwargs, a module constant). The elements are bound to names of the
  /// current scope that no Python name can be, listed in `temporaries`
  /// for the caller to unbind after the call. `call` itself when it
  /// unpacks nothing; an error at the `*` or `**` argument otherwise.
  FailureOr<const json::Object *>
  unpackedCall(const json::Object &call,
               SmallVectorImpl<std::string> &temporaries);
  /// Unbinds the names unpackedCall() bound.
  void unbindTemporaries(ArrayRef<std::string> temporaries);
  /// Binds `*name` of `callee` to the positional arguments `extra` left
  /// over by `call` (evaluated in the current scope): a tuple known at
  /// import when each is a Python value known there (`pad(x, 1, 2)`),
  /// else a tuple of tensors (`total(x, y, z)`), as a list literal holds
  /// them; empty when none.
  LogicalResult bindVarargs(FunctionScope &callee, llvm::StringRef name,
                            const json::Object &call,
                            ArrayRef<const json::Value *> extra);
  /// The Python value known at import that `value` holds (an integer, a
  /// bool, a Python float), in the reader's encoding, or std::nullopt.
  std::optional<json::Value> knownJson(const PyValue &value);
  /// Binds `**name` of `callee` to the keyword arguments `extra` no
  /// parameter takes: a dict known at import; a value not known there (a
  /// tensor) is an error at it naming the keyword.
  LogicalResult
  bindKwargs(FunctionScope &callee, llvm::StringRef name,
             ArrayRef<std::pair<llvm::StringRef, const json::Object *>> extra);
  /// bindParameter of a default of `callee`'s function, evaluated as `def`
  /// evaluates it: at module level, no name of the caller's seen.
  LogicalResult bindDefault(FunctionScope &callee, llvm::StringRef name,
                            const json::Object &node);
  /// `f(x)` or `self.f(x)` (a function of the file, a method of the model
  /// being converted): its results, for `a, b = f(x)`; std::nullopt for
  /// another call. `asStatement` as for helperResults.
  std::optional<FailureOr<SmallVector<PyValue>>>
  helperCall(const json::Object &call, bool asStatement = false);
  /// A node made by the builder (`h + e` of `h += e`), kept for as long as
  /// the builder lives, as the program's nodes are.
  const json::Object &synthesize(json::Object node);
  /// The defaults of functions defined in a function (`def g(v, m=k)`)
  /// that are not literals: their values when the `def` ran, as Python
  /// evaluates them there (bindDefault).
  llvm::DenseMap<const json::Object *, PyValue> localDefaults;

  //===--------------------------------------------------------------------===//
  // Expressions (PythonExpressions.cpp)
  //===--------------------------------------------------------------------===//

  /// The value of an expression. Nesting (operands, arguments, and the
  /// helpers and models they call) is bounded by --max-nesting.
  FailureOr<PyValue> expr(const json::Value &value);
  FailureOr<PyValue> expr(const json::Object &node);
  FailureOr<PyValue> exprAt(const json::Object &node);
  /// A tensor operand: a number is a scalar constant (numpy's float32 of
  /// Python's value); any other expression must be a tensor.
  FailureOr<Value> tensor(const json::Value &value);
  /// `value` as a tensor, or "expected a tensor here" at `node`.
  FailureOr<Value> tensorOf(const PyValue &value, const json::Object &node);
  /// The number `node` is, as the reader writes numbers (`{"int": ...}`,
  /// `{"float": ...}`): a number constant, or numbers Python folds
  /// (`-0.5`, `1 / 3`, `float("inf")`); null if it is none; failure (at
  /// the node) where Python raises.
  FailureOr<const json::Object *> numberOf(const json::Object &node);
  /// A scalar float32 constant of the number `value` (numpy's float32).
  FailureOr<Value> number(const json::Object &node, const json::Object &value);
  /// Python's float of the number `value` (an int beyond a double's range
  /// is an error at `node`, as in numpy), rounded to float32 if `single`.
  FailureOr<llvm::APFloat> floatValue(const json::Object &node,
                                      const json::Object &value, bool single);
  /// The integer `value` in 64 bits; "the <what> ... does not fit in 64
  /// bits" at `node` otherwise.
  FailureOr<int64_t> integerValue(const json::Object &node,
                                  const json::Object &value,
                                  llvm::StringRef what = "integer");
  /// One predict.constant of a literal (a number, a bool, or a non-empty
  /// nested list or tuple of them, as the reader writes values):
  /// tf.constant in converted code, and a model's constants. Its dtype is
  /// `dtype` when given (float32, int32, int64 or bool; a float given for
  /// an integer dtype, a number for bool or a value out of the dtype's
  /// range is an error, as TensorFlow raises), else TensorFlow's: bool for
  /// bools, int32 for integers (int64 when one does not fit in 32 bits),
  /// float32 when any number is a float; or `hint` (tf.convert_to_tensor's
  /// dtype_hint) where every value converts to it exactly.
  FailureOr<Value> literalConstant(const json::Value &value,
                                   const json::Object &at, Type dtype = {},
                                   Type hint = {});
  /// What tf.constant's errors say predict's constants are.
  static constexpr const char *kConstantShape =
      "predict's constants have the value's own shape (write the whole "
      "value, or tf.ones/tf.fill of the shape)";
  static constexpr const char *kConstantDtypes =
      "predict's constants are float32, int32, int64 or bool";
  FailureOr<PyValue> binary(const json::Object &node);
  /// Whether every element of `bools` (a tensor of i1) is true: a rank-0
  /// tensor (predict.reduce all over every axis; `bools` itself when it has
  /// rank 0 or an unknown rank).
  FailureOr<Value> allOf(Value bools, Location at);
  /// A number written in the program (a scalar float32 predict.constant:
  /// a literal, a constant, a size known at import) beside an int32 or
  /// int64 tensor becomes an integer of that type, as TensorFlow converts a
  /// Python number to the other operand's dtype; a number that is not
  /// whole is an error at `node` (TensorFlow raises too), and so is a
  /// float literal (`xSide`/`ySide`: the operands' nodes, when known) even
  /// if whole, as TensorFlow does not convert `2.0` to an integer. Then
  /// the two must have one element type: else an error at `node` saying to
  /// tf.cast one (TensorFlow does not mix int32, int64 and float32).
  LogicalResult numbersLike(const json::Object &node, Value &x, Value &y,
                            const json::Object *xSide,
                            const json::Object *ySide);
  /// `lhs OP rhs` for `build` (binaryOp), at `node`, after numbersLike:
  /// on integer tensors `+ - * // %`, maximum and minimum are integer
  /// arithmetic, `/` is true division computed in float32 (numpy and
  /// TensorFlow give float64), `//` and `%` check at run time that no
  /// divisor is 0 (TensorFlow raises); `**` and `@` need floats.
  FailureOr<Value> arithmetic(const json::Object &node, BinaryBuilder build,
                              Value lhs, Value rhs, const json::Object *lhsSide,
                              const json::Object *rhsSide);
  /// `[f(r) for r in range(n) if c(r)]`, with several `for`s nested in
  /// order: the list their loops build; std::nullopt for another form.
  std::optional<FailureOr<PyValue>>
  listComprehension(const json::Object &node);
  /// The values of `iter`, a call of the builtin `range` whose bounds are
  /// known at import, as Constant nodes, when there are at most 256 of
  /// them; std::nullopt otherwise.
  std::optional<json::Array> knownRange(const json::Object &iter);
  FailureOr<PyValue> call(const json::Object &node);
  /// call() of a function named through the imports (`callee`, its
  /// qualified name: tf.*, np.*, scipy's...).
  FailureOr<PyValue> qualifiedCall(const json::Object &node,
                                   llvm::StringRef callee);
  /// tf.math.l2_normalize(x, axis=None, epsilon=1e-12) (and its tf.linalg
  /// and tf.nn names): predict.l2_normalize; axis an int, a list or tuple
  /// of ints, or None (every axis).
  FailureOr<PyValue> l2NormalizeCall(const json::Object &node);
  /// tf.nn.softmax(x, axis=0), tf.nn.gelu(x, approximate=True),
  /// tf.nn.leaky_relu(x, alpha=0.1): the argument is the op's attribute.
  FailureOr<PyValue> activationCall(const json::Object &node,
                                    ActivationKind kind);
  /// A call converted without keyword arguments and with `n` positional
  /// ones (a layer's, a model's, a tf.* operation's); an error otherwise.
  LogicalResult expectArgs(const json::Object &node, size_t n);
  /// tf.constant / tf.convert_to_tensor of a literal in converted code.
  FailureOr<PyValue> constantCall(const json::Object &node);
  /// Whether `callee` (qualified) makes a Keras layer or model.
  static bool isLayerMaker(llvm::StringRef callee);
  /// The error for `maker`, a call that makes a layer or model, met in
  /// converted code.
  LogicalResult layerMadeHere(const json::Object &maker);
  /// A (nested) list or tuple literal of numbers and bools given for a
  /// tensor (`tf.boolean_mask(x, [True, False])`, `np.maximum(x, [1.0,
  /// 2.0])`): the constant tf.constant makes of it (TensorFlow's
  /// convert_to_tensor); std::nullopt for another node.
  std::optional<FailureOr<PyValue>> literalArray(const json::Object &node);
  /// A call of an imported function predict does not build natively: one
  /// predict.foreign_call, typed by predict's rewrite of it, as a host
  /// callback (its first tensor argument's rank), or by the annotation of
  /// the assignment it is the value of.
  FailureOr<Value> foreign(const json::Object &node, llvm::StringRef callee);
  FailureOr<Attribute> keywordValue(const json::Object &node,
                                    const json::Value &value);
  /// Types `op`'s results by its own shape rule; fails (the op has said
  /// why, at the user's line) when its operands break the rule.
  FailureOr<Value> typed(Operation *op);
  /// Row `i` of `rows` (a predict.slice of one row along axis 0, typed,
  /// with that unit axis collapsed away): what `for row in x` binds. With
  /// `checked`, the caller has checked that `i` is in range (tf.map_fn's
  /// elems of one first size): the slice is one row even where its rule
  /// cannot prove it.
  FailureOr<Value> rowOf(Value rows, Value i, Type elementType, Location at,
                         bool checked = false);

  //===--------------------------------------------------------------------===//
  // Models and layers (PythonModels.cpp)
  //===--------------------------------------------------------------------===//

  /// Calls of models, their layers and methods: `model(x)`,
  /// `model.predict(x)`, `self.dense(x)`, `self.helper(x)`; std::nullopt
  /// when `node` is none of these.
  std::optional<FailureOr<PyValue>> modelCall(const json::Object &node);
  /// The same, with every value a call gives (a model of several outputs
  /// gives several), for `a, b = model(x)`.
  std::optional<FailureOr<SmallVector<PyValue>>>
  modelCallValues(const json::Object &node);
  /// `self.attr` read in a method (a constant of the model); std::nullopt
  /// when `node` is not one.
  std::optional<FailureOr<PyValue>> modelAttribute(const json::Object &node);
  /// Emits the models the entries called, before the functions; an error
  /// for entries of a --weights file that no layer used.
  LogicalResult finishModels();
  /// An error for a call of the program that sets a converted model's
  /// weights (`model.load_weights("w.h5")`, `model.fit(...)`: the program
  /// JSON's `weight_loads`) when no --weights file is given.
  LogicalResult checkWeightLoads();

  /// `model(x)`, `model.predict(x)`, `model.call(x)`: converts the model's
  /// method `method` (once) and calls it (on `given` when set, as
  /// callHeldModel).
  FailureOr<SmallVector<PyValue>> callModel(const json::Object &node,
                                            llvm::StringRef var,
                                            llvm::StringRef method,
                                            std::optional<Value> given = {},
                                            bool byName = false);
  /// Converts `method` of `model` for the inputs `in` into a method of the
  /// model's predict.model (made, with its layers, at the first method); a
  /// model held by `holder` goes into the holder's model, before its
  /// methods.
  FailureOr<ModelMethod *> convertModel(ModelState &model,
                                        const json::Object &method,
                                        const ModelInputs &in,
                                        ModelState *holder = nullptr);
  /// The method of `model` converted from `method` for `in` (converted
  /// here the first time; `holder` as convertModel's), or an error at
  /// `call` when it was converted for another input shape.
  FailureOr<ModelMethod *> modelMethod(const json::Object &call,
                                       ModelState &model,
                                       const json::Object &method,
                                       const ModelInputs &in,
                                       ModelState *holder = nullptr);
  /// The results of `call`, a call of `method` of `model` on `in`, with the
  /// Keras masks they carry out (ModelMethod::resultMasks); an error when
  /// an input's mask differs from the call the method was converted for.
  FailureOr<SmallVector<PyValue>>
  modelResults(const json::Object &node, ModelState &model, ModelMethod &method,
               const ModelInputs &in, Operation *call);
  /// layerCallMethod's result: the method's name, and the call to make of
  /// it (`node`, or `node` with its lists' elements given one by one).
  struct LayerCall {
    std::string method;
    const json::Object *call;
  };
  /// A layer or model that `model` holds called from outside it
  /// (`self.inner.d(x, training=False)` from the holder, `encoder.d(x)`
  /// from a function): the name of a method of `model` made to call it
  /// there, `d$<line>_<column>`, as if its class defined `def d$L_C(self,
  /// $0, training=None): return self.d($0, training=training)` (the
  /// call's arguments, by position and keyword; `root`, the part of the
  /// callee that is the model, `self.inner` or `encoder`, made `self`, so
  /// `self.inner.blocks[0](x)` calls `self.blocks[0]($0)`). It converts as
  /// the model's own methods do, once for each place of the source and
  /// input type; the layer stays the model's and its weights are keyed
  /// under it (`inner/d/...`), as Keras keys them. A list or tuple written
  /// after the first argument (`initial_state=[h, c]`) is a parameter per
  /// element, given one by one by the call returned. `*args` and
  /// `**kwargs` are an error. methodNamed() finds the method.
  FailureOr<LayerCall> layerCallMethod(const json::Object &model,
                                       const json::Object &node,
                                       const json::Object &root);
  /// `var.d(x)` of a module model `var` (`model` its reader's model, `root`
  /// the callee's `var`) and a layer or model `d` it holds: a call of
  /// layerCallMethod's method.
  FailureOr<SmallVector<PyValue>> layerOfModel(const json::Object &node,
                                               llvm::StringRef var,
                                               const json::Object &model,
                                               const json::Object &root);
  /// An error for `x.attr(...)` (`node`) when the reader's `model` sets
  /// `attr` in __init__ to something not callable (a value, a list of
  /// layers), which Python finds before a method of that name.
  LogicalResult notCallable(const json::Object &node, const json::Object &model,
                            llvm::StringRef attr);
  /// `x.attr(...)` (`node`) of an attribute the reader's `model` sets in
  /// __init__ to a function of TensorFlow's, Keras's or numpy's (`self.act
  /// = tf.nn.relu`, a constructor's `act=tf.nn.relu`): that function
  /// called with the call's arguments; std::nullopt for another attribute.
  std::optional<FailureOr<SmallVector<PyValue>>>
  heldFunctionCall(const json::Object &node, const json::Object &model,
                   llvm::StringRef attr);
  /// The method `name` of the reader's `model`: one its class defines, or
  /// one layerCallMethod() made; null for neither.
  const json::Object *methodNamed(const json::Object &model,
                                  llvm::StringRef name) const;
  /// `self.attr(x)` of a model held as an attribute: converts its `call`
  /// (once) into a model inside `holder`'s, and calls it (on `given`
  /// instead of the call's arguments when set: TimeDistributed's merged
  /// input); `self.attr.encode(x)` calls its `method` so. `via` is the
  /// Keras method the code called when `method` is the one Keras runs for
  /// it (kerasMethod): "predict" reads Keras's predict arguments
  /// (`predict(x, 2)` is batch_size=2); both "predict" and
  /// "predict_on_batch" call `call` with training=False.
  FailureOr<SmallVector<PyValue>>
  callHeldModel(const json::Object &node, ModelState &holder,
                llvm::StringRef attr, std::optional<Value> given = {},
                llvm::StringRef method = "call", llvm::StringRef via = {},
                bool byName = false);
  /// An error for `m.call(x)` (`node`) of the reader's `model` leaving
  /// call's `training` to a default of True: calling `call` directly skips
  /// Keras's __call__, so that default holds whatever the caller's mode
  /// (Keras's training mode).
  LogicalResult directCallTraining(const json::Object &node,
                                   const json::Object &model);
  /// An error at `node` where `method` of a model of class `className`,
  /// called from outside the class, is a @staticmethod (converted as a
  /// model's method it would take the model as its first parameter).
  LogicalResult notStatic(const json::Object &node, llvm::StringRef className,
                          const json::Object &method);
  /// `model.predict_on_batch(x)` (Keras's Model.predict_on_batch, which
  /// runs predict_step, the model's own or Keras's, which calls `call`;
  /// never an overridden predict): `call()`, that method on x, after an
  /// error for other arguments.
  FailureOr<SmallVector<PyValue>>
  predictOnBatch(const json::Object &node,
                 llvm::function_ref<FailureOr<SmallVector<PyValue>>()> call);
  /// `model.predict(x, batch_size)` of a model that does not define
  /// `predict` (PythonPredictBatches.cpp): `step` (which converts and
  /// calls predict_step or call on `in.values`) run on each batch of
  /// batch_size rows of the inputs (32 by default), in a `predict.for` over
  /// `range(0, x.shape[0], batch_size)`, and each of its outputs
  /// concatenated along axis 0, as Keras's Model.predict does. Errors for
  /// an input without axis 0 and for an output that is a scalar or not a
  /// tensor (Keras cannot concatenate it).
  FailureOr<SmallVector<PyValue>>
  predictInBatches(const json::Object &node, ModelInputs &in,
                   llvm::function_ref<FailureOr<SmallVector<PyValue>>()> step);
  /// `self.predict(x, ...)` in a method of a class that does not define
  /// `predict`, and `super().predict(x, ...)` where no class of the file
  /// it derives from does (the reader's `self.predict@Model`): Keras's own
  /// Model.predict on the model being converted, predictInBatches around
  /// the class's predict_step (given the batch as `data`) or
  /// `self(batch, training=False)`, both converted in place. With
  /// `onBatch`, Keras's predict_on_batch: that step once, on the whole
  /// input (`self.predict_on_batch(x)` of a class without its own).
  FailureOr<SmallVector<PyValue>> selfPredict(const json::Object &node,
                                              ModelState &model, bool onBatch);
  /// The batch_size of `model.predict(...)` (`node`): the second positional
  /// argument or the keyword, 32 when not given or None (Keras's default);
  /// an error for one below 1.
  FailureOr<int64_t> predictBatchSize(const json::Object &node);
  /// `self.attr.name(x)`: a method (or `call`) of the model held as `attr`
  /// of the method's model, or a layer or model it holds (layerCallMethod);
  /// std::nullopt when `node` is not such a call.
  std::optional<FailureOr<SmallVector<PyValue>>>
  heldModelMethodCall(const json::Object &node);
  /// `self.attr(x)` of a layer attribute: its output, then the others a
  /// layer may give (a recurrent layer's states with return_state), as
  /// Keras returns them; on `given` when set, as callHeldModel.
  FailureOr<SmallVector<PyValue>> applyLayer(const json::Object &node,
                                             ModelState &model,
                                             llvm::StringRef attr,
                                             std::optional<Value> given = {});
  /// `self.attr(x)` of `TimeDistributed(self.target)` (a layer, a held
  /// model, or a model of the module) or of `TimeDistributed(Model())` (a
  /// held model `target`, = attr): x (N x T x
  /// e...) with its batch and time axes merged, the layer or model applied
  /// to it, each result (N·T x f...) split back to N x T x f..., as Keras's
  /// TimeDistributed.call reshapes; a run-time error when a result's first
  /// axis is not N·T.
  FailureOr<SmallVector<PyValue>> timeDistributed(const json::Object &node,
                                                  ModelState &model,
                                                  llvm::StringRef attr,
                                                  llvm::StringRef target);
  /// The model's layer `attr` with its config, made at its first use; an
  /// error at its constructor for arguments that do not bind.
  FailureOr<LayerState *> layer(ModelState &model, llvm::StringRef attr);
  /// Whether an error has listed the layer classes predict compiles (the
  /// list is given once, with the first unsupported class).
  bool listedSupportedLayers = false;
  /// The value of the model's constant `attr`, as a predict.constant.
  FailureOr<PyValue> modelConstant(const json::Object &node,
                                   const json::Object &constant);
  /// Binds the parameters of `method` from `first` on to their defaults
  /// (`training` to what Keras's call context gives it, bindTrainingLeft,
  /// or its own default when the method is called by name); an error for
  /// one without a default.
  LogicalResult bindDefaults(FunctionScope &fn, const json::Object &method,
                             size_t first, bool byName = false);
  /// `self.blocks` of a list or dict of layers or models (an attribute of
  /// kind "layers"), or null.
  const json::Object *layerGroup(const json::Object &node);
  /// The attribute of the item `key` selects in `group` (an integer known
  /// at import for a list, negative from the end; a string for a dict);
  /// an error at it otherwise.
  FailureOr<std::string> layerItem(const json::Object &group,
                                   const json::Object &key,
                                   const json::Object &at);
  /// Calls the layer or held model `attr` of `model`.
  FailureOr<SmallVector<PyValue>> callItem(const json::Object &node,
                                           ModelState &model,
                                           llvm::StringRef attr);
  /// `expr` (a callee: Attributes and Subscripts down to `root`) with
  /// `root` made `self` (`self.inner.blocks[0]` from `self.inner`, `m.d`
  /// from `m`), and each index the caller knows at import a constant, its
  /// value appended to `known` (`_1`); an error for an index not known.
  FailureOr<json::Value> rebased(const json::Object &expr,
                                 const json::Object &root, std::string &known);
  /// The list or dict of layers of a held model that `node` names
  /// (`self.inner.blocks`, `m.heads` of `for m in self.models`), or null.
  const json::Object *heldGroup(const json::Object &node);
  /// The call `node` with the name at the root of its callee, bound in
  /// heldAliases, replaced by its expression (`blk.p(x)` made
  /// `self.inner.blocks[1].p(x)`); std::nullopt for another call.
  std::optional<json::Object> throughHeldAlias(const json::Object &node);
  /// The calls throughHeldAlias made (the converted code refers to them).
  std::deque<json::Object> heldAliasCalls;
  /// The layer or model of the model (its attribute, `blocks/0`) that
  /// `node` names: `self.d1`, `self.blocks[0]`, `self.heads["a"]`, `blk`
  /// of an enclosing `for blk in self.blocks`; std::nullopt for another
  /// expression; an error for an index out of range.
  FailureOr<std::optional<std::string>> heldLayer(const json::Object &node);
  /// Whether `node` is a list Python knows before converted code runs: a
  /// list built outside loops (`outs`), or a list or tuple known at import
  /// (`SIZES`, `self.sizes`, `self.sizes[1:]`).
  bool knownList(const json::Object &node);
  /// Whether the sequence `seq` of a `for` is, or zips or enumerates, a
  /// list or dict of the model's layers (or a view of the dict:
  /// `self.heads.items()`).
  bool loopsOverLayers(const json::Object &seq);
  /// The elements of the sequence `seq`, when Python knows them before a
  /// loop over it runs: a list or dict of the model's layers (a dict's
  /// keys, `.items()`, `.values()`, `.keys()`), a list literal (of values
  /// or of `self.d1`, `self.blocks[0]`), a list built outside loops and
  /// its slices, a list or tuple known at import (`self.sizes`, a module
  /// constant), `tf.split`'s pieces, `enumerate` of one, and `zip` of
  /// these where one holds layers (its `range`s then too, with bounds
  /// known at import). std::nullopt for another sequence (a loop at run
  /// time); an error for one that cannot be unrolled.
  std::optional<FailureOr<std::vector<UnrolledItem>>>
  unrolledItems(const json::Object &seq, bool layersAround);
  /// Binds the loop target `target` (a name, or names to unpack) to `item`
  /// for one pass of the loop `shown`: a value in `env`, a string in
  /// `known`, a layer in `layerAliases`; Python's errors for a tuple of
  /// another length or a layer unpacked.
  LogicalResult bindUnrolled(const json::Object &target,
                             const UnrolledItem &item, llvm::StringRef shown);
  /// `for blk in self.blocks`, `for name, head in self.heads.items()`,
  /// `for conv, bn in zip(self.convs, self.bns)`, `for t in [a, b]`,
  /// `for i, t in enumerate(outs)`: a loop over a sequence unrolledItems
  /// knows, unrolled as AutoGraph unrolls a loop over a Python list;
  /// std::nullopt when `stmt` loops over something else.
  std::optional<LogicalResult> unrolledListLoop(const json::Object &stmt);
  /// `for i in range(self.num_layers): x = self.blocks[i](x)` (the
  /// TensorFlow Transformer tutorial's form): a loop over a Python range
  /// whose body picks a layer of a list (the model's or a held model's)
  /// or an element of a list known at import by the loop's variable,
  /// unrolled at import with `i` each int of the range in turn, as
  /// AutoGraph runs a loop over a Python range in Python; its arguments
  /// must then be ints known at import. Also one whose variable a loop
  /// unrolled at import in the body reads (`if j == i: break`), when its
  /// bounds are known. std::nullopt for another loop.
  std::optional<LogicalResult> layerIndexLoop(const json::Object &stmt);
  /// The body of the `for` statement `stmt` converted `count` times, after
  /// `bind(i)` binds its names for pass i: a loop unrolled at import
  /// (`shown` names it in messages). A `break` or `continue` the import
  /// reaches ends its pass as in Python (one under an `if` decided at run
  /// time is an error: block()); `else` runs unless a `break` ended the
  /// loop, its own `break` or `continue` left in unrolledElseExit for the
  /// loop around; `return` in the body or the `else` is an error, as are
  /// more than 10,000 passes (with those of the loops unrolled around it).
  LogicalResult unrolledLoop(const json::Object &stmt, llvm::StringRef shown,
                             size_t count,
                             llvm::function_ref<LogicalResult(size_t)> bind);
  /// `self(x)` in a method of `model`: its `call`, converted in place.
  FailureOr<SmallVector<PyValue>> selfCall(const json::Object &node,
                                           ModelState &model);
  /// The one positional tensor of a layer or model call; its keywords
  /// those that do not change inference (`training=False`, `mask=None`;
  /// for `predict`, also `batch_size=`, `verbose=`, `steps=None`, and
  /// those three by position), an error naming any other; `initial_state=`
  /// is left to the caller when `initialState` (a layer call: recurrent
  /// layers take it).
  FailureOr<Value> oneArgument(const json::Object &node, bool predict = false,
                               bool initialState = false);
  /// The inputs of a model call to `method`: one tensor, the tensors of
  /// one list or tuple (`model([a, b])`, Keras's several inputs), or, when
  /// `method` takes several inputs (`call(self, a, b)`), one tensor per
  /// positional argument (`model(x, y)`: Keras passes them through);
  /// keywords as oneArgument checks them.
  /// A Functional model of one input takes it alone or in a list of one
  /// (`model([x])`), as Keras flattens it.
  FailureOr<ModelInputs> modelInputs(const json::Object &node,
                                     const json::Object &model,
                                     const json::Object &method,
                                     bool predict = false);
  /// The tensors of a list built with [a, b] or appends outside loops
  /// (`node`), given to `who` (a layer, a model); an error otherwise.
  FailureOr<SmallVector<Value>> knownElements(const json::Object &node,
                                              llvm::StringRef who);
  /// The arguments of `call`, a call of a model's `method`, that give its
  /// parameters Python values known at import (ModelInputs::statics, added
  /// to `in`), and `call` without them (a node the builder keeps); an
  /// error for a parameter given twice.
  /// `call` with its positional arguments from the first that Python binds
  /// to a parameter `training` or `mask` on given as keywords named by
  /// their parameters (`params`, the callee's, `self` not among them):
  /// `self.drop(h, training)`, `m(x, False)`, as Keras's __call__ passes
  /// them on to `call`; checked then as those keywords are. An error for a
  /// parameter given both ways (Python's TypeError).
  FailureOr<const json::Object *>
  flagsByKeyword(const json::Object &call,
                 llvm::ArrayRef<llvm::StringRef> params,
                 bool maskInput = false);
  FailureOr<const json::Object *> staticArguments(const json::Object &call,
                                                  const json::Object &method,
                                                  ModelInputs &in,
                                                  bool maskInput);
  /// The keywords (and, for `predict`, the positional arguments after the
  /// first) of a layer or model call, as oneArgument describes them; a
  /// call (not `predict`) may give `inputs` positional tensors, and
  /// gives at least `required`.
  LogicalResult checkCallArguments(const json::Object &node, bool predict,
                                   size_t inputs = 1, size_t required = 1,
                                   bool initialState = false);

  //===--------------------------------------------------------------------===//
  // Weights (PythonWeights.cpp)
  //===--------------------------------------------------------------------===//

  /// Reads --weights (an .npz, or a Keras 3 .weights.h5), before anything
  /// is converted: an error naming the file.
  llvm::Error openWeights();
  /// The weights of one layer, for its registry entry: drawn from --seed
  /// or read from --weights, each recorded for --dump-weights.
  std::unique_ptr<keras::WeightProvider> layerWeights(ModelState &model,
                                                       LayerState &layer,
                                                       const json::Object &call);
  /// A Keras weights file (Keras 3's .weights.h5 or .keras, Keras 2's .h5)
  /// maps its variables to the layers of the model it holds, once, when the
  /// first model is converted (`model`, for messages): the program's one
  /// model that no other holds, with all the models it holds.
  LogicalResult mapKerasWeights(ModelState &model);
  /// The key of weight `name` of layer `attr` of `model` (`d/kernel`,
  /// `encoder/d/kernel`; `<model>/...` when the program calls several); of
  /// the model's own weight `attr` when `name` is empty (`lin/w`).
  std::string weightKey(const ModelState &model, llvm::StringRef attr,
                        llvm::StringRef name) const;

  /// A layer of a model tree as a Keras weights file keeps it
  /// (PythonKerasWeights.cpp).
  struct KerasLayer {
    ModelState *model = nullptr;
    LayerState *layer = nullptr;
    /// Keras 3: the group of its variables (`layers/dense_1`, `enc/d`):
    /// the path Keras 3's saving_lib walks to it.
    std::string path;
    /// Instead of a layer: a custom layer (or model) whose own weights are
    /// at `path`/vars, made when it is first called.
    ModelState *own = nullptr;
  };
  /// The layers of `top` and of the models it holds, at the paths Keras 3's
  /// saving_lib gives them (`_save_state`: attributes in sorted order,
  /// `privateLast` as Keras 3.6 and later sort them, `_x` after the others;
  /// lists and dicts by snake-case class, `blocks/dense_1`; a Sequential's
  /// `layers` first; each object once, where the walk first meets it).
  FailureOr<std::vector<KerasLayer>> keras3Layers(ModelState &top,
                                                  bool privateLast);
  /// One entry of `model.layers` that has weights, as Keras 2's
  /// save_weights writes it: the keys of its weights in Keras 2's order
  /// (`layer.trainable_weights + layer.non_trainable_weights`, a held
  /// model's gathered from its layers in tracking order).
  struct Keras2Layer {
    const json::Object *at = nullptr;
    std::string attr;
    std::vector<std::string> keys;
    /// Instead of keys: a custom layer whose own weights are the group's,
    /// made when it is first called.
    ModelState *own = nullptr;
  };
  FailureOr<std::vector<Keras2Layer>> keras2Layers(ModelState &top);
  /// An error when a method's `training` defaults to True (`given`, its
  /// default) and its caller gives none: Keras would run it in training
  /// mode.
  LogicalResult trainingDefault(const json::Object &method,
                                const json::Value &given);
  /// Binds the parameter `name` (`training`) that a call of the function
  /// `fn` leaves to its default node `given` (null: none): False in a
  /// call context of training=False, else the default as Keras passes it
  /// (None when it is None or missing).
  void bindTrainingLeft(FunctionScope &fn, const json::Object &method,
                        llvm::StringRef name, const json::Value *given,
                        Location at);
  /// The Python value an argument node gives `training`, when known at
  /// import: a literal, a name bound to a known value (None, a
  /// `training=0` default passed on), a name holding a constant bool, int
  /// or float (a method's own `training` bound to False, a local `t = 0`),
  /// or an expression converted to one (`bool(training)`, `not
  /// self.inference`); nullopt otherwise (a tensor, a value known only at
  /// run time).
  std::optional<json::Value> trainingArgument(const json::Object &value);
  /// What `call` (of `method`) gives `training`, by keyword or by its
  /// position among the method's parameters (`m(x, False)`), when known at
  /// import (trainingArgument).
  std::optional<json::Value> trainingGiven(const json::Object &call,
                                           const json::Object &method);
  /// Sets `in`'s training from what `call` gives (`predicting`: Keras's
  /// predict_step, which gives False). Through Keras's __call__ a false
  /// value (False, 0; not None, which leaves it to the call context) sets
  /// the call context of the calls the method makes, 0 passed as it is;
  /// a method called by name (`m.call(x, training=False)`) skips
  /// __call__: the value is its own parameter's, as Python binds it, and
  /// the calls it makes stay in the caller's context (helper-130).
  void giveTraining(ModelInputs &in, const json::Object &call,
                    const json::Object &method, bool predicting);
  /// Keras's call context (keras.src.backend.common.global_state's
  /// CallContext): whether training is False for the calls being
  /// converted, as an outer call given training=False, predict, or a
  /// default of False makes it.
  bool trainingFalseContext = false;
  /// With trainingFalseContext, the false value the call context holds
  /// when it is not False: an outer call's `training=0` default, which
  /// Keras passes on as it is to the calls made inside (`training is
  /// False` is false there too, helper-128).
  std::optional<json::Value> trainingContextValue;
  /// Whether the conversion under way bound a `training` that Keras
  /// leaves to the call context (a default of None, or none): the
  /// converted method then holds for that context only (modelMethod).
  bool trainingContextRead = false;
  /// ModelInputs::staticsKey's suffix for a method whose conversion read
  /// the call context: the context it was converted in.
  static std::string
  trainingContextKey(bool falseContext,
                     const std::optional<json::Value> &value = std::nullopt);
  /// Makes `model`'s own weights at its first call (PythonCustomLayers.cpp):
  /// `__init__`'s `self.add_weight` attributes, then those `build(self,
  /// input_shape)` makes, run at import with the input's shape; then their
  /// values (resolveOwnWeights).
  LogicalResult makeOwnWeights(ModelState &model, const json::Object &method,
                               const ModelInputs &in);
  /// Reads (from --weights) or draws the values of `model`'s own weights,
  /// keyed `<layer>/<attribute>` (PythonWeights.cpp).
  LogicalResult resolveOwnWeights(ModelState &model);
  /// `self.w` of an own weight of the model being converted, as a tensor;
  /// an error for one its build did not make; std::nullopt when `attr` is
  /// none.
  std::optional<FailureOr<PyValue>> ownWeight(const json::Object &node,
                                              llvm::StringRef attr);
  /// The state of a model of the module, or of the model `holder` holds at
  /// `attr`, made on first use.
  ModelState &moduleModelState(llvm::StringRef var);
  ModelState &heldModelState(ModelState &holder, llvm::StringRef attr,
                             const json::Object &model);
  /// The entries of --weights no layer used, for the error.
  std::vector<std::string> unusedWeights();
  /// Writes --dump-weights (after everything converted).
  llvm::Error dumpWeights();

  //===--------------------------------------------------------------------===//
  // Branches and while loops (PythonBranches.cpp)
  //===--------------------------------------------------------------------===//

  /// Converts `stmts` in order; the values of the `return` that ends them
  /// (std::nullopt when they fall through). An `if` is decided at import
  /// when its condition is known (only the chosen arm is converted), else
  /// it is one `scf.if`; an `if` with a `return` in an arm takes the
  /// statements after it into each arm that falls through, so that every
  /// path ends with its own `return` (docs/PythonSource.md, Control flow).
  struct Exit {
    enum Kind { FallThrough, Return, Break, Continue, Dynamic } kind;
    /// Return: the returned values.
    SmallVector<PyValue> values;
    /// Dynamic (an `if` decided at run time whose arms end the iteration
    /// differently): an i1, true where the iteration broke.
    Value broke;
  };
  FailureOr<Exit> block(ArrayRef<const json::Object *> stmts);
  /// The `return`s of loop `stmt`'s body (in nested loops too): a
  /// LoopReturn with their count, or null when there are none; an error
  /// when they give different numbers of values.
  FailureOr<std::unique_ptr<LoopReturn>> loopReturns(const json::Object &stmt);
  /// Binds `r`'s names before its loop (the flag false, the values
  /// placeholders) and returns them, for the loop to carry.
  SmallVector<std::string> bindLoopReturn(LoopReturn &r, Location at);
  /// Once loop `loop` is made: where `r`'s values are among what it carries.
  void placeLoopReturn(LoopReturn &r, Operation *loop, unsigned first);
  /// A `return` of `values` inside the innermost loop: binds its names and
  /// breaks.
  FailureOr<Exit> returnInLoop(const json::Object &stmt,
                               ArrayRef<PyValue> values);
  /// After loop `stmt` (whose returns `r` are): `if $returned@D: return
  /// ...` followed by `rest`.
  FailureOr<Exit> afterLoopReturn(const json::Object &stmt, LoopReturn &r,
                                  ArrayRef<const json::Object *> rest);
  /// The statements that run after loop `loop`, just converted, for its
  /// `else`: none without one or for a loop unrolled at import; the
  /// `else`'s own when the loop cannot break; else one `if` synthesized on
  /// loopBroke (`if not broke: <else>`, as AutoGraph's break_statements
  /// converts it).
  SmallVector<const json::Object *> loopElse(const json::Object &loop);
  /// An `if` statement without `return` in its arms (inside loops too).
  LogicalResult ifStatement(const json::Object &stmt);
  /// `while test: body` on a condition known at run time: one `scf.while`
  /// carrying the names the body rebinds.
  /// The body `stmts` of loop `stmt`, carrying `carried` (and a `break`
  /// flag if `breaks`; `returns` its `return`s): what ends it.
  FailureOr<Exit> loopBody(const json::Object &stmt,
                           ArrayRef<const json::Object *> stmts,
                           ArrayRef<std::string> carried, bool breaks,
                           LoopReturn *returns);
  /// `returns`: the `return`s of its body (block() tests their flag after
  /// the loop).
  LogicalResult whileLoop(const json::Object &stmt,
                          LoopReturn *returns = nullptr);
  /// `a < b` (chained as Python chains it): a Python bool for integers, a
  /// tensor of i1 (predict.compare) when a side is a tensor.
  FailureOr<PyValue> compare(const json::Object &node);
  /// `a and b`, `a or b`: Python's value, the operand that decides (`2 or
  /// 3` is 2, `tf.shape(x)[0] or 7` an integer chosen at run time, `n > 0
  /// and m > 0` a bool), the later operands converted only where they are
  /// reached (short circuit). Decided at run time, the operands must be
  /// bools (comparisons, bool tensors of one element) or all integers.
  /// `truthOnly` (a condition: `if a or b`) gives the result's truth
  /// instead, of any operands a condition takes.
  FailureOr<PyValue> boolOp(const json::Object &node, bool truthOnly = false);
  /// `not a`.
  FailureOr<PyValue> notOp(const json::Object &node);
  /// `a if c else b`.
  FailureOr<PyValue> ifExp(const json::Object &node);
  /// tf.cond, tf.while_loop; std::nullopt for another callee.
  std::optional<FailureOr<PyValue>> controlCall(const json::Object &node,
                                                llvm::StringRef callee);
  /// `tf.map_fn(fn, elems)`, `tf.vectorized_map(fn, elems)` (fn a lambda
  /// or a function of the file, elems one tensor): a predict.for over the
  /// rows of elems appending fn(row) to a list, stacked on axis 0.
  FailureOr<PyValue> mapCall(const json::Object &node, llvm::StringRef callee);
  /// `a, b = tf.while_loop(cond, body, [a0, b0])`: the loop's values.
  FailureOr<SmallVector<PyValue>> whileLoopCall(const json::Object &node);
  /// What a condition is: known at import (`known`), or an `i1` value
  /// known at run time. `construct` names the Python construct in messages
  /// ("`if` statement").
  struct Condition {
    std::optional<bool> known;
    Value value;
    /// Whether TensorFlow's condition is a tensor (AutoGraph converts the
    /// statement to tf.cond or tf.while_loop): a tensor's truth, or a
    /// comparison of TensorFlow's int32 integers (PyValue::int32).
    bool tensor = false;
  };
  FailureOr<Condition> condition(const json::Object &test,
                                 llvm::StringRef construct);
  /// Python's truth of `value` (a bool, an integer, a tensor of one
  /// element) as an i1; an error at `node` for a tensor of more elements.
  FailureOr<Condition> truth(const PyValue &value, const json::Object &node,
                             llvm::StringRef construct);
  /// Merges `a` (then arm) and `b` (else arm) of one name into one type:
  /// tensors of one rank join to dynamic sizes where they differ; a Python
  /// int beside a scalar integer tensor becomes one (intBesideTensor); an
  /// error naming both types otherwise.
  FailureOr<Type> joinArms(PyValue &a, PyValue &b, llvm::StringRef what,
                           const json::Object &at);
  /// The scalar integer tensor type of `b` when `a` is a Python int and `b`
  /// a scalar int32 or int64 tensor (a name that is `0` on one path and
  /// `tf.cast(..., tf.int32)` on another); null otherwise. Where the paths
  /// join (tf.cond's and tf.while_loop's values), TensorFlow converts the
  /// int to that dtype.
  static RankedTensorType intBesideTensor(const PyValue &a, const PyValue &b);
  /// A loop's value `v` after an iteration against its `init`: a Python
  /// int beside an int tensor is the tensor (intBesideTensor); true when
  /// `init` was converted (its type now `widened`: the loop is made
  /// again), else `v` converted where needed.
  FailureOr<bool> joinCarriedInt(PyValue &init, PyValue &v, Type &widened,
                                 const json::Object &stmt);
  /// The Python int `a` as a scalar of `type` (intBesideTensor), made
  /// after `a`'s definition; a located check where int32 would not hold it.
  FailureOr<PyValue> intAsTensor(const PyValue &a, RankedTensorType type,
                                 const json::Object &at);

  //===--------------------------------------------------------------------===//
  // Loops, lists, integers, slices (PythonLoops.cpp)
  //===--------------------------------------------------------------------===//

  /// `for NAME in range(...)`, `for row in x`, and `for a, b in
  /// zip(...)` / `for i, v in enumerate(...)` over those: one predict.for.
  LogicalResult forLoop(const json::Object &stmt,
                        LoopReturn *returns = nullptr);
  /// One name that `for` binds at iteration k of a loop over enumerate(...)
  /// or zip(...): row k of `rows`, or the integer start + k * step.
  struct LoopBinding {
    std::string name;
    const json::Object *target;
    /// What it is drawn from (enumerate(...) for a counter), for messages.
    const json::Object *iterable;
    Value rows;
    Value start, step;
  };
  /// The names `target` binds from `iter` (enumerate, zip, range or a
  /// tensor's rows, nested as Python unpacks them) and the length of each
  /// sequence zipped (the loop runs to the shortest, as zip does; an
  /// enumerate's counter has none).
  LogicalResult zipBindings(const json::Object &target,
                            const json::Object &iter,
                            SmallVectorImpl<LoopBinding> &bindings,
                            SmallVectorImpl<Value> &lengths);
  /// `name.append(x)` (the statement's Call).
  LogicalResult append(const json::Object &call);
  /// `lst.extend(more)` of a list built outside loops by this function
  /// and a tuple or list known element by element: its elements appended.
  LogicalResult extend(const json::Object &call);
  /// `[a, b]`.
  FailureOr<PyValue> listLiteral(const json::Object &node);
  /// A list of `elements` known at import, made by `node` in the current
  /// function (a list literal, a model's several outputs, tf.split's
  /// pieces).
  PyValue knownList(const json::Object &node, ArrayRef<Value> elements,
                    ArrayRef<PyValue> items = {});
  /// Element `k` of a list built outside loops as the program reads it: a
  /// Python int or bool it holds as itself, else the tensor.
  static PyValue listItem(const ListValue &list, size_t k);
  /// Every element of `list` so (listItem).
  static SmallVector<PyValue> listItems(const ListValue &list);
  /// `x[a:b]`, `x.shape[0]`, `tf.shape(x)[0]`; a part of a numpy array is
  /// one (`IDS[0]`, `MEAN[1:]`: isNdarray).
  FailureOr<PyValue> subscript(const json::Object &node);
  /// subscript(), with `indexedTensor` set to the tensor it indexes (if any).
  FailureOr<PyValue> subscriptOf(const json::Object &node,
                                 Value &indexedTensor);
  /// The part of the value known at import `known` (that of the Subscript
  /// `node`'s base) that `node` picks: a list's or tuple's element (an int
  /// known at import, negative from the end), a slice of it (a new list or
  /// tuple, bounds known at import), a dict's value (a string or int key).
  /// Null when it cannot be picked, with an error at `node` if `report`.
  const json::Value *knownSubscript(const json::Object &node,
                                    const json::Value &known, bool report);
  /// The indices range(*slice(bounds).indices(n)) gives (Python's slice
  /// of n items; bounds are start, stop, step, each optional; a step of 0
  /// is the caller's error).
  static SmallVector<int64_t>
  slicePicks(int64_t n, const std::optional<int64_t> bounds[3]);
  /// An integer known at import: a literal (`-1`, `2 * 3`), a name bound
  /// to one (`k` of `for k in [0, 1]`), a hyperparameter or constant.
  std::optional<int64_t> importInteger(const json::Object &node);
  /// The bounds of the Subscript `node`'s slice, each an integer known at
  /// import or None (unset); false (with an error if `report`) for another
  /// bound or a step of 0.
  bool sliceBounds(const json::Object &node, std::optional<int64_t> bounds[3],
                   bool report);
  /// `a & b`, `a | b`, `a ^ b`, `a << b`, `a >> b` of Python integers
  /// (indexes), as Python computes them on 64-bit values.
  FailureOr<PyValue> indexBitwise(const json::Object &node, PyValue lhs,
                                  PyValue rhs);
  /// `lhs op rhs` where one is TensorFlow's int32 (PyValue::int32): the
  /// integers' result wrapped to 32 bits, as TensorFlow's int32 tensors
  /// compute it; a Python int known at import that int32 does not hold
  /// beside it is an error (TensorFlow's convert_to_tensor raises).
  FailureOr<PyValue> int32Binary(const json::Object &node, PyValue lhs,
                                 PyValue rhs);
  /// TensorFlow's int32 `base ** exponent` (PyValue::int32): each product
  /// wrapped to 32 bits; a negative exponent a located run-time error.
  FailureOr<PyValue> int32Power(const json::Object &node, Value base,
                                Value exponent);
  /// `v` wrapped to int32 and sign-extended back (folded for a constant;
  /// none where `v` is a size or loop variable plus or minus a small
  /// constant, which int32 holds as long as a tensor's sizes are int32's,
  /// as tf.shape's are).
  Value wrapToInt32(Value v, Location at);
  /// A binary operator at least one of whose operands is an integer.
  FailureOr<PyValue> indexBinary(const json::Object &node, PyValue lhs,
                                 PyValue rhs);
  /// `a // b`, `a % b` of integers, with Python's semantics (floor
  /// division, the divisor's sign); a divisor known only at run time is
  /// checked there (ZeroDivisionError).
  FailureOr<PyValue> indexDivision(const json::Object &node, PyValue lhs,
                                   PyValue rhs);
  /// `a ** b` (and pow(a, b)) of integers: a non-negative exponent, the
  /// result checked against 64 bits, at import or at run time.
  FailureOr<PyValue> indexPower(const json::Object &node, PyValue lhs,
                                PyValue rhs);
  /// int(a / b) of integers (`node` the division): the quotient truncated
  /// toward zero, exactly.
  FailureOr<PyValue> truncatedQuotient(const json::Object &node);
  /// `g(x)` of a lambda bound to a name (`g = lambda v: v * 2.0`): its
  /// expression with the parameters bound, over this scope's names.
  FailureOr<PyValue> lambdaCall(const json::Object &lambda,
                                const json::Object &node);
  /// abs(), min(), max() and pow() of Python integers, abs() of a tensor
  /// (tf.abs); std::nullopt for another callee.
  std::optional<FailureOr<PyValue>> numberBuiltin(const json::Object &node,
                                                  llvm::StringRef name);
  /// bool() of an integer or bool, sum() of a tuple or list built outside
  /// loops (with a start), divmod() (Python's // and %); std::nullopt for
  /// another callee.
  std::optional<FailureOr<PyValue>> sequenceBuiltin(const json::Object &node,
                                                    llvm::StringRef name);
  /// The integer known at import that `side` (a Name) is bound to, if any.
  std::optional<int64_t> knownIntegerName(const json::Object *side);
  /// Whether `side` is a name bound to a Python float (PythonFloats.cpp).
  bool knownFloatName(const json::Object *side);
  /// A tensor of one int32 or int64 element where Python wants an integer
  /// (`range(k)`, `x[k:]`, `tf.zeros((k, 2))` of a scalar tf.int32
  /// argument; `range(tf.size(x))`), as AutoGraph and TensorFlow's slicing
  /// take it: `v` becomes its value, an integer known at run time (true);
  /// a Python bool is the int it is in Python (True is 1); anything else
  /// is left as it is (false).
  bool scalarToInteger(PyValue &v, Location at);
  /// "expected an integer here", at `node` (with the way out for `a / b`
  /// and for `value`, a Python float).
  /// The integer `node` is known to be at import: a literal, a constant,
  /// a name or an expression of such integers (`k` of `for k in [0, 1]`,
  /// `len(parts) - 1`); nullopt for another value (a slice, a tensor, an
  /// integer known only at run time); failure where `node` is an error.
  FailureOr<std::optional<int64_t>> knownInteger(const json::Object &node);
  LogicalResult notAnInteger(const json::Object &node,
                             const PyValue *value = nullptr);
  /// "the integer N does not fit in 64 bits", at `node`.
  LogicalResult tooLarge(const json::Object &node, const llvm::APInt &value);
  /// A run-time check that `divisor` is not 0 (ZeroDivisionError).
  void checkDivisor(const json::Object &node, Value divisor);
  /// An integer constant (`arith.constant : index`).
  PyValue constantIndex(int64_t value, Location at);
  /// tf.concat / tf.stack of a list; std::nullopt for another callee.
  std::optional<FailureOr<PyValue>> listCall(const json::Object &node,
                                             llvm::StringRef callee);
  /// The list as one `!predict.list` SSA value (a foreign call's argument).
  FailureOr<Value> materialize(ListValue &list, const json::Object &at);
  /// `-i` of an integer.
  FailureOr<PyValue> indexNegate(const json::Object &node, PyValue value);
  /// `a + b`, `a - b` or `a * b` (`kind`) of integers known at run time,
  /// with a check (predict.assert at `node`) that the result fits in 64
  /// bits, as Python's unbounded integers would give it; none for `i + 1`
  /// and the like (one side a constant below 2**32 in magnitude, added or
  /// subtracted), whose other side is a size or a loop variable.
  Value checkedIndex(const json::Object &node, llvm::StringRef kind, Value a,
                     Value b);
  /// An integer used where a tensor is wanted: a scalar constant when known
  /// at import, else an error at `node`.
  FailureOr<Value> indexAsTensor(const json::Object &node, PyValue value);
  /// `elements` of `list` (a list literal's) as TensorFlow packs scalar
  /// integers with no float among them: run-time integers and int literals
  /// made int32 (or the type of the int tensors among them, or `wanted`,
  /// the dtype they are converted to, when given). Whether it changed
  /// them.
  FailureOr<bool> integerScalars(const ListValue &list,
                                 SmallVectorImpl<Value> &elements,
                                 Type wanted = {});

  //===--------------------------------------------------------------------===//
  // Values known at import (PythonValues.cpp)
  //===--------------------------------------------------------------------===//

  /// The value `node` has at import, as the reader writes values: `self.attr`
  /// of a hyperparameter of the model being converted (an attribute of kind
  /// "value"), or a module constant the function does not rebind; null
  /// otherwise.
  const json::Value *knownValue(const json::Object &node);
  /// The truth of `node` when it is a name or `self.attr` known at import
  /// to be None or a string (None is false, a string true unless empty),
  /// or `not` of one; nothing for anything else (read as a value).
  std::optional<bool> knownTextualTruth(const json::Object &node);
  /// The dict known at import that `node`, a call `d.get(key)` or
  /// `d.get(key, default)`, reads (a helper's **kwargs, a module
  /// constant, a hyperparameter), or null when it is none or the key is
  /// not known at import.
  const json::Object *dictGet(const json::Object &node);
  /// The key `node` (a call `d.get(key, ...)`) reads, when known at
  /// import: a string, or an int's text (the reader keys dicts by
  /// str(key)).
  std::optional<std::string> dictKey(const json::Object &node);
  /// The key the expression `key` is, so (null: none).
  std::optional<std::string> dictKeyOf(const json::Object *key);
  /// The value of `dict` at the key of `node` (a dictGet call), or null
  /// when it has none.
  const json::Value *knownDictValue(const json::Object &node,
                                    const json::Object &dict);
  /// `d.pop(key[, default])`, `d.setdefault(key[, value])` and
  /// `d.update(key=value, ...)` of a dict known at import bound to a name
  /// of the function (a method's **kwargs): Python's, on that name's dict,
  /// and what the call returns (the value, None for update); std::nullopt
  /// when `node` is no such call. Keys and values must be known at
  /// import, and the call must not be under a condition or in a loop
  /// decided at run time, where the dict would differ between runs. As a
  /// statement (`asStatement`), what it returns is not read.
  std::optional<FailureOr<PyValue>> knownDictMethod(const json::Object &node,
                                                    bool asStatement = false);
  /// `d[key] = value` of such a dict (`stmt`): set there; std::nullopt
  /// when `stmt` is no such assignment.
  std::optional<LogicalResult> knownDictStore(const json::Object &stmt);
  /// knownDictMethod's and knownDictStore's checks: that `node` changes the
  /// dict at the function's level; that `key` is a key known at import
  /// (the error); the value `value` puts in the dict written `dict`, known
  /// at import (null after the error).
  LogicalResult changesKnownDictHere(const json::Object &node);
  LogicalResult notAKnownKey(const json::Object &key);
  const json::Value *knownDictEntry(const json::Object *value,
                                    const json::Object &dict);
  /// A known value as converted code reads it: an integer is an `index`
  /// constant, a bool an `i1` constant, a float a Python float
  /// (pythonFloatValue); an error at `node` for any other.
  FailureOr<PyValue> knownPyValue(const json::Value &value,
                                  const json::Object &node);
  /// AutoGraph's min() or max() (`name`) of `values`, one of them a tensor:
  /// of one tensor, itself (rank 0) or tf.reduce_max(x, axis=0) (rank 1);
  /// of several scalars and numbers, tf.reduce_max of them stacked; another
  /// rank is an error (TensorFlow's ValueError).
  FailureOr<PyValue> autographMinMax(const json::Object &node,
                                     llvm::StringRef name,
                                     ArrayRef<PyValue> values,
                                     ArrayRef<const json::Object *> items);

  // Python floats known at import (PythonFloats.cpp).
  /// The Python float `value` holds (PyValue::number), if `value` is still
  /// the float32 scalar constant made for it.
  static std::optional<double> pythonFloat(const PyValue &value);
  /// The Python float `d`: its float32 scalar constant (numpy's float32 of
  /// it: nearest, +-inf beyond the range), tagged with `d`.
  PyValue pythonFloatValue(double d, Location at);
  /// The Python float of the number object `value` (`{"float": "2.5"}`,
  /// `{"int": "3"}`), as float() reads it.
  FailureOr<double> pythonNumber(const json::Object &node,
                                 const json::Object &value);
  /// Python's `a OP b` of floats in double precision (OP the reader's
  /// BinOp name: Add, Sub, Mult, Div, FloorDiv, Mod, Pow), with CPython's
  /// rules for `//` and `%` and its errors (ZeroDivisionError,
  /// OverflowError, a complex power) at `node`; nullopt for another OP.
  std::optional<FailureOr<double>> floatArithmetic(const json::Object &node,
                                                   llvm::StringRef op, double a,
                                                   double b);
  /// Whether `value`, computed in `loop`, depends on a tensor: a value
  /// from outside the loop that is neither an integer nor a constant, or
  /// an argument of the loop's regions (after its `leading` ones, the
  /// induction variable) whose initial value in `inits` is one.
  bool dependsOnTensors(Value value, Operation *loop, ValueRange inits,
                        unsigned leading);
  /// In a loop Python runs itself (`for i in range(10)`, `while t < 1.0`:
  /// bounds or condition known at import), a Python float among `inits`
  /// (of the `carried` names) that the loop changes with Python numbers
  /// alone (its `yields` do not depend on tensors) is an error at `stmt`:
  /// Python computes it in double, the compiled loop would in float32.
  LogicalResult checkPythonLoopFloats(const json::Object &stmt, Operation *loop,
                                      ArrayRef<std::string> carried,
                                      ArrayRef<PyValue> inits,
                                      ValueRange initValues, ValueRange yields,
                                      unsigned leading);
  /// int(d) of the Python float `d`: truncated toward zero; Python's
  /// errors for NaN and infinity, and one beyond 64 bits, at `node`.
  FailureOr<PyValue> integerOfFloat(const json::Object &node, double d);
  /// Python's round(number, ndigits=None) of a Python float or an integer
  /// known at import (an integer known at run time to ndigits >= 0 is
  /// itself); a tensor is an error (tf.round).
  FailureOr<PyValue> roundBuiltin(const json::Object &node);
  /// `x[i]`, `x[:, 0]`, `x[..., -1]`, `x[::2]`, `x[1:-1, 2:]`: Python's
  /// (numpy's) basic indexing of a tensor, `parts` one per subscript
  /// (PythonIndexing.cpp). An integer drops its axis and counts from the
  /// end when negative; out of range it is an error at the subscript when
  /// known at import, a run-time check (predict.assert) otherwise. A slice
  /// clamps its bounds as Python does, with a positive step. One
  /// `tensor.extract_slice` (rank-reducing).
  FailureOr<PyValue> indexing(const json::Object &node, Value x,
                              ArrayRef<const json::Object *> parts);
  /// A comparison involving a string or None (`self.mode == "sum"`,
  /// `self.norm is None`, `k in self.names`): a bool decided at import;
  /// std::nullopt when no side is one.
  std::optional<FailureOr<PyValue>> knownCompare(const json::Object &node);
  /// The numpy name of the dtype `node` denotes: `x.dtype` of a tensor
  /// (float32, int32, int64 or bool), a dtype of TensorFlow or numpy
  /// (`tf.float16`, `np.int8`, `tf.dtypes.bool`) or its name as a string
  /// (`"float32"`); std::nullopt when `node` is none of these.
  FailureOr<std::optional<std::string>> dtypeText(const json::Object &node);
  /// `x.dtype == tf.float32` (==, !=, `is`, `is not`, chains of them) of
  /// dtypes (dtypeText): a bool decided at import, as every dtype is known
  /// there; std::nullopt when a side is not a dtype.
  std::optional<FailureOr<PyValue>> dtypeCompare(const json::Object &node);
  /// `len(x)`: a tensor's first size (predict.dim, 0-d is an error), a list
  /// built outside loops' element count, a known list's, tuple's or
  /// string's length.
  FailureOr<PyValue> lenCall(const json::Object &node);
  /// The integer `value` (of `node`) as a scalar tensor of `element` (i32
  /// or i64), exactly: an int32 that does not hold it is an error at import
  /// when it is known there, else a located run-time check naming `why`
  /// the result is int32 (TensorFlow's int32 would wrap).
  FailureOr<Value> integerScalar(const json::Object &node, PyValue value,
                                 Type element, llvm::StringRef why);
  /// The sizes a shape argument writes (TensorArray's element_shape,
  /// tf.ensure_shape's shape, tf.TensorSpec's shape; PythonShapes.cpp): a
  /// list or tuple, or tf.TensorShape of one, of ints known at import and
  /// not negative, None for a size not known (ShapedType::kDynamic).
  /// std::nullopt for another node or size, which the caller reports.
  std::optional<SmallVector<int64_t>> writtenShape(const json::Object &node);
  /// Whether `type`'s sizes are those of `shape` where both are known.
  static bool fitsShape(RankedTensorType type, llvm::ArrayRef<int64_t> shape);
  /// `x` of `x.shape` or `tf.shape(x)` (PythonShapes.cpp); null for
  /// another node.
  static const json::Value *shapeSubject(const json::Object &node);
  /// The tensor `subject` (into `value`) and its ranked type; an error
  /// for an unranked one.
  FailureOr<RankedTensorType> shapedTensor(const json::Value &subject,
                                           Value &value);
  /// Every size of `x.shape` or `tf.shape(x)` (`b, n = x.shape`), integers
  /// (constants where static); std::nullopt for another node.
  std::optional<FailureOr<SmallVector<PyValue>>>
  shapeSizes(const json::Object &node);
  /// `tf.shape(input, out_type=tf.int32)` as a value: TensorFlow's int32
  /// (or int64) vector of the sizes, whose elements stay the integers they
  /// are made of (shapeVectorSizes): `s = tf.shape(x)` then `s[0]`,
  /// `b, n = s`, `tf.zeros(s)` read them as `tf.shape(x)[0]` ...
  FailureOr<PyValue> shapeVector(const json::Object &node);
  /// The rank: `len(x.shape)`, `len(tf.shape(x))`, `x.shape.rank`,
  /// `x.ndim` (an integer) or `tf.rank(x)` (an int32 scalar tensor);
  /// std::nullopt for another node.
  std::optional<FailureOr<PyValue>> rankOf(const json::Object &node);

  /// `list` with `item` appended (named `name` in messages): one more
  /// element outside loops, a predict.list.append in the loop that builds
  /// it; an error at `call` for an append in another loop or of another
  /// type. `source` is the expression `item` was made from and `value`
  /// `item` as the program made it (a Python int), when known.
  FailureOr<std::shared_ptr<ListValue>>
  appendTo(const ListValue &list, Value item, const json::Object &call,
           llvm::StringRef name, const json::Object *source = nullptr,
           std::optional<PyValue> value = std::nullopt);
  /// The `values` of tf.concat or tf.stack: expr(values), except that a
  /// list literal holding list literals of numbers (`[ids, [5]]`) makes
  /// those constants of its tensors' dtype, as TensorFlow converts them.
  FailureOr<PyValue> joinedLiteral(const json::Object &values);
  /// `value`, a tuple or list written beside the tensor `other` in the
  /// arithmetic or comparison `node` (`x + [1.0, 2.0]`, `x > (0, 1)`),
  /// replaced by its tensor of `other`'s dtype, as TensorFlow's operators
  /// convert it; another `value` is left as it is.
  LogicalResult listBesideTensor(PyValue &value, const json::Object &side,
                                 const PyValue &other,
                                 const json::Object &node);
  /// tf.concat (`concat`) or tf.stack of `list` along `axis`, at `node`;
  /// `wanted`, the integer dtype its Python ints are converted to
  /// (integerScalars).
  FailureOr<Value> joinList(const ListValue &list, int64_t axis, bool concat,
                            const json::Object &node, Type wanted = {});

  //===--------------------------------------------------------------------===//
  // tf.TensorArray (PythonTensorArrays.cpp)
  //===--------------------------------------------------------------------===//

  /// `tf.TensorArray(dtype, size, dynamic_size, ..., element_shape)`: an
  /// empty list that remembers them.
  FailureOr<PyValue> makeTensorArray(const json::Object &node);
  /// Adds to `carried` (the names the loop `stmt` carries) the write count
  /// of each TensorArray among them that the loop counts (countsWrites),
  /// bound before the loop to the elements written so far.
  void carryWriteCounts(const json::Object &stmt,
                        SmallVectorImpl<std::string> &carried);
  /// `ta.write(i, v)`, `ta.read(i)`, `ta.stack()`, `ta.concat()`,
  /// `ta.size()`, `ta.unstack(x)` on a TensorArray; std::nullopt when
  /// `node` is not a method call of one.
  std::optional<FailureOr<PyValue>> tensorArrayCall(const json::Object &node);
  /// Whether `node` is the call `ta.write(...)`/`ta.unstack(...)` of a
  /// TensorArray (as a statement, its result would be lost).
  bool isTensorArrayUpdate(const json::Object &node);

  //===--------------------------------------------------------------------===//
  // tf.debugging.assert_* (PythonChecks.cpp)
  //===--------------------------------------------------------------------===//

  /// Whether `call` calls a tf.debugging.assert_* function (or one of its
  /// `tf.assert_*` aliases, or tf.debugging.Assert).
  bool isCheckCall(const json::Object &call);
  /// The statement `tf.debugging.assert_equal(x, y, message)` ...: the
  /// element-wise test reduced with `all`, as one predict.assert at the
  /// call (checked at import when known there: assert_rank); an error
  /// naming the function for one predict does not convert.
  LogicalResult checkCall(const json::Object &call);
  /// `tf.print(...)` (`tfPrint`) or Python's `print(...)` as a statement:
  /// one predict.print of the text TensorFlow's print_v2 (str() for
  /// print) makes, tensors written when the program runs
  /// (PythonPrint.cpp); an error at an argument it does not print.
  LogicalResult printCall(const json::Object &call, bool tfPrint);
  /// Whether `names` (an assignment's tuple target) are names, or tuples
  /// or lists of names: one level of nesting, `(a, b), c = ...`.
  static bool unpackableTargets(const json::Array &names);
  /// Binds `target` (a name, or a tuple or list of names) to `value`, a
  /// part of `from`: a tuple target unpacks a tuple or list of known
  /// length, Python's ValueError when the counts differ.
  LogicalResult bindTarget(const json::Object &target, const PyValue &value,
                           const json::Object &from);
  /// bindTarget of a value known at import (a tuple or list of them for a
  /// tuple target, at any depth).
  LogicalResult bindKnownTarget(const json::Object &target,
                                const json::Value &known,
                                const json::Object &from);
  /// That every element of `holds` (bools of known rank) is true: at
  /// import when known there (false is an error at `node`, TensorFlow
  /// raising on every call), else one predict.assert at `node` whose
  /// failure reports `text`; `shown` names the check (PythonChecks.cpp).
  LogicalResult assertEvery(Value holds, const json::Object &node,
                            llvm::StringRef shown, const std::string &text);
  /// `tf.debugging.check_numerics(tensor, message)`: `tensor`, checked at
  /// run time to hold no NaN and no infinity (TensorFlow's
  /// InvalidArgumentError), the message a string literal.
  FailureOr<PyValue> checkNumerics(const json::Object &call);

  //===--------------------------------------------------------------------===//
  // numpy arrays (PythonArrays.cpp)
  //===--------------------------------------------------------------------===//

  /// np.array, np.asarray, np.eye, np.identity, np.arange and tf.eye (also
  /// tf.linalg.eye) of values known at import: one predict.constant;
  /// std::nullopt for another callee.
  std::optional<FailureOr<PyValue>> arrayCall(const json::Object &node,
                                              llvm::StringRef callee);
  /// numpy's array methods on a numpy array of converted code (isNdarray),
  /// `node` a call of one or the attribute `.T`: `a.reshape(2, 3)`,
  /// `a.reshape((2, 3))` (np.reshape), `a.T`, `a.transpose()`,
  /// `a.transpose(1, 0)` (np.transpose), `a.flatten()`, `a.ravel()`
  /// (np.reshape to -1), `a.astype(np.float32)` (np.asarray with the
  /// dtype), `a.copy()` (itself: converted values do not change); each a
  /// numpy array again. Of a tf.Tensor an error naming TensorFlow's way
  /// (it has none of them: AttributeError); std::nullopt for another
  /// attribute or a receiver that is not a tensor.
  std::optional<FailureOr<PyValue>> ndarrayMethod(const json::Object &node);
  /// The array a module variable or an `__init__` attribute is bound to
  /// (`MEAN = np.array([...])`: the reader's {"call": node}, its arguments
  /// literals), converted where `at` reads it, as the module sees names.
  FailureOr<PyValue> knownCall(const json::Object &call,
                               const json::Object &at);
  /// One predict.constant of a literal (as literalConstant takes it; an
  /// empty list too) with numpy's dtype: `dtype` when given, the values
  /// converted as numpy's `astype` converts them (a float to an integer
  /// type must be whole and in range, a number to bool is `!= 0`), else
  /// numpy's inference (float64, computed as float32, when any value is a
  /// float; int64 for integers and bools mixed; bool for bools). The
  /// constant is an ndarray (isNdarray).
  /// `float64`: the array is numpy's float64 (no dtype given, or
  /// float64): its values are kept (float64Values) for a conversion to
  /// integers, which truncates them, not their float32 rounding.
  FailureOr<Value> numpyConstant(const json::Value &value,
                                 const json::Object &at, Type dtype = {},
                                 bool float64 = true);
  /// The float64 values of the float arrays numpyConstant made (computed
  /// as float32): TensorFlow converts such an array beside an integer
  /// tensor with numpy's astype of the float64 values (helper-133:
  /// 0.99999999 rounded to float32 is 1).
  llvm::DenseMap<Value, std::vector<double>> float64Values;
  /// The values of `array` (an ndarray's constant) as a literal of the
  /// reader's JSON (nested lists of numbers or bools), for an array
  /// written inside another (`np.array([MEAN, MEAN])`); std::nullopt when
  /// it is not a constant.
  std::optional<json::Value> arrayLiteral(Value array);
  /// Whether `v` is a numpy array of converted code (np.array(...), a
  /// module's or model's array, np.zeros(...) and arithmetic of these):
  /// beside a tensor TensorFlow converts it to the tensor's dtype.
  bool isNdarray(Value v) const { return ndarrays.contains(v); }
  /// Whether `v` is a Python float made at run time (runTimeFloats).
  bool isRunTimeFloat(const PyValue &v) const {
    return v.isTensor() && runTimeFloats.contains(v.value);
  }
  /// An error at `node` when `a` and `b` are Python numbers (or number
  /// literals, `aLiteral`, `bLiteral`) of which one is a float known only
  /// at run time (a double, which converted code does not hold), unless
  /// one is a tensor (TensorFlow's float32).
  LogicalResult checkRunTimeFloats(const json::Object &node, const PyValue &a,
                                   const PyValue &b, bool aLiteral,
                                   bool bLiteral);
  /// `v`, or a copy of it where `v` is a numpy array (isNdarray): what a
  /// tf.* function gives (call()).
  FailureOr<Value> asTensor(Value v, const json::Object &node);
  /// Marks `v` as a numpy array (isNdarray); returns it.
  Value markNdarray(Value v) {
    ndarrays.insert(v);
    return v;
  }
  /// A numpy array beside a value of another element type, as `x OP y`
  /// sees it (numbersLike; `xSide`, `ySide` the operands' nodes when
  /// known): beside a tensor, the array converted to the tensor's dtype,
  /// as TensorFlow converts one; beside another array or a Python float
  /// (a float literal or a name bound to one, or a number that is not
  /// whole), numpy's promotion (bool, then int64, then float); beside a
  /// Python int, the array's dtype (numbersLike converts the int).
  LogicalResult ndarraysLike(const json::Object &node, Value &x, Value &y,
                             const json::Object *xSide,
                             const json::Object *ySide);
  /// A new constant (not an ndarray) of `v`'s values (an ndarray's
  /// constant) converted to `element` as numpy's astype converts them; an
  /// error at `node` where a value
  /// would change (a float not whole, or out of the integer type's range,
  /// to an integer type; NaN or infinity to an integer).
  FailureOr<Value> convertArray(Value v, Type element,
                                const json::Object &node);
  /// The literal value of `n` as tf.constant and np.array read it: numbers
  /// and bools, (nested) lists and tuples of them, integers known at import
  /// and module constants; std::nullopt for a Python float variable, and
  /// for a numpy array (isNdarray) when `array` is given, which then holds
  /// it. `fn` names the function in the error for a value known only at
  /// run time; when `runTime` is given, such a value sets it and gives
  /// std::nullopt instead (tf.convert_to_tensor packs it).
  /// tf.convert_to_tensor of a list or tuple literal holding values known
  /// only at run time: TensorFlow's autopacking (tf.stack on axis 0, then
  /// `dtype` if given); an error for any other value.
  FailureOr<PyValue> autopacked(const json::Object &value, Type dtype);
  /// The list or tuple literal of numbers (nested too) that the name
  /// `node` is bound to in converted code, unchanged since (`paddings =
  /// [[0, 0], [1, 1]]`), read as if written in its place (tf.constant's
  /// one constant, a tf.* function's argument); null for anything else.
  const json::Object *literalBehind(const json::Object &node);
  /// autopacked()'s packing of `list` (the elements of `value`): tf.stack
  /// on axis 0 as one dtype, then `dtype` where given.
  FailureOr<PyValue> packed(const json::Object &value, ListValue list,
                            Type dtype);
  FailureOr<std::optional<json::Value>> literalOf(const json::Object &n,
                                                  llvm::StringRef fn,
                                                  Value *array = nullptr,
                                                  bool *runTime = nullptr);

  //===--------------------------------------------------------------------===//
  // Tensors made from a shape (PythonConstructors.cpp)
  //===--------------------------------------------------------------------===//

  /// tf.zeros, tf.ones, tf.fill, tf.zeros_like, tf.ones_like, np.zeros,
  /// np.ones, np.full, np.zeros_like, np.ones_like: one predict.fill (and
  /// a predict.cast for another dtype); std::nullopt for another callee.
  std::optional<FailureOr<PyValue>> constructorCall(const json::Object &node,
                                                    llvm::StringRef callee);

  /// The list `n` (bound to `list`) as the loop `stmt` (a `for` or a
  /// `while`) starts building it: it must start empty and not be another
  /// loop's; an error at `stmt` otherwise.
  FailureOr<PyValue> startLoopList(llvm::StringRef n, const ListValue &list,
                                   const json::Object &stmt);
  /// The values of `carried` as the loop `stmt` starts, each list
  /// started by startLoopList.
  FailureOr<SmallVector<PyValue>> loopInits(ArrayRef<std::string> carried,
                                            const json::Object &stmt);

private:
  /// `list` as a `predict.list` value (its elements appended), for the
  /// loop `loop` at `depth`; an error at the list when its tensors' dtypes
  /// differ.
  FailureOr<std::shared_ptr<ListValue>>
  materializeList(const ListValue &list, const json::Object *loop,
                  unsigned depth);
  FailureOr<PyValue> listOp(const json::Object &node, bool concat);
  FailureOr<Value> sliceBound(const json::Value &bound);
  bool readOutside(llvm::StringRef name, const json::Object &loop);

public:

  //===--------------------------------------------------------------------===//
  // State
  //===--------------------------------------------------------------------===//

  MLIRContext *context;
  const PythonProgramOptions &options;
  OpBuilder builder;
  std::string file;
  const json::Object *program = nullptr;
  /// The program's source text and where each of its lines starts.
  llvm::StringRef sourceText;
  std::vector<size_t> sourceLineStarts;
  ModuleOp module;
  /// The parameters of the entry being built that are models (the example
  /// call passes a model of the module), by name; signature() fills it.
  llvm::StringMap<std::string> entryModels;
  /// The parameters of the entry being built that are Python values: the
  /// example call's (`serve(x, 0.5)`), or their defaults (`def serve(x,
  /// scale=2.0)` with nothing given for `scale`), and those values' nodes:
  /// bound at import, as tf.function traces them.
  llvm::StringMap<const json::Object *> entryDefaults;
  /// The --input-shape keys that name an entry's argument.
  llvm::StringSet<> shapesRead;
  /// The function being converted (innermost, for an inlined helper).
  FunctionScope *scope = nullptr;
  /// Expressions being converted, nested (--max-nesting bounds it).
  unsigned depth = 0;
  /// The helpers being converted, for the recursion error.
  SmallVector<const json::Object *> inlining;
  /// `name: "?x5xf32" = call(...)` being converted: the call, the type it
  /// declares and the annotation.
  struct Annotation {
    const json::Object *value;
    RankedTensorType type;
    const json::Object *note;
  };
  std::optional<Annotation> annotated;
  /// The numpy arrays of converted code (isNdarray).
  llvm::DenseSet<Value> ndarrays;
  /// The float32 scalars `float(n)` made of integers known only at run
  /// time: Python's doubles, whose Python arithmetic (with numbers,
  /// integers and each other, comparisons) converted code does not hold;
  /// beside a tensor they are TensorFlow's float32 (`x * float(i)`).
  llvm::DenseSet<Value> runTimeFloats;
  /// The nodes synthesize() made.
  std::deque<json::Object> synthesized;
  /// The methods layerCallMethod() made, by model and name, and the call
  /// made of each where it is not the program's.
  struct LayerMethod {
    json::Object method;
    std::optional<json::Object> call;
  };
  std::map<std::pair<const json::Object *, std::string>, LayerMethod>
      layerMethods;
  /// The values knownSubscript() made (slices of known lists).
  std::deque<json::Value> knownDerived;
  /// The calls unpackedCall() wrote out.
  std::deque<json::Object> unpackedCalls;
  /// The TensorArray gathers written as tf.gather (names of their stacks).
  int64_t gatheredArrays = 0;

  // Models and weights (PythonModels.cpp, PythonWeights.cpp).
  /// The program's models by module variable, made at their first call.
  llvm::StringMap<std::unique_ptr<ModelState>> models;
  /// The converted models in the order their conversion ended (a model
  /// another one calls first), as they appear in the module.
  std::vector<ModelState *> convertedModels;
  /// A model's method being converted: the model's module variable and the
  /// method's name (`call` for `m(x)` and a `predict` it does not define).
  struct CallingMethod {
    std::string model, method;
  };
  /// The methods being converted, outermost first.
  SmallVector<CallingMethod> calling;
  /// The exit (`break`, `continue`) that the `else` of the loop unrolled
  /// at import just converted took: block() ends its path there.
  std::optional<Exit> unrolledElseExit;
  /// Set by forLoop and whileLoop for a loop converted at run time (not
  /// one unrolled at import, which converts its `else` itself), for its
  /// `else` (loopElse): its break flag (i1, set when it broke), or null
  /// when its body has no `break` (nor `return`).
  std::optional<Value> loopBroke;
  /// How many times the statement being converted is converted, as the
  /// product of the passes of the loops unrolled around it (unrolledLoop);
  /// unrolledLoop bounds it.
  int64_t unrolledPasses = 1;
  /// The model whose method is being converted, innermost (a module model
  /// or a held one): the ops made go inside its predict.model, where its
  /// own symbols resolve.
  ModelState *emitting = nullptr;
  /// How many of the program's models its functions and methods name, as
  /// the models it calls (their weights are keyed `<model>/<attr>/<weight>`
  /// when more than one); counted at the first model call.
  unsigned calledModels = 0;
  /// Those models, by name, in the program's order.
  std::vector<std::string> calledModelNames;
  /// Keras's masks (`_keras_mask`) of the tensors layers made: a tensor an
  /// Embedding with mask_zero=True or a Masking layer returns carries one,
  /// and the next layer called on that very tensor applies it, passes it on
  /// or drops it as its class does (Layers/Masks.h). Any other operation
  /// makes a tensor without one, as in Keras.
  llvm::DenseMap<Value, keras::MaskState> kerasMasks;
  /// Drops the masks of the values `op` and the ops in its regions define,
  /// before `op` is erased (a loop converted again): a later value may take
  /// an erased one's place in memory.
  void forgetMasks(Operation *op) {
    op->walk([&](Operation *inner) {
      for (Value v : inner->getResults())
        kerasMasks.erase(v);
      for (Region &region : inner->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            kerasMasks.erase(arg);
    });
  }
  /// A loop made for one round of widening its carried types (`for`,
  /// `while`, tf.while_loop) and the ops made for its initial values (casts,
  /// flags), erased, users first: the loop is made again with the widened
  /// types.
  void discardRound(Operation *loop, llvm::ArrayRef<Operation *> made) {
    forgetMasks(loop);
    loop->erase();
    for (Operation *op : llvm::reverse(made))
      op->erase();
  }
  std::unique_ptr<WeightStore> weightStore;
};

/// A layer of a model (docs/PythonProgram.md, an attribute of kind
/// "layer"), configured for its registry entry.
struct LayerState {
  const json::Object *attribute = nullptr;
  std::string attr;
  const keras::LayerEntry *entry = nullptr;
  /// Keras's config object of the call (`{"units": 3, ...}`).
  json::Object config;
  std::unique_ptr<keras::LayerConfig> fields;
  /// The declaration, once the layer is first called.
  Operation *decl = nullptr;
};

/// The inputs given to a model call: one tensor, several in a list or
/// tuple (`list`), or several positional arguments (`positional`).
struct ModelInputs {
  /// The inputs of a call given the one tensor `x`, nothing else.
  static ModelInputs of(Value x) {
    ModelInputs in;
    in.values.push_back(x);
    return in;
  }
  SmallVector<Value> values;
  bool list = false;
  bool positional = false;
  /// Whether the call gives training=False (or is Keras's predict, which
  /// does): Keras's call context for the calls the method makes.
  bool trainingFalse = false;
  /// With trainingFalse, the false value the call gives when it is not
  /// False (`m(x, training=0)`): Keras passes it as it is, to `call` and
  /// through the call context to the calls inside (`training is False` is
  /// false for it).
  std::optional<json::Value> trainingValue;
  /// Whether the method is called by its name (`m.call(x)`,
  /// `self.inner.encode(x)`), not through Keras's __call__ or predict: its
  /// own `training` keeps its default whatever the call context, which
  /// reaches `call` through __call__ only (helper-124); the calls it makes
  /// are in the caller's context.
  bool byName = false;
  /// The parameter (its index among the method's, `self` 0) each value is
  /// given to, as Python binds the call's positions and keywords; empty
  /// for 1, 2, ... in order.
  SmallVector<size_t> params;
  /// The parameter value `i` is given to.
  size_t paramOf(size_t i) const {
    return i < params.size() ? params[i] : 1 + i;
  }
  /// The parameters of the values, in order.
  SmallVector<size_t> paramList() const {
    SmallVector<size_t> all;
    for (size_t i = 0; i < values.size(); ++i)
      all.push_back(paramOf(i));
    return all;
  }
  /// A parameter given a Python value known at import (`scale=3.0`,
  /// `mode="sum"`, a trailing positional constant): the method is
  /// converted for that value, once per set of such values.
  struct Static {
    std::string name;
    const json::Value *value = nullptr;
    const json::Object *node = nullptr;
  };
  SmallVector<Static> statics;
  /// The statics as Python writes them (`scale=3.0, mode='sum'`): which
  /// conversion of the method a call runs.
  std::string staticsKey() const;
};

/// One method of a model, converted for one kind of call: `call` (which
/// `model(x)` and `model.predict(x)` run unless predict is overridden), or
/// another that the program calls on a module model (`encoder.encode(x)`).
/// Each is a `predict.method` of the model's `predict.model`.
struct ModelMethod {
  const json::Object *node = nullptr;
  /// The Python values its parameters were given (ModelInputs::staticsKey).
  std::string statics;
  MethodOp op;
  /// The method's inputs, and how they were given (one list, or as
  /// positional arguments).
  SmallVector<Type> inputs;
  bool listInput = false;
  bool positionalInput = false;
  /// The parameters the inputs were given to (ModelInputs::paramList).
  SmallVector<size_t> inputParams;
  SmallVector<Type> results;
  /// Whether each input carried a Keras mask at the call the method was
  /// converted for, and the masks its results carry out to the caller
  /// (unknown: predict does not follow a mask through a model's method).
  SmallVector<bool> maskedInputs;
  SmallVector<keras::MaskState> resultMasks;
  bool converted = false;
  /// Its conversion failed (the error said why): a later call of it adds
  /// no error of its own.
  bool failed = false;
  /// The method returns a tuple or list (FunctionScope::returnsSequence).
  bool returnsSequence = false;

  /// Whether a call with `in` fits the method as converted.
  bool accepts(const ModelInputs &in) const {
    return in.list == listInput && in.positional == positionalInput &&
           in.paramList() == inputParams &&
           llvm::equal(ValueRange(in.values).getTypes(), inputs);
  }
};

/// A model the program calls: one `predict.model` with its layers, and a
/// method for each of the model's methods called (each converted for one
/// input type).
/// A weight a custom layer (or model) makes itself, `self.w =
/// self.add_weight(shape, initializer, ...)` in `__init__` or `build`
/// (PythonCustomLayers.cpp).
struct OwnWeight {
  /// The attribute it is stored as (`w`), and where it is made.
  std::string attr;
  const json::Object *at = nullptr;
  SmallVector<int64_t> shape;
  /// Its initializer as written (`"zeros"`), for drawing it; or
  /// "constant", its values `initial` (a tf.Variable of a literal).
  std::string initializer;
  std::vector<float> initial;
  bool trainable = true;
  /// Its values, once read or drawn.
  ElementsAttr value;
};

struct ModelState {
  const json::Object *model = nullptr;
  std::string var, className;
  /// A model held as an attribute of another (`self.encoder = Encoder()`):
  /// the outermost model, and the prefix of its layers' weight keys
  /// (`encoder/`); null and empty for a module-level model.
  ModelState *root = nullptr;
  std::string keyPrefix;
  /// The models this one holds, by attribute, once called.
  std::map<std::string, std::unique_ptr<ModelState>> held;
  /// The model, owned here until it is placed in the module (or, held, in
  /// its holder's model); `handle` stays valid after.
  OwningOpRef<ModelOp> op;
  ModelOp handle;
  /// The methods converted, in the order of their first call; the method
  /// being converted, or null.
  std::vector<std::unique_ptr<ModelMethod>> methods;
  ModelMethod *converting = nullptr;

  /// The method converted (or being converted) from `node` for the Python
  /// values `statics` and `inputs` tensors, or null.
  ModelMethod *methodOf(const json::Object *node, llvm::StringRef statics,
                        llvm::ArrayRef<size_t> inputParams) const {
    for (const std::unique_ptr<ModelMethod> &m : methods)
      if (m->node == node && m->statics == statics &&
          llvm::equal(m->inputParams, inputParams))
        return m.get();
    return nullptr;
  }
  llvm::StringMap<std::unique_ptr<LayerState>> layers;
  /// Its own weights in the order it makes them (`__init__`'s, then
  /// `build`'s), made when it is first called.
  std::vector<OwnWeight> ownWeights;
  /// The values `build` stores (`self.in_dim = input_shape[-1]`), as the
  /// reader writes values: hyperparameters its methods read.
  llvm::StringMap<json::Value> builtValues;
  /// Whether it is a custom layer (a tf.keras.layers.Layer subclass).
  bool isCustomLayer() const {
    return model->getBoolean("layer_class").value_or(false);
  }
};

/// An error of the user's program already emitted as a diagnostic at its
/// line (by a weight provider, which knows the layer's location): the
/// caller reports nothing more.
class ReportedError : public llvm::ErrorInfo<ReportedError> {
public:
  static char ID;
  void log(llvm::raw_ostream &os) const override { os << "(reported above)"; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }
};

/// A reader's value (docs/PythonProgram.md, Values) as Python's repr
/// writes it (`'he_normal'`, `True`, `(3,)`), for messages.
std::string pythonRepr(const json::Value &value);
/// Python's repr of a string (`'a\'b'`, `"it's"`), for messages that quote
/// one as Python does.
std::string pythonRepr(llvm::StringRef text);
/// The attribute marking the `tensor.from_elements` of a shape vector
/// (ProgramBuilder::shapeVector).
inline constexpr llvm::StringLiteral kShapeVector = "predict.shape_vector";
/// The integers (`index`) a shape vector was made of, or std::nullopt for
/// another value.
std::optional<SmallVector<Value>> shapeVectorSizes(Value vector);
/// The integers (`index`) the elements of `vector`, a 1-D (or 0-D) int
/// tensor built at import, are when they can be traced to sizes and
/// constants: a shape vector of either int type, `tensor.from_elements` of
/// sizes and constants (tf.stack's packing), predict.constant, and
/// predict.concatenate of such (`tf.concat([tf.shape(x)[:1], [-1]], 0)`);
/// std::nullopt for another value (one computed at run time). Constants
/// are made with `builder` at `at`.
std::optional<SmallVector<Value>> vectorSizes(OpBuilder &builder, Location at,
                                              Value vector);
/// Python's repr of a float (`0.1`, `1e+16`, `1.5e-05`, `2.0`, `inf`): the
/// fewest digits that read back to `d` (PythonPrint.cpp).
std::string pythonFloatRepr(double d);
/// `node` (one the builder makes) at the place of `where` (its "loc" and
/// "end"), so that messages about it show the program's text there.
json::Object located(json::Object node, const json::Object &where);
/// The node of a call of TensorFlow's `fn` (`tensorflow.<fn>`), written
/// where `where` is, with `args` and `keywords` (nodes): a conversion that
/// TensorFlow's own function makes (AutoGraph's builtins).
json::Object tfCallNode(llvm::StringRef fn, json::Array args,
                        json::Array keywords, const json::Object &where);
/// The list a `tf.TensorShape(list)` call `node` wraps (possibly null),
/// else `node` itself (PythonShapes.cpp).
const json::Object *unwrapTensorShape(const json::Object &node);

/// The names `stmts` (a loop's body, an arm of an `if`) may rebind, in the
/// order Python's `ast.walk` meets them (PythonLoops.cpp).
void collectReboundNames(const json::Value &stmts,
                         SmallVectorImpl<std::string> &names);
/// The value of an `index` known at import (a constant, a static size).
std::optional<int64_t> knownIndexValue(Value v);
/// Whether a loop TensorFlow runs as tf.while_loop makes `init`, a value
/// it carries, TensorFlow's int32 (PyValue::int32): an integer, but not a
/// Python int known at import beyond int32, which TensorFlow converts to
/// int64 (helper-141).
inline bool int32InLoop(const PyValue &init) {
  if (!init.isIndex())
    return false;
  std::optional<int64_t> k = knownIndexValue(init.value);
  return !k || (*k >= INT32_MIN && *k <= INT32_MAX);
}
/// `size` (an `index`) as a shape entry: its value when known at import,
/// else ShapedType::kDynamic, `size` then appended to `dynamic` (the
/// operands of tensor.empty, tensor.generate).
int64_t shapeEntry(Value size, SmallVectorImpl<Value> &dynamic);

/// The reader's model of the module variable `var` (in the program JSON's
/// `models`), or null (PythonModels.cpp).
const json::Object *findModel(const json::Object &program, llvm::StringRef var);
/// Whether `node` calls the Python builtin `name` (`range(...)`, not a
/// function of the file's or of a module of that name).
bool callsBuiltin(const json::Object &node, llvm::StringRef name);
/// Whether `stmts` (a loop's body) has a `break` of that loop (not of a
/// nested one), or, with `orReturn`, a `return` (PythonBranches.cpp).
bool breaksLoop(const json::Array *stmts, bool orReturn = true);
/// Whether `stmts` (a loop's body) has a `break` or `continue` of that
/// loop, or a `return` (PythonBranches.cpp).
bool leavesIteration(const json::Array *stmts);
/// Whether the loop `loop` writes the tf.TensorArray named `name` other
/// than once in every iteration: a `while` loop, or a `for` loop whose body
/// has a `break`, `continue` or `return`, or rebinds `name` in a nested
/// statement (under an `if`). Such a loop counts the elements written in
/// the name `writtenName(name)` it carries (PythonTensorArrays.cpp).
bool countsWrites(const json::Object &loop, llvm::StringRef name);
/// The hidden name of the count of elements written to the TensorArray
/// `name` (not a Python identifier, so no user name meets it).
inline std::string writtenName(llvm::StringRef name) {
  return (name + "$written").str();
}
/// Yields `thenValues` and `elseValues` (cast to `types`) from the arms of
/// `op`, an `scf.if` built without results, and remakes it with `types`:
/// its results (PythonBranches.cpp).
SmallVector<Value> finishGuard(OpBuilder &builder, mlir::Operation *op,
                               ArrayRef<Value> thenValues,
                               ArrayRef<Value> elseValues,
                               ArrayRef<Type> types, Location at);

/// What converted code supports, for the messages about the rest.
extern const char *const kSubset;

/// `?x100xf32` (the syntax of --input-shape and of annotations) as a shape,
/// `f32` alone a scalar; std::nullopt unless every size is `?` or a decimal
/// from 0 to 2**63 - 1.
std::optional<SmallVector<int64_t>> parseShapeSpec(llvm::StringRef spec);
/// `?x4xi32`, `?x4xi64`, `?x4xi1` or `?x100xf32`, or `f32`, `i32` ...
/// alone for a scalar (the syntax of --input-shape): the shape and the element
/// type's name (`f32`, `i32`, `i64`, `i1`).
std::optional<std::pair<SmallVector<int64_t>, llvm::StringRef>>
parseInputSpec(llvm::StringRef spec);

/// Python's float `text` (its repr: `1e-05`, `inf`, `-inf`, `nan`) as a
/// double, exactly; false when it is not one.
bool parseFloatText(llvm::StringRef text, llvm::APFloat &value);

/// The kind of a program-JSON node: its Python `ast` class name ("Call",
/// "Name" ...); "" for none.
llvm::StringRef kindOf(const json::Object &node);
/// Whether `node` (an expression or statement, or any part of one) reads
/// the name `var`.
bool readsName(const json::Value &node, llvm::StringRef var);
class ProgramBuilder;
/// The Python value `node` has at import (a literal, folded by the reader
/// when it is an expression of literals, a module constant, a
/// hyperparameter; not an array), or null.
const json::Value *knownArgument(ProgramBuilder &b, const json::Object &node);
/// Python's truth of a value known at import (`bool(v)`): None, False,
/// zero and "" are false; std::nullopt for other values.
std::optional<bool> knownTruth(const json::Value &v);
llvm::StringRef kindOf(const json::Object *node);
/// `array`, or an empty array for null.
const json::Array &arrayOr(const json::Array *array);
/// A type as messages write it (`tensor<?x4xf32>`, `index`).
std::string typeText(Type type);
/// `a` and `b` (one rank and element type) with the sizes where they
/// differ made `?`: the type both fit, as AutoGraph relaxes a loop's or a
/// branch's values; null when the ranks or element types differ.
RankedTensorType joinSizes(RankedTensorType a, RankedTensorType b);
/// numpy's name of an element type (`float32`, `int32`, `int64`, `bool`),
/// for messages.
std::string dtypeName(Type type);
/// The Python words of a value's kind, for messages ("an integer", "a
/// tensor<f32>", "a Python float").
std::string kindWords(const PyValue &v);
/// The nodes (statements, arguments) of `array`, null for none.
SmallVector<const json::Object *> nodes(const json::Array *array);
/// The element type of a dtype's name as TensorFlow and numpy spell it
/// (`float32`, `int32`, `int64`, `bool`; Python's `float`, `int`, `bool`),
/// or null for another.
Type dtypeNamed(Builder &builder, llvm::StringRef name);

/// The activation a tf.* function computes (`tf.nn.relu6`,
/// `tf.keras.activations.hard_sigmoid`: predict.activation of that kind).
std::optional<ActivationKind> activationOf(llvm::StringRef callee);

} // namespace mlir::predict::python

#endif // PREDICT_LIB_IMPORT_PYTHONBUILDER_H
