//===- MaskingLayer.cpp - Masking: skip the steps of padding --------------===//
//
// Keras's Masking(mask_value) marks a step (a position of the axes before
// the last) as masked when every feature of it equals `mask_value`: the
// output is the input with the masked steps zeroed, and the step mask
// (`batch x time` for a sequence) goes with it to the layers that consume
// masks (the recurrent layers), which the importer carries it to
// (KerasH5.cpp).
//
//===----------------------------------------------------------------------===//

#include "Layers.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

//===----------------------------------------------------------------------===//
// Masking(mask_value=0.0)
// https://keras.io/api/layers/core_layers/masking/
// keras.layers.Masking.call: boolean_mask = any(inputs != mask_value,
// axis=-1, keepdims=True); outputs = inputs * cast(boolean_mask);
// compute_mask: any(inputs != mask_value, axis=-1).
//===----------------------------------------------------------------------===//

static constexpr LayerParam kMaskingParams[] = {{"mask_value", "0.0"}};

static llvm::Expected<Value> buildMasking(LayerContext &call) {
  double maskValue = call.config.number("mask_value");
  if (llvm::Error e = call.config.takeError())
    return std::move(e);
  auto type = dyn_cast<RankedTensorType>(call.input().getType());
  if (!type || type.getRank() < 2 ||
      !isa<FloatType>(type.getElementType()))
    return call.fail("takes an input of type " +
                     llvm::formatv("{0}", call.input().getType()).str() +
                     "; Masking takes floats with a batch and a feature axis "
                     "(rank >= 2)");
  MLIRContext *ctx = call.getContext();
  Builder b(ctx);
  Type element = type.getElementType();
  auto scalar = RankedTensorType::get({}, element);
  Value value = ConstantOp::create(
      call.body, call.loc,
      DenseElementsAttr::get(scalar, b.getFloatAttr(element, maskValue)));
  auto unknownBool = UnrankedTensorType::get(b.getI1Type());
  auto unknown = UnrankedTensorType::get(element);
  auto differs = call.typed(CompareOp::create(
      call.body, call.loc, unknownBool,
      CompareKindAttr::get(ctx, CompareKind::ne), call.input(), value));
  if (!differs)
    return differs.takeError();
  auto lastAxis = b.getDenseI64ArrayAttr({type.getRank() - 1});
  auto keep = call.typed(ReduceOp::create(call.body, call.loc, unknownBool,
                                          ReduceKind::any, *differs, lastAxis,
                                          /*keepdims=*/true));
  if (!keep)
    return keep.takeError();
  auto mask = call.typed(ReduceOp::create(call.body, call.loc, unknownBool,
                                          ReduceKind::any, *differs, lastAxis,
                                          /*keepdims=*/false));
  if (!mask)
    return mask.takeError();
  call.outputMask = *mask;
  // inputs * cast(mask), as Keras computes it (a masked step of infinities
  // becomes NaN there too).
  auto factor = call.typed(CastOp::create(call.body, call.loc, unknown, *keep));
  if (!factor)
    return factor.takeError();
  return call.typed(
      MulOp::create(call.body, call.loc, unknown, call.input(), *factor));
}

llvm::ArrayRef<LayerEntry> keras::maskingLayers() {
  static const LayerEntry entries[] = {
      {"Masking", "https://keras.io/api/layers/core_layers/masking/",
       kMaskingParams, nullptr, buildMasking},
  };
  return entries;
}
