//===- FoldZeroSize.cpp - fold away computations over zero-size dims ------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTFOLDZEROSIZE
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// A linalg op on tensors with a loop of static size 0 runs no iteration:
/// its results are its inits (a reduction over nothing leaves the
/// accumulator as it was; an output with no elements is its empty init).
struct FoldEmptyIterationSpace
    : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op->getNumResults() == 0 ||
        !llvm::is_contained(op.getStaticLoopRanges(), 0))
      return failure();
    SmallVector<Value> inits;
    for (OpOperand &init : op.getDpsInitsMutable())
      inits.push_back(init.get());
    if (inits.size() != op->getNumResults())
      return failure();
    rewriter.replaceOp(op, inits);
    return success();
  }
};

/// A tensor constant with no elements is an empty tensor of its type.
struct EmptyConstant : OpRewritePattern<arith::ConstantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::ConstantOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!type || !type.hasStaticShape() || type.getNumElements() != 0)
      return failure();
    rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, type.getShape(),
                                                 type.getElementType());
    return success();
  }
};

struct FoldZeroSize : predict::impl::PredictFoldZeroSizeBase<FoldZeroSize> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldEmptyIterationSpace, EmptyConstant>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
