//===- Layers.h - the layer families of the registry, internally -*- C++ -*-===//
//
// Each family file (CoreLayers.cpp, ...) defines its entries in one table;
// LayerRegistry.cpp gathers the tables. A layer joins the registry by one
// entry in its family's table.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_IMPORT_LAYERS_LAYERS_H
#define LIB_IMPORT_LAYERS_LAYERS_H

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Import/LayerRegistry.h"

namespace mlir::predict::keras {

/// InputLayer, Dense, Dropout, Flatten.
llvm::ArrayRef<LayerEntry> coreLayers();
/// BatchNormalization, Normalization, LayerNormalization, Rescaling.
llvm::ArrayRef<LayerEntry> normalizationLayers();
/// Activation, LeakyReLU, ReLU, ELU, Softmax.
llvm::ArrayRef<LayerEntry> activationLayers();
/// Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate.
llvm::ArrayRef<LayerEntry> mergingLayers();
/// Conv1D, Conv2D, DepthwiseConv2D, SeparableConv1D/2D, Conv2DTranspose.
llvm::ArrayRef<LayerEntry> convolutionalLayers();
/// Issue 17: MaxPooling1D/2D, AveragePooling1D/2D, GlobalMax/Average
/// Pooling1D/2D and their aliases (MaxPool2D, ...).
llvm::ArrayRef<LayerEntry> poolingLayers();
/// Issue 17: ZeroPadding1D/2D, Cropping1D/2D, UpSampling1D/2D, Reshape,
/// Permute, RepeatVector.
llvm::ArrayRef<LayerEntry> reshapingLayers();
/// Issue 17: SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout,
/// AlphaDropout, ActivityRegularization (the identity at inference).
llvm::ArrayRef<LayerEntry> regularizationLayers();
/// Embedding.
llvm::ArrayRef<LayerEntry> embeddingLayers();
/// Dot.
llvm::ArrayRef<LayerEntry> dotLayers();
/// Issue 18: LSTM, GRU, SimpleRNN, TimeDistributed.
llvm::ArrayRef<LayerEntry> recurrentLayers();
/// EinsumDense (issue 17).
llvm::ArrayRef<LayerEntry> einsumDenseLayers();
/// Whether Keras's layer class `cls` computes each position of the leading
/// axes from that position's features alone (Dense, activations, Dropout):
/// TimeDistributed applies it to the whole sequence at once, and it passes
/// Keras's mask on unchanged.
bool appliesPositionWise(llvm::StringRef cls);
/// TimeDistributed's merge of the batch and time axes of `x` (`N x T x d...`
/// to `N·T x d...`, tensor.collapse_shape), so that a layer sees each step
/// as one sample (Keras's TimeDistributed.call).
Value mergeBatchAndTime(OpBuilder &b, Location loc, Value x);
/// The split back of `y` (`N·T x e...`), a result of a layer applied to
/// `mergeBatchAndTime(input)`, into `N x T x e...` (tensor.expand_shape
/// with N and T read off `input`).
Value splitBatchAndTime(OpBuilder &b, Location loc, Value y, Value input);
/// Where Keras 3 keeps the variables of a layer whose own `vars` group is
/// empty, as groups below the layer's, each a run of its weights in order:
/// a recurrent layer in its cell's (`/cell/vars`), TimeDistributed in its
/// layer's (`/layer/vars`), Bidirectional in its two layers' cells,
/// forward first, and a TimeDistributed of those one `/layer` deeper.
const std::vector<std::vector<llvm::StringRef>> &keras3NestedVars();
/// Masking (a mask for the recurrent layers; MaskingLayer.cpp).
llvm::ArrayRef<LayerEntry> maskingLayers();

/// A JSON value as the user wrote it, cut short, for messages.
std::string shown(const llvm::json::Value &value);
/// "a number", "a list", ...: the kind of a JSON value, for messages.
llvm::StringRef kindName(const llvm::json::Value &value);

/// The activations predict builds from several ops after the layer, rather
/// than as one predict.activation.
enum class CompositeActivation {
  none,
  /// keras.activations.glu(x, axis=-1): the last axis split in halves a, b
  /// (an even, known size), a * sigmoid(b); halves the features.
  glu,
  /// keras.activations.sparsemax(x, axis=-1): the Euclidean projection of
  /// each row onto the probability simplex (Martins & Astudillo, 2016).
  sparsemax,
  /// A ReLU object with max_value, negative_slope or threshold (and a
  /// ThresholdedReLU object), computed as the ReLU layer computes it.
  relu,
};

/// An activation with its parameters, from a name or a layer object.
struct Activation {
  ActivationKind kind = ActivationKind::linear;
  std::optional<double> alpha;
  std::optional<int64_t> axis;
  CompositeActivation composite = CompositeActivation::none;
  /// CompositeActivation::relu's parameters, as ReLU's config names them.
  std::optional<double> maxValue;
  double negativeSlope = 0, threshold = 0;
  /// Whether it can be a Dense layer's own activation (no parameters).
  bool plain() const {
    return !alpha && !axis && composite == CompositeActivation::none;
  }
};

/// `kind` with `alpha` (leaky_relu's slope, elu's alpha) and `axis`
/// (softmax's), every other parameter at its default.
inline Activation activationOf(ActivationKind kind,
                               std::optional<double> alpha = std::nullopt,
                               std::optional<int64_t> axis = std::nullopt) {
  Activation activation;
  activation.kind = kind;
  activation.alpha = alpha;
  activation.axis = axis;
  return activation;
}

/// The activation Keras calls `name` (keras.activations: `relu6`, `silu`,
/// `hard_silu`), if predict computes it.
std::optional<ActivationKind> activationNamed(llvm::StringRef name);
/// Every name `activationNamed` knows, for messages: "linear, relu, ...".
std::string knownActivationNames();

/// The `activation` field of a Dense or Activation layer: a name, null
/// (linear), a layer object (`{"class_name": "LeakyReLU", "config": {...}}`,
/// as Dense(activation=LeakyReLU()) saves it), or Keras's serialization of
/// a function (`{"class_name": "function", "config": "relu", "module":
/// "keras.activations"}`). Anything predict cannot apply is an error.
Activation activationField(LayerConfig &fields);

/// `act` on `v` as its own op (`v` itself when linear).
llvm::Expected<Value> applyActivation(LayerContext &call, Value v,
                                      const Activation &act);

/// Keras's relu(x, negative_slope, max_value, threshold) on `x` (float32),
/// as Keras computes it (ActivationLayers.cpp), built with `body` at `loc`,
/// each op typed by `typed` (the shape rule of the caller: a layer's, or
/// the Python front end's). The arguments are Keras's valid ones (none
/// negative: the caller checks).
llvm::Expected<Value>
kerasRelu(OpBuilder &body, Location loc, Value x,
          std::optional<double> maxValue, double slope, double threshold,
          llvm::function_ref<llvm::Expected<Value>(Operation *)> typed);

} // namespace mlir::predict::keras

#endif // LIB_IMPORT_LAYERS_LAYERS_H
