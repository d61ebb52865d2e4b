//===- Passes.td - predict dialect transformations ----------*- tablegen -*-===//

#ifndef PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_TD
#define PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PredictShapeInference : Pass<"predict-shape-inference", "ModuleOp"> {
  let summary = "Refine result types from operand types; report shape mismatches";
  let description = [{
    Walks every function and method in program order and asks each op of the
    shape inference interface for the result types its operands imply. A
    declared type is replaced by the more precise of the two (static sizes
    where the inputs are static, `?` for the batch dimension otherwise); a
    conflict, such as a Dense kernel of 100 rows applied to 50 features once
    the input's shape is known, is an error at the op's location, which is the
    user's Python line.

    Users that require exact types (`func.return`, `predict.for` initial
    values, ops of other dialects) keep seeing the declared type through a
    `tensor.cast`; predict ops that accept compatible types see the refined
    value directly. Function and method signatures are not changed.

    Example: with `%x : tensor<1x100xf32>`,

    ```mlir
    %y = predict.dense %x, %k : (tensor<1x100xf32>, tensor<100x64xf32>) -> tensor<?x64xf32>
    ```

    becomes `... -> tensor<1x64xf32>`.
  }];
  let options = [
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"false",
           "Emit a remark at each op whose result type was refined, naming "
           "the old and the new type">
  ];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def PredictInlineModels : Pass<"predict-inline-models", "ModuleOp"> {
  let summary = "Inline method calls and layer applications; drop the models";
  let description = [{
    Resolves every call of the program from its public functions down:
    `model(x)`, `model.predict(x)` and method calls are replaced by the body of
    the method they run (free function → `call`/`predict` → sub-models →
    helpers), and every `predict.apply` of a layer by the layer's computation
    (`predict.dense`, ...) with its weights as `predict.constant`s. The
    constants are materialized once per function, so the weights become
    read-only globals after bufferization and are never copied per call.
    Afterwards no model, method or layer remains.

    A method that calls itself, directly or through others, cannot be inlined:
    that is an error at the call that closes the cycle.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def PredictApproximateMath : Pass<"predict-approximate-math"> {
  let summary = "Replace f32 transcendental math by polynomial approximations";
  let description = [{
    Rewrites `math.tanh`, `math.erf`, `math.exp`, `math.expm1`, `math.log`,
    `math.log1p` and friends on `f32` (scalars and vectors) into polynomial
    approximations made of arithmetic ops, with upstream MLIR's
    approximations (accurate to a few ulp). Unlike calls into libm they
    vectorize, and they need nothing from the host at run time. Other
    element types are left for `convert-math-to-llvm` and
    `convert-math-to-libm`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_TD
