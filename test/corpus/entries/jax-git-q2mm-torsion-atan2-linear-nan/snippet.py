try:
    import jax
    import jax.numpy as jnp

    # JAX defaults to float32 which is insufficient for MM parameter
    # optimization (energy differences ~1e-6 kcal/mol matter).  This is
    # standard practice in JAX-based chemistry packages.  Guard: only set
    # if not already configured (respects JAX_ENABLE_X64 env var).
    if not jax.config.jax_enable_x64:
        jax.config.update("jax_enable_x64", True)
    _HAS_JAX = True
except ImportError:  # pragma: no cover
    jax = None  # type: ignore[assignment]
    jnp = None  # type: ignore[assignment]
    _HAS_JAX = False


def _safe_norm(x: jnp.ndarray, axis: int = -1) -> jnp.ndarray:
    """Euclidean norm with gradient-safe floor to avoid NaN at zero.

    Args:
        x: Input array.
        axis: Axis along which to compute the norm.

    Returns:
        jnp.ndarray: Element-wise norm, floored at ``1e-30`` before sqrt.

    """
    return jnp.sqrt(jnp.maximum(jnp.sum(x**2, axis=axis), 1e-30))


def _torsion_energy(
    k: jnp.ndarray,
    periodicity: jnp.ndarray,
    phase: jnp.ndarray,
    coords: jnp.ndarray,
    torsion_indices: jnp.ndarray,
) -> jnp.ndarray:
    """Cosine torsion energy: ``E = Σ k_i · (1 + cos(n_i·φ_i − γ_i))``.

    Uses an atan2-based signed dihedral angle computation.

    Args:
        k (jnp.ndarray): Force constants, shape ``(n_torsions,)``, kcal/mol.
        periodicity (jnp.ndarray): Periodicity per torsion, shape
            ``(n_torsions,)``.
        phase (jnp.ndarray): Phase angles per torsion, shape
            ``(n_torsions,)``, in radians.
        coords (jnp.ndarray): Cartesian coordinates, shape
            ``(n_atoms, 3)``, in Å.
        torsion_indices (jnp.ndarray): Atom index quadruples
            ``(i, j, k, l)``, shape ``(n_torsions, 4)``.

    Returns:
        jnp.ndarray: Scalar total torsion energy in kcal/mol.

    """
    # Vectors along the torsion chain (IUPAC convention):
    # b0 = i→j, b1 = j→k, b2 = k→l
    p0 = coords[torsion_indices[:, 0]]
    p1 = coords[torsion_indices[:, 1]]
    p2 = coords[torsion_indices[:, 2]]
    p3 = coords[torsion_indices[:, 3]]
    b0 = p1 - p0
    b1 = p2 - p1
    b2 = p3 - p2
    # Normal vectors to the two planes
    n1 = jnp.cross(b0, b1)
    n2 = jnp.cross(b1, b2)
    # atan2-based signed dihedral
    b1_len = _safe_norm(b1, axis=-1)
    m1 = jnp.cross(n1, b1 / jnp.maximum(b1_len, 1e-10)[:, None])
    x = jnp.sum(n1 * n2, axis=-1)
    y = jnp.sum(m1 * n2, axis=-1)
    phi = jnp.arctan2(y, x)
    return jnp.sum(k * (1.0 + jnp.cos(periodicity * phi - phase)))
