//===- CheckForeign.cpp - report each foreign call left, with ways out ----===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTCHECKFOREIGN
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

namespace {
struct CheckForeign : predict::impl::PredictCheckForeignBase<CheckForeign> {
  void runOnOperation() override {
    bool found = false;
    getOperation().walk([&](ForeignCallOp call) {
      found = true;
      StringRef callee = call.getCallee();
      InFlightDiagnostic diag =
          call.emitError() << "call to foreign function '" << callee
                           << "' cannot be compiled into the graph";
      diag.attachNote()
          << "'" << callee << "' is a Python function, not a predict "
          << "operation: compiled code cannot run it";
      if (const ForeignFunction *known = lookupForeignFunction(callee))
        diag.attachNote() << "predict knows a native rewrite of '" << callee
                          << "' (into " << known->becomes
                          << "): compile with --foreign=rewrite";
      else
        diag.attachNote() << "predict knows no native rewrite of '" << callee
                          << "' (docs/ForeignCalls.md lists those it knows)";
      if (whyNoCallback(call).empty())
        diag.attachNote() << "or call it on the host: --foreign=callback "
                             "with a --foreign-lib exporting "
                          << callbackSymbol(callee)
                          << " (include/predict/Runtime/ForeignCallback.h)";
      diag.attachNote()
          << "or rewrite the call with tf.* operations, or keep the model "
             "in Python for this step";
    });
    if (found)
      signalPassFailure();
  }
};
} // namespace
