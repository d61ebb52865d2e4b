//===- Progress.h - the compile stage under way, on a terminal ----*- C++ -*-===//

#ifndef PREDICT_RUNNER_PROGRESS_H
#define PREDICT_RUNNER_PROGRESS_H

#include "llvm/ADT/StringRef.h"

namespace mlir::predict::runner {

/// While alive, shows the compile stage under way on stderr once it has run
/// for a second, as `predict-run: llvm (translate, -O3, machine code)...
/// 2.5 s` on one line rewritten in place and erased when the stage ends
/// (docs/predict-run.md, "Progress"). Shown only when stderr is a terminal;
/// $PREDICT_PROGRESS_AFTER_MS=N shows it anywhere after N ms, one line per
/// stage (for tests and logs). One per process.
class StageProgress {
public:
  explicit StageProgress(llvm::StringRef tool);
  ~StageProgress();
  StageProgress(const StageProgress &) = delete;
  StageProgress &operator=(const StageProgress &) = delete;
};

/// Names the stage now under way (for a live StageProgress; else nothing).
void beginStage(llvm::StringRef stage);
/// The stage under way has ended.
void endStage();

/// A stage under way for the lifetime of the object.
class Stage {
public:
  explicit Stage(llvm::StringRef stage) { beginStage(stage); }
  ~Stage() { endStage(); }
  Stage(const Stage &) = delete;
  Stage &operator=(const Stage &) = delete;
};

} // namespace mlir::predict::runner

#endif // PREDICT_RUNNER_PROGRESS_H
