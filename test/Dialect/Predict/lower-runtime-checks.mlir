// predict-lower-runtime-checks: each predict.assert and cf.assert becomes a
// branch, taken when the condition is false, to a call of the runtime's
// predict_runtime_check_failed with the message prefixed by the op's
// location in the user's terms, and its values as i64.
// RUN: predict-opt %s -predict-lower-runtime-checks | FileCheck %s

// The runtime function is declared once, noreturn and cold; one global per
// distinct message, NUL-terminated ("never" checks are gone).
// CHECK-NOT: never
// CHECK-DAG: llvm.func @predict_runtime_check_failed(!llvm.ptr, !llvm.ptr, i64) attributes {passthrough = ["noreturn", "cold", "nounwind"]}
// CHECK-DAG: llvm.mlir.global internal constant @[[$ROWS:predict_check_message_[0-9]+]]("model.py:14:16: error: at run time: operands of '-' have {0} and {1} rows (numpy broadcasts only a size of 1)\00")
// CHECK-DAG: llvm.mlir.global internal constant @[[$STEP:predict_check_message_[0-9]+]]("loop.py:8:9: error: at run time: range() step is 0 ({{[{][{]}}not {{[{][{]}}0})\00")
// CHECK-DAG: llvm.mlir.global internal constant @[[$LAYER:predict_check_message_[0-9]+]]("model.h5: layer 'dense_1': error: at run time: Dense input has {0} features\00")
// CHECK-DAG: llvm.mlir.global internal constant @[[$ADD:predict_check_message_[0-9]+]]("two.keras: layer 'add': error: at run time: rows differ\00")
// CHECK-DAG: llvm.mlir.global internal constant @[[$CALLER:predict_check_message_[0-9]+]]("helper.py:3:5: error: at run time: inlined\00")
// CHECK-DAG: llvm.mlir.global internal constant @[[$FUSED:predict_check_message_[0-9]+]]("fused.py:7:2: error: at run time: fused\00")
// CHECK-DAG: llvm.mlir.global internal constant @[[$NOLOC:predict_check_message_[0-9]+]]("error: at run time: nowhere\00")

// CHECK-LABEL: func.func @sizes
// CHECK-SAME: (%[[A:.*]]: index, %[[B:.*]]: index)
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[A]], %[[B]]
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: %[[FAILED:.*]] = arith.xori %[[OK]], %[[TRUE]]
// CHECK: scf.if %[[FAILED]] {
// CHECK: %[[MSG:.*]] = llvm.mlir.addressof @[[$ROWS]] : !llvm.ptr
// CHECK: %[[N:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK: %[[BUF:.*]] = llvm.alloca %[[N]] x i64 : (i64) -> !llvm.ptr
// CHECK: %[[A64:.*]] = arith.index_cast %[[A]] : index to i64
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[BUF]][0] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: llvm.store %[[A64]], %[[P0]] : i64, !llvm.ptr
// CHECK: %[[B64:.*]] = arith.index_cast %[[B]] : index to i64
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[BUF]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: llvm.store %[[B64]], %[[P1]] : i64, !llvm.ptr
// CHECK: llvm.call @predict_runtime_check_failed(%[[MSG]], %[[BUF]], %[[N]]) : (!llvm.ptr, !llvm.ptr, i64) -> ()
// CHECK: }
// CHECK-NOT: predict.assert
// CHECK: return
func.func @sizes(%a: index, %b: index) {
  %ok = arith.cmpi eq, %a, %b : index
  predict.assert %ok, "operands of '-' have {0} and {1} rows (numpy broadcasts only a size of 1)" (%a, %b : index, index) loc("model.py":14:16)
  return
}

// cf.assert (a range() step known only at run time): no values, a null
// buffer; braces in its message print as written.
// CHECK-LABEL: func.func @step
// CHECK: scf.if
// CHECK: %[[MSG:.*]] = llvm.mlir.addressof @[[$STEP]]
// CHECK: %[[N:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK: llvm.call @predict_runtime_check_failed(%[[MSG]], %[[NULL]], %[[N]])
// CHECK-NOT: cf.assert
func.func @step(%step: index) {
  %c0 = arith.constant 0 : index
  %nz = arith.cmpi ne, %step, %c0 : index
  cf.assert %nz, "range() step is 0 ({not {0})" loc("loop.py":8:9)
  return
}

// A check that cannot fail is not emitted; the same message is one global.
// Narrow integers are sign-extended (i1 zero-extended) to i64.
// CHECK-LABEL: func.func @locations
// CHECK-NOT: never
// CHECK: scf.if
// CHECK: llvm.mlir.addressof @[[$LAYER]]
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: scf.if
// CHECK: llvm.mlir.addressof @[[$LAYER]]
// CHECK: arith.extui %{{.*}} : i1 to i64
// CHECK: scf.if
// CHECK: llvm.mlir.addressof @[[$CALLER]]
// CHECK: scf.if
// CHECK: llvm.mlir.addressof @[[$FUSED]]
// CHECK: scf.if
// CHECK: llvm.mlir.addressof @[[$NOLOC]]
// CHECK: return
func.func @locations(%c: i1, %w: i32) {
  %true = arith.constant true
  predict.assert %true, "never" loc("never.py":1:1)
  cf.assert %true, "never either"
  // A Keras layer: NameLoc(layer, FileLineColLoc(file, position, 1)).
  predict.assert %c, "Dense input has {0} features" (%w : i32) loc("dense_1"("model.h5":2:1))
  predict.assert %c, "Dense input has {0} features" (%c : i1) loc("dense_1"("model.h5":2:1))
  // As predict-import writes it: NameLoc(layer, NameLoc(file)).
  predict.assert %c, "rows differ" loc("add"("two.keras"))
  // Inlined from a helper: the callee's line, where the op is.
  predict.assert %c, "inlined" loc(callsite("helper.py":3:5 at "main.py":10:1))
  predict.assert %c, "fused" loc(fused["fused.py":7:2, "other.py":1:1])
  predict.assert %c, "nowhere" loc(unknown)
  return
}
