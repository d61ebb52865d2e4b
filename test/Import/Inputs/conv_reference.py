"""Keras's convolutions as direct loop nests over output and kernel
positions, written from Keras's definitions (output sizes from
keras.src.ops.operation_utils, TensorFlow's SAME split with the odd pad at
the end; Conv2DTranspose as TensorFlow's conv2d_transpose, the gradient of
a convolution), never another library's convolution. Used by
make_conv.py and the Python-source test (Python/conv.test)."""

import numpy as np


def ceil_div(a, b):
    return -(-a // b)


def out_and_pad(length, k, s, dil, padding):
    """Keras's output size along one axis and the zeros before the input."""
    kd = dil * (k - 1) + 1
    if padding == "valid":
        return (length - kd) // s + 1, 0
    out = ceil_div(length, s)
    if padding == "causal":
        return out, kd - 1
    total = max((out - 1) * s + kd - length, 0)
    return out, total // 2


def activate(y, act):
    if act == "relu":
        return np.maximum(y, 0)
    if act == "tanh":
        return np.tanh(y)
    if act == "sigmoid":
        return 1 / (1 + np.exp(-y))
    if act == "softmax":
        e = np.exp(y - y.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    assert act in (None, "linear")
    return y


def conv(x, k, b, strides, dil, padding, groups=1, cf=False, act=None):
    """Keras Conv1D/Conv2D: y[n, o, f] = sum over kernel positions q and the
    group's channels c of x[n, o*s + q*d - p, g*Cg + c] * k[q, c, f]."""
    if cf:
        x = np.moveaxis(x, 1, -1)
    x = x.astype(np.float64)
    k = k.astype(np.float64)
    S = x.ndim - 2
    L, K = x.shape[1:-1], k.shape[:S]
    outs, pads = zip(*[out_and_pad(L[i], K[i], strides[i], dil[i], padding)
                       for i in range(S)])
    C, F = x.shape[-1], k.shape[-1]
    cg, fg = C // groups, F // groups
    y = np.zeros((x.shape[0],) + tuple(outs) + (F,))
    for o in np.ndindex(*outs):
        for q in np.ndindex(*K):
            at = [o[i] * strides[i] + q[i] * dil[i] - pads[i] for i in range(S)]
            if any(a < 0 or a >= L[i] for i, a in enumerate(at)):
                continue  # a padded zero
            xv = x[(slice(None),) + tuple(at)]
            for g in range(groups):
                for f in range(g * fg, (g + 1) * fg):
                    for c in range(cg):
                        y[(slice(None),) + o + (f,)] += xv[:, g * cg + c] * k[q + (c, f)]
    if b is not None:
        y += b
    y = activate(y, act) if act != "softmax" or not cf else y
    if cf:
        y = np.moveaxis(y, -1, 1)
        y = activate(y, act) if act == "softmax" else y
    return y


def depthwise(x, k, b, strides, dil, padding, cf=False, act=None):
    """Keras DepthwiseConv2D: y[n, o, c*M + m] = sum over q of
    x[n, o*s + q*d - p, c] * k[q, c, m]."""
    if cf:
        x = np.moveaxis(x, 1, -1)
    x = x.astype(np.float64)
    S = x.ndim - 2
    L, K = x.shape[1:-1], k.shape[:S]
    C, M = k.shape[S], k.shape[S + 1]
    outs, pads = zip(*[out_and_pad(L[i], K[i], strides[i], dil[i], padding)
                       for i in range(S)])
    y = np.zeros((x.shape[0],) + tuple(outs) + (C * M,))
    for o in np.ndindex(*outs):
        for q in np.ndindex(*K):
            at = [o[i] * strides[i] + q[i] * dil[i] - pads[i] for i in range(S)]
            if any(a < 0 or a >= L[i] for i, a in enumerate(at)):
                continue
            for c in range(C):
                for m in range(M):
                    y[(slice(None),) + o + (c * M + m,)] += (
                        x[(slice(None),) + tuple(at) + (c,)] * float(k[q + (c, m)]))
    if b is not None:
        y += b
    y = activate(y, act)
    return np.moveaxis(y, -1, 1) if cf else y


def separable(x, dk, pk, b, strides, dil, padding, cf=False, act=None):
    """Keras SeparableConv: depthwise (no bias), then the pointwise 1x1
    kernel, then the bias and the activation."""
    h = depthwise(x, dk, None, strides, dil, padding, cf=cf)
    if cf:
        h = np.moveaxis(h, 1, -1)
    y = np.einsum("n...c,cf->n...f", h, pk.reshape(pk.shape[-2:]).astype(np.float64))
    if b is not None:
        y += b
    y = activate(y, act)
    return np.moveaxis(y, -1, 1) if cf else y


def transpose(x, k, b, strides, dil, padding, output_padding=None, cf=False, act=None):
    """Keras Conv2DTranspose (TensorFlow's conv2d_transpose, the gradient of
    a convolution): y[n, o, f] += x[n, i, c] * k[q, f, c] for each
    o = i*s + q*d - p inside the output. Sizes from Keras's
    deconv_output_length; p is the forward convolution's start padding."""
    if cf:
        x = np.moveaxis(x, 1, -1)
    x = x.astype(np.float64)
    S = x.ndim - 2
    L, K = x.shape[1:-1], k.shape[:S]
    outs, pads = [], []
    for i in range(S):
        kd = dil[i] * (K[i] - 1) + 1
        s = strides[i]
        if output_padding is None:
            out = L[i] * s + max(kd - s, 0) if padding == "valid" else L[i] * s
        else:
            pad = kd // 2 if padding == "same" else 0
            out = (L[i] - 1) * s + kd - 2 * pad + output_padding[i]
        p = max((L[i] - 1) * s + kd - out, 0) // 2 if padding == "same" else 0
        outs.append(out)
        pads.append(p)
    F = k.shape[S]
    y = np.zeros((x.shape[0],) + tuple(outs) + (F,))
    for i in np.ndindex(*L):
        for q in np.ndindex(*K):
            o = [i[a] * strides[a] + q[a] * dil[a] - pads[a] for a in range(S)]
            if any(v < 0 or v >= outs[a] for a, v in enumerate(o)):
                continue
            y[(slice(None),) + tuple(o)] += x[(slice(None),) + i] @ k[q].astype(np.float64).T
    if b is not None:
        y += b
    y = activate(y, act)
    return np.moveaxis(y, -1, 1) if cf else y
