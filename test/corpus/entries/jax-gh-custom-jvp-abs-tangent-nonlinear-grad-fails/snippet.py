import jax
import jax.numpy as jnp


@jax.custom_jvp
def my_abs(x):
    return jnp.abs(x)


@my_abs.defjvp
def my_abs_jvp(primals, tangents):
    x, = primals
    d, = tangents

    # this should be correct but does not work
    return jnp.abs(x), jnp.where(x > 0, d, jnp.where(x < 0, -d, jnp.abs(d)))

    # this works but is incorrect
    # return jnp.abs(x), jnp.where(x > 0, d, jnp.where(x < 0, -d, 2*d))

    # this does also not work but it is also incorrect
    # return jnp.abs(x), jnp.where(x > 0, d, jnp.where(x < 0, -d, jnp.sin(d)))

