//===- LowerVectors.cpp - vector ops on buffers to LLVM-ready forms -------===//

#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTLOWERVECTORS
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
struct LowerVectors : predict::impl::PredictLowerVectorsBase<LowerVectors> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Two rounds: canonicalization mixed with the lowering patterns can loop
    // on unit dimensions (../shared/MLIR22-NOTES.md), so each runs alone.
    RewritePatternSet first(ctx);
    vector::populateVectorContractLoweringPatterns(
        first, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(first);
    vector::populateVectorTransferPermutationMapLoweringPatterns(first);
    vector::populateVectorMultiReductionLoweringPatterns(
        first, vector::VectorMultiReductionLowering::InnerParallel);
    vector::populateVectorTransferLoweringPatterns(first, /*maxTransferRank=*/1);
    vector::populateVectorBroadcastLoweringPatterns(first);
    vector::populateVectorShapeCastLoweringPatterns(first);
    vector::populateVectorOuterProductLoweringPatterns(first);
    vector::populateVectorMaskOpLoweringPatterns(first);
    if (failed(applyPatternsGreedily(getOperation(), std::move(first))))
      return signalPassFailure();
  }
};
} // namespace
