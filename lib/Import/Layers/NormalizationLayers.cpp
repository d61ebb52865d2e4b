//===- NormalizationLayers.cpp - BatchNormalization, Normalization, ... ---===//
//
// BatchNormalization, Normalization, LayerNormalization, GroupNormalization,
// UnitNormalization, Rescaling.
//

#include "Layers.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

/// A declaration's build error, or the config's error first when there is
/// one (it explains the other).
static llvm::Expected<Operation *> checked(LayerConfig &fields,
                                           llvm::Expected<Operation *> decl) {
  if (llvm::Error e = fields.takeError()) {
    if (!decl)
      llvm::consumeError(decl.takeError());
    return std::move(e);
  }
  return decl;
}

/// The weight `name` as an attribute, or the error in `error`.
static ElementsAttr weightOr(LayerContext &call, llvm::StringRef name,
                             llvm::ArrayRef<int64_t> expected,
                             llvm::StringRef as, llvm::Error &error) {
  if (error)
    return {};
  auto attr = call.weight(name, expected, as);
  if (!attr) {
    error = attr.takeError();
    return {};
  }
  return *attr;
}

/// The input's size along `axis`, or dynamic.
static int64_t sizeAlong(Value input, int64_t axis) {
  auto type = dyn_cast<RankedTensorType>(input.getType());
  if (!type)
    return ShapedType::kDynamic;
  auto normalized = normalizeAxis(axis, type.getRank());
  return normalized ? type.getDimSize(*normalized) : ShapedType::kDynamic;
}

//===----------------------------------------------------------------------===//
// BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001, center=True,
//                    scale=True, beta_initializer="zeros",
//                    gamma_initializer="ones", moving_mean_initializer="zeros",
//                    moving_variance_initializer="ones",
//                    beta_regularizer=None, gamma_regularizer=None,
//                    beta_constraint=None, gamma_constraint=None,
//                    synchronized=False)
// https://keras.io/api/layers/normalization_layers/batch_normalization/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kBatchNormParams[] = {
    {"axis", "-1"},
    {"momentum", "0.99", ParamRole::Ignored},
    {"epsilon", "0.001"},
    {"center", "true"},
    {"scale", "true"},
    {"beta_initializer", "\"zeros\"", ParamRole::Initializer},
    {"gamma_initializer", "\"ones\"", ParamRole::Initializer},
    {"moving_mean_initializer", "\"zeros\"", ParamRole::Initializer},
    {"moving_variance_initializer", "\"ones\"", ParamRole::Initializer},
    {"beta_regularizer", "null", ParamRole::Ignored},
    {"gamma_regularizer", "null", ParamRole::Ignored},
    {"beta_constraint", "null", ParamRole::Ignored},
    {"gamma_constraint", "null", ParamRole::Ignored},
    {"synchronized", "false", ParamRole::Ignored},
};

/// Keras 2's legacy_batchnorm_support; Keras 1's `mode` 1 and 2
/// (sample-wise normalization) were refused by Keras 2's loader.
static constexpr LegacyName kBatchNormKeras1Names[] = {
    {"beta_init", "beta_initializer"},
    {"gamma_init", "gamma_initializer"},
    {"mode", "", "0"},
};

static llvm::SmallVector<llvm::StringRef>
batchNormWeights(LayerConfig &config) {
  llvm::SmallVector<llvm::StringRef> order;
  if (config.boolean("scale"))
    order.push_back("gamma");
  if (config.boolean("center"))
    order.push_back("beta");
  order.append({"moving_mean", "moving_variance"});
  return order;
}

static llvm::Expected<Value> buildBatchNorm(LayerContext &call) {
  LayerConfig &fields = call.config;
  auto decl = call.declare([&](OpBuilder &decls) -> llvm::Expected<Operation *> {
    bool scale = fields.boolean("scale");
    bool center = fields.boolean("center");
    double epsilon = fields.number("epsilon");
    int64_t axis = fields.integer("axis");
    if (llvm::Error e = fields.takeError())
      return std::move(e);
    int64_t channels = sizeAlong(call.input(), axis);
    llvm::Error error = llvm::Error::success();
    ElementsAttr mean = weightOr(call, "moving_mean", {channels}, "mean", error);
    ElementsAttr variance =
        weightOr(call, "moving_variance", {channels}, "variance", error);
    ElementsAttr gamma, beta;
    if (scale)
      gamma = weightOr(call, "gamma", {channels}, "gamma", error);
    if (center)
      beta = weightOr(call, "beta", {channels}, "beta", error);
    if (error)
      return std::move(error);
    Builder b(call.getContext());
    return BatchNormLayerOp::create(decls, call.loc, b.getStringAttr(call.name),
                                    mean, variance, gamma, beta,
                                    b.getF64FloatAttr(epsilon),
                                    b.getI64IntegerAttr(axis))
        .getOperation();
  });
  decl = checked(fields, std::move(decl));
  if (!decl)
    return decl.takeError();
  return call.apply(*decl);
}

//===----------------------------------------------------------------------===//
// Normalization(axis=-1, mean=None, variance=None, invert=False), after
// adapt(); Keras divides by max(sqrt(variance), backend epsilon 1e-7)
// https://keras.io/api/layers/preprocessing_layers/numerical/normalization/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kNormalizationParams[] = {
    {"axis", "-1"}, {"mean", "null"}, {"variance", "null"}, {"invert", "false"}};

static llvm::SmallVector<llvm::StringRef>
normalizationWeights(LayerConfig &fields) {
  // Given mean and variance, Keras makes them constants, no weights
  // (Normalization.build's "no adapt" case).
  if (fields.has("mean") || fields.has("variance"))
    return {};
  // Keras creates a third, the integer `count`, which predict does not need.
  return {"mean", "variance"};
}

/// The numbers of `v` (a number, or nested lists of numbers) in row-major
/// order; false for another value.
static bool flattenNumbers(const llvm::json::Value &v,
                           std::vector<double> &out) {
  if (std::optional<double> d = v.getAsNumber()) {
    out.push_back(*d);
    return true;
  }
  const llvm::json::Array *items = v.getAsArray();
  if (!items)
    return false;
  for (const llvm::json::Value &item : *items)
    if (!flattenNumbers(item, out))
      return false;
  return true;
}

/// Normalization's statistics are kept per index of the axes `axis` names
/// (Keras: "the axis or axes that should have a separate mean and variance
/// for each index in the shape"; None: one scalar mean and variance), and
/// broadcast against the input as an array of its rank with size 1 on the
/// other axes. Keras stores them with the kept axes' sizes (or 1 x F); any
/// layout with that many values is read in that order.
static llvm::Expected<Value> buildNormalization(LayerContext &call) {
  LayerConfig &fields = call.config;
  auto decl = call.declare([&](OpBuilder &decls) -> llvm::Expected<Operation *> {
    if (fields.boolean("invert"))
      fields.error("is an inverse Normalization (invert=True), which "
                   "predict does not support");
    const llvm::json::Value *axisValue = fields.get("axis");
    bool scalar = axisValue && axisValue->kind() == llvm::json::Value::Null;
    SmallVector<int64_t> axes;
    if (!scalar)
      axes = fields.integers("axis");
    if (llvm::Error e = fields.takeError())
      return std::move(e);
    auto type = dyn_cast<RankedTensorType>(call.input().getType());
    if (!type)
      return call.fail("needs an input of known rank");
    int64_t rank = type.getRank();
    // The broadcast shape, and the kept sizes (a seeded source's shape).
    SmallVector<int64_t> shape(rank, 1), kept, seen;
    int64_t dynamicAxis = -1;
    for (int64_t axis : axes) {
      std::optional<int64_t> d = normalizeAxis(axis, rank);
      if (!d || *d == 0)
        return call.fail("has axis " + std::to_string(axis) +
                         ", which is not a feature axis of its " +
                         std::to_string(rank) +
                         "-D input (axis 0 is the batch)");
      if (llvm::is_contained(seen, *d))
        return call.fail("names axis " + std::to_string(axis) + " twice");
      seen.push_back(*d);
      shape[*d] = type.getDimSize(*d);
      if (ShapedType::isDynamic(shape[*d])) {
        if (dynamicAxis >= 0)
          return call.fail("keeps statistics along two axes of unknown size");
        dynamicAxis = *d;
      }
      kept.push_back(shape[*d]);
    }
    // Normalization(mean=..., variance=...): Keras's constants, broadcast
    // to the kept axes' sizes (a number, or one value per index), both or
    // neither (Keras's ValueError otherwise; helper-132: "no initializer").
    bool given = fields.has("mean") || fields.has("variance");
    if (given && !(fields.has("mean") && fields.has("variance")))
      return call.fail("is given only one of mean and variance: Keras "
                       "needs both to set them directly (ValueError)");
    ElementsAttr stats[2];
    const char *names[] = {"mean", "variance"};
    for (auto [i, name] : llvm::enumerate(names)) {
      llvm::Expected<WeightArray> array = WeightArray{};
      if (given) {
        std::vector<double> values;
        if (!flattenNumbers(*fields.get(name), values) || values.empty())
          return call.fail(std::string("has ") + name +
                           " that is not a number or a list of numbers");
        int64_t wanted = 1;
        for (int64_t size : kept)
          wanted *= size;
        if (values.size() == 1 && dynamicAxis < 0 && wanted > 1)
          values.assign(wanted, values.front());
        array->shape.assign(kept.begin(), kept.end());
        for (double v : values)
          array->data.push_back(static_cast<float>(v));
      } else {
        array = call.array(name, kept);
      }
      if (!array)
        return array.takeError();
      SmallVector<int64_t> attrShape = shape;
      int64_t known = 1;
      for (int64_t size : shape)
        known *= ShapedType::isDynamic(size) ? 1 : size;
      int64_t count = static_cast<int64_t>(array->data.size());
      if (dynamicAxis >= 0 && known > 0 && count % known == 0)
        attrShape[dynamicAxis] = count / known;
      else if (count != known)
        return call.fail(std::string(name) + " has " + std::to_string(count) +
                         " values, but axis " +
                         (scalar ? std::string("None keeps 1")
                                 : "keeps " + std::to_string(known)) +
                         " for an input of type " +
                         llvm::formatv("{0}", Type(type)).str());
      stats[i] = call.weightAttr(name, std::move(*array), attrShape);
    }
    Builder b(call.getContext());
    return NormalizationLayerOp::create(decls, call.loc,
                                        b.getStringAttr(call.name), stats[0],
                                        stats[1], b.getF64FloatAttr(1e-7))
        .getOperation();
  });
  decl = checked(fields, std::move(decl));
  if (!decl)
    return decl.takeError();
  return call.apply(*decl);
}

//===----------------------------------------------------------------------===//
// LayerNormalization(axis=-1, epsilon=0.001, center=True, scale=True,
//                    rms_scaling=False, beta_initializer="zeros",
//                    gamma_initializer="ones", beta_regularizer=None,
//                    gamma_regularizer=None, beta_constraint=None,
//                    gamma_constraint=None)
// https://keras.io/api/layers/normalization_layers/layer_normalization/
// Keras creates gamma (when scale) then beta (when center), each of the
// input's sizes along `axis`, in the order `axis` lists them.
//===----------------------------------------------------------------------===//

static constexpr LayerParam kLayerNormParams[] = {
    {"axis", "-1"},
    {"epsilon", "0.001"},
    {"center", "true"},
    {"scale", "true"},
    {"rms_scaling", "false"},
    {"beta_initializer", "\"zeros\"", ParamRole::Initializer},
    {"gamma_initializer", "\"ones\"", ParamRole::Initializer},
    {"beta_regularizer", "null", ParamRole::Ignored},
    {"gamma_regularizer", "null", ParamRole::Ignored},
    {"beta_constraint", "null", ParamRole::Ignored},
    {"gamma_constraint", "null", ParamRole::Ignored},
};

static llvm::SmallVector<llvm::StringRef>
layerNormWeights(LayerConfig &config) {
  llvm::SmallVector<llvm::StringRef> order;
  if (config.boolean("scale"))
    order.push_back("gamma");
  if (config.boolean("center"))
    order.push_back("beta");
  return order;
}

static llvm::Expected<Value> buildLayerNorm(LayerContext &call) {
  LayerConfig &fields = call.config;
  auto decl = call.declare([&](OpBuilder &decls) -> llvm::Expected<Operation *> {
    llvm::SmallVector<int64_t> axes = fields.integers("axis");
    double epsilon = fields.number("epsilon");
    bool center = fields.boolean("center");
    bool scale = fields.boolean("scale");
    if (fields.boolean("rms_scaling"))
      fields.error("has rms_scaling=True, which predict does not support "
                   "(it computes LayerNormalization with the mean)");
    if (llvm::Error e = fields.takeError())
      return std::move(e);
    if (epsilon < 0)
      return call.fail("has epsilon " + formatNumber(epsilon) +
                       ", which must not be negative");
    // The axes as the input's dimensions, ascending: gamma and beta are
    // laid out along them (Keras reshapes its weights to the input's rank
    // keeping the listed axes, which is this order).
    auto type = dyn_cast<RankedTensorType>(call.input().getType());
    if (!type)
      return call.fail("takes an input of unknown rank; predict needs it to "
                       "place its axis");
    llvm::SmallVector<int64_t> normalized;
    for (int64_t axis : axes) {
      auto n = normalizeAxis(axis, type.getRank());
      if (!n)
        return call.fail("has axis " + llvm::Twine(axis) +
                         ", out of range for its input of rank " +
                         llvm::Twine(type.getRank()) + " (axes go from " +
                         llvm::Twine(-type.getRank()) + " to " +
                         llvm::Twine(type.getRank() - 1) + ")");
      if (llvm::is_contained(normalized, *n))
        return call.fail("lists axis " + llvm::Twine(axis) +
                         " twice (as dimension " + llvm::Twine(*n) +
                         " of its input)");
      normalized.push_back(*n);
    }
    llvm::sort(normalized);
    llvm::SmallVector<int64_t> shape;
    for (int64_t d : normalized)
      shape.push_back(type.getDimSize(d));
    // A stored weight holds the input's sizes along the axes, in the order
    // the config lists them; its elements are laid out as `shape`.
    auto param = [&](llvm::StringRef name) -> llvm::Expected<ElementsAttr> {
      auto array = call.array(name, shape);
      if (!array)
        return array.takeError();
      int64_t count = 1;
      for (int64_t d : array->shape)
        count *= d;
      if (ShapedType::isDynamicShape(shape))
        return call.weightAttr(name, std::move(*array), array->shape);
      if (count != ShapedType::getNumElements(shape))
        return call.fail(
            "has a " + name + " of shape " +
            llvm::join(llvm::map_range(array->shape,
                                       [](int64_t d) {
                                         return std::to_string(d);
                                       }),
                       "x") +
            ", but its input has sizes " +
            llvm::join(llvm::map_range(
                           shape, [](int64_t d) { return std::to_string(d); }),
                       "x") +
            " along its axis");
      return call.weightAttr(name, std::move(*array), shape);
    };
    ElementsAttr gamma, beta;
    if (scale) {
      auto g = param("gamma");
      if (!g)
        return g.takeError();
      gamma = *g;
    }
    if (center) {
      auto bt = param("beta");
      if (!bt)
        return bt.takeError();
      beta = *bt;
    }
    Builder b(call.getContext());
    return LayerNormLayerOp::create(decls, call.loc, b.getStringAttr(call.name),
                                    gamma, beta, b.getF64FloatAttr(epsilon),
                                    b.getDenseI64ArrayAttr(normalized))
        .getOperation();
  });
  decl = checked(fields, std::move(decl));
  if (!decl)
    return decl.takeError();
  return call.apply(*decl);
}

//===----------------------------------------------------------------------===//
// Rescaling(scale, offset=0.0)
// https://keras.io/api/layers/preprocessing_layers/image_preprocessing/rescaling/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kRescalingParams[] = {{"scale", ""},
                                                  {"offset", "0.0"}};

/// `key` as a float32 constant: a number (a scalar), or a non-empty list of
/// numbers (broadcast along the trailing axis, as Keras broadcasts it).
static llvm::Expected<Value> numbersField(LayerContext &call,
                                          llvm::StringRef key,
                                          double dflt) {
  const llvm::json::Value *v = call.config.get(key);
  llvm::SmallVector<float> values;
  llvm::SmallVector<int64_t> shape;
  if (!v) {
    values.push_back(float(dflt));
  } else if (auto n = v->getAsNumber()) {
    values.push_back(float(*n));
  } else if (const llvm::json::Array *a = v->getAsArray()) {
    for (const llvm::json::Value &e : *a)
      if (auto n = e.getAsNumber())
        values.push_back(float(*n));
    if (a->empty() || values.size() != a->size())
      return call.fail("has " + key + " = " + shown(*v) +
                       ": expected a number or a list of numbers");
    shape.push_back(int64_t(values.size()));
  } else {
    return call.fail("has " + key + " = " + shown(*v) + " (" + kindName(*v) +
                     "): expected a number or a list of numbers");
  }
  auto type = RankedTensorType::get(shape, Float32Type::get(call.getContext()));
  return ConstantOp::create(
             call.body, call.loc,
             DenseElementsAttr::get(type, llvm::ArrayRef<float>(values)))
      .getResult();
}

static llvm::Expected<Value> buildRescaling(LayerContext &call) {
  if (!call.config.has("scale"))
    return call.fail("has no scale: Keras's Rescaling requires one");
  auto scale = numbersField(call, "scale", 1.0);
  if (!scale)
    return scale.takeError();
  auto offset = numbersField(call, "offset", 0.0);
  if (!offset)
    return offset.takeError();
  // inputs * scale + offset, in float32 (keras/src/layers/preprocessing).
  Type unknown = UnrankedTensorType::get(Float32Type::get(call.getContext()));
  auto scaled =
      call.typed(MulOp::create(call.body, call.loc, unknown, call.input(),
                               *scale));
  if (!scaled)
    return scaled.takeError();
  return call.typed(
      AddOp::create(call.body, call.loc, unknown, ValueRange{*scaled, *offset}));
}

//===----------------------------------------------------------------------===//
// GroupNormalization(groups=32, axis=-1, epsilon=0.001, center=True,
//                    scale=True, beta_initializer="zeros",
//                    gamma_initializer="ones", beta_regularizer=None,
//                    gamma_regularizer=None, beta_constraint=None,
//                    gamma_constraint=None)
// https://keras.io/api/layers/normalization_layers/group_normalization/
// Keras creates gamma (when scale) then beta (when center), each of the
// input's channel count along `axis`.
//===----------------------------------------------------------------------===//

static constexpr LayerParam kGroupNormParams[] = {
    {"groups", "32"},
    {"axis", "-1"},
    {"epsilon", "0.001"},
    {"center", "true"},
    {"scale", "true"},
    {"beta_initializer", "\"zeros\"", ParamRole::Initializer},
    {"gamma_initializer", "\"ones\"", ParamRole::Initializer},
    {"beta_regularizer", "null", ParamRole::Ignored},
    {"gamma_regularizer", "null", ParamRole::Ignored},
    {"beta_constraint", "null", ParamRole::Ignored},
    {"gamma_constraint", "null", ParamRole::Ignored},
};

static llvm::Expected<Value> buildGroupNorm(LayerContext &call) {
  LayerConfig &fields = call.config;
  auto decl = call.declare([&](OpBuilder &decls) -> llvm::Expected<Operation *> {
    int64_t groups = fields.integer("groups");
    int64_t axis = fields.integer("axis");
    double epsilon = fields.number("epsilon");
    bool center = fields.boolean("center");
    bool scale = fields.boolean("scale");
    if (llvm::Error e = fields.takeError())
      return std::move(e);
    auto type = dyn_cast<RankedTensorType>(call.input().getType());
    if (!type || type.getRank() < 2)
      return call.fail("needs an input of known rank 2 or more");
    auto dim = normalizeAxis(axis, type.getRank());
    if (!dim || *dim == 0)
      return call.fail("has axis " + llvm::Twine(axis) +
                       ", not a channel axis of its " +
                       llvm::Twine(type.getRank()) +
                       "-D input (axis 0 is the batch)");
    int64_t channels = type.getDimSize(*dim);
    if (ShapedType::isDynamic(channels))
      return call.fail("needs a known number of channels on axis " +
                       llvm::Twine(axis) + " of its input");
    // Keras's own rules (GroupNormalization.build): -1 is one group per
    // channel (instance normalization).
    if (groups == -1)
      groups = channels;
    if (groups <= 0 || groups > channels || channels % groups != 0)
      return call.fail("has groups " + llvm::Twine(groups) +
                       ", which must divide its " + llvm::Twine(channels) +
                       " channels (or be -1, one group per channel), as "
                       "Keras requires");
    if (epsilon < 0)
      return call.fail("has epsilon " + formatNumber(epsilon) +
                       ", which must not be negative");
    // C values laid out to broadcast along the axis: C x 1 x ... x 1.
    llvm::SmallVector<int64_t> shape(type.getRank() - *dim, 1);
    shape[0] = channels;
    llvm::Error error = llvm::Error::success();
    auto param = [&](llvm::StringRef name) -> ElementsAttr {
      if (error)
        return {};
      auto array = call.array(name, {channels});
      if (!array) {
        error = array.takeError();
        return {};
      }
      if (array->shape != llvm::SmallVector<int64_t>{channels}) {
        error = call.fail("has a " + name + " of " +
                          llvm::Twine(array->data.size()) +
                          " values; its input has " + llvm::Twine(channels) +
                          " channels");
        return {};
      }
      return call.weightAttr(name, std::move(*array), shape);
    };
    ElementsAttr gamma = scale ? param("gamma") : ElementsAttr();
    ElementsAttr beta = center ? param("beta") : ElementsAttr();
    if (error)
      return std::move(error);
    Builder b(call.getContext());
    return GroupNormLayerOp::create(decls, call.loc, b.getStringAttr(call.name),
                                    b.getI64IntegerAttr(groups),
                                    b.getI64IntegerAttr(axis),
                                    b.getF64FloatAttr(epsilon), gamma, beta)
        .getOperation();
  });
  decl = checked(fields, std::move(decl));
  if (!decl)
    return decl.takeError();
  return call.apply(*decl);
}

//===----------------------------------------------------------------------===//
// UnitNormalization(axis=-1)
// https://keras.io/api/layers/normalization_layers/unit_normalization/
// tf.keras 2 calls tf.math.l2_normalize(x, axis), x * rsqrt(max(sum(x²),
// 1e-12)); Keras 3 computes the same.
//===----------------------------------------------------------------------===//

static constexpr LayerParam kUnitNormParams[] = {{"axis", "-1"}};

static llvm::Expected<Value> buildUnitNorm(LayerContext &call) {
  llvm::SmallVector<int64_t> axes = call.config.integers("axis");
  if (llvm::Error e = call.config.takeError())
    return std::move(e);
  auto type = dyn_cast<RankedTensorType>(call.input().getType());
  if (!type)
    return call.fail("takes an input of unknown rank; predict needs it to "
                     "place its axis");
  for (int64_t axis : axes) {
    auto n = normalizeAxis(axis, type.getRank());
    if (!n || *n == 0)
      return call.fail("has axis " + llvm::Twine(axis) +
                       ", not a non-batch axis of its " +
                       llvm::Twine(type.getRank()) + "-D input");
  }
  Builder b(call.getContext());
  return call.typed(L2NormalizeOp::create(
      call.body, call.loc, type, call.input(), b.getDenseI64ArrayAttr(axes),
      b.getF64FloatAttr(1e-12)));
}

llvm::ArrayRef<LayerEntry> keras::normalizationLayers() {
  static const LayerEntry entries[] = {
      {"BatchNormalization",
       "https://keras.io/api/layers/normalization_layers/batch_normalization/",
       kBatchNormParams, batchNormWeights, buildBatchNorm,
       "normalizes with the batch's own statistics", kBatchNormKeras1Names},
      {"Normalization",
       "https://keras.io/api/layers/preprocessing_layers/numerical/"
       "normalization/",
       kNormalizationParams, normalizationWeights, buildNormalization},
      {"LayerNormalization",
       "https://keras.io/api/layers/normalization_layers/layer_normalization/",
       kLayerNormParams, layerNormWeights, buildLayerNorm},
      {"UnitNormalization",
       "https://keras.io/api/layers/normalization_layers/unit_normalization/",
       kUnitNormParams, nullptr, buildUnitNorm},
      {"GroupNormalization",
       "https://keras.io/api/layers/normalization_layers/group_normalization/",
       kGroupNormParams, layerNormWeights, buildGroupNorm},
      {"Rescaling",
       "https://keras.io/api/layers/preprocessing_layers/image_preprocessing/"
       "rescaling/",
       kRescalingParams, nullptr, buildRescaling},
  };
  return entries;
}
