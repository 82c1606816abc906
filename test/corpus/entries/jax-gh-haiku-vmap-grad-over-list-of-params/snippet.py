def loss_fn(param, inp, target):
  pred = model.apply(param, inp)
  loss = cross_entropy_loss(pred, target)
  return loss

vmap_grads = jax.vmap(jax.value_and_grad(loss_fn), in_axes=(0, 0, 0))
loss, grads = vmap_grads(params, inp, target)
