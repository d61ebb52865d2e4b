//===- SplitAccumulators.cpp - latency-bound reductions, more chains ------===//
//
// A reduction loop whose accumulators fill few vector registers (the tile
// of one or two rows that a small batch runs: batch 1's whole computation)
// is bound by the latency of its FMAs, not by their throughput: each step
// waits for the previous step's sum. A core issues two FMAs a cycle, each
// ready four cycles later (Zen 4 and 5, Skylake-X, Ice Lake and later:
// Agner Fog's instruction tables), so eight independent sums keep it busy.
// Such a loop is unrolled by U with U partial sums of each accumulator (the
// first starts at the loop's initial value, the others at zero), added
// pairwise after it; the steps left over run in the original loop, from
// that sum. The sum is reassociated, as every BLAS does.
//
//===----------------------------------------------------------------------===//

#include "TilingUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace {
/// Independent sums a core needs to keep its FMA units busy: two units,
/// four cycles of latency.
constexpr int64_t kChainsToFill = 8;

/// Follows `v` through single-use vector.shape_casts to its only user.
Operation *soleUserPastCasts(Value &v) {
  while (v.hasOneUse()) {
    Operation *user = *v.getUsers().begin();
    auto cast = dyn_cast<vector::ShapeCastOp>(user);
    if (!cast)
      return user;
    v = cast.getResult();
  }
  return nullptr;
}

/// Whether iteration argument `i` of `loop` is an accumulator: a vector
/// whose only use (through shape casts) is one operand of an arith.addf
/// whose only use (through shape casts) is the loop's `i`-th yielded value.
bool isAccumulator(scf::ForOp loop, unsigned i) {
  Value arg = loop.getRegionIterArg(i);
  if (!isa<VectorType>(arg.getType()))
    return false;
  auto add = dyn_cast_or_null<arith::AddFOp>(soleUserPastCasts(arg));
  if (!add)
    return false;
  Value sum = add.getResult();
  Operation *end = soleUserPastCasts(sum);
  return isa_and_nonnull<scf::YieldOp>(end) && end->getOperand(i) == sum;
}

/// The vector registers of `bits`-bit width the value of `type` fills.
int64_t registersOf(VectorType type, int64_t bits) {
  int64_t valueBits =
      type.getNumElements() * type.getElementType().getIntOrFloatBitWidth();
  return std::max<int64_t>(1, (valueBits + bits - 1) / bits);
}

void split(RewriterBase &rewriter, scf::ForOp loop, int64_t unroll,
           int64_t lower, int64_t splitAt, int64_t step) {
  Location at = loop.getLoc();
  unsigned n = loop.getNumRegionIterArgs();
  rewriter.setInsertionPoint(loop);
  SmallVector<Value> inits(loop.getInitArgs());
  for (int64_t j = 1; j < unroll; ++j)
    for (Value init : loop.getInitArgs())
      inits.push_back(arith::ConstantOp::create(
          rewriter, at, rewriter.getZeroAttr(init.getType())));
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, at, v);
  };
  Value lb = cst(lower), ub = cst(splitAt), stride = cst(step * unroll);
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  auto unrolled = scf::ForOp::create(
      rewriter, at, lb, ub, stride, inits,
      [&](OpBuilder &b, Location loc, Value iv, ValueRange sums) {
        SmallVector<Value> next(sums.size());
        for (int64_t j = 0; j < unroll; ++j) {
          IRMapping map;
          Value offset = iv;
          if (j)
            offset = arith::AddIOp::create(
                b, loc, iv, arith::ConstantIndexOp::create(b, loc, j * step));
          map.map(loop.getInductionVar(), offset);
          for (unsigned i = 0; i < n; ++i)
            map.map(loop.getRegionIterArg(i), sums[j * n + i]);
          for (Operation &op : loop.getBody()->without_terminator())
            b.clone(op, map);
          for (unsigned i = 0; i < n; ++i)
            next[j * n + i] = map.lookupOrDefault(yield.getOperand(i));
        }
        scf::YieldOp::create(b, loc, next);
      });
  // The partial sums, added pairwise.
  rewriter.setInsertionPointAfter(unrolled);
  SmallVector<Value> totals;
  for (unsigned i = 0; i < n; ++i) {
    SmallVector<Value> parts;
    for (int64_t j = 0; j < unroll; ++j)
      parts.push_back(unrolled.getResult(j * n + i));
    while (parts.size() > 1) {
      SmallVector<Value> halves;
      for (size_t k = 0; k + 1 < parts.size(); k += 2)
        halves.push_back(
            arith::AddFOp::create(rewriter, at, parts[k], parts[k + 1]));
      if (parts.size() % 2)
        halves.push_back(parts.back());
      parts = std::move(halves);
    }
    totals.push_back(parts.front());
  }
  // The steps left over run in the loop itself, from the sums.
  rewriter.modifyOpInPlace(loop, [&] {
    loop.getLowerBoundMutable().assign(ub);
    loop.getInitArgsMutable().assign(totals);
  });
}
} // namespace

void predict::splitLatencyBoundAccumulators(RewriterBase &rewriter,
                                            Operation *root,
                                            int64_t vectorBits) {
  if (vectorBits <= 0)
    return;
  SmallVector<std::tuple<scf::ForOp, int64_t, int64_t, int64_t, int64_t>> work;
  root->walk([&](scf::ForOp loop) {
    unsigned n = loop.getNumRegionIterArgs();
    std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound());
    std::optional<int64_t> upper = getConstantIntValue(loop.getUpperBound());
    std::optional<int64_t> step = getConstantIntValue(loop.getStep());
    if (!n || !lower || !upper || !step || *step <= 0 || *upper <= *lower)
      return;
    int64_t chains = 0;
    for (unsigned i = 0; i < n; ++i) {
      if (!isAccumulator(loop, i))
        return;
      chains += registersOf(
          cast<VectorType>(loop.getRegionIterArg(i).getType()), vectorBits);
    }
    int64_t trips = (*upper - *lower + *step - 1) / *step;
    int64_t unroll = 1;
    while (chains * unroll < kChainsToFill && trips >= 4 * unroll)
      unroll *= 2;
    if (unroll < 2)
      return;
    int64_t splitAt = *lower + (trips / unroll) * unroll * *step;
    work.emplace_back(loop, unroll, *lower, splitAt, *step);
  });
  for (auto [loop, unroll, lower, splitAt, step] : work)
    split(rewriter, loop, unroll, lower, splitAt, step);
}
