//===- PythonSource.cpp - run the Python-source front end -----------------===//
//
// The conversion itself is Python (it reads Python with `ast`); this side runs
// it, and parses and verifies the IR it prints so that a bug of the front end
// is caught here, at import, and not by a later pass.
//
//===----------------------------------------------------------------------===//

#include "predict/Import/PythonSource.h"
#include "H5.h"
#include "Zip.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

using namespace mlir;
using namespace mlir::predict;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

using NamedArrays = std::vector<
    std::pair<std::string, std::pair<std::vector<int64_t>, std::vector<float>>>>;

/// Every `.../vars/<i>` dataset under `path`, named by its path without the
/// leading slash: the variables of a Keras 3 `.weights.h5`, whichever object
/// they belong to. The front end maps them to layers.
static llvm::Error collectVars(const h5::File &file, const std::string &path,
                               int depth, NamedArrays &out) {
  if (depth > 16) // deeper than any Keras model; a cycle of links
    return fail("'" + file.path() + "' nests groups deeper than 16 at '" +
                path + "'");
  for (const std::string &child : file.children(path)) {
    std::string childPath = path == "/" ? "/" + child : path + "/" + child;
    if (child != "vars") {
      if (llvm::Error e = collectVars(file, childPath, depth + 1, out))
        return e;
      continue;
    }
    for (const std::string &var : file.children(childPath)) {
      auto array = file.readArray(childPath + "/" + var);
      if (!array)
        return array.takeError();
      out.push_back({childPath.substr(1) + "/" + var,
                     {std::vector<int64_t>(array->shape.begin(),
                                           array->shape.end()),
                      std::move(array->data)}});
    }
  }
  return llvm::Error::success();
}

llvm::Expected<OwningOpRef<ModuleOp>>
predict::importPythonSource(MLIRContext *context, llvm::StringRef path,
                            const PythonSourceOptions &options) {
  llvm::StringRef python = "/usr/bin/python3";
  llvm::StringRef frontEnd = PREDICT_SOURCE_FRONTEND;
  if (!llvm::sys::fs::exists(frontEnd))
    return fail("the Python front end '" + frontEnd +
                "' is missing: predict-import runs it from the source tree "
                "it was built from");
  llvm::SmallString<64> outPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("predict-import", "mlir", outPath))
    return fail("cannot create a temporary file: " + ec.message());
  llvm::FileRemover remover(outPath);

  std::string seed = "--seed=" + std::to_string(options.seed);
  // The activations the dialect has, from its enum: the front end checks
  // layers against them and reports a bad one at the user's line.
  std::string activations = "--activations=";
  for (uint32_t i = 0; i <= getMaxEnumValForActivationKind(); ++i)
    if (auto kind = symbolizeActivationKind(i))
      activations += (i ? "," : "") + stringifyActivationKind(*kind).str();
  // What the foreign functions predict can rewrite return, from their
  // registry: the front end sizes the layers after such a call by it.
  std::string foreignShapes = "--foreign-shapes=";
  for (const ForeignFunction &f : foreignFunctions()) {
    if (f.resultShape == ForeignResultShape::Unknown)
      continue;
    if (foreignShapes.back() != '=')
      foreignShapes += ",";
    foreignShapes +=
        (f.name + "=" + foreignResultShapeName(f.resultShape)).str();
  }
  std::vector<std::string> argStorage = {python.str(), frontEnd.str(),
                                         path.str(),   seed,
                                         activations,  foreignShapes};
  // A Keras .weights.h5 reaches the front end (standard library only, so no
  // HDF5) as an .npz of its variables by HDF5 path.
  llvm::SmallString<64> kerasPath;
  std::optional<llvm::FileRemover> kerasRemover;
  if (llvm::StringRef(options.weights).ends_with(".h5")) {
    auto file = h5::File::open(options.weights);
    if (!file)
      return file.takeError();
    NamedArrays vars;
    if (llvm::Error e = collectVars(*file, "/", 0, vars))
      return std::move(e);
    if (vars.empty())
      return fail("'" + options.weights +
                  "' holds no Keras variables (groups named 'vars'): give a "
                  "file written by model.save_weights() of Keras 3");
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "predict-weights", "npz", kerasPath))
      return fail("cannot create a temporary file: " + ec.message());
    kerasRemover.emplace(kerasPath);
    if (llvm::Error e = zip::writeNpz(kerasPath, vars))
      return std::move(e);
    argStorage.push_back("--keras-weights=" + kerasPath.str().str());
    argStorage.push_back("--weights-name=" + options.weights);
  } else if (!options.weights.empty()) {
    argStorage.push_back("--weights=" + options.weights);
  }
  if (!options.dumpWeights.empty())
    argStorage.push_back("--dump-weights=" + options.dumpWeights);
  for (const std::string &shape : options.inputShapes)
    argStorage.push_back("--input-shape=" + shape);
  std::vector<llvm::StringRef> args(argStorage.begin(), argStorage.end());
  // stdout to the file; stderr (the user's diagnostics) passes through.
  std::optional<llvm::StringRef> redirects[] = {std::nullopt,
                                                llvm::StringRef(outPath),
                                                std::nullopt};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(python, args, std::nullopt, redirects,
                                         /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &error);
  if (status < 0)
    return fail("cannot run " + python + ": " +
                (error.empty() ? "it crashed" : error));
  if (status != 0)
    return fail("'" + path + "' was not converted (errors above)");

  context->loadDialect<PredictDialect, func::FuncDialect, arith::ArithDialect,
                       tensor::TensorDialect>();
  auto module = parseSourceFile<ModuleOp>(outPath.str(), context);
  if (!module)
    return fail("internal error: the Python front end wrote IR that does "
                "not parse for '" +
                path + "' (diagnostics above); please report it");
  if (failed(verify(*module)))
    return fail("internal error: the Python front end wrote IR that does "
                "not verify for '" +
                path + "' (diagnostics above); please report it");
  // The module is the user's file, not the temporary it was parsed from.
  (*module)->setLoc(FileLineColLoc::get(context, path, 1, 1));
  return module;
}
