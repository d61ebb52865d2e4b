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

} // namespace mlir::predict

#endif // PREDICT_SUPPORT_PARENT_H
