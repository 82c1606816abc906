from typing import Callable, List

import jax.numpy as jnp
from jax import jvp, linearize, vmap

def generator_power(phi: Callable, drift: Callable, dispersion: Callable, order: int = 1) -> List[Callable]:
    r"""Iterations/power of infinitesimal generator."""
    def jac_part(z, f):
        return jvp(f, (z,), (drift(z),))[1]

    def hess_prod_1(z, f, b):
        _, linearized_f = linearize(f, z)
        return vmap(linearized_f, in_axes=1, out_axes=0)(b)

    def hess_prod_2(z, f):
        b = _format_dispersion(dispersion(z))
        _, linearized_f = linearize(lambda zz: hess_prod_1(zz, f, b), z)
        return vmap(linearized_f, in_axes=0, out_axes=1)(b.T)

    gen_power = phi

    list_of_gen_powers = [gen_power]

    for _ in range(order):
        def gen_power(z, f=gen_power):
            return jac_part(z, f) + 0.5 * jnp.einsum("ii...", hess_prod_2(z, f))

        list_of_gen_powers.append(gen_power)

    return list_of_gen_powers

def _format_dispersion(bz):
    ndim = jnp.ndim(bz)
    if ndim == 0:
        return jnp.atleast_2d(bz)
    if ndim == 1:
        return jnp.expand_dims(bz, 1)
    if ndim == 2:
        return bz
    else:
        raise ValueError(f"Dispersion coefficient b(z) must have at most 2 dimensions. {ndim} were passed")
