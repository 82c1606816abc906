import tensorflow as tf
...
x = tf.Variable(3.0)
...
with tf.GradientTape(persistent=True) as tape1:
    with tf.GradientTape() as tape2:
        y = x**2
    dy_dx = tape1.gradient(y, x)
    dy_d2x = tape2.gradient(dy_dx, x)
