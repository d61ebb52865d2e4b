//===- ImportFile.cpp - import any model file predict takes ---------------===//

#include "predict/Import/ImportFile.h"
#include "predict/Import/Keras.h"

#include "predict/Support/InputFiles.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::predict;

bool predict::isPythonInput(llvm::StringRef path, llvm::StringRef config) {
  return path.ends_with(".py") || (path.ends_with(".json") && config.empty());
}

/// The kind of Keras model file that `head` (a file's first bytes) starts
/// as: "a Keras 3 archive (zip)", "an HDF5 file (Keras .h5)", or empty.
static llvm::StringRef modelFileKind(llvm::StringRef head) {
  if (head.starts_with(llvm::StringRef("PK\x03\x04", 4)))
    return "a Keras 3 archive (zip)";
  if (head.starts_with("\x89HDF\r\n\x1a\n"))
    return "an HDF5 file (Keras .h5)";
  return "";
}

llvm::Expected<OwningOpRef<ModuleOp>>
predict::importModelFile(MLIRContext *context, llvm::StringRef path,
                         llvm::StringRef config,
                         const PythonProgramOptions &python) {
  // Each reader would say something of its own (no HDF5 signature, not a
  // zip archive, no entry function): the plain truth first.
  uint64_t size = 0;
  if (!llvm::sys::fs::file_size(path, size) && size == 0 &&
      llvm::sys::fs::is_regular_file(path))
    return llvm::createStringError("'" + path +
                                   "' is empty: give a model file (.h5, "
                                   ".keras, .py) with its contents");
  if (isPythonInput(path, config)) {
    if (!config.empty())
      return llvm::createStringError(
          "--config gives the architecture of a Keras weights file (.h5); '" +
          path +
          "' is a Python program, whose model is its source: leave "
          "--config out (its weights are given with --weights)");
    return importPythonProgram(context, path, python);
  }
  if (!config.empty())
    return importKerasWeights(context, path, config);
  // By content, whatever the name says (`model.bin`, `/dev/fd/3`, a
  // .keras archive renamed .h5); a .keras that is HDF5 (tf.keras 2 before
  // 2.13) is told apart by importKerasArchive.
  if (path.ends_with(".keras") || startsAsZip(path))
    return importKerasArchive(context, path);
  return importKerasH5(context, path);
}

bool predict::isModelFile(llvm::StringRef path) {
  return llvm::any_of(llvm::ArrayRef<llvm::StringRef>{".h5", ".hdf5", ".keras",
                                                      ".py", ".json"},
                      [&](llvm::StringRef extension) {
                        return path.ends_with(extension);
                      }) ||
         (!path.ends_with(".mlir") && !path.ends_with(".mlirbc") &&
          !modelFileKind(fileHead(path, 8)).empty());
}

/// The first shaped type in `module` with a negative static size, printed.
/// MLIR's text parser refuses them; its bytecode reader builds them from a
/// damaged file, and later stages would fail on them as on a bug.
static std::optional<std::string> negativeSize(ModuleOp module) {
  std::optional<std::string> bad;
  auto check = [&](Type type) {
    type.walk([&](ShapedType shaped) {
      if (!bad && shaped.hasRank() &&
          llvm::any_of(shaped.getShape(), [](int64_t size) {
            return size < 0 && !ShapedType::isDynamic(size);
          })) {
        bad.emplace();
        llvm::raw_string_ostream(*bad) << shaped;
      }
    });
  };
  module->walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      check(type);
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument argument : block.getArguments())
          check(argument.getType());
    op->getAttrDictionary().walk([&](Type type) { check(type); });
    return bad ? WalkResult::interrupt() : WalkResult::advance();
  });
  return bad;
}

llvm::Expected<OwningOpRef<ModuleOp>>
predict::loadModule(MLIRContext *context, llvm::SourceMgr &sourceMgr,
                    llvm::StringRef path, const ModuleSourceOptions &options) {
  const PythonProgramOptions &python = options.python;
  if (!isModelFile(path)) {
    if (!options.config.empty() || !python.weights.empty() ||
        !python.inputShapes.empty())
      return llvm::createStringError(
          "--config, --weights and --input-shape apply to a model file (.h5, "
          ".keras, .py), not to '" + path + "'");
    auto file = readInputFile(path, "", {options.maxFileBytes,
                                         options.maxFileFlag});
    if (!file)
      return file.takeError();
    // A model file read as IR: from stdin or a pipe, which are not read by
    // name (HDF5 and zip readers seek in the file).
    if (llvm::StringRef kind = modelFileKind((*file)->getBuffer());
        !kind.empty())
      return llvm::createStringError(
          (path == "-" ? std::string("stdin") : "'" + path.str() + "'") +
          " is " + kind +
          ", which is read from its file by name, not from stdin or a pipe: "
          "give the file's path (model.h5, model.keras)");
    // Bytes that are neither MLIR text nor bytecode (an ONNX model, a
    // library, a file named .mlir by mistake): said so here, not by the
    // parser echoing binary to the terminal.
    llvm::StringRef bytes = (*file)->getBuffer();
    if (bytes.trim().empty())
      return llvm::createStringError(
          (path == "-" ? std::string("stdin") : "'" + path.str() + "'") +
          " is empty: give a model (.h5, .keras, .py) or predict IR "
          "(.mlir text or bytecode)");
    bool bytecode = isBytecode((*file)->getMemBufferRef());
    if (!bytecode && (bytes.contains('\0') || !llvm::json::isUTF8(bytes)))
      return llvm::createStringError(
          (path == "-" ? std::string("stdin") : "'" + path.str() + "'") +
          " is not a file predict reads: it holds binary data" +
          (bytes.starts_with("\x7f" "ELF") ? " (an ELF program or library)"
                                           : "") +
          ", and is neither a Keras .h5 or .keras, nor a Python program "
          "(.py), nor predict IR (.mlir text or bytecode)");
    OwningOpRef<ModuleOp> module;
    if (bytecode) {
      // Bytecode's resources (the weights) are read in place, from the
      // file's buffer, which the IR keeps alive through this manager: no
      // copy of the weights is made (MLIR's bufferOwnerRef). Its bytes
      // are not text: the bracket count below does not apply.
      auto owner = std::make_shared<llvm::SourceMgr>();
      owner->AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
      module = parseSourceFile<ModuleOp>(owner, context);
      if (module)
        if (std::optional<std::string> bad = negativeSize(*module))
          return llvm::createStringError(
              "'" + path + "' holds the type " + *bad +
              ", whose sizes cannot be negative: the bytecode file is "
              "damaged (write it again with predict-import)");
    } else {
      if (llvm::Error e =
              checkNesting(bytes, path, NestingSyntax::mlir,
                           {options.maxNesting, options.maxNestingFlag}))
        return std::move(e);
      sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
      module = parseSourceFile<ModuleOp>(sourceMgr, context);
    }
    if (!module) {
      // A name that is not predict IR's says how it was read.
      bool named =
          path == "-" || path.ends_with(".mlir") || path.ends_with(".mlirbc");
      return llvm::createStringError(
          "cannot parse '" + path + "' (diagnostics above)" +
          (named ? std::string()
                 : std::string(": a file not named .h5, .hdf5, .keras, "
                               ".py or .json is read as predict IR "
                               "(.mlir); give a model file its extension")));
    }
    return module;
  }
  // A model file: checked to be a file, then imported as predict-import
  // would (Python source is read whole, so its size is limited; HDF5 files
  // and archives are read in place).
  uint64_t limit = isPythonInput(path, options.config) ? options.maxFileBytes
                                                       : UINT64_MAX;
  if (llvm::Error e = checkInputFile(path, "", {limit, options.maxFileFlag}))
    return std::move(e);
  return importModelFile(context, path, options.config, python);
}

/// `model.h5: layer 'dense_1'` for loc("dense_1"("model.h5")).
static std::optional<std::string> layerOf(Location loc) {
  auto layer = dyn_cast<NameLoc>(loc);
  auto file = layer ? dyn_cast<NameLoc>(layer.getChildLoc()) : NameLoc();
  if (!file || !isa<UnknownLoc>(file.getChildLoc()))
    return std::nullopt;
  return (file.getName().getValue() + ": layer '" +
          layer.getName().getValue() + "'")
      .str();
}

static LogicalResult printKerasDiagnostic(Diagnostic &diag) {
  auto where = layerOf(diag.getLocation());
  if (!where)
    return failure();
  auto print = [](llvm::StringRef at, DiagnosticSeverity severity,
                  const llvm::Twine &message) {
    llvm::StringRef kind = severity == DiagnosticSeverity::Error ? "error"
                           : severity == DiagnosticSeverity::Warning
                               ? "warning"
                               : severity == DiagnosticSeverity::Note
                                     ? "note"
                                     : "remark";
    llvm::errs() << at << ": " << kind << ": " << message << "\n";
  };
  print(*where, diag.getSeverity(), diag.str());
  for (Diagnostic &note : diag.getNotes())
    print(layerOf(note.getLocation()).value_or(*where), note.getSeverity(),
          note.str());
  return success();
}

KerasDiagnosticPrinter::KerasDiagnosticPrinter(MLIRContext *context)
    : ScopedDiagnosticHandler(context, printKerasDiagnostic) {}
