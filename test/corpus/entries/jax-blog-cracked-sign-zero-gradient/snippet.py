import jax
import jax.numpy as jnp

# Naive approach - zero gradient
grad_sign = jax.grad(lambda x: jnp.sign(x).sum())
print(grad_sign(jnp.array([0.5])))   # [0.]  <- useless
