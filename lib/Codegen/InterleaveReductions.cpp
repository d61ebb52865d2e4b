//===- InterleaveReductions.cpp - independent chains of FMAs --------------===//
//
// A contraction's reduction loop after predict-tile-and-vectorize carries
// its accumulators from step to step: each FMA waits for the one before it.
// This pass splits the loop into segments summed in a fixed order, and
// interleaves segments in tiles with few accumulators (Passes.td).
//
//===----------------------------------------------------------------------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTINTERLEAVEREDUCTIONS
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {

/// Whether `flags` allow a multiply and an add to be fused (`contract`).
static bool contracts(arith::FastMathFlags flags) {
  return arith::bitEnumContainsAll(flags, arith::FastMathFlags::contract);
}

/// Whether `value`, carried by `loop` as its iter_arg `i`, is an
/// accumulator of a contraction: it flows through shape casts into one step,
/// `math.fma(a, b, acc)` or `arith.addf(acc, arith.mulf(a, b))` with both
/// marked `contract` (predict-tile-and-vectorize's two forms), whose result
/// flows through shape casts to the yield at `i`, each value on the way used
/// once. Nothing else then depends on it: summing its increments in another
/// order is the only change a split makes.
static bool isAccumulator(scf::ForOp loop, unsigned i) {
  Value value = loop.getRegionIterArg(i);
  if (!isa<VectorType>(value.getType()))
    return false;
  bool stepped = false;
  while (value.hasOneUse()) {
    Operation *user = *value.getUsers().begin();
    if (auto yield = dyn_cast<scf::YieldOp>(user))
      return stepped && yield->getOperand(i) == value &&
             llvm::count(yield->getOperands(), value) == 1;
    if (auto cast = dyn_cast<vector::ShapeCastOp>(user)) {
      value = cast.getResult();
      continue;
    }
    if (stepped)
      return false;
    if (auto fma = dyn_cast<math::FmaOp>(user)) {
      if (fma.getC() != value || fma.getA() == value || fma.getB() == value)
        return false;
      stepped = true;
      value = fma.getResult();
      continue;
    }
    auto add = dyn_cast<arith::AddFOp>(user);
    if (!add || !contracts(add.getFastmath()) || add.getLhs() == add.getRhs())
      return false;
    Value other = add.getLhs() == value ? add.getRhs() : add.getLhs();
    auto mul = other.getDefiningOp<arith::MulFOp>();
    if (!mul || !contracts(mul.getFastmath()))
      return false;
    stepped = true;
    value = add.getResult();
  }
  return false;
}

/// Vector registers of `lanes` float32 lanes that a value of `type` holds,
/// its last dimension rounded up to whole registers.
static int64_t registersOf(VectorType type, int64_t lanes) {
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rows = 1;
  for (int64_t size : shape.drop_back())
    rows *= size;
  int64_t last = shape.empty() ? 1 : shape.back();
  return rows * llvm::divideCeil(last, lanes);
}

struct InterleaveReductions
    : predict::impl::PredictInterleaveReductionsBase<InterleaveReductions> {
  using PredictInterleaveReductionsBase::PredictInterleaveReductionsBase;

  void runOnOperation() override {
    if (lanes < 1 || accumulators < 1 || chains < 1) {
      getOperation().emitError("predict-interleave-reductions: lanes, "
                               "accumulators and chains must be positive");
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    getOperation().walk([&](FunctionOpInterface function) {
      // A function with a contraction step this pass cannot split (a
      // masked tile that keeps its accumulator in memory: the last columns
      // of a contraction whose columns are known only at run time, such as
      // `matmul(w, transpose(x))`, whose batch is its columns) is left
      // whole: its other tiles, split, would sum in another order than
      // that one (helper-113: rows whose bits depended on the batch).
      SmallVector<scf::ForOp> loops;
      bool unsplit = false;
      function.walk([&](scf::ForOp loop) {
        if (isContractionLoop(loop))
          loops.push_back(loop);
        else
          unsplit |= hasContractionStep(loop);
      });
      if (unsplit)
        return;
      for (scf::ForOp loop : loops)
        split(rewriter, loop);
    });
  }

  /// Whether `loop`'s own body holds a step of a contraction (a math.fma,
  /// or an arith.addf marked `contract`).
  static bool hasContractionStep(scf::ForOp loop) {
    return llvm::any_of(
        loop.getBody()->without_terminator(), [](Operation &op) {
          auto add = dyn_cast<arith::AddFOp>(op);
          return isa<math::FmaOp>(op) || (add && contracts(add.getFastmath()));
        });
  }

  /// A loop of step 1 whose every iter_arg is an accumulator and whose body
  /// has no effect and no region: a copy of it for another k computes that
  /// step's increments and nothing else.
  static bool isContractionLoop(scf::ForOp loop) {
    if (loop.getNumRegionIterArgs() == 0 ||
        getConstantIntValue(loop.getStep()) != std::optional<int64_t>(1))
      return false;
    for (unsigned i = 0, e = loop.getNumRegionIterArgs(); i < e; ++i)
      if (!isAccumulator(loop, i))
        return false;
    for (Operation &op : loop.getBody()->without_terminator())
      if (op.getNumRegions() || !isMemoryEffectFree(&op))
        return false;
    return true;
  }

  /// Segments of `loop`'s iterations: enough that a row of its accumulators
  /// (their last dimension: the columns) makes `chains` chains; for a
  /// static trip count, the most up to that which divide it and leave each
  /// segment two steps at least. The rows of the tile do not count: every
  /// row tile of a contraction gets the same segments.
  int64_t segmentsOf(scf::ForOp loop) const {
    int64_t perRow = 0;
    for (Value acc : loop.getRegionIterArgs()) {
      auto type = cast<VectorType>(acc.getType());
      int64_t last = type.getRank() ? type.getShape().back() : 1;
      perRow += llvm::divideCeil(last, lanes);
    }
    int64_t segments = llvm::divideCeil(chains, std::max<int64_t>(perRow, 1));
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
    if (!lb || !ub)
      return segments;
    int64_t count = *ub - *lb;
    segments = std::min(segments, count / 2);
    while (segments > 1 && count % segments)
      --segments;
    return segments;
  }

  /// Segments of `segments` that `loop`'s tile runs at once: the most (a
  /// divisor of `segments`) whose chains are at most `chains` and fit in
  /// `accumulators` registers. A tile of more than half of `chains`
  /// registers runs its segments in turn: another copy of its steps would
  /// cost more compile time than its few idle cycles.
  int64_t interleaveOf(scf::ForOp loop, int64_t segments) const {
    int64_t registers = 0;
    for (Value acc : loop.getRegionIterArgs())
      registers += registersOf(cast<VectorType>(acc.getType()), lanes);
    int64_t most = std::max<int64_t>(
        std::min(chains, accumulators) / std::max<int64_t>(registers, 1), 1);
    int64_t best = 1;
    for (int64_t d = 1; d <= std::min(segments, most); ++d)
      if (segments % d == 0)
        best = d;
    return best;
  }

  /// Replaces `loop` by its segments (Passes.td): a loop over groups of
  /// `together` segments, each group one loop of `together` chains from
  /// zero, added to the total in order; then, for a trip count known only
  /// at run time, the iterations past S * h as one more chain.
  void split(RewriterBase &rewriter, scf::ForOp loop) {
    int64_t segments = segmentsOf(loop);
    if (segments <= 1)
      return;
    int64_t together = interleaveOf(loop, segments);
    Location loc = loop.getLoc();
    rewriter.setInsertionPoint(loop);
    auto index = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    Value lb = loop.getLowerBound(), ub = loop.getUpperBound();
    // h = max(ub - lb, 0) floordiv S: the length of a segment.
    Value count = rewriter.createOrFold<arith::MaxSIOp>(
        loc, rewriter.createOrFold<arith::SubIOp>(loc, ub, lb), index(0));
    Value h =
        rewriter.createOrFold<arith::DivUIOp>(loc, count, index(segments));
    SmallVector<Value> zeros;
    for (Value init : loop.getInitArgs())
      zeros.push_back(arith::ConstantOp::create(
          rewriter, loc, rewriter.getZeroAttr(init.getType())));
    unsigned n = loop.getNumRegionIterArgs();
    // Copies the body of `loop` for iteration `iv`, on accumulators `accs`;
    // returns what it yields.
    auto step = [&](OpBuilder &b, Value iv, ValueRange accs) {
      IRMapping map;
      map.map(loop.getInductionVar(), iv);
      map.map(loop.getRegionIterArgs(), accs);
      for (Operation &op : loop.getBody()->without_terminator())
        b.clone(op, map);
      SmallVector<Value> yielded;
      for (Value v : loop.getBody()->getTerminator()->getOperands())
        yielded.push_back(map.lookupOrDefault(v));
      return yielded;
    };
    // total + c[0] + c[1] + ..., in that order, per accumulator.
    auto addChains = [&](OpBuilder &b, Location at, ValueRange total,
                         ValueRange c) {
      SmallVector<Value> sum(total);
      for (unsigned t = 0, e = c.size() / n; t < e; ++t)
        for (unsigned i = 0; i < n; ++i)
          sum[i] = arith::AddFOp::create(b, at, sum[i], c[t * n + i]);
      return sum;
    };
    SmallVector<Value> chainZeros, offsets;
    for (int64_t t = 0; t < together; ++t) {
      llvm::append_range(chainZeros, zeros);
      // Segment t of a group starts t * h after the group's first.
      offsets.push_back(rewriter.createOrFold<arith::MulIOp>(loc, h, index(t)));
    }
    Value stride =
        rewriter.createOrFold<arith::MulIOp>(loc, h, index(together));
    auto groups = scf::ForOp::create(
        rewriter, loc, index(0), index(segments / together), index(1),
        loop.getInitArgs(),
        [&](OpBuilder &b, Location at, Value g, ValueRange total) {
          // The group's first segment starts at lb + g * together * h.
          Value first = arith::AddIOp::create(
              b, at, lb, arith::MulIOp::create(b, at, g, stride));
          auto steps = scf::ForOp::create(
              b, at, arith::ConstantIndexOp::create(b, at, 0), h,
              arith::ConstantIndexOp::create(b, at, 1), chainZeros,
              [&](OpBuilder &b, Location at, Value j, ValueRange accs) {
                Value k = arith::AddIOp::create(b, at, first, j);
                SmallVector<Value> next;
                for (int64_t t = 0; t < together; ++t) {
                  Value iv =
                      t ? arith::AddIOp::create(b, at, k, offsets[t]) : k;
                  llvm::append_range(next, step(b, iv, accs.slice(t * n, n)));
                }
                scf::YieldOp::create(b, at, next);
              });
          scf::YieldOp::create(b, at,
                               addChains(b, at, total, steps.getResults()));
        });
    SmallVector<Value> total(groups.getResults());
    // A static trip count is a multiple of S (segmentsOf); another may
    // leave up to S - 1 iterations.
    std::optional<int64_t> known = getConstantIntValue(count);
    if (!known || *known % segments) {
      Value rest = rewriter.createOrFold<arith::AddIOp>(
          loc, lb,
          rewriter.createOrFold<arith::MulIOp>(loc, h, index(segments)));
      auto tail = scf::ForOp::create(
          rewriter, loc, rest, ub, index(1), zeros,
          [&](OpBuilder &b, Location at, Value k, ValueRange accs) {
            scf::YieldOp::create(b, at, step(b, k, accs));
          });
      total = addChains(rewriter, loc, total, tail.getResults());
    }
    rewriter.replaceOp(loop, total);
  }
};
} // namespace
