import tensorflow as tf

x0 = tf.get_variable('x0', shape=(), dtype=tf.float32)
x1 = tf.constant(3.)
x = x0 + x1
# x = tf.constant(3.0)
y = tf.constant(4.0)
with tf.GradientTape() as tape:
    z = x + y
    tape_grad = tape.gradient(z, x)
    print(tape_grad)  # None
tf_grad, = tf.gradients(z, x)
