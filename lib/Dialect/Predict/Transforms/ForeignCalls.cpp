//===- ForeignCalls.cpp - rewrite known foreign calls; report the rest ----===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTREWRITEFOREIGN
#define GEN_PASS_DEF_PREDICTCHECKFOREIGN
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

struct CheckForeign : predict::impl::PredictCheckForeignBase<CheckForeign> {
  void runOnOperation() override {
    bool found = false;
    getOperation().walk([&](ForeignCallOp call) {
      found = true;
      StringRef callee = call.getCallee();
      InFlightDiagnostic diag =
          call.emitError() << "call to foreign function '" << callee
                           << "' cannot be compiled into the graph";
      diag.attachNote()
          << "'" << callee << "' is a Python function, not a predict "
          << "operation: compiled code cannot run it";
      if (const ForeignFunction *known = lookupForeignFunction(callee))
        diag.attachNote() << "predict knows a native rewrite of '" << callee
                          << "' (into " << known->becomes
                          << "): compile with --foreign=rewrite";
      else
        diag.attachNote() << "predict knows no native rewrite of '" << callee
                          << "' (docs/ForeignCalls.md lists those it knows)";
      if (whyNoCallback(call).empty())
        diag.attachNote() << "or call it on the host: --foreign=callback "
                             "with a --foreign-lib exporting "
                          << callbackSymbol(callee)
                          << " (include/predict/Runtime/ForeignCallback.h)";
      diag.attachNote()
          << "or rewrite the call with tf.* operations, or keep the model "
             "in Python for this step";
    });
    if (found)
      signalPassFailure();
  }
};
} // namespace
