#!/usr/bin/python3
"""Writes Keras files holding convolution layers, and numpy references.

  make_conv.py DIR

Each case is a one-input model of one or two convolution layers, written in
Keras 2's legacy .h5 layout (weights by name: kernel, bias, depthwise_kernel,
pointwise_kernel) and, for most, in Keras 3's .keras archive (weights by
position in /layers/<class>_<n>/vars, as build() creates them: kernel
before bias). DIR/<case>.in.npy is an input of batch 3 and DIR/<case>.ref.npy
the output of the references below: direct loop nests over output and
kernel positions, written from Keras's definitions (output sizes from
keras.src.ops.operation_utils, TensorFlow's SAME split with the odd pad at
the end), never another library's convolution.
"""

import sys

import numpy as np

from conv_reference import activate, conv, depthwise, separable, transpose
from keras2_h5 import sequential, write_h5, write_keras3

d = sys.argv[1]
rng = np.random.default_rng(17)


def w(*shape):
    return (rng.standard_normal(shape) * 0.5).astype(np.float32)


def save(name, x, y):
    np.save(f"{d}/{name}.in.npy", x.astype(np.float32))
    np.save(f"{d}/{name}.ref.npy", y.astype(np.float32))


def case(name, cls, in_shape, cfg, weights, ref, k3=True, batch=3):
    """One layer `cls` (config `cfg`) on an input of `in_shape` (without the
    batch): .h5 with `weights` [(name, array)], .keras by position."""
    x = rng.standard_normal((batch,) + tuple(in_shape)).astype(np.float32)
    layer = dict(cfg, name="layer")
    k2cfg = dict(layer, batch_input_shape=[None] + list(in_shape))
    write_h5(f"{d}/{name}.h5", sequential([{"class_name": cls, "config": k2cfg}]),
             {"layer": [(f"layer/{n}:0", a) for n, a in weights]})
    if k3:
        cfg3 = sequential([
            {"class_name": "InputLayer",
             "config": {"name": "input_layer", "batch_shape": [None] + list(in_shape)}},
            {"class_name": cls, "config": layer}])
        snake = {"Conv1D": "conv1d", "Conv2D": "conv2d",
                 "DepthwiseConv2D": "depthwise_conv2d",
                 "DepthwiseConv1D": "depthwise_conv1d",
                 "SeparableConv1D": "separable_conv1d",
                 "SeparableConv2D": "separable_conv2d",
                 "Conv2DTranspose": "conv2d_transpose"}[cls]
        write_keras3(f"{d}/{name}.keras", cfg3, [(snake, [a for _, a in weights])])
    save(name, x, ref(x))


def tup(v, n):
    return list(v) if isinstance(v, (list, tuple)) else [v] * n


def conv_case(name, S, in_shape, filters, ks, strides=1, padding="valid", dil=1,
              groups=1, use_bias=True, act=None, cf=False, k3=True, cls=None):
    ksz, st, dl = tup(ks, S), tup(strides, S), tup(dil, S)
    C = in_shape[0] if cf else in_shape[-1]
    k = w(*ksz, C // groups, filters)
    b = w(filters) if use_bias else None
    cfg = {"filters": filters, "kernel_size": ks, "strides": strides, "padding": padding,
           "data_format": "channels_first" if cf else "channels_last",
           "dilation_rate": dil, "groups": groups, "activation": act or "linear",
           "use_bias": use_bias}
    weights = [("kernel", k)] + ([("bias", b)] if use_bias else [])
    case(name, cls or f"Conv{S}D", in_shape, cfg, weights,
         lambda x: conv(x, k, b, st, dl, padding, groups, cf, act), k3=k3)


# Conv2D: the options that change the computation, each alone and mixed.
conv_case("c2_valid", 2, (7, 6, 3), 4, 3, act="relu")
conv_case("c2_same_s2", 2, (7, 6, 3), 5, [3, 2], strides=[2, 2], padding="same")
conv_case("c2_same_even", 2, (8, 8, 2), 3, 4, padding="same", act="tanh")
conv_case("c2_dil", 2, (9, 8, 2), 3, 3, dil=[2, 1], padding="same")
conv_case("c2_dil_valid", 2, (9, 8, 2), 3, [3, 2], dil=2)
conv_case("c2_groups", 2, (6, 6, 4), 6, 3, groups=2, padding="same")
conv_case("c2_nobias", 2, (5, 5, 2), 3, 2, strides=[1, 2], use_bias=False)
conv_case("c2_cf", 2, (3, 7, 6), 4, 3, strides=2, padding="same", cf=True, act="sigmoid")
conv_case("c2_softmax", 2, (5, 4, 2), 3, 2, act="softmax")
conv_case("c2_cf_softmax", 2, (2, 5, 4), 3, 2, act="softmax", cf=True, k3=False)
conv_case("c2_1x1", 2, (4, 4, 3), 2, 1)
# Conv1D: strides, same, dilation, causal, groups, channels_first.
conv_case("c1_valid", 1, (10, 3), 4, 3, act="relu")
conv_case("c1_same_s2", 1, (11, 2), 3, 4, strides=2, padding="same")
conv_case("c1_causal", 1, (9, 2), 3, 3, dil=2, padding="causal")
conv_case("c1_groups", 1, (8, 6), 4, 2, groups=2)
conv_case("c1_cf", 1, (3, 9), 2, 3, padding="same", cf=True, k3=False)

# DepthwiseConv2D: depth_multiplier 1 and 2, strides, same, dilation.
def depthwise_case(name, in_shape, ks, mult=1, strides=1, padding="valid", dil=1,
                   use_bias=True, act=None, cf=False):
    ksz, st, dl = tup(ks, 2), tup(strides, 2), tup(dil, 2)
    C = in_shape[0] if cf else in_shape[-1]
    k = w(*ksz, C, mult)
    b = w(C * mult) if use_bias else None
    cfg = {"kernel_size": ks, "strides": strides, "padding": padding,
           "depth_multiplier": mult,
           "data_format": "channels_first" if cf else "channels_last",
           "dilation_rate": dil, "activation": act or "linear", "use_bias": use_bias}
    weights = [("depthwise_kernel", k)] + ([("bias", b)] if use_bias else [])
    case(name, "DepthwiseConv2D", in_shape, cfg, weights,
         lambda x: depthwise(x, k, b, st, dl, padding, cf, act))


depthwise_case("dw_m1", (6, 6, 3), 3, padding="same", act="relu")
depthwise_case("dw_m2", (7, 6, 2), [3, 2], mult=2, strides=2)
depthwise_case("dw_dil_nobias", (8, 8, 3), 3, mult=2, dil=2, padding="same", use_bias=False)
depthwise_case("dw_cf", (2, 6, 5), 2, mult=2, cf=True)


# SeparableConv1D/2D.
def separable_case(name, S, in_shape, filters, ks, mult=1, strides=1, padding="valid",
                   dil=1, use_bias=True, act=None, cf=False):
    ksz, st, dl = tup(ks, S), tup(strides, S), tup(dil, S)
    C = in_shape[0] if cf else in_shape[-1]
    dk = w(*ksz, C, mult)
    pk = w(*([1] * S), C * mult, filters)
    b = w(filters) if use_bias else None
    cfg = {"filters": filters, "kernel_size": ks, "strides": strides, "padding": padding,
           "depth_multiplier": mult,
           "data_format": "channels_first" if cf else "channels_last",
           "dilation_rate": dil, "activation": act or "linear", "use_bias": use_bias}
    weights = [("depthwise_kernel", dk), ("pointwise_kernel", pk)] + (
        [("bias", b)] if use_bias else [])
    case(name, f"SeparableConv{S}D", in_shape, cfg, weights,
         lambda x: separable(x, dk, pk, b, st, dl, padding, cf, act))


separable_case("sep2", 2, (6, 6, 3), 4, 3, padding="same", act="relu")
separable_case("sep2_m2_s2", 2, (7, 7, 2), 3, 3, mult=2, strides=2, use_bias=False)
separable_case("sep1", 1, (9, 3), 4, 3, mult=2, dil=2, padding="same")
separable_case("sep2_cf", 2, (2, 6, 6), 3, 3, cf=True)


# Conv2DTranspose: strides with each padding, output_padding, dilation.
def transpose_case(name, in_shape, filters, ks, strides=1, padding="valid",
                   output_padding=None, dil=1, use_bias=True, act=None, cf=False):
    ksz, st, dl = tup(ks, 2), tup(strides, 2), tup(dil, 2)
    C = in_shape[0] if cf else in_shape[-1]
    k = w(*ksz, filters, C)
    b = w(filters) if use_bias else None
    cfg = {"filters": filters, "kernel_size": ks, "strides": strides, "padding": padding,
           "output_padding": output_padding,
           "data_format": "channels_first" if cf else "channels_last",
           "dilation_rate": dil, "activation": act or "linear", "use_bias": use_bias}
    weights = [("kernel", k)] + ([("bias", b)] if use_bias else [])
    op = tup(output_padding, 2) if output_padding is not None else None
    case(name, "Conv2DTranspose", in_shape, cfg, weights,
         lambda x: transpose(x, k, b, st, dl, padding, op, cf, act))


transpose_case("tr_valid", (4, 5, 3), 2, 3)
transpose_case("tr_valid_s2", (4, 5, 3), 2, 3, strides=2, act="relu")
transpose_case("tr_same_s2", (4, 4, 2), 3, [3, 4], strides=2, padding="same")
transpose_case("tr_k_lt_s", (3, 3, 2), 2, 2, strides=3)
transpose_case("tr_op", (4, 4, 2), 2, 3, strides=2, padding="same", output_padding=1)
transpose_case("tr_op_valid", (3, 4, 2), 2, 3, strides=[2, 3], output_padding=[1, 2])
transpose_case("tr_dil", (4, 4, 2), 2, 3, dil=2, padding="same", use_bias=False)
transpose_case("tr_cf", (2, 4, 3), 3, 3, strides=2, padding="same", cf=True)

# A small CNN: Conv2D, Conv2D with strides, then Flatten and Dense, in both
# layouts, for the batch sizes 0, 1 and 17 of the test.
k1, b1 = w(3, 3, 1, 4), w(4)
k2, b2 = w(3, 3, 4, 6), w(6)
kd = w(6 * 3 * 3, 5)
cnn = [
    {"class_name": "Conv2D", "config": {"name": "c1", "filters": 4, "kernel_size": [3, 3],
                                        "strides": [1, 1], "padding": "same",
                                        "activation": "relu", "use_bias": True,
                                        "data_format": "channels_last",
                                        "dilation_rate": [1, 1], "groups": 1,
                                        "batch_input_shape": [None, 6, 6, 1]}},
    {"class_name": "Conv2D", "config": {"name": "c2", "filters": 6, "kernel_size": [3, 3],
                                        "strides": [2, 2], "padding": "same",
                                        "activation": "relu", "use_bias": True}},
    {"class_name": "Flatten", "config": {"name": "flatten"}},
    {"class_name": "Dense", "config": {"name": "dense", "units": 5, "activation": "softmax",
                                       "use_bias": False}}]
write_h5(f"{d}/cnn.h5", sequential(cnn),
         {"c1": [("c1/kernel:0", k1), ("c1/bias:0", b1)],
          "c2": [("c2/kernel:0", k2), ("c2/bias:0", b2)], "flatten": [],
          "dense": [("dense/kernel:0", kd)]})
for n in (0, 1, 17):
    x = rng.standard_normal((n, 6, 6, 1)).astype(np.float32)
    h = conv(x, k1, b1, [1, 1], [1, 1], "same", act="relu")
    h = conv(h, k2, b2, [2, 2], [1, 1], "same", act="relu")
    save(f"cnn_b{n}", x, activate(h.reshape(n, 6 * 3 * 3) @ kd, "softmax"))

# Broken files.
C3 = [None, 6, 6, 3]


def broken(name, cls, cfg, weights, shape=C3):
    write_h5(f"{d}/{name}.h5", sequential([
        {"class_name": cls, "config": dict(cfg, name="layer", batch_input_shape=shape)}]),
        {"layer": [(f"layer/{n}:0", a) for n, a in weights]})


base = {"filters": 4, "kernel_size": [3, 3]}
broken("bad_kernel", "Conv2D", base, [("kernel", w(3, 3, 2, 4)), ("bias", w(4))])
broken("bad_groups", "Conv2D", dict(base, groups=2), [("kernel", w(3, 3, 1, 4)), ("bias", w(4))])
broken("bad_filters_groups", "Conv2D", dict(base, filters=5, groups=3),
       [("kernel", w(3, 3, 1, 5)), ("bias", w(5))])
broken("bad_padding", "Conv2D", dict(base, padding="full"), [("kernel", w(3, 3, 3, 4))])
broken("bad_causal2d", "Conv2D", dict(base, padding="causal"), [("kernel", w(3, 3, 3, 4))])
broken("bad_format", "Conv2D", dict(base, data_format="channels_middle"),
       [("kernel", w(3, 3, 3, 4))])
broken("bad_strides", "Conv2D", dict(base, strides=[1, 1, 1]), [("kernel", w(3, 3, 3, 4))])
broken("bad_zero_stride", "Conv2D", dict(base, strides=0), [("kernel", w(3, 3, 3, 4))])
broken("bad_bias", "Conv2D", base, [("kernel", w(3, 3, 3, 4)), ("bias", w(3))])
broken("no_bias", "Conv2D", base, [("kernel", w(3, 3, 3, 4))])
broken("too_small", "Conv2D", dict(base, kernel_size=7), [("kernel", w(7, 7, 3, 4)),
                                                         ("bias", w(4))])
broken("dynamic", "Conv2D", base, [("kernel", w(3, 3, 3, 4)), ("bias", w(4))],
       shape=[None, None, None, 3])
broken("bad_rank", "Conv1D", dict(base, kernel_size=3), [("kernel", w(3, 3, 4)), ("bias", w(4))])
broken("bad_dw", "DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2},
       [("depthwise_kernel", w(3, 3, 3, 1)), ("bias", w(6))])
broken("bad_op", "Conv2DTranspose", dict(base, strides=2, output_padding=2),
       [("kernel", w(3, 3, 4, 3)), ("bias", w(4))])
# A Keras 3 archive whose Conv2D group holds the kernel but not the bias.
write_keras3(f"{d}/one_var.keras", sequential([
    {"class_name": "InputLayer", "config": {"name": "input_layer", "batch_shape": C3}},
    {"class_name": "Conv2D", "config": dict(base, name="layer")}]),
    [("conv2d", [w(3, 3, 3, 4)])])

# Shapes whose output tiles are partial (predict-tile-convolutions tiles 8
# output columns x 32 filters): 10, 11 and 13 columns, 36 filters and
# channels (a tile of 32 and a remainder), 24 filters (one tile of 24),
# strides and dilation, each against the loop nests above.
conv_case("c2_tiles", 2, (12, 11, 3), 36, 3, padding="same", act="relu", k3=False)
conv_case("c2_tiles_s2", 2, (13, 21, 5), 24, [3, 2], strides=2, dil=[1, 2], k3=False)
depthwise_case("dw_tiles", (9, 13, 36), 3, padding="same", act="relu")
conv_case("c1_tiles", 1, (30, 5), 48, 5, padding="same", k3=False)

# DepthwiseConv1D (Keras 3): depth_multiplier, strides, same, dilation,
# channels_first, against the loop nest of depthwise() over one axis.
def depthwise1d_case(name, in_shape, ks, mult=1, strides=1, padding="valid", dil=1,
                     use_bias=True, act=None, cf=False):
    C = in_shape[0] if cf else in_shape[-1]
    k = w(ks, C, mult)
    b = w(C * mult) if use_bias else None
    cfg = {"kernel_size": ks, "strides": strides, "padding": padding,
           "depth_multiplier": mult,
           "data_format": "channels_first" if cf else "channels_last",
           "dilation_rate": dil, "activation": act or "linear", "use_bias": use_bias}
    weights = [("depthwise_kernel", k)] + ([("bias", b)] if use_bias else [])
    case(name, "DepthwiseConv1D", in_shape, cfg, weights,
         lambda x: depthwise(x, k, b, [strides], [dil], padding, cf, act))


depthwise1d_case("dw1_m1", (11, 4), 3, padding="same", act="relu")
depthwise1d_case("dw1_m2_s2", (12, 3), 4, mult=2, strides=2, dil=1, use_bias=False)
depthwise1d_case("dw1_dil_cf", (3, 13), 3, dil=2, padding="same", cf=True)
