//===- PredictToLinalg.h - predict to linalg patterns -------------*- C++ -*-===//

#ifndef PREDICT_CONVERSION_PREDICTTOLINALG_PREDICTTOLINALG_H
#define PREDICT_CONVERSION_PREDICTTOLINALG_PREDICTTOLINALG_H

namespace mlir {
class RewritePatternSet;

namespace predict {
/// Patterns lowering predict tensor computations to linalg, tensor, arith
/// and math on tensors (see convert-predict-to-linalg).
void populatePredictToLinalgConversionPatterns(RewritePatternSet &patterns);
} // namespace predict
} // namespace mlir

#endif // PREDICT_CONVERSION_PREDICTTOLINALG_PREDICTTOLINALG_H
