//===- ElementwiseToLinalg.cpp - elementwise ops on tensors to linalg ----===//
//
// Upstream's convert-elementwise-to-linalg, leaving out what is not
// elementwise: a select of whole tensors on one condition (Passes.td).
//
//===----------------------------------------------------------------------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTELEMENTWISETOLINALG
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// Whether `op` is converted: elementwise on ranked tensors, and not a
/// select on one i1 (which chooses a whole tensor).
bool isElementwiseOnTensors(Operation *op) {
  if (!OpTrait::hasElementwiseMappableTraits(op) ||
      !llvm::any_of(op->getOperandTypes(), llvm::IsaPred<RankedTensorType>))
    return false;
  if (auto select = dyn_cast<arith::SelectOp>(op))
    return isa<ShapedType>(select.getCondition().getType());
  return true;
}

struct ElementwiseToLinalg
    : predict::impl::PredictElementwiseToLinalgBase<ElementwiseToLinalg> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.markUnknownOpDynamicallyLegal(
        [](Operation *op) { return !isElementwiseOnTensors(op); });
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
