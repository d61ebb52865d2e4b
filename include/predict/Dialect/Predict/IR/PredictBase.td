//===- PredictBase.td - predict dialect, enums, types, base op --*- tablegen -*-===//
//
// The predict dialect: Keras-style models, their layers and weights, Python-style
// loops and lists, and calls into foreign Python code. The semantics, with the
// numbered constraints (C1, C2, ...) that the verifiers cite, are in
// docs/Dialect.md.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_DIALECT_PREDICT_IR_PREDICTBASE_TD
#define PREDICT_DIALECT_PREDICT_IR_PREDICTBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Dialect
//===----------------------------------------------------------------------===//

def Predict_Dialect : Dialect {
  let name = "predict";
  let cppNamespace = "::mlir::predict";
  let summary = "Keras-style models, Python loops and lists, and foreign calls";
  let description = [{
    The `predict` dialect represents the inference code that people write around
    Keras-style models, as close to the Python source as the compiler can keep it:

    * models as symbols (`predict.model`) that own their weighted layers
      (`predict.layer.*`) and their methods (`predict.method`);
    * calls that keep the distinction Python makes: `model(x)`
      (`predict.model_call`), `model.predict(x)` (`predict.model_predict`) and
      `self.helper(x)` (`predict.method_call`);
    * tensor computations at the level of Keras layers and `tf.*` operations
      (`predict.dense`, `predict.activation`, `predict.add`, ...), with numpy
      broadcasting and a dynamic batch dimension;
    * Python `for ... in range(...)` loops (`predict.for`) and Python lists as SSA
      values (`predict.list.*`);
    * calls into code the compiler does not know (`predict.foreign_call`), kept
      with their fully qualified Python name and keyword arguments.

    Every op built by a front end carries the location of the Python expression it
    came from, so diagnostics of every later pass point at the user's own source.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    void registerTypes();
    void registerAttributes();
  }];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Predict_ActivationKind : I32EnumAttr<"ActivationKind",
    "an activation function of Keras", [
      I32EnumAttrCase<"linear", 0>,
      I32EnumAttrCase<"relu", 1>,
      I32EnumAttrCase<"sigmoid", 2>,
      I32EnumAttrCase<"tanh", 3>,
      I32EnumAttrCase<"softmax", 4>,
      I32EnumAttrCase<"gelu", 5>,
      I32EnumAttrCase<"elu", 6>,
      I32EnumAttrCase<"selu", 7>,
      I32EnumAttrCase<"leaky_relu", 8>,
      I32EnumAttrCase<"swish", 9>,
      I32EnumAttrCase<"softplus", 10>,
      I32EnumAttrCase<"relu6", 11>,
      I32EnumAttrCase<"hard_sigmoid", 12>,
      I32EnumAttrCase<"hard_swish", 13>,
      I32EnumAttrCase<"mish", 14>,
      I32EnumAttrCase<"log_softmax", 15>,
      I32EnumAttrCase<"exponential", 16>,
      I32EnumAttrCase<"softsign", 17>,
      I32EnumAttrCase<"log_sigmoid", 18>,
      I32EnumAttrCase<"celu", 19>,
      I32EnumAttrCase<"hard_tanh", 20>,
      I32EnumAttrCase<"tanh_shrink", 21>,
      I32EnumAttrCase<"hard_shrink", 22>,
      I32EnumAttrCase<"soft_shrink", 23>,
      I32EnumAttrCase<"squareplus", 24>,
      I32EnumAttrCase<"sparse_plus", 25>
    ]> {
  let cppNamespace = "::mlir::predict";
  let genSpecializedAttr = 0;
}

def Predict_ActivationAttr : EnumAttr<Predict_Dialect, Predict_ActivationKind,
                                      "activation"> {
  let summary = "an activation function of Keras (keras.activations): linear, "
                "relu, sigmoid, tanh, softmax, gelu, elu, selu, leaky_relu, "
                "swish, softplus, relu6, hard_sigmoid, hard_swish, mish, "
                "log_softmax, exponential, softsign, log_sigmoid, celu, "
                "hard_tanh, tanh_shrink, hard_shrink, soft_shrink, "
                "squareplus, sparse_plus";
}

def Predict_CompareKind : I32EnumAttr<"CompareKind", "an elementwise comparison", [
      I32EnumAttrCase<"eq", 0>,
      I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>,
      I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>,
      I32EnumAttrCase<"ge", 5>
    ]> {
  let cppNamespace = "::mlir::predict";
  let genSpecializedAttr = 0;
}

def Predict_CompareAttr : EnumAttr<Predict_Dialect, Predict_CompareKind, "compare">;

def Predict_ConvolveMode : I32EnumAttr<"ConvolveMode",
    "the output size of scipy.signal.convolve and correlate", [
      I32EnumAttrCase<"full", 0>,
      I32EnumAttrCase<"same", 1>,
      I32EnumAttrCase<"valid", 2>
    ]> {
  let cppNamespace = "::mlir::predict";
  let genSpecializedAttr = 0;
}

def Predict_ConvolveModeAttr : EnumAttr<Predict_Dialect, Predict_ConvolveMode,
                                        "convolve_mode">;

// Keras's `padding` of a convolution layer (Conv1D, Conv2D, ...): no padding,
// TF's "same" split (the extra pad at the end), or Conv1D's left padding.
def Predict_ConvPadding : I32EnumAttr<"ConvPadding",
    "the padding of a Keras convolution layer", [
      I32EnumAttrCase<"valid", 0>,
      I32EnumAttrCase<"same", 1>,
      I32EnumAttrCase<"causal", 2>
    ]> {
  let cppNamespace = "::mlir::predict";
  let genSpecializedAttr = 0;
}

def Predict_ConvPaddingAttr : EnumAttr<Predict_Dialect, Predict_ConvPadding,
                                       "conv_padding">;

// Issue 17 (pooling): what a pooling window computes.
def Predict_PoolKind : I32EnumAttr<"PoolKind",
    "what a pooling window computes: its maximum or its mean", [
      I32EnumAttrCase<"max", 0>,
      I32EnumAttrCase<"avg", 1>
    ]> {
  let cppNamespace = "::mlir::predict";
  let genSpecializedAttr = 0;
}

def Predict_PoolKindAttr : EnumAttr<Predict_Dialect, Predict_PoolKind,
                                    "pool_kind">;

// Issue 18 (recurrent layers): the cell a recurrent layer runs at each step.
def Predict_RecurrentCell : I32EnumAttr<"RecurrentCell",
    "the cell of a recurrent layer: Keras's LSTM, GRU or SimpleRNN", [
      I32EnumAttrCase<"lstm", 0>,
      I32EnumAttrCase<"gru", 1>,
      I32EnumAttrCase<"simple_rnn", 2>
    ]> {
  let cppNamespace = "::mlir::predict";
  let genSpecializedAttr = 0;
}

def Predict_RecurrentCellAttr : EnumAttr<Predict_Dialect, Predict_RecurrentCell,
                                         "recurrent_cell">;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

class Predict_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Predict_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Predict_ListType : Predict_Type<"List", "list"> {
  let summary = "a Python list of tensors, as an immutable SSA value";
  let description = [{
    A Python list whose elements all have (a type compatible with) the element
    type. Lists are values: `predict.list.append` returns a new list and leaves
    its operand unchanged, so the SSA form says exactly which version of a list
    each use sees, and a list carried through a loop is an ordinary loop-carried
    value.

    ```mlir
    !predict.list<tensor<1x10xf32>>
    ```
  }];
  let parameters = (ins "::mlir::TensorType":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}

// No C++ class here on purpose: ODS prints types of a known class of this
// dialect stripped (`<tensor<...>>`), and `!predict.list<...>` reads better.
def Predict_AnyList : Type<CPred<"::llvm::isa<::mlir::predict::ListType>($_self)">,
                           "a predict list">;

//===----------------------------------------------------------------------===//
// Constraints
//===----------------------------------------------------------------------===//

def Predict_FloatTensor : TensorOf<[AnyFloat]>;
def Predict_BoolTensor : TensorOf<[I1]>;
// Bools and TensorFlow's integers: the operands of logical and bitwise ops.
def Predict_BoolOrIntTensor : TensorOf<[I1, I32, I64]>;
def Predict_FloatOrBoolTensor : TensorOf<[AnyFloat, I1]>;
def Predict_RankedFloatTensor : RankedTensorOf<[AnyFloat]>;
// The ids of an Embedding (Keras casts float ids to integers) and the input
// of `predict.apply`, whose layer decides what it accepts (C10).
def Predict_FloatOrIntTensor : TensorOf<[AnyFloat, AnySignlessInteger]>;
// The operands of arithmetic: floats, or the integers of TensorFlow's int32
// and int64 (signed; bools are not numbers here, as in TensorFlow).
def Predict_NumberTensor : TensorOf<[AnyFloat, I32, I64]>;
// Any value a predict program holds: numbers and bools (what moving data
// around, as a slice does, accepts).
def Predict_ValueTensor : TensorOf<[AnyFloat, I1, I32, I64]>;

// A Python axis: a signless i64 read as signed, since negative axes count
// from the end (upstream's I64Attr reads it zero-extended).
def Predict_AxisAttr : TypedSignlessIntegerAttrBase<I64, "int64_t",
    "64-bit signless integer attribute holding a Python axis"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

class Predict_Op<string mnemonic, list<Trait> traits = []>
    : Op<Predict_Dialect, mnemonic, traits>;

#endif // PREDICT_DIALECT_PREDICT_IR_PREDICTBASE_TD
