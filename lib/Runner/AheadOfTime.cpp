//===- AheadOfTime.cpp - compile a function into a C library --------------===//
//
// predict-compile's back end (docs/AOT.md): the module is lowered by the
// JIT's stages (lowerToLLVMDialect), translated to LLVM IR for the target
// CPU, given a packed entry (one pointer per descriptor field, as the JIT
// calls it), optimized at -O3 and written as an object file; a small C file
// of entry points (the signature and a call of predict_library_call) and the
// runtime archive (lib/Runtime) are then linked by the system C compiler
// into a shared library, a static archive or one relocatable object. Every
// symbol but the entry points is hidden, so that two model libraries can
// live in one process.
//
//===----------------------------------------------------------------------===//

#include "Errors.h"
#include "ExternalWeights.h"
#include "ForeignRuntime.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"
#include "predict/Runner/HostTensor.h"
#include "predict/Runner/Progress.h"
#include "predict/Runner/Runner.h"
#include "predict/Support/OutputFiles.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <chrono>
#include <sys/stat.h>
#include <unistd.h>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;
using llvm::Error;
using llvm::Expected;

/// The text of include/predict/Runtime/Library.h.
static const char *const kLibraryHeader =
#include "LibraryHeader.inc"
    ;

/// The highest rank of an argument or result (PREDICT_MAX_RANK).
static constexpr size_t kMaxRank = 8;

// The C ABI numbers element types in DType's order.
static_assert(int(DType::f32) == 0 && int(DType::f64) == 1 &&
                  int(DType::i32) == 2 && int(DType::i64) == 3 &&
                  int(DType::i1) == 4,
              "predict_dtype (include/predict/Runtime/Library.h) follows DType");

/// A target machine for `cpu` (`host`: this machine's CPU and features),
/// generating position-independent code.
static Expected<std::unique_ptr<llvm::TargetMachine>>
targetMachineFor(llvm::StringRef cpu) {
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string message;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, message);
  if (!target)
    return makeError("no LLVM target for " + triple.str() + ": " + message);
  std::string cpuName = cpu.str(), features;
  if (cpu == "host") {
    cpuName = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures set;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      set.AddFeature(feature.first(), feature.second);
    features = set.getString();
  } else {
    // Asked of the generic subtarget: one made for an unknown CPU prints
    // LLVM's own warning first.
    std::unique_ptr<llvm::MCSubtargetInfo> generic(
        target->createMCSubtargetInfo(triple, "", ""));
    if (!generic || !generic->isCPUStringValid(cpuName))
      return makeError("unknown --target-cpu '" + cpu +
                       "': give host or an LLVM CPU name such as x86-64-v3 "
                       "(AVX2), x86-64-v4 (AVX-512), znver4, sapphirerapids "
                       "(llc -mcpu=help lists them)");
    // A 32-bit x86 CPU cannot run x86-64 code (LLVM would abort).
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        target->createMCSubtargetInfo(triple, cpuName, ""));
    if (triple.getArch() == llvm::Triple::x86_64 &&
        !info->checkFeatures("+64bit"))
      return makeError("--target-cpu '" + cpu +
                       "' is a 32-bit CPU: predict compiles x86-64 code; give "
                       "a 64-bit CPU such as x86-64 or x86-64-v3");
  }
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpuName, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    return makeError("cannot create a target machine for CPU '" + cpuName +
                     "'");
  return tm;
}

/// Adds `void <entry>(void **args)` calling @`name` with each argument
/// loaded from *args[i] and storing its result at args[n], as MLIR's
/// ExecutionEngine packs functions for the JIT.
static void addPackedEntry(llvm::Module &module, llvm::Function &function,
                           llvm::StringRef entry) {
  llvm::LLVMContext &context = module.getContext();
  auto *pointer = llvm::PointerType::getUnqual(context);
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(context),
                                       {pointer}, /*isVarArg=*/false);
  auto *wrapper = llvm::Function::Create(
      type, llvm::GlobalValue::ExternalLinkage, entry, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", wrapper));
  llvm::Value *args = wrapper->getArg(0);
  llvm::SmallVector<llvm::Value *> callArgs;
  for (llvm::Argument &param : function.args()) {
    llvm::Value *slot = b.CreateLoad(
        pointer, b.CreateConstGEP1_64(pointer, args, param.getArgNo()));
    callArgs.push_back(b.CreateLoad(param.getType(), slot));
  }
  llvm::Value *result = b.CreateCall(&function, callArgs);
  if (!result->getType()->isVoidTy()) {
    llvm::Value *slot = b.CreateLoad(
        pointer, b.CreateConstGEP1_64(pointer, args, function.arg_size()));
    b.CreateStore(result, slot);
  }
  b.CreateRetVoid();
}

/// Whether `name` is a C identifier.
static bool isIdentifier(llvm::StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// `{dtype, rank, {sizes}}` of `spec` as a C initializer.
static std::string specInitializer(const TensorSpec &spec) {
  std::string text = "{" + std::to_string(int(spec.dtype)) + ", " +
                     std::to_string(spec.shape.size()) + ", {";
  for (auto [d, size] : llvm::enumerate(spec.shape))
    text += (d ? ", " : "") +
            std::to_string(ShapedType::isDynamic(size) ? -1 : size);
  return text + (spec.shape.empty() ? "0}}" : "}}");
}

/// The header: the ABI's types, then the library's declarations.
static std::string headerText(llvm::ArrayRef<FunctionSignature> sigs,
                              llvm::StringRef prefix) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "/* Generated by predict-compile: the C interface of a compiled "
        "model (docs/AOT.md). */\n"
     << kLibraryHeader << "\n";
  // The prefix as it is spelt: `ecc` and `Ecc` are two libraries, whose
  // headers one file may include side by side.
  std::string guard = ("PREDICT_LIBRARY_H_" + prefix).str();
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  for (const FunctionSignature &sig : sigs) {
    std::string entry = (prefix + "_" + sig.name).str();
    os << "/* @" << sig.name << ": " << sig.inputs.size() << " input(s) (";
    for (auto [i, spec] : llvm::enumerate(sig.inputs))
      os << (i ? ", " : "") << spec.str();
    os << "), " << sig.results.size() << " output(s) (";
    for (auto [i, spec] : llvm::enumerate(sig.results))
      os << (i ? ", " : "") << spec.str();
    os << ").\n"
          " * Reads inputs[0.." << sig.inputs.size() << ") (not kept); on "
          "PREDICT_OK writes outputs[0.." << sig.results.size() << "), whose "
          "data the\n * caller frees with free(). Thread-safe. */\n"
       << "predict_status " << entry
       << "(const predict_tensor *inputs, predict_tensor *outputs);\n\n"
       << "/* What " << entry << " takes and gives. */\n"
       << "const predict_signature *" << entry << "_signature(void);\n\n";
  }
  os << "/* Why the calling thread's last call of this library failed. */\n"
     << "const char *" << prefix << "_last_error(void);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}

/// The name of the packed entry of `function`.
static std::string packedName(llvm::StringRef prefix, llvm::StringRef function) {
  return ("predict_packed_" + prefix + "_" + function).str();
}

/// The C file of the entry points: each signature as data and a call of the
/// runtime's predict_library_call.
/// A host callback a module calls (its `predict.foreign_callees`).
struct ForeignCallee {
  std::string name, location;
  int64_t numArgs;
  bool needsShape;
};

static llvm::SmallVector<ForeignCallee> foreignCallees(ModuleOp module) {
  llvm::SmallVector<ForeignCallee> callees;
  if (auto list = module->getAttrOfType<ArrayAttr>("predict.foreign_callees"))
    for (Attribute entry : list) {
      auto dict = cast<DictionaryAttr>(entry);
      callees.push_back({cast<StringAttr>(dict.get("name")).str(),
                         cast<StringAttr>(dict.get("location")).str(),
                         cast<IntegerAttr>(dict.get("num_args")).getInt(),
                         cast<BoolAttr>(dict.get("needs_shape")).getValue()});
    }
  return callees;
}

/// `text` as a C string literal.
static std::string cString(llvm::StringRef text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char octal[8];
      snprintf(octal, sizeof octal, "\\%03o", unsigned(c));
      quoted += octal;
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

/// The x86 features of `tm`'s CPU that a machine may lack, as both LLVM
/// (`+avx2`) and GCC's and Clang's __builtin_cpu_supports ("avx2") name
/// them: the ones the compiled code may use beyond x86-64's baseline.
static std::vector<std::string> requiredFeatures(const llvm::TargetMachine &tm) {
  // Every instruction set LLVM may use in compiled numeric code, by the
  // names both LLVM and __builtin_cpu_supports (GCC 12, Clang) know: the
  // x86-64-v2..v4 levels, AVX-512's extensions, AMD's (SSE4a, FMA4, XOP,
  // TBM: an AMD Bulldozer target on another CPU), and F16C, MOVBE, LZCNT,
  // AVX-VNNI, GFNI.
  // clang-format off
  static const char *const kFeatures[] = {
      "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt",
      "avx", "avx2", "fma", "bmi", "bmi2",
      "lzcnt", "movbe", "f16c", "avxvnni", "gfni",
      "sse4a", "fma4", "xop", "tbm",
      "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl",
      "avx512vnni", "avx512bf16", "avx512vbmi", "avx512vbmi2",
      "avx512ifma", "avx512vpopcntdq", "avx512bitalg"};
  // clang-format on
  std::vector<std::string> required;
  const llvm::MCSubtargetInfo *info = tm.getMCSubtargetInfo();
  if (!info || !tm.getTargetTriple().isX86())
    return required;
  // Looked up in LLVM's table (checkFeatures aborts on a name this LLVM
  // does not know, and names change between versions: avx10.1-512).
  auto has = [&](llvm::StringRef feature) {
    for (const llvm::SubtargetFeatureKV &kv : info->getAllProcessorFeatures())
      if (feature == kv.Key)
        return info->getFeatureBits().test(kv.Value);
    return false;
  };
  for (const char *feature : kFeatures)
    if (has(feature))
      required.push_back(feature);
  // APX's extended registers, which any code may use, and AVX10 (read by
  // the runtime with cpuid: older compilers' builtin does not know them).
  for (const char *apx : {"egpr", "ndd", "ccmp", "nf", "push2pop2", "ppx"})
    if (has(apx)) {
      required.push_back("apxf");
      break;
    }
  if (has("avx10.2") || has("avx10.2-512"))
    required.push_back("avx10.2");
  else if (has("avx10.1") || has("avx10.1-512") || has("avx10.1-256"))
    required.push_back("avx10.1");
  return required;
}

static std::string entryText(llvm::ArrayRef<FunctionSignature> sigs,
                             llvm::ArrayRef<ForeignCallee> callees,
                             llvm::ArrayRef<std::string> foreignLibs,
                             llvm::StringRef prefix, llvm::StringRef cpu,
                             llvm::ArrayRef<std::string> features) {
  // dlopen is POSIX, outside -std=c11.
  std::string text =
      "#define _POSIX_C_SOURCE 200809L\n" + headerText(sigs, prefix);
  llvm::raw_string_ostream os(text);
  os << "\n#define PREDICT_EXPORT __attribute__((visibility(\"default\")))\n"
     << "typedef void (*predict_packed_function)(void **);\n"
     << "predict_status predict_library_call(predict_packed_function, "
        "const predict_signature *, const predict_tensor *, "
        "predict_tensor *);\n"
     << "const char *predict_library_last_error(void);\n"
     << "predict_status predict_library_cpu_error(const char *, const char "
        "*);\n"
     << "const char *predict_library_cpu_missing(const char *const *);\n\n";
  // The CPU check: code for features this machine lacks would die of
  // SIGILL in the caller; each call fails with an error instead.
  os << "static const char *const cpu_features[] = {";
  for (const std::string &feature : features)
    os << cString(feature) << ", ";
  os << "0};\nstatic const char *cpu_missing;\n"
     << "__attribute__((constructor)) static void check_cpu(void) {\n"
     << "  cpu_missing = predict_library_cpu_missing(cpu_features);\n}\n\n";
  auto specs = [&](const std::string &name, llvm::ArrayRef<TensorSpec> list) {
    os << "static const predict_tensor_spec " << name << "["
       << std::max<size_t>(list.size(), 1) << "] = {";
    for (auto [i, spec] : llvm::enumerate(list))
      os << (i ? ", " : "") << specInitializer(spec);
    os << "};\n";
  };
  for (const FunctionSignature &sig : sigs) {
    std::string entry = (prefix + "_" + sig.name).str();
    std::string packed = packedName(prefix, sig.name);
    os << "void " << packed << "(void **);\n";
    // The data of each function under names of its own (`sig_<name>`: a
    // function may be called `predict`, as the type prefix is).
    std::string data = "sig_" + sig.name;
    specs(data + "_inputs", sig.inputs);
    specs(data + "_outputs", sig.results);
    os << "static const predict_signature " << data << " = {\"" << sig.name
       << "\", " << sig.inputs.size() << ", " << sig.results.size() << ", "
       << data << "_inputs, " << data << "_outputs};\n"
       << "PREDICT_EXPORT predict_status " << entry
       << "(const predict_tensor *in, predict_tensor *out) {\n"
       << "  if (cpu_missing)\n"
       << "    return predict_library_cpu_error(" << cString(cpu)
       << ", cpu_missing);\n"
       << "  return predict_library_call(" << packed << ", &" << data
       << ", in, out);\n}\n"
       << "PREDICT_EXPORT const predict_signature *" << entry
       << "_signature(void) { return &" << data << "; }\n\n";
  }
  if (!callees.empty()) {
    // The host callbacks (lib/Runtime/ForeignCall.h), bound when the
    // library is loaded. A shared library looks each up in its
    // --foreign-lib libraries, opened by path with RTLD_LOCAL (so that no
    // other library's function of the same name stands in); an archive or
    // object leaves them to the program's link.
    os << "typedef struct predict_foreign_callee {\n"
       << "  const char *name, *location;\n  int64_t num_args;\n"
       << "  int (*fn)(const void *, int64_t, void *);\n"
       << "  int (*shape)(const void *, int64_t, int64_t, int64_t *);\n"
       << "  const char *unavailable;\n"
       << "} predict_foreign_callee;\n"
       << "void predict_foreign_set_callees(const predict_foreign_callee *, "
          "int64_t);\n"
       << "static predict_foreign_callee foreign_callees[] = {\n";
    for (const ForeignCallee &callee : callees)
      os << "  {" << cString(callee.name) << ", " << cString(callee.location)
         << ", " << callee.numArgs << ", 0, 0, 0},\n";
    os << "};\n#ifdef PREDICT_SHARED_LIBRARY\n#include <dlfcn.h>\n"
       << "#include <stdio.h>\n#include <string.h>\n"
       << "static const char *const foreign_libs[] = {";
    for (const std::string &lib : foreignLibs)
      os << cString(lib) << ", ";
    os << "0};\nstatic char foreign_why[" << callees.size() << "][640];\n"
       << "static void *foreign_symbol(void *const *handles, const char *name) "
          "{\n  for (int i = 0; foreign_libs[i]; ++i)\n"
       << "    if (handles[i]) {\n      void *at = dlsym(handles[i], name);\n"
       << "      if (at) return at;\n    }\n  return 0;\n}\n"
       << "__attribute__((constructor)) static void bind_foreign_callees(void) "
          "{\n  void *handles[" << foreignLibs.size() + 1 << "] = {0};\n"
       << "  char loadError[512] = \"\";\n"
       << "  for (int i = 0; foreign_libs[i]; ++i)\n"
       << "    if (!(handles[i] = dlopen(foreign_libs[i], RTLD_NOW | "
          "RTLD_LOCAL)) && !loadError[0])\n"
       << "      snprintf(loadError, sizeof loadError, \"cannot load "
          "--foreign-lib '%s': %s\", foreign_libs[i], dlerror());\n";
    for (auto [i, callee] : llvm::enumerate(callees)) {
      std::string symbol = callbackSymbol(callee.name);
      os << "  foreign_callees[" << i << "].fn = (int (*)(const void *, "
            "int64_t, void *))foreign_symbol(handles, \"" << symbol
         << "\");\n";
      if (callee.needsShape)
        os << "  foreign_callees[" << i << "].shape = (int (*)(const void *, "
              "int64_t, int64_t, int64_t *))foreign_symbol(handles, \""
           << symbol << "_shape\");\n";
      os << "  if (!foreign_callees[" << i << "].fn"
         << (callee.needsShape
                 ? " || !foreign_callees[" + std::to_string(i) + "].shape"
                 : std::string())
         << ") {\n    snprintf(foreign_why[" << i
         << "], sizeof foreign_why[0], \"%s%sno --foreign-lib library "
            "exports " << symbol << (callee.needsShape ? " and its _shape" : "")
         << "\", loadError, loadError[0] ? \"; \" : \"\");\n"
         << "    foreign_callees[" << i << "].unavailable = foreign_why[" << i
         << "];\n  }\n";
    }
    os << "  predict_foreign_set_callees(foreign_callees, " << callees.size()
       << ");\n}\n#else\n";
    for (const ForeignCallee &callee : callees) {
      std::string symbol = callbackSymbol(callee.name);
      os << "int " << symbol << "(const void *, int64_t, void *);\n";
      if (callee.needsShape)
        os << "int " << symbol
           << "_shape(const void *, int64_t, int64_t, int64_t *);\n";
    }
    os << "__attribute__((constructor)) static void "
          "bind_foreign_callees(void) {\n";
    for (auto [i, callee] : llvm::enumerate(callees)) {
      std::string symbol = callbackSymbol(callee.name);
      os << "  foreign_callees[" << i << "].fn = " << symbol << ";\n";
      if (callee.needsShape)
        os << "  foreign_callees[" << i << "].shape = " << symbol
           << "_shape;\n";
    }
    os << "  predict_foreign_set_callees(foreign_callees, " << callees.size()
       << ");\n}\n#endif\n\n";
  }
  os << "PREDICT_EXPORT const char *" << prefix
     << "_last_error(void) { return predict_library_last_error(); }\n\n"
     // How predict.load finds the entry points of a shared library. Not in
     // archives and objects: two of them may be linked into one program.
     << "#ifdef PREDICT_SHARED_LIBRARY\n"
     << "PREDICT_EXPORT const char *predict_library_prefix(void) { return \""
     << prefix << "\"; }\n"
     << "PREDICT_EXPORT const char *predict_library_function(void) { return \""
     << sigs.front().name << "\"; }\n"
     << "PREDICT_EXPORT const char *const *predict_library_functions(void) {\n"
     << "  static const char *const names[] = {";
  for (const FunctionSignature &sig : sigs)
    os << "\"" << sig.name << "\", ";
  os << "0};\n  return names;\n}\n#endif\n";
  return text;
}

/// Writes `text` to `path`.
static Error writeFile(llvm::StringRef path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return makeError("cannot write '" + path + "': " + ec.message());
  os << text;
  os.close();
  if (os.has_error())
    return makeError("cannot write '" + path + "': " + os.error().message());
  return Error::success();
}

/// `program` (a name or path, then words of arguments, as $CC may be)
/// resolved: its path first, then those words.
static Expected<std::vector<std::string>> commandOf(llvm::StringRef program) {
  llvm::SmallVector<llvm::StringRef> words;
  program.split(words, ' ', -1, /*KeepEmpty=*/false);
  auto path = words.empty() ? llvm::ErrorOr<std::string>(
                                  std::make_error_code(std::errc::invalid_argument))
                            : llvm::sys::findProgramByName(words.front());
  // A name with a slash comes back as it is, found or not.
  if (!path || !llvm::sys::fs::can_execute(*path))
    return llvm::make_error<ToolchainError>(
        ("cannot find '" + program +
         "' (predict-compile links with the system's C toolchain: install "
         "build-essential, or set CC)")
            .str());
  std::vector<std::string> command{*path};
  for (llvm::StringRef word : llvm::ArrayRef(words).drop_front())
    command.push_back(word.str());
  return command;
}

Expected<std::vector<std::string>> LibraryOptions::compilerCommand() const {
  return commandOf(cc.empty() ? "cc" : cc);
}

/// Runs `program` with `args`; an error quoting the command when it fails.
static Error run(llvm::StringRef program, llvm::ArrayRef<std::string> args) {
  auto resolved = commandOf(program);
  if (!resolved)
    return resolved.takeError();
  llvm::SmallVector<llvm::StringRef> argv(resolved->begin(), resolved->end());
  std::string command = program.str();
  std::string path = resolved->front();
  for (const std::string &arg : args) {
    argv.push_back(arg);
    command += " " + arg;
  }
  std::string message;
  int code = llvm::sys::ExecuteAndWait(path, argv, std::nullopt, {}, 0, 0,
                                       &message);
  if (code != 0)
    return llvm::make_error<ToolchainError>(
        "'" + command + "' failed" + (message.empty() ? "" : ": " + message));
  return Error::success();
}

/// A temporary file removed when it goes out of scope, or by LLVM's signal
/// handlers when Ctrl-C, SIGTERM or SIGHUP end the process first.
struct TempFile {
  llvm::SmallString<128> path;
  ~TempFile() {
    if (path.empty())
      return;
    llvm::sys::fs::remove(path);
    llvm::sys::DontRemoveFileOnSignal(path);
  }
  /// Made now, readable by its owner alone (it holds the model's weights).
  Error create(llvm::StringRef suffix) {
    int fd;
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "predict-compile", suffix, fd, path))
      return makeError("cannot create a temporary file: " + ec.message());
    ::fchmod(fd, 0600);
    ::close(fd);
    llvm::sys::RemoveFileOnSignal(path);
    return Error::success();
  }
};

/// Writes the bytes of `weights` to `path` one after the other, and
/// returns the C that defines their symbols over them: top-level assembly
/// in the entry file, each weight `.incbin` from `path` into a read-only
/// section at its alignment, hidden (the library's own). The assembler
/// reads the bytes from the file; no program holds them twice.
static Expected<std::string> weightsAsm(llvm::ArrayRef<ExternalWeight> weights,
                                        llvm::StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return makeError("cannot write '" + path + "': " + ec.message());
  auto quoted = [](llvm::StringRef text) {
    std::string q = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\')
        q += '\\';
      q += c;
    }
    return q + "\"";
  };
  std::string text = ".pushsection .rodata.predict_weights,\"a\",@progbits\n";
  llvm::raw_string_ostream as(text);
  uint64_t offset = 0;
  for (const ExternalWeight &weight : weights) {
    os.write(weight.data.data(), weight.data.size());
    std::string symbol = quoted(weight.symbol);
    as << ".p2align " << llvm::Log2_64(weight.alignment) << "\n"
       << ".globl " << symbol << "\n.hidden " << symbol << "\n"
       << ".type " << symbol << ",@object\n"
       << ".size " << symbol << "," << weight.data.size() << "\n"
       << symbol << ":\n"
       << ".incbin " << quoted(path) << "," << offset << ","
       << weight.data.size() << "\n";
    offset += weight.data.size();
  }
  as << ".popsection\n";
  os.close();
  if (os.has_error()) {
    std::string message = os.error().message();
    os.clear_error();
    return makeError("cannot write '" + path + "': " + message);
  }
  return "\n/* The model's weights (ExternalWeights.h). */\n__asm__(" +
         cString(text) + ");\n";
}

char NotALibrary::ID = 0;
char ToolchainError::ID = 0;

LibraryOptions LibraryOptions::forTool(llvm::StringRef executable) {
  LibraryOptions library;
  if (auto cc = llvm::sys::Process::GetEnv("CC"); cc && !cc->empty())
    library.cc = *cc;
  llvm::SmallString<256> archive(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(executable)));
  llvm::sys::path::append(archive, "lib", "predict", "libpredict_runtime.a");
  library.runtimeArchive = archive.str().str();
  return library;
}

Error runner::writeLibrary(OwningOpRef<ModuleOp> module,
                           llvm::StringRef function,
                           const CompileOptions &options,
                           const LibraryOptions &library,
                           std::vector<StageTime> *times) {
  llvm::StringRef output = library.output;
  enum class Kind { shared, archive, object };
  Kind kind = output.ends_with(".so")  ? Kind::shared
              : output.ends_with(".a") ? Kind::archive
              : output.ends_with(".o") ? Kind::object
                                       : Kind(-1);
  // The library or the header written over what the compile reads (the
  // model, its --config or --weights, a --foreign-lib library it calls)
  // would destroy it; the header over the library, one of them. Compared
  // where each write lands: through `..` and links, dangling ones too (a
  // link to a library not written yet).
  llvm::SmallVector<ReadFile> reads{{"the model", library.input},
                                    {"the --config file", library.config},
                                    {"the --weights file", library.weights}};
  for (const std::string &lib : options.foreignLibs)
    reads.push_back({"a --foreign-lib library", lib});
  if (std::optional<ReadFile> read = replacedInput(output, reads))
    return makeError("-o '" + output + "' is " + read->what +
                     " itself: give the library a name of its own");
  if (!library.header.empty()) {
    reads.push_back({"the library", library.output});
    if (std::optional<ReadFile> read = replacedInput(library.header, reads))
      return makeError("--header='" + library.header + "' is " + read->what +
                       " itself: give the header a name of its own");
  }
  if (int(kind) == -1)
    return makeError("-o '" + output +
                     "': give a shared library (.so), a static archive (.a) "
                     "or an object file (.o)");
  // Checked now, not when cc fails at the end with its command line.
  for (llvm::StringRef path : {output, llvm::StringRef(library.header)}) {
    if (path.empty())
      continue;
    llvm::SmallString<256> folder(llvm::sys::path::parent_path(path));
    if (folder.empty())
      folder = ".";
    if (!llvm::sys::fs::is_directory(folder))
      return makeError("cannot write '" + path + "': no folder '" + folder +
                       "'");
    if (llvm::sys::fs::is_directory(path))
      return makeError("cannot write '" + path + "': it is a folder");
    if (llvm::sys::fs::exists(path) &&
        llvm::sys::fs::access(path, llvm::sys::fs::AccessMode::Write))
      return makeError("cannot write '" + path +
                       "': permission denied (the file is read-only)");
    // Written beside its place first, then renamed into it.
    if (llvm::sys::fs::access(folder, llvm::sys::fs::AccessMode::Write))
      return makeError("cannot write '" + path +
                       "': permission denied (its "
                       "folder '" +
                       folder +
                       "' is read-only; the file is made there, then renamed)");
  }
  if (!isIdentifier(library.prefix))
    return makeError("--name '" + library.prefix +
                     "' is not a C identifier (letters, digits and _, not "
                     "starting with a digit)");
  // The runtime's own symbols live in the library beside the entry points.
  for (llvm::StringRef reserved : {"predict_library", "predict_runtime",
                                   "predict_packed", "predict_foreign"})
    if (llvm::StringRef(library.prefix).starts_with(reserved))
      return makeError("the prefix of the C symbols '" + library.prefix +
                       "' (--name, or else -o's file name without lib and "
                       "its extension) starts with '" +
                       reserved +
                       "', which predict's runtime uses for its own symbols "
                       "in the library: choose another with --name");
  if (!options.foreignLibs.empty() && options.foreign != "callback")
    return makeError("--foreign-lib is for --foreign=callback");
  if (options.foreign == "callback" && kind == Kind::shared)
    for (const std::string &lib : options.foreignLibs)
      if (!llvm::sys::path::is_absolute(lib))
        return makeError("--foreign-lib='" + lib +
                         "': give its absolute path (the library is linked "
                         "to it and finds it there when loaded)");
  if (library.runtimeArchive.empty() ||
      !llvm::sys::fs::exists(library.runtimeArchive))
    return makeError("the runtime archive '" + library.runtimeArchive +
                     "' is missing: predict-compile needs "
                     "lib/predict/libpredict_runtime.a beside its bin/ "
                     "(reinstall predict)");
  auto tm = targetMachineFor(library.targetCpu);
  if (!tm)
    return tm.takeError();

  CompileOptions targeted = options;
  setVectorRegisters(**tm, targeted);
  auto sigs = lowerToLLVMDialect(*module, function, /*allPublic=*/true,
                                 targeted, times);
  if (!sigs)
    return sigs.takeError();
  // The entry points are `<prefix>_<name>` and `<prefix>_<name>_signature`
  // beside `<prefix>_last_error`: a name that makes one of another's is
  // refused here, not by cc as a redefinition in a temporary file.
  llvm::StringSet<> names;
  for (const FunctionSignature &sig : *sigs)
    names.insert(sig.name);
  for (const FunctionSignature &sig : *sigs) {
    llvm::StringRef name(sig.name);
    std::optional<std::string> clash;
    if (name == "last_error")
      clash = "the library's " + library.prefix + "_last_error";
    else if (name.ends_with("_signature") &&
             names.contains(name.drop_back(strlen("_signature"))))
      clash = "the signature query of @" +
              name.drop_back(strlen("_signature")).str();
    if (clash)
      return llvm::make_error<NotALibrary>(
          "the function @" + sig.name + " would have the C name " +
          library.prefix + "_" + sig.name + " of " + *clash +
          ": rename it, or run it with predict-run");
  }
  for (const FunctionSignature &sig : *sigs) {
    if (!isIdentifier(sig.name))
      return llvm::make_error<NotALibrary>(
          "the function @" + sig.name +
          " has a name that is not a C identifier (its entry point is "
          "named after it): rename it, or run it with predict-run");
    for (const TensorSpec &spec :
         llvm::concat<const TensorSpec>(sig.inputs, sig.results))
      if (spec.shape.size() > kMaxRank)
        return llvm::make_error<NotALibrary>(
            ("@" + sig.name + " has a tensor of rank " +
             llvm::Twine(spec.shape.size()) + " (" + spec.str() +
             "); the C interface takes ranks up to " + llvm::Twine(kMaxRank))
                .str());
  }

  // Each stage's time, and its name while under way (Progress.h).
  auto start = std::chrono::steady_clock::now();
  Stage underWay("llvm (translate, -O3, object code)");
  auto stageDone = [&](const char *stage, const char *next) {
    auto now = std::chrono::steady_clock::now();
    if (times)
      times->push_back(
          {stage, std::chrono::duration<double, std::milli>(now - start)
                      .count()});
    start = now;
    beginStage(next);
  };
  // Each host callback must be in a --foreign-lib library, checked now as
  // predict-run checks it (the libraries are loaded into this process).
  llvm::SmallVector<ForeignCallee> callees = foreignCallees(*module);
  if (Error e = bindForeignCallees(*module, options.foreignLibs))
    return e;

  // The weights are not compiled: they go into the library as data beside
  // the code (weightsAsm), as the JIT reads them in place. Compiled, each
  // was copied three more times and went through LLVM's code generation
  // (an 88 M-parameter MLP: 1.3 GB at the peak).
  std::vector<ExternalWeight> weights = externalizeWeights(*module);
  // Done with, once the library is written (or not).
  llvm::scope_exit release([&] { releaseWeights(*module, weights); });
  if (options.threads > 1)
    registerOpenMPDialectTranslation(*module->getContext());
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, context);
  if (!llvmModule)
    return makeError("cannot translate the module to LLVM IR");
  llvmModule->setDataLayout((*tm)->createDataLayout());
  llvmModule->setTargetTriple((*tm)->getTargetTriple());
  for (const FunctionSignature &sig : *sigs) {
    llvm::Function *callee = llvmModule->getFunction(sig.name);
    if (!callee)
      return makeError("@" + sig.name + " is missing after lowering");
    addPackedEntry(*llvmModule, *callee, packedName(library.prefix, sig.name));
  }
  // Nothing of the model is exported: the C entry points are. The
  // weights, declared here, are defined in the library, hidden too.
  llvm::StringSet<> external;
  for (const ExternalWeight &weight : weights)
    external.insert(weight.symbol);
  for (llvm::GlobalValue &value : llvmModule->global_values())
    if (!value.isDeclaration() || external.contains(value.getName())) {
      value.setVisibility(llvm::GlobalValue::HiddenVisibility);
      value.setDSOLocal(true);
    }
  if (Error e = makeOptimizingTransformer(3, 0, tm->get())(llvmModule.get()))
    return e;

  // Both made (and registered for removal on a signal) before the link
  // stage is announced: Ctrl-C then finds them on the list.
  TempFile object, entry, combined, data;
  if (Error e = object.create("o"))
    return e;
  if (Error e = entry.create("c"))
    return e;
  std::string dataAsm;
  if (!weights.empty()) {
    if (Error e = data.create("bin"))
      return e;
    auto written = weightsAsm(weights, data.path);
    if (!written)
      return written.takeError();
    dataAsm = std::move(*written);
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(object.path, ec);
    if (ec)
      return makeError("cannot write '" + object.path + "': " + ec.message());
    llvm::legacy::PassManager pm;
    if ((*tm)->addPassesToEmitFile(pm, os, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
      return makeError("the target cannot emit object files");
    pm.run(*llvmModule);
  }
  stageDone("llvm (translate, -O3, object code)",
            "link (C entry points, runtime)");
  if (Error e =
          writeFile(entry.path, entryText(*sigs, callees, options.foreignLibs,
                                          library.prefix, (*tm)->getTargetCPU(),
                                          requiredFeatures(**tm)) +
                                    dataAsm))
    return e;

  std::string cc = library.cc.empty() ? "cc" : library.cc;
  std::vector<std::string> libs{library.runtimeArchive, "-lm"};
  if (options.threads > 1) {
    llvm::StringRef omp = PREDICT_LIBOMP;
    libs.push_back(omp.str());
    libs.push_back("-Wl,-rpath," + llvm::sys::path::parent_path(omp).str());
  }
  std::vector<std::string> compileEntry{"-x", "c", "-std=c11", "-O2",
                                        "-fPIC", "-fvisibility=hidden"};
  // The library is made beside its place and renamed into it once whole: a
  // failed link (or Ctrl-C) leaves the library that was there.
  auto placed = createTemporaryBeside(output);
  if (!placed)
    return placed.takeError();
  bool done = false;
  llvm::scope_exit discard([&] {
    if (!done)
      discardTemporary(*placed);
  });
  if (kind == Kind::shared) {
    std::vector<std::string> args = compileEntry;
    args.insert(args.end(),
                {"-DPREDICT_SHARED_LIBRARY", entry.path.str().str(), "-x",
                 "none", object.path.str().str(), "-shared", "-o", *placed});
    args.insert(args.end(), libs.begin(), libs.end());
    if (Error e = run(cc, args))
      return e;
  } else {
    // One relocatable object with the runtime inside and every hidden
    // symbol made local, so that two models link into one program.
    if (Error e = combined.create("o"))
      return e;
    std::string target =
        kind == Kind::object ? *placed : combined.path.str().str();
    std::vector<std::string> args = compileEntry;
    args.insert(args.end(),
                {entry.path.str().str(), "-x", "none", object.path.str().str(),
                 library.runtimeArchive, "-nostdlib", "-r", "-o", target});
    if (Error e = run(cc, args))
      return e;
    if (Error e = run("objcopy", {"--localize-hidden", target}))
      return e;
    if (kind == Kind::archive) {
      // ar adds to an archive that exists: it makes this one anew.
      llvm::sys::fs::remove(*placed);
      if (Error e = run("ar", {"rcs", *placed, target}))
        return e;
    }
  }
  // A $CC that succeeds without writing the library.
  uint64_t size = 0;
  if (llvm::sys::fs::file_size(*placed, size) || size == 0)
    return makeError("the C toolchain wrote no library for '" + output + "' (" +
                     (kind == Kind::shared ? "is $CC a compiler?"
                                           : "are $CC, objcopy and ar the "
                                             "toolchain's?") +
                     ")");
  stageDone("link (C entry points, runtime)", "header");
  std::optional<std::string> header;
  if (!library.header.empty()) {
    auto written =
        writeTemporaryBeside(library.header, [&](llvm::raw_ostream &os) {
          os << headerText(*sigs, library.prefix);
        });
    if (!written)
      return written.takeError();
    header = *written;
  }
  done = true;
  // Into a device or stdout first (its write can fail, and cannot be taken
  // back), as predict-run orders its outputs: then a failure leaves the
  // library that was there.
  if (header && isSpecialOutput(library.header)) {
    if (Error e = placeOutput(*header, library.header)) {
      discardTemporary(*placed);
      return e;
    }
    header.reset();
  }
  if (Error e = placeOutput(*placed, output)) {
    if (header)
      discardTemporary(*header);
    return e;
  }
  if (header)
    return placeOutput(*header, library.header);
  return Error::success();
}
