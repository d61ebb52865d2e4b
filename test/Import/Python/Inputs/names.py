# Argument names that look like the front end's own value names (v1, v2).
import tensorflow as tf

class M(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(4)

    def call(self, v1):
        return self.dense(v1) + v1[:, 0:4]

model = M()

@tf.function
def entry(v2):
    return model(v2)

entry(tf.ones((2, 8)))
