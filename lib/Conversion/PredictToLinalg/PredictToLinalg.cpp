//===- PredictToLinalg.cpp - the convert-predict-to-linalg pass -----------===//

#include "predict/Conversion/PredictToLinalg/PredictToLinalg.h"
#include "LoweringUtils.h"
#include "Patterns.h"
#include "predict/Conversion/Passes.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::predict {
#define GEN_PASS_DEF_CONVERTPREDICTTOLINALG
#include "predict/Conversion/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

void predict::populatePredictToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  lowering::populateLayerPatterns(patterns);
  lowering::populateLayerNormPatterns(patterns);
  lowering::populateElementwisePatterns(patterns);
  lowering::populateShapePatterns(patterns);
  lowering::populateConvolvePatterns(patterns);
  lowering::populateConvPatterns(patterns);
  lowering::populatePoolingPatterns(patterns);
  lowering::populateReshapingPatterns(patterns);
  lowering::populateEmbeddingPatterns(patterns);
  lowering::populateBatchDotPatterns(patterns);
  lowering::populateRecurrentPatterns(patterns);
  lowering::populateReductionPatterns(patterns);
}

/// Why `op` cannot be lowered here, or an empty string. The conversion
/// framework would only say "failed to legalize"; the user deserves the
/// reason and the way out.
static std::string whyNotLowered(Operation *op) {
  std::string why =
      TypeSwitch<Operation *, std::string>(op)
          .Case<ForOp, YieldOp, ListEmptyOp, ListAppendOp, ListConcatOp,
                ListStackOp>([](Operation *) {
            return "Python loops and lists are lowered by "
                   "predict-lower-loops, which must run first";
          })
          .Case<PrintOp>([](Operation *) {
            return "prints are lowered by predict-lower-print, which must "
                   "run first";
          })
          .Case<ForeignCallOp>([](ForeignCallOp call) {
            return "call to foreign function '" + call.getCallee().str() +
                   "' cannot be compiled into the graph: it is not a predict "
                   "operation";
          })
          .Case<ConvolveOp>([](ConvolveOp conv) -> std::string {
            auto kernel = cast<RankedTensorType>(conv.getKernel().getType());
            if (kernel.hasStaticShape())
              return "";
            return "convolution needs a kernel of static shape, got " +
                   llvm::formatv("{0}", kernel).str();
          })
          .Case<ConvOp, ConvTransposeOp>(
              [](Operation *conv) { return lowering::whyConvNotLowered(conv); })
          .Case<ModelOp, MethodOp, ReturnOp, ModelCallOp, ModelPredictOp,
                MethodCallOp, ApplyOp>([](Operation *) {
            return "models, methods and layers are resolved by "
                   "predict-inline-models, which must run first";
          })
          .Default([](Operation *) { return ""; });
  if (!why.empty())
    return why;
  for (Type type : llvm::concat<Type>(llvm::to_vector(op->getOperandTypes()),
                                      llvm::to_vector(op->getResultTypes()))) {
    if (isa<UnrankedTensorType>(type))
      return "the shape of a value is unknown at compile time (" +
             llvm::formatv("{0}", type).str() +
             "); give the entry function a ranked signature and run "
             "predict-shape-inference first";
  }
  return "";
}

/// A tensor.cast that makes a size static (one a front end or a user wrote,
/// or LowerLoops' cast of a joined list to its declared type) is a claim the
/// compiler has not proven: it is checked at run time where it is made.
static void checkNarrowingCasts(ModuleOp module) {
  SmallVector<tensor::CastOp> casts;
  module.walk([&](tensor::CastOp cast) {
    auto from = dyn_cast<RankedTensorType>(cast.getSource().getType());
    auto to = dyn_cast<RankedTensorType>(cast.getType());
    if (!from || !to)
      return;
    for (int64_t d = 0; d < to.getRank(); ++d)
      if (from.isDynamicDim(d) && !to.isDynamicDim(d))
        return casts.push_back(cast);
  });
  for (tensor::CastOp cast : casts) {
    OpBuilder b(cast);
    Value checked = lowering::castChecked(b, cast.getLoc(), cast.getSource(),
                                          cast.getType(), "the value");
    cast.replaceAllUsesWith(checked);
    cast.erase();
  }
}

namespace {
struct ConvertPredictToLinalg
    : predict::impl::ConvertPredictToLinalgBase<ConvertPredictToLinalg> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool failed = false;
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (!isa<PredictDialect>(op->getDialect()))
        return WalkResult::advance();
      std::string why = whyNotLowered(op);
      if (why.empty())
        return WalkResult::advance();
      op->emitError() << why;
      failed = true;
      // Report each refused op once, not the ops nested in it (pre-order).
      return WalkResult::skip();
    });
    if (failed)
      return signalPassFailure();

    checkNarrowingCasts(module);

    ConversionTarget target(getContext());
    // Every predict computation is lowered; nothing else changes. The
    // run-time checks stay: the run-time error channel lowers them.
    target.addIllegalDialect<PredictDialect>();
    target.addLegalOp<AssertOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populatePredictToLinalgConversionPatterns(patterns);
    if (mlir::failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
