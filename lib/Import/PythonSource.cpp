//===- PythonSource.cpp - run the Python-source front end -----------------===//
//
// The conversion itself is Python (it reads Python with `ast`); this side runs
// it, and parses and verifies the IR it prints so that a bug of the front end
// is caught here, at import, and not by a later pass. Such a bug is reported
// at the user's line that the IR came from, never in the IR's text (which
// is a temporary the user never sees).
//
//===----------------------------------------------------------------------===//

#include "predict/Import/PythonSource.h"
#include "predict/Import/PythonFrontEnd.h"
#include "H5.h"
#include "Zip.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

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

/// The user's location that line `line` of the front end's IR came from: the
/// last `loc("<file>":L:C)` on it or on the nearest line before it that has
/// one (a region's opening line has none); the file itself otherwise.
static Location userLocation(MLIRContext *context, llvm::StringRef path,
                             const llvm::SourceMgr &ir, unsigned line) {
  llvm::StringRef text = ir.getMemoryBuffer(1)->getBuffer();
  SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  for (unsigned at = std::min<unsigned>(line, lines.size()); at >= 1; --at) {
    llvm::StringRef l = lines[at - 1];
    // `":L:C)`: the file name ends in a quote, the position follows.
    size_t end = l.rfind(')');
    while (end != llvm::StringRef::npos) {
      llvm::StringRef head = l.take_front(end);
      size_t colon = head.rfind(':');
      size_t colon2 =
          colon == llvm::StringRef::npos ? colon : head.rfind(':', colon - 1);
      unsigned lineNo, colNo;
      if (colon2 != llvm::StringRef::npos && colon2 > 0 &&
          head[colon2 - 1] == '"' &&
          !head.slice(colon2 + 1, colon).getAsInteger(10, lineNo) &&
          !head.substr(colon + 1).getAsInteger(10, colNo))
        return FileLineColLoc::get(context, path, lineNo, colNo);
      end = end == 0 ? llvm::StringRef::npos : l.rfind(')', end - 1);
    }
  }
  return FileLineColLoc::get(context, path, 1, 1);
}

llvm::Expected<OwningOpRef<ModuleOp>>
predict::importPythonSource(MLIRContext *context, llvm::StringRef path,
                            const PythonSourceOptions &options) {
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
  // registry: the front end sizes the layers after such a call by it. Every
  // function is listed (`unknown` when its result has no rule), since the
  // others are host callbacks, whose result has their first argument's rank
  // (docs/ForeignCalls.md).
  std::string foreignShapes = "--foreign-shapes=";
  for (const ForeignFunction &f : foreignFunctions()) {
    if (foreignShapes.back() != '=')
      foreignShapes += ",";
    llvm::StringRef rule = foreignResultShapeName(f.resultShape);
    foreignShapes += (f.name + "=" + (rule.empty() ? "unknown" : rule)).str();
  }
  std::vector<std::string> argStorage = {
      path.str(),
      seed,
      activations,
      foreignShapes,
      "--max-nesting=" + std::to_string(options.maxNesting),
      "--max-weight-bytes=" + std::to_string(options.maxWeightBytes)};
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
  if (!options.dumpWeights.empty()) {
    argStorage.push_back("--dump-weights=" + options.dumpWeights);
    argStorage.push_back("--dump-weights-name=" +
                         (options.dumpWeightsName.empty()
                              ? options.dumpWeights
                              : options.dumpWeightsName));
  }
  for (const std::string &shape : options.inputShapes)
    argStorage.push_back("--input-shape=" + shape);
  if (llvm::Error e = runPythonFrontEnd(kPythonConverterScript, argStorage,
                                        outPath, path))
    return std::move(e);

  context->loadDialect<PredictDialect, func::FuncDialect, arith::ArithDialect,
                       tensor::TensorDialect>();
  auto text = llvm::MemoryBuffer::getFile(outPath, /*IsText=*/true);
  if (!text)
    return fail("cannot read the Python front end's output: " +
                text.getError().message());
  // Named after the user's file: the temporary is deleted on return.
  std::string irName = (path + " (IR of the Python front end)").str();
  llvm::SourceMgr irSource;
  irSource.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy((*text)->getBuffer(), irName),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module;
  {
    // The parser's diagnostics are located in the IR text: collected here
    // and reported at the user's line that the IR line came from.
    SmallVector<std::pair<unsigned, std::string>> irErrors;
    ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
      auto at = dyn_cast<FileLineColLoc>(diag.getLocation());
      if (!at || at.getFilename() != irName)
        return failure(); // the user's location: for the tool's handler
      if (diag.getSeverity() == DiagnosticSeverity::Error)
        irErrors.push_back({at.getLine(), diag.str()});
      return success();
    });
    ParserConfig config(context);
    module = parseSourceFile<ModuleOp>(irSource, config);
    for (auto &[line, message] : irErrors)
      emitError(userLocation(context, path, irSource, line))
          << "internal error: the Python front end wrote IR for this line "
             "that MLIR cannot read ("
          << message << "); please report it with the source";
  }
  if (!module)
    return fail("'" + path +
                "' was not converted: the Python front end wrote IR that "
                "does not parse (errors above)");
  // The module is the user's file, not the text it was parsed from.
  (*module)->setLoc(FileLineColLoc::get(context, path, 1, 1));
  if (failed(verify(*module)))
    return fail("internal error: the Python front end wrote IR that does "
                "not verify for '" +
                path + "' (diagnostics above); please report it");
  return module;
}
