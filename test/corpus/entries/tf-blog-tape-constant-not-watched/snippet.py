import tensorflow as tf

c = tf.constant(3.0)

with tf.GradientTape() as tape:
    y = c ** 2
print(tape.gradient(y, c))   # None — constant not watched
