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

#include "H5.h"
#include "Layers/Layers.h"
#include "Layers/Masks.h"
#include "Zip.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Import/Keras.h"
#include "predict/Support/InputFiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <map>
#include <memory>
#include <queue>
#include <tuple>
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::predict;
namespace json = llvm::json;
using llvm::Expected;

namespace {
using keras::MaskState;
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
  /// Whether the saved call passes a tensor as `mask` (Keras 3 records the
  /// mask it populates from the input's); predict computes Keras's mask
  /// itself from the graph and checks that the input has one.
  bool passesMask = false;
};

/// One layer of the config, with its calls.
struct Layer {
  std::string name, className;
  const json::Object *config;
  /// The whole entry ({"class_name", "config", "inbound_nodes", ...}).
  const json::Object *object = nullptr;
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

void collectKerasTensors(const json::Value &value, Node &node, Fields &fields,
                         const llvm::Twine &what);

/// The keyword arguments of one call: `training` is recorded; a recurrent
/// layer's `initial_state` tensors become inputs after the sequence; a
/// `mask` tensor is noted (predict computes the mask itself); `mask: null`
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
    } else if (key == "initial_state" &&
               kv.second.kind() != json::Value::Null) {
      // Keras 3's `rnn(x, initial_state=[h, c])`: the states are inputs
      // after the sequence, as Keras 2 records them.
      collectKerasTensors(kv.second, node, fields, what);
    } else if (key == "mask" && kv.second.kind() != json::Value::Null) {
      node.passesMask = true;
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
  /// The weights of the layers of `nested`, a model used as a layer among
  /// `layers`; an error naming it when the file holds none for it.
  virtual Expected<std::unique_ptr<WeightSource>>
  scoped(const Layer &nested, ArrayRef<Layer> layers) = 0;
  /// The dataset `path`, moved out of the file (each weight is read once).
  Expected<h5::Array> read(llvm::StringRef path) {
    return file.takeArray(path);
  }

protected:
  h5::File &file;
};

std::pair<llvm::StringRef, unsigned> splitCounter(llvm::StringRef name);

/// Keras 2 (and Keras 3's legacy .h5): <root>/<layer name>/ lists its
/// datasets in the attribute weight_names (`dense_1/kernel:0`).
///
/// A model used as a layer is one group at the top, whose weight_names list
/// the weights of every layer inside it, at any depth, by their variable
/// paths (`dense_3/kernel:0`; Keras 3's legacy writer: `dense_3/kernel`):
/// a layer of a nested model finds its own by its name before the last `/`.
class LegacyWeights : public WeightSource {
public:
  LegacyWeights(h5::File &file, std::string root, std::string nestedGroup = "")
      : WeightSource(file), root(std::move(root)),
        nestedGroup(std::move(nestedGroup)) {}

  Expected<std::unique_ptr<WeightSource>>
  scoped(const Layer &nested, ArrayRef<Layer>) override {
    if (!nestedGroup.empty())
      return std::make_unique<LegacyWeights>(file, root, nestedGroup);
    std::string group = root + "/" + nested.name;
    if (!file.hasAttr(group, "weight_names"))
      return fail("the weights of the nested model '" + nested.name + "' (" +
                  nested.className + ") are missing from '" + file.path() +
                  "': there is no group " + group +
                  " listing weight_names (save the outer model whole, with "
                  "model.save())");
    return std::make_unique<LegacyWeights>(file, root, group);
  }

  Expected<llvm::StringMap<std::string>>
  locate(const Layer &layer, ArrayRef<Layer> layers,
         ArrayRef<llvm::StringRef> order) override {
    if (!nestedGroup.empty())
      return locateNested(layer, order);
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
  /// A layer inside a nested model: its weights among the group's, by the
  /// layer name before the weight's own.
  Expected<llvm::StringMap<std::string>>
  locateNested(const Layer &layer, ArrayRef<llvm::StringRef> order) {
    auto names = file.stringListAttr(nestedGroup, "weight_names");
    if (!names)
      return names.takeError();
    llvm::StringMap<std::string> weights;
    for (const std::string &name : *names) {
      auto [owner, weight] = llvm::StringRef(name).rsplit('/');
      auto [outer, ownerName] = owner.contains('/')
                                    ? owner.rsplit('/')
                                    : std::make_pair(llvm::StringRef(), owner);
      // A recurrent layer's weights are its cell's
      // (`encoder/lstm/lstm_cell/kernel:0`): the layer is the one above.
      if (splitCounter(ownerName).first.ends_with("_cell") && !outer.empty())
        ownerName = outer.contains('/') ? outer.rsplit('/').second : outer;
      if (weight.empty() || ownerName != layer.name)
        continue;
      weights[weight.split(':').first] = nestedGroup + "/" + name;
    }
    if (weights.empty() && !order.empty())
      return fail("the weights of layer '" + layer.name + "' (" +
                  layer.className + ") of a nested model are missing from '" +
                  file.path() + "': " + nestedGroup +
                  " lists no weight named '" + layer.name + "/...'");
    return weights;
  }

  std::string root;
  /// The group of the outermost nested model whose layers this reads, or
  /// empty for the top-level model's own layers.
  std::string nestedGroup;
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
///
/// A model used as a layer is such a group whose own /layers/ hold its
/// layers' groups, named the same way within it: `root` is that group.
class Keras3Weights : public WeightSource {
public:
  explicit Keras3Weights(h5::File &file, std::string root = "")
      : WeightSource(file), root(root) {
    for (const std::string &g : file.children(root + "/layers"))
      groups[g] = root + "/layers/" + g + "/vars";
    if (!root.empty())
      return;
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

  Expected<std::unique_ptr<WeightSource>>
  scoped(const Layer &nested, ArrayRef<Layer> layers) override {
    auto vars = locateVars(nested, layers);
    if (!vars)
      return vars.takeError();
    std::string group = llvm::StringRef(*vars).drop_back(5).str(); // "/vars"
    // A TimeDistributed of a model keeps the model's layers in its layer's
    // group (layers/time_distributed/layer/layers).
    if (!file.exists(group + "/layers") && file.exists(group + "/layer/layers"))
      group += "/layer";
    if (!file.exists(group + "/layers"))
      return fail("the weights of the nested model '" + nested.name + "' (" +
                  nested.className + ") are missing from '" + file.path() +
                  "': " + group + " has no group 'layers'");
    return std::make_unique<Keras3Weights>(file, group);
  }

  Expected<llvm::StringMap<std::string>>
  locate(const Layer &layer, ArrayRef<Layer> layers,
         ArrayRef<llvm::StringRef> order) override {
    auto found = locateVars(layer, layers);
    if (!found)
      return found.takeError();
    std::string group = *found;
    // Datasets 0, 1, ..., 10 in numeric order, not HDF5's alphabetical one.
    auto numbered = [&](const std::string &g) {
      std::vector<std::string> keys = file.children(g);
      llvm::sort(keys, [](const std::string &a, const std::string &b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
      });
      std::vector<std::string> paths;
      for (const std::string &key : keys)
        paths.push_back(g + "/" + key);
      return paths;
    };
    std::vector<std::string> paths = numbered(group);
    // A recurrent layer keeps its weights in its cell's group
    // (layers/lstm/cell/vars), TimeDistributed in its layer's
    // (layers/time_distributed/layer/vars), Bidirectional in its two
    // layers' cells, forward first; their own vars are empty (issue 18).
    std::string base = llvm::StringRef(group).drop_back(5).str();
    // A TimeDistributed of one of them keeps them under its layer's group
    // (layers/time_distributed/layer/cell/vars).
    for (const std::vector<llvm::StringRef> &inner :
         keras::keras3NestedVars()) {
      if (!paths.empty() || order.empty() ||
          !llvm::all_of(inner, [&](llvm::StringRef g) {
            return file.exists(base + g.str());
          }))
        continue;
      for (llvm::StringRef g : inner)
        llvm::append_range(paths, numbered(base + g.str()));
    }
    if (paths.size() < order.size())
      return fail("layer '" + layer.name + "' (" + layer.className + ") has " +
                  llvm::Twine(paths.size()) + " weights in '" + file.path() +
                  "' (" + group + "), expected " + llvm::Twine(order.size()));
    llvm::StringMap<std::string> weights;
    for (auto [name, path] : llvm::zip(order, paths))
      weights[name] = path;
    return weights;
  }

private:
  /// The `vars` group of `layer`: by its `name` attribute, or else by class
  /// and counter among `layers`.
  Expected<std::string> locateVars(const Layer &layer, ArrayRef<Layer> layers) {
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
      // A model used as a layer may have no vars of its own, only layers.
      if (it == groups.end() ||
          (!file.exists(it->second) &&
           !file.exists(llvm::StringRef(it->second).drop_back(5).str() +
                        "/layers")))
        return fail("the weights of layer '" + layer.name + "' (" +
                    layer.className + ") are missing from '" + file.path() +
                    "': no group " + root + "/layers/*/vars is named '" +
                    layer.name + "', and there is no " + root + "/layers/" +
                    name);
      group = it->second;
    }
    return group;
  }

  std::string root; // the nested model's group, or empty at the top
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

/// Whether `object` (a layer of a config) is a model used as a layer
/// (Keras's Sequential or Functional, "Model" in Keras 2), whose config
/// lists its own layers.
bool isModelObject(llvm::StringRef className, const json::Object *object) {
  if (!object || (className != "Sequential" && className != "Functional" &&
                  className != "Model"))
    return false;
  const json::Value *inner = object->get("config");
  return inner && (inner->getAsArray() ||
                   (inner->getAsObject() &&
                    inner->getAsObject()->getArray("layers")));
}

/// The model `layer` is (a model used as a layer) or applies to each step
/// (a TimeDistributed of a model), as its config object; null otherwise.
const json::Object *nestedModelObject(const Layer &layer) {
  if (layer.className == "TimeDistributed") {
    const json::Object *wrapped = layer.config->getObject("layer");
    llvm::StringRef cls =
        wrapped ? wrapped->getString("class_name").value_or("") : "";
    return isModelObject(cls, wrapped) ? wrapped : nullptr;
  }
  return isModelObject(layer.className, layer.object) ? layer.object : nullptr;
}

/// The type predict takes the ids of an InputLayer of integer `dtype` in
/// (Embedding ids; null for another dtype): int32 for int8, int16, int32,
/// uint8 and uint16, whose every value it holds, and int64 for int64,
/// uint32 and uint64. Keras's Embedding casts ids to int32 (keras 3,
/// Embedding.call), an id beyond its table is an error either way.
Type idType(Builder &b, llvm::StringRef dtype) {
  if (llvm::is_contained({"int8", "int16", "int32", "uint8", "uint16"}, dtype))
    return b.getI32Type();
  if (llvm::is_contained({"int64", "uint32", "uint64"}, dtype))
    return b.getI64Type();
  return Type();
}

/// Reads one model's config (the file's, or a model used as a layer in it)
/// and builds it as a `predict.model`; a nested model is its own Importer,
/// built at its first call into a `predict.model` inside its parent's.
class Importer {
public:
  /// `kerasMajor`: the major version of the Keras that wrote the file.
  Importer(MLIRContext *ctx, WeightSource *weights, std::string path,
           int kerasMajor, std::string scope = "")
      : ctx(ctx), weights(weights), b(ctx), path(std::move(path)),
        fileName(llvm::sys::path::filename(this->path).str()),
        kerasMajor(kerasMajor), scope(std::move(scope)) {}

  /// The --config file the architecture came from ("" for the file's own).
  std::string configPath;

  Expected<OwningOpRef<ModuleOp>> run(llvm::StringRef configText) {
    // llvm::json::parse (and the destruction of what it returns) recurses
    // once per level: a config nested deeper than the limit is refused
    // before it runs, and it runs on a stack sized for the limit.
    unsigned depth = nestingDepth(configText, NestingSyntax::json);
    if (depth > limits.maxNesting)
      return fail(configSource() + " nests too deeply: " + llvm::Twine(depth) +
                  " levels (limit " + llvm::Twine(limits.maxNesting) +
                  ", --max-nesting to raise it)");
    Expected<OwningOpRef<ModuleOp>> result = fail("not run");
    llvm::consumeError(result.takeError());
    runWithStack(stackBytesForNesting(limits.maxNesting), [&] {
      auto config = json::parse(configText);
      if (!config) {
        result = fail(configSource() + " is not valid JSON: " +
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
  /// Where the config was read, for messages.
  std::string configSource() const {
    return configPath.empty() ? "the model config of '" + path + "'"
                              : "the config file '" + configPath + "'";
  }

  std::string describe(const Layer &layer) const {
    return "layer '" + layer.name + "' (" + layer.className + ") of " +
           scope + "'" + path + "'";
  }

  llvm::Error readLayers(const json::Value &config) {
    const json::Object *root = config.getAsObject();
    if (!root)
      return fail("the model config of '" + path + "' is not an object");
    return readModel(*root);
  }

  /// Reads `root` ({"class_name", "config": {"layers": ...}}), which outlives
  /// the importer.
  llvm::Error readModel(const json::Object &object) {
    const json::Object *root = &object;
    Fields model(*root, "the model config of " + scope + "'" + path + "'");
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
                  "--weights=" +
                  llvm::sys::path::filename(path) +
                  " (a .keras archive or "
                  "the .weights.h5 of model.save_weights())");
    if (!layerList || layerList->empty())
      return fail("the model config of '" + path + "' lists no layers");
    functional = className != "Sequential";
    // Keras <= 2.2 wrote a bare list of layers only for Sequential models:
    // a Functional model's config names its input and output layers.
    if (functional && !innerObject)
      return fail("the model config of '" + path + "' is a list of layers, " +
                  "which only a Sequential model has, but its class is '" +
                  className + "': a Functional model's config is an object " +
                  "with layers, input_layers and output_layers");
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
      layer.object = l;
      layer.position = position++;
      if (functional) {
        Fields fields(*l, describe(layer));
        layer.nodes = readNodes(*l, fields);
        if (const json::Array *entries = l->getArray("inbound_nodes"))
          keras3Form |= !entries->empty() && (*entries)[0].getAsObject();
        if (llvm::Error e = fields.takeError())
          return e;
      }
      layers.push_back(layer);
    }
    for (const Layer &layer : layers) {
      const json::Object *model = nestedModelObject(layer);
      if (!model)
        continue;
      auto child = std::make_unique<Importer>(
          ctx, nullptr, path, kerasMajor,
          "nested model '" + layer.name + "' of " + scope);
      if (llvm::Error e = child->readModel(*model))
        return e;
      nested[layer.name] = std::move(child);
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
      renumberNestedCalls();
    }
    return llvm::Error::success();
  }

  /// Whether Keras numbers the calls of `layer`, a model used as a layer,
  /// from 1 in references written in `keras3` form or not: such a model
  /// holds a call of its own first (its inputs to its outputs), which the
  /// config leaves out but counts. Keras 2 (Network / Functional
  /// get_config, `_should_skip_first_node`) counts it in every reference
  /// to a Functional model, or to a Sequential one built with an input;
  /// Keras 3 (functional.py get_config) only in `output_layers`, and only
  /// for a Functional model, its arguments' keras_history being renumbered
  /// without it.
  bool countsOwnCall(const Layer &layer, bool inOutputs) const {
    // A TimeDistributed of a model is a layer: its calls count from 0.
    if (!nested.count(layer.name) || layer.className == "TimeDistributed")
      return false;
    if (keras3Form)
      return inOutputs && layer.className == "Functional";
    if (layer.className != "Sequential")
      return true;
    const Importer &child = *nested.at(layer.name);
    return !child.layers.empty() &&
           (child.layers.front().className == "InputLayer" ||
            child.layers.front().config->get("batch_input_shape"));
  }

  /// References to the calls of models used as layers, renumbered from 0
  /// (countsOwnCall). Where the renumbered index is no call of the model
  /// but the written one is, the written one is kept.
  void renumberNestedCalls() {
    auto renumber = [&](TensorRef &ref, bool inOutputs) {
      const Layer *producer = nullptr;
      for (const Layer &layer : layers)
        if (layer.name == ref.layer)
          producer = &layer;
      if (!producer || !countsOwnCall(*producer, inOutputs))
        return;
      int64_t calls = producer->nodes.size();
      if (ref.node >= 1 && ref.node - 1 < calls)
        --ref.node;
    };
    for (Layer &layer : layers)
      for (Node &node : layer.nodes)
        for (TensorRef &ref : node.inputs)
          renumber(ref, /*inOutputs=*/false);
    for (TensorRef &ref : outputRefs)
      renumber(ref, /*inOutputs=*/true);
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
    listUnsupported(list, "");
    if (!list.empty())
      return fail("'" + path + "' has layers predict does not support:" +
                  list + "\npredict compiles models of these layers: " +
                  keras::supportedLayerNames() + "; nothing was written");
    return checkComputeTypes();
  }

  /// Appends the layers predict lacks, in this model and the models it
  /// uses as layers (`within` says where: " of nested model 'encoder'").
  void listUnsupported(std::string &list, const std::string &within) {
    for (const Layer &layer : layers) {
      if (auto it = nested.find(layer.name); it != nested.end()) {
        it->second->listUnsupported(list, " of nested model '" + layer.name +
                                              "'" + within);
        continue;
      }
      if (!keras::lookupLayer(layer.className))
        list += "\n  layer '" + layer.name + "' (" + layer.className +
                ") at position " + std::to_string(layer.position) + within;
      // A wrapper of a layer predict lacks (TimeDistributed(Hashing)).
      const json::Object *wrapped = layer.className == "TimeDistributed" ||
                                            layer.className == "Bidirectional"
                                        ? layer.config->getObject("layer")
                                        : nullptr;
      std::optional<llvm::StringRef> inner =
          wrapped ? wrapped->getString("class_name") : std::nullopt;
      if (inner && !keras::lookupLayer(*inner))
        list += "\n  layer '" + layer.name + "' (" + layer.className + " of " +
                inner->str() + ") at position " +
                std::to_string(layer.position) + within;
    }
  }

  llvm::Error checkComputeTypes() {
    for (const Layer &layer : layers) {
      if (auto it = nested.find(layer.name); it != nested.end()) {
        if (llvm::Error e = it->second->checkComputeTypes())
          return e;
        continue;
      }
      if (llvm::Error e = checkComputeType(layer))
        return e;
    }
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
    // Integer inputs are what an Embedding takes (as ids); the layers that
    // take them check it (emit). Keras 1 gave a Sequential's input dtype
    // to its first layer (`input_dtype`, read as `dtype`).
    bool givesInput = layer.className == "InputLayer" ||
                      (layer.className == "Embedding" && !functional &&
                       &layer == &layers.front());
    bool integerInput = givesInput && idType(b, name);
    if (!name.empty() && name != "float32" && !integerInput)
      return fail(
          describe(layer) + " has dtype '" + name + "': Keras computes it " +
          (layer.className == "InputLayer" ? "on its inputs cast to " + name
                                           : "in " + name) +
          ", and predict computes in float32 only (save the model "
          "with float32 layers, and inputs of float32, or of an "
          "integer type for Embedding ids)");
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
      // An InputLayer of integers (Embedding ids) gives the method an
      // argument of integers (checkComputeType allowed them).
      Type element = b.getF32Type();
      if (Type ids = idType(b, layer.config->getString("dtype").value_or("")))
        element = ids;
      return RankedTensorType::get(dims, element);
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
    size_t outputs = 1;
    if (auto it = nested.find(ref.layer); it != nested.end())
      outputs = it->second->outputCount();
    // A recurrent layer with return_state also returns its final states
    // (h, and c for an LSTM; issue 18).
    // Bidirectional: two outputs with merge_mode None, and the states of
    // both directions.
    const json::Object *recurrent = producer->config;
    size_t sequences = 1, directions = 1;
    if (producer->className == "Bidirectional" && producer->config) {
      const json::Value *mode = producer->config->get("merge_mode");
      if (mode && mode->kind() == json::Value::Null)
        sequences = 2;
      directions = 2;
      const json::Object *wrapped = producer->config->getObject("layer");
      recurrent = wrapped ? wrapped->getObject("config") : nullptr;
      if (recurrent)
        outputs = sequences;
    }
    const json::Object *wrapped =
        producer->className == "Bidirectional" && producer->config
            ? producer->config->getObject("layer")
            : nullptr;
    llvm::StringRef cell = wrapped ? wrapped->getString("class_name")
                                         .value_or("")
                                   : llvm::StringRef(producer->className);
    if (recurrent && llvm::is_contained({"LSTM", "GRU", "SimpleRNN"}, cell) &&
        recurrent->getBoolean("return_state").value_or(false))
      outputs = sequences + directions * (cell == "LSTM" ? 2 : 1);
    if (uint64_t(ref.tensor) >= outputs)
      return fail(user + " takes output #" + llvm::Twine(ref.tensor) + " of '" +
                  ref.layer + "', which has " +
                  (outputs == 1 ? std::string("one output")
                                : std::to_string(outputs) + " outputs"));
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

  /// The number of outputs of the model (as a layer of another).
  size_t outputCount() const { return functional ? outputRefs.size() : 1; }

  Expected<OwningOpRef<ModuleOp>> build() {
    OwningOpRef<ModuleOp> module = ModuleOp::create(b.getUnknownLoc());
    b.setInsertionPointToEnd(module->getBody());
    Location modelLoc = NameLoc::get(b.getStringAttr(fileName));
    auto signature = buildModel(b, "model", std::nullopt);
    if (!signature)
      return signature.takeError();

    // The public entry point: predict(x) = model(x).
    auto func = func::FuncOp::create(b, modelLoc, "predict", *signature);
    Block *funcEntry = func.addEntryBlock();
    OpBuilder fb = OpBuilder::atBlockEnd(funcEntry);
    auto call = ModelCallOp::create(fb, modelLoc, signature->getResults(),
                                    SymbolRefAttr::get(ctx, "model"),
                                    funcEntry->getArguments());
    func::ReturnOp::create(fb, modelLoc, call.getResults());
    if (failed(verify(*module)))
      return fail("the model in '" + path +
                  "' does not fit together (diagnostics above)");
    return module;
  }

  /// Builds this model as `predict.model @name` at `where`, with its `call`
  /// method; returns the method's type. `argumentTypes` are those of the
  /// first call of a nested model (its own InputLayers' when absent).
  Expected<FunctionType>
  buildModel(OpBuilder &where, llvm::StringRef name,
             std::optional<SmallVector<Type>> argumentTypes) {
    for (const Layer &layer : layers)
      byName[layer.name] = &layer;
    Location modelLoc =
        scope.empty() ? Location(NameLoc::get(b.getStringAttr(fileName)))
                      : layerLoc(ctx, name, fileName);
    auto model = ModelOp::create(where, modelLoc, name);
    if (!className.empty())
      model.setClassNameAttr(b.getStringAttr(className));
    OpBuilder decls = OpBuilder::atBlockEnd(&model.getBody().front());

    // Inputs of the method: the InputLayers (or the first layer's shape).
    SmallVector<Type> inputTypes;
    if (functional) {
      for (const TensorRef &ref : inputRefs) {
        const Layer *layer = find(ref.layer);
        if (!layer)
          return fail("input layer '" + ref.layer + "' of " + scope + "'" +
                      path + "' is not among its layers");
        if (layer->className != "InputLayer" || ref.node != 0 ||
            ref.tensor != 0)
          return fail("the Functional model in " + scope + "'" + path +
                      "' takes input [" + ref.layer + ", " +
                      llvm::Twine(ref.node) + ", " + llvm::Twine(ref.tensor) +
                      "], which is not the output of an InputLayer");
        if (argumentTypes)
          continue;
        auto type = inputTypeOf(*find(ref.layer));
        if (!type)
          return type.takeError();
        inputTypes.push_back(*type);
      }
    } else if (!argumentTypes) {
      auto type = inputTypeOf(layers.front());
      if (!type)
        return type.takeError();
      inputTypes.push_back(*type);
    }
    if (argumentTypes) {
      size_t expected = functional ? inputRefs.size() : 1;
      if (argumentTypes->size() != expected)
        return fail("the " + scope.substr(0, scope.size() - 4) + " of '" +
                    path + "' takes " + llvm::Twine(expected) +
                    " input(s) but is called with " +
                    llvm::Twine(argumentTypes->size()));
      inputTypes = *argumentTypes;
    }

    OpBuilder body(ctx);
    // Owned until the method takes it: an error below must not leak it.
    auto entry = std::make_unique<Block>();
    for (Type t : inputTypes)
      entry->addArgument(t, modelLoc);
    body.setInsertionPointToEnd(entry.get());
    // The value of each output of each call: (layer name, node index,
    // tensor index); Keras's mask on it.
    std::map<std::tuple<std::string, int64_t, int64_t>, Value> values;
    std::map<std::tuple<std::string, int64_t, int64_t>, MaskState> masks;
    for (auto [ref, arg] : llvm::zip(inputRefs, entry->getArguments()))
      values[{ref.layer, 0, 0}] = arg;

    SmallVector<Value> outputs;
    if (functional) {
      auto order = callOrder();
      if (!order)
        return order.takeError();
      for (auto [layer, k] : *order) {
        SmallVector<Value> operands;
        SmallVector<MaskState> inputMasks;
        for (const TensorRef &ref : layer->nodes[k].inputs) {
          Value v = values[{ref.layer, ref.node, ref.tensor}];
          if (!v)
            return fail("call #" + llvm::Twine(k) + " of " + describe(*layer) +
                        " takes '" + ref.layer +
                        "', an input layer that is not among the model's "
                        "inputs");
          operands.push_back(v);
          inputMasks.push_back(masks[{ref.layer, ref.node, ref.tensor}]);
        }
        if (layer->nodes[k].passesMask &&
            (inputMasks.empty() || !inputMasks.front().any()))
          return fail("call #" + llvm::Twine(k) + " of " + describe(*layer) +
                      " passes a mask that is not Keras's mask of its "
                      "input; predict computes masks only from Masking and "
                      "Embedding(mask_zero=True) layers");
        SmallVector<MaskState> outputMasks;
        auto result = emit(*layer, operands, layer->nodes[k].training,
                           inputMasks, outputMasks, decls, body);
        if (!result)
          return result.takeError();
        for (auto [t, v] : llvm::enumerate(*result)) {
          values[{layer->name, int64_t(k), int64_t(t)}] = v;
          masks[{layer->name, int64_t(k), int64_t(t)}] = outputMasks[t];
        }
      }
      for (const TensorRef &ref : outputRefs) {
        if (llvm::Error e = checkRef(ref, "the Functional model in " + scope +
                                              "'" + path + "'")) {
          if (!find(ref.layer)) {
            llvm::consumeError(std::move(e));
            return fail("output layer '" + ref.layer + "' of " + scope + "'" +
                        path + "' is not among its layers");
          }
          return std::move(e);
        }
        Value v = values[{ref.layer, ref.node, ref.tensor}];
        if (!v)
          return fail("output layer '" + ref.layer + "' of " + scope + "'" +
                      path +
                      "' is an input layer that is not among the model's "
                      "inputs");
        outputs.push_back(v);
      }
    } else {
      Value previous = entry->getArgument(0);
      MaskState mask;
      for (const Layer &layer : layers) {
        if (layer.className == "InputLayer")
          continue;
        SmallVector<MaskState> outputMasks;
        auto result = emit(layer, previous, /*training=*/false, {mask},
                           outputMasks, decls, body);
        if (!result)
          return result.takeError();
        if (result->size() != 1)
          return fail(describe(layer) + " has " +
                      llvm::Twine(result->size()) +
                      " outputs, but a Sequential model passes one tensor "
                      "from layer to layer");
        previous = result->front();
        mask = outputMasks.front();
      }
      outputs.push_back(previous);
    }
    ReturnOp::create(body, modelLoc, outputs);
    SmallVector<Type> outputTypes;
    for (Value v : outputs)
      outputTypes.push_back(v.getType());
    auto type = b.getFunctionType(inputTypes, outputTypes);
    auto method = MethodOp::create(decls, modelLoc, "call", type);
    method.getBody().push_back(entry.release());
    return type;
  }

  /// Whether this model, or one it uses as a layer, holds a layer that
  /// consumes a mask (predict's or not).
  const Layer *maskConsumer() const {
    for (const Layer &layer : layers) {
      if (keras::consumesMask(layer.className, *layer.config) ||
          keras::honoursMask(layer.className))
        return &layer;
      if (auto it = nested.find(layer.name); it != nested.end())
        if (const Layer *inner = it->second->maskConsumer())
          return inner;
    }
    return nullptr;
  }

  /// Whether this model, or one it uses as a layer, makes a mask (an
  /// Embedding with mask_zero, Masking).
  bool makesMask() const {
    for (const Layer &layer : layers) {
      if (layer.className == "Masking" ||
          (layer.className == "Embedding" &&
           layer.config->getBoolean("mask_zero").value_or(false)))
        return true;
      if (auto it = nested.find(layer.name); it != nested.end())
        if (it->second->makesMask())
          return true;
    }
    return false;
  }

  /// Emits one call of a layer on `operands` through its registry entry;
  /// the declaration of a layer with weights goes to `decls` (once), the
  /// computation to `body`. A model used as a layer is built as a model
  /// inside this one at its first call, and called.
  Expected<SmallVector<Value>> emit(const Layer &layer,
                                    ArrayRef<Value> operands, bool training,
                                    ArrayRef<MaskState> inputMasks,
                                    SmallVector<MaskState> &outputMasks,
                                    OpBuilder &decls, OpBuilder &body) {
    Location loc = layerLoc(ctx, layer.name, fileName);
    auto child = nested.find(layer.name);
    const keras::LayerEntry *entry = keras::lookupLayer(layer.className);
    if (child == nested.end() && (!entry || !entry->build))
      return fail(describe(layer) + " is not supported");
    bool maskedInput = llvm::any_of(
        inputMasks, [](const MaskState &m) { return m.any(); });
    MaskState firstMask = inputMasks.empty() ? MaskState() : inputMasks[0];
    MaskState anyMask;
    for (const MaskState &m : inputMasks)
      if (m.any() && !anyMask.any())
        anyMask = m;
    // C144: Keras computes a layer that consumes a mask otherwise than
    // predict would without it. A nested model gets no mask from predict.
    const Layer *consumer =
        !maskedInput ? nullptr
        : child != nested.end()
            ? child->second->maskConsumer()
            : (keras::consumesMask(layer.className, *layer.config) ? &layer
                                                                   : nullptr);
    if (consumer)
      return fail(describe(layer) + " " +
                  keras::consumedMaskMessage(
                      anyMask, {consumer->name, consumer->className}) +
                  ": " + keras::maskRemedy(anyMask, "save"));
    if (child == nested.end() && keras::honoursMask(layer.className) &&
        firstMask.unknownAt)
      return fail(describe(layer) + " " + keras::unknownMaskMessage(firstMask));
    // Integers are ids: an Embedding takes them, and a model used as a
    // layer passes them to its own layers.
    if (child == nested.end() && layer.className != "Embedding")
      for (auto [i, v] : llvm::enumerate(operands))
        if (!isa<FloatType>(getElementTypeOrSelf(v.getType())))
          return fail(describe(layer) + " takes integers (" +
                      llvm::formatv("{0}", v.getType()).str() +
                      ") as input #" + llvm::Twine(i) +
                      ": Keras casts them to float32 there, and predict "
                      "reads integer inputs only as the ids of Embedding "
                      "layers (save the InputLayer with dtype float32)");
    if (training) {
      // Keras would run the layer as in training (Dropout drops at random,
      // BatchNormalization uses the batch's statistics): not what predict
      // computes.
      llvm::StringRef how =
          child != nested.end()
              ? llvm::StringRef("computes its layers as in training")
          : entry->training.empty()
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
    if (child != nested.end()) {
      // A TimeDistributed of a model applies it to each step: the batch and
      // time axes merged, the model called, each result split back.
      bool distributed = layer.className == "TimeDistributed";
      SmallVector<Value> in(operands);
      if (distributed) {
        auto type = dyn_cast<RankedTensorType>(in.front().getType());
        if (in.size() != 1 || !type || type.getRank() < 3)
          return fail(describe(layer) + " takes an input of type " +
                      llvm::formatv("{0}", in.front().getType()).str() +
                      "; TimeDistributed needs batch x time x ... (rank >= "
                      "3)");
        in.front() = keras::mergeBatchAndTime(body, loc, operands.front());
      }
      auto results = callNested(layer, *child->second, in, decls, body, loc);
      if (!results)
        return results.takeError();
      if (distributed)
        for (Value &r : *results) {
          auto type = dyn_cast<RankedTensorType>(r.getType());
          if (!type || type.getRank() < 1)
            return fail(describe(layer) +
                        " wraps a model whose result for "
                        "one step has no batch axis; TimeDistributed needs "
                        "one");
          r = keras::splitBatchAndTime(body, loc, r, operands.front());
        }
      // Keras computes the nested model's output masks through its
      // graph; predict does not follow a mask into a nested model.
      outputMasks.assign(results->size(), MaskState());
      if (maskedInput || child->second->makesMask())
        for (MaskState &m : outputMasks)
          m = MaskState{Value(), keras::MaskLayer{layer.name, layer.className},
                        anyMask.madeBy};
      return results;
    }
    Fields fields(*layer.config, describe(layer), entry->params);
    fields.setKerasMajorVersion(kerasMajor);
    FileWeights provider(*weights, layer, layers, *entry, fields,
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
        return fail("layer '" + layer.name + "' of " + scope + "'" + path +
                    "' has inconsistent weights (diagnostics above)");
      declared[layer.name] = *decl;
      return *decl;
    };
    keras::LayerContext call(*entry, layer.name, fields, operands, loc, body,
                             declare, provider);
    if (keras::honoursMask(layer.className))
      call.inputMask = firstMask.value;
    auto result = entry->build(call);
    if (!result)
      return result.takeError();
    SmallVector<Value> results{*result};
    llvm::append_range(results, call.moreResults);
    auto masks = keras::masksOfOutputs(
        {layer.name, layer.className}, *layer.config, inputMasks,
        call.outputMask, results, body, loc, describe(layer), kerasMajor);
    if (!masks)
      return masks.takeError();
    outputMasks = std::move(*masks);
    return results;
  }

  /// A call of the model `layer` used as a layer: `predict.model_call` of
  /// the model `child` builds inside this one at its first call (a model
  /// called twice shares its weights, as in Keras).
  Expected<SmallVector<Value>> callNested(const Layer &layer, Importer &child,
                                          ArrayRef<Value> operands,
                                          OpBuilder &decls, OpBuilder &body,
                                          Location loc) {
    if (!child.signature) {
      auto source = weights->scoped(layer, layers);
      if (!source)
        return source.takeError();
      child.ownedWeights = std::move(*source);
      child.weights = child.ownedWeights.get();
      SmallVector<Type> types;
      for (Value v : operands)
        types.push_back(v.getType());
      auto type = child.buildModel(decls, layer.name, types);
      if (!type)
        return type.takeError();
      child.signature = *type;
    }
    auto call = ModelCallOp::create(body, loc, child.signature->getResults(),
                                    SymbolRefAttr::get(ctx, layer.name),
                                    operands);
    return SmallVector<Value>(call.getResults());
  }

  MLIRContext *ctx;
  WeightSource *weights;
  /// The weights of a nested model's layers (scoped to its group).
  std::unique_ptr<WeightSource> ownedWeights;
  OpBuilder b;
  std::string path, fileName, className;
  int kerasMajor;
  /// "" for the file's model; "nested model 'encoder' of " for a model used
  /// as a layer, for messages.
  std::string scope;
  /// Whether the config writes calls in Keras 3's form ({"args": ...}).
  bool keras3Form = false;
  /// The models used as layers, by layer name.
  std::map<std::string, std::unique_ptr<Importer>> nested;
  /// The type of the `call` method, once built (a nested model at its
  /// first call).
  std::optional<FunctionType> signature;
  bool functional = false;
  std::vector<Layer> layers;
  /// Configs translated from Keras 1's names (translateKeras1).
  std::vector<std::unique_ptr<json::Object>> translated;
  llvm::StringMap<const Layer *> byName;
  llvm::StringMap<Operation *> declared;
  std::vector<TensorRef> inputRefs, outputRefs;
};

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

/// The dialects an imported module holds: predict's, func's, and the
/// tensor and arith ops of layers that reshape (TimeDistributed's merge of
/// the batch and time axes).
static void loadDialects(MLIRContext *context) {
  context->loadDialect<PredictDialect, func::FuncDialect, tensor::TensorDialect,
                       arith::ArithDialect>();
}

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
  loadDialects(context);
  LegacyWeights weights(*file, "/model_weights");
  // Keras 1 and 2 wrote this layout (Keras 3 too, with keras_version 3.x).
  int major = kerasMajorOf(file->stringAttr("/", "keras_version"), 2);
  return Importer(context, &weights, path.str(), major).run(*config);
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
  loadDialects(context);
  // Keras 3 save_weights writes /layers/...; Keras 2 the legacy layout at
  // the root.
  // A whole model saved by model.save: its architecture is inside.
  if (file->exists("/model_weights"))
    return llvm::createStringError(
        "'" + weightsPath +
        "' is a whole Keras model (model.save), with its "
        "architecture inside: import it without --config ('" +
        configPath + "' is for a file of weights alone, model.save_weights)");
  std::unique_ptr<WeightSource> weights;
  int major = 3;
  if (file->exists("/layers")) {
    weights = std::make_unique<Keras3Weights>(*file);
  } else {
    weights = std::make_unique<LegacyWeights>(*file, "");
    major = kerasMajorOf(file->stringAttr("/", "keras_version"), 2);
  }
  Importer importer(context, weights.get(), weightsPath.str(), major);
  importer.configPath = configPath.str();
  return importer.run((*text)->getBuffer());
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
  auto file = h5::File::open(*weightsFile, {"/optimizer"},
                             (path + " (model.weights.h5)").str());
  if (!file)
    return file.takeError();
  loadDialects(context);
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
  return Importer(context, &weights, path.str(), major).run(*config);
}
