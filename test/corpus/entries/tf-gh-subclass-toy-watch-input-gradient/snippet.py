class Toy(tf.keras.Model):
    def call(self, x):
        return x * x

toy = Toy()

x = tf.constant([2.0, 1.0], dtype=tf.float64)
with tf.GradientTape() as tape:
    # Remember to watch non-variable tensor
    tape.watch(x)
    y = toy(x)
print(tape.gradient(y, x))
