//===- Explain.cpp - report what compiles: regions, foreign calls, loops --===//

#include "LoopAnalysis.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTEXPLAIN
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

namespace {
/// `file.py:12:9`; for a Keras file's ops, located by name, the file's
/// (`m.h5`) or a layer's within it (`layer 'noise' of 'm.h5'`); `?` for
/// ops with neither.
std::string where(Location loc) {
  std::string text = formatLocation(loc);
  if (!text.empty())
    return text;
  auto name = dyn_cast<NameLoc>(loc);
  if (!name)
    return "?";
  auto file = dyn_cast<NameLoc>(name.getChildLoc());
  if (!file)
    return name.getName().str();
  return "layer '" + name.getName().str() + "' of '" + file.getName().str() +
         "'";
}

std::optional<unsigned> lineOf(Operation *op) {
  std::optional<unsigned> line;
  op->getLoc()->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      line = file.getLine();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return line;
}

struct Explain : predict::impl::PredictExplainBase<Explain> {
  void runOnOperation() override {
    llvm::raw_ostream &os = llvm::outs();
    getOperation().walk([&](Operation *op) {
      if (auto func = dyn_cast<func::FuncOp>(op); func && !func.isExternal())
        explain(os, "function @" + func.getSymName().str(), func.getBody());
      else if (auto method = dyn_cast<MethodOp>(op))
        explain(os,
                "method @" + method.getModel().getSymName().str() + "::@" +
                    method.getSymName().str(),
                method.getBody());
    });
  }

  void explain(llvm::raw_ostream &os, const std::string &name, Region &body) {
    os << "explain " << name << " (" << where(body.getParentOp()->getLoc())
       << ")\n";
    // Regions: runs of ops between foreign calls at the top level.
    os << "  compiled regions:\n";
    unsigned regions = 0, count = 0;
    std::optional<unsigned> first, last;
    auto closeRegion = [&] {
      if (!count)
        return;
      os << "    region " << ++regions << ": " << count << " operations";
      if (first)
        os << ", lines " << *first << "-" << *last;
      os << "\n";
      count = 0;
      first = last = std::nullopt;
    };
    for (Operation &op : body.front().without_terminator()) {
      bool breaks = false;
      op.walk([&](ForeignCallOp) { breaks = true; });
      if (breaks) {
        closeRegion();
        op.walk([&](ForeignCallOp call) {
          os << "    break at " << where(call.getLoc()) << ": foreign call '"
             << call.getCallee() << "'\n";
        });
        continue;
      }
      ++count;
      if (auto line = lineOf(&op)) {
        first = first ? std::min(*first, *line) : *line;
        last = last ? std::max(*last, *line) : *line;
      }
    }
    closeRegion();

    SmallVector<ForeignCallOp> calls;
    body.walk([&](ForeignCallOp call) { calls.push_back(call); });
    os << "  foreign calls: " << calls.size() << "\n";
    for (ForeignCallOp call : calls) {
      os << "    " << where(call.getLoc()) << " '" << call.getCallee() << "': ";
      if (const ForeignFunction *known = lookupForeignFunction(call.getCallee()))
        os << "rewritable with --foreign=rewrite (into " << known->becomes
           << ")\n";
      else if (std::string why = whyNoCallback(call); why.empty())
        os << "callback with --foreign=callback and a --foreign-lib "
              "exporting "
           << callbackSymbol(call.getCallee()) << "\n";
      else
        os << "unsupported (no native rewrite; no callback: " << why << ")\n";
    }

    // As predict-batch-loops decides, inner loops first (a loop around a
    // batched one may be batched in turn: the loops are batched here too,
    // this module being thrown away after the report), reported in the
    // order of the source (pre-order).
    SmallVector<ForOp> loops;
    body.walk([&](ForOp loop) { loops.push_back(loop); });
    DenseMap<Operation *, unsigned> order;
    body.walk<WalkOrder::PreOrder>(
        [&](ForOp loop) { order.try_emplace(loop, order.size()); });
    SmallVector<std::string> reports(loops.size());
    for (ForOp loop : loops) {
      std::string &report = reports[order.lookup(loop)];
      RowLoopAnalysis analysis(loop);
      std::string why;
      report = "    " + where(loop.getLoc()) + ": ";
      if (failed(analysis.run(why))) {
        report += "kept as a loop (scf.for): not batched because " + why;
        continue;
      }
      report += "batched (each iteration computes " + analysis.rowName() +
                " from " + analysis.rowName() + " alone)";
      batchRowLoop(loop, analysis);
    }
    os << "  loops: " << reports.size() << "\n";
    for (const std::string &report : reports)
      os << report << "\n";

    // Issue 17: layers that act only in training (SpatialDropout2D,
    // GaussianNoise, ...) compile to nothing; say so rather than leave the
    // reader wondering where they went.
    SmallVector<InferenceIdentityOp> identities;
    body.walk([&](InferenceIdentityOp op) { identities.push_back(op); });
    if (identities.empty())
      return; // the reports that predate issue 17 stay as they were
    os << "  identity at inference: " << identities.size() << "\n";
    for (InferenceIdentityOp op : identities)
      os << "    " << where(op.getLoc()) << ": " << op.getLayerClass()
         << " computes nothing at inference (Keras changes its input only "
            "in training)\n";
  }
};
} // namespace
