def loss_fn(params):
    logits, new_model_state = apply_fn(
        variables.copy(dict(params=params)), inputs, mutable=['batch_stats'])
    loss = xent_loss(logits, labels)
    return loss, new_model_state

variables, params = variables.pop('params')
(loss, new_model_state), grads = jax.value_and_grad(loss_fn, has_aux=True)(
    params)
updates, new_opt_state = tx_update_fn(grads, opt_state, params)
new_params = optax.apply_updates(params, updates)
new_variables = variables.copy(dict(params=new_params, **new_model_state))
