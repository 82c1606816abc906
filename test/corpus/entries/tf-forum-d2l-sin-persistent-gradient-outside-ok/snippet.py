x = tf.range(-4, 4, 0.01)

with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    y = tf.sin(x)
dy_dx = t.gradient(y, x)

plot(x, [y, dy_dx], 'x', 'y', legend=['y=sin(x)', 'y=sin\'(x)'])
