// Every entry of the foreign-function registry, rewritten with
// --foreign=rewrite, executed, and compared with numpy/scipy calling the
// same function (Inputs/foreign_check.py).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/reference.py make-input %t/x.npy 5x4 --seed 1
// RUN: %python %S/Inputs/reference.py make-input %t/a.npy 5x3 --seed 2
// RUN: %python %S/Inputs/reference.py make-input %t/b.npy 3x6 --seed 3
// RUN: %python %S/Inputs/reference.py make-input %t/img.npy 4x7 --seed 4
// RUN: %python %S/Inputs/reference.py make-input %t/k.npy 2x3 --seed 5
// RUN: %python %S/Inputs/reference.py make-input %t/v.npy 9 --seed 6
// RUN: %python %S/Inputs/reference.py make-input %t/kv.npy 4 --seed 7
// RUN: %python %S/Inputs/reference.py make-input %t/vol.npy 4x5x3 --seed 8
// RUN: %python %S/Inputs/reference.py make-input %t/kvol.npy 2x2x2 --seed 9
// RUN: predict-run %s --foreign=rewrite --function=elementwise --input=@%t/x.npy --output=@%t/tanh.out.npy --output=@%t/exp.out.npy --output=@%t/log.out.npy --output=@%t/sqrt.out.npy --output=@%t/abs.out.npy --output=@%t/absolute.out.npy --output=@%t/negative.out.npy --output=@%t/maximum.out.npy --output=@%t/minimum.out.npy --output=@%t/clip.out.npy --output=@%t/clip_kw.out.npy --output=@%t/clip_tensor.out.npy --output=@%t/where.out.npy --output=@%t/expit.out.npy --output=@%t/softmax.out.npy --output=@%t/softmax0.out.npy
// RUN: predict-run %s --foreign=rewrite --function=linear --input=@%t/x.npy --input=@%t/a.npy --input=@%t/b.npy --output=@%t/matmul.out.npy --output=@%t/dot.out.npy --output=@%t/concatenate.out.npy --output=@%t/stack.out.npy --output=@%t/stack_last.out.npy
// RUN: predict-run %s --foreign=rewrite --function=signals --input=@%t/img.npy --input=@%t/k.npy --output=@%t/convolve_full.out.npy --output=@%t/convolve_same.out.npy --output=@%t/convolve_valid.out.npy --output=@%t/correlate_full.out.npy --output=@%t/correlate_same.out.npy --output=@%t/correlate_valid.out.npy
// RUN: predict-run %s --foreign=rewrite --function=signals_nd --input=@%t/v.npy --input=@%t/kv.npy --input=@%t/vol.npy --input=@%t/kvol.npy --output=@%t/convolve1d_full.out.npy --output=@%t/convolve1d_same.out.npy --output=@%t/convolve1d_valid.out.npy --output=@%t/convolve3d_full.out.npy --output=@%t/convolve3d_same.out.npy --output=@%t/convolve3d_valid.out.npy
// RUN: %python %S/Inputs/foreign_check.py %t tanh exp log sqrt abs absolute negative maximum minimum clip clip_kw clip_tensor where expit softmax softmax0 matmul dot concatenate stack stack_last convolve_full convolve_same convolve_valid correlate_full correlate_same correlate_valid convolve1d_full convolve1d_same convolve1d_valid convolve3d_full convolve3d_same convolve3d_valid | FileCheck %s
// CHECK: all 33 match

func.func @elementwise(%x: tensor<5x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %half = predict.constant dense<0.5> : tensor<f32>
  %quarter = predict.constant dense<0.25> : tensor<f32>
  %mhalf = predict.constant dense<-0.5> : tensor<f32>
  %one = predict.constant dense<1.0> : tensor<f32>
  %tenth = predict.constant dense<0.1> : tensor<f32>
  %zero = predict.constant dense<0.0> : tensor<f32>
  %lo = predict.constant dense<-0.25> : tensor<4xf32>
  %ax = predict.abs %x : tensor<5x4xf32>
  %ax1 = predict.add %ax, %one : (tensor<5x4xf32>, tensor<f32>) -> tensor<5x4xf32>
  %pos = predict.compare gt %x, %zero : (tensor<5x4xf32>, tensor<f32>) -> tensor<5x4xi1>
  %tx = predict.mul %x, %tenth : (tensor<5x4xf32>, tensor<f32>) -> tensor<5x4xf32>
  %tanh = predict.foreign_call "numpy.tanh"(%x) : (tensor<5x4xf32>) -> tensor<*xf32>
  %exp = predict.foreign_call "numpy.exp"(%x) : (tensor<5x4xf32>) -> tensor<*xf32>
  %log = predict.foreign_call "numpy.log"(%ax1) : (tensor<5x4xf32>) -> tensor<*xf32>
  %sqrt = predict.foreign_call "numpy.sqrt"(%ax) : (tensor<5x4xf32>) -> tensor<*xf32>
  %abs = predict.foreign_call "numpy.abs"(%x) : (tensor<5x4xf32>) -> tensor<*xf32>
  %absolute = predict.foreign_call "numpy.absolute"(%x) : (tensor<5x4xf32>) -> tensor<*xf32>
  %negative = predict.foreign_call "numpy.negative"(%x) : (tensor<5x4xf32>) -> tensor<*xf32>
  %maximum = predict.foreign_call "numpy.maximum"(%x, %half) : (tensor<5x4xf32>, tensor<f32>) -> tensor<*xf32>
  %minimum = predict.foreign_call "numpy.minimum"(%x, %quarter) : (tensor<5x4xf32>, tensor<f32>) -> tensor<*xf32>
  %clip = predict.foreign_call "numpy.clip"(%x, %mhalf, %one) : (tensor<5x4xf32>, tensor<f32>, tensor<f32>) -> tensor<*xf32>
  %clip_kw = predict.foreign_call "numpy.clip"(%x) kwargs {a_max = 7.500000e-01 : f64} : (tensor<5x4xf32>) -> tensor<*xf32>
  %clip_tensor = predict.foreign_call "numpy.clip"(%x, %lo) : (tensor<5x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  %where = predict.foreign_call "numpy.where"(%pos, %x, %tx) : (tensor<5x4xi1>, tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<*xf32>
  %expit = predict.foreign_call "scipy.special.expit"(%x) : (tensor<5x4xf32>) -> tensor<*xf32>
  %softmax = predict.foreign_call "scipy.special.softmax"(%x) kwargs {axis = 1 : i64} : (tensor<5x4xf32>) -> tensor<*xf32>
  %softmax0 = predict.foreign_call "scipy.special.softmax"(%x) kwargs {axis = 0 : i64} : (tensor<5x4xf32>) -> tensor<*xf32>
  return %tanh, %exp, %log, %sqrt, %abs, %absolute, %negative, %maximum, %minimum, %clip, %clip_kw, %clip_tensor, %where, %expit, %softmax, %softmax0 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

func.func @linear(%x: tensor<5x4xf32>, %a: tensor<5x3xf32>, %b: tensor<3x6xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %matmul = predict.foreign_call "numpy.matmul"(%a, %b) : (tensor<5x3xf32>, tensor<3x6xf32>) -> tensor<*xf32>
  %dot = predict.foreign_call "numpy.dot"(%a, %b) : (tensor<5x3xf32>, tensor<3x6xf32>) -> tensor<*xf32>
  %two = predict.constant dense<2.0> : tensor<f32>
  %x2 = predict.mul %x, %two : (tensor<5x4xf32>, tensor<f32>) -> tensor<5x4xf32>
  %l0 = predict.list.empty : !predict.list<tensor<5x4xf32>>
  %l1 = predict.list.append %l0, %x : !predict.list<tensor<5x4xf32>>, tensor<5x4xf32>
  %l2 = predict.list.append %l1, %x2 : !predict.list<tensor<5x4xf32>>, tensor<5x4xf32>
  %concatenate = predict.foreign_call "numpy.concatenate"(%l2) kwargs {axis = 1 : i64} : (!predict.list<tensor<5x4xf32>>) -> tensor<*xf32>
  %stack = predict.foreign_call "numpy.stack"(%l2) : (!predict.list<tensor<5x4xf32>>) -> tensor<*xf32>
  %stack_last = predict.foreign_call "numpy.stack"(%l2) kwargs {axis = -1 : i64} : (!predict.list<tensor<5x4xf32>>) -> tensor<*xf32>
  return %matmul, %dot, %concatenate, %stack, %stack_last : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

func.func @signals(%img: tensor<4x7xf32>, %k: tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %convolve_full = predict.foreign_call "scipy.signal.convolve"(%img, %k) kwargs {mode = "full"} : (tensor<4x7xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  %convolve_same = predict.foreign_call "scipy.signal.convolve"(%img, %k) kwargs {mode = "same"} : (tensor<4x7xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  %convolve_valid = predict.foreign_call "scipy.signal.convolve"(%img, %k) kwargs {mode = "valid"} : (tensor<4x7xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  %correlate_full = predict.foreign_call "scipy.signal.correlate"(%img, %k) kwargs {mode = "full"} : (tensor<4x7xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  %correlate_same = predict.foreign_call "scipy.signal.correlate"(%img, %k) kwargs {mode = "same"} : (tensor<4x7xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  %correlate_valid = predict.foreign_call "scipy.signal.correlate"(%img, %k) kwargs {mode = "valid"} : (tensor<4x7xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  return %convolve_full, %convolve_same, %convolve_valid, %correlate_full, %correlate_same, %correlate_valid : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

func.func @signals_nd(%v: tensor<9xf32>, %kv: tensor<4xf32>, %vol: tensor<4x5x3xf32>, %kvol: tensor<2x2x2xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %convolve1d_full = predict.foreign_call "scipy.signal.convolve"(%v, %kv) kwargs {mode = "full"} : (tensor<9xf32>, tensor<4xf32>) -> tensor<*xf32>
  %convolve1d_same = predict.foreign_call "scipy.signal.convolve"(%v, %kv) kwargs {mode = "same"} : (tensor<9xf32>, tensor<4xf32>) -> tensor<*xf32>
  %convolve1d_valid = predict.foreign_call "scipy.signal.convolve"(%v, %kv) kwargs {mode = "valid"} : (tensor<9xf32>, tensor<4xf32>) -> tensor<*xf32>
  %convolve3d_full = predict.foreign_call "scipy.signal.convolve"(%vol, %kvol) kwargs {mode = "full"} : (tensor<4x5x3xf32>, tensor<2x2x2xf32>) -> tensor<*xf32>
  %convolve3d_same = predict.foreign_call "scipy.signal.convolve"(%vol, %kvol) kwargs {mode = "same"} : (tensor<4x5x3xf32>, tensor<2x2x2xf32>) -> tensor<*xf32>
  %convolve3d_valid = predict.foreign_call "scipy.signal.convolve"(%vol, %kvol) kwargs {mode = "valid"} : (tensor<4x5x3xf32>, tensor<2x2x2xf32>) -> tensor<*xf32>
  return %convolve1d_full, %convolve1d_same, %convolve1d_valid, %convolve3d_full, %convolve3d_same, %convolve3d_valid : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}
