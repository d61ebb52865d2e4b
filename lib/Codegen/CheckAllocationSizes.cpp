//===- CheckAllocationSizes.cpp - allocation sizes beyond 64 bits ---------===//

#include "AllocationSizes.h"
#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/Support/MathExtras.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTCHECKALLOCATIONSIZES
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// The bytes one element of `type` takes (an integer or float, an index,
/// a vector of them); std::nullopt for another type.
std::optional<uint64_t> elementBytes(Type type) {
  if (type.isIndex())
    return 8;
  if (type.isIntOrFloat())
    return llvm::divideCeil(type.getIntOrFloatBitWidth(), 8);
  if (auto vector = dyn_cast<VectorType>(type))
    if (std::optional<uint64_t> bytes = elementBytes(vector.getElementType()))
      return *bytes * vector.getNumElements();
  return std::nullopt;
}

/// Whether a buffer of `dynamicSizes` (and `staticBytes` per element of
/// them) is no larger than a buffer that exists: each dynamic size is
/// `memref.dim` or `tensor.dim` of one argument of the function, at
/// distinct axes, whose other sizes are static and not 0, and whose bytes
/// per those elements are at least `staticBytes`. That argument was checked
/// on entry (docs/Runtime.md) or allocated here, so its size in bytes fits
/// in 64 bits; the product of the shared sizes is 0 for both or fits for
/// both. (The seed's Dense layers: `?x64xf32` of an input `?x100xf32`.)
bool boundedByArgument(ValueRange dynamicSizes, uint64_t staticBytes) {
  Value source;
  SmallVector<int64_t> axes;
  for (Value size : dynamicSizes) {
    std::optional<int64_t> axis;
    Value of;
    if (auto dim = size.getDefiningOp<memref::DimOp>()) {
      axis = dim.getConstantIndex();
      of = dim.getSource();
    } else if (auto dim = size.getDefiningOp<tensor::DimOp>()) {
      axis = dim.getConstantIndex();
      of = dim.getSource();
    }
    auto arg = dyn_cast_or_null<BlockArgument>(of);
    if (!axis || !arg ||
        !isa<FunctionOpInterface>(arg.getOwner()->getParentOp()) ||
        (source && source != arg) || llvm::is_contained(axes, *axis))
      return false;
    source = arg;
    axes.push_back(*axis);
  }
  auto type = source ? dyn_cast<ShapedType>(source.getType()) : ShapedType();
  std::optional<uint64_t> bytes =
      type ? elementBytes(type.getElementType()) : std::nullopt;
  if (!bytes)
    return false;
  uint64_t argBytes = *bytes;
  for (auto [d, size] : llvm::enumerate(type.getShape())) {
    if (llvm::is_contained(axes, int64_t(d)))
      continue;
    if (ShapedType::isDynamic(size) || size == 0 ||
        __builtin_mul_overflow(argBytes, uint64_t(size), &argBytes))
      return false;
  }
  return staticBytes <= argBytes;
}
} // namespace

void predict::checkAllocationSize(OpBuilder &b, Location loc, ShapedType type,
                                  ValueRange dynamicSizes) {
  std::optional<uint64_t> bytes = elementBytes(type.getElementType());
  if (!bytes)
    return;
  uint64_t known = *bytes;
  bool overflows = false;
  for (int64_t size : type.getShape())
    if (!ShapedType::isDynamic(size))
      overflows |= __builtin_mul_overflow(known, uint64_t(size), &known);
  if (!overflows &&
      (dynamicSizes.empty() || boundedByArgument(dynamicSizes, known)))
    return;
  Value fits;
  if (overflows) {
    fits = arith::ConstantIntOp::create(b, loc, 0, 1);
  } else {
    // bytes = known * each dynamic size, as unsigned 64-bit products: the
    // high half of each must be 0.
    Type i64 = b.getI64Type();
    Value bytes = arith::ConstantIntOp::create(b, loc, i64, known);
    Value zero = arith::ConstantIntOp::create(b, loc, i64, 0);
    for (Value size : dynamicSizes) {
      Value wide = arith::IndexCastUIOp::create(b, loc, i64, size);
      auto product = arith::MulUIExtendedOp::create(b, loc, bytes, wide);
      Value low = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                        product.getHigh(), zero);
      fits = fits ? arith::AndIOp::create(b, loc, fits, low).getResult() : low;
      bytes = product.getLow();
    }
  }
  cf::AssertOp::create(b, loc, fits, kAllocationTooLarge);
}

namespace {
struct CheckAllocationSizes
    : predict::impl::PredictCheckAllocationSizesBase<CheckAllocationSizes> {
  void runOnOperation() override {
    getOperation()->walk([&](memref::AllocOp alloc) {
      OpBuilder b(alloc);
      predict::checkAllocationSize(b, alloc.getLoc(), alloc.getType(),
                                   alloc.getDynamicSizes());
    });
  }
};
} // namespace
