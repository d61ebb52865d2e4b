// Zero-size dimensions give numpy's results: a contraction over 0 features
// (Dense on 0 features is its bias; a matmul with K = 0 is zeros, as
// np.zeros((2, 0)) @ np.ones((0, 3)) is), static or known only at run time
// (an empty slice x[:, a:b]), and batches of 0 rows, vectorized or not.
// RUN: rm -rf %t && mkdir -p %t
// RUN: for flags in "" "--no-vectorize" "--threads=2"; do \
// RUN:   predict-run %s --function=dense_k0 --input=2x0xf32= $flags && \
// RUN:   predict-run %s --function=matmul_k0 --input=2x0xf32= $flags && \
// RUN:   predict-run %s --function=empty_slice_dense --input=3x4xf32=1 $flags && \
// RUN:   predict-run %s --function=dynamic_empty_slice --input=3x4xf32=1 --input=3xi64=2 --input=3xi64=2 $flags && \
// RUN:   predict-run %s --function=dense_softmax --input=0x4xf32= $flags && \
// RUN:   predict-run %s --function=empty_batch_dense --input=0x0xf32= $flags || exit 1; \
// RUN: done | FileCheck %s
// The same six results with each of the three flags.
// CHECK: result[0]: 2x3xf32={{\[\[0.5 0.5 0.5\]\[0.5 0.5 0.5\]\]}}
// CHECK-NEXT: result[0]: 2x3xf32={{\[\[0 0 0\]\[0 0 0\]\]}}
// CHECK-NEXT: result[0]: 3x3xf32={{\[\[0.25 0.25 0.25\]\[0.25 0.25 0.25\]\[0.25 0.25 0.25\]\]}}
// CHECK-NEXT: result[0]: 3x3xf32={{\[\[0 0 0\]\[0 0 0\]\[0 0 0\]\]}}
// CHECK-NEXT: result[0]: 0x3xf32={{\[\[\]\]}}
// CHECK-NEXT: result[0]: 0x3xf32={{\[\[\]\]}}
// CHECK: result[0]: 2x3xf32={{\[\[0.5 0.5 0.5\]\[0.5 0.5 0.5\]\]}}
// CHECK-NEXT: result[0]: 2x3xf32={{\[\[0 0 0\]\[0 0 0\]\]}}
// CHECK-NEXT: result[0]: 3x3xf32={{\[\[0.25 0.25 0.25\]\[0.25 0.25 0.25\]\[0.25 0.25 0.25\]\]}}
// CHECK-NEXT: result[0]: 3x3xf32={{\[\[0 0 0\]\[0 0 0\]\[0 0 0\]\]}}
// CHECK-NEXT: result[0]: 0x3xf32={{\[\[\]\]}}
// CHECK-NEXT: result[0]: 0x3xf32={{\[\[\]\]}}
// CHECK: result[0]: 2x3xf32={{\[\[0.5 0.5 0.5\]\[0.5 0.5 0.5\]\]}}
// CHECK-NEXT: result[0]: 2x3xf32={{\[\[0 0 0\]\[0 0 0\]\]}}
// CHECK-NEXT: result[0]: 3x3xf32={{\[\[0.25 0.25 0.25\]\[0.25 0.25 0.25\]\[0.25 0.25 0.25\]\]}}
// CHECK-NEXT: result[0]: 3x3xf32={{\[\[0 0 0\]\[0 0 0\]\[0 0 0\]\]}}
// CHECK-NEXT: result[0]: 0x3xf32={{\[\[\]\]}}
// CHECK-NEXT: result[0]: 0x3xf32={{\[\[\]\]}}

// A 0-row batch through the seed models and the loops, batched or kept.
// RUN: for flags in "" "--no-vectorize" "--no-batch-loops"; do \
// RUN:   predict-run %predict_src_root/examples/seed/simple_model.mlir --input=0x100xf32= $flags && \
// RUN:   predict-run %predict_src_root/examples/seed/custom_model.mlir --input=0x100xf32= $flags && \
// RUN:   predict-run %S/loops.mlir --function=reverse --input=0x4xf32= $flags || exit 1; \
// RUN: done | FileCheck %s --check-prefix=EMPTY
// EMPTY: result[0]: 0x10xf32={{\[\[\]\]}}
// EMPTY-NEXT: result[0]: 0x10xf32={{\[\[\]\]}}
// EMPTY-NEXT: result[0]: 0x4xf32={{\[\[\]\]}}
// EMPTY: result[0]: 0x10xf32={{\[\[\]\]}}
// EMPTY-NEXT: result[0]: 0x10xf32={{\[\[\]\]}}
// EMPTY-NEXT: result[0]: 0x4xf32={{\[\[\]\]}}
// EMPTY: result[0]: 0x10xf32={{\[\[\]\]}}
// EMPTY-NEXT: result[0]: 0x10xf32={{\[\[\]\]}}
// EMPTY-NEXT: result[0]: 0x4xf32={{\[\[\]\]}}

func.func @dense_k0(%x: tensor<?x0xf32>) -> tensor<?x3xf32> {
  %k = arith.constant dense<1.0> : tensor<0x3xf32>
  %b = arith.constant dense<0.5> : tensor<3xf32>
  %0 = predict.dense %x, %k, %b : (tensor<?x0xf32>, tensor<0x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

func.func @matmul_k0(%x: tensor<?x0xf32>) -> tensor<?x3xf32> {
  %k = arith.constant dense<1.0> : tensor<0x3xf32>
  %0 = predict.matmul %x, %k : (tensor<?x0xf32>, tensor<0x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// x[:, 3:1] is empty in Python; the kernel is a resource with no elements
// (LLVM's translation of such a global crashed).
func.func @empty_slice_dense(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %c3 = arith.constant 3 : index
  %c1 = arith.constant 1 : index
  %s = predict.slice %x[%c3 : %c1] axis 1 : tensor<?x4xf32> -> tensor<?x0xf32>
  %k = predict.constant dense_resource<empty> : tensor<0x3xf32>
  %b = predict.constant dense<0.25> : tensor<3xf32>
  %0 = predict.dense %s, %k, %b : (tensor<?x0xf32>, tensor<0x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// K known only at run time, 0 then: x[:, a:b] @ ones.
func.func @dynamic_empty_slice(%x: tensor<?x4xf32>, %a: tensor<3xi64>, %b: tensor<3xi64>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a0 = tensor.extract %a[%c0] : tensor<3xi64>
  %b0 = tensor.extract %b[%c1] : tensor<3xi64>
  %ai = arith.index_cast %a0 : i64 to index
  %bi = arith.index_cast %b0 : i64 to index
  %s = predict.slice %x[%ai : %bi] axis 1 : tensor<?x4xf32> -> tensor<?x?xf32>
  %k = predict.fill 1.0 : tensor<4x3xf32>
  %ks = predict.slice %k[%ai : %bi] axis 0 : tensor<4x3xf32> -> tensor<?x3xf32>
  %0 = predict.matmul %s, %ks : (tensor<?x?xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

func.func @dense_softmax(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %k = predict.constant dense<0.5> : tensor<4x3xf32>
  %b = predict.constant dense<0.5> : tensor<3xf32>
  %0 = predict.dense %x, %k, %b activation softmax : (tensor<?x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

func.func @empty_batch_dense(%x: tensor<?x0xf32>) -> tensor<?x3xf32> {
  %k = arith.constant dense<1.0> : tensor<0x3xf32>
  %b = arith.constant dense<0.5> : tensor<3xf32>
  %0 = predict.dense %x, %k, %b activation tanh : (tensor<?x0xf32>, tensor<0x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      empty: "0x04000000"
    }
  }
#-}
