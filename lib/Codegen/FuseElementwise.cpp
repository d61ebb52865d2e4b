//===- FuseElementwise.cpp - elementwise fusion that keeps contractions ---===//
//
// Upstream's linalg-fuse-elementwise-ops with one control: a reshape is
// never propagated into (or out of) an op with reduction loops. See the
// pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTFUSEELEMENTWISE
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// Whether `op` is a linalg op whose payload reads its output's initial
/// value (`in + out`: a reduction, even over no loops, as a sum of a 0-d
/// tensor over no axes is).
bool readsItsOutput(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp &&
         llvm::any_of(linalgOp.getDpsInitsMutable(), [&](OpOperand &init) {
           return linalgOp.payloadUsesValueFromOperand(&init);
         });
}

/// Upstream's rule: fuse a producer only into its one user (a producer
/// with other users would be computed twice). And never a producer that
/// reads its output: upstream fused the 0-loop `in + out` of
/// tf.reduce_sum of a scalar into a consumer's loop, where it summed
/// again at every element (`tf.ones([4]) * tf.reduce_sum(s)` gave s * [1
/// 2 3 4]; helper-100).
bool producerHasOneUse(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  return producer && producer->hasOneUse() && !readsItsOutput(producer);
}

/// Whether `op` is a linalg op with a reduction loop (a contraction, a
/// convolution, a row sum).
bool reduces(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() != 0;
}

/// Whether `op` is the epilogue of a contraction: a generic that reads the
/// result of an op with reduction loops. A reshape moved across it changes
/// its rank (a 1x1 convolution's bias on the matmul's rows became a 4-D
/// generic after the reshape), and the tiling of the contraction no longer
/// finds it to apply in registers.
bool isEpilogue(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && llvm::any_of(generic.getDpsInputs(), [](Value v) {
           return reduces(v.getDefiningOp());
         });
}

struct FuseElementwise
    : predict::impl::PredictFuseElementwiseBase<FuseElementwise> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(patterns, producerHasOneUse);
    // A reshape folded by expansion into a contraction turns a Dense
    // layer's matmul into a generic over more reduction dimensions (Flatten
    // then Dense: 28x28 of them), which tiling no longer knows as a matmul.
    linalg::populateFoldReshapeOpsByExpansionPatterns(
        patterns, [](OpOperand *fused) {
          Operation *producer = fused->get().getDefiningOp();
          return producerHasOneUse(fused) && !reduces(producer) &&
                 !reduces(fused->getOwner()) && !isEpilogue(producer) &&
                 !isEpilogue(fused->getOwner());
        });
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
        patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, producerHasOneUse);
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
  }
};
} // namespace
