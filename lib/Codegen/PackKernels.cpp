//===- PackKernels.cpp - constant kernels in the layout of column tiles ---===//
//
// A tiled contraction reads its kernel (K x N, row-major) one column tile at
// a time: at each step k of the reduction, `cols` contiguous values of row
// k, rows N values apart. With N = 1024 those rows are 4 KB apart: every
// step touches another page, the hardware prefetchers (which stop at page
// boundaries) never help, and every row of a tile maps to the same few sets
// of the L1 cache. A constant kernel is rewritten here, at compile time,
// into the layout its tiles read: `ceil(N / cols) x K x cols`, each column
// tile's K x cols values contiguous (zero-padded past N), as IREE's data
// tiling packs the right-hand side of `linalg.mmt4d` and BLAS libraries pack
// B into panels (Goto and van de Geijn, "Anatomy of high-performance matrix
// multiplication", ACM TOMS 34(3), 2008).
//
//===----------------------------------------------------------------------===//

#include "PackKernels.h"
#include "predict/Support/WeightBlobs.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;

/// Whether `offset` is a multiple of `cols`: a constant one, or the induction
/// variable of a loop that starts at one and steps by one (the column tiles'
/// loop and its peeled remainder).
static bool isMultipleOf(OpFoldResult offset, int64_t cols) {
  auto multiple = [&](OpFoldResult value) {
    std::optional<int64_t> c = getConstantIntValue(value);
    return c && *c % cols == 0;
  };
  if (multiple(offset))
    return true;
  auto iv = dyn_cast_if_present<BlockArgument>(dyn_cast<Value>(offset));
  auto loop =
      iv ? dyn_cast<scf::ForOp>(iv.getOwner()->getParentOp()) : scf::ForOp();
  return loop && loop.getInductionVar() == iv &&
         multiple(loop.getLowerBound()) && multiple(loop.getStep());
}

Value predict::KernelPacker::packed(RewriterBase &rewriter,
                                    arith::ConstantOp kernel) {
  auto [it, inserted] = packedKernels.try_emplace(kernel.getOperation());
  if (!inserted)
    return it->second;
  auto attr = dyn_cast<ElementsAttr>(kernel.getValue());
  std::optional<ArrayRef<char>> data =
      attr ? predict::weightBytes(attr) : std::nullopt;
  auto type = cast<RankedTensorType>(kernel.getType());
  if (!data || !type.hasStaticShape() || type.getRank() != 2)
    return {};
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  int64_t bytes = type.getElementTypeBitWidth() / 8;
  if (static_cast<int64_t>(data->size()) != k * n * bytes)
    return {};
  int64_t tiles = llvm::divideCeil(n, cols);
  size_t size = tiles * k * cols * bytes;
  AsmResourceBlob blob = alignedBlob(size);
  if (blob.getData().size() != size)
    return {}; // no memory for the copy: the kernel stays as it is
  char *layout = blob.getMutableData().data();
  for (int64_t t = 0; t < tiles; ++t) {
    int64_t width = std::min(cols, n - t * cols);
    for (int64_t row = 0; row < k; ++row)
      std::memcpy(&layout[((t * k + row) * cols) * bytes],
                  &(*data)[(row * n + t * cols) * bytes], width * bytes);
  }
  auto packedType =
      RankedTensorType::get({tiles, k, cols}, type.getElementType());
  std::string name = "packed_kernel";
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    name = (resource.getRawHandle().getKey() + "_packed").str();
    packedResources.push_back(resource);
  }
  auto packedAttr =
      DenseResourceElementsAttr::get(packedType, name, std::move(blob));
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointAfter(kernel);
  it->second = arith::ConstantOp::create(rewriter, kernel.getLoc(), packedType,
                                         packedAttr);
  return it->second;
}

bool predict::KernelPacker::pack(RewriterBase &rewriter,
                                 linalg::MatmulOp matmul) {
  OpOperand *rhs = matmul.getDpsInputOperand(1);
  auto slice = rhs->get().getDefiningOp<tensor::ExtractSliceOp>();
  auto kernel = slice ? slice.getSource().getDefiningOp<arith::ConstantOp>()
                      : arith::ConstantOp();
  if (!kernel)
    return false;
  auto type = cast<RankedTensorType>(kernel.getType());
  // A kernel of at most one tile's columns is already in the tiles' layout.
  if (type.getRank() != 2 || !type.hasStaticShape() ||
      type.getDimSize(1) <= cols)
    return false;
  // The slice must be all K rows of at most one column tile, starting at a
  // tile's first column.
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
  std::optional<int64_t> rows = getConstantIntValue(slice.getMixedSizes()[0]);
  std::optional<int64_t> width = getConstantIntValue(slice.getMixedSizes()[1]);
  if (!slice.hasUnitStride() || !isZeroInteger(offsets[0]) || !rows ||
      *rows != type.getDimSize(0) || !width || *width > cols ||
      !isMultipleOf(offsets[1], cols))
    return false;
  Value layout = packed(rewriter, kernel);
  if (!layout)
    return false;
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(slice);
  Location loc = slice.getLoc();
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  OpFoldResult tile = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(cols), {offsets[1]});
  SmallVector<OpFoldResult> packedOffsets{tile, rewriter.getIndexAttr(0),
                                          rewriter.getIndexAttr(0)};
  SmallVector<OpFoldResult> packedSizes{rewriter.getIndexAttr(1),
                                        rewriter.getIndexAttr(*rows),
                                        rewriter.getIndexAttr(*width)};
  SmallVector<OpFoldResult> strides(3, rewriter.getIndexAttr(1));
  Value tileOfKernel =
      tensor::ExtractSliceOp::create(rewriter, loc, slice.getType(), layout,
                                     packedOffsets, packedSizes, strides);
  rewriter.modifyOpInPlace(matmul, [&] { rhs->set(tileOfKernel); });
  return true;
}

void predict::KernelPacker::releaseUnpacked(ModuleOp module) {
  if (packedResources.empty())
    return;
  llvm::StringSet<> used;
  module.walk([&](Operation *op) {
    op->getAttrDictionary().walk([&](DenseResourceElementsAttr resource) {
      used.insert(resource.getRawHandle().getKey());
    });
  });
  for (DenseResourceElementsAttr resource : packedResources) {
    DenseResourceElementsHandle handle = resource.getRawHandle();
    if (!used.contains(handle.getKey()))
      handle.getResource()->setBlob(AsmResourceBlob());
  }
  packedResources.clear();
}
