//===- ShapeRules.h - shape rules shared by layers and their ops --*- C++ -*-===//
//
// A layer declared in a model (`predict.layer.dense`) and the computation it
// stands for (`predict.dense`) obey one shape rule; it lives here once.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_PREDICT_IR_SHAPERULES_H
#define LIB_DIALECT_PREDICT_IR_SHAPERULES_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Types.h"
#include "predict/Dialect/Predict/IR/PredictDialect.h"

#include <optional>

namespace mlir::predict::rules {

using EmitErrorFn = llvm::function_ref<InFlightDiagnostic()>;

/// Dense: `input` (rank >= 2) contracted with a 2-D `kernel`, plus an
/// optional 1-D `bias` (null when absent). C16, C17.
FailureOr<Type> inferDense(Type input, Type kernel, Type bias,
                           EmitErrorFn emitError);

/// BatchNormalization along `axis`; `params` are mean, variance and the
/// present ones of gamma and beta, with their names for diagnostics. C20.
FailureOr<Type> inferBatchNorm(Type input, ArrayRef<Type> params,
                               ArrayRef<StringRef> names, int64_t axis,
                               EmitErrorFn emitError);

/// Normalization: mean and variance of one shape that broadcasts into the
/// input's shape. C21.
FailureOr<Type> inferNormalization(Type input, Type mean, Type variance,
                                   EmitErrorFn emitError);

/// LayerNormalization over `axes` (distinct, C42); `params` are the present
/// ones of gamma and beta, with their names for diagnostics, each holding
/// the input's sizes along the axes in ascending order (C41).
FailureOr<Type> inferLayerNorm(Type input, ArrayRef<Type> params,
                               ArrayRef<StringRef> names,
                               ArrayRef<int64_t> axes, EmitErrorFn emitError);

/// The settings of a Keras convolution, shared by its layer declaration
/// and its computation (predict.conv, predict.conv_transpose).
struct ConvSettings {
  ArrayRef<int64_t> strides, dilations;
  /// A `ConvPadding` (valid, same, causal).
  uint32_t padding = 0;
  int64_t groups = 1;
  bool channelsFirst = false;
  /// predict.conv_transpose's `output_padding`, when given.
  std::optional<ArrayRef<int64_t>> outputPadding;
};

/// A Keras convolution (Conv1D, Conv2D, grouped, depthwise) of `input` with
/// `kernel` (`k... x C/groups x F`) and an optional 1-D `bias` (null when
/// absent): C100-C107; sizes in ConvShapes.h.
FailureOr<Type> inferConv(Type input, Type kernel, Type bias,
                          const ConvSettings &settings, EmitErrorFn emitError);

/// A Keras transposed convolution (Conv2DTranspose) of `input` with Keras's
/// `kernel` (`k... x F x C`): C100, C101, C105, C106, C108, C109.
FailureOr<Type> inferConvTranspose(Type input, Type kernel, Type bias,
                                   const ConvSettings &settings,
                                   EmitErrorFn emitError);

/// PReLU: `alpha` of the input's element type, of lower rank than the input
/// (it never spans the batch axis, C160), each of its dimensions 1 or the
/// input's static size counted from the last axis (Keras's alpha has shape
/// `input_shape[1:]` with the `shared_axes` as 1, C161). The result has the
/// input's type.
FailureOr<Type> inferPRelu(Type input, Type alpha, EmitErrorFn emitError);
/// Embedding: `ids` (integers of any width, or floats holding integers; any
/// rank) looked up in the 2-D float `table`: the ids' shape followed by the
/// table's row size. C141.
FailureOr<Type> inferEmbedding(Type ids, Type table, EmitErrorFn emitError);

/// Keras's batch_dot (the Dot layer): `lhs` and `rhs` of rank >= 2
/// contracted along `axes` (one per operand, not the batch axis). C143.
FailureOr<Type> inferBatchDot(Type lhs, Type rhs, ArrayRef<int64_t> axes,
                              EmitErrorFn emitError);

/// Issue 18: the number of gates of a recurrent cell (G): 4 for an LSTM
/// (i, f, c, o), 3 for a GRU (z, r, h), 1 for a SimpleRNN.
int64_t recurrentGates(RecurrentCell cell);

/// The checks of a recurrent layer's settings and weights that need no
/// input (C200-C202); the number of units.
FailureOr<int64_t> checkRecurrentWeights(RecurrentCell cell, bool resetAfter,
                                         ActivationKind activation,
                                         ActivationKind recurrentActivation,
                                         Type kernel, Type recurrent,
                                         Type bias, EmitErrorFn emitError);

/// A recurrent layer on `input` (batch x time x features, C203): its
/// output, batch x units, or batch x time x units with `returnSequences`.
FailureOr<Type> inferRecurrent(RecurrentCell cell, bool resetAfter,
                               ActivationKind activation,
                               ActivationKind recurrentActivation,
                               bool returnSequences, Type input, Type kernel,
                               Type recurrent, Type bias,
                               EmitErrorFn emitError);

} // namespace mlir::predict::rules

#endif // LIB_DIALECT_PREDICT_IR_SHAPERULES_H
