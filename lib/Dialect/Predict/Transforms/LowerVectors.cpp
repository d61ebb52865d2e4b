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
/// `transpose(broadcast(v : vector<R>) : vector<C x R>, [1, 0])`, a value per
/// row stretched along the row (how a row-wise reduction's result, softmax's
/// max or sum, is read back), becomes `broadcast(v as vector<R x 1>)`: R
/// splats, where lowering the transpose element by element took R x C
/// extracts and inserts.
struct RowBroadcastTranspose : OpRewritePattern<vector::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto broadcast =
        transpose.getVector().getDefiningOp<vector::BroadcastOp>();
    auto resultType = transpose.getResultVectorType();
    if (!broadcast || resultType.getRank() != 2 ||
        transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
      return failure();
    auto sourceType = dyn_cast<VectorType>(broadcast.getSourceType());
    if (!sourceType || sourceType.getRank() != 1 ||
        sourceType.getDimSize(0) != resultType.getDimSize(0))
      return failure();
    auto column = VectorType::get({resultType.getDimSize(0), 1},
                                  resultType.getElementType());
    Value asColumn = vector::ShapeCastOp::create(
        rewriter, transpose.getLoc(), column, broadcast.getSource());
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(transpose, resultType,
                                                     asColumn);
    return success();
  }
};

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
    // Row-wise reductions (softmax's max and sum over a row tile) become
    // one horizontal reduction per row, not a transpose of the tile.
    vector::populateVectorMultiReductionLoweringPatterns(
        first, vector::VectorMultiReductionLowering::InnerReduction);
    first.add<RowBroadcastTranspose>(ctx, /*benefit=*/2);
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
