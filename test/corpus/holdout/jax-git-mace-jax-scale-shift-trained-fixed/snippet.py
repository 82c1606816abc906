import flax.linen as fnn
import jax
import jax.numpy as jnp


class ScaleShiftBlock(fnn.Module):
    scale: float | jnp.ndarray
    shift: float | jnp.ndarray

    @fnn.compact
    def __call__(self, x: jnp.ndarray, head: jnp.ndarray) -> jnp.ndarray:
        scale_init = jnp.asarray(self.scale, dtype=default_dtype())
        shift_init = jnp.asarray(self.shift, dtype=default_dtype())

        scale = self.param('scale', lambda rng: scale_init)
        shift = self.param('shift', lambda rng: shift_init)

        # Match Torch behaviour (buffers) by keeping scale/shift constants during training.
        scale = jax.lax.stop_gradient(scale)
        shift = jax.lax.stop_gradient(shift)

        scale_h = jnp.atleast_1d(scale)[head]
        shift_h = jnp.atleast_1d(shift)[head]
        return scale_h * x + shift_h
