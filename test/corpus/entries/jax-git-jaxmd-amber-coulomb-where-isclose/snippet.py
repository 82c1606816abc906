import jax.numpy as jnp
import jax

from jax_md.reaxff.reaxff_helper import safe_sqrt


def distance(p1v, p2v=None, box=None):
    dR = p1v-p2v
    dv = jnp.mod(dR + box * jnp.float32(0.5), box) - jnp.float32(0.5) * box
    return safe_sqrt(jnp.sum(jnp.power(dv, 2), axis=1))


def coul_get_energy_nb(positions, box, prms):
    charges, pairs, pairs14, scee = prms

    p1 = positions[pairs[:,0]]
    p2 = positions[pairs[:,1]]
    chg1 = charges[pairs[:, 0]]
    chg2 = charges[pairs[:, 1]]
    dist = distance(p1, p2, box)
    dist = jnp.where(jnp.isclose(dist, 0.), 1, dist)

    # constant for 1 / 4 * pi * epsilon
    return jnp.sum(jnp.float32(138.935456) * chg1 * chg2 / dist)
