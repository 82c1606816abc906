import jax.numpy as np

@jax.custom_jvp
def f(x, y):
  return np.sin(x) * y

@f.defjvp
def f_jvp(primals, tangents):
  x, y = primals
  x_dot, y_dot = tangents
  primal_out = f(x, y)
  tangent_out = np.cos(x) * x_dot * y - np.sin(x) * y_dot
  return primal_out, tangent_out
