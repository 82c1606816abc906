from collections.abc import Callable

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array

from flowjax.bijections.bijection import AbstractBijection


class NumericalInverse(AbstractBijection):
    """Bijection wrapper to provide inverse methods using e.g. root finding.

    Args:
        bijection: The bijection to add an inverse to.
        inverter: Callable implementing the numerical inversion method. Should accept
            the bijection, y and condition as arguments, and return the inverse.
    """

    bijection: AbstractBijection
    inverter: Callable[[AbstractBijection, Array, Array | None], Array]
    shape: tuple[int, ...]
    cond_shape: tuple[int, ...] | None

    def __init__(
        self,
        bijection: AbstractBijection,
        inverter: Callable[[AbstractBijection, Array, Array | None], Array],
    ):
        self.bijection = bijection
        self.inverter = inverter
        self.shape = self.bijection.shape
        self.cond_shape = self.bijection.cond_shape

    def transform_and_log_det(self, x, condition=None):
        return self.bijection.transform_and_log_det(x, condition)

    def inverse_and_log_det(self, y, condition=None):
        x = self.inverter(self.bijection, y, condition)
        _, log_det = self.bijection.transform_and_log_det(x, condition)
        return x, -log_det
