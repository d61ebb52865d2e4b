"""Sends a signal to a predict tool at a known point of its work and reports
what it left, for predict-run-interrupts.test.

    interrupt.py SIGNAL WAIT_GLOB IGNORE|DEFAULT -- COMMAND...

Starts COMMAND (with SIGNAL ignored when IGNORE, as `nohup` ignores
SIGHUP), waits until a file matching WAIT_GLOB exists (the tool's temporary
file: the point of its work to interrupt), waits half a second more,
sends SIGNAL, and prints
`exit <code>` (negative: the signal that ended it) once COMMAND is over.
Prints `missed` and exits 1 when COMMAND ends before the file appears."""

import glob
import signal
import subprocess
import sys
import time

name, pattern, disposition = sys.argv[1:4]
command = sys.argv[sys.argv.index("--") + 1:]
number = getattr(signal, name)


def start():
    if disposition == "IGNORE":
        signal.signal(number, signal.SIG_IGN)


process = subprocess.Popen(command, preexec_fn=start,
                           stdout=subprocess.DEVNULL)
deadline = time.monotonic() + 600
while not glob.glob(pattern):
    if process.poll() is not None or time.monotonic() > deadline:
        process.kill()
        print("missed")
        sys.exit(1)
    time.sleep(0.001)
# The tool registers a temporary for removal just after making it: let it
# get on to where it waits (a fifo's open, a slow linker).
time.sleep(0.5)
process.send_signal(number)
print("exit", process.wait(timeout=600))
