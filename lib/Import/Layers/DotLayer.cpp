//===- DotLayer.cpp - Dot (Keras's batch_dot of two inputs) ---------------===//

#include "Layers.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

//===----------------------------------------------------------------------===//
// Dot(axes, normalize=False)
// https://keras.io/api/layers/merging_layers/dot/
// `axes` is one axis for both inputs or a list of one per input; a
// negative axis counts from the end of its input (Keras takes it modulo
// the input's rank).
//===----------------------------------------------------------------------===//

static constexpr LayerParam kDotParams[] = {{"axes", ""},
                                            {"normalize", "false"}};

static llvm::Expected<Value> buildDot(LayerContext &call) {
  LayerConfig &fields = call.config;
  if (!fields.has("axes"))
    return call.fail("has no axes in its config: Keras's Dot requires them");
  llvm::SmallVector<int64_t> axes = fields.integers("axes", {});
  bool normalize = fields.boolean("normalize");
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  if (call.inputs.size() != 2)
    return call.fail("needs exactly two inputs, as Keras's Dot does; it has " +
                     llvm::Twine(call.inputs.size()));
  if (axes.size() == 1)
    axes.push_back(axes.front());
  if (axes.size() != 2)
    return call.fail("has " + llvm::Twine(axes.size()) +
                     " axes: Keras's Dot takes one axis, or one per input");
  for (auto [i, input] : llvm::enumerate(call.inputs)) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type)
      continue;
    int64_t rank = type.getRank();
    int64_t axis = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (rank < 2 || axis < 1 || axis >= rank)
      return call.fail(
          "has axes " + llvm::Twine(axes[0]) + ", " + llvm::Twine(axes[1]) +
          ": axis " + llvm::Twine(axes[i]) + " is out of range for input #" +
          llvm::Twine(i) + " of rank " + llvm::Twine(rank) +
          " (Dot contracts one of the axes 1.." + llvm::Twine(rank - 1) +
          " of each input; axis 0 is the batch)");
  }
  Builder b(call.getContext());
  return call.typed(BatchDotOp::create(
      call.body, call.loc,
      UnrankedTensorType::get(Float32Type::get(call.getContext())),
      call.inputs[0], call.inputs[1], b.getDenseI64ArrayAttr(axes),
      normalize));
}

llvm::ArrayRef<LayerEntry> keras::dotLayers() {
  static const LayerEntry entries[] = {
      {"Dot", "https://keras.io/api/layers/merging_layers/dot/", kDotParams,
       nullptr, buildDot},
  };
  return entries;
}
