//===- ExternalWeights.cpp - weights kept out of LLVM's code --------------===//

#include "ExternalWeights.h"

#include "predict/Support/WeightBlobs.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace mlir::predict;

/// Weights of at least this many bytes are kept out of the code.
static constexpr size_t kExternalWeightBytes = 4096;

void runner::releaseWeights(ModuleOp module, ArrayRef<ExternalWeight> weights) {
  auto release = [](DenseResourceElementsAttr resource) {
    releaseValues(resource.getRawHandle());
  };
  module->walk([&](Operation *op) { op->getAttrDictionary().walk(release); });
  for (const ExternalWeight &weight : weights)
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(weight.values))
      release(resource);
}

std::vector<runner::ExternalWeight>
runner::externalizeWeights(ModuleOp module) {
  std::vector<ExternalWeight> weights;
  for (auto global : module.getOps<LLVM::GlobalOp>()) {
    auto values = dyn_cast_or_null<ElementsAttr>(global.getValueOrNull());
    if (!global.getConstant() || !values)
      continue;
    std::optional<ArrayRef<char>> bytes = weightBytes(values);
    uint64_t size = values.getNumElements() *
                    (values.getShapedType().getElementTypeBitWidth() / 8);
    if (!bytes || bytes->size() != size || size < kExternalWeightBytes)
      continue;
    // A declaration promises no more alignment than its values have (a
    // blob parsed from a file is aligned as the file says).
    uint64_t has = uint64_t(1) << llvm::countr_zero(
                       reinterpret_cast<uintptr_t>(bytes->data()));
    uint64_t alignment = global.getAlignment().value_or(1);
    if (has < alignment) {
      global.setAlignment(has);
      alignment = has;
    }
    global.removeValueAttr();
    global.setLinkage(LLVM::Linkage::External);
    weights.push_back({global.getSymName().str(), *bytes, alignment, values});
  }
  return weights;
}
