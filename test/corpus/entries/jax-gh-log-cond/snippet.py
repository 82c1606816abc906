def my_log_cond(x):
  return lax.cond(x > 0., lambda _: jnp.log(x), lambda _: 0., None)

jax.grad(my_log_cond)(0.)
jax.vmap(jax.grad(my_log_cond))(jnp.array([1., 0.]))
