import jax
import jax.numpy as jnp
from functools import partial
@partial(jax.jit, static_argnums=[0], static_argnames=['argnum', 'max_order'])
def apply_multi_grad(f, order, *args, argnum=0, max_order=5):
    """Apply f's `order`-th derivative to `*args`, where `order` is a traced scalar."""
    # Pre-generate all derivatives up to `max_order`
    funcs = [f]
    for i in range(max_order):
        # Each grad must be applied to the previous function
        funcs.append(jax.grad(funcs[-1], argnums=argnum))
    # `lax.switch`: index `order` selects func from `funcs`; `*args` passed to it
    return jax.lax.switch(order, funcs, *args)
