jax.jvp(loss_fn, optimizer.target, optimizer.target)
