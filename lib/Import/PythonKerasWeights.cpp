//===- PythonKerasWeights.cpp - where a Keras weights file keeps a layer --===//
//
// A Keras weights file of a model written in Python source keys its
// variables by the objects Keras tracks in the model, not by the source's
// attribute names: this walks the reader's models (their attributes, held
// models, lists and dicts of layers) as Keras walks the objects.
//
// Keras 3 (keras/src/saving/saving_lib.py, `_save_state`): a model's
// attributes in sorted order (since Keras 3.6, `_private` ones last), each
// layer or model at `<path>/<attribute>`, each list or dict at
// `<path>/<attribute>/<snake_case class>[_<k>]` (k counting the class in the
// container); a Sequential's or Functional's `layers` first; a subclassed
// model's `layers` (every layer it tracks, in the order `__init__` assigns
// them) in its sorted place; an object met again is not saved again.
//
// Keras 2 (tf.keras's hdf5_format.py, `save_weights_to_hdf5_group`): one
// group per entry of `model.layers` (the tracked layers in assignment order,
// lists in place, dicts by sorted key), holding `layer.trainable_weights +
// layer.non_trainable_weights`; a held model's are gathered from its own
// layers in that order, trainable ones first. Keras 2's load_weights matches
// the layers with weights in order, not by name.
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <set>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {

/// An object Keras tracks in a model: a layer attribute, a held model (of
/// the file, a Sequential, or a model of the module), or a TimeDistributed
/// wrapping another attribute.
struct Tracked {
  enum Kind { None, Layer, Model, Wrapper } kind = None;
  /// Layer and Wrapper: the model whose attribute it is; Model: the model.
  ModelState *model = nullptr;
  /// Layer and Wrapper: the attribute (`d`, `blocks/0`).
  std::string attr;
  /// Keras's class, which names it in a list or dict (`dense`, `block`).
  std::string className;
  const json::Object *at = nullptr;

  /// One identity per Keras object (another name of it is the same).
  std::pair<const void *, std::string> identity() const {
    return {model, kind == Model ? "" : attr};
  }
};

std::string join(llvm::StringRef path, llvm::StringRef name) {
  return path.empty() ? name.str() : (path + "/" + name).str();
}

/// The attribute `attr` of the reader's model (any kind but a list's).
const json::Object *attribute(const json::Object &model, llvm::StringRef attr) {
  for (const json::Value &a : *model.getArray("attributes"))
    if (const json::Object *o = a.getAsObject())
      if (o->getString("attr") == attr && o->getString("kind") != "layers")
        return o;
  return nullptr;
}

} // namespace

namespace mlir::predict::python {

/// The walk over one model tree, for either layout.
class KerasWalk {
public:
  explicit KerasWalk(ProgramBuilder &b) : b(b) {}

  /// The object `attr` of `model` is, through another name of it; None for
  /// a value.
  FailureOr<Tracked> resolve(ModelState &model, llvm::StringRef attr) {
    const json::Object *at = attribute(*model.model, attr);
    if (!at)
      return Tracked{};
    llvm::StringRef kind = at->getString("kind").value_or("");
    llvm::StringRef target = at->getString("target").value_or("");
    if (kind == "alias")
      return resolve(model, target);
    if (kind == "layer") {
      if (failed(b.layer(model, attr)))
        return failure();
      // Keras's class: Convolution1D is Conv1D (the reader's keras_class).
      llvm::StringRef cls =
          at->getString("keras_class")
              .value_or(at->getString("class_name").value_or(""));
      return Tracked{Tracked::Layer, &model, attr.str(), cls.str(), at};
    }
    if (kind == "model")
      return heldModel(b.heldModelState(model, attr, *at->getObject("model")),
                       *at);
    if (kind == "module_model")
      return heldModel(b.moduleModelState(target), *at);
    if (kind == "time_distributed")
      return Tracked{Tracked::Wrapper, &model, attr.str(), "TimeDistributed",
                     at};
    return Tracked{};
  }

  /// What a TimeDistributed of `wrapper` wraps.
  FailureOr<Tracked> wrapped(const Tracked &wrapper) {
    llvm::StringRef target = wrapper.at->getString("target").value_or("");
    if (wrapper.at->getBoolean("module_model").value_or(false))
      return heldModel(b.moduleModelState(target), *wrapper.at);
    return resolve(*wrapper.model, target);
  }

  /// `model.layers`: the layers and models `model` tracks, in the order its
  /// `__init__` assigns them, a list's or dict's in place (a dict's by
  /// sorted key for Keras 2, whose tracking sorts them), each once.
  FailureOr<std::vector<Tracked>> tracked(ModelState &model, bool sortedDicts) {
    std::vector<Tracked> objects;
    std::set<std::pair<const void *, std::string>> seen;
    auto add = [&](llvm::StringRef attr) -> LogicalResult {
      FailureOr<Tracked> o = resolve(model, attr);
      if (failed(o))
        return failure();
      if (o->kind != Tracked::None && seen.insert(o->identity()).second)
        objects.push_back(*o);
      return success();
    };
    for (const json::Value &a : *model.model->getArray("attributes")) {
      const json::Object &o = *a.getAsObject();
      llvm::StringRef attr = o.getString("attr").value_or("");
      if (o.getString("kind") != "layers") {
        // Items are added with their list.
        if (!attr.contains('/') && failed(add(attr)))
          return failure();
        continue;
      }
      std::vector<std::string> items;
      for (const json::Value &item : *o.getArray("items"))
        items.push_back(item.getAsString().value_or("").str());
      if (sortedDicts && o.getArray("keys"))
        llvm::sort(items);
      for (const std::string &item : items)
        if (failed(add(item)))
          return failure();
    }
    return objects;
  }

  /// Keras 3: the layers under `object`, at `path`.
  LogicalResult walk3(const Tracked &object, const std::string &path,
                      bool privateLast,
                      std::vector<ProgramBuilder::KerasLayer> &out) {
    if (!visited.insert(object.identity()).second)
      return success();
    if (object.kind == Tracked::Layer) {
      out.push_back(
          {object.model, object.model->layers[object.attr].get(), path});
      return success();
    }
    if (object.kind == Tracked::Wrapper) {
      // TimeDistributed keeps the layer it wraps as `layer`.
      FailureOr<Tracked> inner = wrapped(object);
      return failure(failed(inner) || failed(walk3(*inner, join(path, "layer"),
                                                   privateLast, out)));
    }
    ModelState &model = *object.model;
    // Its own variables (a custom layer's add_weight), at `<path>/vars`.
    if (hasOwnWeights(model))
      out.push_back({&model, nullptr, path, &model});
    // The names Keras's walk meets: each attribute, a list or dict as a
    // whole; `layers`, a subclassed model's tracked layers, when the model
    // has no list of that name (a Sequential's is its `layers`; a custom
    // layer has none).
    struct Child {
      std::string name;
      std::optional<Tracked> single;
      std::vector<Tracked> items;
    };
    std::vector<Child> children;
    bool hasLayers = false;
    for (const json::Value &a : *model.model->getArray("attributes")) {
      const json::Object &o = *a.getAsObject();
      llvm::StringRef attr = o.getString("attr").value_or("");
      if (o.getString("kind") == "layers") {
        Child &child = children.emplace_back();
        child.name = attr.str();
        hasLayers |= attr == "layers";
        for (const json::Value &item : *o.getArray("items")) {
          FailureOr<Tracked> t =
              resolve(model, item.getAsString().value_or(""));
          if (failed(t))
            return failure();
          if (t->kind != Tracked::None)
            child.items.push_back(*t);
        }
        continue;
      }
      if (attr.contains('/'))
        continue;
      FailureOr<Tracked> t = resolve(model, attr);
      if (failed(t))
        return failure();
      if (t->kind != Tracked::None)
        children.push_back({attr.str(), *t, {}});
    }
    if (!hasLayers && !model.isCustomLayer()) {
      FailureOr<std::vector<Tracked>> all =
          tracked(model, /*sortedDicts=*/false);
      if (failed(all))
        return failure();
      children.push_back({"layers", std::nullopt, std::move(*all)});
    }
    auto key = [&](const Child &c) {
      return privateLast && llvm::StringRef(c.name).starts_with("_")
                 ? "~" + c.name
                 : c.name;
    };
    // Attribute names are unique: no two compare equal.
    llvm::sort(children,
               [&](const Child &x, const Child &y) { return key(x) < key(y); });
    for (const Child &child : children) {
      std::string at = join(path, child.name);
      if (child.single) {
        if (failed(walk3(*child.single, at, privateLast, out)))
          return failure();
        continue;
      }
      // A container's items by snake-case class, counted in the container.
      llvm::StringMap<unsigned> counts;
      for (const Tracked &item : child.items) {
        std::string name = keras::snakeCase(item.className);
        auto [it, first] = counts.try_emplace(name, 0);
        if (!first)
          name += "_" + std::to_string(++it->second);
        if (failed(walk3(item, join(at, name), privateLast, out)))
          return failure();
      }
    }
    return success();
  }

  /// Keras 2: the keys of `object`'s weights, trainable ones to
  /// `trainable`, the others to `frozen`.
  LogicalResult weights2(const Tracked &object,
                         std::vector<std::string> &trainable,
                         std::vector<std::string> &frozen) {
    if (object.kind == Tracked::Wrapper) {
      FailureOr<Tracked> inner = wrapped(object);
      return failure(failed(inner) ||
                     failed(weights2(*inner, trainable, frozen)));
    }
    if (object.kind == Tracked::Layer) {
      LayerState &layer = *object.model->layers[object.attr];
      if (!layer.entry->weights)
        return success();
      // `trainable=False` makes every weight of the layer non-trainable.
      const json::Object *kwargs = object.at->getObject("kwargs");
      const json::Value *flag = kwargs ? kwargs->get("trainable") : nullptr;
      bool layerTrainable = !flag || flag->getAsBoolean().value_or(true);
      for (llvm::StringRef name : layer.entry->weights(*layer.fields)) {
        // BatchNormalization's moving statistics are not trained.
        bool isTrainable = layerTrainable && !name.starts_with("moving_");
        (isTrainable ? trainable : frozen)
            .push_back(b.weightKey(*object.model, object.attr, name));
      }
      llvm::consumeError(layer.fields->takeError());
      return success();
    }
    if (failed(notFrozen(*object.model, *object.at)))
      return failure();
    FailureOr<std::vector<Tracked>> children =
        tracked(*object.model, /*sortedDicts=*/true);
    if (failed(children))
      return failure();
    if (hasOwnWeights(*object.model))
      return b.error(*object.at,
                     "'" + object.model->var +
                         "' makes weights of its own (add_weight) and is "
                         "held by another model, or holds layers: its place "
                         "among the weights of a Keras 2 file is not mapped "
                         "yet; give a Keras 3 file or an .npz");
    for (const Tracked &child : *children)
      if (failed(weights2(child, trainable, frozen)))
        return failure();
    return success();
  }

  /// Whether `model` makes weights of its own: a custom layer (its build
  /// may), or a class whose __init__ calls self.add_weight.
  static bool hasOwnWeights(const ModelState &model) {
    for (const json::Value &a : *model.model->getArray("attributes"))
      if (a.getAsObject()->getString("kind") == "weight")
        return true;
    return model.isCustomLayer() && buildMakesWeight(*model.model);
  }

  /// Keras 2 files order a frozen model's weights layer by layer (its
  /// `trainable` setter freezes every layer it holds then, and the
  /// non-trainable weights gather each layer's whole), which is not mapped:
  /// an error when the program sets `model`'s trainable.
  LogicalResult notFrozen(const ModelState &model, const json::Object &at) {
    bool frozen = llvm::any_of(
        arrayOr(b.program->getArray("frozen")), [&](const json::Value &v) {
          return !model.root && v.getAsString() == llvm::StringRef(model.var);
        });
    for (const json::Value &a : *model.model->getArray("attributes"))
      if (a.getAsObject()->getString("attr") == "trainable" &&
          a.getAsObject()->getString("kind") == "value")
        frozen = true;
    if (!frozen)
      return success();
    return b.error(at, "'" + model.var +
                           "' has its trainable set: a Keras 2 weights file "
                           "orders a frozen model's weights layer by layer, "
                           "which predict does not map yet; give a Keras 3 "
                           "file (model.save_weights('w.weights.h5')) or an "
                           ".npz");
  }

  /// A model held or given: refused when it is Functional, whose layers
  /// Keras orders by its graph.
  FailureOr<Tracked> heldModel(ModelState &model, const json::Object &at) {
    if (model.model->get("inputs"))
      return functional(model, at);
    return Tracked{Tracked::Model, &model, "", model.className, &at};
  }

  FailureOr<Tracked> functional(ModelState &model, const json::Object &at) {
    return b.error(at, "'" + model.var +
                           "' is a Functional model: a Keras weights file "
                           "keeps its layers in the order of its graph, "
                           "which predict does not map from source yet; "
                           "import the model's own file (model.save("
                           "'m.keras') and predict-import m.keras), or give "
                           "its weights as an .npz (--dump-weights writes "
                           "its keys)");
  }

private:
  ProgramBuilder &b;
  std::set<std::pair<const void *, std::string>> visited;
};

} // namespace mlir::predict::python

FailureOr<std::vector<ProgramBuilder::KerasLayer>>
ProgramBuilder::keras3Layers(ModelState &top, bool privateLast) {
  KerasWalk walk(*this);
  if (top.model->get("inputs") && failed(walk.functional(top, *top.model)))
    return failure();
  std::vector<KerasLayer> out;
  if (failed(walk.walk3(
          Tracked{Tracked::Model, &top, "", top.className, top.model}, "",
          privateLast, out)))
    return failure();
  return out;
}

FailureOr<std::vector<ProgramBuilder::Keras2Layer>>
ProgramBuilder::keras2Layers(ModelState &top) {
  KerasWalk walk(*this);
  if (top.model->get("inputs") && failed(walk.functional(top, *top.model)))
    return failure();
  if (failed(walk.notFrozen(top, *top.model)))
    return failure();
  FailureOr<std::vector<Tracked>> layers =
      walk.tracked(top, /*sortedDicts=*/true);
  if (failed(layers))
    return failure();
  std::vector<Keras2Layer> out;
  for (const Tracked &layer : *layers) {
    // A custom layer of the model (holding no layers): its group is its
    // own weights, matched when it makes them. Its group is listed whether
    // or not it has weights: Keras 2 files leave out only layers without.
    if (layer.kind == Tracked::Model &&
        KerasWalk::hasOwnWeights(*layer.model)) {
      FailureOr<std::vector<Tracked>> inner =
          walk.tracked(*layer.model, /*sortedDicts=*/true);
      if (failed(inner))
        return failure();
      if (inner->empty()) {
        out.push_back({layer.at, layer.model->var, {}, layer.model});
        continue;
      }
    }
    std::vector<std::string> trainable, frozen;
    if (failed(walk.weights2(layer, trainable, frozen)))
      return failure();
    if (trainable.empty() && frozen.empty())
      continue;
    llvm::append_range(trainable, frozen);
    out.push_back({layer.at,
                   layer.kind == Tracked::Model ? layer.model->var : layer.attr,
                   std::move(trainable)});
  }
  return out;
}
