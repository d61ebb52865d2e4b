//===- TensorOps.cpp - shape rules of the predict tensor computations -----===//
//
// One `inferResultTypes` per op: the verifier and predict-shape-inference both
// use it (see PredictInterfaces.td). Constraint numbers refer to
// docs/Dialect.md.
//
//===----------------------------------------------------------------------===//

#include "ShapeRules.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::predict;

namespace {
/// The shape of a ranked tensor type, or std::nullopt.
std::optional<ArrayRef<int64_t>> shapeOf(Type type) {
  if (auto ranked = dyn_cast<RankedTensorType>(type))
    return ranked.getShape();
  return std::nullopt;
}

Type elementTypeOf(Type type) { return cast<TensorType>(type).getElementType(); }

Type tensorOf(std::optional<ArrayRef<int64_t>> shape, Type element) {
  if (!shape)
    return UnrankedTensorType::get(element);
  return RankedTensorType::get(*shape, element);
}

bool isStatic(int64_t dim) { return !ShapedType::isDynamic(dim); }

/// C25: all operands of an elementwise op share one element type.
LogicalResult checkSameElementType(Operation *op, ValueRange values,
                                   Type &element) {
  element = elementTypeOf(values.front().getType());
  for (auto [index, value] : llvm::enumerate(values)) {
    if (elementTypeOf(value.getType()) != element)
      return op->emitOpError()
             << "operand #" << index << " has element type "
             << elementTypeOf(value.getType()) << " but operand #0 has "
             << element;
  }
  return success();
}

/// C24: numpy broadcasting of all `values`; unranked if any is unranked.
LogicalResult inferBroadcast(Operation *op, ValueRange values, Type element,
                             SmallVectorImpl<Type> &inferred) {
  SmallVector<int64_t> shape;
  bool ranked = true;
  for (auto [index, value] : llvm::enumerate(values)) {
    auto operandShape = shapeOf(value.getType());
    if (!operandShape) {
      ranked = false;
      continue;
    }
    auto next = broadcastShapes(shape, *operandShape);
    if (!next)
      return op->emitOpError()
             << "operand #" << index << " of shape "
             << formatShape(*operandShape)
             << " does not broadcast with the shape " << formatShape(shape)
             << " of the operands before it";
    shape = *next;
  }
  inferred.push_back(ranked ? tensorOf(ArrayRef<int64_t>(shape), element)
                            : UnrankedTensorType::get(element));
  return success();
}

LogicalResult inferElementwise(Operation *op, ValueRange values,
                               SmallVectorImpl<Type> &inferred,
                               Type resultElement = {}) {
  Type element;
  if (failed(checkSameElementType(op, values, element)))
    return failure();
  return inferBroadcast(op, values, resultElement ? resultElement : element,
                        inferred);
}

/// A rank-1 parameter (bias, gamma, ...) of `size` elements (dynamic: any).
LogicalResult checkVector(Type type, StringRef name, int64_t size,
                          StringRef sizeMeaning, rules::EmitErrorFn emitError) {
  auto shape = shapeOf(type);
  if (!shape)
    return success();
  if (shape->size() != 1)
    return emitError() << name << " must be 1-D, got " << type;
  if (isStatic(size) && isStatic((*shape)[0]) && (*shape)[0] != size)
    return emitError() << name << " has " << (*shape)[0] << " elements but "
                       << sizeMeaning << " is " << size;
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// Rules shared with the layer declarations
//===----------------------------------------------------------------------===//

FailureOr<Type> rules::inferDense(Type input, Type kernel, Type bias,
                                  EmitErrorFn emitError) {
  Type element = elementTypeOf(input);
  if (elementTypeOf(kernel) != element)
    return emitError() << "kernel element type " << elementTypeOf(kernel)
                       << " differs from the input's " << element;
  if (bias && elementTypeOf(bias) != element)
    return emitError() << "bias element type " << elementTypeOf(bias)
                       << " differs from the input's " << element;
  int64_t rows = ShapedType::kDynamic, units = ShapedType::kDynamic;
  if (auto k = shapeOf(kernel)) {
    if (k->size() != 2) // C16
      return emitError() << "kernel must be 2-D (inputs x units), got "
                         << kernel;
    rows = (*k)[0];
    units = (*k)[1];
  }
  if (bias) { // C17
    if (failed(checkVector(bias, "bias", units, "the kernel's units", emitError)))
      return failure();
    if (auto b = shapeOf(bias); b && !isStatic(units))
      units = (*b)[0];
  }
  auto in = shapeOf(input);
  if (!in)
    return Type(UnrankedTensorType::get(element));
  if (in->size() < 2) // C16
    return emitError() << "input must have rank at least 2 (batch, ..., "
                          "features), got "
                       << input;
  int64_t features = in->back();
  if (isStatic(features) && isStatic(rows) && features != rows) // C16
    return emitError() << "input has " << features
                       << " features but the kernel has " << rows << " rows";
  SmallVector<int64_t> shape(*in);
  shape.back() = units;
  return Type(RankedTensorType::get(shape, element));
}

FailureOr<Type> rules::inferBatchNorm(Type input, ArrayRef<Type> params,
                                      ArrayRef<StringRef> names, int64_t axis,
                                      EmitErrorFn emitError) {
  Type element = elementTypeOf(input);
  int64_t channels = ShapedType::kDynamic;
  if (auto in = shapeOf(input)) {
    auto normalized = normalizeAxis(axis, in->size());
    if (!normalized) // C20
      return emitError() << "axis " << axis << " is out of range for " << input;
    channels = (*in)[*normalized];
  }
  for (auto [type, name] : llvm::zip_equal(params, names)) {
    if (elementTypeOf(type) != element)
      return emitError() << name << " element type " << elementTypeOf(type)
                         << " differs from the input's " << element;
    // C20: every parameter is a vector over the normalized axis.
    if (failed(checkVector(type, name, channels,
                           "the input's size along the axis", emitError)))
      return failure();
    if (auto s = shapeOf(type); s && !isStatic(channels))
      channels = (*s)[0];
  }
  return input;
}

FailureOr<Type> rules::inferNormalization(Type input, Type mean, Type variance,
                                          EmitErrorFn emitError) {
  if (elementTypeOf(mean) != elementTypeOf(input) ||
      elementTypeOf(variance) != elementTypeOf(input))
    return emitError() << "mean and variance must have the input's element type "
                       << elementTypeOf(input);
  if (!areCompatible(mean, variance)) // C21
    return emitError() << "mean " << mean << " and variance " << variance
                       << " must have the same shape";
  auto in = shapeOf(input);
  auto m = shapeOf(mean);
  if (in && m) {
    // Each statistic dimension is 1 or exactly the input's: statistics never
    // stretch the input, and never stand in for a (dynamic) batch dimension.
    bool fits = m->size() <= in->size();
    for (size_t i = 0; fits && i < m->size(); ++i) {
      int64_t dm = (*m)[m->size() - 1 - i], di = (*in)[in->size() - 1 - i];
      fits = dm == 1 || (isStatic(di) && dm == di);
    }
    if (!fits)
      return emitError() << "mean of shape " << formatShape(*m)
                         << " does not broadcast to the input shape "
                         << formatShape(*in);
  }
  return input;
}

FailureOr<Type> rules::inferPRelu(Type input, Type alpha,
                                  EmitErrorFn emitError) {
  if (elementTypeOf(alpha) != elementTypeOf(input))
    return emitError() << "alpha must have the input's element type "
                       << elementTypeOf(input);
  auto in = shapeOf(input);
  auto a = shapeOf(alpha);
  if (!in || !a)
    return input;
  if (a->size() >= in->size()) // C160
    return emitError() << "alpha of shape " << formatShape(*a)
                       << " must have a lower rank than the input "
                       << formatShape(*in) << ": it never spans the batch axis";
  for (size_t i = 0; i < a->size(); ++i) {
    int64_t da = (*a)[a->size() - 1 - i], di = (*in)[in->size() - 1 - i];
    if (da != 1 && !(isStatic(di) && da == di)) // C161
      return emitError() << "alpha of shape " << formatShape(*a)
                         << " does not fit the input shape "
                         << formatShape(*in)
                         << " (each size 1 or the input's)";
  }
  return input;
}

FailureOr<Type> rules::inferLayerNorm(Type input, ArrayRef<Type> params,
                                      ArrayRef<StringRef> names,
                                      ArrayRef<int64_t> axes,
                                      EmitErrorFn emitError) {
  Type element = elementTypeOf(input);
  if (axes.empty())
    return emitError() << "axes must not be empty";
  // The input's sizes along the axes, in ascending order of the axes.
  std::optional<SmallVector<int64_t>> sizes;
  if (auto in = shapeOf(input)) {
    SmallVector<int64_t> dims;
    for (int64_t axis : axes) {
      auto normalized = normalizeAxis(axis, in->size());
      if (!normalized) // C42
        return emitError() << "axis " << axis << " is out of range for "
                           << input;
      if (llvm::is_contained(dims, *normalized)) // C42
        return emitError() << "axis " << axis << " is listed twice in axes";
      dims.push_back(*normalized);
    }
    llvm::sort(dims);
    sizes.emplace();
    for (int64_t d : dims)
      sizes->push_back((*in)[d]);
  }
  for (auto [type, name] : llvm::zip_equal(params, names)) {
    if (elementTypeOf(type) != element)
      return emitError() << name << " element type " << elementTypeOf(type)
                         << " differs from the input's " << element;
    auto shape = shapeOf(type);
    if (!shape)
      continue;
    if (shape->size() != axes.size()) // C41
      return emitError() << name << " of shape " << formatShape(*shape)
                         << " must have one dimension per axis ("
                         << axes.size() << ")";
    if (!sizes)
      continue;
    for (auto [have, want] : llvm::zip_equal(*shape, *sizes))
      if (isStatic(have) && isStatic(want) && have != want) // C41
        return emitError() << name << " of shape " << formatShape(*shape)
                           << " does not match the input's sizes "
                           << formatShape(*sizes) << " along the axes";
  }
  return input;
}

//===----------------------------------------------------------------------===//
// Layer computations
//===----------------------------------------------------------------------===//

LogicalResult DenseOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto type = rules::inferDense(getInput().getType(), getKernel().getType(),
                                getBias() ? getBias().getType() : Type(),
                                [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult ActivationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  ActivationKind kind = getKind();
  // C18: a parameter only for the activation that takes it.
  if (getAlpha() && !defaultAlpha(kind))
    return emitOpError() << "'alpha' applies only to elu, leaky_relu, "
                            "hard_sigmoid, celu, hard_shrink, soft_shrink "
                            "and squareplus, not "
                         << stringifyActivationKind(kind);
  if (getApproximate() && kind != ActivationKind::gelu)
    return emitOpError() << "'approximate' applies only to gelu, not "
                         << stringifyActivationKind(kind);
  if (auto axis = getAxis()) {
    if (!isAlongAxis(kind))
      return emitOpError() << "'axis' applies only to softmax and "
                              "log_softmax, not "
                           << stringifyActivationKind(kind);
    if (auto in = shapeOf(getInput().getType());
        in && !normalizeAxis(*axis, in->size()))
      return emitOpError() << "axis " << *axis << " is out of range for "
                           << getInput().getType();
  }
  inferred.push_back(getInput().getType());
  return success();
}

OpFoldResult ActivationOp::fold(FoldAdaptor) {
  if (getKind() == ActivationKind::linear)
    return getInput();
  return {};
}

LogicalResult DropoutOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  double rate = getRate().convertToDouble();
  // C19: Keras's own bound ("a float value between 0 and 1"; 1 drops
  // everything in training, and is the identity at inference too).
  if (!(rate >= 0.0 && rate <= 1.0))
    return emitOpError() << "rate " << formatNumber(rate)
                         << " must be in [0, 1]";
  inferred.push_back(getInput().getType());
  return success();
}

OpFoldResult DropoutOp::fold(FoldAdaptor) { return getInput(); }

/// A normalization's optional `gamma` and `beta` (null when absent), with
/// their names, after the parameters its shape rule already has.
static void appendScaleAndOffset(Value gamma, Value beta,
                                 SmallVectorImpl<Type> &params,
                                 SmallVectorImpl<StringRef> &names) {
  for (auto [value, name] : {std::pair{gamma, "gamma"}, {beta, "beta"}})
    if (value) {
      params.push_back(value.getType());
      names.push_back(name);
    }
}

LogicalResult BatchNormOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  SmallVector<Type> params{getMean().getType(), getVariance().getType()};
  SmallVector<StringRef> names{"mean", "variance"};
  appendScaleAndOffset(getGamma(), getBeta(), params, names);
  auto type = rules::inferBatchNorm(getInput().getType(), params, names,
                                    getAxis(), [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult
NormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto type = rules::inferNormalization(getInput().getType(),
                                        getMean().getType(),
                                        getVariance().getType(),
                                        [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult PReluOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto type = rules::inferPRelu(getInput().getType(), getAlpha().getType(),
                                [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult LayerNormOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  SmallVector<Type> params;
  SmallVector<StringRef> names;
  appendScaleAndOffset(getGamma(), getBeta(), params, names);
  if (getEpsilon().convertToDouble() < 0.0)
    return emitOpError() << "epsilon must not be negative";
  auto type = rules::inferLayerNorm(getInput().getType(), params, names,
                                    getAxes(), [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult
L2NormalizeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getEpsilon().convertToDouble() < 0.0)
    return emitOpError() << "epsilon must not be negative";
  // The axes obey layer_norm's rule (C42); there are no parameters.
  auto type = rules::inferLayerNorm(getInput().getType(), {}, {}, getAxes(),
                                    [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult FlattenOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type element = elementTypeOf(getInput().getType());
  auto in = shapeOf(getInput().getType());
  if (!in) {
    inferred.push_back(UnrankedTensorType::get(element));
    return success();
  }
  if (in->empty()) // C22
    return emitOpError() << "input must have a batch dimension, got "
                         << getInput().getType();
  int64_t features = 1;
  for (int64_t dim : in->drop_front()) {
    if (!isStatic(dim)) {
      features = ShapedType::kDynamic;
      break;
    }
    features *= dim;
  }
  inferred.push_back(RankedTensorType::get({in->front(), features}, element));
  return success();
}

/// C23, shared by predict.concatenate and predict.list.concat: `types` joined
/// along `axis`; `count` is the number of pieces when known.
static FailureOr<Type> inferConcat(ArrayRef<Type> types, int64_t axis,
                                   bool countKnown, rules::EmitErrorFn emitError) {
  Type element = elementTypeOf(types.front());
  std::optional<SmallVector<int64_t>> shape;
  int64_t total = 0;
  for (auto [index, type] : llvm::enumerate(types)) {
    if (elementTypeOf(type) != element)
      return emitError() << "input #" << index << " has element type "
                         << elementTypeOf(type) << " but input #0 has "
                         << element;
    auto s = shapeOf(type);
    if (!s) {
      total = ShapedType::kDynamic;
      continue;
    }
    auto normalized = normalizeAxis(axis, s->size());
    if (!normalized)
      return emitError() << "axis " << axis << " is out of range for input #"
                         << index << " of type " << type;
    if (!shape) {
      shape = SmallVector<int64_t>(*s);
    } else {
      if (shape->size() != s->size())
        return emitError() << "input #" << index << " has rank " << s->size()
                           << " but the inputs before it have rank "
                           << shape->size();
      for (size_t d = 0; d < s->size(); ++d) {
        if (static_cast<int64_t>(d) == *normalized)
          continue;
        int64_t a = (*shape)[d], b = (*s)[d];
        if (isStatic(a) && isStatic(b) && a != b)
          return emitError() << "input #" << index << " has size " << b
                             << " in dimension " << d
                             << " but the inputs before it have " << a;
        if (!isStatic(a))
          (*shape)[d] = b;
      }
    }
    int64_t along = (*s)[*normalized];
    total = isStatic(total) && isStatic(along) ? total + along
                                               : ShapedType::kDynamic;
  }
  if (!shape)
    return Type(UnrankedTensorType::get(element));
  (*shape)[*normalizeAxis(axis, shape->size())] =
      countKnown ? total : ShapedType::kDynamic;
  return Type(RankedTensorType::get(*shape, element));
}

LogicalResult ConcatenateOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().empty()) // C23
    return emitOpError() << "needs at least one input";
  auto type = inferConcat(llvm::to_vector(getInputs().getTypes()), getAxis(),
                          /*countKnown=*/true, [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise math
//===----------------------------------------------------------------------===//

#define PREDICT_BINARY_INFER(OP)                                               \
  LogicalResult OP::inferResultTypes(SmallVectorImpl<Type> &inferred) {        \
    return inferElementwise(*this, getOperands(), inferred);                   \
  }
PREDICT_BINARY_INFER(SubOp)
PREDICT_BINARY_INFER(MulOp)
PREDICT_BINARY_INFER(DivOp)
PREDICT_BINARY_INFER(PowOp)
PREDICT_BINARY_INFER(MaximumOp)
PREDICT_BINARY_INFER(MinimumOp)
PREDICT_BINARY_INFER(FloorDivOp)
PREDICT_BINARY_INFER(ModOp)
#undef PREDICT_BINARY_INFER

#define PREDICT_UNARY_INFER(OP)                                                \
  LogicalResult OP::inferResultTypes(SmallVectorImpl<Type> &inferred) {        \
    inferred.push_back(getInput().getType());                                  \
    return success();                                                          \
  }
PREDICT_UNARY_INFER(NegOp)
PREDICT_UNARY_INFER(ExpOp)
PREDICT_UNARY_INFER(LogOp)
PREDICT_UNARY_INFER(SqrtOp)
PREDICT_UNARY_INFER(AbsOp)
#undef PREDICT_UNARY_INFER

LogicalResult AddOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().size() < 2) // C24
    return emitOpError() << "needs at least two inputs, got "
                         << getInputs().size();
  return inferElementwise(*this, getInputs(), inferred);
}

LogicalResult ClipOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto min = getMin(), max = getMax();
  if (!min && !max) // C26
    return emitOpError() << "needs at least one of 'min' and 'max'";
  inferred.push_back(getInput().getType());
  return success();
}

LogicalResult CompareOp::verify() {
  // C226: bools compare for equality only.
  auto type = dyn_cast<TensorType>(getLhs().getType());
  if (type && type.getElementType().isInteger(1) &&
      getKind() != CompareKind::eq && getKind() != CompareKind::ne)
    return emitOpError() << "compares bools by '" << stringifyEnum(getKind())
                         << "': only == and != compare bools (TensorFlow's "
                            "ordering comparisons take numbers)";
  return success();
}

LogicalResult CompareOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferElementwise(*this, getOperands(), inferred,
                          IntegerType::get(getContext(), 1));
}

LogicalResult SelectOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type element; // C25 for the two values; C27 is the operand type constraint.
  if (failed(checkSameElementType(*this, {getTrueValue(), getFalseValue()},
                                  element)))
    return failure();
  return inferBroadcast(*this, getOperands(), element, inferred);
}

LogicalResult MatmulOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type element;
  if (failed(checkSameElementType(*this, getOperands(), element)))
    return failure();
  auto lhs = shapeOf(getLhs().getType());
  auto rhs = shapeOf(getRhs().getType());
  if (!lhs || !rhs) {
    inferred.push_back(UnrankedTensorType::get(element));
    return success();
  }
  if (lhs->empty() || rhs->empty()) // C28
    return emitOpError() << "operands must have rank at least 1, got "
                         << getLhs().getType() << " and " << getRhs().getType();
  // numpy promotes a 1-D left operand to a row and a 1-D right operand to a
  // column, then drops that dimension from the result.
  SmallVector<int64_t> a(*lhs), b(*rhs);
  bool rowVector = a.size() == 1, columnVector = b.size() == 1;
  if (rowVector)
    a.insert(a.begin(), 1);
  if (columnVector)
    b.push_back(1);
  int64_t k1 = a.back(), k2 = b[b.size() - 2];
  if (isStatic(k1) && isStatic(k2) && k1 != k2) // C28
    return emitOpError() << "contracted dimensions differ: the left operand "
                            "has "
                         << k1 << " columns, the right operand " << k2
                         << " rows";
  auto batch = broadcastShapes(ArrayRef(a).drop_back(2),
                               ArrayRef(b).drop_back(2));
  if (!batch)
    return emitOpError() << "batch dimensions " << formatShape(ArrayRef(a).drop_back(2))
                         << " and " << formatShape(ArrayRef(b).drop_back(2))
                         << " do not broadcast";
  SmallVector<int64_t> shape(*batch);
  if (!rowVector)
    shape.push_back(a[a.size() - 2]);
  if (!columnVector)
    shape.push_back(b.back());
  inferred.push_back(RankedTensorType::get(shape, element));
  return success();
}

LogicalResult ConvolveOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type element;
  if (failed(checkSameElementType(*this, getOperands(), element)))
    return failure();
  auto in = shapeOf(getInput().getType());
  auto kernel = shapeOf(getKernel().getType());
  if (!in || !kernel) {
    inferred.push_back(UnrankedTensorType::get(element));
    return success();
  }
  if (in->size() != kernel->size()) // C29, as scipy.signal refuses it
    return emitOpError() << "input and kernel must have the same rank, got "
                         << in->size() << "-D input " << getInput().getType()
                         << " and " << kernel->size() << "-D kernel "
                         << getKernel().getType();
  SmallVector<int64_t> shape;
  bool inputLarger = true, kernelLarger = true;
  for (auto [n, m] : llvm::zip_equal(*in, *kernel)) {
    if (isStatic(n) && isStatic(m)) {
      inputLarger &= n >= m;
      kernelLarger &= m >= n;
    }
    if (!isStatic(n) || !isStatic(m)) {
      shape.push_back(getMode() == ConvolveMode::same ? n : ShapedType::kDynamic);
      continue;
    }
    switch (getMode()) {
    case ConvolveMode::full:
      shape.push_back(n + m - 1);
      break;
    case ConvolveMode::same:
      shape.push_back(n);
      break;
    case ConvolveMode::valid:
      shape.push_back(std::max(n, m) - std::min(n, m) + 1);
      break;
    }
  }
  if (getMode() == ConvolveMode::valid && !inputLarger && !kernelLarger) // C29
    return emitOpError() << "in 'valid' mode one operand must be at least as "
                            "large as the other in every dimension, got "
                         << getInput().getType() << " and "
                         << getKernel().getType();
  inferred.push_back(RankedTensorType::get(shape, element));
  return success();
}

//===----------------------------------------------------------------------===//
// Constants and shapes
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult FillOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto type = getResult().getType();
  if (getSizes().size() != type.getNumDynamicDims()) // C33
    return emitOpError() << "has " << getSizes().size()
                         << " size operands but the result type " << type
                         << " has " << type.getNumDynamicDims()
                         << " dynamic dimensions";
  inferred.push_back(type);
  return success();
}

LogicalResult DimOp::verify() {
  if (auto in = shapeOf(getInput().getType());
      in && !normalizeAxis(getAxis(), in->size())) // C31
    return emitOpError() << "axis " << getAxis() << " is out of range for "
                         << getInput().getType();
  return success();
}

OpFoldResult DimOp::fold(FoldAdaptor) {
  auto in = shapeOf(getInput().getType());
  if (!in)
    return {};
  auto axis = normalizeAxis(getAxis(), in->size());
  if (!axis || !isStatic((*in)[*axis]))
    return {};
  return IntegerAttr::get(IndexType::get(getContext()), (*in)[*axis]);
}

/// True when `value` has as many rows (its size along axis 0) as `of`:
/// `of` itself, equal static sizes, or the result of a row-wise op
/// (RowWiseOpInterface: each row of the result from that row of its row
/// operands alone) whose row operands have `of`'s rows. A Dense layer's
/// output and elementwise results of such tensors are sliced to one row by
/// the index of a loop over `of.shape[0]` as `of` is.
static bool hasRowsOf(Value value, Value of, unsigned depth = 0) {
  if (value == of)
    return true;
  auto a = dyn_cast<RankedTensorType>(value.getType());
  auto b = dyn_cast<RankedTensorType>(of.getType());
  if (!a || !b || a.getRank() == 0 || b.getRank() == 0)
    return false;
  if (!a.isDynamicDim(0) && a.getDimSize(0) == b.getDimSize(0))
    return true;
  auto op = value.getDefiningOp<RowWiseOpInterface>();
  if (!op || op->getNumResults() != 1 || depth >= 8)
    return false;
  auto isRow = [&](Value operand) {
    return hasRowsOf(operand, of, depth + 1);
  };
  return llvm::any_of(op->getOperands(), isRow) && op.isRowWise(isRow);
}

/// True when `bound` is the size of `input` along `axis`: predict.dim, or
/// tensor.dim once the loops are lowered, of `input` or (axis 0) of a
/// tensor `input` has the rows of.
static bool isSizeOf(Value bound, Value input, int64_t axis) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  auto sameAxis = [&](Value source, std::optional<int64_t> other) {
    auto type = dyn_cast<RankedTensorType>(source.getType());
    if (!type || !other)
      return false;
    std::optional<int64_t> here = normalizeAxis(axis, rank);
    std::optional<int64_t> there = normalizeAxis(*other, type.getRank());
    if (!here || !there)
      return false;
    if (source == input)
      return *here == *there;
    return *here == 0 && *there == 0 && hasRowsOf(input, source);
  };
  if (auto dim = bound.getDefiningOp<DimOp>())
    return sameAxis(dim.getInput(), dim.getAxis());
  if (auto dim = bound.getDefiningOp<tensor::DimOp>())
    return sameAxis(dim.getSource(), dim.getConstantIndex());
  return false;
}

/// An `index` known when the op is built: a constant, or the size of a
/// static axis.
static std::optional<int64_t> knownIndex(Value value) {
  APInt c;
  if (matchPattern(value, m_ConstantInt(&c)))
    return c.getSExtValue();
  if (auto dim = value.getDefiningOp<DimOp>())
    if (auto in = shapeOf(dim.getInput().getType()))
      if (auto axis = normalizeAxis(dim.getAxis(), in->size());
          axis && isStatic((*in)[*axis]))
        return (*in)[*axis];
  return std::nullopt;
}

/// `value` as `base + offset`, looking through `arith.addi`/`arith.subi` of
/// constants (`i + 2`, `i - 1`); base is null when `value` is a constant.
static std::pair<Value, int64_t> splitOffset(Value value) {
  int64_t offset = 0;
  for (unsigned depth = 0; depth < 8; ++depth) {
    APInt c;
    int64_t next;
    if (matchPattern(value, m_ConstantInt(&c))) {
      if (llvm::AddOverflow(offset, c.getSExtValue(), next))
        return {value, 0};
      return {Value(), next};
    }
    if (auto add = value.getDefiningOp<arith::AddIOp>()) {
      Value other;
      if (matchPattern(add.getRhs(), m_ConstantInt(&c)))
        other = add.getLhs();
      else if (matchPattern(add.getLhs(), m_ConstantInt(&c)))
        other = add.getRhs();
      if (other && !llvm::AddOverflow(offset, c.getSExtValue(), next)) {
        offset = next;
        value = other;
        continue;
      }
    }
    if (auto sub = value.getDefiningOp<arith::SubIOp>();
        sub && matchPattern(sub.getRhs(), m_ConstantInt(&c)) &&
        !llvm::SubOverflow(offset, c.getSExtValue(), next)) {
      offset = next;
      value = sub.getLhs();
      continue;
    }
    break;
  }
  return {value, offset};
}

/// The values `index` takes when it is the induction variable of a loop
/// (predict.for, or the scf.for it is lowered to) with a constant first
/// value and a constant positive step: from `first` up to below `stop`.
static std::optional<std::pair<int64_t, Value>> ascendingRange(Value index) {
  auto arg = dyn_cast<BlockArgument>(index);
  if (!arg)
    return std::nullopt;
  Operation *parent = arg.getOwner()->getParentOp();
  std::optional<int64_t> first, step;
  Value stop;
  if (auto loop = dyn_cast<ForOp>(parent)) {
    if (arg.getArgNumber() != 0)
      return std::nullopt;
    first = getConstantIntValue(loop.getStart());
    step = getConstantIntValue(loop.getStep());
    stop = loop.getStop();
  } else if (auto loop = dyn_cast<LoopLikeOpInterface>(parent)) {
    auto iv = loop.getSingleInductionVar();
    auto lower = loop.getSingleLowerBound();
    auto upper = loop.getSingleUpperBound();
    auto stride = loop.getSingleStep();
    if (!iv || *iv != index || !lower || !upper || !stride)
      return std::nullopt;
    first = getConstantIntValue(*lower);
    step = getConstantIntValue(*stride);
    stop = dyn_cast<Value>(*upper);
  }
  if (!first || !step || *step <= 0 || !stop)
    return std::nullopt;
  return std::make_pair(*first, stop);
}

/// True when `bound` is at most the size of `input` along `axis`: that
/// size, or the least of values one of which is (the loop of `zip(x, y)`
/// runs to min(len(x), len(y))).
static bool isAtMostSizeOf(Value bound, Value input, int64_t axis) {
  if (auto least = bound.getDefiningOp<arith::MinSIOp>())
    return isAtMostSizeOf(least.getLhs(), input, axis) ||
           isAtMostSizeOf(least.getRhs(), input, axis);
  return isSizeOf(bound, input, axis);
}

/// True when `index + offset` is within `[0, size)` of `input` along
/// `axis` in every iteration of the loop `index` counts: `for i in
/// range(x.shape[0])` (or a bound at most that) slicing x (or a tensor
/// with x's rows) at `i` or an earlier non-negative row, or a constant
/// range inside a static axis.
static bool isInBounds(Value index, int64_t offset, Value input, int64_t axis) {
  // `for i in reversed(range(x.shape[0]))` (a predict.for from
  // x.shape[0] - 1 down to 0, step -1): the same rows, last to first.
  if (auto arg = dyn_cast<BlockArgument>(index)) {
    auto loop = dyn_cast<ForOp>(arg.getOwner()->getParentOp());
    std::optional<int64_t> step =
        loop ? getConstantIntValue(loop.getStep()) : std::nullopt;
    std::optional<int64_t> stop =
        loop ? getConstantIntValue(loop.getStop()) : std::nullopt;
    if (loop && arg.getArgNumber() == 0 && step == -1 && stop) {
      // index in [stop + 1, first].
      int64_t least;
      if (llvm::AddOverflow(*stop + 1, offset, least) || least < 0)
        return false;
      auto [base, first] = splitOffset(loop.getStart());
      int64_t last;
      if (llvm::AddOverflow(first, offset, last))
        return false;
      if (base)
        return isAtMostSizeOf(base, input, axis) && last <= -1;
      auto in = shapeOf(input.getType());
      auto normalized = in ? normalizeAxis(axis, in->size()) : std::nullopt;
      return normalized && isStatic((*in)[*normalized]) &&
             last < (*in)[*normalized];
    }
  }
  std::optional<std::pair<int64_t, Value>> range = ascendingRange(index);
  int64_t least;
  if (!range || llvm::AddOverflow(range->first, offset, least) || least < 0)
    return false;
  if (isAtMostSizeOf(range->second, input, axis))
    return offset <= 0;
  auto in = shapeOf(input.getType());
  auto normalized = in ? normalizeAxis(axis, in->size()) : std::nullopt;
  std::optional<int64_t> end = knownIndex(range->second);
  int64_t sum;
  return normalized && isStatic((*in)[*normalized]) && end &&
         !llvm::AddOverflow(*end, offset, sum) &&
         sum <= (*in)[*normalized];
}

/// Python's slice length of `[start:stop]` on an axis of `size` elements.
static int64_t pythonSliceLength(int64_t start, int64_t stop, int64_t size) {
  auto clamp = [&](int64_t bound) {
    if (bound < 0)
      bound += size;
    return std::min(std::max<int64_t>(bound, 0), size);
  };
  return std::max<int64_t>(clamp(stop) - clamp(start), 0);
}

LogicalResult SliceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto in = shapeOf(getInput().getType());
  Type element = elementTypeOf(getInput().getType());
  if (!in) {
    inferred.push_back(UnrankedTensorType::get(element));
    return success();
  }
  auto axis = normalizeAxis(getAxis(), in->size());
  if (!axis) // C30
    return emitOpError() << "axis " << getAxis() << " is out of range for "
                         << getInput().getType();
  SmallVector<int64_t> shape(*in);
  int64_t size = (*in)[*axis];
  APInt start, stop, offset;
  std::optional<int64_t> knownStart = knownIndex(getStart()),
                         knownStop = knownIndex(getStop());
  if (isStatic(size) && knownStart && knownStop) {
    // Constants, or static sizes (x[4:] stops at predict.dim of a static axis).
    shape[*axis] = pythonSliceLength(*knownStart, *knownStop, size);
  } else if (auto [startBase, startOffset] = splitOffset(getStart());
             startBase && splitOffset(getStop()).first == startBase) {
    // Bounds `b + k` and `b + k'`: empty for k' = k; one row when k' = k + 1
    // and `b + k` is proven within the axis (x[i:i+1] of a row loop).
    int64_t stopOffset = splitOffset(getStop()).second, length;
    if (stopOffset == startOffset)
      shape[*axis] = 0;
    else if (!llvm::SubOverflow(stopOffset, startOffset, length) &&
             length == 1 &&
             isInBounds(startBase, startOffset, getInput(), getAxis()))
      shape[*axis] = 1;
    else
      shape[*axis] = ShapedType::kDynamic;
  } else {
    shape[*axis] = ShapedType::kDynamic;
  }
  // A declared size larger than any the bounds allow is an error now, not
  // at run time: x[a:a+k], and constant bounds of one sign, give at most k
  // (clamping only shortens a slice). A static inferred size is exact, and
  // C34 compares the declared one with it.
  std::optional<int64_t> atMost;
  auto stopIsStartPlus = [&](APInt &k) {
    auto add = getStop().getDefiningOp<arith::AddIOp>();
    return add && ((add.getLhs() == getStart() &&
                    matchPattern(add.getRhs(), m_ConstantInt(&k))) ||
                   (add.getRhs() == getStart() &&
                    matchPattern(add.getLhs(), m_ConstantInt(&k))));
  };
  if (!isStatic(shape[*axis])) {
    if (matchPattern(getStart(), m_ConstantInt(&start)) &&
        matchPattern(getStop(), m_ConstantInt(&stop)) &&
        start.isNegative() == stop.isNegative())
      atMost =
          std::max<int64_t>(stop.getSExtValue() - start.getSExtValue(), 0);
    else if (stopIsStartPlus(offset))
      atMost = std::max<int64_t>(offset.getSExtValue(), 0);
  }
  if (auto declared = dyn_cast<RankedTensorType>(getResult().getType());
      atMost && declared && declared.getRank() == static_cast<int64_t>(shape.size()) &&
      isStatic(declared.getDimSize(*axis)) &&
      declared.getDimSize(*axis) > *atMost) // C30
    return emitOpError() << "declares " << declared.getDimSize(*axis)
                         << " entries along axis " << *axis
                         << ", but its bounds give at most " << *atMost;
  inferred.push_back(RankedTensorType::get(shape, element));
  return success();
}

//===----------------------------------------------------------------------===//
// Lists
//===----------------------------------------------------------------------===//

LogicalResult ListAppendOp::verify() {
  Type element = cast<ListType>(getList().getType()).getElementType();
  if (!areCompatible(element, getValue().getType())) // C37
    return emitOpError() << "appends a value of type " << getValue().getType()
                         << " to a list of " << element;
  return success();
}

LogicalResult ListConcatOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type element = cast<ListType>(getList().getType()).getElementType();
  auto type = inferConcat({element}, getAxis(), /*countKnown=*/false,
                          [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

LogicalResult ListStackOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  TensorType element = cast<ListType>(getList().getType()).getElementType();
  if (!element.hasRank()) {
    inferred.push_back(UnrankedTensorType::get(element.getElementType()));
    return success();
  }
  auto axis = normalizeAxis(getAxis(), element.getRank() + 1);
  if (!axis) // C39
    return emitOpError() << "axis " << getAxis()
                         << " is out of range for stacking elements of type "
                         << element;
  SmallVector<int64_t> shape(element.getShape());
  shape.insert(shape.begin() + *axis, ShapedType::kDynamic);
  inferred.push_back(RankedTensorType::get(shape, element.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Embedding and Dot (C140-C143)
//===----------------------------------------------------------------------===//

FailureOr<Type> rules::inferEmbedding(Type ids, Type table,
                                      EmitErrorFn emitError) {
  Type idElement = elementTypeOf(ids);
  if (!isa<FloatType>(idElement) &&
      (!idElement.isSignlessInteger() || idElement.isInteger(1))) // C141
    return emitError() << "ids must be integers or floating-point values "
                          "holding integers, got "
                       << ids;
  Type element = elementTypeOf(table);
  if (!isa<FloatType>(element) && !element.isInteger(1) &&
      !element.isInteger(32) && !element.isInteger(64)) // C141
    return emitError() << "embeddings must hold floats, i32, i64 or i1 "
                          "values (tf.gather's params), got "
                       << table;
  auto rows = shapeOf(table);
  int64_t width = ShapedType::kDynamic;
  if (rows) {
    if (rows->size() != 2) // C141
      return emitError() << "embeddings must be 2-D (input_dim x "
                            "output_dim), got "
                         << table;
    width = (*rows)[1];
  }
  auto in = shapeOf(ids);
  if (!in)
    return Type(UnrankedTensorType::get(element));
  SmallVector<int64_t> shape(*in);
  shape.push_back(width);
  return Type(RankedTensorType::get(shape, element));
}

LogicalResult EmbeddingOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto type = rules::inferEmbedding(getIds().getType(),
                                    getEmbeddings().getType(),
                                    [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

FailureOr<Type> rules::inferBatchDot(Type lhs, Type rhs,
                                     ArrayRef<int64_t> axes,
                                     EmitErrorFn emitError) {
  Type element = elementTypeOf(lhs);
  if (elementTypeOf(rhs) != element) // C143
    return emitError() << "operands have element types " << element << " and "
                       << elementTypeOf(rhs);
  if (axes.size() != 2) // C143
    return emitError() << "axes must hold two axes (one per operand), got "
                       << axes.size();
  auto x = shapeOf(lhs), y = shapeOf(rhs);
  if (!x || !y)
    return Type(UnrankedTensorType::get(element));
  SmallVector<int64_t> shape = {x->front()};
  int64_t along[2];
  ArrayRef<int64_t> operands[2] = {*x, *y};
  for (auto [i, operand] : llvm::enumerate(operands)) {
    if (operand.size() < 2) // C143
      return emitError() << "operand #" << i
                         << " must have a batch axis and at least one more "
                            "(rank >= 2), got rank "
                         << operand.size();
    auto axis = normalizeAxis(axes[i], operand.size());
    if (!axis || *axis == 0) // C143
      return emitError() << "axis " << axes[i] << " of operand #" << i
                         << " must be one of its axes 1.." << operand.size() - 1
                         << " (not the batch axis 0)";
    along[i] = *axis;
  }
  if (isStatic((*x)[0]) && isStatic((*y)[0]) && (*x)[0] != (*y)[0]) // C143
    return emitError() << "operands have batch sizes " << (*x)[0] << " and "
                       << (*y)[0];
  if (!isStatic(shape[0]))
    shape[0] = (*y)[0];
  int64_t a = (*x)[along[0]], c = (*y)[along[1]];
  if (isStatic(a) && isStatic(c) && a != c) // C143
    return emitError() << "operand #0 has size " << a << " along axis "
                       << along[0] << " but operand #1 has " << c
                       << " along axis " << along[1];
  for (auto [i, operand] : llvm::enumerate(operands))
    for (auto [d, size] : llvm::enumerate(operand))
      if (d != 0 && int64_t(d) != along[i])
        shape.push_back(size);
  if (shape.size() == 1)
    shape.push_back(1); // two 2-D operands: Keras expands to N x 1
  return Type(RankedTensorType::get(shape, element));
}

LogicalResult BatchDotOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto type = rules::inferBatchDot(getLhs().getType(), getRhs().getType(),
                                   getAxes(), [&] { return emitOpError(); });
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}
