// predict.print parses and prints back; predict-lower-print makes it a call
// of predict_runtime_print with a block of [text, lengths, summarize,
// flags, count, then pointer, kind, rank, sizes per value], the text one
// constant global of the stream, the format and the location.
// RUN: predict-opt %s | predict-opt | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: predict-opt %s -predict-lower-print | FileCheck %s

// ROUNDTRIP-LABEL: func.func @printed
// ROUNDTRIP: predict.print "x: {} n={} {{.*}}\0A" to "stderr"(%arg0, %arg1 : tensor<?x4xf32>, tensor<i64>) summarize 3
// ROUNDTRIP: predict.print "{}\0A" to "stdout"(%arg2 : tensor<2xi1>) summarize 3 python
// ROUNDTRIP: predict.print "done\0A" to "file:///tmp/log.txt" summarize -1

// CHECK: memref.global "private" constant @predict_print_text_0 : memref<{{[0-9]+}}xi8> = dense<
// CHECK: func.func private @predict_runtime_print(memref<?xi64>)
// CHECK-LABEL: func.func @printed
// Header (7 words), then 3 + rank words per value: 7 + 5 + 3.
// CHECK: %[[BLOCK:.*]] = memref.alloca() : memref<15xi64>
// CHECK: memref.get_global @predict_print_text_0
// CHECK: bufferization.to_buffer %arg0 read_only : tensor<?x4xf32> to memref<?x4xf32>
// CHECK: tensor.dim %arg0
// CHECK: bufferization.to_buffer %arg1 read_only : tensor<i64> to memref<i64>
// CHECK: %[[DYNAMIC:.*]] = memref.cast %[[BLOCK]] : memref<15xi64> to memref<?xi64>
// CHECK: call @predict_runtime_print(%[[DYNAMIC]]) : (memref<?xi64>) -> ()
// CHECK: memref.alloca() : memref<11xi64>
// CHECK: call @predict_runtime_print
// CHECK: memref.alloca() : memref<7xi64>
// CHECK: call @predict_runtime_print
// CHECK-NOT: predict.print
func.func @printed(%x: tensor<?x4xf32>, %n: tensor<i64>, %b: tensor<2xi1>) {
  predict.print "x: {} n={} {{{{}}\0A" to "stderr"(%x, %n : tensor<?x4xf32>, tensor<i64>) summarize 3 loc("model.py":3:5)
  predict.print "{}\0A" to "stdout"(%b : tensor<2xi1>) summarize 3 python
  predict.print "done\0A" to "file:///tmp/log.txt" summarize -1
  return
}
