#!/usr/bin/python3
"""Writes the inputs of the installed-tree smoke test, and numpy references.

  install_smoke.py DIR

DIR/model.py: a small Keras-style program (two Dense layers);
DIR/w.npz: its weights (<attribute>/kernel, <attribute>/bias);
DIR/model.h5: a Keras 2.13 .h5 (Sequential) with the same layers;
DIR/x.npy: an input; DIR/ref.npy: what numpy computes for it, which both
the program and the .h5 must give;
DIR/func.py: a straight-line function (for the C++ builder, which runs the
reader script), DIR/func-ref.npy: numpy's output for x.npy.
"""

import json
import sys

import h5py
import numpy as np

d = sys.argv[1]
rng = np.random.default_rng(15)


def w(*shape):
    return (rng.standard_normal(shape) * 0.5).astype(np.float32)


with open(f"{d}/model.py", "w") as f:
    f.write('''import tensorflow as tf
from tensorflow import keras


class Smoke(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(8, activation="tanh")
        self.scores = keras.layers.Dense(3)

    def call(self, x):
        return self.scores(self.hidden(x))


model = Smoke()


@tf.function
def predict(x):
    return model(x)


print(predict(tf.random.uniform((2, 5))))
''')

k1, b1, k2, b2 = w(5, 8), w(8), w(8, 3), w(3)
np.savez(f"{d}/w.npz", **{"hidden/kernel": k1, "hidden/bias": b1,
                          "scores/kernel": k2, "scores/bias": b2})

config = {"class_name": "Sequential", "config": {"name": "smoke", "layers": [
    {"class_name": "Dense", "config": {"name": "hidden", "units": 8, "activation": "tanh",
                                       "use_bias": True, "batch_input_shape": [None, 5]}},
    {"class_name": "Dense", "config": {"name": "scores", "units": 3, "activation": "linear",
                                       "use_bias": True}}]}}
with h5py.File(f"{d}/model.h5", "w") as f:
    f.attrs["keras_version"] = "2.13.1"
    f.attrs["backend"] = "tensorflow"
    f.attrs["model_config"] = json.dumps(config)
    mw = f.create_group("model_weights")
    mw.attrs["layer_names"] = ["hidden", "scores"]
    for name, kernel, bias in [("hidden", k1, b1), ("scores", k2, b2)]:
        g = mw.create_group(name)
        g.attrs["weight_names"] = [f"{name}/kernel:0", f"{name}/bias:0"]
        g.create_dataset(f"{name}/kernel:0", data=kernel)
        g.create_dataset(f"{name}/bias:0", data=bias)

x = rng.standard_normal((7, 5)).astype(np.float32)
np.save(f"{d}/x.npy", x)
np.save(f"{d}/ref.npy", np.tanh(x @ k1 + b1) @ k2 + b2)

with open(f"{d}/func.py", "w") as f:
    f.write('''import tensorflow as tf


@tf.function
def score(x):
    return tf.nn.relu(x * 2.0 + 1e-05)


score(tf.random.normal((4, 5)))
''')
np.save(f"{d}/func-ref.npy", np.maximum(x * np.float32(2.0) + np.float32(1e-05), 0))
