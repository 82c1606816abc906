import jax.numpy as jnp
from jax import grad
from jax import vmap
from jax import random

key = random.PRNGKey(0)

# parameters
batch_size = 3#int(1e5)

def f(x):
    return 0.5 * x**2

def der1_f(x):
    return grad(f)(x)

def der1_f_vect(inputs):
    return vmap(der1_f)(inputs)

def der2_f(x):
    #return grad(der1_f)(x)
    return grad(grad(f))(x)

def der2_f_vect(inputs):
    return vmap(der2_f(inputs))

x = random.normal(key, (batch_size,))

x, der1_f_vect(x), der2_f_vect(x) 
