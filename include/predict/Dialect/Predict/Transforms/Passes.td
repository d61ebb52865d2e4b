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
    by a constant), appends the result to a list, and carries nothing else
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
    after the loop.
    A list appended to in straight-line code and joined once becomes one
    `predict.concatenate`.

    Lists used any other way (appended conditionally or twice in an
    iteration, appended in a nested loop, elements whose size may differ
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

def PredictFoldZeroSize : Pass<"predict-fold-zero-size", "ModuleOp"> {
  let summary = "Fold away computations over a dimension of static size 0";
  let description = [{
    A linalg op whose iteration space has a static size 0 computes nothing:
    each output keeps its initial value. A contraction over 0 features
    (Dense on 0 features, a matmul with K = 0) is then its accumulator's
    initial value (zeros, and the Dense layer's bias after the epilogue), as
    numpy gives; an op with 0 rows or columns of output is its empty init.
    Constants with no elements become `tensor.empty`: nothing to store, and
    LLVM's translation of a global with no elements crashed. The first pass
    of `predict-codegen`, so that tiling never meets a zero-size dimension
    it would divide by. Sizes of 0 known only at run time need nothing:
    loops over them run zero times.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def PredictFuseElementwise : Pass<"predict-fuse-elementwise", "ModuleOp"> {
  let summary = "Fuse chains of elementwise ops; keep contractions as they are";
  let description = [{
    Upstream's `linalg-fuse-elementwise-ops` (its patterns: elementwise
    producer-consumer fusion, reshapes folded by expansion, constant
    folding), with one control added: a `tensor.collapse_shape` or
    `tensor.expand_shape` is never folded into or out of an op with
    reduction loops. Upstream folds the collapse of a Flatten layer into the
    next Dense layer's `linalg.matmul`, which becomes a `linalg.generic`
    reducing over every flattened dimension (28x28 for an image): tiling no
    longer sees a matmul, fuses that contraction whole into the next layer's
    tiles (computed again for each column tile) and vectorizes it at full
    size (an 8x300x28x28 vector, which LLVM could not compile in minutes and
    8 GB). The collapse stays a reshape: free on buffers.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PredictSplitFunctions : Pass<"predict-split-functions", "ModuleOp"> {
  let summary = "Split long straight-line functions into a chain of calls";
  let description = [{
    A function whose body holds more than `max-ops` operations (nested ones
    included) is cut, between top-level operations, into consecutive pieces
    of about `max-ops` operations each; each piece becomes a private
    function (marked `noinline` for LLVM) that takes the values it reads and returns
    the values read after it, and the original body calls them in order.
    Constants are cloned into the pieces that use them rather than passed.

    Why: LLVM's register allocator and instruction selection cost more than
    linearly in the size of one function (a Sequential of 300 tiny Dense
    layers was one function of a hundred thousand lines of LLVM IR, and
    most of the JIT's time went to the greedy register allocator). Bounding
    the size of each function LLVM sees makes the JIT's time linear in the
    depth of the model. A call every `max-ops` operations costs nothing
    measurable; functions below the limit are left as they are. Runs on
    tensors, before bufferization, which then decides the buffers at the
    calls as for any call.
  }];
  let options = [
    Option<"maxOps", "max-ops", "int64_t", /*default=*/"300",
           "Operations per function above which it is split">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def PredictTileAndVectorize : Pass<"predict-tile-and-vectorize", "ModuleOp"> {
  let summary = "Tile dense contractions with their epilogues and vectorize them";
  let description = [{
    The CPU code-generation strategy for contractions, on tensors:

    1. Each `linalg.matmul`, with the elementwise `linalg.generic` that
       consumes it (bias and activation), is tiled into `rows x cols` tiles of
       the output; the matmul and its `linalg.fill` are fused into the tile
       loop, so that the epilogue runs on a tile while it is in registers
       instead of as another pass over memory.
       When the layer's output feeds a row-wise chain (generics that read
       and write each row only at that row, such as softmax's max, exp, sum
       and division) whose one result leaves it, and 8 rows of it fit in
       registers (at most 512 elements), the last op of the chain is the
       tile root instead and tiles are whole rows: the contraction and the
       softmax run on the same tile, and softmax is one pass over memory.
    2. The loops over rows and columns are peeled: full tiles have static
       shapes; the last rows of a dynamic batch (fewer than a tile) are then
       tiled one row at a time, so their tiles are static too.
    3. The reduction dimension of each tiled matmul is tiled by 1, so that
       each step is an outer product of a column of the input with a row of
       the kernel: FMAs into the accumulator tile.
    4. The tiled ops are vectorized, without masks where shapes are static
       (all tiles, in practice); a tile that stays dynamic gets masks sized
       by the tile.
    5. Tensor slices fold into the vector transfers and loop-invariant
       transfers are hoisted, so the accumulator stays in registers across the
       reduction loop.

    The loop over full row tiles is marked `predict.parallel_flops` (the
    work of one tile) for `predict-parallelize-tiles`. Other linalg ops are
    left to `convert-linalg-to-loops`.
  }];
  let options = [
    Option<"tileRows", "tile-rows", "int64_t", /*default=*/"8",
           "Rows of the output tile (batch dimension)">,
    Option<"tileCols", "tile-cols", "int64_t", /*default=*/"32",
           "Columns of the output tile (units dimension)">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PredictParallelizeTiles : Pass<"predict-parallelize-tiles", "ModuleOp"> {
  let summary = "Run the row-tile loops of contractions on OpenMP threads";
  let description = [{
    After bufferization. `predict-tile-and-vectorize` marks the loop over
    full row tiles of each tiled contraction with
    `predict.parallel_flops = F`, the floating-point operations of one of its
    iterations (0: unknown). Each tile writes its own rows of the output, so
    the iterations are independent. With `threads` > 1, such a loop (now on
    buffers, with no loop-carried values) becomes

    ```mlir
    scf.if %some_tiles {
      omp.parallel if(%worth_it) num_threads(%threads) {
        omp.wsloop schedule(static) { omp.loop_nest ... }
      }
    }
    ```

    where `%worth_it` holds when the loop's work (its trip count times `F`)
    is at least `min-flops`: a small batch runs on the calling thread, with
    no fork or join, and a loop with no full tile (a batch of 1) does not
    enter the OpenMP runtime at all. With `threads` = 1 the marks are
    dropped and the loops stay sequential. A loop that holds a run-time
    check or a host callback stays sequential too: their failure returns to
    the caller of the compiled function, which only the calling thread can
    do (docs/Runtime.md).

    The generated code calls the LLVM OpenMP runtime (libomp), which the JIT
    of `predict-run` loads when it runs on more than one thread.
  }];
  let options = [
    Option<"threads", "threads", "unsigned", /*default=*/"1",
           "Threads of the OpenMP team (1: no threads)">,
    Option<"minFlops", "min-flops", "int64_t", /*default=*/"1000000",
           "Work (floating-point operations) below which a marked loop runs "
           "on the calling thread">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::omp::OpenMPDialect",
    "::mlir::scf::SCFDialect",
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

def PredictLowerVectors : Pass<"predict-lower-vectors"> {
  let summary = "Lower vector ops on buffers to the forms LLVM lowering takes";
  let description = [{
    After bufferization: transfers with permutation maps become transposes
    and broadcasts, masks become masked loads and stores, n-D transfers become
    1-D ones, and contractions become outer products (FMAs). What remains is
    what `convert-vector-to-llvm` lowers directly.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PredictApproximateMath : Pass<"predict-approximate-math"> {
  let summary = "Replace f32 transcendental math by polynomial approximations";
  let description = [{
    Rewrites `math.tanh`, `math.erf`, `math.exp`, `math.expm1`, `math.log`,
    `math.log1p` and friends on `f32` (scalars and vectors) into polynomial
    approximations made of arithmetic ops, with upstream MLIR's
    approximations (accurate to a few ulp). Those assume finite operands
    (exp's `fptosi` makes NaN poison), so each approximated op returns a NaN
    operand itself, as IEEE functions do. Unlike calls into libm they
    vectorize, and they need nothing from the host at run time. Other
    element types are left for `convert-math-to-llvm` and
    `convert-math-to-libm`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // PREDICT_DIALECT_PREDICT_TRANSFORMS_PASSES_TD
