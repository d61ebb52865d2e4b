//===- ForwardWhileBuffers.cpp - scf.while buffers without copies ---------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTFORWARDWHILEBUFFERS
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// Where the buffer `value` comes from: block arguments and allocations,
/// through memref.cast and both arms of scf.if; false when another op makes
/// it (a view, a call: not followed).
bool rootsOf(Value value, llvm::SmallSetVector<Value, 4> &roots) {
  Operation *def = value.getDefiningOp();
  if (!def || isa<memref::AllocOp>(def)) {
    roots.insert(value);
    return true;
  }
  if (auto cast = dyn_cast<memref::CastOp>(def))
    return rootsOf(cast.getSource(), roots);
  if (auto branch = dyn_cast<scf::IfOp>(def)) {
    unsigned r = cast<OpResult>(value).getResultNumber();
    return branch.elseBlock() &&
           rootsOf(branch.thenYield().getOperand(r), roots) &&
           rootsOf(branch.elseYield().getOperand(r), roots);
  }
  return false;
}

/// Whether the copy of `loop`'s `before` argument `arg` into the buffer
/// its condition forwards at `position` can be dropped (see the pass's
/// description).
bool forwardable(scf::WhileOp loop, BlockArgument arg, unsigned position) {
  unsigned index = arg.getArgNumber();
  // The initial buffer: a fresh allocation that nothing uses once the loop
  // starts but the loop (ops before it that make no view of it: its
  // initialization).
  Value init = loop.getInits()[index];
  if (llvm::count(loop.getInits(), init) != 1)
    return false;
  Operation *feeding = loop;
  while (auto cast = init.getDefiningOp<memref::CastOp>()) {
    if (!cast->hasOneUse())
      return false;
    feeding = cast;
    init = cast.getSource();
  }
  if (!init.getDefiningOp<memref::AllocOp>())
    return false;
  for (Operation *user : init.getUsers())
    if (user != feeding &&
        (user->getBlock() != loop->getBlock() || !user->isBeforeInBlock(loop) ||
         llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>)))
      return false;
  // What the body gives back: its own argument (the condition's `position`)
  // or its allocations, and no other carried value from those.
  scf::YieldOp yield = loop.getYieldOp();
  llvm::SmallSetVector<Value, 4> mine;
  if (!rootsOf(yield.getResults()[index], mine))
    return false;
  Value own = loop.getAfterBody()->getArgument(position);
  for (Value root : mine)
    if (root != own && !(root.getDefiningOp<memref::AllocOp>() &&
                         loop.getAfter().isAncestor(root.getParentRegion())))
      return false;
  for (auto [k, other] : llvm::enumerate(yield.getResults())) {
    if (k == index || !isa<BaseMemRefType>(other.getType()))
      continue;
    llvm::SmallSetVector<Value, 4> theirs;
    if (!rootsOf(other, theirs) ||
        llvm::any_of(theirs, [&](Value v) { return mine.contains(v); }))
      return false;
  }
  return llvm::count(loop.getConditionOp().getArgs(), arg) == 0;
}

struct ForwardWhileBuffers
    : predict::impl::PredictForwardWhileBuffersBase<ForwardWhileBuffers> {
  void runOnOperation() override {
    getOperation()->walk([](scf::WhileOp loop) {
      scf::ConditionOp condition = loop.getConditionOp();
      Block *before = loop.getBeforeBody();
      for (auto [position, forwarded] : llvm::enumerate(condition.getArgs())) {
        // alloc(dims of %arg) + copy %arg into it, forwarded.
        auto alloc = forwarded.getDefiningOp<memref::AllocOp>();
        if (!alloc || alloc->getBlock() != before)
          continue;
        memref::CopyOp copy;
        bool only = true;
        for (Operation *user : alloc->getUsers()) {
          auto c = dyn_cast<memref::CopyOp>(user);
          if (user == condition)
            continue;
          if (c && c.getTarget() == alloc.getResult() && !copy)
            copy = c;
          else
            only = false;
        }
        // The copy's source: the argument, or a cast of it (to a layout)
        // that only the copy reads.
        Value source = copy ? copy.getSource() : Value();
        auto view =
            source ? source.getDefiningOp<memref::CastOp>() : memref::CastOp();
        if (view && view->hasOneUse())
          source = view.getSource();
        else
          view = memref::CastOp();
        auto arg = dyn_cast_or_null<BlockArgument>(source);
        if (!only || !arg || arg.getOwner() != before ||
            arg.getType() != alloc.getType() ||
            llvm::count(condition.getArgs(), alloc.getResult()) != 1)
          continue;
        bool sizesOnly = llvm::all_of(arg.getUsers(), [&](Operation *user) {
          return user == copy.getOperation() || user == view.getOperation() ||
                 isa<memref::DimOp>(user);
        });
        if (!sizesOnly || !forwardable(loop, arg, position))
          continue;
        condition->setOperand(1 + position, arg);
        copy->erase();
        if (view)
          view->erase();
        alloc->erase();
      }
    });
  }
};
} // namespace
