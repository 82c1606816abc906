x = tf.constant(2.0)
y = tf.constant(3.0)

with tf.GradientTape() as t:
    t.watch(x)
    t.watch(y)
    z = tf.multiply(x, y)

grad_dz_dx = t.gradient(z, x)
grad_dz_dy = t.gradient(z, y)
print(grad_dz_dx)
print(grad_dz_dy)
