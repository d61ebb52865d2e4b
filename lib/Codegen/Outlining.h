//===- Outlining.h - top-level operations into a function ------*- C++ -*-===//
//
// Shared by predict-split-functions and predict-deduplicate-kernels, which
// both move a run of a function's top-level operations into a private
// function of their own.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CODEGEN_OUTLINING_H
#define LIB_CODEGEN_OUTLINING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <functional>

namespace mlir::predict {

/// A constant without operands or regions (a weight, a splat, an index).
inline bool isFreeConstant(Operation *op) {
  return op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         op->hasTrait<::mlir::OpTrait::ConstantLike>();
}

/// Top-level operations of one block, in order, as a function would take
/// them: `inputs`, the values they read from before them (the function's
/// parameters, in the order of their first use); `made`, the operations
/// before them that the function makes itself instead (those `makeInside`
/// accepts, their operands read in turn), in an order that defines each
/// before its use; `outputs`, their results read after them.
struct OutlinedOps {
  SmallVector<Operation *> ops;
  llvm::SetVector<Value> inputs;
  llvm::SetVector<Operation *> made;
  SmallVector<Value> outputs;
};

inline OutlinedOps readsOf(ArrayRef<Operation *> ops,
                           llvm::function_ref<bool(Operation *)> makeInside) {
  OutlinedOps out;
  out.ops.assign(ops.begin(), ops.end());
  llvm::SmallPtrSet<Operation *, 16> members(ops.begin(), ops.end());
  Block *body = ops.front()->getBlock();
  auto inside = [&](Operation *op) {
    Operation *top = body->findAncestorOpInBlock(*op);
    return top && members.contains(top);
  };
  std::function<void(Value)> read = [&](Value v) {
    Operation *def = v.getDefiningOp();
    if (inside(def ? def : v.getParentBlock()->getParentOp()))
      return;
    if (def && makeInside(def)) {
      if (!out.made.contains(def)) {
        llvm::for_each(def->getOperands(), read); // what it needs, first
        out.made.insert(def);
      }
      return;
    }
    out.inputs.insert(v);
  };
  for (Operation *top : ops)
    top->walk([&](Operation *op) { llvm::for_each(op->getOperands(), read); });
  for (Operation *top : ops)
    for (Value result : top->getResults())
      if (llvm::any_of(result.getUsers(),
                       [&](Operation *user) { return !inside(user); }))
        out.outputs.push_back(result);
  return out;
}

/// A new function `name` after `builder`'s point, of `outlined`: it takes
/// the inputs, makes what `made` lists, runs the operations (cloned) and
/// returns the outputs. The operations themselves are left where they are.
inline func::FuncOp toFunction(OpBuilder &builder, Location loc, StringRef name,
                               const OutlinedOps &outlined) {
  auto type = builder.getFunctionType(TypeRange(outlined.inputs.getArrayRef()),
                                      TypeRange(outlined.outputs));
  auto fn = func::FuncOp::create(builder, loc, name, type);
  OpBuilder::InsertionGuard guard(builder);
  Block *entry = fn.addEntryBlock();
  IRMapping map;
  map.map(outlined.inputs.getArrayRef(), entry->getArguments());
  builder.setInsertionPointToStart(entry);
  for (Operation *op : outlined.made)
    builder.clone(*op, map);
  for (Operation *op : outlined.ops)
    builder.clone(*op, map);
  SmallVector<Value> returned;
  for (Value output : outlined.outputs)
    returned.push_back(map.lookup(output));
  func::ReturnOp::create(builder, loc, returned);
  return fn;
}

/// Replaces `outlined`'s operations by a call of `fn` (made by toFunction
/// from operations of the same code), placed where the last of them was
/// (each input is defined by then); erases the operations, then what among
/// `outlined.made` nothing reads any more.
inline void replaceByCall(const OutlinedOps &outlined, func::FuncOp fn) {
  Operation *last = outlined.ops.back();
  OpBuilder builder(last);
  auto call = func::CallOp::create(builder, last->getLoc(), fn,
                                   outlined.inputs.getArrayRef());
  for (auto [output, result] : llvm::zip(outlined.outputs, call.getResults()))
    Value(output).replaceAllUsesWith(result);
  for (Operation *op : llvm::reverse(outlined.ops))
    op->erase();
  for (Operation *op : llvm::reverse(outlined.made))
    if (op->use_empty())
      op->erase();
}

} // namespace mlir::predict

#endif // LIB_CODEGEN_OUTLINING_H
