import jax as J
import jax.numpy as jnp

def h(x):
    return jnp.array(
        [
            [9 * x**2 * jnp.log(x)],
            [10 * x]
        ]
    )

jc = J.jacobian(h)
jc(1.)

def g(x):
    return jnp.array(
        [
            # exp is e
            # https://numpy.org/doc/stable/reference/generated/numpy.exp.html
            [jnp.exp(-8 * x[0] + 6)],
            [(1. / 3.) * jnp.exp(10 * x[1])],
            [3 * x[0] * 9 * x[1]]
        ]
    )

d_g = J.jacobian(g)

x = jnp.array([1., 2.])
d_g(x)
