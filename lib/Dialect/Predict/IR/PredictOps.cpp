//===- PredictOps.cpp - models, methods, layers, calls, loops -------------===//
//
// The structural ops of the predict dialect. Shape rules of the tensor
// computations are in TensorOps.cpp. Constraint numbers refer to
// docs/Dialect.md.
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "ShapeRules.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionImplementation.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::predict;

#include "predict/Dialect/Predict/IR/PredictInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "predict/Dialect/Predict/IR/PredictOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shape inference interface
//===----------------------------------------------------------------------===//

LogicalResult predict::detail::verifyInferredResultTypes(Operation *op) {
  SmallVector<Type> inferred;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(inferred)))
    return failure();
  for (auto [index, result, type] :
       llvm::enumerate(op->getResultTypes(), inferred)) {
    if (!areCompatible(result, type)) // C34
      return op->emitOpError()
             << "result #" << index << " has type " << result
             << ", incompatible with the type " << type
             << " that its operands imply";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Symbol resolution
//===----------------------------------------------------------------------===//

/// Resolves `ref` as Python resolves the names a method uses: in the method's
/// own model first (`self.dense1`, `self.helper`, `self.encoder`), then at
/// module level (a global `model`). Models that merely enclose the method's
/// model are skipped, as Python skips enclosing class scopes.
static Operation *lookupOutward(Operation *from, SymbolRefAttr ref,
                                SymbolTableCollection *tables = nullptr) {
  auto lookupIn = [&](Operation *scope) {
    return tables ? tables->lookupSymbolIn(scope, ref)
                  : SymbolTable::lookupSymbolIn(scope, ref);
  };
  // The nearest builtin.module, not the outermost symbol table: while a
  // parsed file is verified, an explicit `module {}` sits inside the parser's
  // implicit one.
  Operation *module = from->getParentOfType<ModuleOp>();
  Operation *own = SymbolTable::getNearestSymbolTable(from->getParentOp());
  if (!own)
    return nullptr;
  if (Operation *found = lookupIn(own))
    return found;
  return module && module != own ? lookupIn(module) : nullptr;
}

//===----------------------------------------------------------------------===//
// ModelOp
//===----------------------------------------------------------------------===//

MethodOp ModelOp::lookupMethod(StringRef name) {
  return dyn_cast_or_null<MethodOp>(::mlir::SymbolTable::lookupSymbolIn(
      getOperation(), StringAttr::get(getContext(), name)));
}

LogicalResult ModelOp::verify() {
  for (Operation &op : getBody().front()) {
    if (isa<LayerOpInterface, MethodOp, ModelOp>(op))
      continue;
    // C1: a model holds layers, methods and sub-models only.
    InFlightDiagnostic diag =
        emitOpError() << "may only hold layers, methods and models, but holds '"
                      << op.getName() << "'; computations belong in a method";
    diag.attachNote(op.getLoc()) << "the misplaced op";
    return diag;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// MethodOp
//===----------------------------------------------------------------------===//

void MethodOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                     FunctionType type) {
  state.addAttribute(SymbolTable::getSymbolAttrName(),
                     builder.getStringAttr(name));
  state.addAttribute(getFunctionTypeAttrName(state.name), TypeAttr::get(type));
  state.addRegion();
}

ModelOp MethodOp::getModel() { return (*this)->getParentOfType<ModelOp>(); }

ParseResult MethodOp::parse(OpAsmParser &parser, OperationState &result) {
  auto buildFuncType = [](Builder &builder, ArrayRef<Type> argTypes,
                          ArrayRef<Type> results,
                          function_interface_impl::VariadicFlag,
                          std::string &) {
    return builder.getFunctionType(argTypes, results);
  };
  return function_interface_impl::parseFunctionOp(
      parser, result, /*allowVariadic=*/false,
      getFunctionTypeAttrName(result.name), buildFuncType,
      getArgAttrsAttrName(result.name), getResAttrsAttrName(result.name));
}

void MethodOp::print(OpAsmPrinter &p) {
  function_interface_impl::printFunctionOp(
      p, *this, /*isVariadic=*/false, getFunctionTypeAttrName(),
      getArgAttrsAttrName(), getResAttrsAttrName());
}

LogicalResult ReturnOp::verify() {
  auto method = (*this)->getParentOfType<MethodOp>();
  ArrayRef<Type> results = method.getResultTypes();
  if (getOperands().size() != results.size()) // C4
    return emitOpError() << "returns " << getOperands().size()
                         << " values but method '@" << method.getSymName()
                         << "' has " << results.size() << " results";
  for (auto [index, value, type] : llvm::enumerate(getOperands(), results)) {
    if (!areCompatible(value.getType(), type)) // C4
      return emitOpError() << "returns value #" << index << " of type "
                           << value.getType() << " from method '@"
                           << method.getSymName() << "' declared to return "
                           << type;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

/// A weight must hold floating-point values.
static LogicalResult checkWeight(Operation *op, StringRef name,
                                 ElementsAttr weight) {
  if (!weight)
    return success();
  if (!isa<FloatType>(weight.getShapedType().getElementType()))
    return op->emitOpError() << "weight '" << name
                             << "' must hold floating-point values, got "
                             << weight.getShapedType();
  return success();
}

int64_t DenseLayerOp::getUnits() {
  return getKernel().getShapedType().getDimSize(1);
}

LogicalResult DenseLayerOp::verify() {
  if (failed(checkWeight(*this, "kernel", getKernel())) ||
      failed(checkWeight(*this, "bias", getBiasAttr())))
    return failure();
  auto kernel = getKernel().getShapedType();
  if (kernel.getRank() != 2) // C5
    return emitOpError() << "kernel must be 2-D (inputs x units), got "
                         << kernel;
  if (auto bias = getBiasAttr()) {
    auto type = bias.getShapedType();
    if (type.getRank() != 1 || type.getDimSize(0) != kernel.getDimSize(1)) // C6
      return emitOpError() << "bias must have " << kernel.getDimSize(1)
                           << " elements (the kernel's units), got " << type;
    if (type.getElementType() != kernel.getElementType())
      return emitOpError() << "bias element type " << type.getElementType()
                           << " differs from the kernel's "
                           << kernel.getElementType();
  }
  return success();
}

FailureOr<Type>
DenseLayerOp::inferApplyType(Type input,
                             function_ref<InFlightDiagnostic()> emitError) {
  Type bias = getBiasAttr() ? Type(getBiasAttr().getShapedType()) : Type();
  return rules::inferDense(input, getKernel().getShapedType(), bias, [&] {
    return emitError() << "layer '@" << getSymName() << "': ";
  });
}

/// A weight as a constant of the computation, or null when absent.
static Value buildWeight(OpBuilder &builder, Location loc, ElementsAttr weight) {
  if (!weight)
    return {};
  return ConstantOp::create(builder, loc, weight);
}

Value DenseLayerOp::buildApply(OpBuilder &builder, Location loc, Value input,
                               Type resultType) {
  return DenseOp::create(builder, loc, resultType, input,
                         buildWeight(builder, loc, getKernel()),
                         buildWeight(builder, loc, getBiasAttr()),
                         getActivation());
}

/// The parameters of a BatchNormalization layer with their names.
static void batchNormParams(BatchNormLayerOp op, SmallVectorImpl<Type> &types,
                            SmallVectorImpl<StringRef> &names) {
  auto add = [&](ElementsAttr attr, StringRef name) {
    if (!attr)
      return;
    types.push_back(attr.getShapedType());
    names.push_back(name);
  };
  add(op.getMovingMean(), "mean");
  add(op.getMovingVariance(), "variance");
  add(op.getGammaAttr(), "gamma");
  add(op.getBetaAttr(), "beta");
}

LogicalResult BatchNormLayerOp::verify() {
  SmallVector<Type> types;
  SmallVector<StringRef> names;
  batchNormParams(*this, types, names);
  int64_t size = cast<ShapedType>(types.front()).getNumElements();
  for (auto [type, name] : llvm::zip_equal(types, names)) {
    auto shaped = cast<ShapedType>(type);
    if (!isa<FloatType>(shaped.getElementType()))
      return emitOpError() << "weight '" << name
                           << "' must hold floating-point values, got "
                           << shaped;
    if (shaped.getRank() != 1 || shaped.getDimSize(0) != size) // C7
      return emitOpError() << "'" << name << "' must be 1-D with " << size
                           << " elements like 'mean', got " << shaped;
  }
  if (getEpsilon().convertToDouble() < 0.0)
    return emitOpError() << "epsilon must not be negative";
  return success();
}

FailureOr<Type>
BatchNormLayerOp::inferApplyType(Type input,
                                 function_ref<InFlightDiagnostic()> emitError) {
  SmallVector<Type> types;
  SmallVector<StringRef> names;
  batchNormParams(*this, types, names);
  return rules::inferBatchNorm(input, types, names, getAxis(), [&] {
    return emitError() << "layer '@" << getSymName() << "': ";
  });
}

Value BatchNormLayerOp::buildApply(OpBuilder &builder, Location loc,
                                   Value input, Type resultType) {
  return BatchNormOp::create(builder, loc, resultType, input,
                             buildWeight(builder, loc, getMovingMean()),
                             buildWeight(builder, loc, getMovingVariance()),
                             buildWeight(builder, loc, getGammaAttr()),
                             buildWeight(builder, loc, getBetaAttr()),
                             getEpsilonAttr(), getAxisAttr());
}

LogicalResult NormalizationLayerOp::verify() {
  if (failed(checkWeight(*this, "mean", getMean())) ||
      failed(checkWeight(*this, "variance", getVariance())))
    return failure();
  if (getMean().getShapedType() != getVariance().getShapedType()) // C8
    return emitOpError() << "mean " << getMean().getShapedType()
                         << " and variance " << getVariance().getShapedType()
                         << " must have the same type";
  return success();
}

FailureOr<Type> NormalizationLayerOp::inferApplyType(
    Type input, function_ref<InFlightDiagnostic()> emitError) {
  return rules::inferNormalization(
      input, getMean().getShapedType(), getVariance().getShapedType(),
      [&] { return emitError() << "layer '@" << getSymName() << "': "; });
}

Value NormalizationLayerOp::buildApply(OpBuilder &builder, Location loc,
                                       Value input, Type resultType) {
  return NormalizationOp::create(builder, loc, resultType, input,
                                 buildWeight(builder, loc, getMean()),
                                 buildWeight(builder, loc, getVariance()),
                                 getEpsilonAttr());
}

LogicalResult PReluLayerOp::verify() {
  return checkWeight(*this, "alpha", getAlpha());
}

FailureOr<Type>
PReluLayerOp::inferApplyType(Type input,
                             function_ref<InFlightDiagnostic()> emitError) {
  return rules::inferPRelu(input, getAlpha().getShapedType(), [&] {
    return emitError() << "layer '@" << getSymName() << "': ";
  });
}

Value PReluLayerOp::buildApply(OpBuilder &builder, Location loc, Value input,
                               Type resultType) {
  return PReluOp::create(builder, loc, resultType, input,
                         buildWeight(builder, loc, getAlpha()));
}

LogicalResult GroupNormLayerOp::verify() {
  if (failed(checkWeight(*this, "gamma", getGammaAttr())) ||
      failed(checkWeight(*this, "beta", getBetaAttr())))
    return failure();
  if (getGroups() <= 0) // C163
    return emitOpError() << "groups " << getGroups() << " must be positive";
  if (getEpsilon().convertToDouble() < 0.0) // C163
    return emitOpError() << "epsilon must not be negative";
  ElementsAttr gamma = getGammaAttr(), beta = getBetaAttr();
  if (gamma && beta &&
      gamma.getShapedType() != beta.getShapedType()) // C162
    return emitOpError() << "gamma " << gamma.getShapedType() << " and beta "
                         << beta.getShapedType() << " must have one type";
  for (ElementsAttr param : {gamma, beta}) {
    if (!param)
      continue;
    ArrayRef<int64_t> shape = param.getShapedType().getShape();
    if (shape.empty() ||
        llvm::any_of(shape.drop_front(), [](int64_t d) { return d != 1; }))
      return emitOpError() << "gamma and beta must have the shape C x 1 x "
                              "... x 1, got "
                           << param.getShapedType(); // C162
    if (shape.front() % getGroups() != 0) // C163
      return emitOpError() << "groups " << getGroups()
                           << " must divide the " << shape.front()
                           << " channels";
  }
  return success();
}

FailureOr<Type> GroupNormLayerOp::inferApplyType(
    Type input, function_ref<InFlightDiagnostic()> emitError) {
  auto error = [&] {
    return emitError() << "layer '@" << getSymName() << "': ";
  };
  auto type = dyn_cast<RankedTensorType>(input);
  if (!type)
    return input;
  int64_t rank = type.getRank();
  auto axis = normalizeAxis(getAxis(), rank);
  if (!axis || *axis == 0) // C163
    return error() << "axis " << getAxis() << " is not a non-batch axis of "
                   << input;
  int64_t channels = type.getDimSize(*axis);
  if (ShapedType::isDynamic(channels))
    return error() << "needs a known number of channels on axis "
                   << getAxis() << " of " << input;
  if (channels % getGroups() != 0) // C163
    return error() << "groups " << getGroups() << " must divide the "
                   << channels << " channels of " << input;
  for (ElementsAttr param : {getGammaAttr(), getBetaAttr()}) {
    if (!param)
      continue;
    ShapedType p = param.getShapedType();
    if (p.getDimSize(0) != channels || p.getRank() != rank - *axis) // C162
      return error() << "gamma and beta of type " << p
                     << " do not broadcast along axis " << getAxis()
                     << " of " << input;
  }
  if (llvm::count_if(type.getShape().drop_front(), ShapedType::isDynamic) > 1)
    return error() << "needs known sizes off the batch axis but one, got "
                   << input;
  return input;
}

/// A `predict.reshape` shape for the non-batch sizes of `shape`: -1 for
/// the (at most one) dynamic size.
static DenseI64ArrayAttr reshapeTarget(Builder &b, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> sizes;
  for (int64_t d : shape.drop_front())
    sizes.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return b.getDenseI64ArrayAttr(sizes);
}

Value GroupNormLayerOp::buildApply(OpBuilder &builder, Location loc,
                                   Value input, Type resultType) {
  auto type = cast<RankedTensorType>(resultType);
  int64_t rank = type.getRank();
  int64_t axis = *normalizeAxis(getAxis(), rank); // inferApplyType checked
  int64_t groups = getGroups();
  SmallVector<int64_t> grouped(type.getShape());
  grouped[axis] /= groups;
  grouped.insert(grouped.begin() + axis, groups);
  auto groupedType = RankedTensorType::get(grouped, type.getElementType());
  Value x = ReshapeOp::create(builder, loc, groupedType, input,
                              reshapeTarget(builder, grouped));
  SmallVector<int64_t> axes;
  for (int64_t d = 1; d <= rank; ++d)
    if (d != axis)
      axes.push_back(d);
  x = LayerNormOp::create(builder, loc, groupedType, x, Value(), Value(),
                          getEpsilonAttr(), builder.getDenseI64ArrayAttr(axes));
  x = ReshapeOp::create(builder, loc, type, x,
                        reshapeTarget(builder, type.getShape()));
  if (ElementsAttr gamma = getGammaAttr())
    x = MulOp::create(builder, loc, type, x, buildWeight(builder, loc, gamma));
  if (ElementsAttr beta = getBetaAttr())
    x = AddOp::create(builder, loc, type,
                      ValueRange{x, buildWeight(builder, loc, beta)});
  return x;
}

/// The parameters of a LayerNormalization layer with their names.
static void layerNormParams(LayerNormLayerOp op, SmallVectorImpl<Type> &types,
                            SmallVectorImpl<StringRef> &names) {
  for (auto [attr, name] : {std::pair{op.getGammaAttr(), StringRef("gamma")},
                            std::pair{op.getBetaAttr(), StringRef("beta")}}) {
    if (!attr)
      continue;
    types.push_back(attr.getShapedType());
    names.push_back(name);
  }
}

LogicalResult LayerNormLayerOp::verify() {
  if (failed(checkWeight(*this, "gamma", getGammaAttr())) ||
      failed(checkWeight(*this, "beta", getBetaAttr())))
    return failure();
  if (getGammaAttr() && getBetaAttr() &&
      getGammaAttr().getShapedType().getShape() !=
          getBetaAttr().getShapedType().getShape()) // C41
    return emitOpError() << "gamma " << getGammaAttr().getShapedType()
                         << " and beta " << getBetaAttr().getShapedType()
                         << " must have the same shape";
  if (getEpsilon().convertToDouble() < 0.0)
    return emitOpError() << "epsilon must not be negative";
  ArrayRef<int64_t> axes = getAxes();
  if (axes.empty())
    return emitOpError() << "axes must not be empty";
  for (auto [i, axis] : llvm::enumerate(axes))
    if (llvm::is_contained(axes.take_front(i), axis)) // C42
      return emitOpError() << "axis " << axis << " is listed twice in axes";
  return success();
}

FailureOr<Type> LayerNormLayerOp::inferApplyType(
    Type input, function_ref<InFlightDiagnostic()> emitError) {
  SmallVector<Type> types;
  SmallVector<StringRef> names;
  layerNormParams(*this, types, names);
  return rules::inferLayerNorm(input, types, names, getAxes(), [&] {
    return emitError() << "layer '@" << getSymName() << "': ";
  });
}

Value LayerNormLayerOp::buildApply(OpBuilder &builder, Location loc,
                                   Value input, Type resultType) {
  return LayerNormOp::create(builder, loc, resultType, input,
                             buildWeight(builder, loc, getGammaAttr()),
                             buildWeight(builder, loc, getBetaAttr()),
                             getEpsilonAttr(), getAxesAttr());
}

//===----------------------------------------------------------------------===//
// EmbeddingLayerOp
//===----------------------------------------------------------------------===//

int64_t EmbeddingLayerOp::getInputDim() {
  return getEmbeddings().getShapedType().getDimSize(0);
}

LogicalResult EmbeddingLayerOp::verify() {
  if (failed(checkWeight(*this, "embeddings", getEmbeddings())))
    return failure();
  auto table = getEmbeddings().getShapedType();
  if (table.getRank() != 2 || table.getDimSize(0) < 1) // C140
    return emitOpError() << "embeddings must be 2-D (input_dim x output_dim) "
                            "with at least one row, got "
                         << table;
  return success();
}

FailureOr<Type> EmbeddingLayerOp::inferApplyType(
    Type input, function_ref<InFlightDiagnostic()> emitError) {
  return rules::inferEmbedding(input, getEmbeddings().getShapedType(), [&] {
    return emitError() << "layer '@" << getSymName() << "': ";
  });
}

Value EmbeddingLayerOp::buildApply(OpBuilder &builder, Location loc,
                                   Value input, Type resultType) {
  return EmbeddingOp::create(builder, loc, resultType, input,
                             buildWeight(builder, loc, getEmbeddings()));
}

//===----------------------------------------------------------------------===//
// ApplyOp
//===----------------------------------------------------------------------===//

LogicalResult ApplyOp::verifySymbolUses(SymbolTableCollection &tables) {
  Operation *layer = lookupOutward(*this, getLayer(), &tables);
  if (!layer) // C9
    return emitOpError() << "applies '" << getLayer()
                         << "', which is not declared in the model or at "
                            "module level";
  if (!isa<LayerOpInterface>(layer)) // C9
    return emitOpError() << "applies '" << getLayer() << "', which is a '"
                         << layer->getName() << "', not a layer";
  return success();
}

LayerOpInterface ApplyOp::resolveLayer() {
  return dyn_cast_or_null<LayerOpInterface>(lookupOutward(*this, getLayer()));
}

LogicalResult ApplyOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  LayerOpInterface layer = resolveLayer();
  if (!layer) {
    // Reported by verifySymbolUses; nothing is known of the result.
    inferred.push_back(getResult().getType());
    return success();
  }
  // C10: only an Embedding takes integers (its ids); every other layer
  // computes on floating-point values.
  if (!isa<FloatType>(getElementTypeOrSelf(getInput().getType())) &&
      !isa<EmbeddingLayerOp>(layer.getOperation()))
    return emitOpError() << "applies layer '" << getLayer()
                         << "' to a tensor of "
                         << getElementTypeOrSelf(getInput().getType())
                         << ": only an Embedding takes integer ids";
  auto type = layer.inferApplyType(getInput().getType(),
                                   [&] { return emitOpError(); }); // C10
  if (failed(type))
    return failure();
  inferred.push_back(*type);
  return success();
}

//===----------------------------------------------------------------------===//
// Method calls
//===----------------------------------------------------------------------===//

/// Resolves `ref` to a model, or null.
static ModelOp resolveModel(Operation *call, SymbolRefAttr ref,
                            SymbolTableCollection *tables = nullptr) {
  return dyn_cast_or_null<ModelOp>(lookupOutward(call, ref, tables));
}

MethodOp ModelCallOp::resolveMethod() {
  ModelOp model = resolveModel(*this, getCallee());
  return model ? model.lookupMethod("call") : MethodOp();
}

/// The method `model.predict(x)` runs, as Keras's Model.predict chooses it:
/// the model's own `predict`; else its `predict_step`, which Keras's predict
/// calls on each batch; else `call`, which Keras's own predict_step runs
/// (keras.Model.predict, predict_step). Null when it has none of them.
static MethodOp predictMethod(ModelOp model) {
  for (llvm::StringRef name : {"predict", "predict_step", "call"})
    if (MethodOp method = model.lookupMethod(name))
      return method;
  return {};
}

MethodOp ModelPredictOp::resolveMethod() {
  ModelOp model = resolveModel(*this, getCallee());
  return model ? predictMethod(model) : MethodOp();
}

MethodOp MethodCallOp::resolveMethod() {
  return dyn_cast_or_null<MethodOp>(lookupOutward(*this, getCallee()));
}

/// C14, C15: the call's operands and results fit the callee's signature.
static LogicalResult verifyCallSignature(Operation *call, MethodOp method,
                                         SymbolRefAttr callee) {
  FunctionType type = method.getFunctionType();
  std::string name;
  llvm::raw_string_ostream os(name);
  os << callee;
  if (method.getSymName() != callee.getLeafReference().getValue())
    os << "::@" << method.getSymName();
  if (call->getNumOperands() != type.getNumInputs())
    return call->emitOpError()
           << "passes " << call->getNumOperands() << " arguments but '"
           << name << "' takes " << type.getNumInputs();
  for (auto [index, arg, param] :
       llvm::enumerate(call->getOperandTypes(), type.getInputs())) {
    if (!areCompatible(arg, param))
      return call->emitOpError()
             << "argument #" << index << " of type " << arg
             << " does not fit parameter type " << param << " of '" << name
             << "'";
  }
  if (call->getNumResults() != type.getNumResults())
    return call->emitOpError()
           << "expects " << call->getNumResults() << " results but '" << name
           << "' returns " << type.getNumResults();
  for (auto [index, result, declared] :
       llvm::enumerate(call->getResultTypes(), type.getResults())) {
    if (!areCompatible(result, declared))
      return call->emitOpError()
             << "result #" << index << " of type " << result
             << " does not fit the type " << declared << " that '" << name
             << "' returns";
  }
  return success();
}

/// Result types of a call: the meet of its declared types and the callee's.
static void inferCallResults(Operation *call, MethodOp method,
                             SmallVectorImpl<Type> &inferred) {
  for (auto [index, result] : llvm::enumerate(call->getResultTypes())) {
    Type refined;
    if (method && method.getNumResults() == call->getNumResults())
      refined = meetTypes(result, method.getResultTypes()[index]);
    inferred.push_back(refined ? refined : result);
  }
}

LogicalResult ModelCallOp::verifySymbolUses(SymbolTableCollection &tables) {
  ModelOp model = resolveModel(*this, getCallee(), &tables);
  if (!model) // C11
    return emitOpError() << "calls '" << getCallee()
                         << "', which does not name a model";
  MethodOp method = model.lookupMethod("call");
  if (!method) // C11
    return emitOpError() << "calls model '" << getCallee()
                         << "', which has no 'call' method";
  return verifyCallSignature(*this, method, getCallee());
}

LogicalResult ModelCallOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferCallResults(*this, resolveMethod(), inferred);
  return success();
}

LogicalResult ModelPredictOp::verifySymbolUses(SymbolTableCollection &tables) {
  ModelOp model = resolveModel(*this, getCallee(), &tables);
  if (!model) // C12
    return emitOpError() << "calls '" << getCallee()
                         << "', which does not name a model";
  MethodOp method = predictMethod(model);
  if (!method) // C12
    return emitOpError() << "calls predict of model '" << getCallee()
                         << "', which has no 'predict', 'predict_step' or "
                            "'call' method";
  return verifyCallSignature(*this, method, getCallee());
}

LogicalResult
ModelPredictOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferCallResults(*this, resolveMethod(), inferred);
  return success();
}

LogicalResult ModelPredictOp::canonicalize(ModelPredictOp op,
                                           PatternRewriter &rewriter) {
  // Keras's Model.predict on a model that overrides neither predict nor
  // predict_step runs `call` on the whole input: in a graph, model(x).
  ModelOp model = resolveModel(op, op.getCallee());
  MethodOp method = model ? predictMethod(model) : MethodOp();
  if (!method || method.getSymName() != "call")
    return rewriter.notifyMatchFailure(
        op, "model overrides predict or predict_step");
  rewriter.replaceOpWithNewOp<ModelCallOp>(op, op.getResultTypes(),
                                           op.getCallee(), op.getArgs());
  return success();
}

LogicalResult MethodCallOp::verifySymbolUses(SymbolTableCollection &tables) {
  Operation *callee = lookupOutward(*this, getCallee(), &tables);
  auto method = dyn_cast_or_null<MethodOp>(callee);
  if (!method) // C13
    return emitOpError() << "calls '" << getCallee() << "', which "
                         << (callee ? "is not a method" : "is not declared");
  return verifyCallSignature(*this, method, getCallee());
}

LogicalResult MethodCallOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferCallResults(*this, resolveMethod(), inferred);
  return success();
}

//===----------------------------------------------------------------------===//
// ForeignCallOp
//===----------------------------------------------------------------------===//

/// A Python identifier (PEP 3131): ASCII letters, digits and `_`, not
/// starting with a digit, or any non-ASCII character (UTF-8 bytes >= 0x80;
/// Python has checked which of those are letters when it read the source).
static bool isPythonIdentifier(StringRef name) {
  auto isNonAscii = [](char c) { return static_cast<unsigned char>(c) >= 0x80; };
  if (name.empty() ||
      !(llvm::isAlpha(name[0]) || name[0] == '_' || isNonAscii(name[0])))
    return false;
  return llvm::all_of(name, [&](char c) {
    return llvm::isAlnum(c) || c == '_' || isNonAscii(c);
  });
}

LogicalResult ForeignCallOp::verify() {
  SmallVector<StringRef> parts;
  getCallee().split(parts, '.');
  if (!llvm::all_of(parts, isPythonIdentifier)) // C40
    return emitOpError() << "callee '" << getCallee()
                         << "' is not a dotted Python name such as "
                            "'scipy.signal.convolve'";
  if (auto kwargs = getKwargs()) {
    for (NamedAttribute kwarg : *kwargs) {
      if (!isPythonIdentifier(kwarg.getName().getValue())) // C40
        return emitOpError() << "keyword argument '" << kwarg.getName().getValue()
                             << "' is not a Python identifier";
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ForOp
//===----------------------------------------------------------------------===//

void ForOp::build(OpBuilder &builder, OperationState &state, Value start,
                  Value stop, Value step, ValueRange initArgs) {
  state.addOperands({start, stop, step});
  state.addOperands(initArgs);
  state.addTypes(initArgs.getTypes());
  Region *body = state.addRegion();
  // createBlock moves the insertion point into the body: the loop itself
  // goes where the caller's builder was.
  OpBuilder::InsertionGuard guard(builder);
  Block *block = builder.createBlock(body);
  block->addArgument(builder.getIndexType(), state.location);
  for (Value init : initArgs)
    block->addArgument(init.getType(), state.location);
  if (initArgs.empty())
    ForOp::ensureTerminator(*body, builder, state.location);
}

ParseResult ForOp::parse(OpAsmParser &parser, OperationState &result) {
  OpBuilder builder(parser.getContext());
  Type index = builder.getIndexType();
  OpAsmParser::Argument inductionVar;
  OpAsmParser::UnresolvedOperand start, stop, step;
  if (parser.parseArgument(inductionVar) || parser.parseEqual() ||
      parser.parseOperand(start) || parser.parseKeyword("to") ||
      parser.parseOperand(stop) || parser.parseKeyword("step") ||
      parser.parseOperand(step))
    return failure();
  inductionVar.type = index;

  SmallVector<OpAsmParser::Argument> regionArgs{inductionVar};
  SmallVector<OpAsmParser::UnresolvedOperand> inits;
  if (succeeded(parser.parseOptionalKeyword("iter_args"))) {
    if (parser.parseAssignmentList(regionArgs, inits) ||
        parser.parseArrowTypeList(result.types))
      return failure();
  }
  if (regionArgs.size() != result.types.size() + 1)
    return parser.emitError(parser.getNameLoc())
           << "has " << regionArgs.size() - 1 << " iter_args but "
           << result.types.size() << " result types";
  for (auto [arg, type] : llvm::zip(llvm::drop_begin(regionArgs), result.types))
    arg.type = type;

  if (parser.resolveOperand(start, index, result.operands) ||
      parser.resolveOperand(stop, index, result.operands) ||
      parser.resolveOperand(step, index, result.operands) ||
      parser.resolveOperands(inits, result.types, parser.getNameLoc(),
                             result.operands))
    return failure();

  Region *body = result.addRegion();
  if (parser.parseRegion(*body, regionArgs))
    return failure();
  ForOp::ensureTerminator(*body, builder, result.location);
  return parser.parseOptionalAttrDict(result.attributes);
}

void ForOp::print(OpAsmPrinter &p) {
  p << " " << getInductionVar() << " = " << getStart() << " to " << getStop()
    << " step " << getStep();
  if (!getInitArgs().empty()) {
    p << " iter_args(";
    llvm::interleaveComma(llvm::zip(getRegionIterArgs(), getInitArgs()), p,
                          [&](auto pair) {
                            p << std::get<0>(pair) << " = " << std::get<1>(pair);
                          });
    p << ") -> (" << getResultTypes() << ")";
  }
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/!getInitArgs().empty());
  p.printOptionalAttrDict((*this)->getAttrs());
}

LogicalResult ForOp::verify() {
  APInt step;
  if (matchPattern(getStep(), m_ConstantInt(&step)) && step.isZero()) // C35
    return emitOpError() << "has step 0; Python's range() rejects it";
  Block *body = getBodyBlock();
  if (body->getNumArguments() != getInitArgs().size() + 1 ||
      !body->getArgument(0).getType().isIndex()) // C36
    return emitOpError() << "body must take the index induction variable and "
                            "one argument per iter_arg";
  auto yield = cast<YieldOp>(body->getTerminator());
  if (yield.getValues().size() != getInitArgs().size()) // C36
    return emitOpError() << "body yields " << yield.getValues().size()
                         << " values but the loop carries "
                         << getInitArgs().size();
  for (auto [index, init, arg, yielded, result] :
       llvm::enumerate(getInitArgs().getTypes(),
                       ValueRange(getRegionIterArgs()).getTypes(),
                       yield.getValues().getTypes(), getResultTypes())) {
    if (init != arg || init != yielded || init != result) // C36
      return emitOpError() << "iter_arg #" << index << " has initial type "
                           << init << ", body argument type " << arg
                           << ", yielded type " << yielded
                           << " and result type " << result
                           << "; all four must be equal";
  }
  return success();
}

std::optional<int64_t> ForOp::getConstantTripCount() {
  APInt start, stop, step;
  if (!matchPattern(getStart(), m_ConstantInt(&start)) ||
      !matchPattern(getStop(), m_ConstantInt(&stop)) ||
      !matchPattern(getStep(), m_ConstantInt(&step)) || step.isZero())
    return std::nullopt;
  int64_t lo = start.getSExtValue(), hi = stop.getSExtValue(),
          st = step.getSExtValue();
  // Python's len(range(lo, hi, st)): 1 + (distance - 1) / stride, the
  // distance (up to 2**64 - 1) and the stride unsigned, so no 64-bit
  // difference wraps; a count beyond 2**63 - 1 is not given.
  bool ascending = st > 0;
  if (ascending ? hi <= lo : lo <= hi)
    return 0;
  uint64_t distance =
      ascending ? uint64_t(hi) - uint64_t(lo) : uint64_t(lo) - uint64_t(hi);
  uint64_t stride = ascending ? uint64_t(st) : 0 - uint64_t(st);
  uint64_t count = (distance - 1) / stride + 1;
  if (count > uint64_t(std::numeric_limits<int64_t>::max()))
    return std::nullopt;
  return int64_t(count);
}

namespace {
/// A loop that runs zero times leaves its carried values as they were.
struct RemoveZeroTripLoop : OpRewritePattern<ForOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ForOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getConstantTripCount() != 0)
      return rewriter.notifyMatchFailure(op, "trip count not known to be 0");
    rewriter.replaceOp(op, op.getInitArgs());
    return success();
  }
};

/// A list the loop carries that nothing reads after it (its join gone:
/// `m.predict(x)[1]` of a model of two outputs, helper-127): its appends
/// and the list go, so that the loop carries only what is read.
struct DropUnreadLists : OpRewritePattern<ForOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ForOp op,
                                PatternRewriter &rewriter) const override {
    Block *body = op.getBodyBlock();
    Operation *yield = body->getTerminator();
    llvm::BitVector drop(op.getNumResults());
    SmallVector<Operation *> appends;
    for (auto [k, result] : llvm::enumerate(op.getResults())) {
      if (!isa<ListType>(result.getType()) || !result.use_empty())
        continue;
      // The list's versions: the block argument, then each append to it in
      // the body, the last one yielded and read by nothing else.
      SmallVector<Operation *> chain;
      Value version = op.getRegionIterArgs()[k];
      bool unread = true;
      while (unread) {
        if (!version.hasOneUse()) {
          unread = false;
          break;
        }
        OpOperand &use = *version.getUses().begin();
        if (use.getOwner() == yield && use.getOperandNumber() == k)
          break;
        auto append = dyn_cast<ListAppendOp>(use.getOwner());
        unread =
            append && use.getOperandNumber() == 0 && append->getBlock() == body;
        if (unread) {
          chain.push_back(append);
          version = append.getResult();
        }
      }
      if (!unread)
        continue;
      drop.set(k);
      appends.append(chain.rbegin(), chain.rend());
    }
    if (drop.none())
      return rewriter.notifyMatchFailure(op, "every carried list is read");
    rewriter.modifyOpInPlace(yield, [&] { yield->eraseOperands(drop); });
    for (Operation *append : appends)
      rewriter.eraseOp(append);
    SmallVector<Value> inits;
    for (auto [k, init] : llvm::enumerate(op.getInitArgs()))
      if (!drop.test(k))
        inits.push_back(init);
    auto fresh = ForOp::create(rewriter, op.getLoc(), op.getStart(),
                               op.getStop(), op.getStep(), inits);
    Block *into = fresh.getBodyBlock();
    if (inits.empty())
      rewriter.eraseOp(into->getTerminator());
    SmallVector<Value> arguments{fresh.getInductionVar()};
    SmallVector<Value> results;
    unsigned next = 0;
    for (auto [k, init] : llvm::enumerate(op.getInitArgs())) {
      // A dropped list's argument has no use left: its initial value
      // stands in for it, and for its result, which nothing reads.
      Value kept = drop.test(k) ? init : fresh.getRegionIterArgs()[next];
      arguments.push_back(kept);
      results.push_back(drop.test(k) ? init : fresh.getResult(next));
      if (!drop.test(k))
        ++next;
    }
    rewriter.mergeBlocks(body, into, arguments);
    rewriter.replaceOp(op, results);
    return success();
  }
};
} // namespace

void ForOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<RemoveZeroTripLoop, DropUnreadLists>(context);
}

//===----------------------------------------------------------------------===//
// AssertOp
//===----------------------------------------------------------------------===//

LogicalResult AssertOp::canonicalize(AssertOp op, PatternRewriter &rewriter) {
  // A check that cannot fail is not emitted (no cost when sizes are static).
  if (matchPattern(op.getCondition(), m_One())) {
    rewriter.eraseOp(op);
    return success();
  }
  return failure();
}

LogicalResult AssertOp::verify() {
  // The runtime formats the message (docs/Runtime.md): a placeholder without
  // a value would print garbage, an open brace without one is a typo.
  StringRef message = getMessage();
  for (size_t i = 0; i < message.size(); ++i) {
    if (message[i] != '{')
      continue;
    if (i + 1 < message.size() && message[i + 1] == '{') {
      ++i;
      continue;
    }
    size_t close = message.find('}', i);
    unsigned index;
    if (close == StringRef::npos ||
        message.slice(i + 1, close).getAsInteger(10, index))
      return emitOpError("has a malformed placeholder in its message at "
                         "offset ")
             << i << " (write '{N}' for value N, '{{' for a brace)";
    if (index >= getValues().size())
      return emitOpError("message refers to value {")
             << index << "} but the op has " << getValues().size()
             << " value(s)";
    i = close;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// PrintOp
//===----------------------------------------------------------------------===//

LogicalResult PrintOp::verify() {
  // The runtime fills each `{}` with the next value (docs/Runtime.md).
  StringRef text = getFormat();
  size_t holes = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      ++i;
      continue;
    }
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '}') {
      ++holes;
      ++i;
      continue;
    }
    if (c == '{' || c == '}')
      return emitOpError("has a lone '")
             << c << "' in its format at offset " << i
             << " (write '{}' for a value, '{{' or '}}' for a brace)";
  }
  if (holes != getValues().size())
    return emitOpError("format has ") << holes << " '{}' but the op has "
                                      << getValues().size() << " value(s)";
  StringRef stream = getStream();
  if (stream != "stdout" && stream != "stderr" &&
      !(stream.starts_with("file://") && stream.size() > 7))
    return emitOpError("writes to '")
           << stream << "': expected stdout, stderr or file://<path>";
  for (Value value : getValues()) {
    Type element = cast<RankedTensorType>(value.getType()).getElementType();
    if (!element.isF32() && !element.isF64() && !element.isInteger(1) &&
        !element.isInteger(32) && !element.isInteger(64))
      return emitOpError("cannot print a tensor of ")
             << element << " (f32, f64, i1, i32 and i64 are printed)";
  }
  return success();
}
