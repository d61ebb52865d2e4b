# A Bidirectional GRU, an LSTM and a TimeDistributed Dense: Keras 3 saves
# their variables below their own groups (cells, wrapped layers).
import tensorflow as tf


class Tagger(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.bi = tf.keras.layers.Bidirectional(
            tf.keras.layers.GRU(3, return_sequences=True))
        self.lstm = tf.keras.layers.LSTM(2)
        self.td = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2))

    def call(self, x):
        return self.lstm(self.bi(x)), self.td(x)


model = Tagger()


@tf.function
def entry(x):
    return model(x)


entry(tf.ones((2, 5, 4)))
