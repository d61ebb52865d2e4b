//===- Pipelines.h - predict's named pass pipelines ---------------*- C++ -*-===//
//
// The stages from the predict dialect to the LLVM dialect, each a named
// pipeline of predict-opt so that every stage can be inspected on its own.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_PIPELINES_PIPELINES_H
#define PREDICT_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::predict {

/// Options shared by the pipelines.
struct PipelineOptions : public PassPipelineOptions<PipelineOptions> {
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize contractions and elementwise ops "
                     "(off: plain loops, for debugging)"),
      llvm::cl::init(true)};
  Option<bool> batchLoops{
      *this, "batch-loops",
      llvm::cl::desc("Replace row-independent loops by batched computations "
                     "(off: every loop runs as scf.for)"),
      llvm::cl::init(true)};
  Option<std::string> foreign{
      *this, "foreign",
      llvm::cl::desc("Foreign calls: 'reject' (an error at each, with the "
                     "ways out), 'rewrite' (known functions become native "
                     "ops; the others are rejected) or 'callback' (known "
                     "functions native, the others host callbacks)"),
      llvm::cl::init("reject")};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads that share out the row tiles of contractions "
                     "(OpenMP; 1: the code is sequential and needs no "
                     "runtime)"),
      llvm::cl::init(1)};
  Option<bool> remarks{
      *this, "remarks",
      llvm::cl::desc("Explain which loops were batched and why others were "
                     "not, as remarks at their Python locations"),
      llvm::cl::init(false)};
};

/// predict-to-linalg: inline models, infer shapes, batch or lower loops,
/// lower to linalg on tensors.
void buildPredictToLinalgPipeline(OpPassManager &pm,
                                  const PipelineOptions &options);

/// predict-codegen: tile and vectorize linalg on tensors for the host CPU.
void buildPredictCodegenPipeline(OpPassManager &pm,
                                 const PipelineOptions &options);

/// predict-bufferize: tensors to buffers, with deallocation.
void buildPredictBufferizePipeline(OpPassManager &pm);

/// predict-lower-to-llvm: threads (options.threads), loops, vectors, memrefs
/// and math to LLVM.
void buildPredictLowerToLLVMPipeline(OpPassManager &pm,
                                     const PipelineOptions &options);

/// predict-to-llvm: all of the above, from the predict dialect to LLVM.
void buildPredictToLLVMPipeline(OpPassManager &pm,
                                const PipelineOptions &options);

/// Registers the pipelines above with the pass registry.
void registerPredictPipelines();

} // namespace mlir::predict

#endif // PREDICT_PIPELINES_PIPELINES_H
