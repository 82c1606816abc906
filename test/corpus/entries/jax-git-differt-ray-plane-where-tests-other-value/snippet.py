from functools import partial

import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from differt.utils import dot


@partial(jax.jit, inline=True)
def intersection_of_rays_with_planes(
    ray_origins: Float[ArrayLike, "*#batch 3"],
    ray_directions: Float[ArrayLike, "*#batch 3"],
    plane_vertices: Float[ArrayLike, "*#batch 3"],
    plane_normals: Float[ArrayLike, "*#batch 3"],
) -> Float[Array, "*batch 3"]:
    ray_origins = jnp.asarray(ray_origins)
    ray_directions = jnp.asarray(ray_directions)
    plane_vertices = jnp.asarray(plane_vertices)
    plane_normals = jnp.asarray(plane_normals)

    # [*batch 3]
    u = ray_directions
    v = plane_vertices - ray_origins
    # [*batch 1]
    un = dot(u, plane_normals, keepdims=True)
    # [*batch 1]
    vn = dot(v, plane_normals, keepdims=True)

    t = vn / jnp.where(vn == 0.0, 1.0, un)
    return ray_origins + ray_directions * jnp.where(u == 0.0, 1.0, t)
