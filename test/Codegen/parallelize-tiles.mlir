// predict-parallelize-tiles: a marked loop over row tiles (on buffers)
// becomes an OpenMP worksharing loop that forks only when there are tiles
// (no OpenMP call at all for a batch below one tile) and work enough.
// RUN: predict-opt %s -predict-parallelize-tiles=threads=2 | FileCheck %s
// RUN: predict-opt %s -predict-parallelize-tiles=threads=1 | FileCheck %s --check-prefix=ONE

// 8 rows x 100 x 64 x 2 = 102400 flops a tile: 10 tiles reach 1e6.
// CHECK-LABEL: func.func @rows
// CHECK-SAME: (%[[OUT:.*]]: memref<?x64xf32>, %[[N:.*]]: index)
// CHECK: %[[SOME:.*]] = arith.cmpi sgt, %[[N]], %c0
// CHECK: scf.if %[[SOME]] {
// CHECK: %[[SPAN:.*]] = arith.subi %[[N]], %c0
// CHECK: %[[TILES:.*]] = arith.ceildivsi %[[SPAN]], %c8
// CHECK: %[[WORTH:.*]] = arith.cmpi sge, %[[TILES]], %c10
// CHECK: %[[T:.*]] = arith.constant 2 : i32
// CHECK: omp.parallel if(%[[WORTH]]) num_threads(%[[T]] : i32) {
// CHECK: omp.wsloop schedule(static) {
// CHECK: omp.loop_nest (%[[I:.*]]) : index = (%c0) to (%[[N]]) step (%c8) {
// CHECK: memref.store %{{.*}}, %[[OUT]][%[[I]], %c0]
// CHECK: omp.yield
// CHECK: omp.terminator
// CHECK-NOT: predict.parallel_flops
// ONE-LABEL: func.func @rows
// ONE-NOT: omp.
// ONE: scf.for
// ONE-NOT: predict.parallel_flops
func.func @rows(%out: memref<?x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c8 {
    memref.store %one, %out[%i, %c0] : memref<?x64xf32>
  } {predict.parallel_flops = 102400 : i64}
  return
}

// Unknown work a tile (0): any two tiles are shared out.
// CHECK-LABEL: func.func @unknown
// CHECK: arith.cmpi sge, %{{.*}}, %c2
// CHECK: omp.parallel if(
func.func @unknown(%out: memref<?x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c8 {
    memref.store %one, %out[%i, %c0] : memref<?x64xf32>
  } {predict.parallel_flops = 0 : i64}
  return
}

// A loop still carrying a value (on tensors, or a reduction) stays
// sequential, unmarked; so does an unmarked loop.
// CHECK-LABEL: func.func @carried
// CHECK-NOT: omp.
// CHECK: scf.for {{.*}} iter_args
// CHECK-NOT: predict.parallel_flops
// CHECK: scf.for
// CHECK-NOT: omp.
// CHECK: return
func.func @carried(%out: memref<?x64xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1.0 : f32
  %sum = scf.for %i = %c0 to %n step %c8 iter_args(%acc = %one) -> (f32) {
    %next = arith.addf %acc, %one : f32
    scf.yield %next : f32
  } {predict.parallel_flops = 0 : i64}
  scf.for %i = %c0 to %n step %c8 {
    memref.store %one, %out[%i, %c0] : memref<?x64xf32>
  }
  return %sum : f32
}

// A loop holding a run-time check or a host callback stays on the calling
// thread: only it can return a failure to the caller (docs/Runtime.md).
// CHECK-LABEL: func.func @checked
// CHECK-NOT: omp.
// CHECK: scf.for
// CHECK: predict.assert
// CHECK: scf.for
// CHECK: call @predict_runtime_foreign
// CHECK-NOT: omp.
// CHECK: return
func.func private @predict_runtime_foreign(i64, memref<?xi64>)
func.func @checked(%out: memref<?x64xf32>, %n: index, %block: memref<?xi64>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %id = arith.constant 0 : i64
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c8 {
    %ok = arith.cmpi ne, %i, %n : index
    predict.assert %ok, "row {0}" (%i : index)
    memref.store %one, %out[%i, %c0] : memref<?x64xf32>
  } {predict.parallel_flops = 0 : i64}
  scf.for %i = %c0 to %n step %c8 {
    func.call @predict_runtime_foreign(%id, %block) : (i64, memref<?xi64>) -> ()
  } {predict.parallel_flops = 0 : i64}
  return
}

// Rows loop in a marked loop over 4 column tiles: the column tiles are
// shared out (one fork), with the work = 4 column tiles x the full row
// tiles (bounds hoisted before the loop) x 51200.
// CHECK-LABEL: func.func @columns
// CHECK-SAME: (%[[OUT:.*]]: memref<?x128xf32>, %[[N:.*]]: index)
// CHECK: %[[FULL:.*]] = affine.apply #{{.*}}()[%[[N]]]
// CHECK: scf.if
// CHECK: %[[SPAN:.*]] = arith.subi %[[FULL]], %c0
// CHECK: %[[SPAN0:.*]] = arith.maxsi %[[SPAN]], %c0
// CHECK: %[[TILES:.*]] = arith.ceildivsi %[[SPAN0]], %c8
// CHECK: %[[WORK:.*]] = arith.muli %[[TILES]], %c204800
// CHECK: %[[WORTH:.*]] = arith.cmpi sge, %[[WORK]], %c1000000
// CHECK: omp.parallel if(%[[WORTH]])
// CHECK: omp.loop_nest (%[[J:.*]]) : index = (%c0) to (%c128) step (%c32) {
// CHECK: scf.for %[[I:.*]] = %c0 to %[[FULL]] step %c8 {
// CHECK: memref.store %{{.*}}, %[[OUT]][%[[I]], %[[J]]]
// CHECK-NOT: omp.parallel
// CHECK-NOT: predict.parallel
// CHECK: return
// With one column tile (fewer than the threads), the rows loop is shared
// out as before.
// CHECK-LABEL: func.func @one_column
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c32 {
// CHECK: omp.parallel
// CHECK: omp.loop_nest
// CHECK-NOT: predict.parallel
// CHECK: return
func.func @columns(%out: memref<?x128xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %c128 = arith.constant 128 : index
  %one = arith.constant 1.0 : f32
  scf.for %j = %c0 to %c128 step %c32 {
    %full = affine.apply affine_map<()[s0] -> ((s0 floordiv 8) * 8)>()[%n]
    scf.for %i = %c0 to %full step %c8 {
      memref.store %one, %out[%i, %j] : memref<?x128xf32>
    } {predict.parallel_flops = 51200 : i64}
  } {predict.parallel_columns}
  return
}
func.func @one_column(%out: memref<?x32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %one = arith.constant 1.0 : f32
  scf.for %j = %c0 to %c32 step %c32 {
    scf.for %i = %c0 to %n step %c8 {
      memref.store %one, %out[%i, %j] : memref<?x32xf32>
    } {predict.parallel_flops = 51200 : i64}
  } {predict.parallel_columns}
  return
}
