@eqx.filter_value_and_grad
def grad_loss(model, ti, yi):
    # yi : (batch_num, L=length * length_size, data size)
    # ti : (L,)
    # approximate the probability

    # Sample M
    p_pred = jax.vmap(calc_prob, in_axes=(None,0))(ti,yi) # along batch_num
    return jnp.sum( p_pred ) # negative log likelihood
