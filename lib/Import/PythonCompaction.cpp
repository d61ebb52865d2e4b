//===- PythonCompaction.cpp - tf.boolean_mask, tf.where(condition) --------===//
//
// The tf.* functions whose result has as many rows as a mask has true
// elements, a size known only when the program runs:
//
// - `tf.boolean_mask(tensor, mask, axis=None)` (tensorflow/python/ops/
//   array_ops.py boolean_mask): the mask's K axes are the tensor's first K
//   (sizes equal, at import or by a run-time check); the result is the
//   tensor's entries [i0, ..., iK-1, ...] where the mask holds, in
//   row-major order, of shape [true count] + tensor.shape[K:];
// - `tf.where(condition)`: the int64 coordinates of the true elements of
//   `condition`, in row-major order, one row of rank(condition) each.
//
// Each is the count (a sum of the mask), an empty tensor of that many rows,
// and one `scf.for` over the mask's elements that writes the next row
// where the mask holds (`scf.if`): a compaction, on tensors.
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

/// `x`'s first `k` axes as one (row-major); `x` itself when k is 1.
static Value collapseLeading(OpBuilder &builder, Location at, Value x,
                             int64_t k) {
  auto type = cast<RankedTensorType>(x.getType());
  if (k == 1)
    return x;
  SmallVector<ReassociationIndices> groups(1);
  for (int64_t d = 0; d < k; ++d)
    groups[0].push_back(d);
  for (int64_t d = k; d < type.getRank(); ++d)
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
  OpBuilder &builder = b.builder;
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
  if (bound->has("axis")) {
    FailureOr<std::optional<int64_t>> axis = bound->integer("axis");
    if (failed(axis))
      return failure();
    if (*axis && **axis != 0)
      return bound->error("axis", "other than 0 is not converted yet: "
                                  "tf.transpose the masked axes first");
  }
  int64_t k = maskType->getRank();
  if (k == 0)
    return bound->error("mask", "must have at least one axis (TensorFlow "
                                "raises: mask cannot be scalar)");
  if (k > type->getRank())
    return bound->error("mask", "has " + llvm::Twine(k) +
                                    " axes, more than the tensor's " +
                                    typeText(*type) + " (TensorFlow raises)");
  // The mask's sizes are the tensor's first ones: at import where both
  // are known, else checked when the program runs.
  for (int64_t d = 0; d < k; ++d) {
    int64_t m = maskType->getDimSize(d), t = type->getDimSize(d);
    if (!ShapedType::isDynamic(m) && !ShapedType::isDynamic(t)) {
      if (m != t)
        return bound->error("mask", "has size " + llvm::Twine(m) + " on axis " +
                                        llvm::Twine(d) + ", where the tensor " +
                                        typeText(*type) + " has " +
                                        llvm::Twine(t) +
                                        " (TensorFlow raises)");
      continue;
    }
    Value ms = sizeOf(builder, at, *mask, d), ts = sizeOf(builder, at, *x, d);
    AssertOp::create(
        builder, at,
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, ms, ts),
        builder.getStringAttr(
            braces((bound->name() + ": mask has size ").str()) +
            "{0} on axis " + std::to_string(d) +
            ", where the tensor has {1} (TensorFlow "
            "raises)"),
        ValueRange{ms, ts});
  }
  Value flatMask = collapseLeading(builder, at, *mask, k);
  Value flat = collapseLeading(builder, at, *x, k);
  FailureOr<Value> count = trueCount(b, at, flatMask);
  if (failed(count))
    return failure();
  // The result: [count] + the tensor's other sizes.
  auto flatType = cast<RankedTensorType>(flat.getType());
  SmallVector<Value> dynamic;
  SmallVector<int64_t> shape{shapeEntry(*count, dynamic)};
  for (int64_t d = 1; d < flatType.getRank(); ++d)
    shape.push_back(shapeEntry(sizeOf(builder, at, flat, d), dynamic));
  auto resultType = RankedTensorType::get(shape, flatType.getElementType());
  Value empty = tensor::EmptyOp::create(builder, at, resultType, dynamic);
  int64_t rank = flatType.getRank();
  Value result = compact(
      builder, at, flatMask, empty,
      [&](Value i, Value row, Value out) -> Value {
        SmallVector<OpFoldResult> sizes{builder.getIndexAttr(1)};
        for (int64_t d = 1; d < rank; ++d)
          sizes.push_back(flatType.isDynamicDim(d)
                              ? OpFoldResult(sizeOf(builder, at, flat, d))
                              : builder.getIndexAttr(flatType.getDimSize(d)));
        SmallVector<OpFoldResult> strides(rank, builder.getIndexAttr(1));
        auto offsets = [&](Value first) {
          SmallVector<OpFoldResult> o{first};
          o.append(rank - 1, builder.getIndexAttr(0));
          return o;
        };
        Value slice = tensor::ExtractSliceOp::create(
            builder, at, flat, offsets(i), sizes, strides);
        return tensor::InsertSliceOp::create(builder, at, slice, out,
                                             offsets(row), sizes, strides);
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
  Value flat = collapseLeading(builder, at, condition, rank);
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
