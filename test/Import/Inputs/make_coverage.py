#!/usr/bin/python3
"""Writes Keras files for the layers and options of issue 17 that the other
generators leave out, and numpy references written here from Keras's
definitions (never another library's routine):

  make_coverage.py DIR

- act_mix: the activations glu (Dense(8, activation='glu'), 4 features
  out) and sparsemax (an Activation layer; Keras's definition by sorting,
  with ties), a Dense whose activation is a ReLU object with max_value,
  negative_slope and threshold, a Dense with a ThresholdedReLU object, and
  a ThresholdedReLU layer (tf.keras 2); .h5 and .keras, batch 5.
- alias: Keras's alias classes Convolution2D and SeparableConvolution1D
  in Keras 2's .h5.
- cnn: a CNN saved as Keras 2's save_weights() .h5 (layer groups at the
  root) or Keras 3's .weights.h5, with the model's to_json() beside it:
  Conv2D, BatchNormalization, MaxPooling2D, SeparableConv2D,
  GlobalAveragePooling2D, Dense softmax; at batch 0, 1 and 17.
- the errors: a model of several layers predict lacks, glu on an odd size,
  a negative theta, sparsemax inside an LSTM, a Keras 1 Convolution2D.
"""

import json
import sys

import h5py
import numpy as np

from conv_reference import conv, separable, transpose
from keras2_h5 import functional, inp, layer, sequential, write_h5, write_keras3

d = sys.argv[1]
rng = np.random.default_rng(31)


def w(*shape):
    return (rng.standard_normal(shape) * 0.5).astype(np.float32)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sparsemax(z):
    """Keras's sparsemax on the last axis: sort decreasing, cumulative sums,
    the support k, tau, max(z - tau, 0)."""
    zs = -np.sort(-z, axis=-1)
    cs = np.cumsum(zs, axis=-1)
    r = np.arange(1, z.shape[-1] + 1)
    support = zs - (cs - 1) / r > 0
    k = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cs, k - 1, axis=-1) - 1) / k
    return np.maximum(z - tau, 0)


def relu(x, max_value=None, slope=0.0, threshold=0.0):
    pos = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        pos = np.minimum(pos, max_value)
    return pos - slope * np.maximum(threshold - x, 0)


# --- act_mix ---------------------------------------------------------------
F = 6
x = rng.standard_normal((5, F)).astype(np.float32)
x[0, :3] = 0.5  # ties for sparsemax
x[1] = [3, -1, 0.2, 3, 0.1, -2]
x64 = x.astype(np.float64)
kg, bg = w(F, 8), w(8)
ks, bs = w(F, 5), w(5)
kr, br = w(F, 4), w(4)
kt, bt = w(F, 3), w(3)
relu_obj = {"class_name": "ReLU", "config": {
    "name": "re_lu", "max_value": 1.0, "negative_slope": 0.1, "threshold": 0.2}}
thr_obj = {"class_name": "ThresholdedReLU", "config": {"name": "t", "theta": 0.3}}
layers = [inp("x", [F]),
          layer("Dense", "glu", ["x"], units=8, activation="glu", use_bias=True),
          layer("Dense", "pre", ["x"], units=5, activation="linear", use_bias=True),
          layer("Activation", "sparse", ["pre"], activation="sparsemax"),
          layer("Dense", "relu_obj", ["x"], units=4, activation=relu_obj, use_bias=True),
          layer("Dense", "thr_obj", ["x"], units=3, activation=thr_obj, use_bias=True),
          layer("ThresholdedReLU", "thr", ["x"], theta=0.25)]
outs = ["glu", "sparse", "relu_obj", "thr_obj", "thr"]
cfg = functional(layers, ["x"], outs)
weights = {"glu": [("glu/kernel:0", kg), ("glu/bias:0", bg)],
           "pre": [("pre/kernel:0", ks), ("pre/bias:0", bs)],
           "relu_obj": [("relu_obj/kernel:0", kr), ("relu_obj/bias:0", br)],
           "thr_obj": [("thr_obj/kernel:0", kt), ("thr_obj/bias:0", bt)]}
write_h5(f"{d}/act_mix.h5", cfg, weights)
# Keras 3 by position: the groups by class and counter.
write_keras3(f"{d}/act_mix.keras", cfg,
             [("dense", [kg, bg]), ("dense_1", [ks, bs]), ("dense_2", [kr, br]),
              ("dense_3", [kt, bt])])
np.save(f"{d}/act_mix.in.npy", x)
h = x64 @ kg + bg
refs = [h[:, :4] * sigmoid(h[:, 4:]),
        sparsemax(x64 @ ks + bs),
        relu(x64 @ kr + br, 1.0, 0.1, 0.2),
        relu(x64 @ kt + bt, threshold=0.3),
        relu(x64, threshold=0.25)]
for i, r in enumerate(refs):
    np.save(f"{d}/act_mix.ref{i}.npy", r.astype(np.float32))
assert (refs[1] == 0).any() and np.allclose(refs[1].sum(axis=-1), 1)

# --- alias -----------------------------------------------------------------
xa = rng.standard_normal((3, 6, 6, 2)).astype(np.float32)
ka, ba = w(3, 3, 2, 4), w(4)
write_h5(f"{d}/alias2d.h5", sequential([
    {"class_name": "Convolution2D", "config": {
        "name": "c", "filters": 4, "kernel_size": [3, 3], "strides": [1, 1],
        "padding": "same", "activation": "relu", "use_bias": True,
        "batch_input_shape": [None, 6, 6, 2]}}]),
    {"c": [("c/kernel:0", ka), ("c/bias:0", ba)]})
np.save(f"{d}/alias2d.in.npy", xa)
np.save(f"{d}/alias2d.ref.npy",
        conv(xa, ka, ba, [1, 1], [1, 1], "same", act="relu").astype(np.float32))
xs = rng.standard_normal((3, 7, 3)).astype(np.float32)
dk, pk, bsep = w(3, 3, 1), w(1, 3, 2), w(2)
write_h5(f"{d}/alias1d.h5", sequential([
    {"class_name": "SeparableConvolution1D", "config": {
        "name": "s", "filters": 2, "kernel_size": 3, "padding": "valid",
        "depth_multiplier": 1, "use_bias": True,
        "batch_input_shape": [None, 7, 3]}}]),
    {"s": [("s/depthwise_kernel:0", dk), ("s/pointwise_kernel:0", pk),
           ("s/bias:0", bsep)]})
np.save(f"{d}/alias1d.in.npy", xs)
np.save(f"{d}/alias1d.ref.npy",
        separable(xs, dk, pk, bsep, [1], [1], "valid").astype(np.float32))

# --- Conv1DTranspose (Keras 3; the kernel k x filters x C) -------------------
def tr1(name, L, C, filters, k, strides=1, padding="valid", output_padding=None,
        dil=1, cf=False, act=None):
    xt = rng.standard_normal((3, C, L) if cf else (3, L, C)).astype(np.float32)
    kt, bt = w(k, filters, C), w(filters)
    cfg = {"name": "t", "filters": filters, "kernel_size": k, "strides": strides,
           "padding": padding, "output_padding": output_padding,
           "data_format": "channels_first" if cf else "channels_last",
           "dilation_rate": dil, "activation": act or "linear", "use_bias": True}
    shape = [None, C, L] if cf else [None, L, C]
    write_h5(f"{d}/{name}.h5", sequential([
        {"class_name": "Conv1DTranspose", "config": dict(cfg, batch_input_shape=shape)}]),
        {"t": [("t/kernel:0", kt), ("t/bias:0", bt)]})
    write_keras3(f"{d}/{name}.keras", sequential([
        {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": shape}},
        {"class_name": "Conv1DTranspose", "config": cfg}]),
        [("conv1d_transpose", [kt, bt])])
    op = [output_padding] if output_padding is not None else None
    np.save(f"{d}/{name}.in.npy", xt)
    np.save(f"{d}/{name}.ref.npy", transpose(xt, kt, bt, [strides], [dil], padding, op,
                                             cf, act).astype(np.float32))


tr1("tr1_valid", 5, 3, 2, 3, act="relu")
tr1("tr1_same_s2", 6, 2, 3, 4, strides=2, padding="same")
tr1("tr1_op", 4, 2, 2, 3, strides=3, output_padding=2)
tr1("tr1_dil_cf", 5, 3, 2, 3, dil=2, padding="same", cf=True)


# --- Conv2D of 34 groups: more than the lowering unrolls, linalg's grouped
# convolution (a loop nest) -------------------------------------------------
xg = rng.standard_normal((3, 4, 4, 68)).astype(np.float32)
kg34, bg34 = w(3, 3, 2, 34), w(34)
cfg_g = {"name": "g", "filters": 34, "kernel_size": 3, "groups": 34,
         "padding": "same", "activation": "relu"}
write_h5(f"{d}/groups34.h5", sequential([
    {"class_name": "Conv2D", "config": dict(cfg_g, batch_input_shape=[None, 4, 4, 68])}]),
    {"g": [("g/kernel:0", kg34), ("g/bias:0", bg34)]})
write_keras3(f"{d}/groups34.keras", sequential([
    {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [None, 4, 4, 68]}},
    {"class_name": "Conv2D", "config": cfg_g}]), [("conv2d", [kg34, bg34])])
np.save(f"{d}/groups34.in.npy", xg)
np.save(f"{d}/groups34.ref.npy",
        conv(xg, kg34, bg34, [1, 1], [1, 1], "same", groups=34, act="relu").astype(np.float32))


# --- UpSampling2D(interpolation="bilinear") ----------------------------------
def bilinear(x, sh, sw):
    """tf.image.resize(method="bilinear") to (H*sh, W*sw), TensorFlow's
    half-pixel centers: output (i, j) samples input (y, x) = ((i + .5) / sh
    - .5, (j + .5) / sw - .5); its four neighbours, clamped to the image,
    weighted by the fractions."""
    n, H, W, C = x.shape
    y = np.zeros((n, H * sh, W * sw, C))
    for i in range(H * sh):
        fy = (i + 0.5) / sh - 0.5
        y0 = int(np.floor(fy))
        dy = fy - y0
        r0, r1 = min(max(y0, 0), H - 1), min(max(y0 + 1, 0), H - 1)
        for j in range(W * sw):
            fx = (j + 0.5) / sw - 0.5
            x0 = int(np.floor(fx))
            dx = fx - x0
            c0, c1 = min(max(x0, 0), W - 1), min(max(x0 + 1, 0), W - 1)
            y[:, i, j] = ((1 - dy) * ((1 - dx) * x[:, r0, c0] + dx * x[:, r0, c1]) +
                          dy * ((1 - dx) * x[:, r1, c0] + dx * x[:, r1, c1]))
    return y


for name, shape, size, cf in [("bilinear", (5, 4, 3), [2, 3], False),
                              ("bilinear_cf", (2, 3, 4), [3, 2], True)]:
    xb = rng.standard_normal((3, *shape)).astype(np.float32)
    cfg = {"name": "up", "size": size, "interpolation": "bilinear",
           "data_format": "channels_first" if cf else "channels_last"}
    write_h5(f"{d}/{name}.h5", sequential([
        {"class_name": "UpSampling2D", "config": dict(cfg, batch_input_shape=[None, *shape])}]),
        {})
    write_keras3(f"{d}/{name}.keras", sequential([
        {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [None, *shape]}},
        {"class_name": "UpSampling2D", "config": cfg}]), [])
    xin = np.moveaxis(xb, 1, -1) if cf else xb
    ref = bilinear(xin.astype(np.float64), *size)
    np.save(f"{d}/{name}.in.npy", xb)
    np.save(f"{d}/{name}.ref.npy", (np.moveaxis(ref, -1, 1) if cf else ref).astype(np.float32))


# --- Conv3D and the 3-D poolings --------------------------------------------
def pool3d(x, k, s, same, kind):
    """Max or average pooling of N x D x H x W x C by window k, strides s:
    valid keeps whole windows; same pads as TensorFlow (the smaller half
    before) and averages over the positions inside the input only."""
    L = x.shape[1:4]
    outs, befores = [], []
    for i in range(3):
        if same:
            o = -(-L[i] // s[i])
            total = max((o - 1) * s[i] + k[i] - L[i], 0)
            befores.append(total // 2)
        else:
            o = (L[i] - k[i]) // s[i] + 1
            befores.append(0)
        outs.append(o)
    y = np.zeros((x.shape[0], *outs, x.shape[-1]))
    for o in np.ndindex(*outs):
        lo = [max(o[i] * s[i] - befores[i], 0) for i in range(3)]
        hi = [min(o[i] * s[i] - befores[i] + k[i], L[i]) for i in range(3)]
        win = x[:, lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]]
        y[(slice(None),) + o] = win.max(axis=(1, 2, 3)) if kind == "max" else win.mean(axis=(1, 2, 3))
    return y


def vol_case(name, layers_cfg, shape, weights, groups3, ref):
    xv = rng.standard_normal((3, *shape)).astype(np.float32)
    write_h5(f"{d}/{name}.h5", sequential(
        [dict(layers_cfg[0], config=dict(layers_cfg[0]["config"],
                                         batch_input_shape=[None, *shape]))] + layers_cfg[1:]),
        weights)
    write_keras3(f"{d}/{name}.keras", sequential(
        [{"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [None, *shape]}}]
        + layers_cfg), groups3)
    np.save(f"{d}/{name}.in.npy", xv)
    np.save(f"{d}/{name}.ref.npy", ref(xv.astype(np.float64)).astype(np.float32))


k3d, b3d = w(2, 3, 2, 2, 4), w(4)
vol_case("conv3d", [
    {"class_name": "Conv3D", "config": {"name": "c", "filters": 4, "kernel_size": [2, 3, 2],
                                        "strides": [1, 2, 1], "padding": "same",
                                        "activation": "relu"}},
    {"class_name": "MaxPooling3D", "config": {"name": "mp", "pool_size": [2, 2, 2],
                                              "padding": "same"}},
    {"class_name": "AveragePooling3D", "config": {"name": "ap", "pool_size": [1, 2, 1],
                                                  "strides": [1, 1, 1]}},
    {"class_name": "GlobalAveragePooling3D", "config": {"name": "gap"}}],
    (5, 6, 4, 2), {"c": [("c/kernel:0", k3d), ("c/bias:0", b3d)]},
    [("conv3d", [k3d, b3d])],
    lambda x: pool3d(pool3d(conv(x, k3d, b3d, [1, 2, 1], [1, 1, 1], "same", act="relu"),
                            [2, 2, 2], [2, 2, 2], True, "max"),
                     [1, 2, 1], [1, 1, 1], False, "avg").mean(axis=(1, 2, 3)))
k3c, b3c = w(3, 3, 3, 3, 2), w(2)
vol_case("conv3d_cf", [
    {"class_name": "Conv3D", "config": {"name": "c", "filters": 2, "kernel_size": 3,
                                        "dilation_rate": [1, 2, 1],
                                        "data_format": "channels_first"}},
    {"class_name": "AveragePooling3D", "config": {"name": "ap", "pool_size": 2, "strides": 1,
                                                  "padding": "same",
                                                  "data_format": "channels_first"}},
    {"class_name": "GlobalMaxPooling3D", "config": {"name": "gmp", "keepdims": True,
                                                    "data_format": "channels_first"}}],
    (3, 4, 7, 5), {"c": [("c/kernel:0", k3c), ("c/bias:0", b3c)]},
    [("conv3d", [k3c, b3c])],
    lambda x: np.moveaxis(pool3d(conv(x, k3c, b3c, [1, 1, 1], [1, 2, 1], "valid", cf=True)
                                 .transpose(0, 2, 3, 4, 1), [2, 2, 2], [1, 1, 1], True, "avg")
                          .max(axis=(1, 2, 3), keepdims=True), -1, 1))
write_h5(f"{d}/conv3d_groups.h5", sequential([
    {"class_name": "Conv3D", "config": {"name": "c", "filters": 4, "kernel_size": 2, "groups": 2,
                                        "batch_input_shape": [None, 3, 3, 3, 2]}}]),
    {"c": [("c/kernel:0", w(2, 2, 2, 1, 4)), ("c/bias:0", w(4))]})


# --- EinsumDense -------------------------------------------------------------
def einsum_case(name, equation, in_shape, kernel_shape, output_shape, bias_axes=None,
                bias_shape=None, act="linear"):
    xe = rng.standard_normal((3, *in_shape)).astype(np.float32)
    ke = w(*kernel_shape)
    be = w(*bias_shape) if bias_axes else None
    cfg = {"name": "e", "equation": equation, "output_shape": output_shape,
           "bias_axes": bias_axes, "activation": act}
    ws = [("e/kernel:0", ke)] + ([("e/bias:0", be)] if bias_axes else [])
    write_h5(f"{d}/{name}.h5", sequential([
        {"class_name": "EinsumDense", "config": dict(cfg, batch_input_shape=[None, *in_shape])}]),
        {"e": ws})
    write_keras3(f"{d}/{name}.keras", sequential([
        {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [None, *in_shape]}},
        {"class_name": "EinsumDense", "config": cfg}]),
        [("einsum_dense", [a for _, a in ws])])
    y = np.einsum(equation, xe.astype(np.float64), ke.astype(np.float64))
    if bias_axes:
        y = y + be
    if act == "relu":
        y = np.maximum(y, 0)
    np.save(f"{d}/{name}.in.npy", xe)
    np.save(f"{d}/{name}.ref.npy", y.astype(np.float32))


einsum_case("ein_dense", "ab,bc->ac", (5,), (5, 4), 4, "c", (4,), act="relu")
einsum_case("ein_seq", "abc,cd->abd", (3, 5), (5, 6), [None, 6], "d", (6,))
einsum_case("ein_heads", "abc,cde->abde", (4, 6), (6, 2, 3), [None, 2, 3], "de", (2, 3))
einsum_case("ein_two_summed", "abc,bcd->ad", (3, 4), (3, 4, 5), 5)
einsum_case("ein_moved", "abc,dc->adb", (3, 5), (4, 5), [4, None], "d", (4, 1))
for name, eq in [("ein_ellipsis", "...b,bc->...c"), ("ein_shared", "abc,bcd->abd")]:
    write_h5(f"{d}/{name}.h5", sequential([
        {"class_name": "EinsumDense", "config": {
            "name": "e", "equation": eq, "output_shape": [3, 4],
            "batch_input_shape": [None, 3, 2]}}]), {"e": [("e/kernel:0", w(3, 2, 4))]})


# --- cnn: weights + JSON ---------------------------------------------------
C = 3
kc, bc = w(3, 3, C, 4), w(4)
gamma, beta = w(4) + 1, w(4)
mean, var = w(4), np.abs(w(4)) + 0.5
sdk, spk, sb = w(3, 3, 4, 1), w(1, 1, 4, 5), w(5)
kd, bd = w(5, 3), w(3)
cnn = sequential([
    {"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [None, 8, 8, C]}},
    {"class_name": "Conv2D", "config": {"name": "conv", "filters": 4, "kernel_size": [3, 3],
                                        "padding": "same", "activation": "relu"}},
    {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": -1,
                                                    "epsilon": 0.001}},
    {"class_name": "MaxPooling2D", "config": {"name": "pool", "pool_size": [2, 2]}},
    {"class_name": "SeparableConv2D", "config": {"name": "sep", "filters": 5,
                                                 "kernel_size": [3, 3], "padding": "same"}},
    {"class_name": "GlobalAveragePooling2D", "config": {"name": "gap"}},
    {"class_name": "Dense", "config": {"name": "out", "units": 3, "activation": "softmax"}}])
with open(f"{d}/cnn.json", "w") as f:
    json.dump(cnn, f)
groups = {"conv": [("conv/kernel:0", kc), ("conv/bias:0", bc)],
          "bn": [("bn/gamma:0", gamma), ("bn/beta:0", beta),
                 ("bn/moving_mean:0", mean), ("bn/moving_variance:0", var)],
          "pool": [], "sep": [("sep/depthwise_kernel:0", sdk),
                              ("sep/pointwise_kernel:0", spk), ("sep/bias:0", sb)],
          "gap": [], "out": [("out/kernel:0", kd), ("out/bias:0", bd)]}
with h5py.File(f"{d}/cnn2.weights.h5", "w") as f:  # Keras 2 save_weights
    f.attrs["keras_version"] = "2.15.0"
    f.attrs["backend"] = "tensorflow"
    f.attrs["layer_names"] = list(groups)
    for name, ws in groups.items():
        g = f.create_group(name)
        g.attrs["weight_names"] = [n for n, _ in ws]
        for n, a in ws:
            g.create_dataset(n, data=a)
with h5py.File(f"{d}/cnn3.weights.h5", "w") as f:  # Keras 3 save_weights
    top = f.create_group("layers")
    for group, arrays in [("conv2d", [kc, bc]), ("batch_normalization", [gamma, beta, mean, var]),
                          ("separable_conv2d", [sdk, spk, sb]), ("dense", [kd, bd])]:
        v = top.create_group(group).create_group("vars")
        for i, a in enumerate(arrays):
            v.create_dataset(str(i), data=a)
for n in (0, 1, 17):
    xc = rng.standard_normal((n, 8, 8, C)).astype(np.float32)
    h = conv(xc, kc, bc, [1, 1], [1, 1], "same", act="relu")
    h = (h - mean) / np.sqrt(var.astype(np.float64) + 0.001) * gamma + beta
    p = np.zeros((n, 4, 4, 4))
    for i in range(4):
        for j in range(4):
            p[:, i, j] = h[:, 2 * i:2 * i + 2, 2 * j:2 * j + 2].max(axis=(1, 2))
    h = separable(p, sdk, spk, sb, [1, 1], [1, 1], "same").mean(axis=(1, 2))
    z = h @ kd + bd
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    np.save(f"{d}/cnn_b{n}.in.npy", xc)
    np.save(f"{d}/cnn_b{n}.ref.npy", (e / e.sum(axis=-1, keepdims=True)).astype(np.float32))

# --- errors ----------------------------------------------------------------
write_h5(f"{d}/lacks.h5", functional(
    [inp("x", [4, 6]),
     layer("Masking", "mask", ["x"], mask_value=0.0),
     layer("Dense", "d", ["mask"], units=6, activation="relu"),
     layer("Lambda", "ein", ["d"], function="lambda x: x"),
     layer("MultiHeadAttention", "mha", ["d", "d"], num_heads=2, key_dim=3),
     layer("Add", "add", ["ein", "mha"])], ["x"], ["add"]), {})
write_h5(f"{d}/glu_odd.h5", sequential([
    {"class_name": "Dense", "config": {"name": "g", "units": 5, "activation": "glu",
                                       "batch_input_shape": [None, 3]}}]),
    {"g": [("g/kernel:0", w(3, 5)), ("g/bias:0", w(5))]})
write_h5(f"{d}/theta.h5", sequential([
    {"class_name": "ThresholdedReLU", "config": {"name": "t", "theta": -1.0,
                                                 "batch_input_shape": [None, 3]}}]), {})
write_h5(f"{d}/lstm_sparsemax.h5", sequential([
    {"class_name": "LSTM", "config": {"name": "l", "units": 2, "activation": "sparsemax",
                                      "batch_input_shape": [None, 4, 3]}}]),
    {"l": [("l/lstm_cell/kernel:0", w(3, 8)), ("l/lstm_cell/recurrent_kernel:0", w(2, 8)),
           ("l/lstm_cell/bias:0", w(8))]})
write_h5(f"{d}/keras1_conv.h5", sequential([
    {"class_name": "Convolution2D", "config": {
        "name": "convolution2d_1", "nb_filter": 4, "nb_row": 3, "nb_col": 3,
        "border_mode": "valid", "dim_ordering": "tf", "activation": "linear",
        "batch_input_shape": [None, 6, 6, 2]}}]),
    {"convolution2d_1": [("convolution2d_1_W:0", w(3, 3, 2, 4)),
                         ("convolution2d_1_b:0", w(4))]}, keras_version="1.2.2")
