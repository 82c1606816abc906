import jax
import jax.numpy as jnp

def problematic_function(x):
    if x[0] > 0:  # This raises ConcretizationTypeError
        return jnp.sum(x ** 2)
    else:
        return -jnp.sum(x ** 2)

grad_fn = jax.grad(problematic_function)
