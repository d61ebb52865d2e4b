//===- ConvolutionalLayers.cpp - Conv1D/2D, DepthwiseConv2D, Separable, Transpose ===//
//
// The registry entries of Keras's convolution layers
// (https://keras.io/api/layers/convolution_layers/). Each reads the config
// (kernel_size, strides and dilation_rate as an int or a tuple), checks the
// weights' shapes against it and the input, and declares one
// predict.layer.conv, predict.layer.separable_conv or
// predict.layer.conv_transpose. Weights: Keras 2 files by name (kernel,
// bias; depthwise_kernel, pointwise_kernel), Keras 3 files by position in
// the order build() creates them (keras/src/layers/convolutional/
// base_conv.py, base_depthwise_conv.py, base_separable_conv.py,
// base_conv_transpose.py): kernel then bias.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

namespace {

enum class ConvKind { Conv, Depthwise, Separable, Transpose };

//===----------------------------------------------------------------------===//
// Conv1D/Conv2D(filters, kernel_size, strides=1, padding="valid",
//   data_format=None, dilation_rate=1, groups=1, activation=None,
//   use_bias=True, kernel_initializer="glorot_uniform",
//   bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
//   activity_regularizer=None, kernel_constraint=None, bias_constraint=None)
// https://keras.io/api/layers/convolution_layers/convolution2d/
//===----------------------------------------------------------------------===//

constexpr LayerParam kConvParams[] = {
    {"filters", ""},
    {"kernel_size", ""},
    {"strides", "1"},
    {"padding", "\"valid\""},
    {"data_format", "null"},
    {"dilation_rate", "1"},
    {"groups", "1"},
    {"activation", "null"},
    {"use_bias", "true"},
    {"kernel_initializer", "\"glorot_uniform\"", ParamRole::Initializer},
    {"bias_initializer", "\"zeros\"", ParamRole::Initializer},
    {"kernel_regularizer", "null", ParamRole::Ignored},
    {"bias_regularizer", "null", ParamRole::Ignored},
    {"activity_regularizer", "null", ParamRole::Ignored},
    {"kernel_constraint", "null", ParamRole::Ignored},
    {"bias_constraint", "null", ParamRole::Ignored},
};

//===----------------------------------------------------------------------===//
// DepthwiseConv2D(kernel_size, strides=(1, 1), padding="valid",
//   depth_multiplier=1, data_format=None, dilation_rate=(1, 1),
//   activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
//   bias_initializer="zeros", depthwise_regularizer=None,
//   bias_regularizer=None, activity_regularizer=None,
//   depthwise_constraint=None, bias_constraint=None)
// https://keras.io/api/layers/convolution_layers/depthwise_convolution2d/
//===----------------------------------------------------------------------===//

constexpr LayerParam kDepthwiseParams[] = {
    {"kernel_size", ""},
    {"strides", "1"},
    {"padding", "\"valid\""},
    {"depth_multiplier", "1"},
    {"data_format", "null"},
    {"dilation_rate", "1"},
    {"activation", "null"},
    {"use_bias", "true"},
    {"depthwise_initializer", "\"glorot_uniform\"", ParamRole::Initializer},
    {"bias_initializer", "\"zeros\"", ParamRole::Initializer},
    {"depthwise_regularizer", "null", ParamRole::Ignored},
    {"bias_regularizer", "null", ParamRole::Ignored},
    {"activity_regularizer", "null", ParamRole::Ignored},
    {"depthwise_constraint", "null", ParamRole::Ignored},
    {"bias_constraint", "null", ParamRole::Ignored},
};

//===----------------------------------------------------------------------===//
// SeparableConv1D/2D(filters, kernel_size, strides=1, padding="valid",
//   data_format=None, dilation_rate=1, depth_multiplier=1, activation=None,
//   use_bias=True, depthwise_initializer="glorot_uniform",
//   pointwise_initializer="glorot_uniform", bias_initializer="zeros", ...)
// https://keras.io/api/layers/convolution_layers/separable_convolution2d/
//===----------------------------------------------------------------------===//

constexpr LayerParam kSeparableParams[] = {
    {"filters", ""},
    {"kernel_size", ""},
    {"strides", "1"},
    {"padding", "\"valid\""},
    {"data_format", "null"},
    {"dilation_rate", "1"},
    {"depth_multiplier", "1"},
    {"activation", "null"},
    {"use_bias", "true"},
    {"depthwise_initializer", "\"glorot_uniform\"", ParamRole::Initializer},
    {"pointwise_initializer", "\"glorot_uniform\"", ParamRole::Initializer},
    {"bias_initializer", "\"zeros\"", ParamRole::Initializer},
    {"depthwise_regularizer", "null", ParamRole::Ignored},
    {"pointwise_regularizer", "null", ParamRole::Ignored},
    {"bias_regularizer", "null", ParamRole::Ignored},
    {"activity_regularizer", "null", ParamRole::Ignored},
    {"depthwise_constraint", "null", ParamRole::Ignored},
    {"pointwise_constraint", "null", ParamRole::Ignored},
    {"bias_constraint", "null", ParamRole::Ignored},
};

//===----------------------------------------------------------------------===//
// Conv2DTranspose(filters, kernel_size, strides=(1, 1), padding="valid",
//   output_padding=None, data_format=None, dilation_rate=(1, 1),
//   activation=None, use_bias=True, kernel_initializer="glorot_uniform",
//   bias_initializer="zeros", ...)
// https://keras.io/api/layers/convolution_layers/convolution2d_transpose/
//===----------------------------------------------------------------------===//

constexpr LayerParam kTransposeParams[] = {
    {"filters", ""},
    {"kernel_size", ""},
    {"strides", "1"},
    {"padding", "\"valid\""},
    {"output_padding", "null"},
    {"data_format", "null"},
    {"dilation_rate", "1"},
    {"activation", "null"},
    {"use_bias", "true"},
    {"kernel_initializer", "\"glorot_uniform\"", ParamRole::Initializer},
    {"bias_initializer", "\"zeros\"", ParamRole::Initializer},
    {"kernel_regularizer", "null", ParamRole::Ignored},
    {"bias_regularizer", "null", ParamRole::Ignored},
    {"activity_regularizer", "null", ParamRole::Ignored},
    {"kernel_constraint", "null", ParamRole::Ignored},
    {"bias_constraint", "null", ParamRole::Ignored},
};

template <ConvKind kind>
llvm::SmallVector<llvm::StringRef> convWeights(LayerConfig &config) {
  llvm::SmallVector<llvm::StringRef> names;
  switch (kind) {
  case ConvKind::Conv:
  case ConvKind::Transpose:
    names.push_back("kernel");
    break;
  case ConvKind::Depthwise:
    names.push_back("depthwise_kernel");
    break;
  case ConvKind::Separable:
    names.push_back("depthwise_kernel");
    names.push_back("pointwise_kernel");
    break;
  }
  if (config.boolean("use_bias"))
    names.push_back("bias");
  return names;
}

std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  return "(" +
         llvm::join(llvm::map_range(shape,
                                    [](int64_t d) {
                                      return ShapedType::isDynamic(d)
                                                 ? std::string("None")
                                                 : std::to_string(d);
                                    }),
                    ", ") +
         (shape.size() == 1 ? ",)" : ")");
}

/// The config of one convolution layer, read and checked.
struct ConvConfig {
  int64_t filters = 0, depthMultiplier = 1, groups = 1;
  llvm::SmallVector<int64_t> kernelSize, strides, dilations;
  std::optional<llvm::SmallVector<int64_t>> outputPadding;
  ConvPadding padding = ConvPadding::valid;
  bool channelsFirst = false, useBias = true;
};

/// A tuple field of `spatial` positive entries (or one int for all).
llvm::Error readTuple(LayerContext &call, llvm::StringRef key,
                      size_t spatial, llvm::SmallVector<int64_t> &out,
                      bool positive = true) {
  LayerConfig &fields = call.config;
  out = fields.has(key) ? fields.integers(key, {1}) : llvm::SmallVector<int64_t>{1};
  if (llvm::Error e = fields.takeError())
    return e;
  if (out.size() == 1)
    out.assign(spatial, out.front());
  if (out.size() != spatial)
    return call.fail("has " + key + " " + shapeText(out) + " with " +
                     llvm::Twine(out.size()) + " entries; a " +
                     call.entry.className + " takes " + llvm::Twine(spatial));
  for (int64_t v : out)
    if (positive ? v < 1 : v < 0)
      return call.fail("has " + key + " " + shapeText(out) + ": Keras requires " +
                       (positive ? "positive" : "non-negative") + " values");
  return llvm::Error::success();
}

template <ConvKind kind, size_t spatial>
llvm::Expected<ConvConfig> readConfig(LayerContext &call) {
  LayerConfig &fields = call.config;
  ConvConfig c;
  llvm::StringRef cls = call.entry.className;
  if (kind != ConvKind::Depthwise) {
    if (!fields.has("filters"))
      return call.fail("has no 'filters' in its config: " + cls +
                       " needs its number of filters");
    c.filters = fields.integer("filters", 0);
  }
  if (!fields.has("kernel_size"))
    return call.fail("has no 'kernel_size' in its config: " + cls +
                     " needs its kernel size");
  std::string padding = llvm::StringRef(fields.string("padding", "valid")).lower();
  std::string format = fields.has("data_format")
                           ? fields.string("data_format", "channels_last")
                           : "channels_last";
  c.useBias = fields.boolean("use_bias", true);
  if (kind == ConvKind::Conv)
    c.groups = fields.integer("groups", 1);
  if (kind == ConvKind::Depthwise || kind == ConvKind::Separable)
    c.depthMultiplier = fields.integer("depth_multiplier", 1);
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  if (kind != ConvKind::Depthwise && c.filters < 1)
    return call.fail("has filters " + llvm::Twine(c.filters) +
                     ": Keras requires a positive number of filters");
  if (c.groups < 1)
    return call.fail("has groups " + llvm::Twine(c.groups) +
                     ": Keras requires a positive number of groups");
  if (c.depthMultiplier < 1)
    return call.fail("has depth_multiplier " + llvm::Twine(c.depthMultiplier) +
                     ": Keras requires a positive multiplier");
  if (llvm::Error e = readTuple(call, "kernel_size", spatial, c.kernelSize))
    return std::move(e);
  if (llvm::Error e = readTuple(call, "strides", spatial, c.strides))
    return std::move(e);
  if (llvm::Error e = readTuple(call, "dilation_rate", spatial, c.dilations))
    return std::move(e);
  if (kind == ConvKind::Transpose && fields.has("output_padding")) {
    llvm::SmallVector<int64_t> op;
    if (llvm::Error e = readTuple(call, "output_padding", spatial, op,
                                  /*positive=*/false))
      return std::move(e);
    for (auto [p, s] : llvm::zip_equal(op, c.strides))
      if (p >= s)
        return call.fail("has output_padding " + shapeText(op) +
                         " not less than its strides " + shapeText(c.strides) +
                         ", which Keras requires");
    c.outputPadding = op;
  }
  if (padding == "valid")
    c.padding = ConvPadding::valid;
  else if (padding == "same")
    c.padding = ConvPadding::same;
  else if (padding == "causal" && kind == ConvKind::Conv && spatial == 1)
    c.padding = ConvPadding::causal;
  else
    return call.fail("has padding '" + padding + "', which " + cls +
                     " does not take (valid or same" +
                     (kind == ConvKind::Conv && spatial == 1 ? ", or causal"
                                                             : "") +
                     ")");
  if (format == "channels_first")
    c.channelsFirst = true;
  else if (format != "channels_last")
    return call.fail("has data_format '" + format +
                     "' (Keras takes channels_last or channels_first)");
  return c;
}

/// The input's channels, after checking that every size but the batch is
/// known (predict computes padding and output sizes at compile time).
llvm::Expected<int64_t> inputChannels(LayerContext &call, size_t spatial,
                                      bool channelsFirst) {
  auto type = dyn_cast<RankedTensorType>(call.input().getType());
  if (!type)
    return call.fail("has an input of unknown shape; predict compiles a "
                     "convolution on an input of known rank and sizes");
  if (type.getRank() != int64_t(spatial) + 2)
    return call.fail("takes inputs of rank " + llvm::Twine(spatial + 2) +
                     " (batch, " +
                     (spatial == 1   ? "steps, channels"
                      : spatial == 2 ? "rows, columns, channels"
                                     : "depth, rows, columns, channels") +
                     "), got shape " + shapeText(type.getShape()));
  for (int64_t d : type.getShape().drop_front())
    if (ShapedType::isDynamic(d))
      return call.fail("has an input of shape " + shapeText(type.getShape()) +
                       ": predict compiles convolutions whose sizes, but the "
                       "batch, are known; give the model's input a full "
                       "shape (Input(shape=...) without None)");
  return type.getDimSize(channelsFirst ? 1 : spatial + 1);
}

/// The weight `name` from the provider, checked to have `expected`.
llvm::Expected<WeightArray> weightOfShape(LayerContext &call,
                                          llvm::StringRef name,
                                          llvm::ArrayRef<int64_t> expected,
                                          llvm::StringRef why) {
  auto array = call.array(name, expected);
  if (!array)
    return array.takeError();
  if (llvm::ArrayRef<int64_t>(array->shape) != expected)
    return call.fail("has a " + name + " of shape " + shapeText(array->shape) +
                     " but its config and input need " + shapeText(expected) +
                     " (" + why + ")");
  return array;
}

template <ConvKind kind, size_t spatial>
llvm::Expected<Value> buildConv(LayerContext &call) {
  LayerConfig &fields = call.config;
  // Keras 1's Convolution1D/2D named their fields otherwise (nb_filter,
  // nb_row, nb_col, subsample, border_mode) and stored Theano-ordered
  // kernels; predict reads Keras 2's and 3's.
  if (fields.kerasMajorVersion() < 2)
    return call.fail("was written by Keras 1, whose convolution layers "
                     "predict does not read (their fields and kernel layout "
                     "differ); load the model in Keras 2 and save it again");
  Activation act = activationField(fields);
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  auto config = readConfig<kind, spatial>(call);
  if (!config)
    return config.takeError();
  ConvConfig &c = *config;
  auto channels = inputChannels(call, spatial, c.channelsFirst);
  if (!channels)
    return channels.takeError();
  int64_t C = *channels;
  if (kind == ConvKind::Conv && C % c.groups != 0)
    return call.fail("has groups " + llvm::Twine(c.groups) +
                     ", which does not divide its input's " + llvm::Twine(C) +
                     " channels, as Keras requires");
  if (spatial == 3 && c.groups != 1)
    return call.fail("has groups " + llvm::Twine(c.groups) +
                     ": predict compiles a Conv3D of one group (linalg has "
                     "no grouped 3-D convolution)");
  if (kind == ConvKind::Conv && c.filters % c.groups != 0)
    return call.fail("has groups " + llvm::Twine(c.groups) +
                     ", which does not divide its " + llvm::Twine(c.filters) +
                     " filters, as Keras requires");

  ActivationKind own = act.plain() ? act.kind : ActivationKind::linear;
  MLIRContext *ctx = call.getContext();
  auto decl = call.declare([&](OpBuilder &decls) -> llvm::Expected<Operation *> {
    Builder b(ctx);
    llvm::SmallVector<int64_t> kshape(c.kernelSize);
    ElementsAttr bias;
    auto readBias = [&](int64_t filters) -> llvm::Error {
      if (!c.useBias)
        return llvm::Error::success();
      auto array = weightOfShape(call, "bias", {filters}, "one per filter");
      if (!array)
        return array.takeError();
      bias = call.weightAttr("bias", std::move(*array), array->shape);
      return llvm::Error::success();
    };
    auto strides = b.getDenseI64ArrayAttr(c.strides);
    auto dilations = b.getDenseI64ArrayAttr(c.dilations);
    auto padding = ConvPaddingAttr::get(ctx, c.padding);
    UnitAttr channelsFirst = c.channelsFirst ? b.getUnitAttr() : UnitAttr();
    auto activation = ActivationKindAttr::get(ctx, own);
    auto name = b.getStringAttr(call.name);
    switch (kind) {
    case ConvKind::Conv: {
      kshape.append({C / c.groups, c.filters});
      auto kernel = weightOfShape(call, "kernel", kshape,
                                  "kernel_size x channels/groups x filters");
      if (!kernel)
        return kernel.takeError();
      if (llvm::Error e = readBias(c.filters))
        return std::move(e);
      return ConvLayerOp::create(
                 decls, call.loc, name,
                 call.weightAttr("kernel", std::move(*kernel), kshape), bias,
                 strides, dilations, padding, b.getI64IntegerAttr(c.groups),
                 channelsFirst, activation)
          .getOperation();
    }
    case ConvKind::Depthwise: {
      // Keras's k... x C x M is k... x 1 x (C*M) in C groups.
      kshape.append({C, c.depthMultiplier});
      auto kernel = weightOfShape(call, "depthwise_kernel", kshape,
                                  "kernel_size x channels x depth_multiplier");
      if (!kernel)
        return kernel.takeError();
      if (llvm::Error e = readBias(C * c.depthMultiplier))
        return std::move(e);
      llvm::SmallVector<int64_t> grouped(c.kernelSize);
      grouped.append({1, C * c.depthMultiplier});
      return ConvLayerOp::create(decls, call.loc, name,
                                 call.weightAttr("depthwise_kernel",
                                                 std::move(*kernel), grouped),
                                 bias, strides, dilations, padding,
                                 b.getI64IntegerAttr(C), channelsFirst,
                                 activation)
          .getOperation();
    }
    case ConvKind::Separable: {
      kshape.append({C, c.depthMultiplier});
      auto depthwise = weightOfShape(call, "depthwise_kernel", kshape,
                                     "kernel_size x channels x depth_multiplier");
      if (!depthwise)
        return depthwise.takeError();
      llvm::SmallVector<int64_t> pshape(spatial, 1);
      pshape.append({C * c.depthMultiplier, c.filters});
      auto pointwise = weightOfShape(
          call, "pointwise_kernel", pshape,
          "1 x channels*depth_multiplier x filters");
      if (!pointwise)
        return pointwise.takeError();
      if (llvm::Error e = readBias(c.filters))
        return std::move(e);
      llvm::SmallVector<int64_t> grouped(c.kernelSize);
      grouped.append({1, C * c.depthMultiplier});
      return SeparableConvLayerOp::create(
                 decls, call.loc, name,
                 call.weightAttr("depthwise_kernel", std::move(*depthwise),
                                 grouped),
                 call.weightAttr("pointwise_kernel", std::move(*pointwise),
                                 pshape),
                 bias, strides, dilations, padding, b.getI64IntegerAttr(C),
                 channelsFirst, activation)
          .getOperation();
    }
    case ConvKind::Transpose: {
      kshape.append({c.filters, C});
      auto kernel = weightOfShape(call, "kernel", kshape,
                                  "kernel_size x filters x channels");
      if (!kernel)
        return kernel.takeError();
      if (llvm::Error e = readBias(c.filters))
        return std::move(e);
      DenseI64ArrayAttr outputPadding;
      if (c.outputPadding)
        outputPadding = b.getDenseI64ArrayAttr(*c.outputPadding);
      return ConvTransposeLayerOp::create(
                 decls, call.loc, name,
                 call.weightAttr("kernel", std::move(*kernel), kshape), bias,
                 strides, dilations, padding, outputPadding, channelsFirst,
                 activation)
          .getOperation();
    }
    }
    llvm_unreachable("unknown convolution kind");
  });
  if (!decl)
    return decl.takeError();
  auto applied = call.apply(*decl);
  if (!applied || act.plain())
    return applied;
  return applyActivation(call, *applied, act);
}

} // namespace

llvm::ArrayRef<LayerEntry> keras::convolutionalLayers() {
  static const LayerEntry entries[] = {
      {"Conv1D", "https://keras.io/api/layers/convolution_layers/convolution1d/",
       kConvParams, convWeights<ConvKind::Conv>, buildConv<ConvKind::Conv, 1>},
      {"Conv2D", "https://keras.io/api/layers/convolution_layers/convolution2d/",
       kConvParams, convWeights<ConvKind::Conv>, buildConv<ConvKind::Conv, 2>},
      {"DepthwiseConv2D",
       "https://keras.io/api/layers/convolution_layers/"
       "depthwise_convolution2d/",
       kDepthwiseParams, convWeights<ConvKind::Depthwise>,
       buildConv<ConvKind::Depthwise, 2>},
      {"SeparableConv1D",
       "https://keras.io/api/layers/convolution_layers/"
       "separable_convolution1d/",
       kSeparableParams, convWeights<ConvKind::Separable>,
       buildConv<ConvKind::Separable, 1>},
      {"SeparableConv2D",
       "https://keras.io/api/layers/convolution_layers/"
       "separable_convolution2d/",
       kSeparableParams, convWeights<ConvKind::Separable>,
       buildConv<ConvKind::Separable, 2>},
      {"Conv2DTranspose",
       "https://keras.io/api/layers/convolution_layers/"
       "convolution2d_transpose/",
       kTransposeParams, convWeights<ConvKind::Transpose>,
       buildConv<ConvKind::Transpose, 2>},
      // Keras 3's DepthwiseConv1D: the same layer with one spatial axis
      // (kernel k x C x depth_multiplier), lowered as DepthwiseConv2D is.
      {"DepthwiseConv1D",
       "https://keras.io/api/layers/convolution_layers/"
       "depthwise_convolution1d/",
       kDepthwiseParams, convWeights<ConvKind::Depthwise>,
       buildConv<ConvKind::Depthwise, 1>},
      // Keras's Conv1DTranspose: Conv2DTranspose with one spatial axis
      // (kernel k x filters x C), lowered as a row of height 1.
      {"Conv1DTranspose",
       "https://keras.io/api/layers/convolution_layers/"
       "convolution1d_transpose/",
       kTransposeParams, convWeights<ConvKind::Transpose>,
       buildConv<ConvKind::Transpose, 1>},
      {"Convolution1DTranspose",
       "https://keras.io/api/layers/convolution_layers/"
       "convolution1d_transpose/",
       kTransposeParams, convWeights<ConvKind::Transpose>,
       buildConv<ConvKind::Transpose, 1>},
      // Conv3D (volumes: batch, depth, rows, columns, channels), one group.
      {"Conv3D", "https://keras.io/api/layers/convolution_layers/convolution3d/",
       kConvParams, convWeights<ConvKind::Conv>, buildConv<ConvKind::Conv, 3>},
      {"Convolution3D",
       "https://keras.io/api/layers/convolution_layers/convolution3d/",
       kConvParams, convWeights<ConvKind::Conv>, buildConv<ConvKind::Conv, 3>},
      // Keras's aliases (keras.layers.Convolution2D is Conv2D, in Keras 2
      // and 3): a saved file names the class, Python source may use either.
      {"Convolution1D",
       "https://keras.io/api/layers/convolution_layers/convolution1d/",
       kConvParams, convWeights<ConvKind::Conv>, buildConv<ConvKind::Conv, 1>},
      {"Convolution2D",
       "https://keras.io/api/layers/convolution_layers/convolution2d/",
       kConvParams, convWeights<ConvKind::Conv>, buildConv<ConvKind::Conv, 2>},
      {"SeparableConvolution1D",
       "https://keras.io/api/layers/convolution_layers/"
       "separable_convolution1d/",
       kSeparableParams, convWeights<ConvKind::Separable>,
       buildConv<ConvKind::Separable, 1>},
      {"SeparableConvolution2D",
       "https://keras.io/api/layers/convolution_layers/"
       "separable_convolution2d/",
       kSeparableParams, convWeights<ConvKind::Separable>,
       buildConv<ConvKind::Separable, 2>},
      {"Convolution2DTranspose",
       "https://keras.io/api/layers/convolution_layers/"
       "convolution2d_transpose/",
       kTransposeParams, convWeights<ConvKind::Transpose>,
       buildConv<ConvKind::Transpose, 2>},
  };
  return entries;
}
