//===- predict-compile.cpp - compile a model into a C library -------------===//
//
// predict-compile MODEL -o libmodel.so|libmodel.a|model.o [--header=model.h]
//                 [--name=PREFIX] [--function=NAME] [--threads=N]
//                 [--foreign=reject|rewrite|callback] [--foreign-lib=LIB.so]...
//                 [--target-cpu=host|x86-64-v3|...]
//                 [--config=MODEL.json] [--weights=W.npz] [--input-shape=...]
//
// MODEL is anything predict-import reads (.h5, .keras, weights with
// --config, .py) or predict IR (.mlir, any stage predict-run takes). The
// library needs only libc and libm; see docs/AOT.md.
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictDialect.h"
#include "predict/Import/ImportFile.h"
#include "predict/Runner/Progress.h"
#include "predict/Runner/Runner.h"
#include "predict/Support/InputFiles.h"
#include "predict/Support/Parent.h"
#include "predict/Support/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::predict::runner;
namespace cl = llvm::cl;

static cl::OptionCategory category("predict-compile options");
static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<model file or .mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string>
    output("o", cl::desc("The library: lib*.so, *.a or *.o"),
           cl::value_desc("FILE"), cl::Required, cl::cat(category));
static cl::opt<std::string>
    header("header", cl::desc("Also write the C header declaring it"),
           cl::value_desc("FILE.h"), cl::cat(category));
static cl::opt<std::string>
    symbolPrefix("name",
         cl::desc("Prefix of the C symbols (default: from -o, libmodel.so "
                  "gives model)"),
         cl::value_desc("PREFIX"), cl::cat(category));
static cl::opt<std::string>
    function("function",
             cl::desc("The one function to compile, with what it calls "
                      "(default: every public function)"),
             cl::value_desc("NAME"), cl::cat(category));
static cl::opt<std::string> foreign(
    "foreign",
    cl::desc("Foreign calls: reject (default), rewrite (known functions "
             "become native code) or callback (known functions native, the "
             "others call --foreign-lib)"),
    cl::value_desc("reject|rewrite|callback"), cl::init("reject"),
    cl::cat(category));
static cl::list<std::string> foreignLibs(
    "foreign-lib",
    cl::desc("A shared library with host callbacks for --foreign=callback "
             "(include/predict/Runtime/ForeignCallback.h); a .so library is "
             "linked to it"),
    cl::value_desc("libfoo.so"), cl::cat(category));
static cl::opt<std::string> targetCpu(
    "target-cpu",
    cl::desc("The CPU the library runs on: host (default), or an LLVM CPU "
             "name such as x86-64-v3 (AVX2) or x86-64-v4 (AVX-512)"),
    cl::value_desc("CPU"), cl::init("host"), cl::cat(category));
static cl::opt<bool> noVectorize("no-vectorize",
                                 cl::desc("Lower contractions to plain loops"),
                                 cl::cat(category));
static cl::opt<std::string>
    config("config",
           cl::desc("The model's JSON (model.to_json()) for a weights file"),
           cl::value_desc("MODEL.json"), cl::cat(category));
static cl::opt<std::string>
    weights("weights", cl::desc("Python source: the weights (.npz)"),
            cl::value_desc("W.npz"), cl::cat(category));
static cl::opt<unsigned> seed(
    "seed",
    cl::desc("Python source: seed of the weights drawn when none are given"),
    cl::init(0), cl::cat(category));
static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Python source: NAME=?x100xf32 sets a parameter's type"),
    cl::value_desc("NAME=TYPE"), cl::cat(category));

/// OpenMP teams larger than this are a typo, not a machine.
static constexpr int kMaxThreads = 1024;

static int fail(const llvm::Twine &message) {
  llvm::errs() << "predict-compile: error: " << message << "\n";
  return 1;
}

/// The default prefix of the C symbols: the file name of -o without `lib`
/// and its extension, with every character other than ASCII letters,
/// digits and _ made one _ (a UTF-8 character of several bytes too);
/// `model` before one that would start with a digit or _ (C reserves
/// names that start with _ and a capital or two _).
static std::string defaultPrefix(llvm::StringRef path) {
  llvm::StringRef stem = llvm::sys::path::stem(path);
  stem.consume_front("lib");
  std::string prefix;
  for (char c : stem) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) == 0x80)
      continue; // a continuation byte of the character already made _
    prefix += llvm::isAlnum(c) ? c : '_';
  }
  if (prefix.empty())
    return "model"; // `-o lib.so`
  if (llvm::isDigit(prefix.front()))
    return "model_" + prefix;
  if (prefix.front() == '_')
    return "model" + prefix;
  return prefix;
}

static int run(const char *argv0, unsigned threads) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<predict::PredictDialect>();
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  // Dialects load as the module's parser and the passes need them, not all
  // of upstream's at once: every canonicalization (each instance gathers
  // the patterns of every loaded op) and the stages before LLVM took about
  // twice as long with all of them loaded (docs/Pipeline.md).
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);

  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  predict::KerasDiagnosticPrinter kerasDiagnostics(&context);
  if (!predict::isPythonInput(inputFile, config) &&
      (!weights.empty() || !inputShapes.empty() || seed.getNumOccurrences()))
    return fail("--weights, --seed and --input-shape apply to Python source "
                "(model.py), not to '" + inputFile + "'");
  predict::ModuleSourceOptions source;
  source.config = config;
  source.python.seed = seed;
  source.python.weights = weights;
  source.python.inputShapes.assign(inputShapes.begin(), inputShapes.end());
  source.maxFileBytes = predict::kDefaultMaxFileBytes;
  source.maxNesting = predict::kDefaultMaxNesting;
  source.maxFileFlag = "the file size limit";
  source.maxNestingFlag = "the nesting limit";
  beginStage(predict::isModelFile(inputFile) ? "import" : "parse");
  auto loaded = predict::loadModule(&context, sourceMgr, inputFile, source);
  endStage();
  if (!loaded)
    return fail(llvm::toString(loaded.takeError()));
  OwningOpRef<ModuleOp> module = std::move(*loaded);

  CompileOptions options;
  options.vectorize = !noVectorize;
  options.threads = threads;
  if (foreign != "reject" && foreign != "rewrite" && foreign != "callback")
    return fail("--foreign=" + foreign +
                " is not one of reject, rewrite, callback");
  options.foreign = foreign;
  for (const std::string &lib : foreignLibs) {
    llvm::SmallString<256> path(lib);
    llvm::sys::fs::make_absolute(path);
    options.foreignLibs.push_back(path.str().str());
  }

  LibraryOptions library = LibraryOptions::forTool(
      llvm::sys::fs::getMainExecutable(argv0, reinterpret_cast<void *>(&fail)));
  library.output = output;
  library.header = header;
  library.input = inputFile;
  library.config = config;
  library.weights = weights;
  if (header.getNumOccurrences() && header.empty())
    return fail("--header is empty: give the header's file name "
                "(--header=model.h), or leave --header out");
  if (symbolPrefix.getNumOccurrences() && symbolPrefix.empty())
    return fail("--name is empty: give the prefix of the C symbols, or "
                "leave --name out for the file's name");
  library.prefix = symbolPrefix.empty() ? defaultPrefix(output) : symbolPrefix.getValue();
  library.targetCpu = targetCpu;
  if (llvm::Error e = writeLibrary(std::move(module), function, options,
                                   library, /*times=*/nullptr))
    return fail(llvm::toString(std::move(e)));
  return 0;
}

int main(int argc, char **argv) {
  predict::ToolProcess process(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // libLLVM registers a hidden option of its own named "threads": ours
  // takes the name.
  if (cl::Option *theirs = cl::getRegisteredOptions().lookup("threads"))
    theirs->removeArgument();
  static cl::opt<int> threads(
      "threads",
      cl::desc("Threads that share out the work of large contractions "
               "(OpenMP; the library then needs libomp). Default 1"),
      cl::value_desc("N"), cl::init(1), cl::cat(category));
  predict::registerVersionPrinter();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "predict-compile: compile a model ahead of time into a C library\n\n"
      "  predict-compile model.h5 -o libmodel.so --header=model.h\n");
  if (threads < 1 || threads > kMaxThreads)
    return fail("--threads=" + llvm::Twine(threads.getValue()) +
                " is out of range: give 1 to " + llvm::Twine(kMaxThreads));
  int status = 1;
  StageProgress progress("predict-compile");
  predict::runWithStack(
      predict::stackBytesForNesting(predict::kDefaultMaxNesting),
      [&] { status = run(argv[0], threads); });
  std::string lost = predict::stdoutLost();
  if (!lost.empty())
    return fail("cannot write to standard output: " + lost);
  return status;
}
