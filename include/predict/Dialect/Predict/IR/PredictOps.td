//===- PredictOps.td - predict dialect operations -----------*- tablegen -*-===//
//
// Constraint numbers (C1, C2, ...) refer to docs/Dialect.md.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_DIALECT_PREDICT_IR_PREDICTOPS_TD
#define PREDICT_DIALECT_PREDICT_IR_PREDICTOPS_TD

include "predict/Dialect/Predict/IR/PredictBase.td"
include "predict/Dialect/Predict/IR/PredictInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/CallInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/FunctionInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Ops whose result types follow from their operands (see the interface).
def InfersShapes : DeclareOpInterfaceMethods<Predict_ShapeInferenceOpInterface>;

// How an op's result sizes follow its operands' at run time (see
// ShapeInferenceOpInterface::getResultDimSources): elementwise math
// broadcasts, activations and normalizations keep their input's sizes, and
// ops with another rule define it in C++ (SizeSources.cpp).
def SizesBroadcast : NativeOpTrait<"SizesBroadcast"> {
  let cppNamespace = "::mlir::predict::OpTrait";
}
def SizesOfInput : NativeOpTrait<"SizesOfInput"> {
  let cppNamespace = "::mlir::predict::OpTrait";
}
def InfersShapesAndSizes
    : DeclareOpInterfaceMethods<Predict_ShapeInferenceOpInterface,
                                ["getResultDimSources"]>;

// Ops that batch loops may apply to a whole batch instead of one row (see
// RowWiseOpInterface): elementwise ops take the interface's default rule,
// others declare their own (in RowWise.cpp).
// Ops with an own rule for elements too (rows without their batch axis)
// declare it with RowWiseByOwnRules.
def ElementwiseRows : NativeOpTrait<"ElementwiseRows"> {
  let cppNamespace = "::mlir::predict::OpTrait";
}
def RowWiseElementwise
    : TraitList<[DeclareOpInterfaceMethods<Predict_RowWiseOpInterface>,
                 ElementwiseRows]>;
def RowWiseByOwnRule
    : DeclareOpInterfaceMethods<Predict_RowWiseOpInterface, ["isRowWise"]>;
def RowWiseByOwnRules
    : DeclareOpInterfaceMethods<Predict_RowWiseOpInterface,
                                ["isRowWise", "isRowWiseOnElements",
                                 "addBatchAxis"]>;

//===----------------------------------------------------------------------===//
// Models and methods
//===----------------------------------------------------------------------===//

def Predict_ModelOp : Predict_Op<"model", [
    Symbol, SymbolTable, NoTerminator, SingleBlock, IsolatedFromAbove,
    NoRegionArguments, ParentOneOf<["::mlir::ModuleOp", "ModelOp"]>]> {
  let summary = "a model instance: its layers, weights, methods and sub-models";
  let description = [{
    A model is a symbol that stands for one instance of a Keras-style model class
    (`model = SimpleModel()` in Python): the symbol is the name the program uses,
    `class` the Python class. Its body holds the model's weighted layers
    (`predict.layer.*`), its methods (`predict.method`: `call`, an overridden
    `predict`, helpers) and the models it holds as attributes (a nested
    `predict.model`). Nothing else may appear in a model (C1).

    Symbols are resolved as Python resolves the names a method uses: in the
    method's own model first (`self.dense1` is `@dense1`, `self.encoder` is
    `@encoder`), then at module level (a global model, `@model`; a free
    function names a method as `@model::@helper`). Enclosing models are
    skipped, as Python skips enclosing class scopes.

    ```mlir
    predict.model @model class "SimpleModel" {
      predict.layer.dense @dense1 kernel = dense<0.5> : tensor<100x64xf32>
          bias = dense<0.0> : tensor<64xf32> activation relu
      predict.method @call(%x: tensor<?x100xf32>) -> tensor<?x64xf32> {
        %y = predict.apply @dense1(%x) : (tensor<?x100xf32>) -> tensor<?x64xf32>
        predict.return %y : tensor<?x64xf32>
      }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       OptionalAttr<StrAttr>:$class_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name (`class` $class_name^)? attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name), [{
      build($_builder, $_state, name, ::mlir::StringAttr());
      $_state.regions.front()->emplaceBlock();
    }]>
  ];
  let extraClassDeclaration = [{
    /// The method with the given name, or null.
    MethodOp lookupMethod(::llvm::StringRef name);
  }];
}

def Predict_MethodOp : Predict_Op<"method", [
    AutomaticAllocationScope, FunctionOpInterface, IsolatedFromAbove,
    HasParent<"ModelOp">]> {
  let summary = "a method of a model: `call`, `predict`, or a helper";
  let description = [{
    A function in the scope of a model. `@call` is what `model(x)` runs;
    `@predict`, when present, overrides Keras's `Model.predict`; any other name
    is a helper that `predict.method_call` reaches. `self` is implicit: the body
    refers to the model's layers, sub-models and methods by symbol. The body ends
    with `predict.return` (C4).

    ```mlir
    predict.method @call(%x: tensor<?x100xf32>) -> tensor<?x10xf32> {
      ...
      predict.return %y : tensor<?x10xf32>
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       OptionalAttr<DictArrayAttr>:$arg_attrs,
                       OptionalAttr<DictArrayAttr>:$res_attrs);
  let regions = (region MinSizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "::mlir::FunctionType":$type)>
  ];
  let extraClassDeclaration = [{
    ::mlir::Region *getCallableRegion() { return &getBody(); }
    ::llvm::ArrayRef<::mlir::Type> getArgumentTypes() {
      return getFunctionType().getInputs();
    }
    ::llvm::ArrayRef<::mlir::Type> getResultTypes() {
      return getFunctionType().getResults();
    }
    /// The model this method belongs to.
    ModelOp getModel();
  }];
}

def Predict_ReturnOp : Predict_Op<"return", [
    Pure, HasParent<"MethodOp">, ReturnLike, Terminator]> {
  let summary = "return from a method";
  let description = [{
    Ends a method. The operands must match the method's result types in number,
    and each must be compatible with its declared type (C4): equal up to
    dimensions that one side leaves dynamic or unranked.

    ```mlir
    predict.return %y : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$operands);
  let assemblyFormat = "attr-dict ($operands^ `:` type($operands))?";
  let hasVerifier = 1;
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
}

//===----------------------------------------------------------------------===//
// Layers declared in a model
//===----------------------------------------------------------------------===//

class Predict_LayerOp<string mnemonic, list<Trait> traits = [],
                      list<string> overridden = []>
    : Predict_Op<"layer." # mnemonic, !listconcat(traits, [
        Symbol, HasParent<"ModelOp">,
        DeclareOpInterfaceMethods<Predict_LayerOpInterface, overridden>])> {
  let hasVerifier = 1;
}

def Predict_DenseLayerOp : Predict_LayerOp<"dense", [], ["appliesRowWise"]> {
  let summary = "a Dense layer: kernel, optional bias, activation";
  let description = [{
    `tf.keras.layers.Dense(units, activation, use_bias)` with its weights. The
    kernel is `K x units` (C5); the bias, present exactly when `use_bias`, has
    `units` elements (C6). The activation is applied with Keras's defaults for
    its parameters (see `predict.activation`). `predict.apply` of the layer is
    `predict.dense` with these weights.

    ```mlir
    predict.layer.dense @dense1 kernel = dense_resource<k1> : tensor<100x64xf32>
        bias = dense<0.0> : tensor<64xf32> activation relu
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ElementsAttr:$kernel,
                       OptionalAttr<ElementsAttr>:$bias,
                       DefaultValuedAttr<Predict_ActivationAttr,
                           "::mlir::predict::ActivationKind::linear">:$activation);
  let assemblyFormat = [{
    $sym_name `kernel` `=` $kernel (`bias` `=` $bias^)?
    (`activation` `` $activation^)? attr-dict
  }];
  let extraClassDeclaration = [{
    /// The number of output features (Keras's `units`).
    int64_t getUnits();
    bool getUseBias() { return static_cast<bool>(getBiasAttr()); }
  }];
}

def Predict_BatchNormLayerOp
    : Predict_LayerOp<"batch_norm", [], ["appliesRowWise"]> {
  let summary = "a BatchNormalization layer at inference";
  let description = [{
    `tf.keras.layers.BatchNormalization(axis, epsilon, center, scale)` with its
    moving statistics. `gamma` is present exactly when `scale`, `beta` exactly
    when `center`. Every parameter is a 1-D tensor of the same length (C7).
    `predict.apply` is `predict.batch_norm` with these parameters.

    ```mlir
    predict.layer.batch_norm @bn mean = dense<0.0> : tensor<64xf32>
        variance = dense<1.0> : tensor<64xf32> gamma = dense<1.0> : tensor<64xf32>
        beta = dense<0.0> : tensor<64xf32> epsilon = 1.0e-03
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ElementsAttr:$moving_mean,
                       ElementsAttr:$moving_variance,
                       OptionalAttr<ElementsAttr>:$gamma,
                       OptionalAttr<ElementsAttr>:$beta,
                       DefaultValuedAttr<F64Attr, "1.0e-3">:$epsilon,
                       DefaultValuedAttr<Predict_AxisAttr, "-1">:$axis);
  let assemblyFormat = [{
    $sym_name `mean` `=` $moving_mean `variance` `=` $moving_variance
    (`gamma` `=` $gamma^)? (`beta` `=` $beta^)?
    `epsilon` `=` $epsilon `axis` `=` $axis attr-dict
  }];
}

def Predict_NormalizationLayerOp : Predict_LayerOp<"normalization"> {
  let summary = "a Normalization layer: (x - mean) / max(sqrt(variance), epsilon)";
  let description = [{
    `tf.keras.layers.Normalization` after `adapt`, with its mean and variance
    (same shape, C8; they broadcast against the input as in Keras, which stores
    them as `1 x F`). `predict.apply` is `predict.normalization`.

    ```mlir
    predict.layer.normalization @norm mean = dense<0.5> : tensor<1x8xf32>
        variance = dense<2.0> : tensor<1x8xf32>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ElementsAttr:$mean,
                       ElementsAttr:$variance,
                       DefaultValuedAttr<F64Attr, "1.0e-7">:$epsilon);
  let assemblyFormat = [{
    $sym_name `mean` `=` $mean `variance` `=` $variance
    (`epsilon` `=` $epsilon^)? attr-dict
  }];
}

def Predict_LayerNormLayerOp
    : Predict_LayerOp<"layer_norm", [], ["appliesRowWise"]> {
  let summary = "a LayerNormalization layer: normalize each sample over `axes`";
  let description = [{
    `tf.keras.layers.LayerNormalization(axis, epsilon, center, scale)` with
    its weights. `gamma` is present exactly when `scale`, `beta` exactly when
    `center`; each holds the input's sizes along `axes` (C41, checked at
    `predict.apply`), whose entries are distinct (C42). `predict.apply` is
    `predict.layer_norm` with these parameters.

    ```mlir
    predict.layer.layer_norm @ln gamma = dense<1.0> : tensor<8xf32>
        beta = dense<0.0> : tensor<8xf32> epsilon = 1.000000e-05 axes = [1]
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       OptionalAttr<ElementsAttr>:$gamma,
                       OptionalAttr<ElementsAttr>:$beta,
                       DefaultValuedAttr<F64Attr, "1.0e-3">:$epsilon,
                       DenseI64ArrayAttr:$axes);
  let assemblyFormat = [{
    $sym_name (`gamma` `=` $gamma^)? (`beta` `=` $beta^)?
    `epsilon` `=` $epsilon `axes` `=` $axes attr-dict
  }];
}


def Predict_EmbeddingLayerOp : Predict_LayerOp<"embedding"> {
  let summary = "an Embedding layer: a table of `input_dim` rows of `output_dim`";
  let description = [{
    `tf.keras.layers.Embedding(input_dim, output_dim, mask_zero)` with its
    table `embeddings` (`input_dim x output_dim`, at least one row, C140).
    `predict.apply` of the layer on a tensor of ids is `predict.embedding`
    with this table. `mask_zero` is carried for the layers that consume
    Keras's mask (the recurrent layers); no layer predict compiles today
    consumes one, and importers refuse a masked output reaching a layer
    that would (C144).

    ```mlir
    predict.layer.embedding @emb embeddings = dense<0.5> : tensor<1000x8xf32>
        mask_zero
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ElementsAttr:$embeddings,
                       UnitAttr:$mask_zero);
  let assemblyFormat = [{
    $sym_name `embeddings` `=` $embeddings (`mask_zero` $mask_zero^)? attr-dict
  }];
  let extraClassDeclaration = [{
    /// Keras's `input_dim`: the number of ids the table holds.
    int64_t getInputDim();
  }];
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

def Predict_PReluLayerOp : Predict_LayerOp<"prelu", [], ["appliesRowWise"]> {
  let summary = "a PReLU layer: relu(x) - alpha relu(-x), alpha learned";
  let description = [{
    `tf.keras.layers.PReLU(shared_axes)` with its `alpha`, of shape
    `input_shape[1:]` with each shared axis of size 1 (it may be of lower
    rank; it aligns with the input's last axes as numpy broadcasts; C160,
    C161). `predict.apply` of the layer is `predict.prelu` with this alpha.

    ```mlir
    predict.layer.prelu @p alpha = dense_resource<p_alpha> : tensor<1x1x16xf32>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, ElementsAttr:$alpha);
  let assemblyFormat = "$sym_name `alpha` `=` $alpha attr-dict";
}

def Predict_GroupNormLayerOp
    : Predict_LayerOp<"group_norm", [], ["appliesRowWise"]> {
  let summary = "a GroupNormalization layer: normalize groups of channels";
  let description = [{
    `tf.keras.layers.GroupNormalization(groups, axis, epsilon, center, scale)`
    (Wu and He, "Group Normalization", 2018; Keras's
    keras/src/layers/normalization/group_normalization.py): the `C` channels
    along `axis` split into `groups` groups of `C / groups`; each sample is
    normalized over each group and all other non-batch axes, with variance
    numpy's `mean((x - mean)²)`, then scaled by `gamma` and shifted by `beta`
    per channel. `predict.apply` is that composition of dialect ops:
    `predict.reshape` to `N x … x groups x C/groups x …`, `predict.layer_norm`
    over every non-batch axis but the group axis, `predict.reshape` back,
    `predict.mul` by gamma and `predict.add` of beta.

    gamma and beta (present when `scale`, `center`) hold `C` values in the
    shape `C x 1 x … x 1` that broadcasts along `axis` (rank `rank - axis`),
    with one type (C162); `groups` is positive and divides `C`, `axis` is not
    the batch axis and `epsilon` is not negative (C163).

    ```mlir
    predict.layer.group_norm @g groups = 4 axis = -1 epsilon = 1.000000e-03
        gamma = dense_resource<g_gamma> : tensor<16xf32>
        beta = dense_resource<g_beta> : tensor<16xf32>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$groups,
                       I64Attr:$axis, F64Attr:$epsilon,
                       OptionalAttr<ElementsAttr>:$gamma,
                       OptionalAttr<ElementsAttr>:$beta);
  let assemblyFormat = [{
    $sym_name `groups` `=` $groups `axis` `=` $axis `epsilon` `=` $epsilon
    (`gamma` `=` $gamma^)? (`beta` `=` $beta^)? attr-dict
  }];
}

def Predict_ApplyOp : Predict_Op<"apply", [
    Pure, InfersShapes, RowWiseByOwnRule,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "apply a layer of the model: `self.dense1(x)`";
  let description = [{
    Calls the layer `layer` (resolved in the method's own model, then at
    module level) on one input. The layer must exist and be a layer (C9) and accept the input (C10);
    the result type is the layer's.

    ```mlir
    %y = predict.apply @dense1(%x) : (tensor<?x100xf32>) -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins SymbolRefAttr:$layer, Predict_FloatOrIntTensor:$input);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $layer `(` $input `)` attr-dict `:` functional-type($input, $result)
  }];
  let extraClassDeclaration = [{
    /// The layer this op applies, or null when the name does not resolve.
    LayerOpInterface resolveLayer();
  }];
}

class Predict_CallOp<string mnemonic, list<Trait> traits = []>
    : Predict_Op<mnemonic, !listconcat(traits, [
        InfersShapes, DeclareOpInterfaceMethods<SymbolUserOpInterface>])> {
  let arguments = (ins SymbolRefAttr:$callee, Variadic<AnyType>:$args);
  let results = (outs Variadic<AnyType>:$results);
  let assemblyFormat = [{
    $callee `(` $args `)` attr-dict `:` functional-type($args, $results)
  }];
  let extraClassDeclaration = [{
    /// The method this call runs, or null when the callee does not resolve.
    MethodOp resolveMethod();
  }];
}

def Predict_ModelCallOp : Predict_CallOp<"model_call"> {
  let summary = "call a model: `model(x)`";
  let description = [{
    Python's `model(x)`, that is `Model.__call__`, which runs the model's `call`
    method. `callee` names a model that has a `call` method (C11); arguments and
    results must fit its signature (C14, C15).

    ```mlir
    %y = predict.model_call @model(%x) : (tensor<?x100xf32>) -> tensor<?x10xf32>
    ```
  }];
}

def Predict_ModelPredictOp : Predict_CallOp<"model_predict"> {
  let summary = "call a model's predict: `model.predict(x)`";
  let description = [{
    Python's `model.predict(x)` on the rows it is given. If the model
    overrides `predict`, that method runs; otherwise Keras's `Model.predict`
    runs `predict_step` (the model's own, if it overrides it), whose default
    runs `call` on the input: without either override canonicalization
    rewrites the op into `predict.model_call`. Keras's predict runs
    predict_step on batches of `batch_size` rows: the Python front end makes
    those batches explicit, a `predict.for` over `range(0, x.shape[0],
    batch_size)` applying this op to `x[i:i+batch_size]`, which
    `predict-batch-loops` computes at once when the method is row-wise.
    `callee` names a model with a `predict`, `predict_step` or `call`
    method, the first of them being the one called (C12); arguments and results
    must fit that method (C14, C15).

    ```mlir
    %y = predict.model_predict @model(%x) : (tensor<?x100xf32>) -> tensor<?x10xf32>
    ```
  }];
  let hasCanonicalizeMethod = 1;
}

def Predict_MethodCallOp : Predict_CallOp<"method_call"> {
  let summary = "call a method by name: `self.helper(x)`, `model.helper(x)`";
  let description = [{
    Calls the method `callee` directly: `@helper` from inside the model,
    `@model::@helper` from outside. The callee must be a method (C13);
    arguments and results must fit its signature (C14, C15).

    ```mlir
    %y = predict.method_call @model::@features(%x)
        : (tensor<?x100xf32>) -> tensor<?x64xf32>
    ```
  }];
}

def Predict_ForeignCallOp : Predict_Op<"foreign_call"> {
  let summary = "a call into Python code the compiler does not know";
  let description = [{
    A call of a function outside the converted program (`scipy.signal.convolve`,
    `numpy.tanh`, ...). `callee` is the fully qualified dotted Python name,
    resolved through the program's imports (C40); `args` are the positional
    arguments and `kwargs` the keyword arguments that are compile-time
    constants. Result types may be unknown (`tensor<*xf32>`) until a rewrite
    gives them. The call may have any side effect: it is never removed or
    moved. A foreign call left at code generation is an error at its location.

    ```mlir
    %y = predict.foreign_call "scipy.signal.convolve"(%x, %k) kwargs {mode = "same"}
        : (tensor<?x10xf32>, tensor<4xf32>) -> tensor<*xf32>
    ```
  }];
  let arguments = (ins StrAttr:$callee, Variadic<AnyType>:$args,
                       OptionalAttr<DictionaryAttr>:$kwargs);
  let results = (outs Variadic<AnyType>:$results);
  let assemblyFormat = [{
    $callee `(` $args `)` (`kwargs` $kwargs^)? attr-dict `:`
    functional-type($args, $results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Constants and shapes
//===----------------------------------------------------------------------===//

def Predict_ConstantOp : Predict_Op<"constant", [
    ConstantLike, Pure, AllTypesMatch<["value", "result"]>]> {
  let summary = "a constant tensor: `tf.constant([...])`";
  let description = [{
    A tensor known at compile time. Scalars in Python arithmetic (`x * 2.0`)
    are rank-0 constants. The value's type is the result type (C32).

    ```mlir
    %k = predict.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyStaticShapeTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Predict_FillOp : Predict_Op<"fill", [Pure, InfersShapes]> {
  let summary = "a tensor filled with one value: `tf.zeros`, `tf.ones`, `tf.fill`";
  let description = [{
    A tensor of the result type with every element `value`. Each dynamic
    dimension of the result takes its size from one `sizes` operand, in order
    (C33).

    ```mlir
    %z = predict.fill 0.0 [%n] : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins F64Attr:$value, Variadic<Index>:$sizes);
  let results = (outs Predict_RankedFloatTensor:$result);
  let assemblyFormat = "$value (` ` `[` $sizes^ `]`)? attr-dict `:` type($result)";
}

def Predict_DimOp : Predict_Op<"dim", [Pure]> {
  let summary = "the size of one dimension: `x.shape[0]`, `tf.shape(x)[0]`";
  let description = [{
    The size of dimension `axis` of `input` as an `index`. A negative axis
    counts from the end, as in Python; it must be in range for a ranked input
    (C31). Folds to a constant when the dimension is static.

    ```mlir
    %n = predict.dim %x, 0 : tensor<?x100xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, Predict_AxisAttr:$axis);
  let results = (outs Index:$result);
  let assemblyFormat = "$input `,` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Predict_SliceOp : Predict_Op<"slice", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRules]> {
  let summary = "a slice along one axis: `x[i:i+1]`";
  let description = [{
    Python's `x[start:stop]` along `axis` (step 1), with Python's rules: a
    negative bound counts from the end of the axis, and both bounds are clamped
    to `[0, size]`; an empty range gives size 0. `axis` must be in range (C30).
    The result has size 1 along the axis when `stop` is `start + 1` and
    `start` is proven within the axis: `i + k` (k <= 0) for `i` of a loop
    over `range(c >= -k, x.shape[0])` of the same `x`, or of a tensor with
    `x`'s rows (the result of row-wise ops, RowWiseOpInterface, on `x`), or
    of a constant range inside a static axis (as a row loop writes it); size
    0 when both bounds are the same value plus the same constant; and `?`
    otherwise unless both bounds are constants on a static axis.

    ```mlir
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x100xf32> -> tensor<1x100xf32>
    ```
  }];
  let arguments = (ins Predict_ValueTensor:$input, Index:$start,
                       Index:$stop, Predict_AxisAttr:$axis);
  let results = (outs Predict_ValueTensor:$result);
  let assemblyFormat = [{
    $input `[` $start `:` $stop `]` `axis` $axis attr-dict `:` type($input)
    `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Layer computations
//===----------------------------------------------------------------------===//

def Predict_DenseOp : Predict_Op<"dense", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRules]> {
  let summary = "a dense layer: activation(input · kernel + bias)";
  let description = [{
    Contracts the last axis of `input` (rank at least 2) with the rows of the
    2-D `kernel` (C16), adds the optional 1-D `bias` of `units` elements (C17)
    and applies `activation` with its Keras defaults. The result has the
    input's shape with the last dimension replaced by `units`.

    ```mlir
    %y = predict.dense %x, %k, %b activation relu
        : (tensor<?x100xf32>, tensor<100x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, Predict_FloatTensor:$kernel,
                       Optional<Predict_FloatTensor>:$bias,
                       DefaultValuedAttr<Predict_ActivationAttr,
                           "::mlir::predict::ActivationKind::linear">:$activation);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $kernel (`,` $bias^)? (`activation` `` $activation^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Predict_ActivationOp : Predict_Op<"activation", [
    Pure, InfersShapes, SizesOfInput, RowWiseByOwnRules, AllTypesMatch<["input", "result"]>]> {
  let summary = "an activation function applied elementwise (softmax: along an axis)";
  let description = [{
    Applies `kind` with Keras's semantics:

    | kind | function | parameter (default) |
    |---|---|---|
    | linear | x | |
    | relu | max(x, 0) | |
    | sigmoid | 1 / (1 + exp(-x)) | |
    | tanh | tanh(x) | |
    | softmax | exp(x - max) / sum(exp(x - max)) along `axis` | `axis` (-1) |
    | gelu | x Φ(x); with `approximate` the tanh form | `approximate` (off) |
    | elu | x if x > 0 else alpha (exp(x) - 1) | `alpha` (1.0) |
    | selu | scale · elu(x, 1.6732632…), scale 1.0507009… | |
    | leaky_relu | x if x > 0 else alpha x | `alpha` (0.2) |
    | swish | x · sigmoid(x) (also called silu) | |
    | softplus | log(1 + exp(x)) | |
    | relu6 | min(max(x, 0), 6) | |
    | hard_sigmoid | clip(alpha x + 0.5, 0, 1) | `alpha` (1/6: Keras 3's relu6(x + 3) / 6; Keras 2 used 0.2) |
    | hard_swish | x · hard_sigmoid(x) (Keras 3's hard_silu) | |
    | mish | x · tanh(softplus(x)) | |
    | log_softmax | x - max - log(sum(exp(x - max))) along `axis` | `axis` (-1) |
    | exponential | exp(x) | |
    | softsign | x / (abs(x) + 1) | |
    | log_sigmoid | -softplus(-x) | |
    | celu | x if x > 0 else alpha (exp(x / alpha) - 1) | `alpha` (1.0) |
    | hard_tanh | clip(x, -1, 1) | |
    | tanh_shrink | x - tanh(x) | |
    | hard_shrink | x if abs(x) > alpha else 0 | `alpha`, the threshold (0.5) |
    | soft_shrink | x - alpha if x > alpha, x + alpha if x < -alpha, else 0 | `alpha`, the threshold (0.5) |
    | squareplus | (x + sqrt(x² + alpha)) / 2 | `alpha`, Keras's `b` (4) |
    | sparse_plus | 0 if x ≤ -1, x if x ≥ 1, else (x + 1)² / 4 | |

    The formulas are Keras 3's (keras/src/activations/activations.py and
    keras.ops). A parameter may only be given to the kind that takes it, and
    `axis` must be in range (C18).

    ```mlir
    %p = predict.activation softmax %x axis = -1 : tensor<?x10xf32>
    %l = predict.activation leaky_relu %x alpha = 3.000000e-01 : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Predict_ActivationAttr:$kind, Predict_FloatTensor:$input,
                       OptionalAttr<F64Attr>:$alpha, OptionalAttr<Predict_AxisAttr>:$axis,
                       UnitAttr:$approximate);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    `` $kind $input (`alpha` `=` $alpha^)? (`axis` `=` $axis^)?
    (`approximate` $approximate^)? attr-dict `:` type($input)
  }];
  let hasFolder = 1;
}

def Predict_DropoutOp : Predict_Op<"dropout", [
    Pure, InfersShapes, SizesBroadcast, RowWiseElementwise,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Dropout: the identity at inference";
  let description = [{
    `tf.keras.layers.Dropout(rate)`. Inference never drops, so the op is the
    identity and folds away; `rate` is kept for the reader and must be in
    `[0, 1]`, as Keras checks it (C19).

    ```mlir
    %y = predict.dropout %x rate = 5.000000e-01 : tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, F64Attr:$rate);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = "$input `rate` `=` $rate attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Predict_BatchNormOp : Predict_Op<"batch_norm", [
    Pure, InfersShapes, SizesOfInput, RowWiseByOwnRule, AttrSizedOperandSegments,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "BatchNormalization at inference";
  let description = [{
    `gamma * (x - mean) / sqrt(variance + epsilon) + beta` along `axis`, with
    `gamma` 1 and `beta` 0 when absent. Every parameter is 1-D with as many
    elements as the input has along `axis`, which must be in range (C20).

    ```mlir
    %y = predict.batch_norm %x mean %m variance %v gamma %g beta %b
        epsilon = 1.000000e-03 axis = -1
        : (tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>,
           tensor<64xf32>) -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, Predict_FloatTensor:$mean,
                       Predict_FloatTensor:$variance,
                       Optional<Predict_FloatTensor>:$gamma,
                       Optional<Predict_FloatTensor>:$beta,
                       DefaultValuedAttr<F64Attr, "1.0e-3">:$epsilon,
                       DefaultValuedAttr<Predict_AxisAttr, "-1">:$axis);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `mean` $mean `variance` $variance (`gamma` $gamma^)? (`beta` $beta^)?
    `epsilon` `=` $epsilon `axis` `=` $axis attr-dict `:`
    functional-type(operands, results)
  }];
}

def Predict_NormalizationOp : Predict_Op<"normalization", [
    Pure, InfersShapes, SizesOfInput, RowWiseByOwnRule, AllTypesMatch<["input", "result"]>]> {
  let summary = "Keras Normalization: (x - mean) / max(sqrt(variance), epsilon)";
  let description = [{
    `mean` and `variance` have the same shape and broadcast against the input
    without changing its shape (C21).

    ```mlir
    %y = predict.normalization %x mean %m variance %v
        : (tensor<?x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<?x8xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, Predict_FloatTensor:$mean,
                       Predict_FloatTensor:$variance,
                       DefaultValuedAttr<F64Attr, "1.0e-7">:$epsilon);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `mean` $mean `variance` $variance (`epsilon` `=` $epsilon^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def Predict_LayerNormOp : Predict_Op<"layer_norm", [
    Pure, InfersShapes, SizesOfInput, RowWiseByOwnRule, AttrSizedOperandSegments,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "LayerNormalization: each sample normalized over `axes`";
  let description = [{
    With `mean` and `variance` over the dimensions `axes` of the input
    (numpy's `var = mean((x - mean) ** 2)`), the result is
    `(x - mean) / sqrt(variance + epsilon) * gamma + beta`, with `gamma` 1 and
    `beta` 0 when absent. `axes` are distinct dimensions of the input,
    negative ones counted from the end (C42); `gamma` and `beta` have the
    input's sizes along the axes, in ascending order of the axes (C41).

    Each sample (row of the batch axis 0) is normalized alone when `axes`
    leave out axis 0, so `predict.for` loops over rows may batch it.

    ```mlir
    %y = predict.layer_norm %x gamma %g beta %b epsilon = 1.000000e-03
        axes = [1] : (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>)
        -> tensor<?x8xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input,
                       Optional<Predict_FloatTensor>:$gamma,
                       Optional<Predict_FloatTensor>:$beta,
                       DefaultValuedAttr<F64Attr, "1.0e-3">:$epsilon,
                       DenseI64ArrayAttr:$axes);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`gamma` $gamma^)? (`beta` $beta^)? `epsilon` `=` $epsilon
    `axes` `=` $axes attr-dict `:` functional-type(operands, results)
  }];
}

def Predict_PReluOp : Predict_Op<"prelu", [
    Pure, InfersShapes, SizesOfInput, RowWiseByOwnRule,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "parametric ReLU: relu(x) - alpha relu(-x)";
  let description = [{
    Keras's PReLU (keras/src/layers/activations/prelu.py, and tf.keras 2's):
    `relu(x) + (-alpha) * relu(-x)`, elementwise, `alpha` broadcast along the
    input's leading axes. NaN stays NaN; `alpha` is never broadcast over the
    batch axis, and each of its sizes is 1 or the input's (C160, C161).

    ```mlir
    %y = predict.prelu %x, %alpha : (tensor<?x8x16xf32>, tensor<1x16xf32>) -> tensor<?x8x16xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, Predict_FloatTensor:$alpha);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $alpha attr-dict `:` functional-type(operands, results)
  }];
}

def Predict_L2NormalizeOp : Predict_Op<"l2_normalize", [
    Pure, InfersShapes, SizesOfInput, RowWiseByOwnRules,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "x / sqrt(max(sum(x²), epsilon)) over axes";
  let description = [{
    `tf.math.l2_normalize(x, axis, epsilon)` and Keras's `UnitNormalization`
    (tf.keras 2 calls the former; Keras 3 computes the same): each
    element times `rsqrt(max(sum(x²), epsilon))`, the sum over `axes` (one
    per position of the other axes). `axes` follow `predict.layer_norm`'s
    rule (C42); `epsilon` is not negative. Row-wise for loop batching when
    `axes` leave out axis 0.

    ```mlir
    %y = predict.l2_normalize %x axes = [-1] epsilon = 1.000000e-12 : tensor<?x8xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<F64Attr, "1.0e-12">:$epsilon);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes `epsilon` `=` $epsilon attr-dict `:` type($input)
  }];
}

def Predict_FlattenOp : Predict_Op<"flatten", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "Flatten: keep the batch axis, collapse the others";
  let description = [{
    `tf.keras.layers.Flatten()`: a tensor of shape `N x d1 x ... x dk` becomes
    `N x (d1 ... dk)`; a 1-D tensor becomes `N x 1`. The input has rank at
    least 1 (C22).

    ```mlir
    %f = predict.flatten %x : tensor<?x28x28xf32> -> tensor<?x784xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Predict_ConcatenateOp : Predict_Op<"concatenate", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRules]> {
  let summary = "join tensors along an axis: `tf.concat([a, b], axis)`, Concatenate";
  let description = [{
    All inputs have the same rank, `axis` is in range (negative counts from
    the end), and the inputs agree on every other dimension (C23).

    ```mlir
    %c = predict.concatenate %a, %b axis = 1
        : (tensor<?x4xf32>, tensor<?x6xf32>) -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Variadic<Predict_ValueTensor>:$inputs, Predict_AxisAttr:$axis);
  let results = (outs Predict_ValueTensor:$result);
  let assemblyFormat = [{
    $inputs `axis` `=` $axis attr-dict `:` functional-type($inputs, $result)
  }];
}


def Predict_EmbeddingOp : Predict_Op<"embedding", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "Embedding: look ids up in a table";
  let description = [{
    Each id of `ids` (any rank) selects a row of the 2-D `embeddings`
    table: the result has the ids' shape followed by the table's row size,
    and the table's element type (C141). Ids are integers of any width, or
    floating-point values holding integers (Keras casts float ids to
    int32); at run time every id is an integer in `[0, rows)`, else a
    located error naming the id (C142): Keras on CPU would read out of
    bounds or raise, and a float id that is not an integer would be
    truncated silently.

    ```mlir
    %e = predict.embedding %ids, %table
        : (tensor<?x4xi32>, tensor<1000x8xf32>) -> tensor<?x4x8xf32>
    ```
  }];
  let arguments = (ins Predict_FloatOrIntTensor:$ids,
                       Predict_ValueTensor:$embeddings);
  let results = (outs Predict_ValueTensor:$result);
  let assemblyFormat = [{
    $ids `,` $embeddings attr-dict `:` functional-type(operands, results)
  }];
}

def Predict_BatchDotOp : Predict_Op<"batch_dot", [Pure, InfersShapes]> {
  let summary = "Keras's Dot layer: per-sample dot product along two axes";
  let description = [{
    `tf.keras.layers.Dot(axes, normalize)`, Keras's `batch_dot`: for each
    sample `n` of the batch (axis 0 of both operands), contracts axis
    `axes[0]` of `lhs` with axis `axes[1]` of `rhs`. The result is `N x`
    the other dimensions of `lhs` in order `x` the other dimensions of `rhs`
    in order; `N x 1` when both operands are 2-D. With `normalize`, each
    operand is first divided by its L2 norm along its axis, bounded below by
    1e-7 as Keras 3's `normalize` does. Both operands have rank >= 2 and one
    element type; `axes` are two axes, one per operand (negative ones count
    from the end), neither the batch axis (C143); the batch sizes and the
    sizes along the axes agree (checked at run time when dynamic).

    ```mlir
    %d = predict.batch_dot %a, %b axes = [1, 1] normalize
        : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x1xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$lhs, Predict_FloatTensor:$rhs,
                       DenseI64ArrayAttr:$axes, UnitAttr:$normalize);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs `axes` `=` $axes (`normalize` $normalize^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise math (numpy broadcasting)
//===----------------------------------------------------------------------===//

class Predict_BinaryOp<string mnemonic, string pyName,
                       TypeConstraint operand = Predict_NumberTensor>
    : Predict_Op<mnemonic, [Pure, InfersShapes, SizesBroadcast,
                            RowWiseElementwise]> {
  let summary = "elementwise " # mnemonic # " with numpy broadcasting: `" # pyName # "`";
  let description = [{
    The operands broadcast against each other as in numpy (C24) and have the
    same element type (C25); rank-0 operands stand for Python scalars.
    Integers (where the operand type allows them) wrap around on overflow,
    as numpy's and TensorFlow's do.

    ```mlir
    %z = predict.}] # mnemonic # [{ %x, %y
        : (tensor<?x10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins operand:$lhs, operand:$rhs);
  let results = (outs operand:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Predict_AddOp : Predict_Op<"add", [
    Pure, InfersShapes, SizesBroadcast, RowWiseElementwise]> {
  let summary = "elementwise sum of two or more tensors: `a + b`, the Add layer";
  let description = [{
    The sum of all inputs (at least two, C24), which broadcast against each
    other as in numpy (C24) and have the same element type (C25).

    ```mlir
    %s = predict.add %a, %b, %c
        : (tensor<?x10xf32>, tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Variadic<Predict_NumberTensor>:$inputs);
  let results = (outs Predict_NumberTensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, $result)";
}

def Predict_SubOp : Predict_BinaryOp<"sub", "a - b">;
def Predict_MulOp : Predict_BinaryOp<"mul", "a * b">;
def Predict_DivOp : Predict_BinaryOp<"div", "a / b", Predict_FloatTensor>;
def Predict_PowOp : Predict_BinaryOp<"pow", "a ** b", Predict_FloatTensor>;
def Predict_MaximumOp : Predict_BinaryOp<"maximum", "tf.maximum(a, b)">;
def Predict_MinimumOp : Predict_BinaryOp<"minimum", "tf.minimum(a, b)">;
def Predict_FloorDivOp : Predict_BinaryOp<"floor_div", "a // b"> {
  let description = [{
    Python's and numpy's floor division (`tf.math.floordiv`): the quotient
    rounded toward minus infinity; for floats `floor(a / b)` as TensorFlow
    computes it (numpy and Python round the exact quotient instead: their
    `1.0 // 0.1` is 9.0, TensorFlow's and predict's 10.0). For integers
    a zero divisor is undefined (the front end checks it at run time, as
    TensorFlow raises); `INT_MIN // -1` wraps to `INT_MIN`, as in numpy.

    ```mlir
    %q = predict.floor_div %ids, %two
        : (tensor<?xi64>, tensor<i64>) -> tensor<?xi64>
    ```
  }];
}
def Predict_ModOp : Predict_BinaryOp<"mod", "a % b"> {
  let description = [{
    Python's and numpy's remainder (`tf.math.floormod`): `a - (a // b) * b`,
    which has the sign of `b` (C's `%` has the sign of `a`). For integers a
    zero divisor is undefined (checked by the front end); for floats it
    gives NaN, as numpy's `np.mod` does.

    ```mlir
    %r = predict.mod %ids, %three
        : (tensor<?xi64>, tensor<i64>) -> tensor<?xi64>
    ```
  }];
}

class Predict_UnaryOp<string mnemonic, string pyName,
                      TypeConstraint operand = Predict_FloatTensor>
    : Predict_Op<mnemonic, [Pure, InfersShapes, SizesBroadcast,
                            RowWiseElementwise,
                            AllTypesMatch<["input", "result"]>]> {
  let summary = "elementwise " # mnemonic # ": `" # pyName # "`";
  let description = [{
    ```mlir
    %y = predict.}] # mnemonic # [{ %x : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins operand:$input);
  let results = (outs operand:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Predict_NegOp : Predict_UnaryOp<"neg", "-x", Predict_NumberTensor>;
def Predict_ExpOp : Predict_UnaryOp<"exp", "tf.exp(x)">;
def Predict_LogOp : Predict_UnaryOp<"log", "tf.math.log(x)">;
def Predict_SqrtOp : Predict_UnaryOp<"sqrt", "tf.sqrt(x)">;
def Predict_AbsOp : Predict_UnaryOp<"abs", "tf.abs(x)", Predict_NumberTensor>;

def Predict_ClipOp : Predict_Op<"clip", [
    Pure, InfersShapes, SizesBroadcast, RowWiseElementwise,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "clamp into [min, max]: `tf.clip_by_value`, `np.clip`";
  let description = [{
    At least one bound is given (C26). As numpy's `np.clip` computes it,
    `min(max(x, min), max)`: with `min > max` every element is `max`.

    ```mlir
    %c = predict.clip %x min = 0.0 max = 6.0 : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`min` `=` $min^)? (`max` `=` $max^)? attr-dict `:` type($input)
  }];
}

def Predict_CompareOp : Predict_Op<"compare", [
    Pure, InfersShapes, SizesBroadcast, RowWiseElementwise]> {
  let summary = "elementwise comparison: `a > b` and friends";
  let description = [{
    Compares with numpy broadcasting (C24) operands of the same element type
    (C25); the result is a tensor of `i1`. Bools compare by `eq` and `ne`
    only (C226: TensorFlow's Equal and NotEqual take bools, its Less and
    Greater do not).

    ```mlir
    %m = predict.compare gt %x, %zero
        : (tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xi1>
    ```
  }];
  let arguments = (ins Predict_CompareAttr:$kind, Predict_ValueTensor:$lhs,
                       Predict_ValueTensor:$rhs);
  let results = (outs Predict_BoolTensor:$result);
  let hasVerifier = 1;
  let assemblyFormat = [{
    `` $kind $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Predict_SelectOp : Predict_Op<"select", [
    Pure, InfersShapes, SizesBroadcast, RowWiseElementwise]> {
  let summary = "choose elementwise: `tf.where(c, a, b)`, `np.where(c, a, b)`";
  let description = [{
    `condition` is a tensor of `i1` (C27); the three operands broadcast
    together (C24); the two values have the same element type (C25).

    ```mlir
    %y = predict.select %m, %x, %zero
        : (tensor<?x10xi1>, tensor<?x10xf32>, tensor<f32>) -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Predict_BoolTensor:$condition,
                       Predict_NumberTensor:$true_value,
                       Predict_NumberTensor:$false_value);
  let results = (outs Predict_NumberTensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:`
    functional-type(operands, results)
  }];
}

def Predict_MatmulOp : Predict_Op<"matmul", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRules]> {
  let summary = "matrix product with numpy's rules: `a @ b`, `tf.matmul`, `np.matmul`";
  let description = [{
    numpy's `matmul`: operands of rank at least 1; a 1-D left operand is a row,
    a 1-D right operand a column, and that dimension is dropped from the
    result; leading (batch) dimensions broadcast. The contracted dimensions
    must agree (C28).

    ```mlir
    %y = predict.matmul %a, %b
        : (tensor<?x100xf32>, tensor<100x64xf32>) -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$lhs, Predict_FloatTensor:$rhs);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Predict_ConvolveOp : Predict_Op<"convolve", [Pure, InfersShapes]> {
  let summary = "N-D convolution or correlation as `scipy.signal.convolve`/`correlate`";
  let description = [{
    The direct N-dimensional convolution of `input` with `kernel` (with
    `correlate`, the correlation), with scipy's output sizes: `full` is
    `n + m - 1` per axis, `same` is `n` (centered as scipy centers it), `valid`
    is `max(n, m) - min(n, m) + 1`. Both operands have the same rank, as scipy
    requires; in `valid` mode one operand is at least as large as the other in
    every dimension (C29).

    ```mlir
    %y = predict.convolve %x, %k mode same
        : (tensor<?x10xf32>, tensor<1x4xf32>) -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, Predict_FloatTensor:$kernel,
                       Predict_ConvolveModeAttr:$mode, UnitAttr:$correlate);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $kernel `mode` `` $mode (`correlate` $correlate^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Keras convolution layers: Conv1D, Conv2D, DepthwiseConv2D, SeparableConv1D/2D,
// Conv2DTranspose (declarations and computations; C100-C119)
//===----------------------------------------------------------------------===//

def Predict_ConvLayerOp : Predict_LayerOp<"conv", [], ["appliesRowWise"]> {
  let summary = "a convolution layer: Conv1D, Conv2D, DepthwiseConv2D";
  let description = [{
    `tf.keras.layers.Conv1D/Conv2D(filters, kernel_size, strides, padding,
    data_format, dilation_rate, groups, activation, use_bias)` with its
    weights; a `DepthwiseConv2D(depth_multiplier=M)` on `C` channels is the
    same layer with `groups = C` and its `kh x kw x C x M` kernel stored as
    `kh x kw x 1 x (C*M)` (output channel `c*M + m`, Keras's order). The
    kernel is `k1 x ... x kS x (channels / groups) x filters` for `S` = 1,
    2 or 3 spatial axes (C100; 3 with one group, C300: Conv3D); `strides`
    and `dilations` have `S` positive
    entries (C101); `groups` is positive and divides `filters` (C104); the
    bias, present exactly when `use_bias`, has `filters` elements (C105);
    `causal` padding is Conv1D's (C106). `predict.apply` is `predict.conv`
    with these weights; the input's channels are checked there (C103).

    ```mlir
    predict.layer.conv @conv kernel = dense<0.5> : tensor<3x3x1x8xf32>
        bias = dense<0.0> : tensor<8xf32> strides = [1, 1] dilations = [1, 1]
        padding same activation relu
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ElementsAttr:$kernel,
                       OptionalAttr<ElementsAttr>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<Predict_ConvPaddingAttr,
                           "::mlir::predict::ConvPadding::valid">:$padding,
                       DefaultValuedAttr<I64Attr, "1">:$groups,
                       UnitAttr:$channels_first,
                       DefaultValuedAttr<Predict_ActivationAttr,
                           "::mlir::predict::ActivationKind::linear">:$activation);
  let assemblyFormat = [{
    $sym_name `kernel` `=` $kernel (`bias` `=` $bias^)?
    `strides` `=` $strides `dilations` `=` $dilations
    (`padding` `` $padding^)? (`groups` `=` $groups^)?
    (`channels_first` $channels_first^)? (`activation` `` $activation^)?
    attr-dict
  }];
}

def Predict_SeparableConvLayerOp
    : Predict_LayerOp<"separable_conv", [], ["appliesRowWise"]> {
  let summary = "a SeparableConv1D/2D layer: depthwise, then pointwise";
  let description = [{
    `tf.keras.layers.SeparableConv1D/2D(filters, kernel_size, strides,
    padding, data_format, dilation_rate, depth_multiplier, activation,
    use_bias)`: a depthwise convolution (`predict.conv` with `groups` =
    the input's channels `C`, no bias, the layer's strides, dilations and
    padding) followed by a pointwise one (kernel size 1, stride 1) with the
    bias and the activation. Keras's `k... x C x M` depthwise kernel is
    stored as `k... x 1 x (C*M)` with `groups = C`, and the pointwise kernel
    as `1... x (C*M) x filters`; each obeys the rules of `predict.layer.conv`
    (C100-C105), and the pointwise kernel has kernel size 1 and the
    depthwise kernel's filters as its channels (C110).

    ```mlir
    predict.layer.separable_conv @sep depthwise = dense<0.5> : tensor<3x3x1x4xf32>
        pointwise = dense<0.5> : tensor<1x1x4x8xf32> strides = [1, 1]
        dilations = [1, 1] padding same groups = 4
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ElementsAttr:$depthwise_kernel,
                       ElementsAttr:$pointwise_kernel,
                       OptionalAttr<ElementsAttr>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<Predict_ConvPaddingAttr,
                           "::mlir::predict::ConvPadding::valid">:$padding,
                       DefaultValuedAttr<I64Attr, "1">:$groups,
                       UnitAttr:$channels_first,
                       DefaultValuedAttr<Predict_ActivationAttr,
                           "::mlir::predict::ActivationKind::linear">:$activation);
  let assemblyFormat = [{
    $sym_name `depthwise` `=` $depthwise_kernel
    `pointwise` `=` $pointwise_kernel (`bias` `=` $bias^)?
    `strides` `=` $strides `dilations` `=` $dilations
    (`padding` `` $padding^)? (`groups` `=` $groups^)?
    (`channels_first` $channels_first^)? (`activation` `` $activation^)?
    attr-dict
  }];
}

def Predict_ConvTransposeLayerOp
    : Predict_LayerOp<"conv_transpose", [], ["appliesRowWise"]> {
  let summary = "a Conv2DTranspose layer";
  let description = [{
    `tf.keras.layers.Conv2DTranspose(filters, kernel_size, strides, padding,
    output_padding, data_format, dilation_rate, activation, use_bias)` with
    its weights: the kernel is Keras's `k1 x ... x kS x filters x channels`
    (C100, C108), the bias has `filters` elements (C105); `output_padding`,
    when given, has an entry per spatial axis, each below its stride
    (C109). `predict.apply` is `predict.conv_transpose`.

    ```mlir
    predict.layer.conv_transpose @up kernel = dense<0.5> : tensor<3x3x8x4xf32>
        strides = [2, 2] dilations = [1, 1] padding same
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ElementsAttr:$kernel,
                       OptionalAttr<ElementsAttr>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<Predict_ConvPaddingAttr,
                           "::mlir::predict::ConvPadding::valid">:$padding,
                       OptionalAttr<DenseI64ArrayAttr>:$output_padding,
                       UnitAttr:$channels_first,
                       DefaultValuedAttr<Predict_ActivationAttr,
                           "::mlir::predict::ActivationKind::linear">:$activation);
  let assemblyFormat = [{
    $sym_name `kernel` `=` $kernel (`bias` `=` $bias^)?
    `strides` `=` $strides `dilations` `=` $dilations
    (`padding` `` $padding^)? (`output_padding` `=` $output_padding^)?
    (`channels_first` $channels_first^)? (`activation` `` $activation^)?
    attr-dict
  }];
}

def Predict_ConvOp : Predict_Op<"conv", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "a Keras convolution: Conv1D, Conv2D, grouped and depthwise";
  let description = [{
    Keras's convolution (a correlation: the kernel is not flipped) of
    `input` (`N x L1 x ... x LS x C`, or `N x C x L1 x ... x LS` with
    `channels_first`) with `kernel` (`k1 x ... x kS x (C / groups) x F`),
    `S` = 1, 2 or 3 (3 with one group, C300): output element `[n, o..., f]`
    is the sum over the kernel
    position `k...` and the group's input channels `c` of
    `x[n, o*s + k*d - p_lo, g*(C/groups) + c] * w[k..., c, f]`, where `g` is
    `f`'s group (`f / (F / groups)`), plus `bias[f]`, then `activation`
    (softmax along the last axis, as Keras applies it).

    Output sizes are Keras's (keras.src.ops.operation_utils
    `compute_conv_output_shape`): `valid` gives `floor((L - d*(k-1) - 1) / s)
    + 1` (the input is at least as large as the dilated kernel, C107);
    `same` gives `ceil(L / s)`, padding `max((out-1)*s + d*(k-1) + 1 - L, 0)`
    zeros split as TensorFlow does, the odd one at the end; `causal` (1-D
    only, C106) pads `d*(k-1)` zeros at the start, giving `ceil(L / s)`.

    Constraints: the kernel has rank `S + 2` and the input too (C100);
    `strides` and `dilations` have `S` positive entries (C101); `groups` is
    positive (C102); the input's channels are `groups` times the kernel's
    (C103) and `groups` divides `F` (C104); the bias has `F` elements
    (C105); one element type throughout.

    ```mlir
    %y = predict.conv %x, %k, %b strides = [1, 1] dilations = [1, 1]
        padding same activation relu
        : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>, tensor<8xf32>)
        -> tensor<?x28x28x8xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, Predict_FloatTensor:$kernel,
                       Optional<Predict_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<Predict_ConvPaddingAttr,
                           "::mlir::predict::ConvPadding::valid">:$padding,
                       DefaultValuedAttr<I64Attr, "1">:$groups,
                       UnitAttr:$channels_first,
                       DefaultValuedAttr<Predict_ActivationAttr,
                           "::mlir::predict::ActivationKind::linear">:$activation);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $kernel (`,` $bias^)? `strides` `=` $strides
    `dilations` `=` $dilations (`padding` `` $padding^)?
    (`groups` `=` $groups^)? (`channels_first` $channels_first^)?
    (`activation` `` $activation^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Predict_ConvTransposeOp : Predict_Op<"conv_transpose", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "a Keras transposed convolution: Conv2DTranspose";
  let description = [{
    The transpose (gradient) of the convolution of `predict.conv`, as
    TensorFlow's `conv2d_transpose` computes it: with `input` `N x L... x C`
    (or channels first) and Keras's `kernel` `k... x F x C`, output element
    `[n, o..., f]` is the sum over `i..., k..., c` with `o = i*s + k*d - p`
    of `x[n, i..., c] * w[k..., f, c]`, plus `bias[f]`, then `activation`.

    Output sizes are Keras's (`deconv_output_length`), with `kd = d*(k-1) +
    1`: without `output_padding`, `valid` gives `L*s + max(kd - s, 0)` and
    `same` gives `L*s`; with it, `(L-1)*s + kd - 2*pad + output_padding`
    where `pad` is 0 (`valid`) or `kd / 2` (`same`). `p` is 0 for `valid`
    and, for `same`, the start padding of the forward convolution of the
    output's size: `max((L-1)*s + kd - out, 0) / 2`.

    Constraints: the kernel and the input have rank `S + 2`, `S` = 1 or 2
    (C100); `strides` and `dilations` have `S` positive entries (C101); the
    input's channels are the kernel's last dimension (C108); the bias has
    `F` elements (C105); `output_padding`, when given, has `S` entries each
    in `[0, stride)` (C109); `causal` padding is refused (C106).

    ```mlir
    %y = predict.conv_transpose %x, %k strides = [2, 2] dilations = [1, 1]
        padding same
        : (tensor<?x7x7x8xf32>, tensor<3x3x4x8xf32>) -> tensor<?x14x14x4xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, Predict_FloatTensor:$kernel,
                       Optional<Predict_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<Predict_ConvPaddingAttr,
                           "::mlir::predict::ConvPadding::valid">:$padding,
                       OptionalAttr<DenseI64ArrayAttr>:$output_padding,
                       UnitAttr:$channels_first,
                       DefaultValuedAttr<Predict_ActivationAttr,
                           "::mlir::predict::ActivationKind::linear">:$activation);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $kernel (`,` $bias^)? `strides` `=` $strides
    `dilations` `=` $dilations (`padding` `` $padding^)?
    (`output_padding` `=` $output_padding^)?
    (`channels_first` $channels_first^)? (`activation` `` $activation^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Pooling, reshaping and inference-identity layers (issue 17; C120-C139)
//===----------------------------------------------------------------------===//

def Predict_PoolOp : Predict_Op<"pool", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "MaxPooling1D/2D/3D, AveragePooling1D/2D/3D: a window slid over the spatial axes";
  let description = [{
    `tf.keras.layers.MaxPooling2D(pool_size, strides, padding, data_format)`
    and its 1-D and average siblings. The input is `N x spatial... x C`
    (`N x C x spatial...` with `channels_first`), with one spatial axis per
    entry of `window`. Along each spatial axis of size `n`, with window `k`
    and stride `s`, the output size is Keras's
    (keras.src.ops.operation_utils.compute_pooling_output_shape):
    `floor((n - k) / s) + 1` with `valid` padding (an error when negative,
    as Keras raises; 0 is a valid size), `floor((n - 1) / s) + 1` with
    `same`. `same` pads as TensorFlow does: `max((out - 1) s + k - n, 0)`
    in all, half of it (rounded down) before. `max` ignores the padding;
    `avg` divides each window's sum by the number of input elements it
    covers (TensorFlow's AvgPool), not by `k`.
    `window` and `strides` have one to three entries each, as many as each
    other, all positive (C120); a 3-D window pools channels last (C301); the
    input has rank `2 + size(window)` (C121)
    and, with `valid` padding, every spatial size `n >= k - s` (C122).

    ```mlir
    %y = predict.pool max %x window = [2, 2] strides = [2, 2]
        : tensor<?x28x28x8xf32> -> tensor<?x14x14x8xf32>
    ```
  }];
  let arguments = (ins Predict_PoolKindAttr:$kind, Predict_FloatTensor:$input,
                       DenseI64ArrayAttr:$window, DenseI64ArrayAttr:$strides,
                       UnitAttr:$same, UnitAttr:$channels_first);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    `` $kind $input `window` `=` $window `strides` `=` $strides
    (`same` $same^)? (`channels_first` $channels_first^)? attr-dict `:`
    type($input) `->` type($result)
  }];
}

def Predict_GlobalPoolOp : Predict_Op<"global_pool", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "GlobalMaxPooling1D/2D, GlobalAveragePooling1D/2D: over every spatial axis";
  let description = [{
    The maximum (`max`) or the mean (`avg`) over every spatial axis of an
    input `N x spatial... x C` (`N x C x spatial...` with
    `channels_first`): the result is `N x C`, or with `keepdims` the
    input's rank with size 1 on the spatial axes (Keras's
    `GlobalMaxPooling2D(data_format, keepdims)`). Over an empty spatial
    extent the maximum is -inf and the mean NaN, as numpy's reductions
    with an initial value give. The input has rank at least 3 (C123).

    ```mlir
    %y = predict.global_pool avg %x : tensor<?x7x7x64xf32> -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Predict_PoolKindAttr:$kind, Predict_FloatTensor:$input,
                       UnitAttr:$channels_first, UnitAttr:$keepdims);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    `` $kind $input (`channels_first` $channels_first^)?
    (`keepdims` $keepdims^)? attr-dict `:` type($input) `->` type($result)
  }];
}

def Predict_PadOp : Predict_Op<"pad", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "ZeroPadding1D/2D/3D, tf.pad: a value added before and after each axis";
  let description = [{
    Adds `low[d]` elements before and `high[d]` after each axis `d`, each
    `value` (0 when absent; numpy's `np.pad(x, list(zip(low, high)),
    constant_values=value)`); the Keras layers give the spatial axes of
    `ZeroPadding2D(padding, data_format)` and zeros elsewhere, `tf.pad` its
    `paddings` and `constant_values`. `low` and `high` have one
    non-negative entry per input axis (C124); on an integer or bool input
    `value` is a whole number that fits its type (C240).

    ```mlir
    %y = predict.pad %x low = [0, 1, 1, 0] high = [0, 1, 1, 0]
        : tensor<?x4x4x3xf32> -> tensor<?x6x6x3xf32>
    %z = predict.pad %ids low = [0, 2] high = [0, 0] value = -1.0
        : tensor<?x5xi32> -> tensor<?x7xi32>
    ```
  }];
  let arguments = (ins Predict_ValueTensor:$input, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high, OptionalAttr<F64Attr>:$value);
  let results = (outs Predict_ValueTensor:$result);
  let assemblyFormat = [{
    $input `low` `=` $low `high` `=` $high (`value` `=` $value^)? attr-dict
    `:` type($input) `->` type($result)
  }];
}

def Predict_CropOp : Predict_Op<"crop", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "Cropping1D/2D: elements removed from the start and end of each axis";
  let description = [{
    Removes `low[d]` elements from the start and `high[d]` from the end of
    each axis `d` (`x[..., low:n-high, ...]`). `low` and `high` have one
    non-negative entry per input axis (C125), and each axis keeps at least
    one element, as Keras 3's Cropping layers require (C126; checked at run
    time for a dynamic size).

    ```mlir
    %y = predict.crop %x low = [0, 1, 2, 0] high = [0, 1, 2, 0]
        : tensor<?x8x8x3xf32> -> tensor<?x6x4x3xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `low` `=` $low `high` `=` $high attr-dict `:` type($input) `->`
    type($result)
  }];
}

def Predict_UpsampleOp : Predict_Op<"upsample", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "UpSampling1D/2D (nearest), RepeatVector: each element repeated along each axis";
  let description = [{
    Repeats each element `factors[d]` times along axis `d`
    (`np.repeat` axis by axis): element `i` of the result along `d` is
    element `i floordiv factors[d]` of the input. `UpSampling2D(size)` with
    nearest interpolation gives the factors of the spatial axes, 1
    elsewhere. `factors` has one entry per input axis, each at least 1
    (C127).

    ```mlir
    %y = predict.upsample %x factors = [1, 2, 2, 1]
        : tensor<?x4x4x3xf32> -> tensor<?x8x8x3xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input,
                       DenseI64ArrayAttr:$factors);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `factors` `=` $factors attr-dict `:` type($input) `->` type($result)
  }];
}

def Predict_ReshapeOp : Predict_Op<"reshape", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "Reshape: each sample given a new shape, the batch axis kept";
  let description = [{
    `tf.keras.layers.Reshape(target_shape)`: an input `N x d1 x ... x dk`
    becomes `N x shape...` with the elements in row-major order (numpy's
    `x.reshape((N,) + shape)`). One entry of `shape` may be -1, which takes
    the size that makes the element counts agree; the others are
    non-negative (C128). The element count of a sample is the same before
    and after, and with a -1 the other sizes divide it (C129; checked at
    run time when the input has a dynamic size off the batch axis).

    ```mlir
    %y = predict.reshape %x shape = [4, -1] : tensor<?x12xf32> -> tensor<?x4x3xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `shape` `=` $shape attr-dict `:` type($input) `->` type($result)
  }];
}

def Predict_TransposeOp : Predict_Op<"transpose", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule]> {
  let summary = "Permute: the axes reordered";
  let description = [{
    Axis `d` of the result is axis `permutation[d]` of the input (numpy's
    `np.transpose(x, permutation)`). `Permute(dims)` gives
    `[0] + dims` (Keras's dims are 1-based and leave out the batch axis).
    `permutation` is a permutation of the input's axes (C130).

    ```mlir
    %y = predict.transpose %x permutation = [0, 2, 1]
        : tensor<?x3x5xf32> -> tensor<?x5x3xf32>
    ```
  }];
  let arguments = (ins Predict_ValueTensor:$input,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs Predict_ValueTensor:$result);
  let assemblyFormat = [{
    $input `permutation` `=` $permutation attr-dict `:` type($input) `->`
    type($result)
  }];
}

def Predict_ReverseOp : Predict_Op<"reverse", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRule,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "the elements of some axes in reverse order: `tf.reverse`, `x[::-1]`";
  let description = [{
    Element `i` of a reversed axis of size `n` is element `n - 1 - i` of the
    input's (`tf.reverse(x, axis)`, numpy's `np.flip(x, axis)`); the other
    axes are as they are. `axes` are distinct axes of the input, negative
    ones counting from the end (C131). Any element type.

    ```mlir
    %y = predict.reverse %x axes = [1] : tensor<?x5xf32>
    ```
  }];
  let arguments = (ins Predict_FloatOrIntTensor:$input,
                       DenseI64ArrayAttr:$axes);
  let results = (outs Predict_FloatOrIntTensor:$result);
  let assemblyFormat = "$input `axes` `=` $axes attr-dict `:` type($input)";
}

def Predict_InferenceIdentityOp : Predict_Op<"inference_identity", [
    Pure, InfersShapes, SizesOfInput, RowWiseElementwise,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "a layer that acts only in training: the identity at inference";
  let description = [{
    A Keras layer that changes its input only when called with
    `training=True` and is the identity at inference: `SpatialDropout1D/2D/3D`,
    `GaussianNoise`, `GaussianDropout`, `AlphaDropout`,
    `ActivityRegularization` (which adds to the training loss only).
    `layer_class` names the Keras class, for the reader and for
    `predict-explain`, which reports each one; the op stays until the
    lowering (no folder), so that the report sees it, and lowers to its
    input.

    ```mlir
    %y = predict.inference_identity %x layer_class "GaussianNoise" : tensor<?x8xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input, StrAttr:$layer_class);
  let results = (outs Predict_FloatTensor:$result);
  let assemblyFormat = [{
    $input `layer_class` $layer_class attr-dict `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// tf.* reductions, argmax and elementwise math of Python source (issue 16;
// C220-C239)
//===----------------------------------------------------------------------===//

def Predict_ReduceKind : I32EnumAttr<"ReduceKind", "a reduction over axes", [
      I32EnumAttrCase<"sum", 0>,
      I32EnumAttrCase<"mean", 1>,
      I32EnumAttrCase<"max", 2>,
      I32EnumAttrCase<"min", 3>,
      I32EnumAttrCase<"prod", 4>,
      I32EnumAttrCase<"any", 5>,
      I32EnumAttrCase<"all", 6>
    ]> {
  let cppNamespace = "::mlir::predict";
  let genSpecializedAttr = 0;
}

def Predict_ReduceKindAttr : EnumAttr<Predict_Dialect, Predict_ReduceKind,
                                      "reduce_kind">;

def Predict_ReduceOp : Predict_Op<"reduce", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRules]> {
  let summary = "tf.reduce_sum/mean/max/min/prod/any/all over axes";
  let description = [{
    `tf.math.reduce_<kind>(x, axis, keepdims)`: one result per position of
    the axes not in `axes`, which are dropped (kept with size 1 with
    `keepdims`). `axes` are in range for the input's rank and distinct
    (C220); `any` and `all` reduce tensors of `i1`, the others floats or
    `i32`/`i64` integers (C221). Over no element (a size 0 along an axis)
    `sum` is 0, `prod` 1, `mean` NaN, `max` -inf, `min` +inf, `any` false
    and `all` true, as TensorFlow computes them; `max` and `min` propagate
    NaN. On integers `sum` and `prod` wrap, `max` and `min` of no element
    are the type's smallest and largest values (TensorFlow's), and `mean`
    is the sum divided by the count rounding toward zero (C++'s integer
    division, as TensorFlow's); the mean of no integer is a run-time error.
    Row-wise for loop batching when `axes` leave out axis 0.

    ```mlir
    %m = predict.reduce mean %x axes = [1] keepdims : tensor<?x4xf32> -> tensor<?x1xf32>
    ```
  }];
  let arguments = (ins Predict_ReduceKindAttr:$kind,
                       Predict_ValueTensor:$input,
                       DenseI64ArrayAttr:$axes, UnitAttr:$keepdims);
  let results = (outs Predict_ValueTensor:$result);
  let assemblyFormat = [{
    `` $kind $input `axes` `=` $axes (`keepdims` $keepdims^)? attr-dict `:`
    type($input) `->` type($result)
  }];
}

def Predict_ArgReduceOp : Predict_Op<"arg_reduce", [
    Pure, InfersShapesAndSizes, RowWiseByOwnRules]> {
  let summary = "tf.argmax, tf.argmin, np.argmax, np.argmin along one axis";
  let description = [{
    The index (an `i64` or `i32` result, C223) of the first largest
    (`max`) or smallest (`min`) element along `axis`, which is in range
    (C222) and dropped from the result (kept with size 1 with `keepdims`,
    numpy's `keepdims=True`); the input is floats, or `i32`/`i64`
    integers. A NaN counts as the extreme, as numpy's argmax counts it (the
    first NaN's index). An axis of size 0 has no
    extreme: an error at run time, as numpy raises. `kind` is `max` or
    `min` (C224).

    ```mlir
    %i = predict.arg_reduce max %p axis = -1 : tensor<?x4xf32> -> tensor<?xi64>
    ```
  }];
  let arguments = (ins Predict_ReduceKindAttr:$kind, Predict_NumberTensor:$input,
                       Predict_AxisAttr:$axis, UnitAttr:$keepdims);
  let results = (outs TensorOf<[I32, I64]>:$result);
  let assemblyFormat = [{
    `` $kind $input `axis` `=` $axis (`keepdims` $keepdims^)? attr-dict `:`
    type($input) `->` type($result)
  }];
}

def Predict_CastOp : Predict_Op<"cast", [
    Pure, InfersShapes, SizesOfInput, RowWiseElementwise]> {
  let summary = "tf.cast: each element converted to another element type";
  let description = [{
    `tf.cast(x, dtype)` between `f32`, `f64`, `i32`, `i64` and `i1`, with
    TensorFlow's conversions: a float to an integer drops the fraction
    (toward zero), a number to `i1` is `!= 0`, `i1` to a number is 0 or 1.
    The result has the input's shape (C225).

    ```mlir
    %y = predict.cast %ids : tensor<?xi64> -> tensor<?xf32>
    ```
  }];
  let arguments = (ins TensorOf<[F32, F64, I1, I32, I64]>:$input);
  let results = (outs TensorOf<[F32, F64, I1, I32, I64]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Predict_LogicalKind : I32EnumAttr<"LogicalKind", "a logical operation", [
      I32EnumAttrCase<"And", 0, "and">,
      I32EnumAttrCase<"Or", 1, "or">,
      I32EnumAttrCase<"Xor", 2, "xor">
    ]> {
  let cppNamespace = "::mlir::predict";
  let genSpecializedAttr = 0;
}

def Predict_LogicalKindAttr : EnumAttr<Predict_Dialect, Predict_LogicalKind,
                                       "logical_kind">;

def Predict_LogicalOp : Predict_Op<"logical", [
    Pure, InfersShapes, SizesBroadcast, RowWiseElementwise]> {
  let summary = "tf.logical_and/or/xor, tf.bitwise.bitwise_and/or/xor, "
                "`a & b`, `a | b`, `a ^ b`";
  let description = [{
    Elementwise on tensors of `i1` (logical) or of `i32`/`i64` (bitwise,
    two's complement), broadcasting as in numpy (C24); both operands and
    the result have one element type (C227).

    ```mlir
    %c = predict.logical and %a, %b
        : (tensor<?x4xi1>, tensor<?x4xi1>) -> tensor<?x4xi1>
    ```
  }];
  let arguments = (ins Predict_LogicalKindAttr:$kind,
                       Predict_BoolOrIntTensor:$lhs,
                       Predict_BoolOrIntTensor:$rhs);
  let results = (outs Predict_BoolOrIntTensor:$result);
  let assemblyFormat = [{
    `` $kind $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Predict_NotOp : Predict_Op<"not", [
    Pure, InfersShapes, SizesBroadcast, RowWiseElementwise,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "tf.logical_not, tf.bitwise.invert, `~a`";
  let description = [{
    On bools, logical not; on `i32`/`i64`, every bit inverted (`~a` is
    `-a - 1`).

    ```mlir
    %n = predict.not %m : tensor<?x4xi1>
    ```
  }];
  let arguments = (ins Predict_BoolOrIntTensor:$input);
  let results = (outs Predict_BoolOrIntTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Predict_RsqrtOp : Predict_UnaryOp<"rsqrt", "tf.math.rsqrt(x)">;
def Predict_Log1pOp : Predict_UnaryOp<"log1p", "tf.math.log1p(x)">;
def Predict_ErfOp : Predict_UnaryOp<"erf", "tf.math.erf(x)">;
def Predict_SinOp : Predict_UnaryOp<"sin", "tf.sin(x)">;
def Predict_CosOp : Predict_UnaryOp<"cos", "tf.cos(x)">;
def Predict_FloorOp : Predict_UnaryOp<"floor", "tf.math.floor(x)">;
def Predict_CeilOp : Predict_UnaryOp<"ceil", "tf.math.ceil(x)">;
// Half to even, as TensorFlow's and numpy's round.
def Predict_RoundOp : Predict_UnaryOp<"round", "tf.math.round(x)">;

//===----------------------------------------------------------------------===//
// Python-style loops
//===----------------------------------------------------------------------===//

def Predict_ForOp : Predict_Op<"for", [
    RecursiveMemoryEffects, SingleBlockImplicitTerminator<"YieldOp">]> {
  let summary = "a Python loop: `for i in range(start, stop, step)`";
  let description = [{
    Runs the body once for each `i` of Python's `range(start, stop, step)`:
    `start, start + step, ...` while below `stop` (above it for a negative
    step), so the trip count is `max(0, ceil((stop - start) / step))` and may be
    zero. The bounds are `index` values known only at run time, such as
    `x.shape[0]`; a constant step must not be zero (C35).

    Values carried from one iteration to the next (accumulators, lists) are
    `iter_args`: the body receives them after the induction variable and
    yields their next values; the results are their values after the last
    iteration, or the initial values when the loop runs zero times. Initial
    values, block arguments, yielded values and results have the same types
    (C36).

    ```mlir
    %r = predict.for %i = %c0 to %n step %c1
        iter_args(%acc = %l0) -> (!predict.list<tensor<1x10xf32>>) {
      ...
      predict.yield %next : !predict.list<tensor<1x10xf32>>
    }
    ```
  }];
  let arguments = (ins Index:$start, Index:$stop, Index:$step,
                       Variadic<AnyType>:$init_args);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$start, "::mlir::Value":$stop,
                   "::mlir::Value":$step, "::mlir::ValueRange":$initArgs)>
  ];
  let extraClassDeclaration = [{
    ::mlir::Block *getBodyBlock() { return &getBody().front(); }
    ::mlir::BlockArgument getInductionVar() { return getBodyBlock()->getArgument(0); }
    ::mlir::Block::BlockArgListType getRegionIterArgs() {
      return getBodyBlock()->getArguments().drop_front();
    }
    /// The trip count when all three bounds are constants.
    std::optional<int64_t> getConstantTripCount();
  }];
}

def Predict_YieldOp : Predict_Op<"yield", [
    Pure, HasParent<"ForOp">, ReturnLike, Terminator]> {
  let summary = "the values a loop iteration carries to the next";
  let description = [{
    ```mlir
    predict.yield %next : !predict.list<tensor<1x10xf32>>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
}

//===----------------------------------------------------------------------===//
// Python lists
//===----------------------------------------------------------------------===//

def Predict_ListEmptyOp : Predict_Op<"list.empty", [Pure]> {
  let summary = "an empty Python list: `[]`";
  let description = [{
    ```mlir
    %l = predict.list.empty : !predict.list<tensor<1x10xf32>>
    ```
  }];
  let results = (outs Predict_AnyList:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

def Predict_ListAppendOp : Predict_Op<"list.append", [
    Pure, AllTypesMatch<["list", "result"]>]> {
  let summary = "`results.append(x)`, as a new list value";
  let description = [{
    The list `list` with `value` added at the end; `list` itself is unchanged.
    The value's type is compatible with the list's element type (C37).

    ```mlir
    %l1 = predict.list.append %l0, %x : !predict.list<tensor<1x10xf32>>, tensor<1x10xf32>
    ```
  }];
  let arguments = (ins Predict_AnyList:$list, AnyTensor:$value);
  let results = (outs Predict_AnyList:$result);
  let assemblyFormat = [{
    $list `,` $value attr-dict `:` type($list) `,` type($value)
  }];
  let hasVerifier = 1;
}

def Predict_ListConcatOp : Predict_Op<"list.concat", [Pure, InfersShapes]> {
  let summary = "join a list's tensors along an axis: `tf.concat(results, axis=0)`";
  let description = [{
    The elements joined along `axis`, in list order. The element type is
    ranked and `axis` in range (C38); the result's size along the axis is
    unknown (`?`) since the list's length is only known at run time; an empty
    list gives size 0 along the axis. Elements are floats, integers or bools
    (a `tf.TensorArray` of int32 class ids is such a list).

    ```mlir
    %y = predict.list.concat %l axis = 0
        : !predict.list<tensor<1x10xf32>> -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Predict_AnyList:$list, Predict_AxisAttr:$axis);
  let results = (outs Predict_FloatOrIntTensor:$result);
  let assemblyFormat = [{
    $list `axis` `=` $axis attr-dict `:` type($list) `->` type($result)
  }];
}

def Predict_ListStackOp : Predict_Op<"list.stack", [Pure, InfersShapes]> {
  let summary = "stack a list's tensors on a new axis: `tf.stack(results, axis)`";
  let description = [{
    The elements stacked along a new dimension at `axis`, which is in
    `[-(r+1), r]` for elements of rank `r` (C39).

    ```mlir
    %y = predict.list.stack %l axis = 0
        : !predict.list<tensor<10xf32>> -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Predict_AnyList:$list, Predict_AxisAttr:$axis);
  let results = (outs Predict_FloatOrIntTensor:$result);
  let assemblyFormat = [{
    $list `axis` `=` $axis attr-dict `:` type($list) `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Recurrent layers (issue 18; C200-C219)
//===----------------------------------------------------------------------===//

def Predict_RecurrentLayerOp : Predict_LayerOp<"recurrent"> {
  let summary = "a recurrent layer: LSTM, GRU or SimpleRNN, and its weights";
  let description = [{
    `tf.keras.layers.LSTM`, `GRU` or `SimpleRNN` (the `cell`) with its
    weights as Keras stores them: `kernel` (`features x G*units`),
    `recurrent_kernel` (`units x G*units`) and `bias` (`G*units`; a GRU with
    `reset_after` has `2 x G*units`: the input bias, then the recurrent
    one), where G is 4 for an LSTM (gates i, f, c, o), 3 for a GRU (z, r, h)
    and 1 for a SimpleRNN (C200, C201). `activation` and
    `recurrent_activation` are elementwise (C202); `alpha` after one is its
    parameter where Keras's differs from predict.activation's default
    (Keras 2's hard_sigmoid has slope 0.2). `predict.apply` of the
    layer is `predict.recurrent` with these weights and no initial state,
    mask or state results; a call that needs those (Keras's `return_state`,
    `initial_state`, a mask) builds `predict.recurrent` itself.

    ```mlir
    predict.layer.recurrent @lstm lstm kernel = dense<0.1> : tensor<8x64xf32>
        recurrent_kernel = dense<0.1> : tensor<16x64xf32>
        bias = dense<0.0> : tensor<64xf32>
        activation tanh recurrent_activation sigmoid return_sequences
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       Predict_RecurrentCellAttr:$cell,
                       ElementsAttr:$kernel,
                       ElementsAttr:$recurrent_kernel,
                       OptionalAttr<ElementsAttr>:$bias,
                       Predict_ActivationAttr:$activation,
                       Predict_ActivationAttr:$recurrent_activation,
                       OptionalAttr<F64Attr>:$activation_alpha,
                       OptionalAttr<F64Attr>:$recurrent_activation_alpha,
                       UnitAttr:$reset_after,
                       UnitAttr:$return_sequences,
                       UnitAttr:$go_backwards);
  let assemblyFormat = [{
    $sym_name `` $cell `kernel` `=` $kernel
    `recurrent_kernel` `=` $recurrent_kernel (`bias` `=` $bias^)?
    `activation` `` $activation (`alpha` $activation_alpha^)?
    `recurrent_activation` `` $recurrent_activation
    (`alpha` $recurrent_activation_alpha^)?
    (`reset_after` $reset_after^)? (`return_sequences` $return_sequences^)?
    (`go_backwards` $go_backwards^)? attr-dict
  }];
}

def Predict_RecurrentOp : Predict_Op<"recurrent", [
    Pure, InfersShapes, AttrSizedOperandSegments, RowWiseByOwnRule]> {
  let summary = "a recurrent layer over the time axis (a loop over steps)";
  let description = [{
    Runs the `cell` over axis 1 of `input` (`batch x time x features`),
    both sizes possibly known only at run time, with Keras's equations
    (gate order i, f, c, o for an LSTM and z, r, h for a GRU; weights as in
    `predict.layer.recurrent`, C200-C202, C203 for the input). The state
    starts at `initial_states` (h, then c for an LSTM; each `batch x
    units`) or at zeros when none is given (C204). With `go_backwards` the
    steps run from the last to the first, as Keras's `go_backwards`; the
    outputs then come in that order too. With `reverse_outputs` the output
    sequence is stacked in the reverse of the order the steps run (Keras's
    Bidirectional flips its backward layer's sequence back to time order).

    Where `mask` (`batch x time`, i1, true for a step that counts) is
    false, a sample keeps its previous state, and its output at that step
    is its previous output: the output of its last unmasked step, zeros
    before its first one (even from a given initial state), as Keras's
    backend `rnn` computes a masked step (C205). With `zero_output_for_mask`
    the output of a masked step is zeros instead (Keras's
    `zero_output_for_mask`, which Bidirectional sets when the layer returns
    sequences); the last output too when the last step run is masked.

    Results: the output of the last step (`batch x units`), or with
    `return_sequences` the output of every step (`batch x time x units`);
    then the final states (h, then c for an LSTM) when `return_states`
    (C206). At run time the input's features must be the kernel's rows,
    and an initial state's or the mask's batch (and time) the input's (C207).

    Lowered to one contraction of the whole input with the kernel (all
    steps at once) and an `scf.for` over the steps whose state is
    loop-carried and whose body holds only the recurrent product and the
    gates (docs/Loops.md).

    ```mlir
    %y = predict.recurrent lstm %x, %kernel, %recurrent bias %bias
        activation tanh recurrent_activation sigmoid
        : (tensor<?x?x8xf32>, tensor<8x64xf32>, tensor<16x64xf32>,
           tensor<64xf32>) -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins Predict_FloatTensor:$input,
                       Predict_FloatTensor:$kernel,
                       Predict_FloatTensor:$recurrent_kernel,
                       Optional<Predict_FloatTensor>:$bias,
                       Variadic<Predict_FloatTensor>:$initial_states,
                       Optional<Predict_BoolTensor>:$mask,
                       Predict_RecurrentCellAttr:$cell,
                       Predict_ActivationAttr:$activation,
                       Predict_ActivationAttr:$recurrent_activation,
                       OptionalAttr<F64Attr>:$activation_alpha,
                       OptionalAttr<F64Attr>:$recurrent_activation_alpha,
                       UnitAttr:$reset_after,
                       UnitAttr:$return_sequences,
                       UnitAttr:$return_states,
                       UnitAttr:$go_backwards,
                       UnitAttr:$reverse_outputs,
                       UnitAttr:$zero_output_for_mask);
  let results = (outs Predict_FloatTensor:$output,
                      Variadic<Predict_FloatTensor>:$states);
  let assemblyFormat = [{
    `` $cell $input `,` $kernel `,` $recurrent_kernel (`bias` $bias^)?
    (`initial_states` `(` $initial_states^ `)`)? (`mask` $mask^)?
    `activation` `` $activation (`alpha` $activation_alpha^)?
    `recurrent_activation` `` $recurrent_activation
    (`alpha` $recurrent_activation_alpha^)?
    (`reset_after` $reset_after^)? (`return_sequences` $return_sequences^)?
    (`return_states` $return_states^)? (`go_backwards` $go_backwards^)?
    (`reverse_outputs` $reverse_outputs^)?
    (`zero_output_for_mask` $zero_output_for_mask^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// The number of states the cell carries: 2 for an LSTM (h, c), else 1.
    int64_t getNumCellStates() {
      return getCell() == ::mlir::predict::RecurrentCell::lstm ? 2 : 1;
    }
  }];
}

//===----------------------------------------------------------------------===//
// Run-time checks
//===----------------------------------------------------------------------===//

def Predict_AssertOp : Predict_Op<"assert", [
    MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a run-time check whose failure is a located error";
  let description = [{
    Fails the call when `condition` is false: the compiled code stops, frees
    what it allocated and returns to its caller, which reports
    `<location>: error: at run time: <message>` (predict-run prints it and
    exits 1). The location is the op's own (the user's Python line or Keras
    layer). `message` is in the user's terms; `{0}`, `{1}`, ... in it are
    replaced by the run-time values of `values` (sizes, indices), in order,
    and `{{` stands for a brace (as in `llvm::formatv`); the verifier checks
    that every placeholder has a value.
    Lowerings emit one wherever sizes known only at run time must agree
    (numpy's rules); it folds away when `condition` is a constant true, so a
    check that cannot fail costs nothing. The error channel's ABI is in
    docs/Runtime.md.

    ```mlir
    predict.assert %ok, "operands of '-' have {0} and {1} rows (numpy broadcasts only a size of 1)"
        (%a, %b : index, index)
    ```
  }];
  let arguments = (ins I1:$condition, StrAttr:$message,
                       Variadic<AnyTypeOf<[Index, AnySignlessInteger]>>:$values);
  let assemblyFormat = [{
    $condition `,` $message (`(` $values^ `:` type($values) `)`)? attr-dict
  }];
  let hasCanonicalizeMethod = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Output
//===----------------------------------------------------------------------===//

def Predict_PrintOp : Predict_Op<"print", [MemoryEffects<[MemWrite]>]> {
  let summary = "writes a text and tensors' values on the host (tf.print, print)";
  let description = [{
    Writes `format` to `stream` when it runs, each `{}` in it replaced by
    the text of the next of `values` (`{{` and `}}` stand for braces), in
    the order the program runs it: once per iteration in a loop, only on
    the branch taken. `stream` is `stdout`, `stderr` or `file://<path>`
    (appended to, as TensorFlow's PrintV2 kernel appends; a file that
    cannot be opened fails the call at the op's location). The format
    holds the end (`\n`) and the separators already.

    A value's text is TensorFlow's (tensorflow/core/framework/tensor.cc,
    `SummarizeValue` with print_v2): a scalar is its element; a tensor is
    bracketed per axis, elements separated by a space and rows by newlines
    and indentation, each axis longer than `2 * summarize` cut to its first
    and last `summarize` elements around `...` (a negative `summarize`
    prints all); a float is `%.6g` when that reads back to the same float
    (`%.9g` otherwise, `%.15g`/`%.17g` for f64), `nan`, `inf`; a bool is
    `1` or `0`. With `python` (Python's `print`), bools are `True` and
    `False` and a tensor is cut only when it has more than 1000 elements
    (numpy's threshold, 3 at each end), `summarize` unused.

    The op writes outside the program, so it is never removed or
    reordered with another print or check, and a loop that holds it is
    not batched. predict-lower-print turns it into a call of
    `predict_runtime_print` (docs/Runtime.md).

    ```mlir
    predict.print "x: {} after {} rows\n" to "stderr" (%x, %n : tensor<?x4xf32>, tensor<i64>) summarize 3
    ```
  }];
  let arguments = (ins StrAttr:$format, StrAttr:$stream,
                       I64Attr:$summarize, UnitAttr:$python,
                       Variadic<AnyRankedTensor>:$values);
  let assemblyFormat = [{
    $format `to` $stream (`(` $values^ `:` type($values) `)`)?
    `summarize` $summarize (`python` $python^)? attr-dict
  }];
  let hasVerifier = 1;
}

#endif // PREDICT_DIALECT_PREDICT_IR_PREDICTOPS_TD
