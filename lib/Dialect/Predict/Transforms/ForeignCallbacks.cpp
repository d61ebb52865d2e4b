//===- ForeignCallbacks.cpp - foreign calls to host callbacks -------------===//
//
// Each remaining foreign call becomes, on tensors:
//
//   block = [ptr, rank, sizes...] for every argument, then for the result
//   (predict_runtime_foreign_shape(id, block) fills dynamic result sizes)
//   result = memref.alloc(sizes)
//   predict_runtime_foreign(id, block)
//   bufferization.to_tensor result
//
// predict-run implements the two runtime functions (lib/Runner).
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"
#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "RuntimeBlock.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTFOREIGNCALLBACKS
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

static constexpr StringLiteral kCall = "predict_runtime_foreign";
static constexpr StringLiteral kShape = "predict_runtime_foreign_shape";

namespace {
struct ForeignCallbacks
    : predict::impl::PredictForeignCallbacksBase<ForeignCallbacks> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<ForeignCallOp> calls;
    module.walk([&](ForeignCallOp call) { calls.push_back(call); });
    if (calls.empty())
      return;
    bool failed = false;
    for (ForeignCallOp call : calls)
      failed |= mlir::failed(check(call));
    if (failed)
      return signalPassFailure();

    OpBuilder b(module.getBodyRegion());
    auto fnType = b.getFunctionType(
        {b.getI64Type(), RuntimeBlock::dynamicType(&getContext())}, {});
    for (StringRef name : {kCall, kShape})
      if (!module.lookupSymbol(name))
        func::FuncOp::create(b, module.getLoc(), name, fnType).setPrivate();

    SmallVector<Attribute> callees;
    for (auto [id, call] : llvm::enumerate(calls)) {
      auto resultType = cast<RankedTensorType>(call.getResult(0).getType());
      callees.push_back(b.getDictionaryAttr({
          b.getNamedAttr("name", call.getCalleeAttr()),
          b.getNamedAttr("location", b.getStringAttr(formatLocation(call.getLoc()))),
          b.getNamedAttr("num_args", b.getI64IntegerAttr(call.getArgs().size())),
          b.getNamedAttr("needs_shape",
                         b.getBoolAttr(!resultType.hasStaticShape())),
      }));
      lower(call, id);
    }
    module->setAttr("predict.foreign_callees", b.getArrayAttr(callees));
  }

  LogicalResult check(ForeignCallOp call) {
    std::string why = whyNoCallback(call);
    if (why.empty())
      return success();
    return call.emitError() << "host callback for '" << call.getCallee()
                            << "': " << why;
  }

  void lower(ForeignCallOp call, int64_t id) {
    OpBuilder b(call);
    Location loc = call.getLoc();
    auto resultType = cast<RankedTensorType>(call.getResult(0).getType());
    int64_t words = RuntimeBlock::tensorWords(resultType.getRank());
    for (Value arg : call.getArgs())
      words += RuntimeBlock::tensorWords(
          cast<RankedTensorType>(arg.getType()).getRank());
    RuntimeBlock block(b, loc, words);
    for (Value arg : call.getArgs())
      block.storeTensor(arg);
    int64_t resultAt = block.size();
    Value dynamicBlock = block.dynamic();
    Value callId = arith::ConstantIntOp::create(b, loc, b.getI64Type(), id);
    // The result's sizes: static from the annotation, or from the library.
    block.store(0); // pointer, stored once allocated
    block.store(resultType.getRank());
    for (int64_t d = 0; d < resultType.getRank(); ++d)
      block.store(resultType.isDynamicDim(d) ? -1 : resultType.getDimSize(d));
    SmallVector<Value> dynamicSizes;
    if (!resultType.hasStaticShape()) {
      func::CallOp::create(b, loc, kShape, TypeRange{},
                           ValueRange{callId, dynamicBlock});
      for (int64_t d = 0; d < resultType.getRank(); ++d)
        if (resultType.isDynamicDim(d))
          dynamicSizes.push_back(arith::IndexCastOp::create(
              b, loc, b.getIndexType(), block.load(resultAt + 2 + d)));
    }
    auto resultMemRef =
        MemRefType::get(resultType.getShape(), resultType.getElementType());
    Value result = memref::AllocOp::create(b, loc, resultMemRef, dynamicSizes);
    block.storePointerAt(resultAt, result);
    func::CallOp::create(b, loc, kCall, TypeRange{},
                         ValueRange{callId, dynamicBlock});
    Value tensor = bufferization::ToTensorOp::create(
        b, loc, resultType, result, /*restrict=*/true, /*writable=*/true);
    call.getResult(0).replaceAllUsesWith(tensor);
    call.erase();
  }
};
} // namespace
