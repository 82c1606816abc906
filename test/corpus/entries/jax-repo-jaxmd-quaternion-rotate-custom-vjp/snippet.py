import jax
import jax.numpy as jnp


@jax.custom_vjp
def _quaternion_rotate(q: Array, v: Array) -> Array:
  return _quaternion_rotate_raw(q, v)


def _quaternion_rotate_fwd(
  q: Array, v: Array
) -> Tuple[Array, Tuple[Array, Array]]:
  return _quaternion_rotate(q, v), (q, v)


def _quaternion_rotate_bwd(res, g: Array) -> Tuple[Array, Array]:
  q, v = res
  _, vjp_fn = jax.vjp(_quaternion_rotate_raw, q, v)
  dq, dv = vjp_fn(g)
  return dq - (q @ dq) * q, dv


_quaternion_rotate.defvjp(_quaternion_rotate_fwd, _quaternion_rotate_bwd)
