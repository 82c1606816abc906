x = tf.constant(100.)
y = log1pexp(x)
dy_dx = tf.GradientTape(y, x) # Will be NaN when evaluated.
