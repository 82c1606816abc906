import jax as J
import jax.numpy as jnp

def h(x):
    return jnp.array(
        [
            [9 * x**2 * jnp.log(x)],
            [10 * x]
        ]
    )

h(1.)

d_h = J.grad(h)
d_h(1.)
