y = jnp.where(x > 0, jnp.log(x), 0)
