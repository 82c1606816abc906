def imagine(self, policy, start, is_terminal, horizon):
  flatten = lambda x: x.reshape([-1] + list(x.shape[2:]))
  start = {k: flatten(v) for k, v in start.items()}
  start['feat'] = self.rssm.get_feat(start)
  start['action'] = tf.zeros_like(policy(start['feat']).mode())
  seq = {k: [v] for k, v in start.items()}
  for _ in range(horizon):
    action = policy(tf.stop_gradient(seq['feat'][-1])).sample()
    state = self.rssm.img_step({k: v[-1] for k, v in seq.items()}, action)
    feat = self.rssm.get_feat(state)
    for key, value in {**state, 'action': action, 'feat': feat}.items():
      seq[key].append(value)
  seq = {k: tf.stack(v, 0) for k, v in seq.items()}
  if 'discount' in self.heads:
    disc = self.heads['discount'](seq['feat']).mean()
    if is_terminal is not None:
      # Override discount prediction for the first step with the true
      # discount factor from the replay buffer.
      true_first = 1.0 - flatten(is_terminal).astype(disc.dtype)
      true_first *= self.config.discount
      disc = tf.concat([true_first[None], disc[1:]], 0)
  else:
    disc = self.config.discount * tf.ones(seq['feat'].shape[:-1])
  seq['discount'] = disc
  # Shift discount factors because they imply whether the following state
  # will be valid, not whether the current state is valid.
  seq['weight'] = tf.math.cumprod(
      tf.concat([tf.ones_like(disc[:1]), disc[:-1]], 0), 0)
  return seq
