//===- CompiledFunction.cpp - lower, JIT-compile and call a function ------===//

#include "CallContext.h"
#include "Errors.h"
#include "ExternalWeights.h"
#include "ForeignRuntime.h"
#include "predict/Dialect/Predict/IR/PredictDialect.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Pipelines/Pipelines.h"
#include "predict/Runner/Progress.h"
#include "predict/Runner/Runner.h"
#include "predict/Support/WeightBlobs.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <pthread.h>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;
using llvm::Error;
using llvm::Expected;

std::string TensorSpec::str() const {
  std::string s;
  for (int64_t d : shape)
    s += (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d)) + "x";
  return s + dtypeName(dtype).str();
}

char RunTimeError::ID = 0;

CompiledFunction::~CompiledFunction() = default;

/// The spec of a function argument or result type, or an error naming it.
static Expected<TensorSpec> specOf(Type type, const llvm::Twine &what) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !isa<RankedTensorType, MemRefType>(type) || !shaped.hasRank())
    return makeError(
        what + " has type " + llvm::formatv("{0}", type).str() +
        "; a compiled function takes and returns ranked tensors only");
  Type element = shaped.getElementType();
  std::optional<DType> dtype;
  if (element.isF32())
    dtype = DType::f32;
  else if (element.isF64())
    dtype = DType::f64;
  else if (element.isInteger(32))
    dtype = DType::i32;
  else if (element.isInteger(64))
    dtype = DType::i64;
  else if (element.isInteger(1))
    dtype = DType::i1;
  if (!dtype)
    return makeError(
        what + " has element type " + llvm::formatv("{0}", element).str() +
        "; a compiled function takes and returns f32, f64, i32, i64 and i1");
  return TensorSpec{*dtype, llvm::SmallVector<int64_t>(shaped.getShape())};
}

/// Finds the function to call: `name`, or the only public one.
static Expected<func::FuncOp> findFunction(ModuleOp module, llvm::StringRef name) {
  llvm::SmallVector<func::FuncOp> candidates;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isExternal() && func.isPublic() &&
        (name.empty() || func.getSymName() == name))
      candidates.push_back(func);
  if (candidates.size() == 1)
    return candidates.front();
  if (candidates.empty() && module.getOps<func::FuncOp>().empty() &&
      !module.getOps<LLVM::LLVMFuncOp>().empty())
    return makeError(
        "the module is already in the LLVM dialect (as --emit=mlir prints "
        "it): its functions take memref descriptors field by field, so "
        "predict cannot pass tensors to them (predict-run) nor give them a "
        "C signature of tensors (predict-compile); give the module as it "
        "was before lowering (predict dialect, linalg or memrefs)");
  std::string publics;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      publics += (publics.empty() ? "@" : ", @") + func.getSymName().str();
  // Nothing to call at all (an empty file, only declarations or private
  // functions): --function would not help.
  if (publics.empty() && name.empty())
    return makeError("the module has no public function with a body to "
                     "call: nothing to compile");
  if (publics.empty())
    publics = "none";
  if (!name.empty()) {
    auto named = module.lookupSymbol<func::FuncOp>(name);
    return makeError(
        (named && named.isPrivate()
             ? "the function '@" + name +
                   "' is private (func.func private): only public functions "
                   "are called"
             : noFunctionText(name)) +
        "; its public functions: " + publics);
  }
  return makeError(llvm::Twine(candidates.empty() ? "no" : "more than one") +
                   " public function in the module (" + publics +
                   "): choose one with --function=NAME");
}

/// An error when @`name` returns a buffer on its own stack (a view of a
/// memref.alloca): its frame, and the buffer, are gone when it returns.
static Error checkReturnedBuffers(ModuleOp module, llvm::StringRef name) {
  auto func = dyn_cast_or_null<func::FuncOp>(
      SymbolTable::lookupSymbolIn(module, name));
  if (!func)
    return Error::success();
  std::string problem;
  func.walk([&](func::ReturnOp ret) {
    for (auto [i, value] : llvm::enumerate(ret.getOperands())) {
      Value source = value;
      while (auto view = source.getDefiningOp<ViewLikeOpInterface>())
        source = view.getViewSource();
      if (auto alloca = source.getDefiningOp<memref::AllocaOp>()) {
        InFlightDiagnostic diag =
            alloca.emitError()
            << "result #" << i << " of @" << name
            << " is this memref.alloca, on the stack of @" << name
            << ": it is gone when @" << name
            << " returns; allocate it with memref.alloc";
        diag.attachNote(ret.getLoc()) << "returned here";
        problem = "@" + name.str() + " returns a buffer on its own stack "
                  "(diagnostics above)";
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  return problem.empty() ? Error::success() : makeError(problem);
}

/// Runs `build`'s passes on `module`, timing them as `stage`.
static Error runStage(ModuleOp module, llvm::StringRef stage,
                      llvm::function_ref<void(OpPassManager &)> build,
                      std::vector<StageTime> *times) {
  auto start = std::chrono::steady_clock::now();
  Stage underWay(stage);
  PassManager pm = PassManager::on<ModuleOp>(module.getContext());
  // The IR is verified once a stage, not after each of its passes: most of
  // a small model's compile time went to verifying it forty times.
  pm.enableVerifier(false);
  build(pm);
  if (failed(pm.run(module)))
    return makeError("compilation failed in stage '" + stage +
                     "' (diagnostics above)");
  if (failed(verify(module)))
    return makeError("stage '" + stage +
                     "' produced invalid IR (diagnostics above): a bug in "
                     "predict, please report it with the input");
  if (times)
    times->push_back(
        {stage.str(), std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count()});
  return Error::success();
}

static std::unique_ptr<llvm::TargetMachine> hostTargetMachine() {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return nullptr;
  // The opt level of ExecutionEngineOptions does not reach a target machine
  // built here: set it on the builder.
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto tm = builder->createTargetMachine();
  return tm ? std::move(*tm) : nullptr;
}

void runner::setVectorRegisters(const llvm::TargetMachine &tm,
                                CompileOptions &options) {
  const llvm::MCSubtargetInfo *info = tm.getMCSubtargetInfo();
  if (!info || !tm.getTargetTriple().isX86())
    return; // the passes' defaults
  if (info->checkFeatures("+avx512f")) {
    options.vectorBits = 512;
    options.vectorRegisters = 32;
  } else {
    options.vectorBits = info->checkFeatures("+avx") ? 256 : 128;
    options.vectorRegisters = 16;
  }
  options.fma = info->checkFeatures("+fma");
}

Expected<func::FuncOp> runner::keepOnlyFunction(ModuleOp module,
                                                llvm::StringRef function) {
  auto func = findFunction(module, function);
  if (!func)
    return func.takeError();
  for (auto other : module.getOps<func::FuncOp>())
    if (other != *func && other.isPublic() && !other.isExternal())
      other.setPrivate();
  PassManager dce = PassManager::on<ModuleOp>(module.getContext());
  dce.addPass(createSymbolDCEPass());
  if (failed(dce.run(module)))
    return makeError("cannot drop the functions --function leaves out "
                     "(diagnostics above)");
  return *func;
}

Expected<llvm::SmallVector<FunctionSignature>>
runner::lowerToLLVMDialect(ModuleOp module, llvm::StringRef function,
                           bool allPublic, const CompileOptions &options,
                           std::vector<StageTime> *times) {
  // The functions to call, with their types before lowering. Their
  // signatures are read after the predict stage (which can refine them: a
  // rewritten foreign call has a known shape) and checked after lowering,
  // so that a problem reported at the user's line comes first.
  struct Entry {
    std::string name;
    llvm::SmallVector<Type> argTypes, resultTypes;
  };
  llvm::SmallVector<Entry> entries;
  auto addEntry = [&](func::FuncOp func) {
    entries.push_back({func.getSymName().str(),
                       llvm::SmallVector<Type>(func.getArgumentTypes()),
                       llvm::SmallVector<Type>(func.getResultTypes())});
  };
  if (allPublic && function.empty()) {
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        addEntry(func);
  }
  // Only the chosen function and what it calls are compiled, so that a
  // foreign call or an error in a function left out does not stop this one
  // (--function=NAME).
  if (entries.empty()) {
    auto func = keepOnlyFunction(module, function);
    if (!func)
      return func.takeError();
    addEntry(*func);
  }

  // Lower only as far as the input still needs.
  bool hasPredict = false;
  // A run-time check alone (in a module on memrefs) needs no predict stage:
  // it lives until the LLVM stage.
  module->walk([&](Operation *op) {
    hasPredict |= isa<PredictDialect>(op->getDialect()) && !isa<AssertOp>(op);
  });
  bool onTensors = llvm::any_of(entries, [](const Entry &entry) {
    return llvm::any_of(
        llvm::concat<const Type>(entry.argTypes, entry.resultTypes),
        [](Type t) { return isa<TensorType>(t); });
  });
  PipelineOptions pipelineOptions;
  pipelineOptions.vectorize = options.vectorize;
  pipelineOptions.batchLoops = options.batchLoops;
  pipelineOptions.remarks = options.remarks;
  pipelineOptions.threads = options.threads;
  pipelineOptions.foreign = options.foreign;
  pipelineOptions.vectorBits = options.vectorBits;
  pipelineOptions.vectorRegisters = options.vectorRegisters;
  pipelineOptions.fma = options.fma;
  ModuleOp m = module;
  if (hasPredict) {
    if (Error e = runStage(
            m, "predict-to-linalg",
            [&](OpPassManager &pm) {
              buildPredictToLinalgPipeline(pm, pipelineOptions);
            },
            times))
      return std::move(e);
    for (Entry &entry : entries)
      if (auto refined = dyn_cast_or_null<func::FuncOp>(
              SymbolTable::lookupSymbolIn(m, entry.name))) {
        entry.argTypes.assign(refined.getArgumentTypes().begin(),
                              refined.getArgumentTypes().end());
        entry.resultTypes.assign(refined.getResultTypes().begin(),
                                 refined.getResultTypes().end());
      }
  }
  if (hasPredict || onTensors) {
    if (Error e = runStage(
            m, "predict-codegen",
            [&](OpPassManager &pm) {
              buildPredictCodegenPipeline(pm, pipelineOptions);
            },
            times))
      return std::move(e);
    if (Error e = runStage(m, "predict-bufferize", buildPredictBufferizePipeline,
                           times))
      return std::move(e);
  }
  for (const Entry &entry : entries)
    if (Error e = checkReturnedBuffers(m, entry.name))
      return std::move(e);
  if (Error e = runStage(
          m, "predict-lower-to-llvm",
          [&](OpPassManager &pm) {
            buildPredictLowerToLLVMPipeline(pm, pipelineOptions);
          },
          times))
    return std::move(e);

  llvm::SmallVector<FunctionSignature> signatures;
  for (const Entry &entry : entries) {
    FunctionSignature &sig = signatures.emplace_back();
    sig.name = entry.name;
    for (auto [i, type] : llvm::enumerate(entry.argTypes)) {
      auto spec =
          specOf(type, "argument #" + llvm::Twine(i) + " of @" + sig.name);
      if (!spec)
        return spec.takeError();
      sig.inputs.push_back(*spec);
    }
    for (auto [i, type] : llvm::enumerate(entry.resultTypes)) {
      auto spec = specOf(type, "result #" + llvm::Twine(i) + " of @" + sig.name);
      if (!spec)
        return spec.takeError();
      sig.results.push_back(*spec);
    }
  }
  return signatures;
}

Expected<std::unique_ptr<CompiledFunction>>
CompiledFunction::compile(OwningOpRef<ModuleOp> module, llvm::StringRef function,
                          const CompileOptions &options,
                          std::vector<StageTime> *times) {
  std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine();
  if (!tm)
    return makeError("cannot create a target machine for the host CPU");
  CompileOptions targeted = options;
  setVectorRegisters(*tm, targeted);
  auto sigs = lowerToLLVMDialect(*module, function, /*allPublic=*/false,
                                 targeted, times);
  if (!sigs)
    return sigs.takeError();
  std::unique_ptr<CompiledFunction> compiled(new CompiledFunction());
  compiled->sig = std::move(sigs->front());
  ModuleOp m = *module;
  // The weights are read in place, from the module's blobs, which the
  // compiled function keeps.
  std::vector<runner::ExternalWeight> weights;
  if (options.bindWeights)
    weights = runner::externalizeWeights(m);
  auto start = std::chrono::steady_clock::now();
  Stage underWay("llvm (translate, -O3, machine code)");
  auto transformer = makeOptimizingTransformer(3, 0, tm.get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  engineOptions.enableObjectDump = options.keepObject;
  // LLVM's perf listener writes a jitdump file under ~/.debug (or
  // /tmp/.debug) on every run, never removed: only when asked for, to
  // profile JIT code with `perf record -k 1` (docs/predict-run.md).
  const char *perf = std::getenv("PREDICT_JIT_PERF");
  engineOptions.enablePerfNotificationListener =
      perf && llvm::StringRef(perf) == "1";
  // Threaded code calls the OpenMP runtime; sequential code does not load it.
  llvm::SmallVector<llvm::StringRef, 2> runtimeLibs{PREDICT_C_RUNNER_UTILS};
  if (options.threads > 1) {
    runtimeLibs.push_back(PREDICT_LIBOMP);
    registerOpenMPDialectTranslation(*m.getContext());
  }
  engineOptions.sharedLibPaths = runtimeLibs;
  auto engine = ExecutionEngine::create(m, engineOptions, std::move(tm));
  if (!engine)
    return makeError("JIT compilation failed: " +
                     llvm::toString(engine.takeError()));
  compiled->engine = std::move(*engine);
  if (Error e = bindForeignCallees(m, options.foreignLibs))
    return std::move(e);
  registerCallRuntime(*compiled->engine);
  compiled->engine->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    for (const runner::ExternalWeight &weight : weights)
      symbols[interner(weight.symbol)] = {
          llvm::orc::ExecutorAddr::fromPtr(weight.data.data()),
          llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  auto packed = compiled->engine->lookupPacked(compiled->sig.name);
  if (!packed)
    return makeError("JIT compilation failed: " +
                     llvm::toString(packed.takeError()));
  compiled->packed = *packed;
  if (times)
    times->push_back({"llvm (translate, -O3, machine code)",
                      std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count()});
  compiled->module = std::move(module);
  return compiled;
}

CallableFunction::~CallableFunction() = default;

Error CallableFunction::checkInputs(llvm::ArrayRef<HostTensor> inputs) const {
  if (inputs.size() != sig.inputs.size())
    return makeError("@" + sig.name + " takes " +
                     llvm::Twine(sig.inputs.size()) + " input(s) but " +
                     llvm::Twine(inputs.size()) +
                     " were given (one --input per argument, in order)");
  for (auto [i, input, spec] : llvm::enumerate(inputs, sig.inputs)) {
    std::string what = "input #" + std::to_string(i) + " of @" + sig.name;
    if (input.dtype != spec.dtype) {
      static const char *const numpyNames[] = {"float32", "float64", "int32",
                                               "int64", "bool_"};
      return makeError(what + " must have element type " +
                       dtypeName(spec.dtype) + ", got " + input.typeString() +
                       ": convert it, e.g. np.save(path, x.astype(np." +
                       numpyNames[int(spec.dtype)] + "))");
    }
    if (input.shape.size() != spec.shape.size())
      return makeError(what + " must have rank " +
                       llvm::Twine(spec.shape.size()) + " (" + spec.str() +
                       "), got " + input.typeString());
    for (auto [d, size, expected] : llvm::enumerate(input.shape, spec.shape))
      if (!ShapedType::isDynamic(expected) && size != expected)
        return makeError(what + " must have shape " + spec.str() + ", got " +
                         input.typeString() + " (dimension " + llvm::Twine(d) +
                         " is " + llvm::Twine(size) + ", not " +
                         llvm::Twine(expected) + ")");
  }
  // Dynamic sizes of different inputs are not compared here: a dynamic
  // first dimension is not always a batch (a matrix, a kernel), and where
  // sizes must agree the compiled code checks them by numpy's rules (a size
  // of 1 broadcasts), with an error at the user's line.
  return Error::success();
}

/// Appends a strided memref descriptor for `tensor` to `fields`:
/// allocated and aligned pointers, offset, sizes, strides.
static void appendDescriptor(const HostTensor &tensor,
                             llvm::SmallVectorImpl<int64_t> &fields) {
  auto pointer = reinterpret_cast<int64_t>(tensor.data());
  fields.push_back(pointer);
  fields.push_back(pointer);
  fields.push_back(0);
  for (int64_t d : tensor.shape)
    fields.push_back(d);
  size_t rank = tensor.shape.size(), first = fields.size();
  fields.resize(first + rank);
  int64_t stride = 1;
  for (size_t d = rank; d-- > 0;) {
    fields[first + d] = stride;
    stride *= tensor.shape[d];
  }
}

bool CompiledFunction::invoke(llvm::ArrayRef<HostTensor> inputs,
                              llvm::SmallVectorImpl<int64_t> &results,
                              CallContext &context) {
  // On the stack for the usual few tensors of low rank: a call of a small
  // model takes well under a microsecond, and each heap allocation here
  // was a visible part of it.
  llvm::SmallVector<int64_t, 32> fields;
  for (const HostTensor &input : inputs)
    appendDescriptor(input, fields);
  size_t resultFields = 0;
  for (const TensorSpec &spec : sig.results)
    resultFields += 3 + 2 * spec.shape.size();
  results.assign(resultFields, 0);
  // The packed wrapper takes a pointer to each argument and, last, a pointer
  // to the storage of the (struct of) results.
  llvm::SmallVector<void *, 32> args;
  for (int64_t &field : fields)
    args.push_back(&field);
  void *resultStorage = results.data();
  if (!sig.results.empty())
    args.push_back(resultStorage);
  // A failure in compiled code longjmps back here (lib/Runtime/CallRuntime.c):
  // nothing between setjmp and the call may need unwinding.
  int ok;
  void **packedArgs = args.data();
  PREDICT_CALL(&context.call, ok, packed(packedArgs));
  return ok;
}

/// Whether `pointer` is on the calling thread's stack.
static bool onThisStack(const void *pointer) {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr))
    return false;
  void *low = nullptr;
  size_t size = 0;
  int failed = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  auto at = reinterpret_cast<uintptr_t>(pointer);
  auto begin = reinterpret_cast<uintptr_t>(low);
  return !failed && at >= begin && at - begin < size;
}

Expected<llvm::SmallVector<HostTensor>>
CompiledFunction::takeResults(llvm::ArrayRef<int64_t> fields,
                              CallContext &context) {
  llvm::SmallVector<HostTensor> results;
  // A result is a buffer the call allocated (the deallocation pipeline
  // returns results owned) or, in a module written on memrefs, a view of
  // an argument or a global. Copy every result out first, then free each
  // buffer the call owns, once (a value returned twice is one buffer).
  llvm::SmallVector<void *, 4> owned;
  size_t at = 0;
  Error error = Error::success();
  for (auto [i, spec] : llvm::enumerate(sig.results)) {
    size_t rank = spec.shape.size();
    auto *allocated = reinterpret_cast<void *>(fields[at]);
    auto *aligned = reinterpret_cast<const char *>(fields[at + 1]);
    int64_t offset = fields[at + 2];
    llvm::ArrayRef<int64_t> sizes(&fields[at + 3], rank);
    llvm::ArrayRef<int64_t> strides(&fields[at + 3 + rank], rank);
    at += 3 + 2 * rank;
    if (allocated && context.owns(allocated)) {
      if (!llvm::is_contained(owned, allocated))
        owned.push_back(allocated);
    } else if (onThisStack(aligned)) {
      // Compilation rejects a returned memref.alloca it can see; this is
      // one it could not (the frame it pointed into is gone: never read).
      error = llvm::joinErrors(
          std::move(error),
          makeError("result #" + llvm::Twine(i) + " of @" + sig.name +
                    " points into the stack of the returned function (a "
                    "memref.alloca): its memory is gone; allocate it with "
                    "memref.alloc"));
      continue;
    }
    auto tensor = HostTensor::allocate(spec.dtype, sizes);
    if (!tensor) {
      error = llvm::joinErrors(std::move(error), tensor.takeError());
      continue;
    }
    // Results are usually contiguous, but a view is as valid.
    llvm::SmallVector<int64_t> contiguous(rank, 1);
    for (int64_t d = int64_t(rank) - 2; d >= 0; --d)
      contiguous[d] = contiguous[d + 1] * sizes[d + 1];
    int64_t element = dtypeSize(spec.dtype);
    predict_copy_strided(element, rank, sizes.data(),
                         aligned + offset * element, strides.data(),
                         static_cast<char *>(tensor->data()),
                         contiguous.data());
    results.push_back(std::move(*tensor));
  }
  for (void *buffer : owned)
    CallContext::release(buffer);
  if (error)
    return std::move(error);
  return results;
}

Expected<llvm::SmallVector<HostTensor>>
CompiledFunction::call(llvm::ArrayRef<HostTensor> inputs) {
  llvm::SmallVector<int64_t, 16> fields;
  CallContext context;
  if (!invoke(inputs, fields, context))
    return llvm::make_error<RunTimeError>(context.error());
  return takeResults(fields, context);
}

Expected<BenchmarkStats>
CallableFunction::benchmark(llvm::ArrayRef<HostTensor> inputs, int runs) {
  std::vector<double> micros;
  micros.reserve(runs);
  for (int i = -1; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto results = call(inputs);
    auto end = std::chrono::steady_clock::now();
    if (!results)
      return results.takeError();
    if (i >= 0) // the first call warms caches and the JIT's lazy paths
      micros.push_back(
          std::chrono::duration<double, std::micro>(end - start).count());
  }
  return summarizeTimes(std::move(micros));
}

BenchmarkStats runner::summarizeTimes(std::vector<double> micros) {
  std::vector<double> sorted = micros;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double m : micros)
    sum += m;
  int runs = micros.size();
  size_t mid = sorted.size() / 2;
  double median = sorted.size() % 2 ? sorted[mid]
                                    : (sorted[mid - 1] + sorted[mid]) / 2;
  return BenchmarkStats{runs, sorted.front(), median, sum / runs};
}

/// The module as LLVM IR for the host, optimized at -O3 as the JIT does.
static Expected<std::unique_ptr<llvm::Module>>
optimizedLLVMModule(ModuleOp module, llvm::LLVMContext &context,
                    std::unique_ptr<llvm::TargetMachine> &tm) {
  auto llvmModule = translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return makeError("cannot translate the module to LLVM IR");
  tm = hostTargetMachine();
  if (!tm)
    return makeError("cannot create a target machine for the host CPU");
  llvmModule->setDataLayout(tm->createDataLayout());
  llvmModule->setTargetTriple(tm->getTargetTriple());
  if (Error e = makeOptimizingTransformer(3, 0, tm.get())(llvmModule.get()))
    return std::move(e);
  return llvmModule;
}

Expected<std::string> CompiledFunction::emitLLVMIR() {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::TargetMachine> tm;
  auto llvmModule = optimizedLLVMModule(*module, context, tm);
  if (!llvmModule)
    return llvmModule.takeError();
  std::string text;
  llvm::raw_string_ostream os(text);
  (*llvmModule)->print(os, nullptr);
  return text;
}

Expected<std::string> CompiledFunction::emitAssembly() {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::TargetMachine> tm;
  auto llvmModule = optimizedLLVMModule(*module, context, tm);
  if (!llvmModule)
    return llvmModule.takeError();
  llvm::SmallString<0> text;
  llvm::raw_svector_ostream os(text);
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::AssemblyFile))
    return makeError("the host target cannot emit assembly");
  pm.run(**llvmModule);
  return std::string(text.str());
}
