import equinox
import jax
import jax.numpy as jnp

from probdiffeq import ivpsolve, probdiffeq

# Fail this notebook on NaN detection (to catch those in the CI)
jax.config.update("jax_debug_nans", True)


def main():
    """Solve an ODE with and without a bounded while loop."""
    # This is the default behaviour:
    solve, x = solution_routine(jax.lax.while_loop)
    try:
        solution, gradient = jax.jit(jax.value_and_grad(solve))(x)
    except ValueError as err:
        print(f"Caught error:\n\t {err}")
    ...
