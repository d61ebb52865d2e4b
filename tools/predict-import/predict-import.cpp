//===- predict-import.cpp - front ends into the predict dialect -----------===//
//
// predict-import MODEL.h5 -o out.mlir
//
//===----------------------------------------------------------------------===//

#include "predict/Import/Keras.h"
#include "predict/Import/PythonSource.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> input(cl::Positional, cl::desc("<model file>"),
                                  cl::Required);
static cl::opt<std::string> output("o", cl::desc("Output file (default: stdout)"),
                                   cl::value_desc("out.mlir"), cl::init("-"));
static cl::opt<std::string>
    config("config",
           cl::desc("The model's JSON (model.to_json()), for a weights file "
                    "saved with model.save_weights()"),
           cl::value_desc("MODEL.json"));
static cl::opt<unsigned> hdf5Timeout(
    "hdf5-timeout",
    cl::desc("Seconds the HDF5 library may take to read a file before it is "
             "given up as damaged (default 120; it reads in a child process, "
             "so that a damaged file cannot crash or hang predict-import)"),
    cl::init(120), cl::value_desc("SECONDS"));

// For Python source only.
static cl::opt<unsigned>
    seed("seed",
         cl::desc("Python source: seed of the Glorot-uniform kernels drawn "
                  "when no weights are given (default 0)"),
         cl::init(0));
static cl::opt<std::string>
    weights("weights",
            cl::desc("Python source: the weights to use, an .npz with keys "
                     "<attribute>/kernel and <attribute>/bias, or a Keras 3 "
                     ".weights.h5 (default: Keras's initializers, drawn from "
                     "--seed)"),
            cl::value_desc("FILE.npz|FILE.weights.h5"));
static cl::opt<std::string>
    dumpWeights("dump-weights",
                cl::desc("Python source: write the weights used to this "
                         ".npz (keys <attribute>/kernel, <attribute>/bias)"),
                cl::value_desc("FILE.npz"));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Python source: an entry argument's type, "
                         "overriding the one inferred from the program's "
                         "example call (NAME=?x100xf32)"),
                cl::value_desc("NAME=SHAPE"));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "predict-import: error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "predict-import: Keras model files to the predict dialect\n\n"
      "  predict-import MODEL.h5 -o out.mlir          (Keras 2 or 3, model.save)\n"
      "  predict-import MODEL.keras -o out.mlir       (Keras 3 archive)\n"
      "  predict-import W.weights.h5 --config=MODEL.json -o out.mlir\n"
      "  predict-import model.py [--seed=N] [--dump-weights=W.npz] -o out.mlir\n");
  llvm::StringRef path = input;
  bool isPython = path.ends_with(".py");
  if (!isPython && (seed.getNumOccurrences() || !dumpWeights.empty() ||
                    !weights.empty() || !inputShapes.empty()))
    return fail("--seed, --weights, --dump-weights and --input-shape apply "
                "to Python "
                "source (model.py), not to '" +
                path + "'");
  if (path.ends_with(".weights.h5") && config.empty())
    return fail("'" + path +
                "' holds weights only: give the model's JSON with "
                "--config=MODEL.json (from model.to_json())");

  if (hdf5Timeout == 0)
    return fail("--hdf5-timeout must be at least 1 second");
  predict::setHDF5ReadTimeout(hdf5Timeout);

  MLIRContext context;
  // Diagnostics as `model.h5:3:1: error: ...`, the position of the layer.
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  context.printOpOnDiagnostic(false);
  predict::PythonSourceOptions pythonOptions;
  pythonOptions.seed = seed;
  pythonOptions.weights = weights;
  pythonOptions.dumpWeights = dumpWeights;
  pythonOptions.inputShapes.assign(inputShapes.begin(), inputShapes.end());
  auto module = isPython ? predict::importPythonSource(&context, path,
                                                       pythonOptions)
                : !config.empty()
                    ? predict::importKerasWeights(&context, path, config)
                : path.ends_with(".keras")
                    ? predict::importKerasArchive(&context, path)
                    : predict::importKerasH5(&context, path);
  if (!module)
    return fail(llvm::toString(module.takeError()));

  // Written to a temporary and kept only on success: never a partial file.
  std::string error;
  auto out = openOutputFile(output, &error);
  if (!out)
    return fail("cannot write '" + output + "': " + error);
  // With locations: every op names its Keras layer, so that diagnostics of
  // later stages point at it.
  (*module)->print(out->os(), OpPrintingFlags().enableDebugInfo());
  out->os() << "\n";
  out->keep();
  return 0;
}
