import jax.numpy as jnp
import jax.test_util as jtu

def fn(x):
  A = x[:, None] * x[None, :]
  _, U = jnp.linalg.eigh(A)
  return U @ x

x = jnp.array([1.0, 2.0, 3.0])
print(x[:, None] * x[None, :])  # Symmetric matrix.

print(fn(x))  # Reasonable output 

jtu.check_grads(fn, (x,), 1)
