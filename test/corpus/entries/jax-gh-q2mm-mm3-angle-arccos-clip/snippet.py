from q2mm.constants import (
    MM3_ANGLE_C3,
    MM3_ANGLE_C4,
    MM3_ANGLE_C5,
    MM3_ANGLE_C6,
)

from q2mm.backends.mm._jax_common import (
    jax,
    jnp,
)


def _safe_arccos(x: jnp.ndarray) -> jnp.ndarray:
    """Arccos clipped to (-1, 1) to avoid NaN gradients at boundaries.

    Args:
        x: Input array of cosine values.

    Returns:
        jnp.ndarray: Angle values in radians.

    """
    return jnp.arccos(jnp.clip(x, -1.0 + 1e-7, 1.0 - 1e-7))


def _safe_norm_keepdims(x: jnp.ndarray, axis: int = -1) -> jnp.ndarray:
    """Norm with keepdims for broadcasting."""
    return jnp.sqrt(jnp.maximum(jnp.sum(x**2, axis=axis, keepdims=True), 1e-30))


def _mm3_angle_energy(
    k: jnp.ndarray, theta0: jnp.ndarray, coords: jnp.ndarray, angle_indices: jnp.ndarray
) -> jnp.ndarray:
    """MM3 sextic angle bend with degree-based anharmonic corrections."""
    rij = coords[angle_indices[:, 0]] - coords[angle_indices[:, 1]]
    rkj = coords[angle_indices[:, 2]] - coords[angle_indices[:, 1]]
    rij_norm = rij / _safe_norm_keepdims(rij, axis=-1)
    rkj_norm = rkj / _safe_norm_keepdims(rkj, axis=-1)
    cos_theta = jnp.sum(rij_norm * rkj_norm, axis=-1)
    theta = _safe_arccos(cos_theta)
    dtheta = theta - theta0
    dtheta_deg = dtheta * _RAD_TO_DEG
    anharmonic = (
        1.0
        + MM3_ANGLE_C3 * dtheta_deg
        + MM3_ANGLE_C4 * dtheta_deg**2
        + MM3_ANGLE_C5 * dtheta_deg**3
        + MM3_ANGLE_C6 * dtheta_deg**4
    )
    return jnp.sum(k * dtheta**2 * anharmonic)
