cos_alpha = (d**2 + r1**2 - r2**2) / (2 * d * r1) # division by d
alpha = jnp.arccos(cos_alpha) # arccos at boundary
lens = r1**2 * (alpha - sin(2*alpha)/2) + ...
return jnp.where(disjoint, 0.0, jnp.where(contained, contained_area, lens))
