from typing import Callable

import jax
import jax.numpy as jnp
import jax.tree_util as jtu


@jtu.register_pytree_node_class
class DualPotentials:
  ...

  @property
  def _grad_h_inv(self) -> Callable[[jnp.ndarray], jnp.ndarray]:
    from ott.geometry import costs

    assert isinstance(self.cost_fn, costs.TICost), (
        "Cost must be a `TICost` and "
        "provide access to Legendre transform of `h`."
    )
    return jax.vmap(jax.grad(self.cost_fn.h_legendre))
