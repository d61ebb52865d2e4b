//===- PythonArguments.h - tf.* arguments bound as Python binds them -*- C++ -*-===//
//
// Private to lib/Import. One table gives each tf.* function the builder
// converts its parameters in TensorFlow's order, with their defaults, as
// TensorFlow's API documentation writes them
// (`reduce_mean(input_tensor, axis=None, keepdims=False, name=None)`). A
// call's positional and keyword arguments bind to them as Python binds
// them; an unknown keyword, one given twice, too many positional arguments
// or a missing one is an error at the call naming the function (as the user
// wrote it) and the parameter. Readers then take each bound argument as
// the kind the function needs (a tensor, an int known at import, a list of
// them, a bool, a float, a dtype), defaults included
// (docs/PythonSource.md, tf.* functions).
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_LIB_IMPORT_PYTHONARGUMENTS_H
#define PREDICT_LIB_IMPORT_PYTHONARGUMENTS_H

#include "PythonBuilder.h"

namespace mlir::predict::python {

/// One parameter of a signature: its name and its default as Python source
/// (`None`, `False`, `0.2`, `-1`), or none when the call must give it.
struct Parameter {
  std::string name;
  std::optional<std::string> defaultText;
};

/// A signature parsed from its text, `name(a, b=None, ...)`.
struct Signature {
  std::string function;
  SmallVector<Parameter> params;
};

/// The signature text of the tf.* function `qualified`
/// (`tensorflow.math.reduce_mean`, every alias TensorFlow exports), or
/// std::nullopt when the builder does not convert it.
std::optional<llvm::StringRef> signatureOf(llvm::StringRef qualified);

/// Whether `n` is the literal `None`.
bool isNoneNode(const json::Object *n);

/// A call's arguments bound to a signature's parameters.
class BoundCall {
public:
  BoundCall(ProgramBuilder &b, const json::Object &call, Signature signature,
            std::string shown)
      : b(b), call(call), signature(std::move(signature)),
        shown(std::move(shown)),
        given(this->signature.params.size(), nullptr) {}

  /// The node given for `param`, or null when it takes its default.
  const json::Object *operator[](llvm::StringRef param) const;
  /// Whether `param` was given (and is not the literal None).
  bool has(llvm::StringRef param) const;
  /// The node to report an error of `param` at: its argument, or the call.
  const json::Object &at(llvm::StringRef param) const;
  /// The function as the user wrote it (`tf.reduce_mean`).
  llvm::StringRef name() const { return shown; }
  /// `tf.reduce_mean(input_tensor, axis=None, keepdims=False, name=None)`.
  std::string usage() const;
  /// An error at `param`'s argument: "<name>: <param> <message>".
  LogicalResult error(llvm::StringRef param, const llvm::Twine &message) const;

  /// `param` as a tensor (a number is a float32 scalar constant, an integer
  /// known at import one too).
  FailureOr<Value> tensor(llvm::StringRef param) const;
  /// `param` as an int known at import (a literal, folded as Python folds
  /// it, or a static size such as `x.shape[1]`); std::nullopt for None.
  FailureOr<std::optional<int64_t>> integer(llvm::StringRef param) const;
  /// `param` as ints known at import: one int, a list or tuple of them
  /// (Python's + and * of them too: `[1] * 2`, `(0,) + SIZES`), or None
  /// (std::nullopt). `single` says whether it was one int.
  FailureOr<std::optional<SmallVector<int64_t>>>
  integers(llvm::StringRef param, bool *single = nullptr) const;
  /// `param` as axes of a tensor of `type` (integers(): one int, a list or
  /// tuple of them, or None, std::nullopt), each counted from the end when
  /// negative as numpy counts it, in range and named once: an error at
  /// `param` naming the axis and `type` otherwise (TensorFlow raises
  /// InvalidArgumentError).
  FailureOr<std::optional<SmallVector<int64_t>>>
  axes(llvm::StringRef param, RankedTensorType type) const;
  /// The type of `x` (given as `param`) when its rank is known; an error
  /// at `param` otherwise.
  FailureOr<RankedTensorType> ranked(llvm::StringRef param, Value x) const;
  /// `param` as a literal bool (True, False).
  FailureOr<bool> boolean(llvm::StringRef param) const;
  /// `param` as a literal number, as a double; std::nullopt for None.
  FailureOr<std::optional<double>> number(llvm::StringRef param) const;
  /// `param` as a dtype (`tf.int32`, `"int32"`, `np.int64`, `tf.bool`,
  /// `float`...): the element type; null for None.
  FailureOr<Type> dtype(llvm::StringRef param) const;
  /// dtype() of `node`, an element of `param` (a tuple of dtypes); null for
  /// None.
  FailureOr<Type> dtypeOf(const json::Object *node,
                          llvm::StringRef param) const;

  ProgramBuilder &b;
  const json::Object &call;
  Signature signature;
  std::string shown;
  SmallVector<const json::Object *> given;

private:
  int indexOf(llvm::StringRef param) const;
  bool isIntSequence(const json::Object &node) const;
  /// This call's `param` alone, given `node` (an element or an operand of
  /// its argument), to read it as an argument of its own.
  BoundCall part(llvm::StringRef param, const json::Object *node) const;
  /// The most ints a sequence argument built by `*` holds.
  static constexpr int64_t kMostInts = 4096;
  /// The default of `param` as a node of the reader's JSON, for readers.
  const json::Object *defaultNode(llvm::StringRef param) const;
  mutable std::deque<json::Object> defaults;
};

/// Binds `call`'s arguments to `signature` (a signature text) as Python
/// binds them; an error at the call or the argument at fault otherwise.
/// `name=` (every tf.* function's) must be a string or None and is not
/// read.
FailureOr<BoundCall> bindArguments(ProgramBuilder &b, const json::Object &call,
                                   llvm::StringRef signature);

/// The tf.* operations of PythonTensorOps.cpp (reductions, argmax, casts,
/// logical and shape operations): the call's value, or std::nullopt when
/// `callee` is none of them.
/// `param` of `call` as a tensor of floats; an error at it saying to cast
/// otherwise (TensorFlow's float-only kernels).
FailureOr<Value> floatTensor(const BoundCall &call, llvm::StringRef param);

/// tf.math.top_k's values and indices (`index`, i32 or i64) of the `k`
/// largest elements along the last axis of `x` (a ranked float32, int32 or
/// int64 tensor whose last axis has a static size of at least k): of equal
/// values the lower index first, NaN ranked largest, as TensorFlow ranks
/// them (PythonTensorOps.cpp).
FailureOr<std::pair<Value, Value>>
topKAlongLast(ProgramBuilder &b, Value x, int64_t k, Type index, Location at);

/// The tf.* math functions composed of predict's ops (PythonMath.cpp:
/// tf.identity, tf.math.is_nan, tf.sort, tf.norm...): the call's value, or
/// std::nullopt when `callee` is none of them.
std::optional<FailureOr<PyValue>>
mathCall(ProgramBuilder &b, const json::Object &call, llvm::StringRef callee);

std::optional<FailureOr<PyValue>> tensorOpCall(ProgramBuilder &b,
                                               const json::Object &call,
                                               llvm::StringRef callee);

/// `tf.range(start, limit=None, delta=1, dtype=None)` as a tensor
/// (PythonRange.cpp), with TensorFlow's dtypes, checks and float
/// accumulation. With `forLoop`, the values a `for t in tf.range(...)`
/// loop takes as AutoGraph converts it (its _tf_range_for_stmt): `t =
/// start`, then `t += delta` while `t < limit` (`t > limit` for a negative
/// delta), so no order check (a loop runs zero times), and a float range's
/// length is that loop's count, not ceil(|(limit - start) / delta|) (the
/// two differ where float32 accumulation drifts: tf.range(0.0, 100.0, 0.1)
/// has 1000 elements, the loop runs 1001 times). A float loop that would
/// never end (delta 0, or `t + delta == t` before limit) is a run-time
/// error, where TensorFlow's runs forever.
FailureOr<PyValue> rangeCall(ProgramBuilder &b, const json::Object &call,
                             bool forLoop = false);
/// `tf.sequence_mask(lengths, maxlen=None, dtype=tf.bool)`
/// (PythonRange.cpp): `tf.range(maxlen) < lengths[..., None]`, maxlen the
/// largest length when None.
FailureOr<PyValue> sequenceMaskCall(ProgramBuilder &b,
                                    const json::Object &call);
/// `tf.range(n)` as a vector of `dtype` (int32 or int64), `n` the integer
/// `param` of `bound` (a Python int, a size, a scalar int32/int64 tensor)
/// known only at run time (PythonRange.cpp); a negative `n` is a located
/// run-time error, as TensorFlow raises (`what` says which). Null (no
/// error) where `n` is known at import: `known` then holds it.
FailureOr<Value> runTimeRange(ProgramBuilder &b, const BoundCall &bound,
                              llvm::StringRef param, Type dtype,
                              std::optional<int64_t> &known,
                              llvm::StringRef what);

/// `tf.boolean_mask(tensor, mask, axis=None)` (PythonCompaction.cpp): the
/// tensor's entries where the mask holds, as many rows as it has true
/// elements.
FailureOr<PyValue> booleanMaskCall(ProgramBuilder &b, const json::Object &call);
/// The tensor `x`'s slices along `axis` where the bool `mask` (of any
/// rank, its axes `x`'s axes from `axis` on) holds (PythonCompaction.cpp):
/// tf.boolean_mask's and `x[mask]`'s result. `name` names the operation in
/// run-time messages; `maskError` reports a mask that does not fit.
FailureOr<PyValue>
booleanMask(ProgramBuilder &b, Location at, llvm::StringRef name, Value x,
            Value mask, int64_t axis,
            llvm::function_ref<LogicalResult(const llvm::Twine &)> maskError);
/// `tf.where(condition)` (PythonCompaction.cpp): the int64 coordinates of
/// the true elements of `condition` (a bool tensor of `call`).
FailureOr<PyValue> whereIndices(ProgramBuilder &b, const BoundCall &call,
                                Value condition);

/// `tf.unique(x, out_idx=tf.int32)` (PythonCompaction.cpp): y, the
/// distinct elements of the 1-D `x` in the order of their first
/// occurrence, and idx, each element's position in y (out_idx's type); with
/// `counts` (tf.unique_with_counts) also count, how often each of y
/// occurs. One pass over x whose scan of y stops at the match: time grows
/// with x's size times y's.
FailureOr<SmallVector<Value>> uniqueCall(ProgramBuilder &b,
                                         const BoundCall &call, bool counts);

/// A field of a namedtuple a tf.* function returns (`tf.math.top_k(x,
/// k).values`, `r.indices` of `r = tf.math.top_k(x, k)`, `tf.unique(x).y`)
/// (PythonTensorOps.cpp): the value, or std::nullopt when `node` (an
/// Attribute) is not one.
std::optional<FailureOr<PyValue>> tensorAttribute(ProgramBuilder &b,
                                                  const json::Object &node);

/// The function a namedtuple came from as the user wrote it
/// (`tf.math.top_k`), for messages.
std::string namedTupleSource(ProgramBuilder &b, const ListValue &list);

/// The results of a tf.* call that gives several (`values, indices =
/// tf.math.top_k(x, k)`, tf.split's pieces), in order, or std::nullopt
/// when `call` is none of them (PythonTensorOps.cpp).
std::optional<FailureOr<SmallVector<PyValue>>>
tensorResults(ProgramBuilder &b, const json::Object &call);

/// `tf.split(value, num_or_size_splits, axis=0, num=None)` and
/// `tf.unstack(value, num=None, axis=0)` (PythonSplit.cpp): the pieces
/// along the axis, in order, or std::nullopt when `call` is neither.
std::optional<FailureOr<SmallVector<Value>>>
splitPieces(ProgramBuilder &b, const json::Object &call);

/// The `n` rows of `x` (its first axis, of static size `n`), each without
/// that axis (PythonSplit.cpp): what Python's iteration of a tensor gives
/// (`a, b = tf.shape(x) // 2` unpacks a vector into two scalars, as
/// TensorFlow's Tensor.__iter__ does for a first size known when traced).
FailureOr<SmallVector<Value>> unpackRows(ProgramBuilder &b, Location at,
                                         Value x, int64_t n);

/// `tf.ensure_shape(x, shape)` (PythonSplit.cpp): `x` typed with the
/// sizes `shape` gives (None: any), the rank and sizes known at import
/// checked there, the others at run time (TensorFlow's ValueError and
/// InvalidArgumentError). With `kerasInput`, the input of a Functional
/// model as Keras 3 adjusts and checks it (`Functional._adjust_input_rank`,
/// an InputSpec without the batch size): one more axis of static size 1
/// at the end is squeezed, one fewer is added when `shape` ends in 1, and
/// a mismatch is Keras's ValueError.
FailureOr<PyValue> ensureShape(ProgramBuilder &b, const BoundCall &call,
                               bool kerasInput = false);

/// `x` with size-1 axes inserted at `units` (ascending positions of the
/// result) (PythonTensorOps.cpp): tf.expand_dims, a new axis of indexing.
Value insertUnitAxes(ProgramBuilder &b, Location at, Value x,
                     ArrayRef<int64_t> units);
/// `x` with its size-1 axes `units` (ascending) removed
/// (PythonTensorOps.cpp): tf.squeeze, tf.unstack.
Value dropUnitAxes(ProgramBuilder &b, Location at, Value x,
                   ArrayRef<int64_t> units);

/// `tf.debugging.assert_shapes(shapes, data, summarize, message)`
/// (PythonShapeChecks.cpp): each size the shapes name checked as
/// TensorFlow's check_ops.py checks it, at import where both sizes are
/// known (a failure is an error at the call), else by one predict.assert
/// located at the call; `message` (": <the user's message>" or empty)
/// ends each error.
LogicalResult assertShapes(ProgramBuilder &b, const BoundCall &call,
                           llvm::StringRef message);

/// `assert_type`, `assert_integer`, `assert_scalar` and `assert_rank_in`
/// of tf.debugging (PythonShapeChecks.cpp): decided by the type at import
/// (a failure is an error at the call, TensorFlow raising on every call).
LogicalResult typeCheck(ProgramBuilder &b, const BoundCall &call,
                        llvm::StringRef message);

} // namespace mlir::predict::python

#endif // PREDICT_LIB_IMPORT_PYTHONARGUMENTS_H
