"""Runs the command blocks of the docs marked `<!-- doc-test -->` (the line
before the block), from the source root, as a reader would paste them, and
checks that each exits 0 and that, together, they leave no file in the
checkout (`git status`). `build/` in a command is the build under test.

    doc_commands.py SRC_ROOT OBJ_ROOT FILE.md...

A block is an indented code block (every line a command) or a fenced one
(the lines starting with `$ ` are commands; the others are their output).
Prints one line per command and `N commands, M failed`; exits 1 on any
failure or a changed checkout.
"""
import os
import subprocess
import sys
import tempfile

MARKER = "<!-- doc-test -->"


def blocks(path):
    lines = open(path).read().split("\n")
    for i, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        commands = []
        if j < len(lines) and lines[j].strip().startswith("```"):
            j += 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                if lines[j].strip().startswith("$ "):
                    commands.append(lines[j].strip()[2:])
                j += 1
        else:
            while j < len(lines) and lines[j].startswith("    "):
                commands.append(lines[j].strip())
                j += 1
        if not commands:
            raise SystemExit(f"{path}:{i + 1}: a doc-test marker with no command block after it")
        yield i + 1, commands


def checkout_state(src):
    if not os.path.isdir(os.path.join(src, ".git")):
        return None
    return subprocess.run(["git", "-C", src, "status", "--porcelain", "--untracked-files=all"],
                          capture_output=True, text=True).stdout


def main(argv):
    src, obj, files = argv[0], argv[1], argv[2:]
    before = checkout_state(src)
    env = dict(os.environ)
    env["PATH"] = os.path.join(obj, "bin") + os.pathsep + env["PATH"]
    ran = failed = 0
    with tempfile.TemporaryDirectory() as cache:
        env["PREDICT_CACHE_DIR"] = cache
        for path in files:
            name = os.path.relpath(path, src)
            for line, commands in blocks(path):
                for command in commands:
                    command = command.replace("build/bin/", obj + "/bin/").replace(
                        "build/lib/", obj + "/lib/")
                    run = subprocess.run(["bash", "-c", command], cwd=src, env=env,
                                         capture_output=True, text=True, timeout=600)
                    ran += 1
                    status = "ok" if run.returncode == 0 else f"FAILED ({run.returncode})"
                    print(f"{name}:{line}: {status}: {command[:100]}")
                    if run.returncode != 0:
                        failed += 1
                        print(run.stderr[-2000:])
    after = checkout_state(src)
    if before is not None and after != before:
        print("the commands changed the checkout:\n" + after)
        failed += 1
    print(f"{ran} commands, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
