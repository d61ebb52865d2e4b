//===- MergingLayers.cpp - Add, Subtract, Multiply, Average, ... ----------===//

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
// Subtract(), Multiply(), Average(), Maximum(), Minimum()
// https://keras.io/api/layers/merging_layers/
// Elementwise over the inputs, as Keras's Merge layers compute them
// (inputs broadcast as numpy broadcasts them).
//===----------------------------------------------------------------------===//

/// `op(op(x0, x1), x2) ...` over the call's inputs.
template <typename OpTy>
static llvm::Expected<Value> foldInputs(LayerContext &call) {
  if (call.inputs.size() < 2)
    return call.fail("needs at least two inputs, as Keras's merge layers "
                     "do; it has " +
                     llvm::Twine(call.inputs.size()));
  Value acc = call.inputs.front();
  for (Value next : call.inputs.drop_front()) {
    auto v = call.typed(
        OpTy::create(call.body, call.loc, unknownType(call), acc, next));
    if (!v)
      return v.takeError();
    acc = *v;
  }
  return acc;
}

static llvm::Expected<Value> buildSubtract(LayerContext &call) {
  if (call.inputs.size() != 2)
    return call.fail("needs exactly two inputs, as Keras's Subtract does; "
                     "it has " +
                     llvm::Twine(call.inputs.size()));
  return foldInputs<SubOp>(call);
}

static llvm::Expected<Value> buildAverage(LayerContext &call) {
  if (call.inputs.size() < 2)
    return call.fail("needs at least two inputs, as Keras's merge layers "
                     "do; it has " +
                     llvm::Twine(call.inputs.size()));
  auto sum = call.typed(
      AddOp::create(call.body, call.loc, unknownType(call), call.inputs));
  if (!sum)
    return sum.takeError();
  // Keras divides the sum by the count (a float32 scalar).
  auto scalar = RankedTensorType::get({}, Float32Type::get(call.getContext()));
  Value count = ConstantOp::create(
      call.body, call.loc,
      DenseElementsAttr::get(scalar, float(call.inputs.size())));
  return call.typed(
      DivOp::create(call.body, call.loc, unknownType(call), *sum, count));
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
      {"Subtract", "https://keras.io/api/layers/merging_layers/subtract/", {},
       nullptr, buildSubtract},
      {"Multiply", "https://keras.io/api/layers/merging_layers/multiply/", {},
       nullptr, foldInputs<MulOp>},
      {"Average", "https://keras.io/api/layers/merging_layers/average/", {},
       nullptr, buildAverage},
      {"Maximum", "https://keras.io/api/layers/merging_layers/maximum/", {},
       nullptr, foldInputs<MaximumOp>},
      {"Minimum", "https://keras.io/api/layers/merging_layers/minimum/", {},
       nullptr, foldInputs<MinimumOp>},
      {"Concatenate", "https://keras.io/api/layers/merging_layers/concatenate/",
       kConcatenateParams, nullptr, buildConcatenate},
  };
  return entries;
}
