//===- SpatialConfig.cpp - config fields of pooling and reshaping layers --===//

#include "SpatialConfig.h"
#include "Layers.h"

using namespace mlir::predict;
using namespace mlir::predict::keras;
namespace json = llvm::json;

bool keras::channelsFirstField(LayerConfig &fields) {
  const json::Value *v = fields.get("data_format");
  if (!v || v->getAsNull())
    return false;
  std::optional<llvm::StringRef> s = v->getAsString();
  if (s && (*s == "channels_last" || *s == "tf"))
    return false;
  if (s && (*s == "channels_first" || *s == "th"))
    return true;
  fields.wrongType("data_format", *v,
                   "\"channels_last\" or \"channels_first\"");
  return false;
}

llvm::SmallVector<int64_t> keras::intTupleField(LayerConfig &fields,
                                                llvm::StringRef key,
                                                size_t count,
                                                llvm::ArrayRef<int64_t> dflt,
                                                int64_t least) {
  const json::Value *v = fields.get(key);
  if (!v || (v->getAsNull() && !dflt.empty()))
    return llvm::to_vector(dflt);
  llvm::SmallVector<int64_t> values;
  if (auto i = v->getAsInteger()) {
    values.assign(count, *i);
  } else if (const json::Array *a = v->getAsArray(); a && a->size() == count) {
    for (const json::Value &e : *a)
      if (auto i = e.getAsInteger())
        values.push_back(*i);
  }
  if (values.size() != count) {
    fields.wrongType(key, *v,
                     count == 1 ? std::string("an integer")
                                : "an integer or a list of " +
                                      std::to_string(count) + " integers");
    return llvm::to_vector(dflt);
  }
  for (int64_t x : values)
    if (x < least) {
      fields.error("config field '" + key + "' is " + shown(*v) +
                   ": Keras requires each value to be at least " +
                   llvm::Twine(least));
      return llvm::to_vector(dflt);
    }
  return values;
}

llvm::SmallVector<std::pair<int64_t, int64_t>>
keras::pairsField(LayerConfig &fields, llvm::StringRef key, size_t count,
                  llvm::ArrayRef<std::pair<int64_t, int64_t>> dflt) {
  using Pairs = llvm::SmallVector<std::pair<int64_t, int64_t>>;
  const json::Value *v = fields.get(key);
  if (!v)
    return Pairs(dflt.begin(), dflt.end());
  Pairs pairs;
  auto pairOf = [](const json::Value &e) -> std::optional<std::pair<int64_t, int64_t>> {
    const json::Array *p = e.getAsArray();
    if (!p || p->size() != 2)
      return std::nullopt;
    auto a = (*p)[0].getAsInteger(), b = (*p)[1].getAsInteger();
    if (!a || !b)
      return std::nullopt;
    return std::pair{*a, *b};
  };
  if (auto i = v->getAsInteger()) {
    pairs.assign(count, {*i, *i});
  } else if (const json::Array *a = v->getAsArray()) {
    if (count == 1) {
      // Cropping1D((1, 2)): the pair of the one axis.
      if (auto p = pairOf(*v))
        pairs.push_back(*p);
    } else if (a->size() == count) {
      for (const json::Value &e : *a) {
        if (auto i = e.getAsInteger())
          pairs.push_back({*i, *i});
        else if (auto p = pairOf(e))
          pairs.push_back(*p);
      }
    }
  }
  if (pairs.size() != count) {
    fields.wrongType(key, *v,
                     count == 1 ? std::string("an integer or a list of 2 "
                                              "integers")
                                : "an integer, a list of " +
                                      std::to_string(count) +
                                      " integers or a list of " +
                                      std::to_string(count) +
                                      " pairs of integers");
    return Pairs(dflt.begin(), dflt.end());
  }
  for (auto [before, after] : pairs)
    if (before < 0 || after < 0) {
      fields.error("config field '" + key + "' is " + shown(*v) +
                   ": Keras requires values that are not negative");
      return Pairs(dflt.begin(), dflt.end());
    }
  return pairs;
}
