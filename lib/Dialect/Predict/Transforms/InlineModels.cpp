//===- InlineModels.cpp - inline method calls and layers, drop models -----===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTINLINEMODELS
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

namespace {
/// The method a call op runs, or null.
MethodOp calleeOf(Operation *call) {
  return TypeSwitch<Operation *, MethodOp>(call)
      .Case<ModelCallOp, ModelPredictOp, MethodCallOp>(
          [](auto op) { return op.resolveMethod(); })
      .Default([](Operation *) { return MethodOp(); });
}

/// `value` as type `type`, through a cast when the two differ (they are
/// compatible: the verifier checked it).
Value castTo(OpBuilder &builder, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(builder, loc, type, value);
}

struct InlineModels : predict::impl::PredictInlineModelsBase<InlineModels> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(checkNoRecursion(module)))
      return signalPassFailure();

    // Resolve every symbol where it stands before anything moves: once a
    // method's body is inlined into a free function, `@dense1` would no
    // longer name the model's layer.
    DenseMap<Operation *, MethodOp> callees;
    DenseMap<Operation *, LayerOpInterface> layers;
    module.walk([&](Operation *op) {
      if (auto apply = dyn_cast<ApplyOp>(op))
        layers[op] = apply.resolveLayer();
      else if (MethodOp method = calleeOf(op))
        callees[op] = method;
    });

    // Inline outermost calls first; a clone inherits the resolution of the
    // op it was cloned from.
    SmallVector<Operation *> worklist;
    for (auto func : module.getOps<func::FuncOp>())
      func.walk([&](Operation *op) {
        if (callees.count(op) || layers.count(op))
          worklist.push_back(op);
      });
    while (!worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      if (auto apply = dyn_cast<ApplyOp>(op)) {
        inlineApply(apply, layers.lookup(op));
        continue;
      }
      inlineCall(op, callees.lookup(op), callees, layers, worklist);
    }

    for (auto model : llvm::make_early_inc_range(module.getOps<ModelOp>()))
      model.erase();
  }

  void inlineApply(ApplyOp apply, LayerOpInterface layer) {
    OpBuilder builder(apply);
    Value result = layer.buildApply(builder, apply.getLoc(), apply.getInput(),
                                    apply.getResult().getType());
    apply.getResult().replaceAllUsesWith(result);
    apply.erase();
  }

  void inlineCall(Operation *call, MethodOp method,
                  DenseMap<Operation *, MethodOp> &callees,
                  DenseMap<Operation *, LayerOpInterface> &layers,
                  SmallVectorImpl<Operation *> &worklist) {
    OpBuilder builder(call);
    Block &body = method.getBody().front();
    IRMapping mapping;
    for (auto [arg, operand] :
         llvm::zip_equal(body.getArguments(), call->getOperands()))
      mapping.map(arg, castTo(builder, call->getLoc(), operand, arg.getType()));
    for (Operation &op : body.without_terminator()) {
      Operation *clone = builder.clone(op, mapping);
      // Record the resolution of every call and layer in the clone.
      SmallVector<Operation *> originals, copies;
      op.walk([&](Operation *o) { originals.push_back(o); });
      clone->walk([&](Operation *o) { copies.push_back(o); });
      for (auto [original, copy] : llvm::zip_equal(originals, copies)) {
        if (MethodOp m = callees.lookup(original)) {
          callees[copy] = m;
          worklist.push_back(copy);
        } else if (LayerOpInterface l = layers.lookup(original)) {
          layers[copy] = l;
          worklist.push_back(copy);
        }
      }
    }
    auto ret = cast<ReturnOp>(body.getTerminator());
    for (auto [result, value] :
         llvm::zip_equal(call->getResults(), ret.getOperands()))
      result.replaceAllUsesWith(castTo(builder, call->getLoc(),
                                       mapping.lookup(value), result.getType()));
    call->erase();
  }

  /// Methods that call themselves, directly or not, cannot be inlined.
  LogicalResult checkNoRecursion(ModuleOp module) {
    DenseMap<MethodOp, SmallVector<Operation *>> calls;
    module.walk([&](Operation *op) {
      if (MethodOp callee = calleeOf(op))
        if (auto caller = op->getParentOfType<MethodOp>())
          calls[caller].push_back(op);
    });
    // Depth-first search with an explicit stack (a chain of methods as long
    // as the input is must not take the compiler's stack); `onPath` holds
    // the methods being explored, each with the next call to follow.
    llvm::SetVector<MethodOp> onPath;
    DenseSet<MethodOp> done;
    auto visit = [&](MethodOp root) -> LogicalResult {
      if (done.contains(root))
        return success();
      SmallVector<std::pair<MethodOp, unsigned>> stack = {{root, 0}};
      onPath.insert(root);
      while (!stack.empty()) {
        auto &[method, next] = stack.back();
        auto it = calls.find(method);
        if (it == calls.end() || next == it->second.size()) {
          onPath.remove(method);
          done.insert(method);
          stack.pop_back();
          continue;
        }
        Operation *call = it->second[next++];
        MethodOp callee = calleeOf(call);
        if (onPath.contains(callee)) {
          InFlightDiagnostic diag =
              call->emitError()
              << "recursive call of method '@" << callee.getModel().getSymName()
              << "::@" << callee.getSymName()
              << "' cannot be compiled: predict inlines every method call; "
                 "rewrite the recursion as a loop";
          diag.attachNote(callee.getLoc()) << "the method called recursively";
          return failure();
        }
        if (done.contains(callee))
          continue;
        onPath.insert(callee);
        stack.push_back({callee, 0});
      }
      return success();
    };
    // Methods in program order: the same cycle is reported the same way on
    // every run.
    WalkResult result = module.walk([&](MethodOp method) {
      return failed(visit(method)) ? WalkResult::interrupt()
                                   : WalkResult::advance();
    });
    return failure(result.wasInterrupted());
  }
};
} // namespace
