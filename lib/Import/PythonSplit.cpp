//===- PythonSplit.cpp - tf.split, tf.unstack, tf.ensure_shape -*- C++ -*-===//
//
// The tf.* functions that give a list of tensors: tf.split (equal pieces,
// or pieces of given sizes, one of them -1 for the rest) and tf.unstack
// (one piece per index of an axis, the axis removed). Each piece is a
// predict.slice of the input along the axis; sizes known only at run time
// are checked where TensorFlow checks them (InvalidArgumentError), as
// located run-time errors (docs/PythonSource.md, tf.* functions). And
// tf.ensure_shape, the same checks of a whole shape (also what a
// Functional model's tf.keras.Input declares).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"

#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {

/// More pieces than this are refused at import: each is its own slice,
/// and a loop over the rows (`for row in x`) is what scales.
constexpr int64_t kMostPieces = 1024;

/// The pieces of `x` along `axis` starting at `starts` and of `sizes`
/// (index values), as one predict.slice each.
FailureOr<SmallVector<Value>> slices(ProgramBuilder &b, Location at, Value x,
                                     int64_t axis, ArrayRef<Value> sizes) {
  OpBuilder &builder = b.builder;
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  SmallVector<Value> pieces;
  Value start = b.constantIndex(0, at).value;
  for (Value size : sizes) {
    // Known bounds stay constants, so the pieces' sizes are known.
    std::optional<int64_t> a = knownIndexValue(start),
                           n = knownIndexValue(size);
    Value stop =
        a && n ? b.constantIndex(*a + *n, at).value
               : arith::AddIOp::create(builder, at, start, size).getResult();
    FailureOr<Value> piece = b.typed(
        SliceOp::create(builder, at, UnrankedTensorType::get(element), x, start,
                        stop, builder.getI64IntegerAttr(axis)));
    if (failed(piece))
      return failure();
    pieces.push_back(*piece);
    start = stop;
  }
  return pieces;
}

/// A run-time check that `ok` holds, else TensorFlow's error in `message`
/// (`{0}` the axis's size).
void check(ProgramBuilder &b, const BoundCall &call, Location at, Value ok,
           Value size, const llvm::Twine &message) {
  AssertOp::create(b.builder, at, ok,
                   b.builder.getStringAttr("'" + braces(b.source(call.call)) +
                                           "': " + message),
                   ValueRange{size});
}

FailureOr<SmallVector<Value>> split(ProgramBuilder &b, const BoundCall &call,
                                    bool unstack) {
  FailureOr<Value> x = call.tensor("value");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("value", *x);
  if (failed(type))
    return failure();
  FailureOr<std::optional<int64_t>> axisArg = call.integer("axis");
  if (failed(axisArg))
    return failure();
  if (!*axisArg)
    return call.error("axis", "must be an int");
  std::optional<int64_t> axis = normalizeAxis(**axisArg, type->getRank());
  if (!axis)
    return call.error("axis", Twine(**axisArg) + " is out of range for " +
                                  typeText(*type));
  OpBuilder &builder = b.builder;
  Location at = b.loc(call.call);
  bool known = !type->isDynamicDim(*axis);
  int64_t have = type->getDimSize(*axis);
  Value size = known ? b.constantIndex(have, at).value
                     : DimOp::create(builder, at, *x, *axis).getResult();
  auto index = [&](int64_t v) { return b.constantIndex(v, at).value; };
  auto cmp = [&](arith::CmpIPredicate p, Value l, Value r) {
    return arith::CmpIOp::create(builder, at, p, l, r).getResult();
  };
  std::string axisText = "axis " + std::to_string(**axisArg);

  FailureOr<std::optional<int64_t>> num = call.integer("num");
  if (failed(num))
    return failure();
  if (*num && **num < 0)
    return call.error("num", "must not be negative");

  if (unstack) {
    // One piece per index of the axis: their number is known at import.
    if (!*num && !known)
      return call.error("num", "None needs the size of " + axisText + " of " +
                                   typeText(*type) +
                                   " known at import (give num=, the "
                                   "number of pieces)");
    int64_t n = *num ? **num : have;
    if (known && n != have)
      return call.error("num", Twine(n) + " is not the size of " + axisText +
                                   " of " + typeText(*type) +
                                   " (TensorFlow raises ValueError)");
    if (n > kMostPieces)
      return call.error("value", "would give " + Twine(n) +
                                     " pieces, more than predict makes "
                                     "one by one (" +
                                     Twine(kMostPieces) +
                                     "); loop over them (for row in x)");
    if (!known)
      check(b, call, at, cmp(arith::CmpIPredicate::eq, size, index(n)), size,
            axisText + " has size {0}, not num=" + std::to_string(n) +
                " (TensorFlow raises InvalidArgumentError)");
    FailureOr<SmallVector<Value>> pieces =
        slices(b, at, *x, *axis, SmallVector<Value>(n, index(1)));
    if (failed(pieces))
      return failure();
    for (Value &p : *pieces)
      p = dropUnitAxes(b, at, p, {*axis});
    return pieces;
  }

  bool single = false;
  FailureOr<std::optional<SmallVector<int64_t>>> given =
      call.integers("num_or_size_splits", &single);
  if (failed(given))
    return failure();
  if (!*given || (*given)->empty())
    return call.error("num_or_size_splits",
                      "must be an int or a non-empty list of ints");
  SmallVector<Value> sizes;
  if (single) {
    // Equal pieces: the axis's size must divide evenly.
    int64_t n = (*given)->front();
    if (n <= 0)
      return call.error("num_or_size_splits",
                        "must be positive, not " + Twine(n));
    if (n > kMostPieces)
      return call.error("num_or_size_splits",
                        Twine(n) +
                            " is more pieces than predict makes one "
                            "by one (" +
                            Twine(kMostPieces) + ")");
    if (*num && **num != n)
      return call.error("num", "must be None or the number of pieces");
    if (known && have % n != 0)
      return call.error("num_or_size_splits",
                        Twine(n) + " does not divide the size " + Twine(have) +
                            " of " + axisText +
                            " (TensorFlow raises InvalidArgumentError)");
    if (!known) {
      Value rem = arith::RemUIOp::create(builder, at, size, index(n));
      check(b, call, at, cmp(arith::CmpIPredicate::eq, rem, index(0)), size,
            axisText + " has size {0}, which " + std::to_string(n) +
                " pieces do not divide (TensorFlow raises "
                "InvalidArgumentError)");
    }
    Value piece =
        known ? index(have / n)
              : arith::DivUIOp::create(builder, at, size, index(n)).getResult();
    sizes.assign(n, piece);
  } else {
    // Pieces of the sizes given, one of them -1: the rest of the axis.
    SmallVector<int64_t> parts = **given;
    if ((int64_t)parts.size() > kMostPieces)
      return call.error("num_or_size_splits",
                        "gives more pieces than predict makes one by one (" +
                            Twine(kMostPieces) + ")");
    if (*num && **num != (int64_t)parts.size())
      return call.error("num", "must be None or the number of sizes");
    int64_t rest = -1, sum = 0;
    for (auto [i, s] : llvm::enumerate(parts)) {
      if (s == -1 && rest < 0) {
        rest = i;
        continue;
      }
      if (s < 0)
        return call.error("num_or_size_splits",
                          "holds " + Twine(s) +
                              ": sizes are not negative but for one -1, the "
                              "rest of the axis");
      if (sum > (int64_t(1) << 62) - s)
        return call.error("num_or_size_splits", "sums beyond 2**62");
      sum += s;
    }
    if (known && (rest < 0 ? sum != have : sum > have))
      return call.error("num_or_size_splits",
                        "sums to " + Twine(sum) +
                            (rest < 0 ? ", not " : ", more than ") +
                            "the size " + Twine(have) + " of " + axisText +
                            " (TensorFlow raises InvalidArgumentError)");
    if (!known)
      check(b, call, at,
            cmp(rest < 0 ? arith::CmpIPredicate::eq : arith::CmpIPredicate::uge,
                size, index(sum)),
            size,
            axisText + " has size {0}, " +
                (rest < 0 ? "not the sum " : "less than the sum ") +
                std::to_string(sum) +
                " of the sizes (TensorFlow raises InvalidArgumentError)");
    for (auto [i, s] : llvm::enumerate(parts))
      sizes.push_back(
          (int64_t)i != rest
              ? index(s)
              : (known ? index(have - sum)
                       : arith::SubIOp::create(builder, at, size, index(sum))
                             .getResult()));
  }
  return slices(b, at, *x, *axis, sizes);
}

} // namespace

FailureOr<PyValue> python::ensureShape(ProgramBuilder &b, const BoundCall &call,
                                       bool kerasInput) {
  FailureOr<Value> x = call.tensor("x");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("x", *x);
  if (failed(type))
    return failure();
  std::optional<SmallVector<int64_t>> written =
      b.writtenShape(call.at("shape"));
  if (!written)
    return call.error("shape", "must be a list or tuple of sizes (ints "
                               "that are not negative, or None) known at "
                               "import");
  SmallVector<int64_t> want = *written;
  std::string wanted = tupleText(want);
  llvm::StringRef raiser = kerasInput ? "Keras" : "TensorFlow";
  auto mismatch = [&]() -> LogicalResult {
    return b.error(call.call, "'" + b.source(call.call) +
                                  "': the tensor has shape " + typeText(*type) +
                                  ", not " + wanted + " (" + raiser +
                                  " raises ValueError)");
  };
  Location at = b.loc(call.call);
  int64_t rank = type->getRank(), wantRank = want.size();
  if (kerasInput && rank == wantRank + 1 && rank >= 2 &&
      type->getShape().back() == 1) {
    // Keras squeezes a last axis of size 1 the Input does not have.
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < rank - 1; ++d)
      groups.push_back({d});
    groups.back().push_back(rank - 1);
    x = tensor::CollapseShapeOp::create(b.builder, at, *x, groups).getResult();
    type = cast<RankedTensorType>(x->getType());
  } else if (kerasInput && rank + 1 == wantRank && rank >= 1 &&
             want.back() == 1) {
    // ... and adds one the Input ends with.
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < rank; ++d)
      groups.push_back({d});
    groups.back().push_back(rank);
    SmallVector<int64_t> shape(type->getShape());
    shape.push_back(1);
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < rank; ++d)
      sizes.push_back(
          type->isDynamicDim(d)
              ? OpFoldResult(DimOp::create(b.builder, at, *x, d).getResult())
              : OpFoldResult(b.builder.getIndexAttr(type->getDimSize(d))));
    sizes.push_back(b.builder.getIndexAttr(1));
    x = tensor::ExpandShapeOp::create(
            b.builder, at, RankedTensorType::get(shape, type->getElementType()),
            *x, groups, sizes)
            .getResult();
    type = cast<RankedTensorType>(x->getType());
  }
  if (type->getRank() != (int64_t)want.size())
    return mismatch();
  SmallVector<int64_t> refined(type->getShape());
  for (auto [d, size] : llvm::enumerate(want)) {
    if (ShapedType::isDynamic(size))
      continue;
    if (!type->isDynamicDim(d)) {
      if (type->getDimSize(d) != size)
        return mismatch();
      continue;
    }
    Value have = DimOp::create(b.builder, at, *x, d);
    check(b, call, at,
          arith::CmpIOp::create(b.builder, at, arith::CmpIPredicate::eq, have,
                                b.constantIndex(size, at).value),
          have,
          "axis " + std::to_string(d) + " has size {0}, not " +
              std::to_string(size) +
              (kerasInput ? " (Keras raises ValueError)"
                          : " (TensorFlow raises InvalidArgumentError)"));
    refined[d] = size;
  }
  auto result = RankedTensorType::get(refined, type->getElementType());
  if (result == *type)
    return PyValue::tensor(*x);
  return PyValue::tensor(
      tensor::CastOp::create(b.builder, at, result, *x).getResult());
}

std::optional<FailureOr<SmallVector<Value>>>
python::splitPieces(ProgramBuilder &b, const json::Object &call) {
  const json::Object *func = call.getObject("func");
  std::optional<llvm::StringRef> callee =
      func ? func->getString("qualified") : std::nullopt;
  if (!callee ||
      (*callee != "tensorflow.split" && *callee != "tensorflow.unstack"))
    return std::nullopt;
  FailureOr<BoundCall> bound = bindArguments(b, call, *signatureOf(*callee));
  if (failed(bound))
    return FailureOr<SmallVector<Value>>(failure());
  return split(b, *bound, *callee == "tensorflow.unstack");
}

FailureOr<SmallVector<Value>> python::unpackRows(ProgramBuilder &b, Location at,
                                                 Value x, int64_t n) {
  FailureOr<SmallVector<Value>> rows =
      slices(b, at, x, 0, SmallVector<Value>(n, b.constantIndex(1, at).value));
  if (failed(rows))
    return failure();
  for (Value &row : *rows)
    row = dropUnitAxes(b, at, row, {0});
  return rows;
}
