# Two models of one class, both called: a Keras weights file is one model's.
import tensorflow as tf


class A(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(3)

    def call(self, x):
        return self.d(x)


a = A()
b = A()


@tf.function
def f(x):
    return a(x) + b(x)


f(tf.zeros((1, 2)))
