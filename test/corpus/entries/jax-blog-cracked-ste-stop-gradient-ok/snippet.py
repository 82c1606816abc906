import jax
import jax.numpy as jnp

# STE trick: x + stop_gradient(sign(x) - x)
def ste_quantize(x):
    return x + jax.lax.stop_gradient(jnp.sign(x) - x)

# Forward: x + (sign(x) - x) = sign(x)
print(ste_quantize(jnp.array([-1.5, 0.0, 0.5, 2.0])))
# -> [-1.  0.  1.  1.]

# Backward: stop_gradient zeros the inner derivative -> grad = 1
grad_ste = jax.grad(lambda x: ste_quantize(x).sum())
print(grad_ste(jnp.array([0.5])))    # [1.]  <- useful
