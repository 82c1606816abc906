with tf.GradientTape() as tape1:
    with tf.GradientTape() as tape2:
        y = some_function(x)
    dy_dx = tape2.gradient(y, x)
d2y_dx2 = tape1.gradient(dy_dx, x)
