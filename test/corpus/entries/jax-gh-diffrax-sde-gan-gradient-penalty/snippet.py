# x_hat through interpolation
interps = epsilon * ys_i + (1 - epsilon) * fake_ys_i

# E_D(x_hat)
def loss_x_(discriminator, ys, ts):
    return dis(ts, ys).mean()

# gradient penalty function
def grad_penalty(discriminator, ys, ts):
    loss_grad = jax.grad(loss_x_, argnums=1)(discriminator, ys, ts)
    grad_norm = jnp.sqrt(jnp.sum(loss_grad ** 2))
    return jnp.mean((grad_norm - 1.0) ** 2)

# gradient penalty
gradient_penalty = eqx.filter_grad(grad_penalty)(discriminator, interps, ts_i)
