"""Runs a command on a pseudo-terminal (its stderr a terminal, as a user's),
waits until its output holds TEXT, sends it SIGINT (Ctrl-C), and prints
whether its output then ends in an erased line ("\\r\\x1b[K") and how it
ended:
    interrupt.py TEXT COMMAND [ARGS...]
For test/Tools/progress.test: the progress line is erased on Ctrl-C."""
import os
import signal
import sys

text, command = sys.argv[1].encode(), sys.argv[2:]
pid, fd = os.forkpty()
if pid == 0:
    # As from a shell on a terminal: SIGINT not ignored (lit's workers
    # ignore it, and an ignored signal stays ignored across exec).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.execvp(command[0], command)
seen = b""
while text not in seen:
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the command ended first
        chunk = b""
    if not chunk:
        sys.exit(f"interrupt.py: the command ended before writing {text!r}: "
                 f"{seen!r}")
    seen += chunk
os.kill(pid, signal.SIGINT)
_, status = os.waitpid(pid, 0)
# What it wrote before it died is in the terminal's buffer (its children
# may hold the terminal open: read what is there, not to the end).
os.set_blocking(fd, False)
rest = seen[seen.rindex(text):]
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EAGAIN: all read; EIO: no writer left
        break
    if not chunk:
        break
    rest += chunk
print("ends erased:", rest.endswith(b"\r\x1b[K"), repr(rest[-40:].decode()))
print("ended:", f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
      else f"exit {os.WEXITSTATUS(status)}")
