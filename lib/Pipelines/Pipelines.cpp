//===- Pipelines.cpp - predict's named pass pipelines ---------------------===//

#include "predict/Pipelines/Pipelines.h"
#include "predict/Codegen/Passes.h"
#include "predict/Conversion/Passes.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::predict;

void predict::buildPredictToLinalgPipeline(OpPassManager &pm,
                                           const PipelineOptions &options) {
  pm.addPass(createPredictInlineModels());
  pm.addPass(createPredictCanonicalizerPass());
  pm.addPass(createPredictShapeInference());
  if (options.foreign == "rewrite" || options.foreign == "callback") {
    pm.addPass(createPredictRewriteForeign());
    pm.addPass(createPredictCanonicalizerPass());
  }
  if (options.foreign == "callback")
    pm.addPass(createPredictForeignCallbacks());
  pm.addPass(createPredictCheckForeign());
  // Rewrites give ranked types to what was unknown: refine again, up to the
  // signatures of the public functions.
  PredictShapeInferenceOptions refine;
  refine.refineSignatures = true;
  pm.addPass(createPredictShapeInference(refine));
  pm.addPass(createPredictFoldIntoDense());
  pm.addPass(createPredictCanonicalizerPass());
  // Batch the loops that allow it; lower the rest.
  if (options.batchLoops) {
    PredictBatchLoopsOptions batch;
    batch.emitRemarks = options.remarks;
    pm.addPass(createPredictBatchLoops(batch));
  }
  pm.addPass(createPredictLowerLoops());
  pm.addPass(createPredictCanonicalizerPass());
  // Prints become calls of the runtime once no loop can be batched.
  pm.addPass(createPredictLowerPrint());
  pm.addPass(createConvertPredictToLinalg());
  // The lowering checks every size that must agree. Checks that cannot fail
  // fold away once equal sizes are one value: the size of an op's result
  // resolves to the size its operands give, CSE merges the reads of one
  // size, and canonicalization folds `%n == %n` and what depends on it.
  pm.addPass(memref::createResolveRankedShapeTypeResultDimsPass());
  pm.addPass(createPredictCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createPredictCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void predict::buildPredictCodegenPipeline(OpPassManager &pm,
                                          const PipelineOptions &options) {
  // Elementwise arith and math ops on whole tensors (in a module written at
  // the linalg level) become linalg.generic, which the rest knows.
  pm.addPass(createPredictElementwiseToLinalg());
  // Contractions over 0 features are their initial values; constants with
  // no elements are empty tensors (vectorized or not).
  pm.addPass(createPredictFoldZeroSize());
  // Chains of elementwise generics become one pass over memory.
  pm.addPass(createPredictFuseElementwise());
  pm.addPass(createPredictCanonicalizerPass());
  if (options.vectorize) {
    // Tiles sized for the target's registers where it is known.
    PredictTileConvolutionsOptions convTiles;
    PredictTileAndVectorizeOptions tiles;
    PredictInterleaveReductionsOptions chains;
    tiles.fma = options.fma;
    if (options.vectorBits && options.vectorRegisters) {
      RegisterTile tile =
          registerTile(options.vectorBits, options.vectorRegisters);
      tiles.tileRows = tile.rows;
      tiles.tileCols = tile.cols;
      convTiles.tileCols = tile.convCols;
      convTiles.tileFilters = tile.convFilters;
      chains.lanes = std::max<int64_t>(options.vectorBits / 32, 1);
      chains.accumulators = tile.rows * (tile.cols / chains.lanes);
    }
    // Layers of the same code share one function before tiling, which
    // then runs once per distinct layer, not once per layer.
    PredictDeduplicateKernelsOptions shared;
    shared.beforeTiling = true;
    pm.addPass(createPredictDeduplicateKernels(shared));
    // Convolutions first: tile-and-vectorize then folds their slices into
    // transfers and hoists their accumulators with the matmuls'.
    pm.addPass(createPredictTileConvolutions(convTiles));
    pm.addPass(createPredictTileAndVectorize(tiles));
    // Tiles of few accumulators (a batch of 1, a layer of 10 units) keep
    // the FMA units busy with independent chains.
    pm.addPass(createPredictInterleaveReductions(chains));
  }
}

predict::RegisterTile predict::registerTile(unsigned bits,
                                            unsigned registers) {
  int64_t lanes = std::max<int64_t>(bits / 32, 1);
  int64_t regs = std::max<int64_t>(registers, 8);
  int64_t vectors = std::max<int64_t>(regs / 8, 1);
  RegisterTile tile;
  tile.cols = vectors * lanes;
  tile.rows = std::clamp<int64_t>((regs - vectors - 1) / vectors, 1, 8);
  tile.convFilters = 2 * lanes;
  tile.convCols = std::clamp<int64_t>((regs - 3) / 2, 1, 8);
  return tile;
}

void predict::buildPredictBufferizePipeline(OpPassManager &pm) {
  // Layers of the same code share one function: compiled once, not once
  // per layer.
  pm.addPass(createPredictDeduplicateKernels());
  // Bound the size of each function LLVM sees (its register allocator is
  // superlinear in it): a long chain of layers becomes calls of pieces.
  pm.addPass(createPredictSplitFunctions());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // A value carried by a loop (an accumulator) is a new buffer each
  // iteration; deallocation frees the old ones.
  bufferize.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // A while loop's carried buffers are not copied in each iteration.
  pm.addPass(createPredictForwardWhileBuffers());
  pm.addPass(createPredictCanonicalizerPass());
  // Results are returned owned: predict-run frees them after the call.
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Buffer sizes that wrap 64 bits fail located (before the runtime checks
  // are lowered).
  pm.addPass(createPredictCheckAllocationSizes());
}

void predict::buildPredictLowerToLLVMPipeline(OpPassManager &pm,
                                              const PipelineOptions &options) {
  PredictParallelizeTilesOptions parallel;
  parallel.threads = options.threads;
  pm.addPass(createPredictParallelizeTiles(parallel));
  // Checks become calls of the runtime's error channel while scf is still
  // structured (and after parallelization, which keeps them off threads).
  pm.addPass(createPredictLowerRuntimeChecks());
  pm.addPass(createPredictLowerVectors());
  // What is left of n-D transfers (partial tiles) becomes unrolled 1-D ones.
  VectorTransferToSCFOptions toSCF;
  toSCF.enableFullUnroll();
  toSCF.setTargetRank(1);
  pm.addPass(createConvertVectorToSCFPass(toSCF));
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createPredictApproximateMath());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createPredictExpandShapesToCasts());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Heap buffers come from the runtime (_mlir_memref_to_llvm_alloc, ...),
  // which tracks those of the current call: a call that fails frees them
  // all, and the caller knows which results it owns (docs/Runtime.md).
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  if (options.threads > 1)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void predict::buildPredictToLLVMPipeline(OpPassManager &pm,
                                         const PipelineOptions &options) {
  buildPredictToLinalgPipeline(pm, options);
  buildPredictCodegenPipeline(pm, options);
  buildPredictBufferizePipeline(pm);
  buildPredictLowerToLLVMPipeline(pm, options);
}

void predict::registerPredictPipelines() {
  PassPipelineRegistration<PipelineOptions>(
      "predict-to-linalg",
      "Inline models, infer shapes, batch or lower loops, and lower predict "
      "to linalg on tensors",
      buildPredictToLinalgPipeline);
  PassPipelineRegistration<PipelineOptions>(
      "predict-codegen",
      "Tile and vectorize linalg on tensors for the host CPU",
      buildPredictCodegenPipeline);
  PassPipelineRegistration<>("predict-bufferize",
                             "Bufferize tensors, with deallocation",
                             buildPredictBufferizePipeline);
  PassPipelineRegistration<PipelineOptions>(
      "predict-lower-to-llvm",
      "Share out row tiles among threads (threads=N); lower loops, vectors, "
      "memrefs and math to the LLVM dialect",
      buildPredictLowerToLLVMPipeline);
  PassPipelineRegistration<PipelineOptions>(
      "predict-to-llvm",
      "From the predict dialect to the LLVM dialect: all the stages above",
      buildPredictToLLVMPipeline);
}
