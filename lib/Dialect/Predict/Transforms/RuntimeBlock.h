//===- RuntimeBlock.h - i64 blocks that compiled code passes the runtime -===//
//
// Private to the passes that call the runtime with tensors
// (ForeignCallbacks.cpp, LowerPrint.cpp): a `memref<Nxi64>` on the stack
// filled word by word, where a tensor is its data pointer (of its
// identity-layout buffer, bufferization copies a strided one), rank and
// sizes, then passed as `memref<?xi64>` (docs/Runtime.md).
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_LIB_DIALECT_PREDICT_TRANSFORMS_RUNTIMEBLOCK_H
#define PREDICT_LIB_DIALECT_PREDICT_TRANSFORMS_RUNTIMEBLOCK_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::predict {

class RuntimeBlock {
public:
  /// A block of `words` words at `b`'s insertion point.
  RuntimeBlock(OpBuilder &b, Location loc, int64_t words)
      : b(b), loc(loc), block(memref::AllocaOp::create(
                            b, loc, MemRefType::get({words}, b.getI64Type()))) {
  }

  /// The words a tensor of `rank` takes after its `extra` leading ones.
  static int64_t tensorWords(int64_t rank, int64_t extra = 0) {
    return 2 + extra + rank;
  }

  /// The next word's index.
  int64_t size() const { return at; }
  /// Stores `value` (index or i64) as the next word.
  void store(Value value) { storeAt(at++, value); }
  /// Stores `value` (index or i64) as word `i`.
  void storeAt(int64_t i, Value value) {
    if (value.getType().isIndex())
      value = arith::IndexCastOp::create(b, loc, b.getI64Type(), value);
    memref::StoreOp::create(b, loc, value, block, ValueRange{index(i)});
  }
  void store(int64_t value) {
    store(arith::ConstantIntOp::create(b, loc, b.getI64Type(), value));
  }
  /// Stores the address of `buffer`'s first element.
  void storePointer(Value buffer) { storePointerAt(at++, buffer); }
  void storePointerAt(int64_t i, Value buffer) {
    storeAt(i, memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer));
  }
  /// Stores [data pointer, `extra`..., rank, sizes...] of `tensor`.
  void storeTensor(Value tensor, ArrayRef<int64_t> extra = {}) {
    auto type = cast<RankedTensorType>(tensor.getType());
    storePointer(bufferization::ToBufferOp::create(
        b, loc, MemRefType::get(type.getShape(), type.getElementType()), tensor,
        /*read_only=*/true));
    for (int64_t word : extra)
      store(word);
    store(type.getRank());
    for (int64_t d = 0; d < type.getRank(); ++d)
      store(tensor::DimOp::create(b, loc, tensor, d));
  }
  /// Word `i` as it is now (an i64).
  Value load(int64_t i) {
    return memref::LoadOp::create(b, loc, block, ValueRange{index(i)});
  }
  /// The block as `memref<?xi64>`, as the runtime's functions take it.
  Value dynamic() {
    return memref::CastOp::create(
        b, loc, MemRefType::get({ShapedType::kDynamic}, b.getI64Type()), block);
  }
  /// The block's type as the runtime's functions take it.
  static MemRefType dynamicType(MLIRContext *context) {
    return MemRefType::get({ShapedType::kDynamic},
                           IntegerType::get(context, 64));
  }

private:
  Value index(int64_t i) { return arith::ConstantIndexOp::create(b, loc, i); }

  OpBuilder &b;
  Location loc;
  Value block;
  int64_t at = 0;
};

} // namespace mlir::predict

#endif // PREDICT_LIB_DIALECT_PREDICT_TRANSFORMS_RUNTIMEBLOCK_H
