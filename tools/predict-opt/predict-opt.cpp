//===- predict-opt.cpp - mlir-opt with the predict dialect and passes -----===//
//
// MlirOptMain with predict's dialect and passes, reading its input as
// predict-run does: a file (or stdin) of bounded size, whose nesting is
// checked before MLIR's parser (which recurses once per level) runs, on a
// stack sized for that nesting.
//
//===----------------------------------------------------------------------===//

#include "predict/Codegen/Passes.h"
#include "predict/Conversion/Passes.h"
#include "predict/Dialect/Predict/IR/PredictDialect.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"
#include "predict/Pipelines/Pipelines.h"
#include "predict/Support/InputFiles.h"
#include "predict/Support/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

namespace cl = llvm::cl;

static cl::opt<unsigned> maxNesting(
    "max-nesting",
    cl::desc("The deepest nesting of brackets (regions, types, attributes) "
             "the input may have (default 1000)"),
    cl::init(mlir::predict::kDefaultMaxNesting), cl::value_desc("LEVELS"));
static cl::opt<uint64_t>
    maxFileMiB("max-file-mib",
               cl::desc("The largest input read, in MiB (default 4096)"),
               cl::init(mlir::predict::kDefaultMaxFileBytes >> 20),
               cl::value_desc("MIB"));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "predict-opt: error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::predict::PredictDialect>();
  mlir::registerAllPasses();
  mlir::predict::registerPredictPasses();
  mlir::predict::registerPredictConversionPasses();
  mlir::predict::registerPredictCodegenPasses();
  mlir::predict::registerPredictPipelines();
  mlir::predict::registerVersionPrinter();
  // Diagnostics here are mostly remarks of predict's passes (loop batching)
  // located at the user's Python line: without the op dump under each that
  // MLIR prints by default, unless the user asks for it.
  std::vector<char *> args(argv, argv + argc);
  static char noOpDump[] = "--mlir-print-op-on-diagnostic=false";
  if (llvm::none_of(args, [](const char *arg) {
        return llvm::StringRef(arg).contains("mlir-print-op-on-diagnostic");
      }))
    args.insert(args.begin() + 1, noOpDump);
  argc = int(args.size());
  argv = args.data();
  auto [inputFile, outputFile] = mlir::registerAndParseCLIOptions(
      argc, argv,
      "predict optimizer driver: the predict dialect, its passes and every "
      "upstream MLIR dialect and pass\n",
      registry);
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  // These print and exit without reading any input.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFile, outputFile, registry));
  if (maxNesting == 0 || maxFileMiB == 0)
    return fail("--max-nesting and --max-file-mib must be at least 1");

  uint64_t maxFileBytes =
      maxFileMiB > (UINT64_MAX >> 20) ? UINT64_MAX : maxFileMiB << 20;
  auto file = mlir::predict::readInputFile(inputFile, "",
                                           {maxFileBytes, "--max-file-mib"});
  if (!file)
    return fail(llvm::toString(file.takeError()));
  if (llvm::Error e = mlir::predict::checkNesting(
          (*file)->getBuffer(), inputFile == "-" ? "<stdin>" : inputFile,
          mlir::predict::NestingSyntax::mlir, {maxNesting, "--max-nesting"}))
    return fail(llvm::toString(std::move(e)));
  std::string error;
  auto output = mlir::openOutputFile(outputFile, &error);
  if (!output)
    return fail(error);
  mlir::LogicalResult result = mlir::failure();
  mlir::predict::runWithStack(
      mlir::predict::stackBytesForNesting(maxNesting), [&] {
        result = mlir::MlirOptMain(output->os(), std::move(*file), registry,
                                   config);
      });
  if (mlir::failed(result))
    return 1;
  output->keep();
  return 0;
}
