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
    auto blockType = MemRefType::get({ShapedType::kDynamic}, b.getI64Type());
    auto fnType = b.getFunctionType({b.getI64Type(), blockType}, {});
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
      lower(call, id, blockType);
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

  void lower(ForeignCallOp call, int64_t id, MemRefType blockType) {
    OpBuilder b(call);
    Location loc = call.getLoc();
    auto resultType = cast<RankedTensorType>(call.getResult(0).getType());
    auto i64 = [&](Value index) {
      return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
    };
    auto c64 = [&](int64_t v) {
      return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
    };
    auto cIndex = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, loc, v);
    };

    int64_t words = 2 + resultType.getRank();
    for (Value arg : call.getArgs())
      words += 2 + cast<RankedTensorType>(arg.getType()).getRank();
    Value block = memref::AllocaOp::create(
        b, loc, MemRefType::get({words}, b.getI64Type()));
    int64_t at = 0;
    auto store = [&](Value v) {
      memref::StoreOp::create(b, loc, v, block, ValueRange{cIndex(at++)});
    };

    for (Value arg : call.getArgs()) {
      auto type = cast<RankedTensorType>(arg.getType());
      Value buffer = bufferization::ToBufferOp::create(
          b, loc, MemRefType::get(type.getShape(), type.getElementType()), arg,
          /*read_only=*/true);
      store(i64(memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer)));
      store(c64(type.getRank()));
      for (int64_t d = 0; d < type.getRank(); ++d)
        store(i64(tensor::DimOp::create(b, loc, arg, d)));
    }
    int64_t resultAt = at;
    Value dynamicBlock = memref::CastOp::create(b, loc, blockType, block);
    Value callId = c64(id);
    // The result's sizes: static from the annotation, or from the library.
    store(c64(0)); // pointer, stored once allocated
    store(c64(resultType.getRank()));
    for (int64_t d = 0; d < resultType.getRank(); ++d)
      store(c64(resultType.isDynamicDim(d) ? -1 : resultType.getDimSize(d)));
    SmallVector<Value> dynamicSizes;
    if (!resultType.hasStaticShape()) {
      func::CallOp::create(b, loc, kShape, TypeRange{},
                           ValueRange{callId, dynamicBlock});
      for (int64_t d = 0; d < resultType.getRank(); ++d)
        if (resultType.isDynamicDim(d))
          dynamicSizes.push_back(arith::IndexCastOp::create(
              b, loc, b.getIndexType(),
              memref::LoadOp::create(b, loc, block,
                                     ValueRange{cIndex(resultAt + 2 + d)})));
    }
    auto resultMemRef =
        MemRefType::get(resultType.getShape(), resultType.getElementType());
    Value result = memref::AllocOp::create(b, loc, resultMemRef, dynamicSizes);
    memref::StoreOp::create(
        b, loc, i64(memref::ExtractAlignedPointerAsIndexOp::create(b, loc, result)),
        block, ValueRange{cIndex(resultAt)});
    func::CallOp::create(b, loc, kCall, TypeRange{},
                         ValueRange{callId, dynamicBlock});
    Value tensor = bufferization::ToTensorOp::create(
        b, loc, resultType, result, /*restrict=*/true, /*writable=*/true);
    call.getResult(0).replaceAllUsesWith(tensor);
    call.erase();
  }
};
} // namespace
