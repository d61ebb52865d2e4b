//===- ParallelizeTiles.cpp - row-tile loops on OpenMP threads ------------===//

#include "predict/Codegen/Passes.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTPARALLELIZETILES
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
struct ParallelizeTiles
    : predict::impl::PredictParallelizeTilesBase<ParallelizeTiles> {
  using PredictParallelizeTilesBase::PredictParallelizeTilesBase;

  void runOnOperation() override {
    SmallVector<scf::ForOp> marked;
    getOperation().walk([&](scf::ForOp loop) {
      if (loop->hasAttr(predict::kParallelFlopsAttr))
        marked.push_back(loop);
    });
    for (scf::ForOp loop : marked) {
      auto flops =
          loop->getAttrOfType<IntegerAttr>(predict::kParallelFlopsAttr);
      loop->removeAttr(predict::kParallelFlopsAttr);
      auto columns = dyn_cast<scf::ForOp>(loop->getParentOp());
      if (columns && !columns->removeAttr(predict::kParallelColumnsAttr))
        columns = {};
      // On tensors the loop carries the output; only a loop on buffers, whose
      // iterations write disjoint tiles, can be shared out.
      if (threads <= 1 || loop.getNumRegionIterArgs() != 0 ||
          mayFailTheCall(loop))
        continue;
      int64_t flopsPerTile = flops ? flops.getInt() : 0;
      if (!columns || failed(parallelizeColumns(columns, loop, flopsPerTile)))
        parallelize(loop, flopsPerTile);
    }
  }

  /// Shares out the column tiles of `columns` (the loop around `rows`) when
  /// it has at least one for each thread: each thread then reads its own
  /// columns of the kernel, and the team forks once for the whole
  /// contraction instead of once for each column tile. The work is the
  /// column tiles times the full row tiles (`rows`' trip count, computed
  /// before the loop) times `flopsPerTile`. Fails, changing nothing, when
  /// `columns` cannot be shared out so.
  LogicalResult parallelizeColumns(scf::ForOp columns, scf::ForOp rows,
                                   int64_t flopsPerTile) {
    std::optional<APInt> count = columns.getStaticTripCount();
    int64_t tiles = count ? count->getSExtValue() : 0;
    if (tiles < static_cast<int64_t>(threads) || flopsPerTile <= 0 ||
        columns.getNumRegionIterArgs() != 0 || mayFailTheCall(columns))
      return failure();
    // The rows loop's bounds are computed in the columns loop from sizes
    // defined before it: hoisted, they give the work before the fork.
    moveLoopInvariantCode(cast<LoopLikeOpInterface>(columns.getOperation()));
    for (Value bound :
         {rows.getLowerBound(), rows.getUpperBound(), rows.getStep()})
      if (columns->isAncestor(bound.getParentRegion()->getParentOp()))
        return failure();
    parallelize(columns, [&](OpBuilder &b, Location loc) -> Value {
      Value span = arith::SubIOp::create(b, loc, rows.getUpperBound(),
                                         rows.getLowerBound());
      span = arith::MaxSIOp::create(b, loc, span,
                                    arith::ConstantIndexOp::create(b, loc, 0));
      Value rowTiles = arith::CeilDivSIOp::create(b, loc, span, rows.getStep());
      Value work = arith::MulIOp::create(
          b, loc, rowTiles,
          arith::ConstantIndexOp::create(b, loc, tiles * flopsPerTile));
      return arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sge, work,
          arith::ConstantIndexOp::create(b, loc, minFlops));
    });
    return success();
  }

  /// Whether `loop` holds a run-time check or a host callback: their
  /// failure returns to the caller of the compiled function, which only the
  /// calling thread can do (docs/Runtime.md), so the loop stays on it.
  static bool mayFailTheCall(scf::ForOp loop) {
    return loop
        ->walk([](Operation *op) {
          if (isa<predict::AssertOp, cf::AssertOp>(op))
            return WalkResult::interrupt();
          if (auto call = dyn_cast<func::CallOp>(op))
            if (call.getCallee().starts_with("predict_runtime_"))
              return WalkResult::interrupt();
          return WalkResult::advance();
        })
        .wasInterrupted();
  }

  /// Replaces `loop` by an OpenMP worksharing loop in a parallel region that
  /// forks only when the loop has work enough: `flopsPerIteration` times its
  /// trip count at least min-flops (any two iterations if 0: unknown).
  void parallelize(scf::ForOp loop, int64_t flopsPerIteration) {
    int64_t minTiles =
        flopsPerIteration > 0
            ? std::max<int64_t>(2,
                                llvm::divideCeil(minFlops, flopsPerIteration))
            : 2;
    parallelize(loop, [&](OpBuilder &b, Location loc) -> Value {
      // Tiles = ceil((ub - lb) / step), where ub > lb.
      Value span = arith::SubIOp::create(b, loc, loop.getUpperBound(),
                                         loop.getLowerBound());
      Value tiles = arith::CeilDivSIOp::create(b, loc, span, loop.getStep());
      return arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sge, tiles,
          arith::ConstantIndexOp::create(b, loc, minTiles));
    });
  }

  /// Replaces `loop` by an OpenMP worksharing loop in a parallel region that
  /// forks only when `worthIt` (built before the region, where the loop has
  /// at least one iteration) holds.
  void parallelize(scf::ForOp loop,
                   llvm::function_ref<Value(OpBuilder &, Location)> worthIt) {
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    Value lb = loop.getLowerBound(), ub = loop.getUpperBound(),
          step = loop.getStep();
    Value some = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, ub, lb);
    auto guard = scf::IfOp::create(b, loc, some, /*withElseRegion=*/false);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    Value fork = worthIt(b, loc);

    omp::ParallelOperands parallelClauses;
    parallelClauses.ifExpr = fork;
    parallelClauses.numThreads = arith::ConstantIntOp::create(
        b, loc, b.getI32Type(), static_cast<int64_t>(threads));
    auto parallel = omp::ParallelOp::create(b, loc, parallelClauses);
    b.setInsertionPointToStart(&parallel.getRegion().emplaceBlock());
    omp::WsloopOperands wsloopClauses;
    wsloopClauses.scheduleKind = omp::ClauseScheduleKindAttr::get(
        b.getContext(), omp::ClauseScheduleKind::Static);
    auto wsloop = omp::WsloopOp::create(b, loc, wsloopClauses);
    omp::TerminatorOp::create(b, loc);

    b.setInsertionPointToStart(&wsloop.getRegion().emplaceBlock());
    omp::LoopNestOperands nestClauses;
    nestClauses.loopLowerBounds.push_back(lb);
    nestClauses.loopUpperBounds.push_back(ub);
    nestClauses.loopSteps.push_back(step);
    auto nest = omp::LoopNestOp::create(b, loc, nestClauses);
    Block *body = b.createBlock(&nest.getRegion(), {}, {b.getIndexType()}, {loc});

    // The loop's body moves into the nest; its yield becomes omp.yield.
    Block *old = loop.getBody();
    old->getTerminator()->erase();
    loop.getInductionVar().replaceAllUsesWith(body->getArgument(0));
    body->getOperations().splice(body->end(), old->getOperations());
    b.setInsertionPointToEnd(body);
    omp::YieldOp::create(b, loc);
    loop.erase();
  }
};
} // namespace
