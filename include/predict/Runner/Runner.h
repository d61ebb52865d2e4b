//===- Runner.h - compile a module and call it through the JIT ----*- C++ -*-===//

#ifndef PREDICT_RUNNER_RUNNER_H
#define PREDICT_RUNNER_RUNNER_H

#include "predict/Runner/HostTensor.h"

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
};

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

/// A module compiled to native code, with the signature of the function it
/// calls.
class CompiledFunction {
public:
  /// Lowers `module` as far as needed (predict dialect, linalg on tensors,
  /// or memrefs) to the LLVM dialect, JIT-compiles it for the host CPU at
  /// -O3 and resolves `function` (empty: the only public function).
  static llvm::Expected<std::unique_ptr<CompiledFunction>>
  compile(OwningOpRef<ModuleOp> module, llvm::StringRef function,
          const CompileOptions &options, std::vector<StageTime> *times);
  ~CompiledFunction();

  const FunctionSignature &signature() const { return sig; }
  /// The module in the LLVM dialect.
  ModuleOp loweredModule() { return module.get(); }

  /// Checks `inputs` against the signature: count, element types, ranks,
  /// static sizes. Dynamic sizes that must agree are checked by the
  /// compiled code, by numpy's rules.
  llvm::Error checkInputs(llvm::ArrayRef<HostTensor> inputs) const;

  /// Calls the function on checked inputs and returns its results, or a
  /// RunTimeError when compiled code failed (docs/Runtime.md). Results
  /// are copies: buffers the call allocated are freed; a result that is a
  /// view of an argument or a global is copied and left alone.
  llvm::Expected<llvm::SmallVector<HostTensor>>
  call(llvm::ArrayRef<HostTensor> inputs);

  /// `runs` timed calls after one warm-up call, timing the compiled call
  /// only.
  llvm::Expected<BenchmarkStats> benchmark(llvm::ArrayRef<HostTensor> inputs,
                                           int runs);

  /// The optimized LLVM IR, or the host assembly, of the module.
  llvm::Expected<std::string> emitLLVMIR();
  llvm::Expected<std::string> emitAssembly();

private:
  CompiledFunction() = default;
  /// Calls once in `context`; `results` receives the raw result
  /// descriptors. Returns false when compiled code failed (the message is
  /// in `context`).
  bool invoke(llvm::ArrayRef<HostTensor> inputs, std::vector<int64_t> &results,
              CallContext &context);
  /// Copies the results out of their descriptors and frees the buffers
  /// `context` owns.
  llvm::Expected<llvm::SmallVector<HostTensor>>
  takeResults(std::vector<int64_t> &descriptors, CallContext &context);

  OwningOpRef<ModuleOp> module;
  FunctionSignature sig;
  std::unique_ptr<ExecutionEngine> engine;
  void (*packed)(void **) = nullptr;
};

} // namespace mlir::predict::runner

#endif // PREDICT_RUNNER_RUNNER_H
