# -*- Python -*-
# lit configuration for the predict regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "PREDICT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "foreign-table.test.py", "CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.predict_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%predict_src_root", config.predict_src_root))
config.substitutions.append(("%predict_obj_root", config.predict_obj_root))
# The C compiler of the build, for tests that build a small plugin of host
# callbacks against include/predict/Runtime.
config.substitutions.append(("%cc", config.host_cc))
# LLVM's OpenMP runtime, for programs linking a library of predict-compile
# built with --threads > 1.
config.substitutions.append(
    ("%libomp", "%s -Wl,-rpath,%s" % (config.libomp, os.path.dirname(config.libomp))))
# The install smoke test (test/Tools/install.test) runs `cmake --install` of
# this build; the version tests compare with project(predict VERSION ...).
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%predict_version", config.predict_version))

# Variables captured in one CHECK-LABEL section do not leak into the next.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope"

# predict-run and the Python package share a compile cache (default
# ~/.cache/predict): tests keep theirs in the build tree, one per run of
# the suite, so that every test sees both a miss and, where it runs a model
# twice, a hit. Tests of the cache itself set their own folder.
import shutil
cache = os.path.join(config.test_exec_root, "predict-cache")
shutil.rmtree(cache, ignore_errors=True)
config.environment["PREDICT_CACHE_DIR"] = cache

llvm_config.use_default_substitutions()

# The sanitizer build (PREDICT_SANITIZE): a report aborts the process, so that
# a `not tool` expecting an error cannot pass on a sanitizer's exit code.
# A failed allocation returns null, as in a release build: reporting it is
# the code's job (a huge input is an error, test/Integration/input-limits).
#
# Leak checks: LeakSanitizer's scan at exit costs each instrumented process
# about 0.1 s on a Zen 5 core (predict-import --version 0.25 s against
# 0.16 s without; a cached predict-run 0.32 s against 0.19 s), some 2.5 of
# CI's 90 minutes over the suite's ~3000 tool runs. The tests of passes and
# tools (Dialect, Conversion, Codegen, Pipelines, Tools, Examples, Docs:
# every pass, the AOT libraries) and of the Keras importer (Import, where
# LeakSanitizer found a leak, docs/reliability.md) keep it; those of whole
# programs (Import/Python, Integration, Differential, Python), which run
# the same passes thousands of times on numbers, turn it off in their
# lit.local.cfg, and the fuzzers (scripts/fuzz.sh) check the importers and
# the pipeline for leaks.
if config.predict_sanitized:
    config.environment["ASAN_OPTIONS"] = (
        "abort_on_error=1:detect_leaks=1:allocator_may_return_null=1")
    config.predict_asan_options_without_leak_checks = \
        config.environment["ASAN_OPTIONS"].replace("detect_leaks=1",
                                                   "detect_leaks=0")
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:abort_on_error=1"
    config.available_features.add("sanitized")

# Random programs of test/Differential/random-programs.test: 180 (18 of each
# of the ten steps of the kind cycle) in the release build; under the
# sanitizers, whose job is memory and UB errors in the same code paths, 60
# (six of each), which keeps CI's two suites well inside its time limit.
config.substitutions.append(
    ("%random_program_count", "60" if config.predict_sanitized else "180"))

# Batch sizes at which the Python-source tests run each compiled function
# against numpy (`for n in %batch_sizes; do ... check.py ... $n`): 0, 1, 3
# and 17 in the release build (issue 16: empty, one row, a few, more than a
# vector); under the sanitizers 0 and 3. The compiled functions' code is
# not instrumented, and every size runs the same instrumented code of
# predict-run and the runtime (reading and writing .npy files, empty ones
# at 0), so sizes 1 and 17 repeat it there (CI's landing of stop 57, on
# 2 cores of a Zen 5, took 80 of its 90 minutes). Loops whose outputs a
# later command reads (`--output=@%t/y$n.npy`), or whose printed lines
# FileCheck reads, keep all four sizes.
config.substitutions.append(
    ("%batch_sizes", "0 3" if config.predict_sanitized else "0 1 3 17"))

# test/Tools/install.test runs the installed tools with the source and build
# trees hidden, in a private mount namespace, where the system allows
# unprivileged ones (Linux with user namespaces; most containers).
import subprocess
try:
    if subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
        config.available_features.add("mount-namespaces")
except OSError:
    pass

# Reference computations use Debian's numpy/scipy, never a pyenv or venv.
config.substitutions.append(("%python", "/usr/bin/python3"))

# The seed programs and other people's Keras models live beside the checkout
# in ../shared; tests that read them require these features, and .ci/run
# fails when the folder is missing so that they are never skipped silently.
shared = os.path.normpath(os.path.join(config.predict_src_root, "..", "shared"))
config.substitutions.append(("%shared", shared))
if os.path.isdir(os.path.join(shared, "seed", "programs")):
    config.available_features.add("seed-programs")
if os.path.isdir(os.path.join(shared, "models")):
    config.available_features.add("shared-models")

# FileCheck, not, count: always the LLVM 22 ones (/usr/bin may hold older).
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.predict_tools_dir, append_path=True)

tool_dirs = [config.predict_tools_dir, config.llvm_tools_dir]
tools = ["predict-opt", "predict-run", "predict-import", "predict-compile", "mlir-tblgen"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
