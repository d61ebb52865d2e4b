//===- predict-import.cpp - front ends into the predict dialect -----------===//
//
// predict-import MODEL.h5 -o out.mlir
//
//===----------------------------------------------------------------------===//

#include "predict/Import/ImportFile.h"
#include "predict/Import/Keras.h"
#include "predict/Import/PythonProgram.h"
#include "predict/Support/InputFiles.h"
#include "predict/Support/OutputFiles.h"
#include "predict/Support/Parent.h"
#include "predict/Support/Version.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>

using namespace mlir;
namespace cl = llvm::cl;

/// predict-import's own options: --help lists these only (--help-hidden
/// also lists LLVM's).
static cl::OptionCategory category("predict-import options");

static cl::opt<std::string> input(cl::Positional, cl::desc("<model file>"),
                                  cl::Required, cl::cat(category));
static cl::opt<std::string> output("o",
                                   cl::desc("Output file (default: stdout)"),
                                   cl::value_desc("out.mlir"), cl::init("-"),
                                   cl::cat(category));
static cl::opt<bool> emitBytecode(
    "emit-bytecode",
    cl::desc("Write MLIR bytecode instead of text (also when -o ends in "
             ".mlirbc): the weights as raw bytes, half the size of text's "
             "hex, read in place by predict-run and predict-compile"),
    cl::cat(category));
static cl::opt<std::string>
    config("config",
           cl::desc("The model's JSON (model.to_json()), for a weights file "
                    "saved with model.save_weights()"),
           cl::value_desc("MODEL.json"), cl::cat(category));
static cl::opt<unsigned> hdf5Timeout(
    "hdf5-timeout",
    cl::desc("Seconds the HDF5 library may take to read a file before it is "
             "given up as damaged (default 120; it reads in a child process, "
             "so that a damaged file cannot crash or hang predict-import)"),
    cl::init(120), cl::value_desc("SECONDS"), cl::cat(category));

static cl::opt<unsigned> maxNesting(
    "max-nesting",
    cl::desc("The deepest nesting a model's JSON config (brackets) or "
             "Python source (expressions, and the helpers and models they "
             "call) may have (default 1000)"),
    cl::init(predict::kDefaultMaxNesting), cl::value_desc("LEVELS"),
    cl::cat(category));
static cl::opt<uint64_t> maxFileMiB(
    "max-file-mib",
    cl::desc("The largest source, config or .keras member read into memory, "
             "in MiB (default 4096)"),
    cl::init(predict::kDefaultMaxFileBytes >> 20), cl::value_desc("MIB"),
    cl::cat(category));
static cl::opt<uint64_t> maxWeightsMiB(
    "max-weights-mib",
    cl::desc("The most weights a model may have, in MiB (default 4096): "
             "checked against each HDF5 dataset's declared shape before it "
             "is read, and against a Python model's layer sizes before any "
             "weight is drawn or loaded"),
    cl::init(4096), cl::value_desc("MIB"), cl::cat(category));
static cl::opt<bool> trainingAsInference(
    "training-as-inference",
    cl::desc("Keras: compute a layer that the saved graph calls with "
             "training=True (Dropout, BatchNormalization) as at inference, "
             "with a warning, instead of refusing the model"),
    cl::cat(category));

// For Python source only.
static cl::opt<unsigned>
    seed("seed",
         cl::desc("Python source: seed of the Glorot-uniform kernels drawn "
                  "when no weights are given (default 0)"),
         cl::init(0), cl::cat(category));
static cl::opt<std::string>
    weights("weights",
            cl::desc("Python source: the weights to use, an .npz with keys "
                     "<attribute>/kernel and <attribute>/bias, or a Keras 3 "
                     ".weights.h5 (default: Keras's initializers, drawn from "
                     "--seed)"),
            cl::value_desc("FILE.npz|FILE.weights.h5"), cl::cat(category));
static cl::opt<std::string>
    dumpWeights("dump-weights",
                cl::desc("Python source: write the weights used to this "
                         ".npz (keys <attribute>/kernel, <attribute>/bias)"),
                cl::value_desc("FILE.npz"), cl::cat(category));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Python source: an entry argument's type, "
                         "overriding the one inferred from the program's "
                         "example call (NAME=?x100xf32)"),
                cl::value_desc("NAME=SHAPE"), cl::cat(category));

/// Prints a diagnostic located at a Keras layer (loc("LAYER"("FILE"))),
/// with its notes; fails for any other location, which the next handler
/// prints.
static int fail(const llvm::Twine &message) {
  llvm::errs() << "predict-import: error: " << message << "\n";
  return 1;
}

namespace {
/// A file the command writes, all at once: its bytes go to a temporary
/// beside it, renamed over it only once everything the command writes has
/// succeeded (commit), and deleted otherwise, so that a failed run leaves
/// no partial file and keeps an earlier file in place. A path that exists
/// and is not a regular file (/dev/stdout, a pipe) is written directly:
/// renaming over it would replace the device.
class PendingOutput {
public:
  /// Creates the temporary for `path`; an error naming `path` when its
  /// folder cannot take it.
  static llvm::Expected<std::unique_ptr<PendingOutput>>
  create(llvm::StringRef path) {
    llvm::sys::fs::file_status status;
    if (!llvm::sys::fs::status(path, status) &&
        status.type() != llvm::sys::fs::file_type::regular_file)
      return std::unique_ptr<PendingOutput>(
          new PendingOutput(path, std::nullopt));
    auto temp = llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%");
    if (!temp)
      return llvm::createStringError(
          "cannot write '" + path + "': " + llvm::toString(temp.takeError()));
    return std::unique_ptr<PendingOutput>(
        new PendingOutput(path, std::move(*temp)));
  }
  ~PendingOutput() {
    if (temp && !done)
      llvm::consumeError(temp->discard());
  }
  /// Where a writer that opens files by name writes.
  llvm::StringRef tempPath() const {
    return temp ? llvm::StringRef(temp->TmpName) : llvm::StringRef(path);
  }
  /// Writes `write`'s output; an error naming the file (a full disk
  /// included) instead of LLVM's fatal error on a failed stream.
  llvm::Error write(llvm::function_ref<void(llvm::raw_ostream &)> write) {
    std::error_code ec;
    std::optional<llvm::raw_fd_ostream> os;
    if (temp)
      os.emplace(temp->FD, /*shouldClose=*/false);
    else
      os.emplace(path, ec);
    if (!ec) {
      write(*os);
      os->flush();
      if (os->has_error()) {
        ec = os->error();
        os->clear_error();
      }
    }
    if (!ec)
      return llvm::Error::success();
    return llvm::createStringError("cannot write '" + path +
                                   "': " + ec.message());
  }
  /// Renames the temporary over the file.
  llvm::Error commit() {
    done = true;
    if (!temp)
      return llvm::Error::success();
    if (llvm::Error e = temp->keep(path))
      return llvm::createStringError("cannot write '" + path + "': " +
                                     llvm::toString(std::move(e)));
    return llvm::Error::success();
  }

private:
  PendingOutput(llvm::StringRef path,
                std::optional<llvm::sys::fs::TempFile> temp)
      : path(path.str()), temp(std::move(temp)) {}
  std::string path;
  std::optional<llvm::sys::fs::TempFile> temp;
  bool done = false;
};
} // namespace

int main(int argc, char **argv) {
  predict::ToolProcess process(argc, argv);
  predict::registerVersionPrinter();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "predict-import: Keras model files to the predict dialect\n\n"
      "  predict-import MODEL.h5 -o out.mlir          (Keras 2 or 3, model.save)\n"
      "  predict-import MODEL.keras -o out.mlir       (Keras 3 archive)\n"
      "  predict-import W.weights.h5 --config=MODEL.json -o out.mlir\n"
      "  predict-import model.py [--seed=N] [--dump-weights=W.npz] -o out.mlir\n");
  llvm::StringRef path = input;
  // Python source, or a program JSON its reader wrote before
  // (docs/PythonProgram.md); a Keras config JSON comes with --config.
  bool isPython = predict::isPythonInput(path, config);
  if (!isPython && (seed.getNumOccurrences() || !dumpWeights.empty() ||
                    !weights.empty() || !inputShapes.empty()))
    return fail("--seed, --weights, --dump-weights and --input-shape apply "
                "to Python source (model.py), not to '" +
                path + "'");
  if (path.ends_with(".weights.h5") && config.empty())
    return fail("'" + path +
                "' holds weights only: give the model's JSON with "
                "--config=MODEL.json (from model.to_json())");

  // Bytecode: asked for, or named so. Binary on a terminal is an error.
  bool bytecode = emitBytecode || llvm::StringRef(output).ends_with(".mlirbc");
  if (bytecode && output == "-" && llvm::sys::Process::StandardOutIsDisplayed())
    return fail("--emit-bytecode writes binary: give -o FILE.mlirbc, or "
                "redirect standard output to a file");
  if (hdf5Timeout == 0)
    return fail("--hdf5-timeout must be at least 1 second");
  predict::setHDF5ReadTimeout(hdf5Timeout);
  if (maxFileMiB == 0 || maxWeightsMiB == 0 || maxNesting == 0)
    return fail("--max-file-mib, --max-weights-mib and --max-nesting must be "
                "at least 1");
  // MiB to bytes, saturating: a huge value means no limit.
  auto bytes = [](uint64_t mib) {
    return mib > (UINT64_MAX >> 20) ? UINT64_MAX : mib << 20;
  };
  predict::KerasImportOptions keras;
  keras.maxNesting = maxNesting;
  keras.maxFileBytes = bytes(maxFileMiB);
  keras.maxWeightBytes = bytes(maxWeightsMiB);
  keras.trainingAsInference = trainingAsInference;
  predict::setKerasImportOptions(keras);
  // The model is a file: a device or a fifo (/dev/zero) would be read
  // without end. HDF5 files and archives are read in place (any size);
  // Python source is read whole.
  if (llvm::Error e = predict::checkInputFile(
          path, "",
          {isPython ? keras.maxFileBytes : UINT64_MAX, "--max-file-mib"}))
    return fail(llvm::toString(std::move(e)));

  // An output written over what the command reads would destroy it.
  for (const std::string *written :
       {&output.getValue(), &dumpWeights.getValue()})
    if (*written != "-" && !written->empty())
      if (std::optional<predict::ReadFile> read = predict::replacedInput(
              *written, {{"the model", input},
                         {"the --config file", config},
                         {"the --weights file", weights}}))
        return fail("'" + *written + "' (" +
                    (written == &output.getValue() ? "-o" : "--dump-weights") +
                    ") is " + read->what +
                    " itself: give the output a file of its own");
  if (output != "-" && !dumpWeights.empty() &&
      predict::replacedInput(dumpWeights, {{"-o", output}}))
    return fail("-o and --dump-weights name one file '" + output +
                "': give each a file of its own");
  // Every output gets its temporary first: a folder that cannot take one
  // fails the command before anything runs.
  std::unique_ptr<PendingOutput> outFile, weightsFile;
  if (output != "-") {
    auto pending = PendingOutput::create(output);
    if (!pending)
      return fail(llvm::toString(pending.takeError()));
    outFile = std::move(*pending);
  }
  if (!dumpWeights.empty()) {
    auto pending = PendingOutput::create(dumpWeights);
    if (!pending)
      return fail(llvm::toString(pending.takeError()));
    weightsFile = std::move(*pending);
  }

  MLIRContext context;
  // Diagnostics of Python source as `model.py:3:1: error: ...`, with the
  // line quoted.
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  // Those of a Keras layer, located at loc("dense_1"("model.h5")), as
  // `model.h5: layer 'dense_1': error: ...`.
  predict::KerasDiagnosticPrinter kerasDiagnostics(&context);
  context.printOpOnDiagnostic(false);
  predict::PythonProgramOptions pythonOptions;
  pythonOptions.seed = seed;
  pythonOptions.weights = weights;
  if (weightsFile) {
    pythonOptions.dumpWeights = weightsFile->tempPath().str();
    pythonOptions.dumpWeightsName = dumpWeights;
  }
  pythonOptions.maxNesting = maxNesting;
  pythonOptions.maxWeightBytes = keras.maxWeightBytes;
  pythonOptions.inputShapes.assign(inputShapes.begin(), inputShapes.end());
  auto module =
      predict::importModelFile(&context, path, config, pythonOptions);
  if (!module)
    return fail(llvm::toString(module.takeError()));

  // Large weights in text: hex, twice their bytes, which MLIR's printer
  // and parser each hold whole (docs/benchmarks.md, "Memory").
  if (!bytecode) {
    uint64_t weightBytes = 0;
    (*module)->walk([&](Operation *op) {
      op->getAttrDictionary().walk([&](DenseResourceElementsAttr resource) {
        if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
          weightBytes += blob->getData().size();
      });
    });
    if (weightBytes > (uint64_t(64) << 20))
      llvm::errs() << "predict-import: warning: the model's "
                   << (weightBytes >> 20)
                   << " MiB of weights are written as hex text, twice their "
                      "size, which MLIR's parser reads back whole: -o "
                      "FILE.mlirbc (or --emit-bytecode) writes MLIR bytecode, "
                      "half the size, read in place\n";
  }
  // With locations: every op names its Keras layer, so that diagnostics of
  // later stages point at it (bytecode keeps them too).
  auto print = [&](llvm::raw_ostream &os) {
    if (bytecode) {
      // Fails only for an op its version cannot hold: none of predict's.
      (void)writeBytecodeToFile(
          module->get(), os,
          BytecodeWriterConfig(
              ("predict-import " + predict::getPredictVersion()).str()));
      return;
    }
    (*module)->print(os, OpPrintingFlags().enableDebugInfo());
    os << "\n";
  };
  if (outFile) {
    if (llvm::Error e = outFile->write(print))
      return fail(llvm::toString(std::move(e)));
  }
  // All written: the files appear together (stdout last, as it cannot be
  // taken back).
  for (PendingOutput *file : {weightsFile.get(), outFile.get()})
    if (file)
      if (llvm::Error e = file->commit())
        return fail(llvm::toString(std::move(e)));
  if (!outFile) {
    print(llvm::outs());
    std::string lost = predict::stdoutLost();
    if (!lost.empty())
      return fail("cannot write to standard output: " + lost);
  }
  return 0;
}
