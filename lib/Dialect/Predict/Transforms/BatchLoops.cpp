//===- BatchLoops.cpp - row-by-row loops to batched computations ----------===//

#include "LoopAnalysis.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
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

/// Makes a loop that RowLoopAnalysis proved row-independent again as one
/// computation on the whole batch.
struct Batcher {

  /// A view of a row or an element made again on the batch (`r[0]` of an
  /// element `r`, `tf.expand_dims(r, -1)`, `y[0]` of a unit row `y`); false
  /// for any other op.
  bool batchView(OpBuilder &b, Operation &op, RowLoopAnalysis &analysis,
                 IRMapping &mapping) {
    // (A view of a value the same in every iteration, `w[1]` of a constant
    // `w`, is made again as it is.)
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
             tensor::ExtractSliceOp>(op) ||
        !(analysis.rowValues.contains(op.getOperand(0)) ||
          analysis.elementValues.contains(op.getOperand(0))))
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

  /// Makes the ops of `block` (the loop's body, or an arm of a branch in
  /// it) again at `b` on the batch.
  void batchOps(OpBuilder &b, Block &block, RowLoopAnalysis &analysis,
                IRMapping &mapping) {
    for (Operation &op : block.without_terminator()) {
      if (isa<ListAppendOp>(op) || analysis.indexOps.contains(&op) ||
          analysis.rowConditions.contains(&op))
        continue;
      if (analysis.forwards.contains(&op)) {
        // x[i:i+1] is x; a row with its unit axis dropped or added is
        // its operand's batch.
        mapping.map(op.getResult(0), mapping.lookupOrDefault(op.getOperand(0)));
        continue;
      }
      if (auto branch = dyn_cast<scf::IfOp>(op)) {
        batchBranch(b, branch, analysis, mapping);
        continue;
      }
      if (auto select = dyn_cast<arith::SelectOp>(op)) {
        Operation *condition = select.getCondition().getDefiningOp();
        if (condition && analysis.rowConditions.contains(condition)) {
          mapping.map(select.getResult(),
                      chooseRows(b, select.getLoc(), analysis, mapping,
                                 condition, select.getResult(),
                                 select.getTrueValue(),
                                 select.getFalseValue()));
          continue;
        }
        b.clone(op, mapping)
            ->getResult(0)
            .setType(batchedTypeOf(select.getResult(), analysis));
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
      if (!onElements)
        continue;
      cast<RowWiseOpInterface>(clone).addBatchAxis();
      if (!clone->hasTrait<predict::OpTrait::ElementwiseRows>())
        continue;
      // numpy aligns an element of lower rank at the result's end: on the
      // batch, the unit axes go after the batch axis.
      int64_t rank =
          cast<RankedTensorType>(clone->getResult(0).getType()).getRank();
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(clone);
      for (OpOperand &operand : clone->getOpOperands())
        if (analysis.elementValues.contains(
                op.getOperand(operand.getOperandNumber())))
          operand.set(alignBatch(b, op.getLoc(), operand.get(), rank));
    }
  }

  /// `batch` ([B, s...], the batch of an element) with unit axes after its
  /// batch axis up to `rank` axes in all ([B, 1, ..., 1, s...]): the
  /// element aligned at the end of an element of rank `rank` - 1, as numpy
  /// broadcasts it. `batch` itself when it has `rank` axes.
  static Value alignBatch(OpBuilder &b, Location loc, Value batch,
                          int64_t rank) {
    auto type = cast<RankedTensorType>(batch.getType());
    int64_t units = rank - type.getRank();
    if (units <= 0)
      return batch;
    SmallVector<int64_t> shape{type.getDimSize(0)};
    SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, batch, 0)};
    shape.append(units, 1);
    sizes.append(units, b.getIndexAttr(1));
    // The batch axis and the new unit axes are one group; each axis of the
    // element its own.
    SmallVector<ReassociationIndices> groups{
        llvm::to_vector(llvm::seq<int64_t>(0, units + 1))};
    for (int64_t axis = 1; axis < type.getRank(); ++axis) {
      shape.push_back(type.getDimSize(axis));
      sizes.push_back(tensor::getMixedSize(b, loc, batch, axis));
      groups.push_back({units + axis});
    }
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(shape, type.getElementType()), batch,
        groups, sizes);
  }

  /// The type of `value` of the loop's body on the batch.
  Type batchedTypeOf(Value value, RowLoopAnalysis &analysis) {
    if (analysis.rowValues.contains(value))
      return batchedType(value.getType(), analysis.rows);
    if (analysis.elementValues.contains(value))
      return batchedElementType(value.getType(), analysis.rows);
    return value.getType();
  }

  /// A branch of the loop's body on the batch (see
  /// RowLoopAnalysis::checkBranch): on a row's boolean, both arms computed
  /// for every row and each result chosen per row by `predict.select`; on
  /// a condition the same for every row, the branch around batched arms.
  void batchBranch(OpBuilder &b, scf::IfOp branch, RowLoopAnalysis &analysis,
                   IRMapping &mapping) {
    Location loc = branch.getLoc();
    Operation *condition = branch.getCondition().getDefiningOp();
    if (!condition || !analysis.rowConditions.contains(condition)) {
      SmallVector<Type> types =
          llvm::map_to_vector(branch.getResults(), [&](Value result) {
            return batchedTypeOf(result, analysis);
          });
      auto batched = scf::IfOp::create(
          b, loc, types, mapping.lookupOrDefault(branch.getCondition()),
          /*withElseRegion=*/branch.elseBlock() != nullptr);
      auto batchArm = [&](Block *from, Block *to) {
        OpBuilder inArm = OpBuilder::atBlockEnd(to);
        batchOps(inArm, *from, analysis, mapping);
        SmallVector<Value> yielded = llvm::map_to_vector(
            from->getTerminator()->getOperands(),
            [&](Value v) { return mapping.lookupOrDefault(v); });
        scf::YieldOp::create(inArm, loc, yielded);
      };
      // scf.if's builder gives the then block (and the else block when
      // there are results) a yield of nothing: made again here.
      for (Block *to : {batched.thenBlock(), batched.elseBlock()})
        if (to && !to->empty())
          to->getTerminator()->erase();
      batchArm(branch.thenBlock(), batched.thenBlock());
      if (branch.elseBlock())
        batchArm(branch.elseBlock(), batched.elseBlock());
      mapping.map(branch.getResults(), batched.getResults());
      return;
    }
    batchOps(b, *branch.thenBlock(), analysis, mapping);
    if (branch.elseBlock())
      batchOps(b, *branch.elseBlock(), analysis, mapping);
    for (auto [index, result] : llvm::enumerate(branch.getResults()))
      mapping.map(result,
                  chooseRows(b, loc, analysis, mapping, condition, result,
                             branch.thenYield().getOperand(index),
                             branch.elseYield().getOperand(index)));
  }

  /// `result` on the batch: for each row, `ifTrue`'s or `ifFalse`'s row by
  /// that row's boolean, which `condition` (a `tensor.extract` of the one
  /// boolean of a row or an element) reads.
  Value chooseRows(OpBuilder &b, Location loc, RowLoopAnalysis &analysis,
                   IRMapping &mapping, Operation *condition, Value result,
                   Value ifTrue, Value ifFalse) {
    // The batch's booleans, one per row ([B, 1, ...] of one-element rows
    // or elements), as [B] and then with unit axes to the result's rank.
    Value flags =
        mapping.lookup(cast<tensor::ExtractOp>(condition).getTensor());
    auto flagsType = cast<RankedTensorType>(flags.getType());
    if (flagsType.getRank() != 1)
      flags = tensor::CollapseShapeOp::create(
          b, loc, flags,
          {llvm::to_vector(llvm::seq<int64_t>(0, flagsType.getRank()))});
    auto type = cast<RankedTensorType>(batchedTypeOf(result, analysis));
    return SelectOp::create(
        b, loc, type, alignBatch(b, loc, flags, type.getRank()),
        mapping.lookupOrDefault(ifTrue), mapping.lookupOrDefault(ifFalse));
  }

  void batch(ForOp loop, RowLoopAnalysis &analysis) {
    OpBuilder b(loop);
    IRMapping mapping;
    batchOps(b, *loop.getBodyBlock(), analysis, mapping);
    for (RowLoopJoin &join : analysis.joins) {
      Value value = join.append.getValue();
      Value batched = mapping.lookup(value);
      Value joined = join.join->getResult(0);
      Location loc = join.join->getLoc();
      bool row = analysis.rowValues.contains(value);
      auto type = cast<RankedTensorType>(batched.getType());
      // The batch's axis 0 and the value's first axis: a unit axis added
      // (rows stacked) or the two joined (elements concatenated).
      // The groups of the larger shape: {0, 1}, then each further axis.
      SmallVector<ReassociationIndices> groups{{0, 1}};
      int64_t larger = row ? type.getRank() + 1 : type.getRank();
      for (int64_t d = 2; d < larger; ++d)
        groups.push_back({d});
      if (isa<ListStackOp>(join.join) && row) {
        SmallVector<int64_t> shape{type.getDimSize(0), 1};
        SmallVector<OpFoldResult> sizes{
            tensor::getMixedSize(b, loc, batched, 0), b.getIndexAttr(1)};
        for (int64_t d = 1; d < type.getRank(); ++d) {
          shape.push_back(type.getDimSize(d));
          sizes.push_back(tensor::getMixedSize(b, loc, batched, d));
        }
        batched = tensor::ExpandShapeOp::create(
            b, loc, RankedTensorType::get(shape, type.getElementType()),
            batched, groups, sizes);
      } else if (isa<ListConcatOp>(join.join) && !row) {
        batched = tensor::CollapseShapeOp::create(b, loc, batched, groups);
      }
      if (batched.getType() != joined.getType())
        batched = tensor::CastOp::create(b, loc, joined.getType(), batched);
      joined.replaceAllUsesWith(batched);
      join.join->erase();
    }
    // The lists it started with, and its bounds (`x.shape[0]`) when
    // nothing else reads them: an enclosing chunk loop's analysis would
    // find the bound's `predict.dim` of its rows.
    SmallVector<Operation *> inits;
    for (Value value : loop->getOperands())
      inits.push_back(value.getDefiningOp());
    loop.erase();
    for (Operation *init : inits)
      if (init && isOpTriviallyDead(init))
        init->erase();
  }
};

struct BatchLoops : predict::impl::PredictBatchLoopsBase<BatchLoops> {
  using PredictBatchLoopsBase::PredictBatchLoopsBase;

  void runOnOperation() override {
    // Inner loops first: a chunk loop around a row loop (Keras's predict
    // batches around a call that loops over its rows) is batched once the
    // row loop is.
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
        loop.emitRemark() << "loop batched: each iteration computes "
                          << analysis.rowName() << " from "
                          << analysis.rowName()
                          << " alone; the whole batch is computed at once";
      batchRowLoop(loop, analysis);
    }
  }
};
} // namespace

void mlir::predict::batchRowLoop(ForOp loop, RowLoopAnalysis &analysis) {
  Batcher().batch(loop, analysis);
}
