//===- PythonFrontEnd.cpp - where the Python front end is ----------------===//

#include "predict/Import/PythonFrontEnd.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"

// Defined by lib/Import/CMakeLists.txt: the front end's folder relative to
// the tools' folder, the same in the build tree and in an install.
#ifndef PREDICT_PYTHON_DIR_FROM_BIN
#error "PREDICT_PYTHON_DIR_FROM_BIN is set by lib/Import/CMakeLists.txt"
#endif

llvm::Expected<std::string>
mlir::predict::findPythonFrontEnd(llvm::StringRef script) {
  llvm::SmallString<256> path;
  // Empty is unset, as for PATH-like variables.
  std::optional<std::string> dir =
      llvm::sys::Process::GetEnv(kPythonFrontEndEnv);
  if (dir && !dir->empty()) {
    path = *dir;
    llvm::sys::path::append(path, script);
    if (llvm::sys::fs::is_regular_file(path))
      return std::string(path);
    return llvm::createStringError(
        llvm::Twine("the Python front end is missing: looked for '") + path +
        "', as " + kPythonFrontEndEnv + "='" + *dir + "' says; set " +
        kPythonFrontEndEnv + " to the folder holding " + script +
        " (python/ in predict's source tree), or unset it to use the "
        "installed one");
  }
  // The executable's real path (/proc/self/exe on Linux): a symbolic link
  // to an installed tool still finds the tree it belongs to. The address
  // only serves systems without such a path.
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable("predict-import", &anchor);
  if (exe.empty())
    return llvm::createStringError(
        llvm::Twine("cannot locate the running executable, which the Python "
                    "front end is installed beside: set ") +
        kPythonFrontEndEnv + " to the folder holding " + script);
  path = llvm::sys::path::parent_path(exe);
  llvm::sys::path::append(path, PREDICT_PYTHON_DIR_FROM_BIN, script);
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  if (llvm::sys::fs::is_regular_file(path))
    return std::string(path);
  return llvm::createStringError(
      llvm::Twine("the Python front end is missing: looked for '") + path +
      "' (beside '" + exe +
      "'); install predict whole (cmake --install BUILD --prefix PREFIX "
      "puts it in PREFIX/share/predict/python), or set " +
      kPythonFrontEndEnv + " to the folder holding " + script +
      " (python/ in predict's source tree)");
}

llvm::Error mlir::predict::runPythonFrontEnd(llvm::StringRef script,
                                             llvm::ArrayRef<std::string> args,
                                             llvm::StringRef outPath,
                                             llvm::StringRef source) {
  auto scriptPath = findPythonFrontEnd(script);
  if (!scriptPath)
    return scriptPath.takeError();
  llvm::StringRef python = "/usr/bin/python3";
  // The script imported as a module, not run as one: Python compiles a
  // script's source at every run (0.15 s of each import for the reader),
  // a module's once into __pycache__ beside it (at install time for an
  // install, python/CMakeLists.txt). Isolated (-I): neither the working
  // folder nor PYTHONPATH can shadow the standard library it imports.
  static constexpr llvm::StringLiteral launcher =
      "import importlib, sys; sys.path.insert(0, sys.argv[1]); "
      "sys.exit(importlib.import_module(sys.argv[2]).run(sys.argv[3:]))";
  std::string folder = llvm::sys::path::parent_path(*scriptPath).str();
  std::string module = llvm::sys::path::stem(*scriptPath).str();
  std::vector<llvm::StringRef> argv = {python,   "-I",   "-c",
                                       launcher, folder, module};
  argv.insert(argv.end(), args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, outPath,
                                                std::nullopt};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(python, argv, std::nullopt, redirects,
                                         /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &error);
  if (status < 0)
    return llvm::createStringError("cannot run " + python + ": " +
                                   (error.empty() ? "it crashed" : error));
  if (status != 0)
    return llvm::createStringError("'" + source +
                                   "' was not converted (errors above)");
  return llvm::Error::success();
}
