//===- ForeignRuntime.cpp - host callbacks for compiled code --------------===//
//
// Compiled code calls predict_runtime_foreign(id, block) of the C runtime
// (lib/Runtime/ForeignCall.c); here each id is bound to the function of the
// C ABI in include/predict/Runtime/ForeignCallback.h that a --foreign-lib
// library exports, and the JIT is given the runtime's entry points.
//
//===----------------------------------------------------------------------===//

#include "ForeignRuntime.h"
#include "Errors.h"
#include "../Runtime/ForeignCall.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/DynamicLibrary.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;

namespace {
/// A callee's strings, kept alive for the runtime's table.
struct Callee {
  std::string name, location;
};
// predict-run compiles one module per process; its callees live here.
std::vector<Callee> names;
std::vector<predict_foreign_callee> callees;
} // namespace

llvm::Error runner::bindForeignCallees(ModuleOp module,
                                       llvm::ArrayRef<std::string> libraries) {
  names.clear();
  callees.clear();
  predict_foreign_set_callees(nullptr, 0);
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
    Callee callee{cast<StringAttr>(dict.get("name")).str(),
                  cast<StringAttr>(dict.get("location")).str()};
    predict_foreign_callee c{};
    c.num_args = cast<IntegerAttr>(dict.get("num_args")).getInt();
    std::string symbol = callbackSymbol(callee.name);
    c.fn = reinterpret_cast<decltype(c.fn)>(find(symbol));
    if (!c.fn)
      return makeError(callee.location + ": foreign function '" + callee.name +
                       "' has no host callback: " + searched + " (symbol " +
                       symbol + ", see include/predict/Runtime/ForeignCallback.h)");
    if (cast<BoolAttr>(dict.get("needs_shape")).getValue()) {
      c.shape = reinterpret_cast<decltype(c.shape)>(find(symbol + "_shape"));
      if (!c.shape)
        return makeError(callee.location + ": the result of '" + callee.name +
                         "' has a dynamic shape, so its library must export "
                         "the shape function " +
                         symbol + "_shape (or annotate a static result type)");
    }
    names.push_back(std::move(callee));
    callees.push_back(c);
  }
  // The strings are in place once `names` stops growing.
  for (auto [c, callee] : llvm::zip(callees, names)) {
    c.name = callee.name.c_str();
    c.location = callee.location.c_str();
  }
  predict_foreign_set_callees(callees.data(), callees.size());
  return llvm::Error::success();
}

