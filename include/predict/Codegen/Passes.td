//===- Passes.td - CPU code generation from linalg ---------*- tablegen -*-===//
//
// The passes that turn linalg on tensors into code for the host CPU: fold
// empty iteration spaces, fuse elementwise chains, tile and vectorize
// contractions, bound function sizes, share row tiles among threads, lower
// vectors and math. They work on upstream dialects (linalg, tensor, vector,
// scf, func, math), not on the predict dialect (only predict-parallelize-tiles
// looks for its predict.assert), in the manner of IREE's Codegen/LLVMCPU.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_CODEGEN_PASSES_TD
#define PREDICT_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def PredictElementwiseToLinalg
    : Pass<"predict-elementwise-to-linalg", "ModuleOp"> {
  let summary = "Elementwise arith and math ops on tensors to linalg.generic";
  let description = [{
    Upstream's `convert-elementwise-to-linalg` (its patterns), except for an
    `arith.select` of whole tensors on one `i1`: that is a Python `if`
    choosing one of two tensors (upstream's canonicalizer turns an `scf.if`
    whose arms yield values made before it into one), and its operands may
    differ in size at run time. Upstream converts it as an elementwise op,
    sized like its first tensor operand, so that `y = b if n > 2 else a`
    with `b = x[0:1]` gave one row where `a` has `n`; it stays for
    bufferization, which selects between the two buffers.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect"];
}

def PredictForwardWhileBuffers
    : Pass<"predict-forward-while-buffers", "ModuleOp"> {
  let summary = "Carry an scf.while's buffers through its condition without "
                "copies";
  let description = [{
    After one-shot bufferization. A value an `scf.while` carries that its
    body does not give back in place (a new buffer each iteration: a state
    `h = f(h)`, a list's buffer that grows, predict-lower-loops) is copied
    by the bufferized condition in every iteration (`memref.alloc` +
    `memref.copy` of the `before` block's argument, forwarded by
    `scf.condition`): a copy of the state per iteration, and a quadratic
    cost for a list built by a `while` loop. This pass forwards the argument
    itself where the copy cannot be observed: the argument is read by
    nothing else but its sizes (`memref.dim`), the loop's initial buffer is
    a fresh allocation used by the loop alone, and the buffer the body gives
    back is its own argument or a buffer it allocates (through `scf.if`
    and `memref.cast`), shared with no other value the loop carries. The
    buffer deallocation pipeline, after it, frees what each iteration
    leaves.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def PredictCheckAllocationSizes
    : Pass<"predict-check-allocation-sizes", "ModuleOp"> {
  let summary = "Check that each buffer's size in bytes fits in 64 bits";
  let description = [{
    A `memref.alloc` is lowered to a call of the runtime's allocator with
    the product of its sizes and its element's bytes, computed in 64 bits:
    sizes known only at run time (`tf.zeros((n * 2**62, 4))`) or very large
    static ones could wrap to a small number, and the code would write
    past the buffer. Before each allocation with a dynamic size, this pass
    adds a `cf.assert` that the product's unsigned 64-bit multiplications
    do not overflow (`arith.mului_extended`, high halves 0); one whose
    static sizes already overflow gets an assert that always fails. No
    check is made where the size cannot wrap: each dynamic size a size of
    one argument of the function whose other sizes are static and not 0,
    and at least as many bytes per element of those sizes (the argument
    exists, so its bytes fit; the seed's Dense layers compile to no check).
    The
    runtime then reports a located error (predict-lower-runtime-checks)
    where the allocator's own limit (docs/Runtime.md) would have been
    fooled.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::cf::ControlFlowDialect"];
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
    2. The loop over column tiles is outside the loop over row tiles: a
       column tile of the kernel (K x cols) stays in cache while every row
       tile of the batch reads it. Both loops are peeled: full tiles have
       static shapes; the last rows of a dynamic batch (fewer than a tile)
       are then tiled one row at a time, so their tiles are static too.
       A constant kernel wider than one tile is packed at compile time into
       the layout of its column tiles (`ceil(N / cols) x K x cols`,
       zero-padded), so that each step of a tile reads contiguous values
       (`lib/Codegen/PackKernels.cpp`).
    3. The reduction dimension of each tiled matmul is tiled by 1, so that
       each step is an outer product of a column of the input with a row of
       the kernel: FMAs into the accumulator tile.
    4. The tiled ops are vectorized, without masks where shapes are static
       (all tiles, in practice); a tile that stays dynamic gets masks sized
       by the tile.
    5. Tensor slices fold into the vector transfers and loop-invariant
       transfers are hoisted, so the accumulator stays in registers across the
       reduction loop.

    The loop over full row tiles (in each column tile) is marked
    `predict.parallel_flops` (the work of one tile) for
    `predict-parallelize-tiles`. Other linalg ops are
    left to `convert-linalg-to-loops`.
  }];
  let options = [
    Option<"tileRows", "tile-rows", "int64_t", /*default=*/"8",
           "Rows of the output tile (batch dimension)">,
    Option<"tileCols", "tile-cols", "int64_t", /*default=*/"32",
           "Columns of the output tile (units dimension)">,
    Option<"fma", "fma", "bool", /*default=*/"false",
           "Each step of a contraction is a math.fma, rounded once in every "
           "tile alike (the target has FMA); off: an arith.mulf and an "
           "arith.addf marked contract, which LLVM fuses where it can">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PredictInterleaveReductions
    : Pass<"predict-interleave-reductions", "ModuleOp"> {
  let summary = "Split the accumulation loops of vectorized contractions into "
                "segments, interleaved where a tile has few accumulators";
  let description = [{
    After `predict-tile-and-vectorize`. Each step of a contraction's
    reduction loop is one FMA per accumulator vector, whose result the next
    step needs: a tile with few accumulators (one row of a batch of 1, a
    Dense layer of 10 units) waits on the FMA's latency at every step, and
    leaves a core's FMA units idle. A core keeps its units busy with
    `chains` independent chains of FMAs (latency x units: 4 cycles x 2 on
    Skylake-SP to Emerald Rapids and on Zen 4 and 5, whose FMAs take 4
    cycles).

    Each loop `for k in [lb, ub): acc = acc + x(k)` of a vectorized
    contraction (a `math.fma` into the accumulator, or an `arith.addf`
    marked `contract` of a `contract` `arith.mulf`, with nothing else
    depending on the accumulator) becomes S segments of K = ub - lb:
    segment s covers `[lb + s*h, lb + (s+1)*h)` with `h = K floordiv S`
    (S divides a static K; for a K known at run time the K mod S steps left
    are one more segment). Every segment sums its steps from zero, and the
    result is `((init + c0) + c1) + ...` in that order. S is read from the
    accumulator's columns alone (`ceil(chains / vectors of a row)`, the
    largest up to that which divides a static K and leaves each segment two
    steps), never from its rows: every row tile of a contraction (the full
    tiles and the one or two last rows of a batch) sums each output in the
    same order, so that a row's result does not depend on the batch it came
    in (with `math.fma` steps, which LLVM cannot split: a `contract` pair it
    may fuse in one tile and not in another). A tile interleaves as many
    segments as bring its chains to `chains` within `accumulators`
    registers; the others run one after the other (a full tile of 24
    accumulators runs its segments in turn). A function holding a
    contraction step this pass cannot split (a masked tile whose
    accumulator stays in memory) is left whole.

    The order of the sums changes (as BLAS libraries change it): a float32
    dot product of K terms is as accurate either way.
  }];
  let options = [
    Option<"lanes", "lanes", "int64_t", /*default=*/"16",
           "float32 lanes of a vector register">,
    Option<"accumulators", "accumulators", "int64_t", /*default=*/"24",
           "Vector registers a tile may hold accumulators in">,
    Option<"chains", "chains", "int64_t", /*default=*/"8",
           "Independent FMA chains that keep a core's FMA units busy">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def PredictTileConvolutions : Pass<"predict-tile-convolutions", "ModuleOp"> {
  let summary = "Tile 2-D convolutions with their epilogues, decompose, vectorize";
  let description = [{
    The CPU strategy for `linalg.conv_2d_nhwc_hwcf`,
    `linalg.depthwise_conv_2d_nhwc_hwc` and `linalg.pooling_nhwc_max/sum`
    on tensors whose sizes other than the batch are static, in the manner
    of IREE's LLVMCPU convolution pipeline, with upstream transforms only:

    1. The convolution, or the elementwise `linalg.generic` that is the only
       user of its result (bias and activation), is tiled into output tiles
       of 1 image x 1 row x `tile-cols` output columns x `tile-filters`
       filters (channels, for depthwise); the convolution and its
       `linalg.fill` are fused into the tile loop (nothing else: the
       `tensor.pad` of `padding="same"` runs before it, whole).
    2. The column and filter loops are peeled; the partial tiles left in the
       remainders are tiled again by 1 along their partial dimensions, so
       every tile has static sizes.
    3. The reductions of each tile are tiled: the kernel rows by 1 (and the
       input channels by 1 for a full convolution), so that each tile is a
       convolution of one row, which upstream's decomposition
       (`DownscaleSizeOneWindowed2DConvolution`,
       `DownscaleDepthwiseConv2DNhwcHwcOp`, and for pooling
       `populateDecomposeConvolutionPatterns`) turns into
       `linalg.conv_1d_nwc_wcf` / `linalg.depthwise_conv_1d_nwc_wc` /
       `linalg.pooling_nwc_max/sum`.
    4. The 1-D convolutions, fills and epilogues are vectorized (upstream's
       convolution vectorizer: one outer product, or one FMA or maximum per
       channel vector, per kernel column); slices fold into the transfers
       and the accumulator is hoisted out of the reduction loops, where its
       first read is the fill's splat: it stays in registers.
    5. A zero padding (`tensor.pad` read by one of these ops) becomes a fill
       and a `linalg.copy` into the interior: bufferized, the pad was a
       `memref.copy` into a strided view, which LLVM lowering makes a call
       of the generic, element-by-element `memrefCopy`.

    The loop over output rows is marked `predict.parallel_flops` for
    `predict-parallelize-tiles`. A convolution of other sizes (dynamic) is
    left to `convert-linalg-to-loops`: slower, never wrong.
  }];
  let options = [
    Option<"tileCols", "tile-cols", "int64_t", /*default=*/"8",
           "Output columns of a tile">,
    Option<"tileFilters", "tile-filters", "int64_t", /*default=*/"32",
           "Filters (output channels) of a tile">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def PredictDeduplicateKernels
    : Pass<"predict-deduplicate-kernels", "ModuleOp"> {
  let summary = "Share one function among the identical code of layers";
  let description = [{
    On tensors, run twice: before tiling (`before-tiling`) and after.

    Before tiling, a kernel is a set of top-level linalg ops joined by the
    values they pass: an op joins the kernel of each op whose result it
    writes into (its destination) or reads, unless it reads that result as
    an input of a reduction (the next layer's contraction reading this
    layer's output starts another kernel) or the result is a layer's input
    (a contraction or convolution reads it: the skip connection of `h +
    dense(h)` does not join residual blocks into one kernel). A Dense layer (fill, matmul, bias
    and activation) or a softmax's chain is one kernel; what tiling fuses
    into one loop nest stays in one function. A kernel whose results are
    read by another op before its own last op is not shared (its call,
    placed at that last op, would come too late). Tiling and vectorizing
    then run once per distinct kernel, not once per layer:
    predict-tile-and-vectorize, about 5 ms per Dense layer, was most of the
    JIT's time on deep models. `predict-tile-and-vectorize` packs a weight
    passed to a kernel at each call (each call's constant in the column
    tiles' layout), as it packs a constant.

    After tiling, the top-level loops of a function that compute
    one value in destination-passing style (the loop over a contraction's
    full row tiles and the loop over the rows left, which writes into the
    first's result) form a kernel: what the first run did not share. Kernels that are the same code (the same
    operations, types and attributes, locations aside) once their weights
    are operands become one private function (`noinline` for LLVM), called
    where each of them was: a layer repeated N times is compiled once, not
    N times. Weights (tensor constants that are not splats) become operands;
    other constants and empty tensors are made inside the kernel. A kernel
    found once stays where it is. The sizes of the empty tensors a kernel
    makes are checked before each call, located at the caller's tensor
    (predict-check-allocation-sizes's rule): the kernel's own check would
    name the first caller's line for all of them.

    Not shared: a kernel that holds a run-time check (its message names the
    user's line, taken from the check's location, which the comparison
    ignores) or a call (a host callback), and one of fewer than 8
    operations, whose call would cost more than the code it shares.

    Why: a model of many layers of the same sizes (an MLP of equal widths,
    the repeated blocks of a deep network) was compiled once per layer, by
    predict's lowering and by LLVM, whose share grew with the depth: 100
    Dense 32->32 layers took 2.4 s of JIT. IREE deduplicates its dispatch
    executables the same way. Runs before `predict-split-functions`, on
    tensors, so that bufferization decides the buffers at the calls.
  }];
  let options = [
    Option<"beforeTiling", "before-tiling", "bool", /*default=*/"false",
           "Kernels are linalg ops (before tiling), not tile loops">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def PredictSplitFunctions : Pass<"predict-split-functions", "ModuleOp"> {
  let summary = "Split long straight-line functions into a chain of calls";
  let description = [{
    A function whose body holds more than `max-ops` operations (nested ones
    included; a call counts one more per operand and result, which
    bufferization, deallocation and the lowering of buffers expand) is cut, between top-level operations, into consecutive pieces
    of about `max-ops` operations each; each piece becomes a private
    function (marked `noinline` for LLVM) that takes the values it reads and returns
    the values read after it, and the original body calls them in order.
    Constants are cloned into the pieces that use them rather than passed.
    An empty tensor (`tensor.empty`, undefined contents) is made anew before
    each of its uses and never cut from it: passed out of a piece, it could
    be a result that One-Shot Bufferize writes in place while another result
    of the piece shares its buffer, and the caller would take the two for
    distinct buffers.

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
    enter the OpenMP runtime at all.

    When the rows loop is in the loop over column tiles of its contraction
    (marked `predict.parallel_columns`) and that loop has at least one
    iteration for each thread, the column tiles are shared out instead:
    each thread reads its own columns of the kernel, and the team forks
    once for the contraction instead of once for each column tile. Its
    `%worth_it` is the column tiles times the rows loop's full row tiles
    (its bounds hoisted before the columns loop) times `F`.

    With `threads` = 1 the marks are
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

def PredictExpandShapesToCasts : Pass<"predict-expand-shapes-to-casts"> {
  let summary = "Expand a buffer's shape with memref.reinterpret_cast";
  let description = [{
    `memref.expand_shape` into a group of several sizes known only at run
    time (the result of a Dense layer on a `?x?x3` input: `memref<?x2xf32>`
    into `memref<?x?x2xf32>`) becomes `memref.reinterpret_cast` of the
    source's base buffer (`memref.extract_strided_metadata`) to the same
    sizes, at the source's offset, with strides computed as
    `expand-strided-metadata` would: in each group, the source axis's
    stride times the sizes after each axis. Upstream MLIR 22's
    `expand-strided-metadata` crashes on such an expand_shape (it builds a
    stride from a null attribute); the others are left to it. Run before
    `expand-strided-metadata`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
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
    `convert-math-to-libm`, and so are `math.sin` and `math.cos` of any
    type: upstream's polynomial reduces their operand too coarsely
    (sin(-1e-8) was +6.2e-8, sin(1e5) off in the second digit), so they
    are libm's `sinf`/`cosf` calls.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // PREDICT_CODEGEN_PASSES_TD
