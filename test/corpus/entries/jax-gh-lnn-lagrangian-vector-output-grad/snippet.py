def get_args():
    return {'input_dim': 4,
           'hidden_dim': 128,
           'output_dim': 4,
           'dataset_size': 3000,
           'learn_rate': 1e-3,
           'batch_size': 100,
           'test_every': 10,
           'num_batches': 500,
           'name': 'dblpend',
           'model': 'baseline_nn',
           'verbose': True,
           'seed': 1,
           'save_dir': '.'}


# replace the lagrangian with a parameteric model
def learned_dynamics(params):
  def dynamics(q, q_t):
    assert q.shape == (2,)
    state = wrap_coords(jnp.concatenate([q, q_t]))
    return nn_forward_fn(params, state)
  return dynamics

@jax.jit
def gln_loss(params, batch, time_step=None):
  state, targets = batch
  preds = jax.vmap(partial(lagrangian_eom, learned_dynamics(params)))(state)
  return jnp.mean((preds - targets) ** 2)
