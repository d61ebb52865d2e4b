//===- ForeignRuntime.cpp - host callbacks for compiled code --------------===//
//
// Compiled code calls predict_runtime_foreign(id, block) (see
// lib/Dialect/Predict/Transforms/ForeignCallbacks.cpp): `block` holds, for
// every argument and then the result, [data pointer, rank, sizes...]. Here
// the id becomes the library function of the C ABI in
// include/predict/Runtime/ForeignCallback.h.
//
//===----------------------------------------------------------------------===//

#include "ForeignRuntime.h"
#include "Errors.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"
#include "predict/Runtime/ForeignCallback.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/DynamicLibrary.h"

#include <mutex>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;

namespace {
struct Callee {
  std::string name, location;
  int64_t numArgs;
  predict_foreign_fn fn = nullptr;
  predict_foreign_shape_fn shape = nullptr;
};

// predict-run compiles one module per process; its callees live here.
std::vector<Callee> callees;
std::mutex errorMutex;
std::string firstError;

void reportError(const std::string &message) {
  std::lock_guard<std::mutex> lock(errorMutex);
  if (firstError.empty())
    firstError = message;
}

/// The tensors a block describes: `count` of them from `block`.
std::vector<predict_tensor> readTensors(int64_t *block, int64_t count,
                                        int64_t **next) {
  std::vector<predict_tensor> tensors;
  for (int64_t i = 0; i < count; ++i) {
    predict_tensor t;
    t.data = reinterpret_cast<float *>(block[0]);
    t.rank = block[1];
    t.shape = block + 2;
    block += 2 + t.rank;
    tensors.push_back(t);
  }
  *next = block;
  return tensors;
}
} // namespace

extern "C" {
// memref<?xi64> arrives as its descriptor: allocated, aligned, offset,
// size, stride.
static void predict_runtime_foreign(int64_t id, int64_t *, int64_t *aligned,
                                    int64_t offset, int64_t, int64_t) {
  const Callee &callee = callees[id];
  int64_t *rest;
  std::vector<predict_tensor> args =
      readTensors(aligned + offset, callee.numArgs, &rest);
  predict_tensor result = readTensors(rest, 1, &rest).front();
  if (int status = callee.fn(args.data(), callee.numArgs, &result))
    reportError("host callback for '" + callee.name + "' (" + callee.location +
                ") failed with status " + std::to_string(status));
}

static void predict_runtime_foreign_shape(int64_t id, int64_t *,
                                          int64_t *aligned, int64_t offset,
                                          int64_t, int64_t) {
  const Callee &callee = callees[id];
  int64_t *rest;
  std::vector<predict_tensor> args =
      readTensors(aligned + offset, callee.numArgs, &rest);
  int64_t rank = rest[1];
  int64_t *shape = rest + 2;
  if (int status = callee.shape(args.data(), callee.numArgs, rank, shape)) {
    reportError("the shape function of '" + callee.name + "' (" +
                callee.location + ") failed with status " +
                std::to_string(status));
    for (int64_t d = 0; d < rank; ++d)
      shape[d] = 0; // an empty result rather than a wild allocation
  }
  for (int64_t d = 0; d < rank; ++d)
    if (shape[d] < 0) {
      reportError("the shape function of '" + callee.name + "' (" +
                  callee.location + ") gave a negative size");
      shape[d] = 0;
    }
}
}

llvm::Error runner::bindForeignCallees(ModuleOp module,
                                       llvm::ArrayRef<std::string> libraries) {
  callees.clear();
  auto list = module->getAttrOfType<ArrayAttr>("predict.foreign_callees");
  if (!list)
    return llvm::Error::success();
  std::vector<llvm::sys::DynamicLibrary> libs;
  for (const std::string &path : libraries) {
    std::string error;
    auto lib = llvm::sys::DynamicLibrary::getPermanentLibrary(path.c_str(), &error);
    if (!lib.isValid())
      return makeError("cannot load --foreign-lib '" + path + "': " + error);
    libs.push_back(lib);
  }
  auto find = [&](const std::string &symbol) -> void * {
    for (auto &lib : libs)
      if (void *address = lib.getAddressOfSymbol(symbol.c_str()))
        return address;
    return nullptr;
  };
  std::string searched = libraries.empty()
                             ? std::string("no --foreign-lib was given")
                             : "none of " + llvm::join(libraries, ", ") +
                                   " exports it";
  for (Attribute entry : list) {
    auto dict = cast<DictionaryAttr>(entry);
    Callee callee;
    callee.name = cast<StringAttr>(dict.get("name")).str();
    callee.location = cast<StringAttr>(dict.get("location")).str();
    callee.numArgs = cast<IntegerAttr>(dict.get("num_args")).getInt();
    std::string symbol = callbackSymbol(callee.name);
    callee.fn = reinterpret_cast<predict_foreign_fn>(find(symbol));
    if (!callee.fn)
      return makeError(callee.location + ": foreign function '" + callee.name +
                       "' has no host callback: " + searched + " (symbol " +
                       symbol + ", see include/predict/Runtime/ForeignCallback.h)");
    if (cast<BoolAttr>(dict.get("needs_shape")).getValue()) {
      callee.shape = reinterpret_cast<predict_foreign_shape_fn>(
          find(symbol + "_shape"));
      if (!callee.shape)
        return makeError(callee.location + ": the result of '" + callee.name +
                         "' has a dynamic shape, so its library must export "
                         "the shape function " +
                         symbol + "_shape (or annotate a static result type)");
    }
    callees.push_back(callee);
  }
  return llvm::Error::success();
}

void runner::registerForeignRuntime(ExecutionEngine &engine) {
  engine.registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("predict_runtime_foreign")] = {
        llvm::orc::ExecutorAddr::fromPtr(&predict_runtime_foreign),
        llvm::JITSymbolFlags::Exported};
    symbols[interner("predict_runtime_foreign_shape")] = {
        llvm::orc::ExecutorAddr::fromPtr(&predict_runtime_foreign_shape),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
}

llvm::Error runner::takeForeignError() {
  std::lock_guard<std::mutex> lock(errorMutex);
  if (firstError.empty())
    return llvm::Error::success();
  std::string message;
  std::swap(message, firstError);
  return makeError(message);
}
