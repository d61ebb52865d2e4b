//===- Errors.h - error helpers of the predict runner -------------*- C++ -*-===//

#ifndef LIB_RUNNER_ERRORS_H
#define LIB_RUNNER_ERRORS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mlir::predict::runner {
/// An error carrying `message`, for the user.
/// "no function '@NAME' in the module", with the way out when NAME was
/// given with MLIR's `@` (--function=@f).
inline std::string noFunctionText(llvm::StringRef name) {
  std::string text = "no function '@" + name.str() + "' in the module";
  if (name.starts_with("@"))
    text +=
        " (give --function=" + name.drop_front().str() + ", without the '@')";
  return text;
}

inline llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}
/// `3x100` (empty for rank 0).
std::string formatShape(llvm::ArrayRef<int64_t> shape);
/// Writes `write`'s output into a new temporary file beside `path`
/// (`.NAME.XXXXXX.tmp`, for an output renamed into place once written) and
/// returns its name; on failure nothing is left.
llvm::Expected<std::string>
writeTemporaryBeside(llvm::StringRef path,
                     llvm::function_ref<void(llvm::raw_ostream &)> write);
} // namespace mlir::predict::runner

#endif // LIB_RUNNER_ERRORS_H
