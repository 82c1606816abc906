import jax
import jax.numpy as jnp

f = lambda x: jnp.sum(x**2)
jax.grad(f)(0.)
