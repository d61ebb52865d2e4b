//===- LoweringUtils.h - builders shared by the predict lowerings -*- C++ -*-===//

#ifndef LIB_CONVERSION_PREDICTTOLINALG_LOWERINGUTILS_H
#define LIB_CONVERSION_PREDICTTOLINALG_LOWERINGUTILS_H

#include "predict/Dialect/Predict/IR/PredictOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>
#include <string>

namespace mlir::predict::lowering {

/// A float constant of type `type`.
Value floatConstant(OpBuilder &b, Location loc, Type type, double value);

/// The type a float sum of `element`s accumulates in: float64. A float32
/// running sum stops growing at 2**24 (the sum of 20 000 000 ones would be
/// 16777216) and loses about a bit per doubling of the count before;
/// TensorFlow's tree reductions (Eigen) and numpy's pairwise sums stay
/// within a few ulp. Summed in float64 and rounded once, within one.
inline Type sumAccumulator(OpBuilder &b, Type element) {
  return element.getIntOrFloatBitWidth() < 64 ? b.getF64Type() : element;
}

/// `acc + x`, one step of a float sum (reductions, normalization
/// statistics, average pooling, softmax's denominators): `x` extended to
/// `acc`'s type (sumAccumulator), the add marked `reassoc` so that LLVM's
/// loop vectorizer keeps partial sums in vector lanes rather than one
/// serial chain (5x faster on a 256 x 4096 mean). The order of the sum is
/// then the vectorizer's, as TensorFlow's kernels (Eigen) sum in lanes and
/// trees too; in float64 it leaves float32 results as they are but for
/// rare ties of the final rounding.
Value accumulateSum(OpBuilder &b, Location loc, Value x, Value acc);

/// The body of a normalization, for one element: `(x - mean) /
/// sqrt(variance + epsilon)`, times `gamma` and plus `beta` when given
/// (null otherwise). BatchNormalization and LayerNormalization compute it
/// so (Keras's documentation of each).
Value normalizeElement(OpBuilder &b, Location loc, Value x, Value mean,
                       Value variance, double epsilon, Value gamma,
                       Value beta);

/// An uninitialized tensor of `type` whose dynamic sizes are `dynamicSizes`.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                  ValueRange dynamicSizes);

/// The words for sizes along dimension `dim` of a rank-`rank` tensor in a
/// message: "rows", "columns", "elements" or "sizes in dimension 2".
std::string sizeWords(int64_t dim, int64_t rank);

/// Emits, at `loc`, a run-time check (predict.assert) that fails with
/// `message` (in the user's terms; `{0}`, `{1}`, ... stand for `values`)
/// unless `condition` holds. Nothing is emitted when `condition` folded to
/// true: a check that cannot fail costs nothing.
void emitCheck(OpBuilder &b, Location loc, Value condition,
               const Twine &message, ValueRange values = {});

/// The size of `value` along `dim`: a constant when static, else the value
/// the size was computed from (through the destinations of linalg and tensor
/// ops to a tensor.empty's operand), so that sizes derived from one another
/// are one SSA value and the checks between them fold as they are built.
OpFoldResult sizeOf(OpBuilder &b, Location loc, Value value, int64_t dim);

/// `sizeOf` for every dimension of `value`.
SmallVector<OpFoldResult> sizesOf(OpBuilder &b, Location loc, Value value);

/// `a == c` on sizes, folded when both are known.
Value sizesEqual(OpBuilder &b, Location loc, OpFoldResult a, OpFoldResult c);

/// `value` as a value of type `declared`. Where `declared` has a static size
/// that `value`'s type leaves dynamic, the size is checked at run time at
/// `loc`: a declared type is trusted only as far as the lowering proved it.
/// `what` names the value in the message ("the result of predict.add").
Value castChecked(OpBuilder &b, Location loc, Value value, Type declared,
                  StringRef what);

/// Replaces `op`'s single result by `value`, cast to the op's declared
/// result type with `castChecked`. `value` must have been computed from the
/// operands alone, never from the declared type.
void replaceWithCheckedCast(RewriterBase &rewriter, Operation *op,
                            Value value);

/// The result type that `op`'s shape rule gives for its operands (its
/// declared type is only compatible with it: C34).
RankedTensorType inferredType(Operation *op);

/// An uninitialized tensor of the shape and type of `like`.
Value emptyLike(OpBuilder &b, Location loc, Value like);

/// numpy's broadcast of two sizes of one dimension: checked at run time to
/// be equal or one of them 1 (else a located error: `message`, with {0} and
/// {1} for the sizes, then "(numpy broadcasts only a size of 1)"); the
/// size that is not 1, folded where the sizes are known.
OpFoldResult broadcastSize(OpBuilder &b, Location loc, OpFoldResult size,
                           OpFoldResult next, const Twine &message);

/// `value` (sizes `sizes`) broadcast along `dim` to `size` when its size
/// there, known only at run time, is 1 and differs (scf.if; the value
/// itself when the sizes are equal). `sizes[dim]` becomes `size`.
Value broadcastAtRunTime(OpBuilder &b, Location loc, Value value,
                         SmallVectorImpl<OpFoldResult> &sizes, int64_t dim,
                         OpFoldResult size);

/// Computes each element of the numpy broadcast of `operands` (ranked
/// tensors, aligned at the trailing dimension) from their elements with
/// `body`, as one `linalg.generic` with results of `element`s. Where a size
/// is known only at run time, numpy's rule is checked then: each operand's
/// size is 1 or the result's, else a located error naming `what`
/// ("operands of '-'"); an operand of size 1 against a larger result is
/// broadcast at run time (scf.if), so that the common case of equal sizes
/// stays one identity-indexed generic that fusion and tiling see through.
Value buildElementwise(
    OpBuilder &b, Location loc, Type element, ValueRange operands,
    StringRef what,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// The scalar activation `kind` of `x` (every kind not along an axis), with
/// Keras's defaults for absent parameters.
Value buildActivation(OpBuilder &b, Location loc, ActivationKind kind, Value x,
                      std::optional<double> alpha, bool approximate);

/// A numerically stable softmax of the ranked tensor `input` along `axis`
/// (in range): exp(x - max) / sum(exp(x - max)); with `log`, its logarithm
/// (x - max) - log(sum(exp(x - max))), as keras.ops.log_softmax.
Value buildSoftmax(OpBuilder &b, Location loc, Value input, int64_t axis,
                   bool log = false);

} // namespace mlir::predict::lowering

#endif // LIB_CONVERSION_PREDICTTOLINALG_LOWERINGUTILS_H
