"""Writes PReLU models in Keras 2's .h5 layout and Keras 3's .keras layout
(alpha of shape input_shape[1:], size 1 on each shared axis), inputs with
NaN and infinities, and numpy references computed as Keras's PReLU.call
does: relu(x) + (-alpha) * relu(-x).

  make_prelu.py DIR
"""

import sys

import numpy as np

from keras2_h5 import sequential, write_h5, write_keras3

d = sys.argv[1]
rng = np.random.default_rng(17)


def prelu(x, alpha):
    with np.errstate(invalid="ignore"):
        return np.maximum(x, 0) + (-alpha) * np.maximum(-x, 0)


# Rank 2: one alpha per feature; then Keras 3's Identity layer.
a1 = rng.standard_normal(6).astype("f4")
k = rng.standard_normal((6, 3)).astype("f4")
x = (rng.standard_normal((5, 6)) * 2).astype("f4")
x[0, :3] = [np.nan, np.inf, -np.inf]
np.save(f"{d}/x2.npy", x)
write_h5(f"{d}/prelu2.h5", sequential([
    {"class_name": "PReLU", "config": {"name": "p", "batch_input_shape": [None, 6],
                                       "alpha_initializer": {"class_name": "Zeros", "config": {}},
                                       "shared_axes": None}},
    {"class_name": "Identity", "config": {"name": "same"}}]),
    {"p": [("p/alpha:0", a1)], "same": []})
np.save(f"{d}/prelu2.ref.npy", prelu(x.astype("f8"), a1.astype("f8")).astype("f4"))

# Rank 3 with shared_axes=[1] (alpha 1x4), Keras 3 archive, then a Dense on
# the last axis.
a3 = rng.standard_normal((1, 4)).astype("f4")
x3 = rng.standard_normal((3, 5, 4)).astype("f4")
np.save(f"{d}/x3.npy", x3)
cfg = sequential([
    {"class_name": "InputLayer", "config": {"name": "input_layer", "batch_shape": [None, 5, 4]}},
    {"class_name": "PReLU", "config": {"name": "p", "shared_axes": [1]}},
    {"class_name": "Dense", "config": {"name": "d", "units": 3, "activation": "linear",
                                       "use_bias": False}}])
k3 = rng.standard_normal((4, 3)).astype("f4")
write_keras3(f"{d}/prelu3.keras", cfg, [("p_re_lu", [a3]), ("dense", [k3])])
np.save(f"{d}/prelu3.ref.npy",
        (prelu(x3.astype("f8"), a3.astype("f8")) @ k3.astype("f8")).astype("f4"))

# Broken: alpha of the wrong shape, a shared axis out of range.
write_h5(f"{d}/prelu_bad_alpha.h5", sequential([
    {"class_name": "PReLU", "config": {"name": "p", "batch_input_shape": [None, 6]}}]),
    {"p": [("p/alpha:0", rng.standard_normal(5).astype("f4"))]})
write_h5(f"{d}/prelu_bad_axis.h5", sequential([
    {"class_name": "PReLU", "config": {"name": "p", "batch_input_shape": [None, 6],
                                       "shared_axes": [2]}}]),
    {"p": [("p/alpha:0", a1)]})
