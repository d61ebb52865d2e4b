//===- RecurrentLayers.cpp - LSTM, GRU, SimpleRNN -------------------------===//
//
// Issue 18: Keras's recurrent layers as predict.layer.recurrent (the
// weights, declared once) and predict.recurrent (each call), which the
// lowering compiles to a loop over the time axis (docs/Loops.md).
//
//===----------------------------------------------------------------------===//

#include "Layers.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;
namespace json = llvm::json;

//===----------------------------------------------------------------------===//
// LSTM(units, activation="tanh", recurrent_activation="sigmoid",
//      use_bias=True, kernel_initializer="glorot_uniform",
//      recurrent_initializer="orthogonal", bias_initializer="zeros",
//      unit_forget_bias=True, kernel_regularizer=None,
//      recurrent_regularizer=None, bias_regularizer=None,
//      activity_regularizer=None, kernel_constraint=None,
//      recurrent_constraint=None, bias_constraint=None, dropout=0.0,
//      recurrent_dropout=0.0, seed=None, return_sequences=False,
//      return_state=False, go_backwards=False, stateful=False,
//      unroll=False, use_cudnn="auto")
// https://keras.io/api/layers/recurrent_layers/lstm/
// GRU(units, activation, recurrent_activation, use_bias, kernel_initializer,
//     recurrent_initializer, bias_initializer, kernel_regularizer, ...,
//     dropout, recurrent_dropout, seed, return_sequences, return_state,
//     go_backwards, stateful, unroll, reset_after=True, use_cudnn="auto")
// https://keras.io/api/layers/recurrent_layers/gru/
// SimpleRNN(units, activation="tanh", use_bias, kernel_initializer,
//           recurrent_initializer, bias_initializer, ..., dropout,
//           recurrent_dropout, return_sequences, return_state,
//           go_backwards, stateful, unroll, seed)
// https://keras.io/api/layers/recurrent_layers/simple_rnn/
// Keras 2 also saved time_major, implementation and zero_output_for_mask.
//===----------------------------------------------------------------------===//

// The cells: LSTMCell(units, activation, recurrent_activation, use_bias,
// kernel_initializer, recurrent_initializer, bias_initializer,
// unit_forget_bias, kernel_regularizer, ..., dropout, recurrent_dropout,
// seed), GRUCell(..., reset_after=True, seed), SimpleRNNCell(units,
// activation, use_bias, ...): the layer's arguments but the sequence's (no
// activity_regularizer). They configure RNN(cell) only.
// https://keras.io/api/layers/recurrent_layers/lstm_cell/
// RNN(cell, return_sequences=False, return_state=False,
//     go_backwards=False, stateful=False, unroll=False,
//     zero_output_for_mask=False); Keras 2 also time_major.
// https://keras.io/api/layers/recurrent_layers/rnn/
//
// The runs of parameters the layers and cells share, in Keras's order.
// clang-format off
#define PREDICT_GATED_HEAD                                                     \
  {"units", ""},                                                               \
  {"activation", "\"tanh\""},                                                  \
  {"recurrent_activation", "\"sigmoid\""},                                     \
  {"use_bias", "true"},                                                        \
  PREDICT_INITIALIZERS
#define PREDICT_SIMPLE_HEAD                                                    \
  {"units", ""},                                                               \
  {"activation", "\"tanh\""},                                                  \
  {"use_bias", "true"},                                                        \
  PREDICT_INITIALIZERS
#define PREDICT_INITIALIZERS                                                   \
  {"kernel_initializer", "\"glorot_uniform\"", ParamRole::Initializer},        \
  {"recurrent_initializer", "\"orthogonal\"", ParamRole::Initializer},         \
  {"bias_initializer", "\"zeros\"", ParamRole::Initializer}
#define PREDICT_WEIGHT_REGULARIZERS                                            \
  {"kernel_regularizer", "null", ParamRole::Ignored},                          \
  {"recurrent_regularizer", "null", ParamRole::Ignored},                       \
  {"bias_regularizer", "null", ParamRole::Ignored}
#define PREDICT_CONSTRAINTS_DROPOUTS                                           \
  {"kernel_constraint", "null", ParamRole::Ignored},                           \
  {"recurrent_constraint", "null", ParamRole::Ignored},                        \
  {"bias_constraint", "null", ParamRole::Ignored},                             \
  {"dropout", "0.0", ParamRole::Ignored},                                      \
  {"recurrent_dropout", "0.0", ParamRole::Ignored}
// A layer's: the cell's, and the regularizer of its output.
#define PREDICT_RECURRENT_REGULARIZERS                                         \
  PREDICT_WEIGHT_REGULARIZERS,                                                 \
  {"activity_regularizer", "null", ParamRole::Ignored},                        \
  PREDICT_CONSTRAINTS_DROPOUTS
#define PREDICT_CELL_REGULARIZERS                                              \
  PREDICT_WEIGHT_REGULARIZERS, PREDICT_CONSTRAINTS_DROPOUTS
#define PREDICT_SEQUENCE                                                       \
  {"return_sequences", "false"},                                               \
  {"return_state", "false"},                                                   \
  {"go_backwards", "false"},                                                   \
  {"stateful", "false"},                                                       \
  {"unroll", "false", ParamRole::Ignored}
#define PREDICT_RECURRENT_KERAS2                                               \
  {"time_major", "false"},                                                     \
  {"implementation", "2", ParamRole::Ignored},                                 \
  {"zero_output_for_mask", "false"}
// clang-format on

static constexpr LayerParam kLstmParams[] = {
    PREDICT_GATED_HEAD,
    {"unit_forget_bias", "true", ParamRole::Ignored},
    PREDICT_RECURRENT_REGULARIZERS,
    {"seed", "null", ParamRole::Ignored},
    PREDICT_SEQUENCE,
    {"use_cudnn", "\"auto\"", ParamRole::Ignored},
    PREDICT_RECURRENT_KERAS2,
};

static constexpr LayerParam kGruParams[] = {
    PREDICT_GATED_HEAD,
    PREDICT_RECURRENT_REGULARIZERS,
    {"seed", "null", ParamRole::Ignored},
    PREDICT_SEQUENCE,
    {"reset_after", "true"},
    {"use_cudnn", "\"auto\"", ParamRole::Ignored},
    PREDICT_RECURRENT_KERAS2,
};

static constexpr LayerParam kSimpleRnnParams[] = {
    PREDICT_SIMPLE_HEAD,      PREDICT_RECURRENT_REGULARIZERS,
    PREDICT_SEQUENCE,         {"seed", "null", ParamRole::Ignored},
    PREDICT_RECURRENT_KERAS2,
};

static constexpr LayerParam kLstmCellParams[] = {
    PREDICT_GATED_HEAD,
    {"unit_forget_bias", "true", ParamRole::Ignored},
    PREDICT_CELL_REGULARIZERS,
    {"seed", "null", ParamRole::Ignored},
    {"implementation", "2", ParamRole::Ignored},
};

static constexpr LayerParam kGruCellParams[] = {
    PREDICT_GATED_HEAD,
    PREDICT_CELL_REGULARIZERS,
    {"reset_after", "true"},
    {"seed", "null", ParamRole::Ignored},
    {"implementation", "2", ParamRole::Ignored},
};

static constexpr LayerParam kSimpleRnnCellParams[] = {
    PREDICT_SIMPLE_HEAD,
    PREDICT_CELL_REGULARIZERS,
    {"seed", "null", ParamRole::Ignored},
};

static constexpr LayerParam kRnnParams[] = {
    {"cell", ""},
    PREDICT_SEQUENCE,
    {"zero_output_for_mask", "false"},
    {"time_major", "false"},
};

#undef PREDICT_GATED_HEAD
#undef PREDICT_SIMPLE_HEAD
#undef PREDICT_INITIALIZERS
#undef PREDICT_WEIGHT_REGULARIZERS
#undef PREDICT_CONSTRAINTS_DROPOUTS
#undef PREDICT_RECURRENT_REGULARIZERS
#undef PREDICT_CELL_REGULARIZERS
#undef PREDICT_SEQUENCE
#undef PREDICT_RECURRENT_KERAS2

/// The weights every recurrent cell creates, in its build() order
/// (keras.layers.LSTMCell.build: kernel, recurrent_kernel, bias).
static llvm::SmallVector<llvm::StringRef> recurrentWeights(LayerConfig &config) {
  if (config.boolean("use_bias"))
    return {"kernel", "recurrent_kernel", "bias"};
  return {"kernel", "recurrent_kernel"};
}

/// Keras 1's LSTM and GRU kept each gate's weights apart (unless
/// consume_less="gpu"), in the order of their build(): LSTM W_i, U_i, b_i,
/// W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o; GRU W_z, U_z, b_z, W_r,
/// U_r, b_r, W_h, U_h, b_h. Keras 2's loader joined them
/// (preprocess_weights_for_loading), as readWeights does.
static constexpr llvm::StringLiteral kKeras1Lstm[] = {
    "W_i", "U_i", "b_i", "W_c", "U_c", "b_c",
    "W_f", "U_f", "b_f", "W_o", "U_o", "b_o"};
static constexpr llvm::StringLiteral kKeras1Gru[] = {
    "W_z", "U_z", "b_z", "W_r", "U_r", "b_r", "W_h", "U_h", "b_h"};

/// Whether `config` is a Keras 1 LSTM or GRU with its gates' weights apart.
static bool keras1Gates(const LayerConfig &config) {
  if (config.kerasMajorVersion() >= 2)
    return false;
  const json::Value *mode = config.get("consume_less");
  return !(mode &&
           mode->getAsString() == std::optional<llvm::StringRef>("gpu"));
}

static llvm::SmallVector<llvm::StringRef> lstmWeights(LayerConfig &config) {
  if (keras1Gates(config))
    return llvm::SmallVector<llvm::StringRef>(std::begin(kKeras1Lstm),
                                              std::end(kKeras1Lstm));
  return recurrentWeights(config);
}

static llvm::SmallVector<llvm::StringRef> gruWeights(LayerConfig &config) {
  if (keras1Gates(config))
    return llvm::SmallVector<llvm::StringRef>(std::begin(kKeras1Gru),
                                              std::end(kKeras1Gru));
  return recurrentWeights(config);
}

/// Keras 2's legacy_recurrent_support (keras/legacy/interfaces.py): Keras
/// 1's names of the recurrent layers' fields. `consume_less` (how Keras 1
/// laid out the weights, read by keras1Gates) and `forget_bias_init` (the
/// bias is stored) change nothing else.
static constexpr LegacyName kRecurrentKeras1Names[] = {
    {"output_dim", "units"},
    {"init", "kernel_initializer"},
    {"inner_init", "recurrent_initializer"},
    {"inner_activation", "recurrent_activation"},
    {"W_regularizer", "kernel_regularizer"},
    {"U_regularizer", "recurrent_regularizer"},
    {"b_regularizer", "bias_regularizer"},
    {"dropout_W", "dropout"},
    {"dropout_U", "recurrent_dropout"},
};

/// The activation in field `key` (`activation`, `recurrent_activation`),
/// read as Dense reads its own; `dflt` when absent or null.
static Activation recurrentActivation(LayerConfig &fields, llvm::StringRef key,
                                      ActivationKind dflt) {
  const json::Value *v = fields.get(key);
  if (!v)
    return activationOf(dflt);
  if (v->kind() == json::Value::Null)
    return activationOf(ActivationKind::linear);
  json::Object wrapper{{"activation", *v}};
  LayerConfig inner(wrapper, fields, key == "activation" ? "" : "recurrent_");
  Activation act = activationField(inner);
  if (act.composite != CompositeActivation::none)
    fields.error("has " + key.str() + " " + shown(*v) +
                 ", which predict computes after a layer, not inside a "
                 "recurrent cell");
  else if (act.axis)
    fields.error("has " + key.str() + " along an axis (" +
                 shown(*v) + "); a recurrent cell applies its activations "
                 "elementwise");
  return act;
}

static std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  return llvm::join(
      llvm::map_range(shape, [](int64_t d) { return std::to_string(d); }),
      "x");
}

namespace {
/// A recurrent layer's settings, as its config gives them.
struct RecurrentSpec {
  RecurrentCell cell = RecurrentCell::lstm;
  Activation act, ract;
  int64_t units = 0;
  bool returnSequences = false, returnState = false, goBackwards = false,
       resetAfter = false, useBias = true, zeroOutputForMask = false;
  /// A Keras 2 GRU config without `reset_after`: readWeights decides it by
  /// the bias's shape.
  bool resetAfterFromBias = false;
  int64_t gates() const {
    return cell == RecurrentCell::lstm ? 4 : cell == RecurrentCell::gru ? 3 : 1;
  }
  int64_t states() const { return cell == RecurrentCell::lstm ? 2 : 1; }
};

/// A recurrent layer's weights as attributes.
struct RecurrentWeightAttrs {
  ElementsAttr kernel, recurrent, bias;
};
} // namespace

/// The cell of a Keras recurrent class, if it is one.
static std::optional<RecurrentCell> cellOf(llvm::StringRef className) {
  if (className == "LSTM")
    return RecurrentCell::lstm;
  if (className == "GRU")
    return RecurrentCell::gru;
  if (className == "SimpleRNN")
    return RecurrentCell::simple_rnn;
  return std::nullopt;
}

/// Reads a recurrent layer's settings from `fields`; errors name the layer
/// of `call` (`fields` may be a wrapped layer's).
static llvm::Expected<RecurrentSpec>
readSpec(LayerContext &call, LayerConfig &fields, RecurrentCell cell) {
  RecurrentSpec spec;
  spec.cell = cell;
  spec.act = recurrentActivation(fields, "activation", ActivationKind::tanh);
  spec.ract = cell == RecurrentCell::simple_rnn
                  ? activationOf(ActivationKind::sigmoid)
                  : recurrentActivation(fields, "recurrent_activation",
                                        ActivationKind::sigmoid);
  spec.returnSequences = fields.boolean("return_sequences", false);
  spec.returnState = fields.boolean("return_state", false);
  spec.goBackwards = fields.boolean("go_backwards", false);
  // reset_after came with Keras 2.1.3, whose configs always hold it: Keras
  // 1's GRU is reset_after False, and absent from a Keras 2 config (before
  // 2.1.3, False) the bias's shape says which (2 x 3·units when True);
  // Keras 3's default is True.
  spec.resetAfter =
      cell == RecurrentCell::gru &&
      (fields.has("reset_after") ? fields.boolean("reset_after", true)
                                 : fields.kerasMajorVersion() >= 3);
  spec.resetAfterFromBias = cell == RecurrentCell::gru &&
                            !fields.has("reset_after") &&
                            fields.kerasMajorVersion() == 2;
  spec.useBias = fields.boolean("use_bias", true);
  spec.zeroOutputForMask = fields.boolean("zero_output_for_mask", false);
  bool timeMajor = fields.boolean("time_major", false);
  bool stateful = fields.boolean("stateful", false);
  std::optional<int64_t> units;
  if (fields.has("units"))
    units = fields.integer("units", 0);
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  if (timeMajor)
    return call.fail("has time_major=True (inputs time x batch x "
                     "features); predict reads batch x time x features: "
                     "save the layer with time_major=False");
  // A stateful layer starts each call (and each batch of Keras's
  // predict) from the states the previous one ended with (found by
  // helper-126); predict compiles a function without state.
  if (stateful)
    return call.fail("has stateful=True: Keras carries its states from one "
                     "call, and one batch of predict, to the next; predict "
                     "compiles a function that keeps no state between "
                     "calls: make the layer stateful=False and pass the "
                     "states in and out (initial_state=, return_state=True)");
  if (!units || *units <= 0)
    return call.fail("has units " +
                     (units ? std::to_string(*units) : std::string("missing")) +
                     ": Keras requires a positive number of units");
  spec.units = *units;
  return spec;
}

/// The input of a recurrent layer's call, checked: a batch x time x
/// features tensor, then `states` initial states (Keras's `initial_state`,
/// which a Functional graph passes after the sequence) or none. Its
/// features (maybe dynamic).
static llvm::Expected<int64_t> checkInput(LayerContext &call,
                                          int64_t states) {
  int64_t given = int64_t(call.inputs.size()) - 1;
  if (given != 0 && given != states)
    return call.fail("is called with " + llvm::Twine(given) +
                     " initial state(s); it takes " + llvm::Twine(states) +
                     " (" + (call.entry.className == "Bidirectional"
                                 ? "the forward layer's, then the backward "
                                   "layer's"
                                 : states == 2 ? "h, then c" : "h") +
                     ")");
  for (Value state : call.inputs.drop_front()) {
    auto t = dyn_cast<RankedTensorType>(state.getType());
    if (!t || t.getRank() != 2 || !isa<FloatType>(t.getElementType()))
      return call.fail("takes an initial state of type " +
                       llvm::formatv("{0}", state.getType()).str() +
                       "; a state is batch x units of floats");
  }
  auto inputType = dyn_cast<RankedTensorType>(call.input().getType());
  if (!inputType || inputType.getRank() != 3)
    return call.fail("takes an input of type " +
                     llvm::formatv("{0}", call.input().getType()).str() +
                     "; Keras's recurrent layers take batch x time x "
                     "features (rank 3)");
  return inputType.getDimSize(2);
}

/// Keras 1's gates read apart and joined in today's gate order (LSTM i, f,
/// c, o from Keras 1's i, c, f, o; GRU z, r, h), each piece checked against
/// the config's units.
static llvm::Expected<RecurrentWeightAttrs>
readKeras1Gates(LayerContext &call, const RecurrentSpec &spec,
                int64_t features) {
  bool lstm = spec.cell == RecurrentCell::lstm;
  llvm::ArrayRef<llvm::StringLiteral> names =
      lstm ? llvm::ArrayRef<llvm::StringLiteral>(kKeras1Lstm)
           : llvm::ArrayRef<llvm::StringLiteral>(kKeras1Gru);
  // Today's gate k is Keras 1's gate order[k] (3 names per gate).
  llvm::SmallVector<unsigned> order =
      lstm ? llvm::SmallVector<unsigned>{0, 2, 1, 3}
           : llvm::SmallVector<unsigned>{0, 1, 2};
  int64_t units = spec.units, gates = order.size();
  std::vector<WeightArray> pieces;
  for (auto [i, name] : llvm::enumerate(names)) {
    llvm::SmallVector<int64_t> shape =
        i % 3 == 0   ? llvm::SmallVector<int64_t>{features, units}
        : i % 3 == 1 ? llvm::SmallVector<int64_t>{units, units}
                     : llvm::SmallVector<int64_t>{units};
    auto piece = call.array(name, shape);
    if (!piece)
      return piece.takeError();
    bool fits = piece->shape.size() == shape.size() &&
                (i % 3 != 0 ||
                 (piece->shape[1] == units &&
                  (pieces.empty() || piece->shape[0] == pieces[0].shape[0]))) &&
                (i % 3 != 1 || llvm::equal(piece->shape, shape)) &&
                (i % 3 != 2 || piece->shape[0] == units);
    if (!fits)
      return call.fail("has units " + llvm::Twine(units) +
                       " in its config but a Keras 1 weight " + name +
                       " of shape " + shapeText(piece->shape));
    pieces.push_back(std::move(*piece));
  }
  int64_t rows[3] = {pieces[0].shape[0], units, 1};
  RecurrentWeightAttrs attrs;
  for (unsigned kind = 0; kind < 3; ++kind) {
    WeightArray joined;
    joined.shape = kind == 2
                       ? llvm::SmallVector<int64_t>{gates * units}
                       : llvm::SmallVector<int64_t>{rows[kind], gates * units};
    joined.data.resize(size_t(rows[kind] * gates * units));
    for (int64_t r = 0; r < rows[kind]; ++r)
      for (int64_t g = 0; g < gates; ++g)
        for (int64_t u = 0; u < units; ++u)
          joined.data[size_t((r * gates + g) * units + u)] =
              pieces[order[g] * 3 + kind].data[size_t(r * units + u)];
    llvm::StringRef as = kind == 0   ? "kernel"
                         : kind == 1 ? "recurrent_kernel"
                                     : "bias";
    ElementsAttr attr = call.weightAttr(as, std::move(joined), joined.shape);
    (kind == 0   ? attrs.kernel
     : kind == 1 ? attrs.recurrent
                 : attrs.bias) = attr;
  }
  return attrs;
}

/// Reads the weights `<prefix>kernel`, `<prefix>recurrent_kernel` and
/// `<prefix>bias` and checks them against the config's units.
static llvm::Expected<RecurrentWeightAttrs>
readWeights(LayerContext &call, RecurrentSpec &spec, int64_t features,
            llvm::StringRef prefix) {
  int64_t width = spec.gates() * spec.units;
  std::string kernelName = (prefix + "kernel").str();
  std::string recurrentName = (prefix + "recurrent_kernel").str();
  std::string biasName = (prefix + "bias").str();
  if (prefix.empty() && keras1Gates(call.config) &&
      spec.cell != RecurrentCell::simple_rnn)
    return readKeras1Gates(call, spec, features);
  auto kernel = call.array(kernelName, {features, width});
  if (!kernel)
    return kernel.takeError();
  auto recurrent = call.array(recurrentName, {spec.units, width});
  if (!recurrent)
    return recurrent.takeError();
  auto expectShape = [&](llvm::StringRef name, const WeightArray &w,
                         llvm::ArrayRef<int64_t> expected) -> llvm::Error {
    bool fits = w.shape.size() == expected.size();
    for (size_t d = 0; fits && d < expected.size(); ++d)
      fits = ShapedType::isDynamic(expected[d]) || w.shape[d] == expected[d];
    if (fits)
      return llvm::Error::success();
    std::string want;
    for (int64_t d : expected)
      want += (want.empty() ? "" : "x") +
              (ShapedType::isDynamic(d) ? std::string("?")
                                        : std::to_string(d));
    return call.fail("has units " + llvm::Twine(spec.units) +
                     " in its config but a " + name + " of shape " +
                     shapeText(w.shape) + " (expected " + want + ")");
  };
  if (llvm::Error e = expectShape(kernelName, *kernel,
                                  {ShapedType::kDynamic, width}))
    return std::move(e);
  if (llvm::Error e =
          expectShape(recurrentName, *recurrent, {spec.units, width}))
    return std::move(e);
  RecurrentWeightAttrs attrs;
  if (spec.useBias) {
    auto biasShape = [&]() {
      llvm::SmallVector<int64_t> shape{width};
      if (spec.resetAfter)
        shape.insert(shape.begin(), 2);
      return shape;
    };
    auto bias = call.array(biasName, biasShape());
    if (!bias)
      return bias.takeError();
    if (spec.resetAfterFromBias)
      spec.resetAfter = bias->shape.size() == 2;
    if (llvm::Error e = expectShape(
            spec.resetAfter
                ? biasName + " (reset_after: input and recurrent bias)"
                : biasName,
            *bias, biasShape()))
      return std::move(e);
    attrs.bias = call.weightAttr(biasName, std::move(*bias), bias->shape);
  }
  attrs.kernel = call.weightAttr(kernelName, std::move(*kernel), kernel->shape);
  attrs.recurrent =
      call.weightAttr(recurrentName, std::move(*recurrent), recurrent->shape);
  return attrs;
}

/// predict.recurrent of `spec` on the call's input, its weights as
/// constants, typed by its shape rule.
static llvm::Expected<RecurrentOp>
buildComputation(LayerContext &call, const RecurrentSpec &spec,
                 const RecurrentWeightAttrs &w, bool goBackwards,
                 bool reverseOutputs, ValueRange initialStates,
                 bool zeroOutputForMask) {
  MLIRContext *ctx = call.getContext();
  Builder b(ctx);
  auto constant = [&](ElementsAttr a) -> Value {
    return a ? Value(ConstantOp::create(call.body, call.loc, a)) : Value();
  };
  auto alpha = [&](const Activation &a) {
    return a.alpha ? b.getF64FloatAttr(*a.alpha) : FloatAttr();
  };
  auto unknown = UnrankedTensorType::get(Float32Type::get(ctx));
  SmallVector<Type> stateTypes(spec.returnState ? spec.states() : 0, unknown);
  auto op = RecurrentOp::create(
      call.body, call.loc, unknown, stateTypes, call.input(),
      constant(w.kernel), constant(w.recurrent), constant(w.bias),
      initialStates, call.inputMask, spec.cell, spec.act.kind, spec.ract.kind,
      alpha(spec.act), alpha(spec.ract), spec.resetAfter,
      spec.returnSequences, spec.returnState, goBackwards, reverseOutputs,
      zeroOutputForMask && call.inputMask);
  auto typed = call.typed(op);
  if (!typed)
    return typed.takeError();
  return op;
}

static llvm::Expected<Value> buildRecurrent(LayerContext &call,
                                            RecurrentCell cell) {
  auto spec = readSpec(call, call.config, cell);
  if (!spec)
    return spec.takeError();
  auto features = checkInput(call, spec->states());
  if (!features)
    return features.takeError();
  auto decl = call.declare([&](OpBuilder &decls) -> llvm::Expected<Operation *> {
    auto w = readWeights(call, *spec, *features, "");
    if (!w)
      return w.takeError();
    Builder b(call.getContext());
    auto unit = [&](bool set) { return set ? b.getUnitAttr() : UnitAttr(); };
    auto alpha = [&](const Activation &a) {
      return a.alpha ? b.getF64FloatAttr(*a.alpha) : FloatAttr();
    };
    return RecurrentLayerOp::create(
               decls, call.loc, b.getStringAttr(call.name),
               RecurrentCellAttr::get(call.getContext(), cell), w->kernel,
               w->recurrent, w->bias,
               ActivationKindAttr::get(call.getContext(), spec->act.kind),
               ActivationKindAttr::get(call.getContext(), spec->ract.kind),
               alpha(spec->act), alpha(spec->ract), unit(spec->resetAfter),
               unit(spec->returnSequences), unit(spec->goBackwards))
        .getOperation();
  });
  if (!decl)
    return decl.takeError();
  auto layer = cast<RecurrentLayerOp>(*decl);
  // (Declared at an earlier call: reset_after as its weights decided it.)
  spec->resetAfter = layer.getResetAfter();
  ValueRange initialStates = call.inputs.drop_front();
  if (!spec->returnState && !call.inputMask && initialStates.empty())
    return call.apply(layer);
  // return_state, a mask, initial_state: the output, then the final states
  // (h, and c for an LSTM), as Keras returns them: the computation itself,
  // with the declaration's weights.
  RecurrentWeightAttrs w{layer.getKernel(), layer.getRecurrentKernel(),
                         layer.getBiasAttr()};
  auto op = buildComputation(call, *spec, w, spec->goBackwards, false,
                             initialStates, spec->zeroOutputForMask);
  if (!op)
    return op.takeError();
  call.moreResults.assign(op->getStates().begin(), op->getStates().end());
  return op->getOutput();
}

static llvm::Expected<Value> buildLstm(LayerContext &call) {
  return buildRecurrent(call, RecurrentCell::lstm);
}
static llvm::Expected<Value> buildGru(LayerContext &call) {
  return buildRecurrent(call, RecurrentCell::gru);
}
static llvm::Expected<Value> buildSimpleRnn(LayerContext &call) {
  return buildRecurrent(call, RecurrentCell::simple_rnn);
}

//===----------------------------------------------------------------------===//
// TimeDistributed(layer)
// https://keras.io/api/layers/recurrent_layers/time_distributed/
// Applies `layer` to every step of axis 1. A layer that computes each
// position of the leading axes from its own features (Dense, activations,
// Dropout) is applied to the sequence as it is: Keras's Dense on a rank-3
// input is the same product at every step. Any other layer is applied to
// the steps with the batch and time axes merged, then split back, as
// Keras's TimeDistributed.call reshapes them.
//===----------------------------------------------------------------------===//

static constexpr LayerParam kTimeDistributedParams[] = {{"layer", ""}};

/// The wrapped layer's class and config object, or null.
static const json::Object *wrappedConfig(LayerConfig &config,
                                         llvm::StringRef &className) {
  const json::Value *v = config.get("layer");
  const json::Object *o = v ? v->getAsObject() : nullptr;
  if (!o)
    return nullptr;
  auto cls = o->getString("class_name");
  const json::Object *inner = o->getObject("config");
  if (!cls || !inner)
    return nullptr;
  className = *cls;
  return inner;
}

static llvm::SmallVector<llvm::StringRef>
timeDistributedWeights(LayerConfig &config) {
  llvm::StringRef cls;
  const json::Object *inner = wrappedConfig(config, cls);
  const LayerEntry *entry = inner ? lookupLayer(cls) : nullptr;
  if (!entry || !entry->weights)
    return {};
  LayerConfig fields(*inner, config.describe(), entry->params);
  fields.setKerasMajorVersion(config.kerasMajorVersion());
  auto names = entry->weights(fields);
  llvm::consumeError(fields.takeError());
  return names;
}

bool keras::appliesPositionWise(llvm::StringRef cls) {
  return llvm::is_contained({"Dense", "Activation", "Dropout", "LeakyReLU",
                             "ReLU", "ELU", "PReLU", "Identity",
                             "GaussianNoise", "GaussianDropout",
                             "AlphaDropout"},
                            cls);
}

static llvm::Expected<Value> buildTimeDistributed(LayerContext &call) {
  llvm::StringRef cls;
  const json::Object *inner = wrappedConfig(call.config, cls);
  if (!inner)
    return call.fail("has no wrapped layer ('layer' must be a "
                     "{\"class_name\", \"config\"} object)");
  const LayerEntry *entry = lookupLayer(cls);
  if (!entry || !entry->build)
    return call.fail("wraps a '" + cls + "' layer, which is not supported");
  auto type = dyn_cast<RankedTensorType>(call.input().getType());
  if (!type || type.getRank() < 3)
    return call.fail("takes an input of type " +
                     llvm::formatv("{0}", call.input().getType()).str() +
                     "; TimeDistributed needs batch x time x ... (rank >= 3)");
  LayerConfig fields(*inner, call.describe() + " (its " + cls.str() + ")",
                     entry->params);
  fields.setKerasMajorVersion(call.config.kerasMajorVersion());
  // The wrapped layer is this layer: its weights are the wrapper's, and
  // its declaration takes the wrapper's name.
  auto declare =
      [&](llvm::function_ref<llvm::Expected<Operation *>(OpBuilder &)> make) {
        return call.declare(make);
      };
  // A layer that computes each position from its own features (Keras's
  // Dense on a rank-3 input is the same product at every step) is applied
  // to the sequence as it is.
  if (appliesPositionWise(cls)) {
    LayerContext wrapped(*entry, call.name, fields, call.inputs, call.loc,
                         call.body, declare, call.weightProvider());
    return entry->build(wrapped);
  }
  // Any other layer sees one step at a time, as Keras's TimeDistributed
  // computes it: the batch and time axes merged into one batch axis
  // (`N x T x d...` to `N·T x d...`, tensor.collapse_shape), the layer
  // applied, and the result split back (`N·T x e...` to `N x T x e...`,
  // tensor.expand_shape with N and T read off the input).
  SmallVector<Value, 1> steps{
      mergeBatchAndTime(call.body, call.loc, call.input())};
  LayerContext wrapped(*entry, call.name, fields, steps, call.loc, call.body,
                       declare, call.weightProvider());
  llvm::Expected<Value> out = entry->build(wrapped);
  if (!out)
    return out.takeError();
  auto outType = dyn_cast<RankedTensorType>(out->getType());
  if (!outType || outType.getRank() < 1)
    return call.fail("wraps a '" + cls +
                     "' layer whose result for one step "
                     "has no batch axis; TimeDistributed needs one");
  if (!wrapped.moreResults.empty())
    return call.fail("wraps a '" + cls +
                     "' layer that returns several "
                     "tensors (return_state); TimeDistributed returns one");
  return splitBatchAndTime(call.body, call.loc, *out, call.input());
}

const std::vector<std::vector<llvm::StringRef>> &keras::keras3NestedVars() {
  static const std::vector<std::vector<llvm::StringRef>> groups = {
      {"/cell/vars"},
      {"/layer/vars"},
      {"/forward_layer/cell/vars", "/backward_layer/cell/vars"},
      {"/layer/cell/vars"},
      {"/layer/layer/vars"},
      {"/layer/forward_layer/cell/vars", "/layer/backward_layer/cell/vars"}};
  return groups;
}

Value keras::mergeBatchAndTime(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<ReassociationIndices> merge(1, ReassociationIndices{0, 1});
  for (int64_t d = 2; d < type.getRank(); ++d)
    merge.push_back({d});
  return tensor::CollapseShapeOp::create(b, loc, x, merge);
}

Value keras::splitBatchAndTime(OpBuilder &b, Location loc, Value y,
                               Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  auto outType = cast<RankedTensorType>(y.getType());
  SmallVector<int64_t> shape{type.getDimSize(0), type.getDimSize(1)};
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < 2; ++d)
    sizes.push_back(tensor::getMixedSize(b, loc, input, d));
  SmallVector<ReassociationIndices> split(1, ReassociationIndices{0, 1});
  for (int64_t d = 1; d < outType.getRank(); ++d) {
    split.push_back({d + 1});
    shape.push_back(outType.getDimSize(d));
    sizes.push_back(tensor::getMixedSize(b, loc, y, d));
  }
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, outType.getElementType()), y, split,
      sizes);
}

//===----------------------------------------------------------------------===//
// Bidirectional(layer, merge_mode="concat", weights=None,
//               backward_layer=None)
// https://keras.io/api/layers/recurrent_layers/bidirectional/
// Runs `layer` forwards and a copy of it with go_backwards flipped (or
// `backward_layer`), flips the backward sequence back to time order when
// it returns sequences, and merges the two outputs.
//===----------------------------------------------------------------------===//

static constexpr LayerParam kBidirectionalParams[] = {
    {"layer", ""},
    {"merge_mode", "\"concat\""},
    {"weights", "null", ParamRole::Ignored},
    {"backward_layer", "null"},
};

/// The class and config object of Bidirectional's `key` (`layer`,
/// `backward_layer`), or null.
static const json::Object *wrappedConfigAt(LayerConfig &config,
                                           llvm::StringRef key,
                                           llvm::StringRef &className) {
  const json::Value *v = config.get(key);
  const json::Object *o = v ? v->getAsObject() : nullptr;
  if (!o)
    return nullptr;
  auto cls = o->getString("class_name");
  const json::Object *inner = o->getObject("config");
  if (!cls || !inner)
    return nullptr;
  className = *cls;
  return inner;
}

static llvm::SmallVector<llvm::StringRef>
bidirectionalWeights(LayerConfig &config) {
  llvm::SmallVector<llvm::StringRef> names;
  for (auto [key, prefix] : {std::pair{"layer", 0}, {"backward_layer", 1}}) {
    llvm::StringRef cls;
    const json::Object *inner = wrappedConfigAt(config, key, cls);
    if (!inner && prefix == 1)
      inner = wrappedConfigAt(config, "layer", cls);
    if (!inner)
      return {};
    bool useBias = inner->getBoolean("use_bias").value_or(true);
    if (prefix == 0) {
      names.append({"forward_kernel", "forward_recurrent_kernel"});
      if (useBias)
        names.push_back("forward_bias");
    } else {
      names.append({"backward_kernel", "backward_recurrent_kernel"});
      if (useBias)
        names.push_back("backward_bias");
    }
  }
  return names;
}

static llvm::Expected<Value> buildBidirectional(LayerContext &call) {
  LayerConfig &fields = call.config;
  std::string merge = fields.has("merge_mode")
                          ? fields.string("merge_mode", "concat")
                          : (fields.get("merge_mode") ? "" : "concat");
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  if (merge != "" && merge != "concat" && merge != "sum" && merge != "mul" &&
      merge != "ave")
    return call.fail("has merge_mode '" + merge +
                     "'; Keras's are concat, sum, mul, ave and None");
  llvm::StringRef cls, backwardCls;
  const json::Object *forward = wrappedConfigAt(fields, "layer", cls);
  if (!forward)
    return call.fail("has no wrapped layer ('layer' must be a "
                     "{\"class_name\", \"config\"} object)");
  std::optional<RecurrentCell> cell = cellOf(cls);
  if (!cell)
    return call.fail("wraps a '" + cls +
                     "' layer; predict's Bidirectional wraps LSTM, GRU and "
                     "SimpleRNN");
  const json::Object *backward =
      wrappedConfigAt(fields, "backward_layer", backwardCls);
  std::optional<RecurrentCell> backwardCell = cell;
  if (backward) {
    backwardCell = cellOf(backwardCls);
    if (!backwardCell)
      return call.fail("has a backward_layer of class '" + backwardCls +
                       "'; predict's Bidirectional wraps LSTM, GRU and "
                       "SimpleRNN");
  }
  auto features = checkInput(call, 2 * (*cell == RecurrentCell::lstm ? 2 : 1));
  if (!features)
    return features.takeError();
  LayerConfig forwardFields(*forward, call.describe(), {});
  forwardFields.setKerasMajorVersion(fields.kerasMajorVersion());
  auto forwardSpec = readSpec(call, forwardFields, *cell);
  if (!forwardSpec)
    return forwardSpec.takeError();
  LayerConfig backwardFields(backward ? *backward : *forward, call.describe(),
                             {});
  backwardFields.setKerasMajorVersion(fields.kerasMajorVersion());
  auto backwardSpec = readSpec(call, backwardFields, *backwardCell);
  if (!backwardSpec)
    return backwardSpec.takeError();
  // Keras's backward layer is a copy of the layer going backwards, unless
  // given: Keras 2 flips the layer's go_backwards, Keras 3 sets it True.
  // Either way the two must differ (Bidirectional._verify_layer_config
  // raises otherwise).
  bool backwardGoesBackwards = backward ? backwardSpec->goBackwards
                               : fields.kerasMajorVersion() < 3
                                   ? !forwardSpec->goBackwards
                                   : true;
  if (backwardGoesBackwards == forwardSpec->goBackwards)
    return call.fail(std::string(backward ? "has a backward_layer with "
                                            "the go_backwards of its layer"
                                          : "wraps a layer with "
                                            "go_backwards=True, which Keras "
                                            "3 gives its backward copy too") +
                     " (" + (forwardSpec->goBackwards ? "True" : "False") +
                     "); Keras raises: the two must differ");
  bool elementwise = merge == "sum" || merge == "mul" || merge == "ave";
  if (elementwise && forwardSpec->units != backwardSpec->units)
    return call.fail("has merge_mode '" + merge + "' of a layer of " +
                     std::to_string(forwardSpec->units) +
                     " units and a backward_layer of " +
                     std::to_string(backwardSpec->units) + " units" +
                     "; the outputs merged element by element must have "
                     "the same size");
  if (forwardSpec->returnSequences != backwardSpec->returnSequences ||
      forwardSpec->returnState != backwardSpec->returnState)
    return call.fail("has a backward_layer whose return_sequences or "
                     "return_state differ from the layer's; Keras requires "
                     "them equal");
  auto fw = readWeights(call, *forwardSpec, *features, "forward_");
  if (!fw)
    return fw.takeError();
  auto bw = readWeights(call, *backwardSpec, *features, "backward_");
  if (!bw)
    return bw.takeError();
  // initial_state: the first half is the forward layer's, the second the
  // backward layer's (Bidirectional.call). With a mask, Bidirectional sets
  // each layer's zero_output_for_mask to its return_sequences.
  ValueRange states = call.inputs.drop_front();
  ValueRange forwardStates = states.take_front(states.size() / 2);
  ValueRange backwardStates = states.drop_front(states.size() / 2);
  auto f = buildComputation(call, *forwardSpec, *fw, forwardSpec->goBackwards,
                            false, forwardStates,
                            forwardSpec->returnSequences);
  if (!f)
    return f.takeError();
  auto r = buildComputation(call, *backwardSpec, *bw, backwardGoesBackwards,
                            /*reverseOutputs=*/backwardSpec->returnSequences,
                            backwardStates, backwardSpec->returnSequences);
  if (!r)
    return r.takeError();
  Value y = f->getOutput(), yRev = r->getOutput();
  auto unknown = UnrankedTensorType::get(Float32Type::get(call.getContext()));
  llvm::Expected<Value> merged = y;
  if (merge == "concat") {
    merged = call.typed(ConcatenateOp::create(
        call.body, call.loc, unknown, ValueRange{y, yRev},
        Builder(call.getContext()).getI64IntegerAttr(-1)));
  } else if (merge == "sum" || merge == "ave") {
    merged = call.typed(
        AddOp::create(call.body, call.loc, unknown, ValueRange{y, yRev}));
    if (merged && merge == "ave") {
      auto scalar =
          RankedTensorType::get({}, Float32Type::get(call.getContext()));
      Value two = ConstantOp::create(call.body, call.loc,
                                     DenseElementsAttr::get(scalar, 2.0f));
      merged = call.typed(
          DivOp::create(call.body, call.loc, unknown, *merged, two));
    }
  } else if (merge == "mul") {
    merged = call.typed(MulOp::create(call.body, call.loc, unknown, y, yRev));
  }
  if (!merged)
    return merged.takeError();
  // merge_mode None: the two outputs; then, with return_state, the
  // forward states and the backward ones (Keras's order).
  call.moreResults.clear();
  if (merge.empty())
    call.moreResults.push_back(yRev);
  llvm::append_range(call.moreResults, f->getStates());
  llvm::append_range(call.moreResults, r->getStates());
  return *merged;
}

//===----------------------------------------------------------------------===//
// RNN(cell) of one of Keras's cells computes as the layer of that cell
// (keras.layers.LSTM is RNN(LSTMCell(...)) in Keras's own code): the cell's
// config with RNN's fields, built as that layer. A list of cells
// (StackedRNNCells) or a cell class of the user's is refused.
//===----------------------------------------------------------------------===//

/// The layer class of a Keras cell class.
static llvm::StringRef layerOfCell(llvm::StringRef cell) {
  return llvm::StringSwitch<llvm::StringRef>(cell)
      .Case("LSTMCell", "LSTM")
      .Case("GRUCell", "GRU")
      .Case("SimpleRNNCell", "SimpleRNN")
      .Default("");
}

/// RNN's `config` as the config of the layer of its cell (into `merged`),
/// and that layer's entry; an error naming the cell otherwise.
static llvm::Expected<const LayerEntry *> rnnAsLayer(LayerConfig &config,
                                                     json::Object &merged) {
  auto fail = [&](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   config.describe() + " " + message);
  };
  const json::Value *cell = config.get("cell");
  const json::Object *o = cell ? cell->getAsObject() : nullptr;
  llvm::StringRef cls =
      o ? o->getString("class_name").value_or("") : llvm::StringRef();
  const json::Object *inner = o ? o->getObject("config") : nullptr;
  if (!inner) {
    if (cell && cell->getAsArray())
      return fail("has a list of cells (StackedRNNCells); predict compiles "
                  "RNN of one LSTMCell, GRUCell or SimpleRNNCell: stack "
                  "LSTM, GRU or SimpleRNN layers instead");
    return fail("has no cell ('cell' must be a {\"class_name\", \"config\"} "
                "object)");
  }
  const LayerEntry *entry = lookupLayer(layerOfCell(cls));
  if (!entry)
    return fail("has a cell of class '" + cls +
                "'; predict compiles RNN of LSTMCell, GRUCell or "
                "SimpleRNNCell (a cell class of your own is Python code: "
                "write its loop over the steps in the model's call and "
                "import that source)");
  merged = *inner;
  for (llvm::StringRef key :
       {"return_sequences", "return_state", "go_backwards", "stateful",
        "unroll", "zero_output_for_mask", "time_major", "name"})
    if (const json::Value *v = config.get(key))
      merged[key] = *v;
  return entry;
}

static llvm::SmallVector<llvm::StringRef> rnnWeights(LayerConfig &config) {
  json::Object merged;
  auto entry = rnnAsLayer(config, merged);
  if (!entry) {
    llvm::consumeError(entry.takeError());
    return {};
  }
  LayerConfig fields(merged, config.describe(), (*entry)->params);
  fields.setKerasMajorVersion(config.kerasMajorVersion());
  auto names = (*entry)->weights(fields);
  llvm::consumeError(fields.takeError());
  return names;
}

static llvm::Expected<Value> buildRnn(LayerContext &call) {
  json::Object merged;
  auto entry = rnnAsLayer(call.config, merged);
  if (!entry)
    return entry.takeError();
  LayerConfig fields(merged, call.describe(), (*entry)->params);
  fields.setKerasMajorVersion(call.config.kerasMajorVersion());
  // The cell's layer is this layer: its weights and declaration.
  auto declare =
      [&](llvm::function_ref<llvm::Expected<Operation *>(OpBuilder &)> make) {
        return call.declare(make);
      };
  LayerContext layer(**entry, call.name, fields, call.inputs, call.loc,
                     call.body, declare, call.weightProvider());
  layer.inputMask = call.inputMask;
  llvm::Expected<Value> out = (*entry)->build(layer);
  call.moreResults = std::move(layer.moreResults);
  call.outputMask = layer.outputMask;
  return out;
}

llvm::ArrayRef<LayerEntry> keras::recurrentLayers() {
  static const LayerEntry entries[] = {
      {"LSTM", "https://keras.io/api/layers/recurrent_layers/lstm/",
       kLstmParams, lstmWeights, buildLstm, "", kRecurrentKeras1Names},
      {"GRU", "https://keras.io/api/layers/recurrent_layers/gru/", kGruParams,
       gruWeights, buildGru, "", kRecurrentKeras1Names},
      {"SimpleRNN", "https://keras.io/api/layers/recurrent_layers/simple_rnn/",
       kSimpleRnnParams, recurrentWeights, buildSimpleRnn, "",
       kRecurrentKeras1Names},
      {"Bidirectional",
       "https://keras.io/api/layers/recurrent_layers/bidirectional/",
       kBidirectionalParams, bidirectionalWeights, buildBidirectional},
      {"TimeDistributed",
       "https://keras.io/api/layers/recurrent_layers/time_distributed/",
       kTimeDistributedParams, timeDistributedWeights, buildTimeDistributed},
      {"RNN", "https://keras.io/api/layers/recurrent_layers/rnn/", kRnnParams,
       rnnWeights, buildRnn},
      // Cells configure RNN(cell); alone they are not layers predict calls.
      {"LSTMCell", "https://keras.io/api/layers/recurrent_layers/lstm_cell/",
       kLstmCellParams},
      {"GRUCell", "https://keras.io/api/layers/recurrent_layers/gru_cell/",
       kGruCellParams},
      {"SimpleRNNCell",
       "https://keras.io/api/layers/recurrent_layers/simple_rnn_cell/",
       kSimpleRnnCellParams},
  };
  return entries;
}
