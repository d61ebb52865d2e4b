//===- TilingUtils.h - helpers shared by predict's tiling passes --*- C++ -*-===//

#ifndef LIB_CODEGEN_TILINGUTILS_H
#define LIB_CODEGEN_TILINGUTILS_H

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::predict {

/// Tiles `root` and fuses producers into its tiles as `options` says
/// (scf::tileConsumerAndFuseProducersUsingSCF), marks every linalg op of the
/// tiles with the unit attribute `mark` (the op a later step of the pass
/// rewrites), replaces the uses of `root` by the tiled results and erases it
/// when nothing else uses it.
inline FailureOr<scf::SCFTileAndFuseResult>
tileFuseAndMark(RewriterBase &rewriter, linalg::LinalgOp root,
                const scf::SCFTileAndFuseOptions &options, StringRef mark) {
  rewriter.setInsertionPoint(root);
  auto tiled = scf::tileConsumerAndFuseProducersUsingSCF(
      rewriter, cast<TilingInterface>(root.getOperation()), options);
  if (failed(tiled))
    return failure();
  for (Operation *op : tiled->tiledAndFusedOps)
    if (isa<linalg::LinalgOp>(op))
      op->setAttr(mark, rewriter.getUnitAttr());
  for (OpResult result : root->getResults())
    if (Value replacement = tiled->replacements.lookup(result))
      rewriter.replaceAllUsesWith(result, replacement);
  if (root->use_empty())
    rewriter.eraseOp(root);
  return tiled;
}

/// Canonicalization and CSE over `module` (through `run`, the tiling
/// pass's runPipeline), with `tensor.dim` of op results resolved to the
/// dims of their operands first.
///
/// MLIR's CSE hashes an op with regions without its regions: the tile
/// loops of layers of one shape (the same bounds, steps and destination)
/// all fell in one bucket, and each was compared region by region with
/// every one before it, quadratic in the depth of the model (400 Dense
/// layers: 1.5 s of CSE). For the CSE, each operation with regions at a
/// function's top level carries an attribute of its own, which keeps the
/// loops apart; two layers' loops are never merged (the same layer applied
/// twice to the same value is computed twice).
inline LogicalResult
cleanUpModule(ModuleOp module,
              llvm::function_ref<LogicalResult(OpPassManager &)> run) {
  RewritePatternSet patterns(module.getContext());
  memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
  if (failed(applyPatternsGreedily(module, std::move(patterns))))
    return failure();
  static constexpr llvm::StringLiteral kApart = "predict.cse_apart";
  Builder builder(module.getContext());
  int64_t next = 0;
  module.walk([&](func::FuncOp func) {
    for (Block &block : func.getBody())
      for (Operation &op : block)
        if (op.getNumRegions() > 0)
          op.setAttr(kApart, builder.getI64IntegerAttr(next++));
  });
  OpPassManager pm("builtin.module");
  pm.addPass(predict::createPredictCanonicalizerPass());
  pm.addPass(createCSEPass());
  LogicalResult result = run(pm);
  module.walk([&](Operation *op) { op->removeAttr(kApart); });
  return result;
}

} // namespace mlir::predict

#endif // LIB_CODEGEN_TILINGUTILS_H
