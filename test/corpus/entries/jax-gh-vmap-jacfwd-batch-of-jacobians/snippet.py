jax.vmap(jax.jacfwd(fn))(x)

jax.vmap(jax.vmap(jax.jacfwd(fn)))(x)
