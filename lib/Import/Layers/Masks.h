//===- Masks.h - Keras's masks, as both front ends carry them -*- C++ -*-===//
//
// Keras attaches a mask (`batch x time`, true for a step that counts) to the
// output of an Embedding with mask_zero=True or a Masking layer, and each
// later layer call passes it on, applies it or drops it as its class does
// (Layer.compute_mask). predict carries it the same way in the Keras
// importer (through the saved graph) and in the Python front end (through
// the layer calls of `call`), with one rule per class here.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_IMPORT_LAYERS_MASKS_H
#define LIB_IMPORT_LAYERS_MASKS_H

#include "mlir/IR/Builders.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>

namespace mlir::predict::keras {

/// A layer as a mask's messages name it.
struct MaskLayer {
  std::string name;
  std::string className;
};

/// Keras's mask of one tensor, as a front end knows it.
struct MaskState {
  /// The mask (`batch x time` of i1), when predict computes it.
  Value value;
  /// The layer after which predict no longer knows what Keras does with
  /// the mask (a layer that may or may not pass it on, a nested model): an
  /// error only if the mask reaches a layer that applies it.
  std::optional<MaskLayer> unknownAt;
  /// The layer that made it (Masking, Embedding), for messages.
  std::optional<MaskLayer> madeBy;
  bool any() const { return value || unknownAt; }
};

/// "the mask of an Embedding with mask_zero=True" or "of Masking layer 'm'".
std::string maskWords(const MaskState &mask);

/// Keras layers whose call takes the mask and which predict computes with
/// it: the recurrent layers (masked steps keep the state, C205).
bool honoursMask(llvm::StringRef className);

/// Keras layers whose call consumes the mask and which predict would
/// compute as if no step were masked: a mask reaching one is an error.
/// `config` is the layer's (a TimeDistributed's wrapped class decides).
bool consumesMask(llvm::StringRef className, const llvm::json::Object &config);

/// "takes <the mask>, which Keras applies in layer 'c' (C) and predict does
/// not carry": the start of the error for a mask reaching `consumer`, a
/// layer that consumes it (consumesMask); each front end says how to avoid
/// it in its own words.
std::string consumedMaskMessage(const MaskState &mask,
                                const MaskLayer &consumer);

/// How to avoid a mask predict does not carry, in the front end's `verb`
/// ("save", "construct"): leave out the Masking layer that made it, or
/// give its Embedding mask_zero=False; or mask the input yourself.
std::string maskRemedy(const MaskState &mask, llvm::StringRef verb);

/// The error for a mask predict cannot follow (`mask.unknownAt`) reaching a
/// layer that honours it.
std::string unknownMaskMessage(const MaskState &mask);

/// Keras's masks of a layer's outputs (each class's compute_mask): `made`
/// when the layer makes one (Embedding, Masking); the sequence's mask on
/// a recurrent layer's output sequences; the input's on a layer that
/// passes it on; the `and` of the inputs' on a merging layer (built in
/// `body`; Keras 3's Concatenate: the `or`, none if an input has none);
/// none on a layer that drops it; unknown after any other layer.
/// `describe` names the layer in errors; `kerasMajor` is the Keras whose
/// rules apply (the file's writer; 3 for Python source).
llvm::Expected<llvm::SmallVector<MaskState>>
masksOfOutputs(const MaskLayer &layer, const llvm::json::Object &config,
               llvm::ArrayRef<MaskState> in, Value made, ValueRange results,
               OpBuilder &body, Location loc, llvm::StringRef describe,
               int kerasMajor);

} // namespace mlir::predict::keras

#endif // LIB_IMPORT_LAYERS_MASKS_H
