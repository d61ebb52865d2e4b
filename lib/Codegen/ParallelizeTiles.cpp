//===- ParallelizeTiles.cpp - row-tile loops on OpenMP threads ------------===//

#include "predict/Codegen/Passes.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"

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
      // On tensors the loop carries the output; only a loop on buffers, whose
      // iterations write disjoint tiles, can be shared out.
      if (threads <= 1 || loop.getNumRegionIterArgs() != 0 ||
          mayFailTheCall(loop))
        continue;
      parallelize(loop, flops ? flops.getInt() : 0);
    }
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
  /// forks only when the loop has work enough.
  void parallelize(scf::ForOp loop, int64_t flopsPerIteration) {
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    Value lb = loop.getLowerBound(), ub = loop.getUpperBound(),
          step = loop.getStep();
    // Tiles = ceil((ub - lb) / step), with ub > lb checked first.
    Value some = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, ub, lb);
    auto guard = scf::IfOp::create(b, loc, some, /*withElseRegion=*/false);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    Value span = arith::SubIOp::create(b, loc, ub, lb);
    Value tiles = arith::CeilDivSIOp::create(b, loc, span, step);
    // Unknown work per tile (a dynamic size): share out any two tiles.
    int64_t minTiles =
        flopsPerIteration > 0
            ? std::max<int64_t>(2, llvm::divideCeil(minFlops, flopsPerIteration))
            : 2;
    Value worthIt = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::sge, tiles,
        arith::ConstantIndexOp::create(b, loc, minTiles));

    omp::ParallelOperands parallelClauses;
    parallelClauses.ifExpr = worthIt;
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
