import jax
import jax.numpy as jnp

# Example: Integer casting leads to zero gradient
def cast_and_square(x):
    y = x.astype(jnp.int32)
    return (y * y).astype(jnp.float32)
