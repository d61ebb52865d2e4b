//===- ShapeInference.cpp - refine result types, report mismatches --------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

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
    bool failed = false;
    // Pre-order visits an op before the ops nested in it and, within a block,
    // definitions before their uses, so operands are refined before users.
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      auto iface = dyn_cast<ShapeInferenceOpInterface>(op);
      if (!iface)
        return;
      // An operand cast to a less precise type (as a rewrite that kept its
      // old result type leaves) is read through: the op sees what is known.
      for (OpOperand &operand : op->getOpOperands()) {
        auto cast = operand.get().getDefiningOp<tensor::CastOp>();
        if (cast && meetTypes(cast.getSource().getType(), cast.getType()) ==
                        cast.getSource().getType())
          operand.set(cast.getSource());
      }
      SmallVector<Type> inferred;
      if (mlir::failed(iface.inferResultTypes(inferred))) {
        failed = true;
        return;
      }
      for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred))
        failed |= mlir::failed(refine(op, result, type));
    });
    if (failed)
      return signalPassFailure();
    if (refineSignatures)
      getOperation()->walk([](func::FuncOp func) { refineResults(func); });
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
    for (OpOperand &use : llvm::make_early_inc_range(result.getUses())) {
      Operation *user = use.getOwner();
      if (acceptsRefinedOperand(user))
        continue;
      OpBuilder builder(user);
      use.set(tensor::CastOp::create(builder, op->getLoc(), old, result));
    }
    return success();
  }
};
} // namespace
