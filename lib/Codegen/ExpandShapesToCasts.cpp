//===- ExpandShapesToCasts.cpp - dynamic expand_shape as reinterpret_cast -===//
//
// memref.expand_shape of a contiguous buffer whose result has a group of
// several dynamic sizes, as memref.reinterpret_cast with row-major strides:
// upstream MLIR 22's expand-strided-metadata crashes on that expand_shape
// (docs/Passes.md, predict-expand-shapes-to-casts).
//
//===----------------------------------------------------------------------===//

#include "predict/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTEXPANDSHAPESTOCASTS
#include "predict/Codegen/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;

namespace {
/// Whether a group of `expand`'s result has more than one dynamic size.
bool hasGroupOfDynamicSizes(memref::ExpandShapeOp expand) {
  MemRefType result = expand.getResultType();
  for (const ReassociationIndices &group : expand.getReassociationIndices())
    if (llvm::count_if(group,
                       [&](int64_t d) { return result.isDynamicDim(d); }) > 1)
      return true;
  return false;
}

/// `a * b`, folded where both are known or one is 1.
OpFoldResult multiply(OpBuilder &b, Location loc, OpFoldResult x,
                      OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x);
  std::optional<int64_t> cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx * *cy);
  if (cx == 1)
    return y;
  if (cy == 1)
    return x;
  auto value = [&](OpFoldResult v) -> Value {
    if (std::optional<int64_t> c = getConstantIntValue(v))
      return arith::ConstantIndexOp::create(b, loc, *c);
    return cast<Value>(v);
  };
  return arith::MulIOp::create(b, loc, value(x), value(y)).getResult();
}

struct PredictExpandShapesToCasts
    : predict::impl::PredictExpandShapesToCastsBase<
          PredictExpandShapesToCasts> {
  void runOnOperation() override {
    SmallVector<memref::ExpandShapeOp> expands;
    getOperation()->walk([&](memref::ExpandShapeOp expand) {
      if (hasGroupOfDynamicSizes(expand))
        expands.push_back(expand);
    });
    for (memref::ExpandShapeOp expand : expands) {
      OpBuilder b(expand);
      Location loc = expand.getLoc();
      MemRefType source = expand.getSrcType();
      SmallVector<int64_t> staticStrides;
      int64_t staticOffset;
      if (failed(source.getStridesAndOffset(staticStrides, staticOffset)))
        continue; // not strided: left to expand-strided-metadata
      // The source's base buffer, offset and strides (static where its
      // type says).
      auto meta =
          memref::ExtractStridedMetadataOp::create(b, loc, expand.getSrc());
      auto known = [&](int64_t s, Value v) -> OpFoldResult {
        if (ShapedType::isDynamic(s))
          return v;
        return b.getIndexAttr(s);
      };
      OpFoldResult offset = known(staticOffset, meta.getOffset());
      SmallVector<OpFoldResult> sizes = expand.getMixedOutputShape();
      SmallVector<OpFoldResult> strides(sizes.size());
      // In each group, row-major strides from the source axis's stride:
      // the product of the sizes after each axis of the group.
      for (auto [axis, group] :
           llvm::enumerate(expand.getReassociationIndices())) {
        OpFoldResult stride =
            known(staticStrides[axis], meta.getStrides()[axis]);
        for (int64_t d : llvm::reverse(group)) {
          strides[d] = stride;
          if (d != group.front())
            stride = multiply(b, loc, stride, sizes[d]);
        }
      }
      auto cast = memref::ReinterpretCastOp::create(
          b, loc, expand.getResultType(), meta.getBaseBuffer(), offset, sizes,
          strides);
      expand.replaceAllUsesWith(cast.getResult());
      expand.erase();
    }
  }
};
} // namespace
