//===- Parent.h - a tool run by the Python package ends with it -*- C++ -*-===//
//
// predict.compile and Model.explain run the tools as child processes. A
// Python process killed (SIGKILL, SIGTERM) while one runs would leave it
// compiling into a cache folder that the next compile may remove under it.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_SUPPORT_PARENT_H
#define PREDICT_SUPPORT_PARENT_H

namespace mlir::predict {

/// When $PREDICT_PARENT_PID is this process's parent's pid (the package
/// sets it), asks Linux to send this process SIGTERM when that parent
/// dies (prctl PR_SET_PDEATHSIG; SIGTERM removes the tool's temporary
/// files on the way out), and exits at once if it has died already. Does
/// nothing otherwise, or on another system.
void endWithParent();

/// The signals that end a process and that its starter set to be ignored
/// (`nohup`'s SIGHUP; SIGINT and SIGQUIT of a background job started by a
/// script), read when constructed, before `llvm::InitLLVM`: LLVM's
/// handlers replace them, and on such a signal would remove the tool's
/// temporary files (an object file before its link) and let it go on
/// without them. `restore()`, after InitLLVM, ignores them again.
class IgnoredSignals {
public:
  IgnoredSignals();
  void restore() const;

private:
  int ignored[4];
  int count = 0;
};

} // namespace mlir::predict

#endif // PREDICT_SUPPORT_PARENT_H
