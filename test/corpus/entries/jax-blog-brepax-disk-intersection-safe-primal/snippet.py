safe_d = jnp.maximum(d, 1e-10) # prevent division by zero
cos_alpha = jnp.clip(
(safe_d**2 + r1**2 - r2**2) / (2 * safe_d * r1),
-1.0 + eps, 1.0 - eps, # keep arccos away from domain boundary
)
alpha = jnp.arccos(cos_alpha) # arccos at boundary
lens = r1**2 * (alpha - sin(2*alpha)/2) + ...
return jnp.where(disjoint, 0.0, jnp.where(contained, contained_area, lens))
