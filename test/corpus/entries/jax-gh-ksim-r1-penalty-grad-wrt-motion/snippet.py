def _grad_penalty(
    self,
    disc_model: PyTree,
    real_motions: PyTree,  # (B, T, ...)
    rng: PRNGKeyArray,
) -> Array:
    """R1 gradient penalty  (w.r.t. the *input* features)."""

    def disc_on_motion(motion: PyTree, key: PRNGKeyArray) -> Array:
        return self.call_discriminator(disc_model, motion, key).sum()

    grad_fn = jax.grad(disc_on_motion, argnums=0)
