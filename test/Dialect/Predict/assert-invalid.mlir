// predict.assert's verifier: every {N} of the message has a value (the
// runtime formats them, docs/Runtime.md).
// RUN: predict-opt %s -split-input-file -verify-diagnostics

func.func @missing_value(%c: i1, %a: index) {
  // expected-error @below {{message refers to value {1} but the op has 1 value(s)}}
  predict.assert %c, "have {0} and {1}" (%a : index)
  return
}

// -----

func.func @malformed(%c: i1) {
  // expected-error @below {{has a malformed placeholder in its message at offset 5 (write '{N}' for value N, '{{' for a brace)}}
  predict.assert %c, "size {n}"
  return
}

// -----

func.func @unclosed(%c: i1, %a: index) {
  // expected-error @below {{has a malformed placeholder}}
  predict.assert %c, "size {0" (%a : index)
  return
}

// -----

func.func @not_i1(%w: i32) {
  // expected-error @below {{operand #0 must be 1-bit signless integer}}
  "predict.assert"(%w) <{message = "no"}> : (i32) -> ()
  return
}
