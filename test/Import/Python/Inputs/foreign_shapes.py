# Layers after rewritable foreign calls: the front end knows their result
# widths from predict's registry (convolve "full" widens 10 -> 11), numbers
# are call arguments, and a running average carries a value through a loop
# of foreign calls. The convolution kernel's flip must not be fused into the
# tiles of the dense layer that follows (it was, wrongly).
import numpy as np
import tensorflow as tf
from scipy import signal, special


class AfterForeign(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.kernel = tf.constant([[-0.8, 0.05]])
        self.dense = tf.keras.layers.Dense(9, activation="swish")
        self.out = tf.keras.layers.Dense(3)

    def block(self, v):
        v = signal.convolve(v, self.kernel, mode="full")
        v = np.clip(self.dense(v), -0.5, 0.75)
        return special.softmax(self.out(v), axis=1)

    def call(self, x):
        acc = self.block(x[0:1])
        for r in range(1, x.shape[0]):
            acc = acc * 0.5 + self.block(x[r:r + 1])
        return tf.maximum(acc, 0.1) + self.block(x)[0:1]


model = AfterForeign()


@tf.function
def entry(x):
    return model(x)


entry(tf.ones((3, 10)))
