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
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"

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

/// Moves the blocks of `block` bytes of a `rows` x `tiles` matrix of them
/// (row-major) into its transpose, in place: cycle by cycle, the block at
/// position i going to (i mod tiles) * rows + i / tiles, with one bit per
/// block to mark the cycles done (the in-place transposition of Cate and
/// Twigg, ACM TOMS 3(2), 1977).
static void transposeBlocks(char *data, int64_t rows, int64_t tiles,
                            size_t block) {
  llvm::BitVector done(rows * tiles);
  std::vector<char> carried(block), next(block);
  for (int64_t start = 0; start < rows * tiles; ++start) {
    if (done[start])
      continue;
    std::memcpy(carried.data(), data + start * block, block);
    int64_t i = start;
    do {
      int64_t j = (i % tiles) * rows + i / tiles;
      std::memcpy(next.data(), data + j * block, block);
      std::memcpy(data + j * block, carried.data(), block);
      std::swap(carried, next);
      done.set(j);
      i = j;
    } while (i != start);
  }
}

Value predict::KernelPacker::packed(RewriterBase &rewriter,
                                    arith::ConstantOp kernel, bool inPlace) {
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
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob blob;
  AsmResourceBlob *values =
      resource ? resource.getRawHandle().getBlob() : nullptr;
  if (inPlace && n % cols == 0 && values && values->isMutable()) {
    // Columns a whole number of tiles: the layout is a permutation of the
    // kernel's blocks of `cols` values (a K x tiles matrix of them,
    // transposed), made in the kernel's own memory, which the packed
    // constant takes over: no second copy of the weights, even for a
    // moment.
    blob = std::move(*values);
    resource.getRawHandle().getResource()->setBlob(AsmResourceBlob());
    transposeBlocks(blob.getMutableData().data(), k, tiles, cols * bytes);
  } else {
    blob = alignedBlob(size);
    if (blob.getData().size() != size)
      return {}; // no memory for the copy: the kernel stays as it is
    char *layout = blob.getMutableData().data();
    for (int64_t t = 0; t < tiles; ++t) {
      int64_t width = std::min(cols, n - t * cols);
      for (int64_t row = 0; row < k; ++row)
        std::memcpy(&layout[((t * k + row) * cols) * bytes],
                    &(*data)[(row * n + t * cols) * bytes], width * bytes);
    }
  }
  auto packedType =
      RankedTensorType::get({tiles, k, cols}, type.getElementType());
  std::string name = "packed_kernel";
  if (resource)
    name = (resource.getRawHandle().getKey() + "_packed").str();
  auto packedAttr =
      DenseResourceElementsAttr::get(packedType, name, std::move(blob));
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointAfter(kernel);
  return arith::ConstantOp::create(rewriter, kernel.getLoc(), packedType,
                                   packedAttr);
}

bool predict::KernelPacker::isPackable(Type type) const {
  auto tensor = dyn_cast<RankedTensorType>(type);
  // A kernel of at most one tile's columns is already in the tiles' layout.
  return tensor && tensor.getRank() == 2 && tensor.hasStaticShape() &&
         tensor.getDimSize(1) > cols;
}

arith::ConstantOp
predict::KernelPacker::kernelOf(linalg::MatmulOp matmul) const {
  auto slice = matmul.getDpsInputOperand(1)
                   ->get()
                   .getDefiningOp<tensor::ExtractSliceOp>();
  auto kernel = slice ? slice.getSource().getDefiningOp<arith::ConstantOp>()
                      : arith::ConstantOp();
  if (!kernel || !isPackable(kernel.getType()))
    return {};
  return kernel;
}

bool predict::KernelPacker::isTile(tensor::ExtractSliceOp slice,
                                   RankedTensorType type) const {
  // The slice must be all K rows of at most one column tile, starting at a
  // tile's first column.
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
  std::optional<int64_t> rows = getConstantIntValue(slice.getMixedSizes()[0]);
  std::optional<int64_t> width = getConstantIntValue(slice.getMixedSizes()[1]);
  return slice.hasUnitStride() && isZeroInteger(offsets[0]) && rows &&
         *rows == type.getDimSize(0) && width && *width <= cols &&
         isMultipleOf(offsets[1], cols);
}

void predict::KernelPacker::readPacked(RewriterBase &rewriter,
                                       linalg::MatmulOp matmul,
                                       tensor::ExtractSliceOp slice,
                                       Value layout) {
  OpOperand *rhs = matmul.getDpsInputOperand(1);
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
  int64_t rows = *getConstantIntValue(slice.getMixedSizes()[0]);
  int64_t width = *getConstantIntValue(slice.getMixedSizes()[1]);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(slice);
  Location loc = slice.getLoc();
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  OpFoldResult tile = affine::makeComposedFoldedAffineApply(
      rewriter, loc, d0.floorDiv(cols), {offsets[1]});
  SmallVector<OpFoldResult> packedOffsets{tile, rewriter.getIndexAttr(0),
                                          rewriter.getIndexAttr(0)};
  SmallVector<OpFoldResult> packedSizes{rewriter.getIndexAttr(1),
                                        rewriter.getIndexAttr(rows),
                                        rewriter.getIndexAttr(width)};
  SmallVector<OpFoldResult> strides(3, rewriter.getIndexAttr(1));
  Value tileOfKernel =
      tensor::ExtractSliceOp::create(rewriter, loc, slice.getType(), layout,
                                     packedOffsets, packedSizes, strides);
  rewriter.modifyOpInPlace(matmul, [&] { rhs->set(tileOfKernel); });
  if (slice->use_empty())
    rewriter.eraseOp(slice);
}

void predict::KernelPacker::pack(RewriterBase &rewriter, ModuleOp module,
                                 ArrayRef<linalg::MatmulOp> matmuls) {
  llvm::MapVector<Operation *, SmallVector<linalg::MatmulOp>> byKernel;
  llvm::MapVector<Value, SmallVector<linalg::MatmulOp>> byArgument;
  for (linalg::MatmulOp matmul : matmuls) {
    if (arith::ConstantOp kernel = kernelOf(matmul)) {
      byKernel[kernel].push_back(matmul);
      continue;
    }
    auto slice = matmul.getDpsInputOperand(1)
                     ->get()
                     .getDefiningOp<tensor::ExtractSliceOp>();
    if (slice && isa<BlockArgument>(slice.getSource()) &&
        isPackable(slice.getSource().getType()))
      byArgument[slice.getSource()].push_back(matmul);
  }
  if (byKernel.empty() && byArgument.empty())
    return;
  // How many ops refer to each resource: a kernel's values are freed only
  // when the last goes.
  llvm::StringMap<unsigned> references;
  module.walk([&](Operation *op) {
    op->getAttrDictionary().walk([&](DenseResourceElementsAttr resource) {
      ++references[resource.getRawHandle().getKey()];
    });
  });
  for (auto &[op, tiles] : byKernel) {
    auto kernel = cast<arith::ConstantOp>(op);
    // Packed in place when nothing else reads the kernel's values: its
    // every use a tile's slice read by these matmuls only, its
    // resource referred to by it alone.
    // (Tiling leaves dead slices of it behind: they read nothing.)
    for (Operation *user : llvm::make_early_inc_range(kernel->getUsers()))
      if (user->use_empty() && isPure(user))
        rewriter.eraseOp(user);
    llvm::SmallPtrSet<Operation *, 8> ours;
    for (linalg::MatmulOp matmul : tiles)
      ours.insert(matmul);
    auto resource = dyn_cast<DenseResourceElementsAttr>(kernel.getValue());
    bool inPlace =
        resource && references[resource.getRawHandle().getKey()] == 1 &&
        llvm::all_of(kernel->getUsers(), [&](Operation *user) {
          auto slice = dyn_cast<tensor::ExtractSliceOp>(user);
          return slice &&
                 isTile(slice, cast<RankedTensorType>(kernel.getType())) &&
                 llvm::all_of(slice->getUsers(), [&](Operation *reader) {
                   return ours.contains(reader);
                 });
        });
    // Packed at the first tile that reads one column tile, once.
    Value layout;
    for (linalg::MatmulOp matmul : tiles) {
      auto slice = matmul.getDpsInputOperand(1)
                       ->get()
                       .getDefiningOp<tensor::ExtractSliceOp>();
      if (!isTile(slice, cast<RankedTensorType>(kernel.getType())))
        continue;
      if (!layout && !(layout = packed(rewriter, kernel, inPlace)))
        break; // its values cannot be read: the kernel stays as it is
      readPacked(rewriter, matmul, slice, layout);
    }
    if (!kernel->use_empty())
      continue; // a tile not packed, or another use: the values stay
    rewriter.eraseOp(kernel);
    if (resource && --references[resource.getRawHandle().getKey()] == 0)
      releaseValues(resource.getRawHandle());
  }
  for (auto &[argument, tiles] : byArgument)
    packArgument(rewriter, module, cast<BlockArgument>(argument), tiles,
                 references);
}

void predict::KernelPacker::packArgument(
    RewriterBase &rewriter, ModuleOp module, BlockArgument argument,
    ArrayRef<linalg::MatmulOp> tiles, llvm::StringMap<unsigned> &references) {
  auto fn = dyn_cast<func::FuncOp>(argument.getOwner()->getParentOp());
  if (!fn || !fn.isPrivate() || argument.getOwner() != &fn.front())
    return;
  auto type = cast<RankedTensorType>(argument.getType());
  unsigned index = argument.getArgNumber();
  // Every use of the argument is a tile's slice that these matmuls read
  // (its type changes for all of them).
  for (Operation *user : llvm::make_early_inc_range(argument.getUsers()))
    if (user->use_empty() && isPure(user))
      rewriter.eraseOp(user);
  llvm::SmallPtrSet<Operation *, 8> ours;
  for (linalg::MatmulOp matmul : tiles)
    ours.insert(matmul);
  bool onlyTiles = llvm::all_of(argument.getUsers(), [&](Operation *user) {
    auto slice = dyn_cast<tensor::ExtractSliceOp>(user);
    return slice && isTile(slice, type) &&
           llvm::all_of(slice->getUsers(), [&](Operation *reader) {
             return ours.contains(reader);
           });
  });
  if (!onlyTiles)
    return;
  // Every call passes a constant.
  std::optional<SymbolTable::UseRange> uses =
      SymbolTable::getSymbolUses(fn, module);
  if (!uses)
    return;
  SmallVector<func::CallOp> calls;
  llvm::MapVector<Operation *, Value> layouts; // each constant, packed
  for (const SymbolTable::SymbolUse &use : *uses) {
    auto call = dyn_cast<func::CallOp>(use.getUser());
    auto kernel =
        call ? call.getOperand(index).getDefiningOp<arith::ConstantOp>()
             : arith::ConstantOp();
    if (!kernel)
      return;
    calls.push_back(call);
    layouts.insert({kernel, Value()});
  }
  if (calls.empty())
    return; // never called: nothing to pack for

  // Packed in place when the calls' argument is the constant's only use
  // and its resource is referred to by it alone; copies are made first, as
  // a copy may fail (no memory) and an in-place packing cannot be undone.
  auto inPlace = [&](arith::ConstantOp kernel) {
    auto resource = dyn_cast<DenseResourceElementsAttr>(kernel.getValue());
    return resource && references[resource.getRawHandle().getKey()] == 1 &&
           type.getDimSize(1) % cols == 0 &&
           resource.getRawHandle().getBlob() &&
           resource.getRawHandle().getBlob()->isMutable() &&
           llvm::all_of(kernel->getUses(), [&](OpOperand &use) {
             auto call = dyn_cast<func::CallOp>(use.getOwner());
             return call && call.getCallee() == fn.getSymName() &&
                    use.getOperandNumber() == index;
           });
  };
  for (bool place : {false, true})
    for (auto &[op, layout] : layouts) {
      auto kernel = cast<arith::ConstantOp>(op);
      if (inPlace(kernel) != place)
        continue;
      layout = packed(rewriter, kernel, place);
      if (layout)
        continue;
      for (auto &[other, made] : layouts) // undo the copies
        if (made)
          rewriter.eraseOp(made.getDefiningOp());
      return;
    }
  Type packedType = layouts.front().second.getType();
  rewriter.modifyOpInPlace(fn, [&] {
    argument.setType(packedType);
    SmallVector<Type> inputs(fn.getArgumentTypes());
    inputs[index] = packedType;
    fn.setType(FunctionType::get(fn.getContext(), inputs, fn.getResultTypes()));
  });
  for (func::CallOp call : calls) {
    Value layout = layouts.lookup(call.getOperand(index).getDefiningOp());
    rewriter.modifyOpInPlace(call, [&] { call->setOperand(index, layout); });
  }
  for (linalg::MatmulOp matmul : tiles)
    readPacked(rewriter, matmul,
               matmul.getDpsInputOperand(1)
                   ->get()
                   .getDefiningOp<tensor::ExtractSliceOp>(),
               argument);
  for (auto &[op, layout] : layouts) {
    if (!op->use_empty())
      continue;
    auto resource = dyn_cast<DenseResourceElementsAttr>(
        cast<arith::ConstantOp>(op).getValue());
    rewriter.eraseOp(op);
    if (resource && --references[resource.getRawHandle().getKey()] == 0)
      releaseValues(resource.getRawHandle());
  }
}
