//===- LowerVectors.cpp - vector ops on buffers to LLVM-ready forms -------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTLOWERVECTORS
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// `transpose(broadcast(src))` where the transpose keeps the source's own
/// dimensions in order (it only moves the dimensions the broadcast added) is
/// `broadcast(shape_cast(src))`: the source with unit dimensions where the
/// added ones land, stretched. Such transposes come from reading a value per
/// row along a row (a column of the input in an outer product, softmax's
/// max and sum); lowered element by element they took rows x columns
/// extracts and inserts, where a broadcast is a splat per row.
struct TransposeOfBroadcast : OpRewritePattern<vector::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto broadcast =
        transpose.getVector().getDefiningOp<vector::BroadcastOp>();
    if (!broadcast)
      return failure();
    VectorType resultType = transpose.getResultVectorType();
    auto sourceType = dyn_cast<VectorType>(broadcast.getSourceType());
    if (!sourceType) { // a scalar: the same splat in any order
      rewriter.replaceOpWithNewOp<vector::BroadcastOp>(transpose, resultType,
                                                       broadcast.getSource());
      return success();
    }
    int64_t added = resultType.getRank() - sourceType.getRank();
    SmallVector<int64_t> shape;
    int64_t next = 0; // the next source dimension expected, in order
    for (int64_t from : transpose.getPermutation()) {
      if (from < added) {
        shape.push_back(1);
        continue;
      }
      if (from - added != next++)
        return failure(); // a real transpose of the source's dimensions
      shape.push_back(sourceType.getDimSize(from - added));
    }
    Value reshaped = vector::ShapeCastOp::create(
        rewriter, transpose.getLoc(),
        VectorType::get(shape, sourceType.getElementType()),
        broadcast.getSource());
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(transpose, resultType,
                                                     reshaped);
    return success();
  }
};

/// `shape_cast(broadcast(src))` that only drops unit dimensions of the
/// broadcast's result (dimensions that are 1 in the source too) is
/// `broadcast(shape_cast(src))` without them: the splats stay splats.
struct ShapeCastOfBroadcast : OpRewritePattern<vector::ShapeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ShapeCastOp cast,
                                PatternRewriter &rewriter) const override {
    auto broadcast = cast.getSource().getDefiningOp<vector::BroadcastOp>();
    if (!broadcast)
      return failure();
    auto sourceType = dyn_cast<VectorType>(broadcast.getSourceType());
    VectorType wide = broadcast.getResultVectorType();
    VectorType narrow = cast.getResultVectorType();
    if (!sourceType || sourceType.getRank() != wide.getRank())
      return failure();
    // Walk both shapes: each dimension of `narrow` is the next of `wide`,
    // and the dimensions of `wide` skipped are units in the source.
    SmallVector<int64_t> shape;
    int64_t n = 0;
    for (int64_t w = 0; w < wide.getRank(); ++w) {
      if (n < narrow.getRank() &&
          wide.getDimSize(w) == narrow.getDimSize(n)) {
        shape.push_back(sourceType.getDimSize(w));
        ++n;
        continue;
      }
      if (wide.getDimSize(w) != 1)
        return failure();
    }
    if (n != narrow.getRank() || shape.size() == size_t(sourceType.getRank()))
      return failure();
    Value reshaped = vector::ShapeCastOp::create(
        rewriter, cast.getLoc(),
        VectorType::get(shape, sourceType.getElementType()),
        broadcast.getSource());
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(cast, narrow, reshaped);
    return success();
  }
};

struct LowerVectors : predict::impl::PredictLowerVectorsBase<LowerVectors> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // First, transfers with permutation maps become plain transfers with
    // broadcasts and transposes, and those that only stretch values become
    // broadcasts, before any of them is lowered element by element.
    RewritePatternSet permutations(ctx);
    vector::populateVectorTransferPermutationMapLoweringPatterns(permutations);
    permutations.add<TransposeOfBroadcast, ShapeCastOfBroadcast>(ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(permutations))))
      return signalPassFailure();
    // Then the lowering proper, on its own: canonicalization mixed with the
    // lowering patterns can loop on unit dimensions
    // (../shared/MLIR22-NOTES.md).
    RewritePatternSet first(ctx);
    vector::populateVectorContractLoweringPatterns(
        first, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(first);
    vector::populateVectorTransferPermutationMapLoweringPatterns(first);
    // Row-wise reductions (softmax's max and sum over a row tile) become
    // one horizontal reduction per row, not a transpose of the tile.
    vector::populateVectorMultiReductionLoweringPatterns(
        first, vector::VectorMultiReductionLowering::InnerReduction);
    first.add<TransposeOfBroadcast, ShapeCastOfBroadcast>(ctx);
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
