//===- DeduplicateKernels.cpp - one function for identical layers' code ---===//

#include "AllocationSizes.h"
#include "Outlining.h"
#include "predict/Codegen/Passes.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTDEDUPLICATEKERNELS
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

/// A tensor constant of distinct elements: a layer's weights. Passed to a
/// kernel, so that layers that differ only in their weights share one;
/// other constants (splats, scalars, vectors) are part of the code.
bool isWeights(Operation *op) {
  auto constant = dyn_cast<arith::ConstantOp>(op);
  if (!constant || !isa<RankedTensorType>(constant.getType()))
    return false;
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  return !dense || !dense.isSplat();
}

/// Whether `op` holds something whose behaviour depends on its location or
/// on another function: a run-time check (its message names the user's
/// line, from the op's location, which equivalence ignores) or a call (a
/// host callback). Kernels holding one are not shared.
bool holdsLocatedOrCall(Operation *op) {
  return op
      ->walk([](Operation *inner) {
        if (isa<predict::AssertOp, cf::AssertOp, CallOpInterface>(inner))
          return WalkResult::interrupt();
        return WalkResult::advance();
      })
      .wasInterrupted();
}

/// Whether a contraction or a convolution reads `value` as an input (not
/// as its destination): a layer's input.
bool readByLayer(Value value) {
  return llvm::any_of(value.getUses(), [](OpOperand &use) {
    auto reader = dyn_cast<linalg::LinalgOp>(use.getOwner());
    return reader && !reader.isDpsInit(&use) &&
           isa<linalg::ContractionOpInterface, linalg::ConvolutionOpInterface>(
               use.getOwner());
  });
}

/// A kernel: consecutive top-level compute operations of a function that
/// compute one value in destination-passing style (the loop over full row
/// tiles, then the loop over the rest, which writes into the first's
/// result), and the function they would become.
struct Group {
  SmallVector<Operation *> ops;
  func::FuncOp candidate; // the group outlined, before sharing
};

/// What a kernel makes itself rather than takes: constants other than
/// weights, and empty tensors (undefined contents: passed in, one could be
/// a buffer the caller reads after the call writes it in place).
bool madeInKernel(Operation *op) {
  return (predict::isFreeConstant(op) && !isWeights(op)) ||
         isa<tensor::EmptyOp>(op);
}

/// Before tiling, also the fills of what a kernel makes: one zero-filled
/// tensor is the destination of every contraction of its sizes (CSE makes
/// it one), which would otherwise join all of them into one kernel.
bool madeInKernelBeforeTiling(Operation *op) {
  return madeInKernel(op) || isa<linalg::FillOp>(op);
}

struct DeduplicateKernels
    : predict::impl::PredictDeduplicateKernelsBase<DeduplicateKernels> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs)
      deduplicate(func, symbols);
  }

  /// What kernels make themselves, in this run.
  bool (*made() const)(Operation *) {
    return beforeTiling ? madeInKernelBeforeTiling : madeInKernel;
  }

  void deduplicate(func::FuncOp func, SymbolTable &symbols) {
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return;
    Block &body = func.getBody().front();
    std::vector<Group> groups = findGroups(body);
    if (groups.size() < 2)
      return;

    // Each group as a function; groups whose functions are equivalent
    // (the same types and operations, locations aside) form one class.
    OpBuilder builder(func);
    builder.setInsertionPointAfter(func);
    SmallVector<SmallVector<Group *>> classes;
    DenseMap<std::pair<Type, int64_t>, SmallVector<unsigned>> buckets;
    for (Group &group : groups) {
      group.candidate =
          predict::toFunction(builder, func.getLoc(), "kernel",
                              predict::readsOf(group.ops, made()));
      auto key = std::make_pair(Type(group.candidate.getFunctionType()),
                                weight(group.candidate));
      SmallVector<unsigned> &bucket = buckets[key];
      auto same = llvm::find_if(bucket, [&](unsigned c) {
        return OperationEquivalence::isRegionEquivalentTo(
            &classes[c].front()->candidate.getBody(),
            &group.candidate.getBody(), OperationEquivalence::IgnoreLocations);
      });
      if (same != bucket.end()) {
        classes[*same].push_back(&group);
        continue;
      }
      bucket.push_back(classes.size());
      classes.push_back({&group});
    }

    unsigned index = 0;
    for (ArrayRef<Group *> members : classes) {
      func::FuncOp kernel = members.front()->candidate;
      for (Group *member : members.drop_front())
        member->candidate.erase();
      if (members.size() < 2) { // nothing to share: the code stays inline
        kernel.erase();
        continue;
      }
      kernel.setSymName((func.getSymName() + "_kernel" + Twine(index++)).str());
      kernel.setPrivate();
      // LLVM would inline a small kernel back into each of its callers:
      // the point is that it is compiled once.
      kernel->setAttr("passthrough", builder.getArrayAttr(
                                         {builder.getStringAttr("noinline")}));
      symbols.insert(kernel);
      // What each group reads is found again: a group replaced before it
      // may have made some of it (in the order `toFunction` took it).
      for (Group *member : members) {
        predict::OutlinedOps outlined = predict::readsOf(member->ops, made());
        checkSizesAtCaller(outlined);
        predict::replaceByCall(outlined, kernel);
      }
    }
  }

  /// Checks the sizes of the empty tensors that `outlined`'s kernel makes
  /// where it is called, located at each one (its member's line). The
  /// kernel takes those sizes as arguments and checks them too
  /// (predict-check-allocation-sizes), but its check is located at the
  /// first member's line, whichever member calls it: this one fails first.
  static void checkSizesAtCaller(const predict::OutlinedOps &outlined) {
    OpBuilder builder(outlined.ops.back());
    for (Operation *op : outlined.made)
      if (auto empty = dyn_cast<tensor::EmptyOp>(op))
        predict::checkAllocationSize(builder, empty.getLoc(), empty.getType(),
                                     empty.getDynamicSizes());
  }

  /// The values `op` writes into: a loop's initial values, a
  /// destination-style op's inits.
  static SmallVector<Value> destinations(Operation *op) {
    if (auto loop = dyn_cast<scf::ForOp>(op))
      return llvm::to_vector(loop.getInitArgs());
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
      return llvm::to_vector(dps.getDpsInits());
    return {};
  }

  /// The kernels of `body`, in order.
  std::vector<Group> findGroups(Block &body) const {
    std::vector<Group> groups =
        beforeTiling ? linalgGroups(body) : loopGroups(body);
    // Small groups are not worth a call; located ones are not shared.
    llvm::erase_if(groups, [](const Group &group) {
      int64_t ops = 0;
      for (Operation *op : group.ops) {
        if (holdsLocatedOrCall(op))
          return true;
        ops += weight(op);
      }
      return ops < kMinOps;
    });
    return groups;
  }

  /// Before tiling: the top-level linalg ops of `body` joined by the values
  /// they pass (each op with the producers of its destinations and of the
  /// inputs it does not reduce over), each set in block order; a set whose
  /// results another op reads before its last op is left out.
  static std::vector<Group> linalgGroups(Block &body) {
    DenseMap<Operation *, unsigned> position;
    SmallVector<Operation *> ops;
    for (Operation &op : body) { // the terminator reads results too
      position[&op] = ops.size();
      ops.push_back(&op);
    }
    // Union-find over positions, of linalg ops only.
    SmallVector<unsigned> parent(ops.size());
    for (unsigned i = 0; i < parent.size(); ++i)
      parent[i] = i;
    auto find = [&](unsigned i) {
      while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
      return i;
    };
    auto member = [](Operation *op) {
      return isa<linalg::LinalgOp>(op) && !madeInKernelBeforeTiling(op);
    };
    for (auto [index, op] : llvm::enumerate(ops)) {
      if (!member(op))
        continue;
      auto linalgOp = cast<linalg::LinalgOp>(op);
      for (OpOperand &operand : op->getOpOperands()) {
        Operation *def = operand.get().getDefiningOp();
        if (!def || def->getBlock() != &body || !member(def))
          continue;
        // The next layer's contraction reads this one's output: a kernel
        // boundary (tiling does not fuse a layer into the next). So is
        // every other input read of a value a contraction or convolution
        // reads (a layer's input): the skip connection of `h + dense(h)`
        // would otherwise join all residual blocks into one kernel
        // (helper-148).
        if (!linalgOp.isDpsInit(&operand) &&
            (linalgOp.getNumReductionLoops() != 0 ||
             readByLayer(operand.get())))
          continue;
        parent[find(position[def])] = find(index);
      }
    }
    DenseMap<unsigned, unsigned> groupOf;
    std::vector<Group> groups;
    for (auto [index, op] : llvm::enumerate(ops)) {
      if (!member(op))
        continue;
      auto [it, added] = groupOf.try_emplace(find(index), groups.size());
      if (added)
        groups.emplace_back();
      groups[it->second].ops.push_back(op);
    }
    // The call replacing a set is placed at its last op: every other
    // reader of its values must come after.
    llvm::erase_if(groups, [&](const Group &group) {
      llvm::SmallPtrSet<Operation *, 8> members(group.ops.begin(),
                                                group.ops.end());
      unsigned last = position[group.ops.back()];
      return llvm::any_of(group.ops, [&](Operation *op) {
        return llvm::any_of(op->getUsers(), [&](Operation *user) {
          Operation *top = body.findAncestorOpInBlock(*user);
          return top && !members.contains(top) && position[top] < last;
        });
      });
    });
    return groups;
  }

  /// After tiling: runs of top-level loops (and ops with regions) that
  /// compute one value in destination-passing style.
  static std::vector<Group> loopGroups(Block &body) {
    std::vector<Group> groups;
    DenseMap<Operation *, unsigned> groupOf;
    for (Operation &op : body.without_terminator()) {
      if (op.getNumRegions() == 0)
        continue;
      // `op` continues the group whose last operation only it reads, as
      // its destination (what it writes into).
      std::optional<unsigned> joined;
      for (Value operand : destinations(&op)) {
        Operation *def = operand.getDefiningOp();
        auto it = def ? groupOf.find(def) : groupOf.end();
        if (it == groupOf.end() || groups[it->second].ops.back() != def)
          continue;
        bool onlyHere = llvm::all_of(def->getUsers(), [&](Operation *user) {
          return body.findAncestorOpInBlock(*user) == &op;
        });
        if (onlyHere)
          joined = it->second;
      }
      if (!joined) {
        joined = groups.size();
        groups.emplace_back();
      }
      groups[*joined].ops.push_back(&op);
      groupOf[&op] = *joined;
    }
    return groups;
  }

  /// Groups of fewer operations than this stay inline: a call costs more
  /// than the code it would share.
  static constexpr int64_t kMinOps = 8;
};
} // namespace
