import jax.numpy as jnp
from jax import grad

def f(x):
  condition = x < 1
  x_valid = jnp.where(condition, 1, x)
  return jnp.where(condition, x, jnp.sqrt(x_valid))

df = grad(f)
print(df(1e-9))
# 1.0
print(df(0.0))
# 1.0
