//===- WeightBlobs.h - the bytes of weights, aligned blobs -----*- C++ -*-===//

#ifndef PREDICT_SUPPORT_WEIGHTBLOBS_H
#define PREDICT_SUPPORT_WEIGHTBLOBS_H

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <optional>

#include <cstdlib>
#include <cstring>

namespace mlir::predict {

/// The alignment of the weights predict makes: a cache line, the width of
/// an AVX-512 vector. The JIT reads weights in place (docs/Pipeline.md,
/// "JIT"), with loads that may assume their global's alignment.
inline constexpr size_t kWeightAlignment = 64;

/// A resource blob of `size` zero bytes, kWeightAlignment-aligned, to be
/// written through getMutableData(). HeapAsmResourceBlob::allocate does
/// not give this alignment: LLVM 22's allocate_buffer, which it calls,
/// returned 16-byte-aligned memory for an alignment of 64 (measured).
/// Empty if memory cannot be had.
inline AsmResourceBlob alignedBlob(size_t size) {
  size_t rounded =
      (size + kWeightAlignment - 1) / kWeightAlignment * kWeightAlignment;
  void *memory = std::aligned_alloc(kWeightAlignment,
                                    rounded ? rounded : kWeightAlignment);
  if (!memory)
    return AsmResourceBlob();
  std::memset(memory, 0, size);
  return AsmResourceBlob(
      ArrayRef<char>(static_cast<const char *>(memory), size), kWeightAlignment,
      [](void *p, size_t, size_t) { std::free(p); },
      /*dataIsMutable=*/true);
}

/// A kWeightAlignment-aligned resource blob holding a copy of `data`.
inline AsmResourceBlob alignedBlob(ArrayRef<char> data) {
  AsmResourceBlob blob = alignedBlob(data.size());
  if (blob.getData().size() == data.size() && !data.empty())
    std::memcpy(blob.getMutableData().data(), data.data(), data.size());
  return blob;
}

/// The bytes of a constant's elements in row-major order, as they lie in
/// memory: a dense array's or a resource's. Nothing for a splat (one value
/// stands for all), a resource without data, or an element type that is
/// not a whole number of bytes (i1).
inline std::optional<ArrayRef<char>> weightBytes(ElementsAttr attr) {
  Type element = attr.getShapedType().getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat())
      return std::nullopt;
    return dense.getRawData();
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  return std::nullopt;
}

} // namespace mlir::predict

#endif // PREDICT_SUPPORT_WEIGHTBLOBS_H
