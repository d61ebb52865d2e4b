//===- Canonicalize.cpp - The canonicalizer predict runs --------------===//
//
// Upstream's canonicalizer, without the patterns that are wrong for some
// program predict compiles (Passes.h, unsoundCanonicalizations).
//
//===----------------------------------------------------------------------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Transforms/Passes.h"

using namespace mlir;

ArrayRef<std::string> predict::unsoundCanonicalizations() {
  static const std::string labels[] = {
      "(anonymous namespace)::ForOpTensorCastFolder",
      "{anonymous}::ForOpTensorCastFolder",
  };
  return labels;
}

std::unique_ptr<Pass> predict::createPredictCanonicalizerPass() {
  return createCanonicalizerPass(GreedyRewriteConfig(),
                                 unsoundCanonicalizations());
}
