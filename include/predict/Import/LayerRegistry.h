//===- LayerRegistry.h - one entry per Keras layer class ----------*- C++ -*-===//
//
// Every Keras layer class predict compiles is one `LayerEntry`: its
// constructor parameters (names, defaults, positional order as Keras declares
// them), the weights it creates (names, in creation order) and the function
// that builds predict ops for one call of it from a Keras-style
// `{"class_name", "config"}` object. The Keras file importer (KerasH5.cpp)
// uses nothing else to know a layer; the Python front end is meant to hand
// its `tf.keras.layers.X(...)` calls to the same entries.
//
// The contract for a front end (the Keras importer today, a C++ builder for
// the Python front end tomorrow):
//
//  1. Find the entry with `lookupLayer(class_name)`; an unknown class is the
//     front end's error, whose message lists `supportedLayerNames()`.
//  2. Make a `LayerConfig` over the layer's `config` object. A front end that
//     has positional constructor arguments maps them to names with
//     `LayerEntry::params` (Keras's declared order) before this; a missing
//     field reads as the default in `params`.
//  3. Give a `WeightProvider`: a file (Keras 2 legacy .h5 weights found by
//     name, Keras 3 .weights.h5 found by position in the order
//     `LayerEntry::weights` returns), or a seeded generator, which needs
//     the shape the entry passes (every dimension known: the entry computes
//     it from the config and the input type).
//  4. Call `LayerEntry::build` once per call of the layer, with the call's
//     input values (already typed), a builder for the computation, and a
//     `declare` callback that makes the layer's weighted declaration
//     (`predict.layer.*` in the model) once and returns it at later calls
//     (a shared layer applies the same weights). `build` returns the call's
//     result, typed by the dialect's shape rules, or an error that names
//     the layer (`LayerContext::describe`) and the value at fault.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_IMPORT_LAYERREGISTRY_H
#define PREDICT_IMPORT_LAYERREGISTRY_H

#include "predict/Support/WeightBlobs.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::predict::keras {

/// What a constructor parameter is to predict.
enum class ParamRole {
  /// Read by the entry's `build`: it changes what the layer computes.
  Read,
  /// The initializer of a weight: by Keras's convention, parameter
  /// `<weight>_initializer` (`kernel_initializer`) initializes `<weight>`.
  /// A front end that draws weights (--seed) draws them as it says; a file
  /// makes it irrelevant.
  Initializer,
  /// Accepted and without effect at inference (regularizers, constraints,
  /// Dropout's seed, BatchNormalization's momentum).
  Ignored,
};

/// One constructor parameter of a Keras layer, as Keras declares it.
struct LayerParam {
  /// The keyword (and config field) name: `units`, `epsilon`.
  llvm::StringLiteral name;
  /// Its default as JSON text (`"-1"`, `"0.001"`, `"true"`, `"null"`,
  /// `"\"zeros\""`); empty when the parameter is required.
  llvm::StringLiteral defaultJson;
  ParamRole role = ParamRole::Read;
};

/// The fields of one config object, read with their JSON types checked. A
/// field of the wrong type is an error naming the layer, the field and its
/// value, never its default; the first error is kept (`takeError`), and
/// the value returned meanwhile is the default, never used.
class LayerConfig {
public:
  /// `where` describes the owner in messages: "layer 'd' (Dense) of 'm.h5'".
  /// `params`, when given, supplies the defaults of the overloads without one.
  LayerConfig(const llvm::json::Object &object, std::string where,
              llvm::ArrayRef<LayerParam> params = {})
      : object(object), where(std::move(where)), params(params) {}
  /// The fields of an object inside `parent`'s (`activation.config.`):
  /// errors go to `parent`, their keys prefixed.
  LayerConfig(const llvm::json::Object &object, LayerConfig &parent,
              std::string prefix)
      : object(object), where(parent.where), prefix(parent.prefix + prefix),
        kerasMajor(parent.kerasMajor),
        sink(parent.sink ? parent.sink : &parent) {}

  const std::string &describe() const { return where; }
  /// The major version of the Keras that wrote the config (1, 2 or 3; 3
  /// unless the front end knows otherwise): where Keras changed what a name
  /// computes (the activation hard_sigmoid), entries follow the writer's.
  int kerasMajorVersion() const { return kerasMajor; }
  void setKerasMajorVersion(int major) { kerasMajor = major; }
  const llvm::json::Value *get(llvm::StringRef key) const {
    return object.get(key);
  }
  /// Whether `key` is present and not null.
  bool has(llvm::StringRef key) const;

  /// A number; absent is `dflt` (null too, when `nullable`).
  double number(llvm::StringRef key, double dflt, bool nullable = false);
  /// An integer; Keras 3 writes some axes as a list of one (`[-1]`).
  int64_t integer(llvm::StringRef key, int64_t dflt);
  bool boolean(llvm::StringRef key, bool dflt);
  std::string string(llvm::StringRef key, llvm::StringRef dflt);
  /// An integer or a list of integers (`axis=-1`, `axis=[1, 2]`).
  llvm::SmallVector<int64_t> integers(llvm::StringRef key,
                                      llvm::ArrayRef<int64_t> dflt);

  /// The same, with the default declared in `params` (which must have it).
  double number(llvm::StringRef key);
  int64_t integer(llvm::StringRef key);
  bool boolean(llvm::StringRef key);
  llvm::SmallVector<int64_t> integers(llvm::StringRef key);

  /// Records an error about this layer (the first one is kept).
  void error(const llvm::Twine &message);
  void wrongType(llvm::StringRef key, const llvm::json::Value &v,
                 llvm::StringRef expected);
  bool failed() const { return sink ? sink->failed() : bool(first); }
  llvm::Error takeError();

private:
  /// The default `params` declares for `key` (parsed from its JSON text).
  llvm::json::Value declaredDefault(llvm::StringRef key) const;

  const llvm::json::Object &object;
  std::string where, prefix;
  int kerasMajor = 3;
  llvm::ArrayRef<LayerParam> params;
  LayerConfig *sink = nullptr; // the outermost reader, which keeps the error
  std::optional<std::string> first;
};

/// A float32 weight array, row-major.
struct WeightArray {
  llvm::SmallVector<int64_t> shape;
  WeightValues data;
};

/// Where one layer's weights come from.
class WeightProvider {
public:
  virtual ~WeightProvider();
  /// The weight `name` (one of `LayerEntry::weights` for the config).
  /// `expected` is its shape as far as the config and the input imply
  /// (`ShapedType::kDynamic` where they do not). A file returns what it
  /// holds, whatever its shape (the entry and the op verifiers check it);
  /// a seeded generator draws an array of shape `expected`. Errors name
  /// the layer and the file.
  virtual llvm::Expected<WeightArray> get(llvm::StringRef name,
                                          llvm::ArrayRef<int64_t> expected) = 0;
};

/// A config field of Keras 1 and what it became: Keras 2 renamed many
/// (`output_dim` -> `units`) and converted them when loading a Keras 1 file
/// (keras/legacy/interfaces.py); a front end does the same.
struct LegacyName {
  /// The Keras 1 field: `output_dim`.
  llvm::StringLiteral keras1;
  /// Its Keras 2+ name: `units`. Empty for a Keras 1 field that has no
  /// counterpart and is read only for the value below.
  llvm::StringLiteral current;
  /// For a field without counterpart: the one value (JSON text) with which
  /// Keras 2 loads the file (BatchNormalization's `mode` 0); any other is an
  /// error naming the field, as Keras 2 refused it.
  llvm::StringLiteral onlyValue = "";
};

struct LayerEntry;

/// What `LayerEntry::build` gets for one call of a layer.
class LayerContext {
public:
  using DeclareFn = llvm::function_ref<llvm::Expected<Operation *>(
      llvm::function_ref<llvm::Expected<Operation *>(OpBuilder &)>)>;

  LayerContext(const LayerEntry &entry, llvm::StringRef name,
               LayerConfig &config, ValueRange inputs, Location loc,
               OpBuilder &body, DeclareFn declare, WeightProvider &weights)
      : entry(entry), name(name), config(config), inputs(inputs), loc(loc),
        body(body), declareFn(declare), weights(weights) {}

  const LayerEntry &entry;
  /// The layer's name (the symbol of its declaration).
  llvm::StringRef name;
  LayerConfig &config;
  /// The call's inputs (one, except for merging layers).
  ValueRange inputs;
  Location loc;
  /// Where the call's computation goes.
  OpBuilder &body;

  Value input() const { return inputs.front(); }
  MLIRContext *getContext() const { return body.getContext(); }
  /// "layer 'd' (Dense) of 'm.h5'", for messages.
  const std::string &describe() const { return config.describe(); }
  llvm::Error fail(const llvm::Twine &message) const;

  /// The layer's declaration, made by `make` at the first call and returned
  /// as it is at later ones. `make` builds it with the given builder (in
  /// the model) and fails with an error naming the layer.
  llvm::Expected<Operation *>
  declare(llvm::function_ref<llvm::Expected<Operation *>(OpBuilder &)> make) {
    return declareFn(make);
  }
  /// The weight `name` as an attribute of its own shape (a resource blob
  /// named `<layer>_<as>`), or the provider's error.
  llvm::Expected<ElementsAttr> weight(llvm::StringRef name,
                                      llvm::ArrayRef<int64_t> expected,
                                      llvm::StringRef as = "");
  /// The weight `name` as the provider gives it (for entries that check
  /// its shape against the config before using it).
  llvm::Expected<WeightArray> array(llvm::StringRef name,
                                    llvm::ArrayRef<int64_t> expected) {
    return weights.get(name, expected);
  }
  /// Where the layer's weights come from (for a wrapper, whose wrapped
  /// layer's weights are its own: TimeDistributed).
  WeightProvider &weightProvider() const { return weights; }
  /// `array` as an attribute of shape `shape` (same element count), which
  /// takes its values over (no copy: `shape` may still be array.shape).
  ElementsAttr weightAttr(llvm::StringRef as, WeightArray &&array,
                          llvm::ArrayRef<int64_t> shape);

  /// `op`'s result typed by its shape rule; an error naming the layer when
  /// the inputs do not fit it (the op's diagnostic is emitted above).
  llvm::Expected<Value> typed(Operation *op) const;
  /// `predict.apply` of the declaration `layer` to the input, typed by the
  /// layer's shape rule.
  llvm::Expected<Value> apply(Operation *layer) const;

  /// The outputs after the first, for a layer that returns several (a
  /// recurrent layer's final states with return_state): `build` returns
  /// the first and puts the others here, in Keras's order.
  llvm::SmallVector<Value> moreResults;

  /// Keras's mask of the call's first input (`batch x time`, i1, true for a
  /// step that counts), which the front end gives a layer that consumes it
  /// (the recurrent layers and Bidirectional); null when there is none.
  Value inputMask;
  /// The mask `build` makes for its output (`batch x time` of i1: an
  /// Embedding with mask_zero, Masking); null when the layer makes none.
  Value outputMask;

private:
  DeclareFn declareFn;
  WeightProvider &weights;
};

/// One Keras layer class.
struct LayerEntry {
  /// Keras's class name: `Dense`.
  llvm::StringLiteral className;
  /// Where Keras documents the class (keras.io), for readers and messages.
  llvm::StringLiteral documentation;
  /// The constructor's parameters in Keras's positional order, up to the
  /// last that predict knows (a front end maps positional arguments by
  /// it; a keyword not listed, other than Keras's common `name`,
  /// `trainable` and `dtype`, is the front end's error).
  llvm::ArrayRef<LayerParam> params;
  /// The weights the layer creates for `config`, in the order Keras creates
  /// them: Keras 3 files store them by this position (`vars/0`, `vars/1`),
  /// Keras 2 files by these names (`<layer>/kernel:0`). Null: no weights.
  llvm::SmallVector<llvm::StringRef> (*weights)(LayerConfig &config) = nullptr;
  /// Builds one call. Null for InputLayer, which front ends turn into the
  /// model's inputs.
  llvm::Expected<Value> (*build)(LayerContext &call) = nullptr;
  /// What Keras computes differently when the saved graph calls the layer
  /// with training=True ("drops features at random"); empty when nothing.
  llvm::StringLiteral training = "";
  /// The Keras 1 names of its config fields (for files that Keras 1 wrote,
  /// `keras_version` 1.x); empty when Keras 1 used the same names.
  llvm::ArrayRef<LegacyName> keras1Names = {};
};

/// Keras's snake case of a class name, by which Keras 3 names a layer's
/// weight group when it does not use the layer's name (keras.src.utils.
/// naming.to_snake_case): BatchNormalization -> batch_normalization, ReLU
/// -> re_lu, Conv2D -> conv2d.
std::string snakeCase(llvm::StringRef className);

/// Keras 1 names common to every layer: `input_dtype` is `dtype`.
llvm::ArrayRef<LegacyName> keras1CommonNames();

/// The entry of `className`, or null when predict does not compile it.
const LayerEntry *lookupLayer(llvm::StringRef className);
/// Every entry, in a stable order (families, then Keras's class names).
llvm::ArrayRef<const LayerEntry *> allLayers();
/// The classes a model may use, for messages: "Dense, Activation, ...".
std::string supportedLayerNames();

} // namespace mlir::predict::keras

#endif // PREDICT_IMPORT_LAYERREGISTRY_H
