//===- Parent.cpp - a tool run by the Python package ends with it --------===//

#include "predict/Support/Parent.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

void mlir::predict::endCrashesForSure() {
  llvm::sys::AddSignalHandler([](void *) { alarm(10); }, nullptr);
}

void mlir::predict::endWithParent() {
#if defined(__linux__)
  const char *expected = std::getenv("PREDICT_PARENT_PID");
  unsigned long long pid;
  if (!expected || llvm::StringRef(expected).getAsInteger(10, pid))
    return;
  if (pid != static_cast<unsigned long long>(getppid())) {
    // The parent died before this point (this process was re-parented),
    // or another process that inherited the variable runs this one: said,
    // for a variable copied into a shell by hand, which stops every tool.
    if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      llvm::errs() << program_invocation_short_name
                   << ": stopped: PREDICT_PARENT_PID names process " << pid
                   << ", which has exited and is not this tool's parent (the "
                      "Python program that ran the tool is gone); to run the "
                      "tool yourself, unset PREDICT_PARENT_PID\n";
      llvm::errs().flush();
      raise(SIGTERM);
    }
    return;
  }
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  // The parent may have died between fork and prctl: then this process
  // has been re-parented already.
  if (pid != static_cast<unsigned long long>(getppid()))
    raise(SIGTERM);
#endif
}

mlir::predict::IgnoredSignals::IgnoredSignals() {
  for (int signal : {SIGHUP, SIGINT, SIGQUIT, SIGTERM}) {
    struct sigaction current;
    if (sigaction(signal, nullptr, &current) == 0 &&
        current.sa_handler == SIG_IGN)
      ignored[count++] = signal;
  }
}

void mlir::predict::IgnoredSignals::restore() const {
  for (int i = 0; i < count; ++i)
    std::signal(ignored[i], SIG_IGN);
}

static bool stdoutClosed = false, stdinClosed = false;

void mlir::predict::guardStandardFiles() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
      continue;
    // The lowest free number: this one.
    int opened = open("/dev/null", O_RDWR);
    if (opened != fd && opened >= 0)
      close(opened);
    if (fd == 1)
      stdoutClosed = true;
    if (fd == 0)
      stdinClosed = true;
  }
}

bool mlir::predict::stdoutWasClosed() { return stdoutClosed; }

bool mlir::predict::stdinWasClosed() { return stdinClosed; }

std::string mlir::predict::stdoutLost() {
  llvm::raw_fd_ostream &out = llvm::outs();
  out.flush();
  if (out.has_error()) {
    std::string message = out.error().message();
    out.clear_error();
    return message;
  }
  if (stdoutClosed && out.tell() > 0)
    return "it is closed";
  return "";
}
