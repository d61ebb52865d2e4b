//===- ConvOps.cpp - Keras convolution layers: ops and shape rules --------===//
//
// predict.layer.conv, predict.layer.separable_conv, predict.layer.conv_transpose
// and the computations they stand for, predict.conv and predict.conv_transpose:
// their shape rules (one per computation, used by both the layer and the op),
// verifiers, row-wise rules and size sources. Constraint numbers (C100-C110)
// refer to docs/Dialect.md.
//
//===----------------------------------------------------------------------===//

#include "ShapeRules.h"
#include "predict/Dialect/Predict/IR/ConvShapes.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::predict;

namespace {
std::optional<ArrayRef<int64_t>> shapeOf(Type type) {
  if (auto ranked = dyn_cast<RankedTensorType>(type))
    return ranked.getShape();
  return std::nullopt;
}
Type elementTypeOf(Type type) { return cast<ShapedType>(type).getElementType(); }
bool isStatic(int64_t d) { return !ShapedType::isDynamic(d); }
int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// The checks of a convolution's settings and kernel that need no input
/// (C100-C102, C104-C106), and its kernel's (channels, filters) as far as
/// static. `kernelChannelsAt` is the kernel dimension after the spatial
/// ones that holds the input's channels (0 for conv, 1 for transpose).
LogicalResult checkKernel(Type kernel, Type bias,
                          const rules::ConvSettings &settings, bool transpose,
                          rules::EmitErrorFn emitError, int64_t &channels,
                          int64_t &filters) {
  size_t spatial = settings.strides.size();
  if (spatial < 1 || spatial > 3) // C100
    return emitError() << "strides has " << spatial
                       << " entries; a convolution has 1 to 3 spatial axes";
  if (spatial == 3 && (transpose || settings.groups != 1)) // C300
    return emitError() << "a 3-D convolution has one group and is not "
                          "transposed (linalg's conv_3d_ndhwc_dhwcf)";
  if (settings.dilations.size() != spatial) // C101
    return emitError() << "dilations has " << settings.dilations.size()
                       << " entries but strides has " << spatial;
  for (auto [name, values] :
       {std::pair{"strides", settings.strides}, {"dilations", settings.dilations}})
    for (int64_t v : values)
      if (v < 1) // C101
        return emitError() << name << " must be positive, got " << v;
  if (settings.groups < 1) // C102
    return emitError() << "groups must be positive, got " << settings.groups;
  if (settings.padding == uint32_t(ConvPadding::causal) &&
      (spatial != 1 || transpose)) // C106
    return emitError() << "causal padding applies only to a 1-D convolution";
  if (settings.outputPadding) {
    if (settings.outputPadding->size() != spatial) // C109
      return emitError() << "output_padding has "
                         << settings.outputPadding->size()
                         << " entries but strides has " << spatial;
    for (auto [p, s] : llvm::zip_equal(*settings.outputPadding, settings.strides))
      if (p < 0 || p >= s) // C109
        return emitError() << "output_padding " << p
                           << " must be at least 0 and less than its stride "
                           << s;
  }
  channels = filters = ShapedType::kDynamic;
  if (auto k = shapeOf(kernel)) {
    if (k->size() != spatial + 2) // C100
      return emitError() << "kernel must have rank " << spatial + 2 << " ("
                         << (transpose ? "k... x filters x channels"
                                       : "k... x channels/groups x filters")
                         << "), got " << kernel;
    channels = (*k)[spatial + (transpose ? 1 : 0)];
    filters = (*k)[spatial + (transpose ? 0 : 1)];
  }
  if (isStatic(filters) && filters % settings.groups != 0) // C104
    return emitError() << "groups " << settings.groups
                       << " does not divide the kernel's " << filters
                       << " filters";
  if (bias) {
    auto b = shapeOf(bias);
    if (b && b->size() != 1) // C105
      return emitError() << "bias must be 1-D, got " << bias;
    if (b && isStatic((*b)[0]) && isStatic(filters) && (*b)[0] != filters)
      return emitError() << "bias has " << (*b)[0]
                         << " elements but the kernel has " << filters
                         << " filters";
    if (b && !isStatic(filters))
      filters = (*b)[0];
  }
  return success();
}

/// The common part of both rules: element types, the input's rank and
/// channels, then the result shape from `axis` (one call per spatial axis).
FailureOr<Type> inferWith(
    Type input, Type kernel, Type bias, const rules::ConvSettings &settings,
    bool transpose, rules::EmitErrorFn emitError,
    function_ref<FailureOr<int64_t>(size_t axis, int64_t in, int64_t k)> axis) {
  Type element = elementTypeOf(input);
  if (elementTypeOf(kernel) != element)
    return emitError() << "kernel element type " << elementTypeOf(kernel)
                       << " differs from the input's " << element;
  if (bias && elementTypeOf(bias) != element)
    return emitError() << "bias element type " << elementTypeOf(bias)
                       << " differs from the input's " << element;
  int64_t kernelChannels, filters;
  if (failed(checkKernel(kernel, bias, settings, transpose, emitError,
                         kernelChannels, filters)))
    return failure();
  auto in = shapeOf(input);
  if (!in)
    return Type(UnrankedTensorType::get(element));
  size_t spatial = settings.strides.size();
  if (in->size() != spatial + 2) // C100
    return emitError() << "input must have rank " << spatial + 2 << " (batch, "
                       << (settings.channelsFirst ? "channels, " : "")
                       << (spatial == 1   ? "steps"
                           : spatial == 2 ? "rows, columns"
                                          : "depth, rows, columns")
                       << (settings.channelsFirst ? "" : ", channels")
                       << "), got " << input;
  size_t channelAxis = settings.channelsFirst ? 1 : spatial + 1;
  size_t firstSpatial = settings.channelsFirst ? 2 : 1;
  int64_t channels = (*in)[channelAxis];
  int64_t groups = transpose ? 1 : settings.groups;
  if (isStatic(channels) && isStatic(kernelChannels) &&
      channels != kernelChannels * groups) { // C103, C108
    InFlightDiagnostic diag = emitError()
                              << "input has " << channels
                              << " channels but the kernel takes "
                              << kernelChannels;
    if (groups != 1)
      diag << " per group in " << groups << " groups";
    return diag;
  }
  auto k = shapeOf(kernel);
  SmallVector<int64_t> shape(in->size(), ShapedType::kDynamic);
  shape[0] = (*in)[0];
  shape[channelAxis] = filters;
  for (size_t i = 0; i < spatial; ++i) {
    int64_t size = (*in)[firstSpatial + i];
    int64_t ks = k ? (*k)[i] : ShapedType::kDynamic;
    if (!isStatic(size) || !isStatic(ks))
      continue;
    FailureOr<int64_t> out = axis(i, size, ks);
    if (failed(out))
      return failure();
    shape[firstSpatial + i] = *out;
  }
  return Type(RankedTensorType::get(shape, element));
}

rules::ConvSettings convSettings(ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ConvPadding padding, int64_t groups,
                                 bool channelsFirst) {
  rules::ConvSettings settings;
  settings.strides = strides;
  settings.dilations = dilations;
  settings.padding = uint32_t(padding);
  settings.groups = groups;
  settings.channelsFirst = channelsFirst;
  return settings;
}

/// A weight as a constant of the computation, or null when absent.
Value buildWeight(OpBuilder &builder, Location loc, ElementsAttr weight) {
  if (!weight)
    return {};
  return ConstantOp::create(builder, loc, weight);
}

Type typeOf(ElementsAttr weight) {
  return weight ? Type(weight.getShapedType()) : Type();
}

LogicalResult checkFloatWeight(Operation *op, StringRef name,
                               ElementsAttr weight) {
  if (weight && !isa<FloatType>(weight.getShapedType().getElementType()))
    return op->emitOpError() << "weight '" << name
                             << "' must hold floating-point values, got "
                             << weight.getShapedType();
  return success();
}

/// An input of unknown shape with `kernel`'s element type: the layer
/// verifiers check what needs no input through the shape rules.
Type anyInput(ElementsAttr kernel) {
  return UnrankedTensorType::get(kernel.getShapedType().getElementType());
}
} // namespace

//===----------------------------------------------------------------------===//
// Sizes along one axis
//===----------------------------------------------------------------------===//

std::optional<ConvAxis> predict::convAxis(int64_t in, int64_t k, int64_t s,
                                          int64_t d, ConvPadding padding) {
  if (!isStatic(in))
    return ConvAxis{ShapedType::kDynamic};
  int64_t kd = d * (k - 1) + 1;
  switch (padding) {
  case ConvPadding::valid:
    if (in < kd) // C107
      return std::nullopt;
    return ConvAxis{(in - kd) / s + 1};
  case ConvPadding::same: {
    int64_t out = ceilDiv(in, s);
    int64_t total = std::max<int64_t>((out - 1) * s + kd - in, 0);
    return ConvAxis{out, total / 2, total - total / 2};
  }
  case ConvPadding::causal:
    return ConvAxis{ceilDiv(in, s), kd - 1, 0};
  }
  llvm_unreachable("unknown padding");
}

ConvAxis predict::convTransposeAxis(int64_t in, int64_t k, int64_t s,
                                    int64_t d, ConvPadding padding,
                                    std::optional<int64_t> outputPadding) {
  if (!isStatic(in))
    return ConvAxis{ShapedType::kDynamic};
  int64_t kd = d * (k - 1) + 1;
  bool same = padding == ConvPadding::same;
  int64_t out;
  if (!outputPadding)
    out = same ? in * s : in * s + std::max<int64_t>(kd - s, 0);
  else
    out = (in - 1) * s + kd - 2 * (same ? kd / 2 : 0) + *outputPadding;
  int64_t before =
      same ? std::max<int64_t>((in - 1) * s + kd - out, 0) / 2 : 0;
  return ConvAxis{out, before, 0};
}

//===----------------------------------------------------------------------===//
// The shape rules
//===----------------------------------------------------------------------===//

FailureOr<Type> rules::inferConv(Type input, Type kernel, Type bias,
                                 const ConvSettings &settings,
                                 EmitErrorFn emitError) {
  return inferWith(
      input, kernel, bias, settings, /*transpose=*/false, emitError,
      [&](size_t i, int64_t in, int64_t k) -> FailureOr<int64_t> {
        auto axis = convAxis(in, k, settings.strides[i], settings.dilations[i],
                             ConvPadding(settings.padding));
        if (!axis) // C107
          return emitError()
                 << "input has size " << in << " along spatial axis " << i
                 << ", smaller than the dilated kernel's "
                 << settings.dilations[i] * (k - 1) + 1
                 << " (with padding valid)";
        return axis->out;
      });
}

FailureOr<Type> rules::inferConvTranspose(Type input, Type kernel, Type bias,
                                          const ConvSettings &settings,
                                          EmitErrorFn emitError) {
  return inferWith(
      input, kernel, bias, settings, /*transpose=*/true, emitError,
      [&](size_t i, int64_t in, int64_t k) -> FailureOr<int64_t> {
        std::optional<int64_t> outputPadding;
        if (settings.outputPadding)
          outputPadding = (*settings.outputPadding)[i];
        return convTransposeAxis(in, k, settings.strides[i],
                                 settings.dilations[i],
                                 ConvPadding(settings.padding), outputPadding)
            .out;
      });
}

//===----------------------------------------------------------------------===//
// predict.conv, predict.conv_transpose
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto type = rules::inferConv(
      getInput().getType(), getKernel().getType(),
      getBias() ? getBias().getType() : Type(),
      convSettings(getStrides(), getDilations(), getPadding(), getGroups(),
                   getChannelsFirst()),
      [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult
ConvTransposeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  rules::ConvSettings settings = convSettings(
      getStrides(), getDilations(), getPadding(), 1, getChannelsFirst());
  if (auto outputPadding = getOutputPadding())
    settings.outputPadding = *outputPadding;
  auto type = rules::inferConvTranspose(
      getInput().getType(), getKernel().getType(),
      getBias() ? getBias().getType() : Type(), settings,
      [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

/// The batch axis is the input's; the others follow the rule.
static SmallVector<std::pair<unsigned, int64_t>> batchSource(Value input,
                                                             int64_t dim) {
  if (dim != 0 || !isa<RankedTensorType>(input.getType()))
    return {};
  return {{0, 0}};
}

SmallVector<std::pair<unsigned, int64_t>>
ConvOp::getResultDimSources(int64_t dim) {
  return batchSource(getInput(), dim);
}

SmallVector<std::pair<unsigned, int64_t>>
ConvTransposeOp::getResultDimSources(int64_t dim) {
  return batchSource(getInput(), dim);
}

bool ConvOp::isRowWise(function_ref<bool(Value)> isRow) {
  // Each sample convolved alone with the same kernel.
  return isRow(getInput()) && !isRow(getKernel()) &&
         (!getBias() || !isRow(getBias()));
}

bool ConvTransposeOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && !isRow(getKernel()) &&
         (!getBias() || !isRow(getBias()));
}

//===----------------------------------------------------------------------===//
// predict.layer.conv
//===----------------------------------------------------------------------===//

static rules::ConvSettings settingsOf(ConvLayerOp op) {
  return convSettings(op.getStrides(), op.getDilations(), op.getPadding(),
                      op.getGroups(), op.getChannelsFirst());
}

LogicalResult ConvLayerOp::verify() {
  if (failed(checkFloatWeight(*this, "kernel", getKernel())) ||
      failed(checkFloatWeight(*this, "bias", getBiasAttr())))
    return failure();
  return rules::inferConv(anyInput(getKernel()), getKernel().getShapedType(),
                          typeOf(getBiasAttr()), settingsOf(*this),
                          [&] { return emitOpError(); });
}

FailureOr<Type>
ConvLayerOp::inferApplyType(Type input,
                            function_ref<InFlightDiagnostic()> emitError) {
  return rules::inferConv(input, getKernel().getShapedType(),
                          typeOf(getBiasAttr()), settingsOf(*this), [&] {
                            return emitError() << "layer '@" << getSymName()
                                               << "': ";
                          });
}

Value ConvLayerOp::buildApply(OpBuilder &builder, Location loc, Value input,
                              Type resultType) {
  return ConvOp::create(builder, loc, resultType, input,
                        buildWeight(builder, loc, getKernel()),
                        buildWeight(builder, loc, getBiasAttr()),
                        getStridesAttr(), getDilationsAttr(), getPaddingAttr(),
                        getGroupsAttr(), getChannelsFirstAttr(),
                        getActivationAttr());
}

bool ConvLayerOp::appliesRowWise(Value input) { return true; }

//===----------------------------------------------------------------------===//
// predict.layer.separable_conv
//===----------------------------------------------------------------------===//

static rules::ConvSettings depthwiseSettings(SeparableConvLayerOp op) {
  return convSettings(op.getStrides(), op.getDilations(), op.getPadding(),
                      op.getGroups(), op.getChannelsFirst());
}

/// The pointwise stage: kernel size 1, stride 1, one group.
static rules::ConvSettings pointwiseSettings(SeparableConvLayerOp op,
                                             SmallVectorImpl<int64_t> &ones) {
  ones.assign(op.getStrides().size(), 1);
  return convSettings(ones, ones, ConvPadding::valid, 1, op.getChannelsFirst());
}

LogicalResult SeparableConvLayerOp::verify() {
  if (failed(checkFloatWeight(*this, "depthwise", getDepthwiseKernel())) ||
      failed(checkFloatWeight(*this, "pointwise", getPointwiseKernel())) ||
      failed(checkFloatWeight(*this, "bias", getBiasAttr())))
    return failure();
  auto emit = [&] { return emitOpError(); };
  if (failed(rules::inferConv(anyInput(getDepthwiseKernel()),
                              getDepthwiseKernel().getShapedType(), Type(),
                              depthwiseSettings(*this), emit)))
    return failure();
  SmallVector<int64_t> ones;
  if (failed(rules::inferConv(anyInput(getPointwiseKernel()),
                              getPointwiseKernel().getShapedType(),
                              typeOf(getBiasAttr()),
                              pointwiseSettings(*this, ones), emit)))
    return failure();
  auto depthwise = getDepthwiseKernel().getShapedType();
  auto pointwise = getPointwiseKernel().getShapedType();
  int64_t spatial = getStrides().size();
  for (int64_t i = 0; i < spatial; ++i)
    if (pointwise.getDimSize(i) != 1) // C110
      return emitOpError() << "pointwise kernel must have size 1 along its "
                              "spatial axes, got "
                           << pointwise;
  if (pointwise.getDimSize(spatial) != depthwise.getDimSize(spatial + 1)) // C110
    return emitOpError() << "pointwise kernel takes "
                         << pointwise.getDimSize(spatial)
                         << " channels but the depthwise kernel gives "
                         << depthwise.getDimSize(spatial + 1);
  return success();
}

FailureOr<Type> SeparableConvLayerOp::inferApplyType(
    Type input, function_ref<InFlightDiagnostic()> emitError) {
  auto emit = [&] {
    return emitError() << "layer '@" << getSymName() << "': ";
  };
  auto middle = rules::inferConv(input, getDepthwiseKernel().getShapedType(),
                                 Type(), depthwiseSettings(*this), emit);
  if (failed(middle))
    return failure();
  SmallVector<int64_t> ones;
  return rules::inferConv(*middle, getPointwiseKernel().getShapedType(),
                          typeOf(getBiasAttr()),
                          pointwiseSettings(*this, ones), emit);
}

Value SeparableConvLayerOp::buildApply(OpBuilder &builder, Location loc,
                                       Value input, Type resultType) {
  auto middle = rules::inferConv(
      input.getType(), getDepthwiseKernel().getShapedType(), Type(),
      depthwiseSettings(*this), [&] { return emitOpError(); });
  Value depthwise = ConvOp::create(
      builder, loc, *middle, input,
      buildWeight(builder, loc, getDepthwiseKernel()), Value(),
      getStridesAttr(), getDilationsAttr(), getPaddingAttr(), getGroupsAttr(),
      getChannelsFirstAttr(),
      ActivationKindAttr::get(getContext(), ActivationKind::linear));
  SmallVector<int64_t> ones(getStrides().size(), 1);
  auto onesAttr = builder.getDenseI64ArrayAttr(ones);
  return ConvOp::create(
      builder, loc, resultType, depthwise,
      buildWeight(builder, loc, getPointwiseKernel()),
      buildWeight(builder, loc, getBiasAttr()), onesAttr, onesAttr,
      ConvPaddingAttr::get(getContext(), ConvPadding::valid),
      builder.getI64IntegerAttr(1), getChannelsFirstAttr(),
      getActivationAttr());
}

bool SeparableConvLayerOp::appliesRowWise(Value input) { return true; }

//===----------------------------------------------------------------------===//
// predict.layer.conv_transpose
//===----------------------------------------------------------------------===//

static rules::ConvSettings settingsOf(ConvTransposeLayerOp op) {
  rules::ConvSettings settings =
      convSettings(op.getStrides(), op.getDilations(), op.getPadding(), 1,
                   op.getChannelsFirst());
  if (auto outputPadding = op.getOutputPadding())
    settings.outputPadding = *outputPadding;
  return settings;
}

LogicalResult ConvTransposeLayerOp::verify() {
  if (failed(checkFloatWeight(*this, "kernel", getKernel())) ||
      failed(checkFloatWeight(*this, "bias", getBiasAttr())))
    return failure();
  return rules::inferConvTranspose(
      anyInput(getKernel()), getKernel().getShapedType(), typeOf(getBiasAttr()),
      settingsOf(*this), [&] { return emitOpError(); });
}

FailureOr<Type> ConvTransposeLayerOp::inferApplyType(
    Type input, function_ref<InFlightDiagnostic()> emitError) {
  return rules::inferConvTranspose(
      input, getKernel().getShapedType(), typeOf(getBiasAttr()),
      settingsOf(*this),
      [&] { return emitError() << "layer '@" << getSymName() << "': "; });
}

Value ConvTransposeLayerOp::buildApply(OpBuilder &builder, Location loc,
                                       Value input, Type resultType) {
  return ConvTransposeOp::create(
      builder, loc, resultType, input, buildWeight(builder, loc, getKernel()),
      buildWeight(builder, loc, getBiasAttr()), getStridesAttr(),
      getDilationsAttr(), getPaddingAttr(), getOutputPaddingAttr(),
      getChannelsFirstAttr(), getActivationAttr());
}

bool ConvTransposeLayerOp::appliesRowWise(Value input) { return true; }
