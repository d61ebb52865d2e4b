#!/usr/bin/python3
"""Writes Keras 2 .h5 files for test/Import/keras-normalization-dtype.test.

  make_norm_dtype.py DIR

Normalization layers whose `axis` keeps statistics along an axis other than
the last, along two axes, or none (scalars), with numpy references; layers
and inputs of a dtype other than float32; a Dense layer of 0 units.
"""

import sys

import numpy as np

from keras2_h5 import sequential, write_h5

d = sys.argv[1]
rng = np.random.default_rng(11)


def write(path, layers, weights):
    """A Keras 2 Sequential of `layers` with `weights`."""
    write_h5(path, sequential(layers, "seq"), weights)


def norm(name, axis, shape, mean, var):
    layers = [{"class_name": "InputLayer",
               "config": {"name": "x", "batch_input_shape": [None, *shape],
                          "dtype": "float32"}},
              {"class_name": "Normalization",
               "config": {"name": "n", "axis": axis, "dtype": "float32"}}]
    write(f"{d}/{name}.h5", layers,
          {"x": [], "n": [("n/mean:0", mean), ("n/variance:0", var),
                          ("n/count:0", np.array(10, np.int64))]})


def normalized(x, mean, var, keep):
    # Keras: statistics broadcast over the input with size 1 off the kept
    # axes; divided by max(sqrt(var), 1e-7).
    shape = [x.shape[a] if a in keep else 1 for a in range(x.ndim)]
    m, v = mean.reshape(shape), var.reshape(shape)
    return ((x - m) / np.maximum(np.sqrt(v), 1e-7)).astype(np.float32)


x = rng.standard_normal((4, 3, 3)).astype(np.float32)
np.save(f"{d}/x33.npy", x)
m, v = rng.standard_normal(3).astype(np.float32), \
    rng.uniform(0.5, 2, 3).astype(np.float32)
norm("axis1", [1], (3, 3), m, v)
np.save(f"{d}/axis1.ref.npy", normalized(x, m, v, {1}))
norm("axis_last", -1, (3, 3), m, v)
np.save(f"{d}/axis_last.ref.npy", normalized(x, m, v, {2}))
m2, v2 = rng.standard_normal((3, 3)).astype(np.float32), \
    rng.uniform(0.5, 2, (3, 3)).astype(np.float32)
norm("axes12", [1, 2], (3, 3), m2, v2)
np.save(f"{d}/axes12.ref.npy", normalized(x, m2, v2, {1, 2}))
norm("scalar", None, (3, 3), np.float32(0.5), np.float32(4.0))
np.save(f"{d}/scalar.ref.npy", normalized(x, np.float32(0.5),
                                          np.float32(4.0), set()))
norm("axis0", [0], (3, 3), m, v)
norm("too_many", [1], (3, 3), np.zeros(4, np.float32),
     np.ones(4, np.float32))


def dense(name, dtype, input_extra=None, units=2, kernel=None):
    input_config = {"name": "x", "batch_input_shape": [None, 5],
                    "dtype": "float32"}
    input_config.update(input_extra or {})
    k = rng.standard_normal((5, units)).astype(np.float32) \
        if kernel is None else kernel
    layers = [{"class_name": "InputLayer", "config": input_config},
              {"class_name": "Dense",
               "config": {"name": "d", "units": units, "activation": "linear",
                          "use_bias": True, "dtype": dtype}}]
    write(f"{d}/{name}.h5", layers,
          {"x": [], "d": [("d/kernel:0", k),
                          ("d/bias:0", np.zeros(units, np.float32))]})


dense("input_int32", "float32", {"dtype": "int32"})
dense("dense_f16", "float16")
dense("dense_mixed", {"module": "keras", "class_name": "DTypePolicy",
                      "config": {"name": "mixed_float16"},
                      "registered_name": None})
dense("dense_policy_f32", {"module": "keras", "class_name": "DTypePolicy",
                           "config": {"name": "float32"},
                           "registered_name": None})
dense("input_sparse", "float32", {"sparse": True})
dense("zero_units", "float32", units=0)
np.save(f"{d}/x5.npy", rng.standard_normal((2, 5)).astype(np.float32))
# BatchNormalization over 0 features: every weight is empty.
empty = np.zeros(0, np.float32)
write(f"{d}/zero_features.h5",
      [{"class_name": "InputLayer",
        "config": {"name": "x", "batch_input_shape": [None, 0],
                   "dtype": "float32"}},
       {"class_name": "BatchNormalization", "config": {"name": "bn"}}],
      {"x": [], "bn": [(f"bn/{n}:0", empty) for n in
                       ("gamma", "beta", "moving_mean", "moving_variance")]})
np.save(f"{d}/x0.npy", np.zeros((2, 0), np.float32))
# Dropout(rate=1.0): Keras accepts it (0 <= rate <= 1); the identity at
# inference.
write(f"{d}/dropout_all.h5",
      [{"class_name": "InputLayer",
        "config": {"name": "x", "batch_input_shape": [None, 5],
                   "dtype": "float32"}},
       {"class_name": "Dropout", "config": {"name": "drop", "rate": 1.0}}],
      {"x": [], "drop": []})
