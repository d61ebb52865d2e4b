//===- OutputFiles.cpp - where a file the tools write lands ---------------===//

#include "predict/Support/OutputFiles.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <unistd.h>

std::string mlir::predict::landingPath(llvm::StringRef path) {
  llvm::SmallString<256> current(path);
  llvm::sys::fs::make_absolute(current);
  // Links, dangling or not, as the kernel follows them (at most 40, its
  // own limit; a loop ends there and is compared as it stands).
  for (int hops = 0; hops < 40 && llvm::sys::fs::is_symlink_file(current);
       ++hops) {
    char target[4096];
    ssize_t n = readlink(current.c_str(), target, sizeof target - 1);
    if (n <= 0)
      break;
    llvm::StringRef to(target, size_t(n));
    if (llvm::sys::path::is_absolute(to)) {
      current = to;
    } else {
      llvm::SmallString<256> next(llvm::sys::path::parent_path(current));
      llvm::sys::path::append(next, to);
      current = next;
    }
  }
  llvm::SmallString<256> folder(llvm::sys::path::parent_path(current)), real;
  if (!llvm::sys::fs::real_path(folder, real)) {
    llvm::sys::path::append(real, llvm::sys::path::filename(current));
    return real.str().str();
  }
  llvm::sys::path::remove_dots(current, /*remove_dot_dot=*/true);
  return current.str().str();
}

std::optional<mlir::predict::ReadFile>
mlir::predict::replacedInput(llvm::StringRef output,
                             llvm::ArrayRef<ReadFile> reads) {
  std::string landing = landingPath(output);
  for (const ReadFile &read : reads) {
    if (read.path.empty() || read.path == "-")
      continue;
    // One path, or one file by device and inode (another mount point of
    // its folder: a bind mount).
    bool same = false;
    if (landing == landingPath(read.path) ||
        (!llvm::sys::fs::equivalent(landing, read.path, same) && same))
      return read;
  }
  return std::nullopt;
}
