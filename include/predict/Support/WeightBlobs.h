//===- WeightBlobs.h - the bytes of weights, aligned blobs -----*- C++ -*-===//

#ifndef PREDICT_SUPPORT_WEIGHTBLOBS_H
#define PREDICT_SUPPORT_WEIGHTBLOBS_H

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Process.h"

#include <optional>

#include <cstdlib>
#include <cstring>
#include <vector>

#include <sys/mman.h>

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

/// A standard allocator of kWeightAlignment-aligned memory: weights read
/// into a WeightValues become a resource blob without a copy (blobOf).
template <typename T> struct WeightAllocator {
  using value_type = T;
  WeightAllocator() = default;
  template <typename U> WeightAllocator(const WeightAllocator<U> &) {}
  T *allocate(size_t n) {
    size_t size = (n * sizeof(T) + kWeightAlignment - 1) / kWeightAlignment *
                  kWeightAlignment;
    void *memory =
        std::aligned_alloc(kWeightAlignment, size ? size : kWeightAlignment);
    if (!memory) // as std::allocator does without exceptions
      llvm::report_bad_alloc_error("out of memory for a weight's values");
    return static_cast<T *>(memory);
  }
  void deallocate(T *p, size_t) { std::free(p); }
  template <typename U> bool operator==(const WeightAllocator<U> &) const {
    return true;
  }
  template <typename U> bool operator!=(const WeightAllocator<U> &) const {
    return false;
  }
};

/// The float32 values of a weight, row-major, kWeightAlignment-aligned.
using WeightValues = std::vector<float, WeightAllocator<float>>;

/// A resource blob that takes `values` over, without a copy (a model's
/// weights are then held once: importing one peaked at twice their size).
inline AsmResourceBlob blobOf(WeightValues values) {
  auto *owned = new WeightValues(std::move(values));
  return AsmResourceBlob(
      ArrayRef<char>(reinterpret_cast<const char *>(owned->data()),
                     owned->size() * sizeof(float)),
      kWeightAlignment, [owned](void *, size_t, size_t) { delete owned; },
      /*dataIsMutable=*/true);
}

/// A kWeightAlignment-aligned resource blob holding a copy of `data`.
inline AsmResourceBlob alignedBlob(ArrayRef<char> data) {
  AsmResourceBlob blob = alignedBlob(data.size());
  if (blob.getData().size() == data.size() && !data.empty())
    std::memcpy(blob.getMutableData().data(), data.data(), data.size());
  return blob;
}

/// Frees the values of a resource that nothing refers to any more. Values
/// read in place from a file's buffer (bytecode's, which MLIR marks
/// immutable) would stay resident while the file's other weights are in
/// use: their whole pages are given back to the kernel too (MADV_DONTNEED;
/// the buffer is the program's own memory, and nothing reads those pages
/// again: their resource is gone).
inline void releaseValues(DenseResourceElementsHandle handle) {
  AsmResourceBlob *blob = handle.getBlob();
  if (!blob)
    return;
  if (!blob->isMutable()) {
    ArrayRef<char> data = blob->getData();
    uintptr_t page = llvm::sys::Process::getPageSizeEstimate();
    uintptr_t begin = llvm::alignTo(uintptr_t(data.data()), page);
    uintptr_t end = llvm::alignDown(uintptr_t(data.data()) + data.size(), page);
    if (end > begin)
      ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_DONTNEED);
  }
  handle.getResource()->setBlob(AsmResourceBlob());
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
