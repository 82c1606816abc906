from jax import random
import jax.numpy as jnp
from jax import grad


def brownian(energy_fn,
            dt: float, 
            kBT: float,
            D: float):

    force_fn = grad(energy_fn)

    def bdstep(t, state):

        r_coords, key = state
        key, split = random.split(key)

        F = force_fn(r_coords)
        xi = random.normal(split, r_coords.shape, r_coords.dtype)

        dr = F*dt*kBT/D + jnp.sqrt(2*D*dt)*xi
        r_coords += dr

        return (r_coords, key)
    
    return bdstep 
