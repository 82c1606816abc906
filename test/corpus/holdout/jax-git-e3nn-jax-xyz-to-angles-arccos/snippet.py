import jax.numpy as jnp


def xyz_to_angles(xyz):
    xyz = _normalize(xyz)
    xyz = jnp.clip(xyz, -1, 1)

    beta = jnp.arccos(xyz[..., 1])
    alpha = jnp.arctan2(xyz[..., 0], xyz[..., 2])
    return alpha, beta
