//===- PredictInterfaces.td - shape inference and layer interfaces -*- tablegen -*-===//

#ifndef PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_TD
#define PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_TD

include "mlir/IR/OpBase.td"

def Predict_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::mlir::predict";
  let description = [{
    An op whose result types follow from its operand types and attributes.

    `inferResultTypes` is the one place where an op's shape rules live. It is
    used twice: by the verifier, which checks that the declared result types are
    compatible with the inferred ones (and reports operand mismatches, such as a
    Dense kernel of K rows applied to F features), and by the
    `predict-shape-inference` pass, which refines declared types to the inferred
    ones (static where the inputs are static, `?` where they are not).

    Unknown input shapes (unranked tensors, dynamic dimensions) give unknown
    result shapes; they are never an error by themselves.
  }];
  let methods = [
    InterfaceMethod<[{
        Computes the most precise result types that the operand types imply.
        Emits an error at the op and fails when the operands break the op's
        constraints.
      }],
      "::llvm::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$inferred)>
  ];
  let verify = [{
    return ::mlir::predict::detail::verifyInferredResultTypes($_op);
  }];
}

def Predict_LayerOpInterface : OpInterface<"LayerOpInterface"> {
  let cppNamespace = "::mlir::predict";
  let description = [{
    A layer declared in a model, with its configuration and weights, that
    `predict.apply` calls. The layer decides which inputs it accepts and the
    type of its output.
  }];
  let methods = [
    InterfaceMethod<[{
        Infers the result type of applying this layer to an input of type
        `input`. Emits errors through `emitError` (which reports at the call
        site) and fails when the input does not fit the layer.
      }],
      "::llvm::FailureOr<::mlir::Type>", "inferApplyType",
      (ins "::mlir::Type":$input,
           "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>,
    InterfaceMethod<[{
        Builds the computation that applying this layer to `input` stands
        for (`predict.dense` for a Dense layer, ...), with the weights as
        `predict.constant`s, and returns its result of type `resultType`.
      }],
      "::mlir::Value", "buildApply",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$input, "::mlir::Type":$resultType)>
  ];
}

#endif // PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_TD
