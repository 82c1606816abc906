import jax
import jax.numpy as jnp
print(
    jax.grad(jnp.std)(
        jnp.array([1, 1], dtype=jnp.float64)
    )
)
# DeviceArray([nan, nan], dtype=float64)
