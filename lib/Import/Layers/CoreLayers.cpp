//===- CoreLayers.cpp - InputLayer, Dense, Dropout, Flatten ---------------===//

#include "Layers.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

//===----------------------------------------------------------------------===//
// InputLayer(shape=None, batch_size=None, dtype=None, sparse=None,
//            batch_shape=None, ...); Keras 2 saves batch_input_shape
// https://keras.io/api/layers/core_layers/input/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kInputLayerParams[] = {
    {"shape", "null"},  {"batch_size", "null"},  {"dtype", "null"},
    {"sparse", "null"}, {"batch_shape", "null"},
};

//===----------------------------------------------------------------------===//
// Dense(units, activation=None, use_bias=True,
//       kernel_initializer="glorot_uniform", bias_initializer="zeros",
//       kernel_regularizer=None, bias_regularizer=None,
//       activity_regularizer=None, kernel_constraint=None,
//       bias_constraint=None, lora_rank=None)
// https://keras.io/api/layers/core_layers/dense/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kDenseParams[] = {
    {"units", ""},
    {"activation", "null"},
    {"use_bias", "true"},
    {"kernel_initializer", "\"glorot_uniform\"", ParamRole::Initializer},
    {"bias_initializer", "\"zeros\"", ParamRole::Initializer},
    {"kernel_regularizer", "null", ParamRole::Ignored},
    {"bias_regularizer", "null", ParamRole::Ignored},
    {"activity_regularizer", "null", ParamRole::Ignored},
    {"kernel_constraint", "null", ParamRole::Ignored},
    {"bias_constraint", "null", ParamRole::Ignored},
    {"lora_rank", "null", ParamRole::Ignored},
};

/// Keras 2's legacy_dense_support.
static constexpr LegacyName kDenseKeras1Names[] = {
    {"output_dim", "units"},
    {"init", "kernel_initializer"},
    {"W_regularizer", "kernel_regularizer"},
    {"b_regularizer", "bias_regularizer"},
    {"W_constraint", "kernel_constraint"},
    {"b_constraint", "bias_constraint"},
    {"bias", "use_bias"},
};

static llvm::SmallVector<llvm::StringRef> denseWeights(LayerConfig &config) {
  if (config.boolean("use_bias"))
    return {"kernel", "bias"};
  return {"kernel"};
}

static std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  return llvm::join(
      llvm::map_range(shape, [](int64_t d) { return std::to_string(d); }),
      "x");
}

static llvm::Expected<Value> buildDense(LayerContext &call) {
  LayerConfig &fields = call.config;
  Activation act = activationField(fields);
  auto decl = call.declare([&](OpBuilder &decls) -> llvm::Expected<Operation *> {
    bool useBias = fields.boolean("use_bias");
    std::optional<int64_t> units;
    if (fields.has("units"))
      units = fields.integer("units", 0);
    if (llvm::Error e = fields.takeError())
      return std::move(e);
    int64_t features = ShapedType::kDynamic;
    if (auto in = dyn_cast<RankedTensorType>(call.input().getType());
        in && in.getRank() > 0)
      features = in.getShape().back();
    int64_t width = units.value_or(ShapedType::kDynamic);
    auto kernel = call.array("kernel", {features, width});
    if (!kernel)
      return kernel.takeError();
    WeightArray &k = *kernel;
    if (units && *units <= 0)
      return call.fail("has units " + llvm::Twine(*units) +
                       ": Keras requires a positive number of units");
    if (units && (k.shape.size() != 2 || k.shape[1] != *units))
      return call.fail("has units " + llvm::Twine(*units) +
                       " in its config but a kernel of shape " +
                       formatShape(k.shape));
    ElementsAttr bias;
    if (useBias) {
      auto b = call.weight("bias", {width});
      if (!b)
        return b.takeError();
      bias = *b;
    }
    Builder b(call.getContext());
    return DenseLayerOp::create(
               decls, call.loc, b.getStringAttr(call.name),
               call.weightAttr("kernel", std::move(k), k.shape), bias,
               ActivationKindAttr::get(call.getContext(),
                                       ActivationKind::linear))
        .getOperation();
  });
  if (llvm::Error e = fields.takeError()) {
    if (!decl)
      llvm::consumeError(decl.takeError());
    return std::move(e);
  }
  if (!decl)
    return decl.takeError();
  // A plain activation is the Dense layer's own; one with parameters (a
  // LeakyReLU object's slope) follows it.
  auto dense = cast<DenseLayerOp>(*decl);
  if (act.plain())
    dense.setActivation(act.kind);
  auto applied = call.apply(dense);
  if (!applied || act.plain())
    return applied;
  return applyActivation(call, *applied, act);
}

//===----------------------------------------------------------------------===//
// Dropout(rate, noise_shape=None, seed=None)
// https://keras.io/api/layers/regularization_layers/dropout/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kDropoutParams[] = {
    {"rate", "0"},
    {"noise_shape", "null", ParamRole::Ignored},
    {"seed", "null", ParamRole::Ignored}};
/// Keras 2's legacy_dropout_support.
static constexpr LegacyName kDropoutKeras1Names[] = {{"p", "rate"}};

static llvm::Expected<Value> buildDropout(LayerContext &call) {
  double rate = call.config.number("rate");
  if (llvm::Error e = call.config.takeError())
    return std::move(e);
  Builder b(call.getContext());
  return call.typed(DropoutOp::create(call.body, call.loc,
                                      call.input().getType(), call.input(),
                                      b.getF64FloatAttr(rate)));
}

//===----------------------------------------------------------------------===//
// Flatten(data_format=None)
// https://keras.io/api/layers/reshaping_layers/flatten/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kFlattenParams[] = {{"data_format", "null"}};

static llvm::Expected<Value> buildFlatten(LayerContext &call) {
  LayerConfig &fields = call.config;
  // channels_first moves the channels last before flattening: another
  // order of the features than predict's.
  std::string format = fields.has("data_format")
                           ? fields.string("data_format", "channels_last")
                           : "channels_last";
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  auto ranked = dyn_cast<RankedTensorType>(call.input().getType());
  if (format != "channels_last" && format != "channels_first")
    return call.fail("has data_format '" + format +
                     "', expected channels_last or channels_first");
  Value input = call.input();
  if (format == "channels_first" && (!ranked || ranked.getRank() > 2)) {
    // Keras's Flatten moves the channels (axis 1) last first, so that the
    // features come in channels_last order (issue 17).
    if (!ranked)
      return call.fail("has data_format 'channels_first' and an input of "
                       "unknown rank: predict needs the rank to move the "
                       "channels last");
    llvm::SmallVector<int64_t> permutation{0};
    for (int64_t d = 2; d < ranked.getRank(); ++d)
      permutation.push_back(d);
    permutation.push_back(1);
    auto moved = call.typed(TransposeOp::create(
        call.body, call.loc,
        UnrankedTensorType::get(Float32Type::get(call.getContext())), input,
        Builder(call.getContext()).getDenseI64ArrayAttr(permutation)));
    if (!moved)
      return moved.takeError();
    input = *moved;
  }
  return call.typed(FlattenOp::create(
      call.body, call.loc,
      UnrankedTensorType::get(Float32Type::get(call.getContext())), input));
}

//===----------------------------------------------------------------------===//
// Identity() (Keras 3)
// https://keras.io/api/layers/core_layers/identity/
//===----------------------------------------------------------------------===//

static llvm::Expected<Value> buildIdentity(LayerContext &call) {
  return call.input();
}

llvm::ArrayRef<LayerEntry> keras::coreLayers() {
  static const LayerEntry entries[] = {
      {"InputLayer", "https://keras.io/api/layers/core_layers/input/",
       kInputLayerParams},
      {"Dense", "https://keras.io/api/layers/core_layers/dense/", kDenseParams,
       denseWeights, buildDense, "", kDenseKeras1Names},
      {"Dropout", "https://keras.io/api/layers/regularization_layers/dropout/",
       kDropoutParams, nullptr, buildDropout, "drops features at random",
       kDropoutKeras1Names},
      {"Flatten", "https://keras.io/api/layers/reshaping_layers/flatten/",
       kFlattenParams, nullptr, buildFlatten},
      {"Identity", "https://keras.io/api/layers/core_layers/identity/", {},
       nullptr, buildIdentity},
  };
  return entries;
}
