@jax.jit
def loss_fn(params, state, inputs, labels):
    logits = state.apply_fn({'params': params},
                            inputs, get_logits=True)
    loss = optax.softmax_cross_entropy(logits, labels).mean()
    return loss

@jax.jit
def train_step(state, inputs, labels):
    loss, grads = jax.value_and_grad(loss_fn)(
        state.params, state, inputs, labels)
    new_state = state.apply_gradients(grads=grads)
    return new_state, loss
