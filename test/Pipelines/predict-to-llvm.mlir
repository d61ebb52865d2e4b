// The named pipelines, stage by stage, on our IR of the seed's SimpleModel.
// RUN: predict-opt %predict_src_root/examples/seed/simple_model.mlir --predict-to-linalg | FileCheck %s --check-prefix=LINALG
// RUN: predict-opt %predict_src_root/examples/seed/simple_model.mlir --predict-to-linalg --predict-codegen | FileCheck %s --check-prefix=CODEGEN
// RUN: predict-opt %predict_src_root/examples/seed/simple_model.mlir --predict-to-linalg --predict-codegen --predict-bufferize | FileCheck %s --check-prefix=BUFFERS
// RUN: predict-opt %predict_src_root/examples/seed/simple_model.mlir --predict-to-llvm | FileCheck %s --check-prefix=LLVM
// RUN: predict-opt %predict_src_root/examples/seed/simple_model.mlir --predict-to-llvm=vectorize=false | FileCheck %s --check-prefix=LLVM
// RUN: predict-opt %predict_src_root/examples/seed/simple_model.mlir --predict-to-llvm | FileCheck %s --check-prefix=ALLOC

// LINALG-NOT: predict.
// LINALG: func.func @graph_predict(%arg0: tensor<?x100xf32>) -> tensor<?x10xf32>
// LINALG-COUNT-2: linalg.matmul
// LINALG-NOT: predict.

// CODEGEN: scf.for {{.*}} step %c8
// CODEGEN: vector<8x32xf32>
// CODEGEN-NOT: linalg.matmul

// Weights are read-only globals, never copied per call; the first kernel
// (100 x 64) in the layout of its two column tiles of 32, the second (64 x
// 10, one tile) as it is.
// BUFFERS-DAG: memref.global "private" constant @{{.*}} : memref<2x100x32xf32> = dense_resource<dense1_kernel_packed>
// BUFFERS-DAG: memref.global "private" constant @{{.*}} : memref<64x10xf32> = dense_resource<dense2_kernel>
// BUFFERS: func.func @graph_predict(%arg0: memref<?x100xf32>) -> memref<?x10xf32>
// BUFFERS: memref.get_global
// BUFFERS-NOT: memref.copy

// Only the LLVM dialect is left.
// LLVM: llvm.func @graph_predict(
// (Ops, not LLVM intrinsics such as llvm.intr.vector.reduce.fmaximum.)
// LLVM-NOT: {{(^|[^.a-z_])(predict|linalg|tensor|memref|vector|scf|arith|math|affine|cf|bufferization)\.}}

// Heap buffers come from the runtime, which tracks each call's buffers
// (docs/Runtime.md); static sizes need no run-time check.
// ALLOC-NOT: @malloc
// ALLOC-NOT: predict_runtime_check_failed
// ALLOC: llvm.call @_mlir_memref_to_llvm_alloc
// ALLOC: llvm.call @_mlir_memref_to_llvm_free
// ALLOC-NOT: @malloc
// ALLOC-NOT: predict_runtime_check_failed
