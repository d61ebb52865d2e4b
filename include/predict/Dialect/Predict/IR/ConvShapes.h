//===- ConvShapes.h - Keras's convolution output sizes and paddings -*- C++ -*-===//
//
// One spatial axis of a Keras convolution: its output size (Keras's
// formulas) and the zeros padded before and after the input (TensorFlow's
// split). The shape rules of predict.conv and predict.conv_transpose and
// their lowerings both use these, so the sizes agree by construction.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_DIALECT_PREDICT_IR_CONVSHAPES_H
#define PREDICT_DIALECT_PREDICT_IR_CONVSHAPES_H

#include "predict/Dialect/Predict/IR/PredictOps.h"

#include <optional>

namespace mlir::predict {

/// One spatial axis of a convolution.
struct ConvAxis {
  /// The output size (`ShapedType::kDynamic` when the input's is).
  int64_t out;
  /// Zeros before and after the input along the axis; for a transposed
  /// convolution, `before` is the `p` of `o = i*s + k*d - p`.
  int64_t before = 0, after = 0;
};

/// predict.conv along an axis of `in` elements (dynamic allowed), kernel
/// size `k`, stride `s`, dilation `d` (all positive). Keras
/// (keras.src.ops.operation_utils.compute_conv_output_shape): valid gives
/// `floor((in - d*(k-1) - 1) / s) + 1`, same and causal `ceil(in / s)`.
/// Same pads `max((out-1)*s + d*(k-1) + 1 - in, 0)` zeros, the odd one
/// after (TensorFlow's SAME); causal pads `d*(k-1)` zeros before. Nothing
/// when valid and `in` is smaller than the dilated kernel (C107).
std::optional<ConvAxis> convAxis(int64_t in, int64_t k, int64_t s, int64_t d,
                                 ConvPadding padding);

/// predict.conv_transpose along an axis (Keras's deconv_output_length,
/// kd = d*(k-1) + 1): without `outputPadding`, valid gives `in*s + max(kd -
/// s, 0)` and same `in*s`; with it, `(in-1)*s + kd - 2*pad + outputPadding`
/// (pad 0 for valid, kd/2 for same). `before` is TensorFlow's: 0 for valid,
/// for same the start padding of the forward convolution of the output's
/// size, `max((in-1)*s + kd - out, 0) / 2`.
ConvAxis convTransposeAxis(int64_t in, int64_t k, int64_t s, int64_t d,
                           ConvPadding padding,
                           std::optional<int64_t> outputPadding);

} // namespace mlir::predict

#endif // PREDICT_DIALECT_PREDICT_IR_CONVSHAPES_H
