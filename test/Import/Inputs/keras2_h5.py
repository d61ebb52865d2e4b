"""Writes Keras 2's .h5 layout with h5py, for the test generators here."""

import json

import h5py


def sequential(layers, name="sequential"):
    """A Keras 2 Sequential config of `layers` (layer configs)."""
    return {"class_name": "Sequential",
            "config": {"name": name, "layers": layers}}


def write_h5(path, config, weights, keras_version="2.13.1"):
    """Keras 2's layout (model.save, Keras 2.13): the config as an
    attribute, weights: {layer: [(weight_name, array), ...]} in Keras's
    order."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = keras_version
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config)
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = list(weights)
        for layer, ws in weights.items():
            g = mw.create_group(layer)
            g.attrs["weight_names"] = [n for n, _ in ws]
            for n, a in ws:
                g.create_dataset(n, data=a)
