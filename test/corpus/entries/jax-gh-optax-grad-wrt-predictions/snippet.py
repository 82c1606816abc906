def loss(preds, targets):
    out = jnp.mean((preds - targets)**2)
    return out

opt = optax.adam(learning_rate=0.003) 
opt_state = opt.init(params)

...

grads = jax.grad(loss)(preds, y)
updates, opt_state = opt.update(grads, opt_state)   # <--- Error here !
