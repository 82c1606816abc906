import jax.numpy as np
from jax import grad, jit, vmap
def f2(a, b):
    c = b * a
    return a

grad_f2 = grad(f2)
print(grad_f2(2.0, 3.0))
