//===- PoolingLayers.cpp - Max/Average pooling, global pooling ------------===//
//
// MaxPooling1D/2D, AveragePooling1D/2D (predict.pool) and
// GlobalMaxPooling1D/2D, GlobalAveragePooling1D/2D (predict.global_pool),
// with Keras's aliases (MaxPool2D, AvgPool2D, GlobalAvgPool2D, ...), which
// are the same classes in Keras and may be written so in Python source.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"
#include "SpatialConfig.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

//===----------------------------------------------------------------------===//
// MaxPooling2D(pool_size=(2, 2), strides=None, padding="valid",
//              data_format=None, name=None, **kwargs)
// MaxPooling1D(pool_size=2, strides=None, padding="valid", data_format=None)
// (AveragePooling1D/2D: the same parameters)
// https://keras.io/api/layers/pooling_layers/max_pooling2d/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kPooling1DParams[] = {
    {"pool_size", "2"},
    {"strides", "null"},
    {"padding", "\"valid\""},
    {"data_format", "null"},
};
static constexpr LayerParam kPooling2DParams[] = {
    {"pool_size", "[2, 2]"},
    {"strides", "null"},
    {"padding", "\"valid\""},
    {"data_format", "null"},
};
static constexpr LayerParam kPooling3DParams[] = {
    {"pool_size", "[2, 2, 2]"},
    {"strides", "null"},
    {"padding", "\"valid\""},
    {"data_format", "null"},
};

/// Keras 2's legacy_pooling1d_support and legacy_pooling2d_support.
static constexpr LegacyName kPooling1DKeras1Names[] = {
    {"pool_length", "pool_size"},
    {"stride", "strides"},
    {"border_mode", "padding"},
};
static constexpr LegacyName kPooling2DKeras1Names[] = {
    {"border_mode", "padding"},
    {"dim_ordering", "data_format"},
};

/// "valid" or "same", in any case as Keras lowers it
/// (standardize_padding); anything else is an error.
static bool samePadding(LayerConfig &fields) {
  const llvm::json::Value *v = fields.get("padding");
  if (!v)
    return false;
  if (auto s = v->getAsString()) {
    std::string lower = s->lower();
    if (lower == "valid")
      return false;
    if (lower == "same")
      return true;
  }
  fields.wrongType("padding", *v, "\"valid\" or \"same\"");
  return false;
}

template <PoolKind kind, size_t spatial>
static llvm::Expected<Value> buildPooling(LayerContext &call) {
  LayerConfig &fields = call.config;
  llvm::SmallVector<int64_t> dflt(spatial, 2);
  llvm::SmallVector<int64_t> window =
      intTupleField(fields, "pool_size", spatial, dflt, 1);
  // strides=None is the pool size (Keras: `strides = pool_size if strides
  // is None`).
  llvm::SmallVector<int64_t> strides =
      fields.has("strides")
          ? intTupleField(fields, "strides", spatial, window, 1)
          : window;
  bool same = samePadding(fields);
  bool channelsFirst = channelsFirstField(fields);
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  auto ranked = dyn_cast<RankedTensorType>(call.input().getType());
  if (ranked && ranked.getRank() != static_cast<int64_t>(spatial) + 2)
    return call.fail("expects an input of rank " + llvm::Twine(spatial + 2) +
                     " (batch, " + llvm::Twine(spatial) +
                     " spatial axes, channels), got " +
                     llvm::Twine(ranked.getRank()) + " axes");
  Builder b(call.getContext());
  Type unranked = UnrankedTensorType::get(Float32Type::get(call.getContext()));
  Value input = call.input();
  // linalg pools 3-D windows channels last only (pooling_ndhwc_*): a
  // channels_first 3-D input is moved to channels last and back.
  bool moved = spatial == 3 && channelsFirst;
  if (moved) {
    auto last = call.typed(TransposeOp::create(
        call.body, call.loc, unranked, input,
        b.getDenseI64ArrayAttr({0, 2, 3, 4, 1})));
    if (!last)
      return last.takeError();
    input = *last;
    channelsFirst = false;
  }
  auto op = PoolOp::create(
      call.body, call.loc, unranked,
      PoolKindAttr::get(call.getContext(), kind), input,
      b.getDenseI64ArrayAttr(window), b.getDenseI64ArrayAttr(strides),
      same ? b.getUnitAttr() : UnitAttr(),
      channelsFirst ? b.getUnitAttr() : UnitAttr());
  auto pooled = call.typed(op);
  if (!pooled || !moved)
    return pooled;
  return call.typed(TransposeOp::create(
      call.body, call.loc, unranked, *pooled,
      b.getDenseI64ArrayAttr({0, 4, 1, 2, 3})));
}

//===----------------------------------------------------------------------===//
// GlobalMaxPooling2D(data_format=None, keepdims=False, **kwargs)
// GlobalAveragePooling1D(data_format=None, keepdims=False, **kwargs)
// https://keras.io/api/layers/pooling_layers/global_max_pooling2d/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kGlobalPoolingParams[] = {
    {"data_format", "null"},
    {"keepdims", "false"},
};
static constexpr LegacyName kGlobalPoolingKeras1Names[] = {
    {"dim_ordering", "data_format"},
};

template <PoolKind kind, int64_t spatial>
static llvm::Expected<Value> buildGlobalPooling(LayerContext &call) {
  LayerConfig &fields = call.config;
  bool channelsFirst = channelsFirstField(fields);
  bool keepdims = fields.boolean("keepdims");
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  auto ranked = dyn_cast<RankedTensorType>(call.input().getType());
  if (ranked && ranked.getRank() != spatial + 2)
    return call.fail("expects an input of rank " + llvm::Twine(spatial + 2) +
                     " (batch, " + llvm::Twine(spatial) +
                     " spatial axes, channels), got " +
                     llvm::Twine(ranked.getRank()) + " axes");
  Builder b(call.getContext());
  auto op = GlobalPoolOp::create(
      call.body, call.loc,
      UnrankedTensorType::get(Float32Type::get(call.getContext())),
      PoolKindAttr::get(call.getContext(), kind), call.input(),
      channelsFirst ? b.getUnitAttr() : UnitAttr(),
      keepdims ? b.getUnitAttr() : UnitAttr());
  return call.typed(op);
}

llvm::ArrayRef<LayerEntry> keras::poolingLayers() {
  static constexpr llvm::StringLiteral kMax1D =
      "https://keras.io/api/layers/pooling_layers/max_pooling1d/";
  static constexpr llvm::StringLiteral kMax2D =
      "https://keras.io/api/layers/pooling_layers/max_pooling2d/";
  static constexpr llvm::StringLiteral kAvg1D =
      "https://keras.io/api/layers/pooling_layers/average_pooling1d/";
  static constexpr llvm::StringLiteral kAvg2D =
      "https://keras.io/api/layers/pooling_layers/average_pooling2d/";
  static constexpr llvm::StringLiteral kGMax1D =
      "https://keras.io/api/layers/pooling_layers/global_max_pooling1d/";
  static constexpr llvm::StringLiteral kGMax2D =
      "https://keras.io/api/layers/pooling_layers/global_max_pooling2d/";
  static constexpr llvm::StringLiteral kGAvg1D =
      "https://keras.io/api/layers/pooling_layers/global_average_pooling1d/";
  static constexpr llvm::StringLiteral kGAvg2D =
      "https://keras.io/api/layers/pooling_layers/global_average_pooling2d/";
  auto max1 = buildPooling<PoolKind::max, 1>;
  auto max2 = buildPooling<PoolKind::max, 2>;
  auto avg1 = buildPooling<PoolKind::avg, 1>;
  auto avg2 = buildPooling<PoolKind::avg, 2>;
  auto gmax1 = buildGlobalPooling<PoolKind::max, 1>;
  auto gmax2 = buildGlobalPooling<PoolKind::max, 2>;
  auto gavg1 = buildGlobalPooling<PoolKind::avg, 1>;
  auto gavg2 = buildGlobalPooling<PoolKind::avg, 2>;
  auto max3 = buildPooling<PoolKind::max, 3>;
  auto avg3 = buildPooling<PoolKind::avg, 3>;
  auto gmax3 = buildGlobalPooling<PoolKind::max, 3>;
  auto gavg3 = buildGlobalPooling<PoolKind::avg, 3>;
  static constexpr llvm::StringLiteral kMax3D =
      "https://keras.io/api/layers/pooling_layers/max_pooling3d/";
  static constexpr llvm::StringLiteral kAvg3D =
      "https://keras.io/api/layers/pooling_layers/average_pooling3d/";
  static constexpr llvm::StringLiteral kGMax3D =
      "https://keras.io/api/layers/pooling_layers/global_max_pooling3d/";
  static constexpr llvm::StringLiteral kGAvg3D =
      "https://keras.io/api/layers/pooling_layers/global_average_pooling3d/";
  static const LayerEntry entries[] = {
      {"MaxPooling1D", kMax1D, kPooling1DParams, nullptr, max1, "",
       kPooling1DKeras1Names},
      {"MaxPooling2D", kMax2D, kPooling2DParams, nullptr, max2, "",
       kPooling2DKeras1Names},
      {"AveragePooling1D", kAvg1D, kPooling1DParams, nullptr, avg1, "",
       kPooling1DKeras1Names},
      {"AveragePooling2D", kAvg2D, kPooling2DParams, nullptr, avg2, "",
       kPooling2DKeras1Names},
      {"GlobalMaxPooling1D", kGMax1D, kGlobalPoolingParams, nullptr, gmax1,
       "", kGlobalPoolingKeras1Names},
      {"GlobalMaxPooling2D", kGMax2D, kGlobalPoolingParams, nullptr, gmax2,
       "", kGlobalPoolingKeras1Names},
      {"GlobalAveragePooling1D", kGAvg1D, kGlobalPoolingParams, nullptr,
       gavg1, "", kGlobalPoolingKeras1Names},
      {"GlobalAveragePooling2D", kGAvg2D, kGlobalPoolingParams, nullptr,
       gavg2, "", kGlobalPoolingKeras1Names},
      // Keras's aliases of the same classes (keras.layers.MaxPool2D is
      // MaxPooling2D): a saved file names the class, Python source may
      // use either.
      {"MaxPool1D", kMax1D, kPooling1DParams, nullptr, max1, "",
       kPooling1DKeras1Names},
      {"MaxPool2D", kMax2D, kPooling2DParams, nullptr, max2, "",
       kPooling2DKeras1Names},
      {"AvgPool1D", kAvg1D, kPooling1DParams, nullptr, avg1, "",
       kPooling1DKeras1Names},
      {"AvgPool2D", kAvg2D, kPooling2DParams, nullptr, avg2, "",
       kPooling2DKeras1Names},
      {"GlobalMaxPool1D", kGMax1D, kGlobalPoolingParams, nullptr, gmax1, "",
       kGlobalPoolingKeras1Names},
      {"GlobalMaxPool2D", kGMax2D, kGlobalPoolingParams, nullptr, gmax2, "",
       kGlobalPoolingKeras1Names},
      {"GlobalAvgPool1D", kGAvg1D, kGlobalPoolingParams, nullptr, gavg1, "",
       kGlobalPoolingKeras1Names},
      {"GlobalAvgPool2D", kGAvg2D, kGlobalPoolingParams, nullptr, gavg2, "",
       kGlobalPoolingKeras1Names},
      // The 3-D poolings (volumes: batch, depth, rows, columns, channels)
      // and their aliases.
      {"MaxPooling3D", kMax3D, kPooling3DParams, nullptr, max3, "",
       kPooling2DKeras1Names},
      {"AveragePooling3D", kAvg3D, kPooling3DParams, nullptr, avg3, "",
       kPooling2DKeras1Names},
      {"GlobalMaxPooling3D", kGMax3D, kGlobalPoolingParams, nullptr, gmax3,
       "", kGlobalPoolingKeras1Names},
      {"GlobalAveragePooling3D", kGAvg3D, kGlobalPoolingParams, nullptr,
       gavg3, "", kGlobalPoolingKeras1Names},
      {"MaxPool3D", kMax3D, kPooling3DParams, nullptr, max3, "",
       kPooling2DKeras1Names},
      {"AvgPool3D", kAvg3D, kPooling3DParams, nullptr, avg3, "",
       kPooling2DKeras1Names},
      {"GlobalMaxPool3D", kGMax3D, kGlobalPoolingParams, nullptr, gmax3, "",
       kGlobalPoolingKeras1Names},
      {"GlobalAvgPool3D", kGAvg3D, kGlobalPoolingParams, nullptr, gavg3, "",
       kGlobalPoolingKeras1Names},
  };
  return entries;
}
