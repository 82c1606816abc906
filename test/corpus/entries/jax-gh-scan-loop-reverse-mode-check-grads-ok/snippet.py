import jax.numpy as jnp
from jax import lax, jit
from jax.test_util import check_grads

@jit
def scan_fun(x, y):
    # A loop using scan, note how I access y within the body
    n = x.shape[0]

    def body(carry, x):
        curr, i = carry
        return (curr + x * y[i], i+1), None

    (res, _), _ = lax.scan(body, (0., 0), x)
    return res / n

n = 50
m = 150
x = jnp.arange(n, dtype=jnp.float32)
y = jnp.arange(m, step=2., dtype=jnp.float32)

check_grads(scan_fun, (x, y), 1, eps=1e-2)  # All good
