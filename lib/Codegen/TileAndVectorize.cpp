//===- TileAndVectorize.cpp - tile contractions with epilogues, vectorize -===//

#include "PackKernels.h"
#include "TilingUtils.h"
#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTTILEANDVECTORIZE
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

/// Marks the ops of a tile that are to be vectorized.
static constexpr StringLiteral kVectorize = "predict.vectorize";
/// Marks the root of a tile loop (the op tiled, not a fused producer), so
/// that its copy in the peeled remainder can be found.
static constexpr StringLiteral kTileRoot = "predict.tile_root";
/// Marks the peeled remainder of a row-tile loop while the loop around it is
/// peeled (and copies it).
static constexpr StringLiteral kRowsRemainder = "predict.rows_remainder";
/// Row tiles of a fused row-wise chain (softmax) hold at most this many
/// elements: 32 vector registers of 16 floats.
static constexpr int64_t kMaxRowTileElems = 512;
/// A tile op is vectorized only if its iteration space has at most this
/// many elements; a larger one stays a loop nest (slower, never wrong).
/// Vectors unrolled at LLVM's level grow its IR, and its compile time, in
/// their number of elements: one of 8x300x28x28 took minutes and 8 GB.
static constexpr int64_t kMaxVectorElems = 4096;

namespace {
/// The elementwise generic that is the only user of `matmul`'s result, if
/// any: the bias and activation epilogue of a Dense layer.
linalg::GenericOp epilogueOf(linalg::MatmulOp matmul) {
  Value result = matmul.getResult(0);
  if (!result.hasOneUse())
    return {};
  auto generic = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
  if (!generic || generic.getNumLoops() != 2 ||
      generic.getNumReductionLoops() != 0 || generic.getNumDpsInits() != 1)
    return {};
  for (OpOperand *input : generic.getDpsInputOperands())
    if (input->get() == result &&
        !generic.getMatchingIndexingMap(input).isIdentity())
      return {};
  return generic;
}

/// Whether `op` keeps rows apart: a 2-D generic whose first loop is parallel
/// and reads every operand defined in `chain` at the row it writes.
bool keepsRows(linalg::GenericOp op, const llvm::SetVector<Operation *> &chain) {
  if (op.getNumLoops() != 2 ||
      op.getIteratorTypesArray()[0] != utils::IteratorType::parallel)
    return false;
  AffineExpr row = getAffineDimExpr(0, op.getContext());
  for (OpOperand &operand : op->getOpOperands()) {
    bool inChain = chain.contains(operand.get().getDefiningOp());
    if (!inChain && !op.isDpsInit(&operand))
      continue; // a weight or bias: read whole, not by row
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (map.getNumResults() == 0 || map.getResult(0) != row)
      return false;
  }
  return true;
}

/// The last op of a row-wise chain that starts at `start` (a Dense layer's
/// output): generics that keep rows apart, such as softmax's max, exp, sum
/// and division, each reading only what `start` and the chain compute, with
/// one op (the sink) whose result leaves the chain. Tiling the sink by rows
/// alone fuses the whole chain, and the contraction, into one row tile: the
/// softmax runs on rows while they are in registers. Null if there is no
/// such chain, or if its rows are too wide for registers (`maxTileElems`).
linalg::GenericOp rowChainSink(Operation *start, int64_t tileRows,
                               int64_t maxTileElems) {
  llvm::SetVector<Operation *> chain;
  chain.insert(start);
  for (size_t i = 0; i < chain.size(); ++i)
    for (Operation *user : chain[i]->getUsers()) {
      auto generic = dyn_cast<linalg::GenericOp>(user);
      if (generic && !chain.contains(user) && keepsRows(generic, chain))
        chain.insert(user);
    }
  linalg::GenericOp sink;
  for (Operation *op : chain) {
    bool leaves = llvm::any_of(op->getUsers(), [&](Operation *user) {
      return !chain.contains(user);
    });
    if (!leaves)
      continue;
    if (sink || op == start)
      return {}; // more than one value leaves: not a chain to fuse
    sink = cast<linalg::GenericOp>(op);
  }
  if (!sink || sink.getNumReductionLoops() != 0 || sink.getNumDpsInits() != 1)
    return {};
  SmallVector<int64_t> bounds = sink.getStaticLoopRanges();
  if (ShapedType::isDynamic(bounds[1]) || tileRows * bounds[1] > maxTileElems)
    return {};
  // Every other op of the chain feeds the sink (its values leave only
  // through it), so fusing producers into the sink's tile takes them all.
  return sink;
}

/// Whether `map` reads some dimension backwards (`-d0 + 1`, a flip).
bool readsBackwards(AffineMap map) {
  bool backwards = false;
  for (AffineExpr result : map.getResults())
    result.walk([&](AffineExpr e) {
      auto mul = dyn_cast<AffineBinaryOpExpr>(e);
      if (mul && mul.getKind() == AffineExprKind::Mul)
        if (auto c = dyn_cast<AffineConstantExpr>(mul.getRHS()))
          backwards |= c.getValue() < 0;
    });
  return backwards;
}

/// Whether `op` has a reduction loop (a contraction, a convolution, a sum).
bool reduces(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() != 0;
}

/// Tile-and-fuse options with three limits on what is fused into a tile.
/// A producer with effects, or with regions other than a linalg op's, is
/// not fused (below).
/// A producer that reads an operand backwards is not fused: upstream tiling
/// computes a wrong operand slice for such maps (the flip of a convolution
/// kernel, `(d0, d1) -> (-d0, -d1 + 1)`, fused into a row tile got a 1x1
/// slice of its 1x2 kernel, an invalid op; found by the differential test).
/// A producer that reduces is fused only if it is `matmul` or if the tiles
/// are whole rows (`sizes` tile the first loop alone): a tile of some
/// columns needs whole rows of such a producer, which would be computed
/// again for every column tile. Such producers run whole, before the loop.
scf::SCFTileAndFuseOptions fuseOptions(const scf::SCFTilingOptions &tiling,
                                       Operation *matmul,
                                       ArrayRef<OpFoldResult> sizes) {
  bool rowsOnly = llvm::all_of(sizes.drop_front(), isZeroInteger);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [=](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        Operation *op = producer.getOwner();
        // What cannot be cut into tiles stays whole, before the loop: a
        // loop or branch (scf.for, scf.if) would be cloned into every tile
        // and run again for each (upstream fuses it whole), repeating its
        // prints and host callbacks (helper-98), and an op with effects
        // must run once.
        if (!isMemoryEffectFree(op) ||
            (op->getNumRegions() && !isa<linalg::LinalgOp>(op)))
          return std::nullopt;
        auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
        if (linalgOp &&
            llvm::any_of(linalgOp.getIndexingMapsArray(), readsBackwards))
          return std::nullopt;
        if (reduces(op) && op != matmul && !rowsOnly)
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  return options;
}

/// Records the ops a rewriter erases, and those it inserts that are live.
struct ErasedOps : RewriterBase::Listener {
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint) override {
    live.insert(op);
    inserted.push_back(op);
  }
  void notifyOperationErased(Operation *op) override {
    ops.insert(op);
    live.erase(op);
  }
  /// The live ops inserted since the last call, once each.
  SmallVector<Operation *> takeInserted() {
    SmallVector<Operation *> result;
    DenseSet<Operation *> seen;
    for (Operation *op : inserted)
      if (live.contains(op) && seen.insert(op).second)
        result.push_back(op);
    inserted.clear();
    live.clear();
    return result;
  }
  DenseSet<Operation *> ops;
  DenseSet<Operation *> live;
  SmallVector<Operation *> inserted;
};

struct TileAndVectorize
    : predict::impl::PredictTileAndVectorizeBase<TileAndVectorize> {
  using PredictTileAndVectorizeBase::PredictTileAndVectorizeBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    // Sizes read off a matmul's result (`tensor.dim`) would count as uses
    // that keep its epilogue from fusing: resolve them first.
    if (failed(cleanUp()))
      return signalPassFailure();
    // Each matmul is tiled in turn, in program order. Tiling one root can
    // fuse, and leave unused, other matmuls (an Add of two Dense layers):
    // erasures are recorded so that an erased matmul is not visited. Only
    // what tiling a matmul touched is cleaned up after it (the sizes read
    // off it); the module is cleaned up once at the end. A module-wide
    // clean-up after each matmul made compile time quadratic in the number
    // of layers (300 layers: minutes).
    ErasedOps erased;
    rewriter.setListener(&erased);
    SmallVector<linalg::MatmulOp> matmuls;
    module.walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    for (linalg::MatmulOp matmul : matmuls) {
      erased.takeInserted();
      if (erased.ops.contains(matmul))
        continue;
      // A matmul fused into its consumer's tiles is left behind unused.
      if (matmul->use_empty()) {
        rewriter.eraseOp(matmul);
        continue;
      }
      // On failure it is left as it is: slower, never wrong.
      if (failed(tileAndFuse(rewriter, matmul)) ||
          erased.ops.contains(matmul))
        continue;
      if (failed(cleanUpTiles(matmul, erased)))
        return signalPassFailure();
      if (!erased.ops.contains(matmul) && matmul->use_empty())
        rewriter.eraseOp(matmul);
    }
    rewriter.setListener(nullptr);
    module.walk([&](Operation *op) { op->removeAttr(kTileRoot); });
    if (failed(cleanUp()))
      return signalPassFailure();

    SmallVector<linalg::MatmulOp> tiledMatmuls;
    module.walk([&](linalg::MatmulOp op) {
      if (op->hasAttr(kVectorize))
        tiledMatmuls.push_back(op);
    });
    // Constant kernels in the layout of the column tiles, before the
    // reduction is tiled: each step then reads contiguous values.
    predict::KernelPacker(tileCols).pack(rewriter, module, tiledMatmuls);
    for (linalg::MatmulOp matmul : tiledMatmuls)
      if (failed(tileReduction(rewriter, matmul)))
        return signalPassFailure();

    // Every tile op's sizes are bounded before any op is vectorized: a
    // masked write's result hides the size of the slice it wrote (no value
    // bounds through vector.mask), and the steps of a partial column tile
    // (a matmul whose columns are known only at run time, the batch of
    // `tf.einsum("nk,bk->bn", w, x)`) stayed scalar loops, a multiply and
    // an add rounded apart beside the full tiles' FMAs: a column's bits
    // depended on the batch (helper-113).
    SmallVector<std::pair<linalg::LinalgOp, SmallVector<int64_t>>> toVectorize;
    module.walk([&](linalg::LinalgOp op) {
      if (!op->hasAttr(kVectorize))
        return;
      if (std::optional<SmallVector<int64_t>> sizes = plannedVectorSizes(op))
        toVectorize.emplace_back(op, std::move(*sizes));
      else
        op->removeAttr(kVectorize);
    });
    for (auto &[op, sizes] : toVectorize)
      vectorize(rewriter, op, sizes);

    // Slices fold into transfers; then the accumulator's transfers are
    // invariant in the reduction loop and move out of it. The unit reduction
    // dimension of each outer product is dropped, so that a step is a
    // broadcast column times a kernel row: one FMA per accumulator row.
    RewritePatternSet patterns(&getContext());
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    vector::populateDropUnitDimWithShapeCastPatterns(patterns);
    vector::populateDropInnerMostUnitDimsXferOpPatterns(patterns);
    vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    vector::populateSinkVectorOpsPatterns(patterns);
    if (failed(applyPatternsGreedily(module, std::move(patterns))) ||
        failed(cleanUp()))
      return signalPassFailure();
    module.walk([&](scf::ForOp loop) {
      hoistLoopInvariantSubsets(rewriter, loop);
    });
    // Masked transfers take their mask as an operand: no vector.mask region
    // is left for bufferization to trip over.
    RewritePatternSet masks(&getContext());
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(masks);
    if (failed(applyPatternsGreedily(module, std::move(masks))) ||
        failed(cleanUp()))
      return signalPassFailure();
  }

  /// Tiles the epilogue of `matmul` (or the matmul itself) into output tiles,
  /// fuses the matmul and its fill into the tile loop, and peels the loops so
  /// that full tiles are static.
  LogicalResult tileAndFuse(RewriterBase &rewriter, linalg::MatmulOp matmul) {
    linalg::LinalgOp root = epilogueOf(matmul);
    if (!root)
      root = matmul;
    // A row-wise chain after the layer (softmax) joins the tile: tiles are
    // then whole rows.
    bool wholeRows = false;
    if (linalg::GenericOp sink =
            rowChainSink(root, tileRows, kMaxRowTileElems)) {
      root = sink;
      wholeRows = true;
    }
    root->setAttr(kTileRoot, rewriter.getUnitAttr());
    // The work of one row tile of `width` columns, for
    // predict-parallelize-tiles (0: unknown).
    auto lhs = cast<ShapedType>(matmul.getDpsInputOperand(0)->get().getType());
    auto out = cast<ShapedType>(matmul.getDpsInitOperand(0)->get().getType());
    int64_t k = lhs.getDimSize(1), n = out.getDimSize(1);
    auto rowTileFlops = [&](int64_t width) -> int64_t {
      return ShapedType::isDynamic(k) || ShapedType::isDynamic(width)
                 ? 0
                 : 2 * tileRows * k * width;
    };
    SmallVector<OpFoldResult> sizes{rewriter.getIndexAttr(tileRows),
                                    rewriter.getIndexAttr(wholeRows ? 0 : tileCols)};
    if (root == matmul)
      sizes.push_back(rewriter.getIndexAttr(0));
    // Column tiles outside, row tiles inside: a column tile of the kernel
    // (K x cols: 256 KB for K = 1024, cols = 64) stays in L2 while every row
    // tile of the batch reads it; the other order read the whole kernel
    // again for each row tile.
    bool columnsOutside = !wholeRows;
    auto tiled = tileRoot(rewriter, root, sizes, matmul, columnsOutside);
    if (failed(tiled))
      return failure(); // left as it is: slower, never wrong
    auto loopOf = [&](size_t i) {
      return i < tiled->loops.size()
                 ? dyn_cast<scf::ForOp>(tiled->loops[i].getOperation())
                 : scf::ForOp();
    };
    scf::ForOp rows = loopOf(columnsOutside ? 1 : 0);
    scf::ForOp cols = loopOf(columnsOutside ? 0 : 1);
    // Peel the rows loop, then the columns loop: full tiles get static
    // shapes; partial ones stay in the peeled remainders (with columns
    // outside, the columns' remainder holds a copy of both rows loops).
    scf::ForOp rowsRemainder, colsRemainder;
    if (rows && succeeded(scf::peelForLoopAndSimplifyBounds(rewriter, rows,
                                                            rowsRemainder)))
      rowsRemainder->setAttr(kRowsRemainder, rewriter.getUnitAttr());
    // Full row tiles write disjoint rows of the output: threads may share
    // them out. Marked before the columns loop is peeled, so that the copy
    // in its remainder is shared out too.
    if (rows)
      rows->setAttr(
          predict::kParallelFlopsAttr,
          rewriter.getI64IntegerAttr(rowTileFlops(cols ? tileCols : n)));
    if (cols) {
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, cols, colsRemainder);
      // Full column tiles write disjoint columns: threads may share them out
      // instead (each thread then reads its own columns of the kernel).
      if (rows)
        cols->setAttr(predict::kParallelColumnsAttr, rewriter.getUnitAttr());
    }
    // The row tiles of the last columns are narrower.
    if (colsRemainder)
      colsRemainder.walk([&](scf::ForOp loop) {
        if (loop->hasAttr(predict::kParallelFlopsAttr))
          loop->setAttr(predict::kParallelFlopsAttr,
                        rewriter.getI64IntegerAttr(rowTileFlops(
                            ShapedType::isDynamic(n) ? n : n % tileCols)));
      });
    // The last rows of a batch (fewer than a tile) go two at a time, then
    // one (tileRemainderRows): static tiles, so no tile needs masks, and a
    // batch of 1 runs unmasked. They are the tile roots in the rows'
    // remainder and in its copy in the columns' remainder.
    SmallVector<linalg::LinalgOp> partialRows;
    auto collect = [&](scf::ForOp remainder) {
      llvm::append_range(partialRows, tileRootsIn(remainder));
    };
    if (colsRemainder)
      colsRemainder.walk([&](scf::ForOp loop) {
        if (loop->removeAttr(kRowsRemainder))
          collect(loop);
      });
    if (rowsRemainder) {
      rowsRemainder->removeAttr(kRowsRemainder);
      collect(rowsRemainder);
    }
    for (linalg::LinalgOp partial : partialRows)
      tileRemainderRows(rewriter, partial, matmul);
    return success();
  }

  /// Tiles `partial`, the tile root of fewer rows than a full tile (the
  /// batch's last B mod tileRows rows), by rows: two rows at a time, and the
  /// odd last row alone. One row of accumulators (cols / lanes vectors) is
  /// bound by the latency of its chains of FMAs, at half the FMA units'
  /// throughput on a core with two (4 cycles a step for 4 FMAs); two rows
  /// keep both units busy. (At K = 4096 a batch of 5 is still 4x slower
  /// than one of 6: each remainder tile reads its column panel of the
  /// kernel again; K is not blocked.) Every tile sums its products in the same
  /// order as a full tile: a row's result does not depend on the batch size. On
  /// failure the masked tile stays: slower, never wrong.
  void tileRemainderRows(RewriterBase &rewriter, linalg::LinalgOp partial,
                         Operation *matmul) {
    auto byRows = [&](linalg::LinalgOp root, int64_t rows) {
      SmallVector<OpFoldResult> sizes(root.getNumLoops(),
                                      rewriter.getIndexAttr(0));
      sizes[0] = rewriter.getIndexAttr(rows);
      return tileRoot(rewriter, root, sizes, matmul, /*columnsOutside=*/false);
    };
    // A matmul with no epilogue is its own tile root: tiled by two rows,
    // the size of its tiles stayed an affine.min that peeling did not
    // simplify, so that its pairs were masked tiles summing in another
    // order than the others (helper-112: rows whose bits depended on the
    // batch) with the accumulator in memory. Its last rows go one at a time.
    if (tileRows <= 2 || isa<linalg::MatmulOp>(partial)) {
      (void)byRows(partial, 1);
      return;
    }
    auto pairs = byRows(partial, 2);
    if (failed(pairs) || pairs->loops.empty())
      return;
    auto loop = dyn_cast<scf::ForOp>(pairs->loops.front().getOperation());
    scf::ForOp last;
    if (!loop ||
        failed(scf::peelForLoopAndSimplifyBounds(rewriter, loop, last)))
      return;
    for (linalg::LinalgOp root : tileRootsIn(last))
      (void)byRows(root, 1);
  }

  /// The tile roots (kTileRoot) in `loop`: the copies of a root that peeling
  /// put there.
  static SmallVector<linalg::LinalgOp> tileRootsIn(scf::ForOp loop) {
    SmallVector<linalg::LinalgOp> roots;
    loop.walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kTileRoot))
        roots.push_back(op);
    });
    return roots;
  }

  /// Tiles `root` by `sizes`, fusing its producers into the tile loops
  /// (within `fuseOptions`' limits); marks the tiled ops for vectorization
  /// and replaces `root`'s uses. With `columnsOutside`, the loop over the
  /// second dimension is the outer one.
  FailureOr<scf::SCFTileAndFuseResult> tileRoot(RewriterBase &rewriter,
                                                linalg::LinalgOp root,
                                                ArrayRef<OpFoldResult> sizes,
                                                Operation *matmul,
                                                bool columnsOutside) {
    scf::SCFTilingOptions tiling;
    tiling.setTileSizes(sizes);
    if (columnsOutside) {
      SmallVector<int64_t> order{1, 0};
      for (int64_t d = 2, e = sizes.size(); d < e; ++d)
        order.push_back(d);
      tiling.setInterchange(order);
    }
    scf::SCFTileAndFuseOptions options = fuseOptions(tiling, matmul, sizes);
    return predict::tileFuseAndMark(rewriter, root, options, kVectorize);
  }

  /// Tiles the reduction of a tiled matmul by 1: each step is an outer
  /// product.
  LogicalResult tileReduction(RewriterBase &rewriter, linalg::MatmulOp matmul) {
    scf::SCFTilingOptions tiling;
    tiling.setTileSizes({rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
                         rewriter.getIndexAttr(1)});
    rewriter.setInsertionPoint(matmul);
    auto tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(matmul.getOperation()), tiling);
    if (failed(tiled))
      return matmul->emitError("predict-tile-and-vectorize: cannot tile the "
                               "reduction");
    for (Operation *op : tiled->tiledOps)
      op->setAttr(kVectorize, rewriter.getUnitAttr());
    rewriter.replaceOp(matmul, tiled->replacements);
    return success();
  }

  /// A constant upper bound of loop `d` of `op`'s iteration space, from the
  /// sizes of the operands it spans (an `affine.min` of a partial tile's
  /// slice), or nullopt when none is bounded.
  static std::optional<int64_t> loopUpperBound(linalg::LinalgOp op,
                                               unsigned d) {
    std::optional<int64_t> best;
    for (OpOperand &operand : op->getOpOperands()) {
      auto type = dyn_cast<ShapedType>(operand.get().getType());
      if (!type)
        continue;
      AffineMap map = op.getMatchingIndexingMap(&operand);
      for (auto [i, e] : llvm::enumerate(map.getResults())) {
        auto dim = dyn_cast<AffineDimExpr>(e);
        if (!dim || dim.getPosition() != d)
          continue;
        FailureOr<int64_t> ub =
            type.isDynamicDim(i)
                ? ValueBoundsConstraintSet::computeConstantBound(
                      presburger::BoundType::UB,
                      ValueBoundsConstraintSet::Variable(operand.get(), i),
                      /*stopCondition=*/nullptr, /*closedUB=*/true)
                : FailureOr<int64_t>(type.getDimSize(i));
        if (succeeded(ub) && (!best || *ub < *best))
          best = *ub;
      }
    }
    return best;
  }

  /// The vector sizes of a tile op (empty for static shapes: exact
  /// vectors), the sizes bounding its dynamic loops (loopUpperBound) for a
  /// partial tile (masked vectors), or nullopt for an op that stays a loop
  /// nest: one with an unbounded loop or too large a vector.
  static std::optional<SmallVector<int64_t>>
  plannedVectorSizes(linalg::LinalgOp op) {
    SmallVector<int64_t> bounds = op.getStaticLoopRanges();
    SmallVector<int64_t> vectorSizes;
    bool dynamic = false;
    for (auto [d, size] : llvm::enumerate(bounds)) {
      if (!ShapedType::isDynamic(size)) {
        vectorSizes.push_back(size);
        continue;
      }
      // A masked vector covers at most its size: the loop's extent must be
      // bounded by it. The tiled loops of a partial tile are (by the tile's
      // sizes); a loop of a fused producer over the whole of a dynamic
      // size is not (the K rows of a matmul's kernel computed in the tile:
      // a vector of the tile's rows computed 6 of them and left the rest
      // unwritten, a silent wrong result).
      std::optional<int64_t> bound = loopUpperBound(op, d);
      if (!bound)
        return std::nullopt; // left to the loops: slower, never wrong
      dynamic = true;
      vectorSizes.push_back(*bound);
    }
    int64_t elems = 1;
    for (int64_t size : vectorSizes)
      elems = size > kMaxVectorElems ? kMaxVectorElems + 1
                                     : std::min(elems * size, kMaxVectorElems + 1);
    if (elems > kMaxVectorElems)
      return std::nullopt; // left to the loops: slower, never wrong
    if (!dynamic)
      vectorSizes.clear();
    return vectorSizes;
  }

  /// Vectorizes a tile op with the sizes plannedVectorSizes gave it (empty:
  /// exact vectors of its static shape).
  void vectorize(RewriterBase &rewriter, linalg::LinalgOp op,
                 ArrayRef<int64_t> vectorSizes) {
    rewriter.setInsertionPoint(op);
    Operation *before = op->getPrevNode();
    // Explicit sizes need as many scalable flags (none is scalable here).
    SmallVector<bool> scalable(vectorSizes.size(), false);
    auto result = linalg::vectorize(rewriter, op, vectorSizes, scalable);
    if (failed(result)) {
      op->removeAttr(kVectorize);
      return; // a scalar tile is slower, never wrong
    }
    // The vector ops of a matmul's step were inserted just before it: its
    // reduction of the product over the unit K dimension (masked, in a
    // tile whose rows stayed dynamic).
    if (isa<linalg::MatmulOp>(op)) {
      SmallVector<Operation *> reductions;
      for (Operation *created = before ? before->getNextNode()
                                       : &op->getBlock()->front();
           created != op; created = created->getNextNode()) {
        auto masked = dyn_cast<vector::MaskOp>(created);
        if (isa<vector::MultiDimReductionOp>(created) ||
            (masked && isa_and_nonnull<vector::MultiDimReductionOp>(
                           masked.getMaskableOp())))
          reductions.push_back(created);
      }
      for (Operation *reduction : reductions)
        contractProducts(rewriter, reduction);
    }
    rewriter.replaceOp(op, result->replacements);
  }

  /// A step of a matmul tiled by 1 along K, as the vectorizer makes it
  /// (`multi_reduction <add>` over the unit K dimension of `mulf(a, b)`,
  /// into the accumulator; `step` is the reduction or the `vector.mask`
  /// around it), as one rounding of `a * b + acc`: `math.fma` with the
  /// `fma` option (a target with FMA), else `addf(acc, mulf(a, b))` with
  /// both marked `contract`, which LLVM fuses into one FMA where the target
  /// has one (and keeps a multiply and an add where it does not). Without
  /// the flag, canonicalization elided the unit reduction into a plain
  /// `addf`, and LLVM, which fuses only what it is allowed to, kept `vmulps`
  /// + `vaddps`: half the peak. `contract` only allows LLVM to fuse:
  /// helper-112 found tiles of one contraction in which LLVM fused a step
  /// and tiles in which it did not, and rows whose bits depended on the
  /// batch; `math.fma` (LLVM's `llvm.fma`) is always one rounding. A masked
  /// step (a tile of dynamic rows) is the same FMA unmasked: the lanes past
  /// the mask are never written.
  void contractProducts(RewriterBase &rewriter, Operation *step) const {
    auto masked = dyn_cast<vector::MaskOp>(step);
    auto reduction = cast<vector::MultiDimReductionOp>(
        masked ? masked.getMaskableOp() : step);
    auto mul = reduction.getSource().getDefiningOp<arith::MulFOp>();
    if (!mul || !mul->hasOneUse() ||
        reduction.getKind() != vector::CombiningKind::ADD ||
        !isa<VectorType>(reduction.getAcc().getType()) ||
        (masked && (!fma || masked->getNumResults() != 1)))
      return;
    VectorType source = reduction.getSourceVectorType();
    for (int64_t dim : reduction.getReductionDims())
      if (source.getDimSize(dim) != 1)
        return; // a real reduction: not a step of ours
    rewriter.setInsertionPoint(step);
    Location loc = reduction.getLoc();
    Type accType = reduction.getAcc().getType();
    if (fma) {
      auto cast = [&](Value v) -> Value {
        return vector::ShapeCastOp::create(rewriter, loc, accType, v);
      };
      Value sum = math::FmaOp::create(rewriter, loc, cast(mul.getLhs()),
                                      cast(mul.getRhs()), reduction.getAcc());
      rewriter.replaceOp(step, sum);
      rewriter.eraseOp(mul);
      return;
    }
    auto contract = arith::FastMathFlags::contract;
    mul.setFastmath(mul.getFastmath() | contract);
    Value product =
        vector::ShapeCastOp::create(rewriter, loc, accType, mul.getResult());
    rewriter.replaceOpWithNewOp<arith::AddFOp>(reduction, reduction.getAcc(),
                                               product, contract);
  }

  /// Canonicalizes what tiling `matmul` created, and resolves the sizes it
  /// read off the matmul (`tensor.dim`) so that nothing but its old
  /// consumers uses it. Peeling leaves dead loops and unsimplified sizes
  /// behind; left there, they were copied again by the next layer's tiling
  /// (compile time grew exponentially with depth).
  LogicalResult cleanUpTiles(Operation *matmul, ErasedOps &erased) {
    SmallVector<Operation *> ops = erased.takeInserted();
    for (Operation *user : matmul->getUsers())
      if (isa<tensor::DimOp>(user))
        ops.push_back(user);
    GreedyRewriteConfig config;
    config.setListener(&erased);
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    LogicalResult result = applyOpPatternsGreedily(ops, canonical, config);
    erased.takeInserted();
    return result;
  }

  LogicalResult initialize(MLIRContext *ctx) override {
    // The canonicalizer's patterns, and the resolution of sizes of results.
    RewritePatternSet patterns(ctx);
    for (Dialect *dialect : ctx->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName op : ctx->getRegisteredOperations())
      op.getCanonicalizationPatterns(patterns, ctx);
    memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
    canonical = FrozenRewritePatternSet(std::move(patterns),
                                        predict::unsoundCanonicalizations());
    return success();
  }

  FrozenRewritePatternSet canonical;

  /// Canonicalization and CSE over the module (cleanUpModule).
  LogicalResult cleanUp() {
    return predict::cleanUpModule(getOperation(), [&](OpPassManager &pm) {
      return runPipeline(pm, getOperation());
    });
  }
};
} // namespace
