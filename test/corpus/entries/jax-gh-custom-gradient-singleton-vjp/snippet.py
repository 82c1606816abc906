@jax.custom_gradient
def f(x):
  return x ** 2., lambda g: g * x
