//===- DeduplicateKernels.cpp - one function for identical layers' code ---===//

#include "predict/Codegen/Passes.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

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

bool isFreeConstant(Operation *op) {
  return op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         op->hasTrait<OpTrait::ConstantLike>();
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

/// A kernel: consecutive top-level compute operations of a function that
/// compute one value in destination-passing style (the loop over full row
/// tiles, then the loop over the rest, which writes into the first's
/// result), and the function they would become.
struct Group {
  SmallVector<Operation *> ops;
  SmallVector<Value> outputs; // results read after the group
  func::FuncOp candidate;     // the group outlined, before sharing
};

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
      group.candidate = outline(builder, func.getLoc(), group);
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
      for (Group *member : members)
        replaceByCall(*member, kernel);
    }
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
  static std::vector<Group> findGroups(Block &body) {
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

  /// What `group` reads from before it: the values it takes (weights
  /// included), in the order of their first use, and the other constants
  /// and the empty tensors it makes itself.
  struct Reads {
    llvm::SetVector<Value> inputs;
    llvm::SetVector<Operation *> constants, empties;
  };
  static Reads reads(const Group &group) {
    llvm::SmallPtrSet<Operation *, 8> members(group.ops.begin(),
                                              group.ops.end());
    Block *body = group.ops.front()->getBlock();
    Reads result;
    auto read = [&](Value v) {
      Operation *def = v.getDefiningOp();
      Operation *top = body->findAncestorOpInBlock(
          def ? *def : *v.getParentBlock()->getParentOp());
      if (top && members.contains(top))
        return;
      if (def && isFreeConstant(def) && !isWeights(def))
        result.constants.insert(def);
      else if (def && isa<tensor::EmptyOp>(def))
        result.empties.insert(def);
      else
        result.inputs.insert(v);
    };
    for (Operation *top : group.ops)
      top->walk(
          [&](Operation *op) { llvm::for_each(op->getOperands(), read); });
    // An empty tensor's sizes are read where it is made.
    for (Operation *empty : result.empties)
      llvm::for_each(empty->getOperands(), read);
    return result;
  }

  /// The group as a new function after `builder`'s point: it takes the
  /// values the group reads and returns the values read after it.
  static func::FuncOp outline(OpBuilder &builder, Location loc, Group &group) {
    Reads in = reads(group);
    group.outputs.clear();
    for (Operation *top : group.ops)
      for (Value result : top->getResults())
        if (llvm::any_of(result.getUsers(), [&](Operation *user) {
              return !isMember(group,
                               top->getBlock()->findAncestorOpInBlock(*user));
            }))
          group.outputs.push_back(result);

    auto type = builder.getFunctionType(TypeRange(in.inputs.getArrayRef()),
                                        TypeRange(group.outputs));
    auto kernel = func::FuncOp::create(builder, loc, "kernel", type);
    OpBuilder::InsertionGuard guard(builder);
    Block *entry = kernel.addEntryBlock();
    IRMapping map;
    map.map(in.inputs.getArrayRef(), entry->getArguments());
    builder.setInsertionPointToStart(entry);
    for (Operation *op : in.constants)
      builder.clone(*op, map);
    for (Operation *op : in.empties)
      builder.clone(*op, map);
    for (Operation *op : group.ops)
      builder.clone(*op, map);
    SmallVector<Value> returned;
    for (Value output : group.outputs)
      returned.push_back(map.lookup(output));
    func::ReturnOp::create(builder, loc, returned);
    return kernel;
  }

  /// Replaces the group's operations by a call of `kernel`, where the last
  /// of them was (every value the group reads is defined by then).
  static void replaceByCall(Group &group, func::FuncOp kernel) {
    Operation *last = group.ops.back();
    OpBuilder builder(last);
    // The values read are found again: a group replaced before this one
    // may have made some of them (the order is that of `outline`'s).
    auto call = func::CallOp::create(builder, last->getLoc(), kernel,
                                     reads(group).inputs.getArrayRef());
    for (auto [output, result] : llvm::zip(group.outputs, call.getResults()))
      output.replaceAllUsesWith(result);
    llvm::SetVector<Operation *> maybeDead;
    for (Operation *op : llvm::reverse(group.ops)) {
      for (Value operand : op->getOperands())
        if (Operation *def = operand.getDefiningOp())
          maybeDead.insert(def);
      op->dropAllUses();
      op->erase();
    }
    // What only the group read (its empty tensors, the constants it made).
    for (Operation *op : maybeDead)
      if (!isMember(group, op) && op->use_empty() && isMemoryEffectFree(op))
        op->erase();
  }

  static bool isMember(const Group &group, Operation *op) {
    return llvm::is_contained(group.ops, op);
  }

  /// Groups of fewer operations than this stay inline: a call costs more
  /// than the code it would share.
  static constexpr int64_t kMinOps = 8;
};
} // namespace
