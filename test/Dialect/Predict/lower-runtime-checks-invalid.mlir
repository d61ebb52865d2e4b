// predict-lower-runtime-checks refuses a check inside an OpenMP parallel
// region: only the calling thread can return a failure to the caller.
// RUN: predict-opt %s -predict-lower-runtime-checks -verify-diagnostics -split-input-file

func.func @in_parallel(%c: i1) {
  omp.parallel {
    // expected-error @below {{a run-time check inside an OpenMP parallel region cannot report its failure to the caller}}
    predict.assert %c, "no"
    omp.terminator
  }
  return
}
