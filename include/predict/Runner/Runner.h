//===- Runner.h - compile a module and call it through the JIT ----*- C++ -*-===//

#ifndef PREDICT_RUNNER_RUNNER_H
#define PREDICT_RUNNER_RUNNER_H

#include "predict/Runner/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir::predict::runner {

struct CallContext;

/// The type of one argument or result: an element type and a shape whose
/// dynamic sizes are ShapedType::kDynamic.
struct TensorSpec {
  DType dtype;
  llvm::SmallVector<int64_t> shape;
  std::string str() const; // `?x100xf32`
};

struct FunctionSignature {
  std::string name;
  llvm::SmallVector<TensorSpec> inputs, results;
};

/// How long one compilation stage took.
struct StageTime {
  std::string stage;
  double milliseconds;
};

struct CompileOptions {
  /// Tile and vectorize (off: plain loops).
  bool vectorize = true;
  /// Keep the object code so that `emitAssembly` can show it.
  bool keepObject = false;
  /// Read weights of 4 KiB or more in place, from the module's values (off:
  /// compile them into the code, so that printed code is whole).
  bool bindWeights = true;
  /// Batch row-independent loops (off: every loop runs as a loop).
  bool batchLoops = true;
  /// Threads sharing out the row tiles of contractions (1: sequential code,
  /// no OpenMP runtime).
  unsigned threads = 1;
  /// Explain loop batching with remarks.
  bool remarks = false;
  /// Foreign calls: "reject", "rewrite" or "callback".
  std::string foreign = "reject";
  /// Shared libraries with host callbacks (`--foreign=callback`).
  std::vector<std::string> foreignLibs;
  /// The target's vector registers (bits, count), which size the register
  /// tiles; 0: the passes' defaults. Set by setVectorRegisters from the
  /// target machine the code is compiled for.
  unsigned vectorBits = 0, vectorRegisters = 0;
  /// The target has FMA instructions (x86's FMA3): contractions are made of
  /// math.fma. Set by setVectorRegisters.
  bool fma = false;
};

/// Sets `options`' vector registers from `tm`'s CPU features: AVX-512: 32
/// of 512 bits; AVX: 16 of 256; else 16 of 128 (SSE2, every x86-64); and
/// whether it has FMA.
void setVectorRegisters(const llvm::TargetMachine &tm, CompileOptions &options);

/// Keeps the public function `function` (empty: the only public one) and
/// what it calls: every other public function becomes private and
/// upstream's symbol-dce drops what is then unused (--function). Returns
/// the function, or an error naming the module's public functions.
llvm::Expected<func::FuncOp> keepOnlyFunction(ModuleOp module,
                                             llvm::StringRef function);

/// Lowers `module` as far as needed (predict dialect, linalg on tensors, or
/// memrefs) to the LLVM dialect, in place, for calling `function` (empty:
/// every public function when `allPublic`, else the only public one), and
/// returns the signature of each function to call. An error names the stage
/// or the argument at fault (diagnostics are emitted through the context's
/// handler first).
llvm::Expected<llvm::SmallVector<FunctionSignature>>
lowerToLLVMDialect(ModuleOp module, llvm::StringRef function, bool allPublic,
                   const CompileOptions &options,
                   std::vector<StageTime> *times);

/// What predict-compile writes (docs/AOT.md).
struct LibraryOptions {
  /// The library: `lib*.so` (shared), `*.a` (static) or `*.o` (one
  /// relocatable object); each needs only libc and libm (and the OpenMP
  /// runtime with threads > 1).
  std::string output;
  /// The C header declaring it (empty: none).
  std::string header;
  /// The model file it is compiled from, and its --config and --weights
  /// files, which neither the library nor the header may replace.
  std::string input, config, weights;
  /// The prefix of its C symbols (`model` gives `model_predict`).
  std::string prefix;
  /// The CPU it runs on: `host`, or an LLVM CPU name (`x86-64-v3`,
  /// `x86-64-v4`, `znver4`, ...).
  std::string targetCpu = "host";
  /// The C compiler that compiles the entry points and links (`$CC`, else
  /// `cc`).
  std::string cc;
  /// The runtime archive linked in (libpredict_runtime.a, found beside the
  /// tool: ../lib/predict).
  std::string runtimeArchive;

  /// `cc` from $CC and `runtimeArchive` beside the tool `executable` (a
  /// path in predict's bin/).
  static LibraryOptions forTool(llvm::StringRef executable);
  /// The C compiler's command line: its program's path (found on PATH, or
  /// a path that must be executable), then the words after it in `cc`
  /// (`CC="ccache gcc"`); an error when it cannot be run.
  llvm::Expected<std::vector<std::string>> compilerCommand() const;
};

/// An error that is its message, of a kind callers tell apart (isA).
template <typename Kind>
class MessageError : public llvm::ErrorInfo<Kind> {
public:
  explicit MessageError(std::string message) : message(std::move(message)) {}
  void log(llvm::raw_ostream &os) const override { os << message; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  std::string message;
};

/// What the C interface of a library cannot express (a function whose name
/// is not a C identifier, a tensor of rank above PREDICT_MAX_RANK), which
/// the JIT runs: predict-run then compiles with the JIT.
class NotALibrary : public MessageError<NotALibrary> {
public:
  using MessageError::MessageError;
  static char ID;
};

/// The C toolchain ($CC, objcopy) missing or failing: an environment
/// problem, not the model's. predict-run then warns and uses the JIT.
class ToolchainError : public MessageError<ToolchainError> {
public:
  using MessageError::MessageError;
  static char ID;
};

/// Compiles `function` of `module` (any stage predict-run takes; empty:
/// every public function) ahead of time into the library and header of
/// `library`. The library holds the weights and the runtime (lib/Runtime);
/// its only exported symbols are, for each function, `<prefix>_<function>`
/// and `<prefix>_<function>_signature`, and `<prefix>_last_error` (a shared
/// library also `predict_library_prefix`, `predict_library_function` (the
/// first function) and `predict_library_functions` (all, NULL-terminated)).
llvm::Error writeLibrary(OwningOpRef<ModuleOp> module, llvm::StringRef function,
                         const CompileOptions &options,
                         const LibraryOptions &library,
                         std::vector<StageTime> *times);

/// A failure of compiled code at run time (a check, a host callback, a
/// buffer it cannot have): the message is complete and, where the check
/// knows it, located in the user's terms
/// (`model.py:14:16: error: at run time: ...`). The call freed everything
/// it allocated and gave no result.
class RunTimeError : public llvm::ErrorInfo<RunTimeError> {
public:
  static char ID;
  explicit RunTimeError(std::string message) : message(std::move(message)) {}
  void log(llvm::raw_ostream &os) const override { os << message; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  std::string message;
};

/// Statistics of repeated timed calls.
struct BenchmarkStats {
  int runs;
  double minMicros, medianMicros, meanMicros;
};

/// The statistics of the call times `micros` (microseconds).
BenchmarkStats summarizeTimes(std::vector<double> micros);

/// A function predict-run calls: JIT-compiled (CompiledFunction) or loaded
/// from a shared library of predict-compile (LibraryFunction).
class CallableFunction {
public:
  virtual ~CallableFunction();

  const FunctionSignature &signature() const { return sig; }

  /// Checks `inputs` against the signature: count, element types, ranks,
  /// static sizes. Dynamic sizes that must agree are checked by the
  /// compiled code, by numpy's rules.
  llvm::Error checkInputs(llvm::ArrayRef<HostTensor> inputs) const;

  /// Calls the function on checked inputs and returns its results, or a
  /// RunTimeError when compiled code failed (docs/Runtime.md).
  virtual llvm::Expected<llvm::SmallVector<HostTensor>>
  call(llvm::ArrayRef<HostTensor> inputs) = 0;

  /// `runs` timed calls of `call` after one warm-up call. Each time is
  /// what a caller waits for: the compiled call and its results copied out
  /// into buffers of their own, the same work through the JIT and through a
  /// library (whose C ABI hands each output over in a buffer of malloc).
  llvm::Expected<BenchmarkStats> benchmark(llvm::ArrayRef<HostTensor> inputs,
                                           int runs);

protected:
  FunctionSignature sig;
};

/// A module compiled to native code, with the signature of the function it
/// calls.
class CompiledFunction : public CallableFunction {
public:
  /// Lowers `module` as far as needed (predict dialect, linalg on tensors,
  /// or memrefs) to the LLVM dialect, JIT-compiles it for the host CPU at
  /// -O3 and resolves `function` (empty: the only public function).
  static llvm::Expected<std::unique_ptr<CompiledFunction>>
  compile(OwningOpRef<ModuleOp> module, llvm::StringRef function,
          const CompileOptions &options, std::vector<StageTime> *times);
  ~CompiledFunction() override;

  /// The module in the LLVM dialect.
  ModuleOp loweredModule() { return module.get(); }

  /// Results are copies: buffers the call allocated are freed; a result
  /// that is a view of an argument or a global is copied and left alone.
  llvm::Expected<llvm::SmallVector<HostTensor>>
  call(llvm::ArrayRef<HostTensor> inputs) override;

  /// The optimized LLVM IR, or the host assembly, of the module.
  llvm::Expected<std::string> emitLLVMIR();
  llvm::Expected<std::string> emitAssembly();

private:
  CompiledFunction() = default;
  /// Calls once in `context`; `results` receives the raw result
  /// descriptors. Returns false when compiled code failed (the message is
  /// in `context`).
  bool invoke(llvm::ArrayRef<HostTensor> inputs,
              llvm::SmallVectorImpl<int64_t> &results, CallContext &context);
  /// Copies the results out of their descriptors and frees the buffers
  /// `context` owns.
  llvm::Expected<llvm::SmallVector<HostTensor>>
  takeResults(llvm::ArrayRef<int64_t> descriptors, CallContext &context);

  OwningOpRef<ModuleOp> module;
  std::unique_ptr<ExecutionEngine> engine;
  void (*packed)(void **) = nullptr;
};

/// A function of a shared library written by predict-compile (docs/AOT.md),
/// loaded into this process and called through its C ABI.
class LibraryFunction : public CallableFunction {
public:
  /// Loads the library at `path` and resolves `function` (empty: the only
  /// function of the library). An error names the library and, for a
  /// function it lacks, the functions it has.
  static llvm::Expected<std::unique_ptr<LibraryFunction>>
  load(llvm::StringRef path, llvm::StringRef function);
  ~LibraryFunction() override;

  /// Results are the buffers the library allocated, adopted.
  llvm::Expected<llvm::SmallVector<HostTensor>>
  call(llvm::ArrayRef<HostTensor> inputs) override;

private:
  LibraryFunction() = default;
  void *handle = nullptr;
  int (*entry)(const void *inputs, void *outputs) = nullptr;
  const char *(*lastError)() = nullptr;
};

} // namespace mlir::predict::runner

#endif // PREDICT_RUNNER_RUNNER_H
