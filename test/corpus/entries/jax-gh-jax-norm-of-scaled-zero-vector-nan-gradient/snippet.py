import jax
from jax import numpy as jnp

def func1(a, x):
    return jnp.linalg.norm(a * x)


a = 1.3
x = jnp.zeros(2)

print(f"{func1.__name__}({a}, {x}) = {func1(a, x)}")
print(f"jax.grad({func1.__name__})({a}, {x}) = {jax.grad(func1)(a, x)}")
