# Our version of the seed's third program: the model's output goes through
# scipy and numpy. By default predict names each foreign call at its line;
# with --foreign=rewrite both become native code (the kernel has the
# input's rank, as scipy requires).
import numpy as np
import tensorflow as tf
from scipy.signal import convolve


class Smoother(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(10, activation="softmax")
        self.kernel = tf.constant([[0.25, 0.5, 0.25]])

    def predict(self, inputs):
        x = self.dense(inputs)
        smooth = convolve(x, self.kernel, mode="same")
        return np.tanh(smooth)


model = Smoother()


@tf.function
def smooth_predict(inputs):
    return model.predict(inputs)


try:
    print(smooth_predict(tf.random.normal((1, 20))))
except Exception as e:
    print(f"Error: {e}")
