//===- predict-run.cpp - compile a module and run it through the JIT ------===//
//
// predict-run FILE.mlir [--function=NAME] [--input=@x.npy | --input=2x3xf32=...]
//             [--output=@y.npy] [--benchmark=N] [--timing] [--emit=mlir|llvm|asm]
//             [--no-vectorize] [--no-batch-loops] [--remarks]
//
// Follows IREE's run-module conventions where they fit. See docs/predict-run.md.
//
//===----------------------------------------------------------------------===//

#include "predict/Codegen/Passes.h"
#include "predict/Dialect/Predict/IR/PredictDialect.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"
#include "predict/Import/ImportFile.h"
#include "predict/Runner/CompileCache.h"
#include "predict/Runner/Progress.h"
#include "predict/Runner/Runner.h"
#include "predict/Support/InputFiles.h"
#include "predict/Support/OutputFiles.h"
#include "predict/Support/Parent.h"
#include "predict/Support/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <csignal>
#include <map>
#include <thread>

using namespace mlir;
using namespace mlir::predict::runner;
namespace cl = llvm::cl;

static cl::OptionCategory category("predict-run options");

static cl::opt<std::string>
    inputFile(cl::Positional,
              cl::desc("<file.mlir, or a model file predict-import reads>"),
              cl::Required, cl::cat(category));
static cl::opt<std::string>
    function("function", cl::desc("Function to call (default: the only "
                                  "public one)"),
             cl::value_desc("NAME"), cl::cat(category));
static cl::list<std::string>
    inputs("input",
           cl::desc("One per argument, in order: @FILE.npy, @FILE.csv (a "
                    "table of numbers), or SHAPExTYPE=VALUES as IREE writes "
                    "it (2x3xf32=1,2,3,4,5,6 or 2x3xf32=[1 2 3][4 5 6])"),
           cl::value_desc("SPEC"), cl::cat(category));
static cl::list<std::string>
    outputs("output",
            cl::desc("Write result i to @FILE.npy or @FILE.csv (one per "
                     "result, in order) instead of printing it"),
            cl::value_desc("@FILE.npy"), cl::cat(category));
static cl::opt<std::string>
    config("config",
           cl::desc("The model's JSON (model.to_json()) for a weights file"),
           cl::value_desc("MODEL.json"), cl::cat(category));
static cl::opt<std::string>
    weights("weights", cl::desc("Python source: the weights (.npz)"),
            cl::value_desc("W.npz"), cl::cat(category));
static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Python source: NAME=?x100xf32 sets a parameter's type"),
    cl::value_desc("NAME=TYPE"), cl::cat(category));
static cl::opt<unsigned> seed(
    "seed",
    cl::desc("Python source: seed of the weights drawn when none are given"),
    cl::init(0), cl::cat(category));
static cl::opt<bool> noCache(
    "no-cache",
    cl::desc("Compile with the JIT, not through the compile cache shared "
             "with the Python package ($PREDICT_CACHE_DIR)"),
    cl::cat(category));
static cl::opt<int>
    benchmarkRuns("benchmark",
                  cl::desc("Time N calls after one warm-up call and print "
                           "min/median/mean in microseconds"),
                  cl::value_desc("N"), cl::init(0), cl::cat(category));
static cl::opt<bool> timing("timing",
                            cl::desc("Print the time of each compile stage"),
                            cl::cat(category));
enum class Emit { none, mlir, llvm, assembly };
static cl::opt<Emit> emit(
    "emit", cl::desc("Print the compiled code instead of running it"),
    cl::values(clEnumValN(Emit::mlir, "mlir", "the LLVM dialect module"),
               clEnumValN(Emit::llvm, "llvm", "LLVM IR after -O3"),
               clEnumValN(Emit::assembly, "asm", "host assembly")),
    cl::init(Emit::none), cl::cat(category));
static cl::opt<bool> noVectorize(
    "no-vectorize",
    cl::desc("Lower contractions to plain loops (for debugging codegen)"),
    cl::cat(category));

static cl::opt<bool> noBatchLoops(
    "no-batch-loops",
    cl::desc("Run every Python loop as a loop, even those that could be "
             "replaced by one batched computation"),
    cl::cat(category));
static cl::opt<bool> remarks(
    "remarks",
    cl::desc("Explain which loops were batched, and why others were not"),
    cl::cat(category));

static cl::opt<std::string> foreign(
    "foreign",
    cl::desc("Foreign calls: reject (default: an error at each, with the ways "
             "out), rewrite (known functions become native code) or callback "
             "(known functions native, the others call --foreign-lib)"),
    cl::value_desc("reject|rewrite|callback"), cl::init("reject"),
    cl::cat(category));
static cl::list<std::string> foreignLibs(
    "foreign-lib",
    cl::desc("A shared library with host callbacks for --foreign=callback "
             "(include/predict/Runtime/ForeignCallback.h)"),
    cl::value_desc("libfoo.so"), cl::cat(category));

static cl::opt<bool> explain(
    "explain",
    cl::desc("Print what compiles (regions, foreign calls and their status, "
             "loops and whether they are batched) and stop"),
    cl::cat(category));

static cl::opt<unsigned> maxNesting(
    "max-nesting",
    cl::desc("The deepest nesting of brackets (regions, types, attributes) "
             "the module's text may have (default 1000)"),
    cl::init(predict::kDefaultMaxNesting), cl::value_desc("LEVELS"),
    cl::cat(category));
static cl::opt<uint64_t> maxFileMiB(
    "max-file-mib",
    cl::desc("The largest module file read, in MiB (default 4096)"),
    cl::init(predict::kDefaultMaxFileBytes >> 20), cl::value_desc("MIB"),
    cl::cat(category));

static cl::opt<uint64_t> maxInputMiB(
    "max-input-mib",
    cl::desc("The largest input tensor, in MiB (default 16384), checked "
             "against its declared shape before anything is read"),
    cl::init(16384), cl::value_desc("MIB"), cl::cat(category));

/// OpenMP teams larger than this are a typo, not a machine.
static constexpr int kMaxThreads = 1024;

/// All cores: the threads this process may run on at once.
static unsigned defaultThreads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

static int fail(const llvm::Twine &message) {
  llvm::errs() << "predict-run: error: " << message << "\n";
  return 1;
}

/// Reports `error`: a failure of the compiled code at run time is printed
/// as it is (located like a compile-time diagnostic,
/// `model.py:14:16: error: at run time: ...`), any other through `fail`.
static int fail(llvm::Error error) {
  bool runTime = error.isA<RunTimeError>();
  std::string message = llvm::toString(std::move(error));
  if (!runTime)
    return fail(message);
  // With no location, the message starts with "error: ".
  llvm::errs() << (llvm::StringRef(message).starts_with("error: ")
                       ? "predict-run: "
                       : "")
               << message << "\n";
  return 1;
}

enum class FileKind { npy, csv, other };
/// An input or output file's format, by its extension in any case: `.csv`,
/// or `.npy` (also a name without extension, such as /dev/stdin).
static FileKind fileKind(llvm::StringRef path) {
  std::string extension = llvm::sys::path::extension(path).lower();
  if (extension == ".csv")
    return FileKind::csv;
  return extension.empty() || extension == ".npy" ? FileKind::npy
                                                  : FileKind::other;
}

/// Writes every result to its --output file, all or none: each goes to a
/// temporary beside its target first; only when all are written are they
/// renamed into place. On failure the temporaries are removed and the
/// targets are left as they were.
static llvm::Error writeOutputs(llvm::ArrayRef<HostTensor> results,
                                llvm::ArrayRef<std::string> paths) {
  std::vector<std::string> temporaries;
  auto removeTemporaries = [&] {
    for (const std::string &temp : temporaries)
      discardTemporary(temp);
  };
  for (auto [result, output] : llvm::zip_equal(results, paths)) {
    llvm::StringRef path = llvm::StringRef(output).drop_front();
    // A directory in the way would only fail at the rename, after others
    // were renamed: refuse it now.
    if (llvm::sys::fs::is_directory(path)) {
      removeTemporaries();
      return llvm::createStringError("cannot write output '" + path +
                             "': it is a directory");
    }
    auto temp = fileKind(path) == FileKind::csv
                    ? writeCsvTemporary(result, path)
                    : writeNpyTemporary(result, path);
    if (!temp) {
      removeTemporaries();
      return temp.takeError();
    }
    temporaries.push_back(*temp);
  }
  // Outputs into stdout, devices and fifos first (their writes can fail,
  // as on a full disk, and cannot be taken back), then the regular files
  // renamed into place: a failure leaves every regular file untouched.
  std::vector<size_t> order;
  for (size_t pass = 0; pass < 2; ++pass)
    for (size_t i = 0; i < paths.size(); ++i)
      if (isSpecialOutput(llvm::StringRef(paths[i]).drop_front()) ==
          (pass == 0))
        order.push_back(i);
  for (auto [k, i] : llvm::enumerate(order)) {
    llvm::StringRef path = llvm::StringRef(paths[i]).drop_front();
    if (llvm::Error e = placeOutput(temporaries[i], path)) {
      // The regular files are renamed last, rarely failing once every
      // temporary is written beside its target; those placed stay.
      for (size_t j = k + 1; j < order.size(); ++j)
        discardTemporary(temporaries[order[j]]);
      return e;
    }
  }
  return llvm::Error::success();
}

static int run(std::optional<int> threadCount, const char *argv0);

int main(int argc, char **argv) {
  predict::ToolProcess process(argc, argv);
  // A reader of stdout that quits (`| head`) is a write error, handled (the
  // temporaries removed), not a SIGPIPE death that leaves them.
  ::signal(SIGPIPE, SIG_IGN);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // libLLVM registers a hidden option of its own named "threads", which
  // predict never reads: ours takes the name.
  if (cl::Option *theirs = cl::getRegisteredOptions().lookup("threads"))
    theirs->removeArgument();
  static cl::opt<int> threads(
      "threads",
      cl::desc("Threads that share out the work of large contractions "
               "(OpenMP); default: all cores. 1: sequential code"),
      cl::value_desc("N"), cl::init(0), cl::cat(category));
  predict::registerVersionPrinter();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "predict-run: compile a predict (or lowered) module and call one of "
      "its functions through the JIT\n");
  if (maxNesting == 0 || maxFileMiB == 0)
    return fail("--max-nesting and --max-file-mib must be at least 1");
  setMaxTensorBytes(maxInputMiB > (UINT64_MAX >> 20) ? UINT64_MAX
                                                     : maxInputMiB << 20);
  // MLIR's parser, and walks of the IR in the passes, recurse once per
  // level of nesting: the text is checked against --max-nesting before it
  // is parsed, and everything runs on a stack sized for that limit.
  int status = 1;
  StageProgress progress("predict-run");
  predict::runWithStack(predict::stackBytesForNesting(maxNesting), [&] {
    status = run(threads.getNumOccurrences() ? std::optional<int>(threads.getValue())
                                             : std::nullopt,
                 argv[0]);
  });
  // What was printed to stdout (the results, --emit, the reports) did not
  // all arrive: a reader that quit, a full disk, a closed stdout.
  std::string lost = predict::stdoutLost();
  if (!lost.empty())
    return fail("cannot write to standard output: " + lost);
  return status;
}

/// The model's function from the compile cache shared with the Python
/// package (docs/predict-run.md, "The cache"), compiled into it by
/// predict-compile's code on a miss. nullptr (and a warning saying why)
/// when the cache cannot serve this run: no predict-compile or C compiler
/// beside this tool, no cache folder. A failure to compile the model is an
/// error (its diagnostics already printed).
static llvm::Expected<std::unique_ptr<CallableFunction>>
fromCache(const char *argv0, const CompileOptions &options,
          llvm::function_ref<llvm::Expected<OwningOpRef<ModuleOp>>()> load,
          std::vector<StageTime> &times) {
  auto skip = [](const llvm::Twine &why)
      -> llvm::Expected<std::unique_ptr<CallableFunction>> {
    llvm::errs() << "predict-run: warning: the compile cache is not used ("
                 << why << "); compiling with the JIT (--no-cache: always)\n";
    return nullptr;
  };
  std::string executable =
      llvm::sys::fs::getMainExecutable(argv0, reinterpret_cast<void *>(&main));
  llvm::SmallString<256> compiler(llvm::sys::path::parent_path(executable));
  llvm::sys::path::append(compiler, "predict-compile");
  LibraryOptions library = LibraryOptions::forTool(executable);
  if (!llvm::sys::fs::can_execute(compiler))
    return skip("no predict-compile at " + compiler);
  if (auto command = library.compilerCommand(); !command) {
    llvm::consumeError(command.takeError());
    return skip("no C compiler '" + (library.cc.empty() ? "cc" : library.cc) +
                "' to link libraries");
  }
  std::string folder = cacheFolder();
  if (folder.empty())
    return skip("neither PREDICT_CACHE_DIR nor HOME is set");
  // The key is the package's for the same options (predict.compile's
  // keyword arguments; _option_args in bindings/python/predict).
  std::vector<std::string> args, files{inputFile};
  if (!function.empty())
    args.push_back("--function=" + function);
  if (options.threads != 1)
    args.push_back("--threads=" + std::to_string(options.threads));
  if (options.foreign != "reject")
    args.push_back("--foreign=" + options.foreign);
  for (const std::string &lib : options.foreignLibs)
    args.push_back("--foreign-lib=" + lib);
  if (!config.empty()) {
    args.push_back("--config");
    files.push_back(config);
  }
  if (!weights.empty()) {
    args.push_back("--weights");
    files.push_back(weights);
  }
  // By name, the last of each (the import's rule): the order they were
  // given in is not part of the key.
  std::map<std::string, std::string> shapes;
  for (const std::string &shape : inputShapes) {
    auto [name, dims] = llvm::StringRef(shape).split('=');
    shapes[name.str()] = dims.str();
  }
  for (const auto &[name, dims] : shapes)
    args.push_back("--input-shape=" + name + "=" + dims);
  if (seed.getNumOccurrences())
    args.push_back("--seed=" + std::to_string(seed));
  // Only regular files are keyed: a fifo or stdin read for the key would
  // be gone for the import.
  for (const std::string &file : files)
    if (!llvm::sys::fs::is_regular_file(file))
      return nullptr;
  auto start = std::chrono::steady_clock::now();
  size_t stagesBefore = times.size();
  auto stamps = fileStamps(files);
  auto key = cacheKey(compiler, files, args);
  if (!key) {
    // A file that cannot be read: the import says so in its own words.
    llvm::consumeError(key.takeError());
    return nullptr;
  }
  bool compileFailed = false, hit = false;
  auto path = cachedLibrary(
      folder, *key,
      [&](llvm::StringRef output, llvm::StringRef header) -> llvm::Error {
        compileFailed = true;
        auto module = load();
        if (!module)
          return module.takeError();
        library.output = output.str();
        library.header = header.str();
        library.input = inputFile;
        library.prefix = "model";
        llvm::Error e = writeLibrary(std::move(*module), function, options,
                                     library, &times);
        compileFailed = bool(e);
        if (e)
          return e;
        // Stamped and hashed again: a file changed while it was compiled
        // (even back to the same bytes: the import may have read the
        // other version) would leave another version's library under this
        // key (the entry is not kept).
        auto after = cacheKey(compiler, files, args);
        if (after && *after == *key && fileStamps(files) == stamps)
          return llvm::Error::success();
        if (!after)
          llvm::consumeError(after.takeError());
        compileFailed = true;
        return llvm::createStringError(
            "'" + inputFile +
            "' (or its config or weights) changed while it "
            "was compiled: run again once it is written");
      },
      hit);
  if (!path) {
    llvm::Error error = path.takeError();
    // A module the C interface cannot express runs in the JIT (imported
    // again: the library's compile took it).
    if (error.isA<NotALibrary>()) {
      llvm::consumeError(std::move(error));
      return nullptr;
    }
    // A C toolchain that cannot link is the machine's problem, not the
    // model's: the JIT needs none.
    if (compileFailed && !error.isA<ToolchainError>())
      return std::move(error);
    return skip(llvm::toString(std::move(error)));
  }
  auto fn = LibraryFunction::load(*path, function);
  if (!fn)
    return fn.takeError();
  // On a miss the stages of the compile are in `times` already.
  double rest = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  for (size_t i = stagesBefore; i < times.size(); ++i)
    rest -= times[i].milliseconds;
  times.push_back({hit ? "cache: hit (key, load)" : "cache: miss (key, load)",
                   rest});
  return std::unique_ptr<CallableFunction>(std::move(*fn));
}

/// Everything after the command line; `threadCount` is --threads if given.
static int run(std::optional<int> threadCount, const char *argv0) {
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
  // Diagnostics are for the user's Python source: no IR dump under them.
  context.printOpOnDiagnostic(false);

  // `@-` is stdin for an input and stdout for an output, in numpy's
  // format (as any name without an extension).
  // (/dev/stdin, /dev/stdout and their /dev/fd and /proc spellings too.)
  bool fromStdin = false, toStdout = false;
  if (inputFile == "-" && predict::stdinWasClosed())
    return fail("the module is read from stdin ('-'), which is closed: give "
                "its file, or pipe it in");
  for (std::string &spec : inputs) {
    llvm::StringRef file(spec);
    if (!file.consume_front("@") || !isStdinPath(file))
      continue;
    if (inputFile == "-")
      return fail("--input=" + spec +
                  " reads stdin, which the module is read from ('-'): give "
                  "one of them as a file");
    if (fromStdin)
      return fail("--input=" + spec +
                  ": stdin is given twice (stdin holds one input; give the "
                  "others as files)");
    if (predict::stdinWasClosed())
      return fail("--input=" + spec +
                  " reads stdin, which is closed: give the input as a file, "
                  "or pipe it in");
    fromStdin = true;
    spec = "@/dev/stdin";
  }
  for (std::string &spec : outputs) {
    llvm::StringRef file(spec);
    if (file.consume_front("@") && isStdoutPath(file)) {
      toStdout = true;
      // (Another name keeps its extension: `@log.csv` into stdout is CSV.)
      if (file == "-")
        spec = "@/dev/stdout";
    }
  }

  // Inputs first: a bad --input is reported before any compile work. A CSV
  // table is read now and typed once the signature is known.
  std::vector<HostTensor> values;
  std::vector<std::optional<CsvTable>> tables;
  for (const std::string &spec : inputs) {
    llvm::StringRef file(spec);
    if (file.consume_front("@") && fileKind(file) == FileKind::csv) {
      auto table = readCsv(file, maxInputMiB > (UINT64_MAX >> 20)
                                     ? UINT64_MAX
                                     : maxInputMiB << 20);
      if (!table)
        return fail(llvm::toString(table.takeError()));
      tables.push_back(std::move(*table));
      values.emplace_back();
      continue;
    }
    if (file.size() != spec.size() && fileKind(file) == FileKind::other &&
        !llvm::sys::fs::is_directory(file))
      return fail("--input='" + spec +
                  "': give a .npy or a .csv file (chosen by extension)");
    auto value = parseInput(spec);
    if (!value)
      return fail(llvm::toString(value.takeError()));
    values.push_back(std::move(*value));
    tables.emplace_back();
  }
  llvm::StringSet<> outputFiles;
  for (const std::string &output : outputs) {
    if (!llvm::StringRef(output).starts_with("@"))
      return fail("--output='" + output + "' must be @FILE.npy or @FILE.csv");
    if (fileKind(llvm::StringRef(output).drop_front()) == FileKind::other)
      return fail("--output='" + output +
                  "': give a .npy or a .csv file (chosen by extension)");
    // Two results written to one file (however spelt, through links too):
    // the second would replace the first. Devices and pipes (/dev/null,
    // stdout) take both in turn.
    std::string landing =
        predict::landingPath(llvm::StringRef(output).drop_front());
    // A result written over what the run reads would destroy it.
    if (std::optional<predict::ReadFile> read =
            predict::replacedInput(llvm::StringRef(output).drop_front(),
                                   {{"the model", inputFile},
                                    {"the --config file", config},
                                    {"the --weights file", weights}}))
      return fail("--output='" + output + "' is " + read->what +
                  " itself: give the result a file of its own");
    if (llvm::sys::fs::exists(landing) &&
        !llvm::sys::fs::is_regular_file(landing))
      continue;
    if (!outputFiles.insert(landing).second)
      return fail("--output='" + output +
                  "' is given for two results: each result needs its own "
                  "file");
  }

  std::string errorMessage;
  uint64_t maxFileBytes =
      maxFileMiB > (UINT64_MAX >> 20) ? UINT64_MAX : maxFileMiB << 20;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  predict::KerasDiagnosticPrinter kerasDiagnostics(&context);
  predict::ModuleSourceOptions source;
  source.config = config;
  source.python.weights = weights;
  source.python.seed = seed;
  source.python.maxNesting = maxNesting;
  source.python.inputShapes.assign(inputShapes.begin(), inputShapes.end());
  source.maxFileBytes = maxFileBytes;
  source.maxNesting = maxNesting;
  std::vector<StageTime> times;
  auto load = [&]() -> llvm::Expected<OwningOpRef<ModuleOp>> {
    auto start = std::chrono::steady_clock::now();
    beginStage(predict::isModelFile(inputFile) ? "import" : "parse");
    auto loaded = predict::loadModule(&context, sourceMgr, inputFile, source);
    endStage();
    times.push_back({predict::isModelFile(inputFile) ? "import" : "parse",
                     std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start)
                         .count()});
    return loaded;
  };

  if (explain) {
    auto module = load();
    if (!module)
      return fail(llvm::toString(module.takeError()));
    // --function's one function, as it is compiled.
    if (!function.empty())
      if (auto kept = keepOnlyFunction(**module, function); !kept)
        return fail(kept.takeError());
    // The entry functions with everything they call, as compiled.
    PassManager pm = PassManager::on<ModuleOp>(&context);
    pm.addPass(predict::createPredictInlineModels());
    pm.addPass(predict::createPredictCanonicalizerPass());
    pm.addPass(predict::createPredictShapeInference());
    pm.addPass(predict::createPredictExplain());
    return failed(pm.run(**module)) ? 1 : 0;
  }

  CompileOptions options;
  options.vectorize = !noVectorize;
  options.keepObject = emit == Emit::assembly;
  // Printed code holds its weights (compiled in), so that it is whole.
  options.bindWeights = emit == Emit::none;
  options.batchLoops = !noBatchLoops;
  options.remarks = remarks;
  if (threadCount && (*threadCount < 1 || *threadCount > kMaxThreads))
    return fail("--threads=" + llvm::Twine(*threadCount) +
                " is out of range: give 1 to " + llvm::Twine(kMaxThreads) +
                ", or leave it out for all cores (" +
                llvm::Twine(defaultThreads()) + " here)");
  options.threads = threadCount ? *threadCount : defaultThreads();
  if (foreign != "reject" && foreign != "rewrite" && foreign != "callback")
    return fail("--foreign=" + foreign +
                " is not one of reject, rewrite, callback");
  options.foreign = foreign;
  // Absolute and canonical, as the Python package gives them
  // (os.path.realpath): a cached library is linked to them by path, and
  // `./cb.so`, `cb.so` and a symlink to it are one cache entry.
  // The run loads them: one missing is said here, before a library of the
  // cache linked to it would fail when called.
  for (const std::string &lib : foreignLibs) {
    llvm::SmallString<256> path;
    if (std::error_code ec = llvm::sys::fs::real_path(lib, path))
      return fail("cannot load --foreign-lib '" + lib + "': " + ec.message());
    options.foreignLibs.push_back(path.str().str());
  }

  // What the libraries of predict-compile are compiled with may come from
  // the cache; debugging options take the JIT.
  std::unique_ptr<CallableFunction> fn;
  CompiledFunction *jitted = nullptr;
  if (!noCache && emit == Emit::none && !noVectorize && !noBatchLoops &&
      !remarks) {
    auto cached = fromCache(argv0, options, load, times);
    if (!cached)
      return fail(cached.takeError());
    fn = std::move(*cached);
  }
  if (!fn) {
    auto module = load();
    if (!module)
      return fail(llvm::toString(module.takeError()));
    auto compiled = CompiledFunction::compile(std::move(*module), function,
                                              options, &times);
    if (!compiled)
      return fail(llvm::toString(compiled.takeError()));
    jitted = compiled->get();
    fn = std::move(*compiled);
  }

  // With a result written to stdout (--output=@-), the reports go to
  // stderr: stdout holds the .npy or .csv stream alone.
  llvm::raw_ostream &report = toStdout ? llvm::errs() : llvm::outs();
  if (timing) {
    double total = 0;
    for (const StageTime &t : times) {
      report << llvm::format("timing: %-40s %9.2f ms\n", t.stage.c_str(),
                             t.milliseconds);
      total += t.milliseconds;
    }
    report << llvm::format("timing: %-40s %9.2f ms\n", "total", total);
  }
  switch (emit) {
  case Emit::none:
    break;
  case Emit::mlir:
    jitted->loweredModule().print(llvm::outs());
    llvm::outs() << "\n";
    return 0;
  case Emit::llvm:
  case Emit::assembly: {
    auto text =
        emit == Emit::llvm ? jitted->emitLLVMIR() : jitted->emitAssembly();
    if (!text)
      return fail(llvm::toString(text.takeError()));
    llvm::outs() << *text;
    return 0;
  }
  }

  const FunctionSignature &sig = fn->signature();
  // CSV tables take the element type of the argument they are given for.
  for (auto [i, table] : llvm::enumerate(tables)) {
    if (!table)
      continue;
    auto value = table->toTensor(i < sig.inputs.size() ? sig.inputs[i].dtype
                                                       : DType::f32);
    if (!value)
      return fail(llvm::toString(value.takeError()));
    values[i] = std::move(*value);
  }
  if (!outputs.empty() && outputs.size() != sig.results.size())
    return fail("@" + sig.name + " has " + llvm::Twine(sig.results.size()) +
                " results but " + llvm::Twine(outputs.size()) +
                " --output were given (one per result, in order)");
  if (llvm::Error e = fn->checkInputs(values))
    return fail(llvm::toString(std::move(e)));

  if (benchmarkRuns > 0) {
    auto stats = fn->benchmark(values, benchmarkRuns);
    if (!stats)
      return fail(stats.takeError());
    report << llvm::format(
        "benchmark: runs=%d min_us=%.3f median_us=%.3f mean_us=%.3f\n",
        stats->runs, stats->minMicros, stats->medianMicros, stats->meanMicros);
    // Timing is what was asked for: the result is written only to --output.
    if (outputs.empty())
      return 0;
  } else if (benchmarkRuns.getNumOccurrences()) {
    return fail("--benchmark=" + llvm::Twine(benchmarkRuns) +
                " must be a positive number of runs");
  }

  auto results = fn->call(values);
  if (!results)
    return fail(results.takeError());
  if (!outputs.empty()) {
    if (llvm::Error e = writeOutputs(*results, outputs))
      return fail(std::move(e));
    return 0;
  }
  for (auto [i, result] : llvm::enumerate(*results)) {
    llvm::outs() << "result[" << i << "]: ";
    printTensor(llvm::outs(), result);
  }
  return 0;
}
