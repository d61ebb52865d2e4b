//===- Parent.cpp - a tool run by the Python package ends with it --------===//

#include "predict/Support/Parent.h"

#include "llvm/ADT/StringRef.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

void mlir::predict::endWithParent() {
#if defined(__linux__)
  const char *expected = std::getenv("PREDICT_PARENT_PID");
  unsigned long long pid;
  if (!expected || llvm::StringRef(expected).getAsInteger(10, pid))
    return;
  if (pid != static_cast<unsigned long long>(getppid())) {
    // The parent died before this point (this process was re-parented),
    // or another process that inherited the variable runs this one.
    if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
      raise(SIGTERM);
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
