//===- SplitFunctions.cpp - bound the size of the functions LLVM sees -----===//

#include "Outlining.h"
#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTSPLITFUNCTIONS
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// Operations in `op`, itself included; a call weighs one more per operand
/// and result, which bufferization, deallocation and the lowering of its
/// buffers to descriptors each expand (a function of 300 calls of a shared
/// kernel took quadratic time in the deallocation's simplification).
int64_t weight(Operation *op) {
  int64_t n = 0;
  op->walk([&](Operation *inner) {
    n += isa<CallOpInterface>(inner)
             ? 1 + inner->getNumOperands() + inner->getNumResults()
             : 1;
  });
  return n;
}

struct SplitFunctions
    : predict::impl::PredictSplitFunctionsBase<SplitFunctions> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs)
      if (failed(split(func, symbols)))
        return signalPassFailure();
  }

  LogicalResult split(func::FuncOp func, SymbolTable &symbols) {
    if (maxOps <= 0 || func.isExternal() || !func.getBody().hasOneBlock())
      return success();
    Block &body = func.getBody().front();
    if (weight(func) <= maxOps)
      return success();

    // Constants first (they have no operands), so that the rest is one
    // contiguous sequence to cut.
    for (Operation &op : llvm::make_early_inc_range(body.without_terminator()))
      if (predict::isFreeConstant(&op))
        op.moveBefore(&body, body.begin());
    // An empty tensor (undefined contents) made where each use needs it,
    // and never cut from its use below: passed between pieces, it would be
    // a result that One-Shot Bufferize may write in place (its contents
    // are not read) while another result of the piece shares its buffer,
    // and the caller would see the two as distinct buffers.
    SmallVector<tensor::EmptyOp> empties(body.getOps<tensor::EmptyOp>());
    for (tensor::EmptyOp empty : empties) {
      for (OpOperand &use : llvm::make_early_inc_range(empty->getUses())) {
        Operation *user = body.findAncestorOpInBlock(*use.getOwner());
        OpBuilder builder(user);
        use.set(builder.clone(*empty)->getResult(0));
      }
      empty->erase();
    }

    // Consecutive pieces of about maxOps operations; the last piece stays
    // in the function (it returns), as does a piece of one operation.
    SmallVector<SmallVector<Operation *>> pieces(1);
    int64_t current = 0;
    for (Operation &op : body.without_terminator()) {
      if (predict::isFreeConstant(&op))
        continue;
      pieces.back().push_back(&op);
      current += weight(&op);
      if (current >= maxOps && !isa<tensor::EmptyOp>(op)) {
        pieces.emplace_back();
        current = 0;
      }
    }
    pieces.pop_back();
    unsigned index = 0;
    for (ArrayRef<Operation *> piece : pieces)
      if (piece.size() > 1)
        outline(func, piece, index++, symbols);
    return success();
  }

  void outline(func::FuncOp func, ArrayRef<Operation *> piece, unsigned index,
               SymbolTable &symbols) {
    // Constants are made in the piece rather than passed, so that weights
    // are not kept alive across the whole function.
    predict::OutlinedOps outlined =
        predict::readsOf(piece, predict::isFreeConstant);
    OpBuilder builder(func);
    builder.setInsertionPointAfter(func);
    auto callee = predict::toFunction(
        builder, piece.front()->getLoc(),
        (func.getSymName() + "_part" + Twine(index)).str(), outlined);
    callee.setPrivate();
    // LLVM would inline a private function called once: the point is that
    // it does not. (func-to-llvm carries `passthrough` over to llvm.func.)
    callee->setAttr("passthrough",
                    builder.getArrayAttr({builder.getStringAttr("noinline")}));
    symbols.insert(callee);
    predict::replaceByCall(outlined, callee);
  }
};
} // namespace
