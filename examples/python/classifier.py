# Our version of the seed's first program: a subclassed Keras model whose
# call() chains two Dense layers, compiled through a @tf.function.
import tensorflow as tf
from tensorflow import keras


class Classifier(keras.Model):
    def __init__(self, hidden=32, classes=3):
        super().__init__()
        self.hidden = keras.layers.Dense(units=hidden, activation="relu")
        self.scores = keras.layers.Dense(classes, activation="softmax")

    def call(self, features):
        h = self.hidden(features)
        return self.scores(h)


classifier = Classifier(hidden=16)


@tf.function
def classify(features):
    return classifier(features)


example = tf.random.uniform((2, 12))
print(classify(example))
