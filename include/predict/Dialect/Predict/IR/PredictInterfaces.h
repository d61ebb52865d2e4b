//===- PredictInterfaces.h - predict op interfaces --------------*- C++ -*-===//

#ifndef PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_H
#define PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpDefinition.h"

namespace mlir::predict::OpTrait {
/// The op's result sizes are the numpy broadcast of its operands' sizes
/// (ShapeInferenceOpInterface::getResultDimSources).
template <typename ConcreteType>
class SizesBroadcast
    : public ::mlir::OpTrait::TraitBase<ConcreteType, SizesBroadcast> {};
/// The op's result sizes are those of its operand 0.
template <typename ConcreteType>
class SizesOfInput
    : public ::mlir::OpTrait::TraitBase<ConcreteType, SizesOfInput> {};
/// The op is row-wise by the elementwise rule (RowWiseElementwise): also on
/// elements, by the rule of isElementwiseRowWiseOnElements.
template <typename ConcreteType>
class ElementwiseRows
    : public ::mlir::OpTrait::TraitBase<ConcreteType, ElementwiseRows> {};
} // namespace mlir::predict::OpTrait

namespace mlir::predict::detail {
/// getResultDimSources of an op that declares its rule with a trait
/// (SizesBroadcast, SizesOfInput); empty for an op without one.
llvm::SmallVector<std::pair<unsigned, int64_t>>
resultDimSourcesByTrait(Operation *op, int64_t dim);

/// Verifies an op of the shape inference interface: its operands satisfy its
/// constraints, and each declared result type is compatible with the inferred
/// one.
LogicalResult verifyInferredResultTypes(Operation *op);

/// The row-wise rule of elementwise ops with numpy broadcasting (the default
/// of RowWiseOpInterface): each operand `isRow` names has the rank of the
/// result, and each other operand cannot reach the batch axis.
bool isElementwiseRowWise(Operation *op,
                          llvm::function_ref<bool(Value)> isRow);

/// The default of RowWiseOpInterface::isRowWiseOnElements: false, except for
/// an op of the elementwise rule (OpTrait::ElementwiseRows), which is
/// row-wise on elements when each operand `isElement` names has the rank of
/// the result and each other operand at most that rank.
bool isElementwiseRowWiseOnElements(Operation *op,
                                    llvm::function_ref<bool(Value)> isElement);
} // namespace mlir::predict::detail

#include "predict/Dialect/Predict/IR/PredictInterfaces.h.inc"

#endif // PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_H
