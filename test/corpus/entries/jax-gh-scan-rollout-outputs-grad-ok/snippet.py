from jax.lax import fori_loop, scan
import jax.numpy as np
import jax

def test_scan():
    def rollout(x, us, A, B):
        def step(carry, u):
            # system dyamics
            next_x = A @ carry + B @ u
            carry = next_x
            return carry, next_x
        _, outs = scan(step, x, us)
        return np.square(outs).sum()

    ...
