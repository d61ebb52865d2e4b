//===- ReshapingLayers.cpp - padding, cropping, upsampling, reshapes
//-------===//
//
// ZeroPadding1D/2D/3D (predict.pad), Cropping1D/2D/3D (predict.crop),
// UpSampling1D/2D/3D (predict.upsample), Reshape (predict.reshape), Permute
// (predict.transpose) and RepeatVector (predict.reshape to N x 1 x F, then
// predict.upsample along the new axis). Flatten is in CoreLayers.cpp.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"
#include "SpatialConfig.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

namespace {
Type unranked(LayerContext &call) {
  return UnrankedTensorType::get(Float32Type::get(call.getContext()));
}

std::string formatTuple(llvm::ArrayRef<int64_t> values) {
  std::string text = "(";
  for (auto [i, v] : llvm::enumerate(values))
    text += (i ? ", " : "") + std::to_string(v);
  return text + (values.size() == 1 ? ",)" : ")");
}

/// The input's rank must be `rank` (batch, `rank - 2` spatial axes,
/// channels), as Keras's InputSpec(ndim=...) requires.
llvm::Error checkRank(LayerContext &call, int64_t rank,
                      llvm::StringRef axes) {
  auto ranked = dyn_cast<RankedTensorType>(call.input().getType());
  if (!ranked || ranked.getRank() == rank)
    return llvm::Error::success();
  return call.fail("expects an input of rank " + llvm::Twine(rank) + " (" +
                   axes + "), got " + llvm::Twine(ranked.getRank()) +
                   " axes");
}

/// Per-axis (before, after) amounts on the spatial axes of a rank
/// `2 + spatial.size()` input, zero on the batch and channel axes.
/// The axes of a channels_last input with `spatial` spatial axes, as
/// Keras's docs name them.
const char *spatialAxes(size_t spatial) {
  return spatial == 1   ? "batch, steps, features"
         : spatial == 2 ? "batch, rows, columns, channels"
                        : "batch, depth, rows, columns, channels";
}

void spreadPairs(llvm::ArrayRef<std::pair<int64_t, int64_t>> spatial,
                 bool channelsFirst, llvm::SmallVectorImpl<int64_t> &low,
                 llvm::SmallVectorImpl<int64_t> &high) {
  int64_t rank = spatial.size() + 2, first = channelsFirst ? 2 : 1;
  low.assign(rank, 0);
  high.assign(rank, 0);
  for (auto [i, p] : llvm::enumerate(spatial)) {
    low[first + i] = p.first;
    high[first + i] = p.second;
  }
}
} // namespace

//===----------------------------------------------------------------------===//
// ZeroPadding1D(padding=1, data_format=None)
// ZeroPadding2D(padding=(1, 1), data_format=None)
// ZeroPadding3D(padding=((1, 1), (1, 1), (1, 1)), data_format=None)
// https://keras.io/api/layers/reshaping_layers/zero_padding2d/
// Cropping1D(cropping=(1, 1)); Cropping2D(cropping=((0, 0), (0, 0)),
// data_format=None); Cropping3D(cropping=((1, 1), (1, 1), (1, 1)),
// data_format=None)
// https://keras.io/api/layers/reshaping_layers/cropping2d/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kZeroPadding1DParams[] = {
    {"padding", "1"}, {"data_format", "null"}};
static constexpr LayerParam kZeroPadding2DParams[] = {
    {"padding", "[1, 1]"}, {"data_format", "null"}};
static constexpr LayerParam kZeroPadding3DParams[] = {
    {"padding", "[[1, 1], [1, 1], [1, 1]]"}, {"data_format", "null"}};
static constexpr LayerParam kCropping1DParams[] = {{"cropping", "[1, 1]"}};
static constexpr LayerParam kCropping2DParams[] = {
    {"cropping", "[[0, 0], [0, 0]]"}, {"data_format", "null"}};
static constexpr LayerParam kCropping3DParams[] = {
    {"cropping", "[[1, 1], [1, 1], [1, 1]]"}, {"data_format", "null"}};
static constexpr LegacyName kSpatial2DKeras1Names[] = {
    {"dim_ordering", "data_format"}};

template <bool crop, size_t spatial>
static llvm::Expected<Value> buildPadOrCrop(LayerContext &call) {
  LayerConfig &fields = call.config;
  llvm::StringRef key = crop ? "cropping" : "padding";
  // Keras's defaults: 1 on each side, but Cropping2D's are 0.
  int64_t side = crop && spatial == 2 ? 0 : 1;
  llvm::SmallVector<std::pair<int64_t, int64_t>> dflt(spatial, {side, side});
  auto pairs = pairsField(fields, key, spatial, dflt);
  bool channelsFirst = channelsFirstField(fields);
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  if (llvm::Error e = checkRank(call, spatial + 2, spatialAxes(spatial)))
    return std::move(e);
  llvm::SmallVector<int64_t> low, high;
  spreadPairs(pairs, channelsFirst, low, high);
  Builder b(call.getContext());
  if (crop)
    return call.typed(CropOp::create(call.body, call.loc, unranked(call),
                                     call.input(),
                                     b.getDenseI64ArrayAttr(low),
                                     b.getDenseI64ArrayAttr(high)));
  return call.typed(PadOp::create(call.body, call.loc, unranked(call),
                                  call.input(), b.getDenseI64ArrayAttr(low),
                                  b.getDenseI64ArrayAttr(high),
                                  /*value=*/FloatAttr()));
}

//===----------------------------------------------------------------------===//
// UpSampling1D(size=2)
// UpSampling2D(size=(2, 2), data_format=None, interpolation="nearest")
// UpSampling3D(size=(2, 2, 2), data_format=None): nearest (it has no
// interpolation)
// https://keras.io/api/layers/reshaping_layers/up_sampling2d/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kUpSampling1DParams[] = {{"size", "2"}};
static constexpr LayerParam kUpSampling2DParams[] = {
    {"size", "[2, 2]"},
    {"data_format", "null"},
    {"interpolation", "\"nearest\""}};
static constexpr LayerParam kUpSampling3DParams[] = {{"size", "[2, 2, 2]"},
                                                     {"data_format", "null"}};
/// Keras 1's UpSampling1D called its size `length`.
static constexpr LegacyName kUpSampling1DKeras1Names[] = {{"length", "size"}};

/// The `out x in` matrix of linear interpolation weights that upsamples
/// `in` positions by `factor`, as TensorFlow's bilinear resize computes them
/// (half-pixel centers, no antialiasing: tf.image.resize, which tf.keras 2's
/// backend.resize_images and Keras 3's ops.image.resize call): output
/// position o samples the input at (o + 0.5) / factor - 0.5, between
/// floor and ceil of it clamped to the axis, weighted by the fraction.
static llvm::SmallVector<float> linearWeights(int64_t in, int64_t factor) {
  int64_t out = in * factor;
  llvm::SmallVector<float> a(out * in, 0.0f);
  for (int64_t o = 0; o < out; ++o) {
    double at = (o + 0.5) / double(factor) - 0.5;
    double below = std::floor(at);
    int64_t lower = std::max<int64_t>(int64_t(below), 0);
    int64_t upper = std::min<int64_t>(int64_t(std::ceil(at)), in - 1);
    double frac = at - below;
    a[o * in + lower] += float(1 - frac);
    a[o * in + upper] += float(frac);
  }
  return a;
}

/// UpSampling2D(interpolation="bilinear"): the interpolation is separable,
/// so it is two products with constant weight matrices, `A_h` (sH x H) along
/// the rows and `A_w` (sW x W) along the columns, each as a predict.dense
/// of the axis moved last (predict.transpose) with `A^T`.
static llvm::Expected<Value> bilinearUpSampling(LayerContext &call,
                                                llvm::ArrayRef<int64_t> size,
                                                bool channelsFirst) {
  auto type = dyn_cast<RankedTensorType>(call.input().getType());
  if (!type || type.getRank() != 4 ||
      llvm::any_of(type.getShape().drop_front(), ShapedType::isDynamic))
    return call.fail("has interpolation 'bilinear', which needs an input of "
                     "rank 4 whose sizes but the batch are known");
  int64_t rows = type.getDimSize(channelsFirst ? 2 : 1);
  int64_t cols = type.getDimSize(channelsFirst ? 3 : 2);
  MLIRContext *ctx = call.getContext();
  Builder b(ctx);
  auto matrix = [&](int64_t in, int64_t factor, bool transpose) -> Value {
    llvm::SmallVector<float> a = linearWeights(in, factor);
    int64_t out = in * factor;
    llvm::SmallVector<int64_t> shape{out, in};
    if (transpose) {
      llvm::SmallVector<float> t(a.size());
      for (int64_t o = 0; o < out; ++o)
        for (int64_t i = 0; i < in; ++i)
          t[i * out + o] = a[o * in + i];
      a = std::move(t);
      shape = {in, out};
    }
    auto attrType = RankedTensorType::get(shape, Float32Type::get(ctx));
    return ConstantOp::create(call.body, call.loc,
                              DenseElementsAttr::get(attrType,
                                                     llvm::ArrayRef(a)));
  };
  // x @ A^T along the last axis (predict.dense: any rank), and axes moved.
  auto along = [&](llvm::Expected<Value> v, int64_t in,
                   int64_t factor) -> llvm::Expected<Value> {
    if (!v)
      return v;
    return call.typed(DenseOp::create(
        call.body, call.loc, unranked(call), *v, matrix(in, factor, true),
        Value(), ActivationKindAttr::get(ctx, ActivationKind::linear)));
  };
  auto moved = [&](llvm::Expected<Value> v,
                   llvm::ArrayRef<int64_t> perm) -> llvm::Expected<Value> {
    if (!v)
      return v;
    return call.typed(TransposeOp::create(call.body, call.loc, unranked(call),
                                          *v, b.getDenseI64ArrayAttr(perm)));
  };
  if (channelsFirst) // N x C x H x W
    return moved(along(moved(along(call.input(), cols, size[1]), {0, 1, 3, 2}),
                       rows, size[0]),
                 {0, 1, 3, 2});
  // N x H x W x C: N x W x C x H, rows; N x sH x C x W, columns; back.
  return moved(along(moved(along(moved(call.input(), {0, 2, 3, 1}), rows,
                                 size[0]),
                           {0, 3, 2, 1}),
                     cols, size[1]),
               {0, 1, 3, 2});
}

template <size_t spatial>
static llvm::Expected<Value> buildUpSampling(LayerContext &call) {
  LayerConfig &fields = call.config;
  llvm::SmallVector<int64_t> size =
      intTupleField(fields, "size", spatial,
                    llvm::SmallVector<int64_t>(spatial, 2), 1);
  bool channelsFirst = channelsFirstField(fields);
  std::string interpolation =
      fields.has("interpolation") ? fields.string("interpolation", "nearest")
                                  : "nearest";
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  if (spatial == 2 && interpolation == "bilinear")
    return bilinearUpSampling(call, size, channelsFirst);
  if (interpolation != "nearest")
    return call.fail("has interpolation '" + interpolation +
                     "', which predict does not compute (nearest and "
                     "bilinear are supported)");
  if (llvm::Error e = checkRank(call, spatial + 2, spatialAxes(spatial)))
    return std::move(e);
  int64_t first = channelsFirst ? 2 : 1;
  llvm::SmallVector<int64_t> factors(spatial + 2, 1);
  for (size_t i = 0; i < spatial; ++i)
    factors[first + i] = size[i];
  Builder b(call.getContext());
  return call.typed(UpsampleOp::create(call.body, call.loc, unranked(call),
                                       call.input(),
                                       b.getDenseI64ArrayAttr(factors)));
}

//===----------------------------------------------------------------------===//
// Reshape(target_shape)
// https://keras.io/api/layers/reshaping_layers/reshape/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kReshapeParams[] = {{"target_shape", ""}};
static constexpr LegacyName kReshapeKeras1Names[] = {{"dims", "target_shape"}};

/// A list of integers (or one integer, for Python's `Reshape(4)`... which
/// Keras refuses: it iterates target_shape), or an error naming `key`.
static std::optional<llvm::SmallVector<int64_t>>
integerList(LayerConfig &fields, llvm::StringRef key) {
  const llvm::json::Value *v = fields.get(key);
  if (!v) {
    fields.error("config field '" + key + "' is missing");
    return std::nullopt;
  }
  llvm::SmallVector<int64_t> values;
  if (const llvm::json::Array *a = v->getAsArray()) {
    for (const llvm::json::Value &e : *a) {
      if (auto i = e.getAsInteger())
        values.push_back(*i);
      else if (e.getAsNull())
        values.push_back(-1); // Keras 3 saves a -1 of target_shape as None
      else
        break;
    }
    if (values.size() == a->size())
      return values;
  }
  fields.wrongType(key, *v, "a list of integers");
  return std::nullopt;
}

static llvm::Expected<Value> buildReshape(LayerContext &call) {
  LayerConfig &fields = call.config;
  auto target = integerList(fields, "target_shape");
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  if (llvm::count(*target, -1) > 1 ||
      llvm::any_of(*target, [](int64_t d) { return d < 1 && d != -1; }))
    return call.fail("has target_shape " + formatTuple(*target) +
                     ": Keras allows positive sizes and at most one -1");
  // Element counts are checked here so that the message names the layer's
  // own terms (target_shape) and both shapes.
  if (auto in = dyn_cast<RankedTensorType>(call.input().getType());
      in && in.getRank() >= 1) {
    llvm::ArrayRef<int64_t> sample = in.getShape().drop_front();
    if (llvm::none_of(sample, ShapedType::isDynamic)) {
      int64_t total = 1, known = 1;
      for (int64_t d : sample)
        total *= d;
      for (int64_t d : *target)
        if (d != -1)
          known *= d;
      bool unknown = llvm::is_contained(*target, -1);
      if (unknown ? total % known != 0 : total != known)
        return call.fail(
            "cannot reshape its input of shape " + formatTuple(sample) +
            " (" + llvm::Twine(total) + " elements per sample) into target_shape " +
            formatTuple(*target) +
            (unknown ? " (" + llvm::Twine(total) + " is not a multiple of " +
                           llvm::Twine(known) + ")"
                     : " (" + llvm::Twine(known) + " elements)"));
    }
  }
  Builder b(call.getContext());
  return call.typed(ReshapeOp::create(call.body, call.loc, unranked(call),
                                      call.input(),
                                      b.getDenseI64ArrayAttr(*target)));
}

//===----------------------------------------------------------------------===//
// Permute(dims)
// https://keras.io/api/layers/reshaping_layers/permute/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kPermuteParams[] = {{"dims", ""}};

static llvm::Expected<Value> buildPermute(LayerContext &call) {
  LayerConfig &fields = call.config;
  auto dims = integerList(fields, "dims");
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  // Keras: "dims: Tuple of integers. Permutation pattern does not include
  // the batch dimension. Indexing starts at 1." It checks that the dims
  // are a permutation of 1..n.
  llvm::SmallVector<int64_t> sorted(*dims);
  llvm::sort(sorted);
  bool isPermutation = true;
  for (auto [i, d] : llvm::enumerate(sorted))
    isPermutation &= d == static_cast<int64_t>(i) + 1;
  if (!isPermutation)
    return call.fail("has dims " + formatTuple(*dims) +
                     ", which is not a permutation of 1.." +
                     llvm::Twine(dims->size()) +
                     " (Keras's dims leave out the batch axis and count "
                     "from 1)");
  auto ranked = dyn_cast<RankedTensorType>(call.input().getType());
  if (ranked && ranked.getRank() != static_cast<int64_t>(dims->size()) + 1)
    return call.fail("has dims " + formatTuple(*dims) + " for an input of " +
                     llvm::Twine(ranked.getRank() - 1) +
                     " axes after the batch axis");
  llvm::SmallVector<int64_t> permutation{0};
  permutation.append(dims->begin(), dims->end());
  Builder b(call.getContext());
  return call.typed(TransposeOp::create(call.body, call.loc, unranked(call),
                                        call.input(),
                                        b.getDenseI64ArrayAttr(permutation)));
}

//===----------------------------------------------------------------------===//
// RepeatVector(n)
// https://keras.io/api/layers/reshaping_layers/repeat_vector/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kRepeatVectorParams[] = {{"n", ""}};

static llvm::Expected<Value> buildRepeatVector(LayerContext &call) {
  LayerConfig &fields = call.config;
  int64_t n = fields.integer("n", 1);
  if (!fields.has("n"))
    fields.error("config field 'n' is missing");
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  if (n < 1)
    return call.fail("has n " + llvm::Twine(n) +
                     ": predict repeats at least once");
  if (llvm::Error e = checkRank(call, 2, "batch, features"))
    return std::move(e);
  // N x F -> N x 1 x F -> N x n x F: each sample's vector n times.
  Builder b(call.getContext());
  auto column = call.typed(ReshapeOp::create(
      call.body, call.loc, unranked(call), call.input(),
      b.getDenseI64ArrayAttr({1, -1})));
  if (!column)
    return column.takeError();
  return call.typed(UpsampleOp::create(call.body, call.loc, unranked(call),
                                       *column,
                                       b.getDenseI64ArrayAttr({1, n, 1})));
}

llvm::ArrayRef<LayerEntry> keras::reshapingLayers() {
  static const LayerEntry entries[] = {
      {"ZeroPadding1D",
       "https://keras.io/api/layers/reshaping_layers/zero_padding1d/",
       kZeroPadding1DParams, nullptr, buildPadOrCrop<false, 1>},
      {"ZeroPadding2D",
       "https://keras.io/api/layers/reshaping_layers/zero_padding2d/",
       kZeroPadding2DParams, nullptr, buildPadOrCrop<false, 2>, "",
       kSpatial2DKeras1Names},
      {"ZeroPadding3D",
       "https://keras.io/api/layers/reshaping_layers/zero_padding3d/",
       kZeroPadding3DParams, nullptr, buildPadOrCrop<false, 3>, "",
       kSpatial2DKeras1Names},
      {"Cropping1D", "https://keras.io/api/layers/reshaping_layers/cropping1d/",
       kCropping1DParams, nullptr, buildPadOrCrop<true, 1>},
      {"Cropping2D", "https://keras.io/api/layers/reshaping_layers/cropping2d/",
       kCropping2DParams, nullptr, buildPadOrCrop<true, 2>, "",
       kSpatial2DKeras1Names},
      {"Cropping3D", "https://keras.io/api/layers/reshaping_layers/cropping3d/",
       kCropping3DParams, nullptr, buildPadOrCrop<true, 3>, "",
       kSpatial2DKeras1Names},
      {"UpSampling1D",
       "https://keras.io/api/layers/reshaping_layers/up_sampling1d/",
       kUpSampling1DParams, nullptr, buildUpSampling<1>, "",
       kUpSampling1DKeras1Names},
      {"UpSampling2D",
       "https://keras.io/api/layers/reshaping_layers/up_sampling2d/",
       kUpSampling2DParams, nullptr, buildUpSampling<2>, "",
       kSpatial2DKeras1Names},
      {"UpSampling3D",
       "https://keras.io/api/layers/reshaping_layers/up_sampling3d/",
       kUpSampling3DParams, nullptr, buildUpSampling<3>, "",
       kSpatial2DKeras1Names},
      {"Reshape", "https://keras.io/api/layers/reshaping_layers/reshape/",
       kReshapeParams, nullptr, buildReshape, "", kReshapeKeras1Names},
      {"Permute", "https://keras.io/api/layers/reshaping_layers/permute/",
       kPermuteParams, nullptr, buildPermute},
      {"RepeatVector",
       "https://keras.io/api/layers/reshaping_layers/repeat_vector/",
       kRepeatVectorParams, nullptr, buildRepeatVector},
  };
  return entries;
}
