jax.grad(loss_fn(w, b, x))
