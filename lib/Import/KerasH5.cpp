//===- KerasH5.cpp - Keras full-model HDF5 files to the predict dialect ---===//
//
// A Keras .h5 file holds the model's config as JSON in the root attribute
// `model_config`, and the weights under /model_weights/<layer>/, listed in
// each layer group's `weight_names` attribute (the datasets live at
// /model_weights/<layer>/<weight name>). Keras 2 and Keras 3 write the same
// layout with different spellings, handled below.
//
// This file reads the model's graph (layers, calls, inputs, outputs) and
// finds weights in the file; what each layer class computes, which
// parameters and weights it has, is its entry in the layer registry
// (LayerRegistry.h, lib/Import/Layers/).
//
//===----------------------------------------------------------------------===//

#include "predict/Import/Keras.h"
#include "H5.h"
#include "Layers/Layers.h"
#include "Zip.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Support/InputFiles.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/JSON.h"

#include <map>
#include <memory>
#include <queue>
#include "llvm/Support/FileSystem.h"
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

KerasImportOptions limits;

/// One use of a layer's output: Keras's (layer, node index, tensor index).
struct TensorRef {
  std::string layer;
  int64_t node = 0, tensor = 0;
};

/// One call of a layer in a Functional model (an inbound node): the tensors
/// it takes, and whether the saved graph calls it with `training=True`.
struct Node {
  std::vector<TensorRef> inputs;
  bool training = false;
};

/// One layer of the config, with its calls.
struct Layer {
  std::string name, className;
  const json::Object *config;
  std::vector<Node> nodes;
  unsigned position;
};

using Fields = keras::LayerConfig;
using keras::kindName;
using keras::shown;

/// The 0-based position of a Keras tensor reference's field, for messages.
const char *const kRefFields[] = {"layer name", "node index", "tensor index"};

/// A reference `[name, node, tensor, ...]` (Keras 2's inbound entries and
/// endpoints, Keras 3's keras_history) into `ref`; an error in `fields`
/// when it is not one.
bool readRef(const json::Value &value, TensorRef &ref, Fields &fields,
             const llvm::Twine &what) {
  const json::Array *a = value.getAsArray();
  if (!a || a->size() < 3) {
    fields.error(what + " is " + shown(value) +
                 ", expected [layer name, node index, tensor index]");
    return false;
  }
  auto name = (*a)[0].getAsString();
  auto node = (*a)[1].getAsInteger();
  auto tensor = (*a)[2].getAsInteger();
  if (!name || !node || !tensor || *node < 0 || *tensor < 0) {
    unsigned bad = !name ? 0 : (!node || *node < 0) ? 1 : 2;
    fields.error(what + " is " + shown(value) + ": its " + kRefFields[bad] +
                 " " + shown((*a)[bad]) + " is not " +
                 (bad ? "a non-negative integer" : "a string"));
    return false;
  }
  ref = {name->str(), *node, *tensor};
  return true;
}

/// The keyword arguments of one call: `training` is recorded; `mask: null`
/// and a false `training` change nothing; any other argument is an error.
void readCallKwargs(const json::Value &value, Node &node, Fields &fields,
                    const llvm::Twine &what) {
  const json::Object *kwargs = value.getAsObject();
  if (!kwargs) {
    fields.error(what + " has keyword arguments " + shown(value) +
                 ", expected an object");
    return;
  }
  for (const auto &kv : *kwargs) {
    llvm::StringRef key = kv.first;
    if (key == "training") {
      if (auto b = kv.second.getAsBoolean())
        node.training |= *b;
      else if (kv.second.kind() != json::Value::Null)
        fields.error(what + " has training=" + shown(kv.second) +
                     ", expected true, false or null");
    } else if (kv.second.kind() != json::Value::Null) {
      fields.error(what + " passes argument '" + key + "' = " +
                   shown(kv.second) + ", which predict does not support");
    }
  }
}

/// The tensors of Keras 3's call arguments, in order: keras tensors
/// ({"class_name": "__keras_tensor__", "config": {"keras_history": [name,
/// node, tensor]}}), in lists as Add and Concatenate take them.
void collectKerasTensors(const json::Value &value, Node &node, Fields &fields,
                         const llvm::Twine &what) {
  if (const json::Array *a = value.getAsArray()) {
    for (const json::Value &v : *a)
      collectKerasTensors(v, node, fields, what);
    return;
  }
  const json::Object *o = value.getAsObject();
  const json::Object *c = o ? o->getObject("config") : nullptr;
  const json::Value *history = c ? c->get("keras_history") : nullptr;
  if (!history) {
    fields.error(what + " takes " + shown(value) +
                 ", which is not a Keras tensor");
    return;
  }
  TensorRef ref;
  if (readRef(*history, ref, fields, what + " takes a tensor whose keras_history"))
    node.inputs.push_back(ref);
}

/// The calls of a Functional layer, in Keras 2's form ([[["dense", 0, 0,
/// {kwargs}], ...], ...], one list of inputs per call) or Keras 3's ([{"args":
/// [...keras tensors...], "kwargs": {...}}, ...]).
std::vector<Node> readNodes(const json::Object &layer, Fields &fields) {
  std::vector<Node> nodes;
  const json::Value *value = layer.get("inbound_nodes");
  if (!value)
    return nodes;
  const json::Array *list = value->getAsArray();
  if (!list) {
    fields.error("inbound_nodes is " + shown(*value) + ", expected a list");
    return nodes;
  }
  for (auto [i, entry] : llvm::enumerate(*list)) {
    Node node;
    std::string what = "call #" + std::to_string(i) + " (inbound node " +
                       std::to_string(i) + ")";
    if (const json::Array *inputs = entry.getAsArray()) {
      for (auto [j, input] : llvm::enumerate(*inputs)) {
        TensorRef ref;
        std::string entryWhat = what + " input #" + std::to_string(j);
        if (!readRef(input, ref, fields, entryWhat))
          continue;
        node.inputs.push_back(ref);
        if (const json::Array *a = input.getAsArray(); a->size() > 3)
          readCallKwargs((*a)[3], node, fields, what);
      }
    } else if (const json::Object *o = entry.getAsObject()) {
      if (const json::Value *args = o->get("args"))
        collectKerasTensors(*args, node, fields, what);
      if (const json::Value *kwargs = o->get("kwargs"))
        readCallKwargs(*kwargs, node, fields, what);
    } else {
      fields.error(what + " is " + shown(entry) +
                   ", expected a list of inputs or {\"args\": ...}");
    }
    nodes.push_back(std::move(node));
  }
  return nodes;
}

/// A model's `input_layers` or `output_layers`: `[["input_1", 0, 0], ...]`
/// or, for a single tensor, `["input_1", 0, 0]`.
std::vector<TensorRef> readEndpoints(const json::Object &config,
                                     llvm::StringRef key, Fields &fields) {
  std::vector<TensorRef> refs;
  const json::Value *value = config.get(key);
  if (!value)
    return refs;
  const json::Array *a = value->getAsArray();
  if (a && !a->empty() && (*a)[0].getAsString()) {
    TensorRef ref;
    if (readRef(*value, ref, fields, "the model's " + key))
      refs.push_back(ref);
    return refs;
  }
  if (!a) {
    fields.error("the model's " + key + " is " + shown(*value) +
                 ", expected a list");
    return refs;
  }
  for (auto [i, entry] : llvm::enumerate(*a)) {
    TensorRef ref;
    if (readRef(entry, ref, fields,
                "entry #" + llvm::Twine(i) + " of the model's " + key))
      refs.push_back(ref);
  }
  return refs;
}

/// Where a layer's weights are, by their Keras names (kernel, bias, gamma,
/// beta, moving_mean, moving_variance, mean, variance): dataset paths, read
/// only when the layer needs them (Normalization's integer count is not).
/// `order` lists the names the layer creates, in its order.
class WeightSource {
public:
  explicit WeightSource(h5::File &file) : file(file) {}
  virtual ~WeightSource() = default;
  virtual Expected<llvm::StringMap<std::string>>
  locate(const Layer &layer, ArrayRef<Layer> layers,
         ArrayRef<llvm::StringRef> order) = 0;
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
  locate(const Layer &layer, ArrayRef<Layer>,
         ArrayRef<llvm::StringRef> order) override {
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
    // Names of another Keras (Keras 1's `dense_1_W:0`, `dense_1_b:0`): by
    // position in the order the layer creates its weights, as Keras's own
    // loader reads every file.
    bool byName = llvm::all_of(
        order, [&](llvm::StringRef name) { return weights.count(name); });
    if (!byName && names->size() == order.size()) {
      weights.clear();
      for (auto [name, path] : llvm::zip_equal(order, *names))
        weights[name] = group + "/" + path;
    }
    return weights;
  }

private:
  std::string root;
};

/// `dense_4` -> ("dense", 4); `dense` -> ("dense", 0).
std::pair<llvm::StringRef, unsigned> splitCounter(llvm::StringRef name) {
  auto [base, suffix] = name.rsplit('_');
  unsigned counter;
  if (!suffix.empty() && !suffix.getAsInteger(10, counter))
    return {base, counter};
  return {name, 0};
}

/// Keras 3 (.keras archives, .weights.h5): /layers/<group>/vars/0, 1, ...
/// in the order the layer creates them; the group is found by its `name`
/// attribute, or else by class and counter (`dense`, `dense_1`, ...).
/// tf.keras 2.13-2.15 wrote the same on Windows with the path separator as
/// part of top-level names: `layers\dense`, or
/// `_layer_checkpoint_dependencies\dense` with counters that skip (dense,
/// dense_2, dense_4 for the first three Dense layers): those count by rank.
class Keras3Weights : public WeightSource {
public:
  explicit Keras3Weights(h5::File &file) : WeightSource(file) {
    for (const std::string &g : file.children("/layers"))
      groups[g] = "/layers/" + g + "/vars";
    std::map<std::string, std::vector<std::pair<unsigned, std::string>>>
        ranked;
    for (const std::string &g : file.children("/")) {
      auto [prefix, name] = llvm::StringRef(g).split('\\');
      if (name.empty())
        continue;
      if (prefix == "layers")
        groups.try_emplace(name.str(), "/" + g + "/vars");
      else if (prefix == "_layer_checkpoint_dependencies") {
        auto [base, counter] = splitCounter(name);
        ranked[base.str()].push_back({counter, "/" + g + "/vars"});
      }
    }
    for (auto &[base, list] : ranked) {
      llvm::sort(list);
      for (auto [rank, entry] : llvm::enumerate(list))
        groups.try_emplace(base + (rank ? "_" + std::to_string(rank) : ""),
                           entry.second);
    }
  }

  Expected<llvm::StringMap<std::string>>
  locate(const Layer &layer, ArrayRef<Layer> layers,
         ArrayRef<llvm::StringRef> order) override {
    std::string group;
    for (const auto &[g, vars] : groups) {
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
      std::string name = keras::snakeCase(layer.className) +
                         (counter ? "_" + std::to_string(counter) : "");
      auto it = groups.find(name);
      if (it == groups.end() || !file.exists(it->second))
        return fail("the weights of layer '" + layer.name + "' (" +
                    layer.className + ") are missing from '" + file.path() +
                    "': no group /layers/*/vars is named '" + layer.name +
                    "', and there is no /layers/" + name);
      group = it->second;
    }
    // Datasets 0, 1, ..., 10 in numeric order, not HDF5's alphabetical one.
    std::vector<std::string> keys = file.children(group);
    llvm::sort(keys, [](const std::string &a, const std::string &b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    if (keys.size() < order.size())
      return fail("layer '" + layer.name + "' (" + layer.className + ") has " +
                  llvm::Twine(keys.size()) + " weights in '" + file.path() +
                  "' (" + group + "), expected " + llvm::Twine(order.size()));
    llvm::StringMap<std::string> weights;
    for (auto [name, key] : llvm::zip(order, keys))
      weights[name] = group + "/" + key;
    return weights;
  }

private:
  std::map<std::string, std::string> groups; // group name -> its vars
};

/// One layer's weights in a file, for its registry entry: located at the
/// first request (in the order the entry says the layer creates them, by
/// which Keras 3 files store them), read when asked for.
class FileWeights : public keras::WeightProvider {
public:
  FileWeights(WeightSource &source, const Layer &layer, ArrayRef<Layer> layers,
              const keras::LayerEntry &entry, keras::LayerConfig &config,
              std::string where)
      : source(source), layer(layer), layers(layers), entry(entry),
        config(config), where(std::move(where)) {}

  Expected<keras::WeightArray> get(llvm::StringRef name,
                                   ArrayRef<int64_t>) override {
    if (!located) {
      SmallVector<llvm::StringRef> order;
      if (entry.weights)
        order = entry.weights(config);
      auto found = source.locate(layer, layers, order);
      if (!found)
        return found.takeError();
      located = std::move(*found);
    }
    auto it = located->find(name);
    if (it == located->end())
      return fail(where + " has no weight '" + name + "'");
    auto array = source.read(it->second);
    if (!array)
      return array.takeError();
    return keras::WeightArray{std::move(array->shape), std::move(array->data)};
  }

private:
  WeightSource &source;
  const Layer &layer;
  ArrayRef<Layer> layers;
  const keras::LayerEntry &entry;
  keras::LayerConfig &config;
  std::string where;
  std::optional<llvm::StringMap<std::string>> located;
};

/// The location of a Keras layer: loc("dense_1"("model.h5")). Not a file
/// position: MLIR's diagnostic printer would quote that "line" of the
/// binary file under each message.
Location layerLoc(MLIRContext *ctx, llvm::StringRef layer,
                  llvm::StringRef file) {
  return NameLoc::get(StringAttr::get(ctx, layer),
                      NameLoc::get(StringAttr::get(ctx, file)));
}

class Importer {
public:
  /// `kerasMajor`: the major version of the Keras that wrote the file.
  Importer(MLIRContext *ctx, WeightSource &weights, std::string path,
           int kerasMajor)
      : ctx(ctx), weights(weights), b(ctx), path(std::move(path)),
        fileName(llvm::sys::path::filename(this->path).str()),
        kerasMajor(kerasMajor) {}

  Expected<OwningOpRef<ModuleOp>> run(llvm::StringRef configText) {
    // llvm::json::parse (and the destruction of what it returns) recurses
    // once per level: a config nested deeper than the limit is refused
    // before it runs, and it runs on a stack sized for the limit.
    unsigned depth = nestingDepth(configText, NestingSyntax::json);
    if (depth > limits.maxNesting)
      return fail("the model config of '" + path + "' nests too deeply: " +
                  llvm::Twine(depth) + " levels (limit " +
                  llvm::Twine(limits.maxNesting) +
                  ", --max-nesting to raise it)");
    Expected<OwningOpRef<ModuleOp>> result = fail("not run");
    llvm::consumeError(result.takeError());
    runWithStack(stackBytesForNesting(limits.maxNesting), [&] {
      auto config = json::parse(configText);
      if (!config) {
        result = fail("the model config of '" + path + "' is not valid JSON: " +
                      llvm::toString(config.takeError()));
        return;
      }
      if (llvm::Error e = readLayers(*config)) {
        result = std::move(e);
        return;
      }
      if (llvm::Error e = checkSupported()) {
        result = std::move(e);
        return;
      }
      result = build();
    });
    return result;
  }

private:
  std::string describe(const Layer &layer) const {
    return "layer '" + layer.name + "' (" + layer.className + ") of '" + path +
           "'";
  }

  llvm::Error readLayers(const json::Value &config) {
    const json::Object *root = config.getAsObject();
    if (!root)
      return fail("the model config of '" + path + "' is not an object");
    Fields model(*root, "the model config of '" + path + "'");
    className = model.string("class_name", "");
    const json::Value *inner = root->get("config");
    const json::Array *layerList = nullptr;
    const json::Object *innerObject = inner ? inner->getAsObject() : nullptr;
    if (inner && inner->getAsArray())
      layerList = inner->getAsArray(); // Keras <= 2.2: a bare list
    else if (innerObject)
      layerList = innerObject->getArray("layers");
    if (llvm::Error e = model.takeError())
      return e;
    // A subclassed model's config is its get_config(): Keras saves its
    // weights, never its architecture (the code of `call`).
    if (!layerList && className != "Sequential" && className != "Functional" &&
        className != "Model" && !className.empty())
      return fail("'" + path + "' holds a subclassed model (class '" +
                  className +
                  "'): Keras saved its weights but not its architecture, "
                  "which is the Python code of its call(). Import that "
                  "source with these weights: predict-import model.py "
                  "--weights=model.weights.h5 (from a .keras archive: "
                  "unzip it, or save them with model.save_weights())");
    if (!layerList || layerList->empty())
      return fail("the model config of '" + path + "' lists no layers");
    functional = className != "Sequential";
    unsigned position = 0;
    llvm::StringSet<> names;
    for (const json::Value &v : *layerList) {
      const json::Object *l = v.getAsObject();
      const json::Object *c = l ? l->getObject("config") : nullptr;
      if (!c)
        return fail("layer #" + llvm::Twine(position) + " of '" + path +
                    "' has no config");
      Layer layer;
      Fields outer(*l, "layer #" + std::to_string(position) + " of '" + path +
                           "'");
      Fields inner(*c, outer, "config.");
      layer.className = outer.string("class_name", "");
      layer.name = outer.has("name") ? outer.string("name", "")
                                     : inner.string("name", "");
      if (llvm::Error e = outer.takeError())
        return e;
      if (layer.name.empty())
        return fail("layer #" + llvm::Twine(position) + " (" +
                    layer.className + ") of '" + path + "' has no name");
      if (!names.insert(layer.name).second)
        return fail("the model config of '" + path +
                    "' has two layers named '" + layer.name + "'");
      auto translated = translateKeras1(*c, layer);
      if (!translated)
        return translated.takeError();
      layer.config = *translated;
      layer.position = position++;
      if (functional) {
        Fields fields(*l, describe(layer));
        layer.nodes = readNodes(*l, fields);
        if (llvm::Error e = fields.takeError())
          return e;
      }
      layers.push_back(layer);
    }
    if (functional) {
      Fields fields(*innerObject, "the Functional model in '" + path + "'");
      inputRefs = readEndpoints(*innerObject, "input_layers", fields);
      outputRefs = readEndpoints(*innerObject, "output_layers", fields);
      if (llvm::Error e = fields.takeError())
        return e;
      if (inputRefs.empty() || outputRefs.empty())
        return fail("the Functional model in '" + path +
                    "' names no input or output layers");
    }
    return llvm::Error::success();
  }

  /// The config of a layer that Keras 1 wrote, in today's names (a copy,
  /// kept by the importer), as Keras 2's loader converted it; `config`
  /// itself when it has no Keras 1 field. A Keras 1 field without a
  /// counterpart holding another value than Keras 2 loads is an error.
  Expected<const json::Object *> translateKeras1(const json::Object &config,
                                                 const Layer &layer) {
    const keras::LayerEntry *entry = keras::lookupLayer(layer.className);
    SmallVector<keras::LegacyName> names(keras::keras1CommonNames());
    if (entry)
      names.append(entry->keras1Names.begin(), entry->keras1Names.end());
    json::Object *copy = nullptr;
    for (const keras::LegacyName &legacy : names) {
      const json::Value *value = config.get(legacy.keras1);
      if (!value)
        continue;
      if (legacy.current.empty()) {
        auto only = json::parse(legacy.onlyValue);
        if (only && *value != *only)
          return fail(describe(layer) + " has the Keras 1 field '" +
                      legacy.keras1 + "' = " + shown(*value) +
                      ", which Keras 2 and predict do not support (only " +
                      legacy.onlyValue + ")");
        llvm::consumeError(only.takeError());
        continue;
      }
      if (config.get(legacy.current))
        continue;
      if (!copy) {
        translated.push_back(std::make_unique<json::Object>(config));
        copy = translated.back().get();
      }
      (*copy)[legacy.current] = *value;
      copy->erase(legacy.keras1);
    }
    return copy ? copy : &config;
  }

  llvm::Error checkSupported() {
    std::string list;
    for (const Layer &layer : layers)
      if (!keras::lookupLayer(layer.className))
        list += "\n  layer '" + layer.name + "' (" + layer.className +
                ") at position " + std::to_string(layer.position);
    if (!list.empty())
      return fail("'" + path + "' has layers predict does not support:" +
                  list + "\npredict compiles models of these layers: " +
                  keras::supportedLayerNames() + "; nothing was written");
    for (const Layer &layer : layers)
      if (llvm::Error e = checkComputeType(layer))
        return e;
    return llvm::Error::success();
  }

  /// Every layer computes in float32, as predict does: its `dtype` is null,
  /// "float32", or a Keras 3 DTypePolicy named so (mixed_float16 computes
  /// in float16, an int32 input is cast to integers); an InputLayer is
  /// neither sparse nor ragged. Anything else would be computed otherwise
  /// than Keras computes it: an error naming the layer.
  llvm::Error checkComputeType(const Layer &layer) {
    const json::Value *dtype = layer.config->get("dtype");
    std::string name;
    if (dtype && dtype->kind() != json::Value::Null) {
      if (auto text = dtype->getAsString()) {
        name = text->str();
      } else if (const json::Object *policy = dtype->getAsObject()) {
        const json::Object *config = policy->getObject("config");
        name = config && config->getString("name")
                   ? config->getString("name")->str()
                   : "an unreadable dtype policy";
      } else {
        name = "an unreadable dtype";
      }
    }
    if (!name.empty() && name != "float32")
      return fail(describe(layer) + " has dtype '" + name +
                  "': Keras computes it " +
                  (layer.className == "InputLayer"
                       ? "on its inputs cast to " + name
                       : "in " + name) +
                  ", and predict computes in float32 only (save the model "
                  "with float32 layers and inputs)");
    for (llvm::StringRef flag : {"sparse", "ragged"})
      if (layer.config->getBoolean(flag).value_or(false))
        return fail(describe(layer) + " takes " + flag.str() +
                    " tensors, which predict does not read (dense float32 "
                    "tensors only)");
    return llvm::Error::success();
  }

  /// The input shape of the model (Sequential) or of an InputLayer, with a
  /// dynamic batch dimension.
  Expected<RankedTensorType> inputTypeOf(const Layer &layer) {
    Fields fields(*layer.config, describe(layer));
    for (llvm::StringRef key : {"batch_input_shape", "batch_shape"}) {
      const json::Value *value = fields.get(key);
      if (!value || value->kind() == json::Value::Null)
        continue;
      const json::Array *shape = value->getAsArray();
      if (!shape || shape->empty()) {
        fields.wrongType(key, *value, "a list of sizes, the batch first");
        return fields.takeError();
      }
      SmallVector<int64_t> dims;
      for (const json::Value &d : *shape) {
        auto size = d.getAsInteger();
        if (d.kind() == json::Value::Null)
          dims.push_back(ShapedType::kDynamic);
        else if (size && *size >= 0)
          dims.push_back(*size);
        else {
          fields.error("config field '" + key + "' is " + shown(*value) +
                       ": its size " + shown(d) +
                       " is neither null nor a non-negative integer");
          return fields.takeError();
        }
      }
      dims[0] = ShapedType::kDynamic;
      return RankedTensorType::get(dims, b.getF32Type());
    }
    return fail("layer '" + layer.name + "' of '" + path +
                "' gives no input shape (batch_input_shape or batch_shape)");
  }

  /// The layer named `name`, or null.
  const Layer *find(llvm::StringRef name) {
    auto it = byName.find(name);
    return it == byName.end() ? nullptr : it->second;
  }

  /// Checks that `ref` names an existing call of an existing layer and its
  /// only output; `user` says who takes it, for the message.
  llvm::Error checkRef(const TensorRef &ref, const llvm::Twine &user) {
    const Layer *producer = find(ref.layer);
    if (!producer)
      return fail(user + " takes the output of '" + ref.layer +
                  "', which is not among its layers");
    size_t calls = producer->className == "InputLayer"
                       ? 1
                       : functional ? producer->nodes.size() : 1;
    if (uint64_t(ref.node) >= calls)
      return fail(user + " takes call #" + llvm::Twine(ref.node) + " of '" +
                  ref.layer + "' (node index " + llvm::Twine(ref.node) +
                  "), but '" + ref.layer + "' is called " +
                  llvm::Twine(calls) + " time" + (calls == 1 ? "" : "s"));
    if (ref.tensor != 0)
      return fail(user + " takes output #" + llvm::Twine(ref.tensor) + " of '" +
                  ref.layer + "', which has one output");
    return llvm::Error::success();
  }

  /// The calls of a Functional model in an order where every call comes
  /// after the calls it takes from: Keras lists layers, not calls, and a
  /// shared layer's later call may take from a layer listed after it. Ties
  /// go in the config's order. An error when the calls form a cycle.
  Expected<std::vector<std::pair<const Layer *, unsigned>>> callOrder() {
    using Call = std::pair<unsigned, unsigned>; // layer position, node index
    std::map<Call, unsigned> waiting;           // unresolved inputs
    std::map<Call, std::vector<Call>> users;
    std::priority_queue<Call, std::vector<Call>, std::greater<Call>> ready;
    for (const Layer &layer : layers) {
      if (layer.className == "InputLayer")
        continue;
      if (layer.nodes.empty())
        continue; // not called in this model: Keras does not run it
      for (auto [k, node] : llvm::enumerate(layer.nodes)) {
        Call call{layer.position, unsigned(k)};
        if (node.inputs.empty())
          return fail("call #" + llvm::Twine(k) + " of " + describe(layer) +
                      " has no input");
        unsigned count = 0;
        for (const TensorRef &ref : node.inputs) {
          if (llvm::Error e = checkRef(ref, "call #" + llvm::Twine(k) + " of " +
                                                describe(layer)))
            return std::move(e);
          const Layer *producer = find(ref.layer);
          if (producer->className == "InputLayer")
            continue;
          users[{producer->position, unsigned(ref.node)}].push_back(call);
          ++count;
        }
        waiting[call] = count;
        if (!count)
          ready.push(call);
      }
    }
    std::vector<std::pair<const Layer *, unsigned>> order;
    while (!ready.empty()) {
      Call call = ready.top();
      ready.pop();
      order.push_back({&layers[call.first], call.second});
      for (const Call &user : users[call])
        if (--waiting[user] == 0)
          ready.push(user);
    }
    if (order.size() != waiting.size())
      for (const auto &[call, count] : waiting)
        if (count)
          return fail("call #" + llvm::Twine(call.second) + " of " +
                      describe(layers[call.first]) +
                      " takes its own output, through a cycle of calls");
    return order;
  }

  Expected<OwningOpRef<ModuleOp>> build() {
    for (const Layer &layer : layers)
      byName[layer.name] = &layer;
    OwningOpRef<ModuleOp> module = ModuleOp::create(b.getUnknownLoc());
    b.setInsertionPointToEnd(module->getBody());
    Location modelLoc = NameLoc::get(b.getStringAttr(fileName));
    auto model = ModelOp::create(b, modelLoc, "model");
    if (!className.empty())
      model.setClassNameAttr(b.getStringAttr(className));
    OpBuilder decls = OpBuilder::atBlockEnd(&model.getBody().front());

    // Inputs of the method: the InputLayers (or the first layer's shape).
    SmallVector<Type> inputTypes;
    if (functional) {
      for (const TensorRef &ref : inputRefs) {
        const Layer *layer = find(ref.layer);
        if (!layer)
          return fail("input layer '" + ref.layer + "' of '" + path +
                      "' is not among its layers");
        if (layer->className != "InputLayer" || ref.node != 0 ||
            ref.tensor != 0)
          return fail("the Functional model in '" + path + "' takes input [" +
                      ref.layer + ", " + llvm::Twine(ref.node) + ", " +
                      llvm::Twine(ref.tensor) +
                      "], which is not the output of an InputLayer");
        auto type = inputTypeOf(*find(ref.layer));
        if (!type)
          return type.takeError();
        inputTypes.push_back(*type);
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
      entry->addArgument(t, modelLoc);
    body.setInsertionPointToEnd(entry.get());
    // The value of each call: (layer name, node index).
    std::map<std::pair<std::string, int64_t>, Value> values;
    for (auto [ref, arg] : llvm::zip(inputRefs, entry->getArguments()))
      values[{ref.layer, 0}] = arg;

    SmallVector<Value> outputs;
    if (functional) {
      auto order = callOrder();
      if (!order)
        return order.takeError();
      for (auto [layer, k] : *order) {
        SmallVector<Value> operands;
        for (const TensorRef &ref : layer->nodes[k].inputs) {
          Value v = values[{ref.layer, ref.node}];
          if (!v)
            return fail("call #" + llvm::Twine(k) + " of " + describe(*layer) +
                        " takes '" + ref.layer +
                        "', an input layer that is not among the model's "
                        "inputs");
          operands.push_back(v);
        }
        auto result = emit(*layer, operands, layer->nodes[k].training, decls,
                           body);
        if (!result)
          return result.takeError();
        values[{layer->name, int64_t(k)}] = *result;
      }
      for (const TensorRef &ref : outputRefs) {
        if (llvm::Error e =
                checkRef(ref, "the Functional model in '" + path + "'")) {
          if (!find(ref.layer)) {
            llvm::consumeError(std::move(e));
            return fail("output layer '" + ref.layer + "' of '" + path +
                        "' is not among its layers");
          }
          return std::move(e);
        }
        Value v = values[{ref.layer, ref.node}];
        if (!v)
          return fail("output layer '" + ref.layer + "' of '" + path +
                      "' is an input layer that is not among the model's "
                      "inputs");
        outputs.push_back(v);
      }
    } else {
      Value previous = entry->getArgument(0);
      for (const Layer &layer : layers) {
        if (layer.className == "InputLayer")
          continue;
        auto result = emit(layer, previous, /*training=*/false, decls, body);
        if (!result)
          return result.takeError();
        previous = *result;
      }
      outputs.push_back(previous);
    }
    ReturnOp::create(body, modelLoc, outputs);
    SmallVector<Type> outputTypes;
    for (Value v : outputs)
      outputTypes.push_back(v.getType());
    auto method = MethodOp::create(decls, modelLoc, "call",
                                   b.getFunctionType(inputTypes, outputTypes));
    method.getBody().push_back(entry.release());

    // The public entry point: predict(x) = model(x).
    auto func = func::FuncOp::create(b, modelLoc, "predict",
                                     b.getFunctionType(inputTypes, outputTypes));
    Block *funcEntry = func.addEntryBlock();
    OpBuilder fb = OpBuilder::atBlockEnd(funcEntry);
    auto call = ModelCallOp::create(fb, modelLoc, outputTypes,
                                    SymbolRefAttr::get(ctx, "model"),
                                    funcEntry->getArguments());
    func::ReturnOp::create(fb, modelLoc, call.getResults());
    if (failed(verify(*module)))
      return fail("the model in '" + path +
                  "' does not fit together (diagnostics above)");
    return module;
  }

  /// Emits one call of a layer on `operands` through its registry entry;
  /// the declaration of a layer with weights goes to `decls` (once), the
  /// computation to `body`.
  Expected<Value> emit(const Layer &layer, ArrayRef<Value> operands,
                       bool training, OpBuilder &decls, OpBuilder &body) {
    Location loc = layerLoc(ctx, layer.name, fileName);
    const keras::LayerEntry *entry = keras::lookupLayer(layer.className);
    if (!entry || !entry->build)
      return fail(describe(layer) + " is not supported");
    Fields fields(*layer.config, describe(layer), entry->params);
    fields.setKerasMajorVersion(kerasMajor);
    if (training) {
      // Keras would run the layer as in training (Dropout drops at random,
      // BatchNormalization uses the batch's statistics): not what predict
      // computes.
      llvm::StringRef how = entry->training.empty()
                                ? llvm::StringRef("computes it as in training")
                                : llvm::StringRef(entry->training);
      if (!limits.trainingAsInference)
        return fail(describe(layer) +
                    " is called with training=True in the saved graph: Keras "
                    "then " + how + ", and predict computes inference only "
                    "(--training-as-inference computes it as at inference)");
      emitWarning(loc) << "called with training=True in the saved graph "
                          "(where Keras "
                       << how
                       << "); computed as at inference, as "
                          "--training-as-inference asks";
    }
    FileWeights provider(weights, layer, layers, *entry, fields,
                         describe(layer));
    auto declare =
        [&](llvm::function_ref<Expected<Operation *>(OpBuilder &)> make)
        -> Expected<Operation *> {
      if (Operation *decl = declared.lookup(layer.name))
        return decl;
      auto decl = make(decls);
      if (!decl)
        return decl.takeError();
      if (failed(verify(*decl)))
        return fail("layer '" + layer.name + "' of '" + path +
                    "' has inconsistent weights (diagnostics above)");
      declared[layer.name] = *decl;
      return *decl;
    };
    keras::LayerContext call(*entry, layer.name, fields, operands, loc, body,
                             declare, provider);
    return entry->build(call);
  }

  MLIRContext *ctx;
  WeightSource &weights;
  OpBuilder b;
  std::string path, fileName, className;
  bool functional = false;
  std::vector<Layer> layers;
  int kerasMajor;
  /// Configs translated from Keras 1's names (translateKeras1).
  std::vector<std::unique_ptr<json::Object>> translated;
  llvm::StringMap<const Layer *> byName;
  llvm::StringMap<Operation *> declared;
  std::vector<TensorRef> inputRefs, outputRefs;
};

/// The first bytes of an HDF5 file (without a user block).
constexpr llvm::StringLiteral kHdf5Signature("\x89HDF\r\n\x1a\n");

/// Whether `path` starts with the HDF5 signature (tf.keras 2.x before 2.13
/// wrote HDF5 full-model files under a .keras name).
bool startsAsHdf5(llvm::StringRef path) {
  auto file = llvm::sys::fs::openNativeFileForRead(path);
  if (!file) {
    llvm::consumeError(file.takeError());
    return false;
  }
  char head[8];
  auto got = llvm::sys::fs::readNativeFileSlice(
      *file, llvm::MutableArrayRef<char>(head, 8), 0);
  llvm::sys::fs::closeFile(*file);
  if (!got) {
    llvm::consumeError(got.takeError());
    return false;
  }
  return llvm::StringRef(head, *got) == kHdf5Signature;
}

/// The major version in a `keras_version` ("2.15.0" -> 2), or `dflt` when
/// there is none or it does not start with a number.
int kerasMajorOf(llvm::Expected<std::string> version, int dflt) {
  if (!version) {
    llvm::consumeError(version.takeError());
    return dflt;
  }
  unsigned major;
  llvm::StringRef text(*version);
  if (text.consumeInteger(10, major) || major == 0 || major > 3)
    return dflt;
  return int(major);
}

/// HDF5 files and archives are opened by their libraries, which seek: the
/// path must be a regular file (not /dev/zero or a fifo).
llvm::Error checkSeekable(llvm::StringRef path, llvm::StringRef what) {
  return checkInputFile(path, what, {UINT64_MAX, ""});
}
} // namespace

void predict::setHDF5ReadTimeout(unsigned seconds) {
  h5::setReadTimeout(seconds);
}

void predict::setKerasImportOptions(const KerasImportOptions &newLimits) {
  limits = newLimits;
  h5::setMaxArrayBytes(newLimits.maxWeightBytes);
  zip::setMaxMemberBytes(newLimits.maxFileBytes);
}

Expected<OwningOpRef<ModuleOp>> predict::importKerasH5(MLIRContext *context,
                                                      llvm::StringRef path) {
  if (llvm::Error e = checkSeekable(path, ""))
    return std::move(e);
  // The optimizer's state (Keras 2 saves it beside the model) is not needed.
  auto file = h5::File::open(path, {"/optimizer_weights", "/optimizer"});
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
  // Keras 1 and 2 wrote this layout (Keras 3 too, with keras_version 3.x).
  int major = kerasMajorOf(file->stringAttr("/", "keras_version"), 2);
  return Importer(context, weights, path.str(), major).run(*config);
}

Expected<OwningOpRef<ModuleOp>>
predict::importKerasWeights(MLIRContext *context, llvm::StringRef weightsPath,
                            llvm::StringRef configPath) {
  auto text = readInputFile(configPath, "config",
                            {limits.maxFileBytes, "--max-file-mib"});
  if (!text)
    return text.takeError();
  if (llvm::Error e = checkSeekable(weightsPath, ""))
    return std::move(e);
  auto file = h5::File::open(weightsPath, {"/optimizer"});
  if (!file)
    return file.takeError();
  context->loadDialect<PredictDialect, func::FuncDialect>();
  // Keras 3 save_weights writes /layers/...; Keras 2 the legacy layout at
  // the root.
  if (file->exists("/layers")) {
    Keras3Weights weights(*file);
    return Importer(context, weights, weightsPath.str(), 3)
        .run((*text)->getBuffer());
  }
  LegacyWeights weights(*file, "");
  int major = kerasMajorOf(file->stringAttr("/", "keras_version"), 2);
  return Importer(context, weights, weightsPath.str(), major)
      .run((*text)->getBuffer());
}

Expected<OwningOpRef<ModuleOp>>
predict::importKerasArchive(MLIRContext *context, llvm::StringRef path) {
  if (llvm::Error e = checkSeekable(path, ""))
    return std::move(e);
  if (startsAsHdf5(path))
    return importKerasH5(context, path);
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
  auto file = h5::File::open(*weightsFile, {"/optimizer"});
  if (!file)
    return fail("the weights in '" + path + "': " +
                llvm::toString(file.takeError()));
  file->setDisplayName((path + " (model.weights.h5)").str());
  context->loadDialect<PredictDialect, func::FuncDialect>();
  Keras3Weights weights(*file);
  // tf.keras 2.13-2.15 wrote .keras archives too: metadata.json says which.
  int major = 3;
  if (auto metadata = archive->read("metadata.json")) {
    auto parsed = json::parse(*metadata);
    if (!parsed)
      llvm::consumeError(parsed.takeError());
    else if (auto *o = parsed->getAsObject())
      major = kerasMajorOf(std::string(o->getString("keras_version")
                                           .value_or("")),
                           3);
  } else {
    llvm::consumeError(metadata.takeError()); // optional: Keras 3 then
  }
  return Importer(context, weights, path.str(), major).run(*config);
}
