//===- OutputFiles.h - where a file the tools write lands -------*- C++ -*-===//
//
// The tools write files the user names (results, libraries, headers). Two
// names of one file, through `..`, a link or a link to a file not written
// yet, would make the second write replace the first.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_SUPPORT_OUTPUTFILES_H
#define PREDICT_SUPPORT_OUTPUTFILES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::predict {

/// The absolute path that writing `path` lands on: its symbolic links
/// followed, dangling ones too (writing through a link to a missing file
/// creates that file), then its folder's real path and its name. Two names
/// with one landing path are one file.
std::string landingPath(llvm::StringRef path);

/// A file a command reads, and the words that name it in a message ("the
/// model", "the --config file").
struct ReadFile {
  llvm::StringRef what;
  llvm::StringRef path;
};

/// The first of `reads` (empty paths and `-` skipped) that writing
/// `output` would replace, compared by landingPath; none if none. Given by
/// value: `reads` is often a braced list that ends with the call.
std::optional<ReadFile> replacedInput(llvm::StringRef output,
                                      llvm::ArrayRef<ReadFile> reads);

} // namespace mlir::predict

#endif // PREDICT_SUPPORT_OUTPUTFILES_H
