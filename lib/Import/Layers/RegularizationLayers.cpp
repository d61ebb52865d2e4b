//===- RegularizationLayers.cpp - layers that act only in training --------===//
//
// SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout and
// ActivityRegularization: Keras's `call` returns its input unchanged unless
// `training` is true, so at inference each is the identity
// (predict.inference_identity, which predict-explain reports). Dropout
// itself is in CoreLayers.cpp. A saved graph that calls one of them with
// training=True is refused by the importer with the entry's `training`
// text.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

//===----------------------------------------------------------------------===//
// SpatialDropout1D(rate, seed=None)
// SpatialDropout2D(rate, data_format=None, seed=None)
// SpatialDropout3D(rate, data_format=None, seed=None)
// https://keras.io/api/layers/regularization_layers/spatial_dropout2d/
// GaussianDropout(rate, seed=None); AlphaDropout(rate, noise_shape=None,
// seed=None); GaussianNoise(stddev, seed=None)
// https://keras.io/api/layers/regularization_layers/gaussian_noise/
// ActivityRegularization(l1=0.0, l2=0.0)
// https://keras.io/api/layers/regularization_layers/activity_regularization/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kSpatialDropout1DParams[] = {
    {"rate", ""}, {"seed", "null", ParamRole::Ignored}};
static constexpr LayerParam kSpatialDropoutParams[] = {
    {"rate", ""},
    {"data_format", "null", ParamRole::Ignored},
    {"seed", "null", ParamRole::Ignored}};
static constexpr LayerParam kGaussianDropoutParams[] = {
    {"rate", ""}, {"seed", "null", ParamRole::Ignored}};
static constexpr LayerParam kAlphaDropoutParams[] = {
    {"rate", ""},
    {"noise_shape", "null", ParamRole::Ignored},
    {"seed", "null", ParamRole::Ignored}};
static constexpr LayerParam kGaussianNoiseParams[] = {
    {"stddev", ""}, {"seed", "null", ParamRole::Ignored}};
static constexpr LayerParam kActivityRegularizationParams[] = {
    {"l1", "0.0", ParamRole::Ignored}, {"l2", "0.0", ParamRole::Ignored}};
/// Keras 1 called the rates of its dropouts `p` and the noise `sigma`.
static constexpr LegacyName kRateKeras1Names[] = {{"p", "rate"}};
static constexpr LegacyName kGaussianNoiseKeras1Names[] = {
    {"sigma", "stddev"}};

/// The identity, after checking the one parameter Keras itself validates:
/// a rate in [0, 1] ("Invalid value received for argument `rate`. Expected
/// a float value between 0 and 1."), a standard deviation not negative.
template <bool isRate>
static llvm::Expected<Value> buildInferenceIdentity(LayerContext &call) {
  LayerConfig &fields = call.config;
  llvm::StringRef key = isRate ? "rate" : "stddev";
  if (call.entry.className != "ActivityRegularization") {
    if (!fields.has(key))
      fields.error("config field '" + key + "' is missing");
    double value = fields.number(key, 0.0);
    if (llvm::Error e = fields.takeError())
      return std::move(e);
    if (isRate && !(value >= 0.0 && value <= 1.0))
      return call.fail("has rate " + formatNumber(value) +
                       ": Keras requires a rate between 0 and 1");
    if (!isRate && !(value >= 0.0))
      return call.fail("has stddev " + formatNumber(value) +
                       ": a standard deviation is not negative");
  }
  Builder b(call.getContext());
  return call.typed(InferenceIdentityOp::create(
      call.body, call.loc, call.input().getType(), call.input(),
      b.getStringAttr(call.entry.className)));
}

llvm::ArrayRef<LayerEntry> keras::regularizationLayers() {
  static const LayerEntry entries[] = {
      {"SpatialDropout1D",
       "https://keras.io/api/layers/regularization_layers/spatial_dropout1d/",
       kSpatialDropout1DParams, nullptr, buildInferenceIdentity<true>,
       "drops whole feature maps at random", kRateKeras1Names},
      {"SpatialDropout2D",
       "https://keras.io/api/layers/regularization_layers/spatial_dropout2d/",
       kSpatialDropoutParams, nullptr, buildInferenceIdentity<true>,
       "drops whole feature maps at random", kRateKeras1Names},
      {"SpatialDropout3D",
       "https://keras.io/api/layers/regularization_layers/spatial_dropout3d/",
       kSpatialDropoutParams, nullptr, buildInferenceIdentity<true>,
       "drops whole feature maps at random", kRateKeras1Names},
      {"GaussianNoise",
       "https://keras.io/api/layers/regularization_layers/gaussian_noise/",
       kGaussianNoiseParams, nullptr, buildInferenceIdentity<false>,
       "adds zero-centered Gaussian noise at random",
       kGaussianNoiseKeras1Names},
      {"GaussianDropout",
       "https://keras.io/api/layers/regularization_layers/gaussian_dropout/",
       kGaussianDropoutParams, nullptr, buildInferenceIdentity<true>,
       "multiplies by 1-centered Gaussian noise at random", kRateKeras1Names},
      {"AlphaDropout",
       "https://keras.io/api/layers/regularization_layers/alpha_dropout/",
       kAlphaDropoutParams, nullptr, buildInferenceIdentity<true>,
       "drops features at random, keeping the mean and variance",
       kRateKeras1Names},
      {"ActivityRegularization",
       "https://keras.io/api/layers/regularization_layers/"
       "activity_regularization/",
       kActivityRegularizationParams, nullptr, buildInferenceIdentity<true>,
       "adds its penalty on the activity to the training loss"},
  };
  return entries;
}
