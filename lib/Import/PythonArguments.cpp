//===- PythonArguments.cpp - tf.* arguments bound as Python binds them ----===//
//
// The table of the tf.* functions converted code calls, each with its
// parameters in TensorFlow's order and their defaults (the signatures of
// TensorFlow 2's API documentation, tf.math.reduce_mean and friends), the
// binder that binds a call's arguments to them as Python does, and the
// readers that take a bound argument as a tensor, an int known at import, a
// bool, a number or a dtype. The functions themselves are PythonCalls.cpp's
// (one predict op each), PythonTensorOps.cpp's and PythonBranches.cpp's.
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"

#include "predict/Dialect/Predict/IR/ShapeUtils.h"
#include "llvm/ADT/StringSet.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
/// One row of the table: the signature text, and the qualified names it
/// is called by (the reader resolves the file's imports to them).
struct TableRow {
  const char *signature;
  std::initializer_list<const char *> names;
};

// The signatures are TensorFlow 2's (tf.math.reduce_sum's documentation
// page and so on); numpy's where predict converts a numpy function natively
// (np.argmax). Parameters predict does not read are still bound, so that a
// call TensorFlow accepts binds, and the function says what it does with
// them.
const TableRow kTable[] = {
    // Elementwise math (PythonCalls.cpp).
    {"add(x, y, name=None)", {"tensorflow.add", "tensorflow.math.add"}},
    {"subtract(x, y, name=None)",
     {"tensorflow.subtract", "tensorflow.math.subtract"}},
    {"multiply(x, y, name=None)",
     {"tensorflow.multiply", "tensorflow.math.multiply"}},
    {"divide(x, y, name=None)",
     {"tensorflow.divide", "tensorflow.math.divide"}},
    {"truediv(x, y, name=None)", {"tensorflow.math.truediv"}},
    {"floordiv(x, y, name=None)", {"tensorflow.math.floordiv"}},
    {"floormod(x, y, name=None)",
     {"tensorflow.math.floormod", "tensorflow.math.mod"}},
    {"pow(x, y, name=None)", {"tensorflow.pow", "tensorflow.math.pow"}},
    {"maximum(x, y, name=None)",
     {"tensorflow.maximum", "tensorflow.math.maximum"}},
    {"minimum(x, y, name=None)",
     {"tensorflow.minimum", "tensorflow.math.minimum"}},
    {"matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, "
     "adjoint_b=False, a_is_sparse=False, b_is_sparse=False, "
     "output_type=None, grad_a=False, grad_b=False, name=None)",
     {"tensorflow.matmul", "tensorflow.linalg.matmul"}},
    {"exp(x, name=None)", {"tensorflow.exp", "tensorflow.math.exp"}},
    // Composed of predict's ops (PythonMath.cpp).
    {"identity(input, name=None)", {"tensorflow.identity"}},
    {"stop_gradient(input, name=None)", {"tensorflow.stop_gradient"}},
    {"is_nan(x, name=None)", {"tensorflow.math.is_nan"}},
    {"is_inf(x, name=None)", {"tensorflow.math.is_inf"}},
    {"is_finite(x, name=None)", {"tensorflow.math.is_finite"}},
    {"sign(x, name=None)", {"tensorflow.sign", "tensorflow.math.sign"}},
    {"reciprocal(x, name=None)", {"tensorflow.math.reciprocal"}},
    {"squared_difference(x, y, name=None)",
     {"tensorflow.math.squared_difference"}},
    {"divide_no_nan(x, y, name=None)", {"tensorflow.math.divide_no_nan"}},
    {"add_n(inputs, name=None)", {"tensorflow.add_n", "tensorflow.math.add_n"}},
    {"matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, "
     "b_is_sparse=False, name=None)",
     {"tensorflow.linalg.matvec"}},
    {"roll(input, shift, axis, name=None)", {"tensorflow.roll"}},
    {"gather_nd(params, indices, batch_dims=0, name=None)",
     {"tensorflow.gather_nd"}},
    {"tensordot(a, b, axes, name=None)",
     {"tensorflow.tensordot", "tensorflow.linalg.tensordot"}},
    {"cumsum(x, axis=0, exclusive=False, reverse=False, name=None)",
     {"tensorflow.cumsum", "tensorflow.math.cumsum"}},
    {"cumprod(x, axis=0, exclusive=False, reverse=False, name=None)",
     {"tensorflow.math.cumprod"}},
    {"norm(tensor, ord='euclidean', axis=None, keepdims=None, name=None)",
     {"tensorflow.norm", "tensorflow.linalg.norm"}},
    {"sort(values, axis=-1, direction='ASCENDING', name=None)",
     {"tensorflow.sort"}},
    {"argsort(values, axis=-1, direction='ASCENDING', stable=False, "
     "name=None)",
     {"tensorflow.argsort"}},
    {"log(x, name=None)", {"tensorflow.math.log"}},
    {"sqrt(x, name=None)", {"tensorflow.sqrt", "tensorflow.math.sqrt"}},
    {"abs(x, name=None)", {"tensorflow.abs", "tensorflow.math.abs"}},
    {"negative(x, name=None)",
     {"tensorflow.negative", "tensorflow.math.negative"}},
    {"constant(value, dtype=None, shape=None, name='Const')",
     {"tensorflow.constant"}},
    // Arrays of values known at import (PythonArrays.cpp): numpy's
    // signatures (keyword-only parameters bound by keyword or position).
    {"array(object, dtype=None, copy=True, order='K', subok=False, ndmin=0, "
     "like=None)",
     {"numpy.array"}},
    {"asarray(a, dtype=None, order=None, like=None)", {"numpy.asarray"}},
    {"eye(N, M=None, k=0, dtype=float, order='C', like=None)", {"numpy.eye"}},
    {"identity(n, dtype=None, like=None)", {"numpy.identity"}},
    {"scalar(x=0)",
     {"numpy.float32", "numpy.float64", "numpy.int32", "numpy.int64",
      "numpy.bool_"}},
    {"arange(start=None, stop=None, step=None, dtype=None, like=None)",
     {"numpy.arange"}},
    {"eye(num_rows, num_columns=None, batch_shape=None, dtype=tf.float32, "
     "name=None)",
     {"tensorflow.eye", "tensorflow.linalg.eye"}},
    {"convert_to_tensor(value, dtype=None, dtype_hint=None, name=None)",
     {"tensorflow.convert_to_tensor"}},
    // Activations (PythonCalls.cpp, activationCall).
    {"relu(features, name=None)", {"tensorflow.nn.relu"}},
    {"relu6(features, name=None)", {"tensorflow.nn.relu6"}},
    {"softmax(logits, axis=None, name=None)",
     {"tensorflow.nn.softmax", "tensorflow.math.softmax"}},
    {"log_softmax(logits, axis=None, name=None)",
     {"tensorflow.nn.log_softmax", "tensorflow.math.log_softmax"}},
    {"sigmoid(x, name=None)",
     {"tensorflow.nn.sigmoid", "tensorflow.sigmoid",
      "tensorflow.math.sigmoid"}},
    {"log_sigmoid(x, name=None)", {"tensorflow.math.log_sigmoid"}},
    {"tanh(x, name=None)",
     {"tensorflow.tanh", "tensorflow.math.tanh", "tensorflow.nn.tanh"}},
    {"elu(features, name=None)", {"tensorflow.nn.elu"}},
    {"gelu(features, approximate=False, name=None)", {"tensorflow.nn.gelu"}},
    {"softplus(features, name=None)",
     {"tensorflow.nn.softplus", "tensorflow.math.softplus"}},
    {"softsign(features, name=None)",
     {"tensorflow.nn.softsign", "tensorflow.math.softsign"}},
    {"leaky_relu(features, alpha=0.2, name=None)",
     {"tensorflow.nn.leaky_relu"}},
    {"silu(features, beta=1.0)", {"tensorflow.nn.silu", "tensorflow.nn.swish"}},
    {"selu(features, name=None)", {"tensorflow.nn.selu"}},
    {"l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None)",
     {"tensorflow.math.l2_normalize", "tensorflow.linalg.l2_normalize",
      "tensorflow.nn.l2_normalize"}},
    // Reductions, argmax, casts, comparisons, logical operations, tf.where
    // and more math (PythonTensorOps.cpp).
    {"count_nonzero(input, axis=None, keepdims=False, dtype=tf.int64, "
     "name=None)",
     {"tensorflow.math.count_nonzero"}},
    {"reduce_sum(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.reduce_sum", "tensorflow.math.reduce_sum"}},
    {"reduce_mean(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.reduce_mean", "tensorflow.math.reduce_mean"}},
    {"reduce_variance(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.math.reduce_variance"}},
    {"reduce_std(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.math.reduce_std"}},
    {"reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.reduce_logsumexp", "tensorflow.math.reduce_logsumexp"}},
    {"moments(x, axes, shift=None, keepdims=False, name=None)",
     {"tensorflow.nn.moments"}},
    {"reduce_max(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.reduce_max", "tensorflow.math.reduce_max"}},
    {"reduce_min(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.reduce_min", "tensorflow.math.reduce_min"}},
    {"reduce_prod(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.reduce_prod", "tensorflow.math.reduce_prod"}},
    {"reduce_any(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.reduce_any", "tensorflow.math.reduce_any"}},
    {"reduce_all(input_tensor, axis=None, keepdims=False, name=None)",
     {"tensorflow.reduce_all", "tensorflow.math.reduce_all"}},
    {"argmax(input, axis=None, output_type=tf.int64, name=None)",
     {"tensorflow.argmax", "tensorflow.math.argmax"}},
    {"argmin(input, axis=None, output_type=tf.int64, name=None)",
     {"tensorflow.argmin", "tensorflow.math.argmin"}},
    {"argmax(a, axis=None, out=None, keepdims=False)", {"numpy.argmax"}},
    {"argmin(a, axis=None, out=None, keepdims=False)", {"numpy.argmin"}},
    {"cast(x, dtype, name=None)",
     {"tensorflow.cast", "tensorflow.dtypes.cast"}},
    {"equal(x, y, name=None)", {"tensorflow.equal", "tensorflow.math.equal"}},
    {"not_equal(x, y, name=None)",
     {"tensorflow.not_equal", "tensorflow.math.not_equal"}},
    {"less(x, y, name=None)", {"tensorflow.less", "tensorflow.math.less"}},
    {"less_equal(x, y, name=None)",
     {"tensorflow.less_equal", "tensorflow.math.less_equal"}},
    {"greater(x, y, name=None)",
     {"tensorflow.greater", "tensorflow.math.greater"}},
    {"greater_equal(x, y, name=None)",
     {"tensorflow.greater_equal", "tensorflow.math.greater_equal"}},
    {"logical_and(x, y, name=None)",
     {"tensorflow.logical_and", "tensorflow.math.logical_and"}},
    {"logical_or(x, y, name=None)",
     {"tensorflow.logical_or", "tensorflow.math.logical_or"}},
    {"logical_xor(x, y, name=None)", {"tensorflow.math.logical_xor"}},
    {"bitwise_and(x, y, name=None)", {"tensorflow.bitwise.bitwise_and"}},
    {"bitwise_or(x, y, name=None)", {"tensorflow.bitwise.bitwise_or"}},
    {"bitwise_xor(x, y, name=None)", {"tensorflow.bitwise.bitwise_xor"}},
    {"invert(x, name=None)", {"tensorflow.bitwise.invert"}},
    {"logical_not(x, name=None)",
     {"tensorflow.logical_not", "tensorflow.math.logical_not"}},
    {"where(condition, x=None, y=None, name=None)", {"tensorflow.where"}},
    {"clip_by_value(t, clip_value_min, clip_value_max, name=None)",
     {"tensorflow.clip_by_value"}},
    {"square(x, name=None)", {"tensorflow.square", "tensorflow.math.square"}},
    {"rsqrt(x, name=None)", {"tensorflow.math.rsqrt"}},
    {"log1p(x, name=None)", {"tensorflow.math.log1p"}},
    {"erf(x, name=None)", {"tensorflow.math.erf"}},
    {"sin(x, name=None)", {"tensorflow.sin", "tensorflow.math.sin"}},
    {"floor(x, name=None)", {"tensorflow.floor", "tensorflow.math.floor"}},
    {"ceil(x, name=None)", {"tensorflow.math.ceil"}},
    {"round(x, name=None)", {"tensorflow.round", "tensorflow.math.round"}},
    {"cos(x, name=None)", {"tensorflow.cos", "tensorflow.math.cos"}},
    // Shape operations (PythonTensorOps.cpp).
    {"reshape(tensor, shape, name=None)", {"tensorflow.reshape"}},
    {"reverse(tensor, axis, name=None)", {"tensorflow.reverse"}},
    {"transpose(a, perm=None, conjugate=False, name='transpose')",
     {"tensorflow.transpose"}},
    {"expand_dims(input, axis, name=None)", {"tensorflow.expand_dims"}},
    {"squeeze(input, axis=None, name=None)", {"tensorflow.squeeze"}},
    {"tile(input, multiples, name=None)", {"tensorflow.tile"}},
    {"pad(tensor, paddings, mode='CONSTANT', constant_values=0, name=None)",
     {"tensorflow.pad"}},
    {"one_hot(indices, depth, on_value=None, off_value=None, axis=None, "
     "dtype=None, name=None)",
     {"tensorflow.one_hot"}},
    {"gather(params, indices, validate_indices=None, axis=None, "
     "batch_dims=0, name=None)",
     {"tensorflow.gather"}},
    {"top_k(input, k=1, sorted=True, index_type=tf.int32, name=None)",
     {"tensorflow.math.top_k", "tensorflow.nn.top_k"}},
    {"unique(x, out_idx=tf.int32, name=None)", {"tensorflow.unique"}},
    {"unique_with_counts(x, out_idx=tf.int32, name=None)",
     {"tensorflow.unique_with_counts"}},
    // Joins of a list (PythonLoops.cpp): TensorFlow 2's tf.concat has no
    // default axis.
    {"concat(values, axis, name='concat')", {"tensorflow.concat"}},
    {"stack(values, axis=0, name='stack')", {"tensorflow.stack"}},
    {"split(value, num_or_size_splits, axis=0, num=None, name='split')",
     {"tensorflow.split"}},
    {"unstack(value, num=None, axis=0, name='unstack')",
     {"tensorflow.unstack"}},
    {"ensure_shape(x, shape, name=None)", {"tensorflow.ensure_shape"}},
    // Control flow (PythonBranches.cpp).
    {"cond(pred, true_fn=None, false_fn=None, name=None)", {"tensorflow.cond"}},
    {"while_loop(cond, body, loop_vars, shape_invariants=None, "
     "parallel_iterations=10, back_prop=True, swap_memory=False, name=None, "
     "maximum_iterations=None)",
     {"tensorflow.while_loop"}},
};

/// The table by qualified name, made at its first use.
const llvm::StringMap<llvm::StringRef> &table() {
  static const llvm::StringMap<llvm::StringRef> map = [] {
    llvm::StringMap<llvm::StringRef> m;
    for (const TableRow &row : kTable)
      for (const char *name : row.names)
        m[name] = row.signature;
    return m;
  }();
  return map;
}

/// `f(a, b=None)` as a Signature (the table's texts are well formed).
Signature parseSignature(llvm::StringRef text) {
  Signature s;
  auto [name, rest] = text.split('(');
  s.function = name.trim().str();
  rest = rest.rtrim().drop_back(); // ')'
  // Defaults hold no commas outside brackets in the table.
  SmallVector<llvm::StringRef> parts;
  rest.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    auto [p, def] = part.split('=');
    Parameter param{p.trim().str(), std::nullopt};
    if (part.contains('='))
      param.defaultText = def.trim().str();
    s.params.push_back(std::move(param));
  }
  return s;
}

} // namespace

bool python::isNoneNode(const json::Object *n) {
  if (!n || kindOf(*n) != "Constant")
    return false;
  const json::Value *v = n->get("value");
  return v && v->kind() == json::Value::Null;
}

std::optional<llvm::StringRef> python::signatureOf(llvm::StringRef qualified) {
  auto it = table().find(qualified);
  if (it == table().end())
    return std::nullopt;
  return it->second;
}

//===----------------------------------------------------------------------===//
// Binding
//===----------------------------------------------------------------------===//

int BoundCall::indexOf(llvm::StringRef param) const {
  for (auto [i, p] : llvm::enumerate(signature.params))
    if (p.name == param)
      return i;
  llvm::report_fatal_error(llvm::Twine("predict: '") + param +
                           "' is not a parameter of " + signature.function);
}

const json::Object *BoundCall::operator[](llvm::StringRef param) const {
  return given[indexOf(param)];
}

bool BoundCall::has(llvm::StringRef param) const {
  const json::Object *n = (*this)[param];
  return n && !isNoneNode(n);
}

const json::Object &BoundCall::at(llvm::StringRef param) const {
  const json::Object *n = (*this)[param];
  return n ? *n : call;
}

std::string BoundCall::usage() const {
  std::string text = shown + "(";
  for (auto [i, p] : llvm::enumerate(signature.params)) {
    if (i)
      text += ", ";
    text += p.name;
    if (p.defaultText)
      text += "=" + *p.defaultText;
  }
  return text + ")";
}

LogicalResult BoundCall::error(llvm::StringRef param,
                               const llvm::Twine &message) const {
  return b.error(at(param), shown + ": " + param + " " + message);
}

FailureOr<BoundCall> python::bindArguments(ProgramBuilder &b,
                                           const json::Object &call,
                                           llvm::StringRef signature) {
  const json::Object *func = call.getObject("func");
  std::string shown = func ? b.source(*func) : "this call";
  BoundCall bound(b, call, parseSignature(signature), shown);
  const SmallVector<Parameter> &params = bound.signature.params;
  static const json::Array empty;
  const json::Array *args = call.getArray("args");
  if (!args)
    args = &empty;
  const json::Array *keywords = call.getArray("keywords");
  if (!keywords)
    keywords = &empty;
  for (auto [i, a] : llvm::enumerate(*args)) {
    const json::Object *arg = a.getAsObject();
    if (!arg)
      return b.error(call, "the program JSON has an argument that is not a "
                           "node");
    if (kindOf(*arg) == "Starred")
      return b.error(*arg, "*" + b.source(*arg).substr(1) + " in a call of " +
                               shown +
                               " is not converted: give the arguments one by "
                               "one");
    if (i >= params.size())
      return b.error(*arg, shown + " takes at most " +
                               llvm::Twine(params.size()) +
                               " positional arguments: " + bound.usage());
    bound.given[i] = arg;
  }
  for (const json::Value &k : *keywords) {
    const json::Object *kw = k.getAsObject();
    const json::Object *value = kw ? kw->getObject("value") : nullptr;
    if (!value)
      return b.error(call, "the program JSON has a keyword without a value");
    std::optional<llvm::StringRef> name = kw->getString("arg");
    if (!name)
      return b.error(*value, "**" + b.source(*value) + " in a call of " +
                                 shown +
                                 " is not converted: give the keywords one by "
                                 "one");
    auto it = llvm::find_if(params,
                            [&](const Parameter &p) { return p.name == *name; });
    if (it == params.end())
      return b.error(*value, shown + " has no parameter '" + *name +
                                 "': it takes " + bound.usage());
    size_t i = it - params.begin();
    if (bound.given[i])
      return b.error(*value, shown + " got two values for its parameter '" +
                                 *name + "'");
    bound.given[i] = value;
  }
  for (auto [i, p] : llvm::enumerate(params))
    if (!bound.given[i] && !p.defaultText)
      return b.error(call, shown + " needs its argument '" + p.name +
                               "': it takes " + bound.usage());
  // A name bound in the function to a literal of numbers (`paddings =
  // [[0, 0], [1, 1]]`, then tf.pad(x, paddings)): read as that literal, as
  // if written in the call (TensorFlow converts the Python list).
  for (const json::Object *&given : bound.given)
    if (given)
      if (const json::Object *literal = b.literalBehind(*given))
        given = literal;
  // `name=` names the op in TensorFlow's graph: a string or None.
  if (llvm::any_of(params, [](const Parameter &p) { return p.name == "name"; }))
    if (const json::Object *n = bound["name"]) {
      const json::Value *v =
          kindOf(*n) == "Constant" ? n->get("value") : b.knownValue(*n);
      if (!v || !(v->getAsString() || v->kind() == json::Value::Null))
        return b.error(*n, shown + ": name must be a string or None (it "
                                   "names the op in TensorFlow's graph; "
                                   "predict does not read it)");
    }
  return bound;
}

//===----------------------------------------------------------------------===//
// Readers
//===----------------------------------------------------------------------===//

const json::Object *BoundCall::defaultNode(llvm::StringRef param) const {
  const Parameter &p = signature.params[indexOf(param)];
  std::string owned = p.defaultText.value_or("None");
  llvm::StringRef text = owned;
  json::Object node{{"node", "Constant"}};
  if (text == "None")
    node["value"] = nullptr;
  else if (text == "True" || text == "False")
    node["value"] = text == "True";
  else if (text.starts_with("'"))
    node["value"] = text.drop_front().drop_back().str();
  else if (text.contains('.') || text.contains('e'))
    node["value"] = json::Object{{"float", text.str()}};
  else
    node["value"] = json::Object{{"int", text.str()}};
  if (const json::Value *at = call.get("loc"))
    node["loc"] = *at;
  defaults.push_back(std::move(node));
  return &defaults.back();
}

/// Whether the tf.* function `name` converts its operands to one dtype
/// (numbersLike): arithmetic, comparisons, tf.where's x and y,
/// tf.clip_by_value's bounds, the checks; a Python int among them takes
/// the others' type.
static bool mixesOperands(llvm::StringRef name) {
  static const llvm::StringSet<> mixing = {"add",
                                           "subtract",
                                           "multiply",
                                           "divide",
                                           "truediv",
                                           "floordiv",
                                           "floormod",
                                           "mod",
                                           "pow",
                                           "maximum",
                                           "minimum",
                                           "squared_difference",
                                           "where",
                                           "clip_by_value",
                                           "equal",
                                           "not_equal",
                                           "less",
                                           "less_equal",
                                           "greater",
                                           "greater_equal",
                                           "cast",
                                           "assert_equal",
                                           "assert_none_equal",
                                           "assert_less",
                                           "assert_less_equal",
                                           "assert_greater",
                                           "assert_greater_equal",
                                           "assert_near",
                                           "fill"};
  return mixing.contains(name);
}

FailureOr<Value> BoundCall::tensor(llvm::StringRef param) const {
  const json::Object *n = (*this)[param];
  if (!n)
    n = defaultNode(param);
  if (isNoneNode(n))
    return b.error(at(param), shown + ": " + param + " must be a tensor");
  // As ProgramBuilder::tensor: a number is a float32 scalar, an integer
  // known at import one too.
  FailureOr<const json::Object *> number = b.numberOf(*n);
  if (failed(number))
    return failure();
  if (*number)
    return b.number(*n, **number);
  // A list or tuple of literals, as convert_to_tensor reads it.
  if (std::optional<FailureOr<PyValue>> array = b.literalArray(*n)) {
    if (failed(*array))
      return failure();
    return (*array)->value;
  }
  FailureOr<PyValue> v = b.expr(*n);
  if (failed(v))
    return failure();
  // An integer known only at run time (`tf.shape(x)[0]`, a loop's `i`):
  // TensorFlow's int32, as tf.shape gives it and a Python int converts
  // standing alone (`tf.expand_dims(n, 0)`, `tf.reduce_sum(n)`); beside
  // another operand (tf.maximum, tf.where, comparisons...) a Python int
  // that numbersLike() gives the other's type, float32 beside floats.
  if (v->isIndex() && !mixesOperands(signature.function))
    return b.integerScalar(*n, *v, b.builder.getI32Type(),
                           "TensorFlow's integers are int32");
  if (v->isIndex())
    return b.indexAsTensor(*n, *v);
  return b.tensorOf(*v, *n);
}

FailureOr<std::optional<int64_t>>
BoundCall::integer(llvm::StringRef param) const {
  const json::Object *n = (*this)[param];
  if (!n)
    n = defaultNode(param);
  if (isNoneNode(n))
    return std::optional<int64_t>();
  FailureOr<const json::Object *> number = b.numberOf(*n);
  if (failed(number))
    return failure();
  if (*number) {
    if (!(*number)->getString("int"))
      return b.error(*n, shown + ": " + param + " must be an int, not " +
                             b.source(*n));
    FailureOr<int64_t> v = b.integerValue(*n, **number, param);
    if (failed(v))
      return failure();
    return std::optional<int64_t>(*v);
  }
  // A size known at import (`x.shape[1]` of a static axis).
  llvm::StringRef kind = kindOf(*n);
  if (kind == "Subscript" || kind == "BinOp" || kind == "Name" ||
      kind == "Call" || kind == "UnaryOp") {
    FailureOr<PyValue> v = b.expr(*n);
    if (failed(v))
      return failure();
    if (v->isIndex())
      if (std::optional<int64_t> k = knownIndexValue(v->value))
        return std::optional<int64_t>(*k);
    // A constant tensor of one integer (`tf.constant(1)`,
    // `np.array(1)`): its value, as TensorFlow reads such an axis
    // (helper-146: refused as "not known at import").
    DenseIntElementsAttr dense;
    if (v->isTensor() && matchPattern(v->value, m_Constant(&dense)) &&
        dense.getNumElements() == 1 &&
        cast<ShapedType>(dense.getType()).getRank() <= 1)
      return std::optional<int64_t>(
          (*dense.getValues<APInt>().begin()).getSExtValue());
    if (v->isTensor())
      return b.error(*n, shown + ": " + param +
                             " must be an int known at import, and '" +
                             b.source(*n) +
                             "' is a tensor computed when the program runs "
                             "(write the axis with Python ints: x.ndim - 1, "
                             "len(x.shape) - 1, a literal)");
  }
  return b.error(*n, shown + ": " + param +
                         " must be an int known at import (a literal or a "
                         "static size such as x.shape[1]), not '" +
                         b.source(*n) + "'");
}

BoundCall BoundCall::part(llvm::StringRef param,
                          const json::Object *node) const {
  BoundCall one(b, call, Signature{signature.function, {{param.str(), {}}}},
                shown);
  one.given[0] = node;
  return one;
}

/// Whether `node` is written as a list or tuple, or Python's + or * of one
/// (`[1] * 2`, `(0,) + (1,)`): a sequence of ints, not an int expression.
bool BoundCall::isIntSequence(const json::Object &node) const {
  llvm::StringRef kind = kindOf(node);
  if (kind == "List" || kind == "Tuple")
    return true;
  if (const json::Value *known = b.knownValue(node))
    if (const json::Object *tagged = known->getAsObject())
      return tagged->getArray("tuple") || tagged->getArray("list");
  if (kind != "BinOp")
    return false;
  const json::Object *l = node.getObject("left"), *r = node.getObject("right");
  return (l && isIntSequence(*l)) || (r && isIntSequence(*r));
}

FailureOr<std::optional<SmallVector<int64_t>>>
BoundCall::integers(llvm::StringRef param, bool *single) const {
  const json::Object *n = (*this)[param];
  if (single)
    *single = false;
  if (!n || isNoneNode(n)) {
    FailureOr<std::optional<int64_t>> one = integer(param);
    if (failed(one))
      return failure();
    if (!*one)
      return std::optional<SmallVector<int64_t>>();
    if (single)
      *single = true;
    return std::optional<SmallVector<int64_t>>(SmallVector<int64_t>{**one});
  }
  llvm::StringRef kind = kindOf(*n);
  // A tuple or list known at import (`SIZES`, `self.sizes`).
  if (const json::Value *known = b.knownValue(*n))
    if (const json::Object *tagged = known->getAsObject()) {
      const json::Array *items = tagged->getArray("tuple");
      if (!items)
        items = tagged->getArray("list");
      if (items) {
        SmallVector<int64_t> values;
        for (const json::Value &v : *items) {
          const json::Object *i = v.getAsObject();
          std::optional<llvm::StringRef> text =
              i ? i->getString("int") : std::nullopt;
          int64_t parsed;
          if (!text || text->getAsInteger(10, parsed))
            return b.error(*n, shown + ": " + param +
                                   " must hold ints "
                                   "within 64 bits, not " +
                                   b.source(*n));
          values.push_back(parsed);
        }
        return std::optional<SmallVector<int64_t>>(std::move(values));
      }
    }
  // Python's sequence arithmetic: `[1] * 2`, `(0,) + SIZES`.
  if (kind == "BinOp" && isIntSequence(*n)) {
    llvm::StringRef op = n->getString("op").value_or("");
    SmallVector<SmallVector<int64_t>> parts;
    bool counts[2];
    const json::Object *sides[] = {n->getObject("left"), n->getObject("right")};
    for (auto [i, side] : llvm::enumerate(sides)) {
      if (!side)
        return b.error(*n, "the program JSON has an operand that is not a "
                           "node");
      FailureOr<std::optional<SmallVector<int64_t>>> v =
          part(param, side).integers(param, &counts[i]);
      if (failed(v))
        return failure();
      if (!*v)
        return b.error(*side,
                       shown + ": " + param + " must hold ints, not None");
      parts.push_back(**v);
    }
    SmallVector<int64_t> values;
    if (op == "Add" && !counts[0] && !counts[1]) {
      values = parts[0];
      values.append(parts[1]);
    } else if (op == "Mult" && counts[0] != counts[1]) {
      int64_t times = counts[0] ? parts[0][0] : parts[1][0];
      ArrayRef<int64_t> repeated = counts[0] ? parts[1] : parts[0];
      // Axes, sizes and permutations: a few ints, never millions.
      if (!repeated.empty() && times > kMostInts / int64_t(repeated.size()))
        return b.error(*n, shown + ": " + param + " '" + b.source(*n) +
                               "' holds more than " + llvm::Twine(kMostInts) +
                               " ints, more than predict reads here");
      for (int64_t k = 0; k < times; ++k)
        values.append(repeated.begin(), repeated.end());
    } else {
      return b.error(*n,
                     shown + ": " + param + " '" + b.source(*n) +
                         "' is not a sequence Python builds (+ of two "
                         "lists or tuples, * of one by an int; Python raises "
                         "TypeError)");
    }
    return std::optional<SmallVector<int64_t>>(std::move(values));
  }
  if (kind != "List" && kind != "Tuple") {
    FailureOr<std::optional<int64_t>> one = integer(param);
    if (failed(one))
      return failure();
    if (single)
      *single = true;
    return std::optional<SmallVector<int64_t>>(SmallVector<int64_t>{**one});
  }
  SmallVector<int64_t> values;
  const json::Array *elts = n->getArray("elts");
  for (const json::Value &e : elts ? *elts : json::Array()) {
    const json::Object *item = e.getAsObject();
    if (!item)
      return b.error(*n, "the program JSON has a list element that is not a "
                         "node");
    // Each element as an int argument of its own.
    FailureOr<std::optional<int64_t>> v = part(param, item).integer(param);
    if (failed(v))
      return failure();
    if (!*v)
      return b.error(*item, shown + ": " + param +
                                " must hold ints, not None");
    values.push_back(**v);
  }
  return std::optional<SmallVector<int64_t>>(std::move(values));
}

FailureOr<bool> BoundCall::boolean(llvm::StringRef param) const {
  const json::Object *n = (*this)[param];
  if (!n)
    n = defaultNode(param);
  const json::Value *v = kindOf(*n) == "Constant" ? n->get("value") : nullptr;
  if (!v || !v->getAsBoolean())
    return b.error(*n, shown + ": " + param + " must be a literal bool (True "
                                              "or False), not " +
                           b.source(*n));
  return *v->getAsBoolean();
}

FailureOr<std::optional<double>>
BoundCall::number(llvm::StringRef param) const {
  const json::Object *n = (*this)[param];
  if (!n)
    n = defaultNode(param);
  if (isNoneNode(n))
    return std::optional<double>();
  FailureOr<const json::Object *> v = b.numberOf(*n);
  if (failed(v))
    return failure();
  if (!*v) {
    // A number known at import that converted code computes (`MAXV * 1.5`,
    // a method's Python parameter `s * 2`), by Python's arithmetic.
    FailureOr<PyValue> e = b.expr(*n);
    if (failed(e))
      return failure();
    if (std::optional<double> d = ProgramBuilder::pythonFloat(*e))
      return std::optional<double>(*d);
    if (e->isIndex())
      if (std::optional<int64_t> k = knownIndexValue(e->value))
        return std::optional<double>(static_cast<double>(*k));
    return b.error(*n, shown + ": " + param +
                           " must be a number known at import (a literal, "
                           "a constant or a Python number the function "
                           "computes), not '" +
                           b.source(*n) + "'");
  }
  FailureOr<llvm::APFloat> f = b.floatValue(*n, **v, /*single=*/false);
  if (failed(f))
    return failure();
  return std::optional<double>(f->convertToDouble());
}

FailureOr<Type> BoundCall::dtype(llvm::StringRef param) const {
  return dtypeOf((*this)[param], param);
}

FailureOr<Type> BoundCall::dtypeOf(const json::Object *n,
                                   llvm::StringRef param) const {
  if (!n || isNoneNode(n))
    return Type();
  // tf.int32, np.int64, tf.dtypes.bool (qualified), "int32", Python's own
  // int, float and bool, or another tensor's (`x.dtype`).
  llvm::StringRef name;
  std::string ofTensor;
  if (kindOf(*n) == "Attribute" && n->getString("attr") == "dtype" &&
      !n->getString("qualified")) {
    FailureOr<std::optional<std::string>> text = b.dtypeText(*n);
    if (failed(text))
      return failure();
    ofTensor = text->value_or("");
    name = ofTensor;
  } else if (std::optional<llvm::StringRef> q = n->getString("qualified")) {
    name = *q;
  } else if (kindOf(*n) == "Constant" && n->get("value") &&
             n->get("value")->getAsString()) {
    name = *n->get("value")->getAsString();
  } else if (kindOf(*n) == "Name") {
    name = n->getString("id").value_or("");
  }
  Type type = dtypeNamed(b.builder, name);
  if (!type)
    return b.error(*n, shown + ": " + param + " '" + b.source(*n) +
                           "' is not a dtype predict computes with (float32, "
                           "int32, int64 or bool)");
  return type;
}

FailureOr<std::optional<SmallVector<int64_t>>>
BoundCall::axes(llvm::StringRef param, RankedTensorType type) const {
  FailureOr<std::optional<SmallVector<int64_t>>> given = integers(param);
  if (failed(given) || !*given)
    return given;
  SmallVector<int64_t> axes;
  for (int64_t axis : **given) {
    std::optional<int64_t> d = normalizeAxis(axis, type.getRank());
    if (!d)
      return error(param, llvm::Twine(axis) + " is out of range for " +
                              typeText(type));
    if (const int64_t *other = llvm::find(axes, *d); other != axes.end())
      return error(param, "names axis " + llvm::Twine(*d) + " twice (" +
                              llvm::Twine((**given)[other - axes.begin()]) +
                              " and " + llvm::Twine(axis) + " of " +
                              typeText(type) +
                              "; TensorFlow raises InvalidArgumentError)");
    axes.push_back(*d);
  }
  return std::optional<SmallVector<int64_t>>(std::move(axes));
}

FailureOr<RankedTensorType> BoundCall::ranked(llvm::StringRef param,
                                              Value x) const {
  if (auto type = dyn_cast<RankedTensorType>(x.getType()))
    return type;
  return error(param, "must have a rank known at import here, not " +
                          typeText(x.getType()));
}

//===----------------------------------------------------------------------===//
// Program-JSON nodes and types in messages, for every file of the builder
//===----------------------------------------------------------------------===//

llvm::StringRef python::kindOf(const json::Object &node) {
  return node.getString("node").value_or("");
}

llvm::StringRef python::kindOf(const json::Object *node) {
  return node ? kindOf(*node) : "";
}

const json::Array &python::arrayOr(const json::Array *array) {
  static const json::Array empty;
  return array ? *array : empty;
}

RankedTensorType python::joinSizes(RankedTensorType a, RankedTensorType b) {
  if (!a || !b || a.getRank() != b.getRank() ||
      a.getElementType() != b.getElementType())
    return {};
  SmallVector<int64_t> shape;
  for (auto [x, y] : llvm::zip_equal(a.getShape(), b.getShape()))
    shape.push_back(x == y ? x : ShapedType::kDynamic);
  return RankedTensorType::get(shape, a.getElementType());
}

Type python::dtypeNamed(Builder &builder, llvm::StringRef name) {
  for (llvm::StringRef prefix :
       {"tensorflow.dtypes.", "tensorflow.", "numpy.", "builtins."})
    if (name.consume_front(prefix))
      break;
  return llvm::StringSwitch<Type>(name)
      .Cases({"float32", "float"}, builder.getF32Type())
      .Cases({"int32"}, builder.getI32Type())
      .Cases({"int64", "int"}, builder.getI64Type())
      .Cases({"bool", "bool_"}, builder.getI1Type())
      .Default(Type());
}

std::string python::dtypeName(Type type) {
  if (type.isF32())
    return "float32";
  if (type.isInteger(1))
    return "bool";
  if (type.isInteger(32))
    return "int32";
  if (type.isInteger(64))
    return "int64";
  return typeText(type);
}

std::string python::typeText(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}
