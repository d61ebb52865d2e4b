//===- PredictInterfaces.td - predict op interfaces --------*- tablegen -*-===//

#ifndef PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_TD
#define PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_TD

include "mlir/IR/OpBase.td"

def Predict_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::mlir::predict";
  let description = [{
    An op whose result types follow from its operand types and attributes.

    `inferResultTypes` is the one place where an op's shape rules live. It is
    used twice: by the verifier, which checks that the declared result types are
    compatible with the inferred ones (and reports operand mismatches, such as a
    Dense kernel of K rows applied to F features), and by the
    `predict-shape-inference` pass, which refines declared types to the inferred
    ones (static where the inputs are static, `?` where they are not).

    Unknown input shapes (unranked tensors, dynamic dimensions) give unknown
    result shapes; they are never an error by themselves.
  }];
  let methods = [
    InterfaceMethod<[{
        Computes the most precise result types that the operand types imply.
        Emits an error at the op and fails when the operands break the op's
        constraints.
      }],
      "::llvm::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$inferred)>,
    InterfaceMethod<[{
        The operand sizes that dimension `dim` of the first result equals at
        run time, as (operand number, operand dimension) pairs: several when
        numpy broadcasting makes them agree (an operand that lacks the
        dimension, or has a static size 1 there, is not listed). Empty when
        the op's rule ties that size to no operand's (a reduction, a
        concatenation's axis). Analyses that follow sizes through ops
        (predict-lower-loops proving a loop's list elements keep their size)
        read the op's rule here instead of listing ops.

        Ops declare it with a trait: `SizesBroadcast` (elementwise math:
        numpy broadcasting over every operand), `SizesOfInput` (the sizes of
        operand 0: activations, normalizations); ops with another rule
        (slices, Dense, matmul, concatenation) define it in C++
        (lib/Dialect/Predict/IR/SizeSources.cpp). Others: empty.
      }],
      "::llvm::SmallVector<std::pair<unsigned, int64_t>>",
      "getResultDimSources", (ins "int64_t":$dim), [{}], [{
        return ::mlir::predict::detail::resultDimSourcesByTrait($_op, dim);
      }]>
  ];
  let verify = [{
    return ::mlir::predict::detail::verifyInferredResultTypes($_op);
  }];
}

def Predict_LayerOpInterface : OpInterface<"LayerOpInterface"> {
  let cppNamespace = "::mlir::predict";
  let description = [{
    A layer declared in a model, with its configuration and weights, that
    `predict.apply` calls. The layer decides which inputs it accepts and the
    type of its output.
  }];
  let methods = [
    InterfaceMethod<[{
        Infers the result type of applying this layer to an input of type
        `input`. Emits errors through `emitError` (which reports at the call
        site) and fails when the input does not fit the layer.
      }],
      "::llvm::FailureOr<::mlir::Type>", "inferApplyType",
      (ins "::mlir::Type":$input,
           "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>,
    InterfaceMethod<[{
        Builds the computation that applying this layer to `input` stands
        for (`predict.dense` for a Dense layer, ...), with the weights as
        `predict.constant`s, and returns its result of type `resultType`.
      }],
      "::mlir::Value", "buildApply",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$input, "::mlir::Type":$resultType)>,
    InterfaceMethod<[{
        Whether applying the layer to `input` computes each row (the
        leading axis) from that row alone, as its computation's
        `RowWiseOpInterface` rule says; `predict.apply` answers with it.
        False by default: a layer that does not say keeps loops.
      }],
      "bool", "appliesRowWise", (ins "::mlir::Value":$input), [{}], [{
        return false;
      }]>
  ];
}

def Predict_RowWiseOpInterface : OpInterface<"RowWiseOpInterface"> {
  let cppNamespace = "::mlir::predict";
  let description = [{
    An op that may compute each row of its result from the same row of its
    inputs alone: applied to a whole batch, it gives in row `i` what it gives
    applied to row `i`. `predict-batch-loops` (and `predict-explain`) ask it
    when they prove a Python loop `for i in range(x.shape[0])`
    row-independent (docs/Loops.md): a loop whose body is made of such ops
    is replaced by the same ops on the whole of `x`. An op that does not
    declare the interface is never row-wise: a loop that applies it to a
    row keeps its loop.

    The question is asked of one op of the loop body at a time, with a
    predicate `isRow` that tells which operands are rows: row `i` of a
    tensor batched along axis 0 (their leading size is 1). Every other
    operand is the same in every iteration. At least one operand is a row
    (an op on invariant values only is computed once, as it is); the caller
    checks afterwards that each result keeps one row (leading size 1).

    By default the op is elementwise with numpy broadcasting: row-wise when
    each row operand has the result's rank (so that its axis 0 stays the
    batch axis) and each invariant operand cannot reach the batch axis
    (lower rank than the result, or a leading size of 1). Unary elementwise
    ops, `clip` and `dropout` satisfy it trivially. Ops with another rule
    override `isRowWise`; their rule is in their own C++
    (lib/Dialect/Predict/IR/RowWise.cpp):

    | op | row-wise when |
    |---|---|
    | `dense` | the input is a row; kernel and bias are invariant |
    | `matmul` | the 2-D left operand is a row; the right one is invariant |
    | `activation` | elementwise kinds; softmax and log_softmax when their `axis` (-1 when not given) is not axis 0 (softmax over features, not over the rows of a 1-D input) |
    | `batch_norm` | the input is a row, `axis` is not 0, the statistics are invariant |
    | `normalization` | the input is a row; mean and variance cannot reach the batch axis |
    | `concatenate` | every input is a row and `axis` is not 0 |
    | `slice` | the input is a row and `axis` is not 0 (its bounds are invariant) |
    | `flatten` | the input is a row (flatten keeps axis 0) |
    | `pool`, `global_pool`, `reshape` | the input is a row (they keep axis 0) |
    | `pad`, `crop`, `upsample`, `transpose` | the input is a row and axis 0 is neither padded, cropped, repeated nor moved |
    | `embedding` | the ids are a row; the table is invariant |
    | `recurrent` | the input is a row, its weights invariant, and its initial states and mask (if any) rows too |

    In PredictOps.td (and in the op reference), `RowWiseElementwise` on an
    op declares the interface with the default rule and `RowWiseByOwnRule`
    with the op's own `isRowWise`. To add an op: `RowWiseElementwise` for an
    elementwise op, `RowWiseByOwnRule` (with a definition in RowWise.cpp) for
    any other row-wise rule, nothing for an op that mixes rows.

    **Elements.** A loop may also read row `i` without its batch axis:
    `x[i]`, the `r` of `for r in x`, the element `tf.map_fn` gives its
    function (a unit row `x[i:i+1]` collapsed by `tensor.collapse_shape`),
    and stack its results (`tf.stack`, `predict.list.stack` on axis 0).
    `isRowWiseOnElements` asks whether the op, some of whose operands are
    such elements, gives the whole batch's result when each element is
    replaced by its batch (one more axis, in front) and `addBatchAxis` is
    applied to the copy: the attributes that name an element's axes then
    name the batch's (a non-negative axis moves up by one; a negative one,
    counted from the end, stays). By default the op is not row-wise on
    elements; `RowWiseElementwise` ops are, when each operand has at most
    the result's rank (numpy aligns shapes at their ends, so the batch axis
    in front broadcasts against nothing); an element operand of lower rank
    than the result (`r - tf.reduce_mean(r)`) is replaced by its batch with
    the unit axes numpy's alignment puts in front of the element inserted
    after the batch axis (predict-batch-loops does it for these ops). Ops
    with an element rule of their own declare it with
    `RowWiseByOwnRules`:

    | op | row-wise on elements when |
    |---|---|
    | `dense` | the input is an element; kernel and bias are invariant |
    | `matmul` | a 1-D element times an invariant matrix (the batch is a 2-D product) |
    | `activation` | always (softmax's `axis` moves up) |
    | `reduce`, `arg_reduce`, `l2_normalize` | the input is an element (the axes move up) |
    | `concatenate` | every input is an element (the axis moves up) |
    | `slice` | the input is an element (the axis moves up) |
  }];
  let methods = [
    InterfaceMethod<[{
        Whether this op, whose row operands `isRow` names (the others are
        the same in every iteration), computes each row of its result from
        those rows alone.
      }],
      "bool", "isRowWise",
      (ins "::llvm::function_ref<bool(::mlir::Value)>":$isRow), [{}],
      /*defaultImplementation=*/[{
        return ::mlir::predict::detail::isElementwiseRowWise($_op, isRow);
      }]>,
    InterfaceMethod<[{
        Whether this op, whose operands `isElement` names are elements
        (row `i` without its batch axis; the others are the same in every
        iteration), gives the whole batch's result when each element is
        replaced by its batch and `addBatchAxis` is applied.
      }],
      "bool", "isRowWiseOnElements",
      (ins "::llvm::function_ref<bool(::mlir::Value)>":$isElement), [{}],
      /*defaultImplementation=*/[{
        return ::mlir::predict::detail::isElementwiseRowWiseOnElements(
            $_op, isElement);
      }]>,
    InterfaceMethod<[{
        Called on a copy of this op whose element operands were replaced by
        their batches: each non-negative axis attribute that named an
        element's axis moves up by one (negative axes count from the end
        and stay).
      }],
      "void", "addBatchAxis", (ins), [{}], /*defaultImplementation=*/[{ return; }]>
  ];
}

#endif // PREDICT_DIALECT_PREDICT_IR_PREDICTINTERFACES_TD
