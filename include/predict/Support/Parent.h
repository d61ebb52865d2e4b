//===- Parent.h - what a tool's process inherits from its starter -*- C++
//-*-===//
//
// predict.compile and Model.explain run the tools as child processes. A
// Python process killed (SIGKILL, SIGTERM) while one runs would leave it
// compiling into a cache folder that the next compile may remove under it.
// A shell may start a tool with its standard files closed or with signals
// ignored (nohup): each is taken as the starter meant it (ToolProcess).
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_SUPPORT_PARENT_H
#define PREDICT_SUPPORT_PARENT_H

#include "llvm/Support/InitLLVM.h"

#include <optional>
#include <string>

namespace mlir::predict {

/// When $PREDICT_PARENT_PID is this process's parent's pid (the package
/// sets it), asks Linux to send this process SIGTERM when that parent
/// dies (prctl PR_SET_PDEATHSIG; SIGTERM removes the tool's temporary
/// files on the way out), and exits at once if it has died already. When
/// the variable names a process that has exited and is not the parent (the
/// Python program is gone, or the variable was copied into a shell), says
/// so on stderr, naming the variable, and stops with SIGTERM too. Does
/// nothing otherwise, or on another system.
void endWithParent();

/// Opens /dev/null on each of stdin, stdout and stderr that the process was
/// started without (`>&-`), so that no file the tool opens (a temporary
/// object file) takes its number and receives what is printed; call first
/// in main. Whether stdout was closed is kept for stdoutWasClosed().
void guardStandardFiles();
/// Whether the process was started with stdout closed: what it prints
/// there is lost, an error for the tool to report.
bool stdoutWasClosed();
/// Whether the process was started with stdin closed (`<&-`): it reads as
/// empty, which a tool reading stdin reports as closed.
bool stdinWasClosed();
/// Why what the tool printed to stdout (llvm::outs()) did not all arrive,
/// flushing it first: a write error (a full disk, a reader that quit) or a
/// stdout closed from the start; empty when it all arrived. Clears the
/// stream's error, so that LLVM does not report it again on exit.
std::string stdoutLost();

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

/// Makes a crash end the process even when its report cannot be printed:
/// a crash on a damaged heap (MLIR's bytecode reader overruns a buffer on
/// some damaged files, docs/reliability.md) left LLVM's stack trace
/// waiting forever for the lock of malloc (which it calls to load
/// libgcc_s and to buffer the symbols it prints). On a crash, arms an
/// alarm that ends the process (SIGALRM) if the report takes over 10 s.
/// Call before llvm::InitLLVM (signal callbacks run in the order they were
/// added, and InitLLVM adds the stack trace's).
void endCrashesForSure();

/// What a predict tool does first, in this order: guardStandardFiles(),
/// endCrashesForSure() and llvm::InitLLVM with the signals its starter
/// ignored kept ignored (IgnoredSignals), and endWithParent(). Lives as
/// long as main.
class ToolProcess {
public:
  template <typename Char> ToolProcess(int &argc, Char **&argv) {
    guardStandardFiles();
    IgnoredSignals ignored; // before any of LLVM's handlers replaces them
    endCrashesForSure();
    init.emplace(argc, argv);
    ignored.restore();
    endWithParent();
  }

private:
  std::optional<llvm::InitLLVM> init;
};

} // namespace mlir::predict

#endif // PREDICT_SUPPORT_PARENT_H
