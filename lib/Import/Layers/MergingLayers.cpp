//===- MergingLayers.cpp - Add, Concatenate -------------------------------===//

#include "Layers.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

static Type unknownType(LayerContext &call) {
  return UnrankedTensorType::get(Float32Type::get(call.getContext()));
}

//===----------------------------------------------------------------------===//
// Add()
// https://keras.io/api/layers/merging_layers/add/
//===----------------------------------------------------------------------===//

static llvm::Expected<Value> buildAdd(LayerContext &call) {
  return call.typed(
      AddOp::create(call.body, call.loc, unknownType(call), call.inputs));
}

//===----------------------------------------------------------------------===//
// Concatenate(axis=-1)
// https://keras.io/api/layers/merging_layers/concatenate/
//===----------------------------------------------------------------------===//

static constexpr LayerParam kConcatenateParams[] = {{"axis", "-1"}};

static llvm::Expected<Value> buildConcatenate(LayerContext &call) {
  int64_t axis = call.config.integer("axis");
  if (llvm::Error e = call.config.takeError())
    return std::move(e);
  Builder b(call.getContext());
  return call.typed(ConcatenateOp::create(call.body, call.loc,
                                          unknownType(call), call.inputs,
                                          b.getI64IntegerAttr(axis)));
}

llvm::ArrayRef<LayerEntry> keras::mergingLayers() {
  static const LayerEntry entries[] = {
      {"Add", "https://keras.io/api/layers/merging_layers/add/", {}, nullptr,
       buildAdd},
      {"Concatenate", "https://keras.io/api/layers/merging_layers/concatenate/",
       kConcatenateParams, nullptr, buildConcatenate},
  };
  return entries;
}
