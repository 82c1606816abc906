import equinox as eqx
import jax
import jax.numpy as jnp


@jax.grad 
def jax_grad(x):
    return x**2

@eqx.filter_grad
def eqx_grad(x):
    return x**2

jax_grad(1.), eqx_grad(1.)
# (DeviceArray(2., dtype=float32, weak_type=True), None)
