//===- LoopAnalysis.h - is a Python loop row-independent? ---------*- C++ -*-===//
//
// Shared by predict-batch-loops, which batches the loops it proves
// row-independent, and predict-explain, which reports why others are not.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_PREDICT_TRANSFORMS_LOOPANALYSIS_H
#define LIB_DIALECT_PREDICT_TRANSFORMS_LOOPANALYSIS_H

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::predict {

struct RowLoopJoin {
  unsigned index;        // iter_arg of the list
  ListAppendOp append;   // its append
  ListConcatOp concat;   // the join along axis 0
};

/// A short description of `op` for remarks.
inline std::string describe(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "'" << op->getName() << "'";
  if (auto call = dyn_cast<ForeignCallOp>(op))
    os << " ('" << call.getCallee() << "')";
  return text;
}

/// A name for a loop-carried value: the variable name a front end put in
/// its location, or its position.
inline std::string carriedName(ForOp loop, unsigned index) {
  Value init = loop.getInitArgs()[index];
  if (Operation *def = init.getDefiningOp())
    if (auto name = dyn_cast<NameLoc>(def->getLoc()))
      return "'" + name.getName().str() + "'";
  return "loop-carried value #" + std::to_string(index);
}

/// Decides whether a Python loop is row-independent (see
/// predict-batch-loops), and if not, why.
class RowLoopAnalysis {
public:
  explicit RowLoopAnalysis(ForOp loop) : loop(loop) {}

  /// Proves the loop row-independent, or says why it is not.
  LogicalResult run(std::string &why) {
    APInt start, step;
    auto dim = loop.getStop().getDefiningOp<DimOp>();
    if (!matchPattern(loop.getStart(), m_ConstantInt(&start)) || !start.isZero() ||
        !matchPattern(loop.getStep(), m_ConstantInt(&step)) || !step.isOne() ||
        !dim || dim.getAxis() != 0 || loop->isAncestor(dim)) {
      why = "it does not run over range(x.shape[0]) for a tensor x";
      return failure();
    }
    rows = dim.getInput();
    if (failed(checkCarried(why)) || failed(checkBody(why)))
      return failure();
    return success();
  }

  Value rows;
  SmallVector<RowLoopJoin> joins;
  DenseSet<Value> rowValues;      // values that are row i of something
  DenseSet<Operation *> indexOps; // i + 1, used only to select row i

  /// `x[i:i+1]` along axis 0 of the tensor the loop runs over.
  bool isRowSlice(SliceOp slice) {
    Value i = loop.getInductionVar();
    APInt one;
    auto next = slice.getStop().getDefiningOp<arith::AddIOp>();
    return slice.getInput() == rows && slice.getAxis() == 0 &&
           slice.getStart() == i && next &&
           ((next.getLhs() == i && matchPattern(next.getRhs(), m_ConstantInt(&one))) ||
            (next.getRhs() == i && matchPattern(next.getLhs(), m_ConstantInt(&one)))) &&
           one.isOne();
  }

private:
  LogicalResult checkCarried(std::string &why) {
    auto yield = cast<YieldOp>(loop.getBodyBlock()->getTerminator());
    for (auto [index, type] : llvm::enumerate(loop.getInitArgs().getTypes())) {
      if (!isa<ListType>(type)) {
        why = "iteration i reads " + carriedName(loop, index) +
              ", carried from iteration i-1";
        return failure();
      }
      BlockArgument arg = loop.getRegionIterArgs()[index];
      auto append = yield.getValues()[index].getDefiningOp<ListAppendOp>();
      Value result = loop.getResult(index);
      if (!loop.getInitArgs()[index].getDefiningOp<ListEmptyOp>() || !append ||
          append.getList() != arg || !arg.hasOneUse() || !append->hasOneUse() ||
          append->getBlock() != loop.getBodyBlock() || !result.hasOneUse()) {
        why = "its list is not an empty list appended to once per iteration "
              "and joined once after the loop";
        return failure();
      }
      auto concat = dyn_cast<ListConcatOp>(*result.getUsers().begin());
      auto element = dyn_cast<RankedTensorType>(append.getValue().getType());
      if (!concat || !element ||
          normalizeAxis(concat.getAxis(), element.getRank()) != 0) {
        why = "its results are not joined with tf.concat along axis 0";
        return failure();
      }
      joins.push_back({unsigned(index), append, concat});
    }
    return success();
  }

  bool isRow(Value value) { return rowValues.contains(value); }

  /// Whether `op`, with some row operands, computes each row from that row
  /// alone: the op says so through RowWiseOpInterface (operands that are
  /// not rows are the same in every iteration).
  bool rowWise(Operation *op) {
    auto rowWiseOp = dyn_cast<RowWiseOpInterface>(op);
    return rowWiseOp &&
           rowWiseOp.isRowWise([&](Value value) { return isRow(value); });
  }

  LogicalResult checkBody(std::string &why) {
    Value i = loop.getInductionVar();
    // Nested regions first, so that the remark names the branch or loop
    // rather than an op that reads its condition.
    for (Operation &op : loop.getBodyBlock()->without_terminator()) {
      if (op.getNumRegions()) {
        // A branch decided at run time (scf.if of an `if` statement) is
        // not batched: its condition may differ from row to row.
        bool branch = op.getName().getStringRef() == "scf.if";
        why = (branch ? "its body branches at run time ("
                      : "its body contains a nested loop (") +
              describe(&op) + ")";
        return failure();
      }
    }
    for (Operation &op : loop.getBodyBlock()->without_terminator()) {
      if (auto append = dyn_cast<ListAppendOp>(op)) {
        if (!isRow(append.getValue())) {
          why = "it appends a value that does not depend on row i";
          return failure();
        }
        continue;
      }
      if (auto add = dyn_cast<arith::AddIOp>(op);
          add && llvm::is_contained(add->getOperands(), i)) {
        indexOps.insert(add);
        continue;
      }
      if (auto slice = dyn_cast<SliceOp>(op); slice && isRowSlice(slice)) {
        rowValues.insert(slice.getResult());
        continue;
      }
      bool usesIndex = llvm::any_of(op.getOperands(), [&](Value v) {
        return v == i || (v.getDefiningOp() && indexOps.contains(v.getDefiningOp()));
      });
      if (usesIndex) {
        why = "iteration i uses i other than to select row i (" +
              describe(&op) + ")";
        return failure();
      }
      if (!isMemoryEffectFree(&op)) {
        why = describe(&op) + " must run once per iteration";
        return failure();
      }
      bool dependsOnRow = llvm::any_of(op.getOperands(),
                                       [&](Value v) { return isRow(v); });
      if (!dependsOnRow)
        continue; // the same in every iteration
      if (!rowWise(&op)) {
        why = describe(&op) + " mixes rows or is not row-wise";
        return failure();
      }
      for (Value result : op.getResults()) {
        auto type = dyn_cast<RankedTensorType>(result.getType());
        if (!type || type.getRank() == 0 || type.getDimSize(0) != 1) {
          why = describe(&op) + " does not keep one row";
          return failure();
        }
        rowValues.insert(result);
      }
    }
    for (Operation *index : indexOps)
      for (Operation *user : index->getUsers())
        if (!isa<SliceOp>(user) || !isRow(user->getResult(0))) {
          why = "iteration i uses i + 1 other than to select row i";
          return failure();
        }
    return success();
  }

  ForOp loop;
};

} // namespace mlir::predict

#endif // LIB_DIALECT_PREDICT_TRANSFORMS_LOOPANALYSIS_H
