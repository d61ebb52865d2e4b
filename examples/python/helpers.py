# Helpers are converted where they are called, as AutoGraph converts callees:
# a method (self.mix), a function of the file (gate), and model.predict on a
# class that only defines call (Keras's predict runs call).
import tensorflow as tf


def gate(x, y):
    return tf.sigmoid(x) * y


class Gated(tf.keras.Model):
    def __init__(self, width=6):
        super().__init__()
        self.value = tf.keras.layers.Dense(width)
        self.gate = tf.keras.layers.Dense(width)
        self.out = tf.keras.layers.Dense(2, activation="softmax")

    def mix(self, x):
        return gate(self.gate(x), self.value(x))

    def call(self, inputs):
        rows = []
        for i in range(inputs.shape[0]):
            rows.append(self.mix(inputs[i:i + 1]))
        return self.out(tf.stack(rows, axis=0))


gated = Gated()


@tf.function
def gated_predict(inputs):
    return gated.predict(inputs)


print(gated_predict(tf.zeros((4, 5))))
