jnp.maximum(jnp.linalg.norm(x), min_norm)
