//===- EmbeddingLayers.cpp - Embedding ------------------------------------===//

#include "Layers.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;

//===----------------------------------------------------------------------===//
// Embedding(input_dim, output_dim, embeddings_initializer="uniform",
//           embeddings_regularizer=None, embeddings_constraint=None,
//           mask_zero=False, weights=None, lora_rank=None)
// https://keras.io/api/layers/core_layers/embedding/
// Keras 2 also saved activity_regularizer and input_length (a shape hint).
//===----------------------------------------------------------------------===//

static constexpr LayerParam kEmbeddingParams[] = {
    {"input_dim", ""},
    {"output_dim", ""},
    {"embeddings_initializer", "\"uniform\"", ParamRole::Initializer},
    {"embeddings_regularizer", "null", ParamRole::Ignored},
    {"embeddings_constraint", "null", ParamRole::Ignored},
    {"mask_zero", "false"},
    {"weights", "null", ParamRole::Ignored},
    {"lora_rank", "null", ParamRole::Ignored},
    {"activity_regularizer", "null", ParamRole::Ignored},
    {"input_length", "null", ParamRole::Ignored},
};

/// Keras 2's legacy_embedding_support (Keras 1's `dropout` it dropped; it
/// changes nothing at inference).
static constexpr LegacyName kEmbeddingKeras1Names[] = {
    {"init", "embeddings_initializer"},
    {"W_regularizer", "embeddings_regularizer"},
    {"W_constraint", "embeddings_constraint"},
};

static llvm::SmallVector<llvm::StringRef> embeddingWeights(LayerConfig &) {
  return {"embeddings"};
}

static llvm::Expected<Value> buildEmbedding(LayerContext &call) {
  LayerConfig &fields = call.config;
  Type element = getElementTypeOrSelf(call.input().getType());
  if (!element.isSignlessInteger() && !isa<FloatType>(element))
    return call.fail("takes ids of element type " +
                     llvm::formatv("{0}", element).str() +
                     ": Keras ids are integers");
  auto decl = call.declare([&](OpBuilder &decls) -> llvm::Expected<Operation *> {
    std::optional<int64_t> inputDim, outputDim;
    if (fields.has("input_dim"))
      inputDim = fields.integer("input_dim", 0);
    if (fields.has("output_dim"))
      outputDim = fields.integer("output_dim", 0);
    bool maskZero = fields.boolean("mask_zero");
    if (llvm::Error e = fields.takeError())
      return std::move(e);
    for (auto [name, value] : {std::pair{"input_dim", inputDim},
                               std::pair{"output_dim", outputDim}})
      if (value && *value <= 0)
        return call.fail("has " + llvm::Twine(name) + " " +
                         llvm::Twine(*value) +
                         ": Keras requires a positive size");
    auto table =
        call.array("embeddings", {inputDim.value_or(ShapedType::kDynamic),
                                  outputDim.value_or(ShapedType::kDynamic)});
    if (!table)
      return table.takeError();
    WeightArray &t = *table;
    if (t.shape.size() != 2 || (inputDim && t.shape[0] != *inputDim) ||
        (outputDim && t.shape[1] != *outputDim) || t.shape[0] < 1) {
      std::string shape;
      for (int64_t d : t.shape)
        shape += (shape.empty() ? "" : "x") + std::to_string(d);
      return call.fail("has input_dim " +
                       (inputDim ? std::to_string(*inputDim) : "?") +
                       " and output_dim " +
                       (outputDim ? std::to_string(*outputDim) : "?") +
                       " in its config but an embeddings table of shape " +
                       shape);
    }
    Builder b(call.getContext());
    return EmbeddingLayerOp::create(
               decls, call.loc, b.getStringAttr(call.name),
               call.weightAttr("embeddings", std::move(t), t.shape), maskZero)
        .getOperation();
  });
  if (!decl)
    return decl.takeError();
  auto result = call.apply(*decl);
  // mask_zero: Keras's mask is `ids != 0` (Embedding.compute_mask), for the
  // recurrent layers downstream; an id of 0 is still looked up.
  if (result && cast<EmbeddingLayerOp>(*decl).getMaskZero()) {
    auto ids = cast<ShapedType>(call.input().getType());
    call.outputMask = CastOp::create(
        call.body, call.loc, ids.clone(IntegerType::get(call.getContext(), 1)),
        call.input());
  }
  return result;
}

llvm::ArrayRef<LayerEntry> keras::embeddingLayers() {
  static const LayerEntry entries[] = {
      {"Embedding", "https://keras.io/api/layers/core_layers/embedding/",
       kEmbeddingParams, embeddingWeights, buildEmbedding, "",
       kEmbeddingKeras1Names},
  };
  return entries;
}
