# A subclassed model holding lists, a dict, models of the file, a
# Sequential, a model of the module and a private attribute: the weights
# files Keras 3 and Keras 2 write for it key them differently
# (keras_nested_weights.py writes both).
import tensorflow as tf
from tensorflow import keras


class Stem(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(7, activation="relu")

    def call(self, x):
        return self.d(x)


class Block(keras.Model):
    def __init__(self, n):
        super().__init__()
        self.norm = keras.layers.BatchNormalization()
        self.d = keras.layers.Dense(n, activation="relu")

    def call(self, x):
        return self.d(self.norm(x))


class Net(keras.Model):
    def __init__(self, stem):
        super().__init__()
        self.stem = stem
        # Used in training only: a Keras file has its weights all the same.
        self.aux = keras.layers.Dense(9)
        self.blocks = [keras.layers.Dense(8, activation="tanh"),
                       keras.layers.Dropout(0.5),
                       keras.layers.Dense(6)]
        self.heads = {"b": keras.layers.Dense(3), "a": keras.layers.Dense(2)}
        self.enc = Block(5)
        self.seq = keras.Sequential([keras.layers.Dense(4, activation="relu"),
                                     keras.layers.Dense(4)])
        self._out = keras.layers.Dense(1)

    def call(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = b(x)
        x = tf.concat([self.heads["b"](x), self.heads["a"](x)], axis=1)
        x = self.enc(x)
        x = self.seq(x)
        return self._out(x)


stem = Stem()
net = Net(stem)


@tf.function
def predict(x):
    return net(x)


predict(tf.zeros((2, 5)))
