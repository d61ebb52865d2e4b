//===- Passes.h - CPU code generation from linalg ---------------*- C++ -*-===//
//
// The code-generation passes: from linalg on tensors to vector code for the
// host CPU (see Passes.td). They run on upstream dialects only; the predict
// dialect is gone by then, but for its run-time checks (predict.assert),
// which predict-parallelize-tiles keeps off threads.
//
//===----------------------------------------------------------------------===//

#ifndef PREDICT_CODEGEN_PASSES_H
#define PREDICT_CODEGEN_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::predict {

/// On a loop over row tiles whose iterations are independent (each writes
/// its own rows): the floating-point operations of one iteration, 0 if
/// unknown. Set by predict-tile-and-vectorize, read and removed by
/// predict-parallelize-tiles.
inline constexpr llvm::StringLiteral kParallelFlopsAttr =
    "predict.parallel_flops";

/// On the loop over column tiles around a loop marked kParallelFlopsAttr
/// (its iterations are independent too: each writes its own columns).
/// Set by predict-tile-and-vectorize; predict-parallelize-tiles shares it
/// out instead of the rows loop when it has a tile for each thread.
inline constexpr llvm::StringLiteral kParallelColumnsAttr =
    "predict.parallel_columns";

/// The labels of upstream canonicalization patterns that predict leaves
/// out, each wrong for some program predict compiles: scf.for's
/// ForOpTensorCastFolder moves a cast of a loop's initial value to a more
/// static type into the loop, so that the loop carries the static type,
/// which is wrong when an iteration changes the size (`h =
/// tf.concat([h, x], 0)` from an empty `h`: every iteration would be cast
/// back to 0 rows). Spelled as clang and as GCC name an anonymous
/// namespace; test/Pipelines/loop-carried-sizes.test fails if neither
/// matches.
ArrayRef<std::string> unsoundCanonicalizations();
/// The canonicalizer (`canonicalize`) without unsoundCanonicalizations().
std::unique_ptr<Pass> createPredictCanonicalizerPass();

#define GEN_PASS_DECL
#include "predict/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "predict/Codegen/Passes.h.inc"

} // namespace mlir::predict

#endif // PREDICT_CODEGEN_PASSES_H
