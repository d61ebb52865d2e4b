//===- RecurrentOps.cpp - recurrent layers (LSTM, GRU, SimpleRNN) ---------===//
//
// predict.layer.recurrent and the computation it stands for,
// predict.recurrent: their one shape rule, used by both, and the layer's
// verifier. Constraint numbers (C200-C207) refer to docs/Dialect.md.
//
//===----------------------------------------------------------------------===//

#include "ShapeRules.h"
#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::predict;

int64_t rules::recurrentGates(RecurrentCell cell) {
  switch (cell) {
  case RecurrentCell::lstm:
    return 4;
  case RecurrentCell::gru:
    return 3;
  case RecurrentCell::simple_rnn:
    return 1;
  }
  llvm_unreachable("unknown recurrent cell");
}

FailureOr<int64_t> rules::checkRecurrentWeights(
    RecurrentCell cell, bool resetAfter, ActivationKind activation,
    ActivationKind recurrentActivation, Type kernel, Type recurrent, Type bias,
    EmitErrorFn emitError) {
  StringRef cellName = stringifyRecurrentCell(cell);
  int64_t gates = recurrentGates(cell);
  if (resetAfter && cell != RecurrentCell::gru) // C201
    return emitError() << "reset_after is a GRU's option, not a "
                       << cellName << "'s";
  for (auto [name, kind] : {std::pair{"activation", activation},
                            std::pair{"recurrent_activation",
                                      recurrentActivation}})
    if (isAlongAxis(kind)) // C202
      return emitError() << name << " " << stringifyActivationKind(kind)
                         << " is along an axis; a recurrent cell applies "
                            "elementwise activations";
  auto checkFloat = [&](StringRef name, Type type) -> LogicalResult {
    if (!isa<FloatType>(cast<ShapedType>(type).getElementType())) // C200
      return emitError() << name << " must hold floating-point values, got "
                         << type;
    return success();
  };
  auto rec = dyn_cast<RankedTensorType>(recurrent);
  if (failed(checkFloat("recurrent_kernel", recurrent)) ||
      failed(checkFloat("kernel", kernel)) ||
      (bias && failed(checkFloat("bias", bias))))
    return failure();
  // C200: units is the recurrent kernel's rows; every weight has G*units
  // columns, known at compile time (the gates are slices of them).
  if (!rec || rec.getRank() != 2 || !rec.hasStaticShape() ||
      rec.getDimSize(0) < 1 || rec.getDimSize(1) != gates * rec.getDimSize(0))
    return emitError() << "recurrent_kernel of a " << cellName
                       << " must be a static units x " << gates
                       << "*units matrix (units >= 1), got " << recurrent;
  int64_t units = rec.getDimSize(0);
  auto k = dyn_cast<RankedTensorType>(kernel);
  if (!k || k.getRank() != 2 || k.isDynamicDim(1) ||
      k.getDimSize(1) != gates * units) // C200
    return emitError() << "kernel of a " << cellName << " of " << units
                       << " units must be features x " << gates * units
                       << ", got " << kernel;
  if (bias) {
    auto b = dyn_cast<RankedTensorType>(bias);
    SmallVector<int64_t> expected{gates * units};
    if (resetAfter) // C201: the input bias, then the recurrent one
      expected.insert(expected.begin(), 2);
    if (!b || b.getShape() != ArrayRef<int64_t>(expected)) // C200, C201
      return emitError() << "bias of a " << cellName
                         << (resetAfter ? " with reset_after" : "")
                         << " of " << units << " units must be "
                         << formatShape(expected) << ", got " << bias;
  }
  return units;
}

FailureOr<Type> rules::inferRecurrent(RecurrentCell cell, bool resetAfter,
                                      ActivationKind activation,
                                      ActivationKind recurrentActivation,
                                      bool returnSequences, Type input,
                                      Type kernel, Type recurrent, Type bias,
                                      EmitErrorFn emitError) {
  auto units = checkRecurrentWeights(cell, resetAfter, activation,
                                     recurrentActivation, kernel, recurrent,
                                     bias, emitError);
  if (failed(units))
    return failure();
  Type element = cast<ShapedType>(input).getElementType();
  if (!isa<FloatType>(element)) // C203
    return emitError() << "input must hold floating-point values, got "
                       << input;
  auto in = dyn_cast<RankedTensorType>(input);
  if (!in)
    return Type(UnrankedTensorType::get(element));
  if (in.getRank() != 3) // C203
    return emitError() << "input must be batch x time x features (rank 3), "
                          "got "
                       << input;
  int64_t rows = cast<RankedTensorType>(kernel).getDimSize(0);
  int64_t features = in.getDimSize(2);
  if (!ShapedType::isDynamic(features) && !ShapedType::isDynamic(rows) &&
      features != rows) // C203
    return emitError() << "input has " << features
                       << " features but the kernel has " << rows << " rows";
  SmallVector<int64_t> shape{in.getDimSize(0)};
  if (returnSequences)
    shape.push_back(in.getDimSize(1));
  shape.push_back(*units);
  return Type(RankedTensorType::get(shape, element));
}

//===----------------------------------------------------------------------===//
// RecurrentLayerOp
//===----------------------------------------------------------------------===//

LogicalResult RecurrentLayerOp::verify() {
  Type bias = getBias() ? Type(getBiasAttr().getShapedType()) : Type();
  return rules::checkRecurrentWeights(
      getCell(), getResetAfter(), getActivation(), getRecurrentActivation(),
      getKernel().getShapedType(), getRecurrentKernel().getShapedType(), bias,
      [&] { return emitOpError(); });
}

FailureOr<Type> RecurrentLayerOp::inferApplyType(
    Type input, function_ref<InFlightDiagnostic()> emitError) {
  Type bias = getBias() ? Type(getBiasAttr().getShapedType()) : Type();
  return rules::inferRecurrent(
      getCell(), getResetAfter(), getActivation(), getRecurrentActivation(),
      getReturnSequences(), input, getKernel().getShapedType(),
      getRecurrentKernel().getShapedType(), bias, [&] {
        return emitError() << "layer '@" << getSymName() << "': ";
      });
}

Value RecurrentLayerOp::buildApply(OpBuilder &builder, Location loc,
                                   Value input, Type resultType) {
  auto constant = [&](ElementsAttr weight) -> Value {
    return weight ? Value(ConstantOp::create(builder, loc, weight)) : Value();
  };
  return RecurrentOp::create(
             builder, loc, resultType, /*states=*/TypeRange{}, input,
             constant(getKernel()), constant(getRecurrentKernel()),
             constant(getBiasAttr()), /*initial_states=*/ValueRange{},
             /*mask=*/Value(), getCell(), getActivation(),
             getRecurrentActivation(), getActivationAlphaAttr(),
             getRecurrentActivationAlphaAttr(), getResetAfter(),
             getReturnSequences(), /*return_states=*/false, getGoBackwards(),
             /*reverse_outputs=*/false, /*zero_output_for_mask=*/false)
      .getOutput();
}

//===----------------------------------------------------------------------===//
// RecurrentOp
//===----------------------------------------------------------------------===//

LogicalResult
RecurrentOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type bias = getBias() ? getBias().getType() : Type();
  auto output = rules::inferRecurrent(
      getCell(), getResetAfter(), getActivation(), getRecurrentActivation(),
      getReturnSequences(), getInput().getType(), getKernel().getType(),
      getRecurrentKernel().getType(), bias, [&] { return emitOpError(); });
  if (failed(output))
    return failure();
  int64_t states = getNumCellStates();
  int64_t units = cast<RankedTensorType>(getRecurrentKernel().getType())
                      .getDimSize(0);
  Type element = cast<ShapedType>(getInput().getType()).getElementType();
  int64_t batch = ShapedType::kDynamic;
  if (auto in = dyn_cast<RankedTensorType>(getInput().getType()))
    batch = in.getDimSize(0);
  auto stateType = RankedTensorType::get({batch, units}, element);
  if (!getInitialStates().empty()) {
    if (int64_t(getInitialStates().size()) != states) // C204
      return emitOpError() << "a " << stringifyRecurrentCell(getCell())
                           << " starts from " << states
                           << " initial state(s) (h"
                           << (states == 2 ? ", c" : "") << "), got "
                           << getInitialStates().size();
    for (auto [i, s] : llvm::enumerate(getInitialStates()))
      if (!areCompatible(s.getType(), stateType)) // C204
        return emitOpError() << "initial state #" << i << " has type "
                             << s.getType() << "; the state is " << stateType;
  }
  if (Value mask = getMask()) { // C205
    auto m = dyn_cast<RankedTensorType>(mask.getType());
    SmallVector<int64_t> expected{batch, ShapedType::kDynamic};
    if (auto in = dyn_cast<RankedTensorType>(getInput().getType()))
      expected[1] = in.getDimSize(1);
    if (m && (m.getRank() != 2 ||
              !areCompatible(m, RankedTensorType::get(expected,
                                                      m.getElementType()))))
      return emitOpError() << "mask must be batch x time ("
                           << formatShape(expected) << "), got " << m;
  }
  int64_t results = 1 + (getReturnStates() ? states : 0);
  if (int64_t(getNumResults()) != results) // C206
    return emitOpError() << "has " << getNumResults() << " results; a "
                         << stringifyRecurrentCell(getCell())
                         << (getReturnStates() ? " with" : " without")
                         << " return_states has " << results;
  inferred.push_back(*output);
  for (int64_t i = 1; i < results; ++i)
    inferred.push_back(stateType);
  return success();
}
