import jax
import jax.numpy as jnp


def _kl_divergence_categorical_categorical(
    dist1: CategoricalLike,
    dist2: CategoricalLike,
    *unused_args, **unused_kwargs,
    ) -> Array:
  logits1 = dist1.logits_parameter()
  logits2 = dist2.logits_parameter()
  num_categories1 = logits1.shape[-1]
  num_categories2 = logits2.shape[-1]

  if num_categories1 != num_categories2:
    raise ValueError(
        f'Cannot obtain the KL between two Categorical distributions '
        f'with different number of categories: the first distribution has '
        f'{num_categories1} categories, while the second distribution has '
        f'{num_categories2} categories.')

  # pylint: disable=protected-access
  if dist1._probs is None:
    probs1 = jax.nn.softmax(logits1, axis=-1)
  else:
    probs1 = dist1.probs

  log_probs1 = jax.nn.log_softmax(logits1, axis=-1)
  log_probs2 = jax.nn.log_softmax(logits2, axis=-1)

  # The KL is a sum over the support of `dist1`, that is, over the components of
  # `dist1` that have non-zero probability. So we exclude terms with
  # `probs1 == 0` by setting them to zero in the sum below.
  return jnp.sum(
      jnp.where(probs1 == 0, 0., probs1 * (log_probs1 - log_probs2)), axis=-1)
