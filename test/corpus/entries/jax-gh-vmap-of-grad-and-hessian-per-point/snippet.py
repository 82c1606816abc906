import jax.numpy as np
from jax import grad, vmap, hessian
from jax import random 

def example(X):
    f=X[0]**2+X[1]**2
    return f

key = random.PRNGKey(0)
N=5
d=2
X_t=random.normal(key, (N,d))
W_t=random.normal(key, (N,d))
V=example
dV=vmap(grad(V))
ddV=vmap(hessian(V))
dV_t=dV(X_t)
