// Canonicalization of the predict dialect.
// RUN: predict-opt %s -split-input-file -canonicalize | FileCheck %s

// model.predict(x) on a model that does not override predict is model(x).
predict.model @plain {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
}
// CHECK-LABEL: func.func @predict_without_override
// CHECK-NEXT: %[[Y:.*]] = predict.model_call @plain(%{{.*}}) : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK-NEXT: return %[[Y]]
func.func @predict_without_override(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.model_predict @plain(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// An overridden predict is kept: it is different code.
predict.model @custom {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
  predict.method @predict(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.neg %x : tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}
// CHECK-LABEL: func.func @predict_with_override
// CHECK-NEXT: predict.model_predict @custom
func.func @predict_with_override(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.model_predict @custom(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// An overridden predict_step is kept too: Keras's predict runs it on each
// batch, in place of its own model(x).
predict.model @stepped {
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    predict.return %x : tensor<?x4xf32>
  }
  predict.method @predict_step(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.neg %x : tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}
// CHECK-LABEL: func.func @predict_step_override
// CHECK-NEXT: predict.model_predict @stepped
func.func @predict_step_override(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = predict.model_predict @stepped(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A nested model resolved from inside its parent's method.
// CHECK-LABEL: predict.model @outer
// CHECK: predict.model @inner
// CHECK: predict.method @call
predict.model @outer {
  predict.model @inner {
    predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
      predict.return %x : tensor<?x4xf32>
    }
  }
  // CHECK: predict.method @call
  // CHECK-NEXT: predict.model_call @inner(
  predict.method @call(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %y = predict.model_predict @inner(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
    predict.return %y : tensor<?x4xf32>
  }
}

// -----

// Dead pure ops go; foreign calls stay, whatever they return.
// CHECK-LABEL: func.func @dead_code
// CHECK-NEXT: predict.foreign_call "builtins.print"
// CHECK-NEXT: return %arg0
func.func @dead_code(%x: tensor<?x4xf32>, %k: tensor<4x4xf32>) -> tensor<?x4xf32> {
  %d = predict.dense %x, %k activation relu : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
  %e = predict.exp %d : tensor<?x4xf32>
  %l = predict.list.empty : !predict.list<tensor<1x4xf32>>
  %l2 = predict.list.append %l, %e : !predict.list<tensor<1x4xf32>>, tensor<?x4xf32>
  predict.foreign_call "builtins.print"(%x) : (tensor<?x4xf32>) -> ()
  return %x : tensor<?x4xf32>
}

// -----

// Dropout and the linear activation are the identity at inference.
// CHECK-LABEL: func.func @identities
// CHECK-NEXT: return %arg0
func.func @identities(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %d = predict.dropout %x rate = 0.5 : tensor<?x4xf32>
  %l = predict.activation linear %d : tensor<?x4xf32>
  return %l : tensor<?x4xf32>
}

// -----

// Static dimensions fold to constants; dynamic ones stay.
// CHECK-LABEL: func.func @dims
// CHECK-DAG: %[[C100:.*]] = arith.constant 100 : index
// CHECK-DAG: %[[N:.*]] = predict.dim %arg0, 0 : tensor<?x100xf32>
// CHECK: return %[[N]], %[[C100]], %[[C100]]
func.func @dims(%x: tensor<?x100xf32>) -> (index, index, index) {
  %n = predict.dim %x, 0 : tensor<?x100xf32>
  %f = predict.dim %x, 1 : tensor<?x100xf32>
  %g = predict.dim %x, -1 : tensor<?x100xf32>
  return %n, %f, %g : index, index, index
}

// -----

// range(5, 5), range(3, 0), range(0, 3, -1): no iteration, the carried values
// come out unchanged.
// CHECK-LABEL: func.func @zero_trip
// CHECK-NOT: predict.for
// CHECK: return %arg0, %arg0, %arg0
func.func @zero_trip(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %cm1 = arith.constant -1 : index
  %a = predict.for %i = %c5 to %c5 step %c1 iter_args(%v = %x) -> (tensor<1x4xf32>) {
    %n = predict.neg %v : tensor<1x4xf32>
    predict.yield %n : tensor<1x4xf32>
  }
  %b = predict.for %i = %c3 to %c0 step %c1 iter_args(%v = %a) -> (tensor<1x4xf32>) {
    %n = predict.neg %v : tensor<1x4xf32>
    predict.yield %n : tensor<1x4xf32>
  }
  %c = predict.for %i = %c0 to %c3 step %cm1 iter_args(%v = %b) -> (tensor<1x4xf32>) {
    %n = predict.neg %v : tensor<1x4xf32>
    predict.yield %n : tensor<1x4xf32>
  }
  return %c, %c, %c : tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// Loops that run, or whose trip count is unknown, stay; so do loops with
// foreign calls even when their results are unused.
// CHECK-LABEL: func.func @nonzero_trip
// CHECK: predict.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: predict.for %{{.*}} = %{{.*}} to %arg1 step
// CHECK: predict.for
// CHECK-NEXT: predict.foreign_call
func.func @nonzero_trip(%x: tensor<1x4xf32>, %n: index) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %cm1 = arith.constant -1 : index
  %a = predict.for %i = %c3 to %c0 step %cm1 iter_args(%v = %x) -> (tensor<1x4xf32>) {
    %m = predict.neg %v : tensor<1x4xf32>
    predict.yield %m : tensor<1x4xf32>
  }
  %b = predict.for %i = %c0 to %n step %c3 iter_args(%v = %a) -> (tensor<1x4xf32>) {
    %m = predict.neg %v : tensor<1x4xf32>
    predict.yield %m : tensor<1x4xf32>
  }
  predict.for %i = %c0 to %c3 step %c3 {
    predict.foreign_call "builtins.print"(%x) : (tensor<1x4xf32>) -> ()
  }
  return %a, %b : tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// A list the loop carries and nothing reads after it (its join folded
// away: `m.predict(x)[1]` of a model of two outputs) goes with its appends.
// CHECK-LABEL: func.func @unread_list
// CHECK: %[[L:.*]] = predict.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A:.*]] = %{{.*}}) -> (!predict.list<tensor<?x4xf32>>)
// CHECK: %[[N:.*]] = predict.neg
// CHECK-NOT: predict.exp
// CHECK: %[[NEXT:.*]] = predict.list.append %[[A]], %[[N]]
// CHECK-NEXT: predict.yield %[[NEXT]] : !predict.list<tensor<?x4xf32>>
// CHECK: predict.list.concat %[[L]]
func.func @unread_list(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %n = predict.dim %x, 0 : tensor<?x4xf32>
  %e0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %e1 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %r:2 = predict.for %i = %c0 to %n step %c2 iter_args(%a = %e0, %b = %e1) -> (!predict.list<tensor<?x4xf32>>, !predict.list<tensor<?x4xf32>>) {
    %j = arith.addi %i, %c2 : index
    %rows = predict.slice %x[%i : %j] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %neg = predict.neg %rows : tensor<?x4xf32>
    %exp = predict.exp %rows : tensor<?x4xf32>
    %a2 = predict.list.append %a, %neg : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    %b2 = predict.list.append %b, %exp : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %a2, %b2 : !predict.list<tensor<?x4xf32>>, !predict.list<tensor<?x4xf32>>
  }
  %y = predict.list.concat %r#0 axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
