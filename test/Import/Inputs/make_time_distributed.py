"""TimeDistributed around layers that are not position-wise (Conv2D,
MaxPooling2D, Flatten, Conv1D, GlobalAveragePooling1D, a Bidirectional LSTM
on a rank-4 input) in Keras 2 .h5 files and Keras 3 .keras archives, with
inputs and numpy references: each step computed by its own call of a direct
loop-nest reference (conv_reference.py), as Keras's TimeDistributed
computes one step at a time (batch and time merged, then split back).

    make_time_distributed.py OUT_DIR
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conv_reference import conv  # noqa: E402
from keras2_h5 import write_h5, write_keras3  # noqa: E402

d = sys.argv[1]
rng = np.random.default_rng(18)


def w(*shape):
    return rng.standard_normal(shape).astype(np.float32) * 0.5


def per_step(x, f):
    """Keras's TimeDistributed: f on every step of axis 1."""
    n, t = x.shape[:2]
    steps = [f(x[:, i]) for i in range(t)]
    if not steps:
        probe = f(np.zeros((1,) + x.shape[2:]))
        return np.zeros((n, 0) + probe.shape[1:])
    return np.stack(steps, axis=1)


def maxpool2(x):
    n, h, ww, c = x.shape
    x = x[:, :h // 2 * 2, :ww // 2 * 2]
    return x.reshape(n, h // 2, 2, ww // 2, 2, c).max(axis=(2, 4))


def td(name, inner_cls, inner_name, **cfg):
    return {"class_name": "TimeDistributed", "config": {
        "name": name, "trainable": True, "dtype": "float32",
        "layer": {"class_name": inner_cls,
                  "config": dict(name=inner_name, trainable=True,
                                 dtype="float32", **cfg)}}}


def model(input_shape, layers, batch_key):
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer",
         "config": {"name": "input", batch_key: [None, *input_shape]}}] + layers}}


def save(name, keras_layers, h5_weights, k3_groups, x_shapes, reference):
    input_shape = x_shapes[0][1:]
    dynamic = [None] + list(input_shape[1:])  # the time axis dynamic
    write_h5(f"{d}/{name}.h5", model(dynamic, keras_layers, "batch_input_shape"),
             h5_weights)
    write_keras3(f"{d}/{name}.keras", model(dynamic, keras_layers, "batch_shape"),
                 k3_groups)
    for shape in x_shapes:
        x = rng.standard_normal(shape).astype(np.float32)
        tag = "b%dt%d" % shape[:2]
        np.save(f"{d}/{name}.{tag}.npy", x)
        np.save(f"{d}/{name}.{tag}.ref.npy",
                reference(x.astype(np.float64)).astype(np.float32))


# A frame classifier: TimeDistributed Conv2D (same, relu), MaxPooling2D,
# Flatten, then Dense on each frame's features, on N x T x 6 x 5 x 2.
k1, b1 = w(3, 3, 2, 3), w(3)
k2, b2 = w(18, 4), w(4)  # 3 x 2 x 3 pooled features
frames = [
    td("td_conv", "Conv2D", "conv2d", filters=3, kernel_size=[3, 3],
       strides=[1, 1], padding="same", data_format="channels_last",
       dilation_rate=[1, 1], groups=1, activation="relu", use_bias=True),
    td("td_pool", "MaxPooling2D", "max_pooling2d", pool_size=[2, 2],
       strides=[2, 2], padding="valid", data_format="channels_last"),
    td("td_flat", "Flatten", "flatten", data_format="channels_last"),
    td("td_dense", "Dense", "dense", units=4, activation="tanh", use_bias=True),
]


def frames_reference(x):
    y = per_step(x, lambda s: conv(s, k1, b1, (1, 1), (1, 1), "same", act="relu"))
    y = per_step(y, maxpool2)
    y = y.reshape(y.shape[:2] + (18,))
    return np.tanh(y @ k2 + b2)


save("frames",
     frames,
     {"td_conv": [("td_conv/kernel:0", k1), ("td_conv/bias:0", b1)],
      "td_pool": [], "td_flat": [],
      "td_dense": [("td_dense/kernel:0", k2), ("td_dense/bias:0", b2)]},
     # Keras 3 names the groups by class and counter.
     [("time_distributed", []), ("time_distributed/layer", [k1, b1]),
      ("time_distributed_1", []), ("time_distributed_2", []),
      ("time_distributed_3", []), ("time_distributed_3/layer", [k2, b2])],
     [(5, 7, 6, 5, 2), (1, 1, 6, 5, 2), (0, 3, 6, 5, 2), (2, 0, 6, 5, 2)],
     frames_reference)

# The same frames through a TimeDistributed of a Sequential model (a CNN
# applied to each frame, as video models are written), then Dense on each
# frame: the same numbers as `frames`.
def cnn(batch_key):
    return {"class_name": "Sequential", "config": {"name": "cnn", "layers": [
        {"class_name": "InputLayer",
         "config": {"name": "frame", batch_key: [None, 6, 5, 2]}},
        dict(frames[0]["config"]["layer"]),
        dict(frames[1]["config"]["layer"]),
        dict(frames[2]["config"]["layer"])]}}


def per_frame_model(batch_key):
    return [{"class_name": "TimeDistributed", "config": {
        "name": "td_cnn", "trainable": True, "dtype": "float32",
        "layer": cnn(batch_key)}}, frames[3]]


for fmt, key in (("h5", "batch_input_shape"), ("keras", "batch_shape")):
    config = model([None, 6, 5, 2], per_frame_model(key), key)
    if fmt == "h5":
        write_h5(f"{d}/per_frame.h5", config,
                 {"td_cnn": [("conv2d/kernel:0", k1), ("conv2d/bias:0", b1)],
                  "td_dense": [("td_dense/kernel:0", k2),
                               ("td_dense/bias:0", b2)]})
    else:
        write_keras3(f"{d}/per_frame.keras", config, [
            ("time_distributed", []), ("time_distributed/layer", []),
            ("time_distributed/layer/layers/conv2d", [k1, b1]),
            ("time_distributed/layer/layers/max_pooling2d", []),
            ("time_distributed/layer/layers/flatten", []),
            ("time_distributed_1", []),
            ("time_distributed_1/layer", [k2, b2])])
for shape in ((3, 4, 6, 5, 2), (0, 2, 6, 5, 2)):
    x = rng.standard_normal(shape).astype(np.float32)
    tag = "b%dt%d" % shape[:2]
    np.save(f"{d}/per_frame.{tag}.npy", x)
    np.save(f"{d}/per_frame.{tag}.ref.npy",
            frames_reference(x.astype(np.float64)).astype(np.float32))

# Sentences of words of characters: TimeDistributed Conv1D (valid) and
# GlobalAveragePooling1D on N x T x 8 x 3.
k3, b3 = w(3, 3, 2), w(2)


def words_reference(x):
    y = per_step(x, lambda s: conv(s, k3, b3, (1,), (1,), "valid"))
    return y.mean(axis=2)


save("words",
     [td("td_conv1d", "Conv1D", "conv1d", filters=2, kernel_size=[3],
         strides=[1], padding="valid", data_format="channels_last",
         dilation_rate=[1], groups=1, activation="linear", use_bias=True),
      td("td_gap", "GlobalAveragePooling1D", "global_average_pooling1d",
         data_format="channels_last")],
     {"td_conv1d": [("td_conv1d/kernel:0", k3), ("td_conv1d/bias:0", b3)],
      "td_gap": []},
     [("time_distributed", []), ("time_distributed/layer", [k3, b3]),
      ("time_distributed_1", [])],
     [(4, 5, 8, 3), (1, 2, 8, 3), (0, 5, 8, 3)],
     words_reference)

# Errors: a wrapped layer that returns several tensors (an LSTM with
# return_state), a wrapped class predict does not know, a rank-2 input, a
# wrapped Conv2D on frames whose rows are not known.
kl, rl, bl = w(3, 8), w(2, 8), w(8)
write_h5(f"{d}/td_state.h5",
         model([None, 4, 3], [td("td", "LSTM", "lstm", units=2,
                                 return_state=True)], "batch_input_shape"),
         {"td": [("td/kernel:0", kl), ("td/recurrent_kernel:0", rl),
                 ("td/bias:0", bl)]})
write_h5(f"{d}/td_unknown.h5",
         model([None, 4], [td("td", "Hashing", "hashing", num_bins=3),
                           td("td2", "Dense", "dense", units=2),
                           {"class_name": "Lambda",
                            "config": {"name": "lam"}}],
               "batch_input_shape"), {"td": [], "td2": [], "lam": []})
write_h5(f"{d}/td_rank2.h5",
         model([4], [td("td", "Flatten", "flatten")], "batch_input_shape"),
         {"td": []})
write_h5(f"{d}/td_rows.h5",
         model([None, None, 5, 2], [frames[0]], "batch_input_shape"),
         {"td_conv": [("td_conv/kernel:0", k1), ("td_conv/bias:0", b1)]})
