from jax import numpy as jnp
from jax import grad
import jax

def f(a):
    b = a*2
    while jnp.linalg.norm(b) < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100*b
    return c        

from jax import random

a = random.normal(random.PRNGKey(1), ())

d = f(a)
d_grad = grad(f)(a)

d_grad == d / a
