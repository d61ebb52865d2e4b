//===- ActivationLayers.cpp - Activation, LeakyReLU, ReLU, ELU, Softmax, PReLU ===//

#include "Layers.h"

#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;
namespace json = llvm::json;

/// Keras's activation names (keras.activations); silu is swish, hard_silu
/// is hard_swish.
std::optional<ActivationKind> keras::activationNamed(llvm::StringRef name) {
  if (name == "silu")
    return ActivationKind::swish;
  if (name == "hard_silu")
    return ActivationKind::hard_swish;
  return symbolizeActivationKind(name);
}

std::string keras::knownActivationNames() {
  std::string list;
  for (uint32_t i = 0; i <= getMaxEnumValForActivationKind(); ++i)
    if (auto kind = symbolizeActivationKind(i))
      list += (list.empty() ? "" : ", ") + stringifyActivationKind(*kind).str();
  return list + ", silu, hard_silu, glu, sparsemax";
}

Activation keras::activationField(LayerConfig &fields) {
  Activation act;
  const json::Value *v = fields.get("activation");
  if (!v || v->kind() == json::Value::Null)
    return act;
  auto named = [&](llvm::StringRef name, llvm::StringRef how) {
    if (name == "glu")
      act.composite = CompositeActivation::glu;
    else if (name == "sparsemax")
      act.composite = CompositeActivation::sparsemax;
    else if (auto kind = activationNamed(name))
      act.kind = *kind;
    else
      fields.error("uses activation '" + name + "'" + how +
                   ", which predict does not know (it knows " +
                   knownActivationNames() + ")");
    // Keras 2's hard_sigmoid was clip(0.2 x + 0.5, 0, 1) (tf.keras
    // backend.hard_sigmoid); Keras 3's is relu6(x + 3) / 6, slope 1/6.
    if (act.kind == ActivationKind::hard_sigmoid &&
        fields.kerasMajorVersion() < 3)
      act.alpha = 0.2;
  };
  if (auto name = v->getAsString()) {
    named(*name, "");
    return act;
  }
  const json::Object *o = v->getAsObject();
  auto cls = o ? o->getString("class_name") : std::nullopt;
  if (!cls) {
    fields.wrongType("activation", *v,
                     "a name or a serialized activation object");
    return act;
  }
  const json::Value *config = o->get("config");
  if (*cls == "function") {
    // A function: built into Keras when its module is Keras's, else a
    // custom one, which predict cannot compile.
    auto name = config ? config->getAsString() : std::nullopt;
    auto module = o->getString("module");
    if (!name) {
      fields.error("config field 'activation' is " + shown(*v) +
                   ", a function without a name");
    } else if (!module || !module->starts_with("keras")) {
      fields.error("uses the custom activation function '" + *name +
                   "', which predict cannot compile (it knows Keras's "
                   "built-in activations by name)");
    } else {
      named(*name, " (from " + module->str() + ")");
    }
    return act;
  }
  const json::Object *c = config ? config->getAsObject() : nullptr;
  if (!c) {
    fields.error("config field 'activation' is a '" + *cls +
                 "' object without a config: " + shown(*v));
    return act;
  }
  LayerConfig inner(*c, fields, "activation.config.");
  if (*cls == "LeakyReLU") {
    act.kind = ActivationKind::leaky_relu;
    act.alpha = inner.number("negative_slope", inner.number("alpha", 0.3));
  } else if (*cls == "ReLU" || *cls == "ThresholdedReLU") {
    // A plain ReLU is the layer's own activation; with parameters it is
    // computed after the layer as the ReLU layer computes it
    // (ThresholdedReLU(theta) is ReLU(threshold=theta)).
    act.kind = ActivationKind::relu;
    if (*cls == "ThresholdedReLU") {
      act.threshold = inner.number("theta", 1.0);
    } else {
      if (inner.has("max_value"))
        act.maxValue = inner.number("max_value", 0);
      act.negativeSlope = inner.number("negative_slope", 0);
      act.threshold = inner.number("threshold", 0);
    }
    if (act.maxValue || act.negativeSlope != 0 || act.threshold != 0)
      act.composite = CompositeActivation::relu;
  } else if (*cls == "ELU") {
    act.kind = ActivationKind::elu;
    act.alpha = inner.number("alpha", 1.0);
  } else if (*cls == "Softmax") {
    act.kind = ActivationKind::softmax;
    act.axis = inner.integer("axis", -1);
  } else if (*cls == "Activation") {
    act = activationField(inner);
  } else {
    fields.error("its activation is a '" + *cls +
                 "' object, which predict does not support (it applies "
                 "LeakyReLU, ReLU, ThresholdedReLU, ELU, Softmax and "
                 "Activation objects, and activations by name)");
  }
  return act;
}

static llvm::Expected<Value> reluOps(LayerContext &call, Value x,
                                     std::optional<double> maxValue,
                                     double slope, double threshold);
static llvm::Expected<Value> gluOps(LayerContext &call, Value x);
static llvm::Expected<Value> sparsemaxOps(LayerContext &call, Value x);

llvm::Expected<Value> keras::applyActivation(LayerContext &call, Value v,
                                             const Activation &act) {
  switch (act.composite) {
  case CompositeActivation::none:
    break;
  case CompositeActivation::glu:
    return gluOps(call, v);
  case CompositeActivation::sparsemax:
    return sparsemaxOps(call, v);
  case CompositeActivation::relu:
    return reluOps(call, v, act.maxValue, act.negativeSlope, act.threshold);
  }
  if (act.kind == ActivationKind::linear)
    return v;
  Builder b(call.getContext());
  return call.typed(ActivationOp::create(
      call.body, call.loc, v.getType(),
      ActivationKindAttr::get(call.getContext(), act.kind), v,
      act.alpha ? b.getF64FloatAttr(*act.alpha) : FloatAttr(),
      act.axis ? b.getI64IntegerAttr(*act.axis) : IntegerAttr(), UnitAttr()));
}

/// The config's error if any, else `v` (whose own error is then dropped).
static llvm::Expected<Value> checked(LayerConfig &fields,
                                     llvm::Expected<Value> v) {
  if (llvm::Error e = fields.takeError()) {
    if (!v)
      llvm::consumeError(v.takeError());
    return std::move(e);
  }
  return v;
}

//===----------------------------------------------------------------------===//
// Activation(activation)
// https://keras.io/api/layers/core_layers/activation/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kActivationParams[] = {{"activation", ""}};

static llvm::Expected<Value> buildActivation(LayerContext &call) {
  Activation act = activationField(call.config);
  if (llvm::Error e = call.config.takeError())
    return std::move(e);
  if (act.kind == ActivationKind::linear &&
      act.composite == CompositeActivation::none)
    return call.typed(ActivationOp::create(
        call.body, call.loc, call.input().getType(),
        ActivationKindAttr::get(call.getContext(), ActivationKind::linear),
        call.input(), FloatAttr(), IntegerAttr(), UnitAttr()));
  return applyActivation(call, call.input(), act);
}

//===----------------------------------------------------------------------===//
// LeakyReLU(negative_slope=0.3); Keras 2 called it alpha
// https://keras.io/api/layers/activation_layers/leaky_relu/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kLeakyReLUParams[] = {{"negative_slope", "0.3"}};

static llvm::Expected<Value> buildLeakyReLU(LayerContext &call) {
  LayerConfig &fields = call.config;
  double slope = fields.number("negative_slope", fields.number("alpha", 0.3));
  return checked(
      fields, applyActivation(call, call.input(),
                              activationOf(ActivationKind::leaky_relu, slope)));
}

//===----------------------------------------------------------------------===//
// ReLU(max_value=None, negative_slope=0.0, threshold=0.0)
// https://keras.io/api/layers/activation_layers/relu/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kReLUParams[] = {
    {"max_value", "null"}, {"negative_slope", "0.0"}, {"threshold", "0.0"}};

/// A float32 scalar constant.
static Value scalar(LayerContext &call, double value) {
  auto type = RankedTensorType::get({}, Float32Type::get(call.getContext()));
  return ConstantOp::create(call.body, call.loc,
                            DenseElementsAttr::get(type, float(value)));
}

/// Keras's relu(x, negative_slope, max_value, threshold), as Keras computes
/// it (keras/src/activations/activations.py, and tf.keras 2's backend.relu):
///   positive = x * (x > threshold)            if threshold != 0
///              min(max(x, 0), 6)              elif max_value == 6
///              max(x, 0)                      else
///   positive = clip(positive, 0, max_value)   if max_value (and not 6 above)
///   result   = positive - negative_slope * max(threshold - x, 0)
/// The plain and leaky forms are one activation op.
llvm::Expected<Value>
keras::kerasRelu(OpBuilder &body, Location loc, Value x,
                 std::optional<double> maxValue, double slope, double threshold,
                 llvm::function_ref<llvm::Expected<Value>(Operation *)> typed) {
  MLIRContext *ctx = body.getContext();
  Builder b(ctx);
  Type f32 = Float32Type::get(ctx);
  Type unknown = UnrankedTensorType::get(f32);
  auto scalar = [&](double value) -> Value {
    auto type = RankedTensorType::get({}, f32);
    return ConstantOp::create(body, loc,
                              DenseElementsAttr::get(type, float(value)));
  };
  auto activation = [&](Value v, ActivationKind kind,
                        std::optional<double> alpha) {
    return typed(ActivationOp::create(
        body, loc, v.getType(), ActivationKindAttr::get(ctx, kind), v,
        alpha ? b.getF64FloatAttr(*alpha) : FloatAttr(), IntegerAttr(),
        UnitAttr()));
  };
  if (!maxValue && threshold == 0)
    return slope == 0 ? activation(x, ActivationKind::relu, std::nullopt)
                      : activation(x, ActivationKind::leaky_relu, slope);
  llvm::Expected<Value> positive = x;
  if (threshold != 0) {
    // x * 0 rather than 0, so that NaN and infinities give what x * cast(x >
    // threshold) gives.
    auto above = typed(CompareOp::create(
        body, loc, unknown, CompareKindAttr::get(ctx, CompareKind::gt), x,
        scalar(threshold)));
    auto zeroed = typed(MulOp::create(body, loc, unknown, x, scalar(0)));
    if (!above || !zeroed)
      return above ? zeroed.takeError() : above.takeError();
    positive = typed(SelectOp::create(body, loc, unknown, *above, x, *zeroed));
  } else {
    positive = typed(
        ClipOp::create(body, loc, x.getType(), x, b.getF64FloatAttr(0),
                       maxValue ? b.getF64FloatAttr(*maxValue) : FloatAttr()));
    maxValue.reset(); // clipped already
  }
  if (positive && maxValue)
    positive = typed(ClipOp::create(body, loc, positive->getType(), *positive,
                                    b.getF64FloatAttr(0),
                                    b.getF64FloatAttr(*maxValue)));
  if (!positive || slope == 0)
    return positive;
  auto below = typed(SubOp::create(body, loc, unknown, scalar(threshold), x));
  if (!below)
    return below.takeError();
  auto negative = activation(*below, ActivationKind::relu, std::nullopt);
  if (!negative)
    return negative.takeError();
  auto scaled =
      typed(MulOp::create(body, loc, unknown, scalar(slope), *negative));
  if (!scaled)
    return scaled.takeError();
  return typed(SubOp::create(body, loc, unknown, *positive, *scaled));
}

/// kerasRelu in a layer, after Keras's own checks (ReLU.__init__;
/// ThresholdedReLU's theta too).
static llvm::Expected<Value> reluOps(LayerContext &call, Value x,
                                     std::optional<double> maxValue,
                                     double slope, double threshold) {
  if ((maxValue && *maxValue < 0) || slope < 0 || threshold < 0)
    return call.fail("has a negative max_value, negative_slope or threshold, "
                     "which Keras refuses");
  return keras::kerasRelu(call.body, call.loc, x, maxValue, slope, threshold,
                          [&](Operation *op) { return call.typed(op); });
}

static llvm::Expected<Value> buildReLU(LayerContext &call) {
  LayerConfig &fields = call.config;
  std::optional<double> maxValue;
  if (fields.has("max_value"))
    maxValue = fields.number("max_value", 0);
  double slope = fields.number("negative_slope");
  double threshold = fields.number("threshold");
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  return reluOps(call, call.input(), maxValue, slope, threshold);
}

//===----------------------------------------------------------------------===//
// ThresholdedReLU(theta=1.0): tf.keras 2 (removed in Keras 3)
// https://www.tensorflow.org/versions/r2.15/api_docs/python/tf/keras/layers/ThresholdedReLU
//===----------------------------------------------------------------------===//

static constexpr LayerParam kThresholdedReLUParams[] = {{"theta", "1.0"}};

/// `x * (x > theta)`, which is Keras's ReLU with `threshold=theta`; Keras 2
/// refuses a negative theta, as ReLU refuses a negative threshold.
static llvm::Expected<Value> buildThresholdedReLU(LayerContext &call) {
  double theta = call.config.number("theta");
  if (llvm::Error e = call.config.takeError())
    return std::move(e);
  return reluOps(call, call.input(), std::nullopt, 0, theta);
}

//===----------------------------------------------------------------------===//
// The activations by name that mix features: glu and sparsemax
// (keras/src/activations/activations.py, keras.ops.glu and .sparsemax)
//===----------------------------------------------------------------------===//

/// The size of `x`'s last axis, which glu and sparsemax need known.
static llvm::Expected<int64_t> lastAxisSize(LayerContext &call, Value x,
                                            llvm::StringRef what) {
  auto type = dyn_cast<RankedTensorType>(x.getType());
  if (!type || type.getRank() < 2 || type.isDynamicDim(type.getRank() - 1))
    return call.fail("applies '" + what +
                     "', which needs an input of known rank 2 or more and a "
                     "known size along its last axis");
  return type.getShape().back();
}

static Value indexConstant(LayerContext &call, int64_t value) {
  // The Keras importer loads only the predict and func dialects.
  call.getContext()->getOrLoadDialect<arith::ArithDialect>();
  return arith::ConstantIndexOp::create(call.body, call.loc, value);
}

/// glu(x) = a * sigmoid(b), a and b the two halves of the last axis.
static llvm::Expected<Value> gluOps(LayerContext &call, Value x) {
  auto size = lastAxisSize(call, x, "glu");
  if (!size)
    return size.takeError();
  if (*size % 2 != 0)
    return call.fail("applies 'glu' to " + llvm::Twine(*size) +
                     " features: glu splits the last axis in two halves, so "
                     "Keras needs an even size");
  auto type = cast<RankedTensorType>(x.getType());
  int64_t axis = type.getRank() - 1, half = *size / 2;
  llvm::SmallVector<int64_t> shape(type.getShape());
  shape.back() = half;
  auto halfType = RankedTensorType::get(shape, type.getElementType());
  Builder builder(call.getContext());
  auto a = call.typed(SliceOp::create(
      call.body, call.loc, halfType, x, indexConstant(call, 0),
      indexConstant(call, half), builder.getI64IntegerAttr(axis)));
  auto b = call.typed(SliceOp::create(
      call.body, call.loc, halfType, x, indexConstant(call, half),
      indexConstant(call, *size), builder.getI64IntegerAttr(axis)));
  if (!a || !b)
    return a ? b.takeError() : a.takeError();
  auto gate = applyActivation(call, *b, activationOf(ActivationKind::sigmoid));
  if (!gate)
    return gate.takeError();
  return call.typed(MulOp::create(call.body, call.loc, halfType, *a, *gate));
}

/// sparsemax along the last axis without sorting. Keras sorts each row in
/// decreasing order z(1) >= z(2) >= ..., keeps the k with 1 + k z(k) >
/// z(1) + ... + z(k), and gives max(x - tau, 0) with tau = (sum of the
/// kept - 1) / their count. Element i's rank k among the sorted is the
/// count c_i of elements >= x_i, their sum s_i (the same for ties, whose
/// test then agrees), so element i is kept when 1 + c_i x_i > s_i: pairs of
/// elements compared along a new axis.
static llvm::Expected<Value> sparsemaxOps(LayerContext &call, Value x) {
  auto size = lastAxisSize(call, x, "sparsemax");
  if (!size)
    return size.takeError();
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = call.getContext();
  Builder b(ctx);
  Type unknown = UnrankedTensorType::get(Float32Type::get(ctx));
  Type unknownBool = UnrankedTensorType::get(IntegerType::get(ctx, 1));
  // x as a column (... x F x 1) and as a row (... x 1 x F), the batch kept.
  llvm::SmallVector<int64_t> col(type.getShape().drop_front()), row(col);
  col.push_back(1);
  row.insert(row.end() - 1, 1);
  for (int64_t *shape : {col.data(), row.data()})
    for (int64_t i = 0; i < rank; ++i)
      if (ShapedType::isDynamic(shape[i]))
        return call.fail("applies 'sparsemax', which needs the sizes of its "
                         "input known but the batch");
  auto xi = call.typed(
      ReshapeOp::create(call.body, call.loc, unknown, x,
                        b.getDenseI64ArrayAttr(col)));
  auto xj = call.typed(
      ReshapeOp::create(call.body, call.loc, unknown, x,
                        b.getDenseI64ArrayAttr(row)));
  if (!xi || !xj)
    return xi ? xj.takeError() : xi.takeError();
  auto toFloat = [&](llvm::Expected<Value> v) -> llvm::Expected<Value> {
    if (!v)
      return v;
    return call.typed(CastOp::create(call.body, call.loc, unknown, *v));
  };
  auto sumLast = [&](llvm::Expected<Value> v, int64_t axis,
                     bool keep) -> llvm::Expected<Value> {
    if (!v)
      return v;
    return call.typed(ReduceOp::create(
        call.body, call.loc, unknown, ReduceKind::sum, *v,
        b.getDenseI64ArrayAttr({axis}), keep));
  };
  // ge[..., i, j] = x_j >= x_i; c_i and s_i sum over j.
  auto ge = toFloat(call.typed(CompareOp::create(
      call.body, call.loc, unknownBool,
      CompareKindAttr::get(ctx, CompareKind::ge), *xj, *xi)));
  if (!ge)
    return ge.takeError();
  auto count = sumLast(*ge, rank, false);
  auto sum = sumLast(call.typed(MulOp::create(call.body, call.loc, unknown,
                                              *ge, *xj)),
                     rank, false);
  if (!count || !sum)
    return count ? sum.takeError() : count.takeError();
  auto one = scalar(call, 1);
  auto lhs = call.typed(MulOp::create(call.body, call.loc, unknown, *count, x));
  if (!lhs)
    return lhs.takeError();
  lhs = call.typed(AddOp::create(call.body, call.loc, unknown, ValueRange{one, *lhs}));
  if (!lhs)
    return lhs.takeError();
  auto kept = toFloat(call.typed(CompareOp::create(
      call.body, call.loc, unknownBool,
      CompareKindAttr::get(ctx, CompareKind::gt), *lhs, *sum)));
  if (!kept)
    return kept.takeError();
  auto k = sumLast(*kept, rank - 1, true);
  auto keptSum = sumLast(
      call.typed(MulOp::create(call.body, call.loc, unknown, *kept, x)),
      rank - 1, true);
  if (!k || !keptSum)
    return k ? keptSum.takeError() : k.takeError();
  auto tau = call.typed(SubOp::create(call.body, call.loc, unknown, *keptSum,
                                      scalar(call, 1)));
  if (!tau)
    return tau.takeError();
  tau = call.typed(DivOp::create(call.body, call.loc, unknown, *tau, *k));
  if (!tau)
    return tau.takeError();
  auto shifted = call.typed(SubOp::create(call.body, call.loc, unknown, x, *tau));
  if (!shifted)
    return shifted.takeError();
  return applyActivation(call, *shifted, activationOf(ActivationKind::relu));
}

//===----------------------------------------------------------------------===//
// ELU(alpha=1.0)
// https://keras.io/api/layers/activation_layers/elu/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kELUParams[] = {{"alpha", "1.0"}};

static llvm::Expected<Value> buildELU(LayerContext &call) {
  double alpha = call.config.number("alpha");
  return checked(call.config,
                 applyActivation(call, call.input(),
                                 activationOf(ActivationKind::elu, alpha)));
}

//===----------------------------------------------------------------------===//
// Softmax(axis=-1)
// https://keras.io/api/layers/activation_layers/softmax/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kSoftmaxParams[] = {{"axis", "-1"}};

/// Keras's `axis` is an integer or a list of them: the softmax is then
/// taken over all of those axes at once, `exp(x - max) / sum` over every
/// position they span (keras.ops.softmax). predict moves them last (in
/// order), merges them into one axis, takes the softmax there, and undoes
/// both.
static llvm::Expected<Value> buildSoftmax(LayerContext &call) {
  llvm::SmallVector<int64_t> axes = call.config.integers("axis");
  if (llvm::Error e = call.config.takeError())
    return std::move(e);
  if (axes.size() == 1)
    return applyActivation(
        call, call.input(),
        activationOf(ActivationKind::softmax, std::nullopt, axes[0]));
  std::string axesText = "[";
  for (auto [i, a] : llvm::enumerate(axes))
    axesText += (i ? ", " : "") + std::to_string(a);
  axesText += "]";
  auto type = dyn_cast<RankedTensorType>(call.input().getType());
  if (!type)
    return call.fail("has axis " + axesText +
                     " over an input of unknown rank; predict needs the "
                     "rank to take a softmax over several axes");
  int64_t rank = type.getRank();
  llvm::SmallVector<bool> chosen(rank, false);
  for (int64_t a : axes) {
    std::optional<int64_t> d = normalizeAxis(a, rank);
    if (!d || chosen[*d])
      return call.fail(
          "has axis " + axesText + ", which " +
          (d ? "names an axis twice"
             : "is out of range for an input of rank " + std::to_string(rank)) +
          " (Keras raises)");
    chosen[*d] = true;
  }
  if (axes.empty())
    return call.fail("has an empty axis list; Keras's Softmax takes one "
                     "axis or more");
  // The other axes first, then the chosen ones in order.
  llvm::SmallVector<int64_t> permutation;
  for (int64_t d = 0; d < rank; ++d)
    if (!chosen[d])
      permutation.push_back(d);
  int64_t kept = permutation.size();
  for (int64_t d = 0; d < rank; ++d)
    if (chosen[d])
      permutation.push_back(d);
  auto unranked = UnrankedTensorType::get(type.getElementType());
  Builder attrs(call.getContext());
  // The axes are moved last only when they are not already (`axis=[2, 3]`
  // of a rank-4 input needs no transpose).
  bool inPlace = llvm::equal(permutation, llvm::seq<int64_t>(0, rank));
  auto transpose = [&](Value v,
                       ArrayRef<int64_t> order) -> llvm::Expected<Value> {
    if (inPlace)
      return v;
    return call.typed(TransposeOp::create(call.body, call.loc, unranked, v,
                                          attrs.getDenseI64ArrayAttr(order)));
  };
  auto moved = transpose(call.input(), permutation);
  if (!moved)
    return moved.takeError();
  llvm::SmallVector<ReassociationIndices> merge;
  for (int64_t d = 0; d < kept; ++d)
    merge.push_back({d});
  merge.emplace_back();
  for (int64_t d = kept; d < rank; ++d)
    merge.back().push_back(d);
  Value merged =
      tensor::CollapseShapeOp::create(call.body, call.loc, *moved, merge);
  auto soft = applyActivation(
      call, merged, activationOf(ActivationKind::softmax, std::nullopt, -1));
  if (!soft)
    return soft.takeError();
  auto movedType = cast<RankedTensorType>(moved->getType());
  Value split = tensor::ExpandShapeOp::create(
      call.body, call.loc, movedType, *soft, merge,
      tensor::getMixedSizes(call.body, call.loc, *moved));
  llvm::SmallVector<int64_t> inverse(rank);
  for (int64_t d = 0; d < rank; ++d)
    inverse[permutation[d]] = d;
  return transpose(split, inverse);
}

//===----------------------------------------------------------------------===//
// PReLU(alpha_initializer="Zeros", alpha_regularizer=None,
//       alpha_constraint=None, shared_axes=None)
// https://keras.io/api/layers/activation_layers/prelu/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kPReLUParams[] = {
    {"alpha_initializer", "\"zeros\"", ParamRole::Initializer},
    {"alpha_regularizer", "null", ParamRole::Ignored},
    {"alpha_constraint", "null", ParamRole::Ignored},
    {"shared_axes", "null"},
};

static llvm::SmallVector<llvm::StringRef> preluWeights(LayerConfig &) {
  return {"alpha"};
}

/// alpha's shape as PReLU.build makes it: `input_shape[1:]`, with size 1 on
/// each of `shared_axes` (1-based, as Keras counts them: axis 0 is the
/// batch).
static llvm::Expected<Value> buildPReLU(LayerContext &call) {
  LayerConfig &fields = call.config;
  llvm::SmallVector<int64_t> shared;
  if (fields.has("shared_axes"))
    shared = fields.integers("shared_axes", {});
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  auto in = dyn_cast<RankedTensorType>(call.input().getType());
  if (!in || in.getRank() < 2)
    return call.fail("needs an input of known rank 2 or more (a batch of "
                     "features), got " +
                     llvm::Twine(in ? std::to_string(in.getRank()) + "-D"
                                    : std::string("one of unknown rank")));
  llvm::SmallVector<int64_t> shape(in.getShape().drop_front());
  for (int64_t axis : shared) {
    if (axis < 1 || axis >= in.getRank())
      return call.fail("has shared axis " + llvm::Twine(axis) +
                       ", not an axis of its " + llvm::Twine(in.getRank()) +
                       "-D input other than the batch (1 to " +
                       llvm::Twine(in.getRank() - 1) + ")");
    shape[axis - 1] = 1;
  }
  for (auto [i, d] : llvm::enumerate(shape))
    if (ShapedType::isDynamic(d))
      return call.fail("needs a known size on axis " + llvm::Twine(i + 1) +
                       " of its input (Keras gives alpha one value per "
                       "element there), or that axis in shared_axes");
  auto decl = call.declare([&](OpBuilder &decls) -> llvm::Expected<Operation *> {
    auto alpha = call.array("alpha", shape);
    if (!alpha)
      return alpha.takeError();
    if (llvm::ArrayRef<int64_t>(alpha->shape) != llvm::ArrayRef(shape))
      return call.fail("has an alpha of shape " + formatShape(alpha->shape) +
                       "; its input and shared_axes make it " +
                       formatShape(shape));
    Builder b(call.getContext());
    return PReluLayerOp::create(
               decls, call.loc, b.getStringAttr(call.name),
               call.weightAttr("alpha", std::move(*alpha), shape))
        .getOperation();
  });
  if (!decl)
    return decl.takeError();
  return call.apply(*decl);
}

llvm::ArrayRef<LayerEntry> keras::activationLayers() {
  static const LayerEntry entries[] = {
      {"Activation", "https://keras.io/api/layers/core_layers/activation/",
       kActivationParams, nullptr, buildActivation},
      {"LeakyReLU",
       "https://keras.io/api/layers/activation_layers/leaky_relu/",
       kLeakyReLUParams, nullptr, buildLeakyReLU},
      {"ReLU", "https://keras.io/api/layers/activation_layers/relu/",
       kReLUParams, nullptr, buildReLU},
      {"ELU", "https://keras.io/api/layers/activation_layers/elu/",
       kELUParams, nullptr, buildELU},
      {"Softmax", "https://keras.io/api/layers/activation_layers/softmax/",
       kSoftmaxParams, nullptr, buildSoftmax},
      {"PReLU", "https://keras.io/api/layers/activation_layers/prelu/",
       kPReLUParams, preluWeights, buildPReLU},
      {"ThresholdedReLU",
       "https://www.tensorflow.org/versions/r2.15/api_docs/python/tf/keras/"
       "layers/ThresholdedReLU",
       kThresholdedReLUParams, nullptr, buildThresholdedReLU},
  };
  return entries;
}
