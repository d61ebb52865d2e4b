//===- AllocationSizes.h - run-time checks of buffer sizes -----*- C++ -*-===//
//
// Shared by predict-check-allocation-sizes (each memref.alloc) and
// predict-deduplicate-kernels (each empty tensor a shared kernel makes,
// checked at its caller, where the message names the caller's line).
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CODEGEN_ALLOCATIONSIZES_H
#define LIB_CODEGEN_ALLOCATIONSIZES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::predict {

/// The run-time error of a buffer too large to address.
inline constexpr llvm::StringLiteral kAllocationTooLarge =
    "the compiled code needs a buffer whose size in bytes does not fit in "
    "64 bits (its sizes multiply beyond 2**64)";

/// Adds at `b`'s point a `cf.assert` located at `loc` that a buffer of
/// `type` (a memref or tensor type) with `dynamicSizes` (one per `?`, in
/// order) is at most 2**64 - 1 bytes, unless it cannot be larger: no
/// dynamic size and static sizes that fit, or sizes bounded by a function
/// argument's (see predict-check-allocation-sizes). One whose static sizes
/// already overflow gets an assert that always fails. Nothing for element
/// types of unknown size.
void checkAllocationSize(OpBuilder &b, Location loc, ShapedType type,
                         ValueRange dynamicSizes);

} // namespace mlir::predict

#endif // LIB_CODEGEN_ALLOCATIONSIZES_H
