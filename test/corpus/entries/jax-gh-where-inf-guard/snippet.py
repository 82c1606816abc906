def f(x):
  return jnp.where(x > 0, 0, x * jnp.inf)
jax.grad(f)(1.)
