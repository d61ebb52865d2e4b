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
  // The target's vector registers, which size the register tiles of
  // contractions and convolutions (registerTile); 0: the passes' defaults.
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Width of the target's vector registers in bits (128, "
                     "256, 512; 0: the tile passes' defaults)"),
      llvm::cl::init(0)};
  Option<unsigned> vectorRegisters{
      *this, "vector-registers",
      llvm::cl::desc("Number of the target's vector registers (16 for AVX2, "
                     "32 for AVX-512; 0: the tile passes' defaults)"),
      llvm::cl::init(0)};
  Option<bool> fma{
      *this, "fma",
      llvm::cl::desc("The target has FMA: each step of a contraction is a "
                     "math.fma, rounded once on every tile alike (off: a "
                     "multiply and an add that LLVM may fuse)"),
      llvm::cl::init(false)};
};

/// The register tiles for a target with `registers` vector registers of
/// `bits` bits (float32 lanes = bits / 32).
///
/// A contraction's tile (predict-tile-and-vectorize) is `rows` x `cols`:
/// `registers / 8` vectors of columns (each broadcast input element feeds
/// that many FMAs), by as many rows (at most 8) as leave room for one row of
/// kernel vectors and the broadcast. AVX-512 (32 x 512 bits): 6 x 64, 24
/// accumulators; AVX2 (16 x 256): 6 x 16, 12 accumulators; SSE2 (16 x 128):
/// 6 x 8. Measured on Zen 4 (dense 256x1024x1024, one thread, thread CPU
/// time): 6 x 64 took 0.87x the time of 8 x 32 (4 x 64: 1.0x; 12 x 32:
/// 1.1x; 14 x 32 spilled: 1.6x). The 8 x 32 tile on AVX2 needed 32
/// accumulators for 16 registers.
///
/// A convolution's tile (predict-tile-convolutions) keeps two vectors of
/// filters by up to 8 output columns (AVX-512: 8 x 32, its measured
/// default; AVX2: 6 x 16).
struct RegisterTile {
  int64_t rows, cols;             // contraction: output rows x columns
  int64_t convCols, convFilters;  // convolution: output columns x filters
};
RegisterTile registerTile(unsigned bits, unsigned registers);

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
