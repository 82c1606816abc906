"""
Coordinate functionality in cryojax.
"""

from abc import abstractmethod
from typing import Any, Optional
from typing_extensions import Self

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from equinox import AbstractVar
from jaxtyping import Array, Float

from ..typing import (
    Image,
    ImageCoords,
    PointCloudCoords2D,
    PointCloudCoords3D,
    VolumeCoords,
    VolumeSliceCoords,
)


class AbstractCoordinates(eqx.Module, strict=True):
    """
    A base class that wraps a coordinate array.
    """

    array: AbstractVar[Any]

    @abstractmethod
    def get(self) -> Any:
        """Get the coordinates."""
        raise NotImplementedError

    def __mul__(
        self, real_number: float | Float[np.ndarray, ""] | Float[Array, ""]
    ) -> Self:
        # The following line seems to be required for differentiability with
        # respect to arr
        rescaled_array = jnp.where(
            self.array != 0.0, self.array * jnp.asarray(real_number), 0.0
        )
        return eqx.tree_at(lambda x: x.array, self, rescaled_array)

    def __rmul__(
        self, real_number: float | Float[np.ndarray, ""] | Float[Array, ""]
    ) -> Self:
        rescaled_array = jnp.where(
            self.array != 0.0, jnp.asarray(real_number) * self.array, 0.0
        )
        return eqx.tree_at(lambda x: x.array, self, rescaled_array)

    def __truediv__(
        self, real_number: float | Float[np.ndarray, ""] | Float[Array, ""]
    ) -> Self:
        rescaled_array = jnp.where(
            self.array != 0.0, self.array / jnp.asarray(real_number), 0.0
        )
        return eqx.tree_at(lambda x: x.array, self, rescaled_array)


class FrequencyGrid(AbstractCoordinates, strict=True):
    """
    A Pytree that wraps a frequency grid.
    """

    array: ImageCoords | VolumeCoords = eqx.field(converter=jnp.asarray)

    def __init__(
        self,
        shape: tuple[int, ...],
        grid_spacing: float | Float[np.ndarray, ""] = 1.0,
        half_space: bool = True,
    ):
        self.array = make_frequencies(shape, grid_spacing, half_space=half_space)

    def get(self) -> ImageCoords | VolumeCoords:
        return jax.lax.stop_gradient(self.array)
