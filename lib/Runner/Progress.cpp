//===- Progress.cpp - the compile stage under way, on a terminal ----------===//

#include "predict/Runner/Progress.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <signal.h>
#include <string>
#include <thread>
#include <unistd.h>

using namespace mlir::predict;
using namespace mlir::predict::runner;
using Clock = std::chrono::steady_clock;

namespace {
/// The state a StageProgress's thread watches; guarded by `mutex`.
struct Progress {
  std::mutex mutex;
  std::condition_variable wake;
  bool live = false, stop = false;
  /// On a terminal: one line rewritten in place; else a line per stage.
  bool terminal = false;
  std::chrono::milliseconds after{1000};
  std::string tool, stage;
  Clock::time_point since, lastShown;
  /// Whether the stage under way was shown (and, on a terminal, is on the
  /// line now).
  bool shown = false;
  /// Whether a progress line is on the terminal now: read by the Ctrl-C
  /// handler, which cannot take `mutex`.
  std::atomic<bool> onLine{false};
  /// Whether SIGINT is ours (eraseAndInterrupt) while live.
  bool handlesInterrupt = false;
  std::thread thread;

  /// Erases the progress line of a terminal; `mutex` held.
  void erase() {
    if (terminal && shown)
      llvm::errs() << "\r\x1b[K";
    llvm::errs().flush();
    shown = false;
    onLine = false;
  }

  /// Shows the stage under way, running for `running`; `mutex` held.
  void show(Clock::duration running) {
    // One write, marked on the line first: a Ctrl-C at any moment finds a
    // line to erase (none half-written after it).
    std::string line;
    llvm::raw_string_ostream os(line);
    if (terminal)
      os << "\r\x1b[K" << tool << ": " << stage << "... "
         << llvm::format("%.1f s",
                         std::chrono::duration<double>(running).count());
    else
      os << tool << ": " << stage << "...\n";
    onLine = terminal;
    llvm::errs() << line;
    llvm::errs().flush();
    shown = true;
    lastShown = Clock::now();
  }

  void watch() {
    std::unique_lock<std::mutex> lock(mutex);
    while (!stop) {
      // Asleep until the stage under way is due to be shown (beginStage
      // wakes this thread for a new one), then every 250 ms to update the
      // time a terminal's line shows.
      if (stage.empty())
        wake.wait(lock);
      else if (!shown)
        wake.wait_until(lock, since + after);
      else
        wake.wait_for(lock, std::chrono::milliseconds(250));
      if (stop || stage.empty())
        continue;
      Clock::time_point now = Clock::now();
      auto running = now - since;
      // A shown line is rewritten (on a terminal) once per 250 ms.
      if (running >= after &&
          (!shown ||
           (terminal && now - lastShown >= std::chrono::milliseconds(250))))
        show(running);
    }
  }
};

Progress &progress() {
  static Progress state;
  return state;
}

/// SIGINT's action before a StageProgress on a terminal took it (LLVM's
/// handler, which removes its temporary files, or the default).
struct sigaction previousInterrupt;

/// On Ctrl-C: erases the progress line, so that the shell's prompt does not
/// land after it, then hands the signal to the previous action (it is
/// delivered when this returns), which ends the process as without a
/// progress line. Async-signal-safe: an atomic load, write, sigaction, raise.
void eraseAndInterrupt(int) {
  if (progress().onLine.load()) {
    static const char erase[] = "\r\x1b[K";
    ssize_t written = ::write(STDERR_FILENO, erase, sizeof erase - 1);
    (void)written;
  }
  sigaction(SIGINT, &previousInterrupt, nullptr);
  raise(SIGINT);
}
} // namespace

StageProgress::StageProgress(llvm::StringRef tool) {
  Progress &p = progress();
  std::lock_guard<std::mutex> lock(p.mutex);
  std::optional<std::string> after =
      llvm::sys::Process::GetEnv("PREDICT_PROGRESS_AFTER_MS");
  unsigned ms = 0;
  bool asked = after && !llvm::StringRef(*after).getAsInteger(10, ms);
  if (asked)
    p.after = std::chrono::milliseconds(ms);
  else if (after)
    llvm::errs() << tool << ": warning: PREDICT_PROGRESS_AFTER_MS='" << *after
                 << "' is not a whole number of milliseconds; ignored\n";
  p.terminal = llvm::sys::Process::StandardErrIsDisplayed();
  // Ctrl-C erases the line; SIGINT ignored (a background job of a
  // non-interactive shell) stays ignored.
  p.handlesInterrupt = p.terminal &&
                       sigaction(SIGINT, nullptr, &previousInterrupt) == 0 &&
                       previousInterrupt.sa_handler != SIG_IGN;
  if (p.handlesInterrupt) {
    struct sigaction action = {};
    action.sa_handler = eraseAndInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
  }
  if (!asked && !p.terminal)
    return;
  p.tool = tool.str();
  p.live = true;
  p.stop = false;
  p.thread = std::thread([&p] { p.watch(); });
}

StageProgress::~StageProgress() {
  Progress &p = progress();
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    if (!p.live)
      return;
    p.stop = true;
    p.erase();
    p.live = false;
    if (p.handlesInterrupt)
      sigaction(SIGINT, &previousInterrupt, nullptr);
  }
  p.wake.notify_all();
  p.thread.join();
}

void runner::beginStage(llvm::StringRef stage) {
  Progress &p = progress();
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    if (!p.live)
      return;
    p.erase();
    p.stage = stage.str();
    p.since = Clock::now();
    p.shown = false;
    // Shown at once when asked for at 0 ms (so every stage is, for tests).
    if (p.after.count() == 0)
      p.show(Clock::duration::zero());
  }
  p.wake.notify_all();
}

void runner::endStage() {
  Progress &p = progress();
  std::lock_guard<std::mutex> lock(p.mutex);
  if (!p.live)
    return;
  p.erase();
  p.stage.clear();
  p.shown = false;
}
