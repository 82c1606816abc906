def loss_fn(model, batch):
  return jnp.square(model * batch)

model = 3.
per_example_grad_fn = jax.vmap(jax.grad(loss_fn), in_axes=(None, 0))
per_example_grad_fn(model, jnp.ones((3,)))
