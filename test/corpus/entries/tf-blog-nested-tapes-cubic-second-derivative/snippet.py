x = tf.Variable(4.0)
with tf.GradientTape() as t1:
    with tf.GradientTape() as t2:
        z = x * x * x
    dz_dx = t2.gradient(z, x)
d2z_dx2 = t1.gradient(dz_dx, x)
print("First dz_dx: ",dz_dx)
print("Second d2z_dx2:",d2z_dx2)
