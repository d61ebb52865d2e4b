//===- PackKernels.h - constant kernels in the layout of tiles --*- C++ -*-===//

#ifndef LIB_CODEGEN_PACKKERNELS_H
#define LIB_CODEGEN_PACKKERNELS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/StringMap.h"

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

  /// Makes each of `matmuls` (tiles) read its right-hand side from the
  /// packed kernel, kernel by kernel; a matmul whose operand is not such a
  /// slice of a constant kernel wider than one tile is left as it is. A
  /// kernel that is an argument of a private function (a kernel shared by
  /// layers, predict-deduplicate-kernels) every call of which passes a
  /// constant is packed too: the argument takes the packed layout, and each
  /// call the packed copy of its constant. Once
  /// a kernel's tiles all read the packed copy, the kernel is erased and,
  /// when nothing else in `module` refers to its resource, its values are
  /// freed: a model's weights are then held once, plus one kernel at most,
  /// never twice.
  void pack(RewriterBase &rewriter, ModuleOp module,
            ArrayRef<linalg::MatmulOp> matmuls);

private:
  /// The constant kernel whose tile `matmul` reads, if it may be packed.
  arith::ConstantOp kernelOf(linalg::MatmulOp matmul) const;
  /// Whether `slice` of a kernel of `type` is all K rows of at most one
  /// column tile, starting at a tile's first column.
  bool isTile(tensor::ExtractSliceOp slice, RankedTensorType type) const;
  /// Whether a kernel of `type` is worth packing (a static K x N matrix of
  /// more than one tile's columns).
  bool isPackable(Type type) const;
  /// Packs `argument`, a kernel of a private function that `tiles` read
  /// through tile slices, and the constant each call passes; leaves all as
  /// they are if any of it is not so. `references` counts each resource's
  /// referring ops.
  void packArgument(RewriterBase &rewriter, ModuleOp module,
                    BlockArgument argument, ArrayRef<linalg::MatmulOp> tiles,
                    llvm::StringMap<unsigned> &references);
  /// Makes `matmul` read its tile, `slice` (a tile per isTile), from
  /// `layout`, the packed copy of the kernel.
  void readPacked(RewriterBase &rewriter, linalg::MatmulOp matmul,
                  tensor::ExtractSliceOp slice, Value layout);
  /// The packed copy of `kernel` (null if its values cannot be read: a
  /// splat, a resource without data, no memory for the copy). With `inPlace`
  /// (nothing else reads the kernel's values), a kernel of whole tiles
  /// whose values are ours to change is packed in its own memory, which
  /// the copy takes over.
  Value packed(RewriterBase &rewriter, arith::ConstantOp kernel, bool inPlace);

  int64_t cols;
};

} // namespace mlir::predict

#endif // LIB_CODEGEN_PACKKERNELS_H
