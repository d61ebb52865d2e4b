"""Writes Keras 2's .h5 layout with h5py, for the test generators here."""

import json

import h5py


def sequential(layers, name="sequential"):
    """A Keras 2 Sequential config of `layers` (layer configs)."""
    return {"class_name": "Sequential",
            "config": {"name": name, "layers": layers}}


def inp(name, shape):
    """A Keras 2 Functional InputLayer of batch shape (None, *shape)."""
    return {"class_name": "InputLayer", "name": name,
            "config": {"name": name, "batch_input_shape": [None, *shape]},
            "inbound_nodes": []}


def layer(cls, name, inputs, **config):
    """A Keras 2 Functional layer called once on the layers `inputs`."""
    return {"class_name": cls, "name": name,
            "config": dict(name=name, trainable=True, dtype="float32", **config),
            "inbound_nodes": [[[i, 0, 0, {}] for i in inputs]]}


def functional(layers, inputs, outputs):
    """A Keras 2 Functional config of `layers`, inputs and outputs by name."""
    return {"class_name": "Functional", "config": {
        "name": "f", "layers": layers,
        "input_layers": [[i, 0, 0] for i in inputs],
        "output_layers": [[o, 0, 0] for o in outputs]}}


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


def write_keras3(path, config, groups, keras_version="3.8.0"):
    """Keras 3's .keras archive: config.json, metadata.json and
    model.weights.h5, whose groups are given as [(group, [arrays...])] with
    the arrays in the order the layer's build() creates them."""
    import zipfile

    weights = f"{path}.weights.h5"
    with h5py.File(weights, "w") as f:
        layers = f.create_group("layers")
        for group, arrays in groups:
            vars_ = layers.create_group(group).create_group("vars")
            for i, a in enumerate(arrays):
                vars_.create_dataset(str(i), data=a)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": keras_version}))
        z.writestr("config.json", json.dumps(config))
        z.write(weights, "model.weights.h5")
