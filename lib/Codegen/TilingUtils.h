//===- TilingUtils.h - helpers shared by predict's tiling passes --*- C++ -*-===//

#ifndef LIB_CODEGEN_TILINGUTILS_H
#define LIB_CODEGEN_TILINGUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"

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

} // namespace mlir::predict

#endif // LIB_CODEGEN_TILINGUTILS_H
