//===- SplitFunctions.cpp - bound the size of the functions LLVM sees -----===//
//
// A long function becomes a chain of calls of pieces, one per loop nest,
// that take their weights and output tensors as arguments: layers of one
// shape make identical pieces (merged later by upstream's
// duplicate-function-elimination), and the caller allocates every buffer
// that crosses a call, so that deallocation sees only its own allocations.
// docs/Pipeline.md, stage 3, says why.
//
//===----------------------------------------------------------------------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTSPLITFUNCTIONS
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// Operations in `op`, itself included.
int64_t weight(Operation *op) {
  int64_t n = 0;
  op->walk([&](Operation *) { ++n; });
  return n;
}

/// A constant without operands: cloned into each piece that reads it, so
/// that weights are not passed (and kept alive) across the whole function.
bool isFreeConstant(Operation *op) {
  return op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         op->hasTrait<OpTrait::ConstantLike>();
}

/// A constant of several distinct elements (a layer's weights): passed to
/// the pieces that read it rather than cloned into them, so that two layers
/// of one shape make identical pieces.
bool isWeights(Operation *op) {
  if (!isFreeConstant(op))
    return false;
  auto value = op->getAttrOfType<ElementsAttr>("value");
  return value && !value.isSplat();
}

/// An operation that stays in the caller: pure, without regions, computing
/// sizes or scalars (no tensor or vector data), or an empty tensor (a
/// destination, allocated by the caller and passed to the piece that
/// writes it).
bool staysInCaller(Operation *op) {
  if (op->getNumRegions() != 0 || !isMemoryEffectFree(op))
    return false;
  if (isa<tensor::EmptyOp, tensor::DimOp>(op))
    return true;
  return llvm::none_of(op->getResultTypes(),
                       [](Type type) { return isa<ShapedType>(type); });
}

/// The tensors `op` writes in place: its destinations, or the initial values
/// of a loop's carried values.
SmallVector<Value> destinations(Operation *op) {
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return SmallVector<Value>(loop.getInitArgs());
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
    return SmallVector<Value>(dps.getDpsInits());
  return {};
}

struct SplitFunctions
    : predict::impl::PredictSplitFunctionsBase<SplitFunctions> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs)
      split(func, symbols);
  }

  void split(func::FuncOp func, SymbolTable &symbols) {
    if (maxOps <= 0 || func.isExternal() || !func.getBody().hasOneBlock())
      return;
    Block &body = func.getBody().front();
    if (weight(func) <= maxOps)
      return;

    // Constants first (they have no operands).
    for (Operation &op : llvm::make_early_inc_range(body.without_terminator()))
      if (isFreeConstant(&op))
        op.moveBefore(&body, body.begin());
    // An empty tensor (undefined contents) made where each use needs it: each
    // piece gets destinations of its own, never one shared by two results
    // (One-Shot Bufferize would write both in one buffer, and the caller
    // would take them for two: two Bidirectional layers side by side
    // returned one half twice).
    SmallVector<tensor::EmptyOp> empties(body.getOps<tensor::EmptyOp>());
    for (tensor::EmptyOp empty : empties) {
      for (OpOperand &use : llvm::make_early_inc_range(empty->getUses())) {
        Operation *user = body.findAncestorOpInBlock(*use.getOwner());
        OpBuilder builder(user);
        use.set(builder.clone(*empty)->getResult(0));
      }
      empty->erase();
    }

    // A piece per loop nest: an operation with regions, the operations that
    // write in place into what it made (the loop over a partial last tile),
    // and the operations of data between it and the next. Straight-line
    // code without loops is cut every `maxOps` operations. What computes
    // only sizes and scalars stays in the caller, unless it reads a value
    // of the piece under way.
    SmallVector<SmallVector<Operation *>> pieces(1);
    llvm::SmallPtrSet<Operation *, 32> current;
    bool hasLoop = false;
    int64_t size = 0;
    auto inCurrent = [&](Value v) {
      Operation *def = v.getDefiningOp();
      return def && current.contains(def);
    };
    for (Operation &op : body.without_terminator()) {
      if (isFreeConstant(&op))
        continue;
      bool readsCurrent = llvm::any_of(op.getOperands(), inCurrent);
      if (staysInCaller(&op) && !readsCurrent)
        continue;
      bool inPlace = llvm::any_of(destinations(&op), inCurrent);
      bool isLoop = op.getNumRegions() != 0;
      if (!pieces.back().empty() && !inPlace &&
          ((hasLoop && !staysInCaller(&op)) || size >= maxOps)) {
        pieces.emplace_back();
        current.clear();
        hasLoop = false;
        size = 0;
      }
      pieces.back().push_back(&op);
      current.insert(&op);
      hasLoop |= isLoop;
      size += weight(&op);
    }
    if (pieces.back().empty())
      pieces.pop_back();
    unsigned index = 0;
    for (ArrayRef<Operation *> piece : pieces)
      outline(func, body, piece, index++, symbols);
  }

  void outline(func::FuncOp func, Block &body, ArrayRef<Operation *> piece,
               unsigned index, SymbolTable &symbols) {
    llvm::SmallPtrSet<Operation *, 32> inPiece(piece.begin(), piece.end());
    // The top-level operation of `body` that holds `op` is in the piece.
    auto insidePiece = [&](Operation *op) {
      Operation *top = body.findAncestorOpInBlock(*op);
      return top && inPiece.contains(top);
    };
    auto definedInside = [&](Value v) {
      Operation *def = v.getDefiningOp();
      if (!def)
        def = v.getParentBlock()->getParentOp();
      return def != func.getOperation() && insidePiece(def);
    };

    // What stays in the caller between the piece's operations reads nothing
    // of the piece: it moves before the call.
    for (Operation *op = piece.front(); op != piece.back();) {
      Operation *next = op->getNextNode();
      if (!inPiece.contains(op))
        op->moveBefore(piece.front());
      op = next;
    }

    // What the piece reads from before it, and what is read of it after.
    llvm::SetVector<Value> inputs;
    llvm::SetVector<Operation *> constants;
    for (Operation *top : piece)
      top->walk([&](Operation *op) {
        for (Value v : op->getOperands()) {
          if (definedInside(v))
            continue;
          Operation *def = v.getDefiningOp();
          if (def && isFreeConstant(def) && !isWeights(def))
            constants.insert(def);
          else
            inputs.insert(v);
        }
      });
    SmallVector<Value> outputs;
    for (Operation *top : piece)
      for (Value result : top->getResults())
        if (llvm::any_of(result.getUsers(),
                         [&](Operation *user) { return !insidePiece(user); }))
          outputs.push_back(result);

    OpBuilder builder(func);
    builder.setInsertionPointAfter(func);
    Location loc = piece.front()->getLoc();
    auto type = builder.getFunctionType(TypeRange(inputs.getArrayRef()),
                                        TypeRange(outputs));
    auto callee = func::FuncOp::create(
        builder, loc, (func.getSymName() + "_part" + Twine(index)).str(),
        type);
    callee.setPrivate();
    // LLVM would inline a private function called once: the point is that
    // it does not. (func-to-llvm carries `passthrough` over to llvm.func.)
    callee->setAttr("passthrough",
                    builder.getArrayAttr({builder.getStringAttr("noinline")}));
    symbols.insert(callee);

    Block *entry = callee.addEntryBlock();
    IRMapping map;
    for (auto [input, arg] : llvm::zip(inputs, entry->getArguments()))
      map.map(input, arg);
    builder.setInsertionPointToStart(entry);
    for (Operation *constant : constants)
      builder.clone(*constant, map);
    for (Operation *top : piece)
      builder.clone(*top, map);
    SmallVector<Value> returned;
    for (Value output : outputs)
      returned.push_back(map.lookup(output));
    func::ReturnOp::create(builder, loc, returned);

    builder.setInsertionPoint(piece.front());
    auto call = func::CallOp::create(builder, loc, callee,
                                     inputs.getArrayRef());
    for (auto [output, result] : llvm::zip(outputs, call.getResults()))
      output.replaceAllUsesWith(result);
    for (Operation *top : llvm::reverse(piece))
      top->erase();
    for (Operation *constant : constants)
      if (constant->use_empty())
        constant->erase();
  }
};
} // namespace
