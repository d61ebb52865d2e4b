//===- TileConvolutions.cpp - tile 2-D convolutions, decompose, vectorize -===//
//
// The strategy of predict-tile-convolutions (Passes.td): output tiles of one
// row of `tileCols` x `tileFilters`, the bias and activation fused, kernel
// rows (and input channels) tiled by 1, each tile then a 1-D convolution
// that upstream's vectorizer turns into outer products or FMAs.
//
//===----------------------------------------------------------------------===//

#include "predict/Codegen/Passes.h"
#include "TilingUtils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTTILECONVOLUTIONS
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

/// Marks the ops of a convolution tile that are to be vectorized.
static constexpr StringLiteral kConvTile = "predict.conv_tile";
/// Marks the root of a tile loop, to find its copies in peeled remainders.
static constexpr StringLiteral kConvRoot = "predict.conv_root";

namespace {
/// The ops of this strategy: 2-D convolutions and pooling, channels last.
/// Loops: n, oh, ow, f, kh, kw, c (a full convolution) or n, oh, ow, c, kh,
/// kw (depthwise, pooling).
bool isConv(Operation *op) {
  return isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp,
             linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp>(op);
}

/// Whether every size of `v` but the leading (batch) one is static.
bool staticButBatch(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && llvm::none_of(type.getShape().drop_front(),
                               ShapedType::isDynamic);
}

/// The elementwise generic that is the only user of `conv`'s result and reads
/// it at the element it writes (the bias and activation), if any.
linalg::GenericOp epilogueOf(linalg::LinalgOp conv) {
  Value result = conv->getResult(0);
  if (!result.hasOneUse())
    return {};
  auto generic = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
  if (!generic || generic.getNumLoops() != 4 ||
      generic.getNumReductionLoops() != 0 || generic.getNumDpsInits() != 1 ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return {};
  for (OpOperand *input : generic.getDpsInputOperands())
    if (input->get() == result &&
        !generic.getMatchingIndexingMap(input).isIdentity())
      return {};
  return generic;
}

/// A read, in bounds, of a tensor into which a splat was written whole (a
/// vectorized `linalg.fill`, through slices of it) is that splat. The
/// vectorized 1-D convolution reads its accumulator from its fused fill
/// through a rank-reducing slice, which upstream's folding of a read after
/// a write does not see; left there, the tile was a buffer allocated,
/// zeroed and read back for every tile.
struct ReadOfSplatWrite : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    if (read.getMask() || !isa<RankedTensorType>(read.getBase().getType()) ||
        llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }))
      return failure();
    Value source = read.getBase();
    while (auto slice = source.getDefiningOp<tensor::ExtractSliceOp>())
      source = slice.getSource();
    auto write = source.getDefiningOp<vector::TransferWriteOp>();
    if (!write || write.getMask())
      return failure();
    auto tensorType = dyn_cast<RankedTensorType>(write.getBase().getType());
    if (!tensorType || !tensorType.hasStaticShape() ||
        write.getVectorType().getShape() != tensorType.getShape() ||
        !llvm::all_of(write.getIndices(),
                      [](Value i) { return isZeroInteger(i); }))
      return failure();
    Value stored = write.getValueToStore();
    Value scalar;
    if (auto broadcast = stored.getDefiningOp<vector::BroadcastOp>()) {
      if (!isa<VectorType>(broadcast.getSourceType()))
        scalar = broadcast.getSource();
    } else {
      DenseElementsAttr dense;
      if (matchPattern(stored, m_Constant(&dense)) && dense.isSplat()) {
        rewriter.replaceOpWithNewOp<arith::ConstantOp>(
            read, DenseElementsAttr::get(read.getVectorType(),
                                         dense.getSplatValue<Attribute>()));
        return success();
      }
    }
    if (!scalar)
      return failure();
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(read, read.getVectorType(),
                                                     scalar);
    return success();
  }
};

/// A convolution's `tensor.pad` of a constant as a fill of the padded
/// tensor and a `linalg.copy` of the input into its interior. Bufferized,
/// a tensor.pad was a `memref.copy` into a strided view, which the LLVM
/// lowering turns into a call of the generic `memrefCopy` (element by
/// element, through the descriptors: most of a DepthwiseConv2D's time);
/// the linalg.copy becomes a loop nest whose inner loop, along the
/// contiguous channels, LLVM vectorizes.
struct PadAsFillAndCopy : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    Value padValue = pad.getConstantPaddingValue();
    if (!padValue || pad.getNofold() ||
        llvm::none_of(pad->getUsers(), isConv))
      return failure();
    Location loc = pad.getLoc();
    Value source = pad.getSource();
    RankedTensorType type = pad.getResultType();
    SmallVector<OpFoldResult> low = pad.getMixedLowPad();
    SmallVector<OpFoldResult> high = pad.getMixedHighPad();
    SmallVector<OpFoldResult> inner = tensor::getMixedSizes(rewriter, loc, source);
    SmallVector<Value> dynamic;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (!type.isDynamicDim(d))
        continue;
      AffineExpr l, n, h;
      bindSymbols(rewriter.getContext(), l, n, h);
      dynamic.push_back(getValueOrCreateConstantIndexOp(
          rewriter, loc,
          affine::makeComposedFoldedAffineApply(rewriter, loc, l + n + h,
                                                {low[d], inner[d], high[d]})));
    }
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          type.getElementType(), dynamic);
    Value filled =
        linalg::FillOp::create(rewriter, loc, padValue, empty).getResult(0);
    SmallVector<OpFoldResult> ones(type.getRank(), rewriter.getIndexAttr(1));
    Value interior = tensor::ExtractSliceOp::create(rewriter, loc, filled, low,
                                                    inner, ones);
    Value copied =
        linalg::CopyOp::create(rewriter, loc, source, interior).getResult(0);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(pad, copied, filled, low,
                                                       inner, ones);
    return success();
  }
};

struct TileConvolutions
    : predict::impl::PredictTileConvolutionsBase<TileConvolutions> {
  using PredictTileConvolutionsBase::PredictTileConvolutionsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::LinalgOp> convs;
    module.walk([&](linalg::LinalgOp op) {
      if (isConv(op) && llvm::all_of(op->getOperands(), staticButBatch))
        convs.push_back(op);
    });
    if (convs.empty())
      return;
    RewritePatternSet pads(&getContext());
    pads.add<PadAsFillAndCopy>(&getContext());
    if (failed(applyPatternsGreedily(module, std::move(pads))))
      return signalPassFailure();
    for (linalg::LinalgOp conv : convs)
      (void)tileOutput(rewriter, conv); // on failure: loops, never wrong
    if (failed(cleanUp()))
      return signalPassFailure();
    // A tile whose sizes stayed dynamic (none is expected: every size but
    // the batch is static) is tiled by 1 along them: static, slow, right.
    SmallVector<linalg::LinalgOp> partials;
    module.walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kConvRoot) && op.getNumLoops() >= 4 &&
          llvm::any_of(ArrayRef(op.getStaticLoopRanges()).slice(1, 3),
                       ShapedType::isDynamic))
        partials.push_back(op);
    });
    for (linalg::LinalgOp partial : partials) {
      SmallVector<OpFoldResult> sizes;
      for (auto [d, size] : llvm::enumerate(partial.getStaticLoopRanges()))
        sizes.push_back(rewriter.getIndexAttr(
            d > 0 && d < 4 && ShapedType::isDynamic(size) ? 1 : 0));
      (void)tileRoot(rewriter, partial, sizes);
    }
    module.walk([&](Operation *op) { op->removeAttr(kConvRoot); });
    if (!partials.empty() && failed(cleanUp()))
      return signalPassFailure();

    // Reductions, decomposition into 1-D convolutions, vectorization.
    SmallVector<Operation *> tiles;
    module.walk([&](Operation *op) {
      if (op->hasAttr(kConvTile))
        tiles.push_back(op);
    });
    for (Operation *op : tiles) {
      op->removeAttr(kConvTile);
      if (isConv(op)) {
        (void)vectorizeConv(rewriter, cast<linalg::LinalgOp>(op));
        continue;
      }
      auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
      if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
          llvm::any_of(linalgOp.getStaticLoopRanges(), ShapedType::isDynamic))
        continue;
      rewriter.setInsertionPoint(op);
      auto result = linalg::vectorize(rewriter, op);
      if (succeeded(result))
        rewriter.replaceOp(op, result->replacements);
    }
    // Slices fold into the transfers; the accumulator's transfers, then
    // invariant in the reduction loops, move out of them (as
    // predict-tile-and-vectorize does for matmuls), where its first read
    // meets the fill.
    RewritePatternSet folds(&getContext());
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(folds);
    if (failed(applyPatternsGreedily(module, std::move(folds))) ||
        failed(cleanUp()))
      return signalPassFailure();
    module.walk([&](scf::ForOp loop) {
      hoistLoopInvariantSubsets(rewriter, loop);
    });
    RewritePatternSet patterns(&getContext());
    patterns.add<ReadOfSplatWrite>(&getContext());
    if (failed(applyPatternsGreedily(module, std::move(patterns))) ||
        failed(cleanUp()))
      return signalPassFailure();
  }

  /// The output tile of `conv`'s loops (n, oh, ow, f) for a root with `loops`
  /// loops (a convolution's reductions untiled).
  SmallVector<OpFoldResult> outputTile(OpBuilder &b, int64_t loops,
                                       int64_t cols, int64_t filters) {
    SmallVector<OpFoldResult> sizes{b.getIndexAttr(1), b.getIndexAttr(1),
                                    b.getIndexAttr(cols),
                                    b.getIndexAttr(filters)};
    sizes.resize(loops, b.getIndexAttr(0));
    return sizes;
  }

  /// Tiles `conv`'s epilogue (or `conv`) into output tiles with `conv` and
  /// its fill fused, peels the partial tiles and tiles them by 1 where
  /// partial.
  LogicalResult tileOutput(RewriterBase &rewriter, linalg::LinalgOp conv) {
    auto outType = cast<RankedTensorType>(conv->getResult(0).getType());
    int64_t ow = outType.getDimSize(2), filters = outType.getDimSize(3);
    // Columns: as few tiles as of `tileCols`, of balanced widths (11
    // columns: 6 and 5, not 8 and a remainder of 3 too narrow to hide the
    // FMAs' latency).
    int64_t cols = llvm::divideCeil(ow, llvm::divideCeil(ow, tileCols));
    // Filters: all of them when they are fewer than a tile; else the
    // largest of tile, tile/2, tile/4 that divides them (no remainder);
    // else full tiles and a remainder.
    int64_t tf = tileFilters;
    if (filters <= tf)
      tf = filters;
    else
      for (int64_t t = tf; t >= std::max<int64_t>(tf / 4, 1); t /= 2)
        if (filters % t == 0) {
          tf = t;
          break;
        }
    linalg::LinalgOp root = epilogueOf(conv);
    if (!root)
      root = conv;
    root->setAttr(kConvRoot, rewriter.getUnitAttr());
    auto tiled = tileRoot(rewriter, root,
                          outputTile(rewriter, root.getNumLoops(), cols, tf));
    if (failed(tiled))
      return failure();
    // loops: n, oh, ow, f. Rows of one image are independent: threads may
    // share them out (the row loop carries the output on tensors only).
    if (tiled->loops.size() == 4) {
      // Multiply-adds (or maxima) of one output row: its elements times
      // the reduction loops' sizes.
      int64_t rowFlops = 2 * ow * filters;
      for (auto [size, type] : llvm::zip_equal(conv.getStaticLoopRanges(),
                                               conv.getIteratorTypesArray()))
        if (type == utils::IteratorType::reduction)
          rowFlops *= size;
      if (auto rows = dyn_cast<scf::ForOp>(tiled->loops[1].getOperation()))
        rows->setAttr(predict::kParallelFlopsAttr,
                      rewriter.getI64IntegerAttr(rowFlops));
    }
    // Peeled, full tiles have static sizes; so do the partial ones once
    // the remainder loops (one iteration each) fold away.
    for (LoopLikeOpInterface loop : llvm::reverse(tiled->loops)) {
      auto forOp = dyn_cast<scf::ForOp>(loop.getOperation());
      scf::ForOp remainder;
      if (forOp)
        (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, remainder);
    }
    return success();
  }

  /// Tiles `root` by `sizes` and fuses into the tiles the convolution it
  /// reads and that convolution's fill (nothing else); marks the tile ops.
  FailureOr<scf::SCFTileAndFuseResult>
  tileRoot(RewriterBase &rewriter, linalg::LinalgOp root,
           ArrayRef<OpFoldResult> sizes) {
    scf::SCFTilingOptions tiling;
    tiling.setTileSizes(sizes);
    scf::SCFTileAndFuseOptions options;
    options.setTilingOptions(tiling);
    options.setFusionControlFn(
        [](tensor::ExtractSliceOp, OpResult producer, bool)
            -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
          Operation *op = producer.getOwner();
          if (isConv(op) || isa<linalg::FillOp>(op))
            return scf::SCFTileAndFuseOptions::ControlFnResult{};
          return std::nullopt;
        });
    return predict::tileFuseAndMark(rewriter, root, options, kConvTile);
  }

  /// Tiles the reductions of a tile's convolution (kernel rows by 1, input
  /// channels by 1), decomposes each step into a 1-D convolution and
  /// vectorizes it.
  LogicalResult vectorizeConv(RewriterBase &rewriter, linalg::LinalgOp conv) {
    SmallVector<int64_t> bounds = conv.getStaticLoopRanges();
    if (llvm::any_of(bounds, ShapedType::isDynamic) || bounds[1] != 1)
      return failure();
    bool full = isa<linalg::Conv2DNhwcHwcfOp>(conv);
    SmallVector<OpFoldResult> sizes(bounds.size(), rewriter.getIndexAttr(0));
    sizes[4] = rewriter.getIndexAttr(1);
    if (full)
      sizes[6] = rewriter.getIndexAttr(1);
    scf::SCFTilingOptions tiling;
    tiling.setTileSizes(sizes);
    rewriter.setInsertionPoint(conv);
    auto tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(conv.getOperation()), tiling);
    if (failed(tiled) || tiled->tiledOps.size() != 1)
      return failure();
    rewriter.replaceOp(conv, tiled->replacements);
    Operation *step = tiled->tiledOps.front();
    // The decompositions are patterns: apply them to this op alone.
    PatternRewriter patterns(rewriter.getContext());
    patterns.setInsertionPoint(step);
    FailureOr<linalg::LinalgOp> oneD = failure();
    if (auto c = dyn_cast<linalg::Conv2DNhwcHwcfOp>(step)) {
      linalg::DownscaleSizeOneWindowed2DConvolution<linalg::Conv2DNhwcHwcfOp,
                                                    linalg::Conv1DNwcWcfOp>
          downscale(rewriter.getContext());
      auto r = downscale.returningMatchAndRewrite(c, patterns);
      if (succeeded(r))
        oneD = cast<linalg::LinalgOp>(r->getOperation());
    } else if (auto d = dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(step)) {
      linalg::DownscaleDepthwiseConv2DNhwcHwcOp downscale(rewriter.getContext());
      auto r = downscale.returningMatchAndRewrite(d, patterns);
      if (succeeded(r))
        oneD = cast<linalg::LinalgOp>(r->getOperation());
    } else {
      // Pooling: upstream's decomposition patterns, on this op alone; the
      // 1-D op is the one they insert.
      RewritePatternSet decompose(rewriter.getContext());
      linalg::populateDecomposeConvolutionPatterns(decompose);
      struct Inserted : RewriterBase::Listener {
        void notifyOperationInserted(Operation *op,
                                     OpBuilder::InsertPoint) override {
          if (isa<linalg::PoolingNwcMaxOp, linalg::PoolingNwcSumOp>(op))
            pool = op;
        }
        Operation *pool = nullptr;
      } inserted;
      GreedyRewriteConfig config;
      config.setListener(&inserted);
      config.setStrictness(GreedyRewriteStrictness::ExistingOps);
      bool changed = false;
      if (succeeded(applyOpPatternsGreedily({step}, std::move(decompose),
                                            config, &changed)) &&
          inserted.pool && inserted.pool->getBlock())
        oneD = cast<linalg::LinalgOp>(inserted.pool);
    }
    if (failed(oneD))
      return failure();
    rewriter.setInsertionPoint(*oneD);
    auto result = linalg::vectorize(rewriter, *oneD);
    if (failed(result))
      return failure(); // a loop nest: slower, never wrong
    rewriter.replaceOp(*oneD, result->replacements);
    return success();
  }

  /// Canonicalization and CSE over the module (cleanUpModule).
  LogicalResult cleanUp() {
    return predict::cleanUpModule(getOperation(), [&](OpPassManager &pm) {
      return runPipeline(pm, getOperation());
    });
  }
};
} // namespace
