//===- Passes.td - predict dialect transformations ----------*- tablegen -*-===//

#ifndef PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_TD
#define PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PredictShapeInference : Pass<"predict-shape-inference", "ModuleOp"> {
  let summary = "Refine result types from operand types; report shape mismatches";
  let description = [{
    Walks every function and method in program order and asks each op of the
    shape inference interface for the result types its operands imply. A
    declared type is replaced by the more precise of the two (static sizes
    where the inputs are static, `?` for the batch dimension otherwise); a
    conflict, such as a Dense kernel of 100 rows applied to 50 features once
    the input's shape is known, is an error at the op's location, which is the
    user's Python line.

    Users that require exact types (`func.return`, `predict.for` initial
    values, ops of other dialects) keep seeing the declared type through a
    `tensor.cast`; predict ops that accept compatible types see the refined
    value directly. Function and method signatures are not changed.

    Example: with `%x : tensor<1x100xf32>`,

    ```mlir
    %y = predict.dense %x, %k : (tensor<1x100xf32>, tensor<100x64xf32>) -> tensor<?x64xf32>
    ```

    becomes `... -> tensor<1x64xf32>`.
  }];
  let options = [
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"false",
           "Emit a remark at each op whose result type was refined, naming "
           "the old and the new type">,
    Option<"refineSignatures", "refine-signatures", "bool", /*default=*/"false",
           "Also give public functions the refined types of the values they "
           "return (for callers that need ranked results, such as "
           "predict-run)">
  ];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def PredictInlineModels : Pass<"predict-inline-models", "ModuleOp"> {
  let summary = "Inline method calls and layer applications; drop the models";
  let description = [{
    Resolves every call of the program from its public functions down:
    `model(x)`, `model.predict(x)` and method calls are replaced by the body of
    the method they run (free function → `call`/`predict` → sub-models →
    helpers), and every `predict.apply` of a layer by the layer's computation
    (`predict.dense`, ...) with its weights as `predict.constant`s. The
    constants are materialized once per function, so the weights become
    read-only globals after bufferization and are never copied per call.
    Afterwards no model, method or layer remains.

    A method that calls itself, directly or through others, cannot be inlined:
    that is an error at the call that closes the cycle.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def PredictFoldIntoDense : Pass<"predict-fold-into-dense", "ModuleOp"> {
  let summary = "Fold BatchNormalization, Normalization and activations into Dense";
  let description = [{
    At inference, batch normalization and Keras's Normalization are affine
    maps per feature, `x * s + t`, with constant `s` and `t`; folded into a
    neighbouring Dense layer's constant weights, they cost nothing at run time:

    * `batch_norm(dense(x, K, b))` with a linear Dense: `K'[:, j] = K[:, j] s_j`,
      `b'_j = b_j s_j + t_j`;
    * `dense(batch_norm(x), K, b)` and `dense(normalization(x), K, b)` on the
      feature axis: `dense(x - mean, K', b')` with `K'[i, :] = s_i K[i, :]`,
      `b' = b + beta K` (0 for Normalization). The mean stays a subtraction
      from x: folded into the bias, the raw x met the kernel first and the
      large terms cancelled afterwards, far less accurate than TensorFlow's
      float32 evaluation for features of scale 1e6;
    * `activation(dense(x, K, b))` of a linear Dense: the activation moves
      into the Dense, whose epilogue applies it in the same pass over memory.

    Here `s = gamma / sqrt(variance + epsilon)`, `t = beta - mean s` for batch
    normalization and `s = 1 / max(sqrt(variance), epsilon)`, `t = -mean s` for
    Normalization. Only f32 constants of the feature (last) axis are folded,
    only finite ones (multiplying NaN or inf ahead of time changes IEEE
    results), and only a Dense whose result has no other use; the rest is
    left alone and lowered as it is.
  }];
}

def PredictBatchLoops : Pass<"predict-batch-loops", "ModuleOp"> {
  let summary = "Replace row-by-row loops by one computation on the whole batch";
  let description = [{
    A loop `for i in range(x.shape[0])` is row-independent when each
    iteration reads only row `i` of `x` (`x[i:i+1]`), computes from it with
    row-wise operations (Dense, elementwise math and activations, softmax over
    the features, normalizations, flatten, concatenation of features, matmul
    by a constant: the ops whose `RowWiseOpInterface` says so for their
    operands), appends the result to a list, and carries nothing else
    from one iteration to the next; the list is joined along axis 0 after the
    loop. Such a loop computes exactly what the same operations compute on
    the whole of `x`, so the loop, the list and the join are replaced by that
    batched computation.

    Anything else keeps its loop (and `predict-lower-loops` lowers it): a
    value carried from one iteration to the next (a running sum), another use
    of `i`, a foreign call (which must run once per row), a nested loop, an
    operation that mixes rows. With `emit-remarks`, each loop gets a remark at
    its Python location saying whether it was batched and, if not, why:

    ```
    model.py:12:9: remark: loop not batched: iteration i reads 'total', carried from iteration i-1
    ```
  }];
  let options = [
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"false",
           "Explain for each loop whether it was batched, and why not">
  ];
  // Reshapes of the batch (tensor) and branches around batched arms (scf).
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::scf::SCFDialect"];
}

def PredictRewriteForeign : Pass<"predict-rewrite-foreign", "ModuleOp"> {
  let summary = "Replace known foreign calls by native predict operations";
  let description = [{
    Each `predict.foreign_call` whose callee is in the registry of known
    functions (`numpy.tanh`, `scipy.signal.convolve`, ...; see
    docs/ForeignCalls.md) is replaced by the predict operations that compute
    the same thing, after checking its arguments as the Python function
    would: `scipy.signal.convolve` of a 2-D input with a 1-D kernel is an
    error at the call, as scipy itself refuses it. Calls the registry does not
    know are left for `predict-check-foreign`.
  }];
}

def PredictForeignCallbacks : Pass<"predict-foreign-callbacks", "ModuleOp"> {
  let summary = "Turn the remaining foreign calls into calls of host callbacks";
  let description = [{
    With `--foreign=callback`, each foreign call left after the rewrites
    becomes a call into the host, through the C ABI of
    `include/predict/Runtime/ForeignCallback.h`: predict allocates the
    result (its annotated static shape, or the shape the library's shape
    function gives at run time) and calls
    `predict_runtime_foreign(id, block)`, where `block` holds each
    argument's and the result's data pointer, rank and sizes. The runner
    maps `id` to the callee's `predict_foreign_<name>` symbol in the
    libraries given with `--foreign-lib`. The callees, with their Python
    locations, are listed in the module attribute `predict.foreign_callees`.

    Arguments and results are float32 tensors of known rank; other calls
    are errors at their location.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PredictLowerPrint : Pass<"predict-lower-print", "ModuleOp"> {
  let summary = "Turn predict.print into calls of the runtime's printer";
  let description = [{
    Each `predict.print` becomes, on tensors (before bufferization),
    `predict_runtime_print(block)`, where `block` (a `memref<?xi64>`)
    holds a pointer to one constant global with the op's stream, template
    and location, their lengths, `summarize`, the `python` flag, and each
    value's data pointer, element kind, rank and sizes (docs/Runtime.md).
    The runtime (lib/Runtime/Print.c) formats the text and writes it.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PredictCheckForeign : Pass<"predict-check-foreign", "ModuleOp"> {
  let summary = "Report every foreign call left, at its Python line, with ways out";
  let description = [{
    A foreign call that reaches code generation cannot be compiled into the
    graph. Each one is an error at its Python source location, with notes: why
    (it is a Python function, not a predict operation), whether a native
    rewrite exists and the flag that enables it (`--foreign=rewrite`), and
    the host-callback option. Every foreign call of the program is reported
    in one run, not just the first.
  }];
}

def PredictExplain : Pass<"predict-explain", "ModuleOp"> {
  let summary = "Report what compiles: regions, foreign calls, loops";
  let description = [{
    Prints, for each function and method, in plain text on standard output:

    * the compiled regions: the runs of operations between foreign calls,
      with their Python lines, and each break;
    * every foreign call with its location, callee and status: `rewritable`
      (with `--foreign=rewrite`, into what) or `unsupported`;
    * every Python loop: `batched`, or `kept as a loop (scf.for)` and why it
      was not batched.

    Like `torch._dynamo.explain`, but ahead of time and complete: every break
    of the program at once, without running it. The IR is not changed. Run it
    after `predict-inline-models` to explain the entry functions with
    everything they call.
  }];
}

def PredictLowerLoops : Pass<"predict-lower-loops", "ModuleOp"> {
  let summary = "Lower Python loops to scf.for and their lists to one tensor";
  let description = [{
    Each `predict.for` becomes an `scf.for` over Python's `range(start, stop,
    step)`: directly for a positive constant step, and otherwise over the
    iteration number `0 .. trip count` with `i = start + n * step` (negative
    steps, steps known only at run time, which are checked to be non-zero).
    Bounds stay run-time values: one compiled loop serves every batch size.

    Loop-carried values become `iter_args`. A list that starts empty, is
    appended exactly once per iteration, and is joined after the loop
    (`predict.list.concat`, `predict.list.stack`) becomes one destination
    tensor, allocated once at its final size (trip count × the element's size
    along the axis) and written with `tensor.insert_slice` through the
    `iter_args`: no list at run time and no quadratic copying. Element sizes
    known only at run time (the batch size) are allowed when they are
    provably the same in every iteration; they are taken before the loop.
    An element size along the `tf.concat` axis that may differ between
    iterations (`x[i:i+1]` with `i` not proven in bounds, `x[0:i]`) is
    joined in a buffer carried with the rows used, doubled in capacity when
    an element does not fit (amortized linear), and sliced to the rows used
    after the loop. So is a list appended to under a run-time branch
    (each `scf.if` giving a version of it is made again giving the buffer
    and its rows used), several times in an iteration, or by an
    `scf.while` (a Python `while` loop, whose trip count is known only
    when it ends; the `scf.while` is made again carrying the buffer);
    `tf.stack`'s elements are then concatenated along the new unit axis.
    A list appended to in straight-line code and joined once becomes one
    `predict.concatenate`.

    Lists used any other way (appended in a nested loop, elements whose size may differ
    between iterations along another axis or, for a stack, any axis, read other than by one join, an append whose list
    is dropped or a list read after a later version was made, as aliases
    and appends in called methods leave them) are rejected with an error at
    the append or the use, saying what predict supports (docs/Loops.md).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PredictLowerRuntimeChecks
    : Pass<"predict-lower-runtime-checks", "ModuleOp"> {
  let summary = "Lower run-time checks to calls of the runtime's error channel";
  let description = [{
    Each `predict.assert` and each upstream `cf.assert` (a `range()` step
    known only at run time) becomes a branch taken when the condition is
    false, to a call of the runtime function

    ```c
    void predict_runtime_check_failed(const char *message,
                                      const int64_t *values, int64_t count);
    ```

    which formats the message, records it as the error of the current call
    and returns control to the caller of the compiled function (it never
    returns to the compiled code: the declaration is `noreturn` and `cold`,
    so the check costs a compare and a branch on the hot path). The message
    is prefixed here, at compile time, with the op's location in the user's
    terms: `model.py:14:16: error: at run time: <message>` for a Python line,
    `model.h5: layer 'dense_1': error: at run time: <message>` for a Keras
    layer (the first file location found through call-site, fused and name
    locations). `{N}` in a `predict.assert` message is the N-th of its values
    (sizes are passed as `i64`); braces elsewhere are escaped so that they
    print as written. The ABI is in docs/Runtime.md.

    Runs after `predict-parallelize-tiles` and before `scf` and `cf` are
    lowered. The runtime can only return to the caller from the thread that
    called the compiled function, so a check inside an OpenMP region is an
    error (parallelize-tiles never shares out a loop that holds one).

    ```mlir
    predict.assert %ok, "operands of '-' have {0} and {1} rows" (%a, %b : index, index) loc("m.py":14:16)
    ```

    becomes, in outline,

    ```mlir
    %failed = arith.xori %ok, %true : i1
    scf.if %failed {
      %m = llvm.mlir.addressof @predict_check_message_0 : !llvm.ptr
      %v = llvm.alloca %c2 x i64 : (i64) -> !llvm.ptr
      ... llvm.store %a, %b as i64 ...
      llvm.call @predict_runtime_check_failed(%m, %v, %c2)
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::scf::SCFDialect",
  ];
}

#endif // PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_TD
