//===- PackKernels.h - constant kernels in the layout of tiles --*- C++ -*-===//

#ifndef LIB_CODEGEN_PACKKERNELS_H
#define LIB_CODEGEN_PACKKERNELS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/ADT/DenseMap.h"

namespace mlir::predict {

/// Rewrites the constant kernels of tiled matmuls into the layout of their
/// column tiles (PackKernels.cpp): a K x N kernel becomes a constant of
/// `ceil(N / cols) x K x cols` values, zero-padded past column N, and a
/// tile's `extract_slice` of K x w columns (w <= cols) at column j (a
/// multiple of cols) becomes the slice `[j / cols, 0, 0] [1, K, w]` of it:
/// the same values, contiguous. Each kernel is packed once, whatever the
/// number of tiles that read it.
class KernelPacker {
public:
  explicit KernelPacker(int64_t cols) : cols(cols) {}

  /// Makes `matmul` (a tile) read its right-hand side from the packed
  /// kernel. Returns false, changing nothing, when that operand is not such
  /// a slice of a constant kernel wider than one tile.
  bool pack(RewriterBase &rewriter, linalg::MatmulOp matmul);

  /// Frees the values of the kernels packed so far that nothing in `module`
  /// refers to any more (their tiles all read the packed copies): a model's
  /// weights are then held once, not twice.
  void releaseUnpacked(ModuleOp module);

private:
  /// The packed copy of `kernel`, made at its first use (null if its values
  /// cannot be read: a splat, a resource without data).
  Value packed(RewriterBase &rewriter, arith::ConstantOp kernel);

  int64_t cols;
  llvm::DenseMap<Operation *, Value> packedKernels;
  /// The resources that were packed, whose values may be unused.
  SmallVector<DenseResourceElementsAttr> packedResources;
};

} // namespace mlir::predict

#endif // LIB_CODEGEN_PACKKERNELS_H
