//===- PredictDialect.cpp - the predict dialect: registration, types, attrs ===//

#include "predict/Dialect/Predict/IR/PredictDialect.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::predict;

#include "predict/Dialect/Predict/IR/PredictEnums.cpp.inc"
#include "predict/Dialect/Predict/IR/PredictOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "predict/Dialect/Predict/IR/PredictAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "predict/Dialect/Predict/IR/PredictOpsTypes.cpp.inc"

void PredictDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "predict/Dialect/Predict/IR/PredictOps.cpp.inc"
      >();
  registerTypes();
  registerAttributes();
}

void PredictDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "predict/Dialect/Predict/IR/PredictOpsTypes.cpp.inc"
      >();
}

void PredictDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "predict/Dialect/Predict/IR/PredictAttrs.cpp.inc"
      >();
}

Operation *PredictDialect::materializeConstant(OpBuilder &builder,
                                               Attribute value, Type type,
                                               Location loc) {
  // Folded dimension sizes are indices; folded tensors stay predict constants.
  if (isa<IndexType>(type))
    return arith::ConstantOp::materialize(builder, value, type, loc);
  if (auto elements = dyn_cast<ElementsAttr>(value))
    return ConstantOp::create(builder, loc, type, elements);
  return nullptr;
}
