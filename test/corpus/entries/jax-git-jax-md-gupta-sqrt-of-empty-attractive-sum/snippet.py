def gupta_potential(displacement,
                    p,
                    q,
                    r_0n,
                    U_n,
                    A,
                    cutoff):
  def _gupta_term1(r, p, r_0n, cutoff):
    """Repulsive term in Gupta potential."""
    within_cutoff = (r > 0) & (r < cutoff)
    term1 = np.exp(-1.0 * p * (r / r_0n - 1))
    return np.where(within_cutoff, term1, 0.0)

  def _gupta_term2(r, q, r_0n, cutoff):
    """Attractive term in Gupta potential."""
    within_cutoff = (r > 0) & (r < cutoff)
    term2 = np.exp(-2.0 * q * (r / r_0n - 1))
    return np.where(within_cutoff, term2, 0.0)

  def compute_fn(R):
    dR = space.map_product(displacement)(R, R)
    dr = space.distance(dR)
    first_term = A * np.sum(_gupta_term1(dr, p, r_0n, cutoff), axis=1)
    second_term = np.sqrt(np.sum(_gupta_term2(dr, q, r_0n, cutoff), axis=1))
    return U_n / 2.0 * np.sum(first_term - second_term)

  return compute_fn

