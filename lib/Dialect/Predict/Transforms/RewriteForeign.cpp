//===- RewriteForeign.cpp - replace known foreign calls by predict ops ----===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTREWRITEFOREIGN
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

namespace {
struct RewriteKnownCall : OpRewritePattern<ForeignCallOp> {
  RewriteKnownCall(MLIRContext *ctx, bool &failed)
      : OpRewritePattern(ctx), failed(failed) {}
  LogicalResult matchAndRewrite(ForeignCallOp call,
                                PatternRewriter &rewriter) const override {
    const ForeignFunction *known = lookupForeignFunction(call.getCallee());
    if (!known)
      return rewriter.notifyMatchFailure(call, "not a known function");
    // An error at the call (emitted by the rewrite) fails the pass; a plain
    // mismatch leaves the call for predict-check-foreign.
    ScopedDiagnosticHandler count(call.getContext(), [&](Diagnostic &d) {
      if (d.getSeverity() == DiagnosticSeverity::Error)
        failed = true;
      return failure(); // and let it through to the user
    });
    return known->rewrite(call, rewriter);
  }
  bool &failed;
};

struct RewriteForeign
    : predict::impl::PredictRewriteForeignBase<RewriteForeign> {
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<tensor::TensorDialect>();
  }
  void runOnOperation() override {
    bool failed = false;
    RewritePatternSet patterns(&getContext());
    patterns.add<RewriteKnownCall>(&getContext(), failed);
    if (mlir::failed(applyPatternsGreedily(getOperation(), std::move(patterns))) ||
        failed)
      signalPassFailure();
  }
};
} // namespace
