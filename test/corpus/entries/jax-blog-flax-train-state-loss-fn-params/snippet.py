state = train_state.TrainState.create(apply_fn=model.apply, params=params, tx=tx)

def loss_fn(params):
    preds = state.apply_fn({"params": params}, x).reshape(-1)
    return jnp.mean((preds - y) ** 2)

grads = jax.grad(loss_fn)(state.params)
state = state.apply_gradients(grads=grads)   # step is now 1
loss_after = loss_fn(state.params)
