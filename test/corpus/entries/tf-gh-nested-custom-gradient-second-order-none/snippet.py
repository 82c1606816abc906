@tf.custom_gradient
def op(x):
  @tf.custom_gradient
  def grad(dy):
    def grad2(dx, ddy):
      print('This will not be executed')
      return 1, 1 # I return a second-order gradient wrt to x and a gradient wrt to dy
    return dy*5, grad2
  return x*5, grad

x = tf.random.normal((1,))
with tf.GradientTape() as tape:
  tape.watch(x)
  with tf.GradientTape() as tape2:
    tape2.watch(x)
    y = op(x)
  dydx = tape2.gradient(y, x)
d2ydx2 = tape.gradient(dydx, x)
