import jax


@jax.custom_vjp
def _scale_gradient(
    inputs: base.ArrayTree, scale: jax.typing.ArrayLike) -> base.ArrayTree:
  """Internal gradient scaling implementation."""
  del scale  # Only used for the backward pass defined in _scale_gradient_bwd.
  return inputs


def _scale_gradient_fwd(
    inputs: base.ArrayTree, scale: jax.typing.ArrayLike
) -> tuple[base.ArrayTree, jax.typing.ArrayLike]:
  return _scale_gradient(inputs, scale), scale


def _scale_gradient_bwd(
    scale: jax.typing.ArrayLike, g: base.ArrayTree
) -> tuple[base.ArrayTree, None]:
  return (jax.tree.map(lambda g_: g_ * scale, g), None)


_scale_gradient.defvjp(_scale_gradient_fwd, _scale_gradient_bwd)
