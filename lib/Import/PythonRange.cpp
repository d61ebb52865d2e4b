//===- PythonRange.cpp - tf.range as a tensor
//------------------------------===//
//
// `tf.range(start, limit=None, delta=1, dtype=None, name="range")` as a
// value (a `for i in tf.range(n)` loop is a loop: PythonLoops.cpp), with
// TensorFlow's rules (tensorflow/python/ops/math_ops.py range, and the
// Range kernel, tensorflow/core/kernels/sequence_ops.cc):
//
// - one argument is the limit, from 0;
// - the dtype is the widest of the arguments' in the order int32, int64,
//   float32 (a Python int is int32, int64 when it does not fit; a Python
//   float float32; an integer known only at run time, such as
//   `tf.shape(x)[1]`, TensorFlow's int32), or `dtype`, to which each is
//   cast;
// - delta 0 is an error, and so is a limit on the wrong side of start
//   (`tf.range(5, 2)`: TensorFlow raises where Python's range is empty);
// - an integer range has ceil(|limit - start| / |delta|) elements
//   `start + i * delta`; a float range ceil(|(limit - start) / delta|)
//   computed in float32, each element the previous plus delta in float32,
//   as the kernel accumulates.
//
// An integer range is one `tensor.generate`; a float range one `scf.for`
// that accumulates. The checks are `predict.assert`s, which fold away when
// the arguments are known at import; a check that fails there is an error
// at the call.
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
/// One argument: an integer (an `index`, sign-extended from a tensor's
/// int32/int64) or a float32, with the dtype TensorFlow gives it.
struct RangeArgument {
  Value value;
  Type dtype;
  std::optional<int64_t> known;
  /// A Python float (not a tensor): an integer dtype cannot take it.
  bool pythonFloat = false;
};

/// The rank of `type` in TensorFlow's dtype order for tf.range.
int widthOf(Type type) {
  return type.isInteger(32) ? 0 : type.isInteger(64) ? 1 : 2;
}
} // namespace

/// `param` of `bound` as a range argument; an error at it otherwise.
static FailureOr<RangeArgument> rangeArgument(ProgramBuilder &b,
                                              const BoundCall &bound,
                                              llvm::StringRef param) {
  const json::Object &node = bound.at(param);
  Location at = b.loc(node);
  FailureOr<PyValue> value = b.expr(node);
  if (failed(value))
    return failure();
  OpBuilder &builder = b.builder;
  if (value->isIndex()) {
    std::optional<int64_t> known = knownIndexValue(value->value);
    bool narrow = !known || llvm::isInt<32>(*known);
    return RangeArgument{value->value,
                         narrow ? builder.getI32Type() : builder.getI64Type(),
                         known};
  }
  if (ProgramBuilder::pythonFloat(*value))
    return RangeArgument{
        tensor::ExtractOp::create(builder, at, value->value, ValueRange{}),
        builder.getF32Type(), std::nullopt, /*pythonFloat=*/true};
  auto type = value->isTensor()
                  ? dyn_cast<RankedTensorType>(value->value.getType())
                  : RankedTensorType();
  Type element = type ? type.getElementType() : Type();
  if (!type || type.getRank() != 0 ||
      !(element.isF32() || element.isInteger(32) || element.isInteger(64)))
    return bound.error(
        param, "must be a number, an integer or a scalar "
               "tensor of float32, int32 or int64 (" +
                   (type ? typeText(type) : std::string("a Python value")) +
                   " given)");
  Value scalar =
      tensor::ExtractOp::create(builder, at, value->value, ValueRange{});
  if (element.isF32())
    return RangeArgument{scalar, element, std::nullopt};
  Value wide =
      element.isInteger(32)
          ? arith::ExtSIOp::create(builder, at, builder.getI64Type(), scalar)
                .getResult()
          : scalar;
  return RangeArgument{
      arith::IndexCastOp::create(builder, at, builder.getIndexType(), wide),
      element, std::nullopt};
}

/// The integers `start + i * delta` for i below `size` (all `index`), as
/// a vector of `dtype`: one tensor.generate.
static Value integerRange(ProgramBuilder &b, Location at, Value start,
                          Value delta, Value size, Type dtype) {
  OpBuilder &builder = b.builder;
  SmallVector<Value> dynamic;
  auto type = RankedTensorType::get({shapeEntry(size, dynamic)}, dtype);
  auto range = tensor::GenerateOp::create(builder, at, type, dynamic);
  OpBuilder::InsertionGuard guard(builder);
  Block *body =
      builder.createBlock(&range.getBody(), {}, {builder.getIndexType()}, {at});
  builder.setInsertionPointToStart(body);
  Value element = arith::AddIOp::create(
      builder, at, start,
      arith::MulIOp::create(builder, at, body->getArgument(0), delta));
  tensor::YieldOp::create(
      builder, at,
      arith::IndexCastOp::create(builder, at, dtype, element).getResult());
  return range;
}

/// The check `ok` of the call `node`: decided at import, an error at the
/// call with the values known there written in for `{N}`; else a
/// predict.assert with them. The message is `fn: message`.
static LogicalResult checkAt(ProgramBuilder &b, const json::Object &node,
                             Value ok, llvm::StringRef fn,
                             const llvm::Twine &message, ValueRange values) {
  std::string text = message.str();
  if (std::optional<int64_t> known = knownIndexValue(ok)) {
    if (*known)
      return success();
    for (auto [i, v] : llvm::enumerate(values)) {
      std::optional<int64_t> k = knownIndexValue(v);
      std::string hole = "{" + std::to_string(i) + "}";
      for (size_t p; k && (p = text.find(hole)) != std::string::npos;)
        text.replace(p, hole.size(), std::to_string(*k));
    }
    return b.error(node, fn + ": " + text);
  }
  AssertOp::create(b.builder, b.loc(node), ok,
                   b.builder.getStringAttr(braces((fn + ": ").str()) + text),
                   values);
  return success();
}

/// The length of a float range as the Range kernel computes it:
/// ceil(|(limit - start) / delta|) in float32, after its checks (delta not
/// 0, limit on delta's side of start); null after an error at import.
static Value kernelCount(ProgramBuilder &b, const json::Object &node,
                         llvm::StringRef fn, Value start, Value limit,
                         Value delta) {
  OpBuilder &builder = b.builder;
  Location at = b.loc(node);
  FloatType f32 = builder.getF32Type();
  Value zero =
      arith::ConstantFloatOp::create(builder, at, f32, llvm::APFloat(0.0f));
  auto cmp = [&](arith::CmpFPredicate p, Value l, Value r) -> Value {
    return builder.createOrFold<arith::CmpFOp>(at, p, l, r);
  };
  auto check = [&](Value ok, llvm::StringRef message) {
    return checkAt(b, node, ok, fn,
                   message + " (TensorFlow raises InvalidArgumentError)", {});
  };
  // (As the kernel's C++ compares: a NaN fails every test but `!=`.)
  if (failed(check(cmp(arith::CmpFPredicate::UNE, delta, zero), "delta is 0")))
    return Value();
  Value ordered = builder.createOrFold<arith::SelectOp>(
      at, cmp(arith::CmpFPredicate::OGT, delta, zero),
      cmp(arith::CmpFPredicate::OLE, start, limit),
      cmp(arith::CmpFPredicate::OGE, start, limit));
  if (failed(check(ordered, "start is beyond limit for delta, or one is NaN "
                            "(Requires start <= limit when delta > 0, start "
                            ">= limit when delta < 0)")))
    return Value();
  // |(limit - start) / delta|, rounded up (in float32, as the kernel).
  Value quotient = arith::DivFOp::create(
      builder, at, arith::SubFOp::create(builder, at, limit, start), delta);
  Value count = arith::SelectOp::create(
      builder, at, cmp(arith::CmpFPredicate::OLT, quotient, zero),
      arith::NegFOp::create(builder, at, quotient), quotient);
  // 2**62 elements could not be allocated anyway; beyond 2**63 the
  // kernel raises.
  if (failed(check(cmp(arith::CmpFPredicate::OLE, count,
                       arith::ConstantFloatOp::create(builder, at, f32,
                                                      llvm::APFloat(0x1p62f))),
                   "the range has more than 2**62 elements")))
    return Value();
  Type i64 = builder.getI64Type();
  Value whole = arith::FPToSIOp::create(builder, at, i64, count);
  Value below = cmp(arith::CmpFPredicate::OLT,
                    arith::SIToFPOp::create(builder, at, f32, whole), count);
  return arith::IndexCastOp::create(
      builder, at, builder.getIndexType(),
      arith::AddIOp::create(builder, at, whole,
                            arith::ExtUIOp::create(builder, at, i64, below)));
}

/// The float `v` is known to be at import: an arith.constant, or the
/// element of a predict.constant (a Python float's scalar).
static std::optional<llvm::APFloat> knownFloat(Value v) {
  llvm::APFloat value(0.0f);
  if (matchPattern(v, m_ConstantFloat(&value)))
    return value;
  if (auto extract = v.getDefiningOp<tensor::ExtractOp>())
    if (auto made = extract.getTensor().getDefiningOp<ConstantOp>())
      if (auto values = dyn_cast<DenseFPElementsAttr>(made.getValue());
          values && values.isSplat())
        return values.getSplatValue<llvm::APFloat>();
  return std::nullopt;
}

/// The times AutoGraph's `for t in tf.range(start, limit, delta)` runs on
/// floats: `t = start`, then `t += delta` in float32 while `t < limit`
/// (`t > limit` for a negative delta; NaN ends it), counted by an
/// scf.while. A `t` that stops changing before the test fails (delta 0,
/// or too small beside t) would loop forever: a run-time error instead.
static Value loopCount(ProgramBuilder &b, const json::Object &node,
                       llvm::StringRef fn, Value start, Value limit,
                       Value delta) {
  OpBuilder &builder = b.builder;
  Location at = b.loc(node);
  FloatType f32 = builder.getF32Type();
  Type index = builder.getIndexType();
  Value zero =
      arith::ConstantFloatOp::create(builder, at, f32, llvm::APFloat(0.0f));
  auto cmp = [&](arith::CmpFPredicate p, Value l, Value r) -> Value {
    return builder.createOrFold<arith::CmpFOp>(at, p, l, r);
  };
  Value up = cmp(arith::CmpFPredicate::OGE, delta, zero);
  Value down = cmp(arith::CmpFPredicate::OLT, delta, zero);
  // A delta known at import picks the test by `delta >= 0` alone, as
  // AutoGraph reads a constant delta: a NaN one tests `t > limit` (one
  // pass from a start above limit), where a NaN at run time fails both.
  if (std::optional<llvm::APFloat> known = knownFloat(delta)) {
    llvm::APFloat::cmpResult order =
        known->compare(llvm::APFloat(known->getSemantics()));
    bool upward = order == llvm::APFloat::cmpGreaterThan ||
                  order == llvm::APFloat::cmpEqual;
    up = arith::ConstantIntOp::create(builder, at, upward, 1);
    down = arith::ConstantIntOp::create(builder, at, !upward, 1);
  }
  auto running = [&](Value t) -> Value {
    return arith::OrIOp::create(
        builder, at,
        arith::AndIOp::create(builder, at, up,
                              cmp(arith::CmpFPredicate::OLT, t, limit)),
        arith::AndIOp::create(builder, at, down,
                              cmp(arith::CmpFPredicate::OGT, t, limit)));
  };
  Value none = arith::ConstantIndexOp::create(builder, at, 0);
  auto loop = scf::WhileOp::create(builder, at, TypeRange{f32, index},
                                   ValueRange{start, none});
  {
    OpBuilder::InsertionGuard guard(builder);
    Block *before =
        builder.createBlock(&loop.getBefore(), {}, {f32, index}, {at, at});
    Value t = before->getArgument(0);
    Value moves = cmp(arith::CmpFPredicate::UNE,
                      arith::AddFOp::create(builder, at, t, delta), t);
    scf::ConditionOp::create(
        builder, at, arith::AndIOp::create(builder, at, running(t), moves),
        before->getArguments());
    Block *after =
        builder.createBlock(&loop.getAfter(), {}, {f32, index}, {at, at});
    scf::YieldOp::create(
        builder, at,
        ValueRange{
            arith::AddFOp::create(builder, at, after->getArgument(0), delta),
            arith::AddIOp::create(
                builder, at, after->getArgument(1),
                arith::ConstantIndexOp::create(builder, at, 1))});
  }
  Value stuck = running(loop.getResult(0));
  Value ended = arith::XOrIOp::create(
      builder, at, stuck, arith::ConstantIntOp::create(builder, at, 1, 1));
  if (failed(checkAt(b, node, ended, fn,
                     "a `for` loop over it would never end: start plus "
                     "delta, added in float32 one step at a time, stops "
                     "changing before it passes limit (delta is 0 or too "
                     "small; TensorFlow's loop runs forever)",
                     {})))
    return Value();
  return loop.getResult(1);
}

FailureOr<PyValue> python::rangeCall(ProgramBuilder &b,
                                     const json::Object &node, bool forLoop) {
  FailureOr<BoundCall> bound = bindArguments(
      b, node, "range(start, limit=None, delta=1, dtype=None, name='range')");
  if (failed(bound))
    return failure();
  OpBuilder &builder = b.builder;
  Location at = b.loc(node);
  // One argument is the limit.
  llvm::StringRef startParam = "start", limitParam = "limit";
  if (!bound->has("limit"))
    startParam = "", limitParam = "start";
  SmallVector<RangeArgument> args;
  llvm::StringRef params[] = {startParam, limitParam, "delta"};
  for (llvm::StringRef param : params) {
    // The defaults: start 0, delta 1 (Python ints).
    if (param.empty() || !bound->has(param)) {
      int64_t value = param.empty() ? 0 : 1;
      args.push_back({arith::ConstantIndexOp::create(builder, at, value),
                      builder.getI32Type(), value});
      continue;
    }
    FailureOr<RangeArgument> arg = rangeArgument(b, *bound, param);
    if (failed(arg))
      return failure();
    args.push_back(*arg);
  }
  Type dtype;
  if (bound->has("dtype")) {
    FailureOr<Type> given = bound->dtype("dtype");
    if (failed(given))
      return failure();
    if (given->isInteger(1))
      return bound->error("dtype", "must be int32, int64 or float32 "
                                   "(TensorFlow's Range has no bool kernel)");
    dtype = *given;
  } else {
    dtype = args[0].dtype;
    for (const RangeArgument &arg : args)
      if (widthOf(arg.dtype) > widthOf(dtype))
        dtype = arg.dtype;
  }
  llvm::StringRef fn = bound->name();
  // A check decided at import is an error at the call (its values
  // written in), else a predict.assert.
  auto check = [&](Value ok, llvm::StringRef message, ValueRange values = {}) {
    return checkAt(b, node, ok, fn,
                   message + " (TensorFlow raises InvalidArgumentError)",
                   values);
  };

  if (!dtype.isF32()) {
    // Integers: index arithmetic, then the dtype's width.
    // A Python float does not convert to an integer dtype (TensorFlow's
    // convert_to_tensor raises); a float32 tensor is cast, toward zero.
    for (auto [arg, param] : llvm::zip(args, params)) {
      if (!arg.dtype.isF32())
        continue;
      if (arg.pythonFloat)
        return bound->error(param, "is a Python float, which the dtype " +
                                       dtypeName(dtype) +
                                       " does not hold (TensorFlow raises)");
      arg.value = arith::IndexCastOp::create(
          builder, at, builder.getIndexType(),
          arith::FPToSIOp::create(builder, at, builder.getI64Type(),
                                  arg.value));
      arg.dtype = dtype;
    }
    Value start = args[0].value, limit = args[1].value, delta = args[2].value;
    if (dtype.isInteger(32))
      for (auto [arg, param] : llvm::zip(args, params)) {
        if (param.empty())
          continue;
        if (arg.known && !llvm::isInt<32>(*arg.known))
          return bound->error(param, "is " + llvm::Twine(*arg.known) +
                                         ", which int32 does not hold");
        if (!arg.known && !arg.dtype.isInteger(32)) {
          FailureOr<Value> fits = b.integerScalar(
              bound->at(param), PyValue::index(arg.value), builder.getI32Type(),
              "the range's dtype is int32");
          if (failed(fits))
            return failure();
        }
      }
    Value zero = arith::ConstantIndexOp::create(builder, at, 0);
    // (Folded as they are made: a check decided at import is an error.)
    auto cmp = [&](arith::CmpIPredicate p, Value l, Value r) -> Value {
      return builder.createOrFold<arith::CmpIOp>(at, p, l, r);
    };
    if (failed(check(cmp(arith::CmpIPredicate::ne, delta, zero), "delta is 0")))
      return failure();
    Value size = builder.createOrFold<arith::CeilDivSIOp>(
        at, builder.createOrFold<arith::SubIOp>(at, limit, start), delta);
    if (forLoop)
      // AutoGraph's loop runs while `t < limit` (`t > limit`): zero times
      // for a limit on the wrong side.
      return PyValue::tensor(integerRange(
          b, at, start, delta,
          builder.createOrFold<arith::MaxSIOp>(at, size, zero), dtype));
    Value positive = cmp(arith::CmpIPredicate::sgt, delta, zero);
    Value ordered = builder.createOrFold<arith::SelectOp>(
        at, positive, cmp(arith::CmpIPredicate::sle, start, limit),
        cmp(arith::CmpIPredicate::sge, start, limit));
    if (failed(check(ordered,
                     "start {0} is beyond limit {1} for delta {2} (Requires "
                     "start <= limit when delta > 0, start >= limit when "
                     "delta < 0)",
                     ValueRange{start, limit, delta})))
      return failure();
    return PyValue::tensor(integerRange(b, at, start, delta, size, dtype));
  }

  // Floats: each argument as float32, the size in float32, then the
  // kernel's accumulation.
  FloatType f32 = builder.getF32Type();
  SmallVector<Value> f;
  for (const RangeArgument &arg : args)
    f.push_back(arg.dtype.isF32()
                    ? arg.value
                    : arith::SIToFPOp::create(
                          builder, at, f32,
                          arith::IndexCastOp::create(
                              builder, at, builder.getI64Type(), arg.value))
                          .getResult());
  Value start = f[0], limit = f[1], delta = f[2];
  Value size = forLoop ? loopCount(b, node, fn, start, limit, delta)
                       : kernelCount(b, node, fn, start, limit, delta);
  if (!size)
    return failure();
  SmallVector<Value> dynamic;
  auto type = RankedTensorType::get({shapeEntry(size, dynamic)}, f32);
  Value empty = tensor::EmptyOp::create(builder, at, type, dynamic);
  auto loop = scf::ForOp::create(
      builder, at, arith::ConstantIndexOp::create(builder, at, 0), size,
      arith::ConstantIndexOp::create(builder, at, 1), ValueRange{empty, start});
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(loop.getBody());
    Value i = loop.getInductionVar();
    Value into = loop.getRegionIterArg(0), value = loop.getRegionIterArg(1);
    Value written = tensor::InsertOp::create(builder, at, value, into, i);
    scf::YieldOp::create(
        builder, at,
        ValueRange{written, arith::AddFOp::create(builder, at, value, delta)});
  }
  return PyValue::tensor(loop.getResult(0));
}

FailureOr<Value> python::runTimeRange(ProgramBuilder &b, const BoundCall &bound,
                                      llvm::StringRef param, Type dtype,
                                      std::optional<int64_t> &known,
                                      llvm::StringRef what) {
  FailureOr<RangeArgument> arg = rangeArgument(b, bound, param);
  if (failed(arg))
    return failure();
  if (arg->dtype.isF32())
    return bound.error(param, "must be an integer (a float given)");
  known = arg->known;
  if (known)
    return Value();
  const json::Object &node = bound.at(param);
  Location at = b.loc(node);
  Value zero = arith::ConstantIndexOp::create(b.builder, at, 0);
  if (failed(checkAt(b, node,
                     b.builder.createOrFold<arith::CmpIOp>(
                         at, arith::CmpIPredicate::sge, arg->value, zero),
                     bound.name(), what, ValueRange{arg->value})))
    return failure();
  Value one = arith::ConstantIndexOp::create(b.builder, at, 1);
  return integerRange(b, at, zero, one, arg->value, dtype);
}

FailureOr<PyValue> python::sequenceMaskCall(ProgramBuilder &b,
                                            const json::Object &node) {
  FailureOr<BoundCall> bound = bindArguments(
      b, node, "sequence_mask(lengths, maxlen=None, dtype=tf.bool, name=None)");
  if (failed(bound))
    return failure();
  OpBuilder &builder = b.builder;
  Location at = b.loc(node);
  FailureOr<Value> lengths = bound->tensor("lengths");
  if (failed(lengths))
    return failure();
  FailureOr<RankedTensorType> type = bound->ranked("lengths", *lengths);
  if (failed(type))
    return failure();
  Type i64 = builder.getI64Type();
  Type element = type->getElementType();
  if (!element.isInteger(32) && !element.isInteger(64))
    return bound->error("lengths", "must be of int32 or int64 (" +
                                       typeText(*type) + " given): tf.cast it");
  // maxlen: given (an integer, or a scalar tensor of one), else the
  // largest length or 0.
  Value maxlen;
  if (bound->has("maxlen")) {
    FailureOr<RangeArgument> arg = rangeArgument(b, *bound, "maxlen");
    if (failed(arg))
      return failure();
    if (arg->dtype.isF32())
      return bound->error("maxlen", "must be an integer (a float given)");
    maxlen = arg->value;
  } else {
    SmallVector<int64_t> axes;
    for (int64_t d = 0; d < type->getRank(); ++d)
      axes.push_back(d);
    FailureOr<Value> largest = b.typed(ReduceOp::create(
        builder, at, RankedTensorType::get({}, element), ReduceKind::max,
        *lengths, builder.getDenseI64ArrayAttr(axes), /*keepdims=*/false));
    if (failed(largest))
      return failure();
    Value scalar =
        tensor::ExtractOp::create(builder, at, *largest, ValueRange{});
    if (element.isInteger(32))
      scalar = arith::ExtSIOp::create(builder, at, i64, scalar);
    // max(0, the largest length), as array_ops.sequence_mask computes it:
    // an empty `lengths`, or all negative, makes no columns.
    maxlen = arith::MaxSIOp::create(
        builder, at,
        arith::IndexCastOp::create(builder, at, builder.getIndexType(), scalar),
        arith::ConstantIndexOp::create(builder, at, 0));
  }
  // tf.range(maxlen): a negative maxlen is its error.
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  if (failed(checkAt(b, node,
                     builder.createOrFold<arith::CmpIOp>(
                         at, arith::CmpIPredicate::sge, maxlen, zero),
                     bound->name(),
                     "maxlen {0} is negative (TensorFlow's tf.range(maxlen) "
                     "raises InvalidArgumentError)",
                     ValueRange{maxlen})))
    return failure();
  Value one = arith::ConstantIndexOp::create(builder, at, 1);
  Value columns = integerRange(b, at, zero, one, maxlen, i64);
  // mask[..., j] = j < lengths[...] (compared in int64).
  Value wide = *lengths;
  if (element.isInteger(32)) {
    FailureOr<Value> cast = b.typed(
        CastOp::create(builder, at, UnrankedTensorType::get(i64), wide));
    if (failed(cast))
      return failure();
    wide = *cast;
  }
  Value expanded = insertUnitAxes(b, at, wide, {type->getRank()});
  FailureOr<Value> mask = b.typed(CompareOp::create(
      builder, at, UnrankedTensorType::get(builder.getI1Type()),
      CompareKindAttr::get(builder.getContext(), CompareKind::lt), columns,
      expanded));
  if (failed(mask))
    return failure();
  FailureOr<Type> dtype = bound->dtype("dtype");
  if (failed(dtype))
    return failure();
  if (!*dtype || dtype->isInteger(1))
    return PyValue::tensor(*mask);
  FailureOr<Value> cast = b.typed(
      CastOp::create(builder, at, UnrankedTensorType::get(*dtype), *mask));
  if (failed(cast))
    return failure();
  return PyValue::tensor(*cast);
}
