// predict-interleave-reductions splits a contraction's accumulation loop
// (a `contract` addf of a `contract` mulf into a carried vector) into S
// segments summed in order, S from the accumulator's columns alone
// (ceil(chains / vectors of a row)), and interleaves segments in a tile of
// few accumulators. The defaults are AVX-512's: 16 lanes, 24 accumulators,
// 8 chains.
// RUN: predict-opt %s -predict-interleave-reductions -canonicalize -split-input-file | FileCheck %s
// With AVX2's 8 lanes and 12 accumulators:
// RUN: predict-opt %s -predict-interleave-reductions="lanes=8 accumulators=12" -canonicalize -split-input-file | FileCheck %s --check-prefix=AVX2
// An option that is not positive is an error.
// RUN: not predict-opt %s -predict-interleave-reductions="chains=0" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: predict-interleave-reductions: lanes, accumulators and chains must be positive

// One row of 64 columns (4 vectors): 2 segments of 50 steps, both in one
// loop (8 chains), each from zero; the loop's initial value, then segment
// 0, then segment 1 are added in that order.
// CHECK-LABEL: func.func @one_row
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<1x64xf32>
// CHECK-DAG:     %[[C50:.*]] = arith.constant 50 : index
// CHECK:         %[[R:.*]]:2 = scf.for %[[J:.*]] = %{{.*}} to %[[C50]] step %{{.*}} iter_args(%[[A0:.*]] = %[[ZERO]], %[[A1:.*]] = %[[ZERO]])
// CHECK:           tensor.extract %{{.*}}[%{{.*}}, %[[J]]]
// CHECK:           %[[S0:.*]] = arith.addf %[[A0]], %{{.*}} fastmath<contract>
// CHECK:           %[[K1:.*]] = arith.addi %[[J]], %[[C50]]
// CHECK:           tensor.extract %{{.*}}[%{{.*}}, %[[K1]]]
// CHECK:           %[[S1:.*]] = arith.addf %[[A1]], %{{.*}} fastmath<contract>
// CHECK:           scf.yield %[[S0]], %[[S1]]
// CHECK:         %[[T0:.*]] = arith.addf %[[R]]#0, %[[ZERO]] : vector<1x64xf32>
// CHECK:         %[[T1:.*]] = arith.addf %[[T0]], %[[R]]#1 : vector<1x64xf32>
// CHECK:         return %[[T1]]
// On AVX2 a row of 64 columns is 8 vectors: 8 chains already.
// AVX2-LABEL: func.func @one_row
// AVX2:         scf.for %{{.*}} = %{{.*}} to %c100 step
// AVX2-NOT:     scf.for
// AVX2:         return
func.func @one_row(%a: tensor<1x100xf32>, %b: tensor<100x64xf32>) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x64xf32>
  %r = scf.for %k = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> (vector<1x64xf32>) {
    %s = tensor.extract %a[%c0, %k] : tensor<1x100xf32>
    %x = vector.broadcast %s : f32 to vector<1x64xf32>
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : tensor<100x64xf32>, vector<1x64xf32>
    %p = arith.mulf %x, %w fastmath<contract> : vector<1x64xf32>
    %n = arith.addf %acc, %p fastmath<contract> : vector<1x64xf32>
    scf.yield %n : vector<1x64xf32>
  }
  return %r : vector<1x64xf32>
}

// -----

// A full tile of 6 rows (24 accumulators) has the same 2 segments, one
// after the other: a loop over the segments, each a loop of 50 steps from
// zero, added to the total in turn (the same sums as the row above).
// CHECK-LABEL: func.func @full_tile
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<6x64xf32>
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C50:.*]] = arith.constant 50 : index
// CHECK:         scf.for %[[G:.*]] = %{{.*}} to %[[C2]] step %{{.*}} iter_args(%[[TOTAL:.*]] = %[[ZERO]])
// CHECK:           %[[FIRST:.*]] = arith.muli %[[G]], %[[C50]]
// CHECK:           %[[SEG:.*]] = scf.for %[[J:.*]] = %{{.*}} to %[[C50]] step %{{.*}} iter_args(%[[A:.*]] = %[[ZERO]])
// CHECK:             arith.addi %[[FIRST]], %[[J]]
// CHECK-NOT:         scf.for
// CHECK:             arith.addf %[[A]], %{{.*}} fastmath<contract>
// CHECK:           %[[SUM:.*]] = arith.addf %[[TOTAL]], %[[SEG]] : vector<6x64xf32>
// CHECK:           scf.yield %[[SUM]]
func.func @full_tile(%a: tensor<6x100xf32>, %b: tensor<100x64xf32>) -> vector<6x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<6x64xf32>
  %r = scf.for %k = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> (vector<6x64xf32>) {
    %x = vector.transfer_read %a[%c0, %k], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d0, 0)>} : tensor<6x100xf32>, vector<6x64xf32>
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (0, d1)>} : tensor<100x64xf32>, vector<6x64xf32>
    %p = arith.mulf %x, %w fastmath<contract> : vector<6x64xf32>
    %n = arith.addf %acc, %p fastmath<contract> : vector<6x64xf32>
    scf.yield %n : vector<6x64xf32>
  }
  return %r : vector<6x64xf32>
}

// -----

// One row of 10 units (one masked vector) over K = 64: 8 segments of 8
// steps, all in one loop; through shape casts, as the vectorizer leaves a
// one-row tile.
// CHECK-LABEL: func.func @ten_units
// CHECK:         %[[R:.*]]:8 = scf.for %{{.*}} = %{{.*}} to %c8 step
// CHECK-COUNT-8:   arith.addf %{{.*}} fastmath<contract> : vector<10xf32>
// CHECK:           scf.yield
// CHECK-COUNT-8: arith.addf %{{.*}} : vector<1x10xf32>
// CHECK-NEXT:    return
// On AVX2 too (10 units are 2 vectors of 8): 4 segments of 16 steps.
// AVX2-LABEL: func.func @ten_units
// AVX2:         scf.for %{{.*}} = %{{.*}} to %c16 step %{{.*}} iter_args({{[^,]*}}, {{[^,]*}}, {{[^,]*}}, {{[^,]*}}) ->
// AVX2-COUNT-4: arith.addf %{{.*}} fastmath<contract> : vector<10xf32>
func.func @ten_units(%a: tensor<1x64xf32>, %b: tensor<64x10xf32>) -> vector<1x10xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x10xf32>
  %r = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %zero) -> (vector<1x10xf32>) {
    %s = tensor.extract %a[%c0, %k] : tensor<1x64xf32>
    %x = vector.broadcast %s : f32 to vector<10xf32>
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true]} : tensor<64x10xf32>, vector<10xf32>
    %p = arith.mulf %x, %w fastmath<contract> : vector<10xf32>
    %acc1 = vector.shape_cast %acc : vector<1x10xf32> to vector<10xf32>
    %n = arith.addf %acc1, %p fastmath<contract> : vector<10xf32>
    %n1 = vector.shape_cast %n : vector<10xf32> to vector<1x10xf32>
    scf.yield %n1 : vector<1x10xf32>
  }
  return %r : vector<1x10xf32>
}

// -----

// A trip count known only at run time: segments of h = K floordiv 2 steps,
// then the K mod 2 steps left, as one more chain added last.
// CHECK-LABEL: func.func @dynamic
// CHECK:         %[[K:.*]] = tensor.dim
// CHECK:         %[[H:.*]] = arith.divui %{{.*}}, %c2
// CHECK:         %[[R:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %[[H]] step
// CHECK:         %[[T0:.*]] = arith.addf %[[R]]#0,
// CHECK:         %[[T1:.*]] = arith.addf %[[T0]], %[[R]]#1
// CHECK:         %[[REST:.*]] = arith.muli %[[H]], %c2
// CHECK:         %[[TAIL:.*]] = scf.for %{{.*}} = %[[REST]] to %[[K]] step
// CHECK:         arith.addf %[[T1]], %[[TAIL]]
func.func @dynamic(%a: tensor<1x?xf32>, %b: tensor<?x64xf32>) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %k = tensor.dim %b, %c0 : tensor<?x64xf32>
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x64xf32>
  %r = scf.for %i = %c0 to %k step %c1 iter_args(%acc = %zero) -> (vector<1x64xf32>) {
    %s = tensor.extract %a[%c0, %i] : tensor<1x?xf32>
    %x = vector.broadcast %s : f32 to vector<1x64xf32>
    %w = vector.transfer_read %b[%i, %c0], %pad {in_bounds = [true, true]} : tensor<?x64xf32>, vector<1x64xf32>
    %p = arith.mulf %x, %w fastmath<contract> : vector<1x64xf32>
    %n = arith.addf %acc, %p fastmath<contract> : vector<1x64xf32>
    scf.yield %n : vector<1x64xf32>
  }
  return %r : vector<1x64xf32>
}

// -----

// K = 13 has no divisor up to 13 / 2 but 1: the loop stays.
// CHECK-LABEL: func.func @prime
// CHECK:         scf.for %{{.*}} = %{{.*}} to %c13 step
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @prime(%a: tensor<1x13xf32>, %b: tensor<13x64xf32>) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c13 = arith.constant 13 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x64xf32>
  %r = scf.for %k = %c0 to %c13 step %c1 iter_args(%acc = %zero) -> (vector<1x64xf32>) {
    %s = tensor.extract %a[%c0, %k] : tensor<1x13xf32>
    %x = vector.broadcast %s : f32 to vector<1x64xf32>
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : tensor<13x64xf32>, vector<1x64xf32>
    %p = arith.mulf %x, %w fastmath<contract> : vector<1x64xf32>
    %n = arith.addf %acc, %p fastmath<contract> : vector<1x64xf32>
    scf.yield %n : vector<1x64xf32>
  }
  return %r : vector<1x64xf32>
}

// -----

// Loops that are not a contraction's accumulation stay as they are: a sum
// not marked `contract`, an accumulator read by another op of the step, a
// step with an effect, a step of 2.
// CHECK-LABEL: func.func @not_contract
// CHECK:         scf.for %{{.*}} = %{{.*}} to %c100 step
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @not_contract(%a: tensor<1x100xf32>, %b: tensor<100x64xf32>) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x64xf32>
  %r = scf.for %k = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> (vector<1x64xf32>) {
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : tensor<100x64xf32>, vector<1x64xf32>
    %p = arith.mulf %w, %w fastmath<contract> : vector<1x64xf32>
    %n = arith.addf %acc, %p : vector<1x64xf32>
    scf.yield %n : vector<1x64xf32>
  }
  return %r : vector<1x64xf32>
}

// CHECK-LABEL: func.func @accumulator_read
// CHECK:         scf.for %{{.*}} = %{{.*}} to %c100 step
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @accumulator_read(%a: tensor<1x100xf32>, %b: tensor<100x64xf32>) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x64xf32>
  %r = scf.for %k = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> (vector<1x64xf32>) {
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : tensor<100x64xf32>, vector<1x64xf32>
    %p = arith.mulf %acc, %w fastmath<contract> : vector<1x64xf32>
    %n = arith.addf %acc, %p fastmath<contract> : vector<1x64xf32>
    scf.yield %n : vector<1x64xf32>
  }
  return %r : vector<1x64xf32>
}

// CHECK-LABEL: func.func @effect
// CHECK:         scf.for %{{.*}} = %{{.*}} to %c100 step
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @effect(%a: memref<1x100xf32>, %b: tensor<100x64xf32>) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x64xf32>
  %r = scf.for %k = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> (vector<1x64xf32>) {
    %s = memref.load %a[%c0, %k] : memref<1x100xf32>
    %x = vector.broadcast %s : f32 to vector<1x64xf32>
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : tensor<100x64xf32>, vector<1x64xf32>
    %p = arith.mulf %x, %w fastmath<contract> : vector<1x64xf32>
    %n = arith.addf %acc, %p fastmath<contract> : vector<1x64xf32>
    memref.store %pad, %a[%c0, %k] : memref<1x100xf32>
    scf.yield %n : vector<1x64xf32>
  }
  return %r : vector<1x64xf32>
}

// CHECK-LABEL: func.func @step_two
// CHECK:         scf.for %{{.*}} = %{{.*}} to %c100 step %c2
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @step_two(%a: tensor<1x100xf32>, %b: tensor<100x64xf32>) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c100 = arith.constant 100 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x64xf32>
  %r = scf.for %k = %c0 to %c100 step %c2 iter_args(%acc = %zero) -> (vector<1x64xf32>) {
    %s = tensor.extract %a[%c0, %k] : tensor<1x100xf32>
    %x = vector.broadcast %s : f32 to vector<1x64xf32>
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : tensor<100x64xf32>, vector<1x64xf32>
    %p = arith.mulf %x, %w fastmath<contract> : vector<1x64xf32>
    %n = arith.addf %acc, %p fastmath<contract> : vector<1x64xf32>
    scf.yield %n : vector<1x64xf32>
  }
  return %r : vector<1x64xf32>
}

// -----

// A function with a contraction step that cannot be split (a masked tile's
// accumulator kept in memory, as the last columns of a contraction whose
// columns are known only at run time have it) is left whole: its other
// tiles, split, would sum in another order than that one.
// CHECK-LABEL: func.func @unsplit_beside
// CHECK:         scf.for %{{.*}} = %{{.*}} to %c100 step
// CHECK:         scf.for %{{.*}} = %{{.*}} to %c100 step
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @unsplit_beside(%a: tensor<1x100xf32>, %b: tensor<100x64xf32>, %m: tensor<1x64xf32>) -> (vector<1x64xf32>, tensor<1x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x64xf32>
  %r = scf.for %k = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> (vector<1x64xf32>) {
    %s = tensor.extract %a[%c0, %k] : tensor<1x100xf32>
    %x = vector.broadcast %s : f32 to vector<1x64xf32>
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : tensor<100x64xf32>, vector<1x64xf32>
    %n = math.fma %x, %w, %acc : vector<1x64xf32>
    scf.yield %n : vector<1x64xf32>
  }
  %t = scf.for %k = %c0 to %c100 step %c1 iter_args(%acc = %m) -> (tensor<1x64xf32>) {
    %s = tensor.extract %a[%c0, %k] : tensor<1x100xf32>
    %x = vector.broadcast %s : f32 to vector<1x64xf32>
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : tensor<100x64xf32>, vector<1x64xf32>
    %old = vector.transfer_read %acc[%c0, %c0], %pad {in_bounds = [true, true]} : tensor<1x64xf32>, vector<1x64xf32>
    %n = math.fma %x, %w, %old : vector<1x64xf32>
    %new = vector.transfer_write %n, %acc[%c0, %c0] {in_bounds = [true, true]} : vector<1x64xf32>, tensor<1x64xf32>
    scf.yield %new : tensor<1x64xf32>
  }
  return %r, %t : vector<1x64xf32>, tensor<1x64xf32>
}

// The same loop of math.fma steps alone is split.
// CHECK-LABEL: func.func @fma_steps
// CHECK:         scf.for %{{.*}} = %{{.*}} to %c50 step %{{.*}} iter_args({{[^,]*}}, {{[^,]*}}) ->
// CHECK-COUNT-2:   math.fma
func.func @fma_steps(%a: tensor<1x100xf32>, %b: tensor<100x64xf32>) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<1x64xf32>
  %r = scf.for %k = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> (vector<1x64xf32>) {
    %s = tensor.extract %a[%c0, %k] : tensor<1x100xf32>
    %x = vector.broadcast %s : f32 to vector<1x64xf32>
    %w = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : tensor<100x64xf32>, vector<1x64xf32>
    %n = math.fma %x, %w, %acc : vector<1x64xf32>
    scf.yield %n : vector<1x64xf32>
  }
  return %r : vector<1x64xf32>
}
