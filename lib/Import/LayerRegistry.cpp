//===- LayerRegistry.cpp - the Keras layer classes predict compiles -------===//

#include "predict/Import/LayerRegistry.h"
#include "Layers/Layers.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Support/WeightBlobs.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;
namespace json = llvm::json;

//===----------------------------------------------------------------------===//
// LayerConfig
//===----------------------------------------------------------------------===//

std::string keras::shown(const json::Value &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  if (text.size() > 60)
    text = text.substr(0, 57) + "...";
  return text;
}

llvm::StringRef keras::kindName(const json::Value &value) {
  switch (value.kind()) {
  case json::Value::Null:
    return "null";
  case json::Value::Boolean:
    return "a boolean";
  case json::Value::Number:
    return "a number";
  case json::Value::String:
    return "a string";
  case json::Value::Array:
    return "a list";
  case json::Value::Object:
    return "an object";
  }
  return "a value";
}

bool LayerConfig::has(llvm::StringRef key) const {
  const json::Value *v = object.get(key);
  return v && v->kind() != json::Value::Null;
}

double LayerConfig::number(llvm::StringRef key, double dflt, bool nullable) {
  const json::Value *v = object.get(key);
  if (!v || (nullable && v->kind() == json::Value::Null))
    return dflt;
  if (auto n = v->getAsNumber())
    return *n;
  wrongType(key, *v, "a number");
  return dflt;
}

int64_t LayerConfig::integer(llvm::StringRef key, int64_t dflt) {
  const json::Value *v = object.get(key);
  if (!v)
    return dflt;
  if (auto i = v->getAsInteger())
    return *i;
  if (const json::Array *a = v->getAsArray())
    if (a->size() == 1)
      if (auto i = (*a)[0].getAsInteger())
        return *i;
  wrongType(key, *v, "an integer");
  return dflt;
}

bool LayerConfig::boolean(llvm::StringRef key, bool dflt) {
  const json::Value *v = object.get(key);
  if (!v)
    return dflt;
  if (auto b = v->getAsBoolean())
    return *b;
  wrongType(key, *v, "true or false");
  return dflt;
}

std::string LayerConfig::string(llvm::StringRef key, llvm::StringRef dflt) {
  const json::Value *v = object.get(key);
  if (!v)
    return dflt.str();
  if (auto s = v->getAsString())
    return s->str();
  wrongType(key, *v, "a string");
  return dflt.str();
}

llvm::SmallVector<int64_t> LayerConfig::integers(llvm::StringRef key,
                                                 llvm::ArrayRef<int64_t> dflt) {
  const json::Value *v = object.get(key);
  if (!v)
    return llvm::to_vector(dflt);
  if (auto i = v->getAsInteger())
    return {*i};
  if (const json::Array *a = v->getAsArray()) {
    llvm::SmallVector<int64_t> values;
    for (const json::Value &e : *a)
      if (auto i = e.getAsInteger())
        values.push_back(*i);
    if (values.size() == a->size() && !values.empty())
      return values;
  }
  wrongType(key, *v, "an integer or a non-empty list of integers");
  return llvm::to_vector(dflt);
}

json::Value LayerConfig::declaredDefault(llvm::StringRef key) const {
  for (const LayerParam &p : params)
    if (p.name == key) {
      assert(!p.defaultJson.empty() && "a required parameter has no default");
      auto value = json::parse(p.defaultJson);
      assert(value && "a parameter's default is not valid JSON");
      return std::move(*value);
    }
  llvm_unreachable("the parameter is not declared in the entry's params");
}

double LayerConfig::number(llvm::StringRef key) {
  return number(key, *declaredDefault(key).getAsNumber());
}

int64_t LayerConfig::integer(llvm::StringRef key) {
  return integer(key, *declaredDefault(key).getAsInteger());
}

bool LayerConfig::boolean(llvm::StringRef key) {
  return boolean(key, *declaredDefault(key).getAsBoolean());
}

llvm::SmallVector<int64_t> LayerConfig::integers(llvm::StringRef key) {
  json::Value d = declaredDefault(key);
  if (auto i = d.getAsInteger())
    return integers(key, {*i});
  llvm::SmallVector<int64_t> values;
  for (const json::Value &e : *d.getAsArray())
    values.push_back(*e.getAsInteger());
  return integers(key, values);
}

void LayerConfig::error(const llvm::Twine &message) {
  if (sink)
    return sink->error(message);
  if (!first)
    first = where + ": " + message.str();
}

void LayerConfig::wrongType(llvm::StringRef key, const json::Value &v,
                            llvm::StringRef expected) {
  error("config field '" + prefix + key + "' is " + shown(v) + " (" +
        kindName(v) + "), expected " + expected);
}

llvm::Error LayerConfig::takeError() {
  if (sink)
    return sink->takeError();
  if (!first)
    return llvm::Error::success();
  llvm::Error e = llvm::createStringError(llvm::inconvertibleErrorCode(),
                                          *first);
  first.reset();
  return e;
}

//===----------------------------------------------------------------------===//
// LayerContext
//===----------------------------------------------------------------------===//

WeightProvider::~WeightProvider() = default;

llvm::Error LayerContext::fail(const llvm::Twine &message) const {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 describe() + " " + message);
}

ElementsAttr LayerContext::weightAttr(llvm::StringRef as, WeightArray &&array,
                                      llvm::ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, Float32Type::get(getContext()));
  // No values (a kernel of 0 units): nothing to hold in a resource.
  if (array.data.empty())
    return DenseElementsAttr::get(type, llvm::ArrayRef<float>());
  // Aligned for the vector loads of the compiled code, which reads the
  // values in place (docs/Pipeline.md, "JIT").
  return DenseResourceElementsAttr::get(type, name.str() + "_" + as.str(),
                                        blobOf(std::move(array.data)));
}

llvm::Expected<ElementsAttr>
LayerContext::weight(llvm::StringRef weightName,
                     llvm::ArrayRef<int64_t> expected, llvm::StringRef as) {
  auto array = weights.get(weightName, expected);
  if (!array)
    return array.takeError();
  return weightAttr(as.empty() ? weightName : as, std::move(*array),
                    array->shape);
}

llvm::Expected<Value> LayerContext::typed(Operation *op) const {
  SmallVector<Type> types;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(types)))
    return fail("does not fit its input (diagnostics above)");
  for (auto [result, type] : llvm::zip_equal(op->getResults(), types))
    result.setType(type);
  return op->getResult(0);
}

llvm::Expected<Value> LayerContext::apply(Operation *layer) const {
  Value x = input();
  auto apply = ApplyOp::create(
      body, loc, UnrankedTensorType::get(Float32Type::get(getContext())),
      SymbolRefAttr::get(getContext(), name), x);
  auto type = cast<LayerOpInterface>(layer).inferApplyType(
      x.getType(), [&] { return emitError(loc); });
  if (failed(type))
    return fail("does not fit its input (diagnostics above)");
  apply.getResult().setType(cast<TensorType>(*type));
  return apply.getResult();
}

//===----------------------------------------------------------------------===//
// The registry
//===----------------------------------------------------------------------===//

llvm::ArrayRef<const LayerEntry *> keras::allLayers() {
  static const std::vector<const LayerEntry *> entries = [] {
    std::vector<const LayerEntry *> all;
    for (llvm::ArrayRef<LayerEntry> family :
         {coreLayers(), normalizationLayers(), activationLayers(),
          mergingLayers(), convolutionalLayers(), poolingLayers(),
          reshapingLayers(), regularizationLayers(), embeddingLayers(),
          dotLayers(), recurrentLayers(), einsumDenseLayers(),
          maskingLayers()})
      for (const LayerEntry &entry : family)
        all.push_back(&entry);
    return all;
  }();
  return entries;
}

std::string keras::snakeCase(llvm::StringRef name) {
  // Keras's two substitutions, left to right without overlap as re.sub
  // makes them: `(.)([A-Z][a-z0-9]+)` -> `\1_\2`, then `([a-z])([A-Z])` ->
  // `\1_\2`; then lower case.
  auto lowerOrDigit = [](char c) { return llvm::isLower(c) || llvm::isDigit(c); };
  std::string first;
  for (size_t i = 0; i < name.size();) {
    if (i + 2 < name.size() && llvm::isUpper(name[i + 1]) &&
        lowerOrDigit(name[i + 2])) {
      first += name[i];
      first += '_';
      first += name[i + 1];
      i += 2;
      while (i < name.size() && lowerOrDigit(name[i]))
        first += name[i++];
      continue;
    }
    first += name[i++];
  }
  std::string out;
  for (size_t i = 0; i < first.size();) {
    if (i + 1 < first.size() && llvm::isLower(first[i]) &&
        llvm::isUpper(first[i + 1])) {
      out += first[i];
      out += '_';
      out += first[i + 1];
      i += 2;
      continue;
    }
    out += first[i++];
  }
  return llvm::StringRef(out).lower();
}

llvm::ArrayRef<LegacyName> keras::keras1CommonNames() {
  static constexpr LegacyName names[] = {{"input_dtype", "dtype"}};
  return names;
}

const LayerEntry *keras::lookupLayer(llvm::StringRef className) {
  for (const LayerEntry *entry : allLayers())
    if (entry->className == className)
      return entry;
  return nullptr;
}

std::string keras::supportedLayerNames() {
  std::string list;
  for (const LayerEntry *entry : allLayers()) {
    if (!entry->build)
      continue; // InputLayer: the model's inputs, not a layer to compute
    if (!list.empty())
      list += ", ";
    list += entry->className;
  }
  return list;
}
