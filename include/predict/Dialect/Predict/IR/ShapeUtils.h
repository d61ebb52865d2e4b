//===- ShapeUtils.h - shape rules shared by the predict ops -------*- C++ -*-===//
//
// Small helpers for types whose shape may be partly unknown: compatibility,
// the most precise common type, numpy broadcasting, axis normalization.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_DIALECT_PREDICT_IR_SHAPEUTILS_H
#define PREDICT_DIALECT_PREDICT_IR_SHAPEUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <optional>

namespace mlir::predict {

/// Returns the most precise type that both `a` and `b` describe (their
/// meet): `tensor<?x10xf32>` and `tensor<1x?xf32>` give `tensor<1x10xf32>`;
/// an unranked tensor defers to the other side. Non-tensor types must be
/// equal. Returns null when no value can have both types.
Type meetTypes(Type a, Type b);

/// True when some value can have both types (see `meetTypes`).
inline bool areCompatible(Type a, Type b) { return bool(meetTypes(a, b)); }

/// numpy broadcasting of two shapes with dynamic dimensions. Returns
/// std::nullopt when two static dimensions differ and neither is 1.
std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b);

/// Maps a Python-style axis (negative counts from the end) into `[0, rank)`;
/// std::nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Python's len(range(start, stop, step)) of `index` values, built at
/// `loc`, for a step that is not 0: max(0, ceil((stop - start) / step)),
/// exact for every 64-bit start and stop (the distance is taken unsigned,
/// so a `stop - start` beyond 2**63 does not wrap).
Value pythonRangeLength(OpBuilder &b, Location loc, Value start, Value stop,
                        Value step);

/// Formats a shape as `?x100` for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape);

/// Formats a number for diagnostics as a user wrote it (`1`, `0.3`).
std::string formatNumber(double value);

/// The user's source position of `loc`, `model.py:12:9` (the first file
/// location inside it), or an empty string.
std::string formatLocation(Location loc);

} // namespace mlir::predict

#endif // PREDICT_DIALECT_PREDICT_IR_SHAPEUTILS_H
