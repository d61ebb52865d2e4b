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

  void batch(ForOp loop, RowLoopAnalysis &analysis) {
    OpBuilder b(loop);
    IRMapping mapping;
    for (Operation &op : loop.getBodyBlock()->without_terminator()) {
      if (isa<ListAppendOp>(op) || analysis.indexOps.contains(&op))
        continue;
      if (auto slice = dyn_cast<SliceOp>(op);
          slice && analysis.isRowSlice(slice)) {
        mapping.map(slice.getResult(), analysis.rows);
        continue;
      }
      Operation *clone = b.clone(op, mapping);
      for (Value result : clone->getResults())
        if (analysis.rowValues.contains(
                op.getResult(cast<OpResult>(result).getResultNumber())))
          result.setType(batchedType(result.getType(), analysis.rows));
    }
    for (RowLoopJoin &join : analysis.joins) {
      Value batched = mapping.lookup(join.append.getValue());
      Type type = join.concat.getResult().getType();
      if (batched.getType() != type)
        batched = tensor::CastOp::create(b, join.concat.getLoc(), type, batched);
      join.concat.getResult().replaceAllUsesWith(batched);
      join.concat.erase();
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
