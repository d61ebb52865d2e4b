// Lists predict-lower-loops does not support: an error at the construct,
// saying what is supported.
// RUN: predict-opt %s -split-input-file -predict-lower-loops -verify-diagnostics

func.func @not_empty(%x: tensor<1x4xf32>, %n: index) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  %l1 = predict.list.append %l0, %x : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
  // expected-error @+1 {{the list carried by this loop must start empty (`results = []` before the loop)}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l1) -> (!predict.list<tensor<1x4xf32>>) {
    %next = predict.list.append %acc, %x : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

func.func @read_in_branch(%x: tensor<1x4xf32>, %n: index, %c: i1) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %b = scf.if %c -> (!predict.list<tensor<1x4xf32>>) {
      // expected-error @+1 {{the list is read inside the loop that builds it; predict supports lists that are only appended to}}
      %r = predict.list.concat %acc axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
      %a = predict.list.append %acc, %x : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
      scf.yield %a : !predict.list<tensor<1x4xf32>>
    } else {
      scf.yield %acc : !predict.list<tensor<1x4xf32>>
    }
    predict.yield %b : !predict.list<tensor<1x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

func.func @another_list(%x: tensor<1x4xf32>, %n: index) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %fresh = predict.list.empty : !predict.list<tensor<1x4xf32>>
    %a = predict.list.append %fresh, %x : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    // expected-error @+1 {{the loop gives the next iteration another list than the one it carries}}
    predict.yield %a : !predict.list<tensor<1x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

func.func @varying_rows_stacked(%x: tensor<?x4xf32>, %n: index) -> tensor<?x?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %rows = predict.slice %x[%c0 : %i] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    // expected-error @+1 {{appends a value of type 'tensor<?x4xf32>' whose size along axis 0 is known only at run time and may differ from one iteration to the next; predict joins such elements only along the axis tf.concat joins on, and needs their other sizes (and all sizes, for tf.stack) to be the same in every iteration (derived from values defined before the loop)}}
    %next = predict.list.append %acc, %rows : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %r = predict.list.stack %l axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x?x4xf32>
  return %r : tensor<?x?x4xf32>
}

// -----

func.func @varying_columns(%x: tensor<?x4xf32>, %n: index) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<?x?xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<?x?xf32>>) {
    %cols = predict.slice %x[%c0 : %i] axis 1 : tensor<?x4xf32> -> tensor<?x?xf32>
    // expected-error @+1 {{appends a value of type 'tensor<?x?xf32>' whose size along axis 1 is known only at run time and may differ from one iteration to the next; predict joins such elements only along the axis tf.concat joins on}}
    %next = predict.list.append %acc, %cols : !predict.list<tensor<?x?xf32>>, tensor<?x?xf32>
    predict.yield %next : !predict.list<tensor<?x?xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<?x?xf32>> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

func.func @read_inside(%x: tensor<1x4xf32>, %n: index) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    // expected-error @+1 {{the list is read inside the loop that builds it; predict supports lists that are only appended to}}
    %sofar = predict.list.concat %acc axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
    %next = predict.list.append %acc, %x : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

func.func @two_joins(%x: tensor<1x4xf32>, %n: index) -> (tensor<?x4xf32>, tensor<?x1x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  // expected-note @+1 {{the loop that builds the list}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    %next = predict.list.append %acc, %x : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
    predict.yield %next : !predict.list<tensor<1x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  // expected-error @+1 {{is used here other than by one tf.concat/tf.stack after the loop}}
  %s = predict.list.stack %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x1x4xf32>
  return %r, %s : tensor<?x4xf32>, tensor<?x1x4xf32>
}

// -----

func.func @nested_append(%x: tensor<1x4xf32>, %n: index) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<1x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x4xf32>>) {
    // expected-error @+1 {{a list is appended to inside a nested loop; predict supports a list appended once per iteration of the loop that builds it}}
    %in = predict.for %j = %c0 to %n step %c1 iter_args(%a = %acc) -> (!predict.list<tensor<1x4xf32>>) {
      %next = predict.list.append %a, %x : !predict.list<tensor<1x4xf32>>, tensor<1x4xf32>
      predict.yield %next : !predict.list<tensor<1x4xf32>>
    }
    predict.yield %in : !predict.list<tensor<1x4xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<1x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

// Rows of varying count joined along the columns: the size that varies is
// not the join axis, but the result still has no one shape.
func.func @varying_rows_joined_by_columns(%x: tensor<?x4xf32>, %n: index) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %rows = predict.slice %x[%c0 : %i] axis 0 : tensor<?x4xf32> -> tensor<?x4xf32>
    %e = predict.exp %rows : tensor<?x4xf32>
    // expected-error @+1 {{appends a value of type 'tensor<?x4xf32>' whose size along axis 0 is known only at run time and may differ}}
    %next = predict.list.append %acc, %e : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  %r = predict.list.concat %l axis = 1 : !predict.list<tensor<?x4xf32>> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// `out = rows; for ...: out.append(...)`; `tf.concat(rows)`: the front end
// binds both names to one list value, read after a later version was made.
func.func @alias(%x: tensor<?x4xf32>, %n: index) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  // expected-note @+1 {{the other use of the list}}
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<?x4xf32>>) {
    %next = predict.list.append %acc, %x : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %next : !predict.list<tensor<?x4xf32>>
  }
  // expected-error @+1 {{reads a Python list that is also appended to elsewhere (the note shows where); predict's lists are values, so those appends are not seen here. This happens with an alias (`out = rows`) or a list passed to a method that appends to it}}
  %r = predict.list.concat %l0 axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

// A method that appends to the caller's list: the new list is dropped.
func.func @dropped_append(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  // expected-error @+1 {{the list this appends to is never read afterwards: predict's lists are values, and an append in a called method or through an alias (`out = rows`) does not change the list the caller reads}}
  %l1 = predict.list.append %l0, %x : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
  return %x : tensor<?x4xf32>
}

// -----

// What the front end leaves of an alias or a method's append once the
// dropped values are canonicalized away: a join of the empty list.
func.func @join_of_nothing(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  // expected-error @+1 {{joins a list that nothing is appended to, as predict sees the program: predict's lists are values, so an append through another name (an alias such as `out = rows`) or in a method the list was passed to is not seen here}}
  %r = predict.list.concat %l0 axis = 0 : !predict.list<tensor<?x4xf32>> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

// Broadcasting two sizes known only at run time (the matmul's columns, the
// bias's length) does not prove them equal: numpy would raise if they
// differed, and the element's width is not known before the loop.
func.func @broadcast_of_two_runtime_sizes(%x: tensor<?x10xf32>, %w: tensor<10x?xf32>, %b: tensor<?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = predict.dim %x, 0 : tensor<?x10xf32>
  %l0 = predict.list.empty : !predict.list<tensor<1x?xf32>>
  %l = predict.for %i = %c0 to %n step %c1 iter_args(%acc = %l0) -> (!predict.list<tensor<1x?xf32>>) {
    %j = arith.addi %i, %c1 : index
    %row = predict.slice %x[%i : %j] axis 0 : tensor<?x10xf32> -> tensor<1x10xf32>
    %m = predict.matmul %row, %w : (tensor<1x10xf32>, tensor<10x?xf32>) -> tensor<1x?xf32>
    %s = predict.add %m, %b : (tensor<1x?xf32>, tensor<?xf32>) -> tensor<1x?xf32>
    // expected-error @+1 {{appends a value of type 'tensor<1x?xf32>' whose size along axis 1 is known only at run time}}
    %next = predict.list.append %acc, %s : !predict.list<tensor<1x?xf32>>, tensor<1x?xf32>
    predict.yield %next : !predict.list<tensor<1x?xf32>>
  }
  %r = predict.list.concat %l axis = 0 : !predict.list<tensor<1x?xf32>> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// A carried state whose rows differ from the fill it starts as (a fill of
// %m rows, added to slices of %x's rows): not proven the same in every
// iteration, so stacking it is refused.
func.func @state_of_other_size(%x: tensor<?x?x4xf32>, %m: index) -> tensor<?x?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = predict.dim %x, 1 : tensor<?x?x4xf32>
  %h0 = predict.fill 0.0 [%m] : tensor<?x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<?x4xf32>>
  %r:2 = predict.for %i = %c0 to %t step %c1 iter_args(%h = %h0, %acc = %l0) -> (tensor<?x4xf32>, !predict.list<tensor<?x4xf32>>) {
    %rows = predict.dim %x, 0 : tensor<?x?x4xf32>
    %step = tensor.extract_slice %x[0, %i, 0] [%rows, 1, 4] [1, 1, 1] : tensor<?x?x4xf32> to tensor<?x4xf32>
    %s = predict.add %step, %h : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
    // expected-error @+1 {{appends a value of type 'tensor<?x4xf32>' whose size along axis 0 is known only at run time and may differ from one iteration to the next}}
    %l = predict.list.append %acc, %s : !predict.list<tensor<?x4xf32>>, tensor<?x4xf32>
    predict.yield %s, %l : tensor<?x4xf32>, !predict.list<tensor<?x4xf32>>
  }
  %y = predict.list.stack %r#1 axis = 1 : !predict.list<tensor<?x4xf32>> -> tensor<?x?x4xf32>
  return %y : tensor<?x?x4xf32>
}
