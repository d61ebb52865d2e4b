//===- BatchLoops.cpp - row-by-row loops to batched computations ----------===//

#include "LoopAnalysis.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTBATCHLOOPS
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

namespace {
/// `type` (one row: 1 x ...) with the rows of `rows` instead.
Type batchedType(Type type, Value rows) {
  auto row = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(row.getShape());
  shape[0] = cast<RankedTensorType>(rows.getType()).getDimSize(0);
  return RankedTensorType::get(shape, row.getElementType());
}

/// `type` (one element: row i without its batch axis) with the batch axis
/// of `rows` in front.
RankedTensorType batchedElementType(Type type, Value rows) {
  auto element = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape{
      cast<RankedTensorType>(rows.getType()).getDimSize(0)};
  llvm::append_range(shape, element.getShape());
  return RankedTensorType::get(shape, element.getElementType());
}

/// The reassociation of a reshape within an element's axes, for its batch:
/// the batch axis alone in front, every other group one axis up.
SmallVector<ReassociationIndices>
batchedReassociation(ArrayRef<ReassociationIndices> groups,
                     int64_t expandedRank) {
  // A reshape between a scalar and unit axes (`tf.squeeze` of a 1-element
  // row, `[[]]` groups none of them): on the batch, the unit axes join the
  // batch's group.
  if (groups.empty())
    return {llvm::to_vector(llvm::seq<int64_t>(0, expandedRank + 1))};
  SmallVector<ReassociationIndices> batched{{0}};
  for (const ReassociationIndices &group : groups)
    batched.push_back(
        llvm::map_to_vector(group, [](int64_t d) { return d + 1; }));
  return batched;
}

struct BatchLoops : predict::impl::PredictBatchLoopsBase<BatchLoops> {
  using PredictBatchLoopsBase::PredictBatchLoopsBase;

  void runOnOperation() override {
    SmallVector<ForOp> loops;
    getOperation().walk([&](ForOp loop) { loops.push_back(loop); });
    for (ForOp loop : loops) {
      RowLoopAnalysis analysis(loop);
      std::string why;
      if (failed(analysis.run(why))) {
        if (emitRemarks)
          loop.emitRemark() << "loop not batched: " << why;
        continue;
      }
      if (emitRemarks)
        loop.emitRemark() << "loop batched: each iteration computes row i "
                             "from row i alone; the whole batch is computed "
                             "at once";
      batch(loop, analysis);
    }
  }

  /// A view of a row or an element made again on the batch (`r[0]` of an
  /// element `r`, `tf.expand_dims(r, -1)`, `y[0]` of a unit row `y`); false
  /// for any other op.
  bool batchView(OpBuilder &b, Operation &op, RowLoopAnalysis &analysis,
                 IRMapping &mapping) {
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
             tensor::ExtractSliceOp>(op))
      return false;
    Value result = op.getResult(0);
    bool element = analysis.elementValues.contains(result);
    Value source = mapping.lookup(op.getOperand(0));
    Location loc = op.getLoc();
    auto mapped = [&](OpFoldResult size) {
      if (auto value = dyn_cast<Value>(size))
        return OpFoldResult(mapping.lookupOrDefault(value));
      return size;
    };
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
      // The batch whole along its axis 0: in front of an element's axes,
      // or instead of a unit row's axis 0.
      bool ofElement = analysis.elementValues.contains(slice.getSource());
      auto batchedAxes = [&](SmallVector<OpFoldResult> sizes,
                             OpFoldResult first) {
        SmallVector<OpFoldResult> out{first};
        for (OpFoldResult size : ArrayRef(sizes).drop_front(ofElement ? 0 : 1))
          out.push_back(mapped(size));
        return out;
      };
      Type type =
          element ? Type(batchedElementType(result.getType(), analysis.rows))
                  : batchedType(result.getType(), analysis.rows);
      Value batched = tensor::ExtractSliceOp::create(
          b, loc, cast<RankedTensorType>(type), source,
          batchedAxes(slice.getMixedOffsets(), b.getIndexAttr(0)),
          batchedAxes(slice.getMixedSizes(),
                      tensor::getMixedSize(b, loc, source, 0)),
          batchedAxes(slice.getMixedStrides(), b.getIndexAttr(1)));
      mapping.map(result, batched);
      return true;
    }
    // A reshape of a unit row is refused by the analysis, or forwarded.
    RankedTensorType type = batchedElementType(result.getType(), analysis.rows);
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
      mapping.map(result,
                  tensor::CollapseShapeOp::create(
                      b, loc, type, source,
                      batchedReassociation(collapse.getReassociationIndices(),
                                           collapse.getSrcType().getRank())));
      return true;
    }
    auto expand = dyn_cast<tensor::ExpandShapeOp>(op);
    if (!expand)
      return false;
    SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, source, 0)};
    for (OpFoldResult size : expand.getMixedOutputShape())
      sizes.push_back(mapped(size));
    mapping.map(result,
                tensor::ExpandShapeOp::create(
                    b, loc, type, source,
                    batchedReassociation(expand.getReassociationIndices(),
                                         expand.getResultType().getRank()),
                    sizes));
    return true;
  }

  void batch(ForOp loop, RowLoopAnalysis &analysis) {
    OpBuilder b(loop);
    IRMapping mapping;
    for (Operation &op : loop.getBodyBlock()->without_terminator()) {
      if (isa<ListAppendOp>(op) || analysis.indexOps.contains(&op))
        continue;
      if (analysis.forwards.contains(&op)) {
        // x[i:i+1] is x; a row with its unit axis dropped or added is
        // its operand's batch.
        mapping.map(op.getResult(0), mapping.lookupOrDefault(op.getOperand(0)));
        continue;
      }
      if (batchView(b, op, analysis, mapping))
        continue;
      Operation *clone = b.clone(op, mapping);
      bool onElements = false;
      for (Value result : clone->getResults()) {
        Value original = op.getResult(cast<OpResult>(result).getResultNumber());
        if (analysis.rowValues.contains(original))
          result.setType(batchedType(result.getType(), analysis.rows));
        if (analysis.elementValues.contains(original)) {
          result.setType(batchedElementType(result.getType(), analysis.rows));
          onElements = true;
        }
      }
      if (onElements)
        cast<RowWiseOpInterface>(clone).addBatchAxis();
    }
    for (RowLoopJoin &join : analysis.joins) {
      Value batched = mapping.lookup(join.append.getValue());
      Value joined = join.join->getResult(0);
      if (batched.getType() != joined.getType())
        batched = tensor::CastOp::create(b, join.join->getLoc(),
                                         joined.getType(), batched);
      joined.replaceAllUsesWith(batched);
      join.join->erase();
    }
    SmallVector<Operation *> inits;
    for (Value init : loop.getInitArgs())
      inits.push_back(init.getDefiningOp());
    loop.erase();
    for (Operation *init : inits)
      if (init && init->use_empty())
        init->erase();
  }
};
} // namespace
