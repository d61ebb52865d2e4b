//===- ActivationLayers.cpp - Activation, LeakyReLU, ReLU, ELU, Softmax, PReLU ===//

#include "Layers.h"

#include "predict/Dialect/Predict/IR/ShapeUtils.h"

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
  return list + ", silu, hard_silu";
}

Activation keras::activationField(LayerConfig &fields) {
  Activation act;
  const json::Value *v = fields.get("activation");
  if (!v || v->kind() == json::Value::Null)
    return act;
  auto named = [&](llvm::StringRef name, llvm::StringRef how) {
    if (auto kind = activationNamed(name))
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
  } else if (*cls == "ReLU") {
    act.kind = ActivationKind::relu;
    if (inner.has("max_value") || inner.number("negative_slope", 0) != 0 ||
        inner.number("threshold", 0) != 0)
      inner.error("its ReLU activation has max_value, negative_slope or "
                  "threshold; predict supports the plain ReLU");
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
                 "LeakyReLU, ReLU, ELU, Softmax and Activation objects, and "
                 "activations by name)");
  }
  return act;
}

llvm::Expected<Value> keras::applyActivation(LayerContext &call, Value v,
                                             const Activation &act) {
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
  if (act.kind == ActivationKind::linear)
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
  return checked(fields,
                 applyActivation(call, call.input(),
                                 {ActivationKind::leaky_relu, slope, {}}));
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
static llvm::Expected<Value> buildReLU(LayerContext &call) {
  LayerConfig &fields = call.config;
  std::optional<double> maxValue;
  if (fields.has("max_value"))
    maxValue = fields.number("max_value", 0);
  double slope = fields.number("negative_slope");
  double threshold = fields.number("threshold");
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  // Keras's own checks (ReLU.__init__).
  if ((maxValue && *maxValue < 0) || slope < 0 || threshold < 0)
    return call.fail("has a negative max_value, negative_slope or threshold, "
                     "which Keras refuses");
  Value x = call.input();
  Type unknown = UnrankedTensorType::get(Float32Type::get(call.getContext()));
  if (!maxValue && threshold == 0)
    return applyActivation(call, x,
                           slope == 0
                               ? Activation{ActivationKind::relu, {}, {}}
                               : Activation{ActivationKind::leaky_relu, slope,
                                            {}});
  llvm::Expected<Value> positive = x;
  Builder b(call.getContext());
  if (threshold != 0) {
    // x * 0 rather than 0, so that NaN and infinities give what x * cast(x >
    // threshold) gives.
    auto above = call.typed(CompareOp::create(
        call.body, call.loc, unknown,
        CompareKindAttr::get(call.getContext(), CompareKind::gt), x,
        scalar(call, threshold)));
    auto zeroed = call.typed(
        MulOp::create(call.body, call.loc, unknown, x, scalar(call, 0)));
    if (!above || !zeroed)
      return above ? zeroed.takeError() : above.takeError();
    positive = call.typed(
        SelectOp::create(call.body, call.loc, unknown, *above, x, *zeroed));
  } else {
    positive = call.typed(ClipOp::create(
        call.body, call.loc, x.getType(), x, b.getF64FloatAttr(0),
        maxValue ? b.getF64FloatAttr(*maxValue) : FloatAttr()));
    maxValue.reset(); // clipped already
  }
  if (positive && maxValue)
    positive = call.typed(ClipOp::create(
        call.body, call.loc, positive->getType(), *positive,
        b.getF64FloatAttr(0), b.getF64FloatAttr(*maxValue)));
  if (!positive || slope == 0)
    return positive;
  auto below = call.typed(SubOp::create(call.body, call.loc, unknown,
                                        scalar(call, threshold), x));
  if (!below)
    return below.takeError();
  auto negative = applyActivation(call, *below, {ActivationKind::relu, {}, {}});
  if (!negative)
    return negative.takeError();
  auto scaled = call.typed(MulOp::create(call.body, call.loc, unknown,
                                         scalar(call, slope), *negative));
  if (!scaled)
    return scaled.takeError();
  return call.typed(
      SubOp::create(call.body, call.loc, unknown, *positive, *scaled));
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
                                 {ActivationKind::elu, alpha, {}}));
}

//===----------------------------------------------------------------------===//
// Softmax(axis=-1)
// https://keras.io/api/layers/activation_layers/softmax/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kSoftmaxParams[] = {{"axis", "-1"}};

static llvm::Expected<Value> buildSoftmax(LayerContext &call) {
  int64_t axis = call.config.integer("axis");
  if (llvm::Error e = call.config.takeError())
    return std::move(e);
  return applyActivation(call, call.input(),
                         {ActivationKind::softmax, {}, axis});
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
    return PReluLayerOp::create(decls, call.loc, b.getStringAttr(call.name),
                                call.weightAttr("alpha", *alpha, shape))
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
  };
  return entries;
}
