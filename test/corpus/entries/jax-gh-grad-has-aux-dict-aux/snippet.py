def f(x):
  aux = dict(identity=x, p1=x+1)
  return x ** 2, aux

jax.grad(f, has_aux=True)(3.)
