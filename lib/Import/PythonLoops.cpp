//===- PythonLoops.cpp - loops, lists, integers and slices ----------------===//
//
// `for` over `range(...)` becomes one `predict.for` over its run-time bounds
// (never unrolled), names the body rebinds its loop-carried values; lists
// built by a loop are `!predict.list` values (docs/PythonSource.md).
// Integers (sizes, loop variables) are `index` values.
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

LogicalResult ProgramBuilder::forLoop(const json::Object &stmt) {
  return notYet(stmt, "a Python For statement");
}

LogicalResult ProgramBuilder::append(const json::Object &call) {
  return notYet(call, "append");
}

FailureOr<PyValue> ProgramBuilder::listLiteral(const json::Object &node) {
  return notYet(node, "a Python List expression");
}

FailureOr<PyValue> ProgramBuilder::subscript(const json::Object &node) {
  return notYet(node, "a Python Subscript expression");
}

FailureOr<PyValue> ProgramBuilder::indexBinary(const json::Object &node,
                                               PyValue lhs, PyValue rhs) {
  return notYet(node, "integer arithmetic");
}

PyValue ProgramBuilder::constantIndex(int64_t value, Location at) {
  return PyValue::index(arith::ConstantIndexOp::create(builder, at, value));
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::listCall(const json::Object &node, llvm::StringRef callee) {
  return std::nullopt;
}

FailureOr<Value> ProgramBuilder::materialize(ListValue &list,
                                             const json::Object &at) {
  return notYet(at, "a list argument");
}
