def my_log_where(x):
  return jnp.where(x > 0., jnp.log(x), 0.)

jax.grad(my_log_where)(0.)
jax.vmap(jax.grad(my_log_where))(jnp.array([1., 0.]))
