import jax.numpy as jnp
from jax import jit


@jit
def ellipticity2phi_q(e1, e2):
    phi = jnp.arctan2(e2, e1) / 2
    c = jnp.sqrt(e1**2 + e2**2)
    c = jnp.minimum(c, 0.9999)
    q = (1 - c) / (1 + c)
    return phi, q


@jit
def transform_e1e2_product_average(x, y, e1, e2, center_x, center_y):
    phi_g, q = ellipticity2phi_q(e1, e2)
    x_shift = x - center_x
    y_shift = y - center_y

    cos_phi = jnp.cos(phi_g)
    sin_phi = jnp.sin(phi_g)

    xt1 = cos_phi * x_shift + sin_phi * y_shift
    xt2 = -sin_phi * x_shift + cos_phi * y_shift
    return xt1 * jnp.sqrt(q), xt2 / jnp.sqrt(q)
