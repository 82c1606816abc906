import jax
import jax.numpy as jnp
from jax import grad
from jax.config import config
config.update("jax_debug_nans", True)

def normalize_nan(x: jnp.ndarray, axis: int, eps: float = 1e-12) -> jnp.ndarray:
    norm = jnp.linalg.norm(x, axis=axis, keepdims=True)
    # return norm will raise nan errors too
    return x / norm
