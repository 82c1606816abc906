import jax
import jax.numpy as jnp
from jax import grad
from jax.config import config
config.update("jax_debug_nans", True)

def normalize(x: jnp.ndarray, axis: int, eps: float = 1e-12) -> jnp.ndarray:
    norm = jnp.sum(x * x, axis=axis, keepdims=True)
    # if the norm is close to zero
    # normalization should not be applied
    # the gradient should be the same as identify map
    norm = jnp.where(
        condition=norm < eps,
        x=1.0,
        y=norm,
    )
    norm = jnp.sqrt(norm)
    return x / norm
