# A Dense layer then two BatchNormalization layers, one without center and
# scale: weights keys gamma, beta, moving_mean, moving_variance.
import tensorflow as tf


class Normed(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(4)
        self.norm = tf.keras.layers.BatchNormalization(epsilon=0.01)
        self.plain = tf.keras.layers.BatchNormalization(-1, 0.9, 0.5, False, False)

    def call(self, inputs):
        return self.plain(self.norm(self.dense(inputs)))


model = Normed()


@tf.function
def entry(inputs):
    return model(inputs)


entry(tf.ones((2, 3)))
