from jax import jit, grad
import jax.numpy as jnp

def f(x):
  return 2 * x
g = grad(f, has_aux=True)
x = jnp.ones([])
g(x)
