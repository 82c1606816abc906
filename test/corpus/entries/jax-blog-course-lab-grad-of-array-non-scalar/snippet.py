from jax import grad, vmap
import jax.numpy as jnp

def f(x):
    return x**2

x_array_jnp = jnp.array([1., 2., 3.])

print("Function value at x = 3:", f(3.0))
print("Derivative value at x = 3:",grad(f)(3.0))

try:
    grad(f)(x_array_jnp)
except TypeError as err:
    print(err)
