//===- ShapeInference.cpp - refine result types, report mismatches --------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTSHAPEINFERENCE
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

namespace {
/// Users that accept any operand type compatible with what they declare, so
/// that a refined operand needs no cast back to the old type.
bool acceptsRefinedOperand(Operation *user) {
  return isa<ShapeInferenceOpInterface, ReturnOp, ListAppendOp>(user);
}

struct ShapeInference
    : predict::impl::PredictShapeInferenceBase<ShapeInference> {
  using PredictShapeInferenceBase::PredictShapeInferenceBase;

  void runOnOperation() override {
    if (failed(inferNested(getOperation())))
      return signalPassFailure();
    if (refineSignatures)
      getOperation()->walk([](func::FuncOp func) { refineResults(func); });
  }

  /// Infers the result types of the ops nested in `root`. Pre-order visits
  /// an op before the ops nested in it and, within a block, definitions
  /// before their uses, so operands are refined before their users.
  LogicalResult inferNested(Operation *root) {
    bool failed = false;
    SmallVector<ForOp> loops;
    root->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (op == root)
        return;
      if (auto loop = dyn_cast<ForOp>(op)) {
        if (refineCarried(loop))
          loops.push_back(loop);
        return;
      }
      auto iface = dyn_cast<ShapeInferenceOpInterface>(op);
      if (!iface)
        return;
      // An operand cast to a less precise type (as a rewrite that kept its
      // old result type leaves) is read through: the op sees what is known.
      for (OpOperand &operand : op->getOpOperands())
        readThroughCast(operand);
      SmallVector<Type> inferred;
      if (mlir::failed(iface.inferResultTypes(inferred))) {
        failed = true;
        return;
      }
      for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred))
        failed |= mlir::failed(refine(op, result, type));
    });
    // Loops whose carried values were refined, once their bodies are.
    for (ForOp loop : llvm::reverse(loops))
      failed |= mlir::failed(finishLoop(loop));
    return failure(failed);
  }

  /// A function that returns `tensor.cast %v : T to U`, with T more precise,
  /// returns %v : T instead.
  static void refineResults(func::FuncOp func) {
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return;
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    SmallVector<Type> results(func.getResultTypes());
    for (OpOperand &operand : ret->getOpOperands()) {
      auto cast = operand.get().getDefiningOp<tensor::CastOp>();
      if (!cast || meetTypes(cast.getSource().getType(),
                             cast.getType()) != cast.getSource().getType())
        continue;
      operand.set(cast.getSource());
      results[operand.getOperandNumber()] = cast.getSource().getType();
    }
    func.setFunctionType(FunctionType::get(
        func.getContext(), func.getArgumentTypes(), results));
  }

  /// What `value` is known to be: the source of a cast to a less precise
  /// type, else itself.
  static Value knownValue(Value value) {
    if (auto cast = value.getDefiningOp<tensor::CastOp>())
      if (meetTypes(cast.getSource().getType(), cast.getType()) ==
          cast.getSource().getType())
        return cast.getSource();
    return value;
  }

  /// Sets `operand` to what it is known to be.
  static void readThroughCast(OpOperand &operand) {
    operand.set(knownValue(operand.get()));
  }

  /// The most precise type both `a` and `b` fit (dims that differ become
  /// dynamic; ranks that differ, unranked); null for other than tensors of
  /// one element type.
  static Type joinTypes(Type a, Type b) {
    if (a == b)
      return a;
    auto ta = dyn_cast<TensorType>(a), tb = dyn_cast<TensorType>(b);
    if (!ta || !tb || ta.getElementType() != tb.getElementType())
      return Type();
    auto element = ta.getElementType();
    auto ra = dyn_cast<RankedTensorType>(a), rb = dyn_cast<RankedTensorType>(b);
    if (!ra || !rb || ra.getRank() != rb.getRank())
      return UnrankedTensorType::get(element);
    SmallVector<int64_t> shape;
    for (auto [x, y] : llvm::zip_equal(ra.getShape(), rb.getShape()))
      shape.push_back(x == y ? x : ShapedType::kDynamic);
    return RankedTensorType::get(shape, element);
  }

  /// What a copy of `loop`, its carried values given `types`, yields after
  /// inference; nullopt when inference fails on it.
  std::optional<SmallVector<Type>> trialYield(ForOp loop, ArrayRef<Type> types) {
    IRMapping mapping;
    auto copy = cast<ForOp>(loop->clone(mapping));
    for (auto [arg, type] : llvm::zip_equal(copy.getRegionIterArgs(), types)) {
      Type old = arg.getType();
      arg.setType(type);
      castUsesBack(arg, old, loop.getLoc());
    }
    ScopedDiagnosticHandler quiet(loop.getContext(),
                                  [](Diagnostic &) { return success(); });
    std::optional<SmallVector<Type>> yields;
    if (succeeded(inferNested(copy))) {
      yields.emplace();
      for (Value v : copy.getBodyBlock()->getTerminator()->getOperands())
        yields->push_back(knownValue(v).getType());
    }
    copy->erase();
    return yields;
  }

  /// A value carried by a loop is known as precisely as its initial value
  /// (a foreign call before the loop, rewritten, say) and what the body
  /// yields: a copy of the loop is inferred with the initial types, widened
  /// where the body yields something less precise, until it yields what it
  /// receives. Only then are the carried types refined, so that the loop
  /// never assumes more than every iteration gives. Returns whether anything
  /// was refined.
  bool refineCarried(ForOp loop) {
    SmallVector<Type> olds, types;
    for (auto [operand, arg] :
         llvm::zip_equal(loop.getInitArgs(), loop.getRegionIterArgs())) {
      olds.push_back(arg.getType());
      Type refined = meetTypes(arg.getType(), knownValue(operand).getType());
      types.push_back(refined ? refined : arg.getType());
    }
    if (types == olds)
      return false;
    // Each widening makes a type less precise: a fixpoint comes within a
    // few rounds (rank + 1 per value at most).
    for (int round = 0;; ++round) {
      auto yields = trialYield(loop, types);
      if (!yields || round == 8)
        return false;
      bool stable = true;
      for (auto [type, yield] : llvm::zip_equal(types, *yields)) {
        if (meetTypes(yield, type) == yield)
          continue;
        type = joinTypes(type, yield);
        if (!type)
          return false;
        stable = false;
      }
      if (stable)
        break;
    }
    if (types == olds)
      return false;
    for (auto [operand, arg, type, old] :
         llvm::zip_equal(loop.getInitArgsMutable(), loop.getRegionIterArgs(),
                         types, olds)) {
      if (type == old)
        continue;
      readThroughCast(operand);
      if (operand.get().getType() != type) {
        OpBuilder builder(loop);
        operand.set(tensor::CastOp::create(builder, loop.getLoc(), type,
                                           operand.get()));
      }
      arg.setType(type);
      castUsesBack(arg, old, loop.getLoc());
    }
    return true;
  }

  LogicalResult finishLoop(ForOp loop) {
    Operation *yield = loop.getBodyBlock()->getTerminator();
    for (auto [i, arg] : llvm::enumerate(loop.getRegionIterArgs())) {
      OpResult result = loop->getResult(i);
      Type carried = arg.getType();
      if (result.getType() == carried)
        continue;
      OpOperand &yielded = yield->getOpOperand(i);
      readThroughCast(yielded);
      Type type = yielded.get().getType();
      // The trial in refineCarried made sure of this.
      if (meetTypes(type, carried) != type)
        return loop.emitOpError()
               << "carries a value of type " << carried
               << " into the loop but yields " << type
               << " after an iteration (internal error: please report)";
      if (type != carried) {
        OpBuilder builder(yield);
        yielded.set(tensor::CastOp::create(builder, yield->getLoc(), carried,
                                           yielded.get()));
      }
      if (mlir::failed(refine(loop, result, carried)))
        return failure();
    }
    return success();
  }

  /// Users of `value`, now more precise than `old`, that need `old` get a
  /// cast back to it.
  static void castUsesBack(Value value, Type old, Location loc) {
    for (OpOperand &use : llvm::make_early_inc_range(value.getUses())) {
      Operation *user = use.getOwner();
      if (acceptsRefinedOperand(user))
        continue;
      OpBuilder builder(user);
      use.set(tensor::CastOp::create(builder, loc, old, value));
    }
  }

  LogicalResult refine(Operation *op, OpResult result, Type inferred) {
    Type old = result.getType();
    Type refined = meetTypes(old, inferred);
    if (!refined)
      return op->emitOpError()
             << "result #" << result.getResultNumber() << " is declared "
             << old << " but its operands imply " << inferred;
    if (refined == old)
      return success();
    if (emitRemarks)
      op->emitRemark() << "refined result #" << result.getResultNumber()
                       << " from " << old << " to " << refined;
    result.setType(refined);
    castUsesBack(result, old, op->getLoc());
    return success();
  }
};
} // namespace
