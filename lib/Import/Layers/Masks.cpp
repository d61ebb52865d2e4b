//===- Masks.cpp - Keras's masks, one rule per layer class ----------------===//
//
// Where each rule comes from: Keras's Layer.compute_mask (a layer that
// supports masking passes its input's mask on), RNN.compute_mask and
// Bidirectional.compute_mask (the sequence's mask on each output sequence),
// Merge.compute_mask (the `and` of the inputs'), and the layers whose call
// takes `mask` (keras/src/layers, Keras 2 and 3 alike).
//
//===----------------------------------------------------------------------===//

#include "Masks.h"
#include "Layers.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;
namespace json = llvm::json;

std::string keras::maskWords(const MaskState &mask) {
  if (mask.madeBy && mask.madeBy->className == "Masking")
    return "the mask of Masking layer '" + mask.madeBy->name + "'";
  return "the mask of an Embedding with mask_zero=True";
}

std::string keras::consumedMaskMessage(const MaskState &mask,
                                       const MaskLayer &consumer) {
  return "takes " + maskWords(mask) + ", which Keras applies in layer '" +
         consumer.name + "' (" + consumer.className +
         ") and predict does not carry";
}

std::string keras::maskRemedy(const MaskState &mask, llvm::StringRef verb) {
  std::string remedy = mask.madeBy && mask.madeBy->className == "Masking"
                           ? verb.str() + " the model without Masking layer '" +
                                 mask.madeBy->name + "'"
                           : verb.str() + " the Embedding with mask_zero=False";
  return remedy + ", or mask the input yourself";
}

std::string keras::unknownMaskMessage(const MaskState &mask) {
  return "takes " + maskWords(mask) + " through layer '" +
         mask.unknownAt->name + "' (" + mask.unknownAt->className +
         "), whose effect on a mask predict does not know: it computes "
         "masks through Dense, activations, Dropout, normalizations, "
         "merging layers and the recurrent layers";
}

/// The wrapped layer's class of a TimeDistributed config ("" when absent).
static llvm::StringRef wrappedClass(const json::Object &config) {
  const json::Object *inner = config.getObject("layer");
  auto cls = inner ? inner->getString("class_name") : std::nullopt;
  return cls.value_or("");
}

bool keras::honoursMask(llvm::StringRef className) {
  return llvm::is_contained(
      {"LSTM", "GRU", "SimpleRNN", "Bidirectional", "RNN"}, className);
}

bool keras::consumesMask(llvm::StringRef className,
                         const json::Object &config) {
  if (className == "TimeDistributed")
    return !appliesPositionWise(wrappedClass(config));
  return llvm::is_contained({"ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
                             "Attention", "AdditiveAttention",
                             "MultiHeadAttention", "GlobalAveragePooling1D",
                             "Softmax"},
                            className);
}

/// Keras layers that support masking and pass their input's mask on
/// unchanged (supports_masking, Layer.compute_mask's default), in Keras 2
/// and 3 alike.
static bool passesMask(llvm::StringRef className, const json::Object &config) {
  if (className == "TimeDistributed")
    return appliesPositionWise(wrappedClass(config));
  return llvm::is_contained(
      {"Dense", "Activation", "Dropout", "SpatialDropout1D", "GaussianNoise",
       "GaussianDropout", "AlphaDropout", "ActivityRegularization", "ReLU",
       "LeakyReLU", "ELU", "PReLU", "ThresholdedReLU", "BatchNormalization",
       "LayerNormalization", "Identity"},
      className);
}

/// Keras's merging layers: the output's mask is the `and` of the inputs'
/// (Merge.compute_mask; Concatenate's along the last axis is the same).
static bool mergesMasks(llvm::StringRef className) {
  return llvm::is_contained({"Add", "Subtract", "Multiply", "Average",
                             "Maximum", "Minimum", "Concatenate"},
                            className);
}

/// Keras layers that drop a mask (they do not support masking, so Keras
/// computes no mask for their output) or make their own (Embedding,
/// Masking: the layer's entry gives it).
static bool dropsMask(llvm::StringRef className) {
  return llvm::is_contained({"Flatten",
                             "Reshape",
                             "Dot",
                             "Embedding",
                             "Masking",
                             "Conv1D",
                             "Conv2D",
                             "Conv3D",
                             "SeparableConv1D",
                             "SeparableConv2D",
                             "DepthwiseConv1D",
                             "DepthwiseConv2D",
                             "Conv1DTranspose",
                             "Conv2DTranspose",
                             "MaxPooling1D",
                             "AveragePooling1D",
                             "MaxPooling2D",
                             "AveragePooling2D",
                             "GlobalMaxPooling1D",
                             "GlobalMaxPooling2D",
                             "GlobalAveragePooling2D"},
                            className);
}

llvm::Expected<llvm::SmallVector<MaskState>>
keras::masksOfOutputs(const MaskLayer &layer, const json::Object &config,
                      llvm::ArrayRef<MaskState> in, Value made,
                      ValueRange results, OpBuilder &body, Location loc,
                      llvm::StringRef describe, int kerasMajor) {
  llvm::SmallVector<MaskState> out(results.size());
  MaskState first = in.empty() ? MaskState() : in.front();
  bool anyMasked = llvm::any_of(in, [](const MaskState &m) { return m.any(); });
  if (made) {
    out[0].value = made;
    out[0].madeBy = layer;
    return out;
  }
  llvm::StringRef cls = layer.className;
  if (!anyMasked || dropsMask(cls))
    return out;
  if (honoursMask(cls)) {
    // RNN.compute_mask and Bidirectional's: the sequence's mask on each
    // output sequence, none on the states.
    bool sequences = false;
    size_t outputs = 1;
    const json::Object *cfg = &config;
    if (cls == "Bidirectional") {
      const json::Object *inner = config.getObject("layer");
      cfg = inner ? inner->getObject("config") : nullptr;
      const json::Value *merge = config.get("merge_mode");
      if (merge && merge->kind() == json::Value::Null)
        outputs = 2;
    }
    if (cfg)
      sequences = cfg->getBoolean("return_sequences").value_or(false);
    if (sequences)
      for (size_t i = 0; i < outputs && i < results.size(); ++i)
        out[i] = first;
    return out;
  }
  if (passesMask(cls, config)) {
    for (MaskState &m : out)
      m = first;
    return out;
  }
  bool lastAxis = true;
  if (cls == "Concatenate") {
    int64_t axis = -1;
    if (const json::Value *a = config.get("axis"))
      if (auto i = a->getAsInteger())
        axis = *i;
    int64_t rank = 0;
    if (auto t = dyn_cast<RankedTensorType>(results.front().getType()))
      rank = t.getRank();
    lastAxis = axis == -1 || (rank && axis == rank - 1);
  }
  // Keras 3's Concatenate along the last axis keeps a step if any input
  // keeps it (compute_mask: `ops.any` of the masks, an input without one
  // counting as all true), so one unmasked input leaves no mask; Keras 2's
  // and every other merge keep a step only if all inputs keep it.
  bool any = cls == "Concatenate" && kerasMajor >= 3;
  if (any && lastAxis &&
      llvm::any_of(in, [](const MaskState &m) { return !m.any(); }))
    return out;
  if (mergesMasks(cls) && lastAxis) {
    Value all;
    for (const MaskState &m : in) {
      if (m.unknownAt) {
        out[0] = m;
        return out;
      }
      if (!m.value)
        continue;
      out[0].madeBy = m.madeBy;
      if (!all) {
        all = m.value;
        continue;
      }
      if (all.getType() != m.value.getType())
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            describe + " merges tensors whose masks have types " +
                llvm::formatv("{0}", all.getType()).str() + " and " +
                llvm::formatv("{0}", m.value.getType()).str() +
                "; predict merges masks of one shape");
      all = LogicalOp::create(
          body, loc, all.getType(),
          LogicalKindAttr::get(body.getContext(),
                               any ? LogicalKind::Or : LogicalKind::And),
          all, m.value);
    }
    out[0].value = all;
    return out;
  }
  // A layer Keras may or may not pass the mask through: unknown from here
  // on (an error only if it reaches a layer that applies it).
  for (MaskState &m : out)
    m = MaskState{Value(), layer, first.madeBy};
  return out;
}
