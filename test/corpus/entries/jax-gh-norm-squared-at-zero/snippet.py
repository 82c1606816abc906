import jax
import jax.numpy as jnp

f = lambda x: jnp.linalg.norm(x) ** 2
jax.grad(f)(0.)
