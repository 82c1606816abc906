with tf.GradientTape(True) as g:
  g.watch(x)
  with tf.GradientTape() as gg:
    gg.watch(x)
    y = f(x)
  dy_dx = gg.gradient(y, x)
d2y_dx2 = g.jacobian(y, x) # here some filtering is requires to get only the diagonal elements
