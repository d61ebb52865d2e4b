"""Writes .h5 files in Keras 1's layout (keras_version 1.2.2): a Sequential
config as a bare list, Keras 1's field names (output_dim, bias, init, p,
mode, input_dtype) and weight names (dense_1_W:0, dense_1_b:0,
batchnormalization_1_running_std:0), with the input and a numpy reference
of what Keras 2 computes after converting the file (its legacy interfaces
rename the fields; its loader takes the weights by position)."""

import sys

import numpy as np

from keras2_h5 import write_h5

out = sys.argv[1]
rng = np.random.default_rng(11)
w1 = rng.normal(size=(4, 5)).astype("f4")
b1 = rng.normal(size=5).astype("f4")
gamma, beta = rng.uniform(0.5, 2, 5).astype("f4"), rng.normal(size=5).astype("f4")
mean, var = rng.normal(size=5).astype("f4"), rng.uniform(0.5, 2, 5).astype("f4")
w2 = rng.normal(size=(5, 3)).astype("f4")
x = rng.normal(size=(6, 4)).astype("f4")


def dense1(name, units, bias, activation, first=False):
    c = {"name": name, "output_dim": units, "bias": bias, "init":
         "glorot_uniform", "activation": activation, "W_regularizer": None,
         "b_regularizer": None, "W_constraint": None, "b_constraint": None,
         "activity_regularizer": None, "trainable": True, "input_dim": None}
    if first:
        c.update(batch_input_shape=[None, 4], input_dtype="float32",
                 input_dim=4)
    return {"class_name": "Dense", "config": c}


def model(mode):
    return {"class_name": "Sequential", "config": [
        dense1("dense_1", 5, True, "relu", first=True),
        {"class_name": "BatchNormalization", "config": {
            "name": "batchnormalization_1", "mode": mode, "axis": -1,
            "epsilon": 0.001, "momentum": 0.99, "beta_init": "zero",
            "gamma_init": "one", "gamma_regularizer": None,
            "beta_regularizer": None, "trainable": True}},
        {"class_name": "Dropout", "config": {"name": "dropout_1", "p": 0.5,
                                             "trainable": True}},
        dense1("dense_2", 3, False, "softmax")]}


weights = {
    "dense_1": [("dense_1_W:0", w1), ("dense_1_b:0", b1)],
    "batchnormalization_1": [
        ("batchnormalization_1_gamma:0", gamma),
        ("batchnormalization_1_beta:0", beta),
        ("batchnormalization_1_running_mean:0", mean),
        ("batchnormalization_1_running_std:0", var)],
    "dropout_1": [],
    "dense_2": [("dense_2_W:0", w2)],
}
write_h5(f"{out}/keras1.h5", model(0), weights, keras_version="1.2.2")
write_h5(f"{out}/keras1_mode2.h5", model(2), weights, keras_version="1.2.2")

# Keras 2's computation of the converted model (running_std holds the
# variance, as Keras 2's conversion reads it).
x64 = x.astype(np.float64)
h = np.maximum(x64 @ w1 + b1, 0)
h = (h - mean) / np.sqrt(var + 0.001) * gamma + beta
z = h @ w2
z = np.exp(z - z.max(axis=1, keepdims=True))
np.save(f"{out}/x.npy", x)
np.save(f"{out}/expected.npy", (z / z.sum(axis=1, keepdims=True)).astype("f4"))
