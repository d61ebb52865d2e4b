// predict-foreign-callbacks: a foreign call becomes a call of the runtime
// entry point with a block of [pointer, rank, sizes] per tensor.
// RUN: predict-opt %s -split-input-file -predict-foreign-callbacks -verify-diagnostics | FileCheck %s

// CHECK: module attributes {predict.foreign_callees = [{location = "model.py:3:8", name = "mylib.f", needs_shape = true, num_args = 1 : i64}]}
// CHECK: func.func private @predict_runtime_foreign(i64, memref<?xi64>)
// CHECK: func.func private @predict_runtime_foreign_shape(i64, memref<?xi64>)
// CHECK-LABEL: func.func @f
// CHECK: %[[BLOCK:.*]] = memref.alloca() : memref<8xi64>
// CHECK: bufferization.to_buffer %arg0 read_only
// CHECK: memref.extract_aligned_pointer_as_index
// CHECK: call @predict_runtime_foreign_shape(%{{.*}}, %{{.*}})
// CHECK: %[[RESULT:.*]] = memref.alloc(%{{.*}}) : memref<?x4xf32>
// CHECK: call @predict_runtime_foreign(%{{.*}}, %{{.*}})
// CHECK: bufferization.to_tensor %[[RESULT]] restrict writable
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.foreign_call "mylib.f"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32> loc("model.py":3:8)
  return %y : tensor<?x4xf32>
}

// -----

func.func @unranked(%x: tensor<?x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{host callback for 'mylib.f': a callback must return one float32 tensor of known rank; annotate the call's result type (e.g. tensor<?x10xf32>)}}
  %y = predict.foreign_call "mylib.f"(%x) : (tensor<?x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @f64(%x: tensor<4xf64>) -> tensor<4xf32> {
  // expected-error @+1 {{host callback for 'mylib.f': argument #0 has type 'tensor<4xf64>'; callbacks pass float32 tensors of known rank}}
  %y = predict.foreign_call "mylib.f"(%x) : (tensor<4xf64>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
