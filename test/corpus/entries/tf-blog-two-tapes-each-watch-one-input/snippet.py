x = tf.constant(2.0)
y = tf.constant(3.0)

with tf.GradientTape() as t1, tf.GradientTape() as t2:
    t1.watch(x)
    t2.watch(y)
    z = tf.multiply(x, y)

grad_dz_dx = t1.gradient(z, x)
grad_dz_dy = t2.gradient(z, y)
print(grad_dz_dx)
print(grad_dz_dy)
