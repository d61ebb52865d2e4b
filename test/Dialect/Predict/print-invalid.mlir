// RUN: predict-opt %s -split-input-file -verify-diagnostics

func.func @holes(%x: tensor<4xf32>) {
  // expected-error @+1 {{'predict.print' op format has 2 '{}' but the op has 1 value(s)}}
  predict.print "{} {}" to "stderr"(%x : tensor<4xf32>) summarize 3
  return
}

// -----

func.func @lone_brace(%x: tensor<4xf32>) {
  // expected-error @+1 {{'predict.print' op has a lone '{' in its format at offset 3 (write '{}' for a value, '{{' or '}}' for a brace)}}
  predict.print "{} {x" to "stderr"(%x : tensor<4xf32>) summarize 3
  return
}

// -----

func.func @stream(%x: tensor<4xf32>) {
  // expected-error @+1 {{'predict.print' op writes to 'file://': expected stdout, stderr or file://<path>}}
  predict.print "{}" to "file://"(%x : tensor<4xf32>) summarize 3
  return
}

// -----

func.func @element(%x: tensor<4xf16>) {
  // expected-error @+1 {{'predict.print' op cannot print a tensor of 'f16' (f32, f64, i1, i32 and i64 are printed)}}
  predict.print "{}" to "stdout"(%x : tensor<4xf16>) summarize 3
  return
}
