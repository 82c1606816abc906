def ODE_loss(t,y1,y2):

    y1_t=lambda t:jax.grad(lambda t:jnp.sum(y1(t)))(t)
    y2_t=lambda t:jax.grad(lambda t:jnp.sum(y2(t)))(t)

    return y1_t(t) - y1(t)  , y2_t(t) - y1(t) + y2(t)
