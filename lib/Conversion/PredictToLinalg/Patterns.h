//===- Patterns.h - the pattern groups of convert-predict-to-linalg -*- C++ -*-===//

#ifndef LIB_CONVERSION_PREDICTTOLINALG_PATTERNS_H
#define LIB_CONVERSION_PREDICTTOLINALG_PATTERNS_H

#include <string>

namespace mlir {
class Operation;
class RewritePatternSet;
namespace predict::lowering {
/// Dense, activations, dropout, batch normalization, normalization.
void populateLayerPatterns(RewritePatternSet &patterns);
/// LayerNormalization (its reductions over several axes).
void populateLayerNormPatterns(RewritePatternSet &patterns);
/// Elementwise math with numpy broadcasting, matmul.
void populateElementwisePatterns(RewritePatternSet &patterns);
/// scipy.signal.convolve and correlate.
void populateConvolvePatterns(RewritePatternSet &patterns);
/// Constants, fill, dim, slice, flatten, concatenate.
void populateShapePatterns(RewritePatternSet &patterns);
/// Keras convolutions (Conv1D, Conv2D, ..., Conv2DTranspose).
void populateConvPatterns(RewritePatternSet &patterns);
/// Why a predict.conv or predict.conv_transpose cannot be lowered (a size
/// other than the batch unknown at compile time), or an empty string.
std::string whyConvNotLowered(Operation *op);
/// Issue 17: pooling (linalg pooling ops, reductions).
void populatePoolingPatterns(RewritePatternSet &patterns);
/// Issue 17: pad, crop, upsample, reshape, transpose, inference identity.
void populateReshapingPatterns(RewritePatternSet &patterns);
/// Embedding (a checked gather).
void populateEmbeddingPatterns(RewritePatternSet &patterns);
/// Keras's Dot layer (batch_dot).
void populateBatchDotPatterns(RewritePatternSet &patterns);
/// Issue 18: LSTM, GRU, SimpleRNN (a loop over time).
void populateRecurrentPatterns(RewritePatternSet &patterns);
/// tf.* reductions, argmax, casts, logical and unary math ops (issue 16).
void populateReductionPatterns(RewritePatternSet &patterns);
} // namespace predict::lowering
} // namespace mlir

#endif // LIB_CONVERSION_PREDICTTOLINALG_PATTERNS_H
