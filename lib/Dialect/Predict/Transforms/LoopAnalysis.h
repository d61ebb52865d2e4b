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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::predict {

struct RowLoopJoin {
  unsigned index;      // iter_arg of the list
  ListAppendOp append; // its append
  Operation *join;     // the join along axis 0: list.concat of rows,
                       // list.stack of elements
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
    if (!matchPattern(loop.getStart(), m_ConstantInt(&start)) ||
        !start.isZero() ||
        !matchPattern(loop.getStep(), m_ConstantInt(&step)) ||
        !step.isStrictlyPositive() || !(rows = rowsOfStop())) {
      why = "it does not run over range(x.shape[0]) or range(0, "
            "x.shape[0], k) for a tensor x";
      return failure();
    }
    chunk = step.getSExtValue();
    collectCheckedRows();
    if (failed(checkCarried(why)) || failed(checkBody(why)))
      return failure();
    return success();
  }

  Value rows;
  /// Rows per iteration: 1 for a row loop (`x[i:i+1]`, `x[i]`), k for a loop
  /// over `range(0, x.shape[0], k)` that reads `x[i:i+k]` (Keras's predict
  /// in batches of k, or a user's own batching). A chunk's rows are "rows"
  /// below: row-wise ops on them give the same rows as on the batch.
  int64_t chunk = 1;
  /// Tensors checked at run time to have the rows of `rows`.
  DenseSet<Value> checkedRows;
  SmallVector<RowLoopJoin> joins;
  DenseSet<Value> rowValues;      // values that are row i of something
  DenseSet<Value> elementValues;  // ... without their batch axis (x[i])
  DenseSet<Operation *> indexOps; // i + 1, used only to select row i
  DenseSet<Operation *> forwards; // row slices and reshapes whose batch is
                                  // their operand's
  /// `tensor.extract` of the one boolean of a row or an element, read only
  /// as branch conditions: on the batch, a boolean per row.
  DenseSet<Operation *> rowConditions;

  /// `x[i:i+k]` along axis 0 of the tensor the loop runs over, k the
  /// loop's step (`x[i:i+1]` for a row loop).
  bool isRowSlice(SliceOp slice) {
    Value i = loop.getInductionVar();
    APInt k;
    auto next = slice.getStop().getDefiningOp<arith::AddIOp>();
    return sameRows(slice.getInput()) && slice.getAxis() == 0 &&
           slice.getStart() == i && next &&
           ((next.getLhs() == i &&
             matchPattern(next.getRhs(), m_ConstantInt(&k))) ||
            (next.getRhs() == i &&
             matchPattern(next.getLhs(), m_ConstantInt(&k)))) &&
           k == chunk;
  }

  /// The tensor whose rows the loop's stop counts: `x` of `predict.dim x,
  /// 0` defined before the loop; or, for a constant stop (`x.shape[0]`
  /// folded on a static axis), the tensor defined before the loop with that
  /// many rows that the body slices from `i` along axis 0. Null otherwise.
  Value rowsOfStop() {
    if (auto dim = loop.getStop().getDefiningOp<DimOp>())
      return dim.getAxis() == 0 && !loop->isAncestor(dim) ? dim.getInput()
                                                          : Value();
    APInt stop;
    if (!matchPattern(loop.getStop(), m_ConstantInt(&stop)))
      return {};
    for (Operation &op : loop.getBodyBlock()->without_terminator()) {
      auto slice = dyn_cast<SliceOp>(op);
      auto type = slice ? dyn_cast<RankedTensorType>(slice.getInput().getType())
                        : RankedTensorType();
      if (type && slice.getAxis() == 0 &&
          slice.getStart() == loop.getInductionVar() && type.getRank() > 0 &&
          type.getDimSize(0) == stop.getSExtValue() &&
          !loop->isAncestor(slice.getInput().getParentBlock()->getParentOp()))
        return slice.getInput();
    }
    return {};
  }

  /// Whether `value` has the rows of the tensor the loop runs over: it is
  /// that tensor, both have the same static number, or a run-time check before
  /// the loop stops the program unless both have as many rows
  /// (`checkedRows`). Slices `value[i:i+k]` are then rows of the same batch.
  bool sameRows(Value value) {
    if (value == rows || checkedRows.contains(value))
      return true;
    auto a = dyn_cast<RankedTensorType>(rows.getType());
    auto b = dyn_cast<RankedTensorType>(value.getType());
    return a && b && a.getRank() > 0 && b.getRank() > 0 && !a.isDynamicDim(0) &&
           a.getDimSize(0) == b.getDimSize(0);
  }

  /// The tensors a `predict.assert` of `dim(rows, 0) == dim(t, 0)` before
  /// the loop, in its block, checks (as Keras's predict of several inputs
  /// requires), read once per loop.
  void collectCheckedRows() {
    auto leadingOf = [](Value size) {
      auto dim = size.getDefiningOp<DimOp>();
      return dim && dim.getAxis() == 0 ? dim.getInput() : Value();
    };
    for (Operation *op = loop->getPrevNode(); op; op = op->getPrevNode()) {
      auto check = dyn_cast<AssertOp>(op);
      auto equal = check ? check.getCondition().getDefiningOp<arith::CmpIOp>()
                         : arith::CmpIOp();
      if (!equal || equal.getPredicate() != arith::CmpIPredicate::eq)
        continue;
      Value a = leadingOf(equal.getLhs()), b = leadingOf(equal.getRhs());
      if (a && b && (a == rows || b == rows))
        checkedRows.insert(a == rows ? b : a);
    }
  }

  /// Whether `type` can be rows of the iteration: one row (leading size
  /// 1) in a row loop; in a chunk loop, a leading size known only at run
  /// time (the last chunk is shorter).
  bool holdsRows(Type type) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (!ranked || ranked.getRank() == 0)
      return false;
    return chunk == 1 ? ranked.getDimSize(0) == 1 : ranked.isDynamicDim(0);
  }

  /// What an iteration reads of the tensor it runs over, for remarks.
  std::string rowName() const {
    return chunk == 1 ? "row i" : "x[i:i+" + std::to_string(chunk) + "]";
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
      Operation *join = *result.getUsers().begin();
      auto element = dyn_cast<RankedTensorType>(append.getValue().getType());
      auto concat = dyn_cast<ListConcatOp>(join);
      auto stack = dyn_cast<ListStackOp>(join);
      if (!element || !((concat && normalizeAxis(concat.getAxis(),
                                                 element.getRank()) == 0) ||
                        (stack && normalizeAxis(stack.getAxis(),
                                                element.getRank() + 1) == 0))) {
        why = "its results are not joined with tf.concat or tf.stack along "
              "axis 0";
        return failure();
      }
      joins.push_back({unsigned(index), append, join});
    }
    return success();
  }

  bool isRow(Value value) { return rowValues.contains(value); }

  /// What a result that is not rows fails to keep, for remarks.
  const char *keepsWhat() const {
    return chunk == 1 ? " does not keep one row"
                      : " does not keep the chunk's rows";
  }
  bool isElement(Value value) { return elementValues.contains(value); }

  /// Whether `op`, with some row operands, computes each row from that row
  /// alone: the op says so through RowWiseOpInterface (operands that are
  /// not rows are the same in every iteration).
  bool rowWise(Operation *op) {
    auto rowWiseOp = dyn_cast<RowWiseOpInterface>(op);
    return rowWiseOp &&
           rowWiseOp.isRowWise([&](Value value) { return isRow(value); });
  }

  /// The same for an op with some element operands (rows without their
  /// batch axis).
  bool rowWiseOnElements(Operation *op) {
    auto rowWiseOp = dyn_cast<RowWiseOpInterface>(op);
    return rowWiseOp && rowWiseOp.isRowWiseOnElements(
                            [&](Value value) { return isElement(value); });
  }

  /// A view (tensor.collapse_shape, expand_shape or extract_slice) of a row
  /// or an element: records its result's kind and returns true, or returns
  /// false for any other op. A unit row with its leading 1 collapsed or
  /// sliced away is an element, an element given a leading 1 a unit row
  /// (the reshapes are the same batch: `forwards`); a view within an
  /// element's axes is an element, one within a unit row's axes after the
  /// first a unit row.
  bool viewOfRow(Operation *op) {
    // A view of a chunk of rows (`c[0]`, a reshape) is no view of the batch.
    if (chunk != 1 || !isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
                           tensor::ExtractSliceOp>(op))
      return false;
    Value source = op->getOperand(0), result = op->getResult(0);
    auto from = cast<RankedTensorType>(source.getType());
    auto to = cast<RankedTensorType>(result.getType());
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
      if (isElement(source)) {
        elementValues.insert(result);
        return true;
      }
      // x[i:i+1][0, ...]: axis 0 of the unit row whole.
      std::optional<int64_t> offset =
          getConstantIntValue(slice.getMixedOffsets()[0]);
      std::optional<int64_t> size =
          getConstantIntValue(slice.getMixedSizes()[0]);
      std::optional<int64_t> stride =
          getConstantIntValue(slice.getMixedStrides()[0]);
      if (!isRow(source) || offset != 0 || size != 1 || stride != 1)
        return false;
      if (slice.getDroppedDims().test(0))
        elementValues.insert(result);
      else
        rowValues.insert(result);
      return true;
    }
    if (isRow(source) && isa<tensor::CollapseShapeOp>(op) &&
        from.getShape().drop_front() == to.getShape()) {
      elementValues.insert(result);
      forwards.insert(op);
      return true;
    }
    if (!isElement(source))
      return false;
    if (isa<tensor::ExpandShapeOp>(op) && to.getRank() == from.getRank() + 1 &&
        to.getDimSize(0) == 1 &&
        to.getShape().drop_front() == from.getShape()) {
      rowValues.insert(result);
      forwards.insert(op);
      return true;
    }
    elementValues.insert(result);
    return true;
  }

  /// A nested loop anywhere in the body (arms of branches too): not
  /// batched. Looked for first, so that the remark names the loop rather
  /// than an op that reads its results.
  static Operation *nestedLoop(Block &block) {
    for (Operation &op : block.without_terminator()) {
      if (!op.getNumRegions())
        continue;
      if (!isa<scf::IfOp>(op))
        return &op;
      for (Region &region : op.getRegions())
        for (Block &inner : region)
          if (Operation *loop = nestedLoop(inner))
            return loop;
    }
    return nullptr;
  }

  /// Checks the ops of `block` (the loop's body, or an arm of a branch in
  /// it) and records which values are rows and elements.
  LogicalResult checkOps(Block &block, std::string &why) {
    Value i = loop.getInductionVar();
    for (Operation &op : block.without_terminator()) {
      if (auto append = dyn_cast<ListAppendOp>(op)) {
        Value value = append.getValue();
        if (!isa<BlockArgument>(append.getList())) {
          // A list of the body's own: the same in every iteration, or not
          // batched.
          if (!isRow(value) && !isElement(value))
            continue;
          why = "its body joins values of " + rowName() +
                " in a list of its own "
                "(tf.stack or tf.concat of [...] inside the loop), which is "
                "not batched yet";
          return failure();
        }
        if (!isRow(value) && !isElement(value)) {
          why = "it appends a value that does not depend on " + rowName();
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
        forwards.insert(slice);
        continue;
      }
      if (auto branch = dyn_cast<scf::IfOp>(op)) {
        if (failed(checkBranch(branch, why)))
          return failure();
        continue;
      }
      if (auto select = dyn_cast<arith::SelectOp>(op);
          select && isa<RankedTensorType>(select.getType())) {
        if (failed(checkChoice(select, select.getCondition(),
                               select.getResult(), select.getTrueValue(),
                               select.getFalseValue(), why)))
          return failure();
        continue;
      }
      if (auto extract = dyn_cast<tensor::ExtractOp>(op);
          extract &&
          (isRow(extract.getTensor()) || isElement(extract.getTensor()))) {
        if (!isRowCondition(extract)) {
          // Name what reads it: a check (an assert, integer division's zero
          // check) or the `and`/`or` of conditions, rather than the extract.
          Operation *reader = nullptr;
          for (Operation *user : extract->getUsers())
            if (!isa<scf::IfOp, arith::SelectOp>(user))
              reader = user;
          why = "it reads one value of " + rowName() + " out of its tensor" +
                (reader ? " for " + describe(reader) : std::string()) +
                ", other than the one boolean of an if on row i";
          return failure();
        }
        rowConditions.insert(extract);
        continue;
      }
      bool usesIndex = llvm::any_of(op.getOperands(), [&](Value v) {
        return v == i || (v.getDefiningOp() && indexOps.contains(v.getDefiningOp()));
      });
      if (usesIndex) {
        why = "iteration i uses i other than to select " + rowName() + " (" +
              describe(&op) + ")";
        return failure();
      }
      if (!isMemoryEffectFree(&op)) {
        why = describe(&op) + " must run once per iteration";
        return failure();
      }
      bool onRows =
          llvm::any_of(op.getOperands(), [&](Value v) { return isRow(v); });
      bool onElements =
          llvm::any_of(op.getOperands(), [&](Value v) { return isElement(v); });
      if (!onRows && !onElements)
        continue; // the same in every iteration
      if (onRows && onElements) {
        why = describe(&op) + " mixes row i with and without its batch axis";
        return failure();
      }
      if (viewOfRow(&op))
        continue;
      if (onElements) {
        if (!rowWiseOnElements(&op)) {
          why = describe(&op) + " mixes rows or is not row-wise on x[i]";
          return failure();
        }
        for (Value result : op.getResults()) {
          if (!isa<RankedTensorType>(result.getType())) {
            why = describe(&op) + " has a result of unknown rank";
            return failure();
          }
          elementValues.insert(result);
        }
        continue;
      }
      if (!rowWise(&op)) {
        why = describe(&op) + " mixes rows or is not row-wise";
        return failure();
      }
      for (Value result : op.getResults()) {
        if (!holdsRows(result.getType())) {
          why = describe(&op) + keepsWhat();
          return failure();
        }
        rowValues.insert(result);
      }
    }
    return success();
  }

  /// `tensor.extract` of a row's or an element's only boolean (`if
  /// tf.reduce_sum(r) > 0:` in tf.map_fn's function), read by branches
  /// alone.
  bool isRowCondition(tensor::ExtractOp extract) {
    Value source = extract.getTensor();
    auto type = cast<RankedTensorType>(source.getType());
    return (isRow(source) || isElement(source)) && type.hasStaticShape() &&
           type.getNumElements() == 1 &&
           llvm::all_of(extract->getUsers(), [&](Operation *user) {
             auto select = dyn_cast<arith::SelectOp>(user);
             return isa<scf::IfOp>(user) ||
                    (select && select.getCondition() == extract.getResult());
           });
  }

  /// A branch in the body (an `if` decided at run time). On a condition
  /// that is the same in every iteration (a run-time size), the branch is
  /// kept around batched arms. On a row's own boolean, rows may take
  /// different arms: both arms are computed for the whole batch and each
  /// result chosen per row (`predict.select`, as TensorFlow's
  /// vectorized_map converts a `tf.cond`). That is only the same as the
  /// loop when the arms cannot fail or have effects for rows that would
  /// not have taken them: every op of an arm passes the body's own checks
  /// (no effects, no assertion; row-wise).
  LogicalResult checkBranch(scf::IfOp branch, std::string &why) {
    for (Region &region : branch->getRegions())
      for (Block &arm : region)
        if (failed(checkOps(arm, why)))
          return failure();
    for (auto [index, result] : llvm::enumerate(branch.getResults()))
      if (failed(checkChoice(branch, branch.getCondition(), result,
                             branch.thenYield().getOperand(index),
                             branch.elseYield().getOperand(index), why)))
        return failure();
    return success();
  }

  /// `result` of `op` (a branch, or an `arith.select` that canonicalization
  /// made of one), `ifTrue` or `ifFalse` by `condition`: records whether
  /// it is a row or an element. Chosen by a row's own boolean, it is one
  /// even when both values are the same in every row, and it must be a
  /// tensor of numbers (what `predict.select` chooses).
  LogicalResult checkChoice(Operation *op, Value condition, Value result,
                            Value ifTrue, Value ifFalse, std::string &why) {
    auto extract = condition.getDefiningOp<tensor::ExtractOp>();
    bool perRow = extract && rowConditions.contains(extract);
    bool row = isRow(ifTrue) || isRow(ifFalse);
    bool element = isElement(ifTrue) || isElement(ifFalse);
    if (perRow && !row && !element) {
      row = isRow(extract.getTensor());
      element = !row;
    }
    if (!row && !element)
      return success();
    bool bothVary = (isRow(ifTrue) || isElement(ifTrue)) &&
                    (isRow(ifFalse) || isElement(ifFalse));
    std::string which =
        " (result #" +
        std::to_string(cast<OpResult>(result).getResultNumber()) + ")";
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (!type ||
        (perRow && !isa<FloatType, IntegerType>(type.getElementType())) ||
        (perRow && type.getElementType().isInteger(1))) {
      why = describe(op) +
            " chooses per row a value that is not a tensor of numbers" + which;
      return failure();
    }
    if (row && element) {
      why =
          describe(op) + " joins row i with and without its batch axis" + which;
      return failure();
    }
    if (row && !holdsRows(type)) {
      why = describe(op) + keepsWhat() + which;
      return failure();
    }
    if (!perRow && !bothVary) {
      // The whole batch from one arm, the same value for every row from
      // the other: that one would have to be broadcast to the batch.
      why = describe(op) + " joins a value of " + rowName() +
            " with one that is the "
            "same for every row" +
            which;
      return failure();
    }
    (row ? rowValues : elementValues).insert(result);
    return success();
  }

  LogicalResult checkBody(std::string &why) {
    if (Operation *nested = nestedLoop(*loop.getBodyBlock())) {
      why = "its body contains a nested loop (" + describe(nested) + ")";
      return failure();
    }
    if (failed(checkOps(*loop.getBodyBlock(), why)))
      return failure();
    // tf.stack of unit rows (`tf.expand_dims(r, 0)`) is the batch with a
    // unit axis after the batch axis; tf.concat of elements along axis 0
    // is the batch with its first two axes joined (BatchLoops reshapes).
    for (RowLoopJoin &join : joins) {
      Value value = join.append.getValue();
      if (chunk != 1 && !(isa<ListConcatOp>(join.join) && isRow(value))) {
        why = "it joins its chunks of rows other than with tf.concat along "
              "axis 0";
        return failure();
      }
      if (isa<ListConcatOp>(join.join) && isElement(value) &&
          cast<RankedTensorType>(value.getType()).getRank() == 0) {
        why = "it concatenates scalars along axis 0";
        return failure();
      }
    }
    for (Operation *index : indexOps)
      for (Operation *user : index->getUsers())
        if (!isa<SliceOp>(user) || !isRow(user->getResult(0))) {
          why = "iteration i uses i + " + std::to_string(chunk) +
                " other than to select " + rowName();
          return failure();
        }
    return success();
  }

  ForOp loop;
};

/// Replaces `loop`, which `analysis` proved row-independent, by the same
/// computation on the whole batch (BatchLoops.cpp); erases the loop.
void batchRowLoop(ForOp loop, RowLoopAnalysis &analysis);

} // namespace mlir::predict

#endif // LIB_DIALECT_PREDICT_TRANSFORMS_LOOPANALYSIS_H
