//===- LibraryFunction.cpp - call a function of a predict-compile library -===//
//
// predict-run's way to a model already compiled into the cache
// (CompileCache.cpp): the shared library is loaded with dlopen and called
// through the C ABI of include/predict/Runtime/Library.h, as the Python
// package calls it.
//
//===----------------------------------------------------------------------===//

#include "Errors.h"
#include "predict/Runner/Runner.h"
#include "predict/Runtime/Library.h"

#include "mlir/IR/BuiltinTypes.h"

#include <chrono>
#include <dlfcn.h>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;
using llvm::Error;
using llvm::Expected;

/// The signature of the library's function as predict-run's: the element
/// types have the same order in both (Library.h's predict_dtype).
static FunctionSignature toSignature(const predict_signature &s) {
  FunctionSignature sig;
  sig.name = s.name;
  auto convert = [](const predict_tensor_spec *specs, int32_t count,
                    llvm::SmallVector<TensorSpec> &into) {
    for (const predict_tensor_spec &spec : llvm::ArrayRef(specs, count)) {
      TensorSpec t{DType(spec.dtype), {}};
      for (int64_t size : llvm::ArrayRef(spec.shape, spec.rank))
        t.shape.push_back(size < 0 ? ShapedType::kDynamic : size);
      into.push_back(std::move(t));
    }
  };
  convert(s.inputs, s.num_inputs, sig.inputs);
  convert(s.outputs, s.num_outputs, sig.results);
  return sig;
}

Expected<std::unique_ptr<LibraryFunction>>
LibraryFunction::load(llvm::StringRef path, llvm::StringRef function) {
  std::unique_ptr<LibraryFunction> fn(new LibraryFunction());
  // RTLD_LOCAL: two libraries define the same runtime symbols (hidden) and
  // may share a prefix.
  fn->handle = dlopen(path.str().c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!fn->handle)
    return makeError("cannot load the library '" + path + "': " + dlerror());
  auto symbol = [&](const std::string &name) {
    return dlsym(fn->handle, name.c_str());
  };
  auto prefixOf =
      reinterpret_cast<const char *(*)()>(symbol("predict_library_prefix"));
  auto namesOf = reinterpret_cast<const char *const *(*)()>(
      symbol("predict_library_functions"));
  if (!prefixOf || !namesOf)
    return makeError("'" + path +
                     "' is not a shared library of predict-compile (it has "
                     "no predict_library_functions)");
  std::string prefix = prefixOf();
  std::string publics, chosen = function.str();
  int count = 0;
  for (const char *const *name = namesOf(); *name; ++name, ++count)
    publics += (publics.empty() ? "@" : ", @") + std::string(*name);
  if (chosen.empty()) {
    if (count != 1)
      return makeError("more than one public function in the module (" +
                       publics + "): choose one with --function=NAME");
    chosen = namesOf()[0];
  }
  auto signatureOf = reinterpret_cast<const predict_signature *(*)()>(
      symbol(prefix + "_" + chosen + "_signature"));
  fn->entry = reinterpret_cast<int (*)(const void *, void *)>(
      symbol(prefix + "_" + chosen));
  fn->lastError =
      reinterpret_cast<const char *(*)()>(symbol(prefix + "_last_error"));
  if (!signatureOf || !fn->entry || !fn->lastError)
    return makeError(noFunctionText(chosen) +
                     "; its public functions: " + publics);
  fn->sig = toSignature(*signatureOf());
  return fn;
}

LibraryFunction::~LibraryFunction() {
  if (handle)
    dlclose(handle);
}

/// The C ABI's view of `tensor` (not copied).
static predict_tensor toLibraryTensor(const HostTensor &tensor) {
  predict_tensor t{};
  t.data = const_cast<void *>(tensor.data());
  t.rank = tensor.shape.size();
  t.dtype = int32_t(tensor.dtype);
  llvm::copy(tensor.shape, t.shape);
  return t;
}

Expected<llvm::SmallVector<HostTensor>>
LibraryFunction::call(llvm::ArrayRef<HostTensor> inputs) {
  // On the stack for the usual few tensors: a call of a small model takes
  // a fraction of a microsecond, of which each heap allocation here was a
  // visible part.
  llvm::SmallVector<predict_tensor, 4> in,
      out(std::max<size_t>(sig.results.size(), 1));
  for (const HostTensor &input : inputs)
    in.push_back(toLibraryTensor(input));
  if (entry(in.data(), out.data()) != PREDICT_OK)
    return llvm::make_error<RunTimeError>(lastError());
  // The library gives each output in a buffer of malloc, as HostTensor's
  // storage is: adopted, not copied.
  llvm::SmallVector<HostTensor> results;
  for (auto [spec, o] : llvm::zip(sig.results, out)) {
    HostTensor t;
    t.dtype = spec.dtype;
    t.shape.assign(o.shape, o.shape + o.rank);
    t.storage.reset(static_cast<uint64_t *>(o.data));
    results.push_back(std::move(t));
  }
  return results;
}
