// predict-explain: what compiles, per function, in plain text.
// RUN: predict-opt %s -predict-explain -o /dev/null | FileCheck %s

// CHECK-LABEL: explain function @mixed (model.py:1:1)
// CHECK-NEXT:   compiled regions:
// CHECK-NEXT:     region 1: 2 operations, lines 2-3
// CHECK-NEXT:     break at model.py:4:9: foreign call 'scipy.signal.convolve'
// CHECK-NEXT:     region 2: 1 operations, lines 5-5
// CHECK-NEXT:     break at model.py:6:9: foreign call 'mylib.smooth'
// CHECK-NEXT:     break at model.py:7:9: foreign call 'mylib.ranked'
// CHECK-NEXT:   foreign calls: 3
// CHECK-NEXT:     model.py:4:9 'scipy.signal.convolve': rewritable with --foreign=rewrite (into predict.convolve)
// CHECK-NEXT:     model.py:6:9 'mylib.smooth': unsupported (no native rewrite; no callback: argument #0 has type 'tensor<*xf32>'; callbacks pass float32 tensors of known rank)
// CHECK-NEXT:     model.py:7:9 'mylib.ranked': callback with --foreign=callback and a --foreign-lib exporting predict_foreign_mylib_ranked
// CHECK-NEXT:   loops: 0
func.func @mixed(%x: tensor<?x10xf32>, %k: tensor<1x4xf32>) -> tensor<*xf32> {
  %a = predict.exp %x : tensor<?x10xf32> loc("model.py":2:9)
  %b = predict.neg %a : tensor<?x10xf32> loc("model.py":3:9)
  %c = predict.foreign_call "scipy.signal.convolve"(%b, %k) kwargs {mode = "same"} : (tensor<?x10xf32>, tensor<1x4xf32>) -> tensor<*xf32> loc("model.py":4:9)
  %d = predict.abs %c : tensor<*xf32> loc("model.py":5:9)
  %e = predict.foreign_call "mylib.smooth"(%d) : (tensor<*xf32>) -> tensor<*xf32> loc("model.py":6:9)
  %f = predict.foreign_call "mylib.ranked"(%x) : (tensor<?x10xf32>) -> tensor<?x10xf32> loc("model.py":7:9)
  return %e : tensor<*xf32> loc("model.py":8:5)
} loc("model.py":1:1)

// CHECK-LABEL: explain function @loops (model.py:10:1)
// CHECK:   loops: 2
// CHECK-NEXT:     model.py:13:5: batched (each iteration computes row i from row i alone)
// CHECK-NEXT:     model.py:20:5: kept as a loop (scf.for): not batched because iteration i reads 'total', carried from iteration i-1
func.func @loops(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<1x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %y = predict.exp %row : tensor<1x4xf32>
    %next = predict.list.append %acc, %y : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  } loc("model.py":13:5)
  %y = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  %zero = predict.fill 0.0 : tensor<1x4xf32> loc("total"("model.py":19:5))
  %t = predict.for %i = %c0 to %n step %c1 iter_args(%total = %zero) -> (tensor<1x4xf32>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<1x4xf32>
    %s = predict.add %total, %row : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    predict.yield %s : tensor<1x4xf32>
  } loc("model.py":20:5)
  return %y, %t : tensor<?x4xf32>, tensor<1x4xf32>
} loc("model.py":10:1)

// Issue 17: layers Keras applies only in training are reported, with the
// Keras layer's name and file when the location is one.
// CHECK-LABEL: explain function @identities
// CHECK:   identity at inference: 2
// CHECK-NEXT:     layer 'noise' of 'm.h5': GaussianNoise computes nothing at inference (Keras changes its input only in training)
// CHECK-NEXT:     model.py:31:9: SpatialDropout1D computes nothing at inference (Keras changes its input only in training)
func.func @identities(%x: tensor<?x4x3xf32>) -> tensor<?x4x3xf32> {
  %a = predict.inference_identity %x layer_class "GaussianNoise" : tensor<?x4x3xf32> loc("noise"("m.h5"))
  %b = predict.inference_identity %a layer_class "SpatialDropout1D" : tensor<?x4x3xf32> loc("model.py":31:9)
  return %b : tensor<?x4x3xf32>
} loc("model.py":30:1)
