@tf.custom_gradient
def grad(x, dy):
  def grad2(dx2):
    print('This is executed')
    return 1, 2 # the first gradient is wrt to x, the second one wrt to dy
  return 5, grad2

@tf.custom_gradient
def op(x):
  return x*5, lambda dy: grad(x, dy)

x = tf.random.normal((1,))
with tf.GradientTape() as tape:
  tape.watch(x)
  with tf.GradientTape() as tape2:
    tape2.watch(x)
    y = op(x)
  dydx = tape2.gradient(y, x)
d2ydx2 = tape.gradient(dydx, x)
