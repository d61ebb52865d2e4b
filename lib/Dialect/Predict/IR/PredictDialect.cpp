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

std::optional<double> predict::defaultAlpha(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::elu:
  case ActivationKind::celu:
    return 1.0;
  case ActivationKind::leaky_relu: // keras.activations.leaky_relu
    return 0.2;
  case ActivationKind::hard_sigmoid: // Keras 3: relu6(x + 3) / 6
    return 1.0 / 6.0;
  case ActivationKind::hard_shrink:
  case ActivationKind::soft_shrink:
    return 0.5;
  case ActivationKind::squareplus:
    return 4.0;
  default:
    return std::nullopt;
  }
}
