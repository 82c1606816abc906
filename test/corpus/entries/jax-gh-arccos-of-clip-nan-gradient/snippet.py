def f(x):
  return jnp.arccos(jnp.clip(x, -1, 1))
jax.grad(f)(10.0)
