//===- InputFiles.h - bounded reads of untrusted input files -----*- C++ -*-===//
//
// Every tool reads files the user names: models, configs, arrays. A name can
// be a device (/dev/zero), a fifo that never ends, a file of absurd size or
// text that nests a hundred thousand levels deep. These helpers make each
// of those an error naming the file, the limit and the flag that raises it,
// before memory or stack is spent on it.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_SUPPORT_INPUTFILES_H
#define PREDICT_SUPPORT_INPUTFILES_H

#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Alignment.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>

namespace mlir::predict {

/// A limit and the command-line flag that raises it, for messages.
struct InputLimit {
  uint64_t value;
  llvm::StringRef flag; // e.g. "--max-file-mib"
};

/// The default size limit of a file read whole (model text, JSON): 4 GiB.
constexpr uint64_t kDefaultMaxFileBytes = uint64_t(4) << 30;
/// The default nesting limit of MLIR text and JSON.
constexpr unsigned kDefaultMaxNesting = 1000;

/// Checks that `path` names a regular file (or, with `allowStreams`, a fifo
/// or "-") of at most `limit.value` bytes: a directory or a device is an
/// error, as is a larger file. `what` names the role in messages ("config":
/// "cannot read config 'c.json': ..."), or is empty.
llvm::Error checkInputFile(llvm::StringRef path, llvm::StringRef what,
                           InputLimit limit, bool allowStreams = false);

/// The alignment of the buffers readInputFile returns: a page. MLIR
/// bytecode aligns its sections (the weights' resources to 64 bytes)
/// relative to the buffer, and its reader refuses a buffer less aligned.
inline constexpr uint64_t kInputAlignment = 4096;

/// Reads `path` ("-" is stdin) whole after `checkInputFile`; a fifo or
/// stdin is read up to the limit, and more is an error. A regular file is
/// read once, straight into the buffer (its weights, in bytecode, are then
/// read in place from it); it is not mapped, which another program
/// truncating the file would turn into a crash.
/// The buffer is NUL-terminated (as MLIR's lexer needs) and aligned to
/// kInputAlignment.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef path, llvm::StringRef what, InputLimit limit);

/// The first `bytes` bytes of `path` (fewer for a shorter or unreadable
/// file; none for what is not a regular file: a fifo or stdin read here
/// would be gone for the reader). Files are told apart by these, not by
/// their names.
std::string fileHead(llvm::StringRef path, size_t bytes);
/// Whether `path` starts with the HDF5 signature (Keras .h5, .weights.h5;
/// tf.keras 2.x before 2.13 also wrote them under a .keras name).
bool startsAsHdf5(llvm::StringRef path);
/// Whether `path` starts as a zip archive (Keras 3 .keras, numpy .npz).
bool startsAsZip(llvm::StringRef path);

/// The syntax whose brackets `nestingDepth` counts.
enum class NestingSyntax {
  /// `[` and `{` outside strings.
  json,
  /// `{ [ ( <` outside strings and `//` comments; `->` and `>=` close nothing.
  mlir,
};

/// The deepest bracket nesting of `text`: what recursive-descent parsers
/// recurse on. Cheap (one pass), so it can run before a parser does.
unsigned nestingDepth(llvm::StringRef text, NestingSyntax syntax);

/// An error ("'f.mlir' nests too deeply: 20001 levels (limit 1000,
/// --max-nesting to raise)") when `text` nests deeper than `limit.value`.
/// MLIR bytecode (its magic first) is not text: it passes.
llvm::Error checkNesting(llvm::StringRef text, llvm::StringRef name,
                         NestingSyntax syntax, InputLimit limit);

/// The stack a thread needs to parse and compile text nested `depth` levels
/// deep (MLIR's parser and IR walks recurse per level).
size_t stackBytesForNesting(uint64_t depth);

/// Runs `fn` on a new thread with a stack of `bytes` and waits for it.
void runWithStack(size_t bytes, llvm::function_ref<void()> fn);

} // namespace mlir::predict

#endif // PREDICT_SUPPORT_INPUTFILES_H
