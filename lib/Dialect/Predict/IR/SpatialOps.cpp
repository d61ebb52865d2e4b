//===- SpatialOps.cpp - pooling, padding, cropping, reshaping op rules ----===//
//
// The shape rules (inferResultTypes), run-time size sources
// (getResultDimSources) and row-wise rules (isRowWise) of the ops issue 17
// added for Keras's pooling and reshaping layers: predict.pool,
// global_pool, pad, crop, upsample, reshape, transpose and
// inference_identity. Each rule is Keras's formula, cited where it is
// applied; constraint numbers (C120-C130) refer to docs/Dialect.md.
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::predict;

using DimSources = SmallVector<std::pair<unsigned, int64_t>>;

namespace {
bool isStatic(int64_t dim) { return !ShapedType::isDynamic(dim); }

Type elementTypeOf(Value value) {
  return cast<TensorType>(value.getType()).getElementType();
}

/// The input's shape, or null (after pushing an unranked result) when it
/// is unranked: unknown shapes give unknown results.
std::optional<SmallVector<int64_t>> rankedInput(Value input,
                                                SmallVectorImpl<Type> &out) {
  if (auto ranked = dyn_cast<RankedTensorType>(input.getType()))
    return llvm::to_vector(ranked.getShape());
  out.push_back(UnrankedTensorType::get(elementTypeOf(input)));
  return std::nullopt;
}

int64_t rankOf(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type ? type.getRank() : -1;
}

std::string formatList(ArrayRef<int64_t> values) {
  std::string text = "[";
  for (auto [i, v] : llvm::enumerate(values))
    text += (i ? ", " : "") + std::to_string(v);
  return text + "]";
}

/// C124, C125, C127: one entry per input axis, each at least `least`.
LogicalResult checkPerAxis(Operation *op, StringRef name,
                           ArrayRef<int64_t> values, int64_t rank,
                           int64_t least) {
  if (static_cast<int64_t>(values.size()) != rank)
    return op->emitOpError()
           << name << " " << formatList(values) << " has "
           << values.size() << " entries but the input has rank " << rank;
  for (int64_t v : values)
    if (v < least)
      return op->emitOpError() << name << " " << formatList(values)
                               << " has " << v << "; each entry must be at least "
                               << least;
  return success();
}

/// The first spatial axis of a pooling input: 1 (channels_last) or 2.
int64_t firstSpatialAxis(bool channelsFirst) { return channelsFirst ? 2 : 1; }
} // namespace

//===----------------------------------------------------------------------===//
// predict.pool
//===----------------------------------------------------------------------===//

LogicalResult PoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  ArrayRef<int64_t> window = getWindow(), strides = getStrides();
  // C120: MaxPooling1D/2D/3D and AveragePooling1D/2D/3D (the lowering's
  // linalg pooling ops are 1-D, 2-D and 3-D).
  if (window.empty() || window.size() > 3 || window.size() != strides.size())
    return emitOpError() << "window " << formatList(window) << " and strides "
                         << formatList(strides)
                         << " must have one to three entries each, as many as "
                            "each other";
  // C301: linalg pools volumes channels last only (pooling_ndhwc_*); the
  // importer moves a channels_first volume's channels last.
  if (window.size() == 3 && getChannelsFirst())
    return emitOpError() << "pools a 3-D window channels first; linalg pools "
                            "volumes channels last only";
  for (int64_t v : llvm::concat<const int64_t>(window, strides))
    if (v < 1)
      return emitOpError() << "window " << formatList(window)
                           << " and strides " << formatList(strides)
                           << " must be positive";
  auto shape = rankedInput(getInput(), inferred);
  if (!shape)
    return success();
  int64_t spatial = window.size();
  if (static_cast<int64_t>(shape->size()) != spatial + 2) // C121
    return emitOpError() << "input of shape " << formatShape(*shape)
                         << " must have rank " << spatial + 2
                         << " (batch, " << spatial
                         << " spatial axes, channels) for a window of "
                         << spatial << " entries";
  int64_t first = firstSpatialAxis(getChannelsFirst());
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t &n = (*shape)[first + i];
    if (!isStatic(n))
      continue;
    int64_t k = window[i], s = strides[i];
    if (getSame()) {
      // Keras: floor((n - 1) / s) + 1, i.e. ceil(n / s) (0 for n = 0).
      n = (n + s - 1) / s;
      continue;
    }
    // Keras: floor((n - k) / s) + 1 = floor((n - k + s) / s), which it
    // refuses when negative ("Computed output size would be negative").
    if (n - k + s < 0) // C122
      return emitOpError() << "spatial axis " << first + i << " of the input "
                           << formatShape(*shape) << " has size " << n
                           << ", too small for a window of " << k
                           << " and stride " << s
                           << " with valid padding (the output size "
                              "floor((n - k) / s) + 1 would be negative)";
    n = (n - k + s) / s;
  }
  inferred.push_back(RankedTensorType::get(*shape, elementTypeOf(getInput())));
  return success();
}

DimSources PoolOp::getResultDimSources(int64_t dim) {
  // The batch and channel axes are the input's; the spatial ones computed.
  int64_t rank = rankOf(getInput());
  if (rank < 0 || dim < 0 || dim >= rank)
    return {};
  int64_t channels = getChannelsFirst() ? 1 : rank - 1;
  if (dim == 0 || dim == channels)
    return {{0, dim}};
  return {};
}

bool PoolOp::isRowWise(function_ref<bool(Value)> isRow) {
  // Windows slide over the spatial axes of each sample only.
  return isRow(getInput());
}

//===----------------------------------------------------------------------===//
// predict.global_pool
//===----------------------------------------------------------------------===//

LogicalResult GlobalPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto shape = rankedInput(getInput(), inferred);
  if (!shape)
    return success();
  int64_t rank = shape->size();
  if (rank < 3) // C123
    return emitOpError() << "input of shape " << formatShape(*shape)
                         << " must have rank at least 3 (batch, spatial "
                            "axes, channels)";
  int64_t channels = getChannelsFirst() ? 1 : rank - 1;
  SmallVector<int64_t> result;
  if (getKeepdims()) {
    result = *shape;
    for (int64_t d = 1; d < rank; ++d)
      if (d != channels)
        result[d] = 1;
  } else {
    result = {(*shape)[0], (*shape)[channels]};
  }
  inferred.push_back(RankedTensorType::get(result, elementTypeOf(getInput())));
  return success();
}

DimSources GlobalPoolOp::getResultDimSources(int64_t dim) {
  int64_t rank = rankOf(getInput());
  if (rank < 3 || dim < 0)
    return {};
  int64_t channels = getChannelsFirst() ? 1 : rank - 1;
  if (dim == 0)
    return {{0, 0}};
  if (getKeepdims())
    return dim == channels ? DimSources{{0, dim}} : DimSources{};
  return dim == 1 ? DimSources{{0, channels}} : DimSources{};
}

bool GlobalPoolOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput());
}

//===----------------------------------------------------------------------===//
// predict.pad, predict.crop, predict.upsample
//===----------------------------------------------------------------------===//

LogicalResult PadOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto shape = rankedInput(getInput(), inferred);
  if (!shape)
    return success();
  int64_t rank = shape->size();
  if (failed(checkPerAxis(*this, "low", getLow(), rank, 0)) || // C124
      failed(checkPerAxis(*this, "high", getHigh(), rank, 0)))
    return failure();
  Type element = elementTypeOf(getInput());
  if (auto integer = dyn_cast<IntegerType>(element); integer && getValue()) {
    // C240: an integer's padding value is a whole number of its type.
    double v = getValue()->convertToDouble();
    unsigned bits = integer.getWidth();
    double lowest = bits == 1 ? 0 : -std::ldexp(1.0, bits - 1);
    double highest = bits == 1 ? 1 : std::ldexp(1.0, bits - 1);
    if (v != std::trunc(v) || v < lowest || v >= highest + (bits == 1))
      return emitOpError() << "pads " << element << " with " << v
                           << ", which is not a value of that type";
  }
  for (int64_t d = 0; d < rank; ++d)
    if (isStatic((*shape)[d]))
      (*shape)[d] += getLow()[d] + getHigh()[d];
  inferred.push_back(RankedTensorType::get(*shape, elementTypeOf(getInput())));
  return success();
}

/// Axes padded or cropped by nothing keep the input's size.
static DimSources untouchedAxis(Value input, ArrayRef<int64_t> low,
                                ArrayRef<int64_t> high, int64_t dim) {
  int64_t rank = rankOf(input);
  if (rank < 0 || dim < 0 || dim >= rank ||
      static_cast<int64_t>(low.size()) != rank ||
      static_cast<int64_t>(high.size()) != rank || low[dim] || high[dim])
    return {};
  return {{0, dim}};
}

DimSources PadOp::getResultDimSources(int64_t dim) {
  return untouchedAxis(getInput(), getLow(), getHigh(), dim);
}

bool PadOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && !getLow().empty() && !getLow()[0] &&
         !getHigh().empty() && !getHigh()[0];
}

LogicalResult CropOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto shape = rankedInput(getInput(), inferred);
  if (!shape)
    return success();
  int64_t rank = shape->size();
  if (failed(checkPerAxis(*this, "low", getLow(), rank, 0)) || // C125
      failed(checkPerAxis(*this, "high", getHigh(), rank, 0)))
    return failure();
  SmallVector<int64_t> input = *shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t &n = (*shape)[d];
    int64_t cut = getLow()[d] + getHigh()[d];
    if (!isStatic(n) || !cut)
      continue;
    // C126: Keras 3's Cropping1D/2D refuse a cropping that is not smaller
    // than the input ("should be smaller than the corresponding spatial
    // dimension of the input").
    if (cut >= n)
      return emitOpError() << "crops " << getLow()[d] << " + " << getHigh()[d]
                           << " elements from axis " << d
                           << " of the input " << formatShape(input)
                           << ", which has " << n
                           << "; at least one must remain";
    n -= cut;
  }
  inferred.push_back(RankedTensorType::get(*shape, elementTypeOf(getInput())));
  return success();
}

DimSources CropOp::getResultDimSources(int64_t dim) {
  return untouchedAxis(getInput(), getLow(), getHigh(), dim);
}

bool CropOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && !getLow().empty() && !getLow()[0] &&
         !getHigh().empty() && !getHigh()[0];
}

LogicalResult UpsampleOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto shape = rankedInput(getInput(), inferred);
  if (!shape)
    return success();
  int64_t rank = shape->size();
  if (failed(checkPerAxis(*this, "factors", getFactors(), rank, 1))) // C127
    return failure();
  for (int64_t d = 0; d < rank; ++d)
    if (isStatic((*shape)[d]))
      (*shape)[d] *= getFactors()[d];
  inferred.push_back(RankedTensorType::get(*shape, elementTypeOf(getInput())));
  return success();
}

DimSources UpsampleOp::getResultDimSources(int64_t dim) {
  int64_t rank = rankOf(getInput());
  if (rank < 0 || dim < 0 || dim >= rank ||
      static_cast<int64_t>(getFactors().size()) != rank ||
      getFactors()[dim] != 1)
    return {};
  return {{0, dim}};
}

bool UpsampleOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && !getFactors().empty() && getFactors()[0] == 1;
}

//===----------------------------------------------------------------------===//
// predict.reshape, predict.transpose
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  ArrayRef<int64_t> target = getShape();
  // C128: Keras's Reshape allows one unknown (-1) dimension.
  int64_t unknown = -1, known = 1;
  for (auto [i, v] : llvm::enumerate(target)) {
    if (v == -1 && unknown < 0) {
      unknown = i;
      continue;
    }
    if (v < 1)
      return emitOpError() << "shape " << formatList(target)
                           << " may hold one -1 and positive sizes only";
    known *= v;
  }
  auto shape = rankedInput(getInput(), inferred);
  if (!shape)
    return success();
  if (shape->empty())
    return emitOpError() << "input must have a batch axis, got "
                         << getInput().getType();
  SmallVector<int64_t> result{shape->front()};
  result.append(target.begin(), target.end());
  std::optional<int64_t> total = 1;
  for (int64_t d : ArrayRef<int64_t>(*shape).drop_front())
    total = total && isStatic(d) ? std::optional<int64_t>(*total * d)
                                 : std::nullopt;
  if (!total) {
    if (unknown >= 0)
      result[unknown + 1] = ShapedType::kDynamic;
  } else if (unknown >= 0) {
    // C129: numpy's rule for -1: the other sizes divide the count.
    if (*total % known)
      return emitOpError() << "cannot reshape a sample of shape "
                           << formatShape(ArrayRef<int64_t>(*shape).drop_front())
                           << " (" << *total << " elements) into "
                           << formatList(target) << ": " << *total
                           << " is not a multiple of " << known;
    result[unknown + 1] = *total / known;
  } else if (*total != known) { // C129
    return emitOpError() << "cannot reshape a sample of shape "
                         << formatShape(ArrayRef<int64_t>(*shape).drop_front())
                         << " (" << *total << " elements) into "
                         << formatList(target) << " (" << known
                         << " elements)";
  }
  inferred.push_back(RankedTensorType::get(result, elementTypeOf(getInput())));
  return success();
}

DimSources ReshapeOp::getResultDimSources(int64_t dim) {
  if (dim == 0 && rankOf(getInput()) >= 1)
    return {{0, 0}};
  return {};
}

bool ReshapeOp::isRowWise(function_ref<bool(Value)> isRow) {
  // The batch axis is kept; each sample is reshaped alone.
  return isRow(getInput());
}

LogicalResult TransposeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto shape = rankedInput(getInput(), inferred);
  if (!shape)
    return success();
  ArrayRef<int64_t> perm = getPermutation();
  int64_t rank = shape->size();
  // C130: a permutation of the input's axes.
  SmallVector<bool> seen(rank, false);
  bool valid = static_cast<int64_t>(perm.size()) == rank;
  for (int64_t p : perm) {
    if (!valid || p < 0 || p >= rank || seen[p]) {
      valid = false;
      break;
    }
    seen[p] = true;
  }
  if (!valid)
    return emitOpError() << "permutation " << formatList(perm)
                         << " is not a permutation of the " << rank
                         << " axes of the input " << getInput().getType();
  SmallVector<int64_t> result;
  for (int64_t p : perm)
    result.push_back((*shape)[p]);
  inferred.push_back(RankedTensorType::get(result, elementTypeOf(getInput())));
  return success();
}

DimSources TransposeOp::getResultDimSources(int64_t dim) {
  ArrayRef<int64_t> perm = getPermutation();
  if (rankOf(getInput()) != static_cast<int64_t>(perm.size()) || dim < 0 ||
      dim >= static_cast<int64_t>(perm.size()))
    return {};
  return {{0, perm[dim]}};
}

bool TransposeOp::isRowWise(function_ref<bool(Value)> isRow) {
  return isRow(getInput()) && !getPermutation().empty() &&
         getPermutation()[0] == 0;
}

//===----------------------------------------------------------------------===//
// predict.reverse
//===----------------------------------------------------------------------===//

LogicalResult ReverseOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(getInput().getType());
  int64_t rank = rankOf(getInput());
  if (rank < 0)
    return success();
  // C131: distinct axes of the input.
  SmallVector<bool> seen(rank, false);
  for (int64_t axis : getAxes()) {
    int64_t d = axis < 0 ? axis + rank : axis;
    if (d < 0 || d >= rank)
      return emitOpError() << "axis " << axis << " is out of range for the "
                           << rank << " axes of the input "
                           << getInput().getType();
    if (seen[d])
      return emitOpError() << "axis " << axis << " is given twice";
    seen[d] = true;
  }
  return success();
}

DimSources ReverseOp::getResultDimSources(int64_t dim) {
  if (dim < 0 || dim >= rankOf(getInput()))
    return {};
  return {{0, dim}};
}

bool ReverseOp::isRowWise(function_ref<bool(Value)> isRow) {
  // Row-wise unless the batch axis is reversed.
  int64_t rank = rankOf(getInput());
  return isRow(getInput()) && rank > 0 &&
         llvm::none_of(getAxes(), [&](int64_t a) {
           return a == 0 || a + rank == 0;
         });
}

//===----------------------------------------------------------------------===//
// predict.inference_identity
//===----------------------------------------------------------------------===//

LogicalResult
InferenceIdentityOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(getInput().getType());
  return success();
}
