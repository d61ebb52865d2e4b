# Numbers against tensors, tf.maximum/minimum/matmul, ** and @, tf.constant
# inside converted code, integer arithmetic on a shape.
import tensorflow as tf

class Arithmetic(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(4)
        self.w = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])

    def call(self, inputs):
        x = self.dense(inputs) * 0.5 + 1
        y = tf.maximum(x, tf.minimum(x, x)) ** 2
        n = inputs.shape[0] + 1
        return tf.matmul(y - 2, self.w) @ tf.constant([[1.0], [2.0]]) / 3

model = Arithmetic()


@tf.function
def entry(inputs):
    return model(inputs)


entry(tf.ones((2, 3)))
