from collections.abc import Callable
from jaxtyping import Array
from typing import Any

import jax
import jax.numpy as jnp
import plum

import quaxed.numpy as qnp
import unxt as u
import unxts.linalg as ul

import coordinaxs.api.charts as cxcapi
from .d2 import Cart2D, Polar2D
from coordinax._src.base import AbstractChart
from coordinax._src.custom_types import OptUSys
from coordinax.internal import tree_cast_int_bool_to_float
from coordinaxs.api.custom_types import CDict


@plum.dispatch
def jac_pt_map(
    at: CDict,
    from_chart: AbstractChart,
    to_chart: AbstractChart,
    /,
    *,
    usys: OptUSys = None,
) -> Array | ul.QuantityMatrix:
    r"""Compute the Jacobian at a coordinate-dictionary base point."""
    # Determine whether the input is array-valued or quantity-valued.  If it's
    # array-valued, we can skip the packing and unit handling and directly
    # compute the Jacobian as an array.
    at = from_chart.check_data(at, keys=True)
    is_array = not any(hasattr(v, "unit") for v in at.values())
    if is_array:
        at_arr = jnp.stack([at[k] for k in from_chart.components], axis=-1)
        return cxcapi.jac_pt_map(at_arr, from_chart, to_chart, usys=usys)  # ty: ignore[invalid-return-type]

    # It's Quantity-valued.
    # Prepare the Jacobian of the point-map function w.r.t. the base point.
    # Close over the args/kwargs to construct the point-map function once.
    pt_map_fn = cxcapi.pt_map(None, from_chart, to_chart, usys=usys)
    jac_pt_map_fn = jax.jacfwd(pt_map_fn)

    # Pack the input CDict to a QuantityMatrix
    at_in = cxcapi.carray(at, from_chart.components)
    at_in = tree_cast_int_bool_to_float(at_in)

    # Compute Jacobian as QuantityMatrix
    J_qq = jac_pt_map_fn(at_in)
    return _repack_q_from_jac(J_qq)
