//===- RecurrentPatterns.cpp - predict.recurrent to a loop over time ------===//
//
// A recurrent layer (LSTM, GRU, SimpleRNN) becomes:
//
//   1. the input projection of every step at once: the input, batch x time
//      x features, collapsed to (batch*time) x features, times the kernel,
//      plus the input bias: one linalg.matmul outside the loop;
//   2. an scf.for over the steps, from 0 to the run-time sequence length,
//      whose iter_args are the state (h, and c for an LSTM), the output
//      sequence when every step's output is returned, and the scratch
//      tensor of the recurrent product; each step is the recurrent product
//      h x recurrent_kernel (linalg.matmul into the carried scratch) and one
//      linalg.generic of the gates that writes the new state into the
//      carried state (the gates are slices of the projections, read in
//      place). Every tensor the loop writes is carried, so bufferization
//      reuses one buffer per value across steps: no allocation per step.
//
// The equations are Keras's (keras.layers.LSTMCell, GRUCell, SimpleRNNCell):
// gate order i, f, c, o for the LSTM and z, r, h for the GRU.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
/// The layer's name as the Keras importer records it in the location, for
/// messages ("LSTM 'lstm_1'").
std::string layerWords(Location loc, RecurrentCell cell) {
  std::string kind = cell == RecurrentCell::lstm  ? "LSTM"
                     : cell == RecurrentCell::gru ? "GRU"
                                                  : "SimpleRNN";
  std::string layer = "this " + kind;
  loc->walk([&](Location inner) {
    if (auto name = dyn_cast<NameLoc>(inner)) {
      layer = (kind + " '" + name.getName().getValue() + "'").str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return layer;
}

/// `rows x columns` of zeros, `rows` a run-time size.
Value zeros(OpBuilder &b, Location loc, Value rows, int64_t columns,
            Type element) {
  auto type = RankedTensorType::get({ShapedType::kDynamic, columns}, element);
  return linalg::FillOp::create(b, loc, floatConstant(b, loc, element, 0.0),
                                emptyTensor(b, loc, type, rows))
      .getResult(0);
}

/// `a x b` (2-D) into `scratch`, which is zeroed first.
Value matmulInto(OpBuilder &b, Location loc, Value a, Value w, Value scratch) {
  Type element = cast<RankedTensorType>(a.getType()).getElementType();
  Value acc = linalg::FillOp::create(b, loc, floatConstant(b, loc, element, 0.0),
                                     scratch)
                  .getResult(0);
  return linalg::MatmulOp::create(b, loc, TypeRange{acc.getType()},
                                  ValueRange{a, w}, ValueRange{acc})
      .getResult(0);
}

/// Columns [first, first + count) of the 2-D `matrix`, as a view.
Value columns(OpBuilder &b, Location loc, Value matrix, int64_t first,
              int64_t count) {
  auto type = cast<RankedTensorType>(matrix.getType());
  SmallVector<OpFoldResult> offsets{b.getIndexAttr(0), b.getIndexAttr(first)};
  SmallVector<OpFoldResult> sizes{sizeOf(b, loc, matrix, 0),
                                  b.getIndexAttr(count)};
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  auto result = RankedTensorType::get({type.getDimSize(0), count},
                                      type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, result, matrix, offsets, sizes,
                                        strides);
}

/// Elements [first, first + count) of the 1-D `vector`.
Value elements(OpBuilder &b, Location loc, Value vector, int64_t first,
               int64_t count) {
  auto type = cast<RankedTensorType>(vector.getType());
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({count}, type.getElementType()), vector,
      ArrayRef<OpFoldResult>{b.getIndexAttr(first)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(count)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
}

struct RecurrentLowering : OpConversionPattern<RecurrentOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RecurrentOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    RecurrentCell cell = op.getCell();
    std::string layer = layerWords(loc, cell);
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    Value kernel = adaptor.getKernel();
    Value recurrent = adaptor.getRecurrentKernel();
    Value bias = adaptor.getBias();
    int64_t units =
        cast<RankedTensorType>(recurrent.getType()).getDimSize(0);
    int64_t gates = cast<RankedTensorType>(recurrent.getType()).getDimSize(1) /
                    units;
    bool resetAfter = op.getResetAfter();
    ActivationKind ract = op.getRecurrentActivation();
    std::optional<double> ralpha;
    if (auto a = op.getRecurrentActivationAlphaAttr())
      ralpha = a.getValueAsDouble();

    Value batch = getValueOrCreateConstantIndexOp(b, loc,
                                                  sizeOf(b, loc, input, 0));
    Value steps = getValueOrCreateConstantIndexOp(b, loc,
                                                  sizeOf(b, loc, input, 1));
    // C207: the input's features are the kernel's rows.
    OpFoldResult features = sizeOf(b, loc, input, 2);
    OpFoldResult rows = sizeOf(b, loc, kernel, 0);
    emitCheck(b, loc, sizesEqual(b, loc, features, rows),
              "the input of " + layer +
                  " has {0} features; its kernel expects {1}",
              {getValueOrCreateConstantIndexOp(b, loc, features),
               getValueOrCreateConstantIndexOp(b, loc, rows)});

    // 1. The input projection of every step: (batch*time) x G*units.
    Value flat = tensor::CollapseShapeOp::create(
        b, loc, input, SmallVector<ReassociationIndices>{{0, 1}, {2}});
    Value flatRows = getValueOrCreateConstantIndexOp(b, loc,
                                                     sizeOf(b, loc, flat, 0));
    Value projection = matmulInto(
        b, loc, flat, kernel,
        emptyTensor(b, loc,
                    RankedTensorType::get({ShapedType::kDynamic, gates * units},
                                          element),
                    flatRows));
    Value inputBias, recurrentBias;
    if (bias) {
      inputBias = bias;
      if (resetAfter) {
        auto row = [&](int64_t r) -> Value {
          return tensor::ExtractSliceOp::create(
              b, loc, RankedTensorType::get({gates * units}, element), bias,
              ArrayRef<OpFoldResult>{b.getIndexAttr(r), b.getIndexAttr(0)},
              ArrayRef<OpFoldResult>{b.getIndexAttr(1),
                                     b.getIndexAttr(gates * units)},
              ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
        };
        inputBias = row(0);
        recurrentBias = row(1);
      }
      projection = buildElementwise(
          b, loc, element, {projection, inputBias}, "",
          [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return arith::AddFOp::create(nb, nl, args[0], args[1]);
          });
    }
    // Row b*time + t of the projection is step t of sample b: a step's
    // rows are a strided view (no expand_shape of one dynamic size into
    // two, which memref's strided-metadata expansion does not handle).

    // The initial state: given (checked against the batch, C207) or zeros.
    int64_t numStates = op.getNumCellStates();
    auto stateType =
        RankedTensorType::get({ShapedType::kDynamic, units}, element);
    SmallVector<Value> state;
    for (int64_t s = 0; s < numStates; ++s) {
      if (adaptor.getInitialStates().empty()) {
        state.push_back(zeros(b, loc, batch, units, element));
        continue;
      }
      Value given = adaptor.getInitialStates()[s];
      OpFoldResult givenBatch = sizeOf(b, loc, given, 0);
      emitCheck(b, loc, sizesEqual(b, loc, givenBatch, batch),
                "initial state #" + Twine(s) + " of " + layer +
                    " has {0} rows; the input's batch is {1}",
                {getValueOrCreateConstantIndexOp(b, loc, givenBatch), batch});
      state.push_back(castChecked(b, loc, given,
                                  RankedTensorType::get(
                                      {ShapedType::kDynamic, units}, element),
                                  "an initial state"));
    }
    Value mask = adaptor.getMask();
    if (mask) {
      SmallVector<Value> expectedSizes{batch, steps};
      for (auto [d, expected] : llvm::enumerate(expectedSizes)) {
        OpFoldResult size = sizeOf(b, loc, mask, d);
        emitCheck(b, loc, sizesEqual(b, loc, size, expected),
                  "the mask of " + layer + " has {0} " +
                      (d == 0 ? "rows" : "steps") + "; the input has {1}",
                  {getValueOrCreateConstantIndexOp(b, loc, size), expected});
      }
    }

    // The loop's carried values: the state, the output sequence, the
    // scratch of the recurrent product(s).
    bool sequences = op.getReturnSequences();
    bool resetBefore = cell == RecurrentCell::gru && !resetAfter;
    // With a mask, a masked step's output is the previous output (zeros
    // before the first unmasked step) or zeros (zero_output_for_mask): the
    // state h unless an initial state or zero_output_for_mask makes them
    // differ, when the output is carried on its own.
    bool zeroOut = op.getZeroOutputForMask();
    bool carryOutput =
        mask && (!adaptor.getInitialStates().empty() || zeroOut);
    SmallVector<Value> inits(state);
    if (carryOutput)
      inits.push_back(zeros(b, loc, batch, units, element));
    auto sequenceType = RankedTensorType::get(
        {ShapedType::kDynamic, ShapedType::kDynamic, units}, element);
    if (sequences)
      inits.push_back(emptyTensor(b, loc, sequenceType, {batch, steps}));
    int64_t productWidth = resetBefore ? 2 * units : gates * units;
    inits.push_back(emptyTensor(
        b, loc, RankedTensorType::get({ShapedType::kDynamic, productWidth},
                                      element),
        batch));
    if (resetBefore) {
      inits.push_back(emptyTensor(b, loc, stateType, batch)); // r * h
      inits.push_back(emptyTensor(b, loc, stateType, batch)); // (r*h) x U_h
    }

    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto loop = scf::ForOp::create(
        b, loc, zero, steps, one, inits,
        [&](OpBuilder &lb, Location ll, Value step, ValueRange carried) {
          Value t = step;
          if (op.getGoBackwards())
            t = arith::SubIOp::create(
                lb, ll, arith::SubIOp::create(lb, ll, steps, one), step);
          SmallVector<Value> h(carried.take_front(numStates));
          size_t next = numStates;
          Value prevOut = carryOutput ? carried[next++] : Value();
          Value sequence = sequences ? carried[next++] : Value();
          Value scratch = carried[next++];
          // This step's input projection, batch x G*units (a view).
          auto stepType = RankedTensorType::get(
              {ShapedType::kDynamic, gates * units}, element);
          Value x = tensor::ExtractSliceOp::create(
              lb, ll, stepType, projection,
              ArrayRef<OpFoldResult>{t, lb.getIndexAttr(0)},
              ArrayRef<OpFoldResult>{batch, lb.getIndexAttr(gates * units)},
              ArrayRef<OpFoldResult>{steps, lb.getIndexAttr(1)});
          Value stepMask;
          if (mask)
            stepMask = tensor::ExtractSliceOp::create(
                lb, ll, RankedTensorType::get({ShapedType::kDynamic},
                                              lb.getI1Type()),
                mask, ArrayRef<OpFoldResult>{lb.getIndexAttr(0), t},
                ArrayRef<OpFoldResult>{batch, lb.getIndexAttr(1)},
                ArrayRef<OpFoldResult>{lb.getIndexAttr(1), lb.getIndexAttr(1)});
          Value weights = resetBefore ? columns(lb, ll, recurrent, 0, 2 * units)
                                      : recurrent;
          Value product = matmulInto(lb, ll, h[0], weights, scratch);
          SmallVector<Value> yields;
          SmallVector<Value> newState;
          Value rh, rhProduct;
          if (resetBefore) {
            // r = ract(x_r + h U_r); (r * h) x U_h needs r first.
            Value rTimesH = carried[next++];
            Value hhScratch = carried[next++];
            SmallVector<Value> ins{columns(lb, ll, x, units, units),
                                   columns(lb, ll, product, units, units),
                                   h[0]};
            rh = gateGeneric(lb, ll, ins, {}, rTimesH,
                             [&](OpBuilder &nb, Location nl, ValueRange a) {
                               Value r = buildActivation(
                                   nb, nl, ract,
                                   arith::AddFOp::create(nb, nl, a[0], a[1]),
                                   ralpha, false);
                               return SmallVector<Value>{
                                   arith::MulFOp::create(nb, nl, r, a[2])};
                             })[0];
            rhProduct = matmulInto(lb, ll, rh,
                                   columns(lb, ll, recurrent, 2 * units, units),
                                   hhScratch);
          }
          newState = stepGates(lb, ll, op, x, product, rhProduct,
                               recurrentBias, stepMask, h, prevOut, units);
          llvm::append_range(yields, newState);
          // newState: h (, c), then the output when carried.
          Value output = carryOutput ? newState.back() : newState[0];
          if (sequences) {
            // Keras's output of a step is h (a masked step repeats it),
            // stacked in the order the steps run (reversed when
            // go_backwards, as Keras's rnn stacks them).
            Value row = tensor::ExpandShapeOp::create(
                lb, ll,
                RankedTensorType::get({ShapedType::kDynamic, 1, units},
                                      element),
                output, SmallVector<ReassociationIndices>{{0, 1}, {2}},
                SmallVector<OpFoldResult>{batch, lb.getIndexAttr(1),
                                          lb.getIndexAttr(units)});
            Value at = step;
            if (op.getReverseOutputs())
              at = arith::SubIOp::create(
                  lb, ll, arith::SubIOp::create(lb, ll, steps, one), step);
            yields.push_back(tensor::InsertSliceOp::create(
                lb, ll, row, sequence,
                ArrayRef<OpFoldResult>{lb.getIndexAttr(0), at,
                                       lb.getIndexAttr(0)},
                ArrayRef<OpFoldResult>{batch, lb.getIndexAttr(1),
                                       lb.getIndexAttr(units)},
                ArrayRef<OpFoldResult>{lb.getIndexAttr(1), lb.getIndexAttr(1),
                                       lb.getIndexAttr(1)}));
          }
          yields.push_back(product);
          if (resetBefore) {
            yields.push_back(rh);
            yields.push_back(rhProduct);
          }
          scf::YieldOp::create(lb, ll, yields);
        });

    SmallVector<Value> results;
    unsigned outputAt = numStates + (carryOutput ? 1 : 0);
    results.push_back(sequences     ? loop.getResult(outputAt)
                      : carryOutput ? loop.getResult(numStates)
                                    : loop.getResult(0));
    if (op.getReturnStates())
      for (int64_t s = 0; s < numStates; ++s)
        results.push_back(loop.getResult(s));
    SmallVector<Value> replacements;
    for (auto [value, declared] : llvm::zip_equal(results, op->getResults()))
      replacements.push_back(castChecked(
          b, loc, value, declared.getType(),
          ("the result of " + op->getName().getStringRef()).str()));
    rewriter.replaceOp(op, replacements);
    return success();
  }

  /// One linalg.generic over batch x units: `ins` are batch x units views
  /// (or, in `vectors`, units-long vectors broadcast over the batch), and
  /// `outs` receive `body`'s values; `outs`' old values are the body's last
  /// arguments.
  static SmallVector<Value> gateGeneric(
      OpBuilder &b, Location loc, ValueRange ins, ValueRange vectors,
      ValueRange outs,
      function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> body,
      Value stepMask = {}) {
    MLIRContext *ctx = b.getContext();
    AffineMap identity = b.getMultiDimIdentityMap(2);
    AffineMap perUnit = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
    AffineMap perRow = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
    SmallVector<Value> operands(ins);
    SmallVector<AffineMap> maps(ins.size(), identity);
    llvm::append_range(operands, vectors);
    maps.append(vectors.size(), perUnit);
    if (stepMask) {
      operands.push_back(stepMask);
      maps.push_back(perRow);
    }
    maps.append(outs.size(), identity);
    SmallVector<utils::IteratorType> iterators(2,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        b, loc, ValueRange(outs).getTypes(), operands, outs, maps, iterators,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          linalg::YieldOp::create(nb, nl, body(nb, nl, args));
        });
    return SmallVector<Value>(generic.getResults());
  }

  /// The new state (h, and c for an LSTM) from this step's projections,
  /// written into the carried state `h`: Keras's cell equations. With
  /// `prevOut` (the carried output), the step's output follows, written
  /// into it.
  static SmallVector<Value> stepGates(OpBuilder &b, Location loc,
                                      RecurrentOp op, Value x, Value product,
                                      Value rhProduct, Value recurrentBias,
                                      Value stepMask, ArrayRef<Value> h,
                                      Value prevOut, int64_t units) {
    ActivationKind act = op.getActivation();
    ActivationKind ract = op.getRecurrentActivation();
    std::optional<double> alpha, ralpha;
    if (auto a = op.getActivationAlphaAttr())
      alpha = a.getValueAsDouble();
    if (auto a = op.getRecurrentActivationAlphaAttr())
      ralpha = a.getValueAsDouble();
    // activation(v) and recurrent_activation(v).
    auto activateA = [&](OpBuilder &nb, Location nl, Value v) {
      return buildActivation(nb, nl, act, v, alpha, false);
    };
    auto activateR = [&](OpBuilder &nb, Location nl, Value v) {
      return buildActivation(nb, nl, ract, v, ralpha, false);
    };
    auto add = [](OpBuilder &nb, Location nl, Value a, Value c) -> Value {
      return arith::AddFOp::create(nb, nl, a, c);
    };
    auto mul = [](OpBuilder &nb, Location nl, Value a, Value c) -> Value {
      return arith::MulFOp::create(nb, nl, a, c);
    };
    Type element = cast<ShapedType>(x.getType()).getElementType();
    // The gates' outputs: the state, then the output when carried; the
    // body's last arguments are their previous values.
    SmallVector<Value> outs(h);
    if (prevOut)
      outs.push_back(prevOut);
    size_t numOuts = outs.size();
    auto previous = [numOuts](ValueRange args, size_t i) {
      return args[args.size() - numOuts + i];
    };
    bool zeroOut = op.getZeroOutputForMask();
    // A masked step keeps the previous state (Keras's rnn with a mask); its
    // output is the previous output, or zeros with zero_output_for_mask.
    auto keep = [&](OpBuilder &nb, Location nl, ValueRange args,
                    SmallVector<Value> values) {
      if (!stepMask)
        return values;
      Value m = args[args.size() - 1 - numOuts];
      Value hNew = values[0];
      for (auto [i, v] : llvm::enumerate(values))
        values[i] = arith::SelectOp::create(nb, nl, m, v, previous(args, i));
      if (prevOut) {
        Value masked = zeroOut ? floatConstant(nb, nl, element, 0.0)
                               : previous(args, values.size());
        values.push_back(arith::SelectOp::create(nb, nl, m, hNew, masked));
      }
      return values;
    };
    switch (op.getCell()) {
    case RecurrentCell::lstm: {
      SmallVector<Value> ins;
      for (int64_t g = 0; g < 4; ++g)
        ins.push_back(columns(b, loc, x, g * units, units));
      for (int64_t g = 0; g < 4; ++g)
        ins.push_back(columns(b, loc, product, g * units, units));
      return gateGeneric(
          b, loc, ins, {}, outs,
          [&](OpBuilder &nb, Location nl, ValueRange a) {
            Value i = activateR(nb, nl, add(nb, nl, a[0], a[4]));
            Value f = activateR(nb, nl, add(nb, nl, a[1], a[5]));
            Value g = activateA(nb, nl, add(nb, nl, a[2], a[6]));
            Value o = activateR(nb, nl, add(nb, nl, a[3], a[7]));
            Value cPrev = previous(a, 1);
            Value c = add(nb, nl, mul(nb, nl, f, cPrev), mul(nb, nl, i, g));
            Value hNew = mul(nb, nl, o, activateA(nb, nl, c));
            return keep(nb, nl, a, {hNew, c});
          },
          stepMask);
    }
    case RecurrentCell::gru: {
      SmallVector<Value> ins, vectors;
      for (int64_t g = 0; g < 3; ++g)
        ins.push_back(columns(b, loc, x, g * units, units));
      bool resetAfter = op.getResetAfter();
      for (int64_t g = 0; g < (resetAfter ? 3 : 2); ++g)
        ins.push_back(columns(b, loc, product, g * units, units));
      if (!resetAfter)
        ins.push_back(rhProduct);
      if (recurrentBias)
        for (int64_t g = 0; g < 3; ++g)
          vectors.push_back(elements(b, loc, recurrentBias, g * units, units));
      bool hasBias = bool(recurrentBias);
      return gateGeneric(
          b, loc, ins, vectors, outs,
          [&](OpBuilder &nb, Location nl, ValueRange a) {
            // a: x_z, x_r, x_h, then h U_z, h U_r and h U_h (reset_after)
            // or (r*h) U_h (reset before), then the recurrent biases.
            Value rz = a[3], rr = a[4], rhh = a[5];
            if (hasBias) {
              rz = add(nb, nl, rz, a[6]);
              rr = add(nb, nl, rr, a[7]);
              rhh = add(nb, nl, rhh, a[8]);
            }
            Value z = activateR(nb, nl, add(nb, nl, a[0], rz));
            Value hPrev = previous(a, 0);
            Value candidate;
            if (resetAfter) {
              Value r = activateR(nb, nl, add(nb, nl, a[1], rr));
              candidate = activateA(nb, nl,
                                   add(nb, nl, a[2], mul(nb, nl, r, rhh)));
            } else {
              candidate = activateA(nb, nl, add(nb, nl, a[2], a[5]));
            }
            // h = z * h_prev + (1 - z) * candidate
            Value oneMinusZ = arith::SubFOp::create(
                nb, nl, floatConstant(nb, nl, element, 1.0), z);
            Value hNew = add(nb, nl, mul(nb, nl, z, hPrev),
                             mul(nb, nl, oneMinusZ, candidate));
            return keep(nb, nl, a, {hNew});
          },
          stepMask);
    }
    case RecurrentCell::simple_rnn:
      return gateGeneric(
          b, loc, {x, product}, {}, outs,
          [&](OpBuilder &nb, Location nl, ValueRange a) {
            Value hNew = activateA(nb, nl, add(nb, nl, a[0], a[1]));
            return keep(nb, nl, a, {hNew});
          },
          stepMask);
    }
    llvm_unreachable("unknown recurrent cell");
  }
};
} // namespace

void lowering::populateRecurrentPatterns(RewritePatternSet &patterns) {
  patterns.add<RecurrentLowering>(patterns.getContext());
}
