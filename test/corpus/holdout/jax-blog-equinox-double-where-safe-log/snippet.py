safe_x = jnp.where(x > 0, x, 1)
y = jnp.where(x > 0, jnp.log(safe_x), 0)
