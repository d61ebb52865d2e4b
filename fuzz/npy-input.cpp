//===- npy-input.cpp - fuzz predict-run's inputs: .npy, literals, checks --===//
//
// The first byte chooses the reader (.npy bytes or an IREE-style literal
// such as `2x4xf32=1,2`); a tensor that reads is checked against a compiled
// dense+softmax model's signature and, when it passes, the model is called
// on it. Bad input must give an error, never a crash or an out-of-bounds
// access.
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictDialect.h"
#include "predict/Runner/Runner.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace mlir;
using namespace mlir::predict::runner;

static const char *const kModel = R"mlir(
predict.model @model class "Fuzz" {
  predict.layer.dense @d kernel = dense<[[0.5, -1.0, 0.25], [1.0, 0.0, -0.5],
      [0.0, 2.0, 1.0], [-1.5, 0.5, 0.0]]> : tensor<4x3xf32>
      bias = dense<[0.1, 0.2, 0.3]> : tensor<3xf32> activation softmax
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
    %y = predict.apply @d(%x) : (tensor<?x4xf32>) -> tensor<?x3xf32>
    predict.return %y : tensor<?x3xf32>
  }
}
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %y = predict.model_call @model(%x) : (tensor<?x4xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
)mlir";

static CompiledFunction &compiled() {
  static CompiledFunction *fn = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerBuiltinDialectTranslation(registry);
    registerLLVMDialectTranslation(registry);
    registry.insert<mlir::predict::PredictDialect>();
    auto *ctx = new MLIRContext(registry);
    auto module = parseSourceString<ModuleOp>(kModel, ctx);
    auto fn = module ? CompiledFunction::compile(std::move(module), "f", {},
                                                 nullptr)
                     : llvm::createStringError("the model does not parse");
    if (!fn) {
      llvm::errs() << "fuzz-npy-input: " << llvm::toString(fn.takeError())
                   << "\n";
      std::abort();
    }
    return fn->release();
  }();
  return *fn;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // Tensors up to 64 MiB: enough for every path, small enough for the
  // fuzzer's memory limit (a larger one is refused with an error).
  setMaxTensorBytes(64 << 20);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  auto tensor = data[0] & 1 ? parseInput(bytes) : parseNpy(bytes, "fuzz.npy");
  if (!tensor) {
    llvm::consumeError(tensor.takeError());
    return 0;
  }
  // Every element is readable (ASan checks the storage's bounds).
  (void)tensor->typeString();
  std::string printed;
  llvm::raw_string_ostream os(printed);
  printTensor(os, *tensor);
  CompiledFunction &fn = compiled();
  if (llvm::Error e = fn.checkInputs(*tensor)) {
    llvm::consumeError(std::move(e));
    return 0;
  }
  auto results = fn.call(*tensor);
  if (!results) {
    llvm::consumeError(results.takeError());
    return 0;
  }
  // One softmax row per input row; a row of moderate inputs sums to one.
  const HostTensor &y = results->front();
  if (y.shape.size() != 2 || y.shape[0] != tensor->shape[0] || y.shape[1] != 3)
    std::abort();
  auto *x = static_cast<const float *>(tensor->data());
  auto *p = static_cast<const float *>(y.data());
  for (int64_t r = 0; r < y.shape[0]; ++r) {
    bool moderate = true;
    for (int c = 0; c < 4; ++c)
      moderate &= std::fabs(x[r * 4 + c]) <= 1e6f;
    float sum = p[r * 3] + p[r * 3 + 1] + p[r * 3 + 2];
    if (moderate && std::fabs(sum - 1.0f) > 1e-4f)
      std::abort();
  }
  return 0;
}
