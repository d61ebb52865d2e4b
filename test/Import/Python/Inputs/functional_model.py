# A Functional model built in source: its layers in the order of its graph.
import tensorflow as tf

x = tf.keras.Input(shape=(4,))
h = tf.keras.layers.Dense(8)(x)
model = tf.keras.Model(x, tf.keras.layers.Dense(2)(h))


@tf.function
def f(a):
    return model(a)


f(tf.zeros((2, 4)))
