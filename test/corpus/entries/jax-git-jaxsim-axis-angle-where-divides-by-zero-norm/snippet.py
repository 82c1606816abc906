import jax.numpy as jnp
import jaxlie

import jaxsim.typing as jtp

from .skew import Skew
from .utils import safe_norm


class Rotation:

    @staticmethod
    def from_axis_angle(vector: jtp.Vector) -> jtp.Matrix:
        vector = vector.squeeze()

        def theta_is_not_zero(axis: jtp.Vector) -> jtp.Matrix:

            v = axis
            theta = safe_norm(v)

            s = jnp.sin(theta)
            c = jnp.cos(theta)

            c1 = 2 * jnp.sin(theta / 2.0) ** 2

            u = v / theta
            u = jnp.vstack(u.squeeze())

            R = c * jnp.eye(3) - s * Skew.wedge(u) + c1 * u @ u.T

            return R.transpose()

        return jnp.where(
            jnp.allclose(vector, 0.0),
            # Return an identity rotation matrix when the input vector is zero.
            jnp.eye(3),
            theta_is_not_zero(axis=vector),
        )
