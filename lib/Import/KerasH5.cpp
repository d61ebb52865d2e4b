//===- KerasH5.cpp - Keras full-model HDF5 files to the predict dialect ---===//
//
// A Keras .h5 file holds the model's config as JSON in the root attribute
// `model_config`, and the weights under /model_weights/<layer>/, listed in
// each layer group's `weight_names` attribute (the datasets live at
// /model_weights/<layer>/<weight name>). Keras 2 and Keras 3 write the same
// layout with different spellings, handled below.
//
//===----------------------------------------------------------------------===//

#include "predict/Import/Keras.h"
#include "H5.h"
#include "Zip.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::predict;
namespace json = llvm::json;
using llvm::Expected;

namespace {
llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// One layer of the config, with the layers whose outputs it takes.
struct Layer {
  std::string name, className;
  const json::Object *config;
  std::vector<std::string> inputs;
  unsigned position;
};

/// A tensor reference in Keras 3 inbound nodes:
/// {"class_name": "__keras_tensor__", "config": {"keras_history": [n, 0, 0]}}.
void collectKerasTensors(const json::Value &value,
                         std::vector<std::string> &names) {
  if (const json::Object *o = value.getAsObject()) {
    if (const json::Object *c = o->getObject("config"))
      if (const json::Array *h = c->getArray("keras_history"))
        if (!h->empty())
          if (auto n = (*h)[0].getAsString()) {
            names.push_back(n->str());
            return;
          }
    for (const auto &kv : *o)
      collectKerasTensors(kv.second, names);
  } else if (const json::Array *a = value.getAsArray()) {
    for (const json::Value &v : *a)
      collectKerasTensors(v, names);
  }
}

/// Appends the first element of each entry of `entries` that is a
/// non-empty array starting with a string: the layer names of Keras's
/// `[["name", 0, 0, ...], ...]` lists.
void appendLeadingNames(const json::Array &entries,
                        std::vector<std::string> &names) {
  for (const json::Value &entry : entries)
    if (const json::Array *e = entry.getAsArray())
      if (!e->empty())
        if (auto n = (*e)[0].getAsString())
          names.push_back(n->str());
}

/// The input layer names of a Functional layer's first inbound node, in
/// Keras 2's form ([[["dense", 0, 0, {}], ...]]) or Keras 3's
/// ([{"args": [...keras tensors...], "kwargs": {}}]).
std::vector<std::string> inboundNames(const json::Object &layer) {
  std::vector<std::string> names;
  const json::Array *nodes = layer.getArray("inbound_nodes");
  if (!nodes || nodes->empty())
    return names;
  const json::Value &node = (*nodes)[0];
  if (const json::Array *entries = node.getAsArray()) {
    appendLeadingNames(*entries, names);
    return names;
  }
  if (const json::Object *o = node.getAsObject())
    if (const json::Value *args = o->get("args"))
      collectKerasTensors(*args, names);
  return names;
}

/// `[["input_1", 0, 0], ...]` or, for a single layer, `["input_1", 0, 0]`.
std::vector<std::string> endpointNames(const json::Value *value) {
  std::vector<std::string> names;
  const json::Array *a = value ? value->getAsArray() : nullptr;
  if (!a)
    return names;
  if (!a->empty() && (*a)[0].getAsString()) {
    names.push_back((*a)[0].getAsString()->str());
    return names;
  }
  appendLeadingNames(*a, names);
  return names;
}

std::optional<int64_t> intOf(const json::Object &o, llvm::StringRef key) {
  if (const json::Value *v = o.get(key)) {
    if (auto i = v->getAsInteger())
      return *i;
    if (const json::Array *a = v->getAsArray()) // axis = [-1] (Keras 3)
      if (a->size() == 1)
        if (auto i = (*a)[0].getAsInteger())
          return *i;
  }
  return std::nullopt;
}

std::optional<double> numberOf(const json::Object &o, llvm::StringRef key) {
  if (const json::Value *v = o.get(key))
    return v->getAsNumber();
  return std::nullopt;
}

/// Keras's activation names; silu is swish.
std::optional<ActivationKind> activationOf(llvm::StringRef name) {
  if (name == "silu")
    return ActivationKind::swish;
  return symbolizeActivationKind(name);
}

/// Where a layer's weights are, by their Keras names (kernel, bias, gamma,
/// beta, moving_mean, moving_variance, mean, variance): dataset paths, read
/// only when the layer needs them (Normalization's integer count is not).
class WeightSource {
public:
  explicit WeightSource(h5::File &file) : file(file) {}
  virtual ~WeightSource() = default;
  virtual Expected<llvm::StringMap<std::string>>
  locate(const Layer &layer, ArrayRef<Layer> layers) = 0;
  Expected<h5::Array> read(llvm::StringRef path) { return file.readArray(path); }

protected:
  h5::File &file;
};

/// Keras 2 (and Keras 3's legacy .h5): <root>/<layer name>/ lists its
/// datasets in the attribute weight_names (`dense_1/kernel:0`).
class LegacyWeights : public WeightSource {
public:
  LegacyWeights(h5::File &file, std::string root)
      : WeightSource(file), root(std::move(root)) {}
  Expected<llvm::StringMap<std::string>>
  locate(const Layer &layer, ArrayRef<Layer>) override {
    llvm::StringMap<std::string> weights;
    std::string group = root + "/" + layer.name;
    auto names = file.stringListAttr(group, "weight_names");
    if (!names)
      return fail("the weights of layer '" + layer.name + "' (" +
                  layer.className + ") are missing from '" + file.path() +
                  "': " + llvm::toString(names.takeError()));
    for (const std::string &name : *names) {
      llvm::StringRef shortName = llvm::StringRef(name).rsplit('/').second;
      if (shortName.empty())
        shortName = name;
      weights[shortName.split(':').first] = group + "/" + name;
    }
    return weights;
  }

private:
  std::string root;
};

/// `BatchNormalization` -> `batch_normalization`: how Keras 3 names a
/// layer's weight group when it does not use the config's name.
std::string snakeCase(llvm::StringRef className) {
  std::string out;
  for (char c : className) {
    if (llvm::isUpper(c)) {
      if (!out.empty())
        out += '_';
      out += llvm::toLower(c);
    } else {
      out += c;
    }
  }
  return out;
}

/// Keras 3 (.keras archives, .weights.h5): /layers/<group>/vars/0, 1, ...
/// in the order the layer creates them; the group is found by its `name`
/// attribute, or else by class and counter (`dense`, `dense_1`, ...).
class Keras3Weights : public WeightSource {
public:
  explicit Keras3Weights(h5::File &file) : WeightSource(file) {}
  Expected<llvm::StringMap<std::string>>
  locate(const Layer &layer, ArrayRef<Layer> layers) override {
    std::string group;
    for (const std::string &g : file.children("/layers")) {
      std::string vars = "/layers/" + g + "/vars";
      if (!file.hasAttr(vars, "name"))
        continue;
      auto name = file.stringAttr(vars, "name");
      if (!name)
        llvm::consumeError(name.takeError());
      else if (*name == layer.name)
        group = vars;
    }
    if (group.empty()) {
      unsigned counter = 0;
      for (const Layer &l : layers) {
        if (&l == &layer)
          break;
        counter += l.className == layer.className;
      }
      std::string name = snakeCase(layer.className) +
                         (counter ? "_" + std::to_string(counter) : "");
      group = "/layers/" + name + "/vars";
      if (!file.exists(group))
        return fail("the weights of layer '" + layer.name + "' (" +
                    layer.className + ") are missing from '" + file.path() +
                    "': no group /layers/*/vars is named '" + layer.name +
                    "', and there is no /layers/" + name);
    }
    // Datasets 0, 1, ..., 10 in numeric order, not HDF5's alphabetical one.
    std::vector<std::string> keys = file.children(group);
    llvm::sort(keys, [](const std::string &a, const std::string &b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    const json::Object &c = *layer.config;
    std::vector<std::string> names;
    if (layer.className == "Dense") {
      names.push_back("kernel");
      if (c.getBoolean("use_bias").value_or(true))
        names.push_back("bias");
    } else if (layer.className == "BatchNormalization") {
      if (c.getBoolean("scale").value_or(true))
        names.push_back("gamma");
      if (c.getBoolean("center").value_or(true))
        names.push_back("beta");
      names.push_back("moving_mean");
      names.push_back("moving_variance");
    } else if (layer.className == "Normalization") {
      names = {"mean", "variance"};
    }
    if (keys.size() < names.size())
      return fail("layer '" + layer.name + "' (" + layer.className + ") has " +
                  llvm::Twine(keys.size()) + " weights in '" + file.path() +
                  "' (" + group + "), expected " + llvm::Twine(names.size()));
    llvm::StringMap<std::string> weights;
    for (auto [name, key] : llvm::zip(names, keys))
      weights[name] = group + "/" + key;
    return weights;
  }
};

class Importer {
public:
  Importer(MLIRContext *ctx, WeightSource &weights, std::string path)
      : ctx(ctx), weights(weights), b(ctx), path(std::move(path)),
        fileName(llvm::sys::path::filename(this->path).str()) {}

  Expected<OwningOpRef<ModuleOp>> run(llvm::StringRef configText) {
    auto config = json::parse(configText);
    if (!config)
      return fail("the model config of '" + path +
                  "' is not valid JSON: " + llvm::toString(config.takeError()));
    if (llvm::Error e = readLayers(*config))
      return std::move(e);
    if (llvm::Error e = checkSupported())
      return std::move(e);
    return build();
  }

private:
  llvm::Error readLayers(const json::Value &config) {
    const json::Object *root = config.getAsObject();
    if (!root)
      return fail("the model config of '" + path + "' is not an object");
    className = root->getString("class_name").value_or("").str();
    const json::Value *inner = root->get("config");
    const json::Array *layerList = nullptr;
    const json::Object *innerObject = inner ? inner->getAsObject() : nullptr;
    if (inner && inner->getAsArray())
      layerList = inner->getAsArray(); // Keras <= 2.2: a bare list
    else if (innerObject)
      layerList = innerObject->getArray("layers");
    if (!layerList || layerList->empty())
      return fail("the model config of '" + path + "' lists no layers");
    functional = className != "Sequential";
    unsigned position = 0;
    for (const json::Value &v : *layerList) {
      const json::Object *l = v.getAsObject();
      const json::Object *c = l ? l->getObject("config") : nullptr;
      if (!c)
        return fail("layer #" + llvm::Twine(position) + " of '" + path +
                    "' has no config");
      Layer layer;
      layer.className = l->getString("class_name").value_or("").str();
      layer.name = l->getString("name")
                       .value_or(c->getString("name").value_or(""))
                       .str();
      layer.config = c;
      layer.position = position++;
      if (functional)
        layer.inputs = inboundNames(*l);
      layers.push_back(layer);
    }
    if (functional) {
      inputNames = endpointNames(innerObject->get("input_layers"));
      outputNames = endpointNames(innerObject->get("output_layers"));
      if (inputNames.empty() || outputNames.empty())
        return fail("the Functional model in '" + path +
                    "' names no input or output layers");
    }
    return llvm::Error::success();
  }

  llvm::Error checkSupported() {
    static const llvm::StringSet<> supported = {
        "InputLayer", "Dense", "Activation", "Dropout", "BatchNormalization",
        "Normalization", "Flatten", "LeakyReLU", "ReLU", "Softmax", "Add",
        "Concatenate"};
    std::string list;
    for (const Layer &layer : layers)
      if (!supported.contains(layer.className))
        list += "\n  layer '" + layer.name + "' (" + layer.className +
                ") at position " + std::to_string(layer.position);
    if (list.empty())
      return llvm::Error::success();
    return fail("'" + path + "' has layers predict does not support:" +
                list +
                "\npredict compiles Dense networks (Dense, Activation, Dropout, "
                "BatchNormalization, Normalization, Flatten, LeakyReLU, ReLU, "
                "Softmax, Add, Concatenate); nothing was written");
  }

  /// The input shape of the model (Sequential) or of an InputLayer, with a
  /// dynamic batch dimension.
  Expected<RankedTensorType> inputTypeOf(const Layer &layer) {
    for (llvm::StringRef key : {"batch_input_shape", "batch_shape"})
      if (const json::Array *shape = layer.config->getArray(key)) {
        SmallVector<int64_t> dims;
        for (const json::Value &d : *shape)
          dims.push_back(d.getAsInteger().value_or(ShapedType::kDynamic));
        if (!dims.empty())
          dims[0] = ShapedType::kDynamic;
        return RankedTensorType::get(dims, b.getF32Type());
      }
    return fail("layer '" + layer.name + "' of '" + path +
                "' gives no input shape (batch_input_shape or batch_shape)");
  }

  Location locOf(const Layer &layer) {
    return NameLoc::get(b.getStringAttr(layer.name),
                        FileLineColLoc::get(ctx, fileName, layer.position + 1, 1));
  }

  Attribute weightAttr(const Layer &layer, llvm::StringRef which,
                       const h5::Array &array) {
    auto type = RankedTensorType::get(array.shape, b.getF32Type());
    return DenseResourceElementsAttr::get(
        type, layer.name + "_" + which.str(),
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            llvm::ArrayRef<float>(array.data)));
  }

  /// Sets `op`'s result type to what its operands imply; fails (with the
  /// op's error at the layer) when they do not fit.
  LogicalResult infer(Operation *op) {
    SmallVector<Type> types;
    if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(types)))
      return failure();
    for (auto [result, type] : llvm::zip_equal(op->getResults(), types))
      result.setType(type);
    return success();
  }

  Expected<OwningOpRef<ModuleOp>> build() {
    OwningOpRef<ModuleOp> module = ModuleOp::create(b.getUnknownLoc());
    b.setInsertionPointToEnd(module->getBody());
    auto model = ModelOp::create(b, FileLineColLoc::get(ctx, fileName, 0, 0),
                                 "model");
    if (auto name = layers.empty() ? std::nullopt
                                   : std::optional<std::string>(className))
      model.setClassNameAttr(b.getStringAttr(*name));
    OpBuilder decls = OpBuilder::atBlockEnd(&model.getBody().front());

    // Inputs of the method: the InputLayers (or the first layer's shape).
    SmallVector<Type> inputTypes;
    SmallVector<std::string> inputs;
    if (functional) {
      for (const std::string &name : inputNames) {
        const Layer *layer = find(name);
        if (!layer)
          return fail("input layer '" + name + "' of '" + path +
                      "' is not among its layers");
        auto type = inputTypeOf(*layer);
        if (!type)
          return type.takeError();
        inputTypes.push_back(*type);
        inputs.push_back(name);
      }
    } else {
      auto type = inputTypeOf(layers.front());
      if (!type)
        return type.takeError();
      inputTypes.push_back(*type);
    }

    OpBuilder body(ctx);
    // Owned until the method takes it: an error below must not leak it.
    auto entry = std::make_unique<Block>();
    for (Type t : inputTypes)
      entry->addArgument(t, model.getLoc());
    body.setInsertionPointToEnd(entry.get());
    llvm::StringMap<Value> values;
    for (auto [name, arg] : llvm::zip(inputs, entry->getArguments()))
      values[name] = arg;
    Value previous = entry->getArgument(0);

    for (const Layer &layer : layers) {
      SmallVector<Value> operands;
      if (functional) {
        if (layer.className == "InputLayer")
          continue;
        for (const std::string &in : layer.inputs) {
          Value v = values.lookup(in);
          if (!v)
            return fail("layer '" + layer.name + "' of '" + path +
                        "' takes the output of '" + in +
                        "', which comes later or does not exist");
          operands.push_back(v);
        }
      } else {
        if (layer.className == "InputLayer")
          continue;
        operands.push_back(previous);
      }
      if (operands.empty())
        return fail("layer '" + layer.name + "' of '" + path +
                    "' has no input");
      auto result = emit(layer, operands, decls, body);
      if (!result)
        return result.takeError();
      values[layer.name] = *result;
      previous = *result;
    }

    SmallVector<Value> outputs;
    if (functional) {
      for (const std::string &name : outputNames) {
        Value v = values.lookup(name);
        if (!v)
          return fail("output layer '" + name + "' of '" + path +
                      "' is not among its layers");
        outputs.push_back(v);
      }
    } else {
      outputs.push_back(previous);
    }
    ReturnOp::create(body, model.getLoc(), outputs);
    SmallVector<Type> outputTypes;
    for (Value v : outputs)
      outputTypes.push_back(v.getType());
    auto method = MethodOp::create(decls, model.getLoc(), "call",
                                   b.getFunctionType(inputTypes, outputTypes));
    method.getBody().push_back(entry.release());

    // The public entry point: predict(x) = model(x).
    auto func = func::FuncOp::create(b, model.getLoc(), "predict",
                                     b.getFunctionType(inputTypes, outputTypes));
    Block *funcEntry = func.addEntryBlock();
    OpBuilder fb = OpBuilder::atBlockEnd(funcEntry);
    auto call = ModelCallOp::create(fb, model.getLoc(), outputTypes,
                                    SymbolRefAttr::get(ctx, "model"),
                                    funcEntry->getArguments());
    func::ReturnOp::create(fb, model.getLoc(), call.getResults());
    if (failed(verify(*module)))
      return fail("the model in '" + path +
                  "' does not fit together (diagnostics above)");
    return module;
  }

  const Layer *find(llvm::StringRef name) {
    for (const Layer &l : layers)
      if (l.name == name)
        return &l;
    return nullptr;
  }

  /// Emits one layer on `operands`; its declaration (for weighted layers)
  /// goes to `decls`, the computation to `body`.
  Expected<Value> emit(const Layer &layer, ArrayRef<Value> operands,
                       OpBuilder &decls, OpBuilder &body) {
    Location loc = locOf(layer);
    const json::Object &c = *layer.config;
    Value x = operands.front();
    Type unknown = UnrankedTensorType::get(b.getF32Type());
    auto activationAttr = [&](llvm::StringRef name)
        -> Expected<ActivationKindAttr> {
      auto kind = activationOf(name);
      if (!kind)
        return fail("layer '" + layer.name + "' of '" + path +
                    "' uses activation '" + name + "', which predict does not "
                    "know");
      return ActivationKindAttr::get(ctx, *kind);
    };
    auto done = [&](Operation *op) -> Expected<Value> {
      if (failed(infer(op)))
        return fail("layer '" + layer.name + "' (" + layer.className +
                    ") of '" + path +
                    "' does not fit its input (diagnostics above)");
      return op->getResult(0);
    };

    if (layer.className == "Dense" || layer.className == "BatchNormalization" ||
        layer.className == "Normalization") {
      auto located = weights.locate(layer, layers);
      if (!located)
        return located.takeError();
      llvm::StringMap<h5::Array> arrays;
      auto need = [&](llvm::StringRef w) -> Expected<const h5::Array *> {
        auto it = located->find(w);
        if (it == located->end())
          return fail("layer '" + layer.name + "' (" + layer.className +
                      ") of '" + path + "' has no weight '" + w + "'");
        auto array = weights.read(it->second);
        if (!array)
          return array.takeError();
        return &(arrays[w] = std::move(*array));
      };
      Operation *decl = nullptr;
      if (layer.className == "Dense") {
        auto kernel = need("kernel");
        if (!kernel)
          return kernel.takeError();
        auto act = activationAttr(c.getString("activation").value_or("linear"));
        if (!act)
          return act.takeError();
        bool useBias = c.getBoolean("use_bias").value_or(true);
        Attribute bias;
        if (useBias) {
          auto b2 = need("bias");
          if (!b2)
            return b2.takeError();
          bias = weightAttr(layer, "bias", **b2);
        }
        auto dense = DenseLayerOp::create(
            decls, loc, b.getStringAttr(layer.name),
            cast<ElementsAttr>(weightAttr(layer, "kernel", **kernel)),
            cast_or_null<ElementsAttr>(bias), *act);
        decl = dense;
      } else if (layer.className == "BatchNormalization") {
        auto mean = need("moving_mean");
        auto variance = need("moving_variance");
        if (!mean)
          return mean.takeError();
        if (!variance)
          return variance.takeError();
        ElementsAttr gamma, beta;
        if (c.getBoolean("scale").value_or(true)) {
          auto g = need("gamma");
          if (!g)
            return g.takeError();
          gamma = cast<ElementsAttr>(weightAttr(layer, "gamma", **g));
        }
        if (c.getBoolean("center").value_or(true)) {
          auto bt = need("beta");
          if (!bt)
            return bt.takeError();
          beta = cast<ElementsAttr>(weightAttr(layer, "beta", **bt));
        }
        decl = BatchNormLayerOp::create(
            decls, loc, b.getStringAttr(layer.name),
            cast<ElementsAttr>(weightAttr(layer, "mean", **mean)),
            cast<ElementsAttr>(weightAttr(layer, "variance", **variance)), gamma,
            beta, b.getF64FloatAttr(numberOf(c, "epsilon").value_or(1e-3)),
            b.getI64IntegerAttr(intOf(c, "axis").value_or(-1)));
      } else {
        auto mean = need("mean");
        auto variance = need("variance");
        if (!mean)
          return mean.takeError();
        if (!variance)
          return variance.takeError();
        decl = NormalizationLayerOp::create(
            decls, loc, b.getStringAttr(layer.name),
            cast<ElementsAttr>(weightAttr(layer, "mean", **mean)),
            cast<ElementsAttr>(weightAttr(layer, "variance", **variance)),
            b.getF64FloatAttr(1e-7));
      }
      if (failed(verify(decl)))
        return fail("layer '" + layer.name + "' of '" + path +
                    "' has inconsistent weights (diagnostics above)");
      auto apply = ApplyOp::create(body, loc, unknown,
                                   SymbolRefAttr::get(ctx, layer.name), x);
      auto type = cast<LayerOpInterface>(decl).inferApplyType(
          x.getType(), [&] { return emitError(loc); });
      if (failed(type))
        return fail("layer '" + layer.name + "' (" + layer.className +
                    ") of '" + path +
                    "' does not fit its input (diagnostics above)");
      apply.getResult().setType(cast<TensorType>(*type));
      return apply.getResult();
    }
    if (layer.className == "Activation") {
      auto act = activationAttr(c.getString("activation").value_or("linear"));
      if (!act)
        return act.takeError();
      return done(ActivationOp::create(body, loc, x.getType(), *act, x,
                                       FloatAttr(), IntegerAttr(), UnitAttr()));
    }
    if (layer.className == "LeakyReLU") {
      // Keras 2 calls the slope alpha (default 0.3); Keras 3 negative_slope.
      double slope = numberOf(c, "negative_slope")
                         .value_or(numberOf(c, "alpha").value_or(0.3));
      return done(ActivationOp::create(
          body, loc, x.getType(),
          ActivationKindAttr::get(ctx, ActivationKind::leaky_relu), x,
          b.getF64FloatAttr(slope), IntegerAttr(), UnitAttr()));
    }
    if (layer.className == "ReLU") {
      const json::Value *maxValue = c.get("max_value");
      if ((maxValue && maxValue->kind() != json::Value::Null) ||
          numberOf(c, "negative_slope").value_or(0) != 0 ||
          numberOf(c, "threshold").value_or(0) != 0)
        return fail("layer '" + layer.name + "' (ReLU) of '" + path +
                    "' has max_value, negative_slope or threshold; predict "
                    "supports the plain ReLU");
      return done(ActivationOp::create(
          body, loc, x.getType(), ActivationKindAttr::get(ctx, ActivationKind::relu),
          x, FloatAttr(), IntegerAttr(), UnitAttr()));
    }
    if (layer.className == "Softmax")
      return done(ActivationOp::create(
          body, loc, x.getType(),
          ActivationKindAttr::get(ctx, ActivationKind::softmax), x, FloatAttr(),
          b.getI64IntegerAttr(intOf(c, "axis").value_or(-1)), UnitAttr()));
    if (layer.className == "Dropout")
      return done(DropoutOp::create(body, loc, x.getType(), x,
                                    b.getF64FloatAttr(numberOf(c, "rate").value_or(0))));
    if (layer.className == "Flatten")
      return done(FlattenOp::create(body, loc, unknown, x));
    if (layer.className == "Add")
      return done(AddOp::create(body, loc, unknown, operands));
    if (layer.className == "Concatenate")
      return done(ConcatenateOp::create(
          body, loc, unknown, operands,
          b.getI64IntegerAttr(intOf(c, "axis").value_or(-1))));
    return fail("layer '" + layer.name + "' (" + layer.className +
                ") is not supported");
  }

  MLIRContext *ctx;
  WeightSource &weights;
  OpBuilder b;
  std::string path, fileName, className;
  bool functional = false;
  std::vector<Layer> layers;
  std::vector<std::string> inputNames, outputNames;
};
} // namespace

void predict::setHDF5ReadTimeout(unsigned seconds) {
  h5::setReadTimeout(seconds);
}

Expected<OwningOpRef<ModuleOp>> predict::importKerasH5(MLIRContext *context,
                                                      llvm::StringRef path) {
  // The optimizer's state (Keras 2 saves it beside the model) is not needed.
  auto file = h5::File::open(path, {"/optimizer_weights"});
  if (!file)
    return file.takeError();
  auto config = file->stringAttr("/", "model_config");
  if (!config)
    return fail("'" + path +
                "' has no model config (attribute 'model_config'): save the "
                "whole model with model.save(), or give the weights with "
                "--config=MODEL.json");
  context->loadDialect<PredictDialect, func::FuncDialect>();
  LegacyWeights weights(*file, "/model_weights");
  return Importer(context, weights, path.str()).run(*config);
}

Expected<OwningOpRef<ModuleOp>>
predict::importKerasWeights(MLIRContext *context, llvm::StringRef weightsPath,
                            llvm::StringRef configPath) {
  auto text = llvm::MemoryBuffer::getFile(configPath);
  if (!text)
    return fail("cannot read config '" + configPath +
                "': " + text.getError().message());
  auto file = h5::File::open(weightsPath);
  if (!file)
    return file.takeError();
  context->loadDialect<PredictDialect, func::FuncDialect>();
  // Keras 3 save_weights writes /layers/...; Keras 2 the legacy layout at
  // the root.
  if (file->exists("/layers")) {
    Keras3Weights weights(*file);
    return Importer(context, weights, weightsPath.str())
        .run((*text)->getBuffer());
  }
  LegacyWeights weights(*file, "");
  return Importer(context, weights, weightsPath.str()).run((*text)->getBuffer());
}

Expected<OwningOpRef<ModuleOp>>
predict::importKerasArchive(MLIRContext *context, llvm::StringRef path) {
  auto archive = zip::Archive::open(path);
  if (!archive)
    return archive.takeError();
  auto config = archive->read("config.json");
  if (!config)
    return config.takeError();
  auto weightsFile = archive->extract("model.weights.h5");
  if (!weightsFile)
    return weightsFile.takeError();
  llvm::FileRemover remover(*weightsFile);
  auto file = h5::File::open(*weightsFile);
  if (!file)
    return fail("the weights in '" + path + "': " +
                llvm::toString(file.takeError()));
  context->loadDialect<PredictDialect, func::FuncDialect>();
  Keras3Weights weights(*file);
  return Importer(context, weights, path.str()).run(*config);
}
