"""Writes Keras 2 Functional .h5 files of the merge layers (Subtract,
Multiply, Average, Maximum, Minimum) and of ReLU with its arguments and ELU,
with inputs holding NaN and infinities, and numpy references computed as
Keras computes these layers (keras/src/layers/merging, activations.relu);
each also as the .keras archive of tf.keras 2.15 (the same config in a zip)
and as Keras 2 save_weights() + to_json() (the config in a .json file).

  make_merge_activation.py DIR
"""

import sys

import numpy as np

import json

from keras2_h5 import write_h5, write_keras3

d = sys.argv[1]
rng = np.random.default_rng(5)


def inp(name, width):
    return {"class_name": "InputLayer", "name": name,
            "config": {"name": name, "batch_input_shape": [None, width]},
            "inbound_nodes": []}


def layer(cls, name, inputs, **config):
    return {"class_name": cls, "name": name,
            "config": dict(name=name, **config),
            "inbound_nodes": [[[i, 0, 0, {}] for i in inputs]]}


def functional(layers, inputs, outputs):
    return {"class_name": "Functional", "config": {
        "name": "f", "layers": layers,
        "input_layers": [[i, 0, 0] for i in inputs],
        "output_layers": [[o, 0, 0] for o in outputs]}}


# Merges of three inputs of 4 features.
a, b, c = (rng.standard_normal((5, 4)).astype("f4") for _ in range(3))
merges = ["Subtract", "Multiply", "Average", "Maximum", "Minimum"]
layers = [inp("a", 4), inp("b", 4), inp("c", 4)]
for cls in merges:
    args = ["a", "b"] if cls == "Subtract" else ["a", "b", "c"]
    layers.append(layer(cls, cls.lower(), args))
write_h5(f"{d}/merges.h5", functional(layers, ["a", "b", "c"],
                                      [m.lower() for m in merges]),
         {name: [] for name in ["a", "b", "c"] + [m.lower() for m in merges]})
for name, v in zip("abc", (a, b, c)):
    np.save(f"{d}/{name}.npy", v)
a64, b64, c64 = (v.astype(np.float64) for v in (a, b, c))
refs = {"subtract": a64 - b64, "multiply": a64 * b64 * c64,
        "average": (a64 + b64 + c64) / 3,
        "maximum": np.maximum(np.maximum(a64, b64), c64),
        "minimum": np.minimum(np.minimum(a64, b64), c64)}
for name, ref in refs.items():
    np.save(f"{d}/{name}.ref.npy", ref.astype("f4"))


def keras_relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Keras's relu, step by step as activations.relu computes it."""
    if negative_slope != 0 and max_value is None and threshold == 0:
        return np.where(x >= 0, x, negative_slope * x)
    negative_part = np.maximum(-x + threshold, 0)
    clip_max = max_value is not None
    with np.errstate(invalid="ignore"):
        if threshold != 0:
            x = x * (x > threshold).astype(x.dtype)
        elif max_value == 6:
            x = np.minimum(np.maximum(x, 0), 6)
            clip_max = False
        else:
            x = np.maximum(x, 0)
        if clip_max:
            x = np.clip(x, 0, max_value)
        if negative_slope != 0:
            x = x - negative_slope * negative_part
    return x


relus = {
    "relu6": dict(max_value=6.0),
    "capped": dict(max_value=2.5, negative_slope=0.1, threshold=0.5),
    "leaky": dict(negative_slope=0.2),
    "thresholded": dict(threshold=1.0),
    "capped_leaky": dict(max_value=1.5, negative_slope=0.3),
}
x = (rng.standard_normal((6, 5)) * 4).astype("f4")
x[0, :3] = [np.inf, -np.inf, np.nan]
layers = [inp("x", 5)]
for name, kw in relus.items():
    layers.append(layer("ReLU", name, ["x"], max_value=kw.get("max_value"),
                        negative_slope=kw.get("negative_slope", 0.0),
                        threshold=kw.get("threshold", 0.0)))
layers.append(layer("ELU", "elu", ["x"], alpha=0.5))
outs = list(relus) + ["elu"]
write_h5(f"{d}/relus.h5", functional(layers, ["x"], outs),
         {name: [] for name in ["x"] + outs})
np.save(f"{d}/x.npy", x)
x64 = x.astype(np.float64)
for name, kw in relus.items():
    np.save(f"{d}/{name}.ref.npy", keras_relu(x64, **kw).astype("f4"))
with np.errstate(over="ignore", invalid="ignore"):
    np.save(f"{d}/elu.ref.npy",
            np.where(x64 > 0, x64, 0.5 * np.expm1(np.minimum(x64, 0))).astype("f4"))

# A negative max_value, as Keras refuses it; Subtract of three inputs.
write_h5(f"{d}/bad_relu.h5", functional(
    [inp("x", 5), layer("ReLU", "r", ["x"], max_value=-1.0,
                        negative_slope=0.0, threshold=0.0)], ["x"], ["r"]),
    {"x": [], "r": []})
write_h5(f"{d}/bad_subtract.h5", functional(
    [inp("a", 4), inp("b", 4), inp("c", 4),
     layer("Subtract", "s", ["a", "b", "c"])], ["a", "b", "c"], ["s"]),
    {"a": [], "b": [], "c": [], "s": []})

# Rescaling: a scalar scale and offset, and a scale per feature (a list,
# broadcast along the last axis); a scale that is not a number.
layers = [inp("x", 5),
          layer("Rescaling", "unit", ["x"], scale=1 / 255, offset=-1.0),
          layer("Rescaling", "per_feature", ["x"],
                scale=[0.5, 1.0, 2.0, -1.0, 0.0], offset=0.25)]
write_h5(f"{d}/rescaling.h5",
         functional(layers, ["x"], ["unit", "per_feature"]),
         {"x": [], "unit": [], "per_feature": []})
f32 = np.float32
np.save(f"{d}/unit.ref.npy", x * f32(1 / 255) + f32(-1.0))
np.save(f"{d}/per_feature.ref.npy",
        x * np.array([0.5, 1.0, 2.0, -1.0, 0.0], "f4") + f32(0.25))
write_h5(f"{d}/bad_rescaling.h5", functional(
    [inp("x", 5), layer("Rescaling", "r", ["x"], scale="1/255")], ["x"], ["r"]),
    {"x": [], "r": []})


# The other layouts of the same models: a tf.keras 2.15 .keras archive,
# and weights + JSON (these layers have no weights: an empty weights file).
for name in ("merges", "relus", "rescaling"):
    import h5py
    with h5py.File(f"{d}/{name}.h5", "r") as f:
        config = json.loads(f.attrs["model_config"])
        weights = f["model_weights"]
        with h5py.File(f"{d}/{name}.weights.h5", "w") as out:
            for key, value in weights.attrs.items():
                out.attrs[key] = value
            for layer_name in weights:
                weights.copy(layer_name, out)
    write_keras3(f"{d}/{name}.keras", config, [], keras_version="2.15.0")
    with open(f"{d}/{name}.json", "w") as out:
        json.dump(config, out)
