//===- CompileCache.h - the cache of compiled libraries -----------*- C++ -*-===//
//
// Shared by predict-run and the Python package (bindings/python/predict/
// _cache.py computes the same key): a model compiled by one is a lookup for
// the other. docs/Python.md, "The cache", gives the key's definition.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_RUNNER_COMPILECACHE_H
#define PREDICT_RUNNER_COMPILECACHE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mlir::predict::runner {

/// Where compiled libraries are kept: $PREDICT_CACHE_DIR, else
/// ~/.cache/predict; empty when neither is known (no HOME).
std::string cacheFolder();

/// The key (32 hex digits) of compiling `inputs` (the model file, then its
/// config and weights files) with predict-compile's `args` (as the package
/// passes them; a file option's value is replaced by its name, the file's
/// bytes being in `inputs`) by the predict-compile at `compiler`, for this
/// machine's CPU. A SHA-256 of: "predict-cache-2", the compiler's size and
/// modification time (ns), then those of the two files of predict it
/// reads (or "-" and "-" for one missing): the runtime it links,
/// `lib/predict/libpredict_runtime.a` beside its `bin/`, and the Python
/// front end, `predict_read_source.py` in $PREDICT_PYTHON_DIR or in
/// `share/predict/python` beside its `bin/` (a predict rebuilt or
/// reinstalled in part compiles afresh), the model's path as given (the
/// library's run-time messages name it), each input's bytes, the args, and the
/// CPU's /proc/cpuinfo `model name` and `flags` lines; fields NUL-separated.
llvm::Expected<std::string> cacheKey(llvm::StringRef compiler,
                                     llvm::ArrayRef<std::string> inputs,
                                     llvm::ArrayRef<std::string> args);

/// Each file's identity and last change: device, inode, size, and the
/// modification and status-change times in ns (all zero for a file that
/// cannot be stat'ed). A file written while it was compiled has another
/// ctime even when changed back to the same bytes, which hashing alone would
/// not see. As the package's _cache.stamps.
std::vector<std::array<int64_t, 5>>
fileStamps(llvm::ArrayRef<std::string> paths);

/// The library of the cache entry `key` (`<folder>/<key>/libmodel.so`),
/// written first if absent: `write` is given a library path and a header
/// path in a fresh temporary folder, which becomes the entry only when
/// `write` succeeds (processes compiling one model at once never see half
/// an entry). The temporary folder is `<folder>/.tmp-<pid>-<random>`; those
/// of processes that no longer run (interrupted or killed mid-compile) are
/// removed first. `hit` says whether the entry was there.
llvm::Expected<std::string> cachedLibrary(
    llvm::StringRef folder, llvm::StringRef key,
    llvm::function_ref<llvm::Error(llvm::StringRef library,
                                   llvm::StringRef header)>
        write,
    bool &hit);

} // namespace mlir::predict::runner

#endif // PREDICT_RUNNER_COMPILECACHE_H
