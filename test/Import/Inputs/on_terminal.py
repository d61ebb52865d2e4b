"""Runs a command with its standard output on a terminal (a pseudo-
terminal), its standard error passed through; exits with its status.

    on_terminal.py COMMAND [ARGS...]
"""

import os
import pty
import subprocess
import sys

leader, follower = pty.openpty()
status = subprocess.run(sys.argv[1:], stdout=follower).returncode
os.close(follower)
os.close(leader)
sys.exit(status)
