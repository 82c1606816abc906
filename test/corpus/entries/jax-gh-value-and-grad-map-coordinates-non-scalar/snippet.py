import jax
import jax.numpy as jnp
import functools
from jax.experimental.maps import xmap


def grid_sample(img, coords):
  return xmap(
      functools.partial(
          jax.scipy.ndimage.map_coordinates,
          order=1,
      ),
      in_axes=[['b', ...], ['b', ...]],
      out_axes=['b', ...],
  )(img, coords)

loss_and_grad_fn = jax.value_and_grad(grid_sample)

print(grid_sample(jnp.zeros((2, 5, 5)), jnp.zeros((2, 2, 2))))

loss_and_grad_fn(jnp.zeros((2, 5, 5)), jnp.zeros((2, 2, 2)))
