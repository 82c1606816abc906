optim = optax.adam(learning_rate)
optim.init(model)
