import jax
import jax.numpy as jnp
def f(x):
    a = jnp.full((2, 2), 2) * x
    b = jnp.full((2, 2), 3) * x
    c = jnp.full((2, 2), 4) * x
    return [a, b, c]
da_dx, db_dx, dc_dx = jax.jacobian(f)(1.0)
