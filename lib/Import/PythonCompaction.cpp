//===- PythonCompaction.cpp - tf.boolean_mask, tf.where(condition) --------===//
//
// The tf.* functions whose result has as many rows as a mask has true
// elements, a size known only when the program runs:
//
// - `tf.boolean_mask(tensor, mask, axis=None)` (tensorflow/python/ops/
//   array_ops.py boolean_mask): the mask's K axes are the tensor's axes
//   axis ... axis+K-1 (sizes equal, at import or by a run-time check); the
//   result is the tensor's entries [..., i0, ..., iK-1, ...] where the mask
//   holds, in row-major order, of shape tensor.shape[:axis] + [true count]
//   + tensor.shape[axis+K:];
// - `tf.where(condition)`: the int64 coordinates of the true elements of
//   `condition`, in row-major order, one row of rank(condition) each;
// - `tf.unique(x, out_idx)` and `tf.unique_with_counts` (tensorflow/core/
//   kernels/unique_op.cc): the distinct elements of the 1-D `x` in the
//   order of their first occurrence, each element's position among them,
//   and how often each occurs.
//
// Each is the count (a sum of the mask), an empty tensor of that many rows,
// and one `scf.for` over the mask's elements that writes the next row
// where the mask holds (`scf.if`): a compaction, on tensors.
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"

#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

/// `x`'s axes `first` ... `first + k - 1` as one (row-major); `x` itself
/// when k is 1.
static Value collapseAxes(OpBuilder &builder, Location at, Value x,
                          int64_t first, int64_t k) {
  auto type = cast<RankedTensorType>(x.getType());
  if (k == 1)
    return x;
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < first; ++d)
    groups.push_back({d});
  groups.emplace_back();
  for (int64_t d = first; d < first + k; ++d)
    groups.back().push_back(d);
  for (int64_t d = first + k; d < type.getRank(); ++d)
    groups.push_back({d});
  return tensor::CollapseShapeOp::create(builder, at, x, groups);
}

/// The size of `x` along `d`: a constant, or a tensor.dim.
static Value sizeOf(OpBuilder &builder, Location at, Value x, int64_t d) {
  auto type = cast<RankedTensorType>(x.getType());
  if (!type.isDynamicDim(d))
    return arith::ConstantIndexOp::create(builder, at, type.getDimSize(d));
  return tensor::DimOp::create(builder, at, x, d);
}

/// The number of true elements of the 1-D bool `mask`, an index.
static FailureOr<Value> trueCount(ProgramBuilder &b, Location at, Value mask) {
  OpBuilder &builder = b.builder;
  Type i64 = builder.getI64Type();
  FailureOr<Value> ones =
      b.typed(CastOp::create(builder, at, UnrankedTensorType::get(i64), mask));
  if (failed(ones))
    return failure();
  FailureOr<Value> sum = b.typed(ReduceOp::create(
      builder, at, RankedTensorType::get({}, i64), ReduceKind::sum, *ones,
      builder.getDenseI64ArrayAttr({0}), /*keepdims=*/false));
  if (failed(sum))
    return failure();
  return arith::IndexCastOp::create(
             builder, at, builder.getIndexType(),
             tensor::ExtractOp::create(builder, at, *sum, ValueRange{}))
      .getResult();
}

/// One scf.for over the elements of the 1-D bool `mask`, carrying `out` and
/// the next row k: where mask[i] holds, `write(i, k, out)` gives the new
/// `out`, and k advances. The final `out`.
static Value
compact(OpBuilder &builder, Location at, Value mask, Value out,
        llvm::function_ref<Value(Value i, Value k, Value out)> write) {
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  Value one = arith::ConstantIndexOp::create(builder, at, 1);
  auto loop =
      scf::ForOp::create(builder, at, zero, sizeOf(builder, at, mask, 0), one,
                         ValueRange{out, zero});
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(loop.getBody());
  Value i = loop.getInductionVar();
  Value into = loop.getRegionIterArg(0), k = loop.getRegionIterArg(1);
  Value holds = tensor::ExtractOp::create(builder, at, mask, ValueRange{i});
  auto branch =
      scf::IfOp::create(builder, at, TypeRange{into.getType(), k.getType()},
                        holds, /*withElseRegion=*/true);
  builder.setInsertionPointToStart(&branch.getThenRegion().front());
  Value written = write(i, k, into);
  scf::YieldOp::create(
      builder, at,
      ValueRange{written, arith::AddIOp::create(builder, at, k, one)});
  builder.setInsertionPointToStart(&branch.getElseRegion().front());
  scf::YieldOp::create(builder, at, ValueRange{into, k});
  builder.setInsertionPointAfter(branch);
  scf::YieldOp::create(builder, at, branch.getResults());
  return loop.getResult(0);
}

FailureOr<PyValue> python::booleanMaskCall(ProgramBuilder &b,
                                           const json::Object &node) {
  FailureOr<BoundCall> bound = bindArguments(
      b, node, "boolean_mask(tensor, mask, axis=None, name='boolean_mask')");
  if (failed(bound))
    return failure();
  Location at = b.loc(node);
  FailureOr<Value> x = bound->tensor("tensor");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = bound->ranked("tensor", *x);
  if (failed(type))
    return failure();
  FailureOr<Value> mask = bound->tensor("mask");
  if (failed(mask))
    return failure();
  FailureOr<RankedTensorType> maskType = bound->ranked("mask", *mask);
  if (failed(maskType))
    return failure();
  if (!maskType->getElementType().isInteger(1))
    return bound->error("mask", "must be a tensor of bools (a comparison), "
                                "not " +
                                    typeText(*maskType));
  // TensorFlow's axis: where the mask's axes start (array_ops.py reads it
  // as a slice start of the shape, so a negative axis is not numpy's axis
  // from the end there: refused).
  int64_t axis = 0;
  if (bound->has("axis")) {
    FailureOr<std::optional<int64_t>> given = bound->integer("axis");
    if (failed(given))
      return failure();
    if (*given && **given < 0)
      return bound->error("axis", "is " + llvm::Twine(**given) +
                                      ": give the first masked axis counted "
                                      "from 0 (TensorFlow's boolean_mask "
                                      "slices the shape at axis, which a "
                                      "negative axis does not count from "
                                      "the end)");
    if (*given)
      axis = **given;
  }
  return booleanMask(b, at, bound->name(), *x, *mask, axis,
                     [&](const llvm::Twine &message) {
                       return bound->error("mask", message);
                     });
}

FailureOr<PyValue> python::booleanMask(
    ProgramBuilder &b, Location at, llvm::StringRef name, Value x, Value mask,
    int64_t axis,
    llvm::function_ref<LogicalResult(const llvm::Twine &)> maskError) {
  OpBuilder &builder = b.builder;
  auto type = cast<RankedTensorType>(x.getType());
  auto maskType = cast<RankedTensorType>(mask.getType());
  int64_t k = maskType.getRank();
  if (k == 0)
    return maskError("must have at least one axis (TensorFlow "
                     "raises: mask cannot be scalar)");
  if (axis + k > type.getRank())
    return maskError("has " + llvm::Twine(k) + " axes from axis " +
                     llvm::Twine(axis) + ", beyond the tensor " +
                     typeText(type) +
                     "'s axes (TensorFlow raises: axis + "
                     "mask's rank must be at most the "
                     "tensor's rank)");
  // The mask's sizes are the tensor's from axis on: at import where both
  // are known, else checked when the program runs.
  for (int64_t d = 0; d < k; ++d) {
    int64_t m = maskType.getDimSize(d), t = type.getDimSize(axis + d);
    if (!ShapedType::isDynamic(m) && !ShapedType::isDynamic(t)) {
      if (m != t)
        return maskError(
            "has size " + llvm::Twine(m) + " on its axis " + llvm::Twine(d) +
            ", where the tensor " + typeText(type) + " has " + llvm::Twine(t) +
            " on axis " + llvm::Twine(axis + d) + " (TensorFlow raises)");
      continue;
    }
    Value ms = sizeOf(builder, at, mask, d),
          ts = sizeOf(builder, at, x, axis + d);
    AssertOp::create(
        builder, at,
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, ms, ts),
        builder.getStringAttr(
            braces((name + ": mask has size ").str()) + "{0} on its axis " +
            std::to_string(d) + ", where the tensor has {1} on axis " +
            std::to_string(axis + d) + " (TensorFlow raises)"),
        ValueRange{ms, ts});
  }
  Value flatMask = collapseAxes(builder, at, mask, 0, k);
  Value flat = collapseAxes(builder, at, x, axis, k);
  FailureOr<Value> count = trueCount(b, at, flatMask);
  if (failed(count))
    return failure();
  // The result: the tensor's sizes with the masked axes' one the count.
  auto flatType = cast<RankedTensorType>(flat.getType());
  int64_t rank = flatType.getRank();
  SmallVector<Value> dynamic;
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    Value size = d == axis ? *count : sizeOf(builder, at, flat, d);
    shape.push_back(shapeEntry(size, dynamic));
    sizes.push_back(d == axis ? builder.getIndexAttr(1)
                    : flatType.isDynamicDim(d)
                        ? OpFoldResult(size)
                        : builder.getIndexAttr(flatType.getDimSize(d)));
  }
  auto resultType = RankedTensorType::get(shape, flatType.getElementType());
  Value empty = tensor::EmptyOp::create(builder, at, resultType, dynamic);
  SmallVector<OpFoldResult> strides(rank, builder.getIndexAttr(1));
  // Offsets 0 but `at` on the masked axis.
  auto offsets = [&](Value first) {
    SmallVector<OpFoldResult> o(rank, builder.getIndexAttr(0));
    o[axis] = first;
    return o;
  };
  Value result =
      compact(builder, at, flatMask, empty,
              [&](Value i, Value entry, Value out) -> Value {
                Value slice = tensor::ExtractSliceOp::create(
                    builder, at, flat, offsets(i), sizes, strides);
                return tensor::InsertSliceOp::create(
                    builder, at, slice, out, offsets(entry), sizes, strides);
              });
  return PyValue::tensor(result);
}

FailureOr<PyValue> python::whereIndices(ProgramBuilder &b,
                                        const BoundCall &call,
                                        Value condition) {
  OpBuilder &builder = b.builder;
  Location at = b.loc(call.call);
  FailureOr<RankedTensorType> type = call.ranked("condition", condition);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  if (rank == 0)
    return call.error("condition", "is a scalar: tf.where(condition) "
                                   "gives coordinates of the true elements "
                                   "of a tensor of one axis or more here");
  Value flat = collapseAxes(builder, at, condition, 0, rank);
  FailureOr<Value> count = trueCount(b, at, flat);
  if (failed(count))
    return failure();
  Type i64 = builder.getI64Type();
  SmallVector<Value> dynamic;
  SmallVector<int64_t> shape{shapeEntry(*count, dynamic), rank};
  Value empty = tensor::EmptyOp::create(
      builder, at, RankedTensorType::get(shape, i64), dynamic);
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < rank; ++d)
    sizes.push_back(sizeOf(builder, at, condition, d));
  Value result = compact(
      builder, at, flat, empty, [&](Value i, Value row, Value out) -> Value {
        // The coordinates of flat element i, last axis fastest.
        Value rest = i;
        for (int64_t d = rank - 1; d >= 0; --d) {
          Value coordinate =
              d ? arith::RemUIOp::create(builder, at, rest, sizes[d])
                      .getResult()
                : rest;
          if (d)
            rest = arith::DivUIOp::create(builder, at, rest, sizes[d]);
          out = tensor::InsertOp::create(
              builder, at,
              arith::IndexCastOp::create(builder, at, i64, coordinate), out,
              ValueRange{row, arith::ConstantIndexOp::create(builder, at, d)});
        }
        return out;
      });
  return PyValue::tensor(result);
}

FailureOr<SmallVector<Value>>
python::uniqueCall(ProgramBuilder &b, const BoundCall &call, bool counts) {
  FailureOr<Value> x = call.tensor("x");
  if (failed(x))
    return failure();
  FailureOr<RankedTensorType> type = call.ranked("x", *x);
  if (failed(type))
    return failure();
  if (type->getRank() != 1)
    return call.error("x", "must have one axis, not " + typeText(*type) +
                               " (TensorFlow raises: unique expects a 1D "
                               "vector; tf.reshape(x, [-1]) first)");
  Type element = type->getElementType();
  if (!element.isF32() && !element.isInteger(32) && !element.isInteger(64))
    return call.error("x", "must be a tensor of float32, int32 or int64, "
                           "not " +
                               typeText(*type));
  FailureOr<Type> outIdx = call.dtype("out_idx");
  if (failed(outIdx))
    return failure();
  OpBuilder &builder = b.builder;
  Type index = *outIdx ? *outIdx : builder.getI32Type();
  if (!index.isInteger(32) && !index.isInteger(64))
    return call.error("out_idx", "must be tf.int32 or tf.int64");
  Location at = b.loc(call.call);
  Value size = sizeOf(builder, at, *x, 0);
  SmallVector<Value> dynamic;
  int64_t shape = shapeEntry(size, dynamic);
  auto vector = [&](Type t) {
    return tensor::EmptyOp::create(builder, at,
                                   RankedTensorType::get({shape}, t), dynamic)
        .getResult();
  };
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  Value one = arith::ConstantIndexOp::create(builder, at, 1);
  Value oneCount = arith::ConstantIntOp::create(builder, at, index, 1);
  // One pass over x carrying the distinct values so far (the first `found`
  // entries of `y`), each element's position and the counts.
  SmallVector<Value> init{vector(element), vector(index), zero};
  if (counts)
    init.push_back(vector(index));
  auto loop = scf::ForOp::create(builder, at, zero, size, one, init);
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(loop.getBody());
    Value i = loop.getInductionVar();
    Value y = loop.getRegionIterArg(0), idx = loop.getRegionIterArg(1),
          found = loop.getRegionIterArg(2);
    Value v = tensor::ExtractOp::create(builder, at, *x, ValueRange{i});
    // The first j < found with y[j] == v, else found: a scan that stops
    // there (NaN equals nothing, so each NaN is an entry of its own, as
    // in TensorFlow's hash map; -0.0 equals 0.0).
    Type indexType = builder.getIndexType();
    auto scan = scf::WhileOp::create(builder, at, TypeRange{indexType},
                                     ValueRange{zero});
    {
      Block *before =
          builder.createBlock(&scan.getBefore(), {}, {indexType}, {at});
      Value j = before->getArgument(0);
      Value inside = arith::CmpIOp::create(builder, at,
                                           arith::CmpIPredicate::ult, j, found);
      // y[j] is read only when j < found (an index clamped into range
      // otherwise, whose comparison is discarded).
      Value safe = arith::SelectOp::create(builder, at, inside, j, zero);
      Value yj = tensor::ExtractOp::create(builder, at, y, ValueRange{safe});
      Value differs = isa<FloatType>(element)
                          ? arith::CmpFOp::create(
                                builder, at, arith::CmpFPredicate::UNE, yj, v)
                                .getResult()
                          : arith::CmpIOp::create(
                                builder, at, arith::CmpIPredicate::ne, yj, v)
                                .getResult();
      Value more = arith::AndIOp::create(builder, at, inside, differs);
      scf::ConditionOp::create(builder, at, more, ValueRange{j});
      Block *after =
          builder.createBlock(&scan.getAfter(), {}, {indexType}, {at});
      scf::YieldOp::create(builder, at,
                           ValueRange{arith::AddIOp::create(
                               builder, at, after->getArgument(0), one)});
    }
    builder.setInsertionPointAfter(scan);
    Value j = scan.getResult(0);
    Value isNew =
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, j, found);
    Value position = arith::IndexCastOp::create(builder, at, index, j);
    Value idxNext =
        tensor::InsertOp::create(builder, at, position, idx, ValueRange{i});
    SmallVector<Type> carried{y.getType(), found.getType()};
    if (counts)
      carried.push_back(init[3].getType());
    auto branch = scf::IfOp::create(builder, at, carried, isNew,
                                    /*withElseRegion=*/true);
    builder.setInsertionPointToStart(&branch.getThenRegion().front());
    {
      SmallVector<Value> yields{
          tensor::InsertOp::create(builder, at, v, y, ValueRange{found}),
          arith::AddIOp::create(builder, at, found, one)};
      if (counts)
        yields.push_back(tensor::InsertOp::create(
            builder, at, oneCount, loop.getRegionIterArg(3), ValueRange{j}));
      scf::YieldOp::create(builder, at, yields);
    }
    builder.setInsertionPointToStart(&branch.getElseRegion().front());
    {
      SmallVector<Value> yields{y, found};
      if (counts) {
        Value c = loop.getRegionIterArg(3);
        Value seen = tensor::ExtractOp::create(builder, at, c, ValueRange{j});
        yields.push_back(tensor::InsertOp::create(
            builder, at, arith::AddIOp::create(builder, at, seen, oneCount), c,
            ValueRange{j}));
      }
      scf::YieldOp::create(builder, at, yields);
    }
    builder.setInsertionPointAfter(branch);
    SmallVector<Value> next{branch.getResult(0), idxNext, branch.getResult(1)};
    if (counts)
      next.push_back(branch.getResult(2));
    scf::YieldOp::create(builder, at, next);
  }
  Value distinct = loop.getResult(2);
  auto head = [&](Value v) {
    auto t = cast<RankedTensorType>(v.getType());
    return tensor::ExtractSliceOp::create(
               builder, at,
               RankedTensorType::get({ShapedType::kDynamic},
                                     t.getElementType()),
               v, ValueRange{}, ValueRange{distinct}, ValueRange{},
               builder.getDenseI64ArrayAttr({0}),
               builder.getDenseI64ArrayAttr({ShapedType::kDynamic}),
               builder.getDenseI64ArrayAttr({1}))
        .getResult();
  };
  SmallVector<Value> results{head(loop.getResult(0)), loop.getResult(1)};
  if (counts)
    results.push_back(head(loop.getResult(3)));
  return results;
}
