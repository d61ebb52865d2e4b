//===- LowerPrint.cpp - predict.print to calls of the runtime's printer ---===//
//
// Each predict.print becomes, on tensors:
//
//   block = [text, stream length, template length, location length,
//            summarize, flags, count, then for each value:
//            data pointer, element kind, rank, sizes...]
//   predict_runtime_print(block)
//
// where `text` points to a constant global holding the stream, the
// template and the op's location, one after the other. The runtime
// (lib/Runtime/Print.c, docs/Runtime.md) formats and writes the text.
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "RuntimeBlock.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTLOWERPRINT
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

static constexpr StringLiteral kPrint = "predict_runtime_print";

/// The element kinds of docs/Runtime.md (predict_runtime_print).
static int64_t elementKind(Type element) {
  if (element.isF32())
    return 0;
  if (element.isF64())
    return 1;
  if (element.isInteger(1))
    return 2;
  if (element.isInteger(32))
    return 3;
  return 4; // i64: the verifier allows no other
}

namespace {
struct LowerPrint : predict::impl::PredictLowerPrintBase<LowerPrint> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<PrintOp> prints;
    module.walk([&](PrintOp op) { prints.push_back(op); });
    if (prints.empty())
      return;
    OpBuilder b(module.getBodyRegion());
    if (!module.lookupSymbol(kPrint))
      func::FuncOp::create(
          b, module.getLoc(), kPrint,
          b.getFunctionType({RuntimeBlock::dynamicType(&getContext())}, {}))
          .setPrivate();
    for (PrintOp op : prints)
      lower(module, op);
  }

  void lower(ModuleOp module, PrintOp op) {
    std::string where = formatLocation(op.getLoc());
    std::string bytes = (op.getStream() + op.getFormat() + where).str();
    memref::GlobalOp text = global(module, bytes);

    OpBuilder b(op);
    Location loc = op.getLoc();
    int64_t words = 7;
    for (Value value : op.getValues())
      words += RuntimeBlock::tensorWords(
          cast<RankedTensorType>(value.getType()).getRank(), /*extra=*/1);
    RuntimeBlock block(b, loc, words);
    block.storePointer(
        memref::GetGlobalOp::create(b, loc, text.getType(), text.getSymName()));
    block.store(op.getStream().size());
    block.store(op.getFormat().size());
    block.store(where.size());
    block.store(op.getSummarize());
    block.store(op.getPython() ? 1 : 0);
    block.store(op.getValues().size());
    for (Value value : op.getValues())
      block.storeTensor(
          value,
          {elementKind(
              cast<RankedTensorType>(value.getType()).getElementType())});
    func::CallOp::create(b, loc, kPrint, TypeRange{},
                         ValueRange{block.dynamic()});
    op.erase();
  }

  /// A constant global of `bytes` (one per distinct text; never empty,
  /// as a global of no elements has no address to pass).
  memref::GlobalOp global(ModuleOp module, StringRef bytes) {
    auto it = texts.find(bytes);
    if (it != texts.end())
      return it->second;
    OpBuilder b(module.getBodyRegion());
    std::string name;
    do
      name = "predict_print_text_" + std::to_string(nextText++);
    while (module.lookupSymbol(name));
    SmallVector<int8_t> data(bytes.begin(), bytes.end());
    data.push_back(0);
    auto type = MemRefType::get({int64_t(data.size())}, b.getI8Type());
    auto tensorType = RankedTensorType::get(type.getShape(), b.getI8Type());
    auto op = memref::GlobalOp::create(
        b, module.getLoc(), name, b.getStringAttr("private"), type,
        DenseElementsAttr::get(tensorType, ArrayRef<int8_t>(data)),
        /*constant=*/true, /*alignment=*/nullptr);
    texts[bytes] = op;
    return op;
  }

  llvm::StringMap<memref::GlobalOp> texts;
  int64_t nextText = 0;
};
} // namespace
