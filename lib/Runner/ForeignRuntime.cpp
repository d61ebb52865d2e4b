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
#include "CallContext.h"
#include "Errors.h"
#include "predict/Runner/HostTensor.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"
#include "predict/Runtime/ForeignCallback.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/DynamicLibrary.h"

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

/// Fails the current call with `message` located at `callee`'s Python line.
/// Returns to the caller of the compiled function: the caller's frame must
/// hold no object with a destructor.
[[noreturn]] void fail(const Callee &callee, const llvm::Twine &message) {
  setCallError(llvm::Twine(callee.location.empty() ? ""
                                                   : callee.location + ": ") +
               "error: at run time: " + message);
  abandonCall();
}

/// `2x7` for `rank` sizes.
std::string formatSizes(const int64_t *sizes, int64_t rank) {
  std::string text;
  for (int64_t d = 0; d < rank; ++d)
    text += (d ? "x" : "") + std::to_string(sizes[d]);
  return text;
}

/// Why the sizes a shape function gave are wrong for a result whose
/// annotated sizes are `expected` (-1 for dynamic), or "" when they are
/// right: negative, different from a static size, or a tensor whose byte
/// size overflows or is above the tensor limit.
std::string whyBadShape(const Callee &callee, const int64_t *expected,
                        const int64_t *shape, int64_t rank) {
  std::string type = "tensor<";
  for (int64_t d = 0; d < rank; ++d)
    type += (expected[d] < 0 ? std::string("?") : std::to_string(expected[d])) +
            "x";
  type += "f32>";
  std::string gave = "the shape function of '" + callee.name + "' gave " +
                     formatSizes(shape, rank) + " for " + type;
  for (int64_t d = 0; d < rank; ++d) {
    if (shape[d] < 0)
      return gave + " (dimension " + std::to_string(d) + " is negative)";
    if (expected[d] >= 0 && shape[d] != expected[d])
      return gave + " (dimension " + std::to_string(d) + " must be " +
             std::to_string(expected[d]) + ")";
  }
  uint64_t bytes = sizeof(float);
  for (int64_t d = 0; d < rank; ++d) {
    uint64_t size = uint64_t(shape[d]);
    if (size != 0 && bytes > maxTensorBytes() / size)
      return gave + ": more than the largest tensor allowed (" +
             std::to_string(maxTensorBytes()) + " bytes)";
    bytes *= size;
  }
  return "";
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
// size, stride. A failure leaves through a longjmp: the scopes below end
// every object with a destructor before it, and its message is a Twine
// (no temporary string outlives the jump).
static void predict_runtime_foreign(int64_t id, int64_t *, int64_t *aligned,
                                    int64_t offset, int64_t, int64_t) {
  const Callee &callee = callees[id];
  int status;
  {
    int64_t *rest;
    std::vector<predict_tensor> args =
        readTensors(aligned + offset, callee.numArgs, &rest);
    predict_tensor result = readTensors(rest, 1, &rest).front();
    status = callee.fn(args.data(), callee.numArgs, &result);
  }
  if (status)
    fail(callee, llvm::Twine("host callback for '") + callee.name +
                     "' failed with status " + llvm::Twine(status));
}

static void predict_runtime_foreign_shape(int64_t id, int64_t *,
                                          int64_t *aligned, int64_t offset,
                                          int64_t, int64_t) {
  const Callee &callee = callees[id];
  int status;
  bool badShape = false;
  {
    int64_t *rest;
    std::vector<predict_tensor> args =
        readTensors(aligned + offset, callee.numArgs, &rest);
    int64_t rank = rest[1];
    int64_t *shape = rest + 2;
    // The annotated sizes (-1: dynamic), which the library must respect;
    // the compiled code allocates what the sizes say, so they are checked
    // before it does.
    std::vector<int64_t> expected(shape, shape + rank);
    status = callee.shape(args.data(), callee.numArgs, rank, shape);
    if (!status) {
      std::string why = whyBadShape(callee, expected.data(), shape, rank);
      if ((badShape = !why.empty()))
        setCallError(llvm::Twine(callee.location.empty()
                                     ? ""
                                     : callee.location + ": ") +
                     "error: at run time: " + why);
    }
  }
  if (status)
    fail(callee, llvm::Twine("the shape function of '") + callee.name +
                     "' failed with status " + llvm::Twine(status));
  if (badShape)
    abandonCall();
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
