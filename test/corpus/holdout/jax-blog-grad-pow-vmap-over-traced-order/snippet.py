def grad_pow(f, order, argnum):
    for i in jnp.arange(order):
        f = grad(f, argnum)
    return f
jax.vmap(grad_pow, in_axes=(None, 0, None))(f, jnp.array([1, 2, 3]), 0)
