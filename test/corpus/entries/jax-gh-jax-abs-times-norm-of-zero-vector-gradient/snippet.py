import jax
from jax import numpy as jnp

def func2(a, x):
    return jnp.abs(a) * jnp.linalg.norm(x)


a = 1.3
x = jnp.zeros(2)

print(f"{func2.__name__}({a}, {x}) = {func2(a, x)}")
print(f"jax.grad({func2.__name__})({a}, {x}) = {jax.grad(func2)(a, x)}")
